//! Filler: machine-rewritten or spun text. Stock LLM phrases (FL001), machine-translation
//! capitals (FL002), synonym-spinner substitutions (FL003), spaces before punctuation
//! (FL004), and chatbot turns pasted into the article (CR004).
use rustc_hash::FxHashSet as HashSet;

use super::{Context, Detector, Finding, LexiconRule, RuleRef, Signal, saturate};
use crate::analysis::{Analysis, word_runs};
use crate::calibration::Platt;
use crate::error::Result;
use crate::model::{Category, Model, Weights};
use crate::trees::TreeEnsemble;

/// Detects machine-written and machine-translated filler.
pub struct Filler {
    stock_phrases: Option<LexiconRule>,
    mt_capitals: Option<RuleRef>,
    spinner: Option<LexiconRule>,
    spacing: Option<RuleRef>,
    chatbot: Option<LexiconRule>,
    /// The stylometric model (`filler.toml`): machine-written prose without stock phrases.
    style: Option<TreeEnsemble>,
    style_rule: Option<RuleRef>,
    /// English function words (lowercase).
    function_words: HashSet<String>,
    weights: Weights,
}

impl Filler {
    pub fn new(model: &Model) -> Result<Self> {
        Ok(Filler {
            stock_phrases: LexiconRule::resolve(model, "FL001", Category::Filler)?,
            mt_capitals: RuleRef::resolve(model, "FL002", Category::Filler)?,
            spinner: LexiconRule::resolve(model, "FL003", Category::Filler)?,
            spacing: RuleRef::resolve(model, "FL004", Category::Filler)?,
            chatbot: LexiconRule::resolve(model, "CR004", Category::Credibility)?,
            style: model.filler_model.clone(),
            style_rule: RuleRef::resolve(model, "FL005", Category::Filler)?,
            function_words: model.stopwords.get("en").into_iter().flatten().cloned().collect(),
            weights: model.weights.clone(),
        })
    }
}

/// Bytes of the text that [`Filler::style_applies`] reads: as many as the language guess.
const STYLE_SAMPLE_BYTES: usize = 8 << 10;
/// The share of an unguessed text's words that must be English function words of three
/// letters or more ("the", "and", "that", "with") for the stylometric model to read it.
/// English prose runs at 0.1 to 0.3 of them (the XSum texts of more than a few words, the
/// English fixtures; 0.048 for one of 21 words); Hungarian, Polish, German and French text
/// at none, though Hungarian's articles "a" and "az" and its "is" made 0.13 to 0.27 of its
/// words English when short words counted.
const MIN_ENGLISH_SHARE: f32 = 0.04;
/// Function words shorter than this, in bytes, are not counted as English evidence.
const MIN_ENGLISH_WORD_BYTES: usize = 3;

impl Filler {
    /// Whether the stylometric model may read this text. It was fitted on English (BBC reports
    /// and their machine continuations): its word lengths, function words and type-token
    /// ratios mean nothing in another language. On a Japanese article (whole clauses counted
    /// as single words) it was certain of machine text, and on a Hungarian report, a language
    /// with no stopword list to guess it by, it gave 0.57. So it reads pages guessed English,
    /// and pages with no guess (too short or too unusual to guess) written mostly in Latin
    /// letters with [`MIN_ENGLISH_SHARE`] of English function words; other pages keep
    /// the rule-based filler findings only.
    pub fn style_applies(&self, analysis: &Analysis, context: &Context) -> bool {
        if let Some(language) = context.language.as_deref() {
            return language == "en";
        }
        let sample = &analysis.text[..crate::analysis::floor_char_boundary(analysis.text, STYLE_SAMPLE_BYTES)];
        let (mut latin, mut letters) = (0usize, 0usize);
        for c in sample.chars().filter(|&c| crate::analysis::is_alphabetic(c)) {
            letters += 1;
            latin += usize::from(c.is_ascii_alphabetic() || ('\u{C0}'..='\u{24F}').contains(&c));
        }
        let lower = &analysis.lower[..crate::analysis::floor_char_boundary(&analysis.lower, STYLE_SAMPLE_BYTES)];
        let (mut words, mut english) = (0usize, 0usize);
        for word in crate::analysis::alphanumeric_words(lower) {
            words += 1;
            english += usize::from(word.len() >= MIN_ENGLISH_WORD_BYTES && self.function_words.contains(word));
        }
        2 * latin >= letters && english as f32 >= MIN_ENGLISH_SHARE * words as f32 && words > 0
    }
}

impl Detector for Filler {
    fn category(&self) -> Category {
        Category::Filler
    }

    fn detect(&self, analysis: &Analysis, context: &Context) -> Signal {
        let mut findings = self.rule_findings(analysis, context);
        let evidence: f32 = findings.iter().map(|f| f.weight).sum();
        let units = (analysis.sentences.len() as f32 / self.weights.presence.filler_sentences_per_unit).max(1.0);
        let mut score = saturate(evidence / units, self.weights.presence.filler);
        if let (Some(model), Some(rule)) = (&self.style, &self.style_rule)
            && self.style_applies(analysis, context)
        {
            let features = self.style_features(analysis, context, &findings);
            let p = self.style_probability(&features).unwrap_or(0.0);
            if p >= model.threshold {
                // The evidence of a style is the whole text; the finding points at its first sentence.
                if let Some(first) = analysis.sentences.iter().find(|s| Some(s.line) != analysis.headline()) {
                    findings.push(rule.finding(first.line, first.start, first.end, p));
                }
            }
            score = score.max(p);
        }
        Signal { score, findings }
    }
}

/// Names of the stylometric features, in the order of [`Filler::style_features`].
pub const STYLE_FEATURE_NAMES: [&str; 22] = [
    "rule_evidence_per_sentence",
    "quotes_per_sentence",
    "attribution_per_sentence",
    "mean_sentence_words",
    "sentence_length_variation",
    "digits_per_word",
    "type_token_ratio",
    "function_word_share",
    "capitalised_per_sentence",
    "mean_word_length",
    "commas_per_sentence",
    "hedges_per_sentence",
    "long_word_share",
    "parentheses_per_sentence",
    "distinct_openers_share",
    "mtld",
    "moving_type_token_ratio",
    "distinct_numbers_per_sentence",
    "but_openers_share",
    "questions_exclamations_per_sentence",
    "present_tense_share",
    "contractions_per_word",
];

impl Filler {
    /// The stylometric model's probability that the text is machine-written, from
    /// [`Self::style_features`]; `None` without a model. See [`style_column`].
    pub fn style_probability(&self, features: &[f32]) -> Option<f32> {
        let model = self.style.as_ref()?;
        Some(style_column(model.calibration, model.log_odds(features), self.weights.filler.style_prior_logit))
    }

    /// Each feature's push towards "machine" in [`Self::style_probability`]: its share of the
    /// trees' log-odds ([`crate::trees::TreeEnsemble::contributions`]) times the calibration's
    /// slope, so that the pushes move `logit(p)` by what they say; strongest first. `None`
    /// without a model.
    pub fn style_pushes(&self, features: &[f32]) -> Option<Vec<(String, f32)>> {
        let model = self.style.as_ref()?;
        let slope = model.calibration.unwrap_or_default().slope;
        let mut pushes: Vec<(String, f32)> = model
            .features
            .iter()
            .cloned()
            .zip(model.contributions(features).into_iter().map(|push| push * slope))
            .collect();
        pushes.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        Some(pushes)
    }

    /// The rule-based findings: stock phrases, spinner phrases, chatbot turns, MT capitals,
    /// spaces before punctuation.
    pub fn rule_findings(&self, analysis: &Analysis, context: &Context) -> Vec<Finding> {
        let mut findings = Vec::new();
        for rule in [&self.stock_phrases, &self.spinner, &self.chatbot].into_iter().flatten() {
            rule.scan(analysis, context, None, &mut findings);
        }
        if let Some(rule) = &self.mt_capitals {
            let headline = analysis.headline();
            for sentence in &analysis.sentences {
                if Some(sentence.line) == headline {
                    continue;
                }
                for (start, end) in capitalised_function_words(
                    analysis.text,
                    sentence.start,
                    sentence.end,
                    &self.function_words,
                    self.weights.filler.mt_capitals_max_capital_share,
                ) {
                    findings.push(rule.finding(sentence.line, start, end, rule.weight));
                }
            }
        }
        if let Some(rule) = &self.spacing {
            for (index, line) in analysis.lines.iter().enumerate() {
                let text = analysis.line_text(index);
                for (offset, _) in text.match_indices([',', '.']) {
                    let before = &text[..offset];
                    let after = text[offset + 1..].chars().next();
                    let spaced = before.ends_with(' ')
                        && before.trim_end().chars().next_back().is_some_and(crate::analysis::is_alphanumeric);
                    if spaced && after.is_none_or(char::is_whitespace) {
                        let start = line.start + before.trim_end().len();
                        findings.push(rule.finding(index, start, line.start + offset + 1, rule.weight));
                    }
                }
            }
        }
        findings
    }

    /// Stylometric features of the whole text (the headline excluded): how reporters write
    /// (quotes, attribution, numbers, names, uneven sentences) against how generated text
    /// reads (even sentence lengths, hedges, general words). Independent of line breaks.
    pub fn style_features(&self, analysis: &Analysis, context: &Context, findings: &[Finding]) -> Vec<f32> {
        let headline = analysis.headline();
        let sentences: Vec<_> = analysis.sentences.iter().filter(|s| Some(s.line) != headline).collect();
        let count = sentences.len().max(1) as f32;
        let lengths: Vec<f32> = sentences.iter().map(|s| s.words as f32).collect();
        let mean_length = lengths.iter().sum::<f32>() / count;
        let variance = lengths.iter().map(|l| (l - mean_length).powi(2)).sum::<f32>() / count;
        let (mut words, mut letters, mut digits, mut function, mut hedges, mut long, mut capitalised) =
            (0usize, 0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
        let (mut commas, mut parentheses) = (0usize, 0usize);
        // Each distinct word gets a number and its facts once: the diversity measures below
        // then count numbers in arrays, and the word lists are asked once per distinct word.
        let mut ids: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
        let mut facts: Vec<WordFacts> = Vec::new();
        let mut sequence: Vec<u32> = Vec::new();
        let mut types = 0usize;
        let mut openers: HashSet<u32> = HashSet::default();
        let mut numbers: HashSet<&str> = HashSet::default();
        let (mut but_openers, mut questions, mut present, mut past, mut contractions) =
            (0usize, 0usize, 0usize, 0usize, 0usize);
        for sentence in &sentences {
            let text = &analysis.text[sentence.start..sentence.end];
            let lower = &analysis.lower[sentence.start..sentence.end];
            for b in text.bytes() {
                match b {
                    b',' => commas += 1,
                    b'(' => parentheses += 1,
                    b'?' | b'!' => questions += 1,
                    _ => {}
                }
            }
            numbers.extend(number_spans(lower));
            let is_word_char = |c: char| crate::analysis::is_alphanumeric(c) || c == '\'' || c == '’';
            for (position, run) in word_runs(text, is_word_char, is_word_char).enumerate() {
                let word = &text[run.clone()];
                let lower_word = lower[run].trim_matches(['\'', '’']);
                if lower_word.is_empty() {
                    continue;
                }
                let id = *ids.entry(lower_word).or_insert_with(|| {
                    facts.push(WordFacts::of(lower_word, &self.function_words));
                    facts.len() as u32 - 1
                });
                let fact = facts[id as usize];
                sequence.push(id);
                present += usize::from(fact.tense == Some(Tense::Present));
                past += usize::from(fact.tense == Some(Tense::Past));
                contractions += usize::from(fact.contraction);
                but_openers += usize::from(position == 0 && lower_word == "but");
                words += 1;
                let length = word.chars().count();
                letters += length;
                digits += word.bytes().filter(u8::is_ascii_digit).count();
                long += usize::from(length >= 8);
                function += usize::from(fact.function);
                hedges += usize::from(fact.hedge);
                if position == 0 {
                    openers.insert(id);
                } else if word.chars().next().is_some_and(char::is_uppercase) {
                    capitalised += 1;
                }
                // The type-token ratio of the first 150 words.
                if words <= 150 {
                    types = ids.len();
                }
            }
        }
        let per_word = |n: usize| n as f32 / words.max(1) as f32;
        let per_sentence = |n: usize| n as f32 / count;
        let evidence: f32 = findings.iter().filter(|f| f.rule != "FL005").map(|f| f.weight).sum();
        vec![
            evidence / count,
            per_sentence(analysis.quotes.len()),
            per_sentence(context.attribution.len()),
            mean_length / 30.0,
            if mean_length > 0.0 { variance.sqrt() / mean_length } else { 0.0 },
            per_word(digits),
            types as f32 / words.clamp(1, 150) as f32,
            per_word(function),
            per_sentence(capitalised),
            per_word(letters) / 10.0,
            per_sentence(commas),
            per_sentence(hedges),
            per_word(long),
            per_sentence(parentheses),
            openers.len() as f32 / count,
            mtld(&sequence, facts.len()) / 100.0,
            moving_type_token_ratio(&sequence, facts.len(), 50),
            per_sentence(numbers.len()),
            per_sentence(but_openers),
            per_sentence(questions),
            present as f32 / (present + past).max(1) as f32,
            per_word(contractions),
        ]
    }
}

/// How the `filler` column reads the style model's log-odds `z`: through the model's Platt
/// calibration (fitted by `residue fit` on held-out texts of the dev sets, so that 0.5 is the
/// decision point on their mix of human and machine text), plus `prior` on the log-odds
/// (`style_prior_logit`: 0 keeps that mix; a negative prior, for corpora where machine text is
/// rarer, divides the odds by its exponential).
pub fn style_column(calibration: Option<Platt>, z: f32, prior: f32) -> f32 {
    let Platt { slope, intercept } = calibration.unwrap_or_default();
    Platt { slope, intercept: intercept + prior }.probability(z)
}

/// What the style features ask of a distinct word.
#[derive(Debug, Clone, Copy)]
struct WordFacts {
    function: bool,
    hedge: bool,
    tense: Option<Tense>,
    contraction: bool,
}

impl WordFacts {
    fn of(lower_word: &str, function_words: &HashSet<String>) -> Self {
        WordFacts {
            function: function_words.contains(lower_word),
            hedge: is_hedge(lower_word),
            tense: tense_of(lower_word),
            contraction: lower_word.contains(['\'', '’']),
        }
    }
}

/// Words that qualify a claim; generated prose hedges more than a report of what happened.
fn is_hedge(word: &str) -> bool {
    matches!(
        word,
        "may" | "might" | "could" | "likely" | "possibly" | "potentially" | "perhaps" | "can" | "would" | "should"
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tense {
    Present,
    Past,
}

/// The tense of the commonest auxiliaries and verbs of saying (asked once per distinct word,
/// through [`WordFacts`]). Generated continuations lean to the present; reports to the past.
fn tense_of(word: &str) -> Option<Tense> {
    match word {
        "is" | "are" | "has" | "have" | "does" | "do" | "says" | "am" | "isn't" | "aren't" | "hasn't" | "haven't"
        | "doesn't" | "don't" | "isn’t" | "aren’t" | "hasn’t" | "haven’t" | "doesn’t" | "don’t" => {
            Some(Tense::Present)
        }
        "was" | "were" | "had" | "did" | "said" | "wasn't" | "weren't" | "hadn't" | "didn't" | "wasn’t" | "weren’t"
        | "hadn’t" | "didn’t" => Some(Tense::Past),
        _ => None,
    }
}

/// Distinct numbers of a text are its specifics: a reporter's figures, dates and scores
/// differ; a generated continuation repeats a few. Each run of digits with its inner `,` and
/// `.` ("1,250.5") is one number.
fn number_spans(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && !bytes[at].is_ascii_digit() {
            at += 1;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && (bytes[at].is_ascii_digit() || matches!(bytes[at], b',' | b'.')) {
            at += 1;
        }
        Some(text[start..at].trim_end_matches([',', '.']))
    })
}

/// Measure of textual lexical diversity (MTLD, McCarthy and Jarvis): the mean length of the
/// runs of words over which the type-token ratio stays above 0.72, read forwards and
/// backwards. Unlike the plain type-token ratio it does not fall with the length of the
/// text. Generated text reuses its words sooner than a reporter's.
fn mtld(words: &[u32], distinct: usize) -> f32 {
    /// One reading; `run_of[id]` is the number of the run in which the word last came, so
    /// a run's types are counted without clearing a set at each new run.
    fn one_way(words: impl Iterator<Item = u32>, count: usize, run_of: &mut [u32]) -> f32 {
        const LIMIT: f32 = 0.72;
        run_of.fill(u32::MAX);
        let (mut run, mut types) = (0u32, 0usize);
        let (mut factors, mut tokens) = (0.0f32, 0usize);
        for word in words {
            let seen = &mut run_of[word as usize];
            if *seen != run {
                *seen = run;
                types += 1;
            }
            tokens += 1;
            if (types as f32 / tokens as f32) <= LIMIT {
                factors += 1.0;
                run += 1;
                types = 0;
                tokens = 0;
            }
        }
        if tokens > 0 {
            factors += (1.0 - types as f32 / tokens as f32) / (1.0 - LIMIT);
        }
        if factors > 0.0 { count as f32 / factors } else { count as f32 }
    }
    if words.is_empty() {
        return 0.0;
    }
    let mut run_of = vec![u32::MAX; distinct];
    (one_way(words.iter().copied(), words.len(), &mut run_of)
        + one_way(words.iter().rev().copied(), words.len(), &mut run_of))
        / 2.0
}

/// The type-token ratio averaged over every window of `window` words (the whole text's when
/// it is shorter): the diversity of vocabulary at a fixed scale, so long and short texts
/// compare. `words` are numbers below `distinct`, one per distinct word.
fn moving_type_token_ratio(words: &[u32], distinct: usize, window: usize) -> f32 {
    let mut counts = vec![0u32; distinct];
    let mut types = 0usize;
    let add = |counts: &mut [u32], word: u32| {
        let count = &mut counts[word as usize];
        *count += 1;
        usize::from(*count == 1)
    };
    if words.len() <= window {
        for &word in words {
            types += add(&mut counts, word);
        }
        return types as f32 / words.len().max(1) as f32;
    }
    for &word in &words[..window] {
        types += add(&mut counts, word);
    }
    let mut sum = types as f64;
    for at in window..words.len() {
        types += add(&mut counts, words[at]);
        let count = &mut counts[words[at - window] as usize];
        *count -= 1;
        types -= usize::from(*count == 0);
        sum += types as f64;
    }
    (sum / (words.len() - window + 1) as f64 / window as f64) as f32
}

/// Spans of function words written with a capital in the middle of a sentence that is
/// otherwise in lower case ("the minister did Announce That the plan"). Skips the first
/// word, words after a colon or a quotation mark, and words followed by another capital
/// (which are names: "The Hague", "Bosnia And Herzegovina" is still caught by its neighbours).
pub fn capitalised_function_words(
    text: &str,
    start: usize,
    end: usize,
    function_words: &HashSet<String>,
    max_capital_share: f32,
) -> Vec<(usize, usize)> {
    let sentence = &text[start..end];
    // Words are runs of letters and digits, with the apostrophes inside them ("don't").
    let words = || {
        word_runs(sentence, crate::analysis::is_alphanumeric, |c| {
            crate::analysis::is_alphanumeric(c) || c == '\'' || c == '’'
        })
        .map(|run| (run.start, &sentence[run]))
    };
    let starts_upper = |word: &str| word.chars().next().is_some_and(char::is_uppercase);
    // One pass: candidates are kept as they come, and all dropped at the end if the sentence
    // turns out too short to tell, or a heading or a list of names.
    let mut spans = Vec::new();
    let mut words = words().peekable();
    let Some(mut previous) = words.next() else { return spans };
    let (mut count, mut capitalised) = (1usize, usize::from(starts_upper(previous.1)));
    while let Some((offset, word)) = words.next() {
        count += 1;
        capitalised += usize::from(starts_upper(word));
        let next_is_lower = words.peek().is_none_or(|(_, w)| !starts_upper(w));
        if next_is_lower && is_stray_capital(sentence, previous, (offset, word), function_words) {
            spans.push((start + offset, start + offset + word.len()));
        }
        previous = (offset, word);
    }
    if count < 6 || capitalised as f32 / count as f32 > max_capital_share {
        spans.clear();
    }
    spans
}

/// Whether `word` (at `offset` of `sentence`, after `previous`) is a function word with a
/// capital that neither a name, a month, nor punctuation before it explains.
fn is_stray_capital(
    sentence: &str,
    (previous_offset, previous): (usize, &str),
    (offset, word): (usize, &str),
    function_words: &HashSet<String>,
) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else { return false };
    if !first.is_uppercase() || !chars.all(char::is_lowercase) || word.chars().count() < 2 && word != "A" {
        return false;
    }
    let lower = word.to_lowercase();
    // "May" is also a month, "Will" and "Said" also names.
    if !function_words.contains(&lower) || matches!(lower.as_str(), "may" | "will") {
        return false;
    }
    let between = &sentence[previous_offset + previous.len()..offset];
    !between.contains([':', '"', '“', '”', '(', ';', '—', '–', '-', '•', '|'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> HashSet<String> {
        ["the", "to", "by", "so", "he", "that", "and"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_style_model_reads_english_and_unguessed_english_only() {
        let model = Model::embedded().expect("the embedded model loads");
        let filler = Filler::new(&model).expect("the filler detector builds");
        let applies = |text: &str, language: Option<&str>| {
            let analysis = Analysis::new(text, usize::MAX);
            let context = Context { language: language.map(str::to_string), ..Context::default() };
            filler.style_applies(&analysis, &context)
        };
        // Too short to guess, but English by its function words.
        assert!(applies("The mayor said the bridge will open on Monday.", None));
        assert!(applies("Der Bürgermeister sagte, die Brücke öffne am Montag.", Some("en")));
        assert!(!applies("The mayor said the bridge will open on Monday.", Some("de")));
        // Latin letters, no guess, and few English function words: Hungarian, Polish.
        assert!(!applies(
            "A kivitelező a múlt héten fejezte be a terhelési próbákat. A mérnökök szerint a szerkezet minden \
             követelménynek megfelel, a világítás utolsó munkálatai még néhány napig tartanak.",
            None
        ));
        assert!(!applies("Burmistrz powiedział, że most zostanie otwarty w poniedziałek rano.", None));
        assert!(!applies("市長は月曜日に橋を開通させると述べた。", None));
        assert!(!applies("", None));
    }

    #[test]
    fn catches_mid_sentence_capitals_but_not_names_or_headings() {
        let s = "the minister did announce That the plan will go ahead and called on residents To stay inside.";
        let found: Vec<&str> =
            capitalised_function_words(s, 0, s.len(), &words(), 0.4).iter().map(|&(a, b)| &s[a..b]).collect();
        assert_eq!(found, vec!["That", "To"]);
        let name = "delegates travelled from all over the country to The Hague for the talks this week.";
        assert!(capitalised_function_words(name, 0, name.len(), &words(), 0.4).is_empty());
        let heading = "Additional Reinforcements In October, Situation In Kosovo To Be Reviewed";
        assert!(capitalised_function_words(heading, 0, heading.len(), &words(), 0.4).is_empty());
    }

    /// Numbers for words, as `style_features` gives them: one per distinct word.
    fn numbered(words: &[&str]) -> (Vec<u32>, usize) {
        let mut ids: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
        let sequence = words
            .iter()
            .map(|w| {
                let next = ids.len() as u32;
                *ids.entry(w).or_insert(next)
            })
            .collect();
        (sequence, ids.len())
    }

    #[test]
    fn lexical_diversity_falls_when_words_come_back() {
        let varied: Vec<&str> = "the council met on tuesday and approved a budget for roads schools parks libraries \
                                 while opposition members walked out before midnight citing missing figures"
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect();
        let repetitive: Vec<&str> =
            "the plan is good and the plan is new and the plan is good for the town and the town \
                                     is good"
                .split(' ')
                .filter(|w| !w.is_empty())
                .collect();
        let ((varied, varied_types), (repetitive, repetitive_types)) = (numbered(&varied), numbered(&repetitive));
        // Every word distinct: no run ever falls to 0.72, so MTLD is the length of the text.
        assert_eq!(mtld(&varied, varied_types), varied.len() as f32);
        // A text that keeps coming back to its words: runs end every dozen words or so.
        let repetitive_mtld = mtld(&repetitive, repetitive_types);
        assert!(repetitive_mtld < repetitive.len() as f32 / 1.5, "{repetitive_mtld}");
        assert_eq!(moving_type_token_ratio(&varied, varied_types, 50), 1.0);
        // Windows of 5 over a text that cycles through 3 words hold 3 types each.
        let (cycle, cycle_types) = numbered(&["a", "b", "c"].repeat(10));
        assert!((moving_type_token_ratio(&cycle, cycle_types, 5) - 0.6).abs() < 1e-6);
        assert_eq!(mtld(&[], 0), 0.0);
    }

    #[test]
    fn numbers_are_runs_of_digits_with_their_separators() {
        let found: Vec<&str> = number_spans("on 12 may, 1,250.5 people paid £3. in 2024.").collect();
        assert_eq!(found, ["12", "1,250.5", "3", "2024"]);
    }
}
