-- m20261125_000001_foundation
CREATE TABLE "clinic_meta" ( "id" integer NOT NULL PRIMARY KEY, "magic" varchar NOT NULL, "clinic_id" uuid NOT NULL, "name" varchar NOT NULL, "kek_id" uuid NOT NULL, "kek_check" bytea NOT NULL, "index_key_wrapped" bytea NOT NULL, "audit_key_wrapped" bytea NOT NULL, "sealing" varchar NOT NULL, "created_at" bigint NOT NULL );
CREATE TABLE "staff" ( "id" uuid NOT NULL PRIMARY KEY, "username" varchar NOT NULL UNIQUE, "role" varchar NOT NULL, "active" bool NOT NULL, "failed_attempts" integer NOT NULL, "locked_until" bigint NULL, "last_login_at" bigint NULL, "created_at" bigint NOT NULL );
CREATE TABLE "key_slot" ( "id" uuid NOT NULL PRIMARY KEY, "kind" varchar NOT NULL, "staff_id" uuid NULL, "kek_id" uuid NOT NULL, "m_kib" integer NOT NULL, "t_cost" integer NOT NULL, "p_cost" integer NOT NULL, "salt" bytea NOT NULL, "wrapped" bytea NOT NULL, "created_at" bigint NOT NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id") );
CREATE TABLE "patient" ( "id" uuid NOT NULL PRIMARY KEY, "kek_id" uuid NOT NULL, "dek_gen" integer NOT NULL, "dek_wrapped" bytea NOT NULL, "first_name" bytea NOT NULL, "last_name" bytea NOT NULL, "cnp" bytea NULL, "birth_date" bytea NULL, "sex" bytea NULL, "phone" bytea NULL, "email" bytea NULL, "address" bytea NULL, "emergency_contact" bytea NULL, "bidx_cnp" bigint NULL, "bidx_phone" bigint NULL, "bidx_email" bigint NULL, "bidx_first3" bigint NULL, "bidx_first5" bigint NULL, "bidx_last3" bigint NULL, "bidx_last5" bigint NULL, "restriction" varchar NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL, "version" integer NOT NULL );
CREATE UNIQUE INDEX "ux_patient_bidx_cnp" ON "patient" ("bidx_cnp");
CREATE INDEX "ix_patient_bidx_phone" ON "patient" ("bidx_phone");
CREATE INDEX "ix_patient_bidx_email" ON "patient" ("bidx_email");
CREATE INDEX "ix_patient_bidx_first3" ON "patient" ("bidx_first3");
CREATE INDEX "ix_patient_bidx_first5" ON "patient" ("bidx_first5");
CREATE INDEX "ix_patient_bidx_last3" ON "patient" ("bidx_last3");
CREATE INDEX "ix_patient_bidx_last5" ON "patient" ("bidx_last5");
CREATE TABLE "patient_history" ( "id" uuid NOT NULL PRIMARY KEY, "patient_id" uuid NOT NULL, "changed_at" bigint NOT NULL, "changed_by" uuid NOT NULL, "reason" bytea NOT NULL, "previous" bytea NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_patient_history_patient" ON "patient_history" ("patient_id");
CREATE TABLE "audit_event" ( "seq" bigint NOT NULL PRIMARY KEY, "at" bigint NOT NULL, "actor_id" uuid NULL, "actor" varchar NOT NULL, "role" varchar NOT NULL, "workstation" varchar NOT NULL, "action" varchar NOT NULL, "entity_type" varchar NOT NULL, "entity_id" varchar NULL, "subject_id" uuid NULL, "purpose" varchar NOT NULL, "outcome" varchar NOT NULL, "prev_hash" bytea NOT NULL, "hash" bytea NOT NULL );
CREATE INDEX "ix_audit_subject" ON "audit_event" ("subject_id");
CREATE INDEX "ix_audit_actor" ON "audit_event" ("actor");
CREATE INDEX "ix_audit_action" ON "audit_event" ("action");
CREATE INDEX "ix_audit_at" ON "audit_event" ("at");
CREATE TABLE "audit_head" ( "id" integer NOT NULL PRIMARY KEY, "seq" bigint NOT NULL, "hash" bytea NOT NULL );
CREATE FUNCTION cuspid_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION cuspid_audit_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION cuspid_audit_append_only();

-- m20261125_000002_consent_guardians
CREATE TABLE "privacy_notice" ( "id" uuid NOT NULL PRIMARY KEY, "version" varchar NOT NULL UNIQUE, "text_ro" text NOT NULL, "text_en" text NOT NULL, "published_at" bigint NOT NULL, "published_by" uuid NOT NULL );
CREATE TABLE "consent" ( "id" uuid NOT NULL PRIMARY KEY, "patient_id" uuid NOT NULL, "kind" varchar NOT NULL, "granted" bool NOT NULL, "method" varchar NOT NULL, "given_by" uuid NULL, "notice_version" varchar NULL, "text_shown" bytea NOT NULL, "recorded_by" uuid NOT NULL, "workstation" varchar NOT NULL, "at" bigint NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_consent_patient" ON "consent" ("patient_id");
CREATE TABLE "patient_guardian" ( "id" uuid NOT NULL PRIMARY KEY, "patient_id" uuid NOT NULL, "guardian_id" uuid NOT NULL, "relationship" bytea NOT NULL, "created_at" bigint NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id"), FOREIGN KEY ("guardian_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_guardian_patient" ON "patient_guardian" ("patient_id");
CREATE INDEX "ix_guardian_guardian" ON "patient_guardian" ("guardian_id");
ALTER TABLE "patient" ADD COLUMN "status" varchar NOT NULL DEFAULT 'active';

-- m20261125_000003_settings
CREATE TABLE "setting" ( "key" varchar NOT NULL PRIMARY KEY, "value" varchar NOT NULL, "updated_at" bigint NOT NULL, "updated_by" uuid NOT NULL );

-- m20261125_000004_clinic_profile
CREATE TABLE "clinic_profile" ( "id" integer NOT NULL PRIMARY KEY, "address" varchar NOT NULL, "fiscal_code" varchar NOT NULL, "registry_number" varchar NULL, "operating_permit" varchar NULL, "phone" varchar NULL, "email" varchar NULL, "dpo_sealed" bytea NOT NULL, "updated_at" bigint NOT NULL, "updated_by" uuid NOT NULL );

-- m20261125_000005_subject_requests
CREATE TABLE "subject_request" ( "id" uuid NOT NULL PRIMARY KEY, "patient_id" uuid NOT NULL, "kind" varchar NOT NULL, "received_on" varchar NOT NULL, "due_on" varchar NOT NULL, "extended_to" varchar NULL, "via_guardian" uuid NULL, "identity_check" bytea NOT NULL, "identity_checked_by" uuid NOT NULL, "extension_reason" bytea NULL, "outcome" varchar NULL, "outcome_note" bytea NULL, "closed_on" varchar NULL, "created_at" bigint NOT NULL, "created_by" uuid NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "idx_subject_request_patient" ON "subject_request" ("patient_id");

-- m20261125_000006_retention
CREATE TABLE "retention_rule" ( "category" varchar NOT NULL PRIMARY KEY, "period" integer NOT NULL, "unit" varchar NOT NULL, "legal_basis" varchar NOT NULL, "updated_at" bigint NOT NULL, "updated_by" uuid NOT NULL );

-- m20261125_000007_article30
CREATE TABLE "processing_activity" ( "code" varchar NOT NULL PRIMARY KEY, "position" integer NOT NULL, "name" varchar NOT NULL, "purpose" varchar NOT NULL, "data_categories" varchar NOT NULL, "data_subjects" varchar NOT NULL, "legal_basis" varchar NOT NULL, "retention_categories" varchar NOT NULL, "retention_note" varchar NULL, "recipients" varchar NOT NULL, "transfers" varchar NOT NULL, "security_measures" varchar NOT NULL, "updated_at" bigint NOT NULL, "updated_by" uuid NULL );

-- m20261126_000008_erasure
CREATE TABLE "erasure" ( "id" uuid NOT NULL PRIMARY KEY, "patient_id" uuid NOT NULL UNIQUE, "request_id" uuid NULL, "erased_at" bigint NOT NULL, "erased_by" uuid NOT NULL, "report" text NOT NULL, "kept_until" varchar NULL, "label" bytea NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );

-- m20261126_000009_breaches
CREATE TABLE "breach" ( "id" uuid NOT NULL PRIMARY KEY, "reference" varchar NOT NULL UNIQUE, "discovered_at" bigint NOT NULL, "occurred_from" bigint NULL, "occurred_to" bigint NULL, "nature" varchar NOT NULL, "description" bytea NOT NULL, "data_categories" bytea NOT NULL, "consequences" bytea NOT NULL, "measures_taken" bytea NOT NULL, "measures_proposed" bytea NOT NULL, "risk" varchar NOT NULL, "scope" varchar NULL, "subjects_count" bigint NOT NULL DEFAULT 0, "records_count" bigint NOT NULL DEFAULT 0, "authority_notified_at" bigint NULL, "late_reason" bytea NULL, "created_at" bigint NOT NULL, "created_by" uuid NOT NULL );
CREATE TABLE "breach_subject" ( "id" uuid NOT NULL PRIMARY KEY, "breach_id" uuid NOT NULL, "patient_id" uuid NOT NULL, "records" bigint NOT NULL, "notified_at" bigint NULL, FOREIGN KEY ("breach_id") REFERENCES "breach" ("id"), FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE UNIQUE INDEX "ux_breach_subject" ON "breach_subject" ("breach_id", "patient_id");
CREATE INDEX "ix_audit_workstation" ON "audit_event" ("workstation");

-- m20261126_000010_rectification_link
ALTER TABLE "patient_history" ADD COLUMN "request_id" uuid NULL;

-- m20261126_000011_patient_language
ALTER TABLE "patient" ADD COLUMN "language" bytea NULL;

-- m20261126_000012_chart
CREATE TABLE "chart_entry" ( "id" uuid NOT NULL PRIMARY KEY, "patient_id" uuid NOT NULL, "entry_date" varchar NOT NULL, "content" bytea NOT NULL, "supersedes" uuid NULL, "recorded_at" bigint NOT NULL, "recorded_by" uuid NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_chart_entry_patient" ON "chart_entry" ("patient_id", "entry_date");

-- m20261126_000013_procedure_catalogue
CREATE TABLE "procedure" ( "code" varchar NOT NULL PRIMARY KEY, "name_ro" varchar NOT NULL, "name_en" varchar NOT NULL, "fee_bani" bigint NOT NULL, "needs" varchar NOT NULL, "active" bool NOT NULL DEFAULT TRUE );
INSERT INTO "procedure" ("code", "name_ro", "name_en", "fee_bani", "needs", "active") VALUES ($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12), ($13, $14, $15, $16, $17, $18), ($19, $20, $21, $22, $23, $24), ($25, $26, $27, $28, $29, $30), ($31, $32, $33, $34, $35, $36), ($37, $38, $39, $40, $41, $42), ($43, $44, $45, $46, $47, $48), ($49, $50, $51, $52, $53, $54), ($55, $56, $57, $58, $59, $60), ($61, $62, $63, $64, $65, $66), ($67, $68, $69, $70, $71, $72), ($73, $74, $75, $76, $77, $78), ($79, $80, $81, $82, $83, $84), ($85, $86, $87, $88, $89, $90) -- Values([String(Some("exam.initial")), String(Some("Consultație inițială")), String(Some("Initial examination")), BigInt(Some(15000)), String(Some("none")), Bool(Some(true)), String(Some("exam.control")), String(Some("Consultație de control")), String(Some("Check-up")), BigInt(Some(10000)), String(Some("none")), Bool(Some(true)), String(Some("radiograph.periapical")), String(Some("Radiografie retroalveolară")), String(Some("Periapical radiograph")), BigInt(Some(6000)), String(Some("tooth")), Bool(Some(true)), String(Some("hygiene.scaling")), String(Some("Detartraj și periaj profesional")), String(Some("Scaling and polishing")), BigInt(Some(25000)), String(Some("none")), Bool(Some(true)), String(Some("restoration.composite")), String(Some("Obturație din compozit")), String(Some("Composite filling")), BigInt(Some(30000)), String(Some("surfaces")), Bool(Some(true)), String(Some("restoration.glass_ionomer")), String(Some("Obturație din ionomer de sticlă")), String(Some("Glass-ionomer filling")), BigInt(Some(20000)), String(Some("surfaces")), Bool(Some(true)), String(Some("prevention.sealant")), String(Some("Sigilare")), String(Some("Fissure sealant")), BigInt(Some(12000)), String(Some("surfaces")), Bool(Some(true)), String(Some("endo.single_canal")), String(Some("Tratament de canal, un canal")), String(Some("Root canal treatment, one canal")), BigInt(Some(50000)), String(Some("tooth")), Bool(Some(true)), String(Some("endo.multi_canal")), String(Some("Tratament de canal, mai multe canale")), String(Some("Root canal treatment, several canals")), BigInt(Some(90000)), String(Some("tooth")), Bool(Some(true)), String(Some("extraction.simple")), String(Some("Extracție simplă")), String(Some("Simple extraction")), BigInt(Some(25000)), String(Some("tooth")), Bool(Some(true)), String(Some("extraction.surgical")), String(Some("Extracție chirurgicală")), String(Some("Surgical extraction")), BigInt(Some(60000)), String(Some("tooth")), Bool(Some(true)), String(Some("crown.metal_ceramic")), String(Some("Coroană metalo-ceramică")), String(Some("Metal-ceramic crown")), BigInt(Some(120000)), String(Some("tooth")), Bool(Some(true)), String(Some("crown.zirconia")), String(Some("Coroană din zirconiu")), String(Some("Zirconia crown")), BigInt(Some(180000)), String(Some("tooth")), Bool(Some(true)), String(Some("bridge.pontic")), String(Some("Corp de punte")), String(Some("Bridge pontic")), BigInt(Some(120000)), String(Some("tooth")), Bool(Some(true)), String(Some("implant.placement")), String(Some("Implant dentar")), String(Some("Dental implant")), BigInt(Some(350000)), String(Some("tooth")), Bool(Some(true))]);

-- m20261126_000014_clinical_record
CREATE TABLE "clinical_record" ( "id" uuid NOT NULL PRIMARY KEY, "patient_id" uuid NOT NULL, "kind" varchar NOT NULL, "entry_date" varchar NOT NULL, "content" bytea NOT NULL, "follows" uuid NULL, "recorded_at" bigint NOT NULL, "recorded_by" uuid NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_clinical_record_patient" ON "clinical_record" ("patient_id", "kind", "entry_date");

-- m20261126_000015_imaging
CREATE TABLE "xray" ( "id" uuid NOT NULL PRIMARY KEY, "patient_id" uuid NOT NULL, "taken_on" varchar NOT NULL, "blob_id" uuid NOT NULL, "content" bytea NOT NULL, "thumbnail" bytea NOT NULL, "recorded_at" bigint NOT NULL, "recorded_by" uuid NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_xray_patient" ON "xray" ("patient_id", "taken_on");
CREATE TABLE "blob" ( "id" uuid NOT NULL PRIMARY KEY, "data" bytea NOT NULL );

-- m20261126_000016_treatment_plan
CREATE TABLE "treatment_plan" ( "id" uuid NOT NULL PRIMARY KEY, "patient_id" uuid NOT NULL, "created_on" varchar NOT NULL, "status" varchar NOT NULL, "content" bytea NOT NULL, "decision" bytea NULL, "recorded_at" bigint NOT NULL, "recorded_by" uuid NOT NULL, "updated_at" bigint NOT NULL, FOREIGN KEY ("patient_id") REFERENCES "patient" ("id") );
CREATE INDEX "ix_treatment_plan_patient" ON "treatment_plan" ("patient_id");

-- m20261202_000017_workstation_slots
ALTER TABLE "key_slot" ADD COLUMN "workstation" text NULL;

-- m20261202_000018_staff_mfa
ALTER TABLE "staff" ADD COLUMN "totp_sealed" bytea NULL;
ALTER TABLE "staff" ADD COLUMN "totp_last_step" bigint NULL;
CREATE TABLE "staff_recovery_code" ( "id" uuid NOT NULL PRIMARY KEY, "staff_id" uuid NOT NULL, "code_mac" bytea NOT NULL, "used_at" bigint NULL, FOREIGN KEY ("staff_id") REFERENCES "staff" ("id") ON DELETE CASCADE );
CREATE INDEX "staff_recovery_code_staff" ON "staff_recovery_code" ("staff_id");

-- m20261202_000019_retention_keys
ALTER TABLE "erasure" ADD COLUMN "retention_key" bytea NULL;
ALTER TABLE "erasure" ADD COLUMN "retention_key_destroyed_at" bigint NULL;

-- m20261202_000020_index_version
ALTER TABLE "clinic_meta" ADD COLUMN "index_version" integer NOT NULL DEFAULT 1;

-- m20261202_000021_row_macs
ALTER TABLE "staff" ADD COLUMN "row_mac" bytea NULL;
ALTER TABLE "key_slot" ADD COLUMN "owner_mac" bytea NULL;
ALTER TABLE "clinic_meta" ADD COLUMN "row_macs" integer NOT NULL DEFAULT 0;

-- m20261202_000022_checkpoint_key
ALTER TABLE "clinic_meta" ADD COLUMN "checkpoint_key_id" uuid NULL;
ALTER TABLE "clinic_meta" ADD COLUMN "checkpoint_key_wrapped" bytea NULL;
ALTER TABLE "clinic_meta" ADD COLUMN "checkpoint_prev_id" uuid NULL;
ALTER TABLE "clinic_meta" ADD COLUMN "checkpoint_prev_wrapped" bytea NULL;
ALTER TABLE "clinic_meta" ADD COLUMN "checkpoint_rotated_seq" bigint NULL;

-- m20261202_000023_bound_columns
ALTER TABLE "clinic_meta" ADD COLUMN "bound_columns" integer NOT NULL DEFAULT 0;

