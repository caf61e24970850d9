import { describe, expect, it } from "vitest";

import type { RequestDto } from "../../lib/bindings/RequestDto";
import { maker, TODAY } from "../../lib/testing";
import {
  daysBetween,
  defaultLetterPath,
  describeState,
  emptyRequestForm,
  extensionAllowed,
  hasProblems,
  requestFormProblems,
  requestState,
  toNewRequest,
} from "./requests";

const request = maker<RequestDto>(() => ({
  id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
  patient_id: "p-1",
  patient_name: "Bărbulescu Ioana",
  kind: "access",
  received_on: "2026-11-10",
  due_on: "2026-12-10",
  extended_to: null,
  deadline: "2026-12-10",
  via_guardian: null,
  identity_check: "buletin",
  identity_checked_by: "dpo",
  extension_reason: null,
  outcome: null,
  outcome_note: null,
  closed_on: null,
  overdue: false,
}));

describe("daysBetween", () => {
  it("counts calendar days, across months, years and the spring clock change", () => {
    expect(daysBetween("2026-11-25", "2026-11-25")).toBe(0);
    expect(daysBetween("2026-11-25", "2026-12-10")).toBe(15);
    expect(daysBetween("2026-12-31", "2027-01-01")).toBe(1);
    expect(daysBetween("2027-03-27", "2027-03-30")).toBe(3);
    expect(daysBetween("2026-11-25", "2026-11-20")).toBe(-5);
  });

  it("gives nothing for text that is not a date", () => {
    expect(daysBetween("2026-11-25", "2026-02-30")).toBeNull();
    expect(daysBetween("", "2026-11-25")).toBeNull();
  });
});

describe("requestState", () => {
  it("counts the days left to the deadline the core returned", () => {
    expect(requestState(request(), TODAY)).toEqual({ kind: "due", deadline: "2026-12-10", daysLeft: 15 });
  });

  it("shows an extension with its new date and the days left to it", () => {
    const r = request({ extended_to: "2027-02-10", deadline: "2027-02-10" });
    expect(requestState(r, TODAY)).toEqual({ kind: "extended", to: "2027-02-10", daysLeft: 77 });
  });

  it("takes the core's word for overdue, and counts the days late", () => {
    const r = request({ received_on: "2026-10-01", due_on: "2026-11-01", deadline: "2026-11-01", overdue: true });
    expect(requestState(r, TODAY)).toEqual({ kind: "overdue", deadline: "2026-11-01", daysLate: 24 });
  });

  it("counts a deadline passed since the list was loaded as overdue too", () => {
    const r = request({ deadline: "2026-11-24", due_on: "2026-11-24", overdue: false });
    expect(requestState(r, TODAY).kind).toBe("overdue");
  });

  it("is closed once closed, whatever the deadline", () => {
    const r = request({ closed_on: "2026-11-20", outcome: "refused", overdue: false, deadline: "2026-11-01" });
    expect(requestState(r, TODAY)).toEqual({ kind: "closed", on: "2026-11-20", outcome: "refused" });
  });
});

describe("describeState", () => {
  const words = (r: RequestDto, lang: "ro" | "en") => describeState(requestState(r, TODAY), lang);

  it("says due in N days with each language's plural", () => {
    expect(words(request({ deadline: "2026-11-26" }), "en").text).toBe("Due in 1 day");
    expect(words(request({ deadline: "2026-11-26" }), "ro").text).toBe("Termen peste 1 zi");
    expect(words(request({ deadline: "2026-11-28" }), "en").text).toBe("Due in 3 days");
    expect(words(request({ deadline: "2026-11-28" }), "ro").text).toBe("Termen peste 3 zile");
    expect(words(request({ deadline: "2026-12-15" }), "ro").text).toBe("Termen peste 20 de zile");
    expect(words(request({ deadline: TODAY }), "en").text).toBe("Due today");
  });

  it("flags what is due within a week and marks the overdue as danger", () => {
    expect(words(request({ deadline: "2026-12-02" }), "en").tone).toBe("warning");
    expect(words(request({ deadline: "2026-12-03" }), "en").tone).toBe("neutral");
    const late = words(request({ deadline: "2026-11-23", overdue: true }), "en");
    expect(late).toEqual({ text: "Overdue", detail: "2 days late", tone: "danger" });
    expect(words(request({ deadline: "2026-11-05", overdue: true }), "ro").detail).toBe("întârziere de 20 de zile");
  });

  it("gives the new date of an extension with the days left under it", () => {
    const shown = words(request({ extended_to: "2027-01-10", deadline: "2027-01-10" }), "en");
    expect(shown).toEqual({ text: "Extended to 10/01/2027", detail: "Due in 46 days", tone: "neutral" });
    expect(words(request({ extended_to: "2027-01-10", deadline: "2027-01-10" }), "ro").text).toBe(
      "Prelungită până la 10.01.2027",
    );
  });

  it("gives the day and outcome of a closed request", () => {
    const r = request({ closed_on: "2026-11-20", outcome: "partly_granted" });
    expect(words(r, "en").text).toBe("Closed 20/11/2026: partly granted");
    expect(words(r, "ro").text).toBe("Închisă la 20.11.2026: admisă în parte");
  });
});

describe("extensionAllowed", () => {
  it("allows one extension, while open and within the first month", () => {
    expect(extensionAllowed(request(), TODAY)).toBe("yes");
    expect(extensionAllowed(request({ due_on: TODAY }), TODAY)).toBe("yes");
    expect(extensionAllowed(request({ due_on: "2026-11-24" }), TODAY)).toBe("too_late");
    expect(extensionAllowed(request({ extended_to: "2027-01-10" }), TODAY)).toBe("extended");
    expect(extensionAllowed(request({ closed_on: "2026-11-20" }), TODAY)).toBe("closed");
  });
});

describe("defaultLetterPath", () => {
  it("names the file by language, day received and a piece of the id, never by the person", () => {
    const r = request();
    expect(defaultLetterPath(r, "en")).toBe("~/cuspid-extension-letter-2026-11-10-3f4a5b.pdf");
    expect(defaultLetterPath(r, "ro")).toBe("~/cuspid-scrisoare-prelungire-2026-11-10-3f4a5b.pdf");
    expect(defaultLetterPath(r, "ro")).not.toContain("rbulescu");
  });
});

describe("the request form", () => {
  it("starts on today, an access request made by the patient", () => {
    expect(emptyRequestForm(TODAY)).toEqual({
      patientId: null,
      kind: "access",
      receivedOn: TODAY,
      via: "",
      identityCheck: "",
    });
  });

  it("asks for a patient, a date not in the future and how identity was checked", () => {
    const empty = { ...emptyRequestForm(TODAY), receivedOn: "" };
    expect(requestFormProblems(empty, TODAY)).toEqual({ patient: "missing", received: "missing", identity: "missing" });
    const future = { ...emptyRequestForm(TODAY), patientId: "p-1", receivedOn: "2026-11-26", identityCheck: " x " };
    expect(requestFormProblems(future, TODAY)).toEqual({ patient: null, received: "future", identity: null });
    expect(hasProblems(requestFormProblems({ ...future, receivedOn: TODAY }, TODAY))).toBe(false);
  });

  it("sends the guardian only when one was chosen, and the check trimmed", () => {
    const f = { ...emptyRequestForm(TODAY), patientId: "p-1", kind: "erasure" as const, identityCheck: "  buletin " };
    expect(toNewRequest(f)).toEqual({
      patient_id: "p-1",
      kind: "erasure",
      received_on: TODAY,
      via_guardian: null,
      identity_check: "buletin",
    });
    expect(toNewRequest({ ...f, via: "g-1" }).via_guardian).toBe("g-1");
  });
});
