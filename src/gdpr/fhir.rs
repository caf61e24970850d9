//! HL7 FHIR R4 resources for the portability export (Art. 20): a `collection`
//! Bundle of Patient, RelatedPerson and Consent, and whatever later modules add.
//! Only elements of the R4 definitions are written; the tests check each resource
//! against the element names and cardinalities of its R4 StructureDefinition.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::clinical::chart::Condition;
use crate::consent::ConsentKind;
use crate::documents::Language;
use crate::patients::{PatientFields, Sex};

/// The identifier system of the Romanian personal numeric code (CNP) in Cuspid's
/// exports. Romania publishes no FHIR NamingSystem for it; the receiving system
/// maps it.
pub const CNP_SYSTEM: &str = "urn:cuspid:ro:cnp";
/// SNOMED CT, international edition.
pub const SNOMED: &str = "http://snomed.info/sct";
/// The chart's own findings (`caries`, `missing`, ...: `chart::Condition`).
pub const CONDITION_SYSTEM: &str = "urn:cuspid:chart-condition";
/// The clinic's procedure catalogue (`restoration.composite`, ...): its codes are the
/// clinic's own, the defaults those Cuspid ships.
pub const CATALOGUE_SYSTEM: &str = "urn:cuspid:procedure-catalogue";

/// SNOMED CT for the findings the chart records, where one concept says the same
/// thing (`Finding` hierarchy, the terms of SNOMED International's dentistry demonstrator).
/// A restoration that is there (filling, crown, implant...) has no single finding concept: it
/// travels with Cuspid's own code and the words.
fn condition_snomed(c: Condition) -> Option<(&'static str, &'static str)> {
    match c {
        Condition::Caries => Some(("80967001", "Dental caries")),
        Condition::Missing => Some(("234948008", "Tooth absent")),
        Condition::Fracture => Some(("36202009", "Fracture of tooth")),
        _ => None,
    }
}

/// SNOMED CT for the procedures of Cuspid's default catalogue (`Procedure` hierarchy).
fn procedure_snomed(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "exam.initial" | "exam.control" => ("34043003", "Dental consultation and report"),
        "restoration.composite" => ("234789004", "Insertion of composite restoration into tooth"),
        "restoration.glass_ionomer" => ("277554000", "Insertion of glass-ionomer restoration into tooth"),
        "prevention.sealant" => ("234713009", "Fissure seal tooth"),
        "endo.single_canal" | "endo.multi_canal" => ("1264277001", "Treatment of root canal of tooth"),
        "extraction.simple" | "extraction.surgical" => ("55162003", "Tooth extraction"),
        "crown.metal_ceramic" | "crown.zirconia" => ("426222000", "Fitting of dental crown to tooth"),
        "bridge.pontic" => ("1285052006", "Insertion of dental bridge onto tooth"),
        "implant.placement" => ("1156981009", "Implantation of dental endosseous implant"),
        _ => return None,
    })
}

fn coding(system: &str, code: &str, display: &str) -> Value {
    json!({ "system": system, "code": code, "display": display })
}

/// A chart finding as a CodeableConcept: SNOMED CT where it has a concept, Cuspid's own
/// code always, the words in `lang`.
pub fn condition_code(c: Condition, lang: Language) -> Value {
    let mut codings: Vec<Value> =
        condition_snomed(c).map(|(code, term)| coding(SNOMED, code, term)).into_iter().collect();
    codings.push(coding(CONDITION_SYSTEM, c.as_str(), c.name(lang)));
    json!({ "coding": codings, "text": c.name(lang) })
}

/// A procedure as a CodeableConcept: SNOMED CT for the default catalogue's, the clinic's
/// catalogue code always, with `name`, its name in the reader's language (the code itself
/// when the catalogue has it no more).
pub fn procedure_code(code: &str, name: Option<&str>) -> Value {
    let text = name.unwrap_or(code);
    let mut codings: Vec<Value> =
        procedure_snomed(code).map(|(c, term)| coding(SNOMED, c, term)).into_iter().collect();
    codings.push(coding(CATALOGUE_SYSTEM, code, text));
    json!({ "coding": codings, "text": text })
}

fn reference(id: Uuid) -> Value {
    json!({ "reference": format!("urn:uuid:{id}") })
}

pub fn patient(id: Uuid, f: &PatientFields) -> Value {
    let mut p = json!({
        "resourceType": "Patient",
        "id": id.to_string(),
        "active": true,
        "name": [{ "use": "official", "family": f.last_name, "given": [f.first_name] }],
    });
    if let Some(cnp) = &f.cnp {
        p["identifier"] = json!([{ "use": "official", "system": CNP_SYSTEM, "value": cnp }]);
    }
    let mut telecom = Vec::new();
    if let Some(phone) = &f.phone {
        telecom.push(json!({ "system": "phone", "value": phone }));
    }
    if let Some(email) = &f.email {
        telecom.push(json!({ "system": "email", "value": email }));
    }
    if !telecom.is_empty() {
        p["telecom"] = Value::Array(telecom);
    }
    if let Some(sex) = &f.sex {
        p["gender"] = json!(match sex {
            Sex::F => "female",
            Sex::M => "male",
        });
    }
    if let Some(birth) = &f.birth_date {
        p["birthDate"] = json!(birth);
    }
    if let Some(address) = &f.address {
        p["address"] = json!([{ "use": "home", "text": address }]);
    }
    if let Some(lang) = &f.language {
        p["communication"] = json!([{
            "language": { "coding": [{ "system": "urn:ietf:bcp:47", "code": lang.as_str() }] },
            "preferred": true
        }]);
    }
    if let Some(contact) = &f.emergency_contact {
        p["contact"] = json!([{
            "relationship": [{ "coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/v2-0131",
                "code": "C",
                "display": "Emergency Contact"
            }] }],
            "name": { "text": contact }
        }]);
    }
    p
}

pub fn related_person(id: Uuid, patient: Uuid, name: &str, relationship: &str) -> Value {
    json!({
        "resourceType": "RelatedPerson",
        "id": id.to_string(),
        "active": true,
        "patient": reference(patient),
        "relationship": [{ "text": relationship }],
        "name": [{ "text": name }],
    })
}

/// `at` is RFC 3339, as the audit trail formats times (a FHIR `dateTime`).
pub fn consent(id: Uuid, patient: Uuid, kind: ConsentKind, granted: bool, at: &str, text: &str) -> Value {
    let scope = match kind {
        ConsentKind::HealthData => "treatment",
        ConsentKind::Research => "research",
        _ => "patient-privacy",
    };
    json!({
        "resourceType": "Consent",
        "id": id.to_string(),
        "status": if granted { "active" } else { "inactive" },
        "scope": { "coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/consentscope",
            "code": scope
        }] },
        "category": [{
            "coding": [{ "system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent" }],
            "text": kind.as_str()
        }],
        "patient": reference(patient),
        "dateTime": at,
        "policyRule": { "coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": if granted { "OPTIN" } else { "OPTOUT" }
        }], "text": text },
        "provision": { "type": if granted { "permit" } else { "deny" } },
    })
}

/// The FDI surface code of a surface name (`occlusal` -> `O`).
fn surface_code(name: &str) -> &'static str {
    match name {
        "mesial" => "M",
        "distal" => "D",
        "occlusal" => "O",
        "incisal" => "I",
        "buccal" | "labial" => "B",
        _ => "L",
    }
}

/// A chart entry: a Condition (a finding) or a Procedure, the FDI tooth and
/// surfaces as its body site.
pub fn chart_entry(
    e: &crate::clinical::chart::ChartEntryDto,
    patient: Uuid,
    code: Value,
    state: &str,
    surfaces: &[&str],
) -> Value {
    let mut site = vec![
        json!({ "system": "http://terminology.hl7.org/CodeSystem/ex-tooth", "code": e.tooth.to_string() }),
    ];
    site.extend(surfaces.iter().map(|s| {
        json!({ "system": "http://terminology.hl7.org/CodeSystem/FDI-surface", "code": surface_code(s), "display": s })
    }));
    let body_site =
        json!([{ "coding": site, "text": format!("{} {}", e.tooth, surfaces.join(" ")).trim().to_owned() }]);
    match e.finding {
        crate::clinical::chart::Finding::Condition { .. } => json!({
            "resourceType": "Condition",
            "id": e.id.to_string(),
            "clinicalStatus": { "coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                "code": if state == "resolved" { "resolved" } else { "active" }
            }] },
            "code": code,
            "bodySite": body_site,
            "subject": reference(patient),
            "onsetDateTime": e.date,
            "recordedDate": e.recorded_at,
            "note": e.note.as_ref().map(|n| vec![json!({ "text": n })]).unwrap_or_default(),
        }),
        crate::clinical::chart::Finding::Procedure { .. } => json!({
            "resourceType": "Procedure",
            "id": e.id.to_string(),
            "status": match state { "done" => "completed", "in_progress" => "in-progress", _ => "preparation" },
            "code": code,
            "subject": reference(patient),
            "performedDateTime": e.date,
            "bodySite": body_site,
            "note": e.note.as_ref().map(|n| vec![json!({ "text": n })]).unwrap_or_default(),
        }),
    }
}

/// One answer set of the medical history as a completed QuestionnaireResponse: an
/// item an answered question, its answer a `valueString` (with the detail given).
pub fn medical_history(h: &crate::clinical::anamnesis::MedicalHistoryDto, patient: Uuid) -> Value {
    use crate::clinical::anamnesis::Reply;
    let items: Vec<Value> = h
        .answers
        .iter()
        .filter(|a| a.reply != Reply::Unknown)
        .map(|a| {
            let reply = if a.reply == Reply::Yes { "yes" } else { "no" };
            let value = match &a.detail {
                Some(d) => format!("{reply}: {d}"),
                None => reply.to_owned(),
            };
            json!({ "linkId": a.item.as_str(), "text": a.item.as_str(), "answer": [{ "valueString": value }] })
        })
        .collect();
    json!({
        "resourceType": "QuestionnaireResponse",
        "id": h.id.to_string(),
        "status": "completed",
        "subject": reference(patient),
        "authored": h.date,
        "item": items,
    })
}

/// A clinical note as a DocumentReference whose attachment is the note's text; an
/// amendment `appends` to the note it amends.
pub fn clinical_note(n: &crate::clinical::notes::NoteDto, patient: Uuid) -> Value {
    let mut doc = json!({
        "resourceType": "DocumentReference",
        "id": n.id.to_string(),
        "status": "current",
        "type": { "text": "clinical note" },
        "subject": reference(patient),
        "date": n.recorded_at,
        "description": n.reason.clone().unwrap_or_else(|| format!("visit of {}", n.date)),
        "content": [{ "attachment": {
            "contentType": "text/plain; charset=utf-8",
            "data": data_encoding::BASE64.encode(n.text.as_bytes()),
            "creation": n.date,
        } }],
    });
    if let Some(original) = n.amends {
        doc["relatesTo"] = json!([{ "code": "appends", "target": reference(original) }]);
    }
    doc
}

/// A `collection` Bundle; every entry's `fullUrl` is its `urn:uuid:` so references resolve.
pub fn bundle(id: Uuid, timestamp: &str, resources: Vec<Value>) -> Value {
    let entries: Vec<Value> = resources
        .into_iter()
        .map(|r| {
            let full_url = format!("urn:uuid:{}", r["id"].as_str().unwrap_or_default());
            json!({ "fullUrl": full_url, "resource": r })
        })
        .collect();
    json!({
        "resourceType": "Bundle",
        "id": id.to_string(),
        "type": "collection",
        "timestamp": timestamp,
        "entry": entries,
    })
}
