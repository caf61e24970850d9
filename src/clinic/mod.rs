//! The front door: a `Clinic` handle opened from a config. Every use case is a
//! method taking the acting `Session`; each one checks the permission table,
//! does its work and appends its audit event in one transaction.

use std::path::PathBuf;
use std::sync::RwLock;
use std::sync::atomic::AtomicU32;

use sea_orm::{DatabaseTransaction, EntityTrait};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{self, Actor, AuditAction, AuditWriter, Checkpoint, CheckpointKeys, Event, Outcome};
use crate::auth::sessions::SessionLimits;
use crate::auth::{self, Action, Session};
use crate::crypto::KdfParams;
use crate::error::{Error, Result};
use crate::store::entities::{clinic_meta, staff};
use crate::store::{Location, Store};

mod audit_queries;
mod handles;
pub(crate) mod hooks;
mod keys;
mod recovery_sheet;
mod setup;
mod sign_in;
mod upgrade;

pub use handles::{Admin, Clinical, Gdpr, Patients};
pub use recovery_sheet::recovery_key_sheet;

pub(crate) use keys::{checkpoint_context, kek_check, key_context, replace_password_slot};
pub(crate) use setup::{check_password_policy, validate_username};

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
    action: Action,
}

impl<'s> Permit<'s> {
    pub(crate) fn session(&self) -> &'s Session {
        self.session
    }

    /// The action this permit allows.
    pub(crate) fn action(&self) -> Action {
        self.action
    }
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
            idle_minutes: AtomicU32::new(crate::admin::settings::Settings::default().idle_lock_minutes),
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
            return Ok(Permit { session: s, action });
        }
        let mut w = self.work_as(self.actor(s), Some(&s.keys.checkpoint)).await?;
        w.audit(Event::new(action, "permission").outcome(Outcome::Denied));
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
        let mut event = Event::new(AuditAction::IntegrityFailure, "integrity")
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
}
