//! A record: one article as read from an input, before scoring.
use std::path::PathBuf;

/// One article and where it came from.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// Its id: the `--id-field`, or the path of a text file relative to the input folder.
    pub id: String,
    /// The site: the URL's host or the `--source-field`, empty if unknown.
    pub source: String,
    /// The `--title-field`, if the record has one.
    pub title: Option<String>,
    pub text: String,
    /// The record's other fields (JSONL and CSV), kept for `clean`.
    pub fields: Option<serde_json::Map<String, serde_json::Value>>,
    /// The file and line (1-based) the record starts at.
    pub origin: Origin,
}

/// Where a record was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub path: PathBuf,
    pub line: u64,
}
