//! The front door: a `Clinic` handle opened from a config. Every use case is a
//! method taking the acting `Session`; each one checks the permission table,
//! does its work and appends its audit event in one transaction.

use crate::rules::{Rule, Subject};
use std::path::PathBuf;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::audit::{
    self, Actor, AuditEventDto, AuditFilter, AuditWriter, Checkpoint, CheckpointKey, CheckpointKeys, Event,
    Outcome, VerifyReport,
};
use crate::auth::{self, Action, ClinicKeys, Role, Session, SlotKind};
use crate::crypto::{
    BlindIndexer, KdfParams, RecoveryKey, SecretKey, derive_password_key, derive_recovery_key, mac,
    unwrap_key, verify_mac, wrap_key,
};
use crate::error::{Error, Result};
use crate::profile::ClinicProfile;
use crate::sessions::SessionLimits;
use crate::store::entities::{audit_event, clinic_meta, key_slot, patient, staff};
use crate::store::{Location, Store};

const MAGIC: &str = "cuspid-clinic-v1";
const MAX_FAILED_LOGINS: i32 = 5;
const LOCKOUT_MICROS: i64 = 15 * 60 * 1_000_000;
/// Kept in step with the literal in `check_password_policy`'s message (a test checks).
pub(crate) const MIN_PASSWORD_CHARS: usize = 10;

/// How to open a clinic.
#[derive(Debug, Clone)]
pub struct ClinicConfig {
    pub location: Location,
    /// Where this workstation keeps its own state (audit checkpoints); defaults
    /// to the OS local data folder.
    pub state_dir: Option<PathBuf>,
    /// The name recorded in audit events; defaults to `CUSPID_WORKSTATION` or the host name.
    pub workstation: Option<String>,
    /// Argon2id cost for new password slots.
    pub kdf: KdfParams,
    /// How long a session may stay idle, and live at most.
    pub session_limits: SessionLimits,
    /// A second place for this workstation's audit checkpoint (another disk or a
    /// share the operator chooses), so deleting the state folder does not reset it.
    pub checkpoint_mirror: Option<PathBuf>,
    /// The clock TOTP codes are checked against (Unix seconds); `None`: the system's.
    /// Tests set it to step through time; a process that sets it holds the database
    /// and the passwords already.
    #[doc(hidden)]
    pub totp_clock: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
}

impl ClinicConfig {
    pub fn new(location: Location) -> Self {
        ClinicConfig {
            location,
            state_dir: None,
            workstation: None,
            kdf: KdfParams::RFC9106_SECOND,
            session_limits: SessionLimits::default(),
            checkpoint_mirror: None,
            totp_clock: None,
        }
    }
}

/// An open clinic database.
#[derive(Debug)]
pub struct Clinic {
    pub(crate) store: Store,
    state_dir: PathBuf,
    workstation: String,
    kdf: KdfParams,
    location: Location,
    meta: RwLock<Option<clinic_meta::Model>>,
    pub(crate) limits: SessionLimits,
    /// The clinic's idle-lock setting, read at each sign-in and kept when it changes.
    pub(crate) idle_minutes: AtomicU32,
    pub(crate) totp_clock: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
    checkpoint_mirror: Option<PathBuf>,
}

/// What `init` hands back once: the recovery key is never stored or shown again,
/// never printed by `Debug`, and wiped from memory when this is dropped.
#[derive(Serialize)]
pub struct InitOutcome {
    pub clinic_id: Uuid,
    pub admin_id: Uuid,
    pub recovery_key: String,
}

impl std::fmt::Debug for InitOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InitOutcome")
            .field("clinic_id", &self.clinic_id)
            .field("admin_id", &self.admin_id)
            .field("recovery_key", &"****")
            .finish()
    }
}

impl Drop for InitOutcome {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.recovery_key);
    }
}

/// What `keys rotate` did.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct RotationReport {
    pub new_key_id: Uuid,
    pub key_slots: u64,
    pub patient_keys: u64,
}

/// Options a benchmark uses to build the plaintext twin; real clinics never set them.
#[derive(Debug, Clone, Copy, Default)]
pub struct InitOptions {
    /// Store fields in clear. Refused unless the build has the `plaintext-twin`
    /// feature, which only `cuspid-bench` is built with: the app and the CLI can
    /// neither create nor open such a clinic.
    #[doc(hidden)]
    pub sealing_off_for_benchmark: bool,
}

/// Whether this build may create and open a clinic whose fields are not sealed
/// (the benchmark's plaintext twin): the `plaintext-twin` feature, off by default.
pub const PLAINTEXT_TWIN: bool = cfg!(feature = "plaintext-twin");

/// Proof that a session may do one action now: made only by `Clinic::authorize`
/// (session live, second factor done, the role table allows it), consumed by
/// `Clinic::work`.
#[derive(Debug)]
pub(crate) struct Permit<'s> {
    session: &'s Session,
}

/// An open transaction with its audit writer: the shape of every use case.
pub(crate) struct Work<'c> {
    pub tx: DatabaseTransaction,
    audit: AuditWriter,
    actor: Actor,
    clinic: &'c Clinic,
    checkpoint: Option<&'c CheckpointKeys>,
}

impl Work<'_> {
    pub fn audit(&mut self, event: Event) {
        self.audit.append(&self.actor, event);
    }

    pub fn clinic(&self) -> &Clinic {
        self.clinic
    }

    pub fn audit_writer(&mut self) -> (&mut AuditWriter, &Actor) {
        (&mut self.audit, &self.actor)
    }

    /// Write the audit events, commit, and move this workstation's checkpoint.
    pub async fn commit(mut self) -> Result<()> {
        let (seq, hash) = self.audit.flush(&self.tx).await?;
        self.tx.commit().await?;
        if let Some(keys) = self.checkpoint {
            self.clinic.save_checkpoint(keys, seq, hash);
        }
        Ok(())
    }
}

impl Clinic {
    /// Open (and migrate) the database. A clinic not yet set up opens too: `init` it.
    pub async fn open(config: ClinicConfig) -> Result<Clinic> {
        let store = Store::open(&config.location).await?;
        let meta = clinic_meta::Entity::find_by_id(1).one(store.connection()).await?;
        if let Some(m) = &meta
            && m.magic != MAGIC
        {
            return Err(Error::NotACuspidDatabase("this database".into()));
        }
        if let Some(m) = &meta
            && m.sealing == "off"
            && !PLAINTEXT_TWIN
        {
            return Err(Error::Tampered(
                "this database says its fields are stored in clear; only a benchmark build opens such a database"
                    .into(),
            ));
        }
        let state_dir = match config.state_dir {
            Some(d) => d,
            None => directories::ProjectDirs::from("ro", "Cuspid", "cuspid")
                .map(|d| d.data_local_dir().join("workstation"))
                .ok_or_else(|| Error::Io("no home folder for workstation state".into()))?,
        };
        let workstation = config
            .workstation
            .or_else(|| std::env::var("CUSPID_WORKSTATION").ok())
            .or_else(|| std::fs::read_to_string("/etc/hostname").ok().map(|h| h.trim().to_owned()))
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "unknown".into());
        tracing::debug!(location = %config.location.describe(), "clinic opened");
        Ok(Clinic {
            store,
            state_dir,
            workstation,
            kdf: config.kdf,
            location: config.location,
            meta: RwLock::new(meta),
            limits: config.session_limits,
            totp_clock: config.totp_clock,
            checkpoint_mirror: config.checkpoint_mirror,
            idle_minutes: AtomicU32::new(crate::settings::Settings::default().idle_lock_minutes),
        })
    }

    pub fn is_initialised(&self) -> bool {
        self.meta_opt().is_some()
    }

    /// This clinic's id (the same on every workstation), once set up.
    pub fn clinic_id(&self) -> Option<Uuid> {
        self.meta_opt().map(|m| m.clinic_id)
    }

    pub fn clinic_name(&self) -> Option<String> {
        self.meta_opt().map(|m| m.name)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    pub fn workstation(&self) -> &str {
        &self.workstation
    }

    /// Cuspid's own folders on this workstation: the data folder, the workstation
    /// state and the configuration. No file for a person is written into them.
    pub fn own_folders(&self) -> crate::files::OwnFolders {
        let mut folders = vec![self.state_dir.clone()];
        if let Location::DataDir(d) = &self.location {
            folders.push(d.clone());
        }
        if let Some(d) = directories::ProjectDirs::from("ro", "Cuspid", "cuspid") {
            folders.push(d.config_dir().to_path_buf());
            folders.push(d.data_local_dir().to_path_buf());
        }
        crate::files::OwnFolders::new(folders)
    }

    /// Write a file for a person to take away (a PDF, a CSV, an X-ray original): a
    /// new file, 0600, never through a link, never into Cuspid's own folders.
    pub fn write_file(&self, path: &std::path::Path, bytes: &[u8]) -> Result<()> {
        self.own_folders().write_new(path, bytes)
    }

    fn meta_opt(&self) -> Option<clinic_meta::Model> {
        self.meta.read().ok().and_then(|m| m.clone())
    }

    pub(crate) fn meta(&self) -> Result<clinic_meta::Model> {
        self.meta_opt().ok_or(Error::NotInitialised)
    }

    /// Keep the cached name in step after a committed rename.
    pub(crate) fn set_clinic_name(&self, name: &str) -> Result<()> {
        let mut meta = self.meta.write().map_err(|_| Error::Internal("lock poisoned".into()))?;
        if let Some(m) = meta.as_mut() {
            m.name = name.to_owned();
        }
        Ok(())
    }

    /// Argon2id cost of new password slots.
    pub(crate) fn password_kdf(&self) -> KdfParams {
        self.kdf
    }

    pub(crate) fn actor(&self, s: &Session) -> Actor {
        Actor {
            id: Some(s.staff_id),
            name: s.username.clone(),
            role: s.role.as_str().into(),
            workstation: s.workstation.clone(),
        }
    }

    pub(crate) fn system_actor(&self, name: &str, staff: Option<&staff::Model>) -> Actor {
        Actor {
            id: staff.map(|s| s.id),
            name: staff.map(|s| s.username.clone()).unwrap_or_else(|| name.to_owned()),
            role: staff.map(|s| s.role.clone()).unwrap_or_else(|| "none".into()),
            workstation: self.workstation.clone(),
        }
    }

    /// Begin a use case the permit allows: open the transaction and lock the audit
    /// chain head. The permission was checked once, by `authorize`, which alone
    /// makes a `Permit`: a use case can neither skip the check nor make it twice.
    pub(crate) async fn work<'c>(&'c self, permit: Permit<'c>) -> Result<Work<'c>> {
        let s = permit.session;
        self.work_as(self.actor(s), Some(&s.keys.checkpoint)).await
    }

    /// `authorize`, then `work`: a use case with nothing to check in between.
    pub(crate) async fn begin<'c>(&'c self, s: &'c Session, action: Action) -> Result<Work<'c>> {
        self.work(self.authorize(s, action).await?).await
    }

    /// Check that the session is still live (limits, the account as stored now),
    /// then the permission table; a refusal is audited and committed on its own.
    pub(crate) async fn authorize<'s>(&self, s: &'s Session, action: Action) -> Result<Permit<'s>> {
        self.check_session_live(s).await?;
        if s.mfa_pending() && action != Action::MfaManage {
            return Err(Error::MfaEnrolmentRequired);
        }
        if auth::allowed(s.role, action) {
            return Ok(Permit { session: s });
        }
        let mut w = self.work_as(self.actor(s), Some(&s.keys.checkpoint)).await?;
        w.audit(Event::new(action.as_str(), "permission").outcome(Outcome::Denied));
        w.commit().await?;
        tracing::info!(action = action.as_str(), role = s.role.as_str(), "permission denied");
        Err(Error::permission(s.role, action))
    }

    /// An integrity failure met while serving `s` (a sealed value that does not open,
    /// a row that fails its MAC, a broken chain) is itself audited, in a transaction of
    /// its own since the failed one rolled back. The event names the check that
    /// failed, never the data; `result` is returned as it was.
    pub(crate) async fn noting_integrity<T>(
        &self,
        s: &Session,
        subject: Option<Uuid>,
        result: Result<T>,
    ) -> Result<T> {
        let Err(e) = &result else { return result };
        if !e.kind().starts_with("integrity.") {
            return result;
        }
        let mut event = Event::new("integrity.failure", "integrity")
            .purpose(format!("{}: {e}", e.kind()))
            .outcome(Outcome::Failure);
        if let Some(id) = subject {
            event = event.subject(id);
        }
        let recorded = async {
            let mut w = self.work_as(self.actor(s), Some(&s.keys.checkpoint)).await?;
            w.audit(event);
            w.commit().await
        }
        .await;
        match recorded {
            Ok(()) => tracing::warn!(kind = e.kind().as_str(), "integrity failure, audited"),
            Err(a) => tracing::error!(
                kind = e.kind().as_str(),
                audit = a.kind().as_str(),
                "integrity failure, NOT audited"
            ),
        }
        result
    }

    /// Remember the chain head this workstation saw (best effort: a failure is logged).
    pub(crate) fn save_checkpoint(&self, keys: &CheckpointKeys, seq: i64, hash: [u8; 32]) {
        let Some(meta) = self.meta_opt() else { return };
        let cp = Checkpoint { seq, hash: hash.to_vec() };
        for dir in std::iter::once(&self.state_dir).chain(self.checkpoint_mirror.as_ref()) {
            if let Err(e) = audit::checkpoint_store(dir, meta.clinic_id, keys, &cp) {
                tracing::warn!(kind = e.kind().as_str(), "could not save the audit checkpoint");
            }
        }
    }

    pub(crate) async fn work_as<'c>(
        &'c self,
        actor: Actor,
        checkpoint: Option<&'c CheckpointKeys>,
    ) -> Result<Work<'c>> {
        let tx = self.store.begin().await?;
        let audit = AuditWriter::begin(&tx).await?;
        Ok(Work { tx, audit, actor, clinic: self, checkpoint })
    }

    /// Refuse a use case whose session holds a clinic key that has since been rotated.
    pub(crate) fn check_key_current(&self, s: &Session) -> Result<()> {
        if self.meta()?.kek_id != s.keys.kek_id {
            return Err(Error::SessionExpired);
        }
        Ok(())
    }

    // ---- set-up ------------------------------------------------------------

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
        crate::profile::store_profile(&w.tx, clinic_id, &audit_key, &profile, admin_id).await?;
        crate::article30::seed(&w.tx).await?;
        w.audit(Event::new("clinic.init", "clinic").entity(clinic_id));
        w.audit(Event::new("staff.add", "staff").entity(admin_id).purpose("first administrator"));
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

    // ---- authentication ------------------------------------------------------

    /// Log in with a password: the password opens this person's key slot, which
    /// yields the clinic key. Failures are audited; five in a row lock the account.
    pub async fn login(&self, username: &str, password: &str) -> Result<Session> {
        self.login_as(username, password, None, "password").await
    }

    /// Log in with a password and, for an account enrolled in two-factor sign-in, the
    /// code from its authenticator app (or a recovery code). Without the code such an
    /// account gets `auth.totp_required`; a wrong one counts towards the lockout.
    pub async fn login_with_code(
        &self,
        username: &str,
        password: &str,
        code: Option<&str>,
    ) -> Result<Session> {
        self.login_as(username, password, code, "password").await
    }

    pub(crate) async fn login_as(
        &self,
        username: &str,
        password: &str,
        code: Option<&str>,
        method: &str,
    ) -> Result<Session> {
        let meta = self.meta()?;
        let staff = self.login_precheck(username).await?;
        let Some((kek, slot)) = self.open_password_slot(staff.id, password).await? else {
            return Err(self.record_failed_login(&staff, "wrong password").await);
        };
        self.finish_login(staff, kek, &meta, method, code, Some(&slot)).await
    }

    /// The clinic key from `staff_id`'s password slot, and the slot, if `password` opens it.
    async fn open_password_slot(
        &self,
        staff_id: Uuid,
        password: &str,
    ) -> Result<Option<(SecretKey, key_slot::Model)>> {
        let slot = key_slot::Entity::find()
            .filter(key_slot::Column::StaffId.eq(staff_id))
            .filter(key_slot::Column::Kind.eq(SlotKind::Password.as_str()))
            .one(self.store.connection())
            .await?;
        let Some(slot) = slot else { return Ok(None) };
        let params = KdfParams::from_columns(slot.m_kib, slot.t_cost, slot.p_cost)?;
        let secret = derive_password_key_blocking(password, &slot.salt, params).await?;
        Ok(auth::open_slot(&secret, slot.id, &slot.wrapped).map(|kek| (kek, slot)))
    }

    /// Whether `password` opens `s`'s own password slot: asked again before a password
    /// change or a reset of someone else's. A wrong one counts towards the lockout.
    pub(crate) async fn confirm_password(&self, s: &Session, password: &str) -> Result<()> {
        if self.open_password_slot(s.staff_id, password).await?.is_some() {
            return Ok(());
        }
        let staff = staff::Entity::find_by_id(s.staff_id).one(self.store.connection()).await?;
        let Some(staff) = staff else { return Err(Error::InvalidCredentials) };
        Err(self.record_failed_login(&staff, "wrong current password").await)
    }

    pub(crate) async fn login_precheck(&self, username: &str) -> Result<staff::Model> {
        let found = staff::Entity::find()
            .filter(staff::Column::Username.eq(username.trim().to_ascii_lowercase()))
            .one(self.store.connection())
            .await?;
        let Some(staff) = found else {
            // The typed name is not recorded: it could be anything, even a patient's name.
            let mut w = self.work_as(self.system_actor("unknown", None), None).await?;
            w.audit(Event::new("auth.login", "staff").purpose("unknown user").outcome(Outcome::Failure));
            w.commit().await?;
            return Err(Error::InvalidCredentials);
        };
        let now = audit::now_micros();
        let refusal = if !staff.active {
            Some(("account disabled", Error::AccountDisabled))
        } else {
            staff
                .locked_until
                .filter(|u| *u > now)
                .map(|until| ("account locked", Error::AccountLocked { until: audit::format_micros(until) }))
        };
        if let Some((why, err)) = refusal {
            let mut w = self.work_as(self.system_actor("", Some(&staff)), None).await?;
            w.audit(Event::new("auth.login", "staff").entity(staff.id).purpose(why).outcome(Outcome::Denied));
            w.commit().await?;
            return Err(err);
        }
        Ok(staff)
    }

    pub(crate) async fn record_failed_login(&self, staff: &staff::Model, why: &'static str) -> Error {
        let result: Result<Error> = async {
            let mut w = self.work_as(self.system_actor("", Some(staff)), None).await?;
            // Re-read inside the transaction: concurrent failures must all count.
            let current =
                staff::Entity::find_by_id(staff.id).one(&w.tx).await?.ok_or(Error::InvalidCredentials)?;
            let failures = current.failed_attempts + 1;
            let mut row: staff::ActiveModel = current.into();
            let err = if failures >= MAX_FAILED_LOGINS {
                let until = audit::now_micros() + LOCKOUT_MICROS;
                row.failed_attempts = Set(0);
                row.locked_until = Set(Some(until));
                w.audit(
                    Event::new("auth.login", "staff").entity(staff.id).purpose(why).outcome(Outcome::Failure),
                );
                w.audit(
                    Event::new("auth.lockout", "staff").entity(staff.id).purpose("5 failed logins in a row"),
                );
                Error::AccountLocked { until: audit::format_micros(until) }
            } else {
                row.failed_attempts = Set(failures);
                w.audit(
                    Event::new("auth.login", "staff").entity(staff.id).purpose(why).outcome(Outcome::Failure),
                );
                Error::InvalidCredentials
            };
            row.update(&w.tx).await?;
            w.commit().await?;
            Ok(err)
        }
        .await;
        tracing::info!("login failed");
        result.unwrap_or_else(|e| e)
    }

    pub(crate) async fn finish_login(
        &self,
        staff: staff::Model,
        kek: SecretKey,
        meta: &clinic_meta::Model,
        method: &str,
        code: Option<&str>,
        slot: Option<&key_slot::Model>,
    ) -> Result<Session> {
        if !verify_mac(&kek, &kek_check_message(meta.kek_id, &meta.sealing), &meta.kek_check) {
            return Err(Error::Tampered("the clinic key check failed".into()));
        }
        let keys = unlock_keys(kek, meta)?;
        if meta.row_macs < crate::integrity::ROW_MACS {
            self.seal_rows(&keys).await?;
        } else if let Err(e) = crate::integrity::check_staff(&keys, &staff)
            .and_then(|()| slot.map_or(Ok(()), |s| crate::integrity::check_slot(&keys, s)))
        {
            let mut w = self.work_as(self.system_actor("", Some(&staff)), Some(&keys.checkpoint)).await?;
            w.audit(
                Event::new("auth.login", "staff")
                    .entity(staff.id)
                    .purpose("account or key slot changed outside Cuspid")
                    .outcome(Outcome::Denied),
            );
            w.commit().await?;
            tracing::warn!("sign-in refused: a staff row or key slot fails its MAC");
            return Err(e);
        }
        let role = Role::parse(&staff.role)
            .map_err(|_| Error::Tampered("a staff role is not a known one".into()))?;
        let factor = match self.second_factor(&staff, role, &keys, code)? {
            Ok(f) => f,
            Err(()) => return Err(wrong_code(self.record_failed_login(&staff, "wrong code").await)),
        };
        let settings = crate::settings::stored(self.store.connection()).await?;
        self.idle_minutes.store(settings.idle_lock_minutes, Ordering::Relaxed);
        if meta.bound_columns < crate::binding::BOUND_COLUMNS {
            self.bind_columns(&keys).await?;
        }
        if meta.index_version < crate::patients::INDEX_VERSION {
            self.reindex(&keys).await?;
        }
        let pending = matches!(factor, crate::mfa::SecondFactor::EnrolmentPending);
        let session =
            Session::new(staff.id, staff.username.clone(), role, self.workstation.clone(), keys, pending);
        let mut w = self.work_as(self.actor(&session), Some(&session.keys.checkpoint)).await?;
        if !self.spend_second_factor(&w.tx, staff.id, &factor).await? {
            w.tx.rollback().await?;
            return Err(wrong_code(self.record_failed_login(&staff, "code already used").await));
        }
        staff::Entity::update_many()
            .col_expr(staff::Column::FailedAttempts, 0.into())
            .col_expr(staff::Column::LockedUntil, Option::<i64>::None.into())
            .col_expr(staff::Column::LastLoginAt, Some(audit::now_micros()).into())
            .filter(staff::Column::Id.eq(staff.id))
            .exec(&w.tx)
            .await?;
        w.audit(
            Event::new("auth.login", "staff")
                .entity(session.staff_id)
                .purpose(format!("{method}{}", factor.describe())),
        );
        w.commit().await?;
        tracing::info!(role = role.as_str(), method, "logged in");
        Ok(session)
    }

    /// Give the staff rows and key slots of a clinic written before row MACs theirs
    /// (trusted as they stand at this first sign-in), in one transaction.
    async fn seal_rows(&self, keys: &ClinicKeys) -> Result<()> {
        let tx = self.store.begin().await?;
        let current = clinic_meta::Entity::find_by_id(1).one(&tx).await?.ok_or(Error::NotInitialised)?;
        if current.row_macs >= crate::integrity::ROW_MACS {
            return Ok(());
        }
        crate::integrity::remac_slots(&tx, &keys.audit_key, None).await?;
        let event =
            Event::new("staff.row_macs", "staff").purpose("staff rows and key slots given their MACs");
        let value = crate::integrity::ROW_MACS;
        self.finish_upgrade(tx, keys, "upgrade", event, (clinic_meta::Column::RowMacs, value), |m| {
            m.row_macs = value;
        })
        .await
    }

    /// End a one-time upgrade of the stored format in its own transaction: set the
    /// metadata's `column` to `value`, log `event`, commit, move the checkpoint and
    /// the cached metadata (`cached`).
    async fn finish_upgrade(
        &self,
        tx: DatabaseTransaction,
        keys: &ClinicKeys,
        actor: &str,
        event: Event,
        (column, value): (clinic_meta::Column, i32),
        cached: impl FnOnce(&mut clinic_meta::Model),
    ) -> Result<()> {
        clinic_meta::Entity::update_many()
            .col_expr(column, value.into())
            .filter(clinic_meta::Column::Id.eq(1))
            .exec(&tx)
            .await?;
        let mut audit = AuditWriter::begin(&tx).await?;
        audit.append(&self.system_actor(actor, None), event);
        let (seq, hash) = audit.flush(&tx).await?;
        tx.commit().await?;
        self.save_checkpoint(&keys.checkpoint, seq, hash);
        if let Ok(mut m) = self.meta.write()
            && let Some(m) = m.as_mut()
        {
            cached(m);
        }
        Ok(())
    }

    /// Bind the sealed values of a clinic written by an earlier build to their rows'
    /// plain columns, in one transaction (another workstation doing the same finds it
    /// done). It happens once: the flag turned back by SQL, to launder an older value
    /// through it, is refused, since the log already says it was done.
    async fn bind_columns(&self, keys: &ClinicKeys) -> Result<()> {
        let tx = self.store.begin().await?;
        let current = clinic_meta::Entity::find_by_id(1).one(&tx).await?.ok_or(Error::NotInitialised)?;
        if current.bound_columns >= crate::binding::BOUND_COLUMNS {
            return Ok(());
        }
        let done_before = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq(BIND_ACTION))
            .one(&tx)
            .await?
            .is_some();
        if done_before {
            return Err(Error::Tampered(
                "the database says its values were never bound to their rows, but the log says they were"
                    .into(),
            ));
        }
        let done = crate::binding::bind_all(&tx, keys).await?;
        let event = Event::new(BIND_ACTION, "clinic").purpose(format!(
            "{} sealed values bound to their rows' plain columns, {} did not open",
            done.values, done.unreadable
        ));
        let value = crate::binding::BOUND_COLUMNS;
        self.finish_upgrade(tx, keys, "upgrade", event, (clinic_meta::Column::BoundColumns, value), |m| {
            m.bound_columns = value;
        })
        .await?;
        tracing::info!(
            values = done.values,
            unreadable = done.unreadable,
            "sealed values bound to their rows"
        );
        Ok(())
    }

    /// Bring the blind indexes of a clinic written by an earlier build to today's
    /// format, in one transaction (another workstation doing the same finds it done).
    async fn reindex(&self, keys: &ClinicKeys) -> Result<()> {
        let tx = self.store.begin().await?;
        let current = clinic_meta::Entity::find_by_id(1).one(&tx).await?.ok_or(Error::NotInitialised)?;
        if current.index_version >= crate::patients::INDEX_VERSION {
            return Ok(());
        }
        let count = crate::patients::reindex_names(&tx, keys).await?;
        let event =
            Event::new("patient.reindex", "patient").purpose(format!("{count} records' name indexes"));
        let value = crate::patients::INDEX_VERSION;
        self.finish_upgrade(tx, keys, "re-index", event, (clinic_meta::Column::IndexVersion, value), |m| {
            m.index_version = value;
        })
        .await?;
        tracing::info!(count, "blind indexes brought to the current format");
        Ok(())
    }

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
                Event::new("auth.recover", "clinic").purpose("wrong recovery key").outcome(Outcome::Failure),
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
        w.audit(Event::new("auth.recover", "staff").entity(admin.id).purpose("new administrator password"));
        w.commit().await?;
        tracing::info!("administrator password reset with the recovery key");
        Ok(())
    }

    // ---- keys and workstation ----------------------------------------------

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
        if s.keys.sealing {
            // An erased patient's data key is destroyed: there is nothing to re-wrap.
            let rows: Vec<(Uuid, Vec<u8>)> = patient::Entity::find()
                .filter(patient::Column::Status.ne(crate::patients::gdpr::ERASED))
                .select_only()
                .column(patient::Column::Id)
                .column(patient::Column::DekWrapped)
                .into_tuple()
                .all(&w.tx)
                .await?;
            for (id, wrapped) in rows {
                let ctx = crate::patients::dek_context(id);
                let dek = unwrap_key(old, &ctx, &wrapped)
                    .ok_or_else(|| Error::Tampered(format!("the data key of record {id} does not open")))?;
                patient::Entity::update_many()
                    .col_expr(patient::Column::DekWrapped, wrap_key(&new_kek, &ctx, &dek).into())
                    .col_expr(patient::Column::KekId, new_id.into())
                    .filter(patient::Column::Id.eq(id))
                    .exec(&w.tx)
                    .await?;
                patient_count += 1;
            }
        }

        let erasures = crate::store::entities::erasure::Entity::find()
            .filter(crate::store::entities::erasure::Column::RetentionKey.is_not_null())
            .all(&w.tx)
            .await?;
        for e in erasures {
            let Some(wrapped) = &e.retention_key else { continue };
            let ctx = crate::gdpr::erasure::retention_key_context(e.patient_id);
            let key = unwrap_key(old, &ctx, wrapped).ok_or_else(|| {
                Error::Tampered(format!("the retention key of erasure {} does not open", e.id))
            })?;
            crate::store::entities::erasure::Entity::update_many()
                .col_expr(
                    crate::store::entities::erasure::Column::RetentionKey,
                    wrap_key(&new_kek, &ctx, &key).into(),
                )
                .filter(crate::store::entities::erasure::Column::Id.eq(e.id))
                .exec(&w.tx)
                .await?;
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
            Event::new("keys.rotate", "clinic")
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

    // ---- audit ----------------------------------------------------------------

    /// Walk the whole chain, and check it still reaches this workstation's checkpoint.
    pub async fn verify_audit(&self, s: &Session) -> Result<VerifyReport> {
        let permit = self.authorize(s, Action::AuditVerify).await?;
        let meta = self.meta()?;
        // The newest of this workstation's checkpoints (its state folder, the mirror).
        // Signing in wrote one, so none at all means someone deleted them.
        let mut checkpoint = None;
        let mut unreadable = None;
        for dir in std::iter::once(&self.state_dir).chain(self.checkpoint_mirror.as_ref()) {
            match audit::checkpoint_load(dir, meta.clinic_id, &s.keys.checkpoint) {
                Ok(found)
                    if found.as_ref().map(|c| c.seq) > checkpoint.as_ref().map(|c: &Checkpoint| c.seq) =>
                {
                    checkpoint = found;
                }
                Ok(_) => {}
                Err(e) => unreadable = Some(e),
            }
        }
        // The walk reads committed events without holding the write lock; its own
        // event is appended afterwards, saying what it found.
        let result = match (unreadable, checkpoint) {
            (Some(e), _) => Err(e),
            (None, Some(cp)) => audit::verify_chain(&self.store, Some(cp)).await,
            (None, None) => Err(Error::CheckpointMissing),
        };
        // The staff rows and key slots, against their MACs.
        let result = match result {
            Ok(r) => crate::integrity::check_all(self.store.connection(), &s.keys).await.map(|_| r),
            Err(e) => Err(e),
        };
        let event = match &result {
            Ok(r) => Event::new("audit.verify", "audit").purpose(format!("{} events verified", r.events)),
            Err(e) => Event::new("audit.verify", "audit").purpose(e.to_string()).outcome(Outcome::Failure),
        };
        let mut w = self.work(permit).await?;
        w.audit(event);
        w.commit().await?;
        result
    }

    /// The events `filter` selects as CSV, for the DPO to keep or send (the export is
    /// itself audited by the listing).
    pub async fn audit_csv(&self, s: &Session, filter: &AuditFilter) -> Result<String> {
        let events = self.list_audit(s, filter).await?;
        let fail = |_| Error::Internal("the audit events could not be written as CSV".into());
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "seq",
            "at",
            "actor",
            "role",
            "workstation",
            "action",
            "entity_type",
            "entity_id",
            "patient_id",
            "purpose",
            "outcome",
        ])
        .map_err(fail)?;
        for e in events {
            w.write_record(
                [
                    e.seq.to_string(),
                    e.at,
                    e.actor,
                    e.role,
                    e.workstation,
                    e.action,
                    e.entity_type,
                    e.entity_id.unwrap_or_default(),
                    e.patient_id.map(|p| p.to_string()).unwrap_or_default(),
                    e.purpose,
                    e.outcome,
                ]
                .map(crate::files::csv_cell),
            )
            .map_err(fail)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|_| Error::Internal("the audit events could not be written as CSV".into()))?;
        String::from_utf8(bytes)
            .map_err(|_| Error::Internal("the audit events could not be written as CSV".into()))
    }

    /// Events matching every given filter, oldest first.
    pub async fn list_audit(&self, s: &Session, filter: &AuditFilter) -> Result<Vec<AuditEventDto>> {
        let mut w = self.begin(s, Action::AuditList).await?;
        let mut q = audit_event::Entity::find().order_by_asc(audit_event::Column::Seq);
        if let Some(p) = filter.patient {
            q = q.filter(audit_event::Column::SubjectId.eq(p));
        }
        if let Some(staff) = &filter.staff {
            q = q.filter(audit_event::Column::Actor.eq(staff.as_str()));
        }
        if let Some(action) = &filter.action {
            q = q.filter(audit_event::Column::Action.eq(action.as_str()));
        }
        if let Some(since) = filter.since {
            q = q.filter(audit_event::Column::At.gte(since.timestamp_micros()));
        }
        if let Some(until) = filter.until {
            q = q.filter(audit_event::Column::At.lt(until.timestamp_micros()));
        }
        if let Some(limit) = filter.limit {
            q = q.limit(limit);
        }
        let rows = q.all(&w.tx).await?;
        w.audit(Event::new("audit.list", "audit").purpose(format!("{} events listed", rows.len())));
        w.commit().await?;
        Ok(rows.into_iter().map(AuditEventDto::from).collect())
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

fn new_recovery_slot(rk: &RecoveryKey, kek_id: Uuid, kek: &SecretKey) -> key_slot::ActiveModel {
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

fn unlock_keys(kek: SecretKey, meta: &clinic_meta::Model) -> Result<ClinicKeys> {
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
fn checkpoint_keys(
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

/// A failed second factor says so (the password was right); a lockout stays a lockout.
fn wrong_code(e: Error) -> Error {
    if matches!(e, Error::InvalidCredentials) { Error::InvalidTotp } else { e }
}

pub(crate) fn key_context(what: &str, kek_id: Uuid) -> Vec<u8> {
    let mut c = what.as_bytes().to_vec();
    c.push(b'/');
    c.extend_from_slice(kek_id.as_bytes());
    c
}

/// The event that records the one-time binding of sealed values to their rows.
const BIND_ACTION: &str = "clinic.bind_columns";

/// What the key check value authenticates: the key id and the sealing mode, so
/// that flipping the benchmark-only "sealing off" flag in the database is caught.
fn kek_check_message(kek_id: Uuid, sealing: &str) -> Vec<u8> {
    let mut m = key_context("kek-check", kek_id);
    m.push(b'/');
    m.extend_from_slice(sealing.as_bytes());
    m
}

pub(crate) fn kek_check(kek: &SecretKey, kek_id: Uuid, sealing: &str) -> [u8; 32] {
    mac(kek, &kek_check_message(kek_id, sealing))
}

async fn derive_password_key_blocking(password: &str, salt: &[u8], params: KdfParams) -> Result<SecretKey> {
    let password = Zeroizing::new(password.to_owned());
    let salt = salt.to_vec();
    // Argon2id takes ~0.1 s of CPU: keep it off the async workers.
    tokio::task::spawn_blocking(move || derive_password_key(&password, &salt, params))
        .await
        .map_err(|_| Error::Internal("key derivation task failed".into()))?
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
