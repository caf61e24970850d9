//! The data-subject request log: deadlines, extension, closing, the DPO's list,
//! sealed notes, and nothing stored for a refused request.

use cuspid::chrono::{Local, Months, NaiveDate};
use cuspid::gdpr::requests::{NewRequest, RequestKind, RequestOutcome};
use cuspid::{AuditFilter, Role};

use crate::support::{Backend, PEOPLE, TestClinic, backend_tests};

fn days_ago(n: u64) -> String {
    (Local::now().date_naive() - cuspid::chrono::Days::new(n)).to_string()
}

fn request(patient: uuid::Uuid, kind: RequestKind, received_on: &str) -> NewRequest {
    NewRequest {
        patient_id: patient,
        kind,
        received_on: received_on.into(),
        via_guardian: None,
        identity_check: "carte de identitate arătată la recepție".into(),
    }
}

backend_tests! {
    async fn the_dpo_lists_open_requests_by_deadline_overdue_first(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("dpo", Role::Dpo).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();

        let recent =
            t.clinic.gdpr().register_request(&dpo, request(p.id, RequestKind::Access, &days_ago(2))).await.unwrap();
        let old = t
            .clinic
            .gdpr().register_request(&dpo, request(p.id, RequestKind::Erasure, &days_ago(40)))
            .await
            .unwrap();
        let closed = t
            .clinic
            .gdpr().register_request(&dpo, request(p.id, RequestKind::Objection, &days_ago(5)))
            .await
            .unwrap();
        let received = NaiveDate::parse_from_str(&recent.received_on, "%Y-%m-%d").unwrap();
        assert_eq!(recent.due_on, received.checked_add_months(Months::new(1)).unwrap().to_string());
        assert!(!recent.overdue && old.overdue, "{backend:?}: 40 days is past the month");
        assert_eq!(recent.identity_checked_by, "dpo");
        assert_eq!(recent.identity_check, "carte de identitate arătată la recepție");

        t.clinic.gdpr().close_request(&dpo, closed.id, RequestOutcome::Granted, "marketing oprit").await.unwrap();
        let open = t.clinic.gdpr().list_requests(&dpo, true).await.unwrap();
        let ids: Vec<_> = open.iter().map(|r| r.id).collect();
        assert_eq!(ids, [old.id, recent.id], "open requests only, the overdue one first");
        let all = t.clinic.gdpr().list_requests(&dpo, false).await.unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[2].id, closed.id, "closed ones after the open ones");
        assert_eq!(all[2].outcome, Some(RequestOutcome::Granted));
        assert_eq!(all[2].outcome_note.as_deref(), Some("marketing oprit"));
        assert!(!all[2].overdue, "a closed request is never overdue");

        let again = t.clinic.gdpr().close_request(&dpo, closed.id, RequestOutcome::Refused, "x").await.unwrap_err();
        assert_eq!(again.kind(), "input.invalid", "a closed request stays as it was closed");
    }
}

backend_tests! {
    async fn an_extension_needs_a_reason_comes_within_the_month_and_stops_at_three(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("dpo", Role::Dpo).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[1].new_patient()).await.unwrap();
        let r =
            t.clinic.gdpr().register_request(&dpo, request(p.id, RequestKind::Access, &days_ago(3))).await.unwrap();

        let no_reason = t.clinic.gdpr().extend_request(&dpo, r.id, 2, "  ").await.unwrap_err();
        assert_eq!(no_reason.kind(), "input.invalid");
        let three = t.clinic.gdpr().extend_request(&dpo, r.id, 3, "prea multe documente").await.unwrap_err();
        assert!(three.to_string().contains("one or two months"), "{three}");

        let ext = t.clinic.gdpr().extend_request(&dpo, r.id, 2, "volum mare de radiografii").await.unwrap();
        let received = NaiveDate::parse_from_str(&r.received_on, "%Y-%m-%d").unwrap();
        assert_eq!(
            ext.extended_to.as_deref(),
            Some(received.checked_add_months(Months::new(3)).unwrap().to_string().as_str())
        );
        assert_eq!(ext.deadline, ext.extended_to.clone().unwrap());
        assert_eq!(ext.extension_reason.as_deref(), Some("volum mare de radiografii"));
        let twice = t.clinic.gdpr().extend_request(&dpo, r.id, 1, "încă o dată").await.unwrap_err();
        assert!(twice.to_string().contains("already extended"), "{twice}");

        let late =
            t.clinic.gdpr().register_request(&dpo, request(p.id, RequestKind::Access, &days_ago(45))).await.unwrap();
        let err = t.clinic.gdpr().extend_request(&dpo, late.id, 1, "întârziere").await.unwrap_err();
        assert!(err.to_string().contains("before the first month runs out"), "{err}");
        assert!(t.clinic.gdpr().request(&dpo, late.id).await.unwrap().extended_to.is_none(), "nothing was written");
    }
}

#[tokio::test]
async fn bad_requests_are_refused_and_nothing_is_logged() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dpo = t.staff("dpo", Role::Dpo).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
    let q = t.clinic.patients().register_patient(&recep, PEOPLE[1].new_patient()).await.unwrap();
    let tomorrow = (Local::now().date_naive() + cuspid::chrono::Days::new(1)).to_string();
    let cases = [
        (request(p.id, RequestKind::Access, &tomorrow), "input.invalid_date"),
        (request(p.id, RequestKind::Access, "2026-02-30"), "input.invalid_date"),
        (
            NewRequest { identity_check: " ".into(), ..request(p.id, RequestKind::Access, &days_ago(1)) },
            "input.invalid",
        ),
        (
            NewRequest { via_guardian: Some(q.id), ..request(p.id, RequestKind::Access, &days_ago(1)) },
            "input.invalid",
        ),
        (request(uuid::Uuid::now_v7(), RequestKind::Access, &days_ago(1)), "not_found"),
    ];
    for (new, kind) in cases {
        assert_eq!(t.clinic.gdpr().register_request(&dpo, new).await.unwrap_err().kind(), kind);
    }
    assert!(t.clinic.gdpr().list_requests(&dpo, false).await.unwrap().is_empty());
    let denied =
        t.clinic.gdpr().register_request(&recep, request(p.id, RequestKind::Access, &days_ago(1))).await;
    assert_eq!(denied.unwrap_err().kind(), "auth.permission_denied");
}

#[tokio::test]
async fn the_notes_are_sealed_and_every_step_is_audited_against_the_patient() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dpo = t.staff("dpo", Role::Dpo).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[2].new_patient()).await.unwrap();
    let secret = "pașaport românesc seria ZX-998877";
    let mut new = request(p.id, RequestKind::Portability, &days_ago(1));
    new.identity_check = secret.into();
    let r = t.clinic.gdpr().register_request(&dpo, new).await.unwrap();
    t.clinic.gdpr().extend_request(&dpo, r.id, 1, "motivul extinderii ZX-998877").await.unwrap();
    t.clinic
        .gdpr()
        .close_request(&dpo, r.id, RequestOutcome::Granted, "export trimis ZX-998877")
        .await
        .unwrap();

    let data = t.sqlite_file().parent().unwrap().to_path_buf();
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(&data).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert!(!bytes.windows(9).any(|w| w == b"ZX-998877"), "request notes are sealed at rest");

    let admin = t.admin().await;
    let events = t
        .clinic
        .list_audit(&admin, &AuditFilter { patient: Some(p.id), ..Default::default() })
        .await
        .unwrap();
    let actions: Vec<_> =
        events.iter().map(|e| e.action.as_str()).filter(|a| a.starts_with("request.")).collect();
    assert_eq!(actions, ["request.register", "request.extend", "request.close"]);
}

#[tokio::test]
async fn the_extension_letter_goes_to_the_guardian_with_the_reason_and_the_new_date() {
    use crate::pdf::{Pdf, flat};
    use cuspid::documents::Language;

    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dpo = t.staff("dpo", Role::Dpo).await;
    let parent = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
    let child = cuspid::NewPatient {
        first_name: "Ilinca".into(),
        last_name: "Vlăduțescu".into(),
        cnp: Some("6150304400025".into()),
        guardian: Some(cuspid::consent::GuardianInput {
            patient_id: parent.id, relationship: "mamă".into()
        }),
        consents: vec![cuspid::consent::ConsentInput {
            kind: cuspid::consent::ConsentKind::HealthData,
            granted: true,
            method: cuspid::consent::ConsentMethod::Signature,
            text_shown: "Sunt de acord cu prelucrarea datelor de sănătate ale copilului.".into(),
            given_by: Some(parent.id),
        }],
        ..Default::default()
    };
    let child = t.clinic.patients().register_patient(&recep, child).await.unwrap();
    let mut new = request(child.id, RequestKind::Access, &days_ago(2));
    new.via_guardian = Some(parent.id);
    let r = t.clinic.gdpr().register_request(&dpo, new).await.unwrap();

    let not_yet = t.clinic.gdpr().request_extension_letter(&dpo, r.id, Language::Ro).await.unwrap_err();
    assert!(not_yet.to_string().contains("not extended"), "{not_yet}");
    let ext = t
        .clinic
        .gdpr()
        .extend_request(&dpo, r.id, 2, "dosarul conține radiografii din arhivă")
        .await
        .unwrap();

    let pdf = Pdf::new(&t.clinic.gdpr().request_extension_letter(&dpo, r.id, Language::Ro).await.unwrap());
    let text = flat(&pdf.text());
    assert!(text.contains("Prelungirea termenului"), "{text}");
    assert!(text.contains("Clinica Zâmbet") && text.contains("RO14399840"), "the clinic heads the letter");
    assert!(text.contains(&format!("{} {}", PEOPLE[0].first, PEOPLE[0].last)), "addressed to the parent");
    assert!(text.contains("Privind pacientul"), "and says which child it is about");
    assert!(text.contains("dosarul conține radiografii din arhivă"), "the reason, word for word");
    let until = NaiveDate::parse_from_str(ext.extended_to.as_deref().unwrap(), "%Y-%m-%d").unwrap();
    assert!(text.contains(&Language::Ro.long_date(until)), "the new date, spelled out");
    assert!(text.contains("ANSPDCP"), "where to complain");
    assert!(text.contains("Irina Matei"), "signed for the data-protection contact");

    let en = flat(
        &Pdf::new(&t.clinic.gdpr().request_extension_letter(&dpo, r.id, Language::En).await.unwrap()).text(),
    );
    assert!(en.contains("Extension of the time to answer your request") && en.contains("Article 12(3)"));
}

backend_tests! {
    async fn an_objection_stops_marketing_at_once(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("dpo", Role::Dpo).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[1].new_patient()).await.unwrap();
        let grant = cuspid::consent::ConsentInput {
            kind: cuspid::consent::ConsentKind::Marketing,
            granted: true,
            method: cuspid::consent::ConsentMethod::Checkbox,
            text_shown: "Sunt de acord să primesc oferte.".into(),
            given_by: None,
        };
        t.clinic.patients().record_consent(&recep, p.id, grant).await.unwrap();

        let r = t
            .clinic
            .gdpr().register_request(&dpo, request(p.id, RequestKind::Objection, &days_ago(0)))
            .await
            .unwrap();
        let states = t.clinic.patients().consent_states(&recep, p.id).await.unwrap();
        let marketing = states.iter().find(|c| c.kind == cuspid::consent::ConsentKind::Marketing).unwrap();
        assert!(!marketing.granted, "{backend:?}: marketing stopped with the objection");
        let history = t.clinic.patients().consent_history(&recep, p.id).await.unwrap();
        assert!(
            !history[0].granted && history[0].text_shown.contains(&r.id.to_string()),
            "names the request"
        );
        assert_eq!(history[0].recorded_by, "dpo");

        // A second objection finds marketing off and records nothing more.
        t.clinic.gdpr().register_request(&dpo, request(p.id, RequestKind::Objection, &days_ago(0))).await.unwrap();
        assert_eq!(t.clinic.patients().consent_history(&recep, p.id).await.unwrap().len(), 2);
    }
}

backend_tests! {
    async fn a_rectification_names_its_request_and_shows_old_and_new_values_to_the_dpo(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("dpo", Role::Dpo).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[1].new_patient()).await.unwrap();
        let access =
            t.clinic.gdpr().register_request(&dpo, request(p.id, RequestKind::Access, &days_ago(1))).await.unwrap();
        let r = t
            .clinic
            .gdpr().register_request(&dpo, request(p.id, RequestKind::Rectification, &days_ago(1)))
            .await
            .unwrap();
        let changes =
            cuspid::PatientChanges { email: Some("ioana.b@example.ro".into()), ..Default::default() };

        let wrong =
            t.clinic.patients().rectify_patient(&dpo, p.id, p.version, changes.clone(), access.id).await.unwrap_err();
        assert_eq!(wrong.kind(), "input.invalid", "{backend:?}: an access request authorises no edit");
        let denied =
            t.clinic.patients().rectify_patient(&recep, p.id, p.version, changes.clone(), r.id).await.unwrap_err();
        assert_eq!(denied.kind(), "auth.permission_denied");
        let fixed = t.clinic.patients().rectify_patient(&dpo, p.id, p.version, changes, r.id).await.unwrap();
        assert_eq!(fixed.fields.email.as_deref(), Some("ioana.b@example.ro"));
        // An ordinary edit afterwards is not the request's.
        let phone = cuspid::PatientChanges { phone: Some("0744 100 201".into()), ..Default::default() };
        t.clinic.patients().update_patient(&recep, p.id, fixed.version, phone, "număr nou").await.unwrap();

        let edits = t.clinic.gdpr().request_edits(&dpo, r.id).await.unwrap();
        assert_eq!(edits.len(), 1, "{backend:?}: only the edit made for the request");
        assert_eq!(edits[0].changed_fields, ["email"]);
        assert_eq!(edits[0].previous.email.as_deref(), Some(PEOPLE[1].email), "the old value");
        assert_eq!(edits[0].after.email.as_deref(), Some("ioana.b@example.ro"), "the new value");
        assert!(edits[0].reason.starts_with("rectification request received"), "{}", edits[0].reason);
        assert_eq!(t.clinic.gdpr().request_edits(&recep, r.id).await.unwrap_err().kind(), "auth.permission_denied");
        let events = t
            .clinic
            .list_audit(&dpo, &AuditFilter { action: Some("patient.update".into()), ..Default::default() })
            .await
            .unwrap();
        assert!(events.iter().any(|e| e.entity_id.as_deref() == Some(r.id.to_string().as_str())));
    }
}
