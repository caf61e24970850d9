// The DPO's answers to access, portability (GDPR Art. 15, 20) and erasure (Art. 17)
// requests, as the UI words them. The core decides what is exported, erased or kept
// and checks everything again; this module only validates the export form, names the
// default files and turns the core's plan and report into lines a DPO reads.

import type { ErasedPart } from "../../lib/bindings/ErasedPart";
import type { ErasurePlanLine } from "../../lib/bindings/ErasurePlanLine";
import type { ErasureReport } from "../../lib/bindings/ErasureReport";
import type { Language } from "../../lib/bindings/Language";
import type { Why } from "../../lib/bindings/Why";
import { formatDate } from "../../lib/format";
import { hasKey, translate, translateCount, type MessageKey } from "../../lib/i18n/index";
import { charCount, LIMITS } from "../../lib/limits";

export { charCount };

// ---- the export form --------------------------------------------------------------

/** The shortest passphrase the core accepts for an encrypted export (in characters). */
export const MIN_PASSPHRASE = LIMITS.min_passphrase_chars;

/** Where an export goes unless the DPO types another folder: the home folder. */
export const DEFAULT_EXPORT_DIR = "~";

/** How the export is protected: a plain folder, the DPO's passphrase, or 6 generated words. */
export type ExportEncryption = "none" | "passphrase" | "generated";

export interface ExportForm {
  /** An existing folder; `~/` is the home folder (the core expands it). */
  dir: string;
  encryption: ExportEncryption;
  passphrase: string;
  again: string;
  /** Export image files byte for byte; off (the default): the core de-identifies them. */
  keepImageMetadata: boolean;
  /** The cover letter's language; null (the default) is the patient's, else the clinic's. */
  lang: Language | null;
}

export function emptyExportForm(): ExportForm {
  return {
    dir: DEFAULT_EXPORT_DIR,
    encryption: "none",
    passphrase: "",
    again: "",
    keepImageMetadata: false,
    lang: null,
  };
}

export interface ExportFormProblems {
  dir: "missing" | null;
  passphrase: "missing" | "short" | null;
  again: "mismatch" | null;
}


/**
 * What to correct before exporting. A passphrase is checked only when the DPO types
 * one; it is taken as typed (spaces count), as the core takes it.
 */
export function exportFormProblems(f: ExportForm): ExportFormProblems {
  const dir = f.dir.trim() === "" ? "missing" : null;
  if (f.encryption !== "passphrase") return { dir, passphrase: null, again: null };
  const passphrase =
    f.passphrase === "" ? "missing" : charCount(f.passphrase) < MIN_PASSPHRASE ? "short" : null;
  const again = passphrase === null && f.again !== f.passphrase ? "mismatch" : null;
  return { dir, passphrase, again };
}

export function hasExportProblems(p: ExportFormProblems): boolean {
  return p.dir !== null || p.passphrase !== null || p.again !== null;
}

export interface ExportArgs {
  dir: string;
  passphrase: string | null;
  generatePassphrase: boolean;
  keepImageMetadata: boolean;
  lang: Language | null;
}

/**
 * What to send: no passphrase unless the DPO typed one for this export, a generated
 * one only when chosen, and no language (the patient's) unless one was picked.
 */
export function exportArgs(f: ExportForm): ExportArgs {
  return {
    dir: f.dir.trim(),
    passphrase: f.encryption === "passphrase" ? f.passphrase : null,
    generatePassphrase: f.encryption === "generated",
    keepImageMetadata: f.keepImageMetadata,
    lang: f.lang ?? null,
  };
}

/** A generated passphrase as its words, to show one per line, large. */
export function passphraseWords(p: string | null | undefined): string[] {
  return (p ?? "").split(" ").filter((w) => w !== "");
}

// ---- default file names -------------------------------------------------------------

/** The last six hex digits of an id, so two patients' letters of one day do not clash. */
function idTail(id: string): string {
  return id.replace(/[^0-9a-fA-F]/g, "").slice(-6).toLowerCase();
}

/**
 * Where the answer to an erasure goes unless the DPO types another path: named by the
 * day and a piece of the patient's id, never by the person's name.
 */
export function defaultErasureLetterPath(patientId: string, today: string, lang: Language): string {
  const stem = lang === "ro" ? "cuspid-raspuns-stergere" : "cuspid-erasure-answer";
  const tail = idTail(patientId);
  return `~/${stem}-${today}${tail ? `-${tail}` : ""}.pdf`;
}

// ---- the confirmation word ----------------------------------------------------------

/** The word the DPO types to confirm an erasure: ȘTERGE, ERASE. */
export function confirmWord(lang: Language): string {
  return translate(lang, "gdpr.erasure.confirmWord");
}

/** Upper case without diacritics: "Șterge" and "STERGE" read the same. */
function plain(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim().toUpperCase();
}

/** Whether what was typed is the word shown (capitals and diacritics optional). */
export function confirmMatches(typed: string, lang: Language): boolean {
  return typed.trim() !== "" && plain(typed) === plain(confirmWord(lang));
}

// ---- names of modules and kinds of records -----------------------------------------

/** The modules holding personal data, in the core's order. */
export const GDPR_MODULES = ["patients", "consent", "guardians", "requests", "audit", "erasure"] as const;

/** The kinds of records an erasure report counts. */
export const ERASED_KINDS = [
  "patient",
  "corrections",
  "consents",
  "guardians",
  "requests",
  "access_log",
  "erasures",
] as const;

/** The dictionary key naming a module (`gdpr.module.<name>`), or null for one the UI does not know. */
export function moduleKey(module: string): MessageKey | null {
  const key = `gdpr.module.${module}`;
  return hasKey(key) ? key : null;
}

/** The dictionary key naming a kind of record (`gdpr.part.<kind>`), or null when unknown. */
export function partKey(kind: string): MessageKey | null {
  const key = `gdpr.part.${kind}`;
  return hasKey(key) ? key : null;
}

/** A module's name in `lang`; one the UI does not know yet keeps the core's name. */
export function moduleLabel(module: string, lang: Language): string {
  const key = moduleKey(module);
  return key ? translate(lang, key) : module;
}

export function partLabel(kind: string, lang: Language): string {
  const key = partKey(kind);
  return key ? translate(lang, key) : kind;
}

/** The reason in `lang`, or null when there is none. */
export function whyIn(why: Why | null | undefined, lang: Language): string | null {
  if (!why) return null;
  const text = (lang === "ro" ? why.ro : why.en).trim();
  return text === "" ? null : text;
}

// ---- the plan (before) and the report (after) ----------------------------------------

export interface PlanRow {
  module: string;
  label: string;
  fate: "erase" | "keep";
  /** `YYYY-MM-DD` when kept. */
  until: string | null;
  why: string | null;
  /** "will be erased" / "kept until 12.03.2031: proof of consent …" */
  text: string;
}

/** What the text says about a kept module, with as much as the core gave. */
function keptText(until: string | null, why: string | null, lang: Language): string {
  if (until && why) return translate(lang, "gdpr.erasure.keptUntil", { date: formatDate(until, lang), why });
  if (until) return translate(lang, "gdpr.erasure.keptUntilOnly", { date: formatDate(until, lang) });
  return translate(lang, "gdpr.erasure.keptOnly");
}

/** One line per module in the core's order, in words. Anything but `erase` is kept. */
export function planRows(plan: readonly ErasurePlanLine[], lang: Language): PlanRow[] {
  return plan.map((line) => {
    const label = moduleLabel(line.module, lang);
    if (line.fate === "erase") {
      return {
        module: line.module,
        label,
        fate: "erase",
        until: null,
        why: null,
        text: translate(lang, "gdpr.erasure.willErase"),
      };
    }
    const until = line.until ?? null;
    const why = whyIn(line.why, lang);
    return { module: line.module, label, fate: "keep", until, why, text: keptText(until, why, lang) };
  });
}

export interface ReportRow {
  kind: string;
  label: string;
  erased: number;
  kept: number;
  /** "3 records erased", or null when none were. */
  erasedText: string | null;
  /** "2 records kept until 12.03.2031", or null when none were. */
  keptText: string | null;
  /** Why the kept ones stay, in `lang`. */
  why: string | null;
}

/** One line per kind of record the erasure touched; kinds with nothing in them are left out. */
export function reportRows(parts: readonly ErasedPart[], lang: Language): ReportRow[] {
  return parts
    .filter((p) => p.erased > 0 || p.kept > 0)
    .map((p) => {
      const until = p.kept_until ?? null;
      return {
        kind: p.kind,
        label: partLabel(p.kind, lang),
        erased: p.erased,
        kept: p.kept,
        erasedText: p.erased > 0 ? translateCount(lang, "gdpr.erasure.erasedCount", p.erased) : null,
        keptText:
          p.kept === 0
            ? null
            : until
              ? translateCount(lang, "gdpr.erasure.keptCount", p.kept, { date: formatDate(until, lang) })
              : translateCount(lang, "gdpr.erasure.keptCountNoDate", p.kept),
        why: p.kept > 0 ? whyIn(p.kept_why, lang) : null,
      };
    });
}

/** Totals of a report, for the toast and the summary line. */
export function reportTotals(report: Pick<ErasureReport, "parts">): { erased: number; kept: number } {
  return report.parts.reduce((t, p) => ({ erased: t.erased + p.erased, kept: t.kept + p.kept }), {
    erased: 0,
    kept: 0,
  });
}
