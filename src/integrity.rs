//! MACs over the plain columns an insider with SQL access would change to get in:
//! a staff row's user name, role and active flag, and whose a key slot is. The key
//! is derived from the audit key, so only a signed-in session (or the set-up) can
//! write a valid one; a role flipped to `admin`, a disabled account re-enabled, a
//! hidden administrator inserted, or a slot pointed at another account is refused
//! at sign-in and on every action, and reported by `audit verify`.
//!
//! Lockout counters and last-login times are not covered: a failed sign-in must be
//! counted before anyone's key is at hand.

use uuid::Uuid;

use crate::auth::ClinicKeys;
use crate::crypto::{SecretKey, mac, verify_mac};
use crate::error::{Error, Result};
use crate::rules::Subject;
use crate::store::entities::{key_slot, staff};

/// `clinic_meta.row_macs` once staff rows and slots carry their MACs.
pub(crate) const ROW_MACS: i32 = 1;

pub(crate) fn key(audit_key: &SecretKey) -> SecretKey {
    audit_key.derive("staff-rows")
}

fn push_str(m: &mut Vec<u8>, s: &str) {
    m.extend_from_slice(&(s.len() as u32).to_be_bytes());
    m.extend_from_slice(s.as_bytes());
}

fn staff_message(id: Uuid, username: &str, role: &str, active: bool) -> Vec<u8> {
    let mut m = b"cuspid-staff-v1".to_vec();
    m.extend_from_slice(id.as_bytes());
    push_str(&mut m, username);
    push_str(&mut m, role);
    m.push(u8::from(active));
    m
}

fn slot_message(id: Uuid, kind: &str, staff_id: Option<Uuid>, workstation: Option<&str>) -> Vec<u8> {
    let mut m = b"cuspid-slot-v1".to_vec();
    m.extend_from_slice(id.as_bytes());
    push_str(&mut m, kind);
    m.extend_from_slice(staff_id.unwrap_or_default().as_bytes());
    push_str(&mut m, workstation.unwrap_or_default());
    m
}

/// The MAC a staff row with these values carries.
pub(crate) fn staff_mac(k: &SecretKey, id: Uuid, username: &str, role: &str, active: bool) -> Vec<u8> {
    mac(k, &staff_message(id, username, role, active)).to_vec()
}

/// The MAC a key slot with these values carries.
pub(crate) fn slot_mac(
    k: &SecretKey,
    id: Uuid,
    kind: &str,
    staff_id: Option<Uuid>,
    ws: Option<&str>,
) -> Vec<u8> {
    mac(k, &slot_message(id, kind, staff_id, ws)).to_vec()
}

/// Refuse a staff row whose MAC does not match (or is missing).
pub(crate) fn check_staff(keys: &ClinicKeys, row: &staff::Model) -> Result<()> {
    let ok = row.row_mac.as_deref().is_some_and(|tag| {
        verify_mac(&key(&keys.audit_key), &staff_message(row.id, &row.username, &row.role, row.active), tag)
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Tampered(format!("staff account {} was changed outside Cuspid", row.id)))
    }
}

/// Refuse a key slot whose owner, kind or workstation was changed (or whose MAC is missing).
pub(crate) fn check_slot(keys: &ClinicKeys, row: &key_slot::Model) -> Result<()> {
    let msg = slot_message(row.id, &row.kind, row.staff_id, row.workstation.as_deref());
    let ok = row.owner_mac.as_deref().is_some_and(|tag| verify_mac(&key(&keys.audit_key), &msg, tag));
    if ok { Ok(()) } else { Err(Error::Tampered(format!("key slot {} was changed outside Cuspid", row.id))) }
}

/// Write the MAC of staff row `id` as it now stands (after a change by Cuspid).
pub(crate) async fn remac_staff(
    tx: &sea_orm::DatabaseTransaction,
    audit_key: &SecretKey,
    id: Uuid,
) -> Result<()> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let row = staff::Entity::find_by_id(id).one(tx).await?.ok_or(Error::NotFound(Subject::StaffAccount))?;
    let tag = staff_mac(&key(audit_key), row.id, &row.username, &row.role, row.active);
    staff::Entity::update_many()
        .col_expr(staff::Column::RowMac, tag.into())
        .filter(staff::Column::Id.eq(id))
        .exec(tx)
        .await?;
    Ok(())
}

/// Write the MACs of every key slot of `staff_id` (or, with `None`, of every slot and
/// every staff row: the set-up, and a clinic written before MACs).
pub(crate) async fn remac_slots(
    tx: &sea_orm::DatabaseTransaction,
    audit_key: &SecretKey,
    staff_id: Option<Uuid>,
) -> Result<()> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let k = key(audit_key);
    let mut q = key_slot::Entity::find();
    if let Some(id) = staff_id {
        q = q.filter(key_slot::Column::StaffId.eq(id));
    } else {
        for row in staff::Entity::find().all(tx).await? {
            remac_staff(tx, audit_key, row.id).await?;
        }
    }
    for slot in q.all(tx).await? {
        let tag = slot_mac(&k, slot.id, &slot.kind, slot.staff_id, slot.workstation.as_deref());
        key_slot::Entity::update_many()
            .col_expr(key_slot::Column::OwnerMac, tag.into())
            .filter(key_slot::Column::Id.eq(slot.id))
            .exec(tx)
            .await?;
    }
    Ok(())
}

/// Every staff row and key slot, checked (for `audit verify`).
pub(crate) async fn check_all(db: &impl sea_orm::ConnectionTrait, keys: &ClinicKeys) -> Result<usize> {
    use sea_orm::EntityTrait;
    let staff = staff::Entity::find().all(db).await?;
    for row in &staff {
        check_staff(keys, row)?;
    }
    let slots = key_slot::Entity::find().all(db).await?;
    for slot in &slots {
        check_slot(keys, slot)?;
    }
    Ok(staff.len() + slots.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mac_covers_each_field() {
        let k = SecretKey::random();
        let id = Uuid::now_v7();
        let base = staff_mac(&k, id, "ana", "receptionist", true);
        assert_ne!(base, staff_mac(&k, id, "ana", "admin", true));
        assert_ne!(base, staff_mac(&k, id, "ana", "receptionist", false));
        assert_ne!(base, staff_mac(&k, id, "anb", "receptionist", true));
        assert_ne!(base, staff_mac(&k, Uuid::now_v7(), "ana", "receptionist", true));
        let s = slot_mac(&k, id, "password", Some(id), None);
        assert_ne!(s, slot_mac(&k, id, "password", Some(Uuid::now_v7()), None));
        assert_ne!(s, slot_mac(&k, id, "workstation", Some(id), None));
    }
}
