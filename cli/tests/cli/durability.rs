//! Crash safety: the CLI is killed with SIGKILL at random points of a stream of
//! registrations, again and again; afterwards every acknowledged registration is
//! intact, no patient is half-written or unaudited, and the audit chain verifies.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use cuspid::{AuditFilter, NewPatient, PatientDto, Role};
use rand::Rng;
use rand::seq::SliceRandom;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use uuid::Uuid;

use crate::support::{ADMIN_PASSWORD, Backend, STAFF_PASSWORD, TestClinic, log_file};

/// How many times the CLI is killed.
const ROUNDS: usize = 200;
/// Kills land uniformly in 0..this: start-up and login take ~0.2 s (Argon2id
/// alone ~0.13 s), so about half land before the first ack and half mid-stream.
const MAX_KILL_DELAY_MS: u64 = 400;
const RECEPTION: &str = "reception";

use crate::support::synthetic::{FIRST_NAMES, LAST_NAMES, MANIFEST_TAG, cnp as synthetic_cnp};

/// One line sent to `patient import`.
#[derive(Debug, Clone)]
struct Sent {
    first: &'static str,
    last: &'static str,
    cnp: String,
}

impl Sent {
    fn random(i: u64, rng: &mut impl Rng) -> Sent {
        Sent {
            first: FIRST_NAMES.choose(rng).unwrap(),
            last: LAST_NAMES.choose(rng).unwrap(),
            cnp: synthetic_cnp(i),
        }
    }

    fn json_line(&self) -> String {
        let p = NewPatient {
            first_name: self.first.into(),
            last_name: self.last.into(),
            cnp: Some(self.cnp.clone()),
            ..Default::default()
        };
        format!("{}\n", serde_json::to_string(&p).unwrap())
    }

    fn matches(&self, p: &PatientDto) -> bool {
        p.fields.first_name == self.first
            && p.fields.last_name == self.last
            && p.fields.cnp.as_deref() == Some(self.cnp.as_str())
    }
}

// ---- one round ----------------------------------------------------------------

struct Round {
    /// Everything written to stdin, index `first_index + k` at `k`.
    sent: Vec<Sent>,
    /// `(line, id)` acknowledgements read from stdout.
    acks: Vec<(u64, Uuid)>,
    /// Whether the process was still running when the kill came.
    killed: bool,
}

struct Cli {
    data_dir: PathBuf,
    state_dir: PathBuf,
}

impl Cli {
    fn spawn_import(&self) -> Child {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(log_file()).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cuspid"));
        cmd.env_clear();
        for keep in ["PATH", "HOME"] {
            if let Some(v) = std::env::var_os(keep) {
                cmd.env(keep, v);
            }
        }
        cmd.env("CUSPID_STATE_DIR", &self.state_dir)
            .env("CUSPID_PASSWORD", STAFF_PASSWORD)
            .env("CUSPID_WORKSTATION", "durability-test")
            .env("CUSPID_LOG", "trace")
            .env("NO_COLOR", "1")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(["--user", RECEPTION, "patient", "import", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // Its logs go straight to the file the log scan searches.
            .stderr(Stdio::from(log));
        cmd.spawn().expect("spawn cuspid patient import")
    }

    fn round(&self, first_index: u64, kill_after: Duration) -> Round {
        let mut child = self.spawn_import();
        let mut stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();

        // An endless stream: the import never ends by itself, only by the kill.
        let writer = thread::spawn(move || {
            let mut rng = rand::thread_rng();
            let mut sent = Vec::new();
            loop {
                let s = Sent::random(first_index + sent.len() as u64, &mut rng);
                let line = s.json_line();
                sent.push(s);
                // One write per line, under PIPE_BUF: a line is never split.
                if stdin.write_all(line.as_bytes()).is_err() {
                    return sent; // the pipe broke: the process is dead
                }
            }
        });
        let reader = thread::spawn(move || {
            let mut acks = Vec::new();
            let mut out = BufReader::new(stdout);
            let mut line = String::new();
            loop {
                line.clear();
                match out.read_line(&mut line) {
                    Ok(0) | Err(_) => return acks,
                    Ok(_) if !line.ends_with('\n') => return acks, // cut short by the kill: not an ack
                    Ok(_) => {}
                }
                let v: serde_json::Value =
                    serde_json::from_str(&line).expect("every complete stdout line of import is an ack");
                let n = v["line"].as_u64().expect("an ack names its line");
                let id = v["id"].as_str().and_then(|s| Uuid::parse_str(s).ok()).expect("an ack names its id");
                acks.push((n, id));
            }
        });

        thread::sleep(kill_after);
        let killed = child.try_wait().expect("poll the child").is_none();
        child.kill().expect("SIGKILL the CLI");
        let status = child.wait().expect("reap the CLI");
        assert!(
            killed,
            "an endless stream of valid patients keeps the import running until killed, \
             but it stopped by itself ({status}); its stderr is in {}",
            log_file().display()
        );
        Round { acks: reader.join().unwrap(), sent: writer.join().unwrap(), killed }
    }
}

fn write_manifest(count: u64) {
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(log_file()).unwrap();
    writeln!(f, "{MANIFEST_TAG} count={count}").unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_registrations_loses_no_acknowledged_patient_and_leaves_no_half() {
    let started = Instant::now();
    let (t, _recovery) = TestClinic::init(&Backend::Sqlite).await;
    t.staff(RECEPTION, Role::Receptionist).await;
    let cli = Cli { data_dir: t.dir.path().join("data"), state_dir: t.dir.path().join("state") };

    // The rounds block on processes and pipes: keep them off the async workers.
    let (sent, acked, kills, login_kills) = tokio::task::spawn_blocking(move || {
        let mut rng = rand::thread_rng();
        let mut sent: Vec<Sent> = Vec::new();
        let mut acked: Vec<(Uuid, usize)> = Vec::new();
        let (mut kills, mut login_kills) = (0usize, 0usize);
        for _ in 0..ROUNDS {
            let first = sent.len();
            let delay = Duration::from_millis(rng.gen_range(0..=MAX_KILL_DELAY_MS));
            let r = cli.round(first as u64, delay);
            kills += usize::from(r.killed);
            if r.acks.is_empty() {
                login_kills += 1;
            }
            for (k, (line, id)) in r.acks.iter().enumerate() {
                assert_eq!(
                    *line,
                    k as u64 + 1,
                    "acks come for lines 1, 2, 3... in order: each registration commits before the next starts"
                );
                acked.push((*id, first + k));
            }
            sent.extend(r.sent);
        }
        (sent, acked, kills, login_kills)
    })
    .await
    .unwrap();
    write_manifest(sent.len() as u64);
    let rounds_done = started.elapsed();

    let clinic = t.reopen().await;
    let reception = clinic.login(RECEPTION, STAFF_PASSWORD).await.expect("log in after the crashes");
    let admin = t.sign_in(&clinic, "admin", ADMIN_PASSWORD).await;

    let mut opened: HashMap<Uuid, PatientDto> = HashMap::new();
    for (id, index) in &acked {
        let p = clinic.patients().get_patient(&reception, *id).await.unwrap_or_else(|e| {
            panic!("registration {id} was acknowledged, so it was committed and must survive any kill: {e}")
        });
        assert!(
            sent[*index].matches(&p),
            "acknowledged patient {id} must hold exactly the line it acknowledged (names and CNP)"
        );
        opened.insert(*id, p);
    }

    let rows = clinic
        .store()
        .connection()
        .query_all_raw(Statement::from_string(DbBackend::Sqlite, "SELECT id FROM patient"))
        .await
        .unwrap();
    let row_ids: HashSet<Uuid> = rows.iter().map(|r| r.try_get::<Uuid>("", "id").unwrap()).collect();
    let by_cnp: HashMap<&str, &Sent> = sent.iter().map(|s| (s.cnp.as_str(), s)).collect();
    for id in &row_ids {
        if !opened.contains_key(id) {
            let p = clinic.patients().get_patient(&reception, *id).await.unwrap_or_else(|e| {
                panic!("every patient row must open whole; a half-written one would not ({id}: {e})")
            });
            opened.insert(*id, p);
        }
        let p = &opened[id];
        let sent_line = p.fields.cnp.as_deref().and_then(|c| by_cnp.get(c));
        assert!(
            sent_line.is_some_and(|s| s.matches(p)),
            "every stored patient is one whole line that was sent ({id}), never a mix or a fragment"
        );
    }

    let filter = AuditFilter { action: Some("patient.register".into()), ..Default::default() };
    let events = clinic.list_audit(&admin, &filter).await.expect("list registration events");
    let audited: Vec<Uuid> =
        events.iter().filter(|e| e.outcome == "success").filter_map(|e| e.patient_id).collect();
    assert_eq!(
        audited.len(),
        row_ids.len(),
        "a registration and its audit event commit together: one event per patient row, never one without the other"
    );
    assert_eq!(
        audited.iter().copied().collect::<HashSet<_>>(),
        row_ids,
        "each patient row has its own registration event, and each event names a patient that exists"
    );
    let report = clinic.verify_audit(&admin).await.expect("the audit chain verifies after 200 SIGKILLs");

    let unacked = row_ids.len() - acked.len();
    println!(
        "durability: {ROUNDS} rounds, {kills} SIGKILLs ({login_kills} before any ack), {} acks, \
         {unacked} committed but killed before the ack, {} lines sent, {} audit events; \
         rounds {:.1?}, checks {:.1?}",
        acked.len(),
        sent.len(),
        report.events,
        rounds_done,
        started.elapsed() - rounds_done
    );
    assert!(kills >= ROUNDS, "the CLI was really killed in every round");
    assert!(acked.len() > ROUNDS, "kills landed mid-stream too, after registrations were acknowledged");
    assert!(login_kills > 0, "some kills landed before the first registration (during login)");
}
