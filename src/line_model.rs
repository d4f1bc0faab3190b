//! The fitted line classifier (`models/lines.toml`) in two stages. The first ensemble reads
//! each line's own features and its neighbours' (`lines`). The second reads the same features
//! and what the first thinks of the lines around it: a teaser among lines the first calls
//! boilerplate is a related-articles block even when it reads like prose, a short line among
//! paragraphs is a subheading. That is stacking: the second stage is fitted on the first
//! stage's out-of-fold probabilities, so it learns how far to trust them on pages the first
//! has not seen. It reads the neighbours' probabilities, not the line's own: with its own
//! (and with page-wide shares and the page's main run by the first stage) the second stage
//! leaned on the first and lost on the multilingual pages (5-fold line accuracy 0.850-0.866
//! against 0.869-0.870).
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::lines::{FEATURE_NAMES, FEATURES, LineFeatures};
use crate::trees::TreeEnsemble;

/// Names of what the second stage adds to the first stage's features, in order: the first
/// stage's probability of the previous and next non-blank lines (-1 at the page's edges), and
/// its mean over the lines within [`NEAR`] and [`WIDE`] non-blank lines, the line excluded
/// (-1 on a page of one line).
pub const STACKED_NAMES: [&str; 4] =
    ["previous_probability", "next_probability", "near_mean_probability", "wide_mean_probability"];

/// Number of the second stage's features.
pub const SECOND_FEATURES: usize = FEATURES + STACKED_NAMES.len();

/// The second stage's input for one line: the first stage's features, then [`STACKED_NAMES`].
pub type SecondFeatures = [f32; SECOND_FEATURES];

/// Non-blank lines on each side that the near and wide windows reach.
const NEAR: usize = 2;
const WIDE: usize = 6;

/// The second stage's feature names: the first's, then [`STACKED_NAMES`].
pub fn second_feature_names() -> Vec<&'static str> {
    FEATURE_NAMES.iter().chain(&STACKED_NAMES).copied().collect()
}

/// The name of feature `index` of whichever stage decides.
fn feature_name(index: usize) -> &'static str {
    FEATURE_NAMES.get(index).copied().unwrap_or_else(|| STACKED_NAMES[index - FEATURES])
}

/// Why the line classifier gave a line its probability.
#[derive(Debug, Clone, PartialEq)]
pub struct LineReason {
    /// The deciding stage's probability of boilerplate.
    pub probability: f32,
    /// The probability from which a line is boilerplate (the model's threshold).
    pub threshold: f32,
    /// The first stage's probability, when a second stage decides: how much the neighbours
    /// moved it.
    pub first_stage: Option<f32>,
    /// The deciding stage's strongest features, signed: positive pushes towards boilerplate.
    pub pushes: Vec<(&'static str, f32)>,
}

/// The line classifier: a first ensemble, and a stacked second one when fitted with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LineModel {
    /// How it was fitted (command, data, cross-validated figures).
    #[serde(default)]
    pub fitted: String,
    pub first: TreeEnsemble,
    pub second: Option<TreeEnsemble>,
}

impl LineModel {
    /// Parses `lines.toml`, checking both stages' feature names and trees.
    pub fn parse(text: &str, file: &str) -> Result<Self> {
        let mut model: LineModel = toml::from_str(text).map_err(|e| Error::Model {
            file: file.into(),
            line: 0,
            message: e.message().to_string(),
        })?;
        model.first.validate(file, &FEATURE_NAMES)?;
        if let Some(second) = &mut model.second {
            second.validate(file, &second_feature_names())?;
        }
        Ok(model)
    }

    /// The model as TOML, for `models/`.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Lines with a probability at or above this are boilerplate.
    pub fn threshold(&self) -> f32 {
        self.second.as_ref().unwrap_or(&self.first).threshold
    }

    /// The probability of boilerplate of every line with features (`None` for blank lines).
    pub fn probabilities(&self, features: &[Option<LineFeatures>]) -> Vec<Option<f32>> {
        let mut probabilities = first_probabilities(&self.first, features);
        if let Some(second) = &self.second {
            let (mut lines, mut inputs) = (Vec::new(), Vec::new());
            for_each_second_input(features, &probabilities, |i, x| {
                lines.push(i);
                inputs.push(*x);
            });
            for (i, p) in lines.into_iter().zip(second.probabilities(&inputs)) {
                probabilities[i] = Some(p);
            }
        }
        probabilities
    }

    /// Each line's probability and the `most` features of the deciding stage that pushed it
    /// hardest (signed: positive towards boilerplate).
    pub fn reasons(&self, features: &[Option<LineFeatures>], most: usize) -> Vec<Option<LineReason>> {
        let threshold = self.threshold();
        let explain = |model: &TreeEnsemble, x: &[f32], first_stage: Option<f32>| {
            let mut pushes: Vec<(&'static str, f32)> =
                model.contributions(x).into_iter().enumerate().map(|(i, c)| (feature_name(i), c)).collect();
            pushes.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            pushes.truncate(most);
            LineReason { probability: model.probability(x), threshold, first_stage, pushes }
        };
        match &self.second {
            None => features.iter().map(|f| f.as_ref().map(|f| explain(&self.first, f, None))).collect(),
            Some(second) => {
                let mut out = vec![None; features.len()];
                let first = first_probabilities(&self.first, features);
                for_each_second_input(features, &first, |i, x| out[i] = Some(explain(second, x, first[i])));
                out
            }
        }
    }
}

/// The first stage's probability of every line with features.
pub fn first_probabilities(first: &TreeEnsemble, features: &[Option<LineFeatures>]) -> Vec<Option<f32>> {
    let rows: Vec<&LineFeatures> = features.iter().flatten().collect();
    let mut probabilities = first.probabilities(&rows).into_iter();
    features.iter().map(|f| f.as_ref().and_then(|_| probabilities.next())).collect()
}

/// The second stage's input for every line with features: its first-stage features, then
/// what `first` (the first stage's probabilities, out of fold when fitting) says around it.
pub fn second_inputs(features: &[Option<LineFeatures>], first: &[Option<f32>]) -> Vec<Option<SecondFeatures>> {
    let mut out = vec![None; features.len()];
    for_each_second_input(features, first, |i, x| out[i] = Some(*x));
    out
}

/// Calls `f` with the index and second-stage input of every line that has features and a
/// first-stage probability, in order, without collecting the inputs.
fn for_each_second_input(
    features: &[Option<LineFeatures>],
    first: &[Option<f32>],
    mut f: impl FnMut(usize, &SecondFeatures),
) {
    let lines: Vec<(usize, &LineFeatures, f32)> =
        features.iter().zip(first).enumerate().filter_map(|(i, (own, p))| Some((i, own.as_ref()?, (*p)?))).collect();
    let p: Vec<f32> = lines.iter().map(|line| line.2).collect();
    let mut x = [0f32; SECOND_FEATURES];
    for (&(i, own, _), extra) in lines.iter().zip(stacked_features(&p)) {
        x[..FEATURES].copy_from_slice(own);
        x[FEATURES..].copy_from_slice(&extra);
        f(i, &x);
    }
}

/// [`STACKED_NAMES`] for each of a page's non-blank lines, from the first stage's
/// probabilities `p` of those lines.
fn stacked_features(p: &[f32]) -> impl Iterator<Item = [f32; STACKED_NAMES.len()]> + '_ {
    let m = p.len();
    let mean_around = move |k: usize, reach: usize| {
        let (from, to) = (k.saturating_sub(reach), (k + reach).min(m - 1));
        let others = to - from;
        if others == 0 { -1.0 } else { (p[from..=to].iter().sum::<f32>() - p[k]) / others as f32 }
    };
    (0..m).map(move |k| {
        [
            if k > 0 { p[k - 1] } else { -1.0 },
            if k + 1 < m { p[k + 1] } else { -1.0 },
            mean_around(k, NEAR),
            mean_around(k, WIDE),
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacked_features_read_the_neighbours_and_never_the_line_itself() {
        let p = [0.9, 0.8, 0.1, 0.2, 0.6, 0.1, 0.95, 0.7];
        let features: Vec<[f32; 4]> = stacked_features(&p).collect();
        assert_eq!(features[0][..2], [-1.0, 0.8]);
        assert_eq!(features[7][..2], [0.95, -1.0]);
        // Line 4 (0.6): near lines 2, 3, 5, 6; wide lines 0-3 and 5-7.
        assert!((features[4][2] - (0.1 + 0.2 + 0.1 + 0.95) / 4.0).abs() < 1e-6);
        assert!((features[4][3] - (0.9 + 0.8 + 0.1 + 0.2 + 0.1 + 0.95 + 0.7) / 7.0).abs() < 1e-6);
        // Changing a line's own probability changes none of its own stacked features.
        let mut q = p;
        q[4] = 0.0;
        assert_eq!(stacked_features(&q).nth(4), Some(features[4]));
        // A page of one line has no neighbours.
        assert_eq!(stacked_features(&[0.3]).next(), Some([-1.0; 4]));
    }

    #[test]
    fn a_two_stage_model_round_trips_and_each_stage_must_name_its_own_features() {
        use crate::trees::{Sample, TreeOptions, train};
        // Line shapes alternate; the label follows the first feature.
        let rows: Vec<[f32; SECOND_FEATURES]> = (0..60)
            .map(|i| {
                let mut x = [0f32; SECOND_FEATURES];
                x[0] = (i % 6) as f32;
                x[FEATURES + 2] = (i % 5) as f32 / 5.0;
                x
            })
            .collect();
        let options = TreeOptions { trees: 5, ..TreeOptions::default() };
        let first_samples: Vec<Sample> =
            rows.iter().map(|x| Sample { features: &x[..FEATURES], positive: x[0] > 2.0, weight: 1.0 }).collect();
        let second_samples: Vec<Sample> =
            rows.iter().map(|x| Sample { features: x, positive: x[0] > 2.0, weight: 1.0 }).collect();
        let model = LineModel {
            fitted: "test".into(),
            first: train(&first_samples, &FEATURE_NAMES, &options, String::new()),
            second: Some(train(&second_samples, &second_feature_names(), &options, String::new())),
        };
        let parsed = LineModel::parse(&model.to_toml(), "lines.toml").unwrap();
        let mut own = [0f32; FEATURES];
        let features: Vec<Option<LineFeatures>> = (0..6)
            .map(|i| {
                own[0] = i as f32;
                Some(own)
            })
            .collect();
        assert_eq!(parsed.probabilities(&features), model.probabilities(&features));
        // Explained by the second stage, with the first stage's reading beside it.
        let reasons = model.reasons(&features, 2);
        let first = first_probabilities(&model.first, &features);
        for ((reason, p), first) in reasons.iter().zip(model.probabilities(&features)).zip(first) {
            let reason = reason.as_ref().unwrap();
            assert_eq!((Some(reason.probability), reason.first_stage), (p, first));
            assert!(reason.pushes.len() <= 2);
        }
        let p = model.probabilities(&features);
        assert!(p[5].unwrap() > 0.5 && p[0].unwrap() < 0.5, "{p:?}");
        // The stages swapped: the first stage's names do not match.
        let swapped = LineModel { fitted: String::new(), first: model.second.clone().unwrap(), second: None };
        let error = LineModel::parse(&swapped.to_toml(), "lines.toml").unwrap_err().to_string();
        assert!(error.contains("lines.toml") && error.contains("features must be"), "{error}");
        // A second stage that reads only the first stage's features.
        let short = LineModel { fitted: String::new(), first: model.first.clone(), second: Some(model.first.clone()) };
        assert!(LineModel::parse(&short.to_toml(), "lines.toml").is_err());
    }

    #[test]
    fn blank_lines_have_no_second_stage_input_and_others_carry_their_own_features() {
        let mut own = [0f32; FEATURES];
        own[0] = 3.0;
        let features = vec![Some(own), None, Some(own)];
        let first = vec![Some(0.2), None, Some(0.7)];
        let inputs = second_inputs(&features, &first);
        assert!(inputs[1].is_none());
        let last = inputs[2].unwrap();
        assert_eq!(last[0], 3.0);
        // Its previous non-blank line is line 0, across the blank one; it has no next.
        assert_eq!(last[FEATURES..FEATURES + 2], [0.2, -1.0]);
    }
}
