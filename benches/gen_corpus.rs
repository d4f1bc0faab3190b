//! Writes a synthetic but realistic JSONL corpus of any size for the throughput measurements.
//!
//! Records are `{"id","url","title","text"}`, built at run time from the articles in
//! `fixtures/*.txt`: their prose paragraphs, headlines and residue blocks (navigation, cookie
//! banners, comment forms, share bars, paywall prompts) are recombined into articles of varied
//! length, and perturbed (word swaps and substitutions, new numbers and proper names, some
//! non-ASCII text) so that the corpus does not compress to nothing. Ids and URLs are random,
//! over about 200 hosts. Everything comes from one seeded generator: the same seed and
//! fixtures give the same bytes.
//!
//! ```sh
//! cargo bench --bench gen_corpus -- --mb 200 --out /tmp/corpus.jsonl [--gz] [--zst] [--seed N]
//! ```
//!
//! `--mb` counts 1,000,000 bytes of the plain JSONL; `--gz` and `--zst` also write
//! `OUT.gz` and `OUT.zst` with the same records. Without `--out` it prints its usage and exits
//! successfully (so that a bare `cargo bench` does not fail on it).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// SplitMix64: small, fast, and good enough to shuffle text deterministically.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A standard normal variate (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Non-ASCII words and phrases slipped into some paragraphs.
const NON_ASCII: &[&str] = &[
    "café",
    "Zürich",
    "naïve",
    "€4.5m",
    "São Paulo",
    "Łódź",
    "Kraków",
    "résumé",
    "Müller",
    "façade",
    "Øresund",
    "Ærøskøbing",
    "déjà vu",
    "«non»",
    "Москва",
    "Αθήνα",
    "東京",
    "Göteborg",
    "Ångström",
    "crème brûlée",
    "—",
    "±2°C",
    "São Tomé",
    "Île-de-France",
];

const SYLLABLES: &[&str] = &[
    "kel", "lin", "bro", "ash", "dun", "mor", "ter", "val", "sta", "ford", "ham", "wick", "bury", "dale", "ton",
    "mere", "gate", "holm", "ra", "vi", "an", "del", "ker", "son", "ley", "wood", "cas", "tor", "nel", "pri",
];

const OUTLETS: &[&str] =
    &["news", "times", "post", "herald", "gazette", "daily", "record", "chronicle", "wire", "mail"];
const TLDS: &[&str] = &["com", "co.uk", "org", "net", "de", "ie", "com.au", "news", "info", "fr"];
const SECTIONS: &[&str] = &["news", "world", "politics", "business", "sport", "health", "local", "opinion", "culture"];

/// The material read from the fixtures.
pub struct Material {
    /// Prose paragraphs (one line each, several sentences).
    pub prose: Vec<String>,
    /// Headlines: the first line of every fixture.
    pub titles: Vec<String>,
    /// Blocks of short lines (menus, cookie banners, comment forms, share bars, paywalls).
    pub blocks: Vec<String>,
    /// Short single lines (subheadings, "Source link", bylines).
    pub short: Vec<String>,
    /// Lowercase words of four letters or more, for substitutions.
    pub vocabulary: Vec<String>,
}

impl Material {
    /// Reads every `*.txt` of `dir` in sorted order.
    pub fn from_dir(dir: &Path) -> io::Result<Self> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        paths.sort();
        let mut material =
            Material { prose: vec![], titles: vec![], blocks: vec![], short: vec![], vocabulary: vec![] };
        for path in &paths {
            material.add(&std::fs::read_to_string(path)?);
        }
        if material.prose.is_empty() || material.titles.is_empty() {
            return Err(io::Error::other(format!("no articles in {}", dir.display())));
        }
        material.vocabulary.sort();
        material.vocabulary.dedup();
        Ok(material)
    }

    fn add(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n");
        let mut blocks: Vec<Vec<&str>> = vec![];
        let mut current: Vec<&str> = vec![];
        for line in text.lines() {
            if line.trim().is_empty() {
                if !current.is_empty() {
                    blocks.push(std::mem::take(&mut current));
                }
            } else {
                current.push(line.trim_end());
            }
        }
        if !current.is_empty() {
            blocks.push(current);
        }
        let mut first = true;
        for block in blocks {
            let mut lines = block.as_slice();
            if first {
                first = false;
                if let Some((title, rest)) = lines.split_first()
                    && title.split_whitespace().count() >= 4
                {
                    self.titles.push(title.to_string());
                    lines = rest;
                }
            }
            let prose = lines.iter().all(|l| l.split_whitespace().count() >= 12);
            if prose {
                self.prose.extend(lines.iter().map(|l| l.to_string()));
            } else if lines.len() == 1 {
                self.short.push(lines[0].to_string());
            } else if !lines.is_empty() {
                self.blocks.push(lines.join("\n"));
            }
        }
        for word in text.split(|c: char| !c.is_alphabetic()) {
            if word.chars().count() >= 4 && word.chars().all(|c| c.is_lowercase()) {
                self.vocabulary.push(word.to_string());
            }
        }
    }
}

/// Counts of what was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub records: u64,
    pub bytes: u64,
}

/// Makes records from the material.
pub struct Generator {
    material: Material,
    hosts: Vec<String>,
    rng: Rng,
}

impl Generator {
    pub fn new(material: Material, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let mut hosts = Vec::with_capacity(200);
        while hosts.len() < 200 {
            let prefix = ["www.", "", "news.", "www."][rng.below(4)];
            let host = format!(
                "{prefix}{}{}{}.{}",
                proper_name(&mut rng).to_lowercase(),
                ["", "-"][rng.below(2)],
                rng.pick(OUTLETS),
                rng.pick(TLDS)
            );
            if !hosts.contains(&host) {
                hosts.push(host);
            }
        }
        Generator { material, hosts, rng }
    }

    /// Writes records to `out` until at least `bytes` bytes were written.
    pub fn write(&mut self, out: &mut dyn Write, bytes: u64) -> io::Result<Stats> {
        let mut stats = Stats::default();
        let mut line = String::new();
        while stats.bytes < bytes {
            line.clear();
            self.record(&mut line);
            out.write_all(line.as_bytes())?;
            stats.bytes += line.len() as u64;
            stats.records += 1;
        }
        Ok(stats)
    }

    /// One JSONL line, with its newline.
    pub fn record(&mut self, out: &mut String) {
        let rng = &mut self.rng;
        let m = &self.material;
        let headline = rng.below(m.titles.len());
        let title = perturb(rng, &m.titles[headline], &m.vocabulary, 0.5);
        let id = format!("{:016x}", rng.next_u64());
        let host = &self.hosts[rng.below(self.hosts.len())];
        let slug: Vec<String> = title
            .split_whitespace()
            .map(|w| w.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase())
            .filter(|w| !w.is_empty())
            .take(8)
            .collect();
        let url = format!(
            "https://{host}/{}/{}/{:02}/{:02}/{}-{}",
            rng.pick(SECTIONS),
            rng.range(2015, 2026),
            rng.range(1, 12),
            rng.range(1, 28),
            slug.join("-"),
            rng.below(1_000_000)
        );

        // Length in paragraphs: log-normal around 8, a few very long records, a few stubs.
        let roll = rng.unit();
        let paragraphs = if roll < 0.01 {
            0
        } else if roll < 0.013 {
            rng.range(150, 600)
        } else {
            ((8.0f64.ln() + 0.8 * rng.normal()).exp().round() as usize).clamp(1, 120)
        };

        let mut text = String::new();
        let push = |text: &mut String, block: &str| {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(block);
        };
        if rng.chance(0.2) {
            push(&mut text, m.blocks[rng.below(m.blocks.len())].as_str());
        }
        if paragraphs == 0 || rng.chance(0.85) {
            push(&mut text, &title);
        }
        let mut order: Vec<usize> = (0..m.prose.len()).collect();
        rng.shuffle(&mut order);
        for index in 0..paragraphs {
            let source = order.get(index).copied().unwrap_or_else(|| rng.below(m.prose.len()));
            let paragraph = perturb(rng, &m.prose[source], &m.vocabulary, 0.3);
            push(&mut text, &paragraph);
            if rng.chance(0.04) {
                let short = rng.below(m.short.len());
                push(&mut text, &perturb(rng, &m.short[short], &m.vocabulary, 0.2));
            }
            if index == paragraphs / 2 && rng.chance(0.08) {
                push(&mut text, m.blocks[rng.below(m.blocks.len())].as_str());
            }
        }
        let trailing = if rng.chance(0.4) { rng.range(1, 3) } else { 0 };
        for _ in 0..trailing {
            push(&mut text, m.blocks[rng.below(m.blocks.len())].as_str());
        }
        if rng.chance(0.3) {
            text.push('\n');
        }

        out.push_str("{\"id\":");
        push_json(out, &id);
        out.push_str(",\"url\":");
        push_json(out, &url);
        out.push_str(",\"title\":");
        push_json(out, &title);
        out.push_str(",\"text\":");
        push_json(out, &text);
        out.push_str("}\n");
    }
}

/// A made-up proper name ("Kellinford").
fn proper_name(rng: &mut Rng) -> String {
    let mut name = String::new();
    for _ in 0..rng.range(2, 3) {
        name.push_str(rng.pick::<&str>(SYLLABLES));
    }
    let mut chars = name.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Perturbs a line: new digits in numbers, new names for some capitalised words, a few
/// swapped and substituted words, now and then a non-ASCII word or typographic quotes.
/// `names` is the chance that a capitalised word (not the first) gets a new name.
fn perturb(rng: &mut Rng, line: &str, vocabulary: &[String], names: f64) -> String {
    let mut words: Vec<String> = Vec::with_capacity(line.len() / 5);
    for (index, word) in line.split(' ').enumerate() {
        let mut word = word.to_string();
        if word.bytes().any(|b| b.is_ascii_digit()) && rng.chance(0.7) {
            word = word
                .chars()
                .map(|c| if c.is_ascii_digit() { (b'0' + rng.below(10) as u8) as char } else { c })
                .collect();
        } else if index > 0
            && word.chars().next().is_some_and(char::is_uppercase)
            && word.len() > 3
            && word.chars().all(char::is_alphabetic)
            && rng.chance(names)
        {
            word = proper_name(rng);
        } else if rng.chance(0.03) && !vocabulary.is_empty() {
            word = rng.pick(vocabulary).clone();
        }
        words.push(word);
        if rng.chance(0.004) {
            words.push(rng.pick(NON_ASCII).to_string());
        }
    }
    // Swap some neighbours, leaving the last word (it carries the full stop) in place.
    for i in 1..words.len().saturating_sub(2) {
        if rng.chance(0.04) {
            words.swap(i, i + 1);
        }
    }
    let mut out = words.join(" ");
    if rng.chance(0.1) {
        out = out.replace(" \"", " \u{201C}").replace("\" ", "\u{201D} ").replace("'s ", "\u{2019}s ");
    }
    out
}

/// `value` as a JSON string.
fn push_json(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The fixtures folder of this repository.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Writes `bytes` bytes of JSONL to `out` (and to `out.gz`, `out.zst` when asked).
pub fn write_corpus(fixtures: &Path, out: &Path, bytes: u64, seed: u64, gz: bool, zst: bool) -> io::Result<Stats> {
    let mut generator = Generator::new(Material::from_dir(fixtures)?, seed);
    let mut plain = BufWriter::with_capacity(1 << 20, File::create(out)?);
    let mut gz_writer = match gz {
        true => {
            let file = BufWriter::with_capacity(1 << 20, File::create(with_suffix(out, ".gz"))?);
            Some(flate2::write::GzEncoder::new(file, flate2::Compression::default()))
        }
        false => None,
    };
    let mut zst_writer = match zst {
        true => {
            let file = BufWriter::with_capacity(1 << 20, File::create(with_suffix(out, ".zst"))?);
            Some(zstd::stream::write::Encoder::new(file, 3)?)
        }
        false => None,
    };
    let stats = {
        let mut writers: Vec<&mut dyn Write> = vec![&mut plain];
        if let Some(w) = gz_writer.as_mut() {
            writers.push(w);
        }
        if let Some(w) = zst_writer.as_mut() {
            writers.push(w);
        }
        generator.write(&mut Tee(writers), bytes)?
    };
    plain.flush()?;
    if let Some(w) = gz_writer {
        w.finish()?.flush()?;
    }
    if let Some(w) = zst_writer {
        w.finish()?.flush()?;
    }
    Ok(stats)
}

/// Writes the same bytes to every writer.
struct Tee<'a>(Vec<&'a mut dyn Write>);

impl Write for Tee<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for w in &mut self.0 {
            w.write_all(buf)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.iter_mut().try_for_each(|w| w.flush())
    }
}

/// `path` with `suffix` appended to its file name.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

const USAGE: &str = "usage: cargo bench --bench gen_corpus -- --mb N --out FILE.jsonl [--gz] [--zst] [--seed N] \
                     [--fixtures DIR]\n  writes N x 1,000,000 bytes of JSONL ({\"id\",\"url\",\"title\",\"text\"}) \
                     built from fixtures/*.txt; --gz/--zst also write FILE.jsonl.gz / FILE.jsonl.zst";

fn main() {
    let mut mb = 200.0f64;
    let mut out: Option<PathBuf> = None;
    let mut seed = 20_251_125u64;
    let mut gz = false;
    let mut zst = false;
    let mut fixtures = fixtures_dir();
    let mut args = std::env::args().skip(1);
    let fail = |message: String| -> ! {
        eprintln!("gen_corpus: {message}\n{USAGE}");
        std::process::exit(2)
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().unwrap_or_else(|| fail(format!("{name} needs a value")));
        match arg.as_str() {
            "--mb" => mb = value("--mb").parse().unwrap_or_else(|e| fail(format!("--mb: {e}"))),
            "--out" | "-o" => out = Some(PathBuf::from(value("--out"))),
            "--seed" => seed = value("--seed").parse().unwrap_or_else(|e| fail(format!("--seed: {e}"))),
            "--fixtures" => fixtures = PathBuf::from(value("--fixtures")),
            "--gz" => gz = true,
            "--zst" => zst = true,
            "--bench" => {} // added by `cargo bench`
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => fail(format!("unknown argument {other:?}")),
        }
    }
    let Some(out) = out else {
        println!("gen_corpus: nothing to do without --out\n{USAGE}");
        return;
    };
    if mb.is_nan() || mb <= 0.0 {
        fail(format!("--mb must be positive, not {mb}"));
    }
    let started = Instant::now();
    let bytes = (mb * 1e6) as u64;
    match write_corpus(&fixtures, &out, bytes, seed, gz, zst) {
        Ok(stats) => {
            let mut sizes = vec![];
            for (flag, suffix) in [(gz, ".gz"), (zst, ".zst")] {
                let path = with_suffix(&out, suffix);
                if let (true, Ok(meta)) = (flag, std::fs::metadata(&path)) {
                    sizes.push(format!("{} {:.1} MB", path.display(), meta.len() as f64 / 1e6));
                }
            }
            eprintln!(
                "gen_corpus: {} records, {:.1} MB in {} (seed {seed}) in {:.1}s{}{}",
                stats.records,
                stats.bytes as f64 / 1e6,
                out.display(),
                started.elapsed().as_secs_f64(),
                if sizes.is_empty() { "" } else { "; " },
                sizes.join(", ")
            );
        }
        Err(e) => {
            eprintln!("gen_corpus: {}: {e}", out.display());
            std::process::exit(1);
        }
    }
}
