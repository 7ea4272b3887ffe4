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
    static DOC: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(|| {
        let mut doc = crate::routes::router().into_openapi();
        add_shared_errors(&mut doc);
        doc
    });
    &DOC
}

/// The path of this document, the one API route that reads no credentials.
const DOCUMENT_PATH: &str = "/api/v1/openapi.json";

/// Documents the errors every route shares, on each operation that does not already: `400` on
/// an operation that takes `?lang=` (the error middleware refuses an unknown language before
/// any handler runs), and `401` on every `/api/v1` operation but this document (each reads its
/// caller, and an `Authorization` header that is not a known bearer token is refused there);
/// `413`, `415` and `422` on an operation that takes a body; `403` on every write (the CSRF check
/// of cookie-authenticated writes). A route's own description of the status, when it has one,
/// is kept.
fn add_shared_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    for (path, item) in doc.paths.paths.iter_mut() {
        let api = path.starts_with("/api/v1/") && path != DOCUMENT_PATH;
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        let writes = [false, true, true, true, false, false, true, false];
        for (operation, operation_writes) in operations.into_iter().zip(writes) {
            let Some(operation) = operation else { continue };
            let takes_lang = operation
                .parameters
                .iter()
                .flatten()
                .any(|p| p.name == "lang" && p.parameter_in == ParameterIn::Query);
            let responses = &mut operation.responses.responses;
            if takes_lang {
                responses
                    .entry("400".into())
                    .or_insert_with(|| error_response("A bad parameter, or an unknown language"));
            }
            if api {
                responses.entry("401".into()).or_insert_with(|| {
                    error_response("Credentials that are not known: an unknown, expired or revoked bearer token")
                });
            }
            // A body is refused before its handler reads it: wrong content type, too large, not
            // JSON of its shape; and a cookie-authenticated write without its CSRF token.
            if operation.request_body.is_some() {
                responses
                    .entry("413".into())
                    .or_insert_with(|| error_response("The body is larger than this route takes"));
                responses
                    .entry("415".into())
                    .or_insert_with(|| error_response("The body's content type is not one this route takes"));
                responses
                    .entry("422".into())
                    .or_insert_with(|| error_response("The body is not of the expected shape"));
            }
            if api && operation_writes {
                responses.entry("403".into()).or_insert_with(|| {
                    error_response("Not allowed, or a cookie-authenticated write without its CSRF token")
                });
            }
        }
    }
}

/// A response with the error body.
fn error_response(description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .build();
    ResponseBuilder::new()
        .description(description)
        .content("application/json", content)
        .build()
        .into()
}

/// The whole document as JSON.
pub fn document_json() -> &'static str {
    static JSON: LazyLock<String> = LazyLock::new(|| document().to_json().unwrap_or_default());
    &JSON
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(path: &str) -> Vec<String> {
        let item = &document().paths.paths[path];
        let operation = item.get.as_ref().unwrap();
        operation.responses.responses.keys().cloned().collect()
    }

    #[test]
    fn every_api_operation_documents_the_shared_errors() {
        // A route that documented neither gets both.
        let show = statuses("/api/v1/datasets/{name}");
        assert!(
            show.contains(&"400".to_owned()) && show.contains(&"401".to_owned()),
            "{show:?}"
        );
        // The document itself reads no credentials and takes no `lang`.
        assert_eq!(statuses(DOCUMENT_PATH), ["200"]);
        // Operations outside /api/v1 read no credentials either.
        assert!(!statuses("/healthz").contains(&"401".to_owned()));
    }

    #[test]
    fn a_route_keeps_its_own_words_for_a_shared_error() {
        let list = &document().paths.paths["/api/v1/datasets"];
        let responses = &list.get.as_ref().unwrap().responses.responses;
        let utoipa::openapi::RefOr::T(bad) = &responses["400"] else {
            panic!("400 is inline")
        };
        assert_eq!(bad.description, "Bad paging, filter or language");
    }
}
