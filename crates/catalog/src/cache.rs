//! The read cache: what a dataset's public reads show, held in memory between changes.
//!
//! A dataset's page and its release list are read far more often than they change, and each
//! read was three statements (on SQLite each a hop to the connection's thread and back). The
//! cache keeps, per dataset name, a [`DatasetView`]: the entry, its switches, its releases and
//! which of them are withdrawn (or that there is no such dataset). It is emptied whenever the
//! catalog changed:
//! - by this process: every write transaction's commit counts ([`Changes`]), and the next read
//!   asks the database before it trusts the cache, so a write is seen by the reads after it;
//! - by any process: triggers move `catalog_changes.seq` on every write to datasets, releases,
//!   withdrawals, switches and organizations (migration 0005), and a read asks for it when the
//!   cache was last checked more than [`RECHECK`] ago. Another process's change is seen within
//!   that time.
//!
//! A read that finds its dataset in a cache checked recently costs no statement at all; the
//! check is one statement on a one-row table.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::listing::DatasetEntry;
use sqlx::Row;

use satudata_core::Organization;

use crate::{Catalog, DatasetSwitches, ReleaseRecord, Result};

/// How long the cache is trusted without asking the database whether another process changed it.
pub const RECHECK: Duration = Duration::from_millis(200);

/// At most this many names are held; past it the cache starts again empty.
const MAX_ENTRIES: usize = 100_000;

/// A dataset as its public reads show it.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetView {
    /// The entry: metadata and the latest release not withdrawn.
    pub entry: DatasetEntry,
    /// Its switches for recurring feeds.
    pub switches: DatasetSwitches,
    /// Its releases, oldest first.
    pub releases: Vec<ReleaseRecord>,
    /// The versions withdrawn.
    pub withdrawn: Vec<u32>,
    /// Its stable id (a UUID).
    pub id: String,
    /// When it was registered (RFC 3339).
    pub created_at: String,
    /// When it, or what it shows, last changed (RFC 3339).
    pub modified_at: String,
    /// The version of its data standard, when the standard exists.
    pub standard_version: Option<String>,
}

/// The commits of this process's write transactions, counted.
#[derive(Debug, Default)]
pub(crate) struct Changes(AtomicU64);

impl Changes {
    /// Counts one commit.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }

    fn now(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }
}

/// What the cache holds, and as of when.
#[derive(Debug)]
struct Held {
    /// `catalog_changes.seq` when the views were read.
    seq: i64,
    /// This process's commits counted when the cache was last checked.
    commits: u64,
    /// When it was last checked.
    checked: Instant,
    /// Views by dataset name; `None` for a name that is no dataset.
    views: HashMap<String, Option<Arc<DatasetView>>>,
    /// Every organization with when it was last written, once read.
    organizations: Option<Arc<Vec<(Organization, String)>>>,
}

/// The cache of one [`Catalog`] and its clones.
#[derive(Debug)]
pub(crate) struct ReadCache {
    changes: Arc<Changes>,
    held: RwLock<Held>,
    /// One reader at a time checks and fills, so that a change is never half seen.
    refill: tokio::sync::Mutex<()>,
}

impl ReadCache {
    pub fn new(changes: Arc<Changes>) -> Self {
        ReadCache {
            changes,
            held: RwLock::new(Held {
                seq: -1,
                commits: u64::MAX,
                checked: Instant::now(),
                views: HashMap::new(),
                organizations: None,
            }),
            refill: tokio::sync::Mutex::new(()),
        }
    }

    /// What `pick` finds in the cache, when it may be trusted without a check.
    fn fresh<T>(&self, pick: impl FnOnce(&Held) -> Option<T>) -> Option<T> {
        let held = self.held.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let trusted = held.commits == self.changes.now() && held.checked.elapsed() < RECHECK;
        if trusted { pick(&held) } else { None }
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Held> {
        self.held.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Catalog {
    /// Dataset `name` as its public reads show it (`None` when there is no such dataset), from
    /// the read cache when nothing changed since it was read.
    pub async fn dataset_view(&self, name: &str) -> Result<Option<Arc<DatasetView>>> {
        self.cached(
            |held| held.views.get(name).cloned(),
            || async { Ok(self.read_view(name).await?.map(Arc::new)) },
            |held, view| {
                held.views.insert(name.to_owned(), view);
            },
        )
        .await
    }

    /// Every organization with when it was last written (RFC 3339), from the read cache when
    /// nothing changed since they were read.
    pub async fn organizations_view(&self) -> Result<Arc<Vec<(Organization, String)>>> {
        self.cached(
            |held| held.organizations.clone(),
            || async { Ok(Arc::new(self.organizations_with_times().await?)) },
            |held, all| held.organizations = Some(all),
        )
        .await
    }

    /// What `pick` finds in the cache when it may be trusted; otherwise, after checking the
    /// catalog for changes, what it finds then, or what `load` reads, kept by `keep`.
    async fn cached<T, F>(
        &self,
        pick: impl Fn(&Held) -> Option<T>,
        load: impl FnOnce() -> F,
        keep: impl FnOnce(&mut Held, T),
    ) -> Result<T>
    where
        T: Clone,
        F: std::future::Future<Output = Result<T>>,
    {
        if let Some(found) = self.cache.fresh(&pick) {
            return Ok(found);
        }
        let _one = self.cache.refill.lock().await;
        // Another reader may have checked and filled while this one waited.
        if let Some(found) = self.cache.fresh(&pick) {
            return Ok(found);
        }
        let seq = self.check_cache().await?;
        if let Some(found) = pick(&self.cache.write()) {
            return Ok(found);
        }
        let loaded = load().await?;
        let mut held = self.cache.write();
        // Read after `seq`: if anything changed meanwhile, the next check empties the cache.
        if held.seq == seq {
            keep(&mut held, loaded.clone());
        }
        Ok(loaded)
    }

    /// Asks the database whether the catalog changed, empties the cache if it did, and marks it
    /// checked; the change counter it is now good for. Called with the refill lock held.
    async fn check_cache(&self) -> Result<i64> {
        // Counted before the database is asked: a commit after this makes the next read check.
        let commits = self.cache.changes.now();
        let checked_at = Instant::now();
        let seq = self.change_seq().await?;
        let mut held = self.cache.write();
        if held.seq != seq || held.views.len() >= MAX_ENTRIES {
            held.views.clear();
            held.organizations = None;
            held.seq = seq;
        }
        held.commits = commits;
        held.checked = checked_at;
        Ok(seq)
    }

    /// The catalog's change counter (moved by every write to what [`DatasetView`] shows).
    pub async fn change_seq(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT seq FROM catalog_changes WHERE id = 1")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Dataset `name`'s view, read from the database.
    async fn read_view(&self, name: &str) -> Result<Option<DatasetView>> {
        let Some(entry) = self.dataset_entry(name).await? else {
            return Ok(None);
        };
        let times = sqlx::query("SELECT id, created_at, modified_at FROM datasets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        let standard_version = self.standard(&entry.metadata.standard).await.ok().map(|s| s.versi);
        Ok(Some(DatasetView {
            switches: self.switches(name).await?,
            releases: self.releases(name).await?,
            withdrawn: self.withdrawn_versions(name).await?,
            id: times.try_get::<Option<String>, _>("id")?.unwrap_or_default(),
            created_at: times.try_get::<Option<String>, _>("created_at")?.unwrap_or_default(),
            modified_at: times.try_get::<Option<String>, _>("modified_at")?.unwrap_or_default(),
            standard_version,
            entry,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{approved, catalog, clean_report, dataset, org, release, submission, walidata};

    async fn a_write_here_is_seen_by_the_next_read(url: &str) {
        let c = catalog(url).await;
        assert_eq!(c.dataset_view("kunjungan").await.unwrap(), None, "no such dataset yet");
        c.put_organization(&org(), "admin").await.unwrap();
        c.put_dataset(&dataset(), "admin").await.unwrap();
        let view = c
            .dataset_view("kunjungan")
            .await
            .unwrap()
            .expect("created, and seen at once");
        assert_eq!(view.entry.metadata, dataset());
        assert_eq!((view.releases.len(), view.entry.latest.as_ref()), (0, None));

        let id = approved(&c, &submission(), &clean_report()).await;
        c.commit_release(&release(id), &walidata()).await.unwrap();
        let view = c.dataset_view("kunjungan").await.unwrap().unwrap();
        assert_eq!(view.releases, [release(id)]);
        assert_eq!(view.entry.latest.as_ref().map(|l| l.version), Some(1));

        c.withdraw("kunjungan", 1, "salah hitung", &walidata()).await.unwrap();
        let view = c.dataset_view("kunjungan").await.unwrap().unwrap();
        assert_eq!(
            (view.withdrawn.as_slice(), view.entry.latest.as_ref()),
            (&[1][..], None)
        );

        c.set_auto_approve(
            "kunjungan",
            Some(satudata_core::StatusKerahasiaan::Terbuka),
            &walidata(),
        )
        .await
        .unwrap();
        let view = c.dataset_view("kunjungan").await.unwrap().unwrap();
        assert!(view.switches.auto_approve.is_some());
        assert_eq!(
            view.as_ref(),
            &c.read_view("kunjungan").await.unwrap().unwrap(),
            "as the database says"
        );

        assert_eq!(c.organizations_view().await.unwrap().len(), 1);
        let mut bappeda = org();
        bappeda.slug = "bappeda".into();
        c.put_organization(&bappeda, "admin").await.unwrap();
        let slugs: Vec<String> = c
            .organizations_view()
            .await
            .unwrap()
            .iter()
            .map(|(o, _)| o.slug.clone())
            .collect();
        assert_eq!(slugs, ["bappeda", "dinkes"], "a new PD is seen at once");
    }

    async fn a_write_by_another_process_is_seen_within_the_recheck(url: &str) {
        let here = catalog(url).await;
        let there = catalog(url).await;
        here.put_organization(&org(), "admin").await.unwrap();
        here.put_dataset(&dataset(), "admin").await.unwrap();
        let before = here.dataset_view("kunjungan").await.unwrap().unwrap();
        let mut changed = dataset();
        changed.rest.insert("title".into(), "Kunjungan puskesmas".into());
        there.put_dataset(&changed, "admin").await.unwrap();
        // Within the recheck time the cache may still answer as before; after it, never.
        tokio::time::sleep(RECHECK + Duration::from_millis(50)).await;
        let after = here.dataset_view("kunjungan").await.unwrap().unwrap();
        assert_ne!(after, before);
        assert_eq!(after.entry.metadata.title(), "Kunjungan puskesmas");
    }

    async fn every_write_to_what_a_view_shows_moves_the_counter(url: &str) {
        let c = catalog(url).await;
        let last = std::cell::Cell::new(c.change_seq().await.unwrap());
        let moved = |seq: i64, what: &str| {
            assert!(seq > last.get(), "{what} moved the counter ({} -> {seq})", last.get());
            last.set(seq);
        };
        c.put_organization(&org(), "admin").await.unwrap();
        moved(c.change_seq().await.unwrap(), "an organization");
        c.put_dataset(&dataset(), "admin").await.unwrap();
        moved(c.change_seq().await.unwrap(), "a dataset");
        let id = approved(&c, &submission(), &clean_report()).await;
        let unmoved = c.change_seq().await.unwrap();
        assert_eq!(unmoved, last.get(), "a submission's life is not what a view shows");
        c.commit_release(&release(id), &walidata()).await.unwrap();
        moved(c.change_seq().await.unwrap(), "a release");
        c.withdraw("kunjungan", 1, "salah", &walidata()).await.unwrap();
        moved(c.change_seq().await.unwrap(), "a withdrawal");
        c.set_auto_approve(
            "kunjungan",
            Some(satudata_core::StatusKerahasiaan::Terbuka),
            &walidata(),
        )
        .await
        .unwrap();
        moved(c.change_seq().await.unwrap(), "a switch");
    }

    satudata_testkit::on_both!(
        a_write_here_is_seen_by_the_next_read,
        a_write_by_another_process_is_seen_within_the_recheck,
        every_write_to_what_a_view_shows_moves_the_counter,
    );
}
