//! `residue fit`: fits the line classifier (a logistic regression over the features of
//! `lines`) on line-labelled pages, reports k-fold cross-validated figures (folds by page:
//! a page's lines are never split between training and test), then fits on every page.
// Feature vectors are fixed-size arrays walked in step; index loops read best here.
#![allow(clippy::needless_range_loop)]

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::error::Result;
use crate::eval::labelled::{self, LineReport, line_labels};
use crate::eval::metrics::Confusion;
use crate::lines::{FEATURE_NAMES, FEATURES, FeatureWeight, LineFeatures, LineModel};
use crate::model::Model;
use crate::record::Record;
use crate::score::Scorer;

/// One labelled line.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub features: LineFeatures,
    pub boilerplate: bool,
    /// Long lines matter more than short ones: the shingle metric counts their words.
    pub weight: f32,
}

/// A labelled page set.
pub struct PageSet {
    pub path: PathBuf,
    pub records: Vec<Record>,
    /// Per page, its labelled lines as examples.
    pub examples: Vec<Vec<Example>>,
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct FitOptions {
    pub folds: usize,
    pub iterations: usize,
    pub l2: f32,
    pub threshold: f32,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions { folds: 5, iterations: 400, l2: 1e-3, threshold: 0.5 }
    }
}

/// Loads a line-labelled JSONL file and computes every labelled line's features.
pub fn load_pages(scorer: &Scorer, path: &std::path::Path) -> Result<PageSet> {
    let records = labelled::load(path)?;
    let examples = records
        .par_iter()
        .map(|record| {
            let labels = line_labels(record);
            let (analysis, features) = scorer.line_features(&record.text);
            let mut page = Vec::new();
            for (index, features) in features.iter().enumerate() {
                if let (Some(features), Some(Some(boilerplate))) = (features, labels.get(index)) {
                    let chars = analysis.line_text(index).trim().chars().count() as f32;
                    page.push(Example {
                        features: *features,
                        boilerplate: *boilerplate,
                        weight: 1.0 + (1.0 + chars).ln(),
                    });
                }
            }
            page
        })
        .collect();
    Ok(PageSet { path: path.to_path_buf(), records, examples })
}

/// The fold of a page: from a hash of its id, so folds do not depend on file order.
pub fn fold_of(id: &str, folds: usize) -> usize {
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    (hasher.finish() % folds as u64) as usize
}

/// Fits a logistic regression by full-batch gradient descent (Adam) on standardised features.
pub fn train(examples: &[Example], options: &FitOptions, fitted: String) -> LineModel {
    let n = examples.len().max(1) as f32;
    let mut mean = [0f32; FEATURES];
    let mut std = [0f32; FEATURES];
    for e in examples {
        for k in 0..FEATURES {
            mean[k] += e.features[k] / n;
        }
    }
    for e in examples {
        for k in 0..FEATURES {
            std[k] += (e.features[k] - mean[k]).powi(2) / n;
        }
    }
    for s in &mut std {
        *s = s.sqrt().max(1e-3);
    }
    let standardised: Vec<([f32; FEATURES], f32, f32)> = examples
        .iter()
        .map(|e| {
            let mut x = [0f32; FEATURES];
            for k in 0..FEATURES {
                x[k] = (e.features[k] - mean[k]) / std[k];
            }
            (x, f32::from(u8::from(e.boilerplate)), e.weight)
        })
        .collect();
    let total_weight: f32 = standardised.iter().map(|(_, _, w)| w).sum::<f32>().max(1e-6);

    let mut weights = [0f32; FEATURES + 1]; // the last one is the bias
    let (mut m, mut v) = ([0f32; FEATURES + 1], [0f32; FEATURES + 1]);
    let (rate, beta1, beta2) = (0.05f32, 0.9f32, 0.999f32);
    for step in 1..=options.iterations {
        let gradient = standardised
            .par_chunks(4096)
            .map(|chunk| {
                let mut g = [0f32; FEATURES + 1];
                for (x, y, w) in chunk {
                    let mut z = weights[FEATURES];
                    for k in 0..FEATURES {
                        z += weights[k] * x[k];
                    }
                    let error = (1.0 / (1.0 + (-z).exp()) - y) * w;
                    for k in 0..FEATURES {
                        g[k] += error * x[k];
                    }
                    g[FEATURES] += error;
                }
                g
            })
            .reduce(
                || [0f32; FEATURES + 1],
                |mut a, b| {
                    for k in 0..=FEATURES {
                        a[k] += b[k];
                    }
                    a
                },
            );
        for k in 0..=FEATURES {
            let regularisation = if k < FEATURES { options.l2 * weights[k] } else { 0.0 };
            let g = gradient[k] / total_weight + regularisation;
            m[k] = beta1 * m[k] + (1.0 - beta1) * g;
            v[k] = beta2 * v[k] + (1.0 - beta2) * g * g;
            let m_hat = m[k] / (1.0 - beta1.powi(step as i32));
            let v_hat = v[k] / (1.0 - beta2.powi(step as i32));
            weights[k] -= rate * m_hat / (v_hat.sqrt() + 1e-8);
        }
    }
    LineModel {
        fitted,
        threshold: options.threshold,
        bias: weights[FEATURES],
        feature: (0..FEATURES)
            .map(|k| FeatureWeight {
                name: FEATURE_NAMES[k].to_string(),
                mean: mean[k],
                std: std[k],
                weight: weights[k],
            })
            .collect(),
    }
}

/// Cross-validated figures of one page set.
pub struct CrossValidated {
    pub path: PathBuf,
    pub pages: usize,
    pub by_lines: Confusion,
    pub by_chars: Confusion,
    pub pages_with_gold: usize,
    pub shingle_f1: f64,
    pub shingle_precision: f64,
    pub shingle_recall: f64,
}

/// k-fold cross-validation by page over all sets together; figures per set.
pub fn cross_validate(model: &Model, sets: &[PageSet], options: &FitOptions) -> Result<Vec<CrossValidated>> {
    let mut results: Vec<CrossValidated> = sets
        .iter()
        .map(|s| CrossValidated {
            path: s.path.clone(),
            pages: s.records.len(),
            by_lines: Confusion::default(),
            by_chars: Confusion::default(),
            pages_with_gold: 0,
            shingle_f1: 0.0,
            shingle_precision: 0.0,
            shingle_recall: 0.0,
        })
        .collect();
    for fold in 0..options.folds {
        let training: Vec<Example> = sets
            .iter()
            .flat_map(|s| s.records.iter().zip(&s.examples))
            .filter(|(record, _)| fold_of(&record.id, options.folds) != fold)
            .flat_map(|(_, page)| page.iter().copied())
            .collect();
        let fold_model = train(&training, options, String::new());
        let scorer = Scorer::new(model.clone())?.with_line_model(Some(fold_model));
        for (set, result) in sets.iter().zip(&mut results) {
            let held_out: Vec<Record> =
                set.records.iter().filter(|r| fold_of(&r.id, options.folds) == fold).cloned().collect();
            let report: LineReport = labelled::evaluate_lines(&scorer, &set.path, &held_out, 0);
            add(&mut result.by_lines, &report.by_lines);
            add(&mut result.by_chars, &report.by_chars);
            if report.pages_with_gold > 0 {
                let k = report.pages_with_gold as f64;
                result.pages_with_gold += report.pages_with_gold;
                result.shingle_f1 += report.shingle_f1 * k;
                result.shingle_precision += report.shingle_precision * k;
                result.shingle_recall += report.shingle_recall * k;
            }
        }
    }
    for result in &mut results {
        if result.pages_with_gold > 0 {
            let k = result.pages_with_gold as f64;
            result.shingle_f1 /= k;
            result.shingle_precision /= k;
            result.shingle_recall /= k;
        }
    }
    Ok(results)
}

fn add(total: &mut Confusion, part: &Confusion) {
    total.true_positive += part.true_positive;
    total.false_positive += part.false_positive;
    total.false_negative += part.false_negative;
    total.true_negative += part.true_negative;
}

impl CrossValidated {
    /// One paragraph for a person (and for the `fitted` note of `lines.toml`).
    pub fn summary(&self, folds: usize) -> String {
        let mut text = format!(
            "{} ({} pages, {folds}-fold by page): boilerplate by lines P {:.3} R {:.3} F1 {:.3} accuracy {:.3}; by chars P {:.3} R {:.3} F1 {:.3}",
            self.path.display(),
            self.pages,
            self.by_lines.precision(),
            self.by_lines.recall(),
            self.by_lines.f1(),
            self.by_lines.accuracy(),
            self.by_chars.precision(),
            self.by_chars.recall(),
            self.by_chars.f1()
        );
        if self.pages_with_gold > 0 {
            text.push_str(&format!(
                "; shingle P {:.3} R {:.3} F1 {:.3}",
                self.shingle_precision, self.shingle_recall, self.shingle_f1
            ));
        }
        text
    }
}
