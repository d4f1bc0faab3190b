//! Auto-detected readers: text files and folders, JSONL and CSV, each optionally gzip or
//! zstd compressed, and standard input. Records stream out one at a time through a
//! callback, so memory is bounded by [`Limits`], never by the corpus or by one record.
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::record::Record;

mod decode;
mod fields;
mod jsonl;
mod limit;
mod table;
mod text;
mod walk;

pub use decode::{Compression, decode_text, open_decompressed};
pub use fields::{host_of, scalar};
pub use limit::{Limits, MAX_RECORD_BYTES};

/// The record format of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One article per file.
    Txt,
    /// One JSON object per line.
    Jsonl,
    /// A header row, then one record per row.
    Csv,
}

/// How records are read: the format override and the field names.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// Overrides the format taken from the extension.
    pub format: Option<Format>,
    pub text_field: String,
    pub id_field: String,
    pub title_field: String,
    /// The source field; when `None`, `url` then `source` are tried.
    pub source_field: Option<String>,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            format: None,
            text_field: "text".into(),
            id_field: "id".into(),
            title_field: "title".into(),
            source_field: None,
        }
    }
}

/// One file to read, and the id it gives its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The path, or `-` for standard input.
    pub path: PathBuf,
    /// The id of a text file; the prefix of generated ids of JSONL/CSV records.
    pub id: String,
}

impl InputFile {
    /// Standard input.
    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }

    /// The format from the override, else the extension (under any compression suffix).
    pub fn format(&self, options: &InputOptions) -> Option<Format> {
        options.format.or_else(|| format_of(&self.path))
    }
}

/// The format named by a path's extension, looking through `.gz` and `.zst`.
pub fn format_of(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    let name = name.strip_suffix(".gz").or_else(|| name.strip_suffix(".zst")).unwrap_or(&name);
    let extension = Path::new(name).extension()?.to_str()?;
    match extension {
        "txt" | "text" => Some(Format::Txt),
        "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
        "csv" => Some(Format::Csv),
        _ => None,
    }
}

/// Expands the command line's inputs into files: folders are walked recursively in sorted
/// order, skipping hidden entries and files of unknown formats. Inputs that cannot be
/// found are returned as errors; the others are still read.
pub fn expand(inputs: &[PathBuf], options: &InputOptions) -> (Vec<InputFile>, Vec<Error>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            files.push(InputFile { path: input.clone(), id: "stdin".into() });
            continue;
        }
        match std::fs::metadata(input) {
            Ok(meta) if meta.is_dir() => walk::walk(input, options, &mut files, &mut errors),
            Ok(_) => files.push(InputFile { path: input.clone(), id: input.to_string_lossy().into_owned() }),
            Err(e) => errors.push(Error::Input { path: input.clone(), message: io_message(&e) }),
        }
    }
    (files, errors)
}

/// Reads every record of `file`, handing each (or the error that stopped it) to `sink`.
/// `sink` returns `false` to stop early (the run was interrupted).
pub fn read_file(file: &InputFile, options: &InputOptions, sink: &mut dyn FnMut(Result<Record, Error>) -> bool) {
    read_file_with(file, options, Limits::default(), sink);
}

/// As [`read_file`], with other limits on what is kept of a record.
pub fn read_file_with(
    file: &InputFile,
    options: &InputOptions,
    limits: Limits,
    sink: &mut dyn FnMut(Result<Record, Error>) -> bool,
) {
    let mut reader = match open_decompressed(&file.path) {
        Ok(reader) => reader,
        Err(e) => {
            sink(Err(Error::Input { path: file.path.clone(), message: io_message(&e) }));
            return;
        }
    };
    let format = match file.format(options) {
        Some(format) => format,
        None if file.is_stdin() => match decode::sniff_json(&mut reader) {
            true => Format::Jsonl,
            false => Format::Txt,
        },
        None => Format::Txt,
    };
    match format {
        Format::Txt => {
            text::read(file, reader, limits.text_bytes, sink);
        }
        Format::Jsonl => jsonl::read(file, reader, options, limits, sink),
        Format::Csv => table::read(file, reader, options, limits, sink),
    };
}

/// An I/O error as a short message ("No such file or directory").
pub fn io_message(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
