//! `cuspid`: the command line of the core. It parses arguments, signs in, calls
//! one `Clinic` method and prints the result; nothing else. This file holds the
//! arguments, the sign-in, the output and the error report with its exit code;
//! each group of commands has a module of its own, and `run_session` hands every
//! command to its module.

mod accounts;
mod admin;
mod breaches;
mod clinical;
mod consent;
mod gdpr;
mod patients;
mod secrets;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cuspid::{Clinic, ClinicConfig, Error, ErrorDto, ErrorKind, Location, Result, Session};
use serde::Serialize;
use zeroize::Zeroizing;

use accounts::{MfaCmd, StaffCmd, WorkstationCmd};
use admin::{AuditCmd, ClinicCmd, DbCmd, KeysCmd, ProfileArgs};
use breaches::{BreachCmd, RegisterCmd};
use clinical::{ChartCmd, NoteCmd, PlanCmd, XrayCmd};
use consent::{ConsentCmd, NoticeCmd};
use gdpr::{RequestCmd, RetentionCmd};
use patients::PatientCmd;
use secrets::{new_password, prompt_secret};

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
            ExitCode::from(exit_code(e.kind()))
        }
    }
}

/// The exit code for an error of `kind`: one per family (the `auth` of
/// `auth.locked`), as `EXIT_CODES` documents. Usage errors (2) are clap's own.
fn exit_code(kind: ErrorKind) -> u8 {
    match kind.as_str().split('.').next().unwrap_or_default() {
        "auth" => 3,
        "input" => 4,
        "conflict" => 5,
        "not_found" => 6,
        "integrity" => 7,
        "storage" => 8,
        _ => 1,
    }
}

/// The error as the command line reports it: the core's `{kind, message, detail}`,
/// except that a missing secret says how to give one here.
fn error_dto(e: &Error) -> ErrorDto {
    let dto = e.to_dto();
    match e {
        Error::PasswordRequired => ErrorDto {
            message: "a password is needed: set CUSPID_PASSWORD or run from a terminal".into(),
            ..dto
        },
        _ => dto,
    }
}

#[allow(clippy::print_stderr)]
fn report_error(e: &Error, json: bool) {
    let dto = error_dto(e);
    if json {
        eprintln!("{}", serde_json::to_string(&dto).unwrap_or_default());
    } else {
        eprintln!("error: {} [{}]", dto.message, dto.kind);
    }
}

/// Open the clinic and run the command: `db setup`, `init` and `recover` before anyone
/// is signed in, every other command as the signed-in `--user`.
async fn run(cli: Cli) -> Result<()> {
    let out = Output { json: cli.json };
    let location = match (&cli.database_url, &cli.data_dir) {
        (Some(url), _) => Location::Postgres(url.clone()),
        (None, Some(dir)) => Location::DataDir(dir.clone()),
        (None, None) => Location::DataDir(Location::default_data_dir()?),
    };
    if let Command::Db(DbCmd::Setup { app_role }) = &cli.command {
        return admin::db_setup(&location, app_role, out).await;
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

    match cli.command {
        Command::Init { profile, admin_user } => {
            admin::init(&clinic, profile, &admin_user, &init_password.unwrap_or_default(), out).await
        }
        Command::Recover { admin_user } => admin::recover(&clinic, &admin_user, out).await,
        command => {
            let session = login(&clinic, cli.user.as_deref()).await?;
            run_session(&clinic, &session, command, out).await
        }
    }
}

/// Sign `user` in: with CUSPID_PASSWORD, else on a remembered workstation with the PIN
/// (CUSPID_PIN or a prompt), else with the password typed at a prompt.
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

/// One command of a signed-in user, handed to the module of its group.
async fn run_session(clinic: &Clinic, s: &Session, command: Command, out: Output) -> Result<()> {
    match command {
        Command::Clinic(cmd) => admin::clinic_profile(clinic, s, cmd, out).await,
        Command::Keys(cmd) => admin::keys(clinic, s, cmd, out).await,
        Command::Audit(cmd) => admin::audit(clinic, s, cmd, out).await,
        Command::Staff(cmd) => accounts::staff(clinic, s, cmd, out).await,
        Command::Mfa(cmd) => accounts::mfa(clinic, s, cmd, out).await,
        Command::Workstation(cmd) => accounts::workstation(clinic, s, cmd, out).await,
        Command::Patient(cmd) => patients::patient(clinic, s, cmd, out).await,
        Command::Consent(cmd) => consent::consent(clinic, s, cmd, out).await,
        Command::Notice(cmd) => consent::notice(clinic, s, cmd, out).await,
        Command::Request(cmd) => gdpr::request(clinic, s, cmd, out).await,
        Command::Retention(cmd) => gdpr::retention(clinic, s, cmd, out).await,
        Command::Register(cmd) => breaches::register(clinic, s, cmd, out).await,
        Command::Breach(cmd) => breaches::breach(clinic, s, cmd, out).await,
        Command::Chart(cmd) => clinical::chart(clinic, s, cmd, out).await,
        Command::Note(cmd) => clinical::note(clinic, s, cmd, out).await,
        Command::Xray(cmd) => clinical::xray(clinic, s, cmd, out).await,
        Command::Plan(cmd) => clinical::plan(clinic, s, cmd, out).await,
        Command::Init { .. } | Command::Recover { .. } | Command::Db(_) => {
            Err(Error::Internal("handled before login".into()))
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_kind_exits_with_a_code_of_the_help_table() {
        for &kind in ErrorKind::ALL {
            let code = exit_code(kind);
            assert!(EXIT_CODES.contains(&format!("\n  {code}  ")), "{kind}: exit {code} is in EXIT_CODES");
            assert_ne!(code, 2, "{kind}: 2 is clap's usage error");
            assert_eq!(code == 1, kind == ErrorKind::Internal, "{kind}: only an internal error exits 1");
        }
        for (kind, code) in [
            (ErrorKind::InvalidCredentials, 3),
            (ErrorKind::InvalidCnp, 4),
            (ErrorKind::StalePatient, 5),
            (ErrorKind::NotFound, 6),
            (ErrorKind::AuditChainBroken, 7),
            (ErrorKind::NotACuspidDatabase, 8),
        ] {
            assert_eq!(exit_code(kind), code, "{kind}");
        }
    }

    #[test]
    fn a_missing_password_says_how_to_give_one_and_other_errors_read_as_the_core_words_them() {
        let dto = error_dto(&Error::PasswordRequired);
        assert_eq!(dto.kind, ErrorKind::PasswordRequired);
        assert_eq!(dto.message, "a password is needed: set CUSPID_PASSWORD or run from a terminal");
        let not_found = Error::NotFound(cuspid::Subject::Patient);
        assert_eq!(error_dto(&not_found), not_found.to_dto());
    }
}
