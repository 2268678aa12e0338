//! Softmax / cross-entropy readout: multinomial logistic regression at fixed features.
//!
//! With scores z_μk = b_k + Σ_j W_kj x_μj, the fitted (W, b) minimise
//!
//! ```text
//! L(W, b) = (1/M) Σ_μ [ln Σ_k e^{z_μk} − z_μ,y_μ] + (λ/2) Σ_kj W_kj²,
//! ```
//!
//! the mean cross-entropy (nats) plus an L2 penalty on the weights (not the intercepts).
//! λ > 0 makes the problem strictly convex in W and keeps the weights finite on
//! separable data; the default λ = 1e-4 is small next to the cross-entropies of interest.
//! The minimiser is L-BFGS (memory 10) with Armijo backtracking, stopped when the
//! largest gradient component falls below `tolerance` (default 1e-6), and warm-started
//! from a previous fit when given (the SPSA loop refits at every evaluation).
//! Log-sum-exp is evaluated with the maximum subtracted, so no input overflows or gives NaN.

use crate::LearnError;
use crate::error::check_finite;

/// Settings of the readout fit.
#[derive(Debug, Clone, PartialEq)]
pub struct SoftmaxReadout {
    /// Number of classes K.
    pub classes: usize,
    /// L2 penalty λ on the weights.
    pub lambda: f64,
    /// Stop when max |∂L| < tolerance.
    pub tolerance: f64,
    /// Iteration limit.
    pub max_iterations: usize,
}

/// A fitted readout.
#[derive(Debug, Clone, PartialEq)]
pub struct SoftmaxFit {
    /// W, K × d row-major.
    pub weights: Vec<f64>,
    /// b, length K.
    pub intercepts: Vec<f64>,
    /// Mean cross-entropy on the fitted data (nats, without the penalty).
    pub cross_entropy: f64,
    /// Fraction of samples whose largest score is the true class.
    pub accuracy: f64,
    /// L-BFGS iterations used.
    pub iterations: usize,
    /// Features d.
    pub features: usize,
}

impl SoftmaxReadout {
    /// K classes with the default λ = 1e-4, tolerance 1e-6 and 2000 iterations.
    pub fn new(classes: usize) -> Self {
        Self { classes, lambda: 1e-4, tolerance: 1e-6, max_iterations: 2000 }
    }

    /// Loss (with penalty), gradient (into `grad`), mean cross-entropy and accuracy.
    fn evaluate(
        &self,
        params: &[f64],
        x: &[f64],
        labels: &[usize],
        d: usize,
        grad: &mut [f64],
        z: &mut [f64],
    ) -> (f64, f64, f64) {
        let k = self.classes;
        let m = labels.len();
        let (w, b) = params.split_at(k * d);
        grad.fill(0.0);
        let (gw, gb) = grad.split_at_mut(k * d);
        let mut ce = 0.0;
        let mut correct = 0usize;
        for (mu, &y) in labels.iter().enumerate() {
            let xm = &x[mu * d..(mu + 1) * d];
            for c in 0..k {
                z[c] = b[c] + w[c * d..(c + 1) * d].iter().zip(xm).map(|(a, b)| a * b).sum::<f64>();
            }
            let (arg, zmax) = z[..k]
                .iter()
                .enumerate()
                .fold((0, f64::NEG_INFINITY), |acc, (i, &v)| if v > acc.1 { (i, v) } else { acc });
            if arg == y {
                correct += 1;
            }
            let sum: f64 = z[..k].iter().map(|v| (v - zmax).exp()).sum();
            let lse = zmax + sum.ln();
            ce += lse - z[y];
            for c in 0..k {
                let p = (z[c] - lse).exp() - if c == y { 1.0 } else { 0.0 };
                gb[c] += p;
                for (g, &xv) in gw[c * d..(c + 1) * d].iter_mut().zip(xm) {
                    *g += p * xv;
                }
            }
        }
        let inv_m = 1.0 / m as f64;
        let mut penalty = 0.0;
        for (g, &wv) in gw.iter_mut().zip(w) {
            *g = *g * inv_m + self.lambda * wv;
            penalty += wv * wv;
        }
        for g in gb.iter_mut() {
            *g *= inv_m;
        }
        let ce = ce * inv_m;
        (ce + 0.5 * self.lambda * penalty, ce, correct as f64 * inv_m)
    }

    /// Fits the readout to `m × d` row-major features and labels in 0..K, warm-started
    /// from `warm` when it has the right shape.
    ///
    /// # Errors
    /// Empty data, mis-sized or non-finite inputs, labels out of range, bad settings, or
    /// no convergence within `max_iterations`.
    pub fn fit(
        &self,
        x: &[f64],
        labels: &[usize],
        d: usize,
        warm: Option<&SoftmaxFit>,
    ) -> Result<SoftmaxFit, LearnError> {
        let (k, m) = (self.classes, labels.len());
        if m == 0 || d == 0 {
            return Err(LearnError::Empty { what: "readout data", rows: m, cols: d });
        }
        if k < 2 {
            return Err(LearnError::InvalidParameter {
                name: "classes",
                value: k as f64,
                requirement: "must be >= 2",
            });
        }
        if x.len() != m * d {
            return Err(LearnError::DimensionMismatch {
                what: "features",
                expected: m * d,
                found: x.len(),
            });
        }
        check_finite("features", x)?;
        if let Some((index, &label)) = labels.iter().enumerate().find(|(_, l)| **l >= k) {
            return Err(LearnError::BadLabel { index, label, classes: k });
        }
        if !(self.lambda >= 0.0 && self.lambda.is_finite()) {
            return Err(LearnError::InvalidParameter {
                name: "lambda",
                value: self.lambda,
                requirement: "must be finite and >= 0",
            });
        }
        if !(self.tolerance > 0.0) {
            return Err(LearnError::InvalidParameter {
                name: "tolerance",
                value: self.tolerance,
                requirement: "must be > 0",
            });
        }
        let p = k * d + k;
        let mut params = vec![0.0; p];
        if let Some(w) =
            warm.filter(|w| w.features == d && w.weights.len() == k * d && w.intercepts.len() == k)
        {
            params[..k * d].copy_from_slice(&w.weights);
            params[k * d..].copy_from_slice(&w.intercepts);
        }
        let mut z = vec![0.0; k];
        let mut grad = vec![0.0; p];
        let (mut loss, mut ce, mut acc) = self.evaluate(&params, x, labels, d, &mut grad, &mut z);
        const MEMORY: usize = 10;
        let mut s_hist: Vec<Vec<f64>> = Vec::new();
        let mut y_hist: Vec<Vec<f64>> = Vec::new();
        let mut dir = vec![0.0; p];
        let mut trial = vec![0.0; p];
        let mut trial_grad = vec![0.0; p];
        let mut alpha_buf = [0.0; MEMORY];
        let norm_inf = |g: &[f64]| g.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        for iteration in 0..self.max_iterations {
            if norm_inf(&grad) < self.tolerance {
                return Ok(self.result(params, ce, acc, iteration, d));
            }
            // Two-loop recursion: dir = −H g.
            dir.copy_from_slice(&grad);
            for (i, (s, y)) in s_hist.iter().zip(&y_hist).enumerate().rev() {
                let rho = 1.0 / dot(y, s);
                alpha_buf[i] = rho * dot(s, &dir);
                axpy(-alpha_buf[i], y, &mut dir);
            }
            let gamma = match (s_hist.last(), y_hist.last()) {
                (Some(s), Some(y)) => dot(s, y) / dot(y, y),
                _ => 1.0 / norm_inf(&grad).max(1.0),
            };
            for v in dir.iter_mut() {
                *v *= gamma;
            }
            for (i, (s, y)) in s_hist.iter().zip(&y_hist).enumerate() {
                let rho = 1.0 / dot(y, s);
                let beta = rho * dot(y, &dir);
                axpy(alpha_buf[i] - beta, s, &mut dir);
            }
            for v in dir.iter_mut() {
                *v = -*v;
            }
            let mut slope = dot(&grad, &dir);
            if !(slope < 0.0) {
                // Not a descent direction (round-off): restart with steepest descent.
                s_hist.clear();
                y_hist.clear();
                for (dv, g) in dir.iter_mut().zip(&grad) {
                    *dv = -g;
                }
                slope = dot(&grad, &dir);
            }
            // Armijo backtracking.
            let mut step = 1.0;
            let mut accepted = false;
            let mut stats = (loss, ce, acc);
            for _ in 0..60 {
                for i in 0..p {
                    trial[i] = params[i] + step * dir[i];
                }
                stats = self.evaluate(&trial, x, labels, d, &mut trial_grad, &mut z);
                if stats.0 <= loss + 1e-4 * step * slope {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if !accepted {
                // No decrease possible at this precision: the gradient is at round-off.
                return if norm_inf(&grad) < 1e3 * self.tolerance {
                    Ok(self.result(params, ce, acc, iteration, d))
                } else {
                    Err(LearnError::NoConvergence {
                        what: "softmax readout (line search)",
                        iterations: iteration,
                        gradient: norm_inf(&grad),
                    })
                };
            }
            let s: Vec<f64> = (0..p).map(|i| trial[i] - params[i]).collect();
            let y: Vec<f64> = (0..p).map(|i| trial_grad[i] - grad[i]).collect();
            if dot(&s, &y) > 1e-12 * dot(&y, &y).sqrt() * dot(&s, &s).sqrt() {
                if s_hist.len() == MEMORY {
                    s_hist.remove(0);
                    y_hist.remove(0);
                }
                s_hist.push(s);
                y_hist.push(y);
            }
            std::mem::swap(&mut params, &mut trial);
            std::mem::swap(&mut grad, &mut trial_grad);
            (loss, ce, acc) = stats;
        }
        if norm_inf(&grad) < self.tolerance {
            return Ok(self.result(params, ce, acc, self.max_iterations, d));
        }
        Err(LearnError::NoConvergence {
            what: "softmax readout",
            iterations: self.max_iterations,
            gradient: norm_inf(&grad),
        })
    }

    /// The penalised loss L(W, b) and its gradient (∂W row-major, then ∂b) at the given
    /// parameters: what [`SoftmaxReadout::fit`] minimises, exposed for checks.
    ///
    /// # Errors
    /// Mis-sized inputs or labels out of range.
    pub fn objective(
        &self,
        weights: &[f64],
        intercepts: &[f64],
        x: &[f64],
        labels: &[usize],
        d: usize,
    ) -> Result<(f64, Vec<f64>), LearnError> {
        let k = self.classes;
        if weights.len() != k * d
            || intercepts.len() != k
            || x.len() != labels.len() * d
            || labels.is_empty()
        {
            return Err(LearnError::DimensionMismatch {
                what: "objective inputs",
                expected: k * d,
                found: weights.len(),
            });
        }
        if let Some((index, &label)) = labels.iter().enumerate().find(|(_, l)| **l >= k) {
            return Err(LearnError::BadLabel { index, label, classes: k });
        }
        let params: Vec<f64> = weights.iter().chain(intercepts).copied().collect();
        let mut grad = vec![0.0; params.len()];
        let mut z = vec![0.0; k];
        let (loss, _, _) = self.evaluate(&params, x, labels, d, &mut grad, &mut z);
        Ok((loss, grad))
    }

    fn result(
        &self,
        params: Vec<f64>,
        ce: f64,
        acc: f64,
        iterations: usize,
        d: usize,
    ) -> SoftmaxFit {
        let k = self.classes;
        SoftmaxFit {
            weights: params[..k * d].to_vec(),
            intercepts: params[k * d..].to_vec(),
            cross_entropy: ce,
            accuracy: acc,
            iterations,
            features: d,
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}
