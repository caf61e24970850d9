//! The record of processing activities (GDPR Art. 30): for each activity its
//! purpose, categories of data and of data subjects, legal basis, retention,
//! recipients and processors, transfers outside the EU with their safeguard, and
//! the security measures; the controller's and the DPO's particulars on top.
//!
//! Set-up writes the default activities in Romanian (`assets/art30-defaults-ro.csv`,
//! the translation of the domain notes' seed register `assets/art30-defaults.csv`,
//! which a test keeps in step with it); the DPO edits them. Retention is never typed
//! twice: an activity names retention categories and the register prints their
//! periods from the retention schedule, plus a note for what the schedule does
//! not cover. Exported as a PDF (Romanian or English headings) and as CSV.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder};
use serde::{Deserialize, Serialize};

use crate::admin::profile::ClinicProfile;
use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Gdpr;
use crate::documents::{Document, Language};
use crate::error::{Error, Result};
use crate::gdpr::retention::{CATEGORIES, RetentionRule};
use crate::rules::{Rule, Subject};
use crate::store::entities::processing_activity;

/// The register a Romanian clinic files: the seed register of the domain notes, translated.
const DEFAULTS_CSV: &str = include_str!("../../assets/art30-defaults-ro.csv");
/// The domain notes' seed register, in English: the source the translation follows.
#[cfg(test)]
const SOURCE_CSV: &str = include_str!("../../assets/art30-defaults.csv");

/// The security measures Cuspid itself puts in place, the default for every activity.
const SECURITY: &str = "Date personale criptate câmp cu câmp (XChaCha20-Poly1305, o cheie pentru fiecare \
                        pacient, protejată de cheia cabinetului); acces după rol, fiecare acces și fiecare \
                        modificare scrise într-un jurnal de audit înlănțuit criptografic; datele păstrate pe \
                        calculatoarele cabinetului; blocarea ecranului după inactivitate; parole derivate cu \
                        Argon2id; ștergere prin distrugerea cheii pacientului.";

/// Which retention categories each default activity's data falls under, and a note
/// for what the schedule does not cover.
const RETENTION: [(&str, &str, Option<&str>); 10] = [
    ("A01", "medical_records,xrays,treatment_plans", None),
    ("A02", "appointments", None),
    ("A03", "invoices", None),
    ("A04", "consent_records,messages", None),
    ("A05", "staff_accounts", Some("durata contului + 90 de zile")),
    ("A06", "audit_log", None),
    ("A07", "", Some("2 ani")),
    ("A08", "request_log", Some("fișierele exportate se șterg după predare")),
    ("A09", "backups", None),
    ("A10", "", Some("registrul incidentelor 6 ani")),
];

/// What the DPO can change in an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ActivityInput {
    pub name: String,
    pub purpose: String,
    pub data_categories: String,
    pub data_subjects: String,
    pub legal_basis: String,
    /// Retention categories (`medical_records`, ...), from the retention schedule.
    pub retention_categories: Vec<String>,
    /// What the schedule does not say (kept short).
    #[ts(optional = nullable)]
    pub retention_note: Option<String>,
    pub recipients: String,
    /// `none`, or the country and the safeguard (Art. 46).
    pub transfers: String,
    pub security_measures: String,
}

/// One activity as the register prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ActivityDto {
    pub code: String,
    #[serde(flatten)]
    pub fields: ActivityInput,
    /// The retention in words, from the schedule and the note.
    pub retention: String,
}

/// The whole register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Article30Register {
    /// The controller and its DPO; `None` until the clinic's particulars are recorded.
    pub controller: Option<ClinicProfile>,
    pub activities: Vec<ActivityDto>,
}

/// The default activities, parsed from the embedded CSV.
fn defaults() -> Result<Vec<(String, ActivityInput)>> {
    let bad = || Error::Internal("the default Article 30 register does not parse".into());
    let mut reader = csv::Reader::from_reader(DEFAULTS_CSV.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let r = record.map_err(|_| bad())?;
        let field = |i: usize| r.get(i).map(str::to_owned).ok_or_else(bad);
        let code = field(0)?;
        let (_, categories, note) = RETENTION.iter().find(|(c, _, _)| *c == code).ok_or_else(bad)?;
        out.push((
            code,
            ActivityInput {
                name: field(1)?,
                purpose: field(2)?,
                data_categories: field(3)?,
                data_subjects: field(4)?,
                legal_basis: field(5)?,
                retention_categories: categories
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect(),
                retention_note: note.map(str::to_owned),
                recipients: field(7)?,
                transfers: field(8)?,
                security_measures: SECURITY.into(),
            },
        ));
    }
    Ok(out)
}

/// Write the default activities (at set-up, inside its transaction).
/// The default processing activities, written at set-up.
pub(crate) struct DefaultActivities;

#[async_trait::async_trait]
impl crate::clinic::hooks::Seed for DefaultActivities {
    async fn seed(&self, tx: &sea_orm::DatabaseTransaction) -> Result<()> {
        seed(tx).await
    }
}

async fn seed(db: &impl ConnectionTrait) -> Result<()> {
    let now = audit::now_micros();
    let rows: Vec<processing_activity::ActiveModel> = defaults()?
        .into_iter()
        .enumerate()
        .map(|(i, (code, a))| processing_activity::ActiveModel {
            code: Set(code),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            name: Set(a.name),
            purpose: Set(a.purpose),
            data_categories: Set(a.data_categories),
            data_subjects: Set(a.data_subjects),
            legal_basis: Set(a.legal_basis),
            retention_categories: Set(a.retention_categories.join(",")),
            retention_note: Set(a.retention_note),
            recipients: Set(a.recipients),
            transfers: Set(a.transfers),
            security_measures: Set(a.security_measures),
            updated_at: Set(now),
            updated_by: Set(None),
        })
        .collect();
    processing_activity::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// A retention category as the register names it.
fn category_words(category: &str, lang: Language) -> String {
    let ro = match category {
        "medical_records" => "fișa medicală",
        "xrays" => "radiografii",
        "treatment_plans" => "planuri de tratament",
        "appointments" => "programări",
        "invoices" => "facturi",
        "staff_accounts" => "conturile personalului",
        "consent_records" => "consimțăminte",
        "messages" => "mesaje",
        "request_log" => "registrul cererilor",
        "audit_log" => "jurnalul de audit",
        "system_logs" => "jurnalele sistemului",
        "backups" => "copii de siguranță",
        other => other,
    };
    match lang {
        Language::Ro => ro.to_owned(),
        Language::En => category.replace('_', " "),
    }
}

fn retention_words(
    categories: &[String],
    note: Option<&str>,
    rules: &[RetentionRule],
    lang: Language,
) -> String {
    let mut parts: Vec<String> = categories
        .iter()
        .filter_map(|c| rules.iter().find(|r| &r.category == c))
        .map(|r| format!("{}: {}", category_words(&r.category, lang), r.describe_in(lang)))
        .collect();
    parts.extend(note.map(str::to_owned));
    parts.join("; ")
}

/// An activity as the register prints it; the retention in the register's language
/// (Romanian, like its default texts).
fn to_dto(row: processing_activity::Model, rules: &[RetentionRule]) -> ActivityDto {
    to_dto_in(row, rules, Language::Ro)
}

fn to_dto_in(row: processing_activity::Model, rules: &[RetentionRule], lang: Language) -> ActivityDto {
    let categories: Vec<String> =
        row.retention_categories.split(',').filter(|c| !c.is_empty()).map(str::to_owned).collect();
    ActivityDto {
        code: row.code,
        retention: retention_words(&categories, row.retention_note.as_deref(), rules, lang),
        fields: ActivityInput {
            name: row.name,
            purpose: row.purpose,
            data_categories: row.data_categories,
            data_subjects: row.data_subjects,
            legal_basis: row.legal_basis,
            retention_categories: categories,
            retention_note: row.retention_note,
            recipients: row.recipients,
            transfers: row.transfers,
            security_measures: row.security_measures,
        },
    }
}

fn checked(a: ActivityInput) -> Result<ActivityInput> {
    let required = [&a.name, &a.purpose, &a.data_categories, &a.data_subjects, &a.legal_basis, &a.recipients];
    if required.iter().any(|v| v.trim().is_empty()) || a.transfers.trim().is_empty() {
        return Err(Error::InvalidInput(Rule::ActivityIncomplete));
    }
    if a.security_measures.trim().is_empty() {
        return Err(Error::InvalidInput(Rule::SecurityMeasuresRequired));
    }
    for c in &a.retention_categories {
        if !CATEGORIES.iter().any(|d| d.0 == c.as_str()) {
            return Err(Error::InvalidInput(Rule::UnknownRetentionCategory));
        }
    }
    if a.retention_categories.is_empty() && a.retention_note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(Error::InvalidInput(Rule::ActivityRetentionRequired));
    }
    let t = |s: String| s.trim().to_owned();
    Ok(ActivityInput {
        name: t(a.name),
        purpose: t(a.purpose),
        data_categories: t(a.data_categories),
        data_subjects: t(a.data_subjects),
        legal_basis: t(a.legal_basis),
        retention_categories: a.retention_categories,
        retention_note: a.retention_note.map(t).filter(|n| !n.is_empty()),
        recipients: t(a.recipients),
        transfers: t(a.transfers),
        security_measures: t(a.security_measures),
    })
}

impl Gdpr<'_> {
    /// The register: the controller's particulars and every activity, in order.
    pub async fn article30_register(&self, s: &Session) -> Result<Article30Register> {
        self.article30_register_in(s, Language::Ro).await
    }

    /// The register with its retention periods worded in `lang`.
    async fn article30_register_in(&self, s: &Session, lang: Language) -> Result<Article30Register> {
        let rules = self.retention_rules(s).await?;
        let controller = self.admin().clinic_profile(s).await?;
        let rows = processing_activity::Entity::find()
            .order_by_asc(processing_activity::Column::Position)
            .all(self.store().connection())
            .await?;
        Ok(Article30Register {
            controller,
            activities: rows.into_iter().map(|r| to_dto_in(r, &rules, lang)).collect(),
        })
    }

    /// Change an activity (DPO); the audit event names the activity, not its text.
    pub async fn update_activity(
        &self,
        s: &Session,
        code: &str,
        input: ActivityInput,
    ) -> Result<ActivityDto> {
        let permit = self.authorize(s, Action::RetentionManage).await?;
        let input = checked(input)?;
        let rules = self.retention_rules(s).await?;
        let mut w = self.work(permit).await?;
        let row = processing_activity::Entity::find_by_id(code.trim())
            .one(&w.tx)
            .await?
            .ok_or(Error::NotFound(Subject::ProcessingActivity))?;
        let updated = processing_activity::Model {
            code: row.code.clone(),
            position: row.position,
            name: input.name,
            purpose: input.purpose,
            data_categories: input.data_categories,
            data_subjects: input.data_subjects,
            legal_basis: input.legal_basis,
            retention_categories: input.retention_categories.join(","),
            retention_note: input.retention_note,
            recipients: input.recipients,
            transfers: input.transfers,
            security_measures: input.security_measures,
            updated_at: audit::now_micros(),
            updated_by: Some(s.staff_id()),
        };
        processing_activity::Entity::update(
            processing_activity::ActiveModel::from(updated.clone()).reset_all(),
        )
        .exec(&w.tx)
        .await?;
        w.audit(Event::new(AuditAction::Article30Change, "processing_activity").entity(&row.code));
        w.commit().await?;
        Ok(to_dto(updated, &rules))
    }

    /// The register as CSV (one row per activity, the controller in the first lines).
    pub async fn article30_csv(&self, s: &Session) -> Result<String> {
        let register = self.article30_register(s).await?;
        let fail = |_| Error::Internal("the register could not be written as CSV".into());
        let mut w = csv::Writer::from_writer(Vec::new());
        if let Some(c) = &register.controller {
            w.write_record(["controller", &c.name, &c.address, &c.fiscal_code, "", "", "", "", "", ""])
                .map_err(fail)?;
            w.write_record(["dpo", &c.dpo.line(), "", "", "", "", "", "", "", ""]).map_err(fail)?;
        }
        w.write_record([
            "id",
            "activity",
            "purpose",
            "data_categories",
            "data_subjects",
            "legal_basis",
            "retention",
            "recipients_processors",
            "transfer_outside_eu",
            "security_measures",
        ])
        .map_err(fail)?;
        for a in &register.activities {
            let f = &a.fields;
            w.write_record([
                &a.code,
                &f.name,
                &f.purpose,
                &f.data_categories,
                &f.data_subjects,
                &f.legal_basis,
                &a.retention,
                &f.recipients,
                &f.transfers,
                &f.security_measures,
            ])
            .map_err(fail)?;
        }
        let bytes =
            w.into_inner().map_err(|_| Error::Internal("the register could not be written as CSV".into()))?;
        String::from_utf8(bytes)
            .map_err(|_| Error::Internal("the register could not be written as CSV".into()))
    }

    /// The register as a printable PDF.
    pub async fn article30_pdf(&self, s: &Session, lang: Language) -> Result<Vec<u8>> {
        let register = self.article30_register_in(s, lang).await?;
        let c = register.controller.as_ref().ok_or(Error::InvalidInput(Rule::ParticularsRequired))?;
        let t = Texts::of(lang);
        let mut doc = Document::new(lang, t.title)
            .field(t.controller, &format!("{}, {}", c.name, c.address.replace('\n', ", ")))
            .field(t.fiscal_code, &c.fiscal_code)
            .field(t.dpo, &c.dpo.line())
            .field(t.date, &lang.long_date(chrono::Local::now().date_naive()));
        for a in &register.activities {
            let f = &a.fields;
            doc = doc
                .heading(&format!("{} {}", a.code, f.name))
                .field(t.purpose, &f.purpose)
                .field(t.data, &f.data_categories)
                .field(t.subjects, &f.data_subjects)
                .field(t.basis, &f.legal_basis)
                .field(t.retention, &a.retention)
                .field(t.recipients, &f.recipients)
                .field(t.transfers, &f.transfers)
                .field(t.security, &f.security_measures);
        }
        doc.to_pdf_bytes()
    }
}

struct Texts {
    title: &'static str,
    controller: &'static str,
    fiscal_code: &'static str,
    dpo: &'static str,
    date: &'static str,
    purpose: &'static str,
    data: &'static str,
    subjects: &'static str,
    basis: &'static str,
    retention: &'static str,
    recipients: &'static str,
    transfers: &'static str,
    security: &'static str,
}

impl Texts {
    fn of(lang: Language) -> &'static Texts {
        match lang {
            Language::Ro => &Texts {
                title: "Registrul activităților de prelucrare (art. 30 GDPR)",
                controller: "Operator",
                fiscal_code: "Cod fiscal",
                dpo: "Responsabil cu protecția datelor",
                date: "Data",
                purpose: "Scop",
                data: "Categorii de date",
                subjects: "Persoane vizate",
                basis: "Temei legal",
                retention: "Păstrare",
                recipients: "Destinatari și persoane împuternicite",
                transfers: "Transferuri în afara UE",
                security: "Măsuri de securitate",
            },
            Language::En => &Texts {
                title: "Record of processing activities (GDPR Art. 30)",
                controller: "Controller",
                fiscal_code: "Fiscal code",
                dpo: "Data protection officer",
                date: "Date",
                purpose: "Purpose",
                data: "Categories of data",
                subjects: "Data subjects",
                basis: "Legal basis",
                retention: "Retention",
                recipients: "Recipients and processors",
                transfers: "Transfers outside the EU",
                security: "Security measures",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_register_has_the_ten_activities_of_the_domain_notes() {
        let d = defaults().unwrap();
        let codes: Vec<_> = d.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A09", "A10"]);
        let billing = &d[2].1;
        assert_eq!(billing.name, "Facturare și încasări");
        assert!(billing.transfers.contains("2021/914"), "quoted CSV fields with commas survive");
        for (code, a) in &d {
            assert!(
                !a.retention_categories.is_empty() || a.retention_note.is_some(),
                "{code} says how long its data is kept"
            );
            for c in &a.retention_categories {
                assert!(CATEGORIES.iter().any(|d| d.0 == c), "{code}: {c} is in the schedule");
            }
        }
    }

    #[test]
    fn the_romanian_defaults_translate_every_activity_and_field_of_the_source() {
        let rows = |text: &str| -> Vec<Vec<String>> {
            csv::Reader::from_reader(text.as_bytes())
                .records()
                .map(|r| r.unwrap().iter().map(str::to_owned).collect())
                .collect()
        };
        let (source, ro) = (rows(SOURCE_CSV), rows(DEFAULTS_CSV));
        assert_eq!(source.len(), ro.len(), "one translated row per activity");
        for (en, ro) in source.iter().zip(&ro) {
            assert_eq!(en[0], ro[0], "same activity, same order");
            assert_eq!(en.len(), ro.len());
            for (i, (e, r)) in en.iter().zip(ro).enumerate() {
                assert_eq!(e.trim().is_empty(), r.trim().is_empty(), "{} column {i}", en[0]);
            }
        }
    }
}
