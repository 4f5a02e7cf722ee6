//! Chinese lunar (农历) dates ↔ solar dates for lunar years 1900–2100 (and solar days from 1900-01-01), leap months included, and
//! their Chinese names (正月, 初一, 廿三 …).

use chinese_lunisolar_calendar::{LunarMonth, LunisolarDate, LunisolarYear, SolarYear};
use chrono::NaiveDate;

use crate::Lang;
use crate::error::localized_error;

/// First and last lunar year the calendar crate covers (earlier months: `EARLY_MONTHS`; a
/// lunar year is numbered by the solar
/// year its first day falls in).
pub const MIN_YEAR: i32 = 1901;
pub const MAX_YEAR: i32 = 2100;

/// The calendar crate's tables start at 1901-02-19 (春节 of lunar 1901). The months before,
/// back to solar 1900-01-01, are carried here in order: (lunar year, month, leap, days). Lunar
/// 1900 began on 1900-01-31 with a leap eighth month (闰八月); its month lengths are the
/// standard table's entry for 1900 (0x04bd8), decoded as the crate decodes later years (a
/// test checks that decoding against the crate for 1901), and its 冬月/腊月 were checked
/// against two independent almanac programs. 1900-01-01 was 腊月初一 of lunar 1899.
const EARLY_MONTHS: [(i32, u32, bool, u32); 14] = [
    (1899, 12, false, 30),
    (1900, 1, false, 29),
    (1900, 2, false, 30),
    (1900, 3, false, 29),
    (1900, 4, false, 29),
    (1900, 5, false, 30),
    (1900, 6, false, 29),
    (1900, 7, false, 30),
    (1900, 8, false, 30),
    (1900, 8, true, 29),
    (1900, 9, false, 30),
    (1900, 10, false, 30),
    (1900, 11, false, 29),
    (1900, 12, false, 30),
];

/// The first solar day the early months cover.
fn early_start() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1900, 1, 1)
}

/// First solar day and length of an early lunar month.
fn early_month(year: i32, month: u32, leap: bool) -> Option<(NaiveDate, u32)> {
    let mut start = early_start()?;
    for (y, m, l, len) in EARLY_MONTHS {
        if (y, m, l) == (year, month, leap) {
            return Some((start, len));
        }
        start = start.checked_add_days(chrono::Days::new(u64::from(len)))?;
    }
    None
}

/// Whether a lunar year is (partly) covered by the early table rather than the crate.
fn is_early_year(year: i32) -> bool {
    year < MIN_YEAR
}

/// A date on the lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct LunarDate {
    /// The lunar year, numbered by the solar year in which it starts.
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// The month is the leap (闰) month that follows the regular month of the same number.
    pub leap: bool,
}

localized_error!(
    /// Why a lunar date could not be converted.
    LunarError {
        OutOfRange => "lunar_out_of_range",
            "农历年份须在 1900–2100 之间",
            "the lunar year must be between 1900 and 2100";
        NoSuchMonth => "no_such_lunar_month",
            "该年没有这个农历月份",
            "that lunar month does not exist in that year";
        NoSuchDay => "no_such_lunar_day",
            "该农历月没有这一天",
            "that day does not exist in that lunar month";
    }
);

fn lunisolar_year(year: i32) -> Result<LunisolarYear, LunarError> {
    let y = u16::try_from(year).map_err(|_| LunarError::OutOfRange)?;
    LunisolarYear::from_solar_year(SolarYear::from_u16(y)).map_err(|_| LunarError::OutOfRange)
}

/// The lunar date of a solar date; None outside 1900-01-01 … 2101-01-28.
pub fn to_lunar(d: NaiveDate) -> Option<LunarDate> {
    let mut start = early_start()?;
    for (year, month, leap, len) in EARLY_MONTHS {
        let offset = d.signed_duration_since(start).num_days();
        if offset < 0 {
            return None;
        }
        if offset < i64::from(len) {
            return Some(LunarDate {
                year,
                month,
                day: u32::try_from(offset).ok()? + 1,
                leap,
            });
        }
        start = start.checked_add_days(chrono::Days::new(u64::from(len)))?;
    }
    let l = LunisolarDate::from_date(d).ok()?;
    let month = l.to_lunar_month();
    Some(LunarDate {
        year: i32::from(l.to_lunisolar_year().to_u16()),
        month: u32::from(month.to_u8()),
        day: u32::from(l.to_lunar_day().to_u8()),
        leap: month.is_leap_month(),
    })
}

/// The solar date of a lunar date. Fails when the year is out of range, the (leap) month does
/// not exist that year, or the day is past the month's end.
pub fn to_solar(year: i32, month: u32, day: u32, leap: bool) -> Result<NaiveDate, LunarError> {
    let len = month_length(year, month, leap)?.ok_or(LunarError::NoSuchMonth)?;
    if !(1..=len).contains(&day) {
        return Err(LunarError::NoSuchDay);
    }
    if is_early_year(year) {
        let (start, _) = early_month(year, month, leap).ok_or(LunarError::OutOfRange)?;
        return start
            .checked_add_days(chrono::Days::new(u64::from(day - 1)))
            .ok_or(LunarError::OutOfRange);
    }
    // Ranges were checked above, so these conversions cannot fail.
    let (y, m, d) = (
        u16::try_from(year).map_err(|_| LunarError::OutOfRange)?,
        u8::try_from(month).map_err(|_| LunarError::NoSuchMonth)?,
        u8::try_from(day).map_err(|_| LunarError::NoSuchDay)?,
    );
    LunisolarDate::from_ymd(y, m, leap, d)
        .map(LunisolarDate::to_naive_date)
        .map_err(|_| LunarError::NoSuchDay)
}

/// Days (29 or 30) in a lunar month of a lunar year; `Ok(None)` when that month does not exist
/// (a leap month the year lacks, or a month number outside 1–12).
///
/// Lunar 1900 comes from `EARLY_MONTHS`; of lunar 1899 only 腊月 is known, its other months
/// are out of range.
pub fn month_length(year: i32, month: u32, leap: bool) -> Result<Option<u32>, LunarError> {
    if is_early_year(year) {
        return match early_month(year, month, leap) {
            Some((_, len)) => Ok(Some(len)),
            None if year == 1900 && (1..=12).contains(&month) => Ok(None),
            None => Err(LunarError::OutOfRange),
        };
    }
    let ly = lunisolar_year(year)?;
    let Some(lm) = u8::try_from(month)
        .ok()
        .and_then(|m| LunarMonth::from_u8_with_leap(m, leap).ok())
    else {
        return Ok(None);
    };
    Ok(ly.get_total_days_in_a_month(lm).map(u32::from))
}

/// The leap month of a lunar year, if it has one.
pub fn leap_month(year: i32) -> Option<u32> {
    if is_early_year(year) {
        return EARLY_MONTHS
            .iter()
            .find(|(y, _, leap, _)| *y == year && *leap)
            .map(|(_, m, _, _)| *m);
    }
    let ly = lunisolar_year(year).ok()?;
    ly.get_leap_lunar_month().map(|m| u32::from(m.to_u8()))
}

/// The stem-branch (干支) name of a lunar year: 2026 → "丙午".
pub fn ganzhi_year(year: i32) -> Option<&'static str> {
    if is_early_year(year) {
        // The sixty-year cycle: 1900 was 庚子, 1899 己亥.
        const EARLY: [(i32, &str); 2] = [(1899, "己亥"), (1900, "庚子")];
        return EARLY.iter().find(|(y, _)| *y == year).map(|(_, g)| *g);
    }
    Some(lunisolar_year(year).ok()?.to_lunar_year().to_str())
}

const MONTH_NAMES: [&str; 12] = [
    "正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月",
];

const DAY_NAMES: [&str; 30] = [
    "初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十", "十一", "十二",
    "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十", "廿一", "廿二", "廿三", "廿四",
    "廿五", "廿六", "廿七", "廿八", "廿九", "三十",
];

/// A lunar month as written on a calendar: 正月, 二月 … 冬月, 腊月; 闰四月 for a leap month.
/// Out-of-range months read "?月".
pub fn month_name(month: u32, leap: bool) -> String {
    let name = month
        .checked_sub(1)
        .and_then(|i| MONTH_NAMES.get(i as usize))
        .copied()
        .unwrap_or("?月");
    if leap {
        format!("闰{name}")
    } else {
        name.to_string()
    }
}

/// A lunar day as written on a calendar: 初一 … 初十, 十一 … 二十, 廿一 … 廿九, 三十.
pub fn day_name(day: u32) -> &'static str {
    day.checked_sub(1)
        .and_then(|i| DAY_NAMES.get(i as usize))
        .copied()
        .unwrap_or("?")
}

impl LunarDate {
    pub fn to_solar(&self) -> Result<NaiveDate, LunarError> {
        to_solar(self.year, self.month, self.day, self.leap)
    }

    /// "丙午年八月十五" / "Lunar 8/15, 2026" ("Lunar leap 6/10, 2025" for a leap month).
    pub fn display(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhCn => {
                let year = ganzhi_year(self.year)
                    .map_or_else(|| format!("{}年", self.year), |g| format!("{g}年"));
                format!(
                    "{year}{}{}",
                    month_name(self.month, self.leap),
                    day_name(self.day)
                )
            }
            Lang::En => format!(
                "Lunar {}{}/{}, {}",
                if self.leap { "leap " } else { "" },
                self.month,
                self.day,
                self.year
            ),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::Datelike;
    use proptest::prelude::*;

    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn festivals_fall_on_the_almanac_dates() {
        // 春节, 中秋, 端午, 重阳 as printed in the almanac.
        assert_eq!(to_solar(2026, 1, 1, false), Ok(d(2026, 2, 17)));
        assert_eq!(to_solar(2026, 8, 15, false), Ok(d(2026, 9, 25)));
        assert_eq!(to_solar(2027, 8, 15, false), Ok(d(2027, 9, 15)));
        assert_eq!(to_solar(2026, 5, 5, false), Ok(d(2026, 6, 19)));
        assert_eq!(to_solar(2027, 9, 9, false), Ok(d(2027, 10, 8)));
        assert_eq!(to_solar(2024, 1, 1, false), Ok(d(2024, 2, 10)));
        assert_eq!(to_solar(2025, 1, 1, false), Ok(d(2025, 1, 29)));
        assert_eq!(
            to_lunar(d(2026, 9, 25)),
            Some(LunarDate {
                year: 2026,
                month: 8,
                day: 15,
                leap: false
            })
        );
    }

    #[test]
    fn january_dates_belong_to_the_previous_lunar_year() {
        // 2026-02-16 is 除夕, the last day of lunar 2025.
        let eve = to_lunar(d(2026, 2, 16)).unwrap();
        assert_eq!((eve.year, eve.month, eve.leap), (2025, 12, false));
        assert_eq!(month_length(2025, 12, false), Ok(Some(eve.day)));
    }

    #[test]
    fn lunar_1900_is_covered_from_its_new_year_with_its_leap_eighth_month() {
        // 春节 1900 (庚子) fell on 1900-01-31; 1900-01-01 was 腊月初一 of 1899 (己亥).
        assert_eq!(to_solar(1900, 1, 1, false), Ok(d(1900, 1, 31)));
        let first = to_lunar(d(1900, 1, 1)).unwrap();
        assert_eq!((first.year, first.month, first.day), (1899, 12, 1));
        assert_eq!(to_lunar(d(1899, 12, 31)), None);
        assert_eq!(leap_month(1900), Some(8));
        assert_eq!(month_length(1900, 7, true), Ok(None));
        assert_eq!(ganzhi_year(1900), Some("庚子"));
        // The early months end exactly where the crate's table begins.
        let last = to_lunar(d(1901, 2, 18)).unwrap();
        assert_eq!((last.year, last.month, last.day), (1900, 12, 30));
        let next = to_lunar(d(1901, 2, 19)).unwrap();
        assert_eq!((next.year, next.month, next.day), (1901, 1, 1));
        // Every day of 1900 and 1901 goes to lunar and back.
        let mut day = d(1900, 1, 1);
        while day <= d(1901, 12, 31) {
            let l = to_lunar(day).unwrap();
            assert_eq!(to_solar(l.year, l.month, l.day, l.leap), Ok(day), "{day}");
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn the_1900_month_table_is_decoded_as_the_crate_decodes_1901() {
        // The standard table's entry for 1901 is 0x04ae0: bit 0x8000 >> (m - 1) set means a
        // 30-day month m, low nibble the leap month (none). The crate must agree, which
        // shows EARLY_MONTHS' 1900 row (0x04bd8) was decoded the same way.
        let entry = 0x04ae0u32;
        for m in 1..=12u32 {
            let expected = if entry & (0x8000 >> (m - 1)) != 0 {
                30
            } else {
                29
            };
            assert_eq!(
                month_length(1901, m, false),
                Ok(Some(expected)),
                "month {m}"
            );
        }
        let e1900 = 0x04bd8u32;
        assert_eq!(e1900 & 0xf, 8, "1900's leap month");
        for (y, m, leap, len) in EARLY_MONTHS.iter().filter(|r| r.0 == 1900) {
            let expected = if *leap {
                if e1900 & 0x10000 != 0 { 30 } else { 29 }
            } else if e1900 & (0x8000 >> (m - 1)) != 0 {
                30
            } else {
                29
            };
            assert_eq!(*len, expected, "{y}-{m} leap={leap}");
        }
    }

    #[test]
    fn leap_months_exist_only_where_the_calendar_has_them() {
        // 2025 has a leap sixth month (闰六月, 2025-07-25 … 2025-08-22); 2026 has none.
        assert_eq!(leap_month(2025), Some(6));
        assert_eq!(leap_month(2026), None);
        assert_eq!(leap_month(2023), Some(2));
        assert_eq!(to_solar(2025, 6, 1, true), Ok(d(2025, 7, 25)));
        assert_eq!(to_solar(2025, 6, 10, true), Ok(d(2025, 8, 3)));
        assert_eq!(to_solar(2025, 6, 10, false), Ok(d(2025, 7, 4)));
        assert_eq!(to_solar(2026, 6, 10, true), Err(LunarError::NoSuchMonth));
        assert_eq!(month_length(2026, 6, true), Ok(None));
        let l = to_lunar(d(2025, 8, 3)).unwrap();
        assert_eq!((l.month, l.day, l.leap), (6, 10, true));
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(to_solar(1899, 1, 1, false), Err(LunarError::OutOfRange));
        assert_eq!(to_solar(2101, 1, 1, false), Err(LunarError::OutOfRange));
        assert_eq!(to_solar(-5, 1, 1, false), Err(LunarError::OutOfRange));
        assert_eq!(to_solar(2026, 13, 1, false), Err(LunarError::NoSuchMonth));
        assert_eq!(to_solar(2026, 0, 1, false), Err(LunarError::NoSuchMonth));
        assert_eq!(to_solar(2026, 1, 0, false), Err(LunarError::NoSuchDay));
        assert_eq!(to_solar(2026, 1, 31, false), Err(LunarError::NoSuchDay));
        // A 29-day month has no 三十.
        let short = (1..=12)
            .find(|m| month_length(2026, *m, false) == Ok(Some(29)))
            .unwrap();
        assert_eq!(to_solar(2026, short, 30, false), Err(LunarError::NoSuchDay));
        assert!(to_solar(2026, short, 29, false).is_ok());
        assert_eq!(to_lunar(d(1899, 12, 31)), None);
        assert!(to_lunar(d(1901, 2, 19)).is_some());
        assert_eq!(to_solar(1899, 11, 1, false), Err(LunarError::OutOfRange));
        assert_eq!(to_solar(1900, 12, 1, true), Err(LunarError::NoSuchMonth));
        assert_eq!(to_lunar(d(2101, 1, 29)), None);
        crate::error::assert_localized(LunarError::ALL, LunarError::code, LunarError::message);
    }

    #[test]
    fn every_month_has_29_or_30_days_and_every_year_12_or_13_months() {
        for y in MIN_YEAR..=MAX_YEAR {
            let mut months = 0;
            for m in 1..=12 {
                for leap in [false, true] {
                    if let Some(len) = month_length(y, m, leap).unwrap() {
                        assert!(len == 29 || len == 30);
                        months += 1;
                    }
                }
            }
            assert_eq!(months, if leap_month(y).is_some() { 13 } else { 12 }, "{y}");
        }
    }

    #[test]
    fn every_covered_day_converts_and_lunar_days_follow_each_other() {
        // Walk 1900-12-22 … 2101-01-28 day by day: each lunar date is the day after the last.
        let mut day = d(1900, 12, 22);
        let mut prev = to_lunar(day).unwrap();
        assert_eq!(
            (prev.year, prev.month, prev.day, prev.leap),
            (1900, 11, 1, false)
        );
        let mut count = 1;
        while let Some(next_day) = day.succ_opt().filter(|n| *n <= d(2101, 1, 28)) {
            day = next_day;
            let l = to_lunar(day).unwrap();
            assert_eq!(l.to_solar(), Ok(day), "{day}");
            let len = month_length(prev.year, prev.month, prev.leap)
                .unwrap()
                .unwrap();
            if prev.day < len {
                assert_eq!(
                    (l.year, l.month, l.day, l.leap),
                    (prev.year, prev.month, prev.day + 1, prev.leap)
                );
            } else {
                assert_eq!(l.day, 1, "{day}");
                let new_year = (l.year, l.month, l.leap) == (prev.year + 1, 1, false);
                let leap_follows =
                    (l.year, l.month, l.leap) == (prev.year, prev.month, true) && !prev.leap;
                let next_month = (l.year, l.month, l.leap) == (prev.year, prev.month + 1, false);
                assert!(
                    new_year || leap_follows || next_month,
                    "{day}: {prev:?} → {l:?}"
                );
            }
            prev = l;
            count += 1;
        }
        assert_eq!((prev.year, prev.month), (2100, 12));
        assert!(count > 72_000);
    }

    #[test]
    fn names_read_as_on_a_calendar() {
        assert_eq!(month_name(1, false), "正月");
        assert_eq!(month_name(4, true), "闰四月");
        assert_eq!(month_name(11, false), "冬月");
        assert_eq!(month_name(12, false), "腊月");
        assert_eq!(month_name(13, false), "?月");
        assert_eq!(month_name(0, false), "?月");
        assert_eq!(day_name(1), "初一");
        assert_eq!(day_name(8), "初八");
        assert_eq!(day_name(10), "初十");
        assert_eq!(day_name(15), "十五");
        assert_eq!(day_name(20), "二十");
        assert_eq!(day_name(23), "廿三");
        assert_eq!(day_name(30), "三十");
        assert_eq!(day_name(0), "?");
        assert_eq!(day_name(31), "?");
        assert_eq!(ganzhi_year(2026), Some("丙午"));
        assert_eq!(ganzhi_year(2024), Some("甲辰"));
        assert_eq!(ganzhi_year(1800), None);
        let mid_autumn = to_lunar(d(2026, 9, 25)).unwrap();
        assert_eq!(mid_autumn.display(Lang::ZhCn), "丙午年八月十五");
        assert_eq!(mid_autumn.display(Lang::En), "Lunar 8/15, 2026");
        let leap = to_lunar(d(2025, 8, 3)).unwrap();
        assert_eq!(leap.display(Lang::ZhCn), "乙巳年闰六月初十");
        assert_eq!(leap.display(Lang::En), "Lunar leap 6/10, 2025");
        assert_eq!(leap.to_solar(), Ok(d(2025, 8, 3)));
    }

    #[test]
    fn solar_to_lunar_to_solar_is_the_identity_for_every_day_from_1901_to_2099() {
        let mut day = d(1901, 1, 1);
        let mut count = 0;
        while day <= d(2099, 12, 31) {
            let l = to_lunar(day).unwrap();
            assert_eq!(to_solar(l.year, l.month, l.day, l.leap), Ok(day), "{day}");
            assert!(l.year == day.year() || l.year == day.year() - 1, "{day}");
            day = day.succ_opt().unwrap();
            count += 1;
        }
        assert_eq!(count, 72_684);
    }

    #[test]
    fn the_first_days_of_1901_belong_to_the_last_months_of_lunar_1900() {
        let l = to_lunar(d(1901, 1, 1)).unwrap();
        assert_eq!((l.year, l.month, l.day, l.leap), (1900, 11, 11, false));
        let eve = to_lunar(d(1901, 2, 18)).unwrap();
        assert_eq!((eve.year, eve.month, eve.day), (1900, 12, 30));
        assert_eq!(to_solar(1900, 12, 30, false), Ok(d(1901, 2, 18)));
        assert_eq!(to_solar(1900, 11, 1, false), Ok(d(1900, 12, 22)));
        assert_eq!(to_solar(1900, 11, 30, false), Err(LunarError::NoSuchDay));
        assert_eq!(month_length(1900, 12, false), Ok(Some(30)));
        assert_eq!(month_length(1900, 1, false), Ok(Some(29)));
        assert_eq!(month_length(1899, 11, false), Err(LunarError::OutOfRange));
        let spring = to_lunar(d(1901, 2, 19)).unwrap();
        assert_eq!((spring.year, spring.month, spring.day), (1901, 1, 1));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn lunar_and_back_is_the_same_day(offset in 0i64..=72_683) {
            // 1901-01-01 … 2099-12-31.
            let day = d(1901, 1, 1) + chrono::Duration::days(offset);
            let l = to_lunar(day);
            prop_assert!(l.is_some(), "{} has a lunar date", day);
            let l = l.unwrap();
            prop_assert_eq!(to_solar(l.year, l.month, l.day, l.leap), Ok(day));
            prop_assert!(l.year == day.year() || l.year == day.year() - 1);
        }
    }
}
