//! Errors as HTTP responses: a status and a JSON body, `{"error": {"code", "message", ...}}`.
//! The code, status and message come from the core's one classification
//! ([`guildhall_core::Error::problem`]); nothing is classified here.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use guildhall_core::{Diagnostic, ErrorCode, Problem};
use serde::Serialize;

/// An error answered to a client.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    #[serde(skip)]
    pub status: u16,
    /// One of a fixed set of codes (see `ErrorCode`).
    pub code: ErrorCode,
    /// What went wrong, for people.
    pub message: String,
    /// How to recover, when Guildhall's own saved state is damaged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Ids that look like the one asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    /// The content problems behind an `invalid-content` refusal.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

/// The JSON body of every error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ApiError,
}

impl ApiError {
    /// An error with `code`, answered with the status of its class.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError::from(Problem::new(code, message))
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::BadRequest, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::NotFound, message)
    }
}

impl From<Problem> for ApiError {
    fn from(p: Problem) -> ApiError {
        ApiError {
            status: p.class().http_status(),
            code: p.code,
            message: p.message,
            hint: p.hint,
            suggestions: p.suggestions,
            diagnostics: p.diagnostics,
        }
    }
}

impl From<guildhall_core::Error> for ApiError {
    fn from(e: guildhall_core::Error) -> ApiError {
        ApiError::from(e.problem())
    }
}

impl From<guildhall_core::ReviewError> for ApiError {
    fn from(e: guildhall_core::ReviewError) -> ApiError {
        ApiError::from(guildhall_core::Error::Review(e))
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(r: axum::extract::rejection::QueryRejection) -> ApiError {
        ApiError::bad_request(r.body_text())
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(r: axum::extract::rejection::JsonRejection) -> ApiError {
        let code =
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE { ErrorCode::TooLarge } else { ErrorCode::BadRequest };
        ApiError { status: r.status().as_u16(), ..ApiError::new(code, r.body_text()) }
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
