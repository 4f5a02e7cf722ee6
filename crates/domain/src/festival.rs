//! The festivals of the yearly greeting calendar (§4 monthly greetings): Chinese festivals by the
//! lunar calendar, 清明 and 冬至 by the solar terms, and public days by the solar calendar.

use chrono::{Days, NaiveDate};

use crate::coded::coded_enum;
use crate::error::localized_error;
use crate::{lunar, solar_term};

coded_enum!(
    /// A festival worth a greeting. Display order is the order within a year; the Chinese labels
    /// are the short names people write on cards and calendars.
    Festival {
        NewYear => "new_year", "元旦", "New Year's Day";
        NewYearsEve => "new_years_eve", "除夕", "Chinese New Year's Eve";
        SpringFestival => "spring_festival", "春节", "Spring Festival";
        Lantern => "lantern", "元宵", "Lantern Festival";
        WomensDay => "womens_day", "妇女节", "Women's Day";
        Qingming => "qingming", "清明", "Qingming Festival";
        LabourDay => "labour_day", "劳动节", "Labour Day";
        YouthDay => "youth_day", "青年节", "Youth Day";
        ChildrensDay => "childrens_day", "儿童节", "Children's Day";
        DragonBoat => "dragon_boat", "端午", "Dragon Boat Festival";
        PartyFounding => "party_founding", "建党节", "CPC Founding Day";
        ArmyDay => "army_day", "建军节", "Army Day";
        Qixi => "qixi", "七夕", "Qixi Festival";
        TeachersDay => "teachers_day", "教师节", "Teachers' Day";
        MidAutumn => "mid_autumn", "中秋", "Mid-Autumn Festival";
        NationalDay => "national_day", "国庆", "National Day";
        DoubleNinth => "double_ninth", "重阳", "Double Ninth Festival";
        WinterSolstice => "winter_solstice", "冬至", "Winter Solstice";
    }
);

/// Which calendar a festival is kept by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reckoning {
    /// The same solar month and day every year (元旦 1 January).
    Solar,
    /// A lunar month and day, so the solar date moves (中秋 八月十五).
    Lunar,
    /// A solar term, which moves by a day or two (清明, 冬至).
    SolarTerm,
}

/// First and last solar year for which every festival is known (the lunar and solar-term
/// tables end with 2100).
pub const MIN_YEAR: i32 = 1901;
pub const MAX_YEAR: i32 = 2100;

localized_error!(
    /// Why a festival listing was refused.
    CalendarError {
        YearOutOfRange => "year_out_of_range",
            "年份须在 1901–2100 之间",
            "the year must be between 1901 and 2100";
        ReversedRange => "reversed_range",
            "起始年份不能晚于结束年份",
            "the first year must not come after the last";
    }
);

impl Festival {
    pub fn reckoning(&self) -> Reckoning {
        if self.solar_month_day().is_some() {
            Reckoning::Solar
        } else if matches!(self, Festival::Qingming | Festival::WinterSolstice) {
            Reckoning::SolarTerm
        } else {
            Reckoning::Lunar
        }
    }

    /// Kept by the lunar calendar (its solar date moves from year to year).
    pub fn is_lunar(&self) -> bool {
        self.reckoning() == Reckoning::Lunar
    }

    /// The fixed solar month and day of a solar festival.
    pub fn solar_month_day(&self) -> Option<(u32, u32)> {
        match self {
            Festival::NewYear => Some((1, 1)),
            Festival::WomensDay => Some((3, 8)),
            Festival::LabourDay => Some((5, 1)),
            Festival::YouthDay => Some((5, 4)),
            Festival::ChildrensDay => Some((6, 1)),
            Festival::PartyFounding => Some((7, 1)),
            Festival::ArmyDay => Some((8, 1)),
            Festival::TeachersDay => Some((9, 10)),
            Festival::NationalDay => Some((10, 1)),
            _ => None,
        }
    }

    /// The lunar month and day of a lunar festival (除夕 has none: it is the month's last day).
    pub fn lunar_month_day(&self) -> Option<(u32, u32)> {
        match self {
            Festival::SpringFestival => Some((1, 1)),
            Festival::Lantern => Some((1, 15)),
            Festival::DragonBoat => Some((5, 5)),
            Festival::Qixi => Some((7, 7)),
            Festival::MidAutumn => Some((8, 15)),
            Festival::DoubleNinth => Some((9, 9)),
            _ => None,
        }
    }

    /// The festival's date in solar year `year`; None where the tables end (lunar festivals and
    /// solar terms outside 1901–2100).
    pub fn date_in(&self, year: i32) -> Option<NaiveDate> {
        if let Some((m, d)) = self.solar_month_day() {
            return NaiveDate::from_ymd_opt(year, m, d);
        }
        if let Some((m, d)) = self.lunar_month_day() {
            // These lunar dates all fall between late January and late October, inside the
            // solar year the lunar year is numbered by.
            return lunar::to_solar(year, m, d, false).ok();
        }
        match self {
            Festival::Qingming => solar_term::qingming(year),
            Festival::WinterSolstice => solar_term::dongzhi(year),
            // 除夕 is the last day of the twelfth month of the lunar year that began the solar
            // year before: 廿九 when that month is short, 三十 when it is long. Either way it is
            // the eve of 春节, which is how it is computed (the tests check it is the month's
            // last day).
            _ => Festival::SpringFestival
                .date_in(year)?
                .checked_sub_days(Days::new(1)),
        }
    }

    /// Every festival in solar year `year`, in date order (festivals on the same day in
    /// [`Festival::ALL`] order). Outside 1901–2100 only the solar festivals are known.
    pub fn calendar(year: i32) -> Vec<(Festival, NaiveDate)> {
        let mut all: Vec<(Festival, NaiveDate)> = Festival::ALL
            .iter()
            .filter_map(|f| f.date_in(year).map(|d| (*f, d)))
            .collect();
        all.sort_by_key(|(f, d)| (*d, *f));
        all
    }
}

/// Every festival falling in solar years `from..=to`, in date order: the listing behind
/// `huike calendar festivals` and `GET /api/v1/calendar/festivals`. Refuses years the tables
/// do not cover rather than return a listing with festivals silently missing.
pub fn festivals_in_years(from: i32, to: i32) -> Result<Vec<(Festival, NaiveDate)>, CalendarError> {
    if from > to {
        return Err(CalendarError::ReversedRange);
    }
    if from < MIN_YEAR || to > MAX_YEAR {
        return Err(CalendarError::YearOutOfRange);
    }
    Ok((from..=to).flat_map(Festival::calendar).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::Datelike;

    use super::*;
    use crate::coded::assert_coded;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn ymd(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn codes_round_trip() {
        assert_coded::<Festival>();
        assert_coded_err();
    }

    fn assert_coded_err() {
        crate::error::assert_localized(
            CalendarError::ALL,
            CalendarError::code,
            CalendarError::message,
        );
    }

    #[test]
    fn every_festival_of_the_method_is_there_with_its_chinese_name() {
        let names: Vec<&str> = Festival::ALL
            .iter()
            .map(|f| f.label(crate::Lang::ZhCn))
            .collect();
        for n in [
            "除夕",
            "春节",
            "元宵",
            "端午",
            "七夕",
            "中秋",
            "重阳",
            "清明",
            "冬至",
            "元旦",
            "妇女节",
            "劳动节",
            "青年节",
            "儿童节",
            "建党节",
            "建军节",
            "教师节",
            "国庆",
        ] {
            assert!(names.contains(&n), "{n} missing");
        }
        assert_eq!(names.len(), 18);
        use Reckoning::*;
        for f in Festival::ALL {
            let expected = match f.label(crate::Lang::ZhCn) {
                "除夕" | "春节" | "元宵" | "端午" | "七夕" | "中秋" | "重阳" => Lunar,
                "清明" | "冬至" => SolarTerm,
                _ => Solar,
            };
            assert_eq!(f.reckoning(), expected, "{f:?}");
        }
    }

    /// Festival dates 2024–2030 as printed in the almanac (万年历): lunar festivals and solar
    /// terms, which move from year to year.
    const ALMANAC: &[(i32, [&str; 9])] = &[
        // 除夕, 春节, 元宵, 清明, 端午, 七夕, 中秋, 重阳, 冬至
        (
            2024,
            [
                "2024-02-09",
                "2024-02-10",
                "2024-02-24",
                "2024-04-04",
                "2024-06-10",
                "2024-08-10",
                "2024-09-17",
                "2024-10-11",
                "2024-12-21",
            ],
        ),
        (
            2025,
            [
                "2025-01-28",
                "2025-01-29",
                "2025-02-12",
                "2025-04-04",
                "2025-05-31",
                "2025-08-29",
                "2025-10-06",
                "2025-10-29",
                "2025-12-21",
            ],
        ),
        (
            2026,
            [
                "2026-02-16",
                "2026-02-17",
                "2026-03-03",
                "2026-04-05",
                "2026-06-19",
                "2026-08-19",
                "2026-09-25",
                "2026-10-18",
                "2026-12-22",
            ],
        ),
        (
            2027,
            [
                "2027-02-05",
                "2027-02-06",
                "2027-02-20",
                "2027-04-05",
                "2027-06-09",
                "2027-08-08",
                "2027-09-15",
                "2027-10-08",
                "2027-12-22",
            ],
        ),
        (
            2028,
            [
                "2028-01-25",
                "2028-01-26",
                "2028-02-09",
                "2028-04-04",
                "2028-05-28",
                "2028-08-26",
                "2028-10-03",
                "2028-10-26",
                "2028-12-21",
            ],
        ),
        (
            2029,
            [
                "2029-02-12",
                "2029-02-13",
                "2029-02-27",
                "2029-04-04",
                "2029-06-16",
                "2029-08-16",
                "2029-09-22",
                "2029-10-16",
                "2029-12-21",
            ],
        ),
        (
            2030,
            [
                "2030-02-02",
                "2030-02-03",
                "2030-02-17",
                "2030-04-05",
                "2030-06-05",
                "2030-08-05",
                "2030-09-12",
                "2030-10-05",
                "2030-12-22",
            ],
        ),
    ];

    #[test]
    fn moving_festivals_2024_to_2030_match_the_almanac() {
        use Festival::*;
        let order = [
            NewYearsEve,
            SpringFestival,
            Lantern,
            Qingming,
            DragonBoat,
            Qixi,
            MidAutumn,
            DoubleNinth,
            WinterSolstice,
        ];
        for (year, dates) in ALMANAC {
            for (f, date) in order.iter().zip(dates) {
                assert_eq!(f.date_in(*year), Some(ymd(date)), "{f:?} {year}");
            }
        }
    }

    #[test]
    fn fixed_festivals_fall_on_their_day_every_year() {
        use Festival::*;
        for year in 2024..=2030 {
            for (f, m, dd) in [
                (NewYear, 1, 1),
                (WomensDay, 3, 8),
                (LabourDay, 5, 1),
                (YouthDay, 5, 4),
                (ChildrensDay, 6, 1),
                (PartyFounding, 7, 1),
                (ArmyDay, 8, 1),
                (TeachersDay, 9, 10),
                (NationalDay, 10, 1),
            ] {
                assert_eq!(f.date_in(year), Some(d(year, m, dd)), "{f:?}");
            }
        }
    }

    #[test]
    fn new_years_eve_is_the_last_day_of_the_twelfth_month_long_or_short() {
        let mut lengths = std::collections::HashSet::new();
        for y in 1902..=2100 {
            let eve = Festival::NewYearsEve.date_in(y).unwrap();
            let spring = Festival::SpringFestival.date_in(y).unwrap();
            assert_eq!(eve.checked_add_days(Days::new(1)), Some(spring), "{y}");
            assert_eq!(spring.year(), y);
            let l = lunar::to_lunar(eve).unwrap();
            let len = lunar::month_length(y - 1, 12, false).unwrap().unwrap();
            assert_eq!((l.year, l.month, l.day, l.leap), (y - 1, 12, len, false));
            lengths.insert(len);
        }
        // Both a 29-day and a 30-day 腊月 occur, so both cases were exercised.
        assert_eq!(lengths.len(), 2);
        // 2027's 腊月 (of lunar 2026) has 29 days: 除夕 is 廿九, 2027-02-05.
        assert_eq!(lunar::month_length(2026, 12, false), Ok(Some(29)));
        assert_eq!(Festival::NewYearsEve.date_in(2027), Some(d(2027, 2, 5)));
        assert_eq!(Festival::NewYearsEve.date_in(1901), Some(d(1901, 2, 18)));
        assert_eq!(Festival::MidAutumn.date_in(2101), None);
        assert_eq!(Festival::Qingming.date_in(2101), None);
        assert_eq!(Festival::NationalDay.date_in(2101), Some(d(2101, 10, 1)));
    }

    #[test]
    fn the_calendar_is_in_date_order() {
        let cal = Festival::calendar(2026);
        assert_eq!(cal.len(), Festival::ALL.len());
        assert_eq!(cal[0], (Festival::NewYear, d(2026, 1, 1)));
        assert_eq!(cal[1], (Festival::NewYearsEve, d(2026, 2, 16)));
        assert_eq!(
            cal.last(),
            Some(&(Festival::WinterSolstice, d(2026, 12, 22)))
        );
        assert!(cal.windows(2).all(|w| w[0].1 <= w[1].1));
        // 2020: 中秋 and 国庆 on the same day, in ALL order.
        let cal = Festival::calendar(2020);
        let i = cal
            .iter()
            .position(|(_, d0)| *d0 == d(2020, 10, 1))
            .unwrap();
        assert_eq!(cal[i].0, Festival::MidAutumn);
        assert_eq!(cal[i + 1], (Festival::NationalDay, d(2020, 10, 1)));
    }

    #[test]
    fn listing_years_covers_each_year_and_refuses_what_the_tables_lack() {
        let all = festivals_in_years(2026, 2027).unwrap();
        assert_eq!(all.len(), 36);
        assert!(all.windows(2).all(|w| w[0].1 <= w[1].1));
        assert!(all.iter().all(|(_, d0)| (2026..=2027).contains(&d0.year())));
        assert_eq!(festivals_in_years(1901, 2100).unwrap().len(), 200 * 18);
        assert_eq!(
            festivals_in_years(2027, 2026),
            Err(CalendarError::ReversedRange)
        );
        assert_eq!(
            festivals_in_years(1900, 1901),
            Err(CalendarError::YearOutOfRange)
        );
        assert_eq!(
            festivals_in_years(2100, 2101),
            Err(CalendarError::YearOutOfRange)
        );
    }
}
