//! Cuspid's core: every use case of the dental practice, behind one front door
//! (`Clinic`), with field encryption, blind-index search and a hash-chained
//! audit log. No window, no IPC: the CLI and the desktop shell both call in here.

pub mod article30;
pub mod audit;
pub mod auth;
pub(crate) mod binding;
pub mod breaches;
pub mod chart;
pub mod clinic;
pub mod clinical;
pub mod consent;
pub mod crypto;
pub mod documents;
pub mod error;
pub(crate) mod features;
pub mod files;
#[cfg(test)]
mod formats_kat;
pub mod gdpr;
pub mod imaging;
pub(crate) mod integrity;
pub mod limits;
pub mod logging;
pub mod mfa;
pub mod patients;
pub mod plans;
pub mod profile;
pub(crate) mod redact;
pub mod requests;
pub mod restriction;
pub mod retention;
pub mod rules;
pub mod sessions;
pub mod settings;
pub mod staff;
pub mod store;
pub mod workstation;

pub use audit::{AuditEventDto, AuditFilter, VerifyReport};
pub use auth::{Action, Role, Session};
/// Re-exported so the shell and tests name dates with the same version.
pub use chrono;
pub use clinic::{Clinic, ClinicConfig, InitOptions, InitOutcome, RotationReport};
pub use error::{Error, ErrorDto, ErrorKind, Result};
pub use limits::Limits;
pub use patients::{NewPatient, PatientChanges, PatientDto, PatientQuery, PatientSummary};
pub use profile::{ClinicProfile, DpoContact};
pub use rules::{Rule, Subject};
pub use sessions::{Credential, LockedSession, SessionLimits};
pub use staff::StaffDto;
pub use store::Location;
