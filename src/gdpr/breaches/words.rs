//! What a breach's codes say in words, in either language: the categories of data
//! concerned and how the people affected were found. The register stores codes and
//! data; the letters and the screens word them for their reader.

use serde::{Deserialize, Serialize};

use super::AffectedScope;
use crate::documents::{Language, local_time};
use crate::error::{Error, Result};

/// A category of personal data a breach can concern. The register's field is free
/// text: these codes, comma-separated (as the CLI takes them), print as words; any
/// other text prints as it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum DataCategory {
    Identity,
    Contact,
    NationalId,
    Health,
    Images,
    Financial,
    Credentials,
}

impl DataCategory {
    pub const ALL: [DataCategory; 7] = [
        DataCategory::Identity,
        DataCategory::Contact,
        DataCategory::NationalId,
        DataCategory::Health,
        DataCategory::Images,
        DataCategory::Financial,
        DataCategory::Credentials,
    ];

    /// (code, Romanian, English).
    fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            DataCategory::Identity => {
                ("identity", "date de identificare (nume, data nașterii)", "identity (name, date of birth)")
            }
            DataCategory::Contact => (
                "contact",
                "date de contact (telefon, e-mail, adresă)",
                "contact details (phone, e-mail, address)",
            ),
            DataCategory::NationalId => {
                ("national_id", "codul numeric personal (CNP)", "the personal numeric code (CNP)")
            }
            DataCategory::Health => (
                "health",
                "date medicale (fișa dentară, istoric medical, note)",
                "health data (dental chart, medical history, notes)",
            ),
            DataCategory::Images => {
                ("images", "radiografii și fotografii clinice", "X-rays and clinical photographs")
            }
            DataCategory::Financial => {
                ("financial", "date financiare (facturi, plăți)", "financial data (invoices, payments)")
            }
            DataCategory::Credentials => {
                ("credentials", "parole și chei de acces", "passwords and access keys")
            }
        }
    }

    pub fn code(self) -> &'static str {
        self.words().0
    }

    pub fn name(self, lang: Language) -> &'static str {
        let (_, ro, en) = self.words();
        match lang {
            Language::Ro => ro,
            Language::En => en,
        }
    }

    pub fn parse(code: &str) -> Option<DataCategory> {
        DataCategory::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A category's code and its words, as the UI gets them (`DATA_CATEGORIES`).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CategoryWording {
    pub code: DataCategory,
    pub en: &'static str,
    pub ro: &'static str,
}

impl DataCategory {
    /// Every category with its words, in order.
    pub fn wordings() -> Vec<CategoryWording> {
        DataCategory::ALL
            .into_iter()
            .map(|code| CategoryWording { code, en: code.name(Language::En), ro: code.name(Language::Ro) })
            .collect()
    }
}

/// The register's categories as words: each known code in `lang`, anything else as written.
pub fn category_words(text: &str, lang: Language) -> String {
    let parts: Vec<&str> = text.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    if !parts.iter().any(|p| DataCategory::parse(p).is_some()) {
        return text.trim().to_owned();
    }
    parts.iter().map(|p| DataCategory::parse(p).map_or(*p, |c| c.name(lang))).collect::<Vec<_>>().join("; ")
}

impl AffectedScope {
    /// How the people were found, as a sentence part in `lang`.
    pub fn words(&self, lang: Language) -> String {
        match (self, lang) {
            (AffectedScope::Staff { username, from, to }, Language::Ro) => format!(
                "persoanele ale căror date au fost citite sau modificate de contul {username} între {} și {}",
                local_time(from),
                local_time(to)
            ),
            (AffectedScope::Staff { username, from, to }, Language::En) => format!(
                "the people whose data the staff account {username} read or changed between {} and {}",
                local_time(from),
                local_time(to)
            ),
            (AffectedScope::Workstation { name, from, to }, Language::Ro) => format!(
                "persoanele ale căror date au fost citite sau modificate la stația {name} între {} și {}",
                local_time(from),
                local_time(to)
            ),
            (AffectedScope::Workstation { name, from, to }, Language::En) => format!(
                "the people whose data was read or changed at the workstation {name} between {} and {}",
                local_time(from),
                local_time(to)
            ),
            (AffectedScope::AllPatients, Language::Ro) => {
                "toți pacienții înregistrați (o copie de siguranță pierdută, o bază de date copiată)".into()
            }
            (AffectedScope::AllPatients, Language::En) => {
                "every patient on record (a lost backup, a copied database)".into()
            }
        }
    }

    /// As the register keeps it: the search itself, as JSON.
    pub(crate) fn stored(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Internal(e.to_string()))
    }

    /// The search a register row names: JSON, or the English sentence releases before
    /// 2026-12 wrote (`staff account {u}, {from} to {to}`, ...), read back into data.
    pub(crate) fn from_stored(text: &str) -> Result<AffectedScope> {
        if let Ok(scope) = serde_json::from_str(text) {
            return Ok(scope);
        }
        let window = |rest: &str| {
            let (who, period) = rest.rsplit_once(", ")?;
            let (from, to) = period.split_once(" to ")?;
            Some((who.to_owned(), from.to_owned(), to.to_owned()))
        };
        let legacy = if text == "every patient on record (lost backup)" {
            Some(AffectedScope::AllPatients)
        } else if let Some(rest) = text.strip_prefix("staff account ") {
            window(rest).map(|(username, from, to)| AffectedScope::Staff { username, from, to })
        } else if let Some(rest) = text.strip_prefix("workstation ") {
            window(rest).map(|(name, from, to)| AffectedScope::Workstation { name, from, to })
        } else {
            None
        };
        legacy
            .ok_or_else(|| Error::Tampered("a breach's search for the people affected is unreadable".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_print_as_words_and_free_text_as_written() {
        assert_eq!(
            category_words("contact,health", Language::En),
            "contact details (phone, e-mail, address); health data (dental chart, medical history, notes)"
        );
        assert_eq!(
            category_words(" contact , national_id", Language::Ro),
            "date de contact (telefon, e-mail, adresă); codul numeric personal (CNP)"
        );
        assert_eq!(
            category_words("date de identificare, de contact", Language::Ro),
            "date de identificare, de contact"
        );
        for c in DataCategory::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.code(), "the code is the serialised name");
        }
    }

    #[test]
    fn a_search_is_stored_as_data_and_the_old_sentences_still_read() {
        let scope = AffectedScope::Staff {
            username: "ana".into(),
            from: "2026-11-20T08:00:00Z".into(),
            to: "2026-11-21T08:00:00Z".into(),
        };
        assert_eq!(AffectedScope::from_stored(&scope.stored().unwrap()).unwrap(), scope);
        let old = "staff account ana, 2026-11-20T08:00:00Z to 2026-11-21T08:00:00Z";
        assert_eq!(AffectedScope::from_stored(old).unwrap(), scope);
        let old = "workstation recepție, 2026-11-20T08:00:00Z to 2026-11-21T08:00:00Z";
        assert!(
            matches!(AffectedScope::from_stored(old).unwrap(), AffectedScope::Workstation { name, .. } if name == "recepție")
        );
        assert_eq!(
            AffectedScope::from_stored("every patient on record (lost backup)").unwrap(),
            AffectedScope::AllPatients
        );
        assert_eq!(AffectedScope::from_stored("nonsense").unwrap_err().kind(), "integrity.tampered");
        assert_eq!(
            scope.words(Language::Ro),
            "persoanele ale căror date au fost citite sau modificate de contul ana între 20.11.2026 10:00 (UTC+02:00) și 21.11.2026 10:00 (UTC+02:00)"
        );
    }
}
