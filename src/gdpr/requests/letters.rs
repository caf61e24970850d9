//! The letters of the data-subject requests: the extension notice (Art. 12(3)),
//! the access response (Art. 15) and the erasure confirmation (Art. 17), in the
//! clinic's letter frame.

use chrono::NaiveDate;

use super::RequestKind;
use crate::admin::profile::ClinicProfile;
use crate::documents::{AUTHORITY_EN, AUTHORITY_RO, Document, Language, Recipient, letter};
use crate::error::Result;

fn kind_words(kind: RequestKind, lang: Language) -> &'static str {
    match (lang, kind) {
        (Language::Ro, RequestKind::Access) => "acces la datele dumneavoastră (art. 15 GDPR)",
        (Language::Ro, RequestKind::Rectification) => "rectificarea datelor (art. 16 GDPR)",
        (Language::Ro, RequestKind::Erasure) => "ștergerea datelor (art. 17 GDPR)",
        (Language::Ro, RequestKind::Restriction) => "restricționarea prelucrării (art. 18 GDPR)",
        (Language::Ro, RequestKind::Portability) => "portabilitatea datelor (art. 20 GDPR)",
        (Language::Ro, RequestKind::Objection) => "opoziție la prelucrare (art. 21 GDPR)",
        (Language::En, RequestKind::Access) => "access to your data (Art. 15 GDPR)",
        (Language::En, RequestKind::Rectification) => "rectification of your data (Art. 16 GDPR)",
        (Language::En, RequestKind::Erasure) => "erasure of your data (Art. 17 GDPR)",
        (Language::En, RequestKind::Restriction) => "restriction of processing (Art. 18 GDPR)",
        (Language::En, RequestKind::Portability) => "data portability (Art. 20 GDPR)",
        (Language::En, RequestKind::Objection) => "objection to processing (Art. 21 GDPR)",
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
    lang: Language,
) -> Result<Vec<u8>> {
    let kind = kind_words(ext.kind, lang);
    let (received, due, until) =
        (lang.long_date(ext.received), lang.long_date(ext.due), lang.long_date(ext.extended_to));
    let doc = match lang {
        Language::Ro => letter(
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
        Language::En => letter(lang, "Extension of the time to answer your request", clinic, to, today)
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

/// One category of data as a letter describes it (from a module's `Holding`,
/// with the retention period from the schedule).
#[derive(Clone, Debug)]
pub struct HoldingLine {
    pub data: String,
    pub purpose: String,
    pub legal_basis: String,
    pub recipients: String,
    pub source: String,
    pub retention: String,
}

/// The contents of the answer to an access request (Art. 15).
#[derive(Debug)]
pub struct AccessLetter {
    pub holdings: Vec<HoldingLine>,
    /// The files of the copy sent with the letter.
    pub files: Vec<String>,
    /// Whether the copy is one encrypted age file (the passphrase goes separately).
    pub encrypted: bool,
    /// Whether the image files of the copy were de-identified (their headers' names,
    /// ids, clinic, device and location removed).
    pub images_deidentified: bool,
}

/// The paragraphs every answer shares: the rights, automated decisions, transfers,
/// the complaint, the signature.
fn rights_and_signature(doc: Document, lang: Language, clinic: &ClinicProfile) -> Document {
    match lang {
        Language::Ro => doc
            .heading("Drepturile dumneavoastră")
            .bullet("să cereți rectificarea datelor inexacte sau completarea celor incomplete (art. 16 GDPR);")
            .bullet(
                "să cereți ștergerea datelor (art. 17), în afara celor pe care legea ne obligă să le păstrăm;",
            )
            .bullet("să cereți restricționarea prelucrării (art. 18);")
            .bullet("să vă opuneți prelucrării, inclusiv în scop de marketing (art. 21);")
            .bullet("să primiți datele într-un format care poate fi citit automat (art. 20);")
            .bullet("să vă retrageți oricând consimțământul, fără a afecta prelucrarea făcută înainte (art. 7).")
            .heading("Decizii automatizate și transferuri")
            .paragraph(
                "Nu luăm decizii bazate exclusiv pe prelucrarea automată a datelor dumneavoastră și nu vă \
                 creăm profiluri (art. 22 GDPR). Datele dumneavoastră sunt păstrate pe calculatoarele \
                 cabinetului și nu sunt transferate în afara Uniunii Europene; de aceea nu sunt necesare \
                 garanțiile prevăzute la art. 46 GDPR.",
            )
            .heading("Dreptul de a depune o plângere")
            .paragraph(&format!(
                "Dacă considerați că vă prelucrăm datele cu încălcarea legii, aveți dreptul să depuneți o \
                 plângere la {AUTHORITY_RO} și să vă adresați instanței."
            ))
            .paragraph(&format!(
                "Pentru orice întrebare ne puteți contacta la datele de mai sus. Cu stimă,\n{}\npentru {}",
                clinic.dpo.name, clinic.name
            )),
        Language::En => doc
            .heading("Your rights")
            .bullet("to have inaccurate data corrected and incomplete data completed (Art. 16 GDPR);")
            .bullet("to have your data erased (Art. 17), except what the law requires us to keep;")
            .bullet("to have the processing restricted (Art. 18);")
            .bullet("to object to the processing, including for marketing (Art. 21);")
            .bullet("to receive your data in a machine-readable format (Art. 20);")
            .bullet("to withdraw your consent at any time, without affecting what was done before (Art. 7).")
            .heading("Automated decisions and transfers")
            .paragraph(
                "We make no decision based solely on automated processing of your data and we do not \
                 profile you (Art. 22 GDPR). Your data is kept on the clinic's own computers and is not \
                 transferred outside the European Union, so no safeguards under Art. 46 GDPR are needed.",
            )
            .heading("Your right to complain")
            .paragraph(&format!(
                "If you consider that we process your data unlawfully, you have the right to lodge a \
                 complaint with {AUTHORITY_EN}, and to seek a judicial remedy."
            ))
            .paragraph(&format!(
                "For any question, contact us at the details above. Yours sincerely,\n{}\nfor {}",
                clinic.dpo.name, clinic.name
            )),
    }
}

/// `text` with its first letter in upper case ("date de ..." heads a paragraph).
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The answer to an access (Art. 15) or portability (Art. 20) request, as PDF bytes.
pub fn access_letter(
    clinic: &ClinicProfile,
    to: &Recipient,
    a: &AccessLetter,
    today: NaiveDate,
    lang: Language,
) -> Result<Vec<u8>> {
    let (title, dear, intro, encrypted, deidentified, held, labels) = match lang {
        Language::Ro => (
            "Răspuns la cererea dumneavoastră de acces la date (art. 15 GDPR)",
            format!("Stimată doamnă / Stimate domn {},", to.name),
            "Vă confirmăm că prelucrăm date cu caracter personal care vă privesc. Mai jos găsiți ce date \
             avem, de ce, pe ce temei, cui le dezvăluim, de unde le avem și cât timp le păstrăm. Vă trimitem \
             alăturat o copie a tuturor datelor, în formate structurate, utilizate în mod curent, care pot \
             fi citite automat (JSON, CSV, XML și HL7 FHIR R4), în fișierele:",
            "Copia este criptată: un singur fișier în formatul age (.zip.age), protejat cu o parolă pe care \
             v-o comunicăm separat, pe un alt canal. Îl deschideți cu programul gratuit age \
             (age-encryption.org) sau rage: comanda «age -d -o date.zip» urmată de numele fișierului vă cere \
             parola și scrie arhiva zip, pe care o deschide orice program de arhivare.",
            "Din radiografiile și fotografiile din copie am scos datele de identificare din antetul \
             fișierelor (nume, coduri de identificare, data nașterii, cabinetul, medicul, aparatul, locul \
             GPS), ca să le puteți da mai departe fără să dezvăluiți cine sunteți; imaginea în sine este \
             neschimbată. Dacă aveți nevoie de fișierele originale, ni le puteți cere.",
            "Ce date avem și de ce",
            ["Scopul", "Temeiul legal", "Destinatari", "Sursa", "Cât timp le păstrăm"],
        ),
        Language::En => (
            "Answer to your request for access to your data (Art. 15 GDPR)",
            format!("Dear {},", to.name),
            "We confirm that we process personal data about you. Below is what data we hold, why, on what \
             legal basis, to whom we disclose it, where it came from and how long we keep it. A copy of all \
             of it comes with this letter, in structured, commonly used, machine-readable formats (JSON, \
             CSV, XML and HL7 FHIR R4), in the files:",
            "The copy is encrypted: one file in the age format (.zip.age), protected by a passphrase that we \
             give you separately, by another channel. It opens with the free age tool \
             (age-encryption.org) or rage: the command «age -d -o data.zip» followed by the file's name asks \
             for the passphrase and writes the zip archive, which any archive tool opens.",
            "From the X-rays and photographs in the copy we removed the identifying data in the files' \
             headers (names, identification numbers, birth date, the clinic, the dentist, the device, the \
             GPS location), so you can pass them on without revealing who you are; the image itself is \
             unchanged. If you need the original files, ask us for them.",
            "What we hold and why",
            ["Purpose", "Legal basis", "Recipients", "Source", "How long we keep it"],
        ),
    };
    let mut doc = letter(lang, title, clinic, to, today).paragraph(&dear).paragraph(intro);
    for f in &a.files {
        doc = doc.bullet(f);
    }
    if a.encrypted {
        doc = doc.paragraph(encrypted);
    }
    if a.images_deidentified && a.files.iter().any(|f| f.starts_with("images/")) {
        doc = doc.paragraph(deidentified);
    }
    doc = doc.heading(held);
    for h in &a.holdings {
        doc = doc
            .paragraph_spans(vec![crate::documents::Span::bold(capitalized(&h.data))])
            .field(labels[0], &h.purpose)
            .field(labels[1], &h.legal_basis)
            .field(labels[2], &h.recipients)
            .field(labels[3], &h.source)
            .field(labels[4], &h.retention)
            .space_mm(2.0);
    }
    rights_and_signature(doc, lang, clinic).to_pdf_bytes()
}

/// One kind of record in the erasure answer: what went, or what stays, why and until when.
#[derive(Clone, Debug)]
pub struct ErasureLine {
    pub what: String,
    pub count: u64,
    /// `None` when it was erased; the reason and the date it goes when kept.
    pub kept: Option<(String, NaiveDate)>,
}

/// The answer to an erasure request (Art. 17), as PDF bytes.
pub fn erasure_letter(
    clinic: &ClinicProfile,
    to: &Recipient,
    lines: &[ErasureLine],
    backups_expire: NaiveDate,
    today: NaiveDate,
    lang: Language,
) -> Result<Vec<u8>> {
    let erased: Vec<&ErasureLine> = lines.iter().filter(|l| l.kept.is_none() && l.count > 0).collect();
    let kept: Vec<&ErasureLine> = lines.iter().filter(|l| l.kept.is_some() && l.count > 0).collect();
    let backups = lang.long_date(backups_expire);
    let mut doc = match lang {
        Language::Ro => letter(
            lang,
            "Răspuns la cererea dumneavoastră de ștergere a datelor (art. 17 GDPR)",
            clinic,
            to,
            today,
        )
        .paragraph(&format!("Stimată doamnă / Stimate domn {},", to.name))
        .paragraph(
            "Am dat curs cererii dumneavoastră. Datele de mai jos au fost distruse: cheia de criptare \
                 care le proteja a fost ștearsă, astfel încât nu mai pot fi citite de nimeni.",
        )
        .heading("Ce am șters"),
        Language::En => {
            letter(lang, "Answer to your request to erase your data (Art. 17 GDPR)", clinic, to, today)
                .paragraph(&format!("Dear {},", to.name))
                .paragraph(
                    "We have acted on your request. The data below was destroyed: the encryption key that \
                 protected it was deleted, so no one can read it any more.",
                )
                .heading("What we erased")
        }
    };
    for l in &erased {
        doc = doc.bullet(&format!("{} ({})", l.what, l.count));
    }
    if erased.is_empty() {
        doc = doc.paragraph(match lang {
            Language::Ro => "Nu am găsit alte date de șters.",
            Language::En => "We found no other data to erase.",
        });
    }
    doc = doc.heading(match lang {
        Language::Ro => "Ce păstrăm, de ce și până când",
        Language::En => "What we keep, why and until when",
    });
    if kept.is_empty() {
        doc = doc.paragraph(match lang {
            Language::Ro => "Nu păstrăm nimic altceva despre dumneavoastră.",
            Language::En => "We keep nothing else about you.",
        });
    }
    for l in &kept {
        if let Some((why, until)) = &l.kept {
            let until = lang.long_date(*until);
            doc = doc.bullet(&match lang {
                Language::Ro => format!("{} ({}): {why}; se șterg la {until}.", l.what, l.count),
                Language::En => format!("{} ({}): {why}; erased on {until}.", l.what, l.count),
            });
        }
    }
    doc = match lang {
        Language::Ro => doc
            .paragraph(
                "Ce păstrăm este criptat cu o cheie separată, folosită doar în scopul arătat, și va fi \
                 șters la data arătată.",
            )
            .paragraph(&format!(
                "Programul în care ținem fișele nu face copii de siguranță proprii. Dacă există copii ale \
                 calculatorului sau ale bazei de date făcute înainte de ștergere, ele sunt criptate la fel \
                 ca datele și folosite doar pentru refacerea sistemului după un incident; la o refacere, \
                 datele dumneavoastră ar fi șterse din nou imediat. Potrivit regulilor noastre de păstrare, \
                 asemenea copii nu se păstrează după {backups}."
            ))
            .paragraph(&format!(
                "Dacă nu sunteți mulțumit(ă) de răspuns, aveți dreptul să depuneți o plângere la \
                 {AUTHORITY_RO} și să vă adresați instanței."
            ))
            .paragraph(&format!("Cu stimă,\n{}\npentru {}", clinic.dpo.name, clinic.name)),
        Language::En => doc
            .paragraph(
                "What we keep is encrypted under a separate key, used only for the purpose shown, and \
                 will be erased on the date shown.",
            )
            .paragraph(&format!(
                "The program that holds our records makes no backup copies of its own. If copies of the \
                 computer or of the database made before the erasure exist, they are encrypted as the data \
                 is and used only to restore the system after an incident; on a restore, your data would \
                 be erased again at once. Under our retention rules such copies are not kept after \
                 {backups}."
            ))
            .paragraph(&format!(
                "If you are not satisfied with our answer, you have the right to lodge a complaint with \
                 {AUTHORITY_EN}, and to seek a judicial remedy."
            ))
            .paragraph(&format!("Yours sincerely,\n{}\nfor {}", clinic.dpo.name, clinic.name)),
    };
    doc.to_pdf_bytes()
}
