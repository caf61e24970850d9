//! The retention schedule: one row for each category the clinic changed from the
//! defaults (which live in the code, `cuspid::retention::CATEGORIES`).

use crate::shape::{Stamped, integer, string};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RetentionRule {
    Table,
    Category,
    Period,
    Unit,
    LegalBasis,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RetentionRule::Table)
                .col(ColumnDef::new(RetentionRule::Category).string().not_null().primary_key())
                .col(integer(RetentionRule::Period))
                .col(string(RetentionRule::Unit))
                .col(string(RetentionRule::LegalBasis))
                .updated()
                .to_owned(),
        )
        .await
    }
}
