import { describe, expect, it } from "vitest";

import { validUsername } from "./username";

describe("validUsername", () => {
  it("takes 2 to 40 letters, digits, dots, underscores and dashes, spaces around them dropped", () => {
    expect(validUsername("ana.pop")).toBe(true);
    expect(validUsername(" dr_ionescu-2 ")).toBe(true);
    expect(validUsername("a".repeat(40))).toBe(true);
  });

  it("refuses a name too short, too long or with other characters", () => {
    expect(validUsername("a")).toBe(false);
    expect(validUsername("a".repeat(41))).toBe(false);
    expect(validUsername("ana pop")).toBe(false);
    expect(validUsername("ană")).toBe(false);
  });
});
