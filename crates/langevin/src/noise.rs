//! How white noise enters an SDE dx = F dt + B dW.

use faer::Mat;

use crate::LangevinError;
use crate::matrix::check_matrix;

/// The noise matrix B of dx = F(x, t) dt + B dW, with W a vector of independent standard
/// Wiener processes (⟨dW dWᵀ⟩ = I dt). The diffusion matrix is D = B Bᵀ / 2; for thermal
/// noise in an overdamped system with mobility μ at temperature T, B = √(2 μ T) I.
#[derive(Debug, Clone, PartialEq)]
pub enum Noise {
    /// B = σ I: the same amplitude σ on every coordinate.
    Additive(f64),
    /// B = diag(σ₁, …, σₙ); zeros mark noiseless coordinates (e.g. positions of an
    /// underdamped system).
    Diagonal(Vec<f64>),
    /// A general n × w matrix B.
    General(Mat<f64>),
}

impl Noise {
    /// Checks the amplitudes against the state dimension `n`: finite, non-negative for
    /// `Additive` and `Diagonal`, and of matching size.
    pub fn validate(&self, n: usize) -> Result<(), LangevinError> {
        match self {
            Noise::Additive(s) => check_amplitude(0, *s),
            Noise::Diagonal(s) => {
                if s.len() != n {
                    return Err(LangevinError::DimensionMismatch {
                        what: "diagonal noise",
                        expected: n,
                        found: s.len(),
                    });
                }
                s.iter().enumerate().try_for_each(|(i, &x)| check_amplitude(i, x))
            }
            Noise::General(b) => check_matrix("noise matrix B", b.as_ref(), n, b.ncols()),
        }
    }

    /// Number of independent Wiener processes w (n for the diagonal forms).
    pub fn width(&self, n: usize) -> usize {
        match self {
            Noise::General(b) => b.ncols(),
            _ => n,
        }
    }

    /// The n × w matrix B.
    pub fn matrix(&self, n: usize) -> Mat<f64> {
        match self {
            Noise::Additive(s) => Mat::from_fn(n, n, |i, j| if i == j { *s } else { 0.0 }),
            Noise::Diagonal(s) => Mat::from_fn(n, n, |i, j| if i == j { s[i] } else { 0.0 }),
            Noise::General(b) => b.clone(),
        }
    }

    /// The diffusion matrix D = B Bᵀ / 2 (units: state² per unit time).
    pub fn diffusion(&self, n: usize) -> Mat<f64> {
        let b = self.matrix(n);
        &b * b.transpose() * faer::Scale(0.5)
    }
}

fn check_amplitude(index: usize, s: f64) -> Result<(), LangevinError> {
    if !s.is_finite() {
        return Err(LangevinError::NonFinite {
            what: "noise amplitude",
            row: 0,
            col: index,
            value: s,
        });
    }
    if s < 0.0 {
        return Err(LangevinError::InvalidParameter {
            name: "noise amplitude",
            value: s,
            reason: "must be non-negative",
        });
    }
    Ok(())
}
