//! Team sync: where the hub stands with its remote, and a sync now (the Sync button).

use axum::Json;
use axum::extract::State;
use guildhall_core::sync::Auth;
use guildhall_core::{SyncOutcome, SyncView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::authoring::blocking;
use crate::error::{ApiError, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_sync, post_sync))
}

/// Where the hub stands with its remote: shared or not, ahead/behind, changes waiting, the last
/// sync and its error. Reads local state only.
#[utoipa::path(get, path = "/api/sync", tag = "sync", responses((status = 200, body = SyncView)))]
async fn get_sync(State(s): State<AppState>) -> Result<Json<SyncView>, ApiError> {
    blocking(&s, |h| h.sync_status()).await
}

/// Sync now: fetch, fast-forward `main`, send what waits. What the remote refused (or an
/// unreachable remote) is in the answer's `error`, with the work still queued; the pages that
/// changed are searchable when it answers.
#[utoipa::path(post, path = "/api/sync", tag = "sync",
    responses((status = 200, body = SyncOutcome), (status = 409, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn post_sync(State(s): State<AppState>) -> Result<Json<SyncOutcome>, ApiError> {
    blocking(&s, |h| h.sync_now(&Auth::from_env())).await
}
