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

/// `explain` says which words raised framing and which features pushed the filler model.
#[test]
fn explain_names_the_words_behind_framing_and_the_features_behind_filler() {
    let output = assert_cmd::Command::cargo_bin("residue")
        .unwrap()
        .args(["explain", "fixtures/framing_opinion_own_voice.txt"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let framing = text.lines().find(|l| l.trim_start().starts_with("framing ")).expect("a framing line");
    assert!(framing.contains("FR001 \"thugs\""), "{framing}");
    let style = text.lines().find(|l| l.contains("filler style model p")).expect("a filler style line");
    let named = residue::detect::filler::STYLE_FEATURE_NAMES.iter().filter(|name| style.contains(*name)).count();
    assert!(named >= 3, "{style}");
}

/// A page dump's short first line before more navigation is the site's, not a headline; an
/// article's short headline before its lead, and a long first line whatever follows, stay.
#[test]
fn a_short_first_line_is_a_headline_only_when_an_article_follows_it() {
    let scorer = scorer();
    let paragraph = "The county council voted on Tuesday to fund the repair of the old river bridge, \
                     which has been closed to lorries since a survey found cracks in two of its piers last spring.";
    let lead = "Work is due to start in March and to last about eight months, the council's transport \
                officer told the meeting, and buses will be diverted through the town centre meanwhile.";
    let label_of_first = |text: &str| scorer.assess(text).labels.labels[0];
    let dump = format!("Daily Courier\nHome\nLocal\nSports\nOpinion\nWeather\nContact\n{paragraph}\n{lead}\n{lead}");
    assert!(label_of_first(&dump).is_boilerplate(), "{dump}");
    let article = format!("Council backs bridge repair\n{paragraph}\n{lead}\n{lead}");
    assert!(!label_of_first(&article).is_boilerplate());
    let long_headline = format!(
        "County council backs repair of the old river bridge\nHome\nLocal\nSports\nOpinion\n{paragraph}\n{lead}"
    );
    assert!(!label_of_first(&long_headline).is_boilerplate());
}
