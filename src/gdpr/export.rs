//! The access and portability export (Art. 15, 20): everything every module holds
//! about one patient, as JSON, CSV (one file per kind), XML and an HL7 FHIR R4
//! Bundle, with a cover letter PDF. Written into a new folder, or into one zip
//! encrypted with AES-256 under a passphrase for sending; file names carry a random
//! export id, never anything about the person.

use std::path::{Path, PathBuf};

use quick_xml::Writer as XmlWriter;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event as XmlEvent};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{ExportPart, MODULES};
use crate::audit::{self, Event};
use crate::auth::{Action, Session};
use crate::clinic::Clinic;
use crate::documents::Lang;
use crate::error::{Error, Result};

/// Where and how to write an export.
#[derive(Clone)]
pub struct ExportOptions {
    /// An existing folder; the export is written into a new folder or zip inside it.
    pub dir: PathBuf,
    /// Encrypt the data into one AES-256 zip under this passphrase (at least 12 characters).
    pub passphrase: Option<Zeroizing<String>>,
    /// The language of the cover letter; none: the reader's own, else the clinic's.
    pub lang: Option<Lang>,
    /// The access or portability request this export answers, if any.
    pub request_id: Option<Uuid>,
}

impl std::fmt::Debug for ExportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportOptions")
            .field("encrypted", &self.passphrase.is_some())
            .field("lang", &self.lang)
            .finish_non_exhaustive()
    }
}

/// The shortest passphrase an encrypted export accepts.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ExportReport {
    pub export_id: Uuid,
    /// The folder or zip with the data.
    pub data_path: String,
    /// The cover letter, beside the data (never inside the encrypted zip).
    pub letter_path: String,
    /// The files of the data, relative to `data_path`.
    pub files: Vec<String>,
    /// Records exported, all kinds together.
    #[ts(type = "number")]
    pub records: u64,
    pub encrypted: bool,
}

/// The data files of an export, in memory: (relative name, bytes).
pub(crate) fn data_files(
    parts: &[ExportPart],
    patient: Uuid,
    generated_at: &str,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = vec![
        ("data.json".to_owned(), json(parts, patient, generated_at)?),
        ("data.xml".to_owned(), xml(parts, patient, generated_at)?),
    ];
    let resources = parts.iter().flat_map(|p| p.fhir.iter().cloned()).collect();
    let bundle = super::fhir::bundle(Uuid::now_v7(), generated_at, resources);
    files.push(("fhir-bundle.json".to_owned(), to_json_bytes(&bundle)?));
    for p in parts {
        files.push((format!("csv/{}.csv", p.kind), csv(p)?));
        files.extend(p.files.iter().cloned());
    }
    Ok(files)
}

fn to_json_bytes(v: &serde_json::Value) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(v)
        .map_err(|_| Error::Internal("the export could not be written as JSON".into()))
}

fn json(parts: &[ExportPart], patient: Uuid, generated_at: &str) -> Result<Vec<u8>> {
    let mut kinds = serde_json::Map::new();
    for p in parts {
        let records = p
            .records
            .iter()
            .map(|r| {
                let mut o = serde_json::Map::new();
                o.insert("id".into(), r.id.to_string().into());
                for (name, value) in &r.fields {
                    o.insert((*name).into(), value.clone().map_or(serde_json::Value::Null, Into::into));
                }
                serde_json::Value::Object(o)
            })
            .collect();
        kinds.insert(p.kind.into(), serde_json::Value::Array(records));
    }
    to_json_bytes(&serde_json::json!({
        "format": "cuspid-export/1",
        "patient_id": patient.to_string(),
        "generated_at": generated_at,
        "data": kinds,
    }))
}

/// One CSV per kind: a header of every field name, one row per record.
fn csv(p: &ExportPart) -> Result<Vec<u8>> {
    let fail = |_| Error::Internal("the export could not be written as CSV".into());
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = vec!["id"];
    for r in &p.records {
        for (name, _) in &r.fields {
            if !header.contains(name) {
                header.push(name);
            }
        }
    }
    w.write_record(&header).map_err(fail)?;
    for r in &p.records {
        let row: Vec<String> = header
            .iter()
            .map(|h| match *h {
                "id" => r.id.to_string(),
                h => r.fields.iter().find(|(n, _)| *n == h).and_then(|(_, v)| v.clone()).unwrap_or_default(),
            })
            .collect();
        w.write_record(&row).map_err(fail)?;
    }
    w.into_inner().map_err(|_| Error::Internal("the export could not be written as CSV".into()))
}

fn xml(parts: &[ExportPart], patient: Uuid, generated_at: &str) -> Result<Vec<u8>> {
    let fail = |_| Error::Internal("the export could not be written as XML".into());
    let mut w = XmlWriter::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(XmlEvent::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).map_err(fail)?;
    let pid = patient.to_string();
    let mut root = BytesStart::new("export");
    root.push_attribute(("format", "cuspid-export/1"));
    root.push_attribute(("patient-id", pid.as_str()));
    root.push_attribute(("generated-at", generated_at));
    w.write_event(XmlEvent::Start(root)).map_err(fail)?;
    for p in parts {
        let mut kind = BytesStart::new("kind");
        kind.push_attribute(("name", p.kind));
        w.write_event(XmlEvent::Start(kind)).map_err(fail)?;
        for r in &p.records {
            let id = r.id.to_string();
            let mut rec = BytesStart::new("record");
            rec.push_attribute(("id", id.as_str()));
            w.write_event(XmlEvent::Start(rec)).map_err(fail)?;
            for (name, value) in &r.fields {
                let Some(value) = value else { continue };
                let mut f = BytesStart::new("field");
                f.push_attribute(("name", *name));
                w.write_event(XmlEvent::Start(f)).map_err(fail)?;
                w.write_event(XmlEvent::Text(BytesText::new(value))).map_err(fail)?;
                w.write_event(XmlEvent::End(BytesEnd::new("field"))).map_err(fail)?;
            }
            w.write_event(XmlEvent::End(BytesEnd::new("record"))).map_err(fail)?;
        }
        w.write_event(XmlEvent::End(BytesEnd::new("kind"))).map_err(fail)?;
    }
    w.write_event(XmlEvent::End(BytesEnd::new("export"))).map_err(fail)?;
    Ok(w.into_inner())
}

/// The data files as one zip, each entry encrypted with AES-256 (WinZip AE-2,
/// which 7-Zip, WinRAR and macOS/Windows archive tools open).
fn encrypted_zip(files: &[(String, Vec<u8>)], passphrase: &str) -> Result<Vec<u8>> {
    use std::io::Write;
    let fail = |_| Error::Internal("the encrypted export could not be written".into());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .with_aes_encryption(zip::AesMode::Aes256, passphrase);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options).map_err(fail)?;
        zip.write_all(bytes)
            .map_err(|_| Error::Internal("the encrypted export could not be written".into()))?;
    }
    Ok(zip.finish().map_err(fail)?.into_inner())
}

/// Write `files` under `staging` (a new folder), creating sub-folders.
fn write_tree(staging: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    for (name, bytes) in files {
        let path = staging.join(name);
        if let Some(parent) = path.parent() {
            crate::files::private_dir(parent)?;
        }
        crate::files::write_new(&path, bytes)?;
    }
    Ok(())
}

impl Clinic {
    /// Export everything held about `patient_id` (DPO, `patient.export`) into
    /// `opts.dir`, with the Art. 15 cover letter. The export is audited (with its
    /// request, when given) and appears only once the audit event is committed.
    pub async fn export_patient(
        &self,
        s: &Session,
        patient_id: Uuid,
        opts: ExportOptions,
    ) -> Result<ExportReport> {
        let result = async {
            self.authorize(s, Action::PatientExport).await?;
            if let Some(p) = &opts.passphrase
                && p.chars().count() < MIN_PASSPHRASE_CHARS
            {
                return Err(Error::InvalidInput("an export passphrase needs at least 12 characters".into()));
            }
            if !opts.dir.is_dir() {
                return Err(Error::InvalidInput("the export folder does not exist".into()));
            }
            self.own_folders().check(&opts.dir)?;
            let rules = self.retention_rules(s).await?;
            self.check_key_current(s)?;
            let mut w = self.work(s, Action::PatientExport).await?;
            let row = crate::patients::find_row(&w.tx, patient_id).await?;
            let via_guardian = match opts.request_id {
                Some(r) => crate::requests::request_for(&w.tx, r, patient_id).await?.via_guardian,
                None => None,
            };
            let opened = super::Opened::new(&w.tx, &s.keys, &row, self.store().blobs()).await?;
            let today = chrono::Local::now().date_naive();
            let cx = opened.subject(&w.tx, &s.keys, &row, &rules, today);
            let mut parts = Vec::new();
            for m in MODULES {
                parts.extend(m.export(&cx).await?);
            }
            let generated_at = audit::format_micros(audit::now_micros());
            let files = data_files(&parts, patient_id, &generated_at)?;
            let records: u64 = parts.iter().map(|p| p.records.len() as u64).sum();

            let addressee = crate::requests::letter_recipient(&w.tx, s, &row, via_guardian).await?;
            let lang = match opts.lang {
                Some(l) => l,
                None => crate::settings::letter_language(&w.tx, addressee.language.as_deref()).await?,
            };
            for e in addressee.reads {
                w.audit(e);
            }
            let to = addressee.to;
            let clinic = self.letter_profile(&w.tx, s).await?;
            let letter = crate::documents::access_letter(
                &clinic,
                &to,
                &crate::documents::AccessLetter {
                    holdings: super::holding_lines(&rules, lang)?,
                    files: files.iter().map(|(n, _)| n.clone()).collect(),
                    encrypted: opts.passphrase.is_some(),
                },
                today,
                lang,
            )?;

            let export_id = Uuid::now_v7();
            let base = format!("cuspid-export-{export_id}");
            let staging = opts.dir.join(format!(".{base}.partial"));
            crate::files::create_new_dir(&staging)?;
            let written = (|| -> Result<()> {
                match &opts.passphrase {
                    Some(p) => crate::files::write_new(
                        &staging.join(format!("{base}.zip")),
                        &encrypted_zip(&files, p)?,
                    )?,
                    None => write_tree(&staging.join(&base), &files)?,
                }
                crate::files::write_new(&staging.join(format!("{base}-letter.pdf")), &letter)?;
                Ok(())
            })();
            if let Err(e) = written {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(e);
            }

            let mut event = Event::new("patient.export", "patient")
                .subject(patient_id)
                .purpose(format!("access and portability export: {records} records"));
            if let Some(r) = opts.request_id {
                event = event.entity(r);
            }
            w.audit(event);
            if let Err(e) = w.commit().await {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(e);
            }
            let data_name = if opts.passphrase.is_some() { format!("{base}.zip") } else { base.clone() };
            let letter_name = format!("{base}-letter.pdf");
            for name in [&data_name, &letter_name] {
                std::fs::rename(staging.join(name), opts.dir.join(name))?;
            }
            let _ = std::fs::remove_dir(&staging);
            Ok(ExportReport {
                export_id,
                data_path: opts.dir.join(data_name).display().to_string(),
                letter_path: opts.dir.join(letter_name).display().to_string(),
                files: files.into_iter().map(|(n, _)| n).collect(),
                records,
                encrypted: opts.passphrase.is_some(),
            })
        }
        .await;
        self.noting_integrity(s, Some(patient_id), result).await
    }
}
