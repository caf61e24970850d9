import { describe, expect, it } from "vitest";

import type { PlanDto } from "../../lib/bindings/PlanDto";
import type { PlanItemDto } from "../../lib/bindings/PlanItemDto";
import type { ProcedureDto } from "../../lib/bindings/ProcedureDto";
import {
  acceptedOption,
  addItems,
  addOption,
  addPhase,
  decidedByChoices,
  decisionProblems,
  defaultPlanPdfPath,
  emptyDecisionForm,
  emptyPlanForm,
  formFromPlan,
  hasDecisionProblems,
  itemFee,
  itemFromProcedure,
  itemFromSuggestion,
  itemProblems,
  moveItem,
  optionLabel,
  phaseLabel,
  optionTotal,
  parseTooth,
  phaseOf,
  phaseTotal,
  planItemName,
  planProblems,
  planStatus,
  planSurfacesText,
  problemCount,
  removeItem,
  removeOption,
  removePhase,
  suggestionsFor,
  toNewPlan,
  toPlanDecision,
  type PlanForm,
} from "./plans";

const proc = (code: string, fee_bani: number, needs: ProcedureDto["needs"], active = true): ProcedureDto => ({
  code,
  name_ro: `ro ${code}`,
  name_en: `en ${code}`,
  fee_bani,
  needs,
  active,
});

const catalogue: ProcedureDto[] = [
  proc("restoration.composite", 25000, "surfaces"),
  proc("endo.molar", 90000, "tooth"),
  proc("hygiene.scaling", 20000, "none"),
  proc("restoration.amalgam", 10000, "surfaces", false),
];

const suggestion = (chart_entry: string, code: string, tooth: number, surfaces: PlanItemDto["surfaces"] = []): PlanItemDto => ({
  chart_entry,
  code,
  name_ro: `ro ${code}`,
  name_en: `en ${code}`,
  tooth,
  surfaces,
  fee_bani: catalogue.find((p) => p.code === code)?.fee_bani ?? 0,
  note: null,
  state: "planned",
});

function filledForm(): PlanForm {
  const form = emptyPlanForm("en");
  form.title = "  Upper left quadrant  ";
  form.options[0] = addItems(form.options[0]!, 0, [
    itemFromSuggestion(suggestion("e-1", "restoration.composite", 26, ["occlusal", "mesial"])),
    { ...itemFromProcedure("hygiene.scaling"), fee: "150,5", note: "  both jaws " },
  ]);
  return form;
}

describe("reading a plan", () => {
  const plan: PlanDto = {
    id: "0190-aaaa-bbbb-cccc-1234567890ab",
    created_on: "2026-11-20",
    title: "Plan",
    options: [
      { title: "Composite", phases: [], total_bani: 0 },
      { title: "Crown", phases: [], total_bani: 0 },
    ],
    status: "accepted",
    decision: { option: 1, by: "Popescu Ion", how: "verbal", date: "2026-11-21", recorded_by: "dr" },
    recorded_by: "dr",
    updated_at: "x",
  };

  it("knows its status and the option accepted, none when declined or not answered", () => {
    expect(planStatus(plan)).toBe("accepted");
    expect(acceptedOption(plan)).toEqual({ index: 1, option: plan.options[1] });
    expect(acceptedOption({ ...plan, status: "declined", decision: { ...plan.decision!, option: null } })).toBeNull();
    expect(acceptedOption({ ...plan, status: "draft", decision: null })).toBeNull();
    expect(planStatus({ ...plan, status: "something new" as PlanDto["status"] })).toBe("draft");
  });

  it("labels the options as the PDF does and names items in the language in use", () => {
    expect(optionLabel(0, "en")).toBe("Recommended option");
    expect(optionLabel(2, "ro")).toBe("Alternativa 2");
    expect(planItemName({ name_ro: "Obturație", name_en: "Filling" }, "ro")).toBe("Obturație");
    expect(phaseLabel(1, " Prosthetics ", "en")).toBe("Phase 2: Prosthetics");
    expect(phaseLabel(0, "Phase 1", "en")).toBe("Phase 1");
    expect(phaseLabel(0, "Etapa 1", "en")).toBe("Etapa 1");
    expect(phaseLabel(2, "", "ro")).toBe("Etapa 3");
  });

  it("names the surfaces by the tooth, and plainly without one", () => {
    expect(planSurfacesText(["occlusal", "mesial"], 26, "en")).toBe("mesial, occlusal");
    expect(planSurfacesText(["buccal", "lingual"], 11, "en")).toBe("labial, palatal");
    expect(planSurfacesText(["lingual"], null, "ro")).toBe("lingual");
    expect(planSurfacesText([], 36, "en")).toBe("");
  });

  it("suggests a PDF path without the patient's name", () => {
    expect(defaultPlanPdfPath(plan.id, plan.created_on, "ro")).toBe("~/cuspid-plan-tratament-2026-11-20-7890ab.pdf");
    expect(defaultPlanPdfPath("", "2026-11-20", "en")).toBe("~/cuspid-treatment-plan-2026-11-20.pdf");
  });
});

describe("the editor's form", () => {
  it("starts with the recommended option in one phase, named in the language in use", () => {
    const form = emptyPlanForm("ro");
    expect(form.title).toBe("");
    expect(form.options.map((o) => o.title)).toEqual(["Tratament recomandat"]);
    expect(form.options[0]!.phases.map((p) => [p.name, p.items.length])).toEqual([["Etapa 1", 0]]);
  });

  it("adds and removes alternatives, never the recommended option", () => {
    let form = addOption(addOption(emptyPlanForm("en"), "en"), "en");
    expect(form.options.map((o) => o.title)).toEqual(["Recommended treatment", "Alternative 1", "Alternative 2"]);
    form = removeOption(form, 1);
    expect(form.options.map((o) => o.title)).toEqual(["Recommended treatment", "Alternative 2"]);
    expect(removeOption(form, 0)).toBe(form);
  });

  it("adds, removes and moves between phases; the last phase stays", () => {
    const item = itemFromProcedure("endo.molar");
    let option = addPhase(emptyPlanForm("en").options[0]!, "en");
    expect(option.phases.map((p) => p.name)).toEqual(["Phase 1", "Phase 2"]);
    option = addItems(option, 0, [item]);
    expect(phaseOf(option, item.key)).toBe(0);
    option = moveItem(option, item.key, 1);
    expect(option.phases.map((p) => p.items.length)).toEqual([0, 1]);
    expect(phaseOf(option, item.key)).toBe(1);
    expect(moveItem(option, item.key, 5)).toBe(option);
    option = removePhase(option, 0);
    expect(option.phases.map((p) => p.name)).toEqual(["Phase 2"]);
    expect(removePhase(option, 0)).toBe(option);
    expect(removeItem(option, item.key).phases[0]!.items).toEqual([]);
  });

  it("offers only the chart's procedures not yet in the option", () => {
    const s1 = suggestion("e-1", "restoration.composite", 26, ["mesial"]);
    const s2 = suggestion("e-2", "endo.molar", 36);
    const option = addItems(emptyPlanForm("en").options[0]!, 0, [itemFromSuggestion(s1)]);
    expect(suggestionsFor(option, [s1, s2])).toEqual([s2]);
    expect(suggestionsFor(emptyPlanForm("en").options[0]!, [s1, { ...s2, chart_entry: null }])).toEqual([s1]);
  });

  it("gives every item its own key, and a chart item the chart's tooth and surfaces", () => {
    const a = itemFromSuggestion(suggestion("e-1", "restoration.composite", 26, ["occlusal", "mesial"]));
    const b = itemFromProcedure();
    expect(a.key).not.toBe(b.key);
    expect(a).toMatchObject({ chartEntry: "e-1", tooth: "26", surfaces: ["mesial", "occlusal"], fee: "" });
    expect(b).toMatchObject({ chartEntry: null, code: "", tooth: "", surfaces: [] });
  });

  it("opens a draft with fees still the catalogue's blank and changed ones kept", () => {
    const item = (code: string, fee_bani: number, tooth: number | null): PlanItemDto => ({
      ...suggestion("e-1", code, 26),
      chart_entry: null,
      tooth,
      fee_bani,
      note: "n",
    });
    const plan: PlanDto = {
      id: "p-1",
      created_on: "2026-11-20",
      title: "Plan",
      note: null,
      options: [
        {
          title: "A",
          total_bani: 0,
          phases: [{ name: "One", total_bani: 0, items: [item("endo.molar", 90000, 36), item("hygiene.scaling", 18050, null)] }],
        },
      ],
      status: "draft",
      decision: null,
      recorded_by: "dr",
      updated_at: "x",
    };
    const form = formFromPlan(plan, catalogue);
    expect(form.title).toBe("Plan");
    expect(form.note).toBe("");
    const items = form.options[0]!.phases[0]!.items;
    expect(items.map((i) => [i.code, i.tooth, i.fee, i.note])).toEqual([
      ["endo.molar", "36", "", "n"],
      ["hygiene.scaling", "", "180,50", "n"],
    ]);
  });
});

describe("fees and totals", () => {
  it("take the fee typed, else the catalogue's, and sum them per phase and option", () => {
    const form = filledForm();
    const [composite, scaling] = form.options[0]!.phases[0]!.items;
    expect(itemFee(composite!, catalogue)).toBe(25000);
    expect(itemFee(scaling!, catalogue)).toBe(15050);
    expect(itemFee({ ...scaling!, fee: "12x" }, catalogue)).toBeNull();
    expect(itemFee(itemFromProcedure(), catalogue)).toBeNull();
    expect(phaseTotal(form.options[0]!.phases[0]!, catalogue)).toBe(40050);
    const withSecond = addItems(addPhase(form.options[0]!, "en"), 1, [itemFromProcedure("endo.molar")]);
    expect(optionTotal(withSecond, catalogue)).toBe(130050);
  });

  it("count a fee not yet readable as nothing", () => {
    const option = addItems(emptyPlanForm("en").options[0]!, 0, [
      { ...itemFromProcedure("endo.molar"), fee: "1.5.0" },
      itemFromProcedure("hygiene.scaling"),
    ]);
    expect(optionTotal(option, catalogue)).toBe(20000);
  });
});

describe("what to correct before saving", () => {
  it("reads FDI tooth numbers", () => {
    expect(parseTooth(" 26 ")).toBe(26);
    expect(parseTooth("85")).toBe(85);
    expect(parseTooth("")).toBeNull();
    expect(parseTooth("19")).toBeNaN();
    expect(parseTooth("2a")).toBeNaN();
  });

  it("checks each item the core's way", () => {
    const ok = { ...itemFromProcedure("restoration.composite"), tooth: "26", surfaces: ["occlusal" as const] };
    expect(itemProblems(ok, catalogue)).toEqual({ procedure: null, tooth: null, surfaces: false, fee: null });
    expect(itemProblems(itemFromProcedure(), catalogue).procedure).toBe("missing");
    expect(itemProblems({ ...ok, code: "restoration.amalgam" }, catalogue).procedure).toBe("unlisted");
    expect(itemProblems({ ...ok, tooth: "" }, catalogue).tooth).toBe("missing");
    expect(itemProblems({ ...ok, tooth: "99" }, catalogue).tooth).toBe("invalid");
    expect(itemProblems({ ...ok, surfaces: [] }, catalogue).surfaces).toBe(true);
    expect(itemProblems({ ...ok, code: "endo.molar", surfaces: [] }, catalogue).surfaces).toBe(false);
    expect(itemProblems({ ...ok, code: "hygiene.scaling", tooth: "" }, catalogue).tooth).toBeNull();
    expect(itemProblems({ ...ok, fee: "abc" }, catalogue).fee).toBe("format");
    expect(itemProblems({ ...ok, fee: "1000000,01" }, catalogue).fee).toBe("range");
    expect(itemProblems({ ...ok, fee: "1000000" }, catalogue).fee).toBeNull();
    expect(itemProblems({ ...ok, fee: "0" }, catalogue).fee).toBeNull();
  });

  it("wants a title, option titles, named phases with items, and counts what is wrong", () => {
    const empty = emptyPlanForm("en");
    const p = planProblems(empty, catalogue);
    expect(p.title).toBe(true);
    expect(p.options[0]!.phases[0]).toEqual({ name: false, empty: true, items: [] });
    expect(problemCount(p)).toBe(2);

    const form = filledForm();
    expect(problemCount(planProblems(form, catalogue))).toBe(0);
    form.options[0]!.title = " ";
    form.options[0]!.phases[0]!.name = "";
    form.options[0]!.phases[0]!.items.push(itemFromProcedure());
    const q = planProblems(form, catalogue);
    expect(q.options[0]!.title).toBe(true);
    expect(q.options[0]!.phases[0]!.name).toBe(true);
    expect(problemCount(q)).toBe(3);
    form.options[0]!.phases[0]!.items.push({ ...itemFromProcedure("restoration.composite"), tooth: "26", fee: "x" });
    expect(problemCount(planProblems(form, catalogue))).toBe(5);
  });

  it("sends trimmed texts, the tooth as a number, blank fees as the catalogue's and the chart entry", () => {
    const plan = toNewPlan(filledForm());
    expect(plan).toEqual({
      title: "Upper left quadrant",
      note: null,
      options: [
        {
          title: "Recommended treatment",
          phases: [
            {
              name: "Phase 1",
              items: [
                {
                  chart_entry: "e-1",
                  code: "restoration.composite",
                  tooth: 26,
                  surfaces: ["mesial", "occlusal"],
                  fee_bani: null,
                  note: null,
                },
                { chart_entry: null, code: "hygiene.scaling", tooth: null, surfaces: [], fee_bani: 15050, note: "both jaws" },
              ],
            },
          ],
        },
      ],
    });
  });
});

describe("the patient's decision", () => {
  it("is made by the patient, or for a minor by the first guardian, others offered", () => {
    expect(decidedByChoices("Ionescu Maria", ["Ionescu Dan", "Ionescu Ana"], false)).toEqual([
      "Ionescu Maria",
      "Ionescu Dan",
      "Ionescu Ana",
    ]);
    expect(decidedByChoices("Ionescu Maria", ["Ionescu Dan", "Ionescu Ana"], true)).toEqual([
      "Ionescu Dan",
      "Ionescu Maria",
      "Ionescu Ana",
    ]);
    expect(decidedByChoices("Ionescu Maria", [], true)).toEqual(["Ionescu Maria"]);
  });

  it("needs a choice, who and a day not in the future", () => {
    const form = emptyDecisionForm("Ionescu Maria", "2026-11-25");
    expect(form).toEqual({ choice: null, by: "Ionescu Maria", how: "signed_paper", date: "2026-11-25" });
    expect(decisionProblems(form, 2, "2026-11-25")).toEqual({ choice: true, by: false, date: null });
    expect(decisionProblems({ ...form, choice: 2 }, 2, "2026-11-25").choice).toBe(true);
    expect(decisionProblems({ ...form, choice: 1, by: " ", date: "2026-11-26" }, 2, "2026-11-25")).toEqual({
      choice: false,
      by: true,
      date: "future",
    });
    expect(decisionProblems({ ...form, choice: "decline", date: "" }, 2, "2026-11-25").date).toBe("missing");
    expect(hasDecisionProblems(decisionProblems({ ...form, choice: 0 }, 2, "2026-11-25"))).toBe(false);
  });

  it("sends the option accepted, or none for a declined plan", () => {
    const form = { ...emptyDecisionForm(" Ionescu Dan ", "2026-11-25"), choice: 1 as const, how: "verbal" as const };
    expect(toPlanDecision(form)).toEqual({ option: 1, by: "Ionescu Dan", how: "verbal", date: "2026-11-25" });
    expect(toPlanDecision({ ...form, choice: "decline" }).option).toBeNull();
  });
});
