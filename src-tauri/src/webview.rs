//! WebKitGTK settings for a document reader, applied to every webview as it is created.
//!
//! Measured with `src-tauri/e2e/memory.mjs` (see `src-tauri/README.md`): under Xvfb, WebKit's
//! default hardware-acceleration policy (always, on Mesa's software OpenGL when there is no GPU)
//! costs the web process about 70 MiB; Guildhall draws text, lists and a few images, which WebKit
//! paints on the CPU within a frame. `GUILDHALL_WEBKIT_GPU=1` keeps WebKit's default.
//!
//! The rest trims what a browser needs and a single-page app does not: the page cache (the back
//! and forward cache of whole pages; the app navigates inside one page), WebGL and Web Audio
//! (wry turns them on; the app uses neither), and the cache model of a browser (the document
//! viewer model keeps the smallest in-memory caches: every resource is local).

use tauri::Runtime;
use tauri::plugin::TauriPlugin;

/// Set to `1` to keep WebKit's default hardware-acceleration policy.
pub const GPU_ENV: &str = "GUILDHALL_WEBKIT_GPU";

/// A plugin that applies the settings to each webview when it is created.
pub fn settings<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("webview-settings")
        .on_webview_ready(|webview| {
            let gpu = std::env::var_os(GPU_ENV).is_some_and(|v| v == "1");
            if let Err(e) = webview.with_webview(move |w| apply(&w, gpu)) {
                eprintln!("guildhall: cannot configure the webview: {e}");
            }
        })
        .build()
}

#[cfg(target_os = "linux")]
fn apply(w: &tauri::webview::PlatformWebview, gpu: bool) {
    use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt};

    let view = w.inner();
    if let Some(context) = view.context() {
        context.set_cache_model(CacheModel::DocumentViewer);
    }
    if let Some(settings) = WebViewExt::settings(&view) {
        if !gpu {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
        settings.set_enable_page_cache(false);
        settings.set_enable_webgl(false);
        settings.set_enable_webaudio(false);
    }
}

#[cfg(not(target_os = "linux"))]
fn apply(_: &tauri::webview::PlatformWebview, _: bool) {}
