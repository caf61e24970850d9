//! Two-factor sign-in: TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) from an
//! authenticator app, mandatory for administrators and the DPO, optional for the
//! others; ten one-time recovery codes. The secret is sealed under the clinic's MFA
//! key; a code is accepted once (the last accepted step is kept); a wrong code counts
//! towards the same lockout as a wrong password.
//!
//! What it holds against: someone who learnt a password (over a shoulder, from a
//! note) cannot sign in at a workstation without the phone. What it does not: the
//! password alone still opens its key slot in a stolen copy of the database, since a
//! changing code cannot be part of a key; that threat is the password's strength.

use std::sync::atomic::Ordering;

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Serialize;
use totp_rs::{Algorithm, TOTP};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, ClinicKeys, Role, Session};
use crate::clinic::Clinic;
use crate::crypto::{FieldCipher, Place, SecretKey, mac};
use crate::error::{Error, Result};
use crate::rules::{Rule, Subject};
use crate::store::entities::{staff, staff_recovery_code};

pub const TOTP_STEP_SECONDS: u64 = 30;
pub const TOTP_DIGITS: usize = 6;
const SECRET_BYTES: usize = 20;
const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Cuspid";

/// Whether a role must sign in with a second factor.
pub fn required(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Dpo)
}

/// A TOTP set-up, shown once to the person enrolling: the secret (base32), the
/// `otpauth://` URI an authenticator app reads, and that URI as a QR code (PNG, base64).
#[derive(Serialize, ts_rs::TS)]
pub struct TotpSetup {
    pub secret: String,
    pub uri: String,
    pub qr_png_base64: String,
}

impl std::fmt::Debug for TotpSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSetup(****)")
    }
}

/// One-time recovery codes, shown once.
#[derive(Serialize, ts_rs::TS)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

impl std::fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecoveryCodes({} codes)", self.codes.len())
    }
}

/// Where a staff member stands with two-factor sign-in.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct MfaStatus {
    pub enrolled: bool,
    /// Administrators and the DPO must enrol before anything else.
    pub required: bool,
    pub recovery_codes_left: u32,
}

/// What a second factor proved at sign-in, to be made single-use in the sign-in's
/// own transaction.
#[derive(Debug)]
pub(crate) enum SecondFactor {
    /// Not enrolled, and not required.
    None,
    /// Required but not enrolled: the session may only enrol.
    EnrolmentPending,
    Totp {
        step: i64,
    },
    RecoveryCode {
        code_mac: Vec<u8>,
    },
}

impl SecondFactor {
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            SecondFactor::None => "",
            SecondFactor::EnrolmentPending => " (two-factor enrolment pending)",
            SecondFactor::Totp { .. } => " + TOTP",
            SecondFactor::RecoveryCode { .. } => " + recovery code",
        }
    }
}

fn mfa_key(keys: &ClinicKeys) -> SecretKey {
    keys.audit_key.derive("staff-mfa")
}

fn secret_addr(staff_id: Uuid) -> Place<'static, Vec<u8>> {
    staff::TOTP.at(staff_id)
}

fn totp(secret: &[u8], account: &str) -> Result<TOTP> {
    TOTP::new(
        Algorithm::SHA1,
        TOTP_DIGITS,
        0,
        TOTP_STEP_SECONDS,
        secret.to_vec(),
        Some(ISSUER.into()),
        account.replace(':', "."),
    )
    .map_err(|_| Error::InvalidInput(Rule::TotpSecretTooShort))
}

/// The step `code` belongs to, within one step either side of `now` (clock drift).
fn matching_step(t: &TOTP, code: &str, now: u64) -> Option<i64> {
    let code = code.trim();
    if code.len() != TOTP_DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let step = now / TOTP_STEP_SECONDS;
    [step.saturating_sub(1), step, step + 1].into_iter().find_map(|s| {
        let expected = t.generate(s * TOTP_STEP_SECONDS);
        let same = expected.bytes().zip(code.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        same.then(|| i64::try_from(s).ok()).flatten()
    })
}

/// `abcde-fghij`: 50 random bits in the RFC 4648 alphabet, lower case.
fn new_recovery_code() -> String {
    let text = data_encoding::BASE32_NOPAD.encode(&crate::crypto::random_bytes::<7>()).to_ascii_lowercase();
    format!("{}-{}", &text[..5], &text[5..10])
}

fn recovery_mac(key: &SecretKey, staff_id: Uuid, typed: &str) -> Vec<u8> {
    let normal: String =
        typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    let mut m = b"recovery-code/".to_vec();
    m.extend_from_slice(staff_id.as_bytes());
    m.extend_from_slice(normal.as_bytes());
    mac(key, &m).to_vec()
}

impl Clinic {
    pub(crate) fn unix_now(&self) -> u64 {
        match &self.totp_clock {
            Some(c) => c.load(Ordering::SeqCst),
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or_default(),
        }
    }

    /// What the second factor of a sign-in proves, before anything is written. A
    /// wrong or missing code is an error; `finish_login` makes a good one single-use.
    pub(crate) fn second_factor(
        &self,
        staff: &staff::Model,
        role: Role,
        keys: &ClinicKeys,
        code: Option<&str>,
    ) -> Result<std::result::Result<SecondFactor, ()>> {
        let Some(sealed) = &staff.totp_sealed else {
            return Ok(Ok(if required(role) { SecondFactor::EnrolmentPending } else { SecondFactor::None }));
        };
        let Some(code) = code.filter(|c| !c.trim().is_empty()) else {
            return Err(Error::TotpRequired);
        };
        let key = mfa_key(keys);
        let secret = Zeroizing::new(FieldCipher::new(&key, 0).open(secret_addr(staff.id), sealed)?);
        let t = totp(&secret, &staff.username)?;
        if let Some(step) = matching_step(&t, code, self.unix_now()) {
            return Ok(Ok(SecondFactor::Totp { step }));
        }
        if code.trim().len() > TOTP_DIGITS {
            return Ok(Ok(SecondFactor::RecoveryCode { code_mac: recovery_mac(&key, staff.id, code) }));
        }
        Ok(Err(()))
    }

    /// Make the second factor single-use inside the sign-in's transaction: a step at
    /// or before the last accepted one, or a used recovery code, is refused.
    pub(crate) async fn spend_second_factor(
        &self,
        tx: &sea_orm::DatabaseTransaction,
        staff_id: Uuid,
        factor: &SecondFactor,
    ) -> Result<bool> {
        Ok(match factor {
            SecondFactor::None | SecondFactor::EnrolmentPending => true,
            SecondFactor::Totp { step } => {
                let r = staff::Entity::update_many()
                    .col_expr(staff::Column::TotpLastStep, (*step).into())
                    .filter(staff::Column::Id.eq(staff_id))
                    .filter(
                        sea_orm::Condition::any()
                            .add(staff::Column::TotpLastStep.is_null())
                            .add(staff::Column::TotpLastStep.lt(*step)),
                    )
                    .exec(tx)
                    .await?;
                r.rows_affected == 1
            }
            SecondFactor::RecoveryCode { code_mac } => {
                let r = staff_recovery_code::Entity::update_many()
                    .col_expr(staff_recovery_code::Column::UsedAt, audit::now_micros().into())
                    .filter(staff_recovery_code::Column::StaffId.eq(staff_id))
                    .filter(staff_recovery_code::Column::CodeMac.eq(code_mac.clone()))
                    .filter(staff_recovery_code::Column::UsedAt.is_null())
                    .exec(tx)
                    .await?;
                r.rows_affected == 1
            }
        })
    }

    /// Start enrolling `s`'s user: a new random secret, held by the session until a
    /// first code confirms it.
    pub async fn begin_totp(&self, s: &Session) -> Result<TotpSetup> {
        let secret = Zeroizing::new(crate::crypto::random_bytes::<SECRET_BYTES>().to_vec());
        self.begin_totp_with(s, secret).await
    }

    /// Enrol with a secret the person already holds (base32, at least 128 bits), for
    /// an authenticator set up beforehand or a script.
    pub async fn begin_totp_with_secret(&self, s: &Session, base32: &str) -> Result<TotpSetup> {
        let cleaned: String = base32.chars().filter(|c| !c.is_whitespace() && *c != '=').collect();
        let bytes = data_encoding::BASE32_NOPAD
            .decode(cleaned.to_ascii_uppercase().as_bytes())
            .map_err(|_| Error::InvalidInput(Rule::TotpSecretFormat))?;
        self.begin_totp_with(s, Zeroizing::new(bytes)).await
    }

    async fn begin_totp_with(&self, s: &Session, secret: Zeroizing<Vec<u8>>) -> Result<TotpSetup> {
        self.authorize(s, Action::MfaManage).await?;
        let t = totp(&secret, s.username())?;
        let setup = TotpSetup {
            secret: t.get_secret_base32(),
            uri: t.get_url(),
            qr_png_base64: t
                .get_qr_base64()
                .map_err(|_| Error::Internal("the QR code could not be drawn".into()))?,
        };
        *s.pending_totp.lock().map_err(|_| Error::Internal("lock poisoned".into()))? = Some(secret);
        Ok(setup)
    }

    /// Confirm the enrolment with a first code: the secret is sealed and stored, and
    /// ten new recovery codes are returned (shown once; the old ones stop working).
    pub async fn confirm_totp(&self, s: &Session, code: &str) -> Result<RecoveryCodes> {
        let permit = self.authorize(s, Action::MfaManage).await?;
        let secret = s
            .pending_totp
            .lock()
            .map_err(|_| Error::Internal("lock poisoned".into()))?
            .take()
            .ok_or(Error::InvalidInput(Rule::MfaNotStarted))?;
        let t = totp(&secret, s.username())?;
        let Some(step) = matching_step(&t, code, self.unix_now()) else {
            // Keep the secret: the person may have typed the code wrong.
            *s.pending_totp.lock().map_err(|_| Error::Internal("lock poisoned".into()))? = Some(secret);
            return Err(Error::InvalidTotp);
        };
        let key = mfa_key(&s.keys);
        let sealed = FieldCipher::new(&key, 0).seal(secret_addr(s.staff_id()), &secret);
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let mut w = self.work(permit).await?;
        staff::Entity::update_many()
            .col_expr(staff::Column::TotpSealed, sealed.into())
            .col_expr(staff::Column::TotpLastStep, step.into())
            .filter(staff::Column::Id.eq(s.staff_id()))
            .exec(&w.tx)
            .await?;
        replace_recovery_codes(&w.tx, &key, s.staff_id(), &codes).await?;
        w.audit(Event::new(AuditAction::StaffMfaEnrol, "staff").entity(s.staff_id()).purpose("TOTP"));
        w.commit().await?;
        s.mfa_pending.store(false, Ordering::SeqCst);
        tracing::info!("two-factor sign-in enrolled");
        Ok(RecoveryCodes { codes })
    }

    /// Where `s`'s user stands with two-factor sign-in.
    pub async fn mfa_status(&self, s: &Session) -> Result<MfaStatus> {
        self.authorize(s, Action::MfaManage).await?;
        let row = staff::Entity::find_by_id(s.staff_id()).one(self.store().connection()).await?;
        let left = staff_recovery_code::Entity::find()
            .filter(staff_recovery_code::Column::StaffId.eq(s.staff_id()))
            .filter(staff_recovery_code::Column::UsedAt.is_null())
            .count(self.store().connection())
            .await?;
        Ok(MfaStatus {
            enrolled: row.is_some_and(|r| r.totp_sealed.is_some()),
            required: required(s.role()),
            recovery_codes_left: u32::try_from(left).unwrap_or(u32::MAX),
        })
    }

    /// An administrator clears someone's second factor (a lost phone), confirming
    /// their own password. An administrator or DPO enrols again at the next sign-in.
    pub async fn reset_mfa(&self, s: &Session, username: &str, confirm: &str) -> Result<()> {
        let permit = self.authorize(s, Action::StaffManage).await?;
        self.confirm_password(s, confirm).await?;
        let mut w = self.work(permit).await?;
        let target = staff::Entity::find()
            .filter(staff::Column::Username.eq(username.trim().to_ascii_lowercase()))
            .one(&w.tx)
            .await?
            .ok_or(Error::NotFound(Subject::StaffUserName))?;
        staff::Entity::update_many()
            .col_expr(staff::Column::TotpSealed, Option::<Vec<u8>>::None.into())
            .col_expr(staff::Column::TotpLastStep, Option::<i64>::None.into())
            .filter(staff::Column::Id.eq(target.id))
            .exec(&w.tx)
            .await?;
        staff_recovery_code::Entity::delete_many()
            .filter(staff_recovery_code::Column::StaffId.eq(target.id))
            .exec(&w.tx)
            .await?;
        w.audit(Event::new(AuditAction::StaffMfaReset, "staff").entity(target.id));
        w.commit().await
    }
}

async fn replace_recovery_codes(
    tx: &sea_orm::DatabaseTransaction,
    key: &SecretKey,
    staff_id: Uuid,
    codes: &[String],
) -> Result<()> {
    staff_recovery_code::Entity::delete_many()
        .filter(staff_recovery_code::Column::StaffId.eq(staff_id))
        .exec(tx)
        .await?;
    let rows = codes.iter().map(|c| staff_recovery_code::ActiveModel {
        id: Set(Uuid::now_v7()),
        staff_id: Set(staff_id),
        code_mac: Set(recovery_mac(key, staff_id, c)),
        used_at: Set(None),
    });
    staff_recovery_code::Entity::insert_many(rows).exec(tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 vectors for 8 digits, read as their last 6.
    #[test]
    fn codes_match_the_rfc_6238_vectors() {
        let t = totp(b"12345678901234567890", "test").unwrap();
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(t.generate(time), eight[2..], "at {time}");
            assert_eq!(matching_step(&t, &eight[2..], time), Some((time / 30) as i64));
        }
        assert_eq!(matching_step(&t, "287082", 59 + 30), Some(1), "one step late still matches");
        assert_eq!(matching_step(&t, "287082", 59 + 90), None, "three steps late does not");
        assert_eq!(matching_step(&t, "28708", 59), None);
    }

    #[test]
    fn recovery_codes_read_back_however_typed() {
        let key = SecretKey::random();
        let id = Uuid::now_v7();
        let code = new_recovery_code();
        assert_eq!(code.len(), 11);
        let typed = format!(" {} ", code.to_uppercase().replace('-', " "));
        assert_eq!(recovery_mac(&key, id, &code), recovery_mac(&key, id, &typed));
        assert_ne!(recovery_mac(&key, id, &code), recovery_mac(&key, Uuid::now_v7(), &code));
    }
}
