// Times as a `datetime-local` input holds them (this computer's clock, no offset) and as
// the core takes them (RFC 3339 with the offset in force at that moment).

/** A whole number written with `width` digits at least: 5 → "05". */
export const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, "0");

/** An offset east of UTC in minutes as RFC 3339 writes it: 120 → "+02:00", -330 → "-05:30". */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A moment as RFC 3339 on this computer's clock, to the second, with the offset in force then. */
export function dateToRfc3339(date: Date): string {
  const day = `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day}T${time}${formatOffset(-date.getTimezoneOffset())}`;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** A `datetime-local` value as the moment it names on this computer's clock; null when empty or not a real time. */
export function parseLocalInput(value: string | null | undefined): Date | null {
  const m = LOCAL_INPUT.exec((value ?? "").trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(2000, 0, 1, 0, 0, 0, 0);
  date.setFullYear(y, mo - 1, d);
  date.setHours(h, mi, s, 0);
  if (Number.isNaN(date.getTime())) return null;
  // 31 April and the like roll over into the next month: not a real day.
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date;
}

/**
 * A `datetime-local` value ("2026-11-25T14:30") as RFC 3339 with this computer's offset
 * at that moment ("2026-11-25T14:30:00+02:00"); null when empty or not a real time.
 */
export function localInputToRfc3339(value: string | null | undefined): string | null {
  const date = parseLocalInput(value);
  return date ? dateToRfc3339(date) : null;
}

/** A moment (RFC 3339 from the core, or a Date) as a `datetime-local` value on this computer's clock. */
export function toLocalInput(moment: string | Date | null | undefined): string {
  if (!moment) return "";
  const date = typeof moment === "string" ? new Date(moment) : moment;
  if (Number.isNaN(date.getTime())) return "";
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
