//! JSONL: one JSON object per line. A malformed line is reported with its line number and
//! the next line is read; a read error (a truncated compressed stream) ends the file. A
//! line longer than [`Limits::record_bytes`] is read past, never held, and reported.
use std::io::BufRead;

use super::fields::record_from_fields;
use super::limit::{Limits, Line, read_line_capped};
use super::{InputFile, InputOptions, io_message};
use crate::error::Error;
use crate::record::{Origin, Record};

pub fn read(
    file: &InputFile,
    mut reader: Box<dyn BufRead + Send>,
    options: &InputOptions,
    limits: Limits,
    sink: &mut dyn FnMut(Result<Record, Error>) -> bool,
) {
    let mut buffer = Vec::new();
    let mut line_number = 0u64;
    loop {
        line_number += 1;
        if buffer.capacity() > 1 << 20 {
            buffer = Vec::new(); // a long line's buffer is not kept for the short ones
        }
        match read_line_capped(&mut reader, &mut buffer, limits.record_bytes) {
            Ok(Line::End) => return,
            Ok(Line::Read) => {}
            Ok(Line::TooLong { .. }) => {
                let message = format!("record longer than {} bytes: skipped", limits.record_bytes);
                if !sink(Err(Error::Record { path: file.path.clone(), line: line_number, message })) {
                    return;
                }
                continue;
            }
            Err(e) => {
                sink(Err(Error::Record {
                    path: file.path.clone(),
                    line: line_number,
                    message: format!("read failed: {}", io_message(&e)),
                }));
                return;
            }
        }
        let line = String::from_utf8_lossy(&buffer);
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        let origin = Origin { path: file.path.clone(), line: line_number };
        let error = |message: String| Error::Record { path: file.path.clone(), line: line_number, message };
        let result = match serde_json::from_str::<serde_json::Value>(line) {
            Ok(serde_json::Value::Object(fields)) => {
                record_from_fields(fields, options, format!("{}:{line_number}", file.id), origin, limits.text_bytes)
                    .map_err(error)
            }
            Ok(_) => Err(error("not a JSON object".into())),
            Err(e) => Err(error(format!("invalid JSON: {e}"))),
        };
        if !sink(result) {
            return;
        }
    }
}
