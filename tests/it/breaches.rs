//! The breach register: the facts Art. 33(5) asks for, the finder over the audit
//! log (exactly the patients a staff account or a workstation touched in the
//! window, or everyone for a lost backup), the 72-hour clock, and the letters.

#![allow(clippy::unwrap_used)]

use cuspid::Role;
use cuspid::chrono::{Duration, SecondsFormat, Utc};
use cuspid::documents::Language;
use cuspid::gdpr::breaches::{AffectedScope, NewBreach, Risk};

use crate::pdf::{Pdf, flat};
use crate::support::{PEOPLE, TestClinic, backend_tests};

fn rfc3339(t: cuspid::chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn breach(discovered_hours_ago: i64) -> NewBreach {
    NewBreach {
        discovered_at: rfc3339(Utc::now() - Duration::hours(discovered_hours_ago)),
        occurred_from: None,
        occurred_to: None,
        nature: vec!["confidentiality".into()],
        description: "Un laptop al recepției a fost furat din mașină; sesiunea era deschisă.".into(),
        data_categories: "date de identificare și de contact".into(),
        consequences: "Risc de apeluri frauduloase în numele cabinetului.".into(),
        measures_taken: "Contul recepționerei a fost dezactivat, cheia cabinetului schimbată.".into(),
        measures_proposed: "Blocarea ecranului după 1 minut pe laptopuri.".into(),
        risk: Risk::High,
    }
}

backend_tests! {
    async fn the_finder_returns_exactly_the_patients_touched_in_the_window(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let ana = t.staff("ana", Role::Receptionist).await;
        let dan = t.staff("dan", Role::Receptionist).await;
        let dpo = t.staff("irina", Role::Dpo).await;
        let p: Vec<_> = {
            let mut v = Vec::new();
            for person in &PEOPLE {
                v.push(t.clinic.patients().register_patient(&dan, person.new_patient()).await.unwrap());
            }
            v
        };
        let from = Utc::now();
        t.clinic.patients().get_patient(&ana, p[0].id).await.unwrap();
        t.clinic.patients().get_patient(&ana, p[1].id).await.unwrap();
        t.clinic.patients().get_patient(&ana, p[1].id).await.unwrap();
        t.clinic.patients().get_patient(&dan, p[2].id).await.unwrap();
        let to = Utc::now();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        t.clinic.patients().get_patient(&ana, p[3].id).await.unwrap();

        assert_eq!(t.clinic.gdpr().open_breach(&ana, breach(1)).await.unwrap_err().kind(), "auth.permission_denied");
        let b = t.clinic.gdpr().open_breach(&dpo, breach(1)).await.unwrap();
        assert!(b.reference.ends_with("-001"), "{backend:?}: {}", b.reference);
        let scope = AffectedScope::Staff { username: "Ana".into(), from: rfc3339(from), to: rfc3339(to) };
        let found = t.clinic.gdpr().find_affected(&dpo, b.id, scope).await.unwrap();
        assert_eq!(
            (found.subjects_count, found.records_count),
            (2, 3),
            "{backend:?}: two people, three reads"
        );
        let people = t.clinic.gdpr().affected_people(&dpo, b.id).await.unwrap();
        let mut ids: Vec<_> = people.iter().map(|a| a.patient_id).collect();
        ids.sort();
        let mut want = vec![p[0].id, p[1].id];
        want.sort();
        assert_eq!(ids, want, "{backend:?}: not the one dan read, not the one read after the window");
        assert!(people.iter().any(|a| a.display_name == format!("{} {}", PEOPLE[0].last, PEOPLE[0].first)));

        let ws = AffectedScope::Workstation { name: "test-ws".into(), from: rfc3339(from), to: rfc3339(to) };
        assert_eq!(t.clinic.gdpr().find_affected(&dpo, b.id, ws).await.unwrap().subjects_count, 3);
        let all = t.clinic.gdpr().find_affected(&dpo, b.id, AffectedScope::AllPatients).await.unwrap();
        assert_eq!(all.subjects_count, 4, "a lost backup holds everyone");
        let backwards = AffectedScope::Staff { username: "ana".into(), from: rfc3339(to), to: rfc3339(from) };
        assert_eq!(t.clinic.gdpr().find_affected(&dpo, b.id, backwards).await.unwrap_err().kind(), "input.invalid");
    }
}

backend_tests! {
    async fn a_late_notice_needs_its_reason_and_the_letters_say_what_the_articles_ask(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("irina", Role::Dpo).await;
        let a = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
        let b = t.clinic.patients().register_patient(&recep, PEOPLE[3].new_patient()).await.unwrap();

        let mut bad = breach(1);
        bad.nature = vec!["leak".into()];
        assert_eq!(t.clinic.gdpr().open_breach(&dpo, bad).await.unwrap_err().kind(), "input.invalid");
        let mut future = breach(1);
        future.discovered_at = rfc3339(Utc::now() + Duration::hours(2));
        assert_eq!(t.clinic.gdpr().open_breach(&dpo, future).await.unwrap_err().kind(), "input.invalid");
        let mut empty = breach(1);
        empty.consequences = "  ".into();
        assert_eq!(t.clinic.gdpr().open_breach(&dpo, empty).await.unwrap_err().kind(), "input.invalid");
        assert!(t.clinic.gdpr().list_breaches(&dpo).await.unwrap().is_empty(), "{backend:?}: nothing stored");

        let late = t.clinic.gdpr().open_breach(&dpo, breach(80)).await.unwrap();
        assert!(late.overdue, "80 hours after discovery and not notified");
        assert_eq!(
            t.clinic.gdpr().notify_subjects(&dpo, late.id, Language::Ro).await.unwrap_err().kind(),
            "input.invalid",
            "nobody to write to before the finder ran"
        );
        let refused = t.clinic.gdpr().notify_authority(&dpo, late.id, None, Language::Ro).await.unwrap_err();
        assert_eq!(refused.kind(), "input.invalid");
        assert!(t.clinic.gdpr().breach(&dpo, late.id).await.unwrap().authority_notified_at.is_none());
        let notice = t
            .clinic
            .gdpr().notify_authority(&dpo, late.id, Some("Furtul a fost aflat abia după weekend."), Language::Ro)
            .await
            .unwrap();
        let text = flat(&Pdf::new(&notice).text());
        for element in [
            "Notificarea încălcării securității datelor cu caracter personal (art. 33 GDPR)",
            "a) Natura încălcării",
            "confidențialitate",
            "Numărul aproximativ de persoane vizate",
            "b) Persoana de contact",
            "Irina Matei",
            "c) Consecințele probabile",
            "apeluri frauduloase",
            "d) Măsurile luate sau propuse",
            "Motivele întârzierii",
            "abia după weekend",
            "Clinica Zâmbet",
        ] {
            assert!(text.contains(element), "{backend:?}: the notice lacks «{element}»: {text}");
        }
        let after = t.clinic.gdpr().breach(&dpo, late.id).await.unwrap();
        assert!(after.authority_notified_at.is_some() && !after.overdue);

        t.clinic.gdpr().find_affected(&dpo, late.id, AffectedScope::AllPatients).await.unwrap();
        let letters = t.clinic.gdpr().notify_subjects(&dpo, late.id, Language::Ro).await.unwrap();
        assert_eq!(letters.letters.len(), 2);
        for (id, pdf) in &letters.letters {
            let person = if *id == a.id { &PEOPLE[0] } else { &PEOPLE[3] };
            let text = flat(&Pdf::new(pdf).text());
            for element in [
                person.last,
                "Ce s-a întâmplat",
                "Ce date sunt vizate",
                "Ce poate însemna",
                "Ce am făcut",
                "ANSPDCP",
            ] {
                assert!(text.contains(element), "{backend:?}: a letter lacks «{element}»");
            }
            assert!(
                !text.contains(if *id == a.id { PEOPLE[3].last } else { PEOPLE[0].last }),
                "each letter names only its reader"
            );
        }
        let merged = Pdf::new(&letters.merged);
        assert!(merged.pages() >= 2, "one file with every letter for printing");
        let merged_text = flat(&merged.text());
        assert!(merged_text.contains(PEOPLE[0].last) && merged_text.contains(PEOPLE[3].last));
        let people = t.clinic.gdpr().affected_people(&dpo, late.id).await.unwrap();
        assert!(
            people.iter().all(|p| p.notified_at.is_some()),
            "{backend:?}: when each went out is recorded"
        );
        assert_eq!(t.clinic.gdpr().breach(&dpo, late.id).await.unwrap().subjects_notified, 2);
        let _ = b;
    }
}
