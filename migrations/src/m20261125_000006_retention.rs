//! The retention schedule: one row for each category the clinic changed from the
//! defaults (which live in the code, `cuspid::retention::CATEGORIES`).

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
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RetentionRule::Table)
                .col(ColumnDef::new(RetentionRule::Category).string().not_null().primary_key())
                .col(ColumnDef::new(RetentionRule::Period).integer().not_null())
                .col(ColumnDef::new(RetentionRule::Unit).string().not_null())
                .col(ColumnDef::new(RetentionRule::LegalBasis).string().not_null())
                .col(ColumnDef::new(RetentionRule::UpdatedAt).big_integer().not_null())
                .col(ColumnDef::new(RetentionRule::UpdatedBy).uuid().not_null())
                .to_owned(),
        )
        .await
    }
}
