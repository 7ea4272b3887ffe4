//! The OpenAPI 3.1 document: a base (info, tags, the error schema) that the routes' own
//! annotations fill in (see [`crate::routes::router`]).

use std::sync::LazyLock;

use utoipa::{IntoParams, Modify, OpenApi};

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
        (name = "akun", description = "Sign-in, sessions, API tokens and accounts"),
        (name = "referensi", description = "Reference data: data standards, code lists, master data"),
        (name = "audit", description = "The hash-chained audit log"),
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&SecuritySchemes),
)]
struct Base;

// h-auth: the two ways to sign in, named by the routes' `security(...)`.
/// Adds the security schemes: `bearer` (an API token, `Authorization: Bearer sdt_…`) and
/// `cookie` (the `satudata_sesi` session cookie from `POST /api/v1/auth/login`; writes also
/// send `X-CSRF-Token`).
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        let bearer = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "An API token (`sdt_…`) from `POST /api/v1/tokens` or `satudata token create`",
            ))
            .build();
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
        let cookie = ApiKeyValue::with_description(
            crate::auth::SESSION_COOKIE,
            "The session from `POST /api/v1/auth/login`; every write also sends its `X-CSRF-Token`",
        );
        components.add_security_scheme("cookie", SecurityScheme::ApiKey(ApiKey::Cookie(cookie)));
    }
}

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
