//! Every number of every preset of the springs-and-sticks figures. Defaults follow what
//! the authors' code ran (`bestquark/springs-and-sticks`, read, never copied; see
//! `shared/notes/springs-reference-protocol.md`); where the paper differs, the other
//! reading is a field.

use anyhow::{Result, ensure};
use models::springs::{MassConvention, NoiseModel};
use serde::Serialize;

use crate::pipeline::{Params, Preset};

/// Euler–Maruyama step of the reference (torchsde's default).
pub const REFERENCE_DT: f64 = 1e-3;

fn positive(name: &str, v: f64) -> Result<()> {
    ensure!(v > 0.0 && v.is_finite(), "{name} = {v} must be finite and > 0");
    Ok(())
}

fn all_positive(name: &str, v: &[f64]) -> Result<()> {
    ensure!(!v.is_empty(), "{name} must not be empty");
    v.iter().try_for_each(|&x| positive(name, x))
}

/// The physical constants shared by a figure's runs.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Constants {
    /// Boltzmann's constant k_B (J/K in SI; 1 in reduced units).
    pub boltzmann: f64,
    /// What the mass M is (the code: M shared by the Π N_s edges).
    pub mass_convention: MassConvention,
    /// The velocity noise (the code's isotropic noise, or FDT-consistent).
    pub noise: NoiseModel,
    /// Euler–Maruyama step dt.
    pub dt: f64,
}

impl Constants {
    fn si() -> Self {
        Self {
            boltzmann: models::springs::BOLTZMANN_SI,
            mass_convention: MassConvention::Shared,
            noise: NoiseModel::Code,
            dt: REFERENCE_DT,
        }
    }

    fn validate(&self) -> Result<()> {
        positive("boltzmann", self.boltzmann)?;
        positive("dt", self.dt)
    }
}

/// `springs/fig1b`: one stick fitting f = 0.
#[derive(Debug, Clone, Serialize)]
pub struct Fig1bParams {
    /// Data points on [0, 2π] (evenly spaced, as the reference).
    pub n_points: usize,
    /// Friction per unit mass γ of the curves.
    pub gammas: Vec<f64>,
    /// Temperatures T (reduced units, k_B = 1).
    pub temperatures: Vec<f64>,
    /// Spring stiffness k.
    pub stiffness: f64,
    /// Mass M.
    pub mass: f64,
    /// Run length (time units).
    pub t_end: f64,
    /// Record x₀ every this many steps.
    pub record_every: usize,
    /// Initial state: `initial_scale` · U(0, 1) for every coordinate, drawn once and shared
    /// by all runs (the reference: 0.5).
    pub initial_scale: f64,
    /// Trajectories of the ensemble that measures the late-time spread of x₀.
    pub ensemble: usize,
    /// Constants (k_B = 1 here, as the reference's Fig. 1b).
    pub constants: Constants,
}

impl Params for Fig1bParams {
    fn preset(preset: Preset) -> Self {
        Self {
            n_points: 20,
            gammas: vec![2.0, 4.0, 8.0, 16.0],
            temperatures: vec![1e-4, 1e-3, 1e-2, 1e-1],
            stiffness: 1.0,
            mass: 1.0,
            t_end: 5.0,
            record_every: 5,
            initial_scale: 0.5,
            ensemble: match preset {
                Preset::Quick => 200,
                Preset::Paper => 2000,
            },
            constants: Constants { boltzmann: 1.0, ..Constants::si() },
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(self.n_points >= 2, "n_points = {} must be at least 2", self.n_points);
        all_positive("gammas", &self.gammas)?;
        all_positive("temperatures", &self.temperatures)?;
        for (n, v) in [("stiffness", self.stiffness), ("mass", self.mass), ("t_end", self.t_end)] {
            positive(n, v)?;
        }
        ensure!(self.record_every >= 1, "record_every must be at least 1");
        ensure!(self.ensemble >= 2, "ensemble = {} must be at least 2", self.ensemble);
        self.constants.validate()
    }
}

/// The target functions of `springs/fig5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target1d {
    /// x².
    Square,
    /// x³.
    Cube,
    /// sin x.
    Sin,
    /// cos x.
    Cos,
    /// exp(x/π).
    ExpOverPi,
    /// 0.
    Zero,
}

impl Target1d {
    /// f(u).
    pub fn eval(self, u: f64) -> f64 {
        match self {
            Target1d::Square => u * u,
            Target1d::Cube => u * u * u,
            Target1d::Sin => u.sin(),
            Target1d::Cos => u.cos(),
            Target1d::ExpOverPi => (u / std::f64::consts::PI).exp(),
            Target1d::Zero => 0.0,
        }
    }

    /// "x²", "sin x", …
    pub fn label(self) -> &'static str {
        match self {
            Target1d::Square => "x²",
            Target1d::Cube => "x³",
            Target1d::Sin => "sin x",
            Target1d::Cos => "cos x",
            Target1d::ExpOverPi => "exp(x/π)",
            Target1d::Zero => "0",
        }
    }
}

/// `springs/fig5`: approximation error against the number of sticks.
#[derive(Debug, Clone, Serialize)]
pub struct Fig5Params {
    /// Target functions.
    pub functions: Vec<Target1d>,
    /// Numbers of sticks N_s.
    pub sticks: Vec<usize>,
    /// Data points on [0, 2π] (evenly spaced).
    pub n_points: usize,
    /// Friction γ (1/s).
    pub gamma: f64,
    /// Temperature T (K).
    pub temperature: f64,
    /// k = M.
    pub scale: f64,
    /// Independent runs per point (the reference's torchsde batch).
    pub runs: usize,
    /// Run length t_f (s).
    pub t_end: f64,
    /// Initial state (U(0, 1) − 0.5) · `initial_scale` per coordinate.
    pub initial_scale: f64,
    /// Evaluation points on [0, 2π] for the error.
    pub eval_points: usize,
    /// Constants.
    pub constants: Constants,
}

impl Params for Fig5Params {
    fn preset(preset: Preset) -> Self {
        Self {
            functions: vec![Target1d::Square, Target1d::Cube, Target1d::Sin, Target1d::ExpOverPi],
            sticks: (3..=9).collect(),
            n_points: 20,
            gamma: 10.0,
            temperature: 0.01,
            scale: 1.0,
            runs: match preset {
                Preset::Quick => 2,
                Preset::Paper => 8,
            },
            t_end: 100.0,
            initial_scale: 3.0,
            eval_points: 1000,
            constants: Constants::si(),
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(!self.functions.is_empty(), "functions must not be empty");
        ensure!(self.sticks.len() >= 2, "need at least two stick counts for a slope");
        ensure!(self.sticks.iter().all(|&s| s >= 1), "every stick count must be ≥ 1");
        ensure!(self.n_points >= 2, "n_points = {} must be at least 2", self.n_points);
        ensure!(self.runs >= 1 && self.eval_points >= 2, "runs ≥ 1 and eval_points ≥ 2");
        for (n, v) in [("gamma", self.gamma), ("scale", self.scale), ("t_end", self.t_end)] {
            positive(n, v)?;
        }
        ensure!(self.temperature >= 0.0, "temperature = {} must be ≥ 0", self.temperature);
        self.constants.validate()
    }
}

/// Where the data points of the barrier figures lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// Evenly on [0, 2π] (the reference's `entropies_run.py`; the caption's U[0, 2π]).
    TwoPi,
    /// Evenly on [0, 1] (what the published Fig. 3's large-scale loss and ΔF need).
    Unit,
}

impl Domain {
    /// The upper end of the domain (the lower is 0).
    pub fn upper(self) -> f64 {
        match self {
            Domain::TwoPi => 2.0 * std::f64::consts::PI,
            Domain::Unit => 1.0,
        }
    }

    /// "[0, 2π]" or "[0, 1]".
    pub fn label(self) -> &'static str {
        match self {
            Domain::TwoPi => "[0, 2π]",
            Domain::Unit => "[0, 1]",
        }
    }
}

/// The reference's free-energy protocol (`paper_imgs/entropies_run.py`).
#[derive(Debug, Clone, Serialize)]
pub struct BarrierProtocol {
    /// Data points N.
    pub n_points: usize,
    /// The target function.
    pub function: Target1d,
    /// Trajectories per estimate (the reference's torchsde batch: 100).
    pub batch: usize,
    /// Run length t_f (s); Simpson's rule over every step.
    pub t_end: f64,
    /// Initial state U(0, 1) · `initial_scale` per coordinate: 1 reproduces the published
    /// Fig. 3 (and is the ss_model notebook's barrier cell); HEAD's entropies_run.py uses 3.
    pub initial_scale: f64,
    /// Draws of the uniform initial state over which the exact conditional
    /// ln E\[e^{−βW} | z₀\] is averaged.
    pub exact_initial_draws: usize,
    /// RK4 steps of the exact Riccati integration per unit time.
    pub riccati_steps_per_time: f64,
    /// Constants.
    pub constants: Constants,
}

impl BarrierProtocol {
    fn new(preset: Preset) -> Self {
        Self {
            n_points: 20,
            function: Target1d::Cos,
            batch: 100,
            t_end: 10.0,
            initial_scale: 1.0,
            exact_initial_draws: match preset {
                Preset::Quick => 200,
                Preset::Paper => 1000,
            },
            riccati_steps_per_time: 1000.0,
            constants: Constants::si(),
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(self.n_points >= 2 && self.batch >= 1, "need n_points ≥ 2 and batch ≥ 1");
        ensure!(self.exact_initial_draws >= 1, "exact_initial_draws must be ≥ 1");
        positive("t_end", self.t_end)?;
        positive("initial_scale", self.initial_scale)?;
        positive("riccati_steps_per_time", self.riccati_steps_per_time)?;
        self.constants.validate()
    }
}

/// `springs/fig3`: steady-state loss and ΔF against the scale k = M.
#[derive(Debug, Clone, Serialize)]
pub struct Fig3Params {
    /// The protocol.
    #[serde(flatten)]
    pub protocol: BarrierProtocol,
    /// Friction γ (1/s).
    pub gamma: f64,
    /// Temperatures T (K).
    pub temperatures: Vec<f64>,
    /// The scales k = M (kg, N/m): 10^k_log_min … 10^k_log_max.
    pub k_log_min: f64,
    /// Upper end of the k range (log10).
    pub k_log_max: f64,
    /// Number of k values (the reference: 10).
    pub n_k: usize,
    /// Both readings of the caption's domain.
    pub domains: Vec<Domain>,
}

impl Params for Fig3Params {
    fn preset(preset: Preset) -> Self {
        Self {
            protocol: BarrierProtocol::new(preset),
            gamma: 0.1,
            // The published figure's ten curves span its colour bar 1e-1 … 1e2.
            temperatures: match preset {
                Preset::Quick => vec![0.1, 1.0, 10.0],
                Preset::Paper => super::common::logspace(-1.0, 2.0, 10),
            },
            k_log_min: -30.0,
            k_log_max: -10.0,
            n_k: match preset {
                Preset::Quick => 5,
                Preset::Paper => 10,
            },
            domains: vec![Domain::Unit, Domain::TwoPi],
        }
    }

    fn validate(&self) -> Result<()> {
        self.protocol.validate()?;
        positive("gamma", self.gamma)?;
        all_positive("temperatures", &self.temperatures)?;
        ensure!(
            self.n_k >= 2 && self.k_log_max > self.k_log_min,
            "need n_k ≥ 2 and k_log_max > k_log_min"
        );
        ensure!(!self.domains.is_empty(), "domains must not be empty");
        Ok(())
    }
}

/// `springs/fig4` (fig4a, fig4b and the analysis panels).
#[derive(Debug, Clone, Serialize)]
pub struct Fig4Params {
    /// The protocol (fig3's).
    #[serde(flatten)]
    pub protocol: BarrierProtocol,
    /// fig4a: the numbers of sticks.
    pub sticks: Vec<usize>,
    /// fig4a: γ (1/s).
    pub gamma_a: f64,
    /// fig4a: T (K).
    pub temperature_a: f64,
    /// fig4b: γ and T on 10^lo … 10^hi.
    pub grid_log_min: f64,
    /// fig4b: upper end (log10).
    pub grid_log_max: f64,
    /// fig4b: points per axis.
    pub grid_n: usize,
    /// The small scales k = M where ΔF_min is read: the first is ΔF_min, the others check
    /// that it is a plateau.
    pub plateau_scales: Vec<f64>,
    /// Analysis: the frictions γ (1/s) at which the estimator is taken apart (N_s = 1,
    /// T = temperature_a, the smallest plateau scale).
    pub analysis_gammas: Vec<f64>,
    /// Analysis: batch sizes B of the estimator.
    pub batch_sizes: Vec<usize>,
    /// Analysis: run lengths t_f (s).
    pub run_lengths: Vec<f64>,
    /// Analysis: trajectories in the pool that the batches are cut from.
    pub pool: usize,
}

impl Params for Fig4Params {
    fn preset(preset: Preset) -> Self {
        let quick = preset == Preset::Quick;
        Self {
            protocol: BarrierProtocol::new(preset),
            sticks: if quick { vec![1, 2, 4, 6] } else { (1..=10).collect() },
            gamma_a: 1.0,
            temperature_a: 1.0,
            grid_log_min: -1.0,
            grid_log_max: 2.0,
            grid_n: if quick { 4 } else { 10 },
            plateau_scales: vec![1e-30, 1e-28],
            analysis_gammas: vec![0.1, 1.0],
            batch_sizes: vec![10, 30, 100, 300, 1000],
            run_lengths: if quick {
                vec![1.0, 5.0, 10.0]
            } else {
                vec![0.5, 1.0, 2.0, 5.0, 10.0, 20.0]
            },
            pool: if quick { 1000 } else { 3000 },
        }
    }

    fn validate(&self) -> Result<()> {
        self.protocol.validate()?;
        ensure!(
            !self.sticks.is_empty() && self.sticks.iter().all(|&s| s >= 1),
            "sticks must be ≥ 1"
        );
        positive("gamma_a", self.gamma_a)?;
        positive("temperature_a", self.temperature_a)?;
        ensure!(
            self.grid_n >= 2 && self.grid_log_max > self.grid_log_min,
            "fig4b grid needs ≥ 2 points per axis"
        );
        all_positive("plateau_scales", &self.plateau_scales)?;
        ensure!(
            !self.batch_sizes.is_empty()
                && self.batch_sizes.iter().all(|&b| b >= 1 && b <= self.pool),
            "batch sizes must be in 1..=pool"
        );
        all_positive("run_lengths", &self.run_lengths)?;
        all_positive("analysis_gammas", &self.analysis_gammas)?;
        Ok(())
    }
}

/// `springs/fig6`: entropy production and potential energy along the relaxation.
#[derive(Debug, Clone, Serialize)]
pub struct Fig6Params {
    /// Springs (data points), u ~ U[0, 1], y = noise · N(0, 1).
    pub n_points: usize,
    /// Label noise of f = 0 + noise · N(0, 1).
    pub label_noise: f64,
    /// Frictions γ of the curves.
    pub gammas: Vec<f64>,
    /// k = M.
    pub scale: f64,
    /// Temperature T (k_B = 1 units).
    pub temperature: f64,
    /// Both noise models are drawn; this one is simulated.
    pub simulated_noise: NoiseModel,
    /// Run length.
    pub t_end: f64,
    /// Output times: every this many steps.
    pub record_every: usize,
    /// Trajectories of the ensemble, started from U(0, 1) per coordinate (the reference's
    /// torch.rand).
    pub ensemble: usize,
    /// Constants (k_B = 1: no committed code produced the paper's Fig. 6).
    pub constants: Constants,
}

impl Params for Fig6Params {
    fn preset(preset: Preset) -> Self {
        Self {
            n_points: 10,
            label_noise: 0.1,
            gammas: vec![0.1, 1.0, 10.0],
            scale: 1.0,
            temperature: 0.1,
            simulated_noise: NoiseModel::Code,
            t_end: 10.0,
            record_every: 100,
            ensemble: match preset {
                Preset::Quick => 500,
                Preset::Paper => 4000,
            },
            constants: Constants { boltzmann: 1.0, ..Constants::si() },
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(self.n_points >= 2, "n_points = {} must be ≥ 2", self.n_points);
        all_positive("gammas", &self.gammas)?;
        positive("scale", self.scale)?;
        positive("temperature", self.temperature)?;
        positive("t_end", self.t_end)?;
        ensure!(self.label_noise >= 0.0, "label_noise must be ≥ 0");
        ensure!(self.record_every >= 1 && self.ensemble >= 10, "record_every ≥ 1, ensemble ≥ 10");
        self.constants.validate()
    }
}

/// The target functions of `springs/fig2` (the reference's eight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target2d {
    /// sin x + cos y.
    SinPlusCos,
    /// x·y.
    Product,
    /// x² − y².
    SquareDifference,
    /// exp(−x² − y²).
    Gaussian,
    /// log(1 + |x|) − log(1 + |y|).
    LogDifference,
    /// tanh(x·y).
    TanhProduct,
    /// sin(x·y).
    SinProduct,
    /// cos x + sin y.
    CosPlusSin,
}

impl Target2d {
    /// All eight, in the reference's order.
    pub const ALL: [Target2d; 8] = [
        Target2d::SinPlusCos,
        Target2d::Product,
        Target2d::SquareDifference,
        Target2d::Gaussian,
        Target2d::LogDifference,
        Target2d::TanhProduct,
        Target2d::SinProduct,
        Target2d::CosPlusSin,
    ];

    /// f(x, y).
    pub fn eval(self, x: f64, y: f64) -> f64 {
        match self {
            Target2d::SinPlusCos => x.sin() + y.cos(),
            Target2d::Product => x * y,
            Target2d::SquareDifference => x * x - y * y,
            Target2d::Gaussian => (-x * x - y * y).exp(),
            Target2d::LogDifference => x.abs().ln_1p() - y.abs().ln_1p(),
            Target2d::TanhProduct => (x * y).tanh(),
            Target2d::SinProduct => (x * y).sin(),
            Target2d::CosPlusSin => x.cos() + y.sin(),
        }
    }

    /// "sin x + cos y", …
    pub fn label(self) -> &'static str {
        match self {
            Target2d::SinPlusCos => "sin x + cos y",
            Target2d::Product => "x·y",
            Target2d::SquareDifference => "x² − y²",
            Target2d::Gaussian => "exp(−x² − y²)",
            Target2d::LogDifference => "log(1+|x|) − log(1+|y|)",
            Target2d::TanhProduct => "tanh(x·y)",
            Target2d::SinProduct => "sin(x·y)",
            Target2d::CosPlusSin => "cos x + sin y",
        }
    }
}

/// `springs/fig2`: 4 × 4 sticks against one-hidden-layer MLPs.
#[derive(Debug, Clone, Serialize)]
pub struct Fig2Params {
    /// Target functions.
    pub functions: Vec<Target2d>,
    /// Training points, U[0, 1]².
    pub n_train: usize,
    /// Test points, U[0, 1]².
    pub n_test: usize,
    /// Label noise: y = f + noise · N(0, 1).
    pub label_noise: f64,
    /// Minibatch size.
    pub batch: usize,
    /// Epochs.
    pub epochs: usize,
    /// Cells per dimension.
    pub cells: usize,
    /// Friction γ (1/s).
    pub gamma: f64,
    /// Temperature T (K).
    pub temperature: f64,
    /// k = M.
    pub scale: f64,
    /// Euler–Maruyama steps per minibatch (the reference: Δt = 0.1 at dt = 1e-3).
    pub steps_per_batch: usize,
    /// Hidden ReLU units of the MLPs (the reference: Π N_s = 16).
    pub hidden: usize,
    /// SGD learning rate.
    pub learning_rate: f64,
    /// Initial node heights and velocities U(0, 1) · s for each s here; the first is the
    /// figure's (the reference: s = 1), the others measure the sensitivity (0: at rest at
    /// zero height).
    pub initial_scales: Vec<f64>,
    /// Independent realisations (data, initial states, shuffles) per function.
    pub runs: usize,
    /// Constants.
    pub constants: Constants,
}

impl Params for Fig2Params {
    fn preset(preset: Preset) -> Self {
        Self {
            functions: Target2d::ALL.to_vec(),
            n_train: 160,
            n_test: 160,
            label_noise: 0.01,
            batch: 16,
            epochs: 10,
            cells: 4,
            gamma: 10.0,
            temperature: 1e-3,
            scale: 1.0,
            steps_per_batch: 100,
            hidden: 16,
            learning_rate: 0.1,
            initial_scales: vec![1.0, 0.0, 3.0],
            runs: match preset {
                Preset::Quick => 2,
                Preset::Paper => 10,
            },
            constants: Constants::si(),
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(!self.functions.is_empty(), "functions must not be empty");
        ensure!(
            self.n_train >= self.batch && self.batch >= 1 && self.n_test >= 1,
            "need n_train ≥ batch ≥ 1 and n_test ≥ 1"
        );
        ensure!(
            self.epochs >= 1 && self.cells >= 1 && self.hidden >= 1 && self.runs >= 1,
            "epochs, cells, hidden, runs ≥ 1"
        );
        ensure!(
            !self.initial_scales.is_empty() && self.initial_scales.iter().all(|s| *s >= 0.0),
            "initial_scales ≥ 0, not empty"
        );
        positive("gamma", self.gamma)?;
        positive("scale", self.scale)?;
        positive("learning_rate", self.learning_rate)?;
        ensure!(
            self.temperature >= 0.0 && self.label_noise >= 0.0,
            "temperature and label_noise ≥ 0"
        );
        self.constants.validate()
    }
}
