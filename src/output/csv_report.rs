//! The per-article CSV of DESIGN.md: fixed header and column order, 3 decimals, every cell
//! safe to open in a spreadsheet.
use std::io::Write;

use crate::score::Assessment;

/// The header, in the order of DESIGN.md.
pub const CSV_HEADER: [&str; 15] = [
    "id",
    "source",
    "title",
    "words",
    "paywall",
    "widget",
    "filler",
    "framing",
    "repetition",
    "boilerplate_share",
    "rewrite_of",
    "rewrite_similarity",
    "credibility",
    "verdict",
    "evidence",
];

/// How many findings the evidence column lists.
pub const EVIDENCE_ITEMS: usize = 6;

/// One row, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow(pub [String; 15]);

impl ReportRow {
    /// The row of one scored record.
    pub fn new(
        id: &str,
        source: &str,
        title: Option<&str>,
        assessment: &Assessment,
        rewrite: Option<(&str, f32)>,
    ) -> Self {
        let title = match title {
            Some(t) => t.trim().to_string(),
            None => assessment
                .analysis
                .title_line
                .map(|i| assessment.analysis.line_text(i).trim().to_string())
                .unwrap_or_default(),
        };
        let s = assessment.scores;
        ReportRow([
            id.to_string(),
            source.to_string(),
            title.chars().take(300).collect(),
            assessment.analysis.words.to_string(),
            decimals(s.paywall),
            decimals(s.widget),
            decimals(s.filler),
            decimals(s.framing),
            decimals(s.repetition),
            decimals(assessment.boilerplate_share),
            rewrite.map(|(of, _)| of.to_string()).unwrap_or_default(),
            decimals(rewrite.map_or(0.0, |(_, similarity)| similarity)),
            decimals(assessment.credibility),
            assessment.verdict.as_str().to_string(),
            assessment.evidence(EVIDENCE_ITEMS).join(" | "),
        ])
    }
}

impl ReportRow {
    /// Fills `rewrite_of` and `rewrite_similarity`, with the credibility and verdict that follow.
    pub fn set_rewrite(&mut self, of: &str, similarity: f32, standing: &crate::score::Standing) {
        self.0[10] = of.to_string();
        self.0[11] = decimals(similarity);
        self.0[12] = decimals(standing.credibility);
        self.0[13] = standing.verdict.as_str().to_string();
    }
}

/// A score with 3 decimals, clamped to 0..1 (`+ 0.0` turns -0.0 into 0.0); not finite: 0.
fn decimals(value: f32) -> String {
    format!("{:.3}", if value.is_finite() { value.clamp(0.0, 1.0) + 0.0 } else { 0.0 })
}

/// Writes rows as CSV.
pub struct CsvReport<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> CsvReport<W> {
    /// Starts the CSV (with a UTF-8 byte-order mark when `bom`, for Excel) and writes the header.
    pub fn new(mut inner: W, bom: bool) -> std::io::Result<Self> {
        if bom {
            inner.write_all("\u{feff}".as_bytes())?;
        }
        let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(inner);
        writer.write_record(CSV_HEADER).map_err(into_io)?;
        Ok(CsvReport { writer })
    }

    /// Writes one row, neutralising formula cells.
    pub fn write(&mut self, row: &ReportRow) -> std::io::Result<()> {
        self.writer.write_record(row.0.iter().map(|cell| spreadsheet_safe(cell).into_owned())).map_err(into_io)
    }

    /// Flushes buffered rows.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.writer.into_inner().map_err(|e| std::io::Error::new(e.error().kind(), e.error().to_string()))
    }
}

fn into_io(error: csv::Error) -> std::io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// A cell a spreadsheet will not run: one that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (or their full-width forms) gets a leading apostrophe, which
/// spreadsheets read as "text" and do not show.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n' | '＝' | '＋' | '－' | '＠') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        for dangerous in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "＝1"] {
            assert!(spreadsheet_safe(dangerous).starts_with('\''), "{dangerous:?}");
        }
        assert_eq!(spreadsheet_safe("0.500"), "0.500");
        assert_eq!(spreadsheet_safe("a=b"), "a=b");
    }
}
