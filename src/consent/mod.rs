//! Consent and guardians. Every grant or withdrawal is a new record (who, what,
//! when, how, the exact text shown, the privacy-notice version, the workstation);
//! nothing is overwritten, and the current state of a kind is its latest record.
//! Patients under 16 act through a linked parent or guardian.

pub mod dto;
pub mod gdpr;

pub use dto::{
    ConsentInput, ConsentKind, ConsentMethod, ConsentOutcome, ConsentRecordDto, ConsentStateDto, GuardianDto,
    GuardianInput, NoticeDto,
};

use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Patients;
use crate::crypto::{Bound, FieldCipher, Place, Sealed};
use crate::error::{Error, Result};
use crate::patients::PatientStatus;
use crate::rules::{Rule, Subject};
use crate::store::entities::{consent, patient, patient_guardian, privacy_notice};

/// Below this age a parent or guardian consents and acts for the patient (Romania).
pub const CONSENT_AGE: u32 = 16;

/// Whole years between `birth` and `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// Whether a birth date (`YYYY-MM-DD`) makes someone a minor today.
pub(crate) fn is_minor(birth_date: Option<&str>) -> bool {
    birth_date
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .is_some_and(|b| age_on(b, chrono::Utc::now().date_naive()) < CONSENT_AGE)
}

/// Check the minors' rule for a new patient: a linked guardian and a parental
/// health-data consent given by that guardian.
pub(crate) fn check_minor_rule(
    birth_date: Option<&str>,
    guardian: Option<&GuardianInput>,
    consents: &[ConsentInput],
) -> Result<()> {
    if !is_minor(birth_date) {
        return Ok(());
    }
    let Some(g) = guardian else { return Err(Error::GuardianRequired) };
    let parental = consents
        .iter()
        .any(|c| c.kind == ConsentKind::HealthData && c.granted && c.given_by == Some(g.patient_id));
    if !parental {
        return Err(Error::GuardianRequired);
    }
    Ok(())
}

/// Write a guardian link and the consents of a registration, inside its transaction.
pub(crate) async fn record_at_registration<C: ConnectionTrait>(
    db: &C,
    s: &Session,
    cipher: &FieldCipher,
    patient_id: Uuid,
    guardian: Option<&GuardianInput>,
    consents: &[ConsentInput],
) -> Result<Vec<Event>> {
    let mut events = Vec::new();
    if let Some(g) = guardian {
        events.push(insert_guardian(db, cipher, patient_id, g).await?.0);
    }
    let notice = current_notice(db).await?.map(|n| n.version);
    for c in consents {
        if c.given_by.is_some() && c.given_by != guardian.map(|g| g.patient_id) {
            return Err(Error::InvalidInput(Rule::GiverNotLinked));
        }
        events.push(insert_consent(db, s, cipher, patient_id, c, notice.clone()).await?);
    }
    Ok(events)
}

async fn insert_guardian<C: ConnectionTrait>(
    db: &C,
    cipher: &FieldCipher,
    patient_id: Uuid,
    g: &GuardianInput,
) -> Result<(Event, patient::Model)> {
    if g.patient_id == patient_id {
        return Err(Error::InvalidInput(Rule::OwnGuardian));
    }
    let guardian = patient::Entity::find_by_id(g.patient_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound(Subject::GuardianRecord))?;
    if guardian.status != PatientStatus::Active.as_str() {
        return Err(Error::InvalidInput(Rule::GuardianClosed));
    }
    let relationship = g.relationship.trim();
    if relationship.is_empty() {
        return Err(Error::InvalidInput(Rule::RelationshipRequired));
    }
    let id = Uuid::now_v7();
    let mut link = patient_guardian::Model {
        id,
        patient_id,
        guardian_id: g.patient_id,
        relationship: Sealed::pending(),
        created_at: audit::now_micros(),
    };
    link.relationship =
        cipher.seal(patient_guardian::RELATIONSHIP.at(id).bound(&guardian_bound(&link)), relationship);
    patient_guardian::Entity::insert(patient_guardian::ActiveModel::from(link)).exec(db).await?;
    let event = Event::new(AuditAction::GuardianLink, "patient_guardian")
        .entity(id)
        .subject(patient_id)
        .purpose("guardian linked");
    Ok((event, guardian))
}

/// A guardian's name, opened under the guardian's own data key; the read is
/// audited on the guardian's record.
fn guardian_name(s: &Session, guardian: &patient::Model) -> Result<(String, Event)> {
    let cipher = crate::patients::cipher_for(&s.keys, guardian)?;
    let name = crate::patients::open_display_name(&cipher, guardian)?;
    Ok((name, Event::new(AuditAction::PatientRead, "patient").subject(guardian.id).purpose("guardian name")))
}

/// What a consent's text is bound to: whose, which kind, granted or withdrawn, how,
/// given by whom, under which notice, recorded by whom, where and when. A consent
/// flipped by SQL no longer opens.
pub(crate) fn consent_bound(r: &consent::Model) -> Bound {
    Bound::new()
        .id("patient", r.patient_id)
        .text("kind", &r.kind)
        .flag("granted", r.granted)
        .text("method", &r.method)
        .opt_id("given_by", r.given_by)
        .opt_text("notice", r.notice_version.as_deref())
        .id("recorded_by", r.recorded_by)
        .text("workstation", &r.workstation)
        .int("at", r.at)
}

/// Where a consent's text is sealed, with its bound columns.
pub(crate) fn text_addr<'a>(r: &consent::Model, b: &'a Bound) -> Place<'a, String> {
    consent::TEXT_SHOWN.at(r.id).bound(b)
}

/// What a guardian link's relationship is bound to: whose guardian, who, since when.
pub(crate) fn guardian_bound(r: &patient_guardian::Model) -> Bound {
    Bound::new().id("patient", r.patient_id).id("guardian", r.guardian_id).int("created_at", r.created_at)
}

async fn insert_consent<C: ConnectionTrait>(
    db: &C,
    s: &Session,
    cipher: &FieldCipher,
    patient_id: Uuid,
    c: &ConsentInput,
    notice_version: Option<String>,
) -> Result<Event> {
    let text = c.text_shown.trim();
    if text.is_empty() {
        return Err(Error::InvalidInput(Rule::ConsentTextRequired));
    }
    let id = Uuid::now_v7();
    let mut record = consent::Model {
        id,
        patient_id,
        kind: c.kind.as_str().into(),
        granted: c.granted,
        method: c.method.as_str().into(),
        given_by: c.given_by,
        notice_version,
        text_shown: Sealed::pending(),
        recorded_by: s.staff_id(),
        workstation: s.workstation().to_owned(),
        at: audit::now_micros(),
    };
    record.text_shown = cipher.seal(text_addr(&record, &consent_bound(&record)), text);
    consent::Entity::insert(consent::ActiveModel::from(record)).exec(db).await?;
    let action = if c.granted { AuditAction::ConsentGrant } else { AuditAction::ConsentWithdraw };
    Ok(Event::new(action, "consent").entity(id).subject(patient_id).purpose(c.kind.as_str()))
}

/// An objection to direct marketing (Art. 21(3)) stops it at once: when marketing is
/// granted, a withdrawal is recorded in the caller's transaction, naming the request.
/// Returns the event to audit, or `None` when marketing was already off.
pub(crate) async fn stop_marketing<C: ConnectionTrait>(
    db: &C,
    s: &Session,
    row: &patient::Model,
    by: Option<Uuid>,
    request_id: Uuid,
) -> Result<Option<Event>> {
    let marketing_on =
        states_of(db, row.id).await?.iter().any(|c| c.kind == ConsentKind::Marketing && c.granted);
    if !marketing_on {
        return Ok(None);
    }
    let cipher = crate::patients::cipher_for(&s.keys, row)?;
    let input = ConsentInput {
        kind: ConsentKind::Marketing,
        granted: false,
        method: ConsentMethod::Verbal,
        text_shown: format!(
            "Opoziție la prelucrarea datelor în scop de marketing direct (art. 21 alin. (3) GDPR), cererea {request_id}."
        ),
        given_by: by,
    };
    let notice = current_notice(db).await?.map(|n| n.version);
    insert_consent(db, s, &cipher, row.id, &input, notice).await.map(Some)
}

async fn current_notice<C: ConnectionTrait>(db: &C) -> Result<Option<privacy_notice::Model>> {
    Ok(privacy_notice::Entity::find().order_by_desc(privacy_notice::Column::PublishedAt).one(db).await?)
}

impl Patients<'_> {
    /// Publish a new privacy-notice version (Romanian and English texts); it is
    /// the one shown at registration from now on.
    pub async fn publish_privacy_notice(
        &self,
        s: &Session,
        version: &str,
        text_ro: &str,
        text_en: &str,
    ) -> Result<NoticeDto> {
        let permit = self.authorize(s, Action::NoticeManage).await?;
        let version = version.trim();
        if version.is_empty() || text_ro.trim().is_empty() || text_en.trim().is_empty() {
            return Err(Error::InvalidInput(Rule::NoticeIncomplete));
        }
        let mut w = self.work(permit).await?;
        if privacy_notice::Entity::find()
            .filter(privacy_notice::Column::Version.eq(version))
            .one(&w.tx)
            .await?
            .is_some()
        {
            return Err(Error::AlreadyExists(Subject::NoticeVersion));
        }
        let model = privacy_notice::Model {
            id: Uuid::now_v7(),
            version: version.into(),
            text_ro: text_ro.trim().into(),
            text_en: text_en.trim().into(),
            published_at: audit::now_micros(),
            published_by: s.staff_id(),
        };
        privacy_notice::Entity::insert(privacy_notice::ActiveModel::from(model.clone())).exec(&w.tx).await?;
        w.audit(Event::new(AuditAction::NoticePublish, "privacy_notice").entity(model.id).purpose(version));
        w.commit().await?;
        Ok(NoticeDto::from(model))
    }

    /// The privacy notice in force, if one was published.
    pub async fn current_privacy_notice(&self, s: &Session) -> Result<Option<NoticeDto>> {
        self.authorize(s, Action::NoticeRead).await?;
        Ok(current_notice(self.store().connection()).await?.map(NoticeDto::from))
    }

    /// Every version ever published, newest first: the one a consent names can
    /// always be read again, word for word.
    pub async fn privacy_notices(&self, s: &Session) -> Result<Vec<NoticeDto>> {
        self.authorize(s, Action::NoticeRead).await?;
        let rows = privacy_notice::Entity::find()
            .order_by_desc(privacy_notice::Column::PublishedAt)
            .order_by_desc(privacy_notice::Column::Id)
            .all(self.store().connection())
            .await?;
        Ok(rows.into_iter().map(NoticeDto::from).collect())
    }

    /// Record a grant or withdrawal. Withdrawing the health-data consent starts
    /// the account-closure path: the record is marked `closing` and the outcome
    /// says so, since care cannot continue without it.
    pub async fn record_consent(
        &self,
        s: &Session,
        patient_id: Uuid,
        input: ConsentInput,
    ) -> Result<ConsentOutcome> {
        // Art. 18(2): recording or withdrawing consent stays possible while restricted.
        let mut p =
            self.patient_to_change(self.authorize(s, Action::ConsentRecord).await?, patient_id).await?;
        let guardians = guardian_ids(p.tx(), patient_id).await?;
        if let Some(by) = input.given_by
            && !guardians.contains(&by)
        {
            return Err(Error::InvalidInput(Rule::GiverNotLinked));
        }
        let birth = crate::patients::open_birth_date(&p.cipher, &p.row)?;
        if is_minor(birth.as_deref()) && input.given_by.is_none() {
            return Err(Error::GuardianRequired);
        }
        let notice = current_notice(p.tx()).await?.map(|n| n.version);
        let event = insert_consent(p.tx(), s, &p.cipher, patient_id, &input, notice).await?;
        p.audit(event);
        let closure_required = input.kind == ConsentKind::HealthData && !input.granted;
        if closure_required {
            patient::Entity::update_many()
                .col_expr(patient::Column::Status, PatientStatus::Closing.as_str().into())
                .filter(patient::Column::Id.eq(patient_id))
                .exec(p.tx())
                .await?;
            p.audit(
                Event::new(AuditAction::PatientClosureStarted, "patient")
                    .purpose("health-data consent withdrawn"),
            );
        }
        // The new state comes from the same transaction: no second round trip.
        let states = states_of(p.tx(), patient_id).await?;
        p.commit().await?;
        Ok(ConsentOutcome { states, closure_required })
    }

    /// Every consent record of a patient, newest first, with the exact texts.
    pub async fn consent_history(&self, s: &Session, patient_id: Uuid) -> Result<Vec<ConsentRecordDto>> {
        let result = async {
            let mut p =
                self.patient_to_read(self.authorize(s, Action::PatientRead).await?, patient_id).await?;
            let records = consent::Entity::find()
                .filter(consent::Column::PatientId.eq(patient_id))
                .order_by_desc(consent::Column::At)
                .all(p.tx())
                .await?;
            let mut out = Vec::with_capacity(records.len());
            for r in records {
                let text = p.cipher.open(text_addr(&r, &consent_bound(&r)), &r.text_shown)?;
                out.push(ConsentRecordDto::from_model(r, text, &p.names)?);
            }
            p.audit(Event::new(AuditAction::ConsentRead, "consent").purpose("consent history"));
            p.commit().await?;
            Ok(out)
        }
        .await;
        self.noting_integrity(s, Some(patient_id), result).await
    }

    /// The current state of every kind: granted or not, since when. A kind
    /// never recorded is not granted (marketing is off until granted).
    pub async fn consent_states(&self, s: &Session, patient_id: Uuid) -> Result<Vec<ConsentStateDto>> {
        let result = async {
            let mut w = self.begin(s, Action::PatientRead).await?;
            crate::patients::find_row(&w.tx, patient_id).await?;
            let states = states_of(&w.tx, patient_id).await?;
            w.audit(
                Event::new(AuditAction::ConsentRead, "consent").subject(patient_id).purpose("consent states"),
            );
            w.commit().await?;
            Ok(states)
        }
        .await;
        self.noting_integrity(s, Some(patient_id), result).await
    }

    /// Link a parent or guardian (an existing patient record) to a patient.
    pub async fn link_guardian(
        &self,
        s: &Session,
        patient_id: Uuid,
        guardian: GuardianInput,
    ) -> Result<GuardianDto> {
        let mut p =
            self.patient_to_change(self.authorize(s, Action::PatientUpdate).await?, patient_id).await?;
        if guardian_ids(p.tx(), patient_id).await?.contains(&guardian.patient_id) {
            return Err(Error::AlreadyExists(Subject::GuardianLink));
        }
        let (event, guardian_row) = insert_guardian(p.tx(), &p.cipher, patient_id, &guardian).await?;
        p.audit(event);
        let (display_name, read) = guardian_name(s, &guardian_row)?;
        p.w.audit(read);
        p.commit().await?;
        Ok(GuardianDto {
            guardian_id: guardian.patient_id,
            display_name,
            relationship: guardian.relationship.trim().into(),
        })
    }

    /// The parents or guardians linked to a patient, with their names (each
    /// name read is audited on that guardian's record).
    pub async fn guardians(&self, s: &Session, patient_id: Uuid) -> Result<Vec<GuardianDto>> {
        let mut p = self.patient_to_read(self.authorize(s, Action::PatientRead).await?, patient_id).await?;
        let links = patient_guardian::Entity::find()
            .filter(patient_guardian::Column::PatientId.eq(patient_id))
            .order_by_asc(patient_guardian::Column::CreatedAt)
            .all(p.tx())
            .await?;
        let mut out = Vec::with_capacity(links.len());
        let mut reads = Vec::with_capacity(links.len());
        for l in links {
            let bound = guardian_bound(&l);
            let addr = patient_guardian::RELATIONSHIP.at(l.id).bound(&bound);
            let guardian = crate::patients::find_row(p.tx(), l.guardian_id).await?;
            let (display_name, read) = guardian_name(s, &guardian)?;
            reads.push(read);
            out.push(GuardianDto {
                guardian_id: l.guardian_id,
                display_name,
                relationship: p.cipher.open(addr, &l.relationship)?,
            });
        }
        p.audit(Event::new(AuditAction::GuardianRead, "patient_guardian"));
        for read in reads {
            p.w.audit(read);
        }
        p.commit().await?;
        Ok(out)
    }
}

/// The latest record of every kind; a kind never recorded is not granted.
async fn states_of<C: ConnectionTrait>(db: &C, patient_id: Uuid) -> Result<Vec<ConsentStateDto>> {
    let records = consent::Entity::find()
        .filter(consent::Column::PatientId.eq(patient_id))
        .order_by_asc(consent::Column::At)
        .all(db)
        .await?;
    Ok(ConsentKind::ALL
        .iter()
        .map(|kind| {
            let latest = records.iter().rev().find(|r| r.kind == kind.as_str());
            ConsentStateDto {
                kind: *kind,
                granted: latest.is_some_and(|r| r.granted),
                since: latest.map(|r| audit::format_micros(r.at)),
                given_by: latest.and_then(|r| r.given_by),
            }
        })
        .collect())
}

async fn guardian_ids<C: ConnectionTrait>(db: &C, patient_id: Uuid) -> Result<Vec<Uuid>> {
    Ok(patient_guardian::Entity::find()
        .filter(patient_guardian::Column::PatientId.eq(patient_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.guardian_id)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_counts_whole_years() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(age_on(d("2010-03-04"), d("2026-03-03")), 15);
        assert_eq!(age_on(d("2010-03-04"), d("2026-03-04")), 16);
        assert_eq!(age_on(d("2008-02-29"), d("2024-02-28")), 15);
        assert_eq!(age_on(d("2008-02-29"), d("2024-02-29")), 16);
    }
}
