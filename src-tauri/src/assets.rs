//! Images of the hub in the webview. Rendered pages link them as `asset/<path>`, relative to the
//! page, exactly as under `guildhall serve`; in the window that is `tauri://localhost/asset/...`,
//! which Tauri answers from the app's embedded assets. This wrapper answers those keys from the
//! hub instead, by the core's rules ([`Hub::hub_file`], which `guildhall serve` uses too), showing
//! only what may be shown inline (images); everything else is refused, since the webview cannot
//! download.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use guildhall_core::Hub;
use tauri::utils::assets::{AssetKey, AssetsIter, CspHash};
use tauri::{App, AppHandle, Assets, Context, Manager, Runtime};

use crate::state::HubState;

const PREFIX: &str = "/asset/";

/// The embedded web UI, plus the hub's images under `/asset/`.
pub struct HubAssets<R: Runtime> {
    embedded: Box<dyn Assets<R>>,
    app: Arc<OnceLock<AppHandle<R>>>,
}

impl<R: Runtime> std::fmt::Debug for HubAssets<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubAssets").finish_non_exhaustive()
    }
}

impl<R: Runtime> HubAssets<R> {
    /// Wraps the context's assets. The app fills the returned slot when it sets up (before any
    /// window loads); until then, and without a [`HubState`], `asset/` answers nothing.
    pub fn install(context: &mut Context<R>) -> Arc<OnceLock<AppHandle<R>>> {
        let embedded = context.set_assets(Box::new(NoAssets));
        let app = Arc::new(OnceLock::new());
        context.set_assets(Box::new(HubAssets { embedded, app: app.clone() }));
        app
    }
}

impl<R: Runtime> Assets<R> for HubAssets<R> {
    fn setup(&self, app: &App<R>) {
        let _ = self.app.set(app.handle().clone());
        self.embedded.setup(app);
    }

    fn get(&self, key: &AssetKey) -> Option<Cow<'_, [u8]>> {
        match key.as_ref().strip_prefix(PREFIX) {
            Some(path) => {
                let hub = self.app.get()?.try_state::<HubState>()?.ready()?;
                hub_image(&hub, path).map(Cow::Owned)
            }
            None => self.embedded.get(key),
        }
    }

    fn iter(&self) -> Box<AssetsIter<'_>> {
        self.embedded.iter()
    }

    fn csp_hashes(&self, html_path: &AssetKey) -> Box<dyn Iterator<Item = CspHash<'_>> + '_> {
        self.embedded.csp_hashes(html_path)
    }
}

/// The bytes of an image of the hub, or `None` for anything not shown inline.
pub fn hub_image(hub: &Hub, path: &str) -> Option<Vec<u8>> {
    hub.hub_file(path).ok().filter(|f| f.inline).map(|f| f.bytes)
}

/// A stand-in while the embedded assets are moved into the wrapper.
struct NoAssets;

impl<R: Runtime> Assets<R> for NoAssets {
    fn get(&self, _: &AssetKey) -> Option<Cow<'_, [u8]>> {
        None
    }

    fn iter(&self) -> Box<AssetsIter<'_>> {
        Box::new(std::iter::empty())
    }

    fn csp_hashes(&self, _: &AssetKey) -> Box<dyn Iterator<Item = CspHash<'_>> + '_> {
        Box::new(std::iter::empty())
    }
}
