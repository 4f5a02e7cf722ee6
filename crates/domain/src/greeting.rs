//! The greeting planner (§4 monthly greetings): which contact gets which greeting on which day,
//! from birthdays (solar or lunar), family events, the customer's anniversaries, the festivals
//! and the monthly themes, with at most one greeting per contact in a window.
//!
//! # The rule
//! Every occasion of a contact that falls in the range is a *candidate*. Candidates rank by
//! level — birthday, family event, customer anniversary (founding, first trade), festival,
//! monthly theme — then by the order festivals are listed in the configuration, then by date
//! (earlier first). The order (birthday, family event, festival, theme) is kept; the
//! customer's own special days sit between family events and festivals because, like family
//! events, they are about this customer and not the whole list.
//!
//! A candidate is *eligible* unless a greeting was already sent to the contact fewer than
//! `window_days` days away from it. An eligible candidate is greeted when no other eligible
//! candidate of the same contact that ranks higher lies fewer than `window_days` days away.
//! Two greetings inside one window would mean neither outranks the other, which cannot be, so
//! the window always holds. The decision about a day depends only on candidates near it, so a
//! plan for a year is exactly the union of the plans for its days (the daily job and the yearly
//! preview agree).
//!
//! # Speed
//! Festival and theme dates are shared by every contact and computed once per plan. Solar and
//! lunar dates are turned into day numbers through per-year tables (for the lunar calendar: the
//! first day and length of every month of every lunar year touched), so the per-contact work is
//! integer arithmetic on a few values, with no allocation.

use chrono::{Datelike, NaiveDate};

use crate::birthday::Birthday;
use crate::family::{FamilyEvent, FamilyEventKind};
use crate::festival::Festival;
use crate::{Lang, lunar};

/// *Default* window in which a contact gets at most one greeting.
pub const DEFAULT_WINDOW_DAYS: u32 = 7;

/// A monthly theme: Joe Girard sent a card every month, each month a different theme.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ThemeDay {
    pub month: u32,
    /// Day of the month the card goes out (a day past the month's end is its last day).
    pub day: u32,
    pub theme_zh: String,
    pub theme_en: String,
}

impl ThemeDay {
    pub fn theme(&self, lang: Lang) -> &str {
        lang.pick(&self.theme_zh, &self.theme_en)
    }
}

/// The product's starting theme calendar: one theme each month on the 15th, a day few fixed
/// festivals fall on. Admins edit it.
pub fn default_themes() -> Vec<ThemeDay> {
    const THEMES: [(&str, &str); 12] = [
        (
            "新年新气象，感谢您一直以来的支持",
            "A new year: thank you for your support",
        ),
        ("开春问候，祝您万事顺意", "Spring greetings and best wishes"),
        (
            "春季使用与保养小贴士",
            "Spring tips for using and caring for your purchase",
        ),
        (
            "踏青时节，问候您和家人",
            "Outing season: greetings to you and your family",
        ),
        ("初夏问候", "Early summer greetings"),
        (
            "年中回顾：用得还满意吗",
            "Mid-year check-in: are you still happy with it?",
        ),
        ("盛夏防暑，注意身体", "Keep cool in the summer heat"),
        (
            "秋季新品与服务消息",
            "Autumn news about products and service",
        ),
        ("开学季问候", "Back-to-school greetings"),
        ("金秋问候", "Golden autumn greetings"),
        (
            "感恩季：谢谢您的信任",
            "A season of thanks: thank you for your trust",
        ),
        (
            "年终致谢，预祝新年快乐",
            "Year-end thanks and early New Year wishes",
        ),
    ];
    THEMES
        .iter()
        .zip(1..)
        .map(|((zh, en), month)| ThemeDay {
            month,
            day: 15,
            theme_zh: (*zh).to_string(),
            theme_en: (*en).to_string(),
        })
        .collect()
}

/// The festivals greeted by default, most important first (the order breaks ties between
/// festivals less than a window apart: in 2026 中秋 09-25 is kept and 国庆 10-01 dropped).
/// 清明 is a day of mourning and 除夕 is covered by the 春节 greeting, so neither is on it.
pub const DEFAULT_FESTIVALS: [Festival; 12] = [
    Festival::SpringFestival,
    Festival::MidAutumn,
    Festival::DragonBoat,
    Festival::NationalDay,
    Festival::NewYear,
    Festival::Lantern,
    Festival::LabourDay,
    Festival::DoubleNinth,
    Festival::Qixi,
    Festival::TeachersDay,
    Festival::WomensDay,
    Festival::WinterSolstice,
];

/// How greetings are planned.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlannerConfig {
    pub window_days: u32,
    /// Festivals greeted, most important first.
    pub festivals: Vec<Festival>,
    pub themes: Vec<ThemeDay>,
}

impl Default for PlannerConfig {
    fn default() -> PlannerConfig {
        PlannerConfig {
            window_days: DEFAULT_WINDOW_DAYS,
            festivals: DEFAULT_FESTIVALS.to_vec(),
            themes: default_themes(),
        }
    }
}

/// A family event as the planner needs it: its date, and whether it recurs yearly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FamilyDate {
    pub kind: FamilyEventKind,
    pub date: NaiveDate,
    pub yearly: bool,
}

impl FamilyDate {
    /// A family event with a date (one without a date cannot be greeted).
    pub fn from_event(e: &FamilyEvent) -> Option<FamilyDate> {
        Some(FamilyDate {
            kind: e.kind,
            date: e.date?,
            yearly: e.is_anniversary(),
        })
    }
}

/// What the planner knows about one contact. The customer's founding and first-trade dates are
/// copied onto each of its contacts by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct GreetingContact {
    pub id: u64,
    pub birthday: Option<Birthday>,
    pub family: Vec<FamilyDate>,
    pub founded: Option<NaiveDate>,
    pub first_trade: Option<NaiveDate>,
    /// The last greeting actually sent, if any.
    pub last_greeted: Option<NaiveDate>,
}

/// Why a greeting is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Occasion {
    Birthday,
    FamilyEvent {
        event: FamilyEventKind,
    },
    Founding,
    FirstTrade,
    Festival {
        festival: Festival,
    },
    /// The theme of this month (1–12) in the theme calendar.
    Theme {
        month: u8,
    },
}

impl Occasion {
    /// The priority level, 0 first: birthday, family event, customer anniversary, festival,
    /// monthly theme.
    pub fn level(&self) -> u8 {
        match self {
            Occasion::Birthday => 0,
            Occasion::FamilyEvent { .. } => 1,
            Occasion::Founding | Occasion::FirstTrade => 2,
            Occasion::Festival { .. } => 3,
            Occasion::Theme { .. } => 4,
        }
    }
}

/// One planned greeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Greeting {
    pub contact: u64,
    pub date: NaiveDate,
    pub occasion: Occasion,
}

/// A candidate: day number, rank key (level, sub-rank, day) and the occasion.
#[derive(Debug, Clone, Copy)]
struct Cand {
    day: i32,
    rank: (u8, u8, i32),
    occasion: Occasion,
}

/// Working memory reused from one contact to the next, so that planning millions of contacts
/// allocates nothing per contact.
#[derive(Debug, Default)]
pub struct Scratch(Vec<Cand>);

/// Twelve regular months and one leap month.
const LUNAR_MONTH_SLOTS: usize = 13;

/// First day and length of each month of one lunar year: index month-1 for regular months,
/// 12 for the leap month.
#[derive(Debug, Clone, Copy)]
struct LunarYearTable {
    year: i32,
    leap_month: Option<u32>,
    months: [(i32, u32); LUNAR_MONTH_SLOTS],
}

/// A plan's precomputed calendar for a date range.
#[derive(Debug, Clone)]
pub struct GreetingPlanner {
    window: i32,
    from: i32,
    to: i32,
    /// Candidates are gathered in `from - (window-1) ..= to + (window-1)`.
    ext_from: i32,
    ext_to: i32,
    /// Solar years touched: day number of 1 January and whether it is a leap year.
    solar_years: Vec<(i32, i32, bool)>,
    lunar_years: Vec<LunarYearTable>,
    /// Festival and theme candidates in the extended range, each with the days of the shared
    /// candidates that outrank it within the window.
    shared: Vec<(Cand, Vec<i32>)>,
}

const CUM_DAYS: [i32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

fn day_number(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn from_day_number(n: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(n).unwrap_or(NaiveDate::MIN)
}

impl GreetingPlanner {
    /// Prepares a plan for `from..=to` (swapped if given backwards).
    pub fn new(config: &PlannerConfig, from: NaiveDate, to: NaiveDate) -> GreetingPlanner {
        let (from, to) = if from <= to { (from, to) } else { (to, from) };
        let window = i32::try_from(config.window_days.max(1)).unwrap_or(i32::MAX / 4);
        let (from, to) = (day_number(from), day_number(to));
        let ext_from = from.saturating_sub(window - 1);
        let ext_to = to.saturating_add(window - 1);
        let y0 = from_day_number(ext_from).year();
        let y1 = from_day_number(ext_to).year();

        let solar_years = (y0..=y1)
            .filter_map(|y| {
                let jan1 = NaiveDate::from_ymd_opt(y, 1, 1)?;
                Some((y, day_number(jan1), jan1.leap_year()))
            })
            .collect();

        // A lunar year starts between 21 January and 20 February, so the lunar year before the
        // first solar year can still run into the range.
        let lunar_years = (y0 - 1..=y1)
            .filter_map(|ly| {
                let mut months = [(0, 0); LUNAR_MONTH_SLOTS];
                for m in 1..=12u32 {
                    let len = lunar::month_length(ly, m, false).ok()??;
                    let start = lunar::to_solar(ly, m, 1, false).ok()?;
                    months[(m - 1) as usize] = (day_number(start), len);
                }
                let leap_month = lunar::leap_month(ly);
                if let Some(lm) = leap_month {
                    let len = lunar::month_length(ly, lm, true).ok()??;
                    let start = lunar::to_solar(ly, lm, 1, true).ok()?;
                    months[12] = (day_number(start), len);
                }
                Some(LunarYearTable {
                    year: ly,
                    leap_month,
                    months,
                })
            })
            .collect();

        let mut planner = GreetingPlanner {
            window,
            from,
            to,
            ext_from,
            ext_to,
            solar_years,
            lunar_years,
            shared: Vec::new(),
        };

        let mut shared: Vec<Cand> = Vec::new();
        for y in y0..=y1 {
            for (i, f) in config.festivals.iter().enumerate() {
                if let Some(d) = f.date_in(y).map(day_number)
                    && (ext_from..=ext_to).contains(&d)
                {
                    let sub = u8::try_from(i).unwrap_or(u8::MAX);
                    shared.push(Cand {
                        day: d,
                        rank: (3, sub, d),
                        occasion: Occasion::Festival { festival: *f },
                    });
                }
            }
            for t in &config.themes {
                let Ok(month) = u8::try_from(t.month) else {
                    continue;
                };
                if !(1..=12).contains(&month) {
                    continue;
                }
                if let Some(d) = planner.solar_day(y, t.month, t.day.max(1), true)
                    && (ext_from..=ext_to).contains(&d)
                {
                    shared.push(Cand {
                        day: d,
                        rank: (4, month, d),
                        occasion: Occasion::Theme { month },
                    });
                }
            }
        }
        shared.sort_by_key(|c| (c.day, c.rank));
        // Equal ranks (the same theme entered twice) are told apart by position, so one of
        // them, never both, is greeted.
        planner.shared = shared
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let blockers = shared
                    .iter()
                    .enumerate()
                    .filter(|(j, o)| (o.rank, *j) < (c.rank, i) && (o.day - c.day).abs() < window)
                    .map(|(_, o)| o)
                    .map(|o| o.day)
                    .collect();
                (*c, blockers)
            })
            .collect();
        planner
    }

    /// Day number of month/day in solar year `y`. A day past the month's end is moved to its
    /// last day when `clamp` (29 February → 28 February in common years, theme days); otherwise
    /// only 29 February is moved.
    fn solar_day(&self, y: i32, month: u32, day: u32, clamp: bool) -> Option<i32> {
        let &(_, jan1, leap) = self.solar_years.iter().find(|s| s.0 == y)?;
        if !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let feb = if leap { 29 } else { 28 };
        let len = [31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(month - 1) as usize];
        let day = if day <= len {
            day
        } else if clamp || (month == 2 && day == 29) {
            len
        } else {
            return None;
        };
        let extra = i32::from(leap && month > 2);
        let day = i32::try_from(day).ok()?;
        Some(jan1 + CUM_DAYS[(month - 1) as usize] + extra + day - 1)
    }

    /// Day number of a lunar birthday in lunar year `ly` (policy of [`crate::birthday`]).
    fn lunar_day(t: &LunarYearTable, month: u32, day: u32, leap: bool) -> Option<i32> {
        if !(1..=12).contains(&month) {
            return None;
        }
        let slot = if leap && t.leap_month == Some(month) {
            12
        } else {
            (month - 1) as usize
        };
        let (start, len) = t.months[slot];
        let day = i32::try_from(day.min(len).max(1)).ok()?;
        Some(start + day - 1)
    }

    fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.solar_years.iter().map(|s| s.0)
    }

    /// Pushes the contact's personal candidates in the extended range.
    fn personal(&self, c: &GreetingContact, out: &mut Vec<Cand>) {
        let in_range = |d: i32| (self.ext_from..=self.ext_to).contains(&d);
        // Yearly on the original's month and day, in the years after it.
        let yearly =
            |origin: NaiveDate, occasion: Occasion, rank: (u8, u8), out: &mut Vec<Cand>| {
                for y in self.years().filter(|y| *y > origin.year()) {
                    if let Some(d) = self.solar_day(y, origin.month(), origin.day(), false)
                        && in_range(d)
                    {
                        out.push(Cand {
                            day: d,
                            rank: (rank.0, rank.1, d),
                            occasion,
                        });
                    }
                }
            };
        match c.birthday {
            Some(Birthday::Solar { year, month, day }) => {
                for y in self.years().filter(|y| year.is_none_or(|b| *y >= b)) {
                    if let Some(d) = self.solar_day(y, month, day, false)
                        && in_range(d)
                    {
                        out.push(Cand {
                            day: d,
                            rank: (0, 0, d),
                            occasion: Occasion::Birthday,
                        });
                    }
                }
            }
            Some(Birthday::Lunar {
                year,
                month,
                day,
                leap,
            }) => {
                for t in self
                    .lunar_years
                    .iter()
                    .filter(|t| year.is_none_or(|b| t.year >= b))
                {
                    if let Some(d) = Self::lunar_day(t, month, day, leap)
                        && in_range(d)
                    {
                        out.push(Cand {
                            day: d,
                            rank: (0, 0, d),
                            occasion: Occasion::Birthday,
                        });
                    }
                }
            }
            None => {}
        }
        for f in &c.family {
            let occasion = Occasion::FamilyEvent { event: f.kind };
            let sub = FamilyEventKind::ALL
                .iter()
                .position(|k| *k == f.kind)
                .and_then(|i| u8::try_from(i).ok())
                .unwrap_or(u8::MAX);
            if f.yearly {
                yearly(f.date, occasion, (1, sub), out);
            } else {
                let d = day_number(f.date);
                if in_range(d) {
                    out.push(Cand {
                        day: d,
                        rank: (1, sub, d),
                        occasion,
                    });
                }
            }
        }
        if let Some(d) = c.founded {
            yearly(d, Occasion::Founding, (2, 0), out);
        }
        if let Some(d) = c.first_trade {
            yearly(d, Occasion::FirstTrade, (2, 1), out);
        }
    }

    /// Calls `emit` with the contact's greetings in the range, in date order.
    pub fn plan_contact(
        &self,
        c: &GreetingContact,
        scratch: &mut Scratch,
        mut emit: impl FnMut(Greeting),
    ) {
        let w = self.window;
        let last = c.last_greeted.map(day_number);
        let eligible = |d: i32| last.is_none_or(|l| (d - l).abs() >= w);
        let scratch = &mut scratch.0;
        scratch.clear();
        self.personal(c, scratch);
        scratch.sort_unstable_by_key(|p| (p.day, p.rank));
        let personal_near = |d: i32| {
            scratch
                .iter()
                .any(|p| (p.day - d).abs() < w && eligible(p.day))
        };
        // Personal and shared candidates merged by day, so output comes in date order.
        let mut si = self.shared.iter().peekable();
        let mut pi = scratch.iter().enumerate().peekable();
        loop {
            let take_personal = match (pi.peek(), si.peek()) {
                (Some((_, p)), Some((s, _))) => p.day <= s.day,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if take_personal {
                let Some((i, p)) = pi.next() else { break };
                if p.day < self.from || p.day > self.to || !eligible(p.day) {
                    continue;
                }
                // Equal ranks (two children starting school the same day) are told apart by
                // position: the first is greeted, not both.
                let outranked = scratch.iter().enumerate().any(|(j, o)| {
                    (o.rank, j) < (p.rank, i) && (o.day - p.day).abs() < w && eligible(o.day)
                });
                if !outranked {
                    emit(Greeting {
                        contact: c.id,
                        date: from_day_number(p.day),
                        occasion: p.occasion,
                    });
                }
            } else {
                let Some((s, blockers)) = si.next() else {
                    break;
                };
                if s.day < self.from || s.day > self.to || !eligible(s.day) {
                    continue;
                }
                // Every personal occasion outranks every shared one.
                if blockers.iter().any(|b| eligible(*b)) || personal_near(s.day) {
                    continue;
                }
                emit(Greeting {
                    contact: c.id,
                    date: from_day_number(s.day),
                    occasion: s.occasion,
                });
            }
        }
    }

    /// Calls `emit` with every greeting for `contacts`, contact by contact (input order), each
    /// contact's in date order. Use this for long ranges over many contacts, where collecting
    /// the plan would take a lot of memory.
    pub fn for_each(&self, contacts: &[GreetingContact], mut emit: impl FnMut(Greeting)) {
        let mut scratch = Scratch(Vec::with_capacity(16));
        for c in contacts {
            self.plan_contact(c, &mut scratch, &mut emit);
        }
    }

    /// The plan as a list, in the order of [`GreetingPlanner::for_each`].
    pub fn plan(&self, contacts: &[GreetingContact]) -> Vec<Greeting> {
        let mut out = Vec::new();
        self.for_each(contacts, |g| out.push(g));
        out
    }
}

/// Plans greetings for `contacts` in `from..=to`.
pub fn plan_greetings(
    config: &PlannerConfig,
    contacts: &[GreetingContact],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Greeting> {
    GreetingPlanner::new(config, from, to).plan(contacts)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn contact(id: u64) -> GreetingContact {
        GreetingContact {
            id,
            ..GreetingContact::default()
        }
    }

    fn plan(c: &GreetingContact, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, Occasion)> {
        plan_greetings(&PlannerConfig::default(), std::slice::from_ref(c), from, to)
            .into_iter()
            .map(|g| (g.date, g.occasion))
            .collect()
    }

    fn fest(f: Festival) -> Occasion {
        Occasion::Festival { festival: f }
    }

    #[test]
    fn a_lunar_birthday_on_mid_autumn_wins_over_the_festival() {
        let mut c = contact(1);
        c.birthday = Some(Birthday::new_lunar(None, 8, 15, false).unwrap());
        // 2026: 中秋 09-25 is the birthday; 国庆 10-01 is 6 days later, inside the window.
        let p = plan(&c, d(2026, 9, 20), d(2026, 10, 10));
        assert_eq!(p, vec![(d(2026, 9, 25), Occasion::Birthday)]);
        // 2027: 中秋 09-15; 国庆 10-01 is far enough to be greeted too.
        let p = plan(&c, d(2027, 9, 10), d(2027, 10, 5));
        assert_eq!(
            p,
            vec![
                (d(2027, 9, 15), Occasion::Birthday),
                (d(2027, 10, 1), fest(Festival::NationalDay))
            ]
        );
    }

    #[test]
    fn priority_birthday_then_family_then_anniversary_then_festival_then_theme() {
        // Everything within one week of 2026-06-15 (theme day) and 端午 06-19.
        let mut c = contact(7);
        let theme_only = plan(&c, d(2026, 6, 12), d(2026, 6, 20));
        assert_eq!(
            theme_only,
            vec![(d(2026, 6, 19), fest(Festival::DragonBoat))]
        );
        c.founded = Some(d(2010, 6, 17));
        assert_eq!(
            plan(&c, d(2026, 6, 12), d(2026, 6, 20)),
            vec![(d(2026, 6, 17), Occasion::Founding)]
        );
        c.family.push(FamilyDate {
            kind: FamilyEventKind::MovingHouse,
            date: d(2026, 6, 20),
            yearly: false,
        });
        assert_eq!(
            plan(&c, d(2026, 6, 12), d(2026, 6, 20)),
            vec![(
                d(2026, 6, 20),
                Occasion::FamilyEvent {
                    event: FamilyEventKind::MovingHouse
                }
            )]
        );
        c.birthday = Some(Birthday::new_solar(Some(1980), 6, 14).unwrap());
        assert_eq!(
            plan(&c, d(2026, 6, 12), d(2026, 6, 20)),
            vec![(d(2026, 6, 14), Occasion::Birthday)]
        );
        // Without any festival the theme (06-15) is what is left.
        let quiet = PlannerConfig {
            festivals: vec![],
            ..PlannerConfig::default()
        };
        let p = plan_greetings(&quiet, &[contact(8)], d(2026, 6, 12), d(2026, 6, 20));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].occasion, Occasion::Theme { month: 6 });
        assert_eq!(p[0].date, d(2026, 6, 15));
    }

    #[test]
    fn a_greeting_already_sent_blocks_the_window_but_not_beyond() {
        let mut c = contact(2);
        c.last_greeted = Some(d(2026, 9, 20));
        // 中秋 09-25 is 5 days after: not greeted; 国庆 10-01 (11 days after) now is, since
        // 中秋 is not eligible and so does not outrank it.
        let p = plan(&c, d(2026, 9, 21), d(2026, 10, 5));
        assert_eq!(p, vec![(d(2026, 10, 1), fest(Festival::NationalDay))]);
    }

    #[test]
    fn festivals_a_window_apart_are_both_greeted_and_closer_ones_by_importance() {
        let c = contact(3);
        let p = plan(&c, d(2026, 9, 1), d(2026, 10, 31));
        // 教师节 09-10 outranks the theme of 09-15 (a festival beats a theme); 中秋 09-25
        // outranks 国庆 10-01 (listed first); 重阳 10-18 outranks the theme of 10-15.
        assert_eq!(
            p,
            vec![
                (d(2026, 9, 10), fest(Festival::TeachersDay)),
                (d(2026, 9, 25), fest(Festival::MidAutumn)),
                (d(2026, 10, 18), fest(Festival::DoubleNinth)),
            ]
        );
    }

    #[test]
    fn lunar_dates_agree_with_the_birthday_rules() {
        // For many lunar and solar birthdays, the planner's date is next_on_or_after's.
        let mut births = vec![];
        for m in 1..=12 {
            for day in [1, 15, 29, 30] {
                births.push(Birthday::new_lunar(None, m, day, false).unwrap());
                births.push(Birthday::new_lunar(None, m, day, true).unwrap());
                births.push(Birthday::new_solar(None, m, day.min(28)).unwrap());
            }
        }
        births.push(Birthday::new_solar(None, 2, 29).unwrap());
        let cfg = PlannerConfig {
            window_days: 1,
            festivals: vec![],
            themes: vec![],
        };
        for year in [2025, 2026, 2028, 2033] {
            let (from, to) = (d(year, 1, 1), d(year, 12, 31));
            let planner = GreetingPlanner::new(&cfg, from, to);
            for b in &births {
                let c = GreetingContact {
                    birthday: Some(*b),
                    ..contact(1)
                };
                let got: Vec<NaiveDate> = planner.plan(&[c]).iter().map(|g| g.date).collect();
                let mut expected = vec![];
                let mut at = from;
                while let Some(n) = b.next_on_or_after(at).filter(|n| *n <= to) {
                    expected.push(n);
                    at = n.succ_opt().unwrap();
                }
                assert_eq!(got, expected, "{b:?} {year}");
            }
        }
    }

    #[test]
    fn anniversaries_start_the_year_after_and_one_off_events_happen_once() {
        let mut c = contact(4);
        c.first_trade = Some(d(2024, 2, 29));
        c.family.push(FamilyDate {
            kind: FamilyEventKind::ChildSchool,
            date: d(2026, 9, 1),
            yearly: false,
        });
        let cfg = PlannerConfig {
            festivals: vec![],
            themes: vec![],
            ..PlannerConfig::default()
        };
        let dates = |from, to| -> Vec<(NaiveDate, Occasion)> {
            plan_greetings(&cfg, std::slice::from_ref(&c), from, to)
                .into_iter()
                .map(|g| (g.date, g.occasion))
                .collect()
        };
        assert_eq!(dates(d(2024, 1, 1), d(2024, 12, 31)), vec![]);
        assert_eq!(
            dates(d(2025, 1, 1), d(2027, 12, 31)),
            vec![
                (d(2025, 2, 28), Occasion::FirstTrade),
                (d(2026, 2, 28), Occasion::FirstTrade),
                (
                    d(2026, 9, 1),
                    Occasion::FamilyEvent {
                        event: FamilyEventKind::ChildSchool
                    }
                ),
                (d(2027, 2, 28), Occasion::FirstTrade),
            ]
        );
        assert_eq!(
            dates(d(2028, 1, 1), d(2028, 12, 31)),
            vec![(d(2028, 2, 29), Occasion::FirstTrade)]
        );
    }

    #[test]
    fn identical_occasions_give_one_greeting_not_two() {
        // Two children starting school on the same day, and a theme entered twice.
        let mut c = contact(9);
        for _ in 0..2 {
            c.family.push(FamilyDate {
                kind: FamilyEventKind::ChildSchool,
                date: d(2026, 9, 1),
                yearly: false,
            });
        }
        let p = plan(&c, d(2026, 8, 28), d(2026, 9, 3));
        assert_eq!(
            p,
            vec![(
                d(2026, 9, 1),
                Occasion::FamilyEvent {
                    event: FamilyEventKind::ChildSchool
                }
            )]
        );
        let mut themes = default_themes();
        let june = themes.iter().find(|t| t.month == 6).cloned().unwrap();
        themes.push(june);
        let cfg = PlannerConfig {
            festivals: vec![],
            themes,
            ..PlannerConfig::default()
        };
        let p = plan_greetings(&cfg, &[contact(10)], d(2026, 6, 1), d(2026, 6, 30));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].occasion, Occasion::Theme { month: 6 });
    }

    #[test]
    fn family_events_convert_and_the_defaults_are_sane() {
        let e = FamilyEvent {
            kind: FamilyEventKind::Wedding,
            date: Some(d(2020, 5, 20)),
            note: String::new(),
        };
        assert_eq!(
            FamilyDate::from_event(&e),
            Some(FamilyDate {
                kind: FamilyEventKind::Wedding,
                date: d(2020, 5, 20),
                yearly: true
            })
        );
        assert_eq!(
            FamilyDate::from_event(&FamilyEvent { date: None, ..e }),
            None
        );
        let t = default_themes();
        assert_eq!(t.len(), 12);
        assert!(t.iter().zip(1..).all(|(x, m)| x.month == m));
        assert!(!t[0].theme(Lang::ZhCn).is_empty() && t[0].theme(Lang::En).is_ascii());
        assert!(!DEFAULT_FESTIVALS.contains(&Festival::Qingming));
        assert_eq!(Occasion::Birthday.level(), 0);
        assert_eq!(Occasion::Theme { month: 1 }.level(), 4);
    }

    #[test]
    fn output_is_deterministic_and_in_contact_then_date_order() {
        let mut a = contact(10);
        a.birthday = Some(Birthday::new_solar(None, 3, 3).unwrap());
        let b = contact(11);
        let p = plan_greetings(
            &PlannerConfig::default(),
            &[a.clone(), b.clone()],
            d(2026, 1, 1),
            d(2026, 12, 31),
        );
        let q = plan_greetings(
            &PlannerConfig::default(),
            &[a, b],
            d(2026, 1, 1),
            d(2026, 12, 31),
        );
        assert_eq!(p, q);
        let first_b = p.iter().position(|g| g.contact == 11).unwrap();
        assert!(p[..first_b].iter().all(|g| g.contact == 10));
        assert!(p[first_b..].iter().all(|g| g.contact == 11));
        assert!(p[..first_b].windows(2).all(|w| w[0].date < w[1].date));
        // Backwards range is read forwards.
        let r = plan_greetings(
            &PlannerConfig::default(),
            &[contact(11)],
            d(2026, 12, 31),
            d(2026, 1, 1),
        );
        assert_eq!(r, p[first_b..].to_vec());
    }

    fn arb_date(y0: i32, y1: i32) -> impl Strategy<Value = NaiveDate> {
        (y0..=y1, 1u32..=365).prop_map(|(y, o)| NaiveDate::from_yo_opt(y, o).unwrap())
    }

    fn arb_contact() -> impl Strategy<Value = GreetingContact> {
        let birthday = prop_oneof![
            Just(None),
            (1u32..=12, 1u32..=28).prop_map(|(m, dd)| Birthday::new_solar(None, m, dd).ok()),
            (1u32..=12, 1u32..=30, any::<bool>())
                .prop_map(|(m, dd, l)| Birthday::new_lunar(None, m, dd, l).ok()),
        ];
        let family = (
            prop::collection::vec(
                (
                    0usize..FamilyEventKind::ALL.len(),
                    arb_date(2020, 2027),
                    any::<bool>(),
                )
                    .prop_map(|(k, date, yearly)| FamilyDate {
                        kind: FamilyEventKind::ALL[k],
                        date,
                        yearly,
                    }),
                0..3,
            ),
            any::<bool>(),
        )
            // Exact duplicates happen (two children start school the same day): include them.
            .prop_map(|(mut v, dup)| {
                if dup && let Some(first) = v.first().cloned() {
                    v.push(first);
                }
                v
            });
        (
            birthday,
            family,
            prop::option::of(arb_date(1990, 2026)),
            prop::option::of(arb_date(2015, 2026)),
            prop::option::of(arb_date(2025, 2026)),
        )
            .prop_map(|(birthday, family, founded, first_trade, last_greeted)| {
                GreetingContact {
                    id: 1,
                    birthday,
                    family,
                    founded,
                    first_trade,
                    last_greeted,
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn no_contact_gets_two_greetings_inside_the_window(
            c in arb_contact(),
            start in arb_date(2025, 2027),
            len in 0u64..400,
            window in 1u32..15,
        ) {
            let cfg = PlannerConfig { window_days: window, ..PlannerConfig::default() };
            let end = start + chrono::Days::new(len);
            let p = plan_greetings(&cfg, std::slice::from_ref(&c), start, end);
            let w = i64::from(window);
            for (i, a) in p.iter().enumerate() {
                prop_assert!(a.date >= start && a.date <= end);
                if let Some(l) = c.last_greeted {
                    prop_assert!((a.date - l).num_days().abs() >= w, "{:?} too close to last {}", a, l);
                }
                for b in &p[i + 1..] {
                    prop_assert!((b.date - a.date).num_days().abs() >= w, "{:?} and {:?}", a, b);
                }
            }
        }

        #[test]
        fn a_range_plan_is_the_union_of_its_day_plans(
            c in arb_contact(),
            start in arb_date(2025, 2027),
            len in 0u64..60,
        ) {
            let cfg = PlannerConfig::default();
            let end = start + chrono::Days::new(len);
            let whole = plan_greetings(&cfg, std::slice::from_ref(&c), start, end);
            let mut by_day = Vec::new();
            let mut day = start;
            while day <= end {
                by_day.extend(plan_greetings(&cfg, std::slice::from_ref(&c), day, day));
                day = day.succ_opt().unwrap();
            }
            prop_assert_eq!(whole, by_day);
        }
    }
}
