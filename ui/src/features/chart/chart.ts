// The tooth chart as the screens draw it. The core keeps the dated entries and decides
// which are in force on a day (`ChartDto.current`); this module lays the FDI teeth out
// as a dentist reads a chart facing the patient, names each surface by the tooth it is
// on, gives every finding its mark, and writes the entries that follow others (a
// planned procedure done, a finding resolved).
//
// The marks (drawn by ToothGlyph, explained by ChartLegend):
// - on the surfaces: caries red, filling blue, fracture sienna; a procedure planned is a
//   dashed orange outline, in progress amber, done green (red = to treat, blue = found
//   restored, green = treated here);
// - over the whole tooth: crown an ochre ring, bridge abutment the ring with an ochre bar
//   and pontic the bar over an empty outline (the bars of a bridge join up), missing a
//   grey cross, implant a dark screw in the root, root canal a purple root filling,
//   fracture a sienna zigzag, mobility an "M" by the number; a procedure without
//   surfaces outlines the tooth in its state's colour.

import { ageOn, todayIso } from "../../lib/age";
import type { ChartEntryDto } from "../../lib/bindings/ChartEntryDto";
import type { Condition } from "../../lib/bindings/Condition";
import type { Finding } from "../../lib/bindings/Finding";
import type { Language } from "../../lib/bindings/Language";
import type { NewChartEntry } from "../../lib/bindings/NewChartEntry";
import type { ProcedureDto } from "../../lib/bindings/ProcedureDto";
import type { ProcedureState } from "../../lib/bindings/ProcedureState";
import type { Surface } from "../../lib/bindings/Surface";
import { procedureName } from "../../lib/catalogue";
import { translate } from "../../lib/i18n/index";

export const CONDITIONS: readonly Condition[] = [
  "caries",
  "filling",
  "crown",
  "bridge_abutment",
  "bridge_pontic",
  "missing",
  "implant",
  "root_canal_treated",
  "fracture",
  "mobility",
];
export const PROCEDURE_STATES: readonly ProcedureState[] = ["planned", "in_progress", "done"];
/** In the core's order (mesial, distal, occlusal, buccal, lingual): lists follow it. */
export const SURFACES: readonly Surface[] = ["mesial", "distal", "occlusal", "buccal", "lingual"];

export function isCondition(value: string): value is Condition {
  return (CONDITIONS as readonly string[]).includes(value);
}
export function isProcedureState(value: string): value is ProcedureState {
  return (PROCEDURE_STATES as readonly string[]).includes(value);
}
export function isSurface(value: string): value is Surface {
  return (SURFACES as readonly string[]).includes(value);
}

// ---- teeth (FDI, ISO 3950) -----------------------------------------------------------

export const quadrant = (tooth: number) => Math.floor(tooth / 10);
export const position = (tooth: number) => tooth % 10;

/** An FDI number: 11-18 … 41-48 permanent, 51-55 … 81-85 primary. */
export function isTooth(n: number): boolean {
  const q = quadrant(n);
  const p = position(n);
  return Number.isInteger(n) && p >= 1 && ((q >= 1 && q <= 4 && p <= 8) || (q >= 5 && q <= 8 && p <= 5));
}
export const isPrimary = (tooth: number) => quadrant(tooth) >= 5;
/** Incisors and canines. */
export const isAnterior = (tooth: number) => position(tooth) <= 3;
/** Upper jaw: quadrants 1, 2, 5, 6. */
export const isUpper = (tooth: number) => [1, 2, 5, 6].includes(quadrant(tooth));
/** The patient's right (quadrants 1, 4, 5, 8): the left half of the chart, facing them. */
export const onPatientsRight = (tooth: number) => [1, 4, 5, 8].includes(quadrant(tooth));

// ---- dentitions and rows ---------------------------------------------------------------

export type Dentition = "permanent" | "primary" | "mixed";
export const DENTITIONS: readonly Dentition[] = ["permanent", "primary", "mixed"];
/** Children younger than this are shown both sets of teeth at first. */
export const MIXED_DENTITION_UNDER = 12;

export function isDentition(value: string): value is Dentition {
  return (DENTITIONS as readonly string[]).includes(value);
}

/** Mixed for a child under 12, else permanent (also when the birth date is unknown). */
export function defaultDentition(birth: string | null | undefined, today: string = todayIso()): Dentition {
  const age = birth ? ageOn(birth, today) : null;
  return age !== null && age < MIXED_DENTITION_UNDER ? "mixed" : "permanent";
}

export interface ToothRow {
  jaw: "upper" | "lower";
  primary: boolean;
  /** Left to right as drawn: the patient's right half from the back to the midline, then the left half. */
  teeth: number[];
}

function row(jaw: "upper" | "lower", primary: boolean): ToothRow {
  const [right, left] = jaw === "upper" ? (primary ? [5, 6] : [1, 2]) : primary ? [8, 7] : [4, 3];
  const count = primary ? 5 : 8;
  const positions = Array.from({ length: count }, (_, i) => i + 1);
  return {
    jaw,
    primary,
    teeth: [...positions.map((p) => right * 10 + p).reverse(), ...positions.map((p) => left * 10 + p)],
  };
}

/** A row's name: upper or lower jaw, permanent or primary teeth. */
export function rowLabel(r: ToothRow, lang: Language): string {
  if (r.jaw === "upper") return translate(lang, r.primary ? "chart.jaw.upperPrimary" : "chart.jaw.upper");
  return translate(lang, r.primary ? "chart.jaw.lowerPrimary" : "chart.jaw.lower");
}

/** The rows drawn for a dentition, top to bottom (primary teeth inside the permanent ones). */
export function toothRows(d: Dentition): ToothRow[] {
  switch (d) {
    case "permanent":
      return [row("upper", false), row("lower", false)];
    case "primary":
      return [row("upper", true), row("lower", true)];
    case "mixed":
      return [row("upper", false), row("upper", true), row("lower", true), row("lower", false)];
  }
}

// ---- geometry ------------------------------------------------------------------------

/** Sizes in SVG units: the pitch between teeth, the five-part box, its centre's inset. */
export const CELL = {
  pitch: 44,
  box: 36,
  inset: 11,
  label: 14,
  root: 16,
  rowGap: 14,
  jawGap: 26,
  midlineGap: 12,
  margin: 8,
} as const;
/** A tooth's cell: its number, its root and its five-part box. */
export const CELL_HEIGHT = CELL.label + CELL.root + CELL.box;

export interface PlacedTooth {
  tooth: number;
  /** The cell's top-left corner. */
  x: number;
  y: number;
}
export interface PlacedRow {
  row: ToothRow;
  y: number;
  teeth: PlacedTooth[];
}
export interface ChartLayout {
  width: number;
  height: number;
  midlineX: number;
  /** Between the upper and the lower rows. */
  occlusalY: number;
  rows: PlacedRow[];
}

/** Where each tooth's cell is: a tooth's position (1 at the midline) sets its column, so
 *  primary teeth sit over the permanent ones that replace them. */
export function chartLayout(d: Dentition): ChartLayout {
  const midlineX = CELL.margin + 8 * CELL.pitch + CELL.midlineGap / 2;
  const width = 2 * midlineX;
  let y = CELL.margin;
  let occlusalY = 0;
  const rows: PlacedRow[] = [];
  toothRows(d).forEach((r, i, all) => {
    if (i > 0 && all[i - 1]!.jaw === "upper" && r.jaw === "lower") {
      occlusalY = y - CELL.rowGap + CELL.jawGap / 2;
      y += CELL.jawGap - CELL.rowGap;
    }
    const teeth = r.teeth.map((tooth) => {
      const fromMidline = CELL.midlineGap / 2 + (position(tooth) - 1) * CELL.pitch;
      const x = onPatientsRight(tooth) ? midlineX - fromMidline - CELL.pitch : midlineX + fromMidline;
      return { tooth, x, y };
    });
    rows.push({ row: r, y, teeth });
    y += CELL_HEIGHT + CELL.rowGap;
  });
  return { width, height: y - CELL.rowGap + CELL.margin, midlineX, occlusalY, rows };
}

/** Inside a cell: the five-part box, the root beyond it and the number beyond the root
 *  (upwards for upper teeth, downwards for lower ones). */
export function cellParts(tooth: number) {
  const boxX = (CELL.pitch - CELL.box) / 2;
  if (isUpper(tooth)) {
    return {
      box: { x: boxX, y: CELL.label + CELL.root },
      root: { y0: CELL.label + CELL.root, y1: CELL.label + 2 },
      labelY: CELL.label - 3,
    };
  }
  return {
    box: { x: boxX, y: 0 },
    root: { y0: CELL.box, y1: CELL.box + CELL.root - 2 },
    labelY: CELL_HEIGHT - 2,
  };
}

export type Side = "top" | "bottom" | "left" | "right" | "centre";

/** Where a surface is in the drawn box: buccal (labial) faces out of the mouth, so up on
 *  upper teeth; mesial faces the midline. */
export function surfaceSide(surface: Surface, tooth: number): Side {
  const upper = isUpper(tooth);
  const mesialRight = onPatientsRight(tooth);
  switch (surface) {
    case "occlusal":
      return "centre";
    case "buccal":
      return upper ? "top" : "bottom";
    case "lingual":
      return upper ? "bottom" : "top";
    case "mesial":
      return mesialRight ? "right" : "left";
    case "distal":
      return mesialRight ? "left" : "right";
  }
}

/** The polygon of one side of the five-part box (`points`, box-local). */
export function sidePolygon(side: Side, size: number = CELL.box, inset: number = CELL.inset): string {
  const [a, b] = [inset, size - inset];
  const corners: Record<Side, [number, number][]> = {
    top: [[0, 0], [size, 0], [b, a], [a, a]],
    bottom: [[0, size], [a, b], [b, b], [size, size]],
    left: [[0, 0], [a, a], [a, b], [0, size]],
    right: [[size, 0], [size, size], [b, b], [b, a]],
    centre: [[a, a], [b, a], [b, b], [a, b]],
  };
  return corners[side].map(([x, y]) => `${x},${y}`).join(" ");
}

// ---- names -------------------------------------------------------------------------

export type SurfaceName = "mesial" | "distal" | "occlusal" | "incisal" | "buccal" | "labial" | "lingual" | "palatal";

/** A surface's name on a tooth: incisal and labial on incisors and canines, palatal in the upper jaw. */
export function surfaceName(surface: Surface, tooth: number): SurfaceName {
  switch (surface) {
    case "occlusal":
      return isAnterior(tooth) ? "incisal" : "occlusal";
    case "buccal":
      return isAnterior(tooth) ? "labial" : "buccal";
    case "lingual":
      return isUpper(tooth) ? "palatal" : "lingual";
    default:
      return surface;
  }
}

export function surfaceLabel(surface: Surface, tooth: number, lang: Language): string {
  return translate(lang, `chart.surface.${surfaceName(surface, tooth)}`);
}

/** The surfaces in the core's order, named for the tooth: "mesial, occlusal"; "" for none. */
export function surfacesText(surfaces: readonly Surface[], tooth: number, lang: Language): string {
  return sortSurfaces(surfaces)
    .map((s) => surfaceLabel(s, tooth, lang))
    .join(", ");
}

export function sortSurfaces(surfaces: readonly Surface[]): Surface[] {
  return SURFACES.filter((s) => surfaces.includes(s));
}

/** What was found or done, without its state: "Caries", "Composite filling" (the code
 *  when the catalogue lacks it). */
export function findingName(f: Finding, lang: Language, catalogue: readonly ProcedureDto[]): string {
  if (f.type === "condition") return translate(lang, `chart.condition.${f.condition}`);
  const p = catalogue.find((q) => q.code === f.code);
  return p ? procedureName(p, lang) : f.code;
}

/** "Caries"; "Caries · resolved"; "Composite filling · planned". */
export function findingLabel(f: Finding, lang: Language, catalogue: readonly ProcedureDto[]): string {
  const name = findingName(f, lang, catalogue);
  if (f.type === "condition") return f.resolved ? `${name} · ${translate(lang, "chart.resolved")}` : name;
  return `${name} · ${translate(lang, `chart.state.${f.state}`)}`;
}

/** "Caries (occlusal)", or the finding alone on the whole tooth. */
export function entryLabel(e: ChartEntryDto, lang: Language, catalogue: readonly ProcedureDto[]): string {
  const finding = findingLabel(e.finding, lang, catalogue);
  return e.surfaces.length > 0 ? `${finding} (${surfacesText(e.surfaces, e.tooth, lang)})` : finding;
}

/** What a screen reader says for a tooth: "Tooth 36: caries (occlusal); crown". */
export function toothDescription(
  tooth: number,
  entries: readonly ChartEntryDto[],
  lang: Language,
  catalogue: readonly ProcedureDto[],
): string {
  const on = entries.filter((e) => e.tooth === tooth);
  const what = on.length > 0 ? on.map((e) => entryLabel(e, lang, catalogue)).join("; ") : translate(lang, "chart.toothNothing");
  return `${translate(lang, "chart.tooth", { tooth })}: ${what}`;
}

// ---- marks ---------------------------------------------------------------------------

/** One legend entry: a finding, or the state of a procedure. */
export type Mark = Condition | ProcedureState;

export function markOf(f: Finding): Mark {
  return f.type === "condition" ? f.condition : f.state;
}

/** The CSS class giving a finding its colour (`mark-caries`, `mark-planned`). */
export function markClass(f: Finding | Mark): `mark-${Mark}` {
  return `mark-${typeof f === "string" ? f : markOf(f)}`;
}

export const LEGEND: readonly { group: "conditions" | "procedures"; marks: readonly Mark[] }[] = [
  { group: "conditions", marks: CONDITIONS },
  { group: "procedures", marks: PROCEDURE_STATES },
];

export function markLabel(mark: Mark, lang: Language): string {
  return isProcedureState(mark) ? translate(lang, `chart.state.${mark}`) : translate(lang, `chart.condition.${mark}`);
}

/** What colours a surface. */
export type SurfaceFill = "caries" | "filling" | "fracture" | "in_progress" | "done";
/** What is drawn over the whole tooth. */
export type Overlay =
  | "missing"
  | "implant"
  | "crown"
  | "root_canal_treated"
  | "bridge_abutment"
  | "bridge_pontic"
  | "fracture"
  | "mobility";

export interface SurfaceMarks {
  fill: SurfaceFill | null;
  /** A procedure is planned on it (a dashed outline, whatever the fill). */
  planned: boolean;
}

export interface ToothMarks {
  surfaces: Record<Surface, SurfaceMarks>;
  overlays: Overlay[];
  /** A procedure on the whole tooth: the most pressing state of those in force. */
  procedure: ProcedureState | null;
}

const SURFACE_CONDITIONS: readonly Condition[] = ["caries", "filling", "fracture"];
const URGENCY: readonly ProcedureState[] = ["in_progress", "planned", "done"];

export function emptyMarks(): ToothMarks {
  const surfaces = Object.fromEntries(SURFACES.map((s) => [s, { fill: null, planned: false }])) as Record<
    Surface,
    SurfaceMarks
  >;
  return { surfaces, overlays: [], procedure: null };
}

function addEntry(m: ToothMarks, e: ChartEntryDto): void {
  const f = e.finding;
  if (f.type === "condition") {
    if (f.resolved) return;
    const onSurfaces = SURFACE_CONDITIONS.includes(f.condition) && !(f.condition === "fracture" && e.surfaces.length === 0);
    if (!onSurfaces) {
      if (!m.overlays.includes(f.condition as Overlay)) m.overlays.push(f.condition as Overlay);
      return;
    }
    // Caries or a filling without surfaces covers the whole tooth.
    for (const s of e.surfaces.length > 0 ? e.surfaces : SURFACES) m.surfaces[s].fill = f.condition as SurfaceFill;
    return;
  }
  if (e.surfaces.length === 0) {
    const states = [f.state, ...(m.procedure ? [m.procedure] : [])];
    m.procedure = URGENCY.find((s) => states.includes(s)) ?? null;
    return;
  }
  for (const s of e.surfaces) {
    if (f.state === "planned") m.surfaces[s].planned = true;
    else m.surfaces[s].fill = f.state;
  }
}

/** The marks of every tooth with entries in force; on one surface the latest fill shows. */
export function summariseChart(current: readonly ChartEntryDto[]): Map<number, ToothMarks> {
  const out = new Map<number, ToothMarks>();
  for (const e of current) {
    let m = out.get(e.tooth);
    if (!m) {
      m = emptyMarks();
      out.set(e.tooth, m);
    }
    addEntry(m, e);
  }
  return out;
}

/** The marks a legend shows for one entry of it, drawn on a sample tooth. */
export function legendSample(mark: Mark): ToothMarks {
  const m = emptyMarks();
  if (mark === "caries" || mark === "filling" || mark === "in_progress" || mark === "done") m.surfaces.occlusal.fill = mark;
  else if (mark === "planned") m.surfaces.occlusal.planned = true;
  else m.overlays.push(mark);
  return m;
}

// ---- selection and keyboard -------------------------------------------------------------

export interface ChartSelection {
  tooth: number | null;
  surfaces: Surface[];
}

/** Pick a tooth: the surfaces picked stay only if it is the same tooth. */
export function pickTooth(sel: ChartSelection, tooth: number): ChartSelection {
  return sel.tooth === tooth ? sel : { tooth, surfaces: [] };
}

/** A click on a surface: on the picked tooth it toggles, on another it picks that tooth with it. */
export function pickSurface(sel: ChartSelection, tooth: number, surface: Surface): ChartSelection {
  if (sel.tooth !== tooth) return { tooth, surfaces: [surface] };
  return { tooth, surfaces: toggleSurface(sel.surfaces, surface) };
}

export function toggleSurface(surfaces: readonly Surface[], s: Surface): Surface[] {
  return surfaces.includes(s) ? surfaces.filter((x) => x !== s) : sortSurfaces([...surfaces, s]);
}

/**
 * The tooth an arrow key moves to from `tooth`: left and right along its row, up and down
 * to the nearest tooth drawn in the row above or below, Home and End to the row's ends.
 * The same tooth at an edge; null for a key that does not move.
 */
export function nextTooth(layout: ChartLayout, tooth: number, key: string): number | null {
  const r = layout.rows.findIndex((pr) => pr.teeth.some((t) => t.tooth === tooth));
  if (r < 0) return null;
  const teeth = layout.rows[r]!.teeth;
  const i = teeth.findIndex((t) => t.tooth === tooth);
  switch (key) {
    case "ArrowLeft":
      return teeth[Math.max(0, i - 1)]!.tooth;
    case "ArrowRight":
      return teeth[Math.min(teeth.length - 1, i + 1)]!.tooth;
    case "Home":
      return teeth[0]!.tooth;
    case "End":
      return teeth[teeth.length - 1]!.tooth;
    case "ArrowUp":
    case "ArrowDown": {
      const target = layout.rows[key === "ArrowUp" ? r - 1 : r + 1];
      if (!target) return tooth;
      const x = teeth[i]!.x;
      let best = target.teeth[0]!;
      for (const t of target.teeth) if (Math.abs(t.x - x) < Math.abs(best.x - x)) best = t;
      return best.tooth;
    }
    default:
      return null;
  }
}

// ---- entries that follow others -----------------------------------------------------------

export const canMarkDone = (e: ChartEntryDto) => e.finding.type === "procedure" && e.finding.state !== "done";
export const canResolve = (e: ChartEntryDto) => e.finding.type === "condition" && !e.finding.resolved;

/** The entry saying a planned or started procedure is done today; null for anything else. */
export function markDoneEntry(e: ChartEntryDto, today: string = todayIso()): NewChartEntry | null {
  if (e.finding.type !== "procedure" || !canMarkDone(e)) return null;
  return {
    tooth: e.tooth,
    surfaces: [...e.surfaces],
    finding: { type: "procedure", code: e.finding.code, state: "done" },
    date: today,
    note: null,
    supersedes: e.id,
  };
}

/** The entry saying a finding is resolved today; null for anything else. */
export function resolveEntry(e: ChartEntryDto, today: string = todayIso()): NewChartEntry | null {
  if (e.finding.type !== "condition" || !canResolve(e)) return null;
  return {
    tooth: e.tooth,
    surfaces: [...e.surfaces],
    finding: { type: "condition", condition: e.finding.condition, resolved: true },
    date: today,
    note: null,
    supersedes: e.id,
  };
}

/** Ids of entries a later one follows (to mark them in the history). */
export function supersededIds(history: readonly ChartEntryDto[]): Set<string> {
  return new Set(history.flatMap((e) => (e.supersedes ? [e.supersedes] : [])));
}

// ---- the entry form ---------------------------------------------------------------------

export const ENTRY_KINDS = ["condition", "procedure"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface ChartEntryForm {
  kind: EntryKind;
  condition: Condition;
  /** A catalogue code; "" until one is chosen. */
  code: string;
  state: ProcedureState;
  surfaces: Surface[];
  /** `YYYY-MM-DD`, or "" while not a date. */
  date: string;
  note: string;
}

export interface ChartEntryProblems {
  procedure: boolean;
  surfaces: boolean;
  date: "missing" | "future" | null;
}

export function emptyEntryForm(today: string = todayIso(), surfaces: readonly Surface[] = []): ChartEntryForm {
  return {
    kind: "condition",
    condition: "caries",
    code: "",
    state: "planned",
    surfaces: sortSurfaces(surfaces),
    date: today,
    note: "",
  };
}

/** What to correct before saving: a procedure from the catalogue (active), its surfaces
 *  when it needs them, a date not in the future. */
export function entryFormProblems(
  form: ChartEntryForm,
  catalogue: readonly ProcedureDto[],
  today: string = todayIso(),
): ChartEntryProblems {
  const p = form.kind === "procedure" ? catalogue.find((q) => q.code === form.code && q.active) : undefined;
  return {
    procedure: form.kind === "procedure" && !p,
    surfaces: p?.needs === "surfaces" && form.surfaces.length === 0,
    date: form.date === "" ? "missing" : form.date > today ? "future" : null,
  };
}

export function hasEntryProblems(p: ChartEntryProblems): boolean {
  return p.procedure || p.surfaces || p.date !== null;
}

export function toNewChartEntry(form: ChartEntryForm, tooth: number): NewChartEntry {
  const note = form.note.trim();
  return {
    tooth,
    surfaces: sortSurfaces(form.surfaces),
    finding:
      form.kind === "condition"
        ? { type: "condition", condition: form.condition, resolved: false }
        : { type: "procedure", code: form.code, state: form.state },
    date: form.date,
    note: note === "" ? null : note,
    supersedes: null,
  };
}
