//! FDI two-digit tooth numbers (ISO 3950) and the five surfaces.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::rules::Rule;

/// A tooth by its FDI number: quadrants 1-4 permanent (teeth 1-8), 5-8 primary
/// (teeth 1-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tooth(u8);

impl Tooth {
    pub fn new(number: u8) -> Result<Tooth> {
        let (quadrant, position) = (number / 10, number % 10);
        let valid = match quadrant {
            1..=4 => (1..=8).contains(&position),
            5..=8 => (1..=5).contains(&position),
            _ => false,
        };
        if valid { Ok(Tooth(number)) } else { Err(Error::InvalidInput(Rule::NotATooth)) }
    }

    pub fn number(self) -> u8 {
        self.0
    }

    /// A primary (milk) tooth.
    pub fn is_primary(self) -> bool {
        self.0 / 10 >= 5
    }

    /// Incisors and canines: their biting edge is incisal, their outer face labial.
    pub fn is_anterior(self) -> bool {
        self.0 % 10 <= 3
    }

    /// Upper jaw (quadrants 1, 2, 5, 6): the inner face is palatal.
    pub fn is_upper(self) -> bool {
        matches!(self.0 / 10, 1 | 2 | 5 | 6)
    }

    /// Molars, primary molars and the upper first premolars: the teeth whose
    /// furcation can be involved.
    pub fn is_multi_rooted(self) -> bool {
        let position = self.0 % 10;
        if self.is_primary() { position >= 4 } else { position >= 6 || (position == 4 && self.is_upper()) }
    }

    /// Every permanent tooth, then every primary one, in chart order.
    pub fn all() -> impl Iterator<Item = Tooth> {
        (1..=8u8).flat_map(|q| {
            let teeth = if q <= 4 { 8 } else { 5 };
            (1..=teeth).map(move |t| Tooth(q * 10 + t))
        })
    }
}

/// A tooth surface, named in the chart by the tooth's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Surface {
    Mesial,
    Distal,
    /// Occlusal on premolars and molars, incisal on incisors and canines.
    Occlusal,
    /// Buccal on posterior teeth, labial on anterior ones.
    Buccal,
    /// Lingual in the lower jaw, palatal in the upper.
    Lingual,
}

/// Surfaces typed as letters or names, read (see [`Surface::check`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SurfaceCheck {
    pub surfaces: Vec<Surface>,
    /// Why the text reads as no surfaces (`chart.unknown_surface`, `chart.surface_twice`).
    pub problem: Option<Rule>,
}

impl Surface {
    /// The surfaces as a dentist writes them: names (`mesial`, `incisal`, `palatal`,
    /// ...) or the letters of the shorthand, alone or run together (`MOD`): M mesial,
    /// D distal, O or I occlusal (incisal), B, V or F buccal (vestibular, facial),
    /// L or P lingual (palatal). Separated by commas or spaces, in any case; a surface
    /// named twice is refused, the rest come back in the chart's order.
    pub fn parse_list(text: &str) -> Result<Vec<Surface>> {
        let mut found = Vec::new();
        for word in text.split(|c: char| c == ',' || c.is_whitespace()).filter(|w| !w.is_empty()) {
            let word = word.to_lowercase();
            let named = Surface::from_name(&word).map(|s| vec![s]);
            let surfaces = match named {
                Some(one) => one,
                None => word
                    .chars()
                    .map(Surface::from_letter)
                    .collect::<Option<Vec<_>>>()
                    .ok_or(Error::InvalidInput(Rule::UnknownSurface))?,
            };
            for s in surfaces {
                if found.contains(&s) {
                    return Err(Error::InvalidInput(Rule::SurfaceTwice));
                }
                found.push(s);
            }
        }
        found.sort();
        Ok(found)
    }

    /// What a form shows while surfaces are typed as letters: the surfaces they read
    /// as, or the rule the text breaks. A pure function: nothing stored or logged.
    pub fn check(text: &str) -> SurfaceCheck {
        match Surface::parse_list(text) {
            Ok(surfaces) => SurfaceCheck { surfaces, problem: None },
            Err(e) => SurfaceCheck { surfaces: Vec::new(), problem: e.rule() },
        }
    }

    fn from_name(word: &str) -> Option<Surface> {
        Some(match word {
            "mesial" => Surface::Mesial,
            "distal" => Surface::Distal,
            "occlusal" | "incisal" => Surface::Occlusal,
            "buccal" | "labial" | "vestibular" | "facial" => Surface::Buccal,
            "lingual" | "palatal" => Surface::Lingual,
            _ => return None,
        })
    }

    fn from_letter(letter: char) -> Option<Surface> {
        Some(match letter {
            'm' => Surface::Mesial,
            'd' => Surface::Distal,
            'o' | 'i' => Surface::Occlusal,
            'b' | 'v' | 'f' => Surface::Buccal,
            'l' | 'p' => Surface::Lingual,
            _ => return None,
        })
    }

    /// The surface's name on `tooth` ("incisal" on 11, "occlusal" on 36).
    pub fn name(self, tooth: Tooth) -> &'static str {
        match self {
            Surface::Mesial => "mesial",
            Surface::Distal => "distal",
            Surface::Occlusal if tooth.is_anterior() => "incisal",
            Surface::Occlusal => "occlusal",
            Surface::Buccal if tooth.is_anterior() => "labial",
            Surface::Buccal => "buccal",
            Surface::Lingual if tooth.is_upper() => "palatal",
            Surface::Lingual => "lingual",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surfaces_read_as_names_or_as_the_dentists_letters() {
        use Surface::*;
        let read = |text| Surface::parse_list(text).unwrap();
        assert_eq!(read("MOD"), vec![Mesial, Distal, Occlusal], "letters run together");
        assert_eq!(read("m, o d"), vec![Mesial, Distal, Occlusal], "separated, any case");
        assert_eq!(read("I"), vec![Occlusal], "incisal is the occlusal surface of a front tooth");
        assert_eq!(read("DV"), vec![Distal, Buccal]);
        assert_eq!(read("f"), vec![Buccal]);
        assert_eq!(read("mesial,palatal"), vec![Mesial, Lingual], "names too");
        assert_eq!(read("labial Incisal"), vec![Occlusal, Buccal]);
        assert_eq!(read(""), vec![], "none");
        let refused = |text| Surface::parse_list(text).unwrap_err().rule().map(|r| r.code());
        assert_eq!(refused("MXD"), Some("chart.unknown_surface"), "X is no surface");
        assert_eq!(refused("mesal"), Some("chart.unknown_surface"), "a misspelt name");
        assert_eq!(refused("MOM"), Some("chart.surface_twice"));
        assert_eq!(refused("O,I"), Some("chart.surface_twice"), "incisal and occlusal are one surface");
        assert_eq!(refused("P L"), Some("chart.surface_twice"), "palatal is the lingual surface");
        assert_eq!(Surface::check("mo").surfaces, vec![Mesial, Occlusal], "the form's live check");
        assert_eq!(Surface::check("mz").problem, Some(Rule::UnknownSurface));
    }

    #[test]
    fn fdi_numbers_are_checked_by_quadrant() {
        for ok in [11, 18, 28, 36, 48, 51, 55, 65, 75, 85] {
            assert!(Tooth::new(ok).is_ok(), "{ok}");
        }
        for bad in [0, 10, 19, 49, 56, 86, 90, 99] {
            assert!(Tooth::new(bad).is_err(), "{bad}");
        }
        assert_eq!(Tooth::all().count(), 32 + 20);
        assert!(Tooth::new(54).unwrap().is_primary() && !Tooth::new(36).unwrap().is_primary());
    }

    #[test]
    fn surfaces_take_the_name_of_the_tooth_they_are_on() {
        let (incisor, molar, lower_molar) =
            (Tooth::new(11).unwrap(), Tooth::new(26).unwrap(), Tooth::new(36).unwrap());
        assert_eq!(Surface::Occlusal.name(incisor), "incisal");
        assert_eq!(Surface::Occlusal.name(lower_molar), "occlusal");
        assert_eq!(Surface::Buccal.name(incisor), "labial");
        assert_eq!(Surface::Lingual.name(molar), "palatal");
        assert_eq!(Surface::Lingual.name(lower_molar), "lingual");
        let rooted: Vec<u8> = Tooth::all().filter(|t| t.is_multi_rooted()).map(Tooth::number).collect();
        assert_eq!(
            rooted,
            [14, 16, 17, 18, 24, 26, 27, 28, 36, 37, 38, 46, 47, 48, 54, 55, 64, 65, 74, 75, 84, 85]
        );
    }
}
