// The retention schedule in words. The core owns the schedule and its rules (the legal
// minimum, the longest period); this module only names the categories and words a
// period in the chosen language, since the core's `starts` and default legal bases
// are English.

import type { Language } from "../../lib/bindings/Language";
import type { PeriodUnit } from "../../lib/bindings/PeriodUnit";
import type { PurgePatient } from "../../lib/bindings/PurgePatient";
import type { RetentionRule } from "../../lib/bindings/RetentionRule";
import type { RetentionRun } from "../../lib/bindings/RetentionRun";
import type { Rule } from "../../lib/bindings/Rule";
import { translate, translateCount } from "../../lib/i18n/index";
import { wordCode } from "../../lib/wordings";

/** The core's categories (`retention::CATEGORIES`), in its order. */
export const RETENTION_CATEGORIES = [
  "medical_records",
  "xrays",
  "treatment_plans",
  "appointments",
  "invoices",
  "staff_accounts",
  "consent_records",
  "messages",
  "request_log",
  "audit_log",
  "system_logs",
  "backups",
] as const;

export type RetentionCategory = (typeof RETENTION_CATEGORIES)[number];

export const PERIOD_UNITS: readonly PeriodUnit[] = ["days", "months", "years"];

export function isRetentionCategory(value: string): value is RetentionCategory {
  return (RETENTION_CATEGORIES as readonly string[]).includes(value);
}

export function isPeriodUnit(value: string): value is PeriodUnit {
  return (PERIOD_UNITS as readonly string[]).includes(value);
}

/** "Medical records" / "Fișe medicale"; a category this UI does not know keeps its code. */
export function categoryName(category: string, lang: Language): string {
  return isRetentionCategory(category) ? translate(lang, `retention.category.${category}`) : category;
}

/** A count with its unit: "1 year", "7 years" / "1 an", "7 ani", "20 de ani". */
export function periodCount(period: number, unit: PeriodUnit, lang: Language): string {
  return translateCount(lang, `retention.unit.${unit}`, period);
}

/** The period in words with what it is counted from: "7 ani de la ultimul tratament". */
export function describePeriod(rule: Pick<RetentionRule, "category" | "period" | "unit" | "starts">, lang: Language): string {
  const count = periodCount(rule.period, rule.unit, lang);
  return isRetentionCategory(rule.category)
    ? translate(lang, `retention.starts.${rule.category}`, { period: count })
    : `${count} ${rule.starts}`;
}

/**
 * The legal basis as shown: a default one (in English from the core) in the chosen
 * language, one the DPO wrote exactly as written.
 */
export function legalBasisText(rule: Pick<RetentionRule, "category" | "legal_basis" | "customised">, lang: Language): string {
  return !rule.customised && isRetentionCategory(rule.category)
    ? translate(lang, `retention.basis.${rule.category}`)
    : rule.legal_basis;
}

/** "at least 7 years by law" / "cel puțin 7 ani, conform legii", or null without a minimum. */
export function legalMinimumText(years: number | null, lang: Language): string | null {
  return years === null ? null : translate(lang, "retention.minimum", { period: periodCount(years, "years", lang) });
}

// ---- the DPO's edit form ------------------------------------------------------------

export interface RetentionForm {
  /** As typed. A bound number input hands over a number (null when empty), so every
   *  reader goes through `periodText`. */
  period: string;
  unit: PeriodUnit;
  legalBasis: string;
}

export function retentionFormFrom(rule: RetentionRule, lang: Language): RetentionForm {
  return { period: String(rule.period), unit: rule.unit, legalBasis: legalBasisText(rule, lang) };
}

function periodText(f: RetentionForm): string {
  const raw: unknown = f.period;
  return raw === null || raw === undefined ? "" : String(raw).trim();
}

/** The longest period the core accepts in each unit (50 years, counting as it does). */
const DAYS_IN: Record<PeriodUnit, number> = { days: 1, months: 30, years: 365 };
export function longestPeriod(unit: PeriodUnit): number {
  return Math.floor((50 * 365) / DAYS_IN[unit]);
}

export interface RetentionFormProblems {
  period: "missing" | "not_whole" | "out_of_range" | null;
  legalBasis: "missing" | null;
}

/**
 * What to correct before sending. Only what the IPC call needs (a whole number in the
 * range the core takes); the legal minimum is the core's to enforce.
 */
export function retentionFormProblems(f: RetentionForm): RetentionFormProblems {
  const text = periodText(f);
  const n = Number(text);
  return {
    period:
      text === ""
        ? "missing"
        : !/^\d+$/.test(text)
          ? "not_whole"
          : n < 1 || n > longestPeriod(f.unit)
            ? "out_of_range"
            : null,
    legalBasis: f.legalBasis.trim() === "" ? "missing" : null,
  };
}

export function hasRetentionProblems(p: RetentionFormProblems): boolean {
  return p.period !== null || p.legalBasis !== null;
}

/** The arguments of `setRetention` for a form without problems. */
export function toRetentionChange(f: RetentionForm): { period: number; unit: PeriodUnit; legalBasis: string } {
  return { period: Number(periodText(f)), unit: f.unit, legalBasis: f.legalBasis.trim() };
}

/** The schedule with one rule replaced by the core's answer. */
export function withRule(rules: readonly RetentionRule[], changed: RetentionRule): RetentionRule[] {
  return rules.map((r) => (r.category === changed.category ? changed : r));
}

// ---- the retention job ----------------------------------------------------------------

/** Whether a preview found anything to erase or anonymise, or an erasure whose kept
 *  records' period ended (its retention key to destroy). */
export function retentionDue(run: Pick<RetentionRun, "patients" | "staff" | "retention_keys_destroyed"> | null): boolean {
  return !!run && (run.patients.length > 0 || run.staff.length > 0 || run.retention_keys_destroyed > 0);
}

/**
 * The erasures whose kept records' period ended, in words: in a preview the keys that
 * will be destroyed, after a run those destroyed; null when there are none.
 */
export function retentionKeysText(
  run: Pick<RetentionRun, "applied" | "retention_keys_destroyed">,
  lang: Language,
): string | null {
  const n = run.retention_keys_destroyed;
  if (n <= 0) return null;
  return translateCount(lang, run.applied ? "retention.run.keysDestroyed" : "retention.run.keysDue", n);
}

/** The patients a run erased and those it left alone (with the core's reason). */
export function splitRun(run: Pick<RetentionRun, "patients">): { erased: PurgePatient[]; skipped: PurgePatient[] } {
  return {
    erased: run.patients.filter((p) => !p.skipped),
    skipped: run.patients.filter((p) => !!p.skipped),
  };
}

/** Why a patient was not erased (the rule the erasure met), in the chosen language. */
export function skippedReason(reason: Rule, lang: Language): string {
  return wordCode(reason, lang);
}

/** What the confirmation says will go: "3 pacienți", "1 cont de personal". */
export function runCounts(run: Pick<RetentionRun, "patients" | "staff">, lang: Language): { patients: string; accounts: string } {
  return {
    patients: translateCount(lang, "retention.run.patientsCount", run.patients.length),
    accounts: translateCount(lang, "retention.run.accountsCount", run.staff.length),
  };
}
