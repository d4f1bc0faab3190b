//! Per-source review: one row per source of the run (records, mean scores, verdict shares,
//! share of rewrites, most frequent evidence), what an editor sorts first in a spreadsheet.
//!
//! A source costs a fixed amount of memory, whatever its records: sums and counts, and the
//! evidence items in a Misra-Gries summary of [`EVIDENCE_SLOTS`] counters, which is exact
//! while a source shows no more distinct items than that and otherwise keeps every item
//! that makes up more than 1/[`EVIDENCE_SLOTS`] of its evidence.

use std::collections::{BTreeMap, HashMap};

use crate::score::Verdict;

/// Distinct evidence items counted per source.
pub const EVIDENCE_SLOTS: usize = 32;
/// Evidence items listed per source.
pub const EVIDENCE_LISTED: usize = 5;

/// The header of the per-source CSV.
pub const SOURCES_HEADER: [&str; 15] = [
    "source",
    "records",
    "paywall",
    "widget",
    "filler",
    "framing",
    "repetition",
    "boilerplate_share",
    "credibility",
    "keep_share",
    "review_share",
    "drop_share",
    "rewrite_share",
    "words",
    "top_evidence",
];

/// The scores of one record that a source's row averages, in the order of the header.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecordScores {
    pub paywall: f32,
    pub widget: f32,
    pub filler: f32,
    pub framing: f32,
    pub repetition: f32,
    pub boilerplate_share: f32,
    pub credibility: f32,
}

impl RecordScores {
    fn as_array(&self) -> [f32; 7] {
        [
            self.paywall,
            self.widget,
            self.filler,
            self.framing,
            self.repetition,
            self.boilerplate_share,
            self.credibility,
        ]
    }
}

/// What one source has added up to.
#[derive(Debug, Clone, Default)]
struct Tally {
    records: u64,
    words: u64,
    sums: [f64; 7],
    verdicts: [u64; 3],
    rewrites: u64,
    evidence: HashMap<String, u64>,
}

impl Tally {
    fn add_evidence(&mut self, item: &str) {
        if let Some(count) = self.evidence.get_mut(item) {
            *count += 1;
        } else if self.evidence.len() < EVIDENCE_SLOTS {
            self.evidence.insert(item.to_string(), 1);
        } else {
            self.evidence.retain(|_, count| {
                *count -= 1;
                *count > 0
            });
        }
    }
}

/// The tallies of every source seen, in source order.
#[derive(Debug, Clone, Default)]
pub struct SourceReport {
    sources: BTreeMap<String, Tally>,
}

impl SourceReport {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one scored record.
    pub fn add(
        &mut self,
        source: &str,
        words: usize,
        scores: RecordScores,
        verdict: Verdict,
        rewrite: bool,
        evidence: &[String],
    ) {
        let tally = match self.sources.get_mut(source) {
            Some(tally) => tally,
            None => self.sources.entry(source.to_string()).or_default(),
        };
        tally.records += 1;
        tally.words += words as u64;
        for (sum, value) in tally.sums.iter_mut().zip(scores.as_array()) {
            *sum += f64::from(value);
        }
        tally.verdicts[verdict as usize] += 1;
        tally.rewrites += u64::from(rewrite);
        for item in evidence {
            tally.add_evidence(item);
        }
    }

    /// Sources seen.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// One row per source, as text in the order of [`SOURCES_HEADER`]; an unknown source is
    /// the empty string, first.
    pub fn rows(&self) -> impl Iterator<Item = [String; 15]> + '_ {
        self.sources.iter().map(|(source, tally)| {
            let records = tally.records.max(1) as f64;
            let mean = |i: usize| format!("{:.3}", tally.sums[i] / records);
            let share = |n: u64| format!("{:.3}", n as f64 / records);
            let mut evidence: Vec<(&String, &u64)> = tally.evidence.iter().collect();
            evidence.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let top: Vec<String> =
                evidence.iter().take(EVIDENCE_LISTED).map(|(item, count)| format!("{item} ({count})")).collect();
            [
                source.clone(),
                tally.records.to_string(),
                mean(0),
                mean(1),
                mean(2),
                mean(3),
                mean(4),
                mean(5),
                mean(6),
                share(tally.verdicts[Verdict::Keep as usize]),
                share(tally.verdicts[Verdict::Review as usize]),
                share(tally.verdicts[Verdict::Drop as usize]),
                share(tally.rewrites),
                tally.words.to_string(),
                top.join(" | "),
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(widget: f32, credibility: f32) -> RecordScores {
        RecordScores { widget, credibility, ..RecordScores::default() }
    }

    #[test]
    fn rows_average_scores_and_share_verdicts_per_source() {
        let mut report = SourceReport::new();
        let share = vec!["widget:Share this".to_string()];
        report.add("b.org", 100, scores(1.0, 0.2), Verdict::Drop, true, &share);
        report.add("a.com", 50, scores(0.0, 0.9), Verdict::Keep, false, &[]);
        report.add("b.org", 300, scores(0.5, 0.6), Verdict::Keep, false, &share);
        let rows: Vec<[String; 15]> = report.rows().collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][0], "a.com");
        let b = &rows[1];
        assert_eq!(&b[..4], ["b.org", "2", "0.000", "0.750"]);
        assert_eq!(b[8], "0.400");
        assert_eq!((&b[9][..], &b[10][..], &b[11][..], &b[12][..]), ("0.500", "0.000", "0.500", "0.500"));
        assert_eq!(b[13], "400");
        assert_eq!(b[14], "widget:Share this (2)");
    }

    #[test]
    fn evidence_memory_is_bounded_and_keeps_the_frequent_item() {
        let mut report = SourceReport::new();
        for i in 0..1000 {
            let items = vec!["paywall:Subscribe now".to_string(), format!("widget:one-off {i}")];
            report.add("s", 10, RecordScores::default(), Verdict::Review, false, &items);
        }
        assert!(report.sources["s"].evidence.len() <= EVIDENCE_SLOTS);
        let row = report.rows().next().unwrap();
        assert!(row[14].starts_with("paywall:Subscribe now ("), "{}", row[14]);
    }
}
