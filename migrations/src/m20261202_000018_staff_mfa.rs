//! Two-factor sign-in (TOTP, RFC 6238): each staff member's secret, sealed, and the
//! last time step accepted (a code is accepted once); one-time recovery codes, kept
//! as MACs only.

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
        m.alter_table(
            Table::alter()
                .table(Staff::Table)
                .add_column(ColumnDef::new(Staff::TotpSealed).binary().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Staff::Table)
                .add_column(ColumnDef::new(Staff::TotpLastStep).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StaffRecoveryCode::Table)
                .col(ColumnDef::new(StaffRecoveryCode::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(StaffRecoveryCode::StaffId).uuid().not_null())
                .col(ColumnDef::new(StaffRecoveryCode::CodeMac).binary().not_null())
                .col(ColumnDef::new(StaffRecoveryCode::UsedAt).big_integer().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(StaffRecoveryCode::Table, StaffRecoveryCode::StaffId)
                        .to(Staff::Table, Staff::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("staff_recovery_code_staff")
                .table(StaffRecoveryCode::Table)
                .col(StaffRecoveryCode::StaffId)
                .to_owned(),
        )
        .await
    }
}
