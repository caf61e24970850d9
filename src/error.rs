//! The one error type of the core. Every variant has a stable machine `kind`
//! (matched on by the CLI, the UI and tests) and a message safe to show: no
//! message ever carries personal data, so callers may log or display it as is.

use serde::Serialize;

use crate::rules::{Rule, Subject};

/// Result alias used across the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in words a receptionist can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("wrong user name or password")]
    InvalidCredentials,
    #[error("this account is locked after too many failed logins; try again after {until}")]
    AccountLocked { until: String },
    #[error("this account is disabled")]
    AccountDisabled,
    #[error("a password is needed")]
    PasswordRequired,
    #[error("the recovery key is not valid for this clinic")]
    InvalidRecoveryKey,
    #[error("your role ({role}) may not {action}")]
    PermissionDenied { role: String, action: String },
    #[error("nobody is logged in on this workstation")]
    NoSession,
    #[error("the app is locked: type your password to continue")]
    AppLocked,
    #[error("this session is no longer valid (the clinic key or your role changed): sign in again")]
    SessionExpired,
    #[error("your session ended after a time without activity, or at its maximum length: sign in again")]
    SessionTimedOut,
    #[error("this account also signs in with a code from its authenticator app")]
    TotpRequired,
    #[error("the code is wrong or was already used")]
    InvalidTotp,
    #[error("set up two-factor sign-in first: administrator and DPO accounts must")]
    MfaEnrolmentRequired,
    #[error("the OS keyring holds no usable key for this clinic: {reason}")]
    KeyringUnavailable { reason: Rule },

    #[error("invalid CNP: {0}")]
    InvalidCnp(Rule),
    #[error("the birth date typed does not match the one encoded in the CNP")]
    CnpBirthDateMismatch,
    #[error("the sex typed does not match the one encoded in the CNP")]
    CnpSexMismatch,
    #[error("invalid phone number: {0}")]
    InvalidPhone(Rule),
    #[error("invalid e-mail address: {0}")]
    InvalidEmail(Rule),
    #[error("invalid date: {0}")]
    InvalidDate(Rule),
    #[error("invalid input: {0}")]
    InvalidInput(Rule),
    /// A command-line usage mistake, in the CLI's own words (administrators at a
    /// terminal; the UI never sees one).
    #[error("invalid input: {0}")]
    Usage(String),
    #[error(
        "a patient under 16 needs a linked parent or guardian and a parental consent to health-data processing"
    )]
    GuardianRequired,
    #[error("a patient with this CNP is already registered")]
    DuplicateCnp,
    #[error(
        "this patient was changed by someone else since you opened the card: reopen it and make your change again"
    )]
    StalePatient,
    #[error(
        "this patient's data is restricted (GDPR Art. 18): it is kept but not changed or used until the DPO lifts the restriction"
    )]
    Restricted,
    #[error("{0} already exists")]
    AlreadyExists(Subject),
    #[error("{0} not found")]
    NotFound(Subject),

    #[error("integrity check failed: {0}")]
    Tampered(String),
    #[error("the audit log is broken at event #{seq}: {reason}")]
    AuditChainBroken { seq: i64, reason: String },
    #[error(
        "this workstation's audit checkpoint is missing (it is written at every sign-in): someone deleted it, or the state folder cannot be written"
    )]
    CheckpointMissing,
    #[error("{0} is not a Cuspid database")]
    NotACuspidDatabase(String),
    #[error("the database was written by a newer Cuspid (schema {found}, this build knows {known})")]
    SchemaTooNew { found: String, known: String },
    #[error(
        "the database's tables must be created or upgraded by the role that owns them: run `cuspid db setup --app-role <this role>` with the owner's server address"
    )]
    NeedsOwner,
    #[error("this clinic is not set up yet: run `cuspid init` first")]
    NotInitialised,
    #[error("this clinic is already set up")]
    AlreadyInitialised,

    #[error("the connection to the server is not safe: {0}")]
    InsecureConnection(&'static str),
    #[error(
        "the server's certificate could not be verified: check the clinic's CA file (sslrootcert) and the server's name"
    )]
    Tls,
    #[error("database error: {0}")]
    Database(String),
    #[error("file error: {0}")]
    Io(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// The closed set of error kinds, each with its published name (`auth.locked`): what
/// the CLI, the UI (a generated TypeScript union) and the tests match on.
macro_rules! kinds {
    ($($variant:ident => $name:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, ts_rs::TS)]
        pub enum ErrorKind {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl ErrorKind {
            pub const ALL: &[ErrorKind] = &[$(ErrorKind::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorKind::$variant => $name,)*
                }
            }

            /// Whether the kind is in a family (`"input."`, `"auth."`).
            pub fn starts_with(self, prefix: &str) -> bool {
                self.as_str().starts_with(prefix)
            }
        }
    };
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tests and callers compare a kind with its published name.
impl PartialEq<&str> for ErrorKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<Error> for ErrorDto {
    fn from(e: Error) -> Self {
        e.to_dto()
    }
}

impl Error {
    /// Stable machine-readable kind; never change a published one.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidCredentials => ErrorKind::InvalidCredentials,
            Error::AccountLocked { .. } => ErrorKind::AccountLocked,
            Error::AccountDisabled => ErrorKind::AccountDisabled,
            Error::PasswordRequired => ErrorKind::PasswordRequired,
            Error::InvalidRecoveryKey => ErrorKind::InvalidRecoveryKey,
            Error::PermissionDenied { .. } => ErrorKind::PermissionDenied,
            Error::KeyringUnavailable { .. } => ErrorKind::KeyringUnavailable,
            Error::SessionExpired => ErrorKind::SessionExpired,
            Error::SessionTimedOut => ErrorKind::SessionTimedOut,
            Error::TotpRequired => ErrorKind::TotpRequired,
            Error::InvalidTotp => ErrorKind::InvalidTotp,
            Error::MfaEnrolmentRequired => ErrorKind::MfaEnrolmentRequired,
            Error::NoSession => ErrorKind::NoSession,
            Error::AppLocked => ErrorKind::AppLocked,
            Error::InvalidCnp(_) => ErrorKind::InvalidCnp,
            Error::CnpBirthDateMismatch => ErrorKind::CnpBirthDateMismatch,
            Error::CnpSexMismatch => ErrorKind::CnpSexMismatch,
            Error::InvalidPhone(_) => ErrorKind::InvalidPhone,
            Error::InvalidEmail(_) => ErrorKind::InvalidEmail,
            Error::InvalidDate(_) => ErrorKind::InvalidDate,
            Error::InvalidInput(_) | Error::Usage(_) => ErrorKind::InvalidInput,
            Error::GuardianRequired => ErrorKind::GuardianRequired,
            Error::DuplicateCnp => ErrorKind::DuplicateCnp,
            Error::StalePatient => ErrorKind::StalePatient,
            Error::Restricted => ErrorKind::Restricted,
            Error::AlreadyExists(_) => ErrorKind::AlreadyExists,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Tampered(_) => ErrorKind::Tampered,
            Error::AuditChainBroken { .. } => ErrorKind::AuditChainBroken,
            Error::CheckpointMissing => ErrorKind::CheckpointMissing,
            Error::NotACuspidDatabase(_) => ErrorKind::NotACuspidDatabase,
            Error::SchemaTooNew { .. } => ErrorKind::SchemaTooNew,
            Error::NeedsOwner => ErrorKind::NeedsOwner,
            Error::NotInitialised => ErrorKind::NotInitialised,
            Error::AlreadyInitialised => ErrorKind::AlreadyInitialised,
            Error::InsecureConnection(_) => ErrorKind::InsecureConnection,
            Error::Tls => ErrorKind::Tls,
            Error::Database(_) => ErrorKind::Database,
            Error::Io(_) => ErrorKind::Io,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// The rule a value broke, as a code with its parameters, for a UI that words it
    /// in its own language (`rules`).
    pub fn rule(&self) -> Option<Rule> {
        match self {
            Error::InvalidCnp(r)
            | Error::InvalidPhone(r)
            | Error::InvalidEmail(r)
            | Error::InvalidDate(r)
            | Error::InvalidInput(r)
            | Error::KeyringUnavailable { reason: r } => Some(*r),
            _ => None,
        }
    }

    /// What was not found, or already exists.
    pub fn subject(&self) -> Option<Subject> {
        match self {
            Error::NotFound(s) | Error::AlreadyExists(s) => Some(*s),
            _ => None,
        }
    }

    /// The variable part of the message, in English, where there is one: the rule's
    /// or the subject's wording, when a lockout ends (RFC 3339), or the technical
    /// detail of an integrity, storage or internal error (for the IT contact, who
    /// reads English).
    pub fn detail(&self) -> Option<String> {
        if let Some(rule) = self.rule() {
            return Some(rule.to_string());
        }
        if let Some(subject) = self.subject() {
            return Some(subject.to_string());
        }
        match self {
            Error::AccountLocked { until } => Some(until.clone()),
            Error::InsecureConnection(reason) => Some((*reason).to_owned()),
            Error::Usage(d)
            | Error::Tampered(d)
            | Error::NotACuspidDatabase(d)
            | Error::Database(d)
            | Error::Io(d)
            | Error::Internal(d) => Some(d.clone()),
            _ => None,
        }
    }

    /// The `{kind, message, detail, …}` that crosses process and IPC boundaries.
    pub fn to_dto(&self) -> ErrorDto {
        ErrorDto {
            kind: self.kind(),
            message: self.to_string(),
            detail: self.detail(),
            rule: self.rule(),
            subject: self.subject(),
            event: match self {
                Error::AuditChainBroken { seq, .. } => Some(*seq),
                _ => None,
            },
        }
    }

    pub(crate) fn permission(role: crate::auth::Role, action: crate::auth::Action) -> Self {
        Error::PermissionDenied { role: role.as_str().into(), action: action.describe().into() }
    }
}

kinds! {
    InvalidCredentials => "auth.invalid_credentials",
    AccountLocked => "auth.locked",
    AccountDisabled => "auth.disabled",
    PasswordRequired => "auth.password_required",
    InvalidRecoveryKey => "auth.invalid_recovery_key",
    PermissionDenied => "auth.permission_denied",
    KeyringUnavailable => "auth.keyring_unavailable",
    SessionExpired => "auth.session_expired",
    SessionTimedOut => "auth.session_timed_out",
    TotpRequired => "auth.totp_required",
    InvalidTotp => "auth.invalid_code",
    MfaEnrolmentRequired => "auth.mfa_enrolment_required",
    NoSession => "auth.no_session",
    AppLocked => "auth.app_locked",
    InvalidCnp => "input.invalid_cnp",
    CnpBirthDateMismatch => "input.cnp_birth_date_mismatch",
    CnpSexMismatch => "input.cnp_sex_mismatch",
    InvalidPhone => "input.invalid_phone",
    InvalidEmail => "input.invalid_email",
    InvalidDate => "input.invalid_date",
    InvalidInput => "input.invalid",
    GuardianRequired => "input.guardian_required",
    DuplicateCnp => "conflict.duplicate_cnp",
    StalePatient => "conflict.stale",
    Restricted => "conflict.restricted",
    AlreadyExists => "conflict.exists",
    NotFound => "not_found",
    Tampered => "integrity.tampered",
    AuditChainBroken => "integrity.audit_chain_broken",
    CheckpointMissing => "integrity.checkpoint_missing",
    NotACuspidDatabase => "storage.not_cuspid_database",
    SchemaTooNew => "storage.schema_too_new",
    NeedsOwner => "storage.needs_owner",
    NotInitialised => "storage.not_initialised",
    AlreadyInitialised => "conflict.already_initialised",
    InsecureConnection => "storage.insecure_connection",
    Tls => "storage.tls",
    Database => "storage.database",
    Io => "storage.io",
    Internal => "internal",
}

/// Serialized form of an [`Error`].
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct ErrorDto {
    pub kind: ErrorKind,
    /// The whole message in English (CLI, logs of the caller).
    pub message: String,
    /// The variable part alone, in English (see `Error::detail`).
    #[serde(default)]
    pub detail: Option<String>,
    /// The rule a value broke, for the UI to word in its language (see `rules`).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub rule: Option<Rule>,
    /// What was not found or already exists.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub subject: Option<Subject>,
    /// The number of the audit event where the chain breaks
    /// (`integrity.audit_chain_broken`).
    #[serde(default)]
    #[ts(as = "Option<i32>", optional = nullable)]
    pub event: Option<i64>,
}

// Driver errors can echo bound values; keep only the driver's category, never the text.
impl From<sea_orm::DbErr> for Error {
    fn from(e: sea_orm::DbErr) -> Self {
        Error::Database(describe_db_error(&e.to_string()))
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Database(describe_db_error(&e.to_string()))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.kind().to_string())
    }
}

/// Reduce a driver message to a PHI-free summary: constraint names and SQLite/PG
/// error classes are kept, anything quoted (values) is dropped.
pub(crate) fn describe_db_error(text: &str) -> String {
    let lowered = text.to_ascii_lowercase();
    for known in [
        "append-only",
        "file is not a database",
        "database is locked",
        "unique constraint",
        "duplicate key",
        "foreign key",
        "no such table",
        "connection refused",
        "pool timed out",
        "password authentication failed",
        "does not exist",
        "unable to open database file",
        "permission denied",
        "must be owner",
    ] {
        if lowered.contains(known) {
            return known.to_owned();
        }
    }
    "query failed".to_owned()
}
