//! One command per row of `ENDPOINTS` in `ui/src/api/client.ts`, named like it. Each converts its
//! arguments, calls the core on a blocking thread (the core reads files, the index and SQLite)
//! and maps the error. Limits are the HTTP shell's, so both transports refuse the same input.

use std::sync::Arc;

use guildhall_core::content::{Audience, Diagnostic, Kind};
use guildhall_core::store::{Note, Profile, ZeroResultQuery};
use guildhall_core::{
    BookmarkView, CertificateFile, CertificateFormat, ChangeKind, ChangelogEntry, ChangelogFilter, CheckResult,
    DocSummary, DocView, Draft, DraftUpdate, GlossaryLookup, Governance, Hub, IdentityView, NewDraft, Overview,
    PathCard, PathProgressView, Preview, PreviewRequest, Proposal, ProposalView, Published, RecentItem,
    RollbackOutcome, SearchRequest, SearchResponse, Template, TermCard, Version,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::CommandError;
use crate::state::HubState;

type Answer<T> = Result<T, CommandError>;

/// Runs `f` on the open hub on a blocking thread.
async fn with_hub<T, F>(state: &HubState, f: F) -> Answer<T>
where
    T: Send + 'static,
    F: FnOnce(&Hub) -> Result<T, guildhall_core::Error> + Send + 'static,
{
    let hub: Arc<Hub> = state.hub().await?;
    tauri::async_runtime::spawn_blocking(move || f(&hub))
        .await
        .map_err(|_| CommandError::internal("the command stopped unexpectedly"))?
        .map_err(CommandError::from)
}

/// An argument the UI sends as JSON, converted here so that a wrong one is a 400 like over HTTP
/// (Tauri's own conversion would reject it with a bare string).
fn arg<T: DeserializeOwned>(name: &str, value: serde_json::Value) -> Answer<T> {
    serde_json::from_value(value).map_err(|e| CommandError::bad_request(format!("invalid `{name}`: {e}")))
}

fn opt_arg<T: DeserializeOwned>(name: &str, value: Option<serde_json::Value>) -> Answer<Option<T>> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(v) => arg(name, v).map(Some),
    }
}

const MAX_LOOKUP_BYTES: usize = 4096;
const MAX_QUERY_BYTES: usize = 8 * 1024;

#[tauri::command]
pub async fn get_hub(state: State<'_, HubState>) -> Answer<Overview> {
    with_hub(&state, |h| Ok(h.overview())).await
}

#[tauri::command]
pub async fn get_governance(state: State<'_, HubState>) -> Answer<Governance> {
    with_hub(&state, |h| Ok(h.governance())).await
}

#[tauri::command]
pub async fn list_documents(state: State<'_, HubState>, kind: Option<serde_json::Value>) -> Answer<Vec<DocSummary>> {
    let kind: Option<Kind> = opt_arg("kind", kind)?;
    with_hub(&state, move |h| Ok(h.documents(kind))).await
}

#[tauri::command]
pub async fn get_document(state: State<'_, HubState>, id: String) -> Answer<DocView> {
    with_hub(&state, move |h| h.document(&id)).await
}

#[tauri::command]
pub async fn get_glossary(state: State<'_, HubState>) -> Answer<Vec<TermCard>> {
    with_hub(&state, |h| Ok(h.glossary())).await
}

#[tauri::command]
pub async fn glossary_lookup(state: State<'_, HubState>, text: String) -> Answer<GlossaryLookup> {
    if text.len() > MAX_LOOKUP_BYTES {
        return Err(CommandError::bad_request(format!("`text` is limited to {MAX_LOOKUP_BYTES} bytes")));
    }
    with_hub(&state, move |h| Ok(h.glossary_lookup(&text))).await
}

#[tauri::command]
pub async fn get_diagnostics(state: State<'_, HubState>) -> Answer<Vec<Diagnostic>> {
    with_hub(&state, |h| Ok(h.diagnostics())).await
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn search(
    state: State<'_, HubState>,
    q: Option<String>,
    kind: Option<serde_json::Value>,
    tag: Option<String>,
    audience: Option<serde_json::Value>,
    limit: Option<usize>,
    record: Option<bool>,
) -> Answer<SearchResponse> {
    let q = q.unwrap_or_default();
    if q.len() > MAX_QUERY_BYTES {
        return Err(CommandError::bad_request(format!("the query is limited to {} KiB", MAX_QUERY_BYTES / 1024)));
    }
    let mut req = SearchRequest::new(q).with_limit(limit.unwrap_or(10));
    req.kinds.extend(opt_arg::<Kind>("kind", kind)?);
    req.tags.extend(tag.filter(|t| !t.is_empty()));
    req.audiences.extend(opt_arg::<Audience>("audience", audience)?);
    let record = record.unwrap_or(false);
    with_hub(&state, move |h| if record { h.search_recorded(&req) } else { h.search(&req) }).await
}

#[tauri::command]
pub async fn get_profile(state: State<'_, HubState>) -> Answer<Profile> {
    with_hub(&state, |h| h.profile()).await
}

#[tauri::command]
pub async fn put_profile(state: State<'_, HubState>, profile: serde_json::Value) -> Answer<Profile> {
    let profile: Profile = arg("profile", profile)?;
    with_hub(&state, move |h| h.set_profile(&profile)).await
}

#[tauri::command]
pub async fn list_bookmarks(state: State<'_, HubState>) -> Answer<Vec<BookmarkView>> {
    with_hub(&state, |h| h.bookmarks()).await
}

#[tauri::command]
pub async fn put_bookmark(state: State<'_, HubState>, id: String) -> Answer<()> {
    with_hub(&state, move |h| h.set_bookmark(&id, true).map(drop)).await
}

#[tauri::command]
pub async fn delete_bookmark(state: State<'_, HubState>, id: String) -> Answer<()> {
    with_hub(&state, move |h| h.set_bookmark(&id, false).map(drop)).await
}

#[tauri::command]
pub async fn get_note(state: State<'_, HubState>, id: String) -> Answer<Option<Note>> {
    with_hub(&state, move |h| h.note(&id)).await
}

/// The body of `put_note`.
#[derive(Debug, Deserialize)]
struct NoteBody {
    /// Markdown text; empty deletes the note.
    text: String,
}

#[tauri::command]
pub async fn put_note(state: State<'_, HubState>, id: String, note: serde_json::Value) -> Answer<Option<Note>> {
    let note: NoteBody = arg("note", note)?;
    with_hub(&state, move |h| h.set_note(&id, &note.text)).await
}

#[tauri::command]
pub async fn list_recent(state: State<'_, HubState>, limit: Option<usize>) -> Answer<Vec<RecentItem>> {
    let limit = limit.unwrap_or(20).min(200);
    with_hub(&state, move |h| h.recent(limit)).await
}

#[tauri::command]
pub async fn record_view(state: State<'_, HubState>, id: String) -> Answer<()> {
    with_hub(&state, move |h| h.record_view(&id)).await
}

#[tauri::command]
pub async fn list_paths(state: State<'_, HubState>) -> Answer<Vec<PathCard>> {
    with_hub(&state, |h| h.paths()).await
}

#[tauri::command]
pub async fn get_path(state: State<'_, HubState>, id: String) -> Answer<PathProgressView> {
    with_hub(&state, move |h| h.path_progress(&id)).await
}

/// The body of `set_path_step`.
#[derive(Debug, Deserialize)]
struct StepBody {
    /// The step's document id.
    step: String,
    /// Done or not done.
    done: bool,
}

#[tauri::command]
pub async fn set_path_step(
    state: State<'_, HubState>,
    id: String,
    body: serde_json::Value,
) -> Answer<PathProgressView> {
    let body: StepBody = arg("body", body)?;
    with_hub(&state, move |h| h.set_step_done(&id, &body.step, body.done)).await
}

/// The body of `set_path_current`.
#[derive(Debug, Deserialize)]
struct CurrentBody {
    /// The step's document id.
    step: String,
}

#[tauri::command]
pub async fn set_path_current(
    state: State<'_, HubState>,
    id: String,
    body: serde_json::Value,
) -> Answer<PathProgressView> {
    let body: CurrentBody = arg("body", body)?;
    with_hub(&state, move |h| h.set_current_step(&id, &body.step)).await
}

#[tauri::command]
pub async fn list_gaps(state: State<'_, HubState>, days: Option<u32>) -> Answer<Vec<ZeroResultQuery>> {
    let days = days.unwrap_or(30).min(3650);
    with_hub(&state, move |h| h.content_gaps(days)).await
}

/// The body of `answer_path_check`.
#[derive(Debug, Deserialize)]
struct CheckBody {
    /// The step's document id.
    step: String,
    /// The option chosen, as text.
    answer: String,
}

#[tauri::command]
pub async fn answer_path_check(state: State<'_, HubState>, id: String, body: serde_json::Value) -> Answer<CheckResult> {
    let body: CheckBody = arg("body", body)?;
    with_hub(&state, move |h| h.answer_check(&id, &body.step, &body.answer)).await
}

#[tauri::command]
pub async fn get_path_certificate(
    state: State<'_, HubState>,
    id: String,
    format: serde_json::Value,
) -> Answer<CertificateFile> {
    let format: CertificateFormat = arg("format", format)?;
    with_hub(&state, move |h| h.certificate_file(&id, format)).await
}

/// Where `save_path_certificate` put the file.
#[derive(Debug, Serialize)]
pub struct SavedFile {
    /// The file written (never one that existed before).
    pub path: String,
    pub filename: String,
}

/// Desktop only: the webview (WebKitGTK) drops `<a download>` clicks on blob URLs, so the app
/// writes the certificate into the downloads folder itself, without overwriting anything, and
/// says where. No file-system access is granted to the web UI.
#[tauri::command]
pub async fn save_path_certificate(
    state: State<'_, HubState>,
    id: String,
    format: serde_json::Value,
) -> Answer<SavedFile> {
    let format: CertificateFormat = arg("format", format)?;
    let file = with_hub(&state, move |h| h.certificate_file(&id, format)).await?;
    let dir = guildhall_core::downloads_dir();
    let path = tauri::async_runtime::spawn_blocking(move || file.save_new_in(&dir).map(|p| (p, file.filename)))
        .await
        .map_err(|_| CommandError::internal("the command stopped unexpectedly"))?
        .map_err(|e| CommandError::internal(format!("cannot save the certificate: {e}")))?;
    Ok(SavedFile { path: path.0.display().to_string(), filename: path.1 })
}

// ---- authoring, review, history (the HTTP shell's `authoring` routes) ----------------------

#[tauri::command]
pub async fn list_templates(state: State<'_, HubState>) -> Answer<Vec<Template>> {
    with_hub(&state, |h| Ok(h.templates())).await
}

#[tauri::command]
pub async fn list_drafts(state: State<'_, HubState>) -> Answer<Vec<Draft>> {
    with_hub(&state, |h| h.drafts()).await
}

#[tauri::command]
pub async fn create_draft(state: State<'_, HubState>, body: serde_json::Value) -> Answer<Draft> {
    let new: NewDraft = arg("body", body)?;
    with_hub(&state, move |h| h.create_draft(&new)).await
}

#[tauri::command]
pub async fn get_draft(state: State<'_, HubState>, id: String) -> Answer<Draft> {
    with_hub(&state, move |h| h.draft(&id)).await
}

#[tauri::command]
pub async fn save_draft(state: State<'_, HubState>, id: String, body: serde_json::Value) -> Answer<Draft> {
    let update: DraftUpdate = arg("body", body)?;
    with_hub(&state, move |h| h.save_draft(&id, &update)).await
}

#[tauri::command]
pub async fn delete_draft(state: State<'_, HubState>, id: String) -> Answer<()> {
    with_hub(&state, move |h| h.delete_draft(&id)).await
}

#[tauri::command]
pub async fn preview(state: State<'_, HubState>, body: serde_json::Value) -> Answer<Preview> {
    let req: PreviewRequest = arg("body", body)?;
    with_hub(&state, move |h| h.preview(&req)).await
}

#[tauri::command]
pub async fn propose_draft(state: State<'_, HubState>, id: String) -> Answer<Proposal> {
    with_hub(&state, move |h| h.propose_draft(&id)).await
}

#[tauri::command]
pub async fn get_identity(state: State<'_, HubState>) -> Answer<IdentityView> {
    with_hub(&state, |h| h.identity_view()).await
}

#[tauri::command]
pub async fn list_proposals(state: State<'_, HubState>) -> Answer<Vec<Proposal>> {
    with_hub(&state, |h| h.review_queue()).await
}

#[tauri::command]
pub async fn get_proposal(state: State<'_, HubState>, id: String) -> Answer<ProposalView> {
    with_hub(&state, move |h| h.proposal_view(&id)).await
}

/// The body of `approve_proposal`, `request_changes` and `reject_proposal`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommentBody {
    #[serde(default)]
    comment: String,
}

#[tauri::command]
pub async fn approve_proposal(state: State<'_, HubState>, id: String, body: serde_json::Value) -> Answer<Published> {
    let body: CommentBody = arg("body", body)?;
    with_hub(&state, move |h| h.approve(&id, &body.comment)).await
}

#[tauri::command]
pub async fn request_changes(state: State<'_, HubState>, id: String, body: serde_json::Value) -> Answer<Proposal> {
    let body: CommentBody = arg("body", body)?;
    with_hub(&state, move |h| h.request_changes(&id, &body.comment)).await
}

#[tauri::command]
pub async fn reject_proposal(state: State<'_, HubState>, id: String, body: serde_json::Value) -> Answer<Proposal> {
    let body: CommentBody = arg("body", body)?;
    with_hub(&state, move |h| h.reject(&id, &body.comment)).await
}

#[tauri::command]
pub async fn get_history(state: State<'_, HubState>, id: String) -> Answer<Vec<Version>> {
    with_hub(&state, move |h| h.history(&id)).await
}

/// The answer of `get_diff`.
#[derive(Debug, serde::Serialize)]
pub struct DiffView {
    diff: String,
}

#[tauri::command]
pub async fn get_diff(state: State<'_, HubState>, id: String, from: String, to: Option<String>) -> Answer<DiffView> {
    let to = to.filter(|t| !t.is_empty());
    with_hub(&state, move |h| h.diff(&id, &from, to.as_deref()).map(|diff| DiffView { diff })).await
}

/// The body of `rollback`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RollbackBody {
    version: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    direct: bool,
}

#[tauri::command]
pub async fn rollback(state: State<'_, HubState>, id: String, body: serde_json::Value) -> Answer<RollbackOutcome> {
    let b: RollbackBody = arg("body", body)?;
    with_hub(&state, move |h| h.rollback(&id, &b.version, &b.reason, b.direct).map(RollbackOutcome::from)).await
}

#[tauri::command]
pub async fn get_changelog(
    state: State<'_, HubState>,
    kind: Option<serde_json::Value>,
    person: Option<String>,
) -> Answer<Vec<ChangelogEntry>> {
    let kind: Option<ChangeKind> = opt_arg("kind", kind)?;
    let filter = ChangelogFilter { kind, person: person.filter(|p| !p.trim().is_empty()) };
    with_hub(&state, move |h| h.changelog(&filter)).await
}
