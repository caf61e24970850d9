//! The leak scan, run last (`scripts/test.sh` runs it after the whole suite):
//! every test's TRACE log, the library's and the CLI's, went to one file; no
//! test patient's personal data and no test password may appear in it.
//!
//! A separate test target so it runs after `tests/it` and the CLI's tests (`cli/tests`)
//! have written the file.

#![allow(clippy::unwrap_used)]

#[path = "it/support.rs"]
#[allow(dead_code, unused_macros, unused_imports)]
mod support;

use std::collections::{HashMap, HashSet};

use cuspid::patients::normalize;

use support::synthetic::{self, FIRST_NAMES, LAST_NAMES, MANIFEST_TAG};
use support::{ADMIN_PASSWORD, PEOPLE, STAFF_PASSWORD, log_file};

/// A whole suite writes megabytes; less means the logs did not reach the file.
const MIN_LOG_BYTES: u64 = 64 * 1024;
/// Stop listing after this many findings (the count is still given).
const MAX_LISTED: usize = 40;

// ---- the durability test's synthetic patients ----------------------------------

/// The count of every durability run recorded in the log.
fn manifests(log: &str) -> Vec<u64> {
    log.lines()
        .filter_map(|l| l.strip_prefix(MANIFEST_TAG))
        .map(|rest| {
            rest.split_whitespace()
                .find_map(|w| w.strip_prefix("count="))
                .expect("the durability manifest line has count=")
                .parse()
                .expect("the manifest count is a number")
        })
        .collect()
}

/// The synthetic CNPs the durability runs sent.
fn durability_cnps(log: &str) -> HashSet<String> {
    let runs = manifests(log);
    assert!(
        !runs.is_empty(),
        "no durability manifest in {}: run the whole suite (tests/it, cli/tests) before the scan, \
         so the CNPs the durability test sent are searched too",
        log_file().display()
    );
    (0..runs.into_iter().max().unwrap_or(0)).map(synthetic::cnp).collect()
}

// ---- what must not appear -------------------------------------------------------

/// A string that must not appear, and what it is (the message names the kind,
/// never the string).
struct Needle {
    kind: String,
    text: String,
}

fn needles() -> Vec<Needle> {
    let mut v = Vec::new();
    let mut push = |kind: String, text: String| {
        if !text.is_empty() && !v.iter().any(|n: &Needle| n.text == text) {
            v.push(Needle { kind, text });
        }
    };
    for (i, p) in PEOPLE.iter().enumerate() {
        let who = format!("PEOPLE[{i}]");
        push(format!("{who} first name"), p.first.into());
        push(format!("{who} last name"), p.last.into());
        push(format!("{who} last name in search form"), normalize::fold_name(p.last));
        if p.first.chars().count() >= 5 {
            push(format!("{who} first name in search form"), normalize::fold_name(p.first));
        }
        push(format!("{who} e-mail"), p.email.into());
        push(format!("{who} street address"), p.address.split(',').next().unwrap_or_default().into());
        push(format!("{who} phone as typed"), p.phone.into());
        let e164 = normalize::phone(p.phone).expect("test phones are valid");
        push(format!("{who} phone in E.164 form"), e164.clone());
        push(format!("{who} phone in E.164 form without +"), e164.trim_start_matches('+').into());
        push(format!("{who} phone, last 9 digits"), e164[e164.len() - 9..].into());
        if let Some(cnp) = p.cnp {
            push(format!("{who} CNP"), cnp.into());
        }
        // Whatever the harness declares secret, even if not listed above.
        for (k, s) in p.secrets().into_iter().enumerate() {
            push(format!("{who} secret #{k} of Person::secrets()"), s);
        }
    }
    push("the admin test password".into(), ADMIN_PASSWORD.into());
    push("the staff test password".into(), STAFF_PASSWORD.into());
    for name in FIRST_NAMES {
        push("a durability test first name".into(), name.into());
    }
    for name in LAST_NAMES {
        push("a durability test last name".into(), name.into());
        push("a durability test last name in search form".into(), normalize::fold_name(name));
    }
    v
}

/// `(offset, window)` for every 13 digits in a row in `log` (each window of a
/// longer run of digits too).
fn thirteen_digit_windows(log: &str) -> Vec<(usize, &str)> {
    let bytes = log.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().chain(std::iter::once(&b' ')).enumerate() {
        if b.is_ascii_digit() {
            continue;
        }
        if i - start >= 13 {
            out.extend((start..=i - 13).map(|w| (w, &log[w..w + 13])));
        }
        start = i + 1;
    }
    out
}

#[test]
fn the_test_logs_hold_no_personal_data_and_no_password() {
    let path = log_file();
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("the test log {} must exist after the suite ran ({e})", path.display()));
    assert!(
        bytes.len() as u64 >= MIN_LOG_BYTES,
        "the test log {} has {} bytes: the suite's TRACE logs did not reach it, so the scan would prove nothing",
        path.display(),
        bytes.len()
    );
    let log = String::from_utf8_lossy(&bytes);
    assert!(
        log.contains("patient registered"),
        "the log holds the core's own events (a registration at least), not only driver noise"
    );

    let needles = needles();
    let synthetic = durability_cnps(&log);
    let mut findings: Vec<(usize, &str)> = Vec::new();
    // Byte offset of each line start, to turn a match offset into a line number.
    let line_starts: Vec<usize> =
        std::iter::once(0).chain(log.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let line_of = |offset: usize| line_starts.partition_point(|&start| start <= offset);
    let manifest_lines: HashSet<usize> = log.match_indices(MANIFEST_TAG).map(|(i, _)| line_of(i)).collect();
    for needle in &needles {
        for (offset, _) in log.match_indices(needle.text.as_str()) {
            findings.push((line_of(offset), needle.kind.as_str()));
        }
    }
    for (offset, window) in thirteen_digit_windows(&log) {
        let line = line_of(offset);
        if synthetic.contains(window) && !manifest_lines.contains(&line) {
            findings.push((line, "a CNP sent by the durability test"));
        }
    }
    findings.sort();
    let mut per_kind: HashMap<&str, usize> = HashMap::new();
    for (_, kind) in &findings {
        *per_kind.entry(kind).or_default() += 1;
    }
    let listed: Vec<String> =
        findings.iter().take(MAX_LISTED).map(|(line, kind)| format!("line {line}: {kind}")).collect();
    assert!(
        findings.is_empty(),
        "personal data or a password in clear in {} ({} findings; by kind: {per_kind:?}):\n{}",
        path.display(),
        findings.len(),
        listed.join("\n")
    );
}
