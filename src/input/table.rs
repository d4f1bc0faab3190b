//! CSV with a header row. Quoted fields may hold newlines; rows with fewer or more cells
//! than the header are read as far as they go. Bad bytes are replaced, never a reason to
//! drop a row. A record longer than [`Limits::record_bytes`] is read past, never held whole,
//! and reported (see [`Capped`]).
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::fields::record_from_fields;
use super::limit::Limits;
use super::{InputFile, InputOptions, io_message};
use crate::error::Error;
use crate::record::{Origin, Record};

pub fn read(
    file: &InputFile,
    reader: Box<dyn BufRead + Send>,
    options: &InputOptions,
    limits: Limits,
    sink: &mut dyn FnMut(Result<Record, Error>) -> bool,
) {
    let skipped = Rc::new(RefCell::new(VecDeque::new()));
    let capped = Capped::new(reader, limits.record_bytes, Rc::clone(&skipped));
    let too_long = |line: u64| Error::Record {
        path: file.path.clone(),
        line,
        message: format!("record longer than {} bytes: skipped", limits.record_bytes),
    };
    let mut csv = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(capped);
    let headers: Vec<String> = match csv.byte_headers() {
        Ok(h) => h.iter().map(|b| String::from_utf8_lossy(b).trim_start_matches('\u{feff}').to_string()).collect(),
        Err(e) => {
            sink(Err(Error::Record { path: file.path.clone(), line: 1, message: csv_message(&e) }));
            return;
        }
    };
    if skipped.borrow().front().is_some_and(|s: &Skipped| s.record == 0) {
        sink(Err(too_long(1)));
        return;
    }
    let mut row = csv::ByteRecord::new();
    let mut number = 0u64;
    // Line breaks inside skipped records, which the csv reader never saw.
    let mut lines_skipped = 0u64;
    loop {
        let line = csv.position().line() + u64::from(number == 0) + lines_skipped;
        match csv.read_byte_record(&mut row) {
            Ok(false) => return,
            Ok(true) => {}
            Err(e) => {
                sink(Err(Error::Record { path: file.path.clone(), line: line.max(2), message: csv_message(&e) }));
                return;
            }
        }
        number += 1;
        // The csv crate counts only '\n' as a line break; a file of '\r' line ends still has
        // one record a line, so a record is never on a line before its own number.
        let line = row.position().map_or(line, |p| p.line() + lines_skipped).max(number + 1);
        let skip = skipped.borrow_mut().pop_front_if(|s| s.record == number);
        let result = match skip {
            Some(skip) => {
                lines_skipped += skip.newlines;
                Err(too_long(line))
            }
            None => {
                let mut fields = Map::new();
                for (index, cell) in row.iter().enumerate() {
                    let name = headers.get(index).cloned().unwrap_or_else(|| format!("column{}", index + 1));
                    fields.insert(name, Value::String(String::from_utf8_lossy(cell).into_owned()));
                }
                let origin = Origin { path: file.path.clone(), line };
                record_from_fields(fields, options, format!("{}:{number}", file.id), origin, limits.text_bytes)
                    .map_err(|message| Error::Record { path: file.path.clone(), line, message })
            }
        };
        if !sink(result) {
            return;
        }
    }
}

/// A record the csv reader was given only the first part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Skipped {
    /// Its number: 0 for the header row, then 1, 2, … as the csv reader counts records.
    record: u64,
    /// The `\n` bytes left out, for the line numbers of the records after it.
    newlines: u64,
}

/// Where a CSV stream stands, as the csv crate's parser (default dialect: `,`, `"` quoting
/// with doubled quotes, `\r`, `\n` or `\r\n` ends a record, blank lines skipped) sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CsvState {
    StartRecord,
    StartField,
    InField,
    InQuotes,
    /// A quote inside a quoted field: the end of the quotes, or the first of two.
    QuoteInQuotes,
}

impl CsvState {
    /// Whether `byte` ends the record being read.
    fn ends_record(self, byte: u8) -> bool {
        matches!(self, CsvState::StartField | CsvState::InField | CsvState::QuoteInQuotes)
            && matches!(byte, b'\r' | b'\n')
    }

    /// The state after `byte`, which does not end a record.
    fn after(self, byte: u8) -> CsvState {
        use CsvState::*;
        match (self, byte) {
            (StartRecord, b'\r' | b'\n') => StartRecord,
            (StartRecord | StartField, b'"') => InQuotes,
            (StartRecord | StartField | InField | QuoteInQuotes, b',') => StartField,
            (InQuotes, b'"') => QuoteInQuotes,
            (InQuotes, _) | (QuoteInQuotes, b'"') => InQuotes,
            _ => InField,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Passing,
    /// Reading past the rest of an overlong record; `in_quotes`: the csv reader was left
    /// inside a quoted field.
    Skipping {
        in_quotes: bool,
        newlines: u64,
    },
    /// The skip is over: close the quotes the csv reader is in, if any, then pass on.
    Closing {
        quote: bool,
    },
}

/// Passes a CSV stream to the csv reader, but not more than `cap` bytes of any record: past
/// that the record is read (tracking its quotes) without being passed on, the csv reader's
/// open quotes are closed and the record's own end is passed, so the reader sees a short
/// record and goes on with the next. Skipped records are noted in `skipped`.
struct Capped<R> {
    inner: R,
    cap: usize,
    state: CsvState,
    mode: Mode,
    /// Records started so far (0: the header row).
    record: u64,
    record_bytes: usize,
    skipped: Rc<RefCell<VecDeque<Skipped>>>,
}

impl<R: BufRead> Capped<R> {
    fn new(inner: R, cap: usize, skipped: Rc<RefCell<VecDeque<Skipped>>>) -> Self {
        Capped { inner, cap, state: CsvState::StartRecord, mode: Mode::Passing, record: 0, record_bytes: 0, skipped }
    }

    fn end_skip(&mut self, in_quotes: bool, newlines: u64) {
        self.skipped.borrow_mut().push_back(Skipped { record: self.record, newlines });
        self.mode = Mode::Closing { quote: in_quotes };
    }
}

impl<R: BufRead> Read for Capped<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            match self.mode {
                Mode::Closing { quote } => {
                    self.mode = Mode::Passing;
                    if quote {
                        out[0] = b'"';
                        return Ok(1);
                    }
                }
                Mode::Skipping { in_quotes, mut newlines } => {
                    let available = self.inner.fill_buf()?;
                    if available.is_empty() {
                        self.end_skip(in_quotes, newlines);
                        continue;
                    }
                    let mut used = 0;
                    let mut ended = false;
                    for &byte in available {
                        if self.state.ends_record(byte) {
                            ended = true;
                            break;
                        }
                        self.state = self.state.after(byte);
                        newlines += u64::from(byte == b'\n');
                        used += 1;
                    }
                    self.inner.consume(used);
                    if ended {
                        self.end_skip(in_quotes, newlines);
                    } else {
                        self.mode = Mode::Skipping { in_quotes, newlines };
                    }
                }
                Mode::Passing => {
                    let available = self.inner.fill_buf()?;
                    let at_end = available.is_empty();
                    let mut given = 0;
                    for &byte in available.iter().take(out.len()) {
                        if self.state.ends_record(byte) {
                            self.state = CsvState::StartRecord;
                            self.record += 1;
                            self.record_bytes = 0;
                        } else if self.state == CsvState::StartRecord && matches!(byte, b'\r' | b'\n') {
                            // a blank line: no record
                        } else if self.record_bytes >= self.cap {
                            self.mode = Mode::Skipping { in_quotes: self.state == CsvState::InQuotes, newlines: 0 };
                            break;
                        } else {
                            self.state = self.state.after(byte);
                            self.record_bytes += 1;
                        }
                        out[given] = byte;
                        given += 1;
                    }
                    self.inner.consume(given);
                    if given > 0 || at_end {
                        return Ok(given);
                    }
                }
            }
        }
    }
}

fn csv_message(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Io(e) => format!("read failed: {}", io_message(e)),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_with_cap(data: &[u8], cap: usize) -> Vec<Result<(u64, String), (u64, String)>> {
        let file = InputFile { path: "in.csv".into(), id: "in.csv".into() };
        let limits = Limits { record_bytes: cap, ..Limits::default() };
        let mut out = Vec::new();
        let reader: Box<dyn BufRead + Send> = Box::new(io::BufReader::with_capacity(3, io::Cursor::new(data.to_vec())));
        read(&file, reader, &InputOptions::default(), limits, &mut |item| {
            out.push(match item {
                Ok(record) => Ok((record.origin.line, record.text)),
                Err(Error::Record { line, message, .. }) => Err((line, message)),
                Err(other) => Err((0, other.to_string())),
            });
            true
        });
        out
    }

    #[test]
    fn an_overlong_record_is_skipped_and_the_next_read_on_its_own_line() {
        let data = b"id,text\na,short one\nb,\"a long\nquoted, \"\"cell\"\" over\nthree lines\"\nc,after\nd,\"q\"\n";
        // Without a cap in reach, the same as the csv crate.
        let got = read_with_cap(data, 1 << 20);
        assert_eq!(
            got.iter().map(|r| r.as_ref().map(|(line, _)| *line)).collect::<Vec<_>>(),
            [Ok(2), Ok(3), Ok(6), Ok(7)]
        );
        let got = read_with_cap(data, 16);
        let message = "record longer than 16 bytes: skipped".to_string();
        assert_eq!(
            got,
            vec![
                Ok((2, "short one".to_string())),
                Err((3, message.clone())),
                Ok((6, "after".to_string())),
                Ok((7, "q".to_string())),
            ]
        );
        // Unquoted, and at the end of the file without a line break.
        let got = read_with_cap(b"text\nok\n0123456789012345678901234", 16);
        assert_eq!(got, vec![Ok((2, "ok".to_string())), Err((3, message.clone()))]);
    }

    #[test]
    fn an_overlong_header_ends_the_file_with_an_error() {
        let got = read_with_cap(b"id,text,0123456789012345678901234\na,b\n", 16);
        assert_eq!(got, vec![Err((1, "record longer than 16 bytes: skipped".to_string()))]);
    }
}
