//! Who signs in, and how: `staff` accounts, `mfa` (the second factor) and
//! `workstation` (a remembered user signing in with a PIN).

use std::io::Write;

use clap::Subcommand;
use cuspid::{Clinic, Error, Result, Role, Session};
use zeroize::Zeroizing;

use crate::Output;
use crate::secrets::{new_password, prompt_secret};

#[derive(Subcommand, Debug)]
pub(crate) enum StaffCmd {
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
pub(crate) enum MfaCmd {
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
pub(crate) enum WorkstationCmd {
    /// Remember this user here: they sign in with a PIN of their own (CUSPID_NEW_PIN or a
    /// prompt), opened with a workstation secret in the OS keyring. Not for admin or DPO.
    Enroll,
    /// Stop remembering this user here: the workstation slot and the keyring entry go.
    Forget,
}

/// One `staff` command.
pub(crate) async fn staff(clinic: &Clinic, s: &Session, cmd: StaffCmd, out: Output) -> Result<()> {
    match cmd {
        StaffCmd::Add { username, role } => {
            let role = Role::parse(&role)?;
            let password = new_password(&format!("first password for {username}"), false)?;
            let staff = clinic.admin().add_staff(s, &username, role, &password).await?;
            out.value(&staff, || format!("added {} ({})", staff.username, staff.role.as_str()))
        }
        StaffCmd::List => {
            let list = clinic.admin().list_staff(s).await?;
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
        StaffCmd::Disable { username } => {
            let staff = clinic.admin().disable_staff(s, &username).await?;
            out.value(&staff, || {
                format!(
                    "{} is disabled and their key slots destroyed.\n\
                     They held the clinic key while signed in: run `cuspid keys rotate` so that\n\
                     nothing they may have kept opens a copy of the database made from now on.",
                    staff.username
                )
            })
        }
        StaffCmd::Role { username, role } => {
            let staff = clinic.admin().set_staff_role(s, &username, Role::parse(&role)?).await?;
            out.value(&staff, || format!("{} is now {}", staff.username, staff.role.as_str()))
        }
        StaffCmd::Passwd { username } => {
            let confirm = match std::env::var("CUSPID_PASSWORD") {
                Ok(p) => Zeroizing::new(p),
                Err(_) => prompt_secret(&format!("Your own current password ({}): ", s.username()))?,
            };
            let password = new_password(&format!("new password for {username}"), false)?;
            clinic.admin().change_password(s, &username, &password, &confirm).await?;
            out.done("password changed")
        }
    }
}

/// One `mfa` command.
pub(crate) async fn mfa(clinic: &Clinic, s: &Session, cmd: MfaCmd, out: Output) -> Result<()> {
    match cmd {
        MfaCmd::Enroll => {
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
        MfaCmd::Status => {
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
        MfaCmd::Reset { username } => {
            let confirm = match std::env::var("CUSPID_PASSWORD") {
                Ok(p) => Zeroizing::new(p),
                Err(_) => prompt_secret(&format!("Your own current password ({}): ", s.username()))?,
            };
            clinic.reset_mfa(s, &username, &confirm).await?;
            out.done("the second factor is cleared")
        }
    }
}

/// One `workstation` command.
pub(crate) async fn workstation(
    clinic: &Clinic,
    s: &Session,
    cmd: WorkstationCmd,
    out: Output,
) -> Result<()> {
    match cmd {
        WorkstationCmd::Enroll => {
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
        WorkstationCmd::Forget => {
            clinic.forget_workstation(s).await?;
            out.done("this workstation no longer remembers you")
        }
    }
}
