// The procedure catalogue: names in the language in use, fees in lei, and the editor's
// form. The core checks codes, names and fee ranges again; this module says what to
// correct before a procedure is sent.

import type { Language } from "./bindings/Language";
import type { Needs } from "./bindings/Needs";
import type { ProcedureDto } from "./bindings/ProcedureDto";
import { formatMoney } from "./format";

/** What a procedure needs charted with it, least first (as the form offers them). */
export const NEEDS: readonly Needs[] = ["none", "tooth", "surfaces"];

/** The core's limits: a code of at most 64 characters, a fee up to 1,000,000 RON. */
export const CODE_MAX = 64;
export const FEE_MAX_BANI = 100_000_000;

const CODE = /^[a-z0-9._]+$/;
// Lei with at most two decimals, written with a comma or a dot: 150, 150,5, 150.50.
const FEE = /^(\d{1,9})(?:[.,](\d{1,2}))?$/;

export function isNeeds(value: string): value is Needs {
  return (NEEDS as readonly string[]).includes(value);
}

/** A procedure's name in the language in use. */
export function procedureName(p: ProcedureDto, lang: Language): string {
  return lang === "ro" ? p.name_ro : p.name_en;
}

/** A fee in bani as the clinic writes it, in lei (ro-RO): `1.234,50 RON`. */
export function feeText(bani: number): string {
  return formatMoney(bani / 100, "ro");
}

/** The procedures that can be charted, by name in the language in use. */
export function activeProcedures(catalogue: readonly ProcedureDto[], lang: Language): ProcedureDto[] {
  return catalogue
    .filter((p) => p.active)
    .sort((a, b) => procedureName(a, lang).localeCompare(procedureName(b, lang), lang));
}

/** The catalogue with `p` added or replacing the one with its code, by code. */
export function withProcedure(catalogue: readonly ProcedureDto[], p: ProcedureDto): ProcedureDto[] {
  return [...catalogue.filter((q) => q.code !== p.code), p].sort((a, b) => a.code.localeCompare(b.code));
}

// ---- fees typed in lei ----------------------------------------------------------------

/** Lei typed in the form as bani; null when it is not an amount with at most two decimals. */
export function parseFee(text: string): number | null {
  const m = FEE.exec(text.trim().replace(/\s/g, ""));
  if (!m) return null;
  const lei = Number(m[1]);
  const bani = Number((m[2] ?? "0").padEnd(2, "0"));
  return lei * 100 + bani;
}

/** Bani as the form shows them for editing: `150`, `150,50`. */
export function feeInput(bani: number): string {
  const lei = Math.floor(bani / 100);
  const rest = bani % 100;
  return rest === 0 ? String(lei) : `${lei},${String(rest).padStart(2, "0")}`;
}

// ---- the editor's form --------------------------------------------------------------

export interface ProcedureForm {
  code: string;
  nameRo: string;
  nameEn: string;
  /** In lei, as typed. */
  fee: string;
  needs: Needs;
  active: boolean;
}

export interface ProcedureFormProblems {
  code: "missing" | "format" | "taken" | null;
  nameRo: boolean;
  nameEn: boolean;
  fee: "missing" | "format" | "range" | null;
}

/** The form for a procedure being edited, or a blank one for a new procedure. */
export function procedureFormFrom(p: ProcedureDto | null): ProcedureForm {
  if (!p) return { code: "", nameRo: "", nameEn: "", fee: "", needs: "tooth", active: true };
  return { code: p.code, nameRo: p.name_ro, nameEn: p.name_en, fee: feeInput(p.fee_bani), needs: p.needs, active: p.active };
}

/**
 * What to correct before saving. `takenCodes` are the codes already in the catalogue:
 * a new procedure cannot take one (saving would overwrite that procedure).
 */
export function procedureFormProblems(
  form: ProcedureForm,
  isNew: boolean,
  takenCodes: readonly string[],
): ProcedureFormProblems {
  const code = form.code.trim();
  const fee = parseFee(form.fee);
  return {
    code:
      code === ""
        ? "missing"
        : !CODE.test(code) || code.length > CODE_MAX
          ? "format"
          : isNew && takenCodes.includes(code)
            ? "taken"
            : null,
    nameRo: form.nameRo.trim() === "",
    nameEn: form.nameEn.trim() === "",
    fee: form.fee.trim() === "" ? "missing" : fee === null ? "format" : fee > FEE_MAX_BANI ? "range" : null,
  };
}

export function hasProcedureProblems(p: ProcedureFormProblems): boolean {
  return p.code !== null || p.nameRo || p.nameEn || p.fee !== null;
}

/** The procedure to save; call only once the form has no problems. */
export function toProcedureDto(form: ProcedureForm): ProcedureDto {
  return {
    code: form.code.trim(),
    name_ro: form.nameRo.trim(),
    name_en: form.nameEn.trim(),
    fee_bani: parseFee(form.fee) ?? 0,
    needs: form.needs,
    active: form.active,
  };
}
