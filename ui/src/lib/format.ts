// Dates, numbers and money for the language in use, all through Intl.

import type { Language } from "./bindings/Language";

export const LOCALES: Record<Language, string> = { ro: "ro-RO", en: "en-GB" };

export const CURRENCY = "RON";

/** A calendar date (`YYYY-MM-DD`, no time zone) as the locale writes it: 04.03.2015 / 04/03/2015. */
export function formatDate(iso: string | null | undefined, lang: Language): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(LOCALES[lang], {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    timeZone: "UTC",
  }).format(d);
}

/** A moment (RFC 3339 from the core) in this computer's calendar, or the raw text if unreadable. */
function formatMoment(
  rfc3339: string | null | undefined,
  lang: Language,
  options: Intl.DateTimeFormatOptions,
  timeZone?: string,
): string {
  if (!rfc3339) return "";
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  return new Intl.DateTimeFormat(LOCALES[lang], { ...options, ...(timeZone ? { timeZone } : {}) }).format(d);
}

const DAY: Intl.DateTimeFormatOptions = { day: "2-digit", month: "2-digit", year: "numeric" };

/** A moment (RFC 3339 from the core) as date and time on this computer's clock. */
export function formatDateTime(rfc3339: string | null | undefined, lang: Language, timeZone?: string): string {
  return formatMoment(rfc3339, lang, { ...DAY, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }, timeZone);
}

/** Only the day of a moment (RFC 3339), on this computer's calendar. */
export function formatMomentDate(rfc3339: string | null | undefined, lang: Language, timeZone?: string): string {
  return formatMoment(rfc3339, lang, DAY, timeZone);
}

export function formatNumber(value: number, lang: Language, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(LOCALES[lang], options).format(value);
}

/** An amount in lei: `1.234,50 RON` in Romanian, `RON 1,234.50` in English. */
export function formatMoney(amount: number, lang: Language): string {
  return new Intl.NumberFormat(LOCALES[lang], { style: "currency", currency: CURRENCY }).format(amount);
}
