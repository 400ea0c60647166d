//! Errors as the UI's client expects them from a command: `{"error": {status, code, message,
//! suggestions}}`, the same body `guildhall serve` answers plus the status it would have used.
//! The mapping from core errors is the HTTP shell's own (`guildhall_http::ApiError`), so the two
//! transports cannot drift apart.

use guildhall_http::ApiError;
use serde::Serialize;

/// A command's error, serialised as the rejection value of `invoke`.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    pub error: ErrorDetail,
}

/// What went wrong: the HTTP status `guildhall serve` would answer, a stable code, a message for
/// people, and ids that look like the one asked for.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorDetail {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub suggestions: Vec<String>,
    /// The content problems behind an `invalid-content` refusal (omitted when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<guildhall_core::content::Diagnostic>,
}

impl CommandError {
    /// 400 `bad-request`: an argument the HTTP API would also refuse.
    pub fn bad_request(message: impl Into<String>) -> CommandError {
        ApiError::bad_request(message).into()
    }

    /// 500 `internal`: the command itself failed (a panic on the worker thread).
    pub fn internal(message: impl Into<String>) -> CommandError {
        CommandError {
            error: ErrorDetail {
                status: 500,
                code: "internal".into(),
                message: message.into(),
                suggestions: Vec::new(),
                diagnostics: Vec::new(),
            },
        }
    }
}

impl From<ApiError> for CommandError {
    fn from(e: ApiError) -> CommandError {
        CommandError {
            error: ErrorDetail {
                status: e.status,
                code: e.code.to_string(),
                message: e.message,
                suggestions: e.suggestions,
                diagnostics: e.diagnostics,
            },
        }
    }
}

impl From<guildhall_core::Error> for CommandError {
    fn from(e: guildhall_core::Error) -> CommandError {
        ApiError::from(e).into()
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.error.code, self.error.status, self.error.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_documents_are_404s_with_bare_suggestions() {
        let e: CommandError =
            guildhall_core::Error::UnknownDocument { id: "retyr".into(), suggestions: vec!["`retry`".into()] }.into();
        let v = serde_json::to_value(&e).expect("json");
        assert_eq!(v["error"]["status"], 404);
        assert_eq!(v["error"]["code"], "unknown-document");
        assert_eq!(v["error"]["suggestions"][0], "retry");
    }
}
