//! The clinical record beside the tooth chart: the medical history (anamnesis) with
//! its alerts, clinical notes with their amendments, periodontal examinations.
//!
//! Each is a row of `clinical_record`, sealed under the patient's key and never
//! overwritten. The use cases in the submodules check the permission, validate
//! their input, open the patient ([`PatientWork`]) and read or append records of
//! one [`Kind`] through it.

pub mod anamnesis;
pub mod chart;
pub mod gdpr;
pub mod imaging;
pub mod notes;
pub mod perio;
pub mod plans;

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Clinical;
use crate::crypto::{Bound, FieldCipher, Place, Sealed};
use crate::error::{Error, Result};
use crate::patients::PatientWork;
use crate::rules::{Rule, Subject};
use crate::store::entities::clinical_record;

/// The kinds of clinical record (the plain `kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    MedicalHistory,
    Note,
    Perio,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::MedicalHistory => "medical_history",
            Kind::Note => "note",
            Kind::Perio => "perio",
        }
    }
}

/// What a record's content is bound to: whose, which kind, its date, what it
/// follows (an amendment's original), who recorded it and when.
pub(crate) fn bound(r: &clinical_record::Model) -> Bound {
    Bound::new()
        .id("patient", r.patient_id)
        .text("kind", &r.kind)
        .text("entry_date", &r.entry_date)
        .opt_id("follows", r.follows)
        .int("recorded_at", r.recorded_at)
        .id("recorded_by", r.recorded_by)
}

pub(crate) fn content_addr(id: Uuid, b: &Bound) -> Place<'_, Vec<u8>> {
    clinical_record::CONTENT.at(id).bound(b)
}

/// One record opened: its plain columns, who recorded it, and its content.
#[derive(Clone)]
pub(crate) struct Stored<T> {
    pub id: Uuid,
    pub date: String,
    pub follows: Option<Uuid>,
    pub recorded_by: String,
    pub recorded_at: String,
    pub content: T,
}

/// The ids only: the day, who wrote it and what it says are the patient's record.
impl<T> std::fmt::Debug for Stored<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Stored { id, follows, date: _, recorded_by: _, recorded_at: _, content: _ } = self;
        let hidden = &crate::redact::Redacted;
        f.debug_struct("Stored")
            .field("id", id)
            .field("follows", follows)
            .field("date", hidden)
            .field("recorded_by", hidden)
            .field("recorded_at", hidden)
            .field("content", hidden)
            .finish()
    }
}

pub(crate) fn open<T: DeserializeOwned>(
    cipher: &FieldCipher,
    row: &clinical_record::Model,
    names: &HashMap<Uuid, String>,
) -> Result<Stored<T>> {
    let content = serde_json::from_slice(&cipher.open(content_addr(row.id, &bound(row)), &row.content)?)
        .map_err(|_| Error::Tampered(format!("clinical record {} is malformed", row.id)))?;
    Ok(Stored {
        id: row.id,
        date: row.entry_date.clone(),
        follows: row.follows,
        recorded_by: names.get(&row.recorded_by).cloned().unwrap_or_else(|| "unknown".into()),
        recorded_at: audit::format_micros(row.recorded_at),
        content,
    })
}

/// Every record of `kind` of `patient`, opened, oldest first (by day, then by when
/// it was written).
pub(crate) async fn of_kind<T: DeserializeOwned>(
    db: &impl sea_orm::ConnectionTrait,
    cipher: &FieldCipher,
    names: &HashMap<Uuid, String>,
    patient: Uuid,
    kind: Kind,
) -> Result<Vec<Stored<T>>> {
    clinical_record::Entity::find()
        .filter(clinical_record::Column::PatientId.eq(patient))
        .filter(clinical_record::Column::Kind.eq(kind.as_str()))
        .order_by_asc(clinical_record::Column::EntryDate)
        .order_by_asc(clinical_record::Column::RecordedAt)
        .all(db)
        .await?
        .iter()
        .map(|r| open(cipher, r, names))
        .collect()
}

impl PatientWork<'_> {
    /// Every clinical record of `kind`, oldest first.
    pub async fn records<T: DeserializeOwned>(&self, kind: Kind) -> Result<Vec<Stored<T>>> {
        of_kind(self.tx(), &self.cipher, &self.names, self.id(), kind).await
    }

    /// One clinical record of `kind` of this patient.
    pub async fn record<T: DeserializeOwned>(&self, kind: Kind, id: Uuid) -> Result<Stored<T>> {
        let row = clinical_record::Entity::find_by_id(id)
            .one(self.tx())
            .await?
            .filter(|r| r.patient_id == self.id() && r.kind == kind.as_str())
            .ok_or(Error::NotFound(Subject::ClinicalRecord))?;
        open(&self.cipher, &row, &self.names)
    }

    /// Append a clinical record of `kind`, sealed, with its audit event.
    pub async fn append_record<T: Serialize + DeserializeOwned>(
        &mut self,
        kind: Kind,
        date: NaiveDate,
        follows: Option<Uuid>,
        content: &T,
        event: Event,
    ) -> Result<Stored<T>> {
        let id = Uuid::now_v7();
        let bytes = serde_json::to_vec(content).map_err(|e| Error::Internal(e.to_string()))?;
        let mut row = clinical_record::Model {
            id,
            patient_id: self.id(),
            kind: kind.as_str().to_owned(),
            entry_date: date.to_string(),
            content: Sealed::pending(),
            follows,
            recorded_at: audit::now_micros(),
            recorded_by: self.staff(),
        };
        row.content = self.cipher.seal(content_addr(id, &bound(&row)), &bytes);
        clinical_record::Entity::insert(clinical_record::ActiveModel::from(row.clone()))
            .exec(self.tx())
            .await?;
        self.audit(event.entity(id));
        open(&self.cipher, &row, &self.names)
    }

    /// Audit a read of this patient's clinical `what` and commit.
    pub async fn finish_read(mut self, action: AuditAction, what: &str) -> Result<()> {
        self.audit(Event::new(action, "clinical_record").purpose(what.to_owned()));
        self.commit().await
    }
}

impl Clinical<'_> {
    /// The shape of every "record one" use case: the permission first, then the input
    /// (`check` gives the record's day and content), then the patient (refused while
    /// restricted) and one appended record of `kind`, audited as `action` for `what`.
    pub(crate) async fn append_clinical<T, D>(
        &self,
        s: &Session,
        patient: Uuid,
        kind: Kind,
        (action, what): (AuditAction, &'static str),
        check: impl FnOnce() -> Result<(NaiveDate, T)>,
    ) -> Result<D>
    where
        T: Serialize + DeserializeOwned,
        D: From<Stored<T>>,
    {
        let permit = self.authorize(s, Action::ChartWrite).await?;
        let (date, content) = check()?;
        let mut r = self.patient_to_change(permit, patient).await?;
        let stored = r
            .append_record(kind, date, None, &content, Event::new(action, "clinical_record").purpose(what))
            .await?;
        r.commit().await?;
        Ok(stored.into())
    }

    /// The shape of every "read them" use case: the patient's records of `kind`
    /// (oldest first) as `view` shows them, the read audited as `action` for `what`,
    /// a record that fails its check noted for the integrity report.
    pub(crate) async fn read_clinical<T: DeserializeOwned, R>(
        &self,
        s: &Session,
        patient: Uuid,
        kind: Kind,
        (action, what): (AuditAction, &'static str),
        view: impl FnOnce(Vec<Stored<T>>) -> R,
    ) -> Result<R> {
        let result = async {
            let r = self.patient_to_read(self.authorize(s, Action::ChartRead).await?, patient).await?;
            let shown = view(r.records::<T>(kind).await?);
            r.finish_read(action, what).await?;
            Ok(shown)
        }
        .await;
        self.noting_integrity(s, Some(patient), result).await
    }
}

/// A clinical day: `YYYY-MM-DD`, a real date, not in the future.
pub(crate) fn clinical_day(s: &str) -> Result<NaiveDate> {
    let day =
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| Error::InvalidDate(Rule::DateFormat))?;
    if day > chrono::Local::now().date_naive() {
        return Err(Error::InvalidInput(Rule::ClinicalRecordInFuture));
    }
    Ok(day)
}

/// Trimmed free text, none when blank.
pub(crate) fn text(s: Option<String>) -> Option<String> {
    s.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}
