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
    /// standard normal density.
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
            for _ in 0..100 {
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
                if (z - z1).abs() <= 1e-15 * z.abs().max(1.0) {
                    converged = true;
                    break;
                }
            }
            if !converged || !z.is_finite() {
                return Err(InfoError::QuadratureOrder { n });
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
        let nodes = x.iter().rev().map(|&v| v * std::f64::consts::SQRT_2).collect();
        let weights = w.iter().rev().map(|&v| v / sqrt_pi).collect();
        Ok(Self { nodes, weights })
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
/// # Errors
/// [`InfoError::NotSymmetric`], [`InfoError::NonFiniteCovariance`] or
/// [`InfoError::NotPositiveDefinite`] for a bad covariance; [`InfoError::QuadratureOrder`].
pub fn gaussian_nodes_2d(
    mean: [f64; 2],
    c: [[f64; 2]; 2],
    n: usize,
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
    // Unit eigenvector of λ₁; the second is its rotation by 90°.
    let u1 = if b == 0.0 {
        if a >= d { [1.0, 0.0] } else { [0.0, 1.0] }
    } else {
        let v = [b, l1 - a];
        let norm = v[0].hypot(v[1]);
        [v[0] / norm, v[1] / norm]
    };
    let u2 = [-u1[1], u1[0]];
    let (s1, s2) = (l1.sqrt(), l2.sqrt());
    let q = GaussHermite::new(n)?;
    let mut out = Vec::with_capacity(n * n);
    for (&z1, &w1) in q.nodes().iter().zip(q.weights()) {
        for (&z2, &w2) in q.nodes().iter().zip(q.weights()) {
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
