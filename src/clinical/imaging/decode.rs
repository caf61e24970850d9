//! Reading an imported file: PNG, JPEG and TIFF through `image`, DICOM through
//! dicom-rs, pure Rust: uncompressed in either byte order and either VR encoding,
//! deflated, RLE, JPEG (baseline and lossless) and JPEG 2000 (lossless and lossy, by
//! the `openjp2` port of OpenJPEG). Every format ends in the same [`Pixels`]: gray
//! (8 or 16 bits, MONOCHROME1 or 2) or RGB, one sample a `u16`, with the DICOM window
//! and pixel spacing when the file gives them. Colour DICOM in YBR_FULL and
//! YBR_FULL_422 is converted to RGB (PS3.3 C.7.6.3.1.2), PALETTE COLOR through its
//! tables; a multi-frame file is read one frame at a time.
//!
//! A file that is neither, is damaged, or declares more than [`MAX_DECODED_BYTES`],
//! is refused with a specific message; so is a DICOM encoding Cuspid does not decode
//! (JPEG-LS, 12-bit JPEG, video), by its name, so that a clinic asks its imaging
//! software for another export instead of looking for a broken file.

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
    /// How many frames the file holds (1 but for multi-frame DICOM).
    pub frames: u32,
    /// Which of them these pixels are, from 0.
    pub frame: u32,
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

/// Decode a file's first (or only) frame.
pub fn decode(bytes: &[u8]) -> Result<Pixels> {
    decode_frame(bytes, 0)
}

/// Decode one frame of a file, counted from 0.
pub fn decode_frame(bytes: &[u8], frame: u32) -> Result<Pixels> {
    let format = sniff(bytes)?;
    if format == FileFormat::Dicom {
        return decode_dicom(bytes, frame);
    }
    if frame > 0 {
        return Err(Error::InvalidInput(Rule::NoSuchFrame { frames: 1 }));
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
    Pixels {
        format,
        width,
        height,
        bits,
        photometric,
        samples,
        window,
        pixel_spacing_mm: None,
        dicom: None,
        frames: 1,
        frame: 0,
    }
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

/// Transfer syntaxes whose pixel data Cuspid does not decode, by the name a clinic's
/// imaging software gives them; `None` for the ones it does (or lets dicom-rs try).
fn encoding_refusal(transfer_syntax: &str, bits_stored: u32) -> Option<Rule> {
    const JPEG_LS: [&str; 2] = ["1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"];
    // Extended (2 and 4) and the retired processes that allow 12 bits.
    const JPEG_EXTENDED: [&str; 5] = [
        "1.2.840.10008.1.2.4.51",
        "1.2.840.10008.1.2.4.53",
        "1.2.840.10008.1.2.4.55",
        "1.2.840.10008.1.2.4.59",
        "1.2.840.10008.1.2.4.61",
    ];
    // MPEG-2, MPEG-4 AVC/H.264 and HEVC/H.265 (1.2.840.10008.1.2.4.100 to .108).
    let video = transfer_syntax
        .strip_prefix("1.2.840.10008.1.2.4.")
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| (100..=108).contains(&n));
    if JPEG_LS.contains(&transfer_syntax) {
        Some(Rule::DicomJpegLs)
    } else if JPEG_EXTENDED.contains(&transfer_syntax) && bits_stored > 8 {
        Some(Rule::DicomJpeg12Bit)
    } else if video {
        Some(Rule::DicomVideo)
    } else {
        use dicom_encoding::TransferSyntaxIndex;
        let known = dicom_transfer_syntax_registry::TransferSyntaxRegistry.get(transfer_syntax);
        (!known.is_some_and(|ts| ts.can_decode_all())).then_some(Rule::DicomEncoding)
    }
}

fn number(obj: &DefaultDicomObject, tag: dicom_core::Tag) -> Option<u32> {
    obj.element_opt(tag).ok().flatten().and_then(|e| e.to_int::<u32>().ok())
}

fn decode_dicom(bytes: &[u8], frame: u32) -> Result<Pixels> {
    let preamble = if bytes.starts_with(b"DICM") { ReadPreamble::Never } else { ReadPreamble::Always };
    let obj = OpenFileOptions::new().read_preamble(preamble).from_reader(bytes).map_err(|_| damaged())?;
    if obj.element_opt(tags::PIXEL_DATA).ok().flatten().is_none() {
        return Err(Error::InvalidInput(Rule::DicomNoImage));
    }
    let (rows, columns) = (number(&obj, tags::ROWS).unwrap_or(0), number(&obj, tags::COLUMNS).unwrap_or(0));
    let samples = u64::from(number(&obj, tags::SAMPLES_PER_PIXEL).unwrap_or(1));
    let bits = number(&obj, tags::BITS_ALLOCATED).unwrap_or(16);
    let frames = obj
        .element_opt(tags::NUMBER_OF_FRAMES)
        .ok()
        .flatten()
        .and_then(|e| e.to_str().ok().and_then(|s| s.trim().parse::<u32>().ok()))
        .unwrap_or(1)
        .max(1);
    // Decoded samples are held as 16-bit (two bytes), or more for a wider declared size;
    // a palette image becomes RGB.
    let photometric = text(&obj, tags::PHOTOMETRIC_INTERPRETATION).unwrap_or_default();
    let channels = if photometric == "PALETTE COLOR" { 3 } else { samples };
    check_size(columns, rows, channels, u64::from(bits.div_ceil(8)).max(2), u64::from(frames))?;
    let transfer_syntax = obj.meta().transfer_syntax().trim_end_matches(['\0', ' ']).to_owned();
    if let Some(rule) = encoding_refusal(&transfer_syntax, number(&obj, tags::BITS_STORED).unwrap_or(bits)) {
        return Err(Error::InvalidInput(rule));
    }
    if frame >= frames {
        return Err(Error::InvalidInput(Rule::NoSuchFrame { frames }));
    }
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
    let with_header = |mut p: Pixels| {
        p.pixel_spacing_mm = pixel_spacing_mm;
        p.dicom = dicom.clone();
        p.frames = frames;
        p.frame = frame;
        p
    };

    let encapsulated = obj.element(tags::PIXEL_DATA).is_ok_and(|e| e.value().fragments().is_some());
    if photometric == "YBR_FULL_422" && !encapsulated && samples == 3 && bits == 8 {
        return Ok(with_header(native_ybr_422(&obj, columns, rows, frame)?));
    }
    let decoded =
        obj.decode_pixel_data_frame(frame).map_err(|_| Error::InvalidInput(Rule::DicomUnreadable))?;
    let (width, height) = (decoded.columns(), decoded.rows());
    let count = width as usize * height as usize;
    if photometric == "PALETTE COLOR" {
        return Ok(with_header(palette(&obj, &decoded, count)?));
    }
    // Codecs that compress colour (JPEG, JPEG 2000) give RGB back; uncompressed and RGB
    // data stay in YBR_FULL, converted here (dicom-rs 0.10 gets the green wrong).
    const RLE: &str = "1.2.840.10008.1.2.5";
    let stays_ybr = !encapsulated || transfer_syntax == RLE;
    if decoded.samples_per_pixel() == 3
        && photometric == "YBR_FULL"
        && stays_ybr
        && decoded.bits_allocated() == 8
    {
        let data = decoded.frame_data(0).map_err(|_| damaged())?;
        let plane = count;
        let pixel = |i: usize| match decoded.planar_configuration() {
            dicom_pixeldata::PlanarConfiguration::Standard => [data[3 * i], data[3 * i + 1], data[3 * i + 2]],
            dicom_pixeldata::PlanarConfiguration::PixelFirst => {
                [data[i], data[plane + i], data[2 * plane + i]]
            }
        };
        if data.len() < 3 * count {
            return Err(damaged());
        }
        let rgb = (0..count).flat_map(|i| {
            let [y, cb, cr] = pixel(i);
            ybr_to_rgb(y, cb, cr)
        });
        return Ok(with_header(rgb8(width, height, rgb.collect())?));
    }
    if decoded.samples_per_pixel() == 3 {
        let rgb = decoded.to_dynamic_image(0).map_err(|_| Error::InvalidInput(Rule::DicomColour))?.to_rgb8();
        return Ok(with_header(from_image(FileFormat::Dicom, DynamicImage::ImageRgb8(rgb))));
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
    Ok(with_header(Pixels {
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
        pixel_spacing_mm: None,
        dicom: None,
        frames: 1,
        frame: 0,
    }))
}

/// An RGB image of 8-bit samples.
fn rgb8(width: u32, height: u32, bytes: Vec<u8>) -> Result<Pixels> {
    let rgb = image::RgbImage::from_raw(width, height, bytes).ok_or_else(damaged)?;
    Ok(from_image(FileFormat::Dicom, DynamicImage::ImageRgb8(rgb)))
}

/// YBR_FULL to RGB, as PS3.3 C.7.6.3.1.2 gives it (ITU-R BT.601, full range).
fn ybr_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    let (y, cb, cr) = (f64::from(y), f64::from(cb) - 128.0, f64::from(cr) - 128.0);
    let clamp = |v: f64| v.round().clamp(0.0, 255.0) as u8;
    [clamp(y + 1.402 * cr), clamp(y - 0.344_136 * cb - 0.714_136 * cr), clamp(y + 1.772 * cb)]
}

/// Uncompressed YBR_FULL_422: each two pixels of a row are stored as Y1 Y2 Cb Cr,
/// the colour shared by both (PS3.3 C.7.6.3.1.2). dicom-rs expects three samples a
/// pixel here, so the frame is read and widened by hand.
fn native_ybr_422(obj: &DefaultDicomObject, width: u32, height: u32, frame: u32) -> Result<Pixels> {
    if width % 2 == 1 {
        return Err(Error::InvalidInput(Rule::DicomColour));
    }
    let data = obj.element(tags::PIXEL_DATA).map_err(|_| damaged())?.to_bytes().map_err(|_| damaged())?;
    let size = width as usize * height as usize * 2;
    let start = size * frame as usize;
    let frame = data.get(start..start + size).ok_or_else(damaged)?;
    let mut rgb = Vec::with_capacity(width as usize * height as usize * 3);
    for quad in frame.chunks_exact(4) {
        let [y1, y2, cb, cr] = [quad[0], quad[1], quad[2], quad[3]];
        rgb.extend(ybr_to_rgb(y1, cb, cr));
        rgb.extend(ybr_to_rgb(y2, cb, cr));
    }
    rgb8(width, height, rgb)
}

/// PALETTE COLOR: each stored value picks a red, a green and a blue entry from the
/// file's tables (PS3.3 C.7.6.3.1.5 and C.7.6.3.1.6); 16-bit entries keep their high byte.
fn palette(
    obj: &DefaultDicomObject,
    decoded: &dicom_pixeldata::DecodedPixelData,
    count: usize,
) -> Result<Pixels> {
    use tags::{
        BLUE_PALETTE_COLOR_LOOKUP_TABLE_DATA as BLUE, BLUE_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR as BLUE_D,
        GREEN_PALETTE_COLOR_LOOKUP_TABLE_DATA as GREEN,
        GREEN_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR as GREEN_D, RED_PALETTE_COLOR_LOOKUP_TABLE_DATA as RED,
        RED_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR as RED_D,
    };
    let table = |descriptor, data| -> Result<(u32, Vec<u8>)> {
        let d = obj
            .element(descriptor)
            .ok()
            .and_then(|e| e.to_multi_int::<i32>().ok())
            .filter(|d| d.len() == 3)
            .ok_or(Error::InvalidInput(Rule::DicomColour))?;
        let entries = if d[0] == 0 { 65_536 } else { d[0].unsigned_abs() as usize };
        let first = d[1].unsigned_abs();
        let raw = obj
            .element(data)
            .ok()
            .and_then(|e| e.to_bytes().ok())
            .ok_or(Error::InvalidInput(Rule::DicomColour))?;
        let values: Vec<u8> = match d[2] {
            16 => raw.chunks_exact(2).map(|c| (u16::from_le_bytes([c[0], c[1]]) >> 8) as u8).collect(),
            // 8-bit entries, one a byte, or one in the low byte of each word.
            8 if raw.len() >= entries * 2 => raw.chunks_exact(2).map(|c| c[0]).collect(),
            8 => raw.to_vec(),
            _ => return Err(Error::InvalidInput(Rule::DicomColour)),
        };
        if values.len() < entries {
            return Err(damaged());
        }
        Ok((first, values[..entries].to_vec()))
    };
    let tables = [table(RED_D, RED)?, table(GREEN_D, GREEN)?, table(BLUE_D, BLUE)?];
    let indices: Vec<u32> = match decoded.bits_allocated() {
        8 => decoded.data().iter().map(|&b| u32::from(b)).collect(),
        16 => decoded.data_ow().into_iter().map(u32::from).collect(),
        _ => return Err(Error::InvalidInput(Rule::DicomBitDepth)),
    };
    if indices.len() < count {
        return Err(damaged());
    }
    // Below the first entry takes the first; above the last, the last.
    let look = |(first, values): &(u32, Vec<u8>), v: u32| {
        values[(v.saturating_sub(*first) as usize).min(values.len() - 1)]
    };
    let rgb = indices[..count].iter().flat_map(|&v| tables.iter().map(move |t| look(t, v))).collect();
    rgb8(decoded.columns(), decoded.rows(), rgb)
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
