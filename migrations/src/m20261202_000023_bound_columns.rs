//! Sealed values bound to their rows' plain columns (field format 2):
//! `clinic_meta.bound_columns` says whether this clinic's values have been re-sealed
//! that way (a clinic written before is, at its next sign-in).

use crate::shape::{add_column, integer_default};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ClinicMeta {
    Table,
    BoundColumns,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_column(m, ClinicMeta::Table, integer_default(ClinicMeta::BoundColumns, 0)).await
    }
}
