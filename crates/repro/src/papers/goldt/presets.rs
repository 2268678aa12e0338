//! Every number of every preset of Goldt & Seifert's figures, with the validation that
//! each params type runs, including the learning forces of the bound check.

use anyhow::{Result, ensure};
use models::goldt::{LearningForce, Scheme};
use serde::Serialize;

use crate::pipeline::{Params, Preset};

/// Settings shared by the simulated figures (`goldt/fig2`, `goldt/bound`).
#[derive(Debug, Clone, Serialize)]
pub struct SimSettings {
    /// Trajectories per simulated point.
    pub trajectories: usize,
    /// Euler step.
    pub dt: f64,
    /// Label rate prefactor γ (paper: γ ≫ 1).
    pub gamma: f64,
    /// Relaxation time added after the protocol (t_end = τ + this; the paper's t → ∞).
    pub relax: f64,
    /// Histogram bin for ΔS(ω).
    pub entropy_bin: f64,
    /// Batches for the error bars.
    pub batches: usize,
}

impl SimSettings {
    fn new(preset: Preset) -> Self {
        let trajectories = match preset {
            Preset::Quick => 4_000,
            Preset::Paper => 20_000,
        };
        Self { trajectories, dt: 0.005, gamma: 100.0, relax: 10.0, entropy_bin: 0.05, batches: 20 }
    }

    fn validate(&self) -> Result<()> {
        ensure!(
            self.batches >= 2 && self.trajectories >= 2 * self.batches,
            "need batches ≥ 2 and at least two trajectories per batch (trajectories = {}, batches = {})",
            self.trajectories,
            self.batches
        );
        for (name, v) in [
            ("dt", self.dt),
            ("gamma", self.gamma),
            ("relax", self.relax),
            ("entropy_bin", self.entropy_bin),
        ] {
            ensure!(v > 0.0 && v.is_finite(), "{name} = {v} must be finite and > 0");
        }
        Ok(())
    }
}

/// Parameters of `goldt/fig2`.
#[derive(Debug, Clone, Serialize)]
pub struct Fig2Params {
    /// Learning rates ν of the curves (paper: unstated).
    pub nus: Vec<f64>,
    /// τ from 10^tau_log_min to 10^tau_log_max.
    pub tau_log_min: f64,
    /// Upper end of the τ range (log10).
    pub tau_log_max: f64,
    /// Points per curve.
    pub n_tau: usize,
    /// τ values simulated for each ν.
    pub sim_taus: Vec<f64>,
    /// Simulation settings.
    #[serde(flatten)]
    pub sim: SimSettings,
}

impl Params for Fig2Params {
    fn preset(preset: Preset) -> Self {
        let n_tau = match preset {
            Preset::Quick => 41,
            Preset::Paper => 101,
        };
        Self {
            nus: vec![0.5, 1.0, 2.0, 4.0],
            tau_log_min: -2.0,
            tau_log_max: 3.0,
            n_tau,
            sim_taus: vec![0.1, 1.0, 10.0],
            sim: SimSettings::new(preset),
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(self.n_tau >= 2, "n_tau = {} must be at least 2", self.n_tau);
        ensure!(self.tau_log_min < self.tau_log_max, "the τ range is empty");
        ensure!(!self.nus.is_empty(), "nus is empty");
        self.sim.validate()
    }
}

/// Parameters of `goldt/fig3` and its inset.
#[derive(Debug, Clone, Serialize)]
pub struct Fig3Params {
    /// Learning rates ν (paper: unstated).
    pub nus: Vec<f64>,
    /// α range of the theory curves: (0, alpha_max].
    pub alpha_max: f64,
    /// Points per theory curve.
    pub n_alpha: usize,
    /// α values of the Monte Carlo points.
    pub mc_alphas: Vec<f64>,
    /// N of the Monte Carlo (paper: 10⁴).
    pub mc_n: usize,
    /// Independent pattern sets per Monte Carlo point.
    pub mc_realisations: usize,
}

impl Params for Fig3Params {
    fn preset(preset: Preset) -> Self {
        let base = Self {
            nus: vec![0.5, 1.0, 2.0, 5.0],
            alpha_max: 3.0,
            n_alpha: 121,
            mc_alphas: vec![0.1, 0.25, 0.5, 1.0, 2.0, 3.0],
            mc_n: 10_000,
            mc_realisations: 10,
        };
        match preset {
            Preset::Quick => {
                Self { mc_alphas: vec![0.25, 1.0, 2.0], mc_realisations: 3, n_alpha: 61, ..base }
            }
            Preset::Paper => base,
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(
            self.mc_realisations >= 2,
            "mc_realisations = {}: need at least 2 Monte Carlo realisations for an error bar",
            self.mc_realisations
        );
        ensure!(self.n_alpha >= 2 && self.alpha_max > 0.0, "the α grid is empty");
        ensure!(self.mc_n >= 1, "mc_n must be at least 1");
        Ok(())
    }
}

/// Which weights a bound case learns with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Weights {
    /// One weight, one sample ξ = 1 (N = P = 1).
    One,
    /// N weights with P random ±1 patterns (the `n`, `p` of [`BoundParams`]).
    Patterns,
}

/// One case of the bound check.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct BoundCase {
    /// Short id: names the case's random stream, so cases can be added or reordered.
    pub id: &'static str,
    /// The weights.
    pub weights: Weights,
    /// The learning force.
    pub force: LearningForce,
    /// Batch or online learning.
    pub scheme: Scheme,
}

/// Parameters of `goldt/bound`.
#[derive(Debug, Clone, Serialize)]
pub struct BoundParams {
    /// Simulation settings.
    #[serde(flatten)]
    pub sim: SimSettings,
    /// N of the multi-weight cases.
    pub n: usize,
    /// Number of samples P.
    pub p: usize,
    /// The cases, in table order.
    pub cases: Vec<BoundCase>,
}

impl Params for BoundParams {
    fn preset(preset: Preset) -> Self {
        use LearningForce::{Ramp, Stiffening, Switch};
        let case = |id, weights, force, scheme| BoundCase { id, weights, force, scheme };
        Self {
            sim: SimSettings::new(preset),
            n: 4,
            p: 3,
            cases: vec![
                case("one_ramp", Weights::One, Ramp { nu: 2.0, tau: 1.0 }, Scheme::Batch),
                case("one_switch", Weights::One, Switch { nu: 2.0 }, Scheme::Batch),
                case(
                    "one_stiffening",
                    Weights::One,
                    Stiffening { nu: 2.0, lambda: 1.0, tau: 1.0 },
                    Scheme::Batch,
                ),
                case("n_ramp", Weights::Patterns, Ramp { nu: 1.0, tau: 1.0 }, Scheme::Batch),
                case(
                    "n_stiffening",
                    Weights::Patterns,
                    Stiffening { nu: 1.0, lambda: 1.0, tau: 1.0 },
                    Scheme::Batch,
                ),
                case(
                    "n_online_ramp",
                    Weights::Patterns,
                    Ramp { nu: 1.0, tau: 1.0 },
                    Scheme::Online,
                ),
            ],
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(self.n >= 1 && self.p >= 1, "n = {} and p = {} must be ≥ 1", self.n, self.p);
        ensure!(!self.cases.is_empty(), "no bound cases");
        for (i, a) in self.cases.iter().enumerate() {
            ensure!(
                self.cases[..i].iter().all(|b| b.id != a.id),
                "two bound cases share the id {:?} (it keys their random streams)",
                a.id
            );
        }
        self.sim.validate()
    }
}
