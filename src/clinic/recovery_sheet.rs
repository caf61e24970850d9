//! The recovery-key sheet printed at set-up: the key, large, and what to do with it.

use chrono::NaiveDate;

use crate::documents::{Document, Language, Span};
use crate::error::{Error, Result};
use crate::rules::Rule;

/// Groups of the key per printed line: 8 groups of 4 make two lines of 19 characters.
const GROUPS_PER_LINE: usize = 4;

/// The printable recovery-key sheet of a clinic, as PDF bytes.
///
/// The bytes hold the recovery key in clear: hand them straight to the printer or
/// to the file the person chose, never to a log, a cache or the clinic's database.
pub fn recovery_key_sheet(
    clinic_name: &str,
    recovery_key: &str,
    created: NaiveDate,
    lang: Language,
) -> Result<Vec<u8>> {
    let key = recovery_key.trim();
    if key.is_empty() {
        return Err(Error::InvalidInput(Rule::RecoveryKeyEmpty));
    }
    let groups: Vec<&str> = key.split('-').collect();
    let lines: Vec<String> = groups.chunks(GROUPS_PER_LINE).map(|c| c.join("-")).collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let t = Texts::of(lang);

    let mut doc = Document::new(lang, t.title)
        .field(t.clinic, clinic_name)
        .field(t.created, &lang.long_date(created))
        .space_mm(2.0)
        .code_box(&lines)
        .heading(t.what_heading)
        .paragraph(t.what);
    doc = doc.heading(t.keep_heading);
    for item in t.keep {
        doc = doc.bullet(item);
    }
    doc = doc.heading(t.use_heading).bullet_spans(vec![
        Span::plain(t.run_before),
        Span::mono(t.command),
        Span::plain(t.run_after),
    ]);
    for item in t.use_more {
        doc = doc.bullet(item);
    }
    doc = doc.heading(t.handover_heading);
    for label in t.handover {
        doc = doc.fill_in(label);
    }
    doc.to_pdf_bytes()
}

/// Everything the sheet says, in one language.
struct Texts {
    title: &'static str,
    clinic: &'static str,
    created: &'static str,
    what_heading: &'static str,
    what: &'static str,
    keep_heading: &'static str,
    keep: [&'static str; 5],
    use_heading: &'static str,
    run_before: &'static str,
    command: &'static str,
    run_after: &'static str,
    use_more: [&'static str; 2],
    handover_heading: &'static str,
    handover: [&'static str; 3],
}

impl Texts {
    fn of(lang: Language) -> &'static Texts {
        match lang {
            Language::Ro => &RO,
            Language::En => &EN,
        }
    }
}

static RO: Texts = Texts {
    title: "Cheie de recuperare",
    clinic: "Clinica",
    created: "Data creării",
    what_heading: "Ce este această cheie",
    what: "Cheia de recuperare este singura cale de a stabili o nouă parolă de administrator în Cuspid \
           dacă toate parolele s-au pierdut. Cine o are poate prelua administrarea clinicii și poate \
           deschide datele pacienților, așa că păziți-o ca pe cheia unui seif.",
    keep_heading: "Cum o păstrați",
    keep: [
        "Păstrați foaia sub cheie, de exemplu în seiful clinicii sau într-un plic sigilat, și nu o lăsați \
         la îndemâna oricui.",
        "Nu o fotografiați, nu o scanați și nu o salvați pe calculatoarele clinicii, pe telefon, în e-mail \
         sau în cloud.",
        "Dacă foaia a fost salvată ca fișier PDF pentru tipărire, ștergeți fișierul imediat ce ați \
         tipărit-o.",
        "Încredințați-o titularului clinicii sau unei persoane de încredere desemnate de acesta, nu cuiva \
         care lucrează zilnic în Cuspid.",
        "Cuspid a afișat această cheie o singură dată, la configurare, și nu o mai poate afișa. Nimeni nu o \
         poate reface, nici furnizorul programului.",
    ],
    use_heading: "Cum o folosiți",
    run_before: "Dacă niciun administrator nu mai poate intra în Cuspid, rulați pe un calculator al clinicii \
                 comanda ",
    command: "cuspid recover --admin-user NUME",
    run_after: " (NUME este contul de administrator care primește parola nouă) sau deschideți ecranul de \
                recuperare din aplicație.",
    use_more: [
        "Tastați cheia când vi se cere; literele mari sau mici, spațiile și cratimele nu contează.",
        "Alegeți apoi noua parolă a administratorului și autentificați-vă cu ea. Cheia rămâne valabilă: \
         puneți foaia înapoi sub cheie.",
    ],
    handover_heading: "Predare",
    handover: ["Predată lui (nume, funcție):", "Data și semnătura:", "Locul păstrării:"],
};

static EN: Texts = Texts {
    title: "Recovery key",
    clinic: "Clinic",
    created: "Created",
    what_heading: "What this key is",
    what: "The recovery key is the only way to set a new administrator password in Cuspid if every \
           password is lost. Whoever holds it can take over the clinic's administration and open its \
           patients' data, so guard it like the key to a safe.",
    keep_heading: "How to keep it",
    keep: [
        "Keep this sheet locked away, for example in the clinic's safe or in a sealed envelope, and never \
         leave it where anyone could pick it up.",
        "Never photograph or scan it, and never save it on the clinic's computers, on a phone, in e-mail \
         or in the cloud.",
        "If this sheet was saved as a PDF file to be printed, delete the file as soon as it is printed.",
        "Give it to the owner of the practice or to a trusted person they name, not to someone who works \
         in Cuspid every day.",
        "Cuspid showed this key once, at set-up, and cannot show it again. Nobody can recreate it, not even \
         the software's supplier.",
    ],
    use_heading: "How to use it",
    run_before: "If no administrator can log in to Cuspid any more, run ",
    command: "cuspid recover --admin-user NAME",
    run_after: " on one of the clinic's computers (NAME is the administrator account that gets the new \
                password), or open the recovery screen in the app.",
    use_more: [
        "Type the key when asked; capitals, spaces and dashes do not matter.",
        "Then choose the administrator's new password and log in with it. The key stays valid, so put the \
         sheet back under lock and key.",
    ],
    handover_heading: "Handed over",
    handover: ["Given to (name, role):", "Date and signature:", "Kept at:"],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romanian_texts_use_comma_below_letters_only() {
        // ş and ţ (cedilla) are the legacy look-alikes; Romanian spelling uses ș and ț.
        let all = [RO.title, RO.what, RO.run_before, RO.run_after]
            .into_iter()
            .chain(RO.keep)
            .chain(RO.use_more)
            .chain(RO.handover)
            .collect::<String>();
        assert!(!all.contains(['ş', 'ţ', 'Ş', 'Ţ']), "cedilla forms in the Romanian text");
        assert!(all.contains('ș') && all.contains('ț'));
    }

    #[test]
    fn an_empty_key_is_refused() {
        let date = NaiveDate::from_ymd_opt(2026, 1, 2).expect("date");
        let err = recovery_key_sheet("Clinica", "  ", date, Language::Ro).unwrap_err();
        assert_eq!(err.kind(), "input.invalid");
    }
}
