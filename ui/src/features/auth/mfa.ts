// Two-factor sign-in as the UI shows and checks it: the secret in groups of four for
// typing by hand, and a typed code (the six digits of the authenticator app, or a
// recovery code like `abcde-fghij`) in the shape the core reads. The core decides
// whether a code is right; this only keeps a mistyped one from costing a try.

import type { Role } from "../../lib/bindings/Role";

/** Digits of a code from the authenticator app (RFC 6238, 30-second steps). */
export const TOTP_DIGITS = 6;

/** The longest code a sign-in field takes: a recovery code with room for stray spaces. */
export const CODE_MAX = 16;

/** From this many recovery codes left, Settings suggests setting up again for new ones. */
export const FEW_RECOVERY_CODES = 3;

/** Whether a role must sign in with a second factor (as the core rules: administrators
 *  and the DPO); for what the screens say, the core enforces it. */
export function mfaRequired(role: Role): boolean {
  return role === "admin" || role === "dpo";
}

/** The base32 secret in groups of four (the last may be shorter), for typing by hand. */
export function groupSecret(secret: string): string[] {
  const clean = secret.replace(/[\s=-]/g, "").toUpperCase();
  return clean.match(/.{1,4}/g) ?? [];
}

export type CodeKind = "totp" | "recovery";

const RECOVERY = /^[a-z2-7]{5}[-\s]?[a-z2-7]{5}$/;

/** What a typed code is: six digits (a space in between allowed, as some apps show
 *  "123 456"), a recovery code (ten letters a-z and digits 2-7, in two fives), or neither. */
export function codeKind(typed: string): CodeKind | null {
  const trimmed = typed.trim();
  if (new RegExp(`^[0-9]{${TOTP_DIGITS}}$`).test(trimmed.replace(/\s/g, ""))) return "totp";
  if (RECOVERY.test(trimmed.toLowerCase())) return "recovery";
  return null;
}

/** The code as sent to the core: six digits without spaces, a recovery code as
 *  `abcde-fghij`; anything else trimmed, for the core to refuse. */
export function normaliseCode(typed: string): string {
  const kind = codeKind(typed);
  if (kind === "totp") return typed.replace(/\s/g, "");
  if (kind === "recovery") {
    const letters = typed.toLowerCase().replace(/[^a-z2-7]/g, "");
    return `${letters.slice(0, 5)}-${letters.slice(5)}`;
  }
  return typed.trim();
}
