// Treatment plans as the screens show and edit them. The core builds suggestions from the
// chart, fixes each item's fee on the day and says how far each item has got (from the
// chart); this module lays a plan out for reading, keeps the editor's form (options of
// phases of items, fees typed in lei, blank for the catalogue's), totals it the core's
// way (the sum of the fees), says what to correct before saving (the core's rules) and
// writes the patient's decision.

import { todayIso } from "../../lib/age";
import type { DecisionMethod } from "../../lib/bindings/DecisionMethod";
import type { Language } from "../../lib/bindings/Language";
import type { NewPlan } from "../../lib/bindings/NewPlan";
import type { OptionDto } from "../../lib/bindings/OptionDto";
import type { PlanDecision } from "../../lib/bindings/PlanDecision";
import type { PlanDto } from "../../lib/bindings/PlanDto";
import type { PlanItemDto } from "../../lib/bindings/PlanItemDto";
import type { PlanStatus } from "../../lib/bindings/PlanStatus";
import type { ProcedureDto } from "../../lib/bindings/ProcedureDto";
import type { Surface } from "../../lib/bindings/Surface";
import { FEE_MAX_BANI, feeInput, parseFee, procedureName } from "../../lib/catalogue";
import { translate } from "../../lib/i18n/index";
import { isTooth, sortSurfaces, surfacesText } from "../chart/chart";

export type { PlanStatus };
export const PLAN_STATUSES: readonly PlanStatus[] = ["draft", "accepted", "declined"];
export const DECISION_METHODS: readonly DecisionMethod[] = ["signed_paper", "verbal"];

export function isPlanStatus(value: string): value is PlanStatus {
  return (PLAN_STATUSES as readonly string[]).includes(value);
}
export function isDecisionMethod(value: string): value is DecisionMethod {
  return (DECISION_METHODS as readonly string[]).includes(value);
}

// ---- reading a plan ------------------------------------------------------------------

/** The plan's status; anything the UI does not know (a newer core) is read as a draft. */
export function planStatus(plan: PlanDto): PlanStatus {
  return isPlanStatus(plan.status) ? plan.status : "draft";
}

export const isDraft = (plan: PlanDto) => planStatus(plan) === "draft";

/** The option the patient accepted; null while a draft and when declined. */
export function acceptedOption(plan: PlanDto): { index: number; option: OptionDto } | null {
  const i = plan.decision?.option;
  if (i === null || i === undefined) return null;
  const option = plan.options[i];
  return option ? { index: i, option } : null;
}

/** "Recommended option" for the first, "Alternative 1" for the second, as the PDF says. */
export function optionLabel(index: number, lang: Language): string {
  return index === 0 ? translate(lang, "plans.option.recommended") : translate(lang, "plans.option.alternative", { n: index });
}

export function planItemName(item: Pick<PlanItemDto, "name_ro" | "name_en">, lang: Language): string {
  return lang === "ro" ? item.name_ro : item.name_en;
}

/** "Phase 2: Prosthetics"; a phase still named by its number ("Phase 1") as it is. */
export function phaseLabel(index: number, name: string, lang: Language): string {
  const n = index + 1;
  const plain = name.trim();
  if (plain === "") return translate(lang, "plans.editor.defaultPhase", { n });
  const numbered = (["ro", "en"] as const).some((l) => translate(l, "plans.editor.defaultPhase", { n }) === plain);
  return numbered ? plain : translate(lang, "plans.phase.label", { n, name: plain });
}

/** The surfaces named by the tooth ("mesial, occlusal"; "palatal" on an upper tooth);
 *  by their plain names without a tooth; "" for none. */
export function planSurfacesText(surfaces: readonly Surface[], tooth: number | null | undefined, lang: Language): string {
  if (tooth !== null && tooth !== undefined && isTooth(tooth)) return surfacesText(surfaces, tooth, lang);
  return sortSurfaces(surfaces)
    .map((s) => translate(lang, `chart.surface.${s}`))
    .join(", ");
}

/** Where the PDF goes unless another path is typed: named by the plan's day and a piece
 *  of its id, never by the patient's name. */
export function defaultPlanPdfPath(planId: string, createdOn: string, lang: Language): string {
  const stem = lang === "ro" ? "cuspid-plan-tratament" : "cuspid-treatment-plan";
  const tail = planId.replace(/[^0-9a-fA-F]/g, "").slice(-6).toLowerCase();
  return `~/${stem}-${createdOn}${tail ? `-${tail}` : ""}.pdf`;
}

// ---- the editor's form -----------------------------------------------------------------

export interface PlanItemForm {
  /** Unique within the page: keys the lists and the fields' ids. */
  key: number;
  /** The planned procedure on the chart this item carries out (its procedure, tooth and
   *  surfaces are the chart's, not edited here). */
  chartEntry: string | null;
  /** A catalogue code; "" until one is chosen. */
  code: string;
  /** The FDI number as typed; "" for none. */
  tooth: string;
  surfaces: Surface[];
  /** Lei as typed; "" for the catalogue's fee. */
  fee: string;
  note: string;
}

export interface PlanPhaseForm {
  key: number;
  name: string;
  items: PlanItemForm[];
}

export interface PlanOptionForm {
  key: number;
  title: string;
  phases: PlanPhaseForm[];
}

export interface PlanForm {
  title: string;
  /** The first is the one recommended. */
  options: PlanOptionForm[];
  note: string;
}

let lastKey = 0;
const nextKey = () => ++lastKey;

export function newPhase(index: number, lang: Language): PlanPhaseForm {
  return { key: nextKey(), name: translate(lang, "plans.editor.defaultPhase", { n: index + 1 }), items: [] };
}

export function newOption(index: number, lang: Language): PlanOptionForm {
  const title =
    index === 0
      ? translate(lang, "plans.editor.defaultRecommended")
      : translate(lang, "plans.editor.defaultAlternative", { n: index });
  return { key: nextKey(), title, phases: [newPhase(0, lang)] };
}

/** A new plan: the recommended option with one empty phase. */
export function emptyPlanForm(lang: Language): PlanForm {
  return { title: "", options: [newOption(0, lang)], note: "" };
}

/** An item for a procedure picked from the catalogue ("" to choose one in the row). */
export function itemFromProcedure(code: string = ""): PlanItemForm {
  return { key: nextKey(), chartEntry: null, code, tooth: "", surfaces: [], fee: "", note: "" };
}

/** An item carrying out a procedure planned on the chart, at the catalogue's fee. */
export function itemFromSuggestion(s: PlanItemDto): PlanItemForm {
  return {
    key: nextKey(),
    chartEntry: s.chart_entry ?? null,
    code: s.code,
    tooth: s.tooth === null || s.tooth === undefined ? "" : String(s.tooth),
    surfaces: sortSurfaces(s.surfaces),
    fee: "",
    note: "",
  };
}

/** A draft as the form edits it: a fee still the catalogue's stays blank, one changed
 *  (by hand, or since in the catalogue) is kept as fixed. */
export function formFromPlan(plan: PlanDto, catalogue: readonly ProcedureDto[]): PlanForm {
  return {
    title: plan.title,
    note: plan.note ?? "",
    options: plan.options.map((o) => ({
      key: nextKey(),
      title: o.title,
      phases: o.phases.map((p) => ({
        key: nextKey(),
        name: p.name,
        items: p.items.map((i) => {
          const listed = catalogue.find((q) => q.code === i.code);
          return {
            ...itemFromSuggestion(i),
            fee: listed && listed.fee_bani === i.fee_bani ? "" : feeInput(i.fee_bani),
            note: i.note ?? "",
          };
        }),
      })),
    })),
  };
}

// ---- changing the form's shape (each returns a new option or form) -----------------------

export function addOption(form: PlanForm, lang: Language): PlanForm {
  return { ...form, options: [...form.options, newOption(form.options.length, lang)] };
}

/** Remove an alternative; the recommended option stays. */
export function removeOption(form: PlanForm, index: number): PlanForm {
  if (index <= 0 || index >= form.options.length) return form;
  return { ...form, options: form.options.filter((_, i) => i !== index) };
}

export function addPhase(option: PlanOptionForm, lang: Language): PlanOptionForm {
  return { ...option, phases: [...option.phases, newPhase(option.phases.length, lang)] };
}

/** Remove a phase with its items; the last phase stays. */
export function removePhase(option: PlanOptionForm, index: number): PlanOptionForm {
  if (option.phases.length <= 1 || index < 0 || index >= option.phases.length) return option;
  return { ...option, phases: option.phases.filter((_, i) => i !== index) };
}

/** Add items at the end of phase `phase`. */
export function addItems(option: PlanOptionForm, phase: number, items: readonly PlanItemForm[]): PlanOptionForm {
  return {
    ...option,
    phases: option.phases.map((p, i) => (i === phase ? { ...p, items: [...p.items, ...items] } : p)),
  };
}

export function removeItem(option: PlanOptionForm, key: number): PlanOptionForm {
  return { ...option, phases: option.phases.map((p) => ({ ...p, items: p.items.filter((i) => i.key !== key) })) };
}

/** Move an item to the end of phase `to` (of the same option). */
export function moveItem(option: PlanOptionForm, key: number, to: number): PlanOptionForm {
  const item = option.phases.flatMap((p) => p.items).find((i) => i.key === key);
  if (!item || to < 0 || to >= option.phases.length) return option;
  const without = removeItem(option, key);
  return addItems(without, to, [item]);
}

/** The phase an item is in, or -1. */
export function phaseOf(option: PlanOptionForm, key: number): number {
  return option.phases.findIndex((p) => p.items.some((i) => i.key === key));
}

/** The chart's planned procedures not yet in this option. */
export function suggestionsFor(option: PlanOptionForm, suggestions: readonly PlanItemDto[]): PlanItemDto[] {
  const taken = new Set(option.phases.flatMap((p) => p.items.flatMap((i) => (i.chartEntry ? [i.chartEntry] : []))));
  return suggestions.filter((s) => s.chart_entry && !taken.has(s.chart_entry));
}

// ---- fees and totals -------------------------------------------------------------------

/** The active catalogue procedure of a code (the core takes no other). */
export function listedProcedure(code: string, catalogue: readonly ProcedureDto[]): ProcedureDto | null {
  return catalogue.find((p) => p.code === code && p.active) ?? null;
}

/** An item's fee in bani: the one typed, else the catalogue's; null when neither is known
 *  (a fee that is not an amount, a procedure not chosen). */
export function itemFee(item: PlanItemForm, catalogue: readonly ProcedureDto[]): number | null {
  if (item.fee.trim() !== "") return parseFee(item.fee);
  return catalogue.find((p) => p.code === item.code)?.fee_bani ?? null;
}

/** The sum of the fees known so far (the core totals the same way once every fee is known). */
export function phaseTotal(phase: PlanPhaseForm, catalogue: readonly ProcedureDto[]): number {
  return phase.items.reduce((sum, i) => sum + (itemFee(i, catalogue) ?? 0), 0);
}

export function optionTotal(option: PlanOptionForm, catalogue: readonly ProcedureDto[]): number {
  return option.phases.reduce((sum, p) => sum + phaseTotal(p, catalogue), 0);
}

// ---- what to correct before saving ---------------------------------------------------------

export interface PlanItemProblems {
  /** None chosen, or not (any more) an active procedure of the catalogue. */
  procedure: "missing" | "unlisted" | null;
  tooth: "missing" | "invalid" | null;
  surfaces: boolean;
  fee: "format" | "range" | null;
}

export interface PlanPhaseProblems {
  name: boolean;
  /** A phase holds at least one item. */
  empty: boolean;
  items: PlanItemProblems[];
}

export interface PlanOptionProblems {
  title: boolean;
  phases: PlanPhaseProblems[];
}

export interface PlanProblems {
  title: boolean;
  options: PlanOptionProblems[];
}

/** An FDI number typed in the form; null for none; NaN for something else. */
export function parseTooth(text: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  return /^\d{2}$/.test(t) && isTooth(Number(t)) ? Number(t) : Number.NaN;
}

export function itemProblems(item: PlanItemForm, catalogue: readonly ProcedureDto[]): PlanItemProblems {
  const listed = listedProcedure(item.code, catalogue);
  const tooth = parseTooth(item.tooth);
  const fee = item.fee.trim() === "" ? null : parseFee(item.fee);
  return {
    procedure: item.code === "" ? "missing" : listed ? null : "unlisted",
    tooth: Number.isNaN(tooth) ? "invalid" : tooth === null && listed !== null && listed.needs !== "none" ? "missing" : null,
    surfaces: listed?.needs === "surfaces" && item.surfaces.length === 0,
    fee: item.fee.trim() === "" ? null : fee === null ? "format" : fee > FEE_MAX_BANI ? "range" : null,
  };
}

/** The core's rules: a title; options each with a title and phases, each phase named with
 *  at least one item; each item a catalogue procedure with the tooth (unless it needs
 *  none) and the surfaces it needs, and a fee from 0 to 1,000,000 RON. */
export function planProblems(form: PlanForm, catalogue: readonly ProcedureDto[]): PlanProblems {
  return {
    title: form.title.trim() === "",
    options: form.options.map((o) => ({
      title: o.title.trim() === "",
      phases: o.phases.map((p) => ({
        name: p.name.trim() === "",
        empty: p.items.length === 0,
        items: p.items.map((i) => itemProblems(i, catalogue)),
      })),
    })),
  };
}

/** How many of an item's fields are to be corrected. */
export function itemProblemCount(p: PlanItemProblems): number {
  return [p.procedure !== null, p.tooth !== null, p.surfaces, p.fee !== null].filter(Boolean).length;
}

/** How many things are to be corrected, field by field (0: the plan can be saved). */
export function problemCount(p: PlanProblems): number {
  let n = p.title ? 1 : 0;
  for (const o of p.options) {
    if (o.title) n += 1;
    if (o.phases.length === 0) n += 1;
    for (const ph of o.phases) {
      if (ph.name) n += 1;
      if (ph.empty) n += 1;
      for (const i of ph.items) n += itemProblemCount(i);
    }
  }
  return n;
}

const blankToNull = (s: string) => (s.trim() === "" ? null : s.trim());

/** The plan to send; call only once it has no problems. */
export function toNewPlan(form: PlanForm): NewPlan {
  return {
    title: form.title.trim(),
    note: blankToNull(form.note),
    options: form.options.map((o) => ({
      title: o.title.trim(),
      phases: o.phases.map((p) => ({
        name: p.name.trim(),
        items: p.items.map((i) => {
          const tooth = parseTooth(i.tooth);
          return {
            chart_entry: i.chartEntry,
            code: i.code,
            tooth: tooth === null || Number.isNaN(tooth) ? null : tooth,
            surfaces: sortSurfaces(i.surfaces),
            fee_bani: i.fee.trim() === "" ? null : parseFee(i.fee),
            note: blankToNull(i.note),
          };
        }),
      })),
    })),
  };
}

/** A procedure's name for an item of the form, the code when the catalogue lacks it. */
export function formItemName(item: PlanItemForm, catalogue: readonly ProcedureDto[], lang: Language): string {
  const p = catalogue.find((q) => q.code === item.code);
  return p ? procedureName(p, lang) : item.code;
}

// ---- the patient's decision --------------------------------------------------------------

export interface DecisionForm {
  /** The option accepted, "decline", or null until chosen. */
  choice: number | "decline" | null;
  by: string;
  how: DecisionMethod;
  /** `YYYY-MM-DD`, or "" while not a date. */
  date: string;
}

export interface DecisionProblems {
  choice: boolean;
  by: boolean;
  date: "missing" | "future" | null;
}

/**
 * Who decides by default: the patient, or for a minor the first parent or guardian
 * linked (any other can be picked). Names are written last name first, as on the card.
 */
export function decidedByChoices(patientName: string, guardianNames: readonly string[], minor: boolean): string[] {
  const names = [patientName, ...guardianNames].map((n) => n.trim()).filter((n) => n !== "");
  const unique = [...new Set(names)];
  if (minor && guardianNames.length > 0) {
    const first = guardianNames[0]!.trim();
    return [first, ...unique.filter((n) => n !== first)];
  }
  return unique;
}

export function emptyDecisionForm(by: string, today: string = todayIso()): DecisionForm {
  return { choice: null, by, how: "signed_paper", date: today };
}

export function decisionProblems(form: DecisionForm, optionCount: number, today: string = todayIso()): DecisionProblems {
  return {
    choice: form.choice === null || (typeof form.choice === "number" && (form.choice < 0 || form.choice >= optionCount)),
    by: form.by.trim() === "",
    date: form.date === "" ? "missing" : form.date > today ? "future" : null,
  };
}

export function hasDecisionProblems(p: DecisionProblems): boolean {
  return p.choice || p.by || p.date !== null;
}

export function toPlanDecision(form: DecisionForm): PlanDecision {
  return {
    option: form.choice === "decline" || form.choice === null ? null : form.choice,
    by: form.by.trim(),
    how: form.how,
    date: form.date,
  };
}
