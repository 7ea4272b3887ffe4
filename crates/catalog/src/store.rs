//! The object store: submitted files, reports and release files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};

/// Files of the Pusat Data, addressed by `/`-separated keys.
#[derive(Debug, Clone)]
pub struct Store {
    inner: Arc<dyn ObjectStore>,
    local_root: Option<PathBuf>,
}

impl Store {
    /// A store of local files under `root` (created if missing).
    pub fn local(root: &Path) -> crate::Result<Self> {
        std::fs::create_dir_all(root).map_err(|source| crate::Error::Io {
            path: root.display().to_string(),
            source,
        })?;
        let root = root.canonicalize().map_err(|source| crate::Error::Io {
            path: root.display().to_string(),
            source,
        })?;
        let inner = LocalFileSystem::new_with_prefix(&root)?;
        Ok(Store {
            inner: Arc::new(inner),
            local_root: Some(root),
        })
    }

    /// Writes `bytes` at `key` (atomically: readers see the old or the new file, never half).
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> crate::Result<()> {
        self.inner.put(&ObjectPath::from(key), PutPayload::from(bytes)).await?;
        Ok(())
    }

    /// Moves the file at `from` to `key` without reading it into memory: a rename within one
    /// file system, else a copy beside the target renamed into place (readers never see half).
    /// A store that is not local reads it and writes it as [`Store::put`] does.
    pub async fn put_file(&self, key: &str, from: &Path) -> crate::Result<()> {
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| crate::Error::Io { path, source }
        };
        let Some(target) = self.local_path(key) else {
            let bytes = tokio::fs::read(from).await.map_err(io(from))?;
            return self.put(key, bytes).await;
        };
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(io(parent))?;
        }
        if tokio::fs::rename(from, &target).await.is_ok() {
            return Ok(());
        }
        let partial = target.with_extension("partial");
        tokio::fs::copy(from, &partial).await.map_err(io(&partial))?;
        tokio::fs::rename(&partial, &target).await.map_err(io(&target))?;
        Ok(())
    }

    /// Reads the file at `key`.
    pub async fn get(&self, key: &str) -> crate::Result<Vec<u8>> {
        let result = self.inner.get(&ObjectPath::from(key)).await?;
        Ok(result.bytes().await?.to_vec())
    }

    /// Where `key` lives on disk, for a local store.
    pub fn local_path(&self, key: &str) -> Option<PathBuf> {
        self.local_root
            .as_ref()
            .map(|root| key.split('/').fold(root.clone(), |p, part| p.join(part)))
    }
}
