//! The columns of an order file: which header feeds which field of an order or of its line.
//!
//! Headers are matched as the customer import matches its own ([`normalize_header`]: width,
//! case, spaces, "*" and "(必填)" do not matter). The order's fields carry the labels and
//! rules of the order form (`crate::orders`), so a cell is refused for the reason the form
//! gives.

use serde::{Deserialize, Serialize};

use super::commit::MappingProblem;
use super::mapping::normalize_header;
use crate::validate::{Field, field};

/// The order number a file gives (orders.number is unique: a number already there is skipped).
pub const NUMBER: Field = field("number", "订单号", "Order number").max(64).required();
/// A line's product: its code (SKU) or id.
pub const PRODUCT: Field = field("product", "产品", "Product");
pub const QUANTITY: Field = field("quantity", "数量", "Quantity");
pub const UNIT_PRICE: Field = field("unit_price", "单价", "Unit price");

/// A field of the order import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderColumn {
    Number,
    // The order form's keys, so a report and the form's errors name a field alike.
    #[serde(rename = "customer_id")]
    Customer,
    #[serde(rename = "contact_id")]
    Contact,
    #[serde(rename = "salesperson_id")]
    Salesperson,
    OrderDate,
    DeliveryDate,
    Status,
    Currency,
    Doubts,
    Notes,
    Product,
    Quantity,
    UnitPrice,
}

impl OrderColumn {
    pub const ALL: &'static [OrderColumn] = &[
        OrderColumn::Number,
        OrderColumn::Customer,
        OrderColumn::Contact,
        OrderColumn::Salesperson,
        OrderColumn::OrderDate,
        OrderColumn::DeliveryDate,
        OrderColumn::Status,
        OrderColumn::Currency,
        OrderColumn::Doubts,
        OrderColumn::Notes,
        OrderColumn::Product,
        OrderColumn::Quantity,
        OrderColumn::UnitPrice,
    ];

    /// Without these a file cannot make an order.
    pub const REQUIRED: &'static [OrderColumn] = &[
        OrderColumn::Number,
        OrderColumn::Customer,
        OrderColumn::OrderDate,
        OrderColumn::Product,
        OrderColumn::Quantity,
    ];

    /// The fields of a line; every other field belongs to the whole order, and the rows of
    /// one order must agree on it.
    pub fn is_line(self) -> bool {
        matches!(
            self,
            OrderColumn::Product | OrderColumn::Quantity | OrderColumn::UnitPrice
        )
    }

    /// The order form's field (key, labels and text rule) this column feeds.
    pub fn field(self) -> Field {
        use crate::orders;
        match self {
            OrderColumn::Number => NUMBER,
            OrderColumn::Customer => orders::CUSTOMER,
            OrderColumn::Contact => orders::CONTACT,
            OrderColumn::Salesperson => orders::SALESPERSON,
            OrderColumn::OrderDate => orders::ORDER_DATE,
            OrderColumn::DeliveryDate => orders::DELIVERY_DATE,
            OrderColumn::Status => orders::STATUS,
            OrderColumn::Currency => orders::CURRENCY,
            OrderColumn::Doubts => orders::DOUBTS,
            OrderColumn::Notes => orders::NOTES,
            OrderColumn::Product => PRODUCT,
            OrderColumn::Quantity => QUANTITY,
            OrderColumn::UnitPrice => UNIT_PRICE,
        }
    }

    /// The column a field key of the order form names (its errors carry those keys).
    pub fn of_key(key: &str) -> Option<OrderColumn> {
        OrderColumn::ALL
            .iter()
            .copied()
            .find(|c| c.field().key == key)
    }

    /// Header texts recognised for this field (compared after [`normalize_header`]).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            OrderColumn::Number => &[
                "订单号",
                "订单编号",
                "订单号码",
                "单号",
                "Order number",
                "Order no",
                "Order no.",
                "Order #",
                "Order",
            ],
            OrderColumn::Customer => &[
                "客户",
                "客户名称",
                "客户名",
                "客户编号",
                "客户ID",
                "公司名称",
                "Customer",
                "Customer name",
                "Customer id",
                "Company",
            ],
            OrderColumn::Contact => &["联系人", "联系人姓名", "Contact", "Contact name"],
            OrderColumn::Salesperson => &[
                "销售人员",
                "销售",
                "业务员",
                "负责人",
                "Salesperson",
                "Sales rep",
                "Owner",
            ],
            OrderColumn::OrderDate => &[
                "下单日期",
                "订单日期",
                "下单时间",
                "日期",
                "Order date",
                "Ordered",
                "Date",
            ],
            OrderColumn::DeliveryDate => &[
                "交付日期",
                "交货日期",
                "发货日期",
                "送货日期",
                "Delivery date",
                "Delivered",
                "Delivery",
            ],
            OrderColumn::Status => &["订单状态", "状态", "Status", "Order status"],
            OrderColumn::Currency => &["币种", "货币", "Currency"],
            OrderColumn::Doubts => &[
                "尚存的疑虑",
                "疑虑",
                "客户疑虑",
                "Doubts",
                "Doubts left at the deal",
                "Concerns",
            ],
            OrderColumn::Notes => &["备注", "说明", "Notes", "Note", "Remarks"],
            OrderColumn::Product => &[
                "产品",
                "产品编号",
                "产品编码",
                "产品代码",
                "货号",
                "商品",
                "商品编号",
                "SKU",
                "Product",
                "Product code",
                "Item",
            ],
            OrderColumn::Quantity => &["数量", "件数", "Quantity", "Qty"],
            OrderColumn::UnitPrice => &["单价", "价格", "Unit price", "Price"],
        }
    }
}

/// The field a header text names, if any.
pub fn match_order_header(header: &str) -> Option<OrderColumn> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    OrderColumn::ALL
        .iter()
        .copied()
        .find(|c| c.aliases().iter().any(|a| normalize_header(a) == h))
}

/// How many cells of a row are known order headers (finds the header row under a title).
pub fn count_order_headers(cells: &[String]) -> usize {
    cells
        .iter()
        .filter(|c| match_order_header(c).is_some())
        .count()
}

/// One column of the file and the field it feeds (`None`: ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderColumnMapping {
    /// 0-based column index.
    pub index: usize,
    pub header: String,
    /// The field's key (`number`, `customer_id`, `product`, …), or null when ignored.
    #[schema(value_type = Option<String>)]
    pub field: Option<OrderColumn>,
}

/// Each header's field; a field is taken by the first column that names it.
pub fn suggest_order_columns(headers: &[String]) -> Vec<OrderColumnMapping> {
    let mut taken = Vec::new();
    headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let field = match_order_header(header).filter(|f| !taken.contains(f));
            if let Some(f) = field {
                taken.push(f);
            }
            OrderColumnMapping {
                index,
                header: header.clone(),
                field,
            }
        })
        .collect()
}

/// A required field no column feeds.
pub fn missing_columns(columns: &[OrderColumnMapping]) -> Vec<MappingProblem> {
    OrderColumn::REQUIRED
        .iter()
        .filter(|r| !columns.iter().any(|c| c.field == Some(**r)))
        .map(|r| {
            let f = r.field();
            let heads = r.aliases().iter().take(2).copied().collect::<Vec<_>>();
            MappingProblem {
                code: "required".to_string(),
                message_zh: format!(
                    "没有列对应「{}」：这是必填字段，请加一列（表头例如「{}」）",
                    f.zh,
                    heads.join("」或「")
                ),
                message_en: format!(
                    "No column is mapped to {}: it is required; add a column (headed e.g. \"{}\")",
                    f.en,
                    heads.join("\" or \"")
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_english_headers_name_the_same_fields() {
        let h = |s: &str| match_order_header(s);
        assert_eq!(h("订单号"), Some(OrderColumn::Number));
        assert_eq!(h("Order No."), Some(OrderColumn::Number));
        assert_eq!(h("*客户名称(必填)"), Some(OrderColumn::Customer));
        assert_eq!(h("尚存的疑虑"), Some(OrderColumn::Doubts));
        assert_eq!(h("SKU"), Some(OrderColumn::Product));
        assert_eq!(h("Unit price"), Some(OrderColumn::UnitPrice));
        assert_eq!(h("交货日期"), Some(OrderColumn::DeliveryDate));
        assert_eq!(h("颜色"), None);
        // Every field's key is the order form's, so the form's errors land on their column.
        assert_eq!(
            OrderColumn::of_key("customer_id"),
            Some(OrderColumn::Customer)
        );
        assert_eq!(OrderColumn::of_key("doubts"), Some(OrderColumn::Doubts));
    }

    #[test]
    fn a_file_without_a_required_column_says_which() {
        let headers: Vec<String> = ["订单号", "客户", "产品", "数量"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cols = suggest_order_columns(&headers);
        let missing = missing_columns(&cols);
        assert_eq!(missing.len(), 1);
        assert!(missing[0].message_zh.contains("下单日期"), "{missing:?}");
        assert!(missing[0].message_en.contains("Order date"), "{missing:?}");
    }
}
