//! The clinic's own particulars: name, address, registration numbers, contact,
//! and the data-protection contact. They head every letter and register the
//! GDPR office prints. Set in the first-run wizard, changed in settings.
//!
//! The clinic's address and numbers are the business's, stored as text; the
//! data-protection officer is a person, so their contact is sealed with a key
//! derived from the clinic's audit key (stable across key rotation).

use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Admin;
use crate::crypto::{FieldCipher, Place, SecretKey};
use crate::error::{Error, Result};
use crate::patients::normalize;
use crate::rules::Rule;
use crate::store::entities::{clinic_meta, clinic_profile};

/// Who answers data-protection questions: the DPO where one is designated
/// (Art. 37), otherwise the person the clinic put in charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DpoContact {
    pub name: String,
    #[ts(optional = nullable)]
    pub email: Option<String>,
    #[ts(optional = nullable)]
    pub phone: Option<String>,
}

impl DpoContact {
    /// "Irina Matei, dpo@zambet.ro, +40740000111": how letters and registers print it.
    pub fn line(&self) -> String {
        let mut parts = vec![self.name.as_str()];
        parts.extend(self.email.as_deref());
        parts.extend(self.phone.as_deref());
        parts.join(", ")
    }
}

/// The clinic as it appears on paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ClinicProfile {
    pub name: String,
    /// Street, number, town, county, postal code: as printed on letters.
    pub address: String,
    /// CUI/CIF, with `RO` in front for VAT payers.
    pub fiscal_code: String,
    /// Trade-register number (`J40/1234/2020`) or the entry in the register of medical practices.
    #[ts(optional = nullable)]
    pub registry_number: Option<String>,
    /// Number of the sanitary operating permit.
    #[ts(optional = nullable)]
    pub operating_permit: Option<String>,
    #[ts(optional = nullable)]
    pub phone: Option<String>,
    #[ts(optional = nullable)]
    pub email: Option<String>,
    pub dpo: DpoContact,
}

impl ClinicProfile {
    /// Trimmed, with phone numbers in E.164 and e-mails folded; a clear error
    /// naming the field for anything missing or malformed.
    pub fn validated(self) -> Result<ClinicProfile> {
        let name = required(&self.name, || Error::InvalidInput(Rule::ClinicNameRequired))?;
        let address = required(&self.address, || Error::InvalidInput(Rule::ClinicAddressRequired))?;
        let fiscal_code = fiscal_code(&self.fiscal_code)?;
        let dpo_name = required(&self.dpo.name, || Error::InvalidInput(Rule::DpoNameRequired))?;
        let dpo_email = optional(self.dpo.email.as_deref()).map(normalize::email).transpose()?;
        let dpo_phone = optional(self.dpo.phone.as_deref()).map(normalize::phone).transpose()?;
        if dpo_email.is_none() && dpo_phone.is_none() {
            return Err(Error::InvalidInput(Rule::DpoContactRequired));
        }
        Ok(ClinicProfile {
            name,
            address,
            fiscal_code,
            registry_number: optional(self.registry_number.as_deref()).map(str::to_owned),
            operating_permit: optional(self.operating_permit.as_deref()).map(str::to_owned),
            phone: optional(self.phone.as_deref()).map(normalize::phone).transpose()?,
            email: optional(self.email.as_deref()).map(normalize::email).transpose()?,
            dpo: DpoContact { name: dpo_name, email: dpo_email, phone: dpo_phone },
        })
    }

    /// The names of the fields that differ (for the audit event: never the values).
    fn changed_fields(&self, other: &ClinicProfile) -> Vec<&'static str> {
        let pairs: [(&'static str, bool); 8] = [
            ("name", self.name != other.name),
            ("address", self.address != other.address),
            ("fiscal_code", self.fiscal_code != other.fiscal_code),
            ("registry_number", self.registry_number != other.registry_number),
            ("operating_permit", self.operating_permit != other.operating_permit),
            ("phone", self.phone != other.phone),
            ("email", self.email != other.email),
            ("dpo", self.dpo != other.dpo),
        ];
        pairs.into_iter().filter(|(_, changed)| *changed).map(|(f, _)| f).collect()
    }
}

/// The longest particular of the clinic, in characters.
const MAX_PARTICULAR_CHARS: usize = 300;

fn required(value: &str, missing: impl FnOnce() -> Error) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(missing());
    }
    if v.chars().count() > MAX_PARTICULAR_CHARS {
        return Err(Error::InvalidInput(Rule::ParticularTooLong { max: MAX_PARTICULAR_CHARS }));
    }
    Ok(v.to_owned())
}

fn optional(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// A Romanian fiscal code (CUI/CIF): 2 to 10 digits, the last a control digit
/// computed with the key 753217532, optionally preceded by `RO`.
pub fn fiscal_code(input: &str) -> Result<String> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let (prefix, digits) = match compact.strip_prefix("RO") {
        Some(rest) => ("RO", rest),
        None => ("", compact.as_str()),
    };
    if !(2..=10).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::InvalidInput(Rule::CuiFormat));
    }
    let values: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
    let (body, control) = values.split_at(values.len() - 1);
    const KEY: [u32; 9] = [7, 5, 3, 2, 1, 7, 5, 3, 2];
    let sum: u32 = body.iter().rev().zip(KEY.iter().rev()).map(|(d, k)| d * k).sum();
    let expected = (sum * 10 % 11) % 10;
    if control[0] != expected {
        return Err(Error::InvalidInput(Rule::CuiControlDigit));
    }
    Ok(format!("{prefix}{digits}"))
}

fn profile_cipher(audit_key: &SecretKey) -> FieldCipher {
    FieldCipher::new(&audit_key.derive("clinic-profile"), 0)
}

fn dpo_addr(clinic_id: Uuid) -> Place<'static, Vec<u8>> {
    clinic_profile::DPO.at(clinic_id)
}

/// Insert or replace the profile row (the clinic name lives in `clinic_meta`).
pub(crate) async fn store_profile(
    db: &impl ConnectionTrait,
    clinic_id: Uuid,
    audit_key: &SecretKey,
    profile: &ClinicProfile,
    by: Uuid,
) -> Result<()> {
    let dpo_json = serde_json::to_vec(&profile.dpo)
        .map_err(|_| Error::Internal("the DPO contact does not serialise".into()))?;
    let row = clinic_profile::ActiveModel {
        id: Set(1),
        address: Set(profile.address.clone()),
        fiscal_code: Set(profile.fiscal_code.clone()),
        registry_number: Set(profile.registry_number.clone()),
        operating_permit: Set(profile.operating_permit.clone()),
        phone: Set(profile.phone.clone()),
        email: Set(profile.email.clone()),
        dpo_sealed: Set(profile_cipher(audit_key).seal(dpo_addr(clinic_id), &dpo_json)),
        updated_at: Set(audit::now_micros()),
        updated_by: Set(by),
    };
    use clinic_profile::Column as C;
    clinic_profile::Entity::insert(row)
        .on_conflict(
            OnConflict::column(C::Id)
                .update_columns([
                    C::Address,
                    C::FiscalCode,
                    C::RegistryNumber,
                    C::OperatingPermit,
                    C::Phone,
                    C::Email,
                    C::DpoSealed,
                    C::UpdatedAt,
                    C::UpdatedBy,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

pub(crate) async fn load_profile(
    db: &impl ConnectionTrait,
    meta: &clinic_meta::Model,
    audit_key: &SecretKey,
) -> Result<Option<ClinicProfile>> {
    let Some(row) = clinic_profile::Entity::find_by_id(1).one(db).await? else {
        return Ok(None);
    };
    let dpo_json = profile_cipher(audit_key).open(dpo_addr(meta.clinic_id), &row.dpo_sealed)?;
    let dpo: DpoContact = serde_json::from_slice(&dpo_json)
        .map_err(|_| Error::Tampered("the data-protection contact is malformed".into()))?;
    Ok(Some(ClinicProfile {
        name: meta.name.clone(),
        address: row.address,
        fiscal_code: row.fiscal_code,
        registry_number: row.registry_number,
        operating_permit: row.operating_permit,
        phone: row.phone,
        email: row.email,
        dpo,
    }))
}

impl Admin<'_> {
    /// The clinic's particulars; `None` for a clinic set up before they were asked for.
    pub async fn clinic_profile(&self, s: &Session) -> Result<Option<ClinicProfile>> {
        self.authorize(s, Action::SettingsRead).await?;
        let meta = self.meta()?;
        load_profile(self.store().connection(), &meta, &s.keys.audit_key).await
    }

    /// Replace the clinic's particulars; the audit event names the fields changed.
    pub async fn update_clinic_profile(&self, s: &Session, profile: ClinicProfile) -> Result<ClinicProfile> {
        let permit = self.authorize(s, Action::SettingsManage).await?;
        let profile = profile.validated()?;
        let mut w = self.work(permit).await?;
        let meta = self.meta()?;
        let old = load_profile(&w.tx, &meta, &s.keys.audit_key).await?;
        let changed = match &old {
            Some(old) => old.changed_fields(&profile),
            None => vec!["all"],
        };
        if changed.is_empty() {
            return Ok(profile);
        }
        store_profile(&w.tx, meta.clinic_id, &s.keys.audit_key, &profile, s.staff_id()).await?;
        let renamed = profile.name != meta.name;
        if renamed {
            clinic_meta::Entity::update_many()
                .col_expr(clinic_meta::Column::Name, profile.name.clone().into())
                .exec(&w.tx)
                .await?;
        }
        w.audit(
            Event::new(AuditAction::ClinicProfile, "clinic")
                .entity(meta.clinic_id)
                .purpose(changed.join(", ")),
        );
        w.commit().await?;
        if renamed {
            self.set_clinic_name(&profile.name)?;
        }
        Ok(profile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_codes_are_checked_by_their_control_digit() {
        assert_eq!(fiscal_code("RO 14399840").unwrap(), "RO14399840");
        assert_eq!(fiscal_code("14399840").unwrap(), "14399840");
        assert_eq!(fiscal_code("ro14399840").unwrap(), "RO14399840");
        let typo = fiscal_code("14399841").unwrap_err();
        assert!(typo.to_string().contains("control digit"), "{typo}");
        assert!(fiscal_code("RO").is_err());
        assert!(fiscal_code("12345678901").is_err(), "11 digits");
        assert!(fiscal_code("1439984O").is_err(), "a letter O");
    }

    fn sample() -> ClinicProfile {
        ClinicProfile {
            name: " Clinica Zâmbet ".into(),
            address: "Str. Lalelelor 5, Cluj-Napoca".into(),
            fiscal_code: "14399840".into(),
            registry_number: Some("  ".into()),
            operating_permit: None,
            phone: Some("0264 123 456".into()),
            email: None,
            dpo: DpoContact { name: "Ana DPO".into(), email: Some("DPO@Zambet.ro".into()), phone: None },
        }
    }

    #[test]
    fn a_profile_is_trimmed_and_normalised() {
        let p = sample().validated().unwrap();
        assert_eq!(p.name, "Clinica Zâmbet");
        assert_eq!(p.registry_number, None, "blank optional fields are dropped");
        assert_eq!(p.phone.as_deref(), Some("+40264123456"));
        assert_eq!(p.dpo.email.as_deref(), Some("dpo@zambet.ro"));
    }

    #[test]
    fn a_profile_needs_an_address_and_a_way_to_reach_the_dpo() {
        let mut p = sample();
        p.address = " ".into();
        assert!(p.validated().unwrap_err().to_string().contains("clinic address"));
        let mut p = sample();
        p.dpo.email = None;
        assert!(p.validated().unwrap_err().to_string().contains("e-mail address or a phone"));
    }

    #[test]
    fn changed_fields_names_only_what_differs() {
        let a = sample().validated().unwrap();
        let mut b = a.clone();
        b.dpo.phone = Some("+40722000111".into());
        b.address = "Str. Nouă 1".into();
        assert_eq!(a.changed_fields(&b), vec!["address", "dpo"]);
    }
}
