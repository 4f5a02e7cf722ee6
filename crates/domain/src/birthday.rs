//! Birthdays on the solar or the lunar (农历) calendar, and the solar date they next fall on.
//!
//! Policy for dates a year lacks:
//! - a lunar birthday in a leap month (闰月) is kept in that leap month in years that have it,
//!   and otherwise in the regular month of the same number (most years have no leap month);
//! - a lunar birthday on day 30 (三十) is kept on day 29 in years where that month is short;
//! - a solar birthday on 29 February is kept on 28 February in common years.

use chrono::{Datelike, NaiveDate};

use crate::Lang;
use crate::error::localized_error;
use crate::lunar::{self, LunarError};

/// Earliest and latest birth year accepted for a solar birthday.
pub const MIN_BIRTH_YEAR: i32 = 1900;
pub const MAX_BIRTH_YEAR: i32 = 2100;

/// A contact's birthday. The year is optional: people often share the day but not the year.
///
/// JSON: `{"calendar":"solar","year":1980,"month":3,"day":5}` or
/// `{"calendar":"lunar","year":null,"month":4,"day":8,"leap":true}`; reading it back applies the
/// same checks as [`Birthday::new_solar`] and [`Birthday::new_lunar`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(tag = "calendar", rename_all = "snake_case", try_from = "RawBirthday")]
pub enum Birthday {
    Solar {
        year: Option<i32>,
        month: u32,
        day: u32,
    },
    Lunar {
        year: Option<i32>,
        month: u32,
        day: u32,
        leap: bool,
    },
}

/// The unchecked JSON shape of [`Birthday`].
#[derive(serde::Deserialize)]
#[serde(tag = "calendar", rename_all = "snake_case")]
enum RawBirthday {
    Solar {
        #[serde(default)]
        year: Option<i32>,
        month: u32,
        day: u32,
    },
    Lunar {
        #[serde(default)]
        year: Option<i32>,
        month: u32,
        day: u32,
        #[serde(default)]
        leap: bool,
    },
}

impl TryFrom<RawBirthday> for Birthday {
    type Error = BirthdayError;

    fn try_from(raw: RawBirthday) -> Result<Birthday, BirthdayError> {
        match raw {
            RawBirthday::Solar { year, month, day } => Birthday::new_solar(year, month, day),
            RawBirthday::Lunar {
                year,
                month,
                day,
                leap,
            } => Birthday::new_lunar(year, month, day, leap),
        }
    }
}

localized_error!(
    /// Why a birthday was refused.
    BirthdayError {
        NoSuchDate => "no_such_date", "没有这个日期", "there is no such date";
        LunarOutOfRange => "lunar_out_of_range",
            "农历月份应为 1–12，日应为 1–30",
            "a lunar month is 1 to 12 and a lunar day 1 to 30";
        NoSuchLeapMonth => "no_such_leap_month",
            "那一年没有这个闰月",
            "that year has no such leap month";
        ShortLunarMonth => "short_lunar_month",
            "那一年这个农历月只有 29 天",
            "that lunar month had only 29 days that year";
        YearOutOfRange => "year_out_of_range",
            "出生年份应在 1900–2100 之间",
            "the birth year must be between 1900 and 2100";
    }
);

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Birthday {
    /// A solar birthday. Without a year, 29 February is allowed; with one, the date must exist.
    pub fn new_solar(year: Option<i32>, month: u32, day: u32) -> Result<Birthday, BirthdayError> {
        if year.is_some_and(|y| !(MIN_BIRTH_YEAR..=MAX_BIRTH_YEAR).contains(&y)) {
            return Err(BirthdayError::YearOutOfRange);
        }
        // 2000 is a leap year, so a yearless 29 February passes.
        NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day)
            .ok_or(BirthdayError::NoSuchDate)?;
        Ok(Birthday::Solar { year, month, day })
    }

    /// A lunar birthday: month 1–12, day 1–30; with a year, the date must have existed that
    /// year (the leap month, and day 30 of the month).
    pub fn new_lunar(
        year: Option<i32>,
        month: u32,
        day: u32,
        leap: bool,
    ) -> Result<Birthday, BirthdayError> {
        if !(1..=12).contains(&month) || !(1..=30).contains(&day) {
            return Err(BirthdayError::LunarOutOfRange);
        }
        if let Some(y) = year {
            match lunar::to_solar(y, month, day, leap) {
                Ok(_) => {}
                Err(LunarError::OutOfRange) => return Err(BirthdayError::YearOutOfRange),
                Err(LunarError::NoSuchMonth) => return Err(BirthdayError::NoSuchLeapMonth),
                Err(LunarError::NoSuchDay) => return Err(BirthdayError::ShortLunarMonth),
            }
        }
        Ok(Birthday::Lunar {
            year,
            month,
            day,
            leap,
        })
    }

    /// "solar" or "lunar", as stored.
    pub fn calendar(&self) -> &'static str {
        match self {
            Birthday::Solar { .. } => "solar",
            Birthday::Lunar { .. } => "lunar",
        }
    }

    pub fn year(&self) -> Option<i32> {
        match *self {
            Birthday::Solar { year, .. } | Birthday::Lunar { year, .. } => year,
        }
    }

    pub fn month(&self) -> u32 {
        match *self {
            Birthday::Solar { month, .. } | Birthday::Lunar { month, .. } => month,
        }
    }

    pub fn day(&self) -> u32 {
        match *self {
            Birthday::Solar { day, .. } | Birthday::Lunar { day, .. } => day,
        }
    }

    /// Born in a lunar leap month.
    pub fn is_leap(&self) -> bool {
        matches!(*self, Birthday::Lunar { leap: true, .. })
    }

    /// The solar date a solar birthday is kept on in solar year `y` (29 Feb → 28 Feb).
    fn solar_in(y: i32, month: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, month, day).or_else(|| {
            (month == 2 && day == 29)
                .then(|| NaiveDate::from_ymd_opt(y, 2, 28))
                .flatten()
        })
    }

    /// The solar date a lunar birthday is kept on in lunar year `ly` (policy in the module doc).
    fn lunar_in(ly: i32, month: u32, day: u32, leap: bool) -> Option<NaiveDate> {
        let leap = leap && lunar::leap_month(ly) == Some(month);
        let len = lunar::month_length(ly, month, leap).ok()??;
        lunar::to_solar(ly, month, day.min(len), leap).ok()
    }

    /// The first solar date on or after `from` on which the birthday falls (the birth date
    /// itself when the year is known and `from` precedes it). Lunar birthdays are found in the
    /// lunar year that began in `from`'s solar year, the one before (a lunar 12th month can reach
    /// into the next January or February) and the one after; None beyond the lunar tables
    /// (after lunar 2100).
    pub fn next_on_or_after(&self, from: NaiveDate) -> Option<NaiveDate> {
        match *self {
            Birthday::Solar { year, month, day } => {
                let first = from.year().max(year.unwrap_or(i32::MIN));
                (first..=first.checked_add(1)?)
                    .filter_map(|y| Birthday::solar_in(y, month, day))
                    .find(|d| *d >= from)
            }
            Birthday::Lunar {
                year,
                month,
                day,
                leap,
            } => {
                let first = from.year().checked_sub(1)?.max(year.unwrap_or(i32::MIN));
                (first..=first.checked_add(2)?)
                    .filter_map(|ly| Birthday::lunar_in(ly, month, day, leap))
                    .find(|d| *d >= from)
            }
        }
    }

    /// "3月5日" / "Mar 5", "1980年3月5日" / "Mar 5, 1980"; lunar "农历闰四月初八" /
    /// "Lunar leap 4/8", with the year "农历1980年闰四月初八" / "Lunar leap 4/8, 1980".
    pub fn display(&self, lang: Lang) -> String {
        match (*self, lang) {
            (Birthday::Solar { year, month, day }, Lang::ZhCn) => match year {
                Some(y) => format!("{y}年{month}月{day}日"),
                None => format!("{month}月{day}日"),
            },
            (Birthday::Solar { year, month, day }, Lang::En) => {
                let m = month
                    .checked_sub(1)
                    .and_then(|i| EN_MONTHS.get(i as usize))
                    .copied()
                    .unwrap_or("?");
                match year {
                    Some(y) => format!("{m} {day}, {y}"),
                    None => format!("{m} {day}"),
                }
            }
            (
                Birthday::Lunar {
                    year,
                    month,
                    day,
                    leap,
                },
                Lang::ZhCn,
            ) => {
                let y = year.map(|y| format!("{y}年")).unwrap_or_default();
                format!(
                    "农历{y}{}{}",
                    lunar::month_name(month, leap),
                    lunar::day_name(day)
                )
            }
            (
                Birthday::Lunar {
                    year,
                    month,
                    day,
                    leap,
                },
                Lang::En,
            ) => {
                let y = year.map(|y| format!(", {y}")).unwrap_or_default();
                let l = if leap { "leap " } else { "" };
                format!("Lunar {l}{month}/{day}{y}")
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn lunar(month: u32, day: u32, leap: bool) -> Birthday {
        Birthday::new_lunar(None, month, day, leap).unwrap()
    }

    #[test]
    fn a_lunar_birthday_on_the_fifteenth_of_the_eighth_month_is_on_mid_autumn() {
        let b = lunar(8, 15, false);
        assert_eq!(b.next_on_or_after(d(2026, 1, 1)), Some(d(2026, 9, 25)));
        assert_eq!(b.next_on_or_after(d(2026, 9, 25)), Some(d(2026, 9, 25)));
        assert_eq!(b.next_on_or_after(d(2026, 9, 26)), Some(d(2027, 9, 15)));
        assert_eq!(b.next_on_or_after(d(2027, 1, 1)), Some(d(2027, 9, 15)));
        assert_eq!(b.display(Lang::ZhCn), "农历八月十五");
        assert_eq!(b.display(Lang::En), "Lunar 8/15");
        // 春节 birthday.
        assert_eq!(
            lunar(1, 1, false).next_on_or_after(d(2026, 1, 1)),
            Some(d(2026, 2, 17))
        );
    }

    #[test]
    fn a_late_twelfth_month_birthday_falls_in_the_next_solar_january() {
        let b = lunar(12, 20, false);
        // Lunar 2026's 腊月二十 is 2027-01-27: after 2026-12-01 the next one is in January.
        let next = b.next_on_or_after(d(2026, 12, 1)).unwrap();
        assert_eq!(next, lunar::to_solar(2026, 12, 20, false).unwrap());
        assert_eq!((next.year(), next.month()), (2027, 1));
        // Early in a solar year the one still due belongs to the previous lunar year.
        assert_eq!(
            b.next_on_or_after(d(2026, 1, 1)),
            lunar::to_solar(2025, 12, 20, false).ok()
        );
        assert_eq!(b.next_on_or_after(d(2026, 1, 1)), Some(d(2026, 2, 7)));
    }

    #[test]
    fn born_in_a_leap_month_is_kept_in_the_regular_month_when_the_year_has_no_leap() {
        // Born 2025 闰六月初十 (2025-08-03).
        let b = Birthday::new_lunar(Some(2025), 6, 10, true).unwrap();
        assert_eq!(b.next_on_or_after(d(2025, 1, 1)), Some(d(2025, 8, 3)));
        // 2026 has no leap sixth month: the regular 六月初十.
        assert_eq!(
            b.next_on_or_after(d(2026, 1, 1)),
            lunar::to_solar(2026, 6, 10, false).ok()
        );
        assert_eq!(b.next_on_or_after(d(2026, 1, 1)), Some(d(2026, 7, 23)));
        assert_eq!(b.display(Lang::ZhCn), "农历2025年闰六月初十");
        assert_eq!(b.display(Lang::En), "Lunar leap 6/10, 2025");
        // In a year that has 闰六月 again it is the leap month, not the regular one.
        let with_leap = (2026..=2100)
            .find(|y| lunar::leap_month(*y) == Some(6))
            .unwrap();
        let start = d(with_leap, 1, 1);
        assert_eq!(
            lunar(6, 10, true).next_on_or_after(start),
            lunar::to_solar(with_leap, 6, 10, true).ok()
        );
        // Born in the regular month of such a year: the regular month, even when a leap follows.
        assert_eq!(
            lunar(6, 10, false).next_on_or_after(start),
            lunar::to_solar(with_leap, 6, 10, false).ok()
        );
    }

    #[test]
    fn a_birth_year_without_that_leap_month_is_refused() {
        assert_eq!(
            Birthday::new_lunar(Some(2026), 6, 10, true),
            Err(BirthdayError::NoSuchLeapMonth)
        );
        assert_eq!(
            Birthday::new_lunar(Some(1899), 1, 1, false),
            Err(BirthdayError::YearOutOfRange)
        );
        assert_eq!(
            Birthday::new_lunar(None, 13, 1, false),
            Err(BirthdayError::LunarOutOfRange)
        );
        assert_eq!(
            Birthday::new_lunar(None, 1, 31, false),
            Err(BirthdayError::LunarOutOfRange)
        );
        assert_eq!(
            Birthday::new_lunar(None, 0, 1, false),
            Err(BirthdayError::LunarOutOfRange)
        );
        // Without a year any leap month is allowed: it will be kept per the policy.
        assert!(Birthday::new_lunar(None, 1, 1, true).is_ok());
    }

    #[test]
    fn day_thirty_moves_to_twenty_nine_in_a_short_month() {
        let (long, short) = {
            let len = |y| lunar::month_length(y, 12, false).unwrap().unwrap();
            let long = (2020..2060).find(|y| len(*y) == 30).unwrap();
            let short = (2020..2060).find(|y| len(*y) == 29).unwrap();
            (long, short)
        };
        let b = lunar(12, 30, false);
        let in_long = lunar::to_solar(long, 12, 30, false).unwrap();
        let in_short = lunar::to_solar(short, 12, 29, false).unwrap();
        assert_eq!(b.next_on_or_after(in_long), Some(in_long));
        assert_eq!(b.next_on_or_after(in_short), Some(in_short));
        // The day after 廿九 of a short month is the next month's 初一, so 29 is the last chance.
        assert!(b.next_on_or_after(in_short.succ_opt().unwrap()).unwrap() > in_short);
        assert_eq!(
            Birthday::new_lunar(Some(short), 12, 30, false),
            Err(BirthdayError::ShortLunarMonth)
        );
        assert!(Birthday::new_lunar(Some(long), 12, 30, false).is_ok());
        assert_eq!(b.display(Lang::ZhCn), "农历腊月三十");
    }

    #[test]
    fn a_lunar_birthday_falls_once_in_every_lunar_year() {
        // Walk 30 years birthday to birthday: each lunar year gives exactly one date.
        for (m, dd, leap) in [
            (1, 1, false),
            (6, 10, true),
            (12, 30, false),
            (11, 30, true),
        ] {
            let b = lunar(m, dd, leap);
            let mut at = d(2000, 1, 1);
            let mut years = Vec::new();
            while at.year() < 2030 {
                let next = b.next_on_or_after(at).unwrap();
                let l = lunar::to_lunar(next).unwrap();
                assert_eq!(l.month, m);
                assert!(l.day == dd || (dd == 30 && l.day == 29));
                years.push(l.year);
                at = next.succ_opt().unwrap();
            }
            let mut dedup = years.clone();
            dedup.dedup();
            assert_eq!(years, dedup, "one per lunar year");
            assert!(years.windows(2).all(|w| w[1] == w[0] + 1), "none skipped");
        }
    }

    #[test]
    fn february_29_is_kept_on_the_28th_in_common_years() {
        let b = Birthday::new_solar(None, 2, 29).unwrap();
        assert_eq!(b.next_on_or_after(d(2027, 1, 1)), Some(d(2027, 2, 28)));
        assert_eq!(b.next_on_or_after(d(2027, 3, 1)), Some(d(2028, 2, 29)));
        assert_eq!(b.next_on_or_after(d(2028, 1, 1)), Some(d(2028, 2, 29)));
        assert!(Birthday::new_solar(Some(2000), 2, 29).is_ok());
        assert_eq!(
            Birthday::new_solar(Some(2027), 2, 29),
            Err(BirthdayError::NoSuchDate)
        );
        assert_eq!(
            Birthday::new_solar(Some(1900), 2, 29),
            Err(BirthdayError::NoSuchDate)
        );
    }

    #[test]
    fn solar_birthdays_are_checked_and_found() {
        assert_eq!(
            Birthday::new_solar(None, 4, 31),
            Err(BirthdayError::NoSuchDate)
        );
        assert_eq!(
            Birthday::new_solar(None, 13, 1),
            Err(BirthdayError::NoSuchDate)
        );
        assert_eq!(
            Birthday::new_solar(None, 1, 0),
            Err(BirthdayError::NoSuchDate)
        );
        assert_eq!(
            Birthday::new_solar(Some(1899), 1, 1),
            Err(BirthdayError::YearOutOfRange)
        );
        let b = Birthday::new_solar(Some(1980), 3, 5).unwrap();
        assert_eq!(b.next_on_or_after(d(2026, 3, 5)), Some(d(2026, 3, 5)));
        assert_eq!(b.next_on_or_after(d(2026, 3, 6)), Some(d(2027, 3, 5)));
        assert_eq!(b.next_on_or_after(d(2026, 12, 31)), Some(d(2027, 3, 5)));
        assert_eq!(b.display(Lang::ZhCn), "1980年3月5日");
        assert_eq!(b.display(Lang::En), "Mar 5, 1980");
        let yearless = Birthday::new_solar(None, 3, 5).unwrap();
        assert_eq!(yearless.display(Lang::ZhCn), "3月5日");
        assert_eq!(yearless.display(Lang::En), "Mar 5");
        // Nothing before the birth itself.
        let baby = Birthday::new_solar(Some(2027), 6, 1).unwrap();
        assert_eq!(baby.next_on_or_after(d(2026, 1, 1)), Some(d(2027, 6, 1)));
        let lunar_baby = Birthday::new_lunar(Some(2027), 8, 15, false).unwrap();
        assert_eq!(
            lunar_baby.next_on_or_after(d(2026, 1, 1)),
            Some(d(2027, 9, 15))
        );
    }

    #[test]
    fn beyond_the_lunar_tables_there_is_no_next_date() {
        assert_eq!(lunar(8, 15, false).next_on_or_after(d(2101, 6, 1)), None);
        assert_eq!(
            lunar(12, 1, false).next_on_or_after(d(2100, 12, 1)),
            lunar::to_solar(2100, 12, 1, false).ok()
        );
        let max = NaiveDate::MAX;
        assert_eq!(
            Birthday::new_solar(None, 1, 1)
                .unwrap()
                .next_on_or_after(max),
            None
        );
    }

    #[test]
    fn accessors_and_json() {
        let b = Birthday::new_lunar(Some(2025), 6, 10, true).unwrap();
        assert_eq!(
            (b.calendar(), b.year(), b.month(), b.day(), b.is_leap()),
            ("lunar", Some(2025), 6, 10, true)
        );
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(
            json,
            r#"{"calendar":"lunar","year":2025,"month":6,"day":10,"leap":true}"#
        );
        assert_eq!(serde_json::from_str::<Birthday>(&json).unwrap(), b);
        let s: Birthday =
            serde_json::from_str(r#"{"calendar":"solar","month":3,"day":5}"#).unwrap();
        assert_eq!(s, Birthday::new_solar(None, 3, 5).unwrap());
        assert_eq!(s.calendar(), "solar");
        assert!(
            serde_json::from_str::<Birthday>(r#"{"calendar":"solar","month":2,"day":30}"#).is_err()
        );
        assert!(
            serde_json::from_str::<Birthday>(
                r#"{"calendar":"lunar","year":2026,"month":6,"day":10,"leap":true}"#
            )
            .is_err()
        );
        crate::error::assert_localized(
            BirthdayError::ALL,
            BirthdayError::code,
            BirthdayError::message,
        );
    }
}
