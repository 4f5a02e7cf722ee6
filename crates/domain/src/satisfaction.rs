//! Satisfaction (§6): 满意度 = 感受值 / 期望值, measured with SERVQUAL over the five quality
//! dimensions (gap = perception − expectation, index = perception ÷ expectation), and the drift
//! of a customer's expectation over their last responses.
//!
//! Verdicts (exceeds / meets / falls short) are decided on integer sums, never on rounded
//! floats, so "meets" means exactly equal.

use std::cmp::Ordering;

use crate::coded::coded_enum;
use crate::error::localized_error;

coded_enum!(
    /// The five elements of service quality 服务质量五要素.
    Dimension {
        Reliability => "reliability", "信赖度", "Reliability";
        Responsiveness => "responsiveness", "反应度", "Responsiveness";
        Assurance => "assurance", "专业度", "Assurance";
        Empathy => "empathy", "同理度", "Empathy";
        Tangibles => "tangibles", "有形度", "Tangibles";
    }
);

coded_enum!(
    /// Perception against expectation.
    Verdict {
        Exceeds => "exceeds", "超出期望", "Exceeds expectation";
        Meets => "meets", "满足期望", "Meets expectation";
        FallsShort => "falls_short", "低于期望", "Falls short of expectation";
    }
);

/// Scores run from 1 (lowest) to 7 (highest), the SERVQUAL scale.
pub const MIN_SCORE: u8 = 1;
pub const MAX_SCORE: u8 = 7;

localized_error!(
    /// Why a survey answer was refused.
    SurveyError {
        ScoreOutOfRange => "score_out_of_range", "分数应在 1–7 之间", "a score is 1 to 7";
        NoAnswers => "no_answers", "没有可计算的答案", "there are no answers to compute";
    }
);

/// One survey item answered: the expectation and the perception score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemAnswer {
    pub dimension: Dimension,
    pub expectation: u8,
    pub perception: u8,
}

/// Expectation and perception summed over some answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Totals {
    pub items: u32,
    pub expectation: u32,
    pub perception: u32,
}

impl Totals {
    fn add(&mut self, a: &ItemAnswer) {
        self.items += 1;
        self.expectation += u32::from(a.expectation);
        self.perception += u32::from(a.perception);
    }

    /// Mean expectation score.
    pub fn mean_expectation(&self) -> f64 {
        f64::from(self.expectation) / f64::from(self.items.max(1))
    }

    /// Mean perception score.
    pub fn mean_perception(&self) -> f64 {
        f64::from(self.perception) / f64::from(self.items.max(1))
    }

    /// gap = perception − expectation (means).
    pub fn gap(&self) -> f64 {
        (f64::from(self.perception) - f64::from(self.expectation)) / f64::from(self.items.max(1))
    }

    /// index = perception ÷ expectation (the satisfaction formula).
    pub fn index(&self) -> f64 {
        f64::from(self.perception) / f64::from(self.expectation.max(1))
    }

    pub fn verdict(&self) -> Verdict {
        match self.perception.cmp(&self.expectation) {
            Ordering::Greater => Verdict::Exceeds,
            Ordering::Equal => Verdict::Meets,
            Ordering::Less => Verdict::FallsShort,
        }
    }
}

impl ItemAnswer {
    pub fn new(
        dimension: Dimension,
        expectation: u8,
        perception: u8,
    ) -> Result<ItemAnswer, SurveyError> {
        let ok = |s: u8| (MIN_SCORE..=MAX_SCORE).contains(&s);
        if !ok(expectation) || !ok(perception) {
            return Err(SurveyError::ScoreOutOfRange);
        }
        Ok(ItemAnswer {
            dimension,
            expectation,
            perception,
        })
    }

    pub fn gap(&self) -> i32 {
        i32::from(self.perception) - i32::from(self.expectation)
    }

    pub fn index(&self) -> f64 {
        f64::from(self.perception) / f64::from(self.expectation.max(1))
    }

    pub fn verdict(&self) -> Verdict {
        let mut t = Totals::default();
        t.add(self);
        t.verdict()
    }
}

/// A survey's result: per dimension (in [`Dimension::ALL`] order, answered ones only) and over
/// all items.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ServqualReport {
    pub dimensions: Vec<(Dimension, Totals)>,
    pub overall: Totals,
    /// The unweighted mean of the dimensions' gaps (SERVQUAL's overall score: each dimension
    /// counts the same however many items it has).
    pub mean_dimension_gap: f64,
}

/// Scores one survey response.
pub fn servqual(answers: &[ItemAnswer]) -> Result<ServqualReport, SurveyError> {
    if answers.is_empty() {
        return Err(SurveyError::NoAnswers);
    }
    let mut per = [Totals::default(); 5];
    let mut overall = Totals::default();
    for a in answers {
        let i = Dimension::ALL
            .iter()
            .position(|d| *d == a.dimension)
            .unwrap_or(0);
        per[i].add(a);
        overall.add(a);
    }
    let dimensions: Vec<(Dimension, Totals)> = Dimension::ALL
        .iter()
        .zip(per)
        .filter(|(_, t)| t.items > 0)
        .map(|(d, t)| (*d, t))
        .collect();
    let mean_dimension_gap =
        dimensions.iter().map(|(_, t)| t.gap()).sum::<f64>() / dimensions.len() as f64;
    Ok(ServqualReport {
        dimensions,
        overall,
        mean_dimension_gap,
    })
}

/// How a customer's expectation moved over their last responses.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExpectationDrift {
    /// Responses looked at (the last `window`, oldest first).
    pub responses: usize,
    /// Mean expectation of the last response minus that of the first one looked at.
    pub rise: f64,
    /// Mean perception minus mean expectation in the last response.
    pub latest_gap: f64,
    /// Expectation rose over the responses and now outruns what the customer perceives: the
    /// service that once exceeded expectations no longer does. Warn the account's owner.
    pub warning: bool,
}

/// *Default* number of recent responses drift is judged over.
pub const DEFAULT_DRIFT_WINDOW: usize = 3;

/// Expectation drift over the last `window` (at least 2) of a customer's responses, given oldest
/// first as their totals; None with fewer than two responses.
pub fn expectation_drift(history: &[Totals], window: usize) -> Option<ExpectationDrift> {
    let window = window.max(2);
    let recent: Vec<&Totals> = history.iter().filter(|t| t.items > 0).collect();
    let recent = &recent[recent.len().saturating_sub(window)..];
    let (first, last) = (recent.first()?, recent.last()?);
    if recent.len() < 2 {
        return None;
    }
    // Compare means exactly by cross-multiplying the sums.
    let mean_cmp = |a: &Totals, b: &Totals| {
        (u64::from(a.expectation) * u64::from(b.items))
            .cmp(&(u64::from(b.expectation) * u64::from(a.items)))
    };
    let rose = mean_cmp(last, first) == Ordering::Greater;
    let outruns = last.expectation > last.perception;
    Some(ExpectationDrift {
        responses: recent.len(),
        rise: last.mean_expectation() - first.mean_expectation(),
        latest_gap: last.gap(),
        warning: rose && outruns,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Lang;
    use crate::coded::assert_coded;
    use Dimension::*;

    fn a(d: Dimension, e: u8, p: u8) -> ItemAnswer {
        ItemAnswer::new(d, e, p).unwrap()
    }

    fn close(x: f64, y: f64) -> bool {
        (x - y).abs() < 1e-9
    }

    #[test]
    fn codes_and_errors() {
        assert_coded::<Dimension>();
        assert_coded::<Verdict>();
        crate::error::assert_localized(SurveyError::ALL, SurveyError::code, SurveyError::message);
        assert_eq!(
            Dimension::ALL.map(|d| d.label(Lang::ZhCn)),
            ["信赖度", "反应度", "专业度", "同理度", "有形度"]
        );
    }

    #[test]
    fn an_item_has_its_gap_index_and_verdict() {
        let x = a(Reliability, 6, 5);
        assert_eq!(x.gap(), -1);
        assert!(close(x.index(), 5.0 / 6.0));
        assert_eq!(x.verdict(), Verdict::FallsShort);
        assert_eq!(a(Reliability, 4, 4).verdict(), Verdict::Meets);
        assert!(close(a(Reliability, 4, 4).index(), 1.0));
        assert_eq!(a(Empathy, 3, 6).gap(), 3);
        assert!(close(a(Empathy, 3, 6).index(), 2.0));
        assert_eq!(a(Empathy, 3, 6).verdict(), Verdict::Exceeds);
        assert_eq!(
            ItemAnswer::new(Empathy, 0, 4),
            Err(SurveyError::ScoreOutOfRange)
        );
        assert_eq!(
            ItemAnswer::new(Empathy, 4, 8),
            Err(SurveyError::ScoreOutOfRange)
        );
        assert!(ItemAnswer::new(Empathy, 1, 7).is_ok());
    }

    #[test]
    fn dimensions_and_overall_on_a_constructed_survey() {
        let answers = [
            // Reliability: E 7+6 = 13, P 5+5 = 10 → gap −1.5, index 10/13.
            a(Reliability, 7, 5),
            a(Reliability, 6, 5),
            // Responsiveness: E 5, P 6 → gap +1, index 1.2.
            a(Responsiveness, 5, 6),
            // Empathy: E 4+6+5 = 15, P 6+4+5 = 15 → meets exactly.
            a(Empathy, 4, 6),
            a(Empathy, 6, 4),
            a(Empathy, 5, 5),
        ];
        let r = servqual(&answers).unwrap();
        assert_eq!(
            r.dimensions.iter().map(|(d, _)| *d).collect::<Vec<_>>(),
            vec![Reliability, Responsiveness, Empathy]
        );
        let (_, rel) = r.dimensions[0];
        assert_eq!((rel.items, rel.expectation, rel.perception), (2, 13, 10));
        assert!(close(rel.gap(), -1.5));
        assert!(close(rel.index(), 10.0 / 13.0));
        assert!(close(rel.mean_expectation(), 6.5));
        assert_eq!(rel.verdict(), Verdict::FallsShort);
        let (_, resp) = r.dimensions[1];
        assert!(close(resp.gap(), 1.0) && close(resp.index(), 1.2));
        assert_eq!(resp.verdict(), Verdict::Exceeds);
        let (_, emp) = r.dimensions[2];
        assert!(close(emp.gap(), 0.0) && close(emp.index(), 1.0));
        assert_eq!(emp.verdict(), Verdict::Meets);
        // Overall: E 33, P 31 over 6 items.
        assert_eq!((r.overall.expectation, r.overall.perception), (33, 31));
        assert!(close(r.overall.gap(), -2.0 / 6.0));
        assert!(close(r.overall.index(), 31.0 / 33.0));
        assert_eq!(r.overall.verdict(), Verdict::FallsShort);
        // Unweighted mean of the dimension gaps: (−1.5 + 1 + 0) / 3.
        assert!(close(r.mean_dimension_gap, -0.5 / 3.0));
        assert_eq!(servqual(&[]), Err(SurveyError::NoAnswers));
    }

    fn t(items: u32, e: u32, p: u32) -> Totals {
        Totals {
            items,
            expectation: e,
            perception: p,
        }
    }

    #[test]
    fn expectation_rising_past_perception_warns() {
        // The seed's phone-repair story: service once exceeded expectations (E 4, P 6), so the
        // customer expects more each time, while the service stays the same.
        let history = [t(5, 20, 30), t(5, 25, 30), t(5, 32, 30)];
        let d = expectation_drift(&history, 3).unwrap();
        assert_eq!(d.responses, 3);
        assert!(close(d.rise, 6.4 - 4.0));
        assert!(close(d.latest_gap, -0.4));
        assert!(d.warning);
    }

    #[test]
    fn no_warning_when_expectation_rises_but_is_still_met_or_falls() {
        let rising_met = [t(5, 20, 30), t(5, 30, 30)];
        let d = expectation_drift(&rising_met, 3).unwrap();
        assert!(close(d.rise, 2.0) && close(d.latest_gap, 0.0));
        assert!(!d.warning);
        let falling_short = [t(5, 35, 30), t(5, 32, 30)];
        let d = expectation_drift(&falling_short, 3).unwrap();
        assert!(d.rise < 0.0 && d.latest_gap < 0.0);
        assert!(!d.warning, "falls short, but not because expectation rose");
    }

    #[test]
    fn drift_looks_at_the_last_responses_only_and_compares_exact_means() {
        // An old jump (E 2 → 6) outside the window of 2: the last two are flat.
        let history = [t(4, 8, 20), t(4, 24, 20), t(4, 24, 20)];
        let d = expectation_drift(&history, 2).unwrap();
        assert_eq!(d.responses, 2);
        assert!(close(d.rise, 0.0));
        assert!(!d.warning);
        assert!(expectation_drift(&history, 3).unwrap().warning);
        // Different item counts: 10/3 then 13/4 is a fall (3.33 → 3.25).
        let d = expectation_drift(&[t(3, 10, 9), t(4, 13, 12)], 3).unwrap();
        assert!(!d.warning && d.rise < 0.0);
        assert_eq!(expectation_drift(&[t(3, 10, 9)], 3), None);
        assert_eq!(expectation_drift(&[], 3), None);
        // Empty responses are skipped; a window of 0 or 1 is read as 2.
        let d = expectation_drift(&[t(2, 6, 8), t(0, 0, 0), t(2, 10, 8)], 1).unwrap();
        assert_eq!(d.responses, 2);
        assert!(d.warning);
    }
}
