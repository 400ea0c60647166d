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

/// A file of the hub: only regular files the loader found inside the hub folder, never
/// Markdown (documents are served rendered), and only image types inline; everything else is a
/// download.
async fn asset(State(s): State<AppState>, Path(path): Path<String>) -> Result<Response, ApiError> {
    let hub = &s.hub;
    if path.split('/').any(|seg| seg == ".." || seg == "." || seg.is_empty()) || !hub.catalog().has_asset(&path) {
        return Err(ApiError::not_found(format!("no file `{path}` in the hub")));
    }
    let full = hub.root().join(&path);
    let bytes =
        tokio::fs::read(&full).await.map_err(|_| ApiError::not_found(format!("no file `{path}` in the hub")))?;
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let (mime, inline) = match ext.as_str() {
        "png" => ("image/png", true),
        "jpg" | "jpeg" => ("image/jpeg", true),
        "gif" => ("image/gif", true),
        "webp" => ("image/webp", true),
        "pdf" => ("application/pdf", false),
        _ => ("application/octet-stream", false),
    };
    let mut resp = (StatusCode::OK, Body::from(bytes)).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if !inline {
        h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(resp)
}
