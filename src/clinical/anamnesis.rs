//! The medical history (anamnesis): a structured questionnaire with free text, taken
//! on a day by a staff member, whose name it carries. A new answer set never changes
//! an old one; the latest in force gives the alerts (an allergy, an anticoagulant)
//! that every clinical screen of the patient shows in its header.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Kind, Stored, clinical_day, text};
use crate::audit::AuditAction;
use crate::auth::Session;
use crate::clinic::Clinical;
use crate::error::{Error, Result};
use crate::rules::Rule;

/// One question of the medical history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum HistoryItem {
    Allergies,
    Medication,
    Anticoagulants,
    HeartDisease,
    Hypertension,
    Diabetes,
    Pregnancy,
    InfectiousDisease,
    BleedingDisorder,
    Bisphosphonates,
    Asthma,
    Epilepsy,
    Smoking,
    Other,
}

impl HistoryItem {
    /// Every question, in the questionnaire's order.
    pub const ALL: [HistoryItem; 14] = [
        HistoryItem::Allergies,
        HistoryItem::Medication,
        HistoryItem::Anticoagulants,
        HistoryItem::HeartDisease,
        HistoryItem::Hypertension,
        HistoryItem::Diabetes,
        HistoryItem::Pregnancy,
        HistoryItem::InfectiousDisease,
        HistoryItem::BleedingDisorder,
        HistoryItem::Bisphosphonates,
        HistoryItem::Asthma,
        HistoryItem::Epilepsy,
        HistoryItem::Smoking,
        HistoryItem::Other,
    ];

    /// Whether a "yes" changes how the dentist treats (anaesthetic, bleeding,
    /// antibiotic cover, X-rays, emergencies): it becomes an alert.
    pub fn critical(self) -> bool {
        !matches!(self, HistoryItem::Medication | HistoryItem::Smoking | HistoryItem::Other)
    }

    /// Whether a "yes" must say what (which allergen, which drug).
    fn needs_detail(self) -> bool {
        matches!(
            self,
            HistoryItem::Allergies
                | HistoryItem::Medication
                | HistoryItem::Anticoagulants
                | HistoryItem::Other
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HistoryItem::Allergies => "allergies",
            HistoryItem::Medication => "medication",
            HistoryItem::Anticoagulants => "anticoagulants",
            HistoryItem::HeartDisease => "heart_disease",
            HistoryItem::Hypertension => "hypertension",
            HistoryItem::Diabetes => "diabetes",
            HistoryItem::Pregnancy => "pregnancy",
            HistoryItem::InfectiousDisease => "infectious_disease",
            HistoryItem::BleedingDisorder => "bleeding_disorder",
            HistoryItem::Bisphosphonates => "bisphosphonates",
            HistoryItem::Asthma => "asthma",
            HistoryItem::Epilepsy => "epilepsy",
            HistoryItem::Smoking => "smoking",
            HistoryItem::Other => "other",
        }
    }
}

/// The patient's answer to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Yes,
    No,
    /// Not known, or not asked.
    Unknown,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct HistoryAnswer {
    pub item: HistoryItem,
    pub reply: Reply,
    /// Which allergen, which drug, since when; required for a "yes" to allergies,
    /// medication, anticoagulants and "other".
    #[serde(default)]
    #[ts(optional = nullable)]
    pub detail: Option<String>,
}

crate::redact::redacted_debug!(HistoryAnswer { shown: [item], redacted: [reply, detail] });

/// An answer set as taken.
#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct NewMedicalHistory {
    /// `YYYY-MM-DD`; not in the future.
    pub date: String,
    /// At most one answer a question; a question left out is "unknown".
    pub answers: Vec<HistoryAnswer>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub notes: Option<String>,
}

crate::redact::redacted_debug!(NewMedicalHistory { shown: [answers], redacted: [date, notes] });

/// The sealed part.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Content {
    pub answers: Vec<HistoryAnswer>,
    pub notes: Option<String>,
}

crate::redact::redacted_debug!(Content { shown: [answers], redacted: [notes] });

/// Something the dentist must know before treating.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct AlertDto {
    pub item: HistoryItem,
    #[ts(optional = nullable)]
    pub detail: Option<String>,
    /// The day of the answer set it comes from.
    pub since: String,
}

crate::redact::redacted_debug!(AlertDto { shown: [], redacted: [item, detail, since] });

/// An answer set as read back: every question answered (left out: unknown), who
/// took it, and the alerts it gives.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct MedicalHistoryDto {
    pub id: Uuid,
    pub date: String,
    pub answers: Vec<HistoryAnswer>,
    #[ts(optional = nullable)]
    pub notes: Option<String>,
    pub alerts: Vec<AlertDto>,
    pub taken_by: String,
    pub recorded_at: String,
}

crate::redact::redacted_debug!(MedicalHistoryDto {
    shown: [id, answers, alerts],
    redacted: [date, notes, taken_by, recorded_at]
});

impl From<Stored<Content>> for MedicalHistoryDto {
    fn from(s: Stored<Content>) -> Self {
        let answers: Vec<HistoryAnswer> = HistoryItem::ALL
            .iter()
            .map(|&item| {
                s.content.answers.iter().find(|a| a.item == item).cloned().unwrap_or(HistoryAnswer {
                    item,
                    reply: Reply::Unknown,
                    detail: None,
                })
            })
            .collect();
        let alerts = answers
            .iter()
            .filter(|a| a.item.critical() && a.reply == Reply::Yes)
            .map(|a| AlertDto { item: a.item, detail: a.detail.clone(), since: s.date.clone() })
            .collect();
        MedicalHistoryDto {
            id: s.id,
            date: s.date,
            answers,
            notes: s.content.notes,
            alerts,
            taken_by: s.recorded_by,
            recorded_at: s.recorded_at,
        }
    }
}

fn validate(new: NewMedicalHistory) -> Result<(chrono::NaiveDate, Content)> {
    let date = clinical_day(&new.date)?;
    let mut answers = Vec::with_capacity(new.answers.len());
    for a in new.answers {
        if answers.iter().any(|b: &HistoryAnswer| b.item == a.item) {
            return Err(Error::InvalidInput(Rule::AnsweredTwice));
        }
        let detail = text(a.detail);
        if a.reply == Reply::Yes && a.item.needs_detail() && detail.is_none() {
            return Err(Error::InvalidInput(Rule::AnswerDetailRequired));
        }
        answers.push(HistoryAnswer { item: a.item, reply: a.reply, detail });
    }
    answers.sort_by_key(|a| a.item);
    Ok((date, Content { answers, notes: text(new.notes) }))
}

impl Clinical<'_> {
    /// Record an answer set of the medical history, signed by the acting staff member
    /// (dentist, assistant; refused while restricted).
    pub async fn record_medical_history(
        &self,
        s: &Session,
        patient: Uuid,
        new: NewMedicalHistory,
    ) -> Result<MedicalHistoryDto> {
        let action = (AuditAction::AnamnesisRecord, "medical history");
        self.append_clinical(s, patient, Kind::MedicalHistory, action, || validate(new)).await
    }

    /// Every answer set, newest first.
    pub async fn medical_history(&self, s: &Session, patient: Uuid) -> Result<Vec<MedicalHistoryDto>> {
        let action = (AuditAction::AnamnesisRead, "medical history");
        self.read_clinical(s, patient, Kind::MedicalHistory, action, |all: Vec<Stored<Content>>| {
            all.into_iter().rev().map(Into::into).collect()
        })
        .await
    }

    /// The alerts of the latest answer set (none taken yet: none).
    pub async fn medical_alerts(&self, s: &Session, patient: Uuid) -> Result<Vec<AlertDto>> {
        let action = (AuditAction::AnamnesisAlerts, "medical alerts");
        self.read_clinical(s, patient, Kind::MedicalHistory, action, |mut all: Vec<Stored<Content>>| {
            all.pop().map(|latest| MedicalHistoryDto::from(latest).alerts).unwrap_or_default()
        })
        .await
    }
}
