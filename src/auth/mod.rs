//! Roles, the permission table, and the acting session every use case takes.

mod keys;
pub mod mfa;
pub mod sessions;
pub mod workstation;

pub use keys::ClinicKeys;
#[cfg(test)]
pub(crate) use keys::seal_slot_with;
pub(crate) use keys::{SlotKind, open_slot, seal_slot, slot_pk_of as slot_pk, slot_public_key};

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::rules::Rule;

/// What a staff member is at the clinic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Receptionist,
    Assistant,
    Dentist,
    Owner,
    Dpo,
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Receptionist, Role::Assistant, Role::Dentist, Role::Owner, Role::Dpo, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Receptionist => "receptionist",
            Role::Assistant => "assistant",
            Role::Dentist => "dentist",
            Role::Owner => "owner",
            Role::Dpo => "dpo",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
            .ok_or(Error::InvalidInput(Rule::UnknownRole))
    }
}

crate::store::codes::text_codes! {
    /// Every use case that needs a permission, by the machine name audit events and the
    /// UI use (`patient.register`). `describe` is what a refusal says.
    pub enum Action {
        PatientRegister = "patient.register",
        PatientSearch = "patient.search",
        PatientRead = "patient.read",
        PatientUpdate = "patient.update",
        PatientHistory = "patient.history",
        StaffList = "staff.list",
        StaffManage = "staff.manage",
        KeysRotate = "keys.rotate",
        AuditVerify = "audit.verify",
        AuditList = "audit.list",
        WorkstationEnroll = "workstation.enroll",
        OwnPassword = "staff.own_password",
        ConsentRecord = "consent.record",
        NoticeRead = "notice.read",
        NoticeManage = "notice.manage",
        SettingsRead = "settings.read",
        SettingsManage = "settings.manage",
        RequestManage = "request.manage",
        PatientRestrict = "patient.restrict",
        RetentionManage = "retention.manage",
        PatientExport = "patient.export",
        PatientErase = "patient.erase",
        BreachManage = "breach.manage",
        ChartRead = "chart.read",
        ChartWrite = "chart.write",
        CatalogueManage = "catalogue.manage",
        MfaManage = "staff.own_mfa",
    }
}

const Y: bool = true;
const N: bool = false;

/// The permission table: one row per action, columns in `Role::ALL` order
/// (receptionist, assistant, dentist, owner, dpo, admin). ARCHITECTURE.md prints it;
/// a test keeps the two equal.
pub const PERMISSIONS: [(Action, [bool; 6]); 27] = [
    (Action::PatientRegister, [Y, Y, Y, N, N, N]),
    (Action::PatientSearch, [Y, Y, Y, N, Y, N]),
    (Action::PatientRead, [Y, Y, Y, N, Y, N]),
    (Action::PatientUpdate, [Y, N, Y, N, Y, N]),
    (Action::PatientHistory, [N, N, N, N, Y, N]),
    (Action::StaffList, [N, N, N, Y, Y, Y]),
    (Action::StaffManage, [N, N, N, N, N, Y]),
    (Action::KeysRotate, [N, N, N, N, N, Y]),
    (Action::AuditVerify, [N, N, N, Y, Y, Y]),
    (Action::AuditList, [N, N, N, N, Y, Y]),
    (Action::WorkstationEnroll, [Y, Y, Y, Y, N, N]),
    (Action::OwnPassword, [Y, Y, Y, Y, Y, Y]),
    (Action::ConsentRecord, [Y, Y, Y, N, Y, N]),
    (Action::NoticeRead, [Y, Y, Y, Y, Y, Y]),
    (Action::NoticeManage, [N, N, N, N, Y, Y]),
    (Action::SettingsRead, [Y, Y, Y, Y, Y, Y]),
    (Action::SettingsManage, [N, N, N, N, N, Y]),
    (Action::RequestManage, [N, N, N, N, Y, N]),
    (Action::PatientRestrict, [N, N, N, N, Y, N]),
    (Action::RetentionManage, [N, N, N, N, Y, N]),
    (Action::PatientExport, [N, N, N, N, Y, N]),
    (Action::PatientErase, [N, N, N, N, Y, N]),
    (Action::BreachManage, [N, N, N, N, Y, N]),
    (Action::ChartRead, [N, Y, Y, N, N, N]),
    (Action::ChartWrite, [N, Y, Y, N, N, N]),
    (Action::CatalogueManage, [N, N, Y, Y, N, Y]),
    (Action::MfaManage, [Y, Y, Y, Y, Y, Y]),
];

impl Action {
    pub fn describe(self) -> &'static str {
        match self {
            Action::PatientRegister => "register patients",
            Action::PatientSearch => "search patients",
            Action::PatientRead => "open patient records",
            Action::PatientUpdate => "change patient records",
            Action::PatientHistory => "read the rectification history",
            Action::StaffList => "list staff accounts",
            Action::StaffManage => "manage staff accounts",
            Action::KeysRotate => "rotate the clinic key",
            Action::AuditVerify => "verify the audit log",
            Action::AuditList => "read the audit log",
            Action::WorkstationEnroll => {
                "be remembered on a workstation (administrator and DPO accounts never are)"
            }
            Action::OwnPassword => "change their own password",
            Action::ConsentRecord => "record consent",
            Action::NoticeRead => "read the privacy notice",
            Action::NoticeManage => "publish privacy notices",
            Action::SettingsRead => "read the settings",
            Action::SettingsManage => "change the settings",
            Action::RequestManage => "keep the data-subject request log",
            Action::PatientRestrict => "restrict the processing of a patient's data",
            Action::RetentionManage => "change the retention schedule and the Article 30 register",
            Action::PatientExport => "export a patient's data (access and portability)",
            Action::PatientErase => "erase a patient's data",
            Action::BreachManage => "keep the breach register and send breach notices",
            Action::ChartRead => "read the clinical record (chart, history, notes, X-rays, plans)",
            Action::ChartWrite => "write in the clinical record (chart, history, notes, X-rays, plans)",
            Action::CatalogueManage => "edit the procedure catalogue",
            Action::MfaManage => "set up their own two-factor sign-in",
        }
    }
}

/// Whether `role` may perform `action`, by the one table.
pub fn allowed(role: Role, action: Action) -> bool {
    let col = Role::ALL.iter().position(|r| *r == role).unwrap_or(usize::MAX);
    PERMISSIONS.iter().find(|(a, _)| *a == action).and_then(|(_, row)| row.get(col).copied()).unwrap_or(false)
}

/// The permission table as the Markdown printed in ARCHITECTURE.md.
pub fn permission_table_markdown() -> String {
    let mut out = String::from("| action |");
    for r in Role::ALL {
        out.push_str(&format!(" {} |", r.as_str()));
    }
    out.push_str("\n| --- |");
    out.push_str(&" :-: |".repeat(Role::ALL.len()));
    for (action, row) in PERMISSIONS {
        out.push_str(&format!("\n| `{}` |", action.as_str()));
        for ok in row {
            out.push_str(if ok { " yes |" } else { " no |" });
        }
    }
    out.push('\n');
    out
}

/// Who is acting, from where, holding the clinic keys unlocked at login.
/// Only the core creates one (login or recovery), so a forged session cannot exist.
pub struct Session {
    pub(crate) staff_id: Uuid,
    pub(crate) username: String,
    pub(crate) role: Role,
    pub(crate) workstation: String,
    pub(crate) keys: Arc<ClinicKeys>,
    /// When the sign-in happened (the absolute session limit counts from here).
    pub(crate) started: Instant,
    /// Milliseconds after `started` of the last action (the idle limit counts from here).
    pub(crate) last_active_ms: AtomicU64,
    /// An administrator or DPO without a second factor yet: only enrolment is allowed.
    pub(crate) mfa_pending: AtomicBool,
    /// A TOTP secret being enrolled, until its first code confirms it.
    pub(crate) pending_totp: Mutex<Option<zeroize::Zeroizing<Vec<u8>>>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("staff_id", &self.staff_id)
            .field("role", &self.role)
            .field("workstation", &self.workstation)
            .finish_non_exhaustive()
    }
}

impl Session {
    pub(crate) fn new(
        staff_id: Uuid,
        username: String,
        role: Role,
        workstation: String,
        keys: ClinicKeys,
        mfa_pending: bool,
    ) -> Self {
        Session {
            mfa_pending: AtomicBool::new(mfa_pending),
            pending_totp: Mutex::new(None),
            staff_id,
            username,
            role,
            workstation,
            keys: Arc::new(keys),
            started: Instant::now(),
            last_active_ms: AtomicU64::new(0),
        }
    }

    /// How long since the last action (or the sign-in).
    pub fn idle_for(&self) -> Duration {
        let last = self.started + Duration::from_millis(self.last_active_ms.load(Ordering::Relaxed));
        Instant::now().saturating_duration_since(last)
    }

    /// How long since the sign-in.
    pub fn age(&self) -> Duration {
        self.started.elapsed()
    }

    /// Someone acted: the idle span starts again.
    pub(crate) fn touch(&self) {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_active_ms.fetch_max(ms, Ordering::Relaxed);
    }

    /// Whether this session may only set up two-factor sign-in (administrators and the
    /// DPO before their first enrolment).
    pub fn mfa_pending(&self) -> bool {
        self.mfa_pending.load(Ordering::SeqCst)
    }

    pub fn staff_id(&self) -> Uuid {
        self.staff_id
    }
    pub fn username(&self) -> &str {
        &self.username
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn workstation(&self) -> &str {
        &self.workstation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn architecture_md_prints_the_table_the_code_enforces() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/ARCHITECTURE.md"))
            .expect("ARCHITECTURE.md at the repository root");
        assert!(
            doc.contains(&permission_table_markdown()),
            "ARCHITECTURE.md must contain exactly:\n{}",
            permission_table_markdown()
        );
    }

    #[test]
    fn every_action_appears_once() {
        for a in Action::ALL {
            assert_eq!(PERMISSIONS.iter().filter(|(x, _)| *x == a).count(), 1, "{a:?}");
        }
    }
}
