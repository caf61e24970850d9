//! The procedure catalogue: what the clinic does, its names in Romanian and English,
//! its default fee, and what must be charted with it. Seeded by the migration with a
//! default set; dentists, the owner and administrators edit it.

use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder, sea_query::OnConflict};
use serde::{Deserialize, Serialize};

use crate::audit::{AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Clinical;
use crate::error::{Error, Result};
use crate::rules::Rule;
use crate::store::entities::procedure;

/// What a procedure needs charted with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Needs {
    /// Nothing (an examination, a scaling).
    None,
    /// A tooth (an extraction, a crown).
    Tooth,
    /// A tooth and at least one surface (a filling).
    Surfaces,
}

impl Needs {
    fn as_str(self) -> &'static str {
        match self {
            Needs::None => "none",
            Needs::Tooth => "tooth",
            Needs::Surfaces => "surfaces",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        [Needs::None, Needs::Tooth, Needs::Surfaces]
            .into_iter()
            .find(|n| n.as_str() == s)
            .ok_or_else(|| Error::Tampered("a procedure's needs are unknown".into()))
    }
}

/// One procedure of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ProcedureDto {
    /// `restoration.composite`: lower case, dots and underscores.
    pub code: String,
    pub name_ro: String,
    pub name_en: String,
    /// The default fee in bani (1 RON = 100 bani).
    #[ts(type = "number")]
    pub fee_bani: i64,
    pub needs: Needs,
    pub active: bool,
}

impl TryFrom<procedure::Model> for ProcedureDto {
    type Error = Error;

    fn try_from(m: procedure::Model) -> Result<Self> {
        Ok(ProcedureDto {
            needs: Needs::parse(&m.needs)?,
            code: m.code,
            name_ro: m.name_ro,
            name_en: m.name_en,
            fee_bani: m.fee_bani,
            active: m.active,
        })
    }
}

fn checked(p: ProcedureDto) -> Result<ProcedureDto> {
    let code = p.code.trim().to_owned();
    let code_ok = !code.is_empty()
        && code.len() <= 64
        && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_');
    if !code_ok {
        return Err(Error::InvalidInput(Rule::ProcedureCodeFormat));
    }
    if p.name_ro.trim().is_empty() || p.name_en.trim().is_empty() {
        return Err(Error::InvalidInput(Rule::ProcedureNameRequired));
    }
    if !(0..=100_000_000).contains(&p.fee_bani) {
        return Err(Error::InvalidInput(Rule::FeeOutOfRange));
    }
    Ok(ProcedureDto { code, name_ro: p.name_ro.trim().into(), name_en: p.name_en.trim().into(), ..p })
}

/// The catalogue's entry for `code`, or a clear error for a code it does not have.
pub(crate) async fn find(db: &impl sea_orm::ConnectionTrait, code: &str) -> Result<ProcedureDto> {
    procedure::Entity::find_by_id(code.trim())
        .one(db)
        .await?
        .filter(|p| p.active)
        .ok_or(Error::InvalidInput(Rule::ProcedureNotInCatalogue))?
        .try_into()
}

impl Clinical<'_> {
    /// The catalogue, by code (anyone who charts, and those who keep it).
    pub async fn procedures(&self, s: &Session) -> Result<Vec<ProcedureDto>> {
        // Those who chart read it; those who keep it (the owner, administrators) too.
        if !crate::auth::allowed(s.role(), Action::CatalogueManage) {
            self.authorize(s, Action::ChartRead).await?;
        }
        procedure::Entity::find()
            .order_by_asc(procedure::Column::Code)
            .all(self.store().connection())
            .await?
            .into_iter()
            .map(ProcedureDto::try_from)
            .collect()
    }

    /// Add a procedure or change one (dentist, owner, administrator); audited by code.
    pub async fn save_procedure(&self, s: &Session, p: ProcedureDto) -> Result<ProcedureDto> {
        let permit = self.authorize(s, Action::CatalogueManage).await?;
        let p = checked(p)?;
        let mut w = self.work(permit).await?;
        procedure::Entity::insert(procedure::ActiveModel {
            code: Set(p.code.clone()),
            name_ro: Set(p.name_ro.clone()),
            name_en: Set(p.name_en.clone()),
            fee_bani: Set(p.fee_bani),
            needs: Set(p.needs.as_str().into()),
            active: Set(p.active),
        })
        .on_conflict(
            OnConflict::column(procedure::Column::Code)
                .update_columns([
                    procedure::Column::NameRo,
                    procedure::Column::NameEn,
                    procedure::Column::FeeBani,
                    procedure::Column::Needs,
                    procedure::Column::Active,
                ])
                .to_owned(),
        )
        .exec(&w.tx)
        .await?;
        w.audit(
            Event::new(AuditAction::CatalogueSave, "procedure")
                .entity(&p.code)
                .purpose(format!("fee {} bani", p.fee_bani)),
        );
        w.commit().await?;
        Ok(p)
    }
}
