//! The retention job (`cuspid retention run`, a button for the DPO): records whose
//! period in the retention schedule has run out are erased by the same
//! crypto-shredding as an erasure request, and disabled staff accounts past their
//! period are anonymised. A preview shows what would go; a run writes one summary
//! event besides each erasure's own.
//!
//! A patient's medical record is kept `medical_records` from the last activity on it:
//! the latest chart entry, clinical record, X-ray or treatment plan, or the record's
//! own last change, consent or request, whichever is newest.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::erasure::{Job, erase_in};
use crate::audit::{AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Gdpr;
use crate::error::Result;
use crate::store::entities::{
    chart_entry, clinical_record, consent, erasure, patient, staff, subject_request, treatment_plan, xray,
};

/// A patient whose record's period has run out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PurgePatient {
    pub patient_id: Uuid,
    /// Last name first, as lists show it.
    pub display_name: String,
    /// `YYYY-MM-DD`: the last change, consent or request.
    pub last_activity: String,
    /// `YYYY-MM-DD`: when the retention period ended.
    pub period_ended: String,
    /// Why it was not erased (a run only), e.g. the only guardian of a minor.
    #[ts(optional = nullable)]
    pub skipped: Option<crate::rules::Rule>,
}

/// A disabled staff account past its period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PurgeStaff {
    pub username: String,
    /// What the account is called after anonymisation.
    pub anonymised_as: String,
    pub last_seen: String,
}

/// What a retention run would do (`applied` false) or did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RetentionRun {
    pub applied: bool,
    pub patients: Vec<PurgePatient>,
    pub staff: Vec<PurgeStaff>,
    /// Records destroyed and kept, as the store reported them (a run only).
    #[ts(type = "number")]
    pub erased_records: u64,
    /// Erasures whose kept records' period ended: their retention keys are (or would
    /// be, in a preview) destroyed.
    #[ts(type = "number")]
    pub retention_keys_destroyed: u64,
    #[ts(type = "number")]
    pub kept_records: u64,
}

fn day_of(micros: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp_micros(micros).map(|t| t.date_naive()).unwrap_or(NaiveDate::MIN)
}

/// The anonymous name of a staff account: the random tail of its id.
fn anonymous_name(id: Uuid) -> String {
    let hex = id.simple().to_string();
    format!("former-{}", &hex[hex.len() - 12..])
}

/// The latest `at` of each patient's rows of `E` (one grouped query).
async fn latest_by_patient<E: EntityTrait>(
    db: &impl sea_orm::ConnectionTrait,
    patient: E::Column,
    at: E::Column,
) -> Result<Vec<(Uuid, Option<i64>)>> {
    Ok(E::find()
        .select_only()
        .column(patient)
        .column_as(at.max(), "at")
        .group_by(patient)
        .into_tuple()
        .all(db)
        .await?)
}

impl Gdpr<'_> {
    /// Show (`apply` false) or carry out the retention job (DPO, `retention.manage`).
    pub async fn retention_run(&self, s: &Session, apply: bool) -> Result<RetentionRun> {
        let permit = self.authorize(s, Action::RetentionManage).await?;
        let rules = self.retention_rules(s).await?;
        self.check_key_current(s)?;
        let today = chrono::Local::now().date_naive();
        let records = crate::gdpr::retention::rule(&rules, "medical_records")?;
        let accounts = crate::gdpr::retention::rule(&rules, "staff_accounts")?;
        let mut w = self.work(permit).await?;

        // The last activity of every patient, from one aggregate a record kind.
        let mut last: std::collections::HashMap<Uuid, i64> = patient::Entity::find()
            .filter(patient::Column::Status.ne(crate::patients::gdpr::ERASED))
            .select_only()
            .column(patient::Column::Id)
            .column(patient::Column::UpdatedAt)
            .into_tuple::<(Uuid, i64)>()
            .all(&w.tx)
            .await?
            .into_iter()
            .collect();
        let consents =
            latest_by_patient::<consent::Entity>(&w.tx, consent::Column::PatientId, consent::Column::At)
                .await?;
        let requests = latest_by_patient::<subject_request::Entity>(
            &w.tx,
            subject_request::Column::PatientId,
            subject_request::Column::CreatedAt,
        )
        .await?;
        let charted = latest_by_patient::<chart_entry::Entity>(
            &w.tx,
            chart_entry::Column::PatientId,
            chart_entry::Column::RecordedAt,
        )
        .await?;
        let recorded = latest_by_patient::<clinical_record::Entity>(
            &w.tx,
            clinical_record::Column::PatientId,
            clinical_record::Column::RecordedAt,
        )
        .await?;
        let imaged =
            latest_by_patient::<xray::Entity>(&w.tx, xray::Column::PatientId, xray::Column::RecordedAt)
                .await?;
        let planned = latest_by_patient::<treatment_plan::Entity>(
            &w.tx,
            treatment_plan::Column::PatientId,
            treatment_plan::Column::UpdatedAt,
        )
        .await?;
        let all =
            consents.into_iter().chain(requests).chain(charted).chain(recorded).chain(imaged).chain(planned);
        for (id, at) in all {
            if let (Some(latest), Some(at)) = (last.get_mut(&id), at) {
                *latest = (*latest).max(at);
            }
        }
        let mut due: Vec<(Uuid, NaiveDate, NaiveDate)> = last
            .into_iter()
            .map(|(id, at)| (id, day_of(at), records.ends(day_of(at))))
            .filter(|(_, _, ends)| *ends <= today)
            .collect();
        due.sort_by_key(|(id, _, _)| *id);

        let mut run = RetentionRun {
            applied: apply,
            patients: Vec::new(),
            staff: Vec::new(),
            erased_records: 0,
            kept_records: 0,
            retention_keys_destroyed: 0,
        };
        for (id, last_activity, ended) in due {
            let row = crate::patients::find_row(&w.tx, id).await?;
            let display_name =
                crate::patients::open_display_name(&crate::patients::cipher_for(&s.keys, &row)?, &row)?;
            w.audit(Event::new(AuditAction::PatientRead, "patient").subject(id).purpose("retention job"));
            let mut line = PurgePatient {
                patient_id: id,
                display_name,
                last_activity: last_activity.to_string(),
                period_ended: ended.to_string(),
                skipped: None,
            };
            if apply {
                let job = Job {
                    request_id: None,
                    relationship_end: last_activity,
                    rules: &rules,
                    why: "retention",
                };
                match erase_in(&mut w, s, &row, &job).await {
                    Ok(report) => {
                        for p in &report.parts {
                            run.erased_records += p.erased;
                            run.kept_records += p.kept;
                        }
                    }
                    // A module refused before anything was written (the only guardian of a minor).
                    Err(crate::Error::InvalidInput(rule)) => line.skipped = Some(rule),
                    Err(e) => return Err(e),
                }
            }
            run.patients.push(line);
        }

        // What an erasure kept goes when its last period ends: the retention key is
        // destroyed, and every kept record under it becomes noise at once.
        let kept = erasure::Entity::find()
            .filter(erasure::Column::RetentionKeyDestroyedAt.is_null())
            .filter(erasure::Column::KeptUntil.is_not_null())
            .all(&w.tx)
            .await?;
        for e in kept {
            let until = e.kept_until.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            if until.is_none_or(|d| d >= today) || e.retention_key.is_none() {
                continue;
            }
            run.retention_keys_destroyed += 1;
            if apply {
                erasure::Entity::update_many()
                    .col_expr(erasure::Column::RetentionKey, Option::<Vec<u8>>::None.into())
                    .col_expr(erasure::Column::Label, Option::<Vec<u8>>::None.into())
                    .col_expr(
                        erasure::Column::RetentionKeyDestroyedAt,
                        Some(crate::audit::now_micros()).into(),
                    )
                    .filter(erasure::Column::Id.eq(e.id))
                    .exec(&w.tx)
                    .await?;
                w.audit(
                    Event::new(AuditAction::RetentionDestroyKey, "erasure")
                        .entity(e.id)
                        .subject(e.patient_id)
                        .purpose("the kept records' period ended"),
                );
            }
        }

        let old_staff = staff::Entity::find().filter(staff::Column::Active.eq(false)).all(&w.tx).await?;
        for member in old_staff {
            let seen = day_of(member.last_login_at.unwrap_or(member.created_at));
            if member.username.starts_with("former-") || accounts.ends(seen) > today {
                continue;
            }
            let anonymised_as = anonymous_name(member.id);
            run.staff.push(PurgeStaff {
                username: member.username.clone(),
                anonymised_as: anonymised_as.clone(),
                last_seen: seen.to_string(),
            });
            if apply {
                let id = member.id;
                let mut row: staff::ActiveModel = member.into();
                row.username = Set(anonymised_as);
                row.last_login_at = Set(None);
                row.update(&w.tx).await?;
                crate::integrity::remac_staff(&w.tx, &s.keys.audit_key, id).await?;
                w.audit(Event::new(AuditAction::StaffAnonymise, "staff").entity(id).purpose("retention job"));
            }
        }

        let erased = run.patients.iter().filter(|p| p.skipped.is_none()).count();
        w.audit(Event::new(AuditAction::RetentionRun, "retention").purpose(if apply {
            format!(
                "retention run: {erased} records erased ({} rows destroyed, {} kept), {} retention keys destroyed, {} staff accounts anonymised",
                run.erased_records,
                run.kept_records,
                run.retention_keys_destroyed,
                run.staff.len()
            )
        } else {
            format!("retention preview: {} records due, {} staff accounts due", run.patients.len(), run.staff.len())
        }));
        w.commit().await?;
        if apply && erased > 0 {
            self.scrub_after_erasure().await;
        }
        Ok(run)
    }
}
