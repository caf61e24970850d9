import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Action } from "../../lib/bindings/Action";
import { formatOffset, localInputToRfc3339, toLocalInput as rfc3339ToLocalInput } from "../../lib/localTime";
import { sectionsFor } from "../../lib/permissions";
import { maker } from "../../lib/testing";
import {
  actionGroups,
  auditFormProblems,
  blankToNull,
  defaultCsvPath,
  DEFAULT_LIMIT,
  emptyAuditForm,
  formatEventTime,
  hasAuditProblems,
  KNOWN_ACTIONS,
  OTHER_ACTION,
  outcomeClass,
  shortId,
  toAuditFilter,
  type AuditForm,
} from "./audit";

// The clinic's clock: Romania, +02:00 in winter and +03:00 in summer. (Node reads TZ
// again whenever it is set; the UI's types leave Node's `process` out.)
const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env;
const savedTz = env.TZ;
beforeAll(() => {
  env.TZ = "Europe/Bucharest";
});
afterAll(() => {
  if (savedTz === undefined) delete env.TZ;
  else env.TZ = savedTz;
});

const PATIENT = "0192f3a4-5b6c-7d8e-9f00-112233445566";

const form = maker<AuditForm>(emptyAuditForm);

describe("the filter sent to the core", () => {
  it("has null for every empty field, and the default limit", () => {
    expect(toAuditFilter(emptyAuditForm())).toEqual({
      patient: null,
      staff: null,
      action: null,
      since: null,
      until: null,
      limit: DEFAULT_LIMIT,
    });
    expect(hasAuditProblems(auditFormProblems(emptyAuditForm()))).toBe(false);
  });

  it("treats blank text as empty and trims what is typed", () => {
    const f = toAuditFilter(form({ patient: `  ${PATIENT} `, staff: "  ana ", action: "   ", limit: " 20 " }));
    expect(f.patient).toBe(PATIENT);
    expect(f.staff).toBe("ana");
    expect(f.action).toBeNull();
    expect(f.limit).toBe(20);
    expect(blankToNull(" \t ")).toBeNull();
  });

  it("sends no limit when the field is cleared", () => {
    expect(toAuditFilter(form({ limit: "" })).limit).toBeNull();
  });

  it("takes the action from the list, or the one typed in", () => {
    expect(toAuditFilter(form({ action: "patient.read" })).action).toBe("patient.read");
    expect(toAuditFilter(form({ action: OTHER_ACTION, actionOther: " breach.custom " })).action).toBe("breach.custom");
    expect(toAuditFilter(form({ action: OTHER_ACTION, actionOther: "" })).action).toBeNull();
    // Text typed in before switching back to the list is not sent.
    expect(toAuditFilter(form({ action: "auth.login", actionOther: "x" })).action).toBe("auth.login");
  });

  it("preselects a patient arriving from the card", () => {
    expect(emptyAuditForm(PATIENT).patient).toBe(PATIENT);
    expect(toAuditFilter(emptyAuditForm(PATIENT)).patient).toBe(PATIENT);
  });
});

describe("what the form flags", () => {
  it("a period whose start is after (or at) its end", () => {
    const late = auditFormProblems(form({ since: "2026-03-05T10:00", until: "2026-03-04T10:00" }));
    expect(late.range).toBe("since_after_until");
    expect(hasAuditProblems(late)).toBe(true);
    expect(auditFormProblems(form({ since: "2026-03-04T10:00", until: "2026-03-04T10:00" })).range).toBe(
      "since_after_until",
    );
    expect(auditFormProblems(form({ since: "2026-03-04T10:00", until: "2026-03-04T10:01" })).range).toBeNull();
    // One end alone is a half-open period.
    expect(auditFormProblems(form({ since: "2026-03-05T10:00" })).range).toBeNull();
  });

  it("a patient id that is not a UUID, and a limit that is not a positive whole number", () => {
    const p = auditFormProblems(form({ patient: "Popescu", limit: "0" }));
    expect(p.patient).toBe("invalid");
    expect(p.limit).toBe("invalid");
    expect(auditFormProblems(form({ limit: "2.5" })).limit).toBe("invalid");
    expect(auditFormProblems(form({ limit: "-3" })).limit).toBe("invalid");
    expect(auditFormProblems(form({ patient: PATIENT.toUpperCase(), limit: "1" }))).toEqual({
      patient: null,
      since: null,
      until: null,
      range: null,
      limit: null,
    });
  });

  it("a time that does not exist", () => {
    expect(auditFormProblems(form({ since: "2026-02-30T10:00" })).since).toBe("invalid");
    expect(auditFormProblems(form({ until: "tomorrow" })).until).toBe("invalid");
  });
});

describe("local times and RFC 3339", () => {
  it("keep the offset the local clock had at that moment", () => {
    expect(localInputToRfc3339("2026-01-15T09:30")).toBe("2026-01-15T09:30:00+02:00");
    expect(localInputToRfc3339("2026-07-15T09:30:45")).toBe("2026-07-15T09:30:45+03:00");
    // The same instant as the local wall time.
    const at = localInputToRfc3339("2026-03-04T10:30")!;
    expect(new Date(at).getTime()).toBe(new Date(2026, 2, 4, 10, 30).getTime());
    expect(new Date(at).toISOString()).toBe("2026-03-04T08:30:00.000Z");
  });

  it("go into the filter as RFC 3339 with the offset", () => {
    const f = toAuditFilter(form({ since: "2026-03-01T00:00", until: "2026-04-01T00:00" }));
    expect(f.since).toBe("2026-03-01T00:00:00+02:00");
    expect(f.until).toBe("2026-04-01T00:00:00+03:00");
  });

  it("give null for empty or unreadable input", () => {
    expect(localInputToRfc3339("")).toBeNull();
    expect(localInputToRfc3339("2026-03-04")).toBeNull();
    expect(localInputToRfc3339("2026-13-04T10:00")).toBeNull();
  });

  it("come back as a datetime-local value on the local clock", () => {
    expect(rfc3339ToLocalInput("2026-03-04T08:30:00Z")).toBe("2026-03-04T10:30");
    expect(rfc3339ToLocalInput(localInputToRfc3339("2026-08-01T23:59")!)).toBe("2026-08-01T23:59");
    expect(rfc3339ToLocalInput("not a time")).toBe("");
  });

  it("write offsets as RFC 3339 does", () => {
    expect(formatOffset(120)).toBe("+02:00");
    expect(formatOffset(0)).toBe("+00:00");
    expect(formatOffset(-330)).toBe("-05:30");
  });

  it("show an event's time to the second in the locale's way", () => {
    expect(formatEventTime("2026-03-04T08:30:05Z", "ro", "Europe/Bucharest")).toMatch(/04\.03\.2026.*10:30:05/);
    expect(formatEventTime("2026-03-04T08:30:05Z", "en", "UTC")).toMatch(/04\/03\/2026.*08:30:05/);
    expect(formatEventTime("garbage", "en")).toBe("garbage");
  });
});

describe("the table and the export", () => {
  it("colour refusals and failures, not successes", () => {
    expect(outcomeClass("success")).toBe("badge");
    expect(outcomeClass("denied")).toContain("badge-warning");
    expect(outcomeClass("failure")).toContain("badge-danger");
    expect(outcomeClass("something new")).toBe("badge");
  });

  it("shorten a patient id for its cell", () => {
    expect(shortId(PATIENT)).toBe("0192f3a4…");
    expect(shortId(null)).toBe("");
    expect(shortId("abc")).toBe("abc");
  });

  it("name the CSV after the day, in the home folder", () => {
    expect(defaultCsvPath("2026-03-04")).toBe("~/cuspid-jurnal-audit-2026-03-04.csv");
  });

  it("group the known actions by their prefix, each once", () => {
    expect(new Set(KNOWN_ACTIONS).size).toBe(KNOWN_ACTIONS.length);
    const groups = actionGroups(["patient.read", "auth.login", "patient.search"]);
    expect(groups).toEqual([
      { group: "auth", actions: ["auth.login"] },
      { group: "patient", actions: ["patient.read", "patient.search"] },
    ]);
  });
});

describe("the audit screen in the navigation", () => {
  const session = (permissions: Action[]) => ({ username: "x", role: "dpo" as const, permissions, mfa_pending: false });

  it("is there for whoever may list the log, after the staff list (an administrator lands on staff)", () => {
    const dpo: Action[] = ["patient.search", "request.manage", "retention.manage", "audit.list", "audit.verify", "staff.list"];
    expect(sectionsFor(session(dpo))).toEqual(["patients", "requests", "register", "staff", "audit"]);
    expect(sectionsFor(session(["staff.list", "audit.list", "audit.verify", "settings.read"]))).toEqual([
      "staff",
      "audit",
      "settings",
    ]);
    // The owner verifies the chain but does not read the log.
    expect(sectionsFor(session(["staff.list", "audit.verify"]))).not.toContain("audit");
  });
});
