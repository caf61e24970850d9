import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { Action } from "../../lib/bindings/Action";
import type { BreachDto } from "../../lib/bindings/BreachDto";
import { dateToRfc3339, formatOffset, localInputToRfc3339, toLocalInput } from "../../lib/localTime";
import { sectionsFor } from "../../lib/permissions";
import { maker } from "../../lib/testing";
import {
  affectedFormFor,
  affectedFormProblems,
  breachFormProblems,
  countdownText,
  deadlineState,
  defaultAuthorityPath,
  describeDeadline,
  emptyBreachForm,
  hasAffectedProblems,
  hasBreachProblems,
  mergedLettersPath,
  noticeIsLate,
  toAffectedScope,
  toNewBreach,
  type BreachForm,
} from "./breaches";

// The clinic's clock: Romania, +02:00 in winter and +03:00 in summer.
beforeAll(() => {
  vi.stubEnv("TZ", "Europe/Bucharest");
});
afterAll(() => {
  vi.unstubAllEnvs();
});

const HOUR = 3_600_000;
const DISCOVERED = "2026-11-25T08:00:00.000Z";
const at = (hoursAfterDiscovery: number) => new Date(Date.parse(DISCOVERED) + hoursAfterDiscovery * HOUR);
const when = (rfc3339: string) => `«${rfc3339}»`;

const breach = maker<BreachDto>(() => ({
  id: "b-1",
  reference: "2026-001",
  discovered_at: DISCOVERED,
  occurred_from: null,
  occurred_to: null,
  nature: ["confidentiality"],
  description: "laptop stolen",
  data_categories: "identity, health",
  consequences: "exposure",
  measures_taken: "remote wipe",
  measures_proposed: "disk encryption",
  risk: "high",
  scope: null,
  subjects_count: 0,
  records_count: 0,
  notify_by: "2026-11-28T08:00:00.000Z",
  authority_notified_at: null,
  late_reason: null,
  overdue: false,
  subjects_notified: 0,
}));

function filled(over: Partial<BreachForm> = {}): BreachForm {
  return {
    ...emptyBreachForm(at(1)),
    discoveredAt: "2026-11-25T10:00",
    nature: { confidentiality: true, integrity: false, availability: false },
    description: "A laptop with the schedule was stolen from the front desk.",
    dataCategories: "identity, contact, appointments",
    consequences: "Names and phone numbers may be read by a stranger.",
    measuresTaken: "Password changed, laptop wiped remotely.",
    measuresProposed: "Encrypt every laptop's disk.",
    ...over,
  };
}

describe("local times and RFC 3339", () => {
  it("keeps the local offset in force at the moment typed, winter and summer", () => {
    expect(localInputToRfc3339("2026-11-25T14:30")).toBe("2026-11-25T14:30:00+02:00");
    expect(localInputToRfc3339("2026-07-01T09:05")).toBe("2026-07-01T09:05:00+03:00");
    expect(Date.parse(localInputToRfc3339("2026-11-25T14:30")!)).toBe(Date.parse("2026-11-25T12:30:00Z"));
  });

  it("reads the core's UTC times back into the form on this computer's clock", () => {
    expect(toLocalInput("2026-11-25T12:30:00.000Z")).toBe("2026-11-25T14:30");
    expect(toLocalInput(localInputToRfc3339("2026-07-01T09:05"))).toBe("2026-07-01T09:05");
    expect(toLocalInput(null)).toBe("");
    expect(toLocalInput("not a time")).toBe("");
  });

  it("refuses what is not a real time", () => {
    expect(localInputToRfc3339("")).toBeNull();
    expect(localInputToRfc3339("2026-04-31T10:00")).toBeNull();
    expect(localInputToRfc3339("2026-11-25T25:00")).toBeNull();
    expect(localInputToRfc3339("25.11.2026 10:00")).toBeNull();
  });

  it("writes offsets on both sides of UTC", () => {
    expect(formatOffset(120)).toBe("+02:00");
    expect(formatOffset(0)).toBe("+00:00");
    expect(formatOffset(-330)).toBe("-05:30");
    expect(dateToRfc3339(new Date("2026-01-02T03:04:05Z"))).toBe("2026-01-02T05:04:05+02:00");
  });
});

describe("the 72-hour clock", () => {
  it("counts down while the 72 hours run", () => {
    const state = deadlineState(breach(), at(40.5));
    expect(state).toEqual({ kind: "due", notifyBy: "2026-11-28T08:00:00.000Z", msLeft: 31.5 * HOUR });
    const shown = describeDeadline(state, "en", when);
    expect(shown.text).toBe("31 h 30 min left");
    expect(shown.tone).toBe("warning");
    expect(describeDeadline(state, "ro", when).text).toBe("Mai sunt 31 h 30 min");
    expect(countdownText(12 * 60_000, "en")).toBe("12 min left");
  });

  it("shows a breach 80 hours after discovery as overdue, by how much", () => {
    const state = deadlineState(breach(), at(80));
    expect(state.kind).toBe("overdue");
    const shown = describeDeadline(state, "en", when);
    expect(shown).toEqual({ text: "Overdue", detail: "8 hours late", tone: "danger" });
    expect(describeDeadline(state, "ro", when).detail).toBe("8 ore întârziere");
    expect(describeDeadline(deadlineState(breach(), at(72 + 24 * 3)), "en", when).detail).toBe("3 days late");
    expect(noticeIsLate(breach(), at(80))).toBe(true);
    expect(noticeIsLate(breach(), at(71))).toBe(false);
  });

  it("believes the core's overdue flag even when the clock says otherwise", () => {
    expect(deadlineState(breach({ overdue: true }), at(10)).kind).toBe("overdue");
  });

  it("stops once the authority was told, saying if it was late", () => {
    const late = deadlineState(breach({ authority_notified_at: "2026-11-29T08:00:00.000Z" }), at(100));
    expect(late).toEqual({ kind: "notified", at: "2026-11-29T08:00:00.000Z", late: true });
    const shown = describeDeadline(late, "en", when);
    expect(shown.text).toBe("Notified «2026-11-29T08:00:00.000Z»");
    expect(shown.detail).toBe("after the 72 hours");
    expect(shown.tone).toBe("success");
    expect(deadlineState(breach({ authority_notified_at: "2026-11-26T08:00:00.000Z" }), at(100))).toMatchObject({
      late: false,
    });
  });

  it("needs no notice when the breach is unlikely to harm anyone", () => {
    const state = deadlineState(breach({ risk: "none" }), at(80));
    expect(state.kind).toBe("not_required");
    expect(describeDeadline(state, "en", when).tone).toBe("neutral");
    // The core still wants the reason when a notice goes out late anyway.
    expect(noticeIsLate(breach({ risk: "none" }), at(80))).toBe(true);
  });
});

describe("the breach form", () => {
  const now = at(4);

  it("passes a complete form and sends it as the core expects", () => {
    const f = filled({ occurredFrom: "2026-11-24T18:00", occurredTo: "2026-11-25T07:30", risk: "high" });
    expect(hasBreachProblems(breachFormProblems(f, now))).toBe(false);
    expect(toNewBreach(f)).toEqual({
      discovered_at: "2026-11-25T10:00:00+02:00",
      occurred_from: "2026-11-24T18:00:00+02:00",
      occurred_to: "2026-11-25T07:30:00+02:00",
      nature: ["confidentiality"],
      description: "A laptop with the schedule was stolen from the front desk.",
      data_categories: "identity, contact, appointments",
      consequences: "Names and phone numbers may be read by a stranger.",
      measures_taken: "Password changed, laptop wiped remotely.",
      measures_proposed: "Encrypt every laptop's disk.",
      risk: "high",
    });
    expect(toNewBreach(filled()).occurred_from).toBeNull();
  });

  it("flags a discovery in the future", () => {
    const p = breachFormProblems(filled({ discoveredAt: "2026-11-26T10:00" }), now);
    expect(p.discovered).toBe("future");
    expect(hasBreachProblems(p)).toBe(true);
    expect(breachFormProblems(filled({ discoveredAt: "" }), now).discovered).toBe("missing");
  });

  it("flags a form with no nature ticked", () => {
    const p = breachFormProblems(
      filled({ nature: { confidentiality: false, integrity: false, availability: false } }),
      now,
    );
    expect(p.nature).toBe("missing");
    expect(hasBreachProblems(p)).toBe(true);
  });

  it("flags empty and overlong texts, and a breach ending before it began", () => {
    const p = breachFormProblems(
      filled({
        consequences: "   ",
        measuresProposed: "x".repeat(4001),
        occurredFrom: "2026-11-25T09:00",
        occurredTo: "2026-11-25T08:00",
      }),
      now,
    );
    expect(p.texts.consequences).toBe("missing");
    expect(p.texts.measuresProposed).toBe("too_long");
    expect(p.texts.description).toBeNull();
    expect(p.occurredTo).toBe("before_start");
  });

  it("starts blank, discovered now, at the risk that calls for a notice", () => {
    const f = emptyBreachForm(new Date("2026-11-25T12:30:45Z"));
    expect(f.discoveredAt).toBe("2026-11-25T14:30");
    expect(f.risk).toBe("risk");
    expect(breachFormProblems(f, new Date("2026-11-25T12:31:00Z")).nature).toBe("missing");
  });
});

describe("finding the people affected", () => {
  it("starts from the breach's window and asks for whom to look", () => {
    const f = affectedFormFor(breach({ occurred_from: "2026-11-24T16:00:00Z", occurred_to: "2026-11-25T08:00:00Z" }), at(3));
    expect(f).toMatchObject({ by: "staff", from: "2026-11-24T18:00", to: "2026-11-25T10:00" });
    // Unknown window: from a day before the discovery up to now, the last minute included.
    expect(affectedFormFor(breach(), new Date("2026-11-25T11:20:30Z"))).toMatchObject({
      from: "2026-11-24T10:00",
      to: "2026-11-25T13:21",
    });
    expect(affectedFormProblems(f)).toEqual({ who: "missing", from: null, to: null });
    expect(hasAffectedProblems(affectedFormProblems({ ...f, username: "ana" }))).toBe(false);
    expect(affectedFormProblems({ ...f, username: "ana", to: "2026-11-23T10:00" }).to).toBe("before_start");
    expect(affectedFormProblems({ ...f, by: "all_patients" })).toEqual({ who: null, from: null, to: null });
  });

  it("sends the scope as the core's tagged union, with local offsets", () => {
    const f = { by: "workstation" as const, username: "", workstation: " RECEPTIE-1 ", from: "2026-11-24T18:00", to: "2026-11-25T10:00" };
    expect(toAffectedScope(f)).toEqual({
      by: "workstation",
      name: "RECEPTIE-1",
      from: "2026-11-24T18:00:00+02:00",
      to: "2026-11-25T10:00:00+02:00",
    });
    expect(toAffectedScope({ ...f, by: "staff", username: "ana" })).toMatchObject({ by: "staff", username: "ana" });
    expect(toAffectedScope({ ...f, by: "all_patients" })).toEqual({ by: "all_patients" });
  });
});

describe("file names", () => {
  it("names the notice after the breach's reference, never a person", () => {
    expect(defaultAuthorityPath("2026-001", "ro")).toBe("~/cuspid-notificare-anspdcp-2026-001.pdf");
    expect(defaultAuthorityPath("2026-001", "en")).toBe("~/cuspid-anspdcp-notice-2026-001.pdf");
  });

  it("finds the merged print file among the letters written", () => {
    expect(mergedLettersPath(["/h/x/all-letters.pdf", "/h/x/letter-0001.pdf"])).toBe("/h/x/all-letters.pdf");
    expect(mergedLettersPath([])).toBeNull();
  });
});

describe("the navigation", () => {
  it("shows the breach register to whoever may keep it (the DPO), after the requests", () => {
    const dpo = {
      username: "dpo",
      role: "dpo" as const,
      permissions: ["request.manage", "breach.manage", "settings.read"] as Action[],
      mfa_pending: false,
    };
    expect(sectionsFor(dpo)).toEqual(["requests", "breaches", "settings"]);
    expect(sectionsFor({ ...dpo, permissions: ["request.manage"] })).not.toContain("breaches");
  });
});
