//! Guildhall's HTTP shell: the core served as JSON (with an OpenAPI document generated from the
//! handlers themselves), the hub's images and files, and the built web UI at `/`.
//!
//! Every handler is a few lines: extract, call the core, map the error. Bad requests get a 4xx
//! with a JSON body `{"error": {"code", "message", ...}}`, never a 500.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use std::sync::Arc;
//! use guildhall_core::{Hub, HubOptions};
//!
//! let hub = Hub::open("content".as_ref(), &HubOptions::default()).expect("hub");
//! let app = guildhall_http::router(Arc::new(hub), None);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:7878").await?;
//! axum::serve(listener, app).await
//! # }
//! ```

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{Next, from_fn};
use guildhall_core::Hub;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

mod api;
mod authoring;
mod error;
mod files;
mod paths;
mod personal;

pub use error::ApiError;

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// A draft or preview body (a whole document, up to the content loader's 2 MiB, as JSON) may be
/// this large.
pub const MAX_DOCUMENT_BODY_BYTES: usize = 5 * 1024 * 1024;
/// An imported personal-data document may be this large.
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;

/// The Content-Security-Policy of every response: no inline script, no remote origins.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
     form-action 'none'";

#[derive(OpenApi)]
#[openapi(
    info(title = "Guildhall API", description = "The Guildhall core over HTTP: documents, glossary, search and personal state."),
    tags(
        (name = "hub", description = "Documents, glossary and the hub overview"),
        (name = "search", description = "Offline search with glossary-aware expansion"),
        (name = "personal", description = "Profile, bookmarks, notes, recently viewed, personal data"),
        (name = "paths", description = "Training paths and progress"),
        (name = "governance", description = "Reports for the hub team"),
        (name = "authoring", description = "Templates, drafts, preview and proposing"),
        (name = "review", description = "The review queue and decisions"),
        (name = "history", description = "Published versions, diffs, rollback and the changelog")
    )
)]
struct ApiDoc;

/// Shared state of the handlers.
#[derive(Debug, Clone)]
pub struct AppState {
    pub hub: Arc<Hub>,
}

/// The API routes, with their OpenAPI description collected from the handlers.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        // A body announced larger than the limit is refused before any of it is read.
        .merge(api::routes().layer(from_fn(announced_limit::<MAX_BODY_BYTES>)))
        .merge(personal::routes().layer(from_fn(announced_limit::<MAX_BODY_BYTES>)))
        .merge(paths::routes().layer(from_fn(announced_limit::<MAX_BODY_BYTES>)))
        .merge(authoring::routes().layer(from_fn(announced_limit::<MAX_BODY_BYTES>)))
        .merge(
            authoring::document_routes()
                .layer(DefaultBodyLimit::max(MAX_DOCUMENT_BODY_BYTES))
                .layer(from_fn(announced_limit::<MAX_DOCUMENT_BODY_BYTES>)),
        )
        .merge(
            personal::import_routes()
                .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES))
                .layer(from_fn(announced_limit::<MAX_IMPORT_BYTES>)),
        )
}

/// The OpenAPI document of the API, exactly as `/api/openapi.json` serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().split_for_parts().1
}

/// Refuses a request whose `Content-Length` announces more than `MAX` bytes before reading any of
/// it, with the usual JSON error. (Bodies without a length are cut off at the same size by
/// `DefaultBodyLimit` while they are read.)
async fn announced_limit<const MAX: usize>(
    req: axum::extract::Request,
    next: Next,
) -> Result<axum::response::Response, ApiError> {
    let announced =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX as u64) {
        return Err(ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            format!("request bodies are limited to {} KiB", MAX / 1024),
        ));
    }
    Ok(next.run(req).await)
}

/// The OpenAPI document as the pretty JSON checked in at `ui/src/api/openapi.json`.
pub fn openapi_json() -> String {
    serde_json::to_string_pretty(&openapi()).unwrap_or_default() + "\n"
}

/// The whole application: API, OpenAPI document, hub files under `/asset/`, and the web UI
/// from `ui_dir` (or a short page saying how to build it).
pub fn router(hub: Arc<Hub>, ui_dir: Option<PathBuf>) -> Router {
    let (api, doc) = api().split_for_parts();
    let doc = Arc::new(doc);
    let state = AppState { hub };
    Router::new()
        .merge(api.with_state(state.clone()))
        .route("/api/openapi.json", axum::routing::get(move || std::future::ready(axum::Json(doc.as_ref().clone()))))
        .route("/api/{*rest}", axum::routing::any(api::not_found))
        .merge(files::routes(state, ui_dir))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ))
}
