//! Opening databases: pragmas, refusals, UUIDv7 ids, no personal data on disk.

#![allow(clippy::unwrap_used)]

use cuspid::{Clinic, ClinicConfig, Location};
use sea_orm::ConnectionTrait;

use crate::support::{Backend, PEOPLE, TestClinic, backend_tests, profile};

async fn pragma(t: &TestClinic, name: &str) -> String {
    let row = t
        .clinic
        .store()
        .connection()
        .query_one_raw(sea_orm::Statement::from_string(sea_orm::DbBackend::Sqlite, format!("PRAGMA {name}")))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0)
        .map(|v| v.to_string())
        .or_else(|_| row.try_get_by_index::<String>(0))
        .unwrap()
}

#[tokio::test]
async fn sqlite_is_opened_durable_and_shredding() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    assert_eq!(pragma(&t, "journal_mode").await, "wal");
    assert_eq!(pragma(&t, "synchronous").await, "2", "FULL: a committed save survives a power cut");
    assert_eq!(pragma(&t, "foreign_keys").await, "1");
    assert_eq!(pragma(&t, "secure_delete").await, "1", "destroyed keys must not linger in free pages");
    assert!(pragma(&t, "busy_timeout").await.parse::<i64>().unwrap() >= 5000);
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(data.join("cuspid.sqlite"), &junk).unwrap();
    let err = Clinic::open(ClinicConfig::new(Location::DataDir(data.clone()))).await.unwrap_err();
    assert_eq!(err.kind(), "storage.not_cuspid_database");
    assert_eq!(std::fs::read(data.join("cuspid.sqlite")).unwrap(), junk, "the file must not be touched");
}

#[tokio::test]
async fn another_applications_sqlite_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let url = format!("sqlite://{}?mode=rwc", data.join("cuspid.sqlite").display());
    let other = sea_orm::Database::connect(&url).await.unwrap();
    other.execute_unprepared("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)").await.unwrap();
    other.close().await.unwrap();
    let err = Clinic::open(ClinicConfig::new(Location::DataDir(data))).await.unwrap_err();
    assert_eq!(err.kind(), "storage.not_cuspid_database");
}

backend_tests! {
    async fn a_schema_newer_than_this_build_is_refused(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        t.raw("INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20991231_000000_future', 0)")
            .await;
        let err = t.reopen_result().await.unwrap_err();
        assert_eq!(err.kind(), "storage.schema_too_new", "{backend:?}");
    }
}

backend_tests! {
    async fn ids_are_uuid_v7_and_init_is_once(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let admin = t.admin().await;
        let p = t.clinic.patients().register_patient(&admin_recept(&t).await, PEOPLE[0].new_patient()).await.unwrap();
        assert_eq!(p.id.get_version_num(), 7, "{backend:?}");
        assert_eq!(admin.staff_id().get_version_num(), 7);
        let again = t.clinic.init(profile("Other"), "admin2", "another-password").await.unwrap_err();
        assert_eq!(again.kind(), "conflict.already_initialised");
        let reopened = t.reopen().await;
        assert_eq!(reopened.clinic_name().as_deref(), Some("Clinica Zâmbet"));
    }
}

async fn admin_recept(t: &TestClinic) -> cuspid::Session {
    t.staff("recep", cuspid::Role::Receptionist).await
}

#[tokio::test]
async fn no_personal_data_in_clear_in_the_sqlite_file_or_wal() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let s = admin_recept(&t).await;
    for p in &PEOPLE {
        let mut np = p.new_patient();
        np.emergency_contact = Some(format!("{} (sora)", p.first));
        t.clinic.patients().register_patient(&s, np).await.unwrap();
    }
    let data = t.sqlite_file().parent().unwrap().to_path_buf();
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(&data).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert!(bytes.len() > 10_000, "the database and its WAL were read");
    let dpo = profile("Clinica Zâmbet").dpo;
    let dpo_secrets = vec![vec![dpo.name.clone(), dpo.email.clone().unwrap(), "740000111".to_owned()]];
    for secrets in PEOPLE.iter().map(|p| p.secrets()).chain(dpo_secrets) {
        for secret in secrets {
            for variant in [secret.clone(), secret.to_lowercase(), secret.to_uppercase()] {
                let needle = variant.as_bytes();
                let utf16: Vec<u8> = variant.encode_utf16().flat_map(u16::to_le_bytes).collect();
                for n in [needle, utf16.as_slice()] {
                    assert!(
                        !bytes.windows(n.len()).any(|w| w == n),
                        "personal data is readable in clear in the data folder"
                    );
                }
            }
        }
    }
}

backend_tests! {
    async fn switching_sealing_off_in_the_database_is_caught_at_login(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        t.raw("UPDATE clinic_meta SET sealing = 'off'").await;
        // This build has no plaintext twin: the database is refused before anyone signs in.
        let err = t.reopen_result().await.map(|_| ()).unwrap_err();
        assert_eq!(err.kind(), "integrity.tampered", "{backend:?}: nothing may be stored in clear");
        assert!(err.to_string().contains("stored in clear"), "{err}");
    }
}

backend_tests! {
    async fn the_app_and_the_cli_cannot_create_a_clinic_without_field_encryption(backend) {
        let t = TestClinic::open(&backend).await;
        let options = cuspid::InitOptions { sealing_off_for_benchmark: true };
        let err = t
            .clinic
            .init_with(crate::support::profile("Clinica"), "admin", crate::support::ADMIN_PASSWORD, options)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "input.invalid", "{backend:?}: {err}");
        assert!(!t.clinic.is_initialised(), "{backend:?}: nothing was set up");
    }
}

backend_tests! {
    async fn settings_default_then_change_and_persist(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let admin = t.admin().await;
        let defaults = t.clinic.admin().settings(&admin).await.unwrap();
        assert_eq!(defaults.idle_lock_minutes, 5, "the idle lock defaults to 5 minutes");
        let bad = cuspid::admin::settings::Settings { idle_lock_minutes: 0, ..defaults.clone() };
        assert_eq!(t.clinic.admin().update_settings(&admin, bad).await.unwrap_err().kind(), "input.invalid");
        let new =
            cuspid::admin::settings::Settings { idle_lock_minutes: 10, language: cuspid::admin::settings::Language::En };
        t.clinic.admin().update_settings(&admin, new.clone()).await.unwrap();
        let recep = t.staff("ana", cuspid::Role::Receptionist).await;
        assert_eq!(t.reopen().await.admin().settings(&recep).await.unwrap(), new, "{backend:?}");
        assert_eq!(t.clinic.admin().update_settings(&recep, new).await.unwrap_err().kind(), "auth.permission_denied");
    }
}

/// The test server's URL for database `db`, with the given query instead of its own.
fn pg_url_with(query: &str) -> Option<String> {
    let url = std::env::var("CUSPID_TEST_POSTGRES_URL").ok()?;
    Some(format!("{}?{query}", url.split_once('?').map_or(url.as_str(), |(base, _)| base)))
}

#[tokio::test]
async fn the_server_is_reached_over_tls_with_the_clinics_ca_only() {
    use cuspid::{Clinic, ClinicConfig, Location};
    let Some(ca) = std::env::var("CUSPID_PG_CA").ok() else {
        assert!(std::env::var("CI").is_err(), "CI runs the TLS checks against its own server");
        return;
    };
    let open = |url: String| async move { Clinic::open(ClinicConfig::new(Location::Postgres(url))).await };
    open(pg_url_with(&format!("sslmode=verify-full&sslrootcert={ca}")).unwrap()).await.expect("the right CA");

    let wrong = std::env::var("CUSPID_PG_WRONG_CA").unwrap();
    let e =
        open(pg_url_with(&format!("sslmode=verify-full&sslrootcert={wrong}")).unwrap()).await.unwrap_err();
    assert_eq!(e.kind(), "storage.tls", "a certificate the clinic's CA did not sign: {e}");
    // No sslmode means verify-full, so the public roots do not know this server either.
    let e = open(pg_url_with("").unwrap()).await.unwrap_err();
    assert_eq!(e.kind(), "storage.tls", "verify-full by default: {e}");
    // Plain TCP, said explicitly for the loopback address: the server itself refuses it.
    let e = open(pg_url_with("sslmode=disable").unwrap()).await.unwrap_err();
    assert_eq!(e.kind(), "storage.insecure_connection", "{e}");
    // Encryption without checking whom we talk to is refused before connecting.
    let e = open(pg_url_with("sslmode=require").unwrap()).await.unwrap_err();
    assert_eq!(e.kind(), "storage.insecure_connection", "{e}");
    let e = open("postgres://cuspid@db.clinic.example:5432/cuspid?sslmode=disable".into()).await.unwrap_err();
    assert_eq!(e.kind(), "storage.insecure_connection", "plain TCP to another machine: {e}");
}

/// The schema is frozen on PostgreSQL too (`migrations/tests/schema.rs` guards the
/// SQLite one): a fresh server database after every migration, read back from the
/// catalog (columns, constraints, indexes, triggers, functions), must match the
/// description recorded from the shipped migrations. `CUSPID_BLESS_SCHEMA=1` rewrites
/// it, only ever when a new migration is added.
#[tokio::test]
async fn the_postgresql_schema_is_unchanged() {
    let Some(backend) = Backend::postgres() else { return };
    let t = TestClinic::open(&backend).await;
    let url = t.superuser_url.clone().expect("a PostgreSQL clinic has a superuser URL");
    let db = sea_orm::Database::connect(&url).await.expect("connect as the superuser");
    let catalog = [
        (
            "columns",
            "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text, \
             coalesce(column_default::text, '') FROM information_schema.columns \
             WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
        ),
        (
            "constraints",
            "SELECT conrelid::regclass::text, conname::text, pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
        ),
        (
            "indexes",
            "SELECT tablename::text, indexname::text, indexdef::text FROM pg_indexes \
             WHERE schemaname = 'public' ORDER BY 1, 2",
        ),
        (
            "triggers",
            "SELECT tgrelid::regclass::text, tgname::text, pg_get_triggerdef(oid) FROM pg_trigger \
             WHERE NOT tgisinternal ORDER BY 1, 2",
        ),
        (
            "functions",
            "SELECT proname::text, pg_get_functiondef(oid) FROM pg_proc \
             WHERE pronamespace = 'public'::regnamespace ORDER BY 1",
        ),
    ];
    let mut dump = String::new();
    for (what, sql) in catalog {
        dump.push_str(&format!("-- {what}\n"));
        let rows = db
            .query_all_raw(sea_orm::Statement::from_string(sea_orm::DbBackend::Postgres, sql))
            .await
            .expect(what);
        for row in rows {
            let cells: Vec<String> = (0..row.column_names().len())
                .map(|i| row.try_get_by_index::<String>(i).expect("a text cell"))
                .collect();
            dump.push_str(&cells.join(" | "));
            dump.push('\n');
        }
    }
    let _ = db.close().await;
    let fixture =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema.postgres.txt");
    if std::env::var_os("CUSPID_BLESS_SCHEMA").is_some() {
        std::fs::write(&fixture, &dump).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&fixture).unwrap();
    if let Some((n, (was, now))) = expected.lines().zip(dump.lines()).enumerate().find(|(_, (a, b))| a != b) {
        panic!(
            "the PostgreSQL schema changed at line {}; shipped migrations must not\nwas: {was}\nnow: {now}",
            n + 1
        );
    }
    assert_eq!(expected.lines().count(), dump.lines().count(), "the PostgreSQL schema changed in length");
}
