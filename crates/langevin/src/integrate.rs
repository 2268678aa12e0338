//! Integrators for overdamped SDEs dx = F(x, t) dt + B dW and for underdamped
//! (position–velocity) systems, with observers deciding what is recorded.
//!
//! | integrator | system | weak order | strong order |
//! | --- | --- | --- | --- |
//! | [`EulerMaruyama`] | any [`Sde`] | 1 | ½ (1 for additive noise) |
//! | [`ExactOu`] | [`LinearLangevin`] | exact in distribution for any dt | exact |
//! | [`UnderdampedEuler`] | [`Underdamped`] | 1 | 1 (additive noise) |
//! | [`Baoab`] | [`Underdamped`] | 2 | 1 |
//!
//! Every integrator takes its random generator from the caller, owns its scratch, and
//! does not allocate per step.

use faer::Mat;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::LangevinError;
use crate::linear::LinearLangevin;
use crate::matrix::{PaddedColumns, check_vector, psd_factor, van_loan};
use crate::noise::Noise;

type Result<T> = std::result::Result<T, LangevinError>;

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

/// The noise B √dt prepared for one step size.
#[derive(Debug, Clone)]
enum StepNoise {
    Additive(f64),
    /// (coordinate, amplitude) for the noisy coordinates only.
    Diagonal(Vec<(usize, f64)>),
    /// B √dt, row-major n × w.
    General {
        b: Vec<f64>,
        width: usize,
    },
}

impl StepNoise {
    fn new(noise: &Noise, n: usize, dt: f64) -> Self {
        let s = dt.sqrt();
        match noise {
            Noise::Additive(sigma) => StepNoise::Additive(sigma * s),
            Noise::Diagonal(sigma) => StepNoise::Diagonal(
                sigma
                    .iter()
                    .enumerate()
                    .filter(|(_, x)| **x != 0.0)
                    .map(|(i, x)| (i, x * s))
                    .collect(),
            ),
            Noise::General(b) => StepNoise::General {
                b: (0..n).flat_map(|i| (0..b.ncols()).map(move |j| b[(i, j)] * s)).collect(),
                width: b.ncols(),
            },
        }
    }

    /// x += B √dt ξ with fresh standard normals ξ; `xi` is scratch of length ≥ w.
    #[inline]
    fn apply<R: Rng + ?Sized>(&self, x: &mut [f64], xi: &mut [f64], rng: &mut R) {
        match self {
            StepNoise::Additive(a) => {
                for xi in x.iter_mut() {
                    let z: f64 = StandardNormal.sample(rng);
                    *xi += a * z;
                }
            }
            StepNoise::Diagonal(list) => {
                for &(i, a) in list {
                    let z: f64 = StandardNormal.sample(rng);
                    x[i] += a * z;
                }
            }
            StepNoise::General { b, width } => {
                let xi = &mut xi[..*width];
                for z in xi.iter_mut() {
                    *z = StandardNormal.sample(rng);
                }
                for (xr, row) in x.iter_mut().zip(b.chunks_exact(*width)) {
                    *xr += row.iter().zip(xi.iter()).map(|(b, z)| b * z).sum::<f64>();
                }
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

/// Euler–Maruyama: x ← x + F(x, t) dt + B √dt ξ. Weak order 1, strong order ½ (1 for
/// additive noise, as here B does not depend on x).
#[derive(Debug, Clone)]
pub struct EulerMaruyama {
    dt: f64,
    noise: StepNoise,
    force: Vec<f64>,
    xi: Vec<f64>,
}

impl EulerMaruyama {
    /// Prepares a step of size dt (time units) for `model`.
    pub fn new<M: Sde + ?Sized>(model: &M, dt: f64) -> Result<Self> {
        check_step(dt)?;
        let n = model.dim();
        model.noise().validate(n)?;
        Ok(Self {
            dt,
            noise: StepNoise::new(model.noise(), n, dt),
            force: vec![0.0; n],
            xi: vec![0.0; model.noise().width(n)],
        })
    }

    /// The step size.
    pub fn dt(&self) -> f64 {
        self.dt
    }

    /// One step from (t, x) to (t + dt, x').
    #[inline]
    pub fn step<M: Sde + ?Sized, R: Rng + ?Sized>(
        &mut self,
        model: &M,
        t: f64,
        x: &mut [f64],
        rng: &mut R,
    ) {
        model.drift(t, x, &mut self.force);
        for (xi, fi) in x.iter_mut().zip(&self.force) {
            *xi += fi * self.dt;
        }
        self.noise.apply(x, &mut self.xi, rng);
    }

    /// `steps` steps from time t0, calling `observer` at the start and after every step.
    /// Returns the final time. `Diverged` if the state stops being finite.
    pub fn run<M, R, O>(
        &mut self,
        model: &M,
        t0: f64,
        x: &mut [f64],
        steps: usize,
        rng: &mut R,
        observer: &mut O,
    ) -> Result<f64>
    where
        M: Sde + ?Sized,
        R: Rng + ?Sized,
        O: Observer + ?Sized,
    {
        check_vector("initial state", x, model.dim())?;
        observer.observe(t0, x);
        let mut t = t0;
        for k in 0..steps {
            self.step(model, t, x, rng);
            t = t0 + (k + 1) as f64 * self.dt;
            observer.observe(t, x);
            if k % FINITE_CHECK_EVERY == FINITE_CHECK_EVERY - 1 {
                check_finite_state(t, x)?;
            }
        }
        check_finite_state(t, x)?;
        Ok(t)
    }
}

/// The exact update of a linear system over a step h: z ← E z + c + L ξ with
/// E = e^{A h}, c = ∫₀ʰ e^{As} b ds and L Lᵀ = ∫₀ʰ e^{As} 2D e^{Aᵀs} ds. Samples the exact
/// transition density for any h (no discretisation error); costs two n × n
/// matrix–vector products per step.
#[derive(Debug, Clone)]
pub struct ExactOu {
    h: f64,
    e: PaddedColumns,
    c: Vec<f64>,
    /// The lower-triangular factor L.
    l: PaddedColumns,
    next: Vec<f64>,
    xi: Vec<f64>,
}

impl ExactOu {
    /// Precomputes E, c and L for step h.
    pub fn new(system: &LinearLangevin, h: f64) -> Result<Self> {
        check_step(h)?;
        let n = system.dim();
        let q = system.diffusion() * faer::Scale(2.0);
        let (e, c, sigma) = van_loan(system.drift_matrix(), system.offset(), q.as_ref(), h);
        let l = psd_factor("one-step covariance", sigma.as_ref())?;
        Ok(Self {
            h,
            e: PaddedColumns::new(e.as_ref()),
            c,
            l: PaddedColumns::new(l.as_ref()),
            next: vec![0.0; n],
            xi: vec![0.0; n],
        })
    }

    /// The step size.
    pub fn dt(&self) -> f64 {
        self.h
    }

    /// One exact step.
    #[inline]
    pub fn step<R: Rng + ?Sized>(&mut self, z: &mut [f64], rng: &mut R) {
        for x in self.xi.iter_mut() {
            *x = StandardNormal.sample(rng);
        }
        self.next.copy_from_slice(&self.c);
        self.e.gemv::<false>(z, &mut self.next);
        self.l.gemv::<false>(&self.xi, &mut self.next);
        z.copy_from_slice(&self.next);
    }

    /// `steps` exact steps from t0 with an observer; returns the final time.
    pub fn run<R, O>(
        &mut self,
        t0: f64,
        z: &mut [f64],
        steps: usize,
        rng: &mut R,
        observer: &mut O,
    ) -> Result<f64>
    where
        R: Rng + ?Sized,
        O: Observer + ?Sized,
    {
        check_vector("initial state", z, self.c.len())?;
        observer.observe(t0, z);
        let mut t = t0;
        for k in 0..steps {
            self.step(z, rng);
            t = t0 + (k + 1) as f64 * self.h;
            observer.observe(t, z);
        }
        check_finite_state(t, z)?;
        Ok(t)
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

fn check_underdamped<M: Underdamped + ?Sized>(model: &M) -> Result<()> {
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
        heat
    }
}

/// The medium entropy production along a trajectory of an all-even SDE with constant,
/// invertible diffusion D: ΔS_m = Σ_steps ½ [F(x) + F(x')]ᵀ D⁻¹ (x' − x), the Stratonovich
/// integral of D⁻¹F ∘ dx (nats; equals Q/T for a thermal bath). Averaged over a
/// stationary trajectory, ΔS_m / t → Σ. One extra drift evaluation per observed step.
#[derive(Debug, Clone)]
pub struct MediumEntropy<'a, M: ?Sized> {
    model: &'a M,
    /// Row-major D⁻¹.
    d_inv: Vec<f64>,
    prev_x: Vec<f64>,
    prev_f: Vec<f64>,
    f: Vec<f64>,
    started: bool,
    total: f64,
}

impl<'a, M: Sde + ?Sized> MediumEntropy<'a, M> {
    /// For `model`; `Singular` if its diffusion matrix is not invertible.
    pub fn new(model: &'a M) -> Result<Self> {
        let n = model.dim();
        let d = model.noise().diffusion(n);
        let inv = crate::matrix::inverse("diffusion matrix", d.as_ref())?;
        Ok(Self {
            model,
            d_inv: (0..n)
                .flat_map(|i| (0..n).map(move |j| (i, j)))
                .map(|(i, j)| inv[(i, j)])
                .collect(),
            prev_x: vec![0.0; n],
            prev_f: vec![0.0; n],
            f: vec![0.0; n],
            started: false,
            total: 0.0,
        })
    }

    /// ΔS_m accumulated so far (nats).
    pub fn total(&self) -> f64 {
        self.total
    }

    /// Restarts the count at zero (the next observed state becomes the origin).
    pub fn reset(&mut self) {
        self.started = false;
        self.total = 0.0;
    }
}

impl<M: Sde + ?Sized> Observer for MediumEntropy<'_, M> {
    fn observe(&mut self, t: f64, x: &[f64]) {
        let n = x.len();
        self.model.drift(t, x, &mut self.f);
        if self.started {
            for i in 0..n {
                let fm = 0.5 * (self.f[i] + self.prev_f[i]);
                let row = &self.d_inv[i * n..(i + 1) * n];
                let dinv_dx: f64 =
                    row.iter().zip(x.iter().zip(&self.prev_x)).map(|(d, (a, b))| d * (a - b)).sum();
                self.total += fm * dinv_dx;
            }
        }
        self.started = true;
        self.prev_x.copy_from_slice(x);
        std::mem::swap(&mut self.prev_f, &mut self.f);
    }
}
