//! Keys, field sealing and blind indexes. Nothing here touches the database:
//! callers pass bytes in and get bytes out, so every rule is testable alone.
//!
//! Sealed field layout: `version (1) || key id (4, BE) || nonce (24) || ciphertext+tag`.
//! The associated data binds each value to `table/column/row id`, so a value
//! copied to another row or column fails to open.

mod blind;
mod sealed;
mod slots;

pub use blind::{BlindIndexer, IndexKind};
pub(crate) use sealed::holds_sealed;
pub use sealed::{Column, Place, Plaintext, Sealed};
pub use slots::{KdfParams, RecoveryKey, derive_password_key, derive_recovery_key, derive_workstation_key};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use uuid::Uuid;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Error, Result};

/// Field format version for XChaCha20-Poly1305 sealed values.
const FIELD_V1: u8 = 1;
/// Field format 2: version 1 whose associated data also binds plain columns of its row.
const FIELD_V2: u8 = 2;
/// Field format version used only by benchmark clinics created with sealing off.
const FIELD_PLAIN: u8 = 0;
const NONCE_LEN: usize = 24;
const HEADER_LEN: usize = 1 + 4 + NONCE_LEN;

/// A 256-bit secret key. No `Clone`, no `Serialize`; zeroised on drop.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    /// A fresh key from the thread's CSPRNG (seeded from the OS).
    pub fn random() -> Self {
        let mut k = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut k);
        SecretKey(k)
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        SecretKey(bytes)
    }

    pub(crate) fn from_slice(bytes: &[u8]) -> Result<Self> {
        let arr: [u8; 32] =
            bytes.try_into().map_err(|_| Error::Tampered("a key has the wrong length".into()))?;
        Ok(SecretKey(arr))
    }

    /// The raw key bytes; only for wrapping, HKDF and the OS keyring.
    pub fn dangerous_expose_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A second copy of this key (both are zeroised on drop), for a key that must
    /// live in two places: the legacy checkpoint key is the audit key itself.
    pub(crate) fn duplicate(&self) -> SecretKey {
        SecretKey(self.0)
    }

    /// Derive a sub-key for one purpose (HKDF-SHA256, info = purpose).
    pub fn derive(&self, purpose: &str) -> SecretKey {
        let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(b"cuspid/v1"), &self.0);
        let mut out = [0u8; 32];
        // 32 bytes is always a valid HKDF-SHA256 output length.
        let _ = hk.expand(purpose.as_bytes(), &mut out);
        SecretKey(out)
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(****)")
    }
}

/// Where a sealed value lives; its bytes are the associated data.
#[derive(Debug, Clone, Copy)]
pub struct FieldAddr<'a> {
    pub table: &'a str,
    pub column: &'a str,
    pub row: Uuid,
    /// The plain columns of the row whose meaning the value depends on (a [`Bound`]),
    /// or empty. A value sealed with some opens only with the same ones (format 2):
    /// a flipped status, date or author, or an older ciphertext put back after the
    /// row's version moved on, is `integrity.tampered`.
    pub bound: &'a [u8],
}

impl<'a> FieldAddr<'a> {
    pub const fn new(table: &'a str, column: &'a str, row: Uuid) -> Self {
        FieldAddr { table, column, row, bound: &[] }
    }

    pub fn bound(self, bound: &'a Bound) -> Self {
        FieldAddr { bound: bound.0.as_slice(), ..self }
    }

    /// The same place without its bound columns: how values sealed before format 2
    /// are read, once, by the migration that re-seals them.
    pub(crate) const fn unbound(self) -> Self {
        FieldAddr { bound: &[], ..self }
    }

    fn version(&self) -> u8 {
        if self.bound.is_empty() { FIELD_V1 } else { FIELD_V2 }
    }

    fn associated_data(&self) -> Vec<u8> {
        let mut ad = Vec::with_capacity(16 + self.table.len() + self.column.len() + 12 + self.bound.len());
        ad.extend_from_slice(b"cuspid/field/");
        ad.extend_from_slice(self.table.as_bytes());
        ad.push(0);
        ad.extend_from_slice(self.column.as_bytes());
        ad.push(0);
        ad.extend_from_slice(self.row.as_bytes());
        if !self.bound.is_empty() {
            ad.extend_from_slice(b"/bound/");
            ad.extend_from_slice(self.bound);
        }
        ad
    }
}

/// The plain columns a sealed value is bound to, in one unambiguous encoding: each
/// as its name, a 0 byte, a 4-byte big-endian length and its bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bound(Vec<u8>);

impl Bound {
    pub fn new() -> Self {
        Bound(Vec::with_capacity(96))
    }

    fn put(mut self, name: &str, value: &[u8]) -> Self {
        self.0.extend_from_slice(name.as_bytes());
        self.0.push(0);
        self.0.extend_from_slice(&(value.len() as u32).to_be_bytes());
        self.0.extend_from_slice(value);
        self
    }

    pub fn text(self, name: &str, value: &str) -> Self {
        self.put(name, value.as_bytes())
    }

    pub fn int(self, name: &str, value: i64) -> Self {
        self.put(name, &value.to_be_bytes())
    }

    pub fn flag(self, name: &str, value: bool) -> Self {
        self.put(name, &[u8::from(value)])
    }

    pub fn id(self, name: &str, value: Uuid) -> Self {
        self.put(name, value.as_bytes())
    }

    /// An optional value: absent and present never encode alike.
    pub fn opt_id(self, name: &str, value: Option<Uuid>) -> Self {
        match value {
            Some(v) => self.put(name, &[&[1u8][..], v.as_bytes()].concat()),
            None => self.put(name, &[0]),
        }
    }

    pub fn opt_text(self, name: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.put(name, &[&[1u8][..], v.as_bytes()].concat()),
            None => self.put(name, &[0]),
        }
    }
}

/// Seals and opens the fields of one data key (one patient).
pub enum FieldCipher {
    Sealed {
        aead: XChaCha20Poly1305,
        key_id: u32,
    },
    /// Benchmark twin: the same code path with the AEAD switched off.
    Plain,
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldCipher::Sealed { key_id, .. } => write!(f, "FieldCipher::Sealed(key {key_id})"),
            FieldCipher::Plain => f.write_str("FieldCipher::Plain"),
        }
    }
}

impl FieldCipher {
    pub fn new(key: &SecretKey, key_id: u32) -> Self {
        FieldCipher::Sealed { aead: XChaCha20Poly1305::new(key.0.as_ref().into()), key_id }
    }

    /// Seal `value` at `at`: the only way to make a [`Sealed`] from a plaintext.
    pub fn seal<T: Plaintext>(&self, at: Place<'_, T>, value: &T::View) -> Sealed<T> {
        Sealed::from_stored(self.seal_bytes(at.addr(), T::plain_bytes(value)))
    }

    /// Open what was sealed at `at`; `integrity.tampered` when it was sealed elsewhere,
    /// under another key, or altered.
    pub fn open<T: Plaintext>(&self, at: Place<'_, T>, sealed: &Sealed<T>) -> Result<T> {
        let bytes = self.open_bytes(at.addr(), sealed.as_bytes())?;
        T::from_plain_bytes(bytes).ok_or_else(|| tampered(at.addr()))
    }

    /// Open an optional column.
    pub fn open_opt<T: Plaintext>(&self, at: Place<'_, T>, sealed: Option<&Sealed<T>>) -> Result<Option<T>> {
        sealed.map(|s| self.open(at, s)).transpose()
    }

    /// Open what was sealed at `at` and seal it again there under `to` (a patient's
    /// records moved to the retention key).
    pub fn reseal_to<T: Plaintext>(
        &self,
        to: &FieldCipher,
        at: Place<'_, T>,
        sealed: &Sealed<T>,
    ) -> Result<Sealed<T>> {
        Ok(to.seal(at, self.open(at, sealed)?.as_view()))
    }

    /// Seal bytes at an untyped address: for the benchmark's raw figure and the
    /// known-answer tests; stored values go through [`FieldCipher::seal`].
    pub fn seal_bytes(&self, addr: FieldAddr<'_>, plaintext: &[u8]) -> Vec<u8> {
        match self {
            FieldCipher::Plain => {
                let mut out = Vec::with_capacity(1 + plaintext.len());
                out.push(FIELD_PLAIN);
                out.extend_from_slice(plaintext);
                out
            }
            FieldCipher::Sealed { aead, key_id } => {
                seal_with(aead, addr.version(), *key_id, &addr.associated_data(), plaintext)
            }
        }
    }

    pub fn open_bytes(&self, addr: FieldAddr<'_>, sealed: &[u8]) -> Result<Vec<u8>> {
        match self {
            FieldCipher::Plain => match sealed.split_first() {
                Some((&FIELD_PLAIN, rest)) => Ok(rest.to_vec()),
                _ => Err(tampered(addr)),
            },
            FieldCipher::Sealed { aead, key_id } => {
                open_with(aead, addr.version(), *key_id, &addr.associated_data(), sealed)
                    .ok_or_else(|| tampered(addr))
            }
        }
    }

    /// [`FieldCipher::seal`] under a chosen nonce, for the known-answer tests only.
    #[cfg(test)]
    pub(crate) fn seal_with_nonce(
        &self,
        addr: FieldAddr<'_>,
        plaintext: &[u8],
        nonce: [u8; NONCE_LEN],
    ) -> Vec<u8> {
        match self {
            FieldCipher::Plain => self.seal_bytes(addr, plaintext),
            FieldCipher::Sealed { aead, key_id } => {
                seal_with_nonce(aead, addr.version(), *key_id, &addr.associated_data(), plaintext, nonce)
            }
        }
    }
}

fn tampered(addr: FieldAddr<'_>) -> Error {
    Error::Tampered(format!("{}.{} of record {} does not open", addr.table, addr.column, addr.row))
}

fn seal_with(aead: &XChaCha20Poly1305, version: u8, key_id: u32, ad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    seal_with_nonce(aead, version, key_id, ad, plaintext, random_bytes::<NONCE_LEN>())
}

/// [`seal_with`] under a nonce the caller chose: only the known-answer tests, which
/// must reproduce a frozen ciphertext byte for byte, choose one.
fn seal_with_nonce(
    aead: &XChaCha20Poly1305,
    version: u8,
    key_id: u32,
    ad: &[u8],
    plaintext: &[u8],
    nonce: [u8; NONCE_LEN],
) -> Vec<u8> {
    let mut header = [0u8; HEADER_LEN];
    header[0] = version;
    header[1..5].copy_from_slice(&key_id.to_be_bytes());
    header[5..].copy_from_slice(&nonce);
    let mut full_ad = Vec::with_capacity(ad.len() + 5);
    full_ad.extend_from_slice(&header[..5]);
    full_ad.extend_from_slice(ad);
    // Encryption with a valid key and nonce cannot fail for in-memory buffers.
    let ct = aead
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: &full_ad })
        .unwrap_or_default();
    let mut out = Vec::with_capacity(HEADER_LEN + ct.len());
    out.extend_from_slice(&header);
    out.extend_from_slice(&ct);
    out
}

fn open_with(
    aead: &XChaCha20Poly1305,
    version: u8,
    key_id: u32,
    ad: &[u8],
    sealed: &[u8],
) -> Option<Vec<u8>> {
    if sealed.len() < HEADER_LEN + 16 || sealed[0] != version {
        return None;
    }
    if sealed[1..5] != key_id.to_be_bytes() {
        return None;
    }
    let mut full_ad = Vec::with_capacity(ad.len() + 5);
    full_ad.extend_from_slice(&sealed[..5]);
    full_ad.extend_from_slice(ad);
    aead.decrypt(
        XNonce::from_slice(&sealed[5..HEADER_LEN]),
        Payload { msg: &sealed[HEADER_LEN..], aad: &full_ad },
    )
    .ok()
}

/// Wrap a key under a wrapping key (XChaCha20-Poly1305; see docs/crypto.md for why
/// not RFC 5649). `context` names the slot or row the wrapped key belongs to.
pub fn wrap_key(wrapping: &SecretKey, context: &[u8], key: &SecretKey) -> Vec<u8> {
    let aead = XChaCha20Poly1305::new(wrapping.0.as_ref().into());
    seal_with(&aead, FIELD_V1, 0, &wrap_ad(context), &key.0)
}

/// [`wrap_key`] under a chosen nonce, for the known-answer tests only.
#[cfg(test)]
pub(crate) fn wrap_key_with_nonce(
    wrapping: &SecretKey,
    context: &[u8],
    key: &SecretKey,
    nonce: [u8; NONCE_LEN],
) -> Vec<u8> {
    let aead = XChaCha20Poly1305::new(wrapping.0.as_ref().into());
    seal_with_nonce(&aead, FIELD_V1, 0, &wrap_ad(context), &key.0, nonce)
}

/// Unwrap a key; `None` when the wrapping key is wrong or the bytes were altered.
pub fn unwrap_key(wrapping: &SecretKey, context: &[u8], wrapped: &[u8]) -> Option<SecretKey> {
    let aead = XChaCha20Poly1305::new(wrapping.0.as_ref().into());
    let mut bytes = open_with(&aead, FIELD_V1, 0, &wrap_ad(context), wrapped)?;
    let key = SecretKey::from_slice(&bytes).ok();
    bytes.zeroize();
    key
}

fn wrap_ad(context: &[u8]) -> Vec<u8> {
    let mut ad = b"cuspid/wrap/".to_vec();
    ad.extend_from_slice(context);
    ad
}

/// HMAC-SHA256 tag, for the key check value and audit checkpoints.
pub fn mac(key: &SecretKey, message: &[u8]) -> [u8; 32] {
    use hmac::Mac;
    let mut m =
        <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&key.0).unwrap_or_else(|_| unreachable_hmac());
    m.update(message);
    m.finalize().into_bytes().into()
}

/// Constant-time check of an HMAC-SHA256 tag.
pub fn verify_mac(key: &SecretKey, message: &[u8], tag: &[u8]) -> bool {
    use hmac::Mac;
    let mut m =
        <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&key.0).unwrap_or_else(|_| unreachable_hmac());
    m.update(message);
    m.verify_slice(tag).is_ok()
}

fn unreachable_hmac() -> hmac::Hmac<sha2::Sha256> {
    // HMAC accepts keys of any length; this branch cannot be taken.
    panic!("HMAC rejected a 32-byte key")
}

/// Random bytes from the thread CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::thread_rng().fill_bytes(&mut b);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRST_NAME: Column<String> = Column::new("patient", "first_name");
    const LAST_NAME: Column<String> = Column::new("patient", "last_name");

    fn addr(row: Uuid) -> Place<'static, String> {
        FIRST_NAME.at(row)
    }

    #[test]
    fn sealed_value_opens_only_at_its_own_address() {
        let key = SecretKey::random();
        let cipher = FieldCipher::new(&key, 1);
        let row = Uuid::now_v7();
        let sealed = cipher.seal(addr(row), "Ștefan");
        assert_eq!(cipher.open(addr(row), &sealed).unwrap(), "Ștefan");
        let other_row = addr(Uuid::now_v7());
        assert_eq!(cipher.open(other_row, &sealed).unwrap_err().kind(), "integrity.tampered");
        assert!(cipher.open(LAST_NAME.at(row), &sealed).is_err(), "moved to another column must fail");
        let mut flipped = sealed.as_bytes().to_vec();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(cipher.open(addr(row), &Sealed::from_stored(flipped)).is_err(), "a flipped bit must fail");
    }

    #[test]
    fn a_bound_value_opens_only_with_the_same_plain_columns() {
        let cipher = FieldCipher::new(&SecretKey::random(), 1);
        let row = Uuid::now_v7();
        let granted = Bound::new().flag("granted", true).int("at", 7);
        let sealed = cipher.seal(addr(row).bound(&granted), "consimt");
        assert_eq!(cipher.open(addr(row).bound(&granted), &sealed).unwrap(), "consimt");
        let withdrawn = Bound::new().flag("granted", false).int("at", 7);
        assert!(cipher.open(addr(row).bound(&withdrawn), &sealed).is_err(), "a flipped column");
        assert!(cipher.open(addr(row), &sealed).is_err(), "read as if nothing were bound");
        // A value sealed before binding (format 1) does not pass where columns are bound.
        let old = cipher.seal(addr(row), "consimt");
        assert!(cipher.open(addr(row).bound(&granted), &old).is_err());
        assert_eq!(cipher.open(addr(row).bound(&granted).unbound(), &old).unwrap(), "consimt");
        // Absent and present never encode alike.
        assert_ne!(Bound::new().opt_text("n", None), Bound::new().opt_text("n", Some("")));
    }

    #[test]
    fn wrapped_key_needs_the_right_key_and_context() {
        let kek = SecretKey::random();
        let dek = SecretKey::random();
        let wrapped = wrap_key(&kek, b"ctx-a", &dek);
        let back = unwrap_key(&kek, b"ctx-a", &wrapped).unwrap();
        assert_eq!(back.dangerous_expose_bytes(), dek.dangerous_expose_bytes());
        assert!(unwrap_key(&kek, b"ctx-b", &wrapped).is_none());
        assert!(unwrap_key(&SecretKey::random(), b"ctx-a", &wrapped).is_none());
    }

    #[test]
    fn debug_never_prints_key_bytes() {
        let key = SecretKey::from_bytes([0xAB; 32]);
        assert_eq!(format!("{key:?}"), "SecretKey(****)");
    }
}
