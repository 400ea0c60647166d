//! Guildhall's integration tests: one test binary (fast to link), one module per area, and a
//! fixture harness over the hubs in `tests/fixtures/hubs/`.

mod architecture;
mod authoring_api;
mod cli;
mod cli_search;
mod fixtures;
mod folders;
mod harness;
mod hostile;
mod paths;
mod review;
mod sanitize;
mod search_publish;
mod serve;
mod starter_content;
mod sync_cli;
