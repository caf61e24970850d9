//! Erasure by crypto-shredding (Art. 17). Each module's data is checked against
//! the retention schedule: what may go is destroyed (the patient's data key with
//! it, so every sealed field left anywhere is noise; blind indexes are cleared);
//! what the law keeps is re-sealed under the patient's retention key (derived from
//! the clinic's audit key, so it survives key rotation and is never the data key)
//! with the day it goes. The erasure record keeps the counts the store reported,
//! and the person's name and address under the retention key, to answer them.

use chrono::NaiveDate;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ErasedPart, Fate, MODULES, Subject};
use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, ClinicKeys, Session};
use crate::clinic::Gdpr;
use crate::crypto::{FieldCipher, Place, SecretKey, unwrap_key, wrap_key};
use crate::documents::{Language, Recipient};
use crate::error::{Error, Result};
use crate::gdpr::requests::letters::ErasureLine;
use crate::rules::{self, Rule};
use crate::store::entities::erasure;

/// The retention keys of erased patients' kept parts, re-wrapped when the clinic
/// key is rotated.
pub(crate) struct RetentionKeys;

#[async_trait::async_trait]
impl crate::clinic::hooks::KeyHolder for RetentionKeys {
    async fn rewrap(
        &self,
        tx: &sea_orm::DatabaseTransaction,
        old: &ClinicKeys,
        new: &SecretKey,
        _new_id: Uuid,
    ) -> Result<u64> {
        let kept =
            erasure::Entity::find().filter(erasure::Column::RetentionKey.is_not_null()).all(tx).await?;
        for e in kept {
            let Some(wrapped) = &e.retention_key else { continue };
            let ctx = retention_key_context(e.patient_id);
            let key = unwrap_key(&old.kek, &ctx, wrapped).ok_or_else(|| {
                Error::Tampered(format!("the retention key of erasure {} does not open", e.id))
            })?;
            erasure::Entity::update_many()
                .col_expr(erasure::Column::RetentionKey, wrap_key(new, &ctx, &key).into())
                .filter(erasure::Column::Id.eq(e.id))
                .exec(tx)
                .await?;
        }
        // Erased patients: none of them is a live patient's data key.
        Ok(0)
    }
}

/// Where a patient's retention key is wrapped (by the clinic key).
pub(crate) fn retention_key_context(patient: Uuid) -> Vec<u8> {
    let mut c = b"retention-key/".to_vec();
    c.extend_from_slice(patient.as_bytes());
    c
}

/// The cipher of what the erasure `row` kept: its random retention key (never the
/// data key); for an erasure made before those, the key derived from the audit key.
pub(crate) fn retention_cipher(keys: &ClinicKeys, row: &erasure::Model) -> Result<FieldCipher> {
    if row.retention_key_destroyed_at.is_some() {
        return Err(Error::NotFound(rules::Subject::KeptRecords));
    }
    match &row.retention_key {
        Some(wrapped) => {
            let key = unwrap_key(&keys.kek, &retention_key_context(row.patient_id), wrapped)
                .ok_or_else(|| Error::Tampered("a retention key does not open".into()))?;
            Ok(FieldCipher::new(&key, 0))
        }
        None => Ok(FieldCipher::new(&keys.audit_key.derive(&format!("retained/{}", row.patient_id)), 0)),
    }
}

fn label_addr(id: Uuid) -> Place<'static, Vec<u8>> {
    erasure::LABEL.at(id)
}

/// Name and postal address of an erased patient, sealed in the erasure record.
#[derive(Serialize, Deserialize)]
struct Label {
    name: String,
    display_name: String,
    address: Option<String>,
}

/// What one module's data would undergo, before anything is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ErasurePlanLine {
    pub module: String,
    /// `erase` or `keep`.
    pub fate: String,
    #[ts(optional = nullable)]
    pub until: Option<String>,
    #[ts(optional = nullable)]
    pub why: Option<super::Why>,
}

/// What an erasure did, as the store reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ErasureReport {
    pub erasure_id: Uuid,
    pub patient_id: Uuid,
    #[ts(optional = nullable)]
    pub request_id: Option<Uuid>,
    pub erased_at: String,
    pub parts: Vec<ErasedPart>,
    /// When the last kept record goes (`YYYY-MM-DD`).
    #[ts(optional = nullable)]
    pub kept_until: Option<String>,
    /// Backups made before the erasure have all expired by this day.
    pub backups_expire: String,
}

/// What each kind of record is, in the letters.
fn kind_words(kind: &str, lang: Language) -> String {
    let (ro, en) = match kind {
        "patient" => ("datele de identificare și de contact", "your identification and contact details"),
        "corrections" => ("istoricul corecturilor acestor date", "the history of corrections to them"),
        "consents" => ("înregistrările consimțămintelor", "the records of your consents"),
        "guardians" => ("legăturile cu părinți sau tutori", "the links to parents or guardians"),
        "requests" => ("cererile dumneavoastră privind datele", "your data-protection requests"),
        "access_log" => (
            "jurnalul de acces (conține doar un identificator, nu numele dumneavoastră)",
            "the access log (it holds only an identifier, not your name)",
        ),
        other => (other, other),
    };
    match lang {
        Language::Ro => ro.into(),
        Language::En => en.into(),
    }
}

fn stored_day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| Error::Tampered("a date in an erasure record is malformed".into()))
}

impl Gdpr<'_> {
    /// What erasing `patient_id` would destroy and keep today (DPO); nothing changes.
    pub async fn erasure_preview(&self, s: &Session, patient_id: Uuid) -> Result<Vec<ErasurePlanLine>> {
        let result = async {
            let permit = self.authorize(s, Action::PatientErase).await?;
            let rules = self.retention_rules(s).await?;
            self.check_key_current(s)?;
            let mut w = self.work(permit).await?;
            let row = crate::patients::find_row(&w.tx, patient_id).await?;
            let opened = super::Opened::new(&w.tx, &s.keys, &row, self.store().blobs()).await?;
            let cx = opened.subject(&w.tx, &s.keys, &row, &rules, chrono::Local::now().date_naive());
            let mut out = Vec::new();
            for m in MODULES {
                let line = match m.fate(&cx).await? {
                    Fate::Erase => ErasurePlanLine {
                        module: m.module().into(),
                        fate: "erase".into(),
                        until: None,
                        why: None,
                    },
                    Fate::Keep { until, reason } => ErasurePlanLine {
                        module: m.module().into(),
                        fate: "keep".into(),
                        until: Some(until.to_string()),
                        why: Some(super::Why { ro: reason.ro.into(), en: reason.en.into() }),
                    },
                };
                out.push(line);
            }
            w.audit(
                Event::new(AuditAction::PatientErasePreview, "patient")
                    .subject(patient_id)
                    .purpose("erasure preview"),
            );
            w.commit().await?;
            Ok(out)
        }
        .await;
        self.noting_integrity(s, Some(patient_id), result).await
    }

    /// Erase `patient_id` (DPO, `patient.erase`), answering `request_id` when given.
    /// Refused with nothing changed when a module must refuse (the only guardian of a
    /// minor). After the commit, SQLite's WAL is checkpointed and truncated so the old
    /// wrapped key is in no file (`secure_delete` already zeroes freed pages).
    pub async fn erase_patient(
        &self,
        s: &Session,
        patient_id: Uuid,
        request_id: Option<Uuid>,
    ) -> Result<ErasureReport> {
        let result = async {
            let permit = self.authorize(s, Action::PatientErase).await?;
            let rules = self.retention_rules(s).await?;
            self.check_key_current(s)?;
            let mut w = self.work(permit).await?;
            let row = crate::patients::find_row(&w.tx, patient_id).await?;
            if let Some(r) = request_id {
                let request = crate::gdpr::requests::request_for(&w.tx, r, patient_id).await?;
                if request.kind != crate::gdpr::requests::RequestKind::Erasure.as_str() {
                    return Err(Error::InvalidInput(Rule::NotErasureRequest));
                }
            }
            let today = chrono::Local::now().date_naive();
            // Erasure ends the relationship today.
            let job = Job { request_id, relationship_end: today, rules: &rules, why: "erasure" };
            let report = erase_in(&mut w, s, &row, &job).await?;
            w.commit().await?;
            self.scrub_after_erasure().await;
            Ok(report)
        }
        .await;
        self.noting_integrity(s, Some(patient_id), result).await
    }

    /// Leave no copy of destroyed pages behind: on SQLite, checkpoint and truncate
    /// the WAL; on PostgreSQL, vacuum the tables erasure rewrites (old row versions
    /// stay in their pages until then). Failure is logged, never fatal: the key is
    /// already gone from the live database.
    pub(crate) async fn scrub_after_erasure(&self) {
        let db = self.store().connection();
        let sql = match self.store().backend() {
            DbBackend::Sqlite => "PRAGMA wal_checkpoint(TRUNCATE)",
            _ => "VACUUM patient, patient_history, consent, patient_guardian, blob",
        };
        if let Err(e) = self.store().blobs().sweep(db).await {
            tracing::warn!(error = %e.kind(), "post-erasure sweep of the image store failed");
        }
        if let Err(e) = db.execute_unprepared(sql).await {
            tracing::warn!(error = %crate::error::describe_db_error(&e.to_string()), "post-erasure scrub failed");
        }
    }

    /// The erasure record of `patient_id` (DPO).
    pub async fn erasure_record(&self, s: &Session, patient_id: Uuid) -> Result<ErasureReport> {
        self.authorize(s, Action::PatientErase).await?;
        let rules = self.retention_rules(s).await?;
        let row = find_erasure(self.store().connection(), patient_id).await?;
        report_of(&row, &rules)
    }

    /// The answer to the erasure (Art. 17) as PDF bytes: what went, what stays, why
    /// and until when, addressed from the retained name and address (DPO).
    pub async fn erasure_letter(&self, s: &Session, patient_id: Uuid, lang: Language) -> Result<Vec<u8>> {
        let permit = self.authorize(s, Action::PatientErase).await?;
        let rules = self.retention_rules(s).await?;
        let mut w = self.work(permit).await?;
        let row = find_erasure(&w.tx, patient_id).await?;
        let report = report_of(&row, &rules)?;
        let label = open_label(&s.keys, &row)?;
        let clinic = self.letter_profile(&w.tx, s).await?;
        let mut lines = Vec::new();
        for p in &report.parts {
            let what = kind_words(&p.kind, lang);
            if p.erased > 0 {
                lines.push(ErasureLine { what: what.clone(), count: p.erased, kept: None });
            }
            if p.kept > 0 {
                let until = stored_day(p.kept_until.as_deref().unwrap_or_default())?;
                let why = p
                    .kept_why
                    .as_ref()
                    .map(|w| if lang == Language::Ro { w.ro.clone() } else { w.en.clone() });
                lines.push(ErasureLine { what, count: p.kept, kept: Some((why.unwrap_or_default(), until)) });
            }
        }
        // A parent or guardian who asked for a child is answered, about the child.
        let via_guardian = match row.request_id {
            Some(r) => crate::gdpr::requests::request_for(&w.tx, r, patient_id).await?.via_guardian,
            None => None,
        };
        let guardian = match via_guardian {
            Some(g) => crate::patients::find_row(&w.tx, g).await.ok(),
            None => None,
        };
        let to = match guardian {
            Some(g) => {
                let (name, address) =
                    crate::patients::open_postal(&crate::patients::cipher_for(&s.keys, &g)?, &g)?;
                w.audit(
                    Event::new(AuditAction::PatientRead, "patient")
                        .subject(g.id)
                        .purpose("request letter address"),
                );
                Recipient { name, address, on_behalf_of: Some(label.name) }
            }
            None => Recipient { name: label.name, address: label.address, on_behalf_of: None },
        };
        let pdf = crate::gdpr::requests::letters::erasure_letter(
            &clinic,
            &to,
            &lines,
            stored_day(&report.backups_expire)?,
            chrono::Local::now().date_naive(),
            lang,
        )?;
        let mut event =
            Event::new(AuditAction::RequestLetter, "patient").subject(patient_id).purpose("erasure letter");
        if let Some(r) = row.request_id {
            event = event.entity(r);
        }
        w.audit(event);
        w.commit().await?;
        Ok(pdf)
    }
}

/// One erasure: for a request today, or by the retention job for a record whose
/// period ran out (the relationship ended at the last activity).
pub(crate) struct Job<'a> {
    pub request_id: Option<Uuid>,
    pub relationship_end: NaiveDate,
    pub rules: &'a [crate::gdpr::retention::RetentionRule],
    /// `erasure` or `retention`: the audit event's purpose says which.
    pub why: &'static str,
}

/// Erase one patient inside `w`: every module decides first (one refusal and
/// nothing is touched), then each destroys or re-seals its part; the erasure record
/// and the audit event carry the counts the store reported.
pub(crate) async fn erase_in(
    w: &mut crate::clinic::Work<'_>,
    s: &Session,
    row: &crate::store::entities::patient::Model,
    job: &Job<'_>,
) -> Result<ErasureReport> {
    let patient_id = row.id;
    let opened = super::Opened::new(&w.tx, &s.keys, row, w.clinic().store().blobs()).await?;
    let cipher = opened.cipher();
    let retention_key = SecretKey::random();
    let (parts, label, today) = {
        let cx = opened.subject(&w.tx, &s.keys, row, job.rules, job.relationship_end);
        let mut fates = Vec::with_capacity(MODULES.len());
        for m in MODULES {
            fates.push(m.fate(&cx).await?);
        }
        let (name, address) = crate::patients::open_postal(cipher, row)?;
        let display_name = crate::patients::open_display_name(cipher, row)?;
        let retained = FieldCipher::new(&retention_key, 0);
        let mut parts = Vec::new();
        for (m, fate) in MODULES.iter().zip(&fates) {
            parts.extend(m.erase(&cx, fate, &retained).await?);
        }
        (parts, Label { name, display_name, address }, cx.today)
    };
    let kept_until = parts.iter().filter(|p| p.kept > 0).filter_map(|p| p.kept_until.clone()).max();
    let id = Uuid::now_v7();
    let label = serde_json::to_vec(&label)
        .map_err(|_| Error::Internal("the erasure record could not be written".into()))?;
    let report = serde_json::to_string(&parts)
        .map_err(|_| Error::Internal("the erasure record could not be written".into()))?;
    let now = audit::now_micros();
    erasure::Entity::insert(erasure::ActiveModel {
        id: Set(id),
        patient_id: Set(patient_id),
        request_id: Set(job.request_id),
        erased_at: Set(now),
        erased_by: Set(s.staff_id()),
        report: Set(report),
        kept_until: Set(kept_until.clone()),
        label: Set(Some(FieldCipher::new(&retention_key, 0).seal(label_addr(id), &label))),
        retention_key: Set(Some(wrap_key(&s.keys.kek, &retention_key_context(patient_id), &retention_key))),
        retention_key_destroyed_at: Set(None),
    })
    .exec(&w.tx)
    .await?;
    let (erased, kept): (u64, u64) = parts.iter().fold((0, 0), |(e, k), p| (e + p.erased, k + p.kept));
    let mut event = Event::new(AuditAction::PatientErase, "patient")
        .subject(patient_id)
        .purpose(format!("{}: {erased} records destroyed, {kept} kept under the retention key", job.why));
    if let Some(r) = job.request_id {
        event = event.entity(r);
    }
    w.audit(event);
    Ok(ErasureReport {
        erasure_id: id,
        patient_id,
        request_id: job.request_id,
        erased_at: audit::format_micros(now),
        parts,
        kept_until,
        backups_expire: crate::gdpr::retention::rule(job.rules, "backups")?.ends(today).to_string(),
    })
}

pub(crate) async fn find_erasure(db: &impl ConnectionTrait, patient_id: Uuid) -> Result<erasure::Model> {
    erasure::Entity::find()
        .filter(erasure::Column::PatientId.eq(patient_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound(rules::Subject::ErasureRecord))
}

fn report_of(row: &erasure::Model, rules: &[crate::gdpr::retention::RetentionRule]) -> Result<ErasureReport> {
    let parts: Vec<ErasedPart> = serde_json::from_str(&row.report)
        .map_err(|_| Error::Tampered("an erasure record is malformed".into()))?;
    let day = chrono::DateTime::from_timestamp_micros(row.erased_at)
        .map(|t| t.date_naive())
        .ok_or_else(|| Error::Tampered("an erasure record is malformed".into()))?;
    Ok(ErasureReport {
        erasure_id: row.id,
        patient_id: row.patient_id,
        request_id: row.request_id,
        erased_at: audit::format_micros(row.erased_at),
        parts,
        kept_until: row.kept_until.clone(),
        backups_expire: crate::gdpr::retention::rule(rules, "backups")?.ends(day).to_string(),
    })
}

fn open_label(keys: &ClinicKeys, row: &erasure::Model) -> Result<Label> {
    let sealed = row.label.as_ref().ok_or(Error::NotFound(rules::Subject::ErasureRecord))?;
    let bytes = retention_cipher(keys, row)?.open(label_addr(row.id), sealed)?;
    serde_json::from_slice(&bytes).map_err(|_| Error::Tampered("an erasure record is malformed".into()))
}

/// The retained name of an erased patient ("Popescu Ion"), for the request log.
pub(crate) async fn retained_name(
    db: &impl ConnectionTrait,
    keys: &ClinicKeys,
    patient_id: Uuid,
) -> Result<String> {
    let row = find_erasure(db, patient_id).await?;
    if row.retention_key_destroyed_at.is_some() {
        // Nothing of the person is left to name them by.
        return Ok(format!("erased record {}", &patient_id.simple().to_string()[..8]));
    }
    Ok(open_label(keys, &row)?.display_name)
}

/// The erasure record in the GDPR interface: proof that an erasure was done, kept
/// like the request log; it holds the name and address only under the retention key.
#[derive(Debug)]
pub struct ErasureLog;

const LOG_HOLDINGS: &[super::Holding] = &[super::Holding {
    data: super::Bilingual {
        ro: "evidența ștergerilor: când, ce s-a șters și ce s-a păstrat, numele și adresa pentru răspuns",
        en: "the record of erasures: when, what was erased and what kept, the name and address to answer",
    },
    purpose: super::Bilingual {
        ro: "dovada că cererea de ștergere a fost îndeplinită",
        en: "proof that the erasure request was carried out",
    },
    legal_basis: super::Bilingual {
        ro: "art. 5 alin. (2) și art. 17 GDPR",
        en: "Art. 5(2) and Art. 17 GDPR",
    },
    recipients: super::Bilingual {
        ro: "ANSPDCP, dacă ne-o cere în urma unei plângeri",
        en: "the supervisory authority (ANSPDCP), if it asks after a complaint",
    },
    source: super::Bilingual {
        ro: "scris de aplicație la ștergere",
        en: "written by the application at erasure",
    },
    retention: "request_log",
}];

const KEEP_LOG: super::Bilingual = super::Bilingual {
    ro: "dovada că ștergerea a fost făcută (art. 5 alin. (2) GDPR)",
    en: "proof that the erasure was done (Art. 5(2) GDPR)",
};

#[async_trait::async_trait]
impl super::PersonalData for ErasureLog {
    fn about(&self) -> super::About {
        super::About::new("erasure", &["erasure"], LOG_HOLDINGS)
    }

    async fn export(&self, cx: &Subject<'_>) -> Result<Vec<super::ExportPart>> {
        // Only an erased patient has one, and an erased patient cannot be exported;
        // a record that exists is still listed, by kind and count only.
        let rows = erasure::Entity::find().filter(erasure::Column::PatientId.eq(cx.id())).all(cx.tx).await?;
        let records = rows
            .into_iter()
            .map(|r| super::Record {
                id: r.id,
                fields: vec![
                    super::field("erased_at", audit::format_micros(r.erased_at)),
                    super::field("report", r.report),
                    super::field("kept_until", r.kept_until),
                ],
            })
            .collect();
        Ok(vec![super::ExportPart { kind: "erasures", records, ..Default::default() }])
    }

    async fn fate(&self, cx: &Subject<'_>) -> Result<Fate> {
        cx.keep("request_log", cx.today, KEEP_LOG)
    }

    async fn erase(&self, cx: &Subject<'_>, fate: &Fate, _retained: &FieldCipher) -> Result<Vec<ErasedPart>> {
        use sea_orm::PaginatorTrait;
        let kept =
            erasure::Entity::find().filter(erasure::Column::PatientId.eq(cx.id())).count(cx.tx).await?;
        Ok(vec![ErasedPart::kept("erasures", kept, fate)])
    }
}
