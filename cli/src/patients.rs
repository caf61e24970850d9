//! `patient`: the registry (add, import, guardian, find, show, update, history) and
//! the DPO's commands on one patient (export, erase, restrict).

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use cuspid::consent::{ConsentInput, ConsentKind, ConsentMethod, GuardianInput};
use cuspid::{Clinic, Error, NewPatient, PatientChanges, PatientQuery, Result, Session};
use uuid::Uuid;

use crate::Output;
use crate::gdpr::{ExportArgs, export};

#[derive(Subcommand, Debug)]
pub(crate) enum PatientCmd {
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

#[derive(Args, Debug, Default)]
pub(crate) struct PatientArgs {
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

/// One `patient` command.
pub(crate) async fn patient(clinic: &Clinic, s: &Session, cmd: PatientCmd, out: Output) -> Result<()> {
    match cmd {
        PatientCmd::Add { fields, guardian, relationship, parental_consent } => {
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
            let p = clinic.patients().register_patient(s, input).await?;
            out.value(&p, || format!("registered patient {}", p.id))
        }
        PatientCmd::Import { file } => import(clinic, s, &file).await,
        PatientCmd::Guardian { id, guardian, relationship } => {
            let g = clinic
                .patients()
                .link_guardian(s, id, GuardianInput { patient_id: guardian, relationship })
                .await?;
            out.value(&g, || {
                format!("guardian {} {} linked ({})", g.guardian_id, g.display_name, g.relationship)
            })
        }
        PatientCmd::Find { name, cnp, phone, email } => {
            let query = match (name, cnp, phone, email) {
                (Some(n), ..) => PatientQuery::Name(n),
                (_, Some(c), ..) => PatientQuery::Cnp(c),
                (_, _, Some(p), _) => PatientQuery::Phone(p),
                (_, _, _, Some(e)) => PatientQuery::Email(e),
                _ => return Err(Error::Usage("give --name, --cnp, --phone or --email".into())),
            };
            let found = clinic.patients().find_patients(s, &query).await?;
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
        PatientCmd::Show { id } => {
            let p = clinic.patients().get_patient(s, id).await?;
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
                    f.sex.map_or("-", |s| s.as_str()),
                    opt(&f.phone),
                    opt(&f.email),
                    opt(&f.address),
                    opt(&f.emergency_contact),
                    p.restriction
                )
            })
        }
        PatientCmd::Update { id, reason, request, expected_version, fields } => {
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
                None => clinic.patients().get_patient(s, id).await?.version,
            };
            let p = match request {
                Some(r) => clinic.patients().rectify_patient(s, id, expected_version, changes, r).await?,
                None => {
                    let reason = reason.unwrap_or_default();
                    clinic.patients().update_patient(s, id, expected_version, changes, &reason).await?
                }
            };
            out.value(&p, || format!("patient {} updated (version {})", p.id, p.version))
        }
        PatientCmd::Export { id, dir, request, lang, encrypt, generate_passphrase, keep_image_metadata } => {
            let a = ExportArgs { dir, request, lang, encrypt, generate_passphrase, keep_image_metadata };
            export(clinic, s, out, id, a).await
        }
        PatientCmd::Erase { id, preview: true, .. } => {
            let plan = clinic.gdpr().erasure_preview(s, id).await?;
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
        PatientCmd::Erase { id, request, letter, lang, .. } => {
            let r = clinic.gdpr().erase_patient(s, id, request).await?;
            if let Some(file) = &letter {
                let lang = cuspid::admin::settings::Language::parse(&lang)?;
                clinic.write_file(file, &clinic.gdpr().erasure_letter(s, id, lang).await?)?;
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
        PatientCmd::Restrict { id, to } => {
            let p = clinic
                .gdpr()
                .set_restriction(s, id, cuspid::gdpr::restriction::Restriction::parse(&to)?)
                .await?;
            out.value(&p, || format!("patient {} now {}", p.id, p.restriction))
        }
        PatientCmd::History { id } => {
            let h = clinic.patients().patient_history(s, id).await?;
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
    }
}

/// `patient import`: one JSON line in, one saved patient and one acknowledgement
/// line out; the first bad line stops it.
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
        let p = match clinic.patients().register_patient(s, input).await {
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
