//! Remembering a staff member on a workstation: the OS keyring keeps a random
//! workstation secret, never the clinic key. The secret and the person's own PIN
//! together open a `workstation` key slot in the database; neither alone does.
//!
//! Revocation is deleting the slot: "forget this workstation", disabling the
//! account or a rotation-free reset all leave a keyring entry that opens nothing.
//! Administrator and DPO accounts are never remembered (the permission table).

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::audit::{self, AuditAction, Event};
use crate::auth::{self, Action, Role, Session, SlotKind};
use crate::clinic::Clinic;
use crate::crypto::{KdfParams, SecretKey, derive_workstation_key};
use crate::error::{Error, Result};
use crate::rules::Rule;
use crate::store::entities::key_slot;

const KEYRING_SERVICE: &str = "cuspid";
/// The keyring entry's format: `cuspid-ws-v1:<slot id>:<workstation secret, hex>`.
const ENTRY_PREFIX: &str = "cuspid-ws-v1";
pub const MIN_PIN_DIGITS: usize = 6;
pub const MAX_PIN_DIGITS: usize = 12;

/// What the keyring holds for one user of one clinic on this workstation.
struct KeyringEntry {
    slot_id: Uuid,
    secret: SecretKey,
}

impl KeyringEntry {
    fn encode(&self) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "{ENTRY_PREFIX}:{}:{}",
            self.slot_id,
            data_encoding::HEXLOWER.encode(self.secret.dangerous_expose_bytes())
        ))
    }

    /// `None` for anything else, such as the clinic key that builds before this one stored.
    fn decode(text: &str) -> Option<KeyringEntry> {
        let mut parts = text.splitn(3, ':');
        if parts.next()? != ENTRY_PREFIX {
            return None;
        }
        let slot_id = Uuid::parse_str(parts.next()?).ok()?;
        let bytes = Zeroizing::new(data_encoding::HEXLOWER.decode(parts.next()?.as_bytes()).ok()?);
        Some(KeyringEntry { slot_id, secret: SecretKey::from_slice(&bytes).ok()? })
    }
}

/// A PIN is the person's own: 6 to 12 digits, not one digit repeated, not a run.
pub fn check_pin_policy(pin: &str) -> Result<()> {
    let digits: Vec<u8> = pin.bytes().collect();
    if !(MIN_PIN_DIGITS..=MAX_PIN_DIGITS).contains(&digits.len()) || !digits.iter().all(u8::is_ascii_digit) {
        return Err(Error::InvalidInput(Rule::PinFormat));
    }
    let steps: Vec<i16> = digits.windows(2).map(|w| i16::from(w[1]) - i16::from(w[0])).collect();
    let same_step = steps.windows(2).all(|w| w[0] == w[1]);
    if same_step && matches!(steps[0], -1..=1) {
        return Err(Error::InvalidInput(Rule::PinGuessable));
    }
    Ok(())
}

impl Clinic {
    /// Remember `s`'s user on this workstation: a new workstation slot opened by the
    /// keyring's secret and `pin`. Enrolling again replaces this workstation's slot.
    pub async fn enroll_workstation(&self, s: &Session, pin: &str) -> Result<()> {
        let permit = self.authorize(s, Action::WorkstationEnroll).await?;
        check_pin_policy(pin)?;
        self.check_key_current(s)?;
        let meta = self.meta()?;
        let entry = KeyringEntry { slot_id: Uuid::now_v7(), secret: SecretKey::random() };
        let salt = crate::crypto::random_bytes::<16>();
        let kdf = self.pin_kdf();
        let slot_secret = blocking_workstation_key(&entry.secret, pin, &salt, kdf).await?;
        let slot = key_slot::ActiveModel {
            id: Set(entry.slot_id),
            kind: Set(SlotKind::Workstation.as_str().into()),
            staff_id: Set(Some(s.staff_id())),
            kek_id: Set(meta.kek_id),
            m_kib: Set(kdf.m_kib as i32),
            t_cost: Set(kdf.t as i32),
            p_cost: Set(kdf.p as i32),
            salt: Set(salt.to_vec()),
            wrapped: Set(auth::seal_slot(auth::slot_public_key(&slot_secret), entry.slot_id, &s.keys.kek)),
            created_at: Set(audit::now_micros()),
            workstation: Set(Some(self.workstation().to_owned())),
            owner_mac: Set(None),
        };
        let mut w = self.work(permit).await?;
        delete_workstation_slots(&w.tx, s.staff_id(), self.workstation()).await?;
        key_slot::Entity::insert(slot).exec(&w.tx).await?;
        crate::integrity::remac_slots(&w.tx, &s.keys.audit_key, Some(s.staff_id())).await?;
        w.audit(Event::new(AuditAction::WorkstationEnroll, "workstation").entity(self.workstation()));
        // The keyring is written last, once the slot it names is certain to commit.
        let keyring = keyring_entry(meta.clinic_id, s.username())?;
        w.commit().await?;
        keyring.set_password(&entry.encode()).map_err(keyring_error)?;
        tracing::info!("workstation enrolled");
        Ok(())
    }

    /// Stop remembering `s`'s user here: the slot is deleted (so a copy of the
    /// keyring entry opens nothing), then the keyring entry.
    pub async fn forget_workstation(&self, s: &Session) -> Result<()> {
        let mut w = self.begin(s, Action::OwnPassword).await?;
        let meta = self.meta()?;
        let removed = delete_workstation_slots(&w.tx, s.staff_id(), self.workstation()).await?;
        w.audit(
            Event::new(AuditAction::WorkstationForget, "workstation")
                .entity(self.workstation())
                .purpose(format!("{removed} slot(s) removed")),
        );
        w.commit().await?;
        delete_keyring_entry(meta.clinic_id, s.username())
    }

    /// Whether the keyring of this workstation holds an entry for `username` (the
    /// CLI asks for a PIN rather than a password then). Nothing is unlocked.
    pub fn keyring_enrolled(&self, username: &str) -> bool {
        let Ok(meta) = self.meta() else { return false };
        keyring_entry(meta.clinic_id, &username.trim().to_ascii_lowercase())
            .and_then(|e| e.get_password().map_err(keyring_error))
            .is_ok_and(|text| KeyringEntry::decode(&text).is_some())
    }

    /// Sign in on an enrolled workstation with the person's PIN. A wrong PIN counts
    /// towards the same lockout as a wrong password. A missing, forgotten or revoked
    /// entry is `auth.keyring_unavailable`: the caller asks for the password.
    /// `code`: the authenticator's code, for an account enrolled in two-factor sign-in.
    pub async fn login_with_keyring(&self, username: &str, pin: &str, code: Option<&str>) -> Result<Session> {
        self.login_with_pin(username, pin, code, "pin").await
    }

    pub(crate) async fn login_with_pin(
        &self,
        username: &str,
        pin: &str,
        code: Option<&str>,
        method: &str,
    ) -> Result<Session> {
        let meta = self.meta()?;
        let username = username.trim().to_ascii_lowercase();
        let keyring = keyring_entry(meta.clinic_id, &username)?;
        let text = Zeroizing::new(keyring.get_password().map_err(keyring_error)?);
        let Some(entry) = KeyringEntry::decode(&text) else {
            // An entry of an earlier build held the clinic key itself: remove it.
            let _ = keyring.delete_credential();
            return Err(Error::KeyringUnavailable { reason: Rule::OldEntryRemoved });
        };
        let staff = self.login_precheck(&username).await?;
        let slot = key_slot::Entity::find_by_id(entry.slot_id)
            .filter(key_slot::Column::StaffId.eq(staff.id))
            .filter(key_slot::Column::Kind.eq(SlotKind::Workstation.as_str()))
            .one(self.store.connection())
            .await?;
        let Some(slot) = slot else {
            let _ = keyring.delete_credential();
            return Err(Error::KeyringUnavailable { reason: Rule::Forgotten });
        };
        if Role::parse(&staff.role).is_ok_and(|r| !auth::allowed(r, Action::WorkstationEnroll)) {
            return Err(Error::KeyringUnavailable { reason: Rule::PrivilegedRole });
        }
        let kdf = KdfParams::from_columns(slot.m_kib, slot.t_cost, slot.p_cost)?;
        let secret = blocking_workstation_key(&entry.secret, pin, &slot.salt, kdf).await?;
        let Some(kek) = auth::open_slot(&secret, slot.id, &slot.wrapped) else {
            return Err(self.record_failed_login(&staff, "wrong PIN").await);
        };
        self.finish_login(staff, kek, &meta, method, code, Some(&slot)).await
    }

    /// Argon2id cost of a PIN: OWASP's minimum (the keyring's secret carries the
    /// entropy), or the clinic's own password cost where that is lower.
    fn pin_kdf(&self) -> KdfParams {
        let own = self.password_kdf();
        if own.m_kib < KdfParams::OWASP_MINIMUM.m_kib { own } else { KdfParams::OWASP_MINIMUM }
    }
}

/// A server URL's password goes to the OS keyring (service `cuspid-server`, account
/// the URL without it), so the workstation's configuration file never holds it.
const SERVER_SERVICE: &str = "cuspid-server";

/// `(url without the password, the password)`.
fn split_password(url: &str) -> Option<(String, Zeroizing<String>)> {
    let (scheme, rest) = url.split_once("://")?;
    let (auth, host) = rest.split_once('@')?;
    let (user, password) = auth.split_once(':')?;
    Some((format!("{scheme}://{user}@{host}"), Zeroizing::new(password.to_owned())))
}

/// Keep the password of `url` in the OS keyring; returns the URL to write to a file.
pub fn keep_server_password(url: &str) -> Result<String> {
    let Some((bare, password)) = split_password(url) else { return Ok(url.to_owned()) };
    keyring::Entry::new(SERVER_SERVICE, &bare)
        .and_then(|e| e.set_password(&password))
        .map_err(|_| Error::KeyringUnavailable { reason: Rule::ServerPasswordNeedsKeyring })?;
    Ok(bare)
}

/// `bare` with its password from the OS keyring, when one is kept there.
pub fn server_url_with_password(bare: &str) -> String {
    let Some((scheme, rest)) = bare.split_once("://") else { return bare.to_owned() };
    let Some((user, host)) = rest.split_once('@') else { return bare.to_owned() };
    if user.contains(':') {
        return bare.to_owned(); // written by an earlier build: moved to the keyring at the next save
    }
    match keyring::Entry::new(SERVER_SERVICE, bare).and_then(|e| e.get_password()) {
        Ok(p) => format!("{scheme}://{user}:{}@{host}", Zeroizing::new(p).as_str()),
        Err(_) => bare.to_owned(),
    }
}

async fn delete_workstation_slots(
    tx: &sea_orm::DatabaseTransaction,
    staff_id: Uuid,
    workstation: &str,
) -> Result<u64> {
    let r = key_slot::Entity::delete_many()
        .filter(key_slot::Column::StaffId.eq(staff_id))
        .filter(key_slot::Column::Kind.eq(SlotKind::Workstation.as_str()))
        .filter(key_slot::Column::Workstation.eq(workstation))
        .exec(tx)
        .await?;
    Ok(r.rows_affected)
}

pub(crate) fn delete_keyring_entry(clinic_id: Uuid, username: &str) -> Result<()> {
    match keyring_entry(clinic_id, username)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_error(e)),
    }
}

async fn blocking_workstation_key(
    secret: &SecretKey,
    pin: &str,
    salt: &[u8],
    kdf: KdfParams,
) -> Result<SecretKey> {
    let secret = SecretKey::from_bytes(*secret.dangerous_expose_bytes());
    let pin = Zeroizing::new(pin.to_owned());
    let salt = salt.to_vec();
    tokio::task::spawn_blocking(move || derive_workstation_key(&secret, &pin, &salt, kdf))
        .await
        .map_err(|_| Error::Internal("key derivation task failed".into()))?
}

fn keyring_entry(clinic_id: Uuid, username: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(KEYRING_SERVICE, &format!("{clinic_id}/{username}")).map_err(keyring_error)
}

fn keyring_error(e: keyring::Error) -> Error {
    match e {
        keyring::Error::NoEntry => Error::KeyringUnavailable { reason: Rule::NotEnrolled },
        keyring::Error::NoStorageAccess(_) => Error::KeyringUnavailable { reason: Rule::KeyringLocked },
        keyring::Error::PlatformFailure(_) => Error::KeyringUnavailable { reason: Rule::NoService },
        keyring::Error::BadEncoding(_) => Error::KeyringUnavailable { reason: Rule::UnreadableEntry },
        keyring::Error::Ambiguous(_) => Error::KeyringUnavailable { reason: Rule::Ambiguous },
        _ => Error::KeyringUnavailable { reason: Rule::Refused },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_six_to_twelve_digits_and_not_trivial() {
        for good in ["482916", "20261202", "000001", "135790"] {
            assert!(check_pin_policy(good).is_ok(), "{good} is a fine PIN");
        }
        for bad in ["12345", "1234567890123", "48291a", "111111", "123456", "987654", "", "48 916"] {
            assert_eq!(check_pin_policy(bad).unwrap_err().kind(), "input.invalid", "{bad:?} is refused");
        }
    }

    #[test]
    fn a_server_password_is_split_off_the_url() {
        let (bare, pw) =
            split_password("postgres://cuspid:s3cret@db.clinic:5432/cuspid?sslmode=verify-full").unwrap();
        assert_eq!(bare, "postgres://cuspid@db.clinic:5432/cuspid?sslmode=verify-full");
        assert_eq!(pw.as_str(), "s3cret");
        assert!(split_password("postgres://cuspid@db.clinic/cuspid").is_none(), "nothing to keep");
    }

    #[test]
    fn the_keyring_entry_holds_a_workstation_secret_never_a_clinic_key() {
        let e = KeyringEntry { slot_id: Uuid::now_v7(), secret: SecretKey::random() };
        let text = e.encode();
        assert!(text.starts_with("cuspid-ws-v1:"));
        let back = KeyringEntry::decode(&text).expect("round trip");
        assert_eq!(back.slot_id, e.slot_id);
        assert_eq!(back.secret.dangerous_expose_bytes(), e.secret.dangerous_expose_bytes());
        // What builds before this one stored: the clinic key as 64 hex characters.
        assert!(KeyringEntry::decode(&"ab".repeat(32)).is_none());
    }
}
