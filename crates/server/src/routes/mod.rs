//! The routes, one file per resource; [`router`] lists them all, for the server and for the
//! OpenAPI document alike (utoipa-axum builds both from the same list, so they cannot drift).

mod datasets;
mod operations;
mod organizations;
mod releases;

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
}

/// The answer for a path no route has.
pub async fn no_route(uri: Uri) -> Error {
    Error::RouteNotFound {
        path: uri.path().to_owned(),
    }
}
