//! Shannon entropies and mutual information of discrete distributions, in nats.
//!
//! Convention 0 ln 0 = 0. Divide by ln 2 (or use [`to_bits`]) for bits.

use crate::InfoError;

/// Converts nats to bits: x / ln 2.
pub fn to_bits(nats: f64) -> f64 {
    nats / std::f64::consts::LN_2
}

/// Converts bits to nats: x · ln 2.
pub fn to_nats(bits: f64) -> f64 {
    bits * std::f64::consts::LN_2
}

/// Checks that `p` is a probability vector: non-empty, finite, non-negative entries that
/// sum to 1 within 1e-9.
///
/// # Errors
/// [`InfoError::Empty`], [`InfoError::InvalidProbability`] or [`InfoError::NotNormalized`].
pub fn check_distribution(p: &[f64]) -> Result<(), InfoError> {
    if p.is_empty() {
        return Err(InfoError::Empty);
    }
    for (index, &value) in p.iter().enumerate() {
        if !(value.is_finite() && value >= 0.0) {
            return Err(InfoError::InvalidProbability { index, value });
        }
    }
    let sum: f64 = p.iter().sum();
    if (sum - 1.0).abs() > 1e-9 {
        return Err(InfoError::NotNormalized { sum });
    }
    Ok(())
}

/// −x ln x with 0 ln 0 = 0.
#[inline]
pub fn neg_x_ln_x(x: f64) -> f64 {
    if x > 0.0 { -x * x.ln() } else { 0.0 }
}

/// Shannon entropy H(p) = −Σ p_i ln p_i, in nats.
///
/// # Errors
/// The errors of [`check_distribution`].
pub fn entropy(p: &[f64]) -> Result<f64, InfoError> {
    check_distribution(p)?;
    Ok(p.iter().map(|&x| neg_x_ln_x(x)).sum())
}

/// Binary entropy h(q) = −q ln q − (1 − q) ln(1 − q), in nats.
///
/// # Errors
/// [`InfoError::InvalidProbability`] if q is not in [0, 1].
pub fn binary_entropy(q: f64) -> Result<f64, InfoError> {
    if !(0.0..=1.0).contains(&q) {
        return Err(InfoError::InvalidProbability { index: 0, value: q });
    }
    Ok(neg_x_ln_x(q) + neg_x_ln_x(1.0 - q))
}

/// Kullback–Leibler divergence D(p‖q) = Σ p_i ln(p_i / q_i), in nats. It is +∞ (returned
/// explicitly) when some p_i > 0 has q_i = 0.
///
/// # Errors
/// [`InfoError::LengthMismatch`] and the errors of [`check_distribution`].
pub fn kl_divergence(p: &[f64], q: &[f64]) -> Result<f64, InfoError> {
    if p.len() != q.len() {
        return Err(InfoError::LengthMismatch { left: p.len(), right: q.len() });
    }
    check_distribution(p)?;
    check_distribution(q)?;
    let mut d = 0.0;
    for (&pi, &qi) in p.iter().zip(q) {
        if pi > 0.0 {
            if qi == 0.0 {
                return Ok(f64::INFINITY);
            }
            d += pi * (pi / qi).ln();
        }
    }
    Ok(d)
}

/// A joint distribution p(x, y) over a finite grid, stored row-major (`p[x·ny + y]`).
///
/// ```
/// use infotheory::JointDistribution;
/// // A binary symmetric channel with flip probability 0.1 and a uniform input.
/// let e = 0.1;
/// let pxy = JointDistribution::new(2, 2, vec![(1.0 - e) / 2.0, e / 2.0, e / 2.0, (1.0 - e) / 2.0])?;
/// let exact = 2f64.ln() - infotheory::binary_entropy(e)?;
/// assert!((pxy.mutual_information() - exact).abs() < 1e-15);
/// # Ok::<(), infotheory::InfoError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct JointDistribution {
    nx: usize,
    ny: usize,
    p: Vec<f64>,
}

impl JointDistribution {
    /// Validates and wraps a row-major table of `nx · ny` probabilities, rescaled to sum
    /// to one. (A table that sums to S = 1 − 1e-15, as quadrature produces, would
    /// otherwise give an independent pair the spurious information −ln S.)
    ///
    /// # Errors
    /// [`InfoError::ShapeMismatch`] and the errors of [`check_distribution`].
    pub fn new(nx: usize, ny: usize, mut p: Vec<f64>) -> Result<Self, InfoError> {
        // A shape whose size overflows usize can match no table: report it with the
        // largest size as the expected one instead of overflowing.
        let expected = nx.saturating_mul(ny);
        if p.len() != expected || nx.checked_mul(ny).is_none() {
            return Err(InfoError::ShapeMismatch { len: p.len(), shape: vec![nx, ny], expected });
        }
        check_distribution(&p)?;
        let total: f64 = p.iter().sum();
        p.iter_mut().for_each(|v| *v /= total);
        Ok(Self { nx, ny, p })
    }

    /// p(x, y).
    pub fn get(&self, x: usize, y: usize) -> f64 {
        self.p[x * self.ny + y]
    }

    /// The marginal p(x).
    pub fn marginal_x(&self) -> Vec<f64> {
        self.p.chunks_exact(self.ny).map(|row| row.iter().sum()).collect()
    }

    /// The marginal p(y).
    pub fn marginal_y(&self) -> Vec<f64> {
        let mut py = vec![0.0; self.ny];
        for row in self.p.chunks_exact(self.ny) {
            for (a, &b) in py.iter_mut().zip(row) {
                *a += b;
            }
        }
        py
    }

    /// Joint entropy H(X, Y), in nats.
    pub fn joint_entropy(&self) -> f64 {
        self.p.iter().map(|&x| neg_x_ln_x(x)).sum()
    }

    /// Conditional entropy H(X | Y) = H(X, Y) − H(Y), in nats.
    pub fn conditional_entropy_x_given_y(&self) -> f64 {
        self.joint_entropy() - self.marginal_y().iter().map(|&x| neg_x_ln_x(x)).sum::<f64>()
    }

    /// Conditional entropy H(Y | X) = H(X, Y) − H(X), in nats.
    pub fn conditional_entropy_y_given_x(&self) -> f64 {
        self.joint_entropy() - self.marginal_x().iter().map(|&x| neg_x_ln_x(x)).sum::<f64>()
    }

    /// Mutual information I(X; Y) = Σ p(x,y) ln[p(x,y) / (p(x) p(y))], in nats, summed
    /// term by term (no cancellation between entropies). Zero up to round-off for
    /// independent variables.
    pub fn mutual_information(&self) -> f64 {
        let (px, py) = (self.marginal_x(), self.marginal_y());
        let mut i = 0.0;
        for x in 0..self.nx {
            for y in 0..self.ny {
                let pxy = self.get(x, y);
                if pxy > 0.0 {
                    // p(x) p(y) underflows for marginals below ~1e-154 (an entry of 1e-213
                    // gave I = +∞): then take ln p − ln p(x) − ln p(y) term by term. The
                    // ratio form is kept otherwise, so existing results keep their bytes.
                    let d = px[x] * py[y];
                    i += pxy
                        * if d.is_normal() {
                            (pxy / d).ln()
                        } else {
                            pxy.ln() - px[x].ln() - py[y].ln()
                        };
                }
            }
        }
        i
    }
}

/// Conditional mutual information I(X; Y | Z) of a row-major table `p[(x·ny + y)·nz + z]`,
/// in nats: Σ p(x,y,z) ln[p(z) p(x,y,z) / (p(x,z) p(y,z))].
///
/// # Errors
/// [`InfoError::ShapeMismatch`] and the errors of [`check_distribution`].
pub fn conditional_mutual_information(
    nx: usize,
    ny: usize,
    nz: usize,
    p: &[f64],
) -> Result<f64, InfoError> {
    let expected = nx.checked_mul(ny).and_then(|v| v.checked_mul(nz));
    if expected != Some(p.len()) {
        return Err(InfoError::ShapeMismatch {
            len: p.len(),
            shape: vec![nx, ny, nz],
            expected: expected.unwrap_or(usize::MAX),
        });
    }
    check_distribution(p)?;
    let at = |x: usize, y: usize, z: usize| p[(x * ny + y) * nz + z];
    let mut pz = vec![0.0; nz];
    let mut pxz = vec![0.0; nx * nz];
    let mut pyz = vec![0.0; ny * nz];
    for x in 0..nx {
        for y in 0..ny {
            for z in 0..nz {
                let v = at(x, y, z);
                pz[z] += v;
                pxz[x * nz + z] += v;
                pyz[y * nz + z] += v;
            }
        }
    }
    let mut i = 0.0;
    for x in 0..nx {
        for y in 0..ny {
            for z in 0..nz {
                let v = at(x, y, z);
                if v > 0.0 {
                    // As in mutual_information: logarithms term by term when the
                    // products underflow, the ratio form otherwise.
                    let (num, den) = (pz[z] * v, pxz[x * nz + z] * pyz[y * nz + z]);
                    i += v * if num.is_normal() && den.is_normal() {
                        (num / den).ln()
                    } else {
                        pz[z].ln() + v.ln() - pxz[x * nz + z].ln() - pyz[y * nz + z].ln()
                    };
                }
            }
        }
    }
    Ok(i)
}
