//! `package_search`'s `sort`: `score desc, metadata_modified desc` and its kin.

use std::cmp::Ordering;

use crate::error::{ApiError, Result};
use crate::query::PackageFields;

/// CKAN's default `sort`.
pub const DEFAULT_SORT: &str = "score desc, metadata_modified desc";

/// A field `package_search` can sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SortField {
    /// `score`: relevance to `q` (every package ties when `q` is `*:*`).
    Score,
    /// `id`: the stable order a harvester pages by.
    Id,
    /// `name`.
    Name,
    /// `title_string`: the title as one string.
    TitleString,
    /// `metadata_modified`.
    MetadataModified,
    /// `metadata_created`.
    MetadataCreated,
    /// `views_recent`, `views_total`: downloads here.
    Downloads,
}

impl SortField {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "score" => Self::Score,
            "id" => Self::Id,
            "name" => Self::Name,
            "title_string" => Self::TitleString,
            "metadata_modified" => Self::MetadataModified,
            "metadata_created" => Self::MetadataCreated,
            "views_recent" | "views_total" => Self::Downloads,
            _ => return None,
        })
    }
}

/// One `field direction` clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey {
    /// The field.
    pub field: SortField,
    /// `desc` (otherwise `asc`).
    pub descending: bool,
}

/// A parsed `sort`: its clauses in order of precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort(pub Vec<SortKey>);

impl Sort {
    /// Parses `sort`. A blank value is [`DEFAULT_SORT`]; an unknown field or direction is the
    /// `Search Query Error` CKAN answers (`Invalid "sort" parameter`).
    pub fn parse(text: &str) -> Result<Sort> {
        let text = if text.trim().is_empty() { DEFAULT_SORT } else { text };
        let invalid = || ApiError::SearchQuery("Invalid \"sort\" parameter".into());
        let mut keys = Vec::new();
        for clause in text.split(',') {
            let mut words = clause.split_whitespace();
            let field = words.next().and_then(SortField::parse).ok_or_else(invalid)?;
            let descending = match words.next().map(str::to_ascii_lowercase).as_deref() {
                Some("asc") => false,
                Some("desc") => true,
                _ => return Err(invalid()),
            };
            if words.next().is_some() || keys.len() >= 8 {
                return Err(invalid());
            }
            keys.push(SortKey { field, descending });
        }
        Ok(Sort(keys))
    }

    /// The order over in-memory packages that the SQL `ORDER BY` must agree with: the keys in
    /// turn (`score` ties everywhere here: ranking is the full-text index's), then `id`, so
    /// that equal keys still page the same way every time.
    pub fn compare(&self, a: &PackageFields, b: &PackageFields) -> Ordering {
        for key in &self.0 {
            let o = match key.field {
                SortField::Score => Ordering::Equal,
                SortField::Id => a.id.cmp(&b.id),
                SortField::Name => a.name.cmp(&b.name),
                SortField::TitleString => a.title.cmp(&b.title),
                SortField::MetadataModified => a.metadata_modified.cmp(&b.metadata_modified),
                SortField::MetadataCreated => a.metadata_created.cmp(&b.metadata_created),
                SortField::Downloads => a.downloads.cmp(&b.downloads),
            };
            let o = if key.descending { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.id.cmp(&b.id)
    }

    /// The default order.
    pub fn default_order() -> Sort {
        Sort(vec![
            SortKey {
                field: SortField::Score,
                descending: true,
            },
            SortKey {
                field: SortField::MetadataModified,
                descending: true,
            },
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(field: SortField, descending: bool) -> SortKey {
        SortKey { field, descending }
    }

    #[test]
    fn known_orders() {
        assert_eq!(Sort::parse("").unwrap(), Sort::default_order());
        assert_eq!(Sort::parse(DEFAULT_SORT).unwrap(), Sort::default_order());
        assert_eq!(Sort::parse("id asc").unwrap(), Sort(vec![key(SortField::Id, false)]));
        assert_eq!(
            Sort::parse("name asc").unwrap(),
            Sort(vec![key(SortField::Name, false)])
        );
        assert_eq!(
            Sort::parse("metadata_modified desc").unwrap(),
            Sort(vec![key(SortField::MetadataModified, true)])
        );
        assert_eq!(
            Sort::parse("title_string ASC").unwrap(),
            Sort(vec![key(SortField::TitleString, false)])
        );
        assert_eq!(
            Sort::parse(" name desc ,id asc").unwrap(),
            Sort(vec![key(SortField::Name, true), key(SortField::Id, false)])
        );
    }

    #[test]
    fn compare_uses_keys_then_id() {
        let p = |id: &str, name: &str, downloads: u64| PackageFields {
            id: id.into(),
            name: name.into(),
            downloads,
            ..PackageFields::default()
        };
        let mut v = [p("3", "b", 5), p("1", "b", 9), p("2", "a", 5)];
        v.sort_by(|a, b| Sort::parse("name asc").unwrap().compare(a, b));
        assert_eq!(v.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["2", "1", "3"]);
        v.sort_by(|a, b| Sort::parse("views_total desc, name desc").unwrap().compare(a, b));
        assert_eq!(v.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["1", "3", "2"]);
        v.sort_by(|a, b| Sort::default_order().compare(a, b));
        assert_eq!(
            v.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
            ["1", "2", "3"],
            "all tie: by id"
        );
    }

    #[test]
    fn unknown_is_a_search_query_error() {
        for bad in [
            "colour asc",
            "name",
            "name up",
            "name asc extra",
            "name asc,",
            ",",
            "title asc",
        ] {
            assert_eq!(
                Sort::parse(bad).unwrap_err(),
                ApiError::SearchQuery("Invalid \"sort\" parameter".into()),
                "{bad}"
            );
        }
    }
}
