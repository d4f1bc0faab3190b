//! The LSH bucket map of one band: band key -> the newest entry with that key and how many
//! records the bucket holds.
//!
//! Open addressing with linear probing over one array of slots packed in a `u64`: the top
//! 28 bits of the key, a 4-bit record count (saturating at 15) and the 32-bit entry id.
//! Compared with a `HashMap<u32, (u32, u8)>`, a probe reads one cache line instead of a
//! control group and a slot, the caller can start the loads of all bands at once
//! ([`BucketMap::prefetch`]) so that the cache misses overlap, and the memory is exactly
//! [`BucketMap::heap_bytes`]: 8 bytes a slot.
//!
//! The table is kept 68 % to 85 % full: it grows by a quarter, not by doubling, once it is
//! 85 % full (any number of slots will do: the home slot is picked by multiply-high range
//! reduction, not by a mask). Doubling at 3/4 left it 3/8 to 3/4 full, and the bucket maps
//! are a third of the index. A lookup of a new key then reads about 20 slots in a row (three
//! cache lines, the later two prefetched as the scan runs on), a lookup of a known key about 4.
//!
//! Keeping 28 bits of a 32-bit key means that keys which agree on them share a bucket: for
//! a lookup among `n` keys, with probability `n / 2^28` (0.04 % at 100k records, 0.4 % at a
//! million). That is harmless: it offers verification one more candidate.

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

pub(crate) struct BucketMap {
    slots: Vec<u64>,
    len: usize,
}

impl BucketMap {
    pub fn new() -> Self {
        BucketMap { slots: vec![EMPTY; 16], len: 0 }
    }

    /// Where a key with `tag` starts probing. Band keys are already uniform hashes; one
    /// multiply spreads them over the high bits, and the high half of a second multiply by
    /// the number of slots maps them onto the slots.
    fn home(&self, tag: u64) -> usize {
        let spread = tag.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        ((u128::from(spread) * self.slots.len() as u128) >> 64) as usize
    }

    fn next(&self, at: usize) -> usize {
        if at + 1 == self.slots.len() { 0 } else { at + 1 }
    }

    /// Asks the processor to start loading the slot where `key` starts probing, without
    /// waiting for it, so that the cache line is on its way before [`Self::get`] or
    /// [`Self::push`] needs it.
    pub fn prefetch(&self, key: u32) {
        super::prefetch(&self.slots[self.home(tag(key))]);
    }

    /// The slot that holds `key`, or the empty slot where it would go.
    fn find(&self, key: u32) -> usize {
        let tag = tag(key);
        let mut at = self.home(tag);
        loop {
            let slot = self.slots[at];
            if slot == EMPTY || slot >> 36 == tag {
                return at;
            }
            at = self.next(at);
        }
    }

    fn unpack(slot: u64) -> Option<Bucket> {
        (slot != EMPTY).then_some(Bucket { newest: slot as u32, records: (slot >> 32) as u32 & MAX_COUNT })
    }

    pub fn get(&self, key: u32) -> Option<Bucket> {
        Self::unpack(self.slots[self.find(key)])
    }

    /// Makes `id` the newest entry of `key`'s bucket and returns the bucket as it was.
    pub fn push(&mut self, key: u32, id: u32) -> Option<Bucket> {
        debug_assert!(id != u32::MAX, "u32::MAX is not an entry id");
        if (self.len + 1) * 20 > self.slots.len() * 17 {
            self.grow();
        }
        let at = self.find(key);
        let before = Self::unpack(self.slots[at]);
        let records = before.map_or(1, |b| (b.records + 1).min(MAX_COUNT));
        self.slots[at] = tag(key) << 36 | u64::from(records) << 32 | u64::from(id);
        self.len += usize::from(before.is_none());
        before
    }

    fn grow(&mut self) {
        let larger = vec![EMPTY; self.slots.len() + self.slots.len() / 4];
        let old = std::mem::replace(&mut self.slots, larger);
        for slot in old.into_iter().filter(|&s| s != EMPTY) {
            let mut at = self.home(slot >> 36);
            while self.slots[at] != EMPTY {
                at = self.next(at);
            }
            self.slots[at] = slot;
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

    #[test]
    fn the_record_count_saturates() {
        let mut map = BucketMap::new();
        for i in 0..300 {
            map.push(42 << 4, i);
        }
        assert_eq!(map.get(42 << 4), Some(Bucket { newest: 299, records: MAX_COUNT }));
    }
}
