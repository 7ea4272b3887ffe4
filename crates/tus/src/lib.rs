//! Resumable uploads for satudata: the tus 1.0.0 protocol as an axum [`Router`](axum::Router).
//!
//! Large files travel over unstable connections; with tus a client that loses its connection
//! at 80 % asks where the upload stands (`HEAD`) and sends the rest (`PATCH`). Ready clients
//! speak it: tus-js-client and Uppy (npm), tuspy (PyPI). This crate offers the core protocol
//! with the `creation`, `creation-with-upload`, `termination` and `expiration` extensions.
//!
//! The data flow: [`router`] takes the requests and checks the protocol; [`Uploads`] stages each
//! upload as a file in a folder (`{id}.part` plus `{id}.info.json`, see `store.rs`), streaming
//! every chunk straight to the file and computing the SHA-256 on the way; when the last byte
//! arrives, [`Hooks::on_complete`] gets a [`CompletedUpload`] (id, path, length, metadata,
//! SHA-256) and the application (the server) makes a submission of it. Who may touch an upload
//! is the [`Owner`] the application's authentication layer puts into each request; everyone
//! else gets 404. [`Uploads::sweep`] removes what was left unfinished too long.
//!
//! ```no_run
//! use satudata_tus::{Accepted, CompletedUpload, Config, Hooks, Owner, Uploads, router};
//! use axum::response::Response;
//!
//! struct Submit;
//! impl Hooks for Submit {
//!     async fn on_complete(&self, upload: CompletedUpload) -> Result<Accepted, Response> {
//!         println!("{} ({} bytes, sha256 {})", upload.id, upload.length, upload.sha256);
//!         Ok(Accepted::new())
//!     }
//! }
//!
//! # fn main() -> satudata_tus::Result<()> {
//! let uploads = Uploads::open(Config::new("data/uploads"))?;
//! let app = axum::Router::new().nest(
//!     "/api/v1/uploads",
//!     router(uploads, Submit).layer(axum::Extension(Owner("alice".into()))),
//! );
//! # let _ = app;
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]

mod error;
mod hooks;
mod localize;
pub mod metadata;
mod protocol;
mod store;

pub use error::{Error, Result};
pub use hooks::{Accepted, CompletedUpload, Hooks, NewUpload, Owner};
pub use protocol::{TUS_EXTENSIONS, TUS_VERSION, router};
pub use store::{Completion, Config, DEFAULT_MAX_SIZE, Status, Swept, UploadInfo, Uploads};
