//! Every command the UI can call, one use case each: most run one `Clinic` method
//! as the signed-in user (`AppState::acting`). Errors cross IPC as
//! `{kind, message, detail}` (`cuspid::ErrorDto`). The TypeScript side is generated
//! from this file (see `boundary`).

use std::sync::Arc;

use cuspid::admin::settings::{Language, Settings};
use cuspid::audit::{AuditEventDto, VerifyReport};
use cuspid::auth::mfa::{MfaStatus, RecoveryCodes, TotpSetup};
use cuspid::auth::{Action, allowed};
use cuspid::clinical::anamnesis::{AlertDto, MedicalHistoryDto, NewMedicalHistory};
use cuspid::clinical::chart::catalogue::ProcedureDto;
use cuspid::clinical::chart::{ChartDto, ChartEntryDto, NewChartEntry, Surface, SurfaceCheck};
use cuspid::clinical::imaging::{NewXray, XrayDto};
use cuspid::clinical::notes::{NewNote, NoteDto, NoteTemplate};
use cuspid::clinical::perio::{NewPerioExam, PerioExamDto};
use cuspid::clinical::plans::{NewPlan, PlanDecision, PlanDto, PlanItemDto};
use cuspid::consent::{
    ConsentInput, ConsentOutcome, ConsentRecordDto, ConsentStateDto, GuardianDto, GuardianInput, NoticeDto,
};
use cuspid::gdpr::article30::{ActivityDto, ActivityInput, Article30Register};
use cuspid::gdpr::breaches::{AffectedDto, AffectedScope, BreachDto, NewBreach};
use cuspid::gdpr::erasure::{ErasurePlanLine, ErasureReport};
use cuspid::gdpr::export::{ExportEncryption, ExportOptions, ExportReport};
use cuspid::gdpr::purge::RetentionRun;
use cuspid::gdpr::requests::{NewRequest, RequestDto, RequestOutcome};
use cuspid::gdpr::restriction::Restriction;
use cuspid::gdpr::retention::{PeriodUnit, RetentionRule};
use cuspid::patients::cnp::{self, CnpCheck};
use cuspid::patients::{DuplicateDto, HistoryEntryDto};
use cuspid::{
    AuditFilter, Clinic, ClinicProfile, Credential, Error, ErrorDto, NewPatient, PatientChanges, PatientDto,
    PatientQuery, PatientSummary, Role, RotationReport, Session, StaffDto,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::boundary::{Binary, commands};
use crate::state::{AppConfig, AppState, Auth, open_clinic};

/// Who is logged in, and what the role table lets them do (for the UI to show
/// or hide screens; the core enforces it regardless).
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct SessionInfo {
    pub username: String,
    pub role: Role,
    pub permissions: Vec<Action>,
    /// An administrator or DPO who must set up two-factor sign-in before anything else.
    pub mfa_pending: bool,
}

impl SessionInfo {
    fn of(s: &Session) -> Self {
        SessionInfo {
            username: s.username().to_owned(),
            role: s.role(),
            permissions: Action::ALL.into_iter().filter(|a| allowed(s.role(), *a)).collect(),
            mfa_pending: s.mfa_pending(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct AppStatus {
    pub initialised: bool,
    pub clinic_name: Option<String>,
    pub workstation: String,
    /// Where the data lives (a folder or a server; never credentials).
    pub location: String,
    pub session: Option<SessionInfo>,
    pub locked: bool,
    /// Who locked the screen (only they can unlock it).
    pub locked_user: Option<String>,
    /// Who may sign in here from the OS keyring (enrolled on this workstation).
    pub enrolled_users: Vec<String>,
    /// Why the database could not be opened, if it could not.
    pub open_error: Option<ErrorDto>,
}

impl AppStatus {
    /// The status of a workstation whose database did not open, and why.
    fn failed(e: ErrorDto) -> Self {
        AppStatus {
            initialised: false,
            clinic_name: None,
            workstation: String::new(),
            location: String::new(),
            session: None,
            locked: false,
            locked_user: None,
            enrolled_users: Vec::new(),
            open_error: Some(e),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct SetupInput {
    pub profile: ClinicProfile,
    pub admin_username: String,
    pub admin_password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct SetupOutcome {
    pub recovery_key: String,
}

/// What unlocks a locked screen.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", content = "secret", rename_all = "lowercase")]
pub enum UnlockSecret {
    Password(String),
    Pin(String),
}

/// Why the screen is locked (the audit log says which).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum LockReason {
    /// The web view's idle timer fired.
    Idle,
    /// The user pressed Lock or Ctrl+L.
    User,
}

/// The Article 30 register's two forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum RegisterFormat {
    Pdf,
    Csv,
}

/// The server URL checking the server's certificate against the clinic's CA file.
fn with_ca_file(url: &str, ca_file: Option<&str>) -> String {
    let Some(ca) = ca_file else { return url.to_owned() };
    let sep = if url.contains('?') { '&' } else { '?' };
    let mode = if url.contains("sslmode=") { "" } else { "sslmode=verify-full&" };
    format!("{url}{sep}{mode}sslrootcert={}", expand_home(ca).display())
}

async fn record_enrolment(state: &AppState, c: &Clinic, s: &Session, enrol: bool) -> cuspid::Result<()> {
    let clinic_id = c.clinic_id().ok_or(Error::NotInitialised)?;
    let entry = format!("{clinic_id}/{}", s.username());
    state.config.lock().await.set_enrolled(&entry, enrol)
}

/// Write a document the core made to `path` (`~/` is the home folder), through the
/// core's private-file rules.
fn save(c: &Clinic, path: &str, bytes: &[u8]) -> cuspid::Result<()> {
    c.write_file(&expand_home(path.trim()), bytes)
}

fn chrono_today() -> cuspid::chrono::NaiveDate {
    cuspid::chrono::Local::now().date_naive()
}

/// `~/x.pdf` -> the home folder's `x.pdf`; `~` alone -> the home folder.
fn expand_home(path: &str) -> std::path::PathBuf {
    let rest = if path == "~" { Some("") } else { path.strip_prefix("~/") };
    match (rest, directories::BaseDirs::new()) {
        (Some(rest), Some(b)) => b.home_dir().join(rest),
        _ => std::path::PathBuf::from(path),
    }
}

commands! {
    /// Where the app stands: set up or not, who is signed in or locked the screen, who
    /// this workstation remembers, and why the database could not be opened.
    fn app_status(state) -> AppStatus {
        let (session, locked_user) = match &*state.auth.lock().await {
            Auth::Active(s) => (Some(SessionInfo::of(s)), None),
            Auth::Locked(l) => (None, Some(l.username().to_owned())),
            Auth::SignedOut => (None, None),
        };
        let c = match state.clinic().await {
            Ok(c) => c,
            Err(e) => return Ok(AppStatus::failed(e)),
        };
        let enrolled_users = match c.clinic_id() {
            Some(id) => state.config.lock().await.enrolled_users(&id.to_string()),
            None => Vec::new(),
        };
        Ok(AppStatus {
            initialised: c.is_initialised(),
            clinic_name: c.clinic_name(),
            workstation: c.workstation().to_owned(),
            location: c.location().describe(),
            session,
            locked: locked_user.is_some(),
            locked_user,
            enrolled_users,
            open_error: None,
        })
    }

    /// Open another data folder (SQLite) or a PostgreSQL server, and remember the choice;
    /// blank keeps the default. `caFile`: the clinic's CA certificate the server's is
    /// checked against (a server only; null: the public certificate authorities).
    fn choose_location(
        state,
        data_dir: Option<String>,
        database_url: Option<String>,
        ca_file: Option<String>,
    ) -> AppStatus {
        let current = state.config.lock().await.clone();
        let ca_file = ca_file.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let config = AppConfig {
            data_dir: data_dir.filter(|d| !d.trim().is_empty()).map(Into::into),
            database_url: database_url.filter(|u| !u.trim().is_empty()).map(|u| with_ca_file(u.trim(), ca_file)),
            ..current
        };
        let opened = open_clinic(&config).await?;
        config.save()?;
        *state.clinic.write().await = Ok(Arc::new(opened));
        *state.config.lock().await = config;
        *state.auth.lock().await = Auth::SignedOut;
        app_status(state).await
    }

    /// Check the clinic's particulars (nothing stored); resolves with their normalised form.
    fn validate_clinic_profile(_state, profile: ClinicProfile) -> ClinicProfile {
        Ok(profile.validated()?)
    }

    /// First run: the clinic key, the first administrator, the recovery key (kept in
    /// memory until `finish_setup`, so it can be saved as a printable PDF).
    fn setup(state, input: SetupInput) -> SetupOutcome {
        let c = state.clinic().await?;
        let out = c.init(input.profile, &input.admin_username, &input.admin_password).await?;
        *state.recovery_key.lock().await = Some(Zeroizing::new(out.recovery_key.clone()));
        state.start_session(c.login(&input.admin_username, &input.admin_password).await?).await;
        Ok(SetupOutcome { recovery_key: out.recovery_key.clone() })
    }

    /// Write the recovery-key sheet as a PDF to `path` (chosen by the administrator).
    fn save_recovery_pdf(state, path: String, lang: Language) -> () {
        let c = state.clinic().await?;
        let guard = state.recovery_key.lock().await;
        let key = guard.as_ref().ok_or(Error::InvalidInput(cuspid::Rule::RecoveryKeyPutAway))?;
        let name = c.clinic_name().unwrap_or_default();
        let pdf = cuspid::clinic::recovery_key_sheet(&name, key, chrono_today(), lang)?;
        Ok(save(&c, &path, &pdf)?)
    }

    /// The administrator confirmed the recovery key is stored: forget it.
    fn finish_setup(state) -> () {
        *state.recovery_key.lock().await = None;
        Ok(())
    }

    /// Sign in with a password. `code`: for an account with two-factor sign-in, the code its
    /// authenticator app shows (or a recovery code); without one such an account gets
    /// `auth.totp_required`, a wrong or reused one `auth.invalid_code` (counted towards the
    /// lockout). An administrator or DPO not enrolled yet gets a session with `mfa_pending`.
    fn login(state, username: String, password: String, code: Option<String>) -> SessionInfo {
        let (password, code) = (Zeroizing::new(password), code.map(Zeroizing::new));
        let c = state.clinic().await?;
        let s = c.login_with_code(&username, &password, code.as_deref().map(String::as_str)).await?;
        Ok(SessionInfo::of(&*state.start_session(s).await))
    }

    /// Sign in on a workstation that remembers `username`: their own PIN, opened with the
    /// OS keyring's workstation secret, and the second-factor `code` as for `login`. A
    /// missing or revoked entry comes back as `auth.keyring_unavailable` and the UI asks
    /// for the password.
    fn login_keyring(state, username: String, pin: String, code: Option<String>) -> SessionInfo {
        let (pin, code) = (Zeroizing::new(pin), code.map(Zeroizing::new));
        let c = state.clinic().await?;
        let s = c.login_with_keyring(&username, &pin, code.as_deref().map(String::as_str)).await?;
        Ok(SessionInfo::of(&*state.start_session(s).await))
    }

    /// Remember the signed-in user on this workstation with a PIN of 6 to 12 digits (never
    /// administrators or DPOs: `auth.permission_denied`).
    fn enroll_workstation(state, pin: String) -> AppStatus {
        let pin = Zeroizing::new(pin);
        state
            .acting(async |c, s| {
                c.enroll_workstation(s, &pin).await?;
                record_enrolment(&state, c, s, true).await
            })
            .await?;
        app_status(state).await
    }

    /// Stop remembering the signed-in user here (the slot and the keyring entry go).
    fn forget_workstation(state) -> AppStatus {
        state
            .acting(async |c, s| {
                c.forget_workstation(s).await?;
                record_enrolment(&state, c, s, false).await
            })
            .await?;
        app_status(state).await
    }

    /// Sign out; from a locked screen, hand the workstation to someone else (both
    /// audited). The keys are dropped.
    fn logout(state) -> () {
        let c = state.clinic().await?;
        let before = std::mem::take(&mut *state.auth.lock().await);
        match before {
            Auth::Active(s) => c.logout(&s).await?,
            Auth::Locked(locked) => c.switch_user(locked).await?,
            Auth::SignedOut => {}
        }
        Ok(())
    }

    /// Lock now: the session and its keys are dropped; only the user who locked can
    /// unlock, with their own password or PIN.
    fn lock(state, reason: Option<LockReason>) -> () {
        let c = state.clinic().await?;
        let mut auth = state.auth.lock().await;
        if let Auth::Active(s) = &*auth {
            let why = if reason == Some(LockReason::Idle) { "idle" } else { "by the user" };
            *auth = Auth::Locked(c.lock(s, why).await?);
        }
        Ok(())
    }

    /// Unlock for the user who locked, with their password or (remembered here) their PIN,
    /// and the second-factor `code` as for `login` (a full sign-in, audited).
    fn unlock(state, secret: UnlockSecret, code: Option<String>) -> SessionInfo {
        let c = state.clinic().await?;
        let mut auth = state.auth.lock().await;
        let Auth::Locked(locked) = &*auth else { return Err(Error::NoSession.into()) };
        let code = code.map(Zeroizing::new);
        let code = code.as_deref().map(String::as_str);
        let s = match secret {
            UnlockSecret::Password(p) => c.unlock(locked, Credential::Password(&Zeroizing::new(p)), code).await?,
            UnlockSecret::Pin(p) => c.unlock(locked, Credential::Pin(&Zeroizing::new(p)), code).await?,
        };
        let info = SessionInfo::of(&s);
        *auth = Auth::Active(Arc::new(s));
        Ok(info)
    }

    /// Someone is at the keyboard: the core's idle span starts again. The web view
    /// calls this (throttled) on input, so typing a long note keeps the session.
    fn activity(state) -> () {
        state.acting(async |c, s| c.keep_alive(s)).await
    }

    fn get_settings(state) -> Settings {
        state.acting(async |c, s| c.admin().settings(s).await).await
    }

    fn clinic_profile(state) -> Option<ClinicProfile> {
        state.acting(async |c, s| c.admin().clinic_profile(s).await).await
    }

    fn update_clinic_profile(state, profile: ClinicProfile) -> ClinicProfile {
        state.acting(async |c, s| c.admin().update_clinic_profile(s, profile).await).await
    }

    fn update_settings(state, settings: Settings) -> Settings {
        state.acting(async |c, s| c.admin().update_settings(s, settings).await).await
    }

    /// Live check of a CNP being typed (pure: nothing stored, nothing logged).
    fn check_cnp(_state, text: String) -> CnpCheck {
        Ok(cnp::check(&text))
    }

    /// Live reading of surfaces typed as the dentists' letters (`MOD`; pure).
    fn check_surfaces(_state, text: String) -> SurfaceCheck {
        Ok(Surface::check(&text))
    }

    fn find_patients(state, query: PatientQuery) -> Vec<PatientSummary> {
        state.acting(async |c, s| c.patients().find_patients(s, &query).await).await
    }

    fn possible_duplicates(state, patient: NewPatient) -> Vec<DuplicateDto> {
        state.acting(async |c, s| c.patients().possible_duplicates(s, &patient).await).await
    }

    fn register_patient(state, patient: NewPatient) -> PatientDto {
        state.acting(async |c, s| c.patients().register_patient(s, patient).await).await
    }

    fn get_patient(state, id: Uuid) -> PatientDto {
        state.acting(async |c, s| c.patients().get_patient(s, id).await).await
    }

    /// Rectify a record; `expectedVersion` is the version the form was filled from, and a
    /// record changed since then is refused with `conflict.stale`.
    fn update_patient(state, id: Uuid, expected_version: i32, changes: PatientChanges, reason: String) -> PatientDto {
        state.acting(async |c, s| c.patients().update_patient(s, id, expected_version, changes, &reason).await).await
    }

    fn patient_history(state, id: Uuid) -> Vec<HistoryEntryDto> {
        state.acting(async |c, s| c.patients().patient_history(s, id).await).await
    }

    fn consent_states(state, patient_id: Uuid) -> Vec<ConsentStateDto> {
        state.acting(async |c, s| c.patients().consent_states(s, patient_id).await).await
    }

    fn consent_history(state, patient_id: Uuid) -> Vec<ConsentRecordDto> {
        state.acting(async |c, s| c.patients().consent_history(s, patient_id).await).await
    }

    fn record_consent(state, patient_id: Uuid, input: ConsentInput) -> ConsentOutcome {
        state.acting(async |c, s| c.patients().record_consent(s, patient_id, input).await).await
    }

    fn guardians(state, patient_id: Uuid) -> Vec<GuardianDto> {
        state.acting(async |c, s| c.patients().guardians(s, patient_id).await).await
    }

    fn link_guardian(state, patient_id: Uuid, guardian: GuardianInput) -> GuardianDto {
        state.acting(async |c, s| c.patients().link_guardian(s, patient_id, guardian).await).await
    }

    fn current_notice(state) -> Option<NoticeDto> {
        state.acting(async |c, s| c.patients().current_privacy_notice(s).await).await
    }

    /// Every published privacy-notice version, newest first.
    fn notices(state) -> Vec<NoticeDto> {
        state.acting(async |c, s| c.patients().privacy_notices(s).await).await
    }

    fn publish_notice(state, version: String, text_ro: String, text_en: String) -> NoticeDto {
        state.acting(async |c, s| c.patients().publish_privacy_notice(s, &version, &text_ro, &text_en).await).await
    }

    /// Restrict the processing of a patient's data, or lift the restriction (DPO, Art. 18).
    fn set_restriction(state, id: Uuid, restriction: Restriction) -> PatientDto {
        state.acting(async |c, s| c.gdpr().set_restriction(s, id, restriction).await).await
    }

    /// The retention schedule in force: every category, in the core's order.
    fn retention_rules(state) -> Vec<RetentionRule> {
        state.acting(async |c, s| c.gdpr().retention_rules(s).await).await
    }

    /// Change one category's period and legal basis (DPO); never below the legal minimum.
    fn set_retention(state, category: String, period: u32, unit: PeriodUnit, legal_basis: String) -> RetentionRule {
        state.acting(async |c, s| c.gdpr().set_retention(s, &category, period, unit, &legal_basis).await).await
    }

    // ---- access, portability and erasure (DPO) -------------------------------------
    /// Export everything held about a patient into the existing folder `dir` (`~/` is the
    /// home folder): a new folder, or one age file (`.zip.age`) under the typed passphrase
    /// (at least 12 characters) or under 6 generated words (`generatePassphrase`, given back
    /// once in the report), with the cover letter in `lang` beside it (null: the language
    /// the patient gave, else the clinic's). Image files are de-identified unless
    /// `keepImageMetadata`. `requestId` ties the export to the access or portability
    /// request it answers.
    fn export_patient(
        state,
        id: Uuid,
        dir: String,
        passphrase: Option<String>,
        generate_passphrase: Option<bool>,
        keep_image_metadata: Option<bool>,
        lang: Option<Language>,
        request_id: Option<Uuid>,
    ) -> ExportReport {
        let encryption = match (generate_passphrase.unwrap_or(false), passphrase.filter(|p| !p.is_empty())) {
            (true, _) => ExportEncryption::Generated,
            (false, Some(p)) => ExportEncryption::Passphrase(Zeroizing::new(p)),
            (false, None) => ExportEncryption::None,
        };
        let opts = ExportOptions {
            dir: expand_home(&dir),
            encryption,
            keep_image_metadata: keep_image_metadata.unwrap_or(false),
            lang,
            request_id,
        };
        state.acting(async |c, s| c.gdpr().export_patient(s, id, opts).await).await
    }

    /// What erasing the patient would destroy and keep today, per module; changes nothing.
    fn erasure_preview(state, id: Uuid) -> Vec<ErasurePlanLine> {
        state.acting(async |c, s| c.gdpr().erasure_preview(s, id).await).await
    }

    /// Erase the patient for good (Art. 17), answering the erasure request `requestId`.
    fn erase_patient(state, id: Uuid, request_id: Option<Uuid>) -> ErasureReport {
        state.acting(async |c, s| c.gdpr().erase_patient(s, id, request_id).await).await
    }

    /// The record of an erased patient's erasure.
    fn erasure_record(state, id: Uuid) -> ErasureReport {
        state.acting(async |c, s| c.gdpr().erasure_record(s, id).await).await
    }

    /// Write the answer to an erasure as a PDF to `path` (`~/` is the home folder).
    fn save_erasure_letter(state, id: Uuid, path: String, lang: Language) -> () {
        state.acting(async |c, s| save(c, &path, &c.gdpr().erasure_letter(s, id, lang).await?)).await
    }

    /// Who and what is past its retention period (`apply` false), or erase and anonymise it now
    /// (`apply` true, DPO): patients' records by crypto-shredding, disabled staff accounts.
    fn retention_run(state, apply: bool) -> RetentionRun {
        state.acting(async |c, s| c.gdpr().retention_run(s, apply).await).await
    }

    // ---- the breach register (DPO) ----------------------------------------------------
    /// Every breach, newest first.
    fn list_breaches(state) -> Vec<BreachDto> {
        state.acting(async |c, s| c.gdpr().list_breaches(s).await).await
    }

    fn get_breach(state, id: Uuid) -> BreachDto {
        state.acting(async |c, s| c.gdpr().breach(s, id).await).await
    }

    /// Record a breach as discovered; the core gives its reference and 72-hour deadline.
    fn open_breach(state, breach: NewBreach) -> BreachDto {
        state.acting(async |c, s| c.gdpr().open_breach(s, breach).await).await
    }

    /// Find the people affected from the audit log (replacing an earlier search).
    fn find_affected(state, id: Uuid, scope: AffectedScope) -> BreachDto {
        state.acting(async |c, s| c.gdpr().find_affected(s, id, scope).await).await
    }

    /// The people found, with their names and when each was told.
    fn affected_people(state, id: Uuid) -> Vec<AffectedDto> {
        state.acting(async |c, s| c.gdpr().affected_people(s, id).await).await
    }

    /// Write the notice to ANSPDCP as a PDF to `path` and record it went out; past 72 hours
    /// from discovery it needs `lateReason` (else `input.invalid`).
    fn notify_authority(state, id: Uuid, late_reason: Option<String>, path: String, lang: Language) -> () {
        state
            .acting(async |c, s| save(c, &path, &c.gdpr().notify_authority(s, id, late_reason.as_deref(), lang).await?))
            .await
    }

    /// The letters to the people affected, written into a new folder inside `dir`: one PDF
    /// per person (numbered, never named) and `all-letters.pdf` for printing (listed
    /// first); answers the merged file's path, then the folder's.
    fn notify_subjects(state, id: Uuid, dir: String, lang: Language) -> Vec<String> {
        state
            .acting(async |c, s| {
                let letters = c.gdpr().notify_subjects(s, id, lang).await?;
                let (folder, merged) = letters.write_to(&c.own_folders(), &expand_home(&dir))?;
                Ok(vec![merged.display().to_string(), folder.display().to_string()])
            })
            .await
    }

    // ---- the audit log (DPO, owner, admin) -----------------------------------------------
    /// The events every given filter selects, oldest first (the listing is itself logged).
    fn list_audit(state, filter: AuditFilter) -> Vec<AuditEventDto> {
        state.acting(async |c, s| c.list_audit(s, &filter).await).await
    }

    /// Walk the whole chain; a broken one rejects with `integrity.audit_chain_broken`.
    fn verify_audit(state) -> VerifyReport {
        state.acting(async |c, s| c.verify_audit(s).await).await
    }

    /// Write the events `filter` selects as CSV to `path` (`~/` is the home folder).
    fn save_audit_csv(state, filter: AuditFilter, path: String) -> () {
        state.acting(async |c, s| save(c, &path, c.audit_csv(s, &filter).await?.as_bytes())).await
    }

    // ---- the tooth chart (dentist, assistant) ---------------------------------------------
    /// Chart a finding or a procedure on one of the patient's teeth (dentist, assistant).
    /// `entry.supersedes` names the entry it follows (a planned procedure now done, say).
    fn chart_add(state, id: Uuid, entry: NewChartEntry) -> ChartEntryDto {
        state.acting(async |c, s| c.clinical().chart_add(s, id, entry).await).await
    }

    /// The chart as it stood at the end of `asOf` (`YYYY-MM-DD`; null: today): the entries in
    /// force, and every entry up to that day.
    fn get_chart(state, id: Uuid, as_of: Option<String>) -> ChartDto {
        state.acting(async |c, s| c.clinical().chart(s, id, as_of.as_deref()).await).await
    }

    /// The whole catalogue, inactive procedures included, by code.
    fn procedures(state) -> Vec<ProcedureDto> {
        state.acting(async |c, s| c.clinical().procedures(s).await).await
    }

    /// Add a procedure or change the one with its code (dentist, owner, administrator).
    fn save_procedure(state, procedure: ProcedureDto) -> ProcedureDto {
        state.acting(async |c, s| c.clinical().save_procedure(s, procedure).await).await
    }

    // ---- the clinical record: medical history, notes, periodontal charting ----------------
    /// Every answer set of the medical history, newest first (each answers all 14 questions).
    fn medical_history(state, id: Uuid) -> Vec<MedicalHistoryDto> {
        state.acting(async |c, s| c.clinical().medical_history(s, id).await).await
    }

    /// Record a new answer set (dentist, assistant); the earlier ones stay as they were.
    fn record_medical_history(state, id: Uuid, history: NewMedicalHistory) -> MedicalHistoryDto {
        state.acting(async |c, s| c.clinical().record_medical_history(s, id, history).await).await
    }

    /// What the dentist must know before treating, from the latest answer set.
    fn medical_alerts(state, id: Uuid) -> Vec<AlertDto> {
        state.acting(async |c, s| c.clinical().medical_alerts(s, id).await).await
    }

    /// The clinical notes, originals newest first, each with its amendments oldest first.
    fn clinical_notes(state, id: Uuid) -> Vec<NoteDto> {
        state.acting(async |c, s| c.clinical().notes(s, id).await).await
    }

    /// Write a note, or amend one (`note.amends` and `note.reason`); nothing is overwritten.
    fn add_note(state, id: Uuid, note: NewNote) -> NoteDto {
        state.acting(async |c, s| c.clinical().add_note(s, id, note).await).await
    }

    /// The starting texts for common visits, in Romanian and English.
    fn note_templates(_state) -> Vec<NoteTemplate> {
        Ok(cuspid::clinical::notes::note_templates())
    }

    /// The periodontal examinations, newest first, with their summary figures.
    fn perio_exams(state, id: Uuid) -> Vec<PerioExamDto> {
        state.acting(async |c, s| c.clinical().perio_exams(s, id).await).await
    }

    /// Record a periodontal examination of the teeth measured.
    fn record_perio_exam(state, id: Uuid, exam: NewPerioExam) -> PerioExamDto {
        state.acting(async |c, s| c.clinical().record_perio_exam(s, id, exam).await).await
    }

    // ---- X-rays and clinical photographs (dentist, assistant) ---------------------------------
    /// Import the image file at `path` on this computer (`~/` is the home folder): PNG,
    /// JPEG, TIFF or DICOM. A damaged or unsupported file is refused with `input.invalid`,
    /// and nothing is kept.
    fn import_xray(state, id: Uuid, path: String, xray: NewXray) -> XrayDto {
        state
            .acting(async |c, s| {
                let bytes = std::fs::read(expand_home(path.trim()))?;
                c.clinical().import_xray(s, id, &bytes, xray).await
            })
            .await
    }

    /// The patient's images, newest first, each with its thumbnail.
    fn xrays(state, id: Uuid) -> Vec<XrayDto> {
        state.acting(async |c, s| c.clinical().xrays(s, id).await).await
    }

    /// The viewer's data as one binary answer (no JSON-encoded pixels): a little-endian
    /// `u32` length, that many bytes of `XrayView` JSON, then the samples of `frame`
    /// (the first when not given).
    fn open_xray(state, id: Uuid, xray_id: Uuid, frame: Option<u32>) -> Binary {
        state
            .acting(async |c, s| {
                let view = c.clinical().open_xray(s, id, xray_id, frame.unwrap_or(0)).await?;
                let head = serde_json::to_vec(&view).map_err(|e| Error::Internal(e.to_string()))?;
                let mut out = Vec::with_capacity(4 + head.len() + view.pixels.len());
                out.extend_from_slice(&(head.len() as u32).to_le_bytes());
                out.extend_from_slice(&head);
                out.extend_from_slice(&view.pixels);
                Ok(Binary(out))
            })
            .await
    }

    /// Save the original file as imported, or with `stripIdentifiers` a de-identified
    /// copy; into `path`, named by the image's id, when it is a folder, else as `path`.
    /// Answers the path written.
    fn export_xray(state, id: Uuid, xray_id: Uuid, path: String, strip_identifiers: Option<bool>) -> String {
        state
            .acting(async |c, s| {
                let (x, bytes) = c.clinical().xray_export(s, id, xray_id, strip_identifiers.unwrap_or(false)).await?;
                let mut target = expand_home(path.trim());
                if target.is_dir() {
                    target = target.join(format!("{}.{}", x.id, x.format.extension()));
                }
                c.write_file(&target, &bytes)?;
                Ok(target.display().to_string())
            })
            .await
    }

    // ---- treatment plans (dentist, assistant) -------------------------------------------
    /// The chart's planned and in-progress procedures as plan items, at the catalogue's fees.
    fn plan_suggestions(state, id: Uuid) -> Vec<PlanItemDto> {
        state.acting(async |c, s| c.clinical().plan_suggestions(s, id).await).await
    }

    /// The patient's plans, newest first, each item's progress read from the chart.
    fn treatment_plans(state, id: Uuid) -> Vec<PlanDto> {
        state.acting(async |c, s| c.clinical().plans(s, id).await).await
    }

    /// Write a new plan (`planId` null) or change a draft; an answered plan is refused
    /// (`input.invalid`). An item's `fee_bani` null takes the catalogue's fee.
    fn save_plan(state, id: Uuid, plan_id: Option<Uuid>, plan: NewPlan) -> PlanDto {
        state.acting(async |c, s| c.clinical().save_plan(s, id, plan_id, plan).await).await
    }

    /// Record the patient's answer to a draft, once: an option accepted (`option` null:
    /// declined).
    fn decide_plan(state, id: Uuid, plan_id: Uuid, decision: PlanDecision) -> PlanDto {
        state.acting(async |c, s| c.clinical().decide_plan(s, id, plan_id, decision).await).await
    }

    /// Write the plan as a PDF to `path` (`~/` is the home folder) in `lang` (null: the
    /// patient's).
    fn save_plan_pdf(state, id: Uuid, plan_id: Uuid, path: String, lang: Option<Language>) -> () {
        state.acting(async |c, s| save(c, &path, &c.clinical().plan_pdf(s, id, plan_id, lang).await?)).await
    }

    // ---- the Article 30 register ----------------------------------------------------
    /// The controller's particulars (null until recorded) and every activity, in order.
    fn article30_register(state) -> Article30Register {
        state.acting(async |c, s| c.gdpr().article30_register(s).await).await
    }

    /// Change one activity (DPO); resolves with it as the register now prints it.
    fn update_activity(state, code: String, activity: ActivityInput) -> ActivityDto {
        state.acting(async |c, s| c.gdpr().update_activity(s, &code, activity).await).await
    }

    /// Write the register to `path` (`~/` is the home folder): a PDF in `lang`, or CSV.
    fn save_article30(state, path: String, format: RegisterFormat, lang: Language) -> () {
        state
            .acting(async |c, s| {
                let bytes = match format {
                    RegisterFormat::Csv => c.gdpr().article30_csv(s).await?.into_bytes(),
                    RegisterFormat::Pdf => c.gdpr().article30_pdf(s, lang).await?,
                };
                save(c, &path, &bytes)
            })
            .await
    }

    // ---- the data-subject request log (DPO) ----------------------------------------
    /// Open requests by deadline (overdue first), then, unless `openOnly`, closed ones newest
    /// first.
    fn list_requests(state, open_only: bool) -> Vec<RequestDto> {
        state.acting(async |c, s| c.gdpr().list_requests(s, open_only).await).await
    }

    fn get_request(state, id: Uuid) -> RequestDto {
        state.acting(async |c, s| c.gdpr().request(s, id).await).await
    }

    /// Log a request as received; the core sets its deadline.
    fn register_request(state, request: NewRequest) -> RequestDto {
        state.acting(async |c, s| c.gdpr().register_request(s, request).await).await
    }

    /// Extend the deadline once, by one or two months, with the reason the person is told.
    fn extend_request(state, id: Uuid, months: u32, reason: String) -> RequestDto {
        state.acting(async |c, s| c.gdpr().extend_request(s, id, months, &reason).await).await
    }

    /// Close a request for good with its outcome and a note.
    fn close_request(state, id: Uuid, outcome: RequestOutcome, note: String) -> RequestDto {
        state.acting(async |c, s| c.gdpr().close_request(s, id, outcome, &note).await).await
    }

    /// Rectify a record to answer the patient's open rectification request `requestId` (DPO,
    /// GDPR Art. 16): like `updatePatient`, stale versions refused the same way, but the core
    /// writes the reason ("rectification request received …") itself.
    fn rectify_patient(state, id: Uuid, expected_version: i32, changes: PatientChanges, request_id: Uuid) -> PatientDto {
        state.acting(async |c, s| c.patients().rectify_patient(s, id, expected_version, changes, request_id).await).await
    }

    /// The edits made to answer rectification request `requestId`, newest first, with the
    /// values before and after each.
    fn request_edits(state, id: Uuid) -> Vec<HistoryEntryDto> {
        state.acting(async |c, s| c.gdpr().request_edits(s, id).await).await
    }

    /// Write the letter announcing an extension as a PDF to `path` (`~/` is the home folder).
    fn save_extension_letter(state, id: Uuid, path: String, lang: Language) -> () {
        state.acting(async |c, s| save(c, &path, &c.gdpr().request_extension_letter(s, id, lang).await?)).await
    }

    fn list_staff(state) -> Vec<StaffDto> {
        state.acting(async |c, s| c.admin().list_staff(s).await).await
    }

    fn add_staff(state, username: String, role: Role, password: String) -> StaffDto {
        state.acting(async |c, s| c.admin().add_staff(s, &username, role, &password).await).await
    }

    fn disable_staff(state, username: String) -> StaffDto {
        state.acting(async |c, s| c.admin().disable_staff(s, &username).await).await
    }

    /// Set `username`'s password; `confirm` is the acting person's own current password (a
    /// wrong one is `auth.invalid_credentials` and counts towards their lockout).
    fn change_password(state, username: String, password: String, confirm: String) -> () {
        let (password, confirm) = (Zeroizing::new(password), Zeroizing::new(confirm));
        state.acting(async |c, s| c.admin().change_password(s, &username, &password, &confirm).await).await
    }

    /// Start setting up two-factor sign-in for the signed-in user: a new secret, its URI and QR
    /// code, held by the session until `confirmTotp` (shown once; nothing changes before).
    fn begin_totp(state) -> TotpSetup {
        state.acting(async |c, s| c.begin_totp(s).await).await
    }

    /// Confirm the set-up with the app's first code (a wrong one is `auth.invalid_code` and the
    /// secret stays for another try): ten recovery codes, shown once; old ones stop working.
    fn confirm_totp(state, code: String) -> RecoveryCodes {
        state.acting(async |c, s| c.confirm_totp(s, &code).await).await
    }

    /// Where the signed-in user stands with two-factor sign-in.
    fn mfa_status(state) -> MfaStatus {
        state.acting(async |c, s| c.mfa_status(s).await).await
    }

    /// Clear `username`'s second factor (administrators; a lost phone); `confirm` is the acting
    /// administrator's own password.
    fn reset_mfa(state, username: String, confirm: String) -> () {
        state.acting(async |c, s| c.reset_mfa(s, &username, &Zeroizing::new(confirm)).await).await
    }

    /// A new clinic key (administrators); every open session, the caller's too, must sign in
    /// again.
    fn rotate_keys(state) -> RotationReport {
        state.acting(async |c, s| c.rotate_keys(s).await).await
    }

    // ---- saving files: the system's dialogs -----------------------------------------------
    /// The system's save dialog titled `title`, `fileName` suggested (it names what the file
    /// is, never whom), filtered to `extension` when given; null when the person cancels.
    fn choose_save_path(state, title: String, file_name: String, extension: Option<String>) -> Option<String> {
        let desktop = state.desktop()?;
        let picked = tauri::async_runtime::spawn_blocking(move || {
            desktop.save_dialog(&title, &file_name, extension.as_deref())
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
        if let Some(p) = &picked {
            state.picked.remember(p);
        }
        Ok(picked.map(|p| p.display().to_string()))
    }

    /// The system's folder dialog titled `title`; null when the person cancels.
    fn choose_folder(state, title: String) -> Option<String> {
        let desktop = state.desktop()?;
        let picked = tauri::async_runtime::spawn_blocking(move || desktop.folder_dialog(&title))
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
        if let Some(p) = &picked {
            state.picked.remember(p);
        }
        Ok(picked.map(|p| p.display().to_string()))
    }

    /// Open a file saved through one of those dialogs with the system's program for it, or
    /// with `reveal` show it in its folder. Any other path is refused (`files.not_picked`).
    fn open_saved(state, path: String, reveal: bool) -> () {
        let path = std::path::PathBuf::from(path);
        if !state.picked.allows(&path) {
            return Err(Error::InvalidInput(cuspid::Rule::NotPicked).into());
        }
        let desktop = state.desktop()?;
        let opened = if reveal { desktop.reveal(&path) } else { desktop.open(&path) };
        opened.map_err(|_| Error::Io("the system could not open the file".into()).into())
    }
}
