// The record of processing activities (GDPR Art. 30) as the DPO reads and edits it.
// The core owns the register, checks every change and writes the exports; this module
// only mirrors its checks for the edit form and names the files the exports go to.

import type { ActivityDto } from "../../lib/bindings/ActivityDto";
import type { ActivityInput } from "../../lib/bindings/ActivityInput";
import type { DpoContact } from "../../lib/bindings/DpoContact";
import type { Language } from "../../lib/bindings/Language";

// ---- the exports ---------------------------------------------------------------------

export type ExportFormat = "pdf" | "csv";

export const EXPORT_FORMATS: readonly ExportFormat[] = ["pdf", "csv"];

/**
 * Where an export goes unless the DPO types another path: the home folder (it always
 * exists, unlike a "Documents" folder whose name depends on the system's language),
 * named in the chosen language and dated, since the register changes over time.
 */
export function defaultRegisterPath(format: ExportFormat, lang: Language, today: string): string {
  const stem = lang === "ro" ? "cuspid-registru-art30" : "cuspid-article30-register";
  return `~/${stem}-${today}.${format}`;
}

/**
 * The path with the extension of the chosen format: a trailing `.pdf` or `.csv` is
 * swapped, a file name without an extension gets one, any other extension the DPO
 * typed is kept as written.
 */
export function pathForFormat(path: string, format: ExportFormat): string {
  const trimmed = path.trim();
  if (trimmed === "") return "";
  if (/\.(pdf|csv)$/i.test(trimmed)) return trimmed.replace(/\.(pdf|csv)$/i, `.${format}`);
  const name = trimmed.split(/[\\/]/).pop() ?? "";
  if (name === "" || name === "~") return trimmed;
  return name.includes(".") && !name.startsWith(".") ? trimmed : `${trimmed}.${format}`;
}

// ---- the controller ---------------------------------------------------------------------

/** The DPO in one line, as the register prints it: name, e-mail, phone (what is given). */
export function dpoLine(dpo: DpoContact): string {
  return [dpo.name, dpo.email, dpo.phone]
    .map((p) => (p ?? "").trim())
    .filter((p) => p !== "")
    .join(", ");
}

// ---- the edit form ----------------------------------------------------------------------

/** The text fields of an activity, every one required by the core. */
export const ACTIVITY_TEXT_FIELDS = [
  "name",
  "purpose",
  "data_categories",
  "data_subjects",
  "legal_basis",
  "recipients",
  "transfers",
  "security_measures",
] as const;

export type ActivityTextField = (typeof ACTIVITY_TEXT_FIELDS)[number];

export interface ActivityForm {
  name: string;
  purpose: string;
  data_categories: string;
  data_subjects: string;
  legal_basis: string;
  /** Retention categories (`medical_records`, ...), kept in the schedule's order. */
  retention_categories: string[];
  /** "" when there is none. */
  retention_note: string;
  recipients: string;
  transfers: string;
  security_measures: string;
}

export function activityFormFrom(a: ActivityInput | ActivityDto): ActivityForm {
  return {
    name: a.name,
    purpose: a.purpose,
    data_categories: a.data_categories,
    data_subjects: a.data_subjects,
    legal_basis: a.legal_basis,
    retention_categories: [...a.retention_categories],
    retention_note: a.retention_note ?? "",
    recipients: a.recipients,
    transfers: a.transfers,
    security_measures: a.security_measures,
  };
}

export interface ActivityFormProblems {
  /** The required text fields left empty (or only spaces), in the form's order. */
  missing: ActivityTextField[];
  /** Neither a retention category nor a note says how long the data is kept. */
  retention: "missing" | null;
}

/** What to correct before sending: the core's own checks, mirrored (it checks again). */
export function activityFormProblems(f: ActivityForm): ActivityFormProblems {
  return {
    missing: ACTIVITY_TEXT_FIELDS.filter((k) => f[k].trim() === ""),
    retention: f.retention_categories.length === 0 && f.retention_note.trim() === "" ? "missing" : null,
  };
}

export function hasActivityProblems(p: ActivityFormProblems): boolean {
  return p.missing.length > 0 || p.retention !== null;
}

/**
 * Tick or untick a category. The result follows `order` (the schedule's), so the
 * register lists an activity's periods the same way whatever order they were ticked;
 * a category `order` does not know keeps its place at the end.
 */
export function toggleCategory(
  selected: readonly string[],
  category: string,
  on: boolean,
  order: readonly string[],
): string[] {
  const set = new Set(selected);
  if (on) set.add(category);
  else set.delete(category);
  const known = order.filter((c) => set.has(c));
  const unknown = [...set].filter((c) => !order.includes(c));
  return [...known, ...unknown];
}

/** The `updateActivity` argument for a form: every text trimmed, an empty note dropped. */
export function toActivityInput(f: ActivityForm): ActivityInput {
  const note = f.retention_note.trim();
  return {
    name: f.name.trim(),
    purpose: f.purpose.trim(),
    data_categories: f.data_categories.trim(),
    data_subjects: f.data_subjects.trim(),
    legal_basis: f.legal_basis.trim(),
    retention_categories: [...new Set(f.retention_categories)],
    retention_note: note === "" ? null : note,
    recipients: f.recipients.trim(),
    transfers: f.transfers.trim(),
    security_measures: f.security_measures.trim(),
  };
}

/** The register's activities with one replaced by the core's answer, in place. */
export function withActivity(activities: readonly ActivityDto[], changed: ActivityDto): ActivityDto[] {
  return activities.map((a) => (a.code === changed.code ? changed : a));
}
