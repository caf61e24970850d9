//! The breach register (GDPR Art. 33(5)): every personal-data breach with its
//! facts, effects and remedial action, the 72-hour clock, the notice to the
//! authority, and the people affected with when each was told (Art. 34). Free
//! text is sealed with a clinic key; the affected people are named by id.

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
enum Patient {
    Table,
    Id,
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
                .col(ColumnDef::new(Breach::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Breach::Reference).string().not_null().unique_key())
                .col(ColumnDef::new(Breach::DiscoveredAt).big_integer().not_null())
                .col(ColumnDef::new(Breach::OccurredFrom).big_integer().null())
                .col(ColumnDef::new(Breach::OccurredTo).big_integer().null())
                .col(ColumnDef::new(Breach::Nature).string().not_null())
                .col(ColumnDef::new(Breach::Description).binary().not_null())
                .col(ColumnDef::new(Breach::DataCategories).binary().not_null())
                .col(ColumnDef::new(Breach::Consequences).binary().not_null())
                .col(ColumnDef::new(Breach::MeasuresTaken).binary().not_null())
                .col(ColumnDef::new(Breach::MeasuresProposed).binary().not_null())
                .col(ColumnDef::new(Breach::Risk).string().not_null())
                .col(ColumnDef::new(Breach::Scope).string().null())
                .col(ColumnDef::new(Breach::SubjectsCount).big_integer().not_null().default(0))
                .col(ColumnDef::new(Breach::RecordsCount).big_integer().not_null().default(0))
                .col(ColumnDef::new(Breach::AuthorityNotifiedAt).big_integer().null())
                .col(ColumnDef::new(Breach::LateReason).binary().null())
                .col(ColumnDef::new(Breach::CreatedAt).big_integer().not_null())
                .col(ColumnDef::new(Breach::CreatedBy).uuid().not_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(BreachSubject::Table)
                .col(ColumnDef::new(BreachSubject::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(BreachSubject::BreachId).uuid().not_null())
                .col(ColumnDef::new(BreachSubject::PatientId).uuid().not_null())
                .col(ColumnDef::new(BreachSubject::Records).big_integer().not_null())
                .col(ColumnDef::new(BreachSubject::NotifiedAt).big_integer().null())
                .foreign_key(
                    ForeignKey::create()
                        .from(BreachSubject::Table, BreachSubject::BreachId)
                        .to(Breach::Table, Breach::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(BreachSubject::Table, BreachSubject::PatientId)
                        .to(Patient::Table, Patient::Id),
                )
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
        m.create_index(
            Index::create()
                .name("ix_audit_workstation")
                .table(AuditEvent::Table)
                .col(AuditEvent::Workstation)
                .to_owned(),
        )
        .await
    }
}
