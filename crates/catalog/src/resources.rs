//! The files of a release as CKAN resources: each with a stable id (a UUID), so that
//! `resource_show` and `datastore_search` can name one.
//!
//! A resource's id is derived from the dataset's id, the release and the file name (a UUID of
//! version 8 from their SHA-256), so the same release always has the same resource ids, also
//! in a restored catalog. The rows are written in the transaction that commits the release.

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Catalog, Result, Tx};

/// The files of every release that are resources, in the order a package lists them: file,
/// format (as the `res_format` facet and CKAN name it), media type.
pub const FILES: [(&str, &str, &str); 2] = [
    ("data.csv", "CSV", "text/csv"),
    ("data.parquet", "Parquet", "application/vnd.apache.parquet"),
];

/// A release file known by its resource id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// The resource id.
    pub id: String,
    /// Dataset name.
    pub dataset: String,
    /// Release number.
    pub version: u32,
    /// File name in the release (`data.csv`).
    pub file: String,
}

/// The resource id of `file` in release `version` of the dataset whose id is `dataset_id`.
pub fn resource_id(dataset_id: &str, version: u32, file: &str) -> String {
    let digest = Sha256::digest(format!("{dataset_id}/v{version}/{file}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    crate::uuid_text(b, 8)
}

/// Writes the resource rows of release `version` of `dataset`.
pub(crate) async fn insert(tx: &mut Tx, dataset: &str, version: u32) -> Result<()> {
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM datasets WHERE name = $1")
        .bind(dataset)
        .fetch_optional(&mut **tx)
        .await?;
    let id = id.unwrap_or_default();
    for (file, _, _) in FILES {
        sqlx::query(
            "INSERT INTO resources (id, dataset, version, file) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (dataset, version, file) DO NOTHING",
        )
        .bind(resource_id(&id, version, file))
        .bind(dataset)
        .bind(i64::from(version))
        .bind(file)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Catalog {
    /// The release file whose resource id is `id`.
    pub async fn resource(&self, id: &str) -> Result<Option<Resource>> {
        let row = sqlx::query("SELECT id, dataset, version, file FROM resources WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| Resource {
            id: r.get("id"),
            dataset: r.get("dataset"),
            version: u32::try_from(r.get::<i64, _>("version")).unwrap_or(u32::MAX),
            file: r.get("file"),
        }))
    }

    /// Counts one download of `file` of release `version` of `dataset`.
    pub async fn count_download(&self, dataset: &str, version: u32, file: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO downloads (dataset, version, file, count) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (dataset, version, file) DO UPDATE SET count = downloads.count + 1",
        )
        .bind(dataset)
        .bind(i64::from(version))
        .bind(file)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The downloads of each file of `dataset`'s releases: `(version, file, count)`.
    pub async fn downloads(&self, dataset: &str) -> Result<Vec<(u32, String, u64)>> {
        let rows = sqlx::query("SELECT version, file, count FROM downloads WHERE dataset = $1 ORDER BY version, file")
            .bind(dataset)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                (
                    u32::try_from(r.get::<i64, _>("version")).unwrap_or(u32::MAX),
                    r.get("file"),
                    u64::try_from(r.get::<i64, _>("count")).unwrap_or(0),
                )
            })
            .collect())
    }

    /// The name of the dataset whose stable id is `id`.
    pub async fn dataset_name_by_id(&self, id: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT name FROM datasets WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The stable id (a UUID) of dataset `name`.
    pub async fn dataset_id(&self, name: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT id FROM datasets WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?)
    }
}
