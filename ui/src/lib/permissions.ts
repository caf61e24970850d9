// Screens and buttons follow the session's permissions (the core still enforces them).

import type { Action } from "./bindings/Action";
import type { SessionInfo } from "./bindings/SessionInfo";

/** `action` is one of the core's permission names (`cuspid::auth::Action`, generated). */
export function can(session: SessionInfo | null | undefined, action: Action): boolean {
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
