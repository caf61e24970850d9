//! Opening the database: one function sets every connection's pragmas, refuses
//! files that are not Cuspid databases and schemas newer than this build, and
//! runs pending migrations.

pub mod blobs;
pub(crate) mod codes;
pub mod entities;

use std::path::{Path, PathBuf};
use std::time::Duration;

use cuspid_migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgSslMode};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::error::{Error, Result};
use crate::rules::{Rule, Subject};

/// File name of the SQLite database inside a data folder.
pub const SQLITE_FILE: &str = "cuspid.sqlite";

/// Where the clinic's data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A data folder holding `cuspid.sqlite` (created when missing).
    DataDir(PathBuf),
    /// A PostgreSQL server shared by the clinic's workstations.
    Postgres(String),
}

impl Location {
    /// The OS application-data folder (e.g. `~/.local/share/cuspid` on Linux).
    pub fn default_data_dir() -> Result<PathBuf> {
        directories::ProjectDirs::from("ro", "Cuspid", "cuspid")
            .map(|d| d.data_dir().to_path_buf())
            .ok_or_else(|| Error::Io("no home folder to put the data folder in".into()))
    }

    /// A stable name for this database, used to key workstation state (checkpoints).
    pub fn describe(&self) -> String {
        match self {
            Location::DataDir(p) => p.join(SQLITE_FILE).display().to_string(),
            // Never echo credentials.
            Location::Postgres(url) => match url.rsplit_once('@') {
                Some((_, host)) => format!("postgres://{host}"),
                None => url.clone(),
            },
        }
    }
}

/// An open database with the schema up to date.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    sqlite_file: Option<PathBuf>,
}

impl Store {
    pub async fn open(location: &Location) -> Result<Store> {
        let (db, sqlite_file) = match location {
            Location::DataDir(dir) => {
                crate::files::private_dir(dir)?;
                let file = dir.join(SQLITE_FILE);
                // Made 0600 before SQLite sees it (an empty file is an empty database);
                // SQLite gives its -wal and -shm files the same mode.
                if file.exists() {
                    crate::files::restrict(&file, 0o600)?;
                } else {
                    drop(crate::files::create_new(&file)?);
                }
                for side in ["-wal", "-shm"] {
                    let p = dir.join(format!("{SQLITE_FILE}{side}"));
                    if p.exists() {
                        crate::files::restrict(&p, 0o600)?;
                    }
                }
                let blobs = dir.join("blobs");
                if blobs.exists() {
                    crate::files::restrict(&blobs, 0o700)?;
                }
                (open_sqlite(&file).await?, Some(file))
            }
            Location::Postgres(url) => (open_postgres(url).await?, None),
        };
        let store = Store { db, sqlite_file };
        store.check_is_cuspid(location).await?;
        store.check_schema_not_newer().await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Apply the migrations this build knows and the database lacks. None pending is
    /// a read only, so a workstation's role that may not create tables opens an
    /// up-to-date server; one with migrations pending is told who must apply them.
    async fn migrate(&self) -> Result<()> {
        if self.pending_migrations().await? == 0 {
            return Ok(());
        }
        Migrator::up(&self.db, None).await.map_err(|e| match Error::from(e) {
            Error::Database(m) if self.backend() == DbBackend::Postgres && is_privilege_error(&m) => {
                Error::NeedsOwner
            }
            other => other,
        })
    }

    async fn pending_migrations(&self) -> Result<usize> {
        let known = Migrator::migrations();
        if !self.table_names().await?.iter().any(|t| t == "seaql_migrations") {
            return Ok(known.len());
        }
        let rows = self
            .db
            .query_all_raw(Statement::from_string(self.backend(), "SELECT version FROM seaql_migrations"))
            .await?;
        let applied: Vec<String> =
            rows.iter().filter_map(|r| r.try_get::<String>("", "version").ok()).collect();
        Ok(known.iter().filter(|m| !applied.iter().any(|a| a == m.name())).count())
    }

    /// Where sealed files go: beside the SQLite file, or in the PostgreSQL database.
    pub fn blobs(&self) -> blobs::Blobs {
        match &self.sqlite_file {
            Some(file) => blobs::Blobs::Dir(file.with_file_name("blobs")),
            None => blobs::Blobs::Table,
        }
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    pub fn sqlite_file(&self) -> Option<&Path> {
        self.sqlite_file.as_deref()
    }

    /// Begin a write transaction. On SQLite it takes the write lock at BEGIN
    /// (IMMEDIATE), so a transaction never fails half-way on a lock upgrade.
    pub async fn begin(&self) -> Result<DatabaseTransaction> {
        let opts = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        Ok(self.db.begin_with_options(opts).await?)
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    async fn table_names(&self) -> Result<Vec<String>> {
        let sql = match self.backend() {
            DbBackend::Sqlite => "SELECT name AS t FROM sqlite_master WHERE type = 'table'",
            _ => {
                "SELECT table_name::text AS t FROM information_schema.tables WHERE table_schema = current_schema()"
            }
        };
        let rows = self.db.query_all_raw(Statement::from_string(self.backend(), sql)).await?;
        Ok(rows.iter().filter_map(|r| r.try_get::<String>("", "t").ok()).collect())
    }

    async fn check_is_cuspid(&self, location: &Location) -> Result<()> {
        let what = || match location {
            Location::DataDir(_) => format!("the file {SQLITE_FILE} in the data folder"),
            Location::Postgres(_) => "the PostgreSQL database".to_owned(),
        };
        let tables = self.table_names().await.map_err(|e| match e {
            Error::Database(ref m) if m.contains("not a database") => Error::NotACuspidDatabase(what()),
            other => other,
        })?;
        let ours =
            tables.iter().any(|t| t == "seaql_migrations") && tables.iter().any(|t| t == "clinic_meta");
        if tables.is_empty() || ours { Ok(()) } else { Err(Error::NotACuspidDatabase(what())) }
    }

    async fn check_schema_not_newer(&self) -> Result<()> {
        if !self.table_names().await?.iter().any(|t| t == "seaql_migrations") {
            return Ok(()); // a fresh database
        }
        let known: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
        let rows = self
            .db
            .query_all_raw(Statement::from_string(self.backend(), "SELECT version FROM seaql_migrations"))
            .await?;
        let applied = rows.iter().filter_map(|r| r.try_get::<String>("", "version").ok());
        if let Some(unknown) = applied.into_iter().find(|n| !known.contains(n)) {
            return Err(Error::SchemaTooNew {
                found: unknown,
                known: known.last().cloned().unwrap_or_default(),
            });
        }
        Ok(())
    }

    /// Fold the WAL into the main file and truncate it (used after erasing keys).
    pub async fn checkpoint_wal(&self) -> Result<()> {
        if self.backend() == DbBackend::Sqlite {
            self.db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        }
        Ok(())
    }
}

fn is_privilege_error(category: &str) -> bool {
    category == "permission denied" || category == "must be owner"
}

/// Prepare a clinic's PostgreSQL database for its workstations, connected as the
/// role that owns it (`owner_url`): create or upgrade the tables, then let
/// `app_role`, the role the workstations connect with, read and write the clinic's
/// tables but only read and append to the audit log (no UPDATE, DELETE or
/// TRUNCATE there, and, not owning any table, no trigger changes). Run again after
/// an upgrade that adds tables. Returns the tables granted.
pub async fn prepare_server(owner_url: &str, app_role: &str) -> Result<usize> {
    let role = app_role.trim();
    let valid = role.len() <= 63
        && role.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && role.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(Error::InvalidInput(Rule::RoleNameFormat));
    }
    let store = Store::open(&Location::Postgres(owner_url.to_owned())).await?;
    let db = &store.db;
    let who = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, "SELECT current_user::text AS u"))
        .await?
        .and_then(|r| r.try_get::<String>("", "u").ok())
        .unwrap_or_default();
    if who == role {
        return Err(Error::InvalidInput(Rule::WorkstationsRoleIsOwner));
    }
    let exists = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT 1 AS x FROM pg_roles WHERE rolname = $1",
            [role.into()],
        ))
        .await?
        .is_some();
    if !exists {
        return Err(Error::NotFound(Subject::WorkstationsRole));
    }
    let tables = store.table_names().await?;
    let quoted = format!("\"{role}\"");
    let mut sql = vec![
        format!("GRANT USAGE ON SCHEMA public TO {quoted}"),
        format!("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quoted}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}"),
        format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}"),
        // The log: read and append only. The migrations' table: read only, so the
        // workstations see the schema is current and never change it.
        format!("REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM {quoted}"),
        format!("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON seaql_migrations FROM {quoted}"),
    ];
    // Nobody but the owner creates objects (PostgreSQL before 15 let every role).
    sql.push("REVOKE CREATE ON SCHEMA public FROM PUBLIC".to_owned());
    sql.push(format!("REVOKE CREATE ON SCHEMA public FROM {quoted}"));
    let tx = db.begin().await?;
    for statement in sql {
        tx.execute_unprepared(&statement).await?;
    }
    tx.commit().await?;
    tracing::info!(tables = tables.len(), "server prepared for the workstations' role");
    Ok(tables.len())
}

/// A raw SQLite connection with the same pragmas, for the bulk paths (import,
/// audit verification) where sea-orm's per-statement cost dominates.
pub(crate) fn raw_sqlite(file: &Path) -> Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(sqlite_error)?;
    conn.busy_timeout(Duration::from_secs(15)).map_err(sqlite_error)?;
    // A large page cache keeps the blind-index B-trees of a bulk insert in memory.
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; \
         PRAGMA cache_size = -262144;",
    )
    .map_err(sqlite_error)?;
    Ok(conn)
}

/// Driver errors reduced to a PHI-free category (see `Error::Database`).
pub(crate) fn sqlite_error(e: rusqlite::Error) -> Error {
    Error::Database(crate::error::describe_db_error(&e.to_string()))
}

async fn open_sqlite(file: &Path) -> Result<DatabaseConnection> {
    if let Ok(meta) = std::fs::metadata(file) {
        // SQLite itself would only notice on the first query; check the header first.
        if meta.len() > 0 && !has_sqlite_header(file)? {
            return Err(Error::NotACuspidDatabase(format!("the file {SQLITE_FILE} in the data folder")));
        }
    }
    let options = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a committed save survives a power cut, not only a crash.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(15))
        // Destroyed keys must not linger in free pages.
        .pragma("secure_delete", "ON");
    let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
    Ok(sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

fn has_sqlite_header(file: &Path) -> Result<bool> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(file)?;
    let n = f.read(&mut head)?;
    Ok(n == 16 && &head == b"SQLite format 3\0")
}

async fn open_postgres(url: &str) -> Result<DatabaseConnection> {
    let options = server_options(url)?;
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(15))
        .connect_with(options)
        .await
        .map_err(server_error)?;
    Ok(sea_orm::SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
}

/// How to reach a clinic's server: over TLS that checks the server's certificate
/// (`verify-full` unless the URL says `verify-ca`), with the clinic's CA file as
/// `sslrootcert`, or the public roots. A connection that does not authenticate the
/// server (`require`, `prefer`, `allow`) is refused; plain TCP (`sslmode=disable`) only
/// when the operator says so for this machine's own loopback address.
pub(crate) fn server_options(url: &str) -> Result<PgConnectOptions> {
    let mode = url
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or_default()
        .split('&')
        .find_map(|kv| kv.strip_prefix("sslmode="))
        .map(str::to_ascii_lowercase);
    let options: PgConnectOptions =
        url.parse().map_err(|_| Error::InvalidInput(Rule::ServerAddressFormat))?;
    match mode.as_deref() {
        None => Ok(options.ssl_mode(PgSslMode::VerifyFull)),
        Some("verify-full" | "verify-ca") => Ok(options),
        Some("disable") if is_loopback(options.get_host()) || options.get_socket().is_some() => Ok(options),
        Some("disable") => Err(Error::InsecureConnection(
            "plain TCP is only for this machine's own address (127.0.0.1 or localhost): use TLS with sslmode=verify-full",
        )),
        Some(_) => Err(Error::InsecureConnection(
            "this sslmode does not check the server's certificate: use sslmode=verify-full with the clinic's CA file",
        )),
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A connection failure in words the operator can act on: TLS, or a server that
/// accepts only encrypted connections; anything else by its category.
fn server_error(e: sqlx::Error) -> Error {
    let text = e.to_string().to_ascii_lowercase();
    // rustls reports a refused certificate through the socket, as an I/O error.
    let tls_io = matches!(&e, sqlx::Error::Io(_)) && (text.contains("certificate") || text.contains("tls"));
    match &e {
        sqlx::Error::Tls(_) => Error::Tls,
        _ if tls_io => Error::Tls,
        _ if text.contains("pg_hba.conf") => Error::InsecureConnection(
            "the server refused this connection (it accepts only encrypted ones, or not from here)",
        ),
        _ => Error::from(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_is_reached_over_tls_that_checks_its_certificate() {
        let mode = |url: &str| server_options(url).map(|o| format!("{:?}", o.get_ssl_mode()));
        assert_eq!(mode("postgres://u@db.clinic/c").unwrap(), "VerifyFull", "verify-full by default");
        assert_eq!(mode("postgres://u@db.clinic/c?sslmode=verify-ca").unwrap(), "VerifyCa");
        assert_eq!(
            mode("postgres://u@127.0.0.1/c?sslmode=disable").unwrap(),
            "Disable",
            "said, for loopback"
        );
        assert_eq!(mode("postgres://u@localhost:5433/c?sslmode=disable").unwrap(), "Disable");
        for refused in [
            "postgres://u@db.clinic/c?sslmode=disable",
            "postgres://u@192.168.1.10/c?sslmode=disable",
            "postgres://u@db.clinic/c?sslmode=require",
            "postgres://u@db.clinic/c?sslmode=prefer",
        ] {
            assert_eq!(mode(refused).unwrap_err().kind(), "storage.insecure_connection", "{refused}");
        }
    }
}
