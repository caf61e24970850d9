//! Fresh clinics on either backend, and the test patients whose data must never
//! appear in clear anywhere (database, WAL, logs).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Once};

use cuspid::{Clinic, ClinicConfig, ClinicProfile, DpoContact, Location, NewPatient, Role, Session};
use tempfile::TempDir;

pub const ADMIN_PASSWORD: &str = "admin-password-1";
pub const STAFF_PASSWORD: &str = "staff-password-1";
/// The authenticator secret every enrolled test account shares (base32, 160 bits).
pub const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// RFC 6238 (HMAC-SHA1, 30-second steps, 6 digits), written here from the RFC and
/// independent of the code under test.
pub fn totp_at(secret_base32: &str, unix_seconds: u64) -> String {
    use hmac::{Mac, SimpleHmac};
    let key = data_encoding::BASE32_NOPAD.decode(secret_base32.as_bytes()).expect("base32 secret");
    let mut m = SimpleHmac::<sha1::Sha1>::new_from_slice(&key).expect("any key length");
    m.update(&(unix_seconds / 30).to_be_bytes());
    let h = m.finalize().into_bytes();
    let at = usize::from(h[19] & 0x0f);
    let bin = u32::from_be_bytes([h[at] & 0x7f, h[at + 1], h[at + 2], h[at + 3]]);
    format!("{:06}", bin % 1_000_000)
}

#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

impl Backend {
    /// The backends this run covers. Under CI the PostgreSQL half is mandatory.
    /// (The tests that take both as named cases use [`backend_tests!`] instead.)
    pub fn all() -> Vec<Backend> {
        let mut v = vec![Backend::Sqlite];
        v.extend(Backend::postgres());
        v
    }

    /// The PostgreSQL server this run was given (`CUSPID_PG_ADMIN_URL`), if any;
    /// under CI there must be one.
    pub fn postgres() -> Option<Backend> {
        match std::env::var("CUSPID_PG_ADMIN_URL") {
            Ok(url) => Some(Backend::Postgres(url)),
            Err(_) => {
                assert!(
                    std::env::var("CI").is_err(),
                    "CI must run the PostgreSQL half: start it with scripts/test.sh"
                );
                None
            }
        }
    }
}

/// Storage tests written once and run as two named cases, `name::sqlite` and
/// `name::postgres`, so a failure on one backend says which:
///
/// ```ignore
/// backend_tests! {
///     /// What the test shows.
///     async fn a_duplicate_cnp_is_refused(backend) {
///         let (t, _) = TestClinic::init(&backend).await;
///     }
/// }
/// ```
///
/// The test becomes a module holding `async fn body(backend: Backend)`, which both
/// cases call; the module sees its parent's items (`use super::*`). Without a
/// PostgreSQL server (`CUSPID_PG_ADMIN_URL`) the PostgreSQL case passes with a
/// printed note, except under CI, where it fails ([`Backend::postgres`]). A
/// `#[tokio::test(flavor = "multi_thread")]` line after the doc comment gives both
/// cases that runtime.
macro_rules! backend_tests {
    () => {};
    (
        $(#[doc = $doc:literal])*
        $(#[tokio::test($($runtime:tt)*)])?
        async fn $name:ident($backend:ident) $body:block
        $($rest:tt)*
    ) => {
        $(#[doc = $doc])*
        // Always true in a test binary; it tells clippy the body is test code
        // (`allow-unwrap-in-tests` and the like in clippy.toml).
        #[cfg(test)]
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($backend: $crate::support::Backend) $body

            #[tokio::test$(($($runtime)*))?]
            async fn sqlite() {
                body($crate::support::Backend::Sqlite).await;
            }

            #[tokio::test$(($($runtime)*))?]
            async fn postgres() {
                match $crate::support::Backend::postgres() {
                    Some(backend) => body(backend).await,
                    None => println!("skipped: CUSPID_PG_ADMIN_URL is unset, so this PostgreSQL case did not run"),
                }
            }
        }

        $crate::support::backend_tests! { $($rest)* }
    };
}
pub(crate) use backend_tests;

/// A clinic on its own fresh database, with its own workstation state folder.
pub struct TestClinic {
    pub clinic: Clinic,
    pub dir: TempDir,
    pub backend: Backend,
    pub db_url: Option<String>,
    /// The server's superuser on this clinic's database: the insider the tamper
    /// tests play (the workstations' own role may not edit the log).
    pub superuser_url: Option<String>,
    /// The clock TOTP codes are checked against, shared by every handle on this
    /// clinic: each sign-in with a code moves it on one step (a code works once).
    pub clock: Arc<AtomicU64>,
}

/// The particulars of a clinic called `name` (valid: the fiscal code passes its check).
pub fn profile(name: &str) -> ClinicProfile {
    ClinicProfile {
        name: name.into(),
        address: "Str. Republicii 12, 400015 Cluj-Napoca, jud. Cluj".into(),
        fiscal_code: "RO14399840".into(),
        registry_number: Some("J12/3456/2015".into()),
        operating_permit: Some("AS-CJ 1234/2015".into()),
        phone: Some("0264 555 010".into()),
        email: Some("contact@zambet.example".into()),
        dpo: DpoContact {
            name: "Irina Matei".into(),
            email: Some("dpo@zambet.example".into()),
            phone: Some("0740 000 111".into()),
        },
    }
}

impl TestClinic {
    pub async fn open(backend: &Backend) -> TestClinic {
        init_logging();
        let dir = tempfile::tempdir().expect("temp dir");
        let (location, db_url, superuser_url) = match backend {
            Backend::Sqlite => (Location::DataDir(dir.path().join("data")), None, None),
            Backend::Postgres(admin_url) => {
                let db = create_pg_database(admin_url).await;
                (Location::Postgres(db.app.clone()), Some(db.app), Some(db.superuser))
            }
        };
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs();
        let clock = Arc::new(AtomicU64::new(now));
        let clinic = Clinic::open(config(location, &dir, &clock)).await.expect("open clinic");
        TestClinic { clinic, dir, backend: backend.clone(), db_url, superuser_url, clock }
    }

    /// Open and set up, returning the recovery key too; the administrator is enrolled
    /// in two-factor sign-in, as the first sign-in asks.
    pub async fn init(backend: &Backend) -> (TestClinic, String) {
        let t = TestClinic::open(backend).await;
        let out = t.clinic.init(profile("Clinica Zâmbet"), "admin", ADMIN_PASSWORD).await.expect("init");
        t.admin().await;
        (t, out.recovery_key.clone())
    }

    pub async fn admin(&self) -> Session {
        self.sign_in(&self.clinic, "admin", ADMIN_PASSWORD).await
    }

    /// The authenticator's code for the next time step.
    pub fn next_code(&self) -> String {
        totp_at(TOTP_SECRET, self.clock.fetch_add(30, Ordering::SeqCst) + 30)
    }

    /// Sign in as a person would: password and, for an enrolled account, a fresh code;
    /// an administrator or DPO not yet enrolled enrols on the spot.
    pub async fn sign_in(&self, clinic: &Clinic, username: &str, password: &str) -> Session {
        let code = self.next_code();
        let s = clinic.login_with_code(username, password, Some(&code)).await.expect("sign in");
        if s.mfa_pending() {
            self.enrol(clinic, &s).await;
        }
        s
    }

    /// Enrol `s`'s user in two-factor sign-in with [`TOTP_SECRET`].
    pub async fn enrol(&self, clinic: &Clinic, s: &Session) -> cuspid::auth::mfa::RecoveryCodes {
        clinic.begin_totp_with_secret(s, TOTP_SECRET).await.expect("begin TOTP");
        clinic.confirm_totp(s, &self.next_code()).await.expect("confirm TOTP")
    }

    /// Add a staff member with `role` (as admin) and log them in.
    pub async fn staff(&self, username: &str, role: Role) -> Session {
        let admin = self.admin().await;
        self.clinic.admin().add_staff(&admin, username, role, STAFF_PASSWORD).await.expect("add staff");
        self.sign_in(&self.clinic, username, STAFF_PASSWORD).await
    }

    /// Open the same database again, as another process would.
    pub async fn reopen(&self) -> Clinic {
        self.reopen_result().await.expect("reopen")
    }

    pub async fn reopen_result(&self) -> cuspid::Result<Clinic> {
        self.reopen_configured(|_| {}).await
    }

    /// Open the same database again with a configuration changed by `adjust`.
    pub async fn reopen_configured(&self, adjust: impl FnOnce(&mut ClinicConfig)) -> cuspid::Result<Clinic> {
        let location = match &self.db_url {
            Some(url) => Location::Postgres(url.clone()),
            None => Location::DataDir(self.dir.path().join("data")),
        };
        let mut c = config(location, &self.dir, &self.clock);
        adjust(&mut c);
        Clinic::open(c).await
    }

    pub fn sqlite_file(&self) -> PathBuf {
        self.dir.path().join("data").join("cuspid.sqlite")
    }

    /// Run raw SQL as an attacker with direct database access would.
    /// Run `sql` as someone with full SQL access to the database would (on
    /// PostgreSQL the server's superuser, not the workstations' role).
    pub async fn raw(&self, sql: &str) {
        use sea_orm::ConnectionTrait;
        match &self.superuser_url {
            Some(url) => {
                let db = sea_orm::Database::connect(url).await.expect("connect as the superuser");
                db.execute_unprepared(sql).await.expect(sql);
                let _ = db.close().await;
            }
            None => {
                self.clinic.store().connection().execute_unprepared(sql).await.expect(sql);
            }
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self.backend, Backend::Sqlite)
    }
}

fn config(location: Location, dir: &TempDir, clock: &Arc<AtomicU64>) -> ClinicConfig {
    let mut c = ClinicConfig::new(location);
    c.totp_clock = Some(Arc::clone(clock));
    c.state_dir = Some(dir.path().join("state"));
    c.workstation = Some("test-ws".into());
    c
}

/// A test database's addresses: as the workstations' role, and as the superuser.
pub struct PgDatabase {
    pub app: String,
    pub superuser: String,
}

/// `url` signed in as `user` instead (the user is what comes between `://` and `@`).
pub fn pg_url_as(url: &str, user: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a postgres:// URL");
    let host = rest.split_once('@').map_or(rest, |(_, h)| h);
    format!("{scheme}://{user}@{host}")
}

/// A fresh database owned by the owner role (scripts/lib/services.sh creates the
/// roles), its tables created and granted by `cuspid::store::prepare_server`, as the
/// README's set-up does: the clinic under test connects as the workstations' role.
async fn create_pg_database(admin_url: &str) -> PgDatabase {
    use sea_orm::ConnectionTrait;
    let name = format!("cuspid_t_{}", uuid::Uuid::new_v4().simple());
    let roles = std::env::var("CUSPID_PG_OWNER_ROLE").ok().zip(std::env::var("CUSPID_PG_APP_ROLE").ok());
    assert!(
        roles.is_some() || std::env::var("CI").is_err(),
        "CI runs PostgreSQL with the owner and workstation roles apart (scripts/lib/services.sh)"
    );
    let admin = sea_orm::Database::connect(admin_url).await.expect("connect to PostgreSQL admin database");
    let owner_clause = roles.as_ref().map(|(owner, _)| format!(" OWNER {owner}")).unwrap_or_default();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}{owner_clause}"))
        .await
        .expect("create database");
    let _ = admin.close().await;
    // The database name is the last path segment before the query (TLS settings).
    let (path, query) = admin_url.split_once('?').map_or((admin_url, None), |(p, q)| (p, Some(q)));
    let base = path.rsplit_once('/').map(|(b, _)| b).unwrap_or(path);
    let superuser = match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    };
    let app = match &roles {
        Some((owner, app)) => {
            cuspid::store::prepare_server(&pg_url_as(&superuser, owner), app).await.expect("db setup");
            pg_url_as(&superuser, app)
        }
        None => superuser.clone(),
    };
    PgDatabase { app, superuser }
}

/// Test patients. Their identifying strings are what the leak scans look for.
pub struct Person {
    pub first: &'static str,
    pub last: &'static str,
    pub cnp: Option<&'static str>,
    pub phone: &'static str,
    pub email: &'static str,
    pub address: &'static str,
}

pub const PEOPLE: [Person; 4] = [
    Person {
        first: "Ștefan",
        last: "Vlăduțescu",
        cnp: Some("1800101221144"),
        phone: "0721 234 567",
        email: "stefan.vladutescu@example.ro",
        address: "Strada Lăcrămioarelor 12, Iași",
    },
    Person {
        first: "Ioana",
        last: "Bărbulescu",
        cnp: Some("2950315400019"),
        phone: "+40 744 100 200",
        email: "ioana.barbulescu@example.ro",
        address: "Bulevardul Unirii 7, București",
    },
    Person {
        first: "Hans",
        last: "Zimmerwald",
        cnp: None,
        phone: "+49 151 2345 6789",
        email: "hans.zimmerwald@example.de",
        address: "Lindenstraße 5, München",
    },
    Person {
        first: "Mirela",
        last: "Țăranu",
        cnp: Some("2850304400022"),
        phone: "0755 000 111",
        email: "mirela.taranu@example.ro",
        address: "Aleea Trandafirilor 3, Cluj-Napoca",
    },
];

impl Person {
    pub fn new_patient(&self) -> NewPatient {
        NewPatient {
            first_name: self.first.into(),
            last_name: self.last.into(),
            cnp: self.cnp.map(Into::into),
            phone: Some(self.phone.into()),
            email: Some(self.email.into()),
            address: Some(self.address.into()),
            ..Default::default()
        }
    }

    /// Strings that must never be found in clear.
    pub fn secrets(&self) -> Vec<String> {
        let digits: String = self.phone.chars().filter(char::is_ascii_digit).collect();
        let mut v = vec![
            self.first.to_string(),
            self.last.to_string(),
            self.email.to_string(),
            self.address.split(',').next().unwrap_or_default().to_string(),
            digits[digits.len() - 9..].to_string(),
        ];
        v.extend(self.cnp.map(str::to_string));
        v
    }
}

/// Every test's tracing output at TRACE level goes to one file per run, which
/// the log scan (`scripts/test.sh` runs it last) searches for personal data.
pub fn log_file() -> PathBuf {
    std::env::var_os("CUSPID_TEST_LOG")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("cuspid-test-trace.log"))
}

fn init_logging() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log_file())
            .expect("open the test log file");
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(file))
            .try_init();
    });
}

/// Synthetic DICOM files (test data; the core's own unit tests and the benchmark
/// mount the same file).
#[allow(dead_code)]
#[path = "dicom.rs"]
pub mod dicom;

/// The durability test's synthetic patients. The log scan derives the same CNPs
/// from the count the durability test records in the log (`MANIFEST_TAG count=N`).
/// Both are other test targets (the durability test is the CLI's, in
/// cli/tests/cli/), so `tests/it` itself uses none of it.
#[allow(dead_code)]
pub mod synthetic {
    use cuspid::patients::cnp::Cnp;

    pub const MANIFEST_TAG: &str = "cuspid-log-scan-manifest durability-synthetic-patients v1";
    pub const FIRST_NAMES: [&str; 10] = [
        "Smaranda",
        "Ilinca",
        "Răzvan",
        "Sânziana",
        "Cătălin",
        "Brândușa",
        "Horațiu",
        "Mădălina",
        "Dragoș",
        "Ruxandra",
    ];
    pub const LAST_NAMES: [&str; 8] =
        ["Bălănescu", "Țepeluș", "Grigorescu", "Mânzatu", "Știrbei", "Vâlcovici", "Pârvulescu", "Zăgănescu"];

    /// The `i`-th synthetic CNP: valid, and different for every `i` (mixed radix
    /// over sex, serial, county and birth day, from 1 January 1930).
    pub fn cnp(i: u64) -> String {
        let sex = 1 + i % 2;
        let rest = i / 2;
        let serial = 1 + rest % 999;
        let rest = rest / 999;
        let county = match rest % 42 {
            k @ 0..40 => k + 1,
            k => 51 + (k - 40),
        };
        let born =
            chrono::NaiveDate::from_ymd_opt(1930, 1, 1).expect("a real date") + chrono::Days::new(rest / 42);
        assert!(born.format("%Y").to_string().starts_with("19"), "synthetic index {i} is out of range");
        let first12 = format!("{sex}{}{county:02}{serial:03}", born.format("%y%m%d"));
        format!("{first12}{}", Cnp::control_digit(&first12).expect("12 digits"))
    }
}

/// What an unencrypted export of one patient wrote: its folder (alive while `_dir`
/// is) and the resources of its FHIR bundle.
pub struct Exported {
    pub _dir: tempfile::TempDir,
    pub folder: PathBuf,
    pub resources: Vec<serde_json::Value>,
}

impl Exported {
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.folder.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    pub fn of_type(&self, resource_type: &str) -> Vec<&serde_json::Value> {
        self.resources.iter().filter(|r| r["resourceType"] == resource_type).collect()
    }
}

/// Checks FHIR bundles with an independent R4 (4.0.1) validator, fhir.resources
/// (`tests/fixtures/fhir/validate.py`, installed from `tests/requirements.txt`).
pub fn validate_fhir_r4(bundles: &[&std::path::Path]) {
    let python = std::env::var("CUSPID_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fhir/validate.py");
    let run = std::process::Command::new(&python).arg(&script).args(bundles).output().expect("python");
    assert!(
        run.status.success(),
        "the bundle is not valid FHIR R4 ({python} {}; its tools: `pip install -r tests/requirements.txt`):\n{}",
        script.display(),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Export `patient` as the DPO `dpo`, unencrypted, into a fresh folder; its FHIR
/// bundle is checked by the independent validator on the way.
pub async fn export(t: &TestClinic, dpo: &cuspid::Session, patient: uuid::Uuid) -> Exported {
    let dir = tempfile::tempdir().expect("temp dir");
    let opts = cuspid::gdpr::export::ExportOptions {
        dir: dir.path().to_path_buf(),
        encryption: cuspid::gdpr::export::ExportEncryption::None,
        keep_image_metadata: false,
        lang: None,
        request_id: None,
    };
    let report = t.clinic.gdpr().export_patient(dpo, patient, opts).await.expect("export");
    let folder = PathBuf::from(&report.data_path);
    validate_fhir_r4(&[&folder.join("fhir-bundle.json")]);
    let bundle: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("fhir-bundle.json")).expect("bundle"))
            .expect("JSON");
    let resources =
        bundle["entry"].as_array().expect("entries").iter().map(|e| e["resource"].clone()).collect();
    Exported { _dir: dir, folder, resources }
}
