//! The OS keyring (Secret Service in a D-Bus session): a workstation that remembers
//! someone saves the slow key derivation, never their own secret. The keyring holds
//! a workstation secret that, with the person's PIN, opens a slot in the database;
//! deleting the slot revokes it, whatever copies of the entry exist.

#![allow(clippy::unwrap_used)]

use cuspid::{AuditFilter, Role};

use crate::support::{Backend, PEOPLE, STAFF_PASSWORD, TestClinic, backend_tests};

const PIN: &str = "482916";

fn secret_service_available() -> bool {
    let present = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    assert!(present || std::env::var("CI").is_err(), "CI runs the keyring tests inside a D-Bus session");
    present
}

/// What the Secret Service holds for `user` of this clinic, read as any process of
/// the OS user could.
fn raw_entry(t: &TestClinic, user: &str) -> keyring::Entry {
    keyring::Entry::new("cuspid", &format!("{}/{user}", t.clinic.clinic_id().unwrap())).unwrap()
}

#[tokio::test]
async fn a_remembered_workstation_still_asks_for_the_persons_pin() {
    if !secret_service_available() {
        return;
    }
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let ana = t.staff("ana", Role::Receptionist).await;
    let p = t.clinic.patients().register_patient(&ana, PEOPLE[1].new_patient()).await.unwrap();

    let before = t.clinic.login_with_keyring("ana", PIN, None).await.unwrap_err();
    assert_eq!(before.kind(), "auth.keyring_unavailable", "not enrolled yet: ask for the password");
    let weak = t.clinic.enroll_workstation(&ana, "123456").await.unwrap_err();
    assert_eq!(weak.kind(), "input.invalid", "a run of digits is not a PIN");
    t.clinic.enroll_workstation(&ana, PIN).await.unwrap();
    assert!(t.clinic.keyring_enrolled("ana"));

    let again = t.clinic.login_with_keyring("ana", PIN, None).await.unwrap();
    assert_eq!(
        t.clinic.patients().get_patient(&again, p.id).await.unwrap().fields.first_name,
        PEOPLE[1].first
    );
    // Another user on the same workstation is not signed in by ana's entry.
    let _ = t.staff("dan", Role::Dentist).await;
    assert_eq!(
        t.clinic.login_with_keyring("dan", PIN, None).await.unwrap_err().kind(),
        "auth.keyring_unavailable"
    );

    // A wrong PIN is a wrong secret: counted in the core, five lock the account.
    for i in 1..=4 {
        let e = t.clinic.login_with_keyring("ana", "000001", None).await.unwrap_err();
        assert_eq!(e.kind(), "auth.invalid_credentials", "wrong PIN {i}");
    }
    let fifth = t.clinic.login_with_keyring("ana", "000001", None).await.unwrap_err();
    assert_eq!(fifth.kind(), "auth.locked", "the fifth wrong PIN locks, as a fifth wrong password does");
    assert_eq!(t.clinic.login_with_keyring("ana", PIN, None).await.unwrap_err().kind(), "auth.locked");
    assert_eq!(t.clinic.login("ana", STAFF_PASSWORD).await.unwrap_err().kind(), "auth.locked", "one count");

    let admin = t.admin().await;
    let logins = t
        .clinic
        .list_audit(&admin, &AuditFilter { action: Some("auth.login".into()), ..Default::default() })
        .await
        .unwrap();
    assert!(logins.iter().any(|e| e.actor == "ana" && e.purpose == "pin"), "PIN sign-ins are audited");
    assert!(logins.iter().any(|e| e.actor == "ana" && e.purpose == "wrong PIN"), "and wrong PINs");
}

backend_tests! {
    async fn the_keyring_holds_no_clinic_key_and_a_revoked_entry_opens_nothing(backend) {
        if !secret_service_available() {
            return;
        }
        let (t, _) = TestClinic::init(&backend).await;
        let ana = t.staff("ana", Role::Receptionist).await;
        t.clinic.enroll_workstation(&ana, PIN).await.unwrap();
        let leaked = raw_entry(&t, "ana").get_password().unwrap();
        assert!(leaked.starts_with("cuspid-ws-v1:"), "{backend:?}: a workstation secret, not a key");

        // "Forget this workstation": a copy of the entry put back opens nothing.
        t.clinic.forget_workstation(&ana).await.unwrap();
        assert!(!t.clinic.keyring_enrolled("ana"), "{backend:?}: the entry is gone");
        raw_entry(&t, "ana").set_password(&leaked).unwrap();
        let e = t.clinic.login_with_keyring("ana", PIN, None).await.unwrap_err();
        assert_eq!(e.kind(), "auth.keyring_unavailable", "{backend:?}: the slot is gone: {e}");

        // A disabled employee's entry: the slot goes with the account, so even an
        // account re-enabled behind the administrator's back by SQL stays shut.
        let ana = t.clinic.login("ana", STAFF_PASSWORD).await.unwrap();
        t.clinic.enroll_workstation(&ana, PIN).await.unwrap();
        let kept = raw_entry(&t, "ana").get_password().unwrap();
        let admin = t.admin().await;
        t.clinic.admin().disable_staff(&admin, "ana").await.unwrap();
        t.raw("UPDATE staff SET active = TRUE WHERE username = 'ana'").await;
        raw_entry(&t, "ana").set_password(&kept).unwrap();
        let e = t.clinic.login_with_keyring("ana", PIN, None).await.unwrap_err();
        assert_eq!(e.kind(), "auth.keyring_unavailable", "{backend:?}: a disabled employee's entry: {e}");
    }
}

#[tokio::test]
async fn administrators_and_the_dpo_are_never_remembered() {
    if !secret_service_available() {
        return;
    }
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let admin = t.admin().await;
    let e = t.clinic.enroll_workstation(&admin, PIN).await.unwrap_err();
    assert_eq!(e.kind(), "auth.permission_denied", "an administrator signs in with the password");
    let dpo = t.staff("irina", Role::Dpo).await;
    assert_eq!(t.clinic.enroll_workstation(&dpo, PIN).await.unwrap_err().kind(), "auth.permission_denied");
    assert!(!t.clinic.keyring_enrolled("admin") && !t.clinic.keyring_enrolled("irina"));

    // Promoted after enrolling: the slot goes with the new role.
    let dan = t.staff("dan", Role::Dentist).await;
    t.clinic.enroll_workstation(&dan, PIN).await.unwrap();
    t.clinic.admin().set_staff_role(&admin, "dan", Role::Admin).await.unwrap();
    assert_eq!(
        t.clinic.login_with_keyring("dan", PIN, None).await.unwrap_err().kind(),
        "auth.keyring_unavailable"
    );
}

#[tokio::test]
async fn an_entry_of_the_earlier_format_is_removed_and_rotation_keeps_enrolments() {
    if !secret_service_available() {
        return;
    }
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let ana = t.staff("ana", Role::Receptionist).await;
    let p = t.clinic.patients().register_patient(&ana, PEOPLE[0].new_patient()).await.unwrap();
    // Builds before this one kept the clinic key itself, as 64 hex characters.
    raw_entry(&t, "ana").set_password(&"ab".repeat(32)).unwrap();
    let old = t.clinic.login_with_keyring("ana", PIN, None).await.unwrap_err();
    assert_eq!(old.kind(), "auth.keyring_unavailable");
    assert!(raw_entry(&t, "ana").get_password().is_err(), "the entry holding a clinic key is deleted");

    t.clinic.enroll_workstation(&ana, PIN).await.unwrap();
    let admin = t.admin().await;
    t.clinic.rotate_keys(&admin).await.unwrap();
    // The slot is re-sealed to the new clinic key like every other: no enrolling again.
    let ana = t.clinic.login_with_keyring("ana", PIN, None).await.unwrap();
    assert_eq!(t.clinic.patients().get_patient(&ana, p.id).await.unwrap().fields.last_name, PEOPLE[0].last);
}
