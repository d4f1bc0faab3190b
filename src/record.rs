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
    /// The text, or its first part when the record was longer than the reader keeps
    /// (then `elided` says how much more there was).
    pub text: String,
    /// What the reader counted but did not keep past `text`: set only for a record longer
    /// than the reader's text limit.
    pub elided: Option<Elided>,
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

/// The part of a record past the reader's text limit, streamed and counted but not kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Elided {
    /// Bytes of text (as UTF-8) after `Record::text`.
    pub bytes: u64,
    /// Words that start after `Record::text` (a word cut at the limit counts once, before it).
    pub words: u64,
}
