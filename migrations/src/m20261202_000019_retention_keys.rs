//! What an erasure keeps by law is sealed under a random per-patient retention key,
//! wrapped by the clinic key in the erasure record, and destroyed by the retention job
//! when the last kept record's period ends. Erasures made before keep NULL here and
//! their key derived from the audit key, as they were written.

use crate::shape::{add_column, big_int_null, binary_null};
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
        add_column(m, Erasure::Table, binary_null(Erasure::RetentionKey)).await?;
        add_column(m, Erasure::Table, big_int_null(Erasure::RetentionKeyDestroyedAt)).await
    }
}
