//! Euler–Maruyama for an underdamped system.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::model::check_underdamped;
use super::{Result, Underdamped, check_step};

/// Euler–Maruyama for an underdamped system, the scheme of the numba baseline:
/// x ← x + v dt, v ← v + (F(x)/m − γ v) dt + √(2γT dt/m) ξ (both updates use the old state).
/// Weak order 1; unstable for γ dt or ω dt of order one.
#[derive(Debug, Clone)]
pub struct UnderdampedEuler {
    dt: f64,
    inv_mass_dt: Vec<f64>,
    damping: Vec<f64>,
    kick: Vec<f64>,
    force: Vec<f64>,
    xi: Vec<f64>,
}

impl UnderdampedEuler {
    /// Prepares step dt.
    pub fn new<M: Underdamped + ?Sized>(model: &M, dt: f64) -> Result<Self> {
        check_step(dt)?;
        check_underdamped(model)?;
        let (m, g, t) = (model.mass(), model.friction(), model.temperature());
        Ok(Self {
            dt,
            inv_mass_dt: m.iter().map(|m| dt / m).collect(),
            damping: g.iter().map(|g| 1.0 - g * dt).collect(),
            kick: m.iter().zip(g).map(|(m, g)| (2.0 * g * t * dt / m).sqrt()).collect(),
            force: vec![0.0; model.dim()],
            xi: vec![0.0; model.dim()],
        })
    }

    /// The step size.
    pub fn dt(&self) -> f64 {
        self.dt
    }

    /// One step of (x, v) at time t.
    #[inline]
    pub fn step<M: Underdamped + ?Sized, R: Rng + ?Sized>(
        &mut self,
        model: &M,
        t: f64,
        x: &mut [f64],
        v: &mut [f64],
        rng: &mut R,
    ) {
        model.force(t, x, &mut self.force);
        // Draw first, then update in a loop the compiler can vectorise.
        for z in self.xi.iter_mut() {
            *z = StandardNormal.sample(rng);
        }
        let n = x.len();
        let (x, v) = (&mut x[..n], &mut v[..n]);
        let (force, inv, damp, kick, xi) = (
            &self.force[..n],
            &self.inv_mass_dt[..n],
            &self.damping[..n],
            &self.kick[..n],
            &self.xi[..n],
        );
        for i in 0..n {
            x[i] += self.dt * v[i];
            v[i] = damp[i] * v[i] + inv[i] * force[i] + kick[i] * xi[i];
        }
    }
}

phase_point_integrator!(
    /// The phase point is [x, v]: n positions, then n velocities.
    UnderdampedEuler
);
