//! The core's integration tests, one binary: real hub folders, data directories and watchers,
//! one module per area.

mod judgments;
mod search;
mod shared;
mod training;
