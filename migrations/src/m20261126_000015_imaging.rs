//! X-rays and clinical photographs. The original file is sealed under the patient's
//! key in the blob store (a file named by a random id beside a SQLite database, a
//! row of `blob` on PostgreSQL so every workstation reads it); the row keeps the
//! sealed description (type, teeth, format, size, what a DICOM header said) and a
//! sealed thumbnail. The plain columns say only the day, who and when.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Xray {
    Table,
    Id,
    PatientId,
    TakenOn,
    BlobId,
    Content,
    Thumbnail,
    RecordedAt,
    RecordedBy,
}

#[derive(DeriveIden)]
enum Blob {
    Table,
    Id,
    Data,
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
                .table(Xray::Table)
                .col(ColumnDef::new(Xray::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Xray::PatientId).uuid().not_null())
                .col(ColumnDef::new(Xray::TakenOn).string().not_null())
                .col(ColumnDef::new(Xray::BlobId).uuid().not_null())
                .col(ColumnDef::new(Xray::Content).binary().not_null())
                .col(ColumnDef::new(Xray::Thumbnail).binary().not_null())
                .col(ColumnDef::new(Xray::RecordedAt).big_integer().not_null())
                .col(ColumnDef::new(Xray::RecordedBy).uuid().not_null())
                .foreign_key(
                    ForeignKey::create().from(Xray::Table, Xray::PatientId).to(Patient::Table, Patient::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_xray_patient")
                .table(Xray::Table)
                .col(Xray::PatientId)
                .col(Xray::TakenOn)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Blob::Table)
                .col(ColumnDef::new(Blob::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Blob::Data).binary().not_null())
                .to_owned(),
        )
        .await
    }
}
