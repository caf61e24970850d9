//! Staff accounts: add, list, disable, change password.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, Role, Session};
use crate::clinic::{Admin, check_password_policy, replace_password_slot, validate_username};
use crate::error::{Error, Result};
use crate::rules::{Rule, Subject};
use crate::store::entities::{key_slot, staff};

/// A staff account as shown to administrators.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ts_rs::TS)]
pub struct StaffDto {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub active: bool,
    pub last_login_at: Option<String>,
    pub locked_until: Option<String>,
    /// Whether they sign in with a second factor (TOTP).
    pub mfa: bool,
}

impl StaffDto {
    fn from_model(m: staff::Model) -> Result<Self> {
        Ok(StaffDto {
            id: m.id,
            role: Role::parse(&m.role)?,
            username: m.username,
            active: m.active,
            last_login_at: m.last_login_at.map(audit::format_micros),
            locked_until: m.locked_until.filter(|u| *u > audit::now_micros()).map(audit::format_micros),
            mfa: m.totp_sealed.is_some(),
        })
    }
}

impl Admin<'_> {
    /// Add a staff member with a role and a first password (a new key slot).
    pub async fn add_staff(
        &self,
        s: &Session,
        username: &str,
        role: Role,
        password: &str,
    ) -> Result<StaffDto> {
        // The permission first: nobody without it makes the core run Argon2id.
        let permit = self.authorize(s, Action::StaffManage).await?;
        let username = validate_username(username)?;
        check_password_policy(password)?;
        self.check_key_current(s)?;
        let id = Uuid::now_v7();
        // Derive the slot before taking the write lock: Argon2id is slow on purpose.
        let slot = self.new_password_slot(id, password, s.keys.kek_id, &s.keys.kek).await?;
        let mut w = self.work(permit).await?;
        if staff::Entity::find().filter(staff::Column::Username.eq(&username)).one(&w.tx).await?.is_some() {
            return Err(Error::AlreadyExists(Subject::StaffUserName));
        }
        let model = staff::Model {
            id,
            username,
            role: role.as_str().into(),
            active: true,
            failed_attempts: 0,
            locked_until: None,
            last_login_at: None,
            created_at: audit::now_micros(),
            totp_sealed: None,
            totp_last_step: None,
            row_mac: None,
        };
        staff::Entity::insert(staff::ActiveModel::from(model.clone())).exec(&w.tx).await?;
        key_slot::Entity::insert(slot).exec(&w.tx).await?;
        crate::integrity::remac_staff(&w.tx, &s.keys.audit_key, id).await?;
        crate::integrity::remac_slots(&w.tx, &s.keys.audit_key, Some(id)).await?;
        w.audit(Event::new(AuditAction::StaffAdd, "staff").entity(id).purpose(role.as_str()));
        w.commit().await?;
        StaffDto::from_model(model)
    }

    pub async fn list_staff(&self, s: &Session) -> Result<Vec<StaffDto>> {
        let mut w = self.begin(s, Action::StaffList).await?;
        let rows = staff::Entity::find().order_by_asc(staff::Column::Username).all(&w.tx).await?;
        w.audit(Event::new(AuditAction::StaffList, "staff"));
        w.commit().await?;
        rows.into_iter().map(StaffDto::from_model).collect()
    }

    /// Disable an account. Its password slot is destroyed too, so the old password
    /// no longer opens the clinic key even on a copy of the database made later.
    pub async fn disable_staff(&self, s: &Session, username: &str) -> Result<StaffDto> {
        let mut w = self.begin(s, Action::StaffManage).await?;
        let target = find_staff(&w.tx, username).await?;
        if target.id == s.staff_id() {
            return Err(Error::InvalidInput(Rule::DisableSelf));
        }
        key_slot::Entity::delete_many().filter(key_slot::Column::StaffId.eq(target.id)).exec(&w.tx).await?;
        let mut row: staff::ActiveModel = target.clone().into();
        row.active = Set(false);
        let updated = row.update(&w.tx).await?;
        crate::integrity::remac_staff(&w.tx, &s.keys.audit_key, target.id).await?;
        w.audit(Event::new(AuditAction::StaffDisable, "staff").entity(target.id));
        w.commit().await?;
        StaffDto::from_model(updated)
    }

    /// Give a staff member another role. Their open sessions are refused at their next
    /// action; a role that may not be remembered on a workstation loses its workstation slots.
    pub async fn set_staff_role(&self, s: &Session, username: &str, role: Role) -> Result<StaffDto> {
        let mut w = self.begin(s, Action::StaffManage).await?;
        let target = find_staff(&w.tx, username).await?;
        if target.id == s.staff_id() {
            return Err(Error::InvalidInput(Rule::ChangeOwnRole));
        }
        if !crate::auth::allowed(role, Action::WorkstationEnroll) {
            key_slot::Entity::delete_many()
                .filter(key_slot::Column::StaffId.eq(target.id))
                .filter(key_slot::Column::Kind.eq(crate::auth::SlotKind::Workstation.as_str()))
                .exec(&w.tx)
                .await?;
        }
        let before = target.role.clone();
        let mut row: staff::ActiveModel = target.clone().into();
        row.role = Set(role.as_str().into());
        let updated = row.update(&w.tx).await?;
        crate::integrity::remac_staff(&w.tx, &s.keys.audit_key, target.id).await?;
        w.audit(
            Event::new(AuditAction::StaffRole, "staff")
                .entity(target.id)
                .purpose(format!("{before} -> {}", role.as_str())),
        );
        w.commit().await?;
        StaffDto::from_model(updated)
    }

    /// Change a password. Anyone may change their own, confirming the current one;
    /// an administrator may reset anyone's (which also re-enables a disabled account
    /// and lifts a lockout), confirming their own password again. `confirm` is that
    /// password: the acting person's own, as stored now.
    pub async fn change_password(
        &self,
        s: &Session,
        username: &str,
        new_password: &str,
        confirm: &str,
    ) -> Result<()> {
        let own = validate_username(username)? == s.username();
        let action = if own { Action::OwnPassword } else { Action::StaffManage };
        // Refuse before looking the name up (a refusal must not reveal who exists)
        // and before any Argon2 run.
        let permit = self.authorize(s, action).await?;
        check_password_policy(new_password)?;
        self.check_key_current(s)?;
        self.confirm_password(s, confirm).await?;
        let target = find_staff(self.store.connection(), username).await?;
        let slot = self.new_password_slot(target.id, new_password, s.keys.kek_id, &s.keys.kek).await?;
        let mut w = self.work(permit).await?;
        replace_password_slot(&w.tx, target.id, slot).await?;
        let mut row: staff::ActiveModel = target.clone().into();
        row.active = Set(true);
        row.failed_attempts = Set(0);
        row.locked_until = Set(None);
        row.update(&w.tx).await?;
        crate::integrity::remac_staff(&w.tx, &s.keys.audit_key, target.id).await?;
        crate::integrity::remac_slots(&w.tx, &s.keys.audit_key, Some(target.id)).await?;
        w.audit(Event::new(AuditAction::StaffPasswd, "staff").entity(target.id).purpose(if own {
            "own, current password confirmed"
        } else {
            "reset by an administrator, their password confirmed"
        }));
        w.commit().await
    }
}

async fn find_staff<C: sea_orm::ConnectionTrait>(db: &C, username: &str) -> Result<staff::Model> {
    staff::Entity::find()
        .filter(staff::Column::Username.eq(username.trim().to_ascii_lowercase()))
        .one(db)
        .await?
        .ok_or(Error::NotFound(Subject::StaffUserName))
}
