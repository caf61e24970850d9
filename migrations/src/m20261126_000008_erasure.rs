//! The erasure record (GDPR Art. 17): when a patient's data key was destroyed,
//! for which request, what the store reported erased and kept (kinds and counts,
//! no values), until when the kept part stays, and the person's name and postal
//! address sealed under the retention key (to answer the request and to tell
//! whose retained records are whose; deleted with the last retained record).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Erasure {
    Table,
    Id,
    PatientId,
    RequestId,
    ErasedAt,
    ErasedBy,
    Report,
    KeptUntil,
    Label,
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
                .table(Erasure::Table)
                .col(ColumnDef::new(Erasure::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Erasure::PatientId).uuid().not_null().unique_key())
                .col(ColumnDef::new(Erasure::RequestId).uuid().null())
                .col(ColumnDef::new(Erasure::ErasedAt).big_integer().not_null())
                .col(ColumnDef::new(Erasure::ErasedBy).uuid().not_null())
                .col(ColumnDef::new(Erasure::Report).text().not_null())
                .col(ColumnDef::new(Erasure::KeptUntil).string().null())
                .col(ColumnDef::new(Erasure::Label).binary().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(Erasure::Table, Erasure::PatientId)
                        .to(Patient::Table, Patient::Id),
                )
                .to_owned(),
        )
        .await
    }
}
