//! The front door's table of contents. The kernel's own use cases (set-up, sign-in,
//! sessions, keys, the audit log) are methods of [`Clinic`]; every feature's use
//! cases sit behind the handle of its domain, so a call reads as where it lives:
//! `clinic.patients().patients().register_patient(..)`, `clinic.clinical().clinical().import_xray(..)`,
//! `clinic.gdpr().gdpr().erase_patient(..)`, `clinic.admin().admin().add_staff(..)`.
//!
//! A handle is a borrowed `Clinic` and derefs to it: a use case checks the permit,
//! opens its unit of work and audits exactly as a method of `Clinic` would.

use std::ops::Deref;

use super::Clinic;

macro_rules! handles {
    ($($(#[$doc:meta])* $method:ident -> $handle:ident;)+) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $handle<'c>(&'c Clinic);

            impl Deref for $handle<'_> {
                type Target = Clinic;

                fn deref(&self) -> &Clinic {
                    self.0
                }
            }
        )+

        impl Clinic {
            $(
                $(#[$doc])*
                pub fn $method(&self) -> $handle<'_> {
                    $handle(self)
                }
            )+
        }
    };
}

handles! {
    /// The patient registry (`patients/`): registration, import, search, duplicates,
    /// rectification and its trail; consent, privacy notices and guardians (`consent/`).
    patients -> Patients;
    /// The clinical record (`clinical/`): the tooth chart and the procedure
    /// catalogue, medical history and alerts, notes, perio exams, X-rays, treatment plans.
    clinical -> Clinical;
    /// The GDPR office (`gdpr/`): subject requests, restriction, retention and its
    /// job, the Article 30 register, breaches, the access export, erasure.
    gdpr -> Gdpr;
    /// The clinic's administration (`admin/`): staff accounts, settings, the
    /// clinic's profile.
    admin -> Admin;
}
