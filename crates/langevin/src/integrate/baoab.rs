//! BAOAB splitting for an underdamped system.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::model::check_underdamped;
use super::{Result, Underdamped, check_step};

/// BAOAB splitting (Leimkuhler & Matthews 2013): half kick, half drift, exact
/// Ornstein–Uhlenbeck velocity update, half drift, half kick. Weak order 2, stable and
/// accurate for any friction (the O step is exact, so γ dt ≫ 1 is fine), and for a
/// harmonic potential it samples the exact Boltzmann distribution of x for any stable dt.
/// The heat absorbed from the bath in a step is the kinetic-energy change of the O part.
#[derive(Debug, Clone)]
pub struct Baoab {
    dt: f64,
    decay: Vec<f64>,
    kick: Vec<f64>,
    half_dt_over_m: Vec<f64>,
    force: Vec<f64>,
    force_valid_at: Option<f64>,
    heat: f64,
}

impl Baoab {
    /// Prepares step dt.
    pub fn new<M: Underdamped + ?Sized>(model: &M, dt: f64) -> Result<Self> {
        check_step(dt)?;
        check_underdamped(model)?;
        let (m, g, t) = (model.mass(), model.friction(), model.temperature());
        let decay: Vec<f64> = g.iter().map(|g| (-g * dt).exp()).collect();
        Ok(Self {
            dt,
            kick: decay.iter().zip(m).map(|(c, m)| ((1.0 - c * c) * t / m).sqrt()).collect(),
            decay,
            half_dt_over_m: m.iter().map(|m| 0.5 * dt / m).collect(),
            force: vec![0.0; model.dim()],
            force_valid_at: None,
            heat: 0.0,
        })
    }

    /// The step size.
    pub fn dt(&self) -> f64 {
        self.dt
    }

    /// Forgets the cached force (call after changing x between steps by hand).
    pub fn invalidate(&mut self) {
        self.force_valid_at = None;
    }

    /// One step of (x, v) at time t; returns the heat absorbed from the bath (energy
    /// units), Σ_i ½ m_i (v_i'² − v_i²) over the O part. The force at the end of a step is
    /// reused at the start of the next one when t matches and the model is unchanged.
    pub fn step<M: Underdamped + ?Sized, R: Rng + ?Sized>(
        &mut self,
        model: &M,
        t: f64,
        x: &mut [f64],
        v: &mut [f64],
        rng: &mut R,
    ) -> f64 {
        if self.force_valid_at != Some(t) {
            model.force(t, x, &mut self.force);
        }
        let n = x.len();
        let half = 0.5 * self.dt;
        let m = model.mass();
        let mut heat = 0.0;
        for i in 0..n {
            v[i] += self.half_dt_over_m[i] * self.force[i];
            x[i] += half * v[i];
            let z: f64 = StandardNormal.sample(rng);
            let before = v[i];
            v[i] = self.decay[i] * v[i] + self.kick[i] * z;
            heat += 0.5 * m[i] * (v[i] * v[i] - before * before);
            x[i] += half * v[i];
        }
        model.force(t + self.dt, x, &mut self.force);
        for i in 0..n {
            v[i] += self.half_dt_over_m[i] * self.force[i];
        }
        self.force_valid_at = Some(t + self.dt);
        self.heat += heat;
        heat
    }

    /// The heat absorbed from the bath over every step since construction or the last
    /// [`Baoab::reset_heat`] (energy units): how a driver that only sees states (through
    /// [`super::run`]) gets the heat.
    pub fn heat(&self) -> f64 {
        self.heat
    }

    /// Sets the heat count back to zero.
    pub fn reset_heat(&mut self) {
        self.heat = 0.0;
    }
}

phase_point_integrator!(
    /// The phase point is [x, v]: n positions, then n velocities. The heat of each step is
    /// added to [`Baoab::heat`].
    Baoab
);
