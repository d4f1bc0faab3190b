//! Detectors: small, pure, independent. Each reads the shared [`Analysis`] and returns a
//! [`Signal`]: a score and the [`Finding`]s behind it. No detector reads files or global state.
use crate::analysis::Analysis;
use crate::error::{Error, Result};
use crate::lexicon::{Hit, Lexicon, LexiconMatches};
use crate::model::{Category, LineLabel, Model, ShapeWeights};

pub mod filler;
pub mod framing;
pub mod paywall;
pub mod repetition;
pub mod widget;

/// One piece of evidence: which rule fired, where, and how strongly.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule code, e.g. `PW001`.
    pub rule: &'static str,
    pub category: Category,
    /// The label this finding pushes its line towards, if the rule labels lines.
    pub line_label: Option<LineLabel>,
    /// Line index (0-based) in the analysed text.
    pub line: usize,
    /// Byte span of the matched phrase or feature in the text.
    pub start: usize,
    pub end: usize,
    /// Evidence weight after the line's shape is taken into account.
    pub weight: f32,
}

impl Finding {
    /// The matched text, as it stands in the article.
    pub fn phrase<'a>(&self, analysis: &Analysis<'a>) -> &'a str {
        analysis.text[self.start..self.end].trim()
    }
}

/// What a detector returns for one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signal {
    /// 0..1; 0.5 or more means the signal is present.
    pub score: f32,
    pub findings: Vec<Finding>,
}

/// A detector of one kind of residue.
pub trait Detector: Send + Sync {
    /// The column this detector fills (`paywall`, `widget`, ...).
    fn category(&self) -> Category;
    /// Scores one article.
    fn detect(&self, analysis: &Analysis, context: &Context) -> Signal;
}

/// Per-article facts computed once by the scorer and shared with every detector.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Attribution hits (said, according to) in the whole text.
    pub attribution: Vec<Hit>,
    /// For each sentence, whether it attributes what it says to a source.
    pub sentence_attributed: Vec<bool>,
    /// For each line, whether it reports speech.
    pub line_attributed: Vec<bool>,
    /// The language guessed from function words (`en`, `de`, ...), if any.
    pub language: Option<String>,
    /// For each line, whether it reads as a teaser card glued together
    /// ([`crate::lines::glued_teaser_lines`]).
    pub glued_teasers: Vec<bool>,
    /// Every lexicon's matches in the text, found in one pass by the scorer's
    /// [`crate::lexicon::LexiconSet`]; a lexicon missing here is searched on its own.
    pub lexicon_matches: LexiconMatches,
}

/// A rule as a detector holds it: resolved from the model once, copied into findings.
#[derive(Debug, Clone, Copy)]
pub struct RuleRef {
    pub code: &'static str,
    pub category: Category,
    pub line_label: Option<LineLabel>,
    /// The weight of one finding (for rules that are not lexicon-driven).
    pub weight: f32,
}

impl RuleRef {
    /// Resolves `code` in the model; `None` when the model leaves the rule out (disabled).
    pub fn resolve(model: &Model, code: &'static str, category: Category) -> Result<Option<Self>> {
        let Some(rule) = model.rule(code) else { return Ok(None) };
        if rule.category != category {
            return Err(Error::Model {
                file: "rules.toml".into(),
                line: 0,
                message: format!("rule {code} must have category {}", category.as_str()),
            });
        }
        Ok(Some(RuleRef { code, category, line_label: rule.line_label, weight: rule.weight }))
    }

    /// A finding of this rule.
    pub fn finding(&self, line: usize, start: usize, end: usize, weight: f32) -> Finding {
        Finding { rule: self.code, category: self.category, line_label: self.line_label, line, start, end, weight }
    }
}

/// A rule bound to its lexicon.
#[derive(Debug, Clone)]
pub struct LexiconRule {
    pub rule: RuleRef,
    pub lexicon: Lexicon,
}

impl LexiconRule {
    /// Resolves a lexicon-driven rule; `None` when the model leaves the rule out.
    pub fn resolve(model: &Model, code: &'static str, category: Category) -> Result<Option<Self>> {
        let Some(rule) = RuleRef::resolve(model, code, category)? else { return Ok(None) };
        let name = model.rule(code).and_then(|r| r.lexicon.clone()).unwrap_or_default();
        let lexicon = model.lexicon(&name).cloned().ok_or_else(|| Error::Model {
            file: "rules.toml".into(),
            line: 0,
            message: format!("rule {code} needs a lexicon"),
        })?;
        Ok(Some(LexiconRule { rule, lexicon }))
    }

    /// Every match on every non-blank line, weighted by the entry and, when `shape` is
    /// given, by the line's shape (see [`line_shape_factor`]).
    pub fn scan(&self, analysis: &Analysis, context: &Context, shape: Option<&ShapeWeights>, out: &mut Vec<Finding>) {
        let mut hits = Vec::new();
        find_lexicon(&self.lexicon, analysis, context, &mut hits);
        let mut factor = (usize::MAX, 1.0);
        for (index, hit) in hits {
            let line = analysis.lines[index];
            if line.is_blank() && !analysis.text[line.start..line.end].contains(['©', '*']) {
                continue;
            }
            if factor.0 != index {
                factor = (index, shape.map_or(1.0, |s| line_shape_factor(analysis, context, index, s)));
            }
            let entry = &self.lexicon.entries[hit.entry];
            // A whole-line entry describes the line itself: its shape is already known.
            let weight = if entry.at_start && entry.at_end { entry.weight } else { entry.weight * factor.1 };
            if weight > 0.0 {
                out.push(self.rule.finding(index, hit.start, hit.end, weight));
            }
        }
    }
}

/// The matches of `lexicon` in the analysed text: from the context's shared pass when it
/// holds them, else by a search of its own.
pub fn find_lexicon(lexicon: &Lexicon, analysis: &Analysis, context: &Context, hits: &mut Vec<(usize, Hit)>) {
    match context.lexicon_matches.of(&lexicon.name) {
        Some(matches) => lexicon.hits_of_matches(&analysis.lower, &analysis.lines, matches.iter().copied(), hits),
        None => lexicon.find_in_text(&analysis.lower, &analysis.lines, hits),
    }
}

/// How much a residue phrase on this line counts, from the line's shape: short lines keep
/// full weight, long prose lines little; a line that reports speech is reporting, not a
/// prompt; a long line that addresses the reader ("you", "your") or opens with an
/// imperative is a prompt after all.
pub fn line_shape_factor(analysis: &Analysis, context: &Context, index: usize, shape: &ShapeWeights) -> f32 {
    let words = analysis.lines[index].words;
    let mut factor = if words <= shape.short_words {
        1.0
    } else if words >= shape.long_words {
        shape.long_factor
    } else {
        let span = (shape.long_words - shape.short_words) as f32;
        1.0 - (1.0 - shape.long_factor) * (words - shape.short_words) as f32 / span
    };
    if words > shape.short_words {
        if context.line_attributed.get(index).copied().unwrap_or(false) {
            factor *= shape.reported_speech_factor;
        } else if addresses_reader(analysis.line_lower(index)) {
            factor = (factor * shape.reader_address_bonus).min(1.0);
        }
    }
    factor
}

/// Imperatives that open prompts, and second-person pronouns.
fn addresses_reader(lower_line: &str) -> bool {
    const IMPERATIVES: &[&str] = &[
        "subscribe",
        "register",
        "sign",
        "log",
        "click",
        "start",
        "get",
        "join",
        "keep",
        "continue",
        "read",
        "create",
        "enter",
        "try",
        "support",
        "upgrade",
        "unlock",
        "become",
        "download",
        "follow",
        "share",
        "accept",
    ];
    let first = lower_line.split(|c: char| !crate::analysis::is_alphanumeric(c)).find(|w| !w.is_empty()).unwrap_or("");
    IMPERATIVES.contains(&first)
        || lower_line
            .split(|c: char| !crate::analysis::is_alphanumeric(c) && c != '\'')
            .any(|w| matches!(w, "you" | "your" | "you're" | "you've" | "you'll"))
}

/// Turns evidence into a 0..1 score: evidence equal to `presence` gives exactly 0.5.
pub fn saturate(evidence: f32, presence: f32) -> f32 {
    if evidence.is_nan() || evidence <= 0.0 || presence.is_nan() || presence <= 0.0 {
        return 0.0;
    }
    (1.0 - 0.5f32.powf(evidence / presence)).clamp(0.0, 1.0)
}

/// The built-in detectors, in CSV column order, bound to the model's rules.
pub fn registry(model: &Model) -> Result<Vec<Box<dyn Detector>>> {
    Ok(vec![
        Box::new(paywall::Paywall::new(model)?),
        Box::new(widget::Widget::new(model)?),
        Box::new(filler::Filler::new(model)?),
        Box::new(framing::Framing::new(model)?),
        Box::new(repetition::Repetition::new(model)?),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturate_is_one_half_at_presence_and_bounded() {
        assert!((saturate(1.0, 1.0) - 0.5).abs() < 1e-6);
        assert_eq!(saturate(0.0, 1.0), 0.0);
        assert_eq!(saturate(f32::NAN, 1.0), 0.0);
        assert!(saturate(100.0, 1.0) <= 1.0);
        assert!(saturate(2.0, 1.0) > saturate(1.5, 1.0));
    }
}
