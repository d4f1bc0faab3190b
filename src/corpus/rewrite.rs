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

/// What the index keeps of a usable record for verification: the low 32 bits of each
/// sentence sketch, the high 8 (sketches are [`sketch::BITS`] = 40 bits) and how many there
/// are. 72 bytes: two cache lines at most.
struct Entry {
    low: [u32; SENTENCES],
    high: [u8; SENTENCES],
    count: u8,
}

const _: () = assert!(sketch::BITS == 40 && SENTENCES <= u8::MAX as usize);

impl Entry {
    fn new(signature: &RewriteSignature) -> Self {
        debug_assert!(signature.sentences.iter().all(|&s| s <= MASK));
        Entry {
            low: signature.sentences.map(|s| s as u32),
            high: signature.sentences.map(|s| (s >> 32) as u8),
            count: signature.sentence_count,
        }
    }

    fn sketches(&self) -> [u64; SENTENCES] {
        std::array::from_fn(|i| u64::from(self.high[i]) << 32 | u64::from(self.low[i]))
    }
}

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

/// A link of an entry in one band: how many entries back the newest entry of its bucket was
/// when it was added (at least 1). Records that share a key are mostly near each other (a
/// story's outlets and rewrites come within days, and a key that a common phrase makes is
/// reused often), so 16 bits hold almost every link; [`FAR_LINK`] marks one that is in the
/// band's side table.
type Link = u16;
/// The link is farther back than `FAR_LINK - 1` entries: see [`Band::far_links`].
const FAR_LINK: Link = Link::MAX;
/// Entries per block of [`Band::ranks`].
const RANK_BLOCK: usize = 512;

/// One LSH band of the index: its buckets, and the chains through them.
///
/// Each band keeps its own links, so that walking a bucket reads only this band's memory,
/// and a batch checked band after band ([`RewriteIndex::check_and_insert_all`]) works in
/// one band's memory at a time: at 100k records a band's map and links are about 0.5 MB,
/// which the processor's caches (and its address translation) hold, where the whole index
/// is 17 MB.
///
/// Only entries whose bucket already held one have a link (on the bench corpus, 14 bands in
/// 20 at 100k records). A bit per entry says which; the links are stored in id order, and an
/// entry's place among them is the number of bits set before its own (counted from the
/// nearest [`RANK_BLOCK`] boundary): 2 bytes a link and 1 bit an entry, where a link for
/// every entry would be 2 bytes an entry in every band.
struct Band {
    buckets: BucketMap,
    /// Bit `id % 64` of word `id / 64` is set when entry `id` has a link.
    linked: Vec<u64>,
    /// The number of links before each block of [`RANK_BLOCK`] entries.
    ranks: Vec<u32>,
    /// The links of the entries that have one, in id order.
    links: Chunked<Link>,
    /// The links farther back than 16 bits hold: (entry id, linked id), sorted because
    /// entries are added in id order.
    far_links: Vec<(u32, u32)>,
    /// Entries added: the next entry's id.
    entries: usize,
}

impl Band {
    fn new() -> Self {
        Band {
            buckets: BucketMap::new(),
            linked: Vec::new(),
            ranks: Vec::new(),
            links: Chunked::new(),
            far_links: Vec::new(),
            entries: 0,
        }
    }

    /// Makes entry `id` (the next id) the newest of `key`'s bucket, linked to the one that
    /// was, and returns the bucket as it was.
    fn insert(&mut self, key: u32, id: u32) -> Option<Bucket> {
        debug_assert_eq!(self.entries, id as usize, "entries are added in id order");
        let at = id as usize;
        if at.is_multiple_of(64) {
            self.linked.push(0);
        }
        if at.is_multiple_of(RANK_BLOCK) {
            self.ranks.push(self.links.len as u32);
        }
        self.entries += 1;
        let head = self.buckets.push(key, id);
        if let Some(bucket) = head {
            let back = id - bucket.newest;
            let link = if back < u32::from(FAR_LINK) {
                back as Link
            } else {
                self.far_links.push((id, bucket.newest));
                FAR_LINK
            };
            self.links.push(link);
            self.linked[at / 64] |= 1 << (at % 64);
        }
        head
    }

    /// The entry that was the newest in `id`'s bucket when `id` was added, or [`NONE`].
    fn link(&self, id: u32) -> u32 {
        let at = id as usize;
        let word = self.linked[at / 64];
        let bit = at % 64;
        if word >> bit & 1 == 0 {
            return NONE;
        }
        let block = at / RANK_BLOCK;
        let before_in_block: u32 =
            self.linked[block * (RANK_BLOCK / 64)..at / 64].iter().map(|w| w.count_ones()).sum::<u32>();
        let place = self.ranks[block] + before_in_block + (word & ((1 << bit) - 1)).count_ones();
        match *self.links.get(place as usize) {
            FAR_LINK => {
                let at = self.far_links.partition_point(|&(entry, _)| entry < id);
                debug_assert!(self.far_links[at].0 == id, "a far link is in the side table");
                self.far_links[at].1
            }
            back => id - u32::from(back),
        }
    }

    fn heap_bytes(&self) -> usize {
        self.buckets.heap_bytes()
            + self.linked.capacity() * size_of::<u64>()
            + self.ranks.capacity() * size_of::<u32>()
            + self.links.heap_bytes()
            + self.far_links.capacity() * size_of::<(u32, u32)>()
    }
}

/// Records are checked this many at a time, band after band (see [`Band`]). The batch's
/// working memory ([`Scratch`], about 350 bytes a record: 175 KiB) is kept for the next.
const BATCH: usize = 512;
/// How many records ahead, within a band, the bucket slot a record will probe is requested.
const PREFETCH_AHEAD: usize = 8;

/// A usable record of the batch being checked.
struct Checked {
    /// Where it is in the batch.
    at: usize,
    /// Its entry id (the one it would have, once the index is full).
    id: u32,
    /// False once the index is full: the record is checked but not added.
    insert: bool,
}

/// The working memory of a batch, kept between batches.
#[derive(Default)]
struct Scratch {
    /// The batch's usable records.
    checked: Vec<Checked>,
    /// Each usable record's bucket walks: [`HITS`] entry ids.
    hits: Vec<u32>,
    /// Each usable record's bucket sizes as they were: [`BANDS`] counts (0: no bucket).
    sizes: Vec<u8>,
    /// Each usable record's candidates.
    candidates: Vec<Candidates>,
}

impl Scratch {
    fn heap_bytes(&self) -> usize {
        self.checked.capacity() * size_of::<Checked>()
            + self.hits.capacity() * size_of::<u32>()
            + self.sizes.capacity()
            + self.candidates.capacity() * size_of::<Candidates>()
    }
}

/// Finds, for each record in turn, the most similar earlier record that it rewrites.
pub struct RewriteIndex {
    bands: Vec<Band>,
    entries: Chunked<Entry>,
    scratch: Scratch,
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
            bands: (0..BANDS).map(|_| Band::new()).collect(),
            entries: Chunked::new(),
            scratch: Scratch::default(),
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
        let mut found = Vec::with_capacity(1);
        self.check_and_insert_batch(std::slice::from_ref(&signature), &mut found);
        found.pop().flatten()
    }

    /// [`Self::check_and_insert`] for a run of records in order, with the same answers,
    /// [`BATCH`] records at a time: the bucket work of a batch is done band after band, each
    /// band's records in order, so that it stays in one band's memory; then each record's
    /// candidates are verified, the entries of the next records' candidates requested ahead.
    pub fn check_and_insert_all(&mut self, signatures: Vec<RewriteSignature>) -> Vec<Option<(usize, f32)>> {
        let mut found = Vec::with_capacity(signatures.len());
        for batch in signatures.chunks(BATCH) {
            self.check_and_insert_batch(batch, &mut found);
        }
        found
    }

    fn check_and_insert_batch(&mut self, batch: &[RewriteSignature], found: &mut Vec<Option<(usize, f32)>>) {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.checked.clear();
        let mut next = self.entries.len;
        for (at, signature) in batch.iter().enumerate() {
            self.records += 1;
            let insert = next < MAX_ENTRIES;
            if !signature.is_usable() {
                if insert {
                    self.skipped.push(next as u32);
                }
                continue;
            }
            scratch.checked.push(Checked { at, id: next.min(MAX_ENTRIES - 1) as u32, insert });
            next += usize::from(insert);
        }
        self.walk_buckets(batch, &mut scratch);
        for record in &scratch.checked {
            if record.insert {
                self.entries.push(Entry::new(&batch[record.at]));
            }
        }
        let Scratch { checked, hits, sizes, candidates: chosen } = &mut scratch;
        chosen.clear();
        chosen.extend(hits.chunks(HITS).zip(sizes.chunks(BANDS)).map(|(hits, sizes)| candidates(hits, sizes)));
        for ahead in chosen.iter().take(2) {
            self.prefetch_entries(ahead);
        }
        let start = found.len();
        found.resize(start + batch.len(), None);
        for (k, record) in checked.iter().enumerate() {
            if let Some(ahead) = chosen.get(k + 2) {
                self.prefetch_entries(ahead);
            }
            found[start + record.at] = self.best_verified(&batch[record.at], chosen[k].ids());
        }
        self.scratch = scratch;
    }

    fn prefetch_entries(&self, candidates: &Candidates) {
        for &id in candidates.ids() {
            prefetch(self.entries.get(id as usize));
        }
    }

    /// Walks the buckets of every band for the usable records of a batch, band after band,
    /// adding each record as it goes, into `scratch`: for each record, [`HITS`] entry ids
    /// ([`BUCKET_WALK`] a band, [`NONE`] where there are fewer) and the size of its bucket
    /// in each band (0: none). A record's buckets are read as they were before it, as if the
    /// records were checked one by one.
    fn walk_buckets(&mut self, batch: &[RewriteSignature], scratch: &mut Scratch) {
        let checked = &scratch.checked;
        scratch.hits.clear();
        scratch.hits.resize(checked.len() * HITS, NONE);
        scratch.sizes.clear();
        scratch.sizes.resize(checked.len() * BANDS, 0);
        for (b, band) in self.bands.iter_mut().enumerate() {
            let key = |k: usize| batch[checked[k].at].bands[b];
            for k in 0..checked.len().min(PREFETCH_AHEAD) {
                band.buckets.prefetch(key(k));
            }
            for (k, record) in checked.iter().enumerate() {
                if k + PREFETCH_AHEAD < checked.len() {
                    band.buckets.prefetch(key(k + PREFETCH_AHEAD));
                }
                let head = if record.insert { band.insert(key(k), record.id) } else { band.buckets.get(key(k)) };
                let Some(bucket) = head else { continue };
                scratch.sizes[k * BANDS + b] = bucket.records as u8;
                let slots = &mut scratch.hits[k * HITS + b * BUCKET_WALK..][..BUCKET_WALK];
                let mut id = bucket.newest;
                for (step, slot) in slots.iter_mut().enumerate().take((bucket.records as usize).min(BUCKET_WALK)) {
                    if step > 0 {
                        id = band.link(id);
                    }
                    *slot = id;
                }
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

    /// Bytes of heap the index holds, exactly: the entry chunks at their capacity, each
    /// band's bucket map, links and far links, the skipped records and a batch's scratch.
    pub fn heap_bytes(&self) -> usize {
        self.entries.heap_bytes()
            + self.scratch.heap_bytes()
            + self.bands.iter().map(Band::heap_bytes).sum::<usize>()
            + self.bands.capacity() * size_of::<Band>()
            + self.skipped.capacity() * size_of::<u32>()
    }

    /// The record position of entry `id`.
    fn record(&self, id: u32) -> usize {
        id as usize + self.skipped.partition_point(|&entries_before| entries_before <= id)
    }

    /// The verified candidate with the highest similarity (earliest record among equals).
    fn best_verified(&self, signature: &RewriteSignature, candidates: &[u32]) -> Option<(usize, f32)> {
        let new = signature.sketches();
        // (entry id, similarity): ids are in record order, so the lowest id is the earliest record.
        let mut best: Option<(u32, f32)> = None;
        for &id in candidates {
            let entry = self.entries.get(id as usize);
            let sketches = entry.sketches();
            let old = &sketches[..usize::from(entry.count)];
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

/// Bucket evidence slots per record: [`BUCKET_WALK`] in each band.
const HITS: usize = BANDS * BUCKET_WALK;

/// A record's candidates from its bucket walks (`HITS` entry ids, the bucket sizes of its
/// `BANDS`): strongest evidence first. A shared band counts `1 / records in the bucket`, so
/// a key that one story's records share outweighs one that a common phrase put into many
/// records' buckets.
fn candidates(hits: &[u32], sizes: &[u8]) -> Candidates {
    // Each hit as one integer, id high and evidence low, so that one integer sort groups the
    // hits of an entry (the evidence is positive, so its bits order as the numbers do).
    let mut packed = [0u64; HITS];
    let mut len = 0;
    for (slot, &id) in hits.iter().enumerate().filter(|&(_, &id)| id != NONE) {
        let weight = 1.0 / f32::from(sizes[slot / BUCKET_WALK]);
        packed[len] = u64::from(id) << 32 | u64::from(weight.to_bits());
        len += 1;
    }
    let packed = &mut packed[..len];
    packed.sort_unstable();
    let mut summed = [(0u32, 0.0f32); HITS];
    let mut distinct = 0;
    for run in packed.chunk_by(|a, b| a >> 32 == b >> 32) {
        let evidence = run.iter().map(|&p| f32::from_bits(p as u32)).sum();
        summed[distinct] = ((run[0] >> 32) as u32, evidence);
        distinct += 1;
    }
    let summed = &mut summed[..distinct];
    // Strongest evidence first, then the newer entry (ids are distinct, so the order is total).
    summed.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
    let mut candidates = Candidates { ids: [NONE; MAX_CANDIDATES], len: 0 };
    for (slot, &(id, _)) in candidates.ids.iter_mut().zip(summed.iter()) {
        *slot = id;
        candidates.len += 1;
    }
    candidates
}

/// The entry ids of a record's candidates, strongest evidence first.
struct Candidates {
    ids: [u32; MAX_CANDIDATES],
    len: usize,
}

impl Candidates {
    fn ids(&self) -> &[u32] {
        &self.ids[..self.len]
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
        assert_eq!(index.bands[0].far_links.len(), 1);
        // A copy of record 0 finds it by walking from record 70,000 along that far link.
        // Only its first band is shared (the others are keys nobody has).
        let mut copy = signature(0, Some(key));
        for band in &mut copy.bands[1..] {
            *band = !*band;
        }
        assert_eq!(index.check_and_insert(copy), Some((0, 1.0)));
    }

    #[test]
    fn a_batch_gets_the_answers_of_records_checked_one_by_one() {
        // Copies of earlier records (near and far, within a batch and across batches),
        // records sharing a band key, and too-short records, over three batches.
        let signatures: Vec<RewriteSignature> = (0..BATCH as u32 * 2 + 300)
            .map(|i| match i % 7 {
                0 if i > 0 => signature(i / 2, None),
                3 => signature((i - 1).saturating_sub(i % 5), Some(i % 3)),
                5 => RewriteSignature { sentence_count: 0, ..signature(i, None) },
                _ => signature(i, Some(i % 11)),
            })
            .collect();
        let mut one_by_one = RewriteIndex::new();
        let expected: Vec<Option<(usize, f32)>> =
            signatures.iter().map(|s| one_by_one.check_and_insert(s.clone())).collect();
        assert!(expected.iter().filter(|m| m.is_some()).count() > 100, "the test plants copies");
        let mut batched = RewriteIndex::new();
        assert_eq!(batched.check_and_insert_all(signatures), expected);
        let stored = |index: &RewriteIndex| index.heap_bytes() - index.scratch.heap_bytes();
        assert_eq!(stored(&batched), stored(&one_by_one));
    }
}
