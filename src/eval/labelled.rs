//! Labelled JSONL sets (../shared/eval): line-labelled pages (`line_labels`, `gold_body`) are
//! scored as the article-extraction benchmark scores extractors; records with
//! `labels.<signal>` booleans are scored by AUROC and F1 of that column.
use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::metrics::{Confusion, auroc, best_threshold, expected_calibration_error, harmonic, shingle_prf, shingles};
use crate::error::{Error, Result};
use crate::input::{InputFile, InputOptions, read_file};
use crate::model::{Category, LineLabel};
use crate::record::Record;
use crate::score::Scorer;

/// Reads every record of a labelled JSONL file; a record that cannot be read is an error here.
pub fn load(path: &Path) -> Result<Vec<Record>> {
    let file = InputFile { path: path.to_path_buf(), id: path.display().to_string() };
    let mut records = Vec::new();
    let mut failure = None;
    read_file(&file, &InputOptions::default(), &mut |item| match item {
        Ok(record) => {
            records.push(record);
            true
        }
        Err(e) => {
            failure = Some(e);
            false
        }
    });
    match failure {
        Some(error) => Err(error),
        None => Ok(records),
    }
}

/// One page's line-level outcome.
#[derive(Debug, Clone, Serialize)]
pub struct PageResult {
    pub id: String,
    pub url: String,
    pub shingle_precision: f64,
    pub shingle_recall: f64,
    pub shingle_f1: f64,
    pub line_accuracy: f64,
    pub labelled_lines: usize,
    /// Per line of the text (split on '\n'), whether it was labelled boilerplate.
    #[serde(skip)]
    pub predicted: Vec<bool>,
}

/// Line-labelled evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct LineReport {
    pub file: String,
    pub pages: usize,
    pub labelled_lines: usize,
    /// `boilerplate` as the positive class, counted by lines.
    pub by_lines: Confusion,
    /// The same, each line weighted by its length in characters.
    pub by_chars: Confusion,
    /// Pages with a gold body; the shingle figures average over them.
    pub pages_with_gold: usize,
    pub shingle_precision: f64,
    pub shingle_recall: f64,
    pub shingle_f1: f64,
    /// The same F1 for the unchanged text: what doing nothing scores.
    pub unchanged_shingle_f1: f64,
    pub worst: Vec<PageResult>,
    /// Every page, in input order, with its predicted lines (for `residue fit --held-out`).
    #[serde(skip)]
    pub all_pages: Vec<PageResult>,
}

/// Keeps the `worst` pages, worst first: by shingle F1 where the pages have a gold body,
/// else by line accuracy among pages with labelled lines.
pub fn keep_worst(pages: &mut Vec<PageResult>, by_shingles: bool, worst: usize) {
    if by_shingles {
        pages.sort_by(|a, b| a.shingle_f1.total_cmp(&b.shingle_f1));
    } else {
        pages.retain(|p| p.labelled_lines > 0);
        pages.sort_by(|a, b| a.line_accuracy.total_cmp(&b.line_accuracy));
    }
    pages.truncate(worst);
}

/// Predicted boilerplate lines of one page: paywall and widget labels (what `clean` removes).
pub fn predicted_boilerplate(scorer: &Scorer, text: &str) -> (Vec<bool>, String) {
    let assessment = scorer.assess(text);
    let predicted = assessment.labels.labels.iter().map(|l| l.is_boilerplate()).collect();
    (predicted, assessment.cleaned_text(&[LineLabel::Paywall, LineLabel::Widget]))
}

/// The human-extracted article of a line-labelled page, when the set has one.
pub fn gold_body(record: &Record) -> Option<&str> {
    record.fields.as_ref().and_then(|f| f.get("gold_body")).and_then(Value::as_str)
}

/// The labels of a record's lines: `Some(true)` boilerplate, `Some(false)` content, `None` unlabelled.
pub fn line_labels(record: &Record) -> Vec<Option<bool>> {
    let Some(Value::Array(labels)) = record.fields.as_ref().and_then(|f| f.get("line_labels")) else {
        return Vec::new();
    };
    labels
        .iter()
        .map(|l| match l.as_str() {
            Some("boilerplate") => Some(true),
            Some("content") => Some(false),
            _ => None,
        })
        .collect()
}

/// A page's result, its line confusions (by lines, by chars) and its shingle figures
/// (precision, recall, F1, F1 of the unchanged text).
type PageOutcome = (PageResult, Confusion, Confusion, Option<(f64, f64, f64, f64)>);

pub fn evaluate_lines(scorer: &Scorer, path: &Path, records: &[Record], worst: usize) -> LineReport {
    let pages: Vec<PageOutcome> = records
        .par_iter()
        .map(|record| {
            let labels = line_labels(record);
            let (predicted, cleaned) = predicted_boilerplate(scorer, &record.text);
            let mut by_lines = Confusion::default();
            let mut by_chars = Confusion::default();
            // Lines are split the same way on both sides: on '\n'.
            for (index, line) in record.text.split('\n').enumerate() {
                let (Some(Some(actual)), Some(&guess)) = (labels.get(index), predicted.get(index)) else { continue };
                by_lines.add(guess, *actual, 1.0);
                by_chars.add(guess, *actual, line.trim().chars().count() as f64);
            }
            let shingle = gold_body(record).map(|gold| {
                let gold = shingles(gold);
                let (p, r, f) = shingle_prf(&shingles(&cleaned), &gold);
                let unchanged = shingle_prf(&shingles(&record.text), &gold).2;
                (p, r, f, unchanged)
            });
            let url = record.fields.as_ref().and_then(|f| f.get("url")).and_then(Value::as_str).unwrap_or("");
            let page = PageResult {
                id: record.id.clone(),
                url: url.to_string(),
                shingle_precision: shingle.map_or(f64::NAN, |s| s.0),
                shingle_recall: shingle.map_or(f64::NAN, |s| s.1),
                shingle_f1: shingle.map_or(f64::NAN, |s| s.2),
                line_accuracy: by_lines.accuracy(),
                labelled_lines: (by_lines.true_positive
                    + by_lines.false_positive
                    + by_lines.false_negative
                    + by_lines.true_negative) as usize,
                predicted,
            };
            (page, by_lines, by_chars, shingle)
        })
        .collect();

    let mut by_lines = Confusion::default();
    let mut by_chars = Confusion::default();
    let mut sums = [0.0; 4];
    let mut with_gold = 0;
    for (_, lines, chars, shingle) in &pages {
        by_lines.merge(lines);
        by_chars.merge(chars);
        if let Some((p, r, f, u)) = shingle {
            with_gold += 1;
            sums[0] += p;
            sums[1] += r;
            sums[2] += f;
            sums[3] += u;
        }
    }
    let mean = |sum: f64| if with_gold > 0 { sum / with_gold as f64 } else { f64::NAN };
    let all_pages: Vec<PageResult> = pages.into_iter().map(|(page, ..)| page).collect();
    let mut ranked = all_pages.clone();
    keep_worst(&mut ranked, with_gold > 0, worst);
    LineReport {
        file: path.display().to_string(),
        pages: records.len(),
        labelled_lines: (by_lines.true_positive
            + by_lines.false_positive
            + by_lines.false_negative
            + by_lines.true_negative) as usize,
        by_lines,
        by_chars,
        pages_with_gold: with_gold,
        shingle_precision: mean(sums[0]),
        shingle_recall: mean(sums[1]),
        shingle_f1: mean(sums[2]),
        unchanged_shingle_f1: mean(sums[3]),
        worst: ranked,
        all_pages,
    }
}

/// Figures of one score column against boolean labels.
#[derive(Debug, Clone, Serialize)]
pub struct SignalFigures {
    pub group: String,
    pub positives: usize,
    pub negatives: usize,
    pub auroc: Option<f64>,
    pub precision_at_half: f64,
    pub recall_at_half: f64,
    pub f1_at_half: f64,
    /// Mean of the F1 of each class at 0.5 (balanced sets).
    pub macro_f1_at_half: f64,
    pub best_threshold: f64,
    pub best_f1: f64,
    /// Expected calibration error: how far the scores are from the share of positives at them.
    pub ece: f64,
}

/// Signal evaluation: one set of figures per signal, overall and per group.
#[derive(Debug, Clone, Serialize)]
pub struct SignalReport {
    pub file: String,
    pub records: usize,
    pub signals: BTreeMap<String, Vec<SignalFigures>>,
}

/// The group of a record for per-group figures: for pairs (`pair_id`), the generator of the
/// pair's machine half, so each generator's texts are compared with their own human halves.
fn groups(records: &[Record]) -> Vec<Option<String>> {
    let field = |r: &Record, name: &str| {
        r.fields.as_ref().and_then(|f| f.get(name)).and_then(Value::as_str).map(str::to_string)
    };
    let mut machine_of_pair: BTreeMap<String, String> = BTreeMap::new();
    for record in records {
        if let (Some(pair), Some(generator)) = (field(record, "pair_id"), field(record, "generator"))
            && generator != "human"
        {
            machine_of_pair.insert(pair, generator);
        }
    }
    records
        .iter()
        .map(|r| match field(r, "pair_id") {
            Some(pair) => machine_of_pair.get(&pair).cloned(),
            None => field(r, "generator"),
        })
        .collect()
}

pub fn evaluate_signals(scorer: &Scorer, path: &Path, records: &[Record]) -> Result<SignalReport> {
    let scores: Vec<crate::score::Scores> = records.par_iter().map(|r| scorer.assess(&r.text).scores).collect();
    let groups = groups(records);
    let mut names: Vec<String> = Vec::new();
    for record in records {
        if let Some(Value::Object(labels)) = record.fields.as_ref().and_then(|f| f.get("labels")) {
            for name in labels.keys() {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
        }
    }
    let mut signals = BTreeMap::new();
    for name in names {
        let category = Category::of_score_column(&name)
            .ok_or_else(|| Error::Usage(format!("{}: labels.{name} names no score column", path.display())))?;
        let mut all = Vec::new();
        let mut by_group: BTreeMap<String, Vec<(f64, bool)>> = BTreeMap::new();
        for (index, record) in records.iter().enumerate() {
            let label = record
                .fields
                .as_ref()
                .and_then(|f| f.get("labels"))
                .and_then(|l| l.get(&name))
                .and_then(Value::as_bool);
            let Some(label) = label else { continue };
            let score = f64::from(scores[index].get(category).unwrap_or(0.0));
            all.push((score, label));
            if let Some(group) = &groups[index] {
                by_group.entry(group.clone()).or_default().push((score, label));
            }
        }
        let mut figures = vec![figures_of("all", &all)];
        figures.extend(by_group.iter().map(|(group, scored)| figures_of(group, scored)));
        signals.insert(name, figures);
    }
    Ok(SignalReport { file: path.display().to_string(), records: records.len(), signals })
}

pub fn figures_of(group: &str, scored: &[(f64, bool)]) -> SignalFigures {
    let mut positive = Confusion::default();
    for (score, label) in scored {
        positive.add(*score >= 0.5, *label, 1.0);
    }
    let negative_f1 = harmonic(
        if positive.true_negative + positive.false_negative > 0.0 {
            positive.true_negative / (positive.true_negative + positive.false_negative)
        } else {
            0.0
        },
        if positive.true_negative + positive.false_positive > 0.0 {
            positive.true_negative / (positive.true_negative + positive.false_positive)
        } else {
            0.0
        },
    );
    let (threshold, best) = best_threshold(scored);
    SignalFigures {
        group: group.to_string(),
        positives: scored.iter().filter(|(_, l)| *l).count(),
        negatives: scored.iter().filter(|(_, l)| !*l).count(),
        auroc: auroc(scored),
        precision_at_half: positive.precision(),
        recall_at_half: positive.recall(),
        f1_at_half: positive.f1(),
        macro_f1_at_half: (positive.f1() + negative_f1) / 2.0,
        best_threshold: threshold,
        best_f1: best,
        ece: expected_calibration_error(scored),
    }
}
