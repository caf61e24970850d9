//! Binding sealed values to the plain columns of their rows (field format 2). A
//! clinic written before it holds format-1 values, bound to their place only; the
//! first sign-in after the upgrade re-seals every one of them, under the same key,
//! with its row's plain columns in the associated data, in one transaction
//! (`clinic_meta.bound_columns` then says it is done, and format 1 is refused
//! where columns are bound). Values another sealed key holds after an erasure (the
//! retention key) are re-sealed under that key.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, Set};
use uuid::Uuid;

use crate::auth::ClinicKeys;
use crate::crypto::{FieldCipher, Place, Plaintext, Sealed};
use crate::error::Result;
use crate::store::entities::{
    chart_entry, clinical_record, consent, erasure, patient, patient_guardian, patient_history,
    treatment_plan, xray,
};

/// The binding this build writes (`clinic_meta.bound_columns`).
pub(crate) const BOUND_COLUMNS: i32 = 1;

/// What the re-sealing did: values re-sealed, and values that did not open (left
/// as they were: they are refused on read, as before).
#[derive(Debug, Default)]
pub(crate) struct Rebound {
    pub values: u64,
    pub unreadable: u64,
}

impl Rebound {
    /// Open `sealed` at `at` without its bound columns and seal it again with them.
    fn reseal<T: Plaintext>(
        &mut self,
        c: &FieldCipher,
        at: Place<'_, T>,
        sealed: &Sealed<T>,
    ) -> Option<Sealed<T>> {
        match c.open(at.unbound(), sealed) {
            Ok(plain) => {
                self.values += 1;
                Some(c.seal(at, plain.as_view()))
            }
            Err(_) => {
                self.unreadable += 1;
                None
            }
        }
    }
}

/// Re-seal every format-1 value of the bound tables in `tx`.
pub(crate) async fn bind_all(tx: &DatabaseTransaction, keys: &ClinicKeys) -> Result<Rebound> {
    let mut done = Rebound::default();
    // Each patient's cipher: the data key, or after an erasure the retention key.
    let mut ciphers: HashMap<Uuid, FieldCipher> = HashMap::new();
    let patients = patient::Entity::find().all(tx).await?;
    for row in &patients {
        if row.status != crate::patients::gdpr::ERASED
            && let Ok(c) = crate::patients::cipher_for(keys, row)
        {
            ciphers.insert(row.id, c);
        }
    }
    for e in erasure::Entity::find().all(tx).await? {
        if let Ok(c) = crate::gdpr::erasure::retention_cipher(keys, &e) {
            ciphers.entry(e.patient_id).or_insert(c);
        }
    }

    for row in patients.into_iter().filter(|r| r.status != crate::patients::gdpr::ERASED) {
        let Some(c) = ciphers.get(&row.id) else { continue };
        match crate::patients::open_fields_at(c, &row, None) {
            Ok(fields) => {
                let mut bound = row.clone();
                crate::patients::set_sealed_fields(&mut bound, c, &fields);
                patient::ActiveModel::from(bound).reset_all().update(tx).await?;
                done.values += 1;
            }
            Err(_) => done.unreadable += 1,
        }
    }

    for r in patient_history::Entity::find().all(tx).await? {
        let Some(c) = ciphers.get(&r.patient_id) else { continue };
        let b = crate::patients::history_bound(r.patient_id, r.changed_at, r.changed_by, r.request_id);
        if let (Some(reason), Some(previous)) = (
            done.reseal(c, patient_history::REASON.at(r.id).bound(&b), &r.reason),
            done.reseal(c, patient_history::PREVIOUS.at(r.id).bound(&b), &r.previous),
        ) {
            patient_history::Entity::update(patient_history::ActiveModel {
                id: Set(r.id),
                reason: Set(reason),
                previous: Set(previous),
                ..Default::default()
            })
            .exec(tx)
            .await?;
        }
    }

    for r in consent::Entity::find().all(tx).await? {
        let Some(c) = ciphers.get(&r.patient_id) else { continue };
        let b = crate::consent::consent_bound(&r);
        if let Some(text) = done.reseal(c, crate::consent::text_addr(&r, &b), &r.text_shown) {
            consent::Entity::update(consent::ActiveModel {
                id: Set(r.id),
                text_shown: Set(text),
                ..Default::default()
            })
            .exec(tx)
            .await?;
        }
    }

    for r in patient_guardian::Entity::find().all(tx).await? {
        let Some(c) = ciphers.get(&r.patient_id) else { continue };
        let b = crate::consent::guardian_bound(&r);
        if let Some(rel) = done.reseal(c, patient_guardian::RELATIONSHIP.at(r.id).bound(&b), &r.relationship)
        {
            patient_guardian::Entity::update(patient_guardian::ActiveModel {
                id: Set(r.id),
                relationship: Set(rel),
                ..Default::default()
            })
            .exec(tx)
            .await?;
        }
    }

    for r in chart_entry::Entity::find().all(tx).await? {
        let Some(c) = ciphers.get(&r.patient_id) else { continue };
        let b = crate::clinical::chart::bound(&r);
        if let Some(content) = done.reseal(c, crate::clinical::chart::content_addr(r.id, &b), &r.content) {
            chart_entry::Entity::update(chart_entry::ActiveModel {
                id: Set(r.id),
                content: Set(content),
                ..Default::default()
            })
            .exec(tx)
            .await?;
        }
    }

    for r in clinical_record::Entity::find().all(tx).await? {
        let Some(c) = ciphers.get(&r.patient_id) else { continue };
        let b = crate::clinical::bound(&r);
        if let Some(content) = done.reseal(c, crate::clinical::content_addr(r.id, &b), &r.content) {
            clinical_record::Entity::update(clinical_record::ActiveModel {
                id: Set(r.id),
                content: Set(content),
                ..Default::default()
            })
            .exec(tx)
            .await?;
        }
    }

    for r in treatment_plan::Entity::find().all(tx).await? {
        let Some(c) = ciphers.get(&r.patient_id) else { continue };
        let b = crate::clinical::plans::row_bound(&r);
        let Some(content) = done.reseal(c, treatment_plan::CONTENT.at(r.id).bound(&b), &r.content) else {
            continue;
        };
        let decision = match &r.decision {
            Some(d) => match done.reseal(c, treatment_plan::DECISION.at(r.id).bound(&b), d) {
                Some(d) => Some(d),
                None => continue,
            },
            None => None,
        };
        treatment_plan::Entity::update(treatment_plan::ActiveModel {
            id: Set(r.id),
            content: Set(content),
            decision: Set(decision),
            ..Default::default()
        })
        .exec(tx)
        .await?;
    }

    for r in xray::Entity::find().all(tx).await? {
        let Some(c) = ciphers.get(&r.patient_id) else { continue };
        let b = crate::clinical::imaging::bound(&r);
        if let (Some(content), Some(thumbnail)) = (
            done.reseal(c, xray::CONTENT.at(r.id).bound(&b), &r.content),
            done.reseal(c, xray::THUMBNAIL.at(r.id).bound(&b), &r.thumbnail),
        ) {
            xray::Entity::update(xray::ActiveModel {
                id: Set(r.id),
                content: Set(content),
                thumbnail: Set(thumbnail),
                ..Default::default()
            })
            .exec(tx)
            .await?;
        }
    }
    Ok(done)
}
