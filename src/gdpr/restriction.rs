//! Restriction of processing (GDPR Art. 18). While a patient's record is
//! `restricted` (the person asked for it, e.g. pending an objection or a legal
//! claim) or under `verification` (they contest its accuracy), the data is kept
//! but not changed or used: every use case that would process it beyond storage
//! calls `refuse_if_restricted` first, and the refusal is audited like a
//! permission refusal. The DPO, who handles the request (access, rectification
//! of a contested value, legal claims), is not refused. Recording or withdrawing
//! a consent stays possible: Art. 18(2) allows processing with the person's consent.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event, Outcome};
use crate::auth::{Action, Role, Session};
use crate::clinic::Gdpr;
use crate::error::{Error, Result};
use crate::patients::PatientDto;
use crate::rules::Rule;
use crate::store::entities::patient;

crate::store::codes::text_codes! {
    /// A record's restriction state.
    pub enum Restriction {
        /// Processed normally.
        None = "none",
        /// Kept, not used (Art. 18(1)(b)-(d)).
        Restricted = "restricted",
        /// Kept, not used, while the accuracy the person contests is checked (Art. 18(1)(a)).
        Verification = "verification",
    }
}

impl Restriction {
    pub fn parse(s: &str) -> Result<Self> {
        Restriction::from_code(s.trim()).ok_or(Error::InvalidInput(Rule::UnknownRestriction))
    }
}

impl Gdpr<'_> {
    /// Refuse `action` on `patient` while the record is restricted (the DPO excepted),
    /// with the refusal audited. Called before the use case opens its transaction.
    pub(crate) async fn refuse_if_restricted(
        &self,
        s: &Session,
        patient: Uuid,
        action: Action,
    ) -> Result<()> {
        debug_assert!(
            crate::gdpr::restricted_by_some_module(action),
            "a module's PersonalData::restricted_actions must list every action it refuses while restricted"
        );
        if s.role() == Role::Dpo {
            return Ok(());
        }
        let row = crate::patients::find_row(self.store().connection(), patient).await?;
        if Restriction::parse(&row.restriction)? == Restriction::None {
            return Ok(());
        }
        let mut w = self.work_as(self.actor(s), Some(&s.keys.checkpoint)).await?;
        w.audit(
            Event::new(action, "patient")
                .subject(patient)
                .purpose("restricted (Art. 18)")
                .outcome(Outcome::Denied),
        );
        w.commit().await?;
        Err(Error::Restricted)
    }

    /// Set or lift a restriction (DPO). The record's version moves on, so an edit
    /// begun before the change is refused as stale.
    pub async fn set_restriction(
        &self,
        s: &Session,
        patient_id: Uuid,
        to: Restriction,
    ) -> Result<PatientDto> {
        let mut w = self.begin(s, Action::PatientRestrict).await?;
        let row = crate::patients::find_row(&w.tx, patient_id).await?;
        let from = Restriction::parse(&row.restriction)?;
        if from == to {
            return Err(Error::InvalidInput(Rule::RestrictionUnchanged));
        }
        // The fields are bound to the restriction: re-sealed under the new one (and
        // the next version), so lifting it by SQL leaves a record that does not open.
        let cipher = crate::patients::cipher_for(&s.keys, &row)?;
        let fields = crate::patients::open_fields(&cipher, &row)?;
        let mut updated = row.clone();
        updated.restriction = to.as_str().into();
        updated.version = row.version + 1;
        updated.updated_at = audit::now_micros();
        crate::patients::set_sealed_fields(&mut updated, &cipher, &fields);
        patient::Entity::update(patient::ActiveModel::from(updated).reset_all())
            .validate()?
            .filter(patient::Column::Version.eq(row.version))
            .exec(&w.tx)
            .await
            .map_err(|e| match e {
                sea_orm::DbErr::RecordNotUpdated => Error::StalePatient,
                other => other.into(),
            })?;
        w.audit(Event::new(AuditAction::PatientRestrict, "patient").subject(patient_id).purpose(format!(
            "{} -> {}",
            from.as_str(),
            to.as_str()
        )));
        let dto = crate::patients::dto_in(&w.tx, s, patient_id).await?;
        w.audit(
            Event::new(AuditAction::PatientRead, "patient")
                .subject(patient_id)
                .purpose("after restriction change"),
        );
        w.commit().await?;
        Ok(dto)
    }
}
