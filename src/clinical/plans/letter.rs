//! The treatment plan the patient takes home: each option with its phases, items,
//! fees and totals, what was decided, and lines to sign.

use chrono::NaiveDate;

use crate::admin::profile::ClinicProfile;
use crate::clinical::chart::{Surface, Tooth};
use crate::clinical::plans::{DecisionMethod, PlanDto, PlanItemDto};
use crate::documents::{Language, Recipient, Span, letter};
use crate::error::Result;

/// An amount in bani as the reader writes money: `1.234,50 lei` or `RON 1,234.50`.
pub fn money(bani: i64, lang: Language) -> String {
    let (lei, cents) = (bani / 100, (bani % 100).abs());
    let digits = lei.abs().to_string();
    let sep = if lang == Language::Ro { '.' } else { ',' };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(sep);
        }
        grouped.push(c);
    }
    let sign = if bani < 0 { "-" } else { "" };
    match lang {
        Language::Ro => format!("{sign}{grouped},{cents:02} lei"),
        Language::En => format!("{sign}RON {grouped}.{cents:02}"),
    }
}

fn surface_word(s: Surface, tooth: Tooth, lang: Language) -> &'static str {
    let en = s.name(tooth);
    if lang == Language::En {
        return en;
    }
    match en {
        "mesial" => "mezial",
        "occlusal" => "ocluzal",
        "incisal" => "incizal",
        "buccal" | "labial" => "vestibular",
        "palatal" => "palatinal",
        other => other,
    }
}

fn item_line(i: &PlanItemDto, lang: Language) -> Vec<Span> {
    let name = if lang == Language::Ro { &i.name_ro } else { &i.name_en };
    let mut place = String::new();
    if let Some(t) = i.tooth.and_then(|t| Tooth::new(t).ok()) {
        let tooth_word = if lang == Language::Ro { "dintele" } else { "tooth" };
        place = format!(" ({tooth_word} {}", t.number());
        if !i.surfaces.is_empty() {
            let words: Vec<&str> = i.surfaces.iter().map(|s| surface_word(*s, t, lang)).collect();
            place.push_str(&format!(", {}", words.join(", ")));
        }
        place.push(')');
    }
    let mut spans = vec![Span::plain(format!("{name}{place}: ")), Span::bold(money(i.fee_bani, lang))];
    if let Some(n) = &i.note {
        spans.push(Span::plain(format!(" ({n})")));
    }
    spans
}

/// The plan as PDF bytes.
pub fn treatment_plan(
    clinic: &ClinicProfile,
    to: &Recipient,
    plan: &PlanDto,
    today: NaiveDate,
    lang: Language,
) -> Result<Vec<u8>> {
    let ro = lang == Language::Ro;
    let title = if ro { "Plan de tratament" } else { "Treatment plan" };
    let intro = if ro {
        "Vă prezentăm planul de tratament propus după examinare. Prima variantă este cea recomandată; \
         celelalte sunt alternative. Tarifele sunt cele ale cabinetului la data planului și pot fi revizuite \
         dacă în timpul tratamentului apar constatări noi, după ce vă explicăm de ce."
    } else {
        "This is the treatment plan proposed after your examination. The first option is the one we \
         recommend; the others are alternatives. Fees are the clinic's on the date of the plan and may be \
         revised if new findings arise during treatment, after we explain why."
    };
    let mut doc = letter(lang, title, clinic, to, today)
        .field("Plan", &plan.title)
        .field(if ro { "Întocmit la" } else { "Written on" }, &plan.created_on)
        .paragraph(intro);
    for (k, o) in plan.options.iter().enumerate() {
        let label = match (ro, k) {
            (true, 0) => format!("Varianta recomandată: {}", o.title),
            (true, _) => format!("Alternativa {k}: {}", o.title),
            (false, 0) => format!("Recommended option: {}", o.title),
            (false, _) => format!("Alternative {k}: {}", o.title),
        };
        doc = doc.heading(&label);
        for (n, p) in o.phases.iter().enumerate() {
            let phase = if ro {
                format!("Etapa {}: {}", n + 1, p.name)
            } else {
                format!("Phase {}: {}", n + 1, p.name)
            };
            doc = doc.paragraph_spans(vec![Span::bold(phase)]);
            for i in &p.items {
                doc = doc.bullet_spans(item_line(i, lang));
            }
            let subtotal = if ro { "Total etapă" } else { "Phase total" };
            doc = doc.field(subtotal, &money(p.total_bani, lang));
        }
        let total = if ro { "Total variantă" } else { "Option total" };
        doc = doc.paragraph_spans(vec![Span::bold(format!("{total}: {}", money(o.total_bani, lang)))]);
    }
    if let Some(n) = &plan.note {
        doc = doc.heading(if ro { "Observații" } else { "Notes" }).paragraph(n);
    }
    doc = doc.heading(if ro { "Acordul pacientului" } else { "The patient's decision" });
    match &plan.decision {
        Some(d) => {
            let how = match (d.how, ro) {
                (DecisionMethod::SignedPaper, true) => "prin semnătură pe plan",
                (DecisionMethod::SignedPaper, false) => "by signing the plan",
                (DecisionMethod::Verbal, true) => "verbal, la cabinet",
                (DecisionMethod::Verbal, false) => "verbally, at the clinic",
            };
            let what = match (d.option, ro) {
                (Some(o), true) => format!("a acceptat varianta {}", o + 1),
                (Some(o), false) => format!("accepted option {}", o + 1),
                (None, true) => "a refuzat planul".to_owned(),
                (None, false) => "declined the plan".to_owned(),
            };
            doc = doc.paragraph(&format!("{} {what} ({how}), {}.", d.by, d.date));
        }
        None => {
            let text = if ro {
                "Am primit explicațiile despre tratament, variante, riscuri și costuri. Accept varianta:"
            } else {
                "I have been told about the treatment, its options, risks and costs. I accept the option:"
            };
            doc = doc
                .paragraph(text)
                .fill_in(if ro { "Varianta" } else { "Option" })
                .fill_in(if ro { "Nume și semnătură" } else { "Name and signature" })
                .fill_in(if ro { "Data" } else { "Date" });
        }
    }
    doc.to_pdf_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_the_readers_way() {
        assert_eq!(money(123_450, Language::Ro), "1.234,50 lei");
        assert_eq!(money(123_450, Language::En), "RON 1,234.50");
        assert_eq!(money(30_000, Language::Ro), "300,00 lei");
        assert_eq!(money(5, Language::En), "RON 0.05");
        assert_eq!(money(100_000_000, Language::Ro), "1.000.000,00 lei");
    }
}
