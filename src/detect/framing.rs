//! Framing: loaded wording in the author's own voice. Loaded labels (FR001), charged verbs of
//! saying (FR002), scare quotes (FR003) and subjective intensifiers (FR004). Words inside
//! attributed quotation weigh a fraction: the author is reporting, not framing.
use super::{Context, Detector, Finding, LexiconRule, RuleRef, Signal, saturate};
use crate::analysis::Analysis;
use crate::error::Result;
use crate::model::{Category, Model, Weights};

/// Share of its weight a loaded word keeps in a sentence that reports someone's words
/// without quotation marks ("X said the regime ..."): half the author's, half the source's.
const PARAPHRASE_FACTOR: f32 = 0.6;
/// The rule of charged verbs of saying and presupposing verbs.
const CHARGED_VERB: &str = "FR002";
/// Share kept inside a quotation that has no speaker: the author chose to quote it.
const UNATTRIBUTED_QUOTE_FACTOR: f32 = 0.6;

/// Detects loaded framing.
pub struct Framing {
    lexicons: Vec<LexiconRule>,
    scare_quote: Option<RuleRef>,
    weights: Weights,
}

impl Framing {
    pub fn new(model: &Model) -> Result<Self> {
        let lexicons = [
            LexiconRule::resolve(model, "FR001", Category::Framing)?,
            LexiconRule::resolve(model, "FR002", Category::Framing)?,
            LexiconRule::resolve(model, "FR004", Category::Framing)?,
        ]
        .into_iter()
        .flatten()
        .collect();
        Ok(Framing {
            lexicons,
            scare_quote: RuleRef::resolve(model, "FR003", Category::Framing)?,
            weights: model.weights.clone(),
        })
    }
}

impl Detector for Framing {
    fn category(&self) -> Category {
        Category::Framing
    }

    fn detect(&self, analysis: &Analysis, context: &Context) -> Signal {
        let mut findings: Vec<Finding> = Vec::new();
        for rule in &self.lexicons {
            rule.scan(analysis, context, None, &mut findings);
        }
        drop_nested(&mut findings);
        for finding in &mut findings {
            finding.weight *= self.voice_factor(analysis, context, finding.start, finding.rule);
        }
        if let Some(rule) = &self.scare_quote {
            // A headline's quotation marks are often a title's; a text of one line has no
            // headline, its line is the author's text.
            let headline =
                analysis.title_line.filter(|_| analysis.lines.iter().filter(|l| !l.is_blank()).nth(1).is_some());
            for quote in &analysis.quotes {
                let attributed = context.sentence_attributed.get(quote.sentence).copied().unwrap_or(false);
                let is_whole_line = analysis.line_text(quote.line).trim().len() <= quote.end - quote.start + 8;
                // A capitalised short quotation is usually a name: a placard, a title, a button.
                let is_name = analysis.text[quote.start..quote.end]
                    .split_whitespace()
                    .filter(|w| w.chars().next().is_some_and(crate::analysis::is_alphabetic))
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
                    && quote.words > 1;
                if quote.words == 0
                    || quote.words > self.weights.framing.scare_quote_max_words
                    || attributed
                    || is_whole_line
                    || is_name
                    || Some(quote.line) == headline
                {
                    continue;
                }
                findings.push(rule.finding(quote.line, quote.start, quote.end, rule.weight));
            }
        }
        findings.retain(|f| f.weight > 0.0);
        let evidence = self.evidence(analysis, &findings);
        let units = (analysis.sentences.len() as f32 / self.weights.presence.framing_sentences_per_unit).max(1.0);
        Signal { score: saturate(evidence / units, self.weights.presence.framing), findings }
    }
}

/// One phrase is one piece of evidence: where the lexicons overlap ("finally" in one,
/// "finally admitted" in another; "so-called" and "so-called experts"), only the match that
/// spans the other counts (the heavier one when two spans are equal).
fn drop_nested(findings: &mut Vec<Finding>) {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&findings[a], &findings[b]);
        x.start.cmp(&y.start).then(y.end.cmp(&x.end)).then(y.weight.total_cmp(&x.weight))
    });
    let mut nested = vec![false; findings.len()];
    let mut reach = 0;
    for (position, &index) in order.iter().enumerate() {
        let finding = &findings[index];
        // Sorted by start, longer first: a span is inside an earlier one exactly when it
        // ends before the furthest end seen so far.
        if position > 0 && finding.end <= reach {
            nested[index] = true;
        }
        reach = reach.max(finding.end);
    }
    let mut index = 0;
    findings.retain(|_| {
        index += 1;
        !nested[index - 1]
    });
}

impl Framing {
    /// The findings' weight, sentence by sentence: a sentence whose cues stay below presence
    /// counts [`crate::model::FramingWeights::lone_cue_factor`] of them.
    fn evidence(&self, analysis: &Analysis, findings: &[Finding]) -> f32 {
        let strong_at = self.weights.presence.framing;
        let lone = self.weights.framing.lone_cue_factor;
        let mut by_sentence: Vec<(usize, f32)> =
            findings.iter().map(|f| (analysis.sentences.partition_point(|s| s.end <= f.start), f.weight)).collect();
        by_sentence.sort_by_key(|&(sentence, _)| sentence);
        by_sentence
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| {
                let sum: f32 = run.iter().map(|&(_, w)| w).sum();
                if sum >= strong_at { sum } else { sum * lone }
            })
            .sum()
    }

    /// How much of a loaded word at `offset`, found by `rule`, is the author's own voice.
    fn voice_factor(&self, analysis: &Analysis, context: &Context, offset: usize, rule: &str) -> f32 {
        let sentence = analysis.sentences.partition_point(|s| s.end <= offset);
        let attributed = context.sentence_attributed.get(sentence).copied().unwrap_or(false);
        // Quotes are in text order and do not overlap: the last one starting at or before
        // `offset` is the only one that can hold it.
        let candidate = analysis.quotes.partition_point(|q| q.start <= offset);
        let quoted = candidate.checked_sub(1).map(|i| &analysis.quotes[i]).filter(|q| offset < q.end);
        match (quoted, attributed) {
            (Some(_), true) => self.weights.framing.quoted_factor,
            (Some(_), false) => UNATTRIBUTED_QUOTE_FACTOR,
            // The verb that reports the speech ("slammed", "finally admitted") is the author's
            // word even when the words reported are the source's.
            (None, true) if rule == CHARGED_VERB => 1.0,
            (None, true) => PARAPHRASE_FACTOR,
            (None, false) => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rule: &'static str, start: usize, end: usize, weight: f32) -> Finding {
        Finding { rule, category: Category::Framing, line_label: None, line: 0, start, end, weight }
    }

    #[test]
    fn a_phrase_inside_a_longer_match_of_another_lexicon_counts_once() {
        // "finally" (FR004) inside "finally admitted" (FR002), a separate word after both,
        // and two equal spans of which the heavier stays.
        let mut findings = vec![
            at("FR004", 0, 7, 0.25),
            at("FR002", 0, 16, 0.7),
            at("FR001", 20, 26, 0.5),
            at("FR004", 30, 35, 0.2),
            at("FR001", 30, 35, 0.6),
        ];
        drop_nested(&mut findings);
        let kept: Vec<(&str, usize, f32)> = findings.iter().map(|f| (f.rule, f.start, f.weight)).collect();
        assert_eq!(kept, vec![("FR002", 0, 0.7), ("FR001", 20, 0.5), ("FR001", 30, 0.6)]);
    }

    #[test]
    fn weak_cues_in_different_sentences_count_less_than_in_one() {
        let model = Model::embedded().unwrap();
        let framing = Framing::new(&model).unwrap();
        let text = "The plan was bold. The vote was close. Officials met on Monday.";
        let analysis = Analysis::new(text, usize::MAX);
        let weak = model.weights.presence.framing * 0.6;
        // "bold" and "close": one weak cue in each of two sentences, then both in the first.
        let apart = [at("FR001", 12, 16, weak), at("FR001", 32, 37, weak)];
        let together = [at("FR001", 12, 16, weak), at("FR001", 4, 8, weak)];
        let lone = model.weights.framing.lone_cue_factor;
        assert!((framing.evidence(&analysis, &apart) - 2.0 * weak * lone).abs() < 1e-6);
        assert!((framing.evidence(&analysis, &together) - 2.0 * weak).abs() < 1e-6);
    }
}
