//! The patient registry end to end: register, validate, find, show, update,
//! rectification history, tampering.

#![allow(clippy::unwrap_used)]

use cuspid::{NewPatient, PatientChanges, PatientQuery, Role, Session};

use crate::support::{Backend, PEOPLE, TestClinic, backend_tests};

async fn with_people(t: &TestClinic) -> (Session, Vec<uuid::Uuid>) {
    let s = t.staff("ana", Role::Receptionist).await;
    let mut ids = Vec::new();
    for p in &PEOPLE {
        ids.push(t.clinic.patients().register_patient(&s, p.new_patient()).await.unwrap().id);
    }
    (s, ids)
}

fn ids_of(found: &[cuspid::PatientSummary]) -> Vec<uuid::Uuid> {
    found.iter().map(|p| p.id).collect()
}

backend_tests! {
    async fn registration_fills_birth_date_and_sex_from_the_cnp(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let (s, ids) = with_people(&t).await;
        let p = t.clinic.patients().get_patient(&s, ids[0]).await.unwrap();
        assert_eq!(p.fields.birth_date.as_deref(), Some("1980-01-01"));
        assert_eq!(p.fields.sex, Some(cuspid::patients::Sex::M));
        assert_eq!(p.fields.phone.as_deref(), Some("+40721234567"), "stored in E.164");
        assert_eq!(p.cnp_masked.as_deref(), Some("180*******144"));
        let tourist = t.clinic.patients().get_patient(&s, ids[2]).await.unwrap();
        assert_eq!(tourist.fields.cnp, None, "patients without a CNP are registrable");
        assert_eq!(tourist.fields.last_name, "Zimmerwald");
    }
}

#[tokio::test]
async fn bad_input_gets_its_own_error_and_stores_nothing() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let s = t.staff("ana", Role::Receptionist).await;
    let base = || NewPatient { first_name: "Ana".into(), last_name: "Pop".into(), ..Default::default() };
    let cases: Vec<(NewPatient, &str)> = vec![
        (NewPatient { cnp: Some("180010122114".into()), ..base() }, "input.invalid_cnp"),
        (NewPatient { cnp: Some("18001012211a4".into()), ..base() }, "input.invalid_cnp"),
        (NewPatient { cnp: Some("1800101221145".into()), ..base() }, "input.invalid_cnp"),
        (NewPatient { cnp: Some("1800230221148".into()), ..base() }, "input.invalid_cnp"),
        (NewPatient { cnp: Some("1800101491148".into()), ..base() }, "input.invalid_cnp"),
        (
            NewPatient { cnp: Some("1800101221144".into()), birth_date: Some("1980-01-02".into()), ..base() },
            "input.cnp_birth_date_mismatch",
        ),
        (
            NewPatient { cnp: Some("1800101221144".into()), sex: Some("f".into()), ..base() },
            "input.cnp_sex_mismatch",
        ),
        (NewPatient { phone: Some("12345".into()), ..base() }, "input.invalid_phone"),
        (NewPatient { email: Some("ana.example.ro".into()), ..base() }, "input.invalid_email"),
        (NewPatient { birth_date: Some("2199-01-01".into()), ..base() }, "input.invalid_date"),
        (NewPatient { birth_date: Some("1990-02-30".into()), ..base() }, "input.invalid_date"),
        (NewPatient { first_name: "  ".into(), ..base() }, "input.invalid"),
    ];
    for (input, kind) in cases {
        let err = t.clinic.patients().register_patient(&s, input.clone()).await.unwrap_err();
        assert_eq!(err.kind(), kind, "{:?}", input.cnp);
        assert!(
            !err.to_string().contains("Ana") && !err.to_string().contains("Pop"),
            "no personal data in errors"
        );
    }
    assert!(
        t.clinic.patients().find_patients(&s, &PatientQuery::Name("ana".into())).await.unwrap().is_empty()
    );
}

backend_tests! {
    async fn a_duplicate_cnp_is_refused(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let (s, _) = with_people(&t).await;
        let mut twin = PEOPLE[0].new_patient();
        twin.first_name = "Altcineva".into();
        let err = t.clinic.patients().register_patient(&s, twin).await.unwrap_err();
        assert_eq!(err.kind(), "conflict.duplicate_cnp");
        let found = t.clinic.patients().find_patients(&s, &PatientQuery::Cnp("1800101221144".into())).await.unwrap();
        assert_eq!(found.len(), 1, "the first registration is untouched, the twin not stored");
    }
}

backend_tests! {
    async fn search_by_folded_name_cnp_phone_and_email(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let (s, ids) = with_people(&t).await;
        let find = |q: PatientQuery| {
            let (c, s) = (&t.clinic, &s);
            async move { ids_of(&c.patients().find_patients(s, &q).await.unwrap()) }
        };
        assert_eq!(find(PatientQuery::Name("stefan".into())).await, vec![ids[0]], "diacritics folded");
        assert_eq!(find(PatientQuery::Name("Ştef".into())).await, vec![ids[0]], "cedilla form");
        assert_eq!(find(PatientQuery::Name("vladut".into())).await, vec![ids[0]], "last-name prefix");
        assert_eq!(find(PatientQuery::Name("tara".into())).await, vec![ids[3]], "Țăranu");
        assert_eq!(find(PatientQuery::Name("ioana barb".into())).await, vec![ids[1]], "two words");
        assert!(find(PatientQuery::Name("ioana vlad".into())).await.is_empty(), "every word must match");
        assert!(find(PatientQuery::Name("stefanx".into())).await.is_empty(), "no patient is called that");
        assert_eq!(find(PatientQuery::Cnp("2950315400019".into())).await, vec![ids[1]]);
        assert_eq!(
            find(PatientQuery::Phone("+40721234567".into())).await,
            vec![ids[0]],
            "07.. equals +407.."
        );
        assert_eq!(find(PatientQuery::Phone("0744-100-200".into())).await, vec![ids[1]]);
        assert_eq!(find(PatientQuery::Email("HANS.Zimmerwald@Example.DE".into())).await, vec![ids[2]]);
        let bad = t.clinic.patients().find_patients(&s, &PatientQuery::Cnp("123".into())).await.unwrap_err();
        assert_eq!(bad.kind(), "input.invalid_cnp");
    }
}

backend_tests! {
    async fn updates_keep_the_previous_values_for_the_dpo(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let (s, ids) = with_people(&t).await;
        let changes = PatientChanges {
            phone: Some("0799 999 999".into()),
            address: Some(String::new()),
            ..Default::default()
        };
        let no_reason = t.clinic.patients().update_patient(&s, ids[0], 1, changes.clone(), " ").await.unwrap_err();
        assert_eq!(no_reason.kind(), "input.invalid");
        let p = t.clinic.patients().update_patient(&s, ids[0], 1, changes, "patient gave a new number").await.unwrap();
        assert_eq!(p.fields.phone.as_deref(), Some("+40799999999"));
        assert_eq!(p.fields.address, None, "an empty value clears an optional field");
        assert_eq!(p.version, 2);
        // The blind index follows the change.
        let by_new = t.clinic.patients().find_patients(&s, &PatientQuery::Phone("0799999999".into())).await.unwrap();
        assert_eq!(ids_of(&by_new), vec![ids[0]]);
        assert!(
            t.clinic.patients().find_patients(&s, &PatientQuery::Phone("0721234567".into())).await.unwrap().is_empty()
        );

        let denied = t.clinic.patients().patient_history(&s, ids[0]).await.unwrap_err();
        assert_eq!(denied.kind(), "auth.permission_denied", "the trail is the DPO's");
        let dpo = t.staff("dpo", Role::Dpo).await;
        let h = t.clinic.patients().patient_history(&dpo, ids[0]).await.unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].previous.phone.as_deref(), Some("+40721234567"));
        assert_eq!(h[0].reason, "patient gave a new number");
        assert_eq!(h[0].changed_by, "ana");
        assert_eq!(h[0].changed_fields, vec!["phone", "address"]);
        // A CNP taken by somebody else is refused on update too.
        let steal = PatientChanges { cnp: Some("2950315400019".into()), ..Default::default() };
        let err = t.clinic.patients().update_patient(&s, ids[0], 2, steal, "typo").await.unwrap_err();
        assert_eq!(err.kind(), "conflict.duplicate_cnp");
        assert_eq!(t.clinic.patients().get_patient(&s, ids[0]).await.unwrap().version, 2, "nothing half-written");
    }
}

backend_tests! {
    async fn a_second_edit_of_the_same_version_is_refused_and_writes_nothing(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let (first, ids) = with_people(&t).await;
        let second = t.staff("bianca", Role::Receptionist).await;
        // Both receptionists open the card of the same patient.
        let seen_by_first = t.clinic.patients().get_patient(&first, ids[0]).await.unwrap();
        let seen_by_second = t.clinic.patients().get_patient(&second, ids[0]).await.unwrap();
        assert_eq!(seen_by_first.version, seen_by_second.version);
        assert_eq!(seen_by_first.version, 1, "a new record starts at version 1");

        let new_phone = PatientChanges { phone: Some("0799 999 999".into()), ..Default::default() };
        let saved = t
            .clinic
            .patients().update_patient(&first, ids[0], seen_by_first.version, new_phone, "new number")
            .await
            .unwrap();
        assert_eq!(saved.version, seen_by_first.version + 1, "a save bumps the version");

        let new_email = PatientChanges { email: Some("alt@example.ro".into()), ..Default::default() };
        let err = t
            .clinic
            .patients().update_patient(&second, ids[0], seen_by_second.version, new_email, "new e-mail")
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "conflict.stale", "{backend:?}: the second save was made on an old version");
        assert!(!err.to_string().contains(PEOPLE[0].first), "no personal data in the message");

        let stored = t.clinic.patients().get_patient(&first, ids[0]).await.unwrap();
        assert_eq!(stored, saved, "{backend:?}: the first save stands, untouched by the refused one");
        assert_eq!(stored.fields.email.as_deref(), Some(PEOPLE[0].email));
        let dpo = t.staff("dpo", Role::Dpo).await;
        let history = t.clinic.patients().patient_history(&dpo, ids[0]).await.unwrap();
        assert_eq!(history.len(), 1, "{backend:?}: only the saved change is in the rectification trail");
        assert_eq!(history[0].reason, "new number");
        let admin = t.admin().await;
        let filter = cuspid::AuditFilter { patient: Some(ids[0]), ..Default::default() };
        let events = t.clinic.list_audit(&admin, &filter).await.unwrap();
        let updates = events.iter().filter(|e| e.action == "patient.update").count();
        assert_eq!(updates, 1, "{backend:?}: the refused save left no update event");

        // Reopened, the card carries the new version and the change goes through.
        let new_email = PatientChanges { email: Some("alt@example.ro".into()), ..Default::default() };
        let again =
            t.clinic.patients().update_patient(&second, ids[0], stored.version, new_email, "new e-mail").await.unwrap();
        assert_eq!(again.version, 3);
        assert_eq!(again.fields.phone.as_deref(), Some("+40799999999"), "the first change is kept");
        assert_eq!(again.fields.email.as_deref(), Some("alt@example.ro"));
    }
}

backend_tests! {
    async fn a_tampered_or_moved_ciphertext_fails_to_open(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let (s, ids) = with_people(&t).await;
        let (a, b) = (ids[0], ids[1]);
        let hex = |u: uuid::Uuid| u.simple().to_string();
        let id_sql = |u: uuid::Uuid| {
            if t.is_sqlite() { format!("X'{}'", hex(u)) } else { format!("'{u}'") }
        };
        // Moved: patient B's first name copied into patient A's row.
        t.raw(&format!(
            "UPDATE patient SET first_name = (SELECT first_name FROM patient WHERE id = {}) WHERE id = {}",
            id_sql(b),
            id_sql(a)
        ))
        .await;
        let err = t.clinic.patients().get_patient(&s, a).await.unwrap_err();
        assert_eq!(err.kind(), "integrity.tampered", "another person's data must never be returned");
        assert!(!err.to_string().contains(PEOPLE[1].first), "the error names no one: {err}");
        // Moved between columns of the same row.
        t.raw(&format!("UPDATE patient SET email = address WHERE id = {}", id_sql(b))).await;
        assert_eq!(t.clinic.patients().get_patient(&s, b).await.unwrap_err().kind(), "integrity.tampered");
        // A flipped byte.
        let flip = if t.is_sqlite() {
            format!(
                "UPDATE patient SET last_name = X'00' || substr(last_name, 2) WHERE id = {}",
                id_sql(ids[2])
            )
        } else {
            format!(
                "UPDATE patient SET last_name = overlay(last_name placing '\\x00'::bytea from 40 for 1) WHERE id = {}",
                id_sql(ids[2])
            )
        };
        t.raw(&flip).await;
        assert_eq!(t.clinic.patients().get_patient(&s, ids[2]).await.unwrap_err().kind(), "integrity.tampered");
        // The untouched patient still opens.
        assert_eq!(t.clinic.patients().get_patient(&s, ids[3]).await.unwrap().fields.first_name, PEOPLE[3].first);

        // Each failure is itself in the log: who met it, about which patient, which check.
        let admin = t.admin().await;
        let filter = cuspid::AuditFilter { action: Some("integrity.failure".into()), ..Default::default() };
        let failures = t.clinic.list_audit(&admin, &filter).await.unwrap();
        let about: Vec<_> = failures.iter().map(|e| e.patient_id).collect();
        assert_eq!(about, vec![Some(a), Some(b), Some(ids[2])], "{backend:?}: every failed open is audited");
        assert!(
            failures.iter().all(|e| e.outcome == "failure" && e.purpose.starts_with("integrity.tampered"))
        );
        assert!(failures.iter().all(|e| e.actor == "ana"), "{backend:?}: the one who met it");
        assert!(!failures.iter().any(|e| e.purpose.contains(PEOPLE[1].first)), "no personal data");
    }
}

backend_tests! {
    async fn bulk_import_is_all_or_nothing(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let s = t.staff("ana", Role::Receptionist).await;
        let mut batch: Vec<NewPatient> = PEOPLE.iter().map(|p| p.new_patient()).collect();
        batch.push(PEOPLE[0].new_patient()); // duplicate CNP inside the batch
        assert_eq!(
            t.clinic.patients().import_patients(&s, batch.clone()).await.unwrap_err().kind(),
            "conflict.duplicate_cnp"
        );
        assert!(
            t.clinic.patients().find_patients(&s, &PatientQuery::Name("stef".into())).await.unwrap().is_empty(),
            "the refused batch stored no one"
        );
        batch.pop();
        assert_eq!(t.clinic.patients().import_patients(&s, batch).await.unwrap(), PEOPLE.len() as u64);
        assert_eq!(t.clinic.patients().find_patients(&s, &PatientQuery::Name("mirela".into())).await.unwrap().len(), 1);
    }
}

backend_tests! {
    async fn possible_duplicates_by_cnp_or_phone_and_name(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let (s, ids) = with_people(&t).await;
        let same_cnp = NewPatient { first_name: "Altul".into(), ..PEOPLE[0].new_patient() };
        let d = t.clinic.patients().possible_duplicates(&s, &same_cnp).await.unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].patient.id, d[0].reason.as_str()), (ids[0], "cnp"));
        // Same phone typed another way, name without diacritics, no CNP.
        let same_phone = NewPatient {
            first_name: "Stefan".into(),
            last_name: "VLADUTESCU".into(),
            phone: Some("+40 721 234 567".into()),
            ..Default::default()
        };
        let d = t.clinic.patients().possible_duplicates(&s, &same_phone).await.unwrap();
        assert_eq!(d.len(), 1, "{backend:?}");
        assert_eq!(d[0].reason, "phone_and_name");
        let sibling = NewPatient { first_name: "Andrei".into(), ..same_phone.clone() };
        assert!(
            t.clinic.patients().possible_duplicates(&s, &sibling).await.unwrap().is_empty(),
            "a shared family phone is not a duplicate"
        );
    }
}

backend_tests! {
    async fn name_indexes_have_a_key_per_column_small_buckets_and_no_length_tell(backend) {
        use sea_orm::{ConnectionTrait, Statement};
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        // Names whose first and last names start alike, and short ones.
        let names = [("Ionel", "Ionescu"), ("Petru", "Petrescu"), ("Radu", "Radulescu"), ("Ana", "Li")];
        let mut ids = Vec::new();
        for (first, last) in names {
            let np = NewPatient { first_name: first.into(), last_name: last.into(), ..Default::default() };
            ids.push(t.clinic.patients().register_patient(&recep, np).await.unwrap().id);
        }
        let db = t.clinic.store().connection();
        let sql = "SELECT bidx_first3, bidx_first5, bidx_last3, bidx_last5 FROM patient";
        let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
        assert_eq!(rows.len(), names.len());
        let mut alike = 0;
        for row in rows {
            let v: Vec<Option<i64>> =
                (0..4).map(|i| row.try_get_by_index::<Option<i64>>(i).unwrap()).collect();
            assert!(v.iter().all(Option::is_some), "{backend:?}: no NULL tells a name is short: {v:?}");
            let v: Vec<i64> = v.into_iter().flatten().collect();
            assert!(v.iter().all(|x| (0..1024).contains(x)), "{backend:?}: 10-bit buckets: {v:?}");
            alike += usize::from(v[0] == v[2]);
        }
        assert!(alike < 3, "{backend:?}: `ion` in a first and a last name index apart (own keys)");
        for (q, want) in [("ion", 0), ("ionel", 0), ("ionescu", 0), ("petr", 1), ("li", 3), ("ana", 3)] {
            let found = t.clinic.patients().find_patients(&recep, &PatientQuery::Name(q.into())).await.unwrap();
            assert!(found.iter().any(|p| p.id == ids[want]), "{backend:?}: `{q}` still finds its patient");
        }
        let none = t.clinic.patients().find_patients(&recep, &PatientQuery::Name("ionela".into())).await.unwrap();
        assert!(none.is_empty(), "{backend:?}: bucket neighbours are filtered out after decryption");
    }
}
