//! The routes, one file per resource; [`router`] lists them all, for the server and for the
//! OpenAPI document alike (utoipa-axum builds both from the same list, so they cannot drift).

mod admin_organizations;
mod datasets;
mod operations;
mod organizations;
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
}

/// The answer for a path no route has.
pub async fn no_route(uri: Uri) -> Error {
    Error::RouteNotFound {
        path: uri.path().to_owned(),
    }
}
