//! Job workers inside the server process (`serve --workers N`), over the server's data center.

use crate::state::AppState;

/// Starts `count` job workers named `{base}-{i}` over the server's data center, each stopping
/// on SIGINT or SIGTERM once the job in hand is done.
pub fn spawn_workers(state: &AppState, count: u16, base: &str) -> Vec<tokio::task::JoinHandle<()>> {
    (0..count)
        .map(|i| {
            let state = state.clone();
            let options = satudata_workflow::WorkerOptions::named(format!("{base}-{i}"));
            tokio::spawn(async move {
                if let Err(e) = state.center().work(&options, crate::shutdown_signal()).await {
                    tracing::error!(error = %e, "worker stopped");
                }
            })
        })
        .collect()
}
