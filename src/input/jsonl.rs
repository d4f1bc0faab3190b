//! JSONL: one JSON object per line. A malformed line is reported with its line number and
//! the next line is read; a read error (a truncated compressed stream) ends the file.
use std::io::BufRead;

use super::fields::record_from_fields;
use super::{InputFile, InputOptions, io_message};
use crate::error::Error;
use crate::record::{Origin, Record};

pub fn read(
    file: &InputFile,
    mut reader: Box<dyn BufRead + Send>,
    options: &InputOptions,
    sink: &mut dyn FnMut(Result<Record, Error>) -> bool,
) {
    let mut buffer = Vec::new();
    let mut line_number = 0u64;
    loop {
        buffer.clear();
        line_number += 1;
        match reader.read_until(b'\n', &mut buffer) {
            Ok(0) => return,
            Ok(_) => {}
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
                record_from_fields(fields, options, format!("{}:{line_number}", file.id), origin).map_err(error)
            }
            Ok(_) => Err(error("not a JSON object".into())),
            Err(e) => Err(error(format!("invalid JSON: {e}"))),
        };
        if !sink(result) {
            return;
        }
    }
}
