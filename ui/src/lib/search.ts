// Type-ahead search: which kind of query a typed text is, and whether it is complete
// enough to send (CNP, phone and e-mail match whole values only, through blind indexes).

import type { PatientQuery } from "./bindings/PatientQuery";

export type QueryKind = PatientQuery["by"];

/** Why a text is not sent yet; each maps to a hint in the dictionaries. */
export type SearchHint = "cnp_length" | "phone_length" | "email_incomplete" | "name_short";

export type SearchPlan =
  | { kind: "empty" }
  | { kind: "wait"; by: QueryKind; hint: SearchHint }
  | { kind: "query"; query: PatientQuery };

const digitCount = (s: string) => (s.match(/\d/g) ?? []).length;

function mostlyDigits(text: string): boolean {
  const compact = text.replace(/[\s()]+/g, "").replace(/^\+/, "");
  return compact.length > 0 && digitCount(compact) / compact.length >= 0.6;
}

/**
 * 13 digits: a CNP; an @: an e-mail; + or 0 (or "(0") followed by mostly digits: a phone;
 * anything else: a name. Digits only, not starting with 0, is a CNP being typed.
 */
export function detectQueryKind(text: string): QueryKind {
  const t = text.trim();
  const compact = t.replace(/\s+/g, "");
  // A CNP never starts with 0; 13 digits from 0 are a phone (0040 7xx xxx xxx).
  if (/^[1-9]\d{12}$/.test(compact)) return "cnp";
  if (t.includes("@")) return "email";
  if (/^\(?[+0]/.test(t) && mostlyDigits(t)) return "phone";
  if (/^[1-9]\d*$/.test(compact)) return "cnp";
  return "name";
}

const NAME_MIN = 2;

/** What to do with the text in the search box right now. */
export function planSearch(text: string): SearchPlan {
  const t = text.trim();
  if (t === "") return { kind: "empty" };
  const by = detectQueryKind(t);
  switch (by) {
    case "cnp": {
      const compact = t.replace(/\s+/g, "");
      return compact.length === 13
        ? { kind: "query", query: { by, value: compact } }
        : { kind: "wait", by, hint: "cnp_length" };
    }
    case "email":
      return /^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$/.test(t)
        ? { kind: "query", query: { by, value: t } }
        : { kind: "wait", by, hint: "email_incomplete" };
    case "phone": {
      // A national number has 10 digits (07xx xxx xxx); an international one at least 8 after +.
      const needed = t.startsWith("+") ? 8 : 10;
      return digitCount(t) >= needed
        ? { kind: "query", query: { by, value: t } }
        : { kind: "wait", by, hint: "phone_length" };
    }
    case "name": {
      const letters = t.replace(/[^\p{L}\p{N}]/gu, "");
      return letters.length >= NAME_MIN
        ? { kind: "query", query: { by, value: t } }
        : { kind: "wait", by, hint: "name_short" };
    }
  }
}

/** Index of the next highlighted result when moving with the arrow keys (wraps around). */
export function moveHighlight(current: number, count: number, key: string): number {
  if (count === 0) return -1;
  switch (key) {
    case "ArrowDown":
      return current < 0 ? 0 : (current + 1) % count;
    case "ArrowUp":
      return current <= 0 ? count - 1 : current - 1;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return current;
  }
}
