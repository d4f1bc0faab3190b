//! The commands: wiring inputs, the scorer and the writers together for each subcommand.
use std::io::{IsTerminal, Write};
use std::path::Path;

use residue::corpus::dated::{DatedRewrites, record_date};
use residue::corpus::sources::{RecordScores, SOURCES_HEADER, SourceReport};
use residue::corpus::{NamedRewriteIndex, RewriteSignature, TemplateLines};
use residue::detect::Finding;
use residue::error::{Error, Result};
use residue::input::{self, InputFile, InputOptions};
use residue::model::{Category, LineLabel, Model};
use residue::output::{CsvReport, EVIDENCE_ITEMS, Output, ReportRow, spreadsheet_safe};
use residue::pipeline::{self, RunStats};
use residue::score::{Assessment, FillerStyle, Scorer, Standing, Verdict};

use crate::cli::{
    CleanArgs, Command, Common, CorpusArgs, DropKind, EvalArgs, ExplainArgs, ExplainFormat, FitArgs, RulesArgs,
    ScoreArgs, VerdictArg,
};

/// How a command ended, short of a fatal error.
pub struct Outcome {
    /// Records (or inputs) that could not be read.
    pub failures: u64,
    /// Checks that failed (eval).
    pub failed_checks: u64,
}

impl Outcome {
    pub fn exit_code(&self) -> u8 {
        if self.failed_checks > 0 {
            1
        } else if self.failures > 0 {
            3
        } else {
            0
        }
    }
}

pub fn run(command: Command) -> Result<Outcome> {
    match command {
        Command::Score(args) => score(args),
        Command::Explain(args) => explain(args),
        Command::Clean(args) => clean(args),
        Command::Rules(args) => rules(args),
        Command::Eval(args) => eval(args),
        Command::Fit(args) => fit(args),
    }
}

fn load_model(dir: Option<&Path>) -> Result<Model> {
    match dir {
        Some(dir) => Model::from_dir(dir),
        None => Model::embedded(),
    }
}

fn threads(common: &Common) -> Result<usize> {
    match common.threads {
        Some(0) => Err(Error::Usage("--threads must be at least 1".into())),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

fn report_error(error: &Error) {
    eprintln!("residue: {error}");
}

/// A progress spinner on stderr, only for a terminal and without --quiet.
fn progress(common: &Common) -> Option<indicatif::ProgressBar> {
    if common.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} records scored ({per_sec}) {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(bar)
}

/// Expands inputs, reporting the ones that cannot be found. The output file itself is left
/// out, so that scoring a folder into a file inside it gives the same result twice.
fn expand(inputs: &[std::path::PathBuf], options: &InputOptions, output: Option<&Path>) -> (Vec<InputFile>, u64) {
    let (mut files, errors) = input::expand(inputs, options);
    errors.iter().for_each(report_error);
    if let Some(output) = output.and_then(|o| std::fs::canonicalize(o).ok()) {
        files.retain(|f| std::fs::canonicalize(&f.path).map_or(true, |p| p != output));
    }
    (files, errors.len() as u64)
}

/// A record on its way to the output, as the rewrite index sees it.
trait Rewritable {
    fn id(&self) -> &str;
    /// The record's signature, if it is to be checked (taken: each record is checked once).
    fn take_signature(&mut self) -> Option<RewriteSignature>;
    fn set_rewrite_of(&mut self, earlier: &str, similarity: f32);
}

/// How a run finds the record each record rewrites.
enum Rewrites {
    /// One pass: each record is checked against the records before it in input order.
    InOrder(NamedRewriteIndex),
    /// Found by a first pass over the input and directed by date ([`DatedRewrites`]).
    Dated(DatedRewrites),
}

impl Rewrites {
    /// How `score` or `clean` finds rewrites, with the first pass already run when the
    /// records carry dates; `None` when the run does not look for them.
    fn for_run(
        wanted: bool,
        corpus: &CorpusArgs,
        files: &[InputFile],
        options: &InputOptions,
        threads: usize,
    ) -> Result<Option<Self>> {
        if !wanted || corpus.no_corpus {
            return Ok(None);
        }
        let Some(field) = &corpus.date_field else { return Ok(Some(Rewrites::InOrder(NamedRewriteIndex::new()))) };
        if files.iter().any(InputFile::is_stdin) {
            return Err(Error::Usage("--date-field reads the input twice: give files, not standard input".into()));
        }
        let mut table = DatedRewrites::new();
        pipeline::run_settled(
            files,
            options,
            threads,
            &mut (),
            |record, _| {
                let date = record_date(&record, field);
                (record.id, Some(RewriteSignature::of(&record.text)), date)
            },
            |batch| {
                table.add_batch(batch.iter_mut().map(|(id, signature, date)| {
                    (id.as_str(), signature.take().expect("each record is settled once"), *date)
                }));
                Ok(())
            },
            |_| Ok(()),
            // The second pass reads the same input and reports its errors.
            |_| {},
        )?;
        Ok(Some(Rewrites::Dated(table)))
    }

    /// Whether records must bring a signature to [`Self::settle`].
    fn needs_signatures(this: &Option<Self>) -> bool {
        matches!(this, Some(Rewrites::InOrder(_)))
    }

    /// An error if the second pass of a dated run read fewer records than the first (the
    /// input changed in between): its `rewrite_of` cannot be trusted, so an output file is
    /// not kept. (A record that differs stops the run in [`Self::settle`].)
    fn check_passes_agree(this: &Option<Self>) -> Result<()> {
        match this {
            Some(Rewrites::Dated(table)) => table.second_pass_done().map_err(|e| Error::Usage(e.to_string())),
            _ => Ok(()),
        }
    }

    /// Tells each record of a batch, in input order, the earlier record it rewrites.
    fn settle<T: Rewritable>(this: Option<&mut Self>, batch: &mut [&mut T]) -> Result<()> {
        match this {
            None => Ok(()),
            Some(Rewrites::InOrder(index)) => {
                let (at, signatures): (Vec<usize>, Vec<RewriteSignature>) =
                    batch.iter_mut().enumerate().filter_map(|(at, r)| r.take_signature().map(|s| (at, s))).unzip();
                let found = index.check_and_insert_all(at.iter().map(|&at| batch[at].id()).zip(signatures));
                for (at, found) in at.into_iter().zip(found) {
                    if let Some((earlier, similarity)) = found {
                        batch[at].set_rewrite_of(earlier, similarity);
                    }
                }
                Ok(())
            }
            Some(Rewrites::Dated(table)) => {
                for record in batch.iter_mut() {
                    let found = table.next_in_second_pass(record.id()).map_err(|e| Error::Usage(e.to_string()))?;
                    if let Some((original, similarity)) = found {
                        record.set_rewrite_of(original, similarity);
                    }
                }
                Ok(())
            }
        }
    }
}

/// One record's row, scored in parallel, with what the in-order corpus pass still needs.
struct ScoredRecord {
    id: String,
    source: String,
    row: ReportRow,
    standing: Standing,
    signature: Option<RewriteSignature>,
    /// The earlier record this one rewrites, and how closely: filled in input order.
    rewrite_of: Option<(String, f32)>,
    /// The scores and evidence items, when a per-source report is being written.
    for_sources: Option<(RecordScores, Vec<String>)>,
}

impl Rewritable for ScoredRecord {
    fn id(&self) -> &str {
        &self.id
    }

    fn take_signature(&mut self) -> Option<RewriteSignature> {
        self.signature.take()
    }

    fn set_rewrite_of(&mut self, earlier: &str, similarity: f32) {
        self.rewrite_of = Some((earlier.to_string(), similarity));
    }
}

/// One record's cleaned line (none if its verdict is skipped), cleaned in parallel.
struct CleanedRecord {
    id: String,
    signature: Option<RewriteSignature>,
    line: Option<String>,
    /// Whether it rewrites an earlier record: filled in input order.
    rewrite: bool,
}

impl Rewritable for CleanedRecord {
    fn id(&self) -> &str {
        &self.id
    }

    fn take_signature(&mut self) -> Option<RewriteSignature> {
        self.signature.take()
    }

    fn set_rewrite_of(&mut self, _: &str, _: f32) {
        self.rewrite = true;
    }
}

fn score(args: ScoreArgs) -> Result<Outcome> {
    let scorer = Scorer::new(load_model(args.common.model.as_deref())?)?;
    let options = args.common.input_options(args.format);
    let threads = threads(&args.common)?;
    let (files, missing) = expand(&args.inputs, &options, args.output.as_deref());
    let mut rewrites = Rewrites::for_run(true, &args.corpus, &files, &options, threads)?;
    let mut output = Output::create(args.output.as_deref())?;
    let target = output.target().to_path_buf();
    let mut sources_output = args.sources.as_deref().map(|path| Output::create(Some(path))).transpose()?;
    let mut template = template_table(&scorer, &args.corpus);
    let mut sources = sources_output.as_ref().map(|_| SourceReport::new());
    let (with_signatures, with_sources) = (Rewrites::needs_signatures(&rewrites), sources.is_some());
    let bar = progress(&args.common);
    let stats = {
        let mut csv = CsvReport::new(output.writer(), args.bom).map_err(|e| Error::output(&target, e))?;
        let stats = pipeline::run_settled(
            &files,
            &options,
            threads,
            &mut template,
            |record, template| {
                let template = template.as_ref().map(|t| t.of_source(&record.source));
                let assessment = scorer.assess_record(&record, template);
                let row = ReportRow::new(&record.id, &record.source, record.title.as_deref(), &assessment, None);
                ScoredRecord {
                    row,
                    standing: assessment.standing(),
                    signature: with_signatures.then(|| RewriteSignature::of(&record.text)),
                    rewrite_of: None,
                    for_sources: with_sources
                        .then(|| (record_scores(&assessment), assessment.evidence(EVIDENCE_ITEMS))),
                    id: record.id,
                    source: record.source,
                }
            },
            |batch| Rewrites::settle(rewrites.as_mut(), batch),
            |mut scored| {
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                let mut rewrite = false;
                if let Some((of, similarity)) = scored.rewrite_of.take() {
                    scored.standing = scorer.after_rewrite(scored.standing, similarity);
                    scored.row.set_rewrite(&of, similarity, &scored.standing);
                    rewrite = true;
                }
                if let (Some(sources), Some((mut scores, evidence))) = (sources.as_mut(), scored.for_sources) {
                    scores.credibility = scored.standing.credibility;
                    let s = &scored.standing;
                    sources.add(&scored.source, s.words, scores, s.verdict, rewrite, &evidence);
                }
                csv.write(&scored.row).map_err(|e| Error::output(&target, e))
            },
            report_error,
        )?;
        Rewrites::check_passes_agree(&rewrites)?;
        csv.flush().map_err(|e| Error::output(&target, e))?;
        stats
    };
    if let (Some(mut sources_output), Some(sources)) = (sources_output.take(), sources) {
        let sources_target = sources_output.target().to_path_buf();
        write_sources(sources_output.writer(), &sources, args.bom).map_err(|e| Error::output(&sources_target, e))?;
        output.commit()?;
        sources_output.commit()?;
    } else {
        output.commit()?;
    }
    finish(bar, &stats);
    Ok(Outcome { failures: stats.failures + missing, failed_checks: 0 })
}

/// The template-line table of a run, unless `--no-corpus`.
fn template_table(scorer: &Scorer, corpus: &CorpusArgs) -> Option<TemplateLines> {
    let weights = &scorer.model().weights.corpus;
    (!corpus.no_corpus).then(|| TemplateLines::new(weights.template_min_records, weights.template_max_entries))
}

fn record_scores(assessment: &Assessment) -> RecordScores {
    let s = assessment.scores;
    RecordScores {
        paywall: s.paywall,
        widget: s.widget,
        filler: s.filler,
        framing: s.framing,
        repetition: s.repetition,
        boilerplate_share: assessment.boilerplate_share,
        credibility: assessment.credibility,
    }
}

/// The per-source CSV, every cell spreadsheet-safe.
fn write_sources(writer: &mut dyn Write, sources: &SourceReport, bom: bool) -> std::io::Result<()> {
    if bom {
        writer.write_all("\u{feff}".as_bytes())?;
    }
    let mut csv = csv::WriterBuilder::new().has_headers(false).from_writer(writer);
    csv.write_record(SOURCES_HEADER)?;
    for row in sources.rows() {
        csv.write_record(row.iter().map(|cell| spreadsheet_safe(cell).into_owned()))?;
    }
    csv.flush()
}

fn finish(bar: Option<indicatif::ProgressBar>, stats: &RunStats) {
    if let Some(bar) = bar {
        bar.finish_and_clear();
        eprintln!("residue: {} records scored, {} unreadable", stats.records, stats.failures);
    }
}

fn clean(args: CleanArgs) -> Result<Outcome> {
    let scorer = Scorer::new(load_model(args.common.model.as_deref())?)?;
    let options = args.common.input_options(args.format);
    let threads = threads(&args.common)?;
    let (files, missing) = expand(&args.inputs, &options, args.output.as_deref());
    let mut drop_labels = vec![LineLabel::Paywall, LineLabel::Widget];
    if args.drop.contains(&DropKind::Filler) {
        drop_labels.push(LineLabel::Filler);
    }
    let skip: Vec<Verdict> = args
        .skip_verdict
        .iter()
        .map(|v| match v {
            VerdictArg::Keep => Verdict::Keep,
            VerdictArg::Review => Verdict::Review,
            VerdictArg::Drop => Verdict::Drop,
        })
        .collect();
    let mut rewrites = Rewrites::for_run(args.skip_rewrites, &args.corpus, &files, &options, threads)?;
    let with_signatures = Rewrites::needs_signatures(&rewrites);
    let mut output = Output::create(args.output.as_deref())?;
    let target = output.target().to_path_buf();
    let bar = progress(&args.common);
    let mut template = template_table(&scorer, &args.corpus);
    let (mut skipped, mut skipped_rewrites) = (0u64, 0u64);
    let stats = {
        let writer = output.writer();
        let stats = pipeline::run_settled(
            &files,
            &options,
            threads,
            &mut template,
            |record, template| {
                let template = template.as_ref().map(|t| t.of_source(&record.source));
                let assessment = scorer.assess_record(&record, template);
                let line = (!skip.contains(&assessment.verdict))
                    .then(|| cleaned_record(&record, &assessment, &drop_labels, &options.text_field, args.annotate));
                CleanedRecord {
                    signature: with_signatures.then(|| RewriteSignature::of(&record.text)),
                    id: record.id,
                    line,
                    rewrite: false,
                }
            },
            // Every record enters the index, skipped or not: a rewrite of a dropped record is
            // still a rewrite.
            |batch| Rewrites::settle(rewrites.as_mut(), batch),
            |CleanedRecord { line, rewrite, .. }| {
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                match line {
                    Some(_) if rewrite => {
                        skipped_rewrites += 1;
                        Ok(())
                    }
                    Some(line) => writer.write_all(line.as_bytes()).map_err(|e| Error::output(&target, e)),
                    None => {
                        skipped += 1;
                        Ok(())
                    }
                }
            },
            report_error,
        )?;
        Rewrites::check_passes_agree(&rewrites)?;
        writer.flush().map_err(|e| Error::output(&target, e))?;
        stats
    };
    output.commit()?;
    finish(bar, &stats);
    if !skip.is_empty() {
        let names: Vec<&str> = skip.iter().map(|v| v.as_str()).collect();
        eprintln!("residue: left out {skipped} records with verdict {}", names.join(" or "));
    }
    if args.skip_rewrites {
        eprintln!("residue: left out {skipped_rewrites} records that rewrite an earlier record");
    }
    Ok(Outcome { failures: stats.failures + missing, failed_checks: 0 })
}

/// One JSONL line: the record's fields with its text cleaned (and scores, if annotating).
fn cleaned_record(
    record: &residue::Record,
    assessment: &Assessment,
    drop: &[LineLabel],
    text_field: &str,
    annotate: bool,
) -> String {
    let mut fields = record.fields.clone().unwrap_or_else(|| {
        let mut map = serde_json::Map::new();
        map.insert("id".into(), record.id.clone().into());
        map
    });
    let mut cleaned = assessment.cleaned_text(drop);
    if let Some(total) = assessment.analysis.truncated_from {
        // Past the analysis limit nothing was labelled: keep that part as it was.
        cleaned.push_str(&record.text[assessment.analysis.text.len()..total.min(record.text.len())]);
    }
    fields.insert(if record.fields.is_some() { text_field.to_string() } else { "text".into() }, cleaned.into());
    if annotate {
        let s = assessment.scores;
        let round = |v: f32| serde_json::Value::from((f64::from(v) * 1000.0).round() / 1000.0);
        let mut annotation = serde_json::Map::new();
        annotation.insert("words".into(), assessment.analysis.words.into());
        annotation.insert("language".into(), assessment.context.language.clone().into());
        annotation.insert("paywall".into(), round(s.paywall));
        annotation.insert("widget".into(), round(s.widget));
        annotation.insert("filler".into(), round(s.filler));
        annotation.insert("framing".into(), round(s.framing));
        annotation.insert("repetition".into(), round(s.repetition));
        annotation.insert("boilerplate_share".into(), round(assessment.boilerplate_share));
        annotation.insert("credibility".into(), round(assessment.credibility));
        annotation.insert("verdict".into(), assessment.verdict.as_str().into());
        annotation.insert("evidence".into(), assessment.evidence(residue::output::EVIDENCE_ITEMS).into());
        fields.insert("residue".into(), annotation.into());
    }
    let mut line = serde_json::Value::Object(fields).to_string();
    line.push('\n');
    line
}

fn explain(args: ExplainArgs) -> Result<Outcome> {
    let scorer = Scorer::new(load_model(args.common.model.as_deref())?)?;
    let options = args.common.input_options(args.input_format);
    let file = InputFile { path: args.file.clone(), id: args.file.to_string_lossy().into_owned() };
    if !file.is_stdin() && !args.file.exists() {
        return Err(Error::Input { path: args.file.clone(), message: "No such file or directory".into() });
    }
    let multi_record = !matches!(file.format(&options), Some(input::Format::Txt) | None);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failures = 0u64;
    let mut write_error: Option<Error> = None;
    input::read_file(&file, &options, &mut |item| {
        let record = match item {
            Ok(record) => record,
            Err(error) => {
                report_error(&error);
                failures += 1;
                return true;
            }
        };
        if args.id.as_ref().is_some_and(|id| *id != record.id) {
            return true;
        }
        let assessment = scorer.assess_record(&record, None);
        let written = match args.format {
            ExplainFormat::Text => {
                let reasons =
                    Reasons { style: scorer.filler_style(&record.text), lines: scorer.line_reasons(&record.text, 3) };
                explain_text(&mut out, &record, &assessment, scorer.model(), reasons)
            }
            ExplainFormat::Jsonl => explain_jsonl(&mut out, &record, &assessment, multi_record),
        };
        match written {
            Ok(()) => true,
            Err(e) => {
                write_error = Some(Error::output("<stdout>", e));
                false
            }
        }
    });
    if let Some(error) = write_error {
        return Err(error);
    }
    out.flush().map_err(|e| Error::output("<stdout>", e))?;
    Ok(Outcome { failures, failed_checks: 0 })
}

fn findings_by_line<'a>(assessment: &'a Assessment) -> Vec<Vec<&'a Finding>> {
    let mut by_line = vec![Vec::new(); assessment.analysis.lines.len()];
    for finding in &assessment.findings {
        by_line[finding.line].push(finding);
    }
    by_line
}

/// Under the scores: the findings that raised each score most, and the filler style model's
/// probability with the features that pushed it hardest.
fn explain_scores(out: &mut dyn Write, a: &Assessment, style: Option<FillerStyle>) -> std::io::Result<()> {
    const SHOWN: usize = 4;
    for category in [Category::Paywall, Category::Widget, Category::Filler, Category::Framing, Category::Repetition] {
        let score = a.scores.get(category).unwrap_or(0.0);
        let mut raising: Vec<&Finding> =
            a.findings.iter().filter(|f| f.category == category && f.weight > 0.0).collect();
        if score <= 0.0 || raising.is_empty() {
            continue;
        }
        raising.sort_by(|x, y| y.weight.total_cmp(&x.weight).then(x.start.cmp(&y.start)));
        let items: Vec<String> = raising
            .iter()
            .take(SHOWN)
            .map(|f| {
                let phrase: String = f.phrase(&a.analysis).chars().take(40).collect();
                format!("{} {:?} {:.2}", f.rule, phrase.trim(), f.weight)
            })
            .collect();
        let more = if raising.len() > SHOWN { format!(" (+{} more)", raising.len() - SHOWN) } else { String::new() };
        writeln!(out, "   {} {score:.3} <- {}{more}", category.as_str(), items.join(", "))?;
    }
    match style {
        Some(FillerStyle::Read { probability: p, pushes }) => {
            let items: Vec<String> =
                pushes.iter().take(SHOWN).map(|(name, push)| format!("{name} {push:+.2}")).collect();
            writeln!(
                out,
                "   filler style model p {p:.3} (calibrated; counts at 0.5); strongest pushes: {}",
                items.join(", ")
            )?;
        }
        Some(FillerStyle::NotEnglish) => {
            writeln!(out, "   filler style model not read: it was fitted on English text")?;
        }
        None => {}
    }
    Ok(())
}

/// What the models read in an explained text, beside the rules' findings.
struct Reasons {
    /// The filler style model's probability and its strongest features, or that it did not read.
    style: Option<FillerStyle>,
    /// Per line, the line classifier's probability and its strongest features.
    lines: Vec<Option<residue::score::LineReason>>,
}

fn explain_text(
    out: &mut dyn Write,
    record: &residue::Record,
    a: &Assessment,
    model: &Model,
    reasons: Reasons,
) -> std::io::Result<()> {
    let s = a.scores;
    writeln!(
        out,
        "== {}{}  language {}",
        record.id,
        if record.source.is_empty() { String::new() } else { format!("  ({})", record.source) },
        a.context.language.as_deref().unwrap_or("unknown")
    )?;
    writeln!(
        out,
        "   paywall {:.3}  widget {:.3}  filler {:.3}  framing {:.3}  repetition {:.3}  boilerplate_share {:.3}  credibility {:.3}  verdict {}",
        s.paywall,
        s.widget,
        s.filler,
        s.framing,
        s.repetition,
        a.boilerplate_share,
        a.credibility,
        a.verdict.as_str()
    )?;
    if let Some(total) = a.analysis.truncated_from {
        writeln!(out, "   (analysed the first {} of {} bytes)", a.analysis.text.len(), total)?;
    }
    explain_scores(out, a, reasons.style)?;
    for (index, findings) in findings_by_line(a).iter().enumerate() {
        let text = a.analysis.line_text(index);
        let shown: String = text.chars().take(110).collect();
        let more = if shown.len() < text.len() { "…" } else { "" };
        writeln!(out, "{:>5} {:<8}| {shown}{more}", index + 1, a.labels.labels[index].as_str())?;
        for finding in findings {
            let name = model.rule(finding.rule).map_or("", |r| r.name.as_str());
            let phrase: String = finding.phrase(&a.analysis).chars().take(70).collect();
            writeln!(out, "{:>15} {} {:<22} {:>5.2}  {:?}", "^", finding.rule, name, finding.weight, phrase)?;
            if finding.rule == "WG007"
                && let Some(Some(reason)) = reasons.lines.get(index)
            {
                let items: Vec<String> =
                    reason.pushes.iter().map(|(name, push)| format!("{name} {push:+.2}")).collect();
                let first = reason.first_stage.map_or(String::new(), |p| format!(", first stage {p:.2}"));
                writeln!(
                    out,
                    "{:>17} p {:.2} (boilerplate from {:.2}{first}): {}",
                    "",
                    reason.probability,
                    reason.threshold,
                    items.join(", ")
                )?;
            }
        }
    }
    writeln!(out)
}

fn explain_jsonl(out: &mut dyn Write, record: &residue::Record, a: &Assessment, with_id: bool) -> std::io::Result<()> {
    for (index, findings) in findings_by_line(a).iter().enumerate() {
        let rules: Vec<serde_json::Value> = findings
            .iter()
            .map(|f| {
                serde_json::json!({
                    "code": f.rule,
                    "phrase": f.phrase(&a.analysis),
                    "weight": (f64::from(f.weight) * 1000.0).round() / 1000.0,
                })
            })
            .collect();
        let mut object = serde_json::Map::new();
        object.insert("line".into(), (index + 1).into());
        object.insert("label".into(), a.labels.labels[index].as_str().into());
        object.insert("text".into(), a.analysis.line_text(index).into());
        object.insert("rules".into(), rules.into());
        if with_id {
            object.insert("id".into(), record.id.clone().into());
        }
        writeln!(out, "{}", serde_json::Value::Object(object))?;
    }
    Ok(())
}

fn rules(args: RulesArgs) -> Result<Outcome> {
    let model = load_model(args.model.as_deref())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        writeln!(out, "{:<6} {:<26} {:<12} description", "code", "name", "category")?;
        for rule in &model.rules {
            writeln!(out, "{:<6} {:<26} {:<12} {}", rule.code, rule.name, rule.category.as_str(), rule.description)?;
        }
        Ok(())
    };
    write(&mut out).map_err(|e| Error::output("<stdout>", e))?;
    Ok(Outcome { failures: 0, failed_checks: 0 })
}

fn eval(args: EvalArgs) -> Result<Outcome> {
    let scorer = Scorer::new(load_model(args.common.model.as_deref())?)?;
    let threads = threads(&args.common)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))?;
    let report = pool.install(|| residue::eval::run_with(&scorer, &args.file, args.worst))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written =
        if args.json { writeln!(out, "{}", report.to_json()) } else { report.print(&mut out, args.failures_only) };
    written.map_err(|e| Error::output("<stdout>", e))?;
    Ok(Outcome { failures: 0, failed_checks: report.failed() })
}

fn fit(args: FitArgs) -> Result<Outcome> {
    use residue::fit::{FitOptions, cross_validate, load_pages, train};
    let mut options = FitOptions {
        folds: args.folds.max(2),
        threshold: args.threshold.unwrap_or(residue::fit::LINE_THRESHOLD),
        fold_seed: args.fold_seed,
        trees: args.trees.max(1),
        depth: args.depth.clamp(1, 8),
        learning_rate: args.learning_rate,
        stacked: !args.single_stage,
        worst: args.worst,
    };
    let threads = threads(&args.common)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))?;
    pool.install(|| {
        let first = residue::eval::labelled::load(&args.files[0])?;
        let is_filler = first
            .iter()
            .any(|r| r.fields.as_ref().and_then(|f| f.get("labels")).and_then(|l| l.get("filler")).is_some());
        // Read without the file this fit replaces: neither model's features depend on it.
        let refitted = if is_filler { "filler.toml" } else { "lines.toml" };
        let model = Model::without(args.common.model.as_deref(), &[refitted])?;
        if is_filler {
            options.threshold = args.threshold.unwrap_or(0.5);
            let mut records = first;
            for file in &args.files[1..] {
                records.extend(residue::eval::labelled::load(file)?);
            }
            let fitted = residue::fit::fit_filler(&model, &records, &options)?;
            fitted.summary.iter().for_each(|line| println!("{line}"));
            let output = if args.output == Path::new("models/lines.toml") {
                Path::new("models/filler.toml")
            } else {
                &args.output
            };
            if !args.dry_run {
                write_model(output, &fitted.model.to_toml())?;
                println!("wrote {} ({} records)", output.display(), records.len());
            }
            return Ok(());
        }
        // Features come from the rule-based pass only: the classifier never sees its own output.
        let scorer = Scorer::new(model.clone())?.with_line_model(None);
        let sets =
            args.files.iter().map(|f| load_pages(&scorer, f, args.article_weight)).collect::<Result<Vec<_>>>()?;
        let figures = cross_validate(&model, &sets, &options)?;
        let mut note = format!(
            "residue fit --folds {} --trees {} --depth {} --learning-rate {} --threshold {}{}",
            options.folds,
            options.trees,
            options.depth,
            options.learning_rate,
            options.threshold,
            if options.stacked { "" } else { " --single-stage" }
        );
        note.push_str(&format!(" --article-weight {}", args.article_weight));
        if options.fold_seed != 0 {
            note.push_str(&format!(" --fold-seed {}", options.fold_seed));
        }
        for figure in &figures {
            let line = figure.summary(options.folds);
            println!("{line}");
            residue::eval::print_worst(&figure.worst, &mut std::io::stdout())
                .map_err(|e| Error::output(Path::new("-"), e))?;
            note.push('\n');
            note.push_str(&line);
        }
        if let Some(path) = &args.held_out {
            let mut output = Output::create(Some(path))?;
            let target = output.target().to_path_buf();
            for (figure, set) in figures.iter().zip(&sets) {
                figure.held_out_jsonl(set, output.writer()).map_err(|e| Error::output(&target, e))?;
            }
            output.commit()?;
        }
        if args.dry_run {
            return Ok(());
        }
        let pages: Vec<_> = sets.iter().flat_map(|s| &s.pages).collect();
        let fitted = train(&pages, &options, note);
        write_model(&args.output, &fitted.to_toml())?;
        println!(
            "wrote {} ({} lines from {} pages, and {} articles alone)",
            args.output.display(),
            pages.iter().filter(|p| !p.article_copy).map(|p| p.labelled()).sum::<usize>(),
            sets.iter().map(|s| s.records.len()).sum::<usize>(),
            pages.iter().filter(|p| p.article_copy).count()
        );
        Ok(())
    })?;
    Ok(Outcome { failures: 0, failed_checks: 0 })
}

fn write_model(path: &Path, text: &str) -> Result<()> {
    let mut output = Output::create(Some(path))?;
    let target = output.target().to_path_buf();
    output.writer().write_all(text.as_bytes()).map_err(|e| Error::output(&target, e))?;
    output.commit()
}
