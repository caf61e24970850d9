//! The Article 30 register of processing activities. Set-up fills it with the
//! default activities (`assets/art30-defaults.csv`); the DPO edits them. Retention
//! is not stored here: each activity names retention categories, and the register
//! prints their periods from the one retention schedule.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProcessingActivity {
    Table,
    Code,
    Position,
    Name,
    Purpose,
    DataCategories,
    DataSubjects,
    LegalBasis,
    RetentionCategories,
    RetentionNote,
    Recipients,
    Transfers,
    SecurityMeasures,
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ProcessingActivity::Table)
                .col(ColumnDef::new(ProcessingActivity::Code).string().not_null().primary_key())
                .col(ColumnDef::new(ProcessingActivity::Position).integer().not_null())
                .col(ColumnDef::new(ProcessingActivity::Name).string().not_null())
                .col(ColumnDef::new(ProcessingActivity::Purpose).string().not_null())
                .col(ColumnDef::new(ProcessingActivity::DataCategories).string().not_null())
                .col(ColumnDef::new(ProcessingActivity::DataSubjects).string().not_null())
                .col(ColumnDef::new(ProcessingActivity::LegalBasis).string().not_null())
                .col(ColumnDef::new(ProcessingActivity::RetentionCategories).string().not_null())
                .col(ColumnDef::new(ProcessingActivity::RetentionNote).string().null())
                .col(ColumnDef::new(ProcessingActivity::Recipients).string().not_null())
                .col(ColumnDef::new(ProcessingActivity::Transfers).string().not_null())
                .col(ColumnDef::new(ProcessingActivity::SecurityMeasures).string().not_null())
                .col(ColumnDef::new(ProcessingActivity::UpdatedAt).big_integer().not_null())
                .col(ColumnDef::new(ProcessingActivity::UpdatedBy).uuid().null())
                .to_owned(),
        )
        .await
    }
}
