//! Cross-document passes: rewrites and duplicates of other records in the same run, and
//! lines that recur across one source's records (template lines).
//!
//! `rewrite_of` and `rewrite_similarity` come from two steps. [`RewriteSignature::of`]
//! condenses a record into 200 bytes and is pure, so the pipeline computes signatures in
//! parallel; [`RewriteIndex::check_and_insert`] is then called once per record in input
//! order and names the most similar earlier record that the record copies or retells. The
//! texts of earlier records are never kept.
//!
//! - `tokens`: one pass over the text: a hash per lowercased word, sentence boundaries.
//! - `minhash`: MinHash of content-word pairs, folded into 20 LSH band keys (candidates).
//! - `sketch`: a 40-bit SimHash of each of the 14 longest sentences, and their alignment
//!   (verification: a rewrite pairs most of its sentences, another outlet's report of the
//!   same event one or two).
//! - `buckets`: the LSH bucket map of one band.
//! - `rewrite`: the signature and the index (a 72-byte entry a record, its sketches; and in
//!   each band a bit a record, and a 2-byte link to the bucket's entry before it where the
//!   bucket held one). Records are checked a batch at a time, band after band, so that the
//!   bucket work stays in one band's memory.
//! - `named`: the index keyed by record ids, as `score` uses it.
//! - `dated`: matches turned round by publication date (`--date-field`: two passes).
//! - `sources`: the per-source review (`score --sources`).
//! - `template`: line hashes counted per source, for template lines (rule WG008).
//!
//! Cost per record: one signature (about 25 µs of CPU for a 300-word article); a bounded
//! amount of index work (20 bucket probes, at most 3 records read from each bucket, at most
//! 16 candidates verified), so a run is linear in its records; about 170 (at 100k records)
//! to 270 (at 10k) bytes of index memory on the bench corpus, up to about 300 if no two
//! records shared a band key (`cargo bench --bench rewrites` measures all three).

mod buckets;
pub mod dated;
mod minhash;
mod named;
mod rewrite;
mod sketch;
pub mod sources;
pub mod template;
mod tokens;

pub use named::NamedRewriteIndex;
pub use rewrite::{RewriteIndex, RewriteSignature};
pub use template::{SourceTemplate, TemplateLines, record_keys};

#[cfg(test)]
mod rewrite_tests;

/// Asks the processor to start loading `value`'s cache lines without waiting for them.
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        // Every line the value touches: a value that starts late in a line reaches one more.
        let start: *const T = value;
        let (first, last) = (start as usize / 64, (start as usize + size_of::<T>().max(1) - 1) / 64);
        let start = start.cast::<i8>().wrapping_sub(start as usize % 64);
        for line in 0..=last - first {
            // SAFETY: a prefetch is a hint that never faults and changes no memory (the
            // address need not even be valid), and `sse`, which it needs, is part of every
            // x86_64 target.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(start.wrapping_add(line * 64));
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
