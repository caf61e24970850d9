//! Key-encryption keys derived from what a person holds: a password (Argon2id,
//! parameters stored beside each slot so they can be raised) or the recovery key.

use argon2::{Algorithm, Argon2, Params, Version};
use data_encoding::BASE32_NOPAD;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::SecretKey;
use crate::error::{Error, Result};

/// Argon2id cost, stored with every password slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl KdfParams {
    /// RFC 9106, second recommended option: m = 64 MiB, t = 3, p = 4.
    pub const RFC9106_SECOND: KdfParams = KdfParams { m_kib: 64 * 1024, t: 3, p: 4 };
    /// OWASP's minimum for Argon2id (m = 19 MiB, t = 2, p = 1): the PIN of a workstation
    /// slot, which also needs the workstation secret from the OS keyring.
    pub const OWASP_MINIMUM: KdfParams = KdfParams { m_kib: 19 * 1024, t: 2, p: 1 };

    /// The bounds any stored cost must keep: a row edited to ask for terabytes of
    /// memory, or for almost no work, is refused before Argon2 runs.
    pub const MIN_M_KIB: u32 = 19 * 1024;
    pub const MAX_M_KIB: u32 = 1024 * 1024;
    pub const MAX_T: u32 = 16;
    pub const MAX_P: u32 = 16;

    /// These costs if they are within the bounds.
    pub fn checked(self) -> Result<KdfParams> {
        let ok = (Self::MIN_M_KIB..=Self::MAX_M_KIB).contains(&self.m_kib)
            && (1..=Self::MAX_T).contains(&self.t)
            && (1..=Self::MAX_P).contains(&self.p);
        if !ok {
            return Err(Error::Tampered("a key slot asks for Argon2 costs outside the allowed range".into()));
        }
        Ok(self)
    }

    /// The stored columns of a slot, read as costs and checked.
    pub(crate) fn from_columns(m_kib: i32, t: i32, p: i32) -> Result<KdfParams> {
        let (Ok(m_kib), Ok(t), Ok(p)) = (u32::try_from(m_kib), u32::try_from(t), u32::try_from(p)) else {
            return Err(Error::Tampered("a key slot asks for Argon2 costs outside the allowed range".into()));
        };
        KdfParams { m_kib, t, p }.checked()
    }
}

/// Derive the key that wraps a password slot.
pub fn derive_password_key(password: &str, salt: &[u8], params: KdfParams) -> Result<SecretKey> {
    Ok(SecretKey::from_bytes(*argon2id(password.as_bytes(), salt, params)?))
}

fn argon2id(secret: &[u8], salt: &[u8], params: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let params = params.checked()?;
    let p = Params::new(params.m_kib, params.t, params.p, Some(32))
        .map_err(|_| Error::Tampered("a key slot has invalid Argon2 parameters".into()))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, p)
        .hash_password_into(secret, salt, out.as_mut())
        .map_err(|_| Error::Internal("Argon2id failed".into()))?;
    Ok(out)
}

/// Derive the key of a workstation slot from the secret the OS keyring holds and
/// the PIN the person types: neither alone opens the slot.
pub fn derive_workstation_key(
    workstation_secret: &SecretKey,
    pin: &str,
    salt: &[u8],
    params: KdfParams,
) -> Result<SecretKey> {
    let stretched = argon2id(pin.as_bytes(), salt, params)?;
    let mut ikm = Zeroizing::new([0u8; 64]);
    ikm[..32].copy_from_slice(workstation_secret.dangerous_expose_bytes());
    ikm[32..].copy_from_slice(stretched.as_ref());
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(salt), ikm.as_ref());
    let mut out = Zeroizing::new([0u8; 32]);
    let _ = hk.expand(b"cuspid/workstation-slot/v1", out.as_mut());
    Ok(SecretKey::from_bytes(*out))
}

/// 160 random bits shown once at set-up as 8 groups of 4 characters.
pub struct RecoveryKey(Zeroizing<[u8; 20]>);

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(****)")
    }
}

impl RecoveryKey {
    pub fn generate() -> Self {
        RecoveryKey(Zeroizing::new(super::random_bytes::<20>()))
    }

    /// `ABCD-EFGH-...`: RFC 4648 base32 (letters and the digits 2-7 only).
    pub fn display(&self) -> String {
        let text = BASE32_NOPAD.encode(self.0.as_ref());
        text.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// Parse what a person typed back: case, spaces and dashes do not matter, and
    /// the digits 0, 1 and 8 are read as the letters O, I and B they resemble.
    pub fn parse(typed: &str) -> Result<Self> {
        let cleaned: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_uppercase() {
                '0' => 'O',
                '1' => 'I',
                '8' => 'B',
                other => other,
            })
            .collect();
        let bytes = BASE32_NOPAD.decode(cleaned.as_bytes()).map_err(|_| Error::InvalidRecoveryKey)?;
        let arr: [u8; 20] = bytes.try_into().map_err(|_| Error::InvalidRecoveryKey)?;
        Ok(RecoveryKey(Zeroizing::new(arr)))
    }
}

/// The recovery key has 160 bits of entropy: HKDF suffices, no slow KDF needed.
pub fn derive_recovery_key(key: &RecoveryKey, salt: &[u8]) -> SecretKey {
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(salt), key.0.as_ref());
    let mut out = Zeroizing::new([0u8; 32]);
    let _ = hk.expand(b"cuspid/recovery-slot", out.as_mut());
    SecretKey::from_bytes(*out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_argon2_costs_outside_the_bounds_are_refused_before_running() {
        let huge = KdfParams { m_kib: u32::MAX, t: 3, p: 4 };
        assert_eq!(derive_password_key("pw", &[0; 16], huge).unwrap_err().kind(), "integrity.tampered");
        let tiny = KdfParams { m_kib: 8, t: 1, p: 1 };
        assert_eq!(derive_password_key("pw", &[0; 16], tiny).unwrap_err().kind(), "integrity.tampered");
        assert_eq!(KdfParams::from_columns(-1, 3, 4).unwrap_err().kind(), "integrity.tampered");
        assert!(KdfParams::from_columns(65536, 3, 4).is_ok());
    }

    #[test]
    fn a_workstation_key_needs_both_the_keyring_secret_and_the_pin() {
        let ws = SecretKey::random();
        let salt = [7u8; 16];
        let p = KdfParams::OWASP_MINIMUM;
        let k = derive_workstation_key(&ws, "482916", &salt, p).unwrap();
        let same = derive_workstation_key(&ws, "482916", &salt, p).unwrap();
        assert_eq!(k.dangerous_expose_bytes(), same.dangerous_expose_bytes());
        let other_pin = derive_workstation_key(&ws, "482917", &salt, p).unwrap();
        assert_ne!(k.dangerous_expose_bytes(), other_pin.dangerous_expose_bytes());
        let other_ws = derive_workstation_key(&SecretKey::random(), "482916", &salt, p).unwrap();
        assert_ne!(k.dangerous_expose_bytes(), other_ws.dangerous_expose_bytes());
    }

    #[test]
    fn recovery_key_round_trips_through_sloppy_typing() {
        let key = RecoveryKey::generate();
        let shown = key.display();
        assert_eq!(shown.len(), 32 + 7, "8 groups of 4 with 7 dashes");
        let typed = shown.to_lowercase().replace('-', " ").replace('o', "0");
        let back = RecoveryKey::parse(&typed).unwrap();
        assert_eq!(back.0.as_ref(), key.0.as_ref());
        assert_eq!(RecoveryKey::parse("ABCD").unwrap_err().kind(), "auth.invalid_recovery_key");
    }
}
