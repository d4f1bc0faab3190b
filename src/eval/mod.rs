//! Measuring the scorer: `residue eval FILE`. An expectations `.tsv` (the format of
//! `../shared/seeds/expected.tsv`) is checked row by row against the articles beside it.
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::score::Scorer;

mod expectations;
pub mod labelled;
pub mod metrics;

pub use expectations::{Check, ExpectationReport};
pub use labelled::{LineReport, SignalReport};

/// Runs the evaluation that fits `file`: an expectations `.tsv`, or a labelled `.jsonl`
/// (line-labelled pages, or records with `labels.<signal>`). `worst` pages are listed.
pub fn run(scorer: &Scorer, file: &Path) -> Result<Report> {
    run_with(scorer, file, 10)
}

/// [`run`], listing `worst` pages of a line-labelled set.
pub fn run_with(scorer: &Scorer, file: &Path, worst: usize) -> Result<Report> {
    match file.extension().and_then(|e| e.to_str()) {
        Some("tsv") => Ok(Report::Expectations(expectations::run(scorer, file)?)),
        Some("jsonl") | Some("gz") | Some("zst") => {
            let records = labelled::load(file)?;
            let has_lines = records.iter().any(|r| r.fields.as_ref().is_some_and(|f| f.contains_key("line_labels")));
            if has_lines {
                Ok(Report::Lines(labelled::evaluate_lines(scorer, file, &records, worst)))
            } else {
                Ok(Report::Signals(labelled::evaluate_signals(scorer, file, &records)?))
            }
        }
        _ => Err(Error::Usage(format!("{}: eval reads an expectations .tsv or a labelled .jsonl", file.display()))),
    }
}

/// The result of an evaluation.
pub enum Report {
    Expectations(ExpectationReport),
    Lines(LineReport),
    Signals(SignalReport),
}

impl Report {
    /// Failed checks (0 for measurements without a pass mark).
    pub fn failed(&self) -> u64 {
        match self {
            Report::Expectations(r) => r.checks.iter().filter(|c| !c.passed).count() as u64,
            Report::Lines(_) | Report::Signals(_) => 0,
        }
    }

    /// The report as JSON, for machines (CI gates).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Report::Expectations(r) => serde_json::json!({
                "file": r.file,
                "passed": r.checks.iter().filter(|c| c.passed).count(),
                "failed": r.checks.iter().filter(|c| !c.passed).count(),
            }),
            Report::Lines(r) => serde_json::to_value(r).unwrap_or_default(),
            Report::Signals(r) => serde_json::to_value(r).unwrap_or_default(),
        }
    }

    /// Prints the report for a person.
    pub fn print(&self, out: &mut dyn Write, failures_only: bool) -> std::io::Result<()> {
        match self {
            Report::Expectations(r) => r.print(out, failures_only),
            Report::Lines(r) => print_lines(r, out),
            Report::Signals(r) => print_signals(r, out),
        }
    }
}

/// Lists pages as `--worst` does: id, shingle figures, line accuracy, address.
pub fn print_worst(pages: &[labelled::PageResult], out: &mut dyn Write) -> std::io::Result<()> {
    if pages.is_empty() {
        return Ok(());
    }
    writeln!(out, "worst pages:")?;
    for page in pages {
        // Pages without a gold body have line figures only.
        let shingles = if page.shingle_f1.is_nan() {
            String::new()
        } else {
            format!(
                "shingle F1 {:.3} (P {:.3} R {:.3})  ",
                page.shingle_f1, page.shingle_precision, page.shingle_recall
            )
        };
        writeln!(
            out,
            "  {:<24} {shingles}line accuracy {:.3} of {} lines  {}",
            page.id.chars().take(24).collect::<String>(),
            page.line_accuracy,
            page.labelled_lines,
            page.url
        )?;
    }
    Ok(())
}

fn print_lines(r: &LineReport, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{}: {} pages, {} labelled lines", r.file, r.pages, r.labelled_lines)?;
    for (name, c) in [("lines", &r.by_lines), ("chars", &r.by_chars)] {
        writeln!(
            out,
            "boilerplate by {name:<5}  precision {:.3}  recall {:.3}  F1 {:.3}  accuracy {:.3}",
            c.precision(),
            c.recall(),
            c.f1(),
            c.accuracy()
        )?;
    }
    if r.pages_with_gold > 0 {
        writeln!(
            out,
            "shingle (word 4-grams vs gold_body, mean of {} pages)  precision {:.3}  recall {:.3}  F1 {:.3}  (unchanged text: F1 {:.3})",
            r.pages_with_gold, r.shingle_precision, r.shingle_recall, r.shingle_f1, r.unchanged_shingle_f1
        )?;
    }
    print_worst(&r.worst, out)?;
    Ok(())
}

fn print_signals(r: &SignalReport, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{}: {} records", r.file, r.records)?;
    for (signal, figures) in &r.signals {
        writeln!(out, "{signal}:")?;
        writeln!(
            out,
            "  {:<16} {:>5} {:>5}  {:>6}  {:>6} {:>6} {:>6}  {:>8}  {:>9} {:>7} {:>6}",
            "group", "pos", "neg", "AUROC", "P@.5", "R@.5", "F1@.5", "macroF1", "best_thr", "best_F1", "ECE"
        )?;
        for f in figures {
            writeln!(
                out,
                "  {:<16} {:>5} {:>5}  {:>6}  {:>6.3} {:>6.3} {:>6.3}  {:>8.3}  {:>9.3} {:>7.3} {:>6.3}",
                f.group,
                f.positives,
                f.negatives,
                f.auroc.map_or("-".to_string(), |a| format!("{a:.3}")),
                f.precision_at_half,
                f.recall_at_half,
                f.f1_at_half,
                f.macro_f1_at_half,
                f.best_threshold,
                f.best_f1,
                f.ece
            )?;
        }
    }
    Ok(())
}
