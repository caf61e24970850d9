//! What an erasure keeps by law is sealed under a random per-patient retention key,
//! wrapped by the clinic key in the erasure record, and destroyed by the retention job
//! when the last kept record's period ends. Erasures made before keep NULL here and
//! their key derived from the audit key, as they were written.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Erasure {
    Table,
    RetentionKey,
    RetentionKeyDestroyedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Erasure::Table)
                .add_column(ColumnDef::new(Erasure::RetentionKey).binary().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Erasure::Table)
                .add_column(ColumnDef::new(Erasure::RetentionKeyDestroyedAt).big_integer().null())
                .to_owned(),
        )
        .await
    }
}
