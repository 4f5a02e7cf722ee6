//! The festivals of the yearly greeting calendar (§4 monthly greetings): Chinese festivals by the
//! lunar calendar and public days by the solar one.

use chrono::NaiveDate;

use crate::coded::coded_enum;
use crate::lunar;

coded_enum!(
    /// A festival worth a greeting.
    Festival {
        NewYear => "new_year", "元旦", "New Year's Day";
        NewYearsEve => "new_years_eve", "除夕", "Chinese New Year's Eve";
        SpringFestival => "spring_festival", "春节", "Spring Festival";
        Lantern => "lantern", "元宵节", "Lantern Festival";
        WomensDay => "womens_day", "妇女节", "Women's Day";
        LabourDay => "labour_day", "劳动节", "Labour Day";
        DragonBoat => "dragon_boat", "端午节", "Dragon Boat Festival";
        Qixi => "qixi", "七夕", "Qixi Festival";
        MidAutumn => "mid_autumn", "中秋节", "Mid-Autumn Festival";
        DoubleNinth => "double_ninth", "重阳节", "Double Ninth Festival";
        NationalDay => "national_day", "国庆节", "National Day";
    }
);

impl Festival {
    /// Kept by the lunar calendar (its solar date moves from year to year).
    pub fn is_lunar(&self) -> bool {
        self.solar_month_day().is_none()
    }

    fn solar_month_day(&self) -> Option<(u32, u32)> {
        match self {
            Festival::NewYear => Some((1, 1)),
            Festival::WomensDay => Some((3, 8)),
            Festival::LabourDay => Some((5, 1)),
            Festival::NationalDay => Some((10, 1)),
            _ => None,
        }
    }

    fn lunar_month_day(&self) -> Option<(u32, u32)> {
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

    /// The festival's date in solar year `year`; None beyond the lunar tables (1901–2100).
    pub fn date_in(&self, year: i32) -> Option<NaiveDate> {
        if let Some((m, d)) = self.solar_month_day() {
            return NaiveDate::from_ymd_opt(year, m, d);
        }
        if let Some((m, d)) = self.lunar_month_day() {
            // These lunar dates all fall between late January and late October, inside the
            // solar year the lunar year is numbered by.
            return lunar::to_solar(year, m, d, false).ok();
        }
        // 除夕 is the last day of the twelfth month of the lunar year that began the solar year
        // before (it may be 廿九 or 三十).
        let ly = year.checked_sub(1)?;
        let last = lunar::month_length(ly, 12, false).ok()??;
        lunar::to_solar(ly, 12, last, false).ok()
    }

    /// Every festival in solar year `year`, in date order.
    pub fn calendar(year: i32) -> Vec<(Festival, NaiveDate)> {
        let mut all: Vec<(Festival, NaiveDate)> = Festival::ALL
            .iter()
            .filter_map(|f| f.date_in(year).map(|d| (*f, d)))
            .collect();
        all.sort_by_key(|(f, d)| (*d, *f));
        all
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::{Datelike, Days};

    use super::*;
    use crate::coded::assert_coded;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn codes_round_trip() {
        assert_coded::<Festival>();
    }

    #[test]
    fn festivals_of_2026_and_2027() {
        assert_eq!(Festival::NewYearsEve.date_in(2026), Some(d(2026, 2, 16)));
        assert_eq!(Festival::SpringFestival.date_in(2026), Some(d(2026, 2, 17)));
        assert_eq!(Festival::Lantern.date_in(2026), Some(d(2026, 3, 3)));
        assert_eq!(Festival::DragonBoat.date_in(2026), Some(d(2026, 6, 19)));
        assert_eq!(Festival::Qixi.date_in(2026), Some(d(2026, 8, 19)));
        assert_eq!(Festival::MidAutumn.date_in(2026), Some(d(2026, 9, 25)));
        assert_eq!(Festival::DoubleNinth.date_in(2026), Some(d(2026, 10, 18)));
        assert_eq!(Festival::MidAutumn.date_in(2027), Some(d(2027, 9, 15)));
        assert_eq!(Festival::SpringFestival.date_in(2027), Some(d(2027, 2, 6)));
        assert_eq!(Festival::NewYearsEve.date_in(2027), Some(d(2027, 2, 5)));
        assert_eq!(Festival::NationalDay.date_in(2026), Some(d(2026, 10, 1)));
        assert!(Festival::MidAutumn.is_lunar() && !Festival::LabourDay.is_lunar());
    }

    #[test]
    fn new_years_eve_is_always_the_day_before_spring_festival() {
        for y in 1902..=2100 {
            let eve = Festival::NewYearsEve.date_in(y).unwrap();
            let spring = Festival::SpringFestival.date_in(y).unwrap();
            assert_eq!(eve.checked_add_days(Days::new(1)), Some(spring), "{y}");
            assert_eq!(spring.year(), y);
        }
        assert_eq!(Festival::NewYearsEve.date_in(1901), None);
        assert_eq!(Festival::MidAutumn.date_in(2101), None);
    }

    #[test]
    fn the_calendar_is_in_date_order() {
        let cal = Festival::calendar(2026);
        assert_eq!(cal.len(), Festival::ALL.len());
        assert_eq!(cal[0], (Festival::NewYear, d(2026, 1, 1)));
        assert!(cal.windows(2).all(|w| w[0].1 <= w[1].1));
    }
}
