//! Logistic regression: the fitted models of `models/` (`lines.toml`, `filler.toml`) and
//! their training by full-batch gradient descent (Adam) on standardised features. Plain Rust:
//! a few dozen features and tens of thousands of samples need nothing more.
// Feature vectors are walked in step with their weights; index loops read best here.
#![allow(clippy::needless_range_loop)]

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A fitted model: standardisation and weight per feature, a bias and a decision threshold.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogisticModel {
    /// How the weights were fitted (command, data, cross-validated figures).
    #[serde(default)]
    pub fitted: String,
    pub threshold: f32,
    pub bias: f32,
    pub feature: Vec<FeatureWeight>,
}

/// One feature's standardisation and weight.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeatureWeight {
    pub name: String,
    pub mean: f32,
    pub std: f32,
    pub weight: f32,
}

impl LogisticModel {
    /// Parses a model file, checking that it lists exactly `names`, in order.
    pub fn parse(text: &str, file: &str, names: &[&str]) -> Result<Self> {
        let model: LogisticModel = toml::from_str(text).map_err(|e| Error::Model {
            file: file.into(),
            line: 0,
            message: e.message().to_string(),
        })?;
        let listed: Vec<&str> = model.feature.iter().map(|f| f.name.as_str()).collect();
        if listed != names {
            return Err(Error::Model {
                file: file.into(),
                line: 0,
                message: format!("features must be, in order: {}", names.join(", ")),
            });
        }
        if model.feature.iter().any(|f| f.std.is_nan() || f.std <= 0.0 || !f.mean.is_finite() || !f.weight.is_finite())
        {
            return Err(Error::Model {
                file: file.into(),
                line: 0,
                message: "every feature needs a finite mean and weight and std > 0".into(),
            });
        }
        Ok(model)
    }

    /// The probability of the positive class for these features.
    pub fn probability(&self, features: &[f32]) -> f32 {
        let mut z = self.bias;
        for (value, f) in features.iter().zip(&self.feature) {
            z += f.weight * (value - f.mean) / f.std;
        }
        1.0 / (1.0 + (-z).exp())
    }

    /// The model as TOML, for `models/`.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}

/// One training sample.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    pub features: &'a [f32],
    pub positive: bool,
    pub weight: f32,
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub iterations: usize,
    pub l2: f32,
    pub threshold: f32,
}

/// Fits a logistic regression on `samples` (features named `names`).
pub fn train(samples: &[Sample], names: &[&str], options: &TrainOptions, fitted: String) -> LogisticModel {
    let k = names.len();
    let n = samples.len().max(1) as f32;
    let mut mean = vec![0f32; k];
    let mut std = vec![0f32; k];
    for s in samples {
        for j in 0..k {
            mean[j] += s.features[j] / n;
        }
    }
    for s in samples {
        for j in 0..k {
            std[j] += (s.features[j] - mean[j]).powi(2) / n;
        }
    }
    for value in &mut std {
        *value = value.sqrt().max(1e-3);
    }
    let standardised: Vec<(Vec<f32>, f32, f32)> = samples
        .iter()
        .map(|s| {
            ((0..k).map(|j| (s.features[j] - mean[j]) / std[j]).collect(), f32::from(u8::from(s.positive)), s.weight)
        })
        .collect();
    let total_weight: f32 = standardised.iter().map(|(_, _, w)| w).sum::<f32>().max(1e-6);

    let mut weights = vec![0f32; k + 1]; // the last one is the bias
    let (mut m, mut v) = (vec![0f32; k + 1], vec![0f32; k + 1]);
    let (rate, beta1, beta2) = (0.05f32, 0.9f32, 0.999f32);
    for step in 1..=options.iterations {
        let gradient = standardised
            .par_chunks(4096)
            .map(|chunk| {
                let mut g = vec![0f32; k + 1];
                for (x, y, w) in chunk {
                    let mut z = weights[k];
                    for j in 0..k {
                        z += weights[j] * x[j];
                    }
                    let error = (1.0 / (1.0 + (-z).exp()) - y) * w;
                    for j in 0..k {
                        g[j] += error * x[j];
                    }
                    g[k] += error;
                }
                g
            })
            .reduce(
                || vec![0f32; k + 1],
                |mut a, b| {
                    for j in 0..=k {
                        a[j] += b[j];
                    }
                    a
                },
            );
        for j in 0..=k {
            let regularisation = if j < k { options.l2 * weights[j] } else { 0.0 };
            let g = gradient[j] / total_weight + regularisation;
            m[j] = beta1 * m[j] + (1.0 - beta1) * g;
            v[j] = beta2 * v[j] + (1.0 - beta2) * g * g;
            let m_hat = m[j] / (1.0 - beta1.powi(step as i32));
            let v_hat = v[j] / (1.0 - beta2.powi(step as i32));
            weights[j] -= rate * m_hat / (v_hat.sqrt() + 1e-8);
        }
    }
    LogisticModel {
        fitted,
        threshold: options.threshold,
        bias: weights[k],
        feature: (0..k)
            .map(|j| FeatureWeight { name: names[j].to_string(), mean: mean[j], std: std[j], weight: weights[j] })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_rule_and_round_trips_through_toml() {
        let data: Vec<[f32; 2]> = (0..200).map(|i| [i as f32 / 200.0, ((i * 7) % 13) as f32]).collect();
        let samples: Vec<Sample> =
            data.iter().map(|x| Sample { features: x, positive: x[0] > 0.5, weight: 1.0 }).collect();
        let options = TrainOptions { iterations: 300, l2: 1e-4, threshold: 0.5 };
        let model = train(&samples, &["signal", "noise"], &options, "test".into());
        assert!(model.probability(&[0.9, 3.0]) > 0.8);
        assert!(model.probability(&[0.1, 3.0]) < 0.2);
        let again = LogisticModel::parse(&model.to_toml(), "m.toml", &["signal", "noise"]).unwrap();
        assert_eq!(again.probability(&[0.7, 1.0]), model.probability(&[0.7, 1.0]));
        assert!(LogisticModel::parse(&model.to_toml(), "m.toml", &["other", "noise"]).is_err());
    }
}
