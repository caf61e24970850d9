//! X-rays and clinical photographs (issue 6, item 6). An imported file is decoded
//! first (a damaged or unsupported file is refused before anything is written), then
//! its original bytes are sealed under the patient's key into the blob store, with a
//! sealed description and a sealed thumbnail in `xray`. The viewer gets the pixels
//! (16-bit where the file has them) with the file's window, so brightness, contrast,
//! window/level and inversion are applied on screen without another round trip.

pub mod decode;
pub mod gdpr;
pub mod strip;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use decode::{DicomInfo, FileFormat, Photometric};

use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Clinical;
use crate::clinical::chart::Tooth;
use crate::clinical::{clinical_day, text};
use crate::crypto::{Bound, FieldCipher, Sealed};
use crate::error::{Error, Result};
use crate::rules::Subject;
use crate::store::entities::xray;

/// A PNG as a `data:` URL the UI can show as is.
fn png_base64(png: &[u8]) -> String {
    format!("data:image/png;base64,{}", data_encoding::BASE64.encode(png))
}

/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL: u32 = 256;
/// The longest side the viewer gets; larger images are shrunk by a whole factor.
pub const VIEW: u32 = 2048;

/// What an image shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum XrayKind {
    Bitewing,
    Periapical,
    Panoramic,
    CbctSlice,
    Photo,
}

/// What the dentist says of an image being imported.
#[derive(Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct NewXray {
    pub kind: XrayKind,
    /// The day it was taken, `YYYY-MM-DD`; not in the future.
    pub date: String,
    /// FDI numbers of the teeth shown (none: not said).
    #[serde(default)]
    pub teeth: Vec<u8>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub note: Option<String>,
}

crate::redact::redacted_debug!(NewXray { shown: [kind], redacted: [date, teeth, note] });

/// The sealed description.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Content {
    kind: XrayKind,
    teeth: Vec<u8>,
    note: Option<String>,
    format: FileFormat,
    width: u32,
    height: u32,
    bits: u8,
    photometric: Photometric,
    pixel_spacing_mm: Option<(f64, f64)>,
    size_bytes: u64,
    dicom: Option<DicomInfo>,
    /// Images imported before multi-frame files were read have one.
    #[serde(default = "one")]
    frames: u32,
}

fn one() -> u32 {
    1
}

crate::redact::redacted_debug!(Content {
    shown: [kind, format, width, height, bits, photometric, size_bytes, frames],
    redacted: [teeth, note, pixel_spacing_mm, dicom]
});

/// An image as listed: its description and thumbnail.
#[derive(Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct XrayDto {
    pub id: Uuid,
    pub kind: XrayKind,
    pub date: String,
    pub teeth: Vec<u8>,
    #[ts(optional = nullable)]
    pub note: Option<String>,
    pub format: FileFormat,
    pub width: u32,
    pub height: u32,
    pub bits: u8,
    pub photometric: Photometric,
    /// Row and column spacing in mm (DICOM only).
    #[ts(optional = nullable)]
    pub pixel_spacing_mm: Option<(f64, f64)>,
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// What the DICOM header said (sealed like the rest).
    #[ts(optional = nullable)]
    pub dicom: Option<DicomInfo>,
    /// How many frames the file holds (a CBCT series or a multi-frame DICOM: more than 1).
    pub frames: u32,
    /// A `data:image/png;base64,...` URL.
    pub thumbnail: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

crate::redact::redacted_debug!(XrayDto {
    shown: [id, kind, format, width, height, bits, photometric, size_bytes, frames],
    redacted: [date, teeth, note, pixel_spacing_mm, dicom, thumbnail, recorded_by, recorded_at]
});

/// What the viewer paints: the pixels and how to show them first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct XrayView {
    pub xray: XrayDto,
    /// Which frame this is, from 0 (of `xray.frames`).
    pub frame: u32,
    /// The size of `pixels` (the original shrunk by `scale`).
    pub width: u32,
    pub height: u32,
    pub scale: u32,
    /// 8 or 16: a sample is one byte, or two (little-endian).
    pub bits: u8,
    /// 1 (gray) or 3 (RGB, interleaved).
    pub channels: u8,
    /// The window to start with, in sample values.
    pub window_center: f64,
    pub window_width: f64,
    /// MONOCHROME1: high values are dark.
    pub invert: bool,
    /// Millimetres per displayed pixel, when the file is calibrated.
    #[ts(optional = nullable)]
    pub mm_per_pixel: Option<f64>,
    /// The samples; sent to the UI as raw bytes after the JSON, not inside it.
    #[serde(skip)]
    #[ts(skip)]
    pub pixels: Vec<u8>,
}

/// What an image's description and thumbnail are bound to: whose, the day it was
/// taken, who recorded it and when (the original, in the image store, is bound to
/// the image's id alone).
pub(crate) fn bound(r: &xray::Model) -> Bound {
    Bound::new()
        .id("patient", r.patient_id)
        .text("taken_on", &r.taken_on)
        .int("recorded_at", r.recorded_at)
        .id("recorded_by", r.recorded_by)
}

pub(crate) fn open_row(
    cipher: &FieldCipher,
    row: &xray::Model,
    names: &std::collections::HashMap<Uuid, String>,
) -> Result<XrayDto> {
    let b = bound(row);
    let c: Content = serde_json::from_slice(&cipher.open(xray::CONTENT.at(row.id).bound(&b), &row.content)?)
        .map_err(|_| Error::Tampered(format!("image {} is malformed", row.id)))?;
    let thumbnail = cipher.open(xray::THUMBNAIL.at(row.id).bound(&b), &row.thumbnail)?;
    Ok(XrayDto {
        id: row.id,
        kind: c.kind,
        date: row.taken_on.clone(),
        teeth: c.teeth,
        note: c.note,
        format: c.format,
        width: c.width,
        height: c.height,
        bits: c.bits,
        photometric: c.photometric,
        pixel_spacing_mm: c.pixel_spacing_mm,
        size_bytes: c.size_bytes,
        dicom: c.dicom,
        frames: c.frames,
        thumbnail: png_base64(&thumbnail),
        recorded_by: names.get(&row.recorded_by).cloned().unwrap_or_else(|| "unknown".into()),
        recorded_at: audit::format_micros(row.recorded_at),
    })
}

/// The viewer's data for decoded pixels.
pub fn view_of(xray: XrayDto, p: &decode::Pixels) -> XrayView {
    let (scale, width, height, samples) = decode::shrink(p, VIEW);
    let pixels = if p.bits == 16 {
        samples.iter().flat_map(|v| v.to_le_bytes()).collect()
    } else {
        samples.iter().map(|&v| v as u8).collect()
    };
    XrayView {
        xray,
        frame: p.frame,
        width,
        height,
        scale,
        bits: p.bits,
        channels: p.channels() as u8,
        window_center: p.window.0,
        window_width: p.window.1,
        invert: p.photometric == Photometric::Monochrome1,
        mm_per_pixel: p.pixel_spacing_mm.map(|(r, c)| (r + c) / 2.0 * f64::from(scale)),
        pixels,
    }
}

fn check(new: NewXray) -> Result<(chrono::NaiveDate, NewXray)> {
    let date = clinical_day(&new.date)?;
    let mut teeth = new.teeth;
    for t in &teeth {
        Tooth::new(*t)?;
    }
    teeth.sort_unstable();
    teeth.dedup();
    Ok((date, NewXray { teeth, note: text(new.note), ..new }))
}

impl Clinical<'_> {
    /// Import an image file (dentist, assistant; refused while restricted). The file
    /// is decoded first: a damaged or unsupported one is refused and nothing is kept.
    pub async fn import_xray(
        &self,
        s: &Session,
        patient: Uuid,
        bytes: &[u8],
        new: NewXray,
    ) -> Result<XrayDto> {
        let permit = self.authorize(s, Action::ChartWrite).await?;
        let (date, new) = check(new)?;
        let pixels = decode::decode(bytes)?;
        if pixels.frames > 1 {
            // A cut-off series fails at its end: the last frame must decode too.
            decode::decode_frame(bytes, pixels.frames - 1)?;
        }
        let thumbnail = decode::render_png(&pixels, THUMBNAIL)?;
        let mut p = self.patient_to_change(permit, patient).await?;
        let (id, blob_id) = (Uuid::now_v7(), Uuid::new_v4());
        self.store().blobs().put(p.tx(), blob_id, &p.cipher.seal(xray::ORIGINAL.at(id), bytes)).await?;
        let content = Content {
            kind: new.kind,
            teeth: new.teeth,
            note: new.note,
            format: pixels.format,
            width: pixels.width,
            height: pixels.height,
            bits: pixels.bits,
            photometric: pixels.photometric,
            pixel_spacing_mm: pixels.pixel_spacing_mm,
            size_bytes: bytes.len() as u64,
            dicom: pixels.dicom,
            frames: pixels.frames,
        };
        let json = serde_json::to_vec(&content).map_err(|e| Error::Internal(e.to_string()))?;
        let mut model = xray::Model {
            id,
            patient_id: patient,
            taken_on: date.to_string(),
            blob_id,
            content: Sealed::pending(),
            thumbnail: Sealed::pending(),
            recorded_at: audit::now_micros(),
            recorded_by: p.staff(),
        };
        let b = bound(&model);
        model.content = p.cipher.seal(xray::CONTENT.at(id).bound(&b), &json);
        model.thumbnail = p.cipher.seal(xray::THUMBNAIL.at(id).bound(&b), &thumbnail);
        xray::Entity::insert(xray::ActiveModel::from(model.clone())).exec(p.tx()).await?;
        p.audit(Event::new(AuditAction::XrayImport, "xray").entity(id).purpose("image imported"));
        let dto = open_row(&p.cipher, &model, &p.names)?;
        p.commit().await?;
        Ok(dto)
    }

    /// The patient's images, newest first.
    pub async fn xrays(&self, s: &Session, patient: Uuid) -> Result<Vec<XrayDto>> {
        let result = async {
            let mut p = self.patient_to_read(self.authorize(s, Action::ChartRead).await?, patient).await?;
            let list = xray::Entity::find()
                .filter(xray::Column::PatientId.eq(patient))
                .order_by_desc(xray::Column::TakenOn)
                .order_by_desc(xray::Column::RecordedAt)
                .all(p.tx())
                .await?
                .iter()
                .map(|r| open_row(&p.cipher, r, &p.names))
                .collect::<Result<Vec<_>>>()?;
            p.audit(Event::new(AuditAction::XrayList, "xray").purpose("image list"));
            p.commit().await?;
            Ok(list)
        }
        .await;
        self.noting_integrity(s, Some(patient), result).await
    }

    /// One image's description and its sealed original, opened.
    async fn original(
        &self,
        s: &Session,
        patient: Uuid,
        id: Uuid,
        event: Event,
    ) -> Result<(XrayDto, Vec<u8>)> {
        let mut p = self.patient_to_read(self.authorize(s, Action::ChartRead).await?, patient).await?;
        let image = xray::Entity::find_by_id(id)
            .one(p.tx())
            .await?
            .filter(|x| x.patient_id == patient)
            .ok_or(Error::NotFound(Subject::Image))?;
        let dto = open_row(&p.cipher, &image, &p.names)?;
        let sealed = self.store().blobs().get(p.tx(), image.blob_id).await?;
        let bytes = p.cipher.open(xray::ORIGINAL.at(id), &sealed)?;
        p.audit(event.entity(id));
        p.commit().await?;
        Ok((dto, bytes))
    }

    /// Open one frame of an image in the viewer (0 for the first or only one):
    /// decrypt, decode, shrink to the screen.
    pub async fn open_xray(&self, s: &Session, patient: Uuid, id: Uuid, frame: u32) -> Result<XrayView> {
        let result = async {
            let event = Event::new(AuditAction::XrayOpen, "xray").purpose("image viewed");
            let (dto, bytes) = self.original(s, patient, id, event).await?;
            let pixels = decode::decode_frame(&bytes, frame)?;
            Ok(view_of(dto, &pixels))
        }
        .await;
        self.noting_integrity(s, Some(patient), result).await
    }

    /// The original file as imported, byte for byte, with the extension it takes.
    pub async fn xray_original(&self, s: &Session, patient: Uuid, id: Uuid) -> Result<(XrayDto, Vec<u8>)> {
        self.xray_export(s, patient, id, false).await
    }

    /// An image's file to send out: the original byte for byte, or with `deidentify`
    /// without what its header says of the patient, the staff, the clinic, the device
    /// or the place (`strip::strip_identifiers`), the pixels unchanged.
    pub async fn xray_export(
        &self,
        s: &Session,
        patient: Uuid,
        id: Uuid,
        deidentify: bool,
    ) -> Result<(XrayDto, Vec<u8>)> {
        let result = async {
            let purpose = if deidentify { "de-identified image exported" } else { "original image exported" };
            let event = Event::new(AuditAction::XrayExport, "xray").purpose(purpose);
            let (dto, bytes) = self.original(s, patient, id, event).await?;
            if deidentify { Ok((dto, strip::strip_identifiers(&bytes)?)) } else { Ok((dto, bytes)) }
        }
        .await;
        self.noting_integrity(s, Some(patient), result).await
    }
}
