// The audit log as the DPO and the administrator read it. The core filters, orders
// (oldest first), verifies the chain and writes the CSV; this module only turns the
// filter form into an `AuditFilter`, moves times between the `datetime-local` inputs
// and RFC 3339, and words what the table shows.

import type { AuditFilter } from "../../lib/bindings/AuditFilter";
import type { Language } from "../../lib/bindings/Language";
import { AUDIT_ACTIONS } from "../../lib/bindings/constants";
import { LOCALES } from "../../lib/format";
import { localInputToRfc3339 } from "../../lib/localTime";

/** How many events a listing returns unless the user asks for another number. */
export const DEFAULT_LIMIT = 500;

/** The action names the core writes to the log (generated from `audit::ACTIONS`). The
 *  form also takes any other name typed in. */
export const KNOWN_ACTIONS: readonly string[] = AUDIT_ACTIONS;

/** The known actions grouped by what comes before the dot, in order, for `<optgroup>`s. */
export function actionGroups(actions: readonly string[] = KNOWN_ACTIONS): { group: string; actions: string[] }[] {
  const out: { group: string; actions: string[] }[] = [];
  for (const a of [...actions].sort()) {
    const group = a.includes(".") ? a.slice(0, a.indexOf(".")) : a;
    const last = out[out.length - 1];
    if (last && last.group === group) last.actions.push(a);
    else out.push({ group, actions: [a] });
  }
  return out;
}

/** The action select's value that shows the free-text field. */
export const OTHER_ACTION = "__other__";

/** An event's time as the locale writes it on this computer's clock, to the second. */
export function formatEventTime(rfc3339: string, lang: Language, timeZone?: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    ...(timeZone ? { timeZone } : {}),
  }).format(d);
}

// ---- the filter form --------------------------------------------------------------------

export interface AuditForm {
  /** A patient id (UUID), or "". */
  patient: string;
  /** A staff user name, or "". */
  staff: string;
  /** "" (any), one of the known actions, or `OTHER_ACTION`. */
  action: string;
  /** The action typed in when `action` is `OTHER_ACTION`. */
  actionOther: string;
  /** `datetime-local` values, or "". */
  since: string;
  until: string;
  /** The number typed in ("" for no limit). */
  limit: string;
}

export function emptyAuditForm(patient: string | null = null): AuditForm {
  return {
    patient: patient ?? "",
    staff: "",
    action: "",
    actionOther: "",
    since: "",
    until: "",
    limit: String(DEFAULT_LIMIT),
  };
}

/** Trimmed text, or null when nothing is left. */
export function blankToNull(value: string | null | undefined): string | null {
  const v = (value ?? "").trim();
  return v === "" ? null : v;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value.trim());
}

/** The action the form asks for, or null for any. */
export function formAction(f: Pick<AuditForm, "action" | "actionOther">): string | null {
  return f.action === OTHER_ACTION ? blankToNull(f.actionOther) : blankToNull(f.action);
}

/** The limit typed in: null for none, NaN when it is not a whole number of at least 1. */
function parseLimit(text: string): number | null {
  const v = text.trim();
  if (v === "") return null;
  return /^\d+$/.test(v) && Number(v) >= 1 && Number.isSafeInteger(Number(v)) ? Number(v) : Number.NaN;
}

export interface AuditFormProblems {
  patient: "invalid" | null;
  since: "invalid" | null;
  until: "invalid" | null;
  /** The period ends before (or when) it starts: nothing could match. */
  range: "since_after_until" | null;
  limit: "invalid" | null;
}

/** What to correct before listing (the core checks all of it again). */
export function auditFormProblems(f: AuditForm): AuditFormProblems {
  const patient = blankToNull(f.patient);
  const since = blankToNull(f.since);
  const until = blankToNull(f.until);
  const sinceAt = since === null ? null : localInputToRfc3339(since);
  const untilAt = until === null ? null : localInputToRfc3339(until);
  const limit = parseLimit(f.limit);
  return {
    patient: patient !== null && !isUuid(patient) ? "invalid" : null,
    since: since !== null && sinceAt === null ? "invalid" : null,
    until: until !== null && untilAt === null ? "invalid" : null,
    range:
      sinceAt !== null && untilAt !== null && new Date(sinceAt).getTime() >= new Date(untilAt).getTime()
        ? "since_after_until"
        : null,
    limit: limit !== null && Number.isNaN(limit) ? "invalid" : null,
  };
}

export function hasAuditProblems(p: AuditFormProblems): boolean {
  return p.patient !== null || p.since !== null || p.until !== null || p.range !== null || p.limit !== null;
}

/** The filter the core is sent: trimmed, every empty field null, times in RFC 3339. */
export function toAuditFilter(f: AuditForm): AuditFilter {
  const since = blankToNull(f.since);
  const until = blankToNull(f.until);
  const limit = parseLimit(f.limit);
  return {
    patient: blankToNull(f.patient)?.toLowerCase() ?? null,
    staff: blankToNull(f.staff),
    action: formAction(f),
    since: since === null ? null : localInputToRfc3339(since),
    until: until === null ? null : localInputToRfc3339(until),
    limit: limit === null || Number.isNaN(limit) ? null : limit,
  };
}

// ---- the table ------------------------------------------------------------------------------

export type Outcome = "success" | "denied" | "failure";

/** The outcome as the dictionaries know it, or null for a word the core added later. */
export function knownOutcome(outcome: string): Outcome | null {
  return outcome === "success" || outcome === "denied" || outcome === "failure" ? outcome : null;
}

/** The badge class for an outcome: refusals in amber, failures in red, the rest plain. */
export function outcomeClass(outcome: string): string {
  switch (outcome) {
    case "denied":
      return "badge badge-warning";
    case "failure":
      return "badge badge-danger";
    default:
      return "badge";
  }
}

/** A patient id short enough for a table cell (the full id goes in a tooltip). */
export function shortId(id: string | null | undefined): string {
  if (!id) return "";
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

/** Where the CSV goes unless the user types another path. */
export function defaultCsvPath(today: string): string {
  return `~/cuspid-jurnal-audit-${today}.csv`;
}

