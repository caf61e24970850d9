//! The last chain head this workstation saw, kept outside the database under a
//! MAC, so a tail cut off the log (and the head row rewritten to match) is still
//! caught. The MAC key is the clinic's checkpoint key, random and wrapped under the
//! clinic key, replaced by `keys rotate` (a clinic that never rotated still uses its
//! audit key, id nil). Each file names its key; one written under the key before
//! the last rotation is good only up to the log's head at that rotation, and is
//! rewritten under the current key at the next commit.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::crypto::{SecretKey, mac, verify_mac};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: Vec<u8>,
}

/// One checkpoint key: its id (nil for the audit key of a clinic that never rotated).
#[derive(Debug)]
pub(crate) struct CheckpointKey {
    pub id: Uuid,
    pub key: SecretKey,
}

/// The keys a session reads and writes checkpoints with.
#[derive(Debug)]
pub(crate) struct CheckpointKeys {
    pub current: CheckpointKey,
    /// The key before the last rotation, and the log's head seq at that rotation.
    pub previous: Option<(CheckpointKey, i64)>,
}

#[derive(Serialize, Deserialize)]
struct OnDisk {
    clinic_id: Uuid,
    /// Absent in files written before checkpoint keys were rotated: the audit key.
    #[serde(default)]
    key_id: Uuid,
    seq: i64,
    hash: String,
    mac: String,
}

fn message(clinic_id: Uuid, key_id: Uuid, seq: i64, hash: &[u8]) -> Vec<u8> {
    let mut m =
        if key_id.is_nil() { b"cuspid-checkpoint-v1".to_vec() } else { b"cuspid-checkpoint-v2".to_vec() };
    m.extend_from_slice(clinic_id.as_bytes());
    if !key_id.is_nil() {
        m.extend_from_slice(key_id.as_bytes());
    }
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(hash);
    m
}

pub(crate) fn path(state_dir: &Path, clinic_id: Uuid) -> PathBuf {
    state_dir.join("checkpoints").join(format!("{clinic_id}.json"))
}

/// Read and authenticate the checkpoint; `None` when this workstation has none.
pub(crate) fn load(state_dir: &Path, clinic_id: Uuid, keys: &CheckpointKeys) -> Result<Option<Checkpoint>> {
    let p = path(state_dir, clinic_id);
    let text = match std::fs::read_to_string(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let altered = || Error::Tampered("this workstation's audit checkpoint was altered".into());
    let d: OnDisk = serde_json::from_str(&text).map_err(|_| altered())?;
    let hash = data_encoding::HEXLOWER.decode(d.hash.as_bytes()).map_err(|_| altered())?;
    let tag = data_encoding::HEXLOWER.decode(d.mac.as_bytes()).map_err(|_| altered())?;
    let key = if d.key_id == keys.current.id {
        &keys.current.key
    } else {
        match &keys.previous {
            // Written before the last rotation: good for the log as it was then.
            Some((prev, rotated_at)) if d.key_id == prev.id && d.seq <= *rotated_at => &prev.key,
            _ => {
                return Err(Error::Tampered(
                    "this workstation's audit checkpoint was altered, or made under a key rotated away"
                        .into(),
                ));
            }
        }
    };
    if d.clinic_id != clinic_id || !verify_mac(key, &message(clinic_id, d.key_id, d.seq, &hash), &tag) {
        return Err(altered());
    }
    Ok(Some(Checkpoint { seq: d.seq, hash }))
}

/// Record a head this workstation has seen (atomic replace; never moves backwards).
/// It is written under the current key.
pub(crate) fn store(state_dir: &Path, clinic_id: Uuid, keys: &CheckpointKeys, cp: &Checkpoint) -> Result<()> {
    if let Ok(Some(existing)) = load(state_dir, clinic_id, keys)
        && existing.seq > cp.seq
    {
        return Ok(());
    }
    let p = path(state_dir, clinic_id);
    let key = &keys.current;
    let d = OnDisk {
        clinic_id,
        key_id: key.id,
        seq: cp.seq,
        hash: data_encoding::HEXLOWER.encode(&cp.hash),
        mac: data_encoding::HEXLOWER.encode(&mac(&key.key, &message(clinic_id, key.id, cp.seq, &cp.hash))),
    };
    // Durable before it replaces the old one: a power cut leaves one or the other.
    crate::files::replace_private(&p, &serde_json::to_vec(&d).map_err(|e| Error::Internal(e.to_string()))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: Uuid, byte: u8) -> CheckpointKey {
        CheckpointKey { id, key: SecretKey::from_bytes([byte; 32]) }
    }

    #[test]
    fn a_checkpoint_under_the_key_before_a_rotation_counts_only_up_to_the_rotation() {
        let dir = tempfile::tempdir().expect("temp dir");
        let clinic = Uuid::now_v7();
        let (old_id, new_id) = (Uuid::now_v7(), Uuid::now_v7());
        let before = CheckpointKeys { current: key(old_id, 1), previous: None };
        let cp = Checkpoint { seq: 10, hash: vec![7; 32] };
        store(dir.path(), clinic, &before, &cp).expect("store");

        // Rotated at seq 10: the old file is still good, and read back as it was.
        let after = |rotated_at| CheckpointKeys {
            current: key(new_id, 2),
            previous: Some((key(old_id, 1), rotated_at)),
        };
        assert_eq!(load(dir.path(), clinic, &after(10)).expect("good").as_ref(), Some(&cp));
        // Rotated at seq 9: a checkpoint under the old key past the rotation is forged.
        let e = load(dir.path(), clinic, &after(9)).expect_err("past the rotation");
        assert_eq!(e.kind(), "integrity.tampered");
        // A second rotation: the first key opens nothing any more.
        let twice = CheckpointKeys { current: key(Uuid::now_v7(), 3), previous: Some((key(new_id, 2), 10)) };
        assert_eq!(load(dir.path(), clinic, &twice).expect_err("rotated away").kind(), "integrity.tampered");
        // The right id with another key's MAC: altered.
        let wrong = CheckpointKeys { current: key(old_id, 9), previous: None };
        assert_eq!(load(dir.path(), clinic, &wrong).expect_err("wrong key").kind(), "integrity.tampered");

        // The next store writes under the current key, which then reads it alone.
        store(dir.path(), clinic, &after(10), &Checkpoint { seq: 12, hash: vec![8; 32] }).expect("store");
        let only_new = CheckpointKeys { current: key(new_id, 2), previous: None };
        assert_eq!(load(dir.path(), clinic, &only_new).expect("new key").map(|c| c.seq), Some(12));
    }

    #[test]
    fn a_file_from_before_checkpoint_keys_reads_under_the_audit_key() {
        // Written by the previous format: no key id, MAC'd with the audit key.
        let dir = tempfile::tempdir().expect("temp dir");
        let clinic = Uuid::now_v7();
        let audit = SecretKey::from_bytes([4; 32]);
        let hash = vec![5u8; 32];
        // The v1 message, spelled out: label, clinic id, seq (big-endian), head hash.
        let mut v1 = b"cuspid-checkpoint-v1".to_vec();
        v1.extend_from_slice(clinic.as_bytes());
        v1.extend_from_slice(&3i64.to_be_bytes());
        v1.extend_from_slice(&hash);
        let tag = mac(&audit, &v1);
        let legacy = serde_json::json!({
            "clinic_id": clinic,
            "seq": 3,
            "hash": data_encoding::HEXLOWER.encode(&hash),
            "mac": data_encoding::HEXLOWER.encode(&tag),
        });
        let p = path(dir.path(), clinic);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("dir");
        std::fs::write(&p, legacy.to_string()).expect("write");
        let keys = CheckpointKeys { current: key(Uuid::nil(), 4), previous: None };
        assert_eq!(load(dir.path(), clinic, &keys).expect("legacy").map(|c| c.seq), Some(3));
    }
}
