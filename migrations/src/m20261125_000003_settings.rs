//! Clinic-wide settings (idle-lock minutes, default language, ...), one row a key.

use crate::shape::{Stamped, string};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Setting {
    Table,
    Key,
    Value,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Setting::Table)
                .col(ColumnDef::new(Setting::Key).string().not_null().primary_key())
                .col(string(Setting::Value))
                .updated()
                .to_owned(),
        )
        .await
    }
}
