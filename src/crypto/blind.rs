//! Blind indexes: keyed HMAC-SHA256 of a normalised value, truncated to 64 bits,
//! so exact and prefix searches run in SQL without decrypting anything.
//! Truncation makes collisions possible: callers always decrypt and re-check.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::SecretKey;

/// What is indexed; each kind has its own sub-key so equal strings of different
/// kinds never share an index value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    Cnp,
    Phone,
    Email,
    NamePrefix,
}

impl IndexKind {
    const ALL: [IndexKind; 4] = [IndexKind::Cnp, IndexKind::Phone, IndexKind::Email, IndexKind::NamePrefix];

    fn purpose(self) -> &'static str {
        match self {
            IndexKind::Cnp => "blind-index/cnp",
            IndexKind::Phone => "blind-index/phone",
            IndexKind::Email => "blind-index/email",
            IndexKind::NamePrefix => "blind-index/name-prefix",
        }
    }
}

/// Precomputed HMAC states, one per kind (the key schedule is paid once).
pub enum BlindIndexer {
    Keyed(Box<[Hmac<Sha256>; 4]>),
    /// Benchmark twin: a fast unkeyed hash in place of the HMAC.
    Plain,
}

impl std::fmt::Debug for BlindIndexer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BlindIndexer::Keyed(_) => "BlindIndexer::Keyed",
            BlindIndexer::Plain => "BlindIndexer::Plain",
        })
    }
}

impl BlindIndexer {
    pub fn new(index_key: &SecretKey) -> Self {
        BlindIndexer::Keyed(Box::new(IndexKind::ALL.map(|kind| {
            let sub = index_key.derive(kind.purpose());
            <Hmac<Sha256> as Mac>::new_from_slice(sub.dangerous_expose_bytes())
                .unwrap_or_else(|_| panic!("HMAC rejected a 32-byte key"))
        })))
    }

    /// The index value of an already normalised string.
    pub fn index(&self, kind: IndexKind, normalised: &str) -> i64 {
        match self {
            BlindIndexer::Keyed(states) => {
                let mut m = states[kind as usize].clone();
                m.update(normalised.as_bytes());
                let tag = m.finalize().into_bytes();
                let mut eight = [0u8; 8];
                eight.copy_from_slice(&tag[..8]);
                i64::from_be_bytes(eight)
            }
            BlindIndexer::Plain => {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                (kind as u8, normalised).hash(&mut h);
                h.finish() as i64
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_keys_separate_equal_strings() {
        let key = SecretKey::random();
        let idx = BlindIndexer::new(&key);
        assert_eq!(idx.index(IndexKind::Cnp, "1"), idx.index(IndexKind::Cnp, "1"));
        assert_ne!(idx.index(IndexKind::Cnp, "1"), idx.index(IndexKind::Phone, "1"));
        let other = BlindIndexer::new(&SecretKey::random());
        assert_ne!(idx.index(IndexKind::Cnp, "1"), other.index(IndexKind::Cnp, "1"));
    }
}
