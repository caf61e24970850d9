//! Letters to data subjects, headed with the clinic's particulars and signed for
//! its data-protection contact. `letter` lays out what every letter shares; each
//! letter function adds its body in Romanian or English.

use chrono::NaiveDate;

use super::{Document, Lang};
use crate::error::Result;
use crate::profile::ClinicProfile;
use crate::requests::RequestKind;

/// Who a letter goes to: the patient, or the parent or guardian who asked for them.
#[derive(Clone)]
pub struct Recipient {
    pub name: String,
    pub address: Option<String>,
    /// The patient the letter is about, when it goes to their parent or guardian.
    pub on_behalf_of: Option<String>,
}

// A recipient is a person: never print them in logs.
impl std::fmt::Debug for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recipient").finish_non_exhaustive()
    }
}

/// The ANSPDCP, where a data subject may complain (Art. 77).
const AUTHORITY_RO: &str = "Autoritatea Națională de Supraveghere a Prelucrării Datelor cu Caracter \
                            Personal (ANSPDCP), B-dul G-ral. Gheorghe Magheru nr. 28-30, sector 1, \
                            010336 București, anspdcp@dataprotection.ro, www.dataprotection.ro";
const AUTHORITY_EN: &str = "the Romanian supervisory authority, ANSPDCP (Autoritatea Națională de \
                            Supraveghere a Prelucrării Datelor cu Caracter Personal), B-dul G-ral. \
                            Gheorghe Magheru nr. 28-30, sector 1, 010336 Bucharest, Romania, \
                            anspdcp@dataprotection.ro, www.dataprotection.ro";

/// The parts every letter shares: the clinic as sender, the recipient, the date.
fn letter(lang: Lang, title: &str, clinic: &ClinicProfile, to: &Recipient, today: NaiveDate) -> Document {
    let (from, numbers, dpo, date, to_label, about) = match lang {
        Lang::Ro => ("Expeditor", "Cod fiscal", "Protecția datelor", "Data", "Către", "Privind pacientul"),
        Lang::En => ("From", "Fiscal code", "Data protection", "Date", "To", "About the patient"),
    };
    let mut sender = vec![clinic.name.clone(), clinic.address.replace('\n', ", ")];
    sender.extend(clinic.phone.clone());
    sender.extend(clinic.email.clone());
    let mut numbers_line = clinic.fiscal_code.clone();
    if let Some(r) = &clinic.registry_number {
        numbers_line.push_str(&format!(", {r}"));
    }
    let mut recipient = vec![to.name.clone()];
    recipient.extend(to.address.as_ref().map(|a| a.replace('\n', ", ")));
    let mut doc = Document::new(lang, title)
        .field(from, &sender.join(", "))
        .field(numbers, &numbers_line)
        .field(dpo, &clinic.dpo.line())
        .space_mm(3.0)
        .field(to_label, &recipient.join(", "));
    if let Some(child) = &to.on_behalf_of {
        doc = doc.field(about, child);
    }
    doc.field(date, &lang.long_date(today)).space_mm(3.0)
}

fn kind_words(kind: RequestKind, lang: Lang) -> &'static str {
    match (lang, kind) {
        (Lang::Ro, RequestKind::Access) => "acces la datele dumneavoastră (art. 15 GDPR)",
        (Lang::Ro, RequestKind::Rectification) => "rectificarea datelor (art. 16 GDPR)",
        (Lang::Ro, RequestKind::Erasure) => "ștergerea datelor (art. 17 GDPR)",
        (Lang::Ro, RequestKind::Restriction) => "restricționarea prelucrării (art. 18 GDPR)",
        (Lang::Ro, RequestKind::Portability) => "portabilitatea datelor (art. 20 GDPR)",
        (Lang::Ro, RequestKind::Objection) => "opoziție la prelucrare (art. 21 GDPR)",
        (Lang::En, RequestKind::Access) => "access to your data (Art. 15 GDPR)",
        (Lang::En, RequestKind::Rectification) => "rectification of your data (Art. 16 GDPR)",
        (Lang::En, RequestKind::Erasure) => "erasure of your data (Art. 17 GDPR)",
        (Lang::En, RequestKind::Restriction) => "restriction of processing (Art. 18 GDPR)",
        (Lang::En, RequestKind::Portability) => "data portability (Art. 20 GDPR)",
        (Lang::En, RequestKind::Objection) => "objection to processing (Art. 21 GDPR)",
    }
}

/// What the clinic tells a person whose request needs more than a month (Art. 12(3)):
/// that it was received, why it takes longer, the new date, and where to complain.
pub struct Extension<'a> {
    pub kind: RequestKind,
    pub received: NaiveDate,
    pub due: NaiveDate,
    pub extended_to: NaiveDate,
    pub reason: &'a str,
}

impl std::fmt::Debug for Extension<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extension").field("kind", &self.kind).finish_non_exhaustive()
    }
}

/// The letter telling a person their request's deadline was extended, as PDF bytes.
pub fn extension_letter(
    clinic: &ClinicProfile,
    to: &Recipient,
    ext: &Extension<'_>,
    today: NaiveDate,
    lang: Lang,
) -> Result<Vec<u8>> {
    let kind = kind_words(ext.kind, lang);
    let (received, due, until) =
        (lang.long_date(ext.received), lang.long_date(ext.due), lang.long_date(ext.extended_to));
    let doc = match lang {
        Lang::Ro => letter(
            lang,
            "Prelungirea termenului de răspuns la cererea dumneavoastră",
            clinic,
            to,
            today,
        )
        .paragraph(&format!("Stimată doamnă / Stimate domn {},", to.name))
        .paragraph(&format!(
            "Am primit la {received} cererea dumneavoastră privind {kind}. Regulamentul general privind \
                 protecția datelor ne cere să vă răspundem în termen de o lună, adică până la {due}."
        ))
        .paragraph(&format!("Nu putem încheia răspunsul în acest termen din următorul motiv: {}", ext.reason))
        .paragraph(&format!(
            "Conform art. 12 alin. (3) din Regulament, prelungim termenul: veți primi răspunsul cel \
                 târziu la {until}. Dacă vom termina mai devreme, vă vom răspunde imediat."
        ))
        .paragraph(&format!(
            "Dacă nu sunteți mulțumit(ă) de felul în care tratăm cererea, aveți dreptul să depuneți o \
                 plângere la {AUTHORITY_RO} și să vă adresați instanței."
        ))
        .paragraph(&format!(
            "Pentru orice întrebare ne puteți contacta la datele de mai sus. Cu stimă,\n{}\npentru {}",
            clinic.dpo.name, clinic.name
        )),
        Lang::En => letter(lang, "Extension of the time to answer your request", clinic, to, today)
            .paragraph(&format!("Dear {},", to.name))
            .paragraph(&format!(
                "We received your request for {kind} on {received}. The General Data Protection Regulation \
                 asks us to answer within one month, that is by {due}."
            ))
            .paragraph(&format!(
                "We cannot complete our answer in that time, for this reason: {}",
                ext.reason
            ))
            .paragraph(&format!(
                "Under Article 12(3) of the Regulation we are extending the time: you will have our answer \
                 by {until} at the latest. If we finish sooner, we will answer at once."
            ))
            .paragraph(&format!(
                "If you are not satisfied with how we handle your request, you have the right to lodge a \
                 complaint with {AUTHORITY_EN}, and to seek a judicial remedy."
            ))
            .paragraph(&format!(
                "For any question, contact us at the details above. Yours sincerely,\n{}\nfor {}",
                clinic.dpo.name, clinic.name
            )),
    };
    doc.to_pdf_bytes()
}
