//! Walking the chain: every event must follow the one before (sequence and
//! hash) and hash to what it stores; the end must reach the head row and the
//! workstation's checkpoint. On SQLite the walk reads through a raw prepared
//! statement: the per-row cost of the ORM would dominate the hashing.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use super::{Checkpoint, EventRecord, GENESIS};
use crate::error::{Error, Result};
use crate::store::entities::{audit_event, audit_head};
use crate::store::{Store, raw_sqlite, sqlite_error};

const PAGE: u64 = 20_000;

/// What `audit verify` found when the chain holds.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct VerifyReport {
    #[ts(type = "number")]
    pub events: i64,
    #[ts(type = "number")]
    pub head_seq: i64,
    pub head_hash: String,
    /// The workstation checkpoint that was checked, if this workstation had one.
    #[ts(type = "number | null")]
    pub checkpoint_seq: Option<i64>,
}

fn broken(seq: i64, reason: impl Into<String>) -> Error {
    Error::AuditChainBroken { seq, reason: reason.into() }
}

/// The walk's state, fed one stored event at a time.
struct Walk<'c> {
    expected_seq: i64,
    prev: [u8; 32],
    checkpoint: Option<&'c Checkpoint>,
    checkpoint_seen: bool,
    /// Reused for every event's canonical encoding: no allocation per event.
    buf: Vec<u8>,
}

impl<'c> Walk<'c> {
    fn new(checkpoint: Option<&'c Checkpoint>) -> Self {
        Walk {
            expected_seq: 1,
            prev: GENESIS,
            checkpoint,
            checkpoint_seen: false,
            buf: Vec::with_capacity(512),
        }
    }

    fn step(&mut self, record: &EventRecord<'_>, prev_hash: &[u8], hash: &[u8]) -> Result<()> {
        use sha2::{Digest, Sha256};
        if record.seq != self.expected_seq {
            return Err(broken(self.expected_seq, "this event is missing (deleted)"));
        }
        if prev_hash != self.prev {
            return Err(broken(
                record.seq,
                "it does not link to the event before it (inserted, deleted or reordered)",
            ));
        }
        self.buf.clear();
        record.encode_into(&mut self.buf, &self.prev);
        let computed: [u8; 32] = Sha256::digest(&self.buf).into();
        if hash != computed {
            return Err(broken(record.seq, "its content was changed after it was written"));
        }
        if let Some(cp) = self.checkpoint
            && cp.seq == record.seq
        {
            if cp.hash != computed {
                return Err(broken(
                    record.seq,
                    "it differs from the event this workstation saw here: the log was cut off or rewritten",
                ));
            }
            self.checkpoint_seen = true;
        }
        self.prev = computed;
        self.expected_seq += 1;
        Ok(())
    }

    fn finish(self, head: Option<(i64, Vec<u8>)>) -> Result<VerifyReport> {
        let last = self.expected_seq - 1;
        match head {
            Some((seq, hash)) if seq != last || hash != self.prev => {
                return Err(broken(
                    last + 1,
                    format!("the log ends at #{last} but its head says #{seq}: events were cut off"),
                ));
            }
            None if last > 0 => return Err(broken(last, "the chain head record is missing")),
            _ => {}
        }
        if let Some(cp) = self.checkpoint
            && !self.checkpoint_seen
        {
            return Err(broken(
                last + 1,
                format!(
                    "this workstation saw the log reach #{}, but it now ends at #{last}: events were cut off",
                    cp.seq
                ),
            ));
        }
        Ok(VerifyReport {
            events: last,
            head_seq: last,
            head_hash: hex(&self.prev),
            checkpoint_seq: self.checkpoint.map(|c| c.seq),
        })
    }
}

pub(crate) async fn verify_chain(store: &Store, checkpoint: Option<Checkpoint>) -> Result<VerifyReport> {
    if let Some(file) = store.sqlite_file() {
        let file = file.to_path_buf();
        return tokio::task::spawn_blocking(move || verify_sqlite(&file, checkpoint.as_ref()))
            .await
            .map_err(|_| Error::Internal("the verification task failed".into()))?;
    }
    let db = store.connection();
    let mut walk = Walk::new(checkpoint.as_ref());
    loop {
        let page = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gte(walk.expected_seq))
            .order_by_asc(audit_event::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        let done = (page.len() as u64) < PAGE;
        for e in &page {
            let record = EventRecord {
                seq: e.seq,
                at: e.at,
                actor_id: e.actor_id.as_ref().map(|u| &u.as_bytes()[..]),
                actor: e.actor.as_bytes(),
                role: e.role.as_bytes(),
                workstation: e.workstation.as_bytes(),
                action: e.action.as_bytes(),
                entity_type: e.entity_type.as_bytes(),
                entity_id: e.entity_id.as_deref().map(str::as_bytes),
                subject_id: e.subject_id.as_ref().map(|u| &u.as_bytes()[..]),
                purpose: e.purpose.as_bytes(),
                outcome: e.outcome.as_bytes(),
            };
            walk.step(&record, &e.prev_hash, &e.hash)?;
        }
        if done {
            break;
        }
    }
    let head = audit_head::Entity::find_by_id(1).one(db).await?.map(|h| (h.seq, h.hash));
    walk.finish(head)
}

/// Walk in storage order first (a plain table scan); only when that walk finds a
/// fault, walk again in sequence order so the report names the right event.
fn verify_sqlite(file: &std::path::Path, checkpoint: Option<&Checkpoint>) -> Result<VerifyReport> {
    match walk_sqlite(file, checkpoint, "rowid") {
        Err(Error::AuditChainBroken { .. }) => walk_sqlite(file, checkpoint, "seq"),
        other => other,
    }
}

fn walk_sqlite(file: &std::path::Path, checkpoint: Option<&Checkpoint>, order: &str) -> Result<VerifyReport> {
    use rusqlite::OptionalExtension;
    use rusqlite::types::ValueRef;
    let conn = raw_sqlite(file)?;
    // One read transaction: the head and the events come from the same snapshot.
    conn.execute_batch("BEGIN").map_err(sqlite_error)?;
    let mut walk = Walk::new(checkpoint);
    let mut stmt = conn
        .prepare(&format!(
            "SELECT seq, at, actor_id, actor, role, workstation, action, entity_type, entity_id, subject_id, \
             purpose, outcome, prev_hash, hash FROM audit_event ORDER BY {order}"
        ))
        .map_err(sqlite_error)?;
    let mut rows = stmt.query([]).map_err(sqlite_error)?;
    let malformed = || Error::Tampered("an audit event has a malformed column".into());
    while let Some(r) = rows.next().map_err(sqlite_error)? {
        let bytes = |i: usize| -> Result<&[u8]> {
            match r.get_ref(i).map_err(sqlite_error)? {
                ValueRef::Text(b) | ValueRef::Blob(b) => Ok(b),
                _ => Err(malformed()),
            }
        };
        let opt_bytes = |i: usize| -> Result<Option<&[u8]>> {
            match r.get_ref(i).map_err(sqlite_error)? {
                ValueRef::Null => Ok(None),
                ValueRef::Text(b) | ValueRef::Blob(b) => Ok(Some(b)),
                _ => Err(malformed()),
            }
        };
        let record = EventRecord {
            seq: r.get(0).map_err(sqlite_error)?,
            at: r.get(1).map_err(sqlite_error)?,
            actor_id: opt_bytes(2)?,
            actor: bytes(3)?,
            role: bytes(4)?,
            workstation: bytes(5)?,
            action: bytes(6)?,
            entity_type: bytes(7)?,
            entity_id: opt_bytes(8)?,
            subject_id: opt_bytes(9)?,
            purpose: bytes(10)?,
            outcome: bytes(11)?,
        };
        walk.step(&record, bytes(12)?, bytes(13)?)?;
    }
    drop(rows);
    drop(stmt);
    let head = conn
        .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(sqlite_error)?;
    conn.execute_batch("COMMIT").map_err(sqlite_error)?;
    walk.finish(head)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}
