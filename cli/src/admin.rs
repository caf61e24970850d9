//! The clinic as a whole: `init` and `recover` (before anyone is signed in),
//! `clinic` (its particulars), `keys`, `db` (the PostgreSQL server) and `audit`.

use clap::{Args, Subcommand};
use cuspid::{AuditFilter, Clinic, ClinicProfile, DpoContact, Error, Location, Result, Session};
use uuid::Uuid;

use crate::secrets::{new_password, secret_from_env_or_prompt};
use crate::{Output, parse_time};

/// The clinic as it appears on paper.
#[derive(Args, Debug, Clone)]
pub(crate) struct ProfileArgs {
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
pub(crate) enum ClinicCmd {
    /// Print the clinic's particulars.
    Show,
    /// Replace the clinic's particulars (administrator).
    Set {
        #[command(flatten)]
        profile: Box<ProfileArgs>,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum KeysCmd {
    /// New clinic key; every key slot and patient key is re-wrapped.
    Rotate,
}

#[derive(Subcommand, Debug)]
pub(crate) enum DbCmd {
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
pub(crate) enum AuditCmd {
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

/// `init`: the clinic set up with `password` (asked before the clinic was opened);
/// the recovery key is shown once.
pub(crate) async fn init(
    clinic: &Clinic,
    profile: ProfileArgs,
    admin_user: &str,
    password: &str,
    out: Output,
) -> Result<()> {
    let clinic_name = profile.clinic_name.trim().to_owned();
    let outcome = clinic.init(profile.into(), admin_user, password).await?;
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

/// `recover`: a new administrator password, with the recovery key.
pub(crate) async fn recover(clinic: &Clinic, admin_user: &str, out: Output) -> Result<()> {
    let key = secret_from_env_or_prompt("CUSPID_RECOVERY_KEY", "Recovery key: ")?;
    let password = new_password("new administrator password", true)?;
    clinic.recover(&key, admin_user, &password).await?;
    out.done("administrator password set; log in with it now")
}

/// `db setup`: the tables created or upgraded on the server, as their owner.
pub(crate) async fn db_setup(location: &Location, app_role: &str, out: Output) -> Result<()> {
    let Location::Postgres(url) = location else {
        return Err(Error::Usage(
            "`db setup` prepares a PostgreSQL server: give its owner's address with --database-url".into(),
        ));
    };
    let tables = cuspid::store::prepare_server(url, app_role).await?;
    out.done(&format!(
        "{tables} tables ready; the workstations connect as {app_role}, which may only append to the audit log"
    ))
}

/// One `clinic` command.
pub(crate) async fn clinic_profile(clinic: &Clinic, s: &Session, cmd: ClinicCmd, out: Output) -> Result<()> {
    match cmd {
        ClinicCmd::Show => {
            let p = clinic.admin().clinic_profile(s).await?;
            out.value(&p, || match &p {
                Some(p) => profile_text(p),
                None => "the clinic's particulars were never recorded: `cuspid clinic set`".into(),
            })
        }
        ClinicCmd::Set { profile } => {
            let p = clinic.admin().update_clinic_profile(s, (*profile).into()).await?;
            out.value(&p, || profile_text(&p))
        }
    }
}

/// One `keys` command.
pub(crate) async fn keys(clinic: &Clinic, s: &Session, cmd: KeysCmd, out: Output) -> Result<()> {
    match cmd {
        KeysCmd::Rotate => {
            let report = clinic.rotate_keys(s).await?;
            out.value(&report, || {
                format!(
                    "new clinic key {}: {} key slots and {} patient keys re-wrapped.",
                    report.new_key_id, report.key_slots, report.patient_keys
                )
            })
        }
    }
}

/// One `audit` command.
pub(crate) async fn audit(clinic: &Clinic, s: &Session, cmd: AuditCmd, out: Output) -> Result<()> {
    match cmd {
        AuditCmd::Verify => {
            let r = clinic.verify_audit(s).await?;
            out.value(&r, || format!("audit log intact: {} events, head {}", r.events, &r.head_hash[..16]))
        }
        AuditCmd::List { patient, staff, action, since, until, limit } => {
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
    }
}

/// The particulars as `clinic show` prints them.
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
