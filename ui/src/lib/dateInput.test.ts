import { describe, expect, it } from "vitest";

import { parseDateInput } from "./dateInput";

describe("parseDateInput", () => {
  it("reads a date typed day first, with any usual separator", () => {
    for (const typed of ["15.03.2015", "15/03/2015", "15-3-2015", "15.3.2015", "15032015", "2015-03-15", " 15 . 03 . 2015 "]) {
      expect(parseDateInput(typed), typed).toEqual({ kind: "date", iso: "2015-03-15" });
    }
  });

  it("refuses days that do not exist and text that is not a date", () => {
    expect(parseDateInput("31.04.2015")).toEqual({ kind: "invalid" });
    expect(parseDateInput("29.02.2023")).toEqual({ kind: "invalid" });
    expect(parseDateInput("03/15/2015"), "month first is not read").toEqual({ kind: "invalid" });
    expect(parseDateInput("ieri")).toEqual({ kind: "invalid" });
  });

  it("treats a blank field as no date", () => {
    expect(parseDateInput("  ")).toEqual({ kind: "empty" });
  });
});
