//! The data-subject request log (GDPR Art. 12-22): every request, its identity
//! check, deadline, extension and outcome. Free text about the person is sealed
//! with that patient's data key; dates and kinds stay readable so the DPO's list
//! can be sorted by due date without opening anything.

use crate::shape::{
    big_int, binary, binary_null, index, patient_table, string, string_null, uuid, uuid_null,
};
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            patient_table(SubjectRequest::Table, SubjectRequest::Id, SubjectRequest::PatientId)
                .col(string(SubjectRequest::Kind))
                .col(string(SubjectRequest::ReceivedOn))
                .col(string(SubjectRequest::DueOn))
                .col(string_null(SubjectRequest::ExtendedTo))
                .col(uuid_null(SubjectRequest::ViaGuardian))
                .col(binary(SubjectRequest::IdentityCheck))
                .col(uuid(SubjectRequest::IdentityCheckedBy))
                .col(binary_null(SubjectRequest::ExtensionReason))
                .col(string_null(SubjectRequest::Outcome))
                .col(binary_null(SubjectRequest::OutcomeNote))
                .col(string_null(SubjectRequest::ClosedOn))
                .col(big_int(SubjectRequest::CreatedAt))
                .col(uuid(SubjectRequest::CreatedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_subject_request_patient",
            SubjectRequest::Table,
            [SubjectRequest::PatientId],
        ))
        .await
    }
}
