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

impl Surface {
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
