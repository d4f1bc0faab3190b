//! `residue fit`: fits the line classifier (two stages of gradient-boosted trees, see
//! `line_model`) on line-labelled pages, reports k-fold cross-validated figures (folds by
//! page: a page's lines are never split between training and test; the second stage's
//! out-of-fold inputs come from an inner k-fold inside each outer fold's training pages), then
//! fits on every page. Also fits the stylometric filler model on labelled pairs.
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::error::Result;
use crate::eval::labelled::{self, LineReport, line_labels};
use crate::eval::metrics::Confusion;
use crate::line_model::{LineModel, SecondFeatures, first_probabilities, second_feature_names, second_inputs};
use crate::lines::{FEATURE_NAMES, LineFeatures};
use crate::model::Model;
use crate::record::Record;
use crate::score::Scorer;
use crate::trees::{self, Sample, TreeEnsemble, TreeOptions};

/// One page's lines as the classifier reads them.
pub struct PageLines {
    pub id: String,
    /// Every line's features (`None` for blank lines).
    pub features: Vec<Option<LineFeatures>>,
    /// Every line's label: `Some(true)` boilerplate, `Some(false)` content, `None` unlabelled.
    pub labels: Vec<Option<bool>>,
    /// Every line's weight as an example. Long lines matter more than short ones: the
    /// shingle metric counts their words.
    pub weights: Vec<f32>,
    /// The page's article alone (its `gold_body`), a training example only.
    pub article_copy: bool,
}

impl PageLines {
    /// The labelled lines with features, as training samples over `inputs` (the first
    /// stage's features, or the second's).
    fn samples<'a, const N: usize>(
        &'a self,
        inputs: &'a [Option<[f32; N]>],
    ) -> impl Iterator<Item = trees::Sample<'a>> {
        inputs
            .iter()
            .zip(&self.labels)
            .zip(&self.weights)
            .filter_map(|((x, label), &weight)| Some(Sample { features: x.as_ref()?, positive: (*label)?, weight }))
    }

    /// The summed weight of the labelled lines.
    fn labelled_weight(&self) -> f32 {
        self.weights.iter().zip(&self.labels).filter(|(_, l)| l.is_some()).map(|(w, _)| w).sum()
    }

    /// How many lines are labelled and have features.
    pub fn labelled(&self) -> usize {
        self.features.iter().zip(&self.labels).filter(|(f, l)| f.is_some() && l.is_some()).count()
    }
}

/// A labelled page set.
pub struct PageSet {
    pub path: PathBuf,
    pub records: Vec<Record>,
    /// Per page, its lines' features and labels.
    pub pages: Vec<PageLines>,
}

/// The line classifier's default decision threshold: over fold seeds 0 to 3, 0.4 gave AEB's
/// best shingle F1 among 0.3 to 0.6 (by characters, 0.5 kept more boilerplate than it dropped
/// content) and left trafilatura's line accuracy where 0.5 had it.
pub const LINE_THRESHOLD: f32 = 0.4;

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct FitOptions {
    pub folds: usize,
    /// Deals pages (or pairs) into folds differently; 0 is the default assignment.
    pub fold_seed: u64,
    pub threshold: f32,
    /// The boosting of both models (line classifier, filler style): trees, their depth, the
    /// learning rate.
    pub trees: usize,
    pub depth: usize,
    pub learning_rate: f32,
    /// Fit the line classifier's second (stacked) stage.
    pub stacked: bool,
    /// Held-out pages to list, worst first (line-labelled sets).
    pub worst: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        let trees = TreeOptions::default();
        FitOptions {
            folds: 5,
            fold_seed: 0,
            threshold: LINE_THRESHOLD,
            trees: trees.trees,
            depth: trees.depth,
            learning_rate: trees.learning_rate,
            stacked: true,
            worst: 0,
        }
    }
}

/// Loads a line-labelled JSONL file and computes every line's features. With an
/// `article_weight` above 0, each page that has a `gold_body` is followed by a copy made of
/// the article alone, every line content, its lines weighing `article_weight` of an average
/// page's: scraped text often comes extracted already, and a last paragraph must not be
/// dropped for sitting where footers sit. The copy keeps its page's id, so it always falls
/// in its page's fold.
pub fn load_pages(scorer: &Scorer, path: &std::path::Path, article_weight: f32) -> Result<PageSet> {
    let records = labelled::load(path)?;
    let page_of = |id: &str, text: &str, labels: Option<Vec<Option<bool>>>| {
        let (analysis, features) = scorer.line_features(text);
        let mut labels = labels.unwrap_or_else(|| features.iter().map(|f| f.as_ref().map(|_| false)).collect());
        labels.resize(features.len(), None);
        let weights = (0..features.len())
            .map(|i| 1.0 + (1.0 + analysis.line_text(i).trim().chars().count() as f32).ln())
            .collect();
        PageLines { id: id.to_string(), features, labels, weights, article_copy: false }
    };
    let mut pages: Vec<PageLines> = records
        .par_iter()
        .flat_map_iter(|record| {
            let page = page_of(&record.id, &record.text, Some(line_labels(record)));
            let copy = labelled::gold_body(record)
                .filter(|_| article_weight > 0.0)
                .map(|gold| PageLines { article_copy: true, ..page_of(&record.id, gold, None) });
            std::iter::once(page).chain(copy)
        })
        .collect();
    equalise_page_weights(&mut pages);
    for page in pages.iter_mut().filter(|p| p.article_copy) {
        page.weights.iter_mut().for_each(|w| *w *= article_weight);
    }
    Ok(PageSet { path: path.to_path_buf(), records, pages })
}

/// Scales each page's weights so that its labelled lines weigh as much in all as an average
/// page's of the set: the shingle figure is a mean over pages, and a page of 300 labelled
/// lines should not count ten times one of 30. (Over four splits of the folds this moved the
/// 5-fold AEB figure by +0.002 and trafilatura's by +0.005 on average.)
fn equalise_page_weights(pages: &mut [PageLines]) {
    let totals: Vec<f32> = pages.iter().map(PageLines::labelled_weight).collect();
    let labelled = totals.iter().filter(|&&t| t > 0.0).count();
    let mean = totals.iter().sum::<f32>() / labelled.max(1) as f32;
    for (page, &total) in pages.iter_mut().zip(&totals) {
        if total > 0.0 {
            page.weights.iter_mut().for_each(|w| *w *= mean / total);
        }
    }
}

/// The fold of a page: from a hash of its id, so folds do not depend on file order. Seed 0
/// is the default assignment; another seed deals the pages into other folds.
pub fn fold_of(id: &str, folds: usize, seed: u64) -> usize {
    if seed == 0 { fold_by_hash(id, folds) } else { fold_by_hash((seed, id), folds) }
}

/// The fold of a page when fitting the second stage: independent of [`fold_of`], so that
/// inside one outer fold's training pages the inner folds (almost surely) all hold pages.
fn inner_fold_of(id: &str, folds: usize, seed: u64) -> usize {
    fold_by_hash((seed, "inner", id), folds)
}

/// One of `folds` folds, from a hash of `key`.
fn fold_by_hash(key: impl Hash, folds: usize) -> usize {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    (hasher.finish() % folds as u64) as usize
}

/// Fits one ensemble (a line-classifier stage, the filler model) on `samples` with the
/// options' boosting settings.
fn train_stage(samples: &[trees::Sample], names: &[&str], options: &FitOptions, fitted: String) -> TreeEnsemble {
    let settings = TreeOptions {
        trees: options.trees,
        depth: options.depth,
        learning_rate: options.learning_rate,
        threshold: options.threshold,
        ..TreeOptions::default()
    };
    trees::train(samples, names, &settings, fitted)
}

/// Fits the first stage on these pages.
fn train_first(pages: &[&PageLines], options: &FitOptions) -> TreeEnsemble {
    let samples: Vec<trees::Sample> = pages.iter().flat_map(|p| p.samples(&p.features)).collect();
    train_stage(&samples, &FEATURE_NAMES, options, String::new())
}

/// Fits the line classifier on these pages: the first stage on all of them, and (when
/// stacked) the second stage on the first stage's out-of-fold probabilities, each page read
/// by a first stage fitted without it.
pub fn train(pages: &[&PageLines], options: &FitOptions, fitted: String) -> LineModel {
    let folds = options.folds.max(2);
    // The first stage on every page, and (when stacked) one leaving out each inner fold.
    let (first, stages) = rayon::join(
        || train_first(pages, options),
        || {
            let inner = if options.stacked { folds } else { 0 };
            (0..inner)
                .into_par_iter()
                .map(|g| {
                    let training: Vec<&PageLines> =
                        pages.iter().copied().filter(|p| inner_fold_of(&p.id, folds, options.fold_seed) != g).collect();
                    train_first(&training, options)
                })
                .collect::<Vec<_>>()
        },
    );
    let second = options.stacked.then(|| {
        let inputs: Vec<Vec<Option<SecondFeatures>>> = pages
            .par_iter()
            .map(|p| {
                let held_out =
                    first_probabilities(&stages[inner_fold_of(&p.id, folds, options.fold_seed)], &p.features);
                second_inputs(&p.features, &held_out)
            })
            .collect();
        let samples: Vec<trees::Sample> = pages.iter().zip(&inputs).flat_map(|(p, x)| p.samples(x)).collect();
        train_stage(&samples, &second_feature_names(), options, String::new())
    });
    LineModel { fitted, first, second }
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
    /// The worst pages, each scored by the fold that held it out.
    pub worst: Vec<labelled::PageResult>,
    /// Every page with its held-out line predictions, in the order of the set's records.
    pub held_out: Vec<labelled::PageResult>,
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
            worst: Vec::new(),
            held_out: Vec::new(),
        })
        .collect();
    // Each page's held-out result, at its position in its set.
    let mut held_out_pages: Vec<Vec<Option<labelled::PageResult>>> =
        sets.iter().map(|s| vec![None; s.records.len()]).collect();
    for fold in 0..options.folds {
        let training: Vec<&PageLines> = sets
            .iter()
            .flat_map(|s| &s.pages)
            .filter(|p| fold_of(&p.id, options.folds, options.fold_seed) != fold)
            .collect();
        let fold_model = train(&training, options, String::new());
        let scorer = Scorer::new(model.clone())?.with_line_model(Some(fold_model));
        for ((set, result), slots) in sets.iter().zip(&mut results).zip(&mut held_out_pages) {
            let (positions, held_out): (Vec<usize>, Vec<Record>) = set
                .records
                .iter()
                .enumerate()
                .filter(|(_, r)| fold_of(&r.id, options.folds, options.fold_seed) == fold)
                .map(|(i, r)| (i, r.clone()))
                .unzip();
            let report: LineReport = labelled::evaluate_lines(&scorer, &set.path, &held_out, options.worst);
            result.worst.extend(report.worst);
            for (position, page) in positions.into_iter().zip(report.all_pages) {
                slots[position] = Some(page);
            }
            result.by_lines.merge(&report.by_lines);
            result.by_chars.merge(&report.by_chars);
            if report.pages_with_gold > 0 {
                let k = report.pages_with_gold as f64;
                result.pages_with_gold += report.pages_with_gold;
                result.shingle_f1 += report.shingle_f1 * k;
                result.shingle_precision += report.shingle_precision * k;
                result.shingle_recall += report.shingle_recall * k;
            }
        }
    }
    for (result, slots) in results.iter_mut().zip(held_out_pages) {
        // Every page is in exactly one fold, so every slot is filled.
        result.held_out = slots.into_iter().flatten().collect();
        labelled::keep_worst(&mut result.worst, result.pages_with_gold > 0, options.worst);
        if result.pages_with_gold > 0 {
            let k = result.pages_with_gold as f64;
            result.shingle_f1 /= k;
            result.shingle_precision /= k;
            result.shingle_recall /= k;
        }
    }
    Ok(results)
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

    /// The held-out labels as JSONL, one object a page: its id, address, shingle F1 and each
    /// line's gold and held-out label, for reading where the classifier goes wrong.
    pub fn held_out_jsonl(&self, set: &PageSet, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let name = |label: Option<bool>| label.map(|b| if b { "boilerplate" } else { "content" });
        for (record, page) in set.records.iter().zip(&self.held_out) {
            let gold = line_labels(record);
            let lines: Vec<serde_json::Value> = record
                .text
                .split('\n')
                .enumerate()
                .map(|(i, text)| {
                    serde_json::json!({
                        "line": i + 1,
                        "gold": name(gold.get(i).copied().flatten()),
                        "predicted": name(page.predicted.get(i).copied()),
                        "text": text,
                    })
                })
                .collect();
            let shingle_f1 = (!page.shingle_f1.is_nan()).then_some(page.shingle_f1);
            let object = serde_json::json!({
                "id": page.id,
                "url": page.url,
                "shingle_f1": shingle_f1,
                "line_accuracy": page.line_accuracy,
                "lines": lines,
            });
            writeln!(out, "{object}")?;
        }
        Ok(())
    }
}

/// Cross-validated figures of the filler model, per generator.
pub struct FillerFit {
    pub summary: Vec<String>,
    pub model: TreeEnsemble,
}

/// The group `fit_filler` reports the human articles of line-labelled pages under.
pub const HUMAN_ARTICLES: &str = "human articles (gold_body)";

/// One text the filler model trains on.
struct FillerRow {
    features: Vec<f32>,
    machine: bool,
    /// The fold unit: a pair (both halves on the same side) or a page.
    group: String,
    /// Reported by: the pair's generator, or [`HUMAN_ARTICLES`].
    generator: String,
}

impl FillerRow {
    fn sample(&self) -> Sample<'_> {
        Sample { features: &self.features, positive: self.machine, weight: 1.0 }
    }
}

/// Fits `filler.toml` on records with `labels.filler` (machine or human halves of a pair,
/// grouped by `pair_id`) and on the human article of every line-labelled page (`gold_body`,
/// not machine): the pairs alone are all BBC reports, and a model that has seen no other
/// human writing takes press releases and blog posts for generated text. k-fold
/// cross-validation by pair and page, then a fit on everything. Texts the model would not
/// read when scoring ([`crate::detect::filler::Filler::style_applies`]) are left out.
pub fn fit_filler(model: &Model, records: &[Record], options: &FitOptions) -> Result<FillerFit> {
    use crate::calibration::Platt;
    use crate::detect::filler::{STYLE_FEATURE_NAMES, style_column};
    use crate::eval::labelled::figures_of;
    use serde_json::Value;
    let scorer = Scorer::new(model.clone())?;
    let field = |r: &Record, name: &str| r.fields.as_ref().and_then(|f| f.get(name)).cloned();
    let rows: Vec<FillerRow> = records
        .par_iter()
        .filter_map(|r| {
            if let Some(machine) = field(r, "labels").and_then(|l| l.get("filler").and_then(Value::as_bool)) {
                let group =
                    field(r, "pair_id").and_then(|v| v.as_str().map(str::to_string)).unwrap_or_else(|| r.id.clone());
                // "xsum-gpt-3.5-turbo-12" -> "gpt-3.5-turbo": the pair's generator.
                let generator =
                    group.rsplit_once('-').map_or(group.as_str(), |(g, _)| g).trim_start_matches("xsum-").to_string();
                let features = scorer.filler_features(&r.text)?;
                return Some(FillerRow { features, machine, group, generator });
            }
            let article = field(r, "gold_body")?;
            let features = scorer.filler_features(article.as_str()?)?;
            Some(FillerRow {
                features,
                machine: false,
                group: format!("page {}", r.id),
                generator: HUMAN_ARTICLES.into(),
            })
        })
        .collect();
    // (log-odds, machine, generator, fold) of every row, from the fold that left it out.
    let mut held_out: Vec<(f64, bool, &str, usize)> = Vec::new();
    for fold in 0..options.folds {
        let in_fold = |r: &FillerRow| fold_of(&r.group, options.folds, options.fold_seed) == fold;
        let samples: Vec<Sample> = rows.iter().filter(|r| !in_fold(r)).map(FillerRow::sample).collect();
        let fold_model = train_stage(&samples, &STYLE_FEATURE_NAMES, options, String::new());
        for row in rows.iter().filter(|r| in_fold(r)) {
            held_out.push((f64::from(fold_model.log_odds(&row.features)), row.machine, &row.generator, fold));
        }
    }
    // The column's probability of every held-out row, through a calibration fitted on the
    // other folds' held-out rows: the figures below are what unseen texts would get.
    let prior = model.weights.filler.style_prior_logit;
    let calibrated: Vec<f64> = {
        let per_fold: Vec<Platt> = (0..options.folds)
            .map(|fold| {
                let others: Vec<(f64, bool)> = held_out.iter().filter(|h| h.3 != fold).map(|h| (h.0, h.1)).collect();
                Platt::fit(&others)
            })
            .collect();
        held_out.iter().map(|h| f64::from(style_column(Some(per_fold[h.3]), h.0 as f32, prior))).collect()
    };
    let mut generators: Vec<&str> = held_out.iter().map(|h| h.2).collect();
    generators.sort();
    generators.dedup();
    let mut summary = Vec::new();
    // "all" is the dev sets' whole mix; "pairs" the labelled pairs alone, balanced.
    let with_articles = generators.contains(&HUMAN_ARTICLES);
    let groups = ["all"].into_iter().chain(with_articles.then_some("pairs")).chain(generators);
    for name in groups {
        let scored: Vec<(f64, bool)> = held_out
            .iter()
            .zip(&calibrated)
            .filter(|(h, _)| match name {
                "all" => true,
                "pairs" => h.2 != HUMAN_ARTICLES,
                _ => h.2 == name,
            })
            .map(|(h, p)| (*p, h.1))
            .collect();
        if !scored.iter().any(|(_, machine)| *machine) {
            // Human texts only: how many the `filler` column would flag.
            let flagged = scored.iter().filter(|(p, _)| *p >= 0.5).count();
            summary.push(format!(
                "filler style, {}-fold by pair and page, {name}: {flagged} of {} at 0.5, calibrated ({:.3} kept under it)",
                options.folds,
                scored.len(),
                1.0 - flagged as f64 / scored.len().max(1) as f64
            ));
            continue;
        }
        let f = figures_of(name, &scored);
        summary.push(format!(
            "filler style, {}-fold by pair and page, {name}: AUROC {:.3}, at 0.5 P {:.3} R {:.3} F1 {:.3}, best threshold {:.3} (F1 {:.3}), ECE {:.3} (n={})",
            options.folds,
            f.auroc.unwrap_or(f64::NAN),
            f.precision_at_half,
            f.recall_at_half,
            f.f1_at_half,
            f.best_threshold,
            f.best_f1,
            f.ece,
            scored.len()
        ));
    }
    let calibration = Platt::fit(&held_out.iter().map(|h| (h.0, h.1)).collect::<Vec<_>>());
    summary.push(format!(
        "filler style calibration (Platt, on every held-out log-odds): slope {:.4}, intercept {:.4}; prior shift {prior}",
        calibration.slope, calibration.intercept
    ));
    let note = format!(
        "residue fit (filler) --folds {} --trees {} --depth {} --learning-rate {}\n{}",
        options.folds,
        options.trees,
        options.depth,
        options.learning_rate,
        summary.join("\n")
    );
    let samples: Vec<Sample> = rows.iter().map(FillerRow::sample).collect();
    let mut model = train_stage(&samples, &STYLE_FEATURE_NAMES, options, note);
    model.calibration = Some(calibration);
    Ok(FillerFit { summary, model })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(labels: Vec<Option<bool>>, weights: Vec<f32>) -> PageLines {
        PageLines { id: String::new(), features: vec![None; labels.len()], labels, weights, article_copy: false }
    }

    #[test]
    fn every_labelled_page_weighs_as_much_as_the_average_page() {
        let mut pages = vec![
            page(vec![Some(true), Some(false), Some(true), None], vec![1.0, 1.0, 1.0, 4.0]),
            page(vec![Some(false)], vec![2.0]),
            page(vec![None, None], vec![1.0, 1.0]),
        ];
        equalise_page_weights(&mut pages);
        assert!((pages[0].labelled_weight() - 2.5).abs() < 1e-6);
        assert!((pages[1].labelled_weight() - 2.5).abs() < 1e-6);
        // Lines keep their proportions within a page; a page without labels is left alone.
        assert_eq!(pages[0].weights[0], pages[0].weights[1]);
        assert_eq!(pages[2].weights, [1.0, 1.0]);
    }
}
