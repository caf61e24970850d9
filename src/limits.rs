//! The input limits the core enforces, in one place so the UI checks the same ones
//! before sending (exported to TypeScript as `LIMITS`). Text lengths count Unicode
//! scalar values (`chars`), as the UI's `charCount` does, never UTF-16 units.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Limits {
    /// A staff password's least length.
    pub min_password_chars: usize,
    /// A workstation PIN: digits only, between these counts.
    pub min_pin_digits: usize,
    pub max_pin_digits: usize,
    /// The least length of a typed passphrase for an encrypted export.
    pub min_passphrase_chars: usize,
}

impl Limits {
    pub const CURRENT: Limits = Limits {
        min_password_chars: crate::clinic::MIN_PASSWORD_CHARS,
        min_pin_digits: crate::auth::workstation::MIN_PIN_DIGITS,
        max_pin_digits: crate::auth::workstation::MAX_PIN_DIGITS,
        min_passphrase_chars: crate::gdpr::export::MIN_PASSPHRASE_CHARS,
    };
}
