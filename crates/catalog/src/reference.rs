//! Reference documents and dataset metadata as the API writes them: puts that say what they
//! did and log who (name, role, PD) with the document's digest before and after, and paged
//! lists of reference documents.
//!
//! Every query runs unchanged on SQLite and PostgreSQL (`$N` placeholders, TEXT documents).

use satudata_core::{DatasetMetadata, sha256_hex};
use serde::de::DeserializeOwned;
use sqlx::Row;

use crate::listing::Listing;
use crate::{Catalog, DocKind, Error, Result, audit, now, parse_doc};

/// A kind of reference document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceKind {
    /// A data standard (`standards`).
    Standard,
    /// A code list (`code_lists`).
    CodeList,
    /// Master data (`master_data`).
    MasterData,
}

impl ReferenceKind {
    fn doc_kind(self) -> DocKind {
        match self {
            ReferenceKind::Standard => DocKind::Standard,
            ReferenceKind::CodeList => DocKind::CodeList,
            ReferenceKind::MasterData => DocKind::MasterData,
        }
    }

    /// The kind's name as errors say it (`data standard`, `code list`, `master data`).
    pub fn name(self) -> &'static str {
        self.doc_kind().name()
    }
}

/// What a put did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    /// The document did not exist and was stored.
    Created,
    /// The document existed and was replaced by a different one.
    Replaced,
    /// The document existed exactly as sent: nothing was written or logged.
    Unchanged,
}

/// Who makes a change, as its audit entry records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangedBy<'a> {
    /// The account's name (the entry's actor).
    pub name: &'a str,
    /// Its role (`walidata`), if signed in.
    pub role: Option<&'a str>,
    /// Its organization's slug, if it has one.
    pub organization: Option<&'a str>,
}

/// The audit detail of a change by `by`: its role and organization.
fn who(by: &ChangedBy<'_>) -> serde_json::Value {
    serde_json::json!({ "role": by.role, "by_organization": by.organization })
}

/// Adds the digests of the document `before` and `after` (JSON texts) to an audit detail.
fn with_digests(mut detail: serde_json::Value, before: Option<&str>, after: &str) -> serde_json::Value {
    if let Some(map) = detail.as_object_mut() {
        map.insert("sha256".into(), sha256_hex(after.as_bytes()).into());
        if let Some(before) = before {
            map.insert("before_sha256".into(), sha256_hex(before.as_bytes()).into());
        }
    }
    detail
}

fn to_json(kind: &'static str, key: &str, doc: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(doc).map_err(|source| Error::Document {
        kind,
        key: key.into(),
        source,
    })
}

/// The stored metadata document of `metadata`'s dataset, if any, read inside `tx`; metadata
/// whose organization does not exist is refused (`not found`).
pub(crate) async fn stored_dataset(tx: &mut crate::Tx, metadata: &DatasetMetadata) -> Result<Option<String>> {
    let org: Option<String> = sqlx::query_scalar("SELECT slug FROM organizations WHERE slug = $1")
        .bind(&metadata.organization)
        .fetch_optional(&mut **tx)
        .await?;
    if org.is_none() {
        return Err(Error::NotFound {
            kind: "organization",
            key: metadata.organization.clone(),
        });
    }
    let existing = sqlx::query_scalar("SELECT doc FROM datasets WHERE name = $1")
        .bind(&metadata.name)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(existing)
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Catalog {
    /// Stores `doc` under `key` in `kind`'s table, logging `{table}.created` or
    /// `{table}.updated` with `detail`'s fields and the digests before and after.
    pub(crate) async fn write_doc(
        &self,
        kind: DocKind,
        key: &str,
        doc: &impl serde::Serialize,
        actor: &str,
        detail: serde_json::Value,
    ) -> Result<PutOutcome> {
        let json = to_json(kind.name(), key, doc)?;
        let mut tx = self.begin().await?;
        let select = format!("SELECT doc FROM {} WHERE {} = $1", kind.table(), kind.key_column());
        let existing: Option<String> = sqlx::query_scalar(&select).bind(key).fetch_optional(&mut *tx).await?;
        if existing.as_deref() == Some(json.as_str()) {
            return Ok(PutOutcome::Unchanged);
        }
        let upsert = format!(
            "INSERT INTO {t} ({k}, doc, updated_at) VALUES ($1, $2, $3) ON CONFLICT ({k}) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at",
            t = kind.table(),
            k = kind.key_column()
        );
        sqlx::query(&upsert)
            .bind(key)
            .bind(&json)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        let (action, outcome) = match existing {
            Some(_) => ("updated", PutOutcome::Replaced),
            None => ("created", PutOutcome::Created),
        };
        let detail = with_digests(detail, existing.as_deref(), &json);
        let action = format!("{}.{action}", kind.table());
        audit::append(&mut tx, actor, &action, key, &detail).await?;
        if kind == DocKind::Standard {
            // The datasets following the standard show its columns, and are found by them.
            let users: Vec<String> = sqlx::query_scalar("SELECT name FROM datasets WHERE standard = $1")
                .bind(key)
                .fetch_all(&mut *tx)
                .await?;
            for name in &users {
                crate::search::reindex(&mut tx, name, true).await?;
            }
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// Creates or replaces the reference document `key` of `kind`, logged with who and the
    /// digests before and after.
    pub async fn put_reference(
        &self,
        kind: ReferenceKind,
        key: &str,
        doc: &impl serde::Serialize,
        by: &ChangedBy<'_>,
    ) -> Result<PutOutcome> {
        self.write_doc(kind.doc_kind(), key, doc, by.name, who(by)).await
    }

    /// The reference document `key` of `kind`.
    pub async fn reference<T: DeserializeOwned>(&self, kind: ReferenceKind, key: &str) -> Result<T> {
        self.get_doc(kind.doc_kind(), key).await
    }

    /// One page of `kind`'s documents, by id.
    pub async fn list_reference<T: DeserializeOwned>(
        &self,
        kind: ReferenceKind,
        limit: u64,
        offset: u64,
    ) -> Result<Listing<T>> {
        self.list_docs(kind.doc_kind(), limit, offset).await
    }

    /// One page of the documents of `kind`'s table, by key.
    pub(crate) async fn list_docs<T: DeserializeOwned>(
        &self,
        kind: DocKind,
        limit: u64,
        offset: u64,
    ) -> Result<Listing<T>> {
        let select = format!(
            "SELECT {k} AS k, doc FROM {t} ORDER BY {k} LIMIT $1 OFFSET $2",
            k = kind.key_column(),
            t = kind.table()
        );
        let rows = sqlx::query(&select)
            .bind(to_i64(limit))
            .bind(to_i64(offset))
            .fetch_all(&self.pool)
            .await?;
        let items = rows
            .iter()
            .map(|row| {
                let key: String = row.get("k");
                let doc: String = row.get("doc");
                parse_doc(kind.name(), key, &doc)
            })
            .collect::<Result<Vec<T>>>()?;
        let counting = format!("SELECT COUNT(*) AS n FROM {}", kind.table());
        let total: i64 = sqlx::query(&counting).fetch_one(&self.pool).await?.get("n");
        Ok(Listing {
            items,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// Registers a new dataset; `false` (nothing written) when the name is taken. Its
    /// organization must exist.
    pub async fn create_dataset(&self, metadata: &DatasetMetadata, by: &ChangedBy<'_>) -> Result<bool> {
        self.write_dataset(metadata, by, false)
            .await
            .map(|o| o == PutOutcome::Created)
    }

    /// Replaces an existing dataset's metadata (`not found` when there is none), logged with
    /// who and the digests before and after.
    pub async fn update_dataset(&self, metadata: &DatasetMetadata, by: &ChangedBy<'_>) -> Result<PutOutcome> {
        self.write_dataset(metadata, by, true).await
    }

    async fn write_dataset(&self, metadata: &DatasetMetadata, by: &ChangedBy<'_>, replace: bool) -> Result<PutOutcome> {
        let json = to_json("dataset", &metadata.name, metadata)?;
        let mut tx = self.begin().await?;
        let existing = stored_dataset(&mut tx, metadata).await?;
        let outcome = match (&existing, replace) {
            (Some(_), false) => return Ok(PutOutcome::Unchanged),
            (None, true) => {
                return Err(Error::NotFound {
                    kind: "dataset",
                    key: metadata.name.clone(),
                });
            }
            (Some(before), true) if *before == json => return Ok(PutOutcome::Unchanged),
            (Some(_), true) => PutOutcome::Replaced,
            (None, false) => PutOutcome::Created,
        };
        // A create never overwrites (a concurrent create of the same name wins alone); a
        // replace keeps the organization, which never changes.
        let query = match outcome {
            PutOutcome::Created => sqlx::query(
                "INSERT INTO datasets (name, organization, standard, doc, updated_at, id, created_at, modified_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $5, $5) ON CONFLICT (name) DO NOTHING",
            ),
            _ => sqlx::query(
                "UPDATE datasets SET standard = $3, doc = $4, updated_at = $5 WHERE name = $1 AND organization = $2",
            ),
        };
        let query = query
            .bind(&metadata.name)
            .bind(&metadata.organization)
            .bind(&metadata.standard)
            .bind(&json)
            .bind(now());
        let query = match outcome {
            PutOutcome::Created => query.bind(crate::new_uuid()?),
            _ => query,
        };
        let written = query.execute(&mut *tx).await?.rows_affected();
        if written == 0 {
            return Ok(PutOutcome::Unchanged);
        }
        crate::search::reindex(&mut tx, &metadata.name, true).await?;
        let mut detail = with_digests(who(by), existing.as_deref(), &json);
        if let Some(map) = detail.as_object_mut() {
            map.insert("organization".into(), metadata.organization.clone().into());
        }
        let action = match outcome {
            PutOutcome::Created => "datasets.created",
            _ => "datasets.updated",
        };
        audit::append(&mut tx, by.name, action, &metadata.name, &detail).await?;
        tx.commit().await?;
        Ok(outcome)
    }
}
