//! The CKAN-compatible action API at `/api/3/action/{name}` and `/api/action/{name}` (GET, and
//! POST with a JSON body), so that `ckanapi`, ckanext-harvest's CKAN harvester and regional
//! portals read satudata as they read CKAN. `satudata-ckan` says what a call means and what its
//! answer looks like; this module finds the packages.
//!
//! `package_search` runs in the catalog's search index when its query translates (words to the
//! full-text index; `fq` terms on organization, groups, tags, res_format, name, id and the SDI
//! extras to facets; `metadata_modified`/`metadata_created` ranges to the change times; the
//! sorts CKAN clients send), with the facets counted by the database. Anything else in `q` or
//! `fq` (a phrase in `title`, `num_resources:[2 TO *]`, a license id) is evaluated in Rust by
//! `satudata_ckan::Expr::matches_at` over every dataset the caller may see: the one meaning of
//! a query, slower but never wrong.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use satudata_catalog::search::{Filter, SearchHits, SearchQuery, SearchSort, TextMatch};
use satudata_ckan::query::{Bound, Extra, Field, Point, Value as QValue};
use satudata_ckan::{ApiError, Expr, FacetItem, Params, SortField};
use satudata_core::access::Actor;
use serde_json::{Value, json};

use super::ckan_views::{Packages, site};
use crate::auth::{Credentials, resolve};
use crate::state::AppState;

/// The action routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/3/action/{action}", get(call_get).post(call_post))
        .route("/api/action/{action}", get(call_get).post(call_post))
}

async fn call_get(
    State(state): State<AppState>,
    Path(action): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let params = Params::from_query(query.as_deref().unwrap_or_default());
    call(
        &state,
        &action,
        &headers,
        Ok(params),
        query.as_deref().unwrap_or_default(),
    )
    .await
}

async fn call_post(
    State(state): State<AppState>,
    Path(action): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    // CKAN reads a POST's JSON body; an empty one is no parameters, and form posts are read too.
    let params = if body.iter().all(u8::is_ascii_whitespace) {
        Ok(Params::from_query(query.as_deref().unwrap_or_default()))
    } else if headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
    {
        Ok(Params::from_query(&String::from_utf8_lossy(&body)))
    } else {
        Params::from_json(&body)
    };
    // A POST's parameters are in its body: its `_links` carry none.
    call(&state, &action, &headers, params, "").await
}

/// One call: who asks, what they ask, and CKAN's answer.
async fn call(
    state: &AppState,
    action: &str,
    headers: &HeaderMap,
    params: satudata_ckan::Result<Params>,
    raw_query: &str,
) -> Response {
    let base = super::feeds::base_url(state, headers);
    let outcome = match satudata_ckan::check_action(action) {
        Err(e) => Err(e),
        Ok(action) => match params {
            Err(e) => Err(e),
            Ok(params) => match caller(state, headers).await {
                Err(e) => Err(e),
                Ok(actor) => {
                    let url = satudata_ckan::RequestUrl {
                        path: &format!("/api/3/action/{action}"),
                        query: raw_query,
                    };
                    run(state, &base, action, &actor, &params, url).await
                }
            },
        },
    };
    let answer = satudata_ckan::answer(&base, action, outcome);
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(answer.body)).into_response()
}

/// The caller: a token in `Authorization` (bare, as CKAN clients send it, or `Bearer`) or
/// `X-CKAN-API-Key`, else anonymous. A token that is not valid is refused.
async fn caller(state: &AppState, headers: &HeaderMap) -> satudata_ckan::Result<Actor> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let authorization = header("authorization").map(|v| {
        v.strip_prefix("Bearer ")
            .or_else(|| v.strip_prefix("bearer "))
            .unwrap_or(v)
            .trim()
    });
    let Some(token) = satudata_ckan::api_token(authorization, header("x-ckan-api-key")) else {
        return Ok(Actor::anonymous());
    };
    resolve(state, Credentials::Bearer(token.to_owned()))
        .await
        .map_err(|_| ApiError::Authorization("Token tidak sah / invalid token".into()))
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "CKAN action failed");
    ApiError::Internal("internal error".into())
}

async fn run(
    state: &AppState,
    base: &str,
    action: &str,
    actor: &Actor,
    params: &Params,
    url: satudata_ckan::RequestUrl<'_>,
) -> satudata_ckan::Result<Value> {
    let packages = Packages::new(state, base, actor).await.map_err(internal)?;
    match action {
        "status_show" => Ok(satudata_ckan::status_show(&site(base))),
        "help_show" => {
            let name = params.required_string("name")?;
            Ok(Value::String(satudata_ckan::help_show(&name)?.to_owned()))
        }
        "package_list" => {
            let list = satudata_ckan::PackageList::from_params(params)?;
            let hits = packages
                .search(&by_name(), list.limit.unwrap_or(u64::MAX / 2), list.offset)
                .await?;
            Ok(json!(
                hits.items.iter().map(|h| h.entry.name.clone()).collect::<Vec<_>>()
            ))
        }
        "current_package_list_with_resources" => {
            let list = satudata_ckan::PackageList::from_params(params)?;
            let mut q = by_name();
            q.sort = SearchSort::Modified;
            let hits = packages.search(&q, list.search_rows(), list.offset).await?;
            Ok(Value::Array(packages.dicts(&hits).await?))
        }
        "package_search" => package_search(&packages, &satudata_ckan::PackageSearch::from_params(params)?).await,
        "package_show" => {
            let show = satudata_ckan::PackageShow::from_params(params)?;
            let hit = packages.one(&show.id).await?;
            Ok(satudata_ckan::package_dict(&packages.view(&hit, true).await?))
        }
        "resource_show" => {
            let show = satudata_ckan::ResourceShow::from_params(params)?;
            packages.resource(&show.id).await
        }
        "organization_list" => {
            packages
                .organizations(&satudata_ckan::OrganizationList::from_params(params, "organizations")?)
                .await
        }
        "organization_show" => {
            packages
                .organization(&satudata_ckan::OrganizationShow::from_params(params)?)
                .await
        }
        "group_list" => {
            packages
                .groups(&satudata_ckan::GroupList::from_params(params, "groups")?)
                .await
        }
        "group_show" => packages.group(&satudata_ckan::GroupShow::from_params(params)?).await,
        "tag_list" => packages.tags(&satudata_ckan::TagList::from_params(params)?).await,
        "datastore_search" => {
            let search = satudata_ckan::DatastoreSearch::from_params(params)?;
            packages.datastore(&search, url).await
        }
        other => Err(ApiError::UnknownAction(other.to_owned())),
    }
}

fn by_name() -> SearchQuery {
    SearchQuery {
        sort: SearchSort::Name,
        ..SearchQuery::default()
    }
}

/// The facet a CKAN field or extra is indexed as.
fn facet_of(field: &Field) -> Option<&'static str> {
    Some(match field {
        Field::Organization => "organization",
        Field::Groups => "groups",
        Field::Tags => "tags",
        Field::ResFormat => "res_format",
        Field::Extra(Extra::FrekuensiPenerbitan) => "frequency",
        Field::Extra(Extra::LevelPenyajian) => "presentation_level",
        Field::Extra(Extra::StatusKerahasiaan) => "status_kerahasiaan",
        _ => return None,
    })
}

/// `expr` as a catalog filter, when every part of it translates exactly.
fn filter_of(expr: &Expr) -> Option<Filter> {
    let now = Utc::now();
    Some(match expr {
        Expr::All => Filter::Everything,
        Expr::Term { field, value } => {
            let (QValue::Word(word) | QValue::Phrase(word)) = value else {
                return None;
            };
            match field {
                Field::Name => Filter::Name(word.clone()),
                Field::Id => Filter::Id(word.clone()),
                Field::Type if word == "dataset" => Filter::Everything,
                other => Filter::Facet {
                    facet: facet_of(other)?.to_owned(),
                    value: word.clone(),
                },
            }
        }
        Expr::Range { field, lower, upper } => {
            let point = |b: &Bound| match b {
                Bound::Open => Some(None),
                Bound::Inclusive(Point::Date(d)) => d
                    .at(now)
                    .map(|t| Some(t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))),
                _ => None,
            };
            let (from, until) = (point(lower)?, point(upper)?);
            match field {
                Field::MetadataModified => Filter::Modified { from, until },
                Field::MetadataCreated => Filter::Created { from, until },
                _ => return None,
            }
        }
        Expr::Not(inner) => Filter::Not(Box::new(filter_of(inner)?)),
        Expr::And(all) => Filter::All(all.iter().map(filter_of).collect::<Option<_>>()?),
        Expr::Or(any) => Filter::Any(any.iter().map(filter_of).collect::<Option<_>>()?),
    })
}

/// Whether `q` is only words to look for (what the full-text index answers).
fn only_words(q: &Expr) -> bool {
    match q {
        Expr::Term { field: Field::Text, .. } => true,
        Expr::And(all) => all.iter().all(only_words),
        _ => false,
    }
}

/// The catalog's order for a CKAN sort, when it has one.
fn sort_of(sort: &satudata_ckan::Sort) -> Option<SearchSort> {
    let keys: Vec<(SortField, bool)> = sort.0.iter().map(|k| (k.field, k.descending)).collect();
    Some(match keys.as_slice() {
        [(SortField::Score, true), (SortField::MetadataModified, true)] | [(SortField::Score, true)] => {
            SearchSort::Relevance
        }
        [(SortField::Id, false)] => SearchSort::Id,
        [(SortField::Name, false)] => SearchSort::Name,
        [(SortField::TitleString, false)] => SearchSort::Title,
        [(SortField::MetadataModified, true)] => SearchSort::Modified,
        [(SortField::MetadataCreated, true)] => SearchSort::Created,
        [(SortField::Downloads, true)] => SearchSort::Downloads,
        _ => return None,
    })
}

/// The catalog facet counted for a CKAN `facet.field`.
fn facet_field(name: &str) -> Option<&'static str> {
    Field::parse(name).as_ref().and_then(facet_of)
}

async fn package_search(
    packages: &Packages<'_>,
    search: &satudata_ckan::PackageSearch,
) -> satudata_ckan::Result<Value> {
    let text = if only_words(&search.q) {
        let query = satudata_search::analyze_query(&search.q_text);
        match (query.to_fts5(), query.to_tsquery()) {
            (Some(fts5), Some(tsquery)) => Some(TextMatch { fts5, tsquery }),
            // Only stopwords: nothing to look for, every package matches.
            _ => None,
        }
    } else {
        None
    };
    let rest = if only_words(&search.q) {
        search.fq.clone()
    } else {
        Expr::And(vec![search.q.clone(), search.fq.clone()])
    };
    let translated = (
        filter_of(&rest),
        sort_of(&search.sort),
        search.facet_fields.iter().all(|f| facet_field(f).is_some()),
    );
    let (Some(filter), Some(sort), true) = translated else {
        return packages.search_in_memory(search, text, &rest).await;
    };
    let query = SearchQuery {
        text,
        filter: Some(filter),
        sort,
        facets: search
            .facet_fields
            .iter()
            .filter_map(|f| facet_field(f).map(str::to_owned))
            .collect(),
        facet_limit: search.facet_limit.map_or(u64::MAX, |l| l as u64),
        facet_mincount: search.facet_mincount,
        ..SearchQuery::default()
    };
    let hits = packages.search(&query, search.rows, search.start).await?;
    let counted = counted_facets(packages, search, &hits);
    let (facets, search_facets) = satudata_ckan::facet_values(&counted);
    Ok(json!({
        "count": hits.total,
        "facets": facets,
        "results": packages.dicts(&hits).await?,
        "sort": search.sort_text,
        "search_facets": search_facets,
    }))
}

/// The database's facet counts under the names the caller asked for, with display names.
fn counted_facets(
    packages: &Packages<'_>,
    search: &satudata_ckan::PackageSearch,
    hits: &SearchHits,
) -> Vec<(String, Vec<FacetItem>)> {
    search
        .facet_fields
        .iter()
        .map(|asked| {
            let facet = facet_field(asked).unwrap_or_default();
            let items = hits
                .facets
                .get(facet)
                .map(|values| {
                    values
                        .iter()
                        .map(|(name, count)| FacetItem {
                            display_name: packages.display_name(facet, name),
                            name: name.clone(),
                            count: *count,
                        })
                        .collect()
                })
                .unwrap_or_default();
            (asked.clone(), items)
        })
        .collect()
}

impl Packages<'_> {
    /// `package_search` by evaluating the query on every dataset the caller may see.
    async fn search_in_memory(
        &self,
        search: &satudata_ckan::PackageSearch,
        text: Option<TextMatch>,
        rest: &Expr,
    ) -> satudata_ckan::Result<Value> {
        let query = SearchQuery {
            text,
            sort: SearchSort::Relevance,
            ..SearchQuery::default()
        };
        let hits = self.search(&query, u64::MAX / 2, 0).await?;
        let now = Utc::now();
        let mut matched = Vec::new();
        for hit in &hits.items {
            let view = self.view(hit, false).await?;
            let fields = view.fields();
            if rest.matches_at(&fields, now) {
                matched.push((hit, fields));
            }
        }
        matched.sort_by(|a, b| search.sort.compare(&a.1, &b.1));
        let fields: Vec<_> = matched.iter().map(|(_, f)| f.clone()).collect();
        let start = usize::try_from(search.start).unwrap_or(usize::MAX).min(matched.len());
        let end = start
            .saturating_add(usize::try_from(search.rows).unwrap_or(usize::MAX))
            .min(matched.len());
        let mut page = Vec::new();
        for (hit, _) in &matched[start..end] {
            page.push(satudata_ckan::package_dict(&self.view(hit, true).await?));
        }
        Ok(satudata_ckan::package_search_result(search, &fields, page))
    }
}
