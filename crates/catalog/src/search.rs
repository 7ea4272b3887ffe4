//! The dataset search index: words and facets, kept in the same transactions as what they come
//! from, and searched the same way on both databases.
//!
//! A dataset's words are analysed in Rust by `satudata-search` (case and accents folded,
//! Indonesian stemming, stopwords dropped) and stored as plain space-separated terms:
//! - `title`: the title and the name;
//! - `body`: the description, tags, topic, maintainer, and the standard's columns (name,
//!   aliases, konsep, definisi, satuan).
//!
//! SQLite indexes them with FTS5 (`unicode61`), PostgreSQL as a weighted `tsvector` of the
//! `simple` configuration: since the terms are already normalised words of letters and digits,
//! both split them the same way and match the same datasets for the same query; only the
//! scores differ in scale (bm25 against `ts_rank`), and both rank a title match above a body
//! match. A query reaches them as a [`TextMatch`], rendered for each from one analysed query.
//!
//! Facets are rows `(dataset, facet, value)`: [`FACETS`] names them. A search is one query for
//! the page, one for the total and one for all the facets asked for; filters are a small
//! boolean tree ([`Filter`]) over facets, names, ids and the change time.
//!
//! The index is written by [`reindex`] inside every write that changes what it holds (a
//! dataset's metadata, a release, a withdrawal, a standard), and rebuilt whole when the catalog
//! opens on an index of another analyser version (`satudata_search::VERSION`) or index format.

use std::collections::BTreeMap;

use satudata_core::{DataStandard, DatasetMetadata};
use sqlx::Row;

use crate::listing::{Clause, DATASET_COLUMNS, DATASET_FROM, DatasetEntry, Visibility, count, to_i64};
use crate::{Backend, Catalog, Result, Tx};

/// The facets a dataset is indexed under, by CKAN's names where CKAN has one.
pub const FACETS: [&str; 9] = [
    "organization",
    "groups",
    "tags",
    "res_format",
    "license_id",
    "frequency",
    "presentation_level",
    "tahun",
    "status_kerahasiaan",
];

/// The version of what this module indexes (facets, fields): with the analyser's version, the
/// catalog rebuilds the index when either changes.
const INDEX_FORMAT: u32 = 1;

/// At most this many years of a temporal coverage are indexed as `tahun` facets.
const MAX_YEARS: i32 = 300;

/// A text query, rendered for each database from one analysed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextMatch {
    /// For SQLite's FTS5 `MATCH`.
    pub fts5: String,
    /// For PostgreSQL's `to_tsquery('simple', ...)`.
    pub tsquery: String,
}

/// Which datasets a search keeps, beyond what the caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// Indexed under `facet` with `value`.
    Facet {
        /// One of [`FACETS`].
        facet: String,
        /// The value, as indexed.
        value: String,
    },
    /// The dataset called this.
    Name(String),
    /// The dataset whose stable id is this.
    Id(String),
    /// Changed at or after `from` and at or before `until` (RFC 3339 UTC, as the catalog
    /// writes times); either end may be open.
    Modified {
        /// The earliest change time kept.
        from: Option<String>,
        /// The latest change time kept.
        until: Option<String>,
    },
    /// Created within these times, as [`Filter::Modified`].
    Created {
        /// The earliest creation time kept.
        from: Option<String>,
        /// The latest creation time kept.
        until: Option<String>,
    },
    /// Every dataset.
    Everything,
    /// Datasets with a release served (one not withdrawn).
    Published,
    /// Not the inner filter.
    Not(Box<Filter>),
    /// Every inner filter.
    All(Vec<Filter>),
    /// Any inner filter.
    Any(Vec<Filter>),
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchSort {
    /// Best match first, then the most recently changed (the order without a query).
    #[default]
    Relevance,
    /// The most recently changed first.
    Modified,
    /// The most recently created first.
    Created,
    /// By name.
    Name,
    /// By title (case folded), then name.
    Title,
    /// By stable id (harvesters page this way).
    Id,
    /// The most downloaded first.
    Downloads,
}

/// A search of the datasets.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// The words to match; `None` matches every dataset.
    pub text: Option<TextMatch>,
    /// What else a hit must satisfy.
    pub filter: Option<Filter>,
    /// The order.
    pub sort: SearchSort,
    /// At most this many hits.
    pub limit: u64,
    /// After skipping this many.
    pub offset: u64,
    /// The facets to count over every hit (of [`FACETS`]).
    pub facets: Vec<String>,
    /// At most this many values per facet, the most frequent first.
    pub facet_limit: u64,
    /// Only values with at least this many hits.
    pub facet_mincount: u64,
}

/// One dataset found.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The dataset as listed.
    pub entry: DatasetEntry,
    /// Its stable id (a UUID).
    pub id: String,
    /// When it was registered (RFC 3339).
    pub created_at: String,
    /// When it, or what it shows, last changed (RFC 3339).
    pub modified_at: String,
    /// How well it matched (higher is better; 0 without a query).
    pub score: f64,
    /// Its downloads, over every release and file.
    pub downloads: u64,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchHits {
    /// How many datasets match, over every page.
    pub total: u64,
    /// The page.
    pub items: Vec<SearchHit>,
    /// Per facet asked for: values and their counts, the most frequent first.
    pub facets: BTreeMap<String, Vec<(String, u64)>>,
}

/// What a dataset is indexed as.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Indexed {
    pub title: String,
    pub body: String,
    pub facets: Vec<(&'static str, String)>,
}

/// The latest served release's part in the index: its status and the years it covers.
pub(crate) struct Served {
    pub status_kerahasiaan: String,
    pub years: Vec<i32>,
}

/// Space-separated analysed terms of `texts`.
fn terms<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let parts: Vec<String> = texts
        .into_iter()
        .map(satudata_search::index_terms)
        .filter(|t| !t.is_empty())
        .collect();
    parts.join(" ")
}

/// The years `YYYY…` texts `start` to `end` span (at most [`MAX_YEARS`]).
fn years_between(start: Option<&str>, end: Option<&str>) -> Vec<i32> {
    let year = |t: Option<&str>| t.and_then(|t| t.get(..4)).and_then(|y| y.parse::<i32>().ok());
    match (year(start), year(end)) {
        (Some(a), Some(b)) if a <= b && b - a < MAX_YEARS => (a..=b).collect(),
        (Some(a), _) => vec![a],
        (None, Some(b)) => vec![b],
        (None, None) => Vec::new(),
    }
}

/// The topic as a group name: lower case, words joined by `-`.
pub fn group_name(topic: &str) -> String {
    topic
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// What `metadata` (following `standard`, with `served` its latest served release) is indexed as.
pub(crate) fn indexed(metadata: &DatasetMetadata, standard: Option<&DataStandard>, served: Option<&Served>) -> Indexed {
    let text = |k: &str| metadata.text(k).unwrap_or_default();
    let tags: Vec<&str> = metadata
        .rest
        .get("tags")
        .and_then(|t| t.as_array())
        .map(|a| a.iter().filter_map(|t| t.as_str()).collect())
        .unwrap_or_default();
    let mut body: Vec<&str> = vec![text("description"), text("topic"), text("maintainer")];
    body.extend(tags.iter().copied());
    if let Some(standard) = standard {
        body.push(&standard.nama);
        for c in &standard.kolom {
            body.extend([
                c.nama.as_str(),
                c.konsep.as_str(),
                c.definisi.as_str(),
                c.satuan.as_str(),
            ]);
            body.extend(c.alias.iter().map(String::as_str));
        }
    }
    let mut facets: Vec<(&'static str, String)> = vec![("organization", metadata.organization.clone())];
    let mut single = |facet: &'static str, value: &str| {
        if !value.is_empty() {
            facets.push((facet, value.to_owned()));
        }
    };
    single("groups", &group_name(text("topic")));
    single("license_id", text("license"));
    single("frequency", text("frequency"));
    single("presentation_level", text("presentation_level"));
    let coverage = metadata.rest.get("temporal_coverage");
    let bound = |k: &str| coverage.and_then(|c| c.get(k)).and_then(|v| v.as_str());
    let mut years = years_between(bound("start"), bound("end"));
    match served {
        Some(served) => {
            single("status_kerahasiaan", &served.status_kerahasiaan);
            years.extend(&served.years);
            for (_, format, _) in crate::resources::FILES {
                facets.push(("res_format", format.to_owned()));
            }
        }
        None => single("status_kerahasiaan", metadata.status_kerahasiaan().as_str()),
    }
    for tag in &tags {
        facets.push(("tags", (*tag).to_owned()));
    }
    years.sort_unstable();
    years.dedup();
    facets.extend(years.into_iter().map(|y| ("tahun", y.to_string())));
    facets.sort();
    facets.dedup();
    Indexed {
        title: terms([metadata.title(), metadata.name.as_str()]),
        body: terms(body),
        facets,
    }
}

/// Reads dataset `name` and what its index shows within `tx`, and writes its index rows anew;
/// with `touch`, its change time is now (a change a harvester must see).
pub(crate) async fn reindex(tx: &mut Tx, name: &str, touch: bool) -> Result<()> {
    let Some(doc): Option<String> = sqlx::query_scalar("SELECT doc FROM datasets WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut **tx)
        .await?
    else {
        return Ok(());
    };
    let metadata = crate::parse_doc::<DatasetMetadata>("dataset", name.to_owned(), &doc)?;
    let standard: Option<String> = sqlx::query_scalar("SELECT doc FROM standards WHERE id = $1")
        .bind(&metadata.standard)
        .fetch_optional(&mut **tx)
        .await?;
    let standard = standard.and_then(|doc| serde_json::from_str::<DataStandard>(&doc).ok());
    let served = served(tx, name).await?;
    let index = indexed(&metadata, standard.as_ref(), served.as_ref());
    write_index(tx, name, &index).await?;
    let title_key = metadata.title().to_lowercase();
    if touch {
        sqlx::query("UPDATE datasets SET modified_at = $1, title_key = $2 WHERE name = $3")
            .bind(crate::now())
            .bind(&title_key)
            .bind(name)
            .execute(&mut **tx)
            .await?;
    } else {
        sqlx::query("UPDATE datasets SET title_key = $1 WHERE name = $2")
            .bind(&title_key)
            .bind(name)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The latest release of `name` not withdrawn, and the years of the periods its series holds.
async fn served(tx: &mut Tx, name: &str) -> Result<Option<Served>> {
    let latest = sqlx::query(
        "SELECT r.status_kerahasiaan AS status FROM releases r WHERE r.dataset = $1 \
         AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.dataset = r.dataset AND w.version = r.version) \
         ORDER BY r.version DESC LIMIT 1",
    )
    .bind(name)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(latest) = latest else {
        return Ok(None);
    };
    let periods: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT s.period FROM releases r JOIN submissions s ON s.id = r.submission_id \
         WHERE r.dataset = $1 AND NOT EXISTS \
         (SELECT 1 FROM withdrawals w WHERE w.dataset = r.dataset AND w.version = r.version)",
    )
    .bind(name)
    .fetch_all(&mut **tx)
    .await?;
    let years = periods
        .iter()
        .filter_map(|p| p.get(..4).and_then(|y| y.parse().ok()))
        .collect();
    Ok(Some(Served {
        status_kerahasiaan: latest.get("status"),
        years,
    }))
}

/// Replaces dataset `name`'s rows in the text index and the facets.
async fn write_index(tx: &mut Tx, name: &str, index: &Indexed) -> Result<()> {
    sqlx::query("DELETE FROM dataset_text WHERE name = $1")
        .bind(name)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO dataset_text (name, title, body) VALUES ($1, $2, $3)")
        .bind(name)
        .bind(&index.title)
        .bind(&index.body)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM dataset_facets WHERE dataset = $1")
        .bind(name)
        .execute(&mut **tx)
        .await?;
    for (facet, value) in &index.facets {
        sqlx::query("INSERT INTO dataset_facets (dataset, facet, value) VALUES ($1, $2, $3)")
            .bind(name)
            .bind(*facet)
            .bind(value)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl Filter {
    /// The filter as a condition on `d` (the datasets), its arguments added to `clause`.
    fn sql(&self, clause: &mut Clause) -> String {
        match self {
            Filter::Facet { facet, value } => {
                let f = clause.arg(facet);
                let v = clause.arg(value);
                format!(
                    "EXISTS (SELECT 1 FROM dataset_facets f WHERE f.dataset = d.name AND f.facet = {f} AND f.value = {v})"
                )
            }
            Filter::Name(name) => format!("d.name = {}", clause.arg(name)),
            Filter::Id(id) => format!("d.id = {}", clause.arg(id)),
            Filter::Modified { from, until } => range("d.modified_at", from, until, clause),
            Filter::Created { from, until } => range("d.created_at", from, until, clause),
            Filter::Everything => "1 = 1".into(),
            Filter::Published => "r.version IS NOT NULL".into(),
            Filter::Not(inner) => format!("NOT ({})", inner.sql(clause)),
            Filter::All(all) if all.is_empty() => "1 = 1".into(),
            Filter::Any(any) if any.is_empty() => "1 = 0".into(),
            Filter::All(all) => join(all, " AND ", clause),
            Filter::Any(any) => join(any, " OR ", clause),
        }
    }
}

fn join(filters: &[Filter], with: &str, clause: &mut Clause) -> String {
    let parts: Vec<String> = filters.iter().map(|f| format!("({})", f.sql(clause))).collect();
    parts.join(with)
}

fn range(column: &str, from: &Option<String>, until: &Option<String>, clause: &mut Clause) -> String {
    let mut parts = Vec::new();
    if let Some(from) = from {
        parts.push(format!("{column} >= {}", clause.arg(from)));
    }
    if let Some(until) = until {
        parts.push(format!("{column} <= {}", clause.arg(until)));
    }
    if parts.is_empty() {
        "1 = 1".into()
    } else {
        parts.join(" AND ")
    }
}

impl SearchSort {
    fn sql(self) -> &'static str {
        match self {
            SearchSort::Relevance => "h.score DESC, d.modified_at DESC, d.name",
            SearchSort::Modified => "d.modified_at DESC, d.name",
            SearchSort::Created => "d.created_at DESC, d.name",
            SearchSort::Name => "d.name",
            SearchSort::Title => "d.title_key, d.name",
            SearchSort::Id => "d.id",
            SearchSort::Downloads => "downloads DESC, d.name",
        }
    }
}

impl Catalog {
    /// The datasets `visibility` lets the caller see that `query` finds: a page, the total, and
    /// the facets asked for.
    pub async fn search_datasets(&self, visibility: &Visibility<'_>, query: &SearchQuery) -> Result<SearchHits> {
        let mut clause = Clause::default();
        let hits = match (&query.text, self.backend) {
            (None, _) => "SELECT name, CAST(0 AS DOUBLE PRECISION) AS score FROM datasets".to_owned(),
            (Some(text), Backend::Sqlite) => format!(
                "SELECT name, CAST(-bm25(dataset_text, 0.0, 4.0, 1.0) AS DOUBLE PRECISION) AS score \
                 FROM dataset_text WHERE dataset_text MATCH {}",
                clause.arg(&text.fts5)
            ),
            (Some(text), Backend::Postgres) => {
                let q = clause.arg(&text.tsquery);
                format!(
                    "SELECT name, CAST(ts_rank(terms, to_tsquery('simple', {q})) AS DOUBLE PRECISION) AS score \
                     FROM dataset_text WHERE terms @@ to_tsquery('simple', {q})"
                )
            }
        };
        crate::listing::visibility_conditions(visibility, &mut clause);
        if let Some(filter) = &query.filter {
            let condition = filter.sql(&mut clause);
            clause.conditions.push(format!("({condition})"));
        }
        let from = format!(
            "WITH h AS ({hits}) SELECT {{}} {DATASET_FROM} JOIN h ON h.name = d.name{}",
            clause.sql()
        );
        let columns = format!(
            "{DATASET_COLUMNS}, d.id AS id, d.created_at AS d_created_at, d.modified_at AS d_modified_at, \
             h.score AS score, (SELECT CAST(COALESCE(SUM(dl.count), 0) AS BIGINT) FROM downloads dl \
             WHERE dl.dataset = d.name) AS downloads"
        );
        let n = clause.next();
        let page = format!(
            "{} ORDER BY {} LIMIT ${n} OFFSET ${}",
            from.replacen("{}", &columns, 1),
            query.sort.sql(),
            n + 1
        );
        let rows = bind_args(sqlx::query(&page), &clause.args)
            .bind(to_i64(query.limit))
            .bind(to_i64(query.offset))
            .fetch_all(&self.pool)
            .await?;
        let items = rows.iter().map(search_hit).collect::<Result<Vec<_>>>()?;
        let counting = from.replacen("{}", "COUNT(*) AS n", 1);
        let total: i64 = bind_args(sqlx::query(&counting), &clause.args)
            .fetch_one(&self.pool)
            .await?
            .get("n");
        let facets = self.facet_counts(&from, &clause, query).await?;
        Ok(SearchHits {
            total: count(total),
            items,
            facets,
        })
    }

    /// The counts of `query.facets` over every dataset the search `from` finds.
    async fn facet_counts(
        &self,
        from: &str,
        clause: &Clause,
        query: &SearchQuery,
    ) -> Result<BTreeMap<String, Vec<(String, u64)>>> {
        let mut out: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
        let asked: Vec<&String> = query.facets.iter().filter(|f| FACETS.contains(&f.as_str())).collect();
        for facet in &query.facets {
            out.entry(facet.clone()).or_default();
        }
        if asked.is_empty() {
            return Ok(out);
        }
        let mut args = clause.args.clone();
        let first = clause.next();
        let list: Vec<String> = (0..asked.len()).map(|i| format!("${}", first + i)).collect();
        args.extend(asked.iter().map(|f| (*f).clone()));
        let matched = from.replacen("{}", "d.name AS name", 1);
        let sql = format!(
            "SELECT f.facet AS facet, f.value AS value, COUNT(*) AS n FROM dataset_facets f \
             JOIN ({matched}) m ON m.name = f.dataset WHERE f.facet IN ({}) \
             GROUP BY f.facet, f.value ORDER BY n DESC, f.value",
            list.join(", ")
        );
        let rows = bind_args(sqlx::query(&sql), &args).fetch_all(&self.pool).await?;
        for row in &rows {
            let n = count(row.get::<i64, _>("n"));
            let values = out.entry(row.get("facet")).or_default();
            if n >= query.facet_mincount && (values.len() as u64) < query.facet_limit {
                values.push((row.get("value"), n));
            }
        }
        Ok(out)
    }

    /// Rebuilds the whole search index when it was built by another analyser version, or misses
    /// datasets (a catalog from before the index).
    pub(crate) async fn refresh_search_index(&self) -> Result<()> {
        let version = format!("{}.{INDEX_FORMAT}", satudata_search::VERSION);
        let stored: Option<String> =
            sqlx::query_scalar("SELECT value FROM catalog_settings WHERE key = 'search_version'")
                .fetch_optional(&self.pool)
                .await?;
        let missing: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM datasets d WHERE NOT EXISTS (SELECT 1 FROM dataset_text t WHERE t.name = d.name)",
        )
        .fetch_one(&self.pool)
        .await?;
        if stored.as_deref() == Some(version.as_str()) && missing == 0 {
            return Ok(());
        }
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM datasets ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        let releases: Vec<(String, i64)> = sqlx::query(
            "SELECT r.dataset AS dataset, r.version AS version FROM releases r WHERE NOT EXISTS \
             (SELECT 1 FROM resources s WHERE s.dataset = r.dataset AND s.version = r.version)",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| (r.get("dataset"), r.get("version")))
        .collect();
        let mut tx = self.begin().await?;
        for name in &names {
            reindex(&mut tx, name, false).await?;
        }
        // Releases from before resources had ids get theirs.
        for (dataset, version) in &releases {
            crate::resources::insert(&mut tx, dataset, u32::try_from(*version).unwrap_or(u32::MAX)).await?;
        }
        sqlx::query(
            "INSERT INTO catalog_settings (key, value) VALUES ('search_version', $1) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(&version)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Binds every argument, in order.
fn bind_args<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    args: &'q [String],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for a in args {
        query = query.bind(a.as_str());
    }
    query
}

/// Reads a [`SearchHit`] from a row of the search query.
fn search_hit(row: &sqlx::any::AnyRow) -> Result<SearchHit> {
    let entry = crate::listing::entry_from_row(row)?;
    Ok(SearchHit {
        entry,
        id: row.try_get::<Option<String>, _>("id")?.unwrap_or_default(),
        created_at: row.try_get::<Option<String>, _>("d_created_at")?.unwrap_or_default(),
        modified_at: row.try_get::<Option<String>, _>("d_modified_at")?.unwrap_or_default(),
        score: row.get("score"),
        downloads: count(row.get::<i64, _>("downloads")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{approved, catalog, clean_report, org, release, walidata};
    use crate::{NewSubmission, Organization};
    use satudata_core::access::{Actor, Role};

    fn metadata(name: &str, title: &str, topic: &str, tags: &[&str], organization: &str) -> DatasetMetadata {
        let doc = serde_json::json!({
            "name": name, "organization": organization, "standard": "s", "title": title,
            "description": format!("Data {title} di Kota Pontianak."), "topic": topic, "tags": tags,
            "license": "cc-by", "frequency": "tahunan", "status_kerahasiaan": "terbuka",
            "temporal_coverage": {"start": "2023", "end": "2024"},
        });
        serde_json::from_value(doc).unwrap()
    }

    fn everything() -> Visibility<'static> {
        Visibility {
            everything: true,
            organization: None,
            statuses: &[],
        }
    }

    fn public() -> Visibility<'static> {
        Visibility {
            everything: false,
            organization: None,
            statuses: &["terbuka"],
        }
    }

    fn text(words: &str) -> Option<TextMatch> {
        let query = satudata_search::analyze_query(words);
        Some(TextMatch {
            fts5: query.to_fts5()?,
            tsquery: query.to_tsquery()?,
        })
    }

    fn query(words: &str) -> SearchQuery {
        SearchQuery {
            text: text(words),
            limit: 50,
            facet_limit: 50,
            facet_mincount: 1,
            ..SearchQuery::default()
        }
    }

    async fn names(c: &Catalog, visibility: &Visibility<'_>, q: &SearchQuery) -> Vec<String> {
        let hits = c.search_datasets(visibility, q).await.unwrap();
        assert_eq!(hits.total as usize, hits.items.len(), "one page holds them all here");
        hits.items.into_iter().map(|h| h.entry.name).collect()
    }

    /// Three datasets of two PDs; `kunjungan` published (terbuka), the others drafts.
    async fn region(url: &str) -> Catalog {
        let c = catalog(url).await;
        c.put_organization(&org(), "admin").await.unwrap();
        let disdik = Organization {
            slug: "disdik".into(),
            nama: "Dinas Pendidikan".into(),
            ..org()
        };
        c.put_organization(&disdik, "admin").await.unwrap();
        let datasets = [
            metadata(
                "kunjungan",
                "Kunjungan Puskesmas",
                "Kesehatan",
                &["puskesmas", "kunjungan"],
                "dinkes",
            ),
            metadata(
                "penduduk",
                "Data Kependudukan per Kelurahan",
                "Kependudukan",
                &["penduduk"],
                "dinkes",
            ),
            metadata(
                "sekolah",
                "Statistik Persekolahan",
                "Pendidikan",
                &["sekolah"],
                "disdik",
            ),
        ];
        for d in &datasets {
            c.put_dataset(d, "admin").await.unwrap();
        }
        let produsen = Actor::user("produsen-dinkes", Role::Produsen, Some("dinkes"));
        let s = NewSubmission {
            dataset: "kunjungan",
            period: "2024",
            source_name: "a.csv",
            source_sha256: "00",
            source_path: "submissions/1/a.csv",
            source_size: 4,
            duplicate_of: None,
            actor: &produsen,
        };
        let id = approved(&c, &s, &clean_report()).await;
        c.commit_release(&release(id), &walidata()).await.unwrap();
        c
    }

    async fn words_match_their_derived_forms_in_title_and_body(url: &str) {
        let c = region(url).await;
        let all = everything();
        assert_eq!(names(&c, &all, &query("penduduk")).await, ["penduduk"]);
        assert_eq!(names(&c, &all, &query("KEPENDUDUKAN")).await, ["penduduk"]);
        assert_eq!(names(&c, &all, &query("sekolah")).await, ["sekolah"]);
        assert_eq!(
            names(&c, &all, &query("kesehätan")).await,
            ["kunjungan"],
            "topic, accents folded"
        );
        assert_eq!(
            names(&c, &all, &query("puskes")).await,
            ["kunjungan"],
            "a half-typed word"
        );
        assert!(names(&c, &all, &query("anggaran")).await.is_empty());
        // Every dataset's description names the city: all match, the title match first.
        let city = names(&c, &all, &query("pontianak kunjungan")).await;
        assert_eq!(city, ["kunjungan"], "every word must match");
        let mut q = query("data");
        q.sort = SearchSort::Relevance;
        let ranked = names(&c, &all, &q).await;
        assert_eq!(
            ranked.first().map(String::as_str),
            Some("penduduk"),
            "a title match ranks first: {ranked:?}"
        );
        assert_eq!(ranked.len(), 3);
    }

    async fn a_search_shows_only_what_the_caller_may_see(url: &str) {
        let c = region(url).await;
        assert_eq!(
            names(&c, &public(), &query("pontianak")).await,
            ["kunjungan"],
            "drafts stay hidden"
        );
        let own = Visibility {
            everything: false,
            organization: Some("disdik"),
            statuses: &["terbuka"],
        };
        let mut seen = names(&c, &own, &query("pontianak")).await;
        seen.sort();
        assert_eq!(seen, ["kunjungan", "sekolah"]);
        let none = Visibility {
            everything: false,
            organization: None,
            statuses: &[],
        };
        assert!(
            names(
                &c,
                &none,
                &SearchQuery {
                    limit: 10,
                    ..SearchQuery::default()
                }
            )
            .await
            .is_empty()
        );
    }

    async fn filters_facets_sorts_and_pages(url: &str) {
        let c = region(url).await;
        let all = everything();
        let facet = |f: &str, v: &str| Filter::Facet {
            facet: f.into(),
            value: v.into(),
        };
        let mut q = SearchQuery {
            filter: Some(facet("organization", "dinkes")),
            sort: SearchSort::Name,
            limit: 10,
            facets: vec![
                "organization".into(),
                "res_format".into(),
                "tahun".into(),
                "nope".into(),
            ],
            facet_limit: 10,
            facet_mincount: 1,
            ..SearchQuery::default()
        };
        assert_eq!(names(&c, &all, &q).await, ["kunjungan", "penduduk"]);
        let hits = c.search_datasets(&all, &q).await.unwrap();
        assert_eq!(hits.facets["organization"], [("dinkes".to_owned(), 2)]);
        assert_eq!(
            hits.facets["res_format"].len(),
            2,
            "the published one has two formats, CSV and Parquet"
        );
        assert!(hits.facets["res_format"].iter().all(|(_, n)| *n == 1));
        assert_eq!(hits.facets["tahun"], [("2023".to_owned(), 2), ("2024".to_owned(), 2)]);
        assert!(hits.facets["nope"].is_empty(), "an unknown facet counts nothing");

        q.filter = Some(Filter::Published);
        assert_eq!(names(&c, &all, &q).await, ["kunjungan"]);
        q.filter = Some(Filter::Not(Box::new(facet("organization", "dinkes"))));
        assert_eq!(names(&c, &all, &q).await, ["sekolah"]);
        q.filter = Some(Filter::Any(vec![
            facet("groups", "pendidikan"),
            facet("tags", "puskesmas"),
        ]));
        assert_eq!(names(&c, &all, &q).await, ["kunjungan", "sekolah"]);
        q.filter = Some(Filter::All(vec![
            facet("res_format", "CSV"),
            facet("status_kerahasiaan", "terbuka"),
        ]));
        assert_eq!(names(&c, &all, &q).await, ["kunjungan"]);
        q.filter = Some(Filter::Modified {
            from: Some("2999-01-01T00:00:00.000Z".into()),
            until: None,
        });
        assert!(names(&c, &all, &q).await.is_empty());
        q.filter = Some(Filter::Modified {
            from: Some("2000-01-01T00:00:00.000Z".into()),
            until: None,
        });
        assert_eq!(names(&c, &all, &q).await.len(), 3);

        // Paging by id, as harvesters do: every dataset once.
        let mut by_id = Vec::new();
        for page in 0..3 {
            let q = SearchQuery {
                sort: SearchSort::Id,
                limit: 2,
                offset: page * 2,
                ..SearchQuery::default()
            };
            let hits = c.search_datasets(&all, &q).await.unwrap();
            assert_eq!(hits.total, 3);
            by_id.extend(hits.items.into_iter().map(|h| h.id));
        }
        assert_eq!(by_id.len(), 3);
        let mut sorted = by_id.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, by_id, "ids ascending, none twice");
        assert!(by_id.iter().all(|id| id.len() == 36 && id.as_bytes()[14] == b'4'));

        let q = SearchQuery {
            sort: SearchSort::Title,
            limit: 10,
            ..SearchQuery::default()
        };
        assert_eq!(names(&c, &all, &q).await, ["penduduk", "kunjungan", "sekolah"]);
    }

    async fn the_index_follows_releases_withdrawals_and_standards(url: &str) {
        let c = region(url).await;
        let all = everything();
        let csv = SearchQuery {
            filter: Some(Filter::Facet {
                facet: "res_format".into(),
                value: "CSV".into(),
            }),
            limit: 10,
            ..SearchQuery::default()
        };
        assert_eq!(names(&c, &all, &csv).await, ["kunjungan"]);
        let before = c.search_datasets(&all, &csv).await.unwrap().items[0]
            .modified_at
            .clone();
        c.withdraw("kunjungan", 1, "salah", &walidata()).await.unwrap();
        assert!(names(&c, &all, &csv).await.is_empty(), "no release served, no format");
        let after = c.search_datasets(&all, &query("kunjungan")).await.unwrap();
        assert!(
            after.items[0].modified_at > before,
            "a withdrawal is a change a harvester sees"
        );

        assert!(names(&c, &all, &query("imunisasi")).await.is_empty());
        let standard: DataStandard = serde_json::from_value(serde_json::json!({
            "id": "s", "nama": "Standar uji", "versi": "1",
            "kolom": [{"nama": "jumlah_imunisasi", "konsep": "Imunisasi dasar lengkap",
                       "definisi": "Banyaknya anak yang mendapat imunisasi", "tipe_data": "integer"}]
        }))
        .unwrap();
        c.put_standard(&standard, "admin").await.unwrap();
        let mut found = names(&c, &all, &query("imunisasi")).await;
        found.sort();
        assert_eq!(
            found,
            ["kunjungan", "penduduk", "sekolah"],
            "the standard's konsep is searchable"
        );
    }

    async fn a_catalog_opened_again_keeps_its_index_and_ids(url: &str) {
        let c = region(url).await;
        let first = c.dataset_id("kunjungan").await.unwrap().unwrap();
        let resource = crate::resources::resource_id(&first, 1, "data.csv");
        assert_eq!(
            c.resource(&resource)
                .await
                .unwrap()
                .map(|r| (r.dataset, r.version, r.file)),
            Some(("kunjungan".into(), 1, "data.csv".into()))
        );
        sqlx::query("DELETE FROM dataset_text").execute(&c.pool).await.unwrap();
        let again = Catalog::connect(url).await.unwrap();
        assert_eq!(again.dataset_id("kunjungan").await.unwrap().unwrap(), first);
        assert_eq!(
            names(&again, &everything(), &query("penduduk")).await,
            ["penduduk"],
            "rebuilt"
        );
        again.count_download("kunjungan", 1, "data.csv").await.unwrap();
        again.count_download("kunjungan", 1, "data.csv").await.unwrap();
        assert_eq!(
            again.downloads("kunjungan").await.unwrap(),
            [(1, "data.csv".to_owned(), 2)]
        );
        let q = SearchQuery {
            sort: SearchSort::Downloads,
            limit: 1,
            ..SearchQuery::default()
        };
        let top = again.search_datasets(&everything(), &q).await.unwrap();
        assert_eq!(
            (top.items[0].entry.name.as_str(), top.items[0].downloads),
            ("kunjungan", 2)
        );
    }

    async fn a_dataset_registered_over_the_api_has_an_id_and_is_found(url: &str) {
        let c = catalog(url).await;
        c.put_organization(&org(), "admin").await.unwrap();
        let by = crate::ChangedBy {
            name: "produsen-dinkes",
            role: Some("produsen"),
            organization: Some("dinkes"),
        };
        let m = metadata(
            "imunisasi",
            "Cakupan Imunisasi Dasar",
            "Kesehatan",
            &["imunisasi"],
            "dinkes",
        );
        assert!(c.create_dataset(&m, &by).await.unwrap());
        let id = c.dataset_id("imunisasi").await.unwrap().expect("an id at registration");
        assert_eq!(id.len(), 36);
        assert_eq!(names(&c, &everything(), &query("imunisasi")).await, ["imunisasi"]);
        let mut changed = m.clone();
        changed.rest.insert("title".into(), "Cakupan Vaksinasi Dasar".into());
        c.update_dataset(&changed, &by).await.unwrap();
        assert_eq!(
            names(&c, &everything(), &query("vaksinasi")).await,
            ["imunisasi"],
            "reindexed"
        );
        assert_eq!(
            c.dataset_view("imunisasi").await.unwrap().unwrap().id,
            id,
            "the id stays"
        );
    }

    #[test]
    fn a_dataset_is_indexed_under_its_facets() {
        let m = metadata("a", "Kunjungan Puskesmas", "Kesehatan Ibu", &["ibu", "anak"], "dinkes");
        let draft = indexed(&m, None, None);
        assert!(draft.facets.contains(&("groups", "kesehatan-ibu".into())));
        assert!(draft.facets.contains(&("tahun", "2023".into())) && draft.facets.contains(&("tahun", "2024".into())));
        assert!(
            !draft.facets.iter().any(|(f, _)| *f == "res_format"),
            "a draft has no files"
        );
        let served = Served {
            status_kerahasiaan: "terbatas".into(),
            years: vec![2025],
        };
        let published = indexed(&m, None, Some(&served));
        assert!(published.facets.contains(&("status_kerahasiaan", "terbatas".into())));
        assert!(published.facets.contains(&("tahun", "2025".into())));
        assert_eq!(published.title, "kunjung puskesmas", "the name `a` is too short a word");
        assert_eq!(
            years_between(Some("1900"), Some("2500")),
            vec![1900],
            "an absurd span is one year"
        );
    }

    satudata_testkit::on_both!(
        words_match_their_derived_forms_in_title_and_body,
        a_search_shows_only_what_the_caller_may_see,
        filters_facets_sorts_and_pages,
        the_index_follows_releases_withdrawals_and_standards,
        a_catalog_opened_again_keeps_its_index_and_ids,
        a_dataset_registered_over_the_api_has_an_id_and_is_found,
    );
}
