//! Resumable uploads (tus 1.0, `satudata_tus`) at `/api/v1/uploads`: the caller's account is
//! the upload's [`Owner`], the `Upload-Metadata` names the dataset, period and file (and the
//! reading options of the multipart form), and a finished upload becomes a submission, as a
//! `POST /datasets/{name}/submissions` does, linked from the last `PATCH` answer and every
//! `HEAD` after (`Link: </api/v1/submissions/{id}>; rel="submission"`).

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{FromRequestParts as _, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use satudata_core::access::Actor;
use satudata_tus::{Accepted, CompletedUpload, Hooks, NewUpload, Owner, Uploads};

use crate::auth::Identity;
use crate::error::{Error, Result, workflow_error};
use crate::state::AppState;
use crate::upload::UploadForm;

/// Where the tus service is mounted.
pub const BASE: &str = "/api/v1/uploads";

/// The folder of the data directory that stages tus uploads.
pub const STAGING_DIR: &str = "uploads";

/// The `Upload-Metadata` keys read into the upload's form; others (`filetype`, `name`, ...,
/// as Uppy sends them) are ignored.
const FORM_KEYS: [&str; 7] = [
    "period",
    "filename",
    "encoding",
    "delimiter",
    "format",
    "sheet",
    "header_row",
];

/// The tus router over the data directory's staging folder, with the caller as its owner.
pub fn router(state: &AppState) -> Result<Router> {
    let mut config = satudata_tus::Config::new(state.center().dir().join(STAGING_DIR));
    config.max_size = state.config().upload_limit;
    let uploads = Uploads::open(config).map_err(|e| Error::Internal {
        detail: format!("tus staging folder: {e}"),
    })?;
    spawn_sweeper(&uploads);
    let hooks = Submit { state: state.clone() };
    Ok(satudata_tus::router(uploads, hooks).layer(axum::middleware::from_fn_with_state(state.clone(), owner)))
}

/// How often the staging folder is swept of uploads left unfinished past their age.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Sweeps the staging folder now and then every [`SWEEP_EVERY`], for as long as the server's
/// runtime runs (none is started outside a runtime).
fn spawn_sweeper(uploads: &Uploads) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let uploads = uploads.clone();
    runtime.spawn(async move {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        loop {
            every.tick().await;
            match uploads.sweep().await {
                Ok(swept) if swept != satudata_tus::Swept::default() => {
                    tracing::info!(?swept, "tus staging folder swept");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sweeping the tus staging folder failed"),
            }
        }
    });
}

/// Middleware: the signed-in caller's account name as the upload's [`Owner`] (an anonymous
/// caller has none, and the tus router answers 401).
async fn owner(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let identity = match Identity::from_request_parts(&mut parts, &state).await {
        Ok(identity) => identity,
        Err(e) => return e.into_response(),
    };
    if let Some(user) = identity.user() {
        parts.extensions.insert(Owner(user.username.clone()));
    }
    next.run(Request::from_parts(parts, body)).await
}

/// The hooks: check before the first byte, submit after the last.
struct Submit {
    state: AppState,
}

impl Submit {
    /// The actor an owner name stands for (a locked or removed account is refused).
    async fn actor(&self, owner: &str) -> Result<Actor> {
        match self.state.center().catalog().user_by_name(owner).await? {
            Some(user) if !user.locked => Ok(user.actor()),
            _ => Err(Error::Unauthenticated),
        }
    }

    async fn check(&self, upload: &NewUpload<'_>) -> Result<()> {
        let actor = self.actor(upload.owner).await?;
        let dataset = dataset(upload.metadata)?;
        crate::routes::submissions::may_submit(&self.state, &actor, dataset).await?;
        let form = form(upload.metadata)?;
        form.options()?;
        self.state
            .center()
            .period(dataset, form.period()?)
            .await
            .map_err(workflow_error("dataset", dataset))?;
        Ok(())
    }

    async fn submit(&self, upload: CompletedUpload) -> Result<Accepted> {
        let actor = self.actor(&upload.owner).await?;
        let dataset = dataset(&upload.metadata)?;
        let form = form(&upload.metadata)?;
        let file_name = form.filename.clone().unwrap_or_else(|| "data".into());
        let received = self
            .state
            .center()
            .receive_file(satudata_workflow::UploadedFile {
                dataset,
                period: form.period()?,
                file_name: &file_name,
                path: &upload.path,
                sha256: &upload.sha256,
                size: upload.length,
                options: form.options()?,
                actor: &actor,
            })
            .await
            .map_err(workflow_error("dataset", dataset))?;
        self.state
            .center()
            .enqueue_validation(received.id)
            .await
            .map_err(workflow_error("submission", received.id))?;
        let link = crate::read::link(&self.state, &format!("/api/v1/submissions/{}", received.id));
        let value = HeaderValue::from_str(&format!("<{link}>; rel=\"submission\""))
            .map_err(|e| Error::Internal { detail: e.to_string() })?;
        Ok(Accepted::new().header(HeaderName::from_static("link"), value))
    }
}

impl Hooks for Submit {
    async fn on_create(&self, upload: &NewUpload<'_>) -> std::result::Result<(), Response> {
        self.check(upload).await.map_err(IntoResponse::into_response)
    }

    async fn on_complete(&self, upload: CompletedUpload) -> std::result::Result<Accepted, Response> {
        self.submit(upload).await.map_err(IntoResponse::into_response)
    }
}

/// The dataset an upload's metadata names.
fn dataset(metadata: &BTreeMap<String, String>) -> Result<&str> {
    metadata
        .get("dataset")
        .map(String::as_str)
        .filter(|d| !d.is_empty())
        .ok_or_else(|| Error::BadUpload {
            detail: "Upload-Metadata names no dataset".into(),
        })
}

/// The form an upload's metadata holds.
fn form(metadata: &BTreeMap<String, String>) -> Result<UploadForm> {
    let mut form = UploadForm::default();
    for key in FORM_KEYS {
        if let Some(value) = metadata.get(key) {
            form.set(key, value.clone())?;
        }
    }
    Ok(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_staging_folder_is_swept_when_the_server_starts() {
        let dir = tempfile::tempdir().unwrap();
        let center = satudata_workflow::DataCenter::init(&dir.path().join("data"))
            .await
            .unwrap();
        let staging = center.dir().join(STAGING_DIR);
        std::fs::create_dir_all(&staging).unwrap();
        // A creation cut short two days ago: a part file without its info file.
        let orphan = staging.join(format!("{}.part", "a".repeat(32)));
        let file = std::fs::File::create(&orphan).unwrap();
        let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(48 * 3600);
        file.set_modified(two_days_ago).unwrap();
        drop(file);
        let fresh = staging.join(format!("{}.part", "b".repeat(32)));
        std::fs::write(&fresh, b"baru").unwrap();

        let state = AppState::new(center, crate::Config::default());
        let _router = router(&state).unwrap();
        for _ in 0..100 {
            if !orphan.exists() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(!orphan.exists(), "the old leftover is swept");
        assert!(fresh.exists(), "a fresh one is left alone");
    }
}
