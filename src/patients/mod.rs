//! The patient registry: register, find, show, update, and the rectification
//! history. Every personal field is sealed under the patient's own data key.

pub mod cnp;
pub mod dto;
pub mod normalize;

pub use dto::{
    HistoryEntryDto, NewPatient, PatientChanges, PatientDto, PatientFields, PatientQuery, PatientSummary,
};

use chrono::NaiveDate;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::audit::{self, Event};
use crate::auth::{Action, ClinicKeys, Session};
use crate::clinic::Clinic;
use crate::crypto::{FieldAddr, FieldCipher, IndexKind, SecretKey, unwrap_key, wrap_key};
use crate::error::{Error, Result};
use crate::store::entities::{patient, patient_history, staff};
use cnp::{Cnp, Sex};

const TABLE: &str = "patient";
const MAX_RESULTS: u64 = 50;
/// Data-key generation written into every sealed field's key id.
const DEK_GEN: i32 = 1;

/// Wrapping context of a patient's data key: binds it to the patient's row.
pub(crate) fn dek_context(id: Uuid) -> Vec<u8> {
    let mut c = b"patient-dek/".to_vec();
    c.extend_from_slice(id.as_bytes());
    c
}

/// A validated patient, ready to be sealed.
#[derive(Clone)]
struct Valid {
    f: PatientFields,
    cnp: Option<Cnp>,
    phone_e164: Option<String>,
    email_norm: Option<String>,
}

fn validate(f: PatientFields) -> Result<Valid> {
    let first_name = normalize::display_name(&f.first_name, "the first name")?;
    let last_name = normalize::display_name(&f.last_name, "the last name")?;
    let cnp = non_empty(f.cnp.as_deref()).map(Cnp::parse).transpose()?;
    let typed_birth = non_empty(f.birth_date.as_deref()).map(parse_date).transpose()?;
    let typed_sex = non_empty(f.sex.as_deref()).map(Sex::parse).transpose()?;
    let birth_date = match (cnp.as_ref().and_then(Cnp::birth_date), typed_birth) {
        (Some(from_cnp), Some(typed)) if from_cnp != typed => return Err(Error::CnpBirthDateMismatch),
        (from_cnp, typed) => typed.or(from_cnp),
    };
    if let Some(d) = birth_date {
        let today = chrono::Utc::now().date_naive();
        if d > today {
            return Err(Error::InvalidDate("the birth date is in the future".into()));
        }
        if d < NaiveDate::from_ymd_opt(1880, 1, 1).unwrap_or(d) {
            return Err(Error::InvalidDate("the birth date is before 1880".into()));
        }
    }
    let sex = match (cnp.as_ref().and_then(Cnp::sex), typed_sex) {
        (Some(from_cnp), Some(typed)) if from_cnp != typed => return Err(Error::CnpSexMismatch),
        (from_cnp, typed) => typed.or(from_cnp),
    };
    let phone_e164 = non_empty(f.phone.as_deref()).map(normalize::phone).transpose()?;
    let email_norm = non_empty(f.email.as_deref()).map(normalize::email).transpose()?;
    let clean = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    Ok(Valid {
        f: PatientFields {
            first_name,
            last_name,
            cnp: cnp.as_ref().map(|c| c.as_str().to_owned()),
            birth_date: birth_date.map(|d| d.format("%Y-%m-%d").to_string()),
            sex: sex.map(|s| s.as_str().to_owned()),
            phone: phone_e164.clone(),
            email: email_norm.clone(),
            address: clean(f.address),
            emergency_contact: clean(f.emergency_contact),
        },
        cnp,
        phone_e164,
        email_norm,
    })
}

fn non_empty(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| Error::InvalidDate("dates are written YYYY-MM-DD and must exist".into()))
}

/// The 3- and 5-letter prefix indexes of one name.
fn prefix_indexes(keys: &ClinicKeys, name: &str) -> (i64, Option<i64>) {
    let folded = normalize::fold_name(name);
    let p3: String = folded.chars().take(3).collect();
    let p5: String = folded.chars().take(5).collect();
    let i3 = keys.indexer.index(IndexKind::NamePrefix, &p3);
    let i5 = (folded.chars().count() >= 5).then(|| keys.indexer.index(IndexKind::NamePrefix, &p5));
    (i3, i5)
}

/// Seal a validated patient into a row (fields, data key, blind indexes).
fn seal_row(keys: &ClinicKeys, id: Uuid, v: &Valid, now: i64) -> patient::ActiveModel {
    let (dek_wrapped, cipher) = if keys.sealing {
        let dek = SecretKey::random();
        (wrap_key(&keys.kek, &dek_context(id), &dek), FieldCipher::new(&dek, DEK_GEN as u32))
    } else {
        (Vec::new(), FieldCipher::Plain)
    };
    let (f3, f5) = prefix_indexes(keys, &v.f.first_name);
    let (l3, l5) = prefix_indexes(keys, &v.f.last_name);
    let mut row = patient::ActiveModel {
        id: Set(id),
        kek_id: Set(keys.kek_id),
        dek_gen: Set(DEK_GEN),
        dek_wrapped: Set(dek_wrapped),
        bidx_cnp: Set(v.cnp.as_ref().map(|c| keys.indexer.index(IndexKind::Cnp, c.as_str()))),
        bidx_phone: Set(v.phone_e164.as_ref().map(|p| keys.indexer.index(IndexKind::Phone, p))),
        bidx_email: Set(v.email_norm.as_ref().map(|e| keys.indexer.index(IndexKind::Email, e))),
        bidx_first3: Set(Some(f3)),
        bidx_first5: Set(f5),
        bidx_last3: Set(Some(l3)),
        bidx_last5: Set(l5),
        restriction: Set("none".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    set_sealed_fields(&mut row, &cipher, id, &v.f);
    row
}

fn set_sealed_fields(row: &mut patient::ActiveModel, c: &FieldCipher, id: Uuid, f: &PatientFields) {
    let seal = |column: &str, value: &str| c.seal_str(FieldAddr { table: TABLE, column, row: id }, value);
    let seal_opt = |column: &str, value: &Option<String>| value.as_deref().map(|v| seal(column, v));
    row.first_name = Set(seal("first_name", &f.first_name));
    row.last_name = Set(seal("last_name", &f.last_name));
    row.cnp = Set(seal_opt("cnp", &f.cnp));
    row.birth_date = Set(seal_opt("birth_date", &f.birth_date));
    row.sex = Set(seal_opt("sex", &f.sex));
    row.phone = Set(seal_opt("phone", &f.phone));
    row.email = Set(seal_opt("email", &f.email));
    row.address = Set(seal_opt("address", &f.address));
    row.emergency_contact = Set(seal_opt("emergency_contact", &f.emergency_contact));
}

/// The field cipher of one stored patient, from its wrapped data key.
fn cipher_for(keys: &ClinicKeys, row: &patient::Model) -> Result<FieldCipher> {
    if !keys.sealing {
        return Ok(FieldCipher::Plain);
    }
    if row.kek_id != keys.kek_id {
        return Err(Error::SessionExpired);
    }
    let dek = unwrap_key(&keys.kek, &dek_context(row.id), &row.dek_wrapped)
        .ok_or_else(|| Error::Tampered(format!("the data key of record {} does not open", row.id)))?;
    Ok(FieldCipher::new(&dek, row.dek_gen as u32))
}

fn open_fields(c: &FieldCipher, row: &patient::Model) -> Result<PatientFields> {
    let open = |column: &str, v: &[u8]| c.open_str(FieldAddr { table: TABLE, column, row: row.id }, v);
    let open_opt = |column: &str, v: &Option<Vec<u8>>| v.as_deref().map(|b| open(column, b)).transpose();
    Ok(PatientFields {
        first_name: open("first_name", &row.first_name)?,
        last_name: open("last_name", &row.last_name)?,
        cnp: open_opt("cnp", &row.cnp)?,
        birth_date: open_opt("birth_date", &row.birth_date)?,
        sex: open_opt("sex", &row.sex)?,
        phone: open_opt("phone", &row.phone)?,
        email: open_opt("email", &row.email)?,
        address: open_opt("address", &row.address)?,
        emergency_contact: open_opt("emergency_contact", &row.emergency_contact)?,
    })
}

fn to_dto(row: &patient::Model, f: PatientFields) -> PatientDto {
    PatientDto {
        id: row.id,
        cnp_masked: f.cnp.as_deref().map(cnp::mask),
        fields: f,
        restriction: row.restriction.clone(),
        created_at: audit::format_micros(row.created_at),
        updated_at: audit::format_micros(row.updated_at),
        version: row.version,
    }
}

async fn ensure_cnp_free<C: ConnectionTrait>(db: &C, bidx: Option<i64>, except: Option<Uuid>) -> Result<()> {
    let Some(b) = bidx else { return Ok(()) };
    let mut q = patient::Entity::find().filter(patient::Column::BidxCnp.eq(b));
    if let Some(id) = except {
        q = q.filter(patient::Column::Id.ne(id));
    }
    if q.one(db).await?.is_some() {
        return Err(Error::DuplicateCnp);
    }
    Ok(())
}

fn map_unique(e: sea_orm::DbErr) -> Error {
    let err = Error::from(e);
    match &err {
        Error::Database(m) if m == "unique constraint" || m == "duplicate key" => Error::DuplicateCnp,
        _ => err,
    }
}

impl Clinic {
    /// Register one patient.
    pub async fn register_patient(&self, s: &Session, input: NewPatient) -> Result<PatientDto> {
        self.check_key_current(s)?;
        let v = validate(input.into())?;
        let id = Uuid::now_v7();
        let now = audit::now_micros();
        let bidx_cnp = v.cnp.as_ref().map(|c| s.keys.indexer.index(IndexKind::Cnp, c.as_str()));
        let row = seal_row(&s.keys, id, &v, now);
        let mut w = self.work(s, Action::PatientRegister).await?;
        ensure_cnp_free(&w.tx, bidx_cnp, None).await?;
        let model = patient::Entity::insert(row).exec_with_returning(&w.tx).await.map_err(map_unique)?;
        w.audit(Event::new("patient.register", "patient").subject(id).purpose("registration"));
        w.commit().await?;
        tracing::info!(patient = %id, "patient registered");
        Ok(to_dto(&model, v.f))
    }

    /// Register many patients in one transaction (a migration from another
    /// system): all or nothing, one audit event each.
    pub async fn import_patients(&self, s: &Session, inputs: Vec<NewPatient>) -> Result<u64> {
        self.check_key_current(s)?;
        let mut rows = Vec::with_capacity(inputs.len());
        let mut ids = Vec::with_capacity(inputs.len());
        let mut seen = std::collections::HashSet::new();
        let now = audit::now_micros();
        for input in inputs {
            let v = validate(input.into())?;
            let id = Uuid::now_v7();
            if let Some(c) = &v.cnp
                && !seen.insert(c.as_str().to_owned())
            {
                return Err(Error::DuplicateCnp);
            }
            rows.push(seal_row(&s.keys, id, &v, now));
            ids.push(id);
        }
        let count = rows.len() as u64;
        let mut w = self.work(s, Action::PatientRegister).await?;
        let mut iter = rows.into_iter().peekable();
        while iter.peek().is_some() {
            // 26 columns a row: stay under SQLite's 32766 bound-variable limit.
            let chunk: Vec<_> = iter.by_ref().take(1000).collect();
            patient::Entity::insert_many(chunk).exec(&w.tx).await.map_err(map_unique)?;
        }
        {
            let (writer, actor) = w.audit_writer();
            let actor = actor.clone();
            for id in ids {
                writer.append_at(
                    &actor,
                    Event::new("patient.register", "patient").subject(id).purpose("import"),
                    now,
                );
            }
        }
        w.commit().await?;
        tracing::info!(count, "patients imported");
        Ok(count)
    }

    /// Open one patient's record (a read of personal data: audited).
    pub async fn get_patient(&self, s: &Session, id: Uuid) -> Result<PatientDto> {
        let mut w = self.work(s, Action::PatientRead).await?;
        let row = patient::Entity::find_by_id(id)
            .one(&w.tx)
            .await?
            .ok_or_else(|| Error::NotFound("patient".into()))?;
        let fields = open_fields(&cipher_for(&s.keys, &row)?, &row)?;
        w.audit(Event::new("patient.read", "patient").subject(id).purpose("open record"));
        w.commit().await?;
        Ok(to_dto(&row, fields))
    }

    /// Find patients by CNP, phone, e-mail or name prefix, without decrypting the
    /// table: blind indexes select candidates, which are opened and re-checked.
    pub async fn find_patients(&self, s: &Session, query: &PatientQuery) -> Result<Vec<PatientSummary>> {
        let keys = &s.keys;
        let (condition, kind, check): (Condition, &str, Box<dyn Fn(&PatientFields) -> bool + Send + Sync>) =
            match query {
                PatientQuery::Cnp(c) => {
                    let cnp = Cnp::parse(c)?;
                    let want = cnp.as_str().to_owned();
                    let b = keys.indexer.index(IndexKind::Cnp, cnp.as_str());
                    (
                        Condition::all().add(patient::Column::BidxCnp.eq(b)),
                        "cnp",
                        Box::new(move |f| f.cnp.as_deref() == Some(want.as_str())),
                    )
                }
                PatientQuery::Phone(p) => {
                    let e164 = normalize::phone(p)?;
                    let b = keys.indexer.index(IndexKind::Phone, &e164);
                    (
                        Condition::all().add(patient::Column::BidxPhone.eq(b)),
                        "phone",
                        Box::new(move |f| f.phone.as_deref() == Some(e164.as_str())),
                    )
                }
                PatientQuery::Email(e) => {
                    let norm = normalize::email(e)?;
                    let b = keys.indexer.index(IndexKind::Email, &norm);
                    (
                        Condition::all().add(patient::Column::BidxEmail.eq(b)),
                        "email",
                        Box::new(move |f| f.email.as_deref() == Some(norm.as_str())),
                    )
                }
                PatientQuery::Name(n) => {
                    let words = normalize::name_words(n);
                    let Some(first) = words.first() else {
                        return Err(Error::InvalidInput("type part of a name to search".into()));
                    };
                    let len = first.chars().count();
                    let (fc, lc, probe) = if len >= 5 {
                        (
                            patient::Column::BidxFirst5,
                            patient::Column::BidxLast5,
                            first.chars().take(5).collect(),
                        )
                    } else {
                        (
                            patient::Column::BidxFirst3,
                            patient::Column::BidxLast3,
                            first.chars().take(3).collect::<String>(),
                        )
                    };
                    let b = keys.indexer.index(IndexKind::NamePrefix, &probe);
                    let exact_short = len < 3;
                    (
                        Condition::any().add(fc.eq(b)).add(lc.eq(b)),
                        "name",
                        Box::new(move |f| {
                            let have: Vec<String> =
                                normalize::name_words(&format!("{} {}", f.first_name, f.last_name));
                            let whole =
                                [normalize::fold_name(&f.first_name), normalize::fold_name(&f.last_name)];
                            words.iter().all(|w| {
                                if exact_short {
                                    whole.iter().any(|h| h == w) || have.iter().any(|h| h == w)
                                } else {
                                    whole.iter().chain(have.iter()).any(|h| h.starts_with(w.as_str()))
                                }
                            })
                        }),
                    )
                }
            };
        let mut w = self.work(s, Action::PatientSearch).await?;
        let candidates = patient::Entity::find()
            .filter(condition)
            .order_by_asc(patient::Column::Id)
            .limit(MAX_RESULTS * 20)
            .all(&w.tx)
            .await?;
        let mut found = Vec::new();
        for row in &candidates {
            let fields = open_fields(&cipher_for(keys, row)?, row)?;
            if check(&fields) {
                found.push(PatientSummary::from_fields(row.id, &fields, &row.restriction));
                if found.len() as u64 >= MAX_RESULTS {
                    break;
                }
            }
        }
        w.audit(Event::new("patient.search", "patient").purpose(format!("by {kind}: {} found", found.len())));
        for p in &found {
            w.audit(
                Event::new("patient.search_result", "patient")
                    .subject(p.id)
                    .purpose(format!("search by {kind}")),
            );
        }
        w.commit().await?;
        Ok(found)
    }

    /// Change a patient's data; the previous values are kept, sealed, in the
    /// rectification history together with the reason.
    pub async fn update_patient(
        &self,
        s: &Session,
        id: Uuid,
        changes: PatientChanges,
        reason: &str,
    ) -> Result<PatientDto> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::InvalidInput("a reason for the change is required".into()));
        }
        self.check_key_current(s)?;
        let mut w = self.work(s, Action::PatientUpdate).await?;
        let row = patient::Entity::find_by_id(id)
            .one(&w.tx)
            .await?
            .ok_or_else(|| Error::NotFound("patient".into()))?;
        let cipher = cipher_for(&s.keys, &row)?;
        let before = open_fields(&cipher, &row)?;
        let after = changes.apply(&before);
        if after == before {
            return Err(Error::InvalidInput("nothing to change".into()));
        }
        let v = validate(after)?;
        let new_bidx_cnp = v.cnp.as_ref().map(|c| s.keys.indexer.index(IndexKind::Cnp, c.as_str()));
        ensure_cnp_free(&w.tx, new_bidx_cnp, Some(id)).await?;

        let hid = Uuid::now_v7();
        let snapshot = serde_json::to_vec(&before).map_err(|e| Error::Internal(e.to_string()))?;
        let now = audit::now_micros();
        patient_history::Entity::insert(patient_history::ActiveModel {
            id: Set(hid),
            patient_id: Set(id),
            changed_at: Set(now),
            changed_by: Set(s.staff_id()),
            reason: Set(
                cipher.seal_str(FieldAddr { table: "patient_history", column: "reason", row: hid }, reason)
            ),
            previous: Set(
                cipher.seal(FieldAddr { table: "patient_history", column: "previous", row: hid }, &snapshot)
            ),
        })
        .exec(&w.tx)
        .await?;

        let mut updated = seal_row(&s.keys, id, &v, now);
        // Keep the patient's data key; re-seal the fields under it.
        updated.dek_wrapped = Set(row.dek_wrapped.clone());
        updated.kek_id = Set(row.kek_id);
        set_sealed_fields(&mut updated, &cipher, id, &v.f);
        updated.created_at = Set(row.created_at);
        updated.restriction = Set(row.restriction.clone());
        updated.version = Set(row.version + 1);
        let model = patient::Entity::update(updated).exec(&w.tx).await.map_err(map_unique)?;
        let changed = dto::changed_fields(&before, &v.f).join(", ");
        w.audit(
            Event::new("patient.update", "patient")
                .subject(id)
                .purpose(format!("rectification of {changed}")),
        );
        w.commit().await?;
        Ok(to_dto(&model, v.f))
    }

    /// The rectification trail, newest first: who changed what, when, why, and
    /// the values before. Only the DPO may read it.
    pub async fn patient_history(&self, s: &Session, id: Uuid) -> Result<Vec<HistoryEntryDto>> {
        let mut w = self.work(s, Action::PatientHistory).await?;
        let row = patient::Entity::find_by_id(id)
            .one(&w.tx)
            .await?
            .ok_or_else(|| Error::NotFound("patient".into()))?;
        let cipher = cipher_for(&s.keys, &row)?;
        let current = open_fields(&cipher, &row)?;
        let entries = patient_history::Entity::find()
            .filter(patient_history::Column::PatientId.eq(id))
            .order_by_desc(patient_history::Column::ChangedAt)
            .all(&w.tx)
            .await?;
        let names: std::collections::HashMap<Uuid, String> =
            staff::Entity::find().all(&w.tx).await?.into_iter().map(|s| (s.id, s.username)).collect();
        let mut out = Vec::with_capacity(entries.len());
        let mut newer = current;
        for e in entries {
            let addr = |column| FieldAddr { table: "patient_history", column, row: e.id };
            let previous: PatientFields =
                serde_json::from_slice(&cipher.open(addr("previous"), &e.previous)?)
                    .map_err(|_| Error::Tampered(format!("history entry {} is malformed", e.id)))?;
            out.push(HistoryEntryDto {
                id: e.id,
                changed_at: audit::format_micros(e.changed_at),
                changed_by: names.get(&e.changed_by).cloned().unwrap_or_else(|| "unknown".into()),
                reason: cipher.open_str(addr("reason"), &e.reason)?,
                changed_fields: dto::changed_fields(&previous, &newer),
                previous: previous.clone(),
            });
            newer = previous;
        }
        w.audit(Event::new("patient.history", "patient").subject(id).purpose("rectification trail"));
        w.commit().await?;
        Ok(out)
    }
}
