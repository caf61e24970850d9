//! X-rays and clinical photographs. The original file is sealed under the patient's
//! key in the blob store (a file named by a random id beside a SQLite database, a
//! row of `blob` on PostgreSQL so every workstation reads it); the row keeps the
//! sealed description (type, teeth, format, size, what a DICOM header said) and a
//! sealed thumbnail. The plain columns say only the day, who and when.

use crate::shape::{Stamped, binary, index, patient_table, string, uuid, uuid_pk};
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
}

#[derive(DeriveIden)]
enum Blob {
    Table,
    Id,
    Data,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            patient_table(Xray::Table, Xray::Id, Xray::PatientId)
                .col(string(Xray::TakenOn))
                .col(uuid(Xray::BlobId))
                .col(binary(Xray::Content))
                .col(binary(Xray::Thumbnail))
                .recorded()
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_xray_patient", Xray::Table, [Xray::PatientId, Xray::TakenOn])).await?;
        m.create_table(
            Table::create().table(Blob::Table).col(uuid_pk(Blob::Id)).col(binary(Blob::Data)).to_owned(),
        )
        .await
    }
}
