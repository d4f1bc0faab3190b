//! Repetition: the article repeats its own sentences, exactly or nearly (RP001). Near
//! repeats are found with string similarity (normalised Levenshtein, strsim), so a
//! paragraph duplicated by a scraper with one number changed still counts; short list items
//! that share a pattern do not.
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::{Context, Detector, RuleRef, Signal, saturate};
use crate::analysis::Analysis;
use crate::error::Result;
use crate::model::{Category, Model, Weights};

/// At most this many characters of a sentence are compared for near repeats.
const COMPARE_CHARS: usize = 400;
/// At most this many pairs of sentences are compared per article (bounds the cost).
const MAX_PAIRS: usize = 20_000;

/// Detects repeated passages.
pub struct Repetition {
    rule: Option<RuleRef>,
    weights: Weights,
}

impl Repetition {
    pub fn new(model: &Model) -> Result<Self> {
        Ok(Repetition { rule: RuleRef::resolve(model, "RP001", Category::Repetition)?, weights: model.weights.clone() })
    }
}

impl Detector for Repetition {
    fn category(&self) -> Category {
        Category::Repetition
    }

    fn detect(&self, analysis: &Analysis, _context: &Context) -> Signal {
        let Some(rule) = &self.rule else { return Signal::default() };
        let w = &self.weights.repetition;
        let mut findings = Vec::new();
        let mut seen: HashMap<u64, usize> = HashMap::new();
        // (sentence index, normalised text) of candidates for near repeats, by length.
        let mut near: Vec<(usize, String)> = Vec::new();
        for (index, sentence) in analysis.sentences.iter().enumerate() {
            if sentence.words < w.min_words_exact {
                continue;
            }
            let normalised = normalise(&analysis.lower[sentence.start..sentence.end]);
            let mut hasher = DefaultHasher::new();
            normalised.hash(&mut hasher);
            let key = hasher.finish();
            let weight = rule.weight * (sentence.words as f32 / w.full_weight_words as f32).min(1.0);
            if seen.contains_key(&key) {
                findings.push(rule.finding(sentence.line, sentence.start, sentence.end, weight));
                continue;
            }
            seen.insert(key, index);
            if sentence.words >= w.min_words_near {
                near.push((index, normalised));
            }
        }
        // Near repeats: compare each candidate with earlier ones of similar length.
        let mut compared = 0;
        'outer: for later in 1..near.len() {
            let (index, ref text) = near[later];
            let a: String = text.chars().take(COMPARE_CHARS).collect();
            for (_, other) in &near[..later] {
                let (la, lb) = (text.len() as f64, other.len() as f64);
                if la.min(lb) / la.max(lb) < w.near_similarity - 0.05 {
                    continue;
                }
                compared += 1;
                if compared > MAX_PAIRS {
                    break 'outer;
                }
                let b: String = other.chars().take(COMPARE_CHARS).collect();
                if strsim::normalized_levenshtein(&a, &b) >= w.near_similarity {
                    let sentence = analysis.sentences[index];
                    let weight = rule.weight * (sentence.words as f32 / w.full_weight_words as f32).min(1.0);
                    findings.push(rule.finding(sentence.line, sentence.start, sentence.end, weight));
                    break;
                }
            }
        }
        findings.sort_by_key(|f| f.start);
        let evidence: f32 = findings.iter().map(|f| f.weight).sum();
        Signal { score: saturate(evidence, self.weights.presence.repetition), findings }
    }
}

/// Lowercase words joined by single spaces: punctuation and spacing do not make a new passage.
fn normalise(lower: &str) -> String {
    let mut out = String::with_capacity(lower.len());
    for word in lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
