//! Plain text: one article per file.
use std::io::{BufRead, Read};

use super::decode::decode_text;
use super::{InputFile, io_message};
use crate::error::Error;
use crate::record::{Origin, Record};

pub fn read(
    file: &InputFile,
    mut reader: Box<dyn BufRead + Send>,
    sink: &mut dyn FnMut(Result<Record, Error>) -> bool,
) -> bool {
    let mut bytes = Vec::new();
    let error = |message: String| Error::Record { path: file.path.clone(), line: 1, message };
    if let Err(e) = reader.read_to_end(&mut bytes) {
        return sink(Err(error(format!("read failed: {}", io_message(&e)))));
    }
    let Some(text) = decode_text(bytes) else {
        return sink(Err(error("binary data (NUL bytes), not text: skipped".into())));
    };
    sink(Ok(Record {
        id: file.id.clone(),
        text,
        origin: Origin { path: file.path.clone(), line: 1 },
        ..Record::default()
    }))
}
