//! The breach register (GDPR Art. 33, 34). A breach is recorded with every fact
//! Art. 33(5) asks for; the people affected are found from the audit log (whoever
//! a staff account or a workstation read or changed in a time window, or every
//! patient when a backup is lost), counted with their records; the 72-hour clock
//! runs from discovery and a late notice needs its reason; the notice to the
//! authority (Art. 33(3)) and one letter per person (Art. 34) are PDFs, and when
//! each went out is recorded.
//!
//! The register is the clinic's: its free text is sealed with a clinic key derived
//! from the audit key (it survives key rotation and any patient's erasure); the
//! affected people are named by id.

pub mod letters;
pub mod words;

pub use words::{CategoryWording, DataCategory, category_words};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Statement,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Gdpr;
use crate::crypto::{Column, FieldCipher, Sealed, SecretKey};
use crate::documents::{Document, Language};
use crate::error::{Error, Result};
use crate::rules::{Rule, Subject};
use crate::store::entities::{breach, breach_subject, patient};

/// The authority must hear of a breach within this many hours of its discovery.
pub const NOTIFY_WITHIN_HOURS: i64 = 72;

/// How likely the breach is to harm the people affected (Art. 33(1), 34(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    /// Unlikely to result in a risk: recorded, not notified.
    None,
    /// A risk: the authority is notified.
    Risk,
    /// A high risk: the authority and every person affected are told.
    High,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::None => "none",
            Risk::Risk => "risk",
            Risk::High => "high",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        [Risk::None, Risk::Risk, Risk::High]
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or(Error::InvalidInput(Rule::UnknownRisk))
    }
}

/// What the DPO records when a breach is discovered.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct NewBreach {
    /// RFC 3339; not in the future.
    pub discovered_at: String,
    #[ts(optional = nullable)]
    pub occurred_from: Option<String>,
    #[ts(optional = nullable)]
    pub occurred_to: Option<String>,
    /// Any of `confidentiality`, `integrity`, `availability`.
    pub nature: Vec<String>,
    /// What happened, in words.
    pub description: String,
    /// The categories of data concerned (identity, contact, health, ...).
    pub data_categories: String,
    pub consequences: String,
    pub measures_taken: String,
    pub measures_proposed: String,
    pub risk: Risk,
}

/// A breach as the register shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct BreachDto {
    pub id: Uuid,
    /// `2026-001`: the year and the breach's number in it.
    pub reference: String,
    pub discovered_at: String,
    #[ts(optional = nullable)]
    pub occurred_from: Option<String>,
    #[ts(optional = nullable)]
    pub occurred_to: Option<String>,
    pub nature: Vec<String>,
    pub description: String,
    pub data_categories: String,
    pub consequences: String,
    pub measures_taken: String,
    pub measures_proposed: String,
    pub risk: Risk,
    /// How the affected people were found (the last search), worded by the reader.
    #[ts(optional = nullable)]
    pub scope: Option<AffectedScope>,
    #[ts(type = "number")]
    pub subjects_count: i64,
    #[ts(type = "number")]
    pub records_count: i64,
    /// Discovery + 72 hours.
    pub notify_by: String,
    #[ts(optional = nullable)]
    pub authority_notified_at: Option<String>,
    #[ts(optional = nullable)]
    pub late_reason: Option<String>,
    /// Not yet notified, past the 72 hours, and notifiable.
    pub overdue: bool,
    #[ts(type = "number")]
    pub subjects_notified: i64,
}

/// Where to look for the people a breach affected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum AffectedScope {
    /// Every patient whose data this staff account read or changed in the window.
    Staff { username: String, from: String, to: String },
    /// Every patient whose data was read or changed at this workstation in the window.
    Workstation { name: String, from: String, to: String },
    /// Every patient on record (a lost or stolen backup, a copied database).
    AllPatients,
}

/// One person a breach affected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct AffectedDto {
    pub patient_id: Uuid,
    pub display_name: String,
    /// Events on their data in the window (all their records for a lost backup).
    #[ts(type = "number")]
    pub records: i64,
    #[ts(optional = nullable)]
    pub notified_at: Option<String>,
}

/// The letters to the people affected (Art. 34): one PDF each and one merged file.
pub struct SubjectLetters {
    pub letters: Vec<(Uuid, Vec<u8>)>,
    pub merged: Vec<u8>,
}

impl SubjectLetters {
    /// Write the letters into a new folder inside `dir`: `letter-0001.pdf`, ... (never
    /// named after anyone) and `all-letters.pdf`; returns the folder and the merged file.
    pub fn write_to(
        &self,
        own: &crate::files::OwnFolders,
        dir: &std::path::Path,
    ) -> Result<(std::path::PathBuf, std::path::PathBuf)> {
        let folder = dir.join(format!("cuspid-breach-letters-{}", Uuid::now_v7()));
        own.new_dir(&folder)?;
        for (n, (_, pdf)) in self.letters.iter().enumerate() {
            crate::files::write_new(&folder.join(format!("letter-{:04}.pdf", n + 1)), pdf)?;
        }
        let merged = folder.join("all-letters.pdf");
        crate::files::write_new(&merged, &self.merged)?;
        Ok((folder, merged))
    }
}

impl std::fmt::Debug for SubjectLetters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SubjectLetters").field("letters", &self.letters.len()).finish_non_exhaustive()
    }
}

fn cipher(audit_key: &SecretKey) -> FieldCipher {
    FieldCipher::new(&audit_key.derive("breaches"), 0)
}

fn instant(s: &str) -> Result<i64> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc).timestamp_micros())
        .map_err(|_| Error::InvalidDate(Rule::TimeFormat))
}

/// The longest text of the breach register, in characters.
const MAX_TEXT_CHARS: usize = 4000;

fn text(value: &str, what: fn() -> Error) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(what());
    }
    if v.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::InvalidInput(Rule::BreachTextTooLong { max: MAX_TEXT_CHARS }));
    }
    Ok(v.to_owned())
}

fn missing() -> Error {
    Error::InvalidInput(Rule::BreachIncomplete)
}

const NATURES: [&str; 3] = ["confidentiality", "integrity", "availability"];

impl Gdpr<'_> {
    fn breach_dto(&self, s: &Session, row: breach::Model, notified: i64) -> Result<BreachDto> {
        let c = cipher(&s.keys.audit_key);
        let open = |column: Column<String>, v| c.open(column.at(row.id), v);
        let notify_by = row.discovered_at + NOTIFY_WITHIN_HOURS * 3_600_000_000;
        let risk =
            Risk::parse(&row.risk).map_err(|_| Error::Tampered("a breach's risk is unknown".into()))?;
        Ok(BreachDto {
            id: row.id,
            reference: row.reference.clone(),
            discovered_at: audit::format_micros(row.discovered_at),
            occurred_from: row.occurred_from.map(audit::format_micros),
            occurred_to: row.occurred_to.map(audit::format_micros),
            nature: row.nature.split(',').filter(|n| !n.is_empty()).map(str::to_owned).collect(),
            description: open(breach::DESCRIPTION, &row.description)?,
            data_categories: open(breach::DATA_CATEGORIES, &row.data_categories)?,
            consequences: open(breach::CONSEQUENCES, &row.consequences)?,
            measures_taken: open(breach::MEASURES_TAKEN, &row.measures_taken)?,
            measures_proposed: open(breach::MEASURES_PROPOSED, &row.measures_proposed)?,
            risk,
            scope: row.scope.as_deref().map(AffectedScope::from_stored).transpose()?,
            subjects_count: row.subjects_count,
            records_count: row.records_count,
            notify_by: audit::format_micros(notify_by),
            authority_notified_at: row.authority_notified_at.map(audit::format_micros),
            late_reason: c.open_opt(breach::LATE_REASON.at(row.id), row.late_reason.as_ref())?,
            overdue: row.authority_notified_at.is_none()
                && risk != Risk::None
                && audit::now_micros() > notify_by,
            subjects_notified: notified,
        })
    }

    async fn breach_in(&self, db: &impl ConnectionTrait, s: &Session, id: Uuid) -> Result<BreachDto> {
        let row = breach::Entity::find_by_id(id).one(db).await?.ok_or(Error::NotFound(Subject::Breach))?;
        self.breach_of(db, s, row).await
    }

    /// A stored breach as the register shows it, with how many people were told.
    async fn breach_of(
        &self,
        db: &impl ConnectionTrait,
        s: &Session,
        row: breach::Model,
    ) -> Result<BreachDto> {
        let notified = breach_subject::Entity::find()
            .filter(breach_subject::Column::BreachId.eq(row.id))
            .filter(breach_subject::Column::NotifiedAt.is_not_null())
            .count(db)
            .await?;
        self.breach_dto(s, row, notified as i64)
    }

    /// Record a breach (DPO, `breach.manage`); its reference is the year and its number.
    pub async fn open_breach(&self, s: &Session, new: NewBreach) -> Result<BreachDto> {
        let mut w = self.begin(s, Action::BreachManage).await?;
        let discovered = instant(&new.discovered_at)?;
        if discovered > audit::now_micros() {
            return Err(Error::InvalidInput(Rule::BreachDiscoveredInFuture));
        }
        let from = new.occurred_from.as_deref().filter(|v| !v.trim().is_empty()).map(instant).transpose()?;
        let to = new.occurred_to.as_deref().filter(|v| !v.trim().is_empty()).map(instant).transpose()?;
        if matches!((from, to), (Some(f), Some(t)) if f > t) {
            return Err(Error::InvalidInput(Rule::BreachEndsBeforeStart));
        }
        let mut nature: Vec<&str> = Vec::new();
        for n in &new.nature {
            let n = NATURES
                .into_iter()
                .find(|k| *k == n.trim())
                .ok_or(Error::InvalidInput(Rule::UnknownBreachNature))?;
            if !nature.contains(&n) {
                nature.push(n);
            }
        }
        if nature.is_empty() {
            return Err(Error::InvalidInput(Rule::UnknownBreachNature));
        }
        let id = Uuid::now_v7();
        let c = cipher(&s.keys.audit_key);
        let seal = |column: Column<String>, v: &str| -> Result<Sealed<String>> {
            Ok(c.seal(column.at(id), &text(v, missing)?))
        };
        let year = chrono::Local::now().format("%Y").to_string();
        let this_year = breach::Entity::find()
            .filter(breach::Column::Reference.starts_with(format!("{year}-")))
            .count(&w.tx)
            .await?;
        let row = breach::Model {
            id,
            reference: format!("{year}-{:03}", this_year + 1),
            discovered_at: discovered,
            occurred_from: from,
            occurred_to: to,
            nature: nature.join(","),
            description: seal(breach::DESCRIPTION, &new.description)?,
            data_categories: seal(breach::DATA_CATEGORIES, &new.data_categories)?,
            consequences: seal(breach::CONSEQUENCES, &new.consequences)?,
            measures_taken: seal(breach::MEASURES_TAKEN, &new.measures_taken)?,
            measures_proposed: seal(breach::MEASURES_PROPOSED, &new.measures_proposed)?,
            risk: new.risk.as_str().into(),
            scope: None,
            subjects_count: 0,
            records_count: 0,
            authority_notified_at: None,
            late_reason: None,
            created_at: audit::now_micros(),
            created_by: s.staff_id(),
        };
        breach::Entity::insert(breach::ActiveModel::from(row.clone())).exec(&w.tx).await?;
        w.audit(
            Event::new(AuditAction::BreachOpen, "breach")
                .entity(id)
                .purpose(format!("risk {}", new.risk.as_str())),
        );
        w.commit().await?;
        self.breach_dto(s, row, 0)
    }

    /// Every breach, newest first.
    pub async fn list_breaches(&self, s: &Session) -> Result<Vec<BreachDto>> {
        let mut w = self.begin(s, Action::BreachManage).await?;
        let rows = breach::Entity::find().order_by_desc(breach::Column::DiscoveredAt).all(&w.tx).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.breach_of(&w.tx, s, r).await?);
        }
        w.audit(Event::new(AuditAction::BreachList, "breach").purpose("breach register"));
        w.commit().await?;
        Ok(out)
    }

    pub async fn breach(&self, s: &Session, id: Uuid) -> Result<BreachDto> {
        let mut w = self.begin(s, Action::BreachManage).await?;
        let dto = self.breach_in(&w.tx, s, id).await?;
        w.audit(Event::new(AuditAction::BreachRead, "breach").entity(id));
        w.commit().await?;
        Ok(dto)
    }

    /// Find the people the breach affected from the audit log and record them (with
    /// how many of their records each was touched), replacing an earlier search.
    pub async fn find_affected(&self, s: &Session, id: Uuid, scope: AffectedScope) -> Result<BreachDto> {
        let mut w = self.begin(s, Action::BreachManage).await?;
        breach::Entity::find_by_id(id).one(&w.tx).await?.ok_or(Error::NotFound(Subject::Breach))?;
        let found = affected_in(&w.tx, &scope).await?;
        let kind = match &scope {
            AffectedScope::Staff { .. } => "staff",
            AffectedScope::Workstation { .. } => "workstation",
            AffectedScope::AllPatients => "all",
        };
        // Who was already told stays told.
        let told: std::collections::HashMap<Uuid, i64> = breach_subject::Entity::find()
            .filter(breach_subject::Column::BreachId.eq(id))
            .all(&w.tx)
            .await?
            .into_iter()
            .filter_map(|r| r.notified_at.map(|at| (r.patient_id, at)))
            .collect();
        breach_subject::Entity::delete_many()
            .filter(breach_subject::Column::BreachId.eq(id))
            .exec(&w.tx)
            .await?;
        let records: i64 = found.iter().map(|(_, n)| n).sum();
        for chunk in found.chunks(500) {
            let rows = chunk.iter().map(|(patient_id, n)| breach_subject::ActiveModel {
                id: Set(Uuid::now_v7()),
                breach_id: Set(id),
                patient_id: Set(*patient_id),
                records: Set(*n),
                notified_at: Set(told.get(patient_id).copied()),
            });
            breach_subject::Entity::insert_many(rows).exec(&w.tx).await?;
        }
        breach::Entity::update_many()
            .set(breach::ActiveModel {
                scope: Set(Some(scope.stored()?)),
                subjects_count: Set(found.len() as i64),
                records_count: Set(records),
                ..Default::default()
            })
            .filter(breach::Column::Id.eq(id))
            .exec(&w.tx)
            .await?;
        w.audit(
            Event::new(AuditAction::BreachAffected, "breach")
                .entity(id)
                .purpose(format!("search by {kind}: {} people, {records} records", found.len())),
        );
        let dto = self.breach_in(&w.tx, s, id).await?;
        w.commit().await?;
        Ok(dto)
    }

    /// The people found for a breach, with their names (each name opened is audited).
    pub async fn affected_people(&self, s: &Session, id: Uuid) -> Result<Vec<AffectedDto>> {
        let mut w = self.begin(s, Action::BreachManage).await?;
        let rows = breach_subject::Entity::find()
            .filter(breach_subject::Column::BreachId.eq(id))
            .order_by_asc(breach_subject::Column::PatientId)
            .all(&w.tx)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let display_name = match crate::patients::find_row(&w.tx, r.patient_id).await {
                Ok(p) => crate::patients::open_display_name(&crate::patients::cipher_for(&s.keys, &p)?, &p)?,
                Err(e) if e.kind() == "not_found" => {
                    crate::gdpr::erasure::retained_name(&w.tx, &s.keys, r.patient_id).await?
                }
                Err(e) => return Err(e),
            };
            w.audit(
                Event::new(AuditAction::PatientRead, "patient")
                    .subject(r.patient_id)
                    .entity(id)
                    .purpose("breach notification"),
            );
            out.push(AffectedDto {
                patient_id: r.patient_id,
                display_name,
                records: r.records,
                notified_at: r.notified_at.map(audit::format_micros),
            });
        }
        w.commit().await?;
        Ok(out)
    }

    /// The notice to the supervisory authority (Art. 33(3)) as a PDF, recording
    /// that it went out now. Past 72 hours from discovery it needs the reason for
    /// the delay (Art. 33(1)), which the notice states.
    pub async fn notify_authority(
        &self,
        s: &Session,
        id: Uuid,
        late_reason: Option<&str>,
        lang: Language,
    ) -> Result<Vec<u8>> {
        let mut w = self.begin(s, Action::BreachManage).await?;
        let row = breach::Entity::find_by_id(id).one(&w.tx).await?.ok_or(Error::NotFound(Subject::Breach))?;
        let now = audit::now_micros();
        let late = now > row.discovered_at + NOTIFY_WITHIN_HOURS * 3_600_000_000;
        let reason = late_reason.map(str::trim).filter(|r| !r.is_empty());
        let sealed_reason = match (late, reason, &row.late_reason) {
            (true, None, None) => {
                return Err(Error::InvalidInput(Rule::DelayReasonRequired));
            }
            (_, Some(r), _) => {
                Some(cipher(&s.keys.audit_key).seal(breach::LATE_REASON.at(id), &text(r, missing)?))
            }
            (_, None, kept) => kept.clone(),
        };
        let first = row.authority_notified_at.unwrap_or(now);
        breach::Entity::update_many()
            .set(breach::ActiveModel {
                authority_notified_at: Set(Some(first)),
                late_reason: Set(sealed_reason),
                ..Default::default()
            })
            .filter(breach::Column::Id.eq(id))
            .exec(&w.tx)
            .await?;
        let dto = self.breach_in(&w.tx, s, id).await?;
        let clinic = self.letter_profile(&w.tx, s).await?;
        let pdf = crate::gdpr::breaches::letters::authority_notice(&clinic, &dto, lang)?;
        w.audit(Event::new(AuditAction::BreachNotifyAuthority, "breach").entity(id).purpose(if late {
            "notice to the authority, late"
        } else {
            "notice to the authority"
        }));
        w.commit().await?;
        Ok(pdf)
    }

    /// One letter to each person affected (Art. 34) and the merged file for
    /// printing; records when each was told (the first time stays).
    pub async fn notify_subjects(&self, s: &Session, id: Uuid, lang: Language) -> Result<SubjectLetters> {
        let mut w = self.begin(s, Action::BreachManage).await?;
        let dto = self.breach_in(&w.tx, s, id).await?;
        let clinic = self.letter_profile(&w.tx, s).await?;
        let rows = breach_subject::Entity::find()
            .filter(breach_subject::Column::BreachId.eq(id))
            .order_by_asc(breach_subject::Column::PatientId)
            .all(&w.tx)
            .await?;
        if rows.is_empty() {
            return Err(Error::InvalidInput(Rule::AffectedNotFound));
        }
        let today = chrono::Local::now().date_naive();
        let now = audit::now_micros();
        let mut docs = Vec::with_capacity(rows.len());
        let mut letters = Vec::with_capacity(rows.len());
        for r in &rows {
            // An erased person has no address left to write to: they are skipped.
            let Ok(p) = crate::patients::find_row(&w.tx, r.patient_id).await else { continue };
            let addressee = crate::gdpr::requests::letter_recipient(&w.tx, s, &p, None).await?;
            for e in addressee.reads {
                w.audit(e);
            }
            // Each person in their own language; the one asked for when they gave none.
            let theirs = addressee.language;
            let doc = crate::gdpr::breaches::letters::subject_letter(
                &clinic,
                &addressee.to,
                &dto,
                today,
                theirs.map_or(lang, Into::into),
            );
            letters.push((r.patient_id, doc.clone().to_pdf_bytes()?));
            docs.push(doc);
            if r.notified_at.is_none() {
                breach_subject::Entity::update_many()
                    .set(breach_subject::ActiveModel { notified_at: Set(Some(now)), ..Default::default() })
                    .filter(breach_subject::Column::Id.eq(r.id))
                    .exec(&w.tx)
                    .await?;
            }
            w.audit(
                Event::new(AuditAction::BreachNotifySubject, "breach")
                    .entity(id)
                    .subject(r.patient_id)
                    .purpose("letter to the person affected (Art. 34)"),
            );
        }
        let merged = Document::merged_pdf_bytes(&format!("{} {}", clinic.name, dto.reference), &docs)?;
        w.commit().await?;
        Ok(SubjectLetters { letters, merged })
    }
}

/// (patient, events) for `scope`, read from the audit log (or every patient).
async fn affected_in(db: &impl ConnectionTrait, scope: &AffectedScope) -> Result<Vec<(Uuid, i64)>> {
    let backend = db.get_database_backend();
    let (column, who, from, to) = match scope {
        AffectedScope::AllPatients => {
            let ids: Vec<Uuid> = patient::Entity::find()
                .filter(patient::Column::Status.ne(crate::patients::gdpr::ERASED))
                .all(db)
                .await?
                .into_iter()
                .map(|p| p.id)
                .collect();
            return Ok(ids.into_iter().map(|id| (id, 1)).collect());
        }
        AffectedScope::Staff { username, from, to } => ("actor", username.trim().to_lowercase(), from, to),
        AffectedScope::Workstation { name, from, to } => ("workstation", name.trim().to_owned(), from, to),
    };
    let (from, to) = (instant(from)?, instant(to)?);
    if from > to {
        return Err(Error::InvalidInput(Rule::BreachEndsBeforeStart));
    }
    let p = |i: u8| if backend == DbBackend::Postgres { format!("${i}") } else { "?".to_owned() };
    let sql = format!(
        "SELECT subject_id, COUNT(*) AS n FROM audit_event WHERE {column} = {} AND at >= {} AND at <= {} \
         AND subject_id IS NOT NULL AND outcome = 'success' GROUP BY subject_id",
        p(1),
        p(2),
        p(3)
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, [who.into(), from.into(), to.into()]))
        .await?;
    rows.iter().map(|r| Ok((r.try_get::<Uuid>("", "subject_id")?, r.try_get::<i64>("", "n")?))).collect()
}

/// The register in the GDPR interface: the people affected by a breach, by id.
#[derive(Debug)]
pub struct BreachRegister;

const HOLDINGS: &[crate::gdpr::Holding] = &[crate::gdpr::Holding {
    data: crate::gdpr::Bilingual {
        ro: "dacă datele dumneavoastră au fost atinse de un incident de securitate și când ați fost anunțat(ă)",
        en: "whether your data was affected by a security incident, and when you were told",
    },
    purpose: crate::gdpr::Bilingual {
        ro: "gestionarea incidentelor de securitate și informarea dumneavoastră",
        en: "handling security incidents and telling you about them",
    },
    legal_basis: crate::gdpr::Bilingual { ro: "art. 33 și 34 GDPR", en: "Art. 33 and 34 GDPR" },
    recipients: crate::gdpr::Bilingual {
        ro: "ANSPDCP, în notificarea unui incident (doar numărul persoanelor, nu numele)",
        en: "the supervisory authority, in a breach notice (only how many people, not who)",
    },
    source: crate::gdpr::Bilingual { ro: "jurnalul de acces", en: "the access log" },
    retention: "audit_log",
}];

const KEEP: crate::gdpr::Bilingual = crate::gdpr::Bilingual {
    ro: "registrul incidentelor de securitate trebuie păstrat pentru verificarea autorității (art. 33 alin. (5) GDPR)",
    en: "the breach register must be kept for the authority to verify (Art. 33(5) GDPR)",
};

#[async_trait::async_trait]
impl crate::gdpr::PersonalData for BreachRegister {
    fn about(&self) -> crate::gdpr::About {
        crate::gdpr::About::new("breaches", &["breach_subject"], HOLDINGS)
    }

    async fn export(&self, cx: &crate::gdpr::Subject<'_>) -> Result<Vec<crate::gdpr::ExportPart>> {
        let rows = breach_subject::Entity::find()
            .filter(breach_subject::Column::PatientId.eq(cx.id()))
            .all(cx.tx)
            .await?;
        let mut records = Vec::with_capacity(rows.len());
        for r in rows {
            let b = breach::Entity::find_by_id(r.breach_id).one(cx.tx).await?;
            records.push(crate::gdpr::Record {
                id: r.id,
                fields: vec![
                    crate::gdpr::field("breach", b.map(|b| b.reference)),
                    crate::gdpr::field("records", r.records.to_string()),
                    crate::gdpr::field("notified_at", r.notified_at.map(audit::format_micros)),
                ],
            });
        }
        Ok(vec![crate::gdpr::ExportPart { kind: "breaches", records, ..Default::default() }])
    }

    async fn fate(&self, cx: &crate::gdpr::Subject<'_>) -> Result<crate::gdpr::Fate> {
        cx.keep("audit_log", cx.today, KEEP)
    }

    async fn erase(
        &self,
        cx: &crate::gdpr::Subject<'_>,
        fate: &crate::gdpr::Fate,
        _retained: &FieldCipher,
    ) -> Result<Vec<crate::gdpr::ErasedPart>> {
        let kept = breach_subject::Entity::find()
            .filter(breach_subject::Column::PatientId.eq(cx.id()))
            .count(cx.tx)
            .await?;
        Ok(vec![crate::gdpr::ErasedPart::kept("breaches", kept, fate)])
    }
}
