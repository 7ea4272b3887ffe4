//! `/api/v1/standards`, `/api/v1/code-lists`, `/api/v1/master-data`: reference data, read by
//! anyone, written (`PUT`, JSON, or CSV for code lists and master data) by the walidata and
//! admins. The logic is in [`crate::reference`] and [`crate::reference_csv`].

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use satudata_catalog::{PutOutcome, ReferenceKind};
use satudata_core::access::Actor;

use crate::auth::Caller;
use crate::error::{Error, ErrorBody, Result};
use crate::paging::{Filters, NoFilters, Page, Paging, PagingParams};
use crate::reference::{self, Document, ReferenceSummary};
use crate::reference_csv::{self, CodeListFields, CsvFields};
use crate::state::AppState;

/// What `PUT` takes.
const JSON_OR_CSV: &str = "application/json or text/csv";

/// A reference document's body: JSON, or CSV (`Content-Type: text/csv`).
#[derive(Debug)]
pub struct DocumentBody {
    csv: bool,
    bytes: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for DocumentBody {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Error> {
        let media = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let csv = match media.as_str() {
            "text/csv" => true,
            m if m == "application/json" || (m.starts_with("application/") && m.ends_with("+json")) => false,
            _ => return Err(Error::UnsupportedMediaType { expected: JSON_OR_CSV }),
        };
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::PayloadTooLarge
            } else {
                Error::Client {
                    status: e.status().as_u16(),
                }
            }
        })?;
        Ok(DocumentBody { csv, bytes })
    }
}

/// The document `body` stands for: JSON, or CSV read with the query's `fields`.
async fn document(
    state: &AppState,
    kind: ReferenceKind,
    id: &str,
    fields: &CsvFields,
    body: &DocumentBody,
) -> Result<Document> {
    if !body.csv {
        if !fields.is_empty() {
            return Err(Error::BadQuery {
                detail: "nama, sumber and kunci are for CSV imports; a JSON document carries its own".into(),
            });
        }
        return reference::parse_json(kind, &body.bytes);
    }
    let stored = reference::stored(state, kind, id).await?;
    let (id, bytes, fields) = (id.to_owned(), body.bytes.clone(), fields.clone());
    // Reading a large CSV is CPU work: off the threads that serve requests.
    let read = tokio::task::spawn_blocking(move || match (kind, stored) {
        (ReferenceKind::CodeList, Some(Document::CodeList(list))) => {
            reference_csv::code_list(&id, &bytes, &fields, Some(&list))
        }
        (ReferenceKind::CodeList, _) => reference_csv::code_list(&id, &bytes, &fields, None),
        (ReferenceKind::MasterData, Some(Document::MasterData(data))) => {
            reference_csv::master_data(&id, &bytes, &fields, Some(&data))
        }
        (ReferenceKind::MasterData, _) => reference_csv::master_data(&id, &bytes, &fields, None),
        (ReferenceKind::Standard, _) => Err(Error::UnsupportedMediaType {
            expected: "application/json",
        }),
    });
    read.await.map_err(|e| Error::Internal {
        detail: format!("CSV import task: {e}"),
    })?
}

/// `PUT` of any kind: 201 with `Location` when created, 200 when replaced or unchanged.
async fn put(
    state: &AppState,
    actor: &Actor,
    kind: ReferenceKind,
    id: &str,
    fields: &CsvFields,
    body: &DocumentBody,
) -> Result<Response> {
    // Who may write is settled before the body is read as a document.
    reference::may_edit(actor, kind, id)?;
    let doc = document(state, kind, id, fields, body).await?;
    let outcome = reference::put(state, actor, id, &doc).await?;
    let mut response = Json(doc.to_value()).into_response();
    if outcome == PutOutcome::Created {
        *response.status_mut() = StatusCode::CREATED;
        let location = crate::read::link(state, &reference::document_path(kind, id));
        if let Ok(value) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(header::LOCATION, value);
        }
    }
    Ok(response)
}

/// Data standards, by id.
#[utoipa::path(get, path = "/api/v1/standards", operation_id = "standards_list", tag = "referensi",
    params(PagingParams, crate::openapi::LangParam),
    responses(
        (status = 200, description = "A page of data standards", body = Page<ReferenceSummary>),
        (status = 400, description = "Bad paging or language", body = ErrorBody),
    ))]
pub async fn standards_list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    paging: Paging,
    Filters(NoFilters {}): Filters<NoFilters>,
) -> Result<Json<Page<ReferenceSummary>>> {
    Ok(Json(
        reference::list(&state, &actor, ReferenceKind::Standard, &paging).await?,
    ))
}

/// One data standard, as stored.
#[utoipa::path(get, path = "/api/v1/standards/{id}", operation_id = "standards_show", tag = "referensi",
    params(("id" = String, Path, description = "The standard's id", pattern = r"^[^\u0000-\u001f\u007f-\u009f]{1,200}$"), crate::openapi::LangParam),
    responses(
        (status = 200, description = "The data standard", body = Object),
        (status = 404, description = "No such data standard", body = ErrorBody),
    ))]
pub async fn standards_show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>> {
    Ok(Json(
        reference::show(&state, &actor, ReferenceKind::Standard, &id).await?,
    ))
}

/// Creates or replaces a data standard (JSON; walidata and admins).
#[utoipa::path(put, path = "/api/v1/standards/{id}", operation_id = "standards_put", tag = "referensi",
    params(("id" = String, Path, description = "The standard's id (the body's `id`)", pattern = r"^[^\u0000-\u001f\u007f-\u009f]{1,200}$"), crate::openapi::LangParam),
    request_body(content = Object, content_type = "application/json", description = "The data standard"),
    responses(
        (status = 200, description = "Replaced (or unchanged)", body = Object),
        (status = 201, description = "Created", body = Object),
        (status = 400, description = "Malformed JSON, or an id unlike the path's", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a walidata or admin", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Not a valid data standard (details.problems)", body = ErrorBody),
    ))]
pub async fn standards_put(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    Filters(NoFilters {}): Filters<NoFilters>,
    body: DocumentBody,
) -> Result<Response> {
    put(
        &state,
        &actor,
        ReferenceKind::Standard,
        &id,
        &CsvFields::default(),
        &body,
    )
    .await
}

/// Code lists, by id.
#[utoipa::path(get, path = "/api/v1/code-lists", operation_id = "code_lists_list", tag = "referensi",
    params(PagingParams, crate::openapi::LangParam),
    responses(
        (status = 200, description = "A page of code lists", body = Page<ReferenceSummary>),
        (status = 400, description = "Bad paging or language", body = ErrorBody),
    ))]
pub async fn code_lists_list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    paging: Paging,
    Filters(NoFilters {}): Filters<NoFilters>,
) -> Result<Json<Page<ReferenceSummary>>> {
    Ok(Json(
        reference::list(&state, &actor, ReferenceKind::CodeList, &paging).await?,
    ))
}

/// One code list, as stored.
#[utoipa::path(get, path = "/api/v1/code-lists/{id}", operation_id = "code_lists_show", tag = "referensi",
    params(("id" = String, Path, description = "The code list's id", pattern = r"^[^\u0000-\u001f\u007f-\u009f]{1,200}$"), crate::openapi::LangParam),
    responses(
        (status = 200, description = "The code list", body = Object),
        (status = 404, description = "No such code list", body = ErrorBody),
    ))]
pub async fn code_lists_show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>> {
    Ok(Json(
        reference::show(&state, &actor, ReferenceKind::CodeList, &id).await?,
    ))
}

/// Creates or replaces a code list: JSON, or CSV with the columns `kode` and `nilai`.
#[utoipa::path(put, path = "/api/v1/code-lists/{id}", operation_id = "code_lists_put", tag = "referensi",
    params(("id" = String, Path, description = "The code list's id", pattern = r"^[^\u0000-\u001f\u007f-\u009f]{1,200}$"), CodeListFields, crate::openapi::LangParam),
    request_body(description = "The code list as JSON, or a CSV file (`;` or `,`, UTF-8 with or without BOM) with the columns `kode` and `nilai`",
        content((Object = "application/json"), (String = "text/csv"))),
    responses(
        (status = 200, description = "Replaced (or unchanged)", body = Object),
        (status = 201, description = "Created", body = Object),
        (status = 400, description = "Malformed JSON, an id unlike the path's, or CSV fields with JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a walidata or admin", body = ErrorBody),
        (status = 413, description = "Larger than the reference body limit", body = ErrorBody),
        (status = 415, description = "Neither JSON nor CSV", body = ErrorBody),
        (status = 422, description = "Not a valid code list (details.problems, with CSV row and column)", body = ErrorBody),
    ))]
pub async fn code_lists_put(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    Filters(fields): Filters<CodeListFields>,
    body: DocumentBody,
) -> Result<Response> {
    put(&state, &actor, ReferenceKind::CodeList, &id, &fields.into(), &body).await
}

/// Master data, by id.
#[utoipa::path(get, path = "/api/v1/master-data", operation_id = "master_data_list", tag = "referensi",
    params(PagingParams, crate::openapi::LangParam),
    responses(
        (status = 200, description = "A page of master data", body = Page<ReferenceSummary>),
        (status = 400, description = "Bad paging or language", body = ErrorBody),
    ))]
pub async fn master_data_list(
    State(state): State<AppState>,
    Caller(actor): Caller,
    paging: Paging,
    Filters(NoFilters {}): Filters<NoFilters>,
) -> Result<Json<Page<ReferenceSummary>>> {
    Ok(Json(
        reference::list(&state, &actor, ReferenceKind::MasterData, &paging).await?,
    ))
}

/// One master data document, as stored.
#[utoipa::path(get, path = "/api/v1/master-data/{id}", operation_id = "master_data_show", tag = "referensi",
    params(("id" = String, Path, description = "The master data's id", pattern = r"^[^\u0000-\u001f\u007f-\u009f]{1,200}$"), crate::openapi::LangParam),
    responses(
        (status = 200, description = "The master data", body = Object),
        (status = 404, description = "No such master data", body = ErrorBody),
    ))]
pub async fn master_data_show(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>> {
    Ok(Json(
        reference::show(&state, &actor, ReferenceKind::MasterData, &id).await?,
    ))
}

/// Creates or replaces master data: JSON, or CSV whose columns are the records' fields.
#[utoipa::path(put, path = "/api/v1/master-data/{id}", operation_id = "master_data_put", tag = "referensi",
    params(("id" = String, Path, description = "The master data's id", pattern = r"^[^\u0000-\u001f\u007f-\u009f]{1,200}$"), CsvFields, crate::openapi::LangParam),
    request_body(description = "The master data as JSON, or a CSV file (`;` or `,`, UTF-8 with or without BOM) whose columns are the records' fields",
        content((Object = "application/json"), (String = "text/csv"))),
    responses(
        (status = 200, description = "Replaced (or unchanged)", body = Object),
        (status = 201, description = "Created", body = Object),
        (status = 400, description = "Malformed JSON, an id unlike the path's, or CSV fields with JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a walidata or admin", body = ErrorBody),
        (status = 413, description = "Larger than the reference body limit", body = ErrorBody),
        (status = 415, description = "Neither JSON nor CSV", body = ErrorBody),
        (status = 422, description = "Not valid master data (details.problems, with CSV row and column)", body = ErrorBody),
    ))]
pub async fn master_data_put(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    Filters(fields): Filters<CsvFields>,
    body: DocumentBody,
) -> Result<Response> {
    put(&state, &actor, ReferenceKind::MasterData, &id, &fields, &body).await
}
