//! Measuring the scorer: `residue eval FILE`. An expectations `.tsv` (the format of
//! `../shared/seeds/expected.tsv`) is checked row by row against the articles beside it.
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::score::Scorer;

mod expectations;

pub use expectations::{Check, ExpectationReport};

/// Runs the evaluation that fits `file`.
pub fn run(scorer: &Scorer, file: &Path) -> Result<Report> {
    match file.extension().and_then(|e| e.to_str()) {
        Some("tsv") => Ok(Report::Expectations(expectations::run(scorer, file)?)),
        _ => Err(Error::Usage(format!("{}: eval reads an expectations .tsv", file.display()))),
    }
}

/// The result of an evaluation.
pub enum Report {
    Expectations(ExpectationReport),
}

impl Report {
    /// Failed checks (0 for measurements without a pass mark).
    pub fn failed(&self) -> u64 {
        match self {
            Report::Expectations(r) => r.checks.iter().filter(|c| !c.passed).count() as u64,
        }
    }

    /// Prints the report for a person.
    pub fn print(&self, out: &mut dyn Write, failures_only: bool) -> std::io::Result<()> {
        match self {
            Report::Expectations(r) => r.print(out, failures_only),
        }
    }
}
