//! The rest of the clinical record beside the chart: medical history (anamnesis)
//! answer sets, clinical notes and their amendments, periodontal examinations. One
//! row a record, never overwritten: an amendment is a new row naming the note it
//! amends. What was said, written or measured is health data, sealed under the
//! patient's key; the plain columns say only which kind of record, when and by whom.

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
    RecordedAt,
    RecordedBy,
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
                .table(ClinicalRecord::Table)
                .col(ColumnDef::new(ClinicalRecord::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(ClinicalRecord::PatientId).uuid().not_null())
                .col(ColumnDef::new(ClinicalRecord::Kind).string().not_null())
                .col(ColumnDef::new(ClinicalRecord::EntryDate).string().not_null())
                .col(ColumnDef::new(ClinicalRecord::Content).binary().not_null())
                .col(ColumnDef::new(ClinicalRecord::Follows).uuid().null())
                .col(ColumnDef::new(ClinicalRecord::RecordedAt).big_integer().not_null())
                .col(ColumnDef::new(ClinicalRecord::RecordedBy).uuid().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ClinicalRecord::Table, ClinicalRecord::PatientId)
                        .to(Patient::Table, Patient::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_clinical_record_patient")
                .table(ClinicalRecord::Table)
                .col(ClinicalRecord::PatientId)
                .col(ClinicalRecord::Kind)
                .col(ClinicalRecord::EntryDate)
                .to_owned(),
        )
        .await
    }
}
