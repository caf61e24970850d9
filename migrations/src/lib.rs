//! The one schema of Cuspid, for SQLite and PostgreSQL alike. Files are named
//! `mYYYYMMDD_HHMMSS_name.rs` and never edited once shipped: add a new one.

pub use sea_orm_migration::prelude::*;

mod shape;

mod m20261125_000001_foundation;
mod m20261125_000002_consent_guardians;
mod m20261125_000003_settings;
mod m20261125_000004_clinic_profile;
mod m20261125_000005_subject_requests;
mod m20261125_000006_retention;
mod m20261125_000007_article30;
mod m20261126_000008_erasure;
mod m20261126_000009_breaches;
mod m20261126_000010_rectification_link;
mod m20261126_000011_patient_language;
mod m20261126_000012_chart;
mod m20261126_000013_procedure_catalogue;
mod m20261126_000014_clinical_record;
mod m20261126_000015_imaging;
mod m20261126_000016_treatment_plan;
mod m20261202_000017_workstation_slots;
mod m20261202_000018_staff_mfa;
mod m20261202_000019_retention_keys;
mod m20261202_000020_index_version;
mod m20261202_000021_row_macs;
mod m20261202_000022_checkpoint_key;
mod m20261202_000023_bound_columns;

#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_foundation::Migration),
            Box::new(m20261125_000002_consent_guardians::Migration),
            Box::new(m20261125_000003_settings::Migration),
            Box::new(m20261125_000004_clinic_profile::Migration),
            Box::new(m20261125_000005_subject_requests::Migration),
            Box::new(m20261125_000006_retention::Migration),
            Box::new(m20261125_000007_article30::Migration),
            Box::new(m20261126_000008_erasure::Migration),
            Box::new(m20261126_000009_breaches::Migration),
            Box::new(m20261126_000010_rectification_link::Migration),
            Box::new(m20261126_000011_patient_language::Migration),
            Box::new(m20261126_000012_chart::Migration),
            Box::new(m20261126_000013_procedure_catalogue::Migration),
            Box::new(m20261126_000014_clinical_record::Migration),
            Box::new(m20261126_000015_imaging::Migration),
            Box::new(m20261126_000016_treatment_plan::Migration),
            Box::new(m20261202_000017_workstation_slots::Migration),
            Box::new(m20261202_000018_staff_mfa::Migration),
            Box::new(m20261202_000019_retention_keys::Migration),
            Box::new(m20261202_000020_index_version::Migration),
            Box::new(m20261202_000021_row_macs::Migration),
            Box::new(m20261202_000022_checkpoint_key::Migration),
            Box::new(m20261202_000023_bound_columns::Migration),
        ]
    }
}
