//! Treatment plans: options (the recommended one and its alternatives) in phases of
//! items with their fees, and the patient's acceptance. The plan and the acceptance
//! are sealed under the patient's key; the plain columns say when, by whom, and
//! whether the plan is still a draft, accepted or declined.

use crate::shape::{Stamped, big_int, binary, binary_null, index, patient_table, string};
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
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            patient_table(TreatmentPlan::Table, TreatmentPlan::Id, TreatmentPlan::PatientId)
                .col(string(TreatmentPlan::CreatedOn))
                .col(string(TreatmentPlan::Status))
                .col(binary(TreatmentPlan::Content))
                .col(binary_null(TreatmentPlan::Decision))
                .recorded()
                .col(big_int(TreatmentPlan::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_treatment_plan_patient", TreatmentPlan::Table, [TreatmentPlan::PatientId]))
            .await
    }
}
