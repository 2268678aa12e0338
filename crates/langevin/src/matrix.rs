//! Small dense-matrix helpers on top of faer: validation, the matrix exponential, the
//! Van Loan integrals and a PSD square root. None of these is on a hot path.

use faer::Mat;
use faer::MatRef;
use faer::linalg::solvers::DenseSolveCore;

use crate::LangevinError;

type Result<T> = std::result::Result<T, LangevinError>;

/// Checks that `m` is `rows × cols` with finite entries.
pub(crate) fn check_matrix(
    what: &'static str,
    m: MatRef<'_, f64>,
    rows: usize,
    cols: usize,
) -> Result<()> {
    if m.nrows() != rows {
        return Err(LangevinError::DimensionMismatch { what, expected: rows, found: m.nrows() });
    }
    if m.ncols() != cols {
        return Err(LangevinError::DimensionMismatch { what, expected: cols, found: m.ncols() });
    }
    for j in 0..cols {
        for i in 0..rows {
            let value = m[(i, j)];
            if !value.is_finite() {
                return Err(LangevinError::NonFinite { what, row: i, col: j, value });
            }
        }
    }
    Ok(())
}

/// Checks that `v` has length `n` and finite entries.
pub(crate) fn check_vector(what: &'static str, v: &[f64], n: usize) -> Result<()> {
    if v.len() != n {
        return Err(LangevinError::DimensionMismatch { what, expected: n, found: v.len() });
    }
    if let Some((i, &value)) = v.iter().enumerate().find(|(_, x)| !x.is_finite()) {
        return Err(LangevinError::NonFinite { what, row: 0, col: i, value });
    }
    Ok(())
}

/// Checks symmetry to a relative tolerance of 1e-10 of the largest entry.
pub(crate) fn check_symmetric(what: &'static str, m: MatRef<'_, f64>) -> Result<()> {
    let n = m.nrows();
    let scale = (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .fold(0.0f64, |acc, (i, j)| acc.max(m[(i, j)].abs()));
    let mut worst = (0, 0, 0.0f64);
    for j in 0..n {
        for i in 0..j {
            let diff = (m[(i, j)] - m[(j, i)]).abs();
            if diff > worst.2 {
                worst = (i, j, diff);
            }
        }
    }
    if worst.2 > 1e-10 * scale.max(f64::MIN_POSITIVE) {
        return Err(LangevinError::NotSymmetric {
            what,
            row: worst.0,
            col: worst.1,
            diff: worst.2,
        });
    }
    Ok(())
}

/// Operator 1-norm (largest absolute column sum).
pub(crate) fn norm_1(m: MatRef<'_, f64>) -> f64 {
    (0..m.ncols()).map(|j| (0..m.nrows()).map(|i| m[(i, j)].abs()).sum::<f64>()).fold(0.0, f64::max)
}

/// (M + Mᵀ)/2.
pub(crate) fn symmetrize(m: &mut Mat<f64>) {
    let n = m.nrows();
    for j in 0..n {
        for i in 0..j {
            let s = 0.5 * (m[(i, j)] + m[(j, i)]);
            m[(i, j)] = s;
            m[(j, i)] = s;
        }
    }
}

/// The inverse of a square matrix by LU with partial pivoting; `Singular` if the result
/// is not finite.
pub(crate) fn inverse(what: &'static str, m: MatRef<'_, f64>) -> Result<Mat<f64>> {
    let inv = m.partial_piv_lu().inverse();
    let finite = (0..inv.ncols()).all(|j| (0..inv.nrows()).all(|i| inv[(i, j)].is_finite()));
    if finite { Ok(inv) } else { Err(LangevinError::Singular { what }) }
}

/// The matrix exponential e^M by scaling and squaring of a Taylor series: M is scaled by
/// 2^−s so that ‖M‖₁ ≤ 1/2, the series is summed until its terms fall below machine
/// precision, and the result is squared s times. Accurate to a few ulps of ‖e^M‖ for the
/// moderately non-normal matrices of Langevin models.
pub fn expm(m: MatRef<'_, f64>) -> Mat<f64> {
    let n = m.nrows();
    let norm = norm_1(m);
    let squarings = if norm > 0.5 { (norm / 0.5).log2().ceil() as i32 } else { 0 };
    let scaled = m * faer::Scale(0.5f64.powi(squarings));
    let mut result = Mat::<f64>::identity(n, n);
    let mut term = Mat::<f64>::identity(n, n);
    for k in 1..=30 {
        term = &term * &scaled * faer::Scale(1.0 / f64::from(k));
        result += &term;
        if norm_1(term.as_ref()) <= f64::EPSILON * norm_1(result.as_ref()) {
            break;
        }
    }
    for _ in 0..squarings {
        result = &result * &result;
    }
    result
}

/// Van Loan's integrals for dz = A z dt + b dt + noise with noise covariance rate Q
/// (Q = B Bᵀ = 2D): the one-step propagator E = e^{A h}, the mean shift
/// c = ∫₀ʰ e^{A s} b ds, and the covariance added in one step
/// Σ_h = ∫₀ʰ e^{A s} Q e^{Aᵀ s} ds.
///
/// The block exponential contains e^{−A h}, which grows like e^{|λ| h} and cancels
/// catastrophically for long times. So the integrals are computed for a short step
/// h/2^k with ‖A‖₁ h/2^k ≤ 1 and doubled k times: E₂ = E², c₂ = E c + c,
/// Σ₂ = E Σ Eᵀ + Σ.
pub(crate) fn van_loan(
    a: MatRef<'_, f64>,
    b: &[f64],
    q: MatRef<'_, f64>,
    h: f64,
) -> (Mat<f64>, Vec<f64>, Mat<f64>) {
    let n = a.nrows();
    let size = norm_1(a) * h;
    let doublings = if size > 1.0 { size.log2().ceil() as i32 } else { 0 };
    let h0 = h * 0.5f64.powi(doublings);
    let (mut e, mut c, mut sigma) = van_loan_short(a, b, q, h0);
    for _ in 0..doublings {
        let c2: Vec<f64> =
            (0..n).map(|i| c[i] + (0..n).map(|j| e[(i, j)] * c[j]).sum::<f64>()).collect();
        sigma = &e * &sigma * e.transpose() + &sigma;
        symmetrize(&mut sigma);
        e = &e * &e;
        c = c2;
    }
    (e, c, sigma)
}

fn van_loan_short(
    a: MatRef<'_, f64>,
    b: &[f64],
    q: MatRef<'_, f64>,
    h: f64,
) -> (Mat<f64>, Vec<f64>, Mat<f64>) {
    let n = a.nrows();
    // c and Σ_h are linear in b and Q, so when b h or Q h are large next to A h (slow
    // drift, strong noise: ‖A‖h ≤ 1 here but Q h = 4.5e79 for A = −2e-80) they are
    // computed for b h and Q h normalised and scaled back; a block exponential of such
    // mixed scales lost a factor of 2 to its squarings. Ordinary sizes (≤ 1e3) are left
    // as they were, bit for bit.
    let unit = |size: f64| if size > 1e3 { size } else { 1.0 };
    let b_scale = unit(b.iter().map(|v| v.abs()).sum::<f64>() * h);
    let q_scale = unit(norm_1(q) * h);
    // Mean: exp([[A, b], [0, 0]] h) = [[E, c], [0, 1]].
    let aug = Mat::<f64>::from_fn(n + 1, n + 1, |i, j| {
        if i < n && j < n {
            a[(i, j)] * h
        } else if i < n && j == n {
            b[i] * h / b_scale
        } else {
            0.0
        }
    });
    let ea = expm(aug.as_ref());
    let e = Mat::<f64>::from_fn(n, n, |i, j| ea[(i, j)]);
    let c: Vec<f64> = (0..n).map(|i| ea[(i, n)] * b_scale).collect();
    // Covariance: exp([[−A, Q], [0, Aᵀ]] h) = [[·, F12], [0, F22]], Σ_h = F22ᵀ F12.
    let block = Mat::<f64>::from_fn(2 * n, 2 * n, |i, j| match (i < n, j < n) {
        (true, true) => -a[(i, j)] * h,
        (true, false) => q[(i, j - n)] * h / q_scale,
        (false, true) => 0.0,
        (false, false) => a[(j - n, i - n)] * h,
    });
    let eb = expm(block.as_ref());
    let f12 = Mat::<f64>::from_fn(n, n, |i, j| eb[(i, n + j)]);
    let f22t = Mat::<f64>::from_fn(n, n, |i, j| eb[(n + j, n + i)]);
    let mut sigma = &f22t * &f12;
    if q_scale != 1.0 {
        sigma *= faer::Scale(q_scale);
    }
    symmetrize(&mut sigma);
    (e, c, sigma)
}

/// A factor L with L Lᵀ = S for a symmetric positive semidefinite S: the Cholesky factor
/// when S is positive definite, otherwise the symmetric square root from the eigen-
/// decomposition (negative round-off eigenvalues above −1e-12·‖S‖ are set to zero).
pub(crate) fn psd_factor(what: &'static str, s: MatRef<'_, f64>) -> Result<Mat<f64>> {
    if let Ok(llt) = s.llt(faer::Side::Lower) {
        return Ok(llt.L().to_owned());
    }
    let n = s.nrows();
    let evd = s.self_adjoint_eigen(faer::Side::Lower).map_err(|_| LangevinError::Eigen { what })?;
    let u = evd.U();
    let lambda = evd.S();
    let scale = (0..n).map(|i| lambda[i].abs()).fold(0.0, f64::max);
    let mut root = Mat::<f64>::zeros(n, n);
    for k in 0..n {
        let l = lambda[k];
        if l < -1e-12 * scale {
            return Err(LangevinError::NotPositiveDefinite { what, index: k, pivot: l });
        }
        let r = l.max(0.0).sqrt();
        for j in 0..n {
            for i in 0..n {
                root[(i, j)] += u[(i, k)] * r * u[(j, k)];
            }
        }
    }
    Ok(root)
}

/// Eight f64 on one 64-byte cache line.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, align(64))]
struct Lane([f64; 8]);

/// Lanes (of 8 rows) handled together by [`PaddedColumns::gemv`]: two sets of partial
/// sums must fit in the 16 SIMD registers next to the column loads. The block size does
/// not change any result: each row's terms are summed in the same order for every block
/// size.
#[cfg(target_feature = "avx")]
const LANES: usize = 2;
#[cfg(not(target_feature = "avx"))]
const LANES: usize = 1;

/// A dense matrix stored column-major, each column padded with zero rows to a whole
/// number of cache-line-aligned blocks, for the allocation-free matrix–vector products
/// of the integrators' hot loops. Alignment keeps SIMD loads from splitting cache lines,
/// so timings do not depend on where the allocator put the matrix.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PaddedColumns {
    rows: usize,
    cols: usize,
    /// Lanes per column (a multiple of LANES).
    lanes: usize,
    data: Vec<Lane>,
}

impl PaddedColumns {
    pub(crate) fn new(m: MatRef<'_, f64>) -> Self {
        let (rows, cols) = (m.nrows(), m.ncols());
        let lanes = rows.div_ceil(8 * LANES) * LANES;
        let mut data = vec![Lane([0.0; 8]); lanes * cols];
        for j in 0..cols {
            for i in 0..rows {
                data[j * lanes + i / 8].0[i % 8] = m[(i, j)];
            }
        }
        Self { rows, cols, lanes, data }
    }

    /// out ← out + A x, or out − A x when `SUBTRACT`. Rows go in blocks of 8·LANES whose
    /// two sets of partial sums (even and odd columns) stay in registers while the columns
    /// stream past: two independent dependency chains per row, full SIMD width, no
    /// remainder loop. The summation order is fixed by this code, so results are the
    /// same on every run, thread count and SIMD width.
    #[inline]
    pub(crate) fn gemv<const SUBTRACT: bool>(&self, x: &[f64], out: &mut [f64]) {
        let x = &x[..self.cols];
        let pairs = self.cols / 2;
        for b in (0..self.lanes).step_by(LANES) {
            let mut even = [[0.0; 8]; LANES];
            let mut odd = [[0.0; 8]; LANES];
            for p in 0..pairs {
                let (j0, j1) = (2 * p, 2 * p + 1);
                let (x0, x1) = (x[j0], x[j1]);
                for l in 0..LANES {
                    let c0 = &self.data[j0 * self.lanes + b + l].0;
                    let c1 = &self.data[j1 * self.lanes + b + l].0;
                    for k in 0..8 {
                        even[l][k] += c0[k] * x0;
                        odd[l][k] += c1[k] * x1;
                    }
                }
            }
            if self.cols % 2 == 1 {
                let j = self.cols - 1;
                for l in 0..LANES {
                    let c = &self.data[j * self.lanes + b + l].0;
                    for k in 0..8 {
                        even[l][k] += c[k] * x[j];
                    }
                }
            }
            for l in 0..LANES {
                let r0 = (b + l) * 8;
                if r0 >= self.rows {
                    break;
                }
                let valid = (self.rows - r0).min(8);
                for (k, o) in out[r0..r0 + valid].iter_mut().enumerate() {
                    let sum = even[l][k] + odd[l][k];
                    if SUBTRACT {
                        *o -= sum;
                    } else {
                        *o += sum;
                    }
                }
            }
        }
    }
}
