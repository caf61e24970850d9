import { describe, expect, it } from "vitest";

import type { PerioTooth } from "../../lib/bindings/PerioTooth";
import { maker, TODAY } from "../../lib/testing";
import {
  ALL_TEETH,
  SITES,
  depthClass,
  displaySites,
  emptyGrid,
  gridFromExam,
  hasPerioProblems,
  isEntered,
  isMultiRooted,
  measuredTeeth,
  mmInput,
  parseMm,
  shownRows,
  perioProblemTexts,
  perioProblems,
  perioSummaryText,
  siteIndex,
  toNewPerioExam,
  type PerioGrid,
  type Six,
} from "./perio";

/** A tooth as the core is sent it: nothing measured unless given. */
const sentTooth = maker<PerioTooth>(() => ({
  tooth: 11,
  depths: [0, 0, 0, 0, 0, 0],
  recession: [0, 0, 0, 0, 0, 0],
  bleeding: [false, false, false, false, false, false],
  mobility: 0,
  furcation: 0,
}));

const UPPER = [18, 17, 16, 15, 14, 13, 12, 11, 21, 22, 23, 24, 25, 26, 27, 28];

function probed(grid: PerioGrid, tooth: number, depths: Six<string>) {
  grid[tooth]!.depths = depths;
  return grid;
}

describe("sites and teeth", () => {
  it("keep the core's site order", () => {
    expect(SITES).toEqual(["db", "b", "mb", "dl", "l", "ml"]);
    expect(siteIndex("dl")).toBe(3);
  });

  it("draw the distal site towards the back of the mouth, facing the patient", () => {
    expect(displaySites(16, "buccal")).toEqual(["db", "b", "mb"]);
    expect(displaySites(26, "buccal")).toEqual(["mb", "b", "db"]);
    expect(displaySites(46, "lingual")).toEqual(["dl", "l", "ml"]);
    expect(displaySites(36, "lingual")).toEqual(["ml", "l", "dl"]);
    expect(displaySites(85, "buccal")).toEqual(["db", "b", "mb"]);
  });

  it("grade furcation on molars, upper first premolars and primary molars only", () => {
    const multi = ALL_TEETH.filter(isMultiRooted).sort((a, b) => a - b);
    expect(multi).toEqual([14, 16, 17, 18, 24, 26, 27, 28, 36, 37, 38, 46, 47, 48, 54, 55, 64, 65, 74, 75, 84, 85]);
    expect(isMultiRooted(34)).toBe(false);
    expect(isMultiRooted(15)).toBe(false);
  });

  it("show a dentition's rows with the teeth kept, empty rows dropped", () => {
    const rows = shownRows("mixed", (t) => [16, 11, 55, 46].includes(t));
    expect(rows.map((r) => [r.jaw, r.primary, r.teeth])).toEqual([
      ["upper", false, [16, 11]],
      ["upper", true, [55]],
      ["lower", false, [46]],
    ]);
  });

  it("cover every permanent and primary tooth", () => {
    expect(ALL_TEETH).toHaveLength(52);
    expect(Object.keys(emptyGrid())).toHaveLength(52);
  });
});

describe("the grid as typed", () => {
  it("keeps at most two digits in a cell and reads 0-15 mm", () => {
    expect(mmInput("4a")).toBe("4");
    expect(mmInput("123")).toBe("12");
    expect(parseMm("")).toBeNull();
    expect(parseMm(" 0 ")).toBe(0);
    expect(parseMm("15")).toBe(15);
    expect(parseMm("16")).toBe("invalid");
    expect(parseMm("x")).toBe("invalid");
  });

  it("counts a tooth as entered once anything is on it", () => {
    const grid = emptyGrid();
    expect(isEntered(grid[16]!)).toBe(false);
    grid[16]!.bleeding[2] = true;
    expect(isEntered(grid[16]!)).toBe(true);
    grid[17]!.mobility = 1;
    grid[15]!.recession[0] = "2";
    expect(measuredTeeth(grid, UPPER)).toEqual([15, 16, 17]);
  });

  it("leaves out teeth marked missing and teeth the dentition does not show", () => {
    const grid = probed(probed(emptyGrid(), 16, ["3", "2", "3", "3", "2", "3"]), 11, ["2", "2", "2", "2", "2", "2"]);
    grid[11]!.present = false;
    probed(grid, 55, ["2", "2", "2", "2", "2", "2"]);
    expect(measuredTeeth(grid, UPPER)).toEqual([16]);
  });

  it("highlights depths of 4 mm, strongly from 6 mm", () => {
    expect(["", "3", "4", "5", "6", "12", "x"].map(depthClass)).toEqual([
      "",
      "",
      "perio-deep",
      "perio-deep",
      "perio-very-deep",
      "perio-very-deep",
      "",
    ]);
  });
});

describe("checking and sending an examination", () => {
  it("wants a tooth, six depths on each tooth entered, 0-15 mm and a day not in the future", () => {
    const grid = emptyGrid();
    expect(perioProblems(grid, UPPER, TODAY, TODAY)).toEqual({ date: null, none: true, incomplete: [], outOfRange: [] });
    grid[16]!.depths = ["3", "", "4", "3", "2", "3"];
    grid[26]!.depths = ["3", "3", "3", "3", "3", "3"];
    grid[26]!.recession[1] = "20";
    const p = perioProblems(grid, UPPER, "2026-11-26", TODAY);
    expect(p).toEqual({ date: "future", none: false, incomplete: [16], outOfRange: [26] });
    expect(hasPerioProblems(p)).toBe(true);
    expect(perioProblemTexts(p, "en")).toEqual([
      "Tooth 16: enter all six probing depths.",
      "Tooth 26: depths and recession are whole millimetres from 0 to 15.",
    ]);
    expect(perioProblemTexts({ ...p, incomplete: [16, 26], outOfRange: [], none: true }, "ro")).toEqual([
      "Introduceți măsurătorile a cel puțin un dinte.",
      "Dinții 16, 26: introduceți toate cele șase adâncimi de sondare.",
    ]);
  });

  it("sends the teeth measured in FDI order, blank recession as 0, furcation only where it is graded", () => {
    const grid = emptyGrid();
    probed(grid, 26, ["3", "5", "6", "3", "2", "4"]);
    grid[26]!.bleeding = [false, true, true, false, false, false];
    grid[26]!.recession = ["1", "", "", "", "", "2"];
    grid[26]!.furcation = 2;
    grid[26]!.mobility = 1;
    probed(grid, 11, ["2", "2", "2", "2", "2", "2"]);
    grid[11]!.furcation = 1;
    const exam = toNewPerioExam(grid, UPPER, TODAY, "  ");
    expect(hasPerioProblems(perioProblems(grid, UPPER, TODAY, TODAY))).toBe(false);
    expect(exam).toEqual({
      date: TODAY,
      note: null,
      teeth: [
        sentTooth({ tooth: 11, depths: [2, 2, 2, 2, 2, 2] }),
        sentTooth({
          tooth: 26,
          depths: [3, 5, 6, 3, 2, 4],
          recession: [1, 0, 0, 0, 0, 2],
          bleeding: [false, true, true, false, false, false],
          mobility: 1,
          furcation: 2,
        }),
      ],
    });
    expect(toNewPerioExam(grid, UPPER, TODAY, " recall in 3 months ").note).toBe("recall in 3 months");
  });

  it("shows a recorded examination back in the grid, the teeth not measured absent", () => {
    const tooth = sentTooth({
      tooth: 36,
      depths: [3, 4, 5, 3, 2, 6],
      recession: [0, 1, 0, 0, 0, 0],
      bleeding: [true, false, false, false, false, true],
      mobility: 1,
      furcation: 1,
    });
    const grid = gridFromExam([tooth]);
    expect(grid[36]).toEqual({
      present: true,
      depths: ["3", "4", "5", "3", "2", "6"],
      recession: ["0", "1", "0", "0", "0", "0"],
      bleeding: tooth.bleeding,
      mobility: 1,
      furcation: 1,
    });
    expect(grid[37]!.present).toBe(false);
    expect(toNewPerioExam(grid, [36, 37], TODAY, "").teeth).toEqual([tooth]);
  });

  it("sums an examination up in either language, with Romanian plurals", () => {
    const exam = { sites: 36, bleeding_percent: 16.7, deep_sites: 1 };
    expect(perioSummaryText(exam, "en")).toBe("36 sites, bleeding on probing 16.7%, 1 site of 4 mm or deeper");
    expect(perioSummaryText({ ...exam, deep_sites: 4 }, "ro")).toBe(
      "36 de situsuri, sângerare la sondare 16,7%, 4 situsuri de 4 mm sau mai adânci",
    );
  });
});
