//! `guildhall clone URL [DIR]`: join a shared hub.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use guildhall_core::sync::{self, Auth, Progress};

/// The folder a clone of `url` goes into by default: the address's last part without `.git`.
pub fn default_dir(url: &str) -> PathBuf {
    let name = url.trim_end_matches('/').rsplit(['/', ':']).next().unwrap_or("hub");
    let name = name.strip_suffix(".git").unwrap_or(name);
    PathBuf::from(if name.is_empty() { "hub" } else { name })
}

/// Clones `url` into `dir`, with a progress bar on a terminal and nothing on a pipe.
pub fn run(url: &str, dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    let dir = dir.map_or_else(|| default_dir(url), Path::to_path_buf);
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
            println!("Joined the hub: {}", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(if e.is_remote() { 1 } else { 2 }))
        }
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
