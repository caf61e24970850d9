// The data-subject request log as the DPO reads it. The core sets every deadline and
// sorts the log; this module only words where a request stands on a given day.

import { parseIsoDate } from "../../lib/age";
import type { Language } from "../../lib/bindings/Language";
import type { NewRequest } from "../../lib/bindings/NewRequest";
import type { RequestDto } from "../../lib/bindings/RequestDto";
import type { RequestKind } from "../../lib/bindings/RequestKind";
import type { RequestOutcome } from "../../lib/bindings/RequestOutcome";
import { formatDate } from "../../lib/format";
import { translate, translateCount } from "../../lib/i18n/index";

export const REQUEST_KINDS: readonly RequestKind[] = [
  "access",
  "rectification",
  "erasure",
  "restriction",
  "portability",
  "objection",
];

export const REQUEST_OUTCOMES: readonly RequestOutcome[] = ["granted", "partly_granted", "refused", "withdrawn"];

/** By how many months a deadline can be extended (the core refuses anything else). */
export type ExtensionMonths = 1 | 2;

/** Calendar days from `from` to `to` (both `YYYY-MM-DD`), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number | null {
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  if (!a || !b) return null;
  const day = (d: { year: number; month: number; day: number }) => Date.UTC(d.year, d.month - 1, d.day);
  return Math.round((day(b) - day(a)) / 86_400_000);
}

export type RequestState =
  | { kind: "closed"; on: string; outcome: RequestOutcome | null }
  | { kind: "overdue"; deadline: string; daysLate: number | null }
  | { kind: "extended"; to: string; daysLeft: number | null }
  | { kind: "due"; deadline: string; daysLeft: number | null };

type StateFields = Pick<RequestDto, "deadline" | "extended_to" | "closed_on" | "outcome" | "overdue">;

/**
 * Where a request stands on `today`. The core's `overdue` flag wins; a deadline that
 * passed since the list was loaded (a screen left open overnight) also counts.
 */
export function requestState(r: StateFields, today: string): RequestState {
  if (r.closed_on) return { kind: "closed", on: r.closed_on, outcome: r.outcome };
  const days = daysBetween(today, r.deadline);
  if (r.overdue || (days !== null && days < 0)) {
    return { kind: "overdue", deadline: r.deadline, daysLate: days !== null && days < 0 ? -days : null };
  }
  if (r.extended_to) return { kind: "extended", to: r.extended_to, daysLeft: days };
  return { kind: "due", deadline: r.deadline, daysLeft: days };
}

/** Open requests due within this many days are flagged. */
export const DUE_SOON_DAYS = 7;

export type StateTone = "danger" | "warning" | "neutral";

export interface StateText {
  /** The badge: "Overdue", "Due in 3 days", "Extended to 02/03/2027", "Closed …". */
  text: string;
  /** A second line where it adds something (days late, days left after an extension). */
  detail: string | null;
  tone: StateTone;
}

/** The badge class for each tone. */
export const STATE_BADGE: Record<StateTone, string> = {
  danger: "badge badge-overdue",
  warning: "badge badge-warning",
  neutral: "badge",
};

function dueText(days: number | null, deadline: string, lang: Language): string {
  if (days === null) return translate(lang, "requests.state.dueOn", { date: formatDate(deadline, lang) });
  if (days === 0) return translate(lang, "requests.state.dueToday");
  return translateCount(lang, "requests.state.dueIn", days);
}

/** A request's state in words, for the list and the detail. */
export function describeState(state: RequestState, lang: Language): StateText {
  switch (state.kind) {
    case "closed":
      return {
        text: translate(lang, "requests.state.closed", {
          date: formatDate(state.on, lang),
          outcome: state.outcome ? translate(lang, `requests.outcome.${state.outcome}`) : "—",
        }),
        detail: null,
        tone: "neutral",
      };
    case "overdue":
      return {
        text: translate(lang, "requests.state.overdue"),
        detail:
          state.daysLate === null
            ? null
            : translateCount(lang, "requests.state.late", state.daysLate),
        tone: "danger",
      };
    case "extended":
      return {
        text: translate(lang, "requests.state.extended", { date: formatDate(state.to, lang) }),
        detail: dueText(state.daysLeft, state.to, lang),
        tone: state.daysLeft !== null && state.daysLeft <= DUE_SOON_DAYS ? "warning" : "neutral",
      };
    case "due":
      return {
        text: dueText(state.daysLeft, state.deadline, lang),
        detail: null,
        tone: state.daysLeft !== null && state.daysLeft <= DUE_SOON_DAYS ? "warning" : "neutral",
      };
  }
}

/**
 * Whether the deadline can still be extended on `today`: open, never extended, and
 * within the first month (the core's rule; it refuses anything else regardless).
 */
export function extensionAllowed(
  r: Pick<RequestDto, "closed_on" | "extended_to" | "due_on">,
  today: string,
): "yes" | "closed" | "extended" | "too_late" {
  if (r.closed_on) return "closed";
  if (r.extended_to) return "extended";
  const days = daysBetween(today, r.due_on);
  return days !== null && days < 0 ? "too_late" : "yes";
}

/** Where the extension letter goes unless the DPO types another path (no name in it). */
export function defaultLetterPath(r: Pick<RequestDto, "id" | "received_on">, lang: Language): string {
  const stem = lang === "ro" ? "cuspid-scrisoare-prelungire" : "cuspid-extension-letter";
  const tail = r.id.replace(/[^0-9a-fA-F]/g, "").slice(-6).toLowerCase();
  return `~/${stem}-${r.received_on}${tail ? `-${tail}` : ""}.pdf`;
}

// ---- the form that logs a request ------------------------------------------------

export interface RequestForm {
  patientId: string | null;
  kind: RequestKind;
  /** `YYYY-MM-DD`, or "" while the typed date is incomplete or not a date. */
  receivedOn: string;
  /** A linked guardian's patient id, or "" when the patient asks. */
  via: string;
  identityCheck: string;
}

export function emptyRequestForm(today: string): RequestForm {
  return { patientId: null, kind: "access", receivedOn: today, via: "", identityCheck: "" };
}

export interface RequestFormProblems {
  patient: "missing" | null;
  received: "missing" | "future" | null;
  identity: "missing" | null;
}

/** What to correct before sending (the core checks all of it again). */
export function requestFormProblems(f: RequestForm, today: string): RequestFormProblems {
  return {
    patient: f.patientId ? null : "missing",
    received: f.receivedOn === "" ? "missing" : f.receivedOn > today ? "future" : null,
    identity: f.identityCheck.trim() === "" ? "missing" : null,
  };
}

export function hasProblems(p: RequestFormProblems): boolean {
  return p.patient !== null || p.received !== null || p.identity !== null;
}

export function toNewRequest(f: RequestForm): NewRequest {
  return {
    patient_id: f.patientId ?? "",
    kind: f.kind,
    received_on: f.receivedOn,
    via_guardian: f.via === "" ? null : f.via,
    identity_check: f.identityCheck.trim(),
  };
}
