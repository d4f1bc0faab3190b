//! Writers: the per-article CSV (formula-safe), JSONL records, and output files that appear
//! only when complete.
mod atomic;
mod csv_report;

pub use atomic::{Output, remove_temporary_files};
pub use csv_report::{CSV_HEADER, CsvReport, EVIDENCE_ITEMS, ReportRow, spreadsheet_safe};
