//! Phrase lists matched over the lowercased text, each with its own [`PhraseIndex`], or all
//! at once with a [`LexiconSet`]: one index over every lexicon's phrases, so that a text is
//! read once instead of once per lexicon, with the same matches.
//!
//! A pattern is a lowercase phrase matched at word boundaries. `^` anchors it to the start
//! of a line and `$` to its end, where "start" and "end" skip spaces, bullets and
//! punctuation, so `^leave a reply$` matches the line "Leave a Reply:" but not a sentence
//! that mentions leaving a reply.
use std::sync::Arc;

use crate::error::{Error, Result};
pub use crate::phrases::PhraseMatch;
use crate::phrases::{PhraseIndex, keep_leftmost_longest};

/// One phrase of a lexicon.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The phrase, lowercase, without anchors.
    pub phrase: String,
    /// The weight of one match, before the line's shape scales it.
    pub weight: f32,
    /// Must start the line.
    pub at_start: bool,
    /// Must end the line.
    pub at_end: bool,
    /// Free-text note from the file (what kind of residue this is).
    pub note: String,
    /// The language of the file it came from (`de/widget.tsv`: `de`), if the file sits in one.
    pub language: Option<String>,
}

/// A compiled phrase list.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// The lexicon's name (its file stem, e.g. `paywall`).
    pub name: String,
    /// Entries in pattern order.
    pub entries: Vec<Entry>,
    /// For each pattern (distinct phrase), the entries (anchor variants) that share it.
    variants: Vec<Vec<usize>>,
    index: PhraseIndex,
}

/// A match of a lexicon entry inside a line, in byte offsets of the whole text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Index into `Lexicon::entries`.
    pub entry: usize,
    pub start: usize,
    pub end: usize,
}

impl Lexicon {
    /// Parses TSV sources (`pattern <TAB> weight <TAB> note`, `#` comments), each given as
    /// (file name for messages, contents), into one lexicon.
    pub fn parse(name: &str, sources: &[(String, &str)]) -> Result<Self> {
        let mut entries: Vec<Entry> = Vec::new();
        for (file, contents) in sources {
            let language = language_of_file(file);
            for (index, raw) in contents.lines().enumerate() {
                let line = raw.trim_end_matches('\r');
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let mut columns = line.split('\t');
                let pattern = columns.next().unwrap_or_default().trim();
                let weight_text = columns.next().map(str::trim).unwrap_or("");
                let note = columns.next().unwrap_or_default().trim().to_string();
                let model_error = |message: String| Error::Model { file: file.clone(), line: index + 1, message };
                let weight: f32 = weight_text.parse().map_err(|_| {
                    model_error(format!("weight {weight_text:?} is not a number (pattern <TAB> weight <TAB> note)"))
                })?;
                if !weight.is_finite() || weight < 0.0 {
                    return Err(model_error(format!("weight {weight} must be a finite number >= 0")));
                }
                let at_start = pattern.starts_with('^');
                let at_end = pattern.len() > 1 && pattern.ends_with('$');
                let phrase = pattern.trim_start_matches('^');
                let phrase = if at_end { &phrase[..phrase.len() - 1] } else { phrase };
                let phrase = phrase.trim().to_lowercase();
                if phrase.is_empty() {
                    return Err(model_error("empty pattern".to_string()));
                }
                entries.push(Entry { phrase, weight, at_start, at_end, note, language: language.clone() });
            }
        }
        // One pattern per distinct phrase; anchored variants of a phrase share it.
        let mut phrases: Vec<&str> = Vec::new();
        let mut variants: Vec<Vec<usize>> = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            match phrases.iter().position(|p| *p == entry.phrase) {
                Some(existing) => variants[existing].push(index),
                None => {
                    phrases.push(&entry.phrase);
                    variants.push(vec![index]);
                }
            }
        }
        let index = PhraseIndex::new(&phrases);
        Ok(Lexicon { name: name.to_string(), entries, variants, index })
    }

    /// Every match of the lexicon inside `lower[start..end]` (one line of the lowercased text),
    /// at word boundaries and honouring anchors.
    pub fn find_in_line(&self, lower: &str, start: usize, end: usize, hits: &mut Vec<Hit>) {
        let mut matches = Vec::new();
        self.index.find_all(&lower[start..end], start, &mut matches);
        keep_leftmost_longest(&mut matches);
        for found in matches {
            if let Some(hit) = self.accept(lower, start, end, found.start, found.end, found.pattern as usize) {
                hits.push(hit);
            }
        }
    }

    /// Every match in a whole text, with the index of its line: one search per text, not
    /// one per line. `lines` are the text's lines in order; phrases never hold a line break,
    /// so no match spans two lines and the result is that of [`Self::find_in_line`] on each.
    pub fn find_in_text(&self, lower: &str, lines: &[crate::analysis::Line], hits: &mut Vec<(usize, Hit)>) {
        let mut matches = Vec::new();
        self.index.find_all(lower, 0, &mut matches);
        keep_leftmost_longest(&mut matches);
        self.hits_of_matches(lower, lines, matches, hits);
    }

    /// [`Self::find_in_text`] from this lexicon's matches as a [`LexiconSet`] found them.
    pub fn hits_of_matches(
        &self,
        lower: &str,
        lines: &[crate::analysis::Line],
        matches: impl IntoIterator<Item = PhraseMatch>,
        hits: &mut Vec<(usize, Hit)>,
    ) {
        let mut line = 0;
        for found in matches {
            while line < lines.len() && lines[line].end < found.end {
                line += 1;
            }
            let Some(&crate::analysis::Line { start, end, .. }) = lines.get(line) else { break };
            if found.start < start {
                continue;
            }
            if let Some(hit) = self.accept(lower, start, end, found.start, found.end, found.pattern as usize) {
                hits.push((line, hit));
            }
        }
    }

    /// The phrase of pattern `pattern`.
    fn phrase(&self, pattern: usize) -> &str {
        &self.entries[self.variants[pattern][0]].phrase
    }

    /// Patterns: one per distinct phrase.
    fn patterns(&self) -> usize {
        self.variants.len()
    }

    /// The language every entry of this pattern comes from, if they share one.
    fn pattern_language(&self, pattern: usize) -> Option<&str> {
        let mut languages = self.variants[pattern].iter().map(|&i| self.entries[i].language.as_deref());
        let first = languages.next().flatten()?;
        languages.all(|l| l == Some(first)).then_some(first)
    }

    /// The hit for a match at `lower[s..e]` on the line `lower[start..end]`, if it stands at
    /// word boundaries and an entry's anchors hold: among the entries sharing the phrase, the
    /// heaviest.
    fn accept(&self, lower: &str, start: usize, end: usize, s: usize, e: usize, pattern: usize) -> Option<Hit> {
        let line = &lower[start..end];
        let (s, e) = (s - start, e - start);
        if !is_word_boundary(line, s, e) {
            return None;
        }
        let content_start = line.len() - line.trim_start_matches(is_edge_char).len();
        let content_end = line.trim_end_matches(is_edge_char).len();
        self.variants[pattern]
            .iter()
            .copied()
            .filter(|&i| {
                let entry = &self.entries[i];
                (!entry.at_start || s <= content_start) && (!entry.at_end || e >= content_end)
            })
            .max_by(|&a, &b| self.entries[a].weight.total_cmp(&self.entries[b].weight))
            .map(|entry| Hit { entry, start: start + s, end: start + e })
    }

    /// Whether the lexicon has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Several lexicons searched with one [`PhraseIndex`]. Each lexicon gets the matches its own
/// index would give it (leftmost-longest, not overlapping), picked from every match of every
/// phrase: there are few, and reading the text once instead of once per lexicon was most of
/// the cost of matching.
///
/// English phrases (and those of files outside a language folder) are read on every page:
/// English template text turns up on sites in every language. The phrases of each other
/// language have an index of their own, read only on pages guessed in that language, so
/// that six languages of residue cost an English page nothing (when they were one
/// Aho-Corasick DFA, all of them together took 18 MB instead of 6 and 10 % more time on the
/// bench corpus).
#[derive(Debug, Clone)]
pub struct LexiconSet {
    names: Arc<[String]>,
    /// The phrases read on every page first, then one group per other language.
    groups: Vec<PhraseGroup>,
}

#[derive(Debug, Clone)]
struct PhraseGroup {
    /// `None` for the group read on every page.
    language: Option<String>,
    /// For each pattern of the index, the (lexicon, pattern of that lexicon) pairs whose
    /// phrase it is.
    owners: Vec<Vec<(u32, u32)>>,
    index: PhraseIndex,
}

/// Each lexicon's matches in one text, as [`LexiconSet::scan`] found them.
#[derive(Debug, Clone, Default)]
pub struct LexiconMatches {
    names: Arc<[String]>,
    matches: Vec<Vec<PhraseMatch>>,
}

impl LexiconMatches {
    /// The matches of the lexicon called `name`, or `None` when it was not in the set.
    pub fn of(&self, name: &str) -> Option<&[PhraseMatch]> {
        let at = self.names.iter().position(|n| n == name)?;
        Some(&self.matches[at])
    }
}

impl LexiconSet {
    /// `guessable` names the languages a page can be guessed in: another language's
    /// phrases are read on every page, since no page would be read in it.
    pub fn new(lexicons: &[&Lexicon], guessable: &[&str]) -> Self {
        let mut phrases: Vec<&str> = Vec::new();
        let mut owners: Vec<Vec<(u32, u32)>> = Vec::new();
        // The phrase's language while all its entries share one; `None` once any does not.
        let mut languages: Vec<Option<&str>> = Vec::new();
        let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (l, lexicon) in lexicons.iter().enumerate() {
            for pattern in 0..lexicon.patterns() {
                let phrase = lexicon.phrase(pattern);
                let language = lexicon.pattern_language(pattern).filter(|&l| l != "en" && guessable.contains(&l));
                let at = *index.entry(phrase).or_insert_with(|| {
                    phrases.push(phrase);
                    owners.push(Vec::new());
                    languages.push(language);
                    phrases.len() - 1
                });
                owners[at].push((l as u32, pattern as u32));
                if languages[at] != language {
                    languages[at] = None;
                }
            }
        }
        let mut group_languages: Vec<Option<&str>> = vec![None];
        for &language in &languages {
            if !group_languages.contains(&language) {
                group_languages.push(language);
            }
        }
        group_languages[1..].sort_unstable();
        let mut groups = Vec::new();
        for language in group_languages {
            let members: Vec<usize> = (0..phrases.len()).filter(|&i| languages[i] == language).collect();
            let group_phrases: Vec<&str> = members.iter().map(|&i| phrases[i]).collect();
            let index = PhraseIndex::new(&group_phrases);
            let owners = members.iter().map(|&i| std::mem::take(&mut owners[i])).collect();
            groups.push(PhraseGroup { language: language.map(str::to_string), owners, index });
        }
        LexiconSet { names: lexicons.iter().map(|l| l.name.clone()).collect(), groups }
    }

    /// Each lexicon's leftmost-longest matches in `lower`, in text order: of the phrases read
    /// on every page, and of those of the page's `language`.
    pub fn scan(&self, lower: &str, language: Option<&str>) -> LexiconMatches {
        let mut matches: Vec<Vec<PhraseMatch>> = vec![Vec::new(); self.names.len()];
        let groups = self.groups.iter().filter(|g| g.language.is_none() || g.language.as_deref() == language);
        let mut found = Vec::new();
        for group in groups {
            found.clear();
            group.index.find_all(lower, 0, &mut found);
            for m in &found {
                for &(lexicon, pattern) in &group.owners[m.pattern as usize] {
                    matches[lexicon as usize].push(PhraseMatch { pattern, ..*m });
                }
            }
        }
        matches.iter_mut().for_each(keep_leftmost_longest);
        LexiconMatches { names: Arc::clone(&self.names), matches }
    }
}

/// The language folder a lexicon file sits in (`…/de/widget.tsv`: `de`).
fn language_of_file(file: &str) -> Option<String> {
    file.rsplit(['/', '\\']).nth(1).filter(|dir| !dir.is_empty()).map(str::to_string)
}

/// Characters skipped at the edges of a line when checking anchors.
fn is_edge_char(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '•' | '·'
                | '-'
                | '–'
                | '—'
                | '*'
                | '>'
                | '|'
                | ':'
                | '.'
                | '!'
                | '?'
                | '…'
                | '«'
                | '»'
                | '"'
                | '\''
                | '“'
                | '”'
                | '‘'
                | '’'
                | '('
                | ')'
                | '['
                | ']'
                | '\u{a0}'
                | '\u{200b}'
                | '\u{feff}'
        )
}

/// A match counts only where it does not cut a word in two.
pub(crate) fn is_word_boundary(line: &str, start: usize, end: usize) -> bool {
    let before = line[..start].chars().next_back();
    let after = line[end..].chars().next();
    let first = line[start..end].chars().next();
    let last = line[start..end].chars().next_back();
    let joins = |outer: Option<char>, inner: Option<char>| match (outer, inner) {
        (Some(o), Some(i)) => is_word_char(o) && is_word_char(i),
        _ => false,
    };
    !joins(before, first) && !joins(after, last)
}

/// Letters, digits and the underscore of icon names make up words.
#[inline]
pub fn is_word_char(c: char) -> bool {
    crate::analysis::is_alphanumeric(c) || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(tsv: &str) -> Lexicon {
        Lexicon::parse("test", &[("test.tsv".to_string(), tsv)]).unwrap()
    }

    fn phrases(lex: &Lexicon, line: &str) -> Vec<String> {
        let lower = line.to_lowercase();
        let mut hits = Vec::new();
        lex.find_in_line(&lower, 0, lower.len(), &mut hits);
        hits.iter().map(|h| lower[h.start..h.end].to_string()).collect()
    }

    #[test]
    fn whole_line_anchor_matches_only_the_whole_line() {
        let lex = lexicon("^leave a reply$\t1.3\tcomment form\n");
        assert_eq!(phrases(&lex, "  Leave a Reply:"), vec!["leave a reply"]);
        assert!(phrases(&lex, "Readers may leave a reply below the story.").is_empty());
    }

    #[test]
    fn matches_respect_word_boundaries() {
        let lex = lexicon("info\t1\ticon\n");
        assert!(phrases(&lex, "information desk").is_empty());
        assert_eq!(phrases(&lex, "more info here"), vec!["info"]);
    }

    #[test]
    fn an_anchored_and_a_free_entry_of_one_phrase_pick_the_one_that_holds() {
        let lex = lexicon("register for free\t0.6\tfree\n^register for free\t1.2\tanchored\n");
        let lower = "register for free".to_string();
        let mut hits = Vec::new();
        lex.find_in_line(&lower, 0, lower.len(), &mut hits);
        assert_eq!(lex.entries[hits[0].entry].weight, 1.2);
        let lower = "you can register for free".to_string();
        hits.clear();
        lex.find_in_line(&lower, 0, lower.len(), &mut hits);
        assert_eq!(lex.entries[hits[0].entry].weight, 0.6);
    }

    /// Lines of `text` as the analysis splits them, for `find_in_text`.
    fn lines_of(text: &str) -> Vec<crate::analysis::Line> {
        crate::analysis::Analysis::new(text, usize::MAX).lines.clone()
    }

    proptest::proptest! {
        /// One shared scan gives each lexicon exactly the hits of its own scan, with phrases
        /// that overlap, nest, repeat across lexicons, open with punctuation or sit inside
        /// longer words.
        #[test]
        fn a_lexicon_set_finds_what_each_lexicon_finds(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "new", "york", "times", "new york", "the", "th", "\n", "-", "é", "renew", "bathe", "yorktimes", "(", "(new",
                ]),
                0..40,
            ),
        ) {
            let text = words.join(" ");
            let a = lexicon("new york\t1\tcity\nyork times\t1\tpaper\nnew\t0.5\tword\n^the\t1\tstart\n");
            let b = Lexicon::parse(
                "other",
                &[("other.tsv".to_string(), "new york times\t1\tpaper\ntimes$\t1\tend\nthe th\t1\tx\né\t1\tletter\n(new\t1\tparen\n")],
            )
            .unwrap();
            let lower = text.to_lowercase();
            let lines = lines_of(&lower);
            let set = LexiconSet::new(&[&a, &b], &[]);
            let matches = set.scan(&lower, None);
            for lexicon in [&a, &b] {
                let (mut alone, mut shared) = (Vec::new(), Vec::new());
                lexicon.find_in_text(&lower, &lines, &mut alone);
                let found = matches.of(&lexicon.name).unwrap();
                lexicon.hits_of_matches(&lower, &lines, found.iter().copied(), &mut shared);
                proptest::prop_assert_eq!(alone, shared);
            }
            proptest::prop_assert!(matches.of("missing").is_none());
        }
    }

    #[test]
    fn another_languages_phrases_are_read_only_on_pages_in_that_language() {
        let widget = Lexicon::parse(
            "widget",
            &[
                ("models/en/widget.tsv".to_string(), "share this\t1\tshare bar\n"),
                ("models/de/widget.tsv".to_string(), "artikel teilen\t1\tshare bar\nshare this\t1\tshare bar\n"),
                ("models/fr/widget.tsv".to_string(), "partager\t1\tshare bar\n"),
            ],
        )
        .unwrap();
        let set = LexiconSet::new(&[&widget], &["de", "en", "fr"]);
        let lower = "share this | artikel teilen | partager";
        let found = |language| -> Vec<&str> {
            set.scan(lower, language).of("widget").unwrap().iter().map(|m| &lower[m.start..m.end]).collect()
        };
        // English (and a phrase that English shares) on every page; German only on German ones.
        assert_eq!(found(None), ["share this"]);
        assert_eq!(found(Some("en")), ["share this"]);
        assert_eq!(found(Some("de")), ["share this", "artikel teilen"]);
        assert_eq!(found(Some("fr")), ["share this", "partager"]);
        // Without German function words no page is German, so the German phrases go everywhere.
        let set = LexiconSet::new(&[&widget], &["en", "fr"]);
        let everywhere: Vec<&str> =
            set.scan(lower, None).of("widget").unwrap().iter().map(|m| &lower[m.start..m.end]).collect();
        assert_eq!(everywhere, ["share this", "artikel teilen"]);
        assert_eq!(language_of_file("models (built in)/de/widget.tsv").as_deref(), Some("de"));
        assert_eq!(language_of_file("test.tsv"), None);
    }

    #[test]
    fn a_bad_weight_names_file_and_line() {
        let err = Lexicon::parse("x", &[("en/x.tsv".to_string(), "# c\nfoo\tbar\tnote\n")]).unwrap_err();
        assert_eq!(err.to_string(), "en/x.tsv:2: weight \"bar\" is not a number (pattern <TAB> weight <TAB> note)");
    }
}
