//! The medical history, clinical notes and periodontal examinations in the GDPR
//! interface: part of the medical record, kept 7 years after the last of them,
//! re-sealed under the retention key on erasure until then.

use async_trait::async_trait;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use super::{Kind, Stored, anamnesis, content_addr, notes, perio};
use crate::auth::Action;
use crate::crypto::FieldCipher;
use crate::error::Result;
use crate::gdpr::{
    About, Bilingual, ErasedPart, ExportPart, Fate, Holding, PersonalData, Record, Subject, field, medical,
};
use crate::store::entities::clinical_record;

#[derive(Debug)]
pub struct ClinicalRecords;

const HOLDINGS: &[Holding] = &[
    Holding {
        data: Bilingual {
            ro: "anamneza: alergii, medicație, afecțiuni și celelalte răspunsuri la chestionarul medical, cu data \
                 și cine l-a completat",
            en: "the medical history: allergies, medication, conditions and the other answers to the medical \
                 questionnaire, with the date and who took it",
        },
        purpose: Bilingual {
            ro: "tratament în siguranță (alergii, anticoagulante, alte riscuri)",
            en: "safe treatment (allergies, anticoagulants, other risks)",
        },
        legal_basis: medical::BASIS,
        recipients: medical::RECIPIENTS,
        source: Bilingual { ro: "dumneavoastră, la cabinet", en: "you, at the clinic" },
        retention: "medical_records",
    },
    Holding {
        data: Bilingual {
            ro: "notele clinice ale fiecărei vizite și completările lor",
            en: "the clinical notes of each visit and their amendments",
        },
        purpose: medical::CARE,
        legal_basis: medical::BASIS,
        recipients: medical::RECIPIENTS,
        source: Bilingual { ro: "medicii cabinetului", en: "the clinic's dentists" },
        retention: "medical_records",
    },
    Holding {
        data: Bilingual {
            ro: "examinările parodontale: adâncimea pungilor, retracția, sângerarea, mobilitatea, furcațiile",
            en: "periodontal examinations: pocket depths, recession, bleeding, mobility, furcations",
        },
        purpose: medical::CARE,
        legal_basis: medical::BASIS,
        recipients: medical::RECIPIENTS,
        source: Bilingual { ro: "examinarea la cabinet", en: "your examination at the clinic" },
        retention: "medical_records",
    },
];

/// The records of one kind, opened, oldest first.
async fn of_kind<T: serde::de::DeserializeOwned>(cx: &Subject<'_>, kind: Kind) -> Result<Vec<Stored<T>>> {
    super::of_kind(cx.tx, cx.cipher, cx.staff_names, cx.id(), kind).await
}

fn history_part(cx: &Subject<'_>, all: Vec<Stored<anamnesis::Content>>) -> ExportPart {
    let mut part = ExportPart { kind: "medical_history", ..Default::default() };
    for s in all {
        let dto = anamnesis::MedicalHistoryDto::from(s);
        let answers: Vec<String> = dto
            .answers
            .iter()
            .filter(|a| a.reply != anamnesis::Reply::Unknown)
            .map(|a| {
                let reply = if a.reply == anamnesis::Reply::Yes { "yes" } else { "no" };
                match &a.detail {
                    Some(d) => format!("{}: {reply} ({d})", a.item.as_str()),
                    None => format!("{}: {reply}", a.item.as_str()),
                }
            })
            .collect();
        let alerts: Vec<&str> = dto.alerts.iter().map(|a| a.item.as_str()).collect();
        part.fhir.push(crate::gdpr::fhir::medical_history(&dto, cx.id()));
        part.records.push(Record {
            id: dto.id,
            fields: vec![
                field("date", dto.date.clone()),
                field("answers", answers.join("; ")),
                field("alerts", alerts.join(" ")),
                field("notes", dto.notes.clone()),
                field("taken_by", dto.taken_by.clone()),
            ],
        });
    }
    part
}

fn notes_part(cx: &Subject<'_>, all: Vec<Stored<notes::Content>>) -> ExportPart {
    let mut part = ExportPart { kind: "clinical_notes", ..Default::default() };
    for s in all {
        let n = notes::NoteDto::from(s);
        part.fhir.push(crate::gdpr::fhir::clinical_note(&n, cx.id()));
        part.records.push(Record {
            id: n.id,
            fields: vec![
                field("date", n.date.clone()),
                field("text", n.text.clone()),
                field("template", n.template.clone()),
                field("amends", n.amends.map(|a| a.to_string())),
                field("reason", n.reason.clone()),
                field("author", n.author.clone()),
            ],
        });
    }
    part
}

fn perio_part(all: Vec<Stored<perio::Content>>) -> ExportPart {
    let mut part = ExportPart { kind: "periodontal_exams", ..Default::default() };
    for s in all {
        let e = perio::PerioExamDto::from(s);
        let teeth: Vec<String> = e
            .teeth
            .iter()
            .map(|t| {
                let list = |v: &[u8; 6]| v.iter().map(u8::to_string).collect::<Vec<_>>().join(",");
                let bleeding: String = t.bleeding.iter().map(|b| if *b { '+' } else { '-' }).collect();
                format!(
                    "{}: depths {} recession {} bleeding {} mobility {} furcation {}",
                    t.tooth,
                    list(&t.depths),
                    list(&t.recession),
                    bleeding,
                    t.mobility,
                    t.furcation
                )
            })
            .collect();
        part.records.push(Record {
            id: e.id,
            fields: vec![
                field("date", e.date.clone()),
                field("teeth", teeth.join("; ")),
                field("bleeding_percent", e.bleeding_percent.to_string()),
                field("deep_sites", e.deep_sites.to_string()),
                field("note", e.note.clone()),
                field("examined_by", e.examined_by.clone()),
            ],
        });
    }
    part
}

#[async_trait]
impl PersonalData for ClinicalRecords {
    fn about(&self) -> About {
        About::new("clinical", &["clinical_record"], HOLDINGS).restricting(&[Action::ChartWrite])
    }

    async fn export(&self, cx: &Subject<'_>) -> Result<Vec<ExportPart>> {
        Ok(vec![
            history_part(cx, of_kind(cx, Kind::MedicalHistory).await?),
            notes_part(cx, of_kind(cx, Kind::Note).await?),
            perio_part(of_kind(cx, Kind::Perio).await?),
        ])
    }

    async fn fate(&self, cx: &Subject<'_>) -> Result<Fate> {
        use clinical_record::{Column, Entity};
        cx.medical_fate::<Entity>(Column::PatientId, Column::EntryDate, |e| &e.entry_date).await
    }

    async fn erase(&self, cx: &Subject<'_>, fate: &Fate, retained: &FieldCipher) -> Result<Vec<ErasedPart>> {
        let mine = clinical_record::Column::PatientId.eq(cx.id());
        Ok(vec![match fate {
            Fate::Erase => ErasedPart::erased(
                "clinical",
                clinical_record::Entity::delete_many().filter(mine).exec(cx.tx).await?.rows_affected,
            ),
            Fate::Keep { .. } => {
                let mut kept = 0;
                for r in clinical_record::Entity::find().filter(mine).all(cx.tx).await? {
                    let b = super::bound(&r);

                    kept += clinical_record::Entity::update_many()
                        .set(clinical_record::ActiveModel {
                            content: Set(cx.cipher.reseal_to(
                                retained,
                                content_addr(r.id, &b),
                                &r.content,
                            )?),
                            ..Default::default()
                        })
                        .filter(clinical_record::Column::Id.eq(r.id))
                        .exec(cx.tx)
                        .await?
                        .rows_affected;
                }
                ErasedPart::kept("clinical", kept, fate)
            }
        }])
    }
}
