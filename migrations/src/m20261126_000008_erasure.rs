//! The erasure record (GDPR Art. 17): when a patient's data key was destroyed,
//! for which request, what the store reported erased and kept (kinds and counts,
//! no values), until when the kept part stays, and the person's name and postal
//! address sealed under the retention key (to answer the request and to tell
//! whose retained records are whose; deleted with the last retained record).

use crate::shape::{big_int, binary_null, patient_fk, string_null, uuid, uuid_null, uuid_pk};
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Erasure::Table)
                .col(uuid_pk(Erasure::Id))
                .col(ColumnDef::new(Erasure::PatientId).uuid().not_null().unique_key())
                .col(uuid_null(Erasure::RequestId))
                .col(big_int(Erasure::ErasedAt))
                .col(uuid(Erasure::ErasedBy))
                .col(ColumnDef::new(Erasure::Report).text().not_null())
                .col(string_null(Erasure::KeptUntil))
                .col(binary_null(Erasure::Label))
                .foreign_key(&mut patient_fk(Erasure::Table, Erasure::PatientId))
                .to_owned(),
        )
        .await
    }
}
