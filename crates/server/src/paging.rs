//! One paging style for every list, and the query extractor that refuses unknown parameters.
//!
//! `?limit=` (default [`DEFAULT_LIMIT`], at most [`MAX_LIMIT`]) and `&offset=` (default 0);
//! the body is a [`Page`]: `{"items": [...], "total", "limit", "offset", "links": {"self",
//! "next", "prev"}}`, the links keeping the request's other parameters. A limit or offset that
//! is not a whole number in range is `bad-paging` (400), never clamped silently.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::{IntoParams, ToSchema};

use crate::error::Error;
use crate::state::AppState;

/// Items on a page when `limit` is not given.
pub const DEFAULT_LIMIT: u64 = 50;
/// The largest `limit`.
pub const MAX_LIMIT: u64 = 500;
/// The largest `offset` (far past any catalog; keeps the number inside the databases' integers).
pub const MAX_OFFSET: u64 = 1_000_000_000_000;

/// The parameters that are not a route's own filters.
const SHARED: [&str; 3] = ["limit", "offset", "lang"];

/// Paging parameters, as the OpenAPI document describes them.
#[derive(Debug, Clone, Copy, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PagingParams {
    /// Items per page (1 to 500, default 50).
    #[param(minimum = 1, maximum = 500, default = 50)]
    limit: Option<u64>,
    /// Items to skip (0 to 1,000,000,000,000, default 0).
    #[param(minimum = 0, maximum = 1_000_000_000_000_u64, default = 0)]
    offset: Option<u64>,
}

/// A request's page: its limit and offset, and what its links are made of.
#[derive(Debug, Clone)]
pub struct Paging {
    /// Items per page.
    pub limit: u64,
    /// Items skipped.
    pub offset: u64,
    base: String,
    others: Vec<(String, String)>,
}

fn number(parameter: &'static str, value: &str, range: std::ops::RangeInclusive<u64>) -> Result<u64, Error> {
    let bad = || Error::BadPaging {
        parameter,
        value: value.to_owned(),
    };
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    value.parse().ok().filter(|n| range.contains(n)).ok_or_else(bad)
}

impl Paging {
    /// Reads `limit` and `offset` from a query string; `base` is the link prefix (path, or the
    /// public URL and the path).
    pub fn parse(query: Option<&str>, base: String) -> Result<Self, Error> {
        let mut limit = DEFAULT_LIMIT;
        let mut offset = 0;
        let mut seen = [false; 2];
        let mut others = Vec::new();
        for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let (index, parameter) = match key.as_ref() {
                "limit" => (0, "limit"),
                "offset" => (1, "offset"),
                _ => {
                    others.push((key.into_owned(), value.into_owned()));
                    continue;
                }
            };
            if std::mem::replace(&mut seen[index], true) {
                return Err(Error::BadPaging {
                    parameter,
                    value: value.into_owned(),
                });
            }
            match index {
                0 => limit = number("limit", &value, 1..=MAX_LIMIT)?,
                _ => offset = number("offset", &value, 0..=MAX_OFFSET)?,
            }
        }
        Ok(Paging {
            limit,
            offset,
            base,
            others,
        })
    }

    fn link(&self, offset: u64) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.others {
            query.append_pair(k, v);
        }
        query.append_pair("limit", &self.limit.to_string());
        query.append_pair("offset", &offset.to_string());
        format!("{}?{}", self.base, query.finish())
    }

    /// The page of `items` out of `total`.
    pub fn page<T>(&self, items: Vec<T>, total: u64) -> Page<T> {
        let next = self.offset.saturating_add(self.limit);
        Page {
            items,
            total,
            limit: self.limit,
            offset: self.offset,
            links: Links {
                this: self.link(self.offset),
                next: (next < total).then(|| self.link(next)),
                prev: (self.offset > 0).then(|| self.link(self.offset.saturating_sub(self.limit))),
            },
        }
    }
}

impl FromRequestParts<AppState> for Paging {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let base = format!(
            "{}{}",
            state.config().public_url.as_deref().unwrap_or(""),
            parts.uri.path()
        );
        Paging::parse(parts.uri.query(), base)
    }
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items there are over all pages.
    pub total: u64,
    /// Items per page.
    pub limit: u64,
    /// Items skipped before this page.
    pub offset: u64,
    /// This page, the next and the previous.
    pub links: Links,
}

/// Links to pages of the same list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Links {
    /// This page.
    #[serde(rename = "self")]
    #[schema(rename = "self")]
    pub this: String,
    /// The next page, if there are more items.
    pub next: Option<String>,
    /// The previous page, if this is not the first.
    pub prev: Option<String>,
}

/// A route's own query parameters (`T`, which should refuse unknown fields), read beside the
/// shared ones (`limit`, `offset`, `lang`); a bad one is `bad-query` (400).
#[derive(Debug, Clone)]
pub struct Filters<T>(pub T);

impl<T: DeserializeOwned, S: Sync> FromRequestParts<S> for Filters<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        let mut own = form_urlencoded::Serializer::new(String::new());
        for (k, v) in form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes()) {
            if !SHARED.contains(&k.as_ref()) {
                own.append_pair(&k, &v);
            }
        }
        let uri: axum::http::Uri = format!("/?{}", own.finish())
            .parse()
            .map_err(|_| Error::BadQuery { detail: "query".into() })?;
        axum::extract::Query::<T>::try_from_uri(&uri)
            .map(|q| Filters(q.0))
            .map_err(|rejection| Error::BadQuery {
                detail: rejection.body_text(),
            })
    }
}

/// The filters of a list that has none: any parameter beyond the shared ones is `bad-query`.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoFilters {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document states the bounds [`Paging::parse`] enforces: a client that keeps to the
    /// document is never refused, one that does not always is.
    #[test]
    fn the_document_states_the_bounds_parse_enforces() {
        let params = <PagingParams as IntoParams>::into_params(|| None);
        let bounds = |name: &str| {
            let p = params.iter().find(|p| p.name == name).unwrap();
            let json = serde_json::to_value(p.schema.as_ref().unwrap()).unwrap();
            (json["minimum"].as_u64().unwrap(), json["maximum"].as_u64().unwrap())
        };
        assert_eq!(bounds("limit"), (1, MAX_LIMIT));
        assert_eq!(bounds("offset"), (0, MAX_OFFSET));
        for (limit, offset) in [(1, 0), (MAX_LIMIT, MAX_OFFSET)] {
            let query = format!("limit={limit}&offset={offset}");
            Paging::parse(Some(&query), String::new()).unwrap();
        }
        for query in [
            format!("limit={}", MAX_LIMIT + 1),
            "limit=0".to_owned(),
            format!("offset={}", MAX_OFFSET + 1),
        ] {
            assert!(Paging::parse(Some(&query), String::new()).is_err(), "{query}");
        }
    }

    #[test]
    fn defaults_bounds_and_links() {
        let p = Paging::parse(None, "/x".into()).unwrap();
        assert_eq!((p.limit, p.offset), (DEFAULT_LIMIT, 0));
        let p = Paging::parse(Some("q=a%20b&limit=2&offset=2"), "/x".into()).unwrap();
        let page = p.page(vec![1, 2], 5);
        assert_eq!(page.links.this, "/x?q=a+b&limit=2&offset=2");
        assert_eq!(page.links.next.as_deref(), Some("/x?q=a+b&limit=2&offset=4"));
        assert_eq!(page.links.prev.as_deref(), Some("/x?q=a+b&limit=2&offset=0"));
        let last = Paging::parse(Some("limit=2&offset=4"), "/x".into())
            .unwrap()
            .page(vec![5], 5);
        assert_eq!(last.links.next, None);
        let first = Paging::parse(Some("limit=500"), "/x".into())
            .unwrap()
            .page(Vec::<u8>::new(), 0);
        assert_eq!((first.links.next, first.links.prev), (None, None));
    }

    #[test]
    fn bad_paging_is_refused_not_clamped() {
        for query in [
            "limit=0",
            "limit=501",
            "limit=-1",
            "limit=abc",
            "limit=",
            "limit=1.5",
            "limit=+5",
            "offset=-1",
            "offset=99999999999999999999",
            "offset=1000000000001",
            "limit=5&limit=6",
        ] {
            assert!(
                matches!(Paging::parse(Some(query), "/".into()), Err(Error::BadPaging { .. })),
                "{query}"
            );
        }
    }
}
