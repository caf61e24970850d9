import { describe, expect, it } from "vitest";

import type { ChartEntryDto } from "../../lib/bindings/ChartEntryDto";
import type { ProcedureDto } from "../../lib/bindings/ProcedureDto";
import {
  CELL,
  CELL_HEIGHT,
  chartLayout,
  defaultDentition,
  emptyEntryForm,
  entryFormProblems,
  entryLabel,
  findingLabel,
  findingName,
  hasEntryProblems,
  isTooth,
  LEGEND,
  legendSample,
  markClass,
  markDoneEntry,
  nextTooth,
  pickSurface,
  pickTooth,
  resolveEntry,
  rowLabel,
  sidePolygon,
  summariseChart,
  supersededIds,
  surfaceLabel,
  surfaceName,
  surfaceSide,
  surfacesText,
  toNewChartEntry,
  toothDescription,
  toothRows,
  CONDITIONS,
  PROCEDURE_STATES,
} from "./chart";

const composite: ProcedureDto = {
  code: "restoration.composite",
  name_ro: "Obturație din compozit",
  name_en: "Composite filling",
  fee_bani: 30000,
  needs: "surfaces",
  active: true,
};
const extraction: ProcedureDto = {
  code: "extraction.simple",
  name_ro: "Extracție simplă",
  name_en: "Simple extraction",
  fee_bani: 25000,
  needs: "tooth",
  active: true,
};
const retired: ProcedureDto = { ...composite, code: "restoration.amalgam", active: false };
const CATALOGUE = [composite, extraction, retired];

let n = 0;
function entry(over: Partial<ChartEntryDto> = {}): ChartEntryDto {
  n += 1;
  return {
    id: `e-${n}`,
    tooth: 36,
    surfaces: [],
    finding: { type: "condition", condition: "caries", resolved: false },
    date: "2026-11-20",
    note: null,
    supersedes: null,
    recorded_by: "dr.pop",
    recorded_at: "2026-11-20T10:00:00Z",
    ...over,
  };
}

describe("teeth and rows", () => {
  it("knows the FDI numbers", () => {
    for (const ok of [11, 18, 28, 36, 48, 51, 55, 65, 75, 85]) expect(isTooth(ok), String(ok)).toBe(true);
    for (const bad of [0, 10, 19, 49, 56, 86, 90, 9, 11.5]) expect(isTooth(bad), String(bad)).toBe(false);
  });

  it("lays the teeth out as seen facing the patient: their right on the left of the chart", () => {
    const [upper, lower] = toothRows("permanent");
    expect(upper!.teeth).toEqual([18, 17, 16, 15, 14, 13, 12, 11, 21, 22, 23, 24, 25, 26, 27, 28]);
    expect(lower!.teeth).toEqual([48, 47, 46, 45, 44, 43, 42, 41, 31, 32, 33, 34, 35, 36, 37, 38]);
    const [up, low] = toothRows("primary");
    expect(up!.teeth).toEqual([55, 54, 53, 52, 51, 61, 62, 63, 64, 65]);
    expect(low!.teeth).toEqual([85, 84, 83, 82, 81, 71, 72, 73, 74, 75]);
  });

  it("names each row by its jaw and teeth", () => {
    expect(toothRows("mixed").map((r) => rowLabel(r, "en"))).toEqual([
      "Upper jaw",
      "Upper jaw, primary teeth",
      "Lower jaw, primary teeth",
      "Lower jaw",
    ]);
  });

  it("draws mixed dentition with the primary teeth inside the permanent ones", () => {
    expect(toothRows("mixed").map((r) => [r.jaw, r.primary, r.teeth[0]])).toEqual([
      ["upper", false, 18],
      ["upper", true, 55],
      ["lower", true, 85],
      ["lower", false, 48],
    ]);
  });

  it("shows a child under 12 both sets of teeth, anyone else (or unknown) the permanent ones", () => {
    expect(defaultDentition("2018-06-01", "2026-11-25")).toBe("mixed");
    expect(defaultDentition("2014-11-25", "2026-11-25")).toBe("permanent");
    expect(defaultDentition("2014-11-26", "2026-11-25")).toBe("mixed");
    expect(defaultDentition(null, "2026-11-25")).toBe("permanent");
    expect(defaultDentition("not a date", "2026-11-25")).toBe("permanent");
  });
});

describe("the layout", () => {
  const layout = chartLayout("mixed");
  const x = (tooth: number) => layout.rows.flatMap((r) => r.teeth).find((t) => t.tooth === tooth)!.x;

  it("puts the midline between 11 and 21, and each position in its own column", () => {
    expect(x(11) + CELL.pitch).toBeLessThan(layout.midlineX);
    expect(x(21)).toBeGreaterThan(layout.midlineX);
    expect(x(18)).toBe(CELL.margin);
    expect(x(28) + CELL.pitch).toBe(layout.width - CELL.margin);
    // A primary tooth sits over the permanent one that replaces it.
    expect(x(55)).toBe(x(15));
    expect(x(71)).toBe(x(31));
  });

  it("stacks the rows top to bottom with the occlusal plane between the jaws", () => {
    const ys = layout.rows.map((r) => r.y);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
    // Halfway between the bottom of the upper rows and the top of the lower ones.
    expect(layout.occlusalY - (ys[1]! + CELL_HEIGHT)).toBe(ys[2]! - layout.occlusalY);
    expect(ys[2]! - (ys[1]! + CELL_HEIGHT)).toBe(CELL.jawGap);
    expect(ys[1]! - (ys[0]! + CELL_HEIGHT)).toBe(CELL.rowGap);
    expect(layout.height).toBeGreaterThan(ys[3]!);
  });

  it("moves with the arrow keys along a row, between rows to the nearest tooth, and stops at the edges", () => {
    expect(nextTooth(layout, 11, "ArrowRight")).toBe(21);
    expect(nextTooth(layout, 21, "ArrowLeft")).toBe(11);
    expect(nextTooth(layout, 18, "ArrowLeft")).toBe(18);
    expect(nextTooth(layout, 16, "End")).toBe(28);
    expect(nextTooth(layout, 16, "Home")).toBe(18);
    expect(nextTooth(layout, 14, "ArrowDown")).toBe(54);
    expect(nextTooth(layout, 17, "ArrowDown")).toBe(55);
    expect(nextTooth(layout, 54, "ArrowDown")).toBe(84);
    expect(nextTooth(layout, 84, "ArrowDown")).toBe(44);
    expect(nextTooth(layout, 44, "ArrowDown")).toBe(44);
    expect(nextTooth(layout, 18, "ArrowUp")).toBe(18);
    expect(nextTooth(layout, 18, "Tab")).toBeNull();
    expect(nextTooth(layout, 99, "ArrowLeft")).toBeNull();
  });
});

describe("surfaces", () => {
  it("take the name of the tooth they are on", () => {
    expect(surfaceName("occlusal", 11)).toBe("incisal");
    expect(surfaceName("occlusal", 36)).toBe("occlusal");
    expect(surfaceName("buccal", 43)).toBe("labial");
    expect(surfaceName("buccal", 46)).toBe("buccal");
    expect(surfaceName("lingual", 26)).toBe("palatal");
    expect(surfaceName("lingual", 63)).toBe("palatal");
    expect(surfaceName("lingual", 36)).toBe("lingual");
    expect(surfaceName("mesial", 11)).toBe("mesial");
  });

  it("are named in both languages", () => {
    expect(surfaceLabel("lingual", 16, "ro")).toBe("palatinal");
    expect(surfaceLabel("buccal", 12, "ro")).toBe("vestibular (labial)");
    expect(surfaceLabel("buccal", 36, "ro")).toBe("vestibular");
    expect(surfaceLabel("occlusal", 41, "ro")).toBe("incizal");
    expect(surfaceLabel("mesial", 41, "ro")).toBe("mezial");
    expect(surfaceLabel("occlusal", 41, "en")).toBe("incisal");
    expect(surfacesText(["occlusal", "mesial"], 26, "en")).toBe("mesial, occlusal");
    expect(surfacesText([], 26, "en")).toBe("");
  });

  it("are drawn with mesial towards the midline, buccal out of the mouth", () => {
    // Patient's right (drawn on the left half): mesial on the right of the box.
    expect(surfaceSide("mesial", 16)).toBe("right");
    expect(surfaceSide("distal", 16)).toBe("left");
    expect(surfaceSide("mesial", 46)).toBe("right");
    expect(surfaceSide("mesial", 85)).toBe("right");
    // Patient's left (drawn on the right half): mesial on the left.
    expect(surfaceSide("mesial", 26)).toBe("left");
    expect(surfaceSide("mesial", 36)).toBe("left");
    expect(surfaceSide("distal", 75)).toBe("right");
    expect(surfaceSide("buccal", 16)).toBe("top");
    expect(surfaceSide("lingual", 16)).toBe("bottom");
    expect(surfaceSide("buccal", 36)).toBe("bottom");
    expect(surfaceSide("lingual", 36)).toBe("top");
    expect(surfaceSide("occlusal", 11)).toBe("centre");
  });

  it("are the five parts of the box: four trapezoids around a centre square", () => {
    expect(sidePolygon("centre", 36, 11)).toBe("11,11 25,11 25,25 11,25");
    expect(sidePolygon("top", 36, 11)).toBe("0,0 36,0 25,11 11,11");
    expect(sidePolygon("left", 36, 11)).toBe("0,0 11,11 11,25 0,36");
    for (const side of ["top", "bottom", "left", "right", "centre"] as const) {
      expect(sidePolygon(side).split(" ")).toHaveLength(4);
    }
  });
});

describe("marks", () => {
  it("give each finding a class, and the legend every condition and state once", () => {
    expect(markClass({ type: "condition", condition: "caries", resolved: false })).toBe("mark-caries");
    expect(markClass({ type: "procedure", code: "x", state: "in_progress" })).toBe("mark-in_progress");
    expect(markClass("missing")).toBe("mark-missing");
    const marks = LEGEND.flatMap((g) => g.marks);
    expect(new Set(marks).size).toBe(marks.length);
    expect(marks).toEqual([...CONDITIONS, ...PROCEDURE_STATES]);
  });

  it("summarise the entries in force per tooth and surface", () => {
    const marks = summariseChart([
      entry({ tooth: 36, surfaces: ["occlusal"] }),
      entry({ tooth: 36, surfaces: ["mesial", "occlusal"], finding: { type: "procedure", code: composite.code, state: "planned" } }),
      entry({ tooth: 36, surfaces: ["distal"], finding: { type: "condition", condition: "filling", resolved: false } }),
      entry({ tooth: 36, finding: { type: "condition", condition: "root_canal_treated", resolved: false } }),
      entry({ tooth: 36, finding: { type: "condition", condition: "crown", resolved: false } }),
      entry({ tooth: 46, finding: { type: "condition", condition: "missing", resolved: false } }),
      entry({ tooth: 46, finding: { type: "condition", condition: "missing", resolved: false } }),
      entry({ tooth: 11, finding: { type: "condition", condition: "caries", resolved: false } }),
    ]);
    const m36 = marks.get(36)!;
    expect(m36.surfaces.occlusal).toEqual({ fill: "caries", planned: true });
    expect(m36.surfaces.mesial).toEqual({ fill: null, planned: true });
    expect(m36.surfaces.distal).toEqual({ fill: "filling", planned: false });
    expect(m36.surfaces.buccal).toEqual({ fill: null, planned: false });
    expect(m36.overlays).toEqual(["root_canal_treated", "crown"]);
    expect(m36.procedure).toBeNull();
    expect(marks.get(46)!.overlays).toEqual(["missing"]);
    // Caries without surfaces covers the whole tooth.
    expect(Object.values(marks.get(11)!.surfaces).every((s) => s.fill === "caries")).toBe(true);
    expect(marks.has(21)).toBe(false);
  });

  it("show the latest fill on a surface and the most pressing whole-tooth procedure", () => {
    const marks = summariseChart([
      entry({ tooth: 16, surfaces: ["occlusal"] }),
      entry({ tooth: 16, surfaces: ["occlusal"], finding: { type: "procedure", code: composite.code, state: "done" } }),
      entry({ tooth: 17, finding: { type: "procedure", code: extraction.code, state: "done" } }),
      entry({ tooth: 17, finding: { type: "procedure", code: extraction.code, state: "planned" } }),
      entry({ tooth: 15, finding: { type: "procedure", code: extraction.code, state: "in_progress" } }),
      entry({ tooth: 15, finding: { type: "procedure", code: extraction.code, state: "planned" } }),
    ]);
    expect(marks.get(16)!.surfaces.occlusal.fill).toBe("done");
    expect(marks.get(17)!.procedure).toBe("planned");
    expect(marks.get(15)!.procedure).toBe("in_progress");
  });

  it("draw a fracture on its surfaces, or over the tooth when it has none; mobility always over it", () => {
    const marks = summariseChart([
      entry({ tooth: 21, surfaces: ["occlusal"], finding: { type: "condition", condition: "fracture", resolved: false } }),
      entry({ tooth: 22, finding: { type: "condition", condition: "fracture", resolved: false } }),
      entry({ tooth: 23, surfaces: ["buccal"], finding: { type: "condition", condition: "mobility", resolved: false } }),
      entry({ tooth: 24, finding: { type: "condition", condition: "caries", resolved: true } }),
    ]);
    expect(marks.get(21)!.surfaces.occlusal.fill).toBe("fracture");
    expect(marks.get(21)!.overlays).toEqual([]);
    expect(marks.get(22)!.overlays).toEqual(["fracture"]);
    expect(marks.get(23)!.overlays).toEqual(["mobility"]);
    expect(marks.get(23)!.surfaces.buccal.fill).toBeNull();
    expect(marks.get(24)!.surfaces.occlusal.fill).toBeNull();
  });

  it("have a legend sample for every mark that shows something", () => {
    for (const g of LEGEND) {
      for (const mark of g.marks) {
        const m = legendSample(mark);
        const shows = m.overlays.length > 0 || m.surfaces.occlusal.fill !== null || m.surfaces.occlusal.planned;
        expect(shows, mark).toBe(true);
      }
    }
    expect(legendSample("planned").surfaces.occlusal).toEqual({ fill: null, planned: true });
    expect(legendSample("crown").overlays).toEqual(["crown"]);
  });
});

describe("labels", () => {
  it("name findings, procedures by the catalogue in the language in use", () => {
    expect(findingLabel({ type: "condition", condition: "bridge_abutment", resolved: false }, "ro", CATALOGUE)).toBe(
      "Stâlp de punte",
    );
    expect(findingLabel({ type: "condition", condition: "caries", resolved: true }, "en", CATALOGUE)).toBe(
      "Caries · resolved",
    );
    expect(findingLabel({ type: "procedure", code: composite.code, state: "in_progress" }, "ro", CATALOGUE)).toBe(
      "Obturație din compozit · în lucru",
    );
    expect(findingLabel({ type: "procedure", code: "gone.code", state: "done" }, "en", CATALOGUE)).toBe("gone.code · done");
    expect(findingName({ type: "procedure", code: extraction.code, state: "planned" }, "en", CATALOGUE)).toBe("Simple extraction");
    expect(findingName({ type: "condition", condition: "missing", resolved: true }, "ro", CATALOGUE)).toBe("Absent");
  });

  it("describe an entry with its surfaces, and a tooth with its entries", () => {
    const e = entry({ tooth: 26, surfaces: ["lingual", "occlusal"] });
    expect(entryLabel(e, "en", CATALOGUE)).toBe("Caries (occlusal, palatal)");
    expect(toothDescription(26, [e, entry({ tooth: 25 })], "ro", CATALOGUE)).toBe("Dintele 26: Carie (ocluzal, palatinal)");
    expect(toothDescription(27, [e], "en", CATALOGUE)).toBe("Tooth 27: nothing charted");
  });
});

describe("selection", () => {
  it("toggles surfaces on the picked tooth and starts afresh on another", () => {
    let sel = pickTooth({ tooth: null, surfaces: [] }, 36);
    expect(sel).toEqual({ tooth: 36, surfaces: [] });
    sel = pickSurface(sel, 36, "occlusal");
    sel = pickSurface(sel, 36, "mesial");
    expect(sel).toEqual({ tooth: 36, surfaces: ["mesial", "occlusal"] });
    sel = pickSurface(sel, 36, "occlusal");
    expect(sel.surfaces).toEqual(["mesial"]);
    expect(pickTooth(sel, 36)).toBe(sel);
    expect(pickSurface(sel, 37, "distal")).toEqual({ tooth: 37, surfaces: ["distal"] });
    expect(pickTooth(sel, 11)).toEqual({ tooth: 11, surfaces: [] });
  });
});

describe("entries that follow others", () => {
  it("mark a planned or started procedure done today, on the same tooth and surfaces", () => {
    const planned = entry({
      id: "p-1",
      tooth: 36,
      surfaces: ["mesial", "occlusal"],
      finding: { type: "procedure", code: composite.code, state: "planned" },
      note: "under anaesthesia",
    });
    expect(markDoneEntry(planned, "2026-11-25")).toEqual({
      tooth: 36,
      surfaces: ["mesial", "occlusal"],
      finding: { type: "procedure", code: composite.code, state: "done" },
      date: "2026-11-25",
      note: null,
      supersedes: "p-1",
    });
    expect(markDoneEntry({ ...planned, finding: { ...planned.finding, state: "in_progress" } } as ChartEntryDto, "2026-11-25")?.supersedes).toBe("p-1");
    expect(markDoneEntry({ ...planned, finding: { type: "procedure", code: composite.code, state: "done" } })).toBeNull();
    expect(markDoneEntry(entry())).toBeNull();
  });

  it("resolve a finding today, following the entry that recorded it", () => {
    const caries = entry({ id: "c-1", tooth: 16, surfaces: ["occlusal"] });
    expect(resolveEntry(caries, "2026-11-25")).toEqual({
      tooth: 16,
      surfaces: ["occlusal"],
      finding: { type: "condition", condition: "caries", resolved: true },
      date: "2026-11-25",
      note: null,
      supersedes: "c-1",
    });
    expect(resolveEntry({ ...caries, finding: { type: "condition", condition: "caries", resolved: true } })).toBeNull();
    expect(resolveEntry(entry({ finding: { type: "procedure", code: "x", state: "planned" } }))).toBeNull();
  });

  it("know which entries a later one follows", () => {
    expect([...supersededIds([entry({ id: "a" }), entry({ supersedes: "a" }), entry({ supersedes: null })])]).toEqual(["a"]);
  });
});

describe("the entry form", () => {
  const today = "2026-11-25";

  it("starts as a finding dated today on the surfaces picked", () => {
    expect(emptyEntryForm(today, ["occlusal", "mesial"])).toEqual({
      kind: "condition",
      condition: "caries",
      code: "",
      state: "planned",
      surfaces: ["mesial", "occlusal"],
      date: today,
      note: "",
    });
  });

  it("asks for an active procedure, its surfaces when it needs them, and a date not in the future", () => {
    const form = emptyEntryForm(today);
    expect(hasEntryProblems(entryFormProblems(form, CATALOGUE, today))).toBe(false);
    expect(entryFormProblems({ ...form, kind: "procedure" }, CATALOGUE, today).procedure).toBe(true);
    expect(entryFormProblems({ ...form, kind: "procedure", code: retired.code }, CATALOGUE, today).procedure).toBe(true);
    expect(entryFormProblems({ ...form, kind: "procedure", code: composite.code }, CATALOGUE, today)).toEqual({
      procedure: false,
      surfaces: true,
      date: null,
    });
    expect(entryFormProblems({ ...form, kind: "procedure", code: extraction.code }, CATALOGUE, today).surfaces).toBe(false);
    expect(entryFormProblems({ ...form, date: "" }, CATALOGUE, today).date).toBe("missing");
    expect(entryFormProblems({ ...form, date: "2026-11-26" }, CATALOGUE, today).date).toBe("future");
    // A finding needs no surfaces, whatever the procedure chosen before switching.
    expect(entryFormProblems({ ...form, code: composite.code }, CATALOGUE, today).surfaces).toBe(false);
  });

  it("becomes the entry the core takes", () => {
    const form = { ...emptyEntryForm(today, ["occlusal"]), note: "  deep  " };
    expect(toNewChartEntry(form, 46)).toEqual({
      tooth: 46,
      surfaces: ["occlusal"],
      finding: { type: "condition", condition: "caries", resolved: false },
      date: today,
      note: "deep",
      supersedes: null,
    });
    const proc = { ...emptyEntryForm(today), kind: "procedure" as const, code: extraction.code, state: "done" as const };
    expect(toNewChartEntry(proc, 18)).toMatchObject({
      surfaces: [],
      finding: { type: "procedure", code: extraction.code, state: "done" },
      note: null,
    });
  });
});
