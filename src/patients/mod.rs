//! The patient registry: register, find, show, update, and the rectification
//! history. Every personal field is sealed under the patient's own data key.

pub mod cnp;
pub mod dto;
pub mod gdpr;
pub mod normalize;
mod work;

pub(crate) use work::PatientWork;

pub use dto::{
    DuplicateDto, DuplicateReason, HistoryEntryDto, NewPatient, PatientChanges, PatientDto, PatientFields,
    PatientQuery, PatientStatus, PatientSummary,
};

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::audit::{self, AuditAction, AuditWriter, Event};
use crate::auth::{Action, ClinicKeys, Session};
use crate::clinic::Patients;
use crate::consent;
use crate::crypto::{Bound, Column, FieldCipher, IndexKind, Sealed, SecretKey, unwrap_key, wrap_key};
use crate::documents::Language;
use crate::error::{Error, Result};
use crate::gdpr::restriction::Restriction;
use crate::rules::{Rule, Subject};
use crate::store::entities::{patient, patient_guardian, patient_history, staff};
use crate::store::{raw_sqlite, sqlite_error};
use cnp::Cnp;
pub use cnp::Sex;

const MAX_RESULTS: u64 = 50;
/// Blind-index candidates opened per round trip, and at most this many rounds.
const CANDIDATE_PAGE: u64 = 64;
const CANDIDATE_PAGES: u64 = 16;
/// Data-key generation written into every sealed field's key id.
const DEK_GEN: i32 = 1;

/// A sealed row of an import and its CNP (for the in-batch duplicate check).
type SealedImport = (patient::Model, Option<String>);
/// Re-checks a decrypted candidate against the query (blind indexes can collide).
type Recheck = Box<dyn Fn(&PatientFields) -> bool + Send + Sync>;

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

fn validate(f: &NewPatient) -> Result<Valid> {
    let first_name = normalize::display_name(&f.first_name, normalize::NamePart::First)?;
    let last_name = normalize::display_name(&f.last_name, normalize::NamePart::Last)?;
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
            return Err(Error::InvalidDate(Rule::BornInFuture));
        }
        if d < NaiveDate::from_ymd_opt(1880, 1, 1).unwrap_or(d) {
            return Err(Error::InvalidDate(Rule::BornBefore1880));
        }
    }
    let sex = match (cnp.as_ref().and_then(Cnp::sex), typed_sex) {
        (Some(from_cnp), Some(typed)) if from_cnp != typed => return Err(Error::CnpSexMismatch),
        (from_cnp, typed) => typed.or(from_cnp),
    };
    let phone_e164 = non_empty(f.phone.as_deref()).map(normalize::phone).transpose()?;
    let email_norm = non_empty(f.email.as_deref()).map(normalize::email).transpose()?;
    let clean = |v: &Option<String>| non_empty(v.as_deref()).map(str::to_owned);
    Ok(Valid {
        f: PatientFields {
            first_name,
            last_name,
            cnp: cnp.as_ref().map(|c| c.as_str().to_owned()),
            birth_date: birth_date.map(|d| d.format("%Y-%m-%d").to_string()),
            sex,
            phone: phone_e164.clone(),
            email: email_norm.clone(),
            address: clean(&f.address),
            emergency_contact: clean(&f.emergency_contact),
            language: non_empty(f.language.as_deref())
                .map(|l| {
                    Language::parse(&l.to_lowercase())
                        .map_err(|_| Error::InvalidInput(Rule::UnknownPatientLanguage))
                })
                .transpose()?,
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
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::InvalidDate(Rule::DateFormat))
}

/// The blind-index format this build writes (`clinic_meta.index_version`).
pub(crate) const INDEX_VERSION: i32 = 2;

/// Recompute every stored patient's name-prefix indexes; returns how many.
pub(crate) async fn reindex_names(tx: &sea_orm::DatabaseTransaction, keys: &ClinicKeys) -> Result<u64> {
    let rows = patient::Entity::find().filter(patient::Column::Status.ne(gdpr::ERASED)).all(tx).await?;
    let mut count = 0;
    for row in rows {
        let fields = open_fields(&cipher_for(keys, &row)?, &row)?;
        let (f3, f5) = prefix_indexes(keys, NamePart::First, &fields.first_name);
        let (l3, l5) = prefix_indexes(keys, NamePart::Last, &fields.last_name);
        patient::Entity::update_many()
            .col_expr(patient::Column::BidxFirst3, f3.into())
            .col_expr(patient::Column::BidxFirst5, f5.into())
            .col_expr(patient::Column::BidxLast3, l3.into())
            .col_expr(patient::Column::BidxLast5, l5.into())
            .filter(patient::Column::Id.eq(row.id))
            .exec(tx)
            .await?;
        count += 1;
    }
    Ok(count)
}

/// Which name a prefix index is of.
#[derive(Debug, Clone, Copy)]
pub(crate) enum NamePart {
    First,
    Last,
}

/// The 3- and 5-letter prefix indexes of one name, each column under its own key.
/// A name shorter than 5 letters fills the 5-letter column with its whole self, so
/// a NULL never tells a short name apart.
pub(crate) fn prefix_indexes(keys: &ClinicKeys, part: NamePart, name: &str) -> (i64, i64) {
    let folded = normalize::fold_name(name);
    let p3: String = folded.chars().take(3).collect();
    let p5: String = folded.chars().take(5).collect();
    let (k3, k5) = match part {
        NamePart::First => (IndexKind::First3, IndexKind::First5),
        NamePart::Last => (IndexKind::Last3, IndexKind::Last5),
    };
    (keys.indexer.index(k3, &p3), keys.indexer.index(k5, &p5))
}

/// A new patient's data key: wrapped for storage, and its field cipher.
fn new_data_key(keys: &ClinicKeys, id: Uuid) -> (Vec<u8>, FieldCipher) {
    if keys.sealing {
        let dek = SecretKey::random();
        (wrap_key(&keys.kek, &dek_context(id), &dek), FieldCipher::new(&dek, DEK_GEN as u32))
    } else {
        (Vec::new(), FieldCipher::Plain)
    }
}

/// Seal a validated new patient into a row under a fresh data key.
fn seal_row(keys: &ClinicKeys, id: Uuid, v: &Valid, now: i64) -> patient::Model {
    let (dek_wrapped, cipher) = new_data_key(keys, id);
    build_row(keys, id, v, now, dek_wrapped, &cipher)
}

/// A row: fields sealed with `cipher`, blind indexes computed.
fn build_row(
    keys: &ClinicKeys,
    id: Uuid,
    v: &Valid,
    now: i64,
    dek_wrapped: Vec<u8>,
    cipher: &FieldCipher,
) -> patient::Model {
    let (f3, f5) = prefix_indexes(keys, NamePart::First, &v.f.first_name);
    let (l3, l5) = prefix_indexes(keys, NamePart::Last, &v.f.last_name);
    let mut row = patient::Model {
        id,
        kek_id: keys.kek_id,
        dek_gen: DEK_GEN,
        dek_wrapped,
        first_name: Sealed::pending(),
        last_name: Sealed::pending(),
        cnp: None,
        birth_date: None,
        sex: None,
        phone: None,
        email: None,
        address: None,
        emergency_contact: None,
        language: None,
        bidx_cnp: v.cnp.as_ref().map(|c| keys.indexer.index(IndexKind::Cnp, c.as_str())),
        bidx_phone: v.phone_e164.as_ref().map(|p| keys.indexer.index(IndexKind::Phone, p)),
        bidx_email: v.email_norm.as_ref().map(|e| keys.indexer.index(IndexKind::Email, e)),
        bidx_first3: Some(f3),
        bidx_first5: Some(f5),
        bidx_last3: Some(l3),
        bidx_last5: Some(l5),
        restriction: Restriction::None.as_str().into(),
        created_at: now,
        updated_at: now,
        version: 1,
        status: PatientStatus::Active.as_str().into(),
    };
    set_sealed_fields(&mut row, cipher, &v.f);
    row
}

/// The plain columns a patient's sealed fields are bound to: the row's version (an
/// older ciphertext put back does not open) and its restriction (lifted by SQL, the
/// record no longer opens).
pub(crate) fn bound(row: &patient::Model) -> Bound {
    Bound::new().int("version", i64::from(row.version)).text("restriction", &row.restriction)
}

/// A rectification entry's bound columns: whose, when, by whom, for which request.
pub(crate) fn history_bound(patient: Uuid, at: i64, by: Uuid, request: Option<Uuid>) -> Bound {
    Bound::new().id("patient", patient).int("changed_at", at).id("changed_by", by).opt_id("request", request)
}

/// Seal `f` into `row` under its current version and restriction.
pub(crate) fn set_sealed_fields(row: &mut patient::Model, c: &FieldCipher, f: &PatientFields) {
    use patient::{
        ADDRESS, BIRTH_DATE, CNP, EMAIL, EMERGENCY_CONTACT, FIRST_NAME, LANGUAGE, LAST_NAME, PHONE, SEX,
    };
    let b = bound(row);
    let id = row.id;
    let seal = |column: Column<String>, value: &str| c.seal(column.at(id).bound(&b), value);
    let seal_opt = |column, value: &Option<String>| value.as_deref().map(|v| seal(column, v));
    row.first_name = seal(FIRST_NAME, &f.first_name);
    row.last_name = seal(LAST_NAME, &f.last_name);
    row.cnp = seal_opt(CNP, &f.cnp);
    row.birth_date = seal_opt(BIRTH_DATE, &f.birth_date);
    row.sex = f.sex.map(|s| seal(SEX, s.as_str()));
    row.phone = seal_opt(PHONE, &f.phone);
    row.email = seal_opt(EMAIL, &f.email);
    row.address = seal_opt(ADDRESS, &f.address);
    row.emergency_contact = seal_opt(EMERGENCY_CONTACT, &f.emergency_contact);
    row.language = f.language.map(|l| seal(LANGUAGE, l.as_str()));
}

/// Insert sealed rows through one prepared statement (the SQLite bulk path).
fn insert_patients_sqlite(conn: &rusqlite::Connection, rows: &[patient::Model]) -> Result<()> {
    let mut stmt = conn
        .prepare(
            "INSERT INTO patient (id, kek_id, dek_gen, dek_wrapped, first_name, last_name, cnp, birth_date, sex, \
             phone, email, address, emergency_contact, bidx_cnp, bidx_phone, bidx_email, bidx_first3, \
             bidx_first5, bidx_last3, bidx_last5, restriction, created_at, updated_at, version, status, language) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, \
             ?21, ?22, ?23, ?24, ?25, ?26)",
        )
        .map_err(sqlite_error)?;
    for r in rows {
        stmt.execute(rusqlite::params![
            &r.id.as_bytes()[..],
            &r.kek_id.as_bytes()[..],
            r.dek_gen,
            r.dek_wrapped,
            r.first_name.as_bytes(),
            r.last_name.as_bytes(),
            r.cnp.as_ref().map(Sealed::as_bytes),
            r.birth_date.as_ref().map(Sealed::as_bytes),
            r.sex.as_ref().map(Sealed::as_bytes),
            r.phone.as_ref().map(Sealed::as_bytes),
            r.email.as_ref().map(Sealed::as_bytes),
            r.address.as_ref().map(Sealed::as_bytes),
            r.emergency_contact.as_ref().map(Sealed::as_bytes),
            r.bidx_cnp,
            r.bidx_phone,
            r.bidx_email,
            r.bidx_first3,
            r.bidx_first5,
            r.bidx_last3,
            r.bidx_last5,
            r.restriction,
            r.created_at,
            r.updated_at,
            r.version,
            r.status,
            r.language.as_ref().map(Sealed::as_bytes),
        ])
        .map_err(|e| match sqlite_error(e) {
            Error::Database(m) if m == "unique constraint" => Error::DuplicateCnp,
            other => other,
        })?;
    }
    Ok(())
}

/// The patients' data keys, re-wrapped when the clinic key is rotated.
pub(crate) struct PatientKeys;

#[async_trait::async_trait]
impl crate::clinic::hooks::KeyHolder for PatientKeys {
    async fn rewrap(
        &self,
        tx: &sea_orm::DatabaseTransaction,
        old: &ClinicKeys,
        new: &SecretKey,
        new_id: Uuid,
    ) -> Result<u64> {
        if !old.sealing {
            return Ok(0);
        }
        // An erased patient's data key is destroyed: there is nothing to re-wrap.
        let rows: Vec<(Uuid, Vec<u8>)> = patient::Entity::find()
            .filter(patient::Column::Status.ne(gdpr::ERASED))
            .select_only()
            .column(patient::Column::Id)
            .column(patient::Column::DekWrapped)
            .into_tuple()
            .all(tx)
            .await?;
        let count = rows.len() as u64;
        for (id, wrapped) in rows {
            let ctx = dek_context(id);
            let dek = unwrap_key(&old.kek, &ctx, &wrapped)
                .ok_or_else(|| Error::Tampered(format!("the data key of record {id} does not open")))?;
            patient::Entity::update_many()
                .col_expr(patient::Column::DekWrapped, wrap_key(new, &ctx, &dek).into())
                .col_expr(patient::Column::KekId, new_id.into())
                .filter(patient::Column::Id.eq(id))
                .exec(tx)
                .await?;
        }
        Ok(count)
    }
}

/// The field cipher of one stored patient, from its wrapped data key.
pub(crate) fn cipher_for(keys: &ClinicKeys, row: &patient::Model) -> Result<FieldCipher> {
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

/// A patient's row, or `not_found` (an erased patient is gone for every use case).
pub(crate) async fn find_row<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<patient::Model> {
    find_row_any(db, id).await?.filter(|r| r.status != gdpr::ERASED).ok_or(Error::NotFound(Subject::Patient))
}

/// A patient's row, erased or not (the request log and the audit trail outlive the data).
pub(crate) async fn find_row_any<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Option<patient::Model>> {
    Ok(patient::Entity::find_by_id(id).one(db).await?)
}

/// Only the birth date of a stored patient (the minors' rule needs no more).
pub(crate) fn open_birth_date(c: &FieldCipher, row: &patient::Model) -> Result<Option<String>> {
    c.open_opt(patient::BIRTH_DATE.at(row.id).bound(&bound(row)), row.birth_date.as_ref())
}

/// Only the name of a stored patient, as lists show it (a guardian's, say).
pub(crate) fn open_display_name(c: &FieldCipher, row: &patient::Model) -> Result<String> {
    let b = bound(row);
    let first = c.open(patient::FIRST_NAME.at(row.id).bound(&b), &row.first_name)?;
    Ok(dto::display_name(&first, &c.open(patient::LAST_NAME.at(row.id).bound(&b), &row.last_name)?))
}

/// The language a stored patient reads letters in, if they said.
pub(crate) fn open_language(c: &FieldCipher, row: &patient::Model) -> Result<Option<Language>> {
    let code = c.open_opt(patient::LANGUAGE.at(row.id).bound(&bound(row)), row.language.as_ref())?;
    code.as_deref().map(Language::parse).transpose()
}

/// Name ("Ioana Bărbulescu", as a letter is addressed) and postal address of a stored patient.
pub(crate) fn open_postal(c: &FieldCipher, row: &patient::Model) -> Result<(String, Option<String>)> {
    let f = open_fields(c, row)?;
    Ok((format!("{} {}", f.first_name, f.last_name), f.address))
}

/// A stored patient's full record, read inside the caller's transaction (who
/// calls audits the read).
pub(crate) async fn dto_in<C: ConnectionTrait>(db: &C, s: &Session, id: Uuid) -> Result<PatientDto> {
    let row = find_row(db, id).await?;
    let fields = open_fields(&cipher_for(&s.keys, &row)?, &row)?;
    to_dto(&row, fields)
}

pub(crate) fn open_fields(c: &FieldCipher, row: &patient::Model) -> Result<PatientFields> {
    open_fields_at(c, row, Some(&bound(row)))
}

/// `open_fields` with the bound columns given, or none for values sealed before
/// format 2 (the migration that re-seals them).
pub(crate) fn open_fields_at(
    c: &FieldCipher,
    row: &patient::Model,
    b: Option<&Bound>,
) -> Result<PatientFields> {
    use patient::{
        ADDRESS, BIRTH_DATE, CNP, EMAIL, EMERGENCY_CONTACT, FIRST_NAME, LANGUAGE, LAST_NAME, PHONE, SEX,
    };
    let at = |column: Column<String>| {
        let place = column.at(row.id);
        b.map_or(place, |b| place.bound(b))
    };
    let opt = |column, v: &Option<Sealed<String>>| c.open_opt(at(column), v.as_ref());
    Ok(PatientFields {
        first_name: c.open(at(FIRST_NAME), &row.first_name)?,
        last_name: c.open(at(LAST_NAME), &row.last_name)?,
        cnp: opt(CNP, &row.cnp)?,
        birth_date: opt(BIRTH_DATE, &row.birth_date)?,
        sex: opt(SEX, &row.sex)?.as_deref().map(Sex::parse).transpose()?,
        phone: opt(PHONE, &row.phone)?,
        email: opt(EMAIL, &row.email)?,
        address: opt(ADDRESS, &row.address)?,
        emergency_contact: opt(EMERGENCY_CONTACT, &row.emergency_contact)?,
        language: opt(LANGUAGE, &row.language)?.as_deref().map(Language::parse).transpose()?,
    })
}

/// A stored restriction and status, as the DTOs carry them.
fn stored_state(row: &patient::Model) -> Result<(Restriction, PatientStatus)> {
    let restriction = Restriction::from_code(&row.restriction);
    let status = PatientStatus::from_code(&row.status);
    restriction
        .zip(status)
        .ok_or_else(|| Error::Tampered(format!("record {} has an unknown restriction or status", row.id)))
}

fn to_dto(row: &patient::Model, f: PatientFields) -> Result<PatientDto> {
    let (restriction, status) = stored_state(row)?;
    Ok(PatientDto {
        id: row.id,
        cnp_masked: f.cnp.as_deref().map(cnp::mask),
        fields: f,
        restriction,
        status,
        created_at: audit::format_micros(row.created_at),
        updated_at: audit::format_micros(row.updated_at),
        version: row.version,
    })
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

impl Patients<'_> {
    /// Register one patient.
    pub async fn register_patient(&self, s: &Session, input: NewPatient) -> Result<PatientDto> {
        let permit = self.authorize(s, Action::PatientRegister).await?;
        self.check_key_current(s)?;
        let (guardian, consents) = (input.guardian.clone(), input.consents.clone());
        let v = validate(&input)?;
        consent::check_minor_rule(v.f.birth_date.as_deref(), guardian.as_ref(), &consents)?;
        let id = Uuid::now_v7();
        let now = audit::now_micros();
        let bidx_cnp = v.cnp.as_ref().map(|c| s.keys.indexer.index(IndexKind::Cnp, c.as_str()));
        let (dek_wrapped, cipher) = new_data_key(&s.keys, id);
        let row = build_row(&s.keys, id, &v, now, dek_wrapped, &cipher);
        let mut w = self.work(permit).await?;
        ensure_cnp_free(&w.tx, bidx_cnp, None).await?;
        patient::Entity::insert(patient::ActiveModel::from(row.clone()))
            .exec(&w.tx)
            .await
            .map_err(map_unique)?;
        w.audit(Event::new(AuditAction::PatientRegister, "patient").subject(id).purpose("registration"));
        for event in
            consent::record_at_registration(&w.tx, s, &cipher, id, guardian.as_ref(), &consents).await?
        {
            w.audit(event);
        }
        w.commit().await?;
        tracing::info!(patient = %id, "patient registered");
        to_dto(&row, v.f)
    }

    /// Register many patients in one transaction (a migration from another
    /// system): all or nothing, one audit event each.
    pub async fn import_patients(&self, s: &Session, inputs: Vec<NewPatient>) -> Result<u64> {
        let permit = self.authorize(s, Action::PatientRegister).await?;
        self.check_key_current(s)?;
        let started = std::time::Instant::now();
        let now = audit::now_micros();
        // Validation and sealing are pure CPU work: split it over the cores.
        let keys = &s.keys;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        let chunk = inputs.len().div_ceil(threads).max(1);
        let sealed: Vec<Result<Vec<SealedImport>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = inputs
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|input| {
                                let v = validate(input)?;
                                // An import links no guardians: minors are registered one by one.
                                consent::check_minor_rule(v.f.birth_date.as_deref(), None, &[])?;
                                let cnp = v.cnp.as_ref().map(|c| c.as_str().to_owned());
                                Ok((seal_row(keys, Uuid::now_v7(), &v, now), cnp))
                            })
                            .collect()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(Error::Internal("sealing failed".into()))))
                .collect()
        });
        let mut rows = Vec::with_capacity(inputs.len());
        let mut ids = Vec::with_capacity(inputs.len());
        let mut seen = std::collections::HashSet::new();
        for part in sealed {
            for (row, cnp) in part? {
                if let Some(c) = cnp
                    && !seen.insert(c)
                {
                    return Err(Error::DuplicateCnp);
                }
                ids.push(row.id);
                rows.push(row);
            }
        }
        let count = rows.len() as u64;
        tracing::debug!(count, ms = started.elapsed().as_millis() as u64, "import: validated and sealed");
        if let Some(file) = self.store().sqlite_file() {
            let (file, actor) = (file.to_path_buf(), self.actor(s));
            let (seq, hash) = tokio::task::spawn_blocking(move || -> Result<(i64, [u8; 32])> {
                let conn = raw_sqlite(&file)?;
                conn.execute_batch("BEGIN IMMEDIATE").map_err(sqlite_error)?;
                // Dropping `conn` without COMMIT rolls everything back.
                let mut audit = AuditWriter::begin_sqlite(&conn)?;
                insert_patients_sqlite(&conn, &rows)?;
                for id in ids {
                    let event =
                        Event::new(AuditAction::PatientRegister, "patient").subject(id).purpose("import");
                    audit.append_at(&actor, event, now);
                }
                let head = audit.flush_sqlite(&conn)?;
                conn.execute_batch("COMMIT").map_err(sqlite_error)?;
                Ok(head)
            })
            .await
            .map_err(|_| Error::Internal("the import task failed".into()))??;
            self.save_checkpoint(&s.keys.checkpoint, seq, hash);
        } else {
            let mut w = self.work(permit).await?;
            let mut iter = rows.into_iter().map(patient::ActiveModel::from).peekable();
            while iter.peek().is_some() {
                // 24 columns a row: stay under the bound-parameter limits.
                let chunk: Vec<_> = iter.by_ref().take(1000).collect();
                patient::Entity::insert_many(chunk).exec(&w.tx).await.map_err(map_unique)?;
            }
            let (writer, actor) = w.audit_writer();
            let actor = actor.clone();
            for id in ids {
                writer.append_at(
                    &actor,
                    Event::new(AuditAction::PatientRegister, "patient").subject(id).purpose("import"),
                    now,
                );
            }
            w.commit().await?;
        }
        tracing::info!(count, "patients imported");
        Ok(count)
    }

    /// Open one patient's record (a read of personal data: audited).
    pub async fn get_patient(&self, s: &Session, id: Uuid) -> Result<PatientDto> {
        let result = async {
            let mut w = self.begin(s, Action::PatientRead).await?;
            let row = find_row(&w.tx, id).await?;
            let fields = open_fields(&cipher_for(&s.keys, &row)?, &row)?;
            w.audit(Event::new(AuditAction::PatientRead, "patient").subject(id).purpose("open record"));
            w.commit().await?;
            to_dto(&row, fields)
        }
        .await;
        self.noting_integrity(s, Some(id), result).await
    }

    /// Registered patients who may be the person about to be registered: the same
    /// CNP, or the same phone with the same first and last name (diacritics folded).
    pub async fn possible_duplicates(
        &self,
        s: &Session,
        candidate: &NewPatient,
    ) -> Result<Vec<DuplicateDto>> {
        let permit = self.authorize(s, Action::PatientSearch).await?;
        let keys = &s.keys;
        let cnp = non_empty(candidate.cnp.as_deref()).map(Cnp::parse).transpose()?;
        let phone = non_empty(candidate.phone.as_deref()).map(normalize::phone).transpose()?;
        let mut condition = Condition::any();
        if let Some(c) = &cnp {
            condition =
                condition.add(patient::Column::BidxCnp.eq(keys.indexer.index(IndexKind::Cnp, c.as_str())));
        }
        if let Some(p) = &phone {
            condition = condition.add(patient::Column::BidxPhone.eq(keys.indexer.index(IndexKind::Phone, p)));
        }
        if cnp.is_none() && phone.is_none() {
            return Ok(Vec::new());
        }
        let (first, last) =
            (normalize::fold_name(&candidate.first_name), normalize::fold_name(&candidate.last_name));
        let mut w = self.work(permit).await?;
        let rows = patient::Entity::find().filter(condition).limit(MAX_RESULTS).all(&w.tx).await?;
        let mut out = Vec::new();
        for row in &rows {
            let f = open_fields(&cipher_for(keys, row)?, row)?;
            let reason = if cnp.is_some() && f.cnp.as_deref() == cnp.as_ref().map(Cnp::as_str) {
                DuplicateReason::Cnp
            } else if phone.is_some()
                && f.phone == phone
                && normalize::fold_name(&f.first_name) == first
                && normalize::fold_name(&f.last_name) == last
            {
                DuplicateReason::PhoneAndName
            } else {
                continue;
            };
            out.push(DuplicateDto {
                patient: PatientSummary::from_fields(row.id, &f, stored_state(row)?.0),
                reason,
            });
        }
        w.audit(
            Event::new(AuditAction::PatientDuplicateCheck, "patient")
                .purpose(format!("{} possible duplicates", out.len())),
        );
        for d in &out {
            w.audit(
                Event::new(AuditAction::PatientSearchResult, "patient")
                    .subject(d.patient.id)
                    .purpose("duplicate check"),
            );
        }
        w.commit().await?;
        Ok(out)
    }

    /// Find patients by CNP, phone, e-mail or name prefix, without decrypting the
    /// table: blind indexes select candidates, which are opened and re-checked.
    pub async fn find_patients(&self, s: &Session, query: &PatientQuery) -> Result<Vec<PatientSummary>> {
        let result = async {
            let permit = self.authorize(s, Action::PatientSearch).await?;
            let keys = &s.keys;
            // One exact value: its blind index selects, the opened field re-checks.
            let exact = |index,
                         column: patient::Column,
                         kind,
                         want: String,
                         field: fn(&PatientFields) -> Option<&str>| {
                let b = keys.indexer.index(index, &want);
                let check: Recheck = Box::new(move |f| field(f) == Some(want.as_str()));
                (Condition::all().add(column.eq(b)), kind, check)
            };
            let (condition, kind, check): (Condition, &str, Recheck) = match query {
                PatientQuery::Cnp(c) => {
                    let cnp = Cnp::parse(c)?.as_str().to_owned();
                    exact(IndexKind::Cnp, patient::Column::BidxCnp, "cnp", cnp, |f| f.cnp.as_deref())
                }
                PatientQuery::Phone(p) => {
                    let e164 = normalize::phone(p)?;
                    exact(IndexKind::Phone, patient::Column::BidxPhone, "phone", e164, |f| f.phone.as_deref())
                }
                PatientQuery::Email(e) => {
                    let norm = normalize::email(e)?;
                    exact(IndexKind::Email, patient::Column::BidxEmail, "email", norm, |f| f.email.as_deref())
                }
                PatientQuery::Name(n) => {
                    let words = normalize::name_words(n);
                    let Some(first) = words.first() else {
                        return Err(Error::InvalidInput(Rule::SearchEmpty));
                    };
                    let len = first.chars().count();
                    let (fc, fk, lc, lk, probe) = if len >= 5 {
                        let probe: String = first.chars().take(5).collect();
                        (
                            patient::Column::BidxFirst5,
                            IndexKind::First5,
                            patient::Column::BidxLast5,
                            IndexKind::Last5,
                            probe,
                        )
                    } else {
                        let probe: String = first.chars().take(3).collect();
                        (
                            patient::Column::BidxFirst3,
                            IndexKind::First3,
                            patient::Column::BidxLast3,
                            IndexKind::Last3,
                            probe,
                        )
                    };
                    let exact_short = len < 3;
                    (
                        Condition::any()
                            .add(fc.eq(keys.indexer.index(fk, &probe)))
                            .add(lc.eq(keys.indexer.index(lk, &probe))),
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
            let mut w = self.work(permit).await?;
            // Candidates come in pages: a common prefix can select thousands of rows,
            // and the first page usually holds every hit a screen can show.
            let mut found = Vec::new();
            for page in 0..CANDIDATE_PAGES {
                let candidates = patient::Entity::find()
                    .filter(condition.clone())
                    .order_by_asc(patient::Column::Id)
                    .offset(page * CANDIDATE_PAGE)
                    .limit(CANDIDATE_PAGE)
                    .all(&w.tx)
                    .await?;
                for row in &candidates {
                    let fields = open_fields(&cipher_for(keys, row)?, row)?;
                    if check(&fields) {
                        found.push(PatientSummary::from_fields(row.id, &fields, stored_state(row)?.0));
                    }
                }
                if found.len() as u64 >= MAX_RESULTS || (candidates.len() as u64) < CANDIDATE_PAGE {
                    break;
                }
            }
            found.truncate(MAX_RESULTS as usize);
            w.audit(
                Event::new(AuditAction::PatientSearch, "patient")
                    .purpose(format!("by {kind}: {} found", found.len())),
            );
            for p in &found {
                w.audit(
                    Event::new(AuditAction::PatientSearchResult, "patient")
                        .subject(p.id)
                        .purpose(format!("search by {kind}")),
                );
            }
            w.commit().await?;
            Ok(found)
        }
        .await;
        self.noting_integrity(s, None, result).await
    }

    /// Change a patient's data; the previous values are kept, sealed, in the
    /// rectification history together with the reason. `expected_version` is the
    /// `version` of the record the change was made on: if someone saved the
    /// patient since, nothing is written and the answer is `conflict.stale`.
    pub async fn update_patient(
        &self,
        s: &Session,
        id: Uuid,
        expected_version: i32,
        changes: PatientChanges,
        reason: &str,
    ) -> Result<PatientDto> {
        self.change_patient(s, id, expected_version, changes, reason, None).await
    }

    /// Rectify a patient's record to answer their rectification request (Art. 16):
    /// an update whose trail entry names the request, so the request lists the edits
    /// made for it. The request must be this patient's, open, and a rectification.
    pub async fn rectify_patient(
        &self,
        s: &Session,
        id: Uuid,
        expected_version: i32,
        changes: PatientChanges,
        request_id: Uuid,
    ) -> Result<PatientDto> {
        self.authorize(s, Action::RequestManage).await?;
        let request = crate::gdpr::requests::request_for(self.store().connection(), request_id, id).await?;
        if request.kind != crate::gdpr::requests::RequestKind::Rectification.as_str()
            || request.closed_on.is_some()
        {
            return Err(Error::InvalidInput(Rule::NotRectificationRequest));
        }
        let reason = format!("rectification request received {}", request.received_on);
        self.change_patient(s, id, expected_version, changes, &reason, Some(request_id)).await
    }

    async fn change_patient(
        &self,
        s: &Session,
        id: Uuid,
        expected_version: i32,
        changes: PatientChanges,
        reason: &str,
        request_id: Option<Uuid>,
    ) -> Result<PatientDto> {
        let permit = self.authorize(s, Action::PatientUpdate).await?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::InvalidInput(Rule::ChangeReasonRequired));
        }
        self.gdpr().refuse_if_restricted(s, id, Action::PatientUpdate).await?;
        self.check_key_current(s)?;
        let mut w = self.work(permit).await?;
        let row = find_row(&w.tx, id).await?;
        if row.version != expected_version {
            return Err(Error::StalePatient);
        }
        let cipher = cipher_for(&s.keys, &row)?;
        let before = open_fields(&cipher, &row)?;
        let v = validate(&changes.apply(&before))?;
        if v.f == before {
            return Err(Error::InvalidInput(Rule::NothingToChange));
        }
        if consent::is_minor(v.f.birth_date.as_deref())
            && patient_guardian::Entity::find()
                .filter(patient_guardian::Column::PatientId.eq(id))
                .one(&w.tx)
                .await?
                .is_none()
        {
            return Err(Error::GuardianRequired);
        }
        let new_bidx_cnp = v.cnp.as_ref().map(|c| s.keys.indexer.index(IndexKind::Cnp, c.as_str()));
        ensure_cnp_free(&w.tx, new_bidx_cnp, Some(id)).await?;

        let hid = Uuid::now_v7();
        let snapshot = serde_json::to_vec(&before).map_err(|e| Error::Internal(e.to_string()))?;
        let now = audit::now_micros();
        let hb = history_bound(id, now, s.staff_id(), request_id);
        patient_history::Entity::insert(patient_history::ActiveModel {
            id: Set(hid),
            patient_id: Set(id),
            changed_at: Set(now),
            changed_by: Set(s.staff_id()),
            reason: Set(cipher.seal(patient_history::REASON.at(hid).bound(&hb), reason)),
            previous: Set(cipher.seal(patient_history::PREVIOUS.at(hid).bound(&hb), &snapshot)),
            request_id: Set(request_id),
        })
        .exec(&w.tx)
        .await?;

        // The patient keeps its data key; the fields are re-sealed under it.
        let mut updated = build_row(&s.keys, id, &v, now, row.dek_wrapped.clone(), &cipher);
        updated.kek_id = row.kek_id;
        updated.created_at = row.created_at;
        updated.restriction = row.restriction.clone();
        updated.status = row.status.clone();
        updated.version = row.version + 1;
        // Sealed under the new version: the old ciphertexts no longer open in this row.
        set_sealed_fields(&mut updated, &cipher, &v.f);
        // Only over the version read above: a concurrent save makes this match no row.
        let model = patient::Entity::update(patient::ActiveModel::from(updated).reset_all())
            .validate()?
            .filter(patient::Column::Version.eq(expected_version))
            .exec(&w.tx)
            .await
            .map_err(|e| match e {
                sea_orm::DbErr::RecordNotUpdated => Error::StalePatient,
                other => map_unique(other),
            })?;
        let changed = dto::changed_fields(&before, &v.f).join(", ");
        let mut event = Event::new(AuditAction::PatientUpdate, "patient")
            .subject(id)
            .purpose(format!("rectification of {changed}"));
        if let Some(r) = request_id {
            event = event.entity(r);
        }
        w.audit(event);
        w.commit().await?;
        to_dto(&model, v.f)
    }

    /// The rectification trail, newest first: who changed what, when, why, and
    /// the values before. Only the DPO may read it.
    pub async fn patient_history(&self, s: &Session, id: Uuid) -> Result<Vec<HistoryEntryDto>> {
        let result = async {
            let mut w = self.begin(s, Action::PatientHistory).await?;
            let row = find_row(&w.tx, id).await?;
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
                let hb = history_bound(e.patient_id, e.changed_at, e.changed_by, e.request_id);
                let previous: PatientFields = serde_json::from_slice(
                    &cipher.open(patient_history::PREVIOUS.at(e.id).bound(&hb), &e.previous)?,
                )
                .map_err(|_| Error::Tampered(format!("history entry {} is malformed", e.id)))?;
                out.push(HistoryEntryDto {
                    id: e.id,
                    changed_at: audit::format_micros(e.changed_at),
                    changed_by: names.get(&e.changed_by).cloned().unwrap_or_else(|| "unknown".into()),
                    reason: cipher.open(patient_history::REASON.at(e.id).bound(&hb), &e.reason)?,
                    changed_fields: dto::changed_fields(&previous, &newer),
                    previous: previous.clone(),
                    after: newer.clone(),
                    request_id: e.request_id,
                });
                newer = previous;
            }
            w.audit(
                Event::new(AuditAction::PatientHistory, "patient").subject(id).purpose("rectification trail"),
            );
            w.commit().await?;
            Ok(out)
        }
        .await;
        self.noting_integrity(s, Some(id), result).await
    }
}
