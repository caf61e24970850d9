//! What one workstation's app holds: the open clinic, the logged-in session,
//! the lock, and the recovery key between set-up and its confirmation.

use std::path::PathBuf;
use std::sync::Arc;

use cuspid::{Clinic, ClinicConfig, Error, Location, LockedSession, Result, Session};
use serde::{Deserialize, Serialize};
use tokio::sync::{Mutex, RwLock};
use zeroize::Zeroizing;

/// Where this workstation's clinic lives, kept in the OS config folder
/// (`cuspid/app.json`). `CUSPID_DATA_DIR`, `CUSPID_DATABASE_URL` and
/// `CUSPID_STATE_DIR` override it (tests, kiosk set-ups).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AppConfig {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    /// `clinic-id/username` of each user who enrolled this workstation in the
    /// OS keyring, so the login screen can offer them a password-less sign-in.
    #[serde(default)]
    pub enrolled: Vec<String>,
    #[serde(skip)]
    pub state_dir: Option<PathBuf>,
    /// A second folder for this workstation's audit checkpoint (another disk or a
    /// share), from `checkpoint_mirror` in the file or `CUSPID_CHECKPOINT_MIRROR`.
    #[serde(default)]
    pub checkpoint_mirror: Option<PathBuf>,
}

impl AppConfig {
    fn file() -> Option<PathBuf> {
        directories::ProjectDirs::from("ro", "Cuspid", "cuspid").map(|d| d.config_dir().join("app.json"))
    }

    fn load_file() -> AppConfig {
        let mut c: AppConfig = Self::file()
            .and_then(|f| std::fs::read(f).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        // The server's password lives in the OS keyring, never in the file.
        c.database_url = c.database_url.map(|u| cuspid::auth::workstation::server_url_with_password(&u));
        c
    }

    pub fn load() -> AppConfig {
        let mut c = Self::load_file();
        if let Some(dir) = std::env::var_os("CUSPID_DATA_DIR") {
            c.data_dir = Some(dir.into());
            c.database_url = None;
        }
        if let Ok(url) = std::env::var("CUSPID_DATABASE_URL") {
            c.database_url = Some(url);
        }
        c.state_dir = std::env::var_os("CUSPID_STATE_DIR").map(PathBuf::from);
        if let Some(m) = std::env::var_os("CUSPID_CHECKPOINT_MIRROR") {
            c.checkpoint_mirror = Some(m.into());
        }
        c
    }

    pub fn save(&self) -> Result<()> {
        let file = Self::file().ok_or_else(|| Error::Io("no configuration folder".into()))?;
        let mut on_disk = self.clone();
        on_disk.database_url = match &self.database_url {
            Some(u) => Some(cuspid::auth::workstation::keep_server_password(u)?),
            None => None,
        };
        let bytes = serde_json::to_vec_pretty(&on_disk).map_err(|e| Error::Internal(e.to_string()))?;
        // 0700 folder, 0600 file, written whole (a temporary file renamed over it).
        cuspid::files::replace_private(&file, &bytes)
    }

    /// Record (or drop) a keyring enrolment in the file, leaving the location
    /// stored there as it is (environment overrides are never written back).
    pub fn set_enrolled(&mut self, entry: &str, enrolled: bool) -> Result<()> {
        let mut on_disk = Self::load_file();
        for list in [&mut self.enrolled, &mut on_disk.enrolled] {
            list.retain(|e| e != entry);
            if enrolled {
                list.push(entry.to_owned());
            }
        }
        on_disk.save()
    }

    /// The users of clinic `clinic_id` enrolled on this workstation.
    pub fn enrolled_users(&self, clinic_id: &str) -> Vec<String> {
        self.enrolled
            .iter()
            .filter_map(|e| e.split_once('/'))
            .filter(|(c, _)| *c == clinic_id)
            .map(|(_, u)| u.to_owned())
            .collect()
    }

    pub fn location(&self) -> Result<Location> {
        Ok(match (&self.database_url, &self.data_dir) {
            (Some(url), _) => Location::Postgres(url.clone()),
            (None, Some(dir)) => Location::DataDir(dir.clone()),
            (None, None) => Location::DataDir(Location::default_data_dir()?),
        })
    }
}

/// Who is at this workstation. A locked screen keeps no session and so no keys:
/// the last `Arc<Session>` dropped zeroizes them.
#[derive(Debug, Default)]
pub(crate) enum Auth {
    #[default]
    SignedOut,
    Active(Arc<Session>),
    Locked(LockedSession),
}

/// The app's shared state (Tauri `manage`d).
pub struct AppState {
    pub(crate) clinic: RwLock<std::result::Result<Arc<Clinic>, cuspid::ErrorDto>>,
    pub(crate) auth: Mutex<Auth>,
    /// Shown once at set-up; kept only until the administrator confirms it is stored.
    pub(crate) recovery_key: Mutex<Option<Zeroizing<String>>>,
    pub(crate) config: Mutex<AppConfig>,
    /// The system's dialogs and file opener, once the app has a window (`run`).
    pub(crate) desktop: std::sync::OnceLock<Arc<dyn crate::desktop::Desktop>>,
    /// The paths picked in those dialogs this run: the only ones opened for the UI.
    pub(crate) picked: crate::desktop::Picked,
}

// The recovery key must never reach a log: say only whether one is held.
impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}

impl AppState {
    /// The system's dialogs and opener; none before the window exists (and in tests).
    pub(crate) fn desktop(&self) -> Result<Arc<dyn crate::desktop::Desktop>> {
        self.desktop.get().cloned().ok_or_else(|| Error::Internal("the desktop is not ready".into()))
    }

    /// The open clinic, or why the database could not be opened.
    pub(crate) async fn clinic(&self) -> std::result::Result<Arc<Clinic>, cuspid::ErrorDto> {
        self.clinic.read().await.clone()
    }

    /// The signed-in session, refused while the screen is locked.
    pub(crate) async fn session(&self) -> Result<Arc<Session>> {
        match &*self.auth.lock().await {
            Auth::Active(s) => Ok(Arc::clone(s)),
            Auth::Locked(_) => Err(Error::AppLocked),
            Auth::SignedOut => Err(Error::NoSession),
        }
    }

    /// Run one use case as the signed-in user: the shape of almost every command.
    pub(crate) async fn acting<T>(
        &self,
        use_case: impl AsyncFnOnce(&Clinic, &Session) -> Result<T>,
    ) -> std::result::Result<T, cuspid::ErrorDto> {
        let (clinic, session) = (self.clinic().await?, self.session().await?);
        Ok(use_case(&clinic, &session).await?)
    }

    /// A new session replaces whatever was there (signed out, or locked by its own user).
    pub(crate) async fn start_session(&self, s: Session) -> Arc<Session> {
        let s = Arc::new(s);
        *self.auth.lock().await = Auth::Active(Arc::clone(&s));
        s
    }

    /// Lock the screen if the session has outlived its limits (the watcher's tick,
    /// whatever the web view does). Returns whether it locked.
    pub async fn lock_if_expired(&self) -> bool {
        let Ok(clinic) = self.clinic().await else { return false };
        let mut auth = self.auth.lock().await;
        let Auth::Active(s) = &*auth else { return false };
        if !clinic.session_expired(s) {
            return false;
        }
        let s = Arc::clone(s);
        *auth = match clinic.lock(&s, "idle").await {
            Ok(locked) => Auth::Locked(locked),
            Err(e) => {
                tracing::warn!(kind = e.kind().as_str(), "the idle lock could not be audited; signing out");
                Auth::SignedOut
            }
        };
        true
    }

    pub async fn open(config: AppConfig) -> Result<AppState> {
        let clinic = open_clinic(&config).await?;
        Ok(AppState::with(Ok(Arc::new(clinic)), config))
    }

    /// A state whose database did not open: every command reports why.
    pub fn failed(e: Error) -> AppState {
        AppState::with(Err(e.to_dto()), AppConfig::load())
    }

    fn with(clinic: std::result::Result<Arc<Clinic>, cuspid::ErrorDto>, config: AppConfig) -> AppState {
        AppState {
            clinic: RwLock::new(clinic),
            auth: Mutex::new(Auth::SignedOut),
            recovery_key: Mutex::new(None),
            config: Mutex::new(config),
            desktop: std::sync::OnceLock::new(),
            picked: crate::desktop::Picked::default(),
        }
    }
}

pub(crate) async fn open_clinic(config: &AppConfig) -> Result<Clinic> {
    let mut c = ClinicConfig::new(config.location()?);
    c.state_dir = config.state_dir.clone();
    c.checkpoint_mirror = config.checkpoint_mirror.clone();
    Clinic::open(c).await
}
