//! The tooth chart (FDI): every finding and every procedure is a dated entry,
//! never overwritten; a change of state is a new entry naming the one it follows.
//! What is charted (tooth, surfaces, condition or procedure, note) is health data,
//! sealed under the patient's key; the plain columns say only when and by whom.

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
                .table(ChartEntry::Table)
                .col(ColumnDef::new(ChartEntry::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(ChartEntry::PatientId).uuid().not_null())
                .col(ColumnDef::new(ChartEntry::EntryDate).string().not_null())
                .col(ColumnDef::new(ChartEntry::Content).binary().not_null())
                .col(ColumnDef::new(ChartEntry::Supersedes).uuid().null())
                .col(ColumnDef::new(ChartEntry::RecordedAt).big_integer().not_null())
                .col(ColumnDef::new(ChartEntry::RecordedBy).uuid().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(ChartEntry::Table, ChartEntry::PatientId)
                        .to(Patient::Table, Patient::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_chart_entry_patient")
                .table(ChartEntry::Table)
                .col(ChartEntry::PatientId)
                .col(ChartEntry::EntryDate)
                .to_owned(),
        )
        .await
    }
}
