//! The application menu: File/Quit, Edit (cut, copy, paste, select all), View (reload, zoom) and
//! Help/About, with the usual shortcuts.

use std::sync::Mutex;

use tauri::menu::{AboutMetadataBuilder, Menu, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Manager, Runtime};

/// The main window's zoom factor.
#[derive(Debug)]
pub struct Zoom(Mutex<f64>);

impl Default for Zoom {
    fn default() -> Zoom {
        Zoom(Mutex::new(1.0))
    }
}

const ZOOM_STEPS: [f64; 9] = [0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0];

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let info = app.package_info();
    let about = AboutMetadataBuilder::new()
        .name(Some("Guildhall"))
        .version(Some(info.version.to_string()))
        .comments(Some("A knowledge hub for citizen-development programmes. Your bookmarks, notes and progress stay on this computer."))
        .license(Some("MIT OR Apache-2.0"))
        .icon(app.default_window_icon().cloned())
        .build();
    let item = |id: &str, text: &str, keys: &str| MenuItemBuilder::with_id(id, text).accelerator(keys).build(app);
    let file = SubmenuBuilder::new(app, "&File").item(&item("quit", "&Quit", "CmdOrCtrl+Q")?).build()?;
    let edit = SubmenuBuilder::new(app, "&Edit").cut().copy().paste().separator().select_all().build()?;
    let view = SubmenuBuilder::new(app, "&View")
        .item(&item("reload", "&Reload", "CmdOrCtrl+R")?)
        .separator()
        .item(&item("zoom-in", "Zoom &In", "CmdOrCtrl+=")?)
        .item(&item("zoom-out", "Zoom &Out", "CmdOrCtrl+-")?)
        .item(&item("zoom-reset", "&Actual Size", "CmdOrCtrl+0")?)
        .build()?;
    let help = SubmenuBuilder::new(app, "&Help").about_with_text("&About Guildhall", Some(about)).build()?;
    Menu::with_items(app, &[&file, &edit, &view, &help])
}

pub fn handle<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let Some(window) = app.get_webview_window("main") else { return };
    let result = match event.id().as_ref() {
        "quit" => {
            app.exit(0);
            Ok(())
        }
        "reload" => window.reload(),
        id @ ("zoom-in" | "zoom-out" | "zoom-reset") => {
            let zoom = app.state::<Zoom>();
            let mut level = zoom.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            *level = next_zoom(*level, id);
            window.set_zoom(*level)
        }
        _ => Ok(()),
    };
    if let Err(e) = result {
        eprintln!("guildhall: menu action failed: {e}");
    }
}

fn next_zoom(level: f64, action: &str) -> f64 {
    match action {
        "zoom-in" => ZOOM_STEPS.iter().copied().find(|&z| z > level + 1e-6).unwrap_or(level),
        "zoom-out" => ZOOM_STEPS.iter().rev().copied().find(|&z| z < level - 1e-6).unwrap_or(level),
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::next_zoom;

    #[test]
    fn zoom_steps_stop_at_the_ends() {
        assert_eq!(next_zoom(1.0, "zoom-in"), 1.1);
        assert_eq!(next_zoom(1.0, "zoom-out"), 0.9);
        assert_eq!(next_zoom(2.0, "zoom-in"), 2.0);
        assert_eq!(next_zoom(0.5, "zoom-out"), 0.5);
        assert_eq!(next_zoom(1.5, "zoom-reset"), 1.0);
    }
}
