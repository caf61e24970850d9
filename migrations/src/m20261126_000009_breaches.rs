//! The breach register (GDPR Art. 33(5)): every personal-data breach with its
//! facts, effects and remedial action, the 72-hour clock, the notice to the
//! authority, and the people affected with when each was told (Art. 34). Free
//! text is sealed with a clinic key; the affected people are named by id.

use crate::shape::{
    big_int, big_int_null, binary, binary_null, index, patient_fk, string, string_null, uuid, uuid_pk,
};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Breach {
    Table,
    Id,
    Reference,
    DiscoveredAt,
    OccurredFrom,
    OccurredTo,
    Nature,
    Description,
    DataCategories,
    Consequences,
    MeasuresTaken,
    MeasuresProposed,
    Risk,
    Scope,
    SubjectsCount,
    RecordsCount,
    AuthorityNotifiedAt,
    LateReason,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum BreachSubject {
    Table,
    Id,
    BreachId,
    PatientId,
    Records,
    NotifiedAt,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Workstation,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Breach::Table)
                .col(uuid_pk(Breach::Id))
                .col(ColumnDef::new(Breach::Reference).string().not_null().unique_key())
                .col(big_int(Breach::DiscoveredAt))
                .col(big_int_null(Breach::OccurredFrom))
                .col(big_int_null(Breach::OccurredTo))
                .col(string(Breach::Nature))
                .col(binary(Breach::Description))
                .col(binary(Breach::DataCategories))
                .col(binary(Breach::Consequences))
                .col(binary(Breach::MeasuresTaken))
                .col(binary(Breach::MeasuresProposed))
                .col(string(Breach::Risk))
                .col(string_null(Breach::Scope))
                .col(ColumnDef::new(Breach::SubjectsCount).big_integer().not_null().default(0))
                .col(ColumnDef::new(Breach::RecordsCount).big_integer().not_null().default(0))
                .col(big_int_null(Breach::AuthorityNotifiedAt))
                .col(binary_null(Breach::LateReason))
                .col(big_int(Breach::CreatedAt))
                .col(uuid(Breach::CreatedBy))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BreachSubject::Table)
                .col(uuid_pk(BreachSubject::Id))
                .col(uuid(BreachSubject::BreachId))
                .col(uuid(BreachSubject::PatientId))
                .col(big_int(BreachSubject::Records))
                .col(big_int_null(BreachSubject::NotifiedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(BreachSubject::Table, BreachSubject::BreachId)
                        .to(Breach::Table, Breach::Id),
                )
                .foreign_key(&mut patient_fk(BreachSubject::Table, BreachSubject::PatientId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_breach_subject")
                .table(BreachSubject::Table)
                .col(BreachSubject::BreachId)
                .col(BreachSubject::PatientId)
                .unique()
                .to_owned(),
        )
        .await?;
        // The finder asks "what did this workstation touch in this window".
        m.create_index(index("ix_audit_workstation", AuditEvent::Table, [AuditEvent::Workstation])).await
    }
}
