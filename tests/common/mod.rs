//! Invariants that the property tests and the fuzz targets both check.
use residue::analysis::count_words;
use residue::error::Error;
use residue::output::EVIDENCE_ITEMS;
use residue::{Record, Scorer};

macro_rules! ensure {
    ($cond:expr, $($arg:tt)+) => {
        if !$cond {
            return Err(format!($($arg)+));
        }
    };
}

/// A record read with a text limit against the same record read whole: the text is a prefix,
/// the elided part accounts for the rest, and scoring counts every word and byte.
pub fn check_elided(limited: &Record, whole: &Record, scorer: &Scorer) -> Result<(), String> {
    ensure!(limited.id == whole.id && limited.origin == whole.origin, "another record: {:?}", limited.id);
    match limited.elided {
        None => ensure!(limited.text == whole.text, "a record without an elided part lost text"),
        Some(elided) => {
            ensure!(whole.text.starts_with(&limited.text), "the kept text is not a prefix of the whole");
            ensure!(
                limited.text.len() as u64 + elided.bytes == whole.text.len() as u64,
                "{} kept + {} elided bytes for {}",
                limited.text.len(),
                elided.bytes,
                whole.text.len()
            );
            let words = count_words(&limited.text) as u64 + elided.words;
            ensure!(words == count_words(&whole.text) as u64, "{words} words for {}", count_words(&whole.text));
            let a = scorer.assess_record(limited, None);
            ensure!(a.analysis.words == scorer.assess(&whole.text).analysis.words, "assessed words differ");
            ensure!(
                a.analysis.truncated_from == Some(whole.text.len()),
                "truncated_from {:?}",
                a.analysis.truncated_from
            );
            let evidence = a.evidence(EVIDENCE_ITEMS);
            ensure!(
                evidence
                    .first()
                    .is_some_and(|e| e.starts_with("limit:") && e.ends_with(&format!("of {} bytes", whole.text.len()))),
                "no limit evidence: {evidence:?}"
            );
        }
    }
    Ok(())
}

/// The outcomes of reading with limits against reading whole: one for one, records kept as
/// prefixes, errors the same, except records over the record cap: an error of their own, on
/// the line where the whole read has its outcome (or none, for a long blank line).
pub fn check_limited_read(
    limited: &[Result<Record, Error>],
    whole: &[Result<Record, Error>],
    scorer: &Scorer,
) -> Result<(), String> {
    let line_of = |r: &Result<Record, Error>| match r {
        Ok(record) => record.origin.line,
        Err(Error::Record { line, .. }) => *line,
        Err(_) => 0,
    };
    let too_long = |r: &Result<Record, Error>| matches!(r, Err(Error::Record { message, .. }) if message.starts_with("record longer than"));
    let mut whole = whole.iter().peekable();
    for (k, l) in limited.iter().enumerate() {
        let line = line_of(l);
        if too_long(l) {
            if whole.peek().is_some_and(|w| line_of(w) == line) {
                whole.next();
            }
            continue;
        }
        let Some(w) = whole.next() else { return Err(format!("outcome {k} (line {line}) only with limits: {l:?}")) };
        match (l, w) {
            (Ok(l), Ok(w)) => check_elided(l, w, scorer).map_err(|e| format!("outcome {k}: {e}"))?,
            (Err(Error::Record { line: a, message: m, .. }), Err(Error::Record { line: b, message: n, .. })) => {
                ensure!(a == b && m == n, "outcome {k}: {a}: {m} against {b}: {n}")
            }
            (l, w) => return Err(format!("outcome {k}: {l:?} with limits, {w:?} without")),
        }
    }
    ensure!(whole.next().is_none(), "outcomes left over without limits");
    Ok(())
}
