import { describe, expect, it } from "vitest";

import type { NoteDto } from "../../lib/bindings/NoteDto";
import type { NoteTemplate } from "../../lib/bindings/NoteTemplate";
import { maker, TODAY } from "../../lib/testing";
import {
  amendForm,
  askBeforeTemplate,
  currentText,
  emptyNoteForm,
  hasNoteProblems,
  noteProblems,
  noteTemplateName,
  templateName,
  templateText,
  toNewNote,
} from "./notes";

const extraction: NoteTemplate = {
  code: "extraction",
  name_ro: "Extracție",
  name_en: "Extraction",
  text_ro: "Dinte: \nAnestezie: ",
  text_en: "Tooth: \nAnaesthesia: ",
};

const note = maker<NoteDto>(() => ({
  id: "n-1",
  date: "2026-11-20",
  text: "Tooth: 36\nAnaesthesia: articaine",
  template: "extraction",
  amends: null,
  reason: null,
  author: "dr.ana",
  recorded_at: "2026-11-20T10:00:00Z",
  amendments: [],
}));

describe("note templates", () => {
  it("are named and filled in the language in use", () => {
    expect(templateName(extraction, "ro")).toBe("Extracție");
    expect(templateText(extraction, "en")).toBe("Tooth: \nAnaesthesia: ");
    expect(noteTemplateName("extraction", [extraction], "en")).toBe("Extraction");
    expect(noteTemplateName("retired", [extraction], "en")).toBe("retired");
    expect(noteTemplateName(null, [extraction], "en")).toBeNull();
  });

  it("fill an empty text at once and ask before replacing one already written", () => {
    expect(askBeforeTemplate("")).toBe(false);
    expect(askBeforeTemplate(" \n ")).toBe(false);
    expect(askBeforeTemplate("Pain at 36")).toBe(true);
  });
});

describe("a new note", () => {
  it("needs its text and a date that is not in the future", () => {
    const form = emptyNoteForm(TODAY);
    expect(form.date).toBe(TODAY);
    const p = noteProblems(form, null, TODAY);
    expect(p).toEqual({ date: null, text: true, reason: false });
    expect(noteProblems({ ...form, date: "2026-12-01", text: "x" }, null, TODAY).date).toBe("future");
    expect(noteProblems({ ...form, date: "" }, null, TODAY).date).toBe("missing");
    expect(hasNoteProblems(noteProblems({ ...form, text: "Control." }, null, TODAY))).toBe(false);
  });

  it("is sent trimmed with its template and no amendment fields", () => {
    expect(toNewNote({ date: TODAY, text: " Control. \n", template: "extraction", reason: "x" }, null)).toEqual({
      date: TODAY,
      text: "Control.",
      template: "extraction",
      amends: null,
      reason: null,
    });
    expect(toNewNote({ date: TODAY, text: "x", template: "", reason: "" }, null).template).toBeNull();
  });
});

describe("an amendment", () => {
  it("starts from the note's text as it stands, dated today", () => {
    expect(amendForm(note(), TODAY)).toEqual({ date: TODAY, text: note().text, template: "", reason: "" });
    const amended = note({ amendments: [note({ id: "n-2", text: "first fix" }), note({ id: "n-3", text: "second fix" })] });
    expect(currentText(amended)).toBe("second fix");
  });

  it("needs a reason and cannot be dated before the note it amends", () => {
    const original = note();
    const form = amendForm(original, TODAY);
    expect(noteProblems(form, original, TODAY).reason).toBe(true);
    expect(noteProblems({ ...form, date: "2026-11-19" }, original, TODAY).date).toBe("beforeOriginal");
    expect(noteProblems({ ...form, date: "2026-11-20", reason: "typo" }, original, TODAY)).toEqual({
      date: null,
      text: false,
      reason: false,
    });
  });

  it("names the original and gives its reason, never a template", () => {
    const sent = toNewNote({ date: TODAY, text: "Tooth: 37", template: "extraction", reason: " wrong tooth " }, note());
    expect(sent).toEqual({ date: TODAY, text: "Tooth: 37", template: null, amends: "n-1", reason: "wrong tooth" });
  });
});
