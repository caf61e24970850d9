//! Printable documents: A4 PDFs laid out by [`Document`] and written with printpdf,
//! with the DejaVu fonts embedded (subset) so Romanian diacritics print, copy and
//! search correctly, and the frame every letter shares (`letter`: sender,
//! recipient, date). The letters themselves live beside their features (the
//! request letters in `gdpr::requests::letters`, the breach notices in
//! `gdpr::breaches::letters`, the treatment plan in `clinical::plans::letter`,
//! the recovery-key sheet in `clinic`), each a function that fills a `Document`.
//!
//! Documents carry personal data and secrets: the types here never print their
//! text in `Debug`, and errors name what failed, never what was being written.

mod fonts;
mod layout;
mod letter;

use chrono::{Datelike, NaiveDate};

pub use layout::{Document, Margins, Span};
pub use letter::Recipient;
pub(crate) use letter::{AUTHORITY_EN, AUTHORITY_RO, letter};

/// The language a document is written in: the clinic's and the patient's `Language`.
pub use crate::admin::settings::Language;

impl Language {
    /// The footer of page `page` (counted from 1) of `total`: "pagina 2 din 3", "page 2 of 3".
    pub fn page_footer(self, page: usize, total: usize) -> String {
        match self {
            Language::Ro => format!("pagina {page} din {total}"),
            Language::En => format!("page {page} of {total}"),
        }
    }

    /// A date with the month spelled out, so no reader mistakes day for month:
    /// "5 noiembrie 2026", "5 November 2026".
    pub fn long_date(self, date: NaiveDate) -> String {
        const RO: [&str; 12] = [
            "ianuarie",
            "februarie",
            "martie",
            "aprilie",
            "mai",
            "iunie",
            "iulie",
            "august",
            "septembrie",
            "octombrie",
            "noiembrie",
            "decembrie",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let months = match self {
            Language::Ro => &RO,
            Language::En => &EN,
        };
        // month0() is 0..=11 by construction.
        let month = months[date.month0() as usize];
        format!("{} {month} {}", date.day(), date.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footers_and_dates_read_naturally_in_both_languages() {
        assert_eq!(Language::Ro.page_footer(2, 3), "pagina 2 din 3");
        assert_eq!(Language::En.page_footer(1, 1), "page 1 of 1");
        let date = NaiveDate::from_ymd_opt(2026, 11, 5).expect("valid date");
        assert_eq!(Language::Ro.long_date(date), "5 noiembrie 2026");
        assert_eq!(Language::En.long_date(date), "5 November 2026");
    }
}
