// The edits made to answer a rectification request (GDPR Art. 16), as the DPO reads
// them: one row per changed field, the value before and the value after. The core
// records the edits and says which fields each changed; this module only words them.

import type { HistoryEntryDto } from "../../lib/bindings/HistoryEntryDto";
import type { Language } from "../../lib/bindings/Language";
import { formatDate } from "../../lib/format";
import { hasKey, translate } from "../../lib/i18n/index";
import { letterLanguageKey } from "../patients/patientForm";

/** How an empty value (never set, or cleared by the edit) is shown. */
export const EMPTY_VALUE = "—";

export interface EditRow {
  /** The field's name as the core writes it (`phone`, `last_name`, …). */
  field: string;
  /** The field's label, as the history of changes shows it. */
  label: string;
  before: string;
  after: string;
}

/** A field's label in `lang` (the history panel's), or its name when there is none. */
export function fieldLabel(field: string, lang: Language): string {
  const key = `field.${field}`;
  return hasKey(key) ? translate(lang, key) : field;
}

/**
 * One value as a person reads it: empty as a dash, a birth date, sex and the language
 * for letters as the locale words them.
 */
export function showValue(field: string, value: string | null | undefined, lang: Language): string {
  const v = value?.trim() ?? "";
  if (v === "") return EMPTY_VALUE;
  if (field === "birth_date") return formatDate(v, lang);
  if (field === "sex") {
    const key = `sex.${v}`;
    return hasKey(key) ? translate(lang, key) : v;
  }
  if (field === "language") {
    const key = letterLanguageKey(v);
    return key ? translate(lang, key) : v;
  }
  return v;
}

type Values = Partial<Record<string, string | null>>;

/** The rows of one edit: only the fields it changed, in the order the core lists them. */
export function editRows(
  entry: Pick<HistoryEntryDto, "changed_fields" | "previous" | "after">,
  lang: Language,
): EditRow[] {
  const before = entry.previous as Values;
  const after = entry.after as Values;
  const seen = new Set<string>();
  const rows: EditRow[] = [];
  for (const field of entry.changed_fields) {
    if (seen.has(field)) continue;
    seen.add(field);
    rows.push({
      field,
      label: fieldLabel(field, lang),
      before: showValue(field, before[field], lang),
      after: showValue(field, after[field], lang),
    });
  }
  return rows;
}
