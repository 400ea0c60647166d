//! The hub the window works on: opened once, off the main thread, while the webview starts.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use guildhall_core::{BackgroundSync, Hub, HubOptions, IndexWatcher};
use tokio::sync::OnceCell;

use crate::error::CommandError;

/// Managed state: where the hub is, the hub once open, and the watcher that keeps its index and
/// catalog fresh while the app runs (dropping it stops watching).
#[derive(Debug)]
pub struct HubState {
    content: PathBuf,
    data: PathBuf,
    watch: bool,
    hub: OnceCell<Result<Arc<Hub>, CommandError>>,
    router: OnceCell<guildhall_http::ApiRouter>,
    watcher: Mutex<Option<IndexWatcher>>,
    /// Sync with the shared hub's remote on start and every few minutes (dropping it stops it).
    background_sync: Mutex<Option<BackgroundSync>>,
}

/// Minutes between background syncs: `GUILDHALL_SYNC_MINUTES` (0 turns it off), else 5.
pub const SYNC_MINUTES_ENV: &str = "GUILDHALL_SYNC_MINUTES";

impl HubState {
    /// A hub to open from `content`, with its index and personal store under `data`.
    pub fn new(content: PathBuf, data: PathBuf) -> HubState {
        HubState {
            content,
            data,
            watch: true,
            hub: OnceCell::new(),
            router: OnceCell::new(),
            watcher: Mutex::new(None),
            background_sync: Mutex::new(None),
        }
    }

    /// The same, without watching the content folder (tests).
    pub fn without_watcher(mut self) -> HubState {
        self.watch = false;
        self
    }

    /// The content folder.
    pub fn content(&self) -> &std::path::Path {
        &self.content
    }

    /// The open hub, opening it first if nobody has yet (concurrent callers wait for the one
    /// opening). A hub that failed to open stays failed: every request answers that error.
    pub async fn hub(&self) -> Result<Arc<Hub>, CommandError> {
        self.hub.get_or_init(|| self.open()).await.clone()
    }

    /// The API over the open hub (see [`crate::protocol`]), built once the hub is open.
    pub async fn router(&self) -> Result<guildhall_http::ApiRouter, guildhall_core::Problem> {
        let hub = self.hub().await.map_err(|e| e.problem())?;
        Ok(self.router.get_or_init(|| async move { guildhall_http::api_router(hub) }).await.clone())
    }

    /// The hub if it is already open, without waiting.
    pub fn ready(&self) -> Option<Arc<Hub>> {
        self.hub.get().and_then(|r| r.as_ref().ok().cloned())
    }

    async fn open(&self) -> Result<Arc<Hub>, CommandError> {
        let (content, data) = (self.content.clone(), self.data.clone());
        let hub =
            tauri::async_runtime::spawn_blocking(move || Hub::open_with_data(&content, &data, &HubOptions::default()))
                .await
                .map_err(|_| CommandError::internal("opening the hub stopped unexpectedly"))??;
        if self.watch {
            // `watch` needs the tokio runtime this future runs on (Tauri's).
            match hub.watch() {
                Ok(w) => *self.watcher.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(w),
                Err(e) => eprintln!("guildhall: content changes will not be picked up: {e}"),
            }
        }
        let hub = Arc::new(hub);
        let minutes = std::env::var(SYNC_MINUTES_ENV).ok().and_then(|m| m.trim().parse::<u64>().ok()).unwrap_or(5);
        if self.watch && minutes > 0 {
            let sync = hub.sync_in_background(std::time::Duration::from_secs(minutes * 60));
            *self.background_sync.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(sync);
        }
        Ok(hub)
    }
}
