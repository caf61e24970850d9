//! The DPO's GDPR office: `request` (the data-subject request log), `retention`
//! (the retention schedule and job), and the export shared with `patient export`.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;
use cuspid::gdpr::requests::{NewRequest, RequestDto, RequestKind, RequestOutcome};
use cuspid::gdpr::retention::PeriodUnit;
use cuspid::{Clinic, Error, Result, Session};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::Output;
use crate::secrets::prompt_secret;

#[derive(Subcommand, Debug)]
pub(crate) enum RequestCmd {
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
pub(crate) enum RetentionCmd {
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

/// One `request` command.
pub(crate) async fn request(clinic: &Clinic, s: &Session, cmd: RequestCmd, out: Output) -> Result<()> {
    match cmd {
        RequestCmd::Add { patient, kind, received, identity_check, via_guardian } => {
            let new = NewRequest {
                patient_id: patient,
                kind: RequestKind::parse(&kind)?,
                received_on: received,
                via_guardian,
                identity_check,
            };
            let r = clinic.gdpr().register_request(s, new).await?;
            out.value(&r, || format!("request {} logged; due {}", r.id, r.deadline))
        }
        RequestCmd::List { all } => {
            let list = clinic.gdpr().list_requests(s, !all).await?;
            out.value(&list, || {
                if list.is_empty() {
                    return "no requests".into();
                }
                list.iter().map(request_line).collect::<Vec<_>>().join("\n")
            })
        }
        RequestCmd::Show { id } => {
            let r = clinic.gdpr().request(s, id).await?;
            out.value(&r, || request_line(&r))
        }
        RequestCmd::Extend { id, months, reason } => {
            let r = clinic.gdpr().extend_request(s, id, months, &reason).await?;
            out.value(&r, || format!("request {} now due {}", r.id, r.deadline))
        }
        RequestCmd::Letter { id, out: file, lang } => {
            let lang = cuspid::admin::settings::Language::parse(&lang)?;
            let pdf = clinic.gdpr().request_extension_letter(s, id, lang).await?;
            clinic.write_file(&file, &pdf)?;
            out.done("extension letter written")
        }
        RequestCmd::Close { id, outcome, note } => {
            let r = clinic.gdpr().close_request(s, id, RequestOutcome::parse(&outcome)?, &note).await?;
            out.value(&r, || format!("request {} closed: {}", r.id, outcome))
        }
        RequestCmd::Export { id, dir, lang, encrypt, generate_passphrase, keep_image_metadata } => {
            let patient = clinic.gdpr().request(s, id).await?.patient_id;
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
    }
}

/// One `retention` command.
pub(crate) async fn retention(clinic: &Clinic, s: &Session, cmd: RetentionCmd, out: Output) -> Result<()> {
    match cmd {
        RetentionCmd::List => {
            let rules = clinic.gdpr().retention_rules(s).await?;
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
        RetentionCmd::Run { apply } => {
            let run = clinic.gdpr().retention_run(s, apply).await?;
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
        RetentionCmd::Set { category, period, unit, basis } => {
            let r =
                clinic.gdpr().set_retention(s, &category, period, PeriodUnit::parse(&unit)?, &basis).await?;
            out.value(&r, || format!("{}: {}", r.category, r.describe()))
        }
    }
}

/// What `patient export` and `request export` were asked for (the flags they share).
pub(crate) struct ExportArgs {
    pub(crate) dir: PathBuf,
    pub(crate) request: Option<Uuid>,
    pub(crate) lang: Option<String>,
    pub(crate) encrypt: bool,
    pub(crate) generate_passphrase: bool,
    pub(crate) keep_image_metadata: bool,
}

/// `patient export` and `request export`: the passphrase from
/// CUSPID_EXPORT_PASSPHRASE or typed twice, never from an argument; a generated one
/// is shown once, on stderr (or in the JSON), never on stdout beside the paths.
pub(crate) async fn export(clinic: &Clinic, s: &Session, out: Output, id: Uuid, a: ExportArgs) -> Result<()> {
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
    let lang = a.lang.as_deref().map(cuspid::admin::settings::Language::parse).transpose()?;
    let opts = cuspid::gdpr::export::ExportOptions {
        dir: a.dir,
        encryption,
        keep_image_metadata: a.keep_image_metadata,
        lang,
        request_id: a.request,
    };
    let r = clinic.gdpr().export_patient(s, id, opts).await?;
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

/// One request on one line: id, kind, receipt, deadline or outcome, patient.
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
