//! The unlocked clinic keys, and key slots: wrapped copies of the clinic key (KEK)
//! that a password or the recovery key opens.
//!
//! A slot holds a static X25519 public key derived from the person's secret
//! (Argon2id of a password, HKDF of the recovery key) and the KEK sealed to it
//! through an ephemeral key. Rotating the KEK re-seals every slot to its public
//! key without knowing anyone's password.

use uuid::Uuid;
use x25519_dalek::{PublicKey, StaticSecret};

use crate::crypto::{BlindIndexer, SecretKey, unwrap_key, wrap_key};

/// Keys held in memory while a session is open; dropped (and zeroised) with it.
#[derive(Debug)]
pub struct ClinicKeys {
    pub(crate) kek_id: Uuid,
    pub(crate) kek: SecretKey,
    pub(crate) indexer: BlindIndexer,
    pub(crate) audit_key: SecretKey,
    /// What this workstation's audit checkpoints are authenticated with.
    pub(crate) checkpoint: crate::audit::CheckpointKeys,
    /// False only in benchmark clinics built as the plaintext twin.
    pub(crate) sealing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotKind {
    Password,
    Recovery,
    /// A remembered workstation: the OS keyring's secret and the person's PIN.
    Workstation,
}

impl SlotKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SlotKind::Password => "password",
            SlotKind::Recovery => "recovery",
            SlotKind::Workstation => "workstation",
        }
    }
}

/// The public half of a slot secret.
pub(crate) fn slot_public_key(slot_secret: &SecretKey) -> [u8; 32] {
    let sk = StaticSecret::from(*slot_secret.dangerous_expose_bytes());
    PublicKey::from(&sk).to_bytes()
}

/// Seal `kek` to a slot's public key: `slot pk || ephemeral pk || wrapped KEK`.
pub(crate) fn seal_slot(slot_pk: [u8; 32], slot_id: Uuid, kek: &SecretKey) -> Vec<u8> {
    let eph = StaticSecret::random_from_rng(rand::thread_rng());
    let (eph_pk, wk) = slot_wrapping_key(slot_pk, &eph);
    let mut out = Vec::with_capacity(64 + 77);
    out.extend_from_slice(&slot_pk);
    out.extend_from_slice(&eph_pk);
    out.extend_from_slice(&wrap_key(&wk, slot_id.as_bytes(), kek));
    out
}

/// [`seal_slot`] with a chosen ephemeral key and nonce, for the known-answer tests only.
#[cfg(test)]
pub(crate) fn seal_slot_with(
    slot_pk: [u8; 32],
    slot_id: Uuid,
    kek: &SecretKey,
    ephemeral: [u8; 32],
    nonce: [u8; 24],
) -> Vec<u8> {
    let (eph_pk, wk) = slot_wrapping_key(slot_pk, &StaticSecret::from(ephemeral));
    let mut out = Vec::with_capacity(64 + 77);
    out.extend_from_slice(&slot_pk);
    out.extend_from_slice(&eph_pk);
    out.extend_from_slice(&crate::crypto::wrap_key_with_nonce(&wk, slot_id.as_bytes(), kek, nonce));
    out
}

/// The ephemeral public key and the key that wraps the KEK for `slot_pk`.
fn slot_wrapping_key(slot_pk: [u8; 32], eph: &StaticSecret) -> ([u8; 32], SecretKey) {
    let eph_pk = PublicKey::from(eph).to_bytes();
    let shared = eph.diffie_hellman(&PublicKey::from(slot_pk));
    (eph_pk, wrapping_key(shared.as_bytes(), &eph_pk, &slot_pk))
}

/// Open a slot with the secret derived from a password or recovery key;
/// `None` when the secret is wrong or the slot was altered.
pub(crate) fn open_slot(slot_secret: &SecretKey, slot_id: Uuid, blob: &[u8]) -> Option<SecretKey> {
    if blob.len() < 64 {
        return None;
    }
    let sk = StaticSecret::from(*slot_secret.dangerous_expose_bytes());
    let slot_pk = PublicKey::from(&sk).to_bytes();
    if blob[..32] != slot_pk {
        return None;
    }
    let eph_pk: [u8; 32] = blob[32..64].try_into().ok()?;
    let shared = sk.diffie_hellman(&PublicKey::from(eph_pk));
    let wk = wrapping_key(shared.as_bytes(), &eph_pk, &slot_pk);
    unwrap_key(&wk, slot_id.as_bytes(), &blob[64..])
}

/// The slot public key stored in a sealed slot blob.
pub(crate) fn slot_pk_of(blob: &[u8]) -> Option<[u8; 32]> {
    blob.get(..32)?.try_into().ok()
}

fn wrapping_key(shared: &[u8; 32], eph_pk: &[u8; 32], slot_pk: &[u8; 32]) -> SecretKey {
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(b"cuspid/slot/v1"), shared);
    let mut info = Vec::with_capacity(64);
    info.extend_from_slice(eph_pk);
    info.extend_from_slice(slot_pk);
    let mut out = [0u8; 32];
    let _ = hk.expand(&info, &mut out);
    SecretKey::from_bytes(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_opens_with_its_secret_only() {
        let secret = SecretKey::random();
        let kek = SecretKey::random();
        let id = Uuid::now_v7();
        let blob = seal_slot(slot_public_key(&secret), id, &kek);
        let back = open_slot(&secret, id, &blob).expect("right secret opens");
        assert_eq!(back.dangerous_expose_bytes(), kek.dangerous_expose_bytes());
        assert!(open_slot(&SecretKey::random(), id, &blob).is_none());
        assert!(open_slot(&secret, Uuid::now_v7(), &blob).is_none(), "bound to its slot id");
        // Re-sealing needs only the public key.
        let resealed = seal_slot(slot_pk_of(&blob).unwrap(), id, &SecretKey::random());
        assert!(open_slot(&secret, id, &resealed).is_some());
    }
}
