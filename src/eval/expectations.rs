//! Expectations files: `kind <TAB> file <TAB> category <TAB> value` rows, checked against the
//! articles in the same folder.
//! - `doc FILE CATEGORY yes|no`: the score of CATEGORY is >= 0.5 exactly when `yes`;
//! - `line FILE LABEL TEXT`: a line whose trimmed text is TEXT carries LABEL
//!   (`paywall`, `widget`, `filler` or `content`);
//! - `rank FILE above OTHER`: FILE has the higher credibility; `rank FILE above:SCORE OTHER`:
//!   FILE has the higher SCORE (`framing`, `filler`, ... or `credibility`).
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::input::{InputFile, InputOptions, read_file};
use crate::model::{Category, LineLabel};
use crate::score::{Assessment, Scorer};

/// One checked expectation.
#[derive(Debug, Clone)]
pub struct Check {
    pub line: usize,
    pub kind: String,
    pub description: String,
    pub observed: String,
    pub passed: bool,
}

/// All checks of one expectations file.
#[derive(Debug, Clone)]
pub struct ExpectationReport {
    pub file: String,
    pub checks: Vec<Check>,
}

struct Row {
    line: usize,
    kind: String,
    file: String,
    category: String,
    value: String,
}

pub fn run(scorer: &Scorer, path: &Path) -> Result<ExpectationReport> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Input { path: path.into(), message: crate::input::io_message(&e) })?;
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut rows = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let columns: Vec<&str> = raw.splitn(4, '\t').collect();
        if columns.len() != 4 {
            return Err(Error::Record {
                path: path.into(),
                line: index as u64 + 1,
                message: "expected 4 tab-separated columns: kind file category value".into(),
            });
        }
        rows.push(Row {
            line: index + 1,
            kind: columns[0].trim().into(),
            file: columns[1].trim().into(),
            category: columns[2].trim().into(),
            value: columns[3].trim().into(),
        });
    }

    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for row in &rows {
        for name in [&row.file, &row.value] {
            if row.kind == "rank" || name == &row.file {
                if texts.contains_key(name.as_str()) || (row.kind != "rank" && name != &row.file) {
                    continue;
                }
                let file = InputFile { path: folder.join(name), id: name.clone() };
                let mut loaded = None;
                let mut failure = None;
                read_file(&file, &InputOptions::default(), &mut |item| {
                    match item {
                        Ok(record) => loaded = Some(record.text),
                        Err(e) => failure = Some(e),
                    }
                    false
                });
                if let Some(error) = failure {
                    return Err(error);
                }
                texts.insert(name.clone(), loaded.unwrap_or_default());
            }
        }
    }
    let assessments: BTreeMap<&str, Assessment> =
        texts.iter().map(|(name, text)| (name.as_str(), scorer.assess(text))).collect();

    let mut checks = Vec::new();
    for row in &rows {
        let Some(assessment) = assessments.get(row.file.as_str()) else { continue };
        let check = match row.kind.as_str() {
            "doc" => check_doc(row, assessment)?,
            "line" => check_line(row, assessment, path)?,
            "rank" => check_rank(row, assessment, assessments.get(row.value.as_str()))?,
            other => {
                return Err(Error::Record {
                    path: path.into(),
                    line: row.line as u64,
                    message: format!("unknown kind {other:?} (doc, line, rank)"),
                });
            }
        };
        checks.push(check);
    }
    Ok(ExpectationReport { file: path.display().to_string(), checks })
}

fn check_rank(row: &Row, assessment: &Assessment, other: Option<&Assessment>) -> Result<Check> {
    let unknown = || Error::Usage(format!("line {}: expected above or above:SCORE, not {:?}", row.line, row.category));
    let column = match row.category.split_once(':') {
        None if row.category == "above" => "credibility",
        Some(("above", column)) => column,
        _ => return Err(unknown()),
    };
    let score = |a: &Assessment| match Category::of_score_column(column) {
        Some(category) => a.scores.get(category),
        None if column == "credibility" => Some(a.credibility),
        None => None,
    };
    let mine = score(assessment).ok_or_else(unknown)?;
    let theirs = other.and_then(score).unwrap_or(f32::NAN);
    Ok(Check {
        line: row.line,
        kind: "rank".into(),
        description: format!("{} above {} in {column}", row.file, row.value),
        observed: format!("{column} {mine:.3} vs {theirs:.3}"),
        passed: mine > theirs,
    })
}

fn check_doc(row: &Row, assessment: &Assessment) -> Result<Check> {
    let category = Category::of_score_column(&row.category)
        .ok_or_else(|| Error::Usage(format!("line {}: unknown category {:?}", row.line, row.category)))?;
    let score = assessment.scores.get(category).unwrap_or(0.0);
    let expected = row.value == "yes";
    Ok(Check {
        line: row.line,
        kind: "doc".into(),
        description: format!("{} {} {}", row.file, row.category, row.value),
        observed: format!("{score:.3}"),
        passed: (score >= 0.5) == expected,
    })
}

fn check_line(row: &Row, assessment: &Assessment, path: &Path) -> Result<Check> {
    let wanted = match row.category.as_str() {
        "paywall" => LineLabel::Paywall,
        "widget" => LineLabel::Widget,
        "filler" => LineLabel::Filler,
        "content" => LineLabel::Content,
        other => {
            return Err(Error::Record {
                path: path.into(),
                line: row.line as u64,
                message: format!("unknown line label {other:?}"),
            });
        }
    };
    let analysis = &assessment.analysis;
    let matching: Vec<usize> =
        (0..analysis.lines.len()).filter(|&i| analysis.line_text(i).trim() == row.value).collect();
    let labels: Vec<&str> = matching.iter().map(|&i| assessment.labels.labels[i].as_str()).collect();
    let short: String = row.value.chars().take(60).collect();
    Ok(Check {
        line: row.line,
        kind: "line".into(),
        description: format!("{} {} {:?}", row.file, row.category, short),
        observed: if labels.is_empty() { "line not found".into() } else { labels.join(",") },
        passed: !matching.is_empty() && matching.iter().all(|&i| assessment.labels.labels[i] == wanted),
    })
}

impl ExpectationReport {
    /// Each check with PASS/FAIL, a count per kind, and a closing `N passed, M failed` line.
    pub fn print(&self, out: &mut dyn Write, failures_only: bool) -> std::io::Result<()> {
        for check in &self.checks {
            if failures_only && check.passed {
                continue;
            }
            let mark = if check.passed { "PASS" } else { "FAIL" };
            writeln!(out, "{mark} {:<4} {}  ({})", check.kind, check.description, check.observed)?;
        }
        for kind in ["doc", "line", "rank"] {
            let of_kind: Vec<&Check> = self.checks.iter().filter(|c| c.kind == kind).collect();
            if !of_kind.is_empty() {
                let passed = of_kind.iter().filter(|c| c.passed).count();
                writeln!(out, "{kind}: {passed}/{} passed", of_kind.len())?;
            }
        }
        let passed = self.checks.iter().filter(|c| c.passed).count();
        writeln!(out, "{} passed, {} failed", passed, self.checks.len() - passed)
    }
}
