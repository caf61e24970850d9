//! The retention schedule: defaults from the domain notes, changed by the DPO,
//! never below the legal minimum, every change audited.

use cuspid::gdpr::retention::PeriodUnit;
use cuspid::{AuditFilter, Role};

use crate::support::{Backend, TestClinic, backend_tests};

backend_tests! {
    async fn the_schedule_starts_from_the_defaults_and_keeps_the_dpos_changes(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("dpo", Role::Dpo).await;
        let rules = t.clinic.gdpr().retention_rules(&recep).await.unwrap();
        assert_eq!(rules.len(), 12, "{backend:?}");
        let records = rules.iter().find(|r| r.category == "medical_records").unwrap();
        assert_eq!(records.describe(), "7 years after the last treatment");
        assert!(!records.customised);

        let changed = t
            .clinic
            .gdpr().set_retention(&dpo, "appointments", 7, PeriodUnit::Years, "istoric complet")
            .await
            .unwrap();
        assert_eq!(changed.describe(), "7 years after the appointment");
        let again = t.reopen().await;
        let dpo2 = t.sign_in(&again, "dpo", crate::support::STAFF_PASSWORD).await;
        let kept = again.gdpr().retention_rules(&dpo2).await.unwrap();
        let appointments = kept.iter().find(|r| r.category == "appointments").unwrap();
        assert!(
            appointments.customised
                && appointments.period == 7
                && appointments.legal_basis == "istoric complet"
        );

        let admin = t.admin().await;
        let events = t
            .clinic
            .list_audit(
                &admin,
                &AuditFilter { action: Some("retention.change".into()), ..Default::default() },
            )
            .await
            .unwrap();
        assert_eq!(events[0].purpose, "3 years after the appointment -> 7 years after the appointment");
    }
}

#[tokio::test]
async fn a_period_below_the_legal_minimum_or_out_of_range_is_refused() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let dpo = t.staff("dpo", Role::Dpo).await;
    let short = t.clinic.gdpr().set_retention(&dpo, "invoices", 5, PeriodUnit::Years, "x").await.unwrap_err();
    assert!(short.to_string().contains("legal minimum"), "{short}");
    let months = t
        .clinic
        .gdpr()
        .set_retention(&dpo, "medical_records", 80, PeriodUnit::Months, "x")
        .await
        .unwrap_err();
    assert_eq!(months.kind(), "input.invalid", "80 months is under 7 years");
    assert_eq!(
        t.clinic.gdpr().set_retention(&dpo, "backups", 0, PeriodUnit::Days, "x").await.unwrap_err().kind(),
        "input.invalid"
    );
    assert_eq!(
        t.clinic.gdpr().set_retention(&dpo, "backups", 51, PeriodUnit::Years, "x").await.unwrap_err().kind(),
        "input.invalid"
    );
    assert_eq!(
        t.clinic.gdpr().set_retention(&dpo, "backups", 60, PeriodUnit::Days, " ").await.unwrap_err().kind(),
        "input.invalid"
    );
    assert_eq!(
        t.clinic.gdpr().set_retention(&dpo, "gossip", 1, PeriodUnit::Years, "x").await.unwrap_err().kind(),
        "not_found"
    );
    let in_months =
        t.clinic.gdpr().set_retention(&dpo, "xrays", 84, PeriodUnit::Months, "imaging").await.unwrap();
    assert_eq!(in_months.period, 84, "84 months are the 7 years the law asks for");
    let longer =
        t.clinic.gdpr().set_retention(&dpo, "invoices", 12, PeriodUnit::Years, "tax law").await.unwrap();
    assert_eq!(longer.period, 12, "longer than the minimum is fine");
    let rules = t.clinic.gdpr().retention_rules(&dpo).await.unwrap();
    assert_eq!(rules.iter().filter(|r| r.customised).count(), 2, "only the accepted changes were stored");
}

backend_tests! {
    async fn the_retention_job_previews_then_erases_expired_records_and_anonymises_old_accounts(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("irina", Role::Dpo).await;
        let admin = t.admin().await;
        t.staff("fost", Role::Assistant).await;
        t.clinic.admin().disable_staff(&admin, "fost").await.unwrap();
        let mut np = crate::support::PEOPLE[0].new_patient();
        np.consents = vec![cuspid::consent::ConsentInput {
            kind: cuspid::consent::ConsentKind::Marketing,
            granted: true,
            method: cuspid::consent::ConsentMethod::Checkbox,
            text_shown: "Da, oferte.".into(),
            given_by: None,
        }];
        let old = t.clinic.patients().register_patient(&recep, np).await.unwrap();
        // Eight years pass for everything stored so far.
        let eight_years_ago =
            (cuspid::chrono::Utc::now() - cuspid::chrono::Duration::days(8 * 366)).timestamp_micros();
        t.raw(&format!("UPDATE patient SET updated_at = {eight_years_ago}")).await;
        t.raw(&format!("UPDATE consent SET at = {eight_years_ago}")).await;
        t.raw(&format!("UPDATE staff SET last_login_at = {eight_years_ago} WHERE username = 'fost'")).await;
        let fresh = t.clinic.patients().register_patient(&recep, crate::support::PEOPLE[1].new_patient()).await.unwrap();

        assert_eq!(t.clinic.gdpr().retention_run(&recep, false).await.unwrap_err().kind(), "auth.permission_denied");
        let preview = t.clinic.gdpr().retention_run(&dpo, false).await.unwrap();
        let due: Vec<_> = preview.patients.iter().map(|p| p.patient_id).collect();
        assert_eq!(due, [old.id], "{backend:?}: only the record past 7 years");
        assert_eq!(
            preview.patients[0].display_name,
            format!("{} {}", crate::support::PEOPLE[0].last, crate::support::PEOPLE[0].first)
        );
        assert_eq!(preview.staff.len(), 1);
        assert_eq!(preview.staff[0].username, "fost");
        assert!(t.clinic.patients().get_patient(&recep, old.id).await.is_ok(), "a preview changes nothing");

        let run = t.clinic.gdpr().retention_run(&dpo, true).await.unwrap();
        assert!(run.applied && run.patients[0].skipped.is_none(), "the run erased the patient: {run:?}");
        assert_eq!(run.erased_records, 2, "{backend:?}: the record and its expired consent: {run:?}");
        assert_eq!(t.clinic.patients().get_patient(&recep, old.id).await.unwrap_err().kind(), "not_found");
        assert!(t.clinic.patients().get_patient(&recep, fresh.id).await.is_ok(), "a recent record stays");
        let staff = t.clinic.admin().list_staff(&admin).await.unwrap();
        assert!(!staff.iter().any(|m| m.username == "fost"), "the old account lost its name");
        assert!(staff.iter().any(|m| m.username == run.staff[0].anonymised_as));
        let events = t
            .clinic
            .list_audit(&dpo, &AuditFilter { action: Some("retention.run".into()), ..Default::default() })
            .await
            .unwrap();
        assert!(
            events.iter().any(|e| e.purpose.starts_with("retention run: 1 records erased")),
            "{events:?}"
        );

        let again = t.clinic.gdpr().retention_run(&dpo, false).await.unwrap();
        assert!(again.patients.is_empty() && again.staff.is_empty(), "nothing is due twice");
    }
}
