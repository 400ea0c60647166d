//! One module per command (`guildhall <name>` lives in `<name>.rs`), each with a clap `Args`
//! struct whose doc comment is the command's help and a `run` function that converts the
//! arguments, calls the core and prints. Shared helpers are in [`prelude`].
//!
//! Adding a command: write `<name>.rs` with `pub struct Args` and
//! `pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome>`, then add one line to the
//! `commands!` list below (its position is its place in `guildhall --help`).

use std::path::PathBuf;

use crate::exit::Outcome;

pub mod prelude;

/// Arguments every command takes, before or after the command's name
/// (`guildhall --content DIR check` and `guildhall check --content DIR` are the same).
#[derive(Debug, clap::Args)]
pub struct Global {
    /// The hub folder [default: $GUILDHALL_CONTENT, else ./content]
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "GUILDHALL_CONTENT",
        default_value = "content",
        hide_default_value = true,
        hide_env = true
    )]
    pub content: PathBuf,
    /// Where Guildhall keeps its index and database [default: $GUILDHALL_DATA, else the OS data
    /// directory]
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Print JSON instead of text (commands whose output is a file ignore it).
    #[arg(long, global = true)]
    pub json: bool,
}

/// Declares the command modules, the `Command` enum clap parses, and the dispatch to each
/// module's `run`, from one list.
macro_rules! commands {
    ($($variant:ident($module:ident),)*) => {
        $(pub mod $module;)*

        #[derive(Debug, clap::Subcommand)]
        pub enum Command {
            $($variant($module::Args),)*
        }

        impl Command {
            pub fn run(self, g: &Global) -> anyhow::Result<Outcome> {
                match self {
                    $(Command::$variant(args) => $module::run(g, args),)*
                }
            }
        }
    };
}

commands! {
    Check(check),
    Render(render),
    Propose(propose),
    Review(review),
    History(history),
    Rollback(rollback),
    Changelog(changelog),
    Serve(serve),
    Index(index),
    Search(search),
    Paths(paths),
    Export(export),
    Import(import),
    Eval(eval),
}
