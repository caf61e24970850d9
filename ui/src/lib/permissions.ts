// Screens and buttons follow the session's permissions (the core still enforces them).

import type { SessionInfo } from "./bindings/SessionInfo";

/** `Action::as_str` names from the core's permission table. */
export type ActionName =
  | "patient.register"
  | "patient.search"
  | "patient.read"
  | "patient.update"
  | "patient.history"
  | "staff.list"
  | "staff.manage"
  | "keys.rotate"
  | "audit.verify"
  | "audit.list"
  | "workstation.enroll"
  | "staff.own_password"
  | "staff.own_mfa"
  | "consent.record"
  | "notice.read"
  | "notice.manage"
  | "settings.read"
  | "settings.manage"
  | "request.manage"
  | "patient.restrict"
  | "patient.export"
  | "patient.erase"
  | "retention.manage"
  | "breach.manage"
  | "chart.read"
  | "chart.write"
  | "catalogue.manage";

export function can(session: SessionInfo | null | undefined, action: ActionName): boolean {
  return !!session && session.permissions.includes(action);
}

export type Section = "patients" | "requests" | "breaches" | "register" | "staff" | "audit" | "settings";

/** The left navigation for a session, in order. */
export function sectionsFor(session: SessionInfo | null | undefined): Section[] {
  const out: Section[] = [];
  if (can(session, "patient.search") || can(session, "patient.register")) out.push("patients");
  if (can(session, "request.manage")) out.push("requests");
  if (can(session, "breach.manage")) out.push("breaches");
  if (can(session, "retention.manage")) out.push("register");
  if (can(session, "staff.list")) out.push("staff");
  // After the staff list: an administrator's first screen stays the staff list.
  if (can(session, "audit.list")) out.push("audit");
  if (can(session, "settings.read")) out.push("settings");
  return out;
}
