//! Paged, filtered reads for the API: datasets with their latest release, organizations, one
//! release, and the readiness probe.
//!
//! Every query here is written to run unchanged on SQLite and PostgreSQL (`$1` placeholders,
//! `sqlx::query` and `Row::get` only, no JSON functions), and pages in the database: a page of
//! 1,000 datasets is one query for the rows and one for the total. Who may see what is decided by
//! `satudata_core::access`; the caller turns its answer into a [`Visibility`], which the queries
//! apply as a `WHERE` clause so that totals and pages count only what the caller may see.

use satudata_core::Organization;
use sqlx::Row;

use crate::{Catalog, ReleaseRecord, Result};

/// Which datasets a caller may see, in the terms the listing query can apply.
#[derive(Debug, Clone, Copy)]
pub struct Visibility<'a> {
    /// Every dataset, drafts included (verifiers, admins).
    pub everything: bool,
    /// An organization whose datasets are all visible, drafts included (the caller's own PD).
    pub organization: Option<&'a str>,
    /// The statuses kerahasiaan (`terbuka`, ...) of other PDs' datasets the caller may read,
    /// among those with a published release.
    pub statuses: &'a [&'a str],
}

/// Filters of a dataset listing; `None` filters nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct DatasetFilter<'a> {
    /// Only datasets of this organization (slug).
    pub organization: Option<&'a str>,
    /// Only datasets whose latest release has this status kerahasiaan (drafts match none).
    pub status_kerahasiaan: Option<&'a str>,
    /// Only datasets whose name or title contains this text (ASCII case ignored).
    pub q: Option<&'a str>,
}

/// The newest release of a dataset, as a listing shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestRelease {
    /// Release number.
    pub version: u32,
    /// Its status kerahasiaan.
    pub status_kerahasiaan: String,
    /// Data rows.
    pub rows: u64,
    /// When it was published (RFC 3339).
    pub created_at: String,
}

/// A dataset as listed: its metadata and its latest release, if it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetEntry {
    /// Dataset name.
    pub name: String,
    /// Owning organization's slug.
    pub organization: String,
    /// The metadata document.
    pub metadata: satudata_core::DatasetMetadata,
    /// Its latest release; `None` for a draft.
    pub latest: Option<LatestRelease>,
}

/// One page of a listing and the number of items on every page.
#[derive(Debug, Clone)]
pub struct Listing<T> {
    /// The items of the page.
    pub items: Vec<T>,
    /// How many items match, over all pages.
    pub total: u64,
}

/// A `WHERE` clause and its text arguments, numbered `$1`, `$2`, ... as they are added.
#[derive(Default)]
pub(crate) struct Clause {
    pub(crate) conditions: Vec<String>,
    pub(crate) args: Vec<String>,
}

impl Clause {
    /// Adds an argument and gives its placeholder.
    pub(crate) fn arg(&mut self, value: &str) -> String {
        self.args.push(value.to_owned());
        format!("${}", self.args.len())
    }

    pub(crate) fn sql(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.conditions.join(" AND "))
        }
    }

    /// The next free placeholder number.
    pub(crate) fn next(&self) -> usize {
        self.args.len() + 1
    }
}

/// `text` as a `LIKE` pattern matching it anywhere, with `\` escaping `%`, `_` and `\`.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_ascii_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A dataset and its latest release: the newest one not withdrawn (a withdrawn release is not
/// served, so a dataset whose releases are all withdrawn lists as a draft).
pub(crate) const DATASET_FROM: &str = "FROM datasets d LEFT JOIN releases r ON r.dataset = d.name \
     AND r.version = (SELECT MAX(m.version) FROM releases m WHERE m.dataset = d.name \
     AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.dataset = m.dataset AND w.version = m.version))";

pub(crate) const DATASET_COLUMNS: &str = "d.name AS name, d.organization AS organization, d.doc AS doc, \
     r.version AS version, r.status_kerahasiaan AS status_kerahasiaan, r.rows AS rows, r.created_at AS created_at";

const RELEASE_COLUMNS: &str =
    "dataset, version, submission_id, path, manifest_sha256, content_digest, status_kerahasiaan, rows, created_at";

fn dataset_clause(visibility: &Visibility<'_>, filter: &DatasetFilter<'_>) -> Clause {
    let mut clause = Clause::default();
    visibility_conditions(visibility, &mut clause);
    filter_conditions(filter, &mut clause);
    clause
}

/// Adds to `clause` the condition that keeps what `visibility` lets the caller see.
pub(crate) fn visibility_conditions(visibility: &Visibility<'_>, clause: &mut Clause) {
    if !visibility.everything {
        let mut seen = Vec::new();
        if !visibility.statuses.is_empty() {
            let list: Vec<String> = visibility.statuses.iter().map(|s| clause.arg(s)).collect();
            seen.push(format!(
                "(r.version IS NOT NULL AND r.status_kerahasiaan IN ({}))",
                list.join(", ")
            ));
        }
        if let Some(org) = visibility.organization {
            seen.push(format!("d.organization = {}", clause.arg(org)));
        }
        if seen.is_empty() {
            seen.push("1 = 0".into());
        }
        clause.conditions.push(format!("({})", seen.join(" OR ")));
    }
}

/// Adds to `clause` the conditions of a listing's `filter`.
fn filter_conditions(filter: &DatasetFilter<'_>, clause: &mut Clause) {
    if let Some(org) = filter.organization {
        let p = clause.arg(org);
        clause.conditions.push(format!("d.organization = {p}"));
    }
    if let Some(status) = filter.status_kerahasiaan {
        let p = clause.arg(status);
        clause.conditions.push(format!("r.status_kerahasiaan = {p}"));
    }
    if let Some(q) = filter.q {
        // A superset in SQL (the name, or anywhere in the metadata's text); the title itself is
        // checked on the rows, since JSON functions differ between the two databases.
        let p = clause.arg(&contains_pattern(q));
        clause.conditions.push(format!(
            "(lower(d.name) LIKE {p} ESCAPE '\\' OR lower(d.doc) LIKE {p} ESCAPE '\\')"
        ));
    }
}

// The row readers are macros, not functions, so that they name no database type: the same code
// reads a `SqliteRow`, a `PgRow` or an `AnyRow`.

/// Binds every argument of a [`Clause`] to a query, in order.
macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for a in $args {
            query = query.bind(a.as_str());
        }
        query
    }};
}

/// Reads a [`DatasetEntry`] from a row of the dataset listing query.
macro_rules! dataset_entry {
    ($row:expr) => {{
        let row = $row;
        let name: String = row.get("name");
        let doc: String = row.get("doc");
        let version: Option<i64> = row.get("version");
        let latest = match version {
            Some(version) => Some(LatestRelease {
                version: u32::try_from(version).unwrap_or(u32::MAX),
                status_kerahasiaan: row.get("status_kerahasiaan"),
                rows: u64::try_from(row.get::<i64, _>("rows")).unwrap_or(0),
                created_at: row.get("created_at"),
            }),
            None => None,
        };
        crate::parse_doc::<satudata_core::DatasetMetadata>("dataset", name.clone(), &doc).map(|metadata| DatasetEntry {
            name,
            organization: row.get("organization"),
            metadata,
            latest,
        })
    }};
}

/// Reads a [`DatasetEntry`] from a row holding [`DATASET_COLUMNS`].
pub(crate) fn entry_from_row(row: &sqlx::any::AnyRow) -> Result<DatasetEntry> {
    dataset_entry!(row)
}

/// Reads a [`ReleaseRecord`] from a row holding [`RELEASE_COLUMNS`].
macro_rules! release_record {
    ($row:expr) => {{
        let r = $row;
        ReleaseRecord {
            dataset: r.get("dataset"),
            version: u32::try_from(r.get::<i64, _>("version")).unwrap_or(u32::MAX),
            submission_id: r.get("submission_id"),
            path: r.get("path"),
            manifest_sha256: r.get("manifest_sha256"),
            content_digest: r.get("content_digest"),
            status_kerahasiaan: r.get("status_kerahasiaan"),
            rows: u64::try_from(r.get::<i64, _>("rows")).unwrap_or(0),
            created_at: r.get("created_at"),
        }
    }};
}

/// Whether a dataset's name or title contains `q` (lowercase), reading only the title of its
/// metadata document (the page's rows are parsed whole afterwards).
fn title_or_name_contains(name: &str, doc: &str, q: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Title {
        title: Option<String>,
    }
    let title = serde_json::from_str::<Title>(doc).ok().and_then(|t| t.title);
    name.to_ascii_lowercase().contains(q) || title.is_some_and(|t| t.to_ascii_lowercase().contains(q))
}

/// A `COUNT(*)` as a count.
pub(crate) fn count(total: i64) -> u64 {
    u64::try_from(total).unwrap_or(0)
}

pub(crate) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Catalog {
    /// One page of the datasets `visibility` lets the caller see, by name, with their latest
    /// release.
    pub async fn list_datasets(
        &self,
        visibility: &Visibility<'_>,
        filter: &DatasetFilter<'_>,
        limit: u64,
        offset: u64,
    ) -> Result<Listing<DatasetEntry>> {
        let clause = dataset_clause(visibility, filter);
        let select = format!(
            "SELECT {DATASET_COLUMNS} {DATASET_FROM}{} ORDER BY d.name",
            clause.sql()
        );
        if let Some(q) = filter.q {
            // The SQL match is a superset: settle it on the rows, then page.
            let rows = bind_all!(sqlx::query(&select), &clause.args)
                .fetch_all(&self.pool)
                .await?;
            let q = q.to_ascii_lowercase();
            let matching: Vec<_> = rows
                .iter()
                .filter(|row| {
                    let name: String = row.get("name");
                    let doc: String = row.get("doc");
                    title_or_name_contains(&name, &doc, &q)
                })
                .collect();
            let total = matching.len() as u64;
            let start = usize::try_from(offset).unwrap_or(usize::MAX).min(matching.len());
            let end = start
                .saturating_add(usize::try_from(limit).unwrap_or(usize::MAX))
                .min(matching.len());
            let items = matching[start..end]
                .iter()
                .map(|row| dataset_entry!(row))
                .collect::<Result<Vec<_>>>()?;
            return Ok(Listing { items, total });
        }
        let n = clause.next();
        let paged = format!("{select} LIMIT ${n} OFFSET ${}", n + 1);
        let rows = bind_all!(sqlx::query(&paged), &clause.args)
            .bind(to_i64(limit))
            .bind(to_i64(offset))
            .fetch_all(&self.pool)
            .await?;
        let items = rows.iter().map(|row| dataset_entry!(row)).collect::<Result<Vec<_>>>()?;
        let counting = format!("SELECT COUNT(*) AS n {DATASET_FROM}{}", clause.sql());
        let total: i64 = bind_all!(sqlx::query(&counting), &clause.args)
            .fetch_one(&self.pool)
            .await?
            .get("n");
        Ok(Listing {
            items,
            total: count(total),
        })
    }

    /// One dataset with its latest release, if it exists (visibility is the caller's to decide).
    pub async fn dataset_entry(&self, name: &str) -> Result<Option<DatasetEntry>> {
        let select = format!("SELECT {DATASET_COLUMNS} {DATASET_FROM} WHERE d.name = $1");
        let row = sqlx::query(&select).bind(name).fetch_optional(&self.pool).await?;
        row.as_ref().map(|row| dataset_entry!(row)).transpose()
    }

    /// One page of the organizations, by slug.
    pub async fn list_organizations(&self, limit: u64, offset: u64) -> Result<Listing<Organization>> {
        self.list_docs(crate::DocKind::Organization, limit, offset).await
    }

    /// Release `version` of `dataset`, if it exists.
    pub async fn release(&self, dataset: &str, version: u32) -> Result<Option<ReleaseRecord>> {
        let select = format!("SELECT {RELEASE_COLUMNS} FROM releases WHERE dataset = $1 AND version = $2");
        let row = sqlx::query(&select)
            .bind(dataset)
            .bind(i64::from(version))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(|row| release_record!(row)))
    }

    /// Asks the database a trivial query: whether the catalog answers (for readiness probes).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NewSubmission;
    use satudata_core::DatasetMetadata;

    fn org(slug: &str) -> Organization {
        Organization {
            slug: slug.into(),
            nama: format!("Dinas {slug}"),
            singkatan: slug.into(),
            kode_wilayah: "61.71".into(),
            email: String::new(),
        }
    }

    /// Three PDs' datasets: dinkes publishes one open and one secret release and keeps a draft.
    async fn catalog(dir: &tempfile::TempDir) -> Catalog {
        let c = Catalog::open_sqlite(&dir.path().join("katalog.db")).await.unwrap();
        for slug in ["dinkes", "disdik", "bappeda"] {
            c.put_organization(&org(slug), "admin").await.unwrap();
        }
        let datasets = [
            ("imunisasi", "dinkes", "Cakupan Imunisasi 100%", Some("terbuka")),
            ("pasien", "dinkes", "Pasien Rawat Inap", Some("rahasia")),
            ("draf", "dinkes", "Draf Puskesmas", None),
            ("sekolah", "disdik", "Jumlah Sekolah", Some("terbatas")),
        ];
        for (name, organization, title, status) in datasets {
            let doc = serde_json::json!({"name": name, "organization": organization, "standard": "s", "title": title});
            let metadata = DatasetMetadata::from_json(doc.to_string().as_bytes()).unwrap();
            c.put_dataset(&metadata, "admin").await.unwrap();
            let Some(status) = status else { continue };
            for version in 1..=2 {
                let submission = NewSubmission {
                    dataset: name,
                    period: "2024",
                    source_name: "a.csv",
                    source_sha256: "00",
                    source_path: "x",
                    source_size: 1,
                    duplicate_of: None,
                    actor: &crate::tests::produsen(),
                };
                let report = satudata_core::ReportBuilder::new(1).finish(1);
                let id = crate::tests::approved(&c, &submission, &report).await;
                let release = ReleaseRecord {
                    dataset: name.into(),
                    version,
                    submission_id: id,
                    path: format!("datasets/{organization}/{name}/v{version}"),
                    manifest_sha256: "ab".into(),
                    content_digest: format!("cd{version}"),
                    status_kerahasiaan: status.into(),
                    rows: u64::from(version) * 10,
                    created_at: crate::now(),
                };
                c.commit_release(&release, &crate::tests::walidata()).await.unwrap();
            }
        }
        c
    }

    fn names(listing: &Listing<DatasetEntry>) -> Vec<&str> {
        listing.items.iter().map(|e| e.name.as_str()).collect()
    }

    const PUBLIC: Visibility<'static> = Visibility {
        everything: false,
        organization: None,
        statuses: &["terbuka"],
    };

    #[tokio::test]
    async fn each_caller_sees_its_share_and_totals_count_only_that() {
        let dir = tempfile::tempdir().unwrap();
        let c = catalog(&dir).await;
        let all = DatasetFilter::default();
        let public = c.list_datasets(&PUBLIC, &all, 50, 0).await.unwrap();
        assert_eq!(names(&public), ["imunisasi"]);
        assert_eq!(public.total, 1);
        assert_eq!(
            public.items[0].latest.as_ref().map(|l| (l.version, l.rows)),
            Some((2, 20))
        );
        let signed_in = Visibility {
            everything: false,
            organization: Some("disdik"),
            statuses: &["terbuka", "terbatas"],
        };
        let listing = c.list_datasets(&signed_in, &all, 50, 0).await.unwrap();
        assert_eq!(names(&listing), ["imunisasi", "sekolah"]);
        let own = Visibility {
            everything: false,
            organization: Some("dinkes"),
            statuses: &["terbuka", "terbatas"],
        };
        let listing = c.list_datasets(&own, &all, 50, 0).await.unwrap();
        assert_eq!(names(&listing), ["draf", "imunisasi", "pasien", "sekolah"]);
        assert!(listing.items[0].latest.is_none());
        let nobody = Visibility {
            everything: false,
            organization: None,
            statuses: &[],
        };
        assert_eq!(c.list_datasets(&nobody, &all, 50, 0).await.unwrap().total, 0);
    }

    #[tokio::test]
    async fn filters_and_pages_apply_in_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let c = catalog(&dir).await;
        let every = Visibility {
            everything: true,
            organization: None,
            statuses: &[],
        };
        let page = c.list_datasets(&every, &DatasetFilter::default(), 2, 1).await.unwrap();
        assert_eq!((names(&page), page.total), (vec!["imunisasi", "pasien"], 4));
        let beyond = c.list_datasets(&every, &DatasetFilter::default(), 2, 10).await.unwrap();
        assert_eq!((beyond.items.len(), beyond.total), (0, 4));
        let dinkes = DatasetFilter {
            organization: Some("dinkes"),
            ..DatasetFilter::default()
        };
        assert_eq!(c.list_datasets(&every, &dinkes, 50, 0).await.unwrap().total, 3);
        let secret = DatasetFilter {
            status_kerahasiaan: Some("rahasia"),
            ..DatasetFilter::default()
        };
        assert_eq!(
            names(&c.list_datasets(&every, &secret, 50, 0).await.unwrap()),
            ["pasien"]
        );
        // The title, case ignored; the metadata's other fields do not match.
        let q = |q| DatasetFilter {
            q: Some(q),
            ..DatasetFilter::default()
        };
        assert_eq!(
            names(&c.list_datasets(&every, &q("RAWAT"), 50, 0).await.unwrap()),
            ["pasien"]
        );
        assert_eq!(c.list_datasets(&every, &q("dinkes"), 50, 0).await.unwrap().total, 0);
        // `%` and `_` are text, not wildcards.
        assert_eq!(
            names(&c.list_datasets(&every, &q("100%"), 50, 0).await.unwrap()),
            ["imunisasi"]
        );
        assert_eq!(c.list_datasets(&every, &q("_"), 50, 0).await.unwrap().total, 0);
        let paged = c.list_datasets(&every, &q("a"), 1, 1).await.unwrap();
        assert_eq!((names(&paged), paged.total), (vec!["imunisasi"], 4));
        assert_eq!(c.list_datasets(&PUBLIC, &q("pasien"), 50, 0).await.unwrap().total, 0);
    }

    #[tokio::test]
    async fn organizations_page_and_single_reads_find_or_miss() {
        let dir = tempfile::tempdir().unwrap();
        let c = catalog(&dir).await;
        assert_eq!(c.release("imunisasi", 1).await.unwrap().map(|r| r.rows), Some(10));
        assert_eq!(c.release("imunisasi", 9).await.unwrap(), None);
        let orgs = c.list_organizations(2, 1).await.unwrap();
        let slugs: Vec<&str> = orgs.items.iter().map(|o| o.slug.as_str()).collect();
        assert_eq!((slugs, orgs.total), (vec!["dinkes", "disdik"], 3));
        assert!(c.dataset_entry("draf").await.unwrap().unwrap().latest.is_none());
        assert!(c.dataset_entry("tidak-ada").await.unwrap().is_none());
        c.ping().await.unwrap();
    }
}
