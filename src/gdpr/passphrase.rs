//! Generated passphrases for encrypted exports: 6 words drawn with the operating
//! system's random number generator from a list of 7776 (6^5) words in the cover
//! letter's language, joined by spaces (6 x log2(7776), about 77.5 bits). Easy to
//! read out over the phone and to type; the lists and their licences are in
//! `wordlists/README.md`.

use rand::Rng;
use rand::rngs::OsRng;
use zeroize::Zeroizing;

use crate::documents::Language;

/// Words in a generated passphrase.
pub const WORDS: usize = 6;
/// Words in each list (five dice).
pub const LIST_LEN: usize = 7776;

const EN: &str = include_str!("wordlists/en.txt");
const RO: &str = include_str!("wordlists/ro.txt");

/// The list a passphrase for a reader of `lang` is drawn from.
pub fn word_list(lang: Language) -> Vec<&'static str> {
    match lang {
        Language::En => EN,
        Language::Ro => RO,
    }
    .lines()
    .collect()
}

/// A new passphrase of [`WORDS`] words from `lang`'s list.
pub fn generate(lang: Language) -> Zeroizing<String> {
    let words = word_list(lang);
    let mut out = Zeroizing::new(String::new());
    for i in 0..WORDS {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(words[OsRng.gen_range(0..words.len())]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_list_has_7776_distinct_lowercase_words() {
        for lang in [Language::Ro, Language::En] {
            let words = word_list(lang);
            assert_eq!(words.len(), LIST_LEN, "{lang:?}: six to the power of five words");
            let distinct: std::collections::HashSet<_> = words.iter().collect();
            assert_eq!(distinct.len(), LIST_LEN, "{lang:?}: no word twice, else the entropy is less");
            for w in &words {
                assert!(
                    !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                    "{lang:?}: «{w}» is lowercase a-z (a hyphen at most), typed alike on any keyboard"
                );
            }
        }
    }

    #[test]
    fn a_generated_passphrase_is_six_words_of_the_language() {
        for lang in [Language::Ro, Language::En] {
            let list = word_list(lang);
            let p = generate(lang);
            let words: Vec<&str> = p.split(' ').collect();
            assert_eq!(words.len(), WORDS, "{lang:?}");
            assert!(words.iter().all(|w| list.contains(w)), "{lang:?}: every word from the list");
            assert_ne!(*p, *generate(lang), "two draws differ (a repeat has odds of 2^-77)");
        }
    }
}
