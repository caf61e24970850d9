//! The access and portability export (Art. 15, 20): everything every module holds
//! about one patient, as JSON, CSV (one file per kind), XML and an HL7 FHIR R4
//! Bundle, with a cover letter PDF. Written into a new folder, or for sending as one
//! age file (`.zip.age`): the zip of the same files, encrypted whole under a
//! passphrase (scrypt, ChaCha20-Poly1305 in 64 KiB authenticated chunks), so neither
//! the names nor the sizes of the files inside show. The passphrase is the DPO's, or
//! 6 words generated for the person ([`super::passphrase`]), returned once and never
//! stored. Image files are de-identified unless the DPO asks for the originals
//! ([`crate::clinical::imaging::strip`]). File names carry a random export id, never anything
//! about the person.

use std::path::{Path, PathBuf};

use quick_xml::Writer as XmlWriter;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event as XmlEvent};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{ExportPart, MODULES};
use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Gdpr;
use crate::documents::Language;
use crate::error::{Error, Result};
use crate::rules::Rule;

/// Whether and under which passphrase an export is encrypted.
#[derive(Clone, Default)]
pub enum ExportEncryption {
    /// A folder of plain files.
    #[default]
    None,
    /// One age file under the DPO's passphrase (at least [`MIN_PASSPHRASE_CHARS`]).
    Passphrase(Zeroizing<String>),
    /// One age file under a passphrase of 6 words in the cover letter's language,
    /// made for this export and returned once in [`ExportReport::generated_passphrase`].
    Generated,
}

impl ExportEncryption {
    pub fn is_encrypted(&self) -> bool {
        !matches!(self, ExportEncryption::None)
    }
}

impl std::fmt::Debug for ExportEncryption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ExportEncryption::None => "None",
            ExportEncryption::Passphrase(_) => "Passphrase(***)",
            ExportEncryption::Generated => "Generated",
        })
    }
}

/// Where and how to write an export.
#[derive(Clone)]
pub struct ExportOptions {
    /// An existing folder; the export is written into a new folder or age file inside it.
    pub dir: PathBuf,
    pub encryption: ExportEncryption,
    /// Export the image files byte for byte as imported. By default (false) they are
    /// de-identified: the DICOM header's patient, staff, clinic and device attributes,
    /// EXIF (GPS, camera serial), XMP, IPTC and comments are removed, the pixels kept.
    pub keep_image_metadata: bool,
    /// The language of the cover letter; none: the reader's own, else the clinic's.
    pub lang: Option<Language>,
    /// The access or portability request this export answers, if any.
    pub request_id: Option<Uuid>,
}

impl std::fmt::Debug for ExportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportOptions")
            .field("encryption", &self.encryption)
            .field("keep_image_metadata", &self.keep_image_metadata)
            .field("lang", &self.lang)
            .finish_non_exhaustive()
    }
}

impl ExportOptions {
    /// Into `dir`, unencrypted, images de-identified, the reader's language, no request.
    pub fn into_folder(dir: impl Into<PathBuf>) -> Self {
        ExportOptions {
            dir: dir.into(),
            encryption: ExportEncryption::None,
            keep_image_metadata: false,
            lang: None,
            request_id: None,
        }
    }
}

/// The shortest passphrase an encrypted export accepts when the DPO types it.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// The scrypt cost of an export's passphrase: N = 2^18 (r = 8, p = 1: 256 MiB and
/// about a second per guess), what the age tools write by default. Fixed rather than
/// measured on the clinic's computer, so a slower one or the `age` tool (which refuses
/// more than 2^22) still opens the file.
pub const SCRYPT_LOG_N: u8 = 18;

/// What an export wrote.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ExportReport {
    pub export_id: Uuid,
    /// The folder or the age file (`.zip.age`) with the data.
    pub data_path: String,
    /// The cover letter, beside the data (never inside the encrypted file).
    pub letter_path: String,
    /// The files of the data, relative to `data_path` (inside the zip when encrypted).
    pub files: Vec<String>,
    /// Records exported, all kinds together.
    #[ts(type = "number")]
    pub records: u64,
    pub encrypted: bool,
    /// Whether image files went out de-identified (false: byte for byte).
    pub images_deidentified: bool,
    /// The generated passphrase, given this once to show the DPO, who gives it to the
    /// person separately from the file. Never stored, logged or audited.
    #[ts(type = "string | null")]
    pub generated_passphrase: Option<Zeroizing<String>>,
}

impl std::fmt::Debug for ExportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportReport")
            .field("export_id", &self.export_id)
            .field("data_path", &self.data_path)
            .field("letter_path", &self.letter_path)
            .field("files", &self.files)
            .field("records", &self.records)
            .field("encrypted", &self.encrypted)
            .field("images_deidentified", &self.images_deidentified)
            .field("generated_passphrase", &self.generated_passphrase.as_ref().map(|_| "***"))
            .finish()
    }
}

/// The data files of an export, in memory: (relative name, bytes).
pub(crate) fn data_files(
    parts: &[ExportPart],
    patient: Uuid,
    generated_at: &str,
) -> Result<Vec<(String, Vec<u8>)>> {
    data_files_with(parts, patient, generated_at, Uuid::now_v7())
}

/// [`data_files`] with the FHIR Bundle's id given, so the same parts always give
/// the same bytes (what the known-answer tests freeze).
pub(crate) fn data_files_with(
    parts: &[ExportPart],
    patient: Uuid,
    generated_at: &str,
    bundle_id: Uuid,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = vec![
        ("data.json".to_owned(), json(parts, patient, generated_at)?),
        ("data.xml".to_owned(), xml(parts, patient, generated_at)?),
    ];
    let resources = parts.iter().flat_map(|p| p.fhir.iter().cloned()).collect();
    let bundle = super::fhir::bundle(bundle_id, generated_at, resources);
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

/// The data files as one plain zip (deflated), in memory: it is encrypted whole.
fn zip(files: &[(String, Vec<u8>)]) -> Result<Zeroizing<Vec<u8>>> {
    use std::io::Write;
    let fail = |_| Error::Internal("the encrypted export could not be written".into());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options).map_err(fail)?;
        zip.write_all(bytes)
            .map_err(|_| Error::Internal("the encrypted export could not be written".into()))?;
    }
    Ok(Zeroizing::new(zip.finish().map_err(fail)?.into_inner()))
}

/// `plain` as an age file (age v1, one scrypt recipient at [`SCRYPT_LOG_N`]): what
/// `age -d`, `rage -d` and the age libraries open with the passphrase.
fn age_encrypt(plain: &[u8], passphrase: &str) -> Result<Vec<u8>> {
    use std::io::Write;
    let fail = || Error::Internal("the encrypted export could not be written".into());
    let mut recipient = age::scrypt::Recipient::new(age::secrecy::SecretString::from(passphrase.to_owned()));
    recipient.set_work_factor(SCRYPT_LOG_N);
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .map_err(|_| fail())?;
    let mut out = Vec::with_capacity(plain.len() + plain.len() / 4096 + 512);
    let mut w = encryptor.wrap_output(&mut out).map_err(|_| fail())?;
    w.write_all(plain).map_err(|_| fail())?;
    w.finish().map_err(|_| fail())?;
    Ok(out)
}

/// The zip of `files`, encrypted under `passphrase`; scrypt takes about a second of
/// CPU, so off the async workers.
async fn encrypted_file(files: &[(String, Vec<u8>)], passphrase: Zeroizing<String>) -> Result<Vec<u8>> {
    let plain = zip(files)?;
    tokio::task::spawn_blocking(move || age_encrypt(&plain, &passphrase))
        .await
        .map_err(|_| Error::Internal("the encrypted export could not be written".into()))?
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

impl Gdpr<'_> {
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
            let permit = self.authorize(s, Action::PatientExport).await?;
            if let ExportEncryption::Passphrase(p) = &opts.encryption
                && p.chars().count() < MIN_PASSPHRASE_CHARS
            {
                return Err(Error::InvalidInput(Rule::PassphraseTooShort { min: MIN_PASSPHRASE_CHARS }));
            }
            if !opts.dir.is_dir() {
                return Err(Error::InvalidInput(Rule::ExportFolderMissing));
            }
            self.own_folders().check(&opts.dir)?;
            let rules = self.retention_rules(s).await?;
            self.check_key_current(s)?;
            let mut w = self.work(permit).await?;
            let row = crate::patients::find_row(&w.tx, patient_id).await?;
            let via_guardian = match opts.request_id {
                Some(r) => crate::gdpr::requests::request_for(&w.tx, r, patient_id).await?.via_guardian,
                None => None,
            };
            let opened = super::Opened::new(&w.tx, &s.keys, &row, self.store().blobs()).await?;
            let today = chrono::Local::now().date_naive();
            let addressee = crate::gdpr::requests::letter_recipient(&w.tx, s, &row, via_guardian).await?;
            let lang = match opts.lang {
                Some(l) => l,
                None => crate::admin::settings::letter_language(&w.tx, addressee.language).await?,
            };
            let mut cx = opened.subject(&w.tx, &s.keys, &row, &rules, today);
            cx.image_originals = opts.keep_image_metadata;
            cx.language = lang;
            let mut parts = Vec::new();
            for m in MODULES {
                parts.extend(m.export(&cx).await?);
            }
            let generated_at = audit::format_micros(audit::now_micros());
            let files = data_files(&parts, patient_id, &generated_at)?;
            let records: u64 = parts.iter().map(|p| p.records.len() as u64).sum();

            for e in addressee.reads {
                w.audit(e);
            }
            let to = addressee.to;
            let clinic = self.letter_profile(&w.tx, s).await?;
            let letter = crate::gdpr::requests::letters::access_letter(
                &clinic,
                &to,
                &crate::gdpr::requests::letters::AccessLetter {
                    holdings: super::holding_lines(&rules, lang)?,
                    files: files.iter().map(|(n, _)| n.clone()).collect(),
                    encrypted: opts.encryption.is_encrypted(),
                    images_deidentified: !opts.keep_image_metadata,
                },
                today,
                lang,
            )?;

            let (passphrase, generated) = match &opts.encryption {
                ExportEncryption::None => (None, None),
                ExportEncryption::Passphrase(p) => (Some(p.clone()), None),
                ExportEncryption::Generated => {
                    let p = super::passphrase::generate(lang);
                    (Some(p.clone()), Some(p))
                }
            };
            let sealed = match passphrase {
                Some(p) => Some(encrypted_file(&files, p).await?),
                None => None,
            };

            let export_id = Uuid::now_v7();
            let base = format!("cuspid-export-{export_id}");
            let data_name = if sealed.is_some() { format!("{base}.zip.age") } else { base.clone() };
            let letter_name = format!("{base}-letter.pdf");
            let staging = opts.dir.join(format!(".{base}.partial"));
            crate::files::create_new_dir(&staging)?;
            let written = (|| -> Result<()> {
                match &sealed {
                    Some(bytes) => crate::files::write_new(&staging.join(&data_name), bytes)?,
                    None => write_tree(&staging.join(&data_name), &files)?,
                }
                crate::files::write_new(&staging.join(&letter_name), &letter)?;
                Ok(())
            })();
            if let Err(e) = written {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(e);
            }

            let mut event = Event::new(AuditAction::PatientExport, "patient")
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
                encrypted: sealed.is_some(),
                images_deidentified: !opts.keep_image_metadata,
                generated_passphrase: generated,
            })
        }
        .await;
        self.noting_integrity(s, Some(patient_id), result).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn debug_never_shows_a_passphrase() {
        let secret = "cal-verde-pe-perete-42";
        let opts = ExportOptions {
            encryption: ExportEncryption::Passphrase(Zeroizing::new(secret.into())),
            ..ExportOptions::into_folder("/tmp")
        };
        assert!(!format!("{opts:?}").contains(secret), "{opts:?}");
        let report = ExportReport {
            export_id: Uuid::nil(),
            data_path: String::new(),
            letter_path: String::new(),
            files: vec![],
            records: 0,
            encrypted: true,
            images_deidentified: true,
            generated_passphrase: Some(Zeroizing::new(secret.into())),
        };
        assert!(!format!("{report:?}").contains(secret), "{report:?}");
    }

    #[test]
    fn the_age_file_names_its_scrypt_cost_and_hides_the_zip() {
        let files = vec![("data.json".to_owned(), b"{\"last_name\": \"Popescu\"}".to_vec())];
        let sealed = age_encrypt(&zip(&files).unwrap(), "cal-verde-pe-perete-42").unwrap();
        let header =
            String::from_utf8_lossy(&sealed[..sealed.iter().position(|&b| b == b'\n').unwrap() + 80]);
        assert!(header.starts_with("age-encryption.org/v1\n-> scrypt "), "{header}");
        assert!(header.contains(&format!(" {SCRYPT_LOG_N}\n")), "the work factor is fixed: {header}");
        for clear in [&b"data.json"[..], b"Popescu", b"PK\x03\x04"] {
            assert!(!sealed.windows(clear.len()).any(|w| w == clear), "nothing of the zip shows");
        }
    }
}
