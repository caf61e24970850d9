//! Files on disk. Cuspid's own folders (data, blobs, workstation state, config) are
//! private to the OS user (0700, files 0600). A file written for a person (a PDF, an
//! export, an X-ray original, the audit CSV, the recovery sheet) is a new file: never
//! one that exists, never through a symbolic link, never inside Cuspid's own folders.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::rules::{Rule, Subject};

/// Create `dir` (and its parents) and make it private to this OS user.
pub fn private_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)?;
    restrict(dir, 0o700)
}

/// Make an existing file or folder of Cuspid's private to this OS user (a clinic made
/// by an earlier build had the umask's modes).
pub fn restrict(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Open `path` as a new file readable only by this OS user: an existing file or a
/// symbolic link in its place is refused, never followed or overwritten.
pub fn create_new(path: &Path) -> Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::AlreadyExists(Subject::File),
        _ => Error::from(e),
    })
}

/// Write a private file of Cuspid's own (a checkpoint, a blob) whole: a new
/// temporary file, synced, renamed over `path`, the folder synced.
pub fn replace_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().ok_or_else(|| Error::Io("a file needs a folder".into()))?;
    private_dir(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.{}.part", uuid::Uuid::new_v4().simple()));
    let written = (|| {
        let mut f = create_new(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        File::open(dir)?.sync_all()?;
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Cuspid's own folders, where no file for a person may land.
#[derive(Debug, Clone, Default)]
pub struct OwnFolders(Vec<PathBuf>);

impl OwnFolders {
    pub fn new(folders: impl IntoIterator<Item = PathBuf>) -> Self {
        OwnFolders(folders.into_iter().map(|f| canonical_or_self(&f)).collect())
    }

    /// Refuse `target` (a file about to be written, or a folder about to hold files)
    /// inside one of these folders, symbolic links resolved.
    pub fn check(&self, target: &Path) -> Result<()> {
        let resolved = resolve_existing_prefix(target);
        if self.0.iter().any(|own| resolved.starts_with(own)) {
            return Err(Error::InvalidInput(Rule::InsideDataFolder));
        }
        Ok(())
    }

    /// Write `bytes` to the new file `path` for a person to take away.
    pub fn write_new(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        self.check(path)?;
        write_new(path, bytes)
    }

    /// Create the new folder `dir` (private) for files a person takes away.
    pub fn new_dir(&self, dir: &Path) -> Result<()> {
        self.check(dir)?;
        create_new_dir(dir)
    }
}

/// Write `bytes` to the new private file `path` (see [`create_new`]); a failed
/// write leaves no part-written file behind.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = create_new(path)?;
    let written = f.write_all(bytes).and_then(|()| f.sync_all());
    if let Err(e) = written {
        drop(f);
        let _ = std::fs::remove_file(path);
        return Err(e.into());
    }
    Ok(())
}

/// Create the new folder `dir`, private to this OS user; an existing one is refused.
pub fn create_new_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::AlreadyExists(Subject::Folder),
        _ => Error::from(e),
    })
}

fn canonical_or_self(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The path with its longest existing ancestor resolved (links followed), so a
/// link to an own folder, or a file to be created in one, is seen for what it is.
fn resolve_existing_prefix(p: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut cur = p.to_path_buf();
    loop {
        if let Ok(c) = std::fs::canonicalize(&cur) {
            return rest.into_iter().rev().fold(c, |acc: PathBuf, part| acc.join(part));
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                cur = parent.to_path_buf();
            }
            _ => return p.to_path_buf(),
        }
    }
}

/// A spreadsheet opening the CSV must show a cell as text, never run it: a cell that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.
pub fn csv_cell(value: String) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(csv_cell("=HYPERLINK(\"http://x\")".into()), "'=HYPERLINK(\"http://x\")");
        assert_eq!(csv_cell("+40744".into()), "'+40744");
        assert_eq!(csv_cell("-1".into()), "'-1");
        assert_eq!(csv_cell("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(csv_cell("patient.read".into()), "patient.read");
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_private_and_never_replace_or_follow() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join("data");
        private_dir(&own).unwrap();
        assert_eq!(std::fs::metadata(&own).unwrap().permissions().mode() & 0o777, 0o700);
        let folders = OwnFolders::new([own.clone()]);

        let out = dir.path().join("letter.pdf");
        folders.write_new(&out, b"%PDF").unwrap();
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(folders.write_new(&out, b"again").unwrap_err().kind(), "conflict.exists");
        assert_eq!(std::fs::read(&out).unwrap(), b"%PDF", "the file already there is kept");

        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, b"keep me").unwrap();
        let link = dir.path().join("link.pdf");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert!(folders.write_new(&link, b"overwrite").is_err(), "a symbolic link is not followed");
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");

        let inside = own.join("export.pdf");
        assert_eq!(folders.write_new(&inside, b"x").unwrap_err().kind(), "input.invalid");
        let alias = dir.path().join("alias");
        std::os::unix::fs::symlink(&own, &alias).unwrap();
        assert_eq!(
            folders.write_new(&alias.join("sub").join("x.pdf"), b"x").unwrap_err().kind(),
            "input.invalid",
            "a link to an own folder is seen through"
        );
        assert!(!inside.exists());
    }
}
