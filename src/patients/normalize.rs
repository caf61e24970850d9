//! Canonical forms used for validation and blind indexes.

use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};
use crate::rules::Rule;

/// E.164 form of a phone number. Romanian national numbers (`07xx xxx xxx`) and
/// the `0040` prefix become `+40...`; other countries need their `+` or `00` prefix.
pub fn phone(input: &str) -> Result<String> {
    let trimmed = input.trim();
    let mut digits = String::with_capacity(trimmed.len());
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '-' | '.' | '(' | ')' | '/' => {}
            _ => return Err(Error::InvalidPhone(Rule::PhoneCharacters)),
        }
    }
    let international = if trimmed.starts_with('+') {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_owned()
    } else if let Some(rest) = digits.strip_prefix('0') {
        if rest.len() != 9 {
            return Err(Error::InvalidPhone(Rule::PhoneRomanianLength));
        }
        format!("40{rest}")
    } else {
        return Err(Error::InvalidPhone(Rule::PhonePrefix));
    };
    if international.starts_with("40") && international.len() != 11 {
        return Err(Error::InvalidPhone(Rule::PhoneRomanianInternationalLength));
    }
    if !(8..=15).contains(&international.len()) || international.starts_with('0') {
        return Err(Error::InvalidPhone(Rule::PhoneInternationalLength));
    }
    Ok(format!("+{international}"))
}

/// Lower-cased, trimmed e-mail address, with a plausibility check.
pub fn email(input: &str) -> Result<String> {
    let e = input.trim().to_lowercase();
    let Some((local, domain)) = e.split_once('@') else {
        return Err(Error::InvalidEmail(Rule::EmailNoAt));
    };
    if local.is_empty() || domain.contains('@') {
        return Err(Error::InvalidEmail(Rule::EmailOneAt));
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Err(Error::InvalidEmail(Rule::EmailDomain));
    }
    if e.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::InvalidEmail(Rule::EmailSpaces));
    }
    Ok(e)
}

/// Search form of a name: diacritics removed, lower case, letters only
/// (`Ștefan-Ionuț` -> `stefanionut`).
pub fn fold_name(input: &str) -> String {
    input.nfd().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The words of a name in search form, for matching several typed words.
pub fn name_words(input: &str) -> Vec<String> {
    input.split(|c: char| c.is_whitespace() || c == '-').map(fold_name).filter(|w| !w.is_empty()).collect()
}

/// A name as stored: trimmed, inner whitespace collapsed, never empty.
/// Which name `display_name` checks (for its error messages).
#[derive(Debug, Clone, Copy)]
pub enum NamePart {
    First,
    Last,
}

/// A name with its inner spaces collapsed; required, at most 100 characters.
/// The longest first or last name, in characters.
const MAX_NAME_CHARS: usize = 100;

pub fn display_name(input: &str, part: NamePart) -> Result<String> {
    let n = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if n.is_empty() {
        return Err(match part {
            NamePart::First => Error::InvalidInput(Rule::FirstNameRequired),
            NamePart::Last => Error::InvalidInput(Rule::LastNameRequired),
        });
    }
    if n.chars().count() > MAX_NAME_CHARS {
        return Err(match part {
            NamePart::First => Error::InvalidInput(Rule::FirstNameTooLong { max: MAX_NAME_CHARS }),
            NamePart::Last => Error::InvalidInput(Rule::LastNameTooLong { max: MAX_NAME_CHARS }),
        });
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romanian_phone_forms_are_equal() {
        let want = "+40721234567";
        for typed in ["0721234567", "0721 234 567", "+40721234567", "+40 721-234-567", "0040721234567"] {
            assert_eq!(phone(typed).unwrap(), want, "{typed}");
        }
        assert_eq!(phone("+33 6 12 34 56 78").unwrap(), "+33612345678");
        assert_eq!(phone("072123456").unwrap_err().kind(), "input.invalid_phone");
        assert_eq!(phone("07212345x7").unwrap_err().kind(), "input.invalid_phone");
        assert_eq!(phone("721234567").unwrap_err().kind(), "input.invalid_phone");
    }

    #[test]
    fn email_is_case_folded_and_checked() {
        assert_eq!(email(" Ana.Pop@Example.RO ").unwrap(), "ana.pop@example.ro");
        for bad in ["ana", "@example.ro", "ana@example", "ana@@example.ro", "a na@example.ro"] {
            assert_eq!(email(bad).unwrap_err().kind(), "input.invalid_email", "{bad}");
        }
    }

    #[test]
    fn diacritics_fold_in_both_comma_and_cedilla_forms() {
        assert_eq!(fold_name("Ștefan"), "stefan");
        assert_eq!(fold_name("Ştefan"), "stefan", "cedilla form");
        assert_eq!(fold_name("Țîrlea-Ăâ"), "tirleaaa");
        assert_eq!(name_words("  Ana-Maria  Pop "), vec!["ana", "maria", "pop"]);
    }
}
