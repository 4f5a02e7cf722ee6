//! Product catalogue use cases: categories and products with prices in 分.

use huike_domain::money::parse_money;
use huike_store::new_id;
use huike_store::products::{self, Category, Product, ProductFilter, ProductListItem};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::validate::{Checker, Field, de_flag, field};
use crate::views::{CategoryView, Page, ProductRecord, ProductRow};
use crate::{Actor, App};

pub const SKU: Field = field("sku", "货号", "SKU").max(64).required();
pub const NAME: Field = field("name", "品名", "Name").max(200).required();
pub const CATEGORY: Field = field("category_id", "类别", "Category");
pub const UNIT: Field = field("unit", "单位", "Unit").max(20);
pub const CATEGORY_NAME: Field = field("name", "类别名称", "Category name")
    .max(100)
    .required();
pub const PRICE: Field = field("price", "单价", "Price");
pub const CURRENCY: Field = field("currency", "币种", "Currency");
/// The highest price in 分 (¥92,233,720.36): a line of the most units an order allows at
/// this price still has an amount that fits.
pub const MAX_PRICE_FEN: i64 = i64::MAX / crate::orders::MAX_QUANTITY;

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProductInput {
    pub sku: String,
    pub name: String,
    pub category_id: String,
    pub unit: String,
    /// Price in yuan as typed ("1,234.50", "¥99"); stored in 分.
    pub price: String,
    /// ISO 4217 code; default CNY.
    pub currency: String,
    #[serde(deserialize_with = "de_flag")]
    pub active: bool,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CategoryInput {
    pub name: String,
    pub parent_id: String,
}

async fn check(app: &App, input: &ProductInput, p: &mut Product) -> AppResult<()> {
    let mut c = Checker::new();
    p.sku = c.check(SKU, &input.sku);
    p.name = c.check(NAME, &input.name);
    p.unit = c.check(UNIT, &input.unit);
    p.currency = c.currency(CURRENCY, &input.currency);
    match parse_money(&input.price) {
        Ok(fen) if (0..=MAX_PRICE_FEN).contains(&fen) => p.price_fen = fen,
        Ok(fen) if fen > MAX_PRICE_FEN => c.fail(
            PRICE,
            "too_large",
            format!(
                "「单价」最多 {}。",
                huike_domain::money::format_amount(MAX_PRICE_FEN)
            ),
            format!(
                "Price may be at most {}.",
                huike_domain::money::format_amount(MAX_PRICE_FEN)
            ),
        ),
        Ok(_) => c.fail(
            PRICE,
            "negative",
            "「单价」不能为负数。".into(),
            "Price cannot be negative.".into(),
        ),
        Err(e) => c.fail(
            PRICE,
            "invalid_money",
            format!("「单价」无效：{e}"),
            format!("Price is not valid: {e}"),
        ),
    }
    p.active = i64::from(input.active);
    let cat = input.category_id.trim();
    p.category_id = None;
    if !cat.is_empty() {
        let mut conn = app.conn().await?;
        if products::categories(&mut conn)
            .await?
            .iter()
            .any(|x| x.id == cat)
        {
            p.category_id = Some(cat.to_string());
        } else {
            c.missing(
                CATEGORY,
                "unknown_category",
                "「类别」不存在。".into(),
                "That category does not exist.".into(),
            );
        }
    }
    c.finish()
}

fn sku_taken(sku: &str) -> AppError {
    AppError::Conflict(crate::error::field_error(
        "sku",
        "taken",
        format!("货号「{sku}」已被其他产品使用。"),
        format!("SKU \"{sku}\" is already used by another product."),
    ))
}

pub async fn create(app: &App, actor: &Actor, input: &ProductInput) -> AppResult<ProductRecord> {
    if !actor.can_edit_catalogue() {
        return Err(AppError::Forbidden);
    }
    let now = app.clock.now_ms();
    let mut p = Product {
        id: new_id(),
        sku: String::new(),
        name: String::new(),
        category_id: None,
        unit: String::new(),
        price_fen: 0,
        currency: String::new(),
        active: 1,
        created_at: now,
        updated_at: now,
    };
    check(app, input, &mut p).await?;
    let mut tx = app.db.begin_write().await?;
    products::insert(&mut tx, &p).await.map_err(|e| match e {
        huike_store::StoreError::Conflict(_) => sku_taken(&p.sku),
        other => other.into(),
    })?;
    crate::audit::record(
        app,
        &mut tx,
        actor,
        "product",
        &p.id,
        "create",
        None,
        Some(&p),
    )
    .await?;
    app.commit(tx).await?;
    Ok(ProductRecord::from(p))
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &ProductInput,
) -> AppResult<ProductRecord> {
    if !actor.can_edit_catalogue() {
        return Err(AppError::Forbidden);
    }
    let before = {
        let mut conn = app.conn().await?;
        products::get(&mut conn, id).await?
    };
    let mut p = before.clone();
    check(app, input, &mut p).await?;
    p.updated_at = app.clock.now_ms();
    let mut tx = app.db.begin_write().await?;
    products::update(&mut tx, &p).await.map_err(|e| match e {
        huike_store::StoreError::Conflict(_) => sku_taken(&p.sku),
        other => other.into(),
    })?;
    crate::audit::record(
        app,
        &mut tx,
        actor,
        "product",
        &p.id,
        "update",
        Some(&before),
        Some(&p),
    )
    .await?;
    app.commit(tx).await?;
    Ok(ProductRecord::from(p))
}

pub async fn get(app: &App, id: &str) -> AppResult<ProductRecord> {
    let mut conn = app.conn().await?;
    Ok(ProductRecord::from(products::get(&mut conn, id).await?))
}

pub async fn categories(app: &App) -> AppResult<Vec<CategoryView>> {
    let mut conn = app.conn().await?;
    Ok(products::categories(&mut conn)
        .await?
        .into_iter()
        .map(CategoryView::from)
        .collect())
}

pub async fn create_category(
    app: &App,
    actor: &Actor,
    input: &CategoryInput,
) -> AppResult<CategoryView> {
    if !actor.can_edit_catalogue() {
        return Err(AppError::Forbidden);
    }
    let mut c = Checker::new();
    let name = c.check(CATEGORY_NAME, &input.name);
    c.finish()?;
    let parent = input.parent_id.trim();
    let cat = Category {
        id: new_id(),
        name,
        parent_id: (!parent.is_empty()).then(|| parent.to_string()),
        created_at: app.clock.now_ms(),
    };
    let mut tx = app.db.begin_write().await?;
    // A parent that does not exist is the user's mistake, not a foreign-key failure.
    if let Some(parent) = &cat.parent_id
        && !products::categories(&mut tx)
            .await?
            .iter()
            .any(|c| &c.id == parent)
    {
        return Err(AppError::UnknownReference(vec![crate::error::field_error(
            "parent_id",
            "unknown_category",
            "「上级类别」不存在。",
            "That parent category does not exist.",
        )]));
    }
    products::insert_category(&mut tx, &cat)
        .await
        .map_err(|e| match e {
            huike_store::StoreError::Conflict(_) => AppError::Conflict(crate::error::field_error(
                "name",
                "taken",
                format!("类别「{}」已存在。", cat.name),
                format!("Category \"{}\" already exists.", cat.name),
            )),
            other => other.into(),
        })?;
    app.commit(tx).await?;
    Ok(CategoryView::from(cat))
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
// Query-string parameters (utoipa would otherwise list them as path parameters).
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ProductQuery {
    pub category_id: Option<String>,
    /// Name or SKU contains.
    pub q: Option<String>,
    /// name | sku | price | category
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The orders the list can be sorted in (the store's `order_by`).
pub const SORTS: &[&str] = &["name", "sku", "price", "category"];

impl ProductQuery {
    /// Refuses a sort or direction that is not one of their codes.
    pub fn check(&self) -> AppResult<()> {
        let mut c = Checker::new();
        c.one_of(crate::validate::SORT, self.sort.as_deref(), SORTS);
        c.one_of(
            crate::validate::DIR,
            self.dir.as_deref(),
            crate::validate::DIRECTIONS,
        );
        c.finish()
    }

    fn filter(&self) -> ProductFilter {
        ProductFilter {
            category_id: self.category_id.clone().filter(|s| !s.is_empty()),
            text: self
                .q
                .clone()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            active_only: false,
        }
    }
}

pub async fn list(app: &App, q: &ProductQuery) -> AppResult<Page<ProductRow>> {
    q.check()?;
    let paging = crate::paging(q.page, q.per_page);
    let mut conn = app.conn().await?;
    let page = products::list(
        &mut conn,
        app.db.counts(),
        &q.filter(),
        q.sort
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("name"),
        q.dir.as_deref() == Some("desc"),
        paging,
    )
    .await?;
    Ok(Page::of(page, ProductRow::from))
}

pub(crate) async fn list_for_export(
    app: &App,
    q: &ProductQuery,
) -> AppResult<Vec<ProductListItem>> {
    q.check()?;
    let mut conn = app.conn().await?;
    Ok(products::list_all(&mut conn, &q.filter(), app.settings.export_limit).await?)
}

/// Every product, active first then by name, for order forms' pickers.
pub async fn catalogue(app: &App) -> AppResult<Vec<ProductRow>> {
    Ok(list_for_export(app, &ProductQuery::default())
        .await?
        .into_iter()
        .map(ProductRow::from)
        .collect())
}
