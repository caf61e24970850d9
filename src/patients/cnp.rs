//! The Romanian personal numeric code (CNP): `S YY MM DD JJ NNN C`.

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::rules::Rule;

const WEIGHTS: [u32; 12] = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];

/// Sex as encoded in the first digit of a CNP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    F,
    M,
}

impl Sex {
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "f" | "female" => Ok(Sex::F),
            "m" | "male" => Ok(Sex::M),
            _ => Err(Error::InvalidInput(Rule::UnknownSex)),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::F => "f",
            Sex::M => "m",
        }
    }
}

/// A CNP that passed every check.
#[derive(Clone, PartialEq, Eq)]
pub struct Cnp {
    digits: String,
    /// `None` for foreigners (S = 7, 8, 9): the century is not encoded.
    birth_date: Option<NaiveDate>,
    sex: Option<Sex>,
}

// A CNP is personal data: Debug shows it masked, like the logs.
impl std::fmt::Debug for Cnp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cnp({})", mask(&self.digits))
    }
}

impl Cnp {
    pub fn parse(input: &str) -> Result<Self> {
        let s = input.trim();
        if s.chars().any(|c| !c.is_ascii_digit()) {
            return Err(Error::InvalidCnp(Rule::CnpDigitsOnly));
        }
        if s.len() != 13 {
            return Err(Error::InvalidCnp(Rule::CnpLength));
        }
        let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
        let century = match d[0] {
            1 | 2 => Some(1900),
            3 | 4 => Some(1800),
            5 | 6 => Some(2000),
            7..=9 => None,
            _ => return Err(Error::InvalidCnp(Rule::CnpFirstDigit)),
        };
        let yy = (d[1] * 10 + d[2]) as i32;
        let mm = d[3] * 10 + d[4];
        let dd = d[5] * 10 + d[6];
        let date = NaiveDate::from_ymd_opt(century.unwrap_or(1900) + yy, mm, dd)
            .ok_or(Error::InvalidCnp(Rule::CnpBirthDate))?;
        let county = d[7] * 10 + d[8];
        if !matches!(county, 1..=48 | 51 | 52 | 70 | 80..=83) {
            return Err(Error::InvalidCnp(Rule::CnpCounty));
        }
        let sum: u32 = d[..12].iter().zip(WEIGHTS).map(|(a, w)| a * w).sum();
        let control = match sum % 11 {
            10 => 1,
            r => r,
        };
        if control != d[12] {
            return Err(Error::InvalidCnp(Rule::CnpControlDigit));
        }
        let sex = match d[0] {
            1 | 3 | 5 | 7 => Some(Sex::M),
            2 | 4 | 6 | 8 => Some(Sex::F),
            _ => None,
        };
        Ok(Cnp { digits: s.to_owned(), birth_date: century.map(|_| date), sex })
    }

    pub fn as_str(&self) -> &str {
        &self.digits
    }

    pub fn birth_date(&self) -> Option<NaiveDate> {
        self.birth_date
    }

    pub fn sex(&self) -> Option<Sex> {
        self.sex
    }

    pub fn masked(&self) -> String {
        mask(&self.digits)
    }

    /// Compute the control digit for the first 12 digits (used by test data).
    pub fn control_digit(first12: &str) -> Option<u32> {
        if first12.len() != 12 || !first12.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let sum: u32 = first12.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
        Some(match sum % 11 {
            10 => 1,
            r => r,
        })
    }
}

/// What a form shows while a CNP is being typed: valid or not, why not, and the
/// birth date and sex it gives. A pure function: nothing is stored or logged.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct CnpCheck {
    pub valid: bool,
    /// What is wrong, in words a receptionist can act on.
    pub problem: Option<String>,
    /// `YYYY-MM-DD`, when the CNP encodes the century (not for foreigners, 7-9).
    pub birth_date: Option<String>,
    pub sex: Option<Sex>,
}

pub fn check(input: &str) -> CnpCheck {
    match Cnp::parse(input) {
        Ok(c) => CnpCheck {
            valid: true,
            problem: None,
            birth_date: c.birth_date().map(|d| d.format("%Y-%m-%d").to_string()),
            sex: c.sex(),
        },
        Err(e) => CnpCheck { valid: false, problem: Some(e.to_string()), birth_date: None, sex: None },
    }
}

/// First 3 and last 3 digits, the rest hidden: how a CNP appears in logs and lists.
pub fn mask(cnp: &str) -> String {
    if cnp.len() < 7 || !cnp.is_ascii() {
        return "*".repeat(cnp.chars().count());
    }
    format!("{}{}{}", &cnp[..3], "*".repeat(cnp.len() - 6), &cnp[cnp.len() - 3..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_control(first12: &str) -> String {
        format!("{first12}{}", Cnp::control_digit(first12).unwrap())
    }

    #[test]
    fn valid_cnp_gives_birth_date_and_sex() {
        let c = Cnp::parse("1800101221144").unwrap();
        assert_eq!(c.birth_date(), NaiveDate::from_ymd_opt(1980, 1, 1));
        assert_eq!(c.sex(), Some(Sex::M));
        let girl = Cnp::parse(&with_control("615030440012")).unwrap();
        assert_eq!(girl.birth_date(), NaiveDate::from_ymd_opt(2015, 3, 4));
        assert_eq!(girl.sex(), Some(Sex::F));
        let old = Cnp::parse(&with_control("399123140001")).unwrap();
        assert_eq!(old.birth_date(), NaiveDate::from_ymd_opt(1899, 12, 31));
    }

    #[test]
    fn foreign_resident_has_no_derived_birth_date() {
        let c = Cnp::parse(&with_control("790010170001")).unwrap();
        assert_eq!(c.birth_date(), None);
        assert_eq!(c.sex(), Some(Sex::M));
        let nine = Cnp::parse(&with_control("990010170001")).unwrap();
        assert_eq!(nine.sex(), None);
        // 7/8/9 still need a real date (checked as 1900-1999): 29 Feb 1901 is not one.
        assert!(Cnp::parse(&with_control("901022970001")).is_err());
    }

    #[test]
    fn a_remainder_of_ten_gives_control_one() {
        // Search serial numbers until the weighted sum is 10 mod 11.
        let first12 = (0..1000)
            .map(|n| format!("180010122{n:03}"))
            .find(|s| s.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum::<u32>() % 11 == 10)
            .unwrap();
        assert!(Cnp::parse(&format!("{first12}1")).is_ok());
        assert!(Cnp::parse(&format!("{first12}0")).is_err());
    }

    #[test]
    fn each_kind_of_bad_cnp_is_named() {
        let msg = |s: &str| Cnp::parse(s).unwrap_err().to_string();
        assert!(msg("180010122114").contains("13 digits"));
        assert!(msg("18001012211a4").contains("only digits"));
        assert!(msg("1800101221145").contains("control digit"));
        assert!(msg(&with_control("180023022114")).contains("does not exist"), "30 Feb");
        assert!(msg(&with_control("180010149114")).contains("county"));
        assert!(msg(&with_control("180010100114")).contains("county"), "county 00");
        assert!(msg(&with_control("080010122114")).contains("cannot be 0"));
        for county in ["47", "48", "51", "52", "70", "80", "83"] {
            assert!(Cnp::parse(&with_control(&format!("1800101{county}114"))).is_ok(), "{county}");
        }
        for county in ["49", "50", "53", "69", "71", "79", "84", "99"] {
            assert!(Cnp::parse(&with_control(&format!("1800101{county}114"))).is_err(), "{county}");
        }
    }

    #[test]
    fn the_form_check_explains_and_derives() {
        let ok = check("1800101221144");
        assert!(ok.valid);
        assert_eq!(ok.birth_date.as_deref(), Some("1980-01-01"));
        assert_eq!(ok.sex, Some(Sex::M));
        let bad = check("1800101221145");
        assert!(!bad.valid);
        assert!(bad.problem.unwrap().contains("control digit"));
        assert!(!check("12345").problem.unwrap().contains("12345"), "the message never echoes the input");
    }

    #[test]
    fn masking_keeps_first_and_last_three() {
        assert_eq!(mask("1800101221144"), "180*******144");
        assert_eq!(format!("{:?}", Cnp::parse("1800101221144").unwrap()), "Cnp(180*******144)");
    }
}
