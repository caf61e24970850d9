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

/// UTC+02:00 and UTC+03:00, checked when compiled.
const fn east_hours(hours: i32) -> chrono::FixedOffset {
    match chrono::FixedOffset::east_opt(hours * 3600) {
        Some(offset) => offset,
        None => panic!("an offset within a day"),
    }
}
const EET: chrono::FixedOffset = east_hours(2);
const EEST: chrono::FixedOffset = east_hours(3);

/// Romania's civil time at `at`: EET (UTC+02:00), or EEST (UTC+03:00) from 01:00 UTC on
/// the last Sunday of March to 01:00 UTC on the last Sunday of October (the EU rule,
/// Directive 2000/84/EC), whatever the workstation's own time zone.
pub fn romanian_time(at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::FixedOffset> {
    use chrono::Weekday;
    // 01:00 UTC on the last Sunday of `month` (March or October) of `at`'s year.
    let change = |month: u32| {
        let mut day = NaiveDate::from_ymd_opt(at.year(), month, 31).unwrap_or(NaiveDate::MIN);
        while day.weekday() != Weekday::Sun {
            day = day.pred_opt().unwrap_or(NaiveDate::MIN);
        }
        day.and_time(chrono::NaiveTime::MIN + chrono::TimeDelta::hours(1)).and_utc()
    };
    let summer = at >= change(3) && at < change(10);
    at.with_timezone(if summer { &EEST } else { &EET })
}

/// An instant as a Romanian reader writes it, in Romanian civil time with its offset:
/// "02.12.2026 01:01 (UTC+02:00)"; text that is not RFC 3339 is given back as it is.
pub fn local_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| romanian_time(t.with_timezone(&chrono::Utc)).format("%d.%m.%Y %H:%M (UTC%:z)").to_string())
        .unwrap_or_else(|_| at.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_in_romanian_civil_time_with_their_offset() {
        for (utc, local) in [
            ("2026-12-01T23:01:00Z", "02.12.2026 01:01 (UTC+02:00)"),
            ("2026-07-15T09:30:00Z", "15.07.2026 12:30 (UTC+03:00)"),
            // 2026's changes: 29 March and 25 October, at 01:00 UTC.
            ("2026-03-29T00:59:00Z", "29.03.2026 02:59 (UTC+02:00)"),
            ("2026-03-29T01:00:00Z", "29.03.2026 04:00 (UTC+03:00)"),
            ("2026-10-25T00:59:00Z", "25.10.2026 03:59 (UTC+03:00)"),
            ("2026-10-25T01:00:00Z", "25.10.2026 03:00 (UTC+02:00)"),
            ("2026-11-25T14:03:00+02:00", "25.11.2026 14:03 (UTC+02:00)"),
        ] {
            assert_eq!(local_time(utc), local, "{utc}");
        }
        assert_eq!(local_time("not a time"), "not a time");
    }

    #[test]
    fn footers_and_dates_read_naturally_in_both_languages() {
        assert_eq!(Language::Ro.page_footer(2, 3), "pagina 2 din 3");
        assert_eq!(Language::En.page_footer(1, 1), "page 1 of 1");
        let date = NaiveDate::from_ymd_opt(2026, 11, 5).expect("valid date");
        assert_eq!(Language::Ro.long_date(date), "5 noiembrie 2026");
        assert_eq!(Language::En.long_date(date), "5 November 2026");
    }
}
