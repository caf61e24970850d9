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
}

/// Derive the key that wraps a password slot.
pub fn derive_password_key(password: &str, salt: &[u8], params: KdfParams) -> Result<SecretKey> {
    let p = Params::new(params.m_kib, params.t, params.p, Some(32))
        .map_err(|_| Error::Tampered("a key slot has invalid Argon2 parameters".into()))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, p)
        .hash_password_into(password.as_bytes(), salt, out.as_mut())
        .map_err(|_| Error::Internal("Argon2id failed".into()))?;
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
