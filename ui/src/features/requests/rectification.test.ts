import { describe, expect, it } from "vitest";

import type { PatientFields } from "../../lib/bindings/PatientFields";
import { EMPTY_VALUE, editRows, fieldLabel, showValue } from "./rectification";

const BEFORE: PatientFields = {
  first_name: "Ana",
  last_name: "Popescu",
  cnp: null,
  birth_date: "1990-03-04",
  sex: "f",
  phone: "+40721234567",
  email: "ana@example.ro",
  address: "Str. Lalelelor 3, Cluj-Napoca",
  emergency_contact: null,
};

function entry(changed_fields: string[], after: Partial<PatientFields>) {
  return { changed_fields, previous: BEFORE, after: { ...BEFORE, ...after } };
}

describe("editRows", () => {
  it("lists only the fields the edit changed, with the value before and after", () => {
    const rows = editRows(entry(["last_name"], { last_name: "Ionescu" }), "en");
    expect(rows).toEqual([{ field: "last_name", label: "Last name", before: "Popescu", after: "Ionescu" }]);
  });

  it("shows a cleared value as a dash, and a value set where there was none the other way round", () => {
    const rows = editRows(entry(["email", "emergency_contact"], { email: "", emergency_contact: "Ion, 0722 000 000" }), "ro");
    expect(rows).toEqual([
      { field: "email", label: "E-mail", before: "ana@example.ro", after: EMPTY_VALUE },
      { field: "emergency_contact", label: "Contact în caz de urgență", before: EMPTY_VALUE, after: "Ion, 0722 000 000" },
    ]);
    expect(editRows(entry(["phone"], { phone: null }), "en")[0]?.after).toBe("—");
  });

  it("follows the order of changed_fields, not the order of the form", () => {
    const rows = editRows(entry(["phone", "first_name", "address"], { phone: "+40730000000", first_name: "Anca", address: "" }), "en");
    expect(rows.map((r) => r.field)).toEqual(["phone", "first_name", "address"]);
  });

  it("words a birth date and sex as the locale does, and keeps an unknown field by name", () => {
    const rows = editRows(entry(["birth_date", "sex", "nickname"], { birth_date: "1990-04-03", sex: "m" }), "ro");
    expect(rows).toEqual([
      { field: "birth_date", label: "Data nașterii", before: "04.03.1990", after: "03.04.1990" },
      { field: "sex", label: "Sex", before: "Feminin", after: "Masculin" },
      { field: "nickname", label: "nickname", before: EMPTY_VALUE, after: EMPTY_VALUE },
    ]);
  });

  it("lists a field named twice once, and nothing for an edit without changed fields", () => {
    expect(editRows(entry(["phone", "phone"], { phone: "+40730000000" }), "en")).toHaveLength(1);
    expect(editRows(entry([], { phone: "+40730000000" }), "en")).toEqual([]);
  });
});

describe("the language for letters", () => {
  it("is worded in the locale, a cleared one as a dash", () => {
    const rows = editRows(entry(["language"], { language: "en" }), "ro");
    expect(rows).toEqual([{ field: "language", label: "Limba scrisorilor", before: EMPTY_VALUE, after: "engleză" }]);
    expect(showValue("language", "ro", "en")).toBe("Romanian");
    expect(showValue("language", "", "en")).toBe(EMPTY_VALUE);
    expect(showValue("language", "xx", "en")).toBe("xx");
    expect(fieldLabel("language", "en")).toBe("Language for letters");
  });
});

describe("showValue and fieldLabel", () => {
  it("treat blank as empty and use the history panel's labels", () => {
    expect(showValue("address", "   ", "en")).toBe(EMPTY_VALUE);
    expect(showValue("address", undefined, "en")).toBe(EMPTY_VALUE);
    expect(showValue("phone", " +40721234567 ", "en")).toBe("+40721234567");
    expect(fieldLabel("phone", "ro")).toBe("Telefon");
    expect(fieldLabel("emergency_contact", "en")).toBe("Emergency contact");
  });
});
