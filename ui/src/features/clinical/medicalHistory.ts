// The medical history (anamnesis) as the screens take and show it. The core keeps every
// answer set, answers the questions left out as "unknown", checks the details again
// and derives the alerts; this module fills a new set from the latest one, says what to
// correct before it is sent, and words the alerts.

import { todayIso } from "../../lib/age";
import type { AlertDto } from "../../lib/bindings/AlertDto";
import type { HistoryItem } from "../../lib/bindings/HistoryItem";
import type { Language } from "../../lib/bindings/Language";
import type { MedicalHistoryDto } from "../../lib/bindings/MedicalHistoryDto";
import type { NewMedicalHistory } from "../../lib/bindings/NewMedicalHistory";
import type { Reply } from "../../lib/bindings/Reply";
import { translate } from "../../lib/i18n/index";

/** Every question, in the questionnaire's order (the core's `HistoryItem::ALL`). */
export const HISTORY_ITEMS: readonly HistoryItem[] = [
  "allergies",
  "medication",
  "anticoagulants",
  "heart_disease",
  "hypertension",
  "diabetes",
  "pregnancy",
  "infectious_disease",
  "bleeding_disorder",
  "bisphosphonates",
  "asthma",
  "epilepsy",
  "smoking",
  "other",
];

export const REPLIES: readonly Reply[] = ["yes", "no", "unknown"];

/** A "yes" to these must say what (which allergen, which drug), as the core requires. */
export const DETAIL_REQUIRED: readonly HistoryItem[] = ["allergies", "medication", "anticoagulants", "other"];

export const needsDetail = (item: HistoryItem) => DETAIL_REQUIRED.includes(item);

export interface AnswerField {
  reply: Reply;
  detail: string;
}

export interface HistoryForm {
  date: string;
  answers: Record<HistoryItem, AnswerField>;
  notes: string;
}

export interface HistoryProblems {
  date: "missing" | "future" | null;
  /** Questions answered "yes" that must say what and do not. */
  details: HistoryItem[];
}

/** One question's answer in a set (a question the set does not hold: unknown). */
export function answerOf(set: MedicalHistoryDto, item: HistoryItem): AnswerField {
  const a = set.answers.find((x) => x.item === item);
  return { reply: a?.reply ?? "unknown", detail: a?.detail ?? "" };
}

/** A new answer set dated today, filled from the latest one so only what changed is touched. */
export function historyForm(latest: MedicalHistoryDto | null, today: string = todayIso()): HistoryForm {
  const answers = Object.fromEntries(
    HISTORY_ITEMS.map((item) => [item, latest ? answerOf(latest, item) : { reply: "unknown", detail: "" }]),
  ) as Record<HistoryItem, AnswerField>;
  return { date: today, answers, notes: latest?.notes ?? "" };
}

export function historyProblems(form: HistoryForm, today: string = todayIso()): HistoryProblems {
  return {
    date: form.date === "" ? "missing" : form.date > today ? "future" : null,
    details: HISTORY_ITEMS.filter((item) => {
      const a = form.answers[item];
      return a.reply === "yes" && needsDetail(item) && a.detail.trim() === "";
    }),
  };
}

export function hasHistoryProblems(p: HistoryProblems): boolean {
  return p.date !== null || p.details.length > 0;
}

/** Every question answered; a detail goes only with a "yes" (the field is hidden otherwise). */
export function toNewMedicalHistory(form: HistoryForm): NewMedicalHistory {
  const notes = form.notes.trim();
  return {
    date: form.date,
    answers: HISTORY_ITEMS.map((item) => {
      const { reply, detail } = form.answers[item];
      const d = detail.trim();
      return { item, reply, detail: reply === "yes" && d !== "" ? d : null };
    }),
    notes: notes === "" ? null : notes,
  };
}

/** The questions answered "yes" in a set, in the questionnaire's order. */
export function yesAnswers(set: MedicalHistoryDto): { item: HistoryItem; detail: string | null }[] {
  return HISTORY_ITEMS.flatMap((item) => {
    const a = answerOf(set, item);
    return a.reply === "yes" ? [{ item, detail: a.detail === "" ? null : a.detail }] : [];
  });
}

/** A question or an alert as staff read it, with its detail: "Allergies: penicillin". */
export function itemText(item: HistoryItem, detail: string | null | undefined, lang: Language): string {
  const label = translate(lang, `anamnesis.item.${item}`);
  const d = detail?.trim();
  return d ? translate(lang, "anamnesis.withDetail", { label, detail: d }) : label;
}

export const alertText = (a: AlertDto, lang: Language) => itemText(a.item, a.detail, lang);
