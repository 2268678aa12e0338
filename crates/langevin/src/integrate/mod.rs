//! Integrators for overdamped SDEs dx = F(x, t) dt + B dW and for underdamped
//! (position–velocity) systems, one per file, with observers deciding what is recorded.
//!
//! | integrator | system | weak order | strong order |
//! | --- | --- | --- | --- |
//! | [`EulerMaruyama`] | any [`Sde`] | 1 | ½ (1 for additive noise) |
//! | [`ExactOu`] | [`LinearLangevin`] | exact in distribution for any dt | exact |
//! | [`UnderdampedEuler`] | [`Underdamped`] | 1 | 1 (additive noise) |
//! | [`Baoab`] | [`Underdamped`] | 2 | 1 |
//!
//! Every integrator implements [`Integrator`] for its kind of model, so one driver,
//! [`run`], advances any of them for a number of steps and shows every state to an
//! [`Observer`]. An overdamped state is x (n numbers); an underdamped state is the phase
//! point [x, v] (2n numbers: positions, then velocities). Every integrator takes its
//! random generator from the caller, owns its scratch, and does not allocate per step.

/// `Integrator` for an underdamped scheme with an inherent
/// `step(model, t, x, v, rng)`: the state is the phase point [x, v] (2n numbers).
macro_rules! phase_point_integrator {
    ($(#[$doc:meta])* $scheme:ty) => {
        $(#[$doc])*
        impl<M: $crate::integrate::Underdamped + ?Sized> $crate::integrate::Integrator<M>
            for $scheme
        {
            fn dt(&self) -> f64 {
                self.dt
            }

            fn state_len(&self, model: &M) -> usize {
                2 * model.dim()
            }

            #[inline]
            fn advance<R: rand::Rng + ?Sized>(
                &mut self,
                model: &M,
                t: f64,
                state: &mut [f64],
                rng: &mut R,
            ) {
                let (x, v) = state.split_at_mut(state.len() / 2);
                self.step(model, t, x, v, rng);
            }
        }
    };
}

mod baoab;
mod euler_maruyama;
mod exact_ou;
mod medium_entropy;
mod model;
mod underdamped_euler;

use faer::Mat;
use rand::Rng;

pub use baoab::Baoab;
pub use euler_maruyama::EulerMaruyama;
pub use exact_ou::ExactOu;
pub use medium_entropy::MediumEntropy;
pub use model::{LinearForces, Sde, Underdamped};
pub use underdamped_euler::UnderdampedEuler;

use crate::LangevinError;
#[cfg(doc)]
use crate::linear::LinearLangevin;

type Result<T> = std::result::Result<T, LangevinError>;

/// A fixed-step integrator of models `M`.
pub trait Integrator<M: ?Sized> {
    /// The step size (time units).
    fn dt(&self) -> f64;

    /// The length of the state vector it advances for `model`: n for an SDE, 2n (the
    /// phase point [x, v]) for an underdamped system.
    fn state_len(&self, model: &M) -> usize;

    /// One step from (t, state) to (t + dt, state').
    fn advance<R: Rng + ?Sized>(&mut self, model: &M, t: f64, state: &mut [f64], rng: &mut R);
}

/// Advances `state` by `steps` steps of `integrator` from time t0, calling `observer` at
/// the start and after every step, and returns the final time t0 + steps·dt.
///
/// # Errors
/// [`LangevinError::DimensionMismatch`] or [`LangevinError::NonFinite`] for a bad initial
/// state; [`LangevinError::Diverged`] when the state stops being finite (checked every
/// 1024 steps and at the end).
pub fn run<M, I, R, O>(
    integrator: &mut I,
    model: &M,
    t0: f64,
    state: &mut [f64],
    steps: usize,
    rng: &mut R,
    observer: &mut O,
) -> Result<f64>
where
    M: ?Sized,
    I: Integrator<M>,
    R: Rng + ?Sized,
    O: Observer + ?Sized,
{
    crate::matrix::check_vector("initial state", state, integrator.state_len(model))?;
    let dt = integrator.dt();
    drive(t0, dt, state, steps, observer, |t, s| integrator.advance(model, t, s, rng))
}

/// The loop every driver shares: observe, step, observe…, with the divergence check.
fn drive<O: Observer + ?Sized>(
    t0: f64,
    dt: f64,
    state: &mut [f64],
    steps: usize,
    observer: &mut O,
    mut step: impl FnMut(f64, &mut [f64]),
) -> Result<f64> {
    check_time(t0)?;
    observer.observe(t0, state);
    let mut t = t0;
    for k in 0..steps {
        step(t, state);
        t = t0 + (k + 1) as f64 * dt;
        observer.observe(t, state);
        if k % FINITE_CHECK_EVERY == FINITE_CHECK_EVERY - 1 {
            check_finite_state(t, state)?;
        }
    }
    check_finite_state(t, state)?;
    Ok(t)
}

/// What a run records: called with (t, x) after every step (and once at the start).
pub trait Observer {
    /// Sees the state at time t.
    fn observe(&mut self, t: f64, x: &[f64]);
}

impl Observer for () {
    #[inline]
    fn observe(&mut self, _t: f64, _x: &[f64]) {}
}

impl<F: FnMut(f64, &[f64])> Observer for F {
    #[inline]
    fn observe(&mut self, t: f64, x: &[f64]) {
        self(t, x)
    }
}

/// Running sample mean and covariance of the observed states (Welford's update), e.g.
/// to compare a long trajectory with the stationary Lyapunov covariance.
#[derive(Debug, Clone)]
pub struct SampleMoments {
    count: u64,
    mean: Vec<f64>,
    comoment: Vec<f64>,
    delta: Vec<f64>,
}

impl SampleMoments {
    /// For n coordinates.
    pub fn new(n: usize) -> Self {
        Self { count: 0, mean: vec![0.0; n], comoment: vec![0.0; n * n], delta: vec![0.0; n] }
    }
    /// Number of samples.
    pub fn count(&self) -> u64 {
        self.count
    }
    /// The sample mean.
    pub fn mean(&self) -> &[f64] {
        &self.mean
    }
    /// The sample covariance (divisor count − 1).
    pub fn covariance(&self) -> Mat<f64> {
        let n = self.mean.len();
        let d = (self.count.max(2) - 1) as f64;
        Mat::from_fn(n, n, |i, j| self.comoment[i * n + j] / d)
    }
}

impl Observer for SampleMoments {
    fn observe(&mut self, _t: f64, x: &[f64]) {
        let n = self.mean.len();
        self.count += 1;
        let c = self.count as f64;
        for i in 0..n {
            self.delta[i] = x[i] - self.mean[i];
            self.mean[i] += self.delta[i] / c;
        }
        for i in 0..n {
            let after = x[i] - self.mean[i];
            for j in 0..n {
                self.comoment[i * n + j] += after * self.delta[j];
            }
        }
    }
}

fn check_step(dt: f64) -> Result<()> {
    if dt > 0.0 && dt.is_finite() {
        Ok(())
    } else {
        Err(LangevinError::InvalidParameter {
            name: "dt",
            value: dt,
            reason: "must be finite and > 0",
        })
    }
}

fn check_finite_state(t: f64, x: &[f64]) -> Result<()> {
    match x.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(LangevinError::Diverged { time: t, index }),
        None => Ok(()),
    }
}

/// How often (in steps) `run` checks the state for divergence.
const FINITE_CHECK_EVERY: usize = 1024;

fn check_time(t0: f64) -> Result<()> {
    if t0.is_finite() {
        Ok(())
    } else {
        Err(LangevinError::InvalidParameter { name: "t0", value: t0, reason: "must be finite" })
    }
}
