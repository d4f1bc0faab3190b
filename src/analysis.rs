//! One segmentation of an article, shared by every detector: lines with byte offsets,
//! sentences, words, quoted spans and a lowercased copy.
//!
//! The lowercased copy has the same byte offsets as the text: a character whose lowercase
//! form is longer or shorter in UTF-8 (rare: 'İ', the Kelvin sign) is kept as it is. So the
//! offset map between the two is the identity, and a match found in `lower` is a span of
//! `text` as it stands.
use crate::record::Elided;

/// A line of the text: `text[start..end]`, without its line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    /// Words on the line.
    pub words: u32,
}

impl Line {
    /// A line with no words (empty, spaces, or only punctuation).
    pub fn is_blank(&self) -> bool {
        self.words == 0
    }
}

/// A sentence inside one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub words: u32,
}

/// A quoted span: `text[start..end]` is what stands between the quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    /// The sentence that contains the opening mark.
    pub sentence: usize,
    pub words: u32,
}

/// The shared segmentation of one article.
#[derive(Debug, Clone)]
pub struct Analysis<'a> {
    /// The analysed text (a prefix of the record's text when it exceeded the limit).
    pub text: &'a str,
    /// `text` lowercased, at identical byte offsets.
    pub lower: String,
    pub lines: Vec<Line>,
    pub sentences: Vec<Sentence>,
    pub quotes: Vec<Quote>,
    /// Words in the whole record, including any part past the analysis limit.
    pub words: usize,
    /// Set when only the first `analysed_bytes` of a longer record were analysed.
    pub truncated_from: Option<usize>,
    /// The first line with words: the headline of a scraped page.
    pub title_line: Option<usize>,
}

impl<'a> Analysis<'a> {
    /// Segments `text`, analysing at most `limit` bytes of it (cut at a character boundary).
    pub fn new(text: &'a str, limit: usize) -> Self {
        Self::with_elided(text, limit, None)
    }

    /// As [`Analysis::new`], for a text the reader kept only the first part of: `elided` is
    /// what it counted past `text`, so `words` and `truncated_from` cover the whole record.
    pub fn with_elided(text: &'a str, limit: usize, elided: Option<Elided>) -> Self {
        let (analysed, truncated_from) = if text.len() > limit {
            (&text[..floor_char_boundary(text, limit)], Some(text.len()))
        } else {
            (text, None)
        };
        let lower = lowercase_same_offsets(analysed);
        let lines = split_lines(analysed);
        let mut sentences = Vec::new();
        let mut quotes = Vec::new();
        for (index, line) in lines.iter().enumerate() {
            if line.is_blank() {
                continue;
            }
            let first_sentence = sentences.len();
            split_sentences(analysed, index, line, &mut sentences);
            find_quotes(analysed, index, line, first_sentence, &sentences, &mut quotes);
        }
        let mut words =
            if truncated_from.is_some() { count_words(text) } else { lines.iter().map(|l| l.words as usize).sum() };
        let truncated_from = match elided {
            Some(elided) => {
                words = words.saturating_add(usize::try_from(elided.words).unwrap_or(usize::MAX));
                Some(text.len().saturating_add(usize::try_from(elided.bytes).unwrap_or(usize::MAX)))
            }
            None => truncated_from,
        };
        let title_line = lines.iter().position(|l| !l.is_blank());
        Analysis { text: analysed, lower, lines, sentences, quotes, words, truncated_from, title_line }
    }

    /// The headline: the first line with words when it is shaped like one (no closing full
    /// stop, at most 25 words) and other lines follow. A one-line text has no headline.
    pub fn headline(&self) -> Option<usize> {
        let title = self.title_line?;
        let text = self.line_text(title).trim_end();
        let more = self.lines[title + 1..].iter().any(|l| !l.is_blank());
        (more && self.lines[title].words <= 25 && !text.ends_with(['.', '!', '?', '"', '”'])).then_some(title)
    }

    /// The text of line `index`.
    pub fn line_text(&self, index: usize) -> &'a str {
        let line = self.lines[index];
        &self.text[line.start..line.end]
    }

    /// The lowercased text of line `index`.
    pub fn line_lower(&self, index: usize) -> &str {
        let line = self.lines[index];
        &self.lower[line.start..line.end]
    }

    /// The index of the line that contains byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.partition_point(|l| l.end < offset).min(self.lines.len().saturating_sub(1))
    }

    /// Indices of the sentences of line `index`.
    pub fn sentences_of_line(&self, index: usize) -> std::ops::Range<usize> {
        let from = self.sentences.partition_point(|s| s.line < index);
        let to = self.sentences.partition_point(|s| s.line <= index);
        from..to
    }

    /// The nearest non-blank lines before and after `index`, up to `reach` each way.
    pub fn neighbours(&self, index: usize, reach: usize) -> impl Iterator<Item = usize> + '_ {
        let before = (0..index).rev().filter(|&i| !self.lines[i].is_blank()).take(reach);
        let after = (index + 1..self.lines.len()).filter(|&i| !self.lines[i].is_blank()).take(reach);
        before.chain(after)
    }
}

/// The largest char boundary at or below `index`.
pub fn floor_char_boundary(text: &str, index: usize) -> usize {
    let mut i = index.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Lowercases `text` keeping every character's byte length, so offsets carry over.
pub fn lowercase_same_offsets(text: &str) -> String {
    let mut lower = String::with_capacity(text.len());
    let mut rest = text;
    // Runs of ASCII are copied whole and lowered at the end; only other characters are decoded.
    while !rest.is_empty() {
        let ascii = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        lower.push_str(&rest[..ascii]);
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else { break };
        let mut lowered = c.to_lowercase();
        match (lowered.next(), lowered.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => lower.push(l),
            _ => lower.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    lower.make_ascii_lowercase();
    lower
}

/// Counts words: maximal runs of letters, digits and underscores, except in scripts written
/// without spaces (Chinese, Japanese), where a run of ideographs or kana counts a word for
/// every two characters, about the length of a word there. Without that a Japanese paragraph
/// would count as a few words, as short as a menu item.
pub fn count_words(text: &str) -> usize {
    let mut counter = WordCounter::default();
    counter.text(text);
    usize::try_from(counter.words).unwrap_or(usize::MAX)
}

/// Counts words as [`count_words`] does, over text that may come in pieces.
#[derive(Debug, Clone, Copy, Default)]
pub struct WordCounter {
    /// The last character was a word character outside the unspaced scripts.
    inside: bool,
    /// Characters of the run of ideographs or kana the last character ended.
    unspaced_run: u32,
    pub words: u64,
}

impl WordCounter {
    /// A counter that goes on from the end of `before` (a word cut there counts once).
    pub fn after(before: &str) -> Self {
        let unspaced_run = before.chars().rev().take_while(|&c| is_unspaced_script(c)).count();
        let last_in_word = before.chars().next_back().is_some_and(crate::lexicon::is_word_char);
        WordCounter {
            inside: unspaced_run == 0 && last_in_word,
            unspaced_run: u32::try_from(unspaced_run).unwrap_or(u32::MAX),
            words: 0,
        }
    }

    pub fn text(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(&b) = bytes.get(at) {
            if b.is_ascii() {
                self.ascii(b);
                at += 1;
            } else if let Some(c) = text[at..].chars().next() {
                self.char(c);
                at += c.len_utf8();
            }
        }
    }

    fn ascii(&mut self, b: u8) {
        let word = b.is_ascii_alphanumeric() || b == b'_';
        self.words += u64::from(word && !self.inside);
        self.inside = word;
        self.unspaced_run = 0;
    }

    pub fn char(&mut self, c: char) {
        if c.is_ascii() {
            return self.ascii(c as u8);
        }
        if is_unspaced_script(c) {
            self.words += u64::from(self.unspaced_run.is_multiple_of(2));
            self.unspaced_run = self.unspaced_run.saturating_add(1);
            self.inside = false;
            return;
        }
        let word = crate::lexicon::is_word_char(c);
        self.words += u64::from(word && !self.inside);
        self.inside = word;
        self.unspaced_run = 0;
    }
}

/// Ideographs and kana: the letters of scripts that do not put spaces between words.
/// (Hangul is spaced. Thai, Lao, Khmer and Myanmar are unspaced too but not handled yet: a
/// run of their letters counts one word.)
pub fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' // hiragana, katakana
        | '\u{31F0}'..='\u{31FF}' // katakana extensions
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9D}' // halfwidth katakana
        | '\u{20000}'..='\u{3134F}' // CJK extensions B to G
    )
}

/// `char::is_alphanumeric`, answered without Unicode's tables for the characters scraped
/// news is full of: ASCII, the General Punctuation block (curly quotes, dashes, bullets: none
/// a letter or digit), the Latin letters from U+00C0 to U+024F (all letters but × and ÷), and
/// Japanese and Chinese ([`common_letter`]). Every other character asks the tables. Checked
/// against the standard library for every character.
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphanumeric() } else { common_letter(c).unwrap_or_else(|| c.is_alphanumeric()) }
}

/// `char::is_alphabetic`, with the fast paths of [`is_alphanumeric`] (its two non-ASCII
/// ranges hold no digit).
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphabetic() } else { common_letter(c).unwrap_or_else(|| c.is_alphabetic()) }
}

/// `char::is_numeric`, with the fast paths of [`is_alphanumeric`]: in its ranges only the
/// letter numbers (〇, the Suzhou numerals) are numeric.
#[inline]
pub fn is_numeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else if common_letter(c).is_some() {
        matches!(c, '\u{3007}' | '\u{3021}'..='\u{3029}' | '\u{3038}'..='\u{303a}')
    } else {
        c.is_numeric()
    }
}

/// Whether a non-ASCII character in General Punctuation, Latin U+00C0-U+024F, CJK punctuation,
/// kana or the CJK unified ideographs is a letter (every numeric character of these ranges is
/// a letter too: 〇 and the Suzhou numerals are letter numbers); `None` outside them. Japanese and
/// Chinese text is read character by character many times over, and each character outside
/// these ranges costs a table search.
#[inline]
fn common_letter(c: char) -> Option<bool> {
    match c {
        '\u{2000}'..='\u{206f}' => Some(false),
        '\u{c0}'..='\u{24f}' => Some(c != '×' && c != '÷'),
        '\u{4e00}'..='\u{9fff}' => Some(true),
        // Ideographic punctuation, hiragana and katakana: letters but for the unassigned
        // code points, the punctuation, the combining and spacing sound marks and the dots.
        '\u{3000}'..='\u{30ff}' => Some(matches!(c,
            '\u{3005}'..='\u{3007}'
            | '\u{3021}'..='\u{3029}'
            | '\u{3031}'..='\u{3035}'
            | '\u{3038}'..='\u{303c}'
            | '\u{3041}'..='\u{3096}'
            | '\u{309d}'..='\u{309f}'
            | '\u{30a1}'..='\u{30fa}'
            | '\u{30fc}'..='\u{30ff}')),
        _ => None,
    }
}

/// The words of `text` as runs of letters and digits (Unicode's), read by [`word_runs`]: what
/// splitting at every other character gives, without its empty pieces.
pub fn alphanumeric_words(text: &str) -> impl Iterator<Item = &str> + '_ {
    word_runs(text, is_alphanumeric, is_alphanumeric).map(move |run| &text[run])
}

/// The byte ranges of the words of `text`: runs that begin at a character `starts` accepts
/// and go on while `continues` accepts (which must accept all that `starts` does). ASCII
/// bytes are classified without decoding; other characters are decoded where they are met,
/// so the classes are Unicode's everywhere and ASCII text costs a byte test per byte.
pub fn word_runs<'a>(
    text: &'a str,
    starts: impl Fn(char) -> bool + 'a,
    continues: impl Fn(char) -> bool + 'a,
) -> impl Iterator<Item = std::ops::Range<usize>> + 'a {
    let bytes = text.as_bytes();
    let mut at = 0;
    // The character at `at` and its width in bytes.
    let char_at = move |at: usize| match bytes.get(at) {
        Some(&b) if b.is_ascii() => Some((char::from(b), 1)),
        Some(_) => text[at..].chars().next().map(|c| (c, c.len_utf8())),
        None => None,
    };
    std::iter::from_fn(move || {
        let start = loop {
            let (c, width) = char_at(at)?;
            at += width;
            if starts(c) {
                break at - width;
            }
        };
        while let Some((c, width)) = char_at(at) {
            at += width;
            if !continues(c) {
                return Some(start..at - width);
            }
        }
        Some(start..at)
    })
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    loop {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |i| start + i);
        let content_end = if end > start && bytes[end - 1] == b'\r' { end - 1 } else { end };
        lines.push(Line { start, end: content_end, words: count_words(&text[start..content_end]) as u32 });
        // A final line break ends the last line; it does not start another.
        if end + 1 >= text.len() {
            break;
        }
        start = end + 1;
    }
    lines
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "gen", "sen", "rep", "gov", "col", "lt", "sgt", "capt", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp", "jr",
    "sr", "etc", "e.g", "i.e", "u.s", "u.k", "approx", "fig", "art", "nr", "bzw", "ca", "vgl", "z.b",
];

fn split_sentences(text: &str, line_index: usize, line: &Line, out: &mut Vec<Sentence>) {
    let body = &text[line.start..line.end];
    let mut sentence_start = 0;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !matches!(c, '.' | '!' | '?' | '。' | '！' | '？') {
            continue;
        }
        // Swallow repeated marks and closing quotes or brackets.
        let mut end = i + c.len_utf8();
        while let Some(&(j, next)) = chars.peek() {
            if matches!(next, '.' | '!' | '?' | '"' | '”' | '’' | '\'' | ')' | ']' | '»') {
                end = j + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let rest = &body[end..];
        let after_space = rest.trim_start();
        let spaced = after_space.len() < rest.len();
        let next_char = after_space.chars().next();
        let boundary = match next_char {
            None => true,
            Some(n) => {
                spaced
                    && (n.is_uppercase()
                        || n.is_numeric()
                        || matches!(n, '"' | '“' | '‘' | '\'' | '(' | '«' | '—' | '–'))
            }
        };
        if !boundary || (c == '.' && is_abbreviation(&body[sentence_start..i])) {
            continue;
        }
        push_sentence(text, line_index, line.start + sentence_start, line.start + end, out);
        sentence_start = end;
    }
    if sentence_start < body.len() {
        push_sentence(text, line_index, line.start + sentence_start, line.end, out);
    }
}

fn push_sentence(text: &str, line: usize, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let slice = &text[start..end];
    let trimmed_start = start + (slice.len() - slice.trim_start().len());
    let trimmed_end = start + slice.trim_end().len();
    if trimmed_end <= trimmed_start {
        return;
    }
    let words = count_words(&text[trimmed_start..trimmed_end]) as u32;
    if words > 0 {
        out.push(Sentence { start: trimmed_start, end: trimmed_end, line, words });
    }
}

fn is_abbreviation(before: &str) -> bool {
    let token = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    let letters = token.trim_start_matches(['"', '“', '(']);
    if letters.chars().count() == 1 && letters.chars().all(is_alphabetic) {
        return true; // an initial: "J. Smith"
    }
    let lower = letters.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

fn find_quotes(
    text: &str,
    line_index: usize,
    line: &Line,
    first_sentence: usize,
    sentences: &[Sentence],
    out: &mut Vec<Quote>,
) {
    let body = &text[line.start..line.end];
    let mut open: Option<(usize, char)> = None;
    let mut previous = ' ';
    let mut iter = body.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map_or(' ', |&(_, n)| n);
        match (open, c) {
            (None, '“' | '„' | '«') => open = Some((i + c.len_utf8(), c)),
            (None, '"') if !is_alphanumeric(previous) => open = Some((i + 1, c)),
            (None, '‘') => open = Some((i + c.len_utf8(), c)),
            (Some((start, opener)), _) => {
                let closes = match opener {
                    '“' | '„' => matches!(c, '”' | '“'),
                    '«' => c == '»',
                    '"' => c == '"',
                    '‘' => c == '’' && !is_alphanumeric(next),
                    _ => false,
                };
                if closes {
                    let absolute_start = line.start + start;
                    // Sentences are in order: the last one starting at or before the quote holds it.
                    let within = sentences[first_sentence..].partition_point(|s| s.start <= absolute_start);
                    let sentence = first_sentence + within.saturating_sub(1);
                    out.push(Quote {
                        start: absolute_start,
                        end: line.start + i,
                        line: line_index,
                        sentence,
                        words: count_words(&body[start..i]) as u32,
                    });
                    open = None;
                }
            }
            _ => {}
        }
        previous = c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_letter_and_digit_tests_agree_with_the_standard_library_on_every_character() {
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_numeric(c), c.is_numeric(), "{c:?}");
        }
    }

    #[test]
    fn lines_keep_offsets_and_drop_carriage_returns() {
        let a = Analysis::new("Title\r\n\r\nBody text here.", usize::MAX);
        assert_eq!(a.lines.len(), 3);
        assert_eq!(a.line_text(0), "Title");
        assert!(a.lines[1].is_blank());
        assert_eq!(a.line_text(2), "Body text here.");
        assert_eq!(a.words, 4);
        assert_eq!(a.title_line, Some(0));
    }

    #[test]
    fn a_final_line_break_does_not_make_a_line() {
        assert_eq!(Analysis::new("a\n\nb\n", usize::MAX).lines.len(), 3);
        assert_eq!(Analysis::new("a\n\nb", usize::MAX).lines.len(), 3);
        assert_eq!(Analysis::new("", usize::MAX).lines.len(), 1);
    }

    #[test]
    fn sentences_split_at_full_stops_but_not_abbreviations() {
        let a = Analysis::new("Mr. Smith met Dr. Jones on Nov. 21. They talked. Then left!", usize::MAX);
        let sentences: Vec<&str> = a.sentences.iter().map(|s| &a.text[s.start..s.end]).collect();
        assert_eq!(sentences, vec!["Mr. Smith met Dr. Jones on Nov. 21.", "They talked.", "Then left!"]);
    }

    #[test]
    fn quotes_are_found_with_their_sentence() {
        let a = Analysis::new("He said “we will win” today. The “peaceful” protest ended.", usize::MAX);
        let quoted: Vec<&str> = a.quotes.iter().map(|q| &a.text[q.start..q.end]).collect();
        assert_eq!(quoted, vec!["we will win", "peaceful"]);
        assert_eq!(a.quotes[1].sentence, 1);
        assert_eq!(a.quotes[1].words, 1);
    }

    #[test]
    fn apostrophes_do_not_close_single_quotes() {
        let a = Analysis::new("the deal is ‘close’ to NATO’s approval", usize::MAX);
        let quoted: Vec<&str> = a.quotes.iter().map(|q| &a.text[q.start..q.end]).collect();
        assert_eq!(quoted, vec!["close"]);
    }

    #[test]
    fn lowercase_copy_keeps_byte_offsets() {
        let text = "KELVIN \u{212A} İstanbul ÄÖÜ Straße";
        let lower = lowercase_same_offsets(text);
        assert_eq!(lower.len(), text.len());
        assert!(lower.contains("äöü straße"));
    }

    #[test]
    fn words_are_counted_alike_in_ascii_and_other_scripts() {
        // Every non-ASCII letter continues a word; a non-ASCII dash or space ends one.
        assert_eq!(count_words("Zürich’s café—open 24/7_now"), 6);
        assert_eq!(count_words("Москва и Київ\u{a0}2024"), 4);
        assert_eq!(count_words(""), 0);
    }

    #[test]
    fn unspaced_scripts_count_a_word_per_two_characters() {
        // Eight ideographs and kana, an ideographic comma, one, "Kindle", three: 4 + 1 + 1 + 2.
        assert_eq!(count_words("書籍を読む場合は、一Kindle用途を"), 8);
        assert_eq!(count_words("を"), 1);
        let long = "一般的にスマホやタブレットなどのモバイル端末で読むことが多いと思いますが、パソコンで読みたい時もあります。";
        let menu = "ソフトウェア一般";
        assert!(count_words(long) >= 20 && count_words(menu) <= 4, "{} {}", count_words(long), count_words(menu));
        // Counted in pieces, a run cut anywhere counts as the whole.
        for cut in long.char_indices().map(|(i, _)| i) {
            let mut counter = WordCounter::after(&long[..cut]);
            counter.text(&long[cut..]);
            assert_eq!(count_words(&long[..cut]) as u64 + counter.words, count_words(long) as u64, "cut at {cut}");
        }
        let lower = lowercase_same_offsets("Ünïcode ABC Ωmega");
        assert_eq!(lower, "ünïcode abc ωmega");
    }

    #[test]
    fn word_runs_start_and_continue_by_their_own_classes() {
        let text = "'tis Zoë’s 3rd—“café” don't";
        let runs: Vec<&str> = word_runs(text, char::is_alphanumeric, |c| c.is_alphanumeric() || c == '\'' || c == '’')
            .map(|run| &text[run])
            .collect();
        assert_eq!(runs, vec!["tis", "Zoë’s", "3rd", "café", "don't"]);
        assert_eq!(word_runs("", char::is_alphanumeric, char::is_alphanumeric).count(), 0);
        assert_eq!(word_runs("ünï", char::is_alphanumeric, char::is_alphanumeric).collect::<Vec<_>>(), vec![0..5]);
    }

    #[test]
    fn a_long_text_is_analysed_up_to_the_limit_on_a_char_boundary() {
        let text = "é".repeat(10);
        let a = Analysis::new(&text, 7);
        assert_eq!(a.text.len(), 6);
        assert_eq!(a.truncated_from, Some(20));
        assert_eq!(a.words, 1);
    }

    #[test]
    fn an_elided_tail_counts_in_words_and_size() {
        let elided = Elided { bytes: 1000, words: 150 };
        let a = Analysis::with_elided("two words", 4 << 20, Some(elided));
        assert_eq!(a.text, "two words");
        assert_eq!(a.words, 152);
        assert_eq!(a.truncated_from, Some(1009));
        let cut = Analysis::with_elided("one two three", 5, Some(elided));
        assert_eq!(cut.text, "one t");
        assert_eq!((cut.words, cut.truncated_from), (153, Some(1013)));
    }
}
