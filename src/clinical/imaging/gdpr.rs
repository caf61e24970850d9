//! X-rays in the GDPR interface: exported as de-identified copies of the files (the
//! originals byte for byte when the DPO asks) with a FHIR Media resource each, kept 7 years after the last image on erasure (the original, the
//! description and the thumbnail re-sealed under the retention key), else deleted;
//! the blob store is swept once the erasure has committed.

use async_trait::async_trait;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use super::open_row;
use crate::auth::Action;
use crate::crypto::FieldCipher;
use crate::error::Result;
use crate::gdpr::{
    About, Bilingual, ErasedPart, ExportPart, Fate, Holding, PersonalData, Record, Subject, field, medical,
};
use crate::store::entities::xray;

#[derive(Debug)]
pub struct Imaging;

const HOLDINGS: &[Holding] = &[Holding {
    data: Bilingual {
        ro: "radiografiile și fotografiile clinice (fișierele originale), cu tipul, data și dinții pe care îi arată",
        en: "X-rays and clinical photographs (the original files), with their type, date and the teeth they show",
    },
    purpose: Bilingual { ro: "diagnostic și tratament stomatologic", en: "dental diagnosis and treatment" },
    legal_basis: medical::BASIS,
    recipients: medical::RECIPIENTS,
    source: Bilingual {
        ro: "aparatura de radiologie a cabinetului sau imaginile aduse de dumneavoastră",
        en: "the clinic's imaging equipment, or images you brought",
    },
    retention: "medical_records",
}];

/// The image as a FHIR R4 Media. The file travels inside it (`content.data`, base64):
/// R4's `Attachment.url` must be an absolute URL, which a file beside the bundle has
/// not, and a receiving system then needs nothing but the bundle. The same bytes are
/// in the export's `images/` folder, named by `content.title`.
fn media(x: &super::XrayDto, patient: Uuid, file: &str, bytes: &[u8]) -> serde_json::Value {
    let kind =
        serde_json::to_value(x.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let content_type = match x.format {
        super::FileFormat::Png => "image/png",
        super::FileFormat::Jpeg => "image/jpeg",
        super::FileFormat::Tiff => "image/tiff",
        super::FileFormat::Dicom => "application/dicom",
    };
    let mut m = json!({
        "resourceType": "Media",
        "id": x.id.to_string(),
        "status": "completed",
        "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/media-type", "code": "image" }] },
        "modality": { "text": kind },
        "subject": { "reference": format!("urn:uuid:{patient}") },
        "createdDateTime": x.date,
        "width": x.width,
        "height": x.height,
        "content": {
            "contentType": content_type,
            "data": data_encoding::BASE64.encode(bytes),
            "size": bytes.len(),
            "title": file,
        },
    });
    if !x.teeth.is_empty() {
        let coding: Vec<_> = x
            .teeth
            .iter()
            .map(|t| json!({ "system": "http://terminology.hl7.org/CodeSystem/ex-tooth", "code": t.to_string() }))
            .collect();
        m["bodySite"] = json!({ "coding": coding });
    }
    if let Some(n) = &x.note {
        m["note"] = json!([{ "text": n }]);
    }
    m
}

#[async_trait]
impl PersonalData for Imaging {
    fn about(&self) -> About {
        About::new("imaging", &["xray", "blob"], HOLDINGS).restricting(&[Action::ChartWrite])
    }

    async fn export(&self, cx: &Subject<'_>) -> Result<Vec<ExportPart>> {
        let rows = xray::Entity::find()
            .filter(xray::Column::PatientId.eq(cx.id()))
            .order_by_asc(xray::Column::TakenOn)
            .all(cx.tx)
            .await?;
        let mut part = ExportPart { kind: "images", ..Default::default() };
        for r in &rows {
            let x = open_row(cx.cipher, r, cx.staff_names)?;
            let original = cx.cipher.open(xray::ORIGINAL.at(r.id), &cx.blobs.get(cx.tx, r.blob_id).await?)?;
            let original =
                if cx.image_originals { original } else { super::strip::strip_identifiers(&original)? };
            let file = format!("images/{}.{}", x.id, x.format.extension());
            part.fhir.push(media(&x, cx.id(), &file, &original));
            let teeth: Vec<String> = x.teeth.iter().map(u8::to_string).collect();
            part.records.push(Record {
                id: x.id,
                fields: vec![
                    field("date", x.date.clone()),
                    field(
                        "kind",
                        serde_json::to_value(x.kind).ok().and_then(|v| v.as_str().map(str::to_owned)),
                    ),
                    field("teeth", teeth.join(" ")),
                    field("note", x.note.clone()),
                    field("file", file.clone()),
                    field("recorded_by", x.recorded_by.clone()),
                ],
            });
            part.files.push((file, original));
        }
        Ok(vec![part])
    }

    async fn fate(&self, cx: &Subject<'_>) -> Result<Fate> {
        use xray::{Column, Entity};
        cx.medical_fate::<Entity>(Column::PatientId, Column::TakenOn, |e| &e.taken_on).await
    }

    async fn erase(&self, cx: &Subject<'_>, fate: &Fate, retained: &FieldCipher) -> Result<Vec<ErasedPart>> {
        let mine = xray::Column::PatientId.eq(cx.id());
        Ok(vec![match fate {
            // The originals go with the rows: the sweep after the commit removes them.
            Fate::Erase => ErasedPart::erased(
                "images",
                xray::Entity::delete_many().filter(mine).exec(cx.tx).await?.rows_affected,
            ),
            Fate::Keep { .. } => {
                let mut kept = 0;
                for r in xray::Entity::find().filter(mine).all(cx.tx).await? {
                    let b = super::bound(&r);
                    let original = cx.blobs.get(cx.tx, r.blob_id).await?;
                    let original = cx.cipher.reseal_to(retained, xray::ORIGINAL.at(r.id), &original)?;
                    let blob_id = Uuid::new_v4();
                    cx.blobs.put(cx.tx, blob_id, &original).await?;
                    kept += xray::Entity::update_many()
                        .set(xray::ActiveModel {
                            blob_id: Set(blob_id),
                            content: Set(cx.cipher.reseal_to(
                                retained,
                                xray::CONTENT.at(r.id).bound(&b),
                                &r.content,
                            )?),
                            thumbnail: Set(cx.cipher.reseal_to(
                                retained,
                                xray::THUMBNAIL.at(r.id).bound(&b),
                                &r.thumbnail,
                            )?),
                            ..Default::default()
                        })
                        .filter(xray::Column::Id.eq(r.id))
                        .exec(cx.tx)
                        .await?
                        .rows_affected;
                }
                ErasedPart::kept("images", kept, fate)
            }
        }])
    }
}
