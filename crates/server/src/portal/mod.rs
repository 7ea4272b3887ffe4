//! The public portal: its web pages ([`pages`]), and its machine-readable faces: the harvest
//! feeds (DCAT-AP 3 and Project Open Data 1.1) and the CKAN-compatible action API. They live outside `/api/v1` (and its OpenAPI document) at the paths harvesters
//! and CKAN clients expect.

pub mod ckan;
mod ckan_views;
pub mod feeds;
mod page_views;
pub mod pages;

use axum::Router;

use crate::state::AppState;

/// Every portal route.
pub fn routes() -> Router<AppState> {
    feeds::routes().merge(ckan::routes()).merge(pages::routes())
}
