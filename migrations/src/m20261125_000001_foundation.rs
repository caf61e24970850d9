//! Clinic metadata and keys, staff, key slots, patients and their rectification
//! history, and the hash-chained audit log with its append-only triggers.

use crate::shape::{
    big_int, big_int_null, binary, index, integer, patient_table, string, string_null, uuid, uuid_null,
    uuid_pk,
};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ClinicMeta {
    Table,
    Id,
    Magic,
    ClinicId,
    Name,
    KekId,
    KekCheck,
    IndexKeyWrapped,
    AuditKeyWrapped,
    Sealing,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
    Username,
    Role,
    Active,
    FailedAttempts,
    LockedUntil,
    LastLoginAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum KeySlot {
    Table,
    Id,
    Kind,
    StaffId,
    KekId,
    MKib,
    TCost,
    PCost,
    Salt,
    Wrapped,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Patient {
    Table,
    Id,
    KekId,
    DekGen,
    DekWrapped,
    FirstName,
    LastName,
    Cnp,
    BirthDate,
    Sex,
    Phone,
    Email,
    Address,
    EmergencyContact,
    BidxCnp,
    BidxPhone,
    BidxEmail,
    BidxFirst3,
    BidxFirst5,
    BidxLast3,
    BidxLast5,
    Restriction,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum PatientHistory {
    Table,
    Id,
    PatientId,
    ChangedAt,
    ChangedBy,
    Reason,
    Previous,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Seq,
    At,
    ActorId,
    Actor,
    Role,
    Workstation,
    Action,
    EntityType,
    EntityId,
    SubjectId,
    Purpose,
    Outcome,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ClinicMeta::Table)
                .col(ColumnDef::new(ClinicMeta::Id).integer().not_null().primary_key())
                .col(string(ClinicMeta::Magic))
                .col(uuid(ClinicMeta::ClinicId))
                .col(string(ClinicMeta::Name))
                .col(uuid(ClinicMeta::KekId))
                .col(binary(ClinicMeta::KekCheck))
                .col(binary(ClinicMeta::IndexKeyWrapped))
                .col(binary(ClinicMeta::AuditKeyWrapped))
                .col(string(ClinicMeta::Sealing))
                .col(big_int(ClinicMeta::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Staff::Table)
                .col(uuid_pk(Staff::Id))
                .col(ColumnDef::new(Staff::Username).string().not_null().unique_key())
                .col(string(Staff::Role))
                .col(ColumnDef::new(Staff::Active).boolean().not_null())
                .col(integer(Staff::FailedAttempts))
                .col(big_int_null(Staff::LockedUntil))
                .col(big_int_null(Staff::LastLoginAt))
                .col(big_int(Staff::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(KeySlot::Table)
                .col(uuid_pk(KeySlot::Id))
                .col(string(KeySlot::Kind))
                .col(uuid_null(KeySlot::StaffId))
                .col(uuid(KeySlot::KekId))
                .col(integer(KeySlot::MKib))
                .col(integer(KeySlot::TCost))
                .col(integer(KeySlot::PCost))
                .col(binary(KeySlot::Salt))
                .col(binary(KeySlot::Wrapped))
                .col(big_int(KeySlot::CreatedAt))
                .foreign_key(
                    ForeignKey::create().from(KeySlot::Table, KeySlot::StaffId).to(Staff::Table, Staff::Id),
                )
                .to_owned(),
        )
        .await?;

        let blob = |c: Patient, null: bool| {
            let mut def = ColumnDef::new(c);
            def.binary();
            if null {
                def.null()
            } else {
                def.not_null()
            };
            def
        };
        m.create_table(
            Table::create()
                .table(Patient::Table)
                .col(uuid_pk(Patient::Id))
                .col(uuid(Patient::KekId))
                .col(integer(Patient::DekGen))
                .col(blob(Patient::DekWrapped, false))
                .col(blob(Patient::FirstName, false))
                .col(blob(Patient::LastName, false))
                .col(blob(Patient::Cnp, true))
                .col(blob(Patient::BirthDate, true))
                .col(blob(Patient::Sex, true))
                .col(blob(Patient::Phone, true))
                .col(blob(Patient::Email, true))
                .col(blob(Patient::Address, true))
                .col(blob(Patient::EmergencyContact, true))
                .col(big_int_null(Patient::BidxCnp))
                .col(big_int_null(Patient::BidxPhone))
                .col(big_int_null(Patient::BidxEmail))
                .col(big_int_null(Patient::BidxFirst3))
                .col(big_int_null(Patient::BidxFirst5))
                .col(big_int_null(Patient::BidxLast3))
                .col(big_int_null(Patient::BidxLast5))
                .col(string(Patient::Restriction))
                .col(big_int(Patient::CreatedAt))
                .col(big_int(Patient::UpdatedAt))
                .col(integer(Patient::Version))
                .to_owned(),
        )
        .await?;
        // A CNP is unique among live patients; the index holds its blind index only.
        m.create_index(
            Index::create()
                .name("ux_patient_bidx_cnp")
                .table(Patient::Table)
                .col(Patient::BidxCnp)
                .unique()
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("ix_patient_bidx_phone", Patient::BidxPhone),
            ("ix_patient_bidx_email", Patient::BidxEmail),
            ("ix_patient_bidx_first3", Patient::BidxFirst3),
            ("ix_patient_bidx_first5", Patient::BidxFirst5),
            ("ix_patient_bidx_last3", Patient::BidxLast3),
            ("ix_patient_bidx_last5", Patient::BidxLast5),
        ] {
            m.create_index(Index::create().name(name).table(Patient::Table).col(col).to_owned()).await?;
        }

        m.create_table(
            patient_table(PatientHistory::Table, PatientHistory::Id, PatientHistory::PatientId)
                .col(big_int(PatientHistory::ChangedAt))
                .col(uuid(PatientHistory::ChangedBy))
                .col(binary(PatientHistory::Reason))
                .col(binary(PatientHistory::Previous))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_patient_history_patient",
            PatientHistory::Table,
            [PatientHistory::PatientId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(AuditEvent::Table)
                .col(ColumnDef::new(AuditEvent::Seq).big_integer().not_null().primary_key())
                .col(big_int(AuditEvent::At))
                .col(uuid_null(AuditEvent::ActorId))
                .col(string(AuditEvent::Actor))
                .col(string(AuditEvent::Role))
                .col(string(AuditEvent::Workstation))
                .col(string(AuditEvent::Action))
                .col(string(AuditEvent::EntityType))
                .col(string_null(AuditEvent::EntityId))
                .col(uuid_null(AuditEvent::SubjectId))
                .col(string(AuditEvent::Purpose))
                .col(string(AuditEvent::Outcome))
                .col(binary(AuditEvent::PrevHash))
                .col(binary(AuditEvent::Hash))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("ix_audit_subject", AuditEvent::SubjectId),
            ("ix_audit_actor", AuditEvent::Actor),
            ("ix_audit_action", AuditEvent::Action),
            ("ix_audit_at", AuditEvent::At),
        ] {
            m.create_index(Index::create().name(name).table(AuditEvent::Table).col(col).to_owned()).await?;
        }

        m.create_table(
            Table::create()
                .table(AuditHead::Table)
                .col(ColumnDef::new(AuditHead::Id).integer().not_null().primary_key())
                .col(big_int(AuditHead::Seq))
                .col(binary(AuditHead::Hash))
                .to_owned(),
        )
        .await?;

        let db = m.get_connection();
        match m.get_database_backend() {
            DbBackend::Sqlite => {
                for (name, event) in
                    [("audit_event_no_update", "UPDATE"), ("audit_event_no_delete", "DELETE")]
                {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {name} BEFORE {event} ON audit_event \
                         BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
                    ))
                    .await?;
                }
            }
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION cuspid_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS \
                     $$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event \
                     FOR EACH ROW EXECUTE FUNCTION cuspid_audit_append_only()",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event \
                     FOR EACH STATEMENT EXECUTE FUNCTION cuspid_audit_append_only()",
                )
                .await?;
            }
            other => {
                return Err(DbErr::Migration(format!("unsupported database backend {other:?}")));
            }
        }
        Ok(())
    }
}
