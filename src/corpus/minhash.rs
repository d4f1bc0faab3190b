//! MinHash of a text's word pairs, folded into LSH band keys.
//!
//! The features are adjacent pairs of content words: "finance minister", "minister said",
//! but not "the minister" or "of the". Pairs with a function word are shared by so many
//! articles that their minimum hashes would put unrelated records into the same buckets (on
//! the bench corpus, leaving them out raised recall at 100k records by several points, as
//! fewer buckets are crowded). Pairs survive paragraph and sentence reordering (only the
//! pairs across a moved boundary change) and added widget lines (a few extra pairs); each
//! synonym swap changes two of them.
//!
//! One-permutation MinHash (Li, Owen and Zhang 2012): each feature is hashed once; the
//! hash picks one of `BANDS × ROWS` bins and the bin keeps the smallest value it is given.
//! That costs one multiply per feature instead of one per feature and row, and estimates
//! Jaccard similarity as well as independent permutations do. A bin that no feature reached
//! (rare above 100 features) borrows the next filled bin's value, rehashed with its own
//! index, so that two texts agree on it about as often as on a filled one (rotation
//! densification, Shrivastava and Li 2014).
//!
//! The bins are grouped into [`BANDS`] bands of [`ROWS`]: two records with Jaccard similarity
//! `J` over these features share at least one band key with probability `1 - (1 - J²)^BANDS`:
//! 0.997 at `J = 0.5`, 0.85 at `J = 0.3`, 0.56 at `J = 0.2`, and 0.002 for unrelated records
//! (`J` about 0.01). Bands are only a candidate filter; [`super::sketch`] decides. Swapping
//! 30 % of the words leaves `J` near 0.2, which is why the bench finds fewer of those
//! rewrites: the pair is never compared, and more bands would cost more bytes per record.

use super::tokens::{Word, finish, pair};

/// LSH bands per signature.
pub const BANDS: usize = 20;
/// Minimum hashes per band.
pub const ROWS: usize = 2;
const BINS: usize = BANDS * ROWS;

/// The band keys of `words`, or `None` when they yield no feature (no two content words in a row).
pub fn band_keys(words: &[Word]) -> Option<[u32; BANDS]> {
    let mut minimum = [u32::MAX; BINS];
    let mut filled = 0u64;
    for window in words.windows(2) {
        let (first, second) = (window[0], window[1]);
        if first.function || second.function {
            continue;
        }
        let feature = pair(first.hash, second.hash);
        // The high half picks the bin (multiply-shift range reduction), the low half is the value.
        let bin = (((feature >> 32) * BINS as u64) >> 32) as usize;
        minimum[bin] = minimum[bin].min(feature as u32);
        filled |= 1 << bin;
    }
    if filled == 0 {
        return None;
    }
    let dense: [u32; BINS] = std::array::from_fn(|bin| {
        if filled >> bin & 1 == 1 {
            return minimum[bin];
        }
        // The next filled bin, wrapping around (`filled` is not empty).
        let source = (1..BINS).map(|step| (bin + step) % BINS).find(|&b| filled >> b & 1 == 1).unwrap_or(bin);
        finish(u64::from(minimum[source]) ^ ((bin as u64) << 40)) as u32
    });
    let mut keys = [0u32; BANDS];
    for (band, key) in keys.iter_mut().enumerate() {
        let rows = &dense[band * ROWS..(band + 1) * ROWS];
        let packed = rows.iter().fold(band as u64, |acc, &row| pair(acc, u64::from(row)));
        *key = (packed >> 32) as u32;
    }
    Some(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::tokens::Tokens;

    #[test]
    fn identical_word_pairs_give_identical_keys_and_function_words_alone_give_none() {
        let a = Tokens::of("The committee approved the budget on Monday after a long debate.");
        let b = Tokens::of("the COMMITTEE approved the budget on monday after a long debate");
        assert_eq!(band_keys(&a.words), band_keys(&b.words));
        assert!(band_keys(&Tokens::of("of the budget and to the council").words).is_none());
    }
}
