// The patient form as the screens hold it (plain strings) and its conversion to the
// core's inputs: blank means "none", and an edit sends only what changed.

import type { ConsentInput } from "../../lib/bindings/ConsentInput";
import type { GuardianInput } from "../../lib/bindings/GuardianInput";
import type { NewPatient } from "../../lib/bindings/NewPatient";
import type { PatientChanges } from "../../lib/bindings/PatientChanges";
import type { PatientFields } from "../../lib/bindings/PatientFields";

export const PATIENT_FIELDS = [
  "first_name",
  "last_name",
  "cnp",
  "birth_date",
  "sex",
  "phone",
  "email",
  "address",
  "emergency_contact",
  "language",
] as const satisfies readonly (keyof PatientFields)[];

export type PatientFieldName = (typeof PATIENT_FIELDS)[number];

export type PatientForm = Record<PatientFieldName, string>;

/** The languages a patient's letters can be written in; blank in the form is the clinic's. */
export const LETTER_LANGUAGES = ["ro", "en"] as const;

export type LetterLanguageKey = "patient.letterLanguage.default" | `patient.letterLanguage.${(typeof LETTER_LANGUAGES)[number]}`;

/**
 * The dictionary key wording a patient's language for letters (blank: the clinic's),
 * or null for a value the UI does not know.
 */
export function letterLanguageKey(value: string | null | undefined): LetterLanguageKey | null {
  const v = value?.trim() ?? "";
  if (v === "") return "patient.letterLanguage.default";
  return (LETTER_LANGUAGES as readonly string[]).includes(v) ? (`patient.letterLanguage.${v}` as LetterLanguageKey) : null;
}

export function emptyForm(): PatientForm {
  return Object.fromEntries(PATIENT_FIELDS.map((k) => [k, ""])) as PatientForm;
}

export function formFromPatient(p: PatientFields): PatientForm {
  return Object.fromEntries(PATIENT_FIELDS.map((k) => [k, p[k] ?? ""])) as PatientForm;
}

const orNull = (v: string): string | null => {
  const t = v.trim();
  return t === "" ? null : t;
};

export function toNewPatient(
  form: PatientForm,
  guardian: GuardianInput | null,
  consents: ConsentInput[],
): NewPatient {
  return {
    first_name: form.first_name.trim(),
    last_name: form.last_name.trim(),
    cnp: orNull(form.cnp.replace(/\s+/g, "")),
    birth_date: orNull(form.birth_date),
    sex: orNull(form.sex),
    phone: orNull(form.phone),
    email: orNull(form.email),
    address: orNull(form.address),
    emergency_contact: orNull(form.emergency_contact),
    language: orNull(form.language),
    guardian,
    consents,
  };
}

/**
 * The fields that differ from the record: `null` keeps a field, `""` clears it.
 * Null when nothing changed.
 */
export function diffChanges(before: PatientFields, form: PatientForm): PatientChanges | null {
  const changes: PatientChanges = {
    first_name: null,
    last_name: null,
    cnp: null,
    birth_date: null,
    sex: null,
    phone: null,
    email: null,
    address: null,
    emergency_contact: null,
    language: null,
  };
  let any = false;
  for (const k of PATIENT_FIELDS) {
    const now = k === "cnp" ? form[k].replace(/\s+/g, "") : form[k].trim();
    if (now !== (before[k] ?? "").trim()) {
      changes[k] = now;
      any = true;
    }
  }
  return any ? changes : null;
}

/** The changed field names of an edit, in form order. */
export function changedFieldNames(changes: PatientChanges): PatientFieldName[] {
  return PATIENT_FIELDS.filter((k) => changes[k] !== null && changes[k] !== undefined);
}
