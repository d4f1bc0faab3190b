//! Which of two matching records is the rewrite, when the records carry publication dates.
//!
//! The index answers in input order: each record is checked against the records before it,
//! and a match names the earlier one. A corpus is not always in the order its articles were
//! published, so when the records carry dates (`--date-field`), `score` and `clean` read
//! their input twice. The first pass computes signatures only and finds every match in input
//! order, turning a match round when the later record in input order is dated earlier: that
//! one is the original, and the earlier record its rewrite. The second pass scores and
//! writes the rows, each with the match found for it. A record without a readable date keeps
//! input order. The table costs 16 bytes a record beyond the index.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use super::{NamedRewriteIndex, RewriteSignature};
use crate::record::Record;

/// The publication date of a JSONL or CSV record, from its field `field` (see
/// [`parse_date`]; a number is Unix seconds).
pub fn record_date(record: &Record, field: &str) -> Option<i64> {
    let value = record.fields.as_ref()?.get(field)?;
    parse_date(&crate::input::scalar(value)?)
}

/// Seconds since 1970-01-01 UTC of a publication date as scraped corpora write them: RFC 3339
/// (`2024-03-05T10:00:00+01:00`), the same with a space or without a zone (taken as UTC), a
/// bare date (`2024-03-05`, midnight UTC), RFC 2822 (`Tue, 05 Mar 2024 10:00:00 +0100`, as
/// RSS writes them) or a Unix time in seconds. `None` for anything else.
pub fn parse_date(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return Some(seconds);
    }
    if let Ok(date) = DateTime::parse_from_rfc3339(text).or_else(|_| DateTime::parse_from_rfc2822(text)) {
        return Some(date.timestamp());
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(naive.and_utc().timestamp());
        }
    }
    let date = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
}

const NO_DATE: i64 = i64::MIN;
const NONE: u32 = u32::MAX;

/// Every record's match, directed by date: built by the first pass, read by the second.
#[derive(Default)]
pub struct DatedRewrites {
    index: NamedRewriteIndex,
    /// Each record's date, or [`NO_DATE`].
    dates: Vec<i64>,
    /// Each record's match: (the record it rewrites, similarity), or ([`NONE`], 0).
    found: Vec<(u32, f32)>,
    /// The second pass: the position of the next record it reads.
    next: usize,
}

/// The second pass did not read the records the first did: the input changed in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassesDisagree {
    /// Records the first pass read.
    pub first: usize,
    /// The record (1-based) where the second pass differs.
    pub at: usize,
}

impl std::fmt::Display for PassesDisagree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the input changed between the two passes of --date-field (the first read {} records; the second \
             differs at record {}): run again",
            self.first, self.at
        )
    }
}

impl DatedRewrites {
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks a batch of records (id, signature, date) in input order.
    pub fn add_batch<'a>(&mut self, records: impl IntoIterator<Item = (&'a str, RewriteSignature, Option<i64>)>) {
        let start = self.found.len();
        let mut checked = Vec::new();
        for (id, signature, date) in records {
            self.dates.push(date.unwrap_or(NO_DATE));
            checked.push((id, signature));
        }
        self.found.resize(self.dates.len(), (NONE, 0.0));
        let matches = self.index.check_and_insert_all_at(checked);
        for (later, found) in (start..).zip(matches) {
            let Some((earlier, similarity)) = found else { continue };
            let (dated_later, dated_earlier) = (self.dates[later], self.dates[earlier]);
            if dated_later != NO_DATE && dated_earlier != NO_DATE && dated_later < dated_earlier {
                self.claim(earlier, later, similarity);
            } else {
                self.claim(later, earlier, similarity);
            }
        }
    }

    /// Records that `rewrite` rewrites `original`, unless it already rewrites a record at
    /// least as closely (the first claim wins a tie).
    fn claim(&mut self, rewrite: usize, original: usize, similarity: f32) {
        let slot = &mut self.found[rewrite];
        if slot.0 == NONE || similarity > slot.1 {
            *slot = (original as u32, similarity);
        }
    }

    /// The record that the record at `position` (in input order) rewrites, by id, and how
    /// closely.
    pub fn rewrite_of(&self, position: usize) -> Option<(&str, f32)> {
        let &(original, similarity) = self.found.get(position)?;
        (original != NONE).then(|| (self.index.id(original as usize), similarity))
    }

    /// The second pass's next record, `id`: the record it rewrites and how closely, or an
    /// error if it is not the record the first pass read at that position.
    pub fn next_in_second_pass(&mut self, id: &str) -> Result<Option<(&str, f32)>, PassesDisagree> {
        let position = self.next;
        if position >= self.len() || self.index.id(position) != id {
            return Err(PassesDisagree { first: self.len(), at: position + 1 });
        }
        self.next += 1;
        Ok(self.rewrite_of(position))
    }

    /// Once the second pass has read everything: an error if it read fewer records.
    pub fn second_pass_done(&self) -> Result<(), PassesDisagree> {
        if self.next == self.len() { Ok(()) } else { Err(PassesDisagree { first: self.len(), at: self.next + 1 }) }
    }

    /// Records checked.
    pub fn len(&self) -> usize {
        self.found.len()
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_shapes_corpora_write_them() {
        let noon = 1_709_640_000; // 2024-03-05 12:00:00 UTC
        assert_eq!(parse_date("2024-03-05T12:00:00Z"), Some(noon));
        assert_eq!(parse_date("2024-03-05T13:00:00+01:00"), Some(noon));
        assert_eq!(parse_date("2024-03-05 12:00:00"), Some(noon));
        assert_eq!(parse_date("2024-03-05T12:00:00.250"), Some(noon));
        assert_eq!(parse_date("2024-03-05T12:00"), Some(noon));
        assert_eq!(parse_date("Tue, 05 Mar 2024 13:00:00 +0100"), Some(noon));
        assert_eq!(parse_date(" 1709640000 "), Some(noon));
        assert_eq!(parse_date("2024-03-05"), Some(noon - 12 * 3600));
        assert_eq!(parse_date("2024-03-05T99:00:00Z"), Some(noon - 12 * 3600), "a bad time keeps the date");
        for bad in ["", "yesterday", "05/03/2024", "2024-13-05", "March 5"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_records_date_comes_from_its_field_as_text_or_number() {
        let record = |fields: serde_json::Value| Record {
            id: "r".into(),
            source: String::new(),
            title: None,
            text: String::new(),
            elided: None,
            fields: fields.as_object().cloned(),
            origin: Default::default(),
        };
        let noon = 1_709_640_000;
        assert_eq!(record_date(&record(serde_json::json!({"date": "2024-03-05T12:00:00Z"})), "date"), Some(noon));
        assert_eq!(record_date(&record(serde_json::json!({"date": noon})), "date"), Some(noon));
        assert_eq!(record_date(&record(serde_json::json!({"date": "2024-03-05T12:00:00Z"})), "published"), None);
        assert_eq!(record_date(&record(serde_json::json!({"date": ["2024-03-05"]})), "date"), None);
        assert_eq!(record_date(&record(serde_json::Value::Null), "date"), None, "a text file has no fields");
    }

    const HARBOUR: &str = "The harbour cranes at Wexley were repaired after the storm in March. Engineers replaced \
        three cables and a winch motor over six weeks. The port authority said the work cost 2.4 million pounds. \
        Dock workers returned to full shifts on Monday. Shipping lines had diverted cargo to Brackley in the meantime. \
        A review of storm defences will report to the council in the autumn.";

    #[test]
    fn a_record_dated_earlier_is_the_original_whatever_the_input_order() {
        let run = |dates: [Option<i64>; 3]| {
            let mut table = DatedRewrites::new();
            let ids = ["a", "b", "c"];
            table.add_batch((0..3).map(|i| (ids[i], RewriteSignature::of(HARBOUR), dates[i])));
            (0..table.len()).map(|p| table.rewrite_of(p).map(|m| m.0.to_string())).collect::<Vec<_>>()
        };
        let names = |names: [Option<&str>; 3]| names.map(|n| n.map(String::from)).to_vec();
        // In date order, or undated: the later records name the first.
        assert_eq!(run([Some(1), Some(2), Some(3)]), names([None, Some("a"), Some("a")]));
        assert_eq!(run([None, None, None]), names([None, Some("a"), Some("a")]));
        // The last record is the oldest: the first is its rewrite (the second still names
        // the first, a copy of a copy, found before the oldest came).
        assert_eq!(run([Some(2), Some(3), Some(1)]), names([Some("c"), Some("a"), None]));
        // An undated record keeps input order.
        assert_eq!(run([Some(2), Some(3), None]), names([None, Some("a"), Some("a")]));
    }

    #[test]
    fn a_second_pass_that_reads_other_records_is_told() {
        let mut table = DatedRewrites::new();
        table.add_batch([("a", RewriteSignature::of(HARBOUR), None), ("b", RewriteSignature::of(HARBOUR), None)]);
        assert_eq!(table.next_in_second_pass("a"), Ok(None));
        assert_eq!(table.second_pass_done(), Err(PassesDisagree { first: 2, at: 2 }), "one record is still to come");
        assert_eq!(table.next_in_second_pass("c"), Err(PassesDisagree { first: 2, at: 2 }));
        assert_eq!(table.next_in_second_pass("b").map(|m| m.map(|(of, _)| of)), Ok(Some("a")));
        assert_eq!(table.second_pass_done(), Ok(()));
        assert_eq!(table.next_in_second_pass("d"), Err(PassesDisagree { first: 2, at: 3 }), "a record too many");
    }
}
