//! The GDPR office: the design rule's coverage of the schema, the access and
//! portability export (JSON, CSV, XML, FHIR R4, the age-encrypted zip with a typed
//! or generated passphrase, de-identified images, the Art. 15 letter),
//! and erasure by crypto-shredding (what goes, what stays, the Art. 17 letter, and
//! no trace of the old key in the database file or its WAL).

#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use cuspid::consent::{ConsentInput, ConsentKind, ConsentMethod, GuardianInput};
use cuspid::documents::Language;
use cuspid::gdpr::export::{ExportEncryption, ExportOptions};
use cuspid::gdpr::requests::{NewRequest, RequestKind};
use cuspid::{NewPatient, PatientChanges, PatientQuery, Role, Session};
use serde_json::Value;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::pdf::{Pdf, flat};
use crate::support::{Backend, PEOPLE, TestClinic, backend_tests};

const CHILD_CNP: &str = "6150304400025";

fn consent(kind: ConsentKind, granted: bool, by: Option<Uuid>) -> ConsentInput {
    ConsentInput {
        kind,
        granted,
        method: ConsentMethod::Signature,
        text_shown: format!("Sunt de acord: {} (ș, ț, ă).", kind.as_str()),
        given_by: by,
    }
}

fn request(patient: Uuid, kind: RequestKind) -> NewRequest {
    NewRequest {
        patient_id: patient,
        kind,
        received_on: cuspid::chrono::Local::now().date_naive().to_string(),
        via_guardian: None,
        identity_check: "buletin verificat la recepție".into(),
    }
}

fn options(dir: &std::path::Path, passphrase: Option<&str>) -> ExportOptions {
    ExportOptions {
        encryption: match passphrase {
            Some(p) => ExportEncryption::Passphrase(Zeroizing::new(p.to_owned())),
            None => ExportEncryption::None,
        },
        ..ExportOptions::into_folder(dir)
    }
}

/// Open an age file with the `age` crate's own decryptor and a passphrase (not with
/// anything of Cuspid's), the scrypt cost capped where the age tools cap it.
fn age_open(bytes: &[u8], passphrase: &str) -> Result<Vec<u8>, age::DecryptError> {
    let mut identity = age::scrypt::Identity::new(age::secrecy::SecretString::from(passphrase.to_owned()));
    identity.set_max_work_factor(22);
    let decryptor = age::Decryptor::new(bytes)?;
    let mut reader = decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity))?;
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut reader, &mut out).map_err(age::DecryptError::from)?;
    Ok(out)
}

/// The entries of a zip, by name.
fn unzip(bytes: Vec<u8>) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
            (f.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

/// Whether `secret` is anywhere in the audit log or in this run's trace log.
async fn leaked(t: &TestClinic, dpo: &Session, secret: &str) -> Vec<&'static str> {
    let events = t.clinic.list_audit(dpo, &cuspid::AuditFilter::default()).await.unwrap();
    let mut found = Vec::new();
    if serde_json::to_string(&events).unwrap().contains(secret) {
        found.push("audit log");
    }
    let log = std::fs::read(crate::support::log_file()).unwrap_or_default();
    if contains(&log, secret.as_bytes()) {
        found.push("trace log");
    }
    found
}

/// The tables of the real schema, and which have a column naming a patient.
async fn schema_tables(t: &TestClinic) -> Vec<(String, bool)> {
    use sea_orm::{ConnectionTrait, Statement};
    let db = t.clinic.store().connection();
    let sql = if t.is_sqlite() {
        "SELECT name AS t, (SELECT COUNT(*) FROM pragma_table_info(name) \
         WHERE name IN ('patient_id', 'subject_id', 'guardian_id')) AS p \
         FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    } else {
        "SELECT c.relname AS t, (SELECT COUNT(*) FROM information_schema.columns k \
         WHERE k.table_schema = 'public' AND k.table_name = c.relname \
         AND k.column_name IN ('patient_id', 'subject_id', 'guardian_id')) AS p \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind = 'r'"
    };
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    rows.iter()
        .map(|r| (r.try_get::<String>("", "t").unwrap(), r.try_get::<i64>("", "p").unwrap() > 0))
        .collect()
}

backend_tests! {
    async fn every_table_holding_personal_data_is_covered_by_a_module(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let tables = schema_tables(&t).await;
        assert!(tables.len() > 10, "{backend:?}: the schema was read");
        let not_personal: HashSet<&str> = cuspid::gdpr::NOT_PERSONAL.iter().map(|(t, _)| *t).collect();
        for (table, names_a_patient) in &tables {
            let covered = cuspid::gdpr::module_of(table);
            assert!(
                covered.is_some() || not_personal.contains(table.as_str()),
                "{backend:?}: table `{table}` is covered by no PersonalData module and not declared free \
                 of personal data in gdpr::NOT_PERSONAL"
            );
            assert!(
                !(covered.is_some() && not_personal.contains(table.as_str())),
                "{backend:?}: `{table}` cannot be both personal and not"
            );
            assert!(
                !(*names_a_patient && covered.is_none()),
                "{backend:?}: `{table}` names a patient but no module covers it"
            );
        }
        // And no module claims a table that does not exist.
        let names: HashSet<&str> = tables.iter().map(|(t, _)| t.as_str()).collect();
        for m in cuspid::gdpr::MODULES {
            for table in m.tables() {
                assert!(names.contains(table), "module {} claims missing table {table}", m.module());
            }
        }
    }
}

#[test]
fn restriction_stops_the_use_cases_that_change_a_record() {
    use cuspid::auth::Action;
    assert!(cuspid::gdpr::restricted_by_some_module(Action::PatientUpdate));
    assert!(!cuspid::gdpr::restricted_by_some_module(Action::ConsentRecord), "Art. 18(2): consent stays");
}

/// The R4 element names of the resources Cuspid writes (StructureDefinitions of
/// FHIR 4.0.1), the required ones, and the codes of the required bindings.
pub(crate) fn check_r4(resource: &Value, full_urls: &HashSet<String>) {
    const DOMAIN: &[&str] = &[
        "resourceType",
        "id",
        "meta",
        "implicitRules",
        "language",
        "text",
        "contained",
        "extension",
        "modifierExtension",
    ];
    let (allowed, required): (&[&str], &[&str]) = match resource["resourceType"].as_str().unwrap() {
        "Patient" => (
            &[
                "identifier",
                "active",
                "name",
                "telecom",
                "gender",
                "birthDate",
                "deceasedBoolean",
                "deceasedDateTime",
                "address",
                "maritalStatus",
                "multipleBirthBoolean",
                "multipleBirthInteger",
                "photo",
                "contact",
                "communication",
                "generalPractitioner",
                "managingOrganization",
                "link",
            ],
            &[],
        ),
        "RelatedPerson" => (
            &[
                "identifier",
                "active",
                "patient",
                "relationship",
                "name",
                "telecom",
                "gender",
                "birthDate",
                "address",
                "photo",
                "period",
                "communication",
            ],
            &["patient"],
        ),
        "Consent" => (
            &[
                "identifier",
                "status",
                "scope",
                "category",
                "patient",
                "dateTime",
                "performer",
                "organization",
                "sourceAttachment",
                "sourceReference",
                "policy",
                "policyRule",
                "verification",
                "provision",
            ],
            &["status", "scope", "category"],
        ),
        "Condition" => (
            &[
                "identifier",
                "clinicalStatus",
                "verificationStatus",
                "category",
                "severity",
                "code",
                "bodySite",
                "subject",
                "encounter",
                "onsetDateTime",
                "abatementDateTime",
                "recordedDate",
                "recorder",
                "asserter",
                "stage",
                "evidence",
                "note",
            ],
            &["subject"],
        ),
        "Procedure" => (
            &[
                "identifier",
                "basedOn",
                "partOf",
                "status",
                "statusReason",
                "category",
                "code",
                "subject",
                "encounter",
                "performedDateTime",
                "recorder",
                "asserter",
                "performer",
                "location",
                "reasonCode",
                "bodySite",
                "outcome",
                "note",
            ],
            &["status", "subject"],
        ),
        "QuestionnaireResponse" => (
            &[
                "identifier",
                "basedOn",
                "partOf",
                "questionnaire",
                "status",
                "subject",
                "encounter",
                "authored",
                "author",
                "source",
                "item",
            ],
            &["status"],
        ),
        "DocumentReference" => (
            &[
                "masterIdentifier",
                "identifier",
                "status",
                "docStatus",
                "type",
                "category",
                "subject",
                "date",
                "author",
                "authenticator",
                "custodian",
                "relatesTo",
                "description",
                "securityLabel",
                "content",
                "context",
            ],
            &["status", "content"],
        ),
        "Media" => (
            &[
                "identifier",
                "basedOn",
                "partOf",
                "status",
                "type",
                "modality",
                "view",
                "subject",
                "encounter",
                "createdDateTime",
                "issued",
                "operator",
                "reasonCode",
                "bodySite",
                "deviceName",
                "device",
                "height",
                "width",
                "frames",
                "content",
                "note",
            ],
            &["status", "content"],
        ),
        "CarePlan" => (
            &[
                "identifier",
                "basedOn",
                "replaces",
                "partOf",
                "status",
                "intent",
                "category",
                "title",
                "description",
                "subject",
                "encounter",
                "period",
                "created",
                "author",
                "contributor",
                "careTeam",
                "addresses",
                "supportingInfo",
                "goal",
                "activity",
                "note",
            ],
            &["status", "intent", "subject"],
        ),
        other => panic!("unexpected resource type {other}"),
    };
    if let Some(subject) = resource.get("subject") {
        let r = subject["reference"].as_str().unwrap();
        assert!(full_urls.contains(r), "subject resolves in the bundle: {r}");
    }
    let code_in = |element: &str, codes: &[&str]| {
        if let Some(v) = resource.get(element) {
            assert!(codes.contains(&v.as_str().unwrap()), "{element} {v} is not an R4 code");
        }
    };
    match resource["resourceType"].as_str().unwrap() {
        "Procedure" => code_in(
            "status",
            &[
                "preparation",
                "in-progress",
                "not-done",
                "on-hold",
                "stopped",
                "completed",
                "entered-in-error",
                "unknown",
            ],
        ),
        "QuestionnaireResponse" => {
            code_in("status", &["in-progress", "completed", "amended", "entered-in-error", "stopped"])
        }
        "DocumentReference" => code_in("status", &["current", "superseded", "entered-in-error"]),
        "Media" => code_in(
            "status",
            &[
                "preparation",
                "in-progress",
                "not-done",
                "on-hold",
                "stopped",
                "completed",
                "entered-in-error",
                "unknown",
            ],
        ),
        "CarePlan" => {
            code_in(
                "status",
                &["draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"],
            );
            code_in("intent", &["proposal", "plan", "order", "option"]);
        }
        _ => {}
    }
    let obj = resource.as_object().unwrap();
    for key in obj.keys() {
        assert!(
            DOMAIN.contains(&key.as_str()) || allowed.contains(&key.as_str()),
            "{key} is not an R4 element"
        );
    }
    for key in required {
        assert!(obj.contains_key(*key), "required element {key} missing");
    }
    match resource["resourceType"].as_str().unwrap() {
        "Patient" => {
            if let Some(g) = resource.get("gender") {
                assert!(["male", "female", "other", "unknown"].contains(&g.as_str().unwrap()));
            }
            for n in resource["name"].as_array().unwrap() {
                for k in n.as_object().unwrap().keys() {
                    assert!(
                        ["use", "text", "family", "given", "prefix", "suffix", "period"]
                            .contains(&k.as_str())
                    );
                }
            }
            for c in resource["telecom"].as_array().unwrap() {
                assert!(
                    ["phone", "fax", "email", "pager", "url", "sms", "other"]
                        .contains(&c["system"].as_str().unwrap())
                );
            }
            let birth = resource["birthDate"].as_str().unwrap();
            assert!(
                cuspid::chrono::NaiveDate::parse_from_str(birth, "%Y-%m-%d").is_ok(),
                "birthDate {birth}"
            );
        }
        "Consent" => {
            let status = resource["status"].as_str().unwrap();
            assert!(
                ["draft", "proposed", "active", "rejected", "inactive", "entered-in-error"].contains(&status)
            );
            assert!(
                obj.contains_key("policy") || obj.contains_key("policyRule"),
                "ppc-1: policy or policyRule"
            );
            assert!(!resource["category"].as_array().unwrap().is_empty(), "category is 1..*");
            let r = resource["patient"]["reference"].as_str().unwrap();
            assert!(full_urls.contains(r), "Consent.patient resolves in the bundle: {r}");
            assert!(
                cuspid::chrono::DateTime::parse_from_rfc3339(resource["dateTime"].as_str().unwrap()).is_ok()
            );
        }
        "RelatedPerson" => {
            let r = resource["patient"]["reference"].as_str().unwrap();
            assert!(full_urls.contains(r), "RelatedPerson.patient resolves in the bundle: {r}");
        }
        _ => {}
    }
}

/// A mother with everything a record can hold so far, her child, an edit, a request.
async fn rich_patient(t: &TestClinic, recep: &Session, dpo: &Session) -> (cuspid::PatientDto, Uuid) {
    let mut np = PEOPLE[1].new_patient();
    np.emergency_contact = Some("Radu Bărbulescu, 0722 111 222".into());
    np.consents =
        vec![consent(ConsentKind::HealthData, true, None), consent(ConsentKind::Marketing, true, None)];
    let mother = t.clinic.patients().register_patient(recep, np).await.unwrap();
    let child = t
        .clinic
        .patients()
        .register_patient(
            recep,
            NewPatient {
                first_name: "Ilinca".into(),
                last_name: "Bărbulescu".into(),
                cnp: Some(CHILD_CNP.into()),
                guardian: Some(GuardianInput { patient_id: mother.id, relationship: "mamă".into() }),
                consents: vec![consent(ConsentKind::HealthData, true, Some(mother.id))],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let changes = PatientChanges { address: Some("Strada Fagului 9, Brașov".into()), ..Default::default() };
    let mother = t
        .clinic
        .patients()
        .update_patient(recep, mother.id, mother.version, changes, "s-a mutat")
        .await
        .unwrap();
    t.clinic
        .patients()
        .record_consent(recep, mother.id, consent(ConsentKind::Marketing, false, None))
        .await
        .unwrap();
    t.clinic.gdpr().register_request(dpo, request(mother.id, RequestKind::Access)).await.unwrap();
    (mother, child.id)
}

backend_tests! {
    async fn an_export_holds_every_field_in_every_format_and_the_letter_says_what_art_15_asks(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("irina", Role::Dpo).await;
        let (mother, _) = rich_patient(&t, &recep, &dpo).await;
        let out = tempfile::tempdir().unwrap();

        let denied = t.clinic.gdpr().export_patient(&recep, mother.id, options(out.path(), None)).await.unwrap_err();
        assert_eq!(denied.kind(), "auth.permission_denied", "{backend:?}");
        let report = t.clinic.gdpr().export_patient(&dpo, mother.id, options(out.path(), None)).await.unwrap();
        assert!(!report.encrypted);
        let folder = std::path::PathBuf::from(&report.data_path);
        for name in
            std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap())
        {
            assert!(name.starts_with("cuspid-export-"), "only the export's files: {name}");
            for secret in PEOPLE[1].secrets() {
                assert!(!name.contains(&secret), "no personal data in file names");
            }
        }

        let json: Value = serde_json::from_slice(&std::fs::read(folder.join("data.json")).unwrap()).unwrap();
        let patient = &json["data"]["patient"][0];
        let f = &mother.fields;
        for (key, value) in [
            ("first_name", Some(f.first_name.as_str())),
            ("last_name", Some(f.last_name.as_str())),
            ("cnp", f.cnp.as_deref()),
            ("birth_date", f.birth_date.as_deref()),
            ("sex", f.sex.map(|s| s.as_str())),
            ("phone", f.phone.as_deref()),
            ("email", f.email.as_deref()),
            ("address", f.address.as_deref()),
            ("emergency_contact", f.emergency_contact.as_deref()),
        ] {
            assert_eq!(patient[key].as_str(), value, "{backend:?}: {key} in data.json");
        }
        let corrections = json["data"]["corrections"].as_array().unwrap();
        assert_eq!(corrections.len(), 1);
        assert_eq!(corrections[0]["previous_address"], PEOPLE[1].address, "the value before the edit");
        assert_eq!(corrections[0]["reason"], "s-a mutat");
        let consents = json["data"]["consents"].as_array().unwrap();
        assert_eq!(consents.len(), 3, "two at registration, one withdrawal");
        assert!(consents.iter().any(|c| c["text_shown"] == "Sunt de acord: marketing (ș, ț, ă)."));
        assert_eq!(json["data"]["requests"].as_array().unwrap().len(), 1);
        let log = json["data"]["access_log"].as_array().unwrap();
        assert!(log.iter().any(|e| e["action"] == "patient.update" && e["role"] == "receptionist"));
        assert!(log.iter().all(|e| e.get("actor").is_none()), "the log names roles, not staff");

        let csv = std::fs::read_to_string(folder.join("csv/patient.csv")).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        let row = reader.records().next().unwrap().unwrap();
        let col = |name: &str| row.get(header.iter().position(|h| h == name).unwrap()).unwrap().to_owned();
        assert_eq!(col("cnp"), f.cnp.clone().unwrap());
        assert_eq!(col("address"), "Strada Fagului 9, Brașov");
        for kind in ["corrections", "consents", "guardians", "requests", "access_log"] {
            assert!(folder.join(format!("csv/{kind}.csv")).is_file(), "{kind}.csv");
        }

        let xml = std::fs::read_to_string(folder.join("data.xml")).unwrap();
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut texts = Vec::new();
        loop {
            match reader.read_event().unwrap() {
                quick_xml::events::Event::Text(t) => texts.push(t.xml10_content().into_owned()),
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        for value in [&f.first_name, &f.last_name, f.cnp.as_ref().unwrap(), f.email.as_ref().unwrap()] {
            assert!(texts.iter().any(|t| t == value), "{backend:?}: the XML holds every field");
        }

        crate::support::validate_fhir_r4(&[&folder.join("fhir-bundle.json")]);
        let bundle: Value =
            serde_json::from_slice(&std::fs::read(folder.join("fhir-bundle.json")).unwrap()).unwrap();
        assert_eq!(bundle["resourceType"], "Bundle");
        assert_eq!(bundle["type"], "collection");
        let entries = bundle["entry"].as_array().unwrap();
        let full_urls: HashSet<String> =
            entries.iter().map(|e| e["fullUrl"].as_str().unwrap().to_owned()).collect();
        for e in entries {
            for k in e.as_object().unwrap().keys() {
                assert!(
                    ["link", "fullUrl", "resource", "search", "request", "response"].contains(&k.as_str())
                );
            }
            check_r4(&e["resource"], &full_urls);
        }
        let fhir_patient = entries.iter().find(|e| e["resource"]["resourceType"] == "Patient").unwrap();
        assert_eq!(fhir_patient["resource"]["identifier"][0]["value"], f.cnp.clone().unwrap());
        assert_eq!(fhir_patient["resource"]["name"][0]["family"], f.last_name);
        assert_eq!(entries.iter().filter(|e| e["resource"]["resourceType"] == "Consent").count(), 3);

        let letter = flat(&Pdf::new(&std::fs::read(&report.letter_path).unwrap()).text());
        for element in [
            "Stimată doamnă / Stimate domn Ioana Bărbulescu",
            "Scopul",
            "Temeiul legal",
            "Destinatari",
            "Sursa",
            "Cât timp le păstrăm",
            "7 ani de la ultimul tratament",
            "rectificarea",
            "ștergerea",
            "restricționarea",
            "să vă opuneți",
            "ANSPDCP",
            "bazate exclusiv pe prelucrarea automată",
            "nu sunt transferate în afara Uniunii Europene",
            "fhir-bundle.json",
            "Irina Matei",
        ] {
            assert!(letter.contains(element), "{backend:?}: the letter lacks «{element}»: {letter}");
        }

        let events = t
            .clinic
            .list_audit(&dpo, &cuspid::AuditFilter { patient: Some(mother.id), ..Default::default() })
            .await
            .unwrap();
        assert!(events.iter().any(|e| e.action == "patient.export"), "{backend:?}: the export is audited");
    }
}

backend_tests! {
    async fn an_encrypted_export_is_one_age_file_that_opens_only_with_its_passphrase(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("irina", Role::Dpo).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[0].new_patient()).await.unwrap();
        let out = tempfile::tempdir().unwrap();

        let short =
            t.clinic.gdpr().export_patient(&dpo, p.id, options(out.path(), Some("scurtă"))).await.unwrap_err();
        assert_eq!(short.kind(), "input.invalid", "{backend:?}");
        let missing = options(&out.path().join("nu-există"), None);
        assert_eq!(t.clinic.gdpr().export_patient(&dpo, p.id, missing).await.unwrap_err().kind(), "input.invalid");
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing written by refused exports");

        let passphrase = "cal-verde-pe-perete-42";
        let report =
            t.clinic.gdpr().export_patient(&dpo, p.id, options(out.path(), Some(passphrase))).await.unwrap();
        assert!(
            report.encrypted && report.data_path.ends_with(".zip.age"),
            "{backend:?}: {}",
            report.data_path
        );
        assert!(report.generated_passphrase.is_none(), "a typed passphrase is not given back");
        let names: Vec<String> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "the age file and the letter, no staging left: {names:?}");
        let bytes = std::fs::read(&report.data_path).unwrap();
        assert!(
            bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "),
            "an age v1 file with one scrypt stanza"
        );
        for secret in PEOPLE[0].secrets() {
            assert!(!contains(&bytes, secret.as_bytes()), "{backend:?}: the file holds nothing in clear");
        }
        for name in ["data.json", "fhir-bundle.json", "csv/", "PK\x03\x04"] {
            assert!(!contains(&bytes, name.as_bytes()), "no entry of the zip shows: {name}");
        }

        assert!(age_open(&bytes, "cal-verde-pe-perete-43").is_err(), "a wrong passphrase opens nothing");
        let entries = unzip(age_open(&bytes, passphrase).unwrap());
        let listed: HashSet<&str> = entries.keys().map(String::as_str).collect();
        let reported: HashSet<&str> = report.files.iter().map(String::as_str).collect();
        assert_eq!(listed, reported, "the zip holds the files the report names");
        for name in ["data.json", "data.xml", "fhir-bundle.json", "csv/patient.csv"] {
            assert!(listed.contains(name), "{name} is in the zip");
        }
        let v: Value = serde_json::from_slice(&entries["data.json"]).unwrap();
        assert_eq!(v["data"]["patient"][0]["last_name"], PEOPLE[0].last);
        let unpacked = tempfile::tempdir().unwrap();
        let bundle = unpacked.path().join("fhir-bundle.json");
        std::fs::write(&bundle, &entries["fhir-bundle.json"]).unwrap();
        crate::support::validate_fhir_r4(&[&bundle]);

        let letter = flat(&Pdf::new(&std::fs::read(&report.letter_path).unwrap()).text());
        assert!(letter.contains("Copia este criptată"), "the letter says the passphrase comes separately");
        assert!(letter.contains("age -d"), "and which tool opens the file: {letter}");
        assert!(!letter.contains("AES"), "the old format is not named");
        assert_eq!(
            leaked(&t, &dpo, passphrase).await,
            Vec::<&str>::new(),
            "{backend:?}: the passphrase is secret"
        );
    }
}

/// Type `passphrase` at `age -d`'s prompt (it reads the terminal, never stdin) through
/// a pseudo-terminal, writing the plaintext of `file` to `out`.
const AGE_ON_A_PTY: &str = r#"
import os, pty, sys
tool, file, out, passphrase = sys.argv[1:5]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(tool, [tool, "-d", "-o", out, file])
seen = b""
while b"passphrase" not in seen.lower():
    chunk = os.read(fd, 1024)
    if not chunk:
        break
    seen += chunk
os.write(fd, passphrase.encode() + b"\n")
try:
    while os.read(fd, 1024):
        pass
except OSError:
    pass
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
"#;

#[tokio::test]
async fn the_reference_age_tool_opens_an_encrypted_export() {
    let found = std::process::Command::new("age").arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").is_err(),
            "CI checks the export with the age tool: scripts/setup-debian.sh installs it"
        );
        return;
    }
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dpo = t.staff("irina", Role::Dpo).await;
    let p = t.clinic.patients().register_patient(&recep, PEOPLE[3].new_patient()).await.unwrap();
    let out = tempfile::tempdir().unwrap();
    let opts =
        ExportOptions { encryption: ExportEncryption::Generated, ..ExportOptions::into_folder(out.path()) };
    let report = t.clinic.gdpr().export_patient(&dpo, p.id, opts).await.unwrap();
    let words = report.generated_passphrase.clone().unwrap();
    let run = |passphrase: &str, plain: &std::path::Path| {
        std::process::Command::new("python3")
            .args(["-c", AGE_ON_A_PTY, "age", &report.data_path, plain.to_str().unwrap(), passphrase])
            .output()
            .unwrap()
    };
    let wrong = out.path().join("wrong.zip");
    assert!(!run("nu e parola", &wrong).status.success(), "age refuses a wrong passphrase");
    let plain = out.path().join("data.zip");
    let opened = run(&words, &plain);
    assert!(opened.status.success(), "age -d opens the export: {}", String::from_utf8_lossy(&opened.stdout));
    let entries = unzip(std::fs::read(&plain).unwrap());
    let v: Value = serde_json::from_slice(&entries["data.json"]).unwrap();
    assert_eq!(v["data"]["patient"][0]["last_name"], PEOPLE[3].last, "the zip age wrote out is the export");
}

/// An intraoral X-ray whose DICOM header names the patient.
fn named_dicom() -> Vec<u8> {
    let samples: Vec<u16> = (0..40 * 30).map(|i| (i * 7919 % 4096) as u16).collect();
    crate::support::dicom::SyntheticDicom {
        width: 40,
        height: 30,
        bits: 16,
        monochrome1: false,
        samples: &samples,
        patient_name: "Dicomescu^Ilie",
        patient_id: "1790312080012",
        window: (2000.0, 3000.0),
        spacing_mm: 0.05,
    }
    .to_bytes()
    .unwrap()
}

backend_tests! {
    async fn a_generated_passphrase_is_six_words_of_the_letters_language_shown_once(backend) {
        use cuspid::clinical::imaging::{NewXray, XrayKind};
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dentist = t.staff("dr-pop", Role::Dentist).await;
        let dpo = t.staff("irina", Role::Dpo).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[2].new_patient()).await.unwrap();
        let original = named_dicom();
        let new =
            NewXray { kind: XrayKind::Periapical, date: "2025-03-01".into(), teeth: vec![36], note: None };
        let x = t.clinic.clinical().import_xray(&dentist, p.id, &original, new).await.unwrap();

        for lang in [Language::Ro, Language::En] {
            let out = tempfile::tempdir().unwrap();
            let opts = ExportOptions {
                encryption: ExportEncryption::Generated,
                lang: Some(lang),
                ..ExportOptions::into_folder(out.path())
            };
            let report = t.clinic.gdpr().export_patient(&dpo, p.id, opts).await.unwrap();
            let words = report.generated_passphrase.clone().expect("a generated passphrase is given back");
            assert!(!format!("{report:?}").contains(words.as_str()), "Debug does not show it");
            let list = cuspid::gdpr::passphrase::word_list(lang);
            let drawn: Vec<&str> = words.split(' ').collect();
            assert_eq!(drawn.len(), 6, "{backend:?} {lang:?}: six words");
            assert!(
                drawn.iter().all(|w| list.contains(w)),
                "{lang:?}: every word from the letter's list: {drawn:?}"
            );
            let bytes = std::fs::read(&report.data_path).unwrap();
            let entries = unzip(age_open(&bytes, &words).expect("the words open the file"));

            let image = &entries[&format!("images/{}.dcm", x.id)];
            assert!(report.images_deidentified, "images are de-identified by default");
            for secret in ["Dicomescu", "Ilie", "1790312080012"] {
                assert!(contains(&original, secret.as_bytes()), "the imported header names {secret}");
                assert!(
                    !contains(image, secret.as_bytes()),
                    "{backend:?}: the exported copy does not: {secret}"
                );
            }
            let (a, b) = (
                cuspid::clinical::imaging::decode::decode(&original).unwrap(),
                cuspid::clinical::imaging::decode::decode(image).unwrap(),
            );
            assert_eq!(a.samples, b.samples, "the exported image has the same pixels");
            assert!(contains(image, b"YES"), "PatientIdentityRemoved");
            let letter = flat(&Pdf::new(&std::fs::read(&report.letter_path).unwrap()).text());
            let says = if lang == Language::Ro {
                "am scos datele de identificare"
            } else {
                "we removed the identifying data"
            };
            assert!(
                letter.contains(says),
                "{lang:?}: the letter says the images are de-identified: {letter}"
            );
            assert_eq!(
                leaked(&t, &dpo, &words).await,
                Vec::<&str>::new(),
                "{backend:?}: the words are secret"
            );
        }

        // On request, the originals byte for byte, in the export and alone.
        let out = tempfile::tempdir().unwrap();
        let opts = ExportOptions { keep_image_metadata: true, ..ExportOptions::into_folder(out.path()) };
        let report = t.clinic.gdpr().export_patient(&dpo, p.id, opts).await.unwrap();
        assert!(!report.images_deidentified);
        let kept =
            std::fs::read(std::path::Path::new(&report.data_path).join(format!("images/{}.dcm", x.id)))
                .unwrap();
        assert_eq!(kept, original, "the original, byte for byte");
        let (_, alone) = t.clinic.clinical().xray_export(&dentist, p.id, x.id, false).await.unwrap();
        assert_eq!(alone, original);
        let (_, stripped) = t.clinic.clinical().xray_export(&dentist, p.id, x.id, true).await.unwrap();
        assert!(!contains(&stripped, b"Dicomescu"), "a single image can go out de-identified too");
        let clinical = t.clinic.clinical();
        let again = clinical.import_xray(
            &dentist,
            p.id,
            &stripped,
            NewXray { kind: XrayKind::Periapical, date: "2025-03-01".into(), teeth: vec![], note: None },
        );
        assert!(again.await.unwrap().dicom.unwrap().patient_name.is_none(), "and imports again, nameless");
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

backend_tests! {
    async fn erasure_destroys_the_key_keeps_what_the_law_keeps_and_says_so(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("irina", Role::Dpo).await;
        let (mother, child) = rich_patient(&t, &recep, &dpo).await;

        // The only guardian of a minor cannot go: nothing changes.
        let refused = t.clinic.gdpr().erase_patient(&dpo, mother.id, None).await.unwrap_err();
        assert_eq!(refused.kind(), "input.invalid", "{backend:?}");
        assert!(t.clinic.patients().get_patient(&recep, mother.id).await.is_ok(), "refused erasure changed nothing");

        // The adult without children: PEOPLE[2], with consents and an erasure request.
        let mut np = PEOPLE[2].new_patient();
        np.consents = vec![consent(ConsentKind::Marketing, true, None)];
        let p = t.clinic.patients().register_patient(&recep, np).await.unwrap();
        let changes = PatientChanges { phone: Some("+49 151 9999 0000".into()), ..Default::default() };
        t.clinic.patients().update_patient(&recep, p.id, p.version, changes, "telefon nou").await.unwrap();
        let req = t.clinic.gdpr().register_request(&dpo, request(p.id, RequestKind::Erasure)).await.unwrap();
        let wrong_kind = t.clinic.gdpr().register_request(&dpo, request(p.id, RequestKind::Access)).await.unwrap();
        let old_key: Vec<u8> = if t.is_sqlite() {
            let conn = rusqlite::Connection::open(t.sqlite_file()).unwrap();
            conn.query_row("SELECT dek_wrapped FROM patient WHERE id = ?1", [p.id.as_bytes().to_vec()], |r| {
                r.get(0)
            })
            .or_else(|_| {
                conn.query_row("SELECT dek_wrapped FROM patient WHERE id = ?1", [p.id.to_string()], |r| {
                    r.get(0)
                })
            })
            .unwrap()
        } else {
            Vec::new()
        };

        let preview = t.clinic.gdpr().erasure_preview(&dpo, p.id).await.unwrap();
        let fate = |m: &str| preview.iter().find(|l| l.module == m).unwrap().fate.clone();
        assert_eq!(
            (fate("patients"), fate("consent"), fate("requests")),
            ("erase".into(), "keep".into(), "keep".into())
        );
        assert!(t.clinic.patients().get_patient(&recep, p.id).await.is_ok(), "a preview changes nothing");

        assert_eq!(
            t.clinic.gdpr().erase_patient(&recep, p.id, None).await.unwrap_err().kind(),
            "auth.permission_denied"
        );
        let e = t.clinic.gdpr().erase_patient(&dpo, p.id, Some(wrong_kind.id)).await.unwrap_err();
        assert_eq!(e.kind(), "input.invalid", "an access request does not authorise an erasure");

        let report = t.clinic.gdpr().erase_patient(&dpo, p.id, Some(req.id)).await.unwrap();
        let part = |k: &str| report.parts.iter().find(|x| x.kind == k).unwrap().clone();
        assert_eq!((part("patient").erased, part("corrections").erased), (1, 1), "{backend:?}: {report:?}");
        assert_eq!((part("consents").erased, part("consents").kept), (0, 1));
        assert_eq!(part("requests").kept, 2, "the request log stays");
        assert!(part("access_log").kept > 0, "the access log stays: {report:?}");

        // Gone for every use case, and not found by any search.
        assert_eq!(t.clinic.patients().get_patient(&recep, p.id).await.unwrap_err().kind(), "not_found");
        for q in [
            PatientQuery::Name(PEOPLE[2].last.into()),
            PatientQuery::Phone("+49 151 9999 0000".into()),
            PatientQuery::Email(PEOPLE[2].email.into()),
        ] {
            assert!(t.clinic.patients().find_patients(&recep, &q).await.unwrap().is_empty(), "{backend:?}: {q:?}");
        }
        assert_eq!(t.clinic.gdpr().erase_patient(&dpo, p.id, None).await.unwrap_err().kind(), "not_found");

        // What stays is readable for its purpose, by the DPO.
        let kept = t.clinic.retained_consents(&dpo, p.id).await.unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].text_shown, "Sunt de acord: marketing (ș, ț, ă).");
        assert!(
            t.clinic.retained_consents(&recep, p.id).await.is_err(),
            "only the DPO reads the kept consents"
        );
        let log = t.clinic.gdpr().request(&dpo, req.id).await.unwrap();
        assert_eq!(log.patient_name, format!("{} {}", PEOPLE[2].last, PEOPLE[2].first), "the log names them");

        // The letter.
        let letter = flat(&Pdf::new(&t.clinic.gdpr().erasure_letter(&dpo, p.id, Language::Ro).await.unwrap()).text());
        for element in [
            "Hans Zimmerwald",
            "Ce am șters",
            "datele de identificare și de contact (1)",
            "istoricul corecturilor acestor date (1)",
            "Ce păstrăm, de ce și până când",
            "înregistrările consimțămintelor (1)",
            "apărarea unui drept în instanță",
            "nu face copii de siguranță proprii",
            "ANSPDCP",
        ] {
            assert!(letter.contains(element), "{backend:?}: the erasure letter lacks «{element}»: {letter}");
        }
        let en = flat(&Pdf::new(&t.clinic.gdpr().erasure_letter(&dpo, p.id, Language::En).await.unwrap()).text());
        assert!(en.contains("What we erased") && en.contains("What we keep, why and until when"));
        assert!(!en.contains("replaced in rotation"), "no promise about backups Cuspid does not make: {en}");
        assert!(en.contains("makes no backup copies of its own"), "{en}");

        // The audit trail records what the store reported.
        let events = t
            .clinic
            .list_audit(&dpo, &cuspid::AuditFilter { patient: Some(p.id), ..Default::default() })
            .await
            .unwrap();
        let erase = events.iter().find(|e| e.action == "patient.erase").unwrap();
        assert!(erase.purpose.contains("2 records destroyed"), "{}", erase.purpose);

        // No trace: not the old wrapped key, not a name, in the database file or its WAL.
        if t.is_sqlite() {
            assert!(!old_key.is_empty());
            let file = t.sqlite_file();
            let wal = file.with_extension("sqlite-wal");
            for path in [file, wal] {
                let Ok(bytes) = std::fs::read(&path) else { continue };
                assert!(!contains(&bytes, &old_key), "the old wrapped key lingers in {}", path.display());
                for secret in PEOPLE[2].secrets() {
                    assert!(
                        !contains(&bytes, secret.as_bytes()),
                        "{secret:?} in clear in {}",
                        path.display()
                    );
                }
            }
        }
        // The mother still stands, her child with her.
        assert!(t.clinic.patients().guardians(&recep, child).await.unwrap().iter().any(|g| g.guardian_id == mother.id));
    }
}

#[tokio::test]
async fn a_parent_who_asked_for_a_childs_erasure_gets_the_answer() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dpo = t.staff("irina", Role::Dpo).await;
    let (mother, child) = rich_patient(&t, &recep, &dpo).await;
    let mut ask = request(child, RequestKind::Erasure);
    ask.via_guardian = Some(mother.id);
    let r = t.clinic.gdpr().register_request(&dpo, ask).await.unwrap();
    t.clinic.gdpr().erase_patient(&dpo, child, Some(r.id)).await.unwrap();
    let letter =
        flat(&Pdf::new(&t.clinic.gdpr().erasure_letter(&dpo, child, Language::Ro).await.unwrap()).text());
    assert!(letter.contains("Către: Ioana Bărbulescu"), "to the mother who asked: {letter}");
    assert!(letter.contains("Privind pacientul: Ilinca Bărbulescu"), "about the child: {letter}");
    assert!(letter.contains("Stimată doamnă / Stimate domn Ioana Bărbulescu"));
}

#[tokio::test]
async fn letters_are_written_in_the_language_the_reader_gave() {
    let (t, _) = TestClinic::init(&Backend::Sqlite).await;
    let recep = t.staff("ana", Role::Receptionist).await;
    let dpo = t.staff("irina", Role::Dpo).await;
    let mut np = PEOPLE[2].new_patient();
    np.language = Some("EN".into());
    let hans = t.clinic.patients().register_patient(&recep, np).await.unwrap();
    assert_eq!(hans.fields.language, Some(Language::En));
    let ioana = t.clinic.patients().register_patient(&recep, PEOPLE[1].new_patient()).await.unwrap();
    let mut bad = PEOPLE[0].new_patient();
    bad.language = Some("de".into());
    assert_eq!(t.clinic.patients().register_patient(&recep, bad).await.unwrap_err().kind(), "input.invalid");

    let out = tempfile::tempdir().unwrap();
    let en = t.clinic.gdpr().export_patient(&dpo, hans.id, options(out.path(), None)).await.unwrap();
    let text = flat(&Pdf::new(&std::fs::read(&en.letter_path).unwrap()).text());
    assert!(text.contains("Answer to your request for access") && text.contains("Dear Hans Zimmerwald"));
    let ro = t.clinic.gdpr().export_patient(&dpo, ioana.id, options(out.path(), None)).await.unwrap();
    let text = flat(&Pdf::new(&std::fs::read(&ro.letter_path).unwrap()).text());
    assert!(text.contains("Răspuns la cererea dumneavoastră"), "no language given: the clinic's (ro)");

    let b = t
        .clinic
        .gdpr()
        .open_breach(
            &dpo,
            cuspid::gdpr::breaches::NewBreach {
                discovered_at: cuspid::chrono::Utc::now().to_rfc3339(),
                occurred_from: None,
                occurred_to: None,
                nature: vec!["availability".into()],
                description: "Discul serverului s-a defectat.".into(),
                data_categories: "toate".into(),
                consequences: "Programări pierdute.".into(),
                measures_taken: "Refacere din copie.".into(),
                measures_proposed: "Disc în oglindă.".into(),
                risk: cuspid::gdpr::breaches::Risk::High,
            },
        )
        .await
        .unwrap();
    t.clinic
        .gdpr()
        .find_affected(&dpo, b.id, cuspid::gdpr::breaches::AffectedScope::AllPatients)
        .await
        .unwrap();
    let letters = t.clinic.gdpr().notify_subjects(&dpo, b.id, Language::Ro).await.unwrap();
    for (id, pdf) in &letters.letters {
        let text = flat(&Pdf::new(pdf).text());
        if *id == hans.id {
            assert!(text.contains("What happened"), "Hans reads English");
        } else {
            assert!(text.contains("Ce s-a întâmplat"), "the others the language asked for");
        }
    }
}

backend_tests! {
    async fn what_an_erasure_keeps_is_under_a_random_key_the_retention_job_destroys(backend) {
        let (t, _) = TestClinic::init(&backend).await;
        let recep = t.staff("ana", Role::Receptionist).await;
        let dpo = t.staff("irina", Role::Dpo).await;
        let p = t.clinic.patients().register_patient(&recep, PEOPLE[1].new_patient()).await.unwrap();
        t.clinic.patients().record_consent(&recep, p.id, consent(ConsentKind::Marketing, true, None)).await.unwrap();
        t.clinic.gdpr().erase_patient(&dpo, p.id, None).await.unwrap();
        assert_eq!(t.clinic.retained_consents(&dpo, p.id).await.unwrap().len(), 1);

        // The key is wrapped by the clinic key: a rotation carries it over.
        let admin = t.admin().await;
        t.clinic.rotate_keys(&admin).await.unwrap();
        let dpo = t.sign_in(&t.clinic, "irina", crate::support::STAFF_PASSWORD).await;
        assert_eq!(t.clinic.retained_consents(&dpo, p.id).await.unwrap().len(), 1, "{backend:?}");

        // Not yet due: the retention job leaves it.
        let run = t.clinic.gdpr().retention_run(&dpo, true).await.unwrap();
        assert_eq!(run.retention_keys_destroyed, 0, "{backend:?}");
        // Its period over (the day moved back as if two years had passed): destroyed.
        t.raw("UPDATE erasure SET kept_until = '2020-01-01'").await;
        let preview = t.clinic.gdpr().retention_run(&dpo, false).await.unwrap();
        assert_eq!(preview.retention_keys_destroyed, 1, "{backend:?}: the preview says so");
        assert_eq!(
            t.clinic.retained_consents(&dpo, p.id).await.unwrap().len(),
            1,
            "a preview changes nothing"
        );
        let run = t.clinic.gdpr().retention_run(&dpo, true).await.unwrap();
        assert_eq!(run.retention_keys_destroyed, 1, "{backend:?}");
        let e = t.clinic.retained_consents(&dpo, p.id).await.unwrap_err();
        assert_eq!(e.kind(), "not_found", "{backend:?}: the kept records are noise now");
        let requests = t.clinic.gdpr().list_requests(&dpo, false).await.unwrap();
        assert!(requests.is_empty() || requests.iter().all(|r| !r.patient_name.contains(PEOPLE[1].last)));
    }
}
