//! The staging folder: one `{id}.part` (the bytes so far) and one `{id}.info.json` per upload.
//!
//! The part file's length *is* the upload's offset: bytes are appended chunk by chunk as they
//! arrive and the file is fsync'd before a PATCH answers, or when its body breaks off, so a
//! cut connection keeps every byte that reached the server and the next HEAD says so. The info
//! file (owner, length, metadata) is written once at creation, atomically (temporary file,
//! fsync, rename), and once more when the application has taken the finished upload.
//!
//! Each upload has a slot behind an async lock: one request writes at a time, and the slot
//! keeps the SHA-256 state of the bytes written so far while the process runs. A PATCH that
//! starts where the state stopped continues it; otherwise (a restart, a write that failed) the
//! state is dropped and completion hashes the staged file once, streamed. Nothing of the
//! hasher is persisted, so no hasher format is tied to the files on disk.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::response::Response;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncSeekExt, AsyncWriteExt, BufWriter};
use tokio::sync::OwnedMutexGuard;

use crate::hooks::{CompletedUpload, Hooks};
use crate::{Error, Result};

/// One GiB, the default [`Config::max_size`].
pub const DEFAULT_MAX_SIZE: u64 = 1 << 30;

const WRITE_BUFFER: usize = 256 * 1024;
const HASH_BUFFER: usize = 1 << 20;

/// Settings of the upload service.
#[derive(Debug, Clone)]
pub struct Config {
    /// The staging folder (`{data_dir}/uploads`); created when missing.
    pub dir: PathBuf,
    /// The largest `Upload-Length` accepted (`Tus-Max-Size`).
    pub max_size: u64,
    /// How long an unfinished upload is kept after its last byte arrived, and a finished
    /// upload's info after it was taken.
    pub expire_after: Duration,
    /// How long a PATCH may wait for its next chunk before it ends, keeping what came.
    pub idle_timeout: Duration,
    /// How long a request waits for another one on the same upload before answering 423.
    pub lock_wait: Duration,
    /// How many unfinished uploads one owner may have at once (429 past it), so that one
    /// account cannot fill the disk with uploads of the maximum size.
    pub max_unfinished: usize,
}

impl Config {
    /// The defaults over `dir`: 1 GiB, a day to finish, 60 s idle, 5 s lock wait, 16 unfinished
    /// uploads an owner.
    pub fn new(dir: impl Into<PathBuf>) -> Config {
        Config {
            dir: dir.into(),
            max_size: DEFAULT_MAX_SIZE,
            expire_after: Duration::from_secs(24 * 3600),
            idle_timeout: Duration::from_secs(60),
            lock_wait: Duration::from_secs(5),
            max_unfinished: 16,
        }
    }
}

/// What the info file of an upload holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UploadInfo {
    /// The id (32 lowercase hex digits, random).
    pub id: String,
    /// Who created it.
    pub owner: String,
    /// Its length in bytes.
    pub length: u64,
    /// Its decoded `Upload-Metadata`.
    pub metadata: BTreeMap<String, String>,
    /// The `Upload-Metadata` header as sent, repeated by HEAD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_metadata: Option<String>,
    /// When it was created.
    pub created: DateTime<Utc>,
    /// Set once the application has taken the finished upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<Completion>,
}

/// A finished upload that the application took.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Completion {
    /// SHA-256 of the whole upload, lowercase hex.
    pub sha256: String,
    /// When the application took it.
    pub at: DateTime<Utc>,
    /// The headers the application's answer added, for HEAD.
    pub headers: Vec<(String, String)>,
}

/// An upload and where it stands.
#[derive(Debug, Clone)]
pub struct Status {
    /// Its info.
    pub info: UploadInfo,
    /// Bytes received so far.
    pub offset: u64,
    /// When it expires if left unfinished (`None` once finished).
    pub expires: Option<DateTime<Utc>>,
}

/// What sweeping the staging folder removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Swept {
    /// Unfinished uploads past their age.
    pub expired: usize,
    /// Info files of finished uploads past their age.
    pub finished: usize,
    /// Files without an info file (a creation cut short), past their age.
    pub orphans: usize,
}

/// How a write ended: bytes appended, or the application refused the finished upload.
pub(crate) enum Outcome {
    Written(Status),
    Refused(Response),
}

/// What a write request claims: which upload, whose, at which offset, how many bytes.
pub(crate) struct Patch {
    pub id: String,
    pub owner: String,
    pub given: u64,
    pub content_length: Option<u64>,
}

#[derive(Default)]
pub(crate) struct Slot {
    /// The hash of the first `.1` bytes.
    hasher: Option<(Sha256, u64)>,
}

/// The staging folder of resumable uploads; cheap to clone.
#[derive(Clone)]
pub struct Uploads {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    slots: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Slot>>>>,
    /// Creations one at a time, so that two cannot both pass the owner's count.
    creating: tokio::sync::Mutex<()>,
}

/// Whether `id` has the form of an id this crate makes (so it is safe in a file name).
pub(crate) fn valid_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn new_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io {
        path: "getrandom".into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(hex::encode(bytes))
}

fn mtime(meta: &std::fs::Metadata) -> SystemTime {
    meta.modified().unwrap_or(SystemTime::UNIX_EPOCH)
}

impl Uploads {
    /// Opens (and creates, when missing) the staging folder.
    pub fn open(config: Config) -> Result<Uploads> {
        std::fs::create_dir_all(&config.dir).map_err(|e| Error::io(&config.dir, e))?;
        Ok(Uploads {
            inner: Arc::new(Inner {
                config,
                slots: Mutex::new(HashMap::new()),
                creating: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// The settings it was opened with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Where the bytes of upload `id` are staged.
    pub fn part_path(&self, id: &str) -> PathBuf {
        self.inner.config.dir.join(format!("{id}.part"))
    }

    fn info_path(&self, id: &str) -> PathBuf {
        self.inner.config.dir.join(format!("{id}.info.json"))
    }

    /// Creates an empty upload of `length` bytes for `owner`.
    pub async fn create(
        &self,
        owner: &str,
        length: u64,
        metadata: BTreeMap<String, String>,
        raw_metadata: Option<String>,
    ) -> Result<UploadInfo> {
        let max = self.inner.config.max_size;
        if length > max {
            return Err(Error::TooLarge { length, max });
        }
        let _creating = self.inner.creating.lock().await;
        let max = self.inner.config.max_unfinished;
        if self.unfinished(owner).await? >= max {
            return Err(Error::TooMany { max });
        }
        let id = new_id()?;
        let part = self.part_path(&id);
        tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&part)
            .await
            .map_err(|e| Error::io(&part, e))?;
        let info = UploadInfo {
            id,
            owner: owner.to_owned(),
            length,
            metadata,
            raw_metadata,
            created: Utc::now(),
            completed: None,
        };
        self.write_info(&info).await?;
        Ok(info)
    }

    /// How many unfinished uploads `owner` has (unreadable info files are not counted).
    async fn unfinished(&self, owner: &str) -> Result<usize> {
        let dir = &self.inner.config.dir;
        let mut entries = tokio::fs::read_dir(dir).await.map_err(|e| Error::io(dir, e))?;
        let mut count = 0;
        while let Some(entry) = entries.next_entry().await.map_err(|e| Error::io(dir, e))? {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(id) = name.strip_suffix(".info.json") else {
                continue;
            };
            if let Ok(Some(info)) = self.read_info(id).await
                && info.owner == owner
                && info.completed.is_none()
            {
                count += 1;
            }
        }
        Ok(count)
    }

    async fn write_info(&self, info: &UploadInfo) -> Result<()> {
        let path = self.info_path(&info.id);
        let tmp = self.inner.config.dir.join(format!("{}.info.tmp", info.id));
        let text = serde_json::to_vec_pretty(info).map_err(|source| Error::Info {
            path: path.display().to_string(),
            source,
        })?;
        let mut file = tokio::fs::File::create(&tmp).await.map_err(|e| Error::io(&tmp, e))?;
        file.write_all(&text).await.map_err(|e| Error::io(&tmp, e))?;
        file.sync_all().await.map_err(|e| Error::io(&tmp, e))?;
        tokio::fs::rename(&tmp, &path).await.map_err(|e| Error::io(&path, e))
    }

    async fn read_info(&self, id: &str) -> Result<Option<UploadInfo>> {
        if !valid_id(id) {
            return Ok(None);
        }
        let path = self.info_path(id);
        let text = match tokio::fs::read(&path).await {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        serde_json::from_slice(&text).map(Some).map_err(|source| Error::Info {
            path: path.display().to_string(),
            source,
        })
    }

    /// Where upload `id` of `owner` stands: [`Error::NotFound`] when it does not exist or is
    /// someone else's, [`Error::Expired`] when it was left unfinished too long.
    pub async fn status(&self, id: &str, owner: &str) -> Result<Status> {
        let info = match self.read_info(id).await? {
            Some(info) if info.owner == owner => info,
            _ => return Err(Error::NotFound),
        };
        if info.completed.is_some() {
            return Ok(Status {
                offset: info.length,
                info,
                expires: None,
            });
        }
        let part = self.part_path(id);
        let meta = match tokio::fs::metadata(&part).await {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::NotFound),
            Err(e) => return Err(Error::io(&part, e)),
        };
        let expires = mtime(&meta) + self.inner.config.expire_after;
        if expires < SystemTime::now() {
            return Err(Error::Expired);
        }
        Ok(Status {
            offset: meta.len(),
            info,
            expires: Some(expires.into()),
        })
    }

    fn slot(&self, id: &str) -> Arc<tokio::sync::Mutex<Slot>> {
        let mut slots = self.inner.slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        slots.entry(id.to_owned()).or_default().clone()
    }

    fn forget(&self, id: &str) {
        let mut slots = self.inner.slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        slots.remove(id);
    }

    /// Takes upload `id`'s lock, waiting at most [`Config::lock_wait`].
    pub(crate) async fn lock(&self, id: &str) -> Result<OwnedMutexGuard<Slot>> {
        let slot = self.slot(id);
        tokio::time::timeout(self.inner.config.lock_wait, slot.lock_owned())
            .await
            .map_err(|_| Error::Locked)
    }

    /// Under the upload's lock: checks `given` against the offset, appends `body`, and hands
    /// the upload to `hooks` when it is whole (also when it was whole already but not taken,
    /// after a crash).
    pub(crate) async fn write<S, E, H>(&self, slot: &mut Slot, patch: &Patch, body: S, hooks: &H) -> Result<Outcome>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
        H: Hooks,
    {
        let Patch {
            id,
            owner,
            given,
            content_length,
        } = patch;
        let (given, content_length) = (*given, *content_length);
        let status = self.status(id, owner).await?;
        if given != status.offset {
            return Err(Error::Offset {
                given,
                offset: status.offset,
            });
        }
        let length = status.info.length;
        if content_length.is_some_and(|n| n > length.saturating_sub(status.offset)) {
            return Err(Error::PastLength { length });
        }
        if status.info.completed.is_some() {
            return Ok(Outcome::Written(status));
        }
        let offset = self.append(slot, id, status.offset, length, body).await?;
        if offset < length {
            let expires = SystemTime::now() + self.inner.config.expire_after;
            return Ok(Outcome::Written(Status {
                offset,
                expires: Some(expires.into()),
                ..status
            }));
        }
        self.finish(slot, status.info, hooks).await
    }

    async fn append<S, E>(&self, slot: &mut Slot, id: &str, offset: u64, length: u64, mut body: S) -> Result<u64>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    {
        enum End {
            Done,
            Broken,
            PastLength,
        }
        let path = self.part_path(id);
        let io = |e| Error::io(&path, e);
        let mut file = tokio::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .await
            .map_err(io)?;
        file.seek(std::io::SeekFrom::Start(offset)).await.map_err(io)?;
        let mut hasher = match slot.hasher.take() {
            Some((hasher, hashed)) if hashed == offset => Some(hasher),
            _ if offset == 0 => Some(Sha256::new()),
            _ => None,
        };
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, file);
        let room = length.saturating_sub(offset);
        let mut written = 0u64;
        let idle = self.inner.config.idle_timeout;
        let end = loop {
            let chunk = match tokio::time::timeout(idle, body.next()).await {
                Ok(Some(Ok(chunk))) => chunk,
                Ok(None) => break End::Done,
                Ok(Some(Err(_))) | Err(_) => break End::Broken,
            };
            if chunk.len() as u64 > room - written {
                break End::PastLength;
            }
            out.write_all(&chunk).await.map_err(io)?;
            if let Some(hasher) = hasher.as_mut() {
                hasher.update(&chunk);
            }
            written += chunk.len() as u64;
        };
        out.flush().await.map_err(io)?;
        let file = out.into_inner();
        if let End::PastLength = end {
            // The request is refused whole: what it wrote so far goes again.
            file.set_len(offset).await.map_err(io)?;
            file.sync_data().await.map_err(io)?;
            return Err(Error::PastLength { length });
        }
        file.sync_data().await.map_err(io)?;
        slot.hasher = hasher.map(|hasher| (hasher, offset + written));
        match end {
            End::Broken => Err(Error::Interrupted { received: written }),
            _ => Ok(offset + written),
        }
    }

    async fn finish<H: Hooks>(&self, slot: &mut Slot, mut info: UploadInfo, hooks: &H) -> Result<Outcome> {
        let path = self.part_path(&info.id);
        let sha256 = match slot.hasher.take() {
            Some((hasher, hashed)) if hashed == info.length => hex::encode(hasher.finalize()),
            _ => hash_file(&path).await?,
        };
        let upload = CompletedUpload {
            id: info.id.clone(),
            owner: info.owner.clone(),
            path: path.clone(),
            length: info.length,
            metadata: info.metadata.clone(),
            sha256: sha256.clone(),
        };
        match hooks.on_complete(upload).await {
            Ok(accepted) => {
                info.completed = Some(Completion {
                    sha256,
                    at: Utc::now(),
                    headers: accepted.headers,
                });
                self.write_info(&info).await?;
                remove_if_there(&path).await?;
                self.forget(&info.id);
                Ok(Outcome::Written(Status {
                    offset: info.length,
                    info,
                    expires: None,
                }))
            }
            Err(response) => {
                self.remove_files(&info.id).await?;
                self.forget(&info.id);
                Ok(Outcome::Refused(response))
            }
        }
    }

    async fn remove_files(&self, id: &str) -> Result<()> {
        remove_if_there(&self.info_path(id)).await?;
        remove_if_there(&self.part_path(id)).await
    }

    /// Removes upload `id` of `owner` (termination), waiting for a write in progress.
    pub async fn delete(&self, id: &str, owner: &str) -> Result<()> {
        match self.read_info(id).await? {
            Some(info) if info.owner == owner => {}
            _ => return Err(Error::NotFound),
        }
        let _slot = self.lock(id).await?;
        self.remove_files(id).await?;
        self.forget(id);
        Ok(())
    }

    /// Removes unfinished uploads whose last byte came longer than [`Config::expire_after`]
    /// ago, finished uploads' info files as old, and leftovers of creations cut short. Uploads
    /// being written are left for the next sweep. The application calls it periodically.
    pub async fn sweep(&self) -> Result<Swept> {
        self.sweep_at(SystemTime::now()).await
    }

    /// [`Uploads::sweep`] as if it were `now`.
    pub async fn sweep_at(&self, now: SystemTime) -> Result<Swept> {
        let dir = &self.inner.config.dir;
        let cutoff = now
            .checked_sub(self.inner.config.expire_after)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let mut swept = Swept::default();
        let mut entries = tokio::fs::read_dir(dir).await.map_err(|e| Error::io(dir, e))?;
        let mut leftovers = Vec::new();
        while let Some(entry) = entries.next_entry().await.map_err(|e| Error::io(dir, e))? {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some((id, kind)) = name.split_once('.') else {
                continue;
            };
            if !valid_id(id) {
                continue;
            }
            if kind == "part" || kind == "info.tmp" {
                leftovers.push((id.to_owned(), entry.path()));
            }
            if kind != "info.json" {
                continue;
            }
            let Ok(Some(info)) = self.read_info(id).await else {
                continue;
            };
            let Ok(slot) = self.slot(id).try_lock_owned() else {
                continue;
            };
            let (activity, finished) = if info.completed.is_some() {
                (entry.metadata().await.map(|m| mtime(&m)), true)
            } else {
                (tokio::fs::metadata(self.part_path(id)).await.map(|m| mtime(&m)), false)
            };
            // A missing part file: a creation that stopped between its two files.
            if activity.is_ok_and(|t| t >= cutoff) {
                continue;
            }
            self.remove_files(id).await?;
            drop(slot);
            self.forget(id);
            if finished {
                swept.finished += 1;
            } else {
                swept.expired += 1;
            }
        }
        for (id, path) in leftovers {
            // A temporary info file, a part file without info (a creation cut short) or the
            // part file of a finished upload (a crash before its removal).
            let stale = match self.read_info(&id).await {
                Ok(None) => true,
                Ok(Some(info)) => info.completed.is_some() || path.extension().is_some_and(|e| e == "tmp"),
                Err(_) => false,
            };
            let old = tokio::fs::metadata(&path).await.is_ok_and(|m| mtime(&m) < cutoff);
            if stale && old {
                remove_if_there(&path).await?;
                swept.orphans += 1;
            }
        }
        Ok(swept)
    }
}

async fn remove_if_there(path: &Path) -> Result<()> {
    match tokio::fs::remove_file(path).await {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

/// SHA-256 of a file, read in 1 MiB pieces on a blocking thread.
async fn hash_file(path: &Path) -> Result<String> {
    let owned = path.to_owned();
    let hashed = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
        use std::io::Read;
        let mut file = std::fs::File::open(&owned)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; HASH_BUFFER];
        loop {
            let n = file.read(&mut buffer)?;
            if n == 0 {
                return Ok(hex::encode(hasher.finalize()));
            }
            hasher.update(&buffer[..n]);
        }
    })
    .await
    .map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))?;
    hashed.map_err(|e| Error::io(path, e))
}
