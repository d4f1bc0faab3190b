//! Words and sentences of one text as 64-bit hashes: the single pass over the text that a
//! rewrite signature needs.
//!
//! This is deliberately not [`crate::analysis::Analysis`]: a signature needs neither the
//! lowercased copy nor line or quote spans, only a hash per lowercased word and where
//! sentences end, and [`RewriteSignature::of`](super::RewriteSignature::of) must take the
//! bare text. Keeping the pass here also pins the hashing scheme to this module, so a change
//! to the detectors' segmentation cannot silently change which records are duplicates.

use std::ops::Range;
use std::sync::OnceLock;

/// A word of the text: the hash of its lowercased form, and whether it is a function word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    pub hash: u64,
    /// A function word ("the", "of", "said" is not one): kept for word order, but never a
    /// feature on its own, because every article shares them.
    pub function: bool,
}

/// The words of a text and its sentences as ranges of word indices.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    pub words: Vec<Word>,
    pub sentences: Vec<Range<usize>>,
}

/// English function words. They are part of the hashing scheme rather than of `models/`:
/// signatures must not depend on which model a run loaded, or two runs would disagree about
/// which records are rewrites. A text in another language simply has none, and all its word
/// pairs become features.
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before",
    "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "during", "each", "for", "from",
    "had", "has", "have", "he", "her", "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me",
    "more", "most", "my", "no", "nor", "not", "of", "on", "once", "only", "or", "other", "our", "out", "over", "s",
    "she", "should", "so", "some", "such", "t", "than", "that", "the", "their", "them", "then", "there", "these",
    "they", "this", "those", "through", "to", "under", "until", "up", "upon", "us", "very", "was", "we", "were",
    "what", "when", "where", "which", "while", "who", "whom", "whose", "why", "will", "with", "would", "you", "your",
];

/// Hashes of [`FUNCTION_WORDS`] in an open-addressing table: one probe for most words,
/// where a binary search cost a sixth of the signature time.
struct FunctionWordSet {
    slots: [u64; 256],
}

impl FunctionWordSet {
    fn get() -> &'static FunctionWordSet {
        static SET: OnceLock<FunctionWordSet> = OnceLock::new();
        SET.get_or_init(|| {
            let mut set = FunctionWordSet { slots: [0; 256] };
            for word in FUNCTION_WORDS {
                let hash = finish(word.bytes().fold(FNV_OFFSET, fnv));
                let mut i = hash as usize % 256;
                while set.slots[i] != 0 {
                    i = (i + 1) % 256;
                }
                set.slots[i] = hash;
            }
            set
        })
    }

    fn contains(&self, hash: u64) -> bool {
        let mut i = hash as usize % 256;
        loop {
            match self.slots[i] {
                0 => return false,
                slot if slot == hash => return true,
                _ => i = (i + 1) % 256,
            }
        }
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(state: u64, byte: u8) -> u64 {
    (state ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
}

/// The splitmix64 finaliser: FNV alone leaves the high bits of short words poorly mixed,
/// and both MinHash and SimHash read every bit.
pub(crate) const fn finish(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Combines two hashes in an order-sensitive way (for word pairs).
pub(crate) const fn pair(first: u64, second: u64) -> u64 {
    finish(first.rotate_left(23) ^ second.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

impl Tokens {
    /// Splits `text` into words (maximal runs of alphanumeric characters, lowercased) and
    /// sentences (ended by `.`, `!` or `?` before a space, or by a line break).
    pub fn of(text: &str) -> Self {
        let function_words = FunctionWordSet::get();
        let mut tokens = Tokens { words: Vec::with_capacity(text.len() / 5), sentences: Vec::new() };
        let mut state = FNV_OFFSET;
        let mut in_word = false;
        let mut sentence_start = 0;
        // A terminal mark was seen; the sentence ends if whitespace follows.
        let mut terminal = false;
        let end_word = |tokens: &mut Tokens, state: &mut u64| {
            let hash = finish(*state);
            let function = function_words.contains(hash);
            tokens.words.push(Word { hash, function });
            *state = FNV_OFFSET;
        };
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            // Most text is ASCII: hash a run of ASCII letters and digits without decoding.
            if bytes[at].is_ascii_alphanumeric() {
                while let Some(&b) = bytes.get(at).filter(|b| b.is_ascii_alphanumeric()) {
                    state = fnv(state, b.to_ascii_lowercase());
                    at += 1;
                }
                in_word = true;
                terminal = false;
                continue;
            }
            let Some(c) = text[at..].chars().next() else { break };
            at += c.len_utf8();
            if crate::analysis::is_alphanumeric(c) {
                let mut buffer = [0u8; 4];
                for lower in c.to_lowercase() {
                    state = lower.encode_utf8(&mut buffer).bytes().fold(state, fnv);
                }
                in_word = true;
                terminal = false;
                continue;
            }
            if in_word {
                end_word(&mut tokens, &mut state);
                in_word = false;
            }
            let ends = c == '\n' || (terminal && c.is_whitespace());
            if ends {
                tokens.close_sentence(&mut sentence_start);
                terminal = false;
            } else if matches!(c, '.' | '!' | '?' | '。' | '！' | '？') {
                terminal = true;
            } else if !matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»') {
                // Closing quotes and brackets may stand between the mark and the space.
                terminal = false;
            }
        }
        if in_word {
            end_word(&mut tokens, &mut state);
        }
        tokens.close_sentence(&mut sentence_start);
        tokens
    }

    fn close_sentence(&mut self, start: &mut usize) {
        if self.words.len() > *start {
            self.sentences.push(*start..self.words.len());
        }
        *start = self.words.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_case_insensitive_and_sentences_end_at_marks_and_lines() {
        let tokens = Tokens::of("The Minister said it. the minister SAID it!\nNew line (v1.2) here? “Yes.” Ok");
        let sizes: Vec<usize> = tokens.sentences.iter().map(|s| s.len()).collect();
        assert_eq!(sizes, vec![4, 4, 5, 1, 1]);
        assert_eq!(tokens.words[0..4], tokens.words[4..8]);
        assert!(tokens.words[0].function && !tokens.words[1].function);
    }

    #[test]
    fn non_ascii_words_are_lowercased() {
        let a = Tokens::of("ÄRGER in Zürich");
        let b = Tokens::of("ärger IN zürich");
        assert_eq!(a.words, b.words);
        assert_eq!(a.words.len(), 3);
    }
}
