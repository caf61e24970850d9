//! Consent and guardian values that cross the boundary.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit;
use crate::error::{Error, Result};
use crate::rules::Rule;
use crate::store::entities::{consent, privacy_notice};

/// What a consent is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    TermsOfService,
    PrivacyNotice,
    /// Explicit consent to process health data (GDPR Art. 9(2)(a)).
    HealthData,
    DataProcessing,
    /// Off until granted.
    Marketing,
    Research,
}

impl ConsentKind {
    pub const ALL: [ConsentKind; 6] = [
        ConsentKind::TermsOfService,
        ConsentKind::PrivacyNotice,
        ConsentKind::HealthData,
        ConsentKind::DataProcessing,
        ConsentKind::Marketing,
        ConsentKind::Research,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsentKind::TermsOfService => "terms_of_service",
            ConsentKind::PrivacyNotice => "privacy_notice",
            ConsentKind::HealthData => "health_data",
            ConsentKind::DataProcessing => "data_processing",
            ConsentKind::Marketing => "marketing",
            ConsentKind::Research => "research",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        ConsentKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or(Error::InvalidInput(Rule::UnknownConsentKind))
    }
}

/// How it was given or withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    Checkbox,
    Signature,
    Paper,
    /// Said aloud and recorded by the staff member at the desk.
    Verbal,
}

impl ConsentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentMethod::Checkbox => "checkbox",
            ConsentMethod::Signature => "signature",
            ConsentMethod::Paper => "paper",
            ConsentMethod::Verbal => "verbal",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        [ConsentMethod::Checkbox, ConsentMethod::Signature, ConsentMethod::Paper, ConsentMethod::Verbal]
            .into_iter()
            .find(|m| m.as_str() == s.trim())
            .ok_or(Error::InvalidInput(Rule::UnknownConsentMethod))
    }
}

/// One grant or withdrawal to record.
#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct ConsentInput {
    pub kind: ConsentKind,
    pub granted: bool,
    pub method: ConsentMethod,
    /// The exact text the person saw or heard.
    pub text_shown: String,
    /// The guardian (a patient id) who gave it for a minor; `None`: the patient.
    pub given_by: Option<Uuid>,
}

crate::redact::redacted_debug!(ConsentInput {
    shown: [kind, granted, method, given_by],
    redacted: [text_shown]
});

/// A parent or guardian to link: an existing patient record.
#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct GuardianInput {
    pub patient_id: Uuid,
    /// "mother", "father", "legal guardian", ...
    pub relationship: String,
}

crate::redact::redacted_debug!(GuardianInput { shown: [patient_id], redacted: [relationship] });

#[derive(Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct GuardianDto {
    pub guardian_id: Uuid,
    /// The guardian's name, last name first ("Popescu Ion").
    pub display_name: String,
    pub relationship: String,
}

crate::redact::redacted_debug!(GuardianDto { shown: [guardian_id], redacted: [display_name, relationship] });

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct ConsentStateDto {
    pub kind: ConsentKind,
    pub granted: bool,
    /// When the latest record of this kind was made.
    pub since: Option<String>,
    pub given_by: Option<Uuid>,
}

/// What recording a consent led to.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct ConsentOutcome {
    pub states: Vec<ConsentStateDto>,
    /// Health-data consent was withdrawn: care cannot continue and the
    /// account-closure path has started (the patient's status is `closing`).
    pub closure_required: bool,
}

#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct ConsentRecordDto {
    pub id: Uuid,
    pub kind: ConsentKind,
    pub granted: bool,
    pub method: ConsentMethod,
    pub given_by: Option<Uuid>,
    pub notice_version: Option<String>,
    pub text_shown: String,
    pub recorded_by: String,
    pub workstation: String,
    pub at: String,
}

crate::redact::redacted_debug!(ConsentRecordDto {
    shown: [id, kind, granted, method, given_by, notice_version],
    redacted: [text_shown, recorded_by, workstation, at]
});

impl ConsentRecordDto {
    pub(crate) fn from_model(
        m: consent::Model,
        text_shown: String,
        names: &HashMap<Uuid, String>,
    ) -> Result<Self> {
        Ok(ConsentRecordDto {
            id: m.id,
            kind: ConsentKind::parse(&m.kind)
                .map_err(|_| Error::Tampered("a consent kind is unknown".into()))?,
            granted: m.granted,
            method: ConsentMethod::parse(&m.method)
                .map_err(|_| Error::Tampered("a consent method is unknown".into()))?,
            given_by: m.given_by,
            notice_version: m.notice_version,
            text_shown,
            recorded_by: names.get(&m.recorded_by).cloned().unwrap_or_else(|| "unknown".into()),
            workstation: m.workstation,
            at: audit::format_micros(m.at),
        })
    }
}

/// A privacy-notice version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
pub struct NoticeDto {
    pub version: String,
    pub text_ro: String,
    pub text_en: String,
    pub published_at: String,
}

impl From<privacy_notice::Model> for NoticeDto {
    fn from(m: privacy_notice::Model) -> Self {
        NoticeDto {
            version: m.version,
            text_ro: m.text_ro,
            text_en: m.text_en,
            published_at: audit::format_micros(m.published_at),
        }
    }
}
