//! Two-factor sign-in: administrators and the DPO cannot act before they enrol; an
//! enrolled account needs a fresh code every time (checked here against the tests'
//! own RFC 6238 implementation); a wrong code counts towards the lockout; a code
//! and a recovery code work once; the secret is never in clear in the database.

#![allow(clippy::unwrap_used)]

use cuspid::{Credential, Role};

use crate::support::{
    ADMIN_PASSWORD, Backend, STAFF_PASSWORD, TOTP_SECRET, TestClinic, backend_tests, totp_at,
};

backend_tests! {
    async fn an_administrator_enrols_before_anything_else_then_signs_in_with_a_fresh_code(backend) {
        let t = TestClinic::open(&backend).await;
        t.clinic.init(crate::support::profile("Clinica Zâmbet"), "admin", ADMIN_PASSWORD).await.unwrap();
        let pending = t.clinic.login("admin", ADMIN_PASSWORD).await.unwrap();
        assert!(pending.mfa_pending(), "{backend:?}: no second factor yet");
        let e = t.clinic.admin().list_staff(&pending).await.unwrap_err();
        assert_eq!(e.kind(), "auth.mfa_enrolment_required", "{backend:?}: nothing else until enrolled");
        assert!(!t.clinic.mfa_status(&pending).await.unwrap().enrolled);

        let setup = t.clinic.begin_totp(&pending).await.unwrap();
        assert!(setup.uri.starts_with("otpauth://totp/"), "{}", setup.uri);
        assert!(
            setup.uri.contains(&format!("secret={}", setup.secret)),
            "the URI carries the secret: {}",
            setup.uri
        );
        let png = data_encoding::BASE64.decode(setup.qr_png_base64.as_bytes()).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "the QR code is a PNG");
        let now = t.clock.load(std::sync::atomic::Ordering::SeqCst);
        let wrong = t.clinic.confirm_totp(&pending, "000000").await;
        if totp_at(&setup.secret, now) != "000000" {
            assert_eq!(
                wrong.unwrap_err().kind(),
                "auth.invalid_code",
                "a wrong first code keeps the set-up open"
            );
        }
        let codes = t.clinic.confirm_totp(&pending, &totp_at(&setup.secret, now)).await.unwrap();
        assert_eq!(codes.codes.len(), 10);
        assert!(!pending.mfa_pending());
        t.clinic.admin().list_staff(&pending).await.expect("enrolled: the session works");

        let e = t.clinic.login("admin", ADMIN_PASSWORD).await.unwrap_err();
        assert_eq!(e.kind(), "auth.totp_required", "{backend:?}: the password alone is not enough");
        let same_step = totp_at(&setup.secret, now);
        let e = t.clinic.login_with_code("admin", ADMIN_PASSWORD, Some(&same_step)).await.unwrap_err();
        assert_eq!(e.kind(), "auth.invalid_code", "{backend:?}: the enrolment's code is spent");
        let next = totp_at(&setup.secret, now + 30);
        t.clinic.login_with_code("admin", ADMIN_PASSWORD, Some(&next)).await.unwrap();
        let e = t.clinic.login_with_code("admin", ADMIN_PASSWORD, Some(&next)).await.unwrap_err();
        assert_eq!(e.kind(), "auth.invalid_code", "{backend:?}: a code is accepted once");

        // A recovery code, however typed, once.
        let typed = codes.codes[3].to_uppercase().replace('-', " ");
        t.clinic.login_with_code("admin", ADMIN_PASSWORD, Some(&typed)).await.unwrap();
        let e = t.clinic.login_with_code("admin", ADMIN_PASSWORD, Some(&codes.codes[3])).await.unwrap_err();
        assert_eq!(e.kind(), "auth.invalid_code", "{backend:?}: a recovery code works once");
        t.clock.store(now + 60, std::sync::atomic::Ordering::SeqCst);
        let later = totp_at(&setup.secret, now + 60);
        let admin = t.clinic.login_with_code("admin", ADMIN_PASSWORD, Some(&later)).await.unwrap();
        assert_eq!(t.clinic.mfa_status(&admin).await.unwrap().recovery_codes_left, 9);
    }
}

#[tokio::test]
async fn wrong_codes_count_towards_the_lockout_and_the_secret_is_sealed() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let _ = t.staff("irina", Role::Dpo).await;
    for i in 1..=4 {
        let e = t.clinic.login_with_code("irina", STAFF_PASSWORD, Some("999999x")).await.unwrap_err();
        assert_eq!(e.kind(), "auth.invalid_code", "wrong code {i}");
    }
    let fifth = t.clinic.login_with_code("irina", STAFF_PASSWORD, Some("999999x")).await.unwrap_err();
    assert_eq!(fifth.kind(), "auth.locked", "five wrong codes lock like five wrong passwords");
    let code = t.next_code();
    let e = t.clinic.login_with_code("irina", STAFF_PASSWORD, Some(&code)).await.unwrap_err();
    assert_eq!(e.kind(), "auth.locked");

    // Neither the secret nor its base32 text is in the database in clear.
    let secret = data_encoding::BASE32_NOPAD.decode(TOTP_SECRET.as_bytes()).unwrap();
    let db = std::fs::read(t.sqlite_file()).unwrap();
    let mut wal = db.clone();
    wal.extend(std::fs::read(t.sqlite_file().with_extension("sqlite-wal")).unwrap_or_default());
    for needle in [secret.as_slice(), TOTP_SECRET.as_bytes()] {
        assert!(!wal.windows(needle.len()).any(|w| w == needle), "the TOTP secret is sealed");
    }
}

#[tokio::test]
async fn others_may_enrol_and_then_every_sign_in_asks_for_the_code() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let ana = t.staff("ana", Role::Receptionist).await;
    assert!(!ana.mfa_pending(), "optional for a receptionist");
    assert!(!t.clinic.mfa_status(&ana).await.unwrap().required);
    t.enrol(&t.clinic, &ana).await;
    assert_eq!(t.clinic.login("ana", STAFF_PASSWORD).await.unwrap_err().kind(), "auth.totp_required");
    let ana = t.sign_in(&t.clinic, "ana", STAFF_PASSWORD).await;

    // The unlock after a lock is a sign-in too.
    let locked = t.clinic.lock(&ana, "idle").await.unwrap();
    drop(ana);
    let e = t.clinic.unlock(&locked, Credential::Password(STAFF_PASSWORD), None).await.unwrap_err();
    assert_eq!(e.kind(), "auth.totp_required");
    t.clinic.unlock(&locked, Credential::Password(STAFF_PASSWORD), Some(&t.next_code())).await.unwrap();

    // An administrator clears a lost phone, confirming their own password.
    let admin = t.admin().await;
    let e = t.clinic.reset_mfa(&admin, "ana", "not-the-admins-password").await.unwrap_err();
    assert_eq!(e.kind(), "auth.invalid_credentials");
    t.clinic.reset_mfa(&admin, "ana", ADMIN_PASSWORD).await.unwrap();
    t.clinic.login("ana", STAFF_PASSWORD).await.expect("no second factor any more");
    let staff = t.clinic.admin().list_staff(&admin).await.unwrap();
    assert!(staff.iter().any(|s| s.username == "admin" && s.mfa), "the list says who has it");
    assert!(staff.iter().any(|s| s.username == "ana" && !s.mfa));
}
