//! Training paths beyond progress: self-check answers and completion certificates.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use guildhall_core::{CertificateFormat, CheckResult};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{Path, Query};
use crate::error::{ApiError, ErrorBody};
use crate::personal::Body;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(answer_check)).routes(routes!(certificate))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct CheckBody {
    /// The step's document id.
    step: String,
    /// The option chosen, as text: one of the question's options.
    answer: String,
}

/// Answer a step's self-check: the server decides from the content whether it is right,
/// records the attempt and answers with the explanation.
#[utoipa::path(post, path = "/api/paths/{id}/checks", tag = "paths", params(("id" = String, Path)), request_body = CheckBody,
    responses((status = 200, body = CheckResult), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn answer_check(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Body(b): Body<CheckBody>,
) -> Result<Json<CheckResult>, ApiError> {
    Ok(Json(s.hub.answer_check(&id, &b.step, &b.answer)?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CertificateQuery {
    /// `html` (a self-contained, printable page) or `json` (an Open Badges 3.0 style credential).
    #[param(inline)]
    format: CertificateFormat,
}

/// The completion certificate of a path, as a file to save (`Content-Disposition: attachment`).
/// Only for completed paths: otherwise 409 `not-completed`. Unsigned and self-reported; it says so.
#[utoipa::path(get, path = "/api/paths/{id}/certificate", tag = "paths", params(("id" = String, Path), CertificateQuery),
    responses(
        (status = 200, description = "The certificate file", content(
            (String = "text/html"),
            (serde_json::Value = "application/json"))),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn certificate(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<CertificateQuery>,
) -> Result<Response, ApiError> {
    let file = s.hub.certificate_file(&id, q.format)?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.filename))
        .map_err(|_| ApiError::bad_request("the path id cannot be a file name"))?;
    let media = HeaderValue::from_static(q.format.media_type());
    Ok(([(header::CONTENT_TYPE, media), (header::CONTENT_DISPOSITION, disposition)], file.content).into_response())
}
