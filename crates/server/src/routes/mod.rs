//! The routes, one file per resource; [`router`] lists them all, for the server and for the
//! OpenAPI document alike (utoipa-axum builds both from the same list, so they cannot drift).
//! They come in three groups by the body size they take: [`json_routes`] (the JSON body limit),
//! [`bulk_routes`] (reference CSV imports, the reference body limit) and [`upload_routes`]
//! (submitted files: streamed to disk up to the upload limit, with no request timeout).

mod admin_organizations;
pub mod audit;
mod datasets;
pub mod datasets_write;
mod operations;
mod organizations;
pub mod reference;
mod releases;
// h-sub
pub mod review;
mod session;
pub mod submissions;
pub mod switches;
mod tokens;
mod users;

use axum::http::Uri;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Error;
use crate::state::AppState;

/// Every route with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    json_routes().merge(bulk_routes()).merge(upload_routes())
}

/// The routes whose bodies (if any) are held to the JSON body limit.
pub fn json_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(crate::openapi::base())
        .routes(routes!(operations::healthz))
        .routes(routes!(operations::readyz))
        .routes(routes!(operations::metrics))
        .routes(routes!(operations::openapi))
        .routes(routes!(organizations::list))
        .routes(routes!(organizations::show))
        .routes(routes!(datasets::list))
        .routes(routes!(datasets::show))
        .routes(routes!(releases::list))
        .routes(routes!(releases::show))
        .routes(routes!(releases::file))
        // h-auth: sign-in, sessions, tokens, account administration
        .routes(routes!(session::login))
        .routes(routes!(session::logout))
        .routes(routes!(session::me))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::show, users::update))
        .routes(routes!(admin_organizations::create))
        .routes(routes!(admin_organizations::update))
        // h-ref: reference data, dataset registration, the audit log
        .routes(routes!(reference::standards_list))
        .routes(routes!(reference::standards_show, reference::standards_put))
        .routes(routes!(reference::code_lists_list))
        .routes(routes!(reference::code_lists_show))
        .routes(routes!(reference::master_data_list))
        .routes(routes!(reference::master_data_show))
        .routes(routes!(datasets_write::create))
        .routes(routes!(datasets_write::patch))
        .routes(routes!(audit::list))
        .routes(routes!(audit::verify))
        // h-sub: submissions, review, publishing, jobs
        .routes(routes!(submissions::list))
        .routes(routes!(submissions::show))
        .routes(routes!(submissions::report))
        .routes(routes!(submissions::diff))
        .routes(routes!(review::comments, review::comment))
        .routes(routes!(review::review))
        .routes(routes!(review::consent))
        .routes(routes!(review::publish))
        .routes(routes!(review::withdraw))
        .routes(routes!(review::job))
        .routes(routes!(switches::auto_approve))
        .routes(routes!(switches::consent))
}

/// The routes that take large bodies (reference CSV imports: the national region list is
/// ~91,600 rows), held to the reference body limit instead.
pub fn bulk_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // h-ref
        .routes(routes!(reference::code_lists_put))
        .routes(routes!(reference::master_data_put))
}

// h-sub
/// The routes that take submitted files: streamed to disk and counted against the upload
/// limit by the handler itself, and not held to the request timeout (a large file on a slow
/// line takes long).
pub fn upload_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(submissions::create))
}

/// The answer for a path no route has.
pub async fn no_route(uri: Uri) -> Error {
    Error::RouteNotFound {
        path: uri.path().to_owned(),
    }
}
