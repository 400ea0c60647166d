//! Search and personal state: profile, bookmarks, notes, recently viewed, training-path progress,
//! the content-gap report, export and import.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use guildhall_core::inputs::{GapsQuery, RecentQuery, SearchQuery, SettledSearch};
use guildhall_core::{
    BookmarkView, ContentGap, ErrorCode, Note, PathCard, PathProgressView, PersonalData, Profile, RecentItem,
    SearchResponse,
};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{Path, Query};
use crate::error::{ApiError, ErrorBody};

/// `Json` with errors answered as JSON 4xx.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Body<T>(pub T);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(settled))
        .routes(routes!(get_profile, put_profile))
        .routes(routes!(bookmarks))
        .routes(routes!(add_bookmark, remove_bookmark))
        .routes(routes!(get_note, put_note))
        .routes(routes!(recent))
        .routes(routes!(record_view))
        .routes(routes!(paths))
        .routes(routes!(path))
        .routes(routes!(step))
        .routes(routes!(current))
        .routes(routes!(gaps))
        .routes(routes!(export))
}

/// Routes whose bodies may be large (a whole personal-data document).
pub fn import_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import))
}

/// Search the hub: ranked hits with highlighted snippets, facets and glossary expansion.
#[utoipa::path(get, path = "/api/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchResponse), (status = 400, body = ErrorBody)))]
async fn search(State(s): State<AppState>, Query(q): Query<SearchQuery>) -> Result<Json<SearchResponse>, ApiError> {
    let req = q.request()?;
    let hub = s.hub.clone();
    let response =
        tokio::task::spawn_blocking(move || if q.record { hub.search_recorded(&req) } else { hub.search(&req) })
            .await
            .map_err(|_| ApiError::new(ErrorCode::Internal, "the search stopped"))??;
    Ok(Json(response))
}

/// Record a settled search and whether one of its results was opened in time. A search that
/// found nothing, or whose results were left unopened, shows in the content-gap report.
#[utoipa::path(post, path = "/api/search/settled", tag = "search", request_body = SettledSearch,
    responses((status = 204), (status = 400, body = ErrorBody)))]
async fn settled(State(s): State<AppState>, Body(b): Body<SettledSearch>) -> Result<StatusCode, ApiError> {
    let req = b.request()?;
    let hub = s.hub.clone();
    tokio::task::spawn_blocking(move || hub.record_search_outcome(&req, b.opened))
        .await
        .map_err(|_| ApiError::new(ErrorCode::Internal, "the search stopped"))??;
    Ok(StatusCode::NO_CONTENT)
}

/// The person's profile.
#[utoipa::path(get, path = "/api/profile", tag = "personal", responses((status = 200, body = Profile)))]
async fn get_profile(State(s): State<AppState>) -> Result<Json<Profile>, ApiError> {
    Ok(Json(s.hub.profile()?))
}

/// Save the person's profile.
#[utoipa::path(put, path = "/api/profile", tag = "personal", request_body = Profile,
    responses((status = 200, body = Profile), (status = 400, body = ErrorBody)))]
async fn put_profile(State(s): State<AppState>, Body(p): Body<Profile>) -> Result<Json<Profile>, ApiError> {
    Ok(Json(s.hub.set_profile(&p)?))
}

/// Bookmarks, newest first.
#[utoipa::path(get, path = "/api/bookmarks", tag = "personal", responses((status = 200, body = Vec<BookmarkView>)))]
async fn bookmarks(State(s): State<AppState>) -> Result<Json<Vec<BookmarkView>>, ApiError> {
    Ok(Json(s.hub.bookmarks()?))
}

/// Bookmark a document.
#[utoipa::path(put, path = "/api/bookmarks/{id}", tag = "personal", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn add_bookmark(State(s): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    s.hub.set_bookmark(&id, true)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a bookmark.
#[utoipa::path(delete, path = "/api/bookmarks/{id}", tag = "personal", params(("id" = String, Path)),
    responses((status = 204)))]
async fn remove_bookmark(State(s): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    s.hub.set_bookmark(&id, false)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The person's note on a document (`null` when there is none).
#[utoipa::path(get, path = "/api/notes/{id}", tag = "personal", params(("id" = String, Path)),
    responses((status = 200, body = Option<Note>)))]
async fn get_note(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Option<Note>>, ApiError> {
    Ok(Json(s.hub.note(&id)?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct NoteBody {
    /// Markdown text; empty deletes the note.
    text: String,
}

/// Save a note on a document; an empty text deletes it.
#[utoipa::path(put, path = "/api/notes/{id}", tag = "personal", params(("id" = String, Path)), request_body = NoteBody,
    responses((status = 200, body = Option<Note>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn put_note(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Body(b): Body<NoteBody>,
) -> Result<Json<Option<Note>>, ApiError> {
    Ok(Json(s.hub.set_note(&id, &b.text)?))
}

/// Recently viewed documents, most recent first.
#[utoipa::path(get, path = "/api/recent", tag = "personal", params(RecentQuery),
    responses((status = 200, body = Vec<RecentItem>)))]
async fn recent(State(s): State<AppState>, Query(q): Query<RecentQuery>) -> Result<Json<Vec<RecentItem>>, ApiError> {
    Ok(Json(s.hub.recent(q.limit())?))
}

/// Record that the person opened a document.
#[utoipa::path(post, path = "/api/recent/{id}", tag = "personal", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn record_view(State(s): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    s.hub.record_view(&id)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every training path with the person's progress; those for their role first.
#[utoipa::path(get, path = "/api/paths", tag = "paths", responses((status = 200, body = Vec<PathCard>)))]
async fn paths(State(s): State<AppState>) -> Result<Json<Vec<PathCard>>, ApiError> {
    Ok(Json(s.hub.paths()?))
}

/// One path with the state of every step.
#[utoipa::path(get, path = "/api/paths/{id}", tag = "paths", params(("id" = String, Path)),
    responses((status = 200, body = PathProgressView), (status = 404, body = ErrorBody)))]
async fn path(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<PathProgressView>, ApiError> {
    Ok(Json(s.hub.path_progress(&id)?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct StepBody {
    /// The step's document id.
    step: String,
    /// Done or not done.
    done: bool,
}

/// Mark a step done or not done; it becomes the step the person is on.
#[utoipa::path(post, path = "/api/paths/{id}/steps", tag = "paths", params(("id" = String, Path)), request_body = StepBody,
    responses((status = 200, body = PathProgressView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn step(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Body(b): Body<StepBody>,
) -> Result<Json<PathProgressView>, ApiError> {
    Ok(Json(s.hub.set_step_done(&id, &b.step, b.done)?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct CurrentBody {
    /// The step's document id.
    step: String,
}

/// Remember where the person is in a path.
#[utoipa::path(put, path = "/api/paths/{id}/current", tag = "paths", params(("id" = String, Path)), request_body = CurrentBody,
    responses((status = 200, body = PathProgressView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn current(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Body(b): Body<CurrentBody>,
) -> Result<Json<PathProgressView>, ApiError> {
    Ok(Json(s.hub.set_current_step(&id, &b.step)?))
}

/// Searches that went unanswered (nothing found, or no result opened), grouped by similar
/// wording, most frequent first: the content-gap report.
#[utoipa::path(get, path = "/api/gaps", tag = "governance", params(GapsQuery),
    responses((status = 200, body = Vec<ContentGap>)))]
async fn gaps(State(s): State<AppState>, Query(q): Query<GapsQuery>) -> Result<Json<Vec<ContentGap>>, ApiError> {
    Ok(Json(s.hub.content_gaps(q.days())?))
}

/// All personal data as one JSON document.
#[utoipa::path(get, path = "/api/personal-data", tag = "personal", responses((status = 200, body = PersonalData)))]
async fn export(State(s): State<AppState>) -> Result<Json<PersonalData>, ApiError> {
    Ok(Json(s.hub.export_personal()?))
}

/// Replace all personal data with an exported document, all or nothing.
#[utoipa::path(put, path = "/api/personal-data", tag = "personal", request_body = PersonalData,
    responses((status = 204), (status = 400, body = ErrorBody)))]
async fn import(State(s): State<AppState>, Body(data): Body<PersonalData>) -> Result<StatusCode, ApiError> {
    s.hub.import_personal(&data)?;
    Ok(StatusCode::NO_CONTENT)
}
