// Consent choices at the desk and the minors' rule as the form checks it before
// saving (the core checks it again and refuses with input.guardian_required).

import { isUnderConsentAge } from "../../lib/age";
import type { ConsentInput } from "../../lib/bindings/ConsentInput";
import type { ConsentKind } from "../../lib/bindings/ConsentKind";

export const CONSENT_KINDS: readonly ConsentKind[] = [
  "terms_of_service",
  "privacy_notice",
  "health_data",
  "data_processing",
  "marketing",
  "research",
];

export type ConsentChoice = Record<ConsentKind, boolean>;

/** Nothing ticked in advance: consent is an act of the person (marketing stays off until granted). */
export function noConsents(): ConsentChoice {
  return Object.fromEntries(CONSENT_KINDS.map((k) => [k, false])) as ConsentChoice;
}

/** The grants to record with a registration: the ticked kinds, each with the exact text shown. */
export function registrationConsents(
  choice: ConsentChoice,
  textShown: (kind: ConsentKind) => string,
  givenBy: string | null,
): ConsentInput[] {
  return CONSENT_KINDS.filter((k) => choice[k]).map((kind) => ({
    kind,
    granted: true,
    method: "checkbox",
    text_shown: textShown(kind),
    given_by: givenBy,
  }));
}

export type MinorProblem = "guardian_missing" | "relationship_missing" | "parental_health_consent_missing";

/** What still stops a minor's registration, or null when nothing does (or not a minor). */
export function minorRuleProblem(
  birthDate: string | null,
  guardian: { patient_id: string; relationship: string } | null,
  choice: ConsentChoice,
  today?: string,
): MinorProblem | null {
  if (!isUnderConsentAge(birthDate, today)) return null;
  if (!guardian) return "guardian_missing";
  if (guardian.relationship.trim() === "") return "relationship_missing";
  if (!choice.health_data) return "parental_health_consent_missing";
  return null;
}
