//! Simulation of Goldt & Seifert's learning neuron: the weights' Langevin equation with a
//! time-dependent learning force and the predicted labels' jump processes, run together;
//! and the Monte Carlo of Fig. 3 in the thermodynamic limit.
//!
//! Weights: Euler–Maruyama with Sekimoto bookkeeping (`langevin::SekimotoEuler`), so the
//! heat ΔQ is measured along each trajectory (Stratonovich). Every learning force here
//! derives from a time-dependent potential U(ω, t) = ω²/2 + U_L(ω, t) with f = −∂U_L/∂ω.
//! Labels: each σ^μ is a two-state process with k± = γ e^{±A^μ/2}; over a step dt with ω
//! held fixed it is propagated exactly, P(σ' = +1) = π₊ + (1[σ = +1] − π₊) e^{−(k₊+k₋)dt},
//! π₊ = k₊/(k₊ + k₋).
//!
//! Estimators (all from the ensemble, with standard errors from batch means):
//! - ΔS(ω_n): the change of the histogram entropy (Miller–Madow corrected) of ω_n between
//!   the start and the end; the same estimator on both ends cancels most of its bias.
//! - I(σ_T^μ : σ^μ): plug-in mutual information of the 2 × 2 table of (σ_T^μ, σ^μ) minus
//!   its leading bias 1/(2n).

use langevin::{Brownian, Potential, SekimotoEuler};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

use crate::ModelError;
use crate::error::finite;

/// A learning force f(ω, F, t) on a weight whose Hebbian target is F (F = σ_T ξ for one
/// weight; F_n = Σ_μ ξ_n^μ σ_T^μ/√N for batch learning).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LearningForce {
    /// The linear ramp (12): f = ν F min(t/τ, 1).
    Ramp {
        /// Learning rate ν.
        nu: f64,
        /// Duration τ > 0.
        tau: f64,
    },
    /// A sudden switch: f = ν F for t > 0 (the τ → 0 limit of the ramp).
    Switch {
        /// Learning rate ν.
        nu: f64,
    },
    /// A force that depends on ω: f = r(t)(ν F − λ ω), r = min(t/τ, 1). The Hebbian pull
    /// plus a learnt stiffening of the weight's trap (final state N(νF/(1+λ), 1/(1+λ))).
    Stiffening {
        /// Learning rate ν.
        nu: f64,
        /// Extra stiffness λ > −1.
        lambda: f64,
        /// Duration τ > 0.
        tau: f64,
    },
}

impl LearningForce {
    /// Checks the parameters.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] naming the bad value.
    pub fn validate(&self) -> Result<(), ModelError> {
        let positive = |name, v: f64| -> Result<(), ModelError> {
            if finite(name, v)? > 0.0 {
                Ok(())
            } else {
                Err(ModelError::InvalidParameter { name, value: v, requirement: "must be > 0" })
            }
        };
        match *self {
            LearningForce::Ramp { nu, tau } => {
                finite("nu", nu)?;
                positive("tau", tau)
            }
            LearningForce::Switch { nu } => finite("nu", nu).map(|_| ()),
            LearningForce::Stiffening { nu, lambda, tau } => {
                finite("nu", nu)?;
                if !(finite("lambda", lambda)? > -1.0) {
                    return Err(ModelError::InvalidParameter {
                        name: "lambda",
                        value: lambda,
                        requirement: "must be > −1 (the trap must stay confining)",
                    });
                }
                positive("tau", tau)
            }
        }
    }

    /// A short name for tables.
    pub fn name(&self) -> &'static str {
        match self {
            LearningForce::Ramp { .. } => "ramp",
            LearningForce::Switch { .. } => "switch",
            LearningForce::Stiffening { .. } => "stiffening",
        }
    }

    /// The protocol's progress r(t) ∈ [0, 1].
    fn progress(&self, t: f64) -> f64 {
        match *self {
            LearningForce::Ramp { tau, .. } | LearningForce::Stiffening { tau, .. } => {
                (t / tau).clamp(0.0, 1.0)
            }
            LearningForce::Switch { .. } => {
                if t > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// U_L(ω, t), with f = −∂U_L/∂ω.
    pub fn potential(&self, omega: f64, big_f: f64, t: f64) -> f64 {
        let r = self.progress(t);
        match *self {
            LearningForce::Ramp { nu, .. } | LearningForce::Switch { nu } => {
                -r * nu * big_f * omega
            }
            LearningForce::Stiffening { nu, lambda, .. } => {
                r * (-nu * big_f * omega + 0.5 * lambda * omega * omega)
            }
        }
    }

    /// f(ω, F, t).
    pub fn force(&self, omega: f64, big_f: f64, t: f64) -> f64 {
        let r = self.progress(t);
        match *self {
            LearningForce::Ramp { nu, .. } | LearningForce::Switch { nu } => r * nu * big_f,
            LearningForce::Stiffening { nu, lambda, .. } => r * (nu * big_f - lambda * omega),
        }
    }

    /// When the protocol has finished changing (0 for the switch).
    pub fn duration(&self) -> f64 {
        match *self {
            LearningForce::Ramp { tau, .. } | LearningForce::Stiffening { tau, .. } => tau,
            LearningForce::Switch { .. } => 0.0,
        }
    }
}

/// How the samples drive the weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// Batch learning (14): F_n = Σ_μ ξ_n^μ σ_T^μ / √N, constant.
    Batch,
    /// Online learning (15): the force uses one sample μ(t) at a time, F_n(t) =
    /// (P/√N) ξ_n^{μ(t)} σ_T^{μ(t)}, with μ(t) drawn afresh (uniformly) every step, so that
    /// its average over μ is the batch F_n.
    Online,
}

/// The potential of all N weights for one trajectory: Σ_n [ω_n²/2 + U_L(ω_n, F_n(t), t)].
struct Weights<'a> {
    force: LearningForce,
    /// Batch: F_n. Online: the current (P/√N) ξ_n^μ σ_T^μ, refreshed by the driver.
    targets: &'a [f64],
}

impl Potential for Weights<'_> {
    fn dim(&self) -> usize {
        self.targets.len()
    }
    fn energy(&self, t: f64, x: &[f64]) -> f64 {
        x.iter().zip(self.targets).map(|(&w, &f)| 0.5 * w * w + self.force.potential(w, f, t)).sum()
    }
    fn gradient(&self, t: f64, x: &[f64], out: &mut [f64]) {
        for ((o, &w), &f) in out.iter_mut().zip(x).zip(self.targets) {
            *o = w - self.force.force(w, f, t);
        }
    }
}

/// A learning neuron: N weights, P fixed patterns ξ^μ ∈ {±1}^N.
#[derive(Debug, Clone, PartialEq)]
pub struct Neuron {
    /// Patterns, row μ of length N.
    pub patterns: Vec<Vec<f64>>,
    /// The learning force.
    pub force: LearningForce,
    /// Batch or online.
    pub scheme: Scheme,
    /// Label rate prefactor γ (≫ 1).
    pub gamma: f64,
    /// Integration step.
    pub dt: f64,
    /// End time (long after the protocol: the paper's t → ∞).
    pub t_end: f64,
}

/// One trajectory's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// σ_T^μ.
    pub labels_true: Vec<i8>,
    /// σ^μ at t_end.
    pub labels_predicted: Vec<i8>,
    /// ω at t = 0.
    pub omega_start: Vec<f64>,
    /// ω at t_end.
    pub omega_end: Vec<f64>,
    /// Heat released by all weights (Sekimoto, Stratonovich).
    pub heat: f64,
}

impl Neuron {
    /// Validates the setup.
    ///
    /// # Errors
    /// Empty or ragged patterns, entries other than ±1, bad force, γ, dt or t_end.
    pub fn validate(&self) -> Result<(), ModelError> {
        let n = self.patterns.first().map_or(0, Vec::len);
        if n == 0 {
            return Err(ModelError::InvalidParameter {
                name: "patterns",
                value: 0.0,
                requirement: "need P ≥ 1 patterns of N ≥ 1 entries",
            });
        }
        for row in &self.patterns {
            if row.len() != n {
                return Err(ModelError::InvalidParameter {
                    name: "pattern length",
                    value: row.len() as f64,
                    requirement: "all patterns need the same N",
                });
            }
            if let Some(&v) = row.iter().find(|&&v| v != 1.0 && v != -1.0) {
                return Err(ModelError::InvalidParameter {
                    name: "pattern entry",
                    value: v,
                    requirement: "must be ±1",
                });
            }
        }
        self.force.validate()?;
        for (name, v) in [("gamma", self.gamma), ("dt", self.dt)] {
            if !(finite(name, v)? > 0.0) {
                return Err(ModelError::InvalidParameter {
                    name,
                    value: v,
                    requirement: "must be > 0",
                });
            }
        }
        if !(finite("t_end", self.t_end)? > self.force.duration()) {
            return Err(ModelError::InvalidParameter {
                name: "t_end",
                value: self.t_end,
                requirement: "must exceed the protocol duration",
            });
        }
        Ok(())
    }

    /// Number of weights N.
    pub fn n(&self) -> usize {
        self.patterns[0].len()
    }

    /// Number of samples P.
    pub fn p(&self) -> usize {
        self.patterns.len()
    }

    /// One trajectory from the paper's initial state (ω ~ N(0, I), labels uniform).
    ///
    /// # Errors
    /// Invalid setup, or a diverging weight.
    pub fn run<R: Rng + ?Sized>(&self, rng: &mut R) -> Result<Outcome, ModelError> {
        self.validate()?;
        let (n, p) = (self.n(), self.p());
        let sqrt_n = (n as f64).sqrt();
        let labels_true: Vec<i8> =
            (0..p).map(|_| if rng.random::<bool>() { 1 } else { -1 }).collect();
        let mut sigma: Vec<i8> =
            (0..p).map(|_| if rng.random::<bool>() { 1 } else { -1 }).collect();
        let mut omega: Vec<f64> = (0..n).map(|_| StandardNormal.sample(rng)).collect();
        let omega_start = omega.clone();
        let batch: Vec<f64> = (0..n)
            .map(|i| {
                (0..p).map(|mu| self.patterns[mu][i] * f64::from(labels_true[mu])).sum::<f64>()
                    / sqrt_n
            })
            .collect();
        let mut targets = batch.clone();
        let mut sek = SekimotoEuler::new(n, self.dt)?;
        let steps = (self.t_end / self.dt).ceil() as usize;
        let mut heat = 0.0;
        for k in 0..steps {
            let t = k as f64 * self.dt;
            if self.scheme == Scheme::Online {
                let mu = rng.random_range(0..p);
                let scale = p as f64 / sqrt_n * f64::from(labels_true[mu]);
                for (tg, &xi) in targets.iter_mut().zip(&self.patterns[mu]) {
                    *tg = scale * xi;
                }
            }
            let weights = Weights { force: self.force, targets: &targets };
            let model = Brownian::new(weights, 1.0, 1.0)?;
            let (_, q) = sek.step(&model, t, &mut omega, rng);
            heat += q;
            for (mu, s) in sigma.iter_mut().enumerate() {
                let a =
                    self.patterns[mu].iter().zip(&omega).map(|(x, w)| x * w).sum::<f64>() / sqrt_n;
                let (kp, km) = (self.gamma * (0.5 * a).exp(), self.gamma * (-0.5 * a).exp());
                let pi_plus = kp / (kp + km);
                let decay = (-(kp + km) * self.dt).exp();
                let up = pi_plus + (if *s > 0 { 1.0 } else { 0.0 } - pi_plus) * decay;
                *s = if rng.random::<f64>() < up { 1 } else { -1 };
            }
        }
        if let Some(i) = omega.iter().position(|w| !w.is_finite()) {
            return Err(ModelError::InvalidParameter {
                name: "weight (diverged; reduce dt)",
                value: i as f64,
                requirement: "must stay finite",
            });
        }
        Ok(Outcome { labels_true, labels_predicted: sigma, omega_start, omega_end: omega, heat })
    }
}

/// Differential entropy (nats) of samples from a histogram with bins of width `bin`,
/// Miller–Madow corrected: −Σ p̂_k ln(p̂_k / bin) + (K − 1)/(2n), K the occupied bins.
pub fn histogram_entropy(samples: &[f64], bin: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut keys: Vec<i64> = samples.iter().map(|x| (x / bin).floor() as i64).collect();
    keys.sort_unstable();
    let n = samples.len() as f64;
    let mut h = 0.0;
    let mut occupied = 0usize;
    let mut i = 0;
    while i < keys.len() {
        let mut j = i;
        while j < keys.len() && keys[j] == keys[i] {
            j += 1;
        }
        let p = (j - i) as f64 / n;
        h -= p * (p / bin).ln();
        occupied += 1;
        i = j;
    }
    h + (occupied as f64 - 1.0) / (2.0 * n)
}

/// Plug-in mutual information (nats) of two ±1 variables from paired samples, minus the
/// leading bias 1/(2n) of the 2 × 2 table.
pub fn binary_pair_information(a: &[i8], b: &[i8]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return f64::NAN;
    }
    let mut c = [[0usize; 2]; 2];
    for (&x, &y) in a.iter().zip(b) {
        c[usize::from(x > 0)][usize::from(y > 0)] += 1;
    }
    let nf = n as f64;
    let row = [c[0][0] + c[0][1], c[1][0] + c[1][1]];
    let col = [c[0][0] + c[1][0], c[0][1] + c[1][1]];
    let mut mi = 0.0;
    for i in 0..2 {
        for j in 0..2 {
            if c[i][j] > 0 {
                let pij = c[i][j] as f64 / nf;
                mi += pij * (pij * nf * nf / (row[i] as f64 * col[j] as f64)).ln();
            }
        }
    }
    mi - 1.0 / (2.0 * nf)
}

/// A value with its standard error.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Estimate {
    /// The estimate from all samples.
    pub value: f64,
    /// Standard error from batch means.
    pub se: f64,
}

/// What the bound (10)/(16) compares, from an ensemble of trajectories.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct BoundTerms {
    /// Σ_μ I(σ_T^μ : σ^μ).
    pub information: Estimate,
    /// Σ_n ΔS(ω_n).
    pub entropy_change: Estimate,
    /// Σ_n ΔQ_n (mean heat).
    pub heat: Estimate,
    /// Σ_n ΔS(ω_n) + ΔQ_n.
    pub entropy_production: Estimate,
    /// η = I / (ΔS + ΔQ).
    pub eta: Estimate,
}

fn terms_of(outcomes: &[&Outcome], bin: f64) -> [f64; 3] {
    let (n, p) = (outcomes[0].omega_end.len(), outcomes[0].labels_true.len());
    let info: f64 = (0..p)
        .map(|mu| {
            let a: Vec<i8> = outcomes.iter().map(|o| o.labels_true[mu]).collect();
            let b: Vec<i8> = outcomes.iter().map(|o| o.labels_predicted[mu]).collect();
            binary_pair_information(&a, &b)
        })
        .sum();
    let ds: f64 = (0..n)
        .map(|i| {
            let end: Vec<f64> = outcomes.iter().map(|o| o.omega_end[i]).collect();
            let start: Vec<f64> = outcomes.iter().map(|o| o.omega_start[i]).collect();
            histogram_entropy(&end, bin) - histogram_entropy(&start, bin)
        })
        .sum();
    let heat = outcomes.iter().map(|o| o.heat).sum::<f64>() / outcomes.len() as f64;
    [info, ds, heat]
}

/// Estimates the terms of the bound from trajectories, with batch-mean errors over
/// `batches` consecutive batches. `bin` is the histogram bin width for ΔS.
///
/// # Errors
/// Fewer than 2 batches or fewer trajectories than batches.
pub fn bound_terms(
    outcomes: &[Outcome],
    batches: usize,
    bin: f64,
) -> Result<BoundTerms, ModelError> {
    if batches < 2 || outcomes.len() < 2 * batches {
        return Err(ModelError::InvalidParameter {
            name: "batches",
            value: batches as f64,
            requirement: "need ≥ 2 batches of ≥ 2 trajectories",
        });
    }
    let all: Vec<&Outcome> = outcomes.iter().collect();
    let whole = terms_of(&all, bin);
    let size = outcomes.len() / batches;
    let per: Vec<[f64; 3]> =
        (0..batches).map(|b| terms_of(&all[b * size..(b + 1) * size], bin)).collect();
    let se_of = |f: &dyn Fn(&[f64; 3]) -> f64| {
        let m = per.iter().map(f).sum::<f64>() / batches as f64;
        let var = per.iter().map(|x| (f(x) - m).powi(2)).sum::<f64>() / (batches - 1) as f64;
        (var / batches as f64).sqrt()
    };
    let est = |f: &dyn Fn(&[f64; 3]) -> f64| Estimate { value: f(&whole), se: se_of(f) };
    Ok(BoundTerms {
        information: est(&|x| x[0]),
        entropy_change: est(&|x| x[1]),
        heat: est(&|x| x[2]),
        entropy_production: est(&|x| x[1] + x[2]),
        eta: est(&|x| x[0] / (x[1] + x[2])),
    })
}

/// The Monte Carlo of Fig. 3: one realisation of P = αN random patterns and labels,
/// returning for each sample the two parts of its stability Δ^μ = ν a_μ + b_μ, with
/// a_μ = σ_T^μ F·ξ^μ/√N (the Hebbian part, per unit ν) and b_μ = σ_T^μ y·ξ^μ/√N (thermal
/// part), where ω = νF + y, F = Σ_μ ξ^μ σ_T^μ/√N, y ~ N(0, I) (S58). Patterns are stored
/// as bits (64 entries per word), so N = 10⁴ and P = 3·10⁴ take a few hundred ms.
pub fn hebbian_stabilities<R: Rng + ?Sized>(
    n: usize,
    p: usize,
    rng: &mut R,
) -> (Vec<f64>, Vec<f64>) {
    let words = n.div_ceil(64);
    let bits: Vec<u64> = (0..p * words).map(|_| rng.next_u64()).collect();
    let labels: Vec<bool> = (0..p).map(|_| rng.random::<bool>()).collect();
    // c_n = Σ_μ σ_T^μ ξ_n^μ, with ξ = +1 for a set bit; σ_T = −1 flips every bit.
    let mut counts = vec![0i32; words * 64];
    for mu in 0..p {
        let flip = if labels[mu] { 0 } else { u64::MAX };
        for w in 0..words {
            let word = bits[mu * words + w] ^ flip;
            let c = &mut counts[w * 64..w * 64 + 64];
            for (k, ck) in c.iter_mut().enumerate() {
                *ck += ((word >> k) & 1) as i32 * 2 - 1;
            }
        }
    }
    let sqrt_n = (n as f64).sqrt();
    let f: Vec<f64> =
        (0..words * 64).map(|i| if i < n { f64::from(counts[i]) / sqrt_n } else { 0.0 }).collect();
    let y: Vec<f64> =
        (0..words * 64).map(|i| if i < n { StandardNormal.sample(rng) } else { 0.0 }).collect();
    let mut a = Vec::with_capacity(p);
    let mut b = Vec::with_capacity(p);
    for mu in 0..p {
        let (mut sf, mut sy) = (0.0, 0.0);
        for w in 0..words {
            let word = bits[mu * words + w];
            let (fw, yw) = (&f[w * 64..w * 64 + 64], &y[w * 64..w * 64 + 64]);
            for k in 0..64 {
                let s = if (word >> k) & 1 == 1 { 1.0 } else { -1.0 };
                sf += s * fw[k];
                sy += s * yw[k];
            }
        }
        let sign = if labels[mu] { 1.0 } else { -1.0 };
        a.push(sign * sf / sqrt_n);
        b.push(sign * sy / sqrt_n);
    }
    (a, b)
}

/// From one realisation's stabilities, the fraction of samples whose predicted label
/// (drawn with p(σ = σ_T) = sigmoid(Δ)) is correct, at learning rate ν.
pub fn fraction_correct<R: Rng + ?Sized>(a: &[f64], b: &[f64], nu: f64, rng: &mut R) -> f64 {
    let correct = a
        .iter()
        .zip(b)
        .filter(|&(&ai, &bi)| rng.random::<f64>() < super::analytic::sigmoid(nu * ai + bi))
        .count();
    correct as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goldt::analytic::{HebbianLimit, OneWeight, heat_ramp};

    #[test]
    fn histogram_entropy_of_a_gaussian() {
        let mut rng = streams::stream_rng(1, 0);
        let x: Vec<f64> = (0..200_000)
            .map(|_| {
                let z: f64 = StandardNormal.sample(&mut rng);
                2.0 * z
            })
            .collect();
        let exact = 0.5 * (2.0 * std::f64::consts::PI * std::f64::consts::E * 4.0).ln();
        assert!((histogram_entropy(&x, 0.05) - exact).abs() < 0.01);
    }

    #[test]
    fn one_weight_simulation_matches_heat_entropy_and_information() {
        let (nu, tau) = (2.0, 1.0);
        let neuron = Neuron {
            patterns: vec![vec![1.0]],
            force: LearningForce::Ramp { nu, tau },
            scheme: Scheme::Batch,
            gamma: 100.0,
            dt: 0.002,
            t_end: tau + 10.0,
        };
        let outcomes = streams::ensemble(20_000, 3, || (), |_, _, rng| neuron.run(rng).unwrap());
        let terms = bound_terms(&outcomes, 20, 0.05).unwrap();
        let exact = OneWeight::new(nu, tau).unwrap().efficiency();
        // Euler bias in the heat is O(dt) ~ 1e-3 relative; statistical errors dominate.
        assert!(
            (terms.heat.value - heat_ramp(nu, 1.0, tau)).abs() < 4.0 * terms.heat.se + 0.005,
            "{terms:?} vs {exact:?}"
        );
        assert!(
            (terms.entropy_change.value - exact.entropy_change).abs()
                < 4.0 * terms.entropy_change.se + 0.01,
            "{terms:?} vs {exact:?}"
        );
        assert!(
            (terms.information.value - exact.information).abs() < 4.0 * terms.information.se,
            "{terms:?} vs {exact:?}"
        );
        assert!(
            terms.information.value
                <= terms.entropy_production.value + 4.0 * terms.entropy_production.se
        );
    }

    #[test]
    fn monte_carlo_stabilities_have_the_predicted_law() {
        let mut rng = streams::stream_rng(2, 0);
        let (n, p) = (2000, 1000);
        let (a, b) = hebbian_stabilities(n, p, &mut rng);
        // Δ = ν a + b: mean ν, variance 1 + αν² (S61). Check a (mean 1, var α) and b (var 1).
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let var = |v: &[f64]| {
            let m = mean(v);
            v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64
        };
        let alpha = p as f64 / n as f64;
        assert!((mean(&a) - 1.0).abs() < 4.0 * (alpha / p as f64).sqrt());
        assert!((var(&a) - alpha).abs() < 0.15 * alpha);
        assert!((var(&b) - 1.0).abs() < 0.15);
        let h = HebbianLimit::new(alpha, 2.0).unwrap();
        let pc = fraction_correct(&a, &b, 2.0, &mut rng);
        assert!((pc - h.p_correct()).abs() < 4.0 * (0.25 / p as f64).sqrt() + 0.02);
    }

    #[test]
    fn bad_setups_are_rejected() {
        let mut n = Neuron {
            patterns: vec![vec![1.0, 0.5]],
            force: LearningForce::Ramp { nu: 1.0, tau: 1.0 },
            scheme: Scheme::Batch,
            gamma: 10.0,
            dt: 0.01,
            t_end: 5.0,
        };
        assert!(n.validate().is_err());
        n.patterns = vec![vec![1.0, -1.0]];
        assert!(n.validate().is_ok());
        n.force = LearningForce::Stiffening { nu: 1.0, lambda: -2.0, tau: 1.0 };
        assert!(n.validate().is_err());
        n.force = LearningForce::Ramp { nu: 1.0, tau: 10.0 };
        assert!(n.validate().is_err(), "t_end before the protocol ends");
    }
}
