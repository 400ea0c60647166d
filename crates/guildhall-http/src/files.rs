//! Files: the hub's own images and attachments under `/asset/`, and the web UI at `/`.

use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;
use crate::api::Path;
use crate::error::ApiError;
use guildhall_core::ErrorCode;

pub fn routes(state: AppState, ui_dir: Option<PathBuf>) -> Router {
    let assets = Router::new().route("/asset/{*path}", get(asset)).with_state(state);
    match ui_dir.filter(|d| d.join("index.html").is_file()) {
        Some(dir) => {
            let index = dir.join("index.html");
            assets.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
        }
        None => assets.fallback(get(no_ui)),
    }
}

async fn no_ui() -> Html<&'static str> {
    Html(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Guildhall</title>\
         <h1>Guildhall</h1><p>The API is running (see <a href=\"/api/openapi.json\">/api/openapi.json</a>). \
         The web UI has not been built: run <code>npm run build</code> in <code>ui/</code>.</p></html>",
    )
}

/// A file of the hub, by the core's rules ([`guildhall_core::Hub::hub_file`]): images inline,
/// everything else as a download.
async fn asset(State(s): State<AppState>, Path(path): Path<String>) -> Result<Response, ApiError> {
    let hub = s.hub.clone();
    let file = tokio::task::spawn_blocking(move || hub.hub_file(&path))
        .await
        .map_err(|_| ApiError::new(ErrorCode::Internal, "the request stopped unexpectedly"))??;
    let mut resp = (StatusCode::OK, Body::from(file.bytes)).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(file.media_type));
    if !file.inline {
        h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(resp)
}
