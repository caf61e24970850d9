// The breach register (GDPR Art. 33, 34) as the DPO keeps it. The core seals the facts,
// numbers the breaches, keeps the 72-hour clock and refuses a late notice without its
// reason; this module only turns the form's local times into RFC 3339 (with this
// computer's offset), words where a breach stands at a given moment and says what to
// correct in a form before it is sent.

import type { AffectedScope } from "../../lib/bindings/AffectedScope";
import type { BreachDto } from "../../lib/bindings/BreachDto";
import type { Language } from "../../lib/bindings/Language";
import type { NewBreach } from "../../lib/bindings/NewBreach";
import type { Risk } from "../../lib/bindings/Risk";
import { translate, translateCount } from "../../lib/i18n/index";
import { localInputToRfc3339, pad, parseLocalInput, toLocalInput } from "../../lib/localTime";

/** What a breach compromised (the core's `NATURES`), in its order. */
export const BREACH_NATURES = ["confidentiality", "integrity", "availability"] as const;
export type BreachNature = (typeof BREACH_NATURES)[number];

/** The risk levels, most serious first (as the form offers them). */
export const RISKS: readonly Risk[] = ["high", "risk", "none"];

/** The authority is told within this many hours of discovery (Art. 33(1)). */
export const NOTIFY_WITHIN_HOURS = 72;

/** The longest text the core keeps in one field of the register (in characters). */
export const BREACH_TEXT_MAX = 4000;

const HOUR = 3_600_000;
const MINUTE = 60_000;

export function isBreachNature(value: string): value is BreachNature {
  return (BREACH_NATURES as readonly string[]).includes(value);
}

// ---- the 72-hour clock ----------------------------------------------------------------

export type DeadlineState =
  /** The notice went out; `late` when after the 72 hours. */
  | { kind: "notified"; at: string; late: boolean }
  /** Assessed as unlikely to harm anyone: recorded, no notice required (Art. 33(1)). */
  | { kind: "not_required"; notifyBy: string }
  | { kind: "overdue"; notifyBy: string; msLate: number | null }
  | { kind: "due"; notifyBy: string; msLeft: number | null };

type DeadlineFields = Pick<BreachDto, "notify_by" | "authority_notified_at" | "overdue" | "risk">;

/**
 * Where the notice to the authority stands at `now`. The core's `overdue` wins; a
 * deadline that passed since the breach was read (a screen left open) also counts.
 */
export function deadlineState(b: DeadlineFields, now: Date): DeadlineState {
  const by = Date.parse(b.notify_by);
  if (b.authority_notified_at) {
    const at = Date.parse(b.authority_notified_at);
    return { kind: "notified", at: b.authority_notified_at, late: !Number.isNaN(by) && at > by };
  }
  if (b.risk === "none") return { kind: "not_required", notifyBy: b.notify_by };
  const left = Number.isNaN(by) ? null : by - now.getTime();
  if (b.overdue || (left !== null && left <= 0)) {
    return { kind: "overdue", notifyBy: b.notify_by, msLate: left === null ? null : -left };
  }
  return { kind: "due", notifyBy: b.notify_by, msLeft: left };
}

/**
 * Whether a notice sent at `now` is past the 72 hours (then the core wants the reason
 * for the delay), whatever the risk and whether or not one went out before.
 */
export function noticeIsLate(b: Pick<BreachDto, "notify_by">, now: Date): boolean {
  const by = Date.parse(b.notify_by);
  return !Number.isNaN(by) && now.getTime() > by;
}

export type DeadlineTone = "danger" | "warning" | "success" | "neutral";

export const DEADLINE_BADGE: Record<DeadlineTone, string> = {
  danger: "badge badge-overdue",
  warning: "badge badge-warning",
  success: "badge badge-success",
  neutral: "badge",
};

export interface DeadlineText {
  /** The badge: "31 h 20 min left", "Overdue", "Notified 25/11/2026 10:00". */
  text: string;
  /** A second line where it adds something (how late, by when). */
  detail: string | null;
  tone: DeadlineTone;
}

/** Time left as a countdown: "31 h 05 min left" / "12 min left". */
export function countdownText(ms: number, lang: Language): string {
  const minutes = Math.max(0, Math.ceil(ms / MINUTE));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0
    ? translate(lang, "breaches.deadline.leftHours", { h, m: pad(m) })
    : translate(lang, "breaches.deadline.leftMinutes", { m });
}

/** How late: "8 hours late", under two days in hours, then in days. */
export function lateText(ms: number, lang: Language): string {
  const hours = Math.floor(Math.max(0, ms) / HOUR);
  if (hours < 1) return translate(lang, "breaches.deadline.lateUnderHour");
  if (hours < 48) return translateCount(lang, "breaches.deadline.lateHours", hours);
  return translateCount(lang, "breaches.deadline.lateDays", Math.floor(hours / 24));
}

/** The deadline in words, for the list and the detail; `formatMoment` writes a time. */
export function describeDeadline(
  state: DeadlineState,
  lang: Language,
  formatMoment: (rfc3339: string) => string,
): DeadlineText {
  switch (state.kind) {
    case "notified":
      return {
        text: translate(lang, "breaches.deadline.notified", { time: formatMoment(state.at) }),
        detail: state.late ? translate(lang, "breaches.deadline.notifiedLate") : null,
        tone: "success",
      };
    case "not_required":
      return {
        text: translate(lang, "breaches.deadline.notRequired"),
        detail: translate(lang, "breaches.deadline.notRequiredDetail"),
        tone: "neutral",
      };
    case "overdue":
      return {
        text: translate(lang, "breaches.deadline.overdue"),
        detail: state.msLate === null ? null : lateText(state.msLate, lang),
        tone: "danger",
      };
    case "due":
      return {
        text:
          state.msLeft === null
            ? translate(lang, "breaches.deadline.by", { time: formatMoment(state.notifyBy) })
            : countdownText(state.msLeft, lang),
        detail: translate(lang, "breaches.deadline.by", { time: formatMoment(state.notifyBy) }),
        tone: "warning",
      };
  }
}

// ---- the form that records a breach -------------------------------------------------------

export interface BreachForm {
  /** `datetime-local` values ("" while empty or incomplete). */
  discoveredAt: string;
  occurredFrom: string;
  occurredTo: string;
  nature: Record<BreachNature, boolean>;
  description: string;
  dataCategories: string;
  consequences: string;
  measuresTaken: string;
  measuresProposed: string;
  risk: Risk;
}

/** The free-text fields of the form, each required and at most 4000 characters. */
export const BREACH_TEXT_FIELDS = [
  "description",
  "dataCategories",
  "consequences",
  "measuresTaken",
  "measuresProposed",
] as const;
export type BreachTextField = (typeof BREACH_TEXT_FIELDS)[number];

/**
 * A blank form, discovered `now`. The risk starts at "risk" (notify the authority):
 * Art. 33(1) makes notice the rule, and "unlikely to harm" the DPO's considered exception.
 */
export function emptyBreachForm(now: Date): BreachForm {
  return {
    discoveredAt: toLocalInput(now),
    occurredFrom: "",
    occurredTo: "",
    nature: { confidentiality: false, integrity: false, availability: false },
    description: "",
    dataCategories: "",
    consequences: "",
    measuresTaken: "",
    measuresProposed: "",
    risk: "risk",
  };
}

export type TextProblem = "missing" | "too_long" | null;

export interface BreachFormProblems {
  discovered: "missing" | "invalid" | "future" | null;
  occurredFrom: "invalid" | null;
  occurredTo: "invalid" | "before_start" | null;
  nature: "missing" | null;
  texts: Record<BreachTextField, TextProblem>;
}

function textProblem(value: string): TextProblem {
  const v = value.trim();
  if (v === "") return "missing";
  return [...v].length > BREACH_TEXT_MAX ? "too_long" : null;
}

/** What to correct before sending, by the core's rules (it checks all of it again). */
export function breachFormProblems(f: BreachForm, now: Date): BreachFormProblems {
  const discovered = parseLocalInput(f.discoveredAt);
  const from = parseLocalInput(f.occurredFrom);
  const to = parseLocalInput(f.occurredTo);
  const texts = {} as Record<BreachTextField, TextProblem>;
  for (const field of BREACH_TEXT_FIELDS) texts[field] = textProblem(f[field]);
  return {
    discovered:
      f.discoveredAt.trim() === ""
        ? "missing"
        : !discovered
          ? "invalid"
          : discovered.getTime() > now.getTime()
            ? "future"
            : null,
    occurredFrom: f.occurredFrom.trim() !== "" && !from ? "invalid" : null,
    occurredTo:
      f.occurredTo.trim() !== "" && !to
        ? "invalid"
        : from && to && to.getTime() < from.getTime()
          ? "before_start"
          : null,
    nature: BREACH_NATURES.some((n) => f.nature[n]) ? null : "missing",
    texts,
  };
}

export function hasBreachProblems(p: BreachFormProblems): boolean {
  return (
    p.discovered !== null ||
    p.occurredFrom !== null ||
    p.occurredTo !== null ||
    p.nature !== null ||
    BREACH_TEXT_FIELDS.some((f) => p.texts[f] !== null)
  );
}

/** The `open_breach` argument for a form without problems. */
export function toNewBreach(f: BreachForm): NewBreach {
  return {
    discovered_at: localInputToRfc3339(f.discoveredAt) ?? "",
    occurred_from: localInputToRfc3339(f.occurredFrom),
    occurred_to: localInputToRfc3339(f.occurredTo),
    nature: BREACH_NATURES.filter((n) => f.nature[n]),
    description: f.description.trim(),
    data_categories: f.dataCategories.trim(),
    consequences: f.consequences.trim(),
    measures_taken: f.measuresTaken.trim(),
    measures_proposed: f.measuresProposed.trim(),
    risk: f.risk,
  };
}

// ---- finding the people affected ----------------------------------------------------------

export type ScopeBy = AffectedScope["by"];
export const SCOPES: readonly ScopeBy[] = ["staff", "workstation", "all_patients"];

export interface AffectedForm {
  by: ScopeBy;
  username: string;
  workstation: string;
  /** `datetime-local` values. */
  from: string;
  to: string;
}

/** How far back a search looks by default when the breach's start is not known. */
export const DEFAULT_LOOKBACK_HOURS = 24;

/**
 * Start from the breach's own window where it is known; otherwise from a day before its
 * discovery up to `now` (rounded up to the minute, so the last events are in).
 */
export function affectedFormFor(
  b: Pick<BreachDto, "occurred_from" | "occurred_to" | "discovered_at">,
  now: Date,
): AffectedForm {
  const discovered = Date.parse(b.discovered_at);
  const from =
    b.occurred_from ??
    (Number.isNaN(discovered) ? null : new Date(discovered - DEFAULT_LOOKBACK_HOURS * HOUR));
  const to = b.occurred_to ?? new Date(Math.ceil(now.getTime() / MINUTE) * MINUTE);
  return { by: "staff", username: "", workstation: "", from: toLocalInput(from), to: toLocalInput(to) };
}

export interface AffectedFormProblems {
  who: "missing" | null;
  from: "missing" | "invalid" | null;
  to: "missing" | "invalid" | "before_start" | null;
}

export function affectedFormProblems(f: AffectedForm): AffectedFormProblems {
  if (f.by === "all_patients") return { who: null, from: null, to: null };
  const who = f.by === "staff" ? f.username : f.workstation;
  const from = parseLocalInput(f.from);
  const to = parseLocalInput(f.to);
  return {
    who: who.trim() === "" ? "missing" : null,
    from: f.from.trim() === "" ? "missing" : !from ? "invalid" : null,
    to:
      f.to.trim() === ""
        ? "missing"
        : !to
          ? "invalid"
          : from && to.getTime() < from.getTime()
            ? "before_start"
            : null,
  };
}

export function hasAffectedProblems(p: AffectedFormProblems): boolean {
  return p.who !== null || p.from !== null || p.to !== null;
}

/** The `find_affected` scope for a form without problems. */
export function toAffectedScope(f: AffectedForm): AffectedScope {
  const from = localInputToRfc3339(f.from) ?? "";
  const to = localInputToRfc3339(f.to) ?? "";
  switch (f.by) {
    case "staff":
      return { by: "staff", username: f.username.trim(), from, to };
    case "workstation":
      return { by: "workstation", name: f.workstation.trim(), from, to };
    case "all_patients":
      return { by: "all_patients" };
  }
}

// ---- the notices ----------------------------------------------------------------------

/** Where the notice to ANSPDCP goes unless the DPO types another path. */
export function defaultAuthorityPath(reference: string, lang: Language): string {
  const stem = lang === "ro" ? "cuspid-notificare-anspdcp" : "cuspid-anspdcp-notice";
  const ref = reference.replace(/[^0-9A-Za-z-]/g, "");
  return `~/${stem}${ref ? `-${ref}` : ""}.pdf`;
}

/** The merged print file among the letters written (the shell lists it first). */
export function mergedLettersPath(written: readonly string[]): string | null {
  return written.find((p) => /(^|[\\/])all-letters\.pdf$/.test(p)) ?? written[0] ?? null;
}
