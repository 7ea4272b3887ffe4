//! The portal's web pages, at CKAN's URLs so that links to an old CKAN portal keep working:
//! `/`, `/dataset` (search), `/dataset/{name}`, `/dataset/{name}/versi/{N}` (a version's
//! changes), `/organization[/{slug}]`, `/group[/{topic}]`, `/about`; the data center's public key
//! at `/.well-known/satudata/kenirsangkalan.pub`; the Atom feeds `/feeds/dataset.atom` and
//! `/feeds/dataset/{name}.atom`; and the stylesheet.
//!
//! Pages are Indonesian unless `?lang=en` (which also sets a cookie, so the choice stays) or
//! that cookie asks for English; a browser's own language does not switch them. Every page shows only what its caller may read.

use axum::Router;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use maud::Markup;
use satudata_catalog::search::{Filter, SearchSort, group_name};
use satudata_core::Lang;
use satudata_core::access::Actor;
use satudata_portal::pages::{self, Kind};
use satudata_portal::quality::{self, Inputs};
use satudata_portal::view::{self, Group, Home, Named, Site};
use satudata_portal::{layout, tr};

use super::ckan_views::{Packages, time, unranked};
use super::feeds::base_url;
use super::page_views::{self as pv, ckan_error};
use crate::auth::Identity;
use crate::error::{Error, Result};
use crate::lang;
use crate::read;
use crate::state::AppState;

/// Where the data center's public key is published.
pub const KEY_PATH: &str = "/.well-known/satudata/kenirsangkalan.pub";

/// The pages' Content Security Policy: their own stylesheet, inline SVG, forms to themselves;
/// no scripts.
pub const PAGE_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Datasets per page of the search.
const PER_PAGE: u64 = 20;

/// Datasets in each list of the home page.
const HOME_LIST: u64 = 5;

/// Releases in the site-wide Atom feed.
const FEED_ENTRIES: u64 = 50;

/// The page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/dataset", get(search))
        .route("/dataset/", get(search))
        .route("/dataset/{name}/versi/{version}", get(version))
        .route("/organization", get(organizations))
        .route("/organization/{slug}", get(organization))
        .route("/group", get(topics))
        .route("/group/{slug}", get(topic))
        .route("/about", get(about))
        .route(KEY_PATH, get(key))
        .route("/feeds/dataset.atom", get(site_feed))
        .route("/feeds/dataset/{file}", get(dataset_feed))
        .route(layout::CSS_PATH, get(css))
}

/// A page request: who asks, and the site as the page shows it.
pub struct Visit {
    actor: Actor,
    site: Site,
    /// The language `?lang=` asked for, to keep in the cookie.
    chosen: Option<Lang>,
}

impl FromRequestParts<AppState> for Visit {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let identity = Identity::from_request_parts(parts, state).await?;
        // Indonesian first: English only when asked (`?lang=en`, or the switch's cookie), not
        // because a browser's language is English.
        let chosen = lang::asked(parts.uri.query());
        let lang = chosen.or_else(|| lang::cookie(&parts.headers)).unwrap_or_default();
        let query = form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .filter(|(k, _)| k != "lang")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let site = Site {
            title: "Satu Data".into(),
            lang,
            base: base_url(state, &parts.headers),
            path: parts.uri.path().to_owned(),
            query,
            user: identity.user().map(|u| u.username.clone()),
        };
        Ok(Visit {
            actor: identity.actor,
            site,
            chosen,
        })
    }
}

impl Visit {
    /// Who asks.
    pub(crate) fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The public address of this server, as the page links to it.
    pub(crate) fn base(&self) -> &str {
        &self.site.base
    }

    fn param(&self, key: &str) -> Option<&str> {
        self.site
            .query
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `markup` as this visit's page, with `status`.
    fn respond(&self, status: StatusCode, markup: Markup) -> Response {
        let mut response = (status, markup.into_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_POLICY));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
        if let Some(lang) = self.chosen {
            let cookie = format!(
                "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang::COOKIE,
                lang.code()
            );
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                headers.insert(header::SET_COOKIE, value);
            }
        }
        response
    }

    fn ok(&self, markup: Markup) -> Response {
        self.respond(StatusCode::OK, markup)
    }

    /// The page of `result`: an unknown or hidden dataset, PD or topic is the not-found page.
    fn answer(&self, result: Result<Markup>) -> Result<Response> {
        match result {
            Ok(markup) => Ok(self.ok(markup)),
            Err(Error::NotFound { .. } | Error::Forbidden | Error::Unauthenticated) => {
                Ok(self.respond(StatusCode::NOT_FOUND, pages::not_found(&self.site)))
            }
            Err(e) => Err(e),
        }
    }
}

async fn packages<'a>(state: &'a AppState, visit: &'a Visit) -> Result<Packages<'a>> {
    Ok(Packages::new(state, &visit.site.base, &visit.actor).await?)
}

async fn home(State(state): State<AppState>, visit: Visit) -> Result<Response> {
    let p = packages(&state, &visit).await?;
    let all = pv::listed(&p, None, SearchSort::Created, HOME_LIST, &["organization", "groups"]).await?;
    let popular = pv::listed(&p, None, SearchSort::Downloads, HOME_LIST, &[]).await?;
    let updated = pv::listed(&p, None, SearchSort::Modified, HOME_LIST, &[]).await?;
    let organizations = facet_named(&all, "organization", |slug| p.organization_view(slug).title);
    let topics = facet_named(&all, "groups", pv::topic_title);
    let home = Home {
        counts: (all.total, organizations.len() as u64, topics.len() as u64),
        newest: pv::cards(&p, &all),
        popular: pv::cards(&p, &popular),
        updated: pv::cards(&p, &updated),
        topics,
        organizations,
    };
    Ok(visit.ok(pages::home(&visit.site, &home)))
}

/// The values of `facet` over `hits` as named items with their counts, by name.
fn facet_named(
    hits: &satudata_catalog::search::SearchHits,
    facet: &str,
    title: impl Fn(&str) -> String,
) -> Vec<(Named, u64)> {
    let mut out: Vec<(Named, u64)> = hits
        .facets
        .get(facet)
        .into_iter()
        .flatten()
        .map(|(slug, n)| {
            (
                Named {
                    slug: slug.clone(),
                    title: title(slug),
                },
                *n,
            )
        })
        .collect();
    by_title(&mut out);
    out
}

/// Sorts named items by what people read, case ignored.
fn by_title(items: &mut [(Named, u64)]) {
    items.sort_by_key(|item| item.0.title.to_lowercase());
}

fn sort_of(text: &str) -> (SearchSort, &'static str) {
    match text {
        "newest" => (SearchSort::Created, "newest"),
        "name" => (SearchSort::Title, "name"),
        "downloads" => (SearchSort::Downloads, "downloads"),
        _ => (SearchSort::Relevance, "relevance"),
    }
}

async fn search(State(state): State<AppState>, visit: Visit) -> Result<Response> {
    let p = packages(&state, &visit).await?;
    let q = visit.param("q").unwrap_or("").trim().to_owned();
    let (sort, sort_name) = sort_of(visit.param("sort").unwrap_or(""));
    let page: u64 = visit
        .param("page")
        .and_then(|v| v.parse().ok())
        .filter(|p| (1..=10_000).contains(p))
        .unwrap_or(1);
    let filters: Vec<(String, String)> = visit
        .site
        .query
        .iter()
        .filter(|(k, v)| (pages::FACETS.contains(&k.as_str()) || k == "license_id") && !v.is_empty())
        .cloned()
        .collect();
    let filter = (!filters.is_empty()).then(|| {
        Filter::All(
            filters
                .iter()
                .map(|(facet, value)| Filter::Facet {
                    facet: facet.clone(),
                    value: value.clone(),
                })
                .collect(),
        )
    });
    let query = satudata_catalog::search::SearchQuery {
        text: pv::text_match(&q),
        filter,
        sort,
        facets: pages::FACETS.iter().map(|f| (*f).to_owned()).collect(),
        facet_limit: 15,
        facet_mincount: 1,
        ..Default::default()
    };
    let hits = p
        .search(&query, PER_PAGE, (page - 1) * PER_PAGE)
        .await
        .map_err(ckan_error)?;
    let facets = pages::FACETS
        .iter()
        .map(|field| view::Facet {
            field: (*field).to_owned(),
            values: hits
                .facets
                .get(*field)
                .into_iter()
                .flatten()
                .map(|(value, n)| {
                    let label = match *field {
                        "organization" => p.organization_view(value).title,
                        "groups" => pv::topic_title(value),
                        _ => value.clone(),
                    };
                    (value.clone(), label, *n)
                })
                .collect(),
        })
        .collect();
    let search = view::Search {
        q,
        filters,
        sort: sort_name.to_owned(),
        page,
        per_page: PER_PAGE,
        total: hits.total,
        results: pv::cards(&p, &hits),
        facets,
    };
    Ok(visit.ok(pages::search(&visit.site, &search)))
}

/// `/dataset/{name}`: the dataset page (the feeds route hands it every name without an RDF
/// extension).
pub async fn dataset(state: &AppState, visit: &Visit, name: &str) -> Result<Response> {
    visit.answer(dataset_page(state, visit, name).await)
}

async fn dataset_page(state: &AppState, visit: &Visit, name: &str) -> Result<Markup> {
    let view = read::visible_view(state, &visit.actor, name).await?;
    let p = packages(state, visit).await?;
    let base = &visit.site.base;
    // The search hit's one addition to the cached view is its download count: one statement.
    let mut hit = unranked(&view);
    hit.downloads = state
        .center()
        .catalog()
        .downloads(name)
        .await?
        .iter()
        .map(|(_, _, n)| n)
        .sum();
    let card = pv::card(&p, &hit, Utc::now());
    let metadata = &view.entry.metadata;
    let standard = pv::standard(state, &metadata.standard, view.standard_version.as_deref()).await?;
    let releases = pv::served(&view);
    let newest = releases.first().copied();
    let key = standard.as_ref().map(|s| s.kunci_utama.clone()).unwrap_or_default();
    let versions = pv::versions(state, &releases, &key);
    let (preview, chart, downloads, manifest) = match newest {
        Some(r) => {
            let chart = match &standard {
                Some(s) => pv::chart(state, r, s).await?,
                None => None,
            };
            let folder = format!(
                "{base}/api/v1/datasets/{}/releases/v{}/files",
                read::segment(name),
                r.version
            );
            (
                Some(pv::preview(state, r).await?),
                chart,
                pv::downloads(state, base, r).await?,
                Some((format!("{folder}/manifest.json"), format!("{folder}/manifest.sig"))),
            )
        }
        None => (None, None, Vec::new(), None),
    };
    let code_lists = match &standard {
        Some(s) => pv::code_lists(state, s).await,
        None => Vec::new(),
    };
    let formats: Vec<&str> = downloads.iter().map(|d| d.format.as_str()).collect();
    let quality = quality::score(&Inputs {
        metadata,
        standard: standard.as_ref(),
        timeliness: card.timeliness,
        formats: &formats,
        valid: newest.is_some(),
    });
    let key = pv::public_key(state, base);
    let page = view::Dataset {
        card: &card,
        metadata,
        standard: standard.as_ref(),
        code_lists: &code_lists,
        region: metadata
            .text("spatial_coverage")
            .and_then(satudata_workflow::region_name)
            .map(str::to_owned),
        versions,
        preview,
        chart,
        downloads: downloads.clone(),
        manifest,
        key: &key,
        quality,
        api: format!("{base}/api/3/action/package_show?id={}", layout::encode(name)),
    };
    Ok(pages::dataset(&visit.site, &page))
}

async fn version(
    State(state): State<AppState>,
    visit: Visit,
    Path((name, version)): Path<(String, String)>,
) -> Result<Response> {
    let result = version_page(&state, &visit, &name, &version).await;
    visit.answer(result)
}

/// Rows of each kind a version's page lists.
const DIFF_ROWS: u64 = 200;

async fn version_page(state: &AppState, visit: &Visit, name: &str, version: &str) -> Result<Markup> {
    let not_found = || Error::NotFound {
        kind: "release",
        key: format!("{name}/{version}"),
    };
    let number: u32 = version.trim_start_matches('v').parse().map_err(|_| not_found())?;
    let view = read::visible_view(state, &visit.actor, name).await?;
    let releases = pv::served(&view);
    let at = releases
        .iter()
        .position(|r| r.version == number)
        .ok_or_else(not_found)?;
    let release = releases[at];
    let before = releases.get(at + 1).copied();
    let standard = pv::standard(state, &view.entry.metadata.standard, view.standard_version.as_deref()).await?;
    let key = standard.map(|s| s.kunci_utama).unwrap_or_default();
    let diff = state
        .center()
        .release_changes(before, release, &key, DIFF_ROWS)
        .await
        .map_err(|e| Error::Internal { detail: e.to_string() })?;
    let page = view::VersionDiff {
        dataset: Named {
            slug: name.to_owned(),
            title: view.entry.metadata.title().to_owned(),
        },
        version: number,
        base: before.map(|b| b.version),
        key: diff.key.clone(),
        columns: (diff.columns_added.clone(), diff.columns_removed.clone()),
        changes: view::Changes {
            added: diff.added.count,
            changed: diff.changed.count,
            removed: diff.removed.count,
        },
        unchanged: diff.unchanged,
        added: (
            diff.columns_after.clone(),
            diff.added.items.iter().map(|r| r.values.clone()).collect(),
        ),
        removed: (
            diff.columns_before.clone(),
            diff.removed.items.iter().map(|r| r.values.clone()).collect(),
        ),
        changed: diff
            .changed
            .items
            .iter()
            .map(|c| {
                (
                    c.key.clone(),
                    c.cells
                        .iter()
                        .map(|cell| (cell.column.clone(), cell.before.clone(), cell.after.clone()))
                        .collect(),
                )
            })
            .collect(),
    };
    Ok(pages::version_diff(&visit.site, &page))
}

async fn organizations(State(state): State<AppState>, visit: Visit) -> Result<Response> {
    let p = packages(&state, &visit).await?;
    let all = pv::listed(&p, None, SearchSort::Name, 0, &["organization"]).await?;
    let counts = all.facets.get("organization").cloned().unwrap_or_default();
    let mut items: Vec<(Named, u64)> = p
        .all_organizations()
        .iter()
        .map(|(o, _)| {
            let n = counts.iter().find(|(s, _)| *s == o.slug).map_or(0, |(_, n)| *n);
            (
                Named {
                    slug: o.slug.clone(),
                    title: o.nama.clone(),
                },
                n,
            )
        })
        .collect();
    by_title(&mut items);
    Ok(visit.ok(pages::directory(&visit.site, Kind::Organization, &items)))
}

async fn organization(State(state): State<AppState>, visit: Visit, Path(slug): Path<String>) -> Result<Response> {
    let result = organization_page(&state, &visit, &slug).await;
    visit.answer(result)
}

async fn organization_page(state: &AppState, visit: &Visit, slug: &str) -> Result<Markup> {
    let p = packages(state, visit).await?;
    let (org, _) = p
        .all_organizations()
        .iter()
        .find(|(o, _)| o.slug == slug)
        .ok_or_else(|| Error::NotFound {
            kind: "organization",
            key: slug.to_owned(),
        })?;
    let lang = visit.site.lang;
    let mut about = Vec::new();
    if !org.singkatan.is_empty() {
        about.push((tr(lang, "Singkatan", "Abbreviation").to_owned(), org.singkatan.clone()));
    }
    if !org.kode_wilayah.is_empty() {
        let region = satudata_workflow::region_name(&org.kode_wilayah)
            .map_or(org.kode_wilayah.clone(), |n| format!("{n} ({})", org.kode_wilayah));
        about.push((tr(lang, "Wilayah", "Region").to_owned(), region));
    }
    if !org.email.is_empty() {
        about.push((tr(lang, "Surel", "E-mail").to_owned(), org.email.clone()));
    }
    let filter = Filter::Facet {
        facet: "organization".into(),
        value: slug.to_owned(),
    };
    let hits = pv::listed(&p, Some(filter), SearchSort::Title, 1000, &[]).await?;
    let group = Group {
        named: Named {
            slug: slug.to_owned(),
            title: org.nama.clone(),
        },
        about,
        datasets: pv::cards(&p, &hits),
    };
    Ok(pages::group(&visit.site, Kind::Organization, &group))
}

async fn topics(State(state): State<AppState>, visit: Visit) -> Result<Response> {
    let p = packages(&state, &visit).await?;
    let all = pv::listed(&p, None, SearchSort::Name, 0, &["groups"]).await?;
    let items = facet_named(&all, "groups", pv::topic_title);
    Ok(visit.ok(pages::directory(&visit.site, Kind::Topic, &items)))
}

async fn topic(State(state): State<AppState>, visit: Visit, Path(slug): Path<String>) -> Result<Response> {
    let result = topic_page(&state, &visit, &slug).await;
    visit.answer(result)
}

async fn topic_page(state: &AppState, visit: &Visit, slug: &str) -> Result<Markup> {
    let p = packages(state, visit).await?;
    let filter = Filter::Facet {
        facet: "groups".into(),
        value: slug.to_owned(),
    };
    let hits = pv::listed(&p, Some(filter), SearchSort::Title, 1000, &[]).await?;
    let title = hits
        .items
        .iter()
        .find_map(|h| h.entry.metadata.text("topic").filter(|t| group_name(t) == slug))
        .map(str::to_owned)
        .ok_or_else(|| Error::NotFound {
            kind: "group",
            key: slug.to_owned(),
        })?;
    let group = Group {
        named: Named {
            slug: slug.to_owned(),
            title,
        },
        about: Vec::new(),
        datasets: pv::cards(&p, &hits),
    };
    Ok(pages::group(&visit.site, Kind::Topic, &group))
}

async fn about(State(state): State<AppState>, visit: Visit) -> Result<Response> {
    let key = pv::public_key(&state, &visit.site.base);
    Ok(visit.ok(pages::about(&visit.site, &key)))
}

/// The data center's public key, as `satudata verify --public-key` reads it.
async fn key(State(state): State<AppState>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        format!("{}\n", state.center().public_key_hex()),
    )
        .into_response()
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        layout::CSS,
    )
        .into_response()
}

fn atom(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn site_feed(State(state): State<AppState>, visit: Visit) -> Result<Response> {
    let p = packages(&state, &visit).await?;
    let hits = pv::listed(&p, None, SearchSort::Modified, FEED_ENTRIES, &[]).await?;
    let entries: Vec<view::FeedEntry> = hits
        .items
        .iter()
        .filter_map(|h| {
            let latest = h.entry.latest.as_ref()?;
            Some(entry(&p, h, latest.version, time(&latest.created_at), latest.rows))
        })
        .collect();
    let base = &visit.site.base;
    let lang = visit.site.lang;
    Ok(atom(satudata_portal::atom::feed(
        tr(lang, "Satu Data: rilis terbaru", "Satu Data: new releases"),
        base,
        &format!("{base}/feeds/dataset.atom"),
        &entries,
        lang,
    )))
}

fn entry(
    p: &Packages<'_>,
    hit: &satudata_catalog::search::SearchHit,
    version: u32,
    published: chrono::DateTime<Utc>,
    rows: u64,
) -> view::FeedEntry {
    let m = &hit.entry.metadata;
    view::FeedEntry {
        dataset: Named {
            slug: hit.entry.name.clone(),
            title: m.title().to_owned(),
        },
        summary: m.text("description").unwrap_or_default().to_owned(),
        author: p.organization_view(&hit.entry.organization).title,
        version,
        published,
        rows,
    }
}

async fn dataset_feed(State(state): State<AppState>, visit: Visit, Path(file): Path<String>) -> Result<Response> {
    let not_found = || Error::NotFound {
        kind: "dataset",
        key: file.clone(),
    };
    let name = file.strip_suffix(".atom").ok_or_else(not_found)?;
    let view = read::visible_view(&state, &visit.actor, name).await?;
    let p = packages(&state, &visit).await?;
    let found = pv::listed(&p, Some(Filter::Name(name.to_owned())), SearchSort::Name, 1, &[]).await?;
    let hit = found.items.first().ok_or_else(not_found)?;
    let entries: Vec<view::FeedEntry> = pv::served(&view)
        .into_iter()
        .map(|r| entry(&p, hit, r.version, time(&r.created_at), r.rows))
        .collect();
    let base = &visit.site.base;
    let lang = visit.site.lang;
    Ok(atom(satudata_portal::atom::feed(
        &format!("{}: {}", hit.entry.metadata.title(), tr(lang, "rilis", "releases")),
        base,
        &format!("{base}/feeds/dataset/{name}.atom"),
        &entries,
        lang,
    )))
}
