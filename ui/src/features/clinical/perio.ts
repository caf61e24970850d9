// The periodontal chart as the screens fill it in. The core checks the ranges again and
// computes the summary (sites, bleeding on probing, deep sites); this module lays the six
// sites out as a dentist reads them facing the patient, keeps the grid as typed, says
// what to correct, and builds the examination from the teeth measured.
//
// What is sent: a tooth shown (its dentition), marked present, with anything entered
// (a depth, a recession, a bleeding site, a mobility or furcation grade). Such a tooth
// needs all six probing depths; a recession left blank is 0 mm.

import { todayIso } from "../../lib/age";
import type { Language } from "../../lib/bindings/Language";
import type { NewPerioExam } from "../../lib/bindings/NewPerioExam";
import type { PerioExamDto } from "../../lib/bindings/PerioExamDto";
import type { PerioTooth } from "../../lib/bindings/PerioTooth";
import { formatNumber } from "../../lib/format";
import { translate, translateCount } from "../../lib/i18n/index";
import { isPrimary, onPatientsRight, position, quadrant, toothRows, type Dentition, type ToothRow } from "../chart/chart";

/** The core's order: disto-buccal, buccal, mesio-buccal, disto-lingual, lingual, mesio-lingual. */
export type Site = "db" | "b" | "mb" | "dl" | "l" | "ml";
export const SITES: readonly Site[] = ["db", "b", "mb", "dl", "l", "ml"];
export type PerioSide = "buccal" | "lingual";
export const PERIO_SIDES: readonly PerioSide[] = ["buccal", "lingual"];

/** Depths and recession are whole millimetres up to this; mobility and furcation are graded 0-3. */
export const MM_MAX = 15;
export const GRADES: readonly number[] = [0, 1, 2, 3];
/** The core counts a site this deep (mm) as deep; from the second the chart shows it strongly. */
export const DEEP_MM = 4;
export const VERY_DEEP_MM = 6;

export const siteIndex = (s: Site) => SITES.indexOf(s);

/** Molars, upper first premolars and primary molars: the teeth furcation is graded on. */
export function isMultiRooted(tooth: number): boolean {
  const p = position(tooth);
  if (isPrimary(tooth)) return p >= 4;
  return p >= 6 || (p === 4 && (quadrant(tooth) === 1 || quadrant(tooth) === 2));
}

/** A side's three sites left to right as drawn facing the patient: distal first on the
 *  patient's right (the left of the chart), mesial first on their left. */
export function displaySites(tooth: number, side: PerioSide): Site[] {
  const sites: Site[] = side === "buccal" ? ["db", "b", "mb"] : ["dl", "l", "ml"];
  return onPatientsRight(tooth) ? sites : sites.reverse();
}

/** A dentition's rows with only the teeth `keep` says (present, measured); empty rows dropped. */
export function shownRows(d: Dentition, keep: (tooth: number) => boolean): ToothRow[] {
  return toothRows(d)
    .map((r) => ({ ...r, teeth: r.teeth.filter(keep) }))
    .filter((r) => r.teeth.length > 0);
}

// ---- the grid as typed ------------------------------------------------------------------

export type Six<T> = [T, T, T, T, T, T];

export interface ToothInput {
  /** Unticked: a missing tooth, hidden and never sent. */
  present: boolean;
  /** As typed, in the core's site order; "" is not measured. */
  depths: Six<string>;
  recession: Six<string>;
  bleeding: Six<boolean>;
  mobility: number;
  furcation: number;
}

/** One entry for every permanent and primary tooth, keyed by its FDI number. */
export type PerioGrid = Record<number, ToothInput>;

const six = <T>(v: T): Six<T> => [v, v, v, v, v, v];

export function emptyToothInput(): ToothInput {
  return { present: true, depths: six(""), recession: six(""), bleeding: six(false), mobility: 0, furcation: 0 };
}

/** Every tooth of every dentition (so switching dentition keeps what was typed). */
export const ALL_TEETH: readonly number[] = [
  ...new Set([...toothRows("permanent"), ...toothRows("primary")].flatMap((r) => r.teeth)),
];

export function emptyGrid(): PerioGrid {
  return Object.fromEntries(ALL_TEETH.map((t) => [t, emptyToothInput()]));
}

/** A recorded examination as the grid shows it: the teeth not measured are absent. */
export function gridFromExam(teeth: readonly PerioTooth[]): PerioGrid {
  const grid = emptyGrid();
  for (const t of ALL_TEETH) grid[t]!.present = false;
  for (const t of teeth) {
    grid[t.tooth] = {
      present: true,
      depths: t.depths.map(String) as Six<string>,
      recession: t.recession.map(String) as Six<string>,
      bleeding: [...t.bleeding],
      mobility: t.mobility,
      furcation: t.furcation,
    };
  }
  return grid;
}

/** What a millimetre cell may hold while typing: at most two digits. */
export function mmInput(text: string): string {
  return text.replace(/\D/g, "").slice(0, 2);
}

/** A cell's millimetres: null when blank, "invalid" when not a whole number 0-15. */
export function parseMm(text: string): number | null | "invalid" {
  const s = text.trim();
  if (s === "") return null;
  if (!/^\d{1,2}$/.test(s)) return "invalid";
  const n = Number(s);
  return n <= MM_MAX ? n : "invalid";
}

/** Anything entered on a tooth: a depth, a recession, a bleeding site, a grade. */
export function isEntered(t: ToothInput): boolean {
  return (
    t.depths.some((d) => d.trim() !== "") ||
    t.recession.some((r) => r.trim() !== "") ||
    t.bleeding.some(Boolean) ||
    t.mobility > 0 ||
    t.furcation > 0
  );
}

/** The teeth that will be sent, in FDI order. */
export function measuredTeeth(grid: PerioGrid, shown: readonly number[]): number[] {
  return [...shown]
    .filter((t) => {
      const input = grid[t];
      return input !== undefined && input.present && isEntered(input);
    })
    .sort((a, b) => a - b);
}

// ---- checks and the examination sent ------------------------------------------------

export interface PerioProblems {
  date: "missing" | "future" | null;
  /** No tooth has anything entered. */
  none: boolean;
  /** Teeth with a probing depth left blank. */
  incomplete: number[];
  /** Teeth with a depth or recession that is not 0-15 mm. */
  outOfRange: number[];
}

export function perioProblems(
  grid: PerioGrid,
  shown: readonly number[],
  date: string,
  today: string = todayIso(),
): PerioProblems {
  const teeth = measuredTeeth(grid, shown);
  return {
    date: date === "" ? "missing" : date > today ? "future" : null,
    none: teeth.length === 0,
    incomplete: teeth.filter((t) => grid[t]!.depths.some((d) => parseMm(d) === null)),
    outOfRange: teeth.filter((t) => [...grid[t]!.depths, ...grid[t]!.recession].some((v) => parseMm(v) === "invalid")),
  };
}

export function hasPerioProblems(p: PerioProblems): boolean {
  return p.date !== null || p.none || p.incomplete.length > 0 || p.outOfRange.length > 0;
}

/** The problems with the grid as sentences (the date's is shown by its field). */
export function perioProblemTexts(p: PerioProblems, lang: Language): string[] {
  const out: string[] = [];
  if (p.none) out.push(translate(lang, "perio.error.none"));
  for (const [stem, teeth] of [
    ["perio.error.incomplete", p.incomplete],
    ["perio.error.range", p.outOfRange],
  ] as const) {
    if (teeth.length > 0) out.push(translateCount(lang, stem, teeth.length, { teeth: teeth.join(", ") }));
  }
  return out;
}

const mm = (text: string) => {
  const v = parseMm(text);
  return typeof v === "number" ? v : 0;
};

/** The examination of the teeth measured; call once `perioProblems` finds nothing. */
export function toNewPerioExam(grid: PerioGrid, shown: readonly number[], date: string, note: string): NewPerioExam {
  const trimmed = note.trim();
  return {
    date,
    teeth: measuredTeeth(grid, shown).map((tooth) => {
      const t = grid[tooth]!;
      return {
        tooth,
        depths: t.depths.map(mm) as Six<number>,
        recession: t.recession.map(mm) as Six<number>,
        bleeding: [...t.bleeding],
        mobility: t.mobility,
        furcation: isMultiRooted(tooth) ? t.furcation : 0,
      };
    }),
    note: trimmed === "" ? null : trimmed,
  };
}

// ---- how it is shown ------------------------------------------------------------------

/** A probing depth's highlight: 4-5 mm marked, 6 mm or more strongly. */
export function depthClass(text: string): "" | "perio-deep" | "perio-very-deep" {
  const v = parseMm(text);
  if (typeof v !== "number" || v < DEEP_MM) return "";
  return v >= VERY_DEEP_MM ? "perio-very-deep" : "perio-deep";
}

/** "36 sites, bleeding on probing 16.7%, 4 sites of 4 mm or deeper" in the language in use. */
export function perioSummaryText(
  exam: Pick<PerioExamDto, "sites" | "bleeding_percent" | "deep_sites">,
  lang: Language,
): string {
  return translate(lang, "perio.summary", {
    sites: translateCount(lang, "perio.sites", exam.sites),
    bleeding: formatNumber(exam.bleeding_percent, lang, { maximumFractionDigits: 1 }),
    deep: translateCount(lang, "perio.deepSites", exam.deep_sites, { mm: DEEP_MM }),
  });
}
