//! The language a patient reads (`ro` or `en`), for the letters written to them;
//! sealed like every personal field.

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
        m.alter_table(
            Table::alter()
                .table(Patient::Table)
                .add_column(ColumnDef::new(Patient::Language).binary().null())
                .to_owned(),
        )
        .await
    }
}
