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
mod sync;

pub use error::ApiError;

/// The router [`api_router`] builds, for shells that serve it themselves.
pub type ApiRouter = Router;

use guildhall_core::inputs::{MAX_DOCUMENT_REQUEST_BYTES, MAX_IMPORT_BYTES, MAX_REQUEST_BYTES};

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
        (name = "history", description = "Published versions, diffs, rollback and the changelog"),
        (name = "sync", description = "Team sync with the shared hub's remote")
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
        .merge(api::routes().layer(from_fn(announced_limit::<MAX_REQUEST_BYTES>)))
        .merge(personal::routes().layer(from_fn(announced_limit::<MAX_REQUEST_BYTES>)))
        .merge(paths::routes().layer(from_fn(announced_limit::<MAX_REQUEST_BYTES>)))
        .merge(authoring::routes().layer(from_fn(announced_limit::<MAX_REQUEST_BYTES>)))
        .merge(sync::routes().layer(from_fn(announced_limit::<MAX_REQUEST_BYTES>)))
        .merge(
            authoring::document_routes()
                .layer(DefaultBodyLimit::max(MAX_DOCUMENT_REQUEST_BYTES))
                .layer(from_fn(announced_limit::<MAX_DOCUMENT_REQUEST_BYTES>)),
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
            guildhall_core::ErrorCode::TooLarge,
            format!("request bodies are limited to {} KiB", MAX / 1024),
        ));
    }
    Ok(next.run(req).await)
}

/// The OpenAPI document as the pretty JSON checked in at `ui/src/api/openapi.json`.
pub fn openapi_json() -> String {
    serde_json::to_string_pretty(&openapi()).unwrap_or_default() + "\n"
}

/// The API alone: the JSON endpoints, `/api/openapi.json` and JSON 404s for anything else, with
/// the body limits and security headers. The desktop app serves exactly this to its webview
/// in-process (through a custom URI scheme, no socket), so the UI has one transport.
pub fn api_router(hub: Arc<Hub>) -> Router {
    secured(api_routes(AppState { hub }).fallback(api::not_found))
}

/// The whole application: API, OpenAPI document, hub files under `/asset/`, and the web UI
/// from `ui_dir` (or a short page saying how to build it).
pub fn router(hub: Arc<Hub>, ui_dir: Option<PathBuf>) -> Router {
    let state = AppState { hub };
    secured(api_routes(state.clone()).merge(files::routes(state, ui_dir)))
}

fn api_routes(state: AppState) -> Router {
    let (api, doc) = api().split_for_parts();
    let doc = Arc::new(doc);
    Router::new()
        .merge(api.with_state(state))
        .route("/api/openapi.json", axum::routing::get(move || std::future::ready(axum::Json(doc.as_ref().clone()))))
        .route("/api/{*rest}", axum::routing::any(api::not_found))
}

/// The default body limit and the security headers of every response.
fn secured(router: Router) -> Router {
    router
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ))
}

/// Answers one request with `router` in-process, bodies as bytes: how the desktop app serves
/// [`api_router`] to its webview without a socket. A response body that cannot be read (it never
/// happens with Guildhall's handlers) becomes a JSON 500.
pub async fn call(router: Router, request: axum::http::Request<Vec<u8>>) -> axum::http::Response<Vec<u8>> {
    use axum::response::IntoResponse;
    use tower::ServiceExt;
    let response = match router.oneshot(request.map(axum::body::Body::from)).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => axum::http::Response::from_parts(parts, bytes.to_vec()),
        Err(e) => {
            let (parts, body) =
                ApiError::new(guildhall_core::ErrorCode::Internal, format!("cannot read the answer: {e}"))
                    .into_response()
                    .into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.map(|b| b.to_vec()).unwrap_or_default();
            axum::http::Response::from_parts(parts, bytes)
        }
    }
}
