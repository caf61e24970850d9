//! Treatment plans (issue 6, item 5): the recommended option and its alternatives,
//! each in phases of items (a catalogue procedure, the tooth and surfaces, the fee),
//! with totals; built from the procedures planned on the chart, whose progress the
//! plan shows (an item is done when its chart entry is followed by a done one). The
//! patient's decision (which option, who, how, when) is recorded once; a plan is
//! edited only while it is a draft. A PDF the patient takes home, in their language.

pub mod gdpr;
pub mod letter;

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Clinical;
use crate::clinical::chart::catalogue::{self, Needs};
use crate::clinical::chart::{Finding, ProcedureState, Surface, Tooth};
use crate::clinical::{clinical_day, text};
use crate::crypto::{Bound, FieldCipher};
use crate::documents::Language;
use crate::error::{Error, Result};
use crate::patients::PatientWork;
use crate::rules::{Rule, Subject};
use crate::store::entities::{chart_entry, treatment_plan};

/// The most a single item may cost: 1,000,000 RON in bani.
const MAX_FEE_BANI: i64 = 100_000_000;

/// One item as the dentist lays it out.
#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct PlanItemInput {
    /// The planned procedure on the chart this item carries out.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub chart_entry: Option<Uuid>,
    /// A catalogue code.
    pub code: String,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub tooth: Option<u8>,
    #[serde(default)]
    pub surfaces: Vec<Surface>,
    /// The fee in bani; none: the catalogue's.
    #[serde(default)]
    #[ts(optional = nullable, type = "number | null")]
    pub fee_bani: Option<i64>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub note: Option<String>,
}

crate::redact::redacted_debug!(PlanItemInput {
    shown: [chart_entry],
    redacted: [code, tooth, surfaces, fee_bani, note]
});

#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct PhaseInput {
    pub name: String,
    pub items: Vec<PlanItemInput>,
}

crate::redact::redacted_debug!(PhaseInput { shown: [items], redacted: [name] });

#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct OptionInput {
    pub title: String,
    pub phases: Vec<PhaseInput>,
}

crate::redact::redacted_debug!(OptionInput { shown: [phases], redacted: [title] });

/// A plan: the first option is the one recommended, the others are alternatives.
#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct NewPlan {
    pub title: String,
    pub options: Vec<OptionInput>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub note: Option<String>,
}

crate::redact::redacted_debug!(NewPlan { shown: [options], redacted: [title, note] });

/// The sealed plan: items with their fee fixed when the plan was written.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Content {
    title: String,
    options: Vec<StoredOption>,
    note: Option<String>,
}

crate::redact::redacted_debug!(Content { shown: [options], redacted: [title, note] });

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredOption {
    title: String,
    phases: Vec<StoredPhase>,
}

crate::redact::redacted_debug!(StoredOption { shown: [phases], redacted: [title] });

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredPhase {
    name: String,
    items: Vec<StoredItem>,
}

crate::redact::redacted_debug!(StoredPhase { shown: [items], redacted: [name] });

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredItem {
    chart_entry: Option<Uuid>,
    code: String,
    name_ro: String,
    name_en: String,
    tooth: Option<u8>,
    surfaces: Vec<Surface>,
    fee_bani: i64,
    note: Option<String>,
}

crate::redact::redacted_debug!(StoredItem {
    shown: [chart_entry],
    redacted: [code, name_ro, name_en, tooth, surfaces, fee_bani, note]
});

/// How the patient gave their decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DecisionMethod {
    /// Signed the printed plan.
    SignedPaper,
    /// Said so at the clinic, before the staff member recording it.
    Verbal,
}

/// The patient's answer to a plan.
#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct PlanDecision {
    /// The option accepted (0: the recommended one); none: the plan is declined.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub option: Option<u32>,
    /// Who decided: the patient, or the parent or guardian for a minor.
    pub by: String,
    pub how: DecisionMethod,
    /// `YYYY-MM-DD`; not in the future.
    pub date: String,
}

crate::redact::redacted_debug!(PlanDecision { shown: [option, how], redacted: [by, date] });

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DecisionDto {
    #[ts(optional = nullable)]
    pub option: Option<u32>,
    pub by: String,
    pub how: DecisionMethod,
    pub date: String,
    pub recorded_by: String,
}

crate::redact::redacted_debug!(DecisionDto { shown: [option, how], redacted: [by, date, recorded_by] });

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PlanItemDto {
    #[ts(optional = nullable)]
    pub chart_entry: Option<Uuid>,
    pub code: String,
    pub name_ro: String,
    pub name_en: String,
    #[ts(optional = nullable)]
    pub tooth: Option<u8>,
    pub surfaces: Vec<Surface>,
    #[ts(type = "number")]
    pub fee_bani: i64,
    #[ts(optional = nullable)]
    pub note: Option<String>,
    /// From the chart: planned until its entry is followed by one in progress or done.
    pub state: ProcedureState,
}

crate::redact::redacted_debug!(PlanItemDto {
    shown: [chart_entry, state],
    redacted: [code, name_ro, name_en, tooth, surfaces, fee_bani, note]
});

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PhaseDto {
    pub name: String,
    pub items: Vec<PlanItemDto>,
    #[ts(type = "number")]
    pub total_bani: i64,
}

crate::redact::redacted_debug!(PhaseDto { shown: [items], redacted: [name, total_bani] });

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct OptionDto {
    pub title: String,
    pub phases: Vec<PhaseDto>,
    #[ts(type = "number")]
    pub total_bani: i64,
}

crate::redact::redacted_debug!(OptionDto { shown: [phases], redacted: [title, total_bani] });

crate::store::codes::text_codes! {
    /// Where a plan is: written, or answered by the patient (once).
    pub enum PlanStatus {
        Draft = "draft",
        Accepted = "accepted",
        Declined = "declined",
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PlanDto {
    pub id: Uuid,
    pub created_on: String,
    pub title: String,
    pub options: Vec<OptionDto>,
    #[ts(optional = nullable)]
    pub note: Option<String>,
    pub status: PlanStatus,
    #[ts(optional = nullable)]
    pub decision: Option<DecisionDto>,
    pub recorded_by: String,
    pub updated_at: String,
}

crate::redact::redacted_debug!(PlanDto {
    shown: [id, options, status, decision],
    redacted: [created_on, title, note, recorded_by, updated_at]
});

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoredDecision {
    option: Option<u32>,
    by: String,
    how: DecisionMethod,
    date: String,
    recorded_by: Uuid,
}

crate::redact::redacted_debug!(StoredDecision { shown: [option, how, recorded_by], redacted: [by, date] });

/// What a plan's sealed columns are bound to: whose, since when, its status (a
/// declined plan flipped to accepted by SQL no longer opens), who wrote it and when.
pub(crate) fn bound(
    patient: Uuid,
    created_on: &str,
    status: &str,
    recorded_at: i64,
    recorded_by: Uuid,
) -> Bound {
    Bound::new()
        .id("patient", patient)
        .text("created_on", created_on)
        .text("status", status)
        .int("recorded_at", recorded_at)
        .id("recorded_by", recorded_by)
}

pub(crate) fn row_bound(r: &treatment_plan::Model) -> Bound {
    bound(r.patient_id, &r.created_on, &r.status, r.recorded_at, r.recorded_by)
}

/// The state of every chart entry a plan may name: followed by an in-progress or a
/// done entry, it is that; else planned.
async fn chart_states(
    db: &impl ConnectionTrait,
    cipher: &FieldCipher,
    patient: Uuid,
) -> Result<HashMap<Uuid, ProcedureState>> {
    let names = HashMap::new();
    let mut states = HashMap::new();
    let rows = chart_entry::Entity::find()
        .filter(chart_entry::Column::PatientId.eq(patient))
        .order_by_asc(chart_entry::Column::EntryDate)
        .order_by_asc(chart_entry::Column::RecordedAt)
        .all(db)
        .await?;
    let mut follows: HashMap<Uuid, Uuid> = HashMap::new();
    for r in &rows {
        let e = crate::clinical::chart::open_entry(cipher, r, &names)?;
        if let Finding::Procedure { state, .. } = e.finding {
            // An entry's state is its own, or that of the last entry in its chain.
            let root = e.supersedes.map(|s| *follows.get(&s).unwrap_or(&s)).unwrap_or(e.id);
            follows.insert(e.id, root);
            states.insert(root, state);
            states.insert(e.id, state);
        }
    }
    Ok(states)
}

fn open_plan(
    cipher: &FieldCipher,
    row: &treatment_plan::Model,
    names: &HashMap<Uuid, String>,
    states: &HashMap<Uuid, ProcedureState>,
) -> Result<PlanDto> {
    let malformed = || Error::Tampered(format!("treatment plan {} is malformed", row.id));
    let b = row_bound(row);
    let c: Content =
        serde_json::from_slice(&cipher.open(treatment_plan::CONTENT.at(row.id).bound(&b), &row.content)?)
            .map_err(|_| malformed())?;
    let name_of = |id: &Uuid| names.get(id).cloned().unwrap_or_else(|| "unknown".into());
    let decision = match &row.decision {
        Some(sealed) => {
            let d: StoredDecision =
                serde_json::from_slice(&cipher.open(treatment_plan::DECISION.at(row.id).bound(&b), sealed)?)
                    .map_err(|_| malformed())?;
            Some(DecisionDto {
                option: d.option,
                by: d.by,
                how: d.how,
                date: d.date,
                recorded_by: name_of(&d.recorded_by),
            })
        }
        None => None,
    };
    let options = c
        .options
        .into_iter()
        .map(|o| {
            let phases: Vec<PhaseDto> = o
                .phases
                .into_iter()
                .map(|p| {
                    let items: Vec<PlanItemDto> = p
                        .items
                        .into_iter()
                        .map(|i| PlanItemDto {
                            state: i
                                .chart_entry
                                .and_then(|e| states.get(&e).copied())
                                .unwrap_or(ProcedureState::Planned),
                            chart_entry: i.chart_entry,
                            code: i.code,
                            name_ro: i.name_ro,
                            name_en: i.name_en,
                            tooth: i.tooth,
                            surfaces: i.surfaces,
                            fee_bani: i.fee_bani,
                            note: i.note,
                        })
                        .collect();
                    PhaseDto { name: p.name, total_bani: items.iter().map(|i| i.fee_bani).sum(), items }
                })
                .collect();
            OptionDto { title: o.title, total_bani: phases.iter().map(|p| p.total_bani).sum(), phases }
        })
        .collect();
    Ok(PlanDto {
        id: row.id,
        created_on: row.created_on.clone(),
        title: c.title,
        options,
        note: c.note,
        status: PlanStatus::from_code(&row.status)
            .ok_or_else(|| Error::Tampered(format!("plan {} has an unknown status", row.id)))?,
        decision,
        recorded_by: name_of(&row.recorded_by),
        updated_at: audit::format_micros(row.updated_at),
    })
}

/// Check a plan against the catalogue and the chart, and fix each item's fee.
async fn checked(
    db: &impl ConnectionTrait,
    cipher: &FieldCipher,
    patient: Uuid,
    plan: NewPlan,
) -> Result<Content> {
    let title = plan.title.trim().to_owned();
    if title.is_empty() {
        return Err(Error::InvalidInput(Rule::PlanTitleRequired));
    }
    if plan.options.is_empty() || plan.options.iter().any(|o| o.phases.is_empty()) {
        return Err(Error::InvalidInput(Rule::PlanEmpty));
    }
    let names = HashMap::new();
    let mut options = Vec::with_capacity(plan.options.len());
    for o in plan.options {
        let mut phases = Vec::with_capacity(o.phases.len());
        for p in o.phases {
            if p.items.is_empty() {
                return Err(Error::InvalidInput(Rule::PhaseEmpty));
            }
            let mut items = Vec::with_capacity(p.items.len());
            for i in p.items {
                let listed = catalogue::find(db, &i.code).await?;
                if let Some(t) = i.tooth {
                    Tooth::new(t)?;
                }
                if listed.needs != Needs::None && i.tooth.is_none() {
                    return Err(Error::InvalidInput(Rule::ToothRequired));
                }
                if listed.needs == Needs::Surfaces && i.surfaces.is_empty() {
                    return Err(Error::InvalidInput(Rule::SurfacesRequired));
                }
                let fee_bani = i.fee_bani.unwrap_or(listed.fee_bani);
                if !(0..=MAX_FEE_BANI).contains(&fee_bani) {
                    return Err(Error::InvalidInput(Rule::FeeOutOfRange));
                }
                if let Some(entry) = i.chart_entry {
                    let row = chart_entry::Entity::find_by_id(entry)
                        .one(db)
                        .await?
                        .filter(|e| e.patient_id == patient)
                        .ok_or(Error::NotFound(Subject::ChartEntry))?;
                    let e = crate::clinical::chart::open_entry(cipher, &row, &names)?;
                    if !matches!(e.finding, Finding::Procedure { .. }) || Some(e.tooth) != i.tooth {
                        return Err(Error::InvalidInput(Rule::PlanFollowsOtherTooth));
                    }
                }
                let mut surfaces = i.surfaces;
                surfaces.sort();
                surfaces.dedup();
                items.push(StoredItem {
                    chart_entry: i.chart_entry,
                    code: listed.code,
                    name_ro: listed.name_ro,
                    name_en: listed.name_en,
                    tooth: i.tooth,
                    surfaces,
                    fee_bani,
                    note: text(i.note),
                });
            }
            let name = p.name.trim().to_owned();
            if name.is_empty() {
                return Err(Error::InvalidInput(Rule::PhaseNameRequired));
            }
            phases.push(StoredPhase { name, items });
        }
        let title = o.title.trim().to_owned();
        if title.is_empty() {
            return Err(Error::InvalidInput(Rule::OptionTitleRequired));
        }
        options.push(StoredOption { title, phases });
    }
    Ok(Content { title, options, note: text(plan.note) })
}

/// The plan row of `patient`, or not found.
async fn plan_row(db: &impl ConnectionTrait, patient: Uuid, id: Uuid) -> Result<treatment_plan::Model> {
    treatment_plan::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|p| p.patient_id == patient)
        .ok_or(Error::NotFound(Subject::TreatmentPlan))
}

impl Clinical<'_> {
    /// The procedures planned or in progress on the chart, as plan items with the
    /// catalogue's fees: what a new plan starts from.
    pub async fn plan_suggestions(&self, s: &Session, patient: Uuid) -> Result<Vec<PlanItemDto>> {
        let chart = self.chart(s, patient, None).await?;
        let mut items = Vec::new();
        for e in chart.current {
            let Finding::Procedure { code, state } = &e.finding else { continue };
            if *state == ProcedureState::Done {
                continue;
            }
            let Ok(listed) = catalogue::find(self.store().connection(), code).await else { continue };
            items.push(PlanItemDto {
                chart_entry: Some(e.id),
                code: listed.code,
                name_ro: listed.name_ro,
                name_en: listed.name_en,
                tooth: Some(e.tooth),
                surfaces: e.surfaces,
                fee_bani: listed.fee_bani,
                note: None,
                state: *state,
            });
        }
        Ok(items)
    }

    /// Write a new plan, or change a draft (dentist, assistant; refused while restricted).
    pub async fn save_plan(
        &self,
        s: &Session,
        patient: Uuid,
        id: Option<Uuid>,
        plan: NewPlan,
    ) -> Result<PlanDto> {
        let permit = self.authorize(s, Action::ChartWrite).await?;
        let mut p = self.patient_to_change(permit, patient).await?;
        let content = checked(p.tx(), &p.cipher, patient, plan).await?;
        let now = audit::now_micros();
        let created_on = chrono::Local::now().date_naive().to_string();
        let (plan_id, b) = match id {
            Some(id) => {
                let before = plan_row(p.tx(), patient, id).await?;
                if before.status != PlanStatus::Draft.as_str() {
                    return Err(Error::InvalidInput(Rule::PlanAnswered));
                }
                (id, row_bound(&before))
            }
            None => (Uuid::now_v7(), bound(patient, &created_on, PlanStatus::Draft.as_str(), now, p.staff())),
        };
        let json = serde_json::to_vec(&content).map_err(|e| Error::Internal(e.to_string()))?;
        let sealed = p.cipher.seal(treatment_plan::CONTENT.at(plan_id).bound(&b), &json);
        if id.is_some() {
            treatment_plan::Entity::update_many()
                .set(treatment_plan::ActiveModel {
                    content: Set(sealed),
                    updated_at: Set(now),
                    ..Default::default()
                })
                .filter(treatment_plan::Column::Id.eq(plan_id))
                .exec(p.tx())
                .await?;
        } else {
            treatment_plan::Entity::insert(treatment_plan::ActiveModel {
                id: Set(plan_id),
                patient_id: Set(patient),
                created_on: Set(created_on),
                status: Set(PlanStatus::Draft.as_str().into()),
                content: Set(sealed),
                decision: Set(None),
                recorded_at: Set(now),
                recorded_by: Set(p.staff()),
                updated_at: Set(now),
            })
            .exec(p.tx())
            .await?;
        }
        let action = if id.is_some() { AuditAction::PlanUpdate } else { AuditAction::PlanCreate };
        p.audit(Event::new(action, "treatment_plan").entity(plan_id).purpose("treatment plan"));
        let dto = open_plan_in(&p, plan_id).await?;
        p.commit().await?;
        Ok(dto)
    }

    /// The patient's plans, newest first.
    pub async fn plans(&self, s: &Session, patient: Uuid) -> Result<Vec<PlanDto>> {
        let result = async {
            let mut p = self.patient_to_read(self.authorize(s, Action::ChartRead).await?, patient).await?;
            let states = chart_states(p.tx(), &p.cipher, patient).await?;
            let plans = treatment_plan::Entity::find()
                .filter(treatment_plan::Column::PatientId.eq(patient))
                .order_by_desc(treatment_plan::Column::RecordedAt)
                .all(p.tx())
                .await?
                .iter()
                .map(|r| open_plan(&p.cipher, r, &p.names, &states))
                .collect::<Result<Vec<_>>>()?;
            p.audit(Event::new(AuditAction::PlanRead, "treatment_plan").purpose("treatment plans"));
            p.commit().await?;
            Ok(plans)
        }
        .await;
        self.noting_integrity(s, Some(patient), result).await
    }

    /// Record the patient's answer to a draft plan: an option accepted, or the plan
    /// declined; once (dentist, assistant; refused while restricted).
    pub async fn decide_plan(
        &self,
        s: &Session,
        patient: Uuid,
        id: Uuid,
        d: PlanDecision,
    ) -> Result<PlanDto> {
        let permit = self.authorize(s, Action::ChartWrite).await?;
        let date: NaiveDate = clinical_day(&d.date)?;
        let by = d.by.trim().to_owned();
        if by.is_empty() {
            return Err(Error::InvalidInput(Rule::AnsweredByRequired));
        }
        let mut p = self.patient_to_change(permit, patient).await?;
        let before = plan_row(p.tx(), patient, id).await?;
        if before.status != PlanStatus::Draft.as_str() {
            return Err(Error::InvalidInput(Rule::PlanAlreadyAnswered));
        }
        let options = open_plan(&p.cipher, &before, &p.names, &HashMap::new())?.options.len();
        if let Some(o) = d.option
            && o as usize >= options
        {
            return Err(Error::InvalidInput(Rule::UnknownPlanOption));
        }
        let stored = StoredDecision {
            option: d.option,
            by,
            how: d.how,
            date: date.to_string(),
            recorded_by: p.staff(),
        };
        let json = serde_json::to_vec(&stored).map_err(|e| Error::Internal(e.to_string()))?;
        let status = if d.option.is_some() { PlanStatus::Accepted } else { PlanStatus::Declined }.as_str();
        // Both sealed columns are bound to the status: the content is re-sealed too.
        let content =
            p.cipher.open(treatment_plan::CONTENT.at(id).bound(&row_bound(&before)), &before.content)?;
        let after =
            bound(before.patient_id, &before.created_on, status, before.recorded_at, before.recorded_by);
        treatment_plan::Entity::update_many()
            .set(treatment_plan::ActiveModel {
                status: Set(status.into()),
                content: Set(p.cipher.seal(treatment_plan::CONTENT.at(id).bound(&after), &content)),
                decision: Set(Some(p.cipher.seal(treatment_plan::DECISION.at(id).bound(&after), &json))),
                updated_at: Set(audit::now_micros()),
                ..Default::default()
            })
            .filter(treatment_plan::Column::Id.eq(id))
            .exec(p.tx())
            .await?;
        p.audit(
            Event::new(AuditAction::PlanDecision, "treatment_plan")
                .entity(id)
                .purpose(format!("plan {status}")),
        );
        let dto = open_plan_in(&p, id).await?;
        p.commit().await?;
        Ok(dto)
    }

    /// The plan as a PDF for the patient, in their language unless `lang` says.
    pub async fn plan_pdf(
        &self,
        s: &Session,
        patient: Uuid,
        id: Uuid,
        lang: Option<Language>,
    ) -> Result<Vec<u8>> {
        let result = async {
            let mut p = self.patient_to_read(self.authorize(s, Action::ChartRead).await?, patient).await?;
            let plan = open_plan_in(&p, id).await?;
            let addressee = crate::gdpr::requests::letter_recipient(p.tx(), s, &p.row, None).await?;
            let lang = match lang {
                Some(l) => l,
                None => crate::admin::settings::letter_language(p.tx(), addressee.language).await?,
            };
            for e in addressee.reads {
                p.w.audit(e);
            }
            let clinic = self.gdpr().letter_profile(p.tx(), s).await?;
            let pdf = crate::clinical::plans::letter::treatment_plan(
                &clinic,
                &addressee.to,
                &plan,
                chrono::Local::now().date_naive(),
                lang,
            )?;
            p.audit(
                Event::new(AuditAction::PlanPrint, "treatment_plan").entity(id).purpose("treatment plan PDF"),
            );
            p.commit().await?;
            Ok(pdf)
        }
        .await;
        self.noting_integrity(s, Some(patient), result).await
    }
}

/// One plan of the open patient, with the chart states its items refer to.
async fn open_plan_in(p: &PatientWork<'_>, id: Uuid) -> Result<PlanDto> {
    let row = plan_row(p.tx(), p.id(), id).await?;
    open_plan(&p.cipher, &row, &p.names, &chart_states(p.tx(), &p.cipher, p.id()).await?)
}
