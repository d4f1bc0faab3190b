//! Rewrite and duplicate detection across a run: which earlier record a record copies or
//! retells, and how closely.
//!
//! Two steps, so that the pass stays linear in the corpus:
//! 1. **Candidates** by MinHash LSH ([`super::minhash`]): records that share a band key.
//!    Only the [`BUCKET_WALK`] newest records of each bucket are read, and only the
//!    [`MAX_CANDIDATES`] with the strongest evidence are verified, so even a corpus of ten
//!    thousand copies of one press release costs a bounded amount per record.
//! 2. **Verification** by sentence alignment ([`super::sketch`]): the new record's sentence
//!    sketches are paired with the candidate's. A rewrite pairs most of its sentences; an
//!    article by another outlet about the same event pairs one or two (a shared quotation).
//!
//! The signature is computed in parallel ([`RewriteSignature::of`] is pure); the index is
//! queried and updated by one caller in input order, so the answer for a record depends only
//! on the records before it, never on the thread count.

use super::buckets::{Bucket, BucketMap};
use super::minhash::{self, BANDS};
use super::prefetch;
use super::sketch::{self, MASK, SENTENCES};
use super::tokens::Tokens;

/// Texts with fewer words never match and are never matched: too little to tell a copy
/// from a coincidence.
pub const MIN_WORDS: usize = 30;
/// At most this many records are read from each bucket, newest first. A key that more
/// records share comes from a phrase or formula that many articles use: it says little about
/// any one of them, and reading further would cost a cache miss a record. On the bench
/// corpus, reading 3 finds more rewrites than reading 8 or 16, because the evidence is not
/// drowned by such keys; a story copied a hundred times is still found, in its newest copies.
/// (Reading 2 finds a few more rewrites at 100k records and a few less at 10k, but the fourth
/// of four equal copies would then name the second, not the first.)
pub const BUCKET_WALK: usize = 3;
/// At most this many candidates are verified per record.
pub const MAX_CANDIDATES: usize = 16;
/// A candidate is verified when the aligned sentence weight covers at least this share of
/// the shorter text's sketched sentences...
pub const MIN_COVERAGE: f32 = 0.55;
/// ...and at least this many sentences (or all of the shorter text's) are paired, so that a
/// brief sharing a quotation or two with a long article is not its rewrite.
pub const MIN_PAIRS: usize = 3;
/// A text with fewer sketched sentences than [`MIN_PAIRS`] must be covered this much
/// instead of [`MIN_COVERAGE`]: two sentences are little evidence, and with 40-bit sketches
/// another writer's sentence about the same fact is within [`sketch::MAX_DISTANCE`] of the
/// original's by chance often enough that a brief sharing a quotation and such a sentence
/// would otherwise pass (the test `a_brief_that_shares_a_quotation_is_not_a_rewrite`).
pub const FEW_SENTENCES_COVERAGE: f32 = 0.8;

/// What the index keeps of a record: its LSH band keys and the SimHash of each of its
/// longest sentences.
///
/// Exactly 200 bytes, all inline (no heap): 20 band keys × 4 bytes + 14 sentence sketches ×
/// 8 bytes (of which the index keeps the 40 that are used) + a 1-byte sentence count, padded
/// to 8-byte alignment (80 + 112 + 1 + 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RewriteSignature {
    bands: [u32; BANDS],
    sentences: [u64; SENTENCES],
    /// Sketched sentences; 0 marks a text that never matches (too short, or no features).
    sentence_count: u8,
}

impl RewriteSignature {
    /// The signature of `text`. Pure, so it can be computed for many records in parallel.
    pub fn of(text: &str) -> Self {
        let empty = RewriteSignature { bands: [0; BANDS], sentences: [0; SENTENCES], sentence_count: 0 };
        let tokens = Tokens::of(text);
        if tokens.words.len() < MIN_WORDS {
            return empty;
        }
        let Some(bands) = minhash::band_keys(&tokens.words) else { return empty };
        let (sentences, count) = sketch::sketches(&tokens);
        RewriteSignature { bands, sentences, sentence_count: count as u8 }
    }

    /// False for texts that never match: too short, or without a content word.
    pub fn is_usable(&self) -> bool {
        self.sentence_count > 0
    }

    fn sketches(&self) -> &[u64] {
        &self.sentences[..usize::from(self.sentence_count)]
    }
}

/// What the index keeps of a usable record: its sentence sketches, for verification, and
/// where its bucket links are, for walking the buckets. 76 bytes.
struct Entry {
    /// The low 32 bits of each sentence sketch...
    low: [u32; SENTENCES],
    /// ...and the high 8 (sketches are [`sketch::BITS`] = 40 bits).
    high: [u8; SENTENCES],
    /// Where the entry's links start in [`RewriteIndex::links`], from its group's base.
    link_start: u16,
    /// Bit `b` for `b <` [`BANDS`]: the entry has a link in band `b`; the bits above: its
    /// sentence count.
    linked: u32,
}

const _: () = assert!(sketch::BITS == 40 && SENTENCES < 16 && BANDS + 4 <= 32);

impl Entry {
    fn new(signature: &RewriteSignature, link_start: u16, linked: u32) -> Self {
        debug_assert!(signature.sentences.iter().all(|&s| s <= MASK));
        Entry {
            low: signature.sentences.map(|s| s as u32),
            high: signature.sentences.map(|s| (s >> 32) as u8),
            link_start,
            linked: linked | u32::from(signature.sentence_count) << BANDS,
        }
    }

    fn count(&self) -> usize {
        (self.linked >> BANDS) as usize
    }

    fn sketches(&self) -> [u64; SENTENCES] {
        std::array::from_fn(|i| u64::from(self.high[i]) << 32 | u64::from(self.low[i]))
    }
}

/// Links are stored only where there is one: for each band whose bucket already held an
/// entry, the entry that was the newest there (the buckets are chains through these links).
/// In a corpus of distinct records most band keys are new, and a dense 20 × 4 bytes a record
/// would be mostly empty (on the bench corpus, with its planted rewrites and its sentences
/// written from shared templates, a record has about 14 links). An entry finds its links from
/// its [`Entry::link_start`], counted from the base of its group of this many entries (so that
/// the start fits 16 bits).
///
/// A link is stored as how many entries back it points, in 16 bits: records that share a key
/// are mostly near each other (a story's outlets and rewrites come within days, and a key
/// that a common phrase makes is reused often). A link farther back than [`FAR`] stores 0 and
/// its id goes to [`RewriteIndex::far_links`], a side table sorted by (entry, band). On the
/// bench corpus this halves the links' bytes.
const LINK_GROUP: usize = 1024;
/// The farthest link stored in 16 bits.
const FAR: u32 = u16::MAX as u32;
const _: () = assert!(LINK_GROUP * BANDS <= u16::MAX as usize + 1);

const NONE: u32 = u32::MAX;
/// Entry ids stay below [`NONE`]; records past that are checked but no longer added.
const MAX_ENTRIES: usize = NONE as usize;

/// A vector stored in fixed-size chunks, so growth never copies the whole store and never
/// leaves more than one chunk of slack.
struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Chunked<T> {
    const CHUNK: usize = 4096;

    fn new() -> Self {
        Chunked { chunks: Vec::new(), len: 0 }
    }

    fn push(&mut self, value: T) {
        self.len += 1;
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < Self::CHUNK => chunk.push(value),
            _ => {
                let mut chunk = Vec::with_capacity(Self::CHUNK);
                chunk.push(value);
                self.chunks.push(chunk);
            }
        }
    }

    fn get(&self, at: usize) -> &T {
        &self.chunks[at / Self::CHUNK][at % Self::CHUNK]
    }

    fn heap_bytes(&self) -> usize {
        self.chunks.iter().map(|c| c.capacity() * size_of::<T>()).sum::<usize>()
            + self.chunks.capacity() * size_of::<Vec<T>>()
    }
}

/// The side-table key of entry `id`'s link in `band` (bands fit 5 bits: see the assertion
/// beside [`Entry`]).
fn far_key(id: u32, band: usize) -> u64 {
    u64::from(id) << 5 | band as u64
}

/// Finds, for each record in turn, the most similar earlier record that it rewrites.
pub struct RewriteIndex {
    /// One map per band: band key -> the newest entry with that key.
    buckets: Vec<BucketMap>,
    entries: Chunked<Entry>,
    /// The links of all entries, entry after entry, band after band, as distances back (0:
    /// in [`Self::far_links`]).
    links: Chunked<u16>,
    /// The links farther back than [`FAR`]: ((entry id << 5) | band, linked id), sorted
    /// because entries are added in id order and their bands in band order.
    far_links: Vec<(u64, u32)>,
    /// Where each group of [`LINK_GROUP`] entries starts in `links`.
    link_bases: Vec<usize>,
    /// For each record that took a position but no entry (too short), the number of entries
    /// before it: an entry's record position is its id plus the skipped records before it.
    skipped: Vec<u32>,
    records: usize,
}

impl Default for RewriteIndex {
    fn default() -> Self {
        Self::new()
    }
}

impl RewriteIndex {
    pub fn new() -> Self {
        RewriteIndex {
            buckets: (0..BANDS).map(|_| BucketMap::new()).collect(),
            entries: Chunked::new(),
            links: Chunked::new(),
            far_links: Vec::new(),
            link_bases: Vec::new(),
            skipped: Vec::new(),
            records: 0,
        }
    }

    /// Finds the best verified earlier match for this record, then adds it to the index.
    /// Returns (index of the earlier record in insertion order, similarity 0..1).
    ///
    /// The similarity is the aligned sentence weight over the larger number of sketched
    /// sentences: 1 for a copy (a little less if widget lines long enough to be sketched were
    /// added), about 0.8 to 0.9 when a tenth to a third of the words are swapped for
    /// synonyms, lower as sentences are dropped. Among equally similar records, the earliest
    /// wins.
    pub fn check_and_insert(&mut self, signature: RewriteSignature) -> Option<(usize, f32)> {
        // The loads of all bands are started first, so that their cache misses overlap.
        if signature.is_usable() {
            self.prefetch_buckets(&signature);
        }
        self.check_and_insert_ref(&signature)
    }

    /// [`Self::check_and_insert`] once the caller has requested the record's bucket slots.
    fn check_and_insert_ref(&mut self, signature: &RewriteSignature) -> Option<(usize, f32)> {
        self.records += 1;
        let insert = self.entries.len < MAX_ENTRIES;
        if !signature.is_usable() {
            if insert {
                self.skipped.push(self.entries.len as u32);
            }
            return None;
        }
        let id = self.entries.len as u32;
        // One probe per band: read the bucket's newest entry and, unless the index is full,
        // make this record the newest in its place.
        let mut heads: [Option<Bucket>; BANDS] = [None; BANDS];
        for (band, (&key, head)) in signature.bands.iter().zip(heads.iter_mut()).enumerate() {
            *head = if insert { self.buckets[band].push(key, id) } else { self.buckets[band].get(key) };
        }
        let candidates = self.candidates(&heads);
        let best = self.best_verified(signature, &candidates);
        if !insert {
            return best;
        }
        if self.entries.len.is_multiple_of(LINK_GROUP) {
            self.link_bases.push(self.links.len);
        }
        let link_start = self.links.len - self.link_bases[self.entries.len / LINK_GROUP];
        let mut linked = 0u32;
        for (band, head) in heads.iter().enumerate() {
            if let Some(bucket) = head {
                let back = id - bucket.newest;
                if back <= FAR {
                    self.links.push(back as u16);
                } else {
                    self.links.push(0);
                    self.far_links.push((far_key(id, band), bucket.newest));
                }
                linked |= 1 << band;
            }
        }
        self.entries.push(Entry::new(signature, link_start as u16, linked));
        best
    }

    /// [`Self::check_and_insert`] for a run of records in order, with the memory each will
    /// read requested ahead, in three stages a record apart: the bucket slots of the record
    /// three on; once those are in cache, the newest entry of each of its buckets (its
    /// likeliest candidates, and where its bucket walks start); once those are, the links that
    /// its walks follow. Once the index outgrows the processor's caches these loads are most of
    /// a record's cost, and requested ahead they overlap with the work on the records before.
    pub fn check_and_insert_all(&mut self, signatures: Vec<RewriteSignature>) -> Vec<Option<(usize, f32)>> {
        let mut found = Vec::with_capacity(signatures.len());
        for first in signatures.iter().take(3) {
            self.prefetch_buckets(first);
        }
        for at in 0..signatures.len() {
            if let Some(third) = signatures.get(at + 3) {
                self.prefetch_buckets(third);
            }
            if let Some(after_next) = signatures.get(at + 2) {
                self.prefetch_newest_entries(after_next);
            }
            if let Some(next) = signatures.get(at + 1) {
                self.prefetch_newest_links(next);
            }
            found.push(self.check_and_insert_ref(&signatures[at]));
        }
        found
    }

    fn prefetch_buckets(&self, signature: &RewriteSignature) {
        for (&key, map) in signature.bands.iter().zip(&self.buckets) {
            map.prefetch(key);
        }
    }

    fn prefetch_newest_entries(&self, signature: &RewriteSignature) {
        for (&key, map) in signature.bands.iter().zip(&self.buckets) {
            if let Some(bucket) = map.get(key) {
                prefetch(self.entries.get(bucket.newest as usize));
            }
        }
    }

    /// Requests the link each of `signature`'s bucket walks follows from its newest entry.
    fn prefetch_newest_links(&self, signature: &RewriteSignature) {
        for (band, (&key, map)) in signature.bands.iter().zip(&self.buckets).enumerate() {
            if let Some(at) = map.get(key).and_then(|bucket| self.link_slot(bucket.newest, band)) {
                prefetch(self.links.get(at));
            }
        }
    }

    /// Records checked so far (including short ones, which never match).
    pub fn len(&self) -> usize {
        self.records
    }

    /// True before the first record.
    pub fn is_empty(&self) -> bool {
        self.records == 0
    }

    /// Bytes of heap the index holds, exactly: the entry and link chunks at their capacity,
    /// the bucket maps' slot arrays and the small vectors of link bases and skipped records.
    pub fn heap_bytes(&self) -> usize {
        let buckets: usize = self.buckets.iter().map(BucketMap::heap_bytes).sum();
        self.entries.heap_bytes()
            + self.links.heap_bytes()
            + self.far_links.capacity() * size_of::<(u64, u32)>()
            + buckets
            + self.buckets.capacity() * size_of::<BucketMap>()
            + self.link_bases.capacity() * size_of::<usize>()
            + self.skipped.capacity() * size_of::<u32>()
    }

    /// The entry that was the newest in `id`'s bucket of `band` when `id` was added, or [`NONE`].
    fn link(&self, id: u32, band: usize) -> u32 {
        let Some(at) = self.link_slot(id, band) else { return NONE };
        let back = *self.links.get(at);
        if back > 0 {
            return id - u32::from(back);
        }
        let key = far_key(id, band);
        let at = self.far_links.partition_point(|&(k, _)| k < key);
        debug_assert!(self.far_links[at].0 == key, "a far link is in the side table");
        self.far_links[at].1
    }

    /// Where in [`Self::links`] entry `id`'s link in `band` is, if it has one.
    fn link_slot(&self, id: u32, band: usize) -> Option<usize> {
        let entry = self.entries.get(id as usize);
        if entry.linked >> band & 1 == 0 {
            return None;
        }
        let before = (entry.linked & ((1 << band) - 1)).count_ones() as usize;
        Some(self.link_bases[id as usize / LINK_GROUP] + usize::from(entry.link_start) + before)
    }

    /// The record position of entry `id`.
    fn record(&self, id: u32) -> usize {
        id as usize + self.skipped.partition_point(|&entries_before| entries_before <= id)
    }

    /// Candidates from the buckets `heads` (as they were before this record): (entry id,
    /// evidence), strongest evidence first. A shared band counts `1 / records in the
    /// bucket`, so a key that one story's records share outweighs one that a common phrase
    /// put into many records' buckets.
    ///
    /// The buckets are walked in lockstep, one step in every band at a time: the links of
    /// one step are independent loads that the processor overlaps, where walking one chain
    /// to its end would wait for each cache miss in turn.
    fn candidates(&self, heads: &[Option<Bucket>; BANDS]) -> Vec<(u32, f32)> {
        let mut cursor = heads.map(|head| head.map_or(NONE, |b| b.newest));
        let walk = heads.map(|head| head.map_or(0, |b| (b.records as usize).min(BUCKET_WALK)));
        let weight = heads.map(|head| head.map_or(0.0, |b| 1.0 / b.records.max(1) as f32));
        let mut hits: Vec<(u32, f32)> = Vec::with_capacity(BANDS * BUCKET_WALK);
        for step in 0..BUCKET_WALK {
            for band in 0..BANDS {
                if step >= walk[band] {
                    continue;
                }
                let id = cursor[band];
                hits.push((id, weight[band]));
                if step + 1 < walk[band] {
                    cursor[band] = self.link(id, band);
                }
            }
        }
        hits.sort_unstable_by_key(|&(id, _)| id);
        let mut candidates: Vec<(u32, f32)> =
            hits.chunk_by(|a, b| a.0 == b.0).map(|run| (run[0].0, run.iter().map(|&(_, w)| w).sum())).collect();
        // Strongest evidence first, then the newer entry (ids are distinct, so the order is total).
        candidates.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
        candidates.truncate(MAX_CANDIDATES);
        candidates
    }

    /// The verified candidate with the highest similarity (earliest record among equals).
    fn best_verified(&self, signature: &RewriteSignature, candidates: &[(u32, f32)]) -> Option<(usize, f32)> {
        let new = signature.sketches();
        // Start loading every candidate's entry (two cache lines each) before comparing.
        for &(id, _) in candidates {
            prefetch(self.entries.get(id as usize));
        }
        // (entry id, similarity): ids are in record order, so the lowest id is the earliest record.
        let mut best: Option<(u32, f32)> = None;
        for &(id, _) in candidates {
            let entry = self.entries.get(id as usize);
            let sketches = entry.sketches();
            let old = &sketches[..entry.count()];
            let shorter = new.len().min(old.len());
            let coverage = if shorter < MIN_PAIRS { FEW_SENTENCES_COVERAGE } else { MIN_COVERAGE };
            // A candidate that cannot reach the best similarity so far need not be aligned to
            // the end (a hair below it, so that an equal similarity still reaches the tie rule).
            let longer = new.len().max(old.len()) as f32;
            let to_beat = best.map_or(0.0, |(_, similarity)| similarity * longer * (1.0 - 1e-4));
            let Some(alignment) = sketch::align(new, old, (coverage * shorter as f32).max(to_beat)) else { continue };
            if alignment.pairs < MIN_PAIRS.min(shorter) {
                continue;
            }
            let similarity = (alignment.weight / longer).clamp(0.0, 1.0);
            let better = match best {
                None => true,
                Some((best_id, best_similarity)) => {
                    similarity > best_similarity || (similarity == best_similarity && id < best_id)
                }
            };
            if better {
                best = Some((id, similarity));
            }
        }
        best.map(|(id, similarity)| (self.record(id), similarity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A usable signature whose band keys and sentence sketches all come from `seed`.
    fn signature(seed: u32, shared_band_key: Option<u32>) -> RewriteSignature {
        let mix = |i: u64| (u64::from(seed) << 8 | i).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
        let mut bands: [u32; BANDS] = std::array::from_fn(|b| mix(b as u64) as u32);
        if let Some(key) = shared_band_key {
            bands[0] = key;
        }
        let sentences = std::array::from_fn(|s| mix(100 + s as u64) & MASK);
        RewriteSignature { bands, sentences, sentence_count: SENTENCES as u8 }
    }

    #[test]
    fn a_bucket_chain_reaches_back_past_the_16_bit_links() {
        let key = 0xdead_beef;
        let mut index = RewriteIndex::new();
        assert_eq!(index.check_and_insert(signature(0, Some(key))), None);
        for seed in 1..70_000 {
            index.check_and_insert(signature(seed, None));
        }
        // Shares one band with record 0, 70,000 entries back: its link goes to the side table.
        assert_eq!(index.check_and_insert(signature(70_000, Some(key))), None);
        assert_eq!(index.far_links.len(), 1);
        // A copy of record 0 finds it by walking from record 70,000 along that far link.
        // Only its first band is shared (the others are keys nobody has).
        let mut copy = signature(0, Some(key));
        for band in &mut copy.bands[1..] {
            *band = !*band;
        }
        assert_eq!(index.check_and_insert(copy), Some((0, 1.0)));
    }
}
