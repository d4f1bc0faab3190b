//! Bounds on what a reader holds: a record's text is kept up to a limit and the rest only
//! counted (bytes and words, as UTF-8), and a JSONL line or CSV record longer than a cap is
//! skipped without being held whole. So memory stays bounded whatever one record holds.
use std::io::{self, BufRead};

use crate::analysis::WordCounter;
use crate::record::Elided;
use crate::score::DEFAULT_ANALYSIS_LIMIT;

/// A JSONL line or CSV record longer than this is reported and skipped.
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// How much of a record a reader keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of a record's text kept in [`crate::Record::text`]; the rest is counted in
    /// [`Elided`]. The default is what the scorer analyses.
    pub text_bytes: usize,
    /// A JSONL line or CSV record longer than this is skipped with an error.
    pub record_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { text_bytes: DEFAULT_ANALYSIS_LIMIT, record_bytes: MAX_RECORD_BYTES }
    }
}

/// Keeps at most `limit` bytes of `text` (cut at a character boundary) and says what was cut.
pub fn elide(text: &mut String, limit: usize) -> Option<Elided> {
    if text.len() <= limit {
        return None;
    }
    let cut = crate::analysis::floor_char_boundary(text, limit);
    let mut words = WordCounter::after(&text[..cut]);
    words.text(&text[cut..]);
    let elided = Elided { bytes: (text.len() - cut) as u64, words: words.words };
    text.truncate(cut);
    text.shrink_to_fit();
    Some(elided)
}

/// The encoding of a stream being counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
}

/// Decodes the rest of a stream (lossily, as the reader decodes the part it keeps) and
/// counts its characters' UTF-8 bytes and its words, keeping nothing.
#[derive(Debug)]
pub struct TailCounter {
    encoding: Encoding,
    /// Bytes of a character (or UTF-16 unit) split across two pieces.
    carry: Vec<u8>,
    /// A UTF-16 high surrogate waiting for its pair.
    high: Option<u16>,
    words: WordCounter,
    bytes: u64,
}

impl TailCounter {
    /// A counter of what follows `kept` in a stream of `encoding`.
    pub fn new(encoding: Encoding, kept: &str) -> Self {
        TailCounter { encoding, carry: Vec::new(), high: None, words: WordCounter::after(kept), bytes: 0 }
    }

    pub fn feed(&mut self, piece: &[u8]) {
        match self.encoding {
            Encoding::Utf8 => self.feed_utf8(piece),
            Encoding::Utf16Le => self.feed_utf16(piece, u16::from_le_bytes),
            Encoding::Utf16Be => self.feed_utf16(piece, u16::from_be_bytes),
        }
    }

    fn feed_utf8(&mut self, piece: &[u8]) {
        let joined;
        let mut rest = if self.carry.is_empty() {
            piece
        } else {
            self.carry.extend_from_slice(piece);
            joined = std::mem::take(&mut self.carry);
            &joined[..]
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.text(text);
                    return;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    if let Ok(text) = std::str::from_utf8(valid) {
                        self.text(text);
                    }
                    match e.error_len() {
                        Some(bad) => {
                            self.char(char::REPLACEMENT_CHARACTER);
                            rest = &after[bad..];
                        }
                        None => {
                            self.carry = after.to_vec();
                            return;
                        }
                    }
                }
            }
        }
    }

    fn feed_utf16(&mut self, piece: &[u8], unit_of: fn([u8; 2]) -> u16) {
        let mut bytes = piece;
        if let Some(&first) = self.carry.first() {
            let Some((&second, rest)) = bytes.split_first() else { return };
            self.carry.clear();
            self.unit(unit_of([first, second]));
            bytes = rest;
        }
        let pairs = bytes.chunks_exact(2);
        self.carry.extend_from_slice(pairs.remainder());
        for pair in pairs {
            self.unit(unit_of([pair[0], pair[1]]));
        }
    }

    fn unit(&mut self, unit: u16) {
        if let Some(high) = self.high.take() {
            if (0xDC00..0xE000).contains(&unit) {
                let code = 0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                self.char(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                return;
            }
            self.char(char::REPLACEMENT_CHARACTER);
        }
        if (0xD800..0xDC00).contains(&unit) {
            self.high = Some(unit);
        } else {
            self.char(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
    }

    fn text(&mut self, text: &str) {
        self.bytes += text.len() as u64;
        self.words.text(text);
    }

    fn char(&mut self, c: char) {
        self.bytes += c.len_utf8() as u64;
        self.words.char(c);
    }

    /// What was counted, once the stream has ended.
    pub fn finish(mut self) -> Elided {
        // An incomplete character at the end reads as one replacement character; an odd
        // byte at the end of UTF-16 is dropped, as the whole-file decoder drops it.
        if self.encoding == Encoding::Utf8 && !self.carry.is_empty() || self.high.is_some() {
            self.char(char::REPLACEMENT_CHARACTER);
        }
        Elided { bytes: self.bytes, words: self.words.words }
    }
}

/// Where the UTF-8 bytes `bytes` may be cut without splitting a character: before a final
/// sequence that is still incomplete, else at the end.
pub fn utf8_cut(bytes: &[u8]) -> usize {
    let from = bytes.len().saturating_sub(4);
    for at in (from..bytes.len()).rev() {
        let b = bytes[at];
        if b & 0xC0 != 0x80 {
            let len = match b {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xFF => 4,
                _ => 1,
            };
            return if at + len > bytes.len() { at } else { bytes.len() };
        }
    }
    bytes.len()
}

/// One line read with [`read_line_capped`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// The stream has ended.
    End,
    /// A line (with its `\n`, if it had one) is in the buffer.
    Read,
    /// The line was longer than the cap: it was read past, not kept, and is `bytes` long.
    TooLong { bytes: u64 },
}

/// Reads one line into `buffer` (cleared first), keeping at most `cap` bytes: a longer line
/// is consumed to its end without being held.
pub fn read_line_capped(reader: &mut dyn BufRead, buffer: &mut Vec<u8>, cap: usize) -> io::Result<Line> {
    buffer.clear();
    let mut skipped: Option<u64> = None;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(match skipped {
                Some(bytes) => Line::TooLong { bytes },
                None if buffer.is_empty() => Line::End,
                None => Line::Read,
            });
        }
        let (take, ends) = match memchr::memchr(b'\n', available) {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        match &mut skipped {
            Some(bytes) => *bytes += take as u64,
            None if buffer.len() + take > cap => {
                skipped = Some((buffer.len() + take) as u64);
                buffer.clear();
                buffer.shrink_to_fit();
            }
            None => buffer.extend_from_slice(&available[..take]),
        }
        reader.consume(take);
        if ends {
            return Ok(match skipped {
                Some(bytes) => Line::TooLong { bytes },
                None => Line::Read,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::count_words;

    #[test]
    fn elided_text_counts_the_rest_once() {
        let mut text = "alpha beta gamma délta".to_string();
        let elided = elide(&mut text, 8).unwrap();
        assert_eq!(text, "alpha be");
        assert_eq!(elided, Elided { bytes: 15, words: 2 });
        let mut short = "short".to_string();
        assert_eq!(elide(&mut short, 8), None);
    }

    #[test]
    fn the_tail_counter_reads_pieces_as_the_whole() {
        let whole = "héllo wörld \u{1F600} end caf\u{E9}".as_bytes().to_vec();
        let mut bad = whole.clone();
        bad.insert(3, 0xFF);
        bad.push(0xE2);
        for bytes in [whole, bad] {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            for step in 1..6 {
                let mut counter = TailCounter::new(Encoding::Utf8, "");
                bytes.chunks(step).for_each(|piece| counter.feed(piece));
                let elided = counter.finish();
                assert_eq!(elided, Elided { bytes: text.len() as u64, words: count_words(&text) as u64 }, "{step}");
            }
        }
        let text = "wörd \u{1F600} more";
        let units: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let mut counter = TailCounter::new(Encoding::Utf16Be, "");
        units.chunks(3).for_each(|piece| counter.feed(piece));
        assert_eq!(counter.finish(), Elided { bytes: text.len() as u64, words: 2 });
    }

    #[test]
    fn a_cut_never_splits_a_character() {
        assert_eq!(utf8_cut(b"abc"), 3);
        assert_eq!(utf8_cut("ab\u{E9}".as_bytes()), 4);
        assert_eq!(utf8_cut(&"ab\u{20AC}".as_bytes()[..4]), 2);
        assert_eq!(utf8_cut(&[0x80, 0x80, 0x80, 0x80, 0x80]), 5);
    }

    #[test]
    fn a_line_over_the_cap_is_skipped_not_kept() {
        let data = b"short\n0123456789abcdef\nlast".to_vec();
        let mut reader = io::BufReader::with_capacity(4, &data[..]);
        let mut buffer = Vec::new();
        assert_eq!(read_line_capped(&mut reader, &mut buffer, 8).unwrap(), Line::Read);
        assert_eq!(buffer, b"short\n");
        assert_eq!(read_line_capped(&mut reader, &mut buffer, 8).unwrap(), Line::TooLong { bytes: 17 });
        assert!(buffer.is_empty());
        assert_eq!(read_line_capped(&mut reader, &mut buffer, 8).unwrap(), Line::Read);
        assert_eq!(buffer, b"last");
        assert_eq!(read_line_capped(&mut reader, &mut buffer, 8).unwrap(), Line::End);
    }
}
