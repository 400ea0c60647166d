//! Errors as HTTP responses: a status and a JSON body, `{"error": {"code", "message", ...}}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered to a client.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    #[serde(skip)]
    pub status: u16,
    /// A stable code: `unknown-document`, `bad-request`, `not-found`, ...
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// Ids that look like the one asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
}

/// The JSON body of every error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ApiError,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status: status.as_u16(), code, message: message.into(), suggestions: Vec::new() }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad-request", message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not-found", message)
    }
}

impl From<guildhall_core::Error> for ApiError {
    fn from(e: guildhall_core::Error) -> ApiError {
        match e {
            guildhall_core::Error::UnknownDocument { ref id, ref suggestions } => ApiError {
                status: StatusCode::NOT_FOUND.as_u16(),
                code: "unknown-document",
                message: format!("no document has the id `{id}`"),
                suggestions: suggestions.iter().map(|s| s.trim_matches('`').to_string()).collect(),
            },
            guildhall_core::Error::Invalid(message) => ApiError::bad_request(message),
            guildhall_core::Error::NotCompleted { .. } => {
                ApiError::new(StatusCode::CONFLICT, "not-completed", e.to_string())
            }
            guildhall_core::Error::Store(ref store) => {
                use guildhall_core::store::StoreError;
                match store {
                    StoreError::InvalidInput { .. }
                    | StoreError::PathNotStarted { .. }
                    | StoreError::ImportNotJson(_)
                    | StoreError::ImportWrongFormat { .. }
                    | StoreError::ImportUnsupportedVersion { .. }
                    | StoreError::ImportInvalid { .. }
                    | StoreError::ImportRejected { .. } => ApiError::bad_request(e.to_string()),
                    StoreError::Busy { .. } => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", e.to_string()),
                    _ => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "store", e.to_string()),
                }
            }
            guildhall_core::Error::NoIndex | guildhall_core::Error::NoStore => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", e.to_string())
            }
            other => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", other.to_string()),
        }
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(r: axum::extract::rejection::QueryRejection) -> ApiError {
        ApiError::bad_request(r.body_text())
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(r: axum::extract::rejection::JsonRejection) -> ApiError {
        ApiError::new(r.status(), "bad-request", r.body_text())
    }
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(r: axum::extract::rejection::PathRejection) -> ApiError {
        ApiError::bad_request(r.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(ErrorBody { error: self })).into_response()
    }
}
