//! Two-factor sign-in (TOTP, RFC 6238): each staff member's secret, sealed, and the
//! last time step accepted (a code is accepted once); one-time recovery codes, kept
//! as MACs only.

use crate::shape::{add_column, big_int_null, binary, binary_null, index, uuid, uuid_pk};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
    TotpSealed,
    TotpLastStep,
}

#[derive(DeriveIden)]
enum StaffRecoveryCode {
    Table,
    Id,
    StaffId,
    CodeMac,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        add_column(m, Staff::Table, binary_null(Staff::TotpSealed)).await?;
        add_column(m, Staff::Table, big_int_null(Staff::TotpLastStep)).await?;
        m.create_table(
            Table::create()
                .table(StaffRecoveryCode::Table)
                .col(uuid_pk(StaffRecoveryCode::Id))
                .col(uuid(StaffRecoveryCode::StaffId))
                .col(binary(StaffRecoveryCode::CodeMac))
                .col(big_int_null(StaffRecoveryCode::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(StaffRecoveryCode::Table, StaffRecoveryCode::StaffId)
                        .to(Staff::Table, Staff::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "staff_recovery_code_staff",
            StaffRecoveryCode::Table,
            [StaffRecoveryCode::StaffId],
        ))
        .await
    }
}
