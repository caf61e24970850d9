//! Where sealed files (X-ray originals) live: files named by a random id in a
//! `blobs` folder beside a SQLite database, or rows of `blob` on PostgreSQL so every
//! workstation of the clinic reads them. What is stored is already sealed; a name
//! is a UUID and says nothing of whose it is.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::entities::{blob, xray};
use crate::crypto::Sealed;
use crate::error::{Error, Result};

/// Files younger than this are never swept: their row may not be committed yet.
const SWEEP_GRACE: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub enum Blobs {
    Dir(PathBuf),
    Table,
}

impl Blobs {
    /// Store `sealed` under `id` (a file is written whole, synced, then renamed).
    pub async fn put(&self, db: &impl ConnectionTrait, id: Uuid, sealed: &Sealed<Vec<u8>>) -> Result<()> {
        match self {
            Blobs::Dir(dir) => crate::files::replace_private(&dir.join(id.to_string()), sealed.as_bytes())?,
            Blobs::Table => {
                blob::Entity::insert(blob::ActiveModel {
                    id: Set(id),
                    data: Set(sealed.as_bytes().to_vec()),
                })
                .exec(db)
                .await?;
            }
        }
        Ok(())
    }

    pub async fn get(&self, db: &impl ConnectionTrait, id: Uuid) -> Result<Sealed<Vec<u8>>> {
        let missing = || Error::Tampered("an image's file is missing from the image store".into());
        let bytes = match self {
            Blobs::Dir(dir) => std::fs::read(dir.join(id.to_string())).map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound { missing() } else { Error::from(e) }
            })?,
            Blobs::Table => blob::Entity::find_by_id(id).one(db).await?.ok_or_else(missing)?.data,
        };
        // Whatever the store holds is taken as sealed: it opens only as the original it was.
        Ok(Sealed::from_stored(bytes))
    }

    /// Remove what no image refers to any more (after an erasure or a re-seal).
    pub async fn sweep(&self, db: &impl ConnectionTrait) -> Result<usize> {
        let used: HashSet<Uuid> = xray::Entity::find()
            .select_only()
            .column(xray::Column::BlobId)
            .into_tuple::<Uuid>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        match self {
            Blobs::Dir(dir) => {
                let Ok(entries) = std::fs::read_dir(dir) else { return Ok(0) };
                let mut removed = 0;
                for entry in entries.flatten() {
                    let file_name = entry.file_name().to_string_lossy().into_owned();
                    // `.<id>.<random>.part`: a write that never finished, never a stored blob.
                    let unfinished = file_name.starts_with('.') && file_name.ends_with(".part");
                    let old = entry
                        .metadata()
                        .and_then(|m| m.modified())
                        .map(|t| SystemTime::now().duration_since(t).unwrap_or_default() > SWEEP_GRACE)
                        .unwrap_or(false);
                    let orphan = unfinished
                        || Uuid::parse_str(&file_name).map(|id| !used.contains(&id)).unwrap_or(false);
                    if old && orphan && std::fs::remove_file(entry.path()).is_ok() {
                        removed += 1;
                    }
                }
                Ok(removed)
            }
            Blobs::Table => {
                let all: Vec<Uuid> =
                    blob::Entity::find().select_only().column(blob::Column::Id).into_tuple().all(db).await?;
                let orphans: Vec<Uuid> = all.into_iter().filter(|id| !used.contains(id)).collect();
                if orphans.is_empty() {
                    return Ok(0);
                }
                let n = blob::Entity::delete_many().filter(blob::Column::Id.is_in(orphans)).exec(db).await?;
                Ok(n.rows_affected as usize)
            }
        }
    }
}
