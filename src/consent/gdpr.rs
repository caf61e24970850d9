//! Consent records and guardian links in the GDPR interface.

use async_trait::async_trait;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use super::{ConsentKind, ConsentMethod, is_minor};
use crate::audit::AuditAction;
use crate::auth::Action;
use crate::crypto::FieldCipher;
use crate::error::{Error, Result};
use crate::gdpr::{
    About, Bilingual, ErasedPart, ExportPart, Fate, Holding, PersonalData, Record, Subject, fhir, field,
};
use crate::rules::{self, Rule};
use crate::store::entities::{consent, patient_guardian};

#[derive(Debug)]
pub struct ConsentRecords;
#[derive(Debug)]
pub struct GuardianLinks;

const CONSENT_HOLDINGS: &[Holding] = &[Holding {
    data: Bilingual {
        ro: "consimțămintele date sau retrase: ce, când, cum, textul exact prezentat, versiunea notei de \
             informare",
        en: "the consents you gave or withdrew: what, when, how, the exact text shown, the privacy-notice \
             version",
    },
    purpose: Bilingual {
        ro: "dovada consimțământului dumneavoastră și a retragerii lui",
        en: "proof of your consent and of its withdrawal",
    },
    legal_basis: Bilingual {
        ro: "art. 7 alin. (1) și art. 6 alin. (1) lit. (c) GDPR",
        en: "Art. 7(1) and Art. 6(1)(c) GDPR",
    },
    recipients: Bilingual { ro: "nimeni", en: "no one" },
    source: Bilingual {
        ro: "de la dumneavoastră (sau de la părintele ori tutorele dumneavoastră)",
        en: "from you (or your parent or guardian)",
    },
    retention: "consent_records",
}];

const KEEP_CONSENT: Bilingual = Bilingual {
    ro: "dovada consimțământului și a retragerii lui, pentru apărarea unui drept în instanță \
         (art. 17 alin. (3) lit. (e) GDPR)",
    en: "proof of consent and of its withdrawal, for the defence of legal claims (Art. 17(3)(e) GDPR)",
};

const GUARDIAN_HOLDINGS: &[Holding] = &[Holding {
    data: Bilingual {
        ro: "legătura cu părintele sau tutorele care acționează pentru un minor, și calitatea lui",
        en: "the link to the parent or guardian acting for a minor, and how they are related",
    },
    purpose: Bilingual {
        ro: "consimțământul și deciziile pentru pacienții sub 16 ani",
        en: "consent and decisions for patients under 16",
    },
    legal_basis: Bilingual {
        ro: "art. 8 GDPR; Legea nr. 46/2003 a drepturilor pacientului",
        en: "Art. 8 GDPR; Romanian Law 46/2003 on patients' rights",
    },
    recipients: Bilingual { ro: "nimeni", en: "no one" },
    source: Bilingual { ro: "de la părinte sau tutore", en: "from the parent or guardian" },
    retention: "medical_records",
}];

#[async_trait]
impl PersonalData for ConsentRecords {
    // Art. 18(2): recording or withdrawing consent stays possible.
    fn about(&self) -> About {
        About::new("consent", &["consent"], CONSENT_HOLDINGS)
    }

    async fn export(&self, cx: &Subject<'_>) -> Result<Vec<ExportPart>> {
        let rows = consent::Entity::find()
            .filter(consent::Column::PatientId.eq(cx.id()))
            .order_by_asc(consent::Column::At)
            .all(cx.tx)
            .await?;
        let mut part = ExportPart { kind: "consents", ..Default::default() };
        for r in rows {
            let text = cx.cipher.open(super::text_addr(&r, &super::consent_bound(&r)), &r.text_shown)?;
            let kind = ConsentKind::parse(&r.kind)
                .map_err(|_| Error::Tampered("a consent kind is unknown".into()))?;
            ConsentMethod::parse(&r.method)
                .map_err(|_| Error::Tampered("a consent method is unknown".into()))?;
            let at = crate::audit::format_micros(r.at);
            part.fhir.push(fhir::consent(r.id, cx.id(), kind, r.granted, &at, &text));
            part.records.push(Record {
                id: r.id,
                fields: vec![
                    field("kind", kind.as_str().to_owned()),
                    field("granted", if r.granted { "yes" } else { "no" }.to_owned()),
                    field("method", r.method),
                    field("given_by", r.given_by.map(|g| g.to_string())),
                    field("notice_version", r.notice_version),
                    field("text_shown", text),
                    field("recorded_by", cx.staff(r.recorded_by)),
                    field("workstation", r.workstation),
                    field("at", at),
                ],
            });
        }
        Ok(vec![part])
    }

    async fn fate(&self, cx: &Subject<'_>) -> Result<Fate> {
        // Counted from the end of the relationship (an erasure request ends it today).
        cx.keep("consent_records", cx.relationship_end, KEEP_CONSENT)
    }

    async fn erase(&self, cx: &Subject<'_>, fate: &Fate, retained: &FieldCipher) -> Result<Vec<ErasedPart>> {
        let rows = consent::Entity::find().filter(consent::Column::PatientId.eq(cx.id())).all(cx.tx).await?;
        let part = match fate {
            Fate::Erase => ErasedPart::erased(
                "consents",
                consent::Entity::delete_many()
                    .filter(consent::Column::PatientId.eq(cx.id()))
                    .exec(cx.tx)
                    .await?
                    .rows_affected,
            ),
            Fate::Keep { .. } => {
                // Re-sealed under the retention key: the patient's key is about to go.
                let mut kept = 0;
                for r in rows {
                    let bound = super::consent_bound(&r);
                    let addr = super::text_addr(&r, &bound);
                    let done = consent::Entity::update_many()
                        .set(consent::ActiveModel {
                            text_shown: Set(cx.cipher.reseal_to(retained, addr, &r.text_shown)?),
                            ..Default::default()
                        })
                        .filter(consent::Column::Id.eq(r.id))
                        .exec(cx.tx)
                        .await?;
                    kept += done.rows_affected;
                }
                ErasedPart::kept("consents", kept, fate)
            }
        };
        Ok(vec![part])
    }
}

fn links_of(id: uuid::Uuid) -> Condition {
    Condition::any()
        .add(patient_guardian::Column::PatientId.eq(id))
        .add(patient_guardian::Column::GuardianId.eq(id))
}

#[async_trait]
impl PersonalData for GuardianLinks {
    fn about(&self) -> About {
        About::new("guardians", &["patient_guardian"], GUARDIAN_HOLDINGS)
            .restricting(&[Action::PatientUpdate])
    }

    async fn export(&self, cx: &Subject<'_>) -> Result<Vec<ExportPart>> {
        // The person's guardians (the relationship is sealed under their own key);
        // links where they are someone's guardian are the child's record.
        let rows = patient_guardian::Entity::find()
            .filter(patient_guardian::Column::PatientId.eq(cx.id()))
            .order_by_asc(patient_guardian::Column::CreatedAt)
            .all(cx.tx)
            .await?;
        let mut part = ExportPart { kind: "guardians", ..Default::default() };
        for r in rows {
            let relationship = cx.cipher.open(
                patient_guardian::RELATIONSHIP.at(r.id).bound(&super::guardian_bound(&r)),
                &r.relationship,
            )?;
            let guardian = crate::patients::find_row(cx.tx, r.guardian_id).await?;
            let name = crate::patients::open_display_name(
                &crate::patients::cipher_for(cx.keys, &guardian)?,
                &guardian,
            )?;
            part.fhir.push(fhir::related_person(r.id, cx.id(), &name, &relationship));
            part.records.push(Record {
                id: r.id,
                fields: vec![
                    field("guardian_id", r.guardian_id.to_string()),
                    field("guardian_name", name),
                    field("relationship", relationship),
                    field("linked_at", crate::audit::format_micros(r.created_at)),
                ],
            });
        }
        Ok(vec![part])
    }

    async fn fate(&self, cx: &Subject<'_>) -> Result<Fate> {
        // A minor is never left without the guardian who acts for them.
        let children = patient_guardian::Entity::find()
            .filter(patient_guardian::Column::GuardianId.eq(cx.id()))
            .all(cx.tx)
            .await?;
        for link in children {
            let Some(child) = crate::patients::find_row_any(cx.tx, link.patient_id).await? else { continue };
            if child.status == crate::patients::gdpr::ERASED {
                continue;
            }
            let birth =
                crate::patients::open_birth_date(&crate::patients::cipher_for(cx.keys, &child)?, &child)?;
            let others = patient_guardian::Entity::find()
                .filter(patient_guardian::Column::PatientId.eq(child.id))
                .filter(patient_guardian::Column::GuardianId.ne(cx.id()))
                .one(cx.tx)
                .await?;
            if is_minor(birth.as_deref()) && others.is_none() {
                return Err(Error::InvalidInput(Rule::OnlyGuardian));
            }
        }
        Ok(Fate::Erase)
    }

    async fn erase(
        &self,
        cx: &Subject<'_>,
        _fate: &Fate,
        _retained: &FieldCipher,
    ) -> Result<Vec<ErasedPart>> {
        let erased = patient_guardian::Entity::delete_many()
            .filter(links_of(cx.id()))
            .exec(cx.tx)
            .await?
            .rows_affected;
        Ok(vec![ErasedPart::erased("guardians", erased)])
    }
}

impl crate::clinic::Clinic {
    /// The consent records an erasure kept, opened with the retention key for their
    /// one purpose, proof of consent (DPO, `patient.erase`; audited as such).
    pub async fn retained_consents(
        &self,
        s: &crate::auth::Session,
        patient_id: uuid::Uuid,
    ) -> Result<Vec<super::ConsentRecordDto>> {
        let mut w = self.begin(s, Action::PatientErase).await?;
        crate::patients::find_row_any(&w.tx, patient_id)
            .await?
            .filter(|r| r.status == crate::patients::gdpr::ERASED)
            .ok_or(Error::NotFound(rules::Subject::ErasureRecord))?;
        let erasure = crate::gdpr::erasure::find_erasure(&w.tx, patient_id).await?;
        let cipher = crate::gdpr::erasure::retention_cipher(&s.keys, &erasure)?;
        let names = crate::gdpr::staff_names(&w.tx).await?;
        let rows = consent::Entity::find()
            .filter(consent::Column::PatientId.eq(patient_id))
            .order_by_asc(consent::Column::At)
            .all(&w.tx)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let text = cipher.open(super::text_addr(&r, &super::consent_bound(&r)), &r.text_shown)?;
            out.push(super::ConsentRecordDto::from_model(r, text, &names)?);
        }
        w.audit(
            crate::audit::Event::new(AuditAction::ConsentReadRetained, "consent")
                .subject(patient_id)
                .purpose("proof of consent, kept after erasure"),
        );
        w.commit().await?;
        Ok(out)
    }
}
