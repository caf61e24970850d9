//! sea-orm entities, one module per table. Columns holding personal data are
//! `Vec<u8>` sealed values; the `crypto` module is the only way in or out.

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
        pub totp_sealed: Option<Vec<u8>>,
        /// The last TOTP time step accepted: a code is accepted once.
        pub totp_last_step: Option<i64>,
        /// HMAC of id, user name, role and active flag (`integrity::staff_mac`).
        pub row_mac: Option<Vec<u8>>,
    }
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

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "patient")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub kek_id: Uuid,
        pub dek_gen: i32,
        pub dek_wrapped: Vec<u8>,
        pub first_name: Vec<u8>,
        pub last_name: Vec<u8>,
        pub cnp: Option<Vec<u8>>,
        pub birth_date: Option<Vec<u8>>,
        pub sex: Option<Vec<u8>>,
        pub phone: Option<Vec<u8>>,
        pub email: Option<Vec<u8>>,
        pub address: Option<Vec<u8>>,
        pub emergency_contact: Option<Vec<u8>>,
        /// `ro` or `en`, sealed: the language letters to this patient are written in.
        pub language: Option<Vec<u8>>,
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
    no_relations!();
}

pub mod patient_history {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "patient_history")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub patient_id: Uuid,
        pub changed_at: i64,
        pub changed_by: Uuid,
        pub reason: Vec<u8>,
        pub previous: Vec<u8>,
        /// The rectification request this edit answered, if any.
        pub request_id: Option<Uuid>,
    }
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
        pub text_shown: Vec<u8>,
        pub recorded_by: Uuid,
        pub workstation: String,
        pub at: i64,
    }
    no_relations!();
}

pub mod patient_guardian {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "patient_guardian")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub patient_id: Uuid,
        pub guardian_id: Uuid,
        /// "mother", "legal guardian", ... sealed under the child's data key.
        pub relationship: Vec<u8>,
        pub created_at: i64,
    }
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
        pub dpo_sealed: Vec<u8>,
        pub updated_at: i64,
        pub updated_by: Uuid,
    }
    no_relations!();
}

pub mod subject_request {
    use sea_orm::entity::prelude::*;

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
        pub identity_check: Vec<u8>,
        pub identity_checked_by: Uuid,
        pub extension_reason: Option<Vec<u8>>,
        pub outcome: Option<String>,
        pub outcome_note: Option<Vec<u8>>,
        pub closed_on: Option<String>,
        pub created_at: i64,
        pub created_by: Uuid,
    }
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
        pub label: Option<Vec<u8>>,
        /// The random retention key, wrapped by the clinic key; NULL for an erasure
        /// made before retention keys were random, or once destroyed.
        pub retention_key: Option<Vec<u8>>,
        /// When the retention job destroyed the key (the kept records became noise).
        pub retention_key_destroyed_at: Option<i64>,
    }
    no_relations!();
}

pub mod breach {
    use sea_orm::entity::prelude::*;

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
        pub description: Vec<u8>,
        pub data_categories: Vec<u8>,
        pub consequences: Vec<u8>,
        pub measures_taken: Vec<u8>,
        pub measures_proposed: Vec<u8>,
        /// `none`, `risk` or `high`.
        pub risk: String,
        /// How the affected people were found (kinds and ids, no names).
        pub scope: Option<String>,
        pub subjects_count: i64,
        pub records_count: i64,
        pub authority_notified_at: Option<i64>,
        pub late_reason: Option<Vec<u8>>,
        pub created_at: i64,
        pub created_by: Uuid,
    }
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

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "chart_entry")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub patient_id: Uuid,
        /// `YYYY-MM-DD`: the day of the finding or the procedure.
        pub entry_date: String,
        /// The charted content (tooth, surfaces, what), sealed under the patient's key.
        pub content: Vec<u8>,
        /// The entry this one follows (a planned procedure now done, a condition resolved).
        pub supersedes: Option<Uuid>,
        pub recorded_at: i64,
        pub recorded_by: Uuid,
    }
    no_relations!();
}

pub mod clinical_record {
    use sea_orm::entity::prelude::*;

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
        pub content: Vec<u8>,
        /// The record this one follows (the note an amendment amends).
        pub follows: Option<Uuid>,
        pub recorded_at: i64,
        pub recorded_by: Uuid,
    }
    no_relations!();
}

pub mod xray {
    use sea_orm::entity::prelude::*;

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
        pub content: Vec<u8>,
        /// A small PNG rendering, sealed.
        pub thumbnail: Vec<u8>,
        pub recorded_at: i64,
        pub recorded_by: Uuid,
    }
    no_relations!();
}

pub mod treatment_plan {
    use sea_orm::entity::prelude::*;

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
        pub content: Vec<u8>,
        /// Who accepted or declined, how, when, which option: sealed.
        pub decision: Option<Vec<u8>>,
        pub recorded_at: i64,
        pub recorded_by: Uuid,
        pub updated_at: i64,
    }
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
