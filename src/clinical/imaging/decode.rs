//! Reading an imported file: PNG, JPEG and TIFF through `image`, DICOM through
//! dicom-rs (native and JPEG/RLE/deflate encodings, pure Rust). Every format ends in
//! the same [`Pixels`]: gray (8 or 16 bits, MONOCHROME1 or 2) or RGB, one sample
//! a `u16`, with the DICOM window and pixel spacing when the file gives them. A file
//! that is neither, or is damaged, is refused with a specific message.

use dicom_dictionary_std::tags;
use dicom_object::{DefaultDicomObject, OpenFileOptions, file::ReadPreamble};
use dicom_pixeldata::PixelDecoder;
use image::{DynamicImage, ImageFormat};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::rules::Rule;

/// The imported file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Png,
    Jpeg,
    Tiff,
    Dicom,
}

impl FileFormat {
    /// The extension an exported original gets.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Png => "png",
            FileFormat::Jpeg => "jpg",
            FileFormat::Tiff => "tif",
            FileFormat::Dicom => "dcm",
        }
    }
}

/// How a gray sample is shown: MONOCHROME2 (0 is black) or MONOCHROME1 (0 is white).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Photometric {
    Monochrome1,
    Monochrome2,
    Rgb,
}

/// What a DICOM file says about whom and when; kept sealed with the image.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DicomInfo {
    #[ts(optional = nullable)]
    pub patient_name: Option<String>,
    #[ts(optional = nullable)]
    pub patient_id: Option<String>,
    #[ts(optional = nullable)]
    pub study_date: Option<String>,
    #[ts(optional = nullable)]
    pub modality: Option<String>,
}

crate::redact::redacted_debug!(DicomInfo {
    shown: [modality],
    redacted: [patient_name, patient_id, study_date]
});

/// Decoded pixels, one `u16` a sample (RGB interleaved).
#[derive(Debug, Clone, PartialEq)]
pub struct Pixels {
    pub format: FileFormat,
    pub width: u32,
    pub height: u32,
    /// 8 or 16.
    pub bits: u8,
    pub photometric: Photometric,
    pub samples: Vec<u16>,
    /// Window centre and width in stored sample values.
    pub window: (f64, f64),
    /// Row and column spacing in mm, when the DICOM file gives it.
    pub pixel_spacing_mm: Option<(f64, f64)>,
    pub dicom: Option<DicomInfo>,
}

impl Pixels {
    pub fn channels(&self) -> usize {
        if self.photometric == Photometric::Rgb { 3 } else { 1 }
    }
}

/// The most memory a decoded image may need (samples, at two bytes each for 16 bits):
/// a declared size above it is refused before anything is decoded.
pub const MAX_DECODED_BYTES: u64 = 512 * 1024 * 1024;
/// The widest or tallest image accepted, in pixels.
pub const MAX_SIDE: u32 = 30_000;

fn too_large() -> Error {
    Error::InvalidInput(Rule::ImageTooLarge)
}

/// Refuse a declared size whose decoding would take more memory than allowed.
fn check_size(width: u32, height: u32, channels: u64, bytes_per_sample: u64, frames: u64) -> Result<()> {
    let need = u64::from(width) * u64::from(height) * channels * bytes_per_sample * frames.max(1);
    if width > MAX_SIDE || height > MAX_SIDE || need > MAX_DECODED_BYTES {
        return Err(too_large());
    }
    Ok(())
}

fn unsupported() -> Error {
    Error::InvalidInput(Rule::UnknownImageFormat)
}

fn damaged() -> Error {
    Error::InvalidInput(Rule::ImageDamaged)
}

/// The format, from the file's first bytes (never from its name).
pub fn sniff(bytes: &[u8]) -> Result<FileFormat> {
    if bytes.len() > 132 && &bytes[128..132] == b"DICM" || bytes.starts_with(b"DICM") {
        return Ok(FileFormat::Dicom);
    }
    match image::guess_format(bytes) {
        Ok(ImageFormat::Png) => Ok(FileFormat::Png),
        Ok(ImageFormat::Jpeg) => Ok(FileFormat::Jpeg),
        Ok(ImageFormat::Tiff) => Ok(FileFormat::Tiff),
        _ => Err(unsupported()),
    }
}

/// Decode a whole file.
pub fn decode(bytes: &[u8]) -> Result<Pixels> {
    let format = sniff(bytes)?;
    if format == FileFormat::Dicom {
        return decode_dicom(bytes);
    }
    let image_format = match format {
        FileFormat::Png => ImageFormat::Png,
        FileFormat::Jpeg => ImageFormat::Jpeg,
        _ => ImageFormat::Tiff,
    };
    // The JPEG decoder fills a cut-off file with grey: a whole file ends with EOI.
    if format == FileFormat::Jpeg
        && !bytes[bytes.len().saturating_sub(1024)..].windows(2).any(|w| w == [0xFF, 0xD9])
    {
        return Err(damaged());
    }
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), image_format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits.clone());
    let (width, height) = reader.into_dimensions().map_err(|e| match e {
        image::ImageError::Limits(_) => too_large(),
        _ => damaged(),
    })?;
    // RGBA at 16 bits is the most any of these decoders allocates per pixel.
    check_size(width, height, 4, 2, 1)?;
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), image_format);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => too_large(),
        _ => damaged(),
    })?;
    Ok(from_image(format, image))
}

fn from_image(format: FileFormat, image: DynamicImage) -> Pixels {
    let (width, height) = (image.width(), image.height());
    let (bits, photometric, samples): (u8, Photometric, Vec<u16>) = match image {
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageLumaA8(_) => {
            (8, Photometric::Monochrome2, image.to_luma8().into_raw().into_iter().map(u16::from).collect())
        }
        DynamicImage::ImageLuma16(_) | DynamicImage::ImageLumaA16(_) => {
            (16, Photometric::Monochrome2, image.to_luma16().into_raw())
        }
        other => (8, Photometric::Rgb, other.to_rgb8().into_raw().into_iter().map(u16::from).collect()),
    };
    let window = if bits == 8 { (127.5, 256.0) } else { full_range(&samples) };
    Pixels { format, width, height, bits, photometric, samples, window, pixel_spacing_mm: None, dicom: None }
}

/// A window over every value present.
fn full_range(samples: &[u16]) -> (f64, f64) {
    let (lo, hi) = samples.iter().fold((u16::MAX, 0u16), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    if lo > hi {
        return (32767.5, 65536.0);
    }
    ((f64::from(lo) + f64::from(hi)) / 2.0, f64::from(hi - lo) + 1.0)
}

fn text(obj: &DefaultDicomObject, tag: dicom_core::Tag) -> Option<String> {
    obj.element_opt(tag)
        .ok()
        .flatten()
        .and_then(|e| e.to_str().ok())
        .map(|s| s.trim_end_matches(['\0', ' ']).trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn floats(obj: &DefaultDicomObject, tag: dicom_core::Tag) -> Option<Vec<f64>> {
    obj.element_opt(tag).ok().flatten().and_then(|e| e.to_multi_float64().ok()).filter(|v| !v.is_empty())
}

fn decode_dicom(bytes: &[u8]) -> Result<Pixels> {
    let preamble = if bytes.starts_with(b"DICM") { ReadPreamble::Never } else { ReadPreamble::Always };
    let obj = OpenFileOptions::new().read_preamble(preamble).from_reader(bytes).map_err(|_| damaged())?;
    if obj.element_opt(tags::PIXEL_DATA).ok().flatten().is_none() {
        return Err(Error::InvalidInput(Rule::DicomNoImage));
    }
    let number = |tag| obj.element_opt(tag).ok().flatten().and_then(|e| e.to_int::<u32>().ok());
    let (rows, columns) = (number(tags::ROWS).unwrap_or(0), number(tags::COLUMNS).unwrap_or(0));
    let samples = u64::from(number(tags::SAMPLES_PER_PIXEL).unwrap_or(1));
    let bits = number(tags::BITS_ALLOCATED).unwrap_or(16);
    let frames = obj
        .element_opt(tags::NUMBER_OF_FRAMES)
        .ok()
        .flatten()
        .and_then(|e| e.to_str().ok().and_then(|s| s.trim().parse::<u64>().ok()))
        .unwrap_or(1);
    // Decoded samples are held as 16-bit (two bytes), or more for a wider declared size.
    check_size(columns, rows, samples, u64::from(bits.div_ceil(8)).max(2), frames)?;
    let decoded = obj.decode_pixel_data_frame(0).map_err(|_| Error::InvalidInput(Rule::DicomUnreadable))?;
    let (width, height) = (decoded.columns(), decoded.rows());
    let count = width as usize * height as usize;
    let dicom = Some(DicomInfo {
        patient_name: text(&obj, tags::PATIENT_NAME),
        patient_id: text(&obj, tags::PATIENT_ID),
        study_date: text(&obj, tags::STUDY_DATE),
        modality: text(&obj, tags::MODALITY),
    });
    let pixel_spacing_mm = floats(&obj, tags::PIXEL_SPACING)
        .or_else(|| floats(&obj, tags::IMAGER_PIXEL_SPACING))
        .filter(|v| v.len() >= 2 && v[0] > 0.0 && v[1] > 0.0)
        .map(|v| (v[0], v[1]));

    let photometric = decoded.photometric_interpretation().as_str().trim().to_owned();
    if decoded.samples_per_pixel() == 3 {
        let rgb = decoded.to_dynamic_image(0).map_err(|_| Error::InvalidInput(Rule::DicomColour))?.to_rgb8();
        let mut p = from_image(FileFormat::Dicom, DynamicImage::ImageRgb8(rgb));
        p.pixel_spacing_mm = pixel_spacing_mm;
        p.dicom = dicom;
        return Ok(p);
    }
    let signed = decoded.pixel_representation() == dicom_pixeldata::PixelRepresentation::Signed;
    let (bits, samples): (u8, Vec<u16>) = match decoded.bits_allocated() {
        8 => (8, decoded.data().iter().map(|&b| u16::from(if signed { b ^ 0x80 } else { b })).collect()),
        16 => (16, decoded.data_ow().into_iter().map(|v| if signed { v ^ 0x8000 } else { v }).collect()),
        _ => return Err(Error::InvalidInput(Rule::DicomBitDepth)),
    };
    if samples.len() < count {
        return Err(damaged());
    }
    let mut samples = samples;
    samples.truncate(count);
    let offset = if !signed {
        0.0
    } else if bits == 8 {
        128.0
    } else {
        32768.0
    };
    // The file's window is in rescaled units: bring it back to stored values.
    let (slope, intercept) =
        decoded.rescale().ok().and_then(|r| r.first().map(|r| (r.slope, r.intercept))).unwrap_or((1.0, 0.0));
    let window = decoded
        .window()
        .ok()
        .flatten()
        .and_then(|w| w.first().copied())
        .filter(|w| w.width > 0.0 && slope != 0.0)
        .map(|w| ((w.center - intercept) / slope + offset, w.width / slope.abs()))
        .unwrap_or_else(|| if bits == 8 { (127.5, 256.0) } else { full_range(&samples) });
    Ok(Pixels {
        format: FileFormat::Dicom,
        width,
        height,
        bits,
        photometric: if photometric == "MONOCHROME1" {
            Photometric::Monochrome1
        } else {
            Photometric::Monochrome2
        },
        samples,
        window,
        pixel_spacing_mm,
        dicom,
    })
}

/// Shrink by a whole factor (the mean of each block) so neither side exceeds `max`.
pub fn shrink(p: &Pixels, max: u32) -> (u32, u32, u32, Vec<u16>) {
    let factor = p.width.max(p.height).div_ceil(max).max(1);
    if factor == 1 {
        return (1, p.width, p.height, p.samples.clone());
    }
    let (w, h, c) = (p.width / factor, p.height / factor, p.channels());
    let mut out = Vec::with_capacity(w as usize * h as usize * c);
    let area = u64::from(factor * factor);
    for y in 0..h {
        for x in 0..w {
            for ch in 0..c {
                let mut sum = 0u64;
                for dy in 0..factor {
                    let row = ((y * factor + dy) * p.width) as usize;
                    for dx in 0..factor {
                        sum += u64::from(p.samples[(row + (x * factor + dx) as usize) * c + ch]);
                    }
                }
                out.push((sum / area) as u16);
            }
        }
    }
    (factor, w, h, out)
}

/// An 8-bit rendering through the window (inverted for MONOCHROME1), as PNG bytes.
pub fn render_png(p: &Pixels, max: u32) -> Result<Vec<u8>> {
    let (_, w, h, samples) = shrink(p, max);
    let (centre, width) = p.window;
    let low = centre - width / 2.0;
    let map = |v: u16| -> u8 {
        let t = ((f64::from(v) - low) / width).clamp(0.0, 1.0);
        let t = if p.photometric == Photometric::Monochrome1 { 1.0 - t } else { t };
        (t * 255.0).round() as u8
    };
    let bytes: Vec<u8> = samples.into_iter().map(map).collect();
    let image = if p.channels() == 3 {
        DynamicImage::ImageRgb8(
            image::RgbImage::from_raw(w, h, bytes).ok_or_else(|| Error::Internal("thumbnail size".into()))?,
        )
    } else {
        DynamicImage::ImageLuma8(
            image::GrayImage::from_raw(w, h, bytes)
                .ok_or_else(|| Error::Internal("thumbnail size".into()))?,
        )
    };
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(out.into_inner())
}
