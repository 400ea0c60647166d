//! Guildhall's desktop shell: the web UI (`ui/dist`, embedded at compile time) in a Tauri window,
//! talking to the HTTP shell's own API router, served in-process through the `guildhall:` URI
//! scheme ([`protocol`]).
//!
//! Nothing here knows about documents, search or progress: the shell opens the hub, serves the
//! API and the hub's images, and does the window's chores (menu, single instance, window state,
//! saving a certificate into the downloads folder).
//!
//! Where things come from:
//! - the hub: `$GUILDHALL_CONTENT`, else the starter content bundled with the app, else
//!   `./content`;
//! - personal data and the search index: `$GUILDHALL_DATA`, else the OS data directory
//!   (`guildhall_core::data_dir`).

use std::path::PathBuf;

use tauri::{AppHandle, Builder, Manager, Runtime, Url};
use tauri_plugin_opener::OpenerExt;

mod assets;
mod command_names;
pub mod commands;
pub mod error;
mod menu;
pub mod protocol;
pub mod state;
mod webview;

pub use assets::{HubAssets, hub_image};
pub use command_names::COMMANDS;
pub use error::CommandError;
pub use state::HubState;

/// Registers what a window of the app needs from Rust: the API on the `guildhall:` scheme and
/// the app's own commands. Used by [`run`] and by the tests (with Tauri's mock runtime), so both
/// see exactly the same handlers.
pub fn with_commands<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    protocol::register(builder).invoke_handler(tauri::generate_handler![commands::save_path_certificate])
}

/// Starts the app and returns when it quits.
pub fn run() {
    let mut context = tauri::generate_context!();
    let _ = HubAssets::install(&mut context);
    let builder = Builder::default()
        // First, so that a second launch only brings the running window forward.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| focus_main(app)))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_opener::init())
        .plugin(navigation_guard())
        .plugin(webview::settings())
        .manage(menu::Zoom::default())
        .menu(menu::build)
        .on_menu_event(menu::handle)
        .setup(|app| {
            let state = HubState::new(content_dir(app.handle()), guildhall_core::data_dir(None));
            app.manage(state);
            // Open the hub (and build its index on first run) while the webview loads; the
            // first command waits for it if it is not ready yet.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = handle.state::<HubState>().hub().await {
                    eprintln!("guildhall: {e}");
                }
            });
            Ok(())
        });
    if let Err(e) = with_commands(builder).run(context) {
        eprintln!("guildhall: cannot start the desktop app: {e}");
        std::process::exit(1);
    }
}

/// `$GUILDHALL_CONTENT`, else the bundled starter content, else `./content`.
fn content_dir<R: Runtime>(app: &AppHandle<R>) -> PathBuf {
    if let Some(dir) = std::env::var_os(guildhall_core::CONTENT_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    app.path()
        .resource_dir()
        .map(|r| r.join("content"))
        .ok()
        .filter(|c| c.is_dir())
        .unwrap_or_else(|| PathBuf::from("content"))
}

fn focus_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// Whether `url` is the app's own origin (the embedded UI and the hub's images).
pub fn is_app_url(url: &Url) -> bool {
    match (url.scheme(), url.host_str()) {
        ("tauri", Some("localhost")) => true,
        // Windows and Android serve the app from this origin instead.
        ("http" | "https", Some("tauri.localhost")) => cfg!(any(windows, target_os = "android")),
        _ => false,
    }
}

/// Keeps every webview on the app's own origin: http(s) links that would navigate away open in
/// the system browser instead, and anything else is refused.
fn navigation_guard<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|webview, url| {
            if is_app_url(url) {
                return true;
            }
            if matches!(url.scheme(), "http" | "https")
                && let Err(e) = webview.app_handle().opener().open_url(url.as_str(), None::<&str>)
            {
                eprintln!("guildhall: cannot open {url}: {e}");
            }
            false
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_app_origin_is_ours() {
        let ours = |s: &str| is_app_url(&s.parse().expect("url"));
        assert!(ours("tauri://localhost/"));
        assert!(ours("tauri://localhost/asset/images/x.png"));
        assert!(!ours("https://example.org/"));
        assert!(!ours("tauri://evil/"));
        assert!(!ours("file:///etc/passwd"));
        assert_eq!(ours("http://tauri.localhost/"), cfg!(windows));
    }
}
