//! Training by parameter annealing (v1 Eqs. 11–15, qs Eqs. 9–15) for an exactly solvable
//! case: a linear student with the output clamped to the label, so the relaxed clamped
//! energy of entry α is F_α(w) = (κ/2)(t_α − w·x_α)². The parameters follow
//! dw = −μ ∇F_α dt + √(2 μ k_BT) dW while entry α is presented for τ_e; entries are drawn
//! i.i.d. from a teacher t = w*·x + ε, x ~ N(0, I_N), ε ~ N(0, σ²).
//!
//! Energy accounting per run (energies in units of κ x²):
//! - switching work W_sw = Σ_switches [F_{α+1}(w) − F_α(w)]: the energy supplied;
//! - heat absorbed from the bath Q = ∫ ∇F_α ∘ dw (Stratonovich), exactly ΔF_α over each
//!   presentation for a quadratic F (the midpoint rule is exact);
//! - the first law ΔF = W_sw + Q per run, to rounding;
//! - the paper's "work" ∫ Σ θ̇ ∂F dt, Itô (left point) and Stratonovich. The Stratonovich
//!   one *is* Q: with θ̇ = −μ∂F + η its mean is minus the heat released, not energy
//!   supplied (the paper's Eq. 15 drops the noise term and flips the sign).
//!
//! The loop is written out (not `langevin::SekimotoEuler`) for the reason given in
//! [`super::Annealing`]'s module: one gradient per step, and here the Itô and
//! Stratonovich forms of the paper's work need the left-point gradient anyway.
//!
//! Theory of the stationary state for fast switching (μκτ_e N ≪ 1), from the averaged
//! Lyapunov equation (solved by `langevin`'s solver in [`LinearStudent::theory_covariance`]): Cov(w) = (k_BT/κ + μ τ_e κ σ²/2) I, so the excess MSE
//! E|w − w*|² = N (k_BT/κ + μτ_eκσ²/2), thermal and data-noise parts equal at
//! k_BT* = μ τ_e κ² σ²/2; the heat released per presentation is
//! τ_e μ κ [κ((N + 2) E|w − w*|² + N σ²) − N k_BT].

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::ModelError;

/// The teacher–student setting.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LinearStudent {
    /// Teacher weights w* (N of them: the parameter count).
    pub teacher: Vec<f64>,
    /// Label noise σ.
    pub label_noise: f64,
    /// Output stiffness κ.
    pub stiffness: f64,
    /// Parameter mobility μ.
    pub mobility: f64,
    /// Presentation time per entry τ_e.
    pub presentation: f64,
    /// Euler–Maruyama steps per presentation.
    pub steps_per_entry: usize,
}

/// What one run measured (sums over the measured presentations).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct TrainingRecord {
    /// Presentations measured (after the burn-in).
    pub entries: usize,
    /// Mean excess MSE E|w − w*|² (the excess of E(t − w·x)² over σ²) over presentation ends.
    pub excess: f64,
    /// Its standard error (batch means).
    pub excess_se: f64,
    /// W_sw: switching work supplied.
    pub switching_work: f64,
    /// Heat released to the bath, −Q.
    pub heat_released: f64,
    /// The paper's work ∫ θ̇·∂F dt, Itô (left point).
    pub paper_work_ito: f64,
    /// The paper's work, Stratonovich (midpoint) = Q = −heat released.
    pub paper_work_stratonovich: f64,
    /// |ΔF − W_sw − Q| over the run (the first law's residual).
    pub first_law_residual: f64,
}

impl LinearStudent {
    /// k_BT* = μ τ_e κ² σ²/2, where thermal and data-noise excess are equal (theory).
    pub fn noise_matching_temperature(&self) -> f64 {
        0.5 * self.mobility * self.presentation * self.stiffness.powi(2) * self.label_noise.powi(2)
    }

    /// The theory's excess E|w − w*|² at k_BT.
    pub fn theory_excess(&self, kt: f64) -> f64 {
        let n = self.teacher.len() as f64;
        n * (kt / self.stiffness
            + 0.5 * self.mobility * self.presentation * self.stiffness * self.label_noise.powi(2))
    }

    /// The fast-switching theory's stationary covariance of w from `langevin`'s Lyapunov
    /// solver: the averaged dynamics dw = −μκ ⟨xxᵀ⟩(w − w*) dt + B dW with
    /// B Bᵀ = 2μk_BT I + μ²κ²τ_e σ² ⟨xxᵀ⟩ (thermal noise plus the white-noise limit of
    /// the switched data gradient), ⟨xxᵀ⟩ = I here. Its trace is [`Self::theory_excess`]
    /// (the closed form, N (k_BT/κ + μτ_eκσ²/2)), which the tests check to 1e-12.
    ///
    /// # Errors
    /// As [`langevin::LinearLangevin::new`] and its stationary covariance.
    pub fn theory_covariance(&self, kt: f64) -> Result<faer::Mat<f64>, ModelError> {
        let n = self.teacher.len();
        let (mu, k) = (self.mobility, self.stiffness);
        let drift = faer::Mat::<f64>::from_fn(n, n, |i, j| if i == j { -mu * k } else { 0.0 });
        let amplitude =
            (2.0 * mu * kt + mu * mu * k * k * self.presentation * self.label_noise.powi(2)).sqrt();
        let offset: Vec<f64> = self.teacher.iter().map(|w| mu * k * w).collect();
        let sys =
            langevin::LinearLangevin::new(drift, offset, langevin::Noise::Additive(amplitude))?;
        Ok(sys.stationary_covariance()?)
    }

    /// The excess E|w − w*|² = tr Cov(w) from [`Self::theory_covariance`].
    ///
    /// # Errors
    /// As [`Self::theory_covariance`].
    pub fn lyapunov_excess(&self, kt: f64) -> Result<f64, ModelError> {
        let c = self.theory_covariance(kt)?;
        Ok((0..c.nrows()).map(|i| c[(i, i)]).sum())
    }

    /// The theory's heat released per presentation at k_BT.
    pub fn theory_heat_per_entry(&self, kt: f64) -> f64 {
        let n = self.teacher.len() as f64;
        let k = self.stiffness;
        self.presentation
            * self.mobility
            * k
            * (k * ((n + 2.0) * self.theory_excess(kt) + n * self.label_noise.powi(2)) - n * kt)
    }

    fn validate(&self, kt: f64) -> Result<(), ModelError> {
        for (name, v) in [
            ("stiffness κ", self.stiffness),
            ("mobility μ", self.mobility),
            ("presentation time τ_e", self.presentation),
        ] {
            if !(v > 0.0 && v.is_finite()) {
                return Err(ModelError::InvalidParameter {
                    name,
                    value: v,
                    requirement: "must be finite and > 0",
                });
            }
        }
        if !(kt >= 0.0 && kt.is_finite() && self.label_noise >= 0.0) {
            return Err(ModelError::InvalidParameter {
                name: "k_BT or label noise",
                value: kt,
                requirement: "must be finite and >= 0",
            });
        }
        if self.teacher.is_empty() || self.steps_per_entry == 0 {
            return Err(ModelError::InvalidParameter {
                name: "parameters N (and steps per entry)",
                value: self.teacher.len() as f64,
                requirement: "must be ≥ 1",
            });
        }
        Ok(())
    }

    /// Trains from `start` at k_BT for `burn` + `entries` presentations, measuring the
    /// last `entries`; `batches` batch means give the excess's standard error.
    ///
    /// # Errors
    /// `InvalidParameter` for a bad setting; a diverging run (μκτ_e|x|² too large for the
    /// Euler step) names the non-finite excess.
    pub fn train<R: Rng + ?Sized>(
        &self,
        start: &[f64],
        kt: f64,
        burn: usize,
        entries: usize,
        batches: usize,
        rng: &mut R,
    ) -> Result<TrainingRecord, ModelError> {
        self.validate(kt)?;
        let n = self.teacher.len();
        let dt = self.presentation / self.steps_per_entry as f64;
        let kick = (2.0 * self.mobility * kt * dt).sqrt();
        let k = self.stiffness;
        let mut w = start.to_vec();
        let mut x = vec![0.0; n];
        let energy = |w: &[f64], x: &[f64], t: f64| {
            let r = t - w.iter().zip(x).map(|(a, b)| a * b).sum::<f64>();
            0.5 * k * r * r
        };
        let draw = |x: &mut [f64], rng: &mut R| -> f64 {
            for v in x.iter_mut() {
                *v = StandardNormal.sample(rng);
            }
            let e: f64 = StandardNormal.sample(rng);
            self.teacher.iter().zip(x.iter()).map(|(a, b)| a * b).sum::<f64>()
                + self.label_noise * e
        };
        let mut t = draw(&mut x, rng);
        let batches = batches.clamp(1, entries.max(1));
        let per_batch = (entries / batches).max(1);
        let mut rec = TrainingRecord {
            entries,
            excess: 0.0,
            excess_se: 0.0,
            switching_work: 0.0,
            heat_released: 0.0,
            paper_work_ito: 0.0,
            paper_work_stratonovich: 0.0,
            first_law_residual: 0.0,
        };
        let mut batch_sums = vec![0.0; batches];
        let mut f_start = 0.0;
        for e in 0..burn + entries {
            let measuring = e >= burn;
            if e == burn {
                f_start = energy(&w, &x, t);
            }
            let mut q = 0.0;
            let mut ito = 0.0;
            for _ in 0..self.steps_per_entry {
                let r = t - w.iter().zip(&x).map(|(a, b)| a * b).sum::<f64>();
                let before = 0.5 * k * r * r;
                // ∇F = −κ r x.
                let mut dot = 0.0;
                for i in 0..n {
                    let z: f64 = StandardNormal.sample(rng);
                    let dw = self.mobility * k * r * x[i] * dt + kick * z;
                    dot += -k * r * x[i] * dw;
                    w[i] += dw;
                }
                ito += dot;
                q += energy(&w, &x, t) - before;
            }
            let excess: f64 = w.iter().zip(&self.teacher).map(|(a, b)| (a - b).powi(2)).sum();
            if !excess.is_finite() {
                return Err(ModelError::InvalidParameter {
                    name: "excess |w − w*|² (diverged: reduce the step)",
                    value: excess,
                    requirement: "must stay finite",
                });
            }
            let old = energy(&w, &x, t);
            let last = e + 1 == burn + entries;
            if !last {
                t = draw(&mut x, rng);
            }
            if measuring {
                rec.excess += excess;
                let b = ((e - burn) / per_batch).min(batches - 1);
                batch_sums[b] += excess;
                rec.heat_released -= q;
                rec.paper_work_ito += ito;
                rec.paper_work_stratonovich += q;
                if !last {
                    rec.switching_work += energy(&w, &x, t) - old;
                }
            }
        }
        let f_end = energy(&w, &x, t);
        rec.first_law_residual = ((f_end - f_start) - rec.switching_work + rec.heat_released).abs();
        rec.excess /= entries.max(1) as f64;
        if batches >= 2 {
            let counts: Vec<f64> = (0..batches)
                .map(|b| {
                    if b + 1 == batches {
                        (entries - per_batch * (batches - 1)) as f64
                    } else {
                        per_batch as f64
                    }
                })
                .collect();
            let means: Vec<f64> = batch_sums.iter().zip(&counts).map(|(s, c)| s / c).collect();
            let m = means.iter().sum::<f64>() / batches as f64;
            let var = means.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (batches - 1) as f64;
            rec.excess_se = (var / batches as f64).sqrt();
        }
        Ok(rec)
    }
}
