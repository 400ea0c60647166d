//! Search and personal state: profile, bookmarks, notes, recently viewed, training-path progress,
//! the content-gap report, export and import.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use guildhall_core::content::{Audience, Kind};
use guildhall_core::store::{Note, PersonalData, Profile, ZeroResultQuery};
use guildhall_core::{BookmarkView, PathCard, PathProgressView, RecentItem, SearchRequest, SearchResponse};
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

/// Queries longer than this are cut by the search itself (and it says so); anything longer than
/// this many bytes in a URL is refused outright.
const MAX_QUERY_BYTES: usize = 8 * 1024;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    /// What was typed: everyday words, "phrases", kind:/tag:/audience: filters. Anything goes.
    #[serde(default)]
    q: String,
    /// Only this kind.
    kind: Option<Kind>,
    /// Only this tag.
    tag: Option<String>,
    /// Only this audience.
    audience: Option<Audience>,
    /// How many results (default 10).
    limit: Option<usize>,
    /// Record the query in the search log (for settled queries, not every keystroke).
    #[serde(default)]
    record: bool,
}

/// Search the hub: ranked hits with highlighted snippets, facets and glossary expansion.
#[utoipa::path(get, path = "/api/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchResponse), (status = 400, body = ErrorBody)))]
async fn search(State(s): State<AppState>, Query(q): Query<SearchQuery>) -> Result<Json<SearchResponse>, ApiError> {
    if q.q.len() > MAX_QUERY_BYTES {
        return Err(ApiError::bad_request(format!("the query is limited to {} KiB", MAX_QUERY_BYTES / 1024)));
    }
    let mut req = SearchRequest::new(q.q).with_limit(q.limit.unwrap_or(10));
    req.kinds.extend(q.kind);
    req.tags.extend(q.tag);
    req.audiences.extend(q.audience);
    let hub = s.hub.clone();
    let response =
        tokio::task::spawn_blocking(move || if q.record { hub.search_recorded(&req) } else { hub.search(&req) })
            .await
            .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the search stopped"))??;
    Ok(Json(response))
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct LimitQuery {
    /// How many (default 20).
    limit: Option<usize>,
}

/// Recently viewed documents, most recent first.
#[utoipa::path(get, path = "/api/recent", tag = "personal", params(LimitQuery),
    responses((status = 200, body = Vec<RecentItem>)))]
async fn recent(State(s): State<AppState>, Query(q): Query<LimitQuery>) -> Result<Json<Vec<RecentItem>>, ApiError> {
    Ok(Json(s.hub.recent(q.limit.unwrap_or(20).min(200))?))
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DaysQuery {
    /// How many days back (default 30).
    days: Option<u32>,
}

/// Searches that found nothing, most frequent first: the content-gap report.
#[utoipa::path(get, path = "/api/gaps", tag = "governance", params(DaysQuery),
    responses((status = 200, body = Vec<ZeroResultQuery>)))]
async fn gaps(State(s): State<AppState>, Query(q): Query<DaysQuery>) -> Result<Json<Vec<ZeroResultQuery>>, ApiError> {
    Ok(Json(s.hub.content_gaps(q.days.unwrap_or(30).min(3650))?))
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
