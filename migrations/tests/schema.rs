//! The schema is frozen: these migrations have run at clinics, so what they
//! make must never change by a byte. This test applies every migration and
//! compares the outcome with fixtures recorded from the shipped code:
//!
//! `schema.sqlite.txt`, `sqlite_master` of a fresh SQLite database after
//! `Migrator::up` (the bookkeeping `seaql_migrations` table left out).
//!
//! Run with `CUSPID_BLESS_SCHEMA=1` to rewrite the fixtures — only ever when a
//! new migration is added, never to make an edited old one pass.

use std::path::PathBuf;

use cuspid_migrations::{Migrator, MigratorTrait};
use sea_orm_migration::sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

/// Compares `actual` with the fixture `name`, or rewrites it when blessing.
fn check(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join(name);
    if std::env::var_os("CUSPID_BLESS_SCHEMA").is_some() {
        std::fs::write(&path, actual).expect("write fixture");
        return;
    }
    let expected = std::fs::read_to_string(&path).expect("read fixture");
    if let Some((n, (want, got))) =
        expected.lines().zip(actual.lines()).enumerate().find(|(_, (want, got))| want != got)
    {
        panic!(
            "the schema in {name} changed at line {}; migrations that have shipped must emit \
             the same SQL\nwas: {want}\nnow: {got}",
            n + 1
        );
    }
    assert!(expected == actual, "the schema in {name} changed in length; shipped migrations must not");
}

#[tokio::test]
async fn sqlite_master_is_unchanged() {
    let db = Database::connect("sqlite::memory:").await.expect("open SQLite");
    Migrator::up(&db, None).await.expect("migrate");
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT type, name, tbl_name, sql FROM sqlite_master \
             WHERE name <> 'seaql_migrations' ORDER BY type, name",
        ))
        .await
        .expect("read sqlite_master");
    let mut dump = String::new();
    for row in rows {
        let get = |col: &str| -> String {
            row.try_get::<Option<String>>("", col).expect("column").unwrap_or_else(|| "NULL".to_owned())
        };
        dump.push_str(&format!(
            "-- {} {} on {}\n{};\n\n",
            get("type"),
            get("name"),
            get("tbl_name"),
            get("sql")
        ));
    }
    check("schema.sqlite.txt", &dump);
}
