import { describe, expect, it } from "vitest";

import type { Action } from "../../lib/bindings/Action";
import type { ActivityDto } from "../../lib/bindings/ActivityDto";
import { en } from "../../lib/i18n/en";
import { ro } from "../../lib/i18n/ro";
import { sectionsFor } from "../../lib/permissions";
import { maker } from "../../lib/testing";
import { RETENTION_CATEGORIES } from "../settings/retention";
import {
  ACTIVITY_TEXT_FIELDS,
  activityFormFrom,
  activityFormProblems,
  defaultRegisterPath,
  dpoLine,
  hasActivityProblems,
  pathForFormat,
  toActivityInput,
  toggleCategory,
  withActivity,
  type ActivityForm,
} from "./register";

const activity = maker<ActivityDto>(() => ({
  code: "A01",
  retention: "medical records: 7 years after the last treatment",
  name: "Patient records",
  purpose: "Dental charts and treatment plans for the patient's care",
  data_categories: "Health data (Art. 9), identity, contact",
  data_subjects: "Patients, guardians",
  legal_basis: "Art. 6(1)(b); Art. 9(2)(h)",
  retention_categories: ["medical_records", "xrays"],
  retention_note: null,
  recipients: "Clinic staff",
  transfers: "none",
  security_measures: "Encrypted field by field",
}));

const form = (over: Partial<ActivityForm> = {}): ActivityForm => ({ ...activityFormFrom(activity()), ...over });

describe("the activity form", () => {
  it("starts from the activity as the register holds it, a missing note as empty text", () => {
    const f = activityFormFrom(activity());
    expect(f.name).toBe("Patient records");
    expect(f.retention_categories).toEqual(["medical_records", "xrays"]);
    expect(f.retention_note).toBe("");
    expect(activityFormFrom(activity({ retention_note: "2 years" })).retention_note).toBe("2 years");
    expect(activityFormFrom(activity({ retention_note: undefined })).retention_note).toBe("");
  });

  it("does not share the category list with the activity it came from", () => {
    const a = activity();
    const f = activityFormFrom(a);
    f.retention_categories.push("invoices");
    expect(a.retention_categories).toEqual(["medical_records", "xrays"]);
  });

  it("has no problems when filled in as the default register is", () => {
    const p = activityFormProblems(form());
    expect(p).toEqual({ missing: [], retention: null });
    expect(hasActivityProblems(p)).toBe(false);
  });

  it("flags every empty required field, spaces counting as empty", () => {
    const p = activityFormProblems(form({ purpose: "", recipients: "   \n", transfers: "" }));
    expect(p.missing).toEqual(["purpose", "recipients", "transfers"]);
    expect(hasActivityProblems(p)).toBe(true);
    const blank = Object.fromEntries(ACTIVITY_TEXT_FIELDS.map((k) => [k, " "])) as Partial<ActivityForm>;
    expect(activityFormProblems(form(blank)).missing).toEqual([...ACTIVITY_TEXT_FIELDS]);
  });

  it("wants a retention category or a note, as the core does", () => {
    expect(activityFormProblems(form({ retention_categories: [], retention_note: " " })).retention).toBe("missing");
    expect(activityFormProblems(form({ retention_categories: [], retention_note: "2 years" })).retention).toBeNull();
    expect(activityFormProblems(form({ retention_categories: ["backups"], retention_note: "" })).retention).toBeNull();
    expect(hasActivityProblems(activityFormProblems(form({ retention_categories: [] })))).toBe(true);
  });

  it("builds the input trimmed, an empty note dropped", () => {
    const input = toActivityInput(
      form({ name: "  Patient records ", purpose: "\tcare\n", transfers: " none ", retention_note: "   " }),
    );
    expect(input.name).toBe("Patient records");
    expect(input.purpose).toBe("care");
    expect(input.transfers).toBe("none");
    expect(input.retention_note).toBeNull();
    expect(toActivityInput(form({ retention_note: "  account life + 90 days " })).retention_note).toBe(
      "account life + 90 days",
    );
  });

  it("sends each category once and keeps every ActivityInput field", () => {
    const input = toActivityInput(form({ retention_categories: ["xrays", "xrays", "invoices"] }));
    expect(input.retention_categories).toEqual(["xrays", "invoices"]);
    expect(Object.keys(input).sort()).toEqual(
      [...ACTIVITY_TEXT_FIELDS, "retention_categories", "retention_note"].sort(),
    );
  });
});

describe("toggleCategory", () => {
  it("keeps the schedule's order whatever order the boxes are ticked in", () => {
    let picked: string[] = [];
    for (const c of ["backups", "medical_records", "invoices"]) picked = toggleCategory(picked, c, true, RETENTION_CATEGORIES);
    expect(picked).toEqual(["medical_records", "invoices", "backups"]);
    expect(toggleCategory(picked, "invoices", false, RETENTION_CATEGORIES)).toEqual(["medical_records", "backups"]);
  });

  it("does not add a category twice and keeps one the schedule does not know at the end", () => {
    expect(toggleCategory(["xrays"], "xrays", true, RETENTION_CATEGORIES)).toEqual(["xrays"]);
    expect(toggleCategory(["chart_notes", "xrays"], "medical_records", true, RETENTION_CATEGORIES)).toEqual([
      "medical_records",
      "xrays",
      "chart_notes",
    ]);
  });
});

describe("withActivity", () => {
  it("replaces the changed activity in place and leaves the others", () => {
    const list = [activity(), activity({ code: "A02", name: "Appointments" })];
    const changed = activity({ code: "A02", name: "Appointments and reminders", retention: "appointments: 3 years" });
    const next = withActivity(list, changed);
    expect(next.map((a) => a.code)).toEqual(["A01", "A02"]);
    expect(next[1]).toBe(changed);
    expect(next[0]).toBe(list[0]);
    expect(list[1]!.name).toBe("Appointments");
  });
});

describe("the exports", () => {
  it("offer a dated file in the home folder, named in the chosen language", () => {
    expect(defaultRegisterPath("pdf", "ro", "2026-11-25")).toBe("~/cuspid-registru-art30-2026-11-25.pdf");
    expect(defaultRegisterPath("csv", "ro", "2026-11-25")).toBe("~/cuspid-registru-art30-2026-11-25.csv");
    expect(defaultRegisterPath("pdf", "en", "2026-11-25")).toBe("~/cuspid-article30-register-2026-11-25.pdf");
  });

  it("give the path the extension of the button pressed", () => {
    expect(pathForFormat("~/Documente/registru-art30.pdf", "csv")).toBe("~/Documente/registru-art30.csv");
    expect(pathForFormat("~/Documente/registru-art30.CSV", "pdf")).toBe("~/Documente/registru-art30.pdf");
    expect(pathForFormat(" ~/registru ", "pdf")).toBe("~/registru.pdf");
    expect(pathForFormat("C:\\Users\\dpo\\registru", "csv")).toBe("C:\\Users\\dpo\\registru.csv");
    expect(pathForFormat("~/.registru", "csv")).toBe("~/.registru.csv");
  });

  it("keep an extension the DPO chose and leave an empty path or a folder alone", () => {
    expect(pathForFormat("~/registru.txt", "csv")).toBe("~/registru.txt");
    expect(pathForFormat("  ", "pdf")).toBe("");
    expect(pathForFormat("~/Documente/", "pdf")).toBe("~/Documente/");
    expect(pathForFormat("~", "pdf")).toBe("~");
  });
});

describe("the controller", () => {
  it("words the DPO in one line with what is given, as the register prints it", () => {
    expect(dpoLine({ name: "Ana Pop", email: "dpo@clinica.ro", phone: "0721234567" })).toBe(
      "Ana Pop, dpo@clinica.ro, 0721234567",
    );
    expect(dpoLine({ name: "Ana Pop", email: null, phone: "0721234567" })).toBe("Ana Pop, 0721234567");
    expect(dpoLine({ name: "Ana Pop", email: " " })).toBe("Ana Pop");
  });
});

describe("the register screen", () => {
  const session = (permissions: Action[]) => ({ username: "x", role: "dpo" as const, permissions, mfa_pending: false });

  it("is in the navigation for the DPO alone, after the request log", () => {
    const dpo: Action[] = ["patient.search", "staff.list", "settings.read", "request.manage", "retention.manage"];
    expect(sectionsFor(session(dpo))).toEqual(["patients", "requests", "register", "staff", "settings"]);
    expect(sectionsFor(session(["patient.search", "settings.read", "settings.manage"]))).not.toContain("register");
  });

  it("names every text field of the edit form in both languages", () => {
    for (const k of ACTIVITY_TEXT_FIELDS) {
      for (const dict of [en, ro] as Record<string, string>[]) {
        expect(dict[`art30.field.${k}`], k).toBeTruthy();
      }
    }
  });
});
