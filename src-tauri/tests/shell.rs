//! The shell on Tauri's mock runtime, with a real clinic on a SQLite file: what the UI
//! receives when a command fails (`ErrorDto`: kind, message, detail, rule), and the
//! screen lock as the shell keeps it (only the user who locked unlocks, with their own secret).

use cuspid_app::{AppConfig, AppState, build_app};
use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

const PASSWORD: &str = "parola-administrator-2026";

fn request(cmd: &str, body: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().expect("a URL"),
        body: tauri::ipc::InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

/// The command's answer, or the error the UI would receive.
fn call(w: &WebviewWindow<tauri::test::MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
    get_ipc_response(w, request(cmd, body)).map(|b| b.deserialize::<Value>().expect("a JSON answer"))
}

fn kind(answer: Result<Value, Value>) -> String {
    let err = answer.expect_err("the command should have been refused");
    assert!(err["message"].is_string(), "every error carries its message: {err}");
    err["kind"].as_str().unwrap_or_else(|| panic!("an error without a kind: {err}")).to_owned()
}

fn app_on(
    dir: &std::path::Path,
) -> (tauri::App<tauri::test::MockRuntime>, WebviewWindow<tauri::test::MockRuntime>) {
    let config = AppConfig {
        data_dir: Some(dir.join("data")),
        state_dir: Some(dir.join("state")),
        ..AppConfig::default()
    };
    let state = tauri::async_runtime::block_on(AppState::open(config)).expect("the clinic opens");
    let app = build_app(mock_builder(), state).build(mock_context(noop_assets())).expect("the app builds");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a window");
    (app, window)
}

fn set_up(w: &WebviewWindow<tauri::test::MockRuntime>) {
    let profile = json!({
        "name": "Clinica Zâmbet",
        "address": "Str. Republicii 12, 400015 Cluj-Napoca, jud. Cluj",
        "fiscal_code": "RO14399840",
        "registry_number": null,
        "operating_permit": null,
        "phone": null,
        "email": null,
        "dpo": { "name": "Irina Matei", "email": "dpo@zambet.example", "phone": null },
    });
    let input = json!({ "profile": profile, "admin_username": "admin", "admin_password": PASSWORD });
    let out = call(w, "setup", json!({ "input": input })).expect("set-up succeeds");
    assert!(
        out["recovery_key"].as_str().is_some_and(|k| !k.is_empty()),
        "set-up shows a recovery key: {out}"
    );
}

#[test]
fn a_refused_command_reaches_the_ui_as_a_kind_and_a_message() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (_app, w) = app_on(dir.path());

    let id = "0190a0c0-0000-7000-8000-000000000001";
    assert_eq!(kind(call(&w, "get_patient", json!({ "id": id }))), "auth.no_session");

    set_up(&w);
    assert_eq!(
        kind(call(&w, "login", json!({ "username": "admin", "password": "not-the-password" }))),
        "auth.invalid_credentials"
    );
    let bad = json!({ "name": "", "address": "", "fiscal_code": "RO1", "dpo": { "name": "" } });
    let err = call(&w, "validate_clinic_profile", json!({ "profile": bad })).expect_err("an empty profile");
    assert_eq!(err["kind"], "input.invalid");
    assert!(err["detail"].is_string(), "the rule broken is given apart for the UI to word: {err}");
}

#[test]
fn a_locked_screen_opens_only_for_the_user_who_locked_with_their_own_password() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (_app, w) = app_on(dir.path());
    set_up(&w);
    let status = call(&w, "app_status", json!({})).expect("the status");
    assert_eq!(status["session"]["username"], "admin", "set-up signs the administrator in: {status}");

    call(&w, "lock", json!({ "reason": "user" })).expect("the lock");
    let status = call(&w, "app_status", json!({})).expect("the status");
    assert_eq!((status["locked"].clone(), status["locked_user"].clone()), (json!(true), json!("admin")));
    assert!(status["session"].is_null(), "a locked screen keeps no session: {status}");
    assert_eq!(kind(call(&w, "get_settings", json!({}))), "auth.app_locked");

    let wrong = json!({ "secret": { "kind": "password", "secret": "not-the-password" } });
    assert_eq!(kind(call(&w, "unlock", wrong)), "auth.invalid_credentials");
    assert_eq!(
        kind(call(&w, "get_settings", json!({}))),
        "auth.app_locked",
        "still locked after a wrong password"
    );

    let right = json!({ "secret": { "kind": "password", "secret": PASSWORD } });
    let info = call(&w, "unlock", right).expect("the right password unlocks");
    assert_eq!(info["username"], "admin");
    assert_eq!(call(&w, "app_status", json!({})).expect("the status")["locked"], json!(false));
}
