import { describe, expect, it } from "vitest";

import { parseDateInput, parseDateTimeInput } from "./dateInput";

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

describe("parseDateTimeInput", () => {
  it("reads a date and time typed day first, or written as ISO", () => {
    for (const typed of [
      "02.12.2026 01:01",
      "2.12.2026 1:01",
      "02/12/2026 01:01",
      "02-12-2026 01:01",
      "02/12/2026, 01:01",
      "2026-12-02 01:01",
      "2026-12-02T01:01",
      "2026-12-02T01:01:30",
      "  02.12.2026   01:01  ",
      "02.12.2026 01.01",
    ]) {
      expect(parseDateTimeInput(typed), typed).toEqual({ kind: "dateTime", value: "2026-12-02T01:01" });
    }
    expect(parseDateTimeInput("31.12.2026 23:59")).toEqual({ kind: "dateTime", value: "2026-12-31T23:59" });
    expect(parseDateTimeInput("1.1.2027 0:00")).toEqual({ kind: "dateTime", value: "2027-01-01T00:00" });
  });

  it("refuses days and times that do not exist", () => {
    for (const typed of ["31.02.2026 10:00", "29.02.2027 10:00", "02.13.2026 10:00", "02.12.2026 24:00", "02.12.2026 25:10", "02.12.2026 10:60"]) {
      expect(parseDateTimeInput(typed), typed).toEqual({ kind: "invalid" });
    }
  });

  it("refuses incomplete or month-first text", () => {
    for (const typed of ["02.12.2026", "02.12.2026 10", "02.12.2026 10:", "10:00", "12/31/2026 10:00", "mâine 10:00"]) {
      expect(parseDateTimeInput(typed), typed).toEqual({ kind: "invalid" });
    }
  });

  it("treats a blank field as no time", () => {
    expect(parseDateTimeInput("")).toEqual({ kind: "empty" });
    expect(parseDateTimeInput("   ")).toEqual({ kind: "empty" });
  });
});
