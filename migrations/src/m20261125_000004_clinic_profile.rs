//! The clinic's own particulars printed on letters and registers: address,
//! registration numbers, contact, and the data-protection officer's contact
//! (a person's details, so sealed like patient fields).

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
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ClinicProfile::Table)
                .col(ColumnDef::new(ClinicProfile::Id).integer().not_null().primary_key())
                .col(ColumnDef::new(ClinicProfile::Address).string().not_null())
                .col(ColumnDef::new(ClinicProfile::FiscalCode).string().not_null())
                .col(ColumnDef::new(ClinicProfile::RegistryNumber).string().null())
                .col(ColumnDef::new(ClinicProfile::OperatingPermit).string().null())
                .col(ColumnDef::new(ClinicProfile::Phone).string().null())
                .col(ColumnDef::new(ClinicProfile::Email).string().null())
                .col(ColumnDef::new(ClinicProfile::DpoSealed).binary().not_null())
                .col(ColumnDef::new(ClinicProfile::UpdatedAt).big_integer().not_null())
                .col(ColumnDef::new(ClinicProfile::UpdatedBy).uuid().not_null())
                .to_owned(),
        )
        .await
    }
}
