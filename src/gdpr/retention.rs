//! The retention schedule: how long each category of data is kept, counted from
//! which event, on which legal basis. One table feeds the purge job and the
//! Article 30 register, so the two never disagree. The defaults are those of the
//! domain notes; the DPO may change a period, never below what law requires
//! (medical records and imaging 7 years, invoices 10 years).

use chrono::NaiveDate;
use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};
use serde::{Deserialize, Serialize};

use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Gdpr;
use crate::error::{Error, Result};
use crate::rules::{Rule, Subject};
use crate::store::entities::retention_rule;

/// What a retention period is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    Days,
    Months,
    Years,
}

impl PeriodUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodUnit::Days => "days",
            PeriodUnit::Months => "months",
            PeriodUnit::Years => "years",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "days" => Ok(PeriodUnit::Days),
            "months" => Ok(PeriodUnit::Months),
            "years" => Ok(PeriodUnit::Years),
            _ => Err(Error::InvalidInput(Rule::UnknownPeriodUnit)),
        }
    }

    fn in_days(self, n: u32) -> u32 {
        match self {
            PeriodUnit::Days => n,
            PeriodUnit::Months => n * 365 / 12,
            PeriodUnit::Years => n * 365,
        }
    }
}

/// One category of data and how long it is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RetentionRule {
    /// `medical_records`, `xrays`, `invoices`, ... (see `CATEGORIES`).
    pub category: String,
    pub period: u32,
    pub unit: PeriodUnit,
    /// What the period is counted from, in words (`after the last treatment`).
    pub starts: String,
    pub legal_basis: String,
    /// The shortest period the law allows, in years, when there is one.
    pub legal_minimum_years: Option<u32>,
    /// Whether the clinic changed it from the default.
    pub customised: bool,
}

/// (category, period, unit, counted from, legal basis, legal minimum in years).
type DefaultRule = (&'static str, u32, PeriodUnit, &'static str, &'static str, Option<u32>);

/// The default schedule (domain notes: "Retention schedule").
pub const CATEGORIES: [DefaultRule; 12] = [
    ("medical_records", 7, PeriodUnit::Years, "after the last treatment", "healthcare law", Some(7)),
    ("xrays", 7, PeriodUnit::Years, "after the image was taken", "medical imaging rules", Some(7)),
    ("treatment_plans", 7, PeriodUnit::Years, "after the last treatment", "healthcare law", Some(7)),
    (
        "appointments",
        3,
        PeriodUnit::Years,
        "after the appointment",
        "business need (the clinic may choose up to 7 years)",
        None,
    ),
    ("invoices", 10, PeriodUnit::Years, "after the invoice was issued", "tax law", Some(10)),
    (
        "staff_accounts",
        2,
        PeriodUnit::Years,
        "after the last login, then anonymised",
        "account management",
        None,
    ),
    (
        "consent_records",
        2,
        PeriodUnit::Years,
        "after withdrawal or the end of the relationship",
        "proof of consent",
        None,
    ),
    ("messages", 3, PeriodUnit::Years, "after the message was sent", "communication", None),
    ("request_log", 6, PeriodUnit::Years, "after the request was closed", "accountability", None),
    ("audit_log", 6, PeriodUnit::Years, "after the event", "security", None),
    ("system_logs", 30, PeriodUnit::Days, "after the entry was written", "operations", None),
    ("backups", 30, PeriodUnit::Days, "rolling", "disaster recovery", None),
];

fn default_of(category: &str) -> Result<&'static DefaultRule> {
    CATEGORIES.iter().find(|d| d.0 == category).ok_or(Error::NotFound(Subject::RetentionCategory))
}

impl RetentionRule {
    /// "7 years after the last treatment", "30 days rolling".
    pub fn describe(&self) -> String {
        let unit = match (self.unit, self.period) {
            (PeriodUnit::Days, 1) => "day",
            (PeriodUnit::Months, 1) => "month",
            (PeriodUnit::Years, 1) => "year",
            (u, _) => u.as_str(),
        };
        format!("{} {unit} {}", self.period, self.starts)
    }

    /// The period in the letter's language ("7 ani de la ultimul tratament").
    pub fn describe_in(&self, lang: crate::documents::Language) -> String {
        if lang == crate::documents::Language::En {
            return self.describe();
        }
        let n = self.period;
        // Romanian: 1 an, 2-19 ani, 20 de ani (and 101-119 like 1-19).
        let de = if n >= 20 && !(1..20).contains(&(n % 100)) { "de " } else { "" };
        let unit = match (self.unit, n) {
            (PeriodUnit::Days, 1) => "zi",
            (PeriodUnit::Days, _) => "zile",
            (PeriodUnit::Months, 1) => "lună",
            (PeriodUnit::Months, _) => "luni",
            (PeriodUnit::Years, 1) => "an",
            (PeriodUnit::Years, _) => "ani",
        };
        let starts = match self.category.as_str() {
            "medical_records" | "treatment_plans" => "de la ultimul tratament",
            "xrays" => "de la data imaginii",
            "appointments" => "de la data programării",
            "invoices" => "de la emiterea facturii",
            "staff_accounts" => "de la ultima autentificare, apoi contul se anonimizează",
            "consent_records" => "de la retragerea consimțământului sau încheierea relației",
            "messages" => "de la trimiterea mesajului",
            "request_log" => "de la închiderea cererii",
            "audit_log" => "de la înregistrarea evenimentului",
            "system_logs" => "de la scrierea intrării",
            _ => "prin rotație",
        };
        format!("{n} {de}{unit} {starts}")
    }

    /// The day data whose period starts on `from` may go.
    pub fn ends(&self, from: NaiveDate) -> NaiveDate {
        let far = NaiveDate::MAX;
        match self.unit {
            PeriodUnit::Days => from.checked_add_days(chrono::Days::new(u64::from(self.period))),
            PeriodUnit::Months => from.checked_add_months(chrono::Months::new(self.period)),
            PeriodUnit::Years => from.checked_add_months(chrono::Months::new(self.period.saturating_mul(12))),
        }
        .unwrap_or(far)
    }
}

/// The rule of `category` in `rules` (the schedule always has every category).
pub(crate) fn rule<'r>(rules: &'r [RetentionRule], category: &str) -> Result<&'r RetentionRule> {
    rules.iter().find(|r| r.category == category).ok_or(Error::NotFound(Subject::RetentionCategory))
}

impl Gdpr<'_> {
    /// The schedule in force: every category, the clinic's changes over the defaults.
    pub async fn retention_rules(&self, s: &Session) -> Result<Vec<RetentionRule>> {
        self.authorize(s, Action::SettingsRead).await?;
        let stored = retention_rule::Entity::find().all(self.store().connection()).await?;
        CATEGORIES
            .iter()
            .map(|&(category, period, unit, starts, basis, minimum)| {
                Ok(match stored.iter().find(|r| r.category == category) {
                    Some(r) => RetentionRule {
                        category: category.into(),
                        period: u32::try_from(r.period)
                            .map_err(|_| Error::Tampered("a stored retention period is malformed".into()))?,
                        unit: PeriodUnit::parse(&r.unit)
                            .map_err(|_| Error::Tampered("a stored retention unit is malformed".into()))?,
                        starts: starts.into(),
                        legal_basis: r.legal_basis.clone(),
                        legal_minimum_years: minimum,
                        customised: true,
                    },
                    None => RetentionRule {
                        category: category.into(),
                        period,
                        unit,
                        starts: starts.into(),
                        legal_basis: basis.into(),
                        legal_minimum_years: minimum,
                        customised: false,
                    },
                })
            })
            .collect()
    }

    /// Change one category's period and legal basis (DPO). A period below the legal
    /// minimum, or above 50 years, is refused; the change is audited old -> new.
    pub async fn set_retention(
        &self,
        s: &Session,
        category: &str,
        period: u32,
        unit: PeriodUnit,
        legal_basis: &str,
    ) -> Result<RetentionRule> {
        let permit = self.authorize(s, Action::RetentionManage).await?;
        let &(category, _, _, _, _, minimum) = default_of(category.trim())?;
        let basis = legal_basis.trim();
        if basis.is_empty() {
            return Err(Error::InvalidInput(Rule::LegalBasisRequired));
        }
        if period == 0 || unit.in_days(period) > 50 * 365 {
            return Err(Error::InvalidInput(Rule::PeriodRange));
        }
        if let Some(years) = minimum
            && unit.in_days(period) < years * 365
        {
            return Err(Error::InvalidInput(Rule::BelowLegalMinimum));
        }
        let before = self
            .gdpr()
            .retention_rules(s)
            .await?
            .into_iter()
            .find(|r| r.category == category)
            .map(|r| r.describe())
            .unwrap_or_default();
        let mut w = self.work(permit).await?;
        retention_rule::Entity::insert(retention_rule::ActiveModel {
            category: Set(category.into()),
            period: Set(i32::try_from(period).unwrap_or(i32::MAX)),
            unit: Set(unit.as_str().into()),
            legal_basis: Set(basis.into()),
            updated_at: Set(audit::now_micros()),
            updated_by: Set(s.staff_id()),
        })
        .on_conflict(
            OnConflict::column(retention_rule::Column::Category)
                .update_columns([
                    retention_rule::Column::Period,
                    retention_rule::Column::Unit,
                    retention_rule::Column::LegalBasis,
                    retention_rule::Column::UpdatedAt,
                    retention_rule::Column::UpdatedBy,
                ])
                .to_owned(),
        )
        .exec(&w.tx)
        .await?;
        let rule = RetentionRule {
            category: category.into(),
            period,
            unit,
            starts: default_of(category)?.3.into(),
            legal_basis: basis.into(),
            legal_minimum_years: minimum,
            customised: true,
        };
        w.audit(
            Event::new(AuditAction::RetentionChange, "retention_rule")
                .entity(category)
                .purpose(format!("{before} -> {}", rule.describe())),
        );
        w.commit().await?;
        Ok(rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_reads_as_a_sentence() {
        let r = RetentionRule {
            category: "medical_records".into(),
            period: 7,
            unit: PeriodUnit::Years,
            starts: "after the last treatment".into(),
            legal_basis: "healthcare law".into(),
            legal_minimum_years: Some(7),
            customised: false,
        };
        assert_eq!(r.describe(), "7 years after the last treatment");
        let one = RetentionRule { period: 1, unit: PeriodUnit::Months, starts: "rolling".into(), ..r };
        assert_eq!(one.describe(), "1 month rolling");
    }

    #[test]
    fn every_default_respects_its_own_legal_minimum() {
        for (category, period, unit, _, _, minimum) in CATEGORIES {
            if let Some(years) = minimum {
                assert!(unit.in_days(period) >= years * 365, "{category}");
            }
        }
    }
}
