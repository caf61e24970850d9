//! The names audit events are logged under, as one closed set: a misspelt action
//! does not compile, and the UI's audit filter offers exactly these (exported as
//! `AUDIT_ACTIONS` and the `AuditAction` type). A refused attempt is logged under
//! the permission it asked for (`auth::Action`); every permission is listed here too.
//! Old logs keep their names: `AuditEventDto::action` stays text, so an event
//! written under a name this build no longer has is still shown.

use crate::auth::Action;

crate::store::codes::text_codes! {
    /// Every action name the log holds, sorted.
    pub enum AuditAction {
        AnamnesisAlerts = "anamnesis.alerts",
        AnamnesisRead = "anamnesis.read",
        AnamnesisRecord = "anamnesis.record",
        Article30Change = "article30.change",
        AuditList = "audit.list",
        AuditVerify = "audit.verify",
        AuthLock = "auth.lock",
        AuthLockout = "auth.lockout",
        AuthLogin = "auth.login",
        AuthLogout = "auth.logout",
        AuthRecover = "auth.recover",
        AuthSession = "auth.session",
        AuthSessionExpired = "auth.session_expired",
        AuthSwitchUser = "auth.switch_user",
        BreachAffected = "breach.affected",
        BreachList = "breach.list",
        BreachManage = "breach.manage",
        BreachNotifyAuthority = "breach.notify_authority",
        BreachNotifySubject = "breach.notify_subject",
        BreachOpen = "breach.open",
        BreachRead = "breach.read",
        CatalogueManage = "catalogue.manage",
        CatalogueSave = "catalogue.save",
        ChartAdd = "chart.add",
        ChartRead = "chart.read",
        ChartWrite = "chart.write",
        ClinicBindColumns = "clinic.bind_columns",
        ClinicInit = "clinic.init",
        ClinicProfile = "clinic.profile",
        ConsentGrant = "consent.grant",
        ConsentRead = "consent.read",
        ConsentReadRetained = "consent.read_retained",
        ConsentRecord = "consent.record",
        ConsentWithdraw = "consent.withdraw",
        GuardianLink = "guardian.link",
        GuardianRead = "guardian.read",
        IntegrityFailure = "integrity.failure",
        KeysRotate = "keys.rotate",
        NoteAdd = "note.add",
        NoteAmend = "note.amend",
        NoteRead = "note.read",
        NoticeManage = "notice.manage",
        NoticePublish = "notice.publish",
        NoticeRead = "notice.read",
        PatientClosureStarted = "patient.closure_started",
        PatientDuplicateCheck = "patient.duplicate_check",
        PatientErase = "patient.erase",
        PatientErasePreview = "patient.erase_preview",
        PatientExport = "patient.export",
        PatientHistory = "patient.history",
        PatientRead = "patient.read",
        PatientRegister = "patient.register",
        PatientReindex = "patient.reindex",
        PatientRestrict = "patient.restrict",
        PatientSearch = "patient.search",
        PatientSearchResult = "patient.search_result",
        PatientUpdate = "patient.update",
        PerioRead = "perio.read",
        PerioRecord = "perio.record",
        PlanCreate = "plan.create",
        PlanDecision = "plan.decision",
        PlanPrint = "plan.print",
        PlanRead = "plan.read",
        PlanUpdate = "plan.update",
        RequestClose = "request.close",
        RequestExtend = "request.extend",
        RequestLetter = "request.letter",
        RequestList = "request.list",
        RequestManage = "request.manage",
        RequestRead = "request.read",
        RequestRegister = "request.register",
        RetentionChange = "retention.change",
        RetentionDestroyKey = "retention.destroy_key",
        RetentionManage = "retention.manage",
        RetentionRun = "retention.run",
        SettingsChange = "settings.change",
        SettingsManage = "settings.manage",
        SettingsRead = "settings.read",
        StaffAdd = "staff.add",
        StaffAnonymise = "staff.anonymise",
        StaffDisable = "staff.disable",
        StaffList = "staff.list",
        StaffManage = "staff.manage",
        StaffMfaEnrol = "staff.mfa_enrol",
        StaffMfaReset = "staff.mfa_reset",
        StaffOwnMfa = "staff.own_mfa",
        StaffOwnPassword = "staff.own_password",
        StaffPasswd = "staff.passwd",
        StaffRole = "staff.role",
        StaffRowMacs = "staff.row_macs",
        WorkstationEnroll = "workstation.enroll",
        WorkstationForget = "workstation.forget",
        XrayExport = "xray.export",
        XrayImport = "xray.import",
        XrayList = "xray.list",
        XrayOpen = "xray.open",
    }
}

/// What an event can be logged under: one of the [`AuditAction`]s, or the
/// permission a refused attempt asked for.
pub trait ActionName {
    fn name(self) -> &'static str;
}

impl ActionName for AuditAction {
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl ActionName for Action {
    fn name(self) -> &'static str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::AuditAction;

    #[test]
    fn every_permission_is_a_listed_action_and_the_list_is_sorted_once() {
        for action in crate::auth::Action::ALL {
            assert!(
                AuditAction::from_code(action.as_str()).is_some(),
                "{} is missing from AuditAction",
                action.as_str()
            );
        }
        assert!(
            AuditAction::ALL.windows(2).all(|w| w[0].as_str() < w[1].as_str()),
            "AuditAction is kept sorted, each name once"
        );
    }
}
