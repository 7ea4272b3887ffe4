//! The routes, one file per resource; [`router`] lists them all, for the server and for the
//! OpenAPI document alike (utoipa-axum builds both from the same list, so they cannot drift).
//! They come in two groups by the body size they take: [`json_routes`] (the JSON body limit)
//! and [`bulk_routes`] (reference CSV imports, the reference body limit).

mod admin_organizations;
pub mod audit;
mod datasets;
pub mod datasets_write;
mod operations;
mod organizations;
pub mod reference;
mod releases;
mod session;
mod tokens;
mod users;

use axum::http::Uri;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Error;
use crate::state::AppState;

/// Every route with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    json_routes().merge(bulk_routes())
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
}

/// The routes that take large bodies (reference CSV imports: the national region list is
/// ~91,600 rows), held to the reference body limit instead.
pub fn bulk_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // h-ref
        .routes(routes!(reference::code_lists_put))
        .routes(routes!(reference::master_data_put))
}

/// The answer for a path no route has.
pub async fn no_route(uri: Uri) -> Error {
    Error::RouteNotFound {
        path: uri.path().to_owned(),
    }
}
