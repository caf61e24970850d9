//! Treatment plans: built from the chart's planned procedures, options and phases
//! with totals, the patient's decision recorded once, progress read from the chart,
//! a PDF the patient takes home; bad plans refused with nothing stored.

#![allow(clippy::unwrap_used)]

use cuspid::Role;
use cuspid::clinical::chart::{Condition, Finding, NewChartEntry, ProcedureState, Surface};
use cuspid::clinical::plans::{
    DecisionMethod, NewPlan, OptionInput, PhaseInput, PlanDecision, PlanItemDto, PlanItemInput,
};
use cuspid::documents::Language;

use crate::pdf::{Pdf, flat};
use crate::support::{Backend, PEOPLE, TestClinic, backend_tests};

fn planned(tooth: u8, code: &str, surfaces: Vec<Surface>) -> NewChartEntry {
    NewChartEntry {
        tooth,
        surfaces,
        finding: Finding::Procedure { code: code.into(), state: ProcedureState::Planned },
        date: "2025-04-02".into(),
        note: None,
        supersedes: None,
    }
}

fn item(s: &PlanItemDto) -> PlanItemInput {
    PlanItemInput {
        chart_entry: s.chart_entry,
        code: s.code.clone(),
        tooth: s.tooth,
        surfaces: s.surfaces.clone(),
        fee_bani: None,
        note: None,
    }
}

fn plan(options: Vec<OptionInput>) -> NewPlan {
    NewPlan {
        title: "Reabilitare cadran 3-4".into(),
        options,
        note: Some("Igienizare înainte de coroană.".into()),
    }
}

backend_tests! {
    async fn a_plan_from_the_chart_is_accepted_printed_and_follows_the_work(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dentist = t.staff("dr-pop", Role::Dentist).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
        let caries = NewChartEntry {
            finding: Finding::Condition { condition: Condition::Caries, resolved: false },
            ..planned(36, "", vec![Surface::Occlusal])
        };
        t.clinic.clinical().chart_add(&dentist, p.id, caries).await.unwrap();
        let filling = t
            .clinic
            .clinical().chart_add(
                &dentist,
                p.id,
                planned(36, "restoration.composite", vec![Surface::Occlusal, Surface::Distal]),
            )
            .await
            .unwrap();
        t.clinic.clinical().chart_add(&dentist, p.id, planned(46, "crown.zirconia", vec![])).await.unwrap();

        let suggested = t.clinic.clinical().plan_suggestions(&dentist, p.id).await.unwrap();
        assert_eq!(suggested.len(), 2, "{backend:?}: the two planned procedures, not the caries");
        assert_eq!(suggested[0].fee_bani, 30_000, "the catalogue's fee");
        let (fill, crown) = (item(&suggested[0]), item(&suggested[1]));
        let cheaper =
            PlanItemInput { code: "crown.metal_ceramic".into(), chart_entry: None, ..crown.clone() };
        let options = vec![
            OptionInput {
                title: "Coroană din zirconiu".into(),
                phases: vec![
                    PhaseInput { name: "Obturații".into(), items: vec![fill.clone()] },
                    PhaseInput {
                        name: "Protetică".into(),
                        items: vec![PlanItemInput { fee_bani: Some(175_000), ..crown }],
                    },
                ],
            },
            OptionInput {
                title: "Coroană metalo-ceramică".into(),
                phases: vec![PhaseInput { name: "Tot tratamentul".into(), items: vec![fill, cheaper] }],
            },
        ];
        let saved = t.clinic.clinical().save_plan(&dentist, p.id, None, plan(options.clone())).await.unwrap();
        assert_eq!(saved.status, "draft");
        assert_eq!(saved.options[0].phases[1].total_bani, 175_000, "a fee set by hand");
        assert_eq!(saved.options[0].total_bani, 205_000);
        assert_eq!(saved.options[1].total_bani, 30_000 + 120_000, "the alternative, at catalogue fees");

        let mut renamed = plan(options);
        renamed.title = "Reabilitare 36, 46".into();
        let saved = t.clinic.clinical().save_plan(&dentist, p.id, Some(saved.id), renamed).await.unwrap();
        assert_eq!(saved.title, "Reabilitare 36, 46", "a draft is changed in place");

        let yes = PlanDecision {
            option: Some(1),
            by: "Maria Popescu".into(),
            how: DecisionMethod::SignedPaper,
            date: "2025-04-02".into(),
        };
        let accepted = t.clinic.clinical().decide_plan(&dentist, p.id, saved.id, yes.clone()).await.unwrap();
        assert_eq!(accepted.status, "accepted");
        let decision = accepted.decision.clone().unwrap();
        assert_eq!(
            (decision.option, decision.by.as_str(), decision.recorded_by.as_str()),
            (Some(1), "Maria Popescu", "dr-pop")
        );
        let again = t.clinic.clinical().decide_plan(&dentist, p.id, saved.id, yes).await.unwrap_err();
        assert_eq!(again.kind(), "input.invalid", "answered once");
        let edit = t.clinic.clinical().save_plan(&dentist, p.id, Some(saved.id), plan(vec![])).await.unwrap_err();
        assert_eq!(edit.kind(), "input.invalid");

        // The filling is done on the chart: the plan shows it.
        let done = NewChartEntry {
            finding: Finding::Procedure { code: "restoration.composite".into(), state: ProcedureState::Done },
            supersedes: Some(filling.id),
            ..planned(36, "restoration.composite", vec![Surface::Occlusal, Surface::Distal])
        };
        t.clinic.clinical().chart_add(&dentist, p.id, done).await.unwrap();
        let now = t.clinic.clinical().plans(&dentist, p.id).await.unwrap();
        assert_eq!(now.len(), 1);
        let states: Vec<_> = now[0].options[1].phases[0].items.iter().map(|i| i.state).collect();
        assert_eq!(states, [ProcedureState::Done, ProcedureState::Planned], "{backend:?}");

        let pdf = Pdf::new(&t.clinic.clinical().plan_pdf(&dentist, p.id, saved.id, None).await.unwrap());
        let text = flat(&pdf.text());
        for needle in [
            "Plan de tratament",
            "Reabilitare 36, 46",
            "Varianta recomandată: Coroană din zirconiu",
            "Alternativa 1: Coroană metalo-ceramică",
            "Obturație din compozit (dintele 36, distal, ocluzal): 300,00 lei",
            "Total variantă: 2.050,00 lei",
            "Maria Popescu a acceptat varianta 2",
            "Igienizare înainte de coroană.",
        ] {
            assert!(text.contains(needle), "{backend:?}: {needle:?} in {text}");
        }
        let en = flat(
            &Pdf::new(&t.clinic.clinical().plan_pdf(&dentist, p.id, saved.id, Some(Language::En)).await.unwrap()).text(),
        );
        assert!(en.contains("Option total: RON 2,050.00"), "{en}");
        assert_eq!(t.clinic.clinical().plans(&recep, p.id).await.unwrap_err().kind(), "auth.permission_denied");
    }
}

#[tokio::test]
async fn a_bad_plan_is_refused_and_nothing_is_stored() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dentist = t.staff("dr-pop", Role::Dentist).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[1].new_patient()).await.unwrap();
    let one = |i: PlanItemInput| {
        vec![OptionInput { title: "A".into(), phases: vec![PhaseInput { name: "1".into(), items: vec![i] }] }]
    };
    let filling = PlanItemInput {
        chart_entry: None,
        code: "restoration.composite".into(),
        tooth: Some(36),
        surfaces: vec![Surface::Occlusal],
        fee_bani: None,
        note: None,
    };
    let bad = [
        plan(vec![]),
        NewPlan { title: " ".into(), ..plan(one(filling.clone())) },
        plan(one(PlanItemInput { code: "no.such".into(), ..filling.clone() })),
        plan(one(PlanItemInput { surfaces: vec![], ..filling.clone() })),
        plan(one(PlanItemInput { tooth: None, ..filling.clone() })),
        plan(one(PlanItemInput { tooth: Some(19), ..filling.clone() })),
        plan(one(PlanItemInput { fee_bani: Some(-1), ..filling.clone() })),
        plan(one(PlanItemInput { chart_entry: Some(uuid::Uuid::now_v7()), ..filling.clone() })),
    ];
    for (k, b) in bad.into_iter().enumerate() {
        let e = t.clinic.clinical().save_plan(&dentist, p.id, None, b).await.unwrap_err();
        assert!(
            ["input.invalid", "not_found"].iter().any(|k| e.kind().starts_with(k)),
            "case {k}: {}",
            e.kind()
        );
    }
    assert!(t.clinic.clinical().plans(&dentist, p.id).await.unwrap().is_empty(), "nothing stored");
    let draft = t.clinic.clinical().save_plan(&dentist, p.id, None, plan(one(filling))).await.unwrap();
    let no_option = PlanDecision {
        option: Some(3),
        by: "Ion".into(),
        how: DecisionMethod::Verbal,
        date: "2025-04-02".into(),
    };
    assert_eq!(
        t.clinic.clinical().decide_plan(&dentist, p.id, draft.id, no_option).await.unwrap_err().kind(),
        "input.invalid"
    );
    let declined = PlanDecision {
        option: None,
        by: "Ion".into(),
        how: DecisionMethod::Verbal,
        date: "2025-04-02".into(),
    };
    assert_eq!(
        t.clinic.clinical().decide_plan(&dentist, p.id, draft.id, declined).await.unwrap().status,
        "declined"
    );
}

#[tokio::test]
async fn plans_are_exported_as_care_plans_and_kept_on_erasure() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dentist = t.staff("dr-pop", Role::Dentist).await;
    let dpo = t.staff("irina", Role::Dpo).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[2].new_patient()).await.unwrap();
    t.clinic.clinical().chart_add(&dentist, p.id, planned(11, "extraction.simple", vec![])).await.unwrap();
    let s = t.clinic.clinical().plan_suggestions(&dentist, p.id).await.unwrap();
    let options = vec![OptionInput {
        title: "Extracție".into(),
        phases: vec![PhaseInput { name: "1".into(), items: vec![item(&s[0])] }],
    }];
    t.clinic.clinical().save_plan(&dentist, p.id, None, plan(options)).await.unwrap();

    let exported = crate::support::export(&t, &dpo, p.id).await;
    let csv = exported.read("csv/treatment_plans.csv");
    assert!(csv.contains("extraction.simple 11 25000 bani") && csv.contains("draft"), "{csv}");
    let care = exported.of_type("CarePlan")[0];
    assert_eq!((care["status"].as_str(), care["intent"].as_str()), (Some("draft"), Some("plan")));
    assert_eq!(care["activity"][0]["detail"]["status"], "not-started");

    let erased = t.clinic.gdpr().erase_patient(&dpo, p.id, None).await.unwrap();
    let part = erased.parts.iter().find(|x| x.kind == "treatment_plans").unwrap();
    assert_eq!((part.erased, part.kept), (0, 1), "part of the medical record, re-sealed");
}
