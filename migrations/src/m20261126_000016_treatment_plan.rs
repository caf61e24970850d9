//! Treatment plans: options (the recommended one and its alternatives) in phases of
//! items with their fees, and the patient's acceptance. The plan and the acceptance
//! are sealed under the patient's key; the plain columns say when, by whom, and
//! whether the plan is still a draft, accepted or declined.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TreatmentPlan {
    Table,
    Id,
    PatientId,
    CreatedOn,
    Status,
    Content,
    Decision,
    RecordedAt,
    RecordedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Patient {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TreatmentPlan::Table)
                .col(ColumnDef::new(TreatmentPlan::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(TreatmentPlan::PatientId).uuid().not_null())
                .col(ColumnDef::new(TreatmentPlan::CreatedOn).string().not_null())
                .col(ColumnDef::new(TreatmentPlan::Status).string().not_null())
                .col(ColumnDef::new(TreatmentPlan::Content).binary().not_null())
                .col(ColumnDef::new(TreatmentPlan::Decision).binary().null())
                .col(ColumnDef::new(TreatmentPlan::RecordedAt).big_integer().not_null())
                .col(ColumnDef::new(TreatmentPlan::RecordedBy).uuid().not_null())
                .col(ColumnDef::new(TreatmentPlan::UpdatedAt).big_integer().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(TreatmentPlan::Table, TreatmentPlan::PatientId)
                        .to(Patient::Table, Patient::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_treatment_plan_patient")
                .table(TreatmentPlan::Table)
                .col(TreatmentPlan::PatientId)
                .to_owned(),
        )
        .await
    }
}
