//! The CKAN action API's wire model, with no HTTP and no database: what a request to
//! `/api/3/action/{name}` means and what its answer looks like, so that `ckanapi`, the
//! ckanext-harvest CKAN harvester and regional portals read satudata as they read CKAN.
//!
//! The data flow of one call, which the server (axum) drives and the catalog serves:
//!
//! 1. [`check_action`] refuses a name CKAN would not know (a bare 400 string).
//! 2. [`Params::from_query`] (GET) or [`Params::from_json`] (POST) reads the raw parameters;
//!    a typed struct ([`PackageSearch`], [`PackageShow`], [`DatastoreSearch`], [`GroupList`],
//!    [`GroupShow`], [`TagList`], [`PackageList`]) applies CKAN's defaults, limits and
//!    coercions, answering bad values with a `Validation Error` that names the field.
//! 3. `q` and `fq` are parsed by [`query::parse`] into an [`Expr`] (the Solr-lite language
//!    clients write: `field:value`, `-field:value`, `OR`, quoted values, ranges, `*:*`);
//!    [`Expr::matches_at`] over [`PackageFields`] is the one meaning of a filter that the SQL
//!    translation is tested against. `sort` is a [`Sort`].
//! 4. The integrator finds the packages and builds the result from view structs:
//!    [`package_dict`] from a [`DatasetView`], [`organization_show`], [`group_show`],
//!    [`package_search_result`] with [`facets`], [`datastore_result`] from rows it read.
//! 5. [`answer`] wraps the outcome in CKAN's envelope, or turns an [`ApiError`] into its
//!    status and body.
//!
//! Around them: [`api_token`] (the `Authorization` or `X-CKAN-API-Key` header),
//! [`status_show`], [`help_show`], and `Display` on [`Expr`], which writes a query back so that
//! it parses to itself.
//!
//! ```
//! use satudata_ckan::{answer, Params, PackageSearch, PackageFields, query};
//! let params = Params::from_query("fq=organization:dinkes+OR+organization:bappeda&rows=5");
//! let search = PackageSearch::from_params(&params).unwrap();
//! assert_eq!(search.rows, 5);
//! let dinkes = PackageFields { organization: "dinkes".into(), ..PackageFields::default() };
//! assert!(search.filter().matches(&dinkes));
//!
//! let bad = PackageSearch::from_params(&Params::from_query("rows=-1")).unwrap_err();
//! let a = answer("https://data.example.go.id", "package_search", Err(bad));
//! assert_eq!(a.status, 409);
//! assert_eq!(a.body["error"]["rows"][0], "Must be a natural number");
//! ```

#![forbid(unsafe_code)]

mod actions;
mod datastore;
mod envelope;
mod error;
mod facets;
mod package;
mod params;
pub mod query;
mod sort;

pub use actions::{
    DATASTORE_LIMIT_DEFAULT, DATASTORE_LIMIT_MAX, DatastoreQ, DatastoreSearch, DatastoreSortKey, FACET_LIMIT_DEFAULT,
    Filters, GROUP_LIST_ALL_FIELDS_MAX, GROUP_LIST_MAX, GroupList, GroupShow, GroupSort, OrganizationList,
    OrganizationShow, PackageList, PackageSearch, PackageShow, ROWS_DEFAULT, ROWS_MAX, RecordsFormat, ResourceShow,
    SHOW_DATASETS, Show, TagList,
};
pub use datastore::{Column, ColumnType, RequestUrl, Row, datastore_result, links};
pub use envelope::{
    ACTIONS, Answer, CKAN_COMPAT_VERSION, Envelope, SiteInfo, answer, check_action, help_show, help_url, status_show,
};
pub use error::{ApiError, Error, FieldErrors, Result};
pub use facets::{FacetItem, facet, facet_values, facets, package_search_result};
pub use package::{
    DatasetView, FileView, GroupView, License, OrganizationView, ReleaseView, SHA256_SPDX, ckan_time, group_dict,
    group_show, license, organization_dict, organization_show, package_dict, package_group, package_organization,
    resource_dict, resource_show, stable_id, tag_dict,
};
pub use params::{Params, api_token};
pub use query::{Expr, PackageFields};
pub use sort::{DEFAULT_SORT, Sort, SortField, SortKey};
