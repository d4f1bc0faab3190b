//! Template lines per source: a line that recurs in many records of one source is page
//! template (a site's footer, its "Related" heading, its newsletter box), whatever its words.
//!
//! Lines are compared by a 64-bit hash of their normalised form (lowercased, digits folded to
//! `0`, runs of spaces to one), so "Updated 12:30" and "Updated 09:05" are the same line, and
//! each key also hashes the source, so one site's template never marks another's prose.
//! The table keeps hashes and counts, never lines. Most lines of a corpus occur once (an
//! article's own sentences), so a line's first sighting only sets two bits of a fixed-size
//! filter, and the line enters the counts on its second: on the 20 MB bench corpus that keeps
//! six lines in seven out of the table. The counts have a fixed capacity too: when full, every
//! count drops by one and the keys left at zero go (lossy counting), so lines that recur keep
//! their place and rare lines make room.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::tokens::finish;

/// How often a line must recur, counted in records of its source, to be template.
pub const DEFAULT_MIN_RECORDS: u32 = 4;
/// Keys the table holds before it sheds its rarest: about 20 bytes each, so 48 MiB at most.
pub const DEFAULT_MAX_ENTRIES: usize = 1 << 21;
/// Bits of the first-sighting filter per key the counts may hold (2 MiB for the default).
const FILTER_BITS_PER_ENTRY: usize = 8;

/// The key of a source, to be combined with each of its lines' hashes.
pub fn source_key(source: &str) -> u64 {
    finish(source.bytes().fold(0x9e37_79b9_7f4a_7c15, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)))
}

/// The key of one line of a source, or `None` for a line with no letter or digit (blank
/// lines and rules of dashes recur everywhere and say nothing).
pub fn line_key(source: u64, line: &str) -> Option<u64> {
    let mut key = KeyState::default();
    let mut pending_space = false;
    let mut seen_word = false;
    let line = line.trim();
    let bytes = line.as_bytes();
    let mut at = 0;
    // ASCII a byte at a time through a table; any other character decoded where it starts.
    while at < bytes.len() {
        let byte = bytes[at];
        if byte.is_ascii() {
            at += 1;
            let normal = ASCII_NORMAL[usize::from(byte)];
            if normal == SPACE {
                pending_space = true;
                continue;
            }
            if pending_space {
                key.push(b' ');
                pending_space = false;
            }
            seen_word |= normal.is_ascii_alphanumeric();
            key.push(normal);
            continue;
        }
        let c = line[at..].chars().next().expect("a char starts at a non-ASCII lead byte");
        at += c.len_utf8();
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            key.push(b' ');
            pending_space = false;
        }
        if crate::analysis::is_numeric(c) {
            seen_word = true;
            key.push(b'0');
        } else {
            seen_word |= crate::analysis::is_alphabetic(c);
            let mut buffer = [0u8; 4];
            for lower in c.to_lowercase() {
                lower.encode_utf8(&mut buffer).bytes().for_each(|b| key.push(b));
            }
        }
    }
    seen_word.then(|| finish(key.finish() ^ source.rotate_left(17)))
}

/// Marks a whitespace byte in [`ASCII_NORMAL`] (no normalised byte is 0xFF).
const SPACE: u8 = 0xFF;

/// Each ASCII byte as a key reads it: whitespace (as `char::is_whitespace` has it) marked,
/// digits folded to `0`, letters lowercased, the rest as they are.
const ASCII_NORMAL: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = match byte {
            b'\t'..=b'\r' | b' ' => SPACE,
            b'0'..=b'9' => b'0',
            _ => byte.to_ascii_lowercase(),
        };
        b += 1;
    }
    table
};

/// Hashes the normalised bytes of a line eight at a time: they gather in a word, and each
/// full word is mixed into the state by one multiply (a byte at a time, the multiplies of
/// a long line were a chain as long as the line).
#[derive(Default)]
struct KeyState {
    state: u64,
    word: u64,
    filled: u32,
    length: u64,
}

impl KeyState {
    fn push(&mut self, byte: u8) {
        self.word |= u64::from(byte) << (8 * self.filled);
        self.filled += 1;
        if self.filled == 8 {
            self.mix();
        }
    }

    fn mix(&mut self) {
        self.state = (self.state ^ self.word).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(31);
        self.length += u64::from(self.filled);
        (self.word, self.filled) = (0, 0);
    }

    /// The hash of the bytes pushed, their number included (so a trailing NUL counts).
    fn finish(mut self) -> u64 {
        if self.filled > 0 {
            self.mix();
        }
        finish(self.state ^ self.length.wrapping_mul(0xcbf2_9ce4_8422_2325))
    }
}

/// The distinct line keys of one record, sorted: what the table counts once per record.
pub fn record_keys(source: &str, text: &str) -> Vec<u64> {
    let source = source_key(source);
    let mut keys: Vec<u64> = text.split('\n').filter_map(|line| line_key(source, line)).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Counts, per line key, the records that contain the line.
#[derive(Debug, Clone)]
pub struct TemplateLines {
    /// Keys seen in at least two records (as far as the filter can tell), with their counts.
    counts: HashMap<u64, u32, BuildHasherDefault<KeyHasher>>,
    /// Keys seen once.
    seen_once: SeenOnce,
    min_records: u32,
    max_entries: usize,
}

/// Which keys have been seen, in two bits each of a fixed-size bit array (a Bloom filter with
/// two probes). It may say "seen" of a key it has not seen, with a probability that grows
/// with its fill; once a quarter of its bits are set (about 1 in 16 then) it starts afresh.
/// A line lost that way needs one more sighting to enter the counts; one counted early
/// enters with one record too many. Either way a line that recurs in a site's template, in
/// most of its records, is counted.
#[derive(Debug, Clone)]
struct SeenOnce {
    words: Vec<u64>,
    set: usize,
}

impl SeenOnce {
    fn new(bits: usize) -> Self {
        SeenOnce { words: vec![0; bits.next_power_of_two().max(64) / 64], set: 0 }
    }

    /// Marks `key` as seen; true when it was seen before (or the filter cannot tell).
    fn check_and_mark(&mut self, key: u64) -> bool {
        // Emptied before marking, never after, so the key just marked is kept.
        if self.set * 4 > self.words.len() * 64 {
            self.words.fill(0);
            self.set = 0;
        }
        let mask = (self.words.len() * 64 - 1) as u64;
        // Keys are finished hashes: their two halves are two independent probes.
        let mut seen = true;
        for bit in [key & mask, (key >> 32) & mask] {
            let (word, flag) = ((bit / 64) as usize, 1u64 << (bit % 64));
            if self.words[word] & flag == 0 {
                seen = false;
                self.words[word] |= flag;
                self.set += 1;
            }
        }
        seen
    }
}

impl Default for TemplateLines {
    fn default() -> Self {
        TemplateLines::new(DEFAULT_MIN_RECORDS, DEFAULT_MAX_ENTRIES)
    }
}

impl TemplateLines {
    /// A table that calls a line template once `min_records` records of its source hold it.
    pub fn new(min_records: u32, max_entries: usize) -> Self {
        let max_entries = max_entries.max(16);
        TemplateLines {
            counts: HashMap::default(),
            seen_once: SeenOnce::new(max_entries.saturating_mul(FILTER_BITS_PER_ENTRY)),
            min_records: min_records.max(2),
            max_entries,
        }
    }

    /// Counts one record's distinct line keys (from [`record_keys`]).
    pub fn add(&mut self, keys: &[u64]) {
        for &key in keys {
            if let Some(count) = self.counts.get_mut(&key) {
                *count += 1;
            } else if self.seen_once.check_and_mark(key) {
                // Its first record was the one that marked it.
                self.counts.insert(key, 2);
            }
        }
        while self.counts.len() > self.max_entries {
            self.counts.retain(|_, count| {
                *count -= 1;
                *count > 0
            });
        }
    }

    /// Records of its source that hold this line, as far as the table knows.
    pub fn records_with(&self, key: u64) -> u32 {
        self.counts.get(&key).copied().unwrap_or(0)
    }

    /// The lines of one source, for looking up a record's lines.
    pub fn of_source(&self, source: &str) -> SourceTemplate<'_> {
        SourceTemplate { table: self, source: source_key(source) }
    }

    pub fn min_records(&self) -> u32 {
        self.min_records
    }

    /// Keys counted (lines seen in at least two records; lines seen once are only marked).
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

/// Counts each record of a batch, in input order; the batch's records then see each other.
impl crate::pipeline::Survey for TemplateLines {
    fn survey(&mut self, records: &[&crate::Record]) {
        use rayon::prelude::*;
        let keys: Vec<Vec<u64>> = records.par_iter().map(|r| record_keys(&r.source, &r.text)).collect();
        for keys in &keys {
            self.add(keys);
        }
    }
}

/// The table seen from one source.
#[derive(Debug, Clone, Copy)]
pub struct SourceTemplate<'a> {
    table: &'a TemplateLines,
    source: u64,
}

impl SourceTemplate<'_> {
    /// Records of this source that hold `line`, if it is a template line.
    pub fn template_count(&self, line: &str) -> Option<u32> {
        let count = self.table.records_with(line_key(self.source, line)?);
        (count >= self.table.min_records).then_some(count)
    }
}

/// The keys are finished hashes already: hashing them again would only cost time.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key as first written, a character at a time: the fast path must agree with it.
    fn reference_line_key(source: u64, line: &str) -> Option<u64> {
        let mut key = KeyState::default();
        let (mut pending_space, mut seen_word) = (false, false);
        for c in line.trim().chars() {
            if c.is_whitespace() {
                pending_space = true;
                continue;
            }
            if pending_space {
                key.push(b' ');
                pending_space = false;
            }
            if c.is_numeric() {
                seen_word = true;
                key.push(b'0');
            } else if c.is_ascii() {
                seen_word |= c.is_ascii_alphabetic();
                key.push(c.to_ascii_lowercase() as u8);
            } else {
                seen_word |= c.is_alphabetic();
                let mut buffer = [0u8; 4];
                for lower in c.to_lowercase() {
                    lower.encode_utf8(&mut buffer).bytes().for_each(|b| key.push(b));
                }
            }
        }
        seen_word.then(|| finish(key.finish() ^ source.rotate_left(17)))
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_fast_path_gives_the_reference_key(line in "[a-zA-Z0-9 \t\u{b}\u{1c}\u{0}\u{85}\u{a0}éÉ٣²ǅ.|-]{0,30}") {
            proptest::prop_assert_eq!(line_key(7, &line), reference_line_key(7, &line));
        }
    }

    #[test]
    fn normalised_lines_share_a_key_within_a_source_only() {
        let site = source_key("example.com");
        let other = source_key("other.org");
        assert_eq!(line_key(site, "Updated 12:30  GMT "), line_key(site, "updated 09:05 gmt"));
        assert_ne!(line_key(site, "Read more"), line_key(other, "Read more"));
        assert_ne!(line_key(site, "Read more"), line_key(site, "Read less"));
        assert_eq!(line_key(site, "  ---  "), None);
        assert_eq!(line_key(site, ""), None);
        assert!(line_key(site, "Über uns").is_some());
    }

    #[test]
    fn a_line_is_template_once_enough_records_of_its_source_hold_it() {
        let mut table = TemplateLines::new(3, 1000);
        let record = "Headline one\nSubscribe to our newsletter\nBody text of one.";
        for i in 0..3 {
            let text = record.replace("one", &format!("number {}", ["a", "b", "c"][i]));
            table.add(&record_keys("site", &text));
            let seen = table.of_source("site").template_count("Subscribe to our newsletter");
            assert_eq!(seen, if i < 2 { None } else { Some(3) });
        }
        assert_eq!(table.of_source("site").template_count("Body text of number a."), None);
        assert_eq!(table.of_source("elsewhere").template_count("Subscribe to our newsletter"), None);
    }

    #[test]
    fn a_line_repeated_inside_one_record_counts_once() {
        let mut table = TemplateLines::new(2, 1000);
        table.add(&record_keys("s", "Share\nShare\nShare"));
        assert_eq!(table.of_source("s").template_count("Share"), None);
    }

    #[test]
    fn lines_seen_once_are_marked_not_counted() {
        let mut table = TemplateLines::new(3, 1 << 16);
        // Digits are folded in keys, so each record's own line is told apart by letters.
        let letters =
            |i: usize| -> String { [i / 676, i / 26 % 26, i % 26].iter().map(|&d| (b'a' + d as u8) as char).collect() };
        for i in 0..1000 {
            table.add(&record_keys(
                "s",
                &format!("Footer of the site\nthe line of record {}, said the mayor", letters(i)),
            ));
        }
        // The footer alone is counted, exactly; a thousand one-off lines never entered.
        assert_eq!(table.len(), 1);
        assert_eq!(table.of_source("s").template_count("Footer of the site"), Some(1000));
        assert_eq!(table.of_source("s").template_count("the line of record aah, said the mayor"), None);
    }

    #[test]
    fn the_filter_starting_afresh_delays_a_line_by_one_sighting() {
        // 64 bits, emptied once more than 16 are set: a stream of new keys empties it often.
        let mut filter = SeenOnce::new(64);
        let mut mixer = 0u64;
        let mut fresh = || {
            mixer = mixer.wrapping_add(0x9e37_79b9_7f4a_7c15);
            super::finish(mixer)
        };
        let recurring = 5 | 9 << 32;
        assert!(!filter.check_and_mark(recurring));
        let mut misses = Vec::new();
        for round in 1..300 {
            for _ in 0..round % 3 {
                filter.check_and_mark(fresh());
            }
            if !filter.check_and_mark(recurring) {
                misses.push(round);
            }
        }
        // The filter was emptied many times, and each time the recurring key was missed once,
        // never twice in a row.
        assert!(misses.len() > 10, "{misses:?}");
        assert!(misses.windows(2).all(|w| w[1] > w[0] + 1), "{misses:?}");
    }

    #[test]
    fn a_full_table_sheds_one_off_lines_and_keeps_recurring_ones() {
        let mut table = TemplateLines::new(3, 64);
        for i in 0..200 {
            table.add(&record_keys("s", &format!("Footer of the site\nunique line {}", "x".repeat(i % 97 + 1))));
        }
        assert!(table.len() <= 64);
        assert!(table.of_source("s").template_count("Footer of the site").is_some());
    }
}
