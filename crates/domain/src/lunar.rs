//! Chinese lunar (农历) dates ↔ solar dates, 1901–2100, including leap months.

use chinese_lunisolar_calendar::{LunarMonth, LunisolarDate, LunisolarYear, SolarYear};
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LunarDate {
    /// The lunar year, numbered by the solar year in which it starts.
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub leap: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LunarError {
    #[error("the year is outside 1901–2100")]
    OutOfRange,
    #[error("that lunar month does not exist in that year")]
    NoSuchMonth,
    #[error("that lunar day does not exist in that month")]
    NoSuchDay,
}

pub fn to_lunar(d: NaiveDate) -> Option<LunarDate> {
    let l = LunisolarDate::from_date(d).ok()?;
    Some(LunarDate {
        year: i32::from(l.to_lunisolar_year().to_u16()),
        month: u32::from(l.to_lunar_month().to_u8()),
        day: u32::from(l.to_lunar_day().to_u8()),
        leap: l.to_lunar_month().is_leap_month(),
    })
}

pub fn to_solar(year: i32, month: u32, day: u32, leap: bool) -> Result<NaiveDate, LunarError> {
    let y = u16::try_from(year).map_err(|_| LunarError::OutOfRange)?;
    let m = u8::try_from(month).map_err(|_| LunarError::NoSuchMonth)?;
    let dd = u8::try_from(day).map_err(|_| LunarError::NoSuchDay)?;
    match month_length(year, month, leap)? {
        Some(len) if u32::from(len) >= day && day >= 1 => {}
        Some(_) => return Err(LunarError::NoSuchDay),
        None => return Err(LunarError::NoSuchMonth),
    }
    LunisolarDate::from_ymd(y, m, leap, dd)
        .map(|l| l.to_naive_date())
        .map_err(|_| LunarError::NoSuchDay)
}

/// Days in a lunar month of a lunar year; None when the (leap) month does not exist.
pub fn month_length(year: i32, month: u32, leap: bool) -> Result<Option<u8>, LunarError> {
    let y = u16::try_from(year).map_err(|_| LunarError::OutOfRange)?;
    let ly = LunisolarYear::from_solar_year(SolarYear::from_u16(y))
        .map_err(|_| LunarError::OutOfRange)?;
    let m = u8::try_from(month).map_err(|_| LunarError::NoSuchMonth)?;
    let Ok(lm) = LunarMonth::from_u8_with_leap(m, leap) else {
        return Ok(None);
    };
    Ok(ly.get_total_days_in_a_month(lm))
}

const MONTHS: [&str; 12] = [
    "正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊",
];
const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

pub fn month_name(month: u32, leap: bool) -> String {
    let m = MONTHS
        .get((month.max(1) - 1) as usize)
        .copied()
        .unwrap_or("?");
    format!("{}{m}月", if leap { "闰" } else { "" })
}

pub fn day_name(day: u32) -> String {
    match day {
        1..=10 => format!(
            "初{}",
            if day == 10 {
                "十"
            } else {
                DIGITS[day as usize]
            }
        ),
        11..=19 => format!("十{}", DIGITS[(day - 10) as usize]),
        20 => "二十".into(),
        21..=29 => format!("廿{}", DIGITS[(day - 20) as usize]),
        30 => "三十".into(),
        _ => "?".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default()
    }

    #[test]
    fn festivals_fall_on_the_almanac_dates() {
        assert_eq!(to_solar(2026, 1, 1, false), Ok(d(2026, 2, 17)));
        assert_eq!(to_solar(2026, 8, 15, false), Ok(d(2026, 9, 25)));
        assert_eq!(to_solar(2027, 8, 15, false), Ok(d(2027, 9, 15)));
        assert_eq!(to_solar(2026, 5, 5, false), Ok(d(2026, 6, 19)));
        assert_eq!(to_solar(2027, 9, 9, false), Ok(d(2027, 10, 8)));
    }

    #[test]
    fn leap_months_exist_only_where_the_calendar_has_them() {
        // 2025 has a leap sixth month; 2026 has none.
        assert!(to_solar(2025, 6, 10, true).is_ok());
        assert_eq!(to_solar(2026, 6, 10, true), Err(LunarError::NoSuchMonth));
        assert_eq!(
            to_lunar(d(2025, 8, 3)).map(|l| (l.month, l.leap)),
            Some((6, true))
        );
    }

    #[test]
    fn names_read_as_on_a_calendar() {
        assert_eq!(month_name(1, false), "正月");
        assert_eq!(month_name(4, true), "闰四月");
        assert_eq!(day_name(8), "初八");
        assert_eq!(day_name(10), "初十");
        assert_eq!(day_name(15), "十五");
        assert_eq!(day_name(23), "廿三");
        assert_eq!(day_name(30), "三十");
    }
}
