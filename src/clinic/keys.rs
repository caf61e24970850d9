//! The clinic key and what it wraps: recovery with the recovery key, rotation,
//! key slots, and the derived sub-keys (index, audit, checkpoint).

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::audit::{AuditAction, CheckpointKey, CheckpointKeys, Event, Outcome};
use crate::auth::{self, Action, ClinicKeys, Role, Session, SlotKind};
use crate::crypto::{
    BlindIndexer, KdfParams, RecoveryKey, SecretKey, derive_password_key, derive_recovery_key, mac,
    unwrap_key, wrap_key,
};
use crate::error::{Error, Result};
use crate::rules::Subject;
use crate::store::entities::{clinic_meta, key_slot, staff};

use super::{Clinic, RotationReport, check_password_policy};

impl Clinic {
    /// Set a new password for an administrator with the recovery key printed at set-up.
    pub async fn recover(&self, recovery_key: &str, admin_username: &str, new_password: &str) -> Result<()> {
        let meta = self.meta()?;
        check_password_policy(new_password)?;
        let slot = key_slot::Entity::find()
            .filter(key_slot::Column::Kind.eq(SlotKind::Recovery.as_str()))
            .one(self.store.connection())
            .await?
            .ok_or(Error::InvalidRecoveryKey)?;
        let kek = RecoveryKey::parse(recovery_key)
            .ok()
            .and_then(|rk| auth::open_slot(&derive_recovery_key(&rk, &slot.salt), slot.id, &slot.wrapped));
        let Some(kek) = kek else {
            let mut w = self.work_as(self.system_actor("recovery", None), None).await?;
            w.audit(
                Event::new(AuditAction::AuthRecover, "clinic")
                    .purpose("wrong recovery key")
                    .outcome(Outcome::Failure),
            );
            w.commit().await?;
            return Err(Error::InvalidRecoveryKey);
        };
        let admin = staff::Entity::find()
            .filter(staff::Column::Username.eq(admin_username.trim().to_ascii_lowercase()))
            .one(self.store.connection())
            .await?
            .filter(|s| s.role == Role::Admin.as_str())
            .ok_or(Error::NotFound(Subject::Administrator))?;
        let new_slot = self.new_password_slot(admin.id, new_password, meta.kek_id, &kek).await?;
        let keys = unlock_keys(kek, &meta)?;
        let mut w = self.work_as(self.system_actor("", Some(&admin)), Some(&keys.checkpoint)).await?;
        replace_password_slot(&w.tx, admin.id, new_slot).await?;
        let mut row: staff::ActiveModel = admin.clone().into();
        row.active = Set(true);
        row.failed_attempts = Set(0);
        row.locked_until = Set(None);
        // The recovery key stands for everything the administrator lost, the phone too:
        // they enrol a second factor again at their next sign-in.
        row.totp_sealed = Set(None);
        row.totp_last_step = Set(None);
        row.update(&w.tx).await?;
        crate::integrity::remac_staff(&w.tx, &keys.audit_key, admin.id).await?;
        crate::integrity::remac_slots(&w.tx, &keys.audit_key, Some(admin.id)).await?;
        crate::store::entities::staff_recovery_code::Entity::delete_many()
            .filter(crate::store::entities::staff_recovery_code::Column::StaffId.eq(admin.id))
            .exec(&w.tx)
            .await?;
        w.audit(
            Event::new(AuditAction::AuthRecover, "staff")
                .entity(admin.id)
                .purpose("new administrator password"),
        );
        w.commit().await?;
        tracing::info!("administrator password reset with the recovery key");
        Ok(())
    }

    /// New clinic key: re-seal every key slot and re-wrap every patient data key,
    /// in one transaction, without rewriting any sealed field.
    pub async fn rotate_keys(&self, s: &Session) -> Result<RotationReport> {
        let mut w = self.begin(s, Action::KeysRotate).await?;
        self.check_key_current(s)?;
        let meta = self.meta()?;
        let old = &s.keys.kek;
        let new_kek = SecretKey::random();
        let new_id = Uuid::now_v7();

        let slots = key_slot::Entity::find().all(&w.tx).await?;
        let slot_count = slots.len() as u64;
        for slot in slots {
            let pk = auth::slot_pk(&slot.wrapped)
                .ok_or_else(|| Error::Tampered("a key slot is malformed".into()))?;
            let mut row: key_slot::ActiveModel = slot.clone().into();
            row.wrapped = Set(auth::seal_slot(pk, slot.id, &new_kek));
            row.kek_id = Set(new_id);
            row.update(&w.tx).await?;
        }

        let mut patient_count = 0u64;
        for holder in crate::features::KEY_HOLDERS {
            patient_count += holder.rewrap(&w.tx, &s.keys, &new_kek, new_id).await?;
        }

        let index_key = unwrap_key(old, &key_context("index-key", meta.kek_id), &meta.index_key_wrapped)
            .ok_or_else(|| Error::Tampered("the index key does not open".into()))?;
        let audit_key = unwrap_key(old, &key_context("audit-key", meta.kek_id), &meta.audit_key_wrapped)
            .ok_or_else(|| Error::Tampered("the audit key does not open".into()))?;
        let mut new_meta = meta.clone();
        new_meta.kek_id = new_id;
        new_meta.kek_check = kek_check(&new_kek, new_id, &meta.sealing).to_vec();
        new_meta.index_key_wrapped = wrap_key(&new_kek, &key_context("index-key", new_id), &index_key);
        new_meta.audit_key_wrapped = wrap_key(&new_kek, &key_context("audit-key", new_id), &audit_key);
        // A new checkpoint key, so whoever kept the old one cannot forge checkpoints
        // from now on; the old one stays (under the new clinic key) to read the
        // checkpoints made up to this point, and no further.
        let old_checkpoint = &s.keys.checkpoint.current;
        let checkpoint = CheckpointKeys {
            current: CheckpointKey { id: Uuid::now_v7(), key: SecretKey::random() },
            previous: Some((
                CheckpointKey { id: old_checkpoint.id, key: old_checkpoint.key.duplicate() },
                w.audit.head_seq(),
            )),
        };
        new_meta.checkpoint_key_id = Some(checkpoint.current.id);
        new_meta.checkpoint_key_wrapped =
            Some(wrap_key(&new_kek, &checkpoint_context(checkpoint.current.id), &checkpoint.current.key));
        new_meta.checkpoint_prev_id = Some(old_checkpoint.id);
        new_meta.checkpoint_prev_wrapped = (!old_checkpoint.id.is_nil())
            .then(|| wrap_key(&new_kek, &checkpoint_context(old_checkpoint.id), &old_checkpoint.key));
        new_meta.checkpoint_rotated_seq = Some(w.audit.head_seq());
        clinic_meta::ActiveModel::from(new_meta.clone()).reset_all().update(&w.tx).await?;
        w.audit(
            Event::new(AuditAction::KeysRotate, "clinic")
                .entity(new_id)
                .purpose(format!("{slot_count} key slots, {patient_count} patient keys re-wrapped")),
        );
        let (seq, hash) = w.audit.flush(&w.tx).await?;
        w.tx.commit().await?;
        *self.meta.write().map_err(|_| Error::Internal("lock poisoned".into()))? = Some(new_meta);
        self.save_checkpoint(&checkpoint, seq, hash);
        tracing::info!(slot_count, patient_count, "clinic key rotated");
        Ok(RotationReport { new_key_id: new_id, key_slots: slot_count, patient_keys: patient_count })
    }
}

pub(crate) async fn replace_password_slot(
    tx: &DatabaseTransaction,
    staff_id: Uuid,
    slot: key_slot::ActiveModel,
) -> Result<()> {
    key_slot::Entity::delete_many()
        .filter(key_slot::Column::StaffId.eq(staff_id))
        .filter(key_slot::Column::Kind.eq(SlotKind::Password.as_str()))
        .exec(tx)
        .await?;
    key_slot::Entity::insert(slot).exec(tx).await?;
    Ok(())
}

pub(super) fn unlock_keys(kek: SecretKey, meta: &clinic_meta::Model) -> Result<ClinicKeys> {
    let index_key = unwrap_key(&kek, &key_context("index-key", meta.kek_id), &meta.index_key_wrapped)
        .ok_or_else(|| Error::Tampered("the index key does not open".into()))?;
    let audit_key = unwrap_key(&kek, &key_context("audit-key", meta.kek_id), &meta.audit_key_wrapped)
        .ok_or_else(|| Error::Tampered("the audit key does not open".into()))?;
    let sealing = meta.sealing != "off";
    let checkpoint = checkpoint_keys(&kek, &audit_key, meta)?;
    Ok(ClinicKeys {
        kek_id: meta.kek_id,
        indexer: if sealing { BlindIndexer::new(&index_key) } else { BlindIndexer::Plain },
        kek,
        audit_key,
        checkpoint,
        sealing,
    })
}

/// Where a checkpoint key is wrapped: under the clinic key, bound to its own id.
pub(crate) fn checkpoint_context(id: Uuid) -> Vec<u8> {
    key_context("checkpoint-key", id)
}

/// The checkpoint keys `meta` names, opened with `kek`. A clinic that never rotated
/// has none yet: its checkpoints are under the audit key (id nil).
pub(super) fn checkpoint_keys(
    kek: &SecretKey,
    audit_key: &SecretKey,
    meta: &clinic_meta::Model,
) -> Result<CheckpointKeys> {
    let open = |id: Option<Uuid>, wrapped: Option<&Vec<u8>>| -> Result<CheckpointKey> {
        match (id, wrapped) {
            (None, _) => Ok(CheckpointKey { id: Uuid::nil(), key: audit_key.duplicate() }),
            (Some(id), _) if id.is_nil() => Ok(CheckpointKey { id, key: audit_key.duplicate() }),
            (Some(id), Some(w)) => unwrap_key(kek, &checkpoint_context(id), w)
                .map(|key| CheckpointKey { id, key })
                .ok_or_else(|| Error::Tampered("the audit checkpoint key does not open".into())),
            (Some(_), None) => Err(Error::Tampered("the audit checkpoint key is missing".into())),
        }
    };
    let current = open(meta.checkpoint_key_id, meta.checkpoint_key_wrapped.as_ref())?;
    let previous = match meta.checkpoint_rotated_seq {
        Some(at) => Some((open(meta.checkpoint_prev_id, meta.checkpoint_prev_wrapped.as_ref())?, at)),
        None => None,
    };
    Ok(CheckpointKeys { current, previous })
}

pub(crate) fn key_context(what: &str, kek_id: Uuid) -> Vec<u8> {
    let mut c = what.as_bytes().to_vec();
    c.push(b'/');
    c.extend_from_slice(kek_id.as_bytes());
    c
}

/// What the key check value authenticates: the key id and the sealing mode, so
/// that flipping the benchmark-only "sealing off" flag in the database is caught.
pub(super) fn kek_check_message(kek_id: Uuid, sealing: &str) -> Vec<u8> {
    let mut m = key_context("kek-check", kek_id);
    m.push(b'/');
    m.extend_from_slice(sealing.as_bytes());
    m
}

pub(crate) fn kek_check(kek: &SecretKey, kek_id: Uuid, sealing: &str) -> [u8; 32] {
    mac(kek, &kek_check_message(kek_id, sealing))
}

pub(super) async fn derive_password_key_blocking(
    password: &str,
    salt: &[u8],
    params: KdfParams,
) -> Result<SecretKey> {
    let password = Zeroizing::new(password.to_owned());
    let salt = salt.to_vec();
    // Argon2id takes ~0.1 s of CPU: keep it off the async workers.
    tokio::task::spawn_blocking(move || derive_password_key(&password, &salt, params))
        .await
        .map_err(|_| Error::Internal("key derivation task failed".into()))?
}
