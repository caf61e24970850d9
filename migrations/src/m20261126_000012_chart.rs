//! The tooth chart (FDI): every finding and every procedure is a dated entry,
//! never overwritten; a change of state is a new entry naming the one it follows.
//! What is charted (tooth, surfaces, condition or procedure, note) is health data,
//! sealed under the patient's key; the plain columns say only when and by whom.

use crate::shape::{Stamped, binary, index, patient_table, string, uuid_null};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChartEntry {
    Table,
    Id,
    PatientId,
    EntryDate,
    Content,
    Supersedes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            patient_table(ChartEntry::Table, ChartEntry::Id, ChartEntry::PatientId)
                .col(string(ChartEntry::EntryDate))
                .col(binary(ChartEntry::Content))
                .col(uuid_null(ChartEntry::Supersedes))
                .recorded()
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_chart_entry_patient",
            ChartEntry::Table,
            [ChartEntry::PatientId, ChartEntry::EntryDate],
        ))
        .await
    }
}
