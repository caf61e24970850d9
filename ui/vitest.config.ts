import { defineConfig } from "vitest/config";

// Unit tests cover the plain .ts modules (logic), not the screens: no DOM needed.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
