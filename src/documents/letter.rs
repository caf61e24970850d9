//! The frame every letter shares: the clinic as sender, headed with its
//! particulars and signed for its data-protection contact, the recipient and the
//! date. Each feature's letters (beside the feature) add their body in Romanian or
//! English.

use chrono::NaiveDate;

use super::{Document, Language};
use crate::admin::profile::ClinicProfile;

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
pub(crate) const AUTHORITY_RO: &str = "Autoritatea Națională de Supraveghere a Prelucrării Datelor cu Caracter \
                            Personal (ANSPDCP), B-dul G-ral. Gheorghe Magheru nr. 28-30, sector 1, \
                            010336 București, anspdcp@dataprotection.ro, www.dataprotection.ro";
pub(crate) const AUTHORITY_EN: &str = "the Romanian supervisory authority, ANSPDCP (Autoritatea Națională de \
                            Supraveghere a Prelucrării Datelor cu Caracter Personal), B-dul G-ral. \
                            Gheorghe Magheru nr. 28-30, sector 1, 010336 Bucharest, Romania, \
                            anspdcp@dataprotection.ro, www.dataprotection.ro";

/// The parts every letter shares: the clinic as sender, the recipient, the date.
pub(crate) fn letter(
    lang: Language,
    title: &str,
    clinic: &ClinicProfile,
    to: &Recipient,
    today: NaiveDate,
) -> Document {
    let (from, numbers, dpo, date, to_label, about) = match lang {
        Language::Ro => {
            ("Expeditor", "Cod fiscal", "Protecția datelor", "Data", "Către", "Privind pacientul")
        }
        Language::En => ("From", "Fiscal code", "Data protection", "Date", "To", "About the patient"),
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
