import { describe, expect, it } from "vitest";

import type { RetentionRule } from "../../lib/bindings/RetentionRule";
import type { Rule } from "../../lib/bindings/Rule";
import { en } from "../../lib/i18n/en";
import { ro } from "../../lib/i18n/ro";
import { maker } from "../../lib/testing";
import {
  categoryName,
  describePeriod,
  hasRetentionProblems,
  legalBasisText,
  legalMinimumText,
  longestPeriod,
  periodCount,
  RETENTION_CATEGORIES,
  retentionFormFrom,
  retentionDue,
  retentionFormProblems,
  retentionKeysText,
  runCounts,
  skippedReason,
  splitRun,
  toRetentionChange,
  withRule,
  type RetentionForm,
} from "./retention";

const rule = maker<RetentionRule>(() => ({
  category: "medical_records",
  period: 7,
  unit: "years",
  starts: "after the last treatment",
  legal_basis: "healthcare law",
  legal_minimum_years: 7,
  customised: false,
}));

describe("periodCount", () => {
  it("uses the Romanian plural forms: 1 an, 7 ani, 20 de ani", () => {
    expect([1, 7, 19, 20, 101].map((n) => periodCount(n, "years", "ro"))).toEqual([
      "1 an",
      "7 ani",
      "19 ani",
      "20 de ani",
      "101 ani",
    ]);
    expect([1, 3, 24].map((n) => periodCount(n, "months", "ro"))).toEqual(["1 lună", "3 luni", "24 de luni"]);
    expect([1, 2, 30].map((n) => periodCount(n, "days", "ro"))).toEqual(["1 zi", "2 zile", "30 de zile"]);
  });

  it("uses the singular for one in English", () => {
    expect(periodCount(1, "years", "en")).toBe("1 year");
    expect(periodCount(10, "years", "en")).toBe("10 years");
    expect(periodCount(1, "months", "en")).toBe("1 month");
    expect(periodCount(30, "days", "en")).toBe("30 days");
  });
});

describe("describePeriod", () => {
  it("says the period and what it is counted from in the chosen language", () => {
    expect(describePeriod(rule(), "ro")).toBe("7 ani de la ultimul tratament");
    expect(describePeriod(rule(), "en")).toBe("7 years after the last treatment");
    expect(describePeriod(rule({ category: "invoices", period: 10 }), "ro")).toBe("10 ani de la emiterea facturii");
    expect(describePeriod(rule({ category: "backups", period: 30, unit: "days" }), "ro")).toBe(
      "30 de zile, prin rotație",
    );
    expect(describePeriod(rule({ category: "system_logs", period: 1, unit: "days" }), "en")).toBe(
      "1 day after the entry was written",
    );
  });

  it("words the defaults in English as the core does where the wording is the same", () => {
    // The core's `describe` gives "7 years after the last treatment"; the UI's English
    // says the same, except the sign-in wording and the comma before "rolling".
    const starts: Record<string, string> = {
      xrays: "after the image was taken",
      appointments: "after the appointment",
      messages: "after the message was sent",
      request_log: "after the request was closed",
      audit_log: "after the event",
    };
    for (const [category, from] of Object.entries(starts)) {
      expect(describePeriod(rule({ category, starts: from, period: 3 }), "en")).toBe(`3 years ${from}`);
    }
  });

  it("keeps the core's words for a category this UI does not know", () => {
    expect(describePeriod(rule({ category: "chart_notes", starts: "after the visit", period: 2 }), "ro")).toBe(
      "2 ani after the visit",
    );
    expect(categoryName("chart_notes", "ro")).toBe("chart_notes");
  });
});

describe("categories", () => {
  it("are the core's twelve, each named and worded in both languages", () => {
    expect(RETENTION_CATEGORIES).toHaveLength(12);
    for (const c of RETENTION_CATEGORIES) {
      for (const dict of [en, ro] as Record<string, string>[]) {
        expect(dict[`retention.category.${c}`], c).toBeTruthy();
        expect(dict[`retention.starts.${c}`], c).toContain("{period}");
        expect(dict[`retention.basis.${c}`], c).toBeTruthy();
      }
    }
    expect(categoryName("xrays", "ro")).toBe("Radiografii");
    expect(categoryName("xrays", "en")).toBe("X-rays");
  });
});

describe("legalBasisText", () => {
  it("words a default basis in the chosen language and keeps the DPO's as written", () => {
    expect(legalBasisText(rule(), "ro")).toBe("legislația din domeniul sănătății");
    expect(legalBasisText(rule(), "en")).toBe("healthcare law");
    expect(legalBasisText(rule({ customised: true, legal_basis: "Legea 95/2006" }), "en")).toBe("Legea 95/2006");
  });
});

describe("legalMinimumText", () => {
  it("says the minimum in years, or nothing", () => {
    expect(legalMinimumText(7, "en")).toBe("at least 7 years by law");
    expect(legalMinimumText(10, "ro")).toBe("cel puțin 10 ani, conform legii");
    expect(legalMinimumText(1, "ro")).toBe("cel puțin 1 an, conform legii");
    expect(legalMinimumText(null, "ro")).toBeNull();
  });
});

describe("the edit form", () => {
  const form = (over: Partial<RetentionForm> = {}): RetentionForm => ({
    period: "7",
    unit: "years",
    legalBasis: "healthcare law",
    ...over,
  });

  it("starts from the rule as shown", () => {
    expect(retentionFormFrom(rule(), "ro")).toEqual({
      period: "7",
      unit: "years",
      legalBasis: "legislația din domeniul sănătății",
    });
  });

  it("asks for a whole period within the core's range and a legal basis", () => {
    expect(retentionFormProblems(form())).toEqual({ period: null, legalBasis: null });
    expect(retentionFormProblems(form({ period: " " })).period).toBe("missing");
    expect(retentionFormProblems(form({ period: "2.5" })).period).toBe("not_whole");
    expect(retentionFormProblems(form({ period: "-3" })).period).toBe("not_whole");
    expect(retentionFormProblems(form({ period: "1e3" })).period).toBe("not_whole");
    expect(retentionFormProblems(form({ period: "0" })).period).toBe("out_of_range");
    expect(retentionFormProblems(form({ period: "51" })).period).toBe("out_of_range");
    expect(retentionFormProblems(form({ period: "50" })).period).toBeNull();
    expect(retentionFormProblems(form({ period: "608", unit: "months" })).period).toBeNull();
    expect(retentionFormProblems(form({ period: "609", unit: "months" })).period).toBe("out_of_range");
    expect(retentionFormProblems(form({ period: "18250", unit: "days" })).period).toBeNull();
    expect(retentionFormProblems(form({ legalBasis: "  " })).legalBasis).toBe("missing");
    expect(hasRetentionProblems(retentionFormProblems(form({ legalBasis: "" })))).toBe(true);
    expect(hasRetentionProblems(retentionFormProblems(form()))).toBe(false);
  });

  it("reads what a bound number input gives: a number, or null when empty", () => {
    const typed = (period: unknown) => form({ period: period as string });
    expect(retentionFormProblems(typed(8)).period).toBeNull();
    expect(retentionFormProblems(typed(2.5)).period).toBe("not_whole");
    expect(retentionFormProblems(typed(null)).period).toBe("missing");
    expect(toRetentionChange(typed(8)).period).toBe(8);
  });

  it("leaves the legal minimum to the core", () => {
    expect(hasRetentionProblems(retentionFormProblems(form({ period: "2" })))).toBe(false);
  });

  it("counts the longest period as the core does (30-day months, 365-day years)", () => {
    expect([longestPeriod("days"), longestPeriod("months"), longestPeriod("years")]).toEqual([18250, 608, 50]);
  });

  it("sends a number and a trimmed basis", () => {
    expect(toRetentionChange(form({ period: " 12 ", unit: "months", legalBasis: "  tax law " }))).toEqual({
      period: 12,
      unit: "months",
      legalBasis: "tax law",
    });
  });
});

describe("withRule", () => {
  it("replaces the changed category in place, keeping the order", () => {
    const rules = [rule(), rule({ category: "xrays" }), rule({ category: "invoices", period: 10 })];
    const changed = rule({ category: "xrays", period: 9, customised: true });
    const out = withRule(rules, changed);
    expect(out.map((r) => r.category)).toEqual(["medical_records", "xrays", "invoices"]);
    expect(out[1]).toBe(changed);
    expect(rules[1]?.period).toBe(7);
  });
});

describe("the retention job", () => {
  const patient = (name: string, skipped: Rule | null = null) => ({
    patient_id: `p-${name}`,
    display_name: name,
    last_activity: "2018-03-01",
    period_ended: "2025-03-01",
    skipped,
  });
  const account = { username: "ana", anonymised_as: "former-0a1b2c3d4e5f", last_seen: "2019-01-10" };

  it("says whether anything is due, retention keys to destroy included", () => {
    expect(retentionDue(null)).toBe(false);
    expect(retentionDue({ patients: [], staff: [], retention_keys_destroyed: 0 })).toBe(false);
    expect(retentionDue({ patients: [patient("Pop Ion")], staff: [], retention_keys_destroyed: 0 })).toBe(true);
    expect(retentionDue({ patients: [], staff: [account], retention_keys_destroyed: 0 })).toBe(true);
    expect(retentionDue({ patients: [], staff: [], retention_keys_destroyed: 1 }), "only a key past its period").toBe(true);
  });

  it("words the retention keys due in a preview and destroyed by a run, with the Romanian plural forms", () => {
    const keys = (n: number, applied: boolean) => ({ applied, retention_keys_destroyed: n });
    expect(retentionKeysText(keys(0, false), "ro")).toBeNull();
    expect(retentionKeysText(keys(0, true), "en")).toBeNull();
    expect([1, 3, 20].map((n) => retentionKeysText(keys(n, false), "ro"))).toEqual([
      "Pentru 1 pacient șters, înregistrările păstrate au depășit termenul: cheia va fi distrusă.",
      "Pentru 3 pacienți șterși, înregistrările păstrate au depășit termenul: cheile vor fi distruse.",
      "Pentru 20 de pacienți șterși, înregistrările păstrate au depășit termenul: cheile vor fi distruse.",
    ]);
    expect(retentionKeysText(keys(2, false), "en")).toBe(
      "2 erased patients' kept records are past their period: their key will be destroyed.",
    );
    expect(retentionKeysText(keys(1, false), "en")).toBe(
      "1 erased patient's kept records are past their period: their key will be destroyed.",
    );
    expect([1, 2, 20, 101].map((n) => retentionKeysText(keys(n, true), "ro"))).toEqual([
      "1 cheie de păstrare distrusă.",
      "2 chei de păstrare distruse.",
      "20 de chei de păstrare distruse.",
      "101 chei de păstrare distruse.",
    ]);
    expect([1, 4].map((n) => retentionKeysText(keys(n, true), "en"))).toEqual([
      "1 retention key destroyed.",
      "4 retention keys destroyed.",
    ]);
  });

  it("separates the patients erased from those skipped, with the reason in the chosen language", () => {
    const reason = { code: "consent.own_guardian" } as const;
    const { erased, skipped } = splitRun({ patients: [patient("Pop Ion"), patient("Ionescu Ana", reason)] });
    expect(erased.map((p) => p.display_name)).toEqual(["Pop Ion"]);
    expect(skipped.map((p) => p.display_name)).toEqual(["Ionescu Ana"]);
    expect(skippedReason(reason, "ro")).toBe("un pacient nu își poate fi propriul tutore");
    expect(skippedReason(reason, "en")).toBe("a patient cannot be their own guardian");
  });

  it("counts what will go in words", () => {
    const run = { patients: [patient("a"), patient("b"), patient("c")], staff: [account] };
    expect(runCounts(run, "ro")).toEqual({ patients: "3 pacienți", accounts: "1 cont de personal" });
    expect(runCounts(run, "en")).toEqual({ patients: "3 patients", accounts: "1 staff account" });
  });
});
