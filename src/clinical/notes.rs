//! Clinical notes: what was found and done at a visit, dated and sealed. A note is
//! never changed: an amendment is a new note pointing at the original, with its
//! reason, and both are shown. Templates give the usual visits a starting text.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Kind, Stored, clinical_day, text};
use crate::audit::{AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Clinical;
use crate::error::{Error, Result};
use crate::rules::Rule;

/// A note as written (or an amendment, when `amends` names the original).
#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct NewNote {
    /// The visit's day, `YYYY-MM-DD`; not in the future.
    pub date: String,
    pub text: String,
    /// The template it was started from (`NoteTemplate::code`).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub template: Option<String>,
    /// The original note this one amends.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub amends: Option<Uuid>,
    /// Why the note is amended; required with `amends`.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub reason: Option<String>,
}

crate::redact::redacted_debug!(NewNote { shown: [amends], redacted: [date, text, template, reason] });

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Content {
    pub text: String,
    pub template: Option<String>,
    pub reason: Option<String>,
}

crate::redact::redacted_debug!(Content { shown: [], redacted: [text, template, reason] });

/// A note as read back, with its amendments (oldest first) under it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct NoteDto {
    pub id: Uuid,
    pub date: String,
    pub text: String,
    #[ts(optional = nullable)]
    pub template: Option<String>,
    #[ts(optional = nullable)]
    pub amends: Option<Uuid>,
    #[ts(optional = nullable)]
    pub reason: Option<String>,
    pub author: String,
    pub recorded_at: String,
    pub amendments: Vec<NoteDto>,
}

crate::redact::redacted_debug!(NoteDto {
    shown: [id, amends, amendments],
    redacted: [date, text, template, reason, author, recorded_at]
});

impl From<Stored<Content>> for NoteDto {
    fn from(s: Stored<Content>) -> Self {
        NoteDto {
            id: s.id,
            date: s.date,
            text: s.content.text,
            template: s.content.template,
            amends: s.follows,
            reason: s.content.reason,
            author: s.recorded_by,
            recorded_at: s.recorded_at,
            amendments: Vec::new(),
        }
    }
}

/// A starting text for a common visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct NoteTemplate {
    pub code: String,
    pub name_ro: String,
    pub name_en: String,
    pub text_ro: String,
    pub text_en: String,
}

/// `(code, name ro, name en, text ro, text en)`.
const TEMPLATES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "examination",
        "Consultație",
        "Examination",
        "Motivul prezentării: \nExamen extraoral: \nExamen intraoral: \nDiagnostic: \nPlan: ",
        "Reason for the visit: \nExtraoral examination: \nIntraoral examination: \nDiagnosis: \nPlan: ",
    ),
    (
        "filling",
        "Obturație",
        "Filling",
        "Dinte / suprafețe: \nAnestezie: \nIzolare: \nMaterial: \nIndicații: ",
        "Tooth / surfaces: \nAnaesthesia: \nIsolation: \nMaterial: \nAdvice given: ",
    ),
    (
        "extraction",
        "Extracție",
        "Extraction",
        "Dinte: \nAnestezie: \nTehnică: \nHemostază: \nIndicații postextracționale: ",
        "Tooth: \nAnaesthesia: \nTechnique: \nHaemostasis: \nPost-extraction advice: ",
    ),
    (
        "endodontic",
        "Tratament endodontic",
        "Root canal treatment",
        "Dinte: \nAnestezie: \nCanale / lungimi de lucru: \nIrigare: \nObturație de canal: \nUrmătoarea vizită: ",
        "Tooth: \nAnaesthesia: \nCanals / working lengths: \nIrrigation: \nCanal filling: \nNext visit: ",
    ),
    (
        "hygiene",
        "Igienizare",
        "Scaling and polishing",
        "Detartraj: \nPeriaj profesional: \nIndicații de igienă: ",
        "Scaling: \nPolishing: \nHygiene advice: ",
    ),
    (
        "emergency",
        "Urgență",
        "Emergency visit",
        "Durere (localizare, durată): \nConstatări: \nTratament de urgență: \nRecomandări: ",
        "Pain (where, how long): \nFindings: \nEmergency treatment: \nRecommendations: ",
    ),
];

/// The note templates for common visits.
pub fn note_templates() -> Vec<NoteTemplate> {
    TEMPLATES
        .iter()
        .map(|(code, name_ro, name_en, text_ro, text_en)| NoteTemplate {
            code: (*code).into(),
            name_ro: (*name_ro).into(),
            name_en: (*name_en).into(),
            text_ro: (*text_ro).into(),
            text_en: (*text_en).into(),
        })
        .collect()
}

/// Originals, newest first, each with its amendments under it.
pub(crate) fn threaded(all: Vec<Stored<Content>>) -> Vec<NoteDto> {
    let (originals, amendments): (Vec<_>, Vec<_>) = all.into_iter().partition(|s| s.follows.is_none());
    let mut notes: Vec<NoteDto> = originals.into_iter().map(NoteDto::from).collect();
    for a in amendments {
        if let Some(original) = notes.iter_mut().find(|n| Some(n.id) == a.follows) {
            original.amendments.push(a.into());
        }
    }
    notes.reverse();
    notes
}

impl Clinical<'_> {
    /// Write a clinical note, or amend one (dentist, assistant; refused while
    /// restricted). The original is never changed.
    pub async fn add_note(&self, s: &Session, patient: Uuid, new: NewNote) -> Result<NoteDto> {
        let permit = self.authorize(s, Action::ChartWrite).await?;
        let date = clinical_day(&new.date)?;
        let body = new.text.trim().to_owned();
        if body.is_empty() {
            return Err(Error::InvalidInput(Rule::NoteTextRequired));
        }
        let template = text(new.template);
        if let Some(code) = &template
            && !TEMPLATES.iter().any(|t| t.0 == code)
        {
            return Err(Error::InvalidInput(Rule::UnknownNoteTemplate));
        }
        let reason = text(new.reason);
        if new.amends.is_some() != reason.is_some() {
            return Err(Error::InvalidInput(Rule::AmendmentReason));
        }
        let mut r = self.patient_to_change(permit, patient).await?;
        if let Some(original) = new.amends {
            let before = r.record::<Content>(Kind::Note, original).await?;
            if before.follows.is_some() {
                return Err(Error::InvalidInput(Rule::AmendOriginal));
            }
            if date.to_string() < before.date {
                return Err(Error::InvalidInput(Rule::AmendmentBeforeNote));
            }
        }
        let event = if new.amends.is_some() {
            Event::new(AuditAction::NoteAmend, "clinical_record").purpose("clinical note amended")
        } else {
            Event::new(AuditAction::NoteAdd, "clinical_record").purpose("clinical note")
        };
        let content = Content { text: body, template, reason };
        let stored = r.append_record(Kind::Note, date, new.amends, &content, event).await?;
        r.commit().await?;
        Ok(stored.into())
    }

    /// Every note, newest first, each with its amendments.
    pub async fn notes(&self, s: &Session, patient: Uuid) -> Result<Vec<NoteDto>> {
        let action = (AuditAction::NoteRead, "clinical notes");
        self.read_clinical(s, patient, Kind::Note, action, threaded).await
    }
}
