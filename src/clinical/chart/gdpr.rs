//! The tooth chart in the GDPR interface: part of the medical record, kept 7 years
//! after the last treatment (the last entry), re-sealed under the retention key on
//! erasure until then.

use async_trait::async_trait;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{Finding, open_entry};
use crate::auth::Action;
use crate::crypto::FieldCipher;
use crate::error::Result;
use crate::gdpr::fhir;
use crate::gdpr::{
    About, Bilingual, ErasedPart, ExportPart, Fate, Holding, PersonalData, Record, Subject, field, medical,
};
use crate::store::entities::{chart_entry, procedure};

#[derive(Debug)]
pub struct ToothChart;

const HOLDINGS: &[Holding] = &[Holding {
    data: Bilingual {
        ro: "fișa dentară: constatările pe fiecare dinte și suprafață și procedurile planificate sau făcute, \
             cu data și medicul",
        en: "the dental chart: findings on each tooth and surface, and procedures planned or done, with the \
             date and the dentist",
    },
    purpose: medical::CARE,
    legal_basis: medical::BASIS,
    recipients: medical::RECIPIENTS,
    source: Bilingual { ro: "examinarea la cabinet", en: "your examination at the clinic" },
    retention: "medical_records",
}];

#[async_trait]
impl PersonalData for ToothChart {
    fn about(&self) -> About {
        About::new("chart", &["chart_entry"], HOLDINGS).restricting(&[Action::ChartWrite])
    }

    async fn export(&self, cx: &Subject<'_>) -> Result<Vec<ExportPart>> {
        let rows = chart_entry::Entity::find()
            .filter(chart_entry::Column::PatientId.eq(cx.id()))
            .order_by_asc(chart_entry::Column::EntryDate)
            .all(cx.tx)
            .await?;
        let mut part = ExportPart { kind: "chart", ..Default::default() };
        let catalogue: std::collections::HashMap<String, String> = procedure::Entity::find()
            .all(cx.tx)
            .await?
            .into_iter()
            .map(|p| {
                let name = match cx.language {
                    crate::documents::Language::Ro => p.name_ro,
                    crate::documents::Language::En => p.name_en,
                };
                (p.code, name)
            })
            .collect();
        for r in &rows {
            let e = open_entry(cx.cipher, r, cx.staff_names)?;
            let tooth = super::Tooth::new(e.tooth)?;
            let surfaces: Vec<&str> = e.surfaces.iter().map(|s| s.name(tooth)).collect();
            let (what, state) = match &e.finding {
                Finding::Condition { condition, resolved } => (
                    serde_json::to_value(condition)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    if *resolved { "resolved" } else { "present" }.to_owned(),
                ),
                Finding::Procedure { code, state } => (
                    code.clone(),
                    serde_json::to_value(state)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                ),
            };
            let code = match &e.finding {
                Finding::Condition { condition, .. } => fhir::condition_code(*condition, cx.language),
                Finding::Procedure { code, .. } => {
                    fhir::procedure_code(code, catalogue.get(code).map(String::as_str))
                }
            };
            part.fhir.push(fhir::chart_entry(&e, cx.id(), code, &state, &surfaces));
            part.records.push(Record {
                id: e.id,
                fields: vec![
                    field("date", e.date.clone()),
                    field("tooth", e.tooth.to_string()),
                    field("surfaces", surfaces.join(" ")),
                    field(
                        "kind",
                        if matches!(e.finding, Finding::Condition { .. }) {
                            "condition"
                        } else {
                            "procedure"
                        }
                        .to_owned(),
                    ),
                    field("what", what),
                    field("state", state),
                    field("note", e.note.clone()),
                    field("supersedes", e.supersedes.map(|s| s.to_string())),
                    field("recorded_by", e.recorded_by.clone()),
                ],
            });
        }
        Ok(vec![part])
    }

    async fn fate(&self, cx: &Subject<'_>) -> Result<Fate> {
        use chart_entry::{Column, Entity};
        cx.medical_fate::<Entity>(Column::PatientId, Column::EntryDate, |e| &e.entry_date).await
    }

    async fn erase(&self, cx: &Subject<'_>, fate: &Fate, retained: &FieldCipher) -> Result<Vec<ErasedPart>> {
        let rows =
            chart_entry::Entity::find().filter(chart_entry::Column::PatientId.eq(cx.id())).all(cx.tx).await?;
        Ok(vec![match fate {
            Fate::Erase => ErasedPart::erased(
                "chart",
                chart_entry::Entity::delete_many()
                    .filter(chart_entry::Column::PatientId.eq(cx.id()))
                    .exec(cx.tx)
                    .await?
                    .rows_affected,
            ),
            Fate::Keep { .. } => {
                let mut kept = 0;
                for r in rows {
                    let b = super::bound(&r);

                    kept += chart_entry::Entity::update_many()
                        .set(chart_entry::ActiveModel {
                            content: Set(cx.cipher.reseal_to(
                                retained,
                                super::content_addr(r.id, &b),
                                &r.content,
                            )?),
                            ..Default::default()
                        })
                        .filter(chart_entry::Column::Id.eq(r.id))
                        .exec(cx.tx)
                        .await?
                        .rows_affected;
                }
                ErasedPart::kept("chart", kept, fate)
            }
        }])
    }
}
