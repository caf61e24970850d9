//! The `cuspid` binary driven as a shell script would drive it: a bare
//! environment, no terminal, `--json` output, exit codes and `{kind, message}`
//! errors. The CLI's own TRACE logs are appended to the test log, so the log scan
//! covers what the CLI writes too.

#![allow(clippy::unwrap_used)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cuspid::ErrorDto;
use serde_json::Value;
use tempfile::TempDir;
use uuid::Uuid;

use crate::support::{ADMIN_PASSWORD, PEOPLE, STAFF_PASSWORD, TOTP_SECRET, log_file, totp_at};

const ADMIN: &str = "admin";
const RECEPTION: &str = "reception";
const DPO: &str = "dpo";

/// A data folder and a workstation state folder of their own, driven through the binary.
struct Cuspid {
    dir: TempDir,
    /// Each enrolled account's password and unused recovery codes: every run as an
    /// administrator or DPO signs in with one (a TOTP code works once per 30 s).
    second_factor: RefCell<HashMap<String, (String, Vec<String>)>>,
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// What one run of the binary left behind.
struct Ran {
    what: String,
    code: Option<i32>,
    stdout: String,
    error: Option<ErrorDto>,
}

impl Cuspid {
    fn new() -> Cuspid {
        Cuspid { dir: tempfile::tempdir().expect("temp dir"), second_factor: RefCell::default() }
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `cuspid --data-dir D --json ARGS` in a bare environment: no terminal (stdin
    /// is null), no reachable keyring, only the variables given.
    fn run(&self, vars: &[(&str, &str)], args: &[&str]) -> Ran {
        let user = args.windows(2).find(|w| w[0] == "--user").map(|w| w[1].to_owned());
        let code = match &user {
            Some(u) if !vars.iter().any(|(k, _)| *k == "CUSPID_TOTP") => self.recovery_code(u),
            _ => None,
        };
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cuspid"));
        cmd.env_clear();
        for keep in ["PATH", "HOME"] {
            if let Some(v) = std::env::var_os(keep) {
                cmd.env(keep, v);
            }
        }
        cmd.env("CUSPID_STATE_DIR", self.dir.path().join("state"))
            .env("CUSPID_WORKSTATION", "cli-test")
            .env("CUSPID_LOG", "trace")
            .env("NO_COLOR", "1")
            // Never reach the developer's real keyring, and fail fast instead of prompting.
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
            .envs(code.iter().map(|c| ("CUSPID_TOTP", c.as_str())))
            .envs(vars.iter().copied())
            .arg("--data-dir")
            .arg(self.data_dir())
            .arg("--json")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let out = cmd.output().expect("run the cuspid binary");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        // The error object is the last JSON line; the lines before are logs.
        let error = stderr.lines().rev().find_map(|l| serde_json::from_str::<ErrorDto>(l).ok());
        append_to_test_log(&out.stderr);
        Ran {
            // Only the command words: the values may be personal data.
            what: command_words(args),
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            error,
        }
    }

    /// Enrol `user` in two-factor sign-in through `mfa enroll` (with the tests'
    /// authenticator secret) and keep the recovery codes it prints.
    fn enrol(&self, user: &str, password: &str, signing_in_with: Option<&str>) {
        let first = totp_at(TOTP_SECRET, unix_now());
        let mut vars = vec![
            ("CUSPID_PASSWORD", password),
            ("CUSPID_TOTP_SECRET", TOTP_SECRET),
            ("CUSPID_TOTP_NEW", &first),
        ];
        vars.extend(signing_in_with.map(|c| ("CUSPID_TOTP", c)));
        let out = self.run(&vars, &["--user", user, "mfa", "enroll"]).ok();
        let codes: Vec<String> = out["codes"]
            .as_array()
            .expect("recovery codes")
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(codes.len(), 10, "ten recovery codes");
        self.second_factor.borrow_mut().insert(user.to_owned(), (password.to_owned(), codes));
    }

    /// An unused recovery code of `user`, enrolling again with the last one.
    fn recovery_code(&self, user: &str) -> Option<String> {
        let (password, last) = {
            let mut map = self.second_factor.borrow_mut();
            let (password, codes) = map.get_mut(user)?;
            if codes.len() > 1 {
                return codes.pop();
            }
            (password.clone(), codes.pop()?)
        };
        self.enrol(user, &password, Some(&last));
        self.recovery_code(user)
    }

    /// Run as a logged-in staff member (password from `CUSPID_PASSWORD`).
    fn as_user(&self, user: &str, password: &str, args: &[&str]) -> Ran {
        let mut all = vec!["--user", user];
        all.extend_from_slice(args);
        self.run(&[("CUSPID_PASSWORD", password)], &all)
    }

    /// `init` with the admin password from the environment; returns the JSON printed.
    /// (The administrator enrols in two-factor sign-in at once, as they must.)
    fn init(&self) -> Value {
        let out = self.run(&[("CUSPID_PASSWORD", ADMIN_PASSWORD)], &init_args("Clinica Zâmbet")).ok();
        self.enrol(ADMIN, ADMIN_PASSWORD, None);
        out
    }

    fn add_staff(&self, username: &str, role: &str) -> Value {
        let out = self
            .run(
                &[("CUSPID_PASSWORD", ADMIN_PASSWORD), ("CUSPID_NEW_PASSWORD", STAFF_PASSWORD)],
                &["--user", ADMIN, "staff", "add", "--username", username, "--role", role],
            )
            .ok();
        if matches!(role, "admin" | "dpo") {
            self.enrol(username, STAFF_PASSWORD, None);
        }
        out
    }

    /// A set-up clinic with a receptionist and a DPO.
    fn with_staff() -> Cuspid {
        let c = Cuspid::new();
        c.init();
        c.add_staff(RECEPTION, "receptionist");
        c.add_staff(DPO, "dpo");
        c
    }

    /// A set-up clinic with a receptionist and the dentist `dr-pop`, and one patient
    /// (`PEOPLE[0]`): the clinic and the patient's id.
    fn with_dentist() -> (Cuspid, String) {
        let c = Cuspid::new();
        c.init();
        c.add_staff(RECEPTION, "receptionist");
        c.add_staff("dr-pop", "dentist");
        let id = id_of(&c.register(0));
        (c, id)
    }

    fn dentist(&self, args: &[&str]) -> Ran {
        self.as_user("dr-pop", STAFF_PASSWORD, args)
    }

    fn reception(&self, args: &[&str]) -> Ran {
        self.as_user(RECEPTION, STAFF_PASSWORD, args)
    }

    fn dpo(&self, args: &[&str]) -> Ran {
        self.as_user(DPO, STAFF_PASSWORD, args)
    }

    fn admin(&self, args: &[&str]) -> Ran {
        self.as_user(ADMIN, ADMIN_PASSWORD, args)
    }

    /// Register `PEOPLE[i]` through `patient add`; returns the printed record.
    fn register(&self, i: usize) -> Value {
        let p = &PEOPLE[i];
        let mut args = vec![
            "patient",
            "add",
            "--first-name",
            p.first,
            "--last-name",
            p.last,
            "--phone",
            p.phone,
            "--email",
            p.email,
            "--address",
            p.address,
        ];
        if let Some(cnp) = p.cnp {
            args.extend(["--cnp", cnp]);
        }
        self.reception(&args).ok()
    }
}

impl Ran {
    /// Exit 0 with JSON on stdout.
    fn ok(self) -> Value {
        assert_eq!(
            self.code,
            Some(0),
            "`cuspid {}` should succeed; it failed with {:?}",
            self.what,
            self.error
        );
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("`cuspid {} --json` should print JSON on stdout ({e})", self.what))
    }

    /// A non-zero exit with the documented code and a `{kind, message}` object on stderr.
    fn fails(self, code: i32, kind: &str) -> ErrorDto {
        let error = self.error.unwrap_or_else(|| {
            panic!("`cuspid {} --json` should print a {{kind, message}} object on stderr", self.what)
        });
        assert_eq!(error.kind, kind, "`cuspid {}` should fail as {kind}: {}", self.what, error.message);
        assert_eq!(self.code, Some(code), "`cuspid {}` should exit {code} for {kind}", self.what);
        assert!(!error.message.is_empty(), "an error always says what to do in words");
        error
    }
}

/// Append the CLI's stderr (its TRACE logs) to the file the log scan searches.
fn append_to_test_log(bytes: &[u8]) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_file())
        .expect("open the test log file");
    f.write_all(bytes).expect("append the CLI's logs to the test log");
}

/// `patient find` out of `--user u patient find --name x`: flags and values left out,
/// since values may be personal data.
fn command_words(args: &[&str]) -> String {
    let mut words = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        if a.starts_with("--") {
            iter.next();
        } else if words.len() < 2 {
            words.push(*a);
        }
    }
    words.join(" ")
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("a record has an id").to_owned()
}

fn ids_in(v: &Value) -> Vec<String> {
    v.as_array().expect("a JSON array").iter().map(id_of).collect()
}

#[test]
fn init_prints_the_recovery_key_once_as_eight_groups() {
    let c = Cuspid::new();
    let out = c.init();
    let key = out["recovery_key"].as_str().expect("init --json prints recovery_key");
    let groups: Vec<&str> = key.split('-').collect();
    assert_eq!(groups.len(), 8, "the recovery key is shown as 8 groups");
    for g in groups {
        assert!(
            g.len() == 4 && g.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit()),
            "each group of the recovery key is 4 upper-case letters or digits"
        );
    }
    // The password came from CUSPID_PASSWORD: the administrator can log in with it.
    let staff = c.admin(&["staff", "list"]).ok();
    assert_eq!(staff[0]["username"], ADMIN, "init created the administrator named on the command line");
    c.run(&[("CUSPID_PASSWORD", ADMIN_PASSWORD)], &init_args("Again"))
        .fails(5, "conflict.already_initialised");
}

#[test]
fn init_without_a_password_and_without_a_terminal_sets_nothing_up() {
    let c = Cuspid::new();
    let err = c.run(&[], &init_args("Clinica Zâmbet")).fails(3, "auth.password_required");
    assert!(err.message.contains("CUSPID_PASSWORD"), "the message names the variable a script should set");
    c.admin(&["staff", "list"]).fails(8, "storage.not_initialised");
    // Nothing half-made stands in the way of doing it properly.
    assert!(c.init()["recovery_key"].is_string(), "init with a password works after the refused one");
}

#[test]
fn staff_add_takes_the_new_password_from_the_environment() {
    let c = Cuspid::new();
    c.init();
    let added = c.add_staff(RECEPTION, "receptionist");
    assert_eq!(added["username"], RECEPTION);
    assert_eq!(added["role"], "receptionist");
    // CUSPID_NEW_PASSWORD became the receptionist's password.
    c.reception(&["patient", "find", "--name", "nobody"]).ok();
    c.as_user(RECEPTION, ADMIN_PASSWORD, &["patient", "find", "--name", "nobody"])
        .fails(3, "auth.invalid_credentials");
}

#[test]
fn a_script_registers_finds_shows_updates_and_audits_a_patient() {
    let c = Cuspid::with_staff();
    let stefan = c.register(0);
    let id = id_of(&stefan);
    assert_eq!(stefan["phone"], "+40721234567", "phones are stored in E.164 form");
    assert_eq!(stefan["first_name"], PEOPLE[0].first);
    let other = id_of(&c.register(1));

    let finds = [
        ("--name", "stef".to_owned(), "a diacritic-free name prefix"),
        ("--cnp", PEOPLE[0].cnp.unwrap().to_owned(), "the CNP"),
        ("--phone", "+40721234567".to_owned(), "the phone in another format than typed"),
        ("--email", PEOPLE[0].email.to_uppercase(), "the e-mail in upper case"),
    ];
    for (flag, value, what) in finds {
        let found = ids_in(&c.reception(&["patient", "find", flag, &value]).ok());
        assert_eq!(found, vec![id.clone()], "searching by {what} finds exactly Ștefan");
    }

    let shown = c.reception(&["patient", "show", &id]).ok();
    assert_eq!(shown["id"], id.as_str());
    assert_eq!(shown["last_name"], PEOPLE[0].last);
    assert_eq!(shown["cnp"], PEOPLE[0].cnp.unwrap(), "the record opens whole for its reader");
    assert_eq!(shown["email"], PEOPLE[0].email);

    let updated = c
        .reception(&[
            "patient",
            "update",
            &id,
            "--reason",
            "the patient changed number",
            "--phone",
            "0744 999 888",
        ])
        .ok();
    assert_eq!(updated["phone"], "+40744999888");
    assert_eq!(updated["version"], 2, "an update bumps the version");
    assert_eq!(c.reception(&["patient", "show", &id]).ok()["phone"], "+40744999888");
    // A change made on the record as it was before that update is refused, and writes nothing.
    c.reception(&[
        "patient",
        "update",
        &id,
        "--expected-version",
        "1",
        "--reason",
        "late",
        "--phone",
        "0755 111 222",
    ])
    .fails(5, "conflict.stale");

    let history = c.dpo(&["patient", "history", &id]).ok();
    let entries = history.as_array().expect("history is a JSON array");
    assert_eq!(entries.len(), 1, "one update, one rectification entry");
    assert_eq!(entries[0]["previous"]["phone"], "+40721234567", "the trail keeps the old phone");
    assert_eq!(entries[0]["changed_fields"], serde_json::json!(["phone"]));
    assert_eq!(entries[0]["reason"], "the patient changed number");
    assert_eq!(entries[0]["changed_by"], RECEPTION);

    let report = c.admin(&["audit", "verify"]).ok();
    assert!(report["events"].as_i64().unwrap() > 10, "every step above was audited");

    let events = c.dpo(&["audit", "list", "--patient", &id]).ok();
    let events = events.as_array().expect("audit list --json prints an array");
    assert!(
        events.iter().all(|e| e["patient_id"] == id.as_str()),
        "audit list --patient shows only events about that patient"
    );
    assert!(!events.iter().any(|e| e["patient_id"] == other.as_str()), "never the other patient's");
    let actions: Vec<&str> = events.iter().map(|e| e["action"].as_str().unwrap()).collect();
    for want in
        ["patient.register", "patient.search_result", "patient.read", "patient.update", "patient.history"]
    {
        assert!(actions.contains(&want), "{want} about this patient is in the log: {actions:?}");
    }
}

#[test]
fn errors_have_documented_exit_codes_and_kinds() {
    let c = Cuspid::with_staff();
    c.reception(&["patient", "add", "--first-name", "Ana", "--last-name", "Pop", "--cnp", "1800101221145"])
        .fails(4, "input.invalid_cnp");
    c.as_user(RECEPTION, "not-the-password", &["patient", "find", "--name", "ana"])
        .fails(3, "auth.invalid_credentials");
    c.reception(&["patient", "show", &Uuid::new_v4().to_string()]).fails(6, "not_found");
    c.reception(&["staff", "list"]).fails(3, "auth.permission_denied");
    // No CUSPID_PASSWORD, no terminal, no keyring: nothing can be asked, so say so.
    c.run(&[], &["--user", RECEPTION, "patient", "find", "--name", "ana"]).fails(3, "auth.password_required");

    let usage = c.reception(&["patient", "find"]);
    assert_eq!(usage.code, Some(2), "a missing required flag is a usage error");
    let usage = c.reception(&["patient", "frobnicate"]);
    assert_eq!(usage.code, Some(2), "an unknown subcommand is a usage error");
}

#[test]
fn a_data_folder_holding_something_else_is_refused_untouched() {
    use rand::RngCore;
    let c = Cuspid::new();
    std::fs::create_dir_all(c.data_dir()).unwrap();
    let file = c.data_dir().join("cuspid.sqlite");
    let mut junk = vec![0u8; 8192];
    rand::thread_rng().fill_bytes(&mut junk);
    std::fs::write(&file, &junk).unwrap();
    c.admin(&["staff", "list"]).fails(8, "storage.not_cuspid_database");
    c.run(&[("CUSPID_PASSWORD", ADMIN_PASSWORD)], &init_args("X")).fails(8, "storage.not_cuspid_database");
    assert_eq!(std::fs::read(&file).unwrap(), junk, "a file that is not ours is never written to");
}

#[tokio::test]
async fn audit_verify_names_the_event_edited_behind_its_back() {
    let c = Cuspid::with_staff();
    let id = id_of(&c.register(2));
    c.admin(&["audit", "verify"]).ok();
    let registered = c.dpo(&["audit", "list", "--patient", &id, "--action", "patient.register"]).ok();
    let seq = registered[0]["seq"].as_i64().expect("the registration event has a number");

    tamper_purpose(&c.data_dir().join("cuspid.sqlite"), seq).await;

    let err = c.admin(&["audit", "verify"]).fails(7, "integrity.audit_chain_broken");
    assert!(
        err.message.contains(&format!("#{seq}:")),
        "the message names the edited event #{seq}: {}",
        err.message
    );
}

/// Edit one audit event as someone with the database file would: drop the
/// append-only trigger, then rewrite the event's purpose.
async fn tamper_purpose(sqlite: &Path, seq: i64) {
    use sea_orm::ConnectionTrait;
    let url = format!("sqlite://{}?mode=rw", sqlite.display());
    let db = sea_orm::Database::connect(url.as_str()).await.expect("open the SQLite file directly");
    db.execute_unprepared("DROP TRIGGER audit_event_no_update").await.expect("drop the append-only trigger");
    let changed = db
        .execute_unprepared(&format!("UPDATE audit_event SET purpose = 'nothing to see' WHERE seq = {seq}"))
        .await
        .expect("edit the event");
    assert_eq!(changed.rows_affected(), 1, "exactly one event was edited");
    db.close().await.expect("close");
}

/// `cuspid init` with every particular of a clinic called `name`.
fn init_args(name: &str) -> Vec<&str> {
    vec![
        "init",
        "--clinic-name",
        name,
        "--address",
        "Str. Republicii 12, Cluj-Napoca",
        "--fiscal-code",
        "RO14399840",
        "--dpo-name",
        "Irina Matei",
        "--dpo-email",
        "dpo@zambet.example",
        "--admin-user",
        ADMIN,
    ]
}

#[test]
fn the_dpo_answers_access_and_erasure_requests_from_a_script() {
    let c = Cuspid::with_staff();
    let id = id_of(&c.register(2));
    let today = cuspid::chrono::Local::now().date_naive().to_string();
    let open = |kind: &str| {
        id_of(
            &c.dpo(&[
                "dsar",
                "open",
                "--patient",
                &id,
                "--kind",
                kind,
                "--received",
                &today,
                "--identity-check",
                "pașaport",
            ])
            .ok(),
        )
    };
    let access = open("access");
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();

    c.reception(&["patient", "export", &id, "--dir", dir]).fails(3, "auth.permission_denied");
    // Encrypted without a passphrase and without a terminal: refused, nothing written.
    c.dpo(&["dsar", "export", &access, "--dir", dir, "--encrypt"]).fails(3, "auth.password_required");
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), 0);
    let export = c
        .run(
            &[("CUSPID_PASSWORD", STAFF_PASSWORD), ("CUSPID_EXPORT_PASSPHRASE", "o-parolă-lungă-de-trimis")],
            &["--user", DPO, "dsar", "export", &access, "--dir", dir, "--encrypt", "--lang", "en"],
        )
        .ok();
    assert_eq!(export["encrypted"], true);
    assert!(Path::new(export["data_path"].as_str().unwrap()).is_file());
    assert!(export["data_path"].as_str().unwrap().ends_with(".zip.age"), "one age file");
    assert!(Path::new(export["letter_path"].as_str().unwrap()).is_file());
    assert!(export["generated_passphrase"].is_null(), "a typed passphrase is not echoed");
    let generated =
        c.dpo(&["dsar", "export", &access, "--dir", dir, "--generate-passphrase", "--lang", "en"]).ok();
    let words = generated["generated_passphrase"].as_str().expect("the generated words, in the JSON");
    assert_eq!(words.split(' ').count(), 6, "six words: {words}");
    let both = c.dpo(&["dsar", "export", &access, "--dir", dir, "--encrypt", "--generate-passphrase"]);
    assert_eq!(both.code, Some(2), "a typed and a generated passphrase at once is a usage error");

    let erasure = open("erasure");
    let plan = c.dpo(&["patient", "erase", &id, "--preview"]).ok();
    assert!(plan.as_array().unwrap().iter().any(|l| l["module"] == "patients" && l["fate"] == "erase"));
    c.reception(&["patient", "show", &id]).ok();
    let letter = out.path().join("answer.pdf");
    let report = c
        .dpo(&[
            "patient",
            "erase",
            &id,
            "--request",
            &erasure,
            "--letter",
            letter.to_str().unwrap(),
            "--lang",
            "en",
        ])
        .ok();
    assert!(report["parts"].as_array().unwrap().iter().any(|p| p["kind"] == "patient" && p["erased"] == 1));
    let text = crate::pdf::flat(&crate::pdf::Pdf::new(&std::fs::read(&letter).unwrap()).text());
    assert!(text.contains("What we erased") && text.contains(PEOPLE[2].last), "{text}");
    c.reception(&["patient", "show", &id]).fails(6, "not_found");

    let csv = out.path().join("register.csv");
    c.dpo(&["register", "art30", "--csv", csv.to_str().unwrap()]).ok();
    let register = std::fs::read_to_string(&csv).unwrap();
    assert!(register.contains("security_measures") && register.lines().count() > 10, "{register}");
}

#[test]
fn the_dpo_records_a_breach_and_sends_its_notices_from_a_script() {
    let c = Cuspid::with_staff();
    c.register(0);
    c.register(1);
    let now = cuspid::chrono::Utc::now().to_rfc3339();
    let b = c
        .dpo(&[
            "breach",
            "open",
            "--discovered",
            &now,
            "--nature",
            "confidentiality,availability",
            "--description",
            "Stick USB cu o copie de siguranță pierdut.",
            "--categories",
            "identity,contact",
            "--consequences",
            "Risc de furt de identitate.",
            "--measures-taken",
            "Copia era criptată; cheia schimbată.",
            "--measures-proposed",
            "Copii doar pe discuri criptate.",
            "--risk",
            "high",
        ])
        .ok();
    let id = id_of(&b);
    assert_eq!(b["nature"], serde_json::json!(["confidentiality", "availability"]));
    c.dpo(&["breach", "affected", &id]).fails(4, "input.invalid");
    let found = c.dpo(&["breach", "affected", &id, "--all-patients"]).ok();
    assert_eq!(found["subjects_count"], 2);
    let out = tempfile::tempdir().unwrap();
    let notice = out.path().join("anspdcp.pdf");
    c.dpo(&["breach", "notify-authority", &id, "--out", notice.to_str().unwrap()]).ok();
    let text = crate::pdf::flat(&crate::pdf::Pdf::new(&std::fs::read(&notice).unwrap()).text());
    assert!(text.contains("Numărul aproximativ de persoane vizate: 2"), "{text}");
    assert!(
        text.contains("date de identificare (nume, data nașterii); date de contact"),
        "the categories in words, not codes: {text}"
    );
    assert!(text.contains("Cum au fost identificate: toți pacienții înregistrați"), "in Romanian: {text}");
    assert!(text.contains("(UTC+02:00)"), "times in Romanian civil time, with the offset: {text}");
    let sent = c.dpo(&["breach", "notify-subjects", &id, "--dir", out.path().to_str().unwrap()]).ok();
    assert_eq!(sent["letters"], 2);
    let folder = Path::new(sent["folder"].as_str().unwrap());
    assert!(folder.join("all-letters.pdf").is_file() && folder.join("letter-0002.pdf").is_file());
    let listed = c.dpo(&["breach", "list"]).ok();
    assert!(listed[0]["authority_notified_at"].is_string() && listed[0]["subjects_notified"] == 2);
}

#[test]
fn a_dentist_charts_from_a_script() {
    let (c, id) = Cuspid::with_dentist();
    let dentist = |args: &[&str]| c.dentist(args);
    // `chart add` for the patient, on `tooth`, with the rest of the arguments.
    let add =
        |tooth: &str, rest: &[&str]| dentist(&[&["chart", "add", &id, "--tooth", tooth][..], rest].concat());
    let caries = add("36", &["--surface", "occlusal", "--condition", "caries", "--date", "2025-01-10"]).ok();
    assert_eq!(caries["tooth"], 36);
    add("19", &["--condition", "caries"]).fails(4, "input.invalid");
    add("36", &["--condition", "cavity"]).fails(4, "input.invalid");
    add("36", &["--surface", "x", "--procedure", "restoration.composite"]).fails(4, "input.invalid");
    // The dentists' shorthand: M, O and D together.
    let mod_caries = add("46", &["--surface", "MOD", "--condition", "caries"]).ok();
    assert_eq!(
        mod_caries["surfaces"],
        serde_json::json!(["mesial", "distal", "occlusal"]),
        "MOD read as three surfaces"
    );
    // A filling needs its surfaces.
    add("36", &["--procedure", "restoration.composite"]).fails(4, "input.invalid");
    let filling = ["--surface", "occlusal", "--procedure", "restoration.composite"];
    let plan = id_of(&add("36", &[&filling[..], &["--date", "2025-01-10"]].concat()).ok());
    add("36", &[&filling[..], &["--state", "done", "--supersedes", &plan, "--date", "2025-02-01"]].concat())
        .ok();
    let then = dentist(&["chart", "show", &id, "--as-of", "2025-01-20"]).ok();
    assert_eq!(then["current"].as_array().unwrap().len(), 2);
    let now = dentist(&["chart", "show", &id]).ok();
    let states: Vec<_> =
        now["current"].as_array().unwrap().iter().map(|e| e["finding"]["state"].clone()).collect();
    assert!(states.contains(&serde_json::json!("done")) && !states.contains(&serde_json::json!("planned")));
    c.reception(&["chart", "show", &id]).fails(3, "auth.permission_denied");

    let set = ["chart", "procedure", "prevention.fluoride", "--ro", "Fluorizare", "--en", "Fluoride varnish"];
    let saved = dentist(&[&set[..], &["--fee", "80.5", "--needs", "none"]].concat()).ok();
    assert_eq!(saved["fee_bani"], 8050);
    let list = dentist(&["chart", "procedures"]).ok();
    assert!(list.as_array().unwrap().iter().any(|p| p["code"] == "prevention.fluoride"));
    c.reception(&[&set[..], &["--fee", "80"]].concat()).fails(3, "auth.permission_denied");
}

#[test]
fn a_dentist_writes_notes_imports_xrays_and_prints_a_plan_from_a_script() {
    let (c, id) = Cuspid::with_dentist();
    let dentist = |args: &[&str]| c.dentist(args);

    let note = dentist(&["note", "add", &id, "Control, fără carii noi", "--date", "2025-03-01"]).ok();
    let note_id = id_of(&note);
    dentist(&["note", "add", &id, "Control, carie 36", "--amends", &note_id, "--reason", "omisă"]).ok();
    let listed = dentist(&["note", "list", &id]).ok();
    let notes = listed["notes"].as_array().unwrap();
    assert_eq!(notes[0]["text"], "Control, fără carii noi", "the original stays");
    assert_eq!(notes[0]["amendments"][0]["reason"], "omisă");

    let dir = tempfile::tempdir().unwrap();
    let values: Vec<u16> = (0..64 * 48).map(|i| (i * 37 % 4096) as u16).collect();
    let dicom = crate::support::dicom::SyntheticDicom {
        width: 64,
        height: 48,
        bits: 16,
        monochrome1: true,
        samples: &values,
        patient_name: "Scriptescu^Ana",
        patient_id: "1",
        window: (2048.0, 4096.0),
        spacing_mm: 0.1,
    }
    .to_bytes()
    .unwrap();
    let file = dir.path().join("sensor-0001.dcm");
    std::fs::write(&file, &dicom).unwrap();
    let file = file.to_str().unwrap();
    let x = dentist(&["xray", "import", &id, file, "--kind", "bitewing", "--teeth", "36,37"]).ok();
    assert_eq!((x["format"].as_str(), x["photometric"].as_str()), (Some("dicom"), Some("monochrome1")));
    let broken = dir.path().join("broken.dcm");
    std::fs::write(&broken, &dicom[..dicom.len() / 2]).unwrap();
    dentist(&["xray", "import", &id, broken.to_str().unwrap()]).fails(4, "input.invalid");
    dentist(&["xray", "import", &id, file, "--kind", "selfie"]).fails(4, "input.invalid");
    assert_eq!(
        dentist(&["xray", "list", &id]).ok().as_array().unwrap().len(),
        1,
        "the broken file left nothing"
    );
    let back = dir.path().join("back.dcm");
    dentist(&["xray", "export", &id, &id_of(&x), back.to_str().unwrap()]).ok();
    assert!(std::fs::read(&back).unwrap() == dicom, "the original, byte for byte");
    let stripped = dir.path().join("stripped.dcm");
    dentist(&["xray", "export", &id, &id_of(&x), stripped.to_str().unwrap(), "--strip-identifiers"]).ok();
    let stripped = std::fs::read(&stripped).unwrap();
    assert!(stripped != dicom && stripped.starts_with(&[0; 128]), "a de-identified DICOM copy");
    c.reception(&["xray", "list", &id]).fails(3, "auth.permission_denied");

    assert!(dentist(&["plan", "list", &id]).ok().as_array().unwrap().is_empty());
    dentist(&["plan", "pdf", &id, &note_id, dir.path().join("p.pdf").to_str().unwrap()])
        .fails(6, "not_found");
}

#[test]
fn administrators_and_the_dpo_need_their_second_factor_on_the_command_line() {
    let c = Cuspid::new();
    c.run(&[("CUSPID_PASSWORD", ADMIN_PASSWORD)], &init_args("Clinica Zâmbet")).ok();
    let list = ["--user", ADMIN, "staff", "list"];
    c.run(&[("CUSPID_PASSWORD", ADMIN_PASSWORD)], &list).fails(3, "auth.mfa_enrolment_required");
    c.enrol(ADMIN, ADMIN_PASSWORD, None);

    let pw = ("CUSPID_PASSWORD", ADMIN_PASSWORD);
    c.run(&[pw, ("CUSPID_TOTP", "")], &list).fails(3, "auth.totp_required");
    c.run(&[pw, ("CUSPID_TOTP", "000000")], &list).fails(3, "auth.invalid_code");
    let recovery = c.recovery_code(ADMIN).unwrap();
    c.run(&[pw, ("CUSPID_TOTP", &recovery)], &list).ok();
    c.run(&[pw, ("CUSPID_TOTP", &recovery)], &list).fails(3, "auth.invalid_code");
    // The next step's code from an independent RFC 6238 implementation: once.
    let next = totp_at(TOTP_SECRET, unix_now() + 30);
    c.run(&[pw, ("CUSPID_TOTP", &next)], &list).ok();
    c.run(&[pw, ("CUSPID_TOTP", &next)], &list).fails(3, "auth.invalid_code");
    let status = c.admin(&["mfa", "status"]).ok();
    assert_eq!((status["enrolled"].as_bool(), status["required"].as_bool()), (Some(true), Some(true)));
}
