//! Simultaneous perturbation stochastic approximation (Spall, IEEE TAC 37, 332 (1992);
//! IEEE TAES 34, 817 (1998)) for *maximising* a noisy objective f(θ).
//!
//! Step k (from 0): gains a_k = a / (A + k + 1)^α and c_k = c / (k + 1)^γ; a Rademacher
//! vector Δ (entries ±1); the two evaluations y± = f(θ ± c_k Δ); the gradient estimate
//! ĝ_i = (y₊ − y₋) / (2 c_k Δ_i), averaged over `perturbations` independent Δ; and the
//! update θ ← θ + a_k ĝ. Defaults follow Spall's practical guidance: α = 0.602,
//! γ = 0.101, A = 10% of the iterations; a and c must be set for the problem (c about the
//! noise's standard deviation in θ units, a so that the first steps move θ by a sensible
//! amount). With α = 1 and γ = 1/6 the mean squared error of θ falls as k^{−2/3}, the
//! asymptotically optimal rate for noisy objectives.
//!
//! Common random numbers: the objective receives a noise seed; with `common_random_numbers`
//! both evaluations of a pair get the same seed, so noise that does not depend on θ
//! cancels in y₊ − y₋. Iterate averaging (Polyak–Ruppert): [`SpsaResult::averaged`] is the
//! mean of θ_k over k ≥ `average_from`.
//!
//! Paired evaluations: [`Spsa::maximize_paired`] and [`Spsa::calibrated_paired`] take
//! one function of a [`Pair`] (θ₊, seed₊, θ₋, seed₋) returning (y₊, y₋) instead of one
//! objective called twice, so that an expensive objective can evaluate both at once; the
//! random numbers and the steps are the same.

use rand::Rng;

use crate::LearnError;

/// SPSA settings (see the module docs for the formulas).
#[derive(Debug, Clone, PartialEq)]
pub struct Spsa {
    /// Number of iterations.
    pub iterations: usize,
    /// Step-size numerator a.
    pub a: f64,
    /// Stability constant A.
    pub big_a: f64,
    /// Step-size decay exponent α.
    pub alpha: f64,
    /// Perturbation size c.
    pub c: f64,
    /// Perturbation decay exponent γ.
    pub gamma: f64,
    /// Gradient estimates averaged per step (each costs two evaluations).
    pub perturbations: usize,
    /// Use the same noise seed for y₊ and y₋.
    pub common_random_numbers: bool,
    /// Iterates from this index on are averaged.
    pub average_from: usize,
}

impl Spsa {
    /// Spall's defaults for `iterations` steps with the given a and c.
    pub fn new(iterations: usize, a: f64, c: f64) -> Self {
        Self {
            iterations,
            a,
            big_a: 0.1 * iterations as f64,
            alpha: 0.602,
            c,
            gamma: 0.101,
            perturbations: 1,
            common_random_numbers: true,
            average_from: iterations / 2,
        }
    }

    fn validate(&self) -> Result<(), LearnError> {
        let bad = |name, value: f64, requirement| {
            Err(LearnError::InvalidParameter { name, value, requirement })
        };
        for (name, v) in [("a", self.a), ("c", self.c)] {
            if !(v > 0.0 && v.is_finite()) {
                return bad(name, v, "must be finite and > 0");
            }
        }
        if !(self.big_a >= 0.0) {
            return bad("A", self.big_a, "must be >= 0");
        }
        if !(self.alpha > 0.0 && self.alpha <= 1.0) {
            return bad("alpha", self.alpha, "must lie in (0, 1]");
        }
        if !(self.gamma > 0.0 && self.gamma < 0.5) {
            return bad("gamma", self.gamma, "must lie in (0, 1/2)");
        }
        if self.perturbations == 0 {
            return bad("perturbations", 0.0, "must be >= 1");
        }
        Ok(())
    }

    /// a_k.
    pub fn step_gain(&self, k: usize) -> f64 {
        self.a / (self.big_a + k as f64 + 1.0).powf(self.alpha)
    }

    /// c_k.
    pub fn perturbation_gain(&self, k: usize) -> f64 {
        self.c / (k as f64 + 1.0).powf(self.gamma)
    }

    /// Spall's calibration of the step gain a (IEEE TAES 34, 817 (1998), Sec. III B):
    /// estimates the mean gradient magnitude ḡ = mean_i |ĝ_i| at θ₀ from `samples`
    /// simultaneous perturbations of size c₀ (2 evaluations each, common random numbers as
    /// set), and returns these settings with a = target_step · (A + 1)^α / ḡ, so that the
    /// first steps move each θ_i by about `target_step`.
    ///
    /// The objective may fail: its error `E` (any error type a [`LearnError`] converts
    /// into) is returned as it is, at the first evaluation that fails.
    ///
    /// # Errors
    /// Bad settings, θ₀ or `target_step`, a non-finite objective, or a zero gradient
    /// estimate (the objective does not respond to θ at this c), as `E`; or the
    /// objective's own error.
    pub fn calibrated<F, R, E>(
        &self,
        theta0: &[f64],
        mut objective: F,
        rng: &mut R,
        target_step: f64,
        samples: usize,
    ) -> Result<Self, E>
    where
        F: FnMut(&[f64], u64) -> Result<f64, E>,
        R: Rng + ?Sized,
        E: From<LearnError>,
    {
        self.calibrated_paired(theta0, |p| one_by_one(&mut objective, p), rng, target_step, samples)
    }

    /// [`Spsa::calibrated`] with each pair of evaluations made by one call of `pair`
    /// (see [`Spsa::maximize_paired`]); the same random numbers, so the same result for
    /// a `pair` that returns what two calls of the objective would.
    ///
    /// # Errors
    /// As [`Spsa::calibrated`].
    pub fn calibrated_paired<F, R, E>(
        &self,
        theta0: &[f64],
        mut pair: F,
        rng: &mut R,
        target_step: f64,
        samples: usize,
    ) -> Result<Self, E>
    where
        F: FnMut(Pair<'_>) -> Result<(f64, f64), E>,
        R: Rng + ?Sized,
        E: From<LearnError>,
    {
        self.validate()?;
        if theta0.is_empty() || samples == 0 {
            return Err(LearnError::Empty {
                what: "calibration",
                rows: samples,
                cols: theta0.len(),
            }
            .into());
        }
        crate::error::check_finite("θ₀", theta0)?;
        if !(target_step > 0.0 && target_step.is_finite()) {
            return Err(LearnError::InvalidParameter {
                name: "target_step",
                value: target_step,
                requirement: "must be finite and > 0",
            }
            .into());
        }
        let d = theta0.len();
        let c0 = self.perturbation_gain(0);
        let (mut plus, mut minus) = (vec![0.0; d], vec![0.0; d]);
        let mut magnitude = 0.0;
        for _ in 0..samples {
            let mut bits = 0u64;
            for i in 0..d {
                if i % 64 == 0 {
                    bits = rng.next_u64();
                }
                let di = if (bits >> (i % 64)) & 1 == 1 { 1.0 } else { -1.0 };
                plus[i] = theta0[i] + c0 * di;
                minus[i] = theta0[i] - c0 * di;
            }
            let seed_plus = rng.next_u64();
            let seed_minus = if self.common_random_numbers { seed_plus } else { rng.next_u64() };
            let (y_plus, y_minus) =
                pair(Pair { plus: &plus, seed_plus, minus: &minus, seed_minus })?;
            for y in [y_plus, y_minus] {
                if !y.is_finite() {
                    return Err(LearnError::ObjectiveNotFinite { iteration: 0, value: y }.into());
                }
            }
            // |ĝ_i| = |y₊ − y₋| / (2 c₀) for every i (|Δ_i| = 1).
            magnitude += (y_plus - y_minus).abs() / (2.0 * c0) / samples as f64;
        }
        if !(magnitude > 0.0) {
            return Err(LearnError::InvalidParameter {
                name: "gradient estimate at θ₀",
                value: magnitude,
                requirement: "must be > 0 to calibrate a (the objective ignores θ at this c)",
            }
            .into());
        }
        let a = target_step * (self.big_a + 1.0).powf(self.alpha) / magnitude;
        if !a.is_finite() {
            // A gradient estimate so small (subnormal) that the gain overflows.
            return Err(LearnError::InvalidParameter {
                name: "calibrated a",
                value: a,
                requirement: "must be finite (the gradient estimate at θ₀ is too small)",
            }
            .into());
        }
        Ok(Self { a, ..self.clone() })
    }

    /// Maximises `objective(θ, noise_seed)` from θ₀. `observer` sees every step.
    ///
    /// The objective may fail: its error `E` (any error type a [`LearnError`] converts
    /// into; `LearnError` itself for an objective that cannot fail) stops the run and is
    /// returned as it is.
    ///
    /// # Errors
    /// Bad settings, an empty or non-finite θ₀, or a non-finite objective value, as `E`;
    /// or the objective's own error.
    pub fn maximize<F, R, O, E>(
        &self,
        theta0: &[f64],
        mut objective: F,
        rng: &mut R,
        observer: O,
    ) -> Result<SpsaResult, E>
    where
        F: FnMut(&[f64], u64) -> Result<f64, E>,
        R: Rng + ?Sized,
        O: FnMut(&SpsaStep<'_>),
        E: From<LearnError>,
    {
        self.maximize_paired(theta0, |p| one_by_one(&mut objective, p), rng, observer)
    }

    /// [`Spsa::maximize`] with the two evaluations of each gradient estimate made by one
    /// call of `pair`, which returns (y₊, y₋) = (f(θ₊, seed₊), f(θ₋, seed₋)) for the
    /// [`Pair`] it is given, so that a caller can run both at once (on two threads, say).
    /// The same random numbers as [`Spsa::maximize`], so the same iterates for a `pair`
    /// that returns what two calls of the objective would.
    ///
    /// # Errors
    /// As [`Spsa::maximize`]; `pair` decides which error of a pair it returns (evaluating
    /// one by one, [`Spsa::maximize`] returns y₊'s first).
    pub fn maximize_paired<F, R, O, E>(
        &self,
        theta0: &[f64],
        mut pair: F,
        rng: &mut R,
        mut observer: O,
    ) -> Result<SpsaResult, E>
    where
        F: FnMut(Pair<'_>) -> Result<(f64, f64), E>,
        R: Rng + ?Sized,
        O: FnMut(&SpsaStep<'_>),
        E: From<LearnError>,
    {
        self.validate()?;
        if theta0.is_empty() {
            return Err(LearnError::Empty { what: "θ₀", rows: 0, cols: 0 }.into());
        }
        crate::error::check_finite("θ₀", theta0)?;
        let d = theta0.len();
        let mut theta = theta0.to_vec();
        let mut grad = vec![0.0; d];
        let mut delta = vec![0.0; d];
        let mut plus = vec![0.0; d];
        let mut minus = vec![0.0; d];
        let mut sum = vec![0.0; d];
        let mut averaged_count = 0usize;
        for k in 0..self.iterations {
            let (ak, ck) = (self.step_gain(k), self.perturbation_gain(k));
            grad.fill(0.0);
            let (mut y_plus_mean, mut y_minus_mean) = (0.0, 0.0);
            for _ in 0..self.perturbations {
                // Rademacher entries, 64 per random word.
                let mut bits = 0u64;
                for (i, di) in delta.iter_mut().enumerate() {
                    if i % 64 == 0 {
                        bits = rng.next_u64();
                    }
                    *di = if (bits >> (i % 64)) & 1 == 1 { 1.0 } else { -1.0 };
                }
                for i in 0..d {
                    plus[i] = theta[i] + ck * delta[i];
                    minus[i] = theta[i] - ck * delta[i];
                }
                let seed_plus = rng.next_u64();
                let seed_minus =
                    if self.common_random_numbers { seed_plus } else { rng.next_u64() };
                let (y_plus, y_minus) =
                    pair(Pair { plus: &plus, seed_plus, minus: &minus, seed_minus })?;
                for (y, iteration) in [(y_plus, k), (y_minus, k)] {
                    if !y.is_finite() {
                        return Err(LearnError::ObjectiveNotFinite { iteration, value: y }.into());
                    }
                }
                y_plus_mean += y_plus / self.perturbations as f64;
                y_minus_mean += y_minus / self.perturbations as f64;
                for i in 0..d {
                    grad[i] +=
                        (y_plus - y_minus) / (2.0 * ck * delta[i]) / self.perturbations as f64;
                }
            }
            for i in 0..d {
                theta[i] += ak * grad[i];
            }
            if k >= self.average_from {
                for i in 0..d {
                    sum[i] += theta[i];
                }
                averaged_count += 1;
            }
            observer(&SpsaStep {
                iteration: k,
                theta: &theta,
                y_plus: y_plus_mean,
                y_minus: y_minus_mean,
                gain: ak,
                perturbation: ck,
            });
        }
        let averaged = if averaged_count > 0 {
            sum.iter().map(|s| s / averaged_count as f64).collect()
        } else {
            theta.clone()
        };
        Ok(SpsaResult { theta, averaged })
    }
}

/// The two evaluations of one gradient estimate: f(θ₊, seed₊) and f(θ₋, seed₋), with
/// θ± = θ ± c_k Δ (the seeds are equal under common random numbers).
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    /// θ₊.
    pub plus: &'a [f64],
    /// The noise seed of y₊.
    pub seed_plus: u64,
    /// θ₋.
    pub minus: &'a [f64],
    /// The noise seed of y₋.
    pub seed_minus: u64,
}

/// y₊ then y₋ from one objective, y₊'s error first.
fn one_by_one<F, E>(objective: &mut F, p: Pair<'_>) -> Result<(f64, f64), E>
where
    F: FnMut(&[f64], u64) -> Result<f64, E>,
{
    let y_plus = objective(p.plus, p.seed_plus)?;
    Ok((y_plus, objective(p.minus, p.seed_minus)?))
}

/// What an observer sees after a step.
#[derive(Debug)]
pub struct SpsaStep<'a> {
    /// The step index k.
    pub iteration: usize,
    /// θ after the step.
    pub theta: &'a [f64],
    /// Mean y₊ of the step.
    pub y_plus: f64,
    /// Mean y₋ of the step.
    pub y_minus: f64,
    /// a_k.
    pub gain: f64,
    /// c_k.
    pub perturbation: f64,
}

/// The outcome of an SPSA run.
#[derive(Debug, Clone, PartialEq)]
pub struct SpsaResult {
    /// The last iterate.
    pub theta: Vec<f64>,
    /// The Polyak–Ruppert average of the iterates from `average_from` on.
    pub averaged: Vec<f64>,
}
