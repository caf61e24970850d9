//! The rest of the clinical record beside the chart: medical history (anamnesis)
//! answer sets, clinical notes and their amendments, periodontal examinations. One
//! row a record, never overwritten: an amendment is a new row naming the note it
//! amends. What was said, written or measured is health data, sealed under the
//! patient's key; the plain columns say only which kind of record, when and by whom.

use crate::shape::{Stamped, binary, index, patient_table, string, uuid_null};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ClinicalRecord {
    Table,
    Id,
    PatientId,
    Kind,
    EntryDate,
    Content,
    Follows,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            patient_table(ClinicalRecord::Table, ClinicalRecord::Id, ClinicalRecord::PatientId)
                .col(string(ClinicalRecord::Kind))
                .col(string(ClinicalRecord::EntryDate))
                .col(binary(ClinicalRecord::Content))
                .col(uuid_null(ClinicalRecord::Follows))
                .recorded()
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_clinical_record_patient",
            ClinicalRecord::Table,
            [ClinicalRecord::PatientId, ClinicalRecord::Kind, ClinicalRecord::EntryDate],
        ))
        .await
    }
}
