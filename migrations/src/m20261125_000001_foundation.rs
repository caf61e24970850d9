//! Clinic metadata and keys, staff, key slots, patients and their rectification
//! history, and the hash-chained audit log with its append-only triggers.

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
                .col(ColumnDef::new(ClinicMeta::Magic).string().not_null())
                .col(ColumnDef::new(ClinicMeta::ClinicId).uuid().not_null())
                .col(ColumnDef::new(ClinicMeta::Name).string().not_null())
                .col(ColumnDef::new(ClinicMeta::KekId).uuid().not_null())
                .col(ColumnDef::new(ClinicMeta::KekCheck).binary().not_null())
                .col(ColumnDef::new(ClinicMeta::IndexKeyWrapped).binary().not_null())
                .col(ColumnDef::new(ClinicMeta::AuditKeyWrapped).binary().not_null())
                .col(ColumnDef::new(ClinicMeta::Sealing).string().not_null())
                .col(ColumnDef::new(ClinicMeta::CreatedAt).big_integer().not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Staff::Table)
                .col(ColumnDef::new(Staff::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Staff::Username).string().not_null().unique_key())
                .col(ColumnDef::new(Staff::Role).string().not_null())
                .col(ColumnDef::new(Staff::Active).boolean().not_null())
                .col(ColumnDef::new(Staff::FailedAttempts).integer().not_null())
                .col(ColumnDef::new(Staff::LockedUntil).big_integer().null())
                .col(ColumnDef::new(Staff::LastLoginAt).big_integer().null())
                .col(ColumnDef::new(Staff::CreatedAt).big_integer().not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(KeySlot::Table)
                .col(ColumnDef::new(KeySlot::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(KeySlot::Kind).string().not_null())
                .col(ColumnDef::new(KeySlot::StaffId).uuid().null())
                .col(ColumnDef::new(KeySlot::KekId).uuid().not_null())
                .col(ColumnDef::new(KeySlot::MKib).integer().not_null())
                .col(ColumnDef::new(KeySlot::TCost).integer().not_null())
                .col(ColumnDef::new(KeySlot::PCost).integer().not_null())
                .col(ColumnDef::new(KeySlot::Salt).binary().not_null())
                .col(ColumnDef::new(KeySlot::Wrapped).binary().not_null())
                .col(ColumnDef::new(KeySlot::CreatedAt).big_integer().not_null())
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
                .col(ColumnDef::new(Patient::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Patient::KekId).uuid().not_null())
                .col(ColumnDef::new(Patient::DekGen).integer().not_null())
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
                .col(ColumnDef::new(Patient::BidxCnp).big_integer().null())
                .col(ColumnDef::new(Patient::BidxPhone).big_integer().null())
                .col(ColumnDef::new(Patient::BidxEmail).big_integer().null())
                .col(ColumnDef::new(Patient::BidxFirst3).big_integer().null())
                .col(ColumnDef::new(Patient::BidxFirst5).big_integer().null())
                .col(ColumnDef::new(Patient::BidxLast3).big_integer().null())
                .col(ColumnDef::new(Patient::BidxLast5).big_integer().null())
                .col(ColumnDef::new(Patient::Restriction).string().not_null())
                .col(ColumnDef::new(Patient::CreatedAt).big_integer().not_null())
                .col(ColumnDef::new(Patient::UpdatedAt).big_integer().not_null())
                .col(ColumnDef::new(Patient::Version).integer().not_null())
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
            Table::create()
                .table(PatientHistory::Table)
                .col(ColumnDef::new(PatientHistory::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(PatientHistory::PatientId).uuid().not_null())
                .col(ColumnDef::new(PatientHistory::ChangedAt).big_integer().not_null())
                .col(ColumnDef::new(PatientHistory::ChangedBy).uuid().not_null())
                .col(ColumnDef::new(PatientHistory::Reason).binary().not_null())
                .col(ColumnDef::new(PatientHistory::Previous).binary().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(PatientHistory::Table, PatientHistory::PatientId)
                        .to(Patient::Table, Patient::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_patient_history_patient")
                .table(PatientHistory::Table)
                .col(PatientHistory::PatientId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditEvent::Table)
                .col(ColumnDef::new(AuditEvent::Seq).big_integer().not_null().primary_key())
                .col(ColumnDef::new(AuditEvent::At).big_integer().not_null())
                .col(ColumnDef::new(AuditEvent::ActorId).uuid().null())
                .col(ColumnDef::new(AuditEvent::Actor).string().not_null())
                .col(ColumnDef::new(AuditEvent::Role).string().not_null())
                .col(ColumnDef::new(AuditEvent::Workstation).string().not_null())
                .col(ColumnDef::new(AuditEvent::Action).string().not_null())
                .col(ColumnDef::new(AuditEvent::EntityType).string().not_null())
                .col(ColumnDef::new(AuditEvent::EntityId).string().null())
                .col(ColumnDef::new(AuditEvent::SubjectId).uuid().null())
                .col(ColumnDef::new(AuditEvent::Purpose).string().not_null())
                .col(ColumnDef::new(AuditEvent::Outcome).string().not_null())
                .col(ColumnDef::new(AuditEvent::PrevHash).binary().not_null())
                .col(ColumnDef::new(AuditEvent::Hash).binary().not_null())
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
                .col(ColumnDef::new(AuditHead::Seq).big_integer().not_null())
                .col(ColumnDef::new(AuditHead::Hash).binary().not_null())
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
