//! The line classifier: plain features of each line and of its neighbourhood, weighed by an
//! ensemble of gradient-boosted trees fitted on labelled pages (`residue fit`, `models/lines.toml`).
//! It reads what lexicons cannot: a block of short unpunctuated lines is navigation, a line
//! far from the page's main run of prose is not the article, whatever language it is in.
use rustc_hash::FxHashSet as HashSet;

use crate::analysis::Analysis;

/// Feature names, in the order of [`LineFeatures`]. `models/lines.toml` must list the same.
pub const FEATURE_NAMES: [&str; 43] = [
    "log_words",
    "long_line",
    "terminal_punctuation",
    "ends_with_colon",
    "capitalised_share",
    "digit_share",
    "punctuation_share",
    "separators",
    "stopword_share",
    "mean_word_length",
    "commas_per_word",
    "date_time_marks",
    "rule_paywall",
    "rule_widget",
    "is_title",
    "position",
    "position_squared",
    "log_page_lines",
    "starts_with_bullet",
    "previous_log_words",
    "previous_terminal",
    "next_log_words",
    "next_terminal",
    "window_prose_density",
    "window_log_words",
    "in_main_block",
    "before_main_block",
    "after_main_block",
    "log_distance_to_block",
    "previous_rule_boilerplate",
    "next_rule_boilerplate",
    "short_unpunctuated",
    "log_chars",
    "relative_length",
    "glued_words",
    "repeated_on_page",
    "dateline",
    "main_block_share",
    "after_comments",
    "in_introduced_list",
    "ends_with_ellipsis",
    "headline_glued_to_lead",
    "numbered_row_run",
];

/// Number of features.
pub const FEATURES: usize = FEATURE_NAMES.len();

/// The features of one line.
pub type LineFeatures = [f32; FEATURES];

/// Prose words of the main block that must come before a comment-thread marker for the lines
/// after it to count as readers' comments: about three paragraphs.
const MIN_ARTICLE_WORDS: u32 = 100;

/// What the rule-based pass found on each line, as classifier input.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleEvidence {
    pub paywall: f32,
    pub widget: f32,
    /// The rule-based label is paywall or widget.
    pub boilerplate: bool,
    /// The rules label the line (paywall, widget or filler).
    pub labelled: bool,
}

/// Per-line shape facts shared by the line's own and its neighbours' features.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    words: u32,
    log_words: f32,
    terminal: bool,
    /// Ends with a colon: a label, or a sentence introducing a list.
    colon: bool,
    prose: bool,
    /// Another line of the page opens the same way (see [`opening`]).
    repeated: bool,
}

/// Features of every line; `None` for lines without words.
pub fn features(
    analysis: &Analysis,
    evidence: &[RuleEvidence],
    stopwords: &HashSet<String>,
    glued_teasers: &[bool],
) -> Vec<Option<LineFeatures>> {
    let n = analysis.lines.len();
    let non_blank: Vec<usize> = (0..n).filter(|&i| !analysis.lines[i].is_blank()).collect();
    let mut shapes = vec![Shape::default(); n];
    let mut stopword_shares = vec![0f32; n];
    let openings = line_openings(analysis, &non_blank);
    for &i in &non_blank {
        let text = analysis.line_text(i).trim();
        let words = analysis.lines[i].words;
        let terminal = ends_sentence(text);
        let stop = stopword_share(analysis.line_lower(i), stopwords);
        stopword_shares[i] = stop;
        shapes[i] = Shape {
            words,
            log_words: (1.0 + words as f32).ln(),
            terminal,
            colon: text.ends_with(':'),
            prose: words >= 10 && (terminal || stop >= 0.2),
            repeated: openings.get(opening(analysis.line_lower(i))).is_some_and(|&n| n > 1),
        };
    }
    let block = main_block(&non_blank, &shapes);
    // Readers' comments are prose too, and often run on from the article, so the main block
    // takes them in: a comment-thread marker inside the block says where they begin. (A
    // marker right under the headline is the byline's comment count: the article must have
    // begun, by [`MIN_ARTICLE_WORDS`] words of prose, before its comments do.) Ending the
    // block at the marker instead lost more article lines than it dropped comments (5-fold
    // shingle F1 0.889 against 0.896).
    let comments_from = block.and_then(|(start, end)| {
        let mut prose_words = 0;
        (start..=end).find(|&k| {
            let shape = shapes[non_blank[k]];
            prose_words += if shape.prose { shape.words } else { 0 };
            prose_words >= MIN_ARTICLE_WORDS && is_comments_marker(analysis.line_lower(non_blank[k]), shape.words)
        })
    });
    let prose_words: u32 = non_blank.iter().filter(|&&i| shapes[i].prose).map(|&i| shapes[i].words).sum();
    let block_words: u32 = block.map_or(0, |(start, end)| {
        non_blank[start..=end].iter().filter(|&&i| shapes[i].prose).map(|&i| shapes[i].words).sum()
    });
    let main_block_share = block_words as f32 / prose_words.max(1) as f32;
    let introduced = introduced_list(&non_blank, &shapes);
    let row_runs = numbered_row_runs(analysis, &non_blank);
    let max_words = non_blank.iter().map(|&i| shapes[i].words).max().unwrap_or(1).max(1) as f32;
    let page_lines = (1.0 + non_blank.len() as f32).ln();

    let mut out = vec![None; n];
    for (k, &i) in non_blank.iter().enumerate() {
        let text = analysis.line_text(i).trim();
        let shape = shapes[i];
        let words = shape.words as f32;
        let stats = char_stats(text);
        let previous = k.checked_sub(1).map(|p| non_blank[p]);
        let next = non_blank.get(k + 1).copied();
        let window: Vec<usize> = non_blank[k.saturating_sub(3)..(k + 4).min(non_blank.len())].to_vec();
        let window_prose = window.iter().filter(|&&j| shapes[j].prose).count() as f32 / window.len() as f32;
        let window_words = window.iter().map(|&j| shapes[j].log_words).sum::<f32>() / window.len() as f32;
        let (in_block, before, after, distance) = match block {
            Some((start, _)) if k < start => (0.0, 1.0, 0.0, (start - k) as f32),
            Some((_, end)) if k > end => (0.0, 0.0, 1.0, (k - end) as f32),
            Some(_) => (1.0, 0.0, 0.0, 0.0),
            None => (0.0, 0.0, 0.0, non_blank.len() as f32),
        };
        let position = if non_blank.len() > 1 { k as f32 / (non_blank.len() - 1) as f32 } else { 0.0 };
        let rule = evidence.get(i).copied().unwrap_or_default();
        let neighbour_rule =
            |j: Option<usize>| j.and_then(|j| evidence.get(j)).map_or(0.0, |e| f32::from(u8::from(e.boilerplate)));
        out[i] = Some([
            shape.log_words,
            f32::from(u8::from(shape.words >= 10)),
            f32::from(u8::from(shape.terminal)),
            f32::from(u8::from(shape.colon)),
            stats.capitalised_words as f32 / words.max(1.0),
            stats.digits as f32 / stats.visible.max(1) as f32,
            stats.punctuation as f32 / stats.visible.max(1) as f32,
            (stats.separators.min(3)) as f32 / 3.0,
            stopword_shares[i],
            stats.letters as f32 / words.max(1.0) / 10.0,
            (stats.commas as f32 / words.max(1.0) * 5.0).min(1.0),
            (crate::detect::widget::metadata_marks(text).min(3)) as f32 / 3.0,
            rule.paywall.min(2.0) / 2.0,
            rule.widget.min(2.0) / 2.0,
            f32::from(u8::from(Some(i) == analysis.title_line)),
            position,
            position * position,
            page_lines / 10.0,
            f32::from(u8::from(text.starts_with(['•', '·', '»', '›', '-', '*', '–', '|', '>']))),
            previous.map_or(0.0, |j| shapes[j].log_words),
            previous.map_or(0.0, |j| f32::from(u8::from(shapes[j].terminal))),
            next.map_or(0.0, |j| shapes[j].log_words),
            next.map_or(0.0, |j| f32::from(u8::from(shapes[j].terminal))),
            window_prose,
            window_words,
            in_block,
            before,
            after,
            (1.0 + distance).ln(),
            neighbour_rule(previous),
            neighbour_rule(next),
            f32::from(u8::from(shape.words < 6 && !shape.terminal)),
            (1.0 + stats.visible as f32).ln() / 8.0,
            words / max_words,
            stats.glued_words.min(3) as f32 / 3.0,
            f32::from(u8::from(shape.repeated)),
            f32::from(u8::from(is_dateline(text))),
            main_block_share,
            f32::from(u8::from(comments_from.is_some_and(|from| k > from))),
            f32::from(u8::from(introduced[k])),
            f32::from(u8::from(ends_with_ellipsis(text))),
            f32::from(u8::from(glued_teasers.get(i).copied().unwrap_or(false))),
            (1.0 + row_runs[k] as f32).ln() / 4.0,
        ]);
    }
    out
}

/// Lines an article's sentence introduced as a list ("The game has:", "Final standings after
/// 36 races:"): from a line of [`LIST_INTRO_MIN_WORDS`] words or more that ends with a colon,
/// each following line that does not end a sentence, up to [`LIST_MAX_ITEMS`] of them. Such
/// items are short and unpunctuated like a menu's, but they are the article's. Per position in
/// `non_blank`.
fn introduced_list(non_blank: &[usize], shapes: &[Shape]) -> Vec<bool> {
    let mut out = vec![false; non_blank.len()];
    let mut items_left = 0;
    for (k, &i) in non_blank.iter().enumerate() {
        if shapes[i].colon {
            items_left = if shapes[i].words >= LIST_INTRO_MIN_WORDS { LIST_MAX_ITEMS } else { 0 };
            continue;
        }
        if items_left > 0 {
            out[k] = true;
            items_left -= 1;
            if shapes[i].terminal {
                items_left = 0;
            }
        }
    }
    out
}

/// For each line of `non_blank`, how many lines long is the run of neighbouring lines shaped
/// as rows of one table or list: each holds a number, and each opens as the line before it
/// does (with a digit, a letter or another sign), or as the line two before when rows
/// alternate with another shape (an item, then its link). Standings ("1 Kyle Busch 5040 5 1
/// 17"), tour dates ("June 9 – Tampa, FL @ Arena") and numbered picks are the article's,
/// though as short and unpunctuated as a menu's items; 0 for a line in no such run.
fn numbered_row_runs(analysis: &Analysis, non_blank: &[usize]) -> Vec<u32> {
    let shape_of = |text: &str| -> Option<u8> {
        let bytes = text.trim().as_bytes();
        let opening = match bytes.first() {
            Some(b) if b.is_ascii_digit() => 0,
            Some(b) if b.is_ascii_alphabetic() || !b.is_ascii() => 1,
            _ => 2,
        };
        bytes.iter().any(u8::is_ascii_digit).then_some(opening)
    };
    let shapes: Vec<Option<u8>> = non_blank.iter().map(|&i| shape_of(analysis.line_text(i))).collect();
    let mut out = vec![0u32; shapes.len()];
    for period in [1, 2] {
        // Whether line k continues a run of this period: it and the lines since the one
        // `period` before it hold numbers, and it opens as that one does.
        let continues = |k: usize| {
            k >= period
                && shapes[k].is_some()
                && shapes[k] == shapes[k - period]
                && shapes[k - period + 1..k].iter().all(Option::is_some)
        };
        let mut k = 0;
        while k < shapes.len() {
            if !continues(k) {
                k += 1;
                continue;
            }
            let start = k - period;
            while k < shapes.len() && continues(k) {
                k += 1;
            }
            let length = (k - start) as u32;
            out[start..k].iter_mut().for_each(|run| *run = (*run).max(length));
        }
    }
    out
}

/// Words of a colon-ended line that introduces a list: "Share this:" and "Follow us:" do not.
const LIST_INTRO_MIN_WORDS: u32 = 4;
/// Lines a list introduced by a colon can run to (a table of standings: 40 rows).
const LIST_MAX_ITEMS: usize = 60;

/// The page's main run of prose, as (first, last) positions in the non-blank line list: the
/// run with the largest sum of line values, where a prose line is worth its words and any
/// other line costs a few (the maximum-subarray view of body-text extraction). A prose line
/// that opens like another of the page is worth nothing, neither article nor chrome: teasers
/// shown twice (a carousel and a "latest news" list) outweighed a short article on
/// indiapost.com, and a paragraph a scraper doubled should not break the article's run.
/// (5-fold AEB shingle F1 over fold seeds 0-3: 0.913 0.909 0.915 0.910, against 0.909 0.905
/// 0.909 0.908 before; trafilatura 0.873 0.864 0.864 0.864, against 0.874 0.866 0.867 0.860.
/// Costing repeated lines like chrome gave AEB 0.915 0.906 0.913 0.910 but dropped both
/// copies of a doubled paragraph.)
fn main_block(non_blank: &[usize], shapes: &[Shape]) -> Option<(usize, usize)> {
    let value = |s: &Shape| match (s.prose, s.repeated) {
        (true, false) => s.words as f32,
        (true, true) => 0.0,
        (false, _) => -(4.0 + s.words as f32 * 0.5),
    };
    let (mut best, mut best_range) = (0.0f32, None);
    let (mut current, mut start) = (0.0f32, 0usize);
    for (k, &i) in non_blank.iter().enumerate() {
        if current <= 0.0 {
            current = 0.0;
            start = k;
        }
        current += value(&shapes[i]);
        if current > best {
            best = current;
            best_range = Some((start, k));
        }
    }
    best_range
}

/// The start of a line (its first 40 bytes, lowercased) that identifies it on its page: a
/// teaser repeated in a "most read" list, a title repeated in a breadcrumb.
fn opening(lower: &str) -> &str {
    let trimmed = lower.trim();
    &trimmed[..crate::analysis::floor_char_boundary(trimmed, 40)]
}

/// How many lines of the page open with each opening.
fn line_openings<'a>(analysis: &'a Analysis, non_blank: &[usize]) -> rustc_hash::FxHashMap<&'a str, u32> {
    let mut counts = rustc_hash::FxHashMap::with_capacity_and_hasher(non_blank.len(), Default::default());
    for &i in non_blank {
        *counts.entry(opening(analysis.line_lower(i))).or_insert(0) += 1;
    }
    counts
}

/// A short line that opens or runs a thread of readers' comments: "34 Comments", "Top Rated
/// Comments", "12 responses to …", "Leave a Reply", "jdoe says:", and the same headings in
/// the languages of `models/` ("Kommentare", "Commentaires", "Comentarios", "Commenti",
/// "Comentários", "Reacties"). Not a sentence: "… did not respond to a request for comment."
/// is reporting.
fn is_comments_marker(lower: &str, words: u32) -> bool {
    const HEADINGS: [&str; 11] = [
        "comments",
        "kommentare",
        "commentaires",
        "comentarios",
        "comentários",
        "commenti",
        "reacties",
        "responses to",
        "leave a reply",
        "leave a comment",
        "join the discussion",
    ];
    let line = lower.trim();
    if words == 0 || words > 10 || ends_sentence(line) {
        return false;
    }
    HEADINGS.iter().any(|h| line.contains(h))
        || (words <= 3 && (line.ends_with(" says:") || line.ends_with(" said:") || line.ends_with(" schreibt:")))
}

/// A wire-style dateline opening the line: "BERLIN (Reuters) -", "ST. JOSEPH, Mich. (AP) —".
fn is_dateline(text: &str) -> bool {
    let head = &text[..crate::analysis::floor_char_boundary(text, 60)];
    let first = head.split_whitespace().next().unwrap_or("");
    let capitals = first.chars().filter(|&c| crate::analysis::is_alphabetic(c)).count();
    capitals >= 2
        && first.chars().filter(|&c| crate::analysis::is_alphabetic(c)).all(char::is_uppercase)
        && (head.contains(" — ") || head.contains(" – ") || head.contains(" - ") || head.contains("(AP)"))
}

/// A line cut off with an ellipsis ("…", "...", "[…]"): a teaser's lead, shortened to fit
/// its card, or an excerpt in a list of other articles. An article's own paragraphs end their
/// sentences.
fn ends_with_ellipsis(text: &str) -> bool {
    let trimmed = text.trim_end_matches([']', ')', ' ', '"', '”']);
    trimmed.ends_with("...") || trimmed.ends_with('…')
}

/// For each line of the page, whether it reads as a teaser card glued together
/// ([`headline_glued_to_lead`]); computed once for the rule WG009 and the line classifier.
pub fn glued_teaser_lines(analysis: &Analysis, language: Option<&str>) -> Vec<bool> {
    let title_case = writes_title_case_headlines(language);
    (0..analysis.lines.len())
        .map(|i| !analysis.lines[i].is_blank() && headline_glued_to_lead(analysis.line_text(i).trim(), title_case))
        .collect()
}

/// Whether a page in this language (`None`: unknown) may write Title Case headlines: an
/// English habit. German capitalises every noun, and its compounds and brands
/// ("EnergieEffizienz", "AlphaTauri") would read as glued teasers.
pub fn writes_title_case_headlines(language: Option<&str>) -> bool {
    language.is_none_or(|l| l == "en")
}

/// Words a teaser's headline needs before its lead, and its lead after it.
const TEASER_HEADLINE_WORDS: usize = 3;
const TEASER_LEAD_WORDS: usize = 6;

/// A teaser card read as one line: another article's headline run straight into its lead, as
/// a scraper joins a card's title and summary when it drops the markup. Either the lead's
/// first word is glued to the headline's last ("…Student-AthleteA 24-year-old woman…",
/// "…Detroit's Top 3 Cheese Shops?Wondering where…") after a Title Case headline, or the lead
/// opens with a wire dateline in the middle of the line ("…deemed stateless WASHINGTON:
/// Expressing concern…"). An article's own first paragraph starts the line with its dateline.
/// The glued form is read only on pages that write Title Case headlines.
pub fn headline_glued_to_lead(text: &str, title_case_headlines: bool) -> bool {
    title_case_headlines
        && glued_headline_end(text).is_some_and(|at| {
            let headline: Vec<&str> = text[..at].split_whitespace().collect();
            headline.len() >= TEASER_HEADLINE_WORDS
                && text[at..].split_whitespace().count() >= TEASER_LEAD_WORDS
                && is_title_case(&headline)
        })
        || mid_line_dateline(text)
}

/// Where a capitalised word is glued to the word before it, past a lowercase run of four
/// letters or more ("AthleteA", "DetroitOfficially": not "McDowell", "WeWork", "MacBook") or
/// a question mark, exclamation mark, closing bracket or quote after a word.
fn glued_headline_end(text: &str) -> Option<usize> {
    if !may_glue(text) {
        return None;
    }
    let mut letters = 0usize;
    let mut lowercase_run = 0usize;
    let mut previous: Option<char> = None;
    let mut before_previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        if c.is_uppercase() {
            let after_word = lowercase_run >= 4 && letters >= 5;
            let after_mark = previous.is_some_and(|p| matches!(p, '?' | '!' | ')' | '’' | '\'' | '"' | '”'))
                && before_previous.is_some_and(|b| b.is_lowercase() || b.is_ascii_digit());
            if (after_word || after_mark) && glued_word_ends_cleanly(&text[at..]) {
                return Some(at);
            }
        }
        if crate::analysis::is_alphabetic(c) {
            letters += 1;
            lowercase_run = if c.is_lowercase() { lowercase_run + 1 } else { 0 };
        } else {
            letters = 0;
            lowercase_run = 0;
        }
        before_previous = previous;
        previous = Some(c);
    }
    None
}

/// Whether any capital follows a lowercase letter or a closing mark with nothing between,
/// read off the bytes so that the many lines without one skip the reading character by
/// character (a byte of a multi-byte character may be a lowercase letter or a curly quote).
fn may_glue(text: &str) -> bool {
    let bytes = text.as_bytes();
    (1..bytes.len()).any(|i| {
        let at = bytes[i];
        let capital =
            at.is_ascii_uppercase() || (at >= 0xC0 && text[i..].chars().next().is_some_and(char::is_uppercase));
        let before = bytes[i - 1];
        capital
            && (before.is_ascii_lowercase() || before >= 0x80 || matches!(before, b'?' | b'!' | b')' | b'\'' | b'"'))
    })
}

/// The glued word is a capital and lowercase letters up to a space or a clause mark
/// ("Officially," "A 24-year-old"), not a brand's inner capital ("PlayStation5").
fn glued_word_ends_cleanly(rest: &str) -> bool {
    let mut chars = rest.chars().skip(1);
    loop {
        match chars.next() {
            Some(c) if c.is_lowercase() => continue,
            Some(' ' | ',' | ';' | ':') => return true,
            _ => return false,
        }
    }
}

/// Most of the headline's words (those opening with a letter) are capitalised.
fn is_title_case(words: &[&str]) -> bool {
    let lettered: Vec<&&str> =
        words.iter().filter(|w| w.chars().next().is_some_and(crate::analysis::is_alphabetic)).collect();
    let capitalised = lettered.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    !lettered.is_empty() && capitalised * 4 >= lettered.len() * 3
}

/// A dateline of one to three capitalised words and a colon ("NEW DELHI:", "KARACHI:") after
/// a headline's last word, at least [`TEASER_HEADLINE_WORDS`] + 1 words into the line, and a
/// lead of capitalised prose after it.
fn mid_line_dateline(text: &str) -> bool {
    for (colon, _) in text.match_indices(": ") {
        if !text[colon + 2..].starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        let before: Vec<&str> = text[..colon].split_whitespace().collect();
        let place = before.iter().rev().take_while(|w| is_capitals_word(w)).count().min(3);
        let Some(place_start) = before.len().checked_sub(place) else { continue };
        let first = before.get(place_start);
        let headline_end = place_start.checked_sub(1).and_then(|j| before.get(j));
        let place_opens_well =
            first.is_some_and(|w| w.chars().count() >= 3 && w.starts_with(|c: char| c.is_uppercase()));
        let headline_runs_on = headline_end
            .is_some_and(|w| w.ends_with(|c: char| c.is_lowercase() || c.is_ascii_digit() || ",’'\"”)".contains(c)));
        if place >= 1
            && place_opens_well
            && headline_runs_on
            && place_start > TEASER_HEADLINE_WORDS
            && text[colon..].split_whitespace().count() > TEASER_LEAD_WORDS
        {
            return true;
        }
    }
    false
}

/// A word of capitals, dots and hyphens only ("WASHINGTON", "U.S.", "JAMMU-KASHMIR").
fn is_capitals_word(word: &str) -> bool {
    word.chars().any(crate::analysis::is_alphabetic) && word.chars().all(|c| c.is_uppercase() || c == '.' || c == '-')
}

fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['"', '”', '’', '\'', ')', '»', ' ']);
    trimmed.ends_with(['.', '!', '?', '…', '。', '！', '？']) && !trimmed.ends_with("...")
        || (trimmed.ends_with("...") && text.split_whitespace().count() > 12)
}

/// The share of a lowercased line's words (runs of letters and digits) that are stopwords.
fn stopword_share(lower: &str, stopwords: &HashSet<String>) -> f32 {
    let mut words = 0;
    let mut hits = 0;
    for word in crate::analysis::alphanumeric_words(lower) {
        words += 1;
        hits += usize::from(stopwords.contains(word));
    }
    if words == 0 { 0.0 } else { hits as f32 / words as f32 }
}

#[derive(Default)]
struct CharStats {
    visible: usize,
    letters: usize,
    digits: usize,
    punctuation: usize,
    commas: usize,
    separators: usize,
    capitalised_words: usize,
    /// Words with a lowercase letter followed by a capital ("AthleteA", "FacebookTwitter"):
    /// link texts glued together when the markup was dropped.
    glued_words: usize,
}

fn char_stats(text: &str) -> CharStats {
    let mut stats = CharStats::default();
    let mut at_word_start = true;
    let mut after_lowercase = false;
    for c in text.chars() {
        if c.is_whitespace() {
            at_word_start = true;
            after_lowercase = false;
            continue;
        }
        stats.visible += 1;
        if crate::analysis::is_alphabetic(c) {
            stats.letters += 1;
            stats.capitalised_words += usize::from(at_word_start && c.is_uppercase());
            stats.glued_words += usize::from(after_lowercase && c.is_uppercase());
        } else if crate::analysis::is_numeric(c) {
            stats.digits += 1;
        } else {
            stats.punctuation += 1;
            stats.commas += usize::from(c == ',');
            stats.separators += usize::from(matches!(c, '|' | '•' | '·' | '»' | '›' | '/'));
        }
        after_lowercase = c.is_lowercase();
        at_word_start = !crate::analysis::is_alphanumeric(c);
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    const AFTER_COMMENTS: usize = 38;

    proptest::proptest! {
        /// The word runs that `stopword_share` reads are the words that splitting at every
        /// character other than a letter or digit gives, in every script.
        #[test]
        fn stopword_share_reads_the_words_a_split_gives(line in "[a-zé日 ,.'’\\-]{0,40}") {
            let stopwords: HashSet<String> = ["a", "é", "日", "ab"].iter().map(|w| w.to_string()).collect();
            let words: Vec<&str> = line.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            let hits = words.iter().filter(|w| stopwords.contains(**w)).count();
            let expected = if words.is_empty() { 0.0 } else { hits as f32 / words.len() as f32 };
            proptest::prop_assert_eq!(stopword_share(&line, &stopwords), expected);
        }
    }

    #[test]
    fn rows_of_a_table_or_numbered_list_are_told_as_one_run() {
        let text = "Final standings after 36 races:\n1 Kyle Busch 5040 5 1\n2 Martin Truex Jr. 5035 7 0\n\
                    3 Kevin Harvick 5033 4 6\nHome\n1) A toy car\nhttp://amzn.to/2iJ\n2) A board game\n\
                    http://amzn.to/2hZ\n3) A puzzle\nContact us";
        let analysis = Analysis::new(text, usize::MAX);
        let non_blank: Vec<usize> = (0..analysis.lines.len()).filter(|&i| !analysis.lines[i].is_blank()).collect();
        let runs = numbered_row_runs(&analysis, &non_blank);
        // The intro has a number but opens with a letter, unlike the rows under it.
        assert_eq!(runs[..5], [0, 3, 3, 3, 0]);
        // Items alternating with their links are one run of period two.
        assert_eq!(runs[5..], [5, 5, 5, 5, 5, 0]);
    }

    #[test]
    fn a_lead_cut_off_with_an_ellipsis_is_told_from_a_finished_sentence() {
        for cut in [
            "The council said the bridge would reopen once divers had…",
            "Read the rest of the story [...]",
            "Officials say the plan ... (…)",
        ] {
            assert!(ends_with_ellipsis(cut), "{cut}");
        }
        for whole in ["The bridge reopened on Friday.", "He paused... then left.", "Where next?"] {
            assert!(!ends_with_ellipsis(whole), "{whole}");
        }
    }

    #[test]
    fn comment_thread_markers_are_headings_not_reporting() {
        for heading in ["34 comments", "top rated comments", "12 responses to “lynn: we had to win”", "leave a reply"]
        {
            let words = heading.split_whitespace().count() as u32;
            assert!(is_comments_marker(heading, words), "{heading}");
        }
        assert!(is_comments_marker("kommentare (5)", 2));
        assert!(is_comments_marker("thelastfan says:", 2));
        for reporting in [
            "the ministry did not respond to requests for comments.",
            "a comment",
            "the council says: no.",
            "readers left comments on the post about the plan for the new bridge at the harbour",
        ] {
            let words = reporting.split_whitespace().count() as u32;
            assert!(!is_comments_marker(reporting, words), "{reporting}");
        }
    }

    #[test]
    fn lines_after_a_comment_heading_inside_the_article_are_marked() {
        assert_eq!(FEATURE_NAMES[AFTER_COMMENTS], "after_comments");
        let paragraph = |opening: &str| {
            format!(
                "{opening} the harbour board approved the new ferry timetable after a long debate, and the \
                 first boats will run on the changed schedule from the start of next month."
            )
        };
        let comment = "I have taken that ferry for years and the old timetable was never a problem for anyone \
                       I know, so this is a waste of money.";
        // A byline's comment count under the headline does not start the thread.
        let text = format!(
            "Ferry timetable approved\nBy Staff | 0 Comments\n{}\n{}\n{}\n{}\n\
             12 Comments\njdoe says:\n{comment}\nAgreed, {comment}",
            paragraph("On Tuesday"),
            paragraph("In the end"),
            paragraph("By a narrow vote"),
            paragraph("As expected")
        );
        let analysis = Analysis::new(&text, usize::MAX);
        let evidence = vec![RuleEvidence::default(); analysis.lines.len()];
        let stopwords: HashSet<String> =
            ["the", "and", "on", "a", "of", "from", "will", "i", "for", "is", "so", "this"]
                .iter()
                .map(|w| w.to_string())
                .collect();
        let features = features(&analysis, &evidence, &stopwords, &[]);
        let after: Vec<f32> = features.iter().flatten().map(|f| f[AFTER_COMMENTS]).collect();
        assert_eq!(after, [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
    }

    #[test]
    fn items_after_a_sentence_ending_with_a_colon_are_an_introduced_list() {
        let list = FEATURE_NAMES.iter().position(|&n| n == "in_introduced_list").unwrap();
        let text = "Ferry timetable approved\n\
                    The new timetable brings three changes for passengers:\n\
                    Earlier first sailing on weekdays\n\
                    A late boat on Fridays\n\
                    Cheaper fares for children.\n\
                    The board will review the timetable next spring.\n\
                    Share this:\n\
                    Facebook\n\
                    Twitter";
        let analysis = Analysis::new(text, usize::MAX);
        let evidence = vec![RuleEvidence::default(); analysis.lines.len()];
        let features = features(&analysis, &evidence, &HashSet::default(), &[]);
        let flags: Vec<f32> = features.iter().flatten().map(|f| f[list]).collect();
        // The items up to the one that ends a sentence; not the introducing line, not the
        // sentence after the list, not the share buttons after "Share this:".
        assert_eq!(flags, [0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn teasers_repeated_on_the_page_are_not_its_main_run_of_prose() {
        let in_block = FEATURE_NAMES.iter().position(|&n| n == "in_main_block").unwrap();
        // Four teasers, each longer than the article's paragraphs, shown twice (a carousel and a
        // "latest news" list); the article's two paragraphs between them are the main run.
        let teasers: Vec<String> = ["Ferry", "Bridge", "Harbour", "Station"]
            .iter()
            .map(|topic| {
                format!(
                    "{topic} works delayed again HARBOURTON: The council said on Monday that the {topic} works \
                     would run into next year because the contractor had not finished the first stage of the job."
                )
            })
            .collect();
        let teasers = teasers.join("\n");
        let text = format!(
            "Site name\n{teasers}\nFerry timetable approved\nThe harbour board approved the new ferry \
             timetable on Tuesday after a long debate.\nThe first boats will run on the changed schedule \
             from the start of next month, the board said.\nLatest news\n{teasers}\nCopyright"
        );
        let analysis = Analysis::new(&text, usize::MAX);
        let evidence = vec![RuleEvidence::default(); analysis.lines.len()];
        let stopwords: HashSet<String> =
            ["the", "on", "a", "of", "from", "that", "had", "not"].iter().map(|w| w.to_string()).collect();
        let features = features(&analysis, &evidence, &stopwords, &[]);
        let block: Vec<usize> = features
            .iter()
            .enumerate()
            .filter(|(_, f)| f.is_some_and(|f| f[in_block] == 1.0))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(block, [6, 7], "{text}");
    }

    #[test]
    fn a_teaser_headline_run_into_its_lead_is_told_from_prose() {
        for teaser in [
            "Police Search For Missing Student-AthleteA 24-year-old woman was last seen leaving a bar on Friday night.",
            "Where Are Detroit's Top 3 Cheese Shops?Wondering where to buy the best cheese in town this weekend, friends?",
            "Rohingya children deemed stateless WASHINGTON: Expressing concern over the fate of the children, the \
             officials said on Monday.",
        ] {
            assert!(headline_glued_to_lead(teaser, true), "{teaser}");
        }
        for prose in [
            "Coach Sean McDowell said the team had trained hard all week before the final game of the season.",
            "The company leased the offices to WeWork last year, and the start-up moved in over the summer.",
            "She wrote the whole report on an old MacBook Pro that she had bought second-hand in 2015.",
            "NEW DELHI: The government said on Monday that it would extend the deadline for filing tax returns.",
            "The minister said: Nothing will change until the council has voted on the plan next month.",
            "Big Deal For TownA short headline",
        ] {
            assert!(!headline_glued_to_lead(prose, true), "{prose}");
        }
        // German capitalises nouns and glues brands; on such a page the glued form is not read.
        let german =
            "Der Hersteller Klang Werk StreamBox spielt jetzt auch Hörbücher ab, wie das Unternehmen mitteilte.";
        assert!(headline_glued_to_lead(german, true));
        assert!(!headline_glued_to_lead(german, false));
    }
}
