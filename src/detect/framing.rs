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
        for finding in &mut findings {
            finding.weight *= self.voice_factor(analysis, context, finding.start);
        }
        if let Some(rule) = &self.scare_quote {
            for quote in &analysis.quotes {
                let attributed = context.sentence_attributed.get(quote.sentence).copied().unwrap_or(false);
                let is_whole_line = analysis.line_text(quote.line).trim().len() <= quote.end - quote.start + 8;
                // A capitalised short quotation is usually a name: a placard, a title, a button.
                let is_name = analysis.text[quote.start..quote.end]
                    .split_whitespace()
                    .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
                    && quote.words > 1;
                if quote.words == 0
                    || quote.words > self.weights.framing.scare_quote_max_words
                    || attributed
                    || is_whole_line
                    || is_name
                    || Some(quote.line) == analysis.title_line
                {
                    continue;
                }
                findings.push(rule.finding(quote.line, quote.start, quote.end, rule.weight));
            }
        }
        findings.retain(|f| f.weight > 0.0);
        let evidence: f32 = findings.iter().map(|f| f.weight).sum();
        let units = (analysis.sentences.len() as f32 / self.weights.presence.framing_sentences_per_unit).max(1.0);
        Signal { score: saturate(evidence / units, self.weights.presence.framing), findings }
    }
}

impl Framing {
    /// How much of a loaded word at `offset` is the author's own voice.
    fn voice_factor(&self, analysis: &Analysis, context: &Context, offset: usize) -> f32 {
        let sentence = analysis.sentences.partition_point(|s| s.end <= offset);
        let attributed = context.sentence_attributed.get(sentence).copied().unwrap_or(false);
        // Quotes are in text order and do not overlap: the last one starting at or before
        // `offset` is the only one that can hold it.
        let candidate = analysis.quotes.partition_point(|q| q.start <= offset);
        let quoted = candidate.checked_sub(1).map(|i| &analysis.quotes[i]).filter(|q| offset < q.end);
        match (quoted, attributed) {
            (Some(_), true) => self.weights.framing.quoted_factor,
            (Some(_), false) => UNATTRIBUTED_QUOTE_FACTOR,
            (None, true) => PARAPHRASE_FACTOR,
            (None, false) => 1.0,
        }
    }
}
