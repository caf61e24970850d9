-- index idx_subject_request_patient on subject_request
CREATE INDEX "idx_subject_request_patient" ON "subject_request" ("patient_id");

-- index ix_audit_action on audit_event
CREATE INDEX "ix_audit_action" ON "audit_event" ("action");

-- index ix_audit_actor on audit_event
CREATE INDEX "ix_audit_actor" ON "audit_event" ("actor");

-- index ix_audit_at on audit_event
CREATE INDEX "ix_audit_at" ON "audit_event" ("at");

-- index ix_audit_subject on audit_event
CREATE INDEX "ix_audit_subject" ON "audit_event" ("subject_id");

-- index ix_audit_workstation on audit_event
CREATE INDEX "ix_audit_workstation" ON "audit_event" ("workstation");

-- index ix_chart_entry_patient on chart_entry
CREATE INDEX "ix_chart_entry_patient" ON "chart_entry" ("patient_id", "entry_date");

-- index ix_clinical_record_patient on clinical_record
CREATE INDEX "ix_clinical_record_patient" ON "clinical_record" ("patient_id", "kind", "entry_date");

-- index ix_consent_patient on consent
CREATE INDEX "ix_consent_patient" ON "consent" ("patient_id");

-- index ix_guardian_guardian on patient_guardian
CREATE INDEX "ix_guardian_guardian" ON "patient_guardian" ("guardian_id");

-- index ix_guardian_patient on patient_guardian
CREATE INDEX "ix_guardian_patient" ON "patient_guardian" ("patient_id");

-- index ix_patient_bidx_email on patient
CREATE INDEX "ix_patient_bidx_email" ON "patient" ("bidx_email");

-- index ix_patient_bidx_first3 on patient
CREATE INDEX "ix_patient_bidx_first3" ON "patient" ("bidx_first3");

-- index ix_patient_bidx_first5 on patient
CREATE INDEX "ix_patient_bidx_first5" ON "patient" ("bidx_first5");

-- index ix_patient_bidx_last3 on patient
CREATE INDEX "ix_patient_bidx_last3" ON "patient" ("bidx_last3");

-- index ix_patient_bidx_last5 on patient
CREATE INDEX "ix_patient_bidx_last5" ON "patient" ("bidx_last5");

-- index ix_patient_bidx_phone on patient
CREATE INDEX "ix_patient_bidx_phone" ON "patient" ("bidx_phone");

-- index ix_patient_history_patient on patient_history
CREATE INDEX "ix_patient_history_patient" ON "patient_history" ("patient_id");

-- index ix_treatment_plan_patient on treatment_plan
CREATE INDEX "ix_treatment_plan_patient" ON "treatment_plan" ("patient_id");

-- index ix_xray_patient on xray
CREATE INDEX "ix_xray_patient" ON "xray" ("patient_id", "taken_on");

-- index sqlite_autoindex_blob_1 on blob
NULL;

-- index sqlite_autoindex_breach_1 on breach
NULL;

-- index sqlite_autoindex_breach_2 on breach
NULL;

-- index sqlite_autoindex_breach_subject_1 on breach_subject
NULL;

-- index sqlite_autoindex_chart_entry_1 on chart_entry
NULL;

-- index sqlite_autoindex_clinical_record_1 on clinical_record
NULL;

-- index sqlite_autoindex_consent_1 on consent
NULL;

-- index sqlite_autoindex_erasure_1 on erasure
NULL;

-- index sqlite_autoindex_erasure_2 on erasure
NULL;

-- index sqlite_autoindex_key_slot_1 on key_slot
NULL;

-- index sqlite_autoindex_patient_1 on patient
NULL;

-- index sqlite_autoindex_patient_guardian_1 on patient_guardian
NULL;

-- index sqlite_autoindex_patient_history_1 on patient_history
NULL;

-- index sqlite_autoindex_privacy_notice_1 on privacy_notice
NULL;

-- index sqlite_autoindex_privacy_notice_2 on privacy_notice
NULL;

-- index sqlite_autoindex_procedure_1 on procedure
NULL;

-- index sqlite_autoindex_processing_activity_1 on processing_activity
NULL;

-- index sqlite_autoindex_retention_rule_1 on retention_rule
NULL;

-- index sqlite_autoindex_seaql_migrations_1 on seaql_migrations
NULL;

-- index sqlite_autoindex_setting_1 on setting
NULL;

-- index sqlite_autoindex_staff_1 on staff
NULL;

-- index sqlite_autoindex_staff_2 on staff
NULL;

-- index sqlite_autoindex_staff_recovery_code_1 on staff_recovery_code
NULL;

-- index sqlite_autoindex_subject_request_1 on subject_request
NULL;

-- index sqlite_autoindex_treatment_plan_1 on treatment_plan
NULL;

-- index sqlite_autoindex_xray_1 on xray
NULL;

-- index staff_recovery_code_staff on staff_recovery_code
CREATE INDEX "staff_recovery_code_staff" ON "staff_recovery_code" ("staff_id");

-- index ux_breach_subject on breach_subject
CREATE UNIQUE INDEX "ux_breach_subject" ON "breach_subject" ("breach_id", "patient_id");

-- index ux_patient_bidx_cnp on patient
CREATE UNIQUE INDEX "ux_patient_bidx_cnp" ON "patient" ("bidx_cnp");

-- table audit_event on audit_event
CREATE TABLE "audit_event" ( "seq" integer NOT NULL PRIMARY KEY, "at" integer NOT NULL, "actor_id" uuid_text NULL, "actor" varchar NOT NULL, "role" varchar NOT NULL, "workstation" varchar NOT NULL, "action" varchar NOT NULL, "entity_type" varchar NOT NULL, "entity_id" varchar NULL, "subject_id" uuid_text NULL, "purpose" varchar NOT NULL, "outcome" varchar NOT NULL, "prev_hash" blob(1) NOT NULL, "hash" blob(1) NOT NULL );

-- table audit_head on audit_head
CREATE TABLE "audit_head" ( "id" integer NOT NULL PRIMARY KEY, "seq" integer NOT NULL, "hash" blob(1) NOT NULL );

-- table blob on blob
CREATE TABLE "blob" ( "id" uuid_text NOT NULL PRIMARY KEY, "data" blob(1) NOT NULL );

-- table breach on breach
CREATE TABLE "breach" ( "id" uuid_text NOT NULL PRIMARY KEY, "reference" varchar NOT NULL UNIQUE, "discovered_at" integer NOT NULL, "occurred_from" integer NULL, "occurred_to" integer NULL, "nature" varchar NOT NULL, "description" blob(1) NOT NULL, "data_categories" blob(1) NOT NULL, "consequences" blob(1) NOT NULL, "measures_taken" blob(1) NOT NULL, "measures_proposed" blob(1) NOT NULL, "risk" varchar NOT NULL, "scope" varchar NULL, "subjects_count" integer NOT NULL DEFAULT 0, "records_count" integer NOT NULL DEFAULT 0, "authority_notified_at" integer NULL, "late_reason" blob(1) NULL, "created_at" integer NOT NULL, "created_by" uuid_text NOT NULL );

-- table breach_subject on breach_subject
CREATE TABLE "breach_subject" ( "id" uuid_text NOT NULL PRIMARY KEY, "breach_id" uuid_text NOT NULL, "patient_id" uuid_text NOT NULL, "records" integer NOT NULL, "notified_at" integer NULL, FOREIGN KEY ("breach_id") REFERENCES "breach" ("id"), FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );

-- table chart_entry on chart_entry
CREATE TABLE "chart_entry" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "entry_date" varchar NOT NULL, "content" blob(1) NOT NULL, "supersedes" uuid_text NULL, "recorded_at" integer NOT NULL, "recorded_by" uuid_text NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );

-- table clinic_meta on clinic_meta
CREATE TABLE "clinic_meta" ( "id" integer NOT NULL PRIMARY KEY, "magic" varchar NOT NULL, "clinic_id" uuid_text NOT NULL, "name" varchar NOT NULL, "kek_id" uuid_text NOT NULL, "kek_check" blob(1) NOT NULL, "index_key_wrapped" blob(1) NOT NULL, "audit_key_wrapped" blob(1) NOT NULL, "sealing" varchar NOT NULL, "created_at" integer NOT NULL , "index_version" integer NOT NULL DEFAULT 1, "row_macs" integer NOT NULL DEFAULT 0, "checkpoint_key_id" uuid_text NULL, "checkpoint_key_wrapped" blob(1) NULL, "checkpoint_prev_id" uuid_text NULL, "checkpoint_prev_wrapped" blob(1) NULL, "checkpoint_rotated_seq" integer NULL, "bound_columns" integer NOT NULL DEFAULT 0);

-- table clinic_profile on clinic_profile
CREATE TABLE "clinic_profile" ( "id" integer NOT NULL PRIMARY KEY, "address" varchar NOT NULL, "fiscal_code" varchar NOT NULL, "registry_number" varchar NULL, "operating_permit" varchar NULL, "phone" varchar NULL, "email" varchar NULL, "dpo_sealed" blob(1) NOT NULL, "updated_at" integer NOT NULL, "updated_by" uuid_text NOT NULL );

-- table clinical_record on clinical_record
CREATE TABLE "clinical_record" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "kind" varchar NOT NULL, "entry_date" varchar NOT NULL, "content" blob(1) NOT NULL, "follows" uuid_text NULL, "recorded_at" integer NOT NULL, "recorded_by" uuid_text NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );

-- table consent on consent
CREATE TABLE "consent" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "kind" varchar NOT NULL, "granted" boolean NOT NULL, "method" varchar NOT NULL, "given_by" uuid_text NULL, "notice_version" varchar NULL, "text_shown" blob(1) NOT NULL, "recorded_by" uuid_text NOT NULL, "workstation" varchar NOT NULL, "at" integer NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );

-- table erasure on erasure
CREATE TABLE "erasure" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL UNIQUE, "request_id" uuid_text NULL, "erased_at" integer NOT NULL, "erased_by" uuid_text NOT NULL, "report" text NOT NULL, "kept_until" varchar NULL, "label" blob(1) NULL, "retention_key" blob(1) NULL, "retention_key_destroyed_at" integer NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );

-- table key_slot on key_slot
CREATE TABLE "key_slot" ( "id" uuid_text NOT NULL PRIMARY KEY, "kind" varchar NOT NULL, "staff_id" uuid_text NULL, "kek_id" uuid_text NOT NULL, "m_kib" integer NOT NULL, "t_cost" integer NOT NULL, "p_cost" integer NOT NULL, "salt" blob(1) NOT NULL, "wrapped" blob(1) NOT NULL, "created_at" integer NOT NULL, "workstation" text NULL, "owner_mac" blob(1) NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id") );

-- table patient on patient
CREATE TABLE "patient" ( "id" uuid_text NOT NULL PRIMARY KEY, "kek_id" uuid_text NOT NULL, "dek_gen" integer NOT NULL, "dek_wrapped" blob(1) NOT NULL, "first_name" blob(1) NOT NULL, "last_name" blob(1) NOT NULL, "cnp" blob(1) NULL, "birth_date" blob(1) NULL, "sex" blob(1) NULL, "phone" blob(1) NULL, "email" blob(1) NULL, "address" blob(1) NULL, "emergency_contact" blob(1) NULL, "bidx_cnp" integer NULL, "bidx_phone" integer NULL, "bidx_email" integer NULL, "bidx_first3" integer NULL, "bidx_first5" integer NULL, "bidx_last3" integer NULL, "bidx_last5" integer NULL, "restriction" varchar NOT NULL, "created_at" integer NOT NULL, "updated_at" integer NOT NULL, "version" integer NOT NULL , "status" varchar NOT NULL DEFAULT 'active', "language" blob(1) NULL);

-- table patient_guardian on patient_guardian
CREATE TABLE "patient_guardian" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "guardian_id" uuid_text NOT NULL, "relationship" blob(1) NOT NULL, "created_at" integer NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id"), FOREIGN KEY ("guardian_id") REFERENCES "patient" ("id") );

-- table patient_history on patient_history
CREATE TABLE "patient_history" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "changed_at" integer NOT NULL, "changed_by" uuid_text NOT NULL, "reason" blob(1) NOT NULL, "previous" blob(1) NOT NULL, "request_id" uuid_text NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );

-- table privacy_notice on privacy_notice
CREATE TABLE "privacy_notice" ( "id" uuid_text NOT NULL PRIMARY KEY, "version" varchar NOT NULL UNIQUE, "text_ro" text NOT NULL, "text_en" text NOT NULL, "published_at" integer NOT NULL, "published_by" uuid_text NOT NULL );

-- table procedure on procedure
CREATE TABLE "procedure" ( "code" varchar NOT NULL PRIMARY KEY, "name_ro" varchar NOT NULL, "name_en" varchar NOT NULL, "fee_bani" integer NOT NULL, "needs" varchar NOT NULL, "active" boolean NOT NULL DEFAULT TRUE );

-- table processing_activity on processing_activity
CREATE TABLE "processing_activity" ( "code" varchar NOT NULL PRIMARY KEY, "position" integer NOT NULL, "name" varchar NOT NULL, "purpose" varchar NOT NULL, "data_categories" varchar NOT NULL, "data_subjects" varchar NOT NULL, "legal_basis" varchar NOT NULL, "retention_categories" varchar NOT NULL, "retention_note" varchar NULL, "recipients" varchar NOT NULL, "transfers" varchar NOT NULL, "security_measures" varchar NOT NULL, "updated_at" integer NOT NULL, "updated_by" uuid_text NULL );

-- table retention_rule on retention_rule
CREATE TABLE "retention_rule" ( "category" varchar NOT NULL PRIMARY KEY, "period" integer NOT NULL, "unit" varchar NOT NULL, "legal_basis" varchar NOT NULL, "updated_at" integer NOT NULL, "updated_by" uuid_text NOT NULL );

-- table setting on setting
CREATE TABLE "setting" ( "key" varchar NOT NULL PRIMARY KEY, "value" varchar NOT NULL, "updated_at" integer NOT NULL, "updated_by" uuid_text NOT NULL );

-- table staff on staff
CREATE TABLE "staff" ( "id" uuid_text NOT NULL PRIMARY KEY, "username" varchar NOT NULL UNIQUE, "role" varchar NOT NULL, "active" boolean NOT NULL, "failed_attempts" integer NOT NULL, "locked_until" integer NULL, "last_login_at" integer NULL, "created_at" integer NOT NULL , "totp_sealed" blob(1) NULL, "totp_last_step" integer NULL, "row_mac" blob(1) NULL);

-- table staff_recovery_code on staff_recovery_code
CREATE TABLE "staff_recovery_code" ( "id" uuid_text NOT NULL PRIMARY KEY, "staff_id" uuid_text NOT NULL, "code_mac" blob(1) NOT NULL, "used_at" integer NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id") ON DELETE CASCADE );

-- table subject_request on subject_request
CREATE TABLE "subject_request" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "kind" varchar NOT NULL, "received_on" varchar NOT NULL, "due_on" varchar NOT NULL, "extended_to" varchar NULL, "via_guardian" uuid_text NULL, "identity_check" blob(1) NOT NULL, "identity_checked_by" uuid_text NOT NULL, "extension_reason" blob(1) NULL, "outcome" varchar NULL, "outcome_note" blob(1) NULL, "closed_on" varchar NULL, "created_at" integer NOT NULL, "created_by" uuid_text NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );

-- table treatment_plan on treatment_plan
CREATE TABLE "treatment_plan" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "created_on" varchar NOT NULL, "status" varchar NOT NULL, "content" blob(1) NOT NULL, "decision" blob(1) NULL, "recorded_at" integer NOT NULL, "recorded_by" uuid_text NOT NULL, "updated_at" integer NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );

-- table xray on xray
CREATE TABLE "xray" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "taken_on" varchar NOT NULL, "blob_id" uuid_text NOT NULL, "content" blob(1) NOT NULL, "thumbnail" blob(1) NOT NULL, "recorded_at" integer NOT NULL, "recorded_by" uuid_text NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );

-- trigger audit_event_no_delete on audit_event
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

-- trigger audit_event_no_update on audit_event
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

