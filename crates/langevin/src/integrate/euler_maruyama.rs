//! Euler–Maruyama for a first-order SDE.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::{Integrator, Observer, Result, Sde, check_step};
use crate::noise::Noise;

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

    /// `steps` steps from time t0, calling `observer` at the start and after every step
    /// (the generic [`super::run`] for this integrator). Returns the final time.
    ///
    /// # Errors
    /// A bad initial state or t0; `Diverged` if the state stops being finite.
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
        super::run(self, model, t0, x, steps, rng, observer)
    }
}

impl<M: Sde + ?Sized> Integrator<M> for EulerMaruyama {
    fn dt(&self) -> f64 {
        self.dt
    }

    fn state_len(&self, model: &M) -> usize {
        model.dim()
    }

    #[inline]
    fn advance<R: Rng + ?Sized>(&mut self, model: &M, t: f64, state: &mut [f64], rng: &mut R) {
        self.step(model, t, state, rng);
    }
}
