//! What the core tells a person to correct, as codes with their parameters: which
//! rule a value broke (`Rule`), what could not be found or already exists
//! (`Subject`). Each code is worded here once, in English and in Romanian, with
//! `{name}` standing for a parameter. The English wording is the error's message;
//! the UI receives the code and its parameters in `ErrorDto::rule` and words them
//! itself from the same table, exported as `ui/src/lib/bindings/wordings.ts`.
//!
//! A code, once published, keeps its meaning: the UI, the CLI's JSON output and
//! scripts match on it. A new rule is one line in the feature's section.

use serde::{Deserialize, Serialize};

use crate::admin::settings::Language;

/// One code's wording in both languages, `{name}` marking each parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording {
    pub code: &'static str,
    pub en: &'static str,
    pub ro: &'static str,
}

impl Wording {
    pub fn template(&self, lang: Language) -> &'static str {
        match lang {
            Language::En => self.en,
            Language::Ro => self.ro,
        }
    }
}

/// Fills each `{name}` of a template with its parameter.
fn fill(template: &str, params: &[(&str, String)]) -> String {
    params.iter().fold(template.to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
}

/// Declares a closed set of codes: the enum (serialised as `{"code": …, params…}`),
/// its wordings, and the text of a value in either language.
macro_rules! coded {
    ($(#[$meta:meta])* $enum:ident {
        $($variant:ident $({ $($field:ident : $ty:ty),+ })? => $code:literal, $en:literal, $ro:literal;)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
        #[serde(tag = "code")]
        pub enum $enum {
            $(#[serde(rename = $code)] $variant $({ $($field: $ty),+ })?,)*
        }

        impl $enum {
            /// Every code with its wordings, in the order declared.
            pub const WORDINGS: &[Wording] = &[$(Wording { code: $code, en: $en, ro: $ro },)*];

            /// The published code (`patients.first_name_required`).
            pub fn code(&self) -> &'static str {
                self.wording().code
            }

            pub fn wording(&self) -> &'static Wording {
                match self {
                    $($enum::$variant { .. } => &Wording { code: $code, en: $en, ro: $ro },)*
                }
            }

            /// The parameters by name, as they fill the wording.
            pub fn params(&self) -> Vec<(&'static str, String)> {
                match self {
                    $($enum::$variant $({ $($field),+ })? => vec![$($((stringify!($field), $field.to_string())),+)?],)*
                }
            }

            /// The wording in `lang`, its parameters filled in.
            pub fn text(&self, lang: Language) -> String {
                fill(self.wording().template(lang), &self.params())
            }
        }

        impl std::fmt::Display for $enum {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.text(Language::En))
            }
        }
    };
}

coded! {
    /// What was not found, or already exists (`Error::NotFound`, `Error::AlreadyExists`).
    Subject {
        // article30
        ProcessingActivity => "article30.activity",
            "processing activity",
            "activitatea de prelucrare";

        // breaches
        Breach => "breaches.breach",
            "breach",
            "incidentul de securitate";

        // chart
        ChartEntry => "chart.entry",
            "chart entry",
            "înregistrarea din fișa dentară";

        // clinical
        ClinicalRecord => "clinical.record",
            "clinical record",
            "înregistrarea din fișa clinică";

        // consent
        GuardianLink => "consent.guardian_link",
            "that guardian link",
            "această legătură cu părintele sau tutorele";
        GuardianRecord => "consent.guardian_record",
            "the guardian's patient record",
            "fișa părintelui sau tutorelui";
        NoticeVersion => "consent.notice_version",
            "a privacy notice with that version",
            "o notă de informare cu această versiune";

        // files
        File => "files.file",
            "a file with that name",
            "un fișier cu acest nume";
        Folder => "files.folder",
            "a folder with that name",
            "un dosar cu acest nume";

        // gdpr
        ErasureRecord => "gdpr.erasure_record",
            "erasure record",
            "înregistrarea ștergerii";
        KeptRecords => "gdpr.kept_records",
            "the records kept after the erasure (their period ended)",
            "înregistrările păstrate după ștergere (perioada lor s-a încheiat)";

        // imaging
        Image => "imaging.image",
            "image",
            "imaginea";

        // patients
        Patient => "patients.patient",
            "patient",
            "pacientul";

        // plans
        TreatmentPlan => "plans.plan",
            "treatment plan",
            "planul de tratament";

        // requests
        Request => "requests.request",
            "request",
            "cererea";

        // retention
        RetentionCategory => "retention.category",
            "retention category",
            "categoria de păstrare";

        // staff
        StaffAccount => "staff.account",
            "staff account",
            "contul de personal";
        Administrator => "staff.administrator",
            "an administrator with that user name",
            "un administrator cu acest nume de utilizator";
        StaffUserName => "staff.user_name",
            "a staff account with that user name",
            "un cont cu acest nume de utilizator";

        // store
        WorkstationsRole => "store.workstations_role",
            "the workstations' role",
            "rolul stațiilor de lucru";
    }
}

coded! {
    /// A rule a value broke (`Error::InvalidInput` and the CNP, phone, e-mail and date
    /// errors), or why a keyring sign-in was refused (`Error::KeyringUnavailable`).
    Rule {
        // article30
        ActivityIncomplete => "article30.activity_incomplete",
            "an activity needs its name, purpose, data, data subjects, legal basis, recipients and transfers",
            "o activitate are nevoie de denumire, scop, date, persoane vizate, temei legal, destinatari și transferuri";
        ActivityRetentionRequired => "article30.retention_required",
            "say how long the activity's data is kept: a retention category or a note",
            "spuneți cât timp sunt păstrate datele activității: o categorie de păstrare sau o notă";
        SecurityMeasuresRequired => "article30.security_measures_required",
            "describe the security measures of the activity",
            "descrieți măsurile de securitate ale activității";
        UnknownRetentionCategory => "article30.unknown_retention_category",
            "a retention category is not one of the schedule's",
            "categoria de păstrare nu este una din calendarul de păstrare";

        // auth
        PasswordTooShort { min: usize } => "auth.password_too_short",
            "a password needs at least {min} characters",
            "o parolă are cel puțin {min} caractere";
        RecoveryKeyEmpty => "auth.recovery_key_empty",
            "the recovery key is empty",
            "cheia de recuperare lipsește";
        RecoveryKeyPutAway => "auth.recovery_key_put_away",
            "the recovery key was already put away",
            "cheia de recuperare a fost deja pusă deoparte";

        // breaches
        AffectedNotFound => "breaches.affected_not_found",
            "find the people affected first",
            "identificați mai întâi persoanele afectate";
        DelayReasonRequired => "breaches.delay_reason_required",
            "the notice is past 72 hours from discovery: give the reason for the delay",
            "au trecut 72 de ore de la descoperire: spuneți motivul întârzierii";
        BreachDiscoveredInFuture => "breaches.discovered_in_future",
            "a breach cannot be discovered in the future",
            "un incident nu poate fi descoperit în viitor";
        BreachEndsBeforeStart => "breaches.ends_before_start",
            "the breach cannot end before it began",
            "incidentul nu se poate încheia înainte să înceapă";
        BreachIncomplete => "breaches.incomplete",
            "a breach needs what happened, the data concerned, the consequences and the measures taken and proposed",
            "un incident are nevoie de ce s-a întâmplat, datele vizate, consecințe și măsurile luate și propuse";
        BreachTextTooLong { max: usize } => "breaches.text_too_long",
            "a text in the breach register is longer than {max} characters",
            "un text din registrul incidentelor depășește {max} de caractere";
        UnknownBreachNature => "breaches.unknown_nature",
            "a breach is of confidentiality, integrity or availability",
            "un incident privește confidențialitatea, integritatea sau disponibilitatea";
        UnknownRisk => "breaches.unknown_risk",
            "the risk is none, risk or high",
            "riscul este none, risk sau high";

        // chart
        ChartEntryInFuture => "chart.entry_in_future",
            "a chart entry cannot be dated in the future",
            "o înregistrare din fișa dentară nu poate avea o dată viitoare";
        FeeOutOfRange => "chart.fee_out_of_range",
            "a fee is from 0 to 1,000,000 RON",
            "un tarif este între 0 și 1.000.000 lei";
        FollowsOtherTooth => "chart.follows_other_tooth",
            "an entry can only follow one on the same tooth",
            "o înregistrare poate continua doar una de pe același dinte";
        NotATooth => "chart.not_a_tooth",
            "a tooth is an FDI number: 11-18, 21-28, 31-38, 41-48, or 51-55, 61-65, 71-75, 81-85",
            "un dinte se notează FDI: 11-18, 21-28, 31-38, 41-48 sau 51-55, 61-65, 71-75, 81-85";
        ProcedureCodeFormat => "chart.procedure_code_format",
            "a procedure code is lower-case letters, digits, dots and underscores (restoration.composite)",
            "codul procedurii are litere mici, cifre, puncte și liniuțe jos (restoration.composite)";
        ProcedureCodeRequired => "chart.procedure_code_required",
            "a procedure needs its code",
            "procedura are nevoie de cod";
        ProcedureNameRequired => "chart.procedure_name_required",
            "a procedure needs its name in Romanian and in English",
            "procedura are nevoie de denumire în română și în engleză";
        ProcedureNotInCatalogue => "chart.procedure_not_in_catalogue",
            "the procedure is not in the clinic's catalogue",
            "procedura nu este în lista cabinetului";
        SurfaceTwice => "chart.surface_twice",
            "a surface is named twice (O and I are one surface, as are L and P)",
            "o suprafață apare de două ori (O și I sunt aceeași suprafață, la fel L și P)";
        SurfacesRequired => "chart.surfaces_required",
            "this procedure needs the surfaces it is done on",
            "procedura are nevoie de suprafețele pe care se face";
        UnknownSurface => "chart.unknown_surface",
            "a surface is mesial, distal, occlusal (incisal), buccal (labial) or lingual (palatal), or its letter: M, D, O/I, B/V/F, L/P, or letters together (MOD)",
            "o suprafață este mezială, distală, ocluzală (incizală), vestibulară sau linguală (palatinală), ori litera ei: M, D, O/I, B/V/F, L/P, sau literele împreună (MOD)";

        // clinical
        AmendOriginal => "clinical.amend_original",
            "amend the original note, not an amendment",
            "completați nota originală, nu o completare";
        AmendmentBeforeNote => "clinical.amendment_before_note",
            "an amendment cannot be dated before the note it amends",
            "o completare nu poate avea o dată anterioară notei pe care o completează";
        AmendmentReason => "clinical.amendment_reason",
            "an amendment, and only an amendment, gives its reason",
            "doar o completare, și orice completare, își spune motivul";
        AnswerDetailRequired => "clinical.answer_detail_required",
            "a yes to allergies, medication, anticoagulants or other must say what",
            "un „da” la alergii, medicație, anticoagulante sau altele trebuie să spună ce anume";
        AnsweredTwice => "clinical.answered_twice",
            "a question of the medical history is answered twice",
            "o întrebare din anamneză are două răspunsuri";
        FurcationSingleRoot => "clinical.furcation_single_root",
            "furcation is graded only on multi-rooted teeth",
            "furcația se gradează doar la dinții pluriradiculari";
        NoteTextRequired => "clinical.note_text_required",
            "a clinical note needs its text",
            "nota clinică are nevoie de text";
        PerioDepthRange => "clinical.perio_depth_range",
            "probing depths and recession are between 0 and 15 mm",
            "adâncimea de sondare și retracția sunt între 0 și 15 mm";
        PerioEmpty => "clinical.perio_empty",
            "a periodontal examination measures at least one tooth",
            "o examinare parodontală măsoară cel puțin un dinte";
        PerioGradeRange => "clinical.perio_grade_range",
            "mobility and furcation are graded 0 to 3",
            "mobilitatea și furcația au gradele 0-3";
        PerioToothTwice => "clinical.perio_tooth_twice",
            "a tooth is measured twice in one examination",
            "un dinte este măsurat de două ori în aceeași examinare";
        ClinicalRecordInFuture => "clinical.record_in_future",
            "a clinical record cannot be dated in the future",
            "o înregistrare din fișa clinică nu poate avea o dată viitoare";
        UnknownNoteTemplate => "clinical.unknown_template",
            "no such note template",
            "nu există acest șablon de notă";

        // cnp
        CnpBirthDate => "cnp.birth_date",
            "the birth date it encodes does not exist",
            "data nașterii pe care o conține nu există";
        CnpControlDigit => "cnp.control_digit",
            "the control digit does not match (a typing mistake?)",
            "cifra de control nu se potrivește (o greșeală de tastare?)";
        CnpCounty => "cnp.county",
            "the county code is not a valid one",
            "codul de județ nu este valid";
        CnpDigitsOnly => "cnp.digits_only",
            "it must contain only digits",
            "trebuie să conțină doar cifre";
        CnpFirstDigit => "cnp.first_digit",
            "the first digit (sex and century) cannot be 0",
            "prima cifră (sexul și secolul) nu poate fi 0";
        CnpLength => "cnp.length",
            "it must have exactly 13 digits",
            "trebuie să aibă exact 13 cifre";

        // consent
        GiverNotLinked => "consent.giver_not_linked",
            "a consent can be given by the patient or a linked guardian",
            "consimțământul îl poate da pacientul sau un părinte ori tutore legat de fișă";
        GuardianClosed => "consent.guardian_closed",
            "the guardian's record is closed",
            "fișa părintelui sau tutorelui este închisă";
        NoticeIncomplete => "consent.notice_incomplete",
            "a notice needs a version and both the Romanian and English texts",
            "o notă de informare are nevoie de o versiune și de ambele texte, în română și în engleză";
        OnlyGuardian => "consent.only_guardian",
            "this person is the only guardian linked to a minor: link another guardian first",
            "această persoană este singurul tutore legat de un minor: legați mai întâi alt tutore";
        OwnGuardian => "consent.own_guardian",
            "a patient cannot be their own guardian",
            "un pacient nu își poate fi propriul tutore";
        RelationshipRequired => "consent.relationship_required",
            "say how the guardian is related (mother, father, legal guardian)",
            "spuneți ce relație are cu pacientul (mamă, tată, tutore legal)";
        ConsentTextRequired => "consent.text_required",
            "the exact text shown to the patient is required",
            "textul exact arătat pacientului este obligatoriu";
        UnknownConsentKind => "consent.unknown_kind",
            "consent kind must be terms_of_service, privacy_notice, health_data, data_processing, marketing or research",
            "tipul consimțământului trebuie să fie terms_of_service, privacy_notice, health_data, data_processing, marketing sau research";
        UnknownConsentMethod => "consent.unknown_method",
            "consent method must be checkbox, signature, paper or verbal",
            "modul consimțământului trebuie să fie checkbox, signature, paper sau verbal";

        // email
        EmailDomain => "email.domain",
            "the part after @ must be a domain such as example.ro",
            "partea de după @ trebuie să fie un domeniu, de exemplu example.ro";
        EmailNoAt => "email.no_at",
            "it needs an @",
            "îi lipsește @";
        EmailOneAt => "email.one_at",
            "it needs exactly one @ with a name before it",
            "trebuie să aibă un singur @, cu un nume înaintea lui";
        EmailSpaces => "email.spaces",
            "it cannot contain spaces",
            "nu poate conține spații";

        // files
        InsideDataFolder => "files.inside_data_folder",
            "files for people are not written into Cuspid's own folders: choose another folder",
            "fișierele pentru oameni nu se scriu în dosarele proprii ale Cuspid: alegeți alt dosar";
        NotPicked => "files.not_picked",
            "Cuspid opens only the files saved from this window since it started",
            "Cuspid deschide doar fișierele salvate din această fereastră de la pornire";

        // gdpr
        ExportFolderMissing => "gdpr.export_folder_missing",
            "the export folder does not exist",
            "dosarul pentru export nu există";
        NotErasureRequest => "gdpr.not_erasure_request",
            "the request is not an erasure request",
            "cererea nu este o cerere de ștergere";
        PassphraseTooShort { min: usize } => "gdpr.passphrase_too_short",
            "an export passphrase needs at least {min} characters",
            "parola exportului trebuie să aibă cel puțin {min} caractere";

        // imaging
        ImageDamaged => "imaging.damaged",
            "the image file is damaged or incomplete and cannot be read",
            "fișierul imaginii este deteriorat sau incomplet și nu poate fi citit";
        DicomBitDepth => "imaging.dicom_bit_depth",
            "only 8- and 16-bit DICOM images are supported",
            "sunt acceptate doar imagini DICOM pe 8 și 16 biți";
        DicomColour => "imaging.dicom_colour",
            "the DICOM colour image cannot be read",
            "imaginea DICOM color nu poate fi citită";
        DicomEncoding => "imaging.dicom_encoding",
            "the DICOM image is compressed in an encoding Cuspid does not read: export it from the imaging software uncompressed, as JPEG 2000 or as JPEG",
            "imaginea DICOM este comprimată într-o codificare pe care Cuspid nu o citește: exportați-o din programul de imagistică necomprimată, ca JPEG 2000 sau ca JPEG";
        DicomJpeg12Bit => "imaging.dicom_jpeg_12bit",
            "the DICOM image is compressed as 12-bit JPEG (extended process), which Cuspid does not read: export it from the imaging software uncompressed or as JPEG 2000",
            "imaginea DICOM este comprimată JPEG pe 12 biți (proces extins), pe care Cuspid nu îl citește: exportați-o din programul de imagistică necomprimată sau ca JPEG 2000";
        DicomJpegLs => "imaging.dicom_jpeg_ls",
            "the DICOM image is compressed as JPEG-LS, which Cuspid does not read: export it from the imaging software uncompressed or as JPEG 2000",
            "imaginea DICOM este comprimată JPEG-LS, pe care Cuspid nu îl citește: exportați-o din programul de imagistică necomprimată sau ca JPEG 2000";
        DicomNoImage => "imaging.dicom_no_image",
            "the DICOM file holds no image",
            "fișierul DICOM nu conține nicio imagine";
        DicomUnreadable => "imaging.dicom_unreadable",
            "the DICOM image data cannot be decoded: the file is damaged or its pixels do not match its header",
            "imaginea DICOM nu poate fi decodată: fișierul este deteriorat sau pixelii nu corespund antetului";
        DicomVideo => "imaging.dicom_video",
            "the DICOM file holds a video (MPEG or HEVC), which Cuspid does not show: export single images from the imaging software",
            "fișierul DICOM conține un film (MPEG sau HEVC), pe care Cuspid nu îl afișează: exportați imagini separate din programul de imagistică";
        NoSuchFrame { frames: u32 } => "imaging.no_such_frame",
            "the image has {frames} frame(s): choose one of them",
            "imaginea are {frames} cadre: alegeți unul dintre ele";
        ImageTooLarge => "imaging.too_large",
            "the image is larger than Cuspid opens (more than 512 MB once decoded)",
            "imaginea este mai mare decât deschide Cuspid (peste 512 MB după decodare)";
        UnknownImageFormat => "imaging.unknown_format",
            "the file is not a PNG, JPEG, TIFF or DICOM image",
            "fișierul nu este o imagine PNG, JPEG, TIFF sau DICOM";

        // input
        DateFormat => "input.date_format",
            "dates are written YYYY-MM-DD and must exist",
            "datele se scriu AAAA-LL-ZZ și trebuie să existe";
        TimeFormat => "input.time_format",
            "times are written as RFC 3339, e.g. 2026-11-25T14:30:00+02:00",
            "momentele se scriu în format RFC 3339, de exemplu 2026-11-25T14:30:00+02:00";

        // keyring
        Ambiguous => "keyring.ambiguous",
            "the keyring holds several entries for this user",
            "portofelul de chei are mai multe intrări pentru acest utilizator";
        Forgotten => "keyring.forgotten",
            "this workstation no longer remembers you; sign in with the password",
            "această stație nu vă mai reține; autentificați-vă cu parola";
        KeyringLocked => "keyring.locked",
            "the keyring is locked or not running",
            "portofelul de chei este blocat sau nu rulează";
        NoService => "keyring.no_service",
            "the keyring service is not available",
            "serviciul portofelului de chei nu este disponibil";
        NotEnrolled => "keyring.not_enrolled",
            "this workstation is not enrolled",
            "această stație de lucru nu vă ține minte";
        OldEntryRemoved => "keyring.old_entry_removed",
            "the entry was made by an earlier version and is removed; sign in with the password and enrol again",
            "intrarea a fost făcută de o versiune anterioară și a fost ștearsă; autentificați-vă cu parola și înscrieți din nou stația";
        PrivilegedRole => "keyring.privileged_role",
            "administrator and DPO accounts sign in with their password",
            "conturile de administrator și DPO se autentifică cu parola";
        Refused => "keyring.refused",
            "the keyring refused the request",
            "portofelul de chei a refuzat cererea";
        ServerPasswordNeedsKeyring => "keyring.server_password",
            "the server's password needs the OS keyring, which is not available",
            "parola serverului are nevoie de portofelul de chei al sistemului, care nu este disponibil";
        UnreadableEntry => "keyring.unreadable_entry",
            "the keyring holds an entry this build cannot read",
            "portofelul de chei are o intrare pe care această versiune nu o poate citi";

        // mfa
        MfaNotStarted => "mfa.not_started",
            "start the two-factor set-up first",
            "începeți mai întâi configurarea autentificării în doi pași";
        TotpSecretFormat => "mfa.secret_format",
            "a TOTP secret is written in base32 (A-Z, 2-7)",
            "un secret TOTP se scrie în base32 (A-Z, 2-7)";
        TotpSecretTooShort => "mfa.secret_too_short",
            "a TOTP secret needs at least 128 bits",
            "un secret TOTP are nevoie de cel puțin 128 de biți";

        // patients
        BornBefore1880 => "patients.born_before_1880",
            "the birth date is before 1880",
            "data nașterii este înainte de 1880";
        BornInFuture => "patients.born_in_future",
            "the birth date is in the future",
            "data nașterii este în viitor";
        ChangeReasonRequired => "patients.change_reason_required",
            "a reason for the change is required",
            "motivul modificării este obligatoriu";
        FirstNameRequired => "patients.first_name_required",
            "the first name is required",
            "prenumele este obligatoriu";
        FirstNameTooLong { max: usize } => "patients.first_name_too_long",
            "the first name is longer than {max} characters",
            "prenumele are mai mult de {max} de caractere";
        LastNameRequired => "patients.last_name_required",
            "the last name is required",
            "numele de familie este obligatoriu";
        LastNameTooLong { max: usize } => "patients.last_name_too_long",
            "the last name is longer than {max} characters",
            "numele de familie are mai mult de {max} de caractere";
        NotRectificationRequest => "patients.not_rectification_request",
            "the request is not an open rectification request",
            "cererea nu este o cerere de rectificare deschisă";
        NothingToChange => "patients.nothing_to_change",
            "nothing to change",
            "nu este nimic de modificat";
        SearchEmpty => "patients.search_empty",
            "type part of a name to search",
            "scrieți o parte din nume pentru căutare";
        UnknownPatientLanguage => "patients.unknown_language",
            "a patient's language is ro or en",
            "limba pacientului este ro sau en";
        UnknownSex => "patients.unknown_sex",
            "sex must be f or m",
            "sexul trebuie să fie f sau m";

        // phone
        PhoneCharacters => "phone.characters",
            "only digits, spaces, dashes and a leading + are allowed",
            "sunt permise doar cifre, spații, cratime și un + la început";
        PhoneInternationalLength => "phone.international_length",
            "an international number has 8 to 15 digits",
            "un număr internațional are între 8 și 15 cifre";
        PhonePrefix => "phone.prefix",
            "start with 0 for a Romanian number, or + and the country code",
            "începeți cu 0 pentru un număr românesc, sau cu + și prefixul țării";
        PhoneRomanianInternationalLength => "phone.romanian_international_length",
            "a Romanian number has 9 digits after +40",
            "un număr românesc are 9 cifre după +40";
        PhoneRomanianLength => "phone.romanian_length",
            "a Romanian number has 10 digits, starting with 0",
            "un număr românesc are 10 cifre și începe cu 0";

        // plans
        PlanAlreadyAnswered => "plans.already_answered",
            "the patient's answer to this plan is already recorded",
            "răspunsul pacientului la acest plan este deja înregistrat";
        PlanAnswered => "plans.answered",
            "a plan the patient has answered is not changed: write a new one",
            "un plan la care pacientul a răspuns nu se mai modifică: întocmiți unul nou";
        AnsweredByRequired => "plans.answered_by_required",
            "say who accepted or declined the plan",
            "spuneți cine a acceptat sau a refuzat planul";
        PlanEmpty => "plans.empty",
            "a treatment plan has at least one option with at least one phase",
            "un plan de tratament are cel puțin o variantă, cu cel puțin o etapă";
        PlanFollowsOtherTooth => "plans.follows_other_tooth",
            "a plan item follows a procedure charted on the same tooth",
            "o procedură din plan continuă o procedură din fișă de pe același dinte";
        OptionTitleRequired => "plans.option_title_required",
            "an option of a treatment plan needs its title",
            "o variantă a planului de tratament are nevoie de un titlu";
        PhaseEmpty => "plans.phase_empty",
            "a phase of a treatment plan has at least one item",
            "o etapă a planului de tratament are cel puțin o procedură";
        PhaseNameRequired => "plans.phase_name_required",
            "a phase of a treatment plan needs its name",
            "o etapă a planului de tratament are nevoie de un nume";
        PlanTitleRequired => "plans.title_required",
            "a treatment plan needs its title",
            "planul de tratament are nevoie de un titlu";
        ToothRequired => "plans.tooth_required",
            "this procedure needs the tooth it is done on",
            "procedura are nevoie de dintele pe care se face";
        UnknownPlanOption => "plans.unknown_option",
            "the plan has no such option",
            "planul nu are această variantă";

        // profile
        ClinicAddressRequired => "profile.address_required",
            "the clinic address is required",
            "adresa cabinetului este obligatorie";
        CuiControlDigit => "profile.cui_control_digit",
            "this fiscal code (CUI) fails its control digit: check it for a typing mistake",
            "cifra de control a acestui cod fiscal (CUI) nu se potrivește: verificați dacă nu e o greșeală de tastare";
        CuiFormat => "profile.cui_format",
            "a fiscal code (CUI) has 2 to 10 digits, optionally preceded by RO",
            "codul fiscal (CUI) are între 2 și 10 cifre, eventual precedate de RO";
        DpoContactRequired => "profile.dpo_contact_required",
            "the data-protection contact needs an e-mail address or a phone number",
            "persoana de contact pentru protecția datelor are nevoie de un e-mail sau de un telefon";
        DpoNameRequired => "profile.dpo_name_required",
            "the data-protection contact's name is required",
            "numele persoanei de contact pentru protecția datelor este obligatoriu";
        ClinicNameRequired => "profile.name_required",
            "the clinic name is required",
            "denumirea cabinetului este obligatorie";
        ParticularsRequired => "profile.particulars_required",
            "letters need the clinic's particulars: fill them in the settings",
            "scrisorile au nevoie de datele cabinetului: completați-le în setări";
        ParticularTooLong { max: usize } => "profile.too_long",
            "a particular of the clinic is longer than {max} characters",
            "una dintre datele cabinetului are mai mult de {max} de caractere";

        // requests
        AlreadyExtended => "requests.already_extended",
            "this request was already extended",
            "termenul acestei cereri a fost deja prelungit";
        RequestClosed => "requests.closed",
            "this request is closed",
            "această cerere este închisă";
        ClosingNoteRequired => "requests.closing_note_required",
            "say what was done, or why not, in the closing note",
            "spuneți în nota de închidere ce s-a făcut sau de ce nu";
        ExtensionMonths => "requests.extension_months",
            "a deadline can be extended by one or two months",
            "termenul se poate prelungi cu una sau două luni";
        ExtensionReasonRequired => "requests.extension_reason_required",
            "the reason for the extension is required: the person is told it",
            "motivul prelungirii este obligatoriu: persoana este informată despre el";
        ExtensionTooLate => "requests.extension_too_late",
            "an extension must be decided before the first month runs out",
            "prelungirea se decide înainte să treacă prima lună";
        IdentityCheckRequired => "requests.identity_check_required",
            "say how the person's identity was checked",
            "spuneți cum a fost verificată identitatea persoanei";
        NotExtended => "requests.not_extended",
            "this request's deadline was not extended",
            "termenul acestei cereri nu a fost prelungit";
        RequestNoteTooLong { max: usize } => "requests.note_too_long",
            "a note in the request log is longer than {max} characters",
            "o notă din registrul cererilor are mai mult de {max} de caractere";
        OtherPatient => "requests.other_patient",
            "the request is about another patient",
            "cererea privește alt pacient";
        ReceivedInFuture => "requests.received_in_future",
            "a request cannot be received in the future",
            "o cerere nu poate fi primită în viitor";
        RequesterNotLinked => "requests.requester_not_linked",
            "a request on a patient's behalf comes from a linked parent or guardian",
            "o cerere în numele pacientului vine de la un părinte sau tutore legat de fișă";
        UnknownOutcome => "requests.unknown_outcome",
            "an outcome is one of granted, partly_granted, refused, withdrawn",
            "rezultatul este granted, partly_granted, refused sau withdrawn";
        UnknownRight => "requests.unknown_right",
            "a request is one of access, rectification, erasure, restriction, portability, objection",
            "o cerere este de acces, rectificare, ștergere, restricționare, portabilitate sau opoziție";

        // restriction
        RestrictionUnchanged => "restriction.unchanged",
            "the record already has that restriction",
            "fișa are deja această restricționare";
        UnknownRestriction => "restriction.unknown",
            "a restriction is none, restricted or verification",
            "o restricționare este none, restricted sau verification";

        // retention
        LegalBasisRequired => "retention.basis_required",
            "say on which legal basis the data is kept",
            "spuneți pe ce temei legal sunt păstrate datele";
        BelowLegalMinimum => "retention.below_legal_minimum",
            "the law requires this data to be kept longer: the period cannot be shorter than the legal minimum",
            "legea cere ca aceste date să fie păstrate mai mult: perioada nu poate fi mai scurtă decât minimul legal";
        PeriodRange => "retention.period_range",
            "a retention period is from 1 day to 50 years",
            "o perioadă de păstrare este între o zi și 50 de ani";
        UnknownPeriodUnit => "retention.unknown_unit",
            "a retention period is counted in days, months or years",
            "o perioadă de păstrare se măsoară în zile, luni sau ani";

        // settings
        IdleLockRange => "settings.idle_lock_range",
            "the idle lock must be between 1 and 120 minutes",
            "blocarea automată trebuie să fie între 1 și 120 de minute";
        UnknownLanguage => "settings.unknown_language",
            "language must be ro or en",
            "limba trebuie să fie ro sau en";

        // staff
        ChangeOwnRole => "staff.change_own_role",
            "you cannot change your own role",
            "nu vă puteți schimba propriul rol";
        DisableSelf => "staff.disable_self",
            "you cannot disable your own account",
            "nu vă puteți dezactiva propriul cont";
        UnknownRole => "staff.unknown_role",
            "role must be one of receptionist, assistant, dentist, owner, dpo, admin",
            "rolul trebuie să fie receptionist, assistant, dentist, owner, dpo sau admin";
        UserNameFormat => "staff.user_name_format",
            "a user name has 2 to 40 characters: letters, digits, dot, dash or underscore",
            "un nume de utilizator are între 2 și 40 de caractere: litere, cifre, punct, cratimă sau liniuță jos";

        // store
        PlaintextClinic => "store.plaintext_clinic",
            "a clinic without field encryption exists only in benchmark builds",
            "o clinică fără criptarea câmpurilor există doar în versiunile de măsurare a performanței";
        RoleNameFormat => "store.role_name_format",
            "a role name has lowercase letters, digits and _ and starts with a letter",
            "numele unui rol are litere mici, cifre și _ și începe cu o literă";
        ServerAddressFormat => "store.server_address_format",
            "a server address is postgres://user@host:port/database",
            "adresa unui server se scrie postgres://utilizator@gazdă:port/bază-de-date";
        WorkstationsRoleIsOwner => "store.workstations_role_is_owner",
            "the workstations' role must not be the owner: create a separate login role for them",
            "rolul stațiilor de lucru nu poate fi proprietarul: creați un rol separat pentru ele";

        // workstation
        PinFormat => "workstation.pin_format",
            "a PIN has 6 to 12 digits and nothing else",
            "un PIN are între 6 și 12 cifre și nimic altceva";
        PinGuessable => "workstation.pin_guessable",
            "a PIN cannot be one digit repeated or a run such as 123456",
            "un PIN nu poate fi o cifră repetată sau un șir ca 123456";
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn all_wordings() -> impl Iterator<Item = &'static Wording> {
        Subject::WORDINGS.iter().chain(Rule::WORDINGS)
    }

    #[test]
    fn every_code_is_worded_once_in_both_languages() {
        let mut seen = HashSet::new();
        for w in all_wordings() {
            assert!(seen.insert(w.code), "code declared twice: {}", w.code);
            assert!(!w.en.is_empty() && !w.ro.is_empty() && w.en != w.ro, "not translated: {}", w.code);
        }
    }

    #[test]
    fn both_wordings_name_the_same_parameters() {
        let names = |t: &str| -> Vec<String> {
            t.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|(n, _)| n.to_owned()).collect()
        };
        for w in all_wordings() {
            assert_eq!(names(w.en), names(w.ro), "{}: the two wordings use other parameters", w.code);
        }
    }

    #[test]
    fn a_rule_is_worded_with_its_parameters_in_the_chosen_language() {
        let rule = Rule::FirstNameTooLong { max: 100 };
        assert_eq!(rule.code(), "patients.first_name_too_long");
        assert_eq!(rule.to_string(), "the first name is longer than 100 characters");
        assert_eq!(rule.text(Language::Ro), "prenumele are mai mult de 100 de caractere");
        assert_eq!(Rule::CnpLength.text(Language::Ro), "trebuie să aibă exact 13 cifre");
    }

    #[test]
    fn the_password_rule_says_the_length_it_enforces() {
        let short = "x".repeat(crate::clinic::MIN_PASSWORD_CHARS - 1);
        let err = crate::clinic::check_password_policy(&short).unwrap_err();
        let needed = crate::clinic::MIN_PASSWORD_CHARS.to_string();
        assert!(err.to_string().contains(&needed), "{err}");
        assert!(crate::clinic::check_password_policy(&"x".repeat(crate::clinic::MIN_PASSWORD_CHARS)).is_ok());
    }

    #[test]
    fn a_rule_crosses_the_boundary_as_its_code_and_parameters() {
        let json = serde_json::to_value(Rule::PasswordTooShort { min: 10 }).unwrap();
        assert_eq!(json, serde_json::json!({"code": "auth.password_too_short", "min": 10}));
        let back: Rule = serde_json::from_value(serde_json::json!({"code": "cnp.length"})).unwrap();
        assert_eq!(back, Rule::CnpLength);
    }
}
