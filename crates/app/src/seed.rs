//! Seed data for `serve --demo` and `huike demo`: realistic, deterministic customers, contacts, products and orders for a seed, written through the store one batch per transaction.

use huike_domain::{BuyingRole, Channel, PersonalityType};
use huike_store::contacts::Contact;
use huike_store::customers::Customer;
use huike_store::interactions::Interaction;
use huike_store::orders::{Order, OrderLine};
use huike_store::products::{Category, Product};
use huike_store::{contacts, customers, interactions, new_id, now_ms, orders, products};

use crate::users::UserInput;
use crate::{App, AppResult, search};

/// SplitMix64: tiny, fast, and its output never changes with a dependency upgrade.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "曾", "单",
    "解", "欧阳", "司马",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "华", "平", "刚", "桂英", "建华", "文", "乐", "晓东", "海燕", "志强", "婷", "雪",
];
/// Province → cities → districts.
type RegionTable = &'static [(
    &'static str,
    &'static [(&'static str, &'static [&'static str])],
)];
const REGIONS: RegionTable = &[
    (
        "北京市",
        &[("北京市", &["朝阳区", "海淀区", "东城区", "丰台区"])],
    ),
    (
        "上海市",
        &[("上海市", &["浦东新区", "徐汇区", "静安区", "闵行区"])],
    ),
    (
        "广东省",
        &[
            ("广州市", &["天河区", "越秀区", "番禺区"]),
            ("深圳市", &["南山区", "福田区", "宝安区"]),
            ("东莞市", &["南城街道", "长安镇"]),
        ],
    ),
    (
        "浙江省",
        &[
            ("杭州市", &["西湖区", "滨江区", "余杭区"]),
            ("宁波市", &["鄞州区", "海曙区"]),
            ("温州市", &["鹿城区", "瓯海区"]),
        ],
    ),
    (
        "江苏省",
        &[
            ("南京市", &["玄武区", "鼓楼区"]),
            ("苏州市", &["姑苏区", "工业园区"]),
            ("无锡市", &["梁溪区", "滨湖区"]),
        ],
    ),
    (
        "四川省",
        &[
            ("成都市", &["锦江区", "武侯区", "高新区"]),
            ("绵阳市", &["涪城区"]),
        ],
    ),
    (
        "湖北省",
        &[
            ("武汉市", &["江汉区", "洪山区", "武昌区"]),
            ("宜昌市", &["西陵区"]),
        ],
    ),
    (
        "山东省",
        &[
            ("济南市", &["历下区", "市中区"]),
            ("青岛市", &["市南区", "黄岛区"]),
        ],
    ),
    ("重庆市", &[("重庆市", &["渝中区", "江北区", "南岸区"])]),
    (
        "福建省",
        &[
            ("福州市", &["鼓楼区", "仓山区"]),
            ("厦门市", &["思明区", "湖里区"]),
        ],
    ),
];
const BRANDS: &[&str] = &[
    "华信",
    "宏达",
    "恒通",
    "金鼎",
    "瑞丰",
    "鑫源",
    "东方",
    "长城",
    "新世纪",
    "盛世",
    "天成",
    "永泰",
    "佳美",
    "博远",
    "中科",
];
const INDUSTRIES: &[&str] = &[
    "科技",
    "贸易",
    "机械",
    "电子",
    "食品",
    "建材",
    "医疗器械",
    "物流",
    "家具",
    "纺织",
];
const SUFFIXES: &[&str] = &["有限公司", "股份有限公司", "商行", "厂"];
const TITLES: &[&str] = &[
    "总经理",
    "采购经理",
    "技术主管",
    "财务总监",
    "行政主管",
    "销售经理",
    "工程师",
];
const HOBBIES: &[&str] = &[
    "钓鱼",
    "高尔夫",
    "书法",
    "茶道",
    "摄影",
    "登山",
    "象棋",
    "旅游",
];
/// Category → (product, unit, price in 分).
type CatalogueTable = &'static [(&'static str, &'static [(&'static str, &'static str, i64)])];
const CATEGORIES: CatalogueTable = &[
    (
        "办公设备",
        &[
            ("激光打印机", "台", 189_900),
            ("碎纸机", "台", 69_900),
            ("投影仪", "台", 459_900),
        ],
    ),
    (
        "工业配件",
        &[
            ("轴承 6205", "套", 3_500),
            ("液压泵", "台", 1_280_000),
            ("传感器", "个", 24_000),
        ],
    ),
    (
        "软件服务",
        &[
            ("客户管理软件年费", "年", 980_000),
            ("实施服务", "人天", 150_000),
        ],
    ),
    (
        "耗材",
        &[("A4 复印纸", "箱", 16_000), ("硒鼓", "个", 45_000)],
    ),
];

fn mobile(rng: &mut Rng) -> String {
    let prefixes = [
        "135", "136", "138", "139", "150", "158", "186", "188", "177", "199",
    ];
    format!("{}{:08}", rng.pick(&prefixes), rng.next_u64() % 100_000_000)
}

fn person_name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

fn date(rng: &mut Rng, from_year: i32, span_days: i64) -> chrono::NaiveDate {
    let start = chrono::NaiveDate::from_ymd_opt(from_year, 1, 1).unwrap_or_default();
    start + chrono::Duration::days((rng.next_u64() % span_days.max(1) as u64) as i64)
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DemoSummary {
    pub users: usize,
    pub customers: usize,
    pub contacts: usize,
    pub orders: usize,
    pub order_lines: usize,
    pub millis: u128,
}

pub const DEMO_PASSWORD: &str = "huike-demo";

/// The demo accounts: one per role, two reps in the first department.
pub async fn ensure_users(app: &App) -> AppResult<Vec<huike_store::users::User>> {
    let d1 = crate::users::create_department(app, None, "销售一部").await?;
    let d2 = crate::users::create_department(app, None, "销售二部").await?;
    let specs = [
        ("admin", "系统管理员", "admin", None),
        ("manager1", "王主管", "manager", Some(&d1)),
        ("sales1", "李销售", "sales", Some(&d1)),
        ("sales2", "赵销售", "sales", Some(&d1)),
        ("sales3", "钱销售", "sales", Some(&d2)),
        ("service1", "周客服", "service", None),
    ];
    let mut out = Vec::new();
    let mut conn = app.conn().await?;
    for (username, display, role, dep) in specs {
        if let Some(u) = huike_store::users::find_by_username(&mut conn, username).await? {
            out.push(u);
            continue;
        }
        let u = crate::users::create(
            app,
            None,
            &UserInput {
                username: username.into(),
                display_name: display.into(),
                role: role.into(),
                department_id: dep.map(|d| d.id.clone()).unwrap_or_default(),
                password: DEMO_PASSWORD.into(),
                locale: "zh-CN".into(),
                active: true,
            },
        )
        .await?;
        out.push(u);
    }
    Ok(out)
}

/// Generates `n` customers (with ~3 contacts, ~3 interactions and ~3 orders each) for the
/// sales reps, deterministically from `seed`, in batches of one transaction each.
pub async fn generate(
    app: &App,
    n: usize,
    seed: u64,
    progress: impl Fn(usize, usize),
) -> AppResult<DemoSummary> {
    let started = std::time::Instant::now();
    let users = ensure_users(app).await?;
    let reps: Vec<&huike_store::users::User> = users.iter().filter(|u| u.role == "sales").collect();
    let mut rng = Rng::new(seed);
    let mut summary = DemoSummary {
        users: users.len(),
        ..Default::default()
    };

    // Catalogue (once).
    let mut product_list: Vec<Product> = Vec::new();
    {
        let mut tx = app.db.begin_write().await?;
        let existing = products::categories(&mut tx).await?;
        for (ci, (cat_name, items)) in CATEGORIES.iter().enumerate() {
            let cat_id = match existing.iter().find(|c| c.name == *cat_name) {
                Some(c) => c.id.clone(),
                None => {
                    let c = Category {
                        id: new_id(),
                        name: cat_name.to_string(),
                        parent_id: None,
                        created_at: now_ms(),
                    };
                    products::insert_category(&mut tx, &c).await?;
                    c.id
                }
            };
            for (i, (name, unit, price)) in items.iter().enumerate() {
                let sku = format!("P{:02}-{:03}", ci + 1, i + 1);
                let p = Product {
                    id: new_id(),
                    sku,
                    name: name.to_string(),
                    category_id: Some(cat_id.clone()),
                    unit: unit.to_string(),
                    price_fen: *price,
                    currency: "CNY".into(),
                    active: 1,
                    created_at: now_ms(),
                    updated_at: now_ms(),
                };
                if existing.iter().all(|c| c.name != *cat_name) {
                    products::insert(&mut tx, &p).await?;
                    product_list.push(p);
                }
            }
        }
        tx.commit().await?;
        if product_list.is_empty() {
            let mut conn = app.conn().await?;
            let page =
                products::list(&mut conn, &Default::default(), "name", false, 1, 100).await?;
            for item in page.items {
                product_list.push(Product {
                    id: item.id,
                    sku: item.sku,
                    name: item.name,
                    category_id: item.category_id,
                    unit: item.unit,
                    price_fen: item.price_fen,
                    currency: item.currency,
                    active: item.active,
                    created_at: 0,
                    updated_at: 0,
                });
            }
        }
    }

    const BATCH: usize = 500;
    let mut done = 0;
    let mut order_seq = 0u64;
    while done < n {
        let mut tx = app.db.begin_write().await?;
        let end = (done + BATCH).min(n);
        for i in done..end {
            let rep = reps[rng.below(reps.len())];
            let (province, cities) = rng.pick(REGIONS);
            let (city, districts) = rng.pick(cities);
            let district = rng.pick(districts);
            let is_org = rng.chance(80);
            let name = if is_org {
                format!(
                    "{}{}{}{}",
                    if rng.chance(50) {
                        city.trim_end_matches('市')
                    } else {
                        ""
                    },
                    rng.pick(BRANDS),
                    rng.pick(INDUSTRIES),
                    rng.pick(SUFFIXES)
                )
            } else {
                person_name(&mut rng)
            };
            let now = now_ms();
            let class = match rng.below(10) {
                0 | 1 => "A",
                2..=4 => "B",
                _ => "C",
            };
            let first_trade = date(&mut rng, 2018, 2900);
            let mut archive = huike_domain::Archive::default();
            archive.set(
                huike_domain::ArchiveSection::Basic,
                "org_form",
                if is_org {
                    "有限责任公司"
                } else {
                    "个人"
                },
            );
            let hobby: &str = rng.pick::<&str>(HOBBIES);
            archive.set(huike_domain::ArchiveSection::Basic, "owner.hobbies", hobby);
            archive.set(
                huike_domain::ArchiveSection::Characteristics,
                "employees",
                &format!("{}", 5 + rng.below(2000)),
            );
            let c = Customer {
                id: new_id(),
                kind: if is_org { "organization" } else { "person" }.into(),
                name: format!(
                    "{name}{}",
                    if i >= 1000 && rng.chance(30) {
                        format!("（{}）", i)
                    } else {
                        String::new()
                    }
                ),
                customer_class: Some(class.into()),
                tags: if rng.chance(20) {
                    ",重点,".into()
                } else {
                    String::new()
                },
                province: province.to_string(),
                city: city.to_string(),
                district: district.to_string(),
                address: format!("{district}{}路{}号", rng.pick(BRANDS), 1 + rng.below(300)),
                phone: mobile(&mut rng),
                email: String::new(),
                wechat: String::new(),
                qq: String::new(),
                owner_id: Some(rep.id.clone()),
                department_id: rep.department_id.clone(),
                founded_on: Some(date(&mut rng, 1995, 9000).format("%Y-%m-%d").to_string()),
                first_trade_on: Some(first_trade.format("%Y-%m-%d").to_string()),
                archive: serde_json::to_string(&archive).unwrap_or_default(),
                basic_confirmed_at: Some(now - (rng.below(400) as i64) * 86_400_000),
                characteristics_confirmed_at: rng
                    .chance(60)
                    .then(|| now - (rng.below(400) as i64) * 86_400_000),
                business_confirmed_at: None,
                trading_confirmed_at: None,
                research_confirmed_at: None,
                version: 1,
                created_at: now,
                updated_at: now,
            };
            customers::insert(&mut tx, &c).await?;
            search::index_customer(&mut tx, &c).await?;
            summary.customers += 1;
            let mut contact_ids = Vec::new();
            for _ in 0..1 + rng.below(5) {
                let lunar = rng.chance(30);
                let k = Contact {
                    id: new_id(),
                    customer_id: c.id.clone(),
                    name: person_name(&mut rng),
                    title: rng.pick(TITLES).to_string(),
                    phone: mobile(&mut rng),
                    email: String::new(),
                    wechat: String::new(),
                    qq: String::new(),
                    personality: rng
                        .chance(85)
                        .then(|| rng.pick(PersonalityType::ALL).code().to_string()),
                    low_key: i64::from(rng.chance(10)),
                    buying_role: Some(rng.pick(BuyingRole::ALL).code().to_string()),
                    personal_interest: i64::from(rng.chance(50)),
                    org_interest: i64::from(rng.chance(50)),
                    birthday_calendar: Some(if lunar { "lunar" } else { "solar" }.into()),
                    birthday_year: rng.chance(50).then(|| 1960 + rng.below(40) as i64),
                    birthday_month: Some(1 + rng.below(12) as i64),
                    birthday_day: Some(1 + rng.below(28) as i64),
                    birthday_leap: 0,
                    family_events: "[]".into(),
                    hobbies: rng.pick(HOBBIES).to_string(),
                    preferred_channel: Some(rng.pick(Channel::ALL).code().to_string()),
                    notes: String::new(),
                    version: 1,
                    created_at: now,
                    updated_at: now,
                };
                contacts::insert(&mut tx, &k).await?;
                search::index_contact(&mut tx, &k).await?;
                contact_ids.push(k.id);
                summary.contacts += 1;
            }
            for _ in 0..rng.below(4) {
                let i = Interaction {
                    id: new_id(),
                    customer_id: c.id.clone(),
                    contact_id: Some(rng.pick(&contact_ids).clone()),
                    channel: rng.pick(Channel::ALL).code().into(),
                    direction: if rng.chance(60) {
                        "outbound"
                    } else {
                        "inbound"
                    }
                    .into(),
                    user_id: Some(rep.id.clone()),
                    occurred_at: now - (rng.below(700) as i64) * 86_400_000,
                    summary: "回访客户，了解产品使用情况。".into(),
                    created_at: now,
                };
                interactions::insert(&mut tx, &i).await?;
            }
            if !product_list.is_empty() {
                for _ in 0..rng.below(6) {
                    order_seq += 1;
                    let od = date(&mut rng, 2024, 1050);
                    let order_id = new_id();
                    let mut lines = Vec::new();
                    for ln in 0..1 + rng.below(5) {
                        let p = rng.pick(&product_list);
                        let q = 1 + rng.below(20) as i64;
                        lines.push(OrderLine {
                            id: new_id(),
                            order_id: order_id.clone(),
                            line_no: ln as i64 + 1,
                            product_id: p.id.clone(),
                            quantity: q,
                            unit_price_fen: p.price_fen,
                            amount_fen: q * p.price_fen,
                        });
                    }
                    let o = Order {
                        id: order_id,
                        number: format!("SO-DEMO-{seed}-{order_seq:08}"),
                        customer_id: c.id.clone(),
                        contact_id: contact_ids.first().cloned(),
                        salesperson_id: Some(rep.id.clone()),
                        department_id: rep.department_id.clone(),
                        order_date: od.format("%Y-%m-%d").to_string(),
                        delivery_date: Some(
                            (od + chrono::Duration::days(1 + rng.below(20) as i64))
                                .format("%Y-%m-%d")
                                .to_string(),
                        ),
                        currency: "CNY".into(),
                        total_fen: lines.iter().map(|l| l.amount_fen).sum(),
                        notes: String::new(),
                        created_at: now,
                        updated_at: now,
                    };
                    summary.order_lines += lines.len();
                    orders::insert(&mut tx, &o, &lines).await?;
                    summary.orders += 1;
                }
            }
        }
        tx.commit().await?;
        done = end;
        progress(done, n);
    }
    summary.millis = started.elapsed().as_millis();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic_for_a_seed() {
        let a: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let c: Vec<u64> = {
            let mut r = Rng::new(8);
            (0..5).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
        let mut r = Rng::new(1);
        for _ in 0..1000 {
            let m = mobile(&mut r);
            assert!(
                huike_domain::contact_info::normalize_phone(&m).is_ok(),
                "{m}"
            );
        }
    }
}
