//! The last chain head this workstation saw, kept outside the database under a
//! MAC keyed from the clinic key, so a tail cut off the log (and the head row
//! rewritten to match) is still caught.

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

#[derive(Serialize, Deserialize)]
struct OnDisk {
    clinic_id: Uuid,
    seq: i64,
    hash: String,
    mac: String,
}

fn message(clinic_id: Uuid, seq: i64, hash: &[u8]) -> Vec<u8> {
    let mut m = b"cuspid-checkpoint-v1".to_vec();
    m.extend_from_slice(clinic_id.as_bytes());
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(hash);
    m
}

pub(crate) fn path(state_dir: &Path, clinic_id: Uuid) -> PathBuf {
    state_dir.join("checkpoints").join(format!("{clinic_id}.json"))
}

/// Read and authenticate the checkpoint; `None` when this workstation has none.
pub(crate) fn load(state_dir: &Path, clinic_id: Uuid, key: &SecretKey) -> Result<Option<Checkpoint>> {
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
    if d.clinic_id != clinic_id || !verify_mac(key, &message(clinic_id, d.seq, &hash), &tag) {
        return Err(altered());
    }
    Ok(Some(Checkpoint { seq: d.seq, hash }))
}

/// Record a head this workstation has seen (atomic replace; never moves backwards).
pub(crate) fn store(state_dir: &Path, clinic_id: Uuid, key: &SecretKey, cp: &Checkpoint) -> Result<()> {
    if let Ok(Some(existing)) = load(state_dir, clinic_id, key)
        && existing.seq > cp.seq
    {
        return Ok(());
    }
    let p = path(state_dir, clinic_id);
    let d = OnDisk {
        clinic_id,
        seq: cp.seq,
        hash: data_encoding::HEXLOWER.encode(&cp.hash),
        mac: data_encoding::HEXLOWER.encode(&mac(key, &message(clinic_id, cp.seq, &cp.hash))),
    };
    // Durable before it replaces the old one: a power cut leaves one or the other.
    crate::files::replace_private(&p, &serde_json::to_vec(&d).map_err(|e| Error::Internal(e.to_string()))?)
}
