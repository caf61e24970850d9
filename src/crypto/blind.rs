//! Blind indexes: keyed HMAC-SHA256 of a normalised value, truncated to 64 bits,
//! so exact and prefix searches run in SQL without decrypting anything.
//! Truncation makes collisions possible: callers always decrypt and re-check.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::SecretKey;

/// What is indexed: one column each, and each column its own sub-key, so equal
/// strings in different columns (a first name equal to a last name) never share an
/// index value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    Cnp,
    Phone,
    Email,
    First3,
    First5,
    Last3,
    Last5,
}

/// Name-prefix indexes keep this many bits: a bucket holds every name of its prefix
/// and, in a clinic of some size, names of other prefixes too, so a bucket's size
/// says little about how common a prefix is. Candidates are filtered after decryption.
pub const NAME_BUCKET_BITS: u32 = 10;

impl IndexKind {
    const ALL: [IndexKind; 7] = [
        IndexKind::Cnp,
        IndexKind::Phone,
        IndexKind::Email,
        IndexKind::First3,
        IndexKind::First5,
        IndexKind::Last3,
        IndexKind::Last5,
    ];

    fn purpose(self) -> &'static str {
        match self {
            IndexKind::Cnp => "blind-index/cnp",
            IndexKind::Phone => "blind-index/phone",
            IndexKind::Email => "blind-index/email",
            IndexKind::First3 => "blind-index/v2/first3",
            IndexKind::First5 => "blind-index/v2/first5",
            IndexKind::Last3 => "blind-index/v2/last3",
            IndexKind::Last5 => "blind-index/v2/last5",
        }
    }

    fn is_name(self) -> bool {
        matches!(self, IndexKind::First3 | IndexKind::First5 | IndexKind::Last3 | IndexKind::Last5)
    }
}

/// Precomputed HMAC states, one per kind (the key schedule is paid once).
pub enum BlindIndexer {
    Keyed(Box<[Hmac<Sha256>; 7]>),
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
        let full = self.full_index(kind, normalised);
        if kind.is_name() { (full as u64 >> (64 - NAME_BUCKET_BITS)) as i64 } else { full }
    }

    fn full_index(&self, kind: IndexKind, normalised: &str) -> i64 {
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
