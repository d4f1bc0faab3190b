//! CSV with a header row. Quoted fields may hold newlines; rows with fewer or more cells
//! than the header are read as far as they go. Bad bytes are replaced, never a reason to
//! drop a row.
use std::io::BufRead;

use serde_json::{Map, Value};

use super::fields::record_from_fields;
use super::{InputFile, InputOptions, io_message};
use crate::error::Error;
use crate::record::{Origin, Record};

pub fn read(
    file: &InputFile,
    reader: Box<dyn BufRead + Send>,
    options: &InputOptions,
    sink: &mut dyn FnMut(Result<Record, Error>) -> bool,
) {
    let mut csv = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(reader);
    let headers: Vec<String> = match csv.byte_headers() {
        Ok(h) => h.iter().map(|b| String::from_utf8_lossy(b).trim_start_matches('\u{feff}').to_string()).collect(),
        Err(e) => {
            sink(Err(Error::Record { path: file.path.clone(), line: 1, message: csv_message(&e) }));
            return;
        }
    };
    let mut row = csv::ByteRecord::new();
    let mut number = 0u64;
    loop {
        let line = csv.position().line() + u64::from(number == 0);
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
        let line = row.position().map_or(line, |p| p.line()).max(number + 1);
        let mut fields = Map::new();
        for (index, cell) in row.iter().enumerate() {
            let name = headers.get(index).cloned().unwrap_or_else(|| format!("column{}", index + 1));
            fields.insert(name, Value::String(String::from_utf8_lossy(cell).into_owned()));
        }
        let origin = Origin { path: file.path.clone(), line };
        let result = record_from_fields(fields, options, format!("{}:{number}", file.id), origin)
            .map_err(|message| Error::Record { path: file.path.clone(), line, message });
        if !sink(result) {
            return;
        }
    }
}

fn csv_message(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Io(e) => format!("read failed: {}", io_message(e)),
        _ => error.to_string(),
    }
}
