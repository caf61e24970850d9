//! The hash-chained audit log: append-only, one chain under concurrency, and
//! every edit, deletion, insertion, reordering or cut-off tail detected.

#![allow(clippy::unwrap_used)]

use cuspid::{AuditFilter, Role};

use crate::support::{Backend, PEOPLE, TestClinic, backend_tests};

/// Let the test play an attacker with full database access.
async fn disable_guards(t: &TestClinic) {
    if t.is_sqlite() {
        t.raw("DROP TRIGGER audit_event_no_update").await;
        t.raw("DROP TRIGGER audit_event_no_delete").await;
    } else {
        t.raw("ALTER TABLE audit_event DISABLE TRIGGER USER").await;
    }
}

async fn broken_at(t: &TestClinic) -> (String, String) {
    let admin_clinic = t.reopen().await;
    let admin = t.sign_in(&admin_clinic, "admin", crate::support::ADMIN_PASSWORD).await;
    let err = admin_clinic.verify_audit(&admin).await.unwrap_err();
    (err.kind().to_string(), err.to_string())
}

async fn clinic_with_events(backend: &Backend) -> TestClinic {
    let (t, _) = TestClinic::init(backend).await;
    let s = t.staff("ana", Role::Receptionist).await;
    for p in &PEOPLE {
        t.clinic.patients().register_patient(&s, p.new_patient()).await.unwrap();
    }
    t
}

backend_tests! {
    async fn update_and_delete_are_refused_by_the_database(backend) {
        let t = clinic_with_events(&backend).await;
        use sea_orm::ConnectionTrait;
        // The clinic's own connection: on PostgreSQL the workstations' role, which was
        // never granted UPDATE or DELETE on the log; on SQLite the triggers refuse.
        let db = t.clinic.store().connection();
        let refused = if t.is_sqlite() { "append-only" } else { "permission denied" };
        let upd = db.execute_unprepared("UPDATE audit_event SET purpose = 'x' WHERE seq = 1").await;
        assert!(upd.unwrap_err().to_string().contains(refused), "{backend:?}");
        let del = db.execute_unprepared("DELETE FROM audit_event WHERE seq = 1").await;
        assert!(del.unwrap_err().to_string().contains(refused), "{backend:?}");
        if let Some(superuser) = &t.superuser_url {
            // Even the server's superuser meets the append-only triggers first.
            let su = sea_orm::Database::connect(superuser).await.unwrap();
            let upd = su.execute_unprepared("UPDATE audit_event SET purpose = 'x' WHERE seq = 1").await;
            assert!(upd.unwrap_err().to_string().contains("append-only"), "{backend:?}");
        }
        let admin = t.admin().await;
        t.clinic.verify_audit(&admin).await.unwrap();
    }
}

/// On PostgreSQL the workstations connect with a role that may only read and append
/// to the log: it can neither change, delete nor truncate events, nor switch off or
/// drop the triggers that guard them, nor create tables; the clinic still works.
#[tokio::test]
async fn the_workstations_role_may_only_append_to_the_log() {
    use sea_orm::ConnectionTrait;
    let Some(Backend::Postgres(_)) = Backend::all().into_iter().nth(1) else { return };
    if std::env::var("CUSPID_PG_APP_ROLE").is_err() {
        assert!(std::env::var("CI").is_err(), "CI runs with the roles apart");
        return;
    }
    let t = clinic_with_events(&Backend::all()[1]).await;
    let db = t.clinic.store().connection();
    for sql in [
        "UPDATE audit_event SET purpose = 'x' WHERE seq = 1",
        "DELETE FROM audit_event WHERE seq = 1",
        "TRUNCATE audit_event",
        "ALTER TABLE audit_event DISABLE TRIGGER USER",
        "DROP TRIGGER audit_event_no_change ON audit_event",
        "DROP TABLE audit_event",
        "CREATE TABLE shadow (x int)",
        "DELETE FROM seaql_migrations",
    ] {
        let e = db.execute_unprepared(sql).await.expect_err(sql).to_string();
        assert!(e.contains("permission denied") || e.contains("must be owner"), "{sql}: {e}");
    }
    // The log is intact and the clinic goes on writing to it.
    let ana = t.sign_in(&t.clinic, "ana", crate::support::STAFF_PASSWORD).await;
    let found = t
        .clinic
        .patients()
        .find_patients(&ana, &cuspid::PatientQuery::Name(PEOPLE[0].last.into()))
        .await
        .unwrap();
    assert!(!found.is_empty(), "an audited search still works");
    let admin = t.admin().await;
    t.clinic.verify_audit(&admin).await.unwrap();
}

/// A workstation's role cannot create the tables of a new clinic, nor upgrade an
/// old one: it is told that the owner runs `cuspid db setup`.
#[tokio::test]
async fn an_empty_server_database_needs_its_owner_first() {
    use sea_orm::ConnectionTrait;
    let Some(Backend::Postgres(admin_url)) = Backend::all().into_iter().nth(1) else { return };
    let (Ok(owner), Ok(app)) = (std::env::var("CUSPID_PG_OWNER_ROLE"), std::env::var("CUSPID_PG_APP_ROLE"))
    else {
        return;
    };
    let name = format!("cuspid_e_{}", uuid::Uuid::new_v4().simple());
    let admin = sea_orm::Database::connect(&admin_url).await.unwrap();
    admin.execute_unprepared(&format!("CREATE DATABASE {name} OWNER {owner}")).await.unwrap();
    let (path, query) = admin_url.split_once('?').unwrap();
    let url = format!("{}/{name}?{query}", path.rsplit_once('/').unwrap().0);
    let open = |u: String| async move {
        cuspid::Clinic::open(cuspid::ClinicConfig::new(cuspid::Location::Postgres(u))).await.map(|_| ())
    };
    let e = open(crate::support::pg_url_as(&url, &app)).await.unwrap_err();
    assert_eq!(e.kind(), "storage.needs_owner", "{e}");
    assert!(e.to_string().contains("cuspid db setup"), "{e}");
    // The owner prepares it; then the workstations' role opens it.
    let tables = cuspid::store::prepare_server(&crate::support::pg_url_as(&url, &owner), &app).await.unwrap();
    assert!(tables > 20, "{tables}");
    open(crate::support::pg_url_as(&url, &app)).await.expect("opens once prepared");
    // The owner's own role is refused as the workstations' role.
    let same = cuspid::store::prepare_server(&crate::support::pg_url_as(&url, &owner), &owner).await;
    assert_eq!(same.unwrap_err().kind(), "input.invalid");
}

backend_tests! {
    async fn an_edited_event_is_named(backend) {
        let t = clinic_with_events(&backend).await;
        disable_guards(&t).await;
        t.raw("UPDATE audit_event SET actor = 'mallory' WHERE seq = 5").await;
        let (kind, msg) = broken_at(&t).await;
        assert_eq!(kind, "integrity.audit_chain_broken");
        assert!(msg.contains("#5") && msg.contains("changed"), "{msg}");
    }
}

backend_tests! {
    async fn a_deleted_event_is_named(backend) {
        let t = clinic_with_events(&backend).await;
        disable_guards(&t).await;
        t.raw("DELETE FROM audit_event WHERE seq = 4").await;
        let (kind, msg) = broken_at(&t).await;
        assert_eq!(kind, "integrity.audit_chain_broken");
        assert!(msg.contains("#4") && msg.contains("missing"), "{msg}");
    }
}

backend_tests! {
    async fn an_inserted_event_is_named(backend) {
        let t = clinic_with_events(&backend).await;
        disable_guards(&t).await;
        // Make room at #3 and slip in a copy of event #2 there.
        t.raw("UPDATE audit_event SET seq = seq + 1000 WHERE seq >= 3").await;
        t.raw("UPDATE audit_event SET seq = seq - 999 WHERE seq >= 1003").await;
        t.raw(
            "INSERT INTO audit_event (seq, at, actor_id, actor, role, workstation, action, entity_type, entity_id, \
             subject_id, purpose, outcome, prev_hash, hash) SELECT 3, at, actor_id, actor, role, workstation, action, \
             entity_type, entity_id, subject_id, purpose, outcome, prev_hash, hash FROM audit_event WHERE seq = 2",
        )
        .await;
        t.raw("UPDATE audit_head SET seq = seq + 1 WHERE id = 1").await;
        let (kind, msg) = broken_at(&t).await;
        assert_eq!(kind, "integrity.audit_chain_broken");
        assert!(msg.contains("#3"), "{msg}");
    }
}

backend_tests! {
    async fn reordered_events_are_named(backend) {
        let t = clinic_with_events(&backend).await;
        disable_guards(&t).await;
        t.raw("UPDATE audit_event SET seq = -6 WHERE seq = 6").await;
        t.raw("UPDATE audit_event SET seq = 6 WHERE seq = 7").await;
        t.raw("UPDATE audit_event SET seq = 7 WHERE seq = -6").await;
        let (kind, msg) = broken_at(&t).await;
        assert_eq!(kind, "integrity.audit_chain_broken");
        assert!(msg.contains("#6"), "{msg}");
    }
}

backend_tests! {
    async fn a_cut_off_tail_is_caught_by_the_workstation_checkpoint(backend) {
        let t = clinic_with_events(&backend).await;
        let admin = t.admin().await;
        let before = t.clinic.verify_audit(&admin).await.unwrap();
        assert!(before.checkpoint_seq.is_some(), "this workstation keeps a checkpoint");
        disable_guards(&t).await;
        // A careful attacker also moves the head row back, so the database agrees with itself.
        let keep = before.head_seq - 4;
        t.raw(&format!("DELETE FROM audit_event WHERE seq > {keep}")).await;
        t.raw(&format!(
            "UPDATE audit_head SET seq = {keep}, hash = (SELECT hash FROM audit_event WHERE seq = {keep}) WHERE id = 1"
        ))
        .await;
        let (kind, msg) = broken_at(&t).await;
        assert_eq!(kind, "integrity.audit_chain_broken");
        assert!(msg.contains("cut off"), "{msg}");
    }
}

#[tokio::test]
async fn a_cut_off_tail_without_head_update_is_caught_by_the_head_row() {
    let t = clinic_with_events(&Backend::Sqlite).await;
    std::fs::remove_dir_all(t.dir.path().join("state")).unwrap(); // no checkpoint on this workstation
    disable_guards(&t).await;
    t.raw("DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)").await;
    let (kind, msg) = broken_at(&t).await;
    assert_eq!(kind, "integrity.audit_chain_broken");
    // The head row still names the lost event, so later appends link past a gap.
    assert!(msg.contains("missing") || msg.contains("cut off"), "{msg}");
}

backend_tests! {
    async fn concurrent_writers_keep_one_chain(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let _ = t.staff("ana", Role::Receptionist).await;
        let mut tasks = Vec::new();
        for worker in 0..6u32 {
            // Separate handles, as separate workstations would have.
            let clinic = t.reopen().await;
            tasks.push(tokio::spawn(async move {
                let s = clinic.login("ana", crate::support::STAFF_PASSWORD).await.unwrap();
                for i in 0..8u32 {
                    let np = cuspid::NewPatient {
                        first_name: format!("W{worker}"),
                        last_name: format!("N{i}"),
                        ..Default::default()
                    };
                    clinic.patients().register_patient(&s, np).await.unwrap();
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let admin = t.admin().await;
        let report = t.clinic.verify_audit(&admin).await.unwrap();
        let registered = t
            .clinic
            .list_audit(
                &admin,
                &AuditFilter { action: Some("patient.register".into()), ..Default::default() },
            )
            .await
            .unwrap();
        assert_eq!(registered.len(), 48, "{backend:?}: one event per registration");
        assert!(report.events > 48, "the registrations and the sign-ins, got {}", report.events);
    }
}

backend_tests! {
    async fn list_filters_by_patient_staff_action_and_time(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let ana = t.staff("ana", Role::Receptionist).await;
        let dan = t.staff("dan", Role::Dentist).await;
        let p1 = t.clinic.patients().register_patient(&ana, PEOPLE[0].new_patient()).await.unwrap();
        let p2 = t.clinic.patients().register_patient(&dan, PEOPLE[1].new_patient()).await.unwrap();
        t.clinic.patients().get_patient(&dan, p1.id).await.unwrap();
        let admin = t.admin().await;
        let list = |f: AuditFilter| {
            let (c, a) = (&t.clinic, &admin);
            async move { c.list_audit(a, &f).await.unwrap() }
        };
        let about_p1 = list(AuditFilter { patient: Some(p1.id), ..Default::default() }).await;
        assert!(about_p1.iter().all(|e| e.patient_id == Some(p1.id)));
        let actions: Vec<&str> = about_p1.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, vec!["patient.register", "patient.read"], "reads of personal data are audited");
        assert_eq!(about_p1[1].actor, "dan");
        let by_dan = list(AuditFilter {
            staff: Some("dan".into()),
            action: Some("patient.register".into()),
            ..Default::default()
        })
        .await;
        assert_eq!(by_dan.len(), 1);
        assert_eq!(by_dan[0].patient_id, Some(p2.id));
        let future = list(AuditFilter {
            since: Some(chrono::Utc::now() + chrono::Duration::hours(1)),
            ..Default::default()
        })
        .await;
        assert!(future.is_empty(), "no events after now, got {future:?}");
        // A failed registration leaves no register event: the event is in the same transaction.
        let dup = t.clinic.patients().register_patient(&ana, PEOPLE[0].new_patient()).await;
        assert!(dup.is_err(), "a duplicate CNP is refused, got {dup:?}");
        let regs = list(AuditFilter { action: Some("patient.register".into()), ..Default::default() }).await;
        assert_eq!(regs.len(), 2);
        // Events name patients by id only.
        let all = list(AuditFilter::default()).await;
        let text = serde_json::to_string(&all).unwrap();
        assert!(!text.contains(PEOPLE[0].last) && !text.contains("1800101221144"), "no name or CNP: {text}");
    }
}

#[tokio::test]
async fn a_deleted_checkpoint_is_an_error_and_the_mirror_outlives_the_state_folder() {
    let t = clinic_with_events(&Backend::Sqlite).await;
    let admin = t.admin().await;
    std::fs::remove_dir_all(t.dir.path().join("state")).unwrap();
    let e = t.clinic.verify_audit(&admin).await.unwrap_err();
    assert_eq!(e.kind(), "integrity.checkpoint_missing", "no silent restart: {e}");

    // With a mirror, the checkpoint lives in two places.
    let mirror = t.dir.path().join("mirror");
    let with_mirror = t.reopen_configured(|c| c.checkpoint_mirror = Some(mirror.clone())).await.unwrap();
    let admin = t.sign_in(&with_mirror, "admin", crate::support::ADMIN_PASSWORD).await;
    let before = with_mirror.verify_audit(&admin).await.unwrap();
    // The attacker cuts the tail, moves the head row back and deletes the state folder...
    disable_guards(&t).await;
    let keep = before.head_seq - 4;
    t.raw(&format!("DELETE FROM audit_event WHERE seq > {keep}")).await;
    t.raw(&format!(
        "UPDATE audit_head SET seq = {keep}, hash = (SELECT hash FROM audit_event WHERE seq = {keep}) WHERE id = 1"
    ))
    .await;
    std::fs::remove_dir_all(t.dir.path().join("state")).unwrap();
    // ...then a sign-in writes a fresh checkpoint at the cut head: the mirror still knows better.
    let again = t.reopen_configured(|c| c.checkpoint_mirror = Some(mirror.clone())).await.unwrap();
    let admin = t.sign_in(&again, "admin", crate::support::ADMIN_PASSWORD).await;
    let e = again.verify_audit(&admin).await.unwrap_err();
    assert_eq!(e.kind(), "integrity.audit_chain_broken", "{e}");
}

backend_tests! {
    /// `keys rotate` replaces the checkpoint key. A checkpoint kept from before the
    /// rotation still counts for the log as it was then; one made under a key two
    /// rotations old (what a former employee could still forge) is refused.
    async fn keys_rotate_replaces_the_checkpoint_key(backend) {
        let t = clinic_with_events(&backend).await;
        let file = t.dir.path().join("state").join("checkpoints");
        let snapshot = |tag: &str| {
            let copy = t.dir.path().join(tag);
            std::fs::create_dir_all(&copy).unwrap();
            for e in std::fs::read_dir(&file).unwrap() {
                let e = e.unwrap();
                std::fs::copy(e.path(), copy.join(e.file_name())).unwrap();
            }
            copy
        };
        let restore = |from: &std::path::Path| {
            for e in std::fs::read_dir(from).unwrap() {
                let e = e.unwrap();
                std::fs::copy(e.path(), file.join(e.file_name())).unwrap();
            }
        };
        let first = snapshot("first-key");
        let key_id = |dir: &std::path::Path| -> String {
            let f = std::fs::read_dir(dir).unwrap().next().unwrap().unwrap().path();
            let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
            v["key_id"].as_str().unwrap().to_owned()
        };

        let admin = t.admin().await;
        t.clinic.rotate_keys(&admin).await.unwrap();
        let admin = t.admin().await;
        t.clinic.verify_audit(&admin).await.unwrap();
        assert_ne!(key_id(&file), key_id(&first), "{backend:?}: the checkpoint is under a new key");

        // Another workstation's checkpoint from before the rotation: still good.
        restore(&first);
        t.clinic.verify_audit(&admin).await.expect("a checkpoint from before the rotation");

        // A second rotation: the first key is gone for good.
        t.clinic.rotate_keys(&admin).await.unwrap();
        let admin = t.admin().await;
        restore(&first);
        let e = t.clinic.verify_audit(&admin).await.unwrap_err();
        assert_eq!(e.kind(), "integrity.tampered", "{backend:?}: {e}");
        assert!(e.to_string().contains("rotated away"), "{e}");
    }
}
