//! Signing in: a password (and, for enrolled accounts, a second factor) opens the
//! person's key slot; failures are audited and five in a row lock the account.

use std::sync::atomic::Ordering;

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event, Outcome};
use crate::auth::{self, Role, Session, SlotKind};
use crate::crypto::{KdfParams, SecretKey, verify_mac};
use crate::error::{Error, Result};
use crate::store::entities::{clinic_meta, key_slot, staff};

use super::keys::{derive_password_key_blocking, kek_check_message, unlock_keys};
use super::{Clinic, LOCKOUT_MICROS, MAX_FAILED_LOGINS};

impl Clinic {
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
            w.audit(
                Event::new(AuditAction::AuthLogin, "staff").purpose("unknown user").outcome(Outcome::Failure),
            );
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
            w.audit(
                Event::new(AuditAction::AuthLogin, "staff")
                    .entity(staff.id)
                    .purpose(why)
                    .outcome(Outcome::Denied),
            );
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
                    Event::new(AuditAction::AuthLogin, "staff")
                        .entity(staff.id)
                        .purpose(why)
                        .outcome(Outcome::Failure),
                );
                w.audit(
                    Event::new(AuditAction::AuthLockout, "staff")
                        .entity(staff.id)
                        .purpose("5 failed logins in a row"),
                );
                Error::AccountLocked { until: audit::format_micros(until) }
            } else {
                row.failed_attempts = Set(failures);
                w.audit(
                    Event::new(AuditAction::AuthLogin, "staff")
                        .entity(staff.id)
                        .purpose(why)
                        .outcome(Outcome::Failure),
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
                Event::new(AuditAction::AuthLogin, "staff")
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
        let settings = crate::admin::settings::stored(self.store.connection()).await?;
        self.idle_minutes.store(settings.idle_lock_minutes, Ordering::Relaxed);
        if meta.bound_columns < crate::binding::BOUND_COLUMNS {
            self.bind_columns(&keys).await?;
        }
        if meta.index_version < crate::patients::INDEX_VERSION {
            self.reindex(&keys).await?;
        }
        let pending = matches!(factor, crate::auth::mfa::SecondFactor::EnrolmentPending);
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
            Event::new(AuditAction::AuthLogin, "staff")
                .entity(session.staff_id)
                .purpose(format!("{method}{}", factor.describe())),
        );
        w.commit().await?;
        tracing::info!(role = role.as_str(), method, "logged in");
        Ok(session)
    }
}

/// A failed second factor says so (the password was right); a lockout stays a lockout.
pub(super) fn wrong_code(e: Error) -> Error {
    if matches!(e, Error::InvalidCredentials) { Error::InvalidTotp } else { e }
}
