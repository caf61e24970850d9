//! What crosses the boundary (CLI, IPC): plain serializable values.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::documents::Language;
use crate::gdpr::restriction::Restriction;
use crate::patients::Sex;

/// The personal fields of a patient, opened.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PatientFields {
    pub first_name: String,
    pub last_name: String,
    pub cnp: Option<String>,
    /// `YYYY-MM-DD`
    pub birth_date: Option<String>,
    pub sex: Option<Sex>,
    /// E.164, e.g. `+40721234567`
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub emergency_contact: Option<String>,
    /// The language letters to the patient are written in (none: the clinic's).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub language: Option<Language>,
}

crate::redact::redacted_debug!(PatientFields {
    shown: [],
    redacted: [
        first_name,
        last_name,
        cnp,
        birth_date,
        sex,
        phone,
        email,
        address,
        emergency_contact,
        language
    ]
});

/// Input of a registration, as typed (the core parses and checks it into
/// [`PatientFields`]). Birth date and sex may be left out when a CNP gives them.
/// A patient under 16 needs `guardian` and a health-data consent given by them.
#[derive(Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct NewPatient {
    pub first_name: String,
    pub last_name: String,
    pub cnp: Option<String>,
    pub birth_date: Option<String>,
    /// `f` or `m` (also `female`, `male`, in any case).
    pub sex: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub emergency_contact: Option<String>,
    /// `ro` or `en`, in any case; none: the clinic's language.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub language: Option<String>,
    /// A parent or guardian (an existing patient) to link in the same transaction.
    #[serde(default)]
    pub guardian: Option<crate::consent::GuardianInput>,
    /// Consents given at registration (by the patient, or by the guardian for a minor).
    #[serde(default)]
    pub consents: Vec<crate::consent::ConsentInput>,
}

crate::redact::redacted_debug!(NewPatient {
    shown: [guardian, consents],
    redacted: [
        first_name,
        last_name,
        cnp,
        birth_date,
        sex,
        phone,
        email,
        address,
        emergency_contact,
        language
    ]
});

/// A change to a patient: `None` keeps a field, `Some("")` clears an optional one.
#[derive(Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct PatientChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub cnp: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub emergency_contact: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub language: Option<String>,
}

crate::redact::redacted_debug!(PatientChanges {
    shown: [],
    redacted: [
        first_name,
        last_name,
        cnp,
        birth_date,
        sex,
        phone,
        email,
        address,
        emergency_contact,
        language
    ]
});

impl PatientChanges {
    /// The record as it would be typed with the changes made, for the checks of
    /// a registration.
    pub(crate) fn apply(&self, before: &PatientFields) -> NewPatient {
        let pick = |new: &Option<String>, old: Option<String>| match new {
            None => old,
            Some(v) if v.trim().is_empty() => None,
            Some(v) => Some(v.clone()),
        };
        let mut after = NewPatient {
            first_name: self.first_name.clone().unwrap_or_else(|| before.first_name.clone()),
            last_name: self.last_name.clone().unwrap_or_else(|| before.last_name.clone()),
            cnp: pick(&self.cnp, before.cnp.clone()),
            birth_date: pick(&self.birth_date, before.birth_date.clone()),
            sex: pick(&self.sex, before.sex.map(|s| s.as_str().to_owned())),
            phone: pick(&self.phone, before.phone.clone()),
            email: pick(&self.email, before.email.clone()),
            address: pick(&self.address, before.address.clone()),
            emergency_contact: pick(&self.emergency_contact, before.emergency_contact.clone()),
            language: pick(&self.language, before.language.map(|l| l.as_str().to_owned())),
            guardian: None,
            consents: Vec::new(),
        };
        // A new CNP brings its own birth date and sex unless they were typed too.
        if self.cnp.is_some() && self.birth_date.is_none() {
            after.birth_date = None;
        }
        if self.cnp.is_some() && self.sex.is_none() {
            after.sex = None;
        }
        after
    }
}

/// Names of the fields that differ.
pub(crate) fn changed_fields(a: &PatientFields, b: &PatientFields) -> Vec<String> {
    let pairs = [
        ("first_name", a.first_name != b.first_name),
        ("last_name", a.last_name != b.last_name),
        ("cnp", a.cnp != b.cnp),
        ("birth_date", a.birth_date != b.birth_date),
        ("sex", a.sex != b.sex),
        ("phone", a.phone != b.phone),
        ("email", a.email != b.email),
        ("address", a.address != b.address),
        ("emergency_contact", a.emergency_contact != b.emergency_contact),
        ("language", a.language != b.language),
    ];
    pairs.iter().filter(|(_, d)| *d).map(|(n, _)| (*n).to_owned()).collect()
}

crate::store::codes::text_codes! {
    /// Where a patient's record is in its life.
    pub enum PatientStatus {
        Active = "active",
        /// The health-data consent was withdrawn: the account is being closed.
        Closing = "closing",
        /// Erased (Art. 17): no use case finds the record any more.
        Erased = "erased",
    }
}

/// A patient's full record.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct PatientDto {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: PatientFields,
    pub cnp_masked: Option<String>,
    /// GDPR Art. 18
    pub restriction: Restriction,
    pub status: PatientStatus,
    pub created_at: String,
    pub updated_at: String,
    pub version: i32,
}

crate::redact::redacted_debug!(PatientDto {
    shown: [id, restriction, status, version],
    redacted: [fields, cnp_masked, created_at, updated_at]
});

/// A search hit: enough to pick the right person, CNP masked.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct PatientSummary {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Option<String>,
    pub cnp_masked: Option<String>,
    pub phone: Option<String>,
    pub restriction: Restriction,
}

crate::redact::redacted_debug!(PatientSummary {
    shown: [id, restriction],
    redacted: [first_name, last_name, birth_date, cnp_masked, phone]
});

impl PatientSummary {
    pub(crate) fn from_fields(id: Uuid, f: &PatientFields, restriction: Restriction) -> Self {
        PatientSummary {
            id,
            first_name: f.first_name.clone(),
            last_name: f.last_name.clone(),
            birth_date: f.birth_date.clone(),
            cnp_masked: f.cnp.as_deref().map(super::cnp::mask),
            phone: f.phone.clone(),
            restriction,
        }
    }
}

/// A person's name as lists and cards show it: last name first ("Popescu Ion").
pub(crate) fn display_name(first_name: &str, last_name: &str) -> String {
    format!("{last_name} {first_name}")
}

/// How to look a patient up.
#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "by", content = "value", rename_all = "lowercase")]
pub enum PatientQuery {
    Name(String),
    Cnp(String),
    Phone(String),
    Email(String),
}

impl std::fmt::Debug for PatientQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let by = match self {
            PatientQuery::Name(_) => "Name",
            PatientQuery::Cnp(_) => "Cnp",
            PatientQuery::Phone(_) => "Phone",
            PatientQuery::Email(_) => "Email",
        };
        f.debug_tuple(by).field(&crate::redact::Redacted).finish()
    }
}

/// One entry of the rectification trail.
#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct HistoryEntryDto {
    pub id: Uuid,
    pub changed_at: String,
    pub changed_by: String,
    pub reason: String,
    pub changed_fields: Vec<String>,
    /// The values as they were before this change.
    pub previous: PatientFields,
    /// The values this change wrote.
    pub after: PatientFields,
    /// The rectification request it answered (Art. 16), if any.
    #[ts(optional = nullable)]
    pub request_id: Option<Uuid>,
}

crate::redact::redacted_debug!(HistoryEntryDto {
    shown: [id, changed_fields, request_id],
    redacted: [changed_at, changed_by, reason, previous, after]
});

/// A registered patient who may be the person being registered again.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct DuplicateDto {
    pub patient: PatientSummary,
    pub reason: DuplicateReason,
}

crate::store::codes::text_codes! {
    /// Why a registered patient may be the person being registered again.
    pub enum DuplicateReason {
        /// The same CNP.
        Cnp = "cnp",
        /// The same phone, and the same first and last name once folded.
        PhoneAndName = "phone_and_name",
    }
}
