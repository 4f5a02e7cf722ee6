//! Generating one customer with its contacts, timeline and orders, and the iterator that
//! streams them.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use huike_domain::{Archive, ArchiveSection, Competitor};
use huike_store::bulk::{ContactRow, CustomerRow, InteractionRow, OrderLineRow, OrderRow};

use super::names::{self, PersonName};
use super::regions::{self, City, PROVINCES, Province};
use super::rng::{Cumulative, Rng, mix};
use super::words::{self, COMPANY, FACTORY, SHOP};
use super::{CustomerBundle, Inner, OrderBundle, TAG_CUSTOMER, demo_id};

const DAY_MS: i64 = 86_400_000;
/// Asia/Shanghai is UTC+8 all year.
const CST_OFFSET_MS: i64 = 8 * 3_600_000;

/// Customers enter the system between these days (days since 1970-01-01, local calendar).
pub const CUSTOMERS_FROM: i64 = days_from_civil(2023, 7, 1);
pub const CUSTOMERS_UNTIL: i64 = days_from_civil(2025, 12, 31);
/// Orders fall between these days.
pub const ORDERS_FROM: i64 = days_from_civil(2024, 1, 1);
pub const DATA_UNTIL: i64 = days_from_civil(2026, 11, 20);

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// YYYY-MM-DD.
pub fn date_text(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_days(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Unix ms of a local (Asia/Shanghai) day and second of that day.
fn local_ms(day: i64, second: i64) -> i64 {
    day * DAY_MS + second * 1000 - CST_OFFSET_MS
}

/// A random moment in office hours (08:30–18:30 local) of `day`.
fn office_ms(day: i64, rng: &mut Rng) -> i64 {
    local_ms(day, 8 * 3600 + 1800 + rng.below(10 * 3600) as i64) + rng.below(1000) as i64
}

/// Local calendar day of a Unix ms.
fn local_day(ms: i64) -> i64 {
    (ms + CST_OFFSET_MS).div_euclid(DAY_MS)
}

/// Mobile numbers that are unique across the whole data set: slot `k` (six per customer:
/// the customer's own and up to five contacts) is mapped by an affine bijection of
/// `0..PREFIXES × 10^8` onto a prefix and eight digits, so no two slots share a number and
/// neighbouring slots look unrelated.
#[derive(Debug, Clone)]
pub struct PhonePlan {
    mul: u128,
    add: u128,
}

const MOBILE_PREFIXES: &[u16] = &[
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 145, 147, 150, 151, 152, 153, 155, 156, 157,
    158, 159, 166, 170, 171, 173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188,
    189, 191, 193, 195, 196, 198, 199,
];
const PHONE_SPACE: u128 = MOBILE_PREFIXES.len() as u128 * 100_000_000;
/// Phone slots per customer.
pub const PHONE_SLOTS: u64 = 6;

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl PhonePlan {
    pub fn new(seed: u64) -> PhonePlan {
        let mut mul = u128::from(mix(seed ^ 0x5eed_0f9a_0e00)) % PHONE_SPACE;
        while mul < 2 || gcd(mul, PHONE_SPACE) != 1 {
            mul = (mul + 1) % PHONE_SPACE;
        }
        PhonePlan {
            mul,
            add: u128::from(mix(seed ^ 0xadd)) % PHONE_SPACE,
        }
    }

    pub fn mobile(&self, slot: u64) -> String {
        let x = (u128::from(slot) * self.mul + self.add) % PHONE_SPACE;
        let prefix = MOBILE_PREFIXES[(x / 100_000_000) as usize];
        format!("{prefix}{:08}", x % 100_000_000)
    }
}

/// Landline: area code and an eight-digit local number.
fn landline(city: &City, rng: &mut Rng) -> String {
    format!(
        "{}-{}{:07}",
        city.area_code,
        2 + rng.below(7),
        rng.below(10_000_000)
    )
}

fn province_table() -> &'static Cumulative {
    static T: OnceLock<Cumulative> = OnceLock::new();
    T.get_or_init(|| Cumulative::new(PROVINCES.iter().map(|p| p.weight)))
}

fn pick_region(rng: &mut Rng) -> (&'static Province, &'static City, &'static str) {
    let p = &PROVINCES[province_table().pick(rng)];
    // The capital (listed first) gets the most customers.
    let weights: Vec<u32> = (0..p.cities.len())
        .map(|i| if i == 0 { 3 } else { 1 })
        .collect();
    let city = &p.cities[rng.weighted(&weights)];
    let district = *rng.pick(city.districts);
    (p, city, district)
}

fn pick_weighted<T: Copy>(rng: &mut Rng, items: &[(T, u32)]) -> T {
    let weights: Vec<u32> = items.iter().map(|i| i.1).collect();
    items[rng.weighted(&weights)].0
}

/// One of a list of words.
fn one(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.index(items.len())]
}

fn brand(rng: &mut Rng) -> (String, String) {
    let (a, ap) = rng.pick(words::BRAND_CHARS);
    let mut b = rng.pick(words::BRAND_CHARS);
    while b.0 == *a {
        b = rng.pick(words::BRAND_CHARS);
    }
    (format!("{a}{}", b.0), format!("{ap}{}", b.1))
}

fn industry(rng: &mut Rng, form: u8) -> &'static str {
    loop {
        let (word, forms) = rng.pick(words::INDUSTRIES);
        if forms & form != 0 {
            return word;
        }
    }
}

/// A company name built from a city or a made-up brand, an industry and a legal form.
/// Returns the name and the brand's pinyin (for the e-mail domain).
fn company_name(rng: &mut Rng, city: &City, district: &str) -> (String, String) {
    let (brand, pinyin) = brand(rng);
    let name = match rng.weighted(&[65, 8, 15, 12]) {
        0 => {
            let ind = industry(rng, COMPANY);
            match rng.weighted(&[55, 30, 15]) {
                0 => format!("{}{brand}{ind}有限公司", city.short),
                1 => format!("{brand}{ind}有限公司"),
                _ => format!("{}市{brand}{ind}有限公司", city.short),
            }
        }
        1 => {
            let ind = industry(rng, COMPANY);
            if rng.chance(0.5) {
                format!("{brand}{ind}股份有限公司")
            } else {
                format!("{}{brand}{ind}股份有限公司", city.short)
            }
        }
        2 => {
            let ind = industry(rng, SHOP);
            let place = if district.ends_with('区') || district.ends_with('市') {
                district
            } else {
                city.short
            };
            format!("{place}{brand}{ind}商行")
        }
        _ => format!("{}{brand}{}厂", city.short, industry(rng, FACTORY)),
    };
    (name, pinyin)
}

fn address(rng: &mut Rng, org: bool) -> String {
    let street = rng.pick(regions::STREETS);
    let no = 1 + rng.below(888);
    if org {
        if rng.chance(0.6) {
            format!(
                "{street}{no}号{}{}层",
                rng.pick(regions::BUILDINGS),
                2 + rng.below(28)
            )
        } else {
            format!("{street}{no}号")
        }
    } else {
        format!(
            "{street}{no}号{}{}栋{}单元{}{:02}室",
            rng.pick(regions::COMPOUNDS),
            1 + rng.below(30),
            1 + rng.below(4),
            1 + rng.below(30),
            1 + rng.below(4)
        )
    }
}

fn free_mail(rng: &mut Rng, who: &PersonName, qq: &str) -> String {
    let domain = pick_weighted(rng, words::FREE_MAIL);
    if domain == "qq.com" && !qq.is_empty() {
        return format!("{qq}@qq.com");
    }
    let local = match rng.below(3) {
        0 => who.pinyin(),
        1 => format!("{}{}", who.pinyin(), 60 + rng.below(45)),
        _ => format!("{}.{}", who.given_pinyin, who.surname_pinyin),
    };
    format!("{local}@{domain}")
}

fn qq_number(rng: &mut Rng) -> String {
    let digits = 6 + rng.below(5) as u32;
    let lo = 10u64.pow(digits - 1);
    (lo + rng.below(9 * lo)).to_string()
}

fn wechat_id(rng: &mut Rng, who: &PersonName, mobile: &str) -> String {
    const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    match rng.weighted(&[30, 50, 20]) {
        0 => {
            let mut s = String::from("wxid_");
            for _ in 0..14 {
                s.push(char::from(ALNUM[rng.index(ALNUM.len())]));
            }
            s
        }
        1 => format!("{}{}", who.pinyin(), rng.below(10_000)),
        _ if !mobile.is_empty() => mobile.to_string(),
        _ => format!("{}_{}", who.pinyin(), rng.below(1000)),
    }
}

fn tags(rng: &mut Rng, class: &str) -> String {
    let mut chosen: Vec<&str> = Vec::new();
    if class == "A" && rng.chance(0.6) {
        chosen.push("重点客户");
    }
    let n = rng.weighted(&[35, 35, 20, 10]);
    for _ in 0..n {
        let t = *rng.pick(words::TAGS);
        if !chosen.contains(&t) {
            chosen.push(t);
        }
    }
    if chosen.is_empty() {
        String::new()
    } else {
        // The stored form the app uses: ",a,b," so one LIKE finds a whole tag.
        format!(",{},", chosen.join(","))
    }
}

fn hobbies(rng: &mut Rng, max: usize) -> Vec<&'static str> {
    let n = 1 + rng.index(max);
    let mut out: Vec<&'static str> = Vec::with_capacity(n);
    for _ in 0..n {
        let h = *rng.pick(words::HOBBIES);
        if !out.contains(&h) {
            out.push(h);
        }
    }
    out
}

/// A random moment between two Unix ms (inclusive of `from`), in office hours.
fn office_between(rng: &mut Rng, from: i64, until: i64) -> i64 {
    let d0 = local_day(from);
    let d1 = local_day(until).max(d0);
    let ms = office_ms(rng.range(d0, d1), rng);
    ms.clamp(from, until.max(from))
}

/// The iterator over a demo data set's customers.
pub struct Customers {
    inner: Arc<Inner>,
    next: usize,
    end: usize,
    /// Orders numbered per day so far: numbers are SO-YYYYMMDD-NNNN like the app's own.
    day_counters: HashMap<i64, u32>,
}

impl Customers {
    pub(super) fn new(inner: Arc<Inner>, start: usize, end: usize) -> Customers {
        Customers {
            inner,
            next: start,
            end,
            day_counters: HashMap::new(),
        }
    }

    /// Customers not yet generated.
    pub fn remaining(&self) -> usize {
        self.end - self.next
    }
}

impl Iterator for Customers {
    type Item = CustomerBundle;

    fn next(&mut self) -> Option<CustomerBundle> {
        if self.next >= self.end {
            return None;
        }
        let i = self.next;
        self.next += 1;
        Some(customer(&self.inner, i, &mut self.day_counters))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining(), Some(self.remaining()))
    }
}

impl ExactSizeIterator for Customers {}

/// When customer `i` of `n` entered the system: evenly spread over the period, in office
/// hours, strictly increasing with `i` so ids (UUIDv7) are in insertion order.
fn customer_created_ms(i: usize, n: usize, rng: &mut Rng) -> i64 {
    const OFFICE_SECONDS: i64 = 10 * 3600;
    let days = CUSTOMERS_UNTIL - CUSTOMERS_FROM + 1;
    let span_ms = days * OFFICE_SECONDS * 1000;
    let n = n.max(1) as i64;
    let slot = (span_ms / n).max(1);
    let t = (i as i64).min(n - 1) * span_ms / n + rng.below(slot as u64) as i64;
    let day = CUSTOMERS_FROM + t / (OFFICE_SECONDS * 1000);
    let within = t % (OFFICE_SECONDS * 1000);
    local_ms(day, 8 * 3600 + 1800) + within
}

struct ContactPlan {
    name: PersonName,
    role: &'static str,
}

fn customer(inner: &Inner, i: usize, day_counters: &mut HashMap<i64, u32>) -> CustomerBundle {
    let cfg = &inner.cfg;
    let mut rng = Rng::stream(cfg.seed, TAG_CUSTOMER, i as u64);
    let created_at = customer_created_ms(i, cfg.customers, &mut rng);
    let created_day = local_day(created_at);
    let end_ms = local_ms(DATA_UNTIL, 18 * 3600 + 1800);
    let id = demo_id(created_at, &mut rng);

    let org = rng.chance(0.8);
    let class = ["A", "B", "C"][rng.weighted(&[20, 30, 50])];
    let (province, city, district) = pick_region(&mut rng);
    let rep = &inner.reps[inner.rep_pick.pick(&mut rng)];
    let slot0 = i as u64 * super::generate::PHONE_SLOTS;

    // Who the customer's people are, decided first so the archive can name them.
    let mut plans: Vec<ContactPlan> = Vec::new();
    let person_name = names::person(&mut rng);
    if org {
        let n = 1 + rng.weighted(&[5, 15, 30, 25, 25]);
        for k in 0..n {
            let role = if k == 0 && rng.chance(0.7) {
                "decision_maker"
            } else {
                pick_weighted(&mut rng, words::BUYING_ROLES)
            };
            let name = if k == 0 {
                person_name.clone()
            } else {
                names::person(&mut rng)
            };
            plans.push(ContactPlan { name, role });
        }
    } else {
        plans.push(ContactPlan {
            name: person_name.clone(),
            role: "decision_maker",
        });
        if rng.chance(0.3) {
            let mut spouse = names::person(&mut rng);
            spouse.female = !person_name.female;
            plans.push(ContactPlan {
                name: spouse,
                role: "influencer",
            });
        }
    }

    let (name, domain) = if org {
        let (name, pinyin) = company_name(&mut rng, city, district);
        let tld = [".com", ".cn", ".com.cn"][rng.weighted(&[50, 25, 25])];
        (name, format!("{pinyin}{tld}"))
    } else {
        (person_name.full(), String::new())
    };

    let own_mobile = inner.phones.mobile(slot0);
    let phone = if org && rng.chance(0.65) {
        landline(city, &mut rng)
    } else {
        own_mobile.clone()
    };
    let qq = if rng.chance(if org { 0.15 } else { 0.3 }) {
        qq_number(&mut rng)
    } else {
        String::new()
    };
    let email = if org {
        if rng.chance(0.5) {
            format!("{}@{domain}", rng.pick(words::COMPANY_MAIL_USERS))
        } else {
            String::new()
        }
    } else if rng.chance(0.35) {
        free_mail(&mut rng, &person_name, &qq)
    } else {
        String::new()
    };
    let wechat = if rng.chance(if org { 0.3 } else { 0.7 }) {
        wechat_id(&mut rng, &person_name, &own_mobile)
    } else {
        String::new()
    };

    // Contacts.
    let mut contacts: Vec<ContactRow> = Vec::with_capacity(plans.len());
    let mut contact_at = created_at;
    for (k, plan) in plans.iter().enumerate() {
        let self_contact = !org && k == 0;
        contact_at += 60_000 + rng.below(3_600_000) as i64;
        contacts.push(contact(
            inner,
            &mut rng,
            &id,
            plan,
            ContactCtx {
                org,
                self_contact,
                customer_mobile: &own_mobile,
                domain: &domain,
                created_at: contact_at,
                end_ms,
                slot: slot0 + 1 + k as u64,
            },
        ));
    }

    for k in &mut contacts {
        k.owner_id = Some(rep.id.clone());
        k.department_id = Some(rep.department_id.clone());
    }

    // A person customer's own contact record is the same person: same ways to reach them.
    if !org && let Some(me) = contacts.first_mut() {
        me.email.clone_from(&email);
        me.wechat.clone_from(&wechat);
        me.qq.clone_from(&qq);
    }

    // Favourite categories: most of what a customer buys comes from two of them.
    let favs = [
        rng.index(inner.by_category.len()),
        rng.index(inner.by_category.len()),
    ];

    // Orders.
    let n_orders = match class {
        "A" => rng.range(2, 10) as usize,
        "B" => rng.range(1, 6) as usize,
        _ => rng.weighted(&[20, 25, 25, 15, 15]),
    };
    let first_day = created_day.max(ORDERS_FROM);
    let mut order_days: Vec<i64> = (0..n_orders)
        .map(|_| rng.range(first_day, DATA_UNTIL))
        .collect();
    order_days.sort_unstable();
    let buyer = contacts
        .iter()
        .position(|c| c.buying_role.as_deref() == Some("purchaser"))
        .or_else(|| {
            contacts
                .iter()
                .position(|c| c.buying_role.as_deref() == Some("decision_maker"))
        })
        .unwrap_or(0);
    let mut orders = Vec::with_capacity(n_orders);
    for day in order_days {
        orders.push(order(
            inner,
            &mut rng,
            day_counters,
            OrderCtx {
                customer_id: &id,
                contact_id: contacts.get(buyer).map(|c| c.id.clone()),
                salesperson_id: &rep.id,
                department_id: &rep.department_id,
                day,
                favs,
                class,
            },
        ));
    }
    // Dates stay ordered even after a full day pushed a number to the next day.
    orders.sort_by(|a, b| a.order.order_date.cmp(&b.order.order_date));

    // Timeline.
    let n_interactions = rng.weighted(&[8, 12, 18, 22, 18, 12, 10]);
    let mut interactions = Vec::with_capacity(n_interactions);
    for _ in 0..n_interactions {
        interactions.push(interaction(
            inner, &mut rng, &id, &contacts, &rep.id, favs, created_at, end_ms,
        ));
    }
    interactions.sort_by_key(|x| x.occurred_at);

    // Dates of the business.
    let first_order_day = orders
        .first()
        .and_then(|o| parse_day(&o.order.order_date))
        .map(|d| d.min(DATA_UNTIL));
    let legacy = created_day < ORDERS_FROM && rng.chance(0.4);
    let first_trade = if legacy {
        // A customer from before the system: trading started years earlier.
        Some(rng.range(days_from_civil(2015, 1, 1), created_day - 30))
    } else {
        first_order_day
    };
    let founded = if org {
        let latest = first_trade.unwrap_or(created_day).min(created_day) - 180;
        Some(rng.range(days_from_civil(1990, 1, 1), latest))
    } else {
        None
    };

    let archive = archive(inner, &mut rng, org, &contacts, &plans, favs, city);
    let confirm = |rng: &mut Rng, filled: bool| -> Option<i64> {
        filled.then(|| office_between(rng, created_at, end_ms))
    };
    let basic = confirm(&mut rng, archive.sections.contains_key("basic"));
    let characteristics = confirm(&mut rng, archive.sections.contains_key("characteristics"));
    let business = confirm(&mut rng, archive.sections.contains_key("business"));
    let trading = confirm(&mut rng, archive.sections.contains_key("trading"));
    let research = confirm(
        &mut rng,
        archive.sections.contains_key("research") || !archive.competitors.is_empty(),
    );
    let updated_at = [basic, characteristics, business, trading, research]
        .into_iter()
        .flatten()
        .fold(created_at, i64::max);
    let archive_json = if archive == Archive::default() {
        "{}".to_string()
    } else {
        serde_json::to_string(&archive).unwrap_or_else(|_| "{}".to_string())
    };

    let customer = CustomerRow {
        id,
        kind: if org { "organization" } else { "person" }.to_string(),
        name,
        customer_class: Some(class.to_string()),
        tags: tags(&mut rng, class),
        province: province.name.to_string(),
        city: city.name.to_string(),
        district: district.to_string(),
        address: address(&mut rng, org),
        phone,
        email,
        wechat,
        qq,
        owner_id: Some(rep.id.clone()),
        department_id: Some(rep.department_id.clone()),
        founded_on: founded.map(date_text),
        first_trade_on: first_trade.map(date_text),
        archive: archive_json,
        basic_confirmed_at: basic,
        characteristics_confirmed_at: characteristics,
        business_confirmed_at: business,
        trading_confirmed_at: trading,
        research_confirmed_at: research,
        version: 1,
        created_at,
        updated_at,
    };
    CustomerBundle {
        customer,
        contacts,
        interactions,
        orders,
    }
}

fn parse_day(text: &str) -> Option<i64> {
    let mut parts = text.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    Some(days_from_civil(y, m, d))
}

struct ContactCtx<'a> {
    org: bool,
    self_contact: bool,
    customer_mobile: &'a str,
    domain: &'a str,
    created_at: i64,
    end_ms: i64,
    slot: u64,
}

fn contact(
    inner: &Inner,
    rng: &mut Rng,
    customer_id: &str,
    plan: &ContactPlan,
    ctx: ContactCtx<'_>,
) -> ContactRow {
    let id = demo_id(ctx.created_at, rng);
    let who = &plan.name;
    let name = if ctx.org && rng.chance(0.05) {
        // Recorded before the given name was known.
        who.honorific()
    } else {
        who.full()
    };
    let title = if ctx.self_contact {
        String::new()
    } else if !ctx.org {
        "家属".to_string()
    } else {
        rng.pick(words::titles(plan.role)).to_string()
    };
    // A person customer's own contact record carries the customer's number: same person.
    let phone = if ctx.self_contact {
        ctx.customer_mobile.to_string()
    } else if rng.chance(0.97) {
        inner.phones.mobile(ctx.slot)
    } else {
        String::new()
    };
    let qq = if rng.chance(0.25) {
        qq_number(rng)
    } else {
        String::new()
    };
    let email = if ctx.org && rng.chance(0.6) {
        match rng.below(3) {
            0 => format!("{}@{}", who.pinyin(), ctx.domain),
            1 => format!("{}.{}@{}", who.given_pinyin, who.surname_pinyin, ctx.domain),
            _ => free_mail(rng, who, &qq),
        }
    } else if rng.chance(0.4) {
        free_mail(rng, who, &qq)
    } else {
        String::new()
    };
    let wechat = if rng.chance(0.7) {
        wechat_id(rng, who, &phone)
    } else {
        String::new()
    };
    let personality = if rng.chance(0.75) {
        Some(pick_weighted(rng, words::PERSONALITIES).to_string())
    } else {
        None
    };
    let buying_role = if ctx.org && rng.chance(0.1) {
        None
    } else {
        Some(plan.role.to_string())
    };

    // Birthday: 75% known; of those 70% solar, 30% lunar; a year for 45%.
    let (mut cal, mut by, mut bm, mut bd) = (None, None, None, None);
    if rng.chance(0.75) {
        let year = rng.chance(0.45).then(|| rng.range(1955, 2000));
        let month = rng.range(1, 12);
        if rng.chance(0.7) {
            // Without a year, 29 February is a real birthday: check against a leap year.
            let days = month_days(year.unwrap_or(2000), month);
            cal = Some("solar");
            bd = Some(rng.range(1, days));
        } else {
            // Every lunar month has 29 days; the 30th exists only in long months, so it is
            // given (rarely) only when no year pins it down.
            let day = if year.is_none() && rng.chance(0.03) {
                30
            } else {
                rng.range(1, 29)
            };
            cal = Some("lunar");
            bd = Some(day);
        }
        by = year;
        bm = Some(month);
    }

    let mut events = Vec::new();
    if rng.chance(0.25) {
        for _ in 0..1 + rng.below(2) {
            let kind = pick_weighted(rng, words::FAMILY_KINDS);
            let date = if kind == "child_school" {
                let y = rng.range(2025, 2027);
                days_from_civil(y, 9, 1)
            } else {
                rng.range(days_from_civil(2025, 1, 1), days_from_civil(2027, 6, 30))
            };
            let note = *rng.pick(words::family_notes(kind));
            events.push(serde_json::json!({
                "kind": kind,
                "date": date_text(date),
                "note": note,
            }));
        }
    }
    let family_events = if events.is_empty() {
        "[]".to_string()
    } else {
        serde_json::Value::Array(events).to_string()
    };

    let hobbies = if rng.chance(0.6) {
        hobbies(rng, 3).join("、")
    } else {
        String::new()
    };
    let preferred_channel = if rng.chance(0.92) {
        Some(pick_weighted(rng, words::PREFERRED_CHANNELS).to_string())
    } else {
        None
    };
    let notes = if rng.chance(0.1) {
        rng.pick(words::CONTACT_NOTES).to_string()
    } else {
        String::new()
    };
    let updated_at = if rng.chance(0.3) {
        office_between(rng, ctx.created_at, ctx.end_ms)
    } else {
        ctx.created_at
    };

    ContactRow {
        id,
        customer_id: customer_id.to_string(),
        name,
        title,
        phone,
        email,
        wechat,
        qq,
        personality,
        low_key: i64::from(rng.chance(0.15)),
        buying_role,
        personal_interest: i64::from(rng.chance(0.45)),
        org_interest: i64::from(rng.chance(0.55)),
        birthday_calendar: cal.map(str::to_string),
        birthday_year: by,
        birthday_month: bm,
        birthday_day: bd,
        birthday_leap: 0,
        family_events,
        hobbies,
        preferred_channel,
        notes,
        version: 1,
        created_at: ctx.created_at,
        updated_at,
        owner_id: None,
        department_id: None,
    }
}

struct OrderCtx<'a> {
    customer_id: &'a str,
    contact_id: Option<String>,
    salesperson_id: &'a str,
    department_id: &'a str,
    day: i64,
    favs: [usize; 2],
    class: &'a str,
}

fn pick_product(inner: &Inner, rng: &mut Rng, favs: [usize; 2]) -> usize {
    if rng.chance(0.7) {
        let cat = &inner.by_category[favs[rng.index(2)]];
        if !cat.is_empty() {
            return cat[rng.index(cat.len())];
        }
    }
    rng.index(inner.product_info.len())
}

/// Discounts off list price a rep may give, in percent.
const DISCOUNTS: &[i64] = &[100, 100, 100, 98, 95, 95, 92, 90, 88, 85];

fn order(
    inner: &Inner,
    rng: &mut Rng,
    day_counters: &mut HashMap<i64, u32>,
    ctx: OrderCtx<'_>,
) -> OrderBundle {
    // At most 9,999 orders a day keep the app's SO-YYYYMMDD-NNNN numbering; a full day
    // moves the order to the next one.
    let mut day = ctx.day;
    let seq = loop {
        let n = day_counters.entry(day).or_insert(0);
        if *n < 9_999 {
            *n += 1;
            break *n;
        }
        day += 1;
    };
    let (y, m, d) = civil_from_days(day);
    let number = format!("SO-{y:04}{m:02}{d:02}-{seq:04}");
    let created_at = office_ms(day, rng);
    let id = demo_id(created_at, rng);

    let n_lines = 1 + rng.weighted(&[15, 20, 22, 20, 13, 10]);
    let mut chosen: Vec<usize> = Vec::with_capacity(n_lines);
    for _ in 0..n_lines {
        for _attempt in 0..8 {
            let p = pick_product(inner, rng, ctx.favs);
            if !chosen.contains(&p) {
                chosen.push(p);
                break;
            }
        }
    }
    let big = ctx.class == "A";
    let mut lines = Vec::with_capacity(chosen.len());
    let mut total = 0i64;
    for (k, p) in chosen.into_iter().enumerate() {
        let info = &inner.product_info[p];
        let (lo, hi) = info.qty;
        // Most lines are small; class A customers buy towards the top of the range.
        let u = rng.unit();
        let skew = if big { u } else { u * u };
        let quantity = lo + ((hi - lo) as f64 * skew).round() as i64;
        let pct = *rng.pick(DISCOUNTS);
        let mut unit_price = (info.price_fen * pct + 50) / 100;
        if info.price_fen >= 100_000 {
            // Big-ticket prices are negotiated in whole yuan.
            unit_price = unit_price / 100 * 100;
        }
        let amount = quantity * unit_price;
        total += amount;
        lines.push(OrderLineRow {
            id: demo_id(created_at, rng),
            order_id: id.clone(),
            line_no: k as i64 + 1,
            product_id: info.id.clone(),
            quantity,
            unit_price_fen: unit_price,
            amount_fen: amount,
        });
    }

    // Delivery 1–20 days later (mostly within a week); none yet for very recent orders and
    // for a few stragglers.
    let lead = 1 + rng.weighted(&[
        10, 16, 16, 14, 10, 8, 6, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1,
    ]) as i64;
    let delivery = (day + lead <= DATA_UNTIL && rng.chance(0.96)).then_some(day + lead);
    let updated_at = match delivery {
        Some(dd) => office_ms(dd, rng).max(created_at),
        None => created_at,
    };
    let notes = if rng.chance(0.25) {
        rng.pick(words::ORDER_NOTES).to_string()
    } else {
        String::new()
    };

    OrderBundle {
        order: OrderRow {
            id,
            number,
            customer_id: ctx.customer_id.to_string(),
            contact_id: ctx.contact_id,
            salesperson_id: Some(ctx.salesperson_id.to_string()),
            department_id: Some(ctx.department_id.to_string()),
            order_date: date_text(day),
            delivery_date: delivery.map(date_text),
            currency: "CNY".to_string(),
            total_fen: total,
            notes,
            created_at,
            updated_at,
            status: if delivery.is_some() {
                "delivered"
            } else {
                "open"
            }
            .to_string(),
            doubts: String::new(),
        },
        lines,
    }
}

#[allow(clippy::too_many_arguments)]
fn interaction(
    inner: &Inner,
    rng: &mut Rng,
    customer_id: &str,
    contacts: &[ContactRow],
    owner_id: &str,
    favs: [usize; 2],
    from: i64,
    until: i64,
) -> InteractionRow {
    let weights: Vec<u32> = words::INTERACTION_CHANNELS.iter().map(|c| c.1).collect();
    let (channel, _, inbound_share) = words::INTERACTION_CHANNELS[rng.weighted(&weights)];
    let inbound = rng.chance(inbound_share);
    let occurred_at = office_between(rng, from, until);
    let contact = if contacts.is_empty() || rng.chance(0.1) {
        None
    } else {
        Some(&contacts[rng.index(contacts.len())])
    };
    // Service agents pick up a share of what customers send in.
    let user_id = if inbound && rng.chance(0.2) && !inner.service_ids.is_empty() {
        inner.service_ids[rng.index(inner.service_ids.len())].clone()
    } else {
        owner_id.to_string()
    };
    let template = *rng.pick(words::summaries(channel, inbound));
    let product = inner.product_info[pick_product(inner, rng, favs)].short_name;
    let who = contact.map(|c| c.name.as_str()).unwrap_or("客户");
    let summary = template.replace("{c}", who).replace("{p}", product);
    let created_at = occurred_at + 60_000 + rng.below(7_200_000) as i64;
    InteractionRow {
        id: demo_id(created_at, rng),
        customer_id: customer_id.to_string(),
        contact_id: contact.map(|c| c.id.clone()),
        channel: channel.to_string(),
        direction: if inbound { "inbound" } else { "outbound" }.to_string(),
        user_id: Some(user_id),
        occurred_at,
        summary,
        created_at,
        task_id: None,
        problem: 0,
        message_id: None,
    }
}

/// A few archive fields, filled the way reps fill them: often the basics, less often the
/// research.
fn archive(
    inner: &Inner,
    rng: &mut Rng,
    org: bool,
    contacts: &[ContactRow],
    plans: &[ContactPlan],
    favs: [usize; 2],
    city: &City,
) -> Archive {
    let mut a = Archive::default();
    if !org {
        if rng.chance(0.3) {
            a.set(
                ArchiveSection::Basic,
                "owner.hobbies",
                &hobbies(rng, 3).join("、"),
            );
        }
        if rng.chance(0.2) {
            a.set(
                ArchiveSection::Trading,
                "credit_standing",
                one(rng, words::CREDIT),
            );
        }
        return a;
    }
    if rng.chance(0.7) {
        a.set(
            ArchiveSection::Basic,
            "org_form",
            one(rng, words::ORG_FORMS),
        );
        a.set(
            ArchiveSection::Basic,
            "business_type",
            one(rng, words::BUSINESS_TYPES),
        );
        if let Some(p) = plans.first() {
            a.set(ArchiveSection::Basic, "owner.name", &p.name.full());
        }
        if rng.chance(0.5) {
            a.set(
                ArchiveSection::Basic,
                "owner.hobbies",
                &hobbies(rng, 3).join("、"),
            );
        }
        if rng.chance(0.3) {
            a.set(
                ArchiveSection::Basic,
                "owner.age",
                &format!("{}岁左右", 5 * rng.range(6, 12)),
            );
        }
    }
    if rng.chance(0.5) {
        let employees = [10, 20, 50, 80, 120, 200, 300, 500, 1000, 3000][rng.index(10)];
        a.set(
            ArchiveSection::Characteristics,
            "employees",
            &format!("约{employees}人"),
        );
        // Revenue per employee of 20–80 万元, written the way people say it.
        let wan = employees * rng.range(20, 80);
        let sales = if wan >= 10_000 {
            format!("约{:.1}亿元", wan as f64 / 10_000.0)
        } else {
            format!("约{wan}万元")
        };
        a.set(ArchiveSection::Characteristics, "annual_sales", &sales);
        a.set(
            ArchiveSection::Characteristics,
            "growth_potential",
            one(rng, words::GROWTH),
        );
        if rng.chance(0.5) {
            a.set(
                ArchiveSection::Characteristics,
                "service_region",
                &format!("{}及周边", city.short),
            );
        }
    }
    if rng.chance(0.2) {
        a.set(
            ArchiveSection::Business,
            "attitude_to_us",
            one(rng, words::ATTITUDES),
        );
    }
    if rng.chance(0.4) {
        a.set(
            ArchiveSection::Trading,
            "credit_standing",
            one(rng, words::CREDIT),
        );
        a.set(
            ArchiveSection::Trading,
            "trading_terms",
            one(rng, words::TRADING_TERMS),
        );
    }
    if rng.chance(0.35) {
        let mut demand: Vec<&str> = Vec::new();
        for _ in 0..2 {
            let p = inner.product_info[pick_product(inner, rng, favs)].short_name;
            if !demand.contains(&p) {
                demand.push(p);
            }
        }
        a.set(
            ArchiveSection::Research,
            "demand_products",
            &demand.join("、"),
        );
        if let Some(d) = contacts
            .iter()
            .find(|c| c.buying_role.as_deref() == Some("decision_maker"))
        {
            a.set(ArchiveSection::Research, "org_decider", &d.name);
        }
        a.set(
            ArchiveSection::Research,
            "purchasing_process",
            one(rng, words::PROCESSES),
        );
        for _ in 0..rng.below(3) {
            let (brand, _) = brand(rng);
            a.competitors.push(Competitor {
                name: format!("{}{brand}{}有限公司", city.short, industry(rng, COMPANY)),
                strengths: rng.pick(words::COMPETITOR_STRENGTHS).to_string(),
                weaknesses: rng.pick(words::COMPETITOR_WEAKNESSES).to_string(),
                relation: rng.pick(words::COMPETITOR_RELATIONS).to_string(),
            });
        }
    }
    a
}

/// Days before the data set's last day whose follow-ups are still open: the rest were done on
/// their day, so a rep's Today starts with a realistic backlog, not years of overdue calls.
pub const OPEN_BACKLOG_DAYS: i64 = 3;

/// The thank-you note and 2-5-12 calls an order planned (by the method's rule, as the app
/// plans them), done on their day when they fell before the backlog, else open; a cancelled
/// order's open ones are cancelled. Deterministic from the order alone, so the rest of the
/// data set stays the same for a seed.
pub fn follow_ups(o: &OrderRow, out: &mut Vec<huike_store::bulk::TaskRow>) {
    use chrono::Datelike;
    use huike_domain::{TaskKind, order_follow_ups};
    let day = |t: &str| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
    let Some(ordered) = day(&o.order_date) else {
        return;
    };
    let delivered = o.delivery_date.as_deref().and_then(day);
    let open_from = date_text(DATA_UNTIL - OPEN_BACKLOG_DAYS);
    for f in order_follow_ups(ordered, delivered) {
        let kind = TaskKind::of(f.kind);
        let due = f.due.format("%Y-%m-%d").to_string();
        let done = due < open_from;
        let due_day = days_from_civil(
            i64::from(f.due.year()),
            i64::from(f.due.month()),
            i64::from(f.due.day()),
        );
        let done_at = done.then(|| local_ms(due_day, 10 * 3600));
        out.push(huike_store::bulk::TaskRow {
            id: format!("{}-{}", o.id, kind.code()),
            idem_key: format!("order:{}:{}", o.id, kind.code()),
            kind: kind.code().to_string(),
            status: if done {
                "done"
            } else if o.status == "cancelled" {
                "cancelled"
            } else {
                "open"
            }
            .to_string(),
            customer_id: o.customer_id.clone(),
            contact_id: o.contact_id.clone(),
            order_id: Some(o.id.clone()),
            owner_id: o.salesperson_id.clone(),
            department_id: o.department_id.clone(),
            doubts: if kind.carries_doubts() {
                o.doubts.clone()
            } else {
                String::new()
            },
            outcome: done.then(|| "reached".to_string()),
            outcome_note: String::new(),
            done_at,
            done_on: done.then(|| due.clone()),
            done_by: if done { o.salesperson_id.clone() } else { None },
            due_date: due,
            created_at: o.created_at,
            updated_at: done_at.unwrap_or(o.created_at).max(o.created_at),
            promise_id: None,
        });
    }
}
