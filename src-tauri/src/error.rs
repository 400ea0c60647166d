//! Errors of the desktop shell's own work (opening the hub, saving a certificate) in the API's
//! error shape, `{"error": {status, code, message, hint?, suggestions?, diagnostics?}}`, built from
//! the core's one classification ([`guildhall_core::Error::problem`]).

use guildhall_core::{Diagnostic, ErrorCode, Problem};
use serde::Serialize;

/// An error as the web UI reads it, from a command or from the `guildhall:` scheme.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    pub error: ErrorDetail,
}

/// What went wrong: the HTTP status `guildhall serve` would answer, a code of the fixed set, a
/// message for people, and what the code carries.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorDetail {
    pub status: u16,
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

impl CommandError {
    /// `internal`: the shell's own work failed (a panic on the worker thread, a file not written).
    pub fn internal(message: impl Into<String>) -> CommandError {
        Problem::new(ErrorCode::Internal, message).into()
    }

    /// The problem behind it.
    pub fn problem(&self) -> Problem {
        let mut p = Problem::new(self.error.code, self.error.message.clone());
        p.hint.clone_from(&self.error.hint);
        p.suggestions.clone_from(&self.error.suggestions);
        p.diagnostics.clone_from(&self.error.diagnostics);
        p
    }
}

impl From<Problem> for CommandError {
    fn from(p: Problem) -> CommandError {
        CommandError {
            error: ErrorDetail {
                status: p.class().http_status(),
                code: p.code,
                message: p.message,
                hint: p.hint,
                suggestions: p.suggestions,
                diagnostics: p.diagnostics,
            },
        }
    }
}

impl From<guildhall_core::Error> for CommandError {
    fn from(e: guildhall_core::Error) -> CommandError {
        e.problem().into()
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
