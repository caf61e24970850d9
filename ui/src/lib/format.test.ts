import { describe, expect, it } from "vitest";

import { formatDate, formatDateTime, formatMoney, formatMomentDate, formatNumber, LOCALES } from "./format";

// Intl separates with narrow or ordinary no-break spaces depending on the ICU version.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("locales", () => {
  it("map the two languages to Romania and Britain", () => {
    expect(LOCALES).toEqual({ ro: "ro-RO", en: "en-GB" });
  });
});

describe("formatDate", () => {
  it("writes a calendar date as each country does", () => {
    expect(formatDate("2015-03-04", "ro")).toBe("04.03.2015");
    expect(formatDate("2015-03-04", "en")).toBe("04/03/2015");
  });

  it("does not move the day with the time zone", () => {
    expect(formatDate("1980-01-01", "ro")).toBe("01.01.1980");
  });

  it("leaves nothing for nothing and text it cannot read as it was", () => {
    expect(formatDate(null, "ro")).toBe("");
    expect(formatDate("sometime", "en")).toBe("sometime");
  });
});

describe("formatDateTime", () => {
  it("writes a moment with a 24-hour clock in the given zone", () => {
    const at = "2025-01-15T12:05:00.000Z";
    expect(plain(formatDateTime(at, "ro", "Europe/Bucharest"))).toBe("15.01.2025, 14:05");
    expect(plain(formatDateTime(at, "en", "Europe/London"))).toBe("15/01/2025, 12:05");
  });

  it("gives the local day of a moment", () => {
    expect(formatMomentDate("2025-01-15T23:30:00.000Z", "ro", "Europe/Bucharest")).toBe("16.01.2025");
    expect(formatMomentDate("2025-01-15T23:30:00.000Z", "en", "Europe/London")).toBe("15/01/2025");
  });
});

describe("numbers and money", () => {
  it("groups and separates decimals per locale", () => {
    expect(plain(formatNumber(1234567.5, "ro"))).toBe("1.234.567,5");
    expect(plain(formatNumber(1234567.5, "en"))).toBe("1,234,567.5");
  });

  it("writes lei as RON with two decimals", () => {
    expect(plain(formatMoney(1234.5, "ro"))).toBe("1.234,50 RON");
    expect(plain(formatMoney(1234.5, "en"))).toBe("RON 1,234.50");
    expect(plain(formatMoney(0, "ro"))).toBe("0,00 RON");
  });
});
