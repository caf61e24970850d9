// Every call into the Tauri shell goes through this module: typed with the generated
// bindings, and rejecting only with an `AppError`. Screens import from here, never
// from @tauri-apps/api directly, so the UI's logic stays testable without a window.

import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";

import type { ActivityDto } from "./bindings/ActivityDto";
import type { ActivityInput } from "./bindings/ActivityInput";
import type { AffectedDto } from "./bindings/AffectedDto";
import type { AffectedScope } from "./bindings/AffectedScope";
import type { AlertDto } from "./bindings/AlertDto";
import type { AppStatus } from "./bindings/AppStatus";
import type { Article30Register } from "./bindings/Article30Register";
import type { AuditEventDto } from "./bindings/AuditEventDto";
import type { AuditFilter } from "./bindings/AuditFilter";
import type { BreachDto } from "./bindings/BreachDto";
import type { ChartDto } from "./bindings/ChartDto";
import type { ChartEntryDto } from "./bindings/ChartEntryDto";
import type { ClinicProfile } from "./bindings/ClinicProfile";
import type { CnpCheck } from "./bindings/CnpCheck";
import type { ConsentInput } from "./bindings/ConsentInput";
import type { ConsentOutcome } from "./bindings/ConsentOutcome";
import type { ConsentRecordDto } from "./bindings/ConsentRecordDto";
import type { ConsentStateDto } from "./bindings/ConsentStateDto";
import type { DuplicateDto } from "./bindings/DuplicateDto";
import type { ErasurePlanLine } from "./bindings/ErasurePlanLine";
import type { ErasureReport } from "./bindings/ErasureReport";
import type { ExportReport } from "./bindings/ExportReport";
import type { GuardianDto } from "./bindings/GuardianDto";
import type { GuardianInput } from "./bindings/GuardianInput";
import type { HistoryEntryDto } from "./bindings/HistoryEntryDto";
import type { Language } from "./bindings/Language";
import type { MedicalHistoryDto } from "./bindings/MedicalHistoryDto";
import type { MfaStatus } from "./bindings/MfaStatus";
import type { NewBreach } from "./bindings/NewBreach";
import type { NewChartEntry } from "./bindings/NewChartEntry";
import type { NewMedicalHistory } from "./bindings/NewMedicalHistory";
import type { NewNote } from "./bindings/NewNote";
import type { NewPatient } from "./bindings/NewPatient";
import type { NewPerioExam } from "./bindings/NewPerioExam";
import type { NewPlan } from "./bindings/NewPlan";
import type { NewXray } from "./bindings/NewXray";
import type { NewRequest } from "./bindings/NewRequest";
import type { NoteDto } from "./bindings/NoteDto";
import type { NoteTemplate } from "./bindings/NoteTemplate";
import type { NoticeDto } from "./bindings/NoticeDto";
import type { PatientChanges } from "./bindings/PatientChanges";
import type { PatientDto } from "./bindings/PatientDto";
import type { PatientQuery } from "./bindings/PatientQuery";
import type { PatientSummary } from "./bindings/PatientSummary";
import type { PerioExamDto } from "./bindings/PerioExamDto";
import type { PlanDecision } from "./bindings/PlanDecision";
import type { PlanDto } from "./bindings/PlanDto";
import type { PlanItemDto } from "./bindings/PlanItemDto";
import type { PeriodUnit } from "./bindings/PeriodUnit";
import type { ProcedureDto } from "./bindings/ProcedureDto";
import type { RecoveryCodes } from "./bindings/RecoveryCodes";
import type { RequestDto } from "./bindings/RequestDto";
import type { RequestOutcome } from "./bindings/RequestOutcome";
import type { Restriction } from "./bindings/Restriction";
import type { RetentionRule } from "./bindings/RetentionRule";
import type { RetentionRun } from "./bindings/RetentionRun";
import type { Role } from "./bindings/Role";
import type { RotationReport } from "./bindings/RotationReport";
import type { SessionInfo } from "./bindings/SessionInfo";
import type { Settings } from "./bindings/Settings";
import type { SetupInput } from "./bindings/SetupInput";
import type { SetupOutcome } from "./bindings/SetupOutcome";
import type { StaffDto } from "./bindings/StaffDto";
import type { TotpSetup } from "./bindings/TotpSetup";
import type { UnlockSecret } from "./bindings/UnlockSecret";
import type { VerifyReport } from "./bindings/VerifyReport";
import type { XrayDto } from "./bindings/XrayDto";
import { type AppError, toAppError } from "./errors";
import type { ExportArgs } from "./gdpr";
import { parseXrayView, type OpenedXray } from "./xray";

type Listener = (e: AppError) => void;
const listeners = new Set<Listener>();

/**
 * Be told of every failed call (after normalisation). The app uses it to move to the
 * login or lock screen when the session ends or the app was locked elsewhere.
 */
export function onBackendError(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Call one command; resolve with its typed result or reject with an `AppError`. */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    const error = toAppError(raw);
    for (const l of listeners) l(error);
    throw error;
  }
}

// ---- app, set-up, sessions ----------------------------------------------------

export const appStatus = () => call<AppStatus>("app_status");
/** Open another data folder (SQLite) or a PostgreSQL server; blank keeps the default.
 *  `caFile`: the clinic's CA certificate the server's is checked against (a server
 *  only; null: the public certificate authorities). */
export const chooseLocation = (dataDir: string | null, databaseUrl: string | null, caFile: string | null) =>
  call<AppStatus>("choose_location", { dataDir, databaseUrl, caFile });
/** Check the clinic's particulars (nothing stored); resolves with their normalised form. */
export const validateClinicProfile = (profile: ClinicProfile) =>
  call<ClinicProfile>("validate_clinic_profile", { profile });
export const setup = (input: SetupInput) => call<SetupOutcome>("setup", { input });
export const saveRecoveryPdf = (path: string, lang: Language) =>
  call<void>("save_recovery_pdf", { path, lang });
export const finishSetup = () => call<void>("finish_setup");

/** Sign in with a password. `code`: for an account with two-factor sign-in, the code its
 *  authenticator app shows (or a recovery code); without one such an account gets
 *  `auth.totp_required`, a wrong or reused one `auth.invalid_code` (counted towards the
 *  lockout). An administrator or DPO not enrolled yet gets a session with `mfa_pending`. */
export const login = (username: string, password: string, code: string | null = null) =>
  call<SessionInfo>("login", { username, password, code });
/** Sign in as a user this workstation remembers, with their own PIN (the OS keyring
 *  holds the workstation's secret; a missing entry is `auth.keyring_unavailable`), and
 *  the second-factor `code` as for `login`. */
export const loginKeyring = (username: string, pin: string, code: string | null = null) =>
  call<SessionInfo>("login_keyring", { username, pin, code });
/** Remember the signed-in user on this workstation with a PIN of 6 to 12 digits (never
 *  administrators or DPOs: `auth.permission_denied`), or forget them. */
export const enrollWorkstation = (pin: string) => call<AppStatus>("enroll_workstation", { pin });
export const forgetWorkstation = () => call<AppStatus>("forget_workstation");
/** Sign out; from a locked screen, hand the workstation to someone else (audited as such). */
export const logout = () => call<void>("logout");
/** Lock now: the core drops the session's keys. `reason` "idle" when the idle timer fired. */
export const lock = (reason: "idle" | null) => call<void>("lock", { reason });
/** Unlock for the user who locked, with their password or (remembered here) their PIN,
 *  and the second-factor `code` as for `login` (a full sign-in). */
export const unlock = (secret: UnlockSecret, code: string | null = null) =>
  call<SessionInfo>("unlock", { secret, code });
/** Someone is at the keyboard: the core's idle span starts again (send it throttled). */
export const activity = () => call<void>("activity");
/** Run `handler` whenever the shell locked the app by itself (its own idle limit); resolves
 *  with the function that stops listening. Outside the app window there is nothing to hear. */
export async function onAppLocked(handler: () => void): Promise<() => void> {
  try {
    return await listen<null>("app-locked", () => handler());
  } catch {
    return () => {};
  }
}

// ---- two-factor sign-in (TOTP) -------------------------------------------------

/** Start setting up two-factor sign-in for the signed-in user: a new secret, its URI and
 *  QR code, held by the session until `confirmTotp` (shown once; nothing changes before). */
export const beginTotp = () => call<TotpSetup>("begin_totp");
/** Confirm the set-up with the app's first code (a wrong one is `auth.invalid_code` and the
 *  secret stays for another try): ten recovery codes, shown once; old ones stop working. */
export const confirmTotp = (code: string) => call<RecoveryCodes>("confirm_totp", { code });
/** Where the signed-in user stands with two-factor sign-in. */
export const mfaStatus = () => call<MfaStatus>("mfa_status");
/** Clear `username`'s second factor (administrators; a lost phone); `confirm` is the acting
 *  administrator's own password. */
export const resetMfa = (username: string, confirm: string) => call<void>("reset_mfa", { username, confirm });

export const clinicProfile = () => call<ClinicProfile | null>("clinic_profile");
export const updateClinicProfile = (profile: ClinicProfile) =>
  call<ClinicProfile>("update_clinic_profile", { profile });
export const getSettings = () => call<Settings>("settings");
export const updateSettings = (settings: Settings) => call<Settings>("update_settings", { settings });
/** The retention schedule in force: every category, in the core's order. */
export const retentionRules = () => call<RetentionRule[]>("retention_rules");
/** Change one category's period and legal basis (DPO); never below the legal minimum. */
export const setRetention = (category: string, period: number, unit: PeriodUnit, legalBasis: string) =>
  call<RetentionRule>("set_retention", { category, period, unit, legalBasis });
/** Who and what is past its retention period (`apply` false), or erase and anonymise it
 *  now (`apply` true, DPO): patients' records by crypto-shredding, disabled staff accounts. */
export const retentionRun = (apply: boolean) => call<RetentionRun>("retention_run", { apply });

// ---- patients -----------------------------------------------------------------

export const checkCnp = (text: string) => call<CnpCheck>("check_cnp", { text });
export const findPatients = (query: PatientQuery) => call<PatientSummary[]>("find_patients", { query });
export const possibleDuplicates = (patient: NewPatient) =>
  call<DuplicateDto[]>("possible_duplicates", { patient });
export const registerPatient = (patient: NewPatient) => call<PatientDto>("register_patient", { patient });
export const getPatient = (id: string) => call<PatientDto>("get_patient", { id });
/** Rectify a record; `expectedVersion` is the version the form was filled from, and a
 *  record changed since then is refused with `conflict.stale`. */
export const updatePatient = (id: string, expectedVersion: number, changes: PatientChanges, reason: string) =>
  call<PatientDto>("update_patient", { id, expectedVersion, changes, reason });
/** Rectify a record to answer the patient's open rectification request `requestId`
 *  (DPO, GDPR Art. 16): like `updatePatient`, stale versions refused the same way, but
 *  the core writes the reason ("rectification request received …") itself. */
export const rectifyPatient = (id: string, expectedVersion: number, changes: PatientChanges, requestId: string) =>
  call<PatientDto>("rectify_patient", { id, expectedVersion, changes, requestId });
/** Restrict the processing of a patient's data, or lift it (DPO, GDPR Art. 18). */
export const setRestriction = (id: string, restriction: Restriction) =>
  call<PatientDto>("set_restriction", { id, restriction });
export const patientHistory = (id: string) => call<HistoryEntryDto[]>("patient_history", { id });

// ---- the tooth chart and the procedure catalogue ----------------------------------

/** Chart a finding or a procedure on one of the patient's teeth (dentist, assistant).
 *  `entry.supersedes` names the entry it follows (a planned procedure now done, say). */
export const chartAdd = (patientId: string, entry: NewChartEntry) =>
  call<ChartEntryDto>("chart_add", { id: patientId, entry });
/** The chart as it stood at the end of `asOf` (`YYYY-MM-DD`; null: today): the entries
 *  in force, and every entry up to that day. */
export const getChart = (patientId: string, asOf: string | null) =>
  call<ChartDto>("get_chart", { id: patientId, asOf });
/** The whole catalogue, inactive procedures included, by code. */
export const procedures = () => call<ProcedureDto[]>("procedures");
/** Add a procedure or change the one with its code (dentist, owner, administrator). */
export const saveProcedure = (procedure: ProcedureDto) => call<ProcedureDto>("save_procedure", { procedure });

// ---- the clinical record: medical history, notes, periodontal chart --------------

/** Every answer set of the medical history, newest first (each answers all 14 questions). */
export const medicalHistory = (patientId: string) => call<MedicalHistoryDto[]>("medical_history", { id: patientId });
/** Record a new answer set (dentist, assistant); the earlier ones stay as they were. */
export const recordMedicalHistory = (patientId: string, history: NewMedicalHistory) =>
  call<MedicalHistoryDto>("record_medical_history", { id: patientId, history });
/** What the dentist must know before treating, from the latest answer set. */
export const medicalAlerts = (patientId: string) => call<AlertDto[]>("medical_alerts", { id: patientId });
/** The clinical notes, originals newest first, each with its amendments oldest first. */
export const clinicalNotes = (patientId: string) => call<NoteDto[]>("clinical_notes", { id: patientId });
/** Write a note, or amend one (`note.amends` and `note.reason`); nothing is overwritten. */
export const addNote = (patientId: string, note: NewNote) => call<NoteDto>("add_note", { id: patientId, note });
/** The starting texts for common visits, in Romanian and English. */
export const noteTemplates = () => call<NoteTemplate[]>("note_templates");
/** The periodontal examinations, newest first, with their summary figures. */
export const perioExams = (patientId: string) => call<PerioExamDto[]>("perio_exams", { id: patientId });
/** Record a periodontal examination of the teeth measured. */
export const recordPerioExam = (patientId: string, exam: NewPerioExam) =>
  call<PerioExamDto>("record_perio_exam", { id: patientId, exam });

// ---- treatment plans ----------------------------------------------------------------

/** The chart's planned and in-progress procedures as plan items, at the catalogue's fees. */
export const planSuggestions = (patientId: string) => call<PlanItemDto[]>("plan_suggestions", { id: patientId });
/** The patient's plans, newest first, each item's progress read from the chart. */
export const treatmentPlans = (patientId: string) => call<PlanDto[]>("treatment_plans", { id: patientId });
/** Write a new plan (`planId` null) or change a draft; an answered plan is refused
 *  (`input.invalid`). An item's `fee_bani` null takes the catalogue's fee. */
export const savePlan = (patientId: string, planId: string | null, plan: NewPlan) =>
  call<PlanDto>("save_plan", { id: patientId, planId, plan });
/** Record the patient's answer to a draft, once: an option accepted (`option` null: declined). */
export const decidePlan = (patientId: string, planId: string, decision: PlanDecision) =>
  call<PlanDto>("decide_plan", { id: patientId, planId, decision });
/** Write the plan as a PDF to `path` (`~/` is the home folder) in `lang` (null: the patient's). */
export const savePlanPdf = (patientId: string, planId: string, path: string, lang: Language | null) =>
  call<void>("save_plan_pdf", { id: patientId, planId, path, lang });

// ---- X-rays and clinical photographs ----------------------------------------------

/** Import the image file at `path` on this computer (`~/` is the home folder): PNG, JPEG,
 *  TIFF or DICOM. A damaged or unsupported file is refused with `input.invalid`, and
 *  nothing is kept. */
export const importXray = (patientId: string, path: string, xray: NewXray) =>
  call<XrayDto>("import_xray", { id: patientId, path, xray });
/** The patient's images, newest first, each with its thumbnail. */
export const xrays = (patientId: string) => call<XrayDto[]>("xrays", { id: patientId });
/** The viewer's pixels and how to show them first, read from the shell's binary answer. */
export async function openXray(patientId: string, xrayId: string): Promise<OpenedXray> {
  const raw = await call<ArrayBuffer | Uint8Array | number[]>("open_xray", { id: patientId, xrayId });
  try {
    return parseXrayView(asArrayBuffer(raw));
  } catch (err) {
    const error = toAppError(err);
    for (const l of listeners) l(error);
    throw error;
  }
}
/** Save the original file as imported to `path`; into it, named by the image's id, when
 *  `path` is a folder. Resolves with the path written. */
export const exportXray = (patientId: string, xrayId: string, path: string, stripIdentifiers = false) =>
  call<string>("export_xray", { id: patientId, xrayId, path, stripIdentifiers });

/** A binary answer as one `ArrayBuffer` (IPC layers hand it over as a buffer, a byte view or numbers). */
function asArrayBuffer(raw: ArrayBuffer | Uint8Array | number[]): ArrayBuffer {
  if (raw instanceof ArrayBuffer) return raw;
  const bytes = raw instanceof Uint8Array ? raw : Uint8Array.from(raw);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

// ---- consent, guardians, privacy notice ----------------------------------------

export const consentStates = (patientId: string) => call<ConsentStateDto[]>("consent_states", { patientId });
export const consentHistory = (patientId: string) =>
  call<ConsentRecordDto[]>("consent_history", { patientId });
export const recordConsent = (patientId: string, input: ConsentInput) =>
  call<ConsentOutcome>("record_consent", { patientId, input });
export const guardians = (patientId: string) => call<GuardianDto[]>("guardians", { patientId });
export const linkGuardian = (patientId: string, guardian: GuardianInput) =>
  call<GuardianDto>("link_guardian", { patientId, guardian });
export const currentNotice = () => call<NoticeDto | null>("current_notice");
/** Every published privacy-notice version, newest first. */
export const notices = () => call<NoticeDto[]>("notices");
export const publishNotice = (version: string, textRo: string, textEn: string) =>
  call<NoticeDto>("publish_notice", { version, textRo, textEn });

// ---- the data-subject request log (DPO) -----------------------------------------

/** Open requests by deadline (overdue first), then, unless `openOnly`, closed ones newest first. */
export const listRequests = (openOnly: boolean) => call<RequestDto[]>("list_requests", { openOnly });
export const getRequest = (id: string) => call<RequestDto>("get_request", { id });
/** Log a request as received; the core sets its deadline. */
export const registerRequest = (request: NewRequest) => call<RequestDto>("register_request", { request });
/** Extend the deadline once, by one or two months, with the reason the person is told. */
export const extendRequest = (id: string, months: 1 | 2, reason: string) =>
  call<RequestDto>("extend_request", { id, months, reason });
/** Close a request for good with its outcome and a note. */
export const closeRequest = (id: string, outcome: RequestOutcome, note: string) =>
  call<RequestDto>("close_request", { id, outcome, note });
/** The edits made to answer rectification request `requestId`, newest first, with the
 *  values before and after each. */
export const requestEdits = (requestId: string) => call<HistoryEntryDto[]>("request_edits", { id: requestId });
/** Write the letter announcing an extension as a PDF to `path` (`~/` is the home folder). */
export const saveExtensionLetter = (id: string, path: string, lang: Language) =>
  call<void>("save_extension_letter", { id, path, lang });

// ---- access, portability and erasure (GDPR Art. 15, 20, 17; DPO) -----------------

/**
 * Export everything held about a patient into the existing folder `dir` (`~/` is the
 * home folder): a new folder, or one age file (`.zip.age`) under the typed passphrase
 * (at least 12 characters) or under 6 generated words (`generatePassphrase`, given back
 * once in the report), with the cover letter in `lang` beside it (null: the language
 * the patient gave, else the clinic's). Image files are de-identified unless
 * `keepImageMetadata`. `requestId` ties the export to the access or portability
 * request it answers.
 */
export const exportPatient = (id: string, args: ExportArgs, requestId: string | null) =>
  call<ExportReport>("export_patient", {
    id,
    dir: args.dir,
    passphrase: args.passphrase,
    generatePassphrase: args.generatePassphrase,
    keepImageMetadata: args.keepImageMetadata,
    lang: args.lang,
    requestId,
  });
/** What erasing the patient would destroy and keep today, per module; changes nothing. */
export const erasurePreview = (id: string) => call<ErasurePlanLine[]>("erasure_preview", { id });
/** Erase the patient for good (Art. 17), answering the erasure request `requestId`. */
export const erasePatient = (id: string, requestId: string | null) =>
  call<ErasureReport>("erase_patient", { id, requestId });
/** The record of an erased patient's erasure. */
export const erasureRecord = (id: string) => call<ErasureReport>("erasure_record", { id });
/** Write the answer to an erasure as a PDF to `path` (`~/` is the home folder). */
export const saveErasureLetter = (id: string, path: string, lang: Language) =>
  call<void>("save_erasure_letter", { id, path, lang });

// ---- the breach register (GDPR Art. 33, 34; DPO) ----------------------------------

/** Every breach, newest first. */
export const listBreaches = () => call<BreachDto[]>("list_breaches");
export const getBreach = (id: string) => call<BreachDto>("get_breach", { id });
/** Record a breach as discovered; the core gives its reference and 72-hour deadline. */
export const openBreach = (breach: NewBreach) => call<BreachDto>("open_breach", { breach });
/** Find the people affected from the audit log (replacing an earlier search). */
export const findAffected = (id: string, scope: AffectedScope) => call<BreachDto>("find_affected", { id, scope });
/** The people found, with their names and when each was told. */
export const affectedPeople = (id: string) => call<AffectedDto[]>("affected_people", { id });
/** Write the notice to ANSPDCP as a PDF to `path` and record it went out; past 72 hours
 *  from discovery it needs `lateReason` (else `input.invalid`). */
export const notifyAuthority = (id: string, lateReason: string | null, path: string, lang: Language) =>
  call<void>("notify_authority", { id, lateReason, path, lang });
/** Write one letter per person and `all-letters.pdf` (listed first) into a new folder in `dir`. */
export const notifySubjects = (id: string, dir: string, lang: Language) =>
  call<string[]>("notify_subjects", { id, dir, lang });

// ---- the record of processing activities (GDPR Art. 30, DPO) ---------------------

/** The controller's particulars (null until recorded) and every activity, in order. */
export const article30Register = () => call<Article30Register>("article30_register");
/** Change one activity (DPO); resolves with it as the register now prints it. */
export const updateActivity = (code: string, activity: ActivityInput) =>
  call<ActivityDto>("update_activity", { code, activity });
/** Write the register to `path` (`~/` is the home folder): a PDF in `lang`, or CSV. */
export const saveArticle30 = (path: string, format: "pdf" | "csv", lang: Language) =>
  call<void>("save_article30", { path, format, lang });

// ---- the audit log (DPO, admin; verification also the owner) ----------------------

/** The events every given filter selects, oldest first (the listing is itself logged). */
export const listAudit = (filter: AuditFilter) => call<AuditEventDto[]>("list_audit", { filter });
/** Walk the whole chain; a broken one rejects with `integrity.audit_chain_broken`. */
export const verifyAudit = () => call<VerifyReport>("verify_audit");
/** Write the events `filter` selects as CSV to `path` (`~/` is the home folder). */
export const saveAuditCsv = (filter: AuditFilter, path: string) => call<void>("save_audit_csv", { filter, path });

// ---- staff ----------------------------------------------------------------------

export const listStaff = () => call<StaffDto[]>("list_staff");
export const addStaff = (username: string, role: Role, password: string) =>
  call<StaffDto>("add_staff", { username, role, password });
export const disableStaff = (username: string) => call<StaffDto>("disable_staff", { username });
/** Set `username`'s password; `confirm` is the acting person's own current password
 *  (a wrong one is `auth.invalid_credentials` and counts towards their lockout). */
export const changePassword = (username: string, password: string, confirm: string) =>
  call<void>("change_password", { username, password, confirm });
/** A new clinic key (administrators); every open session, the caller's too, must sign in again. */
export const rotateKeys = () => call<RotationReport>("rotate_keys");
