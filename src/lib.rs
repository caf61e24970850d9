//! Cuspid's core: every use case of the dental practice, behind one front door
//! (`Clinic`), with field encryption, blind-index search and a hash-chained
//! audit log. No window, no IPC: the CLI and the desktop shell both call in here.

pub mod admin;
pub mod audit;
pub mod auth;
pub(crate) mod binding;
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
pub(crate) mod integrity;
pub mod limits;
pub mod logging;
pub mod patients;
pub(crate) mod redact;
pub mod rules;
pub mod store;

pub use admin::profile::{ClinicProfile, DpoContact};
pub use admin::staff::StaffDto;
pub use audit::{AuditEventDto, AuditFilter, VerifyReport};
pub use auth::sessions::{Credential, LockedSession, SessionLimits};
pub use auth::{Action, Role, Session};
/// Re-exported so the shell and tests name dates with the same version.
pub use chrono;
pub use clinic::{Clinic, ClinicConfig, InitOptions, InitOutcome, RotationReport};
pub use error::{Error, ErrorDto, ErrorKind, Result};
pub use limits::Limits;
pub use patients::{NewPatient, PatientChanges, PatientDto, PatientQuery, PatientSummary};
pub use rules::{Rule, Subject};
pub use store::Location;
