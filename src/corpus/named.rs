//! The rewrite index as the `score` command uses it: records go in by id, matches come out
//! by id. Ids are kept in one growing string (their bytes plus 4 per record), because
//! `rewrite_of` must name a record long after its row was written.

use super::{RewriteIndex, RewriteSignature};

/// A [`RewriteIndex`] that remembers each record's id.
#[derive(Default)]
pub struct NamedRewriteIndex {
    index: RewriteIndex,
    ids: String,
    /// End of each record's id in `ids`, in insertion order.
    ends: Vec<u32>,
}

impl NamedRewriteIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks one record against every earlier one, then adds it. Returns the id of the
    /// earlier record it copies or rewrites, and the verified similarity.
    pub fn check_and_insert(&mut self, id: &str, signature: RewriteSignature) -> Option<(&str, f32)> {
        let found = self.index.check_and_insert(signature);
        self.push_id(id);
        found.map(|(earlier, similarity)| (self.id(earlier), similarity))
    }

    /// [`Self::check_and_insert`] for a batch of records in input order, with the same
    /// answers, checked together (see [`RewriteIndex::check_and_insert_all`]).
    pub fn check_and_insert_all<'a>(
        &mut self,
        records: impl IntoIterator<Item = (&'a str, RewriteSignature)>,
    ) -> Vec<Option<(&str, f32)>> {
        let found = self.check_and_insert_all_at(records);
        found.into_iter().map(|m| m.map(|(earlier, similarity)| (self.id(earlier), similarity))).collect()
    }

    /// [`Self::check_and_insert_all`], naming each earlier record by its position (see
    /// [`Self::id`]).
    pub fn check_and_insert_all_at<'a>(
        &mut self,
        records: impl IntoIterator<Item = (&'a str, RewriteSignature)>,
    ) -> Vec<Option<(usize, f32)>> {
        let (ids, signatures): (Vec<&str>, Vec<RewriteSignature>) = records.into_iter().unzip();
        let found = self.index.check_and_insert_all(signatures);
        for id in ids {
            self.push_id(id);
        }
        found
    }

    fn push_id(&mut self, id: &str) {
        // Past 4 GiB of ids the oldest stay nameable and the newest are stored empty: their
        // rows still carry their own ids, only a later rewrite of them would name "".
        if self.ids.len() + id.len() <= u32::MAX as usize {
            self.ids.push_str(id);
        }
        self.ends.push(self.ids.len() as u32);
    }

    /// The id of the record checked at `record` (0: the first).
    pub fn id(&self, record: usize) -> &str {
        let start = if record == 0 { 0 } else { self.ends[record - 1] as usize };
        &self.ids[start..self.ends[record] as usize]
    }

    /// Records checked so far.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Heap bytes held: the index, the ids and their ends.
    pub fn heap_bytes(&self) -> usize {
        self.index.heap_bytes() + self.ids.capacity() + self.ends.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HARBOUR: &str = "The harbour cranes at Wexley were repaired after the storm in March. Engineers replaced \
        three cables and a winch motor over six weeks. The port authority said the work cost 2.4 million pounds. \
        Dock workers returned to full shifts on Monday. Shipping lines had diverted cargo to Brackley in the meantime. \
        A review of storm defences will report to the council in the autumn.";
    const LIBRARY: &str = "The school in Ashby reopened its library with help from forty volunteers. Parents \
        painted the shelves during the half-term holiday. The head teacher thanked a local bakery for donating \
        lunches. Pupils chose the first two hundred books themselves. The library will open on Saturday mornings \
        for families. A reading club for older pupils starts in the spring term.";

    #[test]
    fn a_copy_names_the_earlier_record_by_id() {
        let mut index = NamedRewriteIndex::new();
        let (original, other) = (HARBOUR, LIBRARY);
        assert_eq!(index.check_and_insert("a-1", RewriteSignature::of(original)), None);
        assert_eq!(index.check_and_insert("b-2", RewriteSignature::of(other)), None);
        let (of, similarity) = index.check_and_insert("c-3", RewriteSignature::of(original)).unwrap();
        assert_eq!(of, "a-1");
        assert!(similarity > 0.95, "{similarity}");
        assert_eq!(index.len(), 3);
    }

    #[test]
    fn a_batch_names_a_record_of_the_same_batch() {
        let mut index = NamedRewriteIndex::new();
        let records = [("a-1", HARBOUR), ("b-2", LIBRARY), ("c-3", HARBOUR)];
        let found = index.check_and_insert_all(records.map(|(id, text)| (id, RewriteSignature::of(text))));
        assert_eq!(found.iter().map(|m| m.map(|(of, _)| of)).collect::<Vec<_>>(), [None, None, Some("a-1")]);
        assert_eq!(index.check_and_insert("d-4", RewriteSignature::of(LIBRARY)).map(|m| m.0), Some("b-2"));
    }
}
