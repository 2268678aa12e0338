//! Gauss–Hermite quadrature for expectations under Gaussian distributions.
//!
//! An n-point rule integrates E[f(Z)], Z ~ N(0, 1), exactly for polynomials f of degree
//! up to 2n − 1, and converges exponentially for smooth (analytic) integrands.

use crate::InfoError;

/// An n-point Gauss–Hermite rule for the standard normal: E[f(Z)] ≈ Σ_i w_i f(z_i), with
/// Σ w_i = 1 and nodes symmetric about zero (z_{n−1−i} = −z_i exactly).
///
/// ```
/// let q = infotheory::GaussHermite::new(10)?;
/// let fourth: f64 = q.nodes().iter().zip(q.weights()).map(|(z, w)| w * z.powi(4)).sum();
/// assert!((fourth - 3.0).abs() < 1e-13); // E[Z⁴] = 3
/// # Ok::<(), infotheory::InfoError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GaussHermite {
    nodes: Vec<f64>,
    weights: Vec<f64>,
}

impl GaussHermite {
    /// Builds the rule by Newton iteration on the orthonormal Hermite recurrence
    /// (Numerical Recipes' `gauher`), then rescales from the weight e^{−x²} to the
    /// standard normal density. Where that rule fails its checks (distinct ascending
    /// nodes, weights summing to one: above ~190 nodes Newton's guesses can land on one
    /// root twice) it is built by Golub–Welsch instead. Every order 1..=1000 is tested.
    ///
    /// # Errors
    /// [`InfoError::QuadratureOrder`] unless 1 ≤ n ≤ 1000.
    pub fn new(n: usize) -> Result<Self, InfoError> {
        if !(1..=1000).contains(&n) {
            return Err(InfoError::QuadratureOrder { n });
        }
        let pim4 = std::f64::consts::PI.powf(-0.25);
        let nf = n as f64;
        let mut x = vec![0.0; n];
        let mut w = vec![0.0; n];
        let mut z: f64 = 0.0;
        for i in 0..n.div_ceil(2) {
            z = match i {
                0 => (2.0 * nf + 1.0).sqrt() - 1.85575 * (2.0 * nf + 1.0).powf(-0.16667),
                1 => z - 1.14 * nf.powf(0.426) / z,
                2 => 1.86 * z - 0.86 * x[0],
                3 => 1.91 * z - 0.91 * x[1],
                _ => 2.0 * z - x[i - 2],
            };
            let mut pp = 0.0;
            let mut converged = false;
            let mut last_step = f64::INFINITY;
            for iteration in 0..100 {
                let (mut p1, mut p2) = (pim4, 0.0);
                for j in 0..n {
                    let p3 = p2;
                    p2 = p1;
                    let jf = j as f64;
                    p1 = z * (2.0 / (jf + 1.0)).sqrt() * p2 - (jf / (jf + 1.0)).sqrt() * p3;
                }
                pp = (2.0 * nf).sqrt() * p2;
                let z1 = z;
                z = z1 - p1 / pp;
                let step = (z - z1).abs();
                let scale = z.abs().max(1.0);
                // Converged at 1e-15, or at the round-off floor of the recurrence: for
                // orders above ~200 Newton's step stops shrinking at a few ulps of z
                // (these orders used to be rejected).
                if step <= 1e-15 * scale
                    || (iteration >= 3 && step <= 1e-13 * scale && step >= last_step)
                {
                    converged = true;
                    break;
                }
                last_step = step;
            }
            if !converged || !z.is_finite() {
                return Self::golub_welsch(n);
            }
            x[i] = z;
            x[n - 1 - i] = -z;
            w[i] = 2.0 / (pp * pp);
            w[n - 1 - i] = w[i];
        }
        if n % 2 == 1 {
            x[n / 2] = 0.0; // exact symmetry
        }
        // ∫ e^{−x²} f(x) dx = √π E[f(Z/√2)]  ⇒  E[g(Z)] = Σ (w_i/√π) g(√2 x_i).
        let sqrt_pi = std::f64::consts::PI.sqrt();
        let nodes: Vec<f64> = x.iter().rev().map(|&v| v * std::f64::consts::SQRT_2).collect();
        let weights: Vec<f64> = w.iter().rev().map(|&v| v / sqrt_pi).collect();
        let rule = Self { nodes, weights };
        if rule.is_valid() { Ok(rule) } else { Self::golub_welsch(n) }
    }

    /// Distinct ascending nodes and weights summing to one (to 1e-12): what Newton's
    /// initial guesses fail to deliver above ~190 nodes (they can converge to the same
    /// root twice, leaving weights that sum to 1e-163 at order 199).
    fn is_valid(&self) -> bool {
        let sum: f64 = self.weights.iter().sum();
        (sum - 1.0).abs() < 1e-12
            && self.nodes.windows(2).all(|p| p[0] < p[1])
            && self.weights.iter().all(|w| w.is_finite() && *w >= 0.0)
    }

    /// The Golub–Welsch rule: the nodes are the eigenvalues of the Jacobi matrix of the
    /// probabilists' Hermite polynomials (off-diagonal √k, k = 1…n−1) and each weight the
    /// squared first component of its unit eigenvector. Robust for every order (absolute
    /// accuracy ~ε√n in the nodes); used where Newton's rule fails its checks.
    fn golub_welsch(n: usize) -> Result<Self, InfoError> {
        let jacobi = faer::Mat::<f64>::from_fn(n, n, |i, j| {
            if i.abs_diff(j) == 1 { (i.max(j) as f64).sqrt() } else { 0.0 }
        });
        let evd = jacobi
            .self_adjoint_eigen(faer::Side::Lower)
            .map_err(|_| InfoError::QuadratureOrder { n })?;
        let values = evd.S().column_vector();
        let vectors = evd.U();
        let mut pairs: Vec<(f64, f64)> =
            (0..n).map(|k| (values[k], vectors[(0, k)] * vectors[(0, k)])).collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Exact symmetry, as the Newton rule has it.
        for i in 0..n / 2 {
            let (z, w) =
                (0.5 * (pairs[n - 1 - i].0 - pairs[i].0), 0.5 * (pairs[i].1 + pairs[n - 1 - i].1));
            pairs[i] = (-z, w);
            pairs[n - 1 - i] = (z, w);
        }
        if n % 2 == 1 {
            pairs[n / 2].0 = 0.0;
        }
        let total: f64 = pairs.iter().map(|p| p.1).sum();
        let rule = Self {
            nodes: pairs.iter().map(|p| p.0).collect(),
            weights: pairs.iter().map(|p| p.1 / total).collect(),
        };
        if rule.is_valid() { Ok(rule) } else { Err(InfoError::QuadratureOrder { n }) }
    }

    /// Nodes z_i, ascending.
    pub fn nodes(&self) -> &[f64] {
        &self.nodes
    }

    /// Weights w_i (summing to 1).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// E[f(Z)] for Z ~ N(0, 1).
    pub fn expect(&self, mut f: impl FnMut(f64) -> f64) -> f64 {
        self.nodes.iter().zip(&self.weights).map(|(&z, &w)| w * f(z)).sum()
    }
}

/// A one-dimensional rule for E[f(Z)], Z ~ N(0, 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GaussianRule {
    /// Gauss–Hermite with `order` nodes: exact for polynomials of degree < 2·order, but
    /// its convergence for an integrand with a singularity at imaginary distance d from
    /// the real axis is only ~exp(−c d √order).
    GaussHermite {
        /// Number of nodes.
        order: usize,
    },
    /// The trapezoidal rule z_k = k·step, |z_k| ≤ cutoff, weights ∝ step·φ(z_k), normalised
    /// to sum to one. For integrands analytic in a strip |Im z| < d it converges like
    /// exp(−2πd/step) (Trefethen & Weideman, SIAM Rev. 56, 385 (2014)); the cutoff adds an
    /// error ~φ(cutoff) (cutoff 8.5: ~1e-16).
    Trapezoid {
        /// Spacing in units of the standard deviation.
        step: f64,
        /// Largest |z| kept, in units of the standard deviation.
        cutoff: f64,
    },
}

impl GaussianRule {
    /// Nodes and weights (weights sum to one, nodes exactly symmetric about zero).
    ///
    /// # Errors
    /// [`InfoError::QuadratureOrder`] for a Gauss–Hermite order outside 1..=1000 or a
    /// trapezoid with a non-positive or non-finite step or cutoff, or over 100 000 nodes.
    pub fn nodes_and_weights(&self) -> Result<(Vec<f64>, Vec<f64>), InfoError> {
        match *self {
            GaussianRule::GaussHermite { order } => {
                let q = GaussHermite::new(order)?;
                Ok((q.nodes, q.weights))
            }
            GaussianRule::Trapezoid { step, cutoff } => {
                let ok = step.is_finite() && step > 0.0 && cutoff.is_finite() && cutoff >= 0.0;
                let half = if ok { (cutoff / step).floor() } else { f64::INFINITY };
                if !(half <= 50_000.0) {
                    return Err(InfoError::QuadratureOrder { n: usize::MAX });
                }
                let half = half as i64;
                let nodes: Vec<f64> = (-half..=half).map(|k| k as f64 * step).collect();
                let raw: Vec<f64> = nodes.iter().map(|z| (-0.5 * z * z).exp()).collect();
                let total: f64 = raw.iter().sum();
                Ok((nodes, raw.iter().map(|w| w / total).collect()))
            }
        }
    }
}

/// One node of a two-dimensional Gaussian rule: a point x and its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Node2 {
    /// The point.
    pub x: [f64; 2],
    /// Its weight (all weights sum to 1).
    pub weight: f64,
}

/// The tensor-product rule for E[f(X)], X ~ N(mean, C) in two dimensions, laid out along
/// the principal axes of C: X = mean + Σ_k √λ_k u_k Z_k. Principal axes keep the
/// symmetries of C (e.g. x₁ ↔ x₂ for equal variances) exact on the nodes, and put as
/// many nodes along a narrow direction as along a wide one.
///
/// `rules[k]` is used along the k-th principal axis (k = 0: the larger variance).
///
/// # Errors
/// [`InfoError::NotSymmetric`], [`InfoError::NonFiniteCovariance`] or
/// [`InfoError::NotPositiveDefinite`] for a bad covariance; [`InfoError::QuadratureOrder`].
pub fn gaussian_nodes_2d(
    mean: [f64; 2],
    c: [[f64; 2]; 2],
    rules: [GaussianRule; 2],
) -> Result<Vec<Node2>, InfoError> {
    let (a, b, d) = (c[0][0], c[0][1], c[1][1]);
    for (row, col, value) in [(0, 0, a), (0, 1, b), (1, 0, c[1][0]), (1, 1, d)] {
        if !value.is_finite() {
            return Err(InfoError::NonFiniteCovariance { row, col, value });
        }
    }
    if (b - c[1][0]).abs() > 1e-12 * (a.abs() * d.abs()).sqrt() {
        return Err(InfoError::NotSymmetric { row: 0, col: 1, upper: b, lower: c[1][0] });
    }
    let half_tr = 0.5 * (a + d);
    let r = (0.25 * (a - d) * (a - d) + b * b).sqrt();
    let (l1, l2) = (half_tr + r, half_tr - r);
    if !(l2 > 0.0) {
        let index = if a > 0.0 { 1 } else { 0 };
        return Err(InfoError::NotPositiveDefinite { index, diagonal: c[index][index] });
    }
    // Unit eigenvector of λ₁; the second is its rotation by 90°. Equal variances get the
    // exact diagonal directions, so the x₁ ↔ x₂ symmetry holds exactly on the nodes.
    let u1 = if a == d && b != 0.0 {
        let h = std::f64::consts::FRAC_1_SQRT_2;
        [h, h.copysign(b)]
    } else if b == 0.0 {
        if a >= d { [1.0, 0.0] } else { [0.0, 1.0] }
    } else {
        let v = [b, l1 - a];
        let norm = v[0].hypot(v[1]);
        [v[0] / norm, v[1] / norm]
    };
    let u2 = [-u1[1], u1[0]];
    let (s1, s2) = (l1.sqrt(), l2.sqrt());
    let (z1s, w1s) = rules[0].nodes_and_weights()?;
    let (z2s, w2s) = rules[1].nodes_and_weights()?;
    let mut out = Vec::with_capacity(z1s.len() * z2s.len());
    for (&z1, &w1) in z1s.iter().zip(&w1s) {
        for (&z2, &w2) in z2s.iter().zip(&w2s) {
            out.push(Node2 {
                x: [
                    mean[0] + s1 * z1 * u1[0] + s2 * z2 * u2[0],
                    mean[1] + s1 * z1 * u1[1] + s2 * z2 * u2[1],
                ],
                weight: w1 * w2,
            });
        }
    }
    Ok(out)
}
