//! CSV with a header row. Quoted fields may hold newlines; rows with fewer or more cells
//! than the header are read as far as they go. Bad bytes are replaced, never a reason to
//! drop a row. The csv crate parses; [`Capped`] feeds it and follows the stream alongside,
//! so that a record longer than [`Limits::record_bytes`] is read past, never held whole, and
//! reported, and every record gets the line it starts on (`\r`, `\n` and `\r\n` each end a
//! line, which the csv crate's own position does not count alike).
use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

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
    let too_long = |line: u64| Error::Record {
        path: file.path.clone(),
        line,
        message: format!("record longer than {} bytes: skipped", limits.record_bytes),
    };
    let capped = Capped::new(reader, limits.record_bytes);
    let mut csv = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(capped);
    let headers: Vec<String> = match csv.byte_headers() {
        Ok(h) => h.iter().map(|b| String::from_utf8_lossy(b).trim_start_matches('\u{feff}').to_string()).collect(),
        Err(e) => {
            sink(Err(Error::Record { path: file.path.clone(), line: 1, message: csv_message(&e) }));
            return;
        }
    };
    let header_line = csv.get_mut().next_start().unwrap_or(1);
    if csv.get_mut().was_skipped(0) {
        sink(Err(too_long(header_line)));
        return;
    }
    let mut row = csv::ByteRecord::new();
    let mut number = 0u64;
    loop {
        match csv.read_byte_record(&mut row) {
            Ok(false) => return,
            Ok(true) => {}
            Err(e) => {
                let line = csv.get_ref().line_being_read().max(header_line + 1);
                sink(Err(Error::Record { path: file.path.clone(), line, message: csv_message(&e) }));
                return;
            }
        }
        number += 1;
        let capped = csv.get_mut();
        let line = capped.next_start().unwrap_or_else(|| capped.line_being_read());
        let result = if capped.was_skipped(number) {
            Err(too_long(line))
        } else {
            let mut fields = Map::new();
            for (index, cell) in row.iter().enumerate() {
                let name = headers.get(index).cloned().unwrap_or_else(|| format!("column{}", index + 1));
                fields.insert(name, Value::String(String::from_utf8_lossy(cell).into_owned()));
            }
            let origin = Origin { path: file.path.clone(), line };
            record_from_fields(fields, options, format!("{}:{number}", file.id), origin, limits.text_bytes)
                .map_err(|message| Error::Record { path: file.path.clone(), line, message })
        };
        if !sink(result) {
            return;
        }
    }
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

/// Follows the stream byte by byte: the parser's state, the line, where records start.
#[derive(Debug)]
struct Tracker {
    state: CsvState,
    /// The line of the next byte (1-based).
    line: u64,
    after_cr: bool,
    /// Records started so far (the header row is record 0).
    records: u64,
    record_bytes: usize,
    /// The lines records started on, until `read` takes them.
    starts: VecDeque<u64>,
}

impl Tracker {
    /// Whether `byte` is part of a record's content (not its end, not a blank line).
    fn is_content(&self, byte: u8) -> bool {
        !matches!(byte, b'\r' | b'\n') || self.state == CsvState::InQuotes
    }

    fn step(&mut self, byte: u8) {
        if self.state.ends_record(byte) {
            self.state = CsvState::StartRecord;
            self.record_bytes = 0;
        } else {
            if self.state == CsvState::StartRecord && !matches!(byte, b'\r' | b'\n') {
                self.starts.push_back(self.line);
                self.records += 1;
            }
            self.state = self.state.after(byte);
            self.record_bytes += usize::from(self.state != CsvState::StartRecord);
        }
        match byte {
            b'\r' => self.line += 1,
            b'\n' if !self.after_cr => self.line += 1,
            _ => {}
        }
        self.after_cr = byte == b'\r';
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Passing,
    /// Reading past the rest of an overlong record; `in_quotes`: the csv reader was left
    /// inside a quoted field.
    Skipping {
        in_quotes: bool,
    },
    /// The skip is over: close the quotes the csv reader is in, if any, then pass on.
    Closing {
        quote: bool,
    },
}

/// Passes a CSV stream to the csv reader, but not more than `cap` bytes of any record: past
/// that the record is read (tracking its quotes) without being passed on, the csv reader's
/// open quotes are closed and the record's own end is passed, so the reader sees a short
/// record and goes on with the next. A UTF-8 byte-order mark at the start is dropped here
/// (the csv crate drops one only when it comes with more bytes in the same read: alone, it
/// reads as the end of the input).
struct Capped<R> {
    inner: R,
    cap: usize,
    mode: Mode,
    tracker: Tracker,
    /// Whether the start was checked for a byte-order mark.
    bom_checked: bool,
    /// Bytes of a partial byte-order mark at the start: data, passed on first.
    replay: Vec<u8>,
    /// Numbers of the records that were skipped, in order.
    skipped: VecDeque<u64>,
}

impl<R: BufRead> Capped<R> {
    fn new(inner: R, cap: usize) -> Self {
        let tracker = Tracker {
            state: CsvState::StartRecord,
            line: 1,
            after_cr: false,
            records: 0,
            record_bytes: 0,
            starts: VecDeque::new(),
        };
        Capped {
            inner,
            cap,
            mode: Mode::Passing,
            tracker,
            bom_checked: false,
            replay: Vec::new(),
            skipped: VecDeque::new(),
        }
    }

    /// The line the next record the csv reader returns starts on.
    fn next_start(&mut self) -> Option<u64> {
        self.tracker.starts.pop_front()
    }

    /// Whether record `number` (0: the header row) was skipped.
    fn was_skipped(&mut self, number: u64) -> bool {
        self.skipped.pop_front_if(|n| *n == number).is_some()
    }

    /// The line of a record not yet returned, else the line the stream has reached.
    fn line_being_read(&self) -> u64 {
        self.tracker.starts.front().copied().unwrap_or(self.tracker.line)
    }

    fn strip_bom(&mut self) -> io::Result<()> {
        const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];
        let mut matched = 0;
        while matched < BOM.len() {
            match self.inner.fill_buf()?.first() {
                Some(&byte) if byte == BOM[matched] => {
                    self.inner.consume(1);
                    matched += 1;
                }
                _ => break,
            }
        }
        if matched < BOM.len() {
            self.replay = BOM[..matched].to_vec();
        }
        self.bom_checked = true;
        Ok(())
    }

    fn end_skip(&mut self, in_quotes: bool) {
        // The record being skipped is the last one started.
        self.skipped.push_back(self.tracker.records - 1);
        self.mode = Mode::Closing { quote: in_quotes };
    }
}

impl<R: BufRead> Read for Capped<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        if !self.bom_checked {
            self.strip_bom()?;
        }
        loop {
            if let Mode::Closing { quote } = self.mode {
                self.mode = Mode::Passing;
                if quote {
                    out[0] = b'"';
                    return Ok(1);
                }
                continue;
            }
            let from_replay = !self.replay.is_empty();
            let input: &[u8] = if from_replay { &self.replay } else { self.inner.fill_buf()? };
            let tracker = &mut self.tracker;
            let mut used = 0;
            let mut given = 0;
            let mut ended = false;
            match self.mode {
                Mode::Skipping { .. } => {
                    for &byte in input {
                        if tracker.state.ends_record(byte) {
                            ended = true;
                            break;
                        }
                        tracker.step(byte);
                        used += 1;
                    }
                }
                _ => {
                    for &byte in input.iter().take(out.len()) {
                        if tracker.is_content(byte) && tracker.record_bytes >= self.cap {
                            self.mode = Mode::Skipping { in_quotes: tracker.state == CsvState::InQuotes };
                            break;
                        }
                        tracker.step(byte);
                        out[given] = byte;
                        given += 1;
                    }
                    used = given;
                }
            }
            let at_end = input.is_empty();
            if from_replay {
                self.replay.drain(..used);
            } else {
                self.inner.consume(used);
            }
            if let Mode::Skipping { in_quotes } = self.mode
                && (ended || at_end)
            {
                self.end_skip(in_quotes);
            }
            if given > 0 || (at_end && self.mode == Mode::Passing) {
                return Ok(given);
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

    #[test]
    fn records_are_on_the_lines_they_start_on_whatever_the_line_ends() {
        // Found by fuzz_read_csv: the csv crate's position counts only '\n'.
        let got = read_with_cap(b"text\n\"\n\"\n \r,\rx\r\n\r\ny", 1 << 20);
        let lines: Vec<u64> = got.iter().map(|r| r.as_ref().map_or_else(|e| e.0, |r| r.0)).collect();
        assert_eq!(lines, [2, 4, 5, 6, 8]);
    }

    #[test]
    fn a_byte_order_mark_read_on_its_own_is_dropped() {
        // Found by fuzz_read_limited: given the mark alone in its first read, the csv crate
        // took the input to be empty.
        for cap in [3, 1 << 20] {
            let got = read_with_cap(b"\xEF\xBB\xBFtext\nsome text\n", cap);
            let want: Vec<Result<(u64, String), (u64, String)>> = if cap == 3 {
                vec![Err((1, "record longer than 3 bytes: skipped".into()))]
            } else {
                vec![Ok((2, "some text".into()))]
            };
            assert_eq!(got, want);
        }
        // A partial mark is data.
        let got = read_with_cap(b"\xEF\xBBtext\nsome text\n", 1 << 20);
        assert_eq!(got, vec![Err((2, "no \"text\" field (set --text-field)".into()))]);
    }
}
