//! The index crate's integration tests, one binary: real indexes in temporary folders.

mod common;
mod duplicates;
mod ranking;
mod robustness;
