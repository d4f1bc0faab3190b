//! Line labels from findings: each line is content, paywall, widget or filler. A line's own
//! evidence labels it; weaker evidence labels it when a neighbour carries the same label
//! (residue comes in blocks); and two context rules read the page's layout: a stray
//! headline about another story inside the trailing template block (WG005), and a run of
//! menu-like short lines (WG006).
use rustc_hash::FxHashSet as HashSet;

use crate::analysis::Analysis;
use crate::detect::{Finding, RuleRef};
use crate::error::Result;
use crate::model::{Category, LineLabel, Model, Weights};

/// Labelling categories in order of precedence on ties.
const LABELS: [LineLabel; 3] = [LineLabel::Paywall, LineLabel::Widget, LineLabel::Filler];

/// Turns findings into line labels.
pub struct Labeller {
    stray_headline: Option<RuleRef>,
    navigation: Option<RuleRef>,
    function_words: HashSet<String>,
    weights: Weights,
}

/// Labels and the per-line evidence behind them.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    pub labels: Vec<LineLabel>,
    /// For each line, the summed weight of findings for the label it carries.
    pub weights: Vec<f32>,
}

impl Labeller {
    pub fn new(model: &Model) -> Result<Self> {
        Ok(Labeller {
            stray_headline: RuleRef::resolve(model, "WG005", Category::Widget)?,
            navigation: RuleRef::resolve(model, "WG006", Category::Widget)?,
            function_words: model.stopwords.values().flatten().cloned().collect(),
            weights: model.weights.clone(),
        })
    }

    /// Labels every line; context rules append their findings to `findings`.
    pub fn label(&self, analysis: &Analysis, findings: &mut Vec<Finding>) -> Labels {
        let first = self.assign(analysis, findings);
        let before = findings.len();
        self.navigation_blocks(analysis, &first.labels, findings);
        self.stray_headlines(analysis, &first.labels, findings);
        if findings.len() == before { first } else { self.assign(analysis, findings) }
    }

    /// Labels from findings alone: each line's own evidence, then its neighbours', then the
    /// blocks it sits in. Adds no findings.
    pub fn assign(&self, analysis: &Analysis, findings: &[Finding]) -> Labels {
        let n = analysis.lines.len();
        let mut totals = vec![[0f32; 3]; n];
        for finding in findings {
            if let Some(slot) = finding.line_label.and_then(|l| LABELS.iter().position(|x| *x == l)) {
                totals[finding.line][slot] += finding.weight;
            }
        }
        let label_at = self.weights.lines.label_at;
        let mut labels = vec![LineLabel::Content; n];
        for (line, total) in totals.iter().enumerate() {
            if let Some(slot) = strongest(total, label_at) {
                labels[line] = LABELS[slot];
            }
        }
        self.spread_to_neighbours(analysis, &totals, &mut labels);
        fill_sandwiched(analysis, &mut labels);
        let weights = (0..n)
            .map(|line| LABELS.iter().position(|l| *l == labels[line]).map_or(0.0, |slot| totals[line][slot]))
            .collect();
        Labels { labels, weights }
    }

    /// A line with some evidence takes the label of a labelled neighbour; repeated until stable.
    fn spread_to_neighbours(&self, analysis: &Analysis, totals: &[[f32; 3]], labels: &mut [LineLabel]) {
        let threshold = self.weights.lines.label_at * self.weights.lines.context_fraction;
        let reach = self.weights.lines.context_reach;
        for _ in 0..4 {
            let mut changed = false;
            for line in 0..labels.len() {
                if labels[line] != LineLabel::Content {
                    continue;
                }
                for (slot, label) in LABELS.iter().enumerate() {
                    if totals[line][slot] >= threshold
                        && analysis.neighbours(line, reach).any(|other| labels[other] == *label)
                    {
                        labels[line] = *label;
                        changed = true;
                        break;
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// WG006: five or more consecutive non-blank lines of at most three words, none ending a
    /// sentence, read as a menu or link list.
    fn navigation_blocks(&self, analysis: &Analysis, labels: &[LineLabel], findings: &mut Vec<Finding>) {
        let Some(rule) = &self.navigation else { return };
        let is_menu_item = |i: usize| {
            let text = analysis.line_text(i).trim();
            let line = analysis.lines[i];
            line.words >= 1
                && line.words <= 3
                && !text.ends_with(['.', '!', '?', ',', ';'])
                && Some(i) != analysis.title_line
        };
        let non_blank: Vec<usize> = (0..analysis.lines.len()).filter(|&i| !analysis.lines[i].is_blank()).collect();
        let mut run_start = 0;
        while run_start < non_blank.len() {
            let mut run_end = run_start;
            while run_end < non_blank.len() && is_menu_item(non_blank[run_end]) {
                run_end += 1;
            }
            if run_end - run_start >= 5 {
                for &i in &non_blank[run_start..run_end] {
                    if labels[i] == LineLabel::Content {
                        let line = analysis.lines[i];
                        findings.push(rule.finding(
                            i,
                            line.start,
                            line.end,
                            rule.weight.max(self.weights.lines.label_at),
                        ));
                    }
                }
            }
            run_start = run_end.max(run_start + 1);
        }
    }

    /// WG005: after the last paragraph of prose, a headline-shaped line next to template
    /// lines, whose words the article does not use: a link to another story.
    fn stray_headlines(&self, analysis: &Analysis, labels: &[LineLabel], findings: &mut Vec<Finding>) {
        let Some(rule) = &self.stray_headline else { return };
        let Some(last_prose) =
            (0..analysis.lines.len()).rev().find(|&i| analysis.lines[i].words >= 25 && labels[i] == LineLabel::Content)
        else {
            return;
        };
        // Built at the first line that needs it: most pages have none.
        let mut body_words: Option<HashSet<&str>> = None;
        for i in last_prose + 1..analysis.lines.len() {
            let line = analysis.lines[i];
            let text = analysis.line_text(i).trim();
            if labels[i] != LineLabel::Content
                || !(3..=16).contains(&line.words)
                || text.ends_with(['.', ':', ',', ';'])
            {
                continue;
            }
            if !analysis.neighbours(i, 2).any(|j| labels[j].is_boilerplate()) {
                continue;
            }
            let words: Vec<&str> = content_words(analysis.line_lower(i), &self.function_words).collect();
            if words.is_empty() {
                continue;
            }
            let body_words = body_words.get_or_insert_with(|| {
                (0..=last_prose)
                    .filter(|&i| labels[i] == LineLabel::Content)
                    .flat_map(|i| content_words(analysis.line_lower(i), &self.function_words))
                    .collect()
            });
            let shared = words.iter().filter(|w| body_words.contains(*w)).count();
            if shared as f32 / words.len() as f32 <= 0.25 {
                findings.push(rule.finding(i, line.start, line.end, rule.weight));
            }
        }
    }
}

/// Residue comes in blocks. A short line between two lines of one boilerplate label takes
/// that label ("Start trial" between two paywall prompts, a blurb inside a newsletter box),
/// and so does a line of symbols only ("Δ", "|") next to one; a one-to-three word line whose
/// label differs from both its neighbours' ("Subscribe" inside a newsletter box) takes theirs.
fn fill_sandwiched(analysis: &Analysis, labels: &mut [LineLabel]) {
    const MAX_WORDS: u32 = 20;
    let has_text = |i: usize| !analysis.line_text(i).trim().is_empty();
    // The nearest line with words after each line, found in one backward pass.
    let mut next_worded = vec![None; labels.len()];
    let mut upcoming = None;
    for i in (0..labels.len()).rev() {
        next_worded[i] = upcoming;
        if !analysis.lines[i].is_blank() {
            upcoming = Some(i);
        }
    }
    let mut previous_worded: Option<usize> = None;
    for i in 0..labels.len() {
        let previous = previous_worded.map(|j| labels[j]);
        if !analysis.lines[i].is_blank() {
            previous_worded = Some(i);
        }
        if Some(i) == analysis.title_line || !has_text(i) {
            continue;
        }
        let line = analysis.lines[i];
        let next = next_worded[i].map(|j| labels[j]);
        if line.is_blank() {
            // Symbols only: part of whatever block it touches.
            if let Some(label) = [previous, next].into_iter().flatten().find(|l| l.is_boilerplate()) {
                labels[i] = label;
            }
            continue;
        }
        let (Some(before), Some(after)) = (previous, next) else { continue };
        if before != after || !before.is_boilerplate() || labels[i] == before {
            continue;
        }
        let text = analysis.line_text(i).trim_end();
        let prose = line.words > 12 && text.ends_with(['.', '!', '?', '"', '”']);
        if (labels[i] == LineLabel::Content && line.words <= MAX_WORDS && !prose)
            || (labels[i].is_boilerplate() && line.words <= 3)
        {
            labels[i] = before;
        }
    }
}

/// Words of four letters or more that are not function words.
fn content_words<'a>(lower: &'a str, function_words: &HashSet<String>) -> impl Iterator<Item = &'a str> {
    lower
        .split(|c: char| !crate::analysis::is_alphanumeric(c))
        .filter(|w| w.chars().count() >= 4 && !function_words.contains(*w))
}

/// The label slot with the most evidence, if it reaches `at`.
fn strongest(total: &[f32; 3], at: f32) -> Option<usize> {
    let (slot, weight) = total.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))?;
    (*weight >= at).then_some(slot)
}
