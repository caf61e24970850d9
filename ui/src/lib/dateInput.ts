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
