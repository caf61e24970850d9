//! The design rule of the GDPR office: every module that holds personal data takes
//! part through one interface, [`PersonalData`]. It says which tables the module
//! keeps personal data in, what it holds and why (for the letters), which of its
//! use cases a restriction stops, and it exports and erases-or-retains one
//! person's data. [`MODULES`] lists the implementations; a test lists the tables of
//! the real schema and fails when one is neither covered here nor in
//! [`NOT_PERSONAL`] with the reason it holds no one's data.
//!
//! `export` builds the access / portability export (Art. 15, 20) from every module;
//! `erasure` destroys what may go and keeps under a retention key what must stay
//! (Art. 17).

pub mod article30;
pub mod breaches;
pub mod erasure;
pub mod export;
pub mod fhir;
pub mod passphrase;
pub mod purge;
pub mod requests;
pub mod restriction;
pub mod retention;

use async_trait::async_trait;
use chrono::NaiveDate;
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use crate::auth::{Action, ClinicKeys};
use crate::crypto::FieldCipher;
use crate::error::Result;
use crate::store::entities::patient;

/// A text in both languages of the letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bilingual {
    pub ro: &'static str,
    pub en: &'static str,
}

impl Bilingual {
    pub fn get(self, lang: crate::documents::Language) -> &'static str {
        match lang {
            crate::documents::Language::Ro => self.ro,
            crate::documents::Language::En => self.en,
        }
    }
}

/// One category of data a module holds, with what Art. 15(1) asks a letter to say
/// about it. Its retention is the schedule's (`retention` names the category).
#[derive(Debug, Clone, Copy)]
pub struct Holding {
    pub data: Bilingual,
    pub purpose: Bilingual,
    pub legal_basis: Bilingual,
    pub recipients: Bilingual,
    pub source: Bilingual,
    /// A category of the retention schedule (`medical_records`, ...).
    pub retention: &'static str,
}

/// One exported record: its id and its fields as text (`None`: not given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: Uuid,
    pub fields: Vec<(&'static str, Option<String>)>,
}

/// What one module gives an export: records of one kind (one CSV file, one JSON
/// array, one XML element) and the FHIR R4 resources it maps them to.
#[derive(Debug, Clone, Default)]
pub struct ExportPart {
    pub kind: &'static str,
    pub records: Vec<Record>,
    pub fhir: Vec<serde_json::Value>,
    /// Files given as they are (an X-ray's original): (name in the export, bytes).
    pub files: Vec<(String, Vec<u8>)>,
}

/// The person an export or an erasure is about, inside the use case's transaction.
pub struct Subject<'a> {
    pub(crate) tx: &'a DatabaseTransaction,
    pub(crate) keys: &'a ClinicKeys,
    pub(crate) patient: &'a patient::Model,
    pub(crate) cipher: &'a FieldCipher,
    pub(crate) staff_names: &'a std::collections::HashMap<Uuid, String>,
    /// Where sealed files (X-ray originals) are kept.
    pub(crate) blobs: &'a crate::store::blobs::Blobs,
    /// The retention schedule in force.
    pub(crate) rules: &'a [crate::gdpr::retention::RetentionRule],
    pub(crate) today: NaiveDate,
    /// When the person's relationship with the clinic ended: today for an erasure
    /// request, the last activity for the retention job.
    pub(crate) relationship_end: NaiveDate,
    /// An export gives image files byte for byte (else de-identified).
    pub(crate) image_originals: bool,
    /// The language an export's words are written in (FHIR displays among them): the
    /// reader's, else the clinic's.
    pub(crate) language: crate::documents::Language,
}

impl std::fmt::Debug for Subject<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subject").field("patient", &self.patient.id).finish_non_exhaustive()
    }
}

impl Subject<'_> {
    pub(crate) fn id(&self) -> Uuid {
        self.patient.id
    }

    pub(crate) fn staff(&self, id: Uuid) -> String {
        self.staff_names.get(&id).cloned().unwrap_or_else(|| "unknown".into())
    }

    /// Keep until the end of `category`'s period counted from `from`.
    pub(crate) fn keep(&self, category: &str, from: NaiveDate, reason: Bilingual) -> Result<Fate> {
        let until = crate::gdpr::retention::rule(self.rules, category)?.ends(from);
        Ok(if until > self.today { Fate::Keep { until, reason } } else { Fate::Erase })
    }

    /// A part of the medical record: kept for its period from `last` (the day of the
    /// latest record, `YYYY-MM-DD`), erased when there is none.
    pub(crate) fn keep_medical(&self, last: Option<&str>) -> Result<Fate> {
        match last.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
            Some(day) => self.keep("medical_records", day, medical::KEEP),
            None => Ok(Fate::Erase),
        }
    }

    /// [`keep_medical`](Self::keep_medical) from the person's latest row of a table
    /// of the medical record: `patient` is its column naming the person, `date` the
    /// column of the row's day and `day` reads it.
    pub(crate) async fn medical_fate<E: sea_orm::EntityTrait>(
        &self,
        patient: E::Column,
        date: E::Column,
        day: impl Fn(&E::Model) -> &str,
    ) -> Result<Fate> {
        use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
        let last = E::find().filter(patient.eq(self.id())).order_by_desc(date).one(self.tx).await?;
        self.keep_medical(last.as_ref().map(day))
    }
}

/// What every part of the medical record says of itself in the letters.
pub(crate) mod medical {
    use super::Bilingual;

    pub(crate) const BASIS: Bilingual = Bilingual {
        ro: "art. 9 alin. (2) lit. (h) GDPR; Legea nr. 95/2006 și Legea nr. 46/2003",
        en: "Art. 9(2)(h) GDPR; Romanian Laws 95/2006 and 46/2003",
    };
    pub(crate) const RECIPIENTS: Bilingual = Bilingual {
        ro: "medicii cabinetului; alți medici doar cu acordul dumneavoastră",
        en: "the clinic's dentists; other doctors only with your agreement",
    };
    pub(crate) const CARE: Bilingual =
        Bilingual { ro: "îngrijirea dumneavoastră stomatologică", en: "your dental care" };
    pub(crate) const KEEP: Bilingual = Bilingual {
        ro: "fișa medicală se păstrează 7 ani de la ultimul tratament, cum cere legea",
        en: "the medical record is kept 7 years after the last treatment, as the law requires",
    };
}

/// What a use case about one person opens before asking the modules: the person's
/// field cipher and the staff names records refer to.
pub(crate) struct Opened {
    cipher: FieldCipher,
    names: std::collections::HashMap<Uuid, String>,
    blobs: crate::store::blobs::Blobs,
}

impl Opened {
    pub(crate) async fn new(
        tx: &DatabaseTransaction,
        keys: &ClinicKeys,
        row: &patient::Model,
        blobs: crate::store::blobs::Blobs,
    ) -> Result<Self> {
        Ok(Opened { cipher: crate::patients::cipher_for(keys, row)?, names: staff_names(tx).await?, blobs })
    }

    pub(crate) fn cipher(&self) -> &FieldCipher {
        &self.cipher
    }

    /// The person as the modules see them, today, the relationship ending on `relationship_end`.
    pub(crate) fn subject<'a>(
        &'a self,
        tx: &'a DatabaseTransaction,
        keys: &'a ClinicKeys,
        patient: &'a patient::Model,
        rules: &'a [crate::gdpr::retention::RetentionRule],
        relationship_end: NaiveDate,
    ) -> Subject<'a> {
        Subject {
            tx,
            keys,
            patient,
            cipher: &self.cipher,
            staff_names: &self.names,
            blobs: &self.blobs,
            rules,
            today: chrono::Local::now().date_naive(),
            relationship_end,
            image_originals: false,
            language: crate::documents::Language::Ro,
        }
    }
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened").finish_non_exhaustive()
    }
}

/// Whether a category goes or stays when the person asks for erasure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Nothing stands in the way: destroy it.
    Erase,
    /// The law (or a legal claim) keeps it until `until`, for `reason`.
    Keep { until: NaiveDate, reason: Bilingual },
}

/// What an erasure did to one kind of record, counted from what the store reported.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ErasedPart {
    pub kind: String,
    /// Records destroyed (rows deleted or emptied, as the database counted them).
    #[ts(type = "number")]
    pub erased: u64,
    /// Records kept under the retention key.
    #[ts(type = "number")]
    pub kept: u64,
    /// Until when the kept ones stay (`YYYY-MM-DD`).
    #[ts(optional = nullable)]
    pub kept_until: Option<String>,
    /// Why they stay, in Romanian and English.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub kept_why: Option<Why>,
}

/// A reason, as the letters give it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Why {
    pub ro: String,
    pub en: String,
}

impl ErasedPart {
    /// `n` records of `kind` destroyed.
    pub(crate) fn erased(kind: &str, n: u64) -> Self {
        ErasedPart { kind: kind.into(), erased: n, kept: 0, kept_until: None, kept_why: None }
    }

    /// `n` records of `kind` kept as `fate` says (erased when the fate is to erase).
    pub(crate) fn kept(kind: &str, n: u64, fate: &Fate) -> Self {
        match fate {
            Fate::Erase => Self::erased(kind, 0),
            Fate::Keep { until, reason } => ErasedPart {
                kind: kind.into(),
                erased: 0,
                kept: n,
                kept_until: Some(until.to_string()),
                kept_why: Some(Why { ro: reason.ro.into(), en: reason.en.into() }),
            },
        }
    }
}

/// What a module holding personal data declares about itself.
#[derive(Debug, Clone, Copy)]
pub struct About {
    /// The module's name (`patients`, `consent`, ...).
    pub module: &'static str,
    /// The tables it keeps a person's data in.
    pub tables: &'static [&'static str],
    /// What it holds and why, for the access letter.
    pub holdings: &'static [Holding],
    /// Its use cases that a restriction (Art. 18) refuses to anyone but the DPO;
    /// none for records that are only kept (logs, registers).
    pub restricted_actions: &'static [Action],
}

impl About {
    pub const fn new(
        module: &'static str,
        tables: &'static [&'static str],
        holdings: &'static [Holding],
    ) -> Self {
        About { module, tables, holdings, restricted_actions: &[] }
    }

    /// The use cases a restriction stops.
    pub const fn restricting(self, actions: &'static [Action]) -> Self {
        About { restricted_actions: actions, ..self }
    }
}

/// The interface every module holding personal data implements.
#[async_trait]
pub trait PersonalData: Sync {
    /// Its name, tables, holdings and restricted use cases.
    fn about(&self) -> About;
    fn module(&self) -> &'static str {
        self.about().module
    }
    fn tables(&self) -> &'static [&'static str] {
        self.about().tables
    }
    /// Everything it holds about the person, opened.
    async fn export(&self, cx: &Subject<'_>) -> Result<Vec<ExportPart>>;
    /// What erasure may do with its data today.
    async fn fate(&self, cx: &Subject<'_>) -> Result<Fate>;
    /// Destroy the person's data, or re-seal what must stay under `retained`
    /// (the person's retention cipher); report what the store changed.
    async fn erase(&self, cx: &Subject<'_>, fate: &Fate, retained: &FieldCipher) -> Result<Vec<ErasedPart>>;
}

/// Every module that holds personal data, in the order exports list them.
pub static MODULES: &[&dyn PersonalData] = &[
    &crate::patients::gdpr::PatientRecords,
    &crate::consent::gdpr::ConsentRecords,
    &crate::consent::gdpr::GuardianLinks,
    &crate::gdpr::requests::RequestLog,
    &crate::audit::AuditTrail,
    &erasure::ErasureLog,
    &crate::gdpr::breaches::BreachRegister,
    &crate::clinical::chart::gdpr::ToothChart,
    &crate::clinical::gdpr::ClinicalRecords,
    &crate::clinical::imaging::gdpr::Imaging,
    &crate::clinical::plans::gdpr::TreatmentPlans,
];

/// Tables that hold no one's personal data, each with the reason. The coverage
/// test fails on a table that is in neither list, or in this one while it has a
/// `patient_id` column.
pub const NOT_PERSONAL: &[(&str, &str)] = &[
    ("clinic_meta", "the clinic's name and wrapped keys"),
    ("staff", "staff accounts: the staff's own user names, anonymised by the retention job"),
    ("key_slot", "wrapped copies of the clinic key"),
    ("staff_recovery_code", "MACs of staff members' one-time recovery codes for two-factor sign-in"),
    ("audit_head", "the audit chain's head hash"),
    ("privacy_notice", "the clinic's published notice texts"),
    ("setting", "clinic-wide settings"),
    ("clinic_profile", "the clinic's particulars; the DPO's contact is sealed and is the DPO's own"),
    ("retention_rule", "the retention schedule"),
    ("processing_activity", "the Article 30 register"),
    ("procedure", "the clinic's procedure catalogue"),
    ("breach", "the breach register: facts of an incident; the people affected are in breach_subject"),
    ("seaql_migrations", "schema version bookkeeping"),
];

/// The module that claims `table`, if any.
pub fn module_of(table: &str) -> Option<&'static str> {
    MODULES.iter().find(|m| m.tables().contains(&table)).map(|m| m.module())
}

/// Whether `action` is one some module lets a restriction stop.
pub fn restricted_by_some_module(action: Action) -> bool {
    MODULES.iter().any(|m| m.about().restricted_actions.contains(&action))
}

/// Staff user names by id (records name who did what by user name).
pub(crate) async fn staff_names(
    db: &impl sea_orm::ConnectionTrait,
) -> Result<std::collections::HashMap<Uuid, String>> {
    use sea_orm::EntityTrait;
    Ok(crate::store::entities::staff::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.username))
        .collect())
}

/// A field of a record.
pub(crate) fn field(name: &'static str, value: impl Into<Option<String>>) -> (&'static str, Option<String>) {
    (name, value.into())
}

/// Every module's holdings as the letters print them, the retention from the schedule.
pub(crate) fn holding_lines(
    rules: &[crate::gdpr::retention::RetentionRule],
    lang: crate::documents::Language,
) -> Result<Vec<crate::gdpr::requests::letters::HoldingLine>> {
    MODULES
        .iter()
        .flat_map(|m| m.about().holdings)
        .map(|h| {
            Ok(crate::gdpr::requests::letters::HoldingLine {
                data: h.data.get(lang).to_owned(),
                purpose: h.purpose.get(lang).to_owned(),
                legal_basis: h.legal_basis.get(lang).to_owned(),
                recipients: h.recipients.get(lang).to_owned(),
                source: h.source.get(lang).to_owned(),
                retention: crate::gdpr::retention::rule(rules, h.retention)?.describe_in(lang),
            })
        })
        .collect()
}
