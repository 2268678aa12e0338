//! The presets of the training figures: the linear student, the tanh students of
//! fig_train and its variants, the energy balance and the scaling study.

use anyhow::{Result, ensure};
use serde::Serialize;

use crate::pipeline::{Params, Preset};

/// `tkachenko/train_linear`: Langevin annealing of a linear student.
#[derive(Debug, Clone, Serialize)]
pub struct TrainLinearParams {
    /// Parameters N.
    pub n: usize,
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
    /// k_BT in units of the theory's noise-matching k_BT* (0 included).
    pub temperature_factors: Vec<f64>,
    /// Burn-in time (in 1/(μκ)).
    pub burn_time: f64,
    /// Measured time (D = measured_time/τ_e presentations).
    pub measure_time: f64,
    /// Independent runs per temperature.
    pub seeds: usize,
}

impl Params for TrainLinearParams {
    fn preset(preset: Preset) -> Self {
        let mut factors = vec![0.0];
        factors.extend((0..=12).map(|k| 10f64.powf(-2.0 + 4.0 * f64::from(k) / 12.0)));
        Self {
            n: 20,
            label_noise: 0.1,
            stiffness: 1.0,
            mobility: 1.0,
            presentation: 0.0025,
            steps_per_entry: 5,
            temperature_factors: factors,
            burn_time: 10.0,
            measure_time: match preset {
                Preset::Quick => 50.0,
                Preset::Paper => 200.0,
            },
            seeds: match preset {
                Preset::Quick => 1,
                Preset::Paper => 4,
            },
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(
            self.n >= 1 && self.steps_per_entry >= 1 && self.seeds >= 1,
            "n, steps_per_entry, seeds ≥ 1"
        );
        ensure!(
            self.presentation > 0.0 && self.burn_time >= 0.0 && self.measure_time > 0.0,
            "positive times"
        );
        ensure!(
            !self.temperature_factors.is_empty()
                && self.temperature_factors.iter().all(|f| *f >= 0.0),
            "temperature_factors ≥ 0"
        );
        Ok(())
    }
}

/// `tkachenko/fig_train`: tanh MLP students annealed on a teacher task.
#[derive(Debug, Clone, Serialize)]
pub struct FigTrainParams {
    /// Teacher layer sizes (tanh hidden, linear output).
    pub teacher_sizes: Vec<usize>,
    /// Teacher parameters U(−s, s).
    pub teacher_scale: f64,
    /// Student hidden widths (one hidden layer; N = 4H + 1 for two inputs).
    pub widths: Vec<usize>,
    /// Training entries (inputs U(−1, 1)^d).
    pub n_train: usize,
    /// Test entries.
    pub n_test: usize,
    /// Label noise σ.
    pub label_noise: f64,
    /// Mobility μ.
    pub mobility: f64,
    /// Output stiffness κ_out.
    pub stiffness: f64,
    /// Presentation time τ_e.
    pub presentation: f64,
    /// Euler–Maruyama steps per presentation.
    pub steps_per_entry: usize,
    /// k_BT in units of k_BT*_est = μτ_eκ² L_min per width (0 included).
    pub temperature_factors: Vec<f64>,
    /// Burn-in presentations.
    pub burn: usize,
    /// Measured presentations (D).
    pub entries: usize,
    /// Record the training loss every this many presentations.
    pub measure_every: usize,
    /// Full-batch gradient-descent iterations that find the optimum (warm start).
    pub optimum_iterations: usize,
    /// Its step.
    pub optimum_step: f64,
    /// Independent runs per (width, temperature).
    pub seeds: usize,
}

impl FigTrainParams {
    /// fig_train's task and protocol for the one student (width 12, N = 49) that
    /// fig_train_kappa and fig_train_data vary: 1 run per setting (quick) or 2 (paper).
    fn single_student(preset: Preset) -> Self {
        Self {
            widths: vec![12],
            seeds: if preset == Preset::Quick { 1 } else { 2 },
            ..Self::preset(preset)
        }
    }
}

impl Params for FigTrainParams {
    fn preset(preset: Preset) -> Self {
        let quick = preset == Preset::Quick;
        let mut factors = vec![0.0];
        factors.extend((0..=8).map(|k| 10f64.powf(-2.0 + 0.5 * f64::from(k))));
        Self {
            teacher_sizes: vec![2, 8, 1],
            teacher_scale: 1.5,
            widths: if quick { vec![6, 12] } else { vec![6, 12, 24] },
            n_train: 100,
            n_test: 1000,
            label_noise: 0.1,
            mobility: 1.0,
            stiffness: 1.0,
            presentation: 0.02,
            steps_per_entry: 4,
            temperature_factors: factors,
            burn: if quick { 5_000 } else { 20_000 },
            entries: if quick { 10_000 } else { 40_000 },
            measure_every: 50,
            optimum_iterations: if quick { 20_000 } else { 100_000 },
            optimum_step: 0.2,
            seeds: if quick { 1 } else { 3 },
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(
            self.teacher_sizes.len() >= 2 && !self.widths.is_empty(),
            "teacher sizes and widths"
        );
        ensure!(
            self.n_train >= 1 && self.n_test >= 1 && self.entries >= 10 && self.seeds >= 1,
            "data and run sizes ≥ 1"
        );
        ensure!(
            self.presentation > 0.0 && self.steps_per_entry >= 1 && self.optimum_step > 0.0,
            "positive steps"
        );
        ensure!(self.temperature_factors.iter().all(|f| *f >= 0.0), "temperature_factors ≥ 0");
        Ok(())
    }
}

/// `tkachenko/energy_balance`: the energy accounting of the linear student against the
/// Euler–Maruyama step, at the noise-matching temperature.
#[derive(Debug, Clone, Serialize)]
pub struct EnergyBalanceParams {
    /// The linear student (its `steps_per_entry` is swept).
    #[serde(flatten)]
    pub base: TrainLinearParams,
    /// Euler–Maruyama steps per presentation.
    pub steps: Vec<usize>,
}

impl Params for EnergyBalanceParams {
    fn preset(preset: Preset) -> Self {
        Self {
            base: TrainLinearParams { seeds: 2, ..TrainLinearParams::preset(preset) },
            steps: vec![1, 2, 5, 10, 20, 50],
        }
    }

    fn validate(&self) -> Result<()> {
        self.base.validate()?;
        ensure!(!self.steps.is_empty() && self.steps.iter().all(|&s| s >= 1), "steps ≥ 1");
        Ok(())
    }
}

/// `tkachenko/train_scaling`: heat against N·D for the linear student at its
/// noise-matching temperature, under both readings of τ_train.
#[derive(Debug, Clone, Serialize)]
pub struct TrainScalingParams {
    /// The linear student's constants (n and presentation are swept).
    #[serde(flatten)]
    pub base: TrainLinearParams,
    /// Parameter counts N.
    pub sizes: Vec<usize>,
    /// Data presentations D.
    pub presentations: Vec<usize>,
    /// Reading "fixed total duration": τ_train = D τ_e held at this value.
    pub total_time: f64,
}

impl Params for TrainScalingParams {
    fn preset(preset: Preset) -> Self {
        let quick = preset == Preset::Quick;
        Self {
            base: TrainLinearParams { seeds: 1, ..TrainLinearParams::preset(preset) },
            sizes: if quick { vec![5, 20] } else { vec![5, 10, 20, 40] },
            presentations: if quick {
                vec![10_000, 40_000]
            } else {
                vec![10_000, 20_000, 40_000, 80_000]
            },
            total_time: 100.0,
        }
    }

    fn validate(&self) -> Result<()> {
        self.base.validate()?;
        ensure!(
            !self.sizes.is_empty() && !self.presentations.is_empty() && self.total_time > 0.0,
            "sizes, presentations, total_time"
        );
        Ok(())
    }
}

/// `tkachenko/fig_train_kappa`: the fig_train task with hidden neurons relaxed explicitly
/// at finite stiffness.
#[derive(Debug, Clone, Serialize)]
pub struct FigTrainKappaParams {
    /// The task and protocol (its `widths[0]` is the student).
    #[serde(flatten)]
    pub base: FigTrainParams,
    /// κ_hidden/κ_out of the explicitly relaxed runs (the fast path κ_hidden → ∞ is added).
    pub kappa_ratios: Vec<f64>,
}

impl Params for FigTrainKappaParams {
    fn preset(preset: Preset) -> Self {
        let quick = preset == Preset::Quick;
        Self {
            base: FigTrainParams {
                temperature_factors: vec![0.0, 0.1, 0.3, 1.0, 3.0, 10.0],
                burn: if quick { 2_000 } else { 10_000 },
                entries: if quick { 4_000 } else { 20_000 },
                ..FigTrainParams::single_student(preset)
            },
            kappa_ratios: vec![1.0, 10.0, 100.0],
        }
    }

    fn validate(&self) -> Result<()> {
        self.base.validate()?;
        ensure!(
            !self.kappa_ratios.is_empty() && self.kappa_ratios.iter().all(|k| *k > 0.0),
            "kappa_ratios > 0"
        );
        Ok(())
    }
}

/// `tkachenko/fig_train_data`: one fig_train student on training sets of several sizes.
#[derive(Debug, Clone, Serialize)]
pub struct FigTrainDataParams {
    /// The task and protocol (its `widths[0]` is the student; its `n_train` is replaced).
    #[serde(flatten)]
    pub base: FigTrainParams,
    /// Training-set sizes D_set.
    pub dataset_sizes: Vec<usize>,
}

impl Params for FigTrainDataParams {
    fn preset(preset: Preset) -> Self {
        let quick = preset == Preset::Quick;
        Self {
            base: FigTrainParams {
                optimum_iterations: if quick { 10_000 } else { 50_000 },
                ..FigTrainParams::single_student(preset)
            },
            dataset_sizes: if quick { vec![50, 200] } else { vec![25, 50, 100, 200, 400] },
        }
    }

    fn validate(&self) -> Result<()> {
        self.base.validate()?;
        ensure!(
            !self.dataset_sizes.is_empty() && self.dataset_sizes.iter().all(|&s| s >= 1),
            "dataset sizes ≥ 1"
        );
        Ok(())
    }
}
