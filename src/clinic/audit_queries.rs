//! Reading the audit log: the chain check against this workstation's checkpoint,
//! the filtered listing and its CSV export.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::audit::{self, AuditAction, AuditEventDto, AuditFilter, Checkpoint, Event, Outcome, VerifyReport};
use crate::auth::{Action, Session};
use crate::error::{Error, Result};
use crate::store::entities::audit_event;

use super::Clinic;

impl Clinic {
    /// Walk the whole chain, and check it still reaches this workstation's checkpoint.
    pub async fn verify_audit(&self, s: &Session) -> Result<VerifyReport> {
        let permit = self.authorize(s, Action::AuditVerify).await?;
        let meta = self.meta()?;
        // The newest of this workstation's checkpoints (its state folder, the mirror).
        // Signing in wrote one, so none at all means someone deleted them.
        let mut checkpoint = None;
        let mut unreadable = None;
        for dir in std::iter::once(&self.state_dir).chain(self.checkpoint_mirror.as_ref()) {
            match audit::checkpoint_load(dir, meta.clinic_id, &s.keys.checkpoint) {
                Ok(found)
                    if found.as_ref().map(|c| c.seq) > checkpoint.as_ref().map(|c: &Checkpoint| c.seq) =>
                {
                    checkpoint = found;
                }
                Ok(_) => {}
                Err(e) => unreadable = Some(e),
            }
        }
        // The walk reads committed events without holding the write lock; its own
        // event is appended afterwards, saying what it found.
        let result = match (unreadable, checkpoint) {
            (Some(e), _) => Err(e),
            (None, Some(cp)) => audit::verify_chain(&self.store, Some(cp)).await,
            (None, None) => Err(Error::CheckpointMissing),
        };
        // The staff rows and key slots, against their MACs.
        let result = match result {
            Ok(r) => crate::integrity::check_all(self.store.connection(), &s.keys).await.map(|_| r),
            Err(e) => Err(e),
        };
        let event = match &result {
            Ok(r) => {
                Event::new(AuditAction::AuditVerify, "audit").purpose(format!("{} events verified", r.events))
            }
            Err(e) => {
                Event::new(AuditAction::AuditVerify, "audit").purpose(e.to_string()).outcome(Outcome::Failure)
            }
        };
        let mut w = self.work(permit).await?;
        w.audit(event);
        w.commit().await?;
        result
    }

    /// The events `filter` selects as CSV, for the DPO to keep or send (the export is
    /// itself audited by the listing).
    pub async fn audit_csv(&self, s: &Session, filter: &AuditFilter) -> Result<String> {
        let events = self.list_audit(s, filter).await?;
        let fail = |_| Error::Internal("the audit events could not be written as CSV".into());
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "seq",
            "at",
            "actor",
            "role",
            "workstation",
            "action",
            "entity_type",
            "entity_id",
            "patient_id",
            "purpose",
            "outcome",
        ])
        .map_err(fail)?;
        for e in events {
            w.write_record(
                [
                    e.seq.to_string(),
                    e.at,
                    e.actor,
                    e.role,
                    e.workstation,
                    e.action,
                    e.entity_type,
                    e.entity_id.unwrap_or_default(),
                    e.patient_id.map(|p| p.to_string()).unwrap_or_default(),
                    e.purpose,
                    e.outcome,
                ]
                .map(crate::files::csv_cell),
            )
            .map_err(fail)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|_| Error::Internal("the audit events could not be written as CSV".into()))?;
        String::from_utf8(bytes)
            .map_err(|_| Error::Internal("the audit events could not be written as CSV".into()))
    }

    /// Events matching every given filter, oldest first.
    pub async fn list_audit(&self, s: &Session, filter: &AuditFilter) -> Result<Vec<AuditEventDto>> {
        let mut w = self.begin(s, Action::AuditList).await?;
        let mut q = audit_event::Entity::find().order_by_asc(audit_event::Column::Seq);
        if let Some(p) = filter.patient {
            q = q.filter(audit_event::Column::SubjectId.eq(p));
        }
        if let Some(staff) = &filter.staff {
            q = q.filter(audit_event::Column::Actor.eq(staff.as_str()));
        }
        if let Some(action) = &filter.action {
            q = q.filter(audit_event::Column::Action.eq(action.as_str()));
        }
        if let Some(since) = filter.since {
            q = q.filter(audit_event::Column::At.gte(since.timestamp_micros()));
        }
        if let Some(until) = filter.until {
            q = q.filter(audit_event::Column::At.lt(until.timestamp_micros()));
        }
        if let Some(limit) = filter.limit {
            q = q.limit(limit);
        }
        let rows = q.all(&w.tx).await?;
        w.audit(Event::new(AuditAction::AuditList, "audit").purpose(format!("{} events listed", rows.len())));
        w.commit().await?;
        Ok(rows.into_iter().map(AuditEventDto::from).collect())
    }
}
