//! The data-subject request log (GDPR Art. 12-22): every request, its identity
//! check, deadline, extension and outcome. Free text about the person is sealed
//! with that patient's data key; dates and kinds stay readable so the DPO's list
//! can be sorted by due date without opening anything.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SubjectRequest {
    Table,
    Id,
    PatientId,
    Kind,
    ReceivedOn,
    DueOn,
    ExtendedTo,
    ViaGuardian,
    IdentityCheck,
    IdentityCheckedBy,
    ExtensionReason,
    Outcome,
    OutcomeNote,
    ClosedOn,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum Patient {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SubjectRequest::Table)
                .col(ColumnDef::new(SubjectRequest::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(SubjectRequest::PatientId).uuid().not_null())
                .col(ColumnDef::new(SubjectRequest::Kind).string().not_null())
                .col(ColumnDef::new(SubjectRequest::ReceivedOn).string().not_null())
                .col(ColumnDef::new(SubjectRequest::DueOn).string().not_null())
                .col(ColumnDef::new(SubjectRequest::ExtendedTo).string().null())
                .col(ColumnDef::new(SubjectRequest::ViaGuardian).uuid().null())
                .col(ColumnDef::new(SubjectRequest::IdentityCheck).binary().not_null())
                .col(ColumnDef::new(SubjectRequest::IdentityCheckedBy).uuid().not_null())
                .col(ColumnDef::new(SubjectRequest::ExtensionReason).binary().null())
                .col(ColumnDef::new(SubjectRequest::Outcome).string().null())
                .col(ColumnDef::new(SubjectRequest::OutcomeNote).binary().null())
                .col(ColumnDef::new(SubjectRequest::ClosedOn).string().null())
                .col(ColumnDef::new(SubjectRequest::CreatedAt).big_integer().not_null())
                .col(ColumnDef::new(SubjectRequest::CreatedBy).uuid().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(SubjectRequest::Table, SubjectRequest::PatientId)
                        .to(Patient::Table, Patient::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_subject_request_patient")
                .table(SubjectRequest::Table)
                .col(SubjectRequest::PatientId)
                .to_owned(),
        )
        .await
    }
}
