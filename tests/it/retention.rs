//! The retention schedule: defaults from the domain notes, changed by the DPO,
//! never below the legal minimum, every change audited.

use cuspid::retention::PeriodUnit;
use cuspid::{AuditFilter, Role};

use crate::support::{Backend, TestClinic};

#[tokio::test]
async fn the_schedule_starts_from_the_defaults_and_keeps_the_dpos_changes() {
    for backend in Backend::all() {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("dpo", Role::Dpo).await;
        let rules = t.clinic.retention_rules(&recep).await.unwrap();
        assert_eq!(rules.len(), 12, "{backend:?}");
        let records = rules.iter().find(|r| r.category == "medical_records").unwrap();
        assert_eq!(records.describe(), "7 years after the last treatment");
        assert!(!records.customised);

        let changed = t
            .clinic
            .set_retention(&dpo, "appointments", 7, PeriodUnit::Years, "istoric complet")
            .await
            .unwrap();
        assert_eq!(changed.describe(), "7 years after the appointment");
        let again = t.reopen().await;
        let dpo2 = again.login("dpo", crate::support::STAFF_PASSWORD).await.unwrap();
        let kept = again.retention_rules(&dpo2).await.unwrap();
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
    let short = t.clinic.set_retention(&dpo, "invoices", 5, PeriodUnit::Years, "x").await.unwrap_err();
    assert!(short.to_string().contains("legal minimum"), "{short}");
    let months =
        t.clinic.set_retention(&dpo, "medical_records", 80, PeriodUnit::Months, "x").await.unwrap_err();
    assert_eq!(months.kind(), "input.invalid", "80 months is under 7 years");
    assert_eq!(
        t.clinic.set_retention(&dpo, "backups", 0, PeriodUnit::Days, "x").await.unwrap_err().kind(),
        "input.invalid"
    );
    assert_eq!(
        t.clinic.set_retention(&dpo, "backups", 51, PeriodUnit::Years, "x").await.unwrap_err().kind(),
        "input.invalid"
    );
    assert_eq!(
        t.clinic.set_retention(&dpo, "backups", 60, PeriodUnit::Days, " ").await.unwrap_err().kind(),
        "input.invalid"
    );
    assert_eq!(
        t.clinic.set_retention(&dpo, "gossip", 1, PeriodUnit::Years, "x").await.unwrap_err().kind(),
        "not_found"
    );
    let in_months = t.clinic.set_retention(&dpo, "xrays", 84, PeriodUnit::Months, "imaging").await.unwrap();
    assert_eq!(in_months.period, 84, "84 months are the 7 years the law asks for");
    let longer = t.clinic.set_retention(&dpo, "invoices", 12, PeriodUnit::Years, "tax law").await.unwrap();
    assert_eq!(longer.period, 12, "longer than the minimum is fine");
    let rules = t.clinic.retention_rules(&dpo).await.unwrap();
    assert_eq!(rules.iter().filter(|r| r.customised).count(), 2, "only the accepted changes were stored");
}
