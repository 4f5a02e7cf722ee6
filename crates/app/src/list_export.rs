//! Every list as a file: the rows a list would show (same filters, same visibility scope,
//! without paging, up to `AppSettings::export_limit`) as an .xlsx workbook or a CSV file.
//!
//! Headers are in the actor's language; in Chinese they are the headers the importer
//! recognises, so an exported customer or contact list can be edited and imported elsewhere.

use huike_domain::{BuyingRole, CustomerKind, Lang, PersonalityType, TrustQuadrant};
use huike_store::customers::CustomerListItem;

use crate::clock::SHANGHAI;
use crate::contacts::ContactQuery;
use crate::customers::CustomerQuery;
use crate::error::{AppError, AppResult, field_error};
use crate::export::{CsvEncoding, ExportError, to_csv, to_xlsx};
use crate::orders::OrderQuery;
use crate::products::ProductQuery;
use crate::validate::tag_list;
use crate::{Actor, App};

/// The file format asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    Csv(CsvEncoding),
}

/// The export's file format.
pub const FORMAT: crate::validate::Field = crate::validate::field("format", "格式", "Format");
/// The formats an export is written in (absent or "" is xlsx).
pub const FORMATS: &[&str] = &["xlsx", "csv"];
/// A CSV export's encoding.
pub const ENCODING: crate::validate::Field = crate::validate::field("encoding", "编码", "Encoding");
/// The encodings a CSV export is written in (absent or "" is utf8bom, which Excel opens).
pub const ENCODINGS: &[&str] = &["utf8bom", "utf8", "gbk"];

impl ExportFormat {
    /// From request parameters: `format` xlsx (default) or csv, `encoding` utf8bom (default),
    /// utf8 or gbk (CSV only), each exactly one of [`FORMATS`] and [`ENCODINGS`] or "".
    pub fn from_params(format: Option<&str>, encoding: Option<&str>) -> AppResult<ExportFormat> {
        let encoding = match encoding.filter(|s| !s.is_empty()) {
            None => CsvEncoding::Utf8Bom,
            Some(e) => CsvEncoding::from_code(e).ok_or_else(|| {
                AppError::invalid(
                    "encoding",
                    "invalid_encoding",
                    format!("「{e}」不是可用的编码，应为 utf8bom、utf8 或 gbk"),
                    format!("\"{e}\" is not an encoding we write: use utf8bom, utf8 or gbk"),
                )
            })?,
        };
        match format.unwrap_or("xlsx") {
            "xlsx" | "" => Ok(ExportFormat::Xlsx),
            "csv" => Ok(ExportFormat::Csv(encoding)),
            other => Err(AppError::invalid(
                "format",
                "invalid_format",
                format!("「{other}」不是可用的导出格式，应为 xlsx 或 csv"),
                format!("\"{other}\" is not an export format: use xlsx or csv"),
            )),
        }
    }

    pub fn extension(&self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv(_) => "csv",
        }
    }

    pub fn content_type(&self) -> &'static str {
        match self {
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ExportFormat::Csv(CsvEncoding::Gbk) => "text/csv; charset=gbk",
            ExportFormat::Csv(_) => "text/csv; charset=utf-8",
        }
    }
}

/// A list as rows of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// "customers", "contacts", "products", "orders".
    pub list: &'static str,
    /// The list's name in the actor's language (sheet and file name).
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The list had more rows than the export limit; only the first ones are here.
    pub truncated: bool,
}

/// A finished export.
#[derive(Debug, Clone)]
pub struct ExportFile {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    /// e.g. "客户-20260314-0930.xlsx" (for RFC 5987 `filename*`).
    pub file_name: String,
    /// e.g. "customers-20260314-0930.xlsx" (the plain `filename` fallback).
    pub ascii_file_name: String,
    pub rows: usize,
    pub truncated: bool,
}

/// Renders `table` in `format`, naming the file after the list and the app's time
/// (Asia/Shanghai).
pub fn render(app: &App, table: &Table, format: ExportFormat) -> AppResult<ExportFile> {
    let bytes = match format {
        ExportFormat::Xlsx => {
            to_xlsx(&table.title, &table.headers, &table.rows).map_err(export_error)?
        }
        ExportFormat::Csv(enc) => to_csv(&table.headers, &table.rows, enc),
    };
    let stamp = app.clock.now_local().format("%Y%m%d-%H%M");
    let ext = format.extension();
    Ok(ExportFile {
        bytes,
        content_type: format.content_type(),
        file_name: format!("{}-{stamp}.{ext}", table.title),
        ascii_file_name: format!("{}-{stamp}.{ext}", table.list),
        rows: table.rows.len(),
        truncated: table.truncated,
    })
}

fn export_error(e: ExportError) -> AppError {
    AppError::Invalid(vec![field_error(
        "format",
        e.code(),
        e.message_zh(),
        e.message_en(),
    )])
}

fn headers(lang: Lang, cols: &[(&str, &str)]) -> Vec<String> {
    cols.iter()
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .collect()
}

/// Unix milliseconds as "YYYY-MM-DD HH:MM" in Asia/Shanghai.
fn local_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&SHANGHAI)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

fn table(
    list: &'static str,
    title: (&str, &str),
    lang: Lang,
    cols: &[(&str, &str)],
    rows: Vec<Vec<String>>,
    limit: i64,
) -> Table {
    let truncated = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= limit;
    Table {
        list,
        title: lang.pick(title.0, title.1).to_string(),
        headers: headers(lang, cols),
        rows,
        truncated,
    }
}

pub fn customer_row(c: &CustomerListItem, lang: Lang) -> Vec<String> {
    vec![
        c.name.clone(),
        CustomerKind::from_code(&c.kind)
            .map(|k| k.label(lang).to_string())
            .unwrap_or_else(|| c.kind.clone()),
        c.customer_class.clone().unwrap_or_default(),
        tag_list(&c.tags).join(", "),
        c.province.clone(),
        c.city.clone(),
        c.district.clone(),
        c.phone.clone(),
        c.email.clone(),
        c.owner_name.clone().unwrap_or_default(),
        c.department_name.clone().unwrap_or_default(),
        local_time(c.created_at),
        local_time(c.updated_at),
    ]
}

/// The customer list the actor sees, with the list's filters and sort.
pub async fn customers(app: &App, actor: &Actor, q: &CustomerQuery) -> AppResult<Table> {
    let items = crate::customers::list_for_export(app, actor, q).await?;
    let lang = actor.lang;
    let rows = items.iter().map(|c| customer_row(c, lang)).collect();
    Ok(table(
        "customers",
        ("客户", "Customers"),
        lang,
        &[
            ("客户名称", "Customer name"),
            ("客户类型", "Kind"),
            ("客户等级", "Class"),
            ("标签", "Tags"),
            ("省份", "Province"),
            ("城市", "City"),
            ("区县", "District"),
            ("电话", "Phone"),
            ("邮箱", "Email"),
            ("负责人", "Owner"),
            ("部门", "Department"),
            ("创建时间", "Created"),
            ("更新时间", "Updated"),
        ],
        rows,
        app.settings.export_limit,
    ))
}

/// The contact list the actor sees (contacts of visible customers).
pub async fn contacts(app: &App, actor: &Actor, q: &ContactQuery) -> AppResult<Table> {
    let items = crate::contacts::list_for_export(app, actor, q).await?;
    let lang = actor.lang;
    let rows = items
        .iter()
        .map(|k| {
            vec![
                k.customer_name.clone(),
                k.name.clone(),
                k.title.clone(),
                k.phone.clone(),
                k.email.clone(),
                k.personality
                    .as_deref()
                    .and_then(PersonalityType::from_code)
                    .map(|p| p.label(lang).to_string())
                    .unwrap_or_default(),
                k.buying_role
                    .as_deref()
                    .and_then(BuyingRole::from_code)
                    .map(|r| r.label(lang).to_string())
                    .unwrap_or_default(),
                TrustQuadrant::from_axes(k.personal_interest == 1, k.org_interest == 1)
                    .label(lang)
                    .to_string(),
                local_time(k.updated_at),
            ]
        })
        .collect();
    Ok(table(
        "contacts",
        ("联系人", "Contacts"),
        lang,
        &[
            ("客户名称", "Customer name"),
            ("联系人", "Contact name"),
            ("职务", "Title"),
            ("联系人电话", "Contact phone"),
            ("联系人邮箱", "Contact email"),
            ("个性类型", "Personality"),
            ("角色", "Role"),
            ("信任", "Trust"),
            ("更新时间", "Updated"),
        ],
        rows,
        app.settings.export_limit,
    ))
}

/// The product catalogue (everyone who may log in sees it).
pub async fn products(app: &App, actor: &Actor, q: &ProductQuery) -> AppResult<Table> {
    let items = crate::products::list_for_export(app, q).await?;
    let lang = actor.lang;
    let rows = items
        .iter()
        .map(|p| {
            vec![
                p.sku.clone(),
                p.name.clone(),
                p.category_name.clone().unwrap_or_default(),
                p.unit.clone(),
                huike_domain::money::format_decimal(p.price_fen),
                p.currency.clone(),
                lang.pick(
                    if p.active == 1 { "在售" } else { "停售" },
                    if p.active == 1 { "active" } else { "inactive" },
                )
                .to_string(),
            ]
        })
        .collect();
    Ok(table(
        "products",
        ("产品", "Products"),
        lang,
        &[
            ("编码", "SKU"),
            ("名称", "Name"),
            ("类别", "Category"),
            ("单位", "Unit"),
            ("单价", "Unit price"),
            ("币种", "Currency"),
            ("状态", "Status"),
        ],
        rows,
        app.settings.export_limit,
    ))
}

/// The orders the actor sees (orders of visible customers).
pub async fn orders(app: &App, actor: &Actor, q: &OrderQuery) -> AppResult<Table> {
    let items = crate::orders::list_for_export(app, actor, q).await?;
    let lang = actor.lang;
    let rows = items
        .iter()
        .map(|o| {
            vec![
                o.number.clone(),
                o.customer_name.clone(),
                o.order_date.clone(),
                o.delivery_date.clone().unwrap_or_default(),
                o.salesperson_name.clone().unwrap_or_default(),
                o.department_name.clone().unwrap_or_default(),
                huike_domain::money::format_decimal(o.total_fen),
                o.currency.clone(),
            ]
        })
        .collect();
    Ok(table(
        "orders",
        ("订单", "Orders"),
        lang,
        &[
            ("订单号", "Number"),
            ("客户名称", "Customer name"),
            ("下单日期", "Order date"),
            ("交货日期", "Delivery date"),
            ("销售", "Salesperson"),
            ("部门", "Department"),
            ("金额", "Total"),
            ("币种", "Currency"),
        ],
        rows,
        app.settings.export_limit,
    ))
}

/// The list named `list` ("customers", "contacts", "products", "orders") with its default
/// filters: what the CLI exports.
pub async fn whole_list(app: &App, actor: &Actor, list: &str) -> AppResult<Table> {
    match list {
        "customers" => customers(app, actor, &CustomerQuery::default()).await,
        "contacts" => contacts(app, actor, &ContactQuery::default()).await,
        "products" => products(app, actor, &ProductQuery::default()).await,
        "orders" => orders(app, actor, &OrderQuery::default()).await,
        other => Err(AppError::invalid(
            "list",
            "unknown_list",
            format!("没有「{other}」列表，应为 customers、contacts、products 或 orders"),
            format!("There is no list \"{other}\": use customers, contacts, products or orders"),
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_encodings_from_params() {
        assert_eq!(
            ExportFormat::from_params(None, None).unwrap(),
            ExportFormat::Xlsx
        );
        assert_eq!(
            ExportFormat::from_params(Some("csv"), Some("gbk")).unwrap(),
            ExportFormat::Csv(CsvEncoding::Gbk)
        );
        assert_eq!(
            ExportFormat::from_params(Some("csv"), None).unwrap(),
            ExportFormat::Csv(CsvEncoding::Utf8Bom)
        );
        assert!(ExportFormat::from_params(Some("CSV"), None).is_err());
        let e = ExportFormat::from_params(Some("pdf"), None).unwrap_err();
        assert_eq!(e.field_errors()[0].field, "format");
        let e = ExportFormat::from_params(Some("csv"), Some("latin1")).unwrap_err();
        assert_eq!(e.field_errors()[0].code, "invalid_encoding");
    }

    #[test]
    fn times_are_shanghai_local() {
        // 2026-01-01T00:00:00Z is 08:00 in Shanghai.
        assert_eq!(local_time(1_767_225_600_000), "2026-01-01 08:00");
    }
}
