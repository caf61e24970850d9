//! The two letters of a personal-data breach: the notice to the supervisory
//! authority with what Art. 33(3) requires, and the letter in plain words to each
//! person affected (Art. 34(2)).

use chrono::NaiveDate;

use crate::admin::profile::ClinicProfile;
use crate::documents::{
    AUTHORITY_EN, AUTHORITY_RO, Document, Language, Recipient, letter, local_time as when,
};
use crate::error::Result;
use crate::gdpr::breaches::{BreachDto, Risk, category_words};

fn nature_words(nature: &[String], lang: Language) -> String {
    nature
        .iter()
        .map(|n| match (lang, n.as_str()) {
            (Language::Ro, "confidentiality") => {
                "confidențialitate (date văzute sau luate de cine nu trebuia)"
            }
            (Language::Ro, "integrity") => "integritate (date modificate fără drept)",
            (Language::Ro, "availability") => "disponibilitate (date pierdute sau inaccesibile)",
            (Language::En, "confidentiality") => {
                "confidentiality (data seen or taken by someone not entitled)"
            }
            (Language::En, "integrity") => "integrity (data altered without right)",
            (Language::En, "availability") => "availability (data lost or out of reach)",
            (_, other) => other,
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The notice to ANSPDCP (Art. 33(3)) as PDF bytes.
pub fn authority_notice(clinic: &ClinicProfile, b: &BreachDto, lang: Language) -> Result<Vec<u8>> {
    let today = chrono::Local::now().date_naive();
    let (authority, address) = match lang {
        Language::Ro => {
            ("Autoritatea Națională de Supraveghere a Prelucrării Datelor cu Caracter Personal", AUTHORITY_RO)
        }
        Language::En => {
            ("The National Supervisory Authority for Personal Data Processing (ANSPDCP)", AUTHORITY_EN)
        }
    };
    let to = Recipient { name: authority.into(), address: Some(address.into()), on_behalf_of: None };
    let period = match (&b.occurred_from, &b.occurred_to) {
        (Some(f), Some(t)) => format!("{} – {}", when(f), when(t)),
        (Some(f), None) => when(f),
        _ => match lang {
            Language::Ro => "necunoscută".into(),
            Language::En => "unknown".into(),
        },
    };
    let notified = b.authority_notified_at.as_deref().map(when).unwrap_or_default();
    let doc = match lang {
        Language::Ro => {
            let mut d = letter(
                lang,
                "Notificarea încălcării securității datelor cu caracter personal (art. 33 GDPR)",
                clinic,
                &to,
                today,
            )
            .field("Referința incidentului", &b.reference)
            .field("Descoperit la", &when(&b.discovered_at))
            .field("Perioada încălcării", &period)
            .field("Notificat la", &notified)
            .heading("a) Natura încălcării")
            .field("Tipul", &nature_words(&b.nature, lang))
            .paragraph(&b.description)
            .field("Categoriile de date vizate", &category_words(&b.data_categories, lang))
            .field("Numărul aproximativ de persoane vizate", &b.subjects_count.to_string())
            .field("Numărul aproximativ de înregistrări vizate", &b.records_count.to_string());
            if let Some(scope) = &b.scope {
                d = d.field("Cum au fost identificate", &scope.words(lang));
            }
            d = d
                .heading("b) Persoana de contact")
                .paragraph(&format!("Responsabilul cu protecția datelor: {}", clinic.dpo.line()))
                .heading("c) Consecințele probabile")
                .paragraph(&b.consequences)
                .heading("d) Măsurile luate sau propuse")
                .field("Luate", &b.measures_taken)
                .field("Propuse", &b.measures_proposed)
                .heading("Informarea persoanelor vizate (art. 34)")
                .paragraph(match b.risk {
                    Risk::High => "Considerăm că încălcarea prezintă un risc ridicat; informăm fiecare persoană vizată prin scrisoare.",
                    _ => "Nu considerăm că încălcarea prezintă un risc ridicat pentru drepturile persoanelor vizate; nu le informăm individual.",
                });
            if let Some(r) = &b.late_reason {
                d = d.heading("Motivele întârzierii (art. 33 alin. (1))").paragraph(r);
            }
            d.paragraph(&format!("Cu stimă,\n{}\npentru {}", clinic.dpo.name, clinic.name))
        }
        Language::En => {
            let mut d =
                letter(lang, "Notification of a personal data breach (Art. 33 GDPR)", clinic, &to, today)
                    .field("Breach reference", &b.reference)
                    .field("Discovered on", &when(&b.discovered_at))
                    .field("Period of the breach", &period)
                    .field("Notified on", &notified)
                    .heading("a) Nature of the breach")
                    .field("Kind", &nature_words(&b.nature, lang))
                    .paragraph(&b.description)
                    .field("Categories of data concerned", &category_words(&b.data_categories, lang))
                    .field("Approximate number of data subjects", &b.subjects_count.to_string())
                    .field("Approximate number of records", &b.records_count.to_string());
            if let Some(scope) = &b.scope {
                d = d.field("How they were identified", &scope.words(lang));
            }
            d = d
                .heading("b) Contact point")
                .paragraph(&format!("Data protection officer: {}", clinic.dpo.line()))
                .heading("c) Likely consequences")
                .paragraph(&b.consequences)
                .heading("d) Measures taken or proposed")
                .field("Taken", &b.measures_taken)
                .field("Proposed", &b.measures_proposed)
                .heading("Communication to the data subjects (Art. 34)")
                .paragraph(match b.risk {
                    Risk::High => "We consider the breach likely to result in a high risk; we are writing to each person affected.",
                    _ => "We do not consider the breach likely to result in a high risk to the rights of the people affected; we are not writing to them individually.",
                });
            if let Some(r) = &b.late_reason {
                d = d.heading("Reasons for the delay (Art. 33(1))").paragraph(r);
            }
            d.paragraph(&format!("Yours faithfully,\n{}\nfor {}", clinic.dpo.name, clinic.name))
        }
    };
    doc.to_pdf_bytes()
}

/// The letter to one person affected (Art. 34(2)), in plain words.
pub fn subject_letter(
    clinic: &ClinicProfile,
    to: &Recipient,
    b: &BreachDto,
    today: NaiveDate,
    lang: Language,
) -> Document {
    match lang {
        Language::Ro => letter(lang, "Un incident de securitate v-a afectat datele personale", clinic, to, today)
            .paragraph(&format!("Stimată doamnă / Stimate domn {},", to.name))
            .paragraph(&format!(
                "Vă scriem pentru că la {} am descoperit un incident de securitate care a afectat datele \
                 dumneavoastră personale păstrate de cabinetul nostru. Legea ne cere să vă spunem, și vrem să \
                 știți exact ce s-a întâmplat.",
                when(&b.discovered_at)
            ))
            .heading("Ce s-a întâmplat")
            .paragraph(&b.description)
            .heading("Ce date sunt vizate")
            .paragraph(&category_words(&b.data_categories, lang))
            .heading("Ce poate însemna pentru dumneavoastră")
            .paragraph(&b.consequences)
            .heading("Ce am făcut și ce vom face")
            .paragraph(&b.measures_taken)
            .paragraph(&b.measures_proposed)
            .heading("Ce puteți face")
            .paragraph(
                "Fiți atent(ă) la telefoane, mesaje sau e-mailuri care par să vină de la noi și vă cer date sau \
                 bani: nu vă vom cere niciodată parole sau date de card. Dacă observați ceva neobișnuit, \
                 spuneți-ne imediat.",
            )
            .paragraph(&format!(
                "Pentru orice întrebare, responsabilul nostru cu protecția datelor vă stă la dispoziție: {}. \
                 Aveți dreptul să depuneți o plângere la {AUTHORITY_RO}.",
                clinic.dpo.line()
            ))
            .paragraph(&format!("Ne pare rău pentru acest incident. Cu stimă,\n{}\npentru {}", clinic.dpo.name, clinic.name)),
        Language::En => letter(lang, "A security incident affected your personal data", clinic, to, today)
            .paragraph(&format!("Dear {},", to.name))
            .paragraph(&format!(
                "We are writing because on {} we discovered a security incident that affected personal data \
                 about you held by our clinic. The law requires us to tell you, and we want you to know \
                 exactly what happened.",
                when(&b.discovered_at)
            ))
            .heading("What happened")
            .paragraph(&b.description)
            .heading("What data is concerned")
            .paragraph(&category_words(&b.data_categories, lang))
            .heading("What it may mean for you")
            .paragraph(&b.consequences)
            .heading("What we have done and will do")
            .paragraph(&b.measures_taken)
            .paragraph(&b.measures_proposed)
            .heading("What you can do")
            .paragraph(
                "Be wary of calls, messages or e-mails that seem to come from us and ask for data or money: we \
                 will never ask for passwords or card details. If you notice anything unusual, tell us at once.",
            )
            .paragraph(&format!(
                "For any question, our data protection officer is at your disposal: {}. You have the right to \
                 lodge a complaint with {AUTHORITY_EN}.",
                clinic.dpo.line()
            ))
            .paragraph(&format!("We are sorry for this incident. Yours sincerely,\n{}\nfor {}", clinic.dpo.name, clinic.name)),
    }
}
