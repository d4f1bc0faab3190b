//! From signals to a verdict: runs the detectors on one analysis, labels the lines, and
//! combines scores and credibility cues with the model's weights.
use rustc_hash::FxHashSet as HashSet;

use crate::analysis::Analysis;
use crate::corpus::SourceTemplate;
use crate::detect::{self, Context, Detector, Finding, LexiconRule, RuleRef, saturate};
use crate::error::Result;
use crate::label::{Labeller, Labels};
use crate::language::LanguageGuesser;
use crate::lexicon::{Lexicon, LexiconSet};
use crate::line_model::LineModel;
use crate::lines::{self, LineFeatures, RuleEvidence};
use crate::model::{Category, LineLabel, Model};
use crate::record::Record;

/// Records longer than this are analysed up to it; the rest still counts in `words`.
pub const DEFAULT_ANALYSIS_LIMIT: usize = 4 << 20;

/// Findings lighter than this are too weak to name in the evidence column.
const MIN_EVIDENCE_WEIGHT: f32 = 0.1;

/// The five 0..1 signal columns.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub paywall: f32,
    pub widget: f32,
    pub filler: f32,
    pub framing: f32,
    pub repetition: f32,
}

impl Scores {
    /// The score of `category`, if it is one of the five columns.
    pub fn get(&self, category: Category) -> Option<f32> {
        match category {
            Category::Paywall => Some(self.paywall),
            Category::Widget => Some(self.widget),
            Category::Filler => Some(self.filler),
            Category::Framing => Some(self.framing),
            Category::Repetition => Some(self.repetition),
            Category::Credibility => None,
        }
    }

    fn set(&mut self, category: Category, value: f32) {
        match category {
            Category::Paywall => self.paywall = value,
            Category::Widget => self.widget = value,
            Category::Filler => self.filler = value,
            Category::Framing => self.framing = value,
            Category::Repetition => self.repetition = value,
            Category::Credibility => {}
        }
    }
}

/// What to do with an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Keep,
    Review,
    Drop,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Keep => "keep",
            Verdict::Review => "review",
            Verdict::Drop => "drop",
        }
    }
}

/// Everything residue concluded about one article, with the analysis it read.
#[derive(Debug, Clone)]
pub struct Assessment<'a> {
    pub analysis: Analysis<'a>,
    pub context: Context,
    /// Every finding, sorted by position.
    pub findings: Vec<Finding>,
    pub labels: Labels,
    pub scores: Scores,
    pub boilerplate_share: f32,
    pub credibility: f32,
    pub verdict: Verdict,
}

pub use crate::line_model::LineReason;

/// What a verdict is made of, kept once the text is gone (for the corpus passes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub words: usize,
    pub boilerplate_share: f32,
    pub credibility: f32,
    pub verdict: Verdict,
}

impl Assessment<'_> {
    pub fn standing(&self) -> Standing {
        Standing {
            words: self.analysis.words,
            boilerplate_share: self.boilerplate_share,
            credibility: self.credibility,
            verdict: self.verdict,
        }
    }

    /// The strongest findings as `category:phrase`, strongest first, without repeats. Left
    /// out: attribution (it raises credibility), weak findings, and line findings on lines
    /// that did not take their label (a phrase the labeller judged to be prose).
    pub fn evidence(&self, most: usize) -> Vec<String> {
        let mut ranked: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| f.rule != "CR002" && f.weight >= MIN_EVIDENCE_WEIGHT)
            .filter(|f| f.line_label.is_none_or(|label| self.labels.labels[f.line] == label))
            .collect();
        ranked.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.start.cmp(&b.start)));
        let mut out: Vec<String> = Vec::new();
        if let Some(total) = self.analysis.truncated_from {
            out.push(format!("limit:analysed the first {} of {} bytes", self.analysis.text.len(), total));
        }
        for finding in ranked {
            let phrase: String = finding.phrase(&self.analysis).chars().take(60).collect();
            let item = format!("{}:{}", finding.category.as_str(), phrase.trim());
            if !out.contains(&item) {
                out.push(item);
            }
            if out.len() >= most {
                break;
            }
        }
        out
    }

    /// The text with the lines of the given labels removed (blank runs collapsed).
    pub fn cleaned_text(&self, drop: &[LineLabel]) -> String {
        let mut out = String::with_capacity(self.analysis.text.len());
        let mut last_blank = true;
        for (index, line) in self.analysis.lines.iter().enumerate() {
            if drop.contains(&self.labels.labels[index]) {
                continue;
            }
            if line.is_blank() && analysis_line_is_empty(&self.analysis, index) {
                if last_blank {
                    continue;
                }
                last_blank = true;
            } else {
                last_blank = false;
            }
            out.push_str(self.analysis.line_text(index));
            out.push('\n');
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        if out.ends_with('\n') && !self.analysis.text.ends_with('\n') {
            out.pop();
        }
        out
    }
}

fn analysis_line_is_empty(analysis: &Analysis, index: usize) -> bool {
    analysis.line_text(index).trim().is_empty()
}

/// A first line of at least this many words is kept as the headline whatever follows it.
const HEADLINE_MIN_WORDS: u32 = 6;

/// Whether a text's first line, of `words` words, is its headline (which the line classifier
/// never labels), given the next line with words: its label from the rules and the
/// classifier's probability. It is when it is as long as a headline, or when no boilerplate
/// follows it; a short first line before more boilerplate is the page's first menu item or
/// its site's name ("Menu", "Dow Jones, a News Corp company"): on the AEB dev pages every first
/// line is boilerplate and 110 of 127 have five words or fewer. A line of HTML markup (a
/// tracking pixel's `<img …>` left in the text) is never a headline.
fn is_headline(text: &str, words: u32, next: Option<(LineLabel, Option<f32>)>, threshold: f32) -> bool {
    !is_markup(text)
        && (words >= HEADLINE_MIN_WORDS
            || next.is_none_or(|(label, p)| !label.is_boilerplate() && p.is_some_and(|p| p < threshold)))
}

/// A line that opens with an HTML tag and closes one: `<img height="1" …>`, `</div>`.
fn is_markup(text: &str) -> bool {
    let text = text.trim();
    let opens_tag = text
        .strip_prefix('<')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!'));
    opens_tag && text.contains('>')
}

/// What `explain` shows of the stylometric filler model ([`Scorer::filler_style`]).
#[derive(Debug, Clone, PartialEq)]
pub enum FillerStyle {
    /// Its probability (calibrated, prior added) and each feature's push towards "machine",
    /// strongest first.
    Read { probability: f32, pushes: Vec<(String, f32)> },
    /// It did not read the text: the text is not English (or shows too little of it).
    NotEnglish,
}

/// Scores articles with one model. Cheap to share across threads.
pub struct Scorer {
    model: Model,
    /// The filler detector again, for `residue fit` to read its stylometric features.
    filler_probe: detect::filler::Filler,
    line_model: Option<LineModel>,
    line_classifier: Option<RuleRef>,
    template_line: Option<RuleRef>,
    all_stopwords: HashSet<String>,
    language: LanguageGuesser,
    detectors: Vec<Box<dyn Detector>>,
    labeller: Labeller,
    attribution: Option<LexiconRule>,
    clickbait: Option<LexiconRule>,
    /// Every lexicon that a rule scans whole texts with, searched in one pass.
    lexicon_set: LexiconSet,
    analysis_limit: usize,
}

impl Scorer {
    /// Binds the detectors to `model`.
    pub fn new(model: Model) -> Result<Self> {
        Ok(Scorer {
            filler_probe: detect::filler::Filler::new(&model)?,
            line_model: model.line_model.clone(),
            line_classifier: RuleRef::resolve(&model, "WG007", Category::Widget)?,
            template_line: RuleRef::resolve(&model, "WG008", Category::Widget)?,
            all_stopwords: model.stopwords.values().flatten().cloned().collect(),
            language: LanguageGuesser::new(&model.stopwords),
            detectors: detect::registry(&model)?,
            labeller: Labeller::new(&model)?,
            attribution: LexiconRule::resolve(&model, "CR002", Category::Credibility)?,
            clickbait: LexiconRule::resolve(&model, "CR003", Category::Credibility)?,
            lexicon_set: whole_text_lexicons(&model),
            analysis_limit: DEFAULT_ANALYSIS_LIMIT,
            model,
        })
    }

    /// Uses this line classifier instead of the model's (`None`: rules only).
    pub fn with_line_model(mut self, line_model: Option<LineModel>) -> Self {
        self.line_model = line_model;
        self
    }

    /// Analyses at most `bytes` of each record.
    pub fn with_analysis_limit(mut self, bytes: usize) -> Self {
        self.analysis_limit = bytes.max(1);
        self
    }

    /// The model this scorer uses.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Scores one article's text on its own.
    pub fn assess<'a>(&self, text: &'a str) -> Assessment<'a> {
        self.assess_in(text, None)
    }

    /// Scores one article's text, reading its source's template lines from the run (rule WG008).
    pub fn assess_in<'a>(&self, text: &'a str, template: Option<SourceTemplate>) -> Assessment<'a> {
        self.assess_analysis(Analysis::new(text, self.analysis_limit), template)
    }

    /// Scores a record as read: when the reader kept only the first part of a long record,
    /// `words` still counts the whole of it and the evidence says what was analysed.
    pub fn assess_record<'a>(&self, record: &'a Record, template: Option<SourceTemplate>) -> Assessment<'a> {
        self.assess_analysis(Analysis::with_elided(&record.text, self.analysis_limit, record.elided), template)
    }

    fn assess_analysis<'a>(&self, analysis: Analysis<'a>, template: Option<SourceTemplate>) -> Assessment<'a> {
        let (context, mut findings, mut scores) = self.rule_findings(&analysis);
        if let (Some(template), Some(rule)) = (template, &self.template_line) {
            template_findings(&analysis, template, rule, &mut findings);
        }
        let mut labels = self.labeller.label(&analysis, &mut findings);
        if let (Some(model), Some(rule)) = (&self.line_model, &self.line_classifier) {
            let evidence = self.rule_evidence(&analysis, &findings);
            let features = lines::features(&analysis, &evidence, &self.all_stopwords, &context.glued_teasers);
            let label_at = self.model.weights.lines.label_at;
            let threshold = model.threshold();
            let before = findings.len();
            let probabilities = model.probabilities(&features);
            let headline = analysis.title_line.filter(|&title| {
                let next = (title + 1..analysis.lines.len()).find(|&i| probabilities[i].is_some());
                is_headline(
                    analysis.line_text(title),
                    analysis.lines[title].words,
                    next.map(|i| (labels.labels[i], probabilities[i])),
                    threshold,
                )
            });
            for (index, p) in probabilities.into_iter().enumerate() {
                // The classifier labels what the rules left as content, never the headline, and
                // only lines it calls boilerplate itself: its doubts do not spread.
                let Some(p) = p else { continue };
                if labels.labels[index] != LineLabel::Content || Some(index) == headline {
                    continue;
                }
                if p >= threshold {
                    let line = analysis.lines[index];
                    let weight = rule.weight * label_at * p / threshold;
                    findings.push(rule.finding(index, line.start, line.end, weight));
                }
            }
            if findings.len() > before {
                labels = self.labeller.assign(&analysis, &findings);
            }
        }
        findings.sort_by(|a, b| a.start.cmp(&b.start).then(a.rule.cmp(b.rule)));

        // Paywall and widget are read off the labelled lines, so that a phrase the labeller
        // did not accept (an article *about* paywalls) does not raise the column.
        let presence = &self.model.weights.presence;
        // Lines only the classifier labelled count a share: one stray heading is not a widget.
        let by_rules_only: Vec<bool> = {
            let mut flags = vec![false; analysis.lines.len()];
            for f in findings.iter().filter(|f| f.category != Category::Credibility || f.line_label.is_some()) {
                if f.rule != "WG007" && f.line_label.is_some() {
                    flags[f.line] = true;
                }
            }
            flags
        };
        let classifier_share = self.model.weights.presence.classifier_line_share;
        for (label, category, at) in [
            (LineLabel::Paywall, Category::Paywall, presence.paywall),
            (LineLabel::Widget, Category::Widget, presence.widget),
        ] {
            let evidence: f32 = (0..analysis.lines.len())
                .filter(|&i| labels.labels[i] == label)
                .map(|i| labels.weights[i].min(1.5) * if by_rules_only[i] { 1.0 } else { classifier_share })
                .sum::<f32>()
                + findings
                    .iter()
                    .filter(|f| f.category == category && f.line_label.is_none())
                    .map(|f| f.weight)
                    .sum::<f32>();
            scores.set(category, saturate(evidence, at));
        }

        let boilerplate_share = boilerplate_share(&analysis, &labels.labels);
        let credibility = self.credibility(&analysis, &scores, boilerplate_share, &findings, &context);
        let verdict = self.verdict(analysis.words, credibility, boilerplate_share);
        Assessment { analysis, context, findings, labels, scores, boilerplate_share, credibility, verdict }
    }

    /// The rule-based pass: context, every detector's findings and scores.
    fn rule_findings(&self, analysis: &Analysis) -> (Context, Vec<Finding>, Scores) {
        let mut findings = Vec::new();
        let context = self.context(analysis, &mut findings);
        let mut scores = Scores::default();
        for detector in &self.detectors {
            let signal = detector.detect(analysis, &context);
            scores.set(detector.category(), signal.score);
            findings.extend(signal.findings);
        }
        if let (Some(rule), Some(title)) = (&self.clickbait, analysis.title_line) {
            let mut hits = Vec::new();
            let line = analysis.lines[title];
            rule.lexicon.find_in_line(&analysis.lower, line.start, line.end, &mut hits);
            for hit in hits {
                let weight = rule.lexicon.entries[hit.entry].weight;
                findings.push(rule.rule.finding(title, hit.start, hit.end, weight));
            }
        }
        (context, findings, scores)
    }

    /// The stylometric filler features of `text`, what `residue fit` trains `filler.toml` on;
    /// `None` for a text the model does not read (see
    /// [`crate::detect::filler::Filler::style_applies`]).
    pub fn filler_features(&self, text: &str) -> Option<Vec<f32>> {
        let analysis = Analysis::new(text, self.analysis_limit);
        let mut ignored = Vec::new();
        let context = self.context(&analysis, &mut ignored);
        if !self.filler_probe.style_applies(&analysis, &context) {
            return None;
        }
        let findings = self.filler_probe.rule_findings(&analysis, &context);
        Some(self.filler_probe.style_features(&analysis, &context, &findings))
    }

    /// The stylometric filler model's reading of `text`: its probability (calibrated, as
    /// the `filler` column uses it) and each feature's push towards "machine"
    /// ([`crate::detect::filler::Filler::style_pushes`]), strongest first; or that it did not
    /// read the text ([`Self::filler_features`] is `None`). `None` without a filler model.
    pub fn filler_style(&self, text: &str) -> Option<FillerStyle> {
        self.model.filler_model.as_ref()?;
        let Some(features) = self.filler_features(text) else {
            return Some(FillerStyle::NotEnglish);
        };
        let probability = self.filler_probe.style_probability(&features)?;
        let pushes = self.filler_probe.style_pushes(&features)?;
        Some(FillerStyle::Read { probability, pushes })
    }

    /// The line classifier's features for every line of `text` (`None` for blank lines),
    /// with the analysis they were read from: what `residue fit` trains on.
    pub fn line_features<'a>(&self, text: &'a str) -> (Analysis<'a>, Vec<Option<LineFeatures>>) {
        let analysis = Analysis::new(text, self.analysis_limit);
        let (context, mut findings, _) = self.rule_findings(&analysis);
        self.labeller.label(&analysis, &mut findings);
        let features = self.line_features_of(&analysis, &findings, &context);
        (analysis, features)
    }

    /// The line classifier's reading of every line: its probability of boilerplate and the
    /// `most` features that pushed it hardest (signed: positive towards boilerplate). `None`
    /// for blank lines, and for every line without a classifier.
    pub fn line_reasons(&self, text: &str, most: usize) -> Vec<Option<LineReason>> {
        let (analysis, features) = self.line_features(text);
        let Some(model) = &self.line_model else { return vec![None; analysis.lines.len()] };
        model.reasons(&features, most)
    }

    fn line_features_of(
        &self,
        analysis: &Analysis,
        findings: &[Finding],
        context: &Context,
    ) -> Vec<Option<LineFeatures>> {
        let evidence = self.rule_evidence(analysis, findings);
        lines::features(analysis, &evidence, &self.all_stopwords, &context.glued_teasers)
    }

    /// What the rule-based findings say of each line.
    fn rule_evidence(&self, analysis: &Analysis, findings: &[Finding]) -> Vec<RuleEvidence> {
        let label_at = self.model.weights.lines.label_at;
        let mut evidence = vec![RuleEvidence::default(); analysis.lines.len()];
        let mut filler = vec![0f32; analysis.lines.len()];
        for finding in findings {
            let slot = &mut evidence[finding.line];
            match finding.line_label {
                Some(LineLabel::Paywall) => slot.paywall += finding.weight,
                Some(LineLabel::Widget) => slot.widget += finding.weight,
                Some(LineLabel::Filler) => filler[finding.line] += finding.weight,
                _ => {}
            }
        }
        for (slot, filler) in evidence.iter_mut().zip(filler) {
            slot.boilerplate = slot.paywall.max(slot.widget) >= label_at;
            slot.labelled = slot.boilerplate || filler >= label_at;
        }
        evidence
    }

    /// Attribution hits and the language guess, shared by the detectors.
    fn context(&self, analysis: &Analysis, findings: &mut Vec<Finding>) -> Context {
        let language = self.language.guess(&analysis.lower);
        let mut context = Context {
            sentence_attributed: vec![false; analysis.sentences.len()],
            line_attributed: vec![false; analysis.lines.len()],
            language: language.map(str::to_string),
            glued_teasers: lines::glued_teaser_lines(analysis, language),
            lexicon_matches: self.lexicon_set.scan(&analysis.lower, language),
            ..Context::default()
        };
        if let Some(rule) = &self.attribution {
            let mut hits = Vec::new();
            detect::find_lexicon(&rule.lexicon, analysis, &context, &mut hits);
            // A zero-weight entry masks a phrase that holds a verb of saying ("so-called").
            context.attribution.extend(
                hits.into_iter()
                    .filter(|(i, h)| !analysis.lines[*i].is_blank() && rule.lexicon.entries[h.entry].weight > 0.0)
                    .map(|(_, h)| h),
            );
            for hit in &context.attribution {
                let sentence = analysis.sentences.partition_point(|s| s.end <= hit.start);
                if let Some(flag) = context.sentence_attributed.get_mut(sentence) {
                    *flag = true;
                }
                let line = analysis.line_of(hit.start);
                context.line_attributed[line] = true;
                let weight = rule.lexicon.entries[hit.entry].weight;
                findings.push(rule.rule.finding(line, hit.start, hit.end, weight));
            }
        }
        context
    }

    fn credibility(
        &self,
        analysis: &Analysis,
        scores: &Scores,
        boilerplate: f32,
        findings: &[Finding],
        context: &Context,
    ) -> f32 {
        let w = &self.model.weights.credibility;
        let mut value = w.base
            - w.paywall * scores.paywall
            - w.widget * scores.widget
            - w.filler * scores.filler
            - w.framing * scores.framing
            - w.repetition * scores.repetition
            - w.boilerplate_share * boilerplate;
        let cues: f32 = findings.iter().filter_map(|f| w.cue_penalty.get(f.rule)).sum();
        value -= cues.min(w.cue_cap);
        let sentences = analysis.sentences.len().max(1) as f32;
        let attribution: f32 = context.attribution.len() as f32 / sentences;
        value += (attribution * w.attribution_scale).min(w.attribution_cap);
        value.clamp(0.0, 1.0)
    }

    /// The standing of a record once the run shows that it rewrites or copies another record
    /// with this similarity: credibility falls by `[credibility] rewrite` per unit.
    pub fn after_rewrite(&self, standing: Standing, similarity: f32) -> Standing {
        let w = &self.model.weights.credibility;
        let credibility = (standing.credibility - w.rewrite * similarity.clamp(0.0, 1.0)).clamp(0.0, 1.0);
        let verdict = self.verdict(standing.words, credibility, standing.boilerplate_share);
        Standing { credibility, verdict, ..standing }
    }

    fn verdict(&self, words: usize, credibility: f32, boilerplate: f32) -> Verdict {
        let v = &self.model.weights.verdict;
        if words < v.min_words || boilerplate >= v.drop_boilerplate_share || credibility < v.drop_below {
            Verdict::Drop
        } else if credibility < v.keep_at {
            Verdict::Review
        } else {
            Verdict::Keep
        }
    }

    /// Rule references that the scorer itself (not a detector) relies on, for `rules`.
    pub fn rules(&self) -> &[crate::model::Rule] {
        &self.model.rules
    }
}

/// A WG008 finding on every line that its source's template holds.
fn template_findings(analysis: &Analysis, template: SourceTemplate, rule: &RuleRef, findings: &mut Vec<Finding>) {
    for (index, line) in analysis.lines.iter().enumerate() {
        if !line.is_blank() && template.template_count(analysis.line_text(index)).is_some() {
            findings.push(rule.finding(index, line.start, line.end, rule.weight));
        }
    }
}

/// Share of the text's characters (in non-blank lines) that stand in paywall or widget lines.
pub fn boilerplate_share(analysis: &Analysis, labels: &[LineLabel]) -> f32 {
    let mut total = 0usize;
    let mut boilerplate = 0usize;
    for (index, line) in analysis.lines.iter().enumerate() {
        let chars = analysis.line_text(index).trim().chars().count();
        if line.is_blank() && chars == 0 {
            continue;
        }
        total += chars;
        if labels[index].is_boilerplate() {
            boilerplate += chars;
        }
    }
    if total == 0 { 0.0 } else { boilerplate as f32 / total as f32 }
}

/// One set of the lexicons that rules match against whole texts (the clickbait lexicon reads
/// only the title line, and is searched there on its own).
fn whole_text_lexicons(model: &Model) -> LexiconSet {
    let mut names: Vec<&str> =
        model.rules.iter().filter(|r| r.code != "CR003").filter_map(|r| r.lexicon.as_deref()).collect();
    names.sort_unstable();
    names.dedup();
    let lexicons: Vec<&Lexicon> = names.iter().filter_map(|name| model.lexicon(name)).collect();
    let guessable: Vec<&str> = model.stopwords.keys().map(String::as_str).collect();
    LexiconSet::new(&lexicons, &guessable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logit(p: f32) -> f32 {
        (p / (1.0 - p)).ln()
    }

    #[test]
    fn the_filler_pushes_explain_the_calibrated_probability_they_are_shown_beside() {
        let scorer = Scorer::new(Model::embedded().unwrap()).unwrap();
        let read = |text: &str| match scorer.filler_style(text) {
            Some(FillerStyle::Read { probability, pushes }) => {
                (probability, pushes.iter().map(|(_, push)| push).sum::<f32>())
            }
            other => panic!("the embedded filler model should read English prose: {other:?}"),
        };
        let human = "The council met on Tuesday night. Residents said the ferry had been late all week, \
            and the harbour master blamed the weather. \"We lost two sailings,\" she said. The vote was close.";
        let machine = "It is important to note that this article is unique because it provides a comprehensive \
            overview of the topic. Furthermore, it is worth mentioning that the information presented here \
            is freshly written. In conclusion, this article offers valuable insights into the subject.";
        let (p_human, sum_human) = read(human);
        let (p_machine, sum_machine) = read(machine);
        // What the pushes change between two texts is what logit(p) changes: the base, the
        // roots, the intercept and the prior are the same for both.
        let moved = logit(p_machine) - logit(p_human);
        assert!(moved > 1.0, "the filler text should read as more machine-like: {p_human} vs {p_machine}");
        assert!(
            (moved - (sum_machine - sum_human)).abs() < 0.01 * moved.abs().max(1.0),
            "{moved} vs {}",
            sum_machine - sum_human
        );
    }

    #[test]
    fn a_first_line_is_a_headline_when_long_enough_or_when_no_boilerplate_follows() {
        let kept_next = Some((LineLabel::Content, Some(0.2)));
        let widget_next = Some((LineLabel::Widget, Some(0.2)));
        let doubtful_next = Some((LineLabel::Content, Some(0.7)));
        let title = "Council approves the new ferry timetable";
        for next in [widget_next, doubtful_next] {
            assert!(!is_headline(title, HEADLINE_MIN_WORDS - 1, next, 0.5));
            assert!(is_headline(title, HEADLINE_MIN_WORDS, next, 0.5));
        }
        assert!(is_headline(title, 1, kept_next, 0.5));
        // A lead the filler rules labelled is still the article, not boilerplate.
        assert!(is_headline(title, 3, Some((LineLabel::Filler, Some(0.1))), 0.5));
        // Nothing after it: a text of one line keeps it.
        assert!(is_headline(title, 2, None, 0.5));
        // A tracking pixel left in the text is not a headline, however long or alone; a
        // headline that only holds a comparison or a heart is.
        let pixel = r#"<img height="1" width="1" style="display:none" src="http://example.com/p?c1=2">"#;
        assert!(!is_headline(pixel, 9, kept_next, 0.5));
        assert!(!is_headline("</div> <!-- end header -->", 4, None, 0.5));
        assert!(is_headline("Rates < 2% for a year, bank > building society", 9, widget_next, 0.5));
        assert!(is_headline("<3 reasons to love the ferry >", 6, widget_next, 0.5));
    }
}
