//! The LSH bucket map of one band: band key -> the newest entry with that key and how many
//! records the bucket holds.
//!
//! Open addressing with *ordered* linear probing over one array of slots packed in a `u64`:
//! the top 28 bits of the key, a 4-bit record count (saturating at 15) and the 32-bit entry
//! id. Compared with a `HashMap<u32, (u32, u8)>`, a probe reads one cache line instead of a
//! control group and a slot, the caller can start the loads of all bands at once
//! ([`BucketMap::prefetch`]) so that the cache misses overlap, and the memory is exactly
//! [`BucketMap::heap_bytes`]: 8 bytes a slot.
//!
//! The table is kept 68 % to 85 % full: it grows by a quarter, not by doubling, once it is
//! 85 % full (any number of slots will do: the home slot is picked by multiply-high range
//! reduction, not by a mask). Doubling at 3/4 left it 3/8 to 3/4 full, and the bucket maps
//! are a third of the index. So full, plain linear probing reads about 20 slots (three cache
//! lines) to find that a key is new, and a third of a record's keys are new. Here the
//! slots are kept in the order of their keys' hashes (the order of their homes, refined),
//! so a search stops at the first slot whose hash is past the key's: a miss reads about as
//! few slots as a hit, a handful. The table does not wrap around: runs that reach past the
//! last home go on into [`SPILL`] slots after it.
//!
//! Keeping 28 bits of a 32-bit key means that keys which agree on them share a bucket: for
//! a lookup among `n` keys, with probability `n / 2^28` (0.04 % at 100k records, 0.4 % at a
//! million). That is harmless: it offers verification one more candidate.

/// Slots past the homes, for the runs that spill over the last home (a few cache lines;
/// more are added one by one in the rare case that they fill).
const SPILL: usize = 32;

/// An unused slot. A used slot never equals it: entry ids stay below `u32::MAX`.
const EMPTY: u64 = u64::MAX;

/// What a bucket holds: its newest entry and how many records it holds (saturating at
/// [`MAX_COUNT`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bucket {
    pub newest: u32,
    pub records: u32,
}

/// Bucket sizes are counted up to this.
pub(crate) const MAX_COUNT: u32 = 15;

/// The part of a key that is stored and hashed.
fn tag(key: u32) -> u64 {
    u64::from(key >> 4)
}

/// The hash that orders the slots: a bijection of the tag (an odd multiplier), so two tags
/// never tie, and band keys (already uniform hashes) are spread over the high bits.
fn spread(tag: u64) -> u64 {
    tag.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

pub(crate) struct BucketMap {
    /// `homes` slots that keys hash to, then the ends of runs that spilled past the last.
    slots: Vec<u64>,
    homes: usize,
    len: usize,
}

impl BucketMap {
    pub fn new() -> Self {
        BucketMap { slots: vec![EMPTY; 16 + SPILL], homes: 16, len: 0 }
    }

    /// Where a key with hash `spread` starts probing: the high half of its product with the
    /// number of homes, so that homes rise with the hash.
    fn home(&self, spread: u64) -> usize {
        ((u128::from(spread) * self.homes as u128) >> 64) as usize
    }

    /// Asks the processor to start loading the slot where `key` starts probing, without
    /// waiting for it, so that the cache line is on its way before [`Self::get`] or
    /// [`Self::push`] needs it.
    pub fn prefetch(&self, key: u32) {
        super::prefetch(&self.slots[self.home(spread(tag(key)))]);
    }

    /// `Ok` with the slot that holds `key`, or `Err` with the slot where it belongs: the
    /// first slot from its home that is empty, past the end, or holds a larger hash.
    fn find(&self, key: u32) -> Result<usize, usize> {
        let tag = tag(key);
        let hash = spread(tag);
        let mut at = self.home(hash);
        while let Some(&slot) = self.slots.get(at) {
            if slot == EMPTY {
                return Err(at);
            }
            let stored = slot >> 36;
            if stored == tag {
                return Ok(at);
            }
            if spread(stored) > hash {
                return Err(at);
            }
            at += 1;
        }
        Err(at)
    }

    fn unpack(slot: u64) -> Bucket {
        Bucket { newest: slot as u32, records: (slot >> 32) as u32 & MAX_COUNT }
    }

    pub fn get(&self, key: u32) -> Option<Bucket> {
        self.find(key).ok().map(|at| Self::unpack(self.slots[at]))
    }

    /// Makes `id` the newest entry of `key`'s bucket and returns the bucket as it was.
    pub fn push(&mut self, key: u32, id: u32) -> Option<Bucket> {
        debug_assert!(id != u32::MAX, "u32::MAX is not an entry id");
        if (self.len + 1) * 20 > self.homes * 17 {
            self.grow();
        }
        let pack = |records: u32| tag(key) << 36 | u64::from(records) << 32 | u64::from(id);
        match self.find(key) {
            Ok(at) => {
                let before = Self::unpack(self.slots[at]);
                self.slots[at] = pack((before.records + 1).min(MAX_COUNT));
                Some(before)
            }
            Err(at) => {
                // Shift the rest of the run one slot on, into its first empty slot.
                let empty = self.slots[at.min(self.slots.len())..].iter().position(|&s| s == EMPTY).map(|i| at + i);
                let end = empty.unwrap_or_else(|| {
                    self.slots.reserve_exact(1);
                    self.slots.push(EMPTY);
                    self.slots.len() - 1
                });
                self.slots.copy_within(at..end, at + 1);
                self.slots[at] = pack(1);
                self.len += 1;
                None
            }
        }
    }

    /// A quarter more homes. The used slots are already in hash order, and homes rise with
    /// the hash, so each goes to its new home or just past the one placed before it.
    fn grow(&mut self) {
        let homes = self.homes + self.homes / 4;
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; homes + SPILL]);
        self.homes = homes;
        let mut next = 0;
        for slot in old.into_iter().filter(|&s| s != EMPTY) {
            let at = self.home(spread(slot >> 36)).max(next);
            if at == self.slots.len() {
                self.slots.reserve_exact(1);
                self.slots.push(slot);
            } else {
                self.slots[at] = slot;
            }
            next = at + 1;
        }
    }

    /// Exactly the heap this map holds.
    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * size_of::<u64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_returns_the_bucket_as_it_was_and_growth_keeps_every_key() {
        let mut map = BucketMap::new();
        let key = |i: u32| i.wrapping_mul(2_654_435_761) & !0xf;
        for i in 0..10_000u32 {
            assert_eq!(map.push(key(i), i), None);
        }
        for i in 0..10_000u32 {
            assert_eq!(map.get(key(i)), Some(Bucket { newest: i, records: 1 }));
            assert_eq!(map.push(key(i), i + 1), Some(Bucket { newest: i, records: 1 }));
            assert_eq!(map.get(key(i)), Some(Bucket { newest: i + 1, records: 2 }));
        }
        assert_eq!(map.get(7 << 4), None);
        // At least 68 % full.
        assert!(map.heap_bytes() * 68 <= 10_000 * 8 * 100, "{}", map.heap_bytes());
    }

    /// Every slot is at or after its home, and the used slots are in hash order with no
    /// empty slot between a key's home and its slot: what lets a search stop early.
    fn assert_ordered(map: &BucketMap) {
        let mut previous: Option<(usize, u64)> = None;
        for (at, &slot) in map.slots.iter().enumerate().filter(|&(_, &s)| s != EMPTY) {
            let hash = spread(slot >> 36);
            let home = map.home(hash);
            assert!(home <= at, "slot {at} is before its home {home}");
            assert!(map.slots[home..at].iter().all(|&s| s != EMPTY), "a gap between home {home} and slot {at}");
            if let Some((_, before)) = previous {
                assert!(before < hash, "slots out of hash order at {at}");
            }
            previous = Some((at, hash));
        }
    }

    #[test]
    fn it_agrees_with_a_hash_map_through_growth_and_spilled_runs() {
        use std::collections::HashMap;
        let mut map = BucketMap::new();
        let mut reference: HashMap<u64, Bucket> = HashMap::new();
        let mut state = 0x1234_5678_9abc_def0u64;
        for id in 0..30_000u32 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Few distinct keys early (repeated pushes), then mostly new ones; some keys
            // differ only in the 4 low bits that the tag drops.
            let key = ((state % u64::from(id / 4 + 50)) as u32).wrapping_mul(2_654_435_761) ^ (state >> 60) as u32;
            let before = reference.get(&tag(key)).copied();
            assert_eq!(map.push(key, id), before, "push {id}");
            let records = before.map_or(1, |b| (b.records + 1).min(MAX_COUNT));
            reference.insert(tag(key), Bucket { newest: id, records });
            if id % 7_000 == 0 {
                assert_ordered(&map);
            }
        }
        assert_ordered(&map);
        assert_eq!(map.len, reference.len());
        for (&tag, &bucket) in &reference {
            assert_eq!(map.get((tag << 4) as u32), Some(bucket));
        }
        // Keys near the top of the hash range have homes at the end: they spill, and are found.
        let mut top = BucketMap::new();
        let high: Vec<u32> = (0u32..1 << 20).filter(|&t| spread(u64::from(t)) > u64::MAX / 64 * 63).take(40).collect();
        for (id, &t) in high.iter().enumerate() {
            assert_eq!(top.push(t << 4, id as u32), None);
        }
        assert_ordered(&top);
        for (id, &t) in high.iter().enumerate() {
            assert_eq!(top.get(t << 4), Some(Bucket { newest: id as u32, records: 1 }));
        }
    }

    #[test]
    fn the_record_count_saturates() {
        let mut map = BucketMap::new();
        for i in 0..300 {
            map.push(42 << 4, i);
        }
        assert_eq!(map.get(42 << 4), Some(Bucket { newest: 299, records: MAX_COUNT }));
    }
}
