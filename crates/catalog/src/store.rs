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
