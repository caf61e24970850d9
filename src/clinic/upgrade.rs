//! One-time upgrades of a clinic written by an earlier build, made at the first
//! sign-in that holds the keys: row MACs, bound columns, blind-index format.

use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use crate::audit::{AuditAction, AuditWriter, Event};
use crate::auth::ClinicKeys;
use crate::error::{Error, Result};
use crate::store::entities::{audit_event, clinic_meta};

use super::Clinic;

impl Clinic {
    /// Give the staff rows and key slots of a clinic written before row MACs theirs
    /// (trusted as they stand at this first sign-in), in one transaction.
    pub(super) async fn seal_rows(&self, keys: &ClinicKeys) -> Result<()> {
        let tx = self.store.begin().await?;
        let current = clinic_meta::Entity::find_by_id(1).one(&tx).await?.ok_or(Error::NotInitialised)?;
        if current.row_macs >= crate::integrity::ROW_MACS {
            return Ok(());
        }
        crate::integrity::remac_slots(&tx, &keys.audit_key, None).await?;
        let event = Event::new(AuditAction::StaffRowMacs, "staff")
            .purpose("staff rows and key slots given their MACs");
        let value = crate::integrity::ROW_MACS;
        self.finish_upgrade(tx, keys, "upgrade", event, (clinic_meta::Column::RowMacs, value), |m| {
            m.row_macs = value;
        })
        .await
    }

    /// End a one-time upgrade of the stored format in its own transaction: set the
    /// metadata's `column` to `value`, log `event`, commit, move the checkpoint and
    /// the cached metadata (`cached`).
    async fn finish_upgrade(
        &self,
        tx: DatabaseTransaction,
        keys: &ClinicKeys,
        actor: &str,
        event: Event,
        (column, value): (clinic_meta::Column, i32),
        cached: impl FnOnce(&mut clinic_meta::Model),
    ) -> Result<()> {
        clinic_meta::Entity::update_many()
            .col_expr(column, value.into())
            .filter(clinic_meta::Column::Id.eq(1))
            .exec(&tx)
            .await?;
        let mut audit = AuditWriter::begin(&tx).await?;
        audit.append(&self.system_actor(actor, None), event);
        let (seq, hash) = audit.flush(&tx).await?;
        tx.commit().await?;
        self.save_checkpoint(&keys.checkpoint, seq, hash);
        if let Ok(mut m) = self.meta.write()
            && let Some(m) = m.as_mut()
        {
            cached(m);
        }
        Ok(())
    }

    /// Bind the sealed values of a clinic written by an earlier build to their rows'
    /// plain columns, in one transaction (another workstation doing the same finds it
    /// done). It happens once: the flag turned back by SQL, to launder an older value
    /// through it, is refused, since the log already says it was done.
    pub(super) async fn bind_columns(&self, keys: &ClinicKeys) -> Result<()> {
        let tx = self.store.begin().await?;
        let current = clinic_meta::Entity::find_by_id(1).one(&tx).await?.ok_or(Error::NotInitialised)?;
        if current.bound_columns >= crate::binding::BOUND_COLUMNS {
            return Ok(());
        }
        let done_before = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq(BIND_ACTION.as_str()))
            .one(&tx)
            .await?
            .is_some();
        if done_before {
            return Err(Error::Tampered(
                "the database says its values were never bound to their rows, but the log says they were"
                    .into(),
            ));
        }
        let done = crate::binding::bind_all(&tx, keys).await?;
        let event = Event::new(BIND_ACTION, "clinic").purpose(format!(
            "{} sealed values bound to their rows' plain columns, {} did not open",
            done.values, done.unreadable
        ));
        let value = crate::binding::BOUND_COLUMNS;
        self.finish_upgrade(tx, keys, "upgrade", event, (clinic_meta::Column::BoundColumns, value), |m| {
            m.bound_columns = value;
        })
        .await?;
        tracing::info!(
            values = done.values,
            unreadable = done.unreadable,
            "sealed values bound to their rows"
        );
        Ok(())
    }

    /// Bring the blind indexes of a clinic written by an earlier build to today's
    /// format, in one transaction (another workstation doing the same finds it done).
    pub(super) async fn reindex(&self, keys: &ClinicKeys) -> Result<()> {
        let tx = self.store.begin().await?;
        let current = clinic_meta::Entity::find_by_id(1).one(&tx).await?.ok_or(Error::NotInitialised)?;
        if current.index_version >= crate::patients::INDEX_VERSION {
            return Ok(());
        }
        let count = crate::patients::reindex_names(&tx, keys).await?;
        let event = Event::new(AuditAction::PatientReindex, "patient")
            .purpose(format!("{count} records' name indexes"));
        let value = crate::patients::INDEX_VERSION;
        self.finish_upgrade(tx, keys, "re-index", event, (clinic_meta::Column::IndexVersion, value), |m| {
            m.index_version = value;
        })
        .await?;
        tracing::info!(count, "blind indexes brought to the current format");
        Ok(())
    }
}

/// The event that records the one-time binding of sealed values to their rows.
const BIND_ACTION: AuditAction = AuditAction::ClinicBindColumns;
