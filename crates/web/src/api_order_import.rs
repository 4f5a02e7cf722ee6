//! `POST /api/v1/imports/orders`: import orders with their lines from an uploaded file (dry
//! run or commit), answered with the row-by-row report.

use axum::Json;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::routing::post;
use huike_app::AppError;
use huike_app::import::read::is_known_encoding;
use huike_app::import::{OrderImportOptions, OrderImportReport};

use crate::extract::ApiActor;
use crate::problem::ApiError;
use crate::state::AppState;

/// Uploads up to the whole-request limit reach the importer, which refuses files over its own
/// limit with a clear message (as for the customer import).
const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

/// The parts the form has.
pub const PARTS: &[&str] = &["file", "commit", "past_tasks", "encoding", "sheet"];

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/imports/orders",
        post(import_orders).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
    )
}

/// Multipart form of `POST /api/v1/imports/orders` (documentation only; the handler reads
/// parts).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct OrderImportUpload {
    /// The .xlsx/.xls/.ods workbook or .csv file: one row per order line; rows with the same
    /// order number are one order.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `true` writes when nothing is wrong (all or nothing); `false` (default) is a dry run.
    #[schema(required = false)]
    commit: bool,
    /// `true` also plans the follow-ups already due, open (a backlog); `false` (default) plans
    /// only those due today or later.
    #[schema(required = false)]
    past_tasks: bool,
    /// CSV encoding (a WHATWG label); guessed when absent.
    #[schema(format = "encoding-label")]
    encoding: Option<String>,
    /// Worksheet to read; the first when absent.
    #[schema(value_type = Option<Object>)]
    sheet: Option<String>,
}

fn invalid(field: &str, code: &'static str, zh: String, en: String) -> AppError {
    AppError::invalid(field, code, zh, en)
}

/// Imports orders from an uploaded file, one row per order line (订单号/Order number,
/// 客户/Customer — its id or exact name among the customers the caller may edit —, 联系人,
/// 销售人员 (username), 下单日期, 交付日期, 订单状态, 币种, 尚存的疑虑, 备注, 产品 (SKU or id),
/// 数量, 单价). Values follow the order form's rules. An order number that exists is skipped
/// (`skipped`, `already_imported`); any row error writes nothing. Each new order gets its
/// thank-you note and 2-5-12 calls due today or later, or also those already due with
/// `past_tasks`; a cancelled order none.
#[utoipa::path(post, path = "/api/v1/imports/orders", tag = "import/export",
    request_body(content = OrderImportUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = OrderImportReport, description = "The report: `committed` says whether anything was written"),
        crate::problem::Unauthenticated, crate::problem::Forbidden,
        (status = 422, body = crate::problem::Problem, content_type = "application/problem+json", description = "No file, a file that cannot be read, or a bad form part")))]
async fn import_orders(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<OrderImportReport>, ApiError> {
    let err = |e| ApiError(e, a.lang);
    a.require_archive_editor().map_err(err)?;
    let multipart = multipart.map_err(|e| {
        err(invalid(
            "body",
            "not_multipart",
            format!("请以 multipart/form-data 上传文件：{}", e.body_text()),
            format!("Send the file as multipart/form-data: {}", e.body_text()),
        ))
    })?;
    let (bytes, opts) = read_upload(multipart).await.map_err(err)?;
    let report = huike_app::import::order_commit::run(&s.app, &a, bytes, opts)
        .await
        .map_err(err)?;
    Ok(Json(report))
}

/// The upload's file and options; a part the form does not have is refused.
pub(crate) async fn read_upload(
    mut multipart: Multipart,
) -> Result<(Vec<u8>, OrderImportOptions), AppError> {
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
    let mut opts = OrderImportOptions::default();
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("upload").to_string();
            let data = field.bytes().await.map_err(broken)?;
            file = Some((file_name, data.to_vec()));
            continue;
        }
        if !PARTS.contains(&name.as_str()) {
            return Err(invalid(
                "body",
                "unknown_field",
                format!("上传表单没有「{name}」这一项（可用：{}）", PARTS.join("、")),
                format!(
                    "The upload form has no part \"{name}\" (use {})",
                    PARTS.join(", ")
                ),
            ));
        }
        let value = field.text().await.map_err(broken)?;
        match name.as_str() {
            "commit" => opts.commit = parse_flag("commit", &value)?,
            "past_tasks" => opts.past_tasks = parse_flag("past_tasks", &value)?,
            "encoding" => {
                let value = value.trim();
                if !value.is_empty() && !is_known_encoding(value) {
                    return Err(invalid(
                        "encoding",
                        "unknown_encoding",
                        format!("未知的文本编码「{value}」：请选择 UTF-8、GBK 或 GB18030"),
                        format!("Unknown text encoding \"{value}\": choose UTF-8, GBK or GB18030"),
                    ));
                }
                opts.read.encoding = (!value.is_empty()).then(|| value.to_string());
            }
            _ => {
                let value = value.trim();
                opts.read.sheet = (!value.is_empty()).then(|| value.to_string());
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

/// A boolean form part: `true` or `false` (the page's checkbox sends `true` when ticked).
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

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(import_orders),
    components(schemas(OrderImportUpload, OrderImportReport))
)]
pub struct OrderImportDoc;

#[cfg(test)]
mod tests {
    use super::*;

    /// The document states the parts the handler reads, and no others.
    #[test]
    fn the_document_states_the_forms_parts() {
        let doc = crate::api_doc::document();
        let upload = &doc["components"]["schemas"]["OrderImportUpload"];
        assert_eq!(upload["additionalProperties"], false, "{upload}");
        let mut stated: Vec<&str> = upload["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .map(String::as_str)
            .collect();
        stated.sort_unstable();
        let mut parts = PARTS.to_vec();
        parts.sort_unstable();
        assert_eq!(stated, parts);
        assert_eq!(upload["properties"]["past_tasks"]["type"], "boolean");
        let op = &doc["paths"]["/api/v1/imports/orders"]["post"];
        assert!(op["responses"]["200"].is_object(), "{op}");
    }
}
