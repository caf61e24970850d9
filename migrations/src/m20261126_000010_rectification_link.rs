//! Rectification (GDPR Art. 16): an edit made to answer a rectification request
//! names that request, so the request shows the edits made for it.

use crate::shape::{add_column, uuid_null};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PatientHistory {
    Table,
    RequestId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_column(m, PatientHistory::Table, uuid_null(PatientHistory::RequestId)).await
    }
}
