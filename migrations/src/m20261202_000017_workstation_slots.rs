//! Workstation key slots: the workstation a `workstation` slot belongs to, so that
//! "forget this workstation" removes exactly that slot and no other.

use crate::shape::add_column;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum KeySlot {
    Table,
    Workstation,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_column(m, KeySlot::Table, ColumnDef::new(KeySlot::Workstation).text().null()).await
    }
}
