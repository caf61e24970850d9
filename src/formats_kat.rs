//! Known-answer tests for every format Cuspid writes to disk: sealed fields (formats
//! 0, 1 and 2), wrapped keys, key slots, derived keys and blind indexes, the audit
//! hash chain, the workstation checkpoint file and the export files.
//!
//! Each test takes fixed keys, nonces and inputs and compares the output with bytes
//! computed once and frozen here, in both directions: what an earlier release wrote
//! must still open (the clinics' existing data), and what this release writes must
//! be what the earlier one wrote. A failure here is never fixed by updating the
//! constant: a format that changes gets a new version byte or label, and a
//! migration that moves the existing data over (see `docs/crypto.md`, "Frozen
//! formats").

use uuid::Uuid;

use crate::audit::{CheckpointKey, CheckpointKeys, EventRecord, GENESIS};
use crate::crypto::{
    BlindIndexer, Bound, FieldCipher, IndexKind, KdfParams, Place, RecoveryKey, Sealed, SecretKey,
    derive_password_key, derive_recovery_key, derive_workstation_key, mac, unwrap_key, wrap_key_with_nonce,
};

const CHANGED: &str = "format change: bump the version and add a migration";

fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

fn unhex(text: &str) -> Vec<u8> {
    data_encoding::HEXLOWER.decode(text.as_bytes()).expect("frozen hex")
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// `actual` must be the frozen `expected` (lower-case hex).
#[track_caller]
fn frozen(what: &str, actual: &[u8], expected: &str) {
    frozen_text(what, &hex(actual), expected);
}

/// `actual` must be the frozen `expected`.
#[track_caller]
fn frozen_text(what: &str, actual: &str, expected: &str) {
    assert_eq!(actual, expected, "{what}: {CHANGED}");
}

/// A fixed key: 32 bytes counting up from `first`.
fn key(first: u8) -> SecretKey {
    SecretKey::from_bytes(std::array::from_fn(|i| first.wrapping_add(i as u8)))
}

fn key_bytes(first: u8) -> [u8; 32] {
    std::array::from_fn(|i| first.wrapping_add(i as u8))
}

/// A fixed 24-byte nonce counting up from `first`.
fn nonce(first: u8) -> [u8; 24] {
    std::array::from_fn(|i| first.wrapping_add(i as u8))
}

const ROW: Uuid = Uuid::from_u128(0x0190_f1d2_3c4d_7e5f_8a6b_1c2d_3e4f_5061);
const OTHER: Uuid = Uuid::from_u128(0x0190_f1d2_3c4d_7e5f_9a6b_1c2d_3e4f_5062);

// ---- sealed fields --------------------------------------------------------------

const FIELD_V1: &str = "0100000001404142434445464748494a4b4c4d4e4f50515253545556571ca17115b681172bafb7d4cb405339c6d7ebb6a163c10f";
const FIELD_V2: &str = "0200000001404142434445464748494a4b4c4d4e4f50515253545556571ca17115b6811783b59f7b4136a4d660c04e73189794ff";

/// `patient.first_name` of row `ROW`: its table, column and row are the associated data.
fn field_addr() -> Place<'static, String> {
    crate::store::entities::patient::FIRST_NAME.at(ROW)
}

/// Plain columns of every kind [`Bound`] encodes.
fn bound() -> Bound {
    Bound::new()
        .text("status", "active")
        .int("version", 7)
        .flag("granted", true)
        .id("author", OTHER)
        .opt_id("replaces", None)
        .opt_text("reason", Some("la cerere"))
}

#[test]
fn a_field_sealed_by_an_earlier_release_still_opens() {
    let cipher = FieldCipher::new(&key(0x00), 1);
    let v1 = Sealed::from_stored(unhex(FIELD_V1));
    assert_eq!(cipher.open(field_addr(), &v1).expect(CHANGED), "Ștefan", "{CHANGED}");
    let b = bound();
    let v2 = Sealed::from_stored(unhex(FIELD_V2));
    assert_eq!(cipher.open(field_addr().bound(&b), &v2).expect(CHANGED), "Ștefan");
}

#[test]
fn a_field_is_still_sealed_as_earlier_releases_sealed_it() {
    let cipher = FieldCipher::new(&key(0x00), 1);
    let v1 = cipher.seal_with_nonce(field_addr().addr(), "Ștefan".as_bytes(), nonce(0x40));
    frozen("field format 1", &v1, FIELD_V1);
    assert_eq!(v1[0], 1, "field format 1 starts with its version byte: {CHANGED}");
    let b = bound();
    let v2 = cipher.seal_with_nonce(field_addr().bound(&b).addr(), "Ștefan".as_bytes(), nonce(0x40));
    frozen("field format 2", &v2, FIELD_V2);
    assert_eq!(v2[0], 2, "field format 2 starts with its version byte: {CHANGED}");
}

#[test]
fn a_field_of_a_benchmark_clinic_still_reads_as_plain_bytes() {
    // Format 0: the version byte and the value, nothing else.
    let plain = FieldCipher::Plain;
    frozen("field format 0", plain.seal(field_addr(), "Ana").as_bytes(), "00416e61");
    assert_eq!(plain.open(field_addr(), &Sealed::from_stored(unhex("00416e61"))).expect(CHANGED), "Ana");
}

// ---- wrapped keys -----------------------------------------------------------------

const WRAPPED_DEK: &str = "0100000000606162636465666768696a6b6c6d6e6f707172737475767768a6c2a501f41d4622881f849e2ca116e77d3e86fd704ff1f8bba361a6081c182f58663d8514daf27256f66e34cb8731";

#[test]
fn a_patient_key_wrapped_by_an_earlier_release_still_unwraps() {
    let kek = key(0x20);
    let context = crate::patients::dek_context(ROW);
    frozen("wrapped data key", &wrap_key_with_nonce(&kek, &context, &key(0x80), nonce(0x60)), WRAPPED_DEK);
    let dek = unwrap_key(&kek, &context, &unhex(WRAPPED_DEK)).expect(CHANGED);
    assert_eq!(dek.dangerous_expose_bytes(), &key_bytes(0x80), "{CHANGED}");
}

const KEK_CHECK: &str = "c2ee407d4159812a41c60656b637bd6a32da117d22435cc1b0eef11f8a65dfd3";
const WRAPPED_INDEX_KEY: &str = "01000000006162636465666768696a6b6c6d6e6f707172737475767778066eb1c2193966733bf3af7bc79f8cdad7594e54b0a839ae4c386c98dc9a2083a0a6ad659b3c3c56e85eb09131038120";
const WRAPPED_CHECKPOINT_KEY: &str = "010000000062636465666768696a6b6c6d6e6f70717273747576777879a966b2e522d2e93bb18d8c80ded0712a0f4aad6f61d3dca91c720814fcafe984075e84f8fed06af51e80fc7f50488d07";

#[test]
fn the_clinic_keys_wrapped_by_an_earlier_release_still_unwrap() {
    let kek = key(0x20);
    // The key check value, which tells a right clinic key from a wrong one.
    frozen("key check value", &crate::clinic::kek_check(&kek, OTHER, "on"), KEK_CHECK);
    let index_ctx = crate::clinic::key_context("index-key", OTHER);
    frozen(
        "wrapped index key",
        &wrap_key_with_nonce(&kek, &index_ctx, &kek.derive("blind-index"), nonce(0x61)),
        WRAPPED_INDEX_KEY,
    );
    let index = unwrap_key(&kek, &index_ctx, &unhex(WRAPPED_INDEX_KEY)).expect(CHANGED);
    assert_eq!(index.dangerous_expose_bytes(), kek.derive("blind-index").dangerous_expose_bytes());
    let cp_ctx = crate::clinic::checkpoint_context(ROW);
    frozen(
        "wrapped checkpoint key",
        &wrap_key_with_nonce(&kek, &cp_ctx, &key(0xa0), nonce(0x62)),
        WRAPPED_CHECKPOINT_KEY,
    );
    let cp = unwrap_key(&kek, &cp_ctx, &unhex(WRAPPED_CHECKPOINT_KEY)).expect(CHANGED);
    assert_eq!(cp.dangerous_expose_bytes(), &key_bytes(0xa0), "{CHANGED}");
}

/// Every purpose a sub-key is derived for, and its frozen value under `key(0x20)`.
const DERIVED: [(&str, &str); 7] = [
    ("blind-index", "7e2165505c7acc9b789379c48af41ea43a685f0f25a6946fc9283fd2a1bc1c25"),
    ("audit-checkpoint", "de090de2ea886999a78cb25f291bda36ef785cb433adcda0c32430c6767de2e0"),
    ("staff-rows", "f4b2006be192a1e3dc0465f2733049fc9d6798f484a62e50e261063db64fed8d"),
    ("staff-mfa", "c239864a01ea5ec4606bfac34eff52452506c3ab6ed5763ef6154c9bf928e7f7"),
    ("clinic-profile", "998015063d402586a8220e9ed223dfb1873ad8942eb2ef6a520d7a2b23afae68"),
    ("subject-requests", "9dc67581e75fbb6890bcb38b140e5c8e5dbfdec498038e2d3fd602c89056a740"),
    (
        "retained/0190f1d2-3c4d-7e5f-8a6b-1c2d3e4f5061",
        "7dcd4e91faa0c780ea24c22daa754a9c2147ce7ec12a12966014b9663d8a1798",
    ),
];

#[test]
fn sub_keys_are_still_derived_as_earlier_releases_derived_them() {
    let kek = key(0x20);
    for (purpose, expected) in DERIVED {
        frozen(&format!("derived key {purpose}"), kek.derive(purpose).dangerous_expose_bytes(), expected);
    }
    assert_eq!(format!("retained/{ROW}"), DERIVED[6].0);
}

/// Each index kind's frozen value of one normalised string, under `key(0x30)`.
const BLIND: [(IndexKind, &str, i64); 7] = [
    (IndexKind::Cnp, "1960523400012", 6_559_042_019_182_742_369),
    (IndexKind::Phone, "+40722123456", -7_898_736_191_632_677_108),
    (IndexKind::Email, "ana@example.ro", -3_625_450_830_997_388_893),
    (IndexKind::First3, "ana", 8),
    (IndexKind::First5, "stefa", 446),
    (IndexKind::Last3, "pop", 229),
    (IndexKind::Last5, "popes", 203),
];

#[test]
fn a_patient_indexed_by_an_earlier_release_is_still_found() {
    let indexer = BlindIndexer::new(&key(0x30));
    for (kind, value, expected) in BLIND {
        assert_eq!(indexer.index(kind, value), expected, "blind index {kind:?}: {CHANGED}");
    }
}

// ---- key slots ----------------------------------------------------------------------

const SLOT_SALT: [u8; 16] = [0x5a; 16];
const PASSWORD_KEY: &str = "9aa542894491c3071fa5a35972c2307897f92bb546e3a95fc4a92639fd41c8ab";
const PASSWORD_SLOT: &str = "a43d0581ae2b8079ee1b25b5cd241d9981bdecc4eba17916699504152706cf72dc2cca31e8e43bbd91dff7e475cca3347eb478107d5bd765aba4ae4a30c35d440100000000707172737475767778797a7b7c7d7e7f808182838485868716dbb8dd7c3bef9296789ca42545a8def5662a4394e63fa0767925937972d7e191d5dfa0f522aef9c2140098f48ca182";
const RECOVERY_TEXT: &str = "HQ6D-YPB4-HQ6D-YPB4-HQ6D-YPB4-HQ6D-YPB4";
const RECOVERY_KEY: &str = "819d65caef2014c0d2ebd6296ef4ec36ca14b2f0348df40f3c3e4790adff6472";
const RECOVERY_SLOT: &str = "7c236e740c7b97ca9f4e82c6cdff864c850b1b97666aaacfed197ac59450e60bdc2cca31e8e43bbd91dff7e475cca3347eb478107d5bd765aba4ae4a30c35d440100000000707172737475767778797a7b7c7d7e7f8081828384858687eb76e9e5a93468a0a337d3fb9f4b8cab0a4d687d19adce9a076e8038a4b0e6fd7bf5d681184873640ffa9c8c1549bf80";
const WORKSTATION_KEY: &str = "43825854cb9f2a92c3f966346239247d71c8b3a3283fad5e49562f77ab236de3";
const WORKSTATION_SLOT: &str = "9c7e1997e7ce0856733ad2b83a73838c586bf3ebcdd7108aaa64763113c52418dc2cca31e8e43bbd91dff7e475cca3347eb478107d5bd765aba4ae4a30c35d440100000000707172737475767778797a7b7c7d7e7f8081828384858687251e6c3b192746a5d0ed530da47a2f835f1f30669cedc0535638ca191771b53b885b914f897e4ab0c0c19ee876b0e560";

/// The slot's secret must be the frozen one, the frozen slot must open to the clinic
/// key `key(0x20)`, and sealing again with the same ephemeral key and nonce must give
/// the frozen slot.
#[track_caller]
fn check_slot(what: &str, secret: &SecretKey, expected_secret: &str, expected_slot: &str) {
    frozen(&format!("{what} slot secret"), secret.dangerous_expose_bytes(), expected_secret);
    let again = crate::auth::seal_slot_with(
        crate::auth::slot_public_key(secret),
        ROW,
        &key(0x20),
        key_bytes(0xc0),
        nonce(0x70),
    );
    frozen(&format!("{what} slot"), &again, expected_slot);
    let kek = crate::auth::open_slot(secret, ROW, &unhex(expected_slot)).expect(CHANGED);
    assert_eq!(kek.dangerous_expose_bytes(), &key_bytes(0x20), "{what}: {CHANGED}");
}

#[test]
fn a_password_slot_made_by_an_earlier_release_still_opens() {
    let params = KdfParams { m_kib: 19 * 1024, t: 2, p: 1 };
    let secret = derive_password_key("corect cal baterie capsa", &SLOT_SALT, params).expect("argon2");
    check_slot("password", &secret, PASSWORD_KEY, PASSWORD_SLOT);
}

#[test]
fn a_recovery_slot_made_by_an_earlier_release_still_opens() {
    let rk = RecoveryKey::parse(RECOVERY_TEXT).expect(CHANGED);
    assert_eq!(rk.display(), RECOVERY_TEXT, "the recovery key's printed form: {CHANGED}");
    check_slot("recovery", &derive_recovery_key(&rk, &SLOT_SALT), RECOVERY_KEY, RECOVERY_SLOT);
}

#[test]
fn a_workstation_slot_made_by_an_earlier_release_still_opens() {
    let params = KdfParams { m_kib: 19 * 1024, t: 2, p: 1 };
    let secret = derive_workstation_key(&key(0xe0), "482916", &SLOT_SALT, params).expect("argon2");
    check_slot("workstation", &secret, WORKSTATION_KEY, WORKSTATION_SLOT);
}

// ---- the audit chain ----------------------------------------------------------------

const EVENT_1: &str = "28e0b57fe224e84afb859402157c8eb962ab7291687b7c8b384dfb3ec7a798ac";
const EVENT_2: &str = "84936345ef6b65ba543df6c73be653a17086928bcd481f161987bce2ba0a076a";

#[test]
fn an_audit_log_written_by_an_earlier_release_still_verifies() {
    let actor_id = OTHER.as_bytes();
    let subject = ROW.as_bytes();
    let entity = ROW.to_string();
    let first = EventRecord {
        seq: 1,
        at: 1_767_225_600_000_000,
        actor_id: Some(&actor_id[..]),
        actor: "dr.ionescu".as_bytes(),
        role: b"dentist",
        workstation: "Cabinet 2".as_bytes(),
        action: b"patient.read",
        entity_type: b"patient",
        entity_id: Some(entity.as_bytes()),
        subject_id: Some(&subject[..]),
        purpose: "tratament".as_bytes(),
        outcome: b"success",
    };
    let h1 = first.hash(&GENESIS);
    frozen("audit event hash", &h1, EVENT_1);
    // A system event: no actor id, no entity, no subject, an empty purpose.
    let second = EventRecord {
        seq: 2,
        at: 1_767_225_600_000_001,
        actor_id: None,
        actor: b"system",
        role: b"system",
        workstation: b"",
        action: b"clinic.unlock",
        entity_type: b"clinic",
        entity_id: None,
        subject_id: None,
        purpose: b"",
        outcome: b"denied",
    };
    frozen("audit event hash (chained)", &second.hash(&h1), EVENT_2);
}

// ---- the workstation checkpoint -------------------------------------------------------

const CHECKPOINT_V1: &str = r#"{"clinic_id":"0190f1d2-3c4d-7e5f-8a6b-1c2d3e4f5061","key_id":"00000000-0000-0000-0000-000000000000","seq":41,"hash":"1111111111111111111111111111111111111111111111111111111111111111","mac":"6af894bee58dd95ea66eddf36c9ec249630fa60c90ad6e81370888d0a3e2b881"}"#;
const CHECKPOINT_V2: &str = r#"{"clinic_id":"0190f1d2-3c4d-7e5f-8a6b-1c2d3e4f5061","key_id":"0190f1d2-3c4d-7e5f-9a6b-1c2d3e4f5062","seq":42,"hash":"2222222222222222222222222222222222222222222222222222222222222222","mac":"612d168f2426db97e839d3a89ba12c3d4472982a23801908b2319b3916d558e4"}"#;

fn checkpoint_keys(id: Uuid) -> CheckpointKeys {
    CheckpointKeys { current: CheckpointKey { id, key: key(0x90) }, previous: None }
}

/// Put `text` where the checkpoint of clinic `ROW` lives and read it back.
fn load_checkpoint(text: &str, keys: &CheckpointKeys) -> crate::audit::Checkpoint {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path().join("checkpoints").join(format!("{ROW}.json"));
    std::fs::create_dir_all(p.parent().expect("parent")).expect("dir");
    std::fs::write(&p, text).expect("write");
    crate::audit::checkpoint_load(dir.path(), ROW, keys).expect(CHANGED).expect("a checkpoint")
}

#[test]
fn a_checkpoint_written_by_an_earlier_release_still_reads() {
    let v1 = load_checkpoint(CHECKPOINT_V1, &checkpoint_keys(Uuid::nil()));
    assert_eq!((v1.seq, v1.hash), (41, vec![0x11; 32]), "checkpoint v1: {CHANGED}");
    let v2 = load_checkpoint(CHECKPOINT_V2, &checkpoint_keys(OTHER));
    assert_eq!((v2.seq, v2.hash), (42, vec![0x22; 32]), "checkpoint v2: {CHANGED}");
}

#[test]
fn a_checkpoint_is_still_written_as_earlier_releases_wrote_it() {
    for (keys, seq, byte, expected) in [
        (checkpoint_keys(Uuid::nil()), 41, 0x11, CHECKPOINT_V1),
        (checkpoint_keys(OTHER), 42, 0x22, CHECKPOINT_V2),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let cp = crate::audit::Checkpoint { seq, hash: vec![byte; 32] };
        crate::audit::checkpoint_store(dir.path(), ROW, &keys, &cp).expect("store");
        let written = std::fs::read_to_string(dir.path().join("checkpoints").join(format!("{ROW}.json")))
            .expect("read");
        frozen_text("checkpoint file", &written, expected);
    }
    // The v2 MAC input, spelled out: label, clinic id, key id, seq, head hash.
    let mut m = b"cuspid-checkpoint-v2".to_vec();
    m.extend_from_slice(ROW.as_bytes());
    m.extend_from_slice(OTHER.as_bytes());
    m.extend_from_slice(&42i64.to_be_bytes());
    m.extend_from_slice(&[0x22; 32]);
    assert!(CHECKPOINT_V2.contains(&hex(&mac(&key(0x90), &m))), "checkpoint v2 MAC: {CHANGED}");
}

// ---- exports ---------------------------------------------------------------------------

/// The file names of an export, and the SHA-256 of each.
const EXPORT_FILES: [(&str, &str); 5] = [
    ("data.json", "e120852b6c299c98c4974c777b5ba249cee83ced64b1dbe6df2bb5733460936f"),
    ("data.xml", "e09dfb7b96e94dc8dc1224622a2402604df625bfff21e1a4cc9528d94825c1e3"),
    ("fhir-bundle.json", "f60f5bc525983dc5c622ddf65a8ebb25727116ddbedab9fe2a843a07e5dae0e7"),
    ("csv/patient.csv", "28d19e845303aed0355c5fcb08faa49235f346fc706fd0a4cefcc0eaa2507c75"),
    ("xray/original.dcm", "4c07eaea1325b5d4e41ed98d5c96e4681eefde39e58aff9f47adaf7af2d0d46a"),
];

const EXPORT_JSON: &str = r#"{
  "data": {
    "patient": [
      {
        "email": null,
        "first_name": "Ana",
        "id": "0190f1d2-3c4d-7e5f-8a6b-1c2d3e4f5061",
        "last_name": "Popescu"
      }
    ]
  },
  "format": "cuspid-export/1",
  "generated_at": "2026-01-01T00:00:00.000Z",
  "patient_id": "0190f1d2-3c4d-7e5f-8a6b-1c2d3e4f5061"
}"#;

fn export_parts() -> Vec<crate::gdpr::ExportPart> {
    use crate::gdpr::{ExportPart, Record};
    vec![ExportPart {
        kind: "patient",
        records: vec![Record {
            id: ROW,
            fields: vec![
                ("last_name", Some("Popescu".into())),
                ("first_name", Some("Ana".into())),
                ("email", None),
            ],
        }],
        fhir: vec![serde_json::json!({ "resourceType": "Patient", "id": ROW.to_string() })],
        files: vec![("xray/original.dcm".into(), b"DICM".to_vec())],
    }]
}

#[test]
fn an_export_still_has_the_files_and_layout_earlier_releases_gave() {
    let files = crate::gdpr::export::data_files_with(&export_parts(), ROW, "2026-01-01T00:00:00.000Z", OTHER)
        .expect("files");
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, EXPORT_FILES.map(|(n, _)| n), "export file names: {CHANGED}");
    for ((name, bytes), (_, expected)) in files.iter().zip(EXPORT_FILES) {
        frozen_text(&format!("export file {name}"), &sha256(bytes), expected);
    }
    frozen_text("data.json", &String::from_utf8_lossy(&files[0].1), EXPORT_JSON);
}

/// An encrypted export written by an earlier release (`export_patient` with a
/// passphrase), and its passphrase.
const EXPORT_AGE: &[u8] = include_bytes!("../tests/fixtures/formats/export.zip.age");
const EXPORT_PASSPHRASE: &str = "cal-verde-pe-perete-42";

#[test]
fn an_encrypted_export_from_an_earlier_release_still_opens_with_its_passphrase() {
    let header = &EXPORT_AGE[..EXPORT_AGE.iter().position(|&b| b == b'\n').expect("header")];
    assert_eq!(header, b"age-encryption.org/v1", "{CHANGED}");
    let mut identity =
        age::scrypt::Identity::new(age::secrecy::SecretString::from(EXPORT_PASSPHRASE.to_owned()));
    identity.set_max_work_factor(crate::gdpr::export::SCRYPT_LOG_N);
    let decryptor = age::Decryptor::new(EXPORT_AGE).expect(CHANGED);
    let mut reader = decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).expect(CHANGED);
    let mut zip_bytes = Vec::new();
    std::io::Read::read_to_end(&mut reader, &mut zip_bytes).expect(CHANGED);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).expect(CHANGED);
    let names: Vec<String> = zip.file_names().map(|n| n.expect(CHANGED).into_owned()).collect();
    assert_eq!(names, EXPORT_FILES.map(|(n, _)| n), "{CHANGED}");
    for (name, expected) in EXPORT_FILES {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_name(name).expect(CHANGED), &mut bytes).expect(CHANGED);
        assert_eq!(sha256(&bytes), expected, "export file {name} inside the zip: {CHANGED}");
    }
}
