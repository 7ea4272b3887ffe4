//! The OpenAPI 3.1 document: a base (info, tags, the error schema) that the routes' own
//! annotations fill in (see [`crate::routes::router`]).

use std::sync::LazyLock;

use utoipa::{IntoParams, OpenApi};

use crate::error::{ErrorBody, ErrorDetail};

/// The information every route shares.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "satudata",
        description = "API Satu Data: katalog dataset, rilis, dan berkasnya (Satu Data API: the dataset catalog, releases and their files). Every error answers with the ErrorBody schema; every list pages with limit and offset.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    tags(
        (name = "operasi", description = "Operations: health, readiness, metrics, this document"),
        (name = "organisasi", description = "Organizations (perangkat daerah)"),
        (name = "dataset", description = "Datasets and their metadata"),
        (name = "rilis", description = "Releases and their files"),
        (name = "referensi", description = "Reference data: data standards, code lists, master data"),
        (name = "audit", description = "The hash-chained audit log"),
    ),
    components(schemas(ErrorBody, ErrorDetail)),
)]
struct Base;

/// The base document the routes are added to.
pub fn base() -> utoipa::openapi::OpenApi {
    let mut doc = Base::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}

/// `?lang=`, which every route takes.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct LangParam {
    /// Language of error messages: `id` (default) or `en`; `Accept-Language` when absent.
    #[param(pattern = "^(id|en)$")]
    lang: Option<String>,
}

/// The whole document.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(|| crate::routes::router().into_openapi());
    &DOC
}

/// The whole document as JSON.
pub fn document_json() -> &'static str {
    static JSON: LazyLock<String> = LazyLock::new(|| document().to_json().unwrap_or_default());
    &JSON
}
