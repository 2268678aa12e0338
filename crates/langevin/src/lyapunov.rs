//! The continuous Lyapunov equation A X + X Aᵀ + Q = 0.
//!
//! faer has no Lyapunov solver, so this module brings one: the matrix-sign-function
//! iteration with determinant scaling (Roberts 1980; Benner & Quintana-Ortí 1999). For a
//! stable A (all eigenvalues with negative real part) the Newton iteration
//!
//! ```text
//! A₀ = A,  Q₀ = Q,
//! A_{k+1} = ½ (A_k / c_k + c_k A_k⁻¹),
//! Q_{k+1} = ½ (Q_k / c_k + c_k A_k⁻¹ Q_k A_k⁻ᵀ),   c_k = |det A_k|^{1/n},
//! ```
//!
//! drives A_k to sign(A) = −I quadratically, and Q_k to 2X. It needs only LU inverses,
//! is backward stable in practice for problems that are not themselves ill-conditioned,
//! and costs O(n³) per iteration with typically 6–12 iterations. The result is checked
//! by its residual ‖A X + X Aᵀ + Q‖ / (2‖A‖‖X‖ + ‖Q‖), returned with the solution.
//!
//! [`solve_lyapunov_kronecker`] solves the same equation as an n² × n² linear system
//! (O(n⁶)): the independent reference the tests compare against.

use faer::Mat;
use faer::MatRef;
use faer::linalg::solvers::Solve;

use crate::LangevinError;
use crate::matrix::{check_matrix, check_symmetric, inverse, norm_1, symmetrize};

type Result<T> = std::result::Result<T, LangevinError>;

/// Maximum number of sign-function iterations.
const MAX_ITERATIONS: usize = 100;

/// The eigenvalues of a square matrix, and an `Unstable` error naming the first one with
/// Re λ ≥ 0 (the eigenvalue with the largest real part).
///
/// ```
/// use faer::mat;
/// use langevin::{LangevinError, check_stable};
/// let a = mat![[-1.0, 2.0], [0.0, 0.5]];
/// assert!(matches!(check_stable(a.as_ref()), Err(LangevinError::Unstable { re, .. }) if re == 0.5));
/// ```
pub fn check_stable(a: MatRef<'_, f64>) -> Result<Vec<faer::c64>> {
    let n = a.nrows();
    check_matrix("drift matrix", a, n, n)?;
    let eig = a.eigenvalues().map_err(|_| LangevinError::Eigen { what: "drift matrix" })?;
    let worst = eig.iter().copied().max_by(|x, y| x.re.total_cmp(&y.re));
    if let Some(l) = worst.filter(|l| l.re >= 0.0) {
        return Err(LangevinError::Unstable { re: l.re, im: l.im });
    }
    Ok(eig)
}

/// A solution of the Lyapunov equation and its relative residual.
#[derive(Debug, Clone)]
pub struct LyapunovSolution {
    /// X, symmetric.
    pub x: Mat<f64>,
    /// ‖A X + X Aᵀ + Q‖₁ / (2‖A‖₁‖X‖₁ + ‖Q‖₁).
    pub relative_residual: f64,
    /// Number of sign-function iterations.
    pub iterations: usize,
}

/// Solves A X + X Aᵀ + Q = 0 for a stable A and symmetric Q by the scaled matrix-sign-
/// function iteration (see the module docs). For a linear SDE dz = A z dt + B dW the
/// stationary covariance is the solution with Q = B Bᵀ = 2D.
///
/// Errors: `DimensionMismatch`, `NonFinite`, `NotSymmetric` (Q), `Unstable` (naming the
/// eigenvalue of A with the largest real part), `NoConvergence`.
pub fn solve_lyapunov(a: MatRef<'_, f64>, q: MatRef<'_, f64>) -> Result<LyapunovSolution> {
    let n = a.nrows();
    check_matrix("drift matrix", a, n, n)?;
    check_matrix("noise covariance Q", q, n, n)?;
    check_symmetric("noise covariance Q", q)?;
    check_stable(a)?;
    if n == 0 {
        return Ok(LyapunovSolution { x: Mat::zeros(0, 0), relative_residual: 0.0, iterations: 0 });
    }
    let mut ak = a.to_owned();
    let mut qk = q.to_owned();
    let identity = Mat::<f64>::identity(n, n);
    let mut converged_at = None;
    let mut last_change = f64::INFINITY;
    for k in 0..MAX_ITERATIONS {
        let inv = inverse("drift matrix iterate", ak.as_ref())?;
        // Determinant scaling until close to convergence, then plain Newton steps.
        let c = if last_change > 1e-2 {
            let det = ak.determinant().abs();
            let c = det.powf(1.0 / n as f64);
            if c.is_finite() && c > 0.0 { c } else { 1.0 }
        } else {
            1.0
        };
        let next_a = (&ak * faer::Scale(1.0 / c) + &inv * faer::Scale(c)) * faer::Scale(0.5);
        let mut next_q = (&qk * faer::Scale(1.0 / c)
            + &inv * &qk * inv.transpose() * faer::Scale(c))
            * faer::Scale(0.5);
        symmetrize(&mut next_q);
        last_change = norm_1((&next_a - &ak).as_ref()) / norm_1(next_a.as_ref());
        ak = next_a;
        qk = next_q;
        let off = norm_1((&ak + &identity).as_ref());
        if off <= 1e-13 * n as f64 || last_change <= 1e-14 {
            converged_at = Some(k + 1);
            break;
        }
    }
    let x = qk * faer::Scale(0.5);
    let relative_residual = lyapunov_residual(a, q, x.as_ref());
    match converged_at {
        Some(iterations) => Ok(LyapunovSolution { x, relative_residual, iterations }),
        None => Err(LangevinError::NoConvergence {
            what: "Lyapunov sign iteration",
            iterations: MAX_ITERATIONS,
            residual: relative_residual,
        }),
    }
}

/// ‖A X + X Aᵀ + Q‖₁ / (2‖A‖₁‖X‖₁ + ‖Q‖₁).
pub fn lyapunov_residual(a: MatRef<'_, f64>, q: MatRef<'_, f64>, x: MatRef<'_, f64>) -> f64 {
    let r = a * x + x * a.transpose() + q;
    let scale = 2.0 * norm_1(a) * norm_1(x) + norm_1(q);
    if scale > 0.0 { norm_1(r.as_ref()) / scale } else { 0.0 }
}

/// Reference solver: A X + X Aᵀ + Q = 0 as the n² × n² system (I ⊗ A + A ⊗ I) vec X =
/// −vec Q, solved by LU with full pivoting. O(n⁶) time, O(n⁴) memory: for tests and for
/// checking the fast solver on small systems. Same errors as [`solve_lyapunov`].
pub fn solve_lyapunov_kronecker(a: MatRef<'_, f64>, q: MatRef<'_, f64>) -> Result<Mat<f64>> {
    let n = a.nrows();
    check_matrix("drift matrix", a, n, n)?;
    check_matrix("noise covariance Q", q, n, n)?;
    check_stable(a)?;
    let m = n * n;
    // Column-major vec: X[i, j] ↦ i + n j. (A X)[i, j] = Σ_k A[i, k] X[k, j];
    // (X Aᵀ)[i, j] = Σ_k X[i, k] A[j, k].
    let mut big = Mat::<f64>::zeros(m, m);
    for j in 0..n {
        for i in 0..n {
            let row = i + n * j;
            for k in 0..n {
                big[(row, k + n * j)] += a[(i, k)];
                big[(row, i + n * k)] += a[(j, k)];
            }
        }
    }
    let rhs = Mat::<f64>::from_fn(m, 1, |r, _| -q[(r % n, r / n)]);
    let sol = big.full_piv_lu().solve(&rhs);
    let x = Mat::<f64>::from_fn(n, n, |i, j| sol[(i + n * j, 0)]);
    if (0..n).any(|j| (0..n).any(|i| !x[(i, j)].is_finite())) {
        return Err(LangevinError::Singular { what: "Kronecker Lyapunov operator" });
    }
    Ok(x)
}
