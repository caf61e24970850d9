//! The tooth chart: FDI numbers, dated entries never overwritten, the chart as it
//! was on a past day, the GDPR interface (FHIR export, kept on erasure for the
//! medical record's seven years).

#![allow(clippy::unwrap_used)]

use cuspid::Role;
use cuspid::clinical::chart::{Condition, Finding, NewChartEntry, ProcedureState, Surface};
use cuspid::gdpr::restriction::Restriction;

use crate::support::{Backend, PEOPLE, TestClinic, backend_tests};

fn entry(tooth: u8, finding: Finding, date: &str, supersedes: Option<uuid::Uuid>) -> NewChartEntry {
    NewChartEntry {
        tooth,
        surfaces: vec![Surface::Occlusal],
        finding,
        date: date.into(),
        note: Some("carie ocluzală, sondă agățată".into()),
        supersedes,
    }
}

fn caries(resolved: bool) -> Finding {
    Finding::Condition { condition: Condition::Caries, resolved }
}

fn filling(state: ProcedureState) -> Finding {
    Finding::Procedure { code: "restoration.composite".into(), state }
}

backend_tests! {
    async fn the_chart_shows_what_stood_on_a_past_day_and_nothing_is_overwritten(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dentist = t.staff("dr-pop", Role::Dentist).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();

        let found =
            t.clinic.clinical().chart_add(&dentist, p.id, entry(36, caries(false), "2025-01-10", None)).await.unwrap();
        let planned = t
            .clinic
            .clinical().chart_add(&dentist, p.id, entry(36, filling(ProcedureState::Planned), "2025-01-10", None))
            .await
            .unwrap();
        t.clinic
            .clinical().chart_add(
                &dentist,
                p.id,
                entry(36, filling(ProcedureState::Done), "2025-02-01", Some(planned.id)),
            )
            .await
            .unwrap();
        t.clinic
            .clinical().chart_add(&dentist, p.id, entry(36, caries(true), "2025-02-01", Some(found.id)))
            .await
            .unwrap();

        let then = t.clinic.clinical().chart(&dentist, p.id, Some("2025-01-15")).await.unwrap();
        let findings: Vec<_> = then.current.iter().map(|e| e.finding.clone()).collect();
        assert_eq!(findings, [caries(false), filling(ProcedureState::Planned)], "{backend:?}: mid-January");
        let now = t.clinic.clinical().chart(&dentist, p.id, None).await.unwrap();
        assert_eq!(now.current.len(), 1, "{backend:?}: the caries is resolved, the filling done");
        assert_eq!(now.current[0].finding, filling(ProcedureState::Done));
        assert_eq!(now.current[0].surfaces, [Surface::Occlusal]);
        assert_eq!(now.history.len(), 4, "every entry stays");
        assert_eq!(now.history[0].note.as_deref(), Some("carie ocluzală, sondă agățată"));
        assert_eq!(now.history[0].recorded_by, "dr-pop");
        assert!(
            t.clinic.clinical().chart(&dentist, p.id, Some("2024-12-31")).await.unwrap().history.is_empty(),
            "nothing was charted before that day"
        );

        assert_eq!(t.clinic.clinical().chart(&recep, p.id, None).await.unwrap_err().kind(), "auth.permission_denied");
    }
}

#[tokio::test]
async fn bad_entries_are_refused_and_nothing_is_stored() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dentist = t.staff("dr-pop", Role::Dentist).await;
    let dpo = t.staff("irina", Role::Dpo).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[1].new_patient()).await.unwrap();
    let today = cuspid::chrono::Local::now().date_naive();
    let on_11 = t
        .clinic
        .clinical()
        .chart_add(&dentist, p.id, entry(11, caries(false), &today.to_string(), None))
        .await
        .unwrap();
    for (bad, why) in [
        (entry(19, caries(false), "2025-01-10", None), "no tooth 19"),
        (entry(56, caries(false), "2025-01-10", None), "no primary tooth 56"),
        (entry(36, caries(false), &(today + cuspid::chrono::Days::new(1)).to_string(), None), "future"),
        (entry(36, caries(false), "2025-02-30", None), "no such day"),
        (entry(36, caries(true), "2025-01-10", Some(on_11.id)), "follows another tooth"),
        (
            entry(
                36,
                Finding::Procedure { code: " ".into(), state: ProcedureState::Planned },
                "2025-01-10",
                None,
            ),
            "no code",
        ),
    ] {
        let e = t.clinic.clinical().chart_add(&dentist, p.id, bad).await.unwrap_err();
        assert!(e.kind().starts_with("input."), "{why}: {e}");
    }
    assert_eq!(
        t.clinic.clinical().chart(&dentist, p.id, None).await.unwrap().history.len(),
        1,
        "only the good one"
    );

    t.clinic.gdpr().set_restriction(&dpo, p.id, Restriction::Restricted).await.unwrap();
    let e = t
        .clinic
        .clinical()
        .chart_add(&dentist, p.id, entry(21, caries(false), "2025-01-10", None))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "conflict.restricted", "no charting while restricted");
    assert!(t.clinic.clinical().chart(&dentist, p.id, None).await.is_ok(), "reading stays possible");
}

#[tokio::test]
async fn the_chart_is_exported_as_fhir_and_kept_seven_years_on_erasure() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dentist = t.staff("dr-pop", Role::Dentist).await;
    let dpo = t.staff("irina", Role::Dpo).await;
    // Reads English: the displays are in English, the clinic's language being Romanian.
    let english = cuspid::NewPatient { language: Some("en".into()), ..PEOPLE[2].new_patient() };
    let p = t.clinic.patients().register_patient(&recep, english).await.unwrap();
    t.clinic
        .clinical()
        .chart_add(&dentist, p.id, entry(36, caries(false), "2025-01-10", None))
        .await
        .unwrap();
    t.clinic
        .clinical()
        .chart_add(&dentist, p.id, entry(36, filling(ProcedureState::Done), "2025-02-01", None))
        .await
        .unwrap();

    let exported = crate::support::export(&t, &dpo, p.id).await;
    let condition = exported.of_type("Condition")[0];
    assert_eq!(condition["bodySite"][0]["coding"][0]["code"], "36");
    assert_eq!(condition["bodySite"][0]["coding"][1]["code"], "O", "occlusal, FDI surface code");
    assert_eq!(condition["clinicalStatus"]["coding"][0]["code"], "active");
    assert_eq!(condition["subject"]["reference"], format!("urn:uuid:{}", p.id));
    let coding = |r: &serde_json::Value, system: &str| {
        r["code"]["coding"].as_array().unwrap().iter().find(|c| c["system"] == system).cloned().unwrap()
    };
    let snomed = coding(condition, "http://snomed.info/sct");
    assert_eq!(
        (snomed["code"].as_str(), snomed["display"].as_str()),
        (Some("80967001"), Some("Dental caries"))
    );
    assert_eq!(coding(condition, "urn:cuspid:chart-condition")["code"], "caries");
    assert_eq!(condition["code"]["text"], "dental caries", "in the patient's language");
    let procedure = exported.of_type("Procedure")[0];
    assert_eq!(procedure["status"], "completed");
    assert_eq!(coding(procedure, "http://snomed.info/sct")["code"], "234789004", "composite restoration");
    let catalogue = coding(procedure, "urn:cuspid:procedure-catalogue");
    assert_eq!(
        (catalogue["code"].as_str(), catalogue["display"].as_str()),
        (Some("restoration.composite"), Some("Composite filling"))
    );
    assert_eq!(procedure["code"]["text"], "Composite filling");
    let csv = exported.read("csv/chart.csv");
    assert!(csv.contains("restoration.composite") && csv.contains("occlusal"));

    let preview = t.clinic.gdpr().erasure_preview(&dpo, p.id).await.unwrap();
    let chart = preview.iter().find(|l| l.module == "chart").unwrap();
    assert_eq!(chart.fate, "keep");
    assert_eq!(chart.until.as_deref(), Some("2032-02-01"), "7 years after the last treatment");
    let erased = t.clinic.gdpr().erase_patient(&dpo, p.id, None).await.unwrap();
    let part = erased.parts.iter().find(|x| x.kind == "chart").unwrap();
    assert_eq!((part.erased, part.kept), (0, 2), "the medical record stays, re-sealed");
    assert_eq!(part.kept_until.as_deref(), Some("2032-02-01"));
}

backend_tests! {
    async fn the_catalogue_comes_seeded_is_edited_and_is_checked_when_charting(backend) {
        use cuspid::clinical::chart::catalogue::{Needs, ProcedureDto};
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dentist = t.staff("dr-pop", Role::Dentist).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[3].new_patient()).await.unwrap();
        let catalogue = t.clinic.clinical().procedures(&dentist).await.unwrap();
        assert_eq!(catalogue.len(), 15, "{backend:?}: the default set");
        let owner = t.staff("dr-ionescu", Role::Owner).await;
        assert_eq!(t.clinic.clinical().procedures(&owner).await.unwrap(), catalogue, "who keeps the catalogue reads it");
        assert_eq!(t.clinic.clinical().procedures(&recep).await.unwrap_err().kind(), "auth.permission_denied");
        let composite = catalogue.iter().find(|c| c.code == "restoration.composite").unwrap();
        assert_eq!(composite.name_ro, "Obturație din compozit");
        assert_eq!((composite.fee_bani, composite.needs), (30_000, Needs::Surfaces));

        let mut no_surface = entry(36, filling(ProcedureState::Planned), "2025-01-10", None);
        no_surface.surfaces.clear();
        assert_eq!(t.clinic.clinical().chart_add(&dentist, p.id, no_surface).await.unwrap_err().kind(), "input.invalid");
        let magic = Finding::Procedure { code: "magic.cure".into(), state: ProcedureState::Planned };
        let unknown = entry(36, magic, "2025-01-10", None);
        assert_eq!(t.clinic.clinical().chart_add(&dentist, p.id, unknown).await.unwrap_err().kind(), "input.invalid");

        let onlay = ProcedureDto {
            code: "restoration.onlay_ceramic".into(),
            name_ro: "Onlay ceramic".into(),
            name_en: "Ceramic onlay".into(),
            fee_bani: 150_000,
            needs: Needs::Surfaces,
            active: true,
        };
        for bad in [
            ProcedureDto { code: "Onlay Ceramic".into(), ..onlay.clone() },
            ProcedureDto { name_en: " ".into(), ..onlay.clone() },
            ProcedureDto { fee_bani: -1, ..onlay.clone() },
        ] {
            assert_eq!(t.clinic.clinical().save_procedure(&dentist, bad).await.unwrap_err().kind(), "input.invalid");
        }
        let denied = t.clinic.clinical().save_procedure(&recep, onlay.clone()).await.unwrap_err();
        assert_eq!(denied.kind(), "auth.permission_denied");
        t.clinic.clinical().save_procedure(&dentist, onlay.clone()).await.unwrap();
        let cheaper =
            t.clinic.clinical().save_procedure(&dentist, ProcedureDto { fee_bani: 140_000, ..onlay }).await.unwrap();
        assert_eq!(cheaper.fee_bani, 140_000);
        assert_eq!(t.clinic.clinical().procedures(&dentist).await.unwrap().len(), 16, "changed, not added twice");
        let onlay_planned =
            Finding::Procedure { code: "restoration.onlay_ceramic".into(), state: ProcedureState::Planned };
        t.clinic.clinical().chart_add(&dentist, p.id, entry(26, onlay_planned, "2025-01-10", None)).await.unwrap();
    }
}
