//! Repetition: the article repeats its own sentences, exactly or nearly (RP001). Near
//! repeats are found with string similarity (normalised Levenshtein, strsim), so a
//! paragraph duplicated by a scraper with one number changed still counts; short list items
//! that share a pattern do not.
use rustc_hash::FxHashMap as HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::{Context, Detector, RuleRef, Signal, saturate};
use crate::analysis::Analysis;
use crate::error::Result;
use crate::model::{Category, Model, Weights};

/// At most this many characters of a sentence are compared for near repeats.
const COMPARE_CHARS: usize = 300;
/// At most this many pairs of sentences are checked per article, and at most this many of
/// them with edit distance (bounds the cost on pages of thousands of lines).
const MAX_PAIRS: usize = 50_000;
const MAX_EDIT_DISTANCES: usize = 400;
/// Two sentences are compared by edit distance only when this share of the larger one's
/// distinct words occur in both: a cheap filter that near repeats always pass.
const MIN_SHARED_WORDS: f64 = 0.6;

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
        let mut seen: HashMap<u64, usize> = HashMap::default();
        // (sentence index, normalised text, sorted distinct word hashes) of near-repeat candidates.
        let mut near: Vec<(usize, String, Vec<u64>)> = Vec::new();
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
                let words = word_hashes(&normalised);
                near.push((index, normalised, words));
            }
        }
        // Near repeats: compare each candidate with earlier ones of similar length.
        let mut pairs = 0;
        let mut edit_distances = 0;
        'outer: for later in 1..near.len() {
            let (index, ref text, ref words) = near[later];
            let a: String = text.chars().take(COMPARE_CHARS).collect();
            for (_, other, other_words) in &near[..later] {
                let (la, lb) = (text.len() as f64, other.len() as f64);
                if la.min(lb) / la.max(lb) < w.near_similarity - 0.05 {
                    continue;
                }
                pairs += 1;
                if pairs > MAX_PAIRS || edit_distances > MAX_EDIT_DISTANCES {
                    break 'outer;
                }
                let shared = shared_count(words, other_words) as f64;
                if shared < MIN_SHARED_WORDS * words.len().max(other_words.len()) as f64 {
                    continue;
                }
                edit_distances += 1;
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

/// Sorted, distinct hashes of the words of a normalised sentence.
fn word_hashes(normalised: &str) -> Vec<u64> {
    let mut hashes: Vec<u64> = normalised
        .split(' ')
        .map(|word| {
            let mut hasher = DefaultHasher::new();
            word.hash(&mut hasher);
            hasher.finish()
        })
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

/// Size of the intersection of two sorted, distinct lists.
fn shared_count(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
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
