use std::io::IsTerminal as _;

use guildhall_core::sync::{self, Auth, Progress};

use super::prelude::*;

/// Join a shared hub: clone its repository into DIR (default: the address's last part).
///
/// Shows progress (objects and bytes received, then checkout) on a terminal, nothing on a pipe.
/// Credentials: `GUILDHALL_TOKEN` (and `GUILDHALL_USER`) for this run, the OS keyring, or git's
/// credential helpers; a wrong token is reported after one attempt. Exits 1 when the remote
/// refuses or cannot be reached, 2 when the folder cannot be used.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The hub's repository: https://, git://, or a path.
    url: String,
    /// The folder to create (it must not exist, or be empty).
    dir: Option<PathBuf>,
}

/// The folder a clone of `url` goes into by default: the address's last part without `.git`.
pub fn default_dir(url: &str) -> PathBuf {
    let name = url.trim_end_matches('/').rsplit(['/', ':']).next().unwrap_or("hub");
    let name = name.strip_suffix(".git").unwrap_or(name);
    PathBuf::from(if name.is_empty() { "hub" } else { name })
}

/// Clones `url` into `dir`, with a progress bar on a terminal and nothing on a pipe.
pub fn run(_g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let url = args.url.as_str();
    let dir = args.dir.unwrap_or_else(|| default_dir(url));
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:12} {wide_bar} {pos}/{len}") {
            bar.set_style(style);
        }
        bar
    });
    let result = sync::clone(url, &dir, &Auth::from_env(), &mut |p| {
        let Some(bar) = &bar else { return };
        let (msg, pos, len) = match p {
            Progress::Receiving { objects, total_objects, bytes } => {
                (format!("receiving {}", human_bytes(bytes)), objects, total_objects)
            }
            Progress::Resolving { deltas, total_deltas } => ("resolving".to_owned(), deltas, total_deltas),
            Progress::Checkout { files, total_files } => ("checkout".to_owned(), files, total_files),
        };
        bar.set_message(msg);
        bar.set_length(len as u64);
        bar.set_position(pos as u64);
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(_) => {
            writeln!(stdout(), "Joined the hub: {}", dir.display())?;
            Ok(Outcome::Success)
        }
        // The remote refused or is unreachable: exit 1; a local failure: exit 2.
        Err(e) if e.is_remote() => {
            eprintln!("error: {e}");
            Ok(Outcome::Problems)
        }
        Err(e) => Err(e.into()),
    }
}

fn human_bytes(n: usize) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / f64::from(1u32 << 20)),
        n if n >= 1 << 10 => format!("{:.0} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

#[cfg(test)]
mod tests {
    use super::default_dir;

    #[test]
    fn default_folders() {
        assert_eq!(default_dir("https://git.example.org/org/hub.git"), std::path::PathBuf::from("hub"));
        assert_eq!(default_dir("git://127.0.0.1:9418/team-hub.git/"), std::path::PathBuf::from("team-hub"));
        assert_eq!(default_dir("/srv/git/knowledge"), std::path::PathBuf::from("knowledge"));
    }
}
