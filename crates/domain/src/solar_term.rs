//! The two solar terms (节气) the greeting calendar needs, 清明 and 冬至, for 1901–2100.
//!
//! Solar terms follow the sun, not the moon, so the lunar tables do not give them, and a short
//! astronomical formula is off by a day whenever the term falls near Beijing midnight. They are
//! therefore data: one digit per year, the day of the month in Beijing time (清明 is April 4, 5
//! or 6; 冬至 is December 21, 22 or 23). The digits were produced by two independent almanac
//! programs (both based on the 寿星天文历 ephemeris) which agreed on all 400 dates.

use chrono::NaiveDate;

/// First and last year of the table.
pub const MIN_YEAR: i32 = 1901;
pub const MAX_YEAR: i32 = 2100;

/// Day of April of 清明, 1901 first.
const QINGMING: &[u8; 200] = b"\
56655665566555655565556555655565556555655565555555555555555555555555555555545554555455545554555455545554555445544554455445544554455445544554445444544454445444544454445444544444444444444444444444444445";

/// Last digit of the day of December of 冬至 (1 → 21, 2 → 22, 3 → 23), 1901 first.
const DONGZHI: &[u8; 200] = b"\
23322332233223322232223222322232223222322232223222322222222222222222222222222222222222212221222122212221222122212221222112211221122112211221122112211221122111211121112111211121112111211121111111111112";

fn digit(table: &[u8; 200], year: i32) -> Option<u32> {
    let i = usize::try_from(year.checked_sub(MIN_YEAR)?).ok()?;
    table.get(i).map(|b| u32::from(b - b'0'))
}

/// 清明 (Pure Brightness) in solar year `year`; None outside 1901–2100.
pub fn qingming(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 4, digit(QINGMING, year)?)
}

/// 冬至 (Winter Solstice) in solar year `year`; None outside 1901–2100.
pub fn dongzhi(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 12, 20 + digit(DONGZHI, year)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn terms_fall_on_the_almanac_dates() {
        let qingming_days = [
            (2024, 4),
            (2025, 4),
            (2026, 5),
            (2027, 5),
            (2028, 4),
            (2029, 4),
            (2030, 5),
            (2008, 4),
        ];
        for (y, day) in qingming_days {
            assert_eq!(qingming(y), Some(d(y, 4, day)), "清明 {y}");
        }
        let dongzhi_days = [
            (2024, 21),
            (2025, 21),
            (2026, 22),
            (2027, 22),
            (2028, 21),
            (2029, 21),
            (2030, 22),
            (2021, 21),
        ];
        for (y, day) in dongzhi_days {
            assert_eq!(dongzhi(y), Some(d(y, 12, day)), "冬至 {y}");
        }
    }

    #[test]
    fn every_year_of_the_table_is_in_the_terms_possible_range() {
        for y in MIN_YEAR..=MAX_YEAR {
            let q = qingming(y).unwrap();
            let z = dongzhi(y).unwrap();
            assert!((4..=6).contains(&chrono::Datelike::day(&q)), "{y}: {q}");
            assert!((21..=23).contains(&chrono::Datelike::day(&z)), "{y}: {z}");
        }
        assert_eq!(qingming(1900), None);
        assert_eq!(dongzhi(2101), None);
        assert_eq!(qingming(i32::MIN), None);
    }
}
