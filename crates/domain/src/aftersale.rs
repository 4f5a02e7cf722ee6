//! The follow-ups every order schedules on its own (§4): the thank-you note on the order day, the
//! 2-5-12 calls counted from delivery, and the proactive inquiry every N days.

use chrono::{Days, NaiveDate};

use crate::Lang;
use crate::coded::coded_enum;

coded_enum!(
    /// A scheduled after-sale contact.
    FollowUpKind {
        ThankYou => "thank_you", "感谢函", "Thank-you note";
        Day2 => "day_2", "第 2 天回访", "Day-2 call";
        Day5 => "day_5", "第 5 天回访", "Day-5 call";
        Day12 => "day_12", "第 12 天回访", "Day-12 call";
        Inquiry => "inquiry", "主动询问", "Proactive inquiry";
    }
);

/// Days between proactive inquiries for an active customer (*default*, an admin setting).
pub const DEFAULT_INQUIRY_DAYS: u32 = 90;

impl FollowUpKind {
    /// The three calls of the 2-5-12 rule (二五十二法则), in order.
    pub const TWO_FIVE_TWELVE: [FollowUpKind; 3] =
        [FollowUpKind::Day2, FollowUpKind::Day5, FollowUpKind::Day12];

    /// Days after the anchor (order day for the note, delivery day for the calls).
    pub fn offset_days(&self) -> Option<u64> {
        match self {
            FollowUpKind::ThankYou => Some(0),
            FollowUpKind::Day2 => Some(2),
            FollowUpKind::Day5 => Some(5),
            FollowUpKind::Day12 => Some(12),
            FollowUpKind::Inquiry => None,
        }
    }

    /// What this contact is for, shown on the task.
    pub fn purpose(&self, lang: Lang) -> &'static str {
        match self {
            FollowUpKind::ThankYou => lang.pick(
                "成交当天寄出感谢函：一封书面的、带个人口吻的感谢，并表示愿意继续为对方服务",
                "Send a written, personal thank-you note on the order day, offering further service",
            ),
            FollowUpKind::Day2 => lang.pick(
                "问问产品是否已经用上：用上了就关心体验、适时称赞；没用就问原因，解答成交时尚存的疑虑",
                "Ask whether the product is in use: if so, ask how it goes and praise the choice; \
                 if not, ask why and clear the doubts left at the deal",
            ),
            FollowUpKind::Day5 => lang.pick(
                "了解初次使用的感受，解释遇到的问题",
                "Hear about the first experience and explain any problems met",
            ),
            FollowUpKind::Day12 => lang.pick(
                "了解产品与预期的差距，在不满变成怨气之前解决；也是推荐其他产品的时机",
                "Find the gap between product and expectation and resolve it before it turns into \
                 resentment; the moment to suggest another product",
            ),
            FollowUpKind::Inquiry => lang.pick(
                "主动询问是否满意、有没有问题；记录回答，问题转为工单",
                "Ask unprompted whether they are satisfied and have any problems; log the answer \
                 and turn problems into tickets",
            ),
        }
    }

    /// The first call after delivery carries the doubts the rep recorded at the deal
    /// (尚存的疑虑) as its talking points.
    pub fn carries_doubts(&self) -> bool {
        *self == FollowUpKind::Day2
    }
}

/// One scheduled contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FollowUp {
    pub kind: FollowUpKind,
    pub due: NaiveDate,
}

/// The contacts an order schedules: the thank-you note on the order day, then 2, 5 and 12 days
/// after delivery, counted from the order day when there is no delivery (a service, a
/// hand-over at the counter). Calendar days, not working days: the method counts the
/// customer's days of use.
pub fn order_follow_ups(ordered: NaiveDate, delivered: Option<NaiveDate>) -> [FollowUp; 4] {
    let anchor = delivered.unwrap_or(ordered);
    let at = |kind: FollowUpKind| FollowUp {
        kind,
        // Dates near NaiveDate::MAX cannot take the offset; they are kept on the anchor rather
        // than dropped, so an order always has its four tasks.
        due: kind
            .offset_days()
            .and_then(|n| anchor.checked_add_days(Days::new(n)))
            .unwrap_or(anchor),
    };
    [
        FollowUp {
            kind: FollowUpKind::ThankYou,
            due: ordered,
        },
        at(FollowUpKind::Day2),
        at(FollowUpKind::Day5),
        at(FollowUpKind::Day12),
    ]
}

/// Which of an order's follow-ups fall on `day`, without building the schedule (used to build a
/// day's task list over many orders).
pub fn order_follow_ups_on(
    ordered: NaiveDate,
    delivered: Option<NaiveDate>,
    day: NaiveDate,
) -> impl Iterator<Item = FollowUpKind> {
    let thank = (ordered == day).then_some(FollowUpKind::ThankYou);
    let since = day
        .signed_duration_since(delivered.unwrap_or(ordered))
        .num_days();
    let call = match since {
        2 => Some(FollowUpKind::Day2),
        5 => Some(FollowUpKind::Day5),
        12 => Some(FollowUpKind::Day12),
        _ => None,
    };
    thank.into_iter().chain(call)
}

/// The next proactive inquiry: `every_days` after the last contact that counted (the last
/// inquiry, or the last order when there has been none). `every_days` of 0 is read as 1.
pub fn next_inquiry(last: NaiveDate, every_days: u32) -> Option<NaiveDate> {
    last.checked_add_days(Days::new(u64::from(every_days.max(1))))
}

/// The proactive inquiries due in `from..=to` if each is made on time, starting `every_days`
/// after `last`.
pub fn inquiries_between(
    last: NaiveDate,
    every_days: u32,
    from: NaiveDate,
    to: NaiveDate,
) -> impl Iterator<Item = NaiveDate> {
    let mut next = next_inquiry(last, every_days);
    std::iter::from_fn(move || {
        let d = next?;
        next = next_inquiry(d, every_days);
        Some(d)
    })
    .skip_while(move |d| *d < from)
    .take_while(move |d| *d <= to)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::coded::assert_coded;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn calls(delivered: NaiveDate) -> [NaiveDate; 3] {
        let f = order_follow_ups(d(2000, 1, 1), Some(delivered));
        [f[1].due, f[2].due, f[3].due]
    }

    #[test]
    fn codes_round_trip_and_every_kind_has_a_purpose() {
        assert_coded::<FollowUpKind>();
        for k in FollowUpKind::ALL {
            assert!(!k.purpose(Lang::ZhCn).is_empty());
            assert!(k.purpose(Lang::En).is_ascii());
        }
        assert!(FollowUpKind::Day2.purpose(Lang::ZhCn).contains("疑虑"));
        assert!(
            FollowUpKind::Day12
                .purpose(Lang::En)
                .contains("another product")
        );
        assert!(FollowUpKind::Day2.carries_doubts());
        assert!(!FollowUpKind::Day5.carries_doubts());
    }

    #[test]
    fn two_five_twelve_across_month_and_year_ends() {
        assert_eq!(
            calls(d(2026, 3, 30)),
            [d(2026, 4, 1), d(2026, 4, 4), d(2026, 4, 11)]
        );
        assert_eq!(
            calls(d(2027, 12, 30)),
            [d(2028, 1, 1), d(2028, 1, 4), d(2028, 1, 11)]
        );
        assert_eq!(
            calls(d(2026, 12, 31)),
            [d(2027, 1, 2), d(2027, 1, 5), d(2027, 1, 12)]
        );
    }

    #[test]
    fn two_five_twelve_around_29_february() {
        assert_eq!(
            calls(d(2028, 2, 27)),
            [d(2028, 2, 29), d(2028, 3, 3), d(2028, 3, 10)]
        );
        assert_eq!(
            calls(d(2028, 2, 29)),
            [d(2028, 3, 2), d(2028, 3, 5), d(2028, 3, 12)]
        );
        assert_eq!(
            calls(d(2027, 2, 27)),
            [d(2027, 3, 1), d(2027, 3, 4), d(2027, 3, 11)]
        );
        assert_eq!(
            calls(d(2100, 2, 27)),
            [d(2100, 3, 1), d(2100, 3, 4), d(2100, 3, 11)]
        );
        assert_eq!(
            calls(d(2000, 2, 27)),
            [d(2000, 2, 29), d(2000, 3, 3), d(2000, 3, 10)]
        );
    }

    #[test]
    fn the_note_is_due_on_the_order_day_and_calls_fall_back_to_it() {
        let f = order_follow_ups(d(2026, 3, 20), Some(d(2026, 3, 30)));
        assert_eq!(
            f[0],
            FollowUp {
                kind: FollowUpKind::ThankYou,
                due: d(2026, 3, 20)
            }
        );
        assert_eq!(f.map(|x| x.kind)[1..], FollowUpKind::TWO_FIVE_TWELVE);
        let f = order_follow_ups(d(2026, 3, 20), None);
        assert_eq!(
            f.map(|x| x.due),
            [
                d(2026, 3, 20),
                d(2026, 3, 22),
                d(2026, 3, 25),
                d(2026, 4, 1)
            ]
        );
    }

    #[test]
    fn follow_ups_on_a_day_agree_with_the_schedule() {
        let cases = [
            (d(2026, 3, 20), Some(d(2026, 3, 30))),
            (d(2026, 3, 20), None),
            (d(2026, 3, 28), Some(d(2026, 3, 28))),
            (d(2026, 3, 30), Some(d(2026, 3, 28))),
        ];
        for (ordered, delivered) in cases {
            let schedule = order_follow_ups(ordered, delivered);
            let mut day = d(2026, 3, 1);
            while day < d(2026, 5, 1) {
                let mut expected: Vec<FollowUpKind> = schedule
                    .iter()
                    .filter(|f| f.due == day)
                    .map(|f| f.kind)
                    .collect();
                expected.sort();
                let mut got: Vec<FollowUpKind> =
                    order_follow_ups_on(ordered, delivered, day).collect();
                got.sort();
                assert_eq!(got, expected, "{ordered} {delivered:?} {day}");
                day = day.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn inquiries_recur_every_n_days() {
        assert_eq!(next_inquiry(d(2026, 1, 1), 90), Some(d(2026, 4, 1)));
        assert_eq!(next_inquiry(d(2026, 1, 1), 0), Some(d(2026, 1, 2)));
        assert_eq!(next_inquiry(NaiveDate::MAX, 1), None);
        let due: Vec<NaiveDate> =
            inquiries_between(d(2026, 1, 1), 90, d(2026, 1, 1), d(2026, 12, 31)).collect();
        assert_eq!(
            due,
            vec![
                d(2026, 4, 1),
                d(2026, 6, 30),
                d(2026, 9, 28),
                d(2026, 12, 27)
            ]
        );
        let later: Vec<NaiveDate> =
            inquiries_between(d(2026, 1, 1), 90, d(2026, 6, 30), d(2026, 9, 28)).collect();
        assert_eq!(later, vec![d(2026, 6, 30), d(2026, 9, 28)]);
        assert_eq!(
            inquiries_between(d(2026, 1, 1), 90, d(2026, 2, 1), d(2026, 3, 1)).count(),
            0
        );
        assert_eq!(DEFAULT_INQUIRY_DAYS, 90);
    }
}
