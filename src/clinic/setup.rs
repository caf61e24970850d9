//! Setting up a clinic: the clinic key, the first administrator, the recovery key;
//! the rules every account name and password follows.

use sea_orm::{ActiveValue::Set, EntityTrait};
use uuid::Uuid;

use crate::admin::profile::ClinicProfile;
use crate::audit::{self, Actor, AuditAction, Checkpoint, Event};
use crate::auth::{self, Role, SlotKind};
use crate::crypto::{RecoveryKey, SecretKey, derive_recovery_key, wrap_key};
use crate::error::{Error, Result};
use crate::rules::Rule;
use crate::store::entities::{clinic_meta, key_slot, staff};

use super::keys::{checkpoint_keys, derive_password_key_blocking};
use super::{
    Clinic, InitOptions, InitOutcome, MAGIC, MIN_PASSWORD_CHARS, PLAINTEXT_TWIN, checkpoint_context,
    kek_check, key_context,
};

impl Clinic {
    /// Set up a new clinic: clinic key, first admin, recovery key (returned once).
    pub async fn init(
        &self,
        profile: ClinicProfile,
        admin_username: &str,
        admin_password: &str,
    ) -> Result<InitOutcome> {
        self.init_with(profile, admin_username, admin_password, InitOptions::default()).await
    }

    #[doc(hidden)]
    pub async fn init_with(
        &self,
        profile: ClinicProfile,
        admin_username: &str,
        admin_password: &str,
        options: InitOptions,
    ) -> Result<InitOutcome> {
        if options.sealing_off_for_benchmark && !PLAINTEXT_TWIN {
            return Err(Error::InvalidInput(Rule::PlaintextClinic));
        }
        if self.is_initialised() {
            return Err(Error::AlreadyInitialised);
        }
        let profile = profile.validated()?;
        let username = validate_username(admin_username)?;
        check_password_policy(admin_password)?;

        let kek = SecretKey::random();
        let kek_id = Uuid::now_v7();
        let clinic_id = Uuid::now_v7();
        let admin_id = Uuid::now_v7();
        let now = audit::now_micros();
        let password_slot = self.new_password_slot(admin_id, admin_password, kek_id, &kek).await?;
        let recovery = RecoveryKey::generate();
        let recovery_slot = new_recovery_slot(&recovery, kek_id, &kek);
        let checkpoint_id = Uuid::now_v7();
        let sealing = if options.sealing_off_for_benchmark { "off" } else { "on" };
        let meta = clinic_meta::Model {
            id: 1,
            magic: MAGIC.into(),
            clinic_id,
            name: profile.name.clone(),
            kek_id,
            kek_check: kek_check(&kek, kek_id, sealing).to_vec(),
            index_key_wrapped: wrap_key(&kek, &key_context("index-key", kek_id), &kek.derive("blind-index")),
            audit_key_wrapped: wrap_key(
                &kek,
                &key_context("audit-key", kek_id),
                &kek.derive("audit-checkpoint"),
            ),
            sealing: sealing.into(),
            created_at: now,
            index_version: crate::patients::INDEX_VERSION,
            row_macs: crate::integrity::ROW_MACS,
            checkpoint_key_id: Some(checkpoint_id),
            checkpoint_key_wrapped: Some(wrap_key(
                &kek,
                &checkpoint_context(checkpoint_id),
                &SecretKey::random(),
            )),
            checkpoint_prev_id: None,
            checkpoint_prev_wrapped: None,
            checkpoint_rotated_seq: None,
            bound_columns: crate::binding::BOUND_COLUMNS,
        };
        let audit_key = kek.derive("audit-checkpoint");
        let actor = Actor {
            id: Some(admin_id),
            name: username.clone(),
            role: Role::Admin.as_str().into(),
            workstation: self.workstation.clone(),
        };
        let mut w = self.work_as(actor, None).await?;
        if clinic_meta::Entity::find_by_id(1).one(&w.tx).await?.is_some() {
            return Err(Error::AlreadyInitialised);
        }
        clinic_meta::Entity::insert(clinic_meta::ActiveModel::from(meta.clone())).exec(&w.tx).await?;
        staff::Entity::insert(staff::ActiveModel::from(staff::Model {
            id: admin_id,
            username,
            role: Role::Admin.as_str().into(),
            active: true,
            failed_attempts: 0,
            locked_until: None,
            last_login_at: None,
            created_at: now,
            totp_sealed: None,
            totp_last_step: None,
            row_mac: None,
        }))
        .exec(&w.tx)
        .await?;
        key_slot::Entity::insert_many([password_slot, recovery_slot]).exec(&w.tx).await?;
        crate::integrity::remac_slots(&w.tx, &audit_key, None).await?;
        crate::admin::profile::store_profile(&w.tx, clinic_id, &audit_key, &profile, admin_id).await?;
        for feature in crate::features::SEEDS {
            feature.seed(&w.tx).await?;
        }
        w.audit(Event::new(AuditAction::ClinicInit, "clinic").entity(clinic_id));
        w.audit(Event::new(AuditAction::StaffAdd, "staff").entity(admin_id).purpose("first administrator"));
        let (seq, hash) = w.audit.flush(&w.tx).await?;
        w.tx.commit().await?;
        let checkpoint = checkpoint_keys(&kek, &audit_key, &meta)?;
        *self.meta.write().map_err(|_| Error::Internal("lock poisoned".into()))? = Some(meta);
        audit::checkpoint_store(
            &self.state_dir,
            clinic_id,
            &checkpoint,
            &Checkpoint { seq, hash: hash.to_vec() },
        )?;
        tracing::info!("clinic initialised");
        Ok(InitOutcome { clinic_id, admin_id, recovery_key: recovery.display() })
    }

    pub(crate) async fn new_password_slot(
        &self,
        staff_id: Uuid,
        password: &str,
        kek_id: Uuid,
        kek: &SecretKey,
    ) -> Result<key_slot::ActiveModel> {
        let id = Uuid::now_v7();
        let salt = crate::crypto::random_bytes::<16>();
        let secret = derive_password_key_blocking(password, &salt, self.kdf).await?;
        let wrapped = auth::seal_slot(auth::slot_public_key(&secret), id, kek);
        Ok(key_slot::ActiveModel {
            id: Set(id),
            kind: Set(SlotKind::Password.as_str().into()),
            staff_id: Set(Some(staff_id)),
            kek_id: Set(kek_id),
            m_kib: Set(self.kdf.m_kib as i32),
            t_cost: Set(self.kdf.t as i32),
            p_cost: Set(self.kdf.p as i32),
            salt: Set(salt.to_vec()),
            wrapped: Set(wrapped),
            created_at: Set(audit::now_micros()),
            workstation: Set(None),
            owner_mac: Set(None),
        })
    }
}

pub(super) fn new_recovery_slot(rk: &RecoveryKey, kek_id: Uuid, kek: &SecretKey) -> key_slot::ActiveModel {
    let id = Uuid::now_v7();
    let salt = crate::crypto::random_bytes::<16>();
    let secret = derive_recovery_key(rk, &salt);
    key_slot::ActiveModel {
        id: Set(id),
        kind: Set(SlotKind::Recovery.as_str().into()),
        staff_id: Set(None),
        kek_id: Set(kek_id),
        m_kib: Set(0),
        t_cost: Set(0),
        p_cost: Set(0),
        salt: Set(salt.to_vec()),
        wrapped: Set(auth::seal_slot(auth::slot_public_key(&secret), id, kek)),
        created_at: Set(audit::now_micros()),
        workstation: Set(None),
        owner_mac: Set(None),
    }
}

pub(crate) fn validate_username(name: &str) -> Result<String> {
    let n = name.trim();
    let ok = (2..=40).contains(&n.len())
        && n.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !ok {
        return Err(Error::InvalidInput(Rule::UserNameFormat));
    }
    Ok(n.to_ascii_lowercase())
}

pub(crate) fn check_password_policy(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::InvalidInput(Rule::PasswordTooShort { min: MIN_PASSWORD_CHARS }));
    }
    Ok(())
}
