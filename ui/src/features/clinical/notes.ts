// Clinical notes as the screens write them. A note is never changed: a correction is an
// amendment (a new note naming the original, with its reason) shown under it. The core
// checks the same rules again; this module fills the forms and says what to correct.

import { todayIso } from "../../lib/age";
import type { Language } from "../../lib/bindings/Language";
import type { NewNote } from "../../lib/bindings/NewNote";
import type { NoteDto } from "../../lib/bindings/NoteDto";
import type { NoteTemplate } from "../../lib/bindings/NoteTemplate";

export const templateName = (t: NoteTemplate, lang: Language) => (lang === "ro" ? t.name_ro : t.name_en);
export const templateText = (t: NoteTemplate, lang: Language) => (lang === "ro" ? t.text_ro : t.text_en);

/** The name of the template a note was started from (its code when no longer offered). */
export function noteTemplateName(code: string | null | undefined, templates: readonly NoteTemplate[], lang: Language) {
  if (!code) return null;
  const t = templates.find((x) => x.code === code);
  return t ? templateName(t, lang) : code;
}

/** Choosing a template fills an empty text at once; text already written is replaced only when confirmed. */
export const askBeforeTemplate = (text: string) => text.trim() !== "";

/** The note's text as it now stands: its latest amendment's, else its own. */
export function currentText(note: NoteDto): string {
  return note.amendments.at(-1)?.text ?? note.text;
}

export interface NoteForm {
  date: string;
  text: string;
  /** A template code, "" for none. */
  template: string;
  /** For an amendment: why. */
  reason: string;
}

export interface NoteProblems {
  date: "missing" | "future" | "beforeOriginal" | null;
  text: boolean;
  reason: boolean;
}

export function emptyNoteForm(today: string = todayIso()): NoteForm {
  return { date: today, text: "", template: "", reason: "" };
}

/** An amendment's form: today, the note's text as it stands, no reason yet. */
export function amendForm(note: NoteDto, today: string = todayIso()): NoteForm {
  return { date: today, text: currentText(note), template: "", reason: "" };
}

/** `original`: the note being amended (an amendment needs a reason and cannot predate it). */
export function noteProblems(form: NoteForm, original: NoteDto | null, today: string = todayIso()): NoteProblems {
  return {
    date:
      form.date === ""
        ? "missing"
        : form.date > today
          ? "future"
          : original && form.date < original.date
            ? "beforeOriginal"
            : null,
    text: form.text.trim() === "",
    reason: original !== null && form.reason.trim() === "",
  };
}

export function hasNoteProblems(p: NoteProblems): boolean {
  return p.date !== null || p.text || p.reason;
}

export function toNewNote(form: NoteForm, original: NoteDto | null): NewNote {
  return {
    date: form.date,
    text: form.text.trim(),
    template: original === null && form.template !== "" ? form.template : null,
    amends: original?.id ?? null,
    reason: original ? form.reason.trim() : null,
  };
}
