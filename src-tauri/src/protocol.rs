//! The API in the window: the HTTP shell's own router ([`guildhall_http::api_router`]) answering
//! the webview in-process through the `guildhall:` URI scheme. No socket is opened and no
//! endpoint is written twice: the web UI calls the same paths with the same bodies as under
//! `guildhall serve` (`guildhall://localhost/api/...` on Linux and macOS,
//! `http://guildhall.localhost/api/...` on Windows), and gets the same answers.
//!
//! The page lives on the app's origin (`tauri://localhost`), so these are cross-origin fetches:
//! only the app's origin is let through (CORS headers name it, a request from any other origin is
//! refused with a 403), and the window's CSP allows `connect-src` to this scheme alone besides
//! Tauri's IPC.

use guildhall_core::{ErrorCode, Problem};
use tauri::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, CONTENT_TYPE, HeaderValue, ORIGIN, VARY,
};
use tauri::http::{Method, Request, Response, StatusCode};
use tauri::{Builder, Manager, Runtime};

use crate::state::HubState;

/// The URI scheme the API is served on.
pub const SCHEME: &str = "guildhall";

/// Registers the scheme: every request is answered on Tauri's async runtime.
pub fn register<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder.register_asynchronous_uri_scheme_protocol(SCHEME, |ctx, request, responder| {
        let app = ctx.app_handle().clone();
        tauri::async_runtime::spawn(async move {
            let response = match app.try_state::<HubState>() {
                Some(state) => answer(&state, request).await,
                None => problem(&Problem::new(ErrorCode::Unavailable, "the hub is not open yet")),
            };
            responder.respond(response);
        });
    })
}

/// Whether `origin` (an `Origin` header) is the app's own page.
pub fn is_app_origin(origin: &str) -> bool {
    origin.parse::<tauri::Url>().is_ok_and(|url| crate::is_app_url(&url))
}

/// One request of the webview: a CORS preflight, a refusal for a foreign origin, or the API's
/// answer, with the CORS headers that let the app's page read it.
pub async fn answer(state: &HubState, request: Request<Vec<u8>>) -> Response<Vec<u8>> {
    let origin = request.headers().get(ORIGIN).cloned();
    if let Some(o) = &origin
        && !o.to_str().is_ok_and(is_app_origin)
    {
        let refused = Problem::new(ErrorCode::NotFound, "the Guildhall API answers only the Guildhall window");
        let mut r = problem(&refused);
        *r.status_mut() = StatusCode::FORBIDDEN;
        return r;
    }
    let mut response = if request.method() == Method::OPTIONS {
        let mut r = Response::new(Vec::new());
        *r.status_mut() = StatusCode::NO_CONTENT;
        let h = r.headers_mut();
        h.insert(ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, PUT, POST, DELETE"));
        h.insert(ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("accept, content-type"));
        h.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        r
    } else {
        match state.router().await {
            Ok(router) => guildhall_http::call(router, request).await,
            Err(p) => problem(&p),
        }
    };
    if let Some(o) = origin {
        let h = response.headers_mut();
        h.insert(ACCESS_CONTROL_ALLOW_ORIGIN, o);
        h.insert(ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("content-disposition"));
        h.insert(VARY, HeaderValue::from_static("Origin"));
    }
    response
}

/// A problem as the API's JSON error.
fn problem(p: &Problem) -> Response<Vec<u8>> {
    let body = crate::error::CommandError::from(p.clone());
    let mut r = Response::new(serde_json::to_vec(&body).unwrap_or_default());
    *r.status_mut() = StatusCode::from_u16(p.class().http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}
