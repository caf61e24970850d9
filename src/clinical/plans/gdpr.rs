//! Treatment plans in the GDPR interface: part of the medical record (the plan and the
//! patient's agreement to it), exported with a FHIR CarePlan each, kept 7 years after
//! the last plan on erasure and re-sealed under the retention key until then.

use async_trait::async_trait;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::{PlanDto, PlanStatus, chart_states, open_plan};
use crate::auth::Action;
use crate::crypto::FieldCipher;
use crate::error::Result;
use crate::gdpr::{
    About, Bilingual, ErasedPart, ExportPart, Fate, Holding, PersonalData, Record, Subject, field, medical,
};
use crate::store::entities::treatment_plan;

#[derive(Debug)]
pub struct TreatmentPlans;

const HOLDINGS: &[Holding] = &[Holding {
    data: Bilingual {
        ro: "planurile de tratament: variantele, etapele, procedurile și tarifele, și acordul dumneavoastră",
        en: "treatment plans: the options, phases, procedures and fees, and your agreement",
    },
    purpose: Bilingual {
        ro: "planificarea tratamentului și acordul informat",
        en: "planning your treatment and your informed agreement",
    },
    legal_basis: medical::BASIS,
    recipients: medical::RECIPIENTS,
    source: Bilingual { ro: "medicii cabinetului", en: "the clinic's dentists" },
    retention: "medical_records",
}];

fn care_plan(p: &PlanDto, patient: uuid::Uuid) -> serde_json::Value {
    let chosen = p.decision.as_ref().and_then(|d| d.option).unwrap_or(0) as usize;
    let activity: Vec<_> = p
        .options
        .get(chosen)
        .into_iter()
        .flat_map(|o| o.phases.iter().flat_map(|ph| ph.items.iter()))
        .map(|i| {
            let status = match i.state {
                crate::clinical::chart::ProcedureState::Planned => "not-started",
                crate::clinical::chart::ProcedureState::InProgress => "in-progress",
                crate::clinical::chart::ProcedureState::Done => "completed",
            };
            let mut detail =
                json!({ "code": { "text": i.code }, "status": status, "description": i.name_en });
            if let Some(t) = i.tooth {
                detail["description"] = json!(format!("{} (tooth {t})", i.name_en));
            }
            json!({ "detail": detail })
        })
        .collect();
    json!({
        "resourceType": "CarePlan",
        "id": p.id.to_string(),
        "status": match p.status {
            PlanStatus::Accepted => "active",
            PlanStatus::Declined => "revoked",
            PlanStatus::Draft => "draft",
        },
        "intent": "plan",
        "title": p.title,
        "subject": { "reference": format!("urn:uuid:{patient}") },
        "created": p.created_on,
        "activity": activity,
    })
}

#[async_trait]
impl PersonalData for TreatmentPlans {
    fn about(&self) -> About {
        About::new("plans", &["treatment_plan"], HOLDINGS).restricting(&[Action::ChartWrite])
    }

    async fn export(&self, cx: &Subject<'_>) -> Result<Vec<ExportPart>> {
        let rows = treatment_plan::Entity::find()
            .filter(treatment_plan::Column::PatientId.eq(cx.id()))
            .order_by_asc(treatment_plan::Column::RecordedAt)
            .all(cx.tx)
            .await?;
        let states = chart_states(cx.tx, cx.cipher, cx.id()).await?;
        let mut part = ExportPart { kind: "treatment_plans", ..Default::default() };
        for r in &rows {
            let p = open_plan(cx.cipher, r, cx.staff_names, &states)?;
            let options: Vec<String> = p
                .options
                .iter()
                .map(|o| {
                    let items: Vec<String> = o
                        .phases
                        .iter()
                        .flat_map(|ph| ph.items.iter())
                        .map(|i| match i.tooth {
                            Some(t) => format!("{} {t} {} bani", i.code, i.fee_bani),
                            None => format!("{} {} bani", i.code, i.fee_bani),
                        })
                        .collect();
                    format!("{}: {} (total {} bani)", o.title, items.join(", "), o.total_bani)
                })
                .collect();
            let decision = p.decision.as_ref().map(|d| match d.option {
                Some(o) => format!("option {} accepted by {} on {}", o + 1, d.by, d.date),
                None => format!("declined by {} on {}", d.by, d.date),
            });
            part.fhir.push(care_plan(&p, cx.id()));
            part.records.push(Record {
                id: p.id,
                fields: vec![
                    field("created_on", p.created_on.clone()),
                    field("title", p.title.clone()),
                    field("status", p.status.as_str().to_owned()),
                    field("options", options.join(" | ")),
                    field("decision", decision),
                    field("note", p.note.clone()),
                    field("recorded_by", p.recorded_by.clone()),
                ],
            });
        }
        Ok(vec![part])
    }

    async fn fate(&self, cx: &Subject<'_>) -> Result<Fate> {
        use treatment_plan::{Column, Entity};
        cx.medical_fate::<Entity>(Column::PatientId, Column::CreatedOn, |e| &e.created_on).await
    }

    async fn erase(&self, cx: &Subject<'_>, fate: &Fate, retained: &FieldCipher) -> Result<Vec<ErasedPart>> {
        let mine = treatment_plan::Column::PatientId.eq(cx.id());
        Ok(vec![match fate {
            Fate::Erase => ErasedPart::erased(
                "treatment_plans",
                treatment_plan::Entity::delete_many().filter(mine).exec(cx.tx).await?.rows_affected,
            ),
            Fate::Keep { .. } => {
                let mut kept = 0;
                for r in treatment_plan::Entity::find().filter(mine).all(cx.tx).await? {
                    let b = super::row_bound(&r);
                    let decision = match &r.decision {
                        Some(d) => Some(cx.cipher.reseal_to(
                            retained,
                            treatment_plan::DECISION.at(r.id).bound(&b),
                            d,
                        )?),
                        None => None,
                    };
                    kept += treatment_plan::Entity::update_many()
                        .set(treatment_plan::ActiveModel {
                            content: Set(cx.cipher.reseal_to(
                                retained,
                                treatment_plan::CONTENT.at(r.id).bound(&b),
                                &r.content,
                            )?),
                            decision: Set(decision),
                            ..Default::default()
                        })
                        .filter(treatment_plan::Column::Id.eq(r.id))
                        .exec(cx.tx)
                        .await?
                        .rows_affected;
                }
                ErasedPart::kept("treatment_plans", kept, fate)
            }
        }])
    }
}
