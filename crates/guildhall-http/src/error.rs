//! Errors as HTTP responses: a status and a JSON body, `{"error": {"code", "message", ...}}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use guildhall_core::ReviewError;
use guildhall_core::content::Diagnostic;
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
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: status.as_u16(),
            code,
            message: message.into(),
            suggestions: Vec::new(),
            diagnostics: Vec::new(),
        }
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
                diagnostics: Vec::new(),
            },
            guildhall_core::Error::UnknownDraft(_) => {
                ApiError::new(StatusCode::NOT_FOUND, "unknown-draft", e.to_string())
            }
            guildhall_core::Error::Review(review) => ApiError::from(review),
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

/// Review refusals by kind: who may not (403), what does not exist (404), what the state or
/// `main` does not allow (409), content that cannot be published (422). Git and I/O failures are
/// the only 500s.
impl From<ReviewError> for ApiError {
    fn from(e: ReviewError) -> ApiError {
        let message = e.to_string();
        let (status, code) = match &e {
            ReviewError::NoIdentity { .. } | ReviewError::NotAMember { .. } => (StatusCode::FORBIDDEN, "no-identity"),
            ReviewError::NotRepositoryRoot { .. } => (StatusCode::CONFLICT, "no-repository"),
            ReviewError::Permission { .. } | ReviewError::SelfReview { .. } | ReviewError::NotAuthor { .. } => {
                (StatusCode::FORBIDDEN, "forbidden")
            }
            ReviewError::UnknownProposal(_) => (StatusCode::NOT_FOUND, "unknown-proposal"),
            ReviewError::UnknownDocument(_) => (StatusCode::NOT_FOUND, "unknown-document"),
            ReviewError::UnknownVersion(_) => (StatusCode::NOT_FOUND, "unknown-version"),
            ReviewError::WrongState { .. } => (StatusCode::CONFLICT, "wrong-state"),
            ReviewError::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
            ReviewError::DirtyWorkTree { .. } => (StatusCode::CONFLICT, "dirty-work-tree"),
            ReviewError::MainMoved => (StatusCode::CONFLICT, "main-moved"),
            ReviewError::Content { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid-content"),
            ReviewError::NoChanges => (StatusCode::UNPROCESSABLE_ENTITY, "no-changes"),
            ReviewError::Config(_) => (StatusCode::CONFLICT, "config"),
            ReviewError::Invalid(_) => (StatusCode::BAD_REQUEST, "bad-request"),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "review"),
        };
        let mut out = ApiError::new(status, code, message);
        if let ReviewError::Content { diagnostics } = e {
            out.message = format!("the content has {} error(s); fix them and try again", diagnostics.len());
            out.diagnostics = diagnostics;
        }
        out
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
