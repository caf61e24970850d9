//! Clinic-wide settings. Typed here, stored as text one row a key; a key never
//! written reads as its default.

use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};
use serde::{Deserialize, Serialize};

use crate::audit::{self, AuditAction, Event};
use crate::auth::{Action, Session};
use crate::clinic::Admin;
use crate::error::{Error, Result};
use crate::rules::Rule;
use crate::store::entities::setting;

/// Interface languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ro,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Ro => "ro",
            Language::En => "en",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "ro" => Ok(Language::Ro),
            "en" => Ok(Language::En),
            _ => Err(Error::InvalidInput(Rule::UnknownLanguage)),
        }
    }
}

/// Every setting, with its value in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Settings {
    /// Minutes without input after which the app locks itself and hides patient data.
    pub idle_lock_minutes: u32,
    /// The language of the interface until a user picks another.
    pub language: Language,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { idle_lock_minutes: 5, language: Language::Ro }
    }
}

const IDLE_LOCK: &str = "idle_lock_minutes";
const LANGUAGE: &str = "language";

impl Settings {
    fn validate(&self) -> Result<()> {
        if !(1..=120).contains(&self.idle_lock_minutes) {
            return Err(Error::InvalidInput(Rule::IdleLockRange));
        }
        Ok(())
    }

    fn pairs(&self) -> [(&'static str, String); 2] {
        [(IDLE_LOCK, self.idle_lock_minutes.to_string()), (LANGUAGE, self.language.as_str().to_owned())]
    }

    fn from_rows(rows: &[setting::Model]) -> Result<Self> {
        let mut s = Settings::default();
        for r in rows {
            match r.key.as_str() {
                IDLE_LOCK => {
                    s.idle_lock_minutes = r
                        .value
                        .parse()
                        .map_err(|_| Error::Tampered("a stored setting is malformed".into()))?
                }
                LANGUAGE => s.language = Language::parse(&r.value)?,
                _ => {} // written by a newer build; this one does not know it
            }
        }
        Ok(s)
    }
}

/// The language of a letter: the reader's when they said one, else the clinic's.
pub(crate) async fn letter_language(
    db: &impl sea_orm::ConnectionTrait,
    theirs: Option<Language>,
) -> Result<crate::documents::Language> {
    if let Some(l) = theirs {
        return Ok(l);
    }
    let rows = setting::Entity::find().all(db).await?;
    Ok(Settings::from_rows(&rows)?.language)
}

/// The settings as stored (no session: read at sign-in for the idle limit).
pub(crate) async fn stored(db: &impl sea_orm::ConnectionTrait) -> Result<Settings> {
    Settings::from_rows(&setting::Entity::find().all(db).await?)
}

impl Admin<'_> {
    pub async fn settings(&self, s: &Session) -> Result<Settings> {
        self.authorize(s, Action::SettingsRead).await?;
        stored(self.store().connection()).await
    }

    /// Replace the settings; each changed key is audited with its old and new value.
    pub async fn update_settings(&self, s: &Session, new: Settings) -> Result<Settings> {
        let permit = self.authorize(s, Action::SettingsManage).await?;
        new.validate()?;
        let mut w = self.work(permit).await?;
        let old = Settings::from_rows(&setting::Entity::find().all(&w.tx).await?)?;
        for ((key, before), (_, after)) in old.pairs().into_iter().zip(new.pairs()) {
            if before == after {
                continue;
            }
            setting::Entity::insert(setting::ActiveModel {
                key: Set(key.into()),
                value: Set(after.clone()),
                updated_at: Set(audit::now_micros()),
                updated_by: Set(s.staff_id()),
            })
            .on_conflict(
                OnConflict::column(setting::Column::Key)
                    .update_columns([
                        setting::Column::Value,
                        setting::Column::UpdatedAt,
                        setting::Column::UpdatedBy,
                    ])
                    .to_owned(),
            )
            .exec(&w.tx)
            .await?;
            w.audit(
                Event::new(AuditAction::SettingsChange, "setting")
                    .entity(key)
                    .purpose(format!("{before} -> {after}")),
            );
        }
        w.commit().await?;
        self.idle_minutes.store(new.idle_lock_minutes, std::sync::atomic::Ordering::Relaxed);
        Ok(new)
    }
}
