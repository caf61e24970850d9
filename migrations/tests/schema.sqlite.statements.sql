-- m20261125_000001_foundation
CREATE TABLE "clinic_meta" ( "id" integer NOT NULL PRIMARY KEY, "magic" varchar NOT NULL, "clinic_id" uuid_text NOT NULL, "name" varchar NOT NULL, "kek_id" uuid_text NOT NULL, "kek_check" blob(1) NOT NULL, "index_key_wrapped" blob(1) NOT NULL, "audit_key_wrapped" blob(1) NOT NULL, "sealing" varchar NOT NULL, "created_at" integer NOT NULL );
CREATE TABLE "staff" ( "id" uuid_text NOT NULL PRIMARY KEY, "username" varchar NOT NULL UNIQUE, "role" varchar NOT NULL, "active" boolean NOT NULL, "failed_attempts" integer NOT NULL, "locked_until" integer NULL, "last_login_at" integer NULL, "created_at" integer NOT NULL );
CREATE TABLE "key_slot" ( "id" uuid_text NOT NULL PRIMARY KEY, "kind" varchar NOT NULL, "staff_id" uuid_text NULL, "kek_id" uuid_text NOT NULL, "m_kib" integer NOT NULL, "t_cost" integer NOT NULL, "p_cost" integer NOT NULL, "salt" blob(1) NOT NULL, "wrapped" blob(1) NOT NULL, "created_at" integer NOT NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id") );
CREATE TABLE "patient" ( "id" uuid_text NOT NULL PRIMARY KEY, "kek_id" uuid_text NOT NULL, "dek_gen" integer NOT NULL, "dek_wrapped" blob(1) NOT NULL, "first_name" blob(1) NOT NULL, "last_name" blob(1) NOT NULL, "cnp" blob(1) NULL, "birth_date" blob(1) NULL, "sex" blob(1) NULL, "phone" blob(1) NULL, "email" blob(1) NULL, "address" blob(1) NULL, "emergency_contact" blob(1) NULL, "bidx_cnp" integer NULL, "bidx_phone" integer NULL, "bidx_email" integer NULL, "bidx_first3" integer NULL, "bidx_first5" integer NULL, "bidx_last3" integer NULL, "bidx_last5" integer NULL, "restriction" varchar NOT NULL, "created_at" integer NOT NULL, "updated_at" integer NOT NULL, "version" integer NOT NULL );
CREATE UNIQUE INDEX "ux_patient_bidx_cnp" ON "patient" ("bidx_cnp");
CREATE INDEX "ix_patient_bidx_phone" ON "patient" ("bidx_phone");
CREATE INDEX "ix_patient_bidx_email" ON "patient" ("bidx_email");
CREATE INDEX "ix_patient_bidx_first3" ON "patient" ("bidx_first3");
CREATE INDEX "ix_patient_bidx_first5" ON "patient" ("bidx_first5");
CREATE INDEX "ix_patient_bidx_last3" ON "patient" ("bidx_last3");
CREATE INDEX "ix_patient_bidx_last5" ON "patient" ("bidx_last5");
CREATE TABLE "patient_history" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "changed_at" integer NOT NULL, "changed_by" uuid_text NOT NULL, "reason" blob(1) NOT NULL, "previous" blob(1) NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_patient_history_patient" ON "patient_history" ("patient_id");
CREATE TABLE "audit_event" ( "seq" integer NOT NULL PRIMARY KEY, "at" integer NOT NULL, "actor_id" uuid_text NULL, "actor" varchar NOT NULL, "role" varchar NOT NULL, "workstation" varchar NOT NULL, "action" varchar NOT NULL, "entity_type" varchar NOT NULL, "entity_id" varchar NULL, "subject_id" uuid_text NULL, "purpose" varchar NOT NULL, "outcome" varchar NOT NULL, "prev_hash" blob(1) NOT NULL, "hash" blob(1) NOT NULL );
CREATE INDEX "ix_audit_subject" ON "audit_event" ("subject_id");
CREATE INDEX "ix_audit_actor" ON "audit_event" ("actor");
CREATE INDEX "ix_audit_action" ON "audit_event" ("action");
CREATE INDEX "ix_audit_at" ON "audit_event" ("at");
CREATE TABLE "audit_head" ( "id" integer NOT NULL PRIMARY KEY, "seq" integer NOT NULL, "hash" blob(1) NOT NULL );
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

-- m20261125_000002_consent_guardians
CREATE TABLE "privacy_notice" ( "id" uuid_text NOT NULL PRIMARY KEY, "version" varchar NOT NULL UNIQUE, "text_ro" text NOT NULL, "text_en" text NOT NULL, "published_at" integer NOT NULL, "published_by" uuid_text NOT NULL );
CREATE TABLE "consent" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "kind" varchar NOT NULL, "granted" boolean NOT NULL, "method" varchar NOT NULL, "given_by" uuid_text NULL, "notice_version" varchar NULL, "text_shown" blob(1) NOT NULL, "recorded_by" uuid_text NOT NULL, "workstation" varchar NOT NULL, "at" integer NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_consent_patient" ON "consent" ("patient_id");
CREATE TABLE "patient_guardian" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "guardian_id" uuid_text NOT NULL, "relationship" blob(1) NOT NULL, "created_at" integer NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id"), FOREIGN KEY ("guardian_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_guardian_patient" ON "patient_guardian" ("patient_id");
CREATE INDEX "ix_guardian_guardian" ON "patient_guardian" ("guardian_id");
ALTER TABLE "patient" ADD COLUMN "status" varchar NOT NULL DEFAULT 'active';

-- m20261125_000003_settings
CREATE TABLE "setting" ( "key" varchar NOT NULL PRIMARY KEY, "value" varchar NOT NULL, "updated_at" integer NOT NULL, "updated_by" uuid_text NOT NULL );

-- m20261125_000004_clinic_profile
CREATE TABLE "clinic_profile" ( "id" integer NOT NULL PRIMARY KEY, "address" varchar NOT NULL, "fiscal_code" varchar NOT NULL, "registry_number" varchar NULL, "operating_permit" varchar NULL, "phone" varchar NULL, "email" varchar NULL, "dpo_sealed" blob(1) NOT NULL, "updated_at" integer NOT NULL, "updated_by" uuid_text NOT NULL );

-- m20261125_000005_subject_requests
CREATE TABLE "subject_request" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "kind" varchar NOT NULL, "received_on" varchar NOT NULL, "due_on" varchar NOT NULL, "extended_to" varchar NULL, "via_guardian" uuid_text NULL, "identity_check" blob(1) NOT NULL, "identity_checked_by" uuid_text NOT NULL, "extension_reason" blob(1) NULL, "outcome" varchar NULL, "outcome_note" blob(1) NULL, "closed_on" varchar NULL, "created_at" integer NOT NULL, "created_by" uuid_text NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "idx_subject_request_patient" ON "subject_request" ("patient_id");

-- m20261125_000006_retention
CREATE TABLE "retention_rule" ( "category" varchar NOT NULL PRIMARY KEY, "period" integer NOT NULL, "unit" varchar NOT NULL, "legal_basis" varchar NOT NULL, "updated_at" integer NOT NULL, "updated_by" uuid_text NOT NULL );

-- m20261125_000007_article30
CREATE TABLE "processing_activity" ( "code" varchar NOT NULL PRIMARY KEY, "position" integer NOT NULL, "name" varchar NOT NULL, "purpose" varchar NOT NULL, "data_categories" varchar NOT NULL, "data_subjects" varchar NOT NULL, "legal_basis" varchar NOT NULL, "retention_categories" varchar NOT NULL, "retention_note" varchar NULL, "recipients" varchar NOT NULL, "transfers" varchar NOT NULL, "security_measures" varchar NOT NULL, "updated_at" integer NOT NULL, "updated_by" uuid_text NULL );

-- m20261126_000008_erasure
CREATE TABLE "erasure" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL UNIQUE, "request_id" uuid_text NULL, "erased_at" integer NOT NULL, "erased_by" uuid_text NOT NULL, "report" text NOT NULL, "kept_until" varchar NULL, "label" blob(1) NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );

-- m20261126_000009_breaches
CREATE TABLE "breach" ( "id" uuid_text NOT NULL PRIMARY KEY, "reference" varchar NOT NULL UNIQUE, "discovered_at" integer NOT NULL, "occurred_from" integer NULL, "occurred_to" integer NULL, "nature" varchar NOT NULL, "description" blob(1) NOT NULL, "data_categories" blob(1) NOT NULL, "consequences" blob(1) NOT NULL, "measures_taken" blob(1) NOT NULL, "measures_proposed" blob(1) NOT NULL, "risk" varchar NOT NULL, "scope" varchar NULL, "subjects_count" integer NOT NULL DEFAULT 0, "records_count" integer NOT NULL DEFAULT 0, "authority_notified_at" integer NULL, "late_reason" blob(1) NULL, "created_at" integer NOT NULL, "created_by" uuid_text NOT NULL );
CREATE TABLE "breach_subject" ( "id" uuid_text NOT NULL PRIMARY KEY, "breach_id" uuid_text NOT NULL, "patient_id" uuid_text NOT NULL, "records" integer NOT NULL, "notified_at" integer NULL, FOREIGN KEY ("breach_id") REFERENCES "breach" ("id"), FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE UNIQUE INDEX "ux_breach_subject" ON "breach_subject" ("breach_id", "patient_id");
CREATE INDEX "ix_audit_workstation" ON "audit_event" ("workstation");

-- m20261126_000010_rectification_link
ALTER TABLE "patient_history" ADD COLUMN "request_id" uuid_text NULL;

-- m20261126_000011_patient_language
ALTER TABLE "patient" ADD COLUMN "language" blob(1) NULL;

-- m20261126_000012_chart
CREATE TABLE "chart_entry" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "entry_date" varchar NOT NULL, "content" blob(1) NOT NULL, "supersedes" uuid_text NULL, "recorded_at" integer NOT NULL, "recorded_by" uuid_text NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_chart_entry_patient" ON "chart_entry" ("patient_id", "entry_date");

-- m20261126_000013_procedure_catalogue
CREATE TABLE "procedure" ( "code" varchar NOT NULL PRIMARY KEY, "name_ro" varchar NOT NULL, "name_en" varchar NOT NULL, "fee_bani" integer NOT NULL, "needs" varchar NOT NULL, "active" boolean NOT NULL DEFAULT TRUE );
INSERT INTO "procedure" ("code", "name_ro", "name_en", "fee_bani", "needs", "active") VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?) -- Values([String(Some("exam.initial")), String(Some("Consultație inițială")), String(Some("Initial examination")), BigInt(Some(15000)), String(Some("none")), Bool(Some(true)), String(Some("exam.control")), String(Some("Consultație de control")), String(Some("Check-up")), BigInt(Some(10000)), String(Some("none")), Bool(Some(true)), String(Some("radiograph.periapical")), String(Some("Radiografie retroalveolară")), String(Some("Periapical radiograph")), BigInt(Some(6000)), String(Some("tooth")), Bool(Some(true)), String(Some("hygiene.scaling")), String(Some("Detartraj și periaj profesional")), String(Some("Scaling and polishing")), BigInt(Some(25000)), String(Some("none")), Bool(Some(true)), String(Some("restoration.composite")), String(Some("Obturație din compozit")), String(Some("Composite filling")), BigInt(Some(30000)), String(Some("surfaces")), Bool(Some(true)), String(Some("restoration.glass_ionomer")), String(Some("Obturație din ionomer de sticlă")), String(Some("Glass-ionomer filling")), BigInt(Some(20000)), String(Some("surfaces")), Bool(Some(true)), String(Some("prevention.sealant")), String(Some("Sigilare")), String(Some("Fissure sealant")), BigInt(Some(12000)), String(Some("surfaces")), Bool(Some(true)), String(Some("endo.single_canal")), String(Some("Tratament de canal, un canal")), String(Some("Root canal treatment, one canal")), BigInt(Some(50000)), String(Some("tooth")), Bool(Some(true)), String(Some("endo.multi_canal")), String(Some("Tratament de canal, mai multe canale")), String(Some("Root canal treatment, several canals")), BigInt(Some(90000)), String(Some("tooth")), Bool(Some(true)), String(Some("extraction.simple")), String(Some("Extracție simplă")), String(Some("Simple extraction")), BigInt(Some(25000)), String(Some("tooth")), Bool(Some(true)), String(Some("extraction.surgical")), String(Some("Extracție chirurgicală")), String(Some("Surgical extraction")), BigInt(Some(60000)), String(Some("tooth")), Bool(Some(true)), String(Some("crown.metal_ceramic")), String(Some("Coroană metalo-ceramică")), String(Some("Metal-ceramic crown")), BigInt(Some(120000)), String(Some("tooth")), Bool(Some(true)), String(Some("crown.zirconia")), String(Some("Coroană din zirconiu")), String(Some("Zirconia crown")), BigInt(Some(180000)), String(Some("tooth")), Bool(Some(true)), String(Some("bridge.pontic")), String(Some("Corp de punte")), String(Some("Bridge pontic")), BigInt(Some(120000)), String(Some("tooth")), Bool(Some(true)), String(Some("implant.placement")), String(Some("Implant dentar")), String(Some("Dental implant")), BigInt(Some(350000)), String(Some("tooth")), Bool(Some(true))]);

-- m20261126_000014_clinical_record
CREATE TABLE "clinical_record" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "kind" varchar NOT NULL, "entry_date" varchar NOT NULL, "content" blob(1) NOT NULL, "follows" uuid_text NULL, "recorded_at" integer NOT NULL, "recorded_by" uuid_text NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_clinical_record_patient" ON "clinical_record" ("patient_id", "kind", "entry_date");

-- m20261126_000015_imaging
CREATE TABLE "xray" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "taken_on" varchar NOT NULL, "blob_id" uuid_text NOT NULL, "content" blob(1) NOT NULL, "thumbnail" blob(1) NOT NULL, "recorded_at" integer NOT NULL, "recorded_by" uuid_text NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_xray_patient" ON "xray" ("patient_id", "taken_on");
CREATE TABLE "blob" ( "id" uuid_text NOT NULL PRIMARY KEY, "data" blob(1) NOT NULL );

-- m20261126_000016_treatment_plan
CREATE TABLE "treatment_plan" ( "id" uuid_text NOT NULL PRIMARY KEY, "patient_id" uuid_text NOT NULL, "created_on" varchar NOT NULL, "status" varchar NOT NULL, "content" blob(1) NOT NULL, "decision" blob(1) NULL, "recorded_at" integer NOT NULL, "recorded_by" uuid_text NOT NULL, "updated_at" integer NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_treatment_plan_patient" ON "treatment_plan" ("patient_id");

-- m20261202_000017_workstation_slots
ALTER TABLE "key_slot" ADD COLUMN "workstation" text NULL;

-- m20261202_000018_staff_mfa
ALTER TABLE "staff" ADD COLUMN "totp_sealed" blob(1) NULL;
ALTER TABLE "staff" ADD COLUMN "totp_last_step" integer NULL;
CREATE TABLE "staff_recovery_code" ( "id" uuid_text NOT NULL PRIMARY KEY, "staff_id" uuid_text NOT NULL, "code_mac" blob(1) NOT NULL, "used_at" integer NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id") ON DELETE CASCADE );
CREATE INDEX "staff_recovery_code_staff" ON "staff_recovery_code" ("staff_id");

-- m20261202_000019_retention_keys
ALTER TABLE "erasure" ADD COLUMN "retention_key" blob(1) NULL;
ALTER TABLE "erasure" ADD COLUMN "retention_key_destroyed_at" integer NULL;

-- m20261202_000020_index_version
ALTER TABLE "clinic_meta" ADD COLUMN "index_version" integer NOT NULL DEFAULT 1;

-- m20261202_000021_row_macs
ALTER TABLE "staff" ADD COLUMN "row_mac" blob(1) NULL;
ALTER TABLE "key_slot" ADD COLUMN "owner_mac" blob(1) NULL;
ALTER TABLE "clinic_meta" ADD COLUMN "row_macs" integer NOT NULL DEFAULT 0;

-- m20261202_000022_checkpoint_key
ALTER TABLE "clinic_meta" ADD COLUMN "checkpoint_key_id" uuid_text NULL;
ALTER TABLE "clinic_meta" ADD COLUMN "checkpoint_key_wrapped" blob(1) NULL;
ALTER TABLE "clinic_meta" ADD COLUMN "checkpoint_prev_id" uuid_text NULL;
ALTER TABLE "clinic_meta" ADD COLUMN "checkpoint_prev_wrapped" blob(1) NULL;
ALTER TABLE "clinic_meta" ADD COLUMN "checkpoint_rotated_seq" integer NULL;

-- m20261202_000023_bound_columns
ALTER TABLE "clinic_meta" ADD COLUMN "bound_columns" integer NOT NULL DEFAULT 0;

