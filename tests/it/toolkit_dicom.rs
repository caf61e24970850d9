//! DICOM files written by an independent toolkit (pydicom and its codecs, by
//! `tests/fixtures/dicom/toolkit.py`) in each encoding sensors and imaging software
//! export: every one Cuspid reads is imported, shows the toolkit's own pixels in each
//! of its frames and gives back its original byte for byte; every one it does not read
//! is refused by the name of its encoding, and nothing is stored.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use cuspid::Role;
use cuspid::clinical::imaging::{FileFormat, NewXray, Photometric, XrayKind};
use serde::Deserialize;

use crate::support::{Backend, PEOPLE, TestClinic};

/// One file of the toolkit's manifest.
#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    file: String,
    /// `pixels`, or the rule code of the refusal.
    expect: String,
    /// The largest difference allowed from the toolkit's own decoding (lossy codecs).
    tolerance: u16,
    width: Option<u32>,
    height: Option<u32>,
    frames: Option<u32>,
    bits: Option<u8>,
    photometric: Option<String>,
}

/// Runs the toolkit into `out` and reads its manifest. The test tools come with the
/// README's test command (`tests/requirements.txt`); without them this fails, never skips.
fn toolkit(out: &Path) -> Vec<Case> {
    let python = std::env::var("CUSPID_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dicom/toolkit.py");
    let run = Command::new(&python).arg(&script).arg(out).output().unwrap();
    assert!(
        run.status.success(),
        "{python} {} failed (the toolkit is installed by `python3 -m pip install -r tests/requirements.txt`):\n{}",
        script.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

fn photometric(name: &str) -> Photometric {
    match name {
        "MONOCHROME1" => Photometric::Monochrome1,
        "MONOCHROME2" => Photometric::Monochrome2,
        _ => Photometric::Rgb,
    }
}

fn xray() -> NewXray {
    NewXray { kind: XrayKind::Periapical, date: "2025-03-01".into(), teeth: vec![46], note: None }
}

#[tokio::test]
async fn dicom_files_from_an_independent_toolkit_are_read_in_every_encoding_or_refused_by_name() {
    let folder = tempfile::tempdir().unwrap();
    let cases = toolkit(folder.path());
    assert!(cases.len() >= 20, "the toolkit wrote every case");
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dentist = t.staff("dr-pop", Role::Dentist).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
    let imaging = t.clinic.clinical();
    let mut read = 0;
    // Every case is tried, and every failure named at the end.
    let mut failures = Vec::new();
    for case in &cases {
        let name = &case.name;
        let bytes = std::fs::read(folder.path().join(&case.file)).unwrap();
        let imported = imaging.import_xray(&dentist, p.id, &bytes, xray()).await;
        if case.expect != "pixels" {
            match imported {
                Err(e) if e.rule().map(|r| r.code()) == Some(case.expect.as_str()) => {}
                Err(e) => {
                    failures.push(format!("{name}: refused as {:?} ({e}), not {}", e.rule(), case.expect))
                }
                Ok(_) => failures.push(format!("{name}: imported, but {} was expected", case.expect)),
            }
            continue;
        }
        let x = match imported {
            Ok(x) => x,
            Err(e) => {
                failures.push(format!("{name}: refused: {e}"));
                continue;
            }
        };
        read += 1;
        let want = photometric(case.photometric.as_deref().unwrap());
        let described = (x.format, x.width, x.height, x.bits, x.photometric, x.frames);
        let expected = (
            FileFormat::Dicom,
            case.width.unwrap(),
            case.height.unwrap(),
            case.bits.unwrap(),
            want,
            case.frames.unwrap(),
        );
        if described != expected {
            failures.push(format!("{name}: read as {described:?}, not {expected:?}"));
            continue;
        }
        let samples: Vec<u16> = std::fs::read(folder.path().join(format!("{name}.u16")))
            .unwrap()
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let per_frame = samples.len() / x.frames as usize;
        for (frame, want) in samples.chunks(per_frame).enumerate() {
            let view = imaging.open_xray(&dentist, p.id, x.id, frame as u32).await.unwrap();
            assert_eq!(view.frame, frame as u32);
            let got: Vec<u16> = if view.bits == 16 {
                view.pixels.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect()
            } else {
                view.pixels.iter().map(|&b| u16::from(b)).collect()
            };
            let worst = got.iter().zip(want).map(|(a, b)| a.abs_diff(*b)).max().unwrap_or(u16::MAX);
            if got.len() != want.len() || worst > case.tolerance {
                failures.push(format!(
                    "{name} frame {frame}: {} samples off by up to {worst} from the toolkit's {}",
                    got.len(),
                    want.len()
                ));
            }
        }
        let past = imaging.open_xray(&dentist, p.id, x.id, x.frames).await.unwrap_err();
        assert_eq!(past.rule().map(|r| r.code()), Some("imaging.no_such_frame"), "{name}");
        let (_, original) = imaging.xray_original(&dentist, p.id, x.id).await.unwrap();
        assert!(original == bytes, "{name}: the original, byte for byte");
    }
    assert!(failures.is_empty(), "{} of {} files:\n{}", failures.len(), cases.len(), failures.join("\n"));
    let stored = imaging.xrays(&dentist, p.id).await.unwrap();
    assert_eq!(stored.len(), read, "a refused file leaves nothing behind");
    let blobs = t.sqlite_file().with_file_name("blobs");
    assert_eq!(std::fs::read_dir(&blobs).unwrap().count(), read, "no blob left by a refused file");
}
