//! `breach` (the breach register and its notices, GDPR Art. 33 and 34) and
//! `register` (the record of processing activities, Art. 30).

use std::path::PathBuf;

use clap::Subcommand;
use cuspid::{Clinic, Error, Result, Session};
use uuid::Uuid;

use crate::{Output, parse_time};

#[derive(Subcommand, Debug)]
pub(crate) enum BreachCmd {
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
        /// The categories of data concerned: codes, comma-separated (identity, contact,
        /// national_id, health, images, financial, credentials), which the letters print
        /// as words in their language; or any text, printed as written.
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
pub(crate) enum RegisterCmd {
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

/// One `breach` command.
pub(crate) async fn breach(clinic: &Clinic, s: &Session, cmd: BreachCmd, out: Output) -> Result<()> {
    use cuspid::gdpr::breaches::{AffectedScope, NewBreach, Risk};
    let line = |b: &cuspid::gdpr::breaches::BreachDto| {
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
            let b = clinic.gdpr().open_breach(s, new).await?;
            out.value(&b, || line(&b))
        }
        BreachCmd::List => {
            let all = clinic.gdpr().list_breaches(s).await?;
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
            let b = clinic.gdpr().find_affected(s, id, scope).await?;
            out.value(&b, || format!("{} people, {} records affected", b.subjects_count, b.records_count))
        }
        BreachCmd::NotifyAuthority { id, out: file, late_reason, lang } => {
            let lang = cuspid::admin::settings::Language::parse(&lang)?;
            clinic.write_file(
                &file,
                &clinic.gdpr().notify_authority(s, id, late_reason.as_deref(), lang).await?,
            )?;
            out.done("notice to the authority written and recorded")
        }
        BreachCmd::NotifySubjects { id, dir, lang } => {
            let lang = cuspid::admin::settings::Language::parse(&lang)?;
            let letters = clinic.gdpr().notify_subjects(s, id, lang).await?;
            let (folder, _) = letters.write_to(&clinic.own_folders(), &dir)?;
            let summary = serde_json::json!({ "folder": folder.display().to_string(), "letters": letters.letters.len() });
            out.value(&summary, || {
                format!("{} letters written to {}", letters.letters.len(), folder.display())
            })
        }
    }
}

/// One `register` command.
pub(crate) async fn register(clinic: &Clinic, s: &Session, cmd: RegisterCmd, out: Output) -> Result<()> {
    match cmd {
        RegisterCmd::Art30 { csv, pdf, lang } => {
            if let Some(file) = &csv {
                clinic.write_file(file, clinic.gdpr().article30_csv(s).await?.as_bytes())?;
            }
            if let Some(file) = &pdf {
                let lang = cuspid::admin::settings::Language::parse(&lang)?;
                clinic.write_file(file, &clinic.gdpr().article30_pdf(s, lang).await?)?;
            }
            if csv.is_some() || pdf.is_some() {
                return out.done("register written");
            }
            let register = clinic.gdpr().article30_register(s).await?;
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
        RegisterCmd::Edit { code, from } => {
            let input: cuspid::gdpr::article30::ActivityInput =
                serde_json::from_str(&std::fs::read_to_string(from)?)
                    .map_err(|_| Error::Usage("the file is not an activity in JSON".into()))?;
            let a = clinic.gdpr().update_activity(s, &code, input).await?;
            out.value(&a, || format!("{} {} changed", a.code, a.fields.name))
        }
    }
}

/// A time given as RFC 3339 or YYYY-MM-DD, in RFC 3339.
fn rfc3339(s: &str) -> Result<String> {
    Ok(parse_time(s)?.to_rfc3339())
}
