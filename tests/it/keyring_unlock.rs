//! The OS keyring (Secret Service in a D-Bus session): an enrolled workstation
//! unlocks without a password; a missing or stale entry falls back to the
//! password and never to a new key.

#![allow(clippy::unwrap_used)]

use cuspid::{AuditFilter, Role};

use crate::support::{Backend, PEOPLE, STAFF_PASSWORD, TestClinic};

fn secret_service_available() -> bool {
    let present = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    assert!(present || std::env::var("CI").is_err(), "CI runs the keyring tests inside a D-Bus session");
    present
}

#[tokio::test]
async fn enrolled_workstation_unlocks_without_a_password() {
    if !secret_service_available() {
        return;
    }
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let ana = t.staff("ana", Role::Receptionist).await;
    let p = t.clinic.register_patient(&ana, PEOPLE[1].new_patient()).await.unwrap();

    let before = t.clinic.login_with_keyring("ana").await.unwrap_err();
    assert_eq!(before.kind(), "auth.keyring_unavailable", "not enrolled yet: ask for the password");

    t.clinic.enroll_workstation(&ana).await.unwrap();
    let again = t.clinic.login_with_keyring("ana").await.unwrap();
    assert_eq!(t.clinic.get_patient(&again, p.id).await.unwrap().fields.first_name, PEOPLE[1].first);
    // Another user on the same workstation is not unlocked by ana's entry.
    let _ = t.staff("dan", Role::Dentist).await;
    assert_eq!(t.clinic.login_with_keyring("dan").await.unwrap_err().kind(), "auth.keyring_unavailable");

    let admin = t.admin().await;
    let logins = t
        .clinic
        .list_audit(&admin, &AuditFilter { action: Some("auth.login".into()), ..Default::default() })
        .await;
    assert!(
        logins.unwrap().iter().any(|e| e.actor == "ana" && e.purpose == "keyring"),
        "keyring logins are audited"
    );

    t.clinic.forget_workstation(&again).await.unwrap();
    assert_eq!(t.clinic.login_with_keyring("ana").await.unwrap_err().kind(), "auth.keyring_unavailable");
    t.clinic.login("ana", STAFF_PASSWORD).await.unwrap();
}

#[tokio::test]
async fn a_stale_keyring_entry_after_rotation_falls_back_to_the_password() {
    if !secret_service_available() {
        return;
    }
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let ana = t.staff("ana", Role::Receptionist).await;
    let p = t.clinic.register_patient(&ana, PEOPLE[0].new_patient()).await.unwrap();
    t.clinic.enroll_workstation(&ana).await.unwrap();
    let admin = t.admin().await;
    t.clinic.rotate_keys(&admin).await.unwrap();

    let stale = t.clinic.login_with_keyring("ana").await.unwrap_err();
    assert_eq!(stale.kind(), "auth.keyring_unavailable");
    assert!(stale.to_string().contains("rotated"), "the message says why: {stale}");
    let ana = t.clinic.login("ana", STAFF_PASSWORD).await.unwrap();
    assert_eq!(t.clinic.get_patient(&ana, p.id).await.unwrap().fields.last_name, PEOPLE[0].last);
    t.clinic.enroll_workstation(&ana).await.unwrap();
    t.clinic.login_with_keyring("ana").await.unwrap();
}
