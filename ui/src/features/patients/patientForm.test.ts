import { describe, expect, it } from "vitest";

import type { PatientFields } from "../../lib/bindings/PatientFields";
import { minorRuleProblem, noConsents, registrationConsents } from "./consents";
import {
  changedFieldNames,
  diffChanges,
  emptyForm,
  formFromPatient,
  letterLanguageKey,
  toNewPatient,
} from "./patientForm";

const stored: PatientFields = {
  first_name: "Ana",
  last_name: "Popescu",
  cnp: "2800101221145",
  birth_date: "1980-01-01",
  sex: "f",
  phone: "+40721234567",
  email: null,
  address: "Str. Lalelelor 3, Cluj",
  emergency_contact: null,
};

describe("patient form", () => {
  it("sends blanks as nothing and trims what is typed", () => {
    const form = { ...emptyForm(), first_name: "  Ion ", last_name: "Pop", cnp: "180 0101 221144", phone: " " };
    const np = toNewPatient(form, null, []);
    expect(np).toMatchObject({ first_name: "Ion", last_name: "Pop", cnp: "1800101221144", phone: null, email: null });
    expect(np.guardian).toBeNull();
    expect(np.consents).toEqual([]);
  });

  it("sends only the changed fields of an edit, and an empty string to clear one", () => {
    const form = formFromPatient(stored);
    expect(diffChanges(stored, form)).toBeNull();
    form.phone = "0722 000 111";
    form.address = "";
    const changes = diffChanges(stored, form)!;
    expect(changes.phone).toBe("0722 000 111");
    expect(changes.address).toBe("");
    expect(changes.first_name).toBeNull();
    expect(changedFieldNames(changes)).toEqual(["phone", "address"]);
    expect(changes.language).toBeNull();
  });

  it("sends the language for letters at registration, blank as the clinic's", () => {
    expect(emptyForm().language).toBe("");
    const base = { ...emptyForm(), first_name: "Ion", last_name: "Pop" };
    expect(toNewPatient({ ...base, language: "en" }, null, []).language).toBe("en");
    expect(toNewPatient({ ...base, language: "ro" }, null, []).language).toBe("ro");
    expect(toNewPatient(base, null, []).language).toBeNull();
  });

  it("sends the language for letters in an edit only when it changed, and an empty string to clear it", () => {
    const withLanguage: PatientFields = { ...stored, language: "en" };
    const form = formFromPatient(withLanguage);
    expect(form.language).toBe("en");
    expect(diffChanges(withLanguage, form)).toBeNull();

    form.phone = "0722 000 111";
    expect(diffChanges(withLanguage, form)!.language).toBeNull();

    form.language = "ro";
    let changes = diffChanges(withLanguage, form)!;
    expect(changes.language).toBe("ro");
    expect(changedFieldNames(changes)).toEqual(["phone", "language"]);

    form.phone = stored.phone!;
    form.language = "";
    changes = diffChanges(withLanguage, form)!;
    expect(changes.language).toBe("");
    expect(changedFieldNames(changes)).toEqual(["language"]);
  });

  it("takes a record without a language (absent or null) as the clinic's", () => {
    expect(formFromPatient(stored).language).toBe("");
    expect(formFromPatient({ ...stored, language: null }).language).toBe("");
    expect(diffChanges({ ...stored, language: null }, formFromPatient(stored))).toBeNull();
    const form = { ...formFromPatient(stored), language: "en" };
    expect(diffChanges(stored, form)!.language).toBe("en");
  });

  it("names the language for letters as the card words it", () => {
    expect(letterLanguageKey(null)).toBe("patient.letterLanguage.default");
    expect(letterLanguageKey(undefined)).toBe("patient.letterLanguage.default");
    expect(letterLanguageKey("")).toBe("patient.letterLanguage.default");
    expect(letterLanguageKey("ro")).toBe("patient.letterLanguage.ro");
    expect(letterLanguageKey("en")).toBe("patient.letterLanguage.en");
    expect(letterLanguageKey("de")).toBeNull();
  });
});

describe("consents at registration", () => {
  it("ticks nothing in advance", () => {
    expect(Object.values(noConsents()).every((v) => v === false)).toBe(true);
  });

  it("records the ticked kinds as checkbox grants with the text shown", () => {
    const choice = { ...noConsents(), health_data: true, privacy_notice: true };
    const inputs = registrationConsents(choice, (k) => `text of ${k}`, "guardian-1");
    expect(inputs).toEqual([
      { kind: "privacy_notice", granted: true, method: "checkbox", text_shown: "text of privacy_notice", given_by: "guardian-1" },
      { kind: "health_data", granted: true, method: "checkbox", text_shown: "text of health_data", given_by: "guardian-1" },
    ]);
  });

  it("refuses a minor without a guardian, a relationship or the parental health consent", () => {
    const today = "2025-06-01";
    const child = "2015-03-04";
    const withHealth = { ...noConsents(), health_data: true };
    expect(minorRuleProblem(child, null, withHealth, today)).toBe("guardian_missing");
    expect(minorRuleProblem(child, { patient_id: "g", relationship: " " }, withHealth, today)).toBe("relationship_missing");
    expect(minorRuleProblem(child, { patient_id: "g", relationship: "mamă" }, noConsents(), today)).toBe(
      "parental_health_consent_missing",
    );
    expect(minorRuleProblem(child, { patient_id: "g", relationship: "mamă" }, withHealth, today)).toBeNull();
    expect(minorRuleProblem("1980-01-01", null, noConsents(), today)).toBeNull();
  });
});
