//! The features the kernel ([`crate::clinic`]) calls back: a new feature that
//! keeps keys under the clinic key, or writes defaults at set-up, adds itself here.

use crate::clinic::hooks::{KeyHolder, Seed};

/// Re-wrapped, in this order, when the clinic key is rotated.
pub(crate) static KEY_HOLDERS: &[&dyn KeyHolder] =
    &[&crate::patients::PatientKeys, &crate::gdpr::erasure::RetentionKeys];

/// Run, in this order, in the set-up transaction.
pub(crate) static SEEDS: &[&dyn Seed] = &[&crate::gdpr::article30::DefaultActivities];
