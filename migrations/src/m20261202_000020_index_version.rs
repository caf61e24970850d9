//! Which format the blind indexes are in: 1, one key for every name column and
//! 64-bit values (a NULL 5-letter column for short names); 2, one key per column,
//! name prefixes in 10-bit buckets, no NULLs. A clinic at 1 is re-indexed at the
//! next sign-in, the only moment the keys are at hand.

use crate::shape::{add_column, integer_default};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ClinicMeta {
    Table,
    IndexVersion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_column(m, ClinicMeta::Table, integer_default(ClinicMeta::IndexVersion, 1)).await
    }
}
