// The language in use, reactive: reading `t(...)` in a template re-renders on a switch.
// A language picked by the user is remembered on this workstation; otherwise the
// clinic's default from the settings applies after login.

import type { Language } from "../bindings/Language";
import { describeError, type AppError, type ErrorText } from "../errors";
import { formatDate, formatDateTime, formatMoney, formatMomentDate, formatNumber, LOCALES } from "../format";
import { wordCode } from "../wordings";
import { errorKindText, isLanguage, translate, type MessageKey, type Params } from "./index";

const STORAGE_KEY = "cuspid.language";

function stored(): Language | null {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : null;
  } catch {
    return null;
  }
}

let picked = stored();
const initial: Language = picked ?? "ro";
let lang = $state<Language>(initial);

function apply(l: Language) {
  lang = l;
  if (typeof document !== "undefined") document.documentElement.lang = l;
}

apply(initial);

export const locale = {
  get lang(): Language {
    return lang;
  },
  get tag(): string {
    return LOCALES[lang];
  },
  /** The user chose a language: use it now and remember it on this workstation. */
  choose(l: Language) {
    picked = l;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, l);
    } catch {
      // storage unavailable: the choice lasts for this run
    }
    apply(l);
  },
  /** The clinic's default language, unless this workstation's user picked one. */
  applyDefault(l: Language) {
    if (picked === null) apply(l);
  },
};

export function t(key: MessageKey, params?: Params): string {
  return translate(lang, key, params);
}

/** What a form says of one field's problem: the text of the problem's key, or null when
 *  there is none. */
export function problemText<P extends string>(problem: P | null, keys: Record<P, MessageKey>, params?: Params): string | null {
  return problem === null ? null : t(keys[problem], params);
}

export const fmt = {
  date: (iso: string | null | undefined) => formatDate(iso, lang),
  dateTime: (rfc3339: string | null | undefined) => formatDateTime(rfc3339, lang),
  day: (rfc3339: string | null | undefined) => formatMomentDate(rfc3339, lang),
  number: (n: number, options?: Intl.NumberFormatOptions) => formatNumber(n, lang, options),
  money: (amount: number) => formatMoney(amount, lang),
};

/** An error detail in the language in use: the rule or subject worded by its code, a
 *  lockout's end as a local time; null keeps the core's words. */
function wordDetail(e: AppError): string | null {
  if (e.kind === "auth.locked" && e.detail) {
    return translate(lang, "error.lockedUntil", { time: formatDateTime(e.detail, lang) });
  }
  const coded = e.rule ?? e.subject;
  return coded ? wordCode(coded, lang) : null;
}

export function errorText(e: AppError): ErrorText {
  return describeError(e, (kind) => errorKindText(lang, kind), wordDetail);
}
