//! The clinical record: `chart` (the FDI tooth chart and the procedure catalogue),
//! `note`, `xray` and `plan`.

use std::path::PathBuf;

use clap::Subcommand;
use cuspid::clinical::chart::{Finding, NewChartEntry, Surface};
use cuspid::{Clinic, Error, Result, Session};
use uuid::Uuid;

use crate::Output;

#[derive(Subcommand, Debug)]
pub(crate) enum ChartCmd {
    /// Chart a condition (--condition) or a procedure (--procedure CODE --state).
    Add {
        patient: Uuid,
        /// FDI number: 11-48 permanent, 51-85 primary.
        #[arg(long)]
        tooth: u8,
        /// mesial, distal, occlusal (incisal), buccal (labial), lingual (palatal), or the
        /// letters M, D, O/I, B/V/F, L/P run together (MOD); repeat or comma-separate.
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
pub(crate) enum NoteCmd {
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
pub(crate) enum XrayCmd {
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
pub(crate) enum PlanCmd {
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

/// One `chart` command.
pub(crate) async fn chart(clinic: &Clinic, s: &Session, cmd: ChartCmd, out: Output) -> Result<()> {
    match cmd {
        ChartCmd::Add {
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
        } => {
            let finding = match (condition, procedure) {
                (Some(c), _) => Finding::Condition { condition: chart_word(&c)?, resolved },
                (None, Some(code)) => Finding::Procedure { code, state: chart_word(&state)? },
                (None, None) => {
                    return Err(Error::Usage("chart a --condition or a --procedure".into()));
                }
            };
            let surfaces = Surface::parse_list(&surface.join(","))?;
            let entry = NewChartEntry {
                tooth,
                surfaces,
                finding,
                date: date.unwrap_or_else(|| chrono::Local::now().date_naive().to_string()),
                note,
                supersedes,
            };
            let e = clinic.clinical().chart_add(s, patient, entry).await?;
            out.value(&e, || format!("charted {} on tooth {} ({})", e.id, e.tooth, e.date))
        }
        ChartCmd::Procedures => {
            let all = clinic.clinical().procedures(s).await?;
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
        ChartCmd::Procedure { code, ro, en, fee, needs, inactive } => {
            let p = cuspid::clinical::chart::catalogue::ProcedureDto {
                code,
                name_ro: ro,
                name_en: en,
                fee_bani: (fee * 100.0).round() as i64,
                needs: chart_word(&needs)?,
                active: !inactive,
            };
            let saved = clinic.clinical().save_procedure(s, p).await?;
            out.value(&saved, || format!("{} saved", saved.code))
        }
        ChartCmd::Show { patient, as_of } => {
            let chart = clinic.clinical().chart(s, patient, as_of.as_deref()).await?;
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
    }
}

/// One `note` command.
pub(crate) async fn note(clinic: &Clinic, s: &Session, cmd: NoteCmd, out: Output) -> Result<()> {
    match cmd {
        NoteCmd::Add { patient, text, date, template, amends, reason } => {
            let text = if text == "-" { std::io::read_to_string(std::io::stdin())? } else { text };
            let note = cuspid::clinical::notes::NewNote {
                date: date.unwrap_or_else(|| chrono::Local::now().date_naive().to_string()),
                text,
                template,
                amends,
                reason,
            };
            let n = clinic.clinical().add_note(s, patient, note).await?;
            out.value(&n, || format!("note {} of {}", n.id, n.date))
        }
        NoteCmd::List { patient } => {
            let alerts = clinic.clinical().medical_alerts(s, patient).await?;
            let notes = clinic.clinical().notes(s, patient).await?;
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
    }
}

/// One `xray` command.
pub(crate) async fn xray(clinic: &Clinic, s: &Session, cmd: XrayCmd, out: Output) -> Result<()> {
    match cmd {
        XrayCmd::Import { patient, file, kind, date, teeth, note } => {
            let bytes = std::fs::read(&file)?;
            let new = cuspid::clinical::imaging::NewXray {
                kind: xray_kind(&kind)?,
                date: date.unwrap_or_else(|| chrono::Local::now().date_naive().to_string()),
                teeth,
                note,
            };
            let x = clinic.clinical().import_xray(s, patient, &bytes, new).await?;
            out.value(&x, || {
                let frames = if x.frames > 1 { format!(", {} frames", x.frames) } else { String::new() };
                format!(
                    "imported {} ({:?}, {}x{}, {}-bit{frames})",
                    x.id, x.format, x.width, x.height, x.bits
                )
            })
        }
        XrayCmd::List { patient } => {
            let list = clinic.clinical().xrays(s, patient).await?;
            out.value(&list, || {
                list.iter()
                    .map(|x| {
                        format!("{}  {:?}  {:?}  teeth {:?}  {}", x.date, x.kind, x.format, x.teeth, x.id)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        XrayCmd::Export { patient, xray, file, strip_identifiers } => {
            let (_, bytes) = clinic.clinical().xray_export(s, patient, xray, strip_identifiers).await?;
            clinic.write_file(&file, &bytes)?;
            out.done(if strip_identifiers { "de-identified copy written" } else { "original written" })
        }
    }
}

/// One `plan` command.
pub(crate) async fn plan(clinic: &Clinic, s: &Session, cmd: PlanCmd, out: Output) -> Result<()> {
    match cmd {
        PlanCmd::List { patient } => {
            let plans = clinic.clinical().plans(s, patient).await?;
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
        PlanCmd::Pdf { patient, plan, file, language } => {
            let lang = language.as_deref().map(cuspid::admin::settings::Language::parse).transpose()?;
            clinic.write_file(&file, &clinic.clinical().plan_pdf(s, patient, plan, lang).await?)?;
            out.done("plan written")
        }
    }
}

/// A word of the chart's vocabulary (`caries`, `occlusal`, `done`).
fn chart_word<T: serde::de::DeserializeOwned>(word: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(word.trim().to_lowercase()))
        .map_err(|_| Error::Usage("unknown condition or state: see `cuspid chart add --help`".into()))
}

/// An image's kind (`bitewing`, `panoramic`, ...).
fn xray_kind(word: &str) -> Result<cuspid::clinical::imaging::XrayKind> {
    serde_json::from_value(serde_json::Value::String(word.trim().to_lowercase())).map_err(|_| {
        Error::Usage("an image is a bitewing, periapical, panoramic, cbct_slice or photo".into())
    })
}
