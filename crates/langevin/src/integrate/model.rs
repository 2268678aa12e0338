//! The two kinds of model the integrators advance: a first-order SDE ([`Sde`]) and an
//! underdamped system with mass, friction and one bath temperature ([`Underdamped`]),
//! and the linear-force model that has both an integrator and exact moments.

use faer::Mat;

use super::Result;
use crate::LangevinError;
use crate::linear::LinearLangevin;
use crate::matrix::{PaddedColumns, check_vector};
use crate::noise::Noise;

/// A first-order SDE dx = F(x, t) dt + B dW (Itô).
pub trait Sde {
    /// Number of coordinates n.
    fn dim(&self) -> usize;
    /// Writes F(x, t) into `out` (length n).
    fn drift(&self, t: f64, x: &[f64], out: &mut [f64]);
    /// The noise matrix B.
    fn noise(&self) -> &Noise;
}

impl Sde for LinearLangevin {
    fn dim(&self) -> usize {
        LinearLangevin::dim(self)
    }
    #[inline]
    fn drift(&self, _t: f64, x: &[f64], out: &mut [f64]) {
        self.drift_into(x, out);
    }
    fn noise(&self) -> &Noise {
        LinearLangevin::noise(self)
    }
}

/// An underdamped system m_i ẍ_i = F_i(x, t) − m_i γ_i ẋ_i + √(2 m_i γ_i T) ξ_i: diagonal
/// mass matrix, friction γ_i (inverse time) and one bath temperature T (energy units), the
/// noise amplitude tied to them by the fluctuation–dissipation relation.
pub trait Underdamped {
    /// Number of positions n (the phase space has 2n coordinates).
    fn dim(&self) -> usize;
    /// Writes the force F(x, t) into `out`.
    fn force(&self, t: f64, x: &[f64], out: &mut [f64]);
    /// Masses m_i > 0.
    fn mass(&self) -> &[f64];
    /// Friction rates γ_i ≥ 0.
    fn friction(&self) -> &[f64];
    /// Bath temperature T ≥ 0.
    fn temperature(&self) -> f64;
}

/// Linear forces F(x) = −K x + f with a dense stiffness K (K need not be symmetric: a
/// non-symmetric K is a non-conservative, driven system).
#[derive(Debug, Clone)]
pub struct LinearForces {
    /// K in the padded column layout.
    stiffness: PaddedColumns,
    stiffness_matrix: Mat<f64>,
    force: Vec<f64>,
    mass: Vec<f64>,
    friction: Vec<f64>,
    temperature: f64,
}

impl LinearForces {
    /// Validated linear forces; errors name the non-finite or invalid entry.
    pub fn new(
        stiffness: &Mat<f64>,
        force: Vec<f64>,
        mass: Vec<f64>,
        friction: Vec<f64>,
        temperature: f64,
    ) -> Result<Self> {
        // Validation is shared with the exact analytics.
        LinearLangevin::underdamped(stiffness.as_ref(), &force, &mass, &friction, temperature)?;
        Ok(Self {
            stiffness: PaddedColumns::new(stiffness.as_ref()),
            stiffness_matrix: stiffness.clone(),
            force,
            mass,
            friction,
            temperature,
        })
    }

    /// The same system as a [`LinearLangevin`] in z = (x, v), for exact moments and
    /// entropy production.
    pub fn to_linear(&self) -> Result<LinearLangevin> {
        LinearLangevin::underdamped(
            self.stiffness_matrix.as_ref(),
            &self.force,
            &self.mass,
            &self.friction,
            self.temperature,
        )
    }
}

impl Underdamped for LinearForces {
    fn dim(&self) -> usize {
        self.force.len()
    }
    #[inline]
    fn force(&self, _t: f64, x: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&self.force);
        self.stiffness.gemv::<true>(x, out);
    }
    fn mass(&self) -> &[f64] {
        &self.mass
    }
    fn friction(&self) -> &[f64] {
        &self.friction
    }
    fn temperature(&self) -> f64 {
        self.temperature
    }
}

pub(crate) fn check_underdamped<M: Underdamped + ?Sized>(model: &M) -> Result<()> {
    let n = model.dim();
    check_vector("masses", model.mass(), n)?;
    check_vector("friction", model.friction(), n)?;
    if let Some(&m) = model.mass().iter().find(|&&m| !(m > 0.0)) {
        return Err(LangevinError::InvalidParameter {
            name: "mass",
            value: m,
            reason: "must be > 0",
        });
    }
    if let Some(&g) = model.friction().iter().find(|&&g| g < 0.0) {
        return Err(LangevinError::InvalidParameter {
            name: "friction",
            value: g,
            reason: "must be >= 0",
        });
    }
    let t = model.temperature();
    if !(t >= 0.0 && t.is_finite()) {
        return Err(LangevinError::InvalidParameter {
            name: "temperature",
            value: t,
            reason: "must be finite and >= 0",
        });
    }
    Ok(())
}
