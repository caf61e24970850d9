//! Restriction of processing (Art. 18): the record is kept, read and consented
//! to, but not changed or linked while restricted; the DPO is not refused; every
//! refusal is audited; lifting it restores normal use.

use cuspid::consent::{ConsentInput, ConsentKind, ConsentMethod, GuardianInput};
use cuspid::gdpr::restriction::Restriction;
use cuspid::{AuditFilter, PatientChanges, Role};

use crate::support::{PEOPLE, TestClinic, backend_tests};

backend_tests! {
    async fn a_restricted_record_is_kept_but_not_changed_until_the_dpo_lifts_it(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("dpo", Role::Dpo).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
        let other = t.clinic.patients().register_patient(&recep, PEOPLE[1].new_patient()).await.unwrap();

        let denied = t.clinic.gdpr().set_restriction(&recep, p.id, Restriction::Restricted).await.unwrap_err();
        assert_eq!(denied.kind(), "auth.permission_denied", "{backend:?}: only the DPO restricts");
        let restricted = t.clinic.gdpr().set_restriction(&dpo, p.id, Restriction::Restricted).await.unwrap();
        assert_eq!(restricted.restriction, "restricted");
        assert_eq!(restricted.version, p.version + 1, "an edit begun before is stale now");

        // Kept and readable, shown as restricted in searches.
        let card = t.clinic.patients().get_patient(&recep, p.id).await.unwrap();
        assert_eq!(card.restriction, "restricted");
        let change = PatientChanges { phone: Some("0722 000 999".into()), ..Default::default() };
        let err = t
            .clinic
            .patients().update_patient(&recep, p.id, card.version, change.clone(), "număr nou")
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "conflict.restricted");
        let link = GuardianInput { patient_id: other.id, relationship: "tutore".into() };
        assert_eq!(
            t.clinic.patients().link_guardian(&recep, p.id, link).await.unwrap_err().kind(),
            "conflict.restricted"
        );
        // Consent stays possible (Art. 18(2)), withdrawal above all.
        let withdraw = ConsentInput {
            kind: ConsentKind::Marketing,
            granted: false,
            method: ConsentMethod::Verbal,
            text_shown: "Nu mai doresc oferte.".into(),
            given_by: None,
        };
        t.clinic.patients().record_consent(&recep, p.id, withdraw).await.unwrap();
        // The DPO handles the request: a contested value can be put right.
        let fixed =
            t.clinic.patients().update_patient(&dpo, p.id, card.version, change.clone(), "verificat").await.unwrap();
        assert_eq!(fixed.fields.phone.as_deref(), Some("+40722000999"));

        let admin = t.admin().await;
        let refusals = t
            .clinic
            .list_audit(&admin, &AuditFilter { patient: Some(p.id), ..Default::default() })
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.outcome == "denied" && e.purpose.contains("Art. 18"))
            .count();
        assert_eq!(refusals, 2, "both refusals are in the audit log");

        let lifted = t.clinic.gdpr().set_restriction(&dpo, p.id, Restriction::None).await.unwrap();
        assert_eq!(lifted.restriction, "none");
        let again = PatientChanges { email: Some("nou@example.ro".into()), ..Default::default() };
        t.clinic.patients().update_patient(&recep, p.id, lifted.version, again, "e-mail nou").await.unwrap();
        let twice = t.clinic.gdpr().set_restriction(&dpo, p.id, Restriction::None).await.unwrap_err();
        assert_eq!(twice.kind(), "input.invalid");
    }
}
