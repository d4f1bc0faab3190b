//! Widget: template, navigation, comment-form, share-bar, cookie and newsletter residue
//! (WG001), icon-font words (WG002), metadata lines (WG003), generic bylines (WG004) and
//! republishing marks (CR001), glued teaser cards (WG009). Context rules that need every
//! line's label (WG005 stray headlines, WG006 navigation blocks) live in `label`.
use super::{Context, Detector, Finding, LexiconRule, RuleRef, Signal, saturate};
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
    glued_teaser: Option<RuleRef>,
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
            glued_teaser: RuleRef::resolve(model, "WG009", Category::Widget)?,
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
        if let Some(rule) = &self.glued_teaser {
            glued_teasers(analysis, context, rule, &mut findings);
        }
        let per_line = super::paywall::line_totals(&findings);
        let evidence: f32 =
            per_line.iter().filter(|(_, w)| *w >= self.weights.lines.label_at).map(|(_, w)| w.min(1.5)).sum();
        Signal { score: saturate(evidence, self.weights.presence.widget), findings }
    }
}

/// Teaser cards read as lines: another story's headline glued to its lead. One such line
/// may be a typo or a dateline ("Hong Kong (CNN Business)A muddled view…"); a list of
/// them is a related or latest block, so the rule needs [`MIN_GLUED_TEASERS`] on the page.
fn glued_teasers(analysis: &Analysis, context: &Context, rule: &RuleRef, findings: &mut Vec<Finding>) {
    let glued: Vec<usize> = (0..analysis.lines.len())
        .filter(|&i| Some(i) != analysis.title_line && context.glued_teasers.get(i).copied().unwrap_or(false))
        .collect();
    // Distinct lines: a paragraph the scraper doubled is not a list.
    let distinct: std::collections::HashSet<&str> = glued.iter().map(|&i| analysis.line_text(i).trim()).collect();
    if distinct.len() >= MIN_GLUED_TEASERS {
        for i in glued {
            let line = analysis.lines[i];
            findings.push(rule.finding(i, line.start, line.end, rule.weight));
        }
    }
}

/// Distinct glued teasers a page needs before they are labelled.
const MIN_GLUED_TEASERS: usize = 2;

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
    use crate::lines;

    #[test]
    fn metadata_lines_have_marks_and_prose_does_not() {
        assert!(metadata_marks("Archive / News | 21.11.23 | access_time 16:34") >= 4);
        assert!(metadata_marks("Home / World / Europe") >= 2);
        assert_eq!(metadata_marks("The council met at 10:30 and voted on the budget."), 0);
        assert_eq!(metadata_marks("NATO Chief Says Meeting Discussed Exercises | Beta Briefing"), 1);
    }

    fn glued_lines(text: &str) -> Vec<usize> {
        let model = Model::embedded().unwrap();
        let rule = RuleRef::resolve(&model, "WG009", Category::Widget).unwrap().unwrap();
        let analysis = Analysis::new(text, usize::MAX);
        let glued = lines::glued_teaser_lines(&analysis, Some("en"));
        let context = Context { language: Some("en".into()), glued_teasers: glued, ..Context::default() };
        let mut findings = Vec::new();
        glued_teasers(&analysis, &context, &rule, &mut findings);
        findings.iter().map(|f| f.line).collect()
    }

    #[test]
    fn a_list_of_glued_teasers_is_widget_and_one_glued_line_is_not() {
        let article = "Harbour board approves ferry timetable\n\
                       The harbour board approved the new ferry timetable on Tuesday after a long debate.";
        let teasers = "Library Reopens After Two-Year RenovationThe central library opened its doors again on \
                       Saturday with a new reading room.\n\
                       Is The Old Pier Worth Saving?Engineers say the repairs would cost more than a new pier \
                       built next to it.";
        assert_eq!(glued_lines(&format!("{article}\nMore news\n{teasers}")), [3, 4]);
        // One glued line is a typo or a dateline, not a list; nor is a teaser the scraper doubled.
        let one = "Harbour Town (Coast News)The harbour board approved the new ferry timetable on Tuesday \
                   after a long debate.";
        assert!(lines::headline_glued_to_lead(one, true));
        assert!(glued_lines(&format!("{article}\n{one}")).is_empty());
        let first = teasers.lines().next().unwrap();
        assert!(glued_lines(&format!("{article}\n{first}\n{first}")).is_empty());
    }
}
