//! Birthdays on the solar or the lunar (农历) calendar, and when they next fall.
//!
//! Policy for lunar birthdays a year lacks: born in a leap month → the leap month when that
//! year has it, otherwise the regular month of the same number; born on day 30 → day 29 when
//! the month is short that year. A solar 29 February is kept on 28 February in common years.

use chrono::{Datelike, NaiveDate};

use crate::Lang;
use crate::lunar::{self, LunarError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "calendar", rename_all = "snake_case")]
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

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BirthdayError {
    #[error("no such date")]
    NoSuchDate,
    #[error("lunar month must be 1 to 12 and day 1 to 30")]
    LunarOutOfRange,
    #[error("that lunar date did not exist in that year")]
    LunarMissing,
    #[error("year out of range")]
    YearOutOfRange,
}

impl BirthdayError {
    pub fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (BirthdayError::NoSuchDate, Lang::ZhCn) => "没有这个日期",
            (BirthdayError::NoSuchDate, Lang::En) => "there is no such date",
            (BirthdayError::LunarOutOfRange, Lang::ZhCn) => "农历月份应为 1–12，日应为 1–30",
            (BirthdayError::LunarOutOfRange, Lang::En) => "a lunar month is 1–12 and a day 1–30",
            (BirthdayError::LunarMissing, Lang::ZhCn) => "该年没有这个农历日期",
            (BirthdayError::LunarMissing, Lang::En) => "that lunar date did not exist in that year",
            (BirthdayError::YearOutOfRange, Lang::ZhCn) => "年份应在 1901–2100 之间",
            (BirthdayError::YearOutOfRange, Lang::En) => "the year must be between 1901 and 2100",
        }
    }
}

impl Birthday {
    pub fn new_solar(year: Option<i32>, month: u32, day: u32) -> Result<Birthday, BirthdayError> {
        if let Some(y) = year
            && !(1901..=2100).contains(&y)
        {
            return Err(BirthdayError::YearOutOfRange);
        }
        // Without a year, 29 February is allowed: check against a leap year.
        NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day)
            .ok_or(BirthdayError::NoSuchDate)?;
        Ok(Birthday::Solar { year, month, day })
    }

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
                Err(_) => return Err(BirthdayError::LunarMissing),
            }
        }
        Ok(Birthday::Lunar {
            year,
            month,
            day,
            leap,
        })
    }

    /// The solar date the birthday is kept on in lunar year `ly` (policy in the module doc).
    fn lunar_in(ly: i32, month: u32, day: u32, leap: bool) -> Option<NaiveDate> {
        let leap = leap && matches!(lunar::month_length(ly, month, true), Ok(Some(_)));
        let len = lunar::month_length(ly, month, leap).ok()??;
        let day = day.min(u32::from(len));
        lunar::to_solar(ly, month, day, leap).ok()
    }

    /// The next solar date on or after `from` on which the birthday falls.
    pub fn next_on_or_after(&self, from: NaiveDate) -> Option<NaiveDate> {
        match *self {
            Birthday::Solar { month, day, .. } => (from.year()..=from.year() + 1).find_map(|y| {
                let d = NaiveDate::from_ymd_opt(y, month, day).or_else(|| {
                    (month == 2 && day == 29)
                        .then(|| NaiveDate::from_ymd_opt(y, 2, 28))
                        .flatten()
                })?;
                (d >= from).then_some(d)
            }),
            // A lunar year starts in January or February, so the birthday may belong to the
            // lunar year that began in the previous solar year.
            Birthday::Lunar {
                month, day, leap, ..
            } => (from.year() - 1..=from.year() + 1)
                .filter_map(|ly| Birthday::lunar_in(ly, month, day, leap))
                .filter(|d| *d >= from)
                .min(),
        }
    }

    pub fn display(&self, lang: Lang) -> String {
        const EN_MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        match (*self, lang) {
            (Birthday::Solar { year, month, day }, Lang::ZhCn) => match year {
                Some(y) => format!("{y}年{month}月{day}日"),
                None => format!("{month}月{day}日"),
            },
            (Birthday::Solar { year, month, day }, Lang::En) => {
                let m = EN_MONTHS
                    .get((month.max(1) - 1) as usize)
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
                let y = year.map(|y| format!(" ({y})")).unwrap_or_default();
                format!("Lunar {}{month}/{day}{y}", if leap { "leap " } else { "" })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default()
    }

    #[test]
    fn a_lunar_birthday_on_the_fifteenth_of_the_eighth_month_is_on_mid_autumn() {
        let b = Birthday::new_lunar(None, 8, 15, false).unwrap();
        assert_eq!(b.next_on_or_after(d(2027, 1, 1)), Some(d(2027, 9, 15)));
        assert_eq!(b.display(Lang::ZhCn), "农历八月十五");
    }

    #[test]
    fn a_late_twelfth_month_birthday_falls_in_the_next_solar_january() {
        let b = Birthday::new_lunar(None, 12, 20, false).unwrap();
        let next = b.next_on_or_after(d(2026, 12, 1)).unwrap();
        assert_eq!(next.year(), 2027);
        assert_eq!(next.month(), 1);
    }

    #[test]
    fn born_in_a_leap_month_is_kept_in_the_regular_month_when_there_is_no_leap() {
        let b = Birthday::new_lunar(Some(2025), 6, 10, true).unwrap();
        assert_eq!(
            b.next_on_or_after(d(2026, 1, 1)),
            lunar::to_solar(2026, 6, 10, false).ok()
        );
        assert_eq!(
            Birthday::new_lunar(Some(2026), 6, 10, true),
            Err(BirthdayError::LunarMissing)
        );
    }

    #[test]
    fn day_thirty_moves_to_twenty_nine_in_a_short_month() {
        // Find a year whose 12th month is short and check the policy there.
        let y = (2026..2040)
            .find(|y| lunar::month_length(*y, 12, false) == Ok(Some(29)))
            .unwrap();
        let b = Birthday::new_lunar(None, 12, 30, false).unwrap();
        let expect = lunar::to_solar(y, 12, 29, false).unwrap();
        assert_eq!(b.next_on_or_after(expect), Some(expect));
    }

    #[test]
    fn february_29_is_kept_on_the_28th_in_common_years() {
        let b = Birthday::new_solar(None, 2, 29).unwrap();
        assert_eq!(b.next_on_or_after(d(2027, 1, 1)), Some(d(2027, 2, 28)));
        assert_eq!(b.next_on_or_after(d(2028, 1, 1)), Some(d(2028, 2, 29)));
        assert_eq!(
            Birthday::new_solar(Some(2027), 2, 29),
            Err(BirthdayError::NoSuchDate)
        );
        assert_eq!(
            Birthday::new_solar(None, 4, 31),
            Err(BirthdayError::NoSuchDate)
        );
    }
}
