//! Benchmarks of the method's bulk work: the greeting planner over 3,000,000 contacts, the
//! follow-up schedule over 1,000,000 orders (one day, one year), and the forbidden-phrase check
//! over 100,000 messages.
//!
//! Run: `cargo bench -p huike-domain --bench method` (one core is enough: nothing is parallel).

use std::hint::black_box;
use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate};
use huike_domain::Birthday;
use huike_domain::aftersale::{order_follow_ups, order_follow_ups_on};
use huike_domain::family::FamilyEventKind;
use huike_domain::forbidden::{CheckScratch, PhraseChecker};
use huike_domain::greeting::{FamilyDate, GreetingContact, GreetingPlanner, PlannerConfig};

const CONTACTS: usize = 3_000_000;
const ORDERS: usize = 1_000_000;
const MESSAGES: usize = 100_000;

fn main() {
    divan::main();
}

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap_or(NaiveDate::MIN)
}

/// Contacts like a real book: 55% solar birthdays, 25% lunar, 20% unknown; one in five with a
/// family event, a third with the customer's founding and first-trade dates, some greeted lately.
static CONTACT_BOOK: LazyLock<Vec<GreetingContact>> = LazyLock::new(|| {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..CONTACTS)
        .map(|i| {
            let kind = rng.below(100);
            let month = 1 + rng.below(12) as u32;
            let day = 1 + rng.below(28) as u32;
            let birthday = if kind < 55 {
                Birthday::new_solar(Some(1960 + rng.below(40) as i32), month, day).ok()
            } else if kind < 80 {
                Birthday::new_lunar(None, month, 1 + rng.below(30) as u32, rng.below(20) == 0).ok()
            } else {
                None
            };
            let family = if rng.below(5) == 0 {
                vec![FamilyDate {
                    kind: FamilyEventKind::ALL
                        [rng.below(FamilyEventKind::ALL.len() as u64) as usize],
                    date: d(2020, 1, 1) + Days::new(rng.below(2500)),
                    yearly: rng.below(2) == 0,
                }]
            } else {
                Vec::new()
            };
            let company = rng.below(3) == 0;
            GreetingContact {
                id: i as u64,
                birthday,
                family,
                founded: company.then(|| d(1990, 1, 1) + Days::new(rng.below(12_000))),
                first_trade: company.then(|| d(2015, 1, 1) + Days::new(rng.below(4000))),
                last_greeted: (rng.below(4) == 0).then(|| d(2026, 1, 1) + Days::new(rng.below(60))),
            }
        })
        .collect()
});

/// Orders over two years, most delivered a few days after ordering.
static ORDER_BOOK: LazyLock<Vec<(NaiveDate, Option<NaiveDate>)>> = LazyLock::new(|| {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    (0..ORDERS)
        .map(|_| {
            let ordered = d(2025, 6, 1) + Days::new(rng.below(730));
            let delivered = (rng.below(10) < 8).then(|| ordered + Days::new(rng.below(10)));
            (ordered, delivered)
        })
        .collect()
});

/// Outgoing messages: nine in ten clean, one in ten with a phrase not to use.
static MESSAGE_LOG: LazyLock<Vec<String>> = LazyLock::new(|| {
    let clean = [
        "您好，我知道您很着急，我马上帮您处理，今天下午就派人上门检查。",
        "售后部门的同事明天上午会联系您，说明书第三页有图示，我也可以带您一起看。",
        "大概三天之内送到，到时我提前通知您，有任何问题随时找我。",
        "Thank you for your patience, we know how frustrating this is. Our service department will call you tomorrow.",
    ];
    let bad = [
        "这个我也不 知道，你找售后部门吧。",
        "我很忙，改天再说这个问题吧！",
        "Sorry, I DON'T know, that's not my job.",
    ];
    let mut rng = Rng(0xA076_1D64_78BD_642F);
    (0..MESSAGES)
        .map(|i| {
            if rng.below(10) == 0 {
                format!("{} #{i}", bad[rng.below(3) as usize])
            } else {
                format!("{} #{i}", clean[rng.below(4) as usize])
            }
        })
        .collect()
});

#[divan::bench(sample_count = 5, sample_size = 1)]
fn greetings_3m_contacts_one_ordinary_day(bencher: divan::Bencher) {
    let contacts = &*CONTACT_BOOK;
    let cfg = PlannerConfig::default();
    let day = d(2026, 3, 10);
    bencher.bench(|| {
        let planner = GreetingPlanner::new(&cfg, day, day);
        black_box(planner.plan(contacts).len())
    });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn greetings_3m_contacts_mid_autumn_day(bencher: divan::Bencher) {
    // 中秋 2026-09-25: nearly every contact is greeted, so the plan itself is ~3M entries.
    let contacts = &*CONTACT_BOOK;
    let cfg = PlannerConfig::default();
    let day = d(2026, 9, 25);
    bencher.bench(|| {
        let planner = GreetingPlanner::new(&cfg, day, day);
        black_box(planner.plan(contacts).len())
    });
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn greetings_3m_contacts_one_year(bencher: divan::Bencher) {
    // A year's plan is ~50M greetings: streamed and counted rather than collected.
    let contacts = &*CONTACT_BOOK;
    let cfg = PlannerConfig::default();
    bencher.bench(|| {
        let planner = GreetingPlanner::new(&cfg, d(2026, 1, 1), d(2026, 12, 31));
        let mut n = 0u64;
        planner.for_each(contacts, |g| n += u64::from(g.date.day() > 0));
        black_box(n)
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn follow_ups_1m_orders_one_day(bencher: divan::Bencher) {
    let orders = &*ORDER_BOOK;
    let day = d(2026, 3, 10);
    bencher.bench(|| {
        let due: Vec<(usize, huike_domain::aftersale::FollowUpKind)> = orders
            .iter()
            .enumerate()
            .flat_map(|(i, (o, dl))| order_follow_ups_on(*o, *dl, day).map(move |k| (i, k)))
            .collect();
        black_box(due.len())
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn follow_ups_1m_orders_one_year(bencher: divan::Bencher) {
    let orders = &*ORDER_BOOK;
    let (from, to) = (d(2026, 1, 1), d(2026, 12, 31));
    bencher.bench(|| {
        let due: Vec<(usize, huike_domain::aftersale::FollowUp)> = orders
            .iter()
            .enumerate()
            .flat_map(|(i, (o, dl))| {
                order_follow_ups(*o, *dl)
                    .into_iter()
                    .filter(|f| f.due >= from && f.due <= to)
                    .map(move |f| (i, f))
            })
            .collect();
        black_box(due.len())
    });
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn forbidden_phrases_100k_messages(bencher: divan::Bencher) {
    let messages = &*MESSAGE_LOG;
    let checker = PhraseChecker::default();
    bencher.bench(|| {
        let mut scratch = CheckScratch::default();
        let mut hits = Vec::new();
        let mut flagged = 0usize;
        for m in messages {
            checker.check_into(m, &mut scratch, &mut hits);
            flagged += usize::from(!hits.is_empty());
        }
        black_box(flagged)
    });
}
