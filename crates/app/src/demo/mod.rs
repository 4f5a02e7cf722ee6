//! Realistic, deterministic demo data: departments, users, a catalogue, and customers with
//! contacts, timeline and orders, generated from a seed and streamed so a million customers
//! never sit in memory at once.
//!
//! The same seed and configuration always give the same records, ids included: ids are
//! UUIDv7 built from the record's own timestamp and bits drawn from our own PRNG, never
//! from the clock or the OS.

mod catalog;
mod generate;
pub mod load;
mod names;
mod regions;
mod rng;
mod terms;
mod words;

use std::sync::Arc;

use huike_store::bulk::{
    CategoryRow, ContactRow, CustomerRow, DepartmentRow, InteractionRow, OrderLineRow, OrderRow,
    ProductRow, UserRow,
};

pub use generate::Customers;
pub use load::{DemoError, DemoProgress, DemoSummary, generate, load_demo};
pub use terms::search_terms_for;

use rng::{Cumulative, Rng};

/// The password every demo user gets; the caller hashes it.
pub const DEMO_PASSWORD: &str = "huike-demo";

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    pub customers: usize,
    pub seed: u64,
    /// Sales reps (usernames sales1 …), spread over the departments.
    pub reps: usize,
    /// Sales departments (销售一部 …), one manager each.
    pub departments: usize,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            customers: 1_000,
            seed: 1,
            reps: 20,
            departments: 4,
        }
    }
}

impl DemoConfig {
    pub fn new(customers: usize, seed: u64) -> DemoConfig {
        DemoConfig {
            customers,
            seed,
            ..DemoConfig::default()
        }
    }

    /// Service agents (service1 …): one per five reps, at least two.
    pub fn service_agents(&self) -> usize {
        (self.reps / 5).max(2)
    }

    fn departments_clamped(&self) -> usize {
        self.departments.max(1)
    }

    fn reps_clamped(&self) -> usize {
        self.reps.max(1)
    }
}

/// A user before its password is hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
    /// admin, manager, sales or service.
    pub role: &'static str,
    pub department_id: Option<String>,
    /// Plain text ([`DEMO_PASSWORD`]): hash it before storing.
    pub password: String,
    pub created_at: i64,
}

/// A mobile number that looks real and is the same on every load of the same demo.
fn demo_phone(id: &str) -> String {
    let n = id
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    format!("139{:08}", n % 100_000_000)
}

impl DemoUser {
    pub fn into_row(self, password_hash: String) -> UserRow {
        // A card to print on contact labels: a made-up mobile from the account's id.
        let phone = demo_phone(&self.id);
        let wechat = format!("huike_{}", self.username);
        UserRow {
            id: self.id,
            username: self.username,
            display_name: self.display_name,
            role: self.role.to_string(),
            department_id: self.department_id,
            password_hash,
            locale: "zh-CN".to_string(),
            active: 1,
            created_at: self.created_at,
            updated_at: self.created_at,
            email: String::new(),
            phone,
            wechat,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderBundle {
    pub order: OrderRow,
    pub lines: Vec<OrderLineRow>,
}

/// One customer with everything that hangs off it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerBundle {
    pub customer: CustomerRow,
    pub contacts: Vec<ContactRow>,
    pub interactions: Vec<InteractionRow>,
    pub orders: Vec<OrderBundle>,
}

/// A product as the order generator needs it.
#[derive(Debug, Clone)]
struct ProductInfo {
    id: String,
    /// The base name without the variant, for timeline summaries.
    short_name: &'static str,
    price_fen: i64,
    qty: (i64, i64),
}

#[derive(Debug, Clone)]
struct Rep {
    id: String,
    department_id: String,
}

/// The fixed part of a demo data set (everything but the customers) and what generating
/// customers needs from it.
struct Inner {
    cfg: DemoConfig,
    departments: Vec<DepartmentRow>,
    users: Vec<DemoUser>,
    categories: Vec<CategoryRow>,
    products: Vec<ProductRow>,
    product_info: Vec<ProductInfo>,
    /// Product indexes per child category.
    by_category: Vec<Vec<usize>>,
    reps: Vec<Rep>,
    rep_pick: Cumulative,
    service_ids: Vec<String>,
    phones: generate::PhonePlan,
}

/// A demo data set for one configuration. Cheap to clone; customers are generated on demand.
#[derive(Clone)]
pub struct Demo {
    inner: Arc<Inner>,
}

/// Stream tags, so each kind of record draws from its own sequence.
const TAG_SETUP: u64 = 1;
const TAG_USERS: u64 = 2;
pub(crate) const TAG_CUSTOMER: u64 = 3;

/// When the demo company set up its accounts and catalogue (2023-06-01 09:00 Asia/Shanghai).
const SETUP_MS: i64 = 1_685_581_200_000;

const DEPARTMENT_NUMERALS: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn department_name(i: usize) -> String {
    match DEPARTMENT_NUMERALS.get(i) {
        Some(n) => format!("销售{n}部"),
        None => format!("销售{}部", i + 1),
    }
}

/// The department of rep `i` (0-based): sales1 and sales2 share the first department and
/// sales3 is in the second, as the README's demo logins say; the rest go round in turn.
fn rep_department(i: usize, departments: usize) -> usize {
    match i {
        0 | 1 => 0,
        _ => (i - 1) % departments.max(1),
    }
}

/// A UUIDv7 for a record created at `ms`, with the random bits from `rng`.
pub(crate) fn demo_id(ms: i64, rng: &mut Rng) -> String {
    uuid::Builder::from_unix_timestamp_millis(ms.max(0) as u64, &rng.bytes10())
        .into_uuid()
        .to_string()
}

impl Demo {
    pub fn new(cfg: &DemoConfig) -> Demo {
        let mut rng = Rng::stream(cfg.seed, TAG_SETUP, 0);
        let mut name_rng = Rng::stream(cfg.seed, TAG_USERS, 0);
        let mut t = SETUP_MS;
        let mut tick = |rng: &mut Rng| {
            t += 60_000 + rng.below(600_000) as i64;
            t
        };

        let departments: Vec<DepartmentRow> = (0..cfg.departments_clamped())
            .map(|i| {
                let at = tick(&mut rng);
                DepartmentRow {
                    id: demo_id(at, &mut rng),
                    name: department_name(i),
                    created_at: at,
                }
            })
            .collect();

        let mut users = Vec::new();
        let mut user = |username: String,
                        display_name: String,
                        role: &'static str,
                        department_id: Option<String>,
                        rng: &mut Rng| {
            let at = tick(rng);
            let u = DemoUser {
                id: demo_id(at, rng),
                username,
                display_name,
                role,
                department_id,
                password: DEMO_PASSWORD.to_string(),
                created_at: at,
            };
            users.push(u.clone());
            u
        };
        user("admin".into(), "系统管理员".into(), "admin", None, &mut rng);
        for (i, d) in departments.iter().enumerate() {
            let name = names::person(&mut name_rng).full();
            user(
                format!("manager{}", i + 1),
                name,
                "manager",
                Some(d.id.clone()),
                &mut rng,
            );
        }
        let mut reps = Vec::new();
        for i in 0..cfg.reps_clamped() {
            let d = &departments[rep_department(i, departments.len())];
            let name = names::person(&mut name_rng).full();
            let u = user(
                format!("sales{}", i + 1),
                name,
                "sales",
                Some(d.id.clone()),
                &mut rng,
            );
            reps.push(Rep {
                id: u.id,
                department_id: d.id.clone(),
            });
        }
        let mut service_ids = Vec::new();
        for i in 0..cfg.service_agents() {
            let name = names::person(&mut name_rng).full();
            let u = user(format!("service{}", i + 1), name, "service", None, &mut rng);
            service_ids.push(u.id);
        }
        // Some reps carry more customers than others, as in any team.
        let rep_pick = Cumulative::new((0..reps.len()).map(|_| 50 + rng.below(100) as u32));

        let mut categories = Vec::new();
        let mut child_prefixes = Vec::new();
        for parent in catalog::CATEGORIES {
            let at = tick(&mut rng);
            let parent_id = demo_id(at, &mut rng);
            categories.push(CategoryRow {
                id: parent_id.clone(),
                name: parent.name.to_string(),
                parent_id: None,
                created_at: at,
            });
            for (name, prefix) in parent.children {
                let at = tick(&mut rng);
                categories.push(CategoryRow {
                    id: demo_id(at, &mut rng),
                    name: (*name).to_string(),
                    parent_id: Some(parent_id.clone()),
                    created_at: at,
                });
                child_prefixes.push((*prefix, categories.len() - 1));
            }
        }
        let mut products = Vec::new();
        let mut product_info = Vec::new();
        let mut by_category = vec![Vec::new(); child_prefixes.len()];
        let mut sku_counters = vec![0u32; child_prefixes.len()];
        for spec in catalog::PRODUCTS {
            let Some(ci) = child_prefixes.iter().position(|(p, _)| *p == spec.category) else {
                continue;
            };
            let category_id = categories[child_prefixes[ci].1].id.clone();
            for (variant, yuan) in spec.variants {
                sku_counters[ci] += 1;
                let at = tick(&mut rng);
                let id = demo_id(at, &mut rng);
                let price_fen = yuan * 100;
                by_category[ci].push(products.len());
                product_info.push(ProductInfo {
                    id: id.clone(),
                    short_name: spec.name,
                    price_fen,
                    qty: spec.qty,
                });
                products.push(ProductRow {
                    id,
                    sku: format!("{}-{}", spec.category, 1000 + sku_counters[ci]),
                    name: format!("{} {}", spec.name, variant),
                    category_id: Some(category_id.clone()),
                    unit: spec.unit.to_string(),
                    price_fen,
                    currency: "CNY".to_string(),
                    active: 1,
                    created_at: at,
                    updated_at: at,
                });
            }
        }

        let phones = generate::PhonePlan::new(cfg.seed);
        Demo {
            inner: Arc::new(Inner {
                cfg: cfg.clone(),
                departments,
                users,
                categories,
                products,
                product_info,
                by_category,
                reps,
                rep_pick,
                service_ids,
                phones,
            }),
        }
    }

    pub fn config(&self) -> &DemoConfig {
        &self.inner.cfg
    }

    pub fn departments(&self) -> &[DepartmentRow] {
        &self.inner.departments
    }

    /// Admin, then managers, sales reps and service agents; passwords in plain text.
    pub fn users(&self) -> &[DemoUser] {
        &self.inner.users
    }

    /// Parents before their children.
    pub fn categories(&self) -> &[CategoryRow] {
        &self.inner.categories
    }

    pub fn products(&self) -> &[ProductRow] {
        &self.inner.products
    }

    /// All customers, in creation order.
    pub fn customers(&self) -> Customers {
        Customers::new(self.inner.clone(), 0, self.inner.cfg.customers)
    }
}

#[cfg(test)]
mod tests;
