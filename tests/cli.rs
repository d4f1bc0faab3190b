//! End-to-end tests of the `residue` binary: every input is generated in a temporary folder,
//! so the tests run on a fresh clone (they never read ../shared or fixtures/).
//!
//! The contracts checked here are those of DESIGN.md: the CSV header and format, the exit
//! codes (0 all scored, 1 fatal, 2 usage, 3 some records unreadable), atomic output files,
//! formula-safe cells, and the readers (txt, JSONL, CSV, gz, zst, stdin).
use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const HEADER: &str = "id,source,title,words,paywall,widget,filler,framing,repetition,boilerplate_share,\
rewrite_of,rewrite_similarity,credibility,verdict,evidence";

/// Columns that hold a 0..1 score written with 3 decimals.
const SCORE_COLUMNS: [&str; 8] =
    ["paywall", "widget", "filler", "framing", "repetition", "boilerplate_share", "rewrite_similarity", "credibility"];

/// A clean news article (title line, then paragraphs).
const CLEAN_ARTICLE: &str = "\
Harbour bridge in Wexley reopens after eight months of repairs

The swing bridge over Wexley harbour reopened to traffic on Friday morning, eight months after a corroded bearing forced engineers to close it to all vehicles and pedestrians.

The county council said the repairs cost £3.1 million, about £400,000 more than first estimated, because divers found further damage to two of the underwater piers once work had begun.

\"It has been a long winter for everyone who lives on the east side of the harbour,\" said council leader Amrit Dhaliwal. \"The detour added twenty minutes to every journey.\"

Bus operator Coastline said its number 14 service would return to its normal route from Monday, and the temporary ferry that carried foot passengers across the harbour will stop running at the end of the month.
";

/// An article that ends in a comment form: "Leave a Reply" must be labelled widget.
const COMMENT_FORM_ARTICLE: &str = "\
Library in Brackley to extend opening hours after petition

Brackley's central library will open on Sunday afternoons from next month after more than 2,000 residents signed a petition asking for longer hours.

The town council said the change would be paid for by moving two part-time posts from the archive service, and that no other branch would lose hours as a result.

Head librarian Sofia Marchetti said Sunday opening had been the most common request in last year's survey of users. \"Families told us the weekend is the only time they can come in together,\" she said.

Leave a Reply
Cancel reply
Your email address will not be published. Required fields are marked *
Comment *
Name *
Email *
Save my name, email, and website in this browser for the next time I comment.
Post Comment
";

/// An article cut off by a metered paywall.
const PAYWALL_ARTICLE: &str = "\
Ferry fares on the Aldmouth crossing to rise by 12 percent

Passengers on the Aldmouth to Fenby ferry will pay 12 percent more from April, the operator announced on Thursday, blaming higher fuel and insurance costs.

A single adult ticket will rise from £4.20 to £4.70. Season tickets for commuters will rise by 9 percent, and concessions for pensioners will be unchanged.

You've reached your limit of free articles this month
Register for free to keep reading
Already a subscriber? Log in
Subscribe now for unlimited access
";

fn residue() -> Command {
    Command::cargo_bin("residue").expect("the residue binary is built")
}

/// The path of the built binary, for tests that need `std::process::Command` (pipes).
fn residue_path() -> PathBuf {
    assert_cmd::cargo::cargo_bin("residue")
}

/// Writes `text` to `dir/relative`, creating folders on the way. Returns the path.
fn write_article(dir: &Path, relative: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, text).unwrap();
    path
}

/// One JSONL line from a JSON value.
fn jsonl(records: &[serde_json::Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

/// Runs `residue score ARGS...` and returns its output (whatever the exit code).
fn run_score(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut command = residue();
    command.arg("score").arg("--quiet");
    for arg in args {
        command.arg(arg);
    }
    command.output().unwrap()
}

fn stdout_of(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts the exit code, showing stderr when it is not the expected one.
fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "expected exit {code}, got {:?}\n--- stderr ---\n{}\n--- stdout (first 2000 bytes) ---\n{}",
        output.status,
        stderr_of(output),
        String::from_utf8_lossy(&output.stdout[..output.stdout.len().min(2000)])
    );
}

fn assert_no_panic(stderr: &str) {
    assert!(!stderr.contains("panicked"), "the binary panicked:\n{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "the binary panicked:\n{stderr}");
}

/// A parsed score CSV: the header and the rows, each row a map column -> cell.
struct Report {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Report {
    fn parse(bytes: &[u8]) -> Report {
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
        let header = reader.headers().expect("a CSV header").iter().map(String::from).collect();
        let rows = reader
            .records()
            .map(|r| r.expect("a well-formed CSV row").iter().map(String::from).collect::<Vec<_>>())
            .collect();
        Report { header, rows }
    }

    fn from_file(path: &Path) -> Report {
        Report::parse(&fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
    }

    fn column(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
    }

    fn ids(&self) -> Vec<String> {
        self.values("id")
    }

    fn values(&self, name: &str) -> Vec<String> {
        let c = self.column(name);
        self.rows.iter().map(|r| r[c].clone()).collect()
    }

    /// The row whose id is `id`.
    fn row(&self, id: &str) -> Row<'_> {
        let c = self.column("id");
        let row = self
            .rows
            .iter()
            .find(|r| r[c] == id)
            .unwrap_or_else(|| panic!("no row with id {id:?}; ids: {:?}", self.ids()));
        Row { report: self, cells: row }
    }
}

struct Row<'a> {
    report: &'a Report,
    cells: &'a [String],
}

impl Row<'_> {
    fn get(&self, name: &str) -> &str {
        &self.cells[self.report.column(name)]
    }

    fn words(&self) -> u64 {
        self.get("words").parse().unwrap_or_else(|_| panic!("words is not a number: {:?}", self.get("words")))
    }
}

/// Whether a cell is a score with exactly 3 decimals in 0..1.
fn is_three_decimals(cell: &str) -> bool {
    let Some((int, frac)) = cell.split_once('.') else { return false };
    (int == "0" || int == "1") && frac.len() == 3 && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Names in a folder (not recursive), sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// A news-like article, different for every `n`: some with comment forms, some behind a
/// paywall, some repeating themselves, the rest clean.
fn generated_article(n: usize) -> String {
    const TOWNS: [&str; 7] = ["Ashcombe", "Brindle", "Corran", "Dunmore", "Elsworth", "Farleigh", "Garrow"];
    const TOPICS: [&str; 5] = ["school roof", "bus depot", "flood barrier", "market hall", "cycle lane"];
    const SENTENCES: [&str; 8] = [
        "The council said work would begin in the spring and take about nine months.",
        "Residents at a public meeting on Tuesday raised concerns about noise and parking.",
        "A spokesperson for the contractor said the site would be closed to the public at weekends.",
        "Figures published last year showed the project had already run over budget.",
        "\"We have listened to what people told us,\" said the deputy mayor.",
        "Opposition councillors asked for an independent review of the costs.",
        "The plans will go before the planning committee next month.",
        "Local businesses said they hoped the work would bring more visitors to the town centre.",
    ];
    let town = TOWNS[n % TOWNS.len()];
    let topic = TOPICS[n % TOPICS.len()];
    let mut text = format!("{town} {topic} plan approved after {n} objections\n\n");
    text.push_str(&format!(
        "Plans for a new {topic} in {town} were approved on Wednesday despite {n} formal objections from residents.\n\n"
    ));
    for k in 0..(3 + n % 4) {
        text.push_str(SENTENCES[(n + k * 3) % SENTENCES.len()]);
        text.push(' ');
        text.push_str(SENTENCES[(n * 5 + k) % SENTENCES.len()]);
        text.push_str("\n\n");
    }
    match n % 4 {
        0 => text.push_str("Leave a Reply\nCancel reply\nYour email address will not be published.\nPost Comment\n"),
        1 => text.push_str("You've reached your limit of free articles\nAlready a subscriber? Log in\n"),
        2 => {
            let repeated = format!("The {topic} in {town} will cost more than expected.\n");
            for _ in 0..4 {
                text.push_str(&repeated);
            }
        }
        _ => {}
    }
    text
}

// ---------------------------------------------------------------------------------------
// 1. score DIR -o out.csv: header, ids, order, hidden files, decimals
// ---------------------------------------------------------------------------------------

#[test]
fn score_folder_writes_header_and_one_sorted_row_per_text_file() {
    let input = TempDir::new().unwrap();
    let out_dir = TempDir::new().unwrap();
    write_article(input.path(), "c.txt", PAYWALL_ARTICLE);
    write_article(input.path(), "a.txt", CLEAN_ARTICLE);
    write_article(input.path(), "sub/b.txt", COMMENT_FORM_ARTICLE);
    write_article(input.path(), ".hidden.txt", CLEAN_ARTICLE);
    write_article(input.path(), ".hidden-dir/d.txt", CLEAN_ARTICLE);
    write_article(input.path(), "notes.md", "not an article format");
    let out = out_dir.path().join("out.csv");

    let output = run_score(&[&input.path(), &"-o", &out]);
    assert_exit(&output, 0);
    assert!(output.stdout.is_empty(), "with -o nothing goes to stdout");

    let bytes = fs::read(&out).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert_eq!(text.lines().next().unwrap(), HEADER, "the header is fixed");

    let report = Report::parse(&bytes);
    assert_eq!(report.header.len(), 15);
    assert_eq!(report.ids(), ["a.txt", "c.txt", "sub/b.txt"], "ids are relative paths, sorted, hidden skipped");
    let mut sorted = report.ids();
    sorted.sort();
    assert_eq!(report.ids(), sorted);

    for row in &report.rows {
        assert_eq!(row.len(), 15, "every row has 15 cells: {row:?}");
    }
    for name in SCORE_COLUMNS {
        for value in report.values(name) {
            assert!(is_three_decimals(&value), "{name} = {value:?} is not a 0..1 score with 3 decimals");
        }
    }
    for id in report.ids() {
        let row = report.row(&id);
        assert!(row.words() > 20, "{id}: words {}", row.words());
        assert!(["keep", "review", "drop"].contains(&row.get("verdict")), "{id}: verdict {}", row.get("verdict"));
        assert_eq!(row.get("source"), "", "a text file has no source");
    }
    assert_eq!(
        report.row("a.txt").get("title"),
        "Harbour bridge in Wexley reopens after eight months of repairs",
        "a text file's title is its first content line"
    );
}

#[test]
fn score_empty_folder_writes_only_the_header() {
    let input = TempDir::new().unwrap();
    write_article(input.path(), "readme.md", "not an article");
    let output = run_score(&[&input.path()]);
    assert_exit(&output, 0);
    assert_eq!(stdout_of(&output), format!("{HEADER}\n"));
}

// ---------------------------------------------------------------------------------------
// 2. thread count does not change the output
// ---------------------------------------------------------------------------------------

#[test]
fn score_output_is_byte_identical_for_one_and_two_threads() {
    let input = TempDir::new().unwrap();
    let out_dir = TempDir::new().unwrap();
    // 2 JSONL files of 10 records and 20 text files: 40 articles.
    for file in 0..2 {
        let records: Vec<serde_json::Value> = (0..10)
            .map(|k| {
                let n = 100 + file * 10 + k;
                serde_json::json!({
                    "id": format!("rec-{n}"),
                    "url": format!("https://news{}.example.org/story/{n}", n % 3),
                    "title": format!("Story number {n}"),
                    "text": generated_article(n),
                })
            })
            .collect();
        write_article(input.path(), &format!("batch{file}.jsonl"), jsonl(&records));
    }
    for n in 0..20 {
        write_article(input.path(), &format!("articles/{n:02}.txt"), generated_article(n));
    }
    let one = out_dir.path().join("one.csv");
    let two = out_dir.path().join("two.csv");

    let first = run_score(&[&"--threads", &"1", &input.path(), &"-o", &one]);
    assert_exit(&first, 0);
    let second = run_score(&[&"--threads", &"2", &input.path(), &"-o", &two]);
    assert_exit(&second, 0);

    let one = fs::read(&one).unwrap();
    let two = fs::read(&two).unwrap();
    assert_eq!(Report::parse(&one).rows.len(), 40);
    assert!(one == two, "the CSV differs between --threads 1 and --threads 2");

    // The order is the input order: files sorted, records in file order.
    let ids = Report::parse(&one).ids();
    assert_eq!(ids[0], "articles/00.txt");
    assert_eq!(ids[19], "articles/19.txt");
    assert_eq!(ids[20], "rec-100");
    assert_eq!(ids[39], "rec-119");
}

// ---------------------------------------------------------------------------------------
// 3, 4. JSONL errors are reported with file:line; the other records are scored
// ---------------------------------------------------------------------------------------

#[test]
fn jsonl_malformed_line_is_reported_and_other_records_scored() {
    let dir = TempDir::new().unwrap();
    let good = |id: &str| serde_json::json!({"id": id, "text": CLEAN_ARTICLE}).to_string();
    let body = format!("{}\n{{\"id\": \"r2\", \"text\": \"unterminated\n{}\n", good("r1"), good("r3"));
    let input = write_article(dir.path(), "bad.jsonl", body);
    let out = dir.path().join("out.csv");

    let output = run_score(&[&input, &"-o", &out]);
    assert_exit(&output, 3);
    let stderr = stderr_of(&output);
    assert_no_panic(&stderr);
    assert!(stderr.contains("bad.jsonl:2:"), "stderr names the file and line 2:\n{stderr}");
    assert!(!stderr.contains("bad.jsonl:1:") && !stderr.contains("bad.jsonl:3:"), "only line 2 is bad:\n{stderr}");

    let report = Report::from_file(&out);
    assert_eq!(report.ids(), ["r1", "r3"], "the output file is complete, with the two good records");
    assert!(report.row("r3").words() > 20);
}

#[test]
fn jsonl_text_field_that_is_a_number_or_missing_is_reported_with_line() {
    let dir = TempDir::new().unwrap();
    let body = jsonl(&[
        serde_json::json!({"id": "ok1", "text": CLEAN_ARTICLE}),
        serde_json::json!({"id": "number", "text": 42}),
        serde_json::json!({"id": "missing", "body": "the text is under another name"}),
        serde_json::json!({"id": "ok2", "text": PAYWALL_ARTICLE}),
    ]);
    let input = write_article(dir.path(), "fields.jsonl", body);
    let out = dir.path().join("out.csv");

    let output = run_score(&[&input, &"-o", &out]);
    assert_exit(&output, 3);
    let stderr = stderr_of(&output);
    assert_no_panic(&stderr);
    assert!(stderr.contains("fields.jsonl:2:"), "the numeric text is reported at line 2:\n{stderr}");
    assert!(stderr.contains("fields.jsonl:3:"), "the missing text is reported at line 3:\n{stderr}");
    assert!(stderr.contains("number"), "the message says the field is a number:\n{stderr}");

    let report = Report::from_file(&out);
    assert_eq!(report.ids(), ["ok1", "ok2"]);
}

// ---------------------------------------------------------------------------------------
// 5, 6. compressed inputs
// ---------------------------------------------------------------------------------------

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn truncated_gzip_is_reported_and_records_before_the_cut_scored() {
    let dir = TempDir::new().unwrap();
    let records: Vec<serde_json::Value> =
        (0..3).map(|n| serde_json::json!({"id": format!("gz{n}"), "text": generated_article(n * 7 + 3)})).collect();
    let compressed = gzip(jsonl(&records).as_bytes());
    assert!(compressed.len() > 100);
    let input = write_article(dir.path(), "cut.jsonl.gz", &compressed[..compressed.len() - 20]);
    let out = dir.path().join("out.csv");

    let output = run_score(&[&input, &"-o", &out]);
    assert_exit(&output, 3);
    let stderr = stderr_of(&output);
    assert_no_panic(&stderr);
    assert!(stderr.contains("cut.jsonl.gz"), "stderr names the truncated file:\n{stderr}");

    let report = Report::from_file(&out);
    assert!(!report.rows.is_empty(), "the records before the cut are scored");
    assert!(report.rows.len() < 3, "the cut record is not scored as if complete: {:?}", report.ids());
    assert_eq!(report.ids()[0], "gz0");
}

#[test]
fn zstd_jsonl_and_gzip_text_are_read() {
    let dir = TempDir::new().unwrap();
    let records = jsonl(&[
        serde_json::json!({"id": "z1", "text": CLEAN_ARTICLE}),
        serde_json::json!({"id": "z2", "text": COMMENT_FORM_ARTICLE}),
    ]);
    write_article(dir.path(), "in/records.jsonl.zst", zstd::encode_all(records.as_bytes(), 3).unwrap());
    write_article(dir.path(), "in/story.txt.gz", gzip(CLEAN_ARTICLE.as_bytes()));
    let out = dir.path().join("out.csv");

    let output = run_score(&[&dir.path().join("in"), &"-o", &out]);
    assert_exit(&output, 0);
    let report = Report::from_file(&out);
    assert_eq!(report.ids(), ["z1", "z2", "story.txt.gz"]);
    let story = report.row("story.txt.gz");
    assert_eq!(story.get("title"), "Harbour bridge in Wexley reopens after eight months of repairs");
    assert_eq!(story.words(), report.row("z1").words(), "the same text gives the same word count");
}

// ---------------------------------------------------------------------------------------
// 7, 8, 9. awkward text files
// ---------------------------------------------------------------------------------------

#[test]
fn invalid_utf8_text_is_read_lossily() {
    let dir = TempDir::new().unwrap();
    let mut bytes = b"Caf\xe9 \xff\xfe news from the harbour front\n\n".to_vec();
    bytes.extend_from_slice(CLEAN_ARTICLE.as_bytes());
    write_article(dir.path(), "in/latin1.txt", &bytes);
    let out = dir.path().join("out.csv");

    let output = run_score(&[&dir.path().join("in"), &"-o", &out]);
    assert_exit(&output, 0);
    assert_no_panic(&stderr_of(&output));
    let report = Report::from_file(&out);
    let row = report.row("latin1.txt");
    assert!(row.words() > 20);
    let title = row.get("title");
    assert!(title.starts_with("Caf\u{FFFD}"), "bad bytes become U+FFFD: {title:?}");
    assert!(title.contains("news from the harbour front"), "{title:?}");
}

#[test]
fn binary_file_with_nul_bytes_is_reported_and_others_scored() {
    let dir = TempDir::new().unwrap();
    write_article(dir.path(), "in/good.txt", CLEAN_ARTICLE);
    write_article(dir.path(), "in/x.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00binary\x00\x00data\x00");
    let out = dir.path().join("out.csv");

    let output = run_score(&[&dir.path().join("in"), &"-o", &out]);
    assert_exit(&output, 3);
    let stderr = stderr_of(&output);
    assert_no_panic(&stderr);
    assert!(stderr.contains("x.txt"), "stderr names the binary file:\n{stderr}");
    let report = Report::from_file(&out);
    assert_eq!(report.ids(), ["good.txt"]);
}

#[test]
fn empty_text_file_gets_a_row_with_zero_words_and_drop() {
    let dir = TempDir::new().unwrap();
    write_article(dir.path(), "in/empty.txt", "");
    write_article(dir.path(), "in/good.txt", CLEAN_ARTICLE);
    let out = dir.path().join("out.csv");

    let output = run_score(&[&dir.path().join("in"), &"-o", &out]);
    assert_exit(&output, 0);
    let report = Report::from_file(&out);
    assert_eq!(report.ids(), ["empty.txt", "good.txt"]);
    let empty = report.row("empty.txt");
    assert_eq!(empty.words(), 0);
    assert_eq!(empty.get("verdict"), "drop");
    assert_eq!(empty.get("title"), "");
    for name in SCORE_COLUMNS {
        assert!(is_three_decimals(empty.get(name)), "{name} = {:?}", empty.get(name));
    }
}

// ---------------------------------------------------------------------------------------
// 10. a very large single-line file
// ---------------------------------------------------------------------------------------

#[test]
fn huge_single_line_file_is_scored_with_limit_evidence() {
    const WORDS: [&str; 8] = ["harbour", "council", "bridge", "repairs", "traffic", "ferry", "residents", "budget"];
    let dir = TempDir::new().unwrap();
    let target = 25 * 1024 * 1024;
    let mut text = String::with_capacity(target + 16);
    let mut count = 0u64;
    while text.len() < target {
        if count > 0 {
            text.push(' ');
        }
        text.push_str(WORDS[(count as usize * 7 + count as usize / 8) % WORDS.len()]);
        count += 1;
    }
    assert!(!text.contains('\n'));
    write_article(dir.path(), "in/huge.txt", &text);
    write_article(dir.path(), "in/small.txt", CLEAN_ARTICLE);
    let out = dir.path().join("out.csv");

    let started = Instant::now();
    let output = run_score(&[&dir.path().join("in"), &"-o", &out]);
    assert_exit(&output, 0);
    assert_no_panic(&stderr_of(&output));
    assert!(started.elapsed() < Duration::from_secs(120), "25 MB took {:?}", started.elapsed());

    let report = Report::from_file(&out);
    assert_eq!(report.ids(), ["huge.txt", "small.txt"]);
    let huge = report.row("huge.txt");
    assert!(huge.words() > 0);
    assert_eq!(huge.words(), count, "words counts the whole text, past the analysis limit");
    let evidence = huge.get("evidence");
    assert!(evidence.contains("limit:"), "a file over 4 MiB names the analysis limit: {evidence:?}");
    assert!(evidence.contains(&text.len().to_string()), "the limit evidence gives the full size: {evidence:?}");
    assert!(huge.get("title").chars().count() <= 300, "the title cell is bounded");
    let small = report.row("small.txt").get("evidence").to_string();
    assert!(!small.contains("limit:"), "a small file does not mention the limit: {small:?}");
}

// ---------------------------------------------------------------------------------------
// 11. spreadsheet formula injection
// ---------------------------------------------------------------------------------------

#[test]
fn formula_cells_are_neutralised() {
    let dir = TempDir::new().unwrap();
    let body = jsonl(&[
        serde_json::json!({"id": "=HYPERLINK(\"http://evil.example\",\"x\")", "title": "+1+1", "text": CLEAN_ARTICLE}),
        serde_json::json!({"id": "+cmd", "title": "-2+3", "text": CLEAN_ARTICLE}),
        serde_json::json!({"id": "-1", "title": "@SUM(A1:A9)", "text": CLEAN_ARTICLE}),
        serde_json::json!({"id": "@import", "title": "=1/0", "text": CLEAN_ARTICLE}),
        serde_json::json!({"id": "\tTAB", "source": "=cmd|' /C calc'!A0", "text": "=2+5 headline line\n\nBody of the story follows here with enough words to be read."}),
        serde_json::json!({"id": "\rCR", "text": "+44 7700 900000 call now\n\nAnother body line for the story."}),
        serde_json::json!({"id": "text-minus", "text": "-minus first line\n\nMore text."}),
        serde_json::json!({"id": "text-at", "text": "@handle wrote this line\n\nMore text."}),
        serde_json::json!({"id": "text-tab", "text": "\t=tabbed formula\n\nMore text."}),
    ]);
    let input = write_article(dir.path(), "inject.jsonl", body);
    let out = dir.path().join("out.csv");

    let output = run_score(&[&input, &"-o", &out]);
    assert_exit(&output, 0);
    let report = Report::from_file(&out);
    assert_eq!(report.rows.len(), 9);
    for row in &report.rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "cell {cell:?} of row {row:?} would be run as a formula"
            );
        }
    }
    let ids = report.ids();
    for expected in ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'+cmd", "'-1", "'@import", "'\tTAB", "'\rCR"] {
        assert!(ids.iter().any(|id| id == expected), "no neutralised id {expected:?} in {ids:?}");
    }
    let titles = report.values("title");
    for expected in ["'+1+1", "'-2+3", "'@SUM(A1:A9)", "'=1/0", "'=2+5 headline line", "'+44 7700 900000 call now"] {
        assert!(titles.iter().any(|t| t == expected), "no neutralised title {expected:?} in {titles:?}");
    }
    let sources = report.values("source");
    assert!(sources.iter().any(|s| s == "'=cmd|' /C calc'!A0"), "the source is neutralised: {sources:?}");
    // Cells that are safe are left alone.
    assert_eq!(report.row("text-minus").get("id"), "text-minus");
}

// ---------------------------------------------------------------------------------------
// 12. a missing input
// ---------------------------------------------------------------------------------------

#[test]
fn missing_input_is_reported_and_the_valid_one_scored() {
    let dir = TempDir::new().unwrap();
    let good = write_article(dir.path(), "good.txt", CLEAN_ARTICLE);
    let missing = dir.path().join("no-such-file.txt");
    let out = dir.path().join("out.csv");

    let output = run_score(&[&missing, &good, &"-o", &out]);
    assert_exit(&output, 3);
    let stderr = stderr_of(&output);
    assert!(stderr.contains(&*missing.to_string_lossy()), "stderr names the missing path:\n{stderr}");
    let report = Report::from_file(&out);
    assert_eq!(report.rows.len(), 1);
    assert_eq!(report.ids(), [good.to_string_lossy()]);
}

// ---------------------------------------------------------------------------------------
// 13, 21. output files: fatal errors leave nothing behind; success leaves only the target
// ---------------------------------------------------------------------------------------

#[test]
fn unwritable_output_fails_with_exit_1_and_leaves_nothing() {
    let input = TempDir::new().unwrap();
    let good = write_article(input.path(), "good.txt", CLEAN_ARTICLE);

    // A folder that does not exist.
    let output = run_score(&[&good, &"-o", &"/nonexistent-dir/out.csv"]);
    assert_exit(&output, 1);
    let stderr = stderr_of(&output);
    assert_no_panic(&stderr);
    assert!(stderr.contains("/nonexistent-dir/out.csv"), "stderr names the output path:\n{stderr}");
    assert!(!Path::new("/nonexistent-dir").exists());

    // A "folder" that is a regular file (root can write anywhere, but not under a file).
    let out_dir = TempDir::new().unwrap();
    let file = write_article(out_dir.path(), "file.txt", "just a file");
    let target = file.join("out.csv");
    let output = run_score(&[&good, &"-o", &target]);
    assert_exit(&output, 1);
    let stderr = stderr_of(&output);
    assert_no_panic(&stderr);
    assert!(stderr.contains(&*target.to_string_lossy()), "stderr names the output path:\n{stderr}");
    assert_eq!(names_in(out_dir.path()), ["file.txt"], "no output or temporary file is left");
    assert_eq!(fs::read_to_string(&file).unwrap(), "just a file");
    assert!(output.stdout.is_empty(), "no CSV on stdout instead");
}

#[test]
fn output_onto_an_existing_folder_fails_and_leaves_no_temporary_file() {
    let input = TempDir::new().unwrap();
    let good = write_article(input.path(), "good.txt", CLEAN_ARTICLE);
    let out_dir = TempDir::new().unwrap();
    let target = out_dir.path().join("taken");
    fs::create_dir(&target).unwrap();

    let output = run_score(&[&good, &"-o", &target]);
    assert_exit(&output, 1);
    let stderr = stderr_of(&output);
    assert_no_panic(&stderr);
    assert!(stderr.contains(&*target.to_string_lossy()), "stderr names the output path:\n{stderr}");
    assert_eq!(names_in(out_dir.path()), ["taken"], "no temporary file is left beside the target");
    assert!(names_in(&target).is_empty());
}

#[test]
fn successful_run_leaves_only_the_output_file() {
    let input = TempDir::new().unwrap();
    for n in 0..5 {
        write_article(input.path(), &format!("{n}.txt"), generated_article(n));
    }
    let out_dir = TempDir::new().unwrap();
    let out = out_dir.path().join("out.csv");
    // An existing output is replaced whole.
    fs::write(&out, "old contents that must disappear\n").unwrap();

    let output = run_score(&[&input.path(), &"-o", &out]);
    assert_exit(&output, 0);
    assert_eq!(names_in(out_dir.path()), ["out.csv"], "no .residue- temporary files are left");
    let text = fs::read_to_string(&out).unwrap();
    assert!(text.starts_with(HEADER));
    assert!(!text.contains("old contents"));
    assert_eq!(Report::parse(text.as_bytes()).rows.len(), 5);
}

// ---------------------------------------------------------------------------------------
// 14. a reader that closes the pipe early
// ---------------------------------------------------------------------------------------

#[test]
fn closed_stdout_pipe_ends_quietly_without_panic() {
    let dir = TempDir::new().unwrap();
    let records: Vec<serde_json::Value> = (0..4000)
        .map(|n| {
            serde_json::json!({
                "id": format!("pipe-{n}"),
                "title": format!("Pipe story {n}"),
                "text": generated_article(n % 50),
            })
        })
        .collect();
    let input = write_article(dir.path(), "many.jsonl", jsonl(&records));

    let mut child = std::process::Command::new(residue_path())
        .args(["score", "--quiet", "--threads", "2"])
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
    {
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        assert_eq!(line.trim_end(), HEADER);
        // Dropping the reader closes the pipe while the binary still has rows to write.
    }

    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("residue did not exit after its stdout was closed");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = stderr_reader.join().unwrap();
    assert_no_panic(&stderr);
    assert!(!stderr.to_lowercase().contains("broken pipe"), "a closed pipe is not an error to report:\n{stderr}");
    assert_eq!(status.code(), Some(0), "a normal exit (not killed by a signal): {status:?}\n{stderr}");
}

// ---------------------------------------------------------------------------------------
// 15. byte-order mark
// ---------------------------------------------------------------------------------------

#[test]
fn bom_flag_writes_a_utf8_byte_order_mark_first() {
    let dir = TempDir::new().unwrap();
    let input = write_article(dir.path(), "good.txt", CLEAN_ARTICLE);
    let with = dir.path().join("with.csv");
    let without = dir.path().join("without.csv");

    assert_exit(&run_score(&[&input, &"--bom", &"-o", &with]), 0);
    assert_exit(&run_score(&[&input, &"-o", &without]), 0);

    let with = fs::read(&with).unwrap();
    let without = fs::read(&without).unwrap();
    assert_eq!(&with[..3], b"\xEF\xBB\xBF");
    assert!(with[3..].starts_with(HEADER.as_bytes()));
    assert!(without.starts_with(HEADER.as_bytes()), "no BOM without --bom");
    assert_eq!(&with[3..], &without[..], "the BOM is the only difference");

    // To stdout as well.
    let output = run_score(&[&input, &"--bom"]);
    assert_exit(&output, 0);
    assert!(output.stdout.starts_with(b"\xEF\xBB\xBFid,source,"));
}

// ---------------------------------------------------------------------------------------
// 16. CSV input
// ---------------------------------------------------------------------------------------

#[test]
fn csv_input_with_quoted_newlines_ragged_rows_and_source_field() {
    let dir = TempDir::new().unwrap();
    let body = "\
id,url,title,text
c1,https://www.Example.com/news/1?ref=x,First story,\"Bridge reopens after repairs.

The council said the work cost more than planned.\"
c2,http://local.example.net:8080/a,Second story,Plain text without quotes or newlines in it.
c3,https://third.example.org/b,Ragged story,A row with more cells than the header.,extra,cells
";
    let input = write_article(dir.path(), "table.csv", body);
    let out = dir.path().join("out.csv");

    let output = run_score(&[&input, &"--source-field", &"url", &"-o", &out]);
    assert_exit(&output, 0);
    assert_no_panic(&stderr_of(&output));
    let report = Report::from_file(&out);
    assert_eq!(report.ids(), ["c1", "c2", "c3"]);
    assert_eq!(report.row("c1").get("source"), "www.example.com", "a URL gives its lowercased host");
    assert_eq!(report.row("c2").get("source"), "local.example.net");
    assert_eq!(report.row("c3").get("source"), "third.example.org");
    assert_eq!(report.row("c1").get("title"), "First story");
    assert_eq!(report.row("c1").words(), 13, "the quoted newline keeps the whole text in one record");
    assert_eq!(report.row("c3").get("title"), "Ragged story");
    assert_eq!(report.row("c3").words(), 8);
}

#[test]
fn csv_short_row_without_text_is_reported_with_its_line() {
    let dir = TempDir::new().unwrap();
    let body = "\
id,url,title,text
c1,https://a.example.com/1,First,\"Line one of the text.
Line two of the text.
Line three of the text.\"
c2,https://b.example.com/2,Short row
c3,https://c.example.com/3,Third,Enough text in the third record to be scored.
";
    let input = write_article(dir.path(), "short.csv", body);
    let out = dir.path().join("out.csv");

    let output = run_score(&[&input, &"-o", &out]);
    assert_exit(&output, 3);
    let stderr = stderr_of(&output);
    assert_no_panic(&stderr);
    assert!(stderr.contains("short.csv:5:"), "the short row starts at line 5 of the file:\n{stderr}");
    let report = Report::from_file(&out);
    assert_eq!(report.ids(), ["c1", "c3"]);
    assert_eq!(report.row("c1").get("source"), "a.example.com", "url is the default source field");
}

// ---------------------------------------------------------------------------------------
// 17. standard input
// ---------------------------------------------------------------------------------------

#[test]
fn stdin_jsonl_is_sniffed_and_scored() {
    let body = jsonl(&[
        serde_json::json!({"id": "s1", "url": "https://wire.example.com/x", "text": CLEAN_ARTICLE}),
        serde_json::json!({"id": "s2", "text": PAYWALL_ARTICLE}),
    ]);
    let output = residue().args(["score", "--quiet", "-"]).write_stdin(format!("\n  {body}")).output().unwrap();
    assert_exit(&output, 0);
    let report = Report::parse(&output.stdout);
    assert_eq!(report.ids(), ["s1", "s2"]);
    assert_eq!(report.row("s1").get("source"), "wire.example.com");
}

#[test]
fn stdin_plain_text_is_sniffed_and_scored_as_one_article() {
    let output = residue().args(["score", "--quiet", "-"]).write_stdin(CLEAN_ARTICLE).output().unwrap();
    assert_exit(&output, 0);
    let report = Report::parse(&output.stdout);
    assert_eq!(report.rows.len(), 1, "plain text on stdin is one article");
    let row = report.row("stdin");
    assert!(row.words() > 20);
    assert_eq!(row.get("title"), "Harbour bridge in Wexley reopens after eight months of repairs");

    // No INPUT at all means standard input too.
    let output = residue().args(["score", "--quiet"]).write_stdin(CLEAN_ARTICLE).output().unwrap();
    assert_exit(&output, 0);
    assert_eq!(Report::parse(&output.stdout).ids(), ["stdin"]);
}

// ---------------------------------------------------------------------------------------
// 18. explain
// ---------------------------------------------------------------------------------------

#[test]
fn explain_jsonl_gives_every_line_with_label_and_rules() {
    let dir = TempDir::new().unwrap();
    let input = write_article(dir.path(), "comments.txt", COMMENT_FORM_ARTICLE);

    let output = residue().args(["explain", "--format", "jsonl"]).arg(&input).output().unwrap();
    assert_exit(&output, 0);
    let stdout = stdout_of(&output);
    let lines: Vec<serde_json::Value> =
        stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l:?}"))).collect();
    assert!(lines.len() >= COMMENT_FORM_ARTICLE.lines().count(), "every line of the article is shown");
    let expected_keys: BTreeSet<&str> = ["line", "label", "text", "rules"].into();
    for (index, object) in lines.iter().enumerate() {
        let object = object.as_object().expect("a JSON object");
        let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
        assert_eq!(keys, expected_keys, "keys of line {}", index + 1);
        assert_eq!(object["line"], index + 1, "lines are numbered from 1");
        assert!(object["rules"].is_array());
        assert!(object["label"].is_string());
    }
    let reply = lines.iter().find(|o| o["text"] == "Leave a Reply").expect("the Leave a Reply line");
    assert_eq!(reply["label"], "widget", "{reply}");
    let codes: Vec<&str> = reply["rules"].as_array().unwrap().iter().filter_map(|r| r["code"].as_str()).collect();
    assert!(codes.iter().any(|c| c.starts_with("WG")), "a WG rule on the Leave a Reply line: {reply}");
    let first = &lines[0];
    assert_eq!(first["label"], "content", "the title is content: {first}");
}

#[test]
fn explain_jsonl_has_one_object_per_line_of_the_file() {
    // A file that ends in a newline has as many lines as newlines (as `wc -l`, editors and
    // `str::lines` count them): the final newline does not start a phantom empty line.
    let dir = TempDir::new().unwrap();
    let input = write_article(dir.path(), "three.txt", "Title here\n\nBody line one.\n");

    let output = residue().args(["explain", "--format", "jsonl"]).arg(&input).output().unwrap();
    assert_exit(&output, 0);
    let stdout = stdout_of(&output);
    let texts: Vec<String> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(texts, ["Title here", "", "Body line one."], "explain output:\n{stdout}");

    // Without the final newline: the same three lines.
    let input = write_article(dir.path(), "three-no-newline.txt", "Title here\n\nBody line one.");
    let output = residue().args(["explain", "--format", "jsonl"]).arg(&input).output().unwrap();
    assert_exit(&output, 0);
    assert_eq!(stdout_of(&output).lines().count(), 3);
}

#[test]
fn explain_text_prints_labels() {
    let dir = TempDir::new().unwrap();
    let input = write_article(dir.path(), "comments.txt", COMMENT_FORM_ARTICLE);

    let output = residue().arg("explain").arg(&input).output().unwrap();
    assert_exit(&output, 0);
    let stdout = stdout_of(&output);
    let reply = stdout.lines().find(|l| l.contains("Leave a Reply")).expect("the Leave a Reply line is shown");
    assert!(reply.contains("widget"), "the line shows its label: {reply:?}");
    assert!(stdout.contains("verdict"), "the summary shows the verdict:\n{stdout}");
    assert!(stdout.contains("WG"), "the rule code is shown:\n{stdout}");
}

#[test]
fn explain_text_shows_why_the_line_classifier_labelled_a_line() {
    let dir = TempDir::new().unwrap();
    let page = "Daily Courier\nHome\nLocal\nSports\nOpinion\nWeather\nContact\n\
                The county council voted on Tuesday to fund the repair of the old river bridge, which has \
                been closed to lorries since a survey found cracks in two of its piers last spring.\n\
                Work is due to start in March and to last about eight months, the council transport officer \
                told the meeting, and buses will be diverted through the town centre meanwhile.\n";
    let input = write_article(dir.path(), "dump.txt", page);
    let output = residue().arg("explain").arg(&input).output().unwrap();
    assert_exit(&output, 0);
    let stdout = stdout_of(&output);
    // The site's name opening a page dump: labelled by the classifier, with both stages' readings
    // and the features that pushed hardest, each signed.
    let lines: Vec<&str> = stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with("^ WG007") && l.contains("Daily Courier"))
        .expect("WG007 on line 1");
    let why = lines[at + 1].trim();
    let (head, pushes) = why.split_once(": ").expect("probability, then features");
    assert!(head.starts_with("p ") && head.contains(" (boilerplate from ") && head.contains(", first stage "), "{why}");
    let pushes: Vec<&str> = pushes.split(", ").collect();
    assert_eq!(pushes.len(), 3, "{why}");
    assert!(pushes.iter().all(|p| p.contains(" +") || p.contains(" -")), "{why}");
}

// ---------------------------------------------------------------------------------------
// 19. clean
// ---------------------------------------------------------------------------------------

fn clean_input(dir: &Path) -> PathBuf {
    let body = jsonl(&[
        serde_json::json!({
            "id": "k1", "url": "https://news.example.com/k1", "lang": "en", "tags": ["local", "library"],
            "text": COMMENT_FORM_ARTICLE,
        }),
        serde_json::json!({"id": "k2", "lang": "en", "text": PAYWALL_ARTICLE}),
        serde_json::json!({"id": "k3", "lang": "en", "text": ""}),
    ]);
    write_article(dir, "in.jsonl", body)
}

fn parse_jsonl(text: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    text.lines()
        .map(|l| match serde_json::from_str(l) {
            Ok(serde_json::Value::Object(map)) => map,
            other => panic!("not a JSON object: {l:?} ({other:?})"),
        })
        .collect()
}

#[test]
fn clean_removes_residue_lines_and_keeps_other_fields() {
    let dir = TempDir::new().unwrap();
    let input = clean_input(dir.path());

    let output = residue().args(["clean", "--quiet"]).arg(&input).output().unwrap();
    assert_exit(&output, 0);
    let records = parse_jsonl(&stdout_of(&output));
    assert_eq!(records.len(), 3);
    let k1 = &records[0];
    assert_eq!(k1["id"], "k1");
    assert_eq!(k1["url"], "https://news.example.com/k1");
    assert_eq!(k1["lang"], "en");
    assert_eq!(k1["tags"], serde_json::json!(["local", "library"]));
    let keys: Vec<&str> = k1.keys().map(String::as_str).collect();
    assert_eq!(keys, ["id", "url", "lang", "tags", "text"], "fields keep their order");
    let text = k1["text"].as_str().unwrap();
    assert!(!text.contains("Leave a Reply"), "the comment form is removed:\n{text}");
    assert!(!text.contains("Post Comment"), "the comment form is removed:\n{text}");
    assert!(text.starts_with("Library in Brackley"), "content stays:\n{text}");
    assert!(text.contains("Head librarian Sofia Marchetti"), "content stays:\n{text}");

    let k2 = records[1]["text"].as_str().unwrap();
    assert!(!k2.contains("Subscribe now"), "paywall lines are removed:\n{k2}");
    assert!(!k2.contains("Already a subscriber"), "paywall lines are removed:\n{k2}");
    assert!(k2.contains("A single adult ticket will rise"), "content stays:\n{k2}");
    assert!(!records[1].contains_key("residue"), "no annotation without --annotate");
}

#[test]
fn clean_annotate_adds_a_residue_object() {
    let dir = TempDir::new().unwrap();
    let input = clean_input(dir.path());

    let output = residue().args(["clean", "--quiet", "--annotate"]).arg(&input).output().unwrap();
    assert_exit(&output, 0);
    let records = parse_jsonl(&stdout_of(&output));
    assert_eq!(records.len(), 3);
    for record in &records {
        let residue = record.get("residue").and_then(|r| r.as_object()).expect("a residue object");
        let verdict = residue["verdict"].as_str().expect("a verdict");
        assert!(["keep", "review", "drop"].contains(&verdict), "{verdict}");
        assert!(residue["credibility"].is_number());
    }
    assert_eq!(records[2]["residue"]["verdict"], "drop", "an empty text is dropped");
    assert_eq!(records[2]["residue"]["words"], 0);
    // The language guess: English for the two articles, none for the empty text.
    assert_eq!(records[0]["residue"]["language"], "en");
    assert_eq!(records[1]["residue"]["language"], "en");
    assert!(records[2]["residue"]["language"].is_null());
}

#[test]
fn clean_skip_verdict_drop_leaves_out_the_empty_record_and_says_so() {
    let dir = TempDir::new().unwrap();
    let input = clean_input(dir.path());
    let out = dir.path().join("clean.jsonl");

    let output =
        residue().args(["clean", "--quiet", "--skip-verdict", "drop", "-o"]).arg(&out).arg(&input).output().unwrap();
    assert_exit(&output, 0);
    let stderr = stderr_of(&output);
    let records = parse_jsonl(&fs::read_to_string(&out).unwrap());
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(!ids.contains(&"k3"), "the empty record is left out: {ids:?}");
    assert!(ids.contains(&"k1"), "{ids:?}");
    let left_out = 3 - records.len();
    assert!(stderr.contains("left out"), "stderr says records were left out:\n{stderr}");
    assert!(stderr.contains(&format!("left out {left_out} ")), "stderr gives the count {left_out}:\n{stderr}");
    assert!(stderr.contains("drop"), "stderr names the verdict:\n{stderr}");
}

// ---------------------------------------------------------------------------------------
// 20. rules
// ---------------------------------------------------------------------------------------

#[test]
fn rules_lists_codes_with_categories() {
    let output = residue().arg("rules").output().unwrap();
    assert_exit(&output, 0);
    let stdout = stdout_of(&output);
    for (code, category) in
        [("PW001", "paywall"), ("WG001", "widget"), ("FL001", "filler"), ("FR001", "framing"), ("RP001", "repetition")]
    {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(code))
            .unwrap_or_else(|| panic!("no line for {code}:\n{stdout}"));
        assert!(line.split_whitespace().any(|w| w == category), "{code} is in category {category}: {line:?}");
        assert!(line.split_whitespace().count() >= 4, "{code} has a name and a description: {line:?}");
    }
}

// ---------------------------------------------------------------------------------------
// 22. usage errors
// ---------------------------------------------------------------------------------------

#[test]
fn usage_errors_exit_2() {
    let dir = TempDir::new().unwrap();
    let input = write_article(dir.path(), "good.txt", CLEAN_ARTICLE);

    let output = residue().args(["score", "--threads", "0"]).arg(&input).output().unwrap();
    assert_exit(&output, 2);
    assert!(stderr_of(&output).contains("threads"), "{}", stderr_of(&output));
    assert!(output.stdout.is_empty(), "no CSV on a usage error");

    let output = residue().args(["score", "--no-such-flag"]).arg(&input).output().unwrap();
    assert_exit(&output, 2);
    assert!(stderr_of(&output).contains("--no-such-flag"), "{}", stderr_of(&output));

    let output = residue().arg("no-such-command").output().unwrap();
    assert_exit(&output, 2);

    let output = residue().args(["score", "--threads", "lots"]).arg(&input).output().unwrap();
    assert_exit(&output, 2);
}

#[test]
fn usage_error_with_output_file_creates_nothing() {
    let dir = TempDir::new().unwrap();
    let input = write_article(dir.path(), "in/good.txt", CLEAN_ARTICLE);
    let out_dir = dir.path().join("out");
    fs::create_dir(&out_dir).unwrap();

    let output =
        residue().args(["score", "--threads", "0", "-o"]).arg(out_dir.join("out.csv")).arg(&input).output().unwrap();
    assert_exit(&output, 2);
    assert!(names_in(&out_dir).is_empty(), "a usage error leaves no output: {:?}", names_in(&out_dir));
}

// ---------------------------------------------------------------------------------------
// Hostile input (README "Robustness"): bounded records, compression bombs, encodings,
// folders that loop or cannot be read, a full disk, SIGINT, a broken model file
// ---------------------------------------------------------------------------------------

/// The reader's cap on one JSONL line or CSV record (`input::MAX_RECORD_BYTES`).
const MAX_RECORD_BYTES: usize = 64 << 20;

#[test]
fn jsonl_line_and_csv_record_over_the_cap_are_skipped_with_file_and_line() {
    let dir = TempDir::new().unwrap();
    let long = "word ".repeat(MAX_RECORD_BYTES / 5 + 10);
    let mut jsonl_bytes = format!("{{\"id\": \"small\", \"text\": {:?}}}\n", CLEAN_ARTICLE).into_bytes();
    jsonl_bytes.extend_from_slice(format!("{{\"id\": \"huge\", \"text\": \"{long}\"}}\n").as_bytes());
    jsonl_bytes.extend_from_slice(format!("{{\"id\": \"after\", \"text\": {:?}}}\n", PAYWALL_ARTICLE).as_bytes());
    write_article(dir.path(), "in/a.jsonl", &jsonl_bytes);
    drop(jsonl_bytes);
    // In CSV the long cell is quoted and holds line breaks: the rows after it keep their lines.
    let quoted = long.replacen("word ", "line\nbreak \"\"quoted\"\" ", 3);
    let csv_text = format!("id,text\ncsv-before,Short text.\nhuge,\"{quoted}\"\ncsv-after,Another short text.\n");
    write_article(dir.path(), "in/b.csv", &csv_text);
    drop(csv_text);
    let out = dir.path().join("out.csv");

    let output = run_score(&[&dir.path().join("in"), &"-o", &out]);
    assert_exit(&output, 3);
    let stderr = stderr_of(&output);
    assert_no_panic(&stderr);
    let message = format!("record longer than {MAX_RECORD_BYTES} bytes: skipped");
    assert!(stderr.contains(&format!("a.jsonl:2: {message}")), "the JSONL line is named:\n{stderr}");
    assert!(stderr.contains(&format!("b.csv:3: {message}")), "the CSV record is named:\n{stderr}");
    let report = Report::from_file(&out);
    assert_eq!(report.ids(), ["small", "after", "csv-before", "csv-after"]);
}

#[test]
fn expanding_gzip_is_streamed_and_scored_with_limit_evidence() {
    let dir = TempDir::new().unwrap();
    // 8 MiB of "a " (twice the analysis limit) in about 8 KB: a 1000-fold expansion.
    let bomb = {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let block = "a ".repeat(1 << 19);
        for _ in 0..8 {
            encoder.write_all(block.as_bytes()).unwrap();
        }
        encoder.finish().unwrap()
    };
    assert!(bomb.len() * 900 < 8 << 20, "{} bytes compressed", bomb.len());
    write_article(dir.path(), "in/bomb.txt.gz", &bomb);
    let out = dir.path().join("out.csv");

    let output = run_score(&[&dir.path().join("in"), &"-o", &out]);
    assert_exit(&output, 0);
    let report = Report::from_file(&out);
    let row = report.row("bomb.txt.gz");
    assert_eq!(row.words(), 4 << 20, "every word of the inflated text counts");
    let evidence = row.get("evidence");
    assert!(
        evidence.contains(&format!("limit:analysed the first 4194304 of {} bytes", 8 << 20)),
        "the evidence says only a prefix was analysed: {evidence:?}"
    );
}

#[test]
fn utf16_crlf_and_bom_text_files_are_decoded() {
    let dir = TempDir::new().unwrap();
    let crlf = CLEAN_ARTICLE.replace('\n', "\r\n");
    let mut le = vec![0xFF, 0xFE];
    le.extend(crlf.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(CLEAN_ARTICLE.encode_utf16().flat_map(u16::to_be_bytes));
    write_article(dir.path(), "in/le.txt", &le);
    write_article(dir.path(), "in/be.txt", &be);
    write_article(dir.path(), "in/bom.txt", format!("\u{feff}{crlf}"));
    write_article(dir.path(), "in/plain.txt", CLEAN_ARTICLE);
    // UTF-16 without a byte-order mark is full of NUL bytes: reported, not scored.
    write_article(
        dir.path(),
        "in/nobom.txt",
        CLEAN_ARTICLE.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>(),
    );
    let out = dir.path().join("out.csv");

    let output = run_score(&[&dir.path().join("in"), &"-o", &out]);
    assert_exit(&output, 3);
    let stderr = stderr_of(&output);
    assert!(stderr.contains("nobom.txt:1: binary data"), "{stderr}");
    let report = Report::from_file(&out);
    assert_eq!(report.ids(), ["be.txt", "bom.txt", "le.txt", "plain.txt"]);
    let plain = report.row("plain.txt");
    for id in ["be.txt", "bom.txt", "le.txt"] {
        let row = report.row(id);
        assert_eq!(row.get("title"), plain.get("title"), "{id}: no BOM or \\r in the title");
        assert_eq!(row.words(), plain.words(), "{id}");
        assert_eq!(row.get("verdict"), plain.get("verdict"), "{id}");
    }
}

#[test]
fn symlink_loops_and_unreadable_entries_in_a_folder_are_reported_and_the_rest_scored() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in");
    write_article(&input, "good.txt", CLEAN_ARTICLE);
    write_article(&input, "sub/also.txt", PAYWALL_ARTICLE);
    // A folder link back up the tree, a link to itself and a dangling link.
    std::os::unix::fs::symlink(&input, input.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("self.txt", input.join("self.txt")).unwrap();
    std::os::unix::fs::symlink("nowhere.txt", input.join("dangling.txt")).unwrap();
    let out = dir.path().join("out.csv");

    let started = Instant::now();
    let output = run_score(&[&input, &"-o", &out]);
    assert!(started.elapsed() < Duration::from_secs(60), "a link loop is not followed");
    assert_exit(&output, 3);
    let stderr = stderr_of(&output);
    assert_no_panic(&stderr);
    assert!(stderr.contains("self.txt"), "the link to itself is reported:\n{stderr}");
    assert!(stderr.contains("dangling.txt"), "the dangling link is reported:\n{stderr}");
    let report = Report::from_file(&out);
    assert_eq!(report.ids(), ["good.txt", "sub/also.txt"]);
}

#[test]
fn a_full_disk_fails_with_exit_1() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let dir = TempDir::new().unwrap();
    let input = write_article(dir.path(), "good.txt", CLEAN_ARTICLE);
    let output = run_score(&[&input, &"-o", &"/dev/full"]);
    assert_exit(&output, 1);
    let stderr = stderr_of(&output);
    assert_no_panic(&stderr);
    assert!(stderr.contains("/dev/full"), "the output is named:\n{stderr}");
    assert!(stderr.to_lowercase().contains("no space"), "the cause is given:\n{stderr}");
    // A device is written in place: nothing is created beside it.
    let left: Vec<String> = names_in(Path::new("/dev")).into_iter().filter(|n| n.contains(".residue-")).collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn sigint_leaves_the_output_complete_or_absent_and_no_temporary_file() {
    let dir = TempDir::new().unwrap();
    let records: Vec<serde_json::Value> =
        (0..20_000).map(|n| serde_json::json!({"id": format!("r{n}"), "text": generated_article(n % 50)})).collect();
    let input = write_article(dir.path(), "in/many.jsonl", jsonl(&records));
    let out_dir = dir.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    let out = out_dir.join("scores.csv");

    let mut interrupted = 0;
    for delay in [300, 1500] {
        let mut child = std::process::Command::new(residue_path())
            .args(["score", "--quiet", "--threads", "1", "-o"])
            .arg(&out)
            .arg(&input)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
        assert!(killed.success());
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("residue did not stop after SIGINT");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        assert_no_panic(&stderr);
        let names = names_in(&out_dir);
        assert!(names.iter().all(|n| !n.contains(".residue-")), "a temporary file is left: {names:?}");
        match status.code() {
            Some(130) => {
                interrupted += 1;
                assert!(names.is_empty(), "interrupted, yet an output exists: {names:?}");
            }
            Some(0) => assert_eq!(Report::from_file(&out).rows.len(), records.len(), "finished: complete"),
            other => panic!("exit {other:?} after SIGINT:\n{stderr}"),
        }
        let _ = fs::remove_file(&out);
    }
    assert!(interrupted > 0, "no run was interrupted: the input is too small to catch one running");
}

/// A copy of the project's `models/` at `to`, for `--model` to read.
fn copy_models(to: &Path) {
    fn walk(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &to.join(entry.file_name()));
            } else {
                fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("models"), to)
}

#[test]
fn a_broken_model_file_names_its_file_and_line_and_exits_1() {
    let dir = TempDir::new().unwrap();
    let model = dir.path().join("model");
    copy_models(&model);
    let lexicon = model.join("en/paywall.tsv");
    let mut text = fs::read_to_string(&lexicon).unwrap();
    let lines_before = text.lines().count();
    text.push_str("subscribe (now|today)\tlots\tnot a weight, and not a regex either\n");
    fs::write(&lexicon, text).unwrap();
    let input = write_article(dir.path(), "good.txt", CLEAN_ARTICLE);
    let out = dir.path().join("out.csv");

    let output = run_score(&[&"--model", &model, &input, &"-o", &out]);
    assert_exit(&output, 1);
    let stderr = stderr_of(&output);
    assert_no_panic(&stderr);
    assert!(stderr.contains(&format!("paywall.tsv:{}:", lines_before + 1)), "file and line are named:\n{stderr}");
    assert!(!out.exists(), "no output on a fatal error");
}

#[test]
fn fit_held_out_writes_each_pages_gold_and_held_out_labels() {
    let dir = TempDir::new().unwrap();
    // Pages of the two articles above, with the comment form's lines labelled boilerplate.
    let pages: Vec<serde_json::Value> = (0..6)
        .map(|n| {
            let text = if n % 2 == 0 { CLEAN_ARTICLE } else { COMMENT_FORM_ARTICLE };
            let text = text.trim_end();
            let form_starts = text.lines().position(|l| l == "Leave a Reply").unwrap_or(usize::MAX);
            let labels: Vec<&str> = text
                .lines()
                .enumerate()
                .map(|(i, _)| if i >= form_starts { "boilerplate" } else { "content" })
                .collect();
            serde_json::json!({"id": format!("page{n}"), "text": text, "line_labels": labels})
        })
        .collect();
    let input = write_article(dir.path(), "pages.jsonl", jsonl(&pages));
    let held_out = dir.path().join("held-out.jsonl");
    let output = residue()
        .args(["fit", "--dry-run", "--folds", "2", "--trees", "5", "--quiet"])
        .arg(&input)
        .arg("--held-out")
        .arg(&held_out)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let written = fs::read_to_string(&held_out).unwrap();
    let rows: Vec<serde_json::Value> = written.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), pages.len(), "one object a page");
    for (row, page) in rows.iter().zip(&pages) {
        assert_eq!(row["id"], page["id"], "in the input's order");
        let lines = row["lines"].as_array().unwrap();
        let text_lines: Vec<&str> = page["text"].as_str().unwrap().split('\n').collect();
        assert_eq!(lines.len(), text_lines.len());
        for (i, line) in lines.iter().enumerate() {
            assert_eq!(line["text"], text_lines[i]);
            assert_eq!(line["gold"], page["line_labels"][i]);
            let predicted = line["predicted"].as_str().unwrap();
            assert!(predicted == "content" || predicted == "boilerplate", "{predicted}");
        }
    }
    // A dry run writes no model (the default output is models/lines.toml under the cwd).
    assert!(!dir.path().join("models").exists());
}

/// A reporter's paragraph: quotes, attribution, names and numbers, uneven sentences.
fn reported_text(n: usize) -> String {
    format!(
        "Police in Leeds arrested a {age}-year-old man on Tuesday after {count} cars were damaged on \
         Harehills Road, officers said. \"We had {calls} calls before midnight,\" Sgt Ann Marsh told \
         the BBC. He was bailed. The council said repairs would cost £{cost},000 and take until March. \
         \"It's the third time this year,\" said shopkeeper Ravi Patel, {shop}. Why now? Nobody knows.",
        age = 20 + n % 30,
        count = 3 + n % 9,
        calls = 10 + n,
        cost = 4 + n % 17,
        shop = 40 + n % 20,
    )
}

/// Even, general prose without a source or a number.
fn generated_text(n: usize) -> String {
    let topics = ["the community", "local residents", "the wider region", "many families", "the local economy"];
    let topic = topics[n % topics.len()];
    format!(
        "The incident has raised important questions about safety and responsibility for {topic}. Many \
         people believe that a more comprehensive approach could help to address these underlying \
         challenges over time. Authorities are expected to consider a range of potential measures in \
         the coming months. Ultimately, the situation highlights the need for continued cooperation \
         and meaningful dialogue between all of the stakeholders involved in {topic}."
    )
}

#[test]
fn fit_filler_writes_a_tree_model_that_scoring_reads_and_explain_names() {
    let dir = TempDir::new().unwrap();
    let mut pairs: Vec<serde_json::Value> = (0..24)
        .flat_map(|n| {
            let pair = format!("xsum-testgen-{n}");
            [
                serde_json::json!({"id": format!("h{n}"), "pair_id": pair, "text": reported_text(n), "labels": {"filler": false}}),
                serde_json::json!({"id": format!("m{n}"), "pair_id": pair, "text": generated_text(n), "labels": {"filler": true}}),
            ]
        })
        .collect();
    // Line-labelled pages lend their human article (`gold_body`) as human text.
    for n in 30..33 {
        let article = reported_text(n);
        pairs.push(serde_json::json!({"id": format!("page{n}"), "text": format!("Home | News\n{article}"),
            "line_labels": ["boilerplate", "content"], "gold_body": article}));
    }
    let input = write_article(dir.path(), "pairs.jsonl", jsonl(&pairs));
    let model = dir.path().join("model");
    copy_models(&model);
    // A filler model of other features (the list changed) cannot be read, but it can be refitted.
    fs::write(model.join("filler.toml"), "base = 0.0\nthreshold = 0.5\nfeatures = [\"old\"]\ntrees = []\n").unwrap();
    let stale = run_score(&[&"--model", &model, &input, &"-o", &dir.path().join("stale.csv")]);
    assert_exit(&stale, 1);
    assert!(stderr_of(&stale).contains("filler.toml"), "{}", stderr_of(&stale));
    let output = residue()
        .args(["fit", "--folds", "3", "--trees", "50", "--model"])
        .arg(&model)
        .arg("-o")
        .arg(model.join("filler.toml"))
        .arg(&input)
        .output()
        .unwrap();
    assert_exit(&output, 0);
    let printed = stdout_of(&output);
    assert!(printed.contains("3-fold by pair and page, testgen: AUROC 1.000"), "{printed}");
    assert!(printed.contains("human articles (gold_body): 0 of 3 at 0.5, calibrated"), "{printed}");
    let fitted = fs::read_to_string(model.join("filler.toml")).unwrap();
    assert!(fitted.starts_with("fitted = \"\"\"\nresidue fit (filler) --folds 3 --trees 50"), "{fitted}");
    // The calibration fitted on the held-out log-odds is written with the trees.
    assert!(fitted.contains("\n[calibration]\nslope = "), "{fitted}");

    // The fitted file is the model that `--model` scores with: the machine text is read as such.
    let human = write_article(dir.path(), "human.txt", reported_text(99));
    let machine = write_article(dir.path(), "machine.txt", generated_text(99));
    let out = dir.path().join("scores.csv");
    let output = run_score(&[&"--model", &model, &human, &machine, &"-o", &out]);
    assert_exit(&output, 0);
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let headers = reader.headers().unwrap().clone();
    let filler = headers.iter().position(|h| h == "filler").unwrap();
    let scores: Vec<f32> = reader.records().map(|r| r.unwrap()[filler].parse().unwrap()).collect();
    assert!(scores[0] < 0.1 && scores[1] > 0.5, "human then machine: {scores:?}");

    let output = residue().args(["explain", "--model"]).arg(&model).arg(&machine).output().unwrap();
    assert_exit(&output, 0);
    let explained = stdout_of(&output);
    let style = explained.lines().find(|l| l.contains("filler style model p")).expect(&explained);
    assert!(style.contains("strongest pushes: ") && style.contains(" +"), "{style}");
}
