//! The medium entropy production along a trajectory, as an observer.

use super::{Observer, Result, Sde};

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
