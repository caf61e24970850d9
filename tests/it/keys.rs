//! Passwords, lockout, recovery, rotation: the clinic key is never lost and
//! never replaced by a new one behind anybody's back.

#![allow(clippy::unwrap_used)]

use cuspid::{AuditFilter, Role};
use sea_orm::{ConnectionTrait, Statement};

use crate::support::{ADMIN_PASSWORD, Backend, PEOPLE, STAFF_PASSWORD, TestClinic, backend_tests};

async fn events(t: &TestClinic, action: &str) -> Vec<cuspid::AuditEventDto> {
    events_as(t, &t.admin().await, action).await
}

async fn events_as(t: &TestClinic, admin: &cuspid::Session, action: &str) -> Vec<cuspid::AuditEventDto> {
    t.clinic
        .list_audit(admin, &AuditFilter { action: Some(action.into()), ..Default::default() })
        .await
        .unwrap()
}

backend_tests! {
    async fn wrong_password_and_unknown_user_are_refused_and_audited(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let err = t.clinic.login("admin", "not-the-password").await.unwrap_err();
        assert_eq!(err.kind(), "auth.invalid_credentials");
        let err = t.clinic.login("nobody", ADMIN_PASSWORD).await.unwrap_err();
        assert_eq!(err.kind(), "auth.invalid_credentials", "an unknown user looks like a wrong password");
        let logins = events(&t, "auth.login").await;
        let failures: Vec<_> = logins.iter().filter(|e| e.outcome == "failure").collect();
        assert_eq!(failures.len(), 2, "both failures are in the audit log ({backend:?})");
        assert!(failures.iter().any(|e| e.actor == "admin" && e.purpose == "wrong password"));
        assert!(failures.iter().any(|e| e.actor == "unknown"), "the typed name is not recorded");
    }
}

backend_tests! {
    async fn five_failures_lock_the_account_even_for_the_right_password(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let _ = t.staff("ana", Role::Receptionist).await;
        for i in 1..=4 {
            let e = t.clinic.login("ana", "wrong-password").await.unwrap_err();
            assert_eq!(e.kind(), "auth.invalid_credentials", "failure {i}");
        }
        let fifth = t.clinic.login("ana", "wrong-password").await.unwrap_err();
        assert_eq!(fifth.kind(), "auth.locked", "the fifth failure locks");
        let right = t.clinic.login("ana", STAFF_PASSWORD).await.unwrap_err();
        assert_eq!(right.kind(), "auth.locked", "locked means locked, right password or not");
        assert!(!events(&t, "auth.lockout").await.is_empty(), "the lockout is audited");
        // An administrator's reset lifts the lock.
        let admin = t.admin().await;
        t.clinic.admin().change_password(&admin, "ana", "a-brand-new-password", ADMIN_PASSWORD).await.unwrap();
        t.clinic.login("ana", "a-brand-new-password").await.unwrap();
    }
}

#[tokio::test]
async fn a_success_resets_the_failure_count() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    for _ in 0..4 {
        let _ = t.clinic.login("admin", "wrong-password").await;
    }
    t.admin().await;
    for _ in 0..4 {
        let _ = t.clinic.login("admin", "wrong-password").await;
    }
    t.admin().await; // would be locked if the count had carried over
}

backend_tests! {
    async fn disabled_accounts_cannot_log_in_and_lose_their_key_slot(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let _ = t.staff("dan", Role::Dentist).await;
        let admin = t.admin().await;
        let dto = t.clinic.admin().disable_staff(&admin, "dan").await.unwrap();
        assert!(!dto.active);
        assert_eq!(t.clinic.login("dan", STAFF_PASSWORD).await.unwrap_err().kind(), "auth.disabled");
        let own = t.clinic.admin().disable_staff(&admin, "admin").await.unwrap_err();
        assert_eq!(own.kind(), "input.invalid");
        let listed = t.clinic.admin().list_staff(&admin).await.unwrap();
        assert!(listed.iter().any(|s| s.username == "dan" && !s.active));
        assert!(listed.iter().any(|s| s.username == "admin" && s.last_login_at.is_some()));
    }
}

#[tokio::test]
async fn changing_a_password_rewraps_that_slot_only() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let ana = t.staff("ana", Role::Receptionist).await;
    t.clinic.admin().change_password(&ana, "ana", "my-own-new-password", STAFF_PASSWORD).await.unwrap();
    assert_eq!(t.clinic.login("ana", STAFF_PASSWORD).await.unwrap_err().kind(), "auth.invalid_credentials");
    t.clinic.login("ana", "my-own-new-password").await.unwrap();
    t.admin().await; // the admin's slot still opens
    let other =
        t.clinic.admin().change_password(&ana, "admin", "hijacked-password", "my-own-new-password").await;
    assert_eq!(other.unwrap_err().kind(), "auth.permission_denied", "a receptionist may only change her own");
    let short =
        t.clinic.admin().change_password(&ana, "ana", "short", "my-own-new-password").await.unwrap_err();
    assert_eq!(short.kind(), "input.invalid");
}

backend_tests! {
    async fn a_password_change_asks_for_the_current_one_and_a_reset_for_the_admins_own(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let ana = t.staff("ana", Role::Receptionist).await;
        // Someone at ana's unattended session cannot take her account over.
        let e =
            t.clinic.admin().change_password(&ana, "ana", "taken-over-password", "a-guess-at-it").await.unwrap_err();
        assert_eq!(e.kind(), "auth.invalid_credentials", "{backend:?}: the current password is checked");
        t.clinic.login("ana", STAFF_PASSWORD).await.expect("the password did not change");

        // Nor can someone at the administrator's session reset the DPO's password.
        let _dpo = t.staff("irina", Role::Dpo).await;
        let admin = t.admin().await;
        let e = t.clinic.admin().change_password(&admin, "irina", "reset-by-intruder", "not-the-admins").await;
        assert_eq!(
            e.unwrap_err().kind(),
            "auth.invalid_credentials",
            "{backend:?}: the admin's own password"
        );
        t.sign_in(&t.clinic, "irina", STAFF_PASSWORD).await; // the DPO's password did not change
        t.clinic.admin().change_password(&admin, "irina", "reset-by-the-admin", ADMIN_PASSWORD).await.unwrap();
        t.sign_in(&t.clinic, "irina", "reset-by-the-admin").await;

        // Wrong confirmations count towards the lockout like wrong passwords.
        for _ in 0..5 {
            let _ = t.clinic.admin().change_password(&ana, "ana", "taken-over-password", "a-guess-at-it").await;
        }
        assert_eq!(t.clinic.login("ana", STAFF_PASSWORD).await.unwrap_err().kind(), "auth.locked");

        let resets = events(&t, "staff.passwd").await;
        assert!(
            resets.iter().any(|e| e.actor == "admin" && e.purpose.starts_with("reset by an administrator")),
            "{backend:?}: the reset is audited as one: {resets:?}"
        );
    }
}

backend_tests! {
    async fn recovery_key_sets_a_new_admin_password(backend) {
        let (t, recovery) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
        let bad =
            t.clinic.recover("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", "admin", "new-admin-password").await;
        assert_eq!(bad.unwrap_err().kind(), "auth.invalid_recovery_key");
        // Typed back in lower case with spaces: still accepted.
        let typed = recovery.to_lowercase().replace('-', " ");
        t.clinic.recover(&typed, "admin", "new-admin-password").await.unwrap();
        assert!(t.clinic.login("admin", ADMIN_PASSWORD).await.is_err(), "the old password is gone");
        let admin = t.sign_in(&t.clinic, "admin", "new-admin-password").await;
        // Same clinic key: the data registered before is still readable.
        let dpo_added = t.clinic.admin().add_staff(&admin, "dpo", Role::Dpo, STAFF_PASSWORD).await.unwrap();
        assert_eq!(dpo_added.role, Role::Dpo);
        let dpo = t.sign_in(&t.clinic, "dpo", STAFF_PASSWORD).await;
        assert_eq!(t.clinic.patients().get_patient(&dpo, p.id).await.unwrap().fields.first_name, PEOPLE[0].first);
        assert!(events_as(&t, &admin, "auth.recover").await.iter().any(|e| e.outcome == "failure"));
    }
}

backend_tests! {
    async fn rotation_rewraps_keys_without_rewriting_any_field(backend) {
        let (t, recovery) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let mut ids = Vec::new();
        for p in &PEOPLE {
            ids.push(t.clinic.patients().register_patient(&recep, p.new_patient()).await.unwrap().id);
        }
        let sealed_before = sealed_columns(&t).await;
        let admin = t.admin().await;
        let report = t.clinic.rotate_keys(&admin).await.unwrap();
        assert_eq!(report.patient_keys, PEOPLE.len() as u64);
        assert_eq!(report.key_slots, 3, "admin, ana and the recovery slot");
        assert_eq!(sealed_columns(&t).await, sealed_before, "no sealed field may be rewritten");
        // Sessions opened before the rotation hold the old key: they must log in again.
        let stale = t.clinic.patients().get_patient(&recep, ids[0]).await.unwrap_err();
        assert_eq!(stale.kind(), "auth.session_expired");
        // Every slot opens the new key: passwords and the recovery key.
        let ana = t.clinic.login("ana", STAFF_PASSWORD).await.unwrap();
        for (id, p) in ids.iter().zip(&PEOPLE) {
            assert_eq!(t.clinic.patients().get_patient(&ana, *id).await.unwrap().fields.last_name, p.last);
        }
        let found = t.clinic.patients().find_patients(&ana, &cuspid::PatientQuery::Name("stef".into())).await.unwrap();
        assert_eq!(found.len(), 1, "blind indexes still work after rotation");
        t.clinic.recover(&recovery, "admin", "after-rotation-pw").await.unwrap();
        t.sign_in(&t.clinic, "admin", "after-rotation-pw").await;
        // Another process opening the database sees the new key too.
        let other = t.reopen().await;
        other.login("ana", STAFF_PASSWORD).await.unwrap();
    }
}

async fn sealed_columns(t: &TestClinic) -> Vec<Vec<u8>> {
    let db = t.clinic.store().connection();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT first_name, last_name, cnp FROM patient ORDER BY id",
        ))
        .await
        .unwrap();
    rows.iter()
        .flat_map(|r| {
            [
                r.try_get::<Vec<u8>>("", "first_name").unwrap(),
                r.try_get::<Vec<u8>>("", "last_name").unwrap(),
                r.try_get::<Option<Vec<u8>>>("", "cnp").unwrap().unwrap_or_default(),
            ]
        })
        .collect()
}

backend_tests! {
    async fn staff_rows_and_key_slots_edited_by_sql_are_refused_and_reported(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let ana = t.staff("ana", Role::Receptionist).await;
        let _ = t.staff("dan", Role::Dentist).await;

        // A receptionist with SQL access makes herself an administrator.
        t.raw("UPDATE staff SET role = 'admin' WHERE username = 'ana'").await;
        let e = t.clinic.admin().list_staff(&ana).await.unwrap_err();
        assert_eq!(e.kind(), "integrity.tampered", "{backend:?}: her open session is refused: {e}");
        let e = t.clinic.login("ana", STAFF_PASSWORD).await.unwrap_err();
        assert_eq!(e.kind(), "integrity.tampered", "{backend:?}: and so is her sign-in: {e}");
        let admin = t.admin().await;
        let e = t.clinic.verify_audit(&admin).await.unwrap_err();
        assert_eq!(e.kind(), "integrity.tampered", "{backend:?}: audit verify reports it: {e}");
        t.raw("UPDATE staff SET role = 'receptionist' WHERE username = 'ana'").await;
        t.clinic.verify_audit(&admin).await.expect("put back, it verifies");

        // A disabled account re-enabled by SQL stays shut.
        t.clinic.admin().disable_staff(&admin, "dan").await.unwrap();
        t.raw("UPDATE staff SET active = TRUE WHERE username = 'dan'").await;
        assert_eq!(
            t.clinic.login("dan", STAFF_PASSWORD).await.unwrap_err().kind(),
            "auth.invalid_credentials"
        );

        // Her password slot pointed at the administrator: she would sign in as admin.
        t.raw(
            "DELETE FROM key_slot WHERE kind = 'password' AND staff_id = (SELECT id FROM staff WHERE username = 'admin')",
        )
        .await;
        t.raw(
            "UPDATE key_slot SET staff_id = (SELECT id FROM staff WHERE username = 'admin') \
             WHERE kind = 'password' AND staff_id = (SELECT id FROM staff WHERE username = 'ana')",
        )
        .await;
        let code = t.next_code();
        let e = t.clinic.login_with_code("admin", STAFF_PASSWORD, Some(&code)).await.unwrap_err();
        assert_eq!(e.kind(), "integrity.tampered", "{backend:?}: a slot moved to another account: {e}");
        let refused = events_as(&t, &admin, "auth.login").await;
        assert!(
            refused.iter().any(|e| e.outcome == "denied" && e.purpose.contains("outside Cuspid")),
            "{backend:?}: the refusal is audited"
        );
    }
}
