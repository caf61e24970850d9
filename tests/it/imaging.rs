//! X-rays: every format (8- and 16-bit, MONOCHROME1 and 2) round-trips its original
//! bytes and its pixels; a damaged file of each format is refused with nothing
//! stored; nothing of the patient is in clear in the blob folder or the database.

#![allow(clippy::unwrap_used)]

use crate::support::dicom::SyntheticDicom;
use cuspid::Role;
use cuspid::clinical::imaging::{FileFormat, NewXray, Photometric, XrayKind};

use crate::support::{Backend, PEOPLE, TestClinic, backend_tests};

const W: u32 = 40;
const H: u32 = 30;

/// A gradient with some texture, values up to `max`.
fn samples(max: u32) -> Vec<u16> {
    (0..W * H).map(|i| ((i * 7919 + (i / W) * 31) % (max + 1)) as u16).collect()
}

fn encode(image: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn gray8() -> image::DynamicImage {
    let bytes = samples(255).into_iter().map(|v| v as u8).collect();
    image::DynamicImage::ImageLuma8(image::GrayImage::from_raw(W, H, bytes).unwrap())
}

fn gray16() -> image::DynamicImage {
    image::DynamicImage::ImageLuma16(image::ImageBuffer::from_raw(W, H, samples(65535)).unwrap())
}

/// A DICOM intraoral X-ray with a patient name and ID in its header.
fn dicom(bits: u16, monochrome1: bool) -> Vec<u8> {
    let values = samples(if bits == 16 { 4095 } else { 255 });
    let file = SyntheticDicom {
        width: W as u16,
        height: H as u16,
        bits,
        monochrome1,
        samples: &values,
        patient_name: "Dicomescu^Ilie",
        patient_id: "1790312080012",
        window: (2000.0, 3000.0),
        spacing_mm: 0.05,
    };
    file.to_bytes().unwrap()
}

fn new_xray(kind: XrayKind) -> NewXray {
    NewXray { kind, date: "2025-03-01".into(), teeth: vec![37, 36], note: Some("carie distală 36".into()) }
}

/// A file, what it must be read as, and the pixels it holds.
type Case = (&'static str, Vec<u8>, FileFormat, u8, Photometric, Vec<u16>);

/// The samples a viewer gets, back as numbers.
fn view_samples(bits: u8, bytes: &[u8]) -> Vec<u16> {
    if bits == 16 {
        bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect()
    } else {
        bytes.iter().map(|&b| u16::from(b)).collect()
    }
}

backend_tests! {
    async fn every_format_round_trips_its_original_bytes_and_its_pixels(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dentist = t.staff("dr-pop", Role::Dentist).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
        let jpeg = encode(gray8(), image::ImageFormat::Jpeg);
        let jpeg_pixels: Vec<u16> = image::load_from_memory(&jpeg)
            .unwrap()
            .to_luma8()
            .into_raw()
            .into_iter()
            .map(u16::from)
            .collect();
        let eight: Vec<u16> = samples(255);
        let cases: Vec<Case> = vec![
            (
                "png 8",
                encode(gray8(), image::ImageFormat::Png),
                FileFormat::Png,
                8,
                Photometric::Monochrome2,
                eight.clone(),
            ),
            (
                "png 16",
                encode(gray16(), image::ImageFormat::Png),
                FileFormat::Png,
                16,
                Photometric::Monochrome2,
                samples(65535),
            ),
            ("jpeg", jpeg, FileFormat::Jpeg, 8, Photometric::Monochrome2, jpeg_pixels),
            (
                "tiff 8",
                encode(gray8(), image::ImageFormat::Tiff),
                FileFormat::Tiff,
                8,
                Photometric::Monochrome2,
                eight.clone(),
            ),
            (
                "tiff 16",
                encode(gray16(), image::ImageFormat::Tiff),
                FileFormat::Tiff,
                16,
                Photometric::Monochrome2,
                samples(65535),
            ),
            (
                "dicom 16 mono2",
                dicom(16, false),
                FileFormat::Dicom,
                16,
                Photometric::Monochrome2,
                samples(4095),
            ),
            (
                "dicom 16 mono1",
                dicom(16, true),
                FileFormat::Dicom,
                16,
                Photometric::Monochrome1,
                samples(4095),
            ),
            ("dicom 8 mono1", dicom(8, true), FileFormat::Dicom, 8, Photometric::Monochrome1, eight.clone()),
        ];
        for (name, bytes, format, bits, photometric, pixels) in cases {
            let x =
                t.clinic.clinical().import_xray(&dentist, p.id, &bytes, new_xray(XrayKind::Periapical)).await.unwrap();
            assert_eq!((x.format, x.bits, x.photometric), (format, bits, photometric), "{backend:?} {name}");
            assert_eq!((x.width, x.height), (W, H), "{name}");
            assert_eq!(x.teeth, [36, 37], "{name}");
            assert!(x.thumbnail.starts_with("data:image/png;base64,"), "{name}");
            let view = t.clinic.clinical().open_xray(&dentist, p.id, x.id, 0).await.unwrap();
            assert_eq!(view_samples(view.bits, &view.pixels), pixels, "{backend:?} {name}: the pixels");
            assert_eq!(view.invert, photometric == Photometric::Monochrome1, "{name}");
            let (_, original) = t.clinic.clinical().xray_original(&dentist, p.id, x.id).await.unwrap();
            assert!(original == bytes, "{backend:?} {name}: the original, byte for byte");
        }
        let dcm =
            t.clinic.clinical().xrays(&dentist, p.id).await.unwrap().into_iter().find(|x| x.format == FileFormat::Dicom);
        let dcm = dcm.unwrap();
        assert_eq!(dcm.pixel_spacing_mm, Some((0.05, 0.05)));
        let info = dcm.dicom.unwrap();
        assert_eq!(info.patient_name.as_deref(), Some("Dicomescu^Ilie"), "kept, sealed, to check the match");
        assert_eq!(info.modality.as_deref(), Some("IO"));
        let view = t.clinic.clinical().open_xray(&dentist, p.id, dcm.id, 0).await.unwrap();
        assert_eq!((view.window_center, view.window_width), (2000.0, 3000.0), "the file's window");
        assert_eq!(view.mm_per_pixel, Some(0.05), "calibrated for measuring");
        assert_eq!(t.clinic.clinical().xrays(&recep, p.id).await.unwrap_err().kind(), "auth.permission_denied");
    }
}

#[tokio::test]
async fn a_damaged_file_of_each_format_is_refused_and_nothing_is_stored() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dentist = t.staff("dr-pop", Role::Dentist).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
    let cut = |b: Vec<u8>| b[..b.len() / 2].to_vec();
    let mut no_pixels = dicom(16, false);
    let at = no_pixels.windows(4).rposition(|w| w == [0xe0, 0x7f, 0x10, 0x00]).unwrap();
    no_pixels.truncate(at);
    let damaged = [
        ("png", cut(encode(gray16(), image::ImageFormat::Png)), "damaged or incomplete"),
        ("jpeg", cut(encode(gray8(), image::ImageFormat::Jpeg)), "damaged or incomplete"),
        ("tiff", cut(encode(gray16(), image::ImageFormat::Tiff)), "damaged or incomplete"),
        ("dicom cut", cut(dicom(16, true)), "damaged or incomplete"),
        ("dicom without pixels", no_pixels, "holds no image"),
        ("text", b"Radiografie panoramica, vezi fisierul atasat".to_vec(), "not a PNG, JPEG, TIFF or DICOM"),
    ];
    for (name, bytes, says) in damaged {
        let e = t
            .clinic
            .clinical()
            .import_xray(&dentist, p.id, &bytes, new_xray(XrayKind::Bitewing))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), "input.invalid", "{name}");
        assert!(e.to_string().contains(says), "{name}: {e}");
    }
    assert!(t.clinic.clinical().xrays(&dentist, p.id).await.unwrap().is_empty(), "nothing stored");
    let blobs = t.sqlite_file().with_file_name("blobs");
    assert!(!blobs.exists() || std::fs::read_dir(&blobs).unwrap().next().is_none(), "no file left behind");
    let bad_tooth = NewXray { teeth: vec![19], ..new_xray(XrayKind::Photo) };
    let png = encode(gray8(), image::ImageFormat::Png);
    assert_eq!(
        t.clinic.clinical().import_xray(&dentist, p.id, &png, bad_tooth).await.unwrap_err().kind(),
        "input.invalid"
    );
}

#[tokio::test]
async fn nothing_of_the_patient_is_in_clear_on_disk_and_erasure_keeps_the_images_sealed() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dentist = t.staff("dr-pop", Role::Dentist).await;
    let dpo = t.staff("irina", Role::Dpo).await;
    let person = &PEOPLE[1];
    let p = t.clinic.patients().register_patient(&recep, person.new_patient()).await.unwrap();
    let x = t
        .clinic
        .clinical()
        .import_xray(&dentist, p.id, &dicom(16, false), new_xray(XrayKind::Panoramic))
        .await
        .unwrap();
    t.clinic
        .clinical()
        .import_xray(&dentist, p.id, &encode(gray8(), image::ImageFormat::Png), new_xray(XrayKind::Photo))
        .await
        .unwrap();

    let blobs = t.sqlite_file().with_file_name("blobs");
    let files: Vec<_> = std::fs::read_dir(&blobs).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 2);
    let mut secrets = person.secrets();
    secrets.extend(["Dicomescu".to_owned(), "1790312080012".to_owned(), "carie distal".to_owned()]);
    let mut on_disk = vec![t.sqlite_file()];
    on_disk.extend(files.iter().cloned());
    for f in &on_disk {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        assert!(name == "cuspid.sqlite" || uuid::Uuid::parse_str(&name).is_ok(), "a blob is named by its id");
        let bytes = std::fs::read(f).unwrap();
        for s in &secrets {
            assert!(!bytes.windows(s.len()).any(|w| w == s.as_bytes()), "{s} in clear in {}", f.display());
        }
        assert!(!bytes.windows(4).any(|w| w == b"DICM"), "no DICOM header in clear in {}", f.display());
    }

    let exported = crate::support::export(&t, &dpo, p.id).await;
    let copy = std::fs::read(exported.folder.join(format!("images/{}.dcm", x.id))).unwrap();
    assert!(!copy.windows(9).any(|w| w == b"Dicomescu"), "the export carries a de-identified copy");
    let (a, b) = (
        cuspid::clinical::imaging::decode::decode(&dicom(16, false)).unwrap(),
        cuspid::clinical::imaging::decode::decode(&copy).unwrap(),
    );
    assert_eq!(a.samples, b.samples, "with the original's pixels");
    let media = exported.of_type("Media");
    assert_eq!(media.len(), 2);
    let dcm = media.iter().find(|m| m["content"]["contentType"] == "application/dicom").unwrap();
    let carried = data_encoding::BASE64.decode(dcm["content"]["data"].as_str().unwrap().as_bytes()).unwrap();
    assert!(carried == copy, "the bundle carries the exported file itself (R4 has no relative url)");
    assert_eq!(dcm["content"]["title"], format!("images/{}.dcm", x.id));

    let erased = t.clinic.gdpr().erase_patient(&dpo, p.id, None).await.unwrap();
    let part = erased.parts.iter().find(|x| x.kind == "images").unwrap();
    assert_eq!((part.erased, part.kept), (0, 2), "medical images stay 7 years, re-sealed");
    let referenced = std::fs::read_dir(&blobs).unwrap().count();
    assert!(referenced >= 2, "the re-sealed originals are there");
    for f in std::fs::read_dir(&blobs).unwrap() {
        let bytes = std::fs::read(f.unwrap().path()).unwrap();
        assert!(!bytes.windows(9).any(|w| w == b"Dicomescu"));
    }
}
