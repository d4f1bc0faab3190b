//! Fuzz targets: every input reader (also with small limits on what a record keeps), the
//! segmentation, the scorer (every detector) and the writers, driven by a hand-written xorshift mutator over the seeds of `tests/fuzz-corpus/`
//! and the phrases of the model's lexicons. Every target is an ignored test:
//!
//! ```sh
//! cargo test --release --test fuzz -- --ignored fuzz --nocapture
//! RESIDUE_FUZZ_CASES=200000 cargo test --release --test fuzz -- --ignored fuzz_assess --nocapture
//! RESIDUE_FUZZ_SECONDS=600 cargo test --release --test fuzz -- --ignored fuzz --nocapture
//! ```
//!
//! - `RESIDUE_FUZZ_CASES`: cases in all, split evenly across the targets that run
//!   (default 1,000,000 when no time budget is set).
//! - `RESIDUE_FUZZ_SECONDS`: a time budget, split evenly across the targets (each gets
//!   SECONDS / targets; with two test threads the run takes about half of SECONDS).
//!   With both set, a target stops at whichever comes first.
//! - `RESIDUE_FUZZ_SEED`: the random seed (default fixed, so a run is reproducible).
//! - `RESIDUE_FUZZ_OUT`: where failing inputs go (default `/tmp/residue-fuzz`).
//! - `RESIDUE_FUZZ_SLOW_MS`: a case slower than this is a failure too (default 2000).
//! - `RESIDUE_FUZZ_KNOWN`: comma-separated tags of known, reported bugs whose checks are
//!   skipped, so that a run can look past them: `negative-zero`
//!   (`regression_negative_zero_similarity_is_written_as_zero`), `csv-cr-lines`
//!   (`regression_csv_records_after_carriage_return_line_ends_get_their_own_line`),
//!   `empty-id` (`regression_an_empty_id_falls_back_to_the_generated_id`).
//!
//! A panic or a broken invariant is caught with `catch_unwind`; the input is shrunk (chunk
//! deletion) while it fails the same way, and both versions are saved under the output
//! folder as `<target>-<n>.bin` / `<target>-<n>.min.bin` with a `.txt` note (message,
//! parameter word). The input being run is always in `<target>.current`, for aborts.
//! The invariants are those of `tests/common/mod.rs`, shared with `tests/properties.rs`.
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{Seek as _, Write as _};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

use residue::analysis::Analysis;
use residue::error::Error;
use residue::input::{self, InputFile, InputOptions, Limits};
use residue::output::{CSV_HEADER, CsvReport, EVIDENCE_ITEMS, ReportRow, spreadsheet_safe};
use residue::{LineLabel, Model, Record, Scorer};
use tempfile::TempDir;

mod common;

/// The targets, for splitting the budget.
const TARGETS: u64 = 11;
/// The longest input a mutation produces.
const MAX_LEN: usize = 128 << 10;

// ---------------------------------------------------------------------------------------
// The harness
// ---------------------------------------------------------------------------------------

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when n is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// A number below `big` one time in `one_in`, else below `small`.
    fn size(&mut self, one_in: usize, big: usize, small: usize) -> usize {
        let n = if self.one_in(one_in) { big } else { small };
        self.below(n)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").trim().parse().ok())
}

fn out_dir() -> PathBuf {
    let dir = std::env::var_os("RESIDUE_FUZZ_OUT").map_or_else(|| PathBuf::from("/tmp/residue-fuzz"), PathBuf::from);
    std::fs::create_dir_all(&dir).expect("cannot create the fuzz output folder");
    dir
}

thread_local! {
    /// Set while a case runs: the panic hook records instead of printing.
    static IN_CASE: RefCell<bool> = const { RefCell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_CASE.with(|c| *c.borrow()) {
                let location =
                    info.location().map_or_else(|| "?".to_string(), |l| format!("{}:{}", l.file(), l.line()));
                let message = info
                    .payload()
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{location}: {message}")));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs one case; `Err` holds "location: message" of the panic.
fn run_case(target: &dyn Fn(&[u8], u64), data: &[u8], params: u64) -> Result<(), String> {
    IN_CASE.with(|c| *c.borrow_mut() = true);
    LAST_PANIC.with(|p| *p.borrow_mut() = None);
    let result = catch_unwind(AssertUnwindSafe(|| target(data, params)));
    IN_CASE.with(|c| *c.borrow_mut() = false);
    result.map_err(|_| LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "unknown panic".into()))
}

/// What makes two failures the same: the location and the message without its numbers.
fn failure_key(failure: &str) -> String {
    let first = failure.lines().next().unwrap_or("");
    let key: String = first.chars().filter(|c| !c.is_ascii_digit()).take(160).collect();
    // Keep the line number of the location (before the first ": ").
    match failure.split_once(": ") {
        Some((location, _)) => format!("{location} {key}"),
        None => key,
    }
}

/// Shrinks `data` by deleting chunks while the case still fails with the same key.
fn minimise(target: &dyn Fn(&[u8], u64), data: &[u8], params: u64, key: &str) -> Vec<u8> {
    let started = Instant::now();
    let mut best = data.to_vec();
    let mut chunk = (best.len() / 2).max(1);
    let mut attempts = 0;
    while chunk >= 1 && attempts < 4000 && started.elapsed() < Duration::from_secs(60) {
        let mut start = 0;
        let mut shrunk = false;
        while start < best.len() && attempts < 4000 {
            let mut candidate = best[..start].to_vec();
            candidate.extend_from_slice(&best[(start + chunk).min(best.len())..]);
            attempts += 1;
            match run_case(target, &candidate, params) {
                Err(failure) if failure_key(&failure) == key => {
                    best = candidate;
                    shrunk = true;
                }
                _ => start += chunk,
            }
        }
        if !shrunk {
            if chunk == 1 {
                break;
            }
            chunk /= 2;
        }
    }
    best
}

/// A mutation source: seed files and a dictionary of interesting tokens.
struct Corpus {
    seeds: Vec<(String, Vec<u8>)>,
    dictionary: Vec<Vec<u8>>,
}

/// Tokens that stress segmentation, quotes, case mapping, CSV/JSON syntax and formula cells.
const TOKENS: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    "\r\r\n",
    "\n\n\n",
    "\0",
    "\u{feff}",
    "\"",
    "\"\"",
    "'",
    "\\",
    "\\\"",
    "\\u0000",
    "\\ud800",
    "\\ud83d\\ude00",
    "\\n",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "{\"id\": \"x\", \"text\": \"",
    "\"}\n",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "„",
    "。",
    "！",
    "？",
    "İ",
    "\u{212a}",
    "ẞ",
    "ß",
    "ﬁ",
    "Σ",
    "ǅ",
    "e\u{301}",
    "😀",
    "👩‍👩‍👧",
    "\u{200b}",
    "\u{2028}",
    "\u{85}",
    "\u{a0}",
    "\u{3000}",
    "\u{202e}",
    "•",
    "|",
    "©",
    "*",
    " - ",
    "—",
    "=",
    "+",
    "@",
    "\t",
    "＝",
    "＋",
    "－",
    "＠",
    ". ",
    "? ",
    "! ",
    "...",
    " ,",
    " .",
    "Mr. ",
    "U.S. ",
    "e.g. ",
    "J. ",
    " said ",
    "according to ",
    "21.11.23",
    "16:34",
    "2023-11-21",
    "access_time",
    "The council approved the budget on Tuesday after a long debate about the harbour and its repairs.",
    "He said \"we will win\" today.",
    "the minister did Announce That the plan will go ahead",
];

impl Corpus {
    fn load() -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seeds = Vec::new();
        let mut names: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fuzz-corpus"))
            .expect("tests/fuzz-corpus")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
            .collect();
        names.sort();
        for path in names {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            seeds.push((name, std::fs::read(&path).unwrap()));
        }
        assert!(!seeds.is_empty(), "no seeds in tests/fuzz-corpus");
        let mut dictionary: Vec<Vec<u8>> = TOKENS.iter().map(|t| t.as_bytes().to_vec()).collect();
        let mut lexicons = Vec::new();
        collect_tsv(&root.join("models"), &mut lexicons);
        lexicons.sort();
        for path in lexicons {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
                let pattern = line.split('\t').next().unwrap_or("").trim_start_matches('^').trim_end_matches('$');
                if !pattern.is_empty() {
                    dictionary.push(pattern.as_bytes().to_vec());
                }
            }
        }
        Corpus { seeds, dictionary }
    }

    fn token(&self, rng: &mut Rng) -> Vec<u8> {
        let mut token = rng.pick(&self.dictionary).clone();
        match rng.below(4) {
            0 => token.make_ascii_uppercase(),
            1 => {
                if let Some(first) = token.first_mut() {
                    first.make_ascii_uppercase();
                }
            }
            _ => {}
        }
        token
    }

    /// A text made of lines of tokens and words: prose, prompts, menus, repeats.
    fn generate(&self, rng: &mut Rng) -> Vec<u8> {
        let mut out = Vec::new();
        let lines = 1 + rng.size(8, 400, 30);
        let mut previous: Vec<u8> = Vec::new();
        for _ in 0..lines {
            let mut line = Vec::new();
            if rng.one_in(6) && !previous.is_empty() {
                line = previous.clone(); // repetition
            } else {
                for _ in 0..rng.size(4, 40, 8) {
                    if rng.one_in(2) {
                        line.extend(self.token(rng));
                    } else {
                        line.extend_from_slice(
                            rng.pick(&["the", "minister", "said", "Home", "you", "a", "news", "plan"]).as_bytes(),
                        );
                    }
                    line.push(*rng.pick(b"   ,.  "));
                }
            }
            out.extend_from_slice(&line);
            out.extend_from_slice(rng.pick(&["\n", "\n", "\n\n", "\r\n"]).as_bytes());
            previous = line;
        }
        out
    }

    /// A mutated seed, spliced seed or generated text.
    fn input(&self, rng: &mut Rng) -> Vec<u8> {
        let mut data = if rng.one_in(6) { self.generate(rng) } else { rng.pick(&self.seeds).1.clone() };
        let rounds = 1 + rng.size(4, 24, 6);
        for _ in 0..rounds {
            self.mutate(rng, &mut data);
        }
        data.truncate(MAX_LEN);
        data
    }

    fn mutate(&self, rng: &mut Rng, data: &mut Vec<u8>) {
        let len = data.len();
        let at = rng.below(len + 1);
        match rng.below(15) {
            0 if len > 0 => data[at.min(len - 1)] ^= 1 << rng.below(8),
            1 if len > 0 => data[at.min(len - 1)] = rng.next() as u8,
            2 if len > 0 => data[at.min(len - 1)] = *rng.pick(b"\0\x7f\x80\xbf\xc3\xe2\xef\xf0\xff\n\r\"\\,{} \t.=|"),
            3 | 4 => {
                let token = self.token(rng);
                // Often at the start of a line, where anchored phrases match.
                let at = if rng.one_in(2) { line_start(data, at) } else { at };
                data.splice(at..at, token);
            }
            5 => {
                let br = rng.pick(&["\n", "\r\n", "\r", "\n\n", "\r\r\n"]).as_bytes().to_vec();
                data.splice(at..at, br);
            }
            6 if len > 0 => {
                let end = (at + 1 + rng.size(4, len, 64)).min(len);
                data.drain(at.min(len - 1)..end);
            }
            7 if len > 0 => {
                let from = rng.below(len);
                let to = (from + 1 + rng.below(256)).min(len);
                let chunk = data[from..to].to_vec();
                let at = rng.below(data.len() + 1);
                data.splice(at..at, chunk);
            }
            8 if len > 0 => {
                // Repeat a chunk: long lines, thousands of lines, repeated passages.
                let from = rng.below(len);
                let to = (from + 1 + rng.below(80)).min(len);
                let times = if rng.one_in(16) {
                    2 + MAX_LEN.saturating_sub(len) / (to - from)
                } else {
                    2 + rng.size(4, 3000, 40)
                };
                let chunk = data[from..to].repeat(times);
                let room = MAX_LEN.saturating_sub(len);
                data.splice(to..to, chunk.into_iter().take(room));
            }
            9 => {
                let other = &rng.pick(&self.seeds).1;
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let to = (from + 1 + rng.below(512)).min(other.len());
                    data.splice(at..at, other[from..to].iter().copied());
                }
            }
            10 => {
                let c = random_char(rng);
                let mut buffer = [0u8; 4];
                data.splice(at..at, c.encode_utf8(&mut buffer).bytes());
            }
            11 if len > 0 => {
                let end = (at + rng.below(200)).min(len);
                let upper = rng.one_in(2);
                for b in &mut data[at.min(end)..end] {
                    if upper { b.make_ascii_uppercase() } else { b.make_ascii_lowercase() }
                }
            }
            12 => data.truncate(at),
            13 => {
                let generated = self.generate(rng);
                data.splice(line_start(data, at)..line_start(data, at), generated);
            }
            _ if len > 0 => {
                // Wrap a range in quotation marks.
                let end = (at + rng.below(40)).min(len);
                let (open, close) = *rng.pick(&[("\"", "\""), ("“", "”"), ("‘", "’"), ("«", "»"), ("'", "'")]);
                data.splice(end..end, close.bytes());
                data.splice(at..at, open.bytes());
            }
            _ => data.extend(self.token(rng)),
        }
        if data.len() > MAX_LEN {
            data.truncate(MAX_LEN);
        }
    }
}

fn line_start(data: &[u8], at: usize) -> usize {
    data[..at.min(data.len())].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
}

fn random_char(rng: &mut Rng) -> char {
    let code = match rng.below(5) {
        0 => rng.below(0x80) as u32,
        1 => rng.below(0x800) as u32,
        2 => rng.below(0x1_0000) as u32,
        3 => 0x1_0000 + rng.below(0x10_0000) as u32,
        _ => *rng.pick(&[0x130, 0x212a, 0x1e9e, 0x3a3, 0x1c5, 0xfb01, 0x2028, 0x85, 0xfeff, 0x301, 0x200d, 0xfffd]),
    };
    char::from_u32(code).unwrap_or('\u{fffd}')
}

fn collect_tsv(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_tsv(&path, out);
        } else if path.extension().is_some_and(|e| e == "tsv") {
            out.push(path);
        }
    }
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(Corpus::load)
}

/// Produces the input of one case (by default a mutated seed).
type Producer = fn(&mut Rng, &Corpus) -> Vec<u8>;

fn mutated(rng: &mut Rng, corpus: &Corpus) -> Vec<u8> {
    corpus.input(rng)
}

/// Runs `target` on produced inputs until the budget is spent; panics with a summary if
/// any case failed or was too slow.
fn fuzz(name: &str, produce: Producer, target: &dyn Fn(&[u8], u64)) {
    install_panic_hook();
    let seconds = env_u64("RESIDUE_FUZZ_SECONDS");
    let cases = env_u64("RESIDUE_FUZZ_CASES").or(if seconds.is_some() { None } else { Some(1_000_000) });
    let per_target_cases = cases.map(|c| (c / TARGETS).max(1));
    let deadline = seconds.map(|s| Instant::now() + Duration::from_secs_f64(s as f64 / TARGETS as f64));
    let slow = Duration::from_millis(env_u64("RESIDUE_FUZZ_SLOW_MS").unwrap_or(2000));
    let seed = env_u64("RESIDUE_FUZZ_SEED").unwrap_or(0x5eed_1234_abcd_0001);
    let mut rng = Rng::new(
        seed ^ name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3)),
    );
    let out = out_dir();
    let corpus = corpus();
    let mut current = std::fs::File::create(out.join(format!("{name}.current"))).unwrap();

    let started = Instant::now();
    let mut done = 0u64;
    let mut failures: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut failing_cases = 0u64;
    let mut slow_cases: Vec<(Duration, usize, PathBuf)> = Vec::new();
    let mut slowest = Duration::ZERO;
    let mut bytes = 0u64;

    // Every seed once, unmutated, then mutations.
    let mut seeds = corpus.seeds.iter().map(|(_, s)| s.clone());
    loop {
        if per_target_cases.is_some_and(|c| done >= c) || deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let data = seeds.next().unwrap_or_else(|| produce(&mut rng, corpus));
        let params = rng.next();
        let _ = current.set_len(0);
        let _ = current.rewind();
        let _ = current.write_all(&params.to_le_bytes());
        let _ = current.write_all(&data);
        let case_started = Instant::now();
        let result = run_case(target, &data, params);
        let elapsed = case_started.elapsed();
        done += 1;
        bytes += data.len() as u64;
        slowest = slowest.max(elapsed);
        if let Err(failure) = result {
            failing_cases += 1;
            let key = failure_key(&failure);
            if !failures.contains_key(&key) && failures.len() < 20 {
                let n = failures.len();
                let minimal = minimise(target, &data, params, &key);
                let base = out.join(format!("{name}-{n}"));
                std::fs::write(base.with_extension("bin"), &data).unwrap();
                std::fs::write(base.with_extension("min.bin"), &minimal).unwrap();
                let note = format!(
                    "target {name}\nparams {params:#x}\nfailure {failure}\ninput {} bytes, minimal {} bytes\nminimal (debug): {:?}\n",
                    data.len(),
                    minimal.len(),
                    String::from_utf8_lossy(&minimal).chars().take(2000).collect::<String>()
                );
                std::fs::write(base.with_extension("txt"), &note).unwrap();
                eprintln!("[{name}] FAILURE {n}: {failure}\n  saved {}", base.with_extension("min.bin").display());
                failures.insert(key, (n, failure));
            }
        } else if elapsed > slow {
            let path = out.join(format!("{name}-slow-{}.bin", slow_cases.len()));
            if slow_cases.len() < 5 {
                std::fs::write(&path, &data).unwrap();
                eprintln!("[{name}] SLOW case: {elapsed:?} on {} bytes, saved {}", data.len(), path.display());
            }
            slow_cases.push((elapsed, data.len(), path));
        }
    }
    let summary = format!(
        "[{name}] {done} cases, {:.1} MB, {:.1?} in all, slowest case {slowest:.1?}; {failing_cases} failing cases, {} distinct failures, {} cases slower than {slow:?} (seed {seed:#x})\n",
        bytes as f64 / 1e6,
        started.elapsed(),
        failures.len(),
        slow_cases.len(),
    );
    eprint!("{summary}");
    if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(out.join("summary.txt")) {
        let _ = file.write_all(summary.as_bytes());
    }
    let mut problems: Vec<String> = failures.values().map(|(n, f)| format!("#{n}: {f}")).collect();
    problems
        .extend(slow_cases.iter().take(5).map(|(t, len, p)| format!("slow: {t:?} on {len} bytes ({})", p.display())));
    assert!(problems.is_empty(), "{summary}{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------
// Invariants (as in tests/properties.rs)
// ---------------------------------------------------------------------------------------

fn scorer() -> &'static Scorer {
    static SCORER: OnceLock<Scorer> = OnceLock::new();
    SCORER.get_or_init(|| Scorer::new(Model::embedded().expect("embedded model")).expect("scorer"))
}

/// Scorers with an analysis limit that cuts records (inside characters and lines).
fn limited_scorer(which: u64) -> &'static Scorer {
    static SCORERS: OnceLock<[Scorer; 2]> = OnceLock::new();
    let scorers = SCORERS.get_or_init(|| {
        [61, 4099].map(|limit| {
            Scorer::new(Model::embedded().expect("embedded model")).expect("scorer").with_analysis_limit(limit)
        })
    });
    &scorers[(which % 2) as usize]
}

/// Whether the check of a known, reported bug is skipped (see `RESIDUE_FUZZ_KNOWN`).
fn known(tag: &str) -> bool {
    static KNOWN: OnceLock<Vec<String>> = OnceLock::new();
    KNOWN
        .get_or_init(|| {
            std::env::var("RESIDUE_FUZZ_KNOWN").unwrap_or_default().split(',').map(|t| t.trim().to_string()).collect()
        })
        .iter()
        .any(|t| t == tag)
}

macro_rules! ensure {
    ($cond:expr, $($arg:tt)+) => {
        if !$cond {
            panic!("invariant: {}", format_args!($($arg)+));
        }
    };
}

/// Panics with an invariant's message, as the harness expects of a broken invariant.
fn holds(check: Result<(), String>) {
    if let Err(e) = check {
        panic!("invariant: {e}");
    }
}

/// Writes rows as CSV and checks they parse back into the header and 15 safe cells each.
fn check_csv_rows(rows: &[ReportRow], bom: bool) {
    let mut report = CsvReport::new(Vec::new(), bom).expect("CsvReport::new");
    for row in rows {
        report.write(row).expect("CsvReport::write");
    }
    let bytes = report.into_inner().expect("CsvReport::into_inner");
    let body = if bom {
        ensure!(bytes.starts_with("\u{feff}".as_bytes()), "no byte-order mark");
        &bytes[3..]
    } else {
        &bytes[..]
    };
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("invariant: the CSV does not parse: {e}"));
    ensure!(records.len() == rows.len() + 1, "{} CSV records for a header and {} rows", records.len(), rows.len());
    ensure!(records[0].iter().eq(CSV_HEADER.iter().copied()), "header {:?}", records[0]);
    for (row, cells) in rows.iter().zip(&records[1..]) {
        ensure!(cells.len() == 15, "{} fields: {cells:?}", cells.len());
        for (index, cell) in cells.iter().enumerate() {
            ensure!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']),
                "cell {index} ({}) starts with a formula character: {cell:?}",
                CSV_HEADER[index]
            );
            ensure!(cell == spreadsheet_safe(&row.0[index]), "cell {index} does not read back: {cell:?}");
        }
        for index in [4, 5, 6, 7, 8, 9, 11, 12] {
            let cell = &cells[index];
            let value: f64 = cell.parse().unwrap_or(f64::NAN);
            ensure!(
                (0.0..=1.0).contains(&value) && cell.len() == 5 || cell == "'-0.000" && known("negative-zero"),
                "{} = {cell:?} is not a 3-decimal number in 0..=1",
                CSV_HEADER[index]
            );
        }
        ensure!(["keep", "review", "drop"].contains(&&cells[13]), "verdict {:?}", &cells[13]);
    }
}

// ---------------------------------------------------------------------------------------
// Reading helpers and oracles
// ---------------------------------------------------------------------------------------

/// A per-thread scratch folder for the reader targets.
fn scratch() -> PathBuf {
    thread_local! {
        static DIR: TempDir = TempDir::new().expect("temporary folder");
    }
    DIR.with(|d| d.path().to_path_buf())
}

/// The outcome of one record, without the path (which differs between files).
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Row { id: String, text: String, line: u64 },
    Failed { line: u64, message: String },
}

fn read_all(path: &Path, id: &str) -> Vec<Result<Record, Error>> {
    let file = InputFile { path: path.to_path_buf(), id: id.to_string() };
    let mut out = Vec::new();
    input::read_file(&file, &InputOptions::default(), &mut |item| {
        out.push(item);
        true
    });
    out
}

fn outcomes(results: &[Result<Record, Error>]) -> Vec<Outcome> {
    results
        .iter()
        .map(|r| match r {
            Ok(record) => Outcome::Row { id: record.id.clone(), text: record.text.clone(), line: record.origin.line },
            Err(Error::Record { line, message, .. }) => Outcome::Failed { line: *line, message: message.clone() },
            Err(other) => panic!("invariant: a record error without a line: {other}"),
        })
        .collect()
}

/// Every record read is scored, and its assessment keeps the invariants.
fn assess_records(results: &[Result<Record, Error>]) {
    for record in results.iter().flatten() {
        let a = scorer().assess(&record.text);
        holds(common::check_assessment(&record.text, &a));
    }
}

/// What the JSONL reader should make of a file: one outcome per line with text.
fn jsonl_oracle(data: &[u8], id: &str) -> Vec<(u64, Option<(String, String)>)> {
    let mut expected = Vec::new();
    let mut pieces: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if data.ends_with(b"\n") {
        pieces.pop();
    }
    for (index, raw) in pieces.iter().enumerate() {
        let number = index as u64 + 1;
        let line = String::from_utf8_lossy(raw);
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        let row = match serde_json::from_str::<serde_json::Value>(line) {
            Ok(serde_json::Value::Object(fields)) => match fields.get("text") {
                Some(serde_json::Value::String(text)) => {
                    let record_id = match fields.get("id") {
                        Some(serde_json::Value::String(s)) => s.clone(),
                        Some(serde_json::Value::Number(n)) => n.to_string(),
                        Some(serde_json::Value::Bool(b)) => b.to_string(),
                        _ => format!("{id}:{number}"),
                    };
                    Some((record_id, text.clone()))
                }
                _ => None,
            },
            _ => None,
        };
        expected.push((number, row));
    }
    expected
}

fn check_jsonl(data: &[u8], id: &str, results: &[Result<Record, Error>]) {
    let expected = jsonl_oracle(data, id);
    let got = outcomes(results);
    ensure!(
        got.len() == expected.len(),
        "{} outcomes for {} non-empty lines: {:?}",
        got.len(),
        expected.len(),
        got.iter()
            .map(|o| match o {
                Outcome::Row { line, .. } | Outcome::Failed { line, .. } => *line,
            })
            .collect::<Vec<_>>()
    );
    for (outcome, (number, row)) in got.iter().zip(&expected) {
        match (outcome, row) {
            (Outcome::Row { id, text, line }, Some((want_id, want_text))) => {
                ensure!(line == number, "a row for line {number} says line {line}");
                ensure!(id == want_id && text == want_text, "line {number} read as {id:?} {text:?}");
            }
            (Outcome::Failed { line, .. }, None) => ensure!(line == number, "an error for line {number} says {line}"),
            (other, want) => panic!("invariant: line {number} gave {other:?}, expected {want:?}"),
        }
    }
}

fn gzip(data: &[u8], level: u32) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// Reads `plain` compressed by `compress` (in `members` members or frames), maybe corrupted,
/// and compares with reading it uncompressed.
fn check_compressed(data: &[u8], params: u64, extension: &str, compress: &dyn Fn(&[u8], u32) -> Vec<u8>) {
    let dir = scratch();
    let format = if params & 1 == 0 { "jsonl" } else { "txt" };
    let mode = (params >> 1) % 10;
    let level = ((params >> 8) % 9) as u32 + 1;
    let plain_path = dir.join(format!("plain.{format}"));
    let packed_path = dir.join(format!("packed.{format}.{extension}"));
    std::fs::write(&plain_path, data).unwrap();
    let plain = read_all(&plain_path, "fuzz");
    match mode {
        // Raw bytes under a compressed name: an error, never a panic.
        0 => {
            std::fs::write(&packed_path, data).unwrap();
            let results = read_all(&packed_path, "fuzz");
            let _ = outcomes(&results);
            assess_records(&results);
        }
        // Truncated inside the stream: the records before the cut, then an error.
        1 | 2 => {
            let packed = compress(data, level);
            let cut = 1 + ((params >> 16) as usize) % packed.len().saturating_sub(1).max(1);
            let cut = cut.min(packed.len() - 1);
            std::fs::write(&packed_path, &packed[..cut]).unwrap();
            let results = read_all(&packed_path, "fuzz");
            let got = outcomes(&results);
            let want = outcomes(&plain);
            ensure!(
                matches!(got.last(), Some(Outcome::Failed { .. })),
                "a stream cut at {cut} of {} bytes read without an error: {} outcomes",
                packed.len(),
                got.len()
            );
            if format == "jsonl" {
                let rows = &got[..got.len() - 1];
                ensure!(
                    rows.len() <= want.len() && want[..rows.len()] == *rows,
                    "a truncated stream gave other records"
                );
            }
            assess_records(&results);
        }
        // Corrupted: anything but a panic.
        3 => {
            let mut packed = compress(data, level);
            let mut state = Rng::new(params);
            for _ in 0..1 + state.below(4) {
                let at = state.below(packed.len());
                packed[at] ^= 1 << state.below(8);
            }
            std::fs::write(&packed_path, &packed).unwrap();
            let results = read_all(&packed_path, "fuzz");
            let _ = outcomes(&results);
            assess_records(&results);
        }
        // Intact, in one to three members/frames: the same outcomes as the plain file.
        _ => {
            let members = 1 + (mode as usize % 3);
            let mut packed = Vec::new();
            let step = data.len().div_ceil(members).max(1);
            for chunk in data.chunks(step) {
                packed.extend(compress(chunk, level));
            }
            if data.is_empty() {
                packed = compress(data, level);
            }
            std::fs::write(&packed_path, &packed).unwrap();
            let results = read_all(&packed_path, "fuzz");
            ensure!(outcomes(&results) == outcomes(&plain), "the compressed file reads differently from the plain one");
            assess_records(&results);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Producers for structured inputs
// ---------------------------------------------------------------------------------------

/// JSONL: records with mutated texts and ids, mixed with mutated lines; sometimes mutated again.
fn produce_jsonl(rng: &mut Rng, corpus: &Corpus) -> Vec<u8> {
    if rng.one_in(3) {
        return corpus.input(rng);
    }
    let mut out = Vec::new();
    for _ in 0..1 + rng.below(12) {
        let text = String::from_utf8_lossy(&corpus.input(rng)[..]).chars().take(4000).collect::<String>();
        let line = match rng.below(8) {
            0..=3 => {
                let mut object = serde_json::Map::new();
                if !rng.one_in(4) {
                    object.insert("id".into(), format!("r{}", rng.below(1000)).into());
                }
                if rng.one_in(3) {
                    object.insert("url".into(), "https://www.Example.org/a?b=1".into());
                }
                object.insert("text".into(), text.into());
                serde_json::Value::Object(object).to_string()
            }
            4 => serde_json::json!({"id": rng.next() as i64, "text": text}).to_string(),
            5 => rng
                .pick(&["[1,2]", "\"s\"", "null", "42", "{\"text\": 5}", "{\"text\": null}", "{\"id\": \"x\"}"])
                .to_string(),
            6 => text.replace('\n', " "),
            _ => String::new(),
        };
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(rng.pick(&["\n", "\n", "\r\n", "\n\n"]).as_bytes());
    }
    if rng.one_in(3) {
        for _ in 0..1 + rng.below(4) {
            corpus.mutate(rng, &mut out);
        }
    }
    out
}

/// CSV: rows written with the csv crate from mutated cells (quoted newlines, quotes), ragged
/// rows, sometimes mutated again.
fn produce_csv(rng: &mut Rng, corpus: &Corpus) -> Vec<u8> {
    if rng.one_in(3) {
        return corpus.input(rng);
    }
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    const HEADERS: [&[&str]; 4] =
        [&["id", "url", "title", "text"], &["text"], &["id", "body"], &["\u{feff}id", "text", "text"]];
    let header = *rng.pick(&HEADERS);
    writer.write_record(header).unwrap();
    for _ in 0..rng.below(10) {
        let width = if rng.one_in(4) { rng.below(7) } else { header.len() };
        let cells: Vec<String> =
            (0..width).map(|_| String::from_utf8_lossy(&corpus.input(rng)).chars().take(2000).collect()).collect();
        writer.write_record(&cells).unwrap();
    }
    let mut out = writer.into_inner().unwrap();
    if rng.one_in(3) {
        for _ in 0..1 + rng.below(4) {
            corpus.mutate(rng, &mut out);
        }
    }
    out
}

/// Text for the segmentation and scoring targets: the bytes read lossily, or as UTF-16.
fn text_of(data: &[u8], params: u64) -> String {
    if params.is_multiple_of(7) {
        let units = data.chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]]));
        char::decode_utf16(units).map(|c| c.unwrap_or('\u{fffd}')).collect()
    } else {
        String::from_utf8_lossy(data).into_owned()
    }
}

/// A float the CSV writer must render as a 3-decimal number in 0..=1.
fn similarity_of(params: u64) -> f32 {
    let interesting =
        [0.0, 1.0, 0.9995, 0.0005, 1.0005, f32::NAN, f32::INFINITY, f32::NEG_INFINITY, f32::MIN_POSITIVE, -0.0];
    match params % 3 {
        0 => interesting[(params >> 8) as usize % interesting.len()],
        1 => ((params >> 8) % 1_000_001) as f32 / 1_000_000.0,
        _ => f32::from_bits((params >> 16) as u32),
    }
}

// ---------------------------------------------------------------------------------------
// The targets
// ---------------------------------------------------------------------------------------

#[test]
#[ignore]
fn fuzz_read_txt() {
    fuzz("read_txt", mutated, &|data, _| {
        let path = scratch().join("input.txt");
        std::fs::write(&path, data).unwrap();
        let results = read_all(&path, "doc.txt");
        ensure!(results.len() == 1, "{} outcomes for one text file", results.len());
        let utf16 = data.starts_with(&[0xFF, 0xFE]) || data.starts_with(&[0xFE, 0xFF]);
        match &results[0] {
            Ok(record) => {
                ensure!(utf16 || !data.contains(&0), "a file with NUL bytes was read as text");
                ensure!(
                    record.id == "doc.txt" && record.origin.line == 1,
                    "id {:?} line {}",
                    record.id,
                    record.origin.line
                );
                if !utf16 {
                    let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
                    ensure!(record.text == String::from_utf8_lossy(body), "the text is not the file's text");
                }
            }
            Err(Error::Record { line: 1, .. }) => ensure!(!utf16 && data.contains(&0), "a text file was refused"),
            Err(other) => panic!("invariant: unexpected error {other}"),
        }
        assess_records(&results);
    });
}

#[test]
#[ignore]
fn fuzz_read_jsonl() {
    fuzz("read_jsonl", produce_jsonl, &|data, _| {
        let path = scratch().join("input.jsonl");
        std::fs::write(&path, data).unwrap();
        let results = read_all(&path, "in.jsonl");
        check_jsonl(data, "in.jsonl", &results);
        assess_records(&results);
    });
}

#[test]
#[ignore]
fn fuzz_read_csv() {
    fuzz("read_csv", produce_csv, &|data, _| {
        let path = scratch().join("input.csv");
        std::fs::write(&path, data).unwrap();
        let results = read_all(&path, "in.csv");
        // The oracle: the rows the csv crate reads, each a record or an error, in order, on
        // the line of its first byte (past the blank lines the crate's position still points
        // at), where `\r`, `\n` and `\r\n` each end a line.
        let mut line_starts = Vec::with_capacity(data.len() + 1);
        let mut line = 1u64;
        for (i, &b) in data.iter().enumerate() {
            line_starts.push(line);
            if b == b'\r' || (b == b'\n' && (i == 0 || data[i - 1] != b'\r')) {
                line += 1;
            }
        }
        line_starts.push(line);
        let line_at = |mut at: usize| {
            while at < data.len() && matches!(data[at], b'\r' | b'\n') {
                at += 1;
            }
            line_starts[at.min(data.len())]
        };
        let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(data);
        let header_ok = reader.byte_headers().is_ok();
        let mut lines = Vec::new();
        let mut texts = Vec::new();
        let mut row = csv::ByteRecord::new();
        let mut ended_with_error = false;
        if header_ok {
            loop {
                match reader.read_byte_record(&mut row) {
                    Ok(true) => {
                        lines.push(row.position().map_or(0, |p| line_at(p.byte() as usize)));
                        texts.push(row.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>());
                    }
                    Ok(false) => break,
                    Err(_) => {
                        ended_with_error = true;
                        break;
                    }
                }
            }
        }
        let got = outcomes(&results);
        let expected = lines.len() + usize::from(ended_with_error || !header_ok);
        ensure!(got.len() == expected, "{} outcomes for {} rows", got.len(), expected);
        for (k, outcome) in got.iter().enumerate().take(lines.len()) {
            match outcome {
                Outcome::Row { line, text, id } => {
                    ensure!(*line == lines[k], "row {k} says line {line}, it starts on line {}", lines[k]);
                    ensure!(texts[k].contains(text), "row {k} text {text:?} is not one of its cells");
                    ensure!(!id.is_empty() || known("empty-id"), "row {k} has an empty id");
                }
                Outcome::Failed { line, .. } => ensure!(*line == lines[k], "error {k} says line {line}"),
            }
        }
        let mut previous = 1;
        for outcome in &got {
            let (Outcome::Row { line, .. } | Outcome::Failed { line, .. }) = outcome;
            let increases = match outcome {
                Outcome::Row { .. } => *line > previous,
                // The error that ends a file may stand on the line of the last row.
                Outcome::Failed { .. } => *line >= previous || (*line == 1 && !header_ok),
            };
            ensure!(increases || known("csv-cr-lines"), "line numbers do not increase: {line} after {previous}");
            previous = *line;
        }
        assess_records(&results);
    });
}

#[test]
#[ignore]
fn fuzz_read_gz() {
    fuzz("read_gz", produce_jsonl, &|data, params| check_compressed(data, params, "gz", &gzip));
}

#[test]
#[ignore]
fn fuzz_read_zst() {
    let zstd = |data: &[u8], level: u32| zstd::encode_all(data, level as i32).unwrap();
    fuzz("read_zst", produce_jsonl, &|data, params| check_compressed(data, params, "zst", &zstd));
}

#[test]
#[ignore]
fn fuzz_analysis() {
    fuzz("analysis", mutated, &|data, params| {
        let text = text_of(data, params);
        let limit = if params % 4 == 0 { ((params >> 8) as usize) % (text.len() + 2) + 1 } else { usize::MAX };
        let analysis = Analysis::new(&text, limit);
        holds(common::check_analysis(&text, &analysis));
    });
}

#[test]
#[ignore]
fn fuzz_assess() {
    fuzz("assess", mutated, &|data, params| {
        let text = text_of(data, params);
        let scorer = if params % 5 == 0 { limited_scorer(params >> 8) } else { scorer() };
        let a = scorer.assess(&text);
        holds(common::check_assessment(&text, &a));
    });
}

#[test]
#[ignore]
fn fuzz_assess_generated() {
    // Generated articles (prose, prompts, menus, repeats) reach the detectors' deeper rules.
    fuzz("assess_generated", |rng, corpus| corpus.generate(rng), &|data, _| {
        let text = String::from_utf8_lossy(data);
        let a = scorer().assess(&text);
        holds(common::check_assessment(&text, &a));
    });
}

#[test]
#[ignore]
fn fuzz_csv_writer() {
    fuzz("csv_writer", mutated, &|data, params| {
        // Fields separated by 0x1F: text, id, source, title, rewrite id.
        let text = String::from_utf8_lossy(data);
        let mut fields = text.split('\u{1f}');
        let body = fields.next().unwrap_or("");
        let id = fields.next().unwrap_or("=id");
        let source = fields.next().unwrap_or("-source");
        let title = fields.next();
        let rewrite = fields.next().map(|of| (of, similarity_of(params)));
        let a = scorer().assess(body);
        let row = ReportRow::new(id, source, title, &a, rewrite);
        let other = ReportRow::new(body, title.unwrap_or(""), None, &a, None);
        check_csv_rows(&[row, other], params & 1 == 1);
    });
}

#[test]
#[ignore]
fn fuzz_explain_jsonl() {
    fuzz("explain_jsonl", mutated, &|data, params| {
        let text = text_of(data, params);
        let a = scorer().assess(&text);
        let analysis = &a.analysis;
        // The objects of `residue explain --format jsonl` (commands::explain_jsonl).
        let mut by_line = vec![Vec::new(); analysis.lines.len()];
        for finding in &a.findings {
            by_line[finding.line].push(finding);
        }
        let mut out = String::new();
        for (index, findings) in by_line.iter().enumerate() {
            let rules: Vec<serde_json::Value> = findings
                .iter()
                .map(|f| {
                    serde_json::json!({
                        "code": f.rule,
                        "phrase": f.phrase(analysis),
                        "weight": (f64::from(f.weight) * 1000.0).round() / 1000.0,
                    })
                })
                .collect();
            let mut object = serde_json::Map::new();
            object.insert("line".into(), (index + 1).into());
            object.insert("label".into(), a.labels.labels[index].as_str().into());
            object.insert("text".into(), analysis.line_text(index).into());
            object.insert("rules".into(), rules.into());
            object.insert("id".into(), "doc".into());
            let line = serde_json::Value::Object(object).to_string();
            ensure!(!line.contains('\n') && !line.contains('\r'), "a JSONL line holds a raw line break");
            out.push_str(&line);
            out.push('\n');
        }
        let parsed: Vec<serde_json::Value> =
            out.lines().map(|l| serde_json::from_str(l).expect("explain line parses")).collect();
        ensure!(
            parsed.len() == analysis.lines.len(),
            "{} JSONL lines for {} lines",
            parsed.len(),
            analysis.lines.len()
        );
        for (index, value) in parsed.iter().enumerate() {
            ensure!(value["line"] == index + 1, "line number {}", value["line"]);
            ensure!(value["text"] == analysis.line_text(index), "text of line {index} does not read back");
            ensure!(
                ["content", "paywall", "widget", "filler"].contains(&value["label"].as_str().unwrap_or("")),
                "label {}",
                value["label"]
            );
            for (rule, finding) in value["rules"].as_array().unwrap().iter().zip(&by_line[index]) {
                ensure!(rule["weight"].is_number(), "weight {} is not a number", rule["weight"]);
                ensure!(rule["phrase"] == finding.phrase(analysis), "phrase does not read back");
                ensure!(rule["code"] == finding.rule, "code does not read back");
            }
        }
        // The record of `residue clean --annotate` (commands::cleaned_record).
        let mut fields = serde_json::Map::new();
        fields.insert("id".into(), "doc".into());
        let cleaned = a.cleaned_text(&[LineLabel::Paywall, LineLabel::Widget]);
        fields.insert("text".into(), cleaned.clone().into());
        let round = |v: f32| serde_json::Value::from((f64::from(v) * 1000.0).round() / 1000.0);
        let s = a.scores;
        let annotation = serde_json::json!({
            "words": analysis.words, "paywall": round(s.paywall), "widget": round(s.widget), "filler": round(s.filler),
            "framing": round(s.framing), "repetition": round(s.repetition),
            "boilerplate_share": round(a.boilerplate_share), "credibility": round(a.credibility),
            "verdict": a.verdict.as_str(), "evidence": a.evidence(EVIDENCE_ITEMS),
        });
        fields.insert("residue".into(), annotation);
        let line = serde_json::Value::Object(fields).to_string();
        ensure!(!line.contains('\n'), "a clean record holds a raw line break");
        let back: serde_json::Value = serde_json::from_str(&line).expect("clean record parses");
        ensure!(back["text"] == cleaned, "the cleaned text does not read back");
        for key in ["paywall", "widget", "filler", "framing", "repetition", "boilerplate_share", "credibility"] {
            let value = back["residue"][key].as_f64();
            ensure!(value.is_some_and(|v| (0.0..=1.0).contains(&v)), "annotation {key} = {}", back["residue"][key]);
        }
    });
}

/// Reads `data` as `name` with `limits`.
fn read_limited(path: &Path, id: &str, limits: Limits) -> Vec<Result<Record, Error>> {
    let file = InputFile { path: path.to_path_buf(), id: id.to_string() };
    let mut out = Vec::new();
    input::read_file_with(&file, &InputOptions::default(), limits, &mut |item| {
        out.push(item);
        true
    });
    out
}

fn line_of(result: &Result<Record, Error>) -> u64 {
    match result {
        Ok(record) => record.origin.line,
        Err(Error::Record { line, .. }) => *line,
        Err(other) => panic!("invariant: an error without a line: {other}"),
    }
}

fn too_long(result: &Result<Record, Error>) -> bool {
    matches!(result, Err(Error::Record { message, .. }) if message.starts_with("record longer than"))
}

/// Reading with limits gives the outcomes of reading whole (`common::check_limited_read`).
fn check_limited(limited: &[Result<Record, Error>], whole: &[Result<Record, Error>]) {
    holds(common::check_limited_read(limited, whole, scorer()));
}

#[test]
#[ignore]
fn fuzz_read_limited() {
    // Any of the inputs, read as text (plain or gzip), JSONL or CSV with a small text limit
    // and, half the time, a small record cap.
    let produce: Producer = |rng, corpus| match rng.below(3) {
        0 => corpus.input(rng),
        1 => produce_jsonl(rng, corpus),
        _ => produce_csv(rng, corpus),
    };
    fuzz("read_limited", produce, &|data, params| {
        let name = ["input.txt", "input.jsonl", "input.csv", "input.txt.gz"][(params % 4) as usize];
        let text_bytes = 1 + ((params >> 8) % 300) as usize;
        let record_bytes = if (params >> 20) & 1 == 0 { 1 << 20 } else { 1 + ((params >> 24) % 600) as usize };
        let path = scratch().join(name);
        std::fs::write(&path, if name.ends_with(".gz") { gzip(data, 1) } else { data.to_vec() }).unwrap();
        let whole = read_limited(&path, name, Limits::default());
        let limited = read_limited(&path, name, Limits { text_bytes, record_bytes });
        // The line of the CSV header: past leading blank lines (`\r\n` one line break).
        let blank = data.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        let header_line = 1 + (0..blank).filter(|&i| data[i] == b'\r' || i == 0 || data[i - 1] != b'\r').count() as u64;
        if name.ends_with(".csv") && limited.first().is_some_and(|r| too_long(r) && line_of(r) == header_line) {
            // The header row itself was over the cap: the file ends there.
            ensure!(limited.len() == 1, "{} outcomes after an over-cap header", limited.len());
            return;
        }
        check_limited(&limited, &whole);
        assess_records(&limited);
    });
}
