//! Command-line definitions (clap). Only this module and `main` know about clap's types;
//! they become plain option structs for the library.
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use residue::input::{Format, InputOptions};

/// Scores scraped news articles for boilerplate residue and source credibility, with the evidence.
#[derive(Debug, Parser)]
#[command(name = "residue", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score articles: one CSV row each (to standard output unless -o).
    Score(ScoreArgs),
    /// Show one input line by line: label, rule codes, matched phrases.
    Explain(ExplainArgs),
    /// Write the records as JSONL with residue lines removed from their text.
    Clean(CleanArgs),
    /// List every rule: code, name, category and description.
    Rules(RulesArgs),
    /// Fit the line classifier on line-labelled JSONL pages; print k-fold figures; write lines.toml.
    Fit(FitArgs),
    /// Measure the scorer: an expectations .tsv (checks), or a labelled .jsonl (P/R/F1, AUROC).
    Eval(EvalArgs),
}

/// Options every command that reads articles shares.
#[derive(Debug, Args, Clone)]
pub struct Common {
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// A model directory of the same layout as the built-in `models/` (default: built in).
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// The field that holds the article text (JSONL, CSV).
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,
    /// The field that holds the record id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,
    /// The field that holds the title.
    #[arg(long, default_value = "title", value_name = "NAME")]
    pub title_field: String,
    /// The field that names the source; a URL gives its host (default: url, then source).
    #[arg(long, value_name = "NAME")]
    pub source_field: Option<String>,
}

impl Common {
    pub fn input_options(&self, format: Option<Format>) -> InputOptions {
        InputOptions {
            format,
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            title_field: self.title_field.clone(),
            source_field: self.source_field.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Files, folders (read recursively) or - for standard input.
    #[arg(value_name = "INPUT", default_value = "-")]
    pub inputs: Vec<PathBuf>,
    /// Write the CSV here (written to a temporary name, renamed when complete).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Start the CSV with a UTF-8 byte-order mark, so that Excel shows non-ASCII text right.
    #[arg(long)]
    pub bom: bool,
    /// Also write one row per source here: records, mean scores, verdict shares, rewrites, top evidence.
    #[arg(long, value_name = "FILE")]
    pub sources: Option<PathBuf>,
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// The input format, instead of taking it from the extension.
    #[arg(long, alias = "input-format", value_enum)]
    pub format: Option<Format>,
    #[command(flatten)]
    pub common: Common,
}

/// The passes across the records of one run.
#[derive(Debug, Args, Clone)]
pub struct CorpusArgs {
    /// Score each record on its own: no template lines of its source (WG008), no `rewrite_of`.
    #[arg(long)]
    pub no_corpus: bool,
    /// The field with each record's publication date (RFC 3339, YYYY-MM-DD, RFC 2822 or Unix
    /// seconds): of two matching records, the one dated earlier is the original, whatever the
    /// input order. The input is read twice (files only, not standard input).
    #[arg(long, value_name = "NAME", conflicts_with = "no_corpus")]
    pub date_field: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Aligned text for reading.
    Text,
    /// One JSON object per line of the article.
    Jsonl,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The file to explain (every record of a JSONL/CSV file).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output format: aligned text, or one JSON object per line of the article.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ExplainFormat,
    /// The input format, instead of taking it from the extension.
    #[arg(long, value_enum)]
    pub input_format: Option<Format>,
    /// Only the record with this id (JSONL/CSV inputs).
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DropKind {
    /// Also remove lines labelled filler.
    Filler,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerdictArg {
    Keep,
    Review,
    Drop,
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files, folders (read recursively) or - for standard input.
    #[arg(value_name = "INPUT", default_value = "-")]
    pub inputs: Vec<PathBuf>,
    /// Write the JSONL here (written to a temporary name, renamed when complete).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Remove these lines too (paywall and widget lines are always removed).
    #[arg(long, value_enum, value_name = "KIND")]
    pub drop: Vec<DropKind>,
    /// Leave out whole records with this verdict (repeatable); their count goes to stderr.
    #[arg(long, value_enum, value_name = "VERDICT")]
    pub skip_verdict: Vec<VerdictArg>,
    /// Add the scores and verdict to each record as a `residue` object.
    #[arg(long)]
    pub annotate: bool,
    /// Leave out records that copy or rewrite an earlier record of the run; their count goes to stderr.
    #[arg(long, conflicts_with = "no_corpus")]
    pub skip_rewrites: bool,
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// The input format, instead of taking it from the extension.
    #[arg(long, alias = "input-format", value_enum)]
    pub format: Option<Format>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A model directory instead of the built-in model.
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// An expectations .tsv (the articles are the files beside it), or a labelled .jsonl.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print only failed checks and the summary.
    #[arg(long)]
    pub failures_only: bool,
    /// List this many worst pages of a line-labelled set.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub worst: usize,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct FitArgs {
    /// Line-labelled JSONL files (`line_labels`, optionally `gold_body`).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Folds of the cross-validation (by page).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Deal pages (or pairs) into folds by another seed (0: the default assignment), to see
    /// how much a cross-validated figure moves with the split alone.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub fold_seed: u64,
    /// Boosted trees (of each stage of the line classifier, or of the filler model).
    #[arg(long, default_value_t = 200)]
    pub trees: usize,
    /// Depth of each tree.
    #[arg(long, default_value_t = 3, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=residue::trees::MAX_DEPTH as u64))]
    pub depth: usize,
    /// Learning rate of the boosting.
    #[arg(long, default_value_t = 0.1)]
    pub learning_rate: f32,
    /// Decision threshold written to the model (default: 0.4 for the line classifier, where
    /// it gave the best cross-validated shingle F1; 0.5 for the filler model).
    #[arg(long)]
    pub threshold: Option<f32>,
    /// Also train on each page's article alone (its `gold_body`, every line content), its
    /// lines weighing this share of an average page's (0: not at all). Keeps the classifier
    /// from dropping the last paragraph of text that comes already extracted.
    #[arg(long, default_value_t = 0.2, value_name = "WEIGHT")]
    pub article_weight: f32,
    /// Fit the line classifier's first stage only (no second stage reading its neighbours' probabilities).
    #[arg(long)]
    pub single_stage: bool,
    /// Only cross-validate; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// List this many worst held-out pages of each line-labelled set.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub worst: usize,
    /// Write every page's held-out line labels (gold and predicted, each page read by the
    /// fold that left it out) to this JSONL file, for error analysis.
    #[arg(long, value_name = "FILE")]
    pub held_out: Option<PathBuf>,
    /// Where to write the fitted weights.
    #[arg(long, short = 'o', default_value = "models/lines.toml", value_name = "FILE")]
    pub output: PathBuf,
    #[command(flatten)]
    pub common: Common,
}
