//! sea-orm entities, one module per table. Columns holding personal data are
//! [`Sealed<T>`](crate::crypto::Sealed) values, each with its typed address declared
//! beside its table by `sealed_columns!`; `FieldCipher::seal` and `open` are the only
//! way in or out.

/// A table's sealed columns as typed addresses (`crypto::Column<T>`): the only way the
/// code names where a sealed value lives. Each `NAME: T = field` compiles only when
/// the table's `Model` has `field` holding a `Sealed<T>` (or an optional one), so a
/// misspelt or mistyped address does not compile; `TABLE` is checked against the
/// entity's table name by a test. `field as "name"`: a column whose values were first
/// sealed under another name keeps that name in its associated data (a frozen format).
macro_rules! sealed_columns {
    (@name $field:ident) => {
        stringify!($field)
    };
    (@name $field:ident $address:literal) => {
        $address
    };
    ($table:literal { $($name:ident: $t:ty = $field:ident $(as $address:literal)?),* $(,)? }) => {
        pub const TABLE: &str = $table;
        $(
            #[doc = concat!("`", $table, ".", stringify!($field), "`, sealed.")]
            pub const $name: crate::crypto::Column<$t> =
                crate::crypto::Column::new($table, sealed_columns!(@name $field $($address)?));
        )*
        const _: fn(&Model) = |m| {
            $(crate::crypto::holds_sealed::<$t>(&m.$field);)*
        };
    };
}

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}
        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub mod clinic_meta {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "clinic_meta")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub magic: String,
        pub clinic_id: Uuid,
        pub name: String,
        pub kek_id: Uuid,
        pub kek_check: Vec<u8>,
        pub index_key_wrapped: Vec<u8>,
        pub audit_key_wrapped: Vec<u8>,
        pub sealing: String,
        pub created_at: i64,
        /// The blind indexes' format (see the migration that added it).
        pub index_version: i32,
        /// 1 once staff rows and key slots carry their MACs.
        pub row_macs: i32,
        /// The audit checkpoints' key (none: the audit key, until the first rotation).
        pub checkpoint_key_id: Option<Uuid>,
        pub checkpoint_key_wrapped: Option<Vec<u8>>,
        /// The key before the last rotation (nil id: the audit key), good only for
        /// checkpoints up to `checkpoint_rotated_seq`, the log's head at the rotation.
        pub checkpoint_prev_id: Option<Uuid>,
        pub checkpoint_prev_wrapped: Option<Vec<u8>>,
        pub checkpoint_rotated_seq: Option<i64>,
        /// 1 once sealed values are bound to their rows' plain columns (format 2).
        pub bound_columns: i32,
    }
    no_relations!();
}

pub mod staff {
    use sea_orm::entity::prelude::*;

    use crate::crypto::Sealed;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub username: String,
        pub role: String,
        pub active: bool,
        pub failed_attempts: i32,
        pub locked_until: Option<i64>,
        pub last_login_at: Option<i64>,
        pub created_at: i64,
        /// The TOTP secret, sealed under the clinic's MFA key; NULL: not enrolled.
        pub totp_sealed: Option<Sealed<Vec<u8>>>,
        /// The last TOTP time step accepted: a code is accepted once.
        pub totp_last_step: Option<i64>,
        /// HMAC of id, user name, role and active flag (`integrity::staff_mac`).
        pub row_mac: Option<Vec<u8>>,
    }

    sealed_columns!("staff" {
        TOTP: Vec<u8> = totp_sealed,
    });
    no_relations!();
}

pub mod staff_recovery_code {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff_recovery_code")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub staff_id: Uuid,
        /// HMAC-SHA256 of the code under the MFA key: the code itself is shown once.
        pub code_mac: Vec<u8>,
        pub used_at: Option<i64>,
    }
    no_relations!();
}

pub mod key_slot {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "key_slot")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub kind: String,
        pub staff_id: Option<Uuid>,
        pub kek_id: Uuid,
        pub m_kib: i32,
        pub t_cost: i32,
        pub p_cost: i32,
        pub salt: Vec<u8>,
        pub wrapped: Vec<u8>,
        pub created_at: i64,
        /// The workstation a `workstation` slot belongs to; NULL for other kinds.
        pub workstation: Option<String>,
        /// HMAC of the slot's id, kind, owner and workstation (`integrity::slot_mac`).
        pub owner_mac: Option<Vec<u8>>,
    }
    no_relations!();
}

pub mod patient {
    use sea_orm::entity::prelude::*;

    use crate::crypto::Sealed;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "patient")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub kek_id: Uuid,
        pub dek_gen: i32,
        pub dek_wrapped: Vec<u8>,
        pub first_name: Sealed<String>,
        pub last_name: Sealed<String>,
        pub cnp: Option<Sealed<String>>,
        pub birth_date: Option<Sealed<String>>,
        pub sex: Option<Sealed<String>>,
        pub phone: Option<Sealed<String>>,
        pub email: Option<Sealed<String>>,
        pub address: Option<Sealed<String>>,
        pub emergency_contact: Option<Sealed<String>>,
        /// `ro` or `en`, sealed: the language letters to this patient are written in.
        pub language: Option<Sealed<String>>,
        pub bidx_cnp: Option<i64>,
        pub bidx_phone: Option<i64>,
        pub bidx_email: Option<i64>,
        pub bidx_first3: Option<i64>,
        pub bidx_first5: Option<i64>,
        pub bidx_last3: Option<i64>,
        pub bidx_last5: Option<i64>,
        pub restriction: String,
        pub created_at: i64,
        pub updated_at: i64,
        pub version: i32,
        /// `active`, or `closing` once health-data consent is withdrawn.
        pub status: String,
    }

    sealed_columns!("patient" {
        FIRST_NAME: String = first_name,
        LAST_NAME: String = last_name,
        CNP: String = cnp,
        BIRTH_DATE: String = birth_date,
        SEX: String = sex,
        PHONE: String = phone,
        EMAIL: String = email,
        ADDRESS: String = address,
        EMERGENCY_CONTACT: String = emergency_contact,
        LANGUAGE: String = language,
    });
    no_relations!();
}

pub mod patient_history {
    use sea_orm::entity::prelude::*;

    use crate::crypto::Sealed;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "patient_history")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub patient_id: Uuid,
        pub changed_at: i64,
        pub changed_by: Uuid,
        pub reason: Sealed<String>,
        pub previous: Sealed<Vec<u8>>,
        /// The rectification request this edit answered, if any.
        pub request_id: Option<Uuid>,
    }

    sealed_columns!("patient_history" {
        REASON: String = reason,
        PREVIOUS: Vec<u8> = previous,
    });
    no_relations!();
}

pub mod audit_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_event")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        pub at: i64,
        pub actor_id: Option<Uuid>,
        pub actor: String,
        pub role: String,
        pub workstation: String,
        pub action: String,
        pub entity_type: String,
        pub entity_id: Option<String>,
        pub subject_id: Option<Uuid>,
        pub purpose: String,
        pub outcome: String,
        pub prev_hash: Vec<u8>,
        pub hash: Vec<u8>,
    }
    no_relations!();
}

pub mod audit_head {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_head")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub seq: i64,
        pub hash: Vec<u8>,
    }
    no_relations!();
}

pub mod privacy_notice {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "privacy_notice")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub version: String,
        pub text_ro: String,
        pub text_en: String,
        pub published_at: i64,
        pub published_by: Uuid,
    }
    no_relations!();
}

pub mod consent {
    use sea_orm::entity::prelude::*;

    use crate::crypto::Sealed;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "consent")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub patient_id: Uuid,
        pub kind: String,
        pub granted: bool,
        pub method: String,
        /// The guardian who gave it for a minor (a patient id), if not the patient.
        pub given_by: Option<Uuid>,
        pub notice_version: Option<String>,
        /// The exact text shown, sealed under the patient's data key.
        pub text_shown: Sealed<String>,
        pub recorded_by: Uuid,
        pub workstation: String,
        pub at: i64,
    }

    sealed_columns!("consent" {
        TEXT_SHOWN: String = text_shown,
    });
    no_relations!();
}

pub mod patient_guardian {
    use sea_orm::entity::prelude::*;

    use crate::crypto::Sealed;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "patient_guardian")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub patient_id: Uuid,
        pub guardian_id: Uuid,
        /// "mother", "legal guardian", ... sealed under the child's data key.
        pub relationship: Sealed<String>,
        pub created_at: i64,
    }

    sealed_columns!("patient_guardian" {
        RELATIONSHIP: String = relationship,
    });
    no_relations!();
}

pub mod setting {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "setting")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub value: String,
        pub updated_at: i64,
        pub updated_by: Uuid,
    }
    no_relations!();
}

pub mod clinic_profile {
    use sea_orm::entity::prelude::*;

    use crate::crypto::Sealed;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "clinic_profile")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub address: String,
        pub fiscal_code: String,
        pub registry_number: Option<String>,
        pub operating_permit: Option<String>,
        pub phone: Option<String>,
        pub email: Option<String>,
        /// `DpoContact` as JSON, sealed.
        pub dpo_sealed: Sealed<Vec<u8>>,
        pub updated_at: i64,
        pub updated_by: Uuid,
    }

    sealed_columns!("clinic_profile" {
        DPO: Vec<u8> = dpo_sealed as "dpo",
    });
    no_relations!();
}

pub mod subject_request {
    use sea_orm::entity::prelude::*;

    use crate::crypto::Sealed;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "subject_request")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub patient_id: Uuid,
        pub kind: String,
        /// `YYYY-MM-DD`.
        pub received_on: String,
        pub due_on: String,
        pub extended_to: Option<String>,
        pub via_guardian: Option<Uuid>,
        /// How the person's identity was checked (sealed with the patient's key).
        pub identity_check: Sealed<String>,
        pub identity_checked_by: Uuid,
        pub extension_reason: Option<Sealed<String>>,
        pub outcome: Option<String>,
        pub outcome_note: Option<Sealed<String>>,
        pub closed_on: Option<String>,
        pub created_at: i64,
        pub created_by: Uuid,
    }

    sealed_columns!("subject_request" {
        IDENTITY_CHECK: String = identity_check,
        EXTENSION_REASON: String = extension_reason,
        OUTCOME_NOTE: String = outcome_note,
    });
    no_relations!();
}

pub mod retention_rule {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "retention_rule")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub category: String,
        pub period: i32,
        pub unit: String,
        pub legal_basis: String,
        pub updated_at: i64,
        pub updated_by: Uuid,
    }
    no_relations!();
}

pub mod processing_activity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "processing_activity")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub code: String,
        pub position: i32,
        pub name: String,
        pub purpose: String,
        pub data_categories: String,
        pub data_subjects: String,
        pub legal_basis: String,
        /// Retention categories, comma-separated (`medical_records,xrays`).
        pub retention_categories: String,
        pub retention_note: Option<String>,
        pub recipients: String,
        pub transfers: String,
        pub security_measures: String,
        pub updated_at: i64,
        /// `None` for a default activity written at set-up.
        pub updated_by: Option<Uuid>,
    }
    no_relations!();
}

pub mod erasure {
    use sea_orm::entity::prelude::*;

    use crate::crypto::Sealed;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "erasure")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub patient_id: Uuid,
        pub request_id: Option<Uuid>,
        pub erased_at: i64,
        pub erased_by: Uuid,
        /// `Vec<ErasedPart>` as JSON: kinds and counts only.
        pub report: String,
        /// `YYYY-MM-DD`: when the last retained record may go.
        pub kept_until: Option<String>,
        /// Name and postal address, sealed under the retention key.
        pub label: Option<Sealed<Vec<u8>>>,
        /// The random retention key, wrapped by the clinic key; NULL for an erasure
        /// made before retention keys were random, or once destroyed.
        pub retention_key: Option<Vec<u8>>,
        /// When the retention job destroyed the key (the kept records became noise).
        pub retention_key_destroyed_at: Option<i64>,
    }

    sealed_columns!("erasure" {
        LABEL: Vec<u8> = label,
    });
    no_relations!();
}

pub mod breach {
    use sea_orm::entity::prelude::*;

    use crate::crypto::Sealed;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "breach")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub reference: String,
        pub discovered_at: i64,
        pub occurred_from: Option<i64>,
        pub occurred_to: Option<i64>,
        /// Comma-separated: confidentiality, integrity, availability.
        pub nature: String,
        pub description: Sealed<String>,
        pub data_categories: Sealed<String>,
        pub consequences: Sealed<String>,
        pub measures_taken: Sealed<String>,
        pub measures_proposed: Sealed<String>,
        /// `none`, `risk` or `high`.
        pub risk: String,
        /// How the affected people were found (kinds and ids, no names).
        pub scope: Option<String>,
        pub subjects_count: i64,
        pub records_count: i64,
        pub authority_notified_at: Option<i64>,
        pub late_reason: Option<Sealed<String>>,
        pub created_at: i64,
        pub created_by: Uuid,
    }

    sealed_columns!("breach" {
        DESCRIPTION: String = description,
        DATA_CATEGORIES: String = data_categories,
        CONSEQUENCES: String = consequences,
        MEASURES_TAKEN: String = measures_taken,
        MEASURES_PROPOSED: String = measures_proposed,
        LATE_REASON: String = late_reason,
    });
    no_relations!();
}

pub mod breach_subject {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "breach_subject")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub breach_id: Uuid,
        pub patient_id: Uuid,
        pub records: i64,
        pub notified_at: Option<i64>,
    }
    no_relations!();
}

pub mod chart_entry {
    use sea_orm::entity::prelude::*;

    use crate::crypto::Sealed;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "chart_entry")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub patient_id: Uuid,
        /// `YYYY-MM-DD`: the day of the finding or the procedure.
        pub entry_date: String,
        /// The charted content (tooth, surfaces, what), sealed under the patient's key.
        pub content: Sealed<Vec<u8>>,
        /// The entry this one follows (a planned procedure now done, a condition resolved).
        pub supersedes: Option<Uuid>,
        pub recorded_at: i64,
        pub recorded_by: Uuid,
    }

    sealed_columns!("chart_entry" {
        CONTENT: Vec<u8> = content,
    });
    no_relations!();
}

pub mod clinical_record {
    use sea_orm::entity::prelude::*;

    use crate::crypto::Sealed;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "clinical_record")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub patient_id: Uuid,
        /// `medical_history`, `note` or `perio`.
        pub kind: String,
        /// `YYYY-MM-DD`: the day the history was taken, the visit, the examination.
        pub entry_date: String,
        /// The record itself, sealed under the patient's key.
        pub content: Sealed<Vec<u8>>,
        /// The record this one follows (the note an amendment amends).
        pub follows: Option<Uuid>,
        pub recorded_at: i64,
        pub recorded_by: Uuid,
    }

    sealed_columns!("clinical_record" {
        CONTENT: Vec<u8> = content,
    });
    no_relations!();
}

pub mod xray {
    use sea_orm::entity::prelude::*;

    use crate::crypto::Sealed;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "xray")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub patient_id: Uuid,
        /// `YYYY-MM-DD`: the day the image was taken.
        pub taken_on: String,
        /// The sealed original in the blob store.
        pub blob_id: Uuid,
        /// Type, teeth, note, format, size, DICOM header facts: sealed.
        pub content: Sealed<Vec<u8>>,
        /// A small PNG rendering, sealed.
        pub thumbnail: Sealed<Vec<u8>>,
        pub recorded_at: i64,
        pub recorded_by: Uuid,
    }

    sealed_columns!("xray" {
        CONTENT: Vec<u8> = content,
        THUMBNAIL: Vec<u8> = thumbnail,
    });

    /// The original file, sealed, in the blob store (`store::blobs`), under this
    /// table's name: the blob table is shared storage and knows no columns of its own.
    pub const ORIGINAL: crate::crypto::Column<Vec<u8>> = crate::crypto::Column::new(TABLE, "original");
    no_relations!();
}

pub mod treatment_plan {
    use sea_orm::entity::prelude::*;

    use crate::crypto::Sealed;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "treatment_plan")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub patient_id: Uuid,
        /// `YYYY-MM-DD`.
        pub created_on: String,
        /// `draft`, `accepted` or `declined`.
        pub status: String,
        /// Title, options, phases, items, fees, note: sealed.
        pub content: Sealed<Vec<u8>>,
        /// Who accepted or declined, how, when, which option: sealed.
        pub decision: Option<Sealed<Vec<u8>>>,
        pub recorded_at: i64,
        pub recorded_by: Uuid,
        pub updated_at: i64,
    }

    sealed_columns!("treatment_plan" {
        CONTENT: Vec<u8> = content,
        DECISION: Vec<u8> = decision,
    });
    no_relations!();
}

pub mod blob {
    use sea_orm::entity::prelude::*;

    /// Sealed files kept in the database (PostgreSQL clinics).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "blob")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub data: Vec<u8>,
    }
    no_relations!();
}

pub mod procedure {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "procedure")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub code: String,
        pub name_ro: String,
        pub name_en: String,
        /// The default fee in bani (1 RON = 100 bani).
        pub fee_bani: i64,
        /// `none`, `tooth` or `surfaces`: what must be charted with it.
        pub needs: String,
        pub active: bool,
    }
    no_relations!();
}

#[cfg(test)]
mod tests {
    use sea_orm::EntityName;

    use super::*;

    #[test]
    fn each_table_of_sealed_columns_is_named_as_its_entity() {
        let tables = [
            (staff::TABLE, staff::Entity.table_name()),
            (patient::TABLE, patient::Entity.table_name()),
            (patient_history::TABLE, patient_history::Entity.table_name()),
            (consent::TABLE, consent::Entity.table_name()),
            (patient_guardian::TABLE, patient_guardian::Entity.table_name()),
            (clinic_profile::TABLE, clinic_profile::Entity.table_name()),
            (subject_request::TABLE, subject_request::Entity.table_name()),
            (erasure::TABLE, erasure::Entity.table_name()),
            (breach::TABLE, breach::Entity.table_name()),
            (chart_entry::TABLE, chart_entry::Entity.table_name()),
            (clinical_record::TABLE, clinical_record::Entity.table_name()),
            (xray::TABLE, xray::Entity.table_name()),
            (treatment_plan::TABLE, treatment_plan::Entity.table_name()),
        ];
        for (declared, entity) in tables {
            assert_eq!(declared, entity, "sealed_columns! names another table than its entity");
        }
    }
}
