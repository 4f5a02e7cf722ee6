//! The import and export part of `/api/v1`: upload a file to import (dry run or commit) as a
//! background job, poll it, and download any list as .xlsx or .csv.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use huike_app::contacts::ContactQuery;
use huike_app::customers::CustomerQuery;
use huike_app::import::read::is_known_encoding;
use huike_app::import::{ImportOptions, JobStatus, MappingInput, ReadOptions};
use huike_app::list_export::{self, ExportFile, ExportFormat, Table};
use huike_app::orders::OrderQuery;
use huike_app::products::ProductQuery;
use huike_app::{Actor, AppError};
use serde::Deserialize;

use crate::api_input::ApiQuery;
use crate::extract::ApiActor;
use crate::problem::ApiError;
use crate::state::AppState;

/// Uploads up to the whole-request limit reach the importer, which refuses files over its own
/// limit with a clear message.
const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/imports",
            post(start_import).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/imports/{id}", get(import_status))
        .route("/customers/export", get(export_customers))
        .route("/contacts/export", get(export_contacts))
        .route("/products/export", get(export_products))
        .route("/orders/export", get(export_orders))
}

fn invalid(field: &str, code: &'static str, zh: String, en: String) -> AppError {
    AppError::invalid(field, code, zh, en)
}

/// Multipart form of `POST /api/v1/imports` (documentation only; the handler reads parts).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct ImportUpload {
    /// The .xlsx/.xls/.ods workbook or .csv file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `true` writes when nothing is wrong (all or nothing); `false` (default) is a dry run.
    #[schema(required = false)]
    commit: bool,
    /// A whole mapping (`{"columns":[{"index":0,"header":"…","field":"name"},…]}`) or
    /// overrides of the suggested one (`{"手机":"contact_phone","备注":null}`), as a JSON part.
    #[schema(value_type = Option<Object>)]
    mapping: Option<String>,
    /// CSV encoding, a WHATWG label in any case: utf-8, gbk, gb18030, utf-16le…; guessed when
    /// absent. An encoding the reader does not know is refused at once.
    #[schema(format = "encoding-label")]
    encoding: Option<String>,
    /// Worksheet to read (its name, whatever text the part holds); the first when absent.
    #[schema(value_type = Option<Object>)]
    sheet: Option<String>,
}

/// An import that has started.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ImportStarted {
    pub id: String,
    /// Where its progress and report are read (`GET /api/v1/imports/{id}`).
    pub status_url: String,
}

/// Starts importing customers with contacts from an uploaded file. Returns the job id at once;
/// poll `GET /api/v1/imports/{id}` for progress and the row-by-row report.
#[utoipa::path(post, path = "/api/v1/imports", tag = "import/export",
    request_body(content = ImportUpload, content_type = "multipart/form-data"),
    responses((status = 202, body = ImportStarted, description = "Started; poll `status_url`"),
        crate::problem::Unauthenticated, crate::problem::Forbidden,
        (status = 409, body = crate::problem::Problem, content_type = "application/problem+json", description = "An import of yours is still running"),
        (status = 422, body = crate::problem::Problem, content_type = "application/problem+json", description = "No file, or a bad form field")))]
async fn start_import(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<ImportStarted>), ApiError> {
    let err = |e| ApiError(e, a.lang);
    // axum answers a body that is not multipart in plain text; say it as every refusal is said.
    let multipart = multipart.map_err(|e| {
        err(invalid(
            "body",
            "not_multipart",
            format!("请以 multipart/form-data 上传文件：{}", e.body_text()),
            format!("Send the file as multipart/form-data: {}", e.body_text()),
        ))
    })?;
    let (bytes, opts) = read_upload(multipart).await.map_err(err)?;
    let id = s.app.imports.start(&s.app, &a, bytes, opts).map_err(err)?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ImportStarted {
            status_url: format!("/api/v1/imports/{id}"),
            id,
        }),
    ))
}

pub(crate) async fn read_upload(
    mut multipart: Multipart,
) -> Result<(Vec<u8>, ImportOptions), AppError> {
    let broken = |e: axum::extract::multipart::MultipartError| {
        invalid(
            "file",
            "upload_failed",
            format!("上传没有完成或超过 {} MB：{e}", UPLOAD_LIMIT / 1024 / 1024),
            format!(
                "The upload did not complete or is over {} MB: {e}",
                UPLOAD_LIMIT / 1024 / 1024
            ),
        )
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut opts = ImportOptions {
        read: ReadOptions::default(),
        ..ImportOptions::default()
    };
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                let file_name = field.file_name().unwrap_or("upload").to_string();
                let data = field.bytes().await.map_err(broken)?;
                file = Some((file_name, data.to_vec()));
            }
            "commit" | "mapping" | "encoding" | "sheet" => {
                let value = field.text().await.map_err(broken)?;
                let value = match name.as_str() {
                    "commit" => value,
                    _ => value.trim().to_string(),
                };
                match name.as_str() {
                    "commit" => opts.commit = parse_flag("commit", &value)?,
                    "encoding" if !value.is_empty() && !is_known_encoding(&value) => {
                        return Err(invalid(
                            "encoding",
                            "unknown_encoding",
                            format!("未知的文本编码「{value}」：请选择 UTF-8、GBK 或 GB18030"),
                            format!(
                                "Unknown text encoding \"{value}\": choose UTF-8, GBK or GB18030"
                            ),
                        ));
                    }
                    "mapping" if !value.is_empty() => {
                        let m: MappingInput = serde_json::from_str(&value).map_err(|e| {
                            invalid(
                                "mapping",
                                "invalid_mapping",
                                format!("「mapping」不是有效的映射 JSON：{e}"),
                                format!("\"mapping\" is not a valid mapping JSON: {e}"),
                            )
                        })?;
                        opts.mapping = Some(m);
                    }
                    "encoding" if !value.is_empty() => opts.read.encoding = Some(value),
                    "sheet" if !value.is_empty() => opts.read.sheet = Some(value),
                    _ => {}
                }
            }
            // Only the parts the form has: anything else is a mistake worth saying.
            other => {
                return Err(invalid(
                    "body",
                    "unknown_field",
                    format!(
                        "上传表单没有「{other}」这一项（可用：file、commit、mapping、encoding、sheet）"
                    ),
                    format!(
                        "The upload form has no part \"{other}\" (use file, commit, mapping, encoding, sheet)"
                    ),
                ));
            }
        }
    }
    let Some((file_name, bytes)) = file else {
        return Err(invalid(
            "file",
            "required",
            "请选择要导入的文件（表单字段 file）。".into(),
            "Choose a file to import (form field \"file\").".into(),
        ));
    };
    opts.file_name = file_name;
    Ok((bytes, opts))
}

/// A boolean form part, as the document declares it: `true` or `false`.
fn parse_flag(field: &str, v: &str) -> Result<bool, AppError> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(invalid(
            field,
            "invalid_flag",
            format!("「{field}」应为 true 或 false，收到「{v}」"),
            format!("\"{field}\" must be true or false; got \"{v}\""),
        )),
    }
}

/// The state of an import: stage, progress (`done` of `total`), and at the end the report
/// (mapping used, counts, row errors with row, column, field, code and a reason in Chinese and
/// English; `committed` says whether anything was written) or the reason it failed.
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "import/export",
    params(("id" = String, Path, description = "The import's id, from the answer that started it")),
    responses((status = 200, body = JobStatus, description = "Where the import is, and its report when done"), crate::problem::NotFound))]
async fn import_status(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<JobStatus>, ApiError> {
    Ok(Json(
        s.app
            .imports
            .status(&a, &id)
            .map_err(|e| ApiError(e, a.lang))?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
// Query-string parameters (utoipa would otherwise list them as path parameters).
#[into_params(parameter_in = Query)]
#[serde(default)]
struct ExportParams {
    /// xlsx (default) or csv
    format: Option<String>,
    /// CSV only: utf8bom (default, opens in Excel), utf8 or gbk
    encoding: Option<String>,
}

/// `attachment` with an ASCII `filename` and the real name as RFC 5987 `filename*`.
pub fn content_disposition(ascii: &str, name: &str) -> String {
    let safe_ascii: String = ascii
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{safe_ascii}\"; filename*=UTF-8''{encoded}")
}

pub fn file_response(f: ExportFile) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(f.content_type),
    );
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&f.ascii_file_name, &f.file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert("x-export-rows", HeaderValue::from(f.rows));
    if f.truncated {
        headers.insert("x-export-truncated", HeaderValue::from_static("true"));
    }
    (StatusCode::OK, headers, f.bytes).into_response()
}

fn render(
    s: &AppState,
    a: &Actor,
    table: Result<Table, AppError>,
    p: &ExportParams,
) -> Result<Response, ApiError> {
    let err = |e| ApiError(e, a.lang);
    let format =
        ExportFormat::from_params(p.format.as_deref(), p.encoding.as_deref()).map_err(err)?;
    let table = table.map_err(err)?;
    Ok(file_response(
        list_export::render(&s.app, &table, format).map_err(err)?,
    ))
}

/// The customer list as a file: the same filters and visibility as `GET /api/v1/customers`
/// (a rep exports only their own and shared customers), without paging.
#[utoipa::path(get, path = "/api/v1/customers/export", tag = "import/export",
    params(ExportParams, CustomerQuery),
    responses((status = 200, description = "The file: an Excel workbook or CSV text by `format` (Content-Disposition names it)", content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv"))),
        crate::problem::Unauthenticated, crate::problem::Invalid))]
async fn export_customers(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<ExportParams>,
    ApiQuery(q): ApiQuery<CustomerQuery>,
) -> Result<Response, ApiError> {
    let table = list_export::customers(&s.app, &a, &q).await;
    render(&s, &a, table, &p)
}

/// The contact list as a file (contacts of customers the caller may see).
#[utoipa::path(get, path = "/api/v1/contacts/export", tag = "import/export",
    params(ExportParams, ContactQuery),
    responses((status = 200, description = "The file: an Excel workbook or CSV text by `format` (Content-Disposition names it)", content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv"))), crate::problem::Unauthenticated, crate::problem::Invalid))]
async fn export_contacts(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<ExportParams>,
    ApiQuery(q): ApiQuery<ContactQuery>,
) -> Result<Response, ApiError> {
    let table = list_export::contacts(&s.app, &a, &q).await;
    render(&s, &a, table, &p)
}

/// The product catalogue as a file.
#[utoipa::path(get, path = "/api/v1/products/export", tag = "import/export",
    params(ExportParams, ProductQuery),
    responses((status = 200, description = "The file: an Excel workbook or CSV text by `format` (Content-Disposition names it)", content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv"))), crate::problem::Unauthenticated, crate::problem::Invalid))]
async fn export_products(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<ExportParams>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> Result<Response, ApiError> {
    let table = list_export::products(&s.app, &a, &q).await;
    render(&s, &a, table, &p)
}

/// The order list as a file (orders of customers the caller may see).
#[utoipa::path(get, path = "/api/v1/orders/export", tag = "import/export",
    params(ExportParams, OrderQuery),
    responses((status = 200, description = "The file: an Excel workbook or CSV text by `format` (Content-Disposition names it)", content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "text/csv"))), crate::problem::Unauthenticated, crate::problem::Invalid))]
async fn export_orders(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(p): ApiQuery<ExportParams>,
    ApiQuery(q): ApiQuery<OrderQuery>,
) -> Result<Response, ApiError> {
    let table = list_export::orders(&s.app, &a, &q).await;
    render(&s, &a, table, &p)
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        start_import,
        import_status,
        export_customers,
        export_contacts,
        export_products,
        export_orders
    ),
    components(schemas(ImportUpload, JobStatus))
)]
pub struct IoApiDoc;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_disposition_encodes_chinese_names() {
        assert_eq!(
            content_disposition("customers-20260101-0800.xlsx", "客户-20260101-0800.xlsx"),
            "attachment; filename=\"customers-20260101-0800.xlsx\"; \
             filename*=UTF-8''%E5%AE%A2%E6%88%B7-20260101-0800.xlsx"
        );
        assert!(content_disposition("a\"b", "a b").contains("filename=\"a_b\""));
        assert!(content_disposition("x", "a b").ends_with("UTF-8''a%20b"));
    }
}
