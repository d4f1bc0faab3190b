//! The model: rules, lexicons and weights, read from `models/` data files. The default model
//! is embedded in the binary; `--model DIR` reads a directory of the same layout.
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::lexicon::Lexicon;

include!(concat!(env!("OUT_DIR"), "/embedded_model.rs"));

/// What a rule's findings are evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Paywall,
    Widget,
    Filler,
    Framing,
    Repetition,
    Credibility,
}

impl Category {
    /// The category of a score column named in an evaluation file (`paywall` … `repetition`).
    pub fn of_score_column(name: &str) -> Option<Self> {
        match name {
            "paywall" => Some(Category::Paywall),
            "widget" => Some(Category::Widget),
            "filler" => Some(Category::Filler),
            "framing" => Some(Category::Framing),
            "repetition" => Some(Category::Repetition),
            _ => None,
        }
    }

    /// The lowercase name used in CSV evidence, `explain` and the model files.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Paywall => "paywall",
            Category::Widget => "widget",
            Category::Filler => "filler",
            Category::Framing => "framing",
            Category::Repetition => "repetition",
            Category::Credibility => "credibility",
        }
    }
}

/// The label of one line of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LineLabel {
    #[default]
    Content,
    Paywall,
    Widget,
    Filler,
}

impl LineLabel {
    /// The lowercase name used in `explain` and evaluation files.
    pub fn as_str(self) -> &'static str {
        match self {
            LineLabel::Content => "content",
            LineLabel::Paywall => "paywall",
            LineLabel::Widget => "widget",
            LineLabel::Filler => "filler",
        }
    }

    /// Paywall and widget lines are boilerplate: they count in `boilerplate_share`.
    pub fn is_boilerplate(self) -> bool {
        matches!(self, LineLabel::Paywall | LineLabel::Widget)
    }
}

/// One rule as declared in `rules.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub code: String,
    pub name: String,
    pub category: Category,
    #[serde(default)]
    pub lexicon: Option<String>,
    #[serde(default)]
    pub line_label: Option<LineLabel>,
    #[serde(default)]
    pub weight: f32,
    pub description: String,
}

#[derive(Debug, Deserialize)]
struct RulesFile {
    rule: Vec<Rule>,
}

/// `weights.toml`: how findings become labels, scores and a verdict.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub lines: LineWeights,
    pub shape: ShapeWeights,
    pub presence: Presence,
    pub framing: FramingWeights,
    pub filler: FillerWeights,
    pub repetition: RepetitionWeights,
    pub credibility: CredibilityWeights,
    pub verdict: VerdictCutoffs,
    #[serde(default)]
    pub corpus: CorpusWeights,
}

/// `[corpus]`: the passes across the records of one run.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorpusWeights {
    /// A line held by this many records of one source is a template line (rule WG008).
    pub template_min_records: u32,
    /// Line keys the template table holds before it sheds its rarest.
    pub template_max_entries: usize,
}

impl Default for CorpusWeights {
    fn default() -> Self {
        CorpusWeights {
            template_min_records: crate::corpus::template::DEFAULT_MIN_RECORDS,
            template_max_entries: crate::corpus::template::DEFAULT_MAX_ENTRIES,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineWeights {
    pub label_at: f32,
    pub context_fraction: f32,
    pub context_reach: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShapeWeights {
    pub short_words: u32,
    pub long_words: u32,
    pub long_factor: f32,
    pub reported_speech_factor: f32,
    pub reader_address_bonus: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Presence {
    pub paywall: f32,
    pub widget: f32,
    pub filler: f32,
    pub framing: f32,
    pub repetition: f32,
    pub classifier_line_share: f32,
    pub framing_sentences_per_unit: f32,
    pub filler_sentences_per_unit: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FramingWeights {
    pub quoted_factor: f32,
    pub scare_quote_max_words: u32,
    pub lone_cue_factor: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FillerWeights {
    pub mt_capitals_max_capital_share: f32,
    pub style_prior_logit: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepetitionWeights {
    pub min_words_exact: u32,
    pub min_words_near: u32,
    pub near_similarity: f64,
    pub full_weight_words: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredibilityWeights {
    pub base: f32,
    pub paywall: f32,
    pub widget: f32,
    pub filler: f32,
    pub framing: f32,
    pub repetition: f32,
    pub boilerplate_share: f32,
    pub rewrite: f32,
    pub cue_penalty: BTreeMap<String, f32>,
    pub cue_cap: f32,
    pub attribution_scale: f32,
    pub attribution_cap: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictCutoffs {
    pub drop_below: f32,
    pub keep_at: f32,
    pub drop_boilerplate_share: f32,
    pub min_words: usize,
}

/// A loaded model: rules by code, compiled lexicons by name, weights.
#[derive(Debug, Clone)]
pub struct Model {
    pub rules: Vec<Rule>,
    pub lexicons: HashMap<String, Lexicon>,
    pub weights: Weights,
    /// Function words per language (`<lang>/stopwords.tsv`), for the language guess and FL002.
    pub stopwords: BTreeMap<String, Vec<String>>,
    /// The fitted line classifier (`lines.toml`), if the model has one.
    pub line_model: Option<crate::line_model::LineModel>,
    /// The fitted stylometric filler model (`filler.toml`), if the model has one.
    pub filler_model: Option<crate::trees::TreeEnsemble>,
}

impl Model {
    /// The model embedded in the binary (the repository's `models/`).
    pub fn embedded() -> Result<Self> {
        Self::without(None, &[])
    }

    /// Reads a model directory of the same layout as the repository's `models/`.
    pub fn from_dir(dir: &Path) -> Result<Self> {
        Self::without(Some(dir), &[])
    }

    /// The model of `dir` (the built-in one for `None`) with the files `left_out` missing:
    /// `residue fit` reads the model without the file it is about to write, so that a file
    /// fitted for another list of features (the list just changed) does not stop its refit.
    pub fn without(dir: Option<&Path>, left_out: &[&str]) -> Result<Self> {
        let (mut files, origin) = match dir {
            Some(dir) => {
                let mut files = BTreeMap::new();
                read_tree(dir, dir, &mut files)?;
                (files, dir.display().to_string())
            }
            None => (
                EMBEDDED_MODEL.iter().map(|(path, text)| (path.to_string(), text.to_string())).collect(),
                "models".to_string(),
            ),
        };
        files.retain(|name, _| !left_out.contains(&name.as_str()));
        Self::from_files(&files, &origin)
    }

    /// Builds a model from (relative path, contents) pairs; `origin` prefixes messages.
    pub fn from_files(files: &BTreeMap<String, String>, origin: &str) -> Result<Self> {
        let named = |name: &str| format!("{origin}/{name}");
        let missing = |name: &str| Error::Model { file: named(name), line: 0, message: "missing model file".into() };
        let rules_text = files.get("rules.toml").ok_or_else(|| missing("rules.toml"))?;
        let rules: RulesFile =
            toml::from_str(rules_text).map_err(|e| toml_error(&named("rules.toml"), rules_text, &e))?;
        let weights_text = files.get("weights.toml").ok_or_else(|| missing("weights.toml"))?;
        let weights: Weights =
            toml::from_str(weights_text).map_err(|e| toml_error(&named("weights.toml"), weights_text, &e))?;

        let mut seen = std::collections::HashSet::new();
        for rule in &rules.rule {
            if !seen.insert(rule.code.clone()) {
                return Err(Error::Model {
                    file: named("rules.toml"),
                    line: 0,
                    message: format!("rule {} is declared twice", rule.code),
                });
            }
        }

        let mut lexicons = HashMap::new();
        let wanted: Vec<&str> = rules.rule.iter().filter_map(|r| r.lexicon.as_deref()).chain(["stopwords"]).collect();
        for name in wanted {
            if lexicons.contains_key(name) {
                continue;
            }
            let suffix = format!("/{name}.tsv");
            let sources: Vec<(String, &str)> = files
                .iter()
                .filter(|(path, _)| path.ends_with(&suffix) && path.matches('/').count() == 1)
                .map(|(path, text)| (named(path), text.as_str()))
                .collect();
            lexicons.insert(name.to_string(), Lexicon::parse(name, &sources)?);
        }

        let mut stopwords = BTreeMap::new();
        for (path, text) in files {
            if let Some(lang) = path.strip_suffix("/stopwords.tsv") {
                let words = text
                    .lines()
                    .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                    .filter_map(|l| l.split('\t').next())
                    .map(|w| w.trim().to_lowercase())
                    .collect();
                stopwords.insert(lang.to_string(), words);
            }
        }

        let line_model = match files.get("lines.toml") {
            Some(text) => Some(crate::line_model::LineModel::parse(text, &named("lines.toml"))?),
            None => None,
        };
        let filler_model = match files.get("filler.toml") {
            Some(text) => Some(crate::trees::TreeEnsemble::parse(
                text,
                &named("filler.toml"),
                &crate::detect::filler::STYLE_FEATURE_NAMES,
            )?),
            None => None,
        };
        Ok(Model { rules: rules.rule, lexicons, weights, stopwords, line_model, filler_model })
    }

    /// The rule with this code. Panics only on a code the code base itself names that the
    /// model does not declare, which `Scorer::new` checks up front.
    pub fn rule(&self, code: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.code == code)
    }

    /// The lexicon of this name (empty if the model has no file for it).
    pub fn lexicon(&self, name: &str) -> Option<&Lexicon> {
        self.lexicons.get(name)
    }
}

fn toml_error(file: &str, text: &str, error: &toml::de::Error) -> Error {
    let line = error.span().map(|span| text[..span.start.min(text.len())].lines().count().max(1)).unwrap_or(0);
    Error::Model { file: file.to_string(), line, message: error.message().to_string() }
}

fn read_tree(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::Model {
        file: dir.display().to_string(),
        line: 0,
        message: e.to_string(),
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            read_tree(root, &path, files)?;
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("tsv" | "toml")) {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::Model {
                file: path.display().to_string(),
                line: 0,
                message: e.to_string(),
            })?;
            let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            files.insert(relative, text);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_loads_and_every_lexicon_rule_has_entries() {
        let model = Model::embedded().unwrap();
        for rule in &model.rules {
            if let Some(name) = &rule.lexicon {
                let lexicon = model.lexicon(name).unwrap();
                assert!(!lexicon.is_empty(), "rule {} names lexicon {name}, which has no entries", rule.code);
            }
        }
        assert!(model.stopwords.contains_key("en"));
    }

    #[test]
    fn a_broken_weights_file_names_the_line() {
        let mut files: BTreeMap<String, String> =
            EMBEDDED_MODEL.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
        files.insert("weights.toml".into(), "[lines]\nlabel_at = \"high\"\n".into());
        let err = Model::from_files(&files, "mine").unwrap_err().to_string();
        assert!(err.starts_with("mine/weights.toml:2:"), "{err}");
    }
}
