//! The clinical record beside the chart: the medical history and its alerts, notes
//! and their amendments, periodontal examinations; all sealed, all in the GDPR
//! interface.

#![allow(clippy::unwrap_used)]

use cuspid::Role;
use cuspid::clinical::anamnesis::{HistoryAnswer, HistoryItem, NewMedicalHistory, Reply};
use cuspid::clinical::notes::NewNote;
use cuspid::clinical::perio::{NewPerioExam, PerioTooth};
use cuspid::gdpr::restriction::Restriction;

use crate::support::{Backend, PEOPLE, TestClinic, backend_tests};

fn answer(item: HistoryItem, reply: Reply, detail: Option<&str>) -> HistoryAnswer {
    HistoryAnswer { item, reply, detail: detail.map(Into::into) }
}

fn history(date: &str, answers: Vec<HistoryAnswer>) -> NewMedicalHistory {
    NewMedicalHistory { date: date.into(), answers, notes: Some("pacienta tolerează bine lidocaina".into()) }
}

fn note(date: &str, text: &str) -> NewNote {
    NewNote { date: date.into(), text: text.into(), template: None, amends: None, reason: None }
}

fn tooth(number: u8, depths: [u8; 6], bleeding: [bool; 6], furcation: u8) -> PerioTooth {
    PerioTooth { tooth: number, depths, recession: [0, 1, 0, 0, 0, 0], bleeding, mobility: 1, furcation }
}

backend_tests! {
    async fn the_latest_medical_history_gives_the_alerts_and_the_old_one_stays(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dentist = t.staff("dr-pop", Role::Dentist).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
        assert!(t.clinic.clinical().medical_alerts(&dentist, p.id).await.unwrap().is_empty(), "{backend:?}");

        let first = history(
            "2024-03-01",
            vec![
                answer(HistoryItem::Allergies, Reply::Yes, Some("penicilină")),
                answer(HistoryItem::Smoking, Reply::Yes, None),
                answer(HistoryItem::Diabetes, Reply::No, None),
            ],
        );
        let taken = t.clinic.clinical().record_medical_history(&dentist, p.id, first).await.unwrap();
        assert_eq!(taken.taken_by, "dr-pop", "signed by who took it");
        assert_eq!(taken.answers.len(), HistoryItem::ALL.len(), "every question, left out: unknown");
        assert_eq!(
            taken.answers.iter().find(|a| a.item == HistoryItem::Pregnancy).unwrap().reply,
            Reply::Unknown
        );
        let items: Vec<_> = taken.alerts.iter().map(|a| a.item).collect();
        assert_eq!(items, [HistoryItem::Allergies], "smoking is recorded but is no alert");

        let second = history(
            "2025-06-10",
            vec![
                answer(HistoryItem::Allergies, Reply::Yes, Some("penicilină")),
                answer(HistoryItem::Anticoagulants, Reply::Yes, Some("acenocumarol 2 mg")),
            ],
        );
        t.clinic.clinical().record_medical_history(&dentist, p.id, second).await.unwrap();
        let alerts = t.clinic.clinical().medical_alerts(&dentist, p.id).await.unwrap();
        let shown: Vec<_> = alerts.iter().map(|a| (a.item, a.detail.as_deref(), a.since.as_str())).collect();
        assert_eq!(
            shown,
            [
                (HistoryItem::Allergies, Some("penicilină"), "2025-06-10"),
                (HistoryItem::Anticoagulants, Some("acenocumarol 2 mg"), "2025-06-10"),
            ],
            "{backend:?}"
        );
        let all = t.clinic.clinical().medical_history(&dentist, p.id).await.unwrap();
        assert_eq!(all.iter().map(|h| h.date.as_str()).collect::<Vec<_>>(), ["2025-06-10", "2024-03-01"]);
        assert_eq!(all[1].notes.as_deref(), Some("pacienta tolerează bine lidocaina"));

        assert_eq!(
            t.clinic.clinical().medical_alerts(&recep, p.id).await.unwrap_err().kind(),
            "auth.permission_denied",
            "the front desk does not read the medical history"
        );
        if t.is_sqlite() {
            let bytes = std::fs::read(t.sqlite_file()).unwrap();
            for secret in ["penicilin", "acenocumarol", "lidocaina"] {
                assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "{secret} in clear");
            }
        }
    }
}

#[tokio::test]
async fn a_bad_medical_history_is_refused_and_nothing_is_stored() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dentist = t.staff("dr-pop", Role::Dentist).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
    let cases = [
        (history("2024-02-30", vec![]), "input.invalid_date"),
        (history("2999-01-01", vec![]), "input.invalid"),
        (
            history("2024-03-01", vec![answer(HistoryItem::Allergies, Reply::Yes, Some("  "))]),
            "input.invalid",
        ),
        (
            history(
                "2024-03-01",
                vec![
                    answer(HistoryItem::Asthma, Reply::Yes, None),
                    answer(HistoryItem::Asthma, Reply::No, None),
                ],
            ),
            "input.invalid",
        ),
    ];
    for (bad, kind) in cases {
        assert_eq!(
            t.clinic.clinical().record_medical_history(&dentist, p.id, bad).await.unwrap_err().kind(),
            kind
        );
    }
    assert!(t.clinic.clinical().medical_history(&dentist, p.id).await.unwrap().is_empty());
}

backend_tests! {
    async fn an_amendment_keeps_the_original_note_and_says_why(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dentist = t.staff("dr-pop", Role::Dentist).await;
        let assistant = t.staff("maria", Role::Assistant).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[1].new_patient()).await.unwrap();

        let mut first = note("2025-05-02", "Obturație compozit 36 OD, anestezie articaină 4%");
        first.template = Some("filling".into());
        let original = t.clinic.clinical().add_note(&dentist, p.id, first).await.unwrap();
        t.clinic
            .clinical().add_note(&assistant, p.id, note("2025-05-20", "Igienizare, periaj profesional"))
            .await
            .unwrap();
        let amendment = NewNote {
            amends: Some(original.id),
            reason: Some("suprafața corectă este MO".into()),
            ..note("2025-05-03", "Obturație compozit 36 MO (nu OD)")
        };
        t.clinic.clinical().add_note(&dentist, p.id, amendment).await.unwrap();

        let notes = t.clinic.clinical().notes(&dentist, p.id).await.unwrap();
        assert_eq!(notes.len(), 2, "{backend:?}: an amendment is listed under its note");
        assert_eq!(notes[0].author, "maria", "newest first");
        let kept = &notes[1];
        assert_eq!(
            kept.text, "Obturație compozit 36 OD, anestezie articaină 4%",
            "the original is unchanged"
        );
        assert_eq!(kept.template.as_deref(), Some("filling"));
        assert_eq!(kept.amendments.len(), 1);
        assert_eq!(kept.amendments[0].text, "Obturație compozit 36 MO (nu OD)");
        assert_eq!(kept.amendments[0].reason.as_deref(), Some("suprafața corectă este MO"));
        assert_eq!(kept.amendments[0].amends, Some(original.id));

        let of_amendment = NewNote {
            amends: Some(kept.amendments[0].id),
            reason: Some("din nou".into()),
            ..note("2025-05-04", "a treia variantă")
        };
        let refusals = [
            (note("2025-05-04", "   "), "input.invalid"),
            (NewNote { reason: Some("fără notă".into()), ..note("2025-05-04", "x") }, "input.invalid"),
            (NewNote { amends: Some(original.id), ..note("2025-05-04", "fără motiv") }, "input.invalid"),
            (of_amendment, "input.invalid"),
            (
                NewNote {
                    amends: Some(original.id),
                    reason: Some("r".into()),
                    ..note("2025-05-01", "înainte")
                },
                "input.invalid",
            ),
            (NewNote { template: Some("no-such".into()), ..note("2025-05-04", "x") }, "input.invalid"),
        ];
        for (bad, kind) in refusals {
            assert_eq!(t.clinic.clinical().add_note(&dentist, p.id, bad).await.unwrap_err().kind(), kind, "{backend:?}");
        }
        let after = t.clinic.clinical().notes(&dentist, p.id).await.unwrap();
        assert_eq!(after, notes, "nothing was stored by the refused notes");
    }
}

#[tokio::test]
async fn a_periodontal_examination_is_summarised_and_checked() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dentist = t.staff("dr-pop", Role::Dentist).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
    let exam = NewPerioExam {
        date: "2025-04-01".into(),
        teeth: vec![
            tooth(36, [3, 2, 5, 4, 2, 3], [true, false, true, false, false, false], 1),
            tooth(11, [2, 2, 2, 2, 2, 2], [false; 6], 0),
        ],
        note: None,
    };
    let saved = t.clinic.clinical().record_perio_exam(&dentist, p.id, exam.clone()).await.unwrap();
    assert_eq!(saved.sites, 12);
    assert_eq!(saved.deep_sites, 2, "5 and 4 mm");
    assert!((saved.bleeding_percent - 16.7).abs() < 1e-9, "2 of 12 sites bleed");
    assert_eq!(saved.teeth[0].tooth, 11, "teeth in FDI order");
    assert_eq!(saved.examined_by, "dr-pop");

    let furcation_on_incisor = NewPerioExam { teeth: vec![tooth(11, [2; 6], [false; 6], 1)], ..exam.clone() };
    let too_deep =
        NewPerioExam { teeth: vec![tooth(36, [16, 2, 2, 2, 2, 2], [false; 6], 0)], ..exam.clone() };
    let twice = NewPerioExam { teeth: vec![exam.teeth[1].clone(), exam.teeth[1].clone()], ..exam.clone() };
    let no_tooth = NewPerioExam { teeth: vec![tooth(19, [2; 6], [false; 6], 0)], ..exam.clone() };
    let empty = NewPerioExam { teeth: vec![], ..exam.clone() };
    for bad in [furcation_on_incisor, too_deep, twice, no_tooth, empty] {
        let e = t.clinic.clinical().record_perio_exam(&dentist, p.id, bad).await.unwrap_err();
        assert_eq!(e.kind(), "input.invalid");
    }
    assert_eq!(
        t.clinic.clinical().perio_exams(&dentist, p.id).await.unwrap().len(),
        1,
        "nothing stored when refused"
    );
}

#[tokio::test]
async fn a_restricted_record_takes_no_new_clinical_entries() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dentist = t.staff("dr-pop", Role::Dentist).await;
    let dpo = t.staff("irina", Role::Dpo).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
    t.clinic.clinical().add_note(&dentist, p.id, note("2025-01-05", "control")).await.unwrap();
    t.clinic.gdpr().set_restriction(&dpo, p.id, Restriction::Restricted).await.unwrap();
    let e =
        t.clinic.clinical().add_note(&dentist, p.id, note("2025-01-06", "alt control")).await.unwrap_err();
    assert_eq!(e.kind(), "conflict.restricted");
    assert_eq!(t.clinic.clinical().notes(&dentist, p.id).await.unwrap().len(), 1, "still readable");
}

#[tokio::test]
async fn the_clinical_record_is_exported_and_kept_seven_years_on_erasure() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dentist = t.staff("dr-pop", Role::Dentist).await;
    let dpo = t.staff("irina", Role::Dpo).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[2].new_patient()).await.unwrap();
    let h = history("2024-09-01", vec![answer(HistoryItem::Allergies, Reply::Yes, Some("latex"))]);
    t.clinic.clinical().record_medical_history(&dentist, p.id, h).await.unwrap();
    let original =
        t.clinic.clinical().add_note(&dentist, p.id, note("2025-03-03", "Extracție 48")).await.unwrap();
    let amend = NewNote {
        amends: Some(original.id),
        reason: Some("precizare".into()),
        ..note("2025-03-04", "Extracție 38")
    };
    t.clinic.clinical().add_note(&dentist, p.id, amend).await.unwrap();
    let exam = NewPerioExam {
        date: "2025-03-03".into(),
        teeth: vec![tooth(46, [3, 3, 6, 3, 3, 3], [false, false, true, false, false, false], 2)],
        note: Some("parodontită stadiul II".into()),
    };
    t.clinic.clinical().record_perio_exam(&dentist, p.id, exam).await.unwrap();

    let exported = crate::support::export(&t, &dpo, p.id).await;
    let history_csv = exported.read("csv/medical_history.csv");
    assert!(history_csv.contains("allergies: yes (latex)") && history_csv.contains("dr-pop"));
    let notes_csv = exported.read("csv/clinical_notes.csv");
    assert!(
        notes_csv.contains("Extracție 48") && notes_csv.contains("Extracție 38"),
        "both, the original too"
    );
    let perio_csv = exported.read("csv/periodontal_exams.csv");
    assert!(perio_csv.contains("46: depths 3,3,6,3,3,3") && perio_csv.contains("furcation 2"));
    let answers = exported.of_type("QuestionnaireResponse")[0];
    assert_eq!(answers["status"], "completed");
    assert_eq!(answers["item"][0]["linkId"], "allergies");
    assert_eq!(answers["item"][0]["answer"][0]["valueString"], "yes: latex");
    let docs = exported.of_type("DocumentReference");
    assert_eq!(docs.len(), 2);
    let amended = docs.iter().find(|d| d.get("relatesTo").is_some()).unwrap();
    assert_eq!(amended["relatesTo"][0]["code"], "appends");
    assert_eq!(amended["relatesTo"][0]["target"]["reference"], format!("urn:uuid:{}", original.id));
    let text = data_encoding::BASE64
        .decode(amended["content"][0]["attachment"]["data"].as_str().unwrap().as_bytes())
        .unwrap();
    assert_eq!(String::from_utf8(text).unwrap(), "Extracție 38");

    let preview = t.clinic.gdpr().erasure_preview(&dpo, p.id).await.unwrap();
    let clinical = preview.iter().find(|l| l.module == "clinical").unwrap();
    assert_eq!(clinical.fate, "keep");
    assert_eq!(clinical.until.as_deref(), Some("2032-03-04"), "7 years after the last record");
    let erased = t.clinic.gdpr().erase_patient(&dpo, p.id, None).await.unwrap();
    let part = erased.parts.iter().find(|x| x.kind == "clinical").unwrap();
    assert_eq!((part.erased, part.kept), (0, 4), "the medical record stays, re-sealed");
}
