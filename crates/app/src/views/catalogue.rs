//! The catalogue as users see it: products with their price in 分 and as shown, and categories.

use huike_domain::format_money;
use huike_store::products::{Category, Product, ProductListItem};

/// A product.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProductRecord {
    pub id: String,
    pub sku: String,
    pub name: String,
    pub category_id: Option<String>,
    pub unit: String,
    /// In 分 (hundredths of the currency unit).
    pub price_fen: i64,
    /// ISO 4217.
    pub currency: String,
    /// The price as shown ("¥1,234.50").
    pub price: String,
    pub active: bool,
    /// Unix ms.
    pub created_at: i64,
    /// Unix ms.
    pub updated_at: i64,
}

impl From<Product> for ProductRecord {
    fn from(p: Product) -> Self {
        ProductRecord {
            price: format_money(p.price_fen, &p.currency),
            active: p.active == 1,
            id: p.id,
            sku: p.sku,
            name: p.name,
            category_id: p.category_id,
            unit: p.unit,
            price_fen: p.price_fen,
            currency: p.currency,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// One row of the product list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProductRow {
    pub id: String,
    pub sku: String,
    pub name: String,
    pub category_id: Option<String>,
    pub category_name: Option<String>,
    pub unit: String,
    /// In 分.
    pub price_fen: i64,
    pub currency: String,
    /// The price as shown ("¥1,234.50").
    pub price: String,
    pub active: bool,
}

impl From<ProductListItem> for ProductRow {
    fn from(p: ProductListItem) -> Self {
        ProductRow {
            price: format_money(p.price_fen, &p.currency),
            active: p.active == 1,
            id: p.id,
            sku: p.sku,
            name: p.name,
            category_id: p.category_id,
            category_name: p.category_name,
            unit: p.unit,
            price_fen: p.price_fen,
            currency: p.currency,
        }
    }
}

/// A product category.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CategoryView {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    /// Unix ms.
    pub created_at: i64,
}

impl From<Category> for CategoryView {
    fn from(c: Category) -> Self {
        CategoryView {
            id: c.id,
            name: c.name,
            parent_id: c.parent_id,
            created_at: c.created_at,
        }
    }
}
