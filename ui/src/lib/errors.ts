// The one error shape the UI sees. The shell rejects every command with the core's
// `ErrorDto` (`{kind, message, detail, rule, subject, event}`); anything else (a thrown
// Error, a string, nothing) is normalised to the same shape here, so screens only ever
// match on `kind` and word the detail by its rule or subject code.

import type { ErrorDto } from "./bindings/ErrorDto";
import type { ErrorKind } from "./bindings/ErrorKind";

/** The core's `ErrorDto`: a stable machine `kind` (the core's closed set, generated, or
 *  the UI's own `ipc.unavailable`), the whole message in English, and its variable part
 *  (`detail`) that the UI words in the chosen language. */
export type AppError = Omit<ErrorDto, "kind"> & { kind: AppErrorKind };
export type AppErrorKind = ErrorKind | "ipc.unavailable";

/** Kinds the UI reacts to by name (a subset of `cuspid::Error::kind` plus the shell's). */
export const Kind = {
  invalidCredentials: "auth.invalid_credentials",
  locked: "auth.locked",
  disabled: "auth.disabled",
  permissionDenied: "auth.permission_denied",
  sessionExpired: "auth.session_expired",
  sessionTimedOut: "auth.session_timed_out",
  keyringUnavailable: "auth.keyring_unavailable",
  /** The account signs in with a second factor too: ask for the code, then try again. */
  totpRequired: "auth.totp_required",
  /** The second-factor code was wrong or already used (counts towards the lockout). */
  invalidCode: "auth.invalid_code",
  /** An administrator or DPO whose session may only set up two-factor sign-in. */
  mfaEnrolmentRequired: "auth.mfa_enrolment_required",
  noSession: "auth.no_session",
  appLocked: "auth.app_locked",
  invalidCnp: "input.invalid_cnp",
  invalidPhone: "input.invalid_phone",
  invalidEmail: "input.invalid_email",
  invalidDate: "input.invalid_date",
  invalidInput: "input.invalid",
  guardianRequired: "input.guardian_required",
  duplicateCnp: "conflict.duplicate_cnp",
  stale: "conflict.stale",
  restricted: "conflict.restricted",
  exists: "conflict.exists",
  notFound: "not_found",
  /** Not from the core: the IPC bridge itself is missing (the page runs outside the app). */
  ipcUnavailable: "ipc.unavailable",
  internal: "internal",
} as const satisfies Record<string, AppErrorKind>;

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

function detailOf(raw: object): string | null {
  const d = (raw as { detail?: unknown }).detail;
  return typeof d === "string" && d !== "" ? d : null;
}

/** The coded parts of a core error (rule, subject, broken audit event), as given. */
function codedOf(raw: object): Pick<AppError, "rule" | "subject" | "event"> {
  const { rule, subject, event } = raw as Pick<AppError, "rule" | "subject" | "event">;
  return {
    ...(rule ? { rule } : {}),
    ...(subject ? { subject } : {}),
    ...(typeof event === "number" ? { event } : {}),
  };
}

/** Turn whatever a rejected `invoke` gave into an `AppError`. */
export function toAppError(raw: unknown): AppError {
  if (isAppError(raw)) return { kind: raw.kind, message: raw.message, detail: detailOf(raw), ...codedOf(raw) };
  if (typeof raw === "object" && raw !== null && typeof (raw as { kind?: unknown }).kind === "string") {
    const message = (raw as { message?: unknown }).message;
    return {
      kind: (raw as { kind: AppErrorKind }).kind,
      message: message == null ? "" : String(message),
      detail: detailOf(raw),
      ...codedOf(raw),
    };
  }
  if (typeof raw === "string") {
    // Some IPC layers hand the serialized object over as text.
    const trimmed = raw.trim();
    if (trimmed.startsWith("{")) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (isAppError(parsed)) return { kind: parsed.kind, message: parsed.message, detail: detailOf(parsed), ...codedOf(parsed) };
      } catch {
        // not JSON: fall through to a plain message
      }
    }
    return { kind: Kind.internal, message: raw, detail: raw };
  }
  if (raw instanceof Error) {
    // `invoke` outside a Tauri window throws a TypeError before any IPC happens.
    const kind = raw instanceof TypeError ? Kind.ipcUnavailable : Kind.internal;
    return { kind, message: raw.message, detail: raw.message || null };
  }
  const message = raw === undefined || raw === null ? "" : String(raw);
  return { kind: Kind.internal, message, detail: message || null };
}

/** Kinds that mean the session is gone: back to the login screen, saying why. Signed
 *  out; the clinic key rotated or the role changed; idle or at its maximum length; the
 *  account disabled while signed in. */
export function endsSession(e: AppError): boolean {
  return (
    e.kind === Kind.noSession ||
    e.kind === Kind.sessionExpired ||
    e.kind === Kind.sessionTimedOut ||
    e.kind === Kind.disabled
  );
}

/** The app was locked (idle timer or another window): show the lock screen. */
export function meansLocked(e: AppError): boolean {
  return e.kind === Kind.appLocked;
}

/** The session may do nothing but set up two-factor sign-in: show the enrolment. */
export function meansEnrolmentRequired(e: AppError): boolean {
  return e.kind === Kind.mfaEnrolmentRequired;
}

/**
 * Kinds whose detail says something the UI cannot say itself (which field, which
 * rule, until when). For these the localized headline is followed by the detail.
 */
const DETAIL_KINDS = new Set<string>([
  "auth.locked",
  "auth.keyring_unavailable",
  "input.invalid_cnp",
  "input.invalid_phone",
  "input.invalid_email",
  "input.invalid_date",
  "input.invalid",
  "conflict.exists",
  "not_found",
  "integrity.tampered",
  "integrity.audit_chain_broken",
  "storage.insecure_connection",
  "storage.database",
  "storage.io",
  "internal",
  "ipc.unavailable",
]);

export interface ErrorText {
  /** Localized, says what happened. */
  text: string;
  /** The detail in the chosen language where it has a wording, else the core's words. */
  detail: string | null;
}

/**
 * What to show for an error. `lookup` returns the localized text for a kind, or null
 * when the dictionary has none (then the core's message is all there is); `word`
 * gives the detail in the chosen language, from the error's rule or subject code
 * (null: keep the core's English).
 */
export function describeError(
  e: AppError,
  lookup: (kind: string) => string | null,
  word: (e: AppError) => string | null = () => null,
): ErrorText {
  const text = lookup(e.kind);
  if (text === null) return { text: sentence(e.message || e.kind), detail: null };
  const raw = e.detail ?? null;
  const detail = DETAIL_KINDS.has(e.kind) && raw ? sentence(word(e) ?? raw) : null;
  return { text: sentence(text), detail };
}

/** A message as a banner shows it: a sentence, its first letter a capital (the core words rules in lower case, to fit inside its own messages). */
export function sentence(text: string): string {
  const first = text.codePointAt(0);
  if (first === undefined) return text;
  const head = String.fromCodePoint(first);
  return head.toLocaleUpperCase() + text.slice(head.length);
}
