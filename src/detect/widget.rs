//! Widget: template, navigation, comment-form, share-bar, cookie and newsletter residue
//! (WG001), icon-font words (WG002), metadata lines (WG003), generic bylines (WG004) and
//! republishing marks (CR001). Context rules that need every line's label (WG005 stray
//! headlines, WG006 navigation blocks) live in `label`.
use super::{Context, Detector, LexiconRule, RuleRef, Signal, saturate};
use crate::analysis::Analysis;
use crate::error::Result;
use crate::model::{Category, Model, Weights};

/// Detects template residue line by line.
pub struct Widget {
    template: Option<LexiconRule>,
    icons: Option<LexiconRule>,
    metadata: Option<RuleRef>,
    byline: Option<LexiconRule>,
    republished: Option<LexiconRule>,
    weights: Weights,
}

impl Widget {
    pub fn new(model: &Model) -> Result<Self> {
        Ok(Widget {
            template: LexiconRule::resolve(model, "WG001", Category::Widget)?,
            icons: LexiconRule::resolve(model, "WG002", Category::Widget)?,
            metadata: RuleRef::resolve(model, "WG003", Category::Widget)?,
            byline: LexiconRule::resolve(model, "WG004", Category::Widget)?,
            republished: LexiconRule::resolve(model, "CR001", Category::Credibility)?,
            weights: model.weights.clone(),
        })
    }
}

impl Detector for Widget {
    fn category(&self) -> Category {
        Category::Widget
    }

    fn detect(&self, analysis: &Analysis, context: &Context) -> Signal {
        let mut findings = Vec::new();
        let shape = Some(&self.weights.shape);
        for rule in [&self.template, &self.icons, &self.byline, &self.republished].into_iter().flatten() {
            rule.scan(analysis, context, shape, &mut findings);
        }
        if let Some(rule) = &self.metadata {
            for (index, line) in analysis.lines.iter().enumerate() {
                if Some(index) == analysis.title_line || line.is_blank() || line.words > 14 {
                    continue;
                }
                let marks = metadata_marks(analysis.line_text(index));
                if marks >= 2 {
                    let weight = (rule.weight + 0.2 * (marks - 2) as f32).min(1.3);
                    findings.push(rule.finding(index, line.start, line.end, weight));
                }
            }
        }
        let per_line = super::paywall::line_totals(&findings);
        let evidence: f32 =
            per_line.iter().filter(|(_, w)| *w >= self.weights.lines.label_at).map(|(_, w)| w.min(1.5)).sum();
        Signal { score: saturate(evidence, self.weights.presence.widget), findings }
    }
}

/// Counts what makes a short line read as page metadata rather than prose: separators
/// (`|`, ` / `, `•`, `»`, `›`), dates (21.11.23, 2023-11-21), clock times (16:34) and
/// counters. A line that ends a sentence counts one mark less.
pub fn metadata_marks(line: &str) -> usize {
    let mut marks: usize = 0;
    for token in line.split_whitespace() {
        let t = token.trim_matches(|c: char| matches!(c, ',' | ';' | '(' | ')'));
        // Separators, clock times and dates all begin with a digit or a sign, never a letter:
        // most words of a line are answered by their first byte.
        if t.as_bytes().first().is_none_or(u8::is_ascii_alphabetic) {
            continue;
        }
        let separator = matches!(t, "|" | "/" | "•" | "·" | "»" | "›" | "–" | "-" | "—" | "//" | "::");
        if separator || is_clock_time(t) || is_numeric_date(t) {
            marks += 1;
        }
    }
    let trimmed = line.trim_end();
    if trimmed.ends_with(['.', '!', '?']) && !trimmed.ends_with("..") {
        marks = marks.saturating_sub(1);
    }
    marks
}

fn is_clock_time(token: &str) -> bool {
    let t = token.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
    let mut parts = t.split(':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(m), None) => {
            (1..=2).contains(&h.len())
                && m.len() == 2
                && h.bytes().all(|b| b.is_ascii_digit())
                && m.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

fn is_numeric_date(token: &str) -> bool {
    let mut parts = 0;
    for part in token.split(['.', '-', '/']).filter(|p| !p.is_empty()) {
        parts += 1;
        if parts > 3 || !(1..=4).contains(&part.len()) || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    parts == 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_lines_have_marks_and_prose_does_not() {
        assert!(metadata_marks("Archive / News | 21.11.23 | access_time 16:34") >= 4);
        assert!(metadata_marks("Home / World / Europe") >= 2);
        assert_eq!(metadata_marks("The council met at 10:30 and voted on the budget."), 0);
        assert_eq!(metadata_marks("NATO Chief Says Meeting Discussed Exercises | Beta Briefing"), 1);
    }
}
