//! What the kernel calls back in the features, without naming them: the
//! features implement these traits and [`crate::features`] lists them.

use async_trait::async_trait;
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use crate::auth::ClinicKeys;
use crate::crypto::SecretKey;
use crate::error::Result;

/// A feature that keeps keys wrapped by the clinic key (KEK).
#[async_trait]
pub(crate) trait KeyHolder: Sync {
    /// Re-wrap, in `tx`, every key this feature keeps under the session's clinic
    /// key (`old.kek`) under `new` (key id `new_id`), without touching what those
    /// keys seal. Returns how many live patients' data keys it re-wrapped (the
    /// figure the rotation reports).
    async fn rewrap(
        &self,
        tx: &DatabaseTransaction,
        old: &ClinicKeys,
        new: &SecretKey,
        new_id: Uuid,
    ) -> Result<u64>;
}

/// A feature that writes its defaults when a clinic is set up.
#[async_trait]
pub(crate) trait Seed: Sync {
    async fn seed(&self, tx: &DatabaseTransaction) -> Result<()>;
}
