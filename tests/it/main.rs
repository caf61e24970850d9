//! Integration tests of the core through its public API, on a real SQLite file
//! and (when `CUSPID_PG_ADMIN_URL` is set, as `scripts/test.sh` does) on a
//! real PostgreSQL server. One binary, one module per area.

mod support;

mod article30;
mod audit_log;
mod binding;
mod breaches;
mod chart;
mod clinical;
mod consent;
mod documents;
mod files;
mod gdpr;
mod imaging;
mod keyring_unlock;
mod keys;
mod mfa;
mod patients;
mod pdf;
mod permissions;
mod plans;
mod profile;
mod requests;
mod restriction;
mod retention;
mod sessions;
mod storage;
mod toolkit_dicom;
mod upgrade;
