//! The working calendar behind commitments (§4 promises, §5 time commitments): business hours,
//! weekends, public holidays and make-up working days (调休) as data, and "now + N business
//! hours / days".
//!
//! Times are local wall-clock times (`NaiveDateTime`): the product runs on Asia/Shanghai, a fixed
//! +08:00 with no daylight saving, so no time-zone arithmetic is needed here.
//!
//! China's holidays are decided each year by the State Council, shortly before the year starts,
//! and every holiday block moves weekend days around (a Sunday becomes a working day, 调休). No
//! rule predicts them, so they are data an admin enters or imports as CSV. A year without data
//! is computed with weekends only, and every result says which years that happened in (never a
//! silent guess).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use crate::coded::coded_enum;
use crate::error::localized_error;

coded_enum!(
    /// What an entry makes of a day, whatever its weekday.
    DayKind {
        /// A public holiday (or a weekday given off in a holiday block): no work.
        Holiday => "holiday", "休", "Holiday";
        /// A make-up working day (调休): a Saturday or Sunday worked to lengthen a holiday block.
        Workday => "workday", "班", "Make-up working day";
    }
);

/// One day an admin entered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DayEntry {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// What it is for ("国庆", "春节调休" …); shown in the calendar, not used in arithmetic.
    #[serde(default)]
    pub note: String,
}

/// Opening hours of a working day, with an optional break (a lunch hour) that does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawHours")]
pub struct BusinessHours {
    pub open: NaiveTime,
    pub close: NaiveTime,
    #[serde(default)]
    pub break_time: Option<(NaiveTime, NaiveTime)>,
}

#[derive(serde::Deserialize)]
struct RawHours {
    open: NaiveTime,
    close: NaiveTime,
    #[serde(default)]
    break_time: Option<(NaiveTime, NaiveTime)>,
}

impl TryFrom<RawHours> for BusinessHours {
    type Error = WorkCalError;
    fn try_from(r: RawHours) -> Result<BusinessHours, WorkCalError> {
        BusinessHours::new(r.open, r.close, r.break_time)
    }
}

localized_error!(
    /// Why working-calendar data or a computation was refused.
    WorkCalError {
        BadHours => "bad_hours",
            "营业时间须先开门后关门，午休须在营业时间之内",
            "business hours must open before they close, with any break inside them";
        BadDate => "bad_date",
            "日期格式应为 YYYY-MM-DD",
            "a date is written YYYY-MM-DD";
        BadKind => "bad_kind",
            "类型应为 holiday/休 或 workday/班",
            "the kind is holiday or workday";
        BadLine => "bad_line",
            "每行应为：日期,类型[,说明]",
            "each line is: date,kind[,note]";
        Duplicate => "duplicate_date",
            "同一天出现了两次",
            "the same date appears twice";
        NoWorkingTime => "no_working_time",
            "十年内找不到工作时间，请检查日历数据",
            "no working time within ten years; check the calendar data";
    }
);

/// A CSV import problem and the (1-based) line it is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub error: WorkCalError,
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.error)
    }
}

impl std::error::Error for CsvError {}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

impl Default for BusinessHours {
    /// 09:00–18:00 with a 12:00–13:00 lunch break: eight working hours.
    fn default() -> BusinessHours {
        BusinessHours {
            open: hm(9, 0),
            close: hm(18, 0),
            break_time: Some((hm(12, 0), hm(13, 0))),
        }
    }
}

impl BusinessHours {
    pub fn new(
        open: NaiveTime,
        close: NaiveTime,
        break_time: Option<(NaiveTime, NaiveTime)>,
    ) -> Result<BusinessHours, WorkCalError> {
        if open >= close {
            return Err(WorkCalError::BadHours);
        }
        if let Some((from, to)) = break_time
            && !(open < from && from < to && to < close)
        {
            return Err(WorkCalError::BadHours);
        }
        Ok(BusinessHours {
            open,
            close,
            break_time,
        })
    }

    /// The working periods of a day, in order.
    fn periods(&self) -> [(NaiveTime, NaiveTime); 2] {
        match self.break_time {
            Some((from, to)) => [(self.open, from), (to, self.close)],
            // An empty second period keeps the shape fixed (no allocation per day).
            None => [(self.open, self.close), (self.close, self.close)],
        }
    }

    /// Working minutes in one working day.
    pub fn minutes_per_day(&self) -> i64 {
        self.periods()
            .iter()
            .map(|(a, b)| (*b - *a).num_minutes())
            .sum()
    }
}

/// Where a day's status came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The day is in a year with holiday data.
    Data,
    /// The year has no holiday data: only weekends were taken off.
    WeekendsOnly,
}

/// A computed moment and whether it rests on holiday data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BusinessTime {
    pub at: NaiveDateTime,
    /// The years crossed that have no holiday data, so only weekends were taken off there;
    /// empty when every day crossed is covered. Show it ("2027 年节假日未录入，仅按周末计算").
    pub weekends_only_years: Vec<i32>,
}

impl BusinessTime {
    pub fn is_certain(&self) -> bool {
        self.weekends_only_years.is_empty()
    }
}

/// Business hours plus the days that differ from Monday–Friday.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "RawCalendar", into = "RawCalendar")]
pub struct WorkCalendar {
    pub hours: BusinessHours,
    days: BTreeMap<NaiveDate, DayEntry>,
    /// Years with data. A year counts as entered once any of its days is.
    years: BTreeSet<i32>,
}

/// The JSON shape: hours and the list of entries.
#[derive(serde::Serialize, serde::Deserialize)]
struct RawCalendar {
    #[serde(default)]
    hours: BusinessHours,
    #[serde(default)]
    days: Vec<DayEntry>,
}

impl TryFrom<RawCalendar> for WorkCalendar {
    type Error = WorkCalError;
    fn try_from(r: RawCalendar) -> Result<WorkCalendar, WorkCalError> {
        let mut cal = WorkCalendar::new(r.hours);
        for e in r.days {
            cal.insert(e)?;
        }
        Ok(cal)
    }
}

impl From<WorkCalendar> for RawCalendar {
    fn from(c: WorkCalendar) -> RawCalendar {
        RawCalendar {
            hours: c.hours,
            days: c.days.into_values().collect(),
        }
    }
}

/// Mainland China's public holidays and make-up working days for 2025 and 2026 as published by
/// the State Council, in the import format; a starting point an admin extends each year.
pub const CN_2025_2026_CSV: &str = "date,kind,note
2025-01-01,holiday,元旦
2025-01-26,workday,春节调休
2025-01-28,holiday,春节
2025-01-29,holiday,春节
2025-01-30,holiday,春节
2025-01-31,holiday,春节
2025-02-01,holiday,春节
2025-02-02,holiday,春节
2025-02-03,holiday,春节
2025-02-04,holiday,春节
2025-02-08,workday,春节调休
2025-04-04,holiday,清明
2025-04-05,holiday,清明
2025-04-06,holiday,清明
2025-04-27,workday,劳动节调休
2025-05-01,holiday,劳动节
2025-05-02,holiday,劳动节
2025-05-03,holiday,劳动节
2025-05-04,holiday,劳动节
2025-05-05,holiday,劳动节
2025-05-31,holiday,端午
2025-06-01,holiday,端午
2025-06-02,holiday,端午
2025-09-28,workday,国庆调休
2025-10-01,holiday,国庆中秋
2025-10-02,holiday,国庆中秋
2025-10-03,holiday,国庆中秋
2025-10-04,holiday,国庆中秋
2025-10-05,holiday,国庆中秋
2025-10-06,holiday,国庆中秋
2025-10-07,holiday,国庆中秋
2025-10-08,holiday,国庆中秋
2025-10-11,workday,国庆调休
2026-01-01,holiday,元旦
2026-01-02,holiday,元旦
2026-01-03,holiday,元旦
2026-01-04,workday,元旦调休
2026-02-14,workday,春节调休
2026-02-15,holiday,春节
2026-02-16,holiday,春节
2026-02-17,holiday,春节
2026-02-18,holiday,春节
2026-02-19,holiday,春节
2026-02-20,holiday,春节
2026-02-21,holiday,春节
2026-02-22,holiday,春节
2026-02-23,holiday,春节
2026-02-28,workday,春节调休
2026-04-04,holiday,清明
2026-04-05,holiday,清明
2026-04-06,holiday,清明
2026-05-01,holiday,劳动节
2026-05-02,holiday,劳动节
2026-05-03,holiday,劳动节
2026-05-04,holiday,劳动节
2026-05-05,holiday,劳动节
2026-05-09,workday,劳动节调休
2026-06-19,holiday,端午
2026-06-20,holiday,端午
2026-06-21,holiday,端午
2026-09-20,workday,国庆调休
2026-09-25,holiday,中秋
2026-09-26,holiday,中秋
2026-09-27,holiday,中秋
2026-10-01,holiday,国庆
2026-10-02,holiday,国庆
2026-10-03,holiday,国庆
2026-10-04,holiday,国庆
2026-10-05,holiday,国庆
2026-10-06,holiday,国庆
2026-10-07,holiday,国庆
2026-10-10,workday,国庆调休
";

/// How far a computation may search for working time before giving up (a calendar made all of
/// holidays would otherwise loop forever).
const MAX_SEARCH_DAYS: i64 = 3660;

impl WorkCalendar {
    pub fn new(hours: BusinessHours) -> WorkCalendar {
        WorkCalendar {
            hours,
            days: BTreeMap::new(),
            years: BTreeSet::new(),
        }
    }

    /// Adds one day; a date already entered is refused (edit by removing first).
    pub fn insert(&mut self, entry: DayEntry) -> Result<(), WorkCalError> {
        if self.days.contains_key(&entry.date) {
            return Err(WorkCalError::Duplicate);
        }
        self.years.insert(entry.date.year());
        self.days.insert(entry.date, entry);
        Ok(())
    }

    /// Removes a day's entry. The year stays "entered" while any of its days remain.
    pub fn remove(&mut self, date: NaiveDate) -> Option<DayEntry> {
        let removed = self.days.remove(&date)?;
        let y = date.year();
        let still = self
            .days
            .range(NaiveDate::from_ymd_opt(y, 1, 1)?..=NaiveDate::from_ymd_opt(y, 12, 31)?)
            .next()
            .is_some();
        if !still {
            self.years.remove(&y);
        }
        Some(removed)
    }

    /// The entered days, in date order.
    pub fn entries(&self) -> impl Iterator<Item = &DayEntry> {
        self.days.values()
    }

    /// The years that have holiday data.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// Reads `date,kind[,note]` lines (a `date,kind…` header line is skipped, blank lines and a
    /// UTF-8 BOM are ignored). Kinds: `holiday`/`休`/`假`, `workday`/`班`. All lines are checked;
    /// the first problem is reported with its line number and nothing is imported.
    pub fn import_csv(&mut self, text: &str) -> Result<usize, CsvError> {
        let mut staged = self.clone();
        let mut count = 0;
        for (i, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
            let line = i + 1;
            let fail = |error| CsvError { line, error };
            let l = raw.trim();
            if l.is_empty() || (line == 1 && l.to_ascii_lowercase().starts_with("date")) {
                continue;
            }
            let mut cols = l.splitn(3, ',').map(str::trim);
            let (Some(date), Some(kind)) = (cols.next(), cols.next()) else {
                return Err(fail(WorkCalError::BadLine));
            };
            let note = cols.next().unwrap_or_default().to_string();
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| fail(WorkCalError::BadDate))?;
            let kind = match kind.to_ascii_lowercase().as_str() {
                "holiday" | "休" | "假" => DayKind::Holiday,
                "workday" | "班" => DayKind::Workday,
                _ => return Err(fail(WorkCalError::BadKind)),
            };
            staged.insert(DayEntry { date, kind, note }).map_err(fail)?;
            count += 1;
        }
        *self = staged;
        Ok(count)
    }

    /// The calendar as CSV, in the format [`WorkCalendar::import_csv`] reads.
    pub fn export_csv(&self) -> String {
        let mut out = String::from("date,kind,note\n");
        for e in self.days.values() {
            out.push_str(&format!("{},{},{}\n", e.date, e.kind.code(), e.note));
        }
        out
    }

    /// Whether `date` is a working day, and on what basis.
    pub fn is_working_day(&self, date: NaiveDate) -> (bool, Basis) {
        if let Some(e) = self.days.get(&date) {
            return (e.kind == DayKind::Workday, Basis::Data);
        }
        let weekday = !matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        let basis = if self.years.contains(&date.year()) {
            Basis::Data
        } else {
            Basis::WeekendsOnly
        };
        (weekday, basis)
    }

    /// `start` plus `hours` of working time.
    pub fn add_business_hours(
        &self,
        start: NaiveDateTime,
        hours: u32,
    ) -> Result<BusinessTime, WorkCalError> {
        self.add_business_minutes(start, i64::from(hours) * 60)
    }

    /// `start` plus `days` working days: the same amount of working time as `days` full working
    /// days, so Friday 10:00 + 1 day is Monday 10:00 (and a start outside hours counts from the
    /// next opening).
    pub fn add_business_days(
        &self,
        start: NaiveDateTime,
        days: u32,
    ) -> Result<BusinessTime, WorkCalError> {
        self.add_business_minutes(start, i64::from(days) * self.hours.minutes_per_day())
    }

    /// `start` plus `minutes` of working time. A result that lands exactly at a period's end
    /// stays there (Friday 14:00 + 4 h is Friday 18:00, not Monday 09:00); adding zero returns
    /// `start` unchanged.
    pub fn add_business_minutes(
        &self,
        start: NaiveDateTime,
        minutes: i64,
    ) -> Result<BusinessTime, WorkCalError> {
        let mut left = minutes.max(0);
        let mut uncovered = BTreeSet::new();
        if left == 0 {
            return Ok(BusinessTime {
                at: start,
                weekends_only_years: Vec::new(),
            });
        }
        let mut date = start.date();
        let mut from = start.time();
        for _ in 0..MAX_SEARCH_DAYS {
            let (working, basis) = self.is_working_day(date);
            if basis == Basis::WeekendsOnly {
                uncovered.insert(date.year());
            }
            if working {
                for (a, b) in self.hours.periods() {
                    let begin = a.max(from);
                    if begin >= b {
                        continue;
                    }
                    let available = (b - begin).num_minutes();
                    if left <= available {
                        return Ok(BusinessTime {
                            at: date.and_time(begin) + Duration::minutes(left),
                            weekends_only_years: uncovered.into_iter().collect(),
                        });
                    }
                    left -= available;
                }
            }
            date = date.succ_opt().ok_or(WorkCalError::NoWorkingTime)?;
            from = NaiveTime::MIN;
        }
        Err(WorkCalError::NoWorkingTime)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::coded::assert_coded;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn cn() -> WorkCalendar {
        let mut c = WorkCalendar::default();
        c.import_csv(CN_2025_2026_CSV).unwrap();
        c
    }

    fn plus(c: &WorkCalendar, from: NaiveDateTime, hours: u32) -> NaiveDateTime {
        let r = c.add_business_hours(from, hours).unwrap();
        assert!(r.is_certain(), "{r:?}");
        r.at
    }

    #[test]
    fn codes_and_errors() {
        assert_coded::<DayKind>();
        crate::error::assert_localized(
            WorkCalError::ALL,
            WorkCalError::code,
            WorkCalError::message,
        );
    }

    #[test]
    fn four_hours_inside_one_day_skip_the_lunch_break() {
        let c = cn();
        // Tuesday 2026-03-10.
        assert_eq!(plus(&c, at(2026, 3, 10, 9, 0), 4), at(2026, 3, 10, 14, 0));
        assert_eq!(plus(&c, at(2026, 3, 10, 14, 0), 4), at(2026, 3, 10, 18, 0));
        assert_eq!(plus(&c, at(2026, 3, 10, 12, 30), 1), at(2026, 3, 10, 14, 0));
        assert_eq!(plus(&c, at(2026, 3, 10, 7, 0), 1), at(2026, 3, 10, 10, 0));
        assert_eq!(plus(&c, at(2026, 3, 10, 19, 0), 1), at(2026, 3, 11, 10, 0));
        assert_eq!(
            plus(&c, at(2026, 3, 10, 10, 17), 0),
            at(2026, 3, 10, 10, 17)
        );
        assert_eq!(c.hours.minutes_per_day(), 480);
    }

    #[test]
    fn four_hours_across_a_weekend() {
        let c = cn();
        // Friday 2026-03-13 16:00: two hours on Friday, two on Monday morning.
        assert_eq!(plus(&c, at(2026, 3, 13, 16, 0), 4), at(2026, 3, 16, 11, 0));
        // Started on Saturday: counted from Monday's opening.
        assert_eq!(plus(&c, at(2026, 3, 14, 10, 0), 4), at(2026, 3, 16, 14, 0));
    }

    #[test]
    fn four_hours_across_the_national_day_holiday() {
        let c = cn();
        // Wednesday 2026-09-30 16:00: two hours, then 国庆 10-01 … 10-07, then Thursday 10-08.
        assert_eq!(plus(&c, at(2026, 9, 30, 16, 0), 4), at(2026, 10, 8, 11, 0));
        // Mid-Autumn 2026-09-25 (Friday) … 09-27 off.
        assert_eq!(plus(&c, at(2026, 9, 24, 17, 0), 4), at(2026, 9, 28, 12, 0));
        assert_eq!(c.is_working_day(day(2026, 10, 5)), (false, Basis::Data));
    }

    #[test]
    fn four_hours_into_a_make_up_saturday_and_sunday() {
        let c = cn();
        // Friday 2026-10-09 16:00: Saturday 10-10 is a make-up working day.
        assert_eq!(plus(&c, at(2026, 10, 9, 16, 0), 4), at(2026, 10, 10, 11, 0));
        // Saturday 2026-09-19 is off, Sunday 09-20 is worked.
        assert_eq!(plus(&c, at(2026, 9, 19, 10, 0), 4), at(2026, 9, 20, 14, 0));
        assert_eq!(c.is_working_day(day(2026, 9, 20)), (true, Basis::Data));
        assert_eq!(c.is_working_day(day(2026, 9, 19)), (false, Basis::Data));
        // An ordinary Sunday of a year with data is off, on the data's authority.
        assert_eq!(c.is_working_day(day(2026, 3, 15)), (false, Basis::Data));
    }

    #[test]
    fn business_days_keep_the_time_of_day() {
        let c = cn();
        let r = c.add_business_days(at(2026, 3, 13, 10, 0), 1).unwrap();
        assert_eq!(r.at, at(2026, 3, 16, 10, 0));
        // Two business days from the eve of 国庆 (Wednesday 09-30 10:00): 10-08 and 10-09.
        let r = c.add_business_days(at(2026, 9, 30, 10, 0), 2).unwrap();
        assert_eq!(r.at, at(2026, 10, 9, 10, 0));
        // Three: the make-up Saturday 10-10 counts.
        let r = c.add_business_days(at(2026, 9, 30, 10, 0), 3).unwrap();
        assert_eq!(r.at, at(2026, 10, 10, 10, 0));
    }

    #[test]
    fn a_year_without_data_counts_weekends_only_and_says_so() {
        let c = cn();
        // 2027 has no data: Friday 2027-10-01 (in reality 国庆) is computed as a working day.
        let r = c.add_business_hours(at(2027, 10, 1, 10, 0), 4).unwrap();
        assert_eq!(r.at, at(2027, 10, 1, 15, 0));
        assert_eq!(r.weekends_only_years, vec![2027]);
        assert!(!r.is_certain());
        assert_eq!(
            c.is_working_day(day(2027, 10, 1)),
            (true, Basis::WeekendsOnly)
        );
        // Crossing from a covered year into an uncovered one names only the uncovered one.
        let r = c.add_business_hours(at(2026, 12, 31, 17, 0), 2).unwrap();
        assert_eq!(r.at, at(2027, 1, 1, 10, 0));
        assert_eq!(r.weekends_only_years, vec![2027]);
        // An empty calendar is weekends-only everywhere.
        let empty = WorkCalendar::default();
        let r = empty.add_business_hours(at(2026, 10, 1, 10, 0), 1).unwrap();
        assert_eq!(r.at, at(2026, 10, 1, 11, 0));
        assert_eq!(r.weekends_only_years, vec![2026]);
    }

    #[test]
    fn hours_without_a_break_and_bad_hours() {
        let h = BusinessHours::new(hm(8, 30), hm(17, 30), None).unwrap();
        assert_eq!(h.minutes_per_day(), 540);
        let c = WorkCalendar::new(h);
        let r = c.add_business_hours(at(2026, 3, 10, 11, 0), 4).unwrap();
        assert_eq!(r.at, at(2026, 3, 10, 15, 0));
        assert_eq!(
            BusinessHours::new(hm(18, 0), hm(9, 0), None),
            Err(WorkCalError::BadHours)
        );
        assert_eq!(
            BusinessHours::new(hm(9, 0), hm(9, 0), None),
            Err(WorkCalError::BadHours)
        );
        assert_eq!(
            BusinessHours::new(hm(9, 0), hm(18, 0), Some((hm(8, 0), hm(10, 0)))),
            Err(WorkCalError::BadHours)
        );
        assert_eq!(
            BusinessHours::new(hm(9, 0), hm(18, 0), Some((hm(13, 0), hm(12, 0)))),
            Err(WorkCalError::BadHours)
        );
    }

    #[test]
    fn a_calendar_of_nothing_but_holidays_is_refused_not_looped() {
        let mut c = WorkCalendar::default();
        let mut d = day(2030, 1, 1);
        while d.year() < 2041 {
            c.insert(DayEntry {
                date: d,
                kind: DayKind::Holiday,
                note: String::new(),
            })
            .unwrap();
            d = d.succ_opt().unwrap();
        }
        assert_eq!(
            c.add_business_hours(at(2030, 1, 1, 9, 0), 1),
            Err(WorkCalError::NoWorkingTime)
        );
    }

    #[test]
    fn csv_import_checks_every_line_and_round_trips() {
        let c = cn();
        assert_eq!(c.years().collect::<Vec<_>>(), vec![2025, 2026]);
        assert_eq!(c.entries().count(), 33 + 39);
        let mut back = WorkCalendar::default();
        back.import_csv(&c.export_csv()).unwrap();
        assert_eq!(back, c);

        let mut c2 = WorkCalendar::default();
        assert_eq!(
            c2.import_csv("\u{feff}date,kind\n2027-10-01,休\n\n2027-09-26,班\n"),
            Ok(2)
        );
        assert_eq!(c2.is_working_day(day(2027, 9, 26)), (true, Basis::Data));
        let err = |text: &str| WorkCalendar::default().import_csv(text).unwrap_err();
        assert_eq!(
            err("2027-10-01,holiday\n2027-13-01,holiday"),
            CsvError {
                line: 2,
                error: WorkCalError::BadDate
            }
        );
        assert_eq!(err("2027-10-01,maybe").error, WorkCalError::BadKind);
        assert_eq!(err("2027-10-01").error, WorkCalError::BadLine);
        assert_eq!(
            err("2027-10-01,holiday\n2027-10-01,workday"),
            CsvError {
                line: 2,
                error: WorkCalError::Duplicate
            }
        );
        assert_eq!(
            err("x,holiday").to_string(),
            "line 1: a date is written YYYY-MM-DD"
        );
        // A failed import changes nothing.
        let mut c3 = cn();
        assert!(c3.import_csv("2027-10-01,holiday\nbad").is_err());
        assert_eq!(c3, cn());
    }

    #[test]
    fn json_round_trips_and_removing_the_last_day_of_a_year_uncovers_it() {
        let c = cn();
        let json = serde_json::to_string(&c).unwrap();
        let back: WorkCalendar = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["days"][0]["kind"], "holiday");
        assert_eq!(v["hours"]["open"], "09:00:00");
        let bad = r#"{"hours":{"open":"18:00:00","close":"09:00:00"},"days":[]}"#;
        assert!(serde_json::from_str::<WorkCalendar>(bad).is_err());

        let mut c = WorkCalendar::default();
        c.import_csv("2027-10-01,holiday\n2027-10-02,holiday")
            .unwrap();
        assert!(c.has_year(2027));
        assert!(c.remove(day(2027, 10, 1)).is_some());
        assert!(c.has_year(2027));
        assert!(c.remove(day(2027, 10, 2)).is_some());
        assert!(!c.has_year(2027));
        assert_eq!(c.remove(day(2027, 10, 2)), None);
    }
}
