//! Every cell of the permission table, through the real use cases: allowed
//! calls succeed, refused ones fail with `auth.permission_denied` and leave a
//! `denied` event in the audit log.

#![allow(clippy::unwrap_used)]

use cuspid::auth::{Action, allowed};
use cuspid::consent::{ConsentInput, ConsentKind, ConsentMethod};
use cuspid::gdpr::requests::{NewRequest, RequestKind};
use cuspid::gdpr::restriction::Restriction;
use cuspid::gdpr::retention::PeriodUnit;
use cuspid::{AuditFilter, Clinic, Error, NewPatient, PatientChanges, PatientQuery, Role, Session};
use uuid::Uuid;

use crate::support::{ADMIN_PASSWORD, PEOPLE, STAFF_PASSWORD, TestClinic, backend_tests};

async fn attempt(c: &Clinic, s: &Session, action: Action, patient: Uuid, n: usize) -> Result<(), Error> {
    let tag = format!("{}{n}", s.role().as_str());
    match action {
        Action::PatientRegister => {
            let np = NewPatient { first_name: "Test".into(), last_name: tag, ..Default::default() };
            c.patients().register_patient(s, np).await.map(drop)
        }
        Action::PatientSearch => {
            c.patients().find_patients(s, &PatientQuery::Name("stef".into())).await.map(drop)
        }
        Action::PatientRead => c.patients().get_patient(s, patient).await.map(drop),
        Action::PatientUpdate => {
            let ch = PatientChanges { address: Some(format!("Strada {tag}")), ..Default::default() };
            // The refusal comes before the version check: only an allowed role needs the real one.
            let version = if allowed(s.role(), Action::PatientRead) {
                c.patients().get_patient(s, patient).await?.version
            } else {
                0
            };
            c.patients().update_patient(s, patient, version, ch, "permission test").await.map(drop)
        }
        Action::PatientHistory => c.patients().patient_history(s, patient).await.map(drop),
        Action::StaffList => c.admin().list_staff(s).await.map(drop),
        Action::StaffManage => {
            c.admin().add_staff(s, &format!("new-{tag}"), Role::Assistant, "a-long-password").await.map(drop)
        }
        Action::KeysRotate => c.rotate_keys(s).await.map(drop),
        Action::AuditVerify => c.verify_audit(s).await.map(drop),
        Action::AuditList => {
            c.list_audit(s, &AuditFilter { limit: Some(5), ..Default::default() }).await.map(drop)
        }
        Action::WorkstationEnroll => match c.enroll_workstation(s, "482916").await {
            // Without a Secret Service the permission held; the keyring tests cover the rest.
            Err(Error::KeyringUnavailable { .. }) if std::env::var("CI").is_err() => Ok(()),
            other => other,
        },
        Action::OwnPassword => {
            let current = if s.role() == Role::Admin { ADMIN_PASSWORD } else { STAFF_PASSWORD };
            c.admin().change_password(s, s.username(), "another-long-password", current).await
        }
        Action::ConsentRecord => {
            let input = ConsentInput {
                kind: ConsentKind::Marketing,
                granted: n.is_multiple_of(2),
                method: ConsentMethod::Checkbox,
                text_shown: "Sunt de acord să primesc oferte.".into(),
                given_by: None,
            };
            c.patients().record_consent(s, patient, input).await.map(drop)
        }
        Action::NoticeRead => c.patients().current_privacy_notice(s).await.map(drop),
        Action::MfaManage => c.mfa_status(s).await.map(drop),
        Action::SettingsRead => c.admin().settings(s).await.map(drop),
        Action::SettingsManage => {
            let minutes = 5 + u32::try_from(n).unwrap_or(0);
            c.admin()
                .update_settings(
                    s,
                    cuspid::admin::settings::Settings { idle_lock_minutes: minutes, ..Default::default() },
                )
                .await
                .map(drop)
        }
        Action::NoticeManage => c
            .patients()
            .publish_privacy_notice(s, &format!("v-{tag}"), "Text în română.", "Text in English.")
            .await
            .map(drop),
        Action::RequestManage => {
            let new = NewRequest {
                patient_id: patient,
                kind: RequestKind::Access,
                received_on: "2026-11-02".into(),
                via_guardian: None,
                identity_check: "buletin arătat la recepție".into(),
            };
            c.gdpr().register_request(s, new).await.map(drop)
        }
        Action::RetentionManage => {
            let years = 3 + u32::try_from(n % 4).unwrap_or(0);
            c.gdpr()
                .set_retention(s, "appointments", years, PeriodUnit::Years, "business need")
                .await
                .map(drop)
        }
        Action::PatientRestrict => {
            let to = if n.is_multiple_of(2) { Restriction::Verification } else { Restriction::Restricted };
            match c.gdpr().set_restriction(s, patient, to).await {
                // The same state twice in a row is refused as input: the permission held.
                Err(e) if e.kind() == "input.invalid" => Ok(()),
                other => other.map(drop),
            }
        }
        Action::PatientExport => {
            let dir = tempfile::tempdir().expect("temp dir");
            let opts = cuspid::gdpr::export::ExportOptions {
                dir: dir.path().to_path_buf(),
                encryption: cuspid::gdpr::export::ExportEncryption::None,
                keep_image_metadata: false,
                lang: Some(cuspid::documents::Language::En),
                request_id: None,
            };
            c.gdpr().export_patient(s, patient, opts).await.map(drop)
        }
        // The preview is the erasure's own check, and changes nothing.
        Action::PatientErase => c.gdpr().erasure_preview(s, patient).await.map(drop),
        Action::BreachManage => c.gdpr().list_breaches(s).await.map(drop),
        Action::ChartRead => c.clinical().chart(s, patient, None).await.map(drop),
        Action::CatalogueManage => {
            let p = cuspid::clinical::chart::catalogue::ProcedureDto {
                code: format!("test.{tag}"),
                name_ro: "Procedură de test".into(),
                name_en: "Test procedure".into(),
                fee_bani: 10_000,
                needs: cuspid::clinical::chart::catalogue::Needs::Tooth,
                active: true,
            };
            c.clinical().save_procedure(s, p).await.map(drop)
        }
        Action::ChartWrite => {
            let entry = cuspid::clinical::chart::NewChartEntry {
                tooth: 36,
                surfaces: vec![cuspid::clinical::chart::Surface::Occlusal],
                finding: cuspid::clinical::chart::Finding::Condition {
                    condition: cuspid::clinical::chart::Condition::Caries,
                    resolved: false,
                },
                date: cuspid::chrono::Local::now().date_naive().to_string(),
                note: None,
                supersedes: None,
            };
            match c.clinical().chart_add(s, patient, entry).await {
                // The DPO's restriction attempts may have restricted the record: the permission held.
                Err(e) if e.kind() == "conflict.restricted" => Ok(()),
                other => other.map(drop),
            }
        }
    }
}

backend_tests! {
    async fn every_cell_of_the_permission_table_is_enforced(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let mut sessions = Vec::new();
        for role in Role::ALL {
            let s = if role == Role::Admin { t.admin().await } else { t.staff(role.as_str(), role).await };
            sessions.push(s);
        }
        let registrar = &sessions[0];
        let patient = t.clinic.patients().register_patient(registrar, PEOPLE[0].new_patient()).await.unwrap().id;
        // Rotation last: it ends every open session.
        let order: Vec<Action> = Action::ALL
            .iter()
            .copied()
            .filter(|a| *a != Action::KeysRotate)
            .chain([Action::KeysRotate])
            .collect();
        let mut cells = 0;
        for action in order {
            for (n, s) in sessions.iter().enumerate() {
                let result = attempt(&t.clinic, s, action, patient, n).await;
                let role = s.role();
                if allowed(role, action) {
                    assert!(result.is_ok(), "{backend:?}: {role:?} may {action:?}, got {result:?}");
                } else {
                    let err = result.unwrap_err();
                    assert_eq!(err.kind(), "auth.permission_denied", "{role:?} may not {action:?}");
                    assert!(
                        err.to_string().contains(action.describe()),
                        "the refusal names the action: {err}"
                    );
                }
                cells += 1;
            }
        }
        assert_eq!(cells, Action::ALL.len() * Role::ALL.len());
        // Every refusal is in the audit log, under the refused action's name.
        let admin = t.sign_in(&t.clinic, "admin", "another-long-password").await;
        let events = t.clinic.list_audit(&admin, &AuditFilter::default()).await.unwrap();
        for action in Action::ALL {
            for role in Role::ALL {
                if allowed(role, action) {
                    continue;
                }
                assert!(
                    events.iter().any(|e| e.action == action.as_str()
                        && e.role == role.as_str()
                        && e.outcome == "denied"),
                    "{backend:?}: the refusal of {action:?} to {role:?} must be audited"
                );
            }
        }
    }
}
