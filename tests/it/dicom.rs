//! Synthetic DICOM files, test data for the core's tests, the CLI's and the benchmark
//! (each mounts this file with `#[path]`; it is no part of the core's API): an
//! intraoral X-ray with the header tags a sensor writes (a patient name and ID among
//! them), uncompressed.

use dicom_core::{DataElement, PrimitiveValue, VR, dicom_value};
use dicom_dictionary_std::tags;
use dicom_object::{InMemDicomObject, meta::FileMetaTableBuilder};

/// What goes in the file.
#[derive(Debug, Clone)]
pub struct SyntheticDicom<'a> {
    pub width: u16,
    pub height: u16,
    /// 8 or 16 allocated (16 stores 12 bits).
    pub bits: u16,
    pub monochrome1: bool,
    pub samples: &'a [u16],
    pub patient_name: &'a str,
    pub patient_id: &'a str,
    /// Window centre and width, in stored values.
    pub window: (f64, f64),
    /// Pixel spacing in mm.
    pub spacing_mm: f64,
}

impl SyntheticDicom<'_> {
    /// The file's bytes: preamble, `DICM`, file meta group, data set.
    pub fn to_bytes(&self) -> Result<Vec<u8>, String> {
        const SOP_CLASS: &str = "1.2.840.10008.5.1.4.1.1.1.3";
        const INSTANCE: &str = "1.2.826.0.1.3680043.2.1125.7";
        let mut obj = InMemDicomObject::new_empty();
        let mut put = |tag, vr, value: PrimitiveValue| obj.put(DataElement::new(tag, vr, value));
        let us = |v: u16| dicom_value!(U16, [v]);
        put(tags::SOP_CLASS_UID, VR::UI, SOP_CLASS.into());
        put(tags::SOP_INSTANCE_UID, VR::UI, INSTANCE.into());
        put(tags::PATIENT_NAME, VR::PN, self.patient_name.into());
        put(tags::PATIENT_ID, VR::LO, self.patient_id.into());
        put(tags::STUDY_DATE, VR::DA, "20250301".into());
        put(tags::MODALITY, VR::CS, "IO".into());
        put(tags::SAMPLES_PER_PIXEL, VR::US, us(1));
        let photometric = if self.monochrome1 { "MONOCHROME1" } else { "MONOCHROME2" };
        put(tags::PHOTOMETRIC_INTERPRETATION, VR::CS, photometric.into());
        put(tags::ROWS, VR::US, us(self.height));
        put(tags::COLUMNS, VR::US, us(self.width));
        put(tags::BITS_ALLOCATED, VR::US, us(self.bits));
        put(tags::BITS_STORED, VR::US, us(if self.bits == 16 { 12 } else { 8 }));
        put(tags::HIGH_BIT, VR::US, us(if self.bits == 16 { 11 } else { 7 }));
        put(tags::PIXEL_REPRESENTATION, VR::US, us(0));
        let spacing = self.spacing_mm.to_string();
        put(tags::PIXEL_SPACING, VR::DS, dicom_value!(Strs, [spacing.clone(), spacing]));
        put(tags::WINDOW_CENTER, VR::DS, self.window.0.to_string().into());
        put(tags::WINDOW_WIDTH, VR::DS, self.window.1.to_string().into());
        let pixels = if self.bits == 16 {
            (VR::OW, PrimitiveValue::U16(self.samples.iter().copied().collect()))
        } else {
            (VR::OB, PrimitiveValue::U8(self.samples.iter().map(|&v| v as u8).collect()))
        };
        put(tags::PIXEL_DATA, pixels.0, pixels.1);
        let meta = FileMetaTableBuilder::new()
            .transfer_syntax("1.2.840.10008.1.2.1")
            .media_storage_sop_class_uid(SOP_CLASS)
            .media_storage_sop_instance_uid(INSTANCE);
        let file = obj.with_meta(meta).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        file.write_all(&mut out).map_err(|e| e.to_string())?;
        Ok(out)
    }
}
