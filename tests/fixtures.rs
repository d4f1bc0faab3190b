//! The bundled fixtures, scored end to end through the library: their expectations hold,
//! and a snapshot of their CSV rows shows any change of score in review.
use std::path::Path;

use residue::eval;
use residue::input::{InputOptions, expand, read_file};
use residue::output::{CsvReport, ReportRow};
use residue::{Model, Scorer};

fn scorer() -> Scorer {
    Scorer::new(Model::embedded().expect("the embedded model loads")).expect("the scorer binds its rules")
}

#[test]
fn every_fixture_expectation_holds() {
    let report = eval::run(&scorer(), Path::new("fixtures/expected.tsv")).expect("expectations load");
    let mut printed = Vec::new();
    report.print(&mut printed, true).unwrap();
    assert_eq!(report.failed(), 0, "{}", String::from_utf8_lossy(&printed));
}

#[test]
fn fixture_scores_match_the_snapshot() {
    let scorer = scorer();
    let options = InputOptions::default();
    let (files, errors) = expand(&[Path::new("fixtures").to_path_buf()], &options);
    assert!(errors.is_empty());
    assert!(files.len() >= 12, "at least 12 fixture articles");
    let mut csv = CsvReport::new(Vec::new(), false).unwrap();
    for file in &files {
        read_file(file, &options, &mut |record| {
            let record = record.expect("fixtures are readable");
            let assessment = scorer.assess(&record.text);
            csv.write(&ReportRow::new(&record.id, &record.source, None, &assessment, None)).unwrap();
            true
        });
    }
    csv.flush().unwrap();
    let text = String::from_utf8(csv.into_inner().unwrap()).unwrap();
    insta::assert_snapshot!("fixtures_csv", text);
}
