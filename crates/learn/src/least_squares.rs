//! Least squares with an intercept and an optional ridge penalty:
//! min_{w, b} Σ_μ (x_μ·w + b − y_μ)² + λ |w|², solved as the augmented least-squares
//! problem [[X, 1], [√λ I, 0]] (w, b) = (y, 0) by faer's Householder QR (no normal
//! equations, so conditioning is not squared).

use faer::Mat;
use faer::linalg::solvers::SolveLstsq;

use crate::LearnError;
use crate::error::check_finite;

/// A fitted linear readout.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearFit {
    /// Weights w.
    pub weights: Vec<f64>,
    /// Intercept b.
    pub intercept: f64,
    /// Mean squared error on the fitted data, (1/M) Σ (x·w + b − y)².
    pub mse: f64,
}

impl LinearFit {
    /// x·w + b.
    pub fn predict(&self, x: &[f64]) -> f64 {
        self.intercept + x.iter().zip(&self.weights).map(|(a, b)| a * b).sum::<f64>()
    }
}

/// Fits `y ≈ X w + b` for `m × n` row-major `x` with ridge penalty λ ≥ 0.
///
/// # Errors
/// Empty or mis-sized inputs, non-finite values, λ < 0, or a singular system (λ = 0 with
/// collinear features).
pub fn ridge_least_squares(
    x: &[f64],
    y: &[f64],
    n: usize,
    lambda: f64,
) -> Result<LinearFit, LearnError> {
    let m = y.len();
    if m == 0 || n == 0 {
        return Err(LearnError::Empty { what: "least-squares data", rows: m, cols: n });
    }
    if x.len() != m * n {
        return Err(LearnError::DimensionMismatch {
            what: "features",
            expected: m * n,
            found: x.len(),
        });
    }
    check_finite("features", x)?;
    check_finite("targets", y)?;
    if !(lambda >= 0.0 && lambda.is_finite()) {
        return Err(LearnError::InvalidParameter {
            name: "lambda",
            value: lambda,
            requirement: "must be finite and >= 0",
        });
    }
    // Unscaled first; when R looks singular, once more with every column scaled to unit
    // norm, which is what the singularity test should judge: features ×1e150 next to the
    // intercept's column of ones are not collinear, but their R diagonal dwarfs its 1.
    // (The unscaled solve stays first so that well-scaled fits keep their exact bytes.)
    let (weights, intercept) = match solve(x, y, m, n, lambda, None) {
        Err(LearnError::Singular) => {
            let norms: Vec<f64> = (0..=n)
                .map(|j| {
                    let col = (0..m).map(|i| if j < n { x[i * n + j] } else { 1.0 });
                    let max = col.clone().fold(0.0f64, |a, v| a.max(v.abs()));
                    if max == 0.0 {
                        1.0
                    } else {
                        max * col.map(|v| (v / max).powi(2)).sum::<f64>().sqrt()
                    }
                })
                .collect();
            solve(x, y, m, n, lambda, Some(&norms))?
        }
        other => other?,
    };
    let fit = LinearFit { weights, intercept, mse: 0.0 };
    let mse = (0..m).map(|i| (fit.predict(&x[i * n..(i + 1) * n]) - y[i]).powi(2)).sum::<f64>()
        / m as f64;
    Ok(LinearFit { mse, ..fit })
}

/// The augmented QR solve, with the columns of [X, 1] divided by `scale` when given (the
/// ridge rows become √λ/scale_j so that the penalty stays λ|w|²); returns (w, b) in the
/// original units.
fn solve(
    x: &[f64],
    y: &[f64],
    m: usize,
    n: usize,
    lambda: f64,
    scale: Option<&[f64]>,
) -> Result<(Vec<f64>, f64), LearnError> {
    let extra = if lambda > 0.0 { n } else { 0 };
    let rows = m + extra;
    if rows < n + 1 {
        return Err(LearnError::Singular);
    }
    let d = |j: usize| scale.map_or(1.0, |s| s[j]);
    let s = lambda.sqrt();
    let a = Mat::<f64>::from_fn(rows, n + 1, |i, j| {
        if i < m {
            if j < n { x[i * n + j] / d(j) } else { 1.0 / d(n) }
        } else if j == i - m {
            s / d(j)
        } else {
            0.0
        }
    });
    let mut rhs = Mat::<f64>::from_fn(rows, 1, |i, _| if i < m { y[i] } else { 0.0 });
    let qr = a.qr();
    // A zero on R's diagonal means collinear columns.
    let r = qr.R();
    let largest = (0..=n).map(|k| r[(k, k)].abs()).fold(0.0, f64::max);
    if (0..=n).any(|k| r[(k, k)].abs() <= 1e-13 * largest) {
        return Err(LearnError::Singular);
    }
    qr.solve_lstsq_in_place(rhs.as_mut());
    let weights: Vec<f64> = (0..n).map(|j| rhs[(j, 0)] / d(j)).collect();
    let intercept = rhs[(n, 0)] / d(n);
    if !intercept.is_finite() || weights.iter().any(|w| !w.is_finite()) {
        return Err(LearnError::Singular);
    }
    Ok((weights, intercept))
}
