// Showing the recovery key so that a person can copy it by hand without mistakes.

import type { Language } from "../../lib/bindings/Language";

/** The key's groups (the core writes `ABCD-EFGH-...`); a key without dashes is cut in fours. */
export function groupRecoveryKey(key: string): string[] {
  const parts = key.trim().split(/[\s-]+/).filter((p) => p !== "");
  if (parts.length === 1 && parts[0]!.length > 8) {
    return parts[0]!.match(/.{1,4}/g) ?? [];
  }
  return parts;
}

/** Where the printable sheet goes unless the person types another path. */
export function defaultRecoveryPdfPath(lang: Language): string {
  return lang === "ro" ? "~/cuspid-cheie-recuperare.pdf" : "~/cuspid-recovery-key.pdf";
}
