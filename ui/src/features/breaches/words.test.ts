import { describe, expect, it } from "vitest";

import { categoryWords, scopeWords } from "./words";

describe("a breach in words", () => {
  it("prints the category codes as words in the screen's language, free text as written", () => {
    expect(categoryWords("contact,health", "en")).toBe(
      "contact details (phone, e-mail, address); health data (dental chart, medical history, notes)",
    );
    expect(categoryWords(" identity , national_id", "ro")).toBe("date de identificare (nume, data nașterii); codul numeric personal (CNP)");
    expect(categoryWords("date de identificare și de contact", "ro")).toBe("date de identificare și de contact");
  });

  it("says how the people were found in the screen's language, not the English the core once stored", () => {
    const staff = { by: "staff", username: "ana", from: "2026-11-20T08:00:00Z", to: "2026-11-21T08:00:00Z" } as const;
    const ro = scopeWords(staff, "ro");
    expect(ro).toContain("de contul ana între");
    expect(ro).not.toContain("staff account");
    expect(scopeWords(staff, "en")).toContain("the staff account ana read or changed between");
    expect(scopeWords({ by: "all_patients" }, "ro")).toBe("toți pacienții înregistrați (o copie de siguranță pierdută, o bază de date copiată)");
    expect(scopeWords({ by: "workstation", name: "recepție", from: staff.from, to: staff.to }, "en")).toContain("at the workstation recepție");
  });
});
