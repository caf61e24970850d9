// Dates typed by hand, day first as in Romania and Britain (the native date picker
// follows the operating system's locale, not the language chosen in the app).

import { parseIsoDate } from "./age";

export type DateInput = { kind: "empty" } | { kind: "date"; iso: string } | { kind: "invalid" };

const pad = (n: number) => String(n).padStart(2, "0");

/** `15.03.2015`, `15/3/2015`, `15-03-2015`, `15032015` or `2015-03-15` -> `2015-03-15`. */
export function parseDateInput(text: string): DateInput {
  const t = text.trim();
  if (t === "") return { kind: "empty" };
  let y: number, m: number, d: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{1,2})\s*[./\- ]\s*(\d{1,2})\s*[./\- ]\s*(\d{4})$/.exec(t))) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{2})(\d{2})(\d{4})$/.exec(t))) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    return { kind: "invalid" };
  }
  const iso = `${String(y).padStart(4, "0")}-${pad(m)}-${pad(d)}`;
  return parseIsoDate(iso) ? { kind: "date", iso } : { kind: "invalid" };
}

export type DateTimeInput = { kind: "empty" } | { kind: "dateTime"; value: string } | { kind: "invalid" };

/**
 * A date and a time typed day first: `02.12.2026 01:01`, `2.12.2026 1:01`, `02/12/2026, 01:01`,
 * `02-12-2026 01:01`, `2026-12-02 01:01` or `2026-12-02T01:01` (seconds are dropped) ->
 * `2026-12-02T01:01`, the value a `datetime-local` input would hold.
 */
export function parseDateTimeInput(text: string): DateTimeInput {
  const t = text.trim();
  if (t === "") return { kind: "empty" };
  const match = /^(.+?)\s*(?:T|,\s*|\s+)(\d{1,2})\s*[:.]\s*(\d{2})(?:\s*[:.]\s*(\d{2}))?$/.exec(t);
  if (!match) return { kind: "invalid" };
  const day = parseDateInput(match[1]!);
  const [h, m, s] = [Number(match[2]), Number(match[3]), Number(match[4] ?? "0")];
  if (day.kind !== "date" || h > 23 || m > 59 || s > 59) return { kind: "invalid" };
  return { kind: "dateTime", value: `${day.iso}T${pad(h)}:${pad(m)}` };
}
