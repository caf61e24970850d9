//! The clinic's particulars: asked for at set-up, read by everyone logged in,
//! changed by the administrator, the DPO's contact sealed.

use cuspid::{AuditFilter, Role};

use crate::support::{Backend, TestClinic, backend_tests, profile};

backend_tests! {
    async fn the_particulars_given_at_set_up_are_read_back_normalised(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("recep", Role::Receptionist).await;
        let p = t.clinic.admin().clinic_profile(&recep).await.unwrap().expect("set-up stored the particulars");
        assert_eq!(p.name, "Clinica Zâmbet", "{backend:?}");
        assert_eq!(p.fiscal_code, "RO14399840");
        assert_eq!(p.registry_number.as_deref(), Some("J12/3456/2015"));
        assert_eq!(p.phone.as_deref(), Some("+40264555010"), "phones are kept in E.164");
        assert_eq!(p.dpo.name, "Irina Matei");
        assert_eq!(p.dpo.phone.as_deref(), Some("+40740000111"));
    }
}

#[tokio::test]
async fn set_up_refuses_bad_particulars_and_creates_nothing() {
    let t = TestClinic::open(&Backend::Sqlite).await;
    let mut bad = profile("Clinica Zâmbet");
    bad.fiscal_code = "RO14399841".into();
    let err = t.clinic.init(bad, "admin", crate::support::ADMIN_PASSWORD).await.unwrap_err();
    assert_eq!(err.kind(), "input.invalid");
    assert!(err.to_string().contains("control digit"), "{err}");
    let mut unreachable = profile("Clinica Zâmbet");
    unreachable.dpo.email = None;
    unreachable.dpo.phone = None;
    let err = t.clinic.init(unreachable, "admin", crate::support::ADMIN_PASSWORD).await.unwrap_err();
    assert!(err.to_string().contains("data-protection contact"), "{err}");
    assert!(!t.clinic.is_initialised(), "a refused set-up leaves no clinic behind");
    t.clinic.init(profile("Clinica Zâmbet"), "admin", crate::support::ADMIN_PASSWORD).await.unwrap();
}

backend_tests! {
    async fn the_administrator_changes_them_and_the_change_is_audited_by_field(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let admin = t.admin().await;
        let mut next = t.clinic.admin().clinic_profile(&admin).await.unwrap().unwrap();
        next.name = "Clinica Zâmbet Nord".into();
        next.dpo.email = Some("PROTECTIA.DATELOR@zambet.example".into());
        let saved = t.clinic.admin().update_clinic_profile(&admin, next).await.unwrap();
        assert_eq!(saved.dpo.email.as_deref(), Some("protectia.datelor@zambet.example"));
        assert_eq!(t.clinic.clinic_name().as_deref(), Some("Clinica Zâmbet Nord"), "{backend:?}");
        assert_eq!(t.reopen().await.clinic_name().as_deref(), Some("Clinica Zâmbet Nord"));

        let events = t
            .clinic
            .list_audit(&admin, &AuditFilter { action: Some("clinic.profile".into()), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(events.len(), 1);
        let purpose = events[0].purpose.clone();
        assert_eq!(purpose, "name, dpo", "the event names the fields, never their values");

        // Saving the same particulars again changes nothing and records nothing.
        let same = t.clinic.admin().clinic_profile(&admin).await.unwrap().unwrap();
        t.clinic.admin().update_clinic_profile(&admin, same).await.unwrap();
        let again = t
            .clinic
            .list_audit(&admin, &AuditFilter { action: Some("clinic.profile".into()), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(again.len(), 1);
    }
}

#[tokio::test]
async fn a_receptionist_may_read_but_not_change_them() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("recep", Role::Receptionist).await;
    let mut p = t.clinic.admin().clinic_profile(&recep).await.unwrap().unwrap();
    p.address = "Str. Alta 1".into();
    let err = t.clinic.admin().update_clinic_profile(&recep, p).await.unwrap_err();
    assert_eq!(err.kind(), "auth.permission_denied");
    let admin = t.admin().await;
    let stored = t.clinic.admin().clinic_profile(&admin).await.unwrap().unwrap();
    assert!(stored.address.starts_with("Str. Republicii"), "nothing changed");
}

backend_tests! {
    async fn a_tampered_dpo_contact_is_refused_not_misread(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let admin = t.admin().await;
        let flip = if t.is_sqlite() {
            "UPDATE clinic_profile SET dpo_sealed = substr(dpo_sealed, 1, 40) || randomblob(8) || substr(dpo_sealed, 49)"
        } else {
            "UPDATE clinic_profile SET dpo_sealed = overlay(dpo_sealed placing gen_random_uuid()::text::bytea from 41 for 8)"
        };
        t.raw(flip).await;
        let err = t.clinic.admin().clinic_profile(&admin).await.unwrap_err();
        assert_eq!(err.kind(), "integrity.tampered", "{backend:?}");
    }
}
