//! A one-hidden-layer perceptron with ReLU units and one linear output, trained by plain
//! SGD on the mean squared error: ŷ(u) = Σ_h w₂_h relu(W₁ u + b₁)_h + b₂. Small enough
//! (49 parameters at d = 2, 16 hidden units) that a deep-learning framework is not worth
//! its build time; the gradient is checked against finite differences in the tests.

use rand::{Rng, RngExt};

use crate::LearnError;
use crate::error::check_finite;

/// A one-hidden-layer ReLU network with one output.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    inputs: usize,
    hidden: usize,
    /// W₁, row-major hidden × inputs.
    w1: Vec<f64>,
    b1: Vec<f64>,
    w2: Vec<f64>,
    b2: f64,
    train_biases: bool,
    /// Scratch: hidden pre-activations and the gradient.
    z: Vec<f64>,
    grad: Vec<f64>,
}

impl Mlp {
    /// PyTorch's default initialisation of `nn.Linear`: every weight and bias of a layer
    /// with fan-in f drawn from U(−1/√f, 1/√f) (kaiming_uniform with a = √5 for the
    /// weights), in the order W₁ (row-major), b₁, w₂, b₂.
    ///
    /// # Errors
    /// `InvalidParameter` for zero inputs or hidden units.
    pub fn pytorch_init<R: Rng + ?Sized>(
        inputs: usize,
        hidden: usize,
        rng: &mut R,
    ) -> Result<Self, LearnError> {
        if inputs == 0 || hidden == 0 {
            return Err(LearnError::InvalidParameter {
                name: "inputs × hidden units",
                value: (inputs * hidden) as f64,
                requirement: "both must be ≥ 1",
            });
        }
        let u = |rng: &mut R, fan: usize| {
            let b = 1.0 / (fan as f64).sqrt();
            rng.random_range(-b..b)
        };
        let w1 = (0..hidden * inputs).map(|_| u(rng, inputs)).collect();
        let b1 = (0..hidden).map(|_| u(rng, inputs)).collect();
        let w2 = (0..hidden).map(|_| u(rng, hidden)).collect();
        let b2 = u(rng, hidden);
        Ok(Self {
            inputs,
            hidden,
            w1,
            b1,
            w2,
            b2,
            train_biases: true,
            z: vec![0.0; hidden],
            grad: vec![0.0; hidden * inputs + 2 * hidden + 1],
        })
    }

    /// The same network with every bias (b₁ and b₂) replaced by `biases` (hidden + 1
    /// values, b₁ then b₂) and frozen: SGD no longer changes them (the reference's
    /// "MLPf", whose biases are fixed N(0, 1) draws).
    ///
    /// # Errors
    /// `DimensionMismatch` or `NonFinite` for bad biases.
    pub fn with_fixed_biases(mut self, biases: &[f64]) -> Result<Self, LearnError> {
        if biases.len() != self.hidden + 1 {
            return Err(LearnError::DimensionMismatch {
                what: "fixed biases",
                expected: self.hidden + 1,
                found: biases.len(),
            });
        }
        check_finite("fixed biases", biases)?;
        self.b1.copy_from_slice(&biases[..self.hidden]);
        self.b2 = biases[self.hidden];
        self.train_biases = false;
        Ok(self)
    }

    /// Number of parameters (trained or not).
    pub fn n_params(&self) -> usize {
        self.grad.len()
    }

    /// Every parameter, in the order W₁ (row-major), b₁, w₂, b₂.
    pub fn params(&self) -> Vec<f64> {
        let mut p = self.w1.clone();
        p.extend(&self.b1);
        p.extend(&self.w2);
        p.push(self.b2);
        p
    }

    /// Sets every parameter (same order as [`Mlp::params`]).
    ///
    /// # Errors
    /// `DimensionMismatch` or `NonFinite`.
    pub fn set_params(&mut self, p: &[f64]) -> Result<(), LearnError> {
        if p.len() != self.n_params() {
            return Err(LearnError::DimensionMismatch {
                what: "parameters",
                expected: self.n_params(),
                found: p.len(),
            });
        }
        check_finite("parameters", p)?;
        let (a, rest) = p.split_at(self.hidden * self.inputs);
        let (b, rest) = rest.split_at(self.hidden);
        let (c, d) = rest.split_at(self.hidden);
        self.w1.copy_from_slice(a);
        self.b1.copy_from_slice(b);
        self.w2.copy_from_slice(c);
        self.b2 = d[0];
        Ok(())
    }

    /// ŷ(u).
    pub fn predict(&self, u: &[f64]) -> f64 {
        let mut y = self.b2;
        for h in 0..self.hidden {
            let row = &self.w1[h * self.inputs..(h + 1) * self.inputs];
            let z = self.b1[h] + row.iter().zip(u).map(|(w, x)| w * x).sum::<f64>();
            y += self.w2[h] * z.max(0.0);
        }
        y
    }

    fn check(&self, inputs: &[f64], targets: &[f64]) -> Result<(), LearnError> {
        if targets.is_empty() {
            return Err(LearnError::Empty { what: "targets", rows: 0, cols: 1 });
        }
        if inputs.len() != targets.len() * self.inputs {
            return Err(LearnError::DimensionMismatch {
                what: "inputs",
                expected: targets.len() * self.inputs,
                found: inputs.len(),
            });
        }
        check_finite("inputs", inputs)?;
        check_finite("targets", targets)
    }

    /// The mean squared error (1/N) Σ (ŷ(u_j) − y_j)² (PyTorch's `MSELoss`, mean).
    ///
    /// # Errors
    /// `Empty`, `DimensionMismatch` or `NonFinite` for bad data.
    pub fn mse(&self, inputs: &[f64], targets: &[f64]) -> Result<f64, LearnError> {
        self.check(inputs, targets)?;
        Ok(inputs
            .chunks(self.inputs)
            .zip(targets)
            .map(|(u, y)| (self.predict(u) - y).powi(2))
            .sum::<f64>()
            / targets.len() as f64)
    }

    /// The MSE and its gradient with respect to every parameter (order of
    /// [`Mlp::params`]; ReLU'(0) = 0, as PyTorch). The returned slice is scratch of the
    /// network.
    ///
    /// # Errors
    /// As [`Mlp::mse`].
    pub fn mse_gradient(
        &mut self,
        inputs: &[f64],
        targets: &[f64],
    ) -> Result<(f64, &[f64]), LearnError> {
        self.check(inputs, targets)?;
        let (d, hn) = (self.inputs, self.hidden);
        let n = targets.len() as f64;
        self.grad.iter_mut().for_each(|g| *g = 0.0);
        let mut loss = 0.0;
        for (u, &y) in inputs.chunks(d).zip(targets) {
            let mut out = self.b2;
            for h in 0..hn {
                let row = &self.w1[h * d..(h + 1) * d];
                self.z[h] = self.b1[h] + row.iter().zip(u).map(|(w, x)| w * x).sum::<f64>();
                out += self.w2[h] * self.z[h].max(0.0);
            }
            let r = out - y;
            loss += r * r / n;
            let g = 2.0 * r / n;
            let (gw1, rest) = self.grad.split_at_mut(hn * d);
            let (gb1, rest) = rest.split_at_mut(hn);
            let (gw2, gb2) = rest.split_at_mut(hn);
            gb2[0] += g;
            for h in 0..hn {
                let a = self.z[h].max(0.0);
                gw2[h] += g * a;
                if self.z[h] > 0.0 {
                    let gz = g * self.w2[h];
                    gb1[h] += gz;
                    for (k, &x) in u.iter().enumerate() {
                        gw1[h * d + k] += gz * x;
                    }
                }
            }
        }
        if !self.train_biases {
            let off = hn * d;
            self.grad[off..off + hn].iter_mut().for_each(|g| *g = 0.0);
            let last = self.grad.len() - 1;
            self.grad[last] = 0.0;
        }
        Ok((loss, &self.grad))
    }

    /// One SGD step θ ← θ − lr ∇MSE on this minibatch (frozen biases stay); returns the
    /// minibatch loss before the step.
    ///
    /// # Errors
    /// As [`Mlp::mse`]; `InvalidParameter` for a non-finite or negative rate.
    pub fn sgd_step(
        &mut self,
        inputs: &[f64],
        targets: &[f64],
        lr: f64,
    ) -> Result<f64, LearnError> {
        if !(lr >= 0.0 && lr.is_finite()) {
            return Err(LearnError::InvalidParameter {
                name: "learning rate",
                value: lr,
                requirement: "must be finite and >= 0",
            });
        }
        let (loss, _) = self.mse_gradient(inputs, targets)?;
        let (d, hn) = (self.inputs, self.hidden);
        for i in 0..hn * d {
            self.w1[i] -= lr * self.grad[i];
        }
        for h in 0..hn {
            self.b1[h] -= lr * self.grad[hn * d + h];
            self.w2[h] -= lr * self.grad[hn * d + hn + h];
        }
        self.b2 -= lr * self.grad[hn * d + 2 * hn];
        Ok(loss)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> (Vec<f64>, Vec<f64>) {
        let mut rng = streams::stream_rng(4, 0);
        let u: Vec<f64> = (0..40).map(|_| rng.random::<f64>()).collect();
        let y: Vec<f64> = u.chunks(2).map(|p| (p[0] * 3.0).sin() + p[1] * p[1]).collect();
        (u, y)
    }

    #[test]
    fn the_gradient_matches_central_differences() {
        let (u, y) = data();
        let mut rng = streams::stream_rng(5, 0);
        let mut net = Mlp::pytorch_init(2, 16, &mut rng).unwrap();
        let (_, g) = net.mse_gradient(&u, &y).unwrap();
        let g = g.to_vec();
        let p0 = net.params();
        let h = 1e-6;
        for i in 0..p0.len() {
            let mut p = p0.clone();
            p[i] += h;
            net.set_params(&p).unwrap();
            let up = net.mse(&u, &y).unwrap();
            p[i] -= 2.0 * h;
            net.set_params(&p).unwrap();
            let down = net.mse(&u, &y).unwrap();
            let fd = (up - down) / (2.0 * h);
            assert!((fd - g[i]).abs() < 1e-6 * (1.0 + g[i].abs()), "param {i}: {fd} vs {}", g[i]);
        }
    }

    #[test]
    fn sgd_lowers_the_loss_and_frozen_biases_stay() {
        let (u, y) = data();
        let mut rng = streams::stream_rng(6, 0);
        let mut net = Mlp::pytorch_init(2, 16, &mut rng).unwrap();
        let first = net.mse(&u, &y).unwrap();
        for _ in 0..500 {
            net.sgd_step(&u, &y, 0.1).unwrap();
        }
        assert!(net.mse(&u, &y).unwrap() < 0.5 * first);
        let biases: Vec<f64> = (0..17).map(|i| 0.1 * f64::from(i) - 0.8).collect();
        let mut fixed =
            Mlp::pytorch_init(2, 16, &mut rng).unwrap().with_fixed_biases(&biases).unwrap();
        for _ in 0..50 {
            fixed.sgd_step(&u, &y, 0.1).unwrap();
        }
        let p = fixed.params();
        assert_eq!(&p[32..48], &biases[..16]);
        assert_eq!(p[64], biases[16]);
        assert_eq!(p.len(), 65);
    }

    #[test]
    fn pytorch_init_respects_the_fan_in_bounds() {
        let mut rng = streams::stream_rng(7, 0);
        let net = Mlp::pytorch_init(2, 16, &mut rng).unwrap();
        let p = net.params();
        let b1 = 1.0 / 2f64.sqrt();
        assert!(p[..48].iter().all(|v| v.abs() < b1));
        assert!(p[48..].iter().all(|v| v.abs() < 0.25));
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let mut rng = streams::stream_rng(8, 0);
        let mut net = Mlp::pytorch_init(2, 4, &mut rng).unwrap();
        assert!(net.mse(&[], &[]).is_err());
        assert!(net.mse(&[0.1], &[1.0]).is_err());
        assert!(net.sgd_step(&[0.1, f64::NAN], &[1.0], 0.1).is_err());
        assert!(net.sgd_step(&[0.1, 0.2], &[1.0], f64::INFINITY).is_err());
        assert!(Mlp::pytorch_init(0, 4, &mut rng).is_err());
        assert!(net.clone().with_fixed_biases(&[1.0]).is_err());
    }
}
