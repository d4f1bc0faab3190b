//! Platt scaling: a fitted model's log-odds mapped through `slope * z + intercept`, fitted on
//! out-of-fold predictions so that a probability of 0.5 is the decision point on held-out text.
//! Boosted trees fitted on a few hundred texts are overconfident on their own training data
//! (in-sample probabilities near 0 and 1), and the held-out ones are what a new text gets.

use serde::{Deserialize, Serialize};

/// `p = 1 / (1 + exp(-(slope * z + intercept)))` for a model's log-odds `z`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    pub slope: f32,
    pub intercept: f32,
}

impl Default for Platt {
    /// The identity: the model's own probability.
    fn default() -> Self {
        Platt { slope: 1.0, intercept: 0.0 }
    }
}

impl Platt {
    /// The calibrated probability of log-odds `z`.
    pub fn probability(&self, z: f32) -> f32 {
        1.0 / (1.0 + (-(self.slope * z + self.intercept)).exp())
    }

    /// Fits slope and intercept by Newton's method on the log loss of `(log-odds, positive)`
    /// pairs, with Platt's smoothed targets (`(n+ + 1) / (n+ + 2)` and `1 / (n- + 2)`), which
    /// keep a separable set from driving the slope to infinity. Each step is halved until the
    /// loss falls, from the flat start (slope 0, the prior's log-odds), so it always converges.
    pub fn fit(scored: &[(f64, bool)]) -> Platt {
        let positives = scored.iter().filter(|(_, p)| *p).count() as f64;
        let negatives = scored.len() as f64 - positives;
        if positives == 0.0 || negatives == 0.0 {
            return Platt::default();
        }
        let (high, low) = ((positives + 1.0) / (positives + 2.0), 1.0 / (negatives + 2.0));
        let target = |positive: bool| if positive { high } else { low };
        let loss = |a: f64, b: f64| -> f64 {
            scored
                .iter()
                .map(|&(z, positive)| {
                    // log(1 + e^m) - t m, written to stay finite for large |m|.
                    let m = a * z + b;
                    m.max(0.0) + (-m.abs()).exp().ln_1p() - target(positive) * m
                })
                .sum()
        };
        let (mut a, mut b) = (0.0f64, ((positives + 1.0) / (negatives + 1.0)).ln());
        let mut current = loss(a, b);
        for _ in 0..100 {
            // Gradient and Hessian of the log loss in (a, b).
            let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for &(z, positive) in scored {
                let p = 1.0 / (1.0 + (-(a * z + b)).exp());
                let (d, w) = (p - target(positive), (p * (1.0 - p)).max(1e-12));
                ga += d * z;
                gb += d;
                haa += w * z * z;
                hab += w * z;
                hbb += w;
            }
            // A small ridge keeps the step finite when every z is the same.
            let (haa, hbb) = (haa + 1e-9, hbb + 1e-9);
            let det = haa * hbb - hab * hab;
            let (da, db) = ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det);
            if !(da.is_finite() && db.is_finite()) || (da.abs() < 1e-10 && db.abs() < 1e-10) {
                break;
            }
            let mut step = 1.0;
            while step > 1e-10 && loss(a - step * da, b - step * db) > current {
                step /= 2.0;
            }
            if step <= 1e-10 {
                break;
            }
            a -= step * da;
            b -= step * db;
            current = loss(a, b);
        }
        Platt { slope: a as f32, intercept: b as f32 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_recovers_the_scale_of_overconfident_log_odds() {
        // Log-odds three times too large: the outcomes follow sigmoid(z / 3).
        let mut scored = Vec::new();
        for i in 0..2000 {
            let z = (i as f64 / 2000.0 - 0.5) * 24.0;
            let p = 1.0 / (1.0 + (-z / 3.0).exp());
            // A deterministic draw: positive in the share p of each run of 20.
            let positive = ((i % 20) as f64 + 0.5) / 20.0 < p;
            scored.push((z, positive));
        }
        let platt = Platt::fit(&scored);
        assert!((platt.slope - 1.0 / 3.0).abs() < 0.05, "{platt:?}");
        assert!(platt.intercept.abs() < 0.1, "{platt:?}");
    }

    #[test]
    fn fit_moves_the_intercept_with_the_prior_and_stays_finite_on_separable_sets() {
        let shifted: Vec<(f64, bool)> = (0..400).map(|i| (i as f64 / 100.0 - 2.0, i % 4 == 0 || i > 300)).collect();
        assert!(Platt::fit(&shifted).intercept < 0.0);
        let separable: Vec<(f64, bool)> = (0..100).map(|i| (i as f64 - 50.0, i >= 50)).collect();
        let platt = Platt::fit(&separable);
        assert!(platt.slope.is_finite() && platt.slope > 0.0, "{platt:?}");
        assert!(platt.probability(-50.0) < 0.05 && platt.probability(49.0) > 0.95);
        assert_eq!(Platt::fit(&[(1.0, true)]), Platt::default());
    }
}
