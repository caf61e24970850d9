//! One command per use case: take the state, call one `Clinic` method, convert
//! the result. Errors cross IPC as `{kind, message}` (`cuspid::ErrorDto`).

use std::sync::Arc;

use cuspid::article30::{ActivityDto, ActivityInput, Article30Register};
use cuspid::audit::{AuditEventDto, VerifyReport};
use cuspid::auth::{Action, allowed};
use cuspid::breaches::{AffectedDto, AffectedScope, BreachDto, NewBreach};
use cuspid::chart::catalogue::ProcedureDto;
use cuspid::chart::{ChartDto, ChartEntryDto, NewChartEntry};
use cuspid::clinical::anamnesis::{AlertDto, MedicalHistoryDto, NewMedicalHistory};
use cuspid::clinical::notes::{NewNote, NoteDto, NoteTemplate};
use cuspid::clinical::perio::{NewPerioExam, PerioExamDto};
use cuspid::consent::{
    ConsentInput, ConsentOutcome, ConsentRecordDto, ConsentStateDto, GuardianDto, GuardianInput, NoticeDto,
};
use cuspid::gdpr::erasure::{ErasurePlanLine, ErasureReport};
use cuspid::gdpr::export::{ExportEncryption, ExportOptions, ExportReport};
use cuspid::gdpr::purge::RetentionRun;
use cuspid::imaging::{NewXray, XrayDto};
use cuspid::patients::cnp::{self, CnpCheck};
use cuspid::patients::{DuplicateDto, HistoryEntryDto};
use cuspid::plans::{NewPlan, PlanDecision, PlanDto, PlanItemDto};
use cuspid::requests::{NewRequest, RequestDto, RequestOutcome};
use cuspid::restriction::Restriction;
use cuspid::retention::{PeriodUnit, RetentionRule};
use cuspid::settings::Settings;
use cuspid::{
    AuditFilter, Clinic, ClinicProfile, Credential, Error, ErrorDto, NewPatient, PatientChanges, PatientDto,
    PatientQuery, PatientSummary, Role, Session, StaffDto,
};
use serde::{Deserialize, Serialize};
use tauri::State;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::state::{AppConfig, AppState, Auth, open_clinic};

type Cmd<T> = Result<T, ErrorDto>;

fn dto(e: Error) -> ErrorDto {
    e.to_dto()
}

async fn clinic(state: &AppState) -> Cmd<Arc<Clinic>> {
    state.clinic.read().await.clone()
}

/// The logged-in session, refused while the screen is locked.
async fn session(state: &AppState) -> Cmd<Arc<Session>> {
    match &*state.auth.lock().await {
        Auth::Active(s) => Ok(Arc::clone(s)),
        Auth::Locked(_) => Err(dto(Error::AppLocked)),
        Auth::SignedOut => Err(dto(Error::NoSession)),
    }
}

/// A new session replaces whatever was there (signed out, or locked by its own user).
async fn start_session(state: &AppState, s: Session) -> SessionInfo {
    let info = SessionInfo::of(&s);
    *state.auth.lock().await = Auth::Active(Arc::new(s));
    info
}

/// Who is logged in, and what the role table lets them do (for the UI to show
/// or hide screens; the core enforces it regardless).
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SessionInfo {
    pub username: String,
    pub role: Role,
    pub permissions: Vec<String>,
    /// An administrator or DPO who must set up two-factor sign-in before anything else.
    pub mfa_pending: bool,
}

impl SessionInfo {
    fn of(s: &Session) -> Self {
        SessionInfo {
            username: s.username().to_owned(),
            role: s.role(),
            permissions: Action::ALL
                .iter()
                .filter(|a| allowed(s.role(), **a))
                .map(|a| a.as_str().to_owned())
                .collect(),
            mfa_pending: s.mfa_pending(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
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

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Cmd<AppStatus> {
    let (session, locked_user) = match &*state.auth.lock().await {
        Auth::Active(s) => (Some(SessionInfo::of(s)), None),
        Auth::Locked(l) => (None, Some(l.username().to_owned())),
        Auth::SignedOut => (None, None),
    };
    let locked = locked_user.is_some();
    Ok(match clinic(&state).await {
        Ok(c) => AppStatus {
            initialised: c.is_initialised(),
            clinic_name: c.clinic_name(),
            workstation: c.workstation().to_owned(),
            location: c.location().describe(),
            session,
            locked,
            locked_user,
            enrolled_users: match c.clinic_id() {
                Some(id) => state.config.lock().await.enrolled_users(&id.to_string()),
                None => Vec::new(),
            },
            open_error: None,
        },
        Err(e) => AppStatus {
            initialised: false,
            clinic_name: None,
            workstation: String::new(),
            location: String::new(),
            session: None,
            locked: false,
            locked_user: None,
            enrolled_users: Vec::new(),
            open_error: Some(e),
        },
    })
}

/// Point this workstation at a data folder (SQLite) or a PostgreSQL server,
/// open it, and remember the choice.
#[tauri::command]
pub async fn choose_location(
    state: State<'_, AppState>,
    data_dir: Option<String>,
    database_url: Option<String>,
    ca_file: Option<String>,
) -> Cmd<AppStatus> {
    let current = state.config.lock().await.clone();
    let database_url = database_url
        .filter(|u| !u.trim().is_empty())
        .map(|u| with_ca_file(u.trim(), ca_file.as_deref().map(str::trim).filter(|c| !c.is_empty())));
    let config = AppConfig {
        data_dir: data_dir.filter(|d| !d.trim().is_empty()).map(Into::into),
        database_url,
        enrolled: current.enrolled,
        state_dir: current.state_dir,
        checkpoint_mirror: current.checkpoint_mirror,
    };
    let opened = open_clinic(&config).await.map_err(dto)?;
    config.save().map_err(dto)?;
    *state.clinic.write().await = Ok(Arc::new(opened));
    *state.config.lock().await = config;
    *state.auth.lock().await = Auth::SignedOut;
    app_status(state).await
}

/// The server URL checking the server's certificate against the clinic's CA file.
fn with_ca_file(url: &str, ca_file: Option<&str>) -> String {
    let Some(ca) = ca_file else { return url.to_owned() };
    let sep = if url.contains('?') { '&' } else { '?' };
    let mode = if url.contains("sslmode=") { "" } else { "sslmode=verify-full&" };
    format!("{url}{sep}{mode}sslrootcert={}", expand_home(ca).display())
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SetupInput {
    pub profile: ClinicProfile,
    pub admin_username: String,
    pub admin_password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SetupOutcome {
    pub recovery_key: String,
}

/// The wizard's first step: check the clinic's particulars before going on (pure).
#[tauri::command]
pub fn validate_clinic_profile(profile: ClinicProfile) -> Cmd<ClinicProfile> {
    profile.validated().map_err(dto)
}

/// First run: the clinic key, the first administrator, the recovery key (kept
/// in memory until `finish_setup`, so it can be saved as a printable PDF).
#[tauri::command]
pub async fn setup(state: State<'_, AppState>, input: SetupInput) -> Cmd<SetupOutcome> {
    let c = clinic(&state).await?;
    let out = c.init(input.profile, &input.admin_username, &input.admin_password).await.map_err(dto)?;
    *state.recovery_key.lock().await = Some(Zeroizing::new(out.recovery_key.clone()));
    let s = c.login(&input.admin_username, &input.admin_password).await.map_err(dto)?;
    start_session(&state, s).await;
    Ok(SetupOutcome { recovery_key: out.recovery_key.clone() })
}

/// Write the recovery-key sheet as a PDF to `path` (chosen by the administrator).
#[tauri::command]
pub async fn save_recovery_pdf(state: State<'_, AppState>, path: String, lang: String) -> Cmd<()> {
    let c = clinic(&state).await?;
    let guard = state.recovery_key.lock().await;
    let key = guard
        .as_ref()
        .ok_or_else(|| dto(Error::InvalidInput("the recovery key was already put away".into())))?;
    let lang = cuspid::settings::Language::parse(&lang).map_err(dto)?.into();
    let pdf = cuspid::documents::recovery_key_sheet(
        &c.clinic_name().unwrap_or_default(),
        key,
        chrono_today(),
        lang,
    )
    .map_err(dto)?;
    c.write_file(&expand_home(&path), &pdf).map_err(dto)
}

/// The administrator confirmed the recovery key is stored: forget it.
#[tauri::command]
pub async fn finish_setup(state: State<'_, AppState>) -> Cmd<()> {
    *state.recovery_key.lock().await = None;
    Ok(())
}

/// `code`: the authenticator's code (or a recovery code) for an account enrolled in
/// two-factor sign-in; without it such an account gets `auth.totp_required`.
#[tauri::command]
pub async fn login(
    state: State<'_, AppState>,
    username: String,
    password: String,
    code: Option<String>,
) -> Cmd<SessionInfo> {
    let c = clinic(&state).await?;
    let (password, code) = (Zeroizing::new(password), code.map(Zeroizing::new));
    let s =
        c.login_with_code(&username, &password, code.as_deref().map(String::as_str)).await.map_err(dto)?;
    Ok(start_session(&state, s).await)
}

/// Sign in on a workstation that remembers `username`: their own PIN, opened with
/// the OS keyring's workstation secret. A missing or revoked entry comes back as
/// `auth.keyring_unavailable` and the UI asks for the password.
#[tauri::command]
pub async fn login_keyring(
    state: State<'_, AppState>,
    username: String,
    pin: String,
    code: Option<String>,
) -> Cmd<SessionInfo> {
    let c = clinic(&state).await?;
    let (pin, code) = (Zeroizing::new(pin), code.map(Zeroizing::new));
    let s = c.login_with_keyring(&username, &pin, code.as_deref().map(String::as_str)).await.map_err(dto)?;
    Ok(start_session(&state, s).await)
}

/// Remember the signed-in user here: they sign in with `pin` from now on.
#[tauri::command]
pub async fn enroll_workstation(state: State<'_, AppState>, pin: String) -> Cmd<AppStatus> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.enroll_workstation(&s, &Zeroizing::new(pin)).await.map_err(dto)?;
    record_enrolment(&state, &c, &s, true).await?;
    app_status(state).await
}

/// Stop remembering the signed-in user here (the slot and the keyring entry go).
#[tauri::command]
pub async fn forget_workstation(state: State<'_, AppState>) -> Cmd<AppStatus> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.forget_workstation(&s).await.map_err(dto)?;
    record_enrolment(&state, &c, &s, false).await?;
    app_status(state).await
}

async fn record_enrolment(state: &AppState, c: &Clinic, s: &Session, enrol: bool) -> Cmd<()> {
    let clinic_id = c.clinic_id().ok_or_else(|| dto(Error::NotInitialised))?;
    let entry = format!("{clinic_id}/{}", s.username());
    state.config.lock().await.set_enrolled(&entry, enrol).map_err(dto)
}

/// Log out, or, from a locked screen, give the workstation to someone else
/// (both audited); the keys are dropped.
#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> Cmd<()> {
    let c = clinic(&state).await?;
    let before = std::mem::take(&mut *state.auth.lock().await);
    match before {
        Auth::Active(s) => c.logout(&s).await.map_err(dto),
        Auth::Locked(locked) => c.switch_user(locked).await.map_err(dto),
        Auth::SignedOut => Ok(()),
    }
}

/// Lock the screen: the session and its keys are dropped; only the user who locked
/// can unlock, with their own password or PIN.
#[tauri::command]
pub async fn lock(state: State<'_, AppState>, reason: Option<String>) -> Cmd<()> {
    let c = clinic(&state).await?;
    let mut auth = state.auth.lock().await;
    if let Auth::Active(s) = &*auth {
        let why = if reason.as_deref() == Some("idle") { "idle" } else { "by the user" };
        *auth = Auth::Locked(c.lock(s, why).await.map_err(dto)?);
    }
    Ok(())
}

/// What unlocks a locked screen.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", content = "secret", rename_all = "lowercase")]
#[ts(export)]
pub enum UnlockSecret {
    Password(String),
    Pin(String),
}

/// Unlock for the user who locked, with their own secret (a full sign-in, audited).
#[tauri::command]
pub async fn unlock(
    state: State<'_, AppState>,
    secret: UnlockSecret,
    code: Option<String>,
) -> Cmd<SessionInfo> {
    let c = clinic(&state).await?;
    let mut auth = state.auth.lock().await;
    let Auth::Locked(locked) = &*auth else { return Err(dto(Error::NoSession)) };
    let code = code.map(Zeroizing::new);
    let code = code.as_deref().map(String::as_str);
    let s = match secret {
        UnlockSecret::Password(p) => c.unlock(locked, Credential::Password(&Zeroizing::new(p)), code).await,
        UnlockSecret::Pin(p) => c.unlock(locked, Credential::Pin(&Zeroizing::new(p)), code).await,
    }
    .map_err(dto)?;
    let info = SessionInfo::of(&s);
    *auth = Auth::Active(Arc::new(s));
    Ok(info)
}

/// Someone is at the keyboard: the core's idle span starts again. The web view
/// calls this (throttled) on input, so typing a long note keeps the session.
#[tauri::command]
pub async fn activity(state: State<'_, AppState>) -> Cmd<()> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.keep_alive(&s).map_err(dto)
}

#[tauri::command]
pub async fn settings(state: State<'_, AppState>) -> Cmd<Settings> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.settings(&s).await.map_err(dto)
}

#[tauri::command]
pub async fn clinic_profile(state: State<'_, AppState>) -> Cmd<Option<ClinicProfile>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.clinic_profile(&s).await.map_err(dto)
}

#[tauri::command]
pub async fn update_clinic_profile(state: State<'_, AppState>, profile: ClinicProfile) -> Cmd<ClinicProfile> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.update_clinic_profile(&s, profile).await.map_err(dto)
}

#[tauri::command]
pub async fn update_settings(state: State<'_, AppState>, settings: Settings) -> Cmd<Settings> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.update_settings(&s, settings).await.map_err(dto)
}

/// Live check of a CNP being typed (pure: nothing stored, nothing logged).
#[tauri::command]
pub fn check_cnp(text: String) -> CnpCheck {
    cnp::check(&text)
}

#[tauri::command]
pub async fn find_patients(state: State<'_, AppState>, query: PatientQuery) -> Cmd<Vec<PatientSummary>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.find_patients(&s, &query).await.map_err(dto)
}

#[tauri::command]
pub async fn possible_duplicates(state: State<'_, AppState>, patient: NewPatient) -> Cmd<Vec<DuplicateDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.possible_duplicates(&s, &patient).await.map_err(dto)
}

#[tauri::command]
pub async fn register_patient(state: State<'_, AppState>, patient: NewPatient) -> Cmd<PatientDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.register_patient(&s, patient).await.map_err(dto)
}

#[tauri::command]
pub async fn get_patient(state: State<'_, AppState>, id: Uuid) -> Cmd<PatientDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.get_patient(&s, id).await.map_err(dto)
}

#[tauri::command]
pub async fn update_patient(
    state: State<'_, AppState>,
    id: Uuid,
    expected_version: i32,
    changes: PatientChanges,
    reason: String,
) -> Cmd<PatientDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.update_patient(&s, id, expected_version, changes, &reason).await.map_err(dto)
}

#[tauri::command]
pub async fn patient_history(state: State<'_, AppState>, id: Uuid) -> Cmd<Vec<HistoryEntryDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.patient_history(&s, id).await.map_err(dto)
}

#[tauri::command]
pub async fn consent_states(state: State<'_, AppState>, patient_id: Uuid) -> Cmd<Vec<ConsentStateDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.consent_states(&s, patient_id).await.map_err(dto)
}

#[tauri::command]
pub async fn consent_history(state: State<'_, AppState>, patient_id: Uuid) -> Cmd<Vec<ConsentRecordDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.consent_history(&s, patient_id).await.map_err(dto)
}

#[tauri::command]
pub async fn record_consent(
    state: State<'_, AppState>,
    patient_id: Uuid,
    input: ConsentInput,
) -> Cmd<ConsentOutcome> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.record_consent(&s, patient_id, input).await.map_err(dto)
}

#[tauri::command]
pub async fn guardians(state: State<'_, AppState>, patient_id: Uuid) -> Cmd<Vec<GuardianDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.guardians(&s, patient_id).await.map_err(dto)
}

#[tauri::command]
pub async fn link_guardian(
    state: State<'_, AppState>,
    patient_id: Uuid,
    guardian: GuardianInput,
) -> Cmd<GuardianDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.link_guardian(&s, patient_id, guardian).await.map_err(dto)
}

#[tauri::command]
pub async fn current_notice(state: State<'_, AppState>) -> Cmd<Option<NoticeDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.current_privacy_notice(&s).await.map_err(dto)
}

/// Every published version, newest first.
#[tauri::command]
pub async fn notices(state: State<'_, AppState>) -> Cmd<Vec<NoticeDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.privacy_notices(&s).await.map_err(dto)
}

#[tauri::command]
pub async fn publish_notice(
    state: State<'_, AppState>,
    version: String,
    text_ro: String,
    text_en: String,
) -> Cmd<NoticeDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.publish_privacy_notice(&s, &version, &text_ro, &text_en).await.map_err(dto)
}

/// Restrict the processing of a patient's data, or lift the restriction (DPO, Art. 18).
#[tauri::command]
pub async fn set_restriction(
    state: State<'_, AppState>,
    id: Uuid,
    restriction: Restriction,
) -> Cmd<PatientDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.set_restriction(&s, id, restriction).await.map_err(dto)
}

/// The retention schedule in force.
#[tauri::command]
pub async fn retention_rules(state: State<'_, AppState>) -> Cmd<Vec<RetentionRule>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.retention_rules(&s).await.map_err(dto)
}

/// Change one category's retention (DPO).
#[tauri::command]
pub async fn set_retention(
    state: State<'_, AppState>,
    category: String,
    period: u32,
    unit: PeriodUnit,
    legal_basis: String,
) -> Cmd<RetentionRule> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.set_retention(&s, &category, period, unit, &legal_basis).await.map_err(dto)
}

// ---- access, portability and erasure (DPO) -------------------------------------

/// Export everything held about a patient into `dir` (Art. 15, 20), as one age file
/// under the given passphrase or a generated one (`generate_passphrase`, returned once
/// in the report), images de-identified unless `keep_image_metadata`; returns where
/// the data and the cover letter went.
#[tauri::command]
#[allow(clippy::too_many_arguments, reason = "one named IPC argument each, as the UI sends them")]
pub async fn export_patient(
    state: State<'_, AppState>,
    id: Uuid,
    dir: String,
    passphrase: Option<String>,
    generate_passphrase: Option<bool>,
    keep_image_metadata: Option<bool>,
    lang: Option<String>,
    request_id: Option<Uuid>,
) -> Cmd<ExportReport> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    let encryption = match (generate_passphrase.unwrap_or(false), passphrase.filter(|p| !p.is_empty())) {
        (true, _) => ExportEncryption::Generated,
        (false, Some(p)) => ExportEncryption::Passphrase(Zeroizing::new(p)),
        (false, None) => ExportEncryption::None,
    };
    let opts = ExportOptions {
        dir: expand_home(&dir),
        encryption,
        keep_image_metadata: keep_image_metadata.unwrap_or(false),
        lang: lang
            .as_deref()
            .filter(|l| !l.is_empty())
            .map(cuspid::settings::Language::parse)
            .transpose()
            .map_err(dto)?
            .map(Into::into),
        request_id,
    };
    c.export_patient(&s, id, opts).await.map_err(dto)
}

/// What erasing a patient would destroy and keep today.
#[tauri::command]
pub async fn erasure_preview(state: State<'_, AppState>, id: Uuid) -> Cmd<Vec<ErasurePlanLine>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.erasure_preview(&s, id).await.map_err(dto)
}

/// Erase a patient (Art. 17), answering `request_id` when given.
#[tauri::command]
pub async fn erase_patient(
    state: State<'_, AppState>,
    id: Uuid,
    request_id: Option<Uuid>,
) -> Cmd<ErasureReport> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.erase_patient(&s, id, request_id).await.map_err(dto)
}

/// The erasure record of an erased patient.
#[tauri::command]
pub async fn erasure_record(state: State<'_, AppState>, id: Uuid) -> Cmd<ErasureReport> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.erasure_record(&s, id).await.map_err(dto)
}

/// Write the answer to an erasure (PDF) to `path`.
#[tauri::command]
pub async fn save_erasure_letter(
    state: State<'_, AppState>,
    id: Uuid,
    path: String,
    lang: String,
) -> Cmd<()> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    let lang = cuspid::settings::Language::parse(&lang).map_err(dto)?.into();
    let pdf = c.erasure_letter(&s, id, lang).await.map_err(dto)?;
    c.write_file(&expand_home(&path), &pdf).map_err(dto)
}

/// What the retention job would do (`apply` false), or do it (DPO).
#[tauri::command]
pub async fn retention_run(state: State<'_, AppState>, apply: bool) -> Cmd<RetentionRun> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.retention_run(&s, apply).await.map_err(dto)
}

// ---- the breach register (DPO) ----------------------------------------------------

#[tauri::command]
pub async fn list_breaches(state: State<'_, AppState>) -> Cmd<Vec<BreachDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.list_breaches(&s).await.map_err(dto)
}

#[tauri::command]
pub async fn get_breach(state: State<'_, AppState>, id: Uuid) -> Cmd<BreachDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.breach(&s, id).await.map_err(dto)
}

#[tauri::command]
pub async fn open_breach(state: State<'_, AppState>, breach: NewBreach) -> Cmd<BreachDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.open_breach(&s, breach).await.map_err(dto)
}

/// Find the people affected from the audit log and record them.
#[tauri::command]
pub async fn find_affected(state: State<'_, AppState>, id: Uuid, scope: AffectedScope) -> Cmd<BreachDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.find_affected(&s, id, scope).await.map_err(dto)
}

#[tauri::command]
pub async fn affected_people(state: State<'_, AppState>, id: Uuid) -> Cmd<Vec<AffectedDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.affected_people(&s, id).await.map_err(dto)
}

/// Write the notice to the authority (PDF) to `path`, recording that it went out.
#[tauri::command]
pub async fn notify_authority(
    state: State<'_, AppState>,
    id: Uuid,
    late_reason: Option<String>,
    path: String,
    lang: String,
) -> Cmd<()> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    let lang = cuspid::settings::Language::parse(&lang).map_err(dto)?.into();
    let pdf = c.notify_authority(&s, id, late_reason.as_deref(), lang).await.map_err(dto)?;
    c.write_file(&expand_home(&path), &pdf).map_err(dto)
}

/// The letters to the people affected, written into a new folder inside `dir`: one
/// PDF per person (numbered, never named) and `all-letters.pdf` for printing; returns
/// the merged file's path first, then the folder.
#[tauri::command]
pub async fn notify_subjects(
    state: State<'_, AppState>,
    id: Uuid,
    dir: String,
    lang: String,
) -> Cmd<Vec<String>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    let lang = cuspid::settings::Language::parse(&lang).map_err(dto)?.into();
    let letters = c.notify_subjects(&s, id, lang).await.map_err(dto)?;
    let (folder, merged) = letters.write_to(&c.own_folders(), &expand_home(&dir)).map_err(dto)?;
    Ok(vec![merged.display().to_string(), folder.display().to_string()])
}

// ---- the audit log (DPO, owner, admin) -----------------------------------------------

#[tauri::command]
pub async fn list_audit(state: State<'_, AppState>, filter: AuditFilter) -> Cmd<Vec<AuditEventDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.list_audit(&s, &filter).await.map_err(dto)
}

#[tauri::command]
pub async fn verify_audit(state: State<'_, AppState>) -> Cmd<VerifyReport> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.verify_audit(&s).await.map_err(dto)
}

/// Write the filtered events as CSV to `path`.
#[tauri::command]
pub async fn save_audit_csv(state: State<'_, AppState>, filter: AuditFilter, path: String) -> Cmd<()> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    let csv = c.audit_csv(&s, &filter).await.map_err(dto)?;
    c.write_file(&expand_home(&path), csv.as_bytes()).map_err(dto)
}

// ---- the tooth chart (dentist, assistant) ---------------------------------------------

#[tauri::command]
pub async fn chart_add(state: State<'_, AppState>, id: Uuid, entry: NewChartEntry) -> Cmd<ChartEntryDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.chart_add(&s, id, entry).await.map_err(dto)
}

/// The chart as it stood at the end of `as_of` (`YYYY-MM-DD`; none: today).
#[tauri::command]
pub async fn get_chart(state: State<'_, AppState>, id: Uuid, as_of: Option<String>) -> Cmd<ChartDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.chart(&s, id, as_of.as_deref()).await.map_err(dto)
}

#[tauri::command]
pub async fn procedures(state: State<'_, AppState>) -> Cmd<Vec<ProcedureDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.procedures(&s).await.map_err(dto)
}

#[tauri::command]
pub async fn save_procedure(state: State<'_, AppState>, procedure: ProcedureDto) -> Cmd<ProcedureDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.save_procedure(&s, procedure).await.map_err(dto)
}

// ---- the clinical record: medical history, notes, periodontal charting ----------------

#[tauri::command]
pub async fn medical_history(state: State<'_, AppState>, id: Uuid) -> Cmd<Vec<MedicalHistoryDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.medical_history(&s, id).await.map_err(dto)
}

#[tauri::command]
pub async fn record_medical_history(
    state: State<'_, AppState>,
    id: Uuid,
    history: NewMedicalHistory,
) -> Cmd<MedicalHistoryDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.record_medical_history(&s, id, history).await.map_err(dto)
}

/// The alerts every clinical screen shows in its header.
#[tauri::command]
pub async fn medical_alerts(state: State<'_, AppState>, id: Uuid) -> Cmd<Vec<AlertDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.medical_alerts(&s, id).await.map_err(dto)
}

#[tauri::command]
pub async fn clinical_notes(state: State<'_, AppState>, id: Uuid) -> Cmd<Vec<NoteDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.notes(&s, id).await.map_err(dto)
}

/// Write a note, or amend one (`note.amends`).
#[tauri::command]
pub async fn add_note(state: State<'_, AppState>, id: Uuid, note: NewNote) -> Cmd<NoteDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.add_note(&s, id, note).await.map_err(dto)
}

#[tauri::command]
pub fn note_templates() -> Vec<NoteTemplate> {
    cuspid::clinical::notes::note_templates()
}

#[tauri::command]
pub async fn perio_exams(state: State<'_, AppState>, id: Uuid) -> Cmd<Vec<PerioExamDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.perio_exams(&s, id).await.map_err(dto)
}

#[tauri::command]
pub async fn record_perio_exam(
    state: State<'_, AppState>,
    id: Uuid,
    exam: NewPerioExam,
) -> Cmd<PerioExamDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.record_perio_exam(&s, id, exam).await.map_err(dto)
}

// ---- X-rays and clinical photographs (dentist, assistant) ---------------------------------

/// Import an image file from `path` (PNG, JPEG, TIFF, DICOM); refused, with nothing
/// kept, when the file is damaged or of another kind.
#[tauri::command]
pub async fn import_xray(state: State<'_, AppState>, id: Uuid, path: String, xray: NewXray) -> Cmd<XrayDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    let bytes = std::fs::read(expand_home(path.trim())).map_err(|e| dto(Error::from(e)))?;
    c.import_xray(&s, id, &bytes, xray).await.map_err(dto)
}

#[tauri::command]
pub async fn xrays(state: State<'_, AppState>, id: Uuid) -> Cmd<Vec<XrayDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.xrays(&s, id).await.map_err(dto)
}

/// The viewer's data as one binary answer (no JSON-encoded pixels): a little-endian
/// `u32` length, that many bytes of `XrayView` JSON, then the samples.
#[tauri::command]
pub async fn open_xray(state: State<'_, AppState>, id: Uuid, xray_id: Uuid) -> Cmd<tauri::ipc::Response> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    let view = c.open_xray(&s, id, xray_id).await.map_err(dto)?;
    let head = serde_json::to_vec(&view).map_err(|e| dto(Error::Internal(e.to_string())))?;
    let mut out = Vec::with_capacity(4 + head.len() + view.pixels.len());
    out.extend_from_slice(&(head.len() as u32).to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&view.pixels);
    Ok(tauri::ipc::Response::new(out))
}

/// Save the file as imported, or with `strip_identifiers` a de-identified copy; into
/// `path` when it is a folder (named by the image's id), else as `path`. Answers where
/// it was written.
#[tauri::command]
pub async fn export_xray(
    state: State<'_, AppState>,
    id: Uuid,
    xray_id: Uuid,
    path: String,
    strip_identifiers: Option<bool>,
) -> Cmd<String> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    let (x, bytes) = c.xray_export(&s, id, xray_id, strip_identifiers.unwrap_or(false)).await.map_err(dto)?;
    let mut target = expand_home(path.trim());
    if target.is_dir() {
        target = target.join(format!("{}.{}", x.id, x.format.extension()));
    }
    c.write_file(&target, &bytes).map_err(dto)?;
    Ok(target.display().to_string())
}

// ---- treatment plans (dentist, assistant) -------------------------------------------

/// The chart's planned procedures as plan items with the catalogue's fees.
#[tauri::command]
pub async fn plan_suggestions(state: State<'_, AppState>, id: Uuid) -> Cmd<Vec<PlanItemDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.plan_suggestions(&s, id).await.map_err(dto)
}

#[tauri::command]
pub async fn treatment_plans(state: State<'_, AppState>, id: Uuid) -> Cmd<Vec<PlanDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.plans(&s, id).await.map_err(dto)
}

/// A new plan (`plan_id` none) or a change to a draft.
#[tauri::command]
pub async fn save_plan(
    state: State<'_, AppState>,
    id: Uuid,
    plan_id: Option<Uuid>,
    plan: NewPlan,
) -> Cmd<PlanDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.save_plan(&s, id, plan_id, plan).await.map_err(dto)
}

#[tauri::command]
pub async fn decide_plan(
    state: State<'_, AppState>,
    id: Uuid,
    plan_id: Uuid,
    decision: PlanDecision,
) -> Cmd<PlanDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.decide_plan(&s, id, plan_id, decision).await.map_err(dto)
}

/// The plan as a PDF at `path` (`lang` none: the patient's language).
#[tauri::command]
pub async fn save_plan_pdf(
    state: State<'_, AppState>,
    id: Uuid,
    plan_id: Uuid,
    path: String,
    lang: Option<String>,
) -> Cmd<()> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    let lang = lang
        .as_deref()
        .filter(|l| !l.is_empty())
        .map(cuspid::settings::Language::parse)
        .transpose()
        .map_err(dto)?
        .map(Into::into);
    let pdf = c.plan_pdf(&s, id, plan_id, lang).await.map_err(dto)?;
    c.write_file(&expand_home(path.trim()), &pdf).map_err(dto)
}

// ---- the Article 30 register ----------------------------------------------------

#[tauri::command]
pub async fn article30_register(state: State<'_, AppState>) -> Cmd<Article30Register> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.article30_register(&s).await.map_err(dto)
}

/// Change one processing activity (DPO).
#[tauri::command]
pub async fn update_activity(
    state: State<'_, AppState>,
    code: String,
    activity: ActivityInput,
) -> Cmd<ActivityDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.update_activity(&s, &code, activity).await.map_err(dto)
}

/// Write the register to `path`: `format` is `pdf` (in `lang`) or `csv`.
#[tauri::command]
pub async fn save_article30(
    state: State<'_, AppState>,
    path: String,
    format: String,
    lang: String,
) -> Cmd<()> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    let bytes = match format.as_str() {
        "csv" => c.article30_csv(&s).await.map_err(dto)?.into_bytes(),
        _ => {
            let lang = cuspid::settings::Language::parse(&lang).map_err(dto)?.into();
            c.article30_pdf(&s, lang).await.map_err(dto)?
        }
    };
    c.write_file(&expand_home(&path), &bytes).map_err(dto)
}

// ---- the data-subject request log (DPO) ----------------------------------------

#[tauri::command]
pub async fn list_requests(state: State<'_, AppState>, open_only: bool) -> Cmd<Vec<RequestDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.list_requests(&s, open_only).await.map_err(dto)
}

#[tauri::command]
pub async fn get_request(state: State<'_, AppState>, id: Uuid) -> Cmd<RequestDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.request(&s, id).await.map_err(dto)
}

#[tauri::command]
pub async fn register_request(state: State<'_, AppState>, request: NewRequest) -> Cmd<RequestDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.register_request(&s, request).await.map_err(dto)
}

#[tauri::command]
pub async fn extend_request(
    state: State<'_, AppState>,
    id: Uuid,
    months: u32,
    reason: String,
) -> Cmd<RequestDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.extend_request(&s, id, months, &reason).await.map_err(dto)
}

#[tauri::command]
pub async fn close_request(
    state: State<'_, AppState>,
    id: Uuid,
    outcome: RequestOutcome,
    note: String,
) -> Cmd<RequestDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.close_request(&s, id, outcome, &note).await.map_err(dto)
}

/// Rectify a patient's record for rectification request `request_id` (DPO, Art. 16).
#[tauri::command]
pub async fn rectify_patient(
    state: State<'_, AppState>,
    id: Uuid,
    expected_version: i32,
    changes: PatientChanges,
    request_id: Uuid,
) -> Cmd<PatientDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.rectify_patient(&s, id, expected_version, changes, request_id).await.map_err(dto)
}

/// The edits made for a rectification request, old and new values (DPO).
#[tauri::command]
pub async fn request_edits(state: State<'_, AppState>, id: Uuid) -> Cmd<Vec<HistoryEntryDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.request_edits(&s, id).await.map_err(dto)
}

/// Write the extension letter of request `id` as a PDF to `path` (chosen by the DPO).
#[tauri::command]
pub async fn save_extension_letter(
    state: State<'_, AppState>,
    id: Uuid,
    path: String,
    lang: String,
) -> Cmd<()> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    let lang = cuspid::settings::Language::parse(&lang).map_err(dto)?.into();
    let pdf = c.request_extension_letter(&s, id, lang).await.map_err(dto)?;
    c.write_file(&expand_home(&path), &pdf).map_err(dto)
}

#[tauri::command]
pub async fn list_staff(state: State<'_, AppState>) -> Cmd<Vec<StaffDto>> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.list_staff(&s).await.map_err(dto)
}

#[tauri::command]
pub async fn add_staff(
    state: State<'_, AppState>,
    username: String,
    role: Role,
    password: String,
) -> Cmd<StaffDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.add_staff(&s, &username, role, &password).await.map_err(dto)
}

#[tauri::command]
pub async fn disable_staff(state: State<'_, AppState>, username: String) -> Cmd<StaffDto> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.disable_staff(&s, &username).await.map_err(dto)
}

/// `confirm` is the acting person's own current password, asked again.
#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    username: String,
    password: String,
    confirm: String,
) -> Cmd<()> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    let (password, confirm) = (Zeroizing::new(password), Zeroizing::new(confirm));
    c.change_password(&s, &username, &password, &confirm).await.map_err(dto)
}

/// Start setting up two-factor sign-in: the secret, its URI and QR code (shown once).
#[tauri::command]
pub async fn begin_totp(state: State<'_, AppState>) -> Cmd<cuspid::mfa::TotpSetup> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.begin_totp(&s).await.map_err(dto)
}

/// Confirm two-factor sign-in with the app's first code; the recovery codes, once.
#[tauri::command]
pub async fn confirm_totp(state: State<'_, AppState>, code: String) -> Cmd<cuspid::mfa::RecoveryCodes> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.confirm_totp(&s, &code).await.map_err(dto)
}

#[tauri::command]
pub async fn mfa_status(state: State<'_, AppState>) -> Cmd<cuspid::mfa::MfaStatus> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.mfa_status(&s).await.map_err(dto)
}

/// Clear a staff member's second factor (administrators; `confirm` is their own password).
#[tauri::command]
pub async fn reset_mfa(state: State<'_, AppState>, username: String, confirm: String) -> Cmd<()> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.reset_mfa(&s, &username, &Zeroizing::new(confirm)).await.map_err(dto)
}

/// A new clinic key (suggested after an account with access is disabled).
#[tauri::command]
pub async fn rotate_keys(state: State<'_, AppState>) -> Cmd<cuspid::RotationReport> {
    let (c, s) = (clinic(&state).await?, session(&state).await?);
    c.rotate_keys(&s).await.map_err(dto)
}

fn chrono_today() -> cuspid::chrono::NaiveDate {
    cuspid::chrono::Local::now().date_naive()
}

/// `~/x.pdf` -> the home folder's `x.pdf`.
fn expand_home(path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(b)) => b.home_dir().join(rest),
        _ => std::path::PathBuf::from(path),
    }
}
