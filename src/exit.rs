//! The one place that decides how `guildhall` ends: its exit code and what it says on standard
//! error. Commands return [`Outcome`] when they ran to the end and an error when they did not;
//! nothing else calls `std::process::exit` or picks a number.
//!
//! | code | when |
//! |---|---|
//! | 0 | success, or the reader of standard output went away (a closed pipe ends quietly) |
//! | 1 | the command ran and found problems (content errors, a missed judgment), or the request was refused or named something that does not exist ([`Class::Refused`], [`Class::NotFound`]) |
//! | 2 | usage errors (clap) and failures: unreadable hub, I/O, git, a damaged store ([`Class::Failed`]) |

use std::io::Write as _;
use std::process::ExitCode;

use guildhall_core::Error;

/// How a command that ran to the end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// The command did its job and found problems: content errors (`check`), a judgment that
    /// missed its rank (`eval`). Exit 1; the command has already said what they are.
    Problems,
}

/// What kind of failure an error is, for the exit code and the word in front of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Understood and turned down: a role missing, a wrong state, a conflict, a file that is
    /// not an export, a path not completed. Exit 1, `refused: ...`.
    Refused,
    /// The id names nothing (a document, a path, a proposal, a version). Exit 1, `error: ...`.
    NotFound,
    /// It could not be done: the hub or store is unreadable or damaged, git or I/O failed.
    /// Exit 2, `error: ...`.
    Failed,
}

/// Classifies one core error. This is the only function that knows the core's error variants:
/// when the core classifies its own errors, this becomes a mapping of that classification.
pub fn classify(e: &Error) -> Class {
    use guildhall_core::StoreError as S;
    match e {
        Error::UnknownDocument { .. } | Error::UnknownDraft(_) => Class::NotFound,
        Error::NotCompleted { .. } => Class::Refused,
        Error::Review(r) if r.is_refusal() => Class::Refused,
        Error::Store(
            S::ImportNotJson(_)
            | S::ImportWrongFormat { .. }
            | S::ImportUnsupportedVersion { .. }
            | S::ImportInvalid { .. }
            | S::ImportRejected { .. }
            | S::InvalidInput { .. },
        ) => Class::Refused,
        _ => Class::Failed,
    }
}

/// The exit code of a finished command, after saying on standard error why it failed.
pub fn finish(result: anyhow::Result<Outcome>) -> ExitCode {
    let e = match result {
        Ok(Outcome::Success) => return ExitCode::SUCCESS,
        Ok(Outcome::Problems) => return ExitCode::from(1),
        Err(e) => e,
    };
    // Rust ignores SIGPIPE, so a reader that went away (`guildhall ... | head`) shows up as a
    // write error. Like any Unix filter, stop quietly: the reader has what it wanted.
    if e.chain()
        .any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
    {
        return ExitCode::SUCCESS;
    }
    let class = e.chain().find_map(|c| c.downcast_ref::<Error>()).map_or(Class::Failed, classify);
    let (word, code) = match class {
        Class::Refused => ("refused", 1),
        Class::NotFound => ("error", 1),
        Class::Failed => ("error", 2),
    };
    // Standard error may be closed too: nothing left to tell anyone then.
    let _ = writeln!(std::io::stderr().lock(), "{word}: {}", message(&e));
    ExitCode::from(code)
}

/// The error and its causes, `outer: inner`, leaving out a cause whose text the message already
/// holds (core errors often quote their source).
fn message(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.is_empty() {
            text = part;
        } else if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
    }
    text
}
