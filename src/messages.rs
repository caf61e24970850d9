//! The Romanian wording of every error detail the core gives a person to act on
//! (`Error::detail`: which rule a CNP, phone or e-mail broke, what is missing,
//! what was not found). The core says them in English; a UI working in Romanian
//! looks the English text up here. The table is exported to the UI as
//! `ui/src/lib/bindings/errorDetailsRo.ts` when the tests run, and a test fails
//! when a message in the source has no translation, so the two cannot drift.
//!
//! Technical details (integrity, storage, internal) are for the IT contact and
//! stay in English.

/// (English as the core says it, Romanian).
pub const ROMANIAN: &[(&str, &str)] = &[
    // CNP
    ("it must contain only digits", "trebuie să conțină doar cifre"),
    ("it must have exactly 13 digits", "trebuie să aibă exact 13 cifre"),
    ("the first digit (sex and century) cannot be 0", "prima cifră (sexul și secolul) nu poate fi 0"),
    ("the birth date it encodes does not exist", "data nașterii pe care o conține nu există"),
    ("the county code is not a valid one", "codul de județ nu este valid"),
    (
        "the control digit does not match (a typing mistake?)",
        "cifra de control nu se potrivește (o greșeală de tastare?)",
    ),
    ("sex must be f or m", "sexul trebuie să fie f sau m"),
    // dates
    ("the birth date is in the future", "data nașterii este în viitor"),
    ("the birth date is before 1880", "data nașterii este înainte de 1880"),
    ("dates are written YYYY-MM-DD and must exist", "datele se scriu AAAA-LL-ZZ și trebuie să existe"),
    // phone, e-mail
    (
        "only digits, spaces, dashes and a leading + are allowed",
        "sunt permise doar cifre, spații, cratime și un + la început",
    ),
    ("a Romanian number has 10 digits, starting with 0", "un număr românesc are 10 cifre și începe cu 0"),
    (
        "start with 0 for a Romanian number, or + and the country code",
        "începeți cu 0 pentru un număr românesc, sau cu + și prefixul țării",
    ),
    ("a Romanian number has 9 digits after +40", "un număr românesc are 9 cifre după +40"),
    ("an international number has 8 to 15 digits", "un număr internațional are între 8 și 15 cifre"),
    ("it needs an @", "îi lipsește @"),
    ("it needs exactly one @ with a name before it", "trebuie să aibă un singur @, cu un nume înaintea lui"),
    (
        "the part after @ must be a domain such as example.ro",
        "partea de după @ trebuie să fie un domeniu, de exemplu example.ro",
    ),
    ("it cannot contain spaces", "nu poate conține spații"),
    // patients
    ("the first name is required", "prenumele este obligatoriu"),
    ("the last name is required", "numele de familie este obligatoriu"),
    ("the first name is longer than 100 characters", "prenumele are mai mult de 100 de caractere"),
    ("the last name is longer than 100 characters", "numele de familie are mai mult de 100 de caractere"),
    ("type part of a name to search", "scrieți o parte din nume pentru căutare"),
    ("a reason for the change is required", "motivul modificării este obligatoriu"),
    ("nothing to change", "nu este nimic de modificat"),
    ("patient", "pacientul"),
    // consent, guardians, notices
    (
        "consent kind must be terms_of_service, privacy_notice, health_data, data_processing, \
         marketing or research",
        "tipul consimțământului trebuie să fie terms_of_service, privacy_notice, health_data, \
         data_processing, marketing sau research",
    ),
    (
        "consent method must be checkbox, signature, paper or verbal",
        "modul consimțământului trebuie să fie checkbox, signature, paper sau verbal",
    ),
    (
        "a consent can be given by the patient or a linked guardian",
        "consimțământul îl poate da pacientul sau un părinte ori tutore legat de fișă",
    ),
    ("a patient cannot be their own guardian", "un pacient nu își poate fi propriul tutore"),
    ("the guardian's patient record", "fișa părintelui sau tutorelui"),
    ("the guardian's record is closed", "fișa părintelui sau tutorelui este închisă"),
    (
        "say how the guardian is related (mother, father, legal guardian)",
        "spuneți ce relație are cu pacientul (mamă, tată, tutore legal)",
    ),
    ("the exact text shown to the patient is required", "textul exact arătat pacientului este obligatoriu"),
    (
        "a notice needs a version and both the Romanian and English texts",
        "o notă de informare are nevoie de o versiune și de ambele texte, în română și în engleză",
    ),
    ("a privacy notice with that version", "o notă de informare cu această versiune"),
    ("that guardian link", "această legătură cu părintele sau tutorele"),
    // clinic, staff, settings
    ("the clinic name is required", "denumirea cabinetului este obligatorie"),
    ("the clinic address is required", "adresa cabinetului este obligatorie"),
    (
        "the data-protection contact's name is required",
        "numele persoanei de contact pentru protecția datelor este obligatoriu",
    ),
    (
        "the data-protection contact needs an e-mail address or a phone number",
        "persoana de contact pentru protecția datelor are nevoie de un e-mail sau de un telefon",
    ),
    (
        "a particular of the clinic is longer than 300 characters",
        "una dintre datele cabinetului are mai mult de 300 de caractere",
    ),
    (
        "a fiscal code (CUI) has 2 to 10 digits, optionally preceded by RO",
        "codul fiscal (CUI) are între 2 și 10 cifre, eventual precedate de RO",
    ),
    (
        "this fiscal code (CUI) fails its control digit: check it for a typing mistake",
        "cifra de control a acestui cod fiscal (CUI) nu se potrivește: verificați dacă nu e o greșeală de tastare",
    ),
    (
        "role must be one of receptionist, assistant, dentist, owner, dpo, admin",
        "rolul trebuie să fie receptionist, assistant, dentist, owner, dpo sau admin",
    ),
    (
        "a user name has 2 to 40 characters: letters, digits, dot, dash or underscore",
        "un nume de utilizator are între 2 și 40 de caractere: litere, cifre, punct, cratimă sau liniuță jos",
    ),
    ("a password needs at least 10 characters", "o parolă are cel puțin 10 caractere"),
    ("an administrator with that user name", "un administrator cu acest nume de utilizator"),
    ("a staff account with that user name", "un cont cu acest nume de utilizator"),
    ("you cannot disable your own account", "nu vă puteți dezactiva propriul cont"),
    ("you cannot change your own role", "nu vă puteți schimba propriul rol"),
    (
        "files for people are not written into Cuspid's own folders: choose another folder",
        "fișierele pentru oameni nu se scriu în dosarele proprii ale Cuspid: alegeți alt dosar",
    ),
    ("a file with that name", "un fișier cu acest nume"),
    ("staff account", "contul de personal"),
    (
        "the image is larger than Cuspid opens (more than 512 MB once decoded)",
        "imaginea este mai mare decât deschide Cuspid (peste 512 MB după decodare)",
    ),
    (
        "the records kept after the erasure (their period ended)",
        "înregistrările păstrate după ștergere (perioada lor s-a încheiat)",
    ),
    (
        "a server address is postgres://user@host:port/database",
        "adresa unui server se scrie postgres://utilizator@gazdă:port/bază-de-date",
    ),
    ("a folder with that name", "un dosar cu acest nume"),
    ("a TOTP secret needs at least 128 bits", "un secret TOTP are nevoie de cel puțin 128 de biți"),
    ("a TOTP secret is written in base32 (A-Z, 2-7)", "un secret TOTP se scrie în base32 (A-Z, 2-7)"),
    ("start the two-factor set-up first", "începeți mai întâi configurarea autentificării în doi pași"),
    ("a PIN has 6 to 12 digits and nothing else", "un PIN are între 6 și 12 cifre și nimic altceva"),
    (
        "a PIN cannot be one digit repeated or a run such as 123456",
        "un PIN nu poate fi o cifră repetată sau un șir ca 123456",
    ),
    (
        "the entry was made by an earlier version and is removed; sign in with the password and enrol again",
        "intrarea a fost făcută de o versiune anterioară și a fost ștearsă; autentificați-vă cu parola și înscrieți din nou stația",
    ),
    (
        "this workstation no longer remembers you; sign in with the password",
        "această stație nu vă mai reține; autentificați-vă cu parola",
    ),
    (
        "the server's password needs the OS keyring, which is not available",
        "parola serverului are nevoie de portofelul de chei al sistemului, care nu este disponibil",
    ),
    (
        "administrator and DPO accounts sign in with their password",
        "conturile de administrator și DPO se autentifică cu parola",
    ),
    ("language must be ro or en", "limba trebuie să fie ro sau en"),
    (
        "the idle lock must be between 1 and 120 minutes",
        "blocarea automată trebuie să fie între 1 și 120 de minute",
    ),
    ("the recovery key is empty", "cheia de recuperare lipsește"),
    // data-subject requests
    (
        "a request is one of access, rectification, erasure, restriction, portability, objection",
        "o cerere este de acces, rectificare, ștergere, restricționare, portabilitate sau opoziție",
    ),
    (
        "an outcome is one of granted, partly_granted, refused, withdrawn",
        "rezultatul este granted, partly_granted, refused sau withdrawn",
    ),
    (
        "a note in the request log is longer than 2000 characters",
        "o notă din registrul cererilor are mai mult de 2000 de caractere",
    ),
    ("say how the person's identity was checked", "spuneți cum a fost verificată identitatea persoanei"),
    (
        "a request on a patient's behalf comes from a linked parent or guardian",
        "o cerere în numele pacientului vine de la un părinte sau tutore legat de fișă",
    ),
    ("a deadline can be extended by one or two months", "termenul se poate prelungi cu una sau două luni"),
    (
        "the reason for the extension is required: the person is told it",
        "motivul prelungirii este obligatoriu: persoana este informată despre el",
    ),
    ("this request is closed", "această cerere este închisă"),
    ("this request was already extended", "termenul acestei cereri a fost deja prelungit"),
    (
        "an extension must be decided before the first month runs out",
        "prelungirea se decide înainte să treacă prima lună",
    ),
    (
        "say what was done, or why not, in the closing note",
        "spuneți în nota de închidere ce s-a făcut sau de ce nu",
    ),
    ("a request cannot be received in the future", "o cerere nu poate fi primită în viitor"),
    ("request", "cererea"),
    (
        "a retention period is counted in days, months or years",
        "o perioadă de păstrare se măsoară în zile, luni sau ani",
    ),
    ("say on which legal basis the data is kept", "spuneți pe ce temei legal sunt păstrate datele"),
    ("a retention period is from 1 day to 50 years", "o perioadă de păstrare este între o zi și 50 de ani"),
    (
        "the law requires this data to be kept longer: the period cannot be shorter than the legal minimum",
        "legea cere ca aceste date să fie păstrate mai mult: perioada nu poate fi mai scurtă decât minimul legal",
    ),
    ("retention category", "categoria de păstrare"),
    (
        "an activity needs its name, purpose, data, data subjects, legal basis, recipients and transfers",
        "o activitate are nevoie de denumire, scop, date, persoane vizate, temei legal, destinatari și transferuri",
    ),
    ("describe the security measures of the activity", "descrieți măsurile de securitate ale activității"),
    (
        "a retention category is not one of the schedule's",
        "categoria de păstrare nu este una din calendarul de păstrare",
    ),
    (
        "say how long the activity's data is kept: a retention category or a note",
        "spuneți cât timp sunt păstrate datele activității: o categorie de păstrare sau o notă",
    ),
    ("processing activity", "activitatea de prelucrare"),
    ("the request is about another patient", "cererea privește alt pacient"),
    ("the request is not an erasure request", "cererea nu este o cerere de ștergere"),
    ("a patient's language is ro or en", "limba pacientului este ro sau en"),
    (
        "a tooth is an FDI number: 11-18, 21-28, 31-38, 41-48, or 51-55, 61-65, 71-75, 81-85",
        "un dinte se notează FDI: 11-18, 21-28, 31-38, 41-48 sau 51-55, 61-65, 71-75, 81-85",
    ),
    (
        "a chart entry cannot be dated in the future",
        "o înregistrare din fișa dentară nu poate avea o dată viitoare",
    ),
    ("a procedure needs its code", "procedura are nevoie de cod"),
    (
        "a procedure code is lower-case letters, digits, dots and underscores (restoration.composite)",
        "codul procedurii are litere mici, cifre, puncte și liniuțe jos (restoration.composite)",
    ),
    (
        "a procedure needs its name in Romanian and in English",
        "procedura are nevoie de denumire în română și în engleză",
    ),
    ("a fee is from 0 to 1,000,000 RON", "un tarif este între 0 și 1.000.000 lei"),
    ("the procedure is not in the clinic's catalogue", "procedura nu este în lista cabinetului"),
    (
        "this procedure needs the surfaces it is done on",
        "procedura are nevoie de suprafețele pe care se face",
    ),
    ("chart entry", "înregistrarea din fișa dentară"),
    (
        "an entry can only follow one on the same tooth",
        "o înregistrare poate continua doar una de pe același dinte",
    ),
    (
        "a clinical record cannot be dated in the future",
        "o înregistrare din fișa clinică nu poate avea o dată viitoare",
    ),
    ("clinical record", "înregistrarea din fișa clinică"),
    ("a question of the medical history is answered twice", "o întrebare din anamneză are două răspunsuri"),
    (
        "a yes to allergies, medication, anticoagulants or other must say what",
        "un „da” la alergii, medicație, anticoagulante sau altele trebuie să spună ce anume",
    ),
    ("a clinical note needs its text", "nota clinică are nevoie de text"),
    ("no such note template", "nu există acest șablon de notă"),
    (
        "an amendment, and only an amendment, gives its reason",
        "doar o completare, și orice completare, își spune motivul",
    ),
    ("amend the original note, not an amendment", "completați nota originală, nu o completare"),
    (
        "an amendment cannot be dated before the note it amends",
        "o completare nu poate avea o dată anterioară notei pe care o completează",
    ),
    (
        "a periodontal examination measures at least one tooth",
        "o examinare parodontală măsoară cel puțin un dinte",
    ),
    (
        "a tooth is measured twice in one examination",
        "un dinte este măsurat de două ori în aceeași examinare",
    ),
    (
        "probing depths and recession are between 0 and 15 mm",
        "adâncimea de sondare și retracția sunt între 0 și 15 mm",
    ),
    ("mobility and furcation are graded 0 to 3", "mobilitatea și furcația au gradele 0-3"),
    ("furcation is graded only on multi-rooted teeth", "furcația se gradează doar la dinții pluriradiculari"),
    (
        "the file is not a PNG, JPEG, TIFF or DICOM image",
        "fișierul nu este o imagine PNG, JPEG, TIFF sau DICOM",
    ),
    (
        "the image file is damaged or incomplete and cannot be read",
        "fișierul imaginii este deteriorat sau incomplet și nu poate fi citit",
    ),
    ("the DICOM file holds no image", "fișierul DICOM nu conține nicio imagine"),
    (
        "the DICOM image is damaged or in an encoding Cuspid cannot read",
        "imaginea DICOM este deteriorată sau codificată într-un fel pe care Cuspid nu îl poate citi",
    ),
    ("the DICOM colour image cannot be read", "imaginea DICOM color nu poate fi citită"),
    ("only 8- and 16-bit DICOM images are supported", "sunt acceptate doar imagini DICOM pe 8 și 16 biți"),
    ("image", "imaginea"),
    ("a treatment plan needs its title", "planul de tratament are nevoie de un titlu"),
    (
        "a treatment plan has at least one option with at least one phase",
        "un plan de tratament are cel puțin o variantă, cu cel puțin o etapă",
    ),
    (
        "a phase of a treatment plan has at least one item",
        "o etapă a planului de tratament are cel puțin o procedură",
    ),
    ("this procedure needs the tooth it is done on", "procedura are nevoie de dintele pe care se face"),
    (
        "a plan item follows a procedure charted on the same tooth",
        "o procedură din plan continuă o procedură din fișă de pe același dinte",
    ),
    ("a phase of a treatment plan needs its name", "o etapă a planului de tratament are nevoie de un nume"),
    (
        "an option of a treatment plan needs its title",
        "o variantă a planului de tratament are nevoie de un titlu",
    ),
    ("treatment plan", "planul de tratament"),
    (
        "a plan the patient has answered is not changed: write a new one",
        "un plan la care pacientul a răspuns nu se mai modifică: întocmiți unul nou",
    ),
    ("say who accepted or declined the plan", "spuneți cine a acceptat sau a refuzat planul"),
    (
        "the patient's answer to this plan is already recorded",
        "răspunsul pacientului la acest plan este deja înregistrat",
    ),
    ("the plan has no such option", "planul nu are această variantă"),
    ("the request is not an open rectification request", "cererea nu este o cerere de rectificare deschisă"),
    ("erasure record", "înregistrarea ștergerii"),
    ("breach", "incidentul de securitate"),
    ("the risk is none, risk or high", "riscul este none, risk sau high"),
    (
        "times are written as RFC 3339, e.g. 2026-11-25T14:30:00+02:00",
        "momentele se scriu în format RFC 3339, de exemplu 2026-11-25T14:30:00+02:00",
    ),
    (
        "a text in the breach register is longer than 4000 characters",
        "un text din registrul incidentelor depășește 4000 de caractere",
    ),
    (
        "a breach needs what happened, the data concerned, the consequences and the measures taken and proposed",
        "un incident are nevoie de ce s-a întâmplat, datele vizate, consecințe și măsurile luate și propuse",
    ),
    ("a breach cannot be discovered in the future", "un incident nu poate fi descoperit în viitor"),
    ("the breach cannot end before it began", "incidentul nu se poate încheia înainte să înceapă"),
    (
        "a breach is of confidentiality, integrity or availability",
        "un incident privește confidențialitatea, integritatea sau disponibilitatea",
    ),
    (
        "the notice is past 72 hours from discovery: give the reason for the delay",
        "au trecut 72 de ore de la descoperire: spuneți motivul întârzierii",
    ),
    ("find the people affected first", "identificați mai întâi persoanele afectate"),
    (
        "a role name has lowercase letters, digits and _ and starts with a letter",
        "numele unui rol are litere mici, cifre și _ și începe cu o literă",
    ),
    (
        "the workstations' role must not be the owner: create a separate login role for them",
        "rolul stațiilor de lucru nu poate fi proprietarul: creați un rol separat pentru ele",
    ),
    ("the workstations' role", "rolul stațiilor de lucru"),
    (
        "a clinic without field encryption exists only in benchmark builds",
        "o clinică fără criptarea câmpurilor există doar în versiunile de măsurare a performanței",
    ),
    (
        "an export passphrase needs at least 12 characters",
        "parola exportului trebuie să aibă cel puțin 12 caractere",
    ),
    ("the export folder does not exist", "dosarul pentru export nu există"),
    (
        "this person is the only guardian linked to a minor: link another guardian first",
        "această persoană este singurul tutore legat de un minor: legați mai întâi alt tutore",
    ),
    (
        "a restriction is none, restricted or verification",
        "o restricționare este none, restricted sau verification",
    ),
    ("the record already has that restriction", "fișa are deja această restricționare"),
    ("this request's deadline was not extended", "termenul acestei cereri nu a fost prelungit"),
    (
        "letters need the clinic's particulars: fill them in the settings",
        "scrisorile au nevoie de datele cabinetului: completați-le în setări",
    ),
    // keyring
    ("this workstation is not enrolled", "această stație de lucru nu vă ține minte"),
    ("the keyring is locked or not running", "portofelul de chei este blocat sau nu rulează"),
    ("the keyring service is not available", "serviciul portofelului de chei nu este disponibil"),
    (
        "the keyring holds an entry this build cannot read",
        "portofelul de chei are o intrare pe care această versiune nu o poate citi",
    ),
    (
        "the keyring holds several entries for this user",
        "portofelul de chei are mai multe intrări pentru acest utilizator",
    ),
    ("the keyring refused the request", "portofelul de chei a refuzat cererea"),
];

/// The Romanian wording of an error detail, if it has one.
pub fn romanian(english: &str) -> Option<&'static str> {
    ROMANIAN.iter().find(|(en, _)| *en == english).map(|(_, ro)| *ro)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    /// Every `.rs` file under `dir`.
    fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The string literal that opens `rest`, joined across `\` line continuations.
    fn literal(rest: &str) -> Option<String> {
        let rest = rest.trim_start();
        let body = rest.strip_prefix('"')?;
        let mut out = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(out),
                '\\' => match chars.next()? {
                    '\n' => {
                        let tail: String = chars.clone().collect();
                        let skipped = tail.len() - tail.trim_start().len();
                        for _ in 0..skipped {
                            chars.next();
                        }
                    }
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        None
    }

    /// Each detail a person can see, as written in the core's source (the CLI's own
    /// messages are for administrators at a terminal and stay English).
    fn details_in_source() -> Vec<(String, String)> {
        let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("src");
        let mut files = Vec::new();
        sources(&root, &mut files);
        let openers = [
            "Error::InvalidInput(",
            "Error::InvalidCnp(",
            "Error::InvalidPhone(",
            "Error::InvalidEmail(",
            "Error::InvalidDate(",
            "Error::AlreadyExists(",
            "Error::NotFound(",
            "Error::KeyringUnavailable {",
        ];
        let mut found = Vec::new();
        for file in files {
            let name = file.strip_prefix(&root).unwrap().display().to_string();
            if name.starts_with("bin") || name == "error.rs" || name == "messages.rs" {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            for opener in openers {
                for (at, _) in text.match_indices(opener) {
                    let rest = &text[at + opener.len()..];
                    let arg = rest.trim_start();
                    let arg = arg.strip_prefix("reason:").unwrap_or(arg);
                    if let Some(msg) = literal(arg) {
                        found.push((name.clone(), msg));
                    } else {
                        // A computed message cannot be translated: write it out.
                        found.push((name.clone(), format!("<not a literal: {}>", &arg[..arg.len().min(40)])));
                    }
                }
            }
        }
        found
    }

    #[test]
    fn every_detail_in_the_source_has_a_romanian_wording() {
        let found = details_in_source();
        assert!(found.len() > 50, "the scan found the core's messages ({} of them)", found.len());
        let missing: Vec<_> = found.iter().filter(|(_, m)| romanian(m).is_none()).collect();
        assert!(missing.is_empty(), "error details without a Romanian wording: {missing:#?}");
    }

    #[test]
    fn the_table_has_no_stale_or_doubled_entries() {
        let found: Vec<String> = details_in_source().into_iter().map(|(_, m)| m).collect();
        for (i, (en, ro)) in ROMANIAN.iter().enumerate() {
            assert!(found.iter().any(|m| m == en), "no longer said anywhere: {en:?}");
            assert!(!ro.is_empty() && ro != en, "not translated: {en:?}");
            assert!(ROMANIAN[..i].iter().all(|(e, _)| e != en), "listed twice: {en:?}");
        }
    }

    #[test]
    fn the_password_rule_says_the_length_it_enforces() {
        let short = "x".repeat(crate::clinic::MIN_PASSWORD_CHARS - 1);
        let err = crate::clinic::check_password_policy(&short).unwrap_err();
        let needed = crate::clinic::MIN_PASSWORD_CHARS.to_string();
        assert!(err.to_string().contains(&needed), "{err}");
        assert!(crate::clinic::check_password_policy(&"x".repeat(crate::clinic::MIN_PASSWORD_CHARS)).is_ok());
    }

    /// Writes the table for the UI next to the ts-rs bindings (checked for
    /// staleness the same way by scripts/test.sh).
    #[test]
    fn export_romanian_details_for_the_ui() {
        let Some(dir) = std::env::var_os("TS_RS_EXPORT_DIR") else { return };
        let mut ts = String::from(
            "// Generated from src/messages.rs by its tests. Do not edit this file manually.\n\n\
             /** The Romanian wording of the core's error details, keyed by their English text. */\n\
             export const errorDetailsRo: Readonly<Record<string, string>> = {\n",
        );
        for (en, ro) in ROMANIAN {
            let (en, ro) = (serde_json::to_string(en).unwrap(), serde_json::to_string(ro).unwrap());
            ts.push_str(&format!("  {en}: {ro},\n"));
        }
        ts.push_str("};\n");
        let path = PathBuf::from(dir).join("errorDetailsRo.ts");
        if std::fs::read_to_string(&path).ok().as_deref() != Some(ts.as_str()) {
            std::fs::write(&path, ts).unwrap();
        }
    }
}
