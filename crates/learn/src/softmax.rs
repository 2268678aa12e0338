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
//! The minimiser is L-BFGS (memory 10) with Armijo backtracking on ridge-whitened
//! features (the same objective in better-conditioned coordinates), stopped when the
//! largest gradient component falls below `tolerance` (default 1e-6; a weight's component
//! ∂L/∂W_kj, which scales like x_j, is divided by max(1, rms x_j), so features of any
//! scale can meet it), and
//! warm-started
//! from a previous fit when given (the SPSA loop refits at every evaluation).
//!
//! **Collinear and duplicated features.** With C = V Λ Vᵀ the feature covariance, the
//! fit runs on x̃_j = (x − μ)·v_j / √(Λ_j + λ). In these coordinates the penalty's
//! curvature is λ/(Λ_j + λ) and the data's at most Λ_j/(Λ_j + λ), so every direction has
//! curvature of order one whatever the rank of C: near-duplicate features (Λ_j ≪ λ) are
//! as easy as independent ones. (Plain whitening, x̃_j ∝ 1/√Λ_j, puts a curvature λ/Λ_j
//! on them: 40 pairs of features equal to 1e-4 gave curvatures up to ~10⁴ and no
//! convergence in 2000 iterations.) Directions with Λ_j ≤ 1e-12 Λ_max are dropped: the
//! data cannot see them, so with λ > 0 their optimal weight is zero, and with λ = 0 the
//! fit returns the minimum-norm optimum among the equivalent ones.
//! Log-sum-exp is evaluated with the maximum subtracted, so no input overflows or gives NaN.

use crate::LearnError;
use crate::error::check_finite;
use faer::{Mat, Scale, Side};

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

    /// Loss (with the per-feature penalty λ_j), gradient (into `grad`), mean cross-entropy
    /// and accuracy.
    #[allow(clippy::too_many_arguments)] // data, scratch and penalty: all needed per call
    fn evaluate(
        &self,
        params: &[f64],
        x: &[f64],
        labels: &[usize],
        d: usize,
        grad: &mut [f64],
        scratch: &mut Scratch,
        penalty: &[f64],
    ) -> (f64, f64, f64) {
        let k = self.classes;
        let m = labels.len();
        let (w, b) = params.split_at(k * d);
        grad.fill(0.0);
        let (gw, gb) = grad.split_at_mut(k * d);
        scratch.transpose(w, k, d);
        let Scratch { z, wt } = scratch;
        let mut ce = 0.0;
        let mut correct = 0usize;
        for (mu, &y) in labels.iter().enumerate() {
            let xm = &x[mu * d..(mu + 1) * d];
            // z_c = b_c + Σ_j W_cj x_j, each class's sum in the order j = 0, 1, … from
            // −0.0 (as `Iterator::sum`), sixteen classes' sums side by side.
            for (g, zg) in z.chunks_exact_mut(CLASS_GROUP).enumerate() {
                let mut acc = [-0.0f64; CLASS_GROUP];
                for (row, &xv) in wt[g * d..(g + 1) * d].iter().zip(xm) {
                    for i in 0..CLASS_GROUP {
                        acc[i] += row[i] * xv;
                    }
                }
                zg.copy_from_slice(&acc);
            }
            for c in 0..k {
                z[c] += b[c]; // b + Σ: IEEE addition commutes, so the same bits
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
        let mut penalty_sum = 0.0;
        for (gc, wc) in gw.chunks_exact_mut(d.max(1)).zip(w.chunks_exact(d.max(1))) {
            for ((g, &wv), &lam) in gc.iter_mut().zip(wc).zip(penalty) {
                *g = *g * inv_m + lam * wv;
                penalty_sum += lam * wv * wv;
            }
        }
        for g in gb.iter_mut() {
            *g *= inv_m;
        }
        let ce = ce * inv_m;
        (ce + 0.5 * penalty_sum, ce, correct as f64 * inv_m)
    }

    /// Fits the readout to `m × d` row-major features and labels in 0..K, warm-started
    /// from `warm` when it has the right shape.
    ///
    /// # Errors
    /// Empty data, mis-sized or non-finite inputs (a non-finite warm start included),
    /// labels out of range, bad settings, or no convergence within `max_iterations` (a
    /// NaN gradient never counts as converged).
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
        // L-BFGS runs on ridge-whitened features x̃ = (x − μ) V D^{-1/2}, D = Λ + λ (see
        // the module docs), with the penalty carried over exactly: W = W̃ D^{-1/2} Vᵀ, so
        // λ‖W‖² = Σ_kj λ W̃_kj²/D_j. Same minimum, curvature of order one in every
        // direction. Directions of (numerically) zero variance are dropped; W has no
        // component along them, which is the optimum since only the penalty acts there.
        let (white, xs) = Whitening::new(x, d, self.lambda)?;
        let dw = white.rank();
        let penalty: Vec<f64> = white.scale.iter().map(|&s| self.lambda / (s * s)).collect();
        let x = xs.as_slice();
        let p = k * dw + k;
        let mut params = vec![0.0; p];
        if let Some(w) =
            warm.filter(|w| w.features == d && w.weights.len() == k * d && w.intercepts.len() == k)
        {
            check_finite("warm-start weights", &w.weights)?;
            check_finite("warm-start intercepts", &w.intercepts)?;
            white.to_whitened(&w.weights, &w.intercepts, k, &mut params);
        }
        let mut scratch = Scratch::new(k, dw);
        let mut grad = vec![0.0; p];
        let (mut loss, mut ce, mut acc) =
            self.evaluate(&params, x, labels, dw, &mut grad, &mut scratch, &penalty);
        const MEMORY: usize = 10;
        let mut s_hist: Vec<Vec<f64>> = Vec::new();
        let mut y_hist: Vec<Vec<f64>> = Vec::new();
        let mut dir = vec![0.0; p];
        let mut trial = vec![0.0; p];
        let mut trial_grad = vec![0.0; p];
        let mut alpha_buf = [0.0; MEMORY];
        let norm_inf = |g: &[f64]| g.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        // The stopping rule is on the gradient in the original coordinates.
        let original_norm = |g: &[f64]| white.original_gradient_norm(g, k);
        for iteration in 0..self.max_iterations {
            if original_norm(&grad) < self.tolerance {
                return Ok(self.result(&params, ce, acc, iteration, &white));
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
                stats =
                    self.evaluate(&trial, x, labels, dw, &mut trial_grad, &mut scratch, &penalty);
                if stats.0 <= loss + 1e-4 * step * slope {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if !accepted {
                // No decrease possible at this precision: the gradient is at round-off.
                return if original_norm(&grad) < 1e3 * self.tolerance {
                    Ok(self.result(&params, ce, acc, iteration, &white))
                } else {
                    Err(LearnError::NoConvergence {
                        what: "softmax readout (line search)",
                        iterations: iteration,
                        gradient: original_norm(&grad),
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
        if original_norm(&grad) < self.tolerance {
            return Ok(self.result(&params, ce, acc, self.max_iterations, &white));
        }
        Err(LearnError::NoConvergence {
            what: "softmax readout",
            iterations: self.max_iterations,
            gradient: original_norm(&grad),
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
        let mut scratch = Scratch::new(k, d);
        let penalty = vec![self.lambda; d];
        let (loss, _, _) = self.evaluate(&params, x, labels, d, &mut grad, &mut scratch, &penalty);
        Ok((loss, grad))
    }

    /// The fit in the original features from whitened parameters.
    fn result(
        &self,
        params: &[f64],
        ce: f64,
        acc: f64,
        iterations: usize,
        white: &Whitening,
    ) -> SoftmaxFit {
        let k = self.classes;
        let (weights, intercepts) = white.to_original(params, k);
        SoftmaxFit {
            weights,
            intercepts,
            cross_entropy: ce,
            accuracy: acc,
            iterations,
            features: white.d,
        }
    }
}

/// Classes whose scores one sample accumulates together: sixteen f64, four 256-bit
/// registers, so the sums are independent vector chains rather than one long chain per
/// class (the same additions in the same order, so the same bits).
const CLASS_GROUP: usize = 16;

/// Working memory of [`SoftmaxReadout::evaluate`], allocated once per fit.
struct Scratch {
    /// One sample's scores, padded to whole groups of [`CLASS_GROUP`].
    z: Vec<f64>,
    /// The weights as `[group][feature][class in group]` rows of [`CLASS_GROUP`] (zero
    /// for the padding classes).
    wt: Vec<[f64; CLASS_GROUP]>,
}

impl Scratch {
    fn new(k: usize, d: usize) -> Self {
        let groups = k.div_ceil(CLASS_GROUP);
        Self { z: vec![0.0; groups * CLASS_GROUP], wt: vec![[0.0; CLASS_GROUP]; groups * d] }
    }

    /// Fills `wt` from W (K × d row-major).
    fn transpose(&mut self, w: &[f64], k: usize, d: usize) {
        for (g, rows) in self.wt.chunks_exact_mut(d.max(1)).enumerate() {
            for (j, row) in rows.iter_mut().enumerate() {
                for (i, v) in row.iter_mut().enumerate() {
                    let c = g * CLASS_GROUP + i;
                    *v = if c < k { w[c * d + j] } else { 0.0 };
                }
            }
        }
    }
}

/// x ↦ x̃ = (x − μ) T with T = V_r D_r^{-1/2}, D = Λ + λ, over the eigenvectors of the
/// feature covariance whose eigenvalues Λ exceed 1e-12 of the largest.
struct Whitening {
    d: usize,
    mean: Vec<f64>,
    /// max(1, rms of feature j): ∂L/∂W_kj is divided by it in the stopping rule.
    unit: Vec<f64>,
    /// √(Λ_r + λ) of the kept directions.
    scale: Vec<f64>,
    /// Kept eigenvectors V_r, d × r row-major.
    v: Vec<f64>,
}

impl Whitening {
    /// The ridge whitening of the `m × d` features x at penalty λ, and x̃ (m × r
    /// row-major).
    fn new(x: &[f64], d: usize, lambda: f64) -> Result<(Self, Vec<f64>), LearnError> {
        let m = x.len() / d;
        let mut mean = vec![0.0; d];
        for row in x.chunks_exact(d) {
            for (a, v) in mean.iter_mut().zip(row) {
                *a += v;
            }
        }
        for a in &mut mean {
            *a /= m as f64;
        }
        let unit: Vec<f64> = (0..d)
            .map(|j| {
                let big = x.iter().skip(j).step_by(d).fold(0.0f64, |a, v| a.max(v.abs()));
                if big <= 1.0 {
                    return 1.0;
                }
                let ms =
                    x.iter().skip(j).step_by(d).map(|v| (v / big).powi(2)).sum::<f64>() / m as f64;
                (big * ms.sqrt()).max(1.0)
            })
            .collect();
        let centred = Mat::from_fn(m, d, |i, j| x[i * d + j] - mean[j]);
        let cov = centred.transpose() * &centred * Scale(1.0 / m as f64);
        let evd =
            cov.self_adjoint_eigen(Side::Lower).map_err(|_| LearnError::InvalidParameter {
                name: "feature covariance",
                value: f64::NAN,
                requirement: "its eigendecomposition must converge",
            })?;
        let s = evd.S().column_vector();
        let u = evd.U();
        let largest = (0..d).map(|j| s[j]).fold(0.0f64, f64::max);
        let keep: Vec<usize> = (0..d).filter(|&j| s[j] > 1e-12 * largest && s[j] > 0.0).collect();
        let r = keep.len();
        let mut v = vec![0.0; d * r];
        for i in 0..d {
            for (c, &j) in keep.iter().enumerate() {
                v[i * r + c] = u[(i, j)];
            }
        }
        let scale: Vec<f64> = keep.iter().map(|&j| (s[j] + lambda).sqrt()).collect();
        let t = Mat::from_fn(d, r, |i, c| v[i * r + c] / scale[c]);
        let xt = centred * t;
        let mut whitened = Vec::with_capacity(m * r);
        for i in 0..m {
            whitened.extend((0..r).map(|c| xt[(i, c)]));
        }
        Ok((Self { d, mean, unit, scale, v }, whitened))
    }

    /// Number of whitened features r.
    fn rank(&self) -> usize {
        self.scale.len()
    }

    /// (W, b) ↦ (W̃, b̃): W̃ = W V_r D_r^{1/2}, b̃ = b + W μ, into `params` (W̃ then b̃).
    fn to_whitened(&self, w: &[f64], b: &[f64], k: usize, params: &mut [f64]) {
        let (d, r) = (self.d, self.rank());
        for c in 0..k {
            let wc = &w[c * d..(c + 1) * d];
            for q in 0..r {
                let proj: f64 = (0..d).map(|i| wc[i] * self.v[i * r + q]).sum();
                params[c * r + q] = proj * self.scale[q];
            }
            params[k * r + c] = b[c] + wc.iter().zip(&self.mean).map(|(a, m)| a * m).sum::<f64>();
        }
    }

    /// (W̃, b̃) ↦ (W, b): W = W̃ D_r^{-1/2} V_rᵀ, b = b̃ − W μ.
    fn to_original(&self, params: &[f64], k: usize) -> (Vec<f64>, Vec<f64>) {
        let (d, r) = (self.d, self.rank());
        let mut w = vec![0.0; k * d];
        let mut b = params[k * r..].to_vec();
        for c in 0..k {
            for i in 0..d {
                w[c * d + i] =
                    (0..r).map(|q| params[c * r + q] / self.scale[q] * self.v[i * r + q]).sum();
            }
            b[c] -= (0..d).map(|i| w[c * d + i] * self.mean[i]).sum::<f64>();
        }
        (w, b)
    }

    /// max |∂L/∂(W, b)| in the original coordinates from the whitened gradient:
    /// ∂L/∂b = ∂L/∂b̃ and ∂L/∂W = ∂L/∂W̃ D_r^{1/2} V_rᵀ + ∂L/∂b μᵀ.
    /// max |∂L/∂θ| in the original coordinates, each ∂L/∂W_kj (which scales like x_j)
    /// divided by max(1, rms x_j), so the rule is scale-free for large features (features
    /// ×1e33 never met an absolute 1e-6) and the absolute 1e-6 for features of order one
    /// or smaller; NaN if any component is NaN (`f64::max` alone would drop a NaN, and a
    /// NaN gradient would then pass for converged).
    fn original_gradient_norm(&self, g: &[f64], k: usize) -> f64 {
        let (d, r) = (self.d, self.rank());
        if g.iter().any(|v| v.is_nan()) {
            return f64::NAN;
        }
        let mut worst = g[k * r..].iter().fold(0.0f64, |a, v| a.max(v.abs()));
        for c in 0..k {
            for i in 0..d {
                let gw: f64 =
                    (0..r).map(|q| g[c * r + q] * self.scale[q] * self.v[i * r + q]).sum::<f64>()
                        + g[k * r + c] * self.mean[i];
                worst = worst.max(gw.abs() / self.unit[i]);
            }
        }
        worst
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
