//! The data-subject request log (GDPR Art. 12): every access, rectification,
//! erasure, restriction, portability or objection request, who asked (the
//! patient, or a parent or guardian for them), how their identity was checked,
//! the one-month deadline, an extension of up to two more months with its
//! reason, and the outcome. The DPO's list puts open requests by due date,
//! overdue ones first.
//!
//! Deadlines follow Regulation 1182/71: a period of months ends on the same
//! date of the last month, or on that month's last day when it has no such date
//! (received 31 January -> due 28 or 29 February).
//!
//! An objection stops direct marketing at once (Art. 21(3)): registering one
//! records the withdrawal of the marketing consent in the same transaction.
//!
//! The log is kept for accountability after the patient's data is erased, so its
//! free text is sealed with a clinic key of its own (derived from the audit key,
//! stable across key rotation), not with the patient's data key.

pub mod letters;

use chrono::{Months, NaiveDate};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::admin::profile::load_profile;
use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Gdpr;
use crate::crypto::{FieldCipher, SecretKey};
use crate::documents::{Language, Recipient};
use crate::error::{Error, Result};
use crate::rules::{Rule, Subject};
use crate::store::entities::{patient_guardian, staff, subject_request};
use letters::{Extension, extension_letter};

/// What the person asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Access,
    Rectification,
    Erasure,
    Restriction,
    Portability,
    Objection,
}

impl RequestKind {
    pub const ALL: [RequestKind; 6] = [
        RequestKind::Access,
        RequestKind::Rectification,
        RequestKind::Erasure,
        RequestKind::Restriction,
        RequestKind::Portability,
        RequestKind::Objection,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::Rectification => "rectification",
            RequestKind::Erasure => "erasure",
            RequestKind::Restriction => "restriction",
            RequestKind::Portability => "portability",
            RequestKind::Objection => "objection",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        RequestKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or(Error::InvalidInput(Rule::UnknownRight))
    }
}

/// How a request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RequestOutcome {
    /// Done as asked.
    Granted,
    /// Done in part (say which part and why in the note).
    PartlyGranted,
    /// Refused, with the reason in the note (Art. 12(4)).
    Refused,
    /// The person withdrew it.
    Withdrawn,
}

impl RequestOutcome {
    const ALL: [RequestOutcome; 4] = [
        RequestOutcome::Granted,
        RequestOutcome::PartlyGranted,
        RequestOutcome::Refused,
        RequestOutcome::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestOutcome::Granted => "granted",
            RequestOutcome::PartlyGranted => "partly_granted",
            RequestOutcome::Refused => "refused",
            RequestOutcome::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        RequestOutcome::ALL
            .into_iter()
            .find(|o| o.as_str() == s.trim())
            .ok_or(Error::InvalidInput(Rule::UnknownOutcome))
    }
}

/// A request as it is received.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct NewRequest {
    pub patient_id: Uuid,
    pub kind: RequestKind,
    /// The day it reached the clinic, `YYYY-MM-DD` (the deadline runs from it).
    pub received_on: String,
    /// A linked parent or guardian asking for the patient, if so.
    #[ts(optional = nullable)]
    pub via_guardian: Option<Uuid>,
    /// How the person's identity was checked ("identity card shown at the desk").
    pub identity_check: String,
}

/// One request in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RequestDto {
    pub id: Uuid,
    pub patient_id: Uuid,
    /// "Bărbulescu Ioana", as lists show names (the read is audited).
    pub patient_name: String,
    pub kind: RequestKind,
    pub received_on: String,
    /// One month from receipt.
    pub due_on: String,
    /// Set when the deadline was extended (at most two more months).
    pub extended_to: Option<String>,
    /// The deadline in force: `extended_to`, else `due_on`.
    pub deadline: String,
    pub via_guardian: Option<Uuid>,
    pub identity_check: String,
    pub identity_checked_by: String,
    pub extension_reason: Option<String>,
    pub outcome: Option<RequestOutcome>,
    pub outcome_note: Option<String>,
    pub closed_on: Option<String>,
    /// Open and past its deadline on the day asked about.
    pub overdue: bool,
}

/// The last day to answer a request received on `received`: one month later.
pub fn due_date(received: NaiveDate) -> NaiveDate {
    received.checked_add_months(Months::new(1)).unwrap_or(received)
}

/// The latest an extension can reach: two more months after the first one.
pub fn latest_extension(received: NaiveDate) -> NaiveDate {
    received.checked_add_months(Months::new(3)).unwrap_or(received)
}

fn parse_day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| Error::InvalidDate(Rule::DateFormat))
}

fn stored_day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| Error::Tampered("a date in the request log is malformed".into()))
}

fn request_cipher(audit_key: &SecretKey) -> FieldCipher {
    FieldCipher::new(&audit_key.derive("subject-requests"), 0)
}

/// The longest note in the request log, in characters.
const MAX_NOTE_CHARS: usize = 2000;

fn required_text(value: &str, missing: impl FnOnce() -> Error) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(missing());
    }
    if v.chars().count() > MAX_NOTE_CHARS {
        return Err(Error::InvalidInput(Rule::RequestNoteTooLong { max: MAX_NOTE_CHARS }));
    }
    Ok(v.to_owned())
}

impl Gdpr<'_> {
    fn request_dto(
        &self,
        s: &Session,
        row: subject_request::Model,
        patient_name: String,
        checked_by: String,
        today: NaiveDate,
    ) -> Result<RequestDto> {
        let c = request_cipher(&s.keys.audit_key);
        let deadline = row.extended_to.clone().unwrap_or_else(|| row.due_on.clone());
        let overdue = row.closed_on.is_none() && stored_day(&deadline)? < today;
        Ok(RequestDto {
            id: row.id,
            patient_id: row.patient_id,
            patient_name,
            kind: RequestKind::parse(&row.kind)
                .map_err(|_| Error::Tampered("a request kind in the log is unknown".into()))?,
            identity_check: c.open(subject_request::IDENTITY_CHECK.at(row.id), &row.identity_check)?,
            extension_reason: c
                .open_opt(subject_request::EXTENSION_REASON.at(row.id), row.extension_reason.as_ref())?,
            outcome: row
                .outcome
                .as_deref()
                .map(RequestOutcome::parse)
                .transpose()
                .map_err(|_| Error::Tampered("a request outcome in the log is unknown".into()))?,
            outcome_note: c.open_opt(subject_request::OUTCOME_NOTE.at(row.id), row.outcome_note.as_ref())?,
            received_on: row.received_on,
            due_on: row.due_on,
            extended_to: row.extended_to,
            deadline,
            via_guardian: row.via_guardian,
            identity_checked_by: checked_by,
            closed_on: row.closed_on,
            overdue,
        })
    }

    /// The request `id` as the log shows it, read inside the caller's transaction.
    async fn request_in(
        &self,
        db: &impl ConnectionTrait,
        s: &Session,
        id: Uuid,
        today: NaiveDate,
    ) -> Result<RequestDto> {
        let row = find_request(db, id).await?;
        let by = staff_names(db, [row.identity_checked_by]).await?.into_iter().next().map(|(_, n)| n);
        let name = patient_name(db, s, row.patient_id).await?;
        self.request_dto(s, row, name, by.unwrap_or_default(), today)
    }

    /// Log a request as it arrives; the deadline is one month from receipt.
    pub async fn register_request(&self, s: &Session, new: NewRequest) -> Result<RequestDto> {
        let permit = self.authorize(s, Action::RequestManage).await?;
        let received = parse_day(&new.received_on)?;
        let today = chrono::Local::now().date_naive();
        if received > today {
            return Err(Error::InvalidDate(Rule::ReceivedInFuture));
        }
        let identity =
            required_text(&new.identity_check, || Error::InvalidInput(Rule::IdentityCheckRequired))?;
        let mut w = self.work(permit).await?;
        let patient = crate::patients::find_row(&w.tx, new.patient_id).await?;
        let name =
            crate::patients::open_display_name(&crate::patients::cipher_for(&s.keys, &patient)?, &patient)?;
        if let Some(g) = new.via_guardian {
            let linked = patient_guardian::Entity::find()
                .filter(patient_guardian::Column::PatientId.eq(new.patient_id))
                .filter(patient_guardian::Column::GuardianId.eq(g))
                .one(&w.tx)
                .await?;
            if linked.is_none() {
                return Err(Error::InvalidInput(Rule::RequesterNotLinked));
            }
        }
        let id = Uuid::now_v7();
        let c = request_cipher(&s.keys.audit_key);
        let row = subject_request::Model {
            id,
            patient_id: new.patient_id,
            kind: new.kind.as_str().into(),
            received_on: received.to_string(),
            due_on: due_date(received).to_string(),
            extended_to: None,
            via_guardian: new.via_guardian,
            identity_check: c.seal(subject_request::IDENTITY_CHECK.at(id), &identity),
            identity_checked_by: s.staff_id(),
            extension_reason: None,
            outcome: None,
            outcome_note: None,
            closed_on: None,
            created_at: audit::now_micros(),
            created_by: s.staff_id(),
        };
        subject_request::Entity::insert(subject_request::ActiveModel::from(row.clone())).exec(&w.tx).await?;
        // An objection to direct marketing has no balancing test: it stops at once (Art. 21(3)).
        if new.kind == RequestKind::Objection
            && let Some(event) =
                crate::consent::stop_marketing(&w.tx, s, &patient, new.via_guardian, id).await?
        {
            w.audit(event);
        }
        let checked_by = s.username().to_owned();
        w.audit(
            Event::new(AuditAction::RequestRegister, "subject_request")
                .entity(id)
                .subject(new.patient_id)
                .purpose(new.kind.as_str()),
        );
        w.commit().await?;
        self.request_dto(s, row, name, checked_by, today)
    }

    /// Extend the deadline by one or two months, with the reason the person will be
    /// told. Decided within the first month, at most three months from receipt.
    pub async fn extend_request(
        &self,
        s: &Session,
        id: Uuid,
        months: u32,
        reason: &str,
    ) -> Result<RequestDto> {
        let permit = self.authorize(s, Action::RequestManage).await?;
        if !(1..=2).contains(&months) {
            return Err(Error::InvalidInput(Rule::ExtensionMonths));
        }
        let reason = required_text(reason, || Error::InvalidInput(Rule::ExtensionReasonRequired))?;
        let today = chrono::Local::now().date_naive();
        let mut w = self.work(permit).await?;
        let row = find_request(&w.tx, id).await?;
        if row.closed_on.is_some() {
            return Err(Error::InvalidInput(Rule::RequestClosed));
        }
        if row.extended_to.is_some() {
            return Err(Error::InvalidInput(Rule::AlreadyExtended));
        }
        let due = stored_day(&row.due_on)?;
        if today > due {
            return Err(Error::InvalidInput(Rule::ExtensionTooLate));
        }
        let extended = due
            .checked_add_months(Months::new(months))
            .unwrap_or(due)
            .min(latest_extension(stored_day(&row.received_on)?));
        let sealed =
            request_cipher(&s.keys.audit_key).seal(subject_request::EXTENSION_REASON.at(id), &reason);
        subject_request::Entity::update(subject_request::ActiveModel {
            id: Set(id),
            extended_to: Set(Some(extended.to_string())),
            extension_reason: Set(Some(sealed)),
            ..Default::default()
        })
        .exec(&w.tx)
        .await?;
        w.audit(
            Event::new(AuditAction::RequestExtend, "subject_request")
                .entity(id)
                .subject(row.patient_id)
                .purpose(format!("deadline {} -> {extended}", row.due_on)),
        );
        let dto = self.request_in(&w.tx, s, id, today).await?;
        w.commit().await?;
        Ok(dto)
    }

    /// Close a request with its outcome and a note (the reason, for a refusal).
    pub async fn close_request(
        &self,
        s: &Session,
        id: Uuid,
        outcome: RequestOutcome,
        note: &str,
    ) -> Result<RequestDto> {
        let permit = self.authorize(s, Action::RequestManage).await?;
        let note = required_text(note, || Error::InvalidInput(Rule::ClosingNoteRequired))?;
        let today = chrono::Local::now().date_naive();
        let mut w = self.work(permit).await?;
        let row = find_request(&w.tx, id).await?;
        if row.closed_on.is_some() {
            return Err(Error::InvalidInput(Rule::RequestClosed));
        }
        let sealed = request_cipher(&s.keys.audit_key).seal(subject_request::OUTCOME_NOTE.at(id), &note);
        subject_request::Entity::update(subject_request::ActiveModel {
            id: Set(id),
            outcome: Set(Some(outcome.as_str().into())),
            outcome_note: Set(Some(sealed)),
            closed_on: Set(Some(today.to_string())),
            ..Default::default()
        })
        .exec(&w.tx)
        .await?;
        let late = stored_day(row.extended_to.as_deref().unwrap_or(&row.due_on))? < today;
        w.audit(
            Event::new(AuditAction::RequestClose, "subject_request")
                .entity(id)
                .subject(row.patient_id)
                .purpose(if late { format!("{} (late)", outcome.as_str()) } else { outcome.as_str().into() }),
        );
        let dto = self.request_in(&w.tx, s, id, today).await?;
        w.commit().await?;
        Ok(dto)
    }

    /// One request (its notes are about the person: the read is audited).
    pub async fn request(&self, s: &Session, id: Uuid) -> Result<RequestDto> {
        let mut w = self.begin(s, Action::RequestManage).await?;
        let dto = self.request_in(&w.tx, s, id, chrono::Local::now().date_naive()).await?;
        w.audit(Event::new(AuditAction::RequestRead, "subject_request").entity(id).subject(dto.patient_id));
        w.commit().await?;
        Ok(dto)
    }

    /// The log: open requests first, by deadline (overdue ones lead), then the
    /// closed ones, newest first. `open_only` leaves the closed ones out.
    pub async fn list_requests(&self, s: &Session, open_only: bool) -> Result<Vec<RequestDto>> {
        let mut w = self.begin(s, Action::RequestManage).await?;
        let mut q = subject_request::Entity::find();
        if open_only {
            q = q.filter(subject_request::Column::ClosedOn.is_null());
        }
        let rows = q.all(&w.tx).await?;
        let names = staff_names(&w.tx, rows.iter().map(|r| r.identity_checked_by)).await?;
        let mut patients: Vec<(Uuid, String)> = Vec::new();
        for r in &rows {
            if !patients.iter().any(|(id, _)| *id == r.patient_id) {
                patients.push((r.patient_id, patient_name(&w.tx, s, r.patient_id).await?));
                w.audit(
                    Event::new(AuditAction::PatientRead, "patient")
                        .subject(r.patient_id)
                        .purpose("request log"),
                );
            }
        }
        w.audit(
            Event::new(AuditAction::RequestList, "subject_request")
                .purpose(format!("{} requests listed", rows.len())),
        );
        w.commit().await?;
        let today = chrono::Local::now().date_naive();
        let mut out = rows
            .into_iter()
            .map(|r| {
                let by = names.iter().find(|(id, _)| *id == r.identity_checked_by).map(|(_, n)| n.clone());
                let name = patients.iter().find(|(id, _)| *id == r.patient_id).map(|(_, n)| n.clone());
                self.request_dto(s, r, name.unwrap_or_default(), by.unwrap_or_default(), today)
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by(|a, b| match (&a.closed_on, &b.closed_on) {
            (None, None) => a.deadline.cmp(&b.deadline),
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => y.cmp(x),
        });
        Ok(out)
    }
}

impl Gdpr<'_> {
    /// The letter telling the person their request's deadline was extended (Art.
    /// 12(3)), as PDF bytes, addressed to whoever asked (the patient, or the parent
    /// or guardian who asked for them). Reading their name and address is audited.
    pub async fn request_extension_letter(&self, s: &Session, id: Uuid, lang: Language) -> Result<Vec<u8>> {
        let mut w = self.begin(s, Action::RequestManage).await?;
        let row = find_request(&w.tx, id).await?;
        let (Some(extended_to), Some(reason)) = (&row.extended_to, &row.extension_reason) else {
            return Err(Error::InvalidInput(Rule::NotExtended));
        };
        let clinic = self.letter_profile(&w.tx, s).await?;
        let reason =
            request_cipher(&s.keys.audit_key).open(subject_request::EXTENSION_REASON.at(id), reason)?;
        let patient = crate::patients::find_row(&w.tx, row.patient_id).await?;
        let addressee = letter_recipient(&w.tx, s, &patient, row.via_guardian).await?;
        for e in addressee.reads {
            w.audit(e);
        }
        let to = addressee.to;
        let ext = Extension {
            kind: RequestKind::parse(&row.kind)
                .map_err(|_| Error::Tampered("a request kind in the log is unknown".into()))?,
            received: stored_day(&row.received_on)?,
            due: stored_day(&row.due_on)?,
            extended_to: stored_day(extended_to)?,
            reason: &reason,
        };
        let pdf = extension_letter(&clinic, &to, &ext, chrono::Local::now().date_naive(), lang)?;
        w.audit(
            Event::new(AuditAction::RequestLetter, "subject_request")
                .entity(id)
                .subject(row.patient_id)
                .purpose("extension letter"),
        );
        w.commit().await?;
        Ok(pdf)
    }
}

impl Gdpr<'_> {
    /// The clinic's particulars for a letter's head, or a clear error when missing.
    pub(crate) async fn letter_profile(
        &self,
        db: &impl ConnectionTrait,
        s: &Session,
    ) -> Result<crate::admin::profile::ClinicProfile> {
        load_profile(db, &self.meta()?, &s.keys.audit_key)
            .await?
            .ok_or(Error::InvalidInput(Rule::ParticularsRequired))
    }
}

impl Gdpr<'_> {
    /// The edits made to answer rectification request `id`, with the values before
    /// and after each (DPO; reading them is a `patient.history` read, audited).
    pub async fn request_edits(
        &self,
        s: &Session,
        id: Uuid,
    ) -> Result<Vec<crate::patients::HistoryEntryDto>> {
        self.authorize(s, Action::RequestManage).await?;
        let row = find_request(self.store().connection(), id).await?;
        let trail = self.patients().patient_history(s, row.patient_id).await?;
        Ok(trail.into_iter().filter(|e| e.request_id == Some(id)).collect())
    }
}

/// Whom a letter goes to, in which language, and the reads to audit.
pub(crate) struct Addressee {
    pub to: Recipient,
    /// The language the reader asked letters in (`ro`, `en`), if they said.
    pub language: Option<Language>,
    pub reads: Vec<Event>,
}

/// Whom a letter about `patient` goes to: the patient, or the parent or guardian
/// who asked for them; the guardian's record read is returned as an event to audit.
pub(crate) async fn letter_recipient(
    db: &impl ConnectionTrait,
    s: &Session,
    patient: &crate::store::entities::patient::Model,
    via_guardian: Option<Uuid>,
) -> Result<Addressee> {
    let cipher = crate::patients::cipher_for(&s.keys, patient)?;
    let (patient_name, patient_address) = crate::patients::open_postal(&cipher, patient)?;
    Ok(match via_guardian {
        Some(g) => {
            let guardian = crate::patients::find_row(db, g).await?;
            let gc = crate::patients::cipher_for(&s.keys, &guardian)?;
            let (name, address) = crate::patients::open_postal(&gc, &guardian)?;
            let read =
                Event::new(AuditAction::PatientRead, "patient").subject(g).purpose("request letter address");
            Addressee {
                to: Recipient { name, address, on_behalf_of: Some(patient_name) },
                language: crate::patients::open_language(&gc, &guardian)?,
                reads: vec![read],
            }
        }
        None => Addressee {
            to: Recipient { name: patient_name, address: patient_address, on_behalf_of: None },
            language: crate::patients::open_language(&cipher, patient)?,
            reads: Vec::new(),
        },
    })
}

/// The request `id`, which must be about `patient`.
pub(crate) async fn request_for(
    db: &impl ConnectionTrait,
    id: Uuid,
    patient: Uuid,
) -> Result<subject_request::Model> {
    let row = find_request(db, id).await?;
    if row.patient_id != patient {
        return Err(Error::InvalidInput(Rule::OtherPatient));
    }
    Ok(row)
}

/// The patient's name as the log shows it; after erasure, the retained name.
async fn patient_name(db: &impl ConnectionTrait, s: &Session, id: Uuid) -> Result<String> {
    let row = crate::patients::find_row_any(db, id).await?.ok_or(Error::NotFound(Subject::Patient))?;
    if row.status == crate::patients::gdpr::ERASED {
        return crate::gdpr::erasure::retained_name(db, &s.keys, id).await;
    }
    crate::patients::open_display_name(&crate::patients::cipher_for(&s.keys, &row)?, &row)
}

/// The request log in the GDPR interface: kept for accountability (Art. 5(2)), so
/// erasure keeps it; its free text is sealed with a clinic key, not the patient's.
#[derive(Debug)]
pub struct RequestLog;

const LOG_HOLDINGS: &[crate::gdpr::Holding] = &[crate::gdpr::Holding {
    data: crate::gdpr::Bilingual {
        ro: "cererile dumneavoastră privind datele personale: ce ați cerut, când, cum v-am verificat \
             identitatea, termenele și răspunsul",
        en: "your data-protection requests: what you asked, when, how we checked your identity, the \
             deadlines and our answer",
    },
    purpose: crate::gdpr::Bilingual {
        ro: "să vă răspundem și să putem dovedi că am respectat drepturile dumneavoastră",
        en: "answering you, and being able to show that we respected your rights",
    },
    legal_basis: crate::gdpr::Bilingual {
        ro: "art. 5 alin. (2), art. 6 alin. (1) lit. (c) și art. 12 GDPR",
        en: "Art. 5(2), Art. 6(1)(c) and Art. 12 GDPR",
    },
    recipients: crate::gdpr::Bilingual {
        ro: "ANSPDCP, dacă ne-o cere în urma unei plângeri",
        en: "the supervisory authority (ANSPDCP), if it asks after a complaint",
    },
    source: crate::gdpr::Bilingual { ro: "de la dumneavoastră", en: "from you" },
    retention: "request_log",
}];

const KEEP_LOG: crate::gdpr::Bilingual = crate::gdpr::Bilingual {
    ro: "dovada că cererea dumneavoastră a fost tratată (art. 5 alin. (2) GDPR)",
    en: "proof that your request was handled (Art. 5(2) GDPR)",
};

#[async_trait::async_trait]
impl crate::gdpr::PersonalData for RequestLog {
    fn about(&self) -> crate::gdpr::About {
        crate::gdpr::About::new("requests", &["subject_request"], LOG_HOLDINGS)
    }

    async fn export(&self, cx: &crate::gdpr::Subject<'_>) -> Result<Vec<crate::gdpr::ExportPart>> {
        use crate::gdpr::field;
        use sea_orm::QueryOrder;
        let rows = subject_request::Entity::find()
            .filter(subject_request::Column::PatientId.eq(cx.id()))
            .order_by_asc(subject_request::Column::CreatedAt)
            .all(cx.tx)
            .await?;
        let c = request_cipher(&cx.keys.audit_key);
        let mut part = crate::gdpr::ExportPart { kind: "requests", ..Default::default() };
        for r in rows {
            part.records.push(crate::gdpr::Record {
                id: r.id,
                fields: vec![
                    field("kind", r.kind.clone()),
                    field("received_on", r.received_on.clone()),
                    field("due_on", r.due_on.clone()),
                    field("extended_to", r.extended_to.clone()),
                    field(
                        "extension_reason",
                        c.open_opt(subject_request::EXTENSION_REASON.at(r.id), r.extension_reason.as_ref())?,
                    ),
                    field(
                        "identity_check",
                        c.open(subject_request::IDENTITY_CHECK.at(r.id), &r.identity_check)?,
                    ),
                    field("outcome", r.outcome.clone()),
                    field(
                        "outcome_note",
                        c.open_opt(subject_request::OUTCOME_NOTE.at(r.id), r.outcome_note.as_ref())?,
                    ),
                    field("closed_on", r.closed_on.clone()),
                ],
            });
        }
        Ok(vec![part])
    }

    async fn fate(&self, cx: &crate::gdpr::Subject<'_>) -> Result<crate::gdpr::Fate> {
        // Counted from the closing of the request being answered: today at the earliest.
        cx.keep("request_log", cx.today, KEEP_LOG)
    }

    async fn erase(
        &self,
        cx: &crate::gdpr::Subject<'_>,
        fate: &crate::gdpr::Fate,
        _retained: &FieldCipher,
    ) -> Result<Vec<crate::gdpr::ErasedPart>> {
        // Sealed with the clinic's request key already: nothing to re-seal.
        let kept = subject_request::Entity::find()
            .filter(subject_request::Column::PatientId.eq(cx.id()))
            .count(cx.tx)
            .await?;
        Ok(vec![crate::gdpr::ErasedPart::kept("requests", kept, fate)])
    }
}

async fn staff_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<(Uuid, String)>> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    let rows = staff::Entity::find().filter(staff::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.username)).collect())
}

async fn find_request(db: &impl ConnectionTrait, id: Uuid) -> Result<subject_request::Model> {
    subject_request::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound(Subject::Request))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_month_ends_on_the_same_date_or_the_last_day_of_a_shorter_month() {
        assert_eq!(due_date(d("2026-11-25")), d("2026-12-25"));
        assert_eq!(due_date(d("2027-01-31")), d("2027-02-28"));
        assert_eq!(due_date(d("2028-01-31")), d("2028-02-29"), "leap year");
        assert_eq!(due_date(d("2026-12-15")), d("2027-01-15"), "across the year");
        assert_eq!(latest_extension(d("2026-11-30")), d("2027-02-28"));
    }

    #[test]
    fn kinds_and_outcomes_read_back_from_their_names() {
        for k in RequestKind::ALL {
            assert_eq!(RequestKind::parse(k.as_str()).unwrap(), k);
        }
        for o in RequestOutcome::ALL {
            assert_eq!(RequestOutcome::parse(o.as_str()).unwrap(), o);
        }
        assert!(RequestKind::parse("complaint").is_err());
    }
}
