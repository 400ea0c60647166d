//! The desktop app's own commands: file-system chores the web UI cannot do itself. Everything the
//! core offers reaches the UI through the API (see [`crate::protocol`]), not through commands.

use guildhall_core::CertificateFormat;
use serde::Serialize;
use tauri::State;

use crate::error::CommandError;
use crate::state::HubState;

/// Where `save_path_certificate` put the file.
#[derive(Debug, Serialize)]
pub struct SavedFile {
    /// The file written (never one that existed before).
    pub path: String,
    pub filename: String,
}

/// The webview (WebKitGTK) drops `<a download>` clicks on blob URLs, so the app writes the
/// certificate into the downloads folder itself, without overwriting anything, and says where.
/// No file-system access is granted to the web UI.
#[tauri::command]
pub async fn save_path_certificate(
    state: State<'_, HubState>,
    id: String,
    format: serde_json::Value,
) -> Result<SavedFile, CommandError> {
    let format: CertificateFormat = serde_json::from_value(format).map_err(|e| {
        CommandError::from(guildhall_core::Problem::new(
            guildhall_core::ErrorCode::BadRequest,
            format!("invalid `format`: {e}"),
        ))
    })?;
    let hub = state.hub().await?;
    let dir = guildhall_core::downloads_dir();
    tauri::async_runtime::spawn_blocking(move || -> Result<SavedFile, CommandError> {
        let file = hub.certificate_file(&id, format)?;
        let path =
            file.save_new_in(&dir).map_err(|e| CommandError::internal(format!("cannot save the certificate: {e}")))?;
        Ok(SavedFile { path: path.display().to_string(), filename: file.filename })
    })
    .await
    .map_err(|_| CommandError::internal("the command stopped unexpectedly"))?
}
