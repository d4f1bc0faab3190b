//! The rewrite index on hand-written articles: copies and retellings match, another outlet's
//! report of the same event does not.

use super::{RewriteIndex, RewriteSignature};

/// A wire report of a port strike.
const PORT_STRIKE: &str = "\
Dockworkers strike at Harwick port after pay talks collapse

HARWICK, May 14 (Coastal Wire) — Dockworkers at the port of Harwick walked off the job on Tuesday after talks over pay \
and automation collapsed, halting container traffic at the country's third-busiest harbour.

About 2,300 members of the Harbour and Transport Workers Union stopped work at 6 a.m., leaving at least 14 cargo ships \
waiting at anchor in the estuary, according to the Harwick Port Authority.

The union is demanding a 9 percent pay rise over two years and a guarantee that no jobs will be cut when the port \
installs automated cranes at its northern terminal next spring. The port authority has offered 5.5 percent and a joint \
committee to review staffing levels.

\"Our members have kept this port running through a pandemic and two winters of storms, and they will not be replaced \
by machines without a fight,\" union secretary Maria Okafor told reporters outside the terminal gates.

Port chief executive Daniel Hext said the authority remained open to talks but warned that a long stoppage would push \
shipping lines toward rival harbours. He said the automation plan was needed to keep Harwick competitive for the next \
twenty years.

Retailers fear delays to seasonal stock. The regional chamber of commerce estimated that each day of the strike would \
cost local businesses around 4 million euros in lost trade and storage fees.

The strike is scheduled to last 72 hours. A government mediator is expected to meet both sides on Thursday, the labour \
ministry said in a brief statement.
";

/// Another outlet's report of the same strike: the same people, numbers and quotation, in
/// sentences of its own.
const PORT_STRIKE_OTHER_OUTLET: &str = "\
Ships queue off Harwick as port workers begin three-day walkout

Cargo ships were left queuing off Harwick on Tuesday as thousands of port workers began a three-day strike, the biggest \
walkout at the harbour in more than a decade.

Pickets gathered before dawn at the gates of the northern terminal, where the Harwick Port Authority plans to introduce \
automated cranes next year. Union officials said around 2,300 dockers had joined the action, and the authority \
confirmed that loading and unloading had stopped across all berths.

At the heart of the dispute is the automation project. Workers say it threatens hundreds of jobs, while management \
argues that without it Harwick will lose business to larger rival ports along the coast.

\"Our members have kept this port running through a pandemic and two winters of storms, and they will not be replaced \
by machines without a fight,\" said Maria Okafor, who leads the Harbour and Transport Workers Union.

The authority's latest offer of a 5.5 percent raise falls well short of the 9 percent the union wants. Daniel Hext, the \
port's chief executive, called the walkout regrettable and urged union leaders to return to the negotiating table.

Shop owners in the city centre said they were already worried about empty shelves before the summer season. Haulage \
firms said trucks had been turned away from the terminal since early morning.

The labour ministry said a mediator would hold talks with both sides on Thursday.
";

const WIDGET_LINES: &str = "\nShare this article\nFollow us on Facebook\nSign up for our newsletter\nAdvertisement\n\
Read more: Harwick port unveils plans for a new northern terminal\n";

/// Synonyms for words of [`PORT_STRIKE`], as a spinner would swap them.
const SYNONYMS: &[(&str, &str)] = &[
    ("strike", "stoppage"),
    ("walked", "stepped"),
    ("job", "work"),
    ("talks", "negotiations"),
    ("collapsed", "failed"),
    ("halting", "stopping"),
    ("traffic", "movement"),
    ("harbour", "port"),
    ("members", "affiliates"),
    ("stopped", "halted"),
    ("leaving", "stranding"),
    ("ships", "vessels"),
    ("waiting", "idling"),
    ("demanding", "seeking"),
    ("rise", "increase"),
    ("guarantee", "promise"),
    ("jobs", "positions"),
    ("cut", "axed"),
    ("installs", "fits"),
    ("automated", "robotic"),
    ("offered", "proposed"),
    ("review", "examine"),
    ("running", "operating"),
    ("replaced", "supplanted"),
    ("fight", "battle"),
    ("told", "informed"),
    ("reporters", "journalists"),
    ("remained", "stayed"),
    ("warned", "cautioned"),
    ("long", "lengthy"),
    ("push", "drive"),
    ("rival", "competing"),
    ("needed", "required"),
    ("keep", "maintain"),
    ("fear", "dread"),
    ("delays", "holdups"),
    ("estimated", "reckoned"),
    ("cost", "set back"),
    ("local", "area"),
    ("businesses", "firms"),
    ("lost", "forgone"),
    ("scheduled", "planned"),
    ("last", "run"),
    ("expected", "due"),
    ("meet", "see"),
    ("brief", "short"),
    ("said", "stated"),
    ("gates", "entrances"),
];

/// Swaps `share` of all words for synonyms, spread evenly over the swappable ones.
fn swap_synonyms(text: &str, share: f64) -> String {
    let is_swappable = |w: &str| SYNONYMS.iter().any(|(from, _)| w.eq_ignore_ascii_case(from));
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let eligible = words.iter().filter(|w| is_swappable(w)).count();
    let target = (words.len() as f64 * share).ceil() as usize;
    assert!(eligible >= target, "{eligible} swappable words, need {target}");
    let mut out = String::new();
    let mut word = String::new();
    let mut seen = 0;
    let mut flush = |word: &mut String, out: &mut String| {
        if let Some((_, to)) = SYNONYMS.iter().find(|(from, _)| word.eq_ignore_ascii_case(from)) {
            if (seen + 1) * target / eligible > seen * target / eligible {
                out.push_str(to);
            } else {
                out.push_str(word);
            }
            seen += 1;
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Checks `later` against an index that holds `earlier`.
fn check_pair(earlier: &str, later: &str) -> Option<(usize, f32)> {
    let mut index = RewriteIndex::new();
    assert_eq!(index.check_and_insert(RewriteSignature::of(earlier)), None);
    index.check_and_insert(RewriteSignature::of(later))
}

#[test]
fn the_signature_is_200_bytes_inline() {
    assert_eq!(size_of::<RewriteSignature>(), 200);
}

#[test]
fn an_exact_copy_matches_with_similarity_one() {
    let (record, similarity) = check_pair(PORT_STRIKE, PORT_STRIKE).expect("a copy matches");
    assert_eq!(record, 0);
    assert!(similarity > 0.99, "{similarity}");
}

#[test]
fn a_copy_with_widget_lines_matches() {
    let copy = format!("{PORT_STRIKE}{WIDGET_LINES}");
    let (record, similarity) = check_pair(PORT_STRIKE, &copy).expect("a copy with widgets matches");
    assert_eq!(record, 0);
    assert!(similarity > 0.85, "{similarity}");
}

#[test]
fn a_copy_with_paragraphs_shuffled_matches() {
    let paragraphs: Vec<&str> = PORT_STRIKE.split("\n\n").collect();
    let order = [0, 4, 2, 6, 1, 7, 5, 3];
    assert_eq!(order.len(), paragraphs.len());
    let shuffled: Vec<&str> = order.iter().map(|&i| paragraphs[i]).collect();
    let (_, similarity) = check_pair(PORT_STRIKE, &shuffled.join("\n\n")).expect("a shuffled copy matches");
    assert!(similarity > 0.95, "{similarity}");
}

#[test]
fn a_copy_with_a_fifth_of_its_words_swapped_matches() {
    let spun = swap_synonyms(PORT_STRIKE, 0.2);
    assert_ne!(spun, PORT_STRIKE);
    let (_, similarity) = check_pair(PORT_STRIKE, &spun).expect("a spun copy matches");
    assert!(similarity > 0.4, "{similarity}");
}

#[test]
fn another_outlets_report_of_the_same_event_does_not_match() {
    assert_eq!(check_pair(PORT_STRIKE, PORT_STRIKE_OTHER_OUTLET), None);
    assert_eq!(check_pair(PORT_STRIKE_OTHER_OUTLET, PORT_STRIKE), None);
}

#[test]
fn short_texts_never_match() {
    let short = "Breaking: the port of Harwick is closed today because of a strike. More to follow.";
    assert!(!RewriteSignature::of(short).is_usable());
    assert_eq!(check_pair(short, short), None);
    assert_eq!(check_pair("", ""), None);
    let mut index = RewriteIndex::new();
    assert_eq!(index.check_and_insert(RewriteSignature::of(short)), None);
    assert_eq!(index.check_and_insert(RewriteSignature::of(PORT_STRIKE)), None);
    assert_eq!(index.check_and_insert(RewriteSignature::of(PORT_STRIKE)).map(|m| m.0), Some(1));
    assert_eq!(index.len(), 3);
}

#[test]
fn the_earliest_of_equal_copies_is_named() {
    let mut index = RewriteIndex::new();
    for _ in 0..3 {
        index.check_and_insert(RewriteSignature::of(PORT_STRIKE));
    }
    assert_eq!(index.check_and_insert(RewriteSignature::of(PORT_STRIKE)).map(|m| m.0), Some(0));
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    use rayon::prelude::*;
    let texts: Vec<String> = vec![
        PORT_STRIKE.to_string(),
        PORT_STRIKE_OTHER_OUTLET.to_string(),
        format!("{PORT_STRIKE}{WIDGET_LINES}"),
        swap_synonyms(PORT_STRIKE, 0.2),
        PORT_STRIKE.replace("Tuesday", "Monday"),
        PORT_STRIKE_OTHER_OUTLET.replace("Tuesday", "Wednesday"),
        "too short".to_string(),
    ];
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
        let signatures: Vec<RewriteSignature> =
            pool.install(|| texts.par_iter().map(|t| RewriteSignature::of(t)).collect());
        let mut index = RewriteIndex::new();
        let matches: Vec<Option<(usize, f32)>> = signatures.into_iter().map(|s| index.check_and_insert(s)).collect();
        matches
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(4));
    assert_eq!(
        one.iter().map(|m| m.map(|(r, _)| r)).collect::<Vec<_>>(),
        [None, None, Some(0), Some(0), Some(0), Some(1), None]
    );
}

#[test]
fn a_brief_that_shares_a_quotation_is_not_a_rewrite() {
    let brief = "\
Harwick dockworkers strike

\"Our members have kept this port running through a pandemic and two winters of storms, and they will not be \
replaced by machines without a fight,\" said Maria Okafor on Tuesday. Talks are due to resume on Thursday with a \
government mediator, the ministry said.
";
    assert!(RewriteSignature::of(brief).is_usable());
    assert_eq!(check_pair(PORT_STRIKE, brief), None);
    assert_eq!(check_pair(brief, PORT_STRIKE), None);
}

#[test]
fn an_excerpt_of_whole_sentences_is_a_rewrite_with_low_similarity() {
    let paragraphs: Vec<&str> = PORT_STRIKE.split("\n\n").collect();
    let excerpt = paragraphs[1..4].join("\n\n");
    let (record, similarity) = check_pair(PORT_STRIKE, &excerpt).expect("an excerpt matches");
    assert_eq!(record, 0);
    assert!(similarity < 0.5, "{similarity}");
}

#[test]
fn records_are_named_by_position_when_short_ones_come_between() {
    let short = "Breaking: the port is closed.";
    let mut index = RewriteIndex::new();
    let texts = [short, PORT_STRIKE_OTHER_OUTLET, short, short, PORT_STRIKE, short];
    for text in texts {
        assert_eq!(index.check_and_insert(RewriteSignature::of(text)), None);
    }
    assert_eq!(index.check_and_insert(RewriteSignature::of(PORT_STRIKE)).map(|m| m.0), Some(4));
    assert_eq!(index.check_and_insert(RewriteSignature::of(PORT_STRIKE_OTHER_OUTLET)).map(|m| m.0), Some(1));
    assert_eq!(index.len(), 8);
}
