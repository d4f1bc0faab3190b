//! The corpus passes end to end: rewrites planted among the fixtures must come back in
//! `rewrite_of`, unrelated articles on the same story must not, template lines of one
//! source are labelled widget, and `--sources` writes one row per source.
//!
//! The corpus is generated from the articles in `fixtures/` (written for this project):
//! each is kept as the original, and some get planted rewrites of known kinds: an exact
//! copy with widget lines added, the same sentences in another order, and a tenth to a
//! fifth of the words swapped for other words.
use std::collections::HashMap;
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::json;
use tempfile::TempDir;

fn fixture_texts() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut texts: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), fs::read_to_string(&p).unwrap()))
        .collect();
    texts.sort();
    assert!(texts.len() >= 10, "fixtures/ holds the articles this test plants rewrites of");
    texts
}

/// The kinds of planted rewrite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    CopyWithWidgets,
    Reordered,
    WordsSwapped,
}

fn copy_with_widgets(text: &str) -> String {
    format!("Home | World | Business | Sport\n{text}\nShare this article\nRelated: More from our newsroom\n")
}

/// The paragraphs' sentences, rotated within each paragraph and the paragraphs reversed.
fn reordered(text: &str) -> String {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|paragraph| {
            let mut sentences: Vec<&str> = paragraph.split_inclusive(". ").collect();
            if sentences.len() > 1 {
                sentences.rotate_left(1);
            }
            sentences.join(" ").replace("  ", " ")
        })
        .collect();
    paragraphs.into_iter().rev().collect::<Vec<_>>().join("\n\n")
}

/// Every `every`-th word of four letters or more replaced by another word, as a spinner does.
fn words_swapped(text: &str, every: usize) -> String {
    const SUBSTITUTES: [&str; 8] =
        ["notable", "various", "sizeable", "assorted", "pivotal", "numerous", "vital", "major"];
    let mut seen = 0;
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.len() >= 4 && word.chars().all(|c| c.is_ascii_lowercase()) {
            seen += 1;
            if seen % every == 0 {
                out.push_str(SUBSTITUTES[seen % SUBSTITUTES.len()]);
                continue;
            }
        }
        out.push_str(word);
    }
    out
}

/// Two agencies' reports of one event: same names, place, numbers and topic, different sentences.
const SAME_STORY_A: &str = "Ferry operators agree pay deal after Dunmore strike\n\n\
Ferry operators in Dunmore agreed a new pay deal with the crew union on Tuesday, ending a four-day strike that stranded about 3,000 passengers.\n\n\
The agreement gives deck and engine crews a 6 percent rise this year and a further 3 percent in April, union negotiator Carla Benton told reporters outside the harbour office.\n\n\
\"Our members held firm and it paid off,\" Benton said. The operator, Northsound Lines, said sailings would resume on Wednesday morning with the 07:15 crossing.\n\n\
Local businesses had complained that the stoppage cut visitor numbers during the busiest week of the summer.";
const SAME_STORY_B: &str = "Dunmore ferries to sail again as strike ends\n\n\
Sailings between Dunmore and the islands will restart on Wednesday after Northsound Lines and the crew union settled their dispute over wages.\n\n\
Carla Benton, who led talks for the union, said crews had accepted an offer worth 9 percent over two years. Northsound's chief executive, Owen Pryce, called the deal fair and said the company wanted to rebuild trust with passengers.\n\n\
The strike began on Friday and left thousands of travellers, many of them tourists, searching for flights or waiting in the town for news.\n\n\
Hotel owners on the islands said cancellations had cost them several thousand pounds each.";

struct Planted {
    /// Records in input order: (id, source, text).
    records: Vec<(String, String, String)>,
    /// The id each planted rewrite must name, and its kind.
    expected: HashMap<String, (String, Kind)>,
}

fn planted_corpus() -> Planted {
    let fixtures = fixture_texts();
    let mut records = Vec::new();
    let mut expected = HashMap::new();
    for (name, text) in &fixtures {
        records.push((name.clone(), "original.example".to_string(), text.clone()));
    }
    records.push(("same-story-a".into(), "agency-a.example".into(), SAME_STORY_A.into()));
    records.push(("same-story-b".into(), "agency-b.example".into(), SAME_STORY_B.into()));
    for (i, (name, text)) in fixtures.iter().enumerate() {
        let (kind, rewritten) = match i % 3 {
            0 => (Kind::CopyWithWidgets, copy_with_widgets(text)),
            1 => (Kind::Reordered, reordered(text)),
            _ => (Kind::WordsSwapped, words_swapped(text, 6 + i % 4)),
        };
        let id = format!("{name}-{kind:?}");
        records.push((id.clone(), "copies.example".to_string(), rewritten));
        expected.insert(id, (name.clone(), kind));
    }
    Planted { records, expected }
}

fn write_jsonl(dir: &Path, records: &[(String, String, String)]) -> std::path::PathBuf {
    let path = dir.join("corpus.jsonl");
    let lines: Vec<String> = records
        .iter()
        .map(|(id, source, text)| json!({"id": id, "source": source, "text": text}).to_string())
        .collect();
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn score_rows(args: &[&str]) -> Vec<HashMap<String, String>> {
    let output = Command::cargo_bin("residue").unwrap().args(args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    read_csv(&output.stdout)
}

fn read_csv(bytes: &[u8]) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader.records().map(|r| header.iter().cloned().zip(r.unwrap().iter().map(String::from)).collect()).collect()
}

#[test]
fn planted_rewrites_name_their_original_and_nothing_else_is_a_rewrite() {
    let dir = TempDir::new().unwrap();
    let planted = planted_corpus();
    let input = write_jsonl(dir.path(), &planted.records);
    let rows = score_rows(&["score", input.to_str().unwrap(), "-q"]);
    assert_eq!(rows.len(), planted.records.len());
    let mut found: HashMap<Kind, (usize, usize)> = HashMap::new();
    for row in &rows {
        let id = &row["id"];
        let similarity: f32 = row["rewrite_similarity"].parse().unwrap();
        match planted.expected.get(id) {
            Some((original, kind)) => {
                let tally = found.entry(*kind).or_default();
                tally.1 += 1;
                if &row["rewrite_of"] == original {
                    tally.0 += 1;
                    assert!(similarity >= 0.5, "{id}: similarity {similarity}");
                } else {
                    assert_eq!(row["rewrite_of"], "", "{id} names a record that is not its original");
                }
            }
            None => {
                assert_eq!(row["rewrite_of"], "", "{id} is an original, not a rewrite");
                assert_eq!(similarity, 0.0);
            }
        }
    }
    eprintln!("found per kind (hits, planted): {found:?}");
    // Short fixtures (under 30 words) are never matched; every kind must be found in most.
    for kind in [Kind::CopyWithWidgets, Kind::Reordered, Kind::WordsSwapped] {
        let (hits, planted) = found[&kind];
        assert!(hits * 10 >= planted * 8, "{kind:?}: {hits} of {planted} found");
    }
    assert_eq!(found[&Kind::CopyWithWidgets].0, found[&Kind::CopyWithWidgets].1, "every copy is found");
}

#[test]
fn a_rewrite_loses_credibility_and_no_corpus_turns_the_pass_off() {
    let dir = TempDir::new().unwrap();
    let planted = planted_corpus();
    let input = write_jsonl(dir.path(), &planted.records);
    let with = score_rows(&["score", input.to_str().unwrap(), "-q"]);
    let without = score_rows(&["score", input.to_str().unwrap(), "-q", "--no-corpus"]);
    let credibility = |r: &HashMap<String, String>| r["credibility"].parse::<f32>().unwrap();
    // The copy that is most credible on its own, so that the fall is not cut off at 0.
    let row = |rows: &[HashMap<String, String>], id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    let copy = planted
        .expected
        .iter()
        .filter(|(_, (_, kind))| *kind == Kind::CopyWithWidgets)
        .map(|(id, _)| id.as_str())
        .max_by(|a, b| credibility(&row(&without, a)).total_cmp(&credibility(&row(&without, b))).then(a.cmp(b)))
        .unwrap();
    let (with, without) = (row(&with, copy), row(&without, copy));
    assert_ne!(with["rewrite_of"], "");
    assert_eq!(without["rewrite_of"], "");
    assert!(credibility(&with) < credibility(&without) - 0.1, "{with:?} vs {without:?}");
}

#[test]
fn rewrite_of_is_identical_for_one_and_two_threads() {
    let dir = TempDir::new().unwrap();
    let input = write_jsonl(dir.path(), &planted_corpus().records);
    let run = |threads: &str| {
        Command::cargo_bin("residue")
            .unwrap()
            .args(["score", input.to_str().unwrap(), "-q", "-j", threads])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run("1"), run("2"));
}

/// A site whose every page carries the same footer lines, each of which reads like prose.
fn site_pages() -> Vec<(String, String, String)> {
    let footer = "Daily Harbour Gazette is published by Harbour Media Group, 12 Quay Street, Wexley.\n\
                  All our journalism is checked by two editors before it appears on this website.";
    fixture_texts()
        .into_iter()
        .take(6)
        .map(|(name, text)| (name, "gazette.example".to_string(), format!("{text}\n{footer}\n")))
        .collect()
}

#[test]
fn lines_that_recur_across_a_sources_records_are_template() {
    let dir = TempDir::new().unwrap();
    let input = write_jsonl(dir.path(), &site_pages());
    let cleaned = |extra: &[&str]| {
        let mut args = vec!["clean", input.to_str().unwrap(), "-q"];
        args.extend_from_slice(extra);
        let output = Command::cargo_bin("residue").unwrap().args(&args).output().unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let with = cleaned(&[]);
    assert!(!with.contains("Harbour Media Group"), "the footer recurs in 6 records and is dropped");
    assert!(!with.contains("checked by two editors"));
    let without = cleaned(&["--no-corpus"]);
    assert!(without.contains("Harbour Media Group"), "read alone, each footer line passes as prose");
    // The articles themselves stay: each fixture's own lines occur once.
    for (_, _, text) in site_pages() {
        let first_long_line = text.lines().find(|l| l.split_whitespace().count() > 12).unwrap();
        let needle = serde_json::to_string(first_long_line.trim()).unwrap();
        assert!(with.contains(needle.trim_matches('"')), "{first_long_line}");
    }
}

#[test]
fn sources_report_has_one_row_per_source() {
    let dir = TempDir::new().unwrap();
    let planted = planted_corpus();
    let input = write_jsonl(dir.path(), &planted.records);
    let sources = dir.path().join("sources.csv");
    score_rows(&["score", input.to_str().unwrap(), "-q", "--sources", sources.to_str().unwrap()]);
    let rows = read_csv(&fs::read(&sources).unwrap());
    let names: Vec<&str> = rows.iter().map(|r| r["source"].as_str()).collect();
    assert_eq!(names, ["agency-a.example", "agency-b.example", "copies.example", "original.example"]);
    let copies = &rows[2];
    assert_eq!(copies["records"], planted.expected.len().to_string());
    let rewrite_share: f32 = copies["rewrite_share"].parse().unwrap();
    assert!(rewrite_share >= 0.8, "{copies:?}");
    assert_eq!(rows[3]["rewrite_share"], "0.000");
    let shares: f32 =
        ["keep_share", "review_share", "drop_share"].iter().map(|c| rows[3][*c].parse::<f32>().unwrap()).sum();
    assert!((shares - 1.0).abs() < 0.01);
    assert!(copies["top_evidence"].contains("widget:"), "{copies:?}");
}

#[test]
fn with_a_date_field_the_record_dated_earlier_is_the_original() {
    let dir = TempDir::new().unwrap();
    let texts = fixture_texts();
    let (a, b) = (&texts[0].1, &texts[1].1);
    // The copy of `a` comes first in the input but was published a day after `a`; the copy
    // of `b` comes after `b` and after it in time. One record has a date nobody can read.
    let records = [
        json!({"id": "a-copy", "source": "s1", "text": copy_with_widgets(a), "date": "2024-03-06T09:00:00Z"}),
        json!({"id": "a", "source": "s2", "text": a, "date": "2024-03-05"}),
        json!({"id": "b", "source": "s3", "text": b, "date": "Fri, 01 Mar 2024 08:00:00 +0000"}),
        json!({"id": "b-copy", "source": "s4", "text": copy_with_widgets(b), "date": "soon"}),
    ];
    let input = dir.path().join("dated.jsonl");
    fs::write(&input, records.iter().map(|r| r.to_string() + "\n").collect::<String>()).unwrap();
    let input = input.to_str().unwrap();
    let rewrite_of = |rows: Vec<HashMap<String, String>>| {
        rows.iter().map(|r| (r["id"].clone(), r["rewrite_of"].clone())).collect::<Vec<_>>()
    };
    let named = |pairs: [(&str, &str); 4]| pairs.map(|(id, of)| (id.to_string(), of.to_string())).to_vec();
    assert_eq!(
        rewrite_of(score_rows(&["score", input, "-q", "--date-field", "date"])),
        named([("a-copy", "a"), ("a", ""), ("b", ""), ("b-copy", "b")])
    );
    // Without dates, input order decides.
    assert_eq!(
        rewrite_of(score_rows(&["score", input, "-q"])),
        named([("a-copy", ""), ("a", "a-copy"), ("b", ""), ("b-copy", "b")])
    );
    // `clean --skip-rewrites` leaves out the rewrites that the dates name.
    let output = Command::cargo_bin("residue")
        .unwrap()
        .args(["clean", input, "-q", "--skip-rewrites", "--date-field", "date"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let kept: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kept, ["a", "b"]);
    // Standard input cannot be read twice.
    let output = Command::cargo_bin("residue")
        .unwrap()
        .args(["score", "-", "-q", "--date-field", "date"])
        .write_stdin(fs::read(input).unwrap())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--date-field reads the input twice"));
}
