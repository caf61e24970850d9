//! `Debug` for values that hold opened personal data: the type's name, the fields
//! that say nothing about the person (ids, versions, statuses, counts) and
//! `<redacted>` for every other one, so a `{:?}` in a log line, a panic message or
//! an error report never shows a name, a CNP or a health detail.

use std::fmt;

/// Stands in for a personal value in `Debug` output.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `impl Debug` for a struct: the fields after `shown` as they are, the ones after
/// `redacted` as `<redacted>`. Every field must be named in one list or the other, so
/// a field added later does not compile until someone decides which it is.
macro_rules! redacted_debug {
    ($ty:ident { shown: [$($shown:ident),* $(,)?], redacted: [$($hidden:ident),* $(,)?] $(,)? }) => {
        impl ::std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let $ty { $($shown,)* $($hidden: _,)* } = self;
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($shown), $shown))*
                    $(.field(stringify!($hidden), &$crate::redact::Redacted))*
                    .finish()
            }
        }
    };
}

pub(crate) use redacted_debug;

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use crate::patients::{
        NewPatient, PatientChanges, PatientDto, PatientFields, PatientQuery, PatientSummary,
    };

    const NAME: &str = "Ștefănescu";
    const CNP: &str = "1960523400012";
    const PHONE: &str = "+40722123456";
    const NOTE: &str = "alergie la penicilină";

    fn fields() -> PatientFields {
        PatientFields {
            first_name: NAME.into(),
            last_name: NAME.into(),
            cnp: Some(CNP.into()),
            phone: Some(PHONE.into()),
            email: Some("ana@example.ro".into()),
            address: Some(NOTE.into()),
            emergency_contact: Some(PHONE.into()),
            ..PatientFields::default()
        }
    }

    #[test]
    fn debug_of_opened_personal_data_shows_none_of_it() {
        let id = Uuid::from_u128(7);
        let f = fields();
        let values: Vec<(&str, Box<dyn std::fmt::Debug>)> = vec![
            ("PatientFields", Box::new(f.clone())),
            (
                "NewPatient",
                Box::new(NewPatient {
                    first_name: NAME.into(),
                    last_name: NAME.into(),
                    cnp: Some(CNP.into()),
                    phone: Some(PHONE.into()),
                    guardian: Some(crate::consent::GuardianInput {
                        patient_id: id,
                        relationship: NAME.into(),
                    }),
                    ..NewPatient::default()
                }),
            ),
            (
                "PatientChanges",
                Box::new(PatientChanges {
                    last_name: Some(NAME.into()),
                    cnp: Some(CNP.into()),
                    phone: Some(PHONE.into()),
                    ..PatientChanges::default()
                }),
            ),
            (
                "PatientDto",
                Box::new(PatientDto {
                    id,
                    fields: f.clone(),
                    cnp_masked: Some(CNP.into()),
                    restriction: crate::gdpr::restriction::Restriction::None,
                    status: crate::patients::PatientStatus::Active,
                    created_at: String::new(),
                    updated_at: String::new(),
                    version: 3,
                }),
            ),
            (
                "PatientSummary",
                Box::new(PatientSummary::from_fields(id, &f, crate::gdpr::restriction::Restriction::None)),
            ),
            ("PatientQuery", Box::new(PatientQuery::Cnp(CNP.into()))),
            (
                "GuardianDto",
                Box::new(crate::consent::GuardianDto {
                    guardian_id: id,
                    display_name: NAME.into(),
                    relationship: PHONE.into(),
                }),
            ),
            (
                "NewNote",
                Box::new(crate::clinical::notes::NewNote {
                    date: "2026-01-01".into(),
                    text: NOTE.into(),
                    template: None,
                    amends: Some(id),
                    reason: Some(NAME.into()),
                }),
            ),
            (
                "Stored",
                Box::new(crate::clinical::Stored {
                    id,
                    date: "2026-01-01".into(),
                    follows: None,
                    recorded_by: NAME.into(),
                    recorded_at: String::new(),
                    content: NOTE.to_owned(),
                }),
            ),
            (
                "DicomInfo",
                Box::new(crate::clinical::imaging::DicomInfo {
                    patient_name: Some(NAME.into()),
                    patient_id: Some(CNP.into()),
                    study_date: None,
                    modality: Some("IO".into()),
                }),
            ),
        ];
        for (ty, v) in values {
            for shown in [format!("{v:?}"), format!("{v:#?}")] {
                assert!(shown.contains("<redacted>"), "{ty}: {shown}");
                for secret in [NAME, CNP, PHONE, NOTE, "ana@example.ro"] {
                    assert!(!shown.contains(secret), "{ty} shows a personal value: {shown}");
                }
            }
        }
    }

    #[test]
    fn debug_still_shows_ids_and_statuses() {
        let dto = PatientDto {
            id: Uuid::from_u128(7),
            fields: fields(),
            cnp_masked: None,
            restriction: crate::gdpr::restriction::Restriction::Restricted,
            status: crate::patients::PatientStatus::Closing,
            created_at: String::new(),
            updated_at: String::new(),
            version: 3,
        };
        let shown = format!("{dto:?}");
        assert!(shown.starts_with("PatientDto {"), "{shown}");
        for part in [&Uuid::from_u128(7).to_string()[..], "restricted", "closing", "version: 3"] {
            assert!(shown.contains(part), "{shown}");
        }
    }
}
