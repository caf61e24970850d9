//! A clinic set up by the build before issue 12 (tests/fixtures/clinic-2026-11, made
//! by tests/fixtures/make-clinic-2026-11.sh) opens with this build, migrates, and
//! keeps everything: its staff sign in (the administrator and the DPO enrol a second
//! factor first), names are found again once re-indexed, the erased patient's kept
//! consent still opens under the key it was sealed with, and the audit chain verifies.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use cuspid::{Clinic, ClinicConfig, Location, PatientQuery};

use crate::support::{ADMIN_PASSWORD, PEOPLE, STAFF_PASSWORD, TestClinic};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[tokio::test]
async fn a_clinic_made_before_the_hardening_opens_with_its_data_intact() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clinic-2026-11");
    let t = TestClinic::open(&crate::support::Backend::Sqlite).await;
    let here = t.dir.path().join("old");
    copy_dir(&fixture, &here);
    let id = |f: &str| std::fs::read_to_string(here.join(f)).unwrap().trim().parse::<uuid::Uuid>().unwrap();
    let (kept, erased) = (id("kept-patient-id"), id("erased-patient-id"));

    let mut config = ClinicConfig::new(Location::DataDir(here.join("data")));
    config.state_dir = Some(here.join("state"));
    config.workstation = Some("fixture-desk".into());
    config.totp_clock = Some(t.clock.clone());
    let clinic = Clinic::open(config).await.expect("the old clinic opens and migrates");

    // Its staff sign in with the passwords they had; the administrator enrols first.
    let admin = t.sign_in(&clinic, "admin", ADMIN_PASSWORD).await;
    assert!(clinic.mfa_status(&admin).await.unwrap().enrolled);
    let ana = clinic.login("ana", STAFF_PASSWORD).await.unwrap();
    let p = clinic.patients().get_patient(&ana, kept).await.unwrap();
    assert_eq!(
        (p.fields.first_name.as_str(), p.fields.last_name.as_str()),
        (PEOPLE[0].first, PEOPLE[0].last)
    );
    // Its name indexes were re-indexed at the first sign-in: the search finds it.
    for q in ["vla", "vladu", "stef"] {
        let found = clinic.patients().find_patients(&ana, &PatientQuery::Name(q.into())).await.unwrap();
        assert!(found.iter().any(|f| f.id == kept), "`{q}` finds the patient registered before");
    }
    let by_phone =
        clinic.patients().find_patients(&ana, &PatientQuery::Phone(PEOPLE[0].phone.into())).await.unwrap();
    assert_eq!(by_phone.len(), 1, "the other indexes kept their keys");

    // What the old erasure kept opens under the key it was sealed with.
    let dpo = t.sign_in(&clinic, "irina", STAFF_PASSWORD).await;
    let kept_consents = clinic.retained_consents(&dpo, erased).await.unwrap();
    assert_eq!(kept_consents.len(), 1);
    assert_eq!(kept_consents[0].text_shown, "Sunt de acord: marketing (ș, ț, ă).");

    // Its sealed values were bound to their rows' plain columns at the first sign-in,
    // every one of them (the erased patient's kept consent too, under its own key).
    let bound = clinic
        .list_audit(
            &dpo,
            &cuspid::AuditFilter { action: Some("clinic.bind_columns".into()), ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(bound.len(), 1, "once");
    assert!(bound[0].purpose.ends_with(", 0 did not open"), "{}", bound[0].purpose);

    // The chain the old build wrote, and this build's events after it, verify.
    let report = clinic.verify_audit(&dpo).await.unwrap();
    assert!(report.events > 10, "{report:?}");
}
