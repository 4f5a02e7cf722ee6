//! List export: a table of text cells as an .xlsx workbook or a CSV file.
//!
//! Cells are written as text, so phone numbers and codes keep their leading zeros and are never
//! evaluated. In CSV, a cell that starts with `=`, `+`, `-`, `@` (or a tab/carriage return) is
//! prefixed with `'` so a spreadsheet does not run it as a formula; plain numbers such as
//! "-12.50" or "+8613812345678" are left alone since they cannot be formulas.

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};

/// Excel's limit on characters (UTF-16 units) in one cell.
pub const XLSX_MAX_CELL_CHARS: usize = 32_767;
/// Excel's limit on rows in a sheet, the header included.
pub const XLSX_MAX_ROWS: usize = 1_048_576;
/// Column widths are measured over this many rows.
const WIDTH_SAMPLE_ROWS: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{rows} rows do not fit in one Excel sheet (at most {max})")]
    TooManyRows { rows: usize, max: usize },
    #[error("{columns} columns do not fit in one Excel sheet (at most 16384)")]
    TooManyColumns { columns: usize },
    #[error("the workbook cannot be written: {0}")]
    Xlsx(#[from] XlsxError),
}

impl ExportError {
    pub fn code(&self) -> &'static str {
        match self {
            ExportError::TooManyRows { .. } => "too_many_rows",
            ExportError::TooManyColumns { .. } => "too_many_columns",
            ExportError::Xlsx(_) => "xlsx_write_failed",
        }
    }

    pub fn message_zh(&self) -> String {
        match self {
            ExportError::TooManyRows { rows, max } => {
                format!(
                    "共 {rows} 行，超过 Excel 单个工作表的上限 {max} 行：请缩小范围或导出为 CSV"
                )
            }
            ExportError::TooManyColumns { columns } => {
                format!("共 {columns} 列，超过 Excel 的上限 16384 列")
            }
            ExportError::Xlsx(e) => format!("无法生成 Excel 文件（{e}）"),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            ExportError::TooManyRows { rows, max } => {
                format!(
                    "{rows} rows are more than one Excel sheet holds ({max}): narrow the list or export CSV"
                )
            }
            ExportError::TooManyColumns { columns } => {
                format!("{columns} columns are more than Excel allows (16384)")
            }
            ExportError::Xlsx(e) => format!("The Excel file cannot be written ({e})"),
        }
    }
}

/// One sheet with a bold, frozen header row, an autofilter and column widths fitted to the
/// first rows. Every cell is text; a cell over Excel's 32,767 characters is cut with "…".
pub fn to_xlsx(
    sheet_name: &str,
    headers: &[String],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, ExportError> {
    if rows.len() + 1 > XLSX_MAX_ROWS {
        return Err(ExportError::TooManyRows {
            rows: rows.len(),
            max: XLSX_MAX_ROWS - 1,
        });
    }
    let columns = rows
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(headers.len());
    if columns > 16_384 {
        return Err(ExportError::TooManyColumns { columns });
    }

    let mut workbook = Workbook::new();
    // Note: rust_xlsxwriter's constant-memory worksheets need its `constant_memory` feature
    // (and the tempfile crate), which the workspace does not enable; a standard worksheet
    // holds every cell in memory until saved.
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_title(sheet_name))?;
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col(c), fit_cell(h).as_ref(), &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| ExportError::TooManyRows {
            rows: rows.len(),
            max: XLSX_MAX_ROWS - 1,
        })?;
        for (c, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string(r, col(c), fit_cell(value).as_ref())?;
            }
        }
    }
    for c in 0..columns {
        let sample = rows.iter().take(WIDTH_SAMPLE_ROWS).filter_map(|r| r.get(c));
        let widest = headers
            .get(c)
            .into_iter()
            .chain(sample)
            .map(|s| display_width(s))
            .max()
            .unwrap_or(0);
        #[allow(clippy::cast_precision_loss)]
        let width = (widest as f64 + 2.0).clamp(8.0, 60.0);
        sheet.set_column_width(col(c), width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !headers.is_empty() {
        let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        sheet.autofilter(0, 0, last_row, col(columns.saturating_sub(1)))?;
    }
    Ok(workbook.save_to_buffer()?)
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A valid sheet name: no `[]:*?/\`, no leading/trailing `'`, 1–31 characters.
fn sheet_title(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .collect();
    let cleaned: String = cleaned.trim().trim_matches('\'').chars().take(31).collect();
    if cleaned.trim().is_empty() || cleaned.eq_ignore_ascii_case("history") {
        "Sheet1".to_string()
    } else {
        cleaned
    }
}

/// The cell, cut to Excel's limit with "…" when longer.
fn fit_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= XLSX_MAX_CELL_CHARS || s.encode_utf16().count() <= XLSX_MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut units = 0;
    let mut end = 0;
    for (i, ch) in s.char_indices() {
        units += ch.len_utf16();
        if units > XLSX_MAX_CELL_CHARS - 1 {
            break;
        }
        end = i + ch.len_utf8();
    }
    std::borrow::Cow::Owned(format!("{}…", &s[..end]))
}

/// Approximate width in Excel character units: CJK and other wide characters count 2.
fn display_width(s: &str) -> usize {
    s.lines()
        .map(|l| {
            l.chars()
                .map(|c| if is_wide(c) { 2 } else { 1 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// CSV text encodings for export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark: what Excel on Windows needs to open UTF-8 correctly.
    #[default]
    Utf8Bom,
    Utf8,
    /// For older Excel set to Chinese; characters GBK lacks become "?".
    Gbk,
}

impl CsvEncoding {
    /// By its code in [`crate::list_export::ENCODINGS`], exactly.
    pub fn from_code(s: &str) -> Option<CsvEncoding> {
        match s {
            "utf8bom" => Some(CsvEncoding::Utf8Bom),
            "utf8" => Some(CsvEncoding::Utf8),
            "gbk" => Some(CsvEncoding::Gbk),
            _ => None,
        }
    }
}

/// A CSV file: RFC 4180 quoting, CRLF line ends, formula-like cells prefixed with `'`.
pub fn to_csv(headers: &[String], rows: &[Vec<String>], encoding: CsvEncoding) -> Vec<u8> {
    let mut text = String::new();
    write_csv_row(&mut text, headers);
    for row in rows {
        write_csv_row(&mut text, row);
    }
    match encoding {
        CsvEncoding::Utf8Bom => {
            let mut out = Vec::with_capacity(text.len() + 3);
            out.extend_from_slice(b"\xEF\xBB\xBF");
            out.extend_from_slice(text.as_bytes());
            out
        }
        CsvEncoding::Utf8 => text.into_bytes(),
        CsvEncoding::Gbk => encode_gbk(&text),
    }
}

fn write_csv_row(out: &mut String, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let guarded = needs_formula_guard(cell);
        let quote =
            cell.contains([',', '"', '\r', '\n']) || cell.starts_with(' ') || cell.ends_with(' ');
        if quote {
            out.push('"');
        }
        if guarded {
            out.push('\'');
        }
        if quote {
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push_str("\r\n");
}

/// Whether a spreadsheet might run the cell as a formula.
fn needs_formula_guard(cell: &str) -> bool {
    let Some(first) = cell.chars().next() else {
        return false;
    };
    if !matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r') {
        return false;
    }
    // A plain signed number is data, not a formula.
    let body = &cell[1..];
    let plain_number = matches!(first, '+' | '-')
        && !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && body.bytes().filter(|b| *b == b'.').count() <= 1
        && body.bytes().next().is_some_and(|b| b.is_ascii_digit());
    !plain_number
}

/// GBK bytes; characters GBK cannot hold become "?" (not HTML entities).
fn encode_gbk(text: &str) -> Vec<u8> {
    let mut encoder = encoding_rs::GBK.new_encoder();
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(rest, &mut buf, true);
        out.extend_from_slice(&buf[..written]);
        rest = &rest[read..];
        match result {
            encoding_rs::EncoderResult::InputEmpty => break,
            encoding_rs::EncoderResult::OutputFull => {}
            encoding_rs::EncoderResult::Unmappable(_) => out.push(b'?'),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn csv_quotes_and_guards_formulas() {
        let out = to_csv(
            &s(&["名称", "备注"]),
            &[
                s(&["=HYPERLINK(\"x\")", "a,b"]),
                s(&["@SUM(A1)", "-12.5"]),
                s(&["+86 138", "+8613812345678"]),
                s(&["-1+1", "line\nbreak"]),
            ],
            CsvEncoding::Utf8,
        );
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "名称,备注\r\n\"'=HYPERLINK(\"\"x\"\")\",\"a,b\"\r\n'@SUM(A1),-12.5\r\n'+86 138,+8613812345678\r\n'-1+1,\"line\nbreak\"\r\n"
        );
    }

    #[test]
    fn csv_encodings() {
        let bom = to_csv(&s(&["客户"]), &[], CsvEncoding::Utf8Bom);
        assert!(bom.starts_with(b"\xEF\xBB\xBF"));
        let gbk = to_csv(&s(&["客户😀"]), &[], CsvEncoding::Gbk);
        let (text, _, errors) = encoding_rs::GBK.decode(&gbk);
        assert!(!errors);
        assert_eq!(text, "客户?\r\n");
        assert_eq!(CsvEncoding::from_code("gbk"), Some(CsvEncoding::Gbk));
        assert_eq!(
            CsvEncoding::from_code("utf8bom"),
            Some(CsvEncoding::Utf8Bom)
        );
        assert_eq!(CsvEncoding::from_code("GBK"), None);
        assert_eq!(CsvEncoding::from_code("latin1"), None);
    }

    #[test]
    fn sheet_names_and_long_cells() {
        assert_eq!(sheet_title("客户/名单[2026]"), "客户名单2026");
        assert_eq!(sheet_title(""), "Sheet1");
        assert_eq!(sheet_title(&"长".repeat(40)).chars().count(), 31);
        let long = "字".repeat(40_000);
        let cut = fit_cell(&long);
        assert_eq!(cut.encode_utf16().count(), XLSX_MAX_CELL_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(display_width("ab客户"), 6);
    }

    #[test]
    fn xlsx_writes() {
        let bytes = to_xlsx(
            "客户",
            &s(&["名称", "电话"]),
            &[s(&["华为", "010-12345678"])],
        )
        .unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
    }
}
