import { describe, expect, it } from "vitest";

import type { ProcedureDto } from "./bindings/ProcedureDto";
import {
  activeProcedures,
  feeInput,
  feeText,
  hasProcedureProblems,
  parseFee,
  procedureFormFrom,
  procedureFormProblems,
  procedureName,
  toProcedureDto,
  withProcedure,
} from "./catalogue";

const p = (code: string, name_en: string, name_ro: string, active = true): ProcedureDto => ({
  code,
  name_ro,
  name_en,
  fee_bani: 10000,
  needs: "tooth",
  active,
});

describe("the catalogue", () => {
  const list = [
    p("exam.initial", "Initial examination", "Consultație inițială"),
    p("crown.zirconia", "Zirconia crown", "Coroană din zirconiu"),
    p("restoration.amalgam", "Amalgam filling", "Amalgam", false),
  ];

  it("names a procedure in the language in use and lists the active ones by that name", () => {
    expect(procedureName(list[1]!, "ro")).toBe("Coroană din zirconiu");
    expect(activeProcedures(list, "en").map((x) => x.code)).toEqual(["exam.initial", "crown.zirconia"]);
    expect(activeProcedures([...list].reverse(), "ro").map((x) => x.code)).toEqual(["exam.initial", "crown.zirconia"]);
  });

  it("adds or replaces a procedure by code, keeping the list by code", () => {
    const changed = { ...list[0]!, fee_bani: 20000 };
    expect(withProcedure(list, changed).map((x) => [x.code, x.fee_bani])).toEqual([
      ["crown.zirconia", 10000],
      ["exam.initial", 20000],
      ["restoration.amalgam", 10000],
    ]);
    expect(withProcedure(list, p("a.first", "A", "A")).map((x) => x.code)[0]).toBe("a.first");
  });
});

describe("fees", () => {
  it("are shown in lei as written in Romania", () => {
    expect(feeText(30000).replace(/\s/g, " ")).toBe("300,00 RON");
    expect(feeText(123450).replace(/\s/g, " ")).toBe("1.234,50 RON");
  });

  it("are typed in lei with a comma or a dot and at most two decimals", () => {
    expect(parseFee("150")).toBe(15000);
    expect(parseFee(" 150,5 ")).toBe(15050);
    expect(parseFee("150.05")).toBe(15005);
    expect(parseFee("0")).toBe(0);
    expect(parseFee("1 500")).toBe(150000);
    for (const bad of ["", "abc", "-5", "1,234,5", "150,555", "1.234,50"]) expect(parseFee(bad), bad).toBeNull();
  });

  it("round-trip through the form", () => {
    for (const bani of [0, 5, 15000, 15050, 123405]) expect(parseFee(feeInput(bani))).toBe(bani);
    expect(feeInput(15050)).toBe("150,50");
    expect(feeInput(15000)).toBe("150");
  });
});

describe("the procedure form", () => {
  const taken = ["exam.initial"];

  it("starts blank for a new procedure and from the procedure when editing", () => {
    expect(procedureFormFrom(null)).toEqual({ code: "", nameRo: "", nameEn: "", fee: "", needs: "tooth", active: true });
    expect(procedureFormFrom({ ...p("exam.initial", "Exam", "Consultație"), fee_bani: 15050 })).toMatchObject({
      code: "exam.initial",
      fee: "150,50",
    });
  });

  it("asks for a code of lower-case letters, digits, dots and underscores, not taken by another", () => {
    const ok = { code: "restoration.composite_2", nameRo: "Obturație", nameEn: "Filling", fee: "300", needs: "surfaces" as const, active: true };
    expect(hasProcedureProblems(procedureFormProblems(ok, true, taken))).toBe(false);
    expect(procedureFormProblems({ ...ok, code: " " }, true, taken).code).toBe("missing");
    expect(procedureFormProblems({ ...ok, code: "Restoration" }, true, taken).code).toBe("format");
    expect(procedureFormProblems({ ...ok, code: "a-b" }, true, taken).code).toBe("format");
    expect(procedureFormProblems({ ...ok, code: "x".repeat(65) }, true, taken).code).toBe("format");
    expect(procedureFormProblems({ ...ok, code: "exam.initial" }, true, taken).code).toBe("taken");
    expect(procedureFormProblems({ ...ok, code: "exam.initial" }, false, taken).code).toBeNull();
  });

  it("asks for both names and a fee up to 1,000,000 RON", () => {
    const ok = { code: "x", nameRo: "a", nameEn: "b", fee: "1", needs: "none" as const, active: false };
    expect(procedureFormProblems({ ...ok, nameRo: " ", nameEn: "" }, true, taken)).toMatchObject({ nameRo: true, nameEn: true });
    expect(procedureFormProblems({ ...ok, fee: "" }, true, taken).fee).toBe("missing");
    expect(procedureFormProblems({ ...ok, fee: "1,234" }, true, taken).fee).toBe("format");
    expect(procedureFormProblems({ ...ok, fee: "1000000" }, true, taken).fee).toBeNull();
    expect(procedureFormProblems({ ...ok, fee: "1000000,01" }, true, taken).fee).toBe("range");
  });

  it("becomes the procedure the core takes, trimmed, with the fee in bani", () => {
    expect(
      toProcedureDto({ code: " sealant ", nameRo: " Sigilare ", nameEn: "Sealant", fee: "120,5", needs: "surfaces", active: true }),
    ).toEqual({ code: "sealant", name_ro: "Sigilare", name_en: "Sealant", fee_bani: 12050, needs: "surfaces", active: true });
  });
});
