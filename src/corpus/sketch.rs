//! Sentence sketches: a 40-bit SimHash of each of a text's longest sentences, and the
//! alignment of two texts' sketches that verifies a MinHash candidate.
//!
//! Why sentences: a rewrite keeps the story's sentences one for one (moved, with some words
//! swapped), while another article on the same event shares its names, numbers and topic
//! words spread over different sentences, and perhaps one quotation. Bag-of-words
//! similarity over the whole text cannot tell the two apart; counting how many sentences
//! find a close partner can.
//!
//! Why SimHash: its Hamming distance estimates the angle between two sentences' weighted
//! feature vectors (`d / 40 ≈ angle / π`, Charikar 2002), so a sentence with a fifth of its
//! words swapped stays near (a cosine of 0.6 to 0.8, distance 8 to 12) while unrelated
//! sentences sit at 20 ± 3.
//!
//! Why 40 bits: the index keeps every record's sketches, and they are its largest part; 5
//! bytes a sentence (70 for 14) keeps the index within 200 bytes a record. On the bench
//! corpus of 100k records (MAX_DISTANCE scaled with the bits, MIN_COVERAGE 0.55), 64 bits
//! verified 66.8 % of the rewrites with 30 % of their words swapped and 85.7 % of the
//! paraphrases, with 13 false matches; 48 bits 66.2 % and 85.3 % with 32; 40 bits 65.1 %
//! and 84.9 % with 71. 32 bits, at a false-match rate like that of 64, verified only 55.8 %
//! and 75.2 %: too many sentences written from the same template find a partner by chance.
//!
//! Why not string similarity (strsim): verification runs against earlier records whose text
//! is gone (memory stays at a signature per record), and the new record's signature is all
//! the index is given, so there are two sketches to compare, never two strings.

use super::tokens::{Tokens, Word, pair};

/// Sentences sketched per text: the longest ones, which carry the story (widget lines,
/// bylines and captions are short).
pub const SENTENCES: usize = 14;
/// Sentences with fewer words are never sketched.
pub const MIN_SENTENCE_WORDS: usize = 5;
/// Only the first this many words of a sentence are sketched (a text without punctuation is
/// one long sentence).
pub const MAX_SENTENCE_WORDS: usize = 200;
/// Bits of a sentence sketch: [`sketches`] returns them in the low bits of a `u64`.
pub const BITS: u32 = 40;
/// The bits of a `u64` that a sentence sketch uses.
pub const MASK: u64 = (1 << BITS) - 1;
/// Two sentences farther apart than this (of 40 bits) are not partners: a cosine below 0.59.
/// Unrelated sentences are at 20 ± 3, so one finds a partner by chance in about 0.8 % of
/// comparisons. This and [`super::rewrite::MIN_COVERAGE`] were chosen together on the bench
/// corpus (with 64 bits, 20 and 0.55 were): of the pairs tried, the one that kept the hardest
/// rewrites' recall within 2 points of 64 bits with the fewest false matches.
pub const MAX_DISTANCE: u32 = 12;

/// The sketches of the longest sentences of `tokens`, in text order, and their count.
pub fn sketches(tokens: &Tokens) -> ([u64; SENTENCES], usize) {
    let mut chosen: Vec<usize> =
        (0..tokens.sentences.len()).filter(|&i| tokens.sentences[i].len() >= MIN_SENTENCE_WORDS).collect();
    // Longest first, earlier first among equals; then back to text order.
    chosen.sort_by_key(|&i| (std::cmp::Reverse(tokens.sentences[i].len()), i));
    chosen.truncate(SENTENCES);
    chosen.sort_unstable();
    let mut out = [0u64; SENTENCES];
    for (slot, &i) in out.iter_mut().zip(&chosen) {
        *slot = simhash(&tokens.words[tokens.sentences[i].clone()]);
    }
    (out, chosen.len())
}

/// SimHash of a sentence, over three kinds of feature:
/// - each content word (weight 2): what the sentence is about;
/// - each adjacent word pair, unless both are function words (weight 1): word order;
/// - each window of four words with a function word in it, content words blanked out
///   ("_ said on _", weight 2): the sentence's grammatical skeleton.
///
/// A synonym swap changes a content word and its pairs but never the skeleton, while a
/// sentence by another writer about the same event shares names and topic words but rarely
/// the skeleton. On the bench corpus, adding the skeleton raised the share of copies with a
/// fifth of their words swapped that verify from 85 % to 92 %, at the same rate of false
/// matches between outlets. Function words alone are not features: every pair of sentences
/// would share them. A sentence in a language without function words in [`super::tokens`]
/// gets words and pairs only.
fn simhash(words: &[Word]) -> u64 {
    /// Stands for any content word in a skeleton window.
    const BLANK: u64 = 0x2d2d_2d2d_2d2d_2d2d;
    let words = &words[..words.len().min(MAX_SENTENCE_WORDS)];
    let mut counter = BitCounter::default();
    for (i, word) in words.iter().enumerate() {
        if !word.function {
            counter.add(word.hash, 2);
        }
        if let Some(next) = words.get(i + 1)
            && !(word.function && next.function)
        {
            counter.add(pair(word.hash, next.hash), 1);
        }
        if let Some(window) = words.get(i..i + 4)
            && window.iter().any(|w| w.function)
        {
            let skeleton = window.iter().fold(BLANK, |acc, w| pair(acc, if w.function { w.hash } else { BLANK }));
            counter.add(skeleton, 2);
        }
    }
    // Bits of a SimHash are independent estimates, so any 40 of the 64 serve.
    counter.majority() & MASK
}

/// Counts, for each of 64 bit positions, how many added values have that bit set. The
/// counts are held bit-sliced (plane `k` holds bit `k` of all 64 counts), so adding a value
/// is a ripple carry over a few words instead of 64 additions.
#[derive(Default)]
struct BitCounter {
    planes: [u64; 16],
    added: u32,
}

impl BitCounter {
    /// Adds `value` `weight` times (1 or 2; a weight of 2 adds it once at the second plane).
    /// At most 2^16 - 1 in all: a sentence is cut at [`MAX_SENTENCE_WORDS`] words, with at
    /// most five weighted features a word.
    fn add(&mut self, value: u64, weight: u32) {
        debug_assert!(weight == 1 || weight == 2);
        let mut carry = value;
        for plane in &mut self.planes[weight as usize - 1..] {
            let sum = *plane ^ carry;
            carry &= *plane;
            *plane = sum;
            if carry == 0 {
                break;
            }
        }
        self.added += weight;
    }

    /// The bits set in more than half of the added values: the SimHash. Compares all 64
    /// bit-sliced counts with `added / 2` at once, from the highest plane down.
    fn majority(&self) -> u64 {
        let half = self.added / 2;
        let (mut greater, mut equal) = (0u64, u64::MAX);
        for (k, &plane) in self.planes.iter().enumerate().rev() {
            if half >> k & 1 == 1 {
                equal &= plane;
            } else {
                greater |= equal & plane;
                equal &= !plane;
            }
        }
        greater
    }
}

/// How well the sentences of two texts pair up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alignment {
    /// Sentences paired one to one within [`MAX_DISTANCE`].
    pub pairs: usize,
    /// The sum over pairs of the estimated cosine of the two sentences, `cos(π·d/40)`.
    pub weight: f32,
}

/// Pairs sentences one to one, closest first (ties by position, so the result is
/// deterministic), or returns `None` when the weight cannot reach `needed`. Greedy is within
/// a few percent of the optimal assignment here and costs one sort of at most `SENTENCES²`
/// distances. Most candidates are turned down early, by the bound that a sentence adds at
/// most the weight of its closest partner: once the sentences left cannot make up the
/// shortfall, the rest are not compared.
pub fn align(new: &[u64], old: &[u64], needed: f32) -> Option<Alignment> {
    let (new, old) = (&new[..new.len().min(SENTENCES)], &old[..old.len().min(SENTENCES)]);
    let mut padded = [0u64; SENTENCES];
    padded[..old.len()].copy_from_slice(old);
    // (distance, new index, old index) packed so that one integer sort orders them.
    let mut packed = [0u32; SENTENCES * SENTENCES];
    let mut len = 0;
    let mut bound_new = 0.0f32;
    let mut closest_old = [u32::MAX; SENTENCES];
    for (i, &a) in new.iter().enumerate() {
        if bound_new + ((new.len() - i) as f32) < needed {
            return None;
        }
        // A fixed-length row, so that the distances are computed in vector registers.
        let row: [u32; SENTENCES] = std::array::from_fn(|j| (a ^ padded[j]).count_ones());
        let mut closest = u32::MAX;
        for (j, &d) in row.iter().enumerate().take(old.len()) {
            if d <= MAX_DISTANCE {
                packed[len] = d << 16 | (i as u32) << 8 | j as u32;
                len += 1;
                closest = closest.min(d);
                closest_old[j] = closest_old[j].min(d);
            }
        }
        bound_new += COSINE.get(closest as usize).copied().unwrap_or(0.0);
    }
    let bound_old: f32 = closest_old.iter().filter_map(|&d| COSINE.get(d as usize)).sum();
    if bound_new.min(bound_old) < needed {
        return None;
    }
    let packed = &mut packed[..len];
    packed.sort_unstable();
    let (mut used_new, mut used_old) = (0u32, 0u32);
    let mut alignment = Alignment { pairs: 0, weight: 0.0 };
    for &p in packed.iter() {
        let (d, i, j) = (p >> 16, p >> 8 & 0xff, p & 0xff);
        if used_new >> i & 1 == 1 || used_old >> j & 1 == 1 {
            continue;
        }
        used_new |= 1 << i;
        used_old |= 1 << j;
        alignment.pairs += 1;
        alignment.weight += COSINE[d as usize];
    }
    (alignment.weight >= needed).then_some(alignment)
}

/// `cos(π·d/40)` for each distance `d` up to [`MAX_DISTANCE`]: the cosine between two
/// feature vectors whose SimHashes differ in `d` bits, in expectation.
const COSINE: [f32; MAX_DISTANCE as usize + 1] = {
    // Taylor series to the 12th power: exact to 1e-6 on [0, π/2], and usable in a const.
    let mut table = [0f32; MAX_DISTANCE as usize + 1];
    let mut d = 0;
    while d <= MAX_DISTANCE as usize {
        let x = std::f64::consts::PI * d as f64 / BITS as f64;
        let (mut term, mut sum, mut k) = (1.0f64, 1.0f64, 1);
        while k <= 6 {
            term *= -x * x / ((2 * k - 1) * (2 * k)) as f64;
            sum += term;
            k += 1;
        }
        table[d] = sum as f32;
        d += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sketches_keep_the_longest_sentences_in_text_order() {
        let text = "Short one here.\nThis sentence has exactly seven words in it.\nTiny.\n\
                    And this much longer sentence has a good many more words than the others.";
        let tokens = Tokens::of(text);
        let (sketch, count) = sketches(&tokens);
        assert_eq!(count, 2);
        assert_eq!(sketch[0], simhash(&tokens.words[tokens.sentences[1].clone()]));
    }

    #[test]
    fn alignment_is_one_to_one() {
        let alignment = align(&[7, 7, 7], &[7], 0.0).expect("no weight is needed");
        assert_eq!(alignment.pairs, 1);
        assert!((alignment.weight - 1.0).abs() < 1e-6);
        let far = align(&[0], &[(1 << MAX_DISTANCE) - 1], 0.0).expect("no weight is needed");
        let expected = (std::f32::consts::PI * MAX_DISTANCE as f32 / BITS as f32).cos();
        assert!((far.weight - expected).abs() < 1e-5, "{far:?}");
        assert_eq!(align(&[0, 0], &[0, MASK], 1.5), None);
    }

    #[test]
    fn the_bit_counter_takes_the_majority_of_each_bit() {
        let mut counter = BitCounter::default();
        counter.add(0b1011, 2);
        counter.add(0b0110, 1);
        assert_eq!(counter.majority(), 0b1011);
        for _ in 0..300 {
            counter.add(u64::MAX, 2);
        }
        assert_eq!(counter.majority(), u64::MAX);
        for _ in 0..301 {
            counter.add(0, 2);
        }
        // Of 1205 values, bit 1 is set in 603, bit 0 and bit 3 in 602, bit 2 in 601.
        assert_eq!(counter.majority(), 0b0010);
    }
}
