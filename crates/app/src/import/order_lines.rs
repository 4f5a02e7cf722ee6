//! Grouping an order file's rows into orders: one row per order line, the rows with the same
//! order number are one order. Nothing here touches the database (the order import resolves
//! customers, products and users and applies the order form's rules afterwards).
//!
//! The order's own fields (customer, dates, status, doubts, …) may be repeated on every row
//! of the order or given once; a row giving one a different non-blank value than an earlier
//! row of the same order is a `conflicting_order` error naming that row, because which of the
//! two is right cannot be guessed.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::order_columns::{NUMBER, OrderColumn, OrderColumnMapping};
use super::read::{RawRow, RawTable};
use super::text::excerpt;
use super::validate::{ERROR_VALUE_CHARS, RowError};
use crate::validate::Checker;

/// One line of an order, as the file wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLine {
    /// 1-based row, as in Excel.
    pub row: usize,
    pub product: String,
    pub quantity: String,
    pub unit_price: String,
}

/// An order gathered from its rows, still as text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FileOrder {
    pub number: String,
    /// The order's own fields, each with the row it was first given on.
    pub values: BTreeMap<OrderColumn, (String, usize)>,
    pub lines: Vec<FileLine>,
}

impl FileOrder {
    /// The row the order starts on.
    pub fn first_row(&self) -> usize {
        self.lines.first().map_or(0, |l| l.row)
    }

    /// The order's value of `column`, "" when no row gave one.
    pub fn value(&self, column: OrderColumn) -> &str {
        self.values.get(&column).map_or("", |(v, _)| v.as_str())
    }

    /// The row `column`'s value came from (the first row when none did): where its errors go.
    pub fn row_of(&self, column: OrderColumn) -> usize {
        self.values
            .get(&column)
            .map_or_else(|| self.first_row(), |(_, r)| *r)
    }
}

/// The orders of a file in the order their numbers first appear, and the rows' errors.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileOrders {
    pub orders: Vec<FileOrder>,
    pub errors: Vec<RowError>,
    /// Non-blank data rows read.
    pub rows_read: usize,
}

impl FileOrders {
    pub fn line_count(&self) -> usize {
        self.orders.iter().map(|o| o.lines.len()).sum()
    }
}

/// A row error on `column` in the shape of the customer import's: `reason` already names the
/// field (the order form's messages do), so the message adds only the row.
pub(crate) fn order_row_error(
    columns: &[OrderColumnMapping],
    row: usize,
    column: OrderColumn,
    code: &str,
    value: &str,
    reason: (&str, &str),
) -> RowError {
    RowError {
        row,
        column: columns
            .iter()
            .find(|c| c.field == Some(column))
            .map(|c| c.header.clone()),
        field: column.field().key.to_string(),
        code: code.to_string(),
        message_zh: format!("第 {row} 行：{}", reason.0),
        message_en: format!("Row {row}: {}", reason.1),
        value: excerpt(value, ERROR_VALUE_CHARS),
    }
}

/// Groups the rows into orders by their order number. A row with an error contributes nothing
/// (its order may still be made from its other rows, but any error stops the commit anyway).
pub fn group_orders(table: &RawTable, columns: &[OrderColumnMapping]) -> FileOrders {
    let cell = |row: &RawRow, c: OrderColumn| -> String {
        columns
            .iter()
            .find(|m| m.field == Some(c))
            .map(|m| row.cell(m.index).to_string())
            .unwrap_or_default()
    };
    let mut out = FileOrders {
        rows_read: table.rows.len(),
        ..FileOrders::default()
    };
    let mut by_number: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let r = row.row_number;
        let raw_number = cell(row, OrderColumn::Number);
        let mut c = Checker::new();
        let number = c.check(NUMBER, &raw_number);
        let mut errors: Vec<RowError> = c
            .into_errors()
            .into_iter()
            .map(|e| {
                order_row_error(
                    columns,
                    r,
                    OrderColumn::Number,
                    e.code,
                    &raw_number,
                    (&e.message_zh, &e.message_en),
                )
            })
            .collect();
        let product = cell(row, OrderColumn::Product);
        if product.is_empty() {
            let f = super::order_columns::PRODUCT;
            errors.push(order_row_error(
                columns,
                r,
                OrderColumn::Product,
                "required",
                "",
                (
                    &format!("请填写「{}」（产品编号 SKU 或 ID）。", f.zh),
                    &format!("{} is required (its code, SKU, or id).", f.en),
                ),
            ));
        }
        if !errors.is_empty() {
            out.errors.append(&mut errors);
            continue;
        }
        let at = *by_number.entry(number.clone()).or_insert_with(|| {
            out.orders.push(FileOrder {
                number: number.clone(),
                ..FileOrder::default()
            });
            out.orders.len() - 1
        });
        let order = &mut out.orders[at];
        let mut fresh = Vec::new();
        for column in OrderColumn::ALL.iter().copied() {
            if column.is_line() || column == OrderColumn::Number {
                continue;
            }
            let v = cell(row, column);
            if v.is_empty() {
                continue;
            }
            match order.values.get(&column) {
                None => fresh.push((column, v)),
                Some((earlier, _)) if *earlier == v => {}
                Some((earlier, earlier_row)) => {
                    let f = column.field();
                    let (a, b) = (
                        excerpt(earlier, ERROR_VALUE_CHARS),
                        excerpt(&v, ERROR_VALUE_CHARS),
                    );
                    errors.push(order_row_error(
                        columns,
                        r,
                        column,
                        "conflicting_order",
                        &v,
                        (
                            &format!(
                                "订单「{number}」的「{}」在第 {earlier_row} 行是「{a}」，此处却是「{b}」：同一订单的各行应一致",
                                f.zh
                            ),
                            &format!(
                                "order \"{number}\" has {} \"{a}\" in row {earlier_row} but \"{b}\" here: the rows of one order must agree",
                                f.en
                            ),
                        ),
                    ));
                }
            }
        }
        if errors.is_empty() {
            for (column, v) in fresh {
                order.values.insert(column, (v, r));
            }
            order.lines.push(FileLine {
                row: r,
                product,
                quantity: cell(row, OrderColumn::Quantity),
                unit_price: cell(row, OrderColumn::UnitPrice),
            });
        }
        out.errors.append(&mut errors);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::order_columns::suggest_order_columns;
    use super::*;

    fn table(headers: &[&str], rows: &[(usize, &[&str])]) -> RawTable {
        RawTable {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            header_row: 1,
            rows: rows
                .iter()
                .map(|(n, cells)| RawRow {
                    row_number: *n,
                    cells: cells.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
        }
    }

    const HEADERS: &[&str] = &["订单号", "客户", "下单日期", "尚存的疑虑", "产品", "数量"];

    fn group(rows: &[(usize, &[&str])]) -> FileOrders {
        let t = table(HEADERS, rows);
        group_orders(&t, &suggest_order_columns(&t.headers))
    }

    #[test]
    fn lines_with_the_same_number_form_one_order_wherever_they_are() {
        let g = group(&[
            (
                2,
                &["A-1", "顺丰包装", "2026-03-30", "担心安装", "AS-1", "2"],
            ),
            (3, &["A-2", "海曙五金", "2026-03-31", "", "AS-2", "1"]),
            // A later line of A-1: blank order fields are the order's, a repeat agrees.
            (5, &["A-1", "", "2026-03-30", "", "AS-2", "5"]),
        ]);
        assert!(g.errors.is_empty(), "{:?}", g.errors);
        assert_eq!(g.rows_read, 3);
        assert_eq!(g.line_count(), 3);
        let numbers: Vec<&str> = g.orders.iter().map(|o| o.number.as_str()).collect();
        assert_eq!(numbers, ["A-1", "A-2"]);
        let a1 = &g.orders[0];
        assert_eq!(a1.value(OrderColumn::Customer), "顺丰包装");
        assert_eq!(a1.value(OrderColumn::Doubts), "担心安装");
        assert_eq!(a1.value(OrderColumn::Contact), "");
        let rows: Vec<usize> = a1.lines.iter().map(|l| l.row).collect();
        assert_eq!(rows, [2, 5]);
        assert_eq!(a1.lines[1].product, "AS-2");
        assert_eq!(a1.lines[1].quantity, "5");
        assert_eq!(a1.row_of(OrderColumn::Customer), 2);
    }

    #[test]
    fn rows_of_one_order_that_disagree_are_named_and_rows_without_a_number_refused() {
        let g = group(&[
            (2, &["A-1", "顺丰包装", "2026-03-30", "", "AS-1", "2"]),
            (3, &["A-1", "海曙五金", "2026-03-30", "", "AS-2", "1"]),
            (4, &["", "顺丰包装", "2026-03-30", "", "AS-2", "1"]),
            (6, &["A-3", "顺丰包装", "2026-03-30", "", "", "1"]),
        ]);
        let seen: Vec<(usize, &str, &str)> = g
            .errors
            .iter()
            .map(|e| (e.row, e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (3, "customer_id", "conflicting_order"),
                (4, "number", "required"),
                (6, "product", "required"),
            ]
        );
        assert_eq!(g.errors[0].column.as_deref(), Some("客户"));
        assert!(
            g.errors[0]
                .message_zh
                .starts_with("第 3 行：订单「A-1」的「客户」在第 2 行是「顺丰包装」"),
            "{}",
            g.errors[0].message_zh
        );
        assert!(
            g.errors[0].message_en.contains("row 2"),
            "{}",
            g.errors[0].message_en
        );
        assert_eq!(g.errors[1].message_zh, "第 4 行：请填写「订单号」。");
        assert_eq!(g.errors[1].message_en, "Row 4: Order number is required.");
    }
}
