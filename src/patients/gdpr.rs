//! The patient registry's part in the GDPR interface: the identity and contact
//! details (`patient`) and the rectification trail (`patient_history`).

use async_trait::async_trait;
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};

use super::{PatientFields, open_fields};
use crate::auth::Action;
use crate::crypto::FieldCipher;
use crate::error::{Error, Result};
use crate::gdpr::{
    About, Bilingual, ErasedPart, ExportPart, Fate, Holding, PersonalData, Record, Subject, fhir, field,
};
use crate::store::entities::{patient, patient_history};

#[derive(Debug)]
pub struct PatientRecords;

/// The status of a record whose data key was destroyed.
pub(crate) const ERASED: &str = super::PatientStatus::Erased.as_str();

const HOLDINGS: &[Holding] = &[Holding {
    data: Bilingual {
        ro: "date de identificare și de contact: nume, CNP, data nașterii, sex, telefon, e-mail, adresă, \
             persoană de contact în caz de urgență, și istoricul corecturilor lor",
        en: "identification and contact details: name, personal numeric code (CNP), birth date, sex, \
             phone, e-mail, address, emergency contact, and the history of their corrections",
    },
    purpose: Bilingual {
        ro: "identificarea dumneavoastră ca pacient, ținerea fișei medicale, programări și facturare",
        en: "identifying you as a patient, keeping your medical record, appointments and invoicing",
    },
    legal_basis: Bilingual {
        ro: "art. 6 alin. (1) lit. (b) și (c) și art. 9 alin. (2) lit. (h) GDPR; Legea nr. 95/2006 \
             privind reforma în domeniul sănătății; Legea nr. 46/2003 a drepturilor pacientului",
        en: "Art. 6(1)(b) and (c) and Art. 9(2)(h) GDPR; Romanian Law 95/2006 on healthcare reform; \
             Law 46/2003 on patients' rights",
    },
    recipients: Bilingual {
        ro: "nu le transmitem nimănui; doar autorităților care le cer în temeiul legii",
        en: "we share them with no one; only with authorities that require them by law",
    },
    source: Bilingual {
        ro: "de la dumneavoastră (sau de la părintele ori tutorele dumneavoastră) la înregistrare",
        en: "from you (or your parent or guardian) at registration",
    },
    retention: "medical_records",
}];

fn fields_record(id: uuid::Uuid, f: &PatientFields) -> Vec<(&'static str, Option<String>)> {
    vec![
        field("first_name", f.first_name.clone()),
        field("last_name", f.last_name.clone()),
        field("cnp", f.cnp.clone()),
        field("birth_date", f.birth_date.clone()),
        field("sex", f.sex.map(|s| s.as_str().to_owned())),
        field("phone", f.phone.clone()),
        field("email", f.email.clone()),
        field("address", f.address.clone()),
        field("emergency_contact", f.emergency_contact.clone()),
        field("language", f.language.map(|l| l.as_str().to_owned())),
        field("record_id", id.to_string()),
    ]
}

#[async_trait]
impl PersonalData for PatientRecords {
    fn about(&self) -> About {
        About::new("patients", &["patient", "patient_history"], HOLDINGS)
            .restricting(&[Action::PatientUpdate])
    }

    async fn export(&self, cx: &Subject<'_>) -> Result<Vec<ExportPart>> {
        let row = cx.patient;
        let current = open_fields(cx.cipher, row)?;
        let mut patient = Record { id: row.id, fields: fields_record(row.id, &current) };
        patient.fields.pop();
        patient.fields.push(field("registered_at", crate::audit::format_micros(row.created_at)));
        patient.fields.push(field("updated_at", crate::audit::format_micros(row.updated_at)));
        let resource = fhir::patient(row.id, &current);

        let entries = patient_history::Entity::find()
            .filter(patient_history::Column::PatientId.eq(row.id))
            .order_by_asc(patient_history::Column::ChangedAt)
            .all(cx.tx)
            .await?;
        let mut history = Vec::with_capacity(entries.len());
        for e in entries {
            let hb = super::history_bound(e.patient_id, e.changed_at, e.changed_by, e.request_id);
            let before: PatientFields = serde_json::from_slice(
                &cx.cipher.open(patient_history::PREVIOUS.at(e.id).bound(&hb), &e.previous)?,
            )
            .map_err(|_| Error::Tampered(format!("history entry {} is malformed", e.id)))?;
            let mut fields = vec![
                field("changed_at", crate::audit::format_micros(e.changed_at)),
                field("changed_by", cx.staff(e.changed_by)),
                field("reason", cx.cipher.open(patient_history::REASON.at(e.id).bound(&hb), &e.reason)?),
                field("request_id", e.request_id.map(|r| r.to_string())),
            ];
            fields.extend(fields_record(e.id, &before).into_iter().filter(|(n, _)| *n != "record_id").map(
                |(name, value)| match name {
                    "first_name" => ("previous_first_name", value),
                    "last_name" => ("previous_last_name", value),
                    "cnp" => ("previous_cnp", value),
                    "birth_date" => ("previous_birth_date", value),
                    "sex" => ("previous_sex", value),
                    "phone" => ("previous_phone", value),
                    "email" => ("previous_email", value),
                    "address" => ("previous_address", value),
                    "language" => ("previous_language", value),
                    _ => ("previous_emergency_contact", value),
                },
            ));
            history.push(Record { id: e.id, fields });
        }
        Ok(vec![
            ExportPart {
                kind: "patient",
                records: vec![patient],
                fhir: vec![resource],
                ..Default::default()
            },
            ExportPart { kind: "corrections", records: history, ..Default::default() },
        ])
    }

    async fn fate(&self, _cx: &Subject<'_>) -> Result<Fate> {
        // The identity itself goes; what another module must keep is labelled by the
        // retained name the erasure writes under the retention key.
        Ok(Fate::Erase)
    }

    async fn erase(
        &self,
        cx: &Subject<'_>,
        _fate: &Fate,
        _retained: &FieldCipher,
    ) -> Result<Vec<ErasedPart>> {
        let history = patient_history::Entity::delete_many()
            .filter(patient_history::Column::PatientId.eq(cx.id()))
            .exec(cx.tx)
            .await?
            .rows_affected;
        // The data key goes, and with it every sealed field; the blind indexes too.
        // The row stays (as an id) for the request log and the audit trail.
        let empty: Option<Vec<u8>> = None;
        let none: Option<i64> = None;
        let record = patient::Entity::update_many()
            .col_expr(patient::Column::DekWrapped, Expr::value(Vec::<u8>::new()))
            .col_expr(patient::Column::FirstName, Expr::value(Vec::<u8>::new()))
            .col_expr(patient::Column::LastName, Expr::value(Vec::<u8>::new()))
            .col_expr(patient::Column::Cnp, Expr::value(empty.clone()))
            .col_expr(patient::Column::BirthDate, Expr::value(empty.clone()))
            .col_expr(patient::Column::Sex, Expr::value(empty.clone()))
            .col_expr(patient::Column::Phone, Expr::value(empty.clone()))
            .col_expr(patient::Column::Email, Expr::value(empty.clone()))
            .col_expr(patient::Column::Address, Expr::value(empty.clone()))
            .col_expr(patient::Column::EmergencyContact, Expr::value(empty.clone()))
            .col_expr(patient::Column::Language, Expr::value(empty))
            .col_expr(patient::Column::BidxCnp, Expr::value(none))
            .col_expr(patient::Column::BidxPhone, Expr::value(none))
            .col_expr(patient::Column::BidxEmail, Expr::value(none))
            .col_expr(patient::Column::BidxFirst3, Expr::value(none))
            .col_expr(patient::Column::BidxFirst5, Expr::value(none))
            .col_expr(patient::Column::BidxLast3, Expr::value(none))
            .col_expr(patient::Column::BidxLast5, Expr::value(none))
            .col_expr(patient::Column::Status, Expr::value(ERASED))
            .col_expr(patient::Column::Version, Expr::col(patient::Column::Version).add(Expr::value(1)))
            .col_expr(patient::Column::UpdatedAt, Expr::value(crate::audit::now_micros()))
            .filter(patient::Column::Id.eq(cx.id()))
            .exec(cx.tx)
            .await?
            .rows_affected;
        Ok(vec![ErasedPart::erased("patient", record), ErasedPart::erased("corrections", history)])
    }
}
