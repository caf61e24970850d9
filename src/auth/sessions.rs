//! How long a session lives, and what ends it: the idle limit (the clinic's idle-lock
//! setting), an absolute limit, a lock, a logout. Enforced here, in the core, on every
//! permission check, so a web view that stops counting cannot keep keys alive.

use std::sync::atomic::Ordering;
use std::time::Duration;

use sea_orm::{EntityTrait, QuerySelect};
use uuid::Uuid;

use crate::audit::{AuditAction, Event, Outcome};
use crate::auth::{Role, Session};
use crate::clinic::Clinic;
use crate::error::{Error, Result};
use crate::store::entities::{clinic_meta, staff};

/// The limits a session keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    /// Idle span; `None` means the clinic's idle-lock setting (5 minutes unless changed).
    pub idle: Option<Duration>,
    /// From sign-in to the forced new sign-in, whatever the activity.
    pub absolute: Duration,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits { idle: None, absolute: Duration::from_secs(12 * 3600) }
    }
}

/// What a locked workstation keeps of a session: who locked it, no keys.
/// Only [`Clinic::lock`] makes one, so an unlock is always for the user who locked.
#[derive(Debug)]
pub struct LockedSession {
    staff_id: Uuid,
    username: String,
}

impl LockedSession {
    pub fn username(&self) -> &str {
        &self.username
    }
}

/// What a person types to prove it is them.
#[derive(Debug, Clone, Copy)]
pub enum Credential<'a> {
    Password(&'a str),
    /// On a workstation that remembers them, with the OS keyring's secret.
    Pin(&'a str),
}

impl Clinic {
    /// The idle span in force.
    pub fn idle_limit(&self) -> Duration {
        self.limits
            .idle
            .unwrap_or_else(|| Duration::from_secs(60 * u64::from(self.idle_minutes.load(Ordering::Relaxed))))
    }

    /// Whether `s` has outlived its idle or absolute limit (the shell's watcher asks).
    pub fn session_expired(&self, s: &Session) -> bool {
        s.idle_for() > self.idle_limit() || s.age() > self.limits.absolute
    }

    /// Someone is at the keyboard (the shell's activity ping): the idle span starts
    /// again, unless it has already run out.
    pub fn keep_alive(&self, s: &Session) -> Result<()> {
        if self.session_expired(s) {
            return Err(Error::SessionTimedOut);
        }
        s.touch();
        Ok(())
    }

    /// Checked before every permission: the limits, then the account as stored now
    /// (a disabled or demoted account's open session is refused at its next action).
    pub(crate) async fn check_session_live(&self, s: &Session) -> Result<()> {
        if self.session_expired(s) {
            self.audit_session_end(s, AuditAction::AuthSessionExpired, "idle or absolute limit passed")
                .await?;
            return Err(Error::SessionTimedOut);
        }
        let row = staff::Entity::find_by_id(s.staff_id).one(self.store().connection()).await?;
        let macs = self.meta()?.row_macs >= crate::integrity::ROW_MACS;
        // The clinic key as stored now: a rotation on another workstation ends this
        // session too (its keys, the checkpoint key among them, are the old ones).
        let kek_id: Option<Uuid> = clinic_meta::Entity::find_by_id(1)
            .select_only()
            .column(clinic_meta::Column::KekId)
            .into_tuple()
            .one(self.store().connection())
            .await?;
        let refusal = match row {
            None => Some(("account removed", Error::SessionExpired)),
            Some(_) if kek_id != Some(s.keys.kek_id) => Some(("clinic key rotated", Error::SessionExpired)),
            // A row changed outside Cuspid first: its role or flag cannot be believed.
            Some(r) if macs && crate::integrity::check_staff(&s.keys, &r).is_err() => Some((
                "account changed outside Cuspid",
                Error::Tampered(format!("staff account {} was changed outside Cuspid", r.id)),
            )),
            Some(r) if !r.active => Some(("account disabled", Error::AccountDisabled)),
            Some(r) if Role::parse(&r.role).ok() != Some(s.role) => {
                Some(("role changed", Error::SessionExpired))
            }
            Some(_) => None,
        };
        if let Some((why, err)) = refusal {
            // A session whose keys were rotated away must not move the checkpoint.
            let checkpoint = (kek_id == Some(s.keys.kek_id)).then_some(&s.keys.checkpoint);
            let mut w = self.work_as(self.actor(s), checkpoint).await?;
            w.audit(
                Event::new(AuditAction::AuthSession, "staff")
                    .entity(s.staff_id)
                    .purpose(why)
                    .outcome(Outcome::Denied),
            );
            w.commit().await?;
            return Err(err);
        }
        s.touch();
        Ok(())
    }

    /// Lock the screen: the event is audited and the caller drops `s` (its keys are
    /// zeroized with the last reference); only `s`'s user can unlock.
    pub async fn lock(&self, s: &Session, reason: &str) -> Result<LockedSession> {
        self.audit_session_end(s, AuditAction::AuthLock, reason).await?;
        Ok(LockedSession { staff_id: s.staff_id, username: s.username.clone() })
    }

    /// Unlock for the user who locked, with that user's own secret and, if they are
    /// enrolled, a fresh second-factor code (a full sign-in: a wrong one counts
    /// towards the lockout).
    pub async fn unlock(
        &self,
        locked: &LockedSession,
        credential: Credential<'_>,
        code: Option<&str>,
    ) -> Result<Session> {
        let user = &locked.username;
        let s = match credential {
            Credential::Password(p) => self.login_as(user, p, code, "unlock with password").await?,
            Credential::Pin(pin) => self.login_with_pin(user, pin, code, "unlock with PIN").await?,
        };
        if s.staff_id != locked.staff_id {
            return Err(Error::Tampered("the account that locked this screen changed".into()));
        }
        Ok(s)
    }

    /// Someone else takes the locked workstation: the locked session is abandoned.
    pub async fn switch_user(&self, locked: LockedSession) -> Result<()> {
        let staff = staff::Entity::find_by_id(locked.staff_id).one(self.store().connection()).await?;
        let mut w = self.work_as(self.system_actor(&locked.username, staff.as_ref()), None).await?;
        w.audit(Event::new(AuditAction::AuthSwitchUser, "staff").entity(locked.staff_id));
        w.commit().await
    }

    /// Sign out; the caller drops `s`.
    pub async fn logout(&self, s: &Session) -> Result<()> {
        self.audit_session_end(s, AuditAction::AuthLogout, "signed out").await
    }

    async fn audit_session_end(&self, s: &Session, action: AuditAction, why: &str) -> Result<()> {
        let mut w = self.work_as(self.actor(s), Some(&s.keys.checkpoint)).await?;
        w.audit(Event::new(action, "staff").entity(s.staff_id).purpose(why));
        w.commit().await
    }
}
