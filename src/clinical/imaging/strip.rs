//! De-identifying an image file before it leaves the clinic (issue 12, item 10): what
//! a file says about who is in it, who took it, where and on which device goes; the
//! image stays exactly as it was.
//!
//! - JPEG: the marker segments are walked and APP1 (EXIF with its GPS position and
//!   camera serial, XMP), APP13 (IPTC, Photoshop), every other APPn but APP0 (JFIF),
//!   APP2 ICC_PROFILE and APP14 (Adobe colour transform), and COM are dropped; the
//!   compressed image data is copied byte for byte. The EXIF orientation goes with
//!   EXIF (Cuspid shows images as stored anyway).
//! - PNG: the `tEXt`, `zTXt`, `iTXt`, `eXIf` and `tIME` chunks are dropped, the others
//!   copied with their CRC.
//! - TIFF: re-encoded losslessly from the decoded pixels (the first page), which
//!   carries no tag beyond the image's own layout.
//! - DICOM: the attributes of PS3.15 Annex E's Basic Application Level Confidentiality
//!   Profile that a dental image carries (patient, staff, clinic, device, request and
//!   free-text attributes), in nested sequences too, and every private attribute, are
//!   removed; PatientIdentityRemoved is set to YES with the method. Dates and UIDs are
//!   kept (the profile's Retain Full Dates and Retain UIDs options: the export states
//!   the dates anyway). Written back in its transfer syntax, pixel data untouched.
//!   A name burned into the pixels themselves stays: no file format can strip that.

use dicom_core::header::Header as _;
use dicom_core::{DataElement, PrimitiveValue, Tag, VR};
use dicom_dictionary_std::tags;
use dicom_object::{InMemDicomObject, OpenFileOptions, file::ReadPreamble};

use super::decode::{FileFormat, sniff};
use crate::error::{Error, Result};
use crate::rules::Rule;

/// `bytes` (a PNG, JPEG, TIFF or DICOM file) without what identifies anyone.
pub fn strip_identifiers(bytes: &[u8]) -> Result<Vec<u8>> {
    match sniff(bytes)? {
        FileFormat::Jpeg => jpeg(bytes),
        FileFormat::Png => png(bytes),
        FileFormat::Tiff => tiff(bytes),
        FileFormat::Dicom => dicom(bytes),
    }
}

fn damaged() -> Error {
    Error::InvalidInput(Rule::ImageDamaged)
}

// ---- JPEG -------------------------------------------------------------------------

/// Whether a JPEG marker segment (`marker`, its payload after the length) stays.
fn jpeg_keeps(marker: u8, payload: &[u8]) -> bool {
    match marker {
        0xE0 => payload.starts_with(b"JFIF\0"),
        0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
        0xEE => payload.starts_with(b"Adobe"),
        0xE1..=0xEF | 0xFE => false,
        _ => true,
    }
}

fn jpeg(bytes: &[u8]) -> Result<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err(damaged());
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    loop {
        // A marker: 0xFF (fill bytes allowed), then its code.
        if bytes.get(i) != Some(&0xFF) {
            return Err(damaged());
        }
        while bytes.get(i) == Some(&0xFF) {
            i += 1;
        }
        let marker = *bytes.get(i).ok_or_else(damaged)?;
        i += 1;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                continue;
            }
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([
            *bytes.get(i).ok_or_else(damaged)?,
            *bytes.get(i + 1).ok_or_else(damaged)?,
        ]));
        let end = i + len;
        if len < 2 || end > bytes.len() {
            return Err(damaged());
        }
        if jpeg_keeps(marker, &bytes[i + 2..end]) {
            out.extend_from_slice(&[0xFF, marker]);
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
        if marker == 0xDA {
            // Entropy-coded data up to the next marker that is not a stuffed 0xFF00 or a
            // restart marker, copied as it is.
            let start = i;
            while i + 1 < bytes.len()
                && !(bytes[i] == 0xFF && bytes[i + 1] != 0 && !(0xD0..=0xD7).contains(&bytes[i + 1]))
            {
                i += 1;
            }
            if i + 1 >= bytes.len() {
                return Err(damaged());
            }
            out.extend_from_slice(&bytes[start..i]);
        }
    }
}

// ---- PNG --------------------------------------------------------------------------

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

fn png(bytes: &[u8]) -> Result<Vec<u8>> {
    if !bytes.starts_with(PNG_SIGNATURE) {
        return Err(damaged());
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut i = PNG_SIGNATURE.len();
    loop {
        let head = bytes.get(i..i + 8).ok_or_else(damaged)?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = &head[4..8];
        let end = i
            .checked_add(12)
            .and_then(|n| n.checked_add(len))
            .filter(|&e| e <= bytes.len())
            .ok_or_else(damaged)?;
        if ![&b"tEXt"[..], b"zTXt", b"iTXt", b"eXIf", b"tIME"].contains(&kind) {
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
        if kind == b"IEND" {
            return Ok(out);
        }
    }
}

// ---- TIFF -------------------------------------------------------------------------

fn tiff(bytes: &[u8]) -> Result<Vec<u8>> {
    let image =
        image::load_from_memory_with_format(bytes, image::ImageFormat::Tiff).map_err(|_| damaged())?;
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Tiff)
        .map_err(|_| Error::Internal("a TIFF image could not be written again".into()))?;
    Ok(out.into_inner())
}

// ---- DICOM ------------------------------------------------------------------------

/// The Basic Profile's attributes (PS3.15 E.1-1) a dental image or its modality
/// worklist may carry: removed wherever they are.
const DICOM_IDENTIFYING: &[Tag] = &[
    // the patient
    tags::PATIENT_NAME,
    tags::PATIENT_ID,
    Tag(0x0010, 0x0021), // IssuerOfPatientID
    tags::PATIENT_BIRTH_DATE,
    Tag(0x0010, 0x0032), // PatientBirthTime
    tags::PATIENT_SEX,
    Tag(0x0010, 0x1000), // OtherPatientIDs (retired, still written)
    tags::OTHER_PATIENT_NAMES,
    tags::OTHER_PATIENT_I_DS_SEQUENCE,
    Tag(0x0010, 0x1005), // PatientBirthName
    tags::PATIENT_AGE,
    Tag(0x0010, 0x1020), // PatientSize
    Tag(0x0010, 0x1030), // PatientWeight
    tags::PATIENT_ADDRESS,
    Tag(0x0010, 0x1060), // PatientMotherBirthName
    Tag(0x0010, 0x1080), // MilitaryRank
    Tag(0x0010, 0x1090), // MedicalRecordLocator
    tags::PATIENT_TELEPHONE_NUMBERS,
    Tag(0x0010, 0x2160), // EthnicGroup
    Tag(0x0010, 0x2180), // Occupation
    Tag(0x0010, 0x21B0), // AdditionalPatientHistory
    Tag(0x0010, 0x21F0), // PatientReligiousPreference
    Tag(0x0010, 0x4000), // PatientComments
    Tag(0x0008, 0x1120), // ReferencedPatientSequence
    Tag(0x0038, 0x0010), // AdmissionID
    Tag(0x0038, 0x0400), // PatientInstitutionResidence
    // the staff
    tags::REFERRING_PHYSICIAN_NAME,
    Tag(0x0008, 0x0092), // ReferringPhysicianAddress
    Tag(0x0008, 0x0094), // ReferringPhysicianTelephoneNumbers
    Tag(0x0008, 0x0096), // ReferringPhysicianIdentificationSequence
    Tag(0x0008, 0x1048), // PhysiciansOfRecord
    Tag(0x0008, 0x1049), // PhysiciansOfRecordIdentificationSequence
    tags::PERFORMING_PHYSICIAN_NAME,
    Tag(0x0008, 0x1052), // PerformingPhysicianIdentificationSequence
    Tag(0x0008, 0x1060), // NameOfPhysiciansReadingStudy
    Tag(0x0008, 0x1062), // PhysiciansReadingStudyIdentificationSequence
    tags::OPERATORS_NAME,
    Tag(0x0008, 0x1072), // OperatorIdentificationSequence
    Tag(0x0032, 0x1032), // RequestingPhysician
    Tag(0x0040, 0x0006), // ScheduledPerformingPhysicianName
    Tag(0x0040, 0xA123), // PersonName
    // the clinic and the device
    tags::INSTITUTION_NAME,
    tags::INSTITUTION_ADDRESS,
    Tag(0x0008, 0x0082), // InstitutionCodeSequence
    tags::STATION_NAME,
    Tag(0x0008, 0x1040), // InstitutionalDepartmentName
    tags::DEVICE_SERIAL_NUMBER,
    Tag(0x0018, 0x1002), // DeviceUID
    Tag(0x0018, 0x1004), // PlateID
    Tag(0x0018, 0x1005), // GeneratorID
    Tag(0x0018, 0x1007), // CassetteID
    Tag(0x0018, 0x1008), // GantryID
    Tag(0x0032, 0x1033), // RequestingService
    Tag(0x0040, 0x0241), // PerformedStationAETitle
    Tag(0x0040, 0x0242), // PerformedStationName
    Tag(0x0040, 0x0243), // PerformedLocation
    Tag(0x0040, 0x0001), // ScheduledStationAETitle
    Tag(0x0040, 0x0010), // ScheduledStationName
    Tag(0x0040, 0x0011), // ScheduledProcedureStepLocation
    // the request and free text (typed by people: may name anyone)
    tags::ACCESSION_NUMBER,
    tags::STUDY_ID,
    Tag(0x0008, 0x1030), // StudyDescription
    Tag(0x0008, 0x103E), // SeriesDescription
    Tag(0x0008, 0x1080), // AdmittingDiagnosesDescription
    Tag(0x0008, 0x2111), // DerivationDescription
    Tag(0x0018, 0x1030), // ProtocolName
    Tag(0x0018, 0x4000), // AcquisitionComments
    Tag(0x0020, 0x4000), // ImageComments
    Tag(0x0032, 0x1060), // RequestedProcedureDescription
    Tag(0x0032, 0x4000), // StudyComments
    Tag(0x0040, 0x0253), // PerformedProcedureStepID
    Tag(0x0040, 0x0254), // PerformedProcedureStepDescription
    Tag(0x0040, 0x0275), // RequestAttributesSequence
    Tag(0x0040, 0x0280), // CommentsOnThePerformedProcedureStep
    Tag(0x0040, 0x1001), // RequestedProcedureID
    Tag(0x0040, 0x2016), // PlacerOrderNumberImagingServiceRequest
    Tag(0x0040, 0x2017), // FillerOrderNumberImagingServiceRequest
    Tag(0x0040, 0xA730), // ContentSequence (structured report text)
    Tag(0x4008, 0x0114), // PhysicianApprovingInterpretation
    Tag(0x0012, 0x0062), // PatientIdentityRemoved: set again below
    Tag(0x0012, 0x0063), // DeidentificationMethod: set again below
];

/// What goes into DeidentificationMethod (a LO: 64 characters at most).
pub const DICOM_METHOD: &str = "PS3.15 E Basic Profile; Retain Full Dates, UIDs (Cuspid)";

fn scrub(obj: &mut InMemDicomObject) {
    obj.retain(|e| {
        let tag = e.tag();
        tag.group() % 2 == 0 && !DICOM_IDENTIFYING.contains(&tag)
    });
    let sequences: Vec<Tag> = obj.iter().filter(|e| e.vr() == VR::SQ).map(|e| e.tag()).collect();
    for tag in sequences {
        obj.update_value(tag, |v| {
            if let Some(items) = v.items_mut() {
                items.iter_mut().for_each(scrub);
            }
        });
    }
}

fn dicom(bytes: &[u8]) -> Result<Vec<u8>> {
    let preamble = if bytes.starts_with(b"DICM") { ReadPreamble::Never } else { ReadPreamble::Always };
    let mut obj = OpenFileOptions::new().read_preamble(preamble).from_reader(bytes).map_err(|_| damaged())?;
    scrub(&mut obj);
    obj.put(DataElement::new(tags::PATIENT_IDENTITY_REMOVED, VR::CS, PrimitiveValue::from("YES")));
    obj.put(DataElement::new(tags::DEIDENTIFICATION_METHOD, VR::LO, PrimitiveValue::from(DICOM_METHOD)));
    // The file meta group can name the sending station and carry private data.
    let meta = obj.meta_mut();
    meta.source_application_entity_title = None;
    meta.sending_application_entity_title = None;
    meta.receiving_application_entity_title = None;
    meta.private_information_creator_uid = None;
    meta.private_information = None;
    meta.update_information_group_length();
    let mut out = Vec::with_capacity(bytes.len());
    obj.write_all(&mut out)
        .map_err(|_| Error::Internal("a DICOM image could not be written again".into()))?;
    Ok(out)
}

/// Synthetic DICOM files: test data, kept with the tests and out of the core's API.
#[cfg(test)]
#[path = "../../../tests/it/dicom.rs"]
mod test_dicom;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use image::ImageEncoder as _;

    use super::*;
    use crate::clinical::imaging::decode::decode;

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn gray(width: u32, height: u32) -> image::GrayImage {
        image::GrayImage::from_fn(width, height, |x, y| image::Luma([((x * 7 + y * 13) % 256) as u8]))
    }

    /// A JPEG with an EXIF APP1 holding a GPS position and a COM naming the patient,
    /// spliced in after SOI as a camera writes them.
    fn jpeg_with_exif() -> (Vec<u8>, Vec<u8>) {
        let mut plain = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
            .encode_image(&gray(64, 48))
            .unwrap();
        // A little-endian TIFF holding IFD0 with one GPSInfo pointer (0x8825) to a GPS
        // IFD with GPSLatitudeRef "N".
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend_from_slice(&1u16.to_le_bytes());
        tiff.extend_from_slice(&0x8825u16.to_le_bytes());
        tiff.extend_from_slice(&4u16.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&26u32.to_le_bytes());
        tiff.extend_from_slice(&0u32.to_le_bytes());
        tiff.extend_from_slice(&1u16.to_le_bytes());
        tiff.extend_from_slice(&1u16.to_le_bytes()); // GPSLatitudeRef
        tiff.extend_from_slice(&2u16.to_le_bytes()); // ASCII
        tiff.extend_from_slice(&2u32.to_le_bytes());
        tiff.extend_from_slice(b"N\0\0\0");
        tiff.extend_from_slice(&0u32.to_le_bytes());
        tiff.extend_from_slice(b"GPS 45.6427 N 25.5887 E");
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let segment = |marker: u8, payload: &[u8]| {
            let mut s = vec![0xFF, marker];
            s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
            s.extend_from_slice(payload);
            s
        };
        let mut with = plain[..2].to_vec();
        with.extend(segment(0xE1, &app1));
        with.extend(segment(0xFE, "Pacient: Ioana Bărbulescu".as_bytes()));
        with.extend(segment(0xED, b"Photoshop 3.0\08BIM Ioana"));
        with.extend_from_slice(&plain[2..]);
        (with, plain)
    }

    #[test]
    fn a_jpeg_loses_exif_gps_and_comments_and_keeps_its_pixels() {
        let (with, plain) = jpeg_with_exif();
        assert!(contains(&with, b"Exif\0\0") && contains(&with, "Bărbulescu".as_bytes()), "the fixture");
        let stripped = strip_identifiers(&with).unwrap();
        assert!(!contains(&stripped, b"Exif"), "the EXIF APP1 is gone");
        assert!(!contains(&stripped, b"GPS"), "with its GPS position");
        assert!(!contains(&stripped, "Bărbulescu".as_bytes()), "the COM naming the patient is gone");
        assert!(!contains(&stripped, b"Photoshop"), "the APP13 is gone");
        assert_eq!(
            stripped, plain,
            "exactly the encoder's own file: the segments kept are copied byte for byte"
        );
        let (a, b) = (image::load_from_memory(&with).unwrap(), image::load_from_memory(&stripped).unwrap());
        assert_eq!(a.to_luma8().into_raw(), b.to_luma8().into_raw(), "the pixels are the same");
    }

    #[test]
    fn scan_data_with_stuffed_bytes_and_restart_markers_is_copied_whole() {
        let mut plain = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 75)
            .encode_image(&gray(300, 200))
            .unwrap();
        assert_eq!(strip_identifiers(&plain).unwrap(), plain, "a clean JPEG is unchanged");
        // SOI, an SOS header, scan data with 0xFF00, RST0, RST1, a second SOS (as a
        // progressive file has), EOI.
        let mut file = vec![0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x04, 0x01, 0x02];
        file.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD1, 0x78]);
        file.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x03, 0x09, 0xAB, 0xFF, 0x00]);
        file.extend_from_slice(&[0xFF, 0xD9]);
        assert_eq!(jpeg(&file).unwrap(), file);
        let cut = &plain[..plain.len() / 2];
        assert_eq!(strip_identifiers(cut).unwrap_err().kind(), "input.invalid", "a cut file is refused");
    }

    #[test]
    fn a_png_loses_its_text_exif_and_time_chunks() {
        let mut plain = Vec::new();
        image::codecs::png::PngEncoder::new(&mut plain)
            .write_image(gray(20, 10).as_raw(), 20, 10, image::ExtendedColorType::L8)
            .unwrap();
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]); // the CRC is not checked by the stripper
            c
        };
        // After IHDR (8 + 25 bytes), before IDAT.
        let mut with = plain[..33].to_vec();
        for (kind, data) in [
            (&b"tEXt"[..], &b"Author\0Ioana Barbulescu"[..]),
            (b"iTXt", b"Comment\0\0\0\0\0Ioana"),
            (b"eXIf", b"MM\0*GPS"),
            (b"tIME", b"\x07\xea\x0c\x02\x07\x00\x00"),
        ] {
            with.extend(chunk(kind, data));
        }
        with.extend_from_slice(&plain[33..]);
        let stripped = strip_identifiers(&with).unwrap();
        assert_eq!(stripped, plain, "only the encoder's own chunks, their CRCs as they were");
    }

    #[test]
    fn a_dicom_loses_the_patient_and_keeps_its_pixels() {
        let samples: Vec<u16> = (0..32 * 24).map(|i| (i * 5 % 4096) as u16).collect();
        let file = super::test_dicom::SyntheticDicom {
            width: 32,
            height: 24,
            bits: 16,
            monochrome1: false,
            samples: &samples,
            patient_name: "Barbulescu^Ioana",
            patient_id: "2850412080011",
            window: (2048.0, 4096.0),
            spacing_mm: 0.02,
        }
        .to_bytes()
        .unwrap();
        let mut obj =
            OpenFileOptions::new().read_preamble(ReadPreamble::Always).from_reader(&file[..]).unwrap();
        obj.put(DataElement::new(tags::INSTITUTION_NAME, VR::LO, PrimitiveValue::from("Clinica Zambet")));
        obj.put(DataElement::new(tags::OPERATORS_NAME, VR::PN, PrimitiveValue::from("Popa^Maria")));
        obj.put(DataElement::new(Tag(0x0009, 0x0010), VR::LO, PrimitiveValue::from("ACME Sensor")));
        obj.put(DataElement::new(Tag(0x0009, 0x1001), VR::LO, PrimitiveValue::from("Ioana B.")));
        let mut with = Vec::new();
        obj.write_all(&mut with).unwrap();

        let stripped = strip_identifiers(&with).unwrap();
        for secret in ["Barbulescu", "Ioana", "2850412080011", "Zambet", "Popa", "ACME"] {
            assert!(contains(&with, secret.as_bytes()), "the fixture holds {secret}");
            assert!(!contains(&stripped, secret.as_bytes()), "{secret} is gone from the stripped file");
        }
        let back =
            OpenFileOptions::new().read_preamble(ReadPreamble::Always).from_reader(&stripped[..]).unwrap();
        assert_eq!(back.element(tags::PATIENT_IDENTITY_REMOVED).unwrap().to_str().unwrap().trim(), "YES");
        assert!(back.element(tags::DEIDENTIFICATION_METHOD).unwrap().to_str().unwrap().contains("PS3.15"));
        assert_eq!(back.meta().transfer_syntax(), obj.meta().transfer_syntax(), "the same transfer syntax");
        assert!(back.element(tags::STUDY_DATE).is_ok(), "the study date is kept");
        let (a, b) = (decode(&with).unwrap(), decode(&stripped).unwrap());
        assert_eq!((a.width, a.height, a.bits), (b.width, b.height, b.bits));
        assert_eq!(a.samples, b.samples, "the pixels are the same");
        assert!(DICOM_METHOD.len() <= 64, "a LO holds 64 characters");
    }

    #[test]
    fn identifiers_inside_sequences_go_too() {
        let mut item = InMemDicomObject::new_empty();
        item.put(DataElement::new(tags::PATIENT_NAME, VR::PN, PrimitiveValue::from("Barbulescu^Ioana")));
        item.put(DataElement::new(tags::MODALITY, VR::CS, PrimitiveValue::from("IO")));
        let mut obj = InMemDicomObject::new_empty();
        obj.put(DataElement::new(
            Tag(0x0008, 0x1110), // ReferencedStudySequence
            VR::SQ,
            dicom_core::value::DataSetSequence::from(vec![item]),
        ));
        scrub(&mut obj);
        let seq = obj.element(Tag(0x0008, 0x1110)).unwrap();
        let items = seq.items().unwrap();
        assert!(
            items[0].element_opt(tags::PATIENT_NAME).unwrap().is_none(),
            "the name inside the item is gone"
        );
        assert!(items[0].element_opt(tags::MODALITY).unwrap().is_some(), "the rest of the item stays");
    }

    #[test]
    fn a_tiff_is_re_encoded_with_the_same_pixels() {
        let mut tiff = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageLuma8(gray(16, 8)).write_to(&mut tiff, image::ImageFormat::Tiff).unwrap();
        let tiff = tiff.into_inner();
        let stripped = strip_identifiers(&tiff).unwrap();
        assert_eq!(decode(&tiff).unwrap().samples, decode(&stripped).unwrap().samples);
    }
}
