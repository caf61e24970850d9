//! MACs over what must not change behind the clinic's back: a staff row's identity,
//! role and active flag (`staff.row_mac`), and whose a key slot is (`key_slot.owner_mac`),
//! under a key of the clinic's; `clinic_meta.row_macs` says whether they are in force
//! (a clinic written before gets them at its next sign-in).

use crate::shape::{add_column, binary_null, integer_default};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Staff {
    Table,
    RowMac,
}

#[derive(DeriveIden)]
enum KeySlot {
    Table,
    OwnerMac,
}

#[derive(DeriveIden)]
enum ClinicMeta {
    Table,
    RowMacs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_column(m, Staff::Table, binary_null(Staff::RowMac)).await?;
        add_column(m, KeySlot::Table, binary_null(KeySlot::OwnerMac)).await?;
        add_column(m, ClinicMeta::Table, integer_default(ClinicMeta::RowMacs, 0)).await
    }
}
