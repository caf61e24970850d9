//! `cuspid`: the command line of the core. It parses arguments, logs in, calls
//! one `Clinic` method and prints the result; nothing else.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use cuspid::chart::{Finding, NewChartEntry};
use cuspid::consent::{ConsentInput, ConsentKind, ConsentMethod, GuardianInput};
use cuspid::requests::{NewRequest, RequestDto, RequestKind, RequestOutcome};
use cuspid::retention::PeriodUnit;
use cuspid::{
    AuditFilter, Clinic, ClinicConfig, ClinicProfile, DpoContact, Error, Location, NewPatient,
    PatientChanges, PatientQuery, Result, Role, Session,
};
use serde::Serialize;
use uuid::Uuid;
use zeroize::Zeroizing;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  internal error
  2  usage error (bad arguments)
  3  authentication or permission (wrong password, locked, not allowed)
  4  invalid input (bad CNP, phone, e-mail, date)
  5  conflict (duplicate CNP, already exists, changed by someone else meanwhile)
  6  not found
  7  integrity failure (tampered data, broken audit chain)
  8  storage (not a Cuspid database, database unreachable)

Secrets never go on the command line: the password comes from CUSPID_PASSWORD
or a prompt (on a workstation that remembers the user, the PIN from CUSPID_PIN
or a prompt instead); new passwords from CUSPID_NEW_PASSWORD or a prompt; a new
PIN from CUSPID_NEW_PIN or a prompt; the recovery key from CUSPID_RECOVERY_KEY
or a prompt. Nobody acts without typing (or passing) their own secret.";

#[derive(Parser, Debug)]
#[command(name = "cuspid", version, about = "Cuspid: dental practice management, encrypted and audited", after_help = EXIT_CODES)]
struct Cli {
    /// Data folder holding the SQLite database (default: the OS app-data folder).
    #[arg(long, global = true, env = "CUSPID_DATA_DIR", conflicts_with = "database_url")]
    data_dir: Option<PathBuf>,
    /// PostgreSQL server shared by the clinic's workstations (postgres://...).
    #[arg(long, global = true, env = "CUSPID_DATABASE_URL")]
    database_url: Option<String>,
    /// Staff user name to act as (password from CUSPID_PASSWORD or a prompt; PIN on a remembered workstation).
    #[arg(long, global = true, env = "CUSPID_USER")]
    user: Option<String>,
    /// Print machine-readable JSON on stdout (errors as {kind, message} on stderr).
    #[arg(long, global = true)]
    json: bool,
    /// Folder for this workstation's own state (audit checkpoints).
    #[arg(long, global = true, env = "CUSPID_STATE_DIR", hide = true)]
    state_dir: Option<PathBuf>,
    /// A second folder for this workstation's audit checkpoint (another disk or a share).
    #[arg(long, global = true, env = "CUSPID_CHECKPOINT_MIRROR")]
    checkpoint_mirror: Option<PathBuf>,
    /// Name of this workstation in the audit log (default: the host name).
    #[arg(long, global = true, env = "CUSPID_WORKSTATION")]
    workstation: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Set up a new clinic: clinic key, first administrator, recovery key (shown once).
    Init {
        #[command(flatten)]
        profile: ProfileArgs,
        #[arg(long)]
        admin_user: String,
    },
    /// The clinic's particulars printed on letters (name, address, numbers, DPO).
    #[command(subcommand)]
    Clinic(ClinicCmd),
    /// Staff accounts.
    #[command(subcommand)]
    Staff(StaffCmd),
    /// This workstation.
    #[command(subcommand)]
    Workstation(WorkstationCmd),
    /// Your two-factor sign-in (TOTP).
    #[command(subcommand)]
    Mfa(MfaCmd),
    /// The clinic key.
    #[command(subcommand)]
    Keys(KeysCmd),
    /// The clinic's PostgreSQL server (run by its administrator, as the owner role).
    #[command(subcommand)]
    Db(DbCmd),
    /// Set a new administrator password with the recovery key printed at init.
    Recover {
        #[arg(long)]
        admin_user: String,
    },
    /// The patient registry.
    #[command(subcommand)]
    Patient(PatientCmd),
    /// Consent records: grant, withdraw, list.
    #[command(subcommand)]
    Consent(ConsentCmd),
    /// Privacy-notice versions (Romanian and English).
    #[command(subcommand)]
    Notice(NoticeCmd),
    /// The data-subject request log (DPO); also `dsar`.
    #[command(subcommand, alias = "dsar")]
    Request(RequestCmd),
    /// The retention schedule: how long each category of data is kept.
    #[command(subcommand)]
    Retention(RetentionCmd),
    /// The record of processing activities (GDPR Art. 30).
    #[command(subcommand)]
    Register(RegisterCmd),
    /// The breach register and its notices (GDPR Art. 33, 34; DPO).
    #[command(subcommand)]
    Breach(BreachCmd),
    /// The tooth chart (FDI): dated findings and procedures (dentist, assistant).
    #[command(subcommand)]
    Chart(ChartCmd),
    /// Clinical notes (dentist, assistant).
    #[command(subcommand)]
    Note(NoteCmd),
    /// X-rays and clinical photographs (dentist, assistant).
    #[command(subcommand)]
    Xray(XrayCmd),
    /// Treatment plans (dentist, assistant).
    #[command(subcommand)]
    Plan(PlanCmd),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCmd),
}

#[derive(Subcommand, Debug)]
enum NoteCmd {
    /// Write a clinical note, or amend one (--amends with --reason).
    Add {
        patient: Uuid,
        /// The note's text (`-` reads it from standard input).
        text: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        /// examination, filling, extraction, endodontic, hygiene, emergency.
        #[arg(long)]
        template: Option<String>,
        #[arg(long, requires = "reason")]
        amends: Option<Uuid>,
        #[arg(long)]
        reason: Option<String>,
    },
    /// The notes, newest first, each with its amendments; and the medical alerts.
    List { patient: Uuid },
}

#[derive(Subcommand, Debug)]
enum XrayCmd {
    /// Import a PNG, JPEG, TIFF or DICOM file; a damaged one is refused, nothing kept.
    Import {
        patient: Uuid,
        file: PathBuf,
        /// bitewing, periapical, panoramic, cbct_slice or photo.
        #[arg(long, default_value = "periapical")]
        kind: String,
        /// The day it was taken, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        /// FDI numbers of the teeth shown; repeat or comma-separate.
        #[arg(long, value_delimiter = ',')]
        teeth: Vec<u8>,
        #[arg(long)]
        note: Option<String>,
    },
    /// The patient's images, newest first.
    List { patient: Uuid },
    /// Save the original file as imported, byte for byte.
    Export {
        patient: Uuid,
        xray: Uuid,
        file: PathBuf,
        /// Remove what the file's header says of the patient, staff, clinic, device or
        /// place (DICOM attributes, EXIF with GPS, XMP, comments); the pixels stay.
        #[arg(long)]
        strip_identifiers: bool,
    },
}

#[derive(Subcommand, Debug)]
enum PlanCmd {
    /// The patient's plans with their options, totals and decision.
    List { patient: Uuid },
    /// Write a plan as the PDF the patient takes home.
    Pdf {
        patient: Uuid,
        plan: Uuid,
        file: PathBuf,
        /// ro or en (default: the patient's language).
        #[arg(long)]
        language: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum ChartCmd {
    /// Chart a condition (--condition) or a procedure (--procedure CODE --state).
    Add {
        patient: Uuid,
        /// FDI number: 11-48 permanent, 51-85 primary.
        #[arg(long)]
        tooth: u8,
        /// mesial, distal, occlusal (incisal), buccal (labial), lingual (palatal); repeat or comma-separate.
        #[arg(long, value_delimiter = ',')]
        surface: Vec<String>,
        /// caries, filling, crown, bridge_abutment, bridge_pontic, missing, implant,
        /// root_canal_treated, fracture, mobility.
        #[arg(long, conflicts_with = "procedure")]
        condition: Option<String>,
        /// The condition is resolved (with --supersedes naming the finding).
        #[arg(long)]
        resolved: bool,
        /// A procedure code of the clinic's catalogue.
        #[arg(long)]
        procedure: Option<String>,
        /// planned, in_progress or done.
        #[arg(long, default_value = "planned")]
        state: String,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// The entry this one follows (the planned procedure now done, the caries filled).
        #[arg(long)]
        supersedes: Option<Uuid>,
    },
    /// The chart as it stood at the end of a day (default: today), with its history.
    Show {
        patient: Uuid,
        #[arg(long)]
        as_of: Option<String>,
    },
    /// The procedure catalogue.
    Procedures,
    /// Add a procedure to the catalogue or change one (dentist, owner, administrator).
    Procedure {
        code: String,
        #[arg(long)]
        ro: String,
        #[arg(long)]
        en: String,
        /// The default fee in RON (e.g. 300 or 299.50).
        #[arg(long)]
        fee: f64,
        /// none, tooth or surfaces: what must be charted with it.
        #[arg(long, default_value = "tooth")]
        needs: String,
        /// Withdraw it from use (kept for the history).
        #[arg(long)]
        inactive: bool,
    },
}

#[derive(Subcommand, Debug)]
enum BreachCmd {
    /// Record a breach as discovered; the authority is due to hear within 72 hours.
    Open {
        /// When it was discovered (RFC 3339, or YYYY-MM-DD).
        #[arg(long)]
        discovered: String,
        #[arg(long)]
        occurred_from: Option<String>,
        #[arg(long)]
        occurred_to: Option<String>,
        /// confidentiality, integrity, availability (repeat or comma-separate).
        #[arg(long, value_delimiter = ',', required = true)]
        nature: Vec<String>,
        #[arg(long)]
        description: String,
        /// The categories of data concerned.
        #[arg(long)]
        categories: String,
        #[arg(long)]
        consequences: String,
        #[arg(long)]
        measures_taken: String,
        #[arg(long)]
        measures_proposed: String,
        /// none, risk or high.
        #[arg(long)]
        risk: String,
    },
    /// Every breach, newest first.
    List,
    /// Find the people affected from the audit log: --staff or --workstation with
    /// --from and --to, or --all-patients (a lost backup).
    Affected {
        id: Uuid,
        #[arg(long, conflicts_with_all = ["workstation", "all_patients"])]
        staff: Option<String>,
        #[arg(long, conflicts_with = "all_patients")]
        workstation: Option<String>,
        #[arg(long)]
        all_patients: bool,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
    },
    /// Write the notice to the authority (PDF, Art. 33(3)) and record that it went
    /// out; past 72 hours it needs --late-reason.
    NotifyAuthority {
        id: Uuid,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        late_reason: Option<String>,
        #[arg(long, default_value = "ro")]
        lang: String,
    },
    /// Write one letter per person affected and all-letters.pdf into a new folder
    /// inside --dir, and record when each went out.
    NotifySubjects {
        id: Uuid,
        #[arg(long)]
        dir: PathBuf,
        #[arg(long, default_value = "ro")]
        lang: String,
    },
}

#[derive(Subcommand, Debug)]
enum RegisterCmd {
    /// Print the Article 30 register, or write it as CSV and/or PDF.
    Art30 {
        /// Write the register as CSV to this file.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Write the register as a PDF to this file.
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// Language of the PDF: ro or en.
        #[arg(long, default_value = "ro")]
        lang: String,
    },
    /// Change one activity (DPO) from a JSON file with every field of the activity
    /// (`register art30 --json` prints the current ones).
    Edit {
        code: String,
        #[arg(long)]
        from: PathBuf,
    },
}

/// The clinic as it appears on paper.
#[derive(Args, Debug, Clone)]
struct ProfileArgs {
    #[arg(long)]
    clinic_name: String,
    /// Street, number, town, county, postal code.
    #[arg(long)]
    address: String,
    /// CUI/CIF (control digit checked), `RO` in front for VAT payers.
    #[arg(long)]
    fiscal_code: String,
    /// Trade-register number or entry in the register of medical practices.
    #[arg(long)]
    registry_number: Option<String>,
    /// Number of the sanitary operating permit.
    #[arg(long)]
    operating_permit: Option<String>,
    #[arg(long)]
    clinic_phone: Option<String>,
    #[arg(long)]
    clinic_email: Option<String>,
    /// The data-protection officer (or the person in charge of data protection).
    #[arg(long)]
    dpo_name: String,
    #[arg(long)]
    dpo_email: Option<String>,
    #[arg(long)]
    dpo_phone: Option<String>,
}

impl From<ProfileArgs> for ClinicProfile {
    fn from(a: ProfileArgs) -> Self {
        ClinicProfile {
            name: a.clinic_name,
            address: a.address,
            fiscal_code: a.fiscal_code,
            registry_number: a.registry_number,
            operating_permit: a.operating_permit,
            phone: a.clinic_phone,
            email: a.clinic_email,
            dpo: DpoContact { name: a.dpo_name, email: a.dpo_email, phone: a.dpo_phone },
        }
    }
}

#[derive(Subcommand, Debug)]
enum ClinicCmd {
    /// Print the clinic's particulars.
    Show,
    /// Replace the clinic's particulars (administrator).
    Set {
        #[command(flatten)]
        profile: Box<ProfileArgs>,
    },
}

#[derive(Subcommand, Debug)]
enum StaffCmd {
    /// Add a staff member (first password from CUSPID_NEW_PASSWORD or a prompt).
    Add {
        #[arg(long)]
        username: String,
        /// receptionist, assistant, dentist, owner, dpo or admin
        #[arg(long)]
        role: String,
    },
    List,
    /// Disable an account: its key slots are destroyed (rotate the clinic key afterwards).
    Disable {
        username: String,
    },
    /// Change a staff member's role; their open sessions end at their next action.
    Role {
        username: String,
        /// receptionist, assistant, dentist, owner, dpo or admin
        #[arg(long)]
        role: String,
    },
    /// Change a password (yours, or anyone's as admin); from CUSPID_NEW_PASSWORD or a
    /// prompt. Your own current password is asked again (CUSPID_PASSWORD or a prompt).
    Passwd {
        username: String,
    },
}

#[derive(Subcommand, Debug)]
enum MfaCmd {
    /// Set up two-factor sign-in: prints the secret and its otpauth:// URI for an
    /// authenticator app (or takes CUSPID_TOTP_SECRET), then asks for its first code
    /// (CUSPID_TOTP_NEW or a prompt) and prints ten one-time recovery codes.
    Enroll,
    /// Whether you are enrolled, and how many recovery codes are left.
    Status,
    /// Clear someone's second factor (a lost phone; administrators, your own password
    /// asked again). Administrator and DPO accounts enrol again at their next sign-in.
    Reset { username: String },
}

#[derive(Subcommand, Debug)]
enum WorkstationCmd {
    /// Remember this user here: they sign in with a PIN of their own (CUSPID_NEW_PIN or a
    /// prompt), opened with a workstation secret in the OS keyring. Not for admin or DPO.
    Enroll,
    /// Stop remembering this user here: the workstation slot and the keyring entry go.
    Forget,
}

#[derive(Subcommand, Debug)]
enum DbCmd {
    /// Create or upgrade the tables, connected (--database-url) as the role that owns
    /// them, and let the workstations' role read and write the clinic's tables but
    /// only append to the audit log. Run again after each upgrade.
    Setup {
        /// The login role the workstations connect with (not the owner).
        #[arg(long)]
        app_role: String,
    },
}

#[derive(Subcommand, Debug)]
enum KeysCmd {
    /// New clinic key; every key slot and patient key is re-wrapped.
    Rotate,
}

#[derive(Args, Debug, Default)]
struct PatientArgs {
    #[arg(long)]
    first_name: Option<String>,
    #[arg(long)]
    last_name: Option<String>,
    #[arg(long)]
    cnp: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    birth_date: Option<String>,
    /// f or m
    #[arg(long)]
    sex: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    address: Option<String>,
    #[arg(long)]
    emergency_contact: Option<String>,
    /// ro or en: the language of letters to the patient.
    #[arg(long)]
    language: Option<String>,
}

#[derive(Args, Debug)]
struct ConsentArgs {
    /// terms_of_service, privacy_notice, health_data, data_processing, marketing or research
    #[arg(long)]
    kind: String,
    /// checkbox, signature, paper or verbal
    #[arg(long, default_value = "paper")]
    method: String,
    /// The exact text the person was shown (or was read aloud).
    #[arg(long)]
    text: String,
    /// The guardian (patient id) acting for a minor.
    #[arg(long)]
    by: Option<Uuid>,
}

#[derive(Subcommand, Debug)]
enum ConsentCmd {
    /// Record that a consent was given.
    Grant {
        patient: Uuid,
        #[command(flatten)]
        consent: ConsentArgs,
    },
    /// Record that a consent was withdrawn (health_data starts the account-closure path).
    Withdraw {
        patient: Uuid,
        #[command(flatten)]
        consent: ConsentArgs,
    },
    /// Current state of every kind, then every record, newest first.
    List { patient: Uuid },
}

#[derive(Subcommand, Debug)]
enum RetentionCmd {
    /// Every category with its period, counted from what, and its legal basis (also `show`).
    #[command(alias = "show")]
    List,
    /// Show what the retention job would erase and anonymise; `--apply` does it.
    Run {
        #[arg(long)]
        apply: bool,
    },
    /// Change a category's period (DPO); never below the legal minimum.
    Set {
        category: String,
        #[arg(long)]
        period: u32,
        /// days, months or years
        #[arg(long, default_value = "years")]
        unit: String,
        /// The legal basis for keeping the data that long.
        #[arg(long)]
        basis: String,
    },
}

#[derive(Subcommand, Debug)]
enum RequestCmd {
    /// Log a request as it arrives; it is due one month after receipt (also `open`).
    #[command(alias = "open")]
    Add {
        #[arg(long)]
        patient: Uuid,
        /// access, rectification, erasure, restriction, portability or objection
        #[arg(long)]
        kind: String,
        /// The day it reached the clinic (YYYY-MM-DD).
        #[arg(long)]
        received: String,
        /// How the person's identity was checked.
        #[arg(long)]
        identity_check: String,
        /// A linked parent or guardian asking on the patient's behalf.
        #[arg(long)]
        via_guardian: Option<Uuid>,
    },
    /// Open requests by deadline, overdue first (`--all`: the closed ones too).
    List {
        #[arg(long)]
        all: bool,
    },
    /// One request.
    Show { id: Uuid },
    /// Extend the deadline by one or two months, with the reason the person is told.
    Extend {
        id: Uuid,
        #[arg(long)]
        months: u32,
        #[arg(long)]
        reason: String,
    },
    /// Write the letter telling the person of an extension (PDF).
    Letter {
        id: Uuid,
        /// The PDF file to write.
        #[arg(long)]
        out: PathBuf,
        /// ro or en
        #[arg(long, default_value = "ro")]
        lang: String,
    },
    /// Export the data of the request's patient, linked to the request (access or
    /// portability): as `patient export`.
    Export {
        id: Uuid,
        #[arg(long)]
        dir: PathBuf,
        /// ro or en; default: the language the reader gave, else the clinic's.
        #[arg(long)]
        lang: Option<String>,
        /// One age file (.zip.age) under a passphrase from CUSPID_EXPORT_PASSPHRASE or
        /// typed twice (at least 12 characters).
        #[arg(long, conflicts_with = "generate_passphrase")]
        encrypt: bool,
        /// One age file under 6 generated words in the letter's language, printed once
        /// (on stderr, or as generated_passphrase in --json) to give the person separately.
        #[arg(long)]
        generate_passphrase: bool,
        /// Export image files byte for byte; by default DICOM headers, EXIF (GPS), XMP
        /// and comments that identify anyone are removed.
        #[arg(long)]
        keep_image_metadata: bool,
    },
    /// Close with the outcome (granted, partly_granted, refused, withdrawn) and a note.
    Close {
        id: Uuid,
        #[arg(long)]
        outcome: String,
        #[arg(long)]
        note: String,
    },
}

#[derive(Subcommand, Debug)]
enum NoticeCmd {
    /// Publish a new version; it is shown at registration from now on.
    Publish {
        #[arg(long)]
        version: String,
        /// File with the Romanian text.
        #[arg(long)]
        ro: PathBuf,
        /// File with the English text.
        #[arg(long)]
        en: PathBuf,
    },
    /// The version in force.
    Show,
    /// Every version ever published, newest first.
    List,
}

#[derive(Subcommand, Debug)]
enum PatientCmd {
    /// Register a patient (CNP optional: tourists and foreigners have none). A
    /// patient under 16 needs --guardian, --relationship and --parental-consent.
    Add {
        #[command(flatten)]
        fields: PatientArgs,
        /// A parent or guardian: the patient id of their own record.
        #[arg(long, requires = "relationship")]
        guardian: Option<Uuid>,
        /// mother, father, legal guardian, ...
        #[arg(long)]
        relationship: Option<String>,
        /// The exact text of the parental health-data consent the guardian signed.
        #[arg(long, requires = "guardian")]
        parental_consent: Option<String>,
    },
    /// Link a parent or guardian (an existing patient) to a patient.
    Guardian {
        id: Uuid,
        #[arg(long)]
        guardian: Uuid,
        #[arg(long)]
        relationship: String,
    },
    /// Register patients from JSON lines (one NewPatient object a line; `-` for
    /// stdin). Each is saved on its own and acknowledged with one JSON line on
    /// stdout; the first bad line stops the import, naming its line number.
    Import { file: PathBuf },
    /// Find patients by one of name prefix, CNP, phone or e-mail.
    Find {
        #[arg(long, group = "by", required = true)]
        name: Option<String>,
        #[arg(long, group = "by")]
        cnp: Option<String>,
        #[arg(long, group = "by")]
        phone: Option<String>,
        #[arg(long, group = "by")]
        email: Option<String>,
    },
    /// Show one patient's record.
    Show { id: Uuid },
    /// Change a patient's record (an empty value clears an optional field).
    Update {
        id: Uuid,
        /// Why the data changes (kept in the rectification trail).
        #[arg(long, required_unless_present = "request")]
        reason: Option<String>,
        /// The rectification request this change answers (DPO): the trail entry and
        /// the request name each other, and the reason says so.
        #[arg(long)]
        request: Option<Uuid>,
        /// The record's `version` as last seen (`patient show`): refused with exit 5
        /// (`conflict.stale`) if someone saved it since. Default: the version now stored.
        #[arg(long)]
        expected_version: Option<i32>,
        #[command(flatten)]
        fields: PatientArgs,
    },
    /// The rectification trail (DPO).
    History { id: Uuid },
    /// Export everything held about a patient (DPO; Art. 15 and 20): JSON, CSV, XML
    /// and FHIR R4 in a new folder inside --dir, with the cover letter PDF beside it.
    Export {
        id: Uuid,
        /// An existing folder to write into.
        #[arg(long)]
        dir: PathBuf,
        /// The access or portability request this answers.
        #[arg(long)]
        request: Option<Uuid>,
        /// Language of the cover letter: ro or en; default: the one the reader gave, else
        /// the clinic's.
        #[arg(long)]
        lang: Option<String>,
        /// Write one age file (.zip.age) instead: the zip of the same files, encrypted
        /// under a passphrase from CUSPID_EXPORT_PASSPHRASE or typed twice (at least 12
        /// characters). It opens with `age -d` or `rage -d`.
        #[arg(long, conflicts_with = "generate_passphrase")]
        encrypt: bool,
        /// Write one age file under 6 generated words in the letter's language, printed
        /// once (on stderr, or as generated_passphrase in --json) to give the person
        /// separately from the file.
        #[arg(long)]
        generate_passphrase: bool,
        /// Export image files byte for byte; by default DICOM headers, EXIF (GPS), XMP
        /// and comments that identify anyone are removed.
        #[arg(long)]
        keep_image_metadata: bool,
    },
    /// Erase a patient (DPO; Art. 17): what the law keeps stays under the retention
    /// key, the rest is destroyed with the patient's data key. `--preview` only says
    /// what would happen.
    Erase {
        id: Uuid,
        /// The erasure request this answers.
        #[arg(long)]
        request: Option<Uuid>,
        #[arg(long)]
        preview: bool,
        /// Also write the answer letter (PDF) to this file.
        #[arg(long)]
        letter: Option<PathBuf>,
        /// Language of the letter: ro or en.
        #[arg(long, default_value = "ro")]
        lang: String,
    },
    /// Restrict processing (DPO; Art. 18): none, restricted or verification.
    Restrict {
        id: Uuid,
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand, Debug)]
enum AuditCmd {
    /// Walk the hash chain; exit 0 when it holds, 7 naming the first bad event otherwise.
    Verify,
    /// List events, oldest first.
    List {
        #[arg(long)]
        patient: Option<Uuid>,
        #[arg(long)]
        staff: Option<String>,
        #[arg(long)]
        action: Option<String>,
        /// RFC 3339 time or YYYY-MM-DD
        #[arg(long)]
        since: Option<String>,
        #[arg(long)]
        until: Option<String>,
        #[arg(long)]
        limit: Option<u64>,
    },
}

fn main() -> ExitCode {
    cuspid::logging::init_stderr();
    let cli = Cli::parse();
    let json = cli.json;
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(r) => r,
        Err(_) => return ExitCode::from(1),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report_error(&e, json);
            ExitCode::from(e.exit_code())
        }
    }
}

#[allow(clippy::print_stderr)]
fn report_error(e: &Error, json: bool) {
    if json {
        eprintln!("{}", serde_json::to_string(&e.to_dto()).unwrap_or_default());
    } else {
        eprintln!("error: {e} [{}]", e.kind());
    }
}

async fn run(cli: Cli) -> Result<()> {
    let location = match (&cli.database_url, &cli.data_dir) {
        (Some(url), _) => Location::Postgres(url.clone()),
        (None, Some(dir)) => Location::DataDir(dir.clone()),
        (None, None) => Location::DataDir(Location::default_data_dir()?),
    };
    if let Command::Db(DbCmd::Setup { app_role }) = &cli.command {
        let Location::Postgres(url) = &location else {
            return Err(Error::Usage(
                "`db setup` prepares a PostgreSQL server: give its owner's address with --database-url"
                    .into(),
            ));
        };
        let tables = cuspid::store::prepare_server(url, app_role).await?;
        return Output { json: cli.json }.done(&format!(
            "{tables} tables ready; the workstations connect as {app_role}, which may only append to the audit log"
        ));
    }
    let mut config = ClinicConfig::new(location);
    config.state_dir = cli.state_dir.clone();
    config.checkpoint_mirror = cli.checkpoint_mirror.clone();
    config.workstation = cli.workstation.clone();
    // Ask for init's password before touching the data folder: a refused init leaves nothing behind.
    let init_password = match &cli.command {
        Command::Init { .. } => Some(new_password("administrator password", true)?),
        _ => None,
    };
    let clinic = Clinic::open(config).await?;
    let out = Output { json: cli.json };

    match cli.command {
        Command::Init { profile, admin_user } => {
            let password = init_password.unwrap_or_default();
            let clinic_name = profile.clinic_name.trim().to_owned();
            let outcome = clinic.init(profile.into(), &admin_user, &password).await?;
            if out.json {
                out.json(&serde_json::json!({ "clinic_id": outcome.clinic_id, "recovery_key": outcome.recovery_key }))
            } else {
                out.line(&format!(
                    "Clinic \"{clinic_name}\" is set up; administrator: {admin_user}.\n\n\
                     RECOVERY KEY (shown once; print it or write it down and keep it locked away):\n\n    {}\n\n\
                     With it, `cuspid recover` sets a new administrator password if every password is lost.",
                    outcome.recovery_key
                ))
            }
        }
        Command::Recover { admin_user } => {
            let key = secret_from_env_or_prompt("CUSPID_RECOVERY_KEY", "Recovery key: ")?;
            let password = new_password("new administrator password", true)?;
            clinic.recover(&key, &admin_user, &password).await?;
            out.done("administrator password set; log in with it now")
        }
        command => {
            let session = login(&clinic, cli.user.as_deref()).await?;
            run_session(&clinic, &session, command, out).await
        }
    }
}

async fn login(clinic: &Clinic, user: Option<&str>) -> Result<Session> {
    let user = user.ok_or_else(|| Error::Usage("say who is acting with --user NAME".into()))?;
    let code = std::env::var("CUSPID_TOTP").ok().map(Zeroizing::new);
    if let Ok(password) = std::env::var("CUSPID_PASSWORD") {
        let password = &Zeroizing::new(password);
        return with_code(code, move |c| async move {
            clinic.login_with_code(user, password, c.as_ref().map(|z| z.as_str())).await
        })
        .await;
    }
    // A remembered workstation saves the slow key derivation, never the person's secret.
    let pin = match std::env::var("CUSPID_PIN") {
        Ok(pin) => Some(Zeroizing::new(pin)),
        Err(_) if clinic.keyring_enrolled(user) => Some(prompt_secret(&format!("PIN for {user}: "))?),
        Err(_) => None,
    };
    if let Some(pin) = &pin {
        let signed_in = with_code(code.clone(), move |c| async move {
            clinic.login_with_keyring(user, pin, c.as_ref().map(|z| z.as_str())).await
        })
        .await;
        match signed_in {
            Err(Error::KeyringUnavailable { reason }) => {
                tracing::debug!(%reason, "keyring sign-in not possible; asking for the password");
            }
            other => return other,
        }
    }
    let password = &prompt_secret(&format!("Password for {user}: "))?;
    with_code(code, move |c| async move {
        clinic.login_with_code(user, password, c.as_ref().map(|z| z.as_str())).await
    })
    .await
}

/// Sign in with the second-factor code from CUSPID_TOTP; without it, an account that
/// needs one is asked on a terminal (and refused, exit 3, without one).
async fn with_code<F, Fut>(code: Option<Zeroizing<String>>, sign_in: F) -> Result<Session>
where
    F: Fn(Option<Zeroizing<String>>) -> Fut,
    Fut: std::future::Future<Output = Result<Session>>,
{
    let had_code = code.is_some();
    match sign_in(code).await {
        Err(Error::TotpRequired) if !had_code && std::io::stdin().is_terminal() => {
            sign_in(Some(prompt_secret("Code from your authenticator app (or a recovery code): ")?)).await
        }
        other => other,
    }
}

async fn run_session(clinic: &Clinic, s: &Session, command: Command, out: Output) -> Result<()> {
    match command {
        Command::Staff(StaffCmd::Add { username, role }) => {
            let role = Role::parse(&role)?;
            let password = new_password(&format!("first password for {username}"), false)?;
            let staff = clinic.add_staff(s, &username, role, &password).await?;
            out.value(&staff, || format!("added {} ({})", staff.username, staff.role.as_str()))
        }
        Command::Staff(StaffCmd::List) => {
            let list = clinic.list_staff(s).await?;
            out.value(&list, || {
                list.iter()
                    .map(|m| {
                        format!(
                            "{:<20} {:<13} {:<9} last login {}",
                            m.username,
                            m.role.as_str(),
                            if m.active { "active" } else { "disabled" },
                            m.last_login_at.as_deref().unwrap_or("never")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Staff(StaffCmd::Disable { username }) => {
            let staff = clinic.disable_staff(s, &username).await?;
            out.value(&staff, || {
                format!(
                    "{} is disabled and their key slots destroyed.\n\
                     They held the clinic key while signed in: run `cuspid keys rotate` so that\n\
                     nothing they may have kept opens a copy of the database made from now on.",
                    staff.username
                )
            })
        }
        Command::Staff(StaffCmd::Role { username, role }) => {
            let staff = clinic.set_staff_role(s, &username, Role::parse(&role)?).await?;
            out.value(&staff, || format!("{} is now {}", staff.username, staff.role.as_str()))
        }
        Command::Staff(StaffCmd::Passwd { username }) => {
            let confirm = match std::env::var("CUSPID_PASSWORD") {
                Ok(p) => Zeroizing::new(p),
                Err(_) => prompt_secret(&format!("Your own current password ({}): ", s.username()))?,
            };
            let password = new_password(&format!("new password for {username}"), false)?;
            clinic.change_password(s, &username, &password, &confirm).await?;
            out.done("password changed")
        }
        Command::Mfa(MfaCmd::Enroll) => {
            let setup = match std::env::var("CUSPID_TOTP_SECRET") {
                Ok(secret) => clinic.begin_totp_with_secret(s, &secret).await?,
                Err(_) => clinic.begin_totp(s).await?,
            };
            if !out.json {
                let mut err = std::io::stderr().lock();
                writeln!(
                    err,
                    "Add this account to your authenticator app:\n  secret: {}\n  uri:    {}",
                    setup.secret, setup.uri
                )?;
            }
            let code = match std::env::var("CUSPID_TOTP_NEW") {
                Ok(c) => Zeroizing::new(c),
                Err(_) => prompt_secret("The code your authenticator app shows now: ")?,
            };
            let codes = clinic.confirm_totp(s, &code).await?;
            out.value(&codes, || {
                format!(
                    "two-factor sign-in is on. Recovery codes (each works once; keep them apart from the phone):\n{}",
                    codes.codes.join("\n")
                )
            })
        }
        Command::Mfa(MfaCmd::Status) => {
            let st = clinic.mfa_status(s).await?;
            out.value(&st, || {
                format!(
                    "two-factor sign-in: {}{}; {} recovery codes left",
                    if st.enrolled { "on" } else { "off" },
                    if st.required { " (required for this role)" } else { "" },
                    st.recovery_codes_left
                )
            })
        }
        Command::Mfa(MfaCmd::Reset { username }) => {
            let confirm = match std::env::var("CUSPID_PASSWORD") {
                Ok(p) => Zeroizing::new(p),
                Err(_) => prompt_secret(&format!("Your own current password ({}): ", s.username()))?,
            };
            clinic.reset_mfa(s, &username, &confirm).await?;
            out.done("the second factor is cleared")
        }
        Command::Workstation(WorkstationCmd::Enroll) => {
            let pin = match std::env::var("CUSPID_NEW_PIN") {
                Ok(p) => Zeroizing::new(p),
                Err(_) => {
                    let first = prompt_secret("Choose a PIN (6 to 12 digits): ")?;
                    if *prompt_secret("Type it again: ")? != *first {
                        return Err(Error::Usage("the two PINs differ".into()));
                    }
                    first
                }
            };
            clinic.enroll_workstation(s, &pin).await?;
            out.done("this workstation remembers you: sign in here with your PIN")
        }
        Command::Workstation(WorkstationCmd::Forget) => {
            clinic.forget_workstation(s).await?;
            out.done("this workstation no longer remembers you")
        }
        Command::Keys(KeysCmd::Rotate) => {
            let report = clinic.rotate_keys(s).await?;
            out.value(&report, || {
                format!(
                    "new clinic key {}: {} key slots and {} patient keys re-wrapped.",
                    report.new_key_id, report.key_slots, report.patient_keys
                )
            })
        }
        Command::Patient(PatientCmd::Add { fields, guardian, relationship, parental_consent }) => {
            let consents = match (guardian, parental_consent) {
                (Some(by), Some(text)) => vec![ConsentInput {
                    kind: ConsentKind::HealthData,
                    granted: true,
                    method: ConsentMethod::Signature,
                    text_shown: text,
                    given_by: Some(by),
                }],
                _ => Vec::new(),
            };
            let guardian = guardian.map(|patient_id| GuardianInput {
                patient_id,
                relationship: relationship.unwrap_or_default(),
            });
            let input = NewPatient {
                guardian,
                consents,
                first_name: fields.first_name.clone().unwrap_or_default(),
                last_name: fields.last_name.clone().unwrap_or_default(),
                cnp: fields.cnp,
                birth_date: fields.birth_date,
                sex: fields.sex,
                phone: fields.phone,
                email: fields.email,
                address: fields.address,
                emergency_contact: fields.emergency_contact,
                language: fields.language,
            };
            let p = clinic.register_patient(s, input).await?;
            out.value(&p, || format!("registered patient {}", p.id))
        }
        Command::Patient(PatientCmd::Import { file }) => import(clinic, s, &file).await,
        Command::Patient(PatientCmd::Guardian { id, guardian, relationship }) => {
            let g = clinic.link_guardian(s, id, GuardianInput { patient_id: guardian, relationship }).await?;
            out.value(&g, || {
                format!("guardian {} {} linked ({})", g.guardian_id, g.display_name, g.relationship)
            })
        }
        Command::Consent(ConsentCmd::Grant { patient, consent }) => {
            record_consent(clinic, s, patient, consent, true, out).await
        }
        Command::Consent(ConsentCmd::Withdraw { patient, consent }) => {
            record_consent(clinic, s, patient, consent, false, out).await
        }
        Command::Consent(ConsentCmd::List { patient }) => {
            let states = clinic.consent_states(s, patient).await?;
            let records = clinic.consent_history(s, patient).await?;
            let value = serde_json::json!({ "states": states, "records": records });
            out.value(&value, || {
                let mut lines: Vec<String> = states
                    .iter()
                    .map(|c| {
                        format!(
                            "{:<17} {:<11} {}",
                            c.kind.as_str(),
                            if c.granted { "granted" } else { "not granted" },
                            c.since.as_deref().unwrap_or("")
                        )
                    })
                    .collect();
                lines.push(String::new());
                lines.extend(records.iter().map(|r| {
                    format!(
                        "{}  {:<17} {:<9} {:<9} by {}  notice {}",
                        r.at,
                        r.kind.as_str(),
                        if r.granted { "granted" } else { "withdrawn" },
                        r.method.as_str(),
                        r.recorded_by,
                        r.notice_version.as_deref().unwrap_or("-")
                    )
                }));
                lines.join("\n")
            })
        }
        Command::Notice(NoticeCmd::Publish { version, ro, en }) => {
            let (ro, en) = (std::fs::read_to_string(ro)?, std::fs::read_to_string(en)?);
            let n = clinic.publish_privacy_notice(s, &version, &ro, &en).await?;
            out.value(&n, || format!("privacy notice {} published", n.version))
        }
        Command::Clinic(ClinicCmd::Show) => {
            let p = clinic.clinic_profile(s).await?;
            out.value(&p, || match &p {
                Some(p) => profile_text(p),
                None => "the clinic's particulars were never recorded: `cuspid clinic set`".into(),
            })
        }
        Command::Clinic(ClinicCmd::Set { profile }) => {
            let p = clinic.update_clinic_profile(s, (*profile).into()).await?;
            out.value(&p, || profile_text(&p))
        }
        Command::Request(RequestCmd::Add { patient, kind, received, identity_check, via_guardian }) => {
            let new = NewRequest {
                patient_id: patient,
                kind: RequestKind::parse(&kind)?,
                received_on: received,
                via_guardian,
                identity_check,
            };
            let r = clinic.register_request(s, new).await?;
            out.value(&r, || format!("request {} logged; due {}", r.id, r.deadline))
        }
        Command::Breach(cmd) => run_breach(clinic, s, cmd, out).await,
        Command::Chart(ChartCmd::Add {
            patient,
            tooth,
            surface,
            condition,
            resolved,
            procedure,
            state,
            date,
            note,
            supersedes,
        }) => {
            let finding = match (condition, procedure) {
                (Some(c), _) => Finding::Condition { condition: chart_word(&c)?, resolved },
                (None, Some(code)) => Finding::Procedure { code, state: chart_word(&state)? },
                (None, None) => {
                    return Err(Error::Usage("chart a --condition or a --procedure".into()));
                }
            };
            let surfaces = surface.iter().map(|s| chart_word(s)).collect::<Result<Vec<_>>>()?;
            let entry = NewChartEntry {
                tooth,
                surfaces,
                finding,
                date: date.unwrap_or_else(|| chrono::Local::now().date_naive().to_string()),
                note,
                supersedes,
            };
            let e = clinic.chart_add(s, patient, entry).await?;
            out.value(&e, || format!("charted {} on tooth {} ({})", e.id, e.tooth, e.date))
        }
        Command::Chart(ChartCmd::Procedures) => {
            let all = clinic.procedures(s).await?;
            out.value(&all, || {
                all.iter()
                    .map(|p| {
                        let off = if p.active { "" } else { " (withdrawn)" };
                        format!("{:<28} {:>9.2} RON  {}{off}", p.code, p.fee_bani as f64 / 100.0, p.name_ro)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Chart(ChartCmd::Procedure { code, ro, en, fee, needs, inactive }) => {
            let p = cuspid::chart::catalogue::ProcedureDto {
                code,
                name_ro: ro,
                name_en: en,
                fee_bani: (fee * 100.0).round() as i64,
                needs: chart_word(&needs)?,
                active: !inactive,
            };
            let saved = clinic.save_procedure(s, p).await?;
            out.value(&saved, || format!("{} saved", saved.code))
        }
        Command::Chart(ChartCmd::Show { patient, as_of }) => {
            let chart = clinic.chart(s, patient, as_of.as_deref()).await?;
            out.value(&chart, || {
                let mut lines = vec![format!("chart as of {}", chart.as_of)];
                lines.extend(
                    chart
                        .current
                        .iter()
                        .map(|e| format!("{}  {}  {:?}  {}", e.tooth, e.date, e.finding, e.id)),
                );
                lines.join("\n")
            })
        }
        Command::Note(NoteCmd::Add { patient, text, date, template, amends, reason }) => {
            let text = if text == "-" { std::io::read_to_string(std::io::stdin())? } else { text };
            let note = cuspid::clinical::notes::NewNote {
                date: date.unwrap_or_else(|| chrono::Local::now().date_naive().to_string()),
                text,
                template,
                amends,
                reason,
            };
            let n = clinic.add_note(s, patient, note).await?;
            out.value(&n, || format!("note {} of {}", n.id, n.date))
        }
        Command::Note(NoteCmd::List { patient }) => {
            let alerts = clinic.medical_alerts(s, patient).await?;
            let notes = clinic.notes(s, patient).await?;
            let both = serde_json::json!({ "alerts": alerts, "notes": notes });
            out.value(&both, || {
                let mut lines: Vec<String> = alerts
                    .iter()
                    .map(|a| format!("ALERT {}: {}", a.item.as_str(), a.detail.as_deref().unwrap_or("yes")))
                    .collect();
                for n in &notes {
                    lines.push(format!("{}  {}  {}\n{}", n.date, n.author, n.id, n.text));
                    for a in &n.amendments {
                        lines.push(format!(
                            "  amended {} by {} ({}):\n  {}",
                            a.date,
                            a.author,
                            a.reason.as_deref().unwrap_or(""),
                            a.text
                        ));
                    }
                }
                lines.join("\n")
            })
        }
        Command::Xray(XrayCmd::Import { patient, file, kind, date, teeth, note }) => {
            let bytes = std::fs::read(&file)?;
            let new = cuspid::imaging::NewXray {
                kind: xray_kind(&kind)?,
                date: date.unwrap_or_else(|| chrono::Local::now().date_naive().to_string()),
                teeth,
                note,
            };
            let x = clinic.import_xray(s, patient, &bytes, new).await?;
            out.value(&x, || {
                format!("imported {} ({:?}, {}x{}, {}-bit)", x.id, x.format, x.width, x.height, x.bits)
            })
        }
        Command::Xray(XrayCmd::List { patient }) => {
            let list = clinic.xrays(s, patient).await?;
            out.value(&list, || {
                list.iter()
                    .map(|x| {
                        format!("{}  {:?}  {:?}  teeth {:?}  {}", x.date, x.kind, x.format, x.teeth, x.id)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Xray(XrayCmd::Export { patient, xray, file, strip_identifiers }) => {
            let (_, bytes) = clinic.xray_export(s, patient, xray, strip_identifiers).await?;
            clinic.write_file(&file, &bytes)?;
            out.done(if strip_identifiers { "de-identified copy written" } else { "original written" })
        }
        Command::Plan(PlanCmd::List { patient }) => {
            let plans = clinic.plans(s, patient).await?;
            out.value(&plans, || {
                plans
                    .iter()
                    .map(|p| {
                        let totals: Vec<String> =
                            p.options.iter().map(|o| format!("{}: {} bani", o.title, o.total_bani)).collect();
                        format!(
                            "{}  {}  {}  [{}]  {}",
                            p.created_on,
                            p.status,
                            p.title,
                            totals.join("; "),
                            p.id
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Plan(PlanCmd::Pdf { patient, plan, file, language }) => {
            let lang =
                language.as_deref().map(cuspid::settings::Language::parse).transpose()?.map(Into::into);
            clinic.write_file(&file, &clinic.plan_pdf(s, patient, plan, lang).await?)?;
            out.done("plan written")
        }
        Command::Register(RegisterCmd::Art30 { csv, pdf, lang }) => {
            if let Some(file) = &csv {
                clinic.write_file(file, clinic.article30_csv(s).await?.as_bytes())?;
            }
            if let Some(file) = &pdf {
                let lang = cuspid::settings::Language::parse(&lang)?.into();
                clinic.write_file(file, &clinic.article30_pdf(s, lang).await?)?;
            }
            if csv.is_some() || pdf.is_some() {
                return out.done("register written");
            }
            let register = clinic.article30_register(s).await?;
            out.value(&register, || {
                register
                    .activities
                    .iter()
                    .map(|a| {
                        format!(
                            "{}  {}\n     {}\n     kept: {}",
                            a.code, a.fields.name, a.fields.purpose, a.retention
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Register(RegisterCmd::Edit { code, from }) => {
            let input: cuspid::article30::ActivityInput =
                serde_json::from_str(&std::fs::read_to_string(from)?)
                    .map_err(|_| Error::Usage("the file is not an activity in JSON".into()))?;
            let a = clinic.update_activity(s, &code, input).await?;
            out.value(&a, || format!("{} {} changed", a.code, a.fields.name))
        }
        Command::Retention(RetentionCmd::List) => {
            let rules = clinic.retention_rules(s).await?;
            out.value(&rules, || {
                rules
                    .iter()
                    .map(|r| {
                        let mark = if r.customised { " (changed)" } else { "" };
                        format!("{:<16} {:<50} {}{mark}", r.category, r.describe(), r.legal_basis)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Retention(RetentionCmd::Run { apply }) => {
            let run = clinic.retention_run(s, apply).await?;
            out.value(&run, || {
                let verb = if run.applied { "erased" } else { "due" };
                let mut lines: Vec<String> = run
                    .patients
                    .iter()
                    .map(|p| match &p.skipped {
                        Some(why) => format!("{}  skipped: {why}", p.patient_id),
                        None => format!("{}  {verb} (period ended {})", p.patient_id, p.period_ended),
                    })
                    .collect();
                lines.extend(run.staff.iter().map(|m| format!("{} -> {}", m.username, m.anonymised_as)));
                if lines.is_empty() {
                    lines.push("nothing is due".into());
                }
                lines.join("\n")
            })
        }
        Command::Retention(RetentionCmd::Set { category, period, unit, basis }) => {
            let r = clinic.set_retention(s, &category, period, PeriodUnit::parse(&unit)?, &basis).await?;
            out.value(&r, || format!("{}: {}", r.category, r.describe()))
        }
        Command::Request(RequestCmd::List { all }) => {
            let list = clinic.list_requests(s, !all).await?;
            out.value(&list, || {
                if list.is_empty() {
                    return "no requests".into();
                }
                list.iter().map(request_line).collect::<Vec<_>>().join("\n")
            })
        }
        Command::Request(RequestCmd::Show { id }) => {
            let r = clinic.request(s, id).await?;
            out.value(&r, || request_line(&r))
        }
        Command::Request(RequestCmd::Extend { id, months, reason }) => {
            let r = clinic.extend_request(s, id, months, &reason).await?;
            out.value(&r, || format!("request {} now due {}", r.id, r.deadline))
        }
        Command::Request(RequestCmd::Letter { id, out: file, lang }) => {
            let lang = cuspid::settings::Language::parse(&lang)?.into();
            let pdf = clinic.request_extension_letter(s, id, lang).await?;
            clinic.write_file(&file, &pdf)?;
            out.done("extension letter written")
        }
        Command::Request(RequestCmd::Close { id, outcome, note }) => {
            let r = clinic.close_request(s, id, RequestOutcome::parse(&outcome)?, &note).await?;
            out.value(&r, || format!("request {} closed: {}", r.id, outcome))
        }
        Command::Notice(NoticeCmd::List) => {
            let all = clinic.privacy_notices(s).await?;
            out.value(&all, || {
                if all.is_empty() {
                    return "no privacy notice published yet".into();
                }
                all.iter()
                    .map(|n| format!("{}  published {}", n.version, n.published_at))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Notice(NoticeCmd::Show) => {
            let n = clinic.current_privacy_notice(s).await?;
            out.value(&n, || match &n {
                Some(n) => format!(
                    "version {} (published {})\n\n{}\n\n{}",
                    n.version, n.published_at, n.text_ro, n.text_en
                ),
                None => "no privacy notice published yet".into(),
            })
        }
        Command::Patient(PatientCmd::Find { name, cnp, phone, email }) => {
            let query = match (name, cnp, phone, email) {
                (Some(n), ..) => PatientQuery::Name(n),
                (_, Some(c), ..) => PatientQuery::Cnp(c),
                (_, _, Some(p), _) => PatientQuery::Phone(p),
                (_, _, _, Some(e)) => PatientQuery::Email(e),
                _ => return Err(Error::Usage("give --name, --cnp, --phone or --email".into())),
            };
            let found = clinic.find_patients(s, &query).await?;
            out.value(&found, || {
                if found.is_empty() {
                    return "no patient found".into();
                }
                found
                    .iter()
                    .map(|p| {
                        format!(
                            "{}  {} {}  born {}  CNP {}",
                            p.id,
                            p.first_name,
                            p.last_name,
                            p.birth_date.as_deref().unwrap_or("-"),
                            p.cnp_masked.as_deref().unwrap_or("-")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Patient(PatientCmd::Show { id }) => {
            let p = clinic.get_patient(s, id).await?;
            out.value(&p, || {
                let f = &p.fields;
                let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                format!(
                    "{} {}\n  id          {}\n  CNP         {}\n  born        {}\n  sex         {}\n  phone       {}\n  e-mail      {}\n  address     {}\n  emergency   {}\n  restriction {}",
                    f.first_name,
                    f.last_name,
                    p.id,
                    opt(&f.cnp),
                    opt(&f.birth_date),
                    opt(&f.sex),
                    opt(&f.phone),
                    opt(&f.email),
                    opt(&f.address),
                    opt(&f.emergency_contact),
                    p.restriction
                )
            })
        }
        Command::Patient(PatientCmd::Update { id, reason, request, expected_version, fields }) => {
            let changes = PatientChanges {
                first_name: fields.first_name,
                last_name: fields.last_name,
                cnp: fields.cnp,
                birth_date: fields.birth_date,
                sex: fields.sex,
                phone: fields.phone,
                email: fields.email,
                address: fields.address,
                emergency_contact: fields.emergency_contact,
                language: fields.language,
            };
            let expected_version = match expected_version {
                Some(v) => v,
                None => clinic.get_patient(s, id).await?.version,
            };
            let p = match request {
                Some(r) => clinic.rectify_patient(s, id, expected_version, changes, r).await?,
                None => {
                    let reason = reason.unwrap_or_default();
                    clinic.update_patient(s, id, expected_version, changes, &reason).await?
                }
            };
            out.value(&p, || format!("patient {} updated (version {})", p.id, p.version))
        }
        Command::Patient(PatientCmd::Export {
            id,
            dir,
            request,
            lang,
            encrypt,
            generate_passphrase,
            keep_image_metadata,
        }) => {
            let a = ExportArgs { dir, request, lang, encrypt, generate_passphrase, keep_image_metadata };
            export(clinic, s, out, id, a).await
        }
        Command::Request(RequestCmd::Export {
            id,
            dir,
            lang,
            encrypt,
            generate_passphrase,
            keep_image_metadata,
        }) => {
            let patient = clinic.request(s, id).await?.patient_id;
            let a = ExportArgs {
                dir,
                request: Some(id),
                lang,
                encrypt,
                generate_passphrase,
                keep_image_metadata,
            };
            export(clinic, s, out, patient, a).await
        }
        Command::Patient(PatientCmd::Erase { id, preview: true, .. }) => {
            let plan = clinic.erasure_preview(s, id).await?;
            out.value(&plan, || {
                plan.iter()
                    .map(|l| match (&l.until, &l.why) {
                        (Some(until), Some(why)) => {
                            format!("{:<10} keep until {until}: {}", l.module, why.en)
                        }
                        _ => format!("{:<10} erase", l.module),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Patient(PatientCmd::Erase { id, request, letter, lang, .. }) => {
            let r = clinic.erase_patient(s, id, request).await?;
            if let Some(file) = &letter {
                let lang = cuspid::settings::Language::parse(&lang)?.into();
                clinic.write_file(file, &clinic.erasure_letter(s, id, lang).await?)?;
            }
            out.value(&r, || {
                let mut lines: Vec<String> = r
                    .parts
                    .iter()
                    .map(|p| match &p.kept_until {
                        Some(until) if p.kept > 0 => format!("{:<12} kept {} until {until}", p.kind, p.kept),
                        _ => format!("{:<12} erased {}", p.kind, p.erased),
                    })
                    .collect();
                lines.push(format!("backups made before today expire by {}", r.backups_expire));
                lines.join("\n")
            })
        }
        Command::Patient(PatientCmd::Restrict { id, to }) => {
            let p = clinic.set_restriction(s, id, cuspid::restriction::Restriction::parse(&to)?).await?;
            out.value(&p, || format!("patient {} now {}", p.id, p.restriction))
        }
        Command::Patient(PatientCmd::History { id }) => {
            let h = clinic.patient_history(s, id).await?;
            out.value(&h, || {
                if h.is_empty() {
                    return "no changes recorded".into();
                }
                h.iter()
                    .map(|e| {
                        format!(
                            "{}  by {}  changed {}  reason: {}",
                            e.changed_at,
                            e.changed_by,
                            e.changed_fields.join(", "),
                            e.reason
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Audit(AuditCmd::Verify) => {
            let r = clinic.verify_audit(s).await?;
            out.value(&r, || format!("audit log intact: {} events, head {}", r.events, &r.head_hash[..16]))
        }
        Command::Audit(AuditCmd::List { patient, staff, action, since, until, limit }) => {
            let filter = AuditFilter {
                patient,
                staff,
                action,
                since: since.as_deref().map(parse_time).transpose()?,
                until: until.as_deref().map(parse_time).transpose()?,
                limit,
            };
            let events = clinic.list_audit(s, &filter).await?;
            out.value(&events, || {
                events
                    .iter()
                    .map(|e| {
                        format!(
                            "#{:<6} {}  {:<14} {:<12} {:<22} {:<8} {}{}",
                            e.seq,
                            e.at,
                            e.actor,
                            e.role,
                            e.action,
                            e.outcome,
                            e.patient_id.map(|p| format!("patient {p} ")).unwrap_or_default(),
                            e.purpose
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Init { .. } | Command::Recover { .. } | Command::Db(_) => {
            Err(Error::Internal("handled before login".into()))
        }
    }
}

async fn record_consent(
    clinic: &Clinic,
    s: &Session,
    patient: Uuid,
    args: ConsentArgs,
    granted: bool,
    out: Output,
) -> Result<()> {
    let input = ConsentInput {
        kind: ConsentKind::parse(&args.kind)?,
        granted,
        method: ConsentMethod::parse(&args.method)?,
        text_shown: args.text,
        given_by: args.by,
    };
    let outcome = clinic.record_consent(s, patient, input).await?;
    out.value(&outcome, || {
        let mut text = format!("{} {}", args.kind, if granted { "granted" } else { "withdrawn" });
        if outcome.closure_required {
            text.push_str(
                "\nWARNING: without consent to health-data processing care cannot continue; \
                 the patient's account is now closing.",
            );
        }
        text
    })
}

#[allow(clippy::print_stdout)]
async fn import(clinic: &Clinic, s: &Session, file: &std::path::Path) -> Result<()> {
    use std::io::BufRead;
    let reader: Box<dyn BufRead> = if file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(std::fs::File::open(file)?))
    };
    let mut count = 0u64;
    for (n, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let input: NewPatient = serde_json::from_str(&line)
            .map_err(|_| Error::Usage(format!("line {} is not a patient JSON object", n + 1)))?;
        let p = match clinic.register_patient(s, input).await {
            Ok(p) => p,
            Err(e) => {
                // Scripts learn which line failed from stdout, like the acknowledgements.
                let mut out = std::io::stdout().lock();
                writeln!(out, "{}", serde_json::json!({ "line": n + 1, "error": e.to_dto() }))?;
                out.flush()?;
                return Err(match e {
                    Error::InvalidInput(m) => Error::Usage(format!("line {}: {m}", n + 1)),
                    other => other,
                });
            }
        };
        count += 1;
        // The acknowledgement is printed only after the commit.
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", serde_json::json!({ "line": n + 1, "id": p.id }))?;
        out.flush()?;
    }
    tracing::info!(count, "import finished");
    Ok(())
}

fn parse_time(s: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| Error::Usage("use an RFC 3339 time or YYYY-MM-DD".into()))
}

fn request_line(r: &RequestDto) -> String {
    let state = match (&r.closed_on, r.overdue) {
        (Some(on), _) => format!("closed {on} ({})", r.outcome.map(|o| o.as_str()).unwrap_or("-")),
        (None, true) => format!("OVERDUE since {}", r.deadline),
        (None, false) => format!("due {}", r.deadline),
    };
    format!(
        "{}  {:<13} received {}  {}  patient {}",
        r.id,
        r.kind.as_str(),
        r.received_on,
        state,
        r.patient_id
    )
}

fn profile_text(p: &ClinicProfile) -> String {
    let opt = |v: &Option<String>| v.as_deref().unwrap_or("-").to_owned();
    format!(
        "{}\n{}\nfiscal code: {}\nregistry number: {}\noperating permit: {}\nphone: {}\ne-mail: {}\n\
         data protection: {} ({}, {})",
        p.name,
        p.address,
        p.fiscal_code,
        opt(&p.registry_number),
        opt(&p.operating_permit),
        opt(&p.phone),
        opt(&p.email),
        p.dpo.name,
        opt(&p.dpo.email),
        opt(&p.dpo.phone),
    )
}

/// A password being chosen: `CUSPID_NEW_PASSWORD` (for init and recover also
/// `CUSPID_PASSWORD`, since nobody is logged in yet), else typed twice.
fn new_password(what: &str, login_var_too: bool) -> Result<Zeroizing<String>> {
    let from_env = std::env::var("CUSPID_NEW_PASSWORD")
        .or_else(|e| if login_var_too { std::env::var("CUSPID_PASSWORD") } else { Err(e) });
    if let Ok(p) = from_env {
        return Ok(Zeroizing::new(p));
    }
    let first = prompt_secret(&format!("Choose the {what}: "))?;
    let again = prompt_secret("Type it again: ")?;
    if *first != *again {
        return Err(Error::Usage("the two passwords differ".into()));
    }
    Ok(first)
}

/// An image's kind (`bitewing`, `panoramic`, ...).
fn xray_kind(word: &str) -> Result<cuspid::imaging::XrayKind> {
    serde_json::from_value(serde_json::Value::String(word.trim().to_lowercase())).map_err(|_| {
        Error::Usage("an image is a bitewing, periapical, panoramic, cbct_slice or photo".into())
    })
}

/// A word of the chart's vocabulary (`caries`, `occlusal`, `done`).
fn chart_word<T: serde::de::DeserializeOwned>(word: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(word.trim().to_lowercase())).map_err(|_| {
        Error::Usage("unknown condition, state or surface: see `cuspid chart add --help`".into())
    })
}

fn rfc3339(s: &str) -> Result<String> {
    Ok(parse_time(s)?.to_rfc3339())
}

async fn run_breach(clinic: &Clinic, s: &Session, cmd: BreachCmd, out: Output) -> Result<()> {
    use cuspid::breaches::{AffectedScope, NewBreach, Risk};
    let line = |b: &cuspid::breaches::BreachDto| {
        let notified = b.authority_notified_at.clone().unwrap_or_else(|| {
            if b.overdue {
                format!("NOT NOTIFIED, overdue since {}", b.notify_by)
            } else {
                format!("notify by {}", b.notify_by)
            }
        });
        format!(
            "{}  {}  risk {}  {} people  {}",
            b.reference,
            b.id,
            b.risk.as_str(),
            b.subjects_count,
            notified
        )
    };
    match cmd {
        BreachCmd::Open {
            discovered,
            occurred_from,
            occurred_to,
            nature,
            description,
            categories,
            consequences,
            measures_taken,
            measures_proposed,
            risk,
        } => {
            let new = NewBreach {
                discovered_at: rfc3339(&discovered)?,
                occurred_from: occurred_from.as_deref().map(rfc3339).transpose()?,
                occurred_to: occurred_to.as_deref().map(rfc3339).transpose()?,
                nature,
                description,
                data_categories: categories,
                consequences,
                measures_taken,
                measures_proposed,
                risk: Risk::parse(&risk)?,
            };
            let b = clinic.open_breach(s, new).await?;
            out.value(&b, || line(&b))
        }
        BreachCmd::List => {
            let all = clinic.list_breaches(s).await?;
            out.value(&all, || {
                if all.is_empty() {
                    "no breaches recorded".into()
                } else {
                    all.iter().map(line).collect::<Vec<_>>().join("\n")
                }
            })
        }
        BreachCmd::Affected { id, staff, workstation, all_patients, from, to } => {
            let window = || -> Result<(String, String)> {
                match (&from, &to) {
                    (Some(f), Some(t)) => Ok((rfc3339(f)?, rfc3339(t)?)),
                    _ => Err(Error::Usage("give the time window with --from and --to".into())),
                }
            };
            let scope = match (staff, workstation, all_patients) {
                (_, _, true) => AffectedScope::AllPatients,
                (Some(username), _, _) => {
                    let (from, to) = window()?;
                    AffectedScope::Staff { username, from, to }
                }
                (None, Some(name), _) => {
                    let (from, to) = window()?;
                    AffectedScope::Workstation { name, from, to }
                }
                (None, None, false) => {
                    return Err(Error::Usage(
                        "say where to look: --staff, --workstation or --all-patients".into(),
                    ));
                }
            };
            let b = clinic.find_affected(s, id, scope).await?;
            out.value(&b, || format!("{} people, {} records affected", b.subjects_count, b.records_count))
        }
        BreachCmd::NotifyAuthority { id, out: file, late_reason, lang } => {
            let lang = cuspid::settings::Language::parse(&lang)?.into();
            clinic.write_file(&file, &clinic.notify_authority(s, id, late_reason.as_deref(), lang).await?)?;
            out.done("notice to the authority written and recorded")
        }
        BreachCmd::NotifySubjects { id, dir, lang } => {
            let lang = cuspid::settings::Language::parse(&lang)?.into();
            let letters = clinic.notify_subjects(s, id, lang).await?;
            let (folder, _) = letters.write_to(&clinic.own_folders(), &dir)?;
            let summary = serde_json::json!({ "folder": folder.display().to_string(), "letters": letters.letters.len() });
            out.value(&summary, || {
                format!("{} letters written to {}", letters.letters.len(), folder.display())
            })
        }
    }
}

struct ExportArgs {
    dir: PathBuf,
    request: Option<Uuid>,
    lang: Option<String>,
    encrypt: bool,
    generate_passphrase: bool,
    keep_image_metadata: bool,
}

/// `patient export` and `request export`: the passphrase from
/// CUSPID_EXPORT_PASSPHRASE or typed twice, never from an argument; a generated one
/// is shown once, on stderr (or in the JSON), never on stdout beside the paths.
async fn export(clinic: &Clinic, s: &Session, out: Output, id: Uuid, a: ExportArgs) -> Result<()> {
    use cuspid::gdpr::export::ExportEncryption;
    let encryption = match (a.encrypt, a.generate_passphrase, std::env::var("CUSPID_EXPORT_PASSPHRASE")) {
        (_, true, _) => ExportEncryption::Generated,
        (false, false, _) => ExportEncryption::None,
        (true, false, Ok(p)) => ExportEncryption::Passphrase(Zeroizing::new(p)),
        (true, false, Err(_)) => {
            let first = prompt_secret("Passphrase for the export: ")?;
            if *first != *prompt_secret("Type it again: ")? {
                return Err(Error::Usage("the two passwords differ".into()));
            }
            ExportEncryption::Passphrase(first)
        }
    };
    let lang = a.lang.as_deref().map(cuspid::settings::Language::parse).transpose()?.map(Into::into);
    let opts = cuspid::gdpr::export::ExportOptions {
        dir: a.dir,
        encryption,
        keep_image_metadata: a.keep_image_metadata,
        lang,
        request_id: a.request,
    };
    let r = clinic.export_patient(s, id, opts).await?;
    if let (false, Some(p)) = (out.json, &r.generated_passphrase) {
        let mut err = std::io::stderr().lock();
        writeln!(
            err,
            "Passphrase of the export (shown once; give it to the person separately from the file, \
             by phone or in person):\n\n    {}\n",
            p.as_str()
        )?;
    }
    out.value(&r, || {
        format!("{} records exported to {}\ncover letter: {}", r.records, r.data_path, r.letter_path)
    })
}

fn secret_from_env_or_prompt(var: &str, prompt: &str) -> Result<Zeroizing<String>> {
    match std::env::var(var) {
        Ok(v) => Ok(Zeroizing::new(v)),
        Err(_) => prompt_secret(prompt),
    }
}

fn prompt_secret(prompt: &str) -> Result<Zeroizing<String>> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::PasswordRequired);
    }
    rpassword::prompt_password(prompt).map(Zeroizing::new).map_err(|_| Error::PasswordRequired)
}

#[derive(Clone, Copy)]
struct Output {
    json: bool,
}

#[allow(clippy::print_stdout)]
impl Output {
    fn json<T: Serialize>(&self, v: &T) -> Result<()> {
        let text = serde_json::to_string_pretty(v).map_err(|e| Error::Internal(e.to_string()))?;
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{text}").map_err(Error::from)
    }

    fn line(&self, text: &str) -> Result<()> {
        println!("{text}");
        Ok(())
    }

    fn value<T: Serialize>(&self, v: &T, human: impl FnOnce() -> String) -> Result<()> {
        if self.json { self.json(v) } else { self.line(&human()) }
    }

    fn done(&self, message: &str) -> Result<()> {
        if self.json {
            self.json(&serde_json::json!({ "ok": true, "message": message }))
        } else {
            self.line(message)
        }
    }
}
