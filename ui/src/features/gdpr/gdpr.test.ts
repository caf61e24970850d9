import { describe, expect, it } from "vitest";

import type { ErasedPart } from "../../lib/bindings/ErasedPart";
import type { ErasurePlanLine } from "../../lib/bindings/ErasurePlanLine";
import { maker } from "../../lib/testing";
import {
  confirmMatches,
  confirmWord,
  defaultErasureLetterPath,
  emptyExportForm,
  ERASED_KINDS,
  exportArgs,
  exportFormProblems,
  GDPR_MODULES,
  hasExportProblems,
  MIN_PASSPHRASE,
  moduleKey,
  moduleLabel,
  partKey,
  passphraseWords,
  planRows,
  reportRows,
  reportTotals,
  type ExportForm,
} from "./gdpr";

const KEEP_CONSENT = {
  ro: "dovada consimțământului (art. 7 alin. (1) GDPR)",
  en: "proof of consent (Art. 7(1) GDPR)",
};

const form = maker<ExportForm>(emptyExportForm);

describe("the export form", () => {
  const plain = { passphrase: null, generatePassphrase: false, keepImageMetadata: false, lang: null };

  it("starts in the home folder, unencrypted, images de-identified, in the patient's language, ready to send", () => {
    const f = emptyExportForm();
    expect(f.dir).toBe("~");
    expect(f.lang).toBeNull();
    expect(f.encryption).toBe("none");
    expect(f.keepImageMetadata).toBe(false);
    expect(hasExportProblems(exportFormProblems(f))).toBe(false);
    expect(exportArgs(f)).toEqual({ dir: "~", ...plain });
  });

  it("sends the letter language only when one was picked", () => {
    expect(exportArgs(form({ lang: "en" })).lang).toBe("en");
    expect(exportArgs(form({ lang: "ro" })).lang).toBe("ro");
    expect(exportArgs(form({ lang: null })).lang).toBeNull();
  });

  it("asks for a folder", () => {
    expect(exportFormProblems(form({ dir: "   " })).dir).toBe("missing");
  });

  it("ignores whatever is in the passphrase fields unless the DPO types one, and never sends it", () => {
    for (const encryption of ["none", "generated"] as const) {
      const f = form({ encryption, passphrase: "short", again: "other" });
      expect(hasExportProblems(exportFormProblems(f))).toBe(false);
      expect(exportArgs(f).passphrase).toBeNull();
    }
  });

  it("asks the core to generate the words only when chosen, with no passphrase of its own", () => {
    expect(exportArgs(form({ encryption: "generated" }))).toEqual({ dir: "~", ...plain, generatePassphrase: true });
    expect(exportArgs(form({ encryption: "none" })).generatePassphrase).toBe(false);
    const typed = form({ encryption: "passphrase", passphrase: "cal verde pe munte", again: "cal verde pe munte" });
    expect(exportArgs(typed).generatePassphrase).toBe(false);
  });

  it("keeps image metadata only when ticked", () => {
    expect(exportArgs(form({ keepImageMetadata: true })).keepImageMetadata).toBe(true);
  });

  it("rejects a missing or short passphrase when the DPO types one", () => {
    expect(exportFormProblems(form({ encryption: "passphrase" })).passphrase).toBe("missing");
    const short = "a".repeat(MIN_PASSPHRASE - 1);
    const p = exportFormProblems(form({ encryption: "passphrase", passphrase: short, again: short }));
    expect(p.passphrase).toBe("short");
    expect(hasExportProblems(p)).toBe(true);
  });

  it("counts characters as the core does: diacritics and emoji are one character each", () => {
    const eleven = "șțăîâ🦷🦷abcd";
    expect([...eleven].length).toBe(11);
    const typed = (p: string) => form({ encryption: "passphrase", passphrase: p, again: p });
    expect(exportFormProblems(typed(eleven)).passphrase).toBe("short");
    expect(hasExportProblems(exportFormProblems(typed(`${eleven}e`)))).toBe(false);
  });

  it("rejects two passphrases that differ", () => {
    const p = exportFormProblems(
      form({ encryption: "passphrase", passphrase: "cal verde pe munte", again: "cal verde pe munte " }),
    );
    expect(p).toEqual({ dir: null, passphrase: null, again: "mismatch" });
  });

  it("sends a good passphrase exactly as typed, and the folder trimmed", () => {
    const f = form({
      dir: " ~/stick ",
      encryption: "passphrase",
      passphrase: " cal verde pe munte",
      again: " cal verde pe munte",
    });
    expect(hasExportProblems(exportFormProblems(f))).toBe(false);
    expect(exportArgs(f)).toEqual({ dir: "~/stick", ...plain, passphrase: " cal verde pe munte" });
  });

  it("shows generated words one by one, and nothing when there are none", () => {
    expect(passphraseWords("abac  tabla casa sobe pace lumina")).toEqual([
      "abac",
      "tabla",
      "casa",
      "sobe",
      "pace",
      "lumina",
    ]);
    expect(passphraseWords(null)).toEqual([]);
    expect(passphraseWords(undefined)).toEqual([]);
  });
});

describe("defaultErasureLetterPath", () => {
  it("names the letter by the day and a piece of the patient's id, in the letter's language", () => {
    const id = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    expect(defaultErasureLetterPath(id, "2026-11-25", "ro")).toBe("~/cuspid-raspuns-stergere-2026-11-25-3f4a5b.pdf");
    expect(defaultErasureLetterPath(id, "2026-11-25", "en")).toBe("~/cuspid-erasure-answer-2026-11-25-3f4a5b.pdf");
  });

  it("does without the id piece when the id has no hex digits", () => {
    expect(defaultErasureLetterPath("--", "2026-11-25", "ro")).toBe("~/cuspid-raspuns-stergere-2026-11-25.pdf");
  });
});

describe("the confirmation word", () => {
  it("is ȘTERGE in Romanian and ERASE in English", () => {
    expect(confirmWord("ro")).toBe("ȘTERGE");
    expect(confirmWord("en")).toBe("ERASE");
  });

  it("matches when typed as shown, in any case, with or without diacritics", () => {
    for (const typed of ["ȘTERGE", "șterge", "STERGE", " sterge ", "Ştergé"]) {
      expect(confirmMatches(typed, "ro"), typed).toBe(true);
    }
    expect(confirmMatches("erase", "en")).toBe(true);
  });

  it("does not match anything else, nor the other language's word", () => {
    for (const typed of ["", "  ", "STERG", "STERGE!", "ERASE"]) {
      expect(confirmMatches(typed, "ro"), typed).toBe(false);
    }
    expect(confirmMatches("ȘTERGE", "en")).toBe(false);
  });
});

describe("names of modules and kinds of records", () => {
  it("has a name for every module and kind the core reports", () => {
    for (const m of GDPR_MODULES) expect(moduleKey(m), m).not.toBeNull();
    for (const k of ERASED_KINDS) expect(partKey(k), k).not.toBeNull();
    expect(moduleLabel("consent", "ro")).toBe("Consimțămintele");
    expect(moduleLabel("consent", "en")).toBe("Consent records");
  });

  it("keeps the core's name for a module the UI does not know yet", () => {
    expect(moduleKey("invoices")).toBeNull();
    expect(moduleLabel("invoices", "ro")).toBe("invoices");
  });
});

describe("planRows", () => {
  const plan: ErasurePlanLine[] = [
    { module: "patients", fate: "erase", until: null, why: null },
    { module: "consent", fate: "keep", until: "2031-11-25", why: KEEP_CONSENT },
    { module: "audit", fate: "keep", until: "2032-01-31" },
  ];

  it("says which modules will be erased, in the core's order", () => {
    const rows = planRows(plan, "en");
    expect(rows.map((r) => r.module)).toEqual(["patients", "consent", "audit"]);
    expect(rows[0]).toMatchObject({ fate: "erase", text: "will be erased", until: null, why: null });
    expect(planRows(plan, "ro")[0]!.text).toBe("se șterge");
  });

  it("shows a kept module's date and its reason in the chosen language", () => {
    expect(planRows(plan, "ro")[1]).toMatchObject({
      fate: "keep",
      label: "Consimțămintele",
      until: "2031-11-25",
      why: KEEP_CONSENT.ro,
      text: `se păstrează până la 25.11.2031: ${KEEP_CONSENT.ro}`,
    });
    expect(planRows(plan, "en")[1]!.text).toBe(`kept until 25/11/2031: ${KEEP_CONSENT.en}`);
  });

  it("words a kept module without a reason by its date alone", () => {
    expect(planRows(plan, "en")[2]).toMatchObject({ fate: "keep", why: null, text: "kept until 31/01/2032" });
  });
});

describe("reportRows", () => {
  const parts: ErasedPart[] = [
    { kind: "patient", erased: 1, kept: 0 },
    { kind: "corrections", erased: 3, kept: 0, kept_until: null, kept_why: null },
    { kind: "consents", erased: 0, kept: 2, kept_until: "2031-11-25", kept_why: KEEP_CONSENT },
    { kind: "guardians", erased: 0, kept: 0 },
    { kind: "erasures", erased: 0, kept: 0, kept_until: "2031-11-25", kept_why: KEEP_CONSENT },
    { kind: "access_log", erased: 0, kept: 20, kept_until: "2032-01-31", kept_why: null },
  ];

  it("leaves out the kinds with nothing erased or kept", () => {
    expect(reportRows(parts, "en").map((r) => r.kind)).toEqual(["patient", "corrections", "consents", "access_log"]);
  });

  it("counts what was erased, in the language's plural forms", () => {
    const ro = reportRows(parts, "ro");
    expect(ro[0]).toMatchObject({ label: "Date de identificare și de contact", erasedText: "1 înregistrare ștearsă", keptText: null });
    expect(ro[1]!.erasedText).toBe("3 înregistrări șterse");
    expect(reportRows(parts, "en")[1]!.erasedText).toBe("3 records erased");
  });

  it("shows a kept part's count, date and reason in the chosen language", () => {
    const [, , consentsRo] = reportRows(parts, "ro");
    expect(consentsRo).toMatchObject({
      erasedText: null,
      keptText: "2 înregistrări păstrate până la 25.11.2031",
      why: KEEP_CONSENT.ro,
    });
    const [, , consentsEn] = reportRows(parts, "en");
    expect(consentsEn).toMatchObject({ keptText: "2 records kept until 25/11/2031", why: KEEP_CONSENT.en });
    expect(reportRows(parts, "ro")[3]).toMatchObject({ keptText: "20 de înregistrări păstrate până la 31.01.2032", why: null });
  });

  it("adds up what went and what stays", () => {
    expect(reportTotals({ parts })).toEqual({ erased: 4, kept: 22 });
  });
});
