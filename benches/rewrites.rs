//! Rewrite detection on a synthetic news corpus: precision and recall of `rewrite_of` per
//! kind of planted rewrite, and the cost (time, bytes) of the corpus pass at 10k and 100k
//! records.
//!
//! The corpus is made of stories. A story is an event (a topic, two people with roles, an
//! organisation, a city, a place, a day, numbers, two quotations); each of its articles is
//! written independently from sentence templates, so two outlets' articles about the same
//! story share names, numbers, topic words, often a quotation and sometimes a sentence
//! pattern, but not sentences. Rewrites of known kinds are planted among them, of a recent or
//! a long-past article. A prediction is right when it names a record of the same article
//! family (the original or another rewrite of it).
//!
//! Each pass runs in a child process of its own, so that its peak RSS (VmHWM) is its own.
//! Times count the corpus pass only (signatures in parallel, then the index in input order),
//! not the generator. Run with `cargo bench --bench rewrites`; add `-- --quick` to time each
//! size once instead of [`TIMED_RUNS`] times (the quality tables are the same, the time ratio
//! noisier).

use std::process::Command;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use residue::corpus::{RewriteIndex, RewriteSignature};

const SMALL: usize = 10_000;
const LARGE: usize = 100_000;
/// Each size is timed in this many child processes, taking turns, and each phase's fastest
/// run counts: other processes on the machine can only slow a phase down, and taking the
/// minimum of several keeps that noise out of the 100k/10k ratio.
const TIMED_RUNS: usize = 7;
/// A child of the small size runs its pass this many times (each with a fresh index) and
/// reports the mean, so that both sizes are timed over the same stretch of about a second
/// and a half. The fastest of seven short runs would catch the machine's quiet moments more
/// often than the fastest of seven long ones, and flatter the small size.
const SMALL_REPEATS: usize = LARGE / SMALL;
/// What the issue allows: index bytes per record, and time per record at 100k over 10k.
const MAX_BYTES_PER_RECORD: f64 = 200.0;
const MAX_TIME_RATIO: f64 = 1.20;
/// Bytes of a record's index entry (its sentence sketches), for the bound.
const ENTRY_BYTES: usize = 72;
/// What the bench itself keeps per record: its kind (1 B), family (4 B) and match (16 B).
const BENCH_BYTES_PER_RECORD: usize = 21;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--pass") {
        let number = |i: usize| args.get(at + i).and_then(|a| a.parse::<usize>().ok()).unwrap_or(0);
        child(number(1), number(2), number(3));
        return;
    }
    let runs = if args.iter().any(|a| a == "--quick") { 1 } else { TIMED_RUNS };
    let (mut small, mut large) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        small.push(spawn(SMALL, 0, SMALL_REPEATS));
        large.push(spawn(LARGE, 0, 1));
    }
    let small_one_thread = spawn(SMALL, 1, 1);
    let (small, large) = (fastest(small), fastest(large));
    for pass in [&small, &large] {
        print!("{}", pass.table);
    }
    println!();
    println!("Corpus pass cost: signatures in parallel ({} threads), index sequential in input order", small.threads);
    println!(
        "{:<8} {:>9} {:>9} {:>10} {:>10} {:>10} {:>11} {:>11} {:>10}",
        "records",
        "sig µs",
        "index µs",
        "total µs",
        "sig cpu µs",
        "index cpu",
        "index B/rec",
        "bound B/rec",
        "VmHWM MiB"
    );
    for pass in [&small, &large] {
        println!(
            "{:<8} {:>9.2} {:>9.2} {:>10.2} {:>10.2} {:>10.2} {:>11.0} {:>11.0} {:>10.1}",
            pass.records,
            pass.signature_us,
            pass.index_us,
            pass.signature_us + pass.index_us,
            pass.signature_cpu_us,
            pass.index_cpu_us,
            pass.heap_bytes as f64 / pass.records as f64,
            pass.bound_bytes as f64 / pass.records as f64,
            pass.vm_hwm_kib as f64 / 1024.0,
        );
    }
    println!(
        "(µs per record, each phase the fastest of {runs} runs, a {SMALL}-record run being the mean of \
         {SMALL_REPEATS} passes; cpu = CPU time from /proc/*/schedstat: all threads for signatures, the calling \
         thread for the index)"
    );
    let wall = (large.signature_us + large.index_us) / (small.signature_us + small.index_us);
    let cpu = (large.signature_cpu_us + large.index_cpu_us) / (small.signature_cpu_us + small.index_cpu_us);
    println!("time per record, 100k vs 10k: {wall:.2}x wall, {cpu:.2}x cpu (limit {MAX_TIME_RATIO:.2}x)");
    let rss = (large.vm_hwm_kib as f64 - small.vm_hwm_kib as f64) * 1024.0 / (LARGE - SMALL) as f64;
    let added = (large.heap_bytes - small.heap_bytes) as f64 / (LARGE - SMALL) as f64;
    println!(
        "bytes per record added: {added:.0} by heap accounting, {rss:.0} by peak RSS (VmHWM of the 100k pass minus \
         the 10k pass, over 90k records; includes the bench's own {BENCH_BYTES_PER_RECORD} B/record of labels and \
         results)"
    );
    println!(
        "signature: {} bytes inline, no heap. Index per record: a {ENTRY_BYTES} B entry (40-bit sketches of up to 14 \
         sentences); in each of the 20 bands a bit, and a 2 B bucket link if the band's bucket held a record before (a \
         distance back, 8 B more in a side table when farther than 65,534 entries); 20 bucket-map slots of 8 B kept \
         68-85% full. 'bound' is the size if every band key were distinct (no links, a slot for every key).",
        size_of::<RewriteSignature>()
    );
    let verdict = |holds: bool| if holds { "holds" } else { "EXCEEDED" };
    let heap_large = large.heap_bytes as f64 / large.records as f64;
    println!(
        "limit {MAX_BYTES_PER_RECORD:.0} B/record: {} by heap at 100k ({heap_large:.0}), {} by heap added from 10k to \
         100k ({added:.0}), {} by peak RSS added less the bench's own {BENCH_BYTES_PER_RECORD} B ({:.0}; {rss:.0} with them)",
        verdict(heap_large <= MAX_BYTES_PER_RECORD),
        verdict(added <= MAX_BYTES_PER_RECORD),
        verdict(rss - BENCH_BYTES_PER_RECORD as f64 <= MAX_BYTES_PER_RECORD),
        rss - BENCH_BYTES_PER_RECORD as f64,
    );
    println!(
        "limit {MAX_TIME_RATIO:.2}x time per record 100k vs 10k: {} by wall ({wall:.2}x), {} by cpu ({cpu:.2}x)",
        verdict(wall <= MAX_TIME_RATIO),
        verdict(cpu <= MAX_TIME_RATIO),
    );
    println!(
        "same matches with 1 thread as with {}: {}",
        small.threads,
        if small.digest == small_one_thread.digest { "yes" } else { "NO" }
    );
}

/// The report of a size's passes with each time at its fastest: other processes on the
/// machine can only slow a phase down, so the minimum over passes, phase by phase, is the
/// best estimate of its cost. All passes of a size give the same matches, which is checked.
fn fastest(passes: Vec<PassReport>) -> PassReport {
    let digest = passes[0].digest;
    assert!(passes.iter().all(|p| p.digest == digest), "passes of one size gave different matches");
    let min = |time: fn(&PassReport) -> f64| passes.iter().map(time).fold(f64::INFINITY, f64::min);
    let (signature_us, index_us) = (min(|p| p.signature_us), min(|p| p.index_us));
    let (signature_cpu_us, index_cpu_us) = (min(|p| p.signature_cpu_us), min(|p| p.index_cpu_us));
    let first = passes.into_iter().next().expect("at least one pass ran");
    PassReport { signature_us, index_us, signature_cpu_us, index_cpu_us, ..first }
}

struct PassReport {
    records: usize,
    threads: usize,
    table: String,
    signature_us: f64,
    index_us: f64,
    signature_cpu_us: f64,
    index_cpu_us: f64,
    heap_bytes: usize,
    bound_bytes: usize,
    vm_hwm_kib: u64,
    digest: u64,
}

/// Runs one pass in a child process and reads its report.
fn spawn(records: usize, threads: usize, repeats: usize) -> PassReport {
    let exe = std::env::current_exe().expect("the bench knows its own path");
    let output = Command::new(exe)
        .args(["--pass", &records.to_string(), &threads.to_string(), &repeats.to_string()])
        .output()
        .expect("the bench can run itself");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "pass failed: {stdout}{}", String::from_utf8_lossy(&output.stderr));
    let (table, result) = stdout.split_once("RESULT").expect("a child prints its RESULT line");
    let fields: Vec<&str> = result.split_whitespace().collect();
    let number = |i: usize| fields[i].parse::<f64>().expect("RESULT fields are numbers");
    PassReport {
        records,
        threads: number(0) as usize,
        table: table.to_string(),
        signature_us: number(1),
        index_us: number(2),
        signature_cpu_us: number(3),
        index_cpu_us: number(4),
        heap_bytes: number(5) as usize,
        bound_bytes: number(6) as usize,
        vm_hwm_kib: number(7) as u64,
        digest: fields[8].parse().expect("the digest is a number"),
    }
}

/// One pass in this process: prints the quality table, then a RESULT line for the parent.
fn child(records: usize, threads: usize, repeats: usize) {
    let pool = if threads > 0 {
        Some(rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool"))
    } else {
        None
    };
    let mut run = run_pass(records, 1, pool.as_ref());
    // The times of every repeat are added up and divided by all the records checked.
    let repeats = repeats.max(1);
    for _ in 1..repeats {
        let again = run_pass(records, 1, pool.as_ref());
        assert_eq!(run.matches, again.matches, "a repeated pass gives the same matches");
        run.signature_wall += again.signature_wall;
        run.index_wall += again.index_wall;
        run.signature_cpu_ns += again.signature_cpu_ns;
        run.index_cpu_ns += again.index_cpu_ns;
    }
    if threads != 1 {
        print_quality(&run);
    }
    let n = (run.records * repeats) as f64;
    let per_record = |d: Duration| d.as_secs_f64() * 1e6 / n;
    let digest = run.matches.iter().fold(0xcbf2_9ce4_8422_2325u64, |acc, m| {
        let value = m.map_or(u64::MAX, |(r, s)| (r as u64) << 32 | u64::from(s.to_bits()));
        (acc ^ value).wrapping_mul(0x0000_0100_0000_01b3)
    });
    println!(
        "RESULT {} {:.3} {:.3} {:.3} {:.3} {} {} {} {}",
        pool.as_ref().map_or(rayon::current_num_threads(), |p| p.current_num_threads()),
        per_record(run.signature_wall),
        per_record(run.index_wall),
        run.signature_cpu_ns as f64 / 1e3 / n,
        run.index_cpu_ns as f64 / 1e3 / n,
        run.heap_bytes,
        run.bound_bytes,
        vm_kib("VmHWM"),
        digest
    );
}

/// A value from /proc/self/status in KiB (0 where unavailable).
fn vm_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.trim_start_matches(':').trim().strip_suffix("kB")?.trim().parse().ok())
        .unwrap_or(0)
}

/// Nanoseconds on a CPU, from the first field of a schedstat file (0 where unavailable).
fn schedstat_ns(path: &str) -> u64 {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    stat.split_whitespace().next().and_then(|f| f.parse().ok()).unwrap_or(0)
}

/// CPU time of every thread of this process.
fn process_cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return 0 };
    tasks.flatten().map(|t| schedstat_ns(&t.path().join("schedstat").to_string_lossy())).sum()
}

// ---------------------------------------------------------------------------------------
// The corpus pass and its evaluation.

/// Kinds of record in the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The first article about a story.
    First,
    /// Another outlet's article about a story already reported (must not match).
    OtherOutlet,
    /// A one-line text (never matches; planted in pairs of identical copies).
    Short,
    /// An exact copy with 1–5 widget lines added.
    CopyWidgets,
    /// Sentences shuffled within paragraphs, paragraphs shuffled.
    Reorder,
    /// About 10 %, 20 %, 30 % of all words swapped for synonyms.
    Swap10,
    Swap20,
    Swap30,
    /// Clauses reordered, 15 % synonyms, a fifth of the sentences dropped.
    Paraphrase,
}

const KINDS: [Kind; 9] = [
    Kind::First,
    Kind::OtherOutlet,
    Kind::Short,
    Kind::CopyWidgets,
    Kind::Reorder,
    Kind::Swap10,
    Kind::Swap20,
    Kind::Swap30,
    Kind::Paraphrase,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::First => "original: first report",
            Kind::OtherOutlet => "original: same story, other outlet",
            Kind::Short => "short text (pairs of copies)",
            Kind::CopyWidgets => "exact copy + widget lines",
            Kind::Reorder => "sentences/paragraphs reordered",
            Kind::Swap10 => "synonym swap ~10%",
            Kind::Swap20 => "synonym swap ~20%",
            Kind::Swap30 => "synonym swap ~30%",
            Kind::Paraphrase => "paraphrase (clauses, 15% syn, drops)",
        }
    }

    fn is_rewrite(self) -> bool {
        !matches!(self, Kind::First | Kind::OtherOutlet | Kind::Short)
    }
}

struct Run {
    records: usize,
    kinds: Vec<Kind>,
    /// Article family of each record: rewrites share their source's family.
    families: Vec<u32>,
    matches: Vec<Option<(usize, f32)>>,
    /// Share of words actually swapped, per swap kind (sum, count).
    swap_rates: [(f64, usize); 3],
    signature_wall: Duration,
    index_wall: Duration,
    signature_cpu_ns: u64,
    index_cpu_ns: u64,
    heap_bytes: usize,
    bound_bytes: usize,
}

const BATCH: usize = 2048;

/// Generates `records` records with `seed` and runs the corpus pass over them, batch by
/// batch as the pipeline does.
fn run_pass(records: usize, seed: u64, pool: Option<&rayon::ThreadPool>) -> Run {
    let mut generator = Generator::new(seed);
    let mut index = RewriteIndex::new();
    let mut run = Run {
        records,
        kinds: Vec::with_capacity(records),
        families: Vec::with_capacity(records),
        matches: Vec::with_capacity(records),
        swap_rates: [(0.0, 0); 3],
        signature_wall: Duration::ZERO,
        index_wall: Duration::ZERO,
        signature_cpu_ns: 0,
        index_cpu_ns: 0,
        heap_bytes: 0,
        bound_bytes: 0,
    };
    let mut texts = Vec::with_capacity(BATCH);
    while run.kinds.len() < records {
        texts.clear();
        while texts.len() < BATCH && run.kinds.len() < records {
            let record = generator.next_record();
            run.kinds.push(record.kind);
            run.families.push(record.family);
            if let Some(rate) = record.swap_rate {
                let slot = match record.kind {
                    Kind::Swap10 => 0,
                    Kind::Swap20 => 1,
                    _ => 2,
                };
                run.swap_rates[slot].0 += rate;
                run.swap_rates[slot].1 += 1;
            }
            texts.push(record.text);
        }
        let (cpu_start, start) = (process_cpu_ns(), Instant::now());
        let compute = || texts.par_iter().map(|t| RewriteSignature::of(t)).collect::<Vec<_>>();
        let signatures = match pool {
            Some(pool) => pool.install(compute),
            None => compute(),
        };
        let (cpu_signed, thread_signed, signed) =
            (process_cpu_ns(), schedstat_ns("/proc/thread-self/schedstat"), Instant::now());
        run.matches.extend(index.check_and_insert_all(signatures));
        run.index_wall += signed.elapsed();
        run.index_cpu_ns += schedstat_ns("/proc/thread-self/schedstat").saturating_sub(thread_signed);
        run.signature_wall += signed - start;
        run.signature_cpu_ns += cpu_signed.saturating_sub(cpu_start);
    }
    assert_eq!(index.len(), records);
    run.heap_bytes = index.heap_bytes();
    run.bound_bytes = distinct_keys_bound(records);
    run
}

/// The index's heap if every band key of every record were distinct: an entry and 20 bits a
/// record (no links), and 20 bucket maps of `records` keys each (8 bytes a slot; a map of 16 slots
/// grows by a quarter whenever it would be more than 85 % full).
fn distinct_keys_bound(records: usize) -> usize {
    let mut slots = 16;
    while records * 20 > slots * 17 {
        slots += slots / 4;
    }
    records * ENTRY_BYTES + records * 20 / 8 + 20 * slots * 8
}

fn print_quality(run: &Run) {
    println!();
    println!(
        "Rewrite detection, synthetic corpus of {} records (right = names a record of the same article family)",
        run.records
    );
    println!(
        "{:<38} {:>6} {:>9} {:>7} {:>7} {:>9} {:>7} {:>8}",
        "kind", "count", "predicted", "right", "wrong", "precision", "recall", "mean sim"
    );
    let (mut all_predicted, mut all_right) = (0, 0);
    for kind in KINDS {
        let (mut count, mut predicted, mut right, mut similarity) = (0, 0, 0, 0.0f64);
        for i in 0..run.records {
            if run.kinds[i] != kind {
                continue;
            }
            count += 1;
            if let Some((earlier, sim)) = run.matches[i] {
                assert!(earlier < i, "a match must be an earlier record");
                predicted += 1;
                similarity += f64::from(sim);
                if run.families[earlier] == run.families[i] {
                    right += 1;
                }
            }
        }
        all_predicted += predicted;
        all_right += right;
        let precision =
            if predicted == 0 { "-".to_string() } else { format!("{:.4}", right as f64 / predicted as f64) };
        let recall =
            if kind.is_rewrite() { format!("{:.4}", right as f64 / count.max(1) as f64) } else { "-".to_string() };
        let mean = if predicted == 0 { "-".to_string() } else { format!("{:.3}", similarity / predicted as f64) };
        println!(
            "{:<38} {:>6} {:>9} {:>7} {:>7} {:>9} {:>7} {:>8}",
            kind.name(),
            count,
            predicted,
            right,
            predicted - right,
            precision,
            recall,
            mean
        );
    }
    println!(
        "overall precision {:.4} ({} of {} predictions right)",
        all_right as f64 / all_predicted.max(1) as f64,
        all_right,
        all_predicted
    );
    let rates: Vec<String> = run
        .swap_rates
        .iter()
        .zip(["~10%", "~20%", "~30%"])
        .map(|(&(sum, n), name)| format!("{name}: {:.1}%", 100.0 * sum / n.max(1) as f64))
        .collect();
    println!("share of words actually swapped: {}", rates.join(", "));
}

// ---------------------------------------------------------------------------------------
// The generator.

/// SplitMix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

struct Topic {
    nouns: &'static [&'static str],
    adjectives: &'static [&'static str],
    verbs: &'static [&'static str],
    roles: &'static [&'static str],
    organisations: &'static [&'static str],
}

const TOPICS: &[Topic] = &[
    Topic {
        nouns: &[
            "strike",
            "dispute",
            "wage deal",
            "contract",
            "walkout",
            "pay offer",
            "pension scheme",
            "shift pattern",
            "automation plan",
            "workforce",
            "overtime rule",
            "picket",
        ],
        adjectives: &[
            "bitter",
            "prolonged",
            "unprecedented",
            "national",
            "costly",
            "controversial",
            "tentative",
            "fragile",
        ],
        verbs: &["rejected", "extended", "suspended", "approved", "challenged", "renegotiated", "called off", "backed"],
        roles: &["union secretary", "labour minister", "chief negotiator", "port manager"],
        organisations: &[
            "the Transport Workers Union",
            "the Port Authority",
            "the Employers Federation",
            "the Labour Ministry",
        ],
    },
    Topic {
        nouns: &[
            "budget",
            "tax",
            "deficit",
            "spending plan",
            "subsidy",
            "bond sale",
            "pension fund",
            "tariff",
            "surplus",
            "audit",
            "loan",
            "levy",
        ],
        adjectives: &[
            "ambitious",
            "austere",
            "revised",
            "provisional",
            "generous",
            "disputed",
            "balanced",
            "supplementary",
        ],
        verbs: &["unveiled", "trimmed", "raised", "froze", "slashed", "defended", "postponed", "adopted"],
        roles: &["finance minister", "budget director", "treasury spokesperson", "chief economist"],
        organisations: &["the Treasury", "the Central Bank", "the Fiscal Council", "the Budget Office"],
    },
    Topic {
        nouns: &[
            "election",
            "ballot",
            "campaign",
            "coalition",
            "turnout",
            "recount",
            "candidate list",
            "manifesto",
            "poll",
            "debate",
            "referendum",
            "mandate",
        ],
        adjectives: &["narrow", "decisive", "contested", "early", "regional", "historic", "tight", "surprise"],
        verbs: &["won", "conceded", "demanded", "announced", "certified", "disputed", "secured", "called"],
        roles: &["party leader", "electoral commissioner", "opposition leader", "campaign manager"],
        organisations: &["the Electoral Commission", "the Social Democrats", "the Liberal Alliance", "the Green Party"],
    },
    Topic {
        nouns: &[
            "storm",
            "flood",
            "evacuation",
            "rainfall",
            "power outage",
            "levee",
            "warning",
            "shelter",
            "wind gust",
            "landslide",
            "river level",
            "clean-up",
        ],
        adjectives: &["severe", "torrential", "sudden", "record", "widespread", "deadly", "fierce", "lingering"],
        verbs: &["battered", "flooded", "cut off", "evacuated", "damaged", "swept", "closed", "reopened"],
        roles: &["emergency coordinator", "regional governor", "chief meteorologist", "fire chief"],
        organisations: &["the Weather Service", "the Civil Protection Agency", "the Red Cross", "the Coast Guard"],
    },
    Topic {
        nouns: &[
            "trial",
            "verdict",
            "appeal",
            "sentence",
            "indictment",
            "testimony",
            "jury",
            "ruling",
            "settlement",
            "hearing",
            "lawsuit",
            "injunction",
        ],
        adjectives: &[
            "landmark",
            "lengthy",
            "closed-door",
            "unanimous",
            "partial",
            "emotional",
            "high-profile",
            "delayed",
        ],
        verbs: &["overturned", "upheld", "dismissed", "adjourned", "granted", "heard", "blocked", "ordered"],
        roles: &["presiding judge", "lead prosecutor", "defence lawyer", "court spokesperson"],
        organisations: &["the Supreme Court", "the District Court", "the Public Prosecutor", "the Bar Association"],
    },
    Topic {
        nouns: &[
            "hospital",
            "vaccine",
            "waiting list",
            "outbreak",
            "clinic",
            "staffing shortage",
            "ward",
            "screening",
            "treatment",
            "infection rate",
            "ambulance service",
            "health plan",
        ],
        adjectives: &["overstretched", "new", "experimental", "regional", "urgent", "preventive", "rural", "chronic"],
        verbs: &["expanded", "closed", "tested", "recommended", "recorded", "treated", "launched", "warned about"],
        roles: &["health minister", "chief medical officer", "hospital director", "nursing union leader"],
        organisations: &[
            "the Health Ministry",
            "the Medical Association",
            "the Public Health Institute",
            "the Nurses Council",
        ],
    },
    Topic {
        nouns: &[
            "wind farm",
            "power plant",
            "grid",
            "electricity price",
            "pipeline",
            "solar park",
            "gas supply",
            "reactor",
            "battery plant",
            "emission target",
            "heat pump",
            "coal mine",
        ],
        adjectives: &[
            "offshore",
            "renewable",
            "ageing",
            "volatile",
            "low-carbon",
            "state-owned",
            "nuclear",
            "subsidised",
        ],
        verbs: &["commissioned", "halted", "connected", "licensed", "shut down", "expanded", "cancelled", "financed"],
        roles: &["energy minister", "grid operator", "utility chief executive", "climate envoy"],
        organisations: &["the Energy Agency", "the Grid Company", "the National Utility", "the Climate Council"],
    },
    Topic {
        nouns: &[
            "railway",
            "bus network",
            "timetable",
            "fare",
            "bridge",
            "tunnel",
            "motorway",
            "signal failure",
            "tram line",
            "airport",
            "ferry route",
            "freight corridor",
        ],
        adjectives: &[
            "high-speed",
            "overcrowded",
            "delayed",
            "suburban",
            "electrified",
            "temporary",
            "direct",
            "cross-border",
        ],
        verbs: &["reopened", "cancelled", "upgraded", "rerouted", "suspended", "inaugurated", "delayed", "extended"],
        roles: &["transport minister", "rail operator chief", "city mobility councillor", "airport director"],
        organisations: &["the National Railway", "the Transit Authority", "the Highways Agency", "the Airport Company"],
    },
    Topic {
        nouns: &[
            "data breach",
            "software update",
            "chip factory",
            "start-up",
            "merger",
            "app",
            "privacy rule",
            "cloud contract",
            "layoff",
            "platform",
            "algorithm",
            "network outage",
        ],
        adjectives: &[
            "digital",
            "encrypted",
            "proprietary",
            "foreign",
            "cutting-edge",
            "faulty",
            "popular",
            "mandatory",
        ],
        verbs: &["acquired", "patched", "fined", "launched", "investigated", "banned", "leaked", "restored"],
        roles: &["chief executive", "data protection commissioner", "technology minister", "security researcher"],
        organisations: &[
            "the Data Protection Authority",
            "the Competition Office",
            "the Cyber Security Centre",
            "the Tech Council",
        ],
    },
    Topic {
        nouns: &[
            "school",
            "curriculum",
            "exam",
            "teacher shortage",
            "tuition fee",
            "university",
            "scholarship",
            "classroom",
            "reading test",
            "school meal",
            "campus",
            "apprenticeship",
        ],
        adjectives: &["primary", "secondary", "vocational", "crowded", "free", "standardised", "rural", "bilingual"],
        verbs: &["reformed", "introduced", "scrapped", "funded", "evaluated", "expanded", "closed", "postponed"],
        roles: &["education minister", "head teacher", "university rector", "teachers union leader"],
        organisations: &[
            "the Education Ministry",
            "the Teachers Union",
            "the Student Council",
            "the Schools Inspectorate",
        ],
    },
];

const FIRST_NAMES: &[&str] = &[
    "Maria", "Daniel", "Anna", "Tomas", "Sofia", "Lukas", "Elena", "Jonas", "Clara", "Marco", "Ingrid", "Pavel",
    "Amira", "Kenji", "Lucia", "Henrik", "Nadia", "Oscar", "Petra", "Rafael", "Selma", "Victor", "Yara", "Emil",
    "Fatima", "Gustav", "Helena", "Ivan", "Julia", "Karim", "Leila", "Mateo", "Nora", "Olaf", "Paula", "Quentin",
];
const LAST_NAMES: &[&str] = &[
    "Okafor",
    "Hext",
    "Brunner",
    "Lindqvist",
    "Moreau",
    "Kowalski",
    "Novak",
    "Rossi",
    "Fischer",
    "Jansen",
    "Silva",
    "Horvath",
    "Petrov",
    "Dubois",
    "Keller",
    "Larsen",
    "Mendes",
    "Nieminen",
    "Ortega",
    "Popescu",
    "Quist",
    "Richter",
    "Sandoval",
    "Takahashi",
    "Varga",
    "Weber",
    "Yilmaz",
    "Zeller",
    "Andersen",
    "Becker",
    "Costa",
    "Dimitrov",
    "Eriksen",
    "Ferrari",
    "Garcia",
    "Haas",
    "Ivanova",
    "Jovanovic",
    "Kaplan",
    "Lorenz",
    "Mazur",
    "Nilsen",
];
const CITIES: &[&str] = &[
    "Harwick",
    "Dunmore",
    "Welby",
    "Castleford",
    "Marlow",
    "Ashby",
    "Brenton",
    "Calder",
    "Eastleigh",
    "Fairhaven",
    "Glenmoor",
    "Holloway",
    "Ironbridge",
    "Kingsway",
    "Lowther",
    "Millbrook",
    "Northam",
    "Oakridge",
    "Pendle",
    "Redcliffe",
    "Stonebury",
    "Thornton",
    "Upfield",
    "Valemont",
    "Westport",
    "Yarrow",
    "Zennor",
    "Brookhaven",
];
const SITES: &[&str] = &[
    "the Northgate depot",
    "Elm Street bridge",
    "the old customs house",
    "Riverside park",
    "the Harbour Road terminal",
    "St Anne's hospital",
    "the Westfield campus",
    "the Market Square",
    "the Kingsmead plant",
    "Station Road",
    "the Millennium hall",
    "the Eastern bypass",
    "the Lakeside estate",
    "the Victoria wharf",
    "the Abbey fields site",
    "the Central library",
    "the Beacon hill substation",
    "the Granary quarter",
    "Mill Lane",
    "the Southbank arena",
];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const AGENCIES: &[&str] =
    &["Coastal Wire", "Metro Daily", "Ledger Wire", "City Herald", "Northern Post", "Evening Star"];
const GENERIC_NOUNS: &[&str] =
    &["plan", "proposal", "decision", "measure", "agreement", "package", "move", "review", "report", "change"];
const GENERIC_ADJECTIVES: &[&str] =
    &["significant", "difficult", "careful", "modest", "major", "serious", "unexpected", "welcome"];
const GENERIC_VERBS: &[&str] =
    &["affect", "change", "delay", "improve", "reduce", "increase", "threaten", "support", "weaken", "strengthen"];

/// Sentence cores. Slots: {P1} {L1} {R1} {P2} {L2} {R2} (people, last names, roles), {ORG},
/// {CITY}, {SITE} (a place particular to the story), {DAY}, {N1}..{N4} (numbers), {NOUN}
/// {ADJ} {VERB} (topic words, fresh at each slot), {GN} {GA} {GV} (generic noun, adjective,
/// verb). `[a|b|c]` picks one alternative, so that outlets phrase the same pattern
/// differently.
const CORES: &[&str] = &[
    "{P1}, the {R1}, [said|told a news conference|argued] the {ADJ} {NOUN} would {GV} the {NOUN} across {CITY}",
    "Officials in {CITY} {VERB} the {NOUN} after a {GA} [meeting|session|round of talks] with representatives of {ORG}",
    "The {NOUN} comes after [months|weeks|a year] of {GA} debate over the {ADJ} {NOUN} and its cost to [residents|taxpayers|local people]",
    "According to {ORG}, about {N1} people were [directly affected by|caught up in|hit by] the {NOUN} in the first week",
    "{L1} [told reporters|said in an interview|wrote on social media] that the {GN} had been {VERB} because of {ADJ} concerns about the {NOUN}",
    "Critics argued that the {ADJ} {NOUN} would {GV} [families|pensioners|small firms] who already struggle with rising costs",
    "{P2}, a {R2} who has followed the {NOUN} closely, described the {GN} as {GA} but [overdue|late|long awaited]",
    "The {GN} is expected to cost around {N2} million over the next {N3} years, [officials estimated|according to early estimates|budget papers show]",
    "Supporters of the {NOUN} said it would {GV} the {ADJ} {NOUN} and bring new investment to {SITE}",
    "A spokesperson for {ORG} declined to comment on the {ADJ} {NOUN} when contacted on {DAY}",
    "{L2} warned that any {GA} delay could {GV} the {NOUN} and leave {N1} households without support",
    "[Residents|Protesters|Dozens of people] gathered outside {SITE} to protest against the {ADJ} {NOUN}",
    "The {R1} {VERB} a {GA} report on the {NOUN}, which found that {N3} percent of cases were linked to the {NOUN}",
    "Last year, a similar {NOUN} in [a neighbouring region|another city|the north] {VERB} the {NOUN} for several months",
    "{ORG} said in a statement that it had {VERB} the {ADJ} {NOUN} and would publish further details [soon|next week|by the end of the month]",
    "Opposition politicians accused {L1} of ignoring the {ADJ} {NOUN} [for far too long|for years|despite repeated warnings]",
    "Experts said the figures pointed to a {GA} {GN} in the {NOUN} that could last well into next year",
    "The {NOUN} was first proposed by {P2} in {N4} and has been revised several times since then",
    "Local businesses near {SITE} reported a {GA} drop in customers since the {NOUN} began",
    "{L1} said the decision to {GV} the {NOUN} was not taken lightly and followed weeks of consultation",
    "More than {N1} people signed a petition calling for the {ADJ} {NOUN} to be reviewed by an independent panel",
    "Analysts at {ORG} expect the {NOUN} to {GV} prices by up to {N3} percent by the end of the year",
    "The {R2} said the {GN} showed that the {ADJ} {NOUN} had been underfunded for a decade",
    "A final decision on the {NOUN} is expected when the [council|board|committee] meets again on {DAY}",
    "{P1} insisted that the {ADJ} {NOUN} remained on track despite the {GA} setbacks of recent weeks",
    "Leaders on both sides have traded accusations over the {NOUN} since talks broke down at {SITE}",
    "Figures released by {ORG} showed that the {NOUN} had {VERB} the {NOUN} in {N3} districts compared with the previous year",
    "The {GN} marks a {GA} shift for {CITY}, where the {NOUN} has long been a source of [pride|tension|debate]",
    "{L2} pointed out that the {NOUN} had already been {VERB} twice in the past {N3} years",
    "Campaigners welcomed the {GN} but said the {ADJ} {NOUN} still needed much closer scrutiny",
    "Police said the crowd at {SITE} remained largely peaceful throughout the [afternoon|evening|day]",
    "It is not yet clear how the {ADJ} {NOUN} will be funded or who will oversee the {NOUN}",
    "{ORG} has been under pressure to {GV} the {NOUN} since a critical audit earlier this year",
    "Speaking at {SITE}, {L1} said the {GN} would be reviewed every {N3} months",
    "The {ADJ} {NOUN} has divided opinion among residents, with some calling it {GA} and others unnecessary",
    "Several members of {ORG} said privately that they doubted the {NOUN} would {GV} the {NOUN}",
    "In a letter to the {R1}, {P2} urged the government to {GV} the {ADJ} {NOUN} without delay",
    "The {NOUN} affects roughly {N1} people in {CITY} and the surrounding districts",
    "{L1} is due to present the {ADJ} {NOUN} to lawmakers on {DAY} along with a {GA} {GN}",
    "Observers noted that the {NOUN} had been {VERB} with unusual speed by {ORG}",
    "Neighbouring towns are watching the {NOUN} in {CITY} closely as they prepare {ADJ} plans of their own",
    "The {R2} estimated that the {ADJ} {NOUN} had already cost the region about {N2} million",
    "Work at {SITE} was [halted|slowed|interrupted] for {N3} days while inspectors examined the {NOUN}",
    "The {NOUN} at {SITE} had been flagged as a risk in an internal memo seen by this newspaper",
    "{P2} said {N1} complaints about the {NOUN} had reached her office since {DAY}",
    "Asked whether the {ADJ} {NOUN} could be reversed, {L1} said [nothing had been ruled out|it was too early to say|the matter was closed]",
    "Few expected the {NOUN} to move so quickly when it was announced at {SITE} in the spring",
    "The mayor of {CITY} called for calm and promised a {GA} {GN} within {N3} weeks",
    "Some {N1} staff work at {SITE}, making it one of the largest employers in the area",
    "Ratings agencies have yet to say how the {ADJ} {NOUN} might affect the outlook for {CITY}",
    "An earlier version of the {NOUN}, drafted in {N4}, was abandoned after objections from {ORG}",
    "The {R1} conceded that communication about the {NOUN} [could have been better|had been poor|had confused people]",
    "A court challenge to the {NOUN} is [still pending|expected within weeks|being prepared by residents]",
    "{L2} compared the {ADJ} {NOUN} to a {GN} tried in another country with {GA} results",
    "Newly published documents show {ORG} was warned about the {NOUN} as early as {N4}",
    "The next step for the {NOUN} will be a public hearing at {SITE} on {DAY}",
];

const LEADS: &[&str] =
    &["On {DAY}, ", "Meanwhile, ", "In {CITY}, ", "Earlier this week, ", "At the same time, ", "By contrast, "];
const TAILS: &[&str] =
    &[", officials said", " on {DAY}", ", according to {ORG}", ", {L1} added", " as the {NOUN} continued"];
const QUOTE_CORES: &[&str] = &[
    "We have listened to the people of {CITY} and we will {GV} the {ADJ} {NOUN} this year",
    "Nobody wanted this {NOUN}, but the {ADJ} {NOUN} left us with no other choice",
    "This is a {GA} day for everyone who has worked on the {NOUN} over the past {N3} years",
    "We will not accept a {ADJ} {NOUN} that puts {N1} families at risk",
    "The {NOUN} is only the beginning, and the real work on the {NOUN} starts now",
    "Our members have kept the {NOUN} running for years and deserve a {GA} {GN}",
];
const TITLES: &[&str] = &[
    "{ORG} {VERB} {ADJ} {NOUN} in {CITY}",
    "{CITY} {NOUN}: {L1} says {GN} will {GV} residents",
    "{ADJ} {NOUN} divides {CITY} as {ORG} weighs {GN}",
    "{L1} defends {NOUN} amid {GA} criticism",
];
const WIDGET_LINES: &[&str] = &[
    "Share this article",
    "Follow us on Facebook",
    "Sign up for our daily newsletter",
    "Advertisement",
    "Read more: The week's top stories in pictures",
    "Click to share on X (Opens in new window)",
    "Comments are closed.",
    "Related: Five things to know before the weekend",
    "Tags: news, politics, local",
    "Back to top",
    "Subscribe now and get unlimited access to all our journalism for one month free",
    "Photo: Reuters",
];

/// Synonyms a spinner would swap (one-way; all forms that appear in the templates).
#[rustfmt::skip]
const SYNONYMS: &[(&str, &str)] = &[
    ("said", "stated"), ("told", "informed"), ("officials", "authorities"), ("reporters", "journalists"),
    ("people", "individuals"), ("residents", "locals"), ("meeting", "session"), ("debate", "discussion"),
    ("cost", "expense"), ("families", "households"), ("struggle", "battle"), ("rising", "climbing"),
    ("costs", "expenses"), ("closely", "carefully"), ("overdue", "belated"), ("expected", "anticipated"),
    ("around", "roughly"), ("estimated", "calculated"), ("supporters", "backers"), ("bring", "attract"),
    ("investment", "funding"), ("spokesperson", "representative"), ("declined", "refused"), ("comment", "remark"),
    ("contacted", "reached"), ("warned", "cautioned"), ("delay", "postponement"), ("leave", "strand"),
    ("households", "homes"), ("support", "assistance"), ("gathered", "assembled"), ("protest", "demonstrate"),
    ("report", "study"), ("found", "concluded"), ("cases", "instances"), ("linked", "connected"),
    ("similar", "comparable"), ("neighbouring", "nearby"), ("several", "multiple"), ("statement", "announcement"),
    ("publish", "release"), ("further", "additional"), ("details", "information"), ("accused", "blamed"),
    ("ignoring", "neglecting"), ("experts", "specialists"), ("figures", "numbers"), ("pointed", "indicated"),
    ("proposed", "suggested"), ("revised", "amended"), ("businesses", "firms"), ("reported", "recorded"),
    ("drop", "decline"), ("customers", "clients"), ("began", "started"), ("decision", "ruling"),
    ("lightly", "casually"), ("consultation", "deliberation"), ("signed", "endorsed"), ("petition", "appeal"),
    ("calling", "asking"), ("reviewed", "assessed"), ("independent", "impartial"), ("panel", "commission"),
    ("analysts", "forecasters"), ("prices", "rates"), ("underfunded", "neglected"), ("decade", "generation"),
    ("final", "definitive"), ("insisted", "maintained"), ("remained", "stayed"), ("track", "course"),
    ("setbacks", "problems"), ("recent", "latest"), ("leaders", "chiefs"), ("traded", "exchanged"),
    ("accusations", "allegations"), ("talks", "negotiations"), ("released", "published"), ("showed", "indicated"),
    ("previous", "prior"), ("shift", "change"), ("pride", "honour"), ("welcomed", "praised"), ("needed", "required"),
    ("scrutiny", "examination"), ("crowd", "gathering"), ("largely", "mostly"), ("peaceful", "calm"),
    ("clear", "certain"), ("funded", "financed"), ("oversee", "supervise"), ("pressure", "strain"),
    ("critical", "damning"), ("audit", "inspection"), ("speaking", "talking"), ("conference", "briefing"),
    ("divided", "split"), ("opinion", "views"), ("unnecessary", "needless"), ("members", "associates"),
    ("privately", "quietly"), ("doubted", "questioned"), ("letter", "message"), ("urged", "pressed"),
    ("government", "administration"), ("roughly", "approximately"), ("surrounding", "nearby"), ("districts", "areas"),
    ("due", "set"), ("present", "unveil"), ("lawmakers", "legislators"), ("observers", "commentators"),
    ("noted", "remarked"), ("unusual", "remarkable"), ("speed", "haste"), ("towns", "communities"),
    ("watching", "monitoring"), ("prepare", "draft"), ("plans", "schemes"), ("region", "area"),
    ("already", "previously"), ("months", "periods"), ("year", "twelvemonth"), ("plan", "scheme"),
    ("proposal", "suggestion"), ("measure", "step"), ("agreement", "deal"), ("package", "bundle"), ("move", "step"),
    ("review", "evaluation"), ("change", "alteration"), ("significant", "considerable"), ("difficult", "tough"),
    ("careful", "cautious"), ("modest", "moderate"), ("major", "big"), ("serious", "grave"),
    ("unexpected", "surprising"), ("welcome", "welcomed"), ("affect", "impact"), ("improve", "enhance"),
    ("reduce", "lower"), ("increase", "raise"), ("threaten", "endanger"), ("weaken", "undermine"),
    ("strengthen", "bolster"), ("strike", "stoppage"), ("dispute", "conflict"), ("contract", "agreement"),
    ("bitter", "acrimonious"), ("prolonged", "extended"), ("costly", "expensive"), ("rejected", "refused"),
    ("approved", "endorsed"), ("budget", "spending plan"), ("tax", "levy"), ("deficit", "shortfall"),
    ("subsidy", "grant"), ("ambitious", "bold"), ("austere", "frugal"), ("unveiled", "presented"), ("trimmed", "cut"),
    ("slashed", "cut"), ("defended", "justified"), ("postponed", "deferred"), ("adopted", "passed"),
    ("election", "vote"), ("campaign", "drive"), ("turnout", "participation"), ("poll", "survey"), ("narrow", "slim"),
    ("decisive", "clear"), ("won", "secured"), ("conceded", "admitted"), ("storm", "tempest"), ("flood", "deluge"),
    ("rainfall", "rain"), ("warning", "alert"), ("severe", "harsh"), ("torrential", "heavy"), ("sudden", "abrupt"),
    ("widespread", "extensive"), ("damaged", "harmed"), ("battered", "pounded"), ("trial", "case"),
    ("verdict", "judgment"), ("ruling", "decision"), ("lawsuit", "suit"), ("landmark", "milestone"),
    ("lengthy", "long"), ("overturned", "reversed"), ("upheld", "confirmed"), ("dismissed", "rejected"),
    ("hospital", "medical centre"), ("outbreak", "epidemic"), ("clinic", "practice"), ("treatment", "therapy"),
    ("urgent", "pressing"), ("expanded", "broadened"), ("launched", "started"), ("grid", "network"),
    ("pipeline", "conduit"), ("ageing", "old"), ("volatile", "unstable"), ("halted", "stopped"),
    ("cancelled", "scrapped"), ("railway", "rail line"), ("timetable", "schedule"), ("fare", "ticket price"),
    ("motorway", "highway"), ("overcrowded", "packed"), ("reopened", "restored"), ("upgraded", "modernised"),
    ("airport", "airfield"), ("merger", "tie-up"), ("platform", "service"), ("faulty", "defective"),
    ("popular", "widely used"), ("acquired", "bought"), ("investigated", "probed"), ("banned", "prohibited"),
    ("school", "academy"), ("exam", "test"), ("university", "college"), ("classroom", "class"), ("crowded", "packed"),
    ("reformed", "overhauled"), ("introduced", "brought in"), ("scrapped", "abolished"), ("evaluated", "assessed"),
    ("argued", "contended"), ("session", "sitting"), ("taxpayers", "ratepayers"), ("pensioners", "retirees"),
    ("interview", "conversation"), ("wrote", "posted"), ("slowed", "held up"), ("interrupted", "disrupted"),
    ("inspectors", "examiners"), ("examined", "studied"), ("memo", "note"), ("complaints", "grievances"),
    ("office", "bureau"), ("reversed", "undone"), ("announced", "declared"), ("spring", "springtime"),
    ("mayor", "city leader"), ("calm", "restraint"), ("promised", "pledged"), ("staff", "employees"),
    ("employers", "companies"), ("agencies", "bodies"), ("outlook", "prospects"), ("version", "draft"),
    ("drafted", "written"), ("abandoned", "dropped"), ("objections", "protests"), ("communication", "messaging"),
    ("challenge", "appeal"), ("pending", "unresolved"), ("compared", "likened"), ("documents", "papers"),
    ("hearing", "session"), ("public", "open"), ("early", "initial"), ("estimates", "projections"),
    ("protesters", "demonstrators"), ("dozens", "scores"), ("tension", "friction"), ("evening", "night"),
    ("board", "panel"), ("committee", "panel"), ("risk", "hazard"), ("internal", "in-house"),
    ("flagged", "identified"), ("largest", "biggest"), ("results", "outcomes"), ("tried", "tested"),
    ("country", "nation"), ("quickly", "rapidly"), ("workers", "employees"), ("described", "characterised"),
    ("affected", "impacted"), ("directly", "immediately"), ("concerns", "worries"), ("meets", "convenes"),
    ("local", "area"), ("news", "press"), ("first", "initial"), ("week", "seven days"), ("closer", "tighter"),
    ("representatives", "delegates"), ("town", "municipal"), ("percent", "per cent"), ("weeks", "periods"),
    ("wage", "pay"), ("pay", "wages"), ("offer", "bid"), ("scheme", "programme"), ("workforce", "staff"),
    ("rule", "regulation"), ("spending", "expenditure"), ("bond", "debt"), ("sale", "auction"), ("fund", "pot"),
    ("loan", "credit"), ("coalition", "alliance"), ("recount", "re-tally"), ("candidate", "contender"),
    ("manifesto", "platform"), ("mandate", "authority"), ("evacuation", "exodus"), ("power", "electricity"),
    ("outage", "blackout"), ("shelter", "refuge"), ("clean-up", "tidy-up"), ("appeal", "challenge"),
    ("sentence", "penalty"), ("testimony", "evidence"), ("jury", "jurors"), ("settlement", "accord"),
    ("vaccine", "jab"), ("waiting", "queue"), ("ward", "unit"), ("screening", "testing"), ("infection", "contagion"),
    ("ambulance", "paramedic"), ("health", "medical"), ("wind", "turbine"), ("plant", "facility"),
    ("electricity", "power"), ("price", "cost"), ("supply", "provision"), ("reactor", "unit"), ("battery", "cell"),
    ("emission", "pollution"), ("target", "goal"), ("coal", "carbon"), ("mine", "pit"), ("bus", "coach"),
    ("network", "system"), ("bridge", "crossing"), ("tunnel", "underpass"), ("signal", "signalling"),
    ("failure", "fault"), ("tram", "streetcar"), ("ferry", "boat"), ("route", "line"), ("freight", "cargo"),
    ("corridor", "route"), ("breach", "leak"), ("software", "program"), ("update", "patch"),
    ("chip", "semiconductor"), ("factory", "plant"), ("app", "application"), ("privacy", "confidentiality"),
    ("cloud", "hosted"), ("layoff", "job cut"), ("algorithm", "formula"), ("curriculum", "syllabus"),
    ("teacher", "educator"), ("shortage", "lack"), ("tuition", "teaching"), ("scholarship", "bursary"),
    ("reading", "literacy"), ("meal", "lunch"), ("campus", "grounds"), ("apprenticeship", "traineeship"),
];

fn synonym(word: &str) -> Option<&'static str> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| SYNONYMS.iter().copied().collect());
    if word.starts_with(char::is_uppercase) {
        table.get(word.to_lowercase().as_str()).copied()
    } else {
        table.get(word).copied()
    }
}

/// One event, reported by one or more outlets.
struct Story {
    topic: &'static Topic,
    people: [(String, &'static str, &'static str); 2],
    organisation: &'static str,
    city: &'static str,
    site: &'static str,
    day: &'static str,
    numbers: [u32; 4],
    key_nouns: [&'static str; 2],
    quotes: [String; 2],
}

/// An article as paragraphs of sentences, so rewrites can move and change sentences.
#[derive(Clone)]
struct Article {
    family: u32,
    title: String,
    paragraphs: Vec<Vec<String>>,
}

impl Article {
    fn render(&self) -> String {
        let mut text = self.title.clone();
        for paragraph in &self.paragraphs {
            text.push_str("\n\n");
            text.push_str(&paragraph.join(" "));
        }
        text.push('\n');
        text
    }

    fn words(&self) -> usize {
        self.paragraphs.iter().flatten().map(|s| s.split_whitespace().count()).sum()
    }
}

struct Record {
    kind: Kind,
    family: u32,
    text: String,
    swap_rate: Option<f64>,
}

/// Streams records: new stories, other outlets' articles on open stories, and planted
/// rewrites of recent or long-past articles. Keeps only small pools, never the corpus.
struct Generator {
    rng: Rng,
    stories: Vec<Story>,
    recent: Vec<Article>,
    reservoir: Vec<Article>,
    articles_seen: u64,
    families: u32,
    pending_short: Option<String>,
}

const OPEN_STORIES: usize = 400;
const POOL: usize = 1000;

impl Generator {
    fn new(seed: u64) -> Self {
        Generator {
            rng: Rng(seed.wrapping_mul(0x2545_f491_4f6c_dd1d)),
            stories: Vec::new(),
            recent: Vec::new(),
            reservoir: Vec::new(),
            articles_seen: 0,
            families: 0,
            pending_short: None,
        }
    }

    fn next_record(&mut self) -> Record {
        if let Some(text) = self.pending_short.take() {
            return Record { kind: Kind::Short, family: self.new_family(), text, swap_rate: None };
        }
        let roll = self.rng.below(1000);
        if roll < 10 {
            let city = self.rng.pick(CITIES);
            let text =
                format!("Breaking: the {} in {city} has been closed. More to follow.", self.rng.pick(GENERIC_NOUNS));
            self.pending_short = Some(text.clone());
            return Record { kind: Kind::Short, family: self.new_family(), text, swap_rate: None };
        }
        if roll < 310 && self.recent.len() >= 50 {
            return self.rewrite();
        }
        if roll < 520 && !self.stories.is_empty() {
            let story = self.rng.below(self.stories.len());
            let article = self.write_article(story);
            return self.original(Kind::OtherOutlet, article);
        }
        let story = self.new_story();
        let slot = if self.stories.len() < OPEN_STORIES {
            self.stories.push(story);
            self.stories.len() - 1
        } else {
            let slot = self.rng.below(OPEN_STORIES);
            self.stories[slot] = story;
            slot
        };
        let article = self.write_article(slot);
        self.original(Kind::First, article)
    }

    fn new_family(&mut self) -> u32 {
        self.families += 1;
        self.families
    }

    fn original(&mut self, kind: Kind, mut article: Article) -> Record {
        article.family = self.new_family();
        let text = article.render();
        self.articles_seen += 1;
        if self.recent.len() < POOL {
            self.recent.push(article.clone());
        } else {
            let slot = self.rng.below(POOL);
            self.recent[slot] = article.clone();
        }
        // Reservoir sampling: a uniform sample of every original so far.
        if self.reservoir.len() < POOL {
            self.reservoir.push(article.clone());
        } else {
            let slot = (self.rng.next_u64() % self.articles_seen) as usize;
            if slot < POOL {
                self.reservoir[slot] = article.clone();
            }
        }
        Record { kind, family: article.family, text, swap_rate: None }
    }

    fn new_story(&mut self) -> Story {
        let topic = &TOPICS[self.rng.below(TOPICS.len())];
        let person = |rng: &mut Rng| {
            let first = rng.pick(FIRST_NAMES);
            let last = rng.pick(LAST_NAMES);
            (format!("{first} {last}"), last, rng.pick(topic.roles))
        };
        let people = [person(&mut self.rng), person(&mut self.rng)];
        let mut story = Story {
            topic,
            people,
            organisation: self.rng.pick(topic.organisations),
            city: self.rng.pick(CITIES),
            site: self.rng.pick(SITES),
            day: self.rng.pick(DAYS),
            numbers: [
                100 + self.rng.below(9900) as u32,
                2 + self.rng.below(400) as u32,
                2 + self.rng.below(30) as u32,
                1990 + self.rng.below(34) as u32,
            ],
            key_nouns: [self.rng.pick(topic.nouns), self.rng.pick(topic.nouns)],
            quotes: [String::new(), String::new()],
        };
        let first = self.rng.below(QUOTE_CORES.len());
        let second = (first + 1 + self.rng.below(QUOTE_CORES.len() - 1)) % QUOTE_CORES.len();
        story.quotes = [self.fill(&story, QUOTE_CORES[first]), self.fill(&story, QUOTE_CORES[second])];
        story
    }

    /// Fills the slots of a template for `story`.
    fn fill(&mut self, story: &Story, template: &str) -> String {
        fill(&mut self.rng, story, template)
    }

    /// One outlet's article about `story`: its own choice and order of sentence patterns,
    /// leads and tails, and its own topic words; the story's names, numbers and quotations.
    fn write_article(&mut self, story_index: usize) -> Article {
        let story = std::mem::replace(&mut self.stories[story_index], placeholder_story());
        let template = self.rng.pick(TITLES);
        let title = capitalise(&self.fill(&story, template));
        let mut cores: Vec<usize> = (0..CORES.len()).collect();
        self.rng.shuffle(&mut cores);
        let mut sentences = Vec::new();
        let mut words = 0;
        let target = 230 + self.rng.below(120);
        for &core in &cores {
            if words >= target {
                break;
            }
            let mut sentence = String::new();
            if self.rng.chance(0.3) {
                let lead = self.rng.pick(LEADS);
                sentence.push_str(&self.fill(&story, lead));
                sentence.push_str(&lowercase_first(&self.fill(&story, CORES[core])));
            } else {
                sentence.push_str(&self.fill(&story, CORES[core]));
            }
            if self.rng.chance(0.3) {
                let tail = self.rng.pick(TAILS);
                sentence.push_str(&self.fill(&story, tail));
            }
            sentence.push('.');
            words += sentence.split_whitespace().count();
            sentences.push(capitalise(&sentence));
        }
        // The quotations: the first one is in most outlets' copy, verbatim.
        for (i, quote) in story.quotes.iter().enumerate() {
            if self.rng.chance(if i == 0 { 0.7 } else { 0.4 }) {
                let (name, last, role) = &story.people[0];
                let sentence = if self.rng.chance(0.5) {
                    format!("\"{quote},\" said {name}, the {role}.")
                } else {
                    format!("\"{quote},\" {last} told reporters.")
                };
                let at = self.rng.below(sentences.len() + 1);
                sentences.insert(at, sentence);
            }
        }
        let dateline = format!("{}, {} ({}) — ", story.city.to_uppercase(), story.day, self.rng.pick(AGENCIES));
        sentences[0] = format!("{dateline}{}", sentences[0]);
        let mut paragraphs = Vec::new();
        let mut rest = sentences.as_slice();
        while !rest.is_empty() {
            let take = (1 + self.rng.below(3)).min(rest.len());
            paragraphs.push(rest[..take].to_vec());
            rest = &rest[take..];
        }
        self.stories[story_index] = story;
        Article { family: 0, title, paragraphs }
    }

    /// A planted rewrite of a recent or long-past original.
    fn rewrite(&mut self) -> Record {
        let source = if self.rng.chance(0.5) || self.reservoir.is_empty() {
            self.recent[self.rng.below(self.recent.len())].clone()
        } else {
            self.reservoir[self.rng.below(self.reservoir.len())].clone()
        };
        let kinds = [Kind::CopyWidgets, Kind::Reorder, Kind::Swap10, Kind::Swap20, Kind::Swap30, Kind::Paraphrase];
        let kind = kinds[self.rng.below(kinds.len())];
        let mut swap_rate = None;
        let text = match kind {
            Kind::CopyWidgets => {
                let mut article = source.clone();
                for _ in 0..1 + self.rng.below(5) {
                    let line = vec![self.rng.pick(WIDGET_LINES).to_string()];
                    let at = self.rng.below(article.paragraphs.len() + 1);
                    article.paragraphs.insert(at, line);
                }
                article.render()
            }
            Kind::Reorder => {
                let mut article = source.clone();
                for paragraph in &mut article.paragraphs {
                    self.rng.shuffle(paragraph);
                }
                self.rng.shuffle(&mut article.paragraphs);
                article.render()
            }
            Kind::Swap10 | Kind::Swap20 | Kind::Swap30 => {
                let share = match kind {
                    Kind::Swap10 => 0.1,
                    Kind::Swap20 => 0.2,
                    _ => 0.3,
                };
                let (text, rate) = self.swap_synonyms(&source.render(), share);
                swap_rate = Some(rate);
                text
            }
            _ => {
                let mut article = source.clone();
                let total: usize = article.paragraphs.iter().map(Vec::len).sum();
                for paragraph in &mut article.paragraphs {
                    paragraph.retain(|_| total < 6 || !self.rng.chance(0.2));
                    for sentence in paragraph.iter_mut() {
                        if self.rng.chance(0.5) {
                            *sentence = reorder_clauses(sentence);
                        }
                    }
                }
                article.paragraphs.retain(|p| !p.is_empty());
                self.swap_synonyms(&article.render(), 0.15).0
            }
        };
        debug_assert!(source.words() >= 200);
        Record { kind, family: source.family, text, swap_rate }
    }

    /// Swaps about `share` of all words for synonyms (each swappable word with the same
    /// chance); returns the text and the share actually swapped.
    fn swap_synonyms(&mut self, text: &str, share: f64) -> (String, f64) {
        let words = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
        let (total, swappable) = words.fold((0, 0), |(t, s), w| (t + 1, s + usize::from(synonym(w).is_some())));
        let chance = (share * total as f64 / swappable.max(1) as f64).min(1.0);
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut swapped = 0;
        let mut start = None;
        for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            if c.is_alphanumeric() && i < text.len() {
                start.get_or_insert(i);
                continue;
            }
            if let Some(s) = start.take() {
                let word = &text[s..i];
                match synonym(word) {
                    Some(to) if self.rng.chance(chance) => {
                        swapped += 1;
                        if word.starts_with(char::is_uppercase) {
                            out.push_str(&capitalise(to));
                        } else {
                            out.push_str(to);
                        }
                    }
                    _ => out.push_str(word),
                }
            }
            if i < text.len() {
                out.push(c);
            }
        }
        (out, swapped as f64 / total.max(1) as f64)
    }
}

/// Fills the slots of a template for `story`.
fn fill(rng: &mut Rng, story: &Story, template: &str) -> String {
    let mut chosen = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('[') {
        chosen.push_str(&rest[..open]);
        let close = open + rest[open..].find(']').expect("alternations are closed");
        let alternatives: Vec<&str> = rest[open + 1..close].split('|').collect();
        chosen.push_str(alternatives[rng.below(alternatives.len())]);
        rest = &rest[close + 1..];
    }
    chosen.push_str(rest);
    let mut out = String::with_capacity(chosen.len() + 40);
    let mut rest = chosen.as_str();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("slots are closed");
        let slot = &rest[open + 1..close];
        let topic = story.topic;
        match slot {
            "P1" => out.push_str(&story.people[0].0),
            "L1" => out.push_str(story.people[0].1),
            "R1" => out.push_str(story.people[0].2),
            "P2" => out.push_str(&story.people[1].0),
            "L2" => out.push_str(story.people[1].1),
            "R2" => out.push_str(story.people[1].2),
            "ORG" => out.push_str(story.organisation),
            "CITY" => out.push_str(story.city),
            "SITE" => out.push_str(story.site),
            "DAY" => out.push_str(story.day),
            "N1" | "N2" | "N3" | "N4" => {
                let i = usize::from(slot.as_bytes()[1] - b'1');
                out.push_str(&story.numbers[i].to_string());
            }
            "NOUN" => {
                let noun = if rng.chance(0.5) { story.key_nouns[rng.below(2)] } else { rng.pick(topic.nouns) };
                out.push_str(noun);
            }
            "ADJ" => out.push_str(rng.pick(topic.adjectives)),
            "VERB" => out.push_str(rng.pick(topic.verbs)),
            "GN" => out.push_str(rng.pick(GENERIC_NOUNS)),
            "GA" => out.push_str(rng.pick(GENERIC_ADJECTIVES)),
            "GV" => out.push_str(rng.pick(GENERIC_VERBS)),
            other => panic!("unknown slot {other}"),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn placeholder_story() -> Story {
    Story {
        topic: &TOPICS[0],
        people: [(String::new(), "", ""), (String::new(), "", "")],
        organisation: "",
        city: "",
        site: "",
        day: "",
        numbers: [0; 4],
        key_nouns: ["", ""],
        quotes: [String::new(), String::new()],
    }
}

/// "On Monday, the council met." -> "The council met, on Monday." and
/// "X said that Y." -> "Y, X said.": the clause moves a paraphrasing rewriter makes.
fn reorder_clauses(sentence: &str) -> String {
    let body = sentence.trim_end_matches('.');
    if let Some((first, second)) = body.split_once(", ")
        && !first.contains('"')
        && !second.contains('"')
    {
        return format!("{}, {}.", capitalise(second), lowercase_first(first));
    }
    if let Some((speaker, claim)) = body.split_once(" said that ") {
        return format!("{}, {} said.", capitalise(claim), lowercase_first(speaker));
    }
    sentence.to_string()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Lowercases the first letter unless the text starts with a name.
fn lowercase_first(text: &str) -> String {
    let first_word = text.split_whitespace().next().unwrap_or("");
    let proper = first_word.trim_matches(|c: char| !c.is_alphanumeric());
    let is_name = FIRST_NAMES.contains(&proper)
        || LAST_NAMES.contains(&proper)
        || CITIES.contains(&proper)
        || proper.chars().all(|c| c.is_uppercase() || !c.is_alphabetic());
    if is_name {
        return text.to_string();
    }
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}
