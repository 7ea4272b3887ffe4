//! The answer around every action's result (`ckan/views/api.py: action`).

use serde::Serialize;
use serde_json::Value;

use crate::error::ApiError;

/// The actions this crate models; anything else is answered as CKAN answers an unknown action.
pub const ACTIONS: &[&str] = &[
    "package_list",
    "current_package_list_with_resources",
    "package_search",
    "package_show",
    "organization_list",
    "organization_show",
    "group_list",
    "group_show",
    "tag_list",
    "resource_show",
    "status_show",
    "datastore_search",
    "help_show",
];

/// Whether `name` is one of [`ACTIONS`]; otherwise [`ApiError::UnknownAction`].
pub fn check_action(name: &str) -> Result<&str, ApiError> {
    if ACTIONS.contains(&name) {
        Ok(name)
    } else {
        Err(ApiError::UnknownAction(name.to_owned()))
    }
}

/// `help`: the URL of `help_show` for the action, as CKAN builds it with `url_for(..., _external=True)`.
///
/// Both `/api/3/action/{name}` and `/api/action/{name}` answer with the version-3 URL, as the
/// unversioned route defaults to version 3.
pub fn help_url(site_url: &str, action: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("name", action);
    format!(
        "{}/api/3/action/help_show?{}",
        site_url.trim_end_matches('/'),
        query.finish()
    )
}

/// A successful answer: `{"help", "success": true, "result"}`, sent with HTTP 200.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Envelope<T> {
    /// [`help_url`] of the action.
    pub help: String,
    /// Always `true`.
    pub success: bool,
    /// What the action returns.
    pub result: T,
}

impl<T> Envelope<T> {
    /// Wraps `result` for `action` on the site at `site_url`.
    pub fn ok(site_url: &str, action: &str, result: T) -> Self {
        Self {
            help: help_url(site_url, action),
            success: true,
            result,
        }
    }
}

/// A whole response: status and JSON body, success or error alike.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The JSON body (the envelope, or a bare string for an unknown action or a bad body).
    pub body: Value,
}

/// The answer to `action` given its outcome: the one place where results and errors become a
/// status and a body.
pub fn answer(site_url: &str, action: &str, outcome: Result<Value, ApiError>) -> Answer {
    match outcome {
        Ok(result) => Answer {
            status: 200,
            body: serde_json::json!({ "help": help_url(site_url, action), "success": true, "result": result }),
        },
        Err(e) => Answer {
            status: e.status(),
            body: e.body(&help_url(site_url, action)),
        },
    }
}

/// `help_show`'s result: the action's documentation, or `Not found: Action function not found`
/// for a name that is not an action, as CKAN answers.
pub fn help_show(name: &str) -> Result<&'static str, ApiError> {
    let text = match name {
        "package_list" => "Return a list of the names of the site's public datasets, ordered by name (limit, offset).",
        "current_package_list_with_resources" => {
            "Return a list of the site's public datasets with their resources, newest first (limit, offset)."
        }
        "package_search" => {
            "Search the datasets: q, fq (field:value, -field:value, OR, ranges), rows (at most 1000), start, \
             sort, facet.field, facet.limit, facet.mincount, include_private. Returns count, results, facets \
             and search_facets."
        }
        "package_show" => "Return the metadata of a dataset and its resources (id: the dataset's id or name).",
        "organization_list" => {
            "Return the names of the organizations, or their dicts with all_fields (sort, limit, offset)."
        }
        "organization_show" => "Return an organization (id), with its first 10 datasets when include_datasets is true.",
        "group_list" => {
            "Return the names of the groups (topics), or their dicts with all_fields (sort, limit, offset)."
        }
        "group_show" => "Return a group (id), with its first 10 datasets when include_datasets is true.",
        "tag_list" => "Return the tags of the public datasets (query, all_fields).",
        "resource_show" => "Return the metadata of a resource (id).",
        "status_show" => "Return the site's title, URL, default locale, CKAN compatibility version and extensions.",
        "datastore_search" => {
            "Search the rows of a resource: resource_id, filters, q, fields, sort, limit (at most 32000), \
             offset, include_total, records_format (objects, lists, csv, tsv). Returns fields, records, total \
             and _links."
        }
        "help_show" => "Return the help text of an action (name).",
        _ => return Err(ApiError::NotFound("Action function not found".into())),
    };
    Ok(text)
}

/// The CKAN release whose action API this crate follows, reported as `ckan_version`.
pub const CKAN_COMPAT_VERSION: &str = "2.11.5";

/// What `status_show` reports about the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteInfo {
    /// `site_title`.
    pub title: String,
    /// `site_description`.
    pub description: String,
    /// `site_url`, without a trailing slash.
    pub url: String,
    /// `locale_default` (`id`).
    pub locale: String,
}

/// `status_show`'s result. `extensions` names the CKAN plugins whose actions are served.
pub fn status_show(site: &SiteInfo) -> Value {
    serde_json::json!({
        "ckan_version": CKAN_COMPAT_VERSION,
        "site_url": site.url.trim_end_matches('/'),
        "site_description": site.description,
        "site_title": site.title,
        "error_emails_to": null,
        "locale_default": site.locale,
        "extensions": ["datastore"],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn help_is_help_show_for_the_action() {
        assert_eq!(
            help_url("https://data.example.go.id/", "package_search"),
            "https://data.example.go.id/api/3/action/help_show?name=package_search"
        );
    }

    #[test]
    fn success_envelope() {
        let e = Envelope::ok("http://x", "package_list", vec!["a"]);
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"help": "http://x/api/3/action/help_show?name=package_list", "success": true, "result": ["a"]})
        );
        let a = answer("http://x", "package_list", Ok(json!(["a"])));
        assert_eq!(a.status, 200);
        assert_eq!(a.body, serde_json::to_value(&e).unwrap());
    }

    #[test]
    fn error_envelope() {
        let a = answer("http://x", "package_show", Err(ApiError::NotFound(String::new())));
        assert_eq!(a.status, 404);
        assert_eq!(
            a.body,
            json!({"help": "http://x/api/3/action/help_show?name=package_show", "success": false,
                   "error": {"__type": "Not Found Error", "message": "Not found"}})
        );
    }

    #[test]
    fn every_action_has_help() {
        for action in ACTIONS {
            assert!(help_show(action).is_ok_and(|t| !t.is_empty()), "{action}");
        }
        assert_eq!(
            help_show("pakage_show").unwrap_err().error_value()["message"],
            "Not found: Action function not found"
        );
    }

    #[test]
    fn status() {
        let site = SiteInfo {
            title: "Satu Data Kota Pontianak".into(),
            description: String::new(),
            url: "https://data.pontianak.go.id/".into(),
            locale: "id".into(),
        };
        let s = status_show(&site);
        assert_eq!(s["site_url"], "https://data.pontianak.go.id");
        assert_eq!(s["ckan_version"], CKAN_COMPAT_VERSION);
        assert_eq!(s["locale_default"], "id");
    }

    #[test]
    fn unknown_action() {
        let e = check_action("pakage_show").unwrap_err();
        let a = answer("http://x", "pakage_show", Err(e));
        assert_eq!(a.status, 400);
        assert_eq!(a.body, json!("Bad request - Action name not known: pakage_show"));
        assert!(check_action("package_show").is_ok());
    }
}
