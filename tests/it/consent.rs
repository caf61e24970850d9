//! Consent records, privacy notices, guardians and the minors' rule.

use cuspid::consent::{ConsentInput, ConsentKind, ConsentMethod, GuardianInput};
use cuspid::{NewPatient, PatientChanges, Role};

use crate::support::{Backend, PEOPLE, TestClinic, backend_tests};

const CHILD_CNP: &str = "6150304400025"; // a girl born 4 March 2015

fn consent(kind: ConsentKind, granted: bool, by: Option<uuid::Uuid>) -> ConsentInput {
    ConsentInput {
        kind,
        granted,
        method: ConsentMethod::Signature,
        text_shown: format!("Textul exact pentru {} (ș, ț, ă).", kind.as_str()),
        given_by: by,
    }
}

fn child() -> NewPatient {
    NewPatient {
        first_name: "Ilinca".into(),
        last_name: "Vlăduțescu".into(),
        cnp: Some(CHILD_CNP.into()),
        ..Default::default()
    }
}

backend_tests! {
    async fn a_minor_needs_a_guardian_and_a_parental_consent(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let s = t.staff("ana", Role::Receptionist).await;
        let mother = t.clinic.patients().register_patient(&s, PEOPLE[0].new_patient()).await.unwrap();
        let alone = t.clinic.patients().register_patient(&s, child()).await.unwrap_err();
        assert_eq!(alone.kind(), "input.guardian_required", "{backend:?}");
        let guardian = GuardianInput { patient_id: mother.id, relationship: "mamă".into() };
        let no_consent = NewPatient { guardian: Some(guardian.clone()), ..child() };
        assert_eq!(
            t.clinic.patients().register_patient(&s, no_consent).await.unwrap_err().kind(),
            "input.guardian_required"
        );
        let own_consent = NewPatient {
            guardian: Some(guardian.clone()),
            consents: vec![consent(ConsentKind::HealthData, true, None)],
            ..child()
        };
        let err = t.clinic.patients().register_patient(&s, own_consent).await.unwrap_err();
        assert_eq!(err.kind(), "input.guardian_required", "a child cannot consent alone");
        assert!(
            t.clinic
                .patients().find_patients(&s, &cuspid::PatientQuery::Cnp(CHILD_CNP.into()))
                .await
                .unwrap()
                .is_empty(),
            "nothing stored by the refused attempts"
        );

        let ok = NewPatient {
            guardian: Some(guardian),
            consents: vec![consent(ConsentKind::HealthData, true, Some(mother.id))],
            ..child()
        };
        let kid = t.clinic.patients().register_patient(&s, ok).await.unwrap();
        let guardians = t.clinic.patients().guardians(&s, kid.id).await.unwrap();
        assert_eq!(guardians.len(), 1);
        assert_eq!(guardians[0].guardian_id, mother.id);
        assert_eq!(guardians[0].relationship, "mamă");
        let mother_name = format!("{} {}", PEOPLE[0].last, PEOPLE[0].first);
        assert_eq!(guardians[0].display_name, mother_name, "last name first, as lists show names");
        // A second guardian linked later comes back named too.
        let father = t.clinic.patients().register_patient(&s, PEOPLE[2].new_patient()).await.unwrap();
        let link = GuardianInput { patient_id: father.id, relationship: " tată ".into() };
        let linked = t.clinic.patients().link_guardian(&s, kid.id, link).await.unwrap();
        assert_eq!(linked.display_name, format!("{} {}", PEOPLE[2].last, PEOPLE[2].first));
        assert_eq!(linked.relationship, "tată");
        let guardians = t.clinic.patients().guardians(&s, kid.id).await.unwrap();
        let names: Vec<&str> = guardians.iter().map(|g| g.display_name.as_str()).collect();
        assert_eq!(names, vec![mother_name.as_str(), linked.display_name.as_str()], "oldest link first");
        // Reading a guardian's name is a read of that guardian's record: audited on it.
        let admin = t.admin().await;
        let filter = cuspid::AuditFilter { patient: Some(mother.id), ..Default::default() };
        let reads = t
            .clinic
            .list_audit(&admin, &filter)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "patient.read" && e.purpose == "guardian name")
            .count();
        assert_eq!(reads, 2, "{backend:?}: each listing of the guardians read the mother's name once");
        let states = t.clinic.patients().consent_states(&s, kid.id).await.unwrap();
        let health = states.iter().find(|c| c.kind == ConsentKind::HealthData).unwrap();
        assert!(health.granted);
        assert_eq!(health.given_by, Some(mother.id), "the guardian acts for the child");
        // Later consents for the child are the guardian's too.
        let by_child = t.clinic.patients().record_consent(&s, kid.id, consent(ConsentKind::Marketing, true, None)).await;
        assert_eq!(by_child.unwrap_err().kind(), "input.guardian_required");
        let stranger = t.clinic.patients().register_patient(&s, PEOPLE[1].new_patient()).await.unwrap();
        let by_stranger = t
            .clinic
            .patients().record_consent(&s, kid.id, consent(ConsentKind::Marketing, true, Some(stranger.id)))
            .await;
        assert_eq!(by_stranger.unwrap_err().kind(), "input.invalid", "only a linked guardian may act");
        t.clinic
            .patients().record_consent(&s, kid.id, consent(ConsentKind::Marketing, true, Some(mother.id)))
            .await
            .unwrap();
    }
}

backend_tests! {
    async fn marketing_is_off_until_granted_and_withdrawal_is_one_record_away(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let s = t.staff("ana", Role::Receptionist).await;
        let admin = t.admin().await;
        let dpo = t.clinic.admin().add_staff(&admin, "dpo", Role::Dpo, "dpo-password-1").await.unwrap();
        assert_eq!(dpo.role, Role::Dpo);
        let dpo = t.sign_in(&t.clinic, "dpo", "dpo-password-1").await;
        assert!(
            t.clinic.patients().current_privacy_notice(&s).await.unwrap().is_none(),
            "no notice before one is published"
        );
        t.clinic
            .patients().publish_privacy_notice(&dpo, "2026-11", "Notă de informare (RO).", "Privacy notice (EN).")
            .await
            .unwrap();
        let again = t.clinic.patients().publish_privacy_notice(&dpo, "2026-11", "x", "y").await.unwrap_err();
        assert_eq!(again.kind(), "conflict.exists");
        let denied = t.clinic.patients().publish_privacy_notice(&s, "2027-01", "x", "y").await.unwrap_err();
        assert_eq!(denied.kind(), "auth.permission_denied");
        assert_eq!(
            t.clinic.patients().current_privacy_notice(&s).await.unwrap().unwrap().text_ro,
            "Notă de informare (RO)."
        );

        let p = t.clinic.patients().register_patient(&s, PEOPLE[1].new_patient()).await.unwrap();
        let marketing = |states: &[cuspid::consent::ConsentStateDto]| {
            states.iter().find(|c| c.kind == ConsentKind::Marketing).unwrap().granted
        };
        assert!(!marketing(&t.clinic.patients().consent_states(&s, p.id).await.unwrap()), "off by default");
        let on =
            t.clinic.patients().record_consent(&s, p.id, consent(ConsentKind::Marketing, true, None)).await.unwrap();
        assert!(marketing(&on.states));
        let off =
            t.clinic.patients().record_consent(&s, p.id, consent(ConsentKind::Marketing, false, None)).await.unwrap();
        assert!(!marketing(&off.states));
        assert!(!off.closure_required);
        let history = t.clinic.patients().consent_history(&s, p.id).await.unwrap();
        assert_eq!(history.len(), 2, "a withdrawal is a new record; nothing is overwritten");
        assert!(!history[0].granted && history[1].granted, "newest first");
        assert_eq!(history[0].notice_version.as_deref(), Some("2026-11"));
        assert_eq!(history[0].text_shown, "Textul exact pentru marketing (ș, ț, ă).");
        assert_eq!(history[0].recorded_by, "ana");
        assert_eq!(history[0].workstation, "test-ws");
        let empty = ConsentInput { text_shown: " ".into(), ..consent(ConsentKind::Research, true, None) };
        assert_eq!(t.clinic.patients().record_consent(&s, p.id, empty).await.unwrap_err().kind(), "input.invalid");
    }
}

#[tokio::test]
async fn withdrawing_health_data_consent_starts_closure() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let s = t.staff("ana", Role::Receptionist).await;
    let p = t.clinic.patients().register_patient(&s, PEOPLE[0].new_patient()).await.unwrap();
    t.clinic.patients().record_consent(&s, p.id, consent(ConsentKind::HealthData, true, None)).await.unwrap();
    let out = t
        .clinic
        .patients()
        .record_consent(&s, p.id, consent(ConsentKind::HealthData, false, None))
        .await
        .unwrap();
    assert!(out.closure_required, "care cannot continue without it");
    assert_eq!(t.clinic.patients().get_patient(&s, p.id).await.unwrap().status, "closing");
    let admin = t.admin().await;
    let events = t
        .clinic
        .list_audit(&admin, &cuspid::AuditFilter { patient: Some(p.id), ..Default::default() })
        .await
        .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"consent.withdraw") && actions.contains(&"patient.closure_started"));
}

#[tokio::test]
async fn minors_cannot_slip_in_through_import_or_update() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let s = t.staff("ana", Role::Receptionist).await;
    let err =
        t.clinic.patients().import_patients(&s, vec![PEOPLE[0].new_patient(), child()]).await.unwrap_err();
    assert_eq!(err.kind(), "input.guardian_required");
    let adult = t.clinic.patients().register_patient(&s, PEOPLE[2].new_patient()).await.unwrap();
    let younger = PatientChanges { birth_date: Some("2016-05-05".into()), ..Default::default() };
    let err = t
        .clinic
        .patients()
        .update_patient(&s, adult.id, adult.version, younger, "typo in the birth year")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "input.guardian_required");
}

#[tokio::test]
async fn consent_texts_and_relationships_are_sealed() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let s = t.staff("ana", Role::Receptionist).await;
    let mother = t.clinic.patients().register_patient(&s, PEOPLE[0].new_patient()).await.unwrap();
    let secret_text = "Consimțământ părintesc semnat pe hârtie";
    let mut c = consent(ConsentKind::HealthData, true, Some(mother.id));
    c.text_shown = secret_text.into();
    let ok = NewPatient {
        guardian: Some(GuardianInput { patient_id: mother.id, relationship: "bunică-tutore".into() }),
        consents: vec![c],
        ..child()
    };
    t.clinic.patients().register_patient(&s, ok).await.unwrap();
    let data = t.sqlite_file().parent().unwrap().to_path_buf();
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(&data).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    for needle in [secret_text, "bunică-tutore", "Ilinca"] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle.as_bytes()), "sealed at rest");
    }
}

backend_tests! {
    async fn every_published_notice_version_stays_readable_newest_first(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let admin = t.admin().await;
        let s = t.staff("ana", Role::Receptionist).await;
        assert!(t.clinic.patients().privacy_notices(&s).await.unwrap().is_empty(), "no notice before one is published");
        t.clinic
            .patients().publish_privacy_notice(&admin, "2026-01", "Prima versiune.", "First version.")
            .await
            .unwrap();
        t.clinic
            .patients().publish_privacy_notice(&admin, "2026-11", "A doua versiune.", "Second version.")
            .await
            .unwrap();
        let all = t.clinic.patients().privacy_notices(&s).await.unwrap();
        let versions: Vec<_> = all.iter().map(|n| n.version.as_str()).collect();
        assert_eq!(versions, ["2026-11", "2026-01"], "{backend:?}: newest first, none lost");
        assert_eq!(all[1].text_ro, "Prima versiune.", "an older version keeps its exact words");
        assert_eq!(t.clinic.patients().current_privacy_notice(&s).await.unwrap().unwrap().version, "2026-11");
    }
}
