//! Invariants that the property tests and the fuzz targets both check.
use residue::analysis::count_words;
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
