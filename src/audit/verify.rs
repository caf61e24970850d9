//! Walking the chain: every event must follow the one before (sequence and
//! hash) and hash to what it stores; the end must reach the head row and the
//! workstation's checkpoint.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use super::{Checkpoint, EventRecord, GENESIS};
use crate::error::{Error, Result};
use crate::store::entities::{audit_event, audit_head};

const PAGE: u64 = 20_000;

/// What `audit verify` found when the chain holds.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub events: i64,
    pub head_seq: i64,
    pub head_hash: String,
    /// The workstation checkpoint that was checked, if this workstation had one.
    pub checkpoint_seq: Option<i64>,
}

fn broken(seq: i64, reason: impl Into<String>) -> Error {
    Error::AuditChainBroken { seq, reason: reason.into() }
}

pub(crate) async fn verify_chain(
    db: &DatabaseConnection,
    checkpoint: Option<&Checkpoint>,
) -> Result<VerifyReport> {
    let mut expected_seq = 1i64;
    let mut prev = GENESIS;
    let mut checkpoint_ok = false;
    loop {
        let page = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_event::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        let done = (page.len() as u64) < PAGE;
        for e in page {
            if e.seq != expected_seq {
                return Err(broken(expected_seq, "this event is missing (deleted)"));
            }
            if e.prev_hash != prev {
                return Err(broken(
                    e.seq,
                    "it does not link to the event before it (inserted, deleted or reordered)",
                ));
            }
            let record = EventRecord {
                seq: e.seq,
                at: e.at,
                actor_id: e.actor_id,
                actor: &e.actor,
                role: &e.role,
                workstation: &e.workstation,
                action: &e.action,
                entity_type: &e.entity_type,
                entity_id: e.entity_id.as_deref(),
                subject_id: e.subject_id,
                purpose: &e.purpose,
                outcome: &e.outcome,
            };
            let hash = record.hash(&prev);
            if e.hash != hash {
                return Err(broken(e.seq, "its content was changed after it was written"));
            }
            if let Some(cp) = checkpoint
                && cp.seq == e.seq
            {
                if cp.hash != hash {
                    return Err(broken(
                        e.seq,
                        "it differs from the event this workstation saw here: the log was cut off or rewritten",
                    ));
                }
                checkpoint_ok = true;
            }
            prev = hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    let last = expected_seq - 1;
    let head = audit_head::Entity::find_by_id(1).one(db).await?;
    match head {
        Some(h) if h.seq != last || h.hash != prev => {
            return Err(broken(
                last + 1,
                format!("the log ends at #{last} but its head says #{}: events were cut off", h.seq),
            ));
        }
        None if last > 0 => return Err(broken(last, "the chain head record is missing")),
        _ => {}
    }
    if let Some(cp) = checkpoint
        && !checkpoint_ok
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
        head_hash: hex(&prev),
        checkpoint_seq: checkpoint.map(|c| c.seq),
    })
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}
