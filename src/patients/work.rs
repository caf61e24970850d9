//! The unit of work of every use case about one patient: the permit, the
//! restriction and key checks a change needs, the transaction with its audit
//! writer, the patient's row and cipher, and the staff names records refer to.
//!
//! Chart, clinical records, imaging, plans and consent open a patient through
//! [`Clinic::patient_to_read`] or [`Clinic::patient_to_change`] and work on what they
//! get; none of them finds the row or unwraps the key itself.

use std::collections::HashMap;

use uuid::Uuid;

use crate::audit::Event;
use crate::auth::Session;
use crate::clinic::{Clinic, Permit, Work};
use crate::crypto::FieldCipher;
use crate::error::Result;
use crate::store::entities::patient;

/// One patient's record, open in one transaction.
pub(crate) struct PatientWork<'c> {
    pub w: Work<'c>,
    pub session: &'c Session,
    /// The patient's row as it is in this transaction.
    pub row: patient::Model,
    pub cipher: FieldCipher,
    /// Staff user names by id: records name who recorded them.
    pub names: HashMap<Uuid, String>,
}

impl Clinic {
    /// Open `patient`'s record for a use case that reads it.
    pub(crate) async fn patient_to_read<'c>(
        &'c self,
        permit: Permit<'c>,
        patient: Uuid,
    ) -> Result<PatientWork<'c>> {
        let session = permit.session();
        let w = self.work(permit).await?;
        let row = super::find_row(&w.tx, patient).await?;
        let cipher = super::cipher_for(&session.keys, &row)?;
        let names = crate::gdpr::staff_names(&w.tx).await?;
        Ok(PatientWork { w, session, row, cipher, names })
    }

    /// Open `patient`'s record for a use case that changes it: refused (and the
    /// refusal audited) while the record is restricted, when some module lets a
    /// restriction stop the permit's action; refused when the session's clinic
    /// key has since been rotated.
    pub(crate) async fn patient_to_change<'c>(
        &'c self,
        permit: Permit<'c>,
        patient: Uuid,
    ) -> Result<PatientWork<'c>> {
        let (session, action) = (permit.session(), permit.action());
        if crate::gdpr::restricted_by_some_module(action) {
            self.gdpr().refuse_if_restricted(session, patient, action).await?;
        }
        self.check_key_current(session)?;
        self.patient_to_read(permit, patient).await
    }
}

impl PatientWork<'_> {
    pub fn id(&self) -> Uuid {
        self.row.id
    }

    pub fn tx(&self) -> &sea_orm::DatabaseTransaction {
        &self.w.tx
    }

    /// The acting staff member.
    pub fn staff(&self) -> Uuid {
        self.session.staff_id()
    }

    /// Append `event` about this patient.
    pub fn audit(&mut self, event: Event) {
        let event = event.subject(self.row.id);
        self.w.audit(event);
    }

    /// Write the audit events and commit.
    pub async fn commit(self) -> Result<()> {
        self.w.commit().await
    }
}
