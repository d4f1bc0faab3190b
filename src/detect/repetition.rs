//! Repetition: the article repeats its own sentences, exactly or nearly (RP001). Near
//! repeats are found with string similarity (normalised Levenshtein, as strsim computes it),
//! so a paragraph duplicated by a scraper with one number changed still counts; short list
//! items that share a pattern do not.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet, FxHasher};
use std::hash::{Hash, Hasher};

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
        let mut seen: HashSet<u64> = HashSet::default();
        seen.reserve(analysis.sentences.len());
        // Near-repeat candidates, and the sorted distinct word hashes of each.
        let mut near: Vec<NearCandidate> = Vec::new();
        let mut words: Vec<u64> = Vec::new();
        for (index, sentence) in analysis.sentences.iter().enumerate() {
            if sentence.words < w.min_words_exact {
                continue;
            }
            let lower = &analysis.lower[sentence.start..sentence.end];
            let wants_near = sentence.words >= w.min_words_near;
            words.clear();
            let normalised = Normalised::of(lower, wants_near.then_some(&mut words));
            if !seen.insert(normalised.key) {
                let weight = rule.weight * (sentence.words as f32 / w.full_weight_words as f32).min(1.0);
                findings.push(rule.finding(sentence.line, sentence.start, sentence.end, weight));
                continue;
            }
            if wants_near {
                words.sort_unstable();
                words.dedup();
                near.push(NearCandidate {
                    sentence: index,
                    length: normalised.length,
                    words: words.clone(),
                    chars: None,
                });
            }
        }
        // Near repeats: compare each candidate with the earlier ones that could share enough
        // words (see `PrefixIndex`) and are of similar length.
        let mut pairs = 0;
        let mut edit_distances = 0;
        let index = PrefixIndex::new(near.iter().map(|n| n.words.as_slice()));
        let mut candidates: Vec<u32> = Vec::new();
        'outer: for later in 0..near.len() {
            index.candidates(later, &mut candidates);
            let (length, sentence_index) = (near[later].length, near[later].sentence);
            for &earlier in &candidates {
                let earlier = earlier as usize;
                let (la, lb) = (length as f64, near[earlier].length as f64);
                if la.min(lb) / la.max(lb) < w.near_similarity - 0.05 {
                    continue;
                }
                pairs += 1;
                if pairs > MAX_PAIRS || edit_distances > MAX_EDIT_DISTANCES {
                    break 'outer;
                }
                let (a, b) = (&near[later].words, &near[earlier].words);
                let shared = shared_count(a, b) as f64;
                if shared < MIN_SHARED_WORDS * a.len().max(b.len()) as f64 {
                    continue;
                }
                edit_distances += 1;
                // The characters are read only for the few pairs that get this far.
                for at in [later, earlier] {
                    let candidate = &mut near[at];
                    if candidate.chars.is_none() {
                        let sentence = analysis.sentences[candidate.sentence];
                        candidate.chars = Some(compared_chars(&analysis.lower[sentence.start..sentence.end]));
                    }
                }
                let (a, b) = (
                    near[later].chars.as_deref().unwrap_or_default(),
                    near[earlier].chars.as_deref().unwrap_or_default(),
                );
                if similar_at_least(a, b, w.near_similarity) {
                    let sentence = analysis.sentences[sentence_index];
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

/// A sentence that may nearly repeat another: its index, the length in bytes of its
/// normalised form, its sorted distinct word hashes, and (once a pair needs them) the first
/// [`COMPARE_CHARS`] characters of its normalised form.
struct NearCandidate {
    sentence: usize,
    length: usize,
    words: Vec<u64>,
    chars: Option<Vec<char>>,
}

/// Finds, for a sentence, the earlier sentences that may share [`MIN_SHARED_WORDS`] of the
/// larger one's distinct words, without comparing every pair (prefix filtering). Each
/// sentence's words are ordered rarest first (by how many of the article's sentences hold
/// them); two sentences that share at least that share of their words must share a word
/// among the first `len - floor(share * len) + 1` of each, so only those are indexed and
/// probed. The candidates are a superset of the pairs that pass the shared-word test, and
/// rare words keep them few: a page of a thousand sentences no longer costs half a million
/// comparisons.
struct PrefixIndex {
    /// Every sentence's prefix words, one after another; `ranges[i]` is sentence i's.
    words: Vec<u64>,
    ranges: Vec<std::ops::Range<usize>>,
    /// (word, sentence) for every prefix word, sorted: each word's sentences in order.
    postings: Vec<(u64, u32)>,
}

impl PrefixIndex {
    fn new<'a>(sentences: impl Iterator<Item = &'a [u64]> + Clone) -> Self {
        let mut frequency: HashMap<u64, u32> = HashMap::default();
        frequency.reserve(sentences.clone().map(<[u64]>::len).sum());
        for words in sentences.clone() {
            for &word in words {
                *frequency.entry(word).or_default() += 1;
            }
        }
        let mut index = PrefixIndex { words: Vec::new(), ranges: Vec::new(), postings: Vec::new() };
        let mut ordered: Vec<(u32, u64)> = Vec::new();
        for (sentence, words) in sentences.enumerate() {
            ordered.clear();
            ordered.extend(words.iter().map(|word| (frequency[word], *word)));
            ordered.sort_unstable();
            let shared = (MIN_SHARED_WORDS * ordered.len() as f64).floor() as usize;
            ordered.truncate(ordered.len() - shared.min(ordered.len()) + 1);
            let start = index.words.len();
            index.words.extend(ordered.iter().map(|&(_, word)| word));
            index.postings.extend(ordered.iter().map(|&(_, word)| (word, sentence as u32)));
            index.ranges.push(start..index.words.len());
        }
        index.postings.sort_unstable();
        index
    }

    /// The earlier sentences (before `at`) that share a prefix word with sentence `at`, in
    /// ascending order.
    fn candidates(&self, at: usize, out: &mut Vec<u32>) {
        out.clear();
        for &word in &self.words[self.ranges[at].clone()] {
            let from = self.postings.partition_point(|&(w, _)| w < word);
            out.extend(
                self.postings[from..].iter().take_while(|&&(w, s)| w == word && (s as usize) < at).map(|&(_, s)| s),
            );
        }
        out.sort_unstable();
        out.dedup();
    }
}

/// Whether the normalised Levenshtein similarity of `a` and `b` (strsim's
/// `normalized_levenshtein`: 1 − distance / the longer length, in characters) is at least
/// `threshold`. The answer is the same, but only the cells of the edit-distance table within
/// the largest distance that still passes are computed, and the search stops as soon as a
/// row exceeds it: most pairs that reach this test are not repeats and fail within a few rows.
fn similar_at_least(a: &[char], b: &[char], threshold: f64) -> bool {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0 >= threshold;
    }
    let passes = |distance: usize| 1.0 - distance as f64 / longer as f64 >= threshold;
    // The largest passing distance, by the very expression strsim's caller would compare.
    let mut max = ((1.0 - threshold) * longer as f64).floor().clamp(0.0, longer as f64) as usize;
    while max < longer && passes(max + 1) {
        max += 1;
    }
    while max > 0 && !passes(max) {
        max -= 1;
    }
    passes(max) && histogram_distance_bound(a, b) <= max && levenshtein_within(a, b, max)
}

/// A lower bound of the edit distance, read off the two texts' character counts: one edit
/// changes the counts by at most 2 in all (a substitution takes one character and adds
/// another), so half the difference in counts is never more than the distance. Characters
/// share 64 buckets, which can only lower the bound. A pair that shares its words but not its
/// spelling is turned down here, at the cost of one pass over each text.
fn histogram_distance_bound(a: &[char], b: &[char]) -> usize {
    let mut difference = [0i32; 64];
    for &c in a {
        difference[c as usize % 64] += 1;
    }
    for &c in b {
        difference[c as usize % 64] -= 1;
    }
    difference.iter().map(|d| d.unsigned_abs() as usize).sum::<usize>().div_ceil(2)
}

/// Whether the Levenshtein distance of `a` and `b` is at most `max` (Ukkonen's band: a cell
/// farther than `max` from the diagonal costs more than `max`).
fn levenshtein_within(a: &[char], b: &[char], max: usize) -> bool {
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if b.len() - a.len() > max {
        return false;
    }
    if a.is_empty() {
        return true;
    }
    // Values above `max` are all "too far"; they are kept at `over` so sums cannot overflow.
    let over = max + 1;
    let mut previous: Vec<usize> = (0..=b.len()).map(|j| j.min(over)).collect();
    let mut current = vec![over; b.len() + 1];
    for i in 1..=a.len() {
        let low = i.saturating_sub(max).max(1);
        let high = (i + max).min(b.len());
        current[low - 1] = if low == 1 { i.min(over) } else { over };
        let mut row_min = current[low - 1];
        for j in low..=high {
            let substitution = previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let value = substitution.min(previous[j] + 1).min(current[j - 1] + 1).min(over);
            current[j] = value;
            row_min = row_min.min(value);
        }
        if high < b.len() {
            current[high + 1] = over;
        }
        if row_min > max {
            return false;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()] <= max
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

/// A sentence as repetition compares it: its lowercase words joined by single spaces
/// (punctuation and spacing do not make a new passage), read in one pass without building
/// the joined string.
struct Normalised {
    /// A hash of the joined words: equal sentences have equal keys.
    key: u64,
    /// The joined string's length in bytes.
    length: usize,
}

impl Normalised {
    /// Reads `lower` once; when `word_hashes` is given, pushes a hash of each word to it (in
    /// text order, repeats included).
    fn of(lower: &str, mut word_hashes: Option<&mut Vec<u64>>) -> Self {
        let mut hasher = FxHasher::default();
        let mut length = 0;
        for_each_word(lower, |word| {
            hasher.write(word.as_bytes());
            hasher.write_u8(0xff);
            length += word.len() + usize::from(length > 0);
            if let Some(hashes) = word_hashes.as_deref_mut() {
                let mut hasher = FxHasher::default();
                word.hash(&mut hasher);
                hashes.push(hasher.finish());
            }
        });
        Normalised { key: hasher.finish(), length }
    }
}

/// The first [`COMPARE_CHARS`] characters of a sentence's normalised form (its lowercase
/// words joined by single spaces), which near-repeat comparison reads.
fn compared_chars(lower: &str) -> Vec<char> {
    let mut chars = Vec::with_capacity(COMPARE_CHARS.min(lower.len()));
    for_each_word(lower, |word| {
        if !chars.is_empty() && chars.len() < COMPARE_CHARS {
            chars.push(' ');
        }
        let room = COMPARE_CHARS - chars.len();
        chars.extend(word.chars().take(room));
    });
    chars
}

/// Calls `f` on each word of a lowercased sentence: runs of letters and digits.
fn for_each_word<'a>(lower: &'a str, f: impl FnMut(&'a str)) {
    crate::analysis::alphanumeric_words(lower).for_each(f);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn the_banded_distance_agrees_with_strsim_on_examples() {
        let pairs = [
            ("", ""),
            ("", "abc"),
            ("kitten", "sitting"),
            ("the mayor said on monday 12", "the mayor said on tuesday 13"),
            ("préfet à paris", "prefet a paris"),
            ("abc", "abc"),
        ];
        for (a, b) in pairs {
            let distance = strsim::levenshtein(a, b);
            for max in 0..12 {
                assert_eq!(levenshtein_within(&chars(a), &chars(b), max), distance <= max, "{a:?} {b:?} {max}");
            }
        }
    }

    #[test]
    fn punctuation_and_spacing_do_not_make_a_new_sentence() {
        let mut words = Vec::new();
        let a = Normalised::of("the mayor, who spoke   on monday - said no.", Some(&mut words));
        let b = Normalised::of("the mayor who spoke on monday said no", None);
        assert_eq!(a.key, b.key);
        assert_ne!(a.key, Normalised::of("the mayor who spoke on tuesday said no", None).key);
        assert_eq!(a.length, "the mayor who spoke on monday said no".len());
        assert_eq!(
            compared_chars("the mayor, who spoke   on monday - said no.").iter().collect::<String>(),
            "the mayor who spoke on monday said no"
        );
        assert_eq!(words.len(), 8);
        let long = "word ".repeat(100);
        assert_eq!(Normalised::of(&long, None).length, 499);
        assert_eq!(compared_chars(&long).len(), COMPARE_CHARS);
    }

    #[test]
    fn non_ascii_words_split_as_ascii_ones_do() {
        let mut words = Vec::new();
        for_each_word("préfet à paris, 12 — x", |w| words.push(w));
        assert_eq!(words, ["préfet", "à", "paris", "12", "x"]);
        words.clear();
        for_each_word("prefet a paris, 12 x", |w| words.push(w));
        assert_eq!(words, ["prefet", "a", "paris", "12", "x"]);
    }

    proptest! {
        #[test]
        fn the_threshold_test_agrees_with_strsim(
            a in "[abcé ]{0,40}",
            b in "[abcé ]{0,40}",
            threshold in 0.0f64..1.05,
        ) {
            let expected = strsim::normalized_levenshtein(&a, &b) >= threshold;
            prop_assert_eq!(similar_at_least(&chars(&a), &chars(&b), threshold), expected);
        }

        #[test]
        fn the_histogram_bound_is_never_above_the_distance(a in "[abcé ]{0,40}", b in "[abcé ]{0,40}") {
            prop_assert!(histogram_distance_bound(&chars(&a), &chars(&b)) <= strsim::levenshtein(&a, &b));
        }

        #[test]
        fn the_banded_distance_agrees_with_strsim(a in "[ab ]{0,30}", b in "[ab ]{0,30}", max in 0usize..35) {
            prop_assert_eq!(levenshtein_within(&chars(&a), &chars(&b), max), strsim::levenshtein(&a, &b) <= max);
        }
    }
}
