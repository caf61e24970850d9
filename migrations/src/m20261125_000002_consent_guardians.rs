//! Privacy-notice versions, consent records (grants and withdrawals, never
//! overwritten), guardians of minors, and the patient's account status.

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
    Id,
    Status,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PrivacyNotice::Table)
                .col(ColumnDef::new(PrivacyNotice::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(PrivacyNotice::Version).string().not_null().unique_key())
                .col(ColumnDef::new(PrivacyNotice::TextRo).text().not_null())
                .col(ColumnDef::new(PrivacyNotice::TextEn).text().not_null())
                .col(ColumnDef::new(PrivacyNotice::PublishedAt).big_integer().not_null())
                .col(ColumnDef::new(PrivacyNotice::PublishedBy).uuid().not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Consent::Table)
                .col(ColumnDef::new(Consent::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Consent::PatientId).uuid().not_null())
                .col(ColumnDef::new(Consent::Kind).string().not_null())
                .col(ColumnDef::new(Consent::Granted).boolean().not_null())
                .col(ColumnDef::new(Consent::Method).string().not_null())
                .col(ColumnDef::new(Consent::GivenBy).uuid().null())
                .col(ColumnDef::new(Consent::NoticeVersion).string().null())
                .col(ColumnDef::new(Consent::TextShown).binary().not_null())
                .col(ColumnDef::new(Consent::RecordedBy).uuid().not_null())
                .col(ColumnDef::new(Consent::Workstation).string().not_null())
                .col(ColumnDef::new(Consent::At).big_integer().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Consent::Table, Consent::PatientId)
                        .to(Patient::Table, Patient::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_consent_patient")
                .table(Consent::Table)
                .col(Consent::PatientId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PatientGuardian::Table)
                .col(ColumnDef::new(PatientGuardian::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(PatientGuardian::PatientId).uuid().not_null())
                .col(ColumnDef::new(PatientGuardian::GuardianId).uuid().not_null())
                .col(ColumnDef::new(PatientGuardian::Relationship).binary().not_null())
                .col(ColumnDef::new(PatientGuardian::CreatedAt).big_integer().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(PatientGuardian::Table, PatientGuardian::PatientId)
                        .to(Patient::Table, Patient::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(PatientGuardian::Table, PatientGuardian::GuardianId)
                        .to(Patient::Table, Patient::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_guardian_patient")
                .table(PatientGuardian::Table)
                .col(PatientGuardian::PatientId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_guardian_guardian")
                .table(PatientGuardian::Table)
                .col(PatientGuardian::GuardianId)
                .to_owned(),
        )
        .await?;

        m.alter_table(
            Table::alter()
                .table(Patient::Table)
                .add_column(ColumnDef::new(Patient::Status).string().not_null().default("active"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
