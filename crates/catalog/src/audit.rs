//! The append-only, hash-chained audit log.
//!
//! Each entry's hash covers the previous entry's hash and its own fields, so editing,
//! removing or reordering any entry breaks the chain from that entry on. Triggers refuse
//! updates and deletes (on SQLite and PostgreSQL alike); the chain catches whatever goes around
//! them. The hash is computed here, in Rust, over text the catalog wrote, so it is the same on
//! both databases.
//!
//! Appending reads the last entry and writes the next one, so appenders must take turns: on
//! SQLite every catalog write transaction holds the database's write lock from its start
//! (`BEGIN IMMEDIATE`); on PostgreSQL the appender locks the log against other appenders
//! (`LOCK TABLE … IN EXCLUSIVE MODE`, which readers pass) until its transaction ends. Each
//! entry's id is the previous id plus one, written explicitly, so that a transaction rolled
//! back after appending leaves no gap (a PostgreSQL sequence would).

use satudata_core::sha256_hex;
use sqlx::{AnyPool, Row};

/// Hash that the first entry chains to.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One state change: who did what to which subject, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the log, from 1.
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who (a user, or `pipeline`, `sistem`).
    pub actor: String,
    /// What (`releases.published`).
    pub action: String,
    /// On what (a dataset name, a submission id).
    pub subject: String,
    /// Details as JSON text.
    pub detail: String,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// Hash of this entry.
    pub hash: String,
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditCheck {
    /// Every entry chains to the one before and hashes to its stored hash.
    Intact {
        /// Number of entries.
        entries: u64,
    },
    /// The first entry where the chain breaks.
    Broken {
        /// Its id.
        entry: i64,
        /// What is wrong (phrased by [`satudata_core::Localize`]).
        problem: Break,
    },
}

/// How the chain breaks at an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Break {
    /// The entry's id is not the next one: an entry before it was removed or moved.
    Gap {
        /// The id expected at this place.
        expected: i64,
    },
    /// The entry's previous hash is not the hash of the entry before it.
    PreviousHash,
    /// The entry's fields do not hash to its stored hash: it was edited.
    Content,
}

fn entry_hash(prev: &str, at: &str, actor: &str, action: &str, subject: &str, detail: &str) -> String {
    let mut buf = String::with_capacity(prev.len() + at.len() + detail.len() + 64);
    for part in [prev, at, actor, action, subject, detail] {
        buf.push_str(&part.len().to_string());
        buf.push(':');
        buf.push_str(part);
        buf.push('\n');
    }
    sha256_hex(buf.as_bytes())
}

/// Appends an entry inside the caller's transaction (begun with `Catalog::begin` on SQLite).
pub(crate) async fn append(
    tx: &mut crate::Tx,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &serde_json::Value,
) -> sqlx::Result<()> {
    if tx.backend_name() == crate::Backend::Postgres.name() {
        sqlx::query("LOCK TABLE audit_log IN EXCLUSIVE MODE")
            .execute(&mut **tx)
            .await?;
    }
    let last = sqlx::query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?;
    let (id, prev) = match last {
        Some(row) => (row.try_get::<i64, _>(0)? + 1, row.try_get::<String, _>(1)?),
        None => (1, GENESIS.to_owned()),
    };
    let at = crate::now();
    let detail = detail.to_string();
    let hash = entry_hash(&prev, &at, actor, action, subject, &detail);
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(&at)
    .bind(actor)
    .bind(action)
    .bind(subject)
    .bind(&detail)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn entries(pool: &AnyPool) -> crate::Result<Vec<AuditEntry>> {
    let rows = sqlx::query("SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY id")
        .fetch_all(pool)
        .await?;
    Ok(rows
        .iter()
        .map(|r| AuditEntry {
            id: r.get(0),
            at: r.get(1),
            actor: r.get(2),
            action: r.get(3),
            subject: r.get(4),
            detail: r.get(5),
            prev_hash: r.get(6),
            hash: r.get(7),
        })
        .collect())
}

pub(crate) async fn verify(pool: &AnyPool) -> crate::Result<AuditCheck> {
    let all = entries(pool).await?;
    let mut prev = GENESIS.to_owned();
    for (i, e) in all.iter().enumerate() {
        if e.id != i as i64 + 1 {
            return Ok(AuditCheck::Broken {
                entry: e.id,
                problem: Break::Gap { expected: i as i64 + 1 },
            });
        }
        if e.prev_hash != prev {
            return Ok(AuditCheck::Broken {
                entry: e.id,
                problem: Break::PreviousHash,
            });
        }
        if entry_hash(&e.prev_hash, &e.at, &e.actor, &e.action, &e.subject, &e.detail) != e.hash {
            return Ok(AuditCheck::Broken {
                entry: e.id,
                problem: Break::Content,
            });
        }
        prev = e.hash.clone();
    }
    Ok(AuditCheck::Intact {
        entries: all.len() as u64,
    })
}
