//! Sealed values bound to the plain columns of their rows: someone with SQL access
//! who flips a consent, lifts a restriction, moves a note's date, accepts a declined
//! plan or puts back an older ciphertext gets a record that no longer opens
//! (`integrity.tampered`, itself audited) instead of one that says something else.

#![allow(clippy::unwrap_used)]

use cuspid::clinical::chart::{Condition, Finding, NewChartEntry};
use cuspid::consent::{ConsentInput, ConsentKind, ConsentMethod};
use cuspid::gdpr::restriction::Restriction;
use cuspid::{PatientChanges, Role};

use crate::support::{PEOPLE, TestClinic, backend_tests};

fn id_sql(t: &TestClinic, id: uuid::Uuid) -> String {
    if t.is_sqlite() { format!("X'{}'", id.simple()) } else { format!("'{id}'") }
}

backend_tests! {
    async fn a_flipped_consent_or_a_lifted_restriction_no_longer_opens(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("irina", Role::Dpo).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
        let marketing = ConsentInput {
            kind: ConsentKind::Marketing,
            granted: false,
            method: ConsentMethod::Signature,
            text_shown: "Nu doresc oferte.".into(),
            given_by: None,
        };
        t.clinic.patients().record_consent(&recep, p.id, marketing).await.unwrap();
        assert_eq!(t.clinic.patients().consent_history(&recep, p.id).await.unwrap().len(), 1);
        // A withdrawal turned into a grant by SQL: the record does not open.
        t.raw(&format!("UPDATE consent SET granted = true WHERE patient_id = {}", id_sql(&t, p.id))).await;
        let e = t.clinic.patients().consent_history(&recep, p.id).await.unwrap_err();
        assert_eq!(e.kind(), "integrity.tampered", "{backend:?}: {e}");
        t.raw(&format!("UPDATE consent SET granted = false WHERE patient_id = {}", id_sql(&t, p.id))).await;
        assert_eq!(t.clinic.patients().consent_history(&recep, p.id).await.unwrap().len(), 1, "put back, it opens");

        // The DPO restricts the record; lifting it by SQL leaves a record that does not open.
        t.clinic.gdpr().set_restriction(&dpo, p.id, Restriction::Restricted).await.unwrap();
        assert_eq!(t.clinic.patients().get_patient(&recep, p.id).await.unwrap().restriction, "restricted");
        t.raw(&format!("UPDATE patient SET restriction = 'none' WHERE id = {}", id_sql(&t, p.id))).await;
        let e = t.clinic.patients().get_patient(&recep, p.id).await.unwrap_err();
        assert_eq!(e.kind(), "integrity.tampered", "{backend:?}: {e}");
        let e = t
            .clinic
            .patients().update_patient(
                &recep,
                p.id,
                2,
                PatientChanges { phone: Some("0722 000 999".into()), ..Default::default() },
                "nou",
            )
            .await
            .unwrap_err();
        assert_eq!(e.kind(), "integrity.tampered", "{backend:?}: nor can it be edited: {e}");
        // Lifted by the DPO, it opens again.
        t.raw(&format!("UPDATE patient SET restriction = 'restricted' WHERE id = {}", id_sql(&t, p.id)))
            .await;
        t.clinic.gdpr().set_restriction(&dpo, p.id, Restriction::None).await.unwrap();
        assert_eq!(t.clinic.patients().get_patient(&recep, p.id).await.unwrap().restriction, "none");
    }
}

backend_tests! {
    async fn an_older_ciphertext_put_back_or_a_moved_date_is_caught(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dentist = t.staff("dr-pop", Role::Dentist).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
        let pid = id_sql(&t, p.id);

        // Keep the phone as sealed at version 1, change it, then put the old one back.
        t.raw(&format!("CREATE TABLE old_phone AS SELECT phone FROM patient WHERE id = {pid}")).await;
        let change = PatientChanges { phone: Some("0722 000 999".into()), ..Default::default() };
        t.clinic.patients().update_patient(&recep, p.id, p.version, change, "număr nou").await.unwrap();
        assert_eq!(
            t.clinic.patients().get_patient(&recep, p.id).await.unwrap().fields.phone.as_deref(),
            Some("+40722000999")
        );
        t.raw(&format!("UPDATE patient SET phone = (SELECT phone FROM old_phone) WHERE id = {pid}")).await;
        let e = t.clinic.patients().get_patient(&recep, p.id).await.unwrap_err();
        assert_eq!(e.kind(), "integrity.tampered", "{backend:?}: the old number must not come back: {e}");

        // A chart entry moved to another day.
        let q = t.clinic.patients().register_patient(&recep, PEOPLE[1].new_patient()).await.unwrap();
        let caries = NewChartEntry {
            tooth: 36,
            surfaces: vec![],
            finding: Finding::Condition { condition: Condition::Caries, resolved: false },
            date: "2025-04-02".into(),
            note: None,
            supersedes: None,
        };
        t.clinic.clinical().chart_add(&dentist, q.id, caries).await.unwrap();
        t.clinic.clinical().chart(&dentist, q.id, None).await.unwrap();
        t.raw(&format!(
            "UPDATE chart_entry SET entry_date = '2024-01-01' WHERE patient_id = {}",
            id_sql(&t, q.id)
        ))
        .await;
        let e = t.clinic.clinical().chart(&dentist, q.id, None).await.unwrap_err();
        assert_eq!(e.kind(), "integrity.tampered", "{backend:?}: {e}");
    }
}
