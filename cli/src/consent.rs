//! `consent` (grant, withdraw, list) and `notice`, the privacy-notice versions the
//! consents are given against.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use cuspid::consent::{ConsentInput, ConsentKind, ConsentMethod};
use cuspid::{Clinic, Result, Session};
use uuid::Uuid;

use crate::Output;

#[derive(Subcommand, Debug)]
pub(crate) enum ConsentCmd {
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

#[derive(Args, Debug)]
pub(crate) struct ConsentArgs {
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
pub(crate) enum NoticeCmd {
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

/// One `consent` command.
pub(crate) async fn consent(clinic: &Clinic, s: &Session, cmd: ConsentCmd, out: Output) -> Result<()> {
    match cmd {
        ConsentCmd::Grant { patient, consent } => {
            record_consent(clinic, s, patient, consent, true, out).await
        }
        ConsentCmd::Withdraw { patient, consent } => {
            record_consent(clinic, s, patient, consent, false, out).await
        }
        ConsentCmd::List { patient } => {
            let states = clinic.patients().consent_states(s, patient).await?;
            let records = clinic.patients().consent_history(s, patient).await?;
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
    }
}

/// One `notice` command.
pub(crate) async fn notice(clinic: &Clinic, s: &Session, cmd: NoticeCmd, out: Output) -> Result<()> {
    match cmd {
        NoticeCmd::Publish { version, ro, en } => {
            let (ro, en) = (std::fs::read_to_string(ro)?, std::fs::read_to_string(en)?);
            let n = clinic.patients().publish_privacy_notice(s, &version, &ro, &en).await?;
            out.value(&n, || format!("privacy notice {} published", n.version))
        }
        NoticeCmd::List => {
            let all = clinic.patients().privacy_notices(s).await?;
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
        NoticeCmd::Show => {
            let n = clinic.patients().current_privacy_notice(s).await?;
            out.value(&n, || match &n {
                Some(n) => format!(
                    "version {} (published {})\n\n{}\n\n{}",
                    n.version, n.published_at, n.text_ro, n.text_en
                ),
                None => "no privacy notice published yet".into(),
            })
        }
    }
}

/// `consent grant` and `consent withdraw`; withdrawing health_data warns that the
/// account is closing.
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
    let outcome = clinic.patients().record_consent(s, patient, input).await?;
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
