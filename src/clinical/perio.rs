//! Periodontal charting: for each tooth examined, the probing depth, the recession
//! and bleeding on probing at six sites, the mobility and the furcation involvement.
//! Each examination is one dated record; earlier ones stay for comparison.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Kind, Stored, clinical_day, text};
use crate::audit::AuditAction;
use crate::auth::Session;
use crate::clinic::Clinical;
use crate::clinical::chart::Tooth;
use crate::error::{Error, Result};
use crate::rules::Rule;

/// The six probing sites, in this order: disto-buccal, buccal, mesio-buccal,
/// disto-lingual, lingual, mesio-lingual.
pub const SITES: [&str; 6] = ["db", "b", "mb", "dl", "l", "ml"];

/// A pocket this deep (mm) or deeper is counted as deep.
pub const DEEP_POCKET_MM: u8 = 4;

/// One tooth's measurements.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PerioTooth {
    pub tooth: u8,
    /// Probing depth in mm at the six [`SITES`].
    pub depths: [u8; 6],
    /// Gingival recession in mm at the six sites.
    pub recession: [u8; 6],
    /// Bleeding on probing at the six sites.
    pub bleeding: [bool; 6],
    /// Miller grade 0-3.
    pub mobility: u8,
    /// Furcation involvement grade 0-3 (multi-rooted teeth only).
    pub furcation: u8,
}

crate::redact::redacted_debug!(PerioTooth {
    shown: [tooth],
    redacted: [depths, recession, bleeding, mobility, furcation]
});

#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct NewPerioExam {
    /// `YYYY-MM-DD`; not in the future.
    pub date: String,
    pub teeth: Vec<PerioTooth>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub note: Option<String>,
}

crate::redact::redacted_debug!(NewPerioExam { shown: [teeth], redacted: [date, note] });

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Content {
    pub teeth: Vec<PerioTooth>,
    pub note: Option<String>,
}

crate::redact::redacted_debug!(Content { shown: [teeth], redacted: [note] });

/// An examination as read back, with the figures a periodontist looks at first.
#[derive(Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PerioExamDto {
    pub id: Uuid,
    pub date: String,
    pub teeth: Vec<PerioTooth>,
    #[ts(optional = nullable)]
    pub note: Option<String>,
    /// Sites measured (six a tooth).
    pub sites: u32,
    /// Bleeding on probing, percent of sites.
    pub bleeding_percent: f64,
    /// Sites at [`DEEP_POCKET_MM`] or deeper.
    pub deep_sites: u32,
    pub examined_by: String,
    pub recorded_at: String,
}

crate::redact::redacted_debug!(PerioExamDto {
    shown: [id, teeth, sites],
    redacted: [date, note, bleeding_percent, deep_sites, examined_by, recorded_at]
});

impl From<Stored<Content>> for PerioExamDto {
    fn from(s: Stored<Content>) -> Self {
        let sites = 6 * s.content.teeth.len() as u32;
        let bleeding = s.content.teeth.iter().flat_map(|t| t.bleeding).filter(|b| *b).count() as u32;
        let deep_sites =
            s.content.teeth.iter().flat_map(|t| t.depths).filter(|d| *d >= DEEP_POCKET_MM).count() as u32;
        let bleeding_percent =
            if sites == 0 { 0.0 } else { (1000.0 * f64::from(bleeding) / f64::from(sites)).round() / 10.0 };
        PerioExamDto {
            id: s.id,
            date: s.date,
            teeth: s.content.teeth,
            note: s.content.note,
            sites,
            bleeding_percent,
            deep_sites,
            examined_by: s.recorded_by,
            recorded_at: s.recorded_at,
        }
    }
}

fn validate(new: NewPerioExam) -> Result<(chrono::NaiveDate, Content)> {
    let date = clinical_day(&new.date)?;
    if new.teeth.is_empty() {
        return Err(Error::InvalidInput(Rule::PerioEmpty));
    }
    let mut teeth = new.teeth;
    teeth.sort_by_key(|t| t.tooth);
    for (i, t) in teeth.iter().enumerate() {
        let tooth = Tooth::new(t.tooth)?;
        if i > 0 && teeth[i - 1].tooth == t.tooth {
            return Err(Error::InvalidInput(Rule::PerioToothTwice));
        }
        if t.depths.iter().chain(&t.recession).any(|mm| *mm > 15) {
            return Err(Error::InvalidInput(Rule::PerioDepthRange));
        }
        if t.mobility > 3 || t.furcation > 3 {
            return Err(Error::InvalidInput(Rule::PerioGradeRange));
        }
        if t.furcation > 0 && !tooth.is_multi_rooted() {
            return Err(Error::InvalidInput(Rule::FurcationSingleRoot));
        }
    }
    Ok((date, Content { teeth, note: text(new.note) }))
}

impl Clinical<'_> {
    /// Record a periodontal examination (dentist, assistant; refused while restricted).
    pub async fn record_perio_exam(
        &self,
        s: &Session,
        patient: Uuid,
        new: NewPerioExam,
    ) -> Result<PerioExamDto> {
        let action = (AuditAction::PerioRecord, "periodontal examination");
        self.append_clinical(s, patient, Kind::Perio, action, || validate(new)).await
    }

    /// Every periodontal examination, newest first.
    pub async fn perio_exams(&self, s: &Session, patient: Uuid) -> Result<Vec<PerioExamDto>> {
        let action = (AuditAction::PerioRead, "periodontal examinations");
        self.read_clinical(s, patient, Kind::Perio, action, |all: Vec<Stored<Content>>| {
            all.into_iter().rev().map(Into::into).collect()
        })
        .await
    }
}
