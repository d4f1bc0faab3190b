//! Plain metrics: precision/recall/F1 counts, AUROC, word-shingle overlap.
use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

/// Counts of a binary decision against labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Confusion {
    pub true_positive: f64,
    pub false_positive: f64,
    pub false_negative: f64,
    pub true_negative: f64,
}

impl Confusion {
    /// Adds one decision with a weight (1 for counting items, a length for counting characters).
    pub fn add(&mut self, predicted: bool, actual: bool, weight: f64) {
        match (predicted, actual) {
            (true, true) => self.true_positive += weight,
            (true, false) => self.false_positive += weight,
            (false, true) => self.false_negative += weight,
            (false, false) => self.true_negative += weight,
        }
    }

    /// Adds another set of counts to these.
    pub fn merge(&mut self, other: &Confusion) {
        self.true_positive += other.true_positive;
        self.false_positive += other.false_positive;
        self.false_negative += other.false_negative;
        self.true_negative += other.true_negative;
    }

    pub fn precision(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_positive)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_negative)
    }

    pub fn f1(&self) -> f64 {
        harmonic(self.precision(), self.recall())
    }

    pub fn accuracy(&self) -> f64 {
        let total = self.true_positive + self.false_positive + self.false_negative + self.true_negative;
        ratio(self.true_positive + self.true_negative, total)
    }
}

fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 { numerator / denominator } else { 0.0 }
}

/// The harmonic mean of precision and recall (0 when both are 0).
pub fn harmonic(precision: f64, recall: f64) -> f64 {
    if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 }
}

/// Area under the ROC curve: the probability that a random positive scores above a random
/// negative (ties count one half). `None` without both classes.
pub fn auroc(scored: &[(f64, bool)]) -> Option<f64> {
    let positives = scored.iter().filter(|(_, label)| *label).count() as f64;
    let negatives = scored.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return None;
    }
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Rank-sum (Mann-Whitney U) with average ranks for ties.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        let average_rank = (i + j + 1) as f64 / 2.0;
        rank_sum += sorted[i..j].iter().filter(|(_, l)| *l).count() as f64 * average_rank;
        i = j;
    }
    Some((rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives))
}

/// The threshold with the best F1, and that F1.
pub fn best_threshold(scored: &[(f64, bool)]) -> (f64, f64) {
    let mut thresholds: Vec<f64> = scored.iter().map(|(s, _)| *s).collect();
    thresholds.sort_by(f64::total_cmp);
    thresholds.dedup();
    let mut best = (0.5, 0.0);
    for threshold in thresholds {
        let mut confusion = Confusion::default();
        for (score, label) in scored {
            confusion.add(*score >= threshold, *label, 1.0);
        }
        if confusion.f1() > best.1 {
            best = (threshold, confusion.f1());
        }
    }
    best
}

/// Expected calibration error over ten equal-width bins: the gap between a bin's mean
/// probability and its share of positives, averaged over bins weighted by their size.
pub fn expected_calibration_error(scored: &[(f64, bool)]) -> f64 {
    let mut bins = [(0.0f64, 0.0f64); 10];
    for &(p, positive) in scored {
        let bin = &mut bins[((p * 10.0) as usize).min(9)];
        bin.0 += p;
        bin.1 += f64::from(u8::from(positive));
    }
    let total = scored.len().max(1) as f64;
    bins.iter().map(|&(p, y)| (p - y).abs() / total).sum::<f64>()
}

/// Lowercase word 4-gram shingles after NFKC normalisation, words being `\w+` runs, as the
/// article-extraction benchmark scores extractors.
pub fn shingles(text: &str) -> HashSet<Vec<String>> {
    let normalised: String = text.nfkc().collect::<String>().to_lowercase();
    let words: Vec<String> = normalised
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if words.len() < 4 {
        return if words.is_empty() { HashSet::new() } else { HashSet::from([words]) };
    }
    words.windows(4).map(<[String]>::to_vec).collect()
}

/// Precision, recall and F1 of predicted shingles against gold shingles. Two empty texts agree.
pub fn shingle_prf(predicted: &HashSet<Vec<String>>, gold: &HashSet<Vec<String>>) -> (f64, f64, f64) {
    if predicted.is_empty() && gold.is_empty() {
        return (1.0, 1.0, 1.0);
    }
    let shared = predicted.intersection(gold).count() as f64;
    let precision = ratio(shared, predicted.len() as f64);
    let recall = ratio(shared, gold.len() as f64);
    (precision, recall, harmonic(precision, recall))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auroc_of_perfect_random_and_inverted_rankings() {
        assert_eq!(auroc(&[(0.1, false), (0.9, true)]), Some(1.0));
        assert_eq!(auroc(&[(0.9, false), (0.1, true)]), Some(0.0));
        assert_eq!(auroc(&[(0.5, false), (0.5, true)]), Some(0.5));
        assert_eq!(auroc(&[(0.5, true)]), None);
    }

    #[test]
    fn shingle_overlap() {
        let gold = shingles("The council voted on Tuesday to approve the budget");
        let same = shingles("the council voted on tuesday, to approve the budget!");
        assert_eq!(shingle_prf(&same, &gold).2, 1.0);
        let half = shingles("The council voted on Tuesday");
        let (p, r, _) = shingle_prf(&half, &gold);
        assert_eq!(p, 1.0);
        assert!(r < 0.5);
    }

    #[test]
    fn confusion_counts() {
        let mut c = Confusion::default();
        c.add(true, true, 1.0);
        c.add(true, false, 1.0);
        c.add(false, true, 2.0);
        assert_eq!(c.precision(), 0.5);
        assert!((c.recall() - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn calibration_error_is_zero_when_probabilities_match_the_outcomes() {
        let matched: Vec<(f64, bool)> = (0..20).map(|i| (0.25, i % 4 == 0)).collect();
        assert!(expected_calibration_error(&matched) < 1e-9);
        let off: Vec<(f64, bool)> = (0..20).map(|i| (0.9, i % 4 == 0)).collect();
        assert!((expected_calibration_error(&off) - 0.65).abs() < 1e-9);
    }
}
