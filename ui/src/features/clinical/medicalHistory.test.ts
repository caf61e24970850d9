import { describe, expect, it } from "vitest";

import type { MedicalHistoryDto } from "../../lib/bindings/MedicalHistoryDto";
import { maker, TODAY } from "../../lib/testing";
import {
  HISTORY_ITEMS,
  alertText,
  answerOf,
  hasHistoryProblems,
  historyForm,
  historyProblems,
  itemText,
  toNewMedicalHistory,
  yesAnswers,
} from "./medicalHistory";

const set = maker<MedicalHistoryDto>(() => ({
  id: "h-1",
  date: "2026-10-01",
  answers: HISTORY_ITEMS.map((item) => ({ item, reply: "no" as const, detail: null })).map((a) =>
    a.item === "allergies"
      ? { ...a, reply: "yes" as const, detail: "penicillin" }
      : a.item === "smoking"
        ? { ...a, reply: "unknown" as const }
        : a,
  ),
  notes: "Nervous patient.",
  alerts: [{ item: "allergies", detail: "penicillin", since: "2026-10-01" }],
  taken_by: "dr.ana",
  recorded_at: "2026-10-01T09:00:00Z",
}));

describe("the medical history form", () => {
  it("asks all fourteen questions in the core's order", () => {
    expect(HISTORY_ITEMS).toHaveLength(14);
    expect(HISTORY_ITEMS[0]).toBe("allergies");
    expect(HISTORY_ITEMS.at(-1)).toBe("other");
  });

  it("starts from the latest answer set, dated today, so only what changed is touched", () => {
    const form = historyForm(set(), TODAY);
    expect(form.date).toBe(TODAY);
    expect(form.answers.allergies).toEqual({ reply: "yes", detail: "penicillin" });
    expect(form.answers.diabetes).toEqual({ reply: "no", detail: "" });
    expect(form.answers.smoking.reply).toBe("unknown");
    expect(form.notes).toBe("Nervous patient.");
  });

  it("starts with every question unknown when no history was taken", () => {
    const form = historyForm(null, TODAY);
    expect(Object.values(form.answers).every((a) => a.reply === "unknown" && a.detail === "")).toBe(true);
    expect(Object.keys(form.answers)).toHaveLength(14);
    expect(form.notes).toBe("");
  });

  it("reads a question a set does not hold as unknown", () => {
    expect(answerOf(set({ answers: [] }), "asthma")).toEqual({ reply: "unknown", detail: "" });
  });

  it("wants a detail for a yes to allergies, medication, anticoagulants and other only", () => {
    const form = historyForm(null, TODAY);
    for (const item of ["allergies", "medication", "anticoagulants", "other", "diabetes"] as const) {
      form.answers[item] = { reply: "yes", detail: "  " };
    }
    const p = historyProblems(form, TODAY);
    expect(p.details).toEqual(["allergies", "medication", "anticoagulants", "other"]);
    expect(hasHistoryProblems(p)).toBe(true);
    form.answers.allergies.detail = "latex";
    form.answers.medication = { reply: "no", detail: "" };
    form.answers.anticoagulants.detail = "warfarin";
    form.answers.other.detail = "glaucoma";
    expect(hasHistoryProblems(historyProblems(form, TODAY))).toBe(false);
  });

  it("refuses a missing or future date", () => {
    const form = historyForm(null, TODAY);
    expect(historyProblems({ ...form, date: "" }, TODAY).date).toBe("missing");
    expect(historyProblems({ ...form, date: "2026-11-26" }, TODAY).date).toBe("future");
    expect(historyProblems(form, TODAY).date).toBeNull();
  });

  it("sends every question once, a detail only with a yes, trimmed notes", () => {
    const form = historyForm(set(), TODAY);
    form.answers.diabetes = { reply: "no", detail: "left over" };
    form.answers.anticoagulants = { reply: "yes", detail: " warfarin " };
    form.notes = "  ";
    const sent = toNewMedicalHistory(form);
    expect(sent.date).toBe(TODAY);
    expect(sent.answers.map((a) => a.item)).toEqual(HISTORY_ITEMS);
    expect(sent.answers.find((a) => a.item === "diabetes")).toEqual({ item: "diabetes", reply: "no", detail: null });
    expect(sent.answers.find((a) => a.item === "anticoagulants")?.detail).toBe("warfarin");
    expect(sent.notes).toBeNull();
  });
});

describe("answers and alerts as text", () => {
  it("lists the yes answers with their details", () => {
    expect(yesAnswers(set())).toEqual([{ item: "allergies", detail: "penicillin" }]);
  });

  it("words an alert with its detail in either language", () => {
    expect(alertText({ item: "allergies", detail: "penicillin", since: "x" }, "en")).toBe("Allergies: penicillin");
    expect(alertText({ item: "allergies", detail: "penicilină", since: "x" }, "ro")).toBe("Alergii: penicilină");
    expect(itemText("hypertension", null, "ro")).toBe("Hipertensiune arterială");
    expect(itemText("diabetes", "  ", "en")).toBe("Diabetes");
  });
});
