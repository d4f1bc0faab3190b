//! Bytes to text: transparent gzip/zstd decompression and charset handling.
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// Compression taken from a file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn of(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()).map(str::to_lowercase).as_deref() {
            Some("gz") => Compression::Gzip,
            Some("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }
}

/// Opens a file (or `-`, standard input) as a buffered stream of decompressed bytes.
pub fn open_decompressed(path: &Path) -> io::Result<Box<dyn BufRead + Send>> {
    let raw: Box<dyn Read + Send> =
        if path.as_os_str() == "-" { Box::new(io::stdin()) } else { Box::new(File::open(path)?) };
    let capacity = 1 << 20;
    Ok(match Compression::of(path) {
        Compression::None => Box::new(BufReader::with_capacity(capacity, raw)),
        Compression::Gzip => {
            Box::new(BufReader::with_capacity(capacity, flate2::read::MultiGzDecoder::new(BufReader::new(raw))))
        }
        Compression::Zstd => Box::new(BufReader::with_capacity(capacity, zstd::stream::read::Decoder::new(raw)?)),
    })
}

/// Whether the stream starts (after white space) with `{`: JSONL on standard input.
pub fn sniff_json(reader: &mut Box<dyn BufRead + Send>) -> bool {
    loop {
        let Ok(buffer) = reader.fill_buf() else { return false };
        if buffer.is_empty() {
            return false;
        }
        let spaces = buffer.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if spaces < buffer.len() {
            return buffer[spaces] == b'{';
        }
        reader.consume(spaces);
    }
}

/// Decodes a whole document: UTF-8 (a BOM is dropped, bad bytes are replaced), or UTF-16
/// when it starts with a UTF-16 byte-order mark. Returns `None` for binary data (NUL bytes
/// in a document that is not UTF-16).
pub fn decode_text(bytes: Vec<u8>) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Some(decode_utf16(rest, u16::from_le_bytes));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Some(decode_utf16(rest, u16::from_be_bytes));
    }
    if memchr::memchr(0, &bytes).is_some() {
        return None;
    }
    let bytes = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    Some(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_utf16_and_bad_bytes() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFhello".to_vec()).unwrap(), "hello");
        assert_eq!(decode_text(vec![0xFF, 0xFE, b'h', 0, b'i', 0]).unwrap(), "hi");
        assert_eq!(decode_text(b"caf\xE9 ok".to_vec()).unwrap(), "caf\u{FFFD} ok");
        assert!(decode_text(b"ELF\x00\x01\x02".to_vec()).is_none());
    }
}
