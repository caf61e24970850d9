//! The Article 30 register: the default activities from set-up, the controller and
//! DPO on top, retention printed from the one schedule, edits by the DPO, CSV and
//! PDF exports read back.

use cuspid::documents::Language;
use cuspid::gdpr::article30::ActivityInput;
use cuspid::gdpr::retention::PeriodUnit;
use cuspid::{AuditFilter, Role};

use crate::pdf::{Pdf, flat};
use crate::support::{Backend, TestClinic, backend_tests};

backend_tests! {
    async fn set_up_writes_the_default_register_and_retention_comes_from_the_schedule(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let owner = t.staff("owner", Role::Owner).await;
        let dpo = t.staff("dpo", Role::Dpo).await;
        let r = t.clinic.gdpr().article30_register(&owner).await.unwrap();
        assert_eq!(r.activities.len(), 10, "{backend:?}");
        assert_eq!(r.controller.as_ref().unwrap().dpo.name, "Irina Matei", "controller and DPO head it");
        let appointments = r.activities.iter().find(|a| a.code == "A02").unwrap();
        assert_eq!(appointments.retention, "programări: 3 ani de la data programării");

        t.clinic.gdpr().set_retention(&dpo, "appointments", 7, PeriodUnit::Years, "istoric").await.unwrap();
        let r = t.clinic.gdpr().article30_register(&owner).await.unwrap();
        let appointments = r.activities.iter().find(|a| a.code == "A02").unwrap();
        assert_eq!(appointments.retention, "programări: 7 ani de la data programării", "one source");
    }
}

#[tokio::test]
async fn the_dpo_edits_an_activity_and_others_may_not() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let dpo = t.staff("dpo", Role::Dpo).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let r = t.clinic.gdpr().article30_register(&dpo).await.unwrap();
    let a07 = r.activities.iter().find(|a| a.code == "A07").unwrap().fields.clone();
    let edited = ActivityInput { recipients: "Proprietarul cabinetului, contabilul".into(), ..a07.clone() };
    let saved = t.clinic.gdpr().update_activity(&dpo, "A07", edited).await.unwrap();
    assert_eq!(saved.fields.recipients, "Proprietarul cabinetului, contabilul");

    let denied = t.clinic.gdpr().update_activity(&recep, "A07", a07.clone()).await.unwrap_err();
    assert_eq!(denied.kind(), "auth.permission_denied");
    let blank = ActivityInput { purpose: " ".into(), ..a07.clone() };
    assert_eq!(
        t.clinic.gdpr().update_activity(&dpo, "A07", blank).await.unwrap_err().kind(),
        "input.invalid"
    );
    let unknown = ActivityInput { retention_categories: vec!["forever".into()], ..a07.clone() };
    assert_eq!(
        t.clinic.gdpr().update_activity(&dpo, "A07", unknown).await.unwrap_err().kind(),
        "input.invalid"
    );
    assert_eq!(t.clinic.gdpr().update_activity(&dpo, "A99", a07).await.unwrap_err().kind(), "not_found");

    let admin = t.admin().await;
    let events = t
        .clinic
        .list_audit(&admin, &AuditFilter { action: Some("article30.change".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(events.len(), 1, "only the accepted edit is recorded");
}

#[tokio::test]
async fn the_register_exports_as_csv_and_as_pdf() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let dpo = t.staff("dpo", Role::Dpo).await;
    let csv = t.clinic.gdpr().article30_csv(&dpo).await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("controller,Clinica Zâmbet,"), "{}", lines[0]);
    assert!(lines[2].starts_with("id,activity,purpose,"), "{}", lines[2]);
    assert_eq!(lines.len(), 13, "controller, DPO, header and ten activities");
    assert!(csv.contains("\"Pacienți, părinți și tutori\""), "fields with commas are quoted");

    let pdf = Pdf::new(&t.clinic.gdpr().article30_pdf(&dpo, Language::Ro).await.unwrap());
    let text = flat(&pdf.text());
    assert!(text.contains("Registrul activităților de prelucrare"), "{text}");
    assert!(
        text.contains("A03 Facturare și încasări")
            && text.contains("facturi: 10 ani de la emiterea facturii")
    );
    let en = flat(&Pdf::new(&t.clinic.gdpr().article30_pdf(&dpo, Language::En).await.unwrap()).text());
    assert!(
        en.contains("Record of processing activities") && en.contains("invoices: 10 years after the invoice")
    );
    assert!(text.contains("Irina Matei") && text.contains("RO14399840"));
    assert!(pdf.pages() >= 2, "ten activities take more than a page");
}
