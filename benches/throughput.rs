//! Throughput of the public API, in bytes per second:
//!
//! - `analysis/new`: segmenting a 5 KB article (`Analysis::new`);
//! - `assess/{small,medium,large}`: `Scorer::assess` on the smallest fixture, the 5 KB
//!   feature and all fixtures joined into one long page;
//! - `read_file/{plain,gz,zst}`: the input readers over ~5 MB of generated JSONL (throughput
//!   counted in uncompressed bytes, so the three compare directly);
//! - `end_to_end/{sequential,pipeline_1_thread,pipeline_2_threads}`: expand + read + assess
//!   of the same 5 MB, in one loop and through `pipeline::run`.
//!
//! The JSONL comes from `benches/gen_corpus.rs` (same generator, fixed seed) in a temporary
//! folder. Run with `cargo bench --bench throughput` (a filter narrows it:
//! `cargo bench --bench throughput -- assess`).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use residue::analysis::Analysis;
use residue::input::{InputOptions, expand, read_file};
use residue::score::DEFAULT_ANALYSIS_LIMIT;
use residue::{Model, Scorer, pipeline};

#[path = "gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

const CORPUS_MB: f64 = 5.0;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(gen_corpus::fixtures_dir().join(name)).expect("fixture readable")
}

/// Every fixture article, joined into one long page (~40 KB).
fn all_fixtures() -> String {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(gen_corpus::fixtures_dir())
        .expect("fixtures folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read_to_string(p).expect("fixture readable")).collect::<Vec<_>>().join("\n\n")
}

fn scorer() -> Scorer {
    Scorer::new(Model::embedded().expect("embedded model")).expect("scorer")
}

/// A temporary folder with `corpus.jsonl`, `.gz` and `.zst` of the same ~5 MB.
struct Corpus {
    _dir: tempfile::TempDir,
    plain: PathBuf,
    bytes: u64,
}

impl Corpus {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let plain = dir.path().join("corpus.jsonl");
        let bytes = (CORPUS_MB * 1e6) as u64;
        let stats = gen_corpus::write_corpus(&gen_corpus::fixtures_dir(), &plain, bytes, 7, true, true)
            .expect("corpus written");
        Corpus { _dir: dir, plain, bytes: stats.bytes }
    }

    fn path(&self, suffix: &str) -> PathBuf {
        gen_corpus::with_suffix(&self.plain, suffix)
    }
}

fn analysis(c: &mut Criterion) {
    let text = fixture("clean_feature_long.txt");
    let mut group = c.benchmark_group("analysis");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("new_5kb", |b| b.iter(|| black_box(Analysis::new(black_box(&text), DEFAULT_ANALYSIS_LIMIT))));
    group.finish();
}

fn assess(c: &mut Criterion) {
    let scorer = scorer();
    let articles = [
        ("small", fixture("filler_machine_translation.txt")),
        ("medium", fixture("clean_feature_long.txt")),
        ("large", all_fixtures()),
    ];
    let mut group = c.benchmark_group("assess");
    for (name, text) in &articles {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("{name}_{}b", text.len()), |b| {
            b.iter(|| black_box(scorer.assess(black_box(text)).verdict))
        });
    }
    group.finish();
}

/// Reads every record of `path`, returning the number of records and text bytes.
fn read_all(path: &Path, options: &InputOptions) -> (u64, u64) {
    let (files, errors) = expand(&[path.to_path_buf()], options);
    assert!(errors.is_empty(), "{errors:?}");
    let (mut records, mut bytes) = (0u64, 0u64);
    for file in &files {
        read_file(file, options, &mut |record| {
            let record = record.expect("record readable");
            records += 1;
            bytes += record.text.len() as u64;
            true
        });
    }
    (records, bytes)
}

fn readers(c: &mut Criterion) {
    let corpus = Corpus::new();
    let options = InputOptions::default();
    let mut group = c.benchmark_group("read_file");
    group.throughput(Throughput::Bytes(corpus.bytes));
    for (name, suffix) in [("plain", ""), ("gz", ".gz"), ("zst", ".zst")] {
        let path = corpus.path(suffix);
        group.bench_function(name, |b| b.iter(|| black_box(read_all(&path, &options))));
    }
    group.finish();
    end_to_end(c, &corpus);
}

fn end_to_end(c: &mut Criterion, corpus: &Corpus) {
    let scorer = scorer();
    let options = InputOptions::default();
    let inputs = [corpus.plain.clone()];
    let mut group = c.benchmark_group("end_to_end");
    group.throughput(Throughput::Bytes(corpus.bytes));
    group.bench_function("sequential", |b| {
        b.iter(|| {
            let (files, _) = expand(&inputs, &options);
            let mut kept = 0u64;
            for file in &files {
                read_file(file, &options, &mut |record| {
                    let record = record.expect("record readable");
                    kept += u64::from(scorer.assess(&record.text).verdict == residue::Verdict::Keep);
                    true
                });
            }
            black_box(kept)
        })
    });
    for threads in [1, 2] {
        group.bench_function(format!("pipeline_{threads}_thread{}", if threads > 1 { "s" } else { "" }), |b| {
            b.iter(|| {
                let (files, _) = expand(&inputs, &options);
                let mut kept = 0u64;
                let stats = pipeline::run(
                    &files,
                    &options,
                    threads,
                    &mut residue::corpus::TemplateLines::default(),
                    |record, template| scorer.assess_in(&record.text, Some(template.of_source(&record.source))).verdict,
                    |verdict| {
                        kept += u64::from(verdict == residue::Verdict::Keep);
                        Ok(())
                    },
                    |error| panic!("{error}"),
                )
                .expect("pipeline run");
                black_box((stats, kept))
            })
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default().sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = analysis, assess, readers
}
criterion_main!(benches);
