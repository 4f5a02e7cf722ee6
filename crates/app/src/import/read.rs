//! Reading an uploaded spreadsheet or CSV into a [`RawTable`] of trimmed text cells.
//!
//! - `.xlsx`/`.xlsm`/`.xls`/`.xlsb`/`.ods` are read with calamine, `.csv`/`.txt`/`.tsv` as
//!   text; the magic bytes win over the extension (a zip or an OLE file is a workbook).
//! - CSV text is UTF-8 (BOM stripped), UTF-16 with a BOM, or GBK/GB18030, guessed with
//!   chardetng unless [`ReadOptions::encoding`] says; the delimiter is `,`, `;` or tab.
//! - The header row is the first of the first 20 non-blank rows with at least 2 known column
//!   headers (so a title row above it is skipped), else the first non-blank row.
//! - Merged cells: the top-left value fills the whole merged range.
//! - Blank rows are skipped; [`RawRow::row_number`] is the 1-based row the user sees in Excel.
//! - Whole numbers read as integers ("13812345678"), dates as "YYYY-MM-DD".
//! - Nothing is validated here: a huge cell is kept for validation to report on its row.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Data, Reader, Sheets, open_workbook_auto_from_rs};
use encoding_rs::Encoding;
use serde::{Deserialize, Serialize};

use super::mapping::count_known_headers;
use super::text::{clean, clean_owned};

/// Default upload limit: 50 MiB.
pub const DEFAULT_MAX_BYTES: usize = 50 * 1024 * 1024;
/// How many non-blank rows from the top are searched for the header row.
pub const HEADER_SEARCH_ROWS: usize = 20;
/// A header row needs at least this many known column headers.
pub const HEADER_MIN_MATCHES: usize = 2;

/// How to read a file; `Default` reads the first sheet and guesses the encoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadOptions {
    /// CSV text encoding: "utf-8", "gbk" or "gb18030" (any WHATWG label works); `None` guesses.
    pub encoding: Option<String>,
    /// The worksheet to read; `None` reads the first.
    pub sheet: Option<String>,
    /// Larger files are refused.
    pub max_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            sheet: None,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// The table under the header row. `cells` of a row may be shorter than `headers` (trailing
/// blank cells are dropped); [`RawRow::cell`] reads a missing cell as "".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RawTable {
    pub headers: Vec<String>,
    /// 1-based row number of the header row.
    pub header_row: usize,
    /// Non-blank rows below the header, in file order.
    pub rows: Vec<RawRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawRow {
    /// 1-based row number as the user sees it in Excel (blank rows counted).
    pub row_number: usize,
    pub cells: Vec<String>,
}

impl RawRow {
    /// The trimmed text of column `index`, "" when the row has no such cell.
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map(String::as_str).unwrap_or("")
    }
}

/// The kind of file that was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Workbook,
    Csv,
}

/// What reading found out, for the mapping step to show (and let the user change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    pub format: FileFormat,
    /// The encoding CSV text was decoded with ("UTF-8", "GBK", "gb18030", "UTF-16LE", …).
    pub encoding: Option<String>,
    /// Whether the encoding was guessed (`false`: a BOM or [`ReadOptions::encoding`] said).
    pub encoding_guessed: bool,
    /// The CSV delimiter that was used.
    pub delimiter: Option<char>,
    /// The worksheet that was read.
    pub sheet: Option<String>,
    /// Every worksheet of the workbook, for choosing another.
    pub sheets: Vec<String>,
}

/// Why a file could not be read at all (row-level problems are validation's business).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the file is {size} bytes, more than the limit of {max} bytes")]
    TooLarge { size: usize, max: usize },
    #[error("the file has no data")]
    Empty,
    #[error("unknown text encoding \"{0}\"")]
    UnknownEncoding(String),
    #[error("the file is not valid {encoding} text")]
    Undecodable { encoding: String },
    #[error("the workbook has no worksheet named \"{sheet}\"")]
    SheetNotFound {
        sheet: String,
        available: Vec<String>,
    },
    #[error("the workbook has no worksheets")]
    NoSheets,
    #[error("the workbook cannot be read: {0}")]
    Workbook(String),
}

impl ReadError {
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::TooLarge { .. } => "file_too_large",
            ReadError::Empty => "empty_file",
            ReadError::UnknownEncoding(_) => "unknown_encoding",
            ReadError::Undecodable { .. } => "undecodable",
            ReadError::SheetNotFound { .. } => "sheet_not_found",
            ReadError::NoSheets => "no_sheets",
            ReadError::Workbook(_) => "unreadable_workbook",
        }
    }

    pub fn message_zh(&self) -> String {
        match self {
            ReadError::TooLarge { size, max } => {
                format!(
                    "文件大小 {} 超过上限 {}，请拆分后分批导入",
                    human_size(*size),
                    human_size(*max)
                )
            }
            ReadError::Empty => "文件里没有数据".to_string(),
            ReadError::UnknownEncoding(e) => {
                format!("不认识的文字编码「{e}」：请选择 UTF-8、GBK 或 GB18030")
            }
            ReadError::Undecodable { encoding } => {
                format!(
                    "文件不是有效的 {encoding} 文本：请选择其他编码（UTF-8、GBK 或 GB18030）后重试"
                )
            }
            ReadError::SheetNotFound { sheet, available } => {
                format!(
                    "工作簿里没有名为「{sheet}」的工作表（现有：{}）",
                    available.join("、")
                )
            }
            ReadError::NoSheets => "工作簿里没有工作表".to_string(),
            ReadError::Workbook(e) => {
                format!("无法读取该工作簿，文件可能已损坏或不是 Excel 文件（{e}）")
            }
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            ReadError::TooLarge { size, max } => format!(
                "The file is {}, more than the limit of {}: split it and import the parts",
                human_size(*size),
                human_size(*max)
            ),
            ReadError::Empty => "The file has no data".to_string(),
            ReadError::UnknownEncoding(e) => {
                format!("Unknown text encoding \"{e}\": choose UTF-8, GBK or GB18030")
            }
            ReadError::Undecodable { encoding } => format!(
                "The file is not valid {encoding} text: choose another encoding (UTF-8, GBK or GB18030) and try again"
            ),
            ReadError::SheetNotFound { sheet, available } => {
                format!(
                    "The workbook has no worksheet named \"{sheet}\" (it has: {})",
                    available.join(", ")
                )
            }
            ReadError::NoSheets => "The workbook has no worksheets".to_string(),
            ReadError::Workbook(e) => {
                format!("The workbook cannot be read; it may be damaged or not an Excel file ({e})")
            }
        }
    }
}

fn human_size(bytes: usize) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    #[allow(clippy::cast_precision_loss)]
    let mib = bytes as f64 / MIB;
    if mib >= 1.0 {
        format!("{mib:.1} MiB")
    } else {
        format!("{:.0} KiB", (bytes as f64 / 1024.0).ceil())
    }
}

/// Reads the first sheet (or `opts.sheet`) of a workbook, or a CSV file, into a [`RawTable`].
pub fn read_table(
    bytes: &[u8],
    file_name: &str,
    opts: &ReadOptions,
) -> Result<RawTable, ReadError> {
    read_table_with_info(bytes, file_name, opts).map(|(table, _)| table)
}

/// [`read_table`], also telling the format, encoding, delimiter and sheets found.
pub fn read_table_with_info(
    bytes: &[u8],
    file_name: &str,
    opts: &ReadOptions,
) -> Result<(RawTable, SourceInfo), ReadError> {
    read_table_headed_by(bytes, file_name, opts, count_known_headers)
}

/// [`read_table_with_info`] for another kind of file: `known_headers` counts the cells of a
/// row that are its column headers (the header row is found by them).
pub fn read_table_headed_by(
    bytes: &[u8],
    file_name: &str,
    opts: &ReadOptions,
    known_headers: fn(&[String]) -> usize,
) -> Result<(RawTable, SourceInfo), ReadError> {
    if bytes.len() > opts.max_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            max: opts.max_bytes,
        });
    }
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let (rows, info) = if is_workbook(bytes, &ext) {
        read_workbook(bytes, opts)?
    } else {
        read_csv(bytes, &ext, opts)?
    };
    Ok((build_table(rows, known_headers)?, info))
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn is_workbook(bytes: &[u8], ext: &str) -> bool {
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(OLE_MAGIC) {
        return true;
    }
    match ext {
        "csv" | "txt" | "tsv" | "tab" => false,
        // Claimed to be a workbook but not a zip/OLE file: let calamine say what is wrong.
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => !bytes.is_empty(),
        _ => false,
    }
}

/// (1-based row number, trimmed cells without trailing blanks) for every non-blank row.
type Rows = Vec<(usize, Vec<String>)>;

fn read_workbook(bytes: &[u8], opts: &ReadOptions) -> Result<(Rows, SourceInfo), ReadError> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ReadError::Workbook(e.to_string()))?;
    let sheets = wb.sheet_names();
    let sheet = match &opts.sheet {
        Some(want) => {
            let want_t = clean(want);
            sheets
                .iter()
                .find(|s| s.as_str() == want_t)
                .or_else(|| {
                    sheets
                        .iter()
                        .find(|s| clean(s).to_lowercase() == want_t.to_lowercase())
                })
                .cloned()
                .ok_or_else(|| ReadError::SheetNotFound {
                    sheet: want.clone(),
                    available: sheets.clone(),
                })?
        }
        None => sheets.first().cloned().ok_or(ReadError::NoSheets)?,
    };
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| ReadError::Workbook(e.to_string()))?;
    let merges = match &mut wb {
        Sheets::Xlsx(x) => x
            .merge_cells_by_sheet_name(&sheet)
            .map_err(|e| ReadError::Workbook(e.to_string()))?,
        Sheets::Xls(x) => x
            .merge_cells_by_sheet_name(&sheet)
            .map_err(|e| ReadError::Workbook(e.to_string()))?,
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    };
    drop(wb);

    let info = SourceInfo {
        format: FileFormat::Workbook,
        encoding: None,
        encoding_guessed: false,
        delimiter: None,
        sheet: Some(sheet),
        sheets,
    };
    let Some((r0, c0)) = range.start() else {
        return Ok((Vec::new(), info));
    };
    let (height, width) = range.get_size();

    // Trailing blank cells are not stored: a stray cell far to the right must not make every
    // row thousands of cells wide.
    let mut grid: Vec<Vec<String>> = range
        .rows()
        .map(|row| {
            let used = row
                .iter()
                .rposition(|c| !data_is_blank(c))
                .map_or(0, |i| i + 1);
            row[..used]
                .iter()
                .map(cell_text)
                .map(Cow::into_owned)
                .collect()
        })
        .collect();
    drop(range);

    let (r0, c0) = (r0 as usize, c0 as usize);
    for m in merges {
        let (top, left) = (m.start.0 as usize, m.start.1 as usize);
        let (bottom, right) = (m.end.0 as usize, m.end.1 as usize);
        // A top-left outside the used range is empty: nothing to fill.
        if top < r0 || left < c0 || top >= r0 + height || left >= c0 + width {
            continue;
        }
        let (top, left) = (top - r0, left - c0);
        let bottom = bottom.saturating_sub(r0).min(height - 1);
        let right = right.saturating_sub(c0).min(width - 1);
        let value = match grid.get(top).and_then(|r| r.get(left)) {
            Some(v) if !v.is_empty() => v.clone(),
            _ => continue,
        };
        for row in grid.iter_mut().take(bottom + 1).skip(top) {
            if row.len() <= right {
                row.resize(right + 1, String::new());
            }
            for cell in row.iter_mut().take(right + 1).skip(left) {
                if cell.is_empty() {
                    cell.clone_from(&value);
                }
            }
        }
    }

    let rows = grid
        .into_iter()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .map(|(i, cells)| (r0 + i + 1, cells))
        .collect();
    Ok((rows, info))
}

fn data_is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => clean(s).is_empty(),
        _ => false,
    }
}

/// A cell as trimmed text: whole numbers without ".0" or exponent, dates as YYYY-MM-DD.
fn cell_text(cell: &Data) -> Cow<'_, str> {
    match cell {
        Data::Empty => Cow::Borrowed(""),
        Data::String(s) => Cow::Borrowed(clean(s)),
        Data::Int(i) => Cow::Owned(i.to_string()),
        Data::Float(f) => Cow::Owned(float_text(*f)),
        Data::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                match dt.as_datetime() {
                    Some(d) => Cow::Owned(datetime_text(d)),
                    None => Cow::Owned(float_text(dt.as_f64())),
                }
            } else {
                Cow::Owned(float_text(dt.as_f64()))
            }
        }
        Data::DateTimeIso(s) => {
            match chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
                Ok(d) => Cow::Owned(datetime_text(d)),
                Err(_) => Cow::Borrowed(clean(s)),
            }
        }
        Data::DurationIso(s) => Cow::Borrowed(clean(s)),
        Data::Error(e) => Cow::Owned(e.to_string()),
    }
}

fn float_text(f: f64) -> String {
    // Integers up to 2^53 are exact in an f64; phone numbers and IDs are well within that.
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        #[allow(clippy::cast_possible_truncation)]
        let i = f as i64;
        i.to_string()
    } else {
        f.to_string()
    }
}

fn datetime_text(d: chrono::NaiveDateTime) -> String {
    if d.time() == chrono::NaiveTime::MIN {
        d.format("%Y-%m-%d").to_string()
    } else {
        d.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

fn read_csv(bytes: &[u8], ext: &str, opts: &ReadOptions) -> Result<(Rows, SourceInfo), ReadError> {
    let (text, encoding, guessed) = decode(bytes, opts.encoding.as_deref())?;
    let delimiter = if matches!(ext, "tsv" | "tab") {
        b'\t'
    } else {
        sniff_delimiter(&text)
    };
    let mut rows = Vec::new();
    for (row_number, record) in CsvRecords::new(&text, char::from(delimiter)).enumerate() {
        let mut cells: Vec<String> = record.into_iter().map(clean_owned).collect();
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if !cells.is_empty() {
            rows.push((row_number + 1, cells));
        }
    }
    let info = SourceInfo {
        format: FileFormat::Csv,
        encoding: Some(encoding.to_string()),
        encoding_guessed: guessed,
        delimiter: Some(char::from(delimiter)),
        sheet: None,
        sheets: Vec::new(),
    };
    Ok((rows, info))
}

/// RFC 4180 records, leniently: every line end outside quotes ends a record, empty lines
/// included (the csv crate skips those, and Excel shows them as rows, so the row numbers the
/// user sees would drift); a stray quote inside an unquoted field is kept as text, and an
/// unterminated quote runs to the end of the file.
struct CsvRecords<'t> {
    chars: std::iter::Peekable<std::str::Chars<'t>>,
    delimiter: char,
}

impl<'t> CsvRecords<'t> {
    fn new(text: &'t str, delimiter: char) -> Self {
        CsvRecords {
            chars: text.chars().peekable(),
            delimiter,
        }
    }
}

impl Iterator for CsvRecords<'_> {
    type Item = Vec<String>;

    fn next(&mut self) -> Option<Vec<String>> {
        self.chars.peek()?;
        let mut record = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut at_field_start = true;
        while let Some(c) = self.chars.next() {
            if quoted {
                if c == '"' {
                    if self.chars.peek() == Some(&'"') {
                        self.chars.next();
                        field.push('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    field.push(c);
                }
                continue;
            }
            match c {
                '"' if at_field_start => {
                    quoted = true;
                    at_field_start = false;
                }
                '\r' | '\n' => {
                    if c == '\r' && self.chars.peek() == Some(&'\n') {
                        self.chars.next();
                    }
                    record.push(field);
                    return Some(record);
                }
                c if c == self.delimiter => {
                    record.push(std::mem::take(&mut field));
                    at_field_start = true;
                }
                c => {
                    field.push(c);
                    at_field_start = false;
                }
            }
        }
        record.push(field);
        Some(record)
    }
}

/// Whether `label` names a text encoding the CSV reader knows (a WHATWG label such as utf-8,
/// gbk, gb18030 or utf-16le, in any case).
pub fn is_known_encoding(label: &str) -> bool {
    Encoding::for_label(label.trim().as_bytes()).is_some()
}

/// Decodes CSV bytes: (text, encoding name, whether it was guessed).
fn decode(bytes: &[u8], label: Option<&str>) -> Result<(String, &'static str, bool), ReadError> {
    if let Some(label) = label.map(str::trim).filter(|l| !l.is_empty()) {
        let enc = Encoding::for_label(label.as_bytes())
            .ok_or_else(|| ReadError::UnknownEncoding(label.to_string()))?;
        // A BOM of the chosen encoding is dropped; the user's choice is otherwise final.
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(ReadError::Undecodable {
                encoding: enc.name().to_string(),
            });
        }
        return Ok((text.into_owned(), enc.name(), false));
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        let (text, had_errors) = enc.decode_without_bom_handling(rest);
        if had_errors {
            return Err(ReadError::Undecodable {
                encoding: enc.name().to_string(),
            });
        }
        return Ok((text.into_owned(), enc.name(), false));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), encoding_rs::UTF_8.name(), true));
    }
    // Not UTF-8: ask chardetng, leaning towards the encodings Chinese Excel writes.
    const SNIFF: usize = 1024 * 1024;
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let sample = bytes.get(..SNIFF).unwrap_or(bytes);
    detector.feed(sample, sample.len() == bytes.len());
    let enc = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(ReadError::Undecodable {
            encoding: enc.name().to_string(),
        });
    }
    Ok((text.into_owned(), enc.name(), true))
}

/// The delimiter that splits the first lines most often: `,` unless `;` or tab win.
fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !clean(l).is_empty())
        .take(HEADER_SEARCH_ROWS)
        .collect();
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t'] {
        let count = lines
            .iter()
            .map(|l| count_outside_quotes(l, d))
            .sum::<usize>();
        if count > best.1 {
            best = (d, count);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            n += 1;
        }
    }
    n
}

/// Finds the header row and keeps the non-blank rows below it.
fn build_table(rows: Rows, known_headers: fn(&[String]) -> usize) -> Result<RawTable, ReadError> {
    if rows.is_empty() {
        return Err(ReadError::Empty);
    }
    let header_at = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|(_, cells)| known_headers(cells) >= HEADER_MIN_MATCHES)
        .unwrap_or(0);
    let mut rows = rows.into_iter().skip(header_at);
    let Some((header_row, mut headers)) = rows.next() else {
        return Err(ReadError::Empty);
    };
    let rows: Vec<RawRow> = rows
        .map(|(row_number, cells)| RawRow { row_number, cells })
        .collect();
    let width = rows
        .iter()
        .map(|r| r.cells.len())
        .max()
        .unwrap_or(0)
        .max(headers.len());
    headers.resize(width, String::new());
    let headers = headers.into_iter().map(clean_owned).collect();
    Ok(RawTable {
        headers,
        header_row,
        rows,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn csv_table(text: &str) -> RawTable {
        read_table(text.as_bytes(), "a.csv", &ReadOptions::default()).unwrap()
    }

    #[test]
    fn title_row_and_blank_lines_keep_excel_row_numbers() {
        let t = csv_table(
            "2026年客户名单\n\n客户名称,电话,联系人\n华为,010-12345678,张三\n\n,,\n腾讯,0755-86013388,李四\n",
        );
        assert_eq!(t.header_row, 3);
        assert_eq!(t.headers, vec!["客户名称", "电话", "联系人"]);
        let nums: Vec<usize> = t.rows.iter().map(|r| r.row_number).collect();
        assert_eq!(nums, vec![4, 7]);
        assert_eq!(t.rows[1].cells, vec!["腾讯", "0755-86013388", "李四"]);
    }

    #[test]
    fn quoted_multiline_cells_count_as_one_row() {
        let t = csv_table("客户名称,地址\n\"华为\",\"深圳\n龙岗\"\n腾讯,深圳\n");
        assert_eq!(t.rows[0].cells[1], "深圳\n龙岗");
        assert_eq!(
            t.rows.iter().map(|r| r.row_number).collect::<Vec<_>>(),
            vec![2, 3]
        );
    }

    #[test]
    fn semicolon_and_tab_delimiters() {
        let t = csv_table("客户名称;电话\n\"华为; 深圳\";010-12345678\n");
        assert_eq!(t.rows[0].cells, vec!["华为; 深圳", "010-12345678"]);
        let t = csv_table("Customer\tPhone\nACME\t010-12345678\n");
        assert_eq!(t.headers, vec!["Customer", "Phone"]);
        assert_eq!(t.rows[0].cells, vec!["ACME", "010-12345678"]);
    }

    #[test]
    fn no_known_headers_means_the_first_row() {
        let t = csv_table("\n甲,乙\n1,2\n");
        assert_eq!(t.header_row, 2);
        assert_eq!(t.headers, vec!["甲", "乙"]);
    }

    #[test]
    fn encodings() {
        let (gbk, _, _) = encoding_rs::GBK.encode("客户名称,电话\n华为,010-12345678\n");
        let t = read_table(&gbk, "x.csv", &ReadOptions::default()).unwrap();
        assert_eq!(t.headers[0], "客户名称");
        // An explicit but wrong encoding is refused rather than garbled.
        let opts = ReadOptions {
            encoding: Some("utf-8".into()),
            ..ReadOptions::default()
        };
        assert_eq!(
            read_table(&gbk, "x.csv", &opts).unwrap_err().code(),
            "undecodable"
        );
        let opts = ReadOptions {
            encoding: Some("klingon".into()),
            ..ReadOptions::default()
        };
        assert_eq!(
            read_table(&gbk, "x.csv", &opts).unwrap_err().code(),
            "unknown_encoding"
        );
        // UTF-16LE with a BOM, as Excel's "Unicode text" writes.
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "客户名称\t电话\r\n华为\t010-12345678\r\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let (t, info) = read_table_with_info(&utf16, "x.txt", &ReadOptions::default()).unwrap();
        assert_eq!(info.encoding.as_deref(), Some("UTF-16LE"));
        assert_eq!(t.rows[0].cells, vec!["华为", "010-12345678"]);
    }

    #[test]
    fn limits_and_empty_files() {
        let opts = ReadOptions {
            max_bytes: 10,
            ..ReadOptions::default()
        };
        let e = read_table(b"0123456789ABC", "x.csv", &opts).unwrap_err();
        assert_eq!(e, ReadError::TooLarge { size: 13, max: 10 });
        assert!(e.message_zh().contains("超过上限"));
        assert_eq!(
            read_table(b"\n , \n", "x.csv", &ReadOptions::default()).unwrap_err(),
            ReadError::Empty
        );
        assert_eq!(
            read_table(b"junk", "x.xlsx", &ReadOptions::default())
                .unwrap_err()
                .code(),
            "unreadable_workbook"
        );
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(float_text(13812345678.0), "13812345678");
        assert_eq!(float_text(1.5), "1.5");
        assert_eq!(float_text(-3.0), "-3");
        let d = chrono::NaiveDate::from_ymd_opt(2020, 1, 2).unwrap();
        assert_eq!(datetime_text(d.and_hms_opt(0, 0, 0).unwrap()), "2020-01-02");
        assert_eq!(
            datetime_text(d.and_hms_opt(9, 30, 0).unwrap()),
            "2020-01-02 09:30:00"
        );
    }
}
