import { describe, expect, it } from "vitest";

import { ageOn, CONSENT_AGE, isUnderConsentAge, parseIsoDate, todayIso } from "./age";

describe("ageOn", () => {
  it("counts whole years, the birthday itself included", () => {
    expect(ageOn("2009-06-15", "2025-06-14")).toBe(15);
    expect(ageOn("2009-06-15", "2025-06-15")).toBe(16);
    expect(ageOn("2009-06-15", "2025-12-31")).toBe(16);
  });

  it("handles a 29 February birthday in a common year", () => {
    expect(ageOn("2008-02-29", "2024-02-28")).toBe(15);
    expect(ageOn("2008-02-29", "2024-02-29")).toBe(16);
    expect(ageOn("2008-02-29", "2025-03-01")).toBe(17);
  });

  it("is never negative and refuses what is not a date", () => {
    expect(ageOn("2030-01-01", "2025-01-01")).toBe(0);
    expect(ageOn("2015-02-30", "2025-01-01")).toBeNull();
    expect(ageOn("15.03.2015", "2025-01-01")).toBeNull();
  });
});

describe("isUnderConsentAge", () => {
  it("puts the line at 16", () => {
    expect(CONSENT_AGE).toBe(16);
    expect(isUnderConsentAge("2009-06-15", "2025-06-14")).toBe(true);
    expect(isUnderConsentAge("2009-06-15", "2025-06-15")).toBe(false);
    expect(isUnderConsentAge("1980-01-01", "2025-06-15")).toBe(false);
  });

  it("treats an unknown or unreadable birth date as not a minor (the core decides then)", () => {
    expect(isUnderConsentAge(null, "2025-01-01")).toBe(false);
    expect(isUnderConsentAge("", "2025-01-01")).toBe(false);
    expect(isUnderConsentAge("2015-13-01", "2025-01-01")).toBe(false);
  });
});

describe("dates", () => {
  it("parse only real calendar days", () => {
    expect(parseIsoDate("2024-02-29")).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate("2023-02-29")).toBeNull();
    expect(parseIsoDate(undefined)).toBeNull();
  });

  it("give today on the local calendar", () => {
    expect(todayIso(new Date(2025, 0, 5, 23, 59))).toBe("2025-01-05");
  });
});
