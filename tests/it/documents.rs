//! Printable documents read back the way a person or a program would read them
//! (`pdf::Pdf`, through poppler): the recovery sheet, wrapping, page breaks,
//! footers and margins. No database, no clinic.

use chrono::NaiveDate;
use cuspid::clinic::recovery_key_sheet;
use cuspid::crypto::RecoveryKey;
use cuspid::documents::{Document, Language, Margins};

use crate::pdf::{Pdf, flat};

const CLINIC: &str = "Clinica Dentară Ștefănești Țăndărei";
const MM: f64 = 72.0 / 25.4;
/// pdftotext rounds coordinates; half a point is far below anything visible.
const SLACK: f64 = 0.5;

fn created() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).expect("a real date")
}

/// Every word lies inside the margins; below the bottom margin there is only the footer.
fn assert_within_margins(pdf: &Pdf, margins: Margins, footer_words: &[&str]) {
    for w in pdf.words() {
        let right_edge = w.page_width - margins.right_mm as f64 * MM;
        assert!(
            w.x_max <= right_edge + SLACK,
            "page {}: {:?} ends at x={:.2}, past the right margin at {right_edge:.2}",
            w.page,
            w.text,
            w.x_max
        );
        assert!(
            w.x_min >= margins.left_mm as f64 * MM - SLACK,
            "page {}: {:?} starts left of the margin",
            w.page,
            w.text
        );
        let bottom_edge = w.page_height - margins.bottom_mm as f64 * MM;
        if w.y_max > bottom_edge + SLACK {
            assert!(
                footer_words.contains(&w.text.as_str()) || w.text.parse::<usize>().is_ok(),
                "page {}: {:?} runs into the bottom margin (y={:.2} > {bottom_edge:.2}): only the footer belongs there",
                w.page,
                w.text,
                w.y_max
            );
        }
    }
}

/// The key's lines as printed: consecutive lines of the text that join back into it.
fn printed_key_lines(text: &str, key: &str) -> Vec<String> {
    let first_group = key.split('-').next().expect("a group");
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let start =
        lines.iter().position(|l| l.starts_with(first_group)).expect("the key's first line is printed");
    let mut joined = String::new();
    let mut taken = Vec::new();
    for line in &lines[start..] {
        if joined.len() >= key.len() {
            break;
        }
        if !joined.is_empty() {
            joined.push('-');
        }
        joined.push_str(line);
        taken.push((*line).to_owned());
    }
    assert_eq!(joined, key, "the key's lines, joined at group boundaries, are the key exactly");
    taken
}

#[test]
fn romanian_recovery_sheet_reads_back_with_key_and_diacritics_intact() {
    let key = RecoveryKey::generate().display();
    let pdf = Pdf::new(&recovery_key_sheet(CLINIC, &key, created(), Language::Ro).expect("sheet renders"));
    let text = pdf.text();
    let flat_text = flat(&text);

    assert!(
        text.lines().next().is_some_and(|l| l.trim() == "Cheie de recuperare"),
        "the title comes first:\n{text}"
    );
    assert!(
        flat_text.contains(&format!("Clinica: {CLINIC}")),
        "the clinic name with ă, ș, ț survives:\n{text}"
    );
    assert!(flat_text.contains("Data creării: 25 noiembrie 2026"), "the date is spelled out:\n{text}");

    let lines = printed_key_lines(&text, &key);
    assert_eq!(lines.len(), 2, "8 groups print as two lines of 4");
    assert!(lines.iter().all(|l| l.split('-').count() == 4), "lines break between groups: {lines:?}");
    let typed_back = RecoveryKey::parse(&lines.join(" ")).expect("what is printed can be typed back");
    assert_eq!(typed_back.display(), key, "and it is the same key");

    for sentence in [
        // ș ț ă î â all in one instruction.
        "Păstrați foaia sub cheie, de exemplu în seiful clinicii sau într-un plic sigilat, și nu o lăsați la îndemâna oricui.",
        "Nu o fotografiați, nu o scanați și nu o salvați pe calculatoarele clinicii, pe telefon, în e-mail sau în cloud.",
        "Cuspid a afișat această cheie o singură dată, la configurare, și nu o mai poate afișa.",
        "Dacă foaia a fost salvată ca fișier PDF pentru tipărire, ștergeți fișierul imediat ce ați tipărit-o.",
        "comanda cuspid recover --admin-user NUME (NUME este contul de administrator care primește parola nouă)",
    ] {
        assert!(flat_text.contains(sentence), "instruction missing or garbled: {sentence:?}\n{text}");
    }
    assert!(
        !text.contains(['ş', 'ţ', 'Ş', 'Ţ', '\u{FFFD}']),
        "no cedilla look-alikes, no replacement characters"
    );
    assert_eq!(pdf.pages(), 1, "the sheet is one page, so nothing of it can go astray");
    assert!(flat_text.ends_with("pagina 1 din 1"), "Romanian footer:\n{text}");
    assert_within_margins(&pdf, Margins::default(), &["pagina", "din"]);
}

#[test]
fn english_recovery_sheet_has_english_title_and_instructions() {
    let key = RecoveryKey::generate().display();
    let pdf = Pdf::new(&recovery_key_sheet(CLINIC, &key, created(), Language::En).expect("sheet renders"));
    let text = pdf.text();
    let flat_text = flat(&text);

    assert!(
        text.lines().next().is_some_and(|l| l.trim() == "Recovery key"),
        "the title comes first:\n{text}"
    );
    assert!(flat_text.contains(&format!("Clinic: {CLINIC}")), "{text}");
    assert!(flat_text.contains("Created: 25 November 2026"), "{text}");
    printed_key_lines(&text, &key);
    for sentence in [
        "The recovery key is the only way to set a new administrator password in Cuspid if every password is lost.",
        "run cuspid recover --admin-user NAME on one of the clinic's computers",
        "Cuspid showed this key once, at set-up, and cannot show it again.",
        "If this sheet was saved as a PDF file to be printed, delete the file as soon as it is printed.",
    ] {
        assert!(flat_text.contains(sentence), "instruction missing: {sentence:?}\n{text}");
    }
    assert!(!flat_text.contains("Cheie"), "no Romanian left in the English sheet");
    assert_eq!(pdf.pages(), 1);
    assert!(flat_text.ends_with("page 1 of 1"), "{text}");
    assert_within_margins(&pdf, Margins::default(), &["page", "of"]);
}

#[test]
fn a_key_of_another_shape_still_fits_the_frame() {
    // One long group (no dashes) cannot wrap: the type shrinks to stay inside the margins.
    let key = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOP";
    let pdf = Pdf::new(&recovery_key_sheet("Cabinet", key, created(), Language::En).expect("renders"));
    assert!(pdf.text().lines().any(|l| l.trim() == key), "printed whole on one line");
    assert_within_margins(&pdf, Margins::default(), &["page", "of"]);
}

/// A paragraph of `words` words of Romanian text.
fn long_paragraph(seed: usize, words: usize) -> String {
    const VOCABULARY: [&str; 12] = [
        "pacientul",
        "își",
        "exercită",
        "dreptul",
        "de",
        "acces",
        "la",
        "datele",
        "înregistrate",
        "în",
        "fișa",
        "stomatologică",
    ];
    (0..words).map(|i| VOCABULARY[(i * 7 + seed) % VOCABULARY.len()]).collect::<Vec<_>>().join(" ")
}

#[test]
fn a_long_paragraph_wraps_onto_several_lines_inside_the_margins() {
    let paragraph = long_paragraph(1, 180);
    let pdf = Pdf::new(
        &Document::new(Language::Ro, "Răspuns la cererea de acces")
            .paragraph(&paragraph)
            .to_pdf_bytes()
            .expect("renders"),
    );
    let text = pdf.text();
    let body: Vec<&str> = text.lines().skip(1).filter(|l| !l.trim().starts_with("pagina")).collect();
    assert!(body.len() >= 8, "180 words take many lines, got {}:\n{text}", body.len());
    assert!(flat(&text).contains(&paragraph), "every word, in order, none split:\n{text}");
    assert_within_margins(&pdf, Margins::default(), &["pagina", "din"]);
    // Wrapped, not clipped: lines are filled to near the margin, not cut short.
    let right_edge = 595.276 - Margins::default().right_mm as f64 * MM;
    let widest = pdf.words().iter().map(|w| w.x_max).fold(0.0, f64::max);
    assert!(widest > right_edge - 60.0, "lines run close to the margin (widest ends at {widest:.1})");
}

#[test]
fn a_long_document_breaks_into_pages_numbered_n_of_m() {
    let mut doc = Document::new(Language::En, "Personal data breach notice");
    for i in 1..=30 {
        doc = doc.heading(&format!("Section {i}")).paragraph(&long_paragraph(i, 90));
        if i % 10 == 0 {
            doc = doc.bullet(&long_paragraph(i + 3, 40)).paragraph(&"Ș".repeat(300));
        }
    }
    let pdf = Pdf::new(&doc.to_pdf_bytes().expect("renders"));
    let pages = pdf.pages();
    assert!(pages >= 5, "30 sections of 90 words fill several pages, got {pages}");
    for n in 1..=pages {
        let page = pdf.page_text(n);
        let footer = format!("page {n} of {pages}");
        assert_eq!(flat(&page).matches(&footer).count(), 1, "page {n} carries {footer:?} once:\n{page}");
        assert!(page.trim_end().ends_with(&footer), "the footer is the last thing on page {n}");
    }
    let mut text = pdf.text();
    for n in 1..=pages {
        text = text.replace(&format!("page {n} of {pages}"), "");
    }
    let text = flat(&text);
    for i in 1..=30 {
        assert!(text.contains(&format!("Section {i} {}", long_paragraph(i, 90))), "section {i} is whole");
    }
    assert_eq!(text.matches('Ș').count(), 900, "a word wider than the page is cut, not dropped");
    assert_within_margins(&pdf, Margins::default(), &["page", "of"]);
}

#[test]
fn romanian_footers_and_custom_margins() {
    let margins = Margins { top_mm: 30.0, right_mm: 35.0, bottom_mm: 30.0, left_mm: 35.0 };
    let mut doc = Document::new(Language::Ro, "Notificare").margins(margins);
    for i in 0..12 {
        doc = doc.paragraph(&long_paragraph(i, 120));
    }
    let pdf = Pdf::new(&doc.to_pdf_bytes().expect("renders"));
    let pages = pdf.pages();
    assert!(pages >= 2, "twelve paragraphs need more than one narrow page");
    for n in 1..=pages {
        assert!(flat(&pdf.page_text(n)).ends_with(&format!("pagina {n} din {pages}")));
    }
    assert_within_margins(&pdf, margins, &["pagina", "din"]);
}
