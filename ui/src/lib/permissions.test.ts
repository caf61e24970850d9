import { describe, expect, it } from "vitest";

import type { Action } from "./bindings/Action";
import { sectionsFor } from "./permissions";

describe("navigation by permission", () => {
  const session = (permissions: Action[]) => ({ username: "x", role: "receptionist" as const, permissions, mfa_pending: false });

  it("shows each role only its screens", () => {
    expect(sectionsFor(session(["patient.search", "patient.register", "settings.read"]))).toEqual(["patients", "settings"]);
    expect(sectionsFor(session(["staff.list", "staff.manage", "settings.read", "settings.manage"]))).toEqual([
      "staff",
      "settings",
    ]);
    expect(sectionsFor(null)).toEqual([]);
  });

  it("gives the request log to the DPO alone, after the patients", () => {
    const dpo: Action[] = ["patient.search", "patient.read", "patient.history", "staff.list", "settings.read", "request.manage"];
    expect(sectionsFor(session(dpo))).toEqual(["patients", "requests", "staff", "settings"]);
    expect(sectionsFor(session(["patient.search", "patient.register", "settings.read"]))).not.toContain("requests");
  });
});
