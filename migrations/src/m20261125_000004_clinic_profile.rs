//! The clinic's own particulars printed on letters and registers: address,
//! registration numbers, contact, and the data-protection officer's contact
//! (a person's details, so sealed like patient fields).

use crate::shape::{Stamped, binary, string, string_null};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ClinicProfile {
    Table,
    Id,
    Address,
    FiscalCode,
    RegistryNumber,
    OperatingPermit,
    Phone,
    Email,
    DpoSealed,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ClinicProfile::Table)
                .col(ColumnDef::new(ClinicProfile::Id).integer().not_null().primary_key())
                .col(string(ClinicProfile::Address))
                .col(string(ClinicProfile::FiscalCode))
                .col(string_null(ClinicProfile::RegistryNumber))
                .col(string_null(ClinicProfile::OperatingPermit))
                .col(string_null(ClinicProfile::Phone))
                .col(string_null(ClinicProfile::Email))
                .col(binary(ClinicProfile::DpoSealed))
                .updated()
                .to_owned(),
        )
        .await
    }
}
