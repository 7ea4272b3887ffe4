//! The catalog as `satudata-ckan`'s views: packages (datasets with their PD, topic and served
//! releases), organizations (PDs) and groups (topics), always as one caller may see them.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use satudata_catalog::listing::Visibility;
use satudata_catalog::search::{Filter, SearchHit, SearchHits, SearchQuery, SearchSort, group_name};
use satudata_ckan::{ApiError, FileView, GroupView, OrganizationView, ReleaseView, SiteInfo};
use satudata_core::Organization;
use satudata_core::access::{Action, Actor, Decision, decide};
use serde_json::{Value, json};

use crate::read;
use crate::state::AppState;

/// The site as `status_show` tells it.
pub fn site(base: &str) -> SiteInfo {
    SiteInfo {
        title: "Satu Data".into(),
        description: "Portal data Pusat Data / the data center's open data portal".into(),
        url: base.to_owned(),
        locale: "id".into(),
    }
}

/// A catalog time (RFC 3339), the epoch when unreadable.
pub(crate) fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).map_or(DateTime::UNIX_EPOCH, |t| t.with_timezone(&Utc))
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "CKAN action failed");
    ApiError::Internal("internal error".into())
}

fn not_found(what: &str) -> ApiError {
    ApiError::NotFound(format!("{what} tidak ditemukan / not found"))
}

/// A dataset of the read cache as a search hit, with no score and no downloads counted.
pub(crate) fn unranked(view: &satudata_catalog::cache::DatasetView) -> SearchHit {
    SearchHit {
        entry: view.entry.clone(),
        id: view.id.clone(),
        created_at: view.created_at.clone(),
        modified_at: view.modified_at.clone(),
        score: 0.0,
        downloads: 0,
    }
}

/// Packages as one caller may see them, with the PDs at hand.
pub struct Packages<'a> {
    state: &'a AppState,
    actor: Actor,
    base: &'a str,
    everything: bool,
    organization: Option<String>,
    statuses: Vec<&'static str>,
    /// Every PD with when it was last written, as the read cache holds them.
    organizations: Arc<Vec<(Organization, String)>>,
}

impl<'a> Packages<'a> {
    /// The packages `actor` may see on this server, whose public address is `base`.
    pub async fn new(state: &'a AppState, base: &'a str, actor: &Actor) -> satudata_catalog::Result<Self> {
        let (everything, organization, statuses) = read::visibility(actor);
        let organizations = state.center().catalog().organizations_view().await?;
        Ok(Packages {
            state,
            actor: actor.clone(),
            base,
            everything,
            organization: organization.map(str::to_owned),
            statuses,
            organizations,
        })
    }

    /// A page of the published packages `query` finds.
    pub async fn search(&self, query: &SearchQuery, limit: u64, offset: u64) -> satudata_ckan::Result<SearchHits> {
        let visibility = Visibility {
            everything: self.everything,
            organization: self.organization.as_deref(),
            statuses: &self.statuses,
        };
        let filter = match &query.filter {
            Some(f) => Filter::All(vec![Filter::Published, f.clone()]),
            None => Filter::Published,
        };
        let query = SearchQuery {
            filter: Some(filter),
            limit,
            offset,
            ..query.clone()
        };
        self.state
            .center()
            .catalog()
            .search_datasets(&visibility, &query)
            .await
            .map_err(internal)
    }

    /// The published package named or identified by `id`, from the catalog's read cache.
    pub async fn one(&self, id: &str) -> satudata_ckan::Result<SearchHit> {
        let catalog = self.state.center().catalog();
        let mut view = catalog.dataset_view(id).await.map_err(internal)?;
        if view.is_none()
            && let Some(name) = catalog.dataset_name_by_id(id).await.map_err(internal)?
        {
            view = catalog.dataset_view(&name).await.map_err(internal)?;
        }
        let view = view.ok_or_else(|| not_found("Dataset"))?;
        let seen = decide(&self.actor, Action::Read, &read::dataset_target(&view.entry)) == Decision::Allow;
        if !seen || view.entry.latest.is_none() {
            return Err(not_found("Dataset"));
        }
        Ok(unranked(&view))
    }

    /// The PD `slug` as CKAN shows it (its slug as title when unknown).
    pub fn organization_view(&self, slug: &str) -> OrganizationView {
        let (name, created) = self
            .organizations
            .iter()
            .find(|(o, _)| o.slug == slug)
            .map_or((slug.to_owned(), DateTime::UNIX_EPOCH), |(o, at)| {
                (o.nama.clone(), time(at))
            });
        OrganizationView {
            id: satudata_ckan::stable_id("organization", slug),
            slug: slug.to_owned(),
            title: name,
            description: String::new(),
            image_url: String::new(),
            created,
        }
    }

    fn group_view(topic: &str) -> Option<GroupView> {
        let slug = group_name(topic);
        (!slug.is_empty()).then(|| GroupView {
            id: satudata_ckan::stable_id("group", &slug),
            slug,
            title: topic.to_owned(),
            description: String::new(),
            created: DateTime::UNIX_EPOCH,
        })
    }

    /// Every PD, with when it was last written.
    pub fn all_organizations(&self) -> &[(Organization, String)] {
        &self.organizations
    }

    /// What people read for a facet's value: a PD's name, a topic's title, else the value.
    pub fn display_name(&self, facet: &str, value: &str) -> String {
        match facet {
            "organization" => self.organization_view(value).title,
            _ => value.to_owned(),
        }
    }

    /// The package view of a found dataset; with `files`, its newest release's files are read
    /// from its manifest (sizes and checksums), else listed by name only (enough for a filter).
    pub async fn view(&self, hit: &SearchHit, files: bool) -> satudata_ckan::Result<satudata_ckan::DatasetView> {
        let catalog = self.state.center().catalog();
        let cached = catalog.dataset_view(&hit.entry.name).await.map_err(internal)?;
        let mut metadata = hit.entry.metadata.rest.clone();
        metadata.insert("name".into(), json!(hit.entry.name));
        metadata.insert("organization".into(), json!(hit.entry.organization));
        metadata.insert("standard".into(), json!(hit.entry.metadata.standard));
        if let Some(latest) = &hit.entry.latest {
            metadata.insert("status_kerahasiaan".into(), json!(latest.status_kerahasiaan));
        }
        let mut releases = Vec::new();
        if let Some(cached) = &cached {
            for r in cached
                .releases
                .iter()
                .filter(|r| !cached.withdrawn.contains(&r.version))
            {
                let newest = hit.entry.latest.as_ref().is_some_and(|l| l.version == r.version);
                let files = if newest {
                    self.files(hit, r, files).await?
                } else {
                    Vec::new()
                };
                releases.push(ReleaseView {
                    version: r.version,
                    published: time(&r.created_at),
                    files,
                });
            }
        }
        let standard_version = cached.as_ref().and_then(|c| c.standard_version.clone());
        Ok(satudata_ckan::DatasetView {
            id: hit.id.clone(),
            organization: self.organization_view(&hit.entry.organization),
            topic: hit.entry.metadata.text("topic").and_then(Self::group_view),
            created: time(&hit.created_at),
            modified: time(&hit.modified_at),
            standard_version,
            releases,
            downloads: hit.downloads,
            metadata,
        })
    }

    /// The resources of release `r` of a found dataset.
    async fn files(
        &self,
        hit: &SearchHit,
        r: &satudata_catalog::ReleaseRecord,
        read_manifest: bool,
    ) -> satudata_ckan::Result<Vec<FileView>> {
        let manifest = if read_manifest {
            Some(read::manifest_shared(self.state, r).await.map_err(internal)?)
        } else {
            None
        };
        let published = time(&r.created_at);
        Ok(satudata_catalog::resources::FILES
            .iter()
            .map(|(file, format, media)| {
                let listed = manifest.as_ref().and_then(|m| m.files.iter().find(|f| f.path == *file));
                FileView {
                    id: satudata_catalog::resources::resource_id(&hit.id, r.version, file),
                    name: format!(
                        "{}-v{}.{}",
                        hit.entry.name,
                        r.version,
                        file.rsplit('.').next().unwrap_or("")
                    ),
                    url: format!(
                        "{}/api/v1/datasets/{}/releases/v{}/files/{file}",
                        self.base, hit.entry.name, r.version
                    ),
                    format: (*format).to_owned(),
                    mimetype: (*media).to_owned(),
                    size: listed.map_or(0, |f| f.size),
                    sha256: listed.map(|f| f.sha256.clone()).unwrap_or_default(),
                    last_modified: published,
                }
            })
            .collect())
    }

    /// The package dicts of `hits`, in order.
    pub async fn dicts(&self, hits: &SearchHits) -> satudata_ckan::Result<Vec<Value>> {
        let mut out = Vec::with_capacity(hits.items.len());
        for hit in &hits.items {
            out.push(satudata_ckan::package_dict(&self.view(hit, true).await?));
        }
        Ok(out)
    }

    /// `resource_show`: the resource `id` of a package the caller may see.
    pub async fn resource(&self, id: &str) -> satudata_ckan::Result<Value> {
        let resource = self
            .state
            .center()
            .catalog()
            .resource(id)
            .await
            .map_err(internal)?
            .ok_or_else(|| not_found("Resource"))?;
        let hit = self.one(&resource.dataset).await.map_err(|_| not_found("Resource"))?;
        let view = self.view(&hit, true).await?;
        satudata_ckan::resource_show(&view, id).ok_or_else(|| not_found("Resource"))
    }

    /// The number of published packages per value of `facet`, over what the caller may see.
    async fn counts(&self, facet: &str) -> satudata_ckan::Result<BTreeMap<String, u64>> {
        let query = SearchQuery {
            facets: vec![facet.to_owned()],
            facet_limit: u64::MAX,
            facet_mincount: 1,
            sort: SearchSort::Name,
            ..SearchQuery::default()
        };
        let hits = self.search(&query, 0, 0).await?;
        Ok(hits.facets.get(facet).into_iter().flatten().cloned().collect())
    }

    /// The first packages (at most [`satudata_ckan::SHOW_DATASETS`]) indexed under `facet` = `value`.
    async fn packages_under(&self, facet: &str, value: &str) -> satudata_ckan::Result<Vec<Value>> {
        let query = SearchQuery {
            filter: Some(Filter::Facet {
                facet: facet.into(),
                value: value.into(),
            }),
            sort: SearchSort::Name,
            ..SearchQuery::default()
        };
        let hits = self.search(&query, satudata_ckan::SHOW_DATASETS as u64, 0).await?;
        self.dicts(&hits).await
    }

    /// `organization_list`: every PD (public), by the asked order.
    pub async fn organizations(&self, list: &satudata_ckan::OrganizationList) -> satudata_ckan::Result<Value> {
        let counts = self.counts("organization").await?;
        let rows: Vec<(OrganizationView, u64)> = self
            .organizations
            .iter()
            .map(|(o, _)| {
                (
                    self.organization_view(&o.slug),
                    counts.get(&o.slug).copied().unwrap_or(0),
                )
            })
            .collect();
        Ok(listed(
            list,
            rows,
            |o| (o.slug.clone(), o.title.clone()),
            satudata_ckan::organization_dict,
        ))
    }

    /// `organization_show`.
    pub async fn organization(&self, show: &satudata_ckan::OrganizationShow) -> satudata_ckan::Result<Value> {
        let slug = self
            .organizations
            .iter()
            .map(|(o, _)| &o.slug)
            .find(|slug| **slug == show.id || satudata_ckan::stable_id("organization", slug) == show.id)
            .cloned()
            .ok_or_else(|| not_found("Organization"))?;
        let count = self.counts("organization").await?.get(&slug).copied().unwrap_or(0);
        let packages = if show.include_datasets {
            Some(self.packages_under("organization", &slug).await?)
        } else {
            None
        };
        Ok(satudata_ckan::organization_show(
            &self.organization_view(&slug),
            count,
            packages,
        ))
    }

    /// The topics of the published packages the caller may see, by group name, with a title.
    async fn topics(&self) -> satudata_ckan::Result<Vec<(GroupView, u64)>> {
        let counts = self.counts("groups").await?;
        let query = SearchQuery {
            sort: SearchSort::Name,
            ..SearchQuery::default()
        };
        let hits = self.search(&query, u64::MAX / 2, 0).await?;
        let mut titles: BTreeMap<String, String> = BTreeMap::new();
        for hit in &hits.items {
            if let Some(topic) = hit.entry.metadata.text("topic") {
                titles.entry(group_name(topic)).or_insert_with(|| topic.to_owned());
            }
        }
        Ok(titles
            .into_iter()
            .filter_map(|(slug, title)| {
                let count = counts.get(&slug).copied().unwrap_or(0);
                Self::group_view(&title).map(|g| (g, count))
            })
            .collect())
    }

    /// `group_list`: the topics.
    pub async fn groups(&self, list: &satudata_ckan::GroupList) -> satudata_ckan::Result<Value> {
        let rows = self.topics().await?;
        Ok(listed(
            list,
            rows,
            |g| (g.slug.clone(), g.title.clone()),
            satudata_ckan::group_dict,
        ))
    }

    /// `group_show`.
    pub async fn group(&self, show: &satudata_ckan::GroupShow) -> satudata_ckan::Result<Value> {
        let (group, count) = self
            .topics()
            .await?
            .into_iter()
            .find(|(g, _)| g.slug == show.id || g.id == show.id)
            .ok_or_else(|| not_found("Group"))?;
        let packages = if show.include_datasets {
            Some(self.packages_under("groups", &group.slug).await?)
        } else {
            None
        };
        Ok(satudata_ckan::group_show(&group, count, packages))
    }

    /// `tag_list`: the tags of the published packages the caller may see.
    pub async fn tags(&self, list: &satudata_ckan::TagList) -> satudata_ckan::Result<Value> {
        let counts = self.counts("tags").await?;
        let wanted = list.query.as_deref().map(str::to_lowercase);
        let names = counts
            .keys()
            .filter(|t| wanted.as_deref().is_none_or(|q| t.to_lowercase().contains(q)));
        Ok(if list.all_fields {
            Value::Array(names.map(|t| satudata_ckan::tag_dict(t)).collect())
        } else {
            json!(names.collect::<Vec<_>>())
        })
    }
}

impl Packages<'_> {
    /// `datastore_search`: rows of a resource's release, read from its Parquet file.
    pub async fn datastore(
        &self,
        search: &satudata_ckan::DatastoreSearch,
        url: satudata_ckan::RequestUrl<'_>,
    ) -> satudata_ckan::Result<Value> {
        let catalog = self.state.center().catalog();
        let resource = catalog
            .resource(&search.resource_id)
            .await
            .map_err(internal)?
            .ok_or_else(|| not_found("Resource"))?;
        let hit = self.one(&resource.dataset).await.map_err(|_| not_found("Resource"))?;
        let cached = catalog
            .dataset_view(&hit.entry.name)
            .await
            .map_err(internal)?
            .ok_or_else(|| not_found("Resource"))?;
        let release = cached
            .releases
            .iter()
            .find(|r| r.version == resource.version && !cached.withdrawn.contains(&r.version))
            .ok_or_else(|| not_found("Resource"))?;
        // The columns first, so that a name the release lacks is CKAN's Validation Error.
        let columns = self.state.center().release_columns(release).await.map_err(internal)?;
        let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
        search.check_columns(&names)?;
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let query = satudata_workflow::datastore::RowQuery {
            filters: search
                .filters
                .iter()
                .map(|(c, values)| (c.clone(), values.iter().map(text).collect()))
                .collect(),
            text: match &search.q {
                Some(satudata_ckan::DatastoreQ::Text(t)) => Some(t.clone()),
                _ => None,
            },
            per_column: match &search.q {
                Some(satudata_ckan::DatastoreQ::PerField(pairs)) => pairs.clone(),
                _ => Vec::new(),
            },
            sort: search.sort.iter().map(|k| (k.field.clone(), k.descending)).collect(),
            limit: usize::try_from(search.limit).unwrap_or(usize::MAX),
            offset: usize::try_from(search.offset).unwrap_or(usize::MAX),
        };
        let page = self
            .state
            .center()
            .release_rows(release, &query)
            .await
            .map_err(internal)?;
        let columns: Vec<satudata_ckan::Column> = page
            .columns
            .iter()
            .map(|(id, kind)| satudata_ckan::Column {
                id: id.clone(),
                column_type: column_type(*kind),
            })
            .collect();
        let rows: Vec<satudata_ckan::Row> = page
            .rows
            .into_iter()
            .map(|(id, values)| satudata_ckan::Row { id, values })
            .collect();
        satudata_ckan::datastore_result(search, &columns, &rows, page.total, url)
    }
}

fn column_type(kind: satudata_workflow::datastore::ColumnKind) -> satudata_ckan::ColumnType {
    use satudata_ckan::ColumnType as C;
    use satudata_workflow::datastore::ColumnKind as K;
    match kind {
        K::Int => C::Int,
        K::Numeric => C::Numeric,
        K::Text => C::Text,
        K::Date => C::Date,
        K::Timestamp => C::Timestamp,
        K::Bool => C::Bool,
    }
}

/// `organization_list` / `group_list` over `rows`: filtered by `only`, sorted, paged, as names
/// or (with `all_fields`) dicts.
fn listed<T>(
    list: &satudata_ckan::GroupList,
    mut rows: Vec<(T, u64)>,
    key: impl Fn(&T) -> (String, String),
    dict: impl Fn(&T, u64) -> Value,
) -> Value {
    if let Some(only) = &list.only {
        rows.retain(|(row, _)| only.contains(&key(row).0));
    }
    match list.sort {
        satudata_ckan::GroupSort::Name => rows.sort_by_key(|(row, _)| key(row).0),
        satudata_ckan::GroupSort::Title => rows.sort_by_key(|(row, _)| (key(row).1.to_lowercase(), key(row).0)),
        satudata_ckan::GroupSort::PackageCount => rows.sort_by_key(|(row, n)| (*n, key(row).0)),
    }
    if list.descending {
        rows.reverse();
    }
    let start = usize::try_from(list.offset).unwrap_or(usize::MAX).min(rows.len());
    let end = start
        .saturating_add(usize::try_from(list.limit).unwrap_or(usize::MAX))
        .min(rows.len());
    let page = &rows[start..end];
    if list.all_fields {
        Value::Array(page.iter().map(|(row, n)| dict(row, *n)).collect())
    } else {
        Value::Array(page.iter().map(|(row, _)| Value::String(key(row).0)).collect())
    }
}
