//! The Tauri shell: thin commands that translate between IPC and the core's
//! `Clinic` methods. No business rule lives here: permissions, validation,
//! sealing and audit all happen in the core. What the shell owns is the
//! workstation's state: which database it opens, who is logged in, and whether
//! the screen is locked.

mod commands;
mod state;

use std::time::Duration;

use tauri::{AppHandle, Builder, Emitter, Manager, Runtime};

pub use state::{AppConfig, AppState};

/// Register state and commands on a builder (a function of its own so tests can
/// drive it with `tauri::test::mock_builder()`).
pub fn build_app<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder.manage(state).invoke_handler(tauri::generate_handler![
        commands::app_status,
        commands::choose_location,
        commands::validate_clinic_profile,
        commands::setup,
        commands::save_recovery_pdf,
        commands::finish_setup,
        commands::login,
        commands::login_keyring,
        commands::enroll_workstation,
        commands::forget_workstation,
        commands::clinic_profile,
        commands::update_clinic_profile,
        commands::logout,
        commands::lock,
        commands::unlock,
        commands::settings,
        commands::update_settings,
        commands::check_cnp,
        commands::find_patients,
        commands::possible_duplicates,
        commands::register_patient,
        commands::get_patient,
        commands::update_patient,
        commands::patient_history,
        commands::consent_states,
        commands::consent_history,
        commands::record_consent,
        commands::guardians,
        commands::link_guardian,
        commands::current_notice,
        commands::notices,
        commands::publish_notice,
        commands::set_restriction,
        commands::retention_rules,
        commands::set_retention,
        commands::retention_run,
        commands::export_patient,
        commands::erasure_preview,
        commands::erase_patient,
        commands::erasure_record,
        commands::save_erasure_letter,
        commands::list_breaches,
        commands::get_breach,
        commands::open_breach,
        commands::find_affected,
        commands::affected_people,
        commands::notify_authority,
        commands::notify_subjects,
        commands::list_audit,
        commands::verify_audit,
        commands::save_audit_csv,
        commands::chart_add,
        commands::get_chart,
        commands::procedures,
        commands::save_procedure,
        commands::medical_history,
        commands::record_medical_history,
        commands::medical_alerts,
        commands::clinical_notes,
        commands::add_note,
        commands::note_templates,
        commands::perio_exams,
        commands::record_perio_exam,
        commands::import_xray,
        commands::xrays,
        commands::open_xray,
        commands::export_xray,
        commands::plan_suggestions,
        commands::treatment_plans,
        commands::save_plan,
        commands::decide_plan,
        commands::save_plan_pdf,
        commands::article30_register,
        commands::update_activity,
        commands::save_article30,
        commands::list_requests,
        commands::get_request,
        commands::register_request,
        commands::extend_request,
        commands::close_request,
        commands::rectify_patient,
        commands::request_edits,
        commands::save_extension_letter,
        commands::list_staff,
        commands::add_staff,
        commands::disable_staff,
        commands::change_password,
        commands::rotate_keys,
        commands::activity,
        commands::begin_totp,
        commands::confirm_totp,
        commands::mfa_status,
        commands::reset_mfa,
    ])
}

/// The idle lock, kept by Rust: a session past its limits is locked (its keys
/// dropped) whatever the web view's own timer does, and the window is told.
async fn watch_idle<R: Runtime>(app: AppHandle<R>) {
    loop {
        tokio::time::sleep(Duration::from_secs(5)).await;
        if app.state::<AppState>().lock_if_expired().await {
            tracing::info!("idle limit reached: the workstation is locked");
            let _ = app.emit("app-locked", ());
        }
    }
}

/// Start the desktop app.
pub fn run() {
    cuspid::logging::init_stderr();
    let config = AppConfig::load();
    let state = match tauri::async_runtime::block_on(AppState::open(config)) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(kind = e.kind(), "the clinic database could not be opened");
            AppState::failed(e)
        }
    };
    let app = build_app(tauri::Builder::default(), state)
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.set_title("Cuspid");
            }
            tauri::async_runtime::spawn(watch_idle(app.handle().clone()));
            Ok(())
        })
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(e) = app {
        tracing::error!(error = %e, "the app stopped with an error");
        std::process::exit(1);
    }
}
