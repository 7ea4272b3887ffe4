//! `package_search`'s `facets` and `search_facets`, and the answer they are part of.

use serde_json::{Map, Value, json};

use crate::actions::PackageSearch;
use crate::query::{Field, PackageFields};

/// One facet value with its count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetItem {
    /// The value (`dinkes`).
    pub name: String,
    /// What people read (an organization's or group's title, else the value).
    pub display_name: String,
    /// How many matched packages have it.
    pub count: u64,
}

/// Counts `field`'s values over the matched packages: each package counts once per value;
/// sorted by count (descending) then name; at least `mincount`; at most `limit` (`None`: all).
pub fn facet(matched: &[PackageFields], field: &str, limit: Option<usize>, mincount: u64) -> Vec<FacetItem> {
    let Some(f) = Field::parse(field) else {
        return Vec::new();
    };
    let mut counts: Vec<FacetItem> = Vec::new();
    for p in matched {
        let mut seen: Vec<(String, String)> = match f {
            Field::Organization => vec![(p.organization.clone(), p.organization_title.clone())],
            Field::Groups => p.groups.clone(),
            Field::LicenseId => vec![(
                p.license_id.clone(),
                crate::package::license(&p.license_id).title.to_owned(),
            )],
            Field::MetadataModified => vec![(crate::package::ckan_time(p.metadata_modified), String::new())],
            Field::MetadataCreated => vec![(crate::package::ckan_time(p.metadata_created), String::new())],
            _ => p.values(f).into_iter().map(|v| (v.to_owned(), String::new())).collect(),
        };
        seen.sort();
        seen.dedup_by(|a, b| a.0 == b.0);
        for (name, title) in seen.into_iter().filter(|(n, _)| !n.is_empty()) {
            match counts.iter_mut().find(|i| i.name == name) {
                Some(item) => item.count += 1,
                None => {
                    let display_name = if title.trim().is_empty() { name.clone() } else { title };
                    counts.push(FacetItem {
                        name,
                        display_name,
                        count: 1,
                    });
                }
            }
        }
    }
    counts.retain(|i| i.count >= mincount);
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    if let Some(limit) = limit {
        counts.truncate(limit);
    }
    counts
}

/// `search_facets` lists its items as CKAN's `package_search` leaves them: sorted by
/// `display_name`, descending (after the count-ordered, limited list was taken).
fn by_display_name(items: &[FacetItem]) -> Vec<&FacetItem> {
    let mut sorted: Vec<&FacetItem> = items.iter().collect();
    sorted.sort_by(|a, b| b.display_name.cmp(&a.display_name));
    sorted
}

/// `facets` (`{"organization": {"dinkes": 3}}`, by count) and `search_facets`
/// (`{"organization": {"items": [{"name", "display_name", "count"}], "title": "organization"}}`)
/// for every field of `fields`, in the order asked.
pub fn facets(matched: &[PackageFields], fields: &[String], limit: Option<usize>, mincount: u64) -> (Value, Value) {
    let counted: Vec<(String, Vec<FacetItem>)> = fields
        .iter()
        .map(|field| (field.clone(), facet(matched, field, limit, mincount)))
        .collect();
    facet_values(&counted)
}

/// `facets` and `search_facets` from values already counted (by a database), per field in the
/// order asked, each field's items by count.
pub fn facet_values(counted: &[(String, Vec<FacetItem>)]) -> (Value, Value) {
    let mut plain = Map::new();
    let mut search = Map::new();
    for (field, items) in counted {
        plain.insert(
            field.clone(),
            items
                .iter()
                .map(|i| (i.name.clone(), Value::from(i.count)))
                .collect::<Map<_, _>>()
                .into(),
        );
        search.insert(
            field.clone(),
            json!({
                "items": by_display_name(items).iter().map(|i| json!({"count": i.count, "display_name": i.display_name, "name": i.name})).collect::<Vec<_>>(),
                "title": field,
            }),
        );
    }
    (Value::Object(plain), Value::Object(search))
}

/// The whole `package_search` result: `count`, `facets`, `results` (package dicts of the
/// page), `sort` and `search_facets`, with the facets counted over every matched package.
pub fn package_search_result(search: &PackageSearch, matched: &[PackageFields], page: Vec<Value>) -> Value {
    let (plain, structured) = facets(matched, &search.facet_fields, search.facet_limit, search.facet_mincount);
    json!({
        "count": matched.len(),
        "facets": plain,
        "results": page,
        "sort": search.sort_text,
        "search_facets": structured,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(org: &str, title: &str, tags: &[&str]) -> PackageFields {
        PackageFields {
            organization: org.into(),
            organization_title: title.into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..PackageFields::default()
        }
    }

    #[test]
    fn counts_sort_and_limits() {
        let m = vec![
            pkg("dinkes", "Dinas Kesehatan", &["a", "b"]),
            pkg("disdik", "Dinas Pendidikan", &["b"]),
            pkg("dinkes", "Dinas Kesehatan", &["c", "b", "b"]),
            pkg("bappeda", "", &["a"]),
        ];
        let orgs = facet(&m, "organization", None, 1);
        assert_eq!(
            orgs,
            vec![
                FacetItem {
                    name: "dinkes".into(),
                    display_name: "Dinas Kesehatan".into(),
                    count: 2
                },
                FacetItem {
                    name: "bappeda".into(),
                    display_name: "bappeda".into(),
                    count: 1
                },
                FacetItem {
                    name: "disdik".into(),
                    display_name: "Dinas Pendidikan".into(),
                    count: 1
                },
            ]
        );
        let tags: Vec<(String, u64)> = facet(&m, "tags", None, 1)
            .into_iter()
            .map(|i| (i.name, i.count))
            .collect();
        assert_eq!(tags, vec![("b".into(), 3), ("a".into(), 2), ("c".into(), 1)]);
        assert_eq!(facet(&m, "tags", Some(1), 1).len(), 1);
        assert_eq!(facet(&m, "tags", None, 2).len(), 2);
        assert_eq!(facet(&m, "tags", Some(0), 1).len(), 0);
        assert!(facet(&m, "colour", None, 1).is_empty());
    }

    #[test]
    fn search_facets_sort_by_display_name_descending() {
        let m = vec![
            pkg("a", "Zeta", &["x"]),
            pkg("b", "Alpha", &["x"]),
            pkg("b", "Alpha", &[]),
        ];
        let (plain, search) = facets(&m, &["organization".into()], None, 1);
        assert_eq!(plain["organization"], json!({"b": 2, "a": 1}));
        let names: Vec<&str> = search["organization"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["display_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Zeta", "Alpha"]);
        let licences = facet(
            &[PackageFields {
                license_id: "cc-zero".into(),
                ..PackageFields::default()
            }],
            "license_id",
            None,
            1,
        );
        assert_eq!(licences[0].display_name, "Creative Commons CCZero");
    }

    #[test]
    fn both_shapes() {
        let m = vec![pkg("dinkes", "Dinas Kesehatan", &[])];
        let (plain, search) = facets(&m, &["organization".into()], Some(50), 1);
        assert_eq!(plain, json!({"organization": {"dinkes": 1}}));
        assert_eq!(
            search,
            json!({"organization": {"items": [{"count": 1, "display_name": "Dinas Kesehatan", "name": "dinkes"}], "title": "organization"}})
        );
    }
}
