//! Privacy-notice versions, consent records (grants and withdrawals, never
//! overwritten), guardians of minors, and the patient's account status.

use crate::shape::{
    add_column, big_int, binary, index, patient_fk, patient_table, string, string_null, uuid, uuid_null,
    uuid_pk,
};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PrivacyNotice {
    Table,
    Id,
    Version,
    TextRo,
    TextEn,
    PublishedAt,
    PublishedBy,
}

#[derive(DeriveIden)]
enum Consent {
    Table,
    Id,
    PatientId,
    Kind,
    Granted,
    Method,
    GivenBy,
    NoticeVersion,
    TextShown,
    RecordedBy,
    Workstation,
    At,
}

#[derive(DeriveIden)]
enum PatientGuardian {
    Table,
    Id,
    PatientId,
    GuardianId,
    Relationship,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Patient {
    Table,
    Status,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PrivacyNotice::Table)
                .col(uuid_pk(PrivacyNotice::Id))
                .col(ColumnDef::new(PrivacyNotice::Version).string().not_null().unique_key())
                .col(ColumnDef::new(PrivacyNotice::TextRo).text().not_null())
                .col(ColumnDef::new(PrivacyNotice::TextEn).text().not_null())
                .col(big_int(PrivacyNotice::PublishedAt))
                .col(uuid(PrivacyNotice::PublishedBy))
                .to_owned(),
        )
        .await?;

        m.create_table(
            patient_table(Consent::Table, Consent::Id, Consent::PatientId)
                .col(string(Consent::Kind))
                .col(ColumnDef::new(Consent::Granted).boolean().not_null())
                .col(string(Consent::Method))
                .col(uuid_null(Consent::GivenBy))
                .col(string_null(Consent::NoticeVersion))
                .col(binary(Consent::TextShown))
                .col(uuid(Consent::RecordedBy))
                .col(string(Consent::Workstation))
                .col(big_int(Consent::At))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_consent_patient", Consent::Table, [Consent::PatientId])).await?;

        m.create_table(
            patient_table(PatientGuardian::Table, PatientGuardian::Id, PatientGuardian::PatientId)
                .col(uuid(PatientGuardian::GuardianId))
                .col(binary(PatientGuardian::Relationship))
                .col(big_int(PatientGuardian::CreatedAt))
                .foreign_key(&mut patient_fk(PatientGuardian::Table, PatientGuardian::GuardianId))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_guardian_patient", PatientGuardian::Table, [PatientGuardian::PatientId]))
            .await?;
        m.create_index(index("ix_guardian_guardian", PatientGuardian::Table, [PatientGuardian::GuardianId]))
            .await?;

        add_column(m, Patient::Table, ColumnDef::new(Patient::Status).string().not_null().default("active"))
            .await?;
        Ok(())
    }
}
