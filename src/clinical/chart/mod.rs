//! The tooth chart (issue 6, first part): FDI notation (ISO 3950), five surfaces,
//! conditions and procedures as dated entries. Nothing is overwritten: a planned
//! procedure done, or a condition resolved, is a new entry naming the one it
//! follows, so the chart can be shown as it was on any past day. What is charted
//! is sealed under the patient's key (one JSON value an entry).

pub mod catalogue;
pub mod gdpr;
pub mod teeth;

pub use teeth::{Surface, SurfaceCheck, Tooth};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Clinical;
use crate::crypto::{Bound, FieldCipher, Place, Sealed};
use crate::error::{Error, Result};
use crate::rules::{Rule, Subject};
use crate::store::entities::chart_entry;

/// What is found on a tooth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    Caries,
    Filling,
    Crown,
    BridgeAbutment,
    BridgePontic,
    Missing,
    Implant,
    RootCanalTreated,
    Fracture,
    Mobility,
}

impl Condition {
    /// The code as stored and exported (`root_canal_treated`).
    pub fn as_str(self) -> &'static str {
        self.words().0
    }

    /// What a reader calls it, in `lang`.
    pub fn name(self, lang: crate::documents::Language) -> &'static str {
        let (_, ro, en) = self.words();
        match lang {
            crate::documents::Language::Ro => ro,
            crate::documents::Language::En => en,
        }
    }

    fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Condition::Caries => ("caries", "carie", "dental caries"),
            Condition::Filling => ("filling", "obturație", "filling"),
            Condition::Crown => ("crown", "coroană", "crown"),
            Condition::BridgeAbutment => ("bridge_abutment", "stâlp de punte", "bridge abutment"),
            Condition::BridgePontic => ("bridge_pontic", "corp de punte", "bridge pontic"),
            Condition::Missing => ("missing", "dinte absent", "missing tooth"),
            Condition::Implant => ("implant", "implant", "implant"),
            Condition::RootCanalTreated => {
                ("root_canal_treated", "tratament de canal efectuat", "root canal treated")
            }
            Condition::Fracture => ("fracture", "fractură dentară", "tooth fracture"),
            Condition::Mobility => ("mobility", "mobilitate dentară", "tooth mobility"),
        }
    }
}

/// Where a procedure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureState {
    Planned,
    InProgress,
    Done,
}

/// A finding or a procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Finding {
    Condition {
        condition: Condition,
        resolved: bool,
    },
    /// `code` names a procedure of the clinic's catalogue (`restoration.composite`, ...).
    Procedure {
        code: String,
        state: ProcedureState,
    },
}

/// What the dentist charts.
#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct NewChartEntry {
    /// FDI number: 11-48 permanent, 51-85 primary.
    pub tooth: u8,
    /// Surfaces the entry concerns (none: the whole tooth).
    #[serde(default)]
    pub surfaces: Vec<Surface>,
    pub finding: Finding,
    /// `YYYY-MM-DD`; not in the future.
    pub date: String,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub note: Option<String>,
    /// The entry this one follows (the planned procedure now done, say).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub supersedes: Option<Uuid>,
}

crate::redact::redacted_debug!(NewChartEntry {
    shown: [supersedes],
    redacted: [tooth, surfaces, finding, date, note]
});

/// The sealed part of an entry.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Content {
    tooth: u8,
    surfaces: Vec<Surface>,
    finding: Finding,
    note: Option<String>,
}

crate::redact::redacted_debug!(Content { shown: [], redacted: [tooth, surfaces, finding, note] });

/// One entry as read back.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ChartEntryDto {
    pub id: Uuid,
    pub tooth: u8,
    pub surfaces: Vec<Surface>,
    pub finding: Finding,
    pub date: String,
    #[ts(optional = nullable)]
    pub note: Option<String>,
    #[ts(optional = nullable)]
    pub supersedes: Option<Uuid>,
    pub recorded_by: String,
    pub recorded_at: String,
}

crate::redact::redacted_debug!(ChartEntryDto {
    shown: [id, supersedes],
    redacted: [tooth, surfaces, finding, date, note, recorded_by, recorded_at]
});

/// The chart on a day: the entries in force (none superseded by then), and every
/// entry up to that day for the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ChartDto {
    pub as_of: String,
    pub current: Vec<ChartEntryDto>,
    pub history: Vec<ChartEntryDto>,
}

/// What an entry's content is bound to: whose, its date, what it supersedes, who
/// recorded it and when.
pub(crate) fn bound(r: &chart_entry::Model) -> Bound {
    Bound::new()
        .id("patient", r.patient_id)
        .text("entry_date", &r.entry_date)
        .opt_id("supersedes", r.supersedes)
        .int("recorded_at", r.recorded_at)
        .id("recorded_by", r.recorded_by)
}

pub(crate) fn content_addr(id: Uuid, b: &Bound) -> Place<'_, Vec<u8>> {
    chart_entry::CONTENT.at(id).bound(b)
}

pub(crate) fn open_entry(
    c: &FieldCipher,
    row: &chart_entry::Model,
    names: &std::collections::HashMap<Uuid, String>,
) -> Result<ChartEntryDto> {
    let content: Content = serde_json::from_slice(&c.open(content_addr(row.id, &bound(row)), &row.content)?)
        .map_err(|_| Error::Tampered(format!("chart entry {} is malformed", row.id)))?;
    Ok(ChartEntryDto {
        id: row.id,
        tooth: content.tooth,
        surfaces: content.surfaces,
        finding: content.finding,
        date: row.entry_date.clone(),
        note: content.note,
        supersedes: row.supersedes,
        recorded_by: names.get(&row.recorded_by).cloned().unwrap_or_else(|| "unknown".into()),
        recorded_at: audit::format_micros(row.recorded_at),
    })
}

fn day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| Error::InvalidDate(Rule::DateFormat))
}

impl Clinical<'_> {
    /// Chart a finding or a procedure (dentist, assistant; refused while restricted).
    pub async fn chart_add(
        &self,
        s: &Session,
        patient_id: Uuid,
        new: NewChartEntry,
    ) -> Result<ChartEntryDto> {
        let permit = self.authorize(s, Action::ChartWrite).await?;
        // Every surface exists on every tooth; only its name differs (`Surface::name`).
        let tooth = Tooth::new(new.tooth)?;
        let date = day(&new.date)?;
        if date > chrono::Local::now().date_naive() {
            return Err(Error::InvalidInput(Rule::ChartEntryInFuture));
        }
        if let Finding::Procedure { code, .. } = &new.finding {
            if code.trim().is_empty() {
                return Err(Error::InvalidInput(Rule::ProcedureCodeRequired));
            }
            let listed = catalogue::find(self.store().connection(), code).await?;
            if listed.needs == catalogue::Needs::Surfaces && new.surfaces.is_empty() {
                return Err(Error::InvalidInput(Rule::SurfacesRequired));
            }
        }
        let mut p = self.patient_to_change(permit, patient_id).await?;
        if let Some(previous) = new.supersedes {
            let before = chart_entry::Entity::find_by_id(previous)
                .one(p.tx())
                .await?
                .filter(|e| e.patient_id == patient_id)
                .ok_or(Error::NotFound(Subject::ChartEntry))?;
            if open_entry(&p.cipher, &before, &p.names)?.tooth != tooth.number() {
                return Err(Error::InvalidInput(Rule::FollowsOtherTooth));
            }
        }
        let mut surfaces = new.surfaces.clone();
        surfaces.sort();
        surfaces.dedup();
        let content = Content {
            tooth: tooth.number(),
            surfaces,
            finding: new.finding.clone(),
            note: new.note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
        };
        let id = Uuid::now_v7();
        let bytes = serde_json::to_vec(&content).map_err(|e| Error::Internal(e.to_string()))?;
        let mut model = chart_entry::Model {
            id,
            patient_id,
            entry_date: date.to_string(),
            content: Sealed::pending(),
            supersedes: new.supersedes,
            recorded_at: audit::now_micros(),
            recorded_by: p.staff(),
        };
        model.content = p.cipher.seal(content_addr(id, &bound(&model)), &bytes);
        chart_entry::Entity::insert(chart_entry::ActiveModel::from(model.clone())).exec(p.tx()).await?;
        p.audit(Event::new(AuditAction::ChartAdd, "chart_entry").entity(id).purpose("tooth chart entry"));
        let dto = open_entry(&p.cipher, &model, &p.names)?;
        p.commit().await?;
        Ok(dto)
    }

    /// The chart as it stood at the end of `as_of` (default: today).
    pub async fn chart(&self, s: &Session, patient_id: Uuid, as_of: Option<&str>) -> Result<ChartDto> {
        let result = async {
            let permit = self.authorize(s, Action::ChartRead).await?;
            let as_of = match as_of {
                Some(d) => day(d)?,
                None => chrono::Local::now().date_naive(),
            };
            let mut p = self.patient_to_read(permit, patient_id).await?;
            let rows = chart_entry::Entity::find()
                .filter(chart_entry::Column::PatientId.eq(patient_id))
                .filter(chart_entry::Column::EntryDate.lte(as_of.to_string()))
                .order_by_asc(chart_entry::Column::EntryDate)
                .order_by_asc(chart_entry::Column::RecordedAt)
                .all(p.tx())
                .await?;
            let history =
                rows.iter().map(|r| open_entry(&p.cipher, r, &p.names)).collect::<Result<Vec<_>>>()?;
            let superseded: std::collections::HashSet<Uuid> =
                history.iter().filter_map(|e| e.supersedes).collect();
            let current = history
                .iter()
                .filter(|e| !superseded.contains(&e.id))
                .filter(|e| !matches!(e.finding, Finding::Condition { resolved: true, .. }))
                .cloned()
                .collect();
            p.audit(
                Event::new(AuditAction::ChartRead, "chart_entry").purpose(format!("chart as of {as_of}")),
            );
            p.commit().await?;
            Ok(ChartDto { as_of: as_of.to_string(), current, history })
        }
        .await;
        self.noting_integrity(s, Some(patient_id), result).await
    }
}
