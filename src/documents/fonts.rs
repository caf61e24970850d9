//! The three embedded faces and text measurement. The TTF files are DejaVu
//! (assets/fonts/, licence beside them): full Latin, Romanian comma-below letters,
//! Greek and Cyrillic, so any name a patient writes prints as written.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::error::{Error, Result};

const SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
const MONO_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono-Bold.ttf");

/// A typeface of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
    /// For codes and commands to be typed back: every character the same width.
    MonoBold,
}

impl Face {
    pub(crate) const ALL: [Face; 3] = [Face::Regular, Face::Bold, Face::MonoBold];

    pub(crate) fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::MonoBold => 2,
        }
    }
}

/// The parsed faces, in `Face::index` order.
#[derive(Debug)]
pub(crate) struct Fonts {
    faces: [ParsedFont; 3],
}

/// The fonts, parsed once per process.
pub(crate) fn fonts() -> Result<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(parse_embedded)
        .as_ref()
        .ok_or_else(|| Error::Internal("the embedded document fonts could not be read".into()))
}

fn parse_embedded() -> Option<Fonts> {
    let mut warnings = Vec::new();
    let regular = ParsedFont::from_bytes(SANS, 0, &mut warnings)?;
    let bold = ParsedFont::from_bytes(SANS_BOLD, 0, &mut warnings)?;
    let mono_bold = ParsedFont::from_bytes(MONO_BOLD, 0, &mut warnings)?;
    Some(Fonts { faces: [regular, bold, mono_bold] })
}

impl Fonts {
    pub(crate) fn face(&self, face: Face) -> &ParsedFont {
        &self.faces[face.index()]
    }

    /// How wide `text` is at `size` points, in points. printpdf writes one glyph per
    /// character without kerning, so the sum of the advances is exactly what is drawn.
    /// A character the font lacks is drawn as the missing-glyph box and measured as one.
    pub(crate) fn width(&self, face: Face, text: &str, size: f32) -> f32 {
        let font = self.face(face);
        let units_per_em = f32::from(font.pdf_font_metrics.units_per_em.max(1));
        let units: u32 = text
            .chars()
            .map(|c| {
                let glyph = font.lookup_glyph_index(u32::from(c)).unwrap_or(0);
                u32::from(font.get_horizontal_advance(glyph))
            })
            .sum();
        units as f32 / units_per_em * size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font_not_a_guess() {
        let fonts = fonts().expect("embedded fonts parse");
        let w = |face, text| fonts.width(face, text, 10.0);
        assert!(w(Face::Regular, "W") > w(Face::Regular, "i") * 2.0, "Sans is proportional");
        assert!((w(Face::MonoBold, "W") - w(Face::MonoBold, "i")).abs() < 1e-3, "Mono is monospaced");
        assert!(w(Face::Bold, "Ștefănești") > w(Face::Regular, "Ștefănești"), "bold is wider");
        assert!(w(Face::Regular, "ș") > 0.0 && w(Face::Regular, "Ț") > 0.0, "comma-below letters exist");
        let ab = w(Face::Regular, "ab");
        assert!((ab - w(Face::Regular, "a") - w(Face::Regular, "b")).abs() < 1e-4, "widths add up");
    }
}
