//! The hash-chained audit log. Events are appended inside the transaction of the
//! change they record; the chain head row is locked first, so concurrent writers
//! (several PostgreSQL clients) still produce one chain.

mod actions;
mod checkpoint;
mod gdpr;
mod verify;

pub use actions::{ActionName, AuditAction};
pub use checkpoint::Checkpoint;
pub(crate) use checkpoint::{
    CheckpointKey, CheckpointKeys, load as checkpoint_load, store as checkpoint_store,
};
pub use gdpr::AuditTrail;
pub use verify::VerifyReport;
pub(crate) use verify::verify_chain;

use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, Statement};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::store::entities::{audit_event, audit_head};

/// Hash the first event links to.
pub const GENESIS: [u8; 32] = [0; 32];

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Denied,
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failure => "failure",
        }
    }
}

/// Who acted: copied into every event.
#[derive(Debug, Clone)]
pub(crate) struct Actor {
    pub id: Option<Uuid>,
    pub name: String,
    pub role: String,
    pub workstation: String,
}

/// One thing that happened. `subject` is the patient it concerns (an id, never a name).
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub action: &'static str,
    pub entity_type: &'static str,
    pub entity_id: Option<String>,
    pub subject: Option<Uuid>,
    pub purpose: String,
    pub outcome: Outcome,
}

impl Event {
    pub fn new(action: impl ActionName, entity_type: &'static str) -> Self {
        Event {
            action: action.name(),
            entity_type,
            entity_id: None,
            subject: None,
            purpose: String::new(),
            outcome: Outcome::Success,
        }
    }
    pub fn entity(mut self, id: impl ToString) -> Self {
        self.entity_id = Some(id.to_string());
        self
    }
    pub fn subject(mut self, patient: Uuid) -> Self {
        self.subject = Some(patient);
        self.entity_id.get_or_insert_with(|| patient.to_string());
        self
    }
    pub fn purpose(mut self, purpose: impl Into<String>) -> Self {
        self.purpose = purpose.into();
        self
    }
    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = outcome;
        self
    }
}

/// Collects the events of one transaction, chaining each to the one before.
#[derive(Debug)]
pub(crate) struct AuditWriter {
    head_seq: i64,
    head_hash: [u8; 32],
    /// Whether the head row exists yet (the very first append creates it).
    head_exists: bool,
    pending: Vec<audit_event::Model>,
}

impl AuditWriter {
    /// Lock the chain head for this transaction and read it.
    pub async fn begin(tx: &DatabaseTransaction) -> Result<Self> {
        let backend = tx.get_database_backend();
        let sql = match backend {
            DbBackend::Postgres => "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
            // SQLite transactions begin IMMEDIATE: the write lock is already held.
            _ => "SELECT seq, hash FROM audit_head WHERE id = 1",
        };
        let row = tx.query_one_raw(Statement::from_string(backend, sql)).await?;
        let head = match row {
            Some(r) => Some((r.try_get::<i64>("", "seq")?, r.try_get::<Vec<u8>>("", "hash")?)),
            None => None,
        };
        Self::from_head(head)
    }

    /// The same on a raw SQLite connection (bulk paths); the caller's transaction
    /// must be `BEGIN IMMEDIATE`.
    pub fn begin_sqlite(conn: &rusqlite::Connection) -> Result<Self> {
        use rusqlite::OptionalExtension;
        let head = conn
            .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(crate::store::sqlite_error)?;
        Self::from_head(head)
    }

    fn from_head(head: Option<(i64, Vec<u8>)>) -> Result<Self> {
        let (head_seq, head_hash, head_exists) = match head {
            Some((seq, hash)) => {
                let hash: [u8; 32] = hash
                    .try_into()
                    .map_err(|_| Error::Tampered("the audit head has a malformed hash".into()))?;
                (seq, hash, true)
            }
            None => (0, GENESIS, false),
        };
        Ok(AuditWriter { head_seq, head_hash, head_exists, pending: Vec::new() })
    }

    /// The chain head's seq as this transaction found it.
    pub fn head_seq(&self) -> i64 {
        self.head_seq
    }

    pub fn append(&mut self, actor: &Actor, event: Event) {
        self.append_at(actor, event, now_micros());
    }

    pub fn append_at(&mut self, actor: &Actor, event: Event, at: i64) {
        let seq = self.head_seq + 1;
        let record = EventRecord {
            seq,
            at,
            actor_id: actor.id.as_ref().map(|u| &u.as_bytes()[..]),
            actor: actor.name.as_bytes(),
            role: actor.role.as_bytes(),
            workstation: actor.workstation.as_bytes(),
            action: event.action.as_bytes(),
            entity_type: event.entity_type.as_bytes(),
            entity_id: event.entity_id.as_deref().map(str::as_bytes),
            subject_id: event.subject.as_ref().map(|u| &u.as_bytes()[..]),
            purpose: event.purpose.as_bytes(),
            outcome: event.outcome.as_str().as_bytes(),
        };
        let hash = record.hash(&self.head_hash);
        self.pending.push(audit_event::Model {
            seq,
            at,
            actor_id: actor.id,
            actor: actor.name.clone(),
            role: actor.role.clone(),
            workstation: actor.workstation.clone(),
            action: event.action.to_owned(),
            entity_type: event.entity_type.to_owned(),
            entity_id: event.entity_id,
            subject_id: event.subject,
            purpose: event.purpose,
            outcome: event.outcome.as_str().to_owned(),
            prev_hash: self.head_hash.to_vec(),
            hash: hash.to_vec(),
        });
        self.head_seq = seq;
        self.head_hash = hash;
    }

    /// Write the pending events and move the head; returns the new head.
    pub async fn flush(&mut self, tx: &DatabaseTransaction) -> Result<(i64, [u8; 32])> {
        if self.pending.is_empty() {
            return Ok((self.head_seq, self.head_hash));
        }
        let events = std::mem::take(&mut self.pending);
        // Stay under SQLite's bound-variable limit (14 columns per event).
        let mut iter = events.into_iter().map(audit_event::ActiveModel::from).peekable();
        while iter.peek().is_some() {
            let chunk: Vec<_> = iter.by_ref().take(2000).collect();
            audit_event::Entity::insert_many(chunk).exec(tx).await?;
        }
        let head = audit_head::ActiveModel {
            id: Set(1),
            seq: Set(self.head_seq),
            hash: Set(self.head_hash.to_vec()),
        };
        if self.head_exists {
            audit_head::Entity::update(head).exec(tx).await?;
        } else {
            audit_head::Entity::insert(head).exec(tx).await?;
            self.head_exists = true;
        }
        Ok((self.head_seq, self.head_hash))
    }

    /// `flush` on a raw SQLite transaction, with one prepared statement.
    pub fn flush_sqlite(&mut self, conn: &rusqlite::Connection) -> Result<(i64, [u8; 32])> {
        use crate::store::sqlite_error;
        let events = std::mem::take(&mut self.pending);
        let mut stmt = conn
            .prepare(
                "INSERT INTO audit_event (seq, at, actor_id, actor, role, workstation, action, entity_type, \
                 entity_id, subject_id, purpose, outcome, prev_hash, hash) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )
            .map_err(sqlite_error)?;
        for e in &events {
            stmt.execute(rusqlite::params![
                e.seq,
                e.at,
                e.actor_id.as_ref().map(|u| &u.as_bytes()[..]),
                e.actor,
                e.role,
                e.workstation,
                e.action,
                e.entity_type,
                e.entity_id,
                e.subject_id.as_ref().map(|u| &u.as_bytes()[..]),
                e.purpose,
                e.outcome,
                e.prev_hash,
                e.hash,
            ])
            .map_err(sqlite_error)?;
        }
        conn.execute(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2) \
             ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            rusqlite::params![self.head_seq, &self.head_hash[..]],
        )
        .map_err(sqlite_error)?;
        self.head_exists = true;
        Ok((self.head_seq, self.head_hash))
    }
}

/// The fields of an event in the order they are hashed.
/// Text is taken as bytes (UTF-8 as stored) and ids as their 16 bytes, so the
/// verifier hashes what the database holds without decoding it.
pub(crate) struct EventRecord<'a> {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<&'a [u8]>,
    pub actor: &'a [u8],
    pub role: &'a [u8],
    pub workstation: &'a [u8],
    pub action: &'a [u8],
    pub entity_type: &'a [u8],
    pub entity_id: Option<&'a [u8]>,
    pub subject_id: Option<&'a [u8]>,
    pub purpose: &'a [u8],
    pub outcome: &'a [u8],
}

impl EventRecord<'_> {
    /// SHA-256 over `prev_hash` and a length-prefixed canonical encoding.
    pub fn hash(&self, prev: &[u8]) -> [u8; 32] {
        Sha256::digest(self.encode(prev)).into()
    }

    /// The canonical encoding that is hashed. One buffer and one hash call: many
    /// small `update`s cost more than the hashing itself on events of ~200 bytes.
    pub fn encode(&self, prev: &[u8]) -> Vec<u8> {
        let mut buf = Vec::with_capacity(160 + self.purpose.len());
        self.encode_into(&mut buf, prev);
        buf
    }

    pub fn encode_into(&self, buf: &mut Vec<u8>, prev: &[u8]) {
        buf.extend_from_slice(b"cuspid-audit-v1");
        buf.extend_from_slice(prev);
        buf.extend_from_slice(&self.seq.to_be_bytes());
        buf.extend_from_slice(&self.at.to_be_bytes());
        let opt_uuid = |buf: &mut Vec<u8>, u: Option<&[u8]>| match u {
            Some(u) => {
                buf.push(1);
                buf.extend_from_slice(u);
            }
            None => buf.push(0),
        };
        let text = |buf: &mut Vec<u8>, s: &[u8]| {
            buf.extend_from_slice(&(s.len() as u32).to_be_bytes());
            buf.extend_from_slice(s);
        };
        opt_uuid(buf, self.actor_id);
        text(buf, self.actor);
        text(buf, self.role);
        text(buf, self.workstation);
        text(buf, self.action);
        text(buf, self.entity_type);
        match self.entity_id {
            Some(e) => {
                buf.push(1);
                text(buf, e);
            }
            None => buf.push(0),
        }
        opt_uuid(buf, self.subject_id);
        text(buf, self.purpose);
        text(buf, self.outcome);
    }
}

/// One event as shown by `audit list`.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct AuditEventDto {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub role: String,
    pub workstation: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub patient_id: Option<Uuid>,
    pub purpose: String,
    pub outcome: String,
}

impl From<audit_event::Model> for AuditEventDto {
    fn from(m: audit_event::Model) -> Self {
        AuditEventDto {
            seq: m.seq,
            at: format_micros(m.at),
            actor: m.actor,
            role: m.role,
            workstation: m.workstation,
            action: m.action,
            entity_type: m.entity_type,
            entity_id: m.entity_id,
            patient_id: m.subject_id,
            purpose: m.purpose,
            outcome: m.outcome,
        }
    }
}

/// Filters of `audit list`; all optional, combined with AND.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct AuditFilter {
    pub patient: Option<Uuid>,
    pub staff: Option<String>,
    pub action: Option<String>,
    /// RFC 3339; from this instant on.
    #[ts(type = "string | null")]
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// RFC 3339; before this instant.
    #[ts(type = "string | null")]
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    #[ts(type = "number | null")]
    pub limit: Option<u64>,
}

pub(crate) fn now_micros() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

pub(crate) fn format_micros(us: i64) -> String {
    chrono::DateTime::from_timestamp_micros(us)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}
