//! Time steppers for a [`Springs`] system (allocation-free per step) and the reference
//! code's work integral.
//!
//! - [`EulerMaruyama`]: Itô Euler–Maruyama on (x, v), what the reference runs
//!   (torchsde's `euler`, default dt = 1e-3): x ← x + v dt, v ← v + a(x, v) dt + √dt L ξ.
//! - [`Baoab`]: the BAOAB splitting with an exact Ornstein–Uhlenbeck velocity step, the
//!   accurate alternative (weak order 2; explicit Euler anti-damps an oscillator of
//!   frequency ω by ≈ ω² dt / 2 per unit time).

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::system::Springs;
use crate::ModelError;

fn check_dt(dt: f64) -> Result<(), ModelError> {
    if dt > 0.0 && dt.is_finite() {
        Ok(())
    } else {
        Err(ModelError::InvalidParameter {
            name: "time step dt",
            value: dt,
            requirement: "must be finite and > 0",
        })
    }
}

/// One Euler–Maruyama step's pieces of the kinetic energy ½ m |v|² of the edge mass m
/// (energy units): Δ(½ m|v|²) = `drift_power` + `noise_power` + `velocity_jump`
/// exactly, step by step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItoTerms {
    /// m a(x, v) · v dt at the start of the step (the left-point work of the reference).
    pub drift_power: f64,
    /// m v · √dt L ξ (a martingale increment, mean zero).
    pub noise_power: f64,
    /// ½ m |Δv|², whose sum tends to (m/2) Tr(L Lᵀ) t (Itô's correction).
    pub velocity_jump: f64,
}

/// Itô Euler–Maruyama for a [`Springs`] system.
#[derive(Debug, Clone)]
pub struct EulerMaruyama {
    dt: f64,
    sqrt_dt: f64,
    acc: Vec<f64>,
    xi: Vec<f64>,
}

impl EulerMaruyama {
    /// Prepares step dt (time units) for `system`.
    ///
    /// # Errors
    /// `InvalidParameter` for dt ≤ 0 or not finite.
    pub fn new(system: &Springs, dt: f64) -> Result<Self, ModelError> {
        check_dt(dt)?;
        let n = system.n_nodes();
        Ok(Self { dt, sqrt_dt: dt.sqrt(), acc: vec![0.0; n], xi: vec![0.0; n] })
    }

    /// The step size.
    pub fn dt(&self) -> f64 {
        self.dt
    }

    /// One step of (x, v); returns the step's kinetic-energy bookkeeping.
    #[inline]
    pub fn step<R: Rng + ?Sized>(
        &mut self,
        system: &Springs,
        x: &mut [f64],
        v: &mut [f64],
        rng: &mut R,
    ) -> ItoTerms {
        let n = x.len();
        system.acceleration_into(x, v, &mut self.acc);
        for z in self.xi.iter_mut() {
            *z = StandardNormal.sample(rng);
        }
        let l = system.noise_factor();
        let m = system.edge_mass();
        let (mut drift, mut noise, mut jump) = (0.0, 0.0, 0.0);
        let diagonal = matches!(system.physics().noise, super::NoiseModel::Code);
        for i in 0..n {
            let kick = if diagonal {
                l[i * n + i] * self.xi[i]
            } else {
                let row = &l[i * n..=i * n + i];
                row.iter().zip(&self.xi).map(|(a, b)| a * b).sum::<f64>()
            } * self.sqrt_dt;
            let dv = self.acc[i] * self.dt + kick;
            drift += m * self.acc[i] * v[i] * self.dt;
            noise += m * v[i] * kick;
            jump += 0.5 * m * dv * dv;
            x[i] += v[i] * self.dt;
            v[i] += dv;
        }
        ItoTerms { drift_power: drift, noise_power: noise, velocity_jump: jump }
    }
}

/// BAOAB for a [`Springs`] system with mass-proportional friction: half kick
/// v += (dt/2)(h − Gx), half drift, exact OU step v ← e^{−γdt} v + √(1 − e^{−2γdt}) S ξ
/// with S Sᵀ = L Lᵀ/(2γ) the stationary velocity covariance, half drift, half kick.
#[derive(Debug, Clone)]
pub struct Baoab {
    dt: f64,
    decay: f64,
    /// √(1 − e^{−2γdt}) / √(2γ) (√dt when γ = 0, where the O step has no noise anyway).
    kick: f64,
    acc: Vec<f64>,
    xi: Vec<f64>,
    zero: Vec<f64>,
}

impl Baoab {
    /// Prepares step dt (time units) for `system`.
    ///
    /// # Errors
    /// `InvalidParameter` for dt ≤ 0 or not finite.
    pub fn new(system: &Springs, dt: f64) -> Result<Self, ModelError> {
        check_dt(dt)?;
        let n = system.n_nodes();
        let gamma = system.physics().friction;
        let decay = (-gamma * dt).exp();
        let kick = if gamma > 0.0 { ((1.0 - decay * decay) / (2.0 * gamma)).sqrt() } else { 0.0 };
        Ok(Self { dt, decay, kick, acc: vec![0.0; n], xi: vec![0.0; n], zero: vec![0.0; n] })
    }

    /// The step size.
    pub fn dt(&self) -> f64 {
        self.dt
    }

    /// One step of (x, v).
    #[inline]
    pub fn step<R: Rng + ?Sized>(
        &mut self,
        system: &Springs,
        x: &mut [f64],
        v: &mut [f64],
        rng: &mut R,
    ) {
        let n = x.len();
        let half = 0.5 * self.dt;
        // The conservative acceleration h − Gx (zero velocity → no friction term).
        system.acceleration_into(x, &self.zero, &mut self.acc);
        for i in 0..n {
            v[i] += half * self.acc[i];
            x[i] += half * v[i];
        }
        for z in self.xi.iter_mut() {
            *z = StandardNormal.sample(rng);
        }
        let l = system.noise_factor();
        for i in 0..n {
            let noise: f64 = l[i * n..=i * n + i].iter().zip(&self.xi).map(|(a, b)| a * b).sum();
            v[i] = self.decay * v[i] + self.kick * noise;
            x[i] += half * v[i];
        }
        system.acceleration_into(x, &self.zero, &mut self.acc);
        for i in 0..n {
            v[i] += half * self.acc[i];
        }
    }
}

/// Composite Simpson's rule over equally spaced samples f_0 … f_N with spacing h; for an
/// odd number of intervals the last three use Simpson's 3/8 rule. Two samples: the
/// trapezoid; fewer: 0.
pub fn simpson(f: &[f64], h: f64) -> f64 {
    let n = f.len().saturating_sub(1);
    match n {
        0 => 0.0,
        1 => 0.5 * h * (f[0] + f[1]),
        _ => {
            let (even_end, tail) = if n % 2 == 0 {
                (n, 0.0)
            } else {
                let k = n - 3;
                (k, 3.0 * h / 8.0 * (f[k] + 3.0 * f[k + 1] + 3.0 * f[k + 2] + f[k + 3]))
            };
            let mut s = 0.0;
            for i in (0..even_end).step_by(2) {
                s += f[i] + 4.0 * f[i + 1] + f[i + 2];
            }
            s * h / 3.0 + tail
        }
    }
}

/// One trajectory of the reference code's work estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkPath {
    /// W = ∫₀^{t_f} m a(x, v) · v dt by Simpson's rule over the step points (energy units):
    /// the reference's "work" (m the edge mass, a the deterministic acceleration with
    /// friction).
    pub simpson_work: f64,
    /// The same integral as a left-point Itô sum Σ m a·v dt.
    pub left_work: f64,
    /// Δ(½ m|v|²) over the run.
    pub kinetic_change: f64,
    /// Σ m v · √dt L ξ, the martingale part.
    pub noise_work: f64,
    /// Σ ½ m |Δv|², Itô's correction (→ (m/2) Tr(LLᵀ) t_f).
    pub velocity_jumps: f64,
    /// The loss at the end.
    pub final_loss: f64,
}

/// Runs one Euler–Maruyama trajectory of `steps` steps from (x, v) and integrates the
/// reference's work ∫ m a·v dt; `observe(k, x, v)` sees the state after every step
/// k = 1 … steps. `samples` is scratch (resized to steps + 1).
///
/// # Errors
/// `InvalidParameter` naming the first non-finite coordinate when the state diverges.
#[allow(clippy::too_many_arguments)]
pub fn work_path<R: Rng + ?Sized>(
    system: &Springs,
    stepper: &mut EulerMaruyama,
    x: &mut [f64],
    v: &mut [f64],
    steps: usize,
    rng: &mut R,
    samples: &mut Vec<f64>,
    mut observe: impl FnMut(usize, &[f64], &[f64]),
) -> Result<WorkPath, ModelError> {
    let n = x.len();
    let m = system.edge_mass();
    let mut acc = vec![0.0; n];
    samples.clear();
    let power = |x: &[f64], v: &[f64], acc: &mut [f64]| {
        system.acceleration_into(x, v, acc);
        m * acc.iter().zip(v).map(|(a, v)| a * v).sum::<f64>()
    };
    let kinetic0 = 0.5 * m * v.iter().map(|v| v * v).sum::<f64>();
    samples.push(power(x, v, &mut acc));
    let (mut left, mut noise, mut jumps) = (0.0, 0.0, 0.0);
    for k in 1..=steps {
        let t = stepper.step(system, x, v, rng);
        left += t.drift_power;
        noise += t.noise_power;
        jumps += t.velocity_jump;
        samples.push(power(x, v, &mut acc));
        observe(k, x, v);
    }
    if let Some(&bad) = x.iter().chain(v.iter()).find(|z| !z.is_finite()) {
        return Err(ModelError::InvalidParameter {
            name: "state after the run (diverged: reduce dt)",
            value: bad,
            requirement: "must stay finite",
        });
    }
    let kinetic1 = 0.5 * m * v.iter().map(|v| v * v).sum::<f64>();
    Ok(WorkPath {
        simpson_work: simpson(samples, stepper.dt()),
        left_work: left,
        kinetic_change: kinetic1 - kinetic0,
        noise_work: noise,
        velocity_jumps: jumps,
        final_loss: system.loss(x),
    })
}

/// The exact mean and covariance of the Euler–Maruyama chain itself (not of the SDE):
/// z_{k+1} = F z_k + b dt + √dt B ξ_k with F = I + A dt, so
/// μ_{k+1} = F μ_k + b dt and Θ_{k+1} = F Θ_k Fᵀ + dt B Bᵀ. Calls `observe(k, μ_k, Θ_k)`
/// for k = 0 … steps. Tests the simulation exactly, and measures the scheme's O(dt)
/// bias against [`langevin::LinearLangevin::moments_after`].
///
/// # Errors
/// `InvalidParameter` for a bad dt; the errors of [`Springs::to_linear`].
pub fn em_moments(
    system: &Springs,
    dt: f64,
    steps: usize,
    initial: &langevin::Moments,
    mut observe: impl FnMut(usize, &langevin::Moments),
) -> Result<(), ModelError> {
    check_dt(dt)?;
    let lin = system.to_linear()?;
    let dim = lin.dim();
    let f = faer::Mat::<f64>::from_fn(dim, dim, |i, j| {
        f64::from(u8::from(i == j)) + dt * lin.drift_matrix()[(i, j)]
    });
    let q = lin.diffusion() * faer::Scale(2.0 * dt);
    let b = lin.offset();
    let mut state = initial.clone();
    observe(0, &state);
    for k in 1..=steps {
        let mean: Vec<f64> = (0..dim)
            .map(|i| b[i] * dt + (0..dim).map(|j| f[(i, j)] * state.mean[j]).sum::<f64>())
            .collect();
        let cov = &f * &state.cov * f.transpose() + &q;
        state = langevin::Moments { mean, cov };
        observe(k, &state);
    }
    Ok(())
}

/// E\[m a(z) · v\] for a Gaussian (or any) state with these moments: the mean integrand of
/// the reference's work (energy per unit time).
pub fn expected_power(system: &Springs, state: &langevin::Moments) -> f64 {
    let n = system.n_nodes();
    let (g, h) = (system.acceleration_matrix(), system.acceleration_offset());
    let gamma = system.physics().friction;
    let (mu, cov) = (&state.mean, &state.cov);
    let mut s = 0.0;
    for i in 0..n {
        let vi = n + i;
        s += h[i] * mu[vi] - gamma * (cov[(vi, vi)] + mu[vi] * mu[vi]);
        for j in 0..n {
            s -= g[i * n + j] * (cov[(j, vi)] + mu[j] * mu[vi]);
        }
    }
    system.edge_mass() * s
}
