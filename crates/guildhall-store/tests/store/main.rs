//! The store's integration tests, one binary: real SQLite files in temporary folders.
//! `crash.rs` re-runs this binary as a child process (its writer is `crash::crash_writer`).

mod crash;
mod state;
