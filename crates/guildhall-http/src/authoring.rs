//! Authoring, review and publishing: templates, drafts (kept in the personal store), preview,
//! proposals and their review, history, diff, rollback and the changelog. Everything acts as
//! the hub repository's git user; roles are checked by the core, never here.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use guildhall_core::{
    ChangeKind, ChangelogEntry, ChangelogFilter, Draft, DraftUpdate, ErrorCode, Hub, IdentityView, NewDraft, Preview,
    PreviewRequest, Proposal, ProposalView, Published, RollbackOutcome, Template, Version,
};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{Path, Query};
use crate::error::{ApiError, ErrorBody};
use crate::personal::Body;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates))
        .routes(routes!(list_drafts, create_draft))
        .routes(routes!(get_draft, delete_draft))
        .routes(routes!(propose_draft))
        .routes(routes!(get_identity))
        .routes(routes!(list_proposals))
        .routes(routes!(get_proposal))
        .routes(routes!(approve_proposal))
        .routes(routes!(request_changes))
        .routes(routes!(reject_proposal))
        .routes(routes!(get_history))
        .routes(routes!(get_diff))
        .routes(routes!(rollback))
        .routes(routes!(get_changelog))
}

/// Routes whose bodies carry a whole document (up to the content loader's 2 MiB).
pub fn document_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(save_draft)).routes(routes!(preview))
}

/// Runs `f` on the hub on a blocking thread: review actions read and write git objects and
/// files, and drafts are written durably to SQLite.
pub(crate) async fn blocking<T, F>(s: &AppState, f: F) -> Result<Json<T>, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Hub) -> Result<T, guildhall_core::Error> + Send + 'static,
{
    let hub = s.hub.clone();
    tokio::task::spawn_blocking(move || f(&hub))
        .await
        .map_err(|_| ApiError::new(ErrorCode::Internal, "the request stopped unexpectedly"))?
        .map(Json)
        .map_err(ApiError::from)
}

/// The editor's starting documents, one per kind of contribution.
#[utoipa::path(get, path = "/api/templates", tag = "authoring", responses((status = 200, body = Vec<Template>)))]
async fn list_templates(State(s): State<AppState>) -> Json<Vec<Template>> {
    Json(s.hub.templates())
}

/// The person's drafts, most recently saved first.
#[utoipa::path(get, path = "/api/drafts", tag = "authoring", responses((status = 200, body = Vec<Draft>)))]
async fn list_drafts(State(s): State<AppState>) -> Result<Json<Vec<Draft>>, ApiError> {
    blocking(&s, |h| h.drafts()).await
}

/// Start a draft from a template, a published document or one's own proposal (to revise it).
#[utoipa::path(post, path = "/api/drafts", tag = "authoring", request_body = NewDraft,
    responses((status = 200, body = Draft), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn create_draft(State(s): State<AppState>, Body(new): Body<NewDraft>) -> Result<Json<Draft>, ApiError> {
    blocking(&s, move |h| h.create_draft(&new)).await
}

/// One draft.
#[utoipa::path(get, path = "/api/drafts/{id}", tag = "authoring", params(("id" = String, Path)),
    responses((status = 200, body = Draft), (status = 404, body = ErrorBody)))]
async fn get_draft(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Draft>, ApiError> {
    blocking(&s, move |h| h.draft(&id)).await
}

/// Autosave a draft; answered only once the write is durable.
#[utoipa::path(put, path = "/api/drafts/{id}", tag = "authoring", params(("id" = String, Path)),
    request_body = DraftUpdate,
    responses((status = 200, body = Draft), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn save_draft(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Body(update): Body<DraftUpdate>,
) -> Result<Json<Draft>, ApiError> {
    blocking(&s, move |h| h.save_draft(&id, &update)).await
}

/// Delete a draft.
#[utoipa::path(delete, path = "/api/drafts/{id}", tag = "authoring", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_draft(State(s): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    let _deleted = blocking(&s, move |h| h.delete_draft(&id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Render and check a document as it would be published, against the hub as loaded now.
#[utoipa::path(post, path = "/api/preview", tag = "authoring", request_body = PreviewRequest,
    responses((status = 200, body = Preview), (status = 400, body = ErrorBody)))]
async fn preview(State(s): State<AppState>, Body(req): Body<PreviewRequest>) -> Result<Json<Preview>, ApiError> {
    blocking(&s, move |h| h.preview(&req)).await
}

/// Propose a draft for review (revising its proposal if it has one); the draft is then deleted.
/// Content with errors is refused with 422 `invalid-content` and the diagnostics.
#[utoipa::path(post, path = "/api/drafts/{id}/propose", tag = "authoring", params(("id" = String, Path)),
    responses((status = 200, body = Proposal), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn propose_draft(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Proposal>, ApiError> {
    blocking(&s, move |h| h.propose_draft(&id)).await
}

/// Who Guildhall acts as (the hub repository's git user) and what they may approve.
#[utoipa::path(get, path = "/api/identity", tag = "authoring",
    responses((status = 200, body = IdentityView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn get_identity(State(s): State<AppState>) -> Result<Json<IdentityView>, ApiError> {
    blocking(&s, |h| h.identity_view()).await
}

/// The review queue: proposals that are open or waiting for their authors.
#[utoipa::path(get, path = "/api/proposals", tag = "review",
    responses((status = 200, body = Vec<Proposal>), (status = 403, body = ErrorBody)))]
async fn list_proposals(State(s): State<AppState>) -> Result<Json<Vec<Proposal>>, ApiError> {
    blocking(&s, |h| h.review_queue()).await
}

/// One proposal: its files before and after (rendered), a line diff, and what one may do.
#[utoipa::path(get, path = "/api/proposals/{id}", tag = "review", params(("id" = String, Path)),
    responses((status = 200, body = ProposalView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_proposal(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<ProposalView>, ApiError> {
    blocking(&s, move |h| h.proposal_view(&id)).await
}

/// A reviewer's comment.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    #[serde(default)]
    pub comment: String,
}

/// An approval.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveBody {
    #[serde(default)]
    pub comment: String,
    /// An admin confirms publishing a change that deletes more than a tenth of the hub's
    /// documents (refused with 409 `confirm-deletions` without it).
    #[serde(default)]
    pub confirm_deletions: bool,
}

/// Approve and publish a proposal. A conflict with `main` sends it back to its author (409
/// `conflict`, naming the files); a change deleting more than a tenth of the hub's documents needs
/// `confirm_deletions` from an admin (409 `confirm-deletions`).
#[utoipa::path(post, path = "/api/proposals/{id}/approve", tag = "review", params(("id" = String, Path)),
    request_body = ApproveBody,
    responses((status = 200, body = Published), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn approve_proposal(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Body(b): Body<ApproveBody>,
) -> Result<Json<Published>, ApiError> {
    blocking(&s, move |h| h.approve_with(&id, &b.comment, b.confirm_deletions)).await
}

/// Send a proposal back to its author with a comment.
#[utoipa::path(post, path = "/api/proposals/{id}/request-changes", tag = "review", params(("id" = String, Path)),
    request_body = CommentBody,
    responses((status = 200, body = Proposal), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn request_changes(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Body(b): Body<CommentBody>,
) -> Result<Json<Proposal>, ApiError> {
    blocking(&s, move |h| h.request_changes(&id, &b.comment)).await
}

/// Reject a proposal with a comment.
#[utoipa::path(post, path = "/api/proposals/{id}/reject", tag = "review", params(("id" = String, Path)),
    request_body = CommentBody,
    responses((status = 200, body = Proposal), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn reject_proposal(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Body(b): Body<CommentBody>,
) -> Result<Json<Proposal>, ApiError> {
    blocking(&s, move |h| h.reject(&id, &b.comment)).await
}

/// Every published version of a document (id or path), newest first.
#[utoipa::path(get, path = "/api/history/{id}", tag = "history", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Version>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_history(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Vec<Version>>, ApiError> {
    blocking(&s, move |h| h.history(&id)).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DiffQuery {
    /// The older version (a commit from the history).
    from: String,
    /// The newer version; default: the published one.
    to: Option<String>,
}

/// A unified line diff.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DiffView {
    pub diff: String,
}

/// A line diff of a document between two versions.
#[utoipa::path(get, path = "/api/history/{id}/diff", tag = "history", params(("id" = String, Path), DiffQuery),
    responses((status = 200, body = DiffView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_diff(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Result<Json<DiffView>, ApiError> {
    blocking(&s, move |h| h.diff(&id, &q.from, q.to.as_deref().filter(|t| !t.is_empty())).map(|diff| DiffView { diff }))
        .await
}

/// A rollback request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollbackBody {
    /// The version to restore (a commit from the history).
    pub version: String,
    #[serde(default)]
    pub reason: String,
    /// Publish at once (admins only) instead of proposing the rollback for review.
    #[serde(default)]
    pub direct: bool,
}

/// Restore a document to an earlier version: a new proposal, or (admins, `direct`) published at
/// once with a `Rolled-back-by` trailer.
#[utoipa::path(post, path = "/api/history/{id}/rollback", tag = "history", params(("id" = String, Path)),
    request_body = RollbackBody,
    responses((status = 200, body = RollbackOutcome), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn rollback(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Body(b): Body<RollbackBody>,
) -> Result<Json<RollbackOutcome>, ApiError> {
    blocking(&s, move |h| h.rollback(&id, &b.version, &b.reason, b.direct).map(RollbackOutcome::from)).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ChangelogQuery {
    /// Only changes of this kind.
    kind: Option<ChangeKind>,
    /// Only changes requested, approved or rolled back by this person (name or e-mail, part of it).
    person: Option<String>,
}

/// Every published change, newest first, with the time from proposal to approval.
#[utoipa::path(get, path = "/api/changelog", tag = "history", params(ChangelogQuery),
    responses((status = 200, body = Vec<ChangelogEntry>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn get_changelog(
    State(s): State<AppState>,
    Query(q): Query<ChangelogQuery>,
) -> Result<Json<Vec<ChangelogEntry>>, ApiError> {
    let filter = ChangelogFilter { kind: q.kind, person: q.person.filter(|p| !p.trim().is_empty()) };
    blocking(&s, move |h| h.changelog(&filter)).await
}
