//! The Article 30 register of processing activities. Set-up fills it with the
//! default activities (`assets/art30-defaults.csv`); the DPO edits them. Retention
//! is not stored here: each activity names retention categories, and the register
//! prints their periods from the one retention schedule.

use crate::shape::{big_int, integer, string, string_null, uuid_null};
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
                .col(integer(ProcessingActivity::Position))
                .col(string(ProcessingActivity::Name))
                .col(string(ProcessingActivity::Purpose))
                .col(string(ProcessingActivity::DataCategories))
                .col(string(ProcessingActivity::DataSubjects))
                .col(string(ProcessingActivity::LegalBasis))
                .col(string(ProcessingActivity::RetentionCategories))
                .col(string_null(ProcessingActivity::RetentionNote))
                .col(string(ProcessingActivity::Recipients))
                .col(string(ProcessingActivity::Transfers))
                .col(string(ProcessingActivity::SecurityMeasures))
                .col(big_int(ProcessingActivity::UpdatedAt))
                .col(uuid_null(ProcessingActivity::UpdatedBy))
                .to_owned(),
        )
        .await
    }
}
