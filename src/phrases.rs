//! Every occurrence of a set of lowercase phrases in a lowercased text, found a word at a time.
//!
//! A phrase that opens with a word character can only be matched (at word boundaries, as the
//! lexicons match) where a word of the text starts, and the text's word there must be the
//! phrase's first word: so one hash lookup per word of the text, and a comparison for each
//! phrase that opens with that word, find them all. The few phrases that open with anything
//! else ("(image:", "©") are tried wherever their first byte occurs. An overlapping search of
//! an Aho-Corasick DFA over the 3,900 English phrases had been 14 % of a one-thread run on the
//! bench corpus (the DFA was too big for the cache, and it read every byte); a DFA of the
//! seven phrases that open with punctuation alone still cost 17 instructions a byte.
use rustc_hash::FxHashMap as HashMap;

use crate::lexicon::is_word_char;

/// A phrase found in a text, before the word-boundary and anchor checks: the index of the
/// phrase (its pattern) and its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhraseMatch {
    pub pattern: u32,
    pub start: usize,
    pub end: usize,
}

/// A set of phrases, indexed for [`PhraseIndex::find_all`].
#[derive(Debug, Clone)]
pub struct PhraseIndex {
    /// The phrases that open with a word character, by that first word: (pattern, the rest of
    /// the phrase after its first word).
    by_first_word: HashMap<Box<str>, Vec<(u32, Box<str>)>>,
    /// The other phrases, (pattern, phrase), sorted by their first byte.
    others: Vec<(u32, Box<str>)>,
    /// Whether some phrase of `others` opens with this byte.
    other_first_bytes: Box<[bool; 256]>,
}

impl Default for PhraseIndex {
    fn default() -> Self {
        PhraseIndex { by_first_word: HashMap::default(), others: Vec::new(), other_first_bytes: Box::new([false; 256]) }
    }
}

impl PhraseIndex {
    /// Indexes `phrases` (lowercase, not empty; pattern `i` is `phrases[i]`).
    pub fn new(phrases: &[&str]) -> Self {
        let mut index = PhraseIndex::default();
        for (pattern, &phrase) in phrases.iter().enumerate() {
            let first_word = first_word(phrase);
            if first_word.is_empty() {
                if let Some(&first) = phrase.as_bytes().first() {
                    index.others.push((pattern as u32, phrase.into()));
                    index.other_first_bytes[usize::from(first)] = true;
                }
            } else {
                let rest = &phrase[first_word.len()..];
                index.by_first_word.entry(first_word.into()).or_default().push((pattern as u32, rest.into()));
            }
        }
        index.others.sort_by_key(|(_, phrase)| phrase.as_bytes()[0]);
        index
    }

    /// Every occurrence in `lower` of every phrase that does not begin inside a word of the
    /// text (the only ones the word-boundary check can accept), overlapping ones included,
    /// pushed to `out` with spans shifted by `offset`, in no particular order.
    pub fn find_all(&self, lower: &str, offset: usize, out: &mut Vec<PhraseMatch>) {
        if !self.by_first_word.is_empty() {
            for word in crate::analysis::word_runs(lower, is_word_char, is_word_char) {
                let Some(candidates) = self.by_first_word.get(&lower[word.clone()]) else { continue };
                let after = &lower[word.end..];
                for (pattern, rest) in candidates {
                    if after.starts_with(&**rest) {
                        let end = offset + word.end + rest.len();
                        out.push(PhraseMatch { pattern: *pattern, start: offset + word.start, end });
                    }
                }
            }
        }
        if !self.others.is_empty() {
            let bytes = lower.as_bytes();
            for (at, &byte) in bytes.iter().enumerate() {
                if !self.other_first_bytes[usize::from(byte)] {
                    continue;
                }
                let from = self.others.partition_point(|(_, phrase)| phrase.as_bytes()[0] < byte);
                let rest = &bytes[at..];
                for (pattern, phrase) in self.others[from..].iter().take_while(|(_, p)| p.as_bytes()[0] == byte) {
                    if rest.starts_with(phrase.as_bytes()) {
                        out.push(PhraseMatch {
                            pattern: *pattern,
                            start: offset + at,
                            end: offset + at + phrase.len(),
                        });
                    }
                }
            }
        }
    }
}

/// What a leftmost-longest search would return from `matches`: the leftmost first, the
/// longest of those that start together, then none that overlaps one already taken.
/// Leaves `matches` in text order.
pub fn keep_leftmost_longest(matches: &mut Vec<PhraseMatch>) {
    matches.sort_unstable_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut free_from = 0;
    matches.retain(|m| {
        let take = m.start >= free_from;
        if take {
            free_from = m.end;
        }
        take
    });
}

/// The run of word characters `phrase` opens with (empty when it opens with another).
fn first_word(phrase: &str) -> &str {
    let end = phrase.find(|c: char| !is_word_char(c)).unwrap_or(phrase.len());
    &phrase[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(phrases: &[&str], lower: &str) -> Vec<String> {
        let index = PhraseIndex::new(phrases);
        let mut matches = Vec::new();
        index.find_all(lower, 0, &mut matches);
        keep_leftmost_longest(&mut matches);
        matches.iter().map(|m| format!("{}:{}", phrases[m.pattern as usize], &lower[m.start..m.end])).collect()
    }

    #[test]
    fn phrases_are_found_where_words_start_and_the_longest_wins() {
        let phrases = ["new york", "new york times", "new", "u.s.", "so-called", "(image:", "©", "zoë"];
        assert_eq!(
            found(&phrases, "the new york times and the u.s. so-called (image: getty) © zoë"),
            ["new york times:new york times", "u.s.:u.s.", "so-called:so-called", "(image::(image:", "©:©", "zoë:zoë"]
        );
        // Not inside a word: "renew" holds "new", "zoëy" is another word than "zoë" but opens
        // with it, so the boundary check (the lexicon's) is left to refuse that one.
        assert_eq!(found(&phrases, "renew"), Vec::<String>::new());
        assert_eq!(found(&phrases, "zoëy"), Vec::<String>::new());
        assert_eq!(found(&phrases, "newyork"), Vec::<String>::new());
        assert_eq!(found(&phrases, "new yorker"), ["new york:new york"]);
        assert_eq!(found(&[], "new york (image:"), Vec::<String>::new());
    }

    proptest::proptest! {
        /// Of every occurrence of every phrase (overlapping, as a naive search finds them),
        /// the index finds exactly those that stand at word boundaries, and maybe others
        /// that the boundary check then refuses.
        #[test]
        fn the_index_finds_every_occurrence_at_word_boundaries(
            words in proptest::collection::vec(
                proptest::sample::select(vec!["new", "york", "renew", "ne", "w", "©", "(", "é", "-", "\n", "u.s.", "u"]),
                0..30,
            ),
            glue in proptest::collection::vec(proptest::bool::ANY, 30),
        ) {
            let mut lower = String::new();
            for (word, glued) in words.iter().zip(&glue) {
                if !glued {
                    lower.push(' ');
                }
                lower.push_str(word);
            }
            let phrases = ["new", "new york", "ne", "w ©", "(é", "©", "u.s.", "york-"];
            let index = PhraseIndex::new(&phrases);
            let mut found = Vec::new();
            index.find_all(&lower, 0, &mut found);
            let valid = |m: &PhraseMatch| crate::lexicon::is_word_boundary(&lower, m.start, m.end);
            let mut indexed: Vec<(u32, usize, usize)> =
                found.iter().filter(|m| valid(m)).map(|m| (m.pattern, m.start, m.end)).collect();
            let mut naive: Vec<(u32, usize, usize)> = Vec::new();
            for (pattern, phrase) in phrases.iter().enumerate() {
                for start in 0..lower.len() {
                    if lower.is_char_boundary(start) && lower[start..].starts_with(phrase) {
                        let m = PhraseMatch { pattern: pattern as u32, start, end: start + phrase.len() };
                        if valid(&m) {
                            naive.push((m.pattern, m.start, m.end));
                        }
                    }
                }
            }
            indexed.sort_unstable();
            naive.sort_unstable();
            proptest::prop_assert_eq!(indexed, naive);
        }
    }
}
