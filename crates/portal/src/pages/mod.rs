//! The portal's pages, each a function from its view to HTML.

mod dataset;
mod diff;
mod home;
mod other;
mod search;

pub use dataset::dataset;
pub use diff::version_diff;
pub use home::home;
pub use other::{Kind, about, directory, group, not_found};
pub use search::{FACETS, facet_label, search};
