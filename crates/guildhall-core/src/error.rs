//! The one error vocabulary of every shell.
//!
//! Each core [`Error`] is classified exactly once, here, into a [`Problem`]: a closed
//! [`ErrorCode`] (kebab-case on the wire, an enum in the OpenAPI document, a union type in the
//! UI), its [`ErrorClass`] (which decides the HTTP status and the CLI's exit code), a message for
//! people and, for damaged state, a recovery hint. The HTTP server, the desktop app and the CLI
//! all map through [`Error::problem`]; none of them classifies errors of its own.

use guildhall_content::Diagnostic;
use guildhall_index::IndexError;
use guildhall_review::ReviewError;
use guildhall_store::StoreError;
use serde::{Deserialize, Serialize};

use crate::Error;

/// Every error code a shell may answer. The set is closed: a client can branch on each one, and a
/// code that is not here is never sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// The request is malformed or a value is not acceptable (too long, empty, unknown option).
    BadRequest,
    /// The request body is larger than the endpoint accepts.
    TooLarge,
    /// No such endpoint or file.
    NotFound,
    /// No document has this id (`suggestions` lists similar ids).
    UnknownDocument,
    /// No draft has this id.
    UnknownDraft,
    /// No proposal has this id.
    UnknownProposal,
    /// No version of the document has this id.
    UnknownVersion,
    /// A certificate was asked for a path that has not been completed.
    NotCompleted,
    /// The hub repository has no git user: authoring needs one.
    NoIdentity,
    /// The git user is set but is not listed in `[[members]]` of `guildhall.toml`.
    NotAMember,
    /// The member lacks the role the action needs.
    Permission,
    /// The author tried to review their own proposal and the hub does not allow it.
    SelfReview,
    /// Only the author may revise this proposal.
    NotAuthor,
    /// The hub folder is inside another git repository instead of being one.
    NoRepository,
    /// The hub has no remote to sync with (it is not a clone of a shared hub).
    NotShared,
    /// The change deletes more than a tenth of the hub's documents: an admin must confirm it.
    ConfirmDeletions,
    /// The proposal's status does not allow the action.
    WrongState,
    /// The proposal conflicts with `main`; it was sent back to its author.
    Conflict,
    /// Publishing would overwrite uncommitted edits in the hub folder.
    DirtyWorkTree,
    /// `main` moved while publishing; nothing changed, try again.
    MainMoved,
    /// The `[review]` settings or the members list of `guildhall.toml` cannot be used.
    Config,
    /// The content has `guildhall check` errors (`diagnostics` lists them).
    InvalidContent,
    /// The proposal would change nothing.
    NoChanges,
    /// Another Guildhall process holds a lock; try again.
    Busy,
    /// The hub was opened without the search index or personal store this needs, or is still
    /// opening.
    Unavailable,
    /// Guildhall's own saved state is damaged or from a newer version; `hint` says how to recover.
    Damaged,
    /// Anything else: a failure of the machine (I/O, git, the index), not of the request.
    Internal,
}

/// What kind of problem a code is: decides the HTTP status and the CLI's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// The request itself is wrong (400).
    Input,
    /// The request is too large (413).
    TooLarge,
    /// What was asked for does not exist (404).
    NotFound,
    /// The person may not do this (403).
    Forbidden,
    /// The state of the hub or the proposal does not allow it now (409).
    Conflict,
    /// The content cannot be accepted as it is (422).
    Unprocessable,
    /// Try again later, or open the hub with what this needs (503).
    Unavailable,
    /// Saved state is damaged: the request was fine, recovery needs the person (500, with a hint).
    Damaged,
    /// The machine failed (500).
    Internal,
}

impl ErrorClass {
    /// The HTTP status of the class.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorClass::Input => 400,
            ErrorClass::TooLarge => 413,
            ErrorClass::NotFound => 404,
            ErrorClass::Forbidden => 403,
            ErrorClass::Conflict => 409,
            ErrorClass::Unprocessable => 422,
            ErrorClass::Unavailable => 503,
            ErrorClass::Damaged | ErrorClass::Internal => 500,
        }
    }

    /// The CLI's exit code: 1 when the request was refused (bad input, unknown id, permission,
    /// state, content: every 4xx), 2 when it could not be carried out (every 5xx).
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorClass::Input
            | ErrorClass::TooLarge
            | ErrorClass::NotFound
            | ErrorClass::Forbidden
            | ErrorClass::Conflict
            | ErrorClass::Unprocessable => 1,
            ErrorClass::Unavailable | ErrorClass::Damaged | ErrorClass::Internal => 2,
        }
    }

    /// Whether the request was refused (rather than failed).
    pub fn is_refusal(self) -> bool {
        self.exit_code() == 1
    }
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 27] = [
        ErrorCode::BadRequest,
        ErrorCode::TooLarge,
        ErrorCode::NotFound,
        ErrorCode::UnknownDocument,
        ErrorCode::UnknownDraft,
        ErrorCode::UnknownProposal,
        ErrorCode::UnknownVersion,
        ErrorCode::NotCompleted,
        ErrorCode::NoIdentity,
        ErrorCode::NotAMember,
        ErrorCode::Permission,
        ErrorCode::SelfReview,
        ErrorCode::NotAuthor,
        ErrorCode::NoRepository,
        ErrorCode::NotShared,
        ErrorCode::ConfirmDeletions,
        ErrorCode::WrongState,
        ErrorCode::Conflict,
        ErrorCode::DirtyWorkTree,
        ErrorCode::MainMoved,
        ErrorCode::Config,
        ErrorCode::InvalidContent,
        ErrorCode::NoChanges,
        ErrorCode::Busy,
        ErrorCode::Unavailable,
        ErrorCode::Damaged,
        ErrorCode::Internal,
    ];

    /// The class of the code.
    pub fn class(self) -> ErrorClass {
        use ErrorCode as C;
        match self {
            C::BadRequest => ErrorClass::Input,
            C::TooLarge => ErrorClass::TooLarge,
            C::NotFound | C::UnknownDocument | C::UnknownDraft | C::UnknownProposal | C::UnknownVersion => {
                ErrorClass::NotFound
            }
            C::NoIdentity | C::NotAMember | C::Permission | C::SelfReview | C::NotAuthor => ErrorClass::Forbidden,
            C::NotCompleted
            | C::NoRepository
            | C::NotShared
            | C::ConfirmDeletions
            | C::WrongState
            | C::Conflict
            | C::DirtyWorkTree
            | C::MainMoved
            | C::Config => ErrorClass::Conflict,
            C::InvalidContent | C::NoChanges => ErrorClass::Unprocessable,
            C::Busy | C::Unavailable => ErrorClass::Unavailable,
            C::Damaged => ErrorClass::Damaged,
            C::Internal => ErrorClass::Internal,
        }
    }

    /// The code as sent: `unknown-document`, `not-a-member`, ...
    pub fn as_str(self) -> &'static str {
        use ErrorCode as C;
        match self {
            C::BadRequest => "bad-request",
            C::TooLarge => "too-large",
            C::NotFound => "not-found",
            C::UnknownDocument => "unknown-document",
            C::UnknownDraft => "unknown-draft",
            C::UnknownProposal => "unknown-proposal",
            C::UnknownVersion => "unknown-version",
            C::NotCompleted => "not-completed",
            C::NoIdentity => "no-identity",
            C::NotAMember => "not-a-member",
            C::Permission => "permission",
            C::SelfReview => "self-review",
            C::NotAuthor => "not-author",
            C::NoRepository => "no-repository",
            C::NotShared => "not-shared",
            C::ConfirmDeletions => "confirm-deletions",
            C::WrongState => "wrong-state",
            C::Conflict => "conflict",
            C::DirtyWorkTree => "dirty-work-tree",
            C::MainMoved => "main-moved",
            C::Config => "config",
            C::InvalidContent => "invalid-content",
            C::NoChanges => "no-changes",
            C::Busy => "busy",
            C::Unavailable => "unavailable",
            C::Damaged => "damaged",
            C::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A classified error, ready for any shell to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub code: ErrorCode,
    /// What went wrong, for people.
    pub message: String,
    /// How to recover, when the person has to do something the message does not already say
    /// (damaged state).
    pub hint: Option<String>,
    /// Ids that look like the one asked for (`unknown-document`).
    pub suggestions: Vec<String>,
    /// The content problems behind `invalid-content`.
    pub diagnostics: Vec<Diagnostic>,
}

impl Problem {
    /// A problem with a code and a message only.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Problem {
        Problem { code, message: message.into(), hint: None, suggestions: Vec::new(), diagnostics: Vec::new() }
    }

    /// The class of its code.
    pub fn class(&self) -> ErrorClass {
        self.code.class()
    }

    fn with_hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }
}

impl Error {
    /// The one classification of core errors: code, class (status, exit code), message, hint.
    pub fn problem(&self) -> Problem {
        match self {
            Error::UnknownDocument { id, suggestions } => Problem {
                suggestions: suggestions.iter().map(|s| s.trim_matches('`').to_string()).collect(),
                ..Problem::new(ErrorCode::UnknownDocument, format!("no document has the id `{id}`"))
            },
            Error::UnknownDraft(_) => Problem::new(ErrorCode::UnknownDraft, self.to_string()),
            Error::UnknownFile(_) => Problem::new(ErrorCode::NotFound, self.to_string()),
            Error::NotCompleted { .. } => Problem::new(ErrorCode::NotCompleted, self.to_string()),
            Error::Invalid(message) => Problem::new(ErrorCode::BadRequest, message.clone()),
            Error::Judgments { .. } => Problem::new(ErrorCode::BadRequest, self.to_string()),
            Error::Damaged { message, hint } => {
                Problem::new(ErrorCode::Damaged, message.clone()).with_hint(hint.clone())
            }
            Error::NoIndex | Error::NoStore => Problem::new(ErrorCode::Unavailable, self.to_string()),
            Error::Store(e) => store_problem(e),
            Error::Index(e) => index_problem(e),
            Error::Review(e) => review_problem(e),
            Error::NotShared(_) => Problem::new(ErrorCode::NotShared, self.to_string()),
            Error::Sync(e) => sync_problem(e),
            Error::Load(_) | Error::Watch(_) => Problem::new(ErrorCode::Internal, self.to_string()),
        }
    }

    /// The classified error's exit code for the CLI (see [`ErrorClass::exit_code`]).
    pub fn exit_code(&self) -> u8 {
        self.problem().class().exit_code()
    }
}

fn store_problem(e: &StoreError) -> Problem {
    let code = match e {
        StoreError::InvalidInput { .. }
        | StoreError::PathNotStarted { .. }
        | StoreError::ImportNotJson(_)
        | StoreError::ImportWrongFormat { .. }
        | StoreError::ImportUnsupportedVersion { .. }
        | StoreError::ImportInvalid { .. }
        | StoreError::ImportRejected { .. } => ErrorCode::BadRequest,
        StoreError::Busy { .. } => ErrorCode::Busy,
        StoreError::TooNew { .. } => {
            return Problem::new(ErrorCode::Damaged, e.to_string())
                .with_hint("update Guildhall to the version that wrote the personal store");
        }
        StoreError::Corrupt { path, .. } => {
            return Problem::new(ErrorCode::Damaged, e.to_string()).with_hint(format!(
                "close Guildhall and move `{}` aside; a new, empty personal store is created at the next start",
                path.display()
            ));
        }
        StoreError::InvalidStoredValue { .. } | StoreError::Migration { .. } => {
            return Problem::new(ErrorCode::Damaged, e.to_string()).with_hint(
                "export your personal data (Settings), then move the personal store aside and import it again",
            );
        }
        _ => ErrorCode::Internal,
    };
    Problem::new(code, e.to_string())
}

fn index_problem(e: &IndexError) -> Problem {
    match e {
        IndexError::Busy => Problem::new(ErrorCode::Busy, e.to_string()),
        _ => Problem::new(ErrorCode::Internal, e.to_string())
            .with_hint("the search index is a cache: run `guildhall index` to rebuild it"),
    }
}

fn sync_problem(e: &guildhall_sync::SyncError) -> Problem {
    use guildhall_sync::SyncError as S;
    let code = match e {
        S::AuthRefused { .. } | S::NoCredentials { .. } | S::Refused { .. } => ErrorCode::Permission,
        S::Contended { .. } => ErrorCode::MainMoved,
        S::Busy { .. } => ErrorCode::Busy,
        S::DirtyFiles { .. } => ErrorCode::DirtyWorkTree,
        S::Invalid(_) | S::Destination { .. } => ErrorCode::BadRequest,
        // The remote could not be reached, or its log was rewritten: nothing the request can fix.
        S::Unreachable { .. } | S::LogRewritten { .. } => ErrorCode::Unavailable,
        _ => ErrorCode::Internal,
    };
    Problem::new(code, e.to_string())
}

fn review_problem(e: &ReviewError) -> Problem {
    use ReviewError as R;
    let code = match e {
        R::NoIdentity { .. } => ErrorCode::NoIdentity,
        R::NotAMember { .. } => ErrorCode::NotAMember,
        R::Permission { .. } => ErrorCode::Permission,
        R::SelfReview { .. } => ErrorCode::SelfReview,
        R::NotAuthor { .. } => ErrorCode::NotAuthor,
        R::NotRepositoryRoot { .. } => ErrorCode::NoRepository,
        R::UnknownProposal(_) => ErrorCode::UnknownProposal,
        R::AmbiguousProposal { .. } => ErrorCode::BadRequest,
        R::ProposalChanged { .. } => ErrorCode::WrongState,
        R::UnknownDocument(_) => ErrorCode::UnknownDocument,
        R::UnknownVersion(_) => ErrorCode::UnknownVersion,
        R::WrongState { .. } => ErrorCode::WrongState,
        R::MassDeletion { .. } => ErrorCode::ConfirmDeletions,
        R::Conflict { .. } => ErrorCode::Conflict,
        R::DirtyWorkTree { .. } => ErrorCode::DirtyWorkTree,
        R::MainMoved => ErrorCode::MainMoved,
        R::NoChanges => ErrorCode::NoChanges,
        R::Config(_) => ErrorCode::Config,
        R::Invalid(_) => ErrorCode::BadRequest,
        R::Damaged { path, .. } => {
            return Problem::new(ErrorCode::Damaged, e.to_string()).with_hint(format!(
                "move `{}` aside (the proposal's branch in git is untouched), or restore it from a backup",
                path.display()
            ));
        }
        R::Content { diagnostics } => {
            return Problem {
                diagnostics: diagnostics.clone(),
                ..Problem::new(
                    ErrorCode::InvalidContent,
                    format!("the content has {} error(s); fix them and try again", diagnostics.len()),
                )
            };
        }
        _ => ErrorCode::Internal,
    };
    Problem::new(code, e.to_string())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn codes_are_kebab_case_on_the_wire_and_closed() {
        for code in ErrorCode::ALL {
            let wire = serde_json::to_value(code).expect("json");
            assert_eq!(wire, code.as_str(), "{code:?}");
            let back: ErrorCode = serde_json::from_value(wire).expect("parse");
            assert_eq!(back, code);
        }
        assert!(serde_json::from_str::<ErrorCode>("\"forbidden\"").is_err());
    }

    /// The bug behind #13: a git user who is not in `[[members]]` was told to set a git identity.
    #[test]
    fn a_git_user_outside_members_is_not_a_member_not_without_identity() {
        let e = Error::Review(ReviewError::NotAMember {
            name: "Sam".into(),
            email: "sam@example.org".into(),
            hub: PathBuf::from("/hub"),
        });
        let p = e.problem();
        assert_eq!(p.code, ErrorCode::NotAMember);
        assert_eq!(p.class().http_status(), 403);
        assert!(p.message.contains("is not a member"), "{}", p.message);
        let none = Error::Review(ReviewError::NoIdentity { hub: PathBuf::from("/hub") }).problem();
        assert_eq!(none.code, ErrorCode::NoIdentity);
    }

    #[test]
    fn refusals_are_distinct_codes() {
        let who = || "Sam <sam@example.org>".to_string();
        let p = Error::Review(ReviewError::Permission {
            who: who(),
            action: "approve".into(),
            kind: None,
            roles: vec!["editor".into()],
        });
        let s = Error::Review(ReviewError::SelfReview { who: who(), action: "approve".into(), id: "p1".into() });
        let a = Error::Review(ReviewError::NotAuthor { id: "p1".into(), author: who() });
        assert_eq!(p.problem().code, ErrorCode::Permission);
        assert_eq!(s.problem().code, ErrorCode::SelfReview);
        assert_eq!(a.problem().code, ErrorCode::NotAuthor);
        assert!([p, s, a].iter().all(|e| e.problem().class() == ErrorClass::Forbidden && e.exit_code() == 1));
        let damaged = Error::Damaged { message: "x".into(), hint: "y".into() };
        assert_eq!(damaged.exit_code(), 2);
    }

    #[test]
    fn input_is_4xx_and_damaged_state_is_5xx_with_a_hint() {
        let input = Error::Invalid("a note is limited to 64 KiB".into()).problem();
        assert_eq!(
            (input.code, input.class().http_status(), input.hint.as_deref()),
            (ErrorCode::BadRequest, 400, None)
        );
        let damaged = Error::Review(ReviewError::Damaged {
            path: PathBuf::from("/hub/.git/guildhall/proposals/p1.json"),
            problem: "expected value at line 1 column 1".into(),
        })
        .problem();
        assert_eq!(damaged.code, ErrorCode::Damaged);
        assert_eq!(damaged.class().http_status(), 500);
        assert!(damaged.hint.as_deref().is_some_and(|h| h.contains("p1.json")), "{damaged:?}");
        assert_eq!(Error::Review(ReviewError::Invalid("say why".into())).problem().code, ErrorCode::BadRequest);
    }

    #[test]
    fn every_code_has_one_status_and_exit_code() {
        for code in ErrorCode::ALL {
            let class = code.class();
            assert!(matches!(class.http_status(), 400..=599), "{code}");
            // Every 4xx is a refusal (exit 1), every 5xx a failure (exit 2).
            assert_eq!(class.is_refusal(), (400..500).contains(&class.http_status()), "{code}");
        }
        assert_eq!(
            Error::UnknownDocument { id: "retyr".into(), suggestions: vec!["`retry`".into()] }.problem().suggestions,
            ["retry"]
        );
    }
}
