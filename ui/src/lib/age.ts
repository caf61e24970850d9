// Whole-year age from an ISO birth date, as the core computes it. The core enforces
// the minors' rule; the form uses this to show the guardian section in time.

/** Below this age a parent or guardian consents and acts for the patient (Romania). */
export const CONSENT_AGE = 16;

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

/** `YYYY-MM-DD` of a real calendar day, or null. */
export function parseIsoDate(text: string | null | undefined): Ymd | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec((text ?? "").trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** Today's date on this computer's calendar, `YYYY-MM-DD`. */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whole years between `birth` and `on` (both `YYYY-MM-DD`); null if either is not a date. */
export function ageOn(birth: string, on: string): number | null {
  const b = parseIsoDate(birth);
  const o = parseIsoDate(on);
  if (!b || !o) return null;
  let years = o.year - b.year;
  if (o.month < b.month || (o.month === b.month && o.day < b.day)) years -= 1;
  return Math.max(0, years);
}

/** Whether a birth date makes someone younger than the consent age on `today`. */
export function isUnderConsentAge(birth: string | null | undefined, today: string = todayIso()): boolean {
  if (!birth) return false;
  const age = ageOn(birth, today);
  return age !== null && age < CONSENT_AGE;
}
