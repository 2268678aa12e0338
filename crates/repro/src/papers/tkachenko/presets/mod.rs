//! Every number of every preset of the Tkachenko reproductions, with the inputs the paper
//! does not state and where each comes from.

use anyhow::{Result, ensure};
use serde::Serialize;

use crate::pipeline::{Params, Preset};

/// Boltzmann's constant (J/K, exact SI value).
pub const BOLTZMANN: f64 = 1.380_649e-23;

/// A number the paper uses without stating it, with its source.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    /// The value.
    pub value: f64,
    /// Its unit.
    pub unit: &'static str,
    /// Where it comes from.
    pub source: &'static str,
}

fn input(value: f64, unit: &'static str, source: &'static str) -> Input {
    Input { value, unit, source }
}

/// `tkachenko/table1` and `tkachenko/claims`: the stated inputs of Table I and of the
/// text's numbers.
#[derive(Debug, Clone, Serialize)]
pub struct ArithmeticParams {
    /// Ambient temperature.
    pub temperature: Input,
    /// Bits per FLOP.
    pub bits_per_flop: Input,
    /// Llama 65B: parameters.
    pub llama_params: Input,
    /// Llama 65B: transformer layers.
    pub llama_layers: Input,
    /// Llama 65B: model width.
    pub llama_width: Input,
    /// Llama 65B: feed-forward width.
    pub llama_ffn: Input,
    /// Llama 65B: measured inference energy per token (the paper's "current").
    pub llama_joules_per_token: Input,
    /// Inference FLOPs per token per parameter.
    pub inference_flops_per_param: Input,
    /// DeepSeek V3: total parameters.
    pub deepseek_params: Input,
    /// DeepSeek V3: active parameters per token.
    pub deepseek_active: Input,
    /// DeepSeek V3: training tokens.
    pub deepseek_tokens: Input,
    /// DeepSeek V3: H800 GPU hours of the full training.
    pub deepseek_gpu_hours: Input,
    /// H800 board power.
    pub h800_watts: Input,
    /// Training FLOPs per token per active parameter.
    pub training_flops_per_param: Input,
    /// A100 board power.
    pub a100_watts: Input,
    /// A100 dense BF16 throughput.
    pub a100_flops: Input,
    /// H100 / H800 board power.
    pub h100_watts: Input,
    /// H100 / H800 dense BF16 throughput.
    pub h100_flops: Input,
    /// Brain power.
    pub brain_watts: Input,
    /// Brain neurons.
    pub brain_neurons: Input,
    /// Neuron firing rate.
    pub brain_rate: Input,
    /// Dynamic-analog activation probability per neuron and token (v1's 10⁻¹⁴ entry).
    pub activation_probability: Input,
    /// A cell is flagged when recomputed / paper is outside [1/f, f]: the paper quotes one
    /// significant digit.
    pub flag_factor: f64,
}

impl Params for ArithmeticParams {
    fn preset(_preset: Preset) -> Self {
        Self {
            temperature: input(
                300.0,
                "K",
                "room temperature (the paper's 5·10⁻²⁰ J per 16-bit FLOP needs T ≈ 300 K)",
            ),
            bits_per_flop: input(16.0, "bit", "the paper: \"16-bit precision per FLOP\""),
            llama_params: input(65.2e9, "1", "Touvron et al. 2023, LLaMA 65B"),
            llama_layers: input(80.0, "1", "Touvron et al. 2023, Table 2"),
            llama_width: input(8192.0, "1", "Touvron et al. 2023, Table 2"),
            llama_ffn: input(22016.0, "1", "LLaMA 65B config (intermediate size)"),
            llama_joules_per_token: input(
                4.0,
                "J/token",
                "the paper's Table I (its Ref. 32/26: measured inference energy)",
            ),
            inference_flops_per_param: input(
                2.0,
                "FLOP/token",
                "one multiply–add per parameter per token (Kaplan et al. 2020)",
            ),
            deepseek_params: input(671e9, "1", "DeepSeek-V3 technical report (2024)"),
            deepseek_active: input(37e9, "1", "DeepSeek-V3 technical report: activated per token"),
            deepseek_tokens: input(
                14.8e12,
                "token",
                "DeepSeek-V3 technical report: pre-training tokens",
            ),
            deepseek_gpu_hours: input(
                2.788e6,
                "GPU·h",
                "DeepSeek-V3 technical report: full training on H800",
            ),
            h800_watts: input(700.0, "W", "Nvidia H800 SXM board power (as H100 SXM)"),
            training_flops_per_param: input(
                6.0,
                "FLOP/token",
                "the paper: \"approximately 6ND FLOPs\"",
            ),
            a100_watts: input(400.0, "W", "Nvidia A100 SXM specification"),
            a100_flops: input(312e12, "FLOP/s", "Nvidia A100 specification, dense BF16"),
            h100_watts: input(700.0, "W", "Nvidia H100 SXM specification"),
            h100_flops: input(989e12, "FLOP/s", "Nvidia H100 SXM specification, dense BF16"),
            brain_watts: input(10.0, "W", "v1: \"on the order of 10 W\""),
            brain_neurons: input(1e11, "1", "v1: \"roughly 10¹¹ neurons\""),
            brain_rate: input(10.0, "1/s", "v1: \"about 10 Hz\""),
            activation_probability: input(
                0.5,
                "1",
                "p = ½, the Landauer case of Eq. 5 (the paper does not say which p gives 10⁻¹⁴)",
            ),
            flag_factor: 2.0,
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(self.flag_factor > 1.0, "flag_factor = {} must exceed 1", self.flag_factor);
        ensure!(
            self.activation_probability.value > 0.0 && self.activation_probability.value < 1.0,
            "activation_probability must be in (0, 1)"
        );
        for (name, v) in [
            ("temperature", &self.temperature),
            ("llama_params", &self.llama_params),
            ("deepseek_params", &self.deepseek_params),
        ] {
            ensure!(v.value > 0.0 && v.value.is_finite(), "{name} = {} must be > 0", v.value);
        }
        Ok(())
    }
}

/// `tkachenko/eq5`: the dynamic-analog reset bound against its closed form.
#[derive(Debug, Clone, Serialize)]
pub struct Eq5Params {
    /// p from 10^p_log_min to ½.
    pub p_log_min: f64,
    /// Points.
    pub n_p: usize,
}

impl Params for Eq5Params {
    fn preset(preset: Preset) -> Self {
        Self {
            p_log_min: -8.0,
            n_p: match preset {
                Preset::Quick => 41,
                Preset::Paper => 201,
            },
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(
            self.n_p >= 2 && self.p_log_min < (0.5f64).log10(),
            "need n_p ≥ 2 and 10^p_log_min < ½"
        );
        Ok(())
    }
}

/// `tkachenko/cooling`: training at T* < T with a heat pump to ambient T.
#[derive(Debug, Clone, Serialize)]
pub struct CoolingParams {
    /// Ambient temperature T (K).
    pub ambient: f64,
    /// T*/T from `ratio_min` to 1.
    pub ratio_min: f64,
    /// Points.
    pub n: usize,
    /// A cost that does not scale with temperature (J), e.g. a digital overhead, to show
    /// what cooling does to it.
    pub fixed_cost: f64,
    /// N·D of the training bound 2 N D k_B T*.
    pub n_times_d: f64,
}

impl Params for CoolingParams {
    fn preset(preset: Preset) -> Self {
        Self {
            ambient: 300.0,
            ratio_min: 1e-3,
            n: match preset {
                Preset::Quick => 31,
                Preset::Paper => 121,
            },
            fixed_cost: 1e-3,
            n_times_d: 671e9 * 14.8e12,
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(
            self.ambient > 0.0 && self.ratio_min > 0.0 && self.ratio_min < 1.0 && self.n >= 2,
            "need ambient > 0, 0 < ratio_min < 1, n ≥ 2"
        );
        Ok(())
    }
}

/// `tkachenko/stress_backprop`: stresses against backpropagation over κ_hidden/κ_out.
#[derive(Debug, Clone, Serialize)]
pub struct StressParams {
    /// Layer sizes of the test networks.
    pub sizes: Vec<usize>,
    /// Random networks (weights U(−1, 1)) and data entries per network.
    pub networks: usize,
    /// κ_hidden/κ_out from 10^ratio_log_min to 10^ratio_log_max (κ_out = 1).
    pub ratio_log_min: f64,
    /// Upper end (log10).
    pub ratio_log_max: f64,
    /// Points.
    pub n_ratio: usize,
    /// Relative step of the finite differences of F*.
    pub fd_step: f64,
}

impl Params for StressParams {
    fn preset(preset: Preset) -> Self {
        Self {
            sizes: vec![3, 8, 8, 2],
            networks: match preset {
                Preset::Quick => 4,
                Preset::Paper => 20,
            },
            ratio_log_min: -2.0,
            ratio_log_max: 6.0,
            n_ratio: match preset {
                Preset::Quick => 9,
                Preset::Paper => 33,
            },
            fd_step: 1e-6,
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(
            self.sizes.len() >= 3 && !self.sizes.contains(&0),
            "need at least one hidden layer"
        );
        ensure!(
            self.networks >= 1 && self.n_ratio >= 2 && self.ratio_log_max > self.ratio_log_min,
            "bad ratio grid"
        );
        ensure!(self.fd_step > 0.0, "fd_step must be > 0");
        Ok(())
    }
}

/// The test network of the inference figures.
#[derive(Debug, Clone, Serialize)]
pub struct TestNetwork {
    /// Layer sizes.
    pub sizes: Vec<usize>,
    /// Stiffness κ of every layer.
    pub stiffness: f64,
    /// Weights and biases U(−scale, scale) (stream tkachenko/inference/network).
    pub weight_scale: f64,
    /// Neuron mobility μ.
    pub mobility: f64,
}

impl TestNetwork {
    fn new() -> Self {
        Self { sizes: vec![2, 6, 6, 1], stiffness: 1.0, weight_scale: 1.0, mobility: 1.0 }
    }
}

/// `tkachenko/inference`: relaxation to F = 0 and free-phase Boltzmann statistics.
#[derive(Debug, Clone, Serialize)]
pub struct InferenceParams {
    /// The network.
    pub network: TestNetwork,
    /// The clamped input.
    pub input: Vec<f64>,
    /// Relaxation: random starts U(−2, 2) of every free neuron.
    pub starts: usize,
    /// Relaxation: step and duration of the T = 0 gradient flow.
    pub relax_dt: f64,
    /// Duration.
    pub relax_time: f64,
    /// k_BT of the finite-temperature statistics.
    pub thermal_energy: f64,
    /// Euler–Maruyama steps dt to show the bias vanishing.
    pub dts: Vec<f64>,
    /// Chains per dt (and exact draws).
    pub chains: usize,
    /// Time each chain runs before it is measured (in units of 1/(μκ)).
    pub burn_time: f64,
}

impl Params for InferenceParams {
    fn preset(preset: Preset) -> Self {
        Self {
            network: TestNetwork::new(),
            input: vec![-0.5, 0.3],
            starts: 5,
            relax_dt: 0.01,
            relax_time: 200.0,
            thermal_energy: 0.01,
            dts: vec![0.2, 0.1, 0.05, 0.025, 0.0125],
            chains: match preset {
                Preset::Quick => 1000,
                Preset::Paper => 20_000,
            },
            burn_time: 20.0,
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(
            self.network.sizes.len() >= 2 && self.input.len() == self.network.sizes[0],
            "input must match the first layer"
        );
        ensure!(
            self.starts >= 1 && self.chains >= 10 && !self.dts.is_empty(),
            "starts ≥ 1, chains ≥ 10, dts not empty"
        );
        ensure!(
            self.relax_dt > 0.0
                && self.relax_time > 0.0
                && self.thermal_energy > 0.0
                && self.burn_time > 0.0,
            "positive times and k_BT"
        );
        Ok(())
    }
}

/// `tkachenko/inference_work`: the work of changing the input over τ_sw.
#[derive(Debug, Clone, Serialize)]
pub struct InferenceWorkParams {
    /// The network.
    pub network: TestNetwork,
    /// The input at the start.
    pub from: Vec<f64>,
    /// The input at the end.
    pub to: Vec<f64>,
    /// Switching times τ_sw from 10^tau_log_min to 10^tau_log_max.
    pub tau_log_min: f64,
    /// Upper end (log10).
    pub tau_log_max: f64,
    /// Points.
    pub n_tau: usize,
    /// Euler–Maruyama step.
    pub dt: f64,
    /// k_BT of the finite-temperature runs.
    pub thermal_energy: f64,
    /// Paths per τ at finite temperature.
    pub paths: usize,
    /// Bootstrap resamples for the error bar of the Jarzynski ΔF̂.
    pub bootstrap: usize,
}

impl Params for InferenceWorkParams {
    fn preset(preset: Preset) -> Self {
        Self {
            network: TestNetwork::new(),
            from: vec![-0.5, 0.3],
            to: vec![0.8, -0.6],
            tau_log_min: -1.0,
            tau_log_max: 2.5,
            n_tau: match preset {
                Preset::Quick => 8,
                Preset::Paper => 15,
            },
            dt: 0.01,
            thermal_energy: 0.5,
            paths: match preset {
                Preset::Quick => 100,
                Preset::Paper => 2000,
            },
            bootstrap: match preset {
                Preset::Quick => 100,
                Preset::Paper => 500,
            },
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(self.bootstrap >= 2, "bootstrap must be >= 2, got {}", self.bootstrap);
        ensure!(
            self.from.len() == self.network.sizes[0] && self.to.len() == self.network.sizes[0],
            "inputs must match the first layer"
        );
        ensure!(
            self.n_tau >= 2
                && self.tau_log_max > self.tau_log_min
                && self.dt > 0.0
                && self.paths >= 10,
            "bad τ grid, dt or paths"
        );
        ensure!(self.thermal_energy > 0.0, "thermal_energy must be > 0");
        Ok(())
    }
}

mod training;

pub use training::{
    EnergyBalanceParams, FigTrainDataParams, FigTrainKappaParams, FigTrainParams,
    TrainLinearParams, TrainScalingParams,
};
