//! A session is checked against the truth on every action: the account as stored
//! now, the idle and absolute limits kept in Rust, and the lock, which keeps no keys
//! and opens only for the user who locked, with that user's own secret.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use cuspid::{AuditFilter, Credential, Role, SessionLimits};

use crate::support::{ADMIN_PASSWORD, Backend, PEOPLE, STAFF_PASSWORD, TestClinic, backend_tests};

async fn actions(t: &TestClinic, prefix: &str) -> Vec<cuspid::AuditEventDto> {
    let admin = t.admin().await;
    let all = t.clinic.list_audit(&admin, &AuditFilter::default()).await.unwrap();
    all.into_iter().filter(|e| e.action.starts_with(prefix)).collect()
}

backend_tests! {
    async fn a_disabled_or_demoted_accounts_open_session_is_refused_at_its_next_action(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let ana = t.staff("ana", Role::Receptionist).await;
        let dan = t.staff("dan", Role::Dentist).await;
        let p = t.clinic.patients().register_patient(&ana, PEOPLE[0].new_patient()).await.unwrap();
        let admin = t.admin().await;

        t.clinic.admin().disable_staff(&admin, "ana").await.unwrap();
        let e = t.clinic.patients().get_patient(&ana, p.id).await.unwrap_err();
        assert_eq!(e.kind(), "auth.disabled", "{backend:?}: the session opened before is refused");

        t.clinic.admin().set_staff_role(&admin, "dan", Role::Assistant).await.unwrap();
        let e = t.clinic.patients().get_patient(&dan, p.id).await.unwrap_err();
        assert_eq!(e.kind(), "auth.session_expired", "{backend:?}: a demoted session signs in again");
        let dan = t.clinic.login("dan", STAFF_PASSWORD).await.unwrap();
        assert_eq!(dan.role(), Role::Assistant);
        t.clinic.patients().get_patient(&dan, p.id).await.expect("the new session has the new role");

        let refused = actions(&t, "auth.session").await;
        assert!(refused.iter().any(|e| e.actor == "ana" && e.purpose == "account disabled"), "{refused:?}");
        assert!(refused.iter().any(|e| e.actor == "dan" && e.purpose == "role changed"), "{refused:?}");
    }
}

#[tokio::test]
async fn the_idle_and_absolute_limits_are_kept_by_the_core() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let _ = t.staff("ana", Role::Receptionist).await;
    let idle = t
        .reopen_configured(|c| {
            c.session_limits = SessionLimits { idle: Some(Duration::from_millis(300)), ..Default::default() }
        })
        .await
        .unwrap();
    let ana = idle.login("ana", STAFF_PASSWORD).await.unwrap();
    idle.patients().find_patients(&ana, &cuspid::PatientQuery::Name("pop".into())).await.unwrap();
    for _ in 0..4 {
        // Activity keeps it alive however long the whole spell lasts.
        tokio::time::sleep(Duration::from_millis(120)).await;
        idle.keep_alive(&ana).unwrap();
    }
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert!(idle.session_expired(&ana));
    let e = idle.patients().find_patients(&ana, &cuspid::PatientQuery::Name("pop".into())).await.unwrap_err();
    assert_eq!(e.kind(), "auth.session_timed_out", "an idle session is refused by the core itself");
    assert_eq!(idle.keep_alive(&ana).unwrap_err().kind(), "auth.session_timed_out", "and cannot be revived");

    let short = t
        .reopen_configured(|c| {
            c.session_limits = SessionLimits { idle: None, absolute: Duration::from_millis(300) }
        })
        .await
        .unwrap();
    let ana = short.login("ana", STAFF_PASSWORD).await.unwrap();
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let _ = short.keep_alive(&ana);
    }
    let e =
        short.patients().find_patients(&ana, &cuspid::PatientQuery::Name("pop".into())).await.unwrap_err();
    assert_eq!(e.kind(), "auth.session_timed_out", "the absolute limit holds whatever the activity");
    assert!(!actions(&t, "auth.session_expired").await.is_empty(), "the expiry is audited");
}

#[tokio::test]
async fn the_idle_limit_follows_the_clinics_setting() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let admin = t.admin().await;
    assert_eq!(t.clinic.idle_limit(), Duration::from_secs(5 * 60), "the default idle lock");
    let settings = cuspid::admin::settings::Settings { idle_lock_minutes: 2, ..Default::default() };
    t.clinic.admin().update_settings(&admin, settings).await.unwrap();
    assert_eq!(t.clinic.idle_limit(), Duration::from_secs(2 * 60));
    let other = t.reopen().await;
    t.sign_in(&other, "admin", ADMIN_PASSWORD).await;
    assert_eq!(other.idle_limit(), Duration::from_secs(2 * 60), "another workstation reads it at sign-in");
}

backend_tests! {
    async fn a_locked_screen_opens_only_for_its_user_with_their_own_secret(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let ana = t.staff("ana", Role::Receptionist).await;
        let p = t.clinic.patients().register_patient(&ana, PEOPLE[2].new_patient()).await.unwrap();
        let locked = t.clinic.lock(&ana, "by the user").await.unwrap();
        drop(ana);
        assert_eq!(locked.username(), "ana");

        // The admin's password does not open ana's lock: the unlock is ana's sign-in.
        let e = t.clinic.unlock(&locked, Credential::Password(ADMIN_PASSWORD), None).await.unwrap_err();
        assert_eq!(e.kind(), "auth.invalid_credentials", "{backend:?}");
        let e = t.clinic.unlock(&locked, Credential::Password(""), None).await.unwrap_err();
        assert_eq!(e.kind(), "auth.invalid_credentials", "{backend:?}: no secret, no way in");
        let ana = t.clinic.unlock(&locked, Credential::Password(STAFF_PASSWORD), None).await.unwrap();
        assert_eq!(ana.username(), "ana");
        t.clinic.patients().get_patient(&ana, p.id).await.unwrap();

        // Someone else takes the workstation from the lock; then ana signs out.
        let locked = t.clinic.lock(&ana, "idle").await.unwrap();
        t.clinic.switch_user(locked).await.unwrap();
        let ana = t.clinic.login("ana", STAFF_PASSWORD).await.unwrap();
        t.clinic.logout(&ana).await.unwrap();

        let events = actions(&t, "auth.").await;
        let did = |action: &str, purpose: &str| {
            events.iter().any(|e| e.actor == "ana" && e.action == action && e.purpose == purpose)
        };
        assert!(did("auth.lock", "by the user") && did("auth.lock", "idle"), "{backend:?}: locks audited");
        assert!(did("auth.login", "unlock with password"), "{backend:?}: the unlock is audited");
        assert!(did("auth.login", "wrong password"), "{backend:?}: and the wrong tries at it");
        assert!(events.iter().any(|e| e.action == "auth.switch_user"), "{backend:?}: switch user audited");
        assert!(did("auth.logout", "signed out"), "{backend:?}: logout audited");
    }
}
