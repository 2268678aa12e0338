//! The exact Ornstein–Uhlenbeck update of a linear system.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::{Integrator, Observer, Result, check_step, drive};
use crate::linear::LinearLangevin;
use crate::matrix::{PaddedColumns, check_vector, psd_factor, van_loan};

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

    /// `steps` exact steps from t0 with an observer; returns the final time. The same
    /// driver as [`super::run`]; this form needs no model, which the step owns.
    ///
    /// # Errors
    /// A bad initial state or t0; `Diverged` if the state stops being finite.
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
        let h = self.h;
        drive(t0, h, z, steps, observer, |_, z| self.step(z, rng))
    }
}

/// The exact step for the linear system it was built from (`ExactOu::new`): the model
/// passed to [`Integrator::advance`] is not read, only the step's own E, c and L.
impl Integrator<LinearLangevin> for ExactOu {
    fn dt(&self) -> f64 {
        self.h
    }

    fn state_len(&self, _model: &LinearLangevin) -> usize {
        self.c.len()
    }

    #[inline]
    fn advance<R: Rng + ?Sized>(
        &mut self,
        _model: &LinearLangevin,
        _t: f64,
        state: &mut [f64],
        rng: &mut R,
    ) {
        self.step(state, rng);
    }
}
