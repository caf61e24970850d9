//! The desktop's side of saving files: the system's save and folder dialogs (Tauri's
//! dialog plugin) and, once a file is saved, opening it or showing it in its folder
//! (the opener plugin). Called from Rust only, so the web view holds no permission to
//! open dialogs or files itself; and only a path the person picked in one of these
//! dialogs, in this run of the app, can be opened or shown: a page gone wrong cannot
//! use `open_saved` to start anything else on the machine.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

/// What the shell asks of the desktop (a trait so the state need not know the runtime).
pub trait Desktop: Send + Sync {
    /// The save dialog: `None` when the person cancels.
    fn save_dialog(&self, title: &str, file_name: &str, extension: Option<&str>) -> Option<PathBuf>;
    /// The folder dialog: `None` when the person cancels.
    fn folder_dialog(&self, title: &str) -> Option<PathBuf>;
    fn open(&self, path: &Path) -> Result<(), String>;
    fn reveal(&self, path: &Path) -> Result<(), String>;
}

impl<R: Runtime> Desktop for AppHandle<R> {
    fn save_dialog(&self, title: &str, file_name: &str, extension: Option<&str>) -> Option<PathBuf> {
        let mut d = self.dialog().file().set_title(title).set_file_name(file_name);
        if let Some(ext) = extension {
            d = d.add_filter(ext.to_uppercase(), &[ext]);
        }
        if let Some(home) = directories::UserDirs::new() {
            d = d.set_directory(home.document_dir().unwrap_or(home.home_dir()));
        }
        d.blocking_save_file().and_then(|p| p.into_path().ok())
    }

    fn folder_dialog(&self, title: &str) -> Option<PathBuf> {
        self.dialog().file().set_title(title).blocking_pick_folder().and_then(|p| p.into_path().ok())
    }

    fn open(&self, path: &Path) -> Result<(), String> {
        self.opener().open_path(path.display().to_string(), None::<&str>).map_err(|e| e.to_string())
    }

    fn reveal(&self, path: &Path) -> Result<(), String> {
        self.opener().reveal_item_in_dir(path).map_err(|e| e.to_string())
    }
}

/// The paths picked in this run's dialogs: the only ones `open_saved` opens.
#[derive(Debug, Default)]
pub struct Picked(Mutex<HashSet<PathBuf>>);

impl Picked {
    /// Remember a picked path, resolved (a file to be saved: its folder resolved).
    pub fn remember(&self, path: &Path) {
        let resolved = std::fs::canonicalize(path).ok().or_else(|| {
            let folder = std::fs::canonicalize(path.parent()?).ok()?;
            Some(folder.join(path.file_name()?))
        });
        if let (Some(p), Ok(mut set)) = (resolved, self.0.lock()) {
            set.insert(p);
        }
    }

    /// Whether `path` (resolved: no `..` or link leads out) is one picked, or inside a
    /// folder picked (an export's files).
    pub fn allows(&self, path: &Path) -> bool {
        let Ok(path) = std::fs::canonicalize(path) else { return false };
        self.0.lock().is_ok_and(|set| set.iter().any(|p| path.starts_with(p)))
    }
}
