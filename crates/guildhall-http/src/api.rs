//! The JSON endpoints. Each converts its input, calls the core and maps the error.

use axum::Json;
use axum::extract::{FromRequestParts, State};
use guildhall_core::inputs::LookupQuery;
use guildhall_core::{Backlink, Diagnostic, DocSummary, DocView, GlossaryLookup, Governance, Kind, Overview, TermCard};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};

/// `Query` with errors answered as JSON 400s.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `Path` with errors answered as JSON 400s.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(governance))
        .routes(routes!(documents))
        .routes(routes!(document))
        .routes(routes!(backlinks))
        .routes(routes!(glossary))
        .routes(routes!(glossary_lookup))
        .routes(routes!(diagnostics))
}

/// Unknown API paths: a JSON 404 rather than the web UI.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such API endpoint; see /api/openapi.json")
}

/// The hub overview: counts by kind, stale pages and content problems.
#[utoipa::path(get, path = "/api/hub", tag = "hub", responses((status = 200, body = Overview)))]
async fn overview(State(s): State<AppState>) -> Json<Overview> {
    Json(s.hub.overview())
}

/// Governance: members and roles, who approves what, policies, pages overdue or due for review.
#[utoipa::path(get, path = "/api/governance", tag = "hub", responses((status = 200, body = Governance)))]
async fn governance(State(s): State<AppState>) -> Json<Governance> {
    Json(s.hub.governance())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DocumentsQuery {
    /// Only documents of this kind.
    kind: Option<Kind>,
}

/// Every document (or every document of one kind), as list rows in title order.
#[utoipa::path(get, path = "/api/documents", tag = "hub", params(DocumentsQuery),
    responses((status = 200, body = Vec<DocSummary>), (status = 400, body = ErrorBody)))]
async fn documents(State(s): State<AppState>, Query(q): Query<DocumentsQuery>) -> Json<Vec<DocSummary>> {
    Json(s.hub.documents(q.kind))
}

/// One document with its rendered, sanitized HTML, contents, backlinks and hover cards.
#[utoipa::path(get, path = "/api/documents/{id}", tag = "hub",
    params(("id" = String, Path, description = "The document id; may contain `/`")),
    responses((status = 200, body = DocView), (status = 404, body = ErrorBody)))]
async fn document(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<DocView>, ApiError> {
    Ok(Json(s.hub.document(&id)?))
}

/// Where a document is linked from: each document whose prose links to it, with the section of
/// each link on the linking page and the section of this document it points at.
#[utoipa::path(get, path = "/api/documents/{id}/backlinks", tag = "hub",
    params(("id" = String, Path, description = "The document id; may contain `/`")),
    responses((status = 200, body = Vec<Backlink>), (status = 404, body = ErrorBody)))]
async fn backlinks(State(s): State<AppState>, Path(id): Path<String>) -> Result<Json<Vec<Backlink>>, ApiError> {
    Ok(Json(s.hub.backlinks(&id)?))
}

/// The glossary, A to Z.
#[utoipa::path(get, path = "/api/glossary", tag = "hub", responses((status = 200, body = Vec<TermCard>)))]
async fn glossary(State(s): State<AppState>) -> Json<Vec<TermCard>> {
    Json(s.hub.glossary())
}

/// Glossary lookups both ways: the jargon a text contains, and the terms behind its plain words.
#[utoipa::path(get, path = "/api/glossary/lookup", tag = "hub", params(LookupQuery),
    responses((status = 200, body = GlossaryLookup), (status = 400, body = ErrorBody)))]
async fn glossary_lookup(
    State(s): State<AppState>,
    Query(q): Query<LookupQuery>,
) -> Result<Json<GlossaryLookup>, ApiError> {
    Ok(Json(s.hub.glossary_lookup(q.text()?)))
}

/// Every content problem found when the hub was loaded (what `guildhall check` reports).
#[utoipa::path(get, path = "/api/diagnostics", tag = "hub", responses((status = 200, body = Vec<Diagnostic>)))]
async fn diagnostics(State(s): State<AppState>) -> Json<Vec<Diagnostic>> {
    Json(s.hub.diagnostics().to_vec())
}
