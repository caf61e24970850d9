//! What lands on disk: Cuspid's own folders and files are the OS user's alone, and a
//! file written for a person is new, never through a link, never into those folders.

#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use cuspid::clinical::imaging::{NewXray, XrayKind};
use cuspid::{AuditFilter, Role};

use crate::support::{Backend, PEOPLE, TestClinic};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode() & 0o777
}

fn png() -> Vec<u8> {
    let img = image::DynamicImage::ImageLuma8(image::GrayImage::from_fn(16, 16, |x, y| {
        image::Luma([(x * y) as u8])
    }));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn the_data_folder_blobs_and_checkpoints_are_private_to_the_os_user() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let dentist = t.staff("dan", Role::Dentist).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
    let x = NewXray { kind: XrayKind::Photo, date: "2025-03-01".into(), teeth: vec![], note: None };
    t.clinic.clinical().import_xray(&dentist, p.id, &png(), x).await.unwrap();

    let data = t.sqlite_file().parent().unwrap().to_path_buf();
    assert_eq!(mode(&data), 0o700, "the data folder");
    assert_eq!(mode(&t.sqlite_file()), 0o600, "the database file");
    let wal = data.join("cuspid.sqlite-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600, "the write-ahead log");
    }
    let blobs = data.join("blobs");
    assert_eq!(mode(&blobs), 0o700, "the image store");
    for f in std::fs::read_dir(&blobs).unwrap() {
        assert_eq!(mode(&f.unwrap().path()), 0o600, "each sealed image");
    }
    let checkpoints = t.dir.path().join("state").join("checkpoints");
    assert_eq!(mode(&checkpoints), 0o700, "the checkpoint folder");
    for f in std::fs::read_dir(&checkpoints).unwrap() {
        assert_eq!(mode(&f.unwrap().path()), 0o600, "each checkpoint");
    }

    // A clinic made by an earlier build (umask modes) is closed up when opened.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(t.sqlite_file(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let _again = t.reopen().await;
    assert_eq!((mode(&data), mode(&t.sqlite_file())), (0o700, 0o600));
}

#[tokio::test]
async fn files_for_people_are_new_private_and_kept_out_of_cuspids_folders() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let dentist = t.staff("dan", Role::Dentist).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[1].new_patient()).await.unwrap();
    let x = NewXray { kind: XrayKind::Photo, date: "2025-03-01".into(), teeth: vec![], note: None };
    let xray = t.clinic.clinical().import_xray(&dentist, p.id, &png(), x).await.unwrap();
    let (_, original) = t.clinic.clinical().xray_original(&dentist, p.id, xray.id).await.unwrap();

    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("radiografie.png");
    t.clinic.write_file(&file, &original).unwrap();
    assert_eq!(mode(&file), 0o600, "a file for a person is readable by this OS user only");
    let again = t.clinic.write_file(&file, b"other").unwrap_err();
    assert_eq!(again.kind(), "conflict.exists", "an existing file is never overwritten");
    assert_eq!(std::fs::read(&file).unwrap(), original);

    let elsewhere = out.path().join("notes.txt");
    std::fs::write(&elsewhere, b"keep").unwrap();
    let link = out.path().join("link.png");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    assert!(t.clinic.write_file(&link, &original).is_err(), "a link is not written through");
    assert_eq!(std::fs::read(&elsewhere).unwrap(), b"keep");

    let data = t.sqlite_file().parent().unwrap().to_path_buf();
    for inside in
        [data.join("copy.png"), data.join("blobs").join("x.png"), t.dir.path().join("state").join("a.pdf")]
    {
        let e = t.clinic.write_file(&inside, &original).unwrap_err();
        assert_eq!(e.kind(), "input.invalid", "{}: {e}", inside.display());
        assert!(!inside.exists());
    }
    let dpo = t.staff("irina", Role::Dpo).await;
    let opts = cuspid::gdpr::export::ExportOptions {
        dir: data.clone(),
        encryption: cuspid::gdpr::export::ExportEncryption::None,
        keep_image_metadata: false,
        lang: None,
        request_id: None,
    };
    let e = t.clinic.gdpr().export_patient(&dpo, p.id, opts).await.unwrap_err();
    assert_eq!(e.kind(), "input.invalid", "an export is not put inside the data folder either");
}

#[tokio::test]
async fn the_audit_csv_shows_formulas_as_text() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    // A workstation name comes from the host or the environment: anyone can choose it.
    let hostile = t
        .reopen_configured(|c| c.workstation = Some("=HYPERLINK(\"http://x\",\"ok\")".into()))
        .await
        .unwrap();
    let admin = t.sign_in(&hostile, "admin", crate::support::ADMIN_PASSWORD).await;
    let csv = hostile.audit_csv(&admin, &AuditFilter::default()).await.unwrap();
    assert!(csv.contains("'=HYPERLINK"), "the cell is neutralised: {csv}");
    assert!(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"), "no live formula: {csv}");
}

/// CRC-32 (ISO 3309) of `bytes`, for a PNG chunk written by hand.
fn crc32(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
    }
    !c
}

#[tokio::test]
async fn an_image_declaring_a_huge_size_is_refused_before_decoding() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let dentist = t.staff("dan", Role::Dentist).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
    // A 16x16 PNG whose header says 40000 x 40000 (6.4 GB as RGBA16).
    let mut png = png();
    png[16..20].copy_from_slice(&40_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&40_000u32.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    let x = NewXray { kind: XrayKind::Photo, date: "2025-03-01".into(), teeth: vec![], note: None };
    let e = t.clinic.clinical().import_xray(&dentist, p.id, &png, x).await.unwrap_err();
    assert_eq!(e.kind(), "input.invalid");
    assert!(e.to_string().contains("larger than Cuspid opens"), "a clear reason, not 'damaged': {e}");
    assert!(t.clinic.clinical().xrays(&dentist, p.id).await.unwrap().is_empty(), "nothing stored");
}

#[tokio::test]
async fn the_permission_is_checked_before_any_slow_key_derivation() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let ana = t.staff("ana", Role::Receptionist).await;
    // A refused caller learns nothing else, not even that the password is too short.
    let e = t.clinic.admin().add_staff(&ana, "eve", Role::Admin, "short").await.unwrap_err();
    assert_eq!(e.kind(), "auth.permission_denied");
    let e = t.clinic.enroll_workstation(&t.admin().await, "12").await.unwrap_err();
    assert_eq!(e.kind(), "auth.permission_denied");
    let outcome = format!(
        "{:?}",
        cuspid::InitOutcome {
            clinic_id: uuid::Uuid::nil(),
            admin_id: uuid::Uuid::nil(),
            recovery_key: "ABCD-EFGH".into(),
        }
    );
    assert!(!outcome.contains("ABCD"), "the recovery key never reaches a Debug print: {outcome}");
}
