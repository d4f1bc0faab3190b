//! Gradient-boosted decision trees: the line classifier of `models/lines.toml` and the
//! stylometric filler model of `models/filler.toml`, and their training (`residue fit`). Plain
//! Rust: a few dozen features and tens of thousands of lines need nothing more than histograms
//! of quantile bins and depth-limited trees.
//!
//! A tree reads interactions a linear model cannot (a short line is navigation at the top of
//! a page and a heading inside the article), and every prediction still splits into one
//! contribution per feature: walking a line's path, each split moves the prediction from its
//! node's value to its child's, and that move is credited to the split's feature.

use serde::{Deserialize, Serialize};

use crate::calibration::Platt;
use crate::error::{Error, Result};

/// A fitted ensemble: log-odds = `base` + the leaf value each tree gives.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TreeEnsemble {
    /// How it was fitted (command, data, cross-validated figures).
    #[serde(default)]
    pub fitted: String,
    /// Lines with a probability at or above this are boilerplate.
    pub threshold: f32,
    /// Log-odds before any tree.
    pub base: f32,
    /// Feature names, in the order the trees index them.
    pub features: Vec<String>,
    /// Each tree's nodes, root first, as `[feature, threshold, left, right, value]`: a split
    /// sends `x[feature] <= threshold` left; a leaf has feature -1. `value` is the node's
    /// contribution to the log-odds (learning rate applied), kept on splits too so that
    /// predictions can be explained.
    pub trees: Vec<Vec<[f32; 5]>>,
    /// How the log-odds map to a probability when the ensemble scores whole texts (the filler
    /// model), fitted on held-out predictions; `None` reads the log-odds as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Platt>,
    /// The same trees as complete binary trees, as the hot path reads them.
    #[serde(skip)]
    complete: CompleteTrees,
}

/// Every tree padded to the depth of the deepest, its splits and leaves in breadth-first
/// arrays: a prediction takes exactly `depth` steps per tree, each a comparison that picks
/// the child by arithmetic (`2i + 1` or `2i + 2`), with no branch on the data to mispredict.
/// A leaf above the last level becomes a split whose two sides both lead to copies of its
/// value, so the sum is the same, bit for bit, as walking the trees as fitted.
#[derive(Debug, Clone, Default)]
struct CompleteTrees {
    depth: usize,
    /// `2^depth - 1` splits per tree, as (feature, threshold).
    splits: Vec<(u32, f32)>,
    /// `2^depth` leaf values per tree.
    leaves: Vec<f32>,
}

/// Deeper trees than this are refused: each tree is stored with `2^depth` leaves.
pub const MAX_DEPTH: usize = 12;

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TreeOptions {
    pub trees: usize,
    pub depth: usize,
    pub learning_rate: f32,
    /// L2 penalty on leaf values (in units of hessian).
    pub l2: f32,
    /// A split must leave at least this much hessian on each side.
    pub min_child_hessian: f32,
    pub threshold: f32,
}

impl Default for TreeOptions {
    fn default() -> Self {
        TreeOptions { trees: 200, depth: 3, learning_rate: 0.1, l2: 1.0, min_child_hessian: 1.0, threshold: 0.5 }
    }
}

/// One training sample.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    pub features: &'a [f32],
    pub positive: bool,
    pub weight: f32,
}

const LEAF: f32 = -1.0;
/// Rows [`TreeEnsemble::probabilities`] walks through a tree at once.
const LANES: usize = 4;
/// Distinct thresholds tried per feature.
const MAX_BINS: usize = 64;

impl TreeEnsemble {
    /// Parses a model file, checking the feature names (exactly `names`, in order) and that
    /// every tree is well formed (children after their parent, so walking always ends).
    pub fn parse(text: &str, file: &str, names: &[&str]) -> Result<Self> {
        let mut model: TreeEnsemble = toml::from_str(text).map_err(|e| Error::Model {
            file: file.into(),
            line: 0,
            message: e.message().to_string(),
        })?;
        model.validate(file, names)?;
        Ok(model)
    }

    /// Checks an ensemble read as part of a larger file (see [`Self::parse`]) and readies it
    /// for prediction.
    pub fn validate(&mut self, file: &str, names: &[&str]) -> Result<()> {
        let invalid = |message: String| Error::Model { file: file.into(), line: 0, message };
        let model = self;
        if model.features.iter().map(String::as_str).ne(names.iter().copied()) {
            return Err(invalid(format!("features must be, in order: {}", names.join(", "))));
        }
        if !model.base.is_finite() || !model.threshold.is_finite() {
            return Err(invalid("base and threshold must be finite".into()));
        }
        if model.calibration.is_some_and(|c| !(c.slope.is_finite() && c.slope > 0.0 && c.intercept.is_finite())) {
            return Err(invalid("calibration needs a finite, positive slope and a finite intercept".into()));
        }
        for (t, tree) in model.trees.iter().enumerate() {
            if tree.is_empty() {
                return Err(invalid(format!("tree {t} has no nodes")));
            }
            for (i, node) in tree.iter().enumerate() {
                let [feature, threshold, left, right, value] = *node;
                let bad_child = |c: f32| c.fract() != 0.0 || c <= i as f32 || c >= tree.len() as f32;
                let bad = !value.is_finite()
                    || (feature != LEAF
                        && (feature.fract() != 0.0
                            || feature < 0.0
                            || feature >= names.len() as f32
                            || !threshold.is_finite()
                            || bad_child(left)
                            || bad_child(right)));
                if bad {
                    return Err(invalid(format!("tree {t} node {i} is malformed: {node:?}")));
                }
            }
        }
        if let Some(t) = model.trees.iter().position(|tree| depth_of(tree) > MAX_DEPTH) {
            return Err(invalid(format!("tree {t} is deeper than {MAX_DEPTH} levels")));
        }
        model.compile();
        Ok(())
    }

    /// Lays the trees out complete for [`Self::probability`].
    fn compile(&mut self) {
        let depth = self.trees.iter().map(|tree| depth_of(tree)).max().unwrap_or(0);
        let (internal, leaves) = ((1usize << depth) - 1, 1usize << depth);
        let mut complete = CompleteTrees {
            depth,
            splits: vec![(0, 0.0); internal * self.trees.len()],
            leaves: vec![0.0; leaves * self.trees.len()],
        };
        for (t, tree) in self.trees.iter().enumerate() {
            let splits = &mut complete.splits[t * internal..(t + 1) * internal];
            let leaf_values = &mut complete.leaves[t * leaves..(t + 1) * leaves];
            // (node of the fitted tree, its slot in the complete one, its level)
            let mut stack = vec![(0usize, 0usize, 0usize)];
            while let Some((node, slot, level)) = stack.pop() {
                let [feature, threshold, left, right, value] = tree[node];
                if level == depth {
                    leaf_values[slot - internal] = value;
                } else if feature == LEAF {
                    stack.extend([(node, 2 * slot + 1, level + 1), (node, 2 * slot + 2, level + 1)]);
                } else {
                    splits[slot] = (feature as u32, threshold);
                    stack.extend([(left as usize, 2 * slot + 1, level + 1), (right as usize, 2 * slot + 2, level + 1)]);
                }
            }
        }
        self.complete = complete;
    }

    /// The probability of the positive class.
    pub fn probability(&self, features: &[f32]) -> f32 {
        1.0 / (1.0 + (-self.log_odds(features)).exp())
    }

    /// The log-odds of the positive class: `base` plus each tree's leaf.
    pub fn log_odds(&self, features: &[f32]) -> f32 {
        let CompleteTrees { depth, splits, leaves } = &self.complete;
        let (internal, width) = ((1usize << depth) - 1, 1usize << depth);
        let mut z = self.base;
        if *depth == 0 {
            return leaves.iter().fold(z, |z, v| z + v);
        }
        for (splits, leaves) in splits.chunks_exact(internal).zip(leaves.chunks_exact(width)) {
            let mut at = 0;
            for _ in 0..*depth {
                let (feature, threshold) = splits[at];
                // `x <= threshold` goes left, as in the fitted tree (a NaN goes right).
                at = 2 * at + 2 - usize::from(features[feature as usize] <= threshold);
            }
            z += leaves[at - internal];
        }
        z
    }

    /// [`Self::probability`] of every row, bit for bit, walking [`LANES`] rows through each tree
    /// together: one row's walk is a chain of dependent loads, and several independent chains
    /// keep the core busy while each waits (a page's lines are scored this way).
    pub fn probabilities<R: AsRef<[f32]>>(&self, rows: &[R]) -> Vec<f32> {
        let CompleteTrees { depth, splits, leaves } = &self.complete;
        if *depth == 0 {
            return rows.iter().map(|row| self.probability(row.as_ref())).collect();
        }
        let (internal, width) = ((1usize << depth) - 1, 1usize << depth);
        let mut out = Vec::with_capacity(rows.len());
        for chunk in rows.chunks(LANES) {
            let lanes = chunk.len();
            let mut z = [self.base; LANES];
            for (splits, leaves) in splits.chunks_exact(internal).zip(leaves.chunks_exact(width)) {
                let mut at = [0usize; LANES];
                for _ in 0..*depth {
                    for (lane, row) in chunk.iter().enumerate() {
                        let (feature, threshold) = splits[at[lane]];
                        at[lane] = 2 * at[lane] + 2 - usize::from(row.as_ref()[feature as usize] <= threshold);
                    }
                }
                for lane in 0..lanes {
                    z[lane] += leaves[at[lane] - internal];
                }
            }
            out.extend(z[..lanes].iter().map(|z| 1.0 / (1.0 + (-z).exp())));
        }
        out
    }

    /// Each feature's share of the log-odds (they sum, with the roots' values and `base`,
    /// to the prediction): how much each feature moved this line towards boilerplate.
    pub fn contributions(&self, features: &[f32]) -> Vec<f32> {
        let mut out = vec![0f32; self.features.len()];
        for tree in &self.trees {
            let mut at = 0;
            while tree[at][0] != LEAF {
                let [feature, threshold, left, right, value] = tree[at];
                let next = if features[feature as usize] <= threshold { left } else { right } as usize;
                out[feature as usize] += tree[next][4] - value;
                at = next;
            }
        }
        out
    }

    /// The model as TOML, for `models/`.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}

/// Levels of splits from the root to the deepest leaf of a validated tree (children come
/// after their parent, so one pass in order finds every node's level).
fn depth_of(tree: &[[f32; 5]]) -> usize {
    let mut levels = vec![0usize; tree.len()];
    for (i, &[feature, _, left, right, _]) in tree.iter().enumerate() {
        if feature != LEAF {
            levels[left as usize] = levels[i] + 1;
            levels[right as usize] = levels[i] + 1;
        }
    }
    levels.into_iter().max().unwrap_or(0)
}

fn leaf_of(tree: &[[f32; 5]], features: &[f32]) -> usize {
    let mut at = 0;
    while tree[at][0] != LEAF {
        let [feature, threshold, left, right, _] = tree[at];
        at = if features[feature as usize] <= threshold { left } else { right } as usize;
    }
    at
}

/// Fits an ensemble on `samples` (features named `names`) by Newton boosting of the
/// logistic loss.
pub fn train(samples: &[Sample], names: &[&str], options: &TreeOptions, fitted: String) -> TreeEnsemble {
    let k = names.len();
    let thresholds: Vec<Vec<f32>> = (0..k).map(|j| quantile_thresholds(samples, j)).collect();
    // bins[i * k + j]: how many of feature j's thresholds lie below sample i's value.
    let bins: Vec<u8> = samples
        .iter()
        .flat_map(|s| (0..k).map(|j| thresholds[j].partition_point(|&t| t < s.features[j]) as u8).collect::<Vec<_>>())
        .collect();
    let total_weight: f64 = samples.iter().map(|s| f64::from(s.weight)).sum::<f64>().max(1e-9);
    let positive: f64 = samples.iter().filter(|s| s.positive).map(|s| f64::from(s.weight)).sum();
    let prior = (positive / total_weight).clamp(1e-4, 1.0 - 1e-4);
    let base = (prior / (1.0 - prior)).ln() as f32;
    let mut scores = vec![base; samples.len()];
    let mut trees = Vec::with_capacity(options.trees);
    let grower = Grower { bins: &bins, k, thresholds: &thresholds, options };
    for _ in 0..options.trees {
        let mut gradients = Vec::with_capacity(samples.len());
        for (s, &z) in samples.iter().zip(&scores) {
            let p = 1.0 / (1.0 + (-z).exp());
            let y = if s.positive { 1.0 } else { 0.0 };
            gradients.push(((p - y) * s.weight, (p * (1.0 - p)).max(1e-6) * s.weight));
        }
        let mut nodes = Vec::new();
        let all: Vec<u32> = (0..samples.len() as u32).collect();
        grower.grow(&all, &gradients, 0, &mut nodes);
        for (i, s) in samples.iter().enumerate() {
            scores[i] += nodes[leaf_of(&nodes, s.features)][4];
        }
        trees.push(nodes);
    }
    let mut model = TreeEnsemble {
        fitted,
        threshold: options.threshold,
        base,
        features: names.iter().map(|n| n.to_string()).collect(),
        trees,
        calibration: None,
        complete: CompleteTrees::default(),
    };
    model.compile();
    model
}

/// Up to [`MAX_BINS`] - 1 distinct cut points of feature `j`, at quantiles of its values
/// (midpoints between neighbouring distinct values).
fn quantile_thresholds(samples: &[Sample], j: usize) -> Vec<f32> {
    let mut values: Vec<f32> = samples.iter().map(|s| s.features[j]).filter(|v| v.is_finite()).collect();
    values.sort_by(f32::total_cmp);
    values.dedup();
    if values.len() <= 1 {
        return Vec::new();
    }
    let cuts = (values.len() - 1).min(MAX_BINS - 1);
    let mut out: Vec<f32> = (1..=cuts)
        .map(|c| {
            let at = c * (values.len() - 1) / cuts;
            let at = at.clamp(1, values.len() - 1);
            (values[at - 1] + values[at]) / 2.0
        })
        .collect();
    out.dedup();
    out
}

struct Grower<'a> {
    bins: &'a [u8],
    k: usize,
    thresholds: &'a [Vec<f32>],
    options: &'a TreeOptions,
}

impl Grower<'_> {
    /// Grows the subtree of the samples `rows` into `nodes`; returns its root's index.
    fn grow(&self, rows: &[u32], gradients: &[(f32, f32)], depth: usize, nodes: &mut Vec<[f32; 5]>) -> usize {
        let (g, h) = rows.iter().fold((0f64, 0f64), |(g, h), &r| {
            let (gr, hr) = gradients[r as usize];
            (g + f64::from(gr), h + f64::from(hr))
        });
        let lambda = f64::from(self.options.l2);
        let value = (-g / (h + lambda)) as f32 * self.options.learning_rate;
        let at = nodes.len();
        nodes.push([LEAF, 0.0, 0.0, 0.0, value]);
        if depth >= self.options.depth {
            return at;
        }
        let Some((feature, cut)) = self.best_split(rows, gradients, g, h) else { return at };
        let (left, right): (Vec<u32>, Vec<u32>) =
            rows.iter().partition(|&&r| usize::from(self.bins[r as usize * self.k + feature]) <= cut);
        let left_at = self.grow(&left, gradients, depth + 1, nodes);
        let right_at = self.grow(&right, gradients, depth + 1, nodes);
        nodes[at] = [feature as f32, self.thresholds[feature][cut], left_at as f32, right_at as f32, value];
        at
    }

    /// The split with the largest gain of the regularised Newton objective: (feature,
    /// threshold index), samples with bin <= index going left.
    fn best_split(&self, rows: &[u32], gradients: &[(f32, f32)], g: f64, h: f64) -> Option<(usize, usize)> {
        let lambda = f64::from(self.options.l2);
        let min_h = f64::from(self.options.min_child_hessian);
        let parent = g * g / (h + lambda);
        let mut best: Option<(f64, usize, usize)> = None;
        let mut histogram = [(0f64, 0f64); MAX_BINS];
        for feature in 0..self.k {
            let cuts = self.thresholds[feature].len();
            if cuts == 0 {
                continue;
            }
            histogram[..=cuts].fill((0.0, 0.0));
            for &r in rows {
                let bin = usize::from(self.bins[r as usize * self.k + feature]);
                let (gr, hr) = gradients[r as usize];
                histogram[bin].0 += f64::from(gr);
                histogram[bin].1 += f64::from(hr);
            }
            let (mut gl, mut hl) = (0f64, 0f64);
            for (cut, &(gb, hb)) in histogram[..cuts].iter().enumerate() {
                gl += gb;
                hl += hb;
                let (gr, hr) = (g - gl, h - hl);
                if hl < min_h || hr < min_h {
                    continue;
                }
                let gain = gl * gl / (hl + lambda) + gr * gr / (hr + lambda) - parent;
                if gain > 1e-9 && best.is_none_or(|(b, _, _)| gain > b) {
                    best = Some((gain, feature, cut));
                }
            }
        }
        best.map(|(_, feature, cut)| (feature, cut))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An XOR of two features: no linear model separates it, two levels of splits do.
    fn xor_samples() -> Vec<[f32; 3]> {
        let mut out = Vec::new();
        for i in 0..400 {
            let a = (i % 20) as f32 / 20.0;
            let b = (i / 20) as f32 / 20.0;
            out.push([a, b, ((a > 0.5) != (b > 0.5)) as u8 as f32]);
        }
        out
    }

    /// An ensemble fitted on [`xor_samples`], with them.
    fn fitted_on_xor(trees: usize, depth: usize) -> (Vec<[f32; 3]>, TreeEnsemble) {
        let data = xor_samples();
        let samples: Vec<Sample> =
            data.iter().map(|d| Sample { features: &d[..2], positive: d[2] > 0.5, weight: 1.0 }).collect();
        let options = TreeOptions { trees, depth, learning_rate: 0.3, ..TreeOptions::default() };
        let model = train(&samples, &["a", "b"], &options, "test".into());
        (data, model)
    }

    #[test]
    fn trees_learn_an_interaction_and_round_trip_through_toml() {
        let (data, model) = fitted_on_xor(40, 2);
        let right = data.iter().filter(|d| (model.probability(&d[..2]) >= 0.5) == (d[2] > 0.5)).count();
        assert!(right as f32 / data.len() as f32 > 0.97, "{right} of {}", data.len());
        let parsed = TreeEnsemble::parse(&model.to_toml(), "lines.toml", &["a", "b"]).unwrap();
        assert_eq!(parsed.probability(&[0.9, 0.1]), model.probability(&[0.9, 0.1]));
        assert!(TreeEnsemble::parse(&model.to_toml(), "lines.toml", &["b", "a"]).is_err());
    }

    #[test]
    fn probabilities_of_many_rows_are_each_rows_probability_bit_for_bit() {
        // Depth 3 with leaves above the last level (a tree stops where its data does).
        let (data, model) = fitted_on_xor(30, 3);
        // Every count of rows around the lane width, and NaN (which goes right, as fitted).
        let mut rows: Vec<[f32; 2]> = data.iter().map(|d| [d[0], d[1]]).collect();
        rows.extend([[f32::NAN, 0.3], [0.7, f32::NAN], [f32::INFINITY, -1.0]]);
        for n in [0, 1, 3, 4, 5, 8, 9, rows.len()] {
            let many = model.probabilities(&rows[..n]);
            let one: Vec<f32> = rows[..n].iter().map(|r| model.probability(r)).collect();
            assert_eq!(many.len(), n);
            assert!(many.iter().zip(&one).all(|(a, b)| a.to_bits() == b.to_bits()), "{n} rows");
        }
    }

    #[test]
    fn contributions_add_up_to_the_prediction() {
        let data = xor_samples();
        let samples: Vec<Sample> =
            data.iter().map(|d| Sample { features: &d[..2], positive: d[2] > 0.5, weight: 1.0 }).collect();
        let model = train(&samples, &["a", "b"], &TreeOptions { trees: 10, ..TreeOptions::default() }, String::new());
        let x = [0.8, 0.2];
        let roots: f32 = model.trees.iter().map(|t| t[0][4]).sum();
        let z = model.base + roots + model.contributions(&x).iter().sum::<f32>();
        let p = model.probability(&x);
        assert!((1.0 / (1.0 + (-z).exp()) - p).abs() < 1e-4);
    }

    #[test]
    fn trees_of_uneven_depth_predict_as_they_were_fitted() {
        // Tree 0 is a single leaf; tree 1 splits on a, then on b only on its right side.
        let text = "threshold = 0.5\nbase = 0.25\nfeatures = [\"a\", \"b\"]\ntrees = [[[-1.0, 0.0, 0.0, 0.0, 0.5]], \
            [[0.0, 0.5, 1.0, 2.0, 0.0], [-1.0, 0.0, 0.0, 0.0, -1.0], [1.0, 0.3, 3.0, 4.0, 0.0], \
            [-1.0, 0.0, 0.0, 0.0, 2.0], [-1.0, 0.0, 0.0, 0.0, 3.0]]]\n";
        let model = TreeEnsemble::parse(text, "lines.toml", &["a", "b"]).unwrap();
        let logit = |p: f32| (p / (1.0 - p)).ln();
        for (x, leaf) in [([0.5, 9.0], -1.0), ([0.9, 0.3], 2.0), ([0.9, 0.4], 3.0), ([f32::NAN, 0.0], 2.0)] {
            assert!((logit(model.probability(&x)) - (0.75 + leaf)).abs() < 1e-4, "{x:?}");
        }
        // A chain of splits one level deeper than allowed: split i at 2i, its leaf at 2i + 1.
        let mut deep: Vec<String> = (0..=MAX_DEPTH)
            .flat_map(|i| {
                [format!("[0.0, 0.5, {}.0, {}.0, 0.0]", 2 * i + 1, 2 * i + 2), "[-1.0, 0.0, 0.0, 0.0, 0.0]".into()]
            })
            .collect();
        deep.push("[-1.0, 0.0, 0.0, 0.0, 0.0]".into());
        let nodes = deep.len();
        let text = format!("threshold = 0.5\nbase = 0.0\nfeatures = [\"a\"]\ntrees = [[{}]]\n", deep.join(", "));
        let error = TreeEnsemble::parse(&text, "lines.toml", &["a"]).unwrap_err().to_string();
        assert!(error.contains("deeper than"), "{error} ({nodes} nodes)");
    }

    #[test]
    fn a_malformed_tree_is_rejected_with_the_file_named() {
        let text = "threshold = 0.5\nbase = 0.0\nfeatures = [\"a\"]\ntrees = [[[0.0, 0.5, 0.0, 2.0, 0.1]]]\n";
        let error = TreeEnsemble::parse(text, "lines.toml", &["a"]).unwrap_err().to_string();
        assert!(error.contains("lines.toml") && error.contains("malformed"), "{error}");
    }

    #[test]
    fn a_calibration_round_trips_and_a_reversed_one_is_rejected() {
        let (_, mut model) = fitted_on_xor(20, 2);
        model.calibration = Some(Platt { slope: 0.5, intercept: -0.25 });
        let parsed = TreeEnsemble::parse(&model.to_toml(), "filler.toml", &["a", "b"]).unwrap();
        assert_eq!(parsed.calibration, model.calibration);
        let reversed = model.to_toml().replace("slope = 0.5", "slope = -0.5");
        let error = TreeEnsemble::parse(&reversed, "filler.toml", &["a", "b"]).unwrap_err().to_string();
        assert!(error.contains("filler.toml") && error.contains("calibration"), "{error}");
    }
}
