//! Simulation of Goldt & Seifert's learning neuron: the weights' Langevin equation with a
//! time-dependent learning force and the predicted labels' jump processes, run together.
//!
//! Weights: Euler–Maruyama with Sekimoto bookkeeping (`langevin::SekimotoEuler`), so the
//! heat ΔQ is measured along each trajectory (Stratonovich). Labels: each σ^μ is a
//! two-state process with k± = γ e^{±A^μ/2}; over a step dt with ω held fixed it is
//! propagated exactly, P(σ' = +1) = π₊ + (1[σ = +1] − π₊) e^{−(k₊+k₋)dt},
//! π₊ = k₊/(k₊ + k₋).

use langevin::{Brownian, Potential, SekimotoEuler};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

use super::protocol::{LearningForce, Scheme};
use crate::ModelError;
use crate::error::finite;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goldt::analytic::{OneWeight, heat_ramp};
    use crate::goldt::bound::bound_terms;

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
