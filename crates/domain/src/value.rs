//! Customer value (§7): ABC classes by Pareto thresholds over revenue, and RFM scores (recency,
//! frequency, monetary) on a 1–5 scale.
//!
//! All comparisons are on integer 分 and counts, so a class boundary never depends on float
//! rounding.

use chrono::NaiveDate;

use crate::coded::coded_enum;

coded_enum!(
    /// Value class: A customers bring the first 80% of revenue, B the next 15%, C the rest.
    AbcClass {
        A => "a", "A 类", "Class A";
        B => "b", "B 类", "Class B";
        C => "c", "C 类", "Class C";
    }
);

/// Cumulative revenue shares (percent) that close classes A and B (*defaults* 80 and 95).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AbcThresholds {
    pub a_pct: u8,
    pub b_pct: u8,
}

impl Default for AbcThresholds {
    fn default() -> AbcThresholds {
        AbcThresholds {
            a_pct: 80,
            b_pct: 95,
        }
    }
}

/// The class of each customer, in input order, from their revenue in fen.
///
/// Customers are ranked by revenue, highest first (equal revenue keeps input order, so the
/// result is deterministic). A customer is A when the customers ranked above them bring less
/// than `a_pct` of the total — they are needed to reach it; B when those above bring less than
/// `b_pct`; otherwise C. A customer with no (or negative) revenue is always C, and when the
/// total is not positive everyone is C.
pub fn abc_classes(revenue: &[i64], thresholds: AbcThresholds) -> Vec<AbcClass> {
    let total: i128 = revenue.iter().map(|r| i128::from((*r).max(0))).sum();
    let mut order: Vec<usize> = (0..revenue.len()).collect();
    order.sort_by(|x, y| revenue[*y].cmp(&revenue[*x]));
    let mut out = vec![AbcClass::C; revenue.len()];
    if total <= 0 {
        return out;
    }
    let a = i128::from(thresholds.a_pct.min(100));
    let b = i128::from(thresholds.b_pct.min(100)).max(a);
    let mut before: i128 = 0;
    for i in order {
        let r = revenue[i];
        if r <= 0 {
            continue;
        }
        // before / total < a / 100, without division.
        out[i] = if before * 100 < a * total {
            AbcClass::A
        } else if before * 100 < b * total {
            AbcClass::B
        } else {
            AbcClass::C
        };
        before += i128::from(r);
    }
    out
}

/// What RFM needs to know about one customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RfmInput {
    pub last_purchase: NaiveDate,
    /// Orders in the period looked at.
    pub orders: u32,
    /// Revenue in the period, in fen.
    pub revenue: i64,
}

/// Scores 1 (worst) … 5 (best) for recency, frequency and monetary value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RfmScore {
    pub recency_days: i64,
    pub r: u8,
    pub f: u8,
    pub m: u8,
}

impl RfmScore {
    /// "545": the usual way to write a segment.
    pub fn code(&self) -> String {
        format!("{}{}{}", self.r, self.f, self.m)
    }
}

/// Quintile score of a value among all: 1 + ⌊5 × (how many are strictly worse) ÷ n⌋. Equal
/// values get equal scores; with n distinct values each score holds a fifth of them.
fn quintile(sorted_worse_first: &[i64], value: i64, n: usize) -> u8 {
    let worse = sorted_worse_first.partition_point(|v| *v < value);
    let s = 1 + (5 * worse) / n.max(1);
    u8::try_from(s.min(5)).unwrap_or(5)
}

/// RFM scores of each customer, in input order, as of `as_of`, by quintiles among the customers
/// given: fewer days since the last purchase, more orders and more revenue score higher.
pub fn rfm_scores(customers: &[RfmInput], as_of: NaiveDate) -> Vec<RfmScore> {
    let n = customers.len();
    // Recency is better when smaller: score its negation so "larger is better" everywhere.
    let neg_days = |c: &RfmInput| -(as_of - c.last_purchase).num_days();
    let mut r: Vec<i64> = customers.iter().map(neg_days).collect();
    let mut f: Vec<i64> = customers.iter().map(|c| i64::from(c.orders)).collect();
    let mut m: Vec<i64> = customers.iter().map(|c| c.revenue).collect();
    r.sort_unstable();
    f.sort_unstable();
    m.sort_unstable();
    customers
        .iter()
        .map(|c| RfmScore {
            recency_days: -neg_days(c),
            r: quintile(&r, neg_days(c), n),
            f: quintile(&f, i64::from(c.orders), n),
            m: quintile(&m, c.revenue, n),
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::coded::assert_coded;
    use AbcClass::*;

    #[test]
    fn codes_round_trip() {
        assert_coded::<AbcClass>();
    }

    #[test]
    fn abc_on_a_constructed_revenue_list() {
        // Total 100 yuan. Ranked: 50 (before 0%), 20 (50%), 10 (70%) → A; 8 (80%), 5 (88%),
        // 4 (93%) → B; 2 (97%), 1 (99%) → C. Input order is shuffled on purpose.
        let yuan = [5, 50, 1, 10, 8, 20, 2, 4];
        let fen: Vec<i64> = yuan.iter().map(|y| y * 100).collect();
        let classes = abc_classes(&fen, AbcThresholds::default());
        assert_eq!(classes, vec![B, A, C, A, B, A, C, B]);
        // A holds exactly the first 80%.
        let a_sum: i64 = fen
            .iter()
            .zip(&classes)
            .filter(|(_, c)| **c == A)
            .map(|(r, _)| r)
            .sum();
        assert_eq!(a_sum, 8000);
    }

    #[test]
    fn the_customer_who_crosses_a_threshold_is_in_the_class_it_completes() {
        // 70, 25, 5: the 25 crosses 80% (70 → 95) and is needed to reach it: A.
        assert_eq!(
            abc_classes(&[70, 25, 5], AbcThresholds::default()),
            vec![A, A, C]
        );
        // 90, 6, 4: 6 is before 90% ≥ 80 → B (crosses 95 → needed for B); 4 starts at 96 → C.
        assert_eq!(
            abc_classes(&[90, 6, 4], AbcThresholds::default()),
            vec![A, B, C]
        );
        // Custom thresholds 50/90.
        let t = AbcThresholds {
            a_pct: 50,
            b_pct: 90,
        };
        assert_eq!(abc_classes(&[40, 30, 20, 10], t), vec![A, A, B, C]);
    }

    #[test]
    fn zero_negative_ties_and_empty() {
        assert_eq!(abc_classes(&[0, 0], AbcThresholds::default()), vec![C, C]);
        assert_eq!(
            abc_classes(&[100, -50, 0], AbcThresholds::default()),
            vec![A, C, C]
        );
        assert_eq!(
            abc_classes(&[], AbcThresholds::default()),
            Vec::<AbcClass>::new()
        );
        // Ties keep input order: ten equal customers, the first eight are A, the ninth
        // (before = 80%) and the tenth (before = 90%) are B.
        let ten = abc_classes(&[7; 10], AbcThresholds::default());
        assert_eq!(ten, vec![A, A, A, A, A, A, A, A, B, B]);
        // Huge amounts do not overflow.
        assert_eq!(
            abc_classes(&[i64::MAX, i64::MAX, 1], AbcThresholds::default()),
            vec![A, A, C]
        );
    }

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn rfm_quintiles_on_constructed_customers() {
        let as_of = d(2026, 12, 31);
        // Five customers, each best in a different way; days since purchase 1, 10, 30, 90, 365.
        let c = [
            RfmInput {
                last_purchase: d(2026, 12, 30),
                orders: 1,
                revenue: 500,
            },
            RfmInput {
                last_purchase: d(2026, 12, 21),
                orders: 2,
                revenue: 400,
            },
            RfmInput {
                last_purchase: d(2026, 12, 1),
                orders: 3,
                revenue: 300,
            },
            RfmInput {
                last_purchase: d(2026, 10, 2),
                orders: 4,
                revenue: 200,
            },
            RfmInput {
                last_purchase: d(2025, 12, 31),
                orders: 5,
                revenue: 100,
            },
        ];
        let s = rfm_scores(&c, as_of);
        assert_eq!(
            s.iter().map(|x| x.recency_days).collect::<Vec<_>>(),
            vec![1, 10, 30, 90, 365]
        );
        assert_eq!(
            s.iter().map(|x| x.r).collect::<Vec<_>>(),
            vec![5, 4, 3, 2, 1]
        );
        assert_eq!(
            s.iter().map(|x| x.f).collect::<Vec<_>>(),
            vec![1, 2, 3, 4, 5]
        );
        assert_eq!(
            s.iter().map(|x| x.m).collect::<Vec<_>>(),
            vec![5, 4, 3, 2, 1]
        );
        assert_eq!(s[0].code(), "515");
    }

    #[test]
    fn rfm_ties_share_a_score_and_ten_customers_make_pairs() {
        let as_of = d(2026, 12, 31);
        let same = RfmInput {
            last_purchase: d(2026, 6, 1),
            orders: 3,
            revenue: 1000,
        };
        let s = rfm_scores(&[same; 4], as_of);
        assert!(s.iter().all(|x| (x.r, x.f, x.m) == (1, 1, 1)));
        let ten: Vec<RfmInput> = (0..10)
            .map(|i| RfmInput {
                last_purchase: d(2026, 1, 1 + i),
                orders: i,
                revenue: i64::from(i),
            })
            .collect();
        let s = rfm_scores(&ten, as_of);
        assert_eq!(
            s.iter().map(|x| x.f).collect::<Vec<_>>(),
            vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
        );
        assert_eq!(
            s.iter().map(|x| x.r).collect::<Vec<_>>(),
            vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
        );
        assert!(rfm_scores(&[], as_of).is_empty());
    }
}
