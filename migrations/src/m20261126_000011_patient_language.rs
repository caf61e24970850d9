//! The language a patient reads (`ro` or `en`), for the letters written to them;
//! sealed like every personal field.

use crate::shape::{add_column, binary_null};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Patient {
    Table,
    Language,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_column(m, Patient::Table, binary_null(Patient::Language)).await
    }
}
