//! Paywall: metering, registration, log-in and trial prompts (PW001), and an article cut
//! off mid-sentence right before them (PW002).
use super::{Context, Detector, Finding, LexiconRule, RuleRef, Signal, saturate};
use crate::analysis::Analysis;
use crate::error::Result;
use crate::model::{Category, Model, Weights};

/// Detects access-restriction prompts.
pub struct Paywall {
    prompt: Option<LexiconRule>,
    truncation: Option<RuleRef>,
    weights: Weights,
}

impl Paywall {
    pub fn new(model: &Model) -> Result<Self> {
        Ok(Paywall {
            prompt: LexiconRule::resolve(model, "PW001", Category::Paywall)?,
            truncation: RuleRef::resolve(model, "PW002", Category::Paywall)?,
            weights: model.weights.clone(),
        })
    }
}

impl Detector for Paywall {
    fn category(&self) -> Category {
        Category::Paywall
    }

    fn detect(&self, analysis: &Analysis, context: &Context) -> Signal {
        let mut findings = Vec::new();
        if let Some(prompt) = &self.prompt {
            prompt.scan(analysis, context, Some(&self.weights.shape), &mut findings);
        }
        let per_line = line_totals(&findings);
        let first_prompt = per_line.iter().find(|(_, w)| *w >= self.weights.lines.label_at).map(|(line, _)| *line);
        if let (Some(rule), Some(cut)) =
            (&self.truncation, first_prompt.and_then(|first| cut_off_before(analysis, first)))
        {
            let line = analysis.lines[cut];
            let tail_start =
                crate::analysis::floor_char_boundary(analysis.text, line.end.saturating_sub(24).max(line.start));
            findings.push(rule.finding(cut, tail_start, line.end, rule.weight));
        }
        let evidence: f32 =
            per_line.iter().filter(|(_, w)| *w >= self.weights.lines.label_at).map(|(_, w)| w.min(1.5)).sum();
        Signal { score: saturate(evidence, self.weights.presence.paywall), findings }
    }
}

/// Sum of finding weights per line, for the lines that have findings, in line order.
pub fn line_totals(findings: &[Finding]) -> Vec<(usize, f32)> {
    let mut by_line: Vec<(usize, f32)> = findings.iter().map(|f| (f.line, f.weight)).collect();
    by_line.sort_by_key(|(line, _)| *line);
    let mut totals: Vec<(usize, f32)> = Vec::with_capacity(by_line.len());
    for (line, weight) in by_line {
        match totals.last_mut() {
            Some((last, total)) if *last == line => *total += weight,
            _ => totals.push((line, weight)),
        }
    }
    totals
}

/// The prose line right before the prompt at `prompt_line`, if it stops mid-sentence.
fn cut_off_before(analysis: &Analysis, prompt_line: usize) -> Option<usize> {
    let previous = (0..prompt_line).rev().find(|&i| !analysis.lines[i].is_blank())?;
    let line = analysis.lines[previous];
    let text = analysis.line_text(previous).trim_end();
    let ends_sentence = text.ends_with(['.', '!', '?', '"', '”', '’', ')', ':', '…']);
    (line.words >= 12 && !ends_sentence && Some(previous) != analysis.title_line).then_some(previous)
}
