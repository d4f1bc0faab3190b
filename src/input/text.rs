//! Plain text: one article per file. The text is kept up to the limit; past it the file is
//! streamed, its bytes and words counted (so a 1 GB one-line file costs no more memory than
//! the limit), and the record says what it left out.
use std::io::{BufRead, Read};

use super::decode::decode_text;
use super::limit::{Encoding, TailCounter, utf8_cut};
use super::{InputFile, io_message};
use crate::error::Error;
use crate::record::{Origin, Record};

const BINARY: &str = "binary data (NUL bytes), not text: skipped";

pub fn read(
    file: &InputFile,
    mut reader: Box<dyn BufRead + Send>,
    limit: usize,
    sink: &mut dyn FnMut(Result<Record, Error>) -> bool,
) -> bool {
    let error = |message: String| Error::Record { path: file.path.clone(), line: 1, message };
    let read_failed = |e: std::io::Error| error(format!("read failed: {}", io_message(&e)));
    // Room for a byte-order mark on top of the limit.
    let mut head = Vec::new();
    if let Err(e) = (&mut reader).take(limit as u64 + 3).read_to_end(&mut head) {
        return sink(Err(read_failed(e)));
    }
    let more = match reader.fill_buf() {
        Ok(rest) => !rest.is_empty(),
        Err(e) => return sink(Err(read_failed(e))),
    };
    let record = |text: String, elided| Record {
        id: file.id.clone(),
        text,
        elided,
        origin: Origin { path: file.path.clone(), line: 1 },
        ..Record::default()
    };
    if !more {
        return match decode_text(head) {
            Some(text) => sink(Ok(record(text, None))),
            None => sink(Err(error(BINARY.into()))),
        };
    }

    // A longer file: keep the head, cut where no character is split, and count the rest.
    let encoding = match head.get(..2) {
        Some([0xFF, 0xFE]) => Encoding::Utf16Le,
        Some([0xFE, 0xFF]) => Encoding::Utf16Be,
        _ => Encoding::Utf8,
    };
    let cut = match encoding {
        Encoding::Utf8 => utf8_cut(&head),
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let even = head.len() & !1;
            let last = head.get(even.saturating_sub(2)..even).map_or(0, |pair| match encoding {
                Encoding::Utf16Le => u16::from_le_bytes([pair[0], pair[1]]),
                _ => u16::from_be_bytes([pair[0], pair[1]]),
            });
            // A high surrogate at the end goes with its pair, into the rest.
            if (0xD800..0xDC00).contains(&last) && even > 2 { even - 2 } else { even }
        }
    };
    let carry = head.split_off(cut);
    let Some(text) = decode_text(head) else {
        return sink(Err(error(BINARY.into())));
    };
    let mut tail = TailCounter::new(encoding, &text);
    let check_nul = encoding == Encoding::Utf8;
    if check_nul && memchr::memchr(0, &carry).is_some() {
        return sink(Err(error(BINARY.into())));
    }
    tail.feed(&carry);
    loop {
        let piece = match reader.fill_buf() {
            Ok(piece) => piece,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return sink(Err(read_failed(e))),
        };
        if piece.is_empty() {
            break;
        }
        if check_nul && memchr::memchr(0, piece).is_some() {
            return sink(Err(error(BINARY.into())));
        }
        tail.feed(piece);
        let length = piece.len();
        reader.consume(length);
    }
    sink(Ok(record(text, Some(tail.finish()))))
}
