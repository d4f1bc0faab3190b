//! Invariants that the property tests and the fuzz targets both check.
use residue::analysis::{Analysis, count_words};
use residue::error::Error;
use residue::output::EVIDENCE_ITEMS;
use residue::{Assessment, LineLabel, Record, Scorer, Verdict};

macro_rules! ensure {
    ($cond:expr, $($arg:tt)+) => {
        if !$cond {
            return Err(format!($($arg)+));
        }
    };
}

/// The lines of a text as the analysis defines them: split at `\n`, one `\r` at the end of
/// each dropped; a final line break ends the last line and does not start another.
pub fn text_lines(text: &str) -> Vec<&str> {
    split_lines_raw(text).into_iter().map(|line| line.strip_suffix('\r').unwrap_or(line)).collect()
}

pub fn split_lines_raw(text: &str) -> Vec<&str> {
    let mut pieces: Vec<&str> = text.split('\n').collect();
    if pieces.len() > 1 && text.ends_with('\n') {
        pieces.pop();
    }
    pieces
}

pub fn is_subsequence(sub: &[&str], of: &[&str]) -> bool {
    let mut rest = of.iter();
    sub.iter().all(|s| rest.any(|o| o == s))
}

/// The segmentation's invariants: lines, sentences, quotes, lowercase copy, words.
pub fn check_analysis(input: &str, analysis: &Analysis) -> Result<(), String> {
    let text = analysis.text;
    ensure!(input.starts_with(text), "the analysed text is not a prefix of the input");
    ensure!(
        (text.len() < input.len()) == analysis.truncated_from.is_some(),
        "truncated_from {:?} but analysed {} of {} bytes",
        analysis.truncated_from,
        text.len(),
        input.len()
    );
    if let Some(total) = analysis.truncated_from {
        ensure!(total == input.len(), "truncated_from {total}, the input has {} bytes", input.len());
    }
    ensure!(analysis.lower.len() == text.len(), "lower has {} bytes, text {}", analysis.lower.len(), text.len());
    for i in 0..=text.len() {
        ensure!(text.is_char_boundary(i) == analysis.lower.is_char_boundary(i), "char boundaries differ at {i}");
    }
    ensure!(analysis.words == count_words(input), "words {} but the input has {}", analysis.words, count_words(input));

    let expected = text_lines(text);
    let n = analysis.lines.len();
    ensure!(n == expected.len(), "{n} analysis lines, the text has {}", expected.len());
    for (i, want) in expected.iter().enumerate() {
        ensure!(analysis.line_text(i) == *want, "line {i} is {:?}, expected {want:?}", analysis.line_text(i));
        let line = analysis.lines[i];
        ensure!(
            line.words as usize == count_words(want),
            "line {i} has {} words, counted {}",
            line.words,
            count_words(want)
        );
        ensure!(analysis.line_of(line.start) == i && analysis.line_of(line.end) == i, "line_of is wrong for line {i}");
        ensure!(analysis.line_lower(i).len() == want.len(), "line_lower({i}) has another length");
        if i < 200 {
            // (Only near the top: on runs of blank lines this search is itself quadratic.)
            for other in analysis.neighbours(i, 2) {
                ensure!(other != i && !analysis.lines[other].is_blank(), "neighbour {other} of {i}");
            }
        }
        let range = analysis.sentences_of_line(i);
        ensure!(analysis.sentences[range].iter().all(|s| s.line == i), "sentences_of_line({i})");
    }
    ensure!(
        analysis.title_line == analysis.lines.iter().position(|l| !l.is_blank()),
        "title_line {:?} is not the first line with words",
        analysis.title_line
    );
    let mut previous_end = 0;
    for (k, sentence) in analysis.sentences.iter().enumerate() {
        ensure!(sentence.line < n, "sentence {k} on line {} of {n}", sentence.line);
        let line = analysis.lines[sentence.line];
        ensure!(
            line.start <= sentence.start && sentence.start < sentence.end && sentence.end <= line.end,
            "sentence {k} {}..{} outside its line {}..{}",
            sentence.start,
            sentence.end,
            line.start,
            line.end
        );
        ensure!(
            text.is_char_boundary(sentence.start) && text.is_char_boundary(sentence.end),
            "sentence {k} cuts a char"
        );
        ensure!(sentence.start >= previous_end, "sentence {k} overlaps the one before");
        ensure!(sentence.words > 0, "sentence {k} has no words");
        previous_end = sentence.end;
    }
    let mut previous_quote_end = 0;
    for (k, quote) in analysis.quotes.iter().enumerate() {
        ensure!(quote.line < n, "quote {k} on line {} of {n}", quote.line);
        let line = analysis.lines[quote.line];
        ensure!(
            line.start <= quote.start && quote.start <= quote.end && quote.end <= line.end,
            "quote {k} {}..{} outside its line {}..{}",
            quote.start,
            quote.end,
            line.start,
            line.end
        );
        ensure!(text.is_char_boundary(quote.start) && text.is_char_boundary(quote.end), "quote {k} cuts a char");
        ensure!(quote.start >= previous_quote_end, "quote {k} overlaps the one before");
        ensure!(
            quote.sentence < analysis.sentences.len(),
            "quote {k} in sentence {} of {}",
            quote.sentence,
            analysis.sentences.len()
        );
        previous_quote_end = quote.end;
    }
    Ok(())
}

/// Every invariant of one assessment of `input` (those of `check_analysis` included).
pub fn check_assessment(input: &str, a: &Assessment) -> Result<(), String> {
    let analysis = &a.analysis;
    let text = analysis.text;
    check_analysis(input, analysis)?;
    let s = a.scores;
    for (name, value) in [
        ("paywall", s.paywall),
        ("widget", s.widget),
        ("filler", s.filler),
        ("framing", s.framing),
        ("repetition", s.repetition),
        ("boilerplate_share", a.boilerplate_share),
        ("credibility", a.credibility),
    ] {
        ensure!(value.is_finite() && (0.0..=1.0).contains(&value), "{name} = {value}");
    }
    let n = analysis.lines.len();
    ensure!(a.labels.labels.len() == n, "{} labels for {n} lines", a.labels.labels.len());
    ensure!(a.labels.weights.len() == n, "{} label weights for {n} lines", a.labels.weights.len());
    for (i, w) in a.labels.weights.iter().enumerate() {
        ensure!(w.is_finite() && *w >= 0.0, "label weight {w} of line {i}");
    }
    let mut previous_start = 0;
    for f in &a.findings {
        ensure!(f.line < n, "finding {} on line {} of {n}", f.rule, f.line);
        let line = analysis.lines[f.line];
        ensure!(
            f.start <= f.end && f.end <= text.len(),
            "finding {} span {}..{} outside the text",
            f.rule,
            f.start,
            f.end
        );
        ensure!(
            text.is_char_boundary(f.start) && text.is_char_boundary(f.end),
            "finding {} span {}..{} cuts a character",
            f.rule,
            f.start,
            f.end
        );
        ensure!(
            line.start <= f.start && f.end <= line.end,
            "finding {} span {}..{} is not inside its line {} ({}..{})",
            f.rule,
            f.start,
            f.end,
            f.line,
            line.start,
            line.end
        );
        ensure!(f.weight.is_finite() && f.weight >= 0.0, "finding {} weight {}", f.rule, f.weight);
        ensure!(f.start >= previous_start, "findings are not sorted by position");
        previous_start = f.start;
        let _ = f.phrase(analysis);
    }
    let evidence = a.evidence(EVIDENCE_ITEMS);
    ensure!(evidence.len() <= EVIDENCE_ITEMS, "{} evidence items", evidence.len());
    if analysis.words == 0 {
        ensure!(a.verdict == Verdict::Drop, "a record without words has verdict {:?}", a.verdict);
    }
    let lines = text_lines(text);
    for drop in
        [&[][..], &[LineLabel::Paywall, LineLabel::Widget], &[LineLabel::Paywall, LineLabel::Widget, LineLabel::Filler]]
    {
        let cleaned = a.cleaned_text(drop);
        let cleaned_lines: Vec<&str> = if cleaned.is_empty() { Vec::new() } else { split_lines_raw(&cleaned) };
        ensure!(
            is_subsequence(&cleaned_lines, &lines),
            "cleaned_text({drop:?}) lines are not the text's lines: {cleaned:?}"
        );
        let kept: Vec<&str> = (0..n)
            .filter(|&i| !drop.contains(&a.labels.labels[i]))
            .map(|i| analysis.line_text(i))
            .filter(|l| !l.trim().is_empty())
            .collect();
        let shown: Vec<&str> = cleaned_lines.iter().copied().filter(|l| !l.trim().is_empty()).collect();
        ensure!(shown == kept, "cleaned_text({drop:?}) keeps {shown:?}, the kept lines are {kept:?}");
    }
    Ok(())
}

/// A record read with a text limit against the same record read whole: the text is a prefix,
/// the elided part accounts for the rest, and scoring counts every word and byte.
pub fn check_elided(limited: &Record, whole: &Record, scorer: &Scorer) -> Result<(), String> {
    ensure!(limited.id == whole.id && limited.origin == whole.origin, "another record: {:?}", limited.id);
    match limited.elided {
        None => ensure!(limited.text == whole.text, "a record without an elided part lost text"),
        Some(elided) => {
            ensure!(whole.text.starts_with(&limited.text), "the kept text is not a prefix of the whole");
            ensure!(
                limited.text.len() as u64 + elided.bytes == whole.text.len() as u64,
                "{} kept + {} elided bytes for {}",
                limited.text.len(),
                elided.bytes,
                whole.text.len()
            );
            let words = count_words(&limited.text) as u64 + elided.words;
            ensure!(words == count_words(&whole.text) as u64, "{words} words for {}", count_words(&whole.text));
            let a = scorer.assess_record(limited, None);
            ensure!(a.analysis.words == scorer.assess(&whole.text).analysis.words, "assessed words differ");
            ensure!(
                a.analysis.truncated_from == Some(whole.text.len()),
                "truncated_from {:?}",
                a.analysis.truncated_from
            );
            let evidence = a.evidence(EVIDENCE_ITEMS);
            ensure!(
                evidence
                    .first()
                    .is_some_and(|e| e.starts_with("limit:") && e.ends_with(&format!("of {} bytes", whole.text.len()))),
                "no limit evidence: {evidence:?}"
            );
        }
    }
    Ok(())
}

/// The outcomes of reading with limits against reading whole: one for one, records kept as
/// prefixes, errors the same, except records over the record cap: an error of their own, on
/// the line where the whole read has its outcome (or none, for a long blank line).
pub fn check_limited_read(
    limited: &[Result<Record, Error>],
    whole: &[Result<Record, Error>],
    scorer: &Scorer,
) -> Result<(), String> {
    let line_of = |r: &Result<Record, Error>| match r {
        Ok(record) => record.origin.line,
        Err(Error::Record { line, .. }) => *line,
        Err(_) => 0,
    };
    let too_long = |r: &Result<Record, Error>| matches!(r, Err(Error::Record { message, .. }) if message.starts_with("record longer than"));
    let mut whole = whole.iter().peekable();
    for (k, l) in limited.iter().enumerate() {
        let line = line_of(l);
        if too_long(l) {
            if whole.peek().is_some_and(|w| line_of(w) == line) {
                whole.next();
            }
            continue;
        }
        let Some(w) = whole.next() else { return Err(format!("outcome {k} (line {line}) only with limits: {l:?}")) };
        match (l, w) {
            (Ok(l), Ok(w)) => check_elided(l, w, scorer).map_err(|e| format!("outcome {k}: {e}"))?,
            (Err(Error::Record { line: a, message: m, .. }), Err(Error::Record { line: b, message: n, .. })) => {
                ensure!(a == b && m == n, "outcome {k}: {a}: {m} against {b}: {n}")
            }
            (l, w) => return Err(format!("outcome {k}: {l:?} with limits, {w:?} without")),
        }
    }
    ensure!(whole.next().is_none(), "outcomes left over without limits");
    Ok(())
}
