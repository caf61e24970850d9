import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

import * as backend from "./backend";
import { type AppError, type AppErrorKind, describeError, endsSession, meansEnrolmentRequired, meansLocked, toAppError } from "./errors";
import { wordCode } from "./wordings";
import { errorKindText } from "./i18n/index";

describe("toAppError", () => {
  it("keeps the shell's {kind, message, detail} as it is", () => {
    const raw = { kind: "auth.locked", message: "locked; try again after x", detail: "2026-11-25T10:00:00Z", extra: 1 };
    expect(toAppError(raw)).toEqual({
      kind: "auth.locked",
      message: "locked; try again after x",
      detail: "2026-11-25T10:00:00Z",
    });
  });

  it("reads the object when it arrives serialized as text", () => {
    expect(toAppError('{"kind":"input.invalid_cnp","message":"invalid CNP: x","detail":"x"}')).toEqual({
      kind: "input.invalid_cnp",
      message: "invalid CNP: x",
      detail: "x",
    });
  });

  it("turns a plain string, an Error or nothing into an internal error", () => {
    expect(toAppError("boom")).toEqual({ kind: "internal", message: "boom", detail: "boom" });
    expect(toAppError(new Error("bad"))).toEqual({ kind: "internal", message: "bad", detail: "bad" });
    expect(toAppError(undefined)).toEqual({ kind: "internal", message: "", detail: null });
    expect(toAppError(42)).toEqual({ kind: "internal", message: "42", detail: "42" });
  });

  it("names a missing IPC bridge (the page outside the app) as such", () => {
    expect(toAppError(new TypeError("window.__TAURI_INTERNALS__ is undefined")).kind).toBe("ipc.unavailable");
  });

  it("keeps a kind whose message and detail are missing", () => {
    expect(toAppError({ kind: "auth.no_session" })).toEqual({ kind: "auth.no_session", message: "", detail: null });
  });
});

describe("error kinds", () => {
  const e = (kind: string, message = "", detail: string | null = null) => ({ kind: kind as AppErrorKind, message, detail });

  it("say when the session is over or the app is locked", () => {
    expect(endsSession(e("auth.no_session"))).toBe(true);
    expect(endsSession(e("auth.session_expired")), "key rotated or role changed").toBe(true);
    expect(endsSession(e("auth.session_timed_out")), "idle or past its maximum length").toBe(true);
    expect(endsSession(e("auth.disabled")), "disabled while signed in").toBe(true);
    expect(endsSession(e("auth.invalid_credentials"))).toBe(false);
    expect(endsSession(e("auth.locked")), "a lockout is not a session").toBe(false);
    expect(endsSession(e("auth.app_locked")), "locked, not over").toBe(false);
    expect(meansLocked(e("auth.app_locked"))).toBe(true);
    expect(meansLocked(e("auth.session_timed_out"))).toBe(false);
  });

  it("tell a second factor asked for or refused from a session held to enrolment", () => {
    for (const kind of ["auth.totp_required", "auth.invalid_code", "auth.mfa_enrolment_required"]) {
      expect(endsSession(e(kind)), kind).toBe(false);
      expect(meansLocked(e(kind)), kind).toBe(false);
    }
    expect(meansEnrolmentRequired(e("auth.mfa_enrolment_required"))).toBe(true);
    expect(meansEnrolmentRequired(e("auth.totp_required")), "a sign-in asking for the code").toBe(false);
    expect(meansEnrolmentRequired(e("auth.permission_denied"))).toBe(false);
  });

  it("describe an error by its kind, adding the detail only where it says something", () => {
    const lookup = (k: string) => ({ "auth.invalid_credentials": "Parolă greșită.", "input.invalid": "De corectat" })[k] ?? null;
    expect(describeError(e("auth.invalid_credentials", "wrong user name or password"), lookup)).toEqual({
      text: "Parolă greșită.",
      detail: null,
    });
    expect(describeError(e("input.invalid", "invalid input: the first name is required", "the first name is required"), lookup)).toEqual({
      text: "De corectat",
      detail: "The first name is required",
    });
    expect(describeError(e("brand.new", "as the core says"), lookup)).toEqual({ text: "As the core says", detail: null });
    expect(describeError(e("brand.new", "ștergerea e în curs"), lookup).text, "a capital, diacritics too").toBe("Ștergerea e în curs");
  });

  it("say why a server connection is not safe, and what to check when its certificate is not trusted", () => {
    const lookup = (k: string) => errorKindText("en", k);
    const why = "plain TCP is only for this machine's own address (127.0.0.1 or localhost): use TLS with sslmode=verify-full";
    const insecure = e("storage.insecure_connection", `the connection to the server is not safe: ${why}`, why);
    expect(describeError(insecure, lookup)).toEqual({ text: "The connection to the server is not safe", detail: "P" + why.slice(1) });
    expect(describeError(e("storage.tls", "the server's certificate could not be verified"), lookup)).toEqual({
      text: "The server's certificate could not be verified: check the clinic's CA file and the server's name.",
      detail: null,
    });
    const keyring = "the server's password needs the OS keyring, which is not available";
    expect(describeError(e("auth.keyring_unavailable", `keyring: ${keyring}`, keyring), lookup).detail).toBe("The" + keyring.slice(3));
  });

  it("word the detail in the chosen language when there is a wording, else keep the core's", () => {
    const lookup = () => "De corectat";
    const word = (x: AppError) => (x.rule ? wordCode(x.rule, "ro") : null);
    const firstName = { ...e("input.invalid", "m", "the first name is required"), rule: { code: "patients.first_name_required" } as const };
    expect(describeError(firstName, lookup, word).detail).toBe("Prenumele este obligatoriu");
    expect(describeError(e("input.invalid", "m", "something new"), lookup, word).detail).toBe("Something new");
  });

  it("word a rule's parameters and keep the broken audit event's number", () => {
    expect(wordCode({ code: "patients.first_name_too_long", max: 100 }, "ro")).toBe("prenumele are mai mult de 100 de caractere");
    expect(wordCode({ code: "patients.patient" }, "en")).toBe("patient");
    const raw = { kind: "integrity.audit_chain_broken", message: "the audit log is broken at event #42: the hash does not match", detail: null, event: 42 };
    expect(toAppError(raw).event).toBe(42);
    expect(toAppError(JSON.stringify(raw)).event).toBe(42);
  });
});

describe("backend calls", () => {
  beforeEach(() => invoke.mockReset());

  it("pass camelCase arguments to the named command and resolve with its result", async () => {
    invoke.mockResolvedValueOnce([]);
    await expect(backend.consentStates("p-1")).resolves.toEqual([]);
    expect(invoke).toHaveBeenCalledWith("consent_states", { patientId: "p-1" });

    invoke.mockResolvedValueOnce({ version: "2", text_ro: "a", text_en: "b", published_at: "x" });
    await backend.publishNotice("2", "a", "b");
    expect(invoke).toHaveBeenLastCalledWith("publish_notice", { version: "2", textRo: "a", textEn: "b" });

    invoke.mockResolvedValueOnce({});
    await backend.setRestriction("p-9", "verification");
    expect(invoke).toHaveBeenLastCalledWith("set_restriction", { id: "p-9", restriction: "verification" });

    invoke.mockResolvedValueOnce([]);
    await backend.findPatients({ by: "phone", value: "0721234567" });
    expect(invoke).toHaveBeenLastCalledWith("find_patients", { query: { by: "phone", value: "0721234567" } });

    invoke.mockResolvedValueOnce(undefined);
    await backend.saveRecoveryPdf("~/key.pdf", "ro");
    expect(invoke).toHaveBeenLastCalledWith("save_recovery_pdf", { path: "~/key.pdf", lang: "ro" });
  });

  it("choose the data's location with the server's CA file as a camelCase argument", async () => {
    const status = { location: "postgres://cuspid@db.clinic/cuspid" };
    invoke.mockResolvedValueOnce(status);
    await expect(backend.chooseLocation(null, "postgres://cuspid@db.clinic/cuspid", "~/clinic-ca.pem")).resolves.toEqual(status);
    expect(invoke).toHaveBeenLastCalledWith("choose_location", {
      dataDir: null,
      databaseUrl: "postgres://cuspid@db.clinic/cuspid",
      caFile: "~/clinic-ca.pem",
    });

    invoke.mockResolvedValueOnce(status);
    await backend.chooseLocation("~/cuspid-data", null, null);
    expect(invoke).toHaveBeenLastCalledWith("choose_location", { dataDir: "~/cuspid-data", databaseUrl: null, caFile: null });

    const refused = { kind: "storage.insecure_connection", message: "the connection to the server is not safe: x", detail: "x" };
    invoke.mockRejectedValueOnce(refused);
    await expect(backend.chooseLocation(null, "postgres://cuspid@db.clinic/cuspid?sslmode=require", null)).rejects.toEqual(
      refused,
    );
    expect(invoke).toHaveBeenCalledTimes(3);
  });

  it("drive the request log with the shell's command names and camelCase arguments", async () => {
    const dto = { id: "r-1", deadline: "2026-12-25" };
    invoke.mockResolvedValueOnce([dto]);
    await expect(backend.listRequests(true)).resolves.toEqual([dto]);
    expect(invoke).toHaveBeenLastCalledWith("list_requests", { openOnly: true });

    invoke.mockResolvedValueOnce(dto);
    await expect(backend.getRequest("r-1")).resolves.toEqual(dto);
    expect(invoke).toHaveBeenLastCalledWith("get_request", { id: "r-1" });

    const request = {
      patient_id: "p-1",
      kind: "access" as const,
      received_on: "2026-11-25",
      via_guardian: "g-1",
      identity_check: "identity card shown at the desk",
    };
    invoke.mockResolvedValueOnce(dto);
    await backend.registerRequest(request);
    expect(invoke).toHaveBeenLastCalledWith("register_request", { request });

    invoke.mockResolvedValueOnce(dto);
    await backend.extendRequest("r-1", 2, "many requests this month");
    expect(invoke).toHaveBeenLastCalledWith("extend_request", { id: "r-1", months: 2, reason: "many requests this month" });

    invoke.mockResolvedValueOnce(dto);
    await backend.closeRequest("r-1", "partly_granted", "copy sent, X-rays withheld");
    expect(invoke).toHaveBeenLastCalledWith("close_request", {
      id: "r-1",
      outcome: "partly_granted",
      note: "copy sent, X-rays withheld",
    });

    invoke.mockResolvedValueOnce(undefined);
    await backend.saveExtensionLetter("r-1", "~/letter.pdf", "en");
    expect(invoke).toHaveBeenLastCalledWith("save_extension_letter", { id: "r-1", path: "~/letter.pdf", lang: "en" });
    expect(invoke).toHaveBeenCalledTimes(6);
  });

  it("rectify a record for a request and list the request's edits with the shell's command names and camelCase arguments", async () => {
    const changes = {
      first_name: null,
      last_name: "Ionescu",
      cnp: null,
      birth_date: null,
      sex: null,
      phone: "",
      email: null,
      address: null,
      emergency_contact: null,
    };
    const dto = { id: "p-1", version: 4 };
    invoke.mockResolvedValueOnce(dto);
    await expect(backend.rectifyPatient("p-1", 3, changes, "r-1")).resolves.toEqual(dto);
    expect(invoke).toHaveBeenLastCalledWith("rectify_patient", {
      id: "p-1",
      expectedVersion: 3,
      changes,
      requestId: "r-1",
    });

    const entry = { id: "h-1", changed_fields: ["last_name", "phone"], request_id: "r-1" };
    invoke.mockResolvedValueOnce([entry]);
    await expect(backend.requestEdits("r-1")).resolves.toEqual([entry]);
    expect(invoke).toHaveBeenLastCalledWith("request_edits", { id: "r-1" });

    invoke.mockRejectedValueOnce({
      kind: "input.invalid",
      message: "invalid input: the request is not an open rectification request",
      detail: "the request is not an open rectification request",
    });
    await expect(backend.rectifyPatient("p-1", 3, changes, "r-2")).rejects.toMatchObject({ kind: "input.invalid" });
    invoke.mockRejectedValueOnce({ kind: "conflict.stale", message: "stale", detail: null });
    await expect(backend.rectifyPatient("p-1", 3, changes, "r-1")).rejects.toMatchObject({ kind: "conflict.stale" });
    expect(invoke).toHaveBeenCalledTimes(4);
  });

  it("read and change the retention schedule with the shell's command names and camelCase arguments", async () => {
    const rule = {
      category: "medical_records",
      period: 8,
      unit: "years" as const,
      starts: "after the last treatment",
      legal_basis: "healthcare law",
      legal_minimum_years: 7,
      customised: true,
    };
    invoke.mockResolvedValueOnce([rule]);
    await expect(backend.retentionRules()).resolves.toEqual([rule]);
    expect(invoke).toHaveBeenLastCalledWith("retention_rules", undefined);

    invoke.mockResolvedValueOnce(rule);
    await expect(backend.setRetention("medical_records", 8, "years", "healthcare law")).resolves.toEqual(rule);
    expect(invoke).toHaveBeenLastCalledWith("set_retention", {
      category: "medical_records",
      period: 8,
      unit: "years",
      legalBasis: "healthcare law",
    });

    invoke.mockRejectedValueOnce({ kind: "input.invalid", message: "invalid input: x", detail: "x" });
    await expect(backend.setRetention("invoices", 2, "years", "tax law")).rejects.toEqual({
      kind: "input.invalid",
      message: "invalid input: x",
      detail: "x",
    });
    expect(invoke).toHaveBeenCalledTimes(3);
  });

  it("read, change and save the Article 30 register with the shell's command names and arguments", async () => {
    const register = { controller: null, activities: [] };
    invoke.mockResolvedValueOnce(register);
    await expect(backend.article30Register()).resolves.toEqual(register);
    expect(invoke).toHaveBeenLastCalledWith("article30_register", undefined);

    const activity = {
      name: "Patient records",
      purpose: "care",
      data_categories: "health data",
      data_subjects: "patients",
      legal_basis: "Art. 6(1)(b)",
      retention_categories: ["medical_records"],
      retention_note: null,
      recipients: "clinic staff",
      transfers: "none",
      security_measures: "encryption",
    };
    const dto = { ...activity, code: "A01", retention: "medical records: 7 years after the last treatment" };
    invoke.mockResolvedValueOnce(dto);
    await expect(backend.updateActivity("A01", activity)).resolves.toEqual(dto);
    expect(invoke).toHaveBeenLastCalledWith("update_activity", { code: "A01", activity });

    invoke.mockResolvedValueOnce(undefined);
    await backend.saveArticle30("~/registru.csv", "csv", "ro");
    expect(invoke).toHaveBeenLastCalledWith("save_article30", { path: "~/registru.csv", format: "csv", lang: "ro" });

    invoke.mockRejectedValueOnce({ kind: "auth.permission_denied", message: "permission denied" });
    await expect(backend.updateActivity("A01", activity)).rejects.toMatchObject({ kind: "auth.permission_denied" });
    expect(invoke).toHaveBeenCalledTimes(4);
  });

  it("export and erase a patient with the shell's command names and camelCase arguments", async () => {
    const exported = {
      export_id: "e-1",
      data_path: "/home/dpo/cuspid-export-e-1.zip.age",
      letter_path: "/home/dpo/cuspid-export-e-1-letter.pdf",
      files: ["data.json"],
      records: 4,
      encrypted: true,
      images_deidentified: true,
      generated_passphrase: null,
    };
    invoke.mockResolvedValueOnce(exported);
    const args = { dir: "~/stick", passphrase: "correct horse battery", generatePassphrase: false, keepImageMetadata: false };
    await expect(backend.exportPatient("p-1", { ...args, lang: "en" }, "r-1")).resolves.toEqual(exported);
    expect(invoke).toHaveBeenLastCalledWith("export_patient", {
      id: "p-1",
      dir: "~/stick",
      passphrase: "correct horse battery",
      generatePassphrase: false,
      keepImageMetadata: false,
      lang: "en",
      requestId: "r-1",
    });

    invoke.mockResolvedValueOnce(exported);
    const generated = { dir: "~", passphrase: null, generatePassphrase: true, keepImageMetadata: true, lang: "ro" as const };
    await backend.exportPatient("p-1", generated, null);
    expect(invoke).toHaveBeenLastCalledWith("export_patient", {
      id: "p-1",
      dir: "~",
      passphrase: null,
      generatePassphrase: true,
      keepImageMetadata: true,
      lang: "ro",
      requestId: null,
    });

    // No language chosen: the core writes the letter in the patient's (else the clinic's).
    invoke.mockResolvedValueOnce(exported);
    await backend.exportPatient("p-1", { ...args, dir: "~", passphrase: null, lang: null }, null);
    expect(invoke).toHaveBeenLastCalledWith("export_patient", {
      id: "p-1",
      dir: "~",
      passphrase: null,
      generatePassphrase: false,
      keepImageMetadata: false,
      lang: null,
      requestId: null,
    });

    invoke.mockResolvedValueOnce([{ module: "patients", fate: "erase" }]);
    await expect(backend.erasurePreview("p-1")).resolves.toEqual([{ module: "patients", fate: "erase" }]);
    expect(invoke).toHaveBeenLastCalledWith("erasure_preview", { id: "p-1" });

    const report = { erasure_id: "x", patient_id: "p-1", erased_at: "t", parts: [], backups_expire: "2027-01-01" };
    invoke.mockResolvedValueOnce(report);
    await expect(backend.erasePatient("p-1", "r-2")).resolves.toEqual(report);
    expect(invoke).toHaveBeenLastCalledWith("erase_patient", { id: "p-1", requestId: "r-2" });

    invoke.mockResolvedValueOnce(report);
    await backend.erasureRecord("p-1");
    expect(invoke).toHaveBeenLastCalledWith("erasure_record", { id: "p-1" });

    invoke.mockResolvedValueOnce(undefined);
    await backend.saveErasureLetter("p-1", "~/answer.pdf", "ro");
    expect(invoke).toHaveBeenLastCalledWith("save_erasure_letter", { id: "p-1", path: "~/answer.pdf", lang: "ro" });

    invoke.mockRejectedValueOnce({
      kind: "input.invalid",
      message: "invalid input: this person is the only guardian linked to a minor: link another guardian first",
      detail: "this person is the only guardian linked to a minor: link another guardian first",
    });
    await expect(backend.erasePatient("p-2", null)).rejects.toMatchObject({ kind: "input.invalid" });
    expect(invoke).toHaveBeenCalledTimes(8);
  });

  it("list, verify and export the audit log with the shell's command names and arguments", async () => {
    const filter = {
      patient: "0192f3a4-5b6c-7d8e-9f00-112233445566",
      staff: "ana",
      action: "patient.read",
      since: "2026-03-01T00:00:00+02:00",
      until: null,
      limit: 500,
    };
    invoke.mockResolvedValueOnce([]);
    await expect(backend.listAudit(filter)).resolves.toEqual([]);
    expect(invoke).toHaveBeenLastCalledWith("list_audit", { filter });

    const report = { events: 12, head_seq: 12, head_hash: "ab12", checkpoint_seq: 10 };
    invoke.mockResolvedValueOnce(report);
    await expect(backend.verifyAudit()).resolves.toEqual(report);
    expect(invoke).toHaveBeenLastCalledWith("verify_audit", undefined);

    invoke.mockRejectedValueOnce({
      kind: "integrity.audit_chain_broken",
      message: "the audit log is broken at event #7: the hash does not match",
    });
    await expect(backend.verifyAudit()).rejects.toMatchObject({ kind: "integrity.audit_chain_broken" });

    invoke.mockResolvedValueOnce(null);
    await backend.saveAuditCsv(filter, "~/cuspid-jurnal-audit-2026-03-04.csv");
    expect(invoke).toHaveBeenLastCalledWith("save_audit_csv", { filter, path: "~/cuspid-jurnal-audit-2026-03-04.csv" });
  });

  it("keep the breach register and run the retention job with the shell's command names and arguments", async () => {
    const dto = { id: "b-1", reference: "2026-001" };
    invoke.mockResolvedValueOnce([dto]);
    await expect(backend.listBreaches()).resolves.toEqual([dto]);
    expect(invoke).toHaveBeenLastCalledWith("list_breaches", undefined);

    invoke.mockResolvedValueOnce(dto);
    await backend.getBreach("b-1");
    expect(invoke).toHaveBeenLastCalledWith("get_breach", { id: "b-1" });

    const breach = {
      discovered_at: "2026-11-25T14:30:00+02:00",
      occurred_from: null,
      occurred_to: null,
      nature: ["confidentiality"],
      description: "laptop stolen",
      data_categories: "identity",
      consequences: "exposure",
      measures_taken: "wiped",
      measures_proposed: "encrypt",
      risk: "high" as const,
    };
    invoke.mockResolvedValueOnce(dto);
    await backend.openBreach(breach);
    expect(invoke).toHaveBeenLastCalledWith("open_breach", { breach });

    const scope = { by: "staff" as const, username: "ana", from: "2026-11-24T00:00:00+02:00", to: "2026-11-25T00:00:00+02:00" };
    invoke.mockResolvedValueOnce(dto);
    await backend.findAffected("b-1", scope);
    expect(invoke).toHaveBeenLastCalledWith("find_affected", { id: "b-1", scope });

    invoke.mockResolvedValueOnce([]);
    await backend.affectedPeople("b-1");
    expect(invoke).toHaveBeenLastCalledWith("affected_people", { id: "b-1" });

    invoke.mockResolvedValueOnce(undefined);
    await backend.notifyAuthority("b-1", "the laptop was found late", "~/n.pdf", "ro");
    expect(invoke).toHaveBeenLastCalledWith("notify_authority", {
      id: "b-1",
      lateReason: "the laptop was found late",
      path: "~/n.pdf",
      lang: "ro",
    });

    invoke.mockResolvedValueOnce(["/h/x/all-letters.pdf", "/h/x/letter-0001.pdf"]);
    await expect(backend.notifySubjects("b-1", "~", "en")).resolves.toEqual(["/h/x/all-letters.pdf", "/h/x/letter-0001.pdf"]);
    expect(invoke).toHaveBeenLastCalledWith("notify_subjects", { id: "b-1", dir: "~", lang: "en" });

    const run = { applied: false, patients: [], staff: [], erased_records: 0, retention_keys_destroyed: 1, kept_records: 0 };
    invoke.mockResolvedValueOnce(run);
    await expect(backend.retentionRun(false)).resolves.toEqual(run);
    expect(invoke).toHaveBeenLastCalledWith("retention_run", { apply: false });
    invoke.mockResolvedValueOnce({ ...run, applied: true });
    await backend.retentionRun(true);
    expect(invoke).toHaveBeenLastCalledWith("retention_run", { apply: true });
    expect(invoke).toHaveBeenCalledTimes(9);
  });

  it("chart and read the tooth chart and keep the catalogue with the shell's command names and arguments", async () => {
    const entry = {
      tooth: 36,
      surfaces: ["mesial" as const, "occlusal" as const],
      finding: { type: "procedure" as const, code: "restoration.composite", state: "done" as const },
      date: "2026-11-25",
      note: null,
      supersedes: "e-1",
    };
    invoke.mockResolvedValueOnce({ ...entry, id: "e-2", recorded_by: "dr", recorded_at: "x" });
    await expect(backend.chartAdd("p-1", entry)).resolves.toMatchObject({ id: "e-2" });
    expect(invoke).toHaveBeenLastCalledWith("chart_add", { id: "p-1", entry });

    const chart = { as_of: "2026-11-01", current: [], history: [] };
    invoke.mockResolvedValueOnce(chart);
    await expect(backend.getChart("p-1", "2026-11-01")).resolves.toEqual(chart);
    expect(invoke).toHaveBeenLastCalledWith("get_chart", { id: "p-1", asOf: "2026-11-01" });
    invoke.mockResolvedValueOnce(chart);
    await backend.getChart("p-1", null);
    expect(invoke).toHaveBeenLastCalledWith("get_chart", { id: "p-1", asOf: null });

    const procedure = {
      code: "prevention.sealant",
      name_ro: "Sigilare",
      name_en: "Fissure sealant",
      fee_bani: 12000,
      needs: "surfaces" as const,
      active: true,
    };
    invoke.mockResolvedValueOnce([procedure]);
    await expect(backend.procedures()).resolves.toEqual([procedure]);
    expect(invoke).toHaveBeenLastCalledWith("procedures", undefined);
    invoke.mockResolvedValueOnce(procedure);
    await expect(backend.saveProcedure(procedure)).resolves.toEqual(procedure);
    expect(invoke).toHaveBeenLastCalledWith("save_procedure", { procedure });

    invoke.mockRejectedValueOnce({ kind: "conflict.restricted", message: "restricted", detail: null });
    await expect(backend.chartAdd("p-1", entry)).rejects.toMatchObject({ kind: "conflict.restricted" });
    expect(invoke).toHaveBeenCalledTimes(6);
  });

  it("read and write the medical history, its alerts, the notes and the periodontal exams by the shell's names", async () => {
    const history = {
      date: "2026-11-20",
      answers: [{ item: "allergies" as const, reply: "yes" as const, detail: "penicillin" }],
      notes: null,
    };
    const recorded = { ...history, id: "h-1", alerts: [], taken_by: "dr", recorded_at: "x" };
    invoke.mockResolvedValueOnce([recorded]);
    await expect(backend.medicalHistory("p-1")).resolves.toEqual([recorded]);
    expect(invoke).toHaveBeenLastCalledWith("medical_history", { id: "p-1" });
    invoke.mockResolvedValueOnce(recorded);
    await expect(backend.recordMedicalHistory("p-1", history)).resolves.toMatchObject({ id: "h-1" });
    expect(invoke).toHaveBeenLastCalledWith("record_medical_history", { id: "p-1", history });
    const alert = { item: "allergies" as const, detail: "penicillin", since: "2026-11-20" };
    invoke.mockResolvedValueOnce([alert]);
    await expect(backend.medicalAlerts("p-1")).resolves.toEqual([alert]);
    expect(invoke).toHaveBeenLastCalledWith("medical_alerts", { id: "p-1" });

    const note = { date: "2026-11-21", text: "Control.", template: null, amends: "n-1", reason: "typo" };
    invoke.mockResolvedValueOnce([]);
    await expect(backend.clinicalNotes("p-1")).resolves.toEqual([]);
    expect(invoke).toHaveBeenLastCalledWith("clinical_notes", { id: "p-1" });
    invoke.mockResolvedValueOnce({ ...note, id: "n-2", author: "dr", recorded_at: "x", amendments: [] });
    await expect(backend.addNote("p-1", note)).resolves.toMatchObject({ id: "n-2" });
    expect(invoke).toHaveBeenLastCalledWith("add_note", { id: "p-1", note });
    invoke.mockResolvedValueOnce([]);
    await backend.noteTemplates();
    expect(invoke).toHaveBeenLastCalledWith("note_templates", undefined);

    const tooth = {
      tooth: 16,
      depths: [3, 2, 4, 3, 2, 5] as [number, number, number, number, number, number],
      recession: [0, 0, 0, 0, 0, 1] as [number, number, number, number, number, number],
      bleeding: [false, false, true, false, false, true] as [boolean, boolean, boolean, boolean, boolean, boolean],
      mobility: 0,
      furcation: 1,
    };
    const exam = { date: "2026-11-22", teeth: [tooth], note: null };
    invoke.mockResolvedValueOnce([]);
    await expect(backend.perioExams("p-1")).resolves.toEqual([]);
    expect(invoke).toHaveBeenLastCalledWith("perio_exams", { id: "p-1" });
    const summary = { sites: 6, bleeding_percent: 33, deep_sites: 0 };
    invoke.mockResolvedValueOnce({ ...exam, ...summary, id: "x-1", examined_by: "dr", recorded_at: "x" });
    await expect(backend.recordPerioExam("p-1", exam)).resolves.toMatchObject({ sites: 6 });
    expect(invoke).toHaveBeenLastCalledWith("record_perio_exam", { id: "p-1", exam });

    invoke.mockRejectedValueOnce({ kind: "conflict.restricted", message: "restricted", detail: null });
    await expect(backend.addNote("p-1", note)).rejects.toMatchObject({ kind: "conflict.restricted" });
    expect(invoke).toHaveBeenCalledTimes(9);
  });

  it("import, list, open and export X-rays by the shell's names, the opened image read from its binary answer", async () => {
    const dto = {
      id: "x-1",
      kind: "bitewing" as const,
      date: "2026-11-24",
      teeth: [16, 46],
      note: null,
      format: "png" as const,
      width: 2,
      height: 1,
      bits: 16,
      photometric: "monochrome2" as const,
      size_bytes: 1200,
      frames: 1,
      thumbnail: "data:image/png;base64,AAAA",
      recorded_by: "dr",
      recorded_at: "x",
    };
    const xray = { kind: "bitewing" as const, date: "2026-11-24", teeth: [16, 46], note: null };
    invoke.mockResolvedValueOnce(dto);
    await expect(backend.importXray("p-1", "~/rx.png", xray)).resolves.toEqual(dto);
    expect(invoke).toHaveBeenLastCalledWith("import_xray", { id: "p-1", path: "~/rx.png", xray });
    invoke.mockResolvedValueOnce([dto]);
    await expect(backend.xrays("p-1")).resolves.toEqual([dto]);
    expect(invoke).toHaveBeenLastCalledWith("xrays", { id: "p-1" });

    const view = { xray: dto, frame: 0, width: 2, height: 1, scale: 1, bits: 16, channels: 1, window_center: 300, window_width: 600, invert: false };
    const head = new TextEncoder().encode(JSON.stringify(view));
    const bytes = new Uint8Array(4 + head.length + 4);
    new DataView(bytes.buffer).setUint32(0, head.length, true);
    bytes.set(head, 4);
    bytes.set([0x2c, 0x01, 0xff, 0xff], 4 + head.length);
    invoke.mockResolvedValueOnce(bytes.buffer);
    const opened = await backend.openXray("p-1", "x-1");
    expect(invoke).toHaveBeenLastCalledWith("open_xray", { id: "p-1", xrayId: "x-1", frame: 0 });
    invoke.mockResolvedValueOnce(bytes.buffer);
    await backend.openXray("p-1", "x-1", 2);
    expect(invoke).toHaveBeenLastCalledWith("open_xray", { id: "p-1", xrayId: "x-1", frame: 2 });
    expect(opened.view).toEqual(view);
    expect([...opened.samples]).toEqual([300, 65535]);
    invoke.mockResolvedValueOnce(bytes);
    await expect(backend.openXray("p-1", "x-1")).resolves.toMatchObject({ view: { window_center: 300 } });
    invoke.mockResolvedValueOnce(bytes.slice(0, 10).buffer);
    await expect(backend.openXray("p-1", "x-1")).rejects.toMatchObject({ kind: "internal" });

    invoke.mockResolvedValueOnce("/home/dr/x-1.png");
    await expect(backend.exportXray("p-1", "x-1", "~")).resolves.toBe("/home/dr/x-1.png");
    expect(invoke).toHaveBeenLastCalledWith("export_xray", { id: "p-1", xrayId: "x-1", path: "~", stripIdentifiers: false });
    invoke.mockResolvedValueOnce("/home/dr/x-1.dcm");
    await backend.exportXray("p-1", "x-1", "~", true);
    expect(invoke).toHaveBeenLastCalledWith("export_xray", { id: "p-1", xrayId: "x-1", path: "~", stripIdentifiers: true });

    invoke.mockRejectedValueOnce({ kind: "input.invalid", message: "invalid input: not an image", detail: "not an image" });
    await expect(backend.importXray("p-1", "~/a.txt", xray)).rejects.toEqual({
      kind: "input.invalid",
      message: "invalid input: not an image",
      detail: "not an image",
    });
    invoke.mockRejectedValueOnce({ kind: "conflict.restricted", message: "restricted", detail: null });
    await expect(backend.importXray("p-1", "~/rx.png", xray)).rejects.toMatchObject({ kind: "conflict.restricted" });
    expect(invoke).toHaveBeenCalledTimes(10);
  });

  it("suggest, list, save, decide and print treatment plans by the shell's names and arguments", async () => {
    const item = {
      chart_entry: "e-1",
      code: "restoration.composite",
      name_ro: "Obturație compozit",
      name_en: "Composite filling",
      tooth: 26,
      surfaces: ["mesial" as const, "occlusal" as const],
      fee_bani: 25000,
      note: null,
      state: "planned" as const,
    };
    invoke.mockResolvedValueOnce([item]);
    await expect(backend.planSuggestions("p-1")).resolves.toEqual([item]);
    expect(invoke).toHaveBeenLastCalledWith("plan_suggestions", { id: "p-1" });

    const dto = {
      id: "pl-1",
      created_on: "2026-11-25",
      title: "Quadrant 2",
      options: [{ title: "Composite", phases: [{ name: "Phase 1", items: [item], total_bani: 25000 }], total_bani: 25000 }],
      note: null,
      status: "draft",
      decision: null,
      recorded_by: "dr",
      updated_at: "x",
    };
    invoke.mockResolvedValueOnce([dto]);
    await expect(backend.treatmentPlans("p-1")).resolves.toEqual([dto]);
    expect(invoke).toHaveBeenLastCalledWith("treatment_plans", { id: "p-1" });

    const plan = {
      title: "Quadrant 2",
      options: [
        {
          title: "Composite",
          phases: [{ name: "Phase 1", items: [{ chart_entry: "e-1", code: "restoration.composite", tooth: 26, surfaces: item.surfaces, fee_bani: null }] }],
        },
      ],
      note: null,
    };
    invoke.mockResolvedValueOnce(dto);
    await expect(backend.savePlan("p-1", null, plan)).resolves.toEqual(dto);
    expect(invoke).toHaveBeenLastCalledWith("save_plan", { id: "p-1", planId: null, plan });
    invoke.mockResolvedValueOnce(dto);
    await backend.savePlan("p-1", "pl-1", plan);
    expect(invoke).toHaveBeenLastCalledWith("save_plan", { id: "p-1", planId: "pl-1", plan });

    const decision = { option: 0, by: "Popescu Ion", how: "signed_paper" as const, date: "2026-11-25" };
    invoke.mockResolvedValueOnce({ ...dto, status: "accepted", decision: { ...decision, recorded_by: "dr" } });
    await expect(backend.decidePlan("p-1", "pl-1", decision)).resolves.toMatchObject({ status: "accepted" });
    expect(invoke).toHaveBeenLastCalledWith("decide_plan", { id: "p-1", planId: "pl-1", decision });

    invoke.mockResolvedValueOnce(null);
    await backend.savePlanPdf("p-1", "pl-1", "~/plan.pdf", null);
    expect(invoke).toHaveBeenLastCalledWith("save_plan_pdf", { id: "p-1", planId: "pl-1", path: "~/plan.pdf", lang: null });
    invoke.mockResolvedValueOnce(null);
    await backend.savePlanPdf("p-1", "pl-1", "~/plan.pdf", "en");
    expect(invoke).toHaveBeenLastCalledWith("save_plan_pdf", { id: "p-1", planId: "pl-1", path: "~/plan.pdf", lang: "en" });

    invoke.mockRejectedValueOnce({
      kind: "input.invalid",
      message: "invalid input: a plan the patient has answered is not changed: write a new one",
      detail: "a plan the patient has answered is not changed: write a new one",
    });
    await expect(backend.savePlan("p-1", "pl-1", plan)).rejects.toMatchObject({ kind: "input.invalid" });
    invoke.mockRejectedValueOnce({ kind: "conflict.restricted", message: "restricted", detail: null });
    await expect(backend.decidePlan("p-1", "pl-1", decision)).rejects.toMatchObject({ kind: "conflict.restricted" });
    expect(invoke).toHaveBeenCalledTimes(9);
  });

  it("sign in, lock, unlock and manage passwords with the shell's command names and arguments", async () => {
    const info = { username: "ana", role: "receptionist", permissions: [], mfa_pending: false };
    invoke.mockResolvedValueOnce(info);
    await expect(backend.loginKeyring("ana", "482916")).resolves.toEqual(info);
    expect(invoke).toHaveBeenLastCalledWith("login_keyring", { username: "ana", pin: "482916", code: null });
    invoke.mockResolvedValueOnce(info);
    await backend.loginKeyring("ana", "482916", "123456");
    expect(invoke).toHaveBeenLastCalledWith("login_keyring", { username: "ana", pin: "482916", code: "123456" });

    invoke.mockResolvedValueOnce(info);
    await backend.login("ana", "parola-receptie");
    expect(invoke).toHaveBeenLastCalledWith("login", { username: "ana", password: "parola-receptie", code: null });
    invoke.mockResolvedValueOnce(info);
    await backend.login("ana", "parola-receptie", "abcde-fgh23");
    expect(invoke).toHaveBeenLastCalledWith("login", { username: "ana", password: "parola-receptie", code: "abcde-fgh23" });

    invoke.mockResolvedValueOnce({});
    await backend.enrollWorkstation("482916");
    expect(invoke).toHaveBeenLastCalledWith("enroll_workstation", { pin: "482916" });

    invoke.mockResolvedValueOnce(null);
    await backend.lock("idle");
    expect(invoke).toHaveBeenLastCalledWith("lock", { reason: "idle" });
    invoke.mockResolvedValueOnce(null);
    await backend.lock(null);
    expect(invoke).toHaveBeenLastCalledWith("lock", { reason: null });

    invoke.mockResolvedValueOnce(info);
    await backend.unlock({ kind: "pin", secret: "482916" });
    expect(invoke).toHaveBeenLastCalledWith("unlock", { secret: { kind: "pin", secret: "482916" }, code: null });
    invoke.mockResolvedValueOnce(info);
    await backend.unlock({ kind: "password", secret: "parola-receptie" }, "654321");
    expect(invoke).toHaveBeenLastCalledWith("unlock", {
      secret: { kind: "password", secret: "parola-receptie" },
      code: "654321",
    });

    invoke.mockResolvedValueOnce(null);
    await backend.activity();
    expect(invoke).toHaveBeenLastCalledWith("activity", undefined);

    invoke.mockResolvedValueOnce(null);
    await backend.changePassword("ana", "parola-noua-2027", "parola-admin-2026");
    expect(invoke).toHaveBeenLastCalledWith("change_password", {
      username: "ana",
      password: "parola-noua-2027",
      confirm: "parola-admin-2026",
    });

    const report = { new_key_id: "k-2", key_slots: 3n, patient_keys: 2n };
    invoke.mockResolvedValueOnce(report);
    await expect(backend.rotateKeys()).resolves.toEqual(report);
    expect(invoke).toHaveBeenLastCalledWith("rotate_keys", undefined);
  });

  it("set up, read and reset two-factor sign-in with the shell's command names and arguments", async () => {
    const setup = { secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", uri: "otpauth://totp/Cuspid:admin", qr_png_base64: "iVBORw0KGgo=" };
    invoke.mockResolvedValueOnce(setup);
    await expect(backend.beginTotp()).resolves.toEqual(setup);
    expect(invoke).toHaveBeenLastCalledWith("begin_totp", undefined);

    const codes = { codes: ["abcde-fgh23", "ijklm-nop45"] };
    invoke.mockResolvedValueOnce(codes);
    await expect(backend.confirmTotp("123456")).resolves.toEqual(codes);
    expect(invoke).toHaveBeenLastCalledWith("confirm_totp", { code: "123456" });

    const status = { enrolled: true, required: true, recovery_codes_left: 10 };
    invoke.mockResolvedValueOnce(status);
    await expect(backend.mfaStatus()).resolves.toEqual(status);
    expect(invoke).toHaveBeenLastCalledWith("mfa_status", undefined);

    invoke.mockResolvedValueOnce(null);
    await backend.resetMfa("irina", "parola-admin-2026");
    expect(invoke).toHaveBeenLastCalledWith("reset_mfa", { username: "irina", confirm: "parola-admin-2026" });

    invoke.mockRejectedValueOnce({ kind: "auth.invalid_code", message: "the code is wrong or was already used" });
    await expect(backend.confirmTotp("000000")).rejects.toMatchObject({ kind: "auth.invalid_code" });
  });

  it("reject with an AppError, whatever the shell threw", async () => {
    invoke.mockRejectedValueOnce({ kind: "auth.invalid_credentials", message: "wrong user name or password" });
    await expect(backend.login("ana", "x")).rejects.toEqual({
      kind: "auth.invalid_credentials",
      message: "wrong user name or password",
      detail: null,
    });

    invoke.mockRejectedValueOnce("plain text");
    await expect(backend.logout()).rejects.toEqual({ kind: "internal", message: "plain text", detail: "plain text" });
  });

  it("tell listeners about each failure until they unsubscribe", async () => {
    const seen = vi.fn();
    const stop = backend.onBackendError(seen);
    invoke.mockRejectedValueOnce({ kind: "auth.app_locked", message: "locked" });
    await expect(backend.getPatient("p")).rejects.toMatchObject({ kind: "auth.app_locked" });
    expect(seen).toHaveBeenCalledWith({ kind: "auth.app_locked", message: "locked", detail: null });
    stop();
    invoke.mockRejectedValueOnce({ kind: "auth.no_session", message: "" });
    await expect(backend.getPatient("p")).rejects.toMatchObject({ kind: "auth.no_session" });
    expect(seen).toHaveBeenCalledTimes(1);
  });
});
