//! Tkachenko, *Thermodynamic bounds on energy use in (quasi-static) Deep Neural Networks*
//! (2025), both versions (v1, June 2025; "qs", December 2025). Neither has a computed
//! figure; each claim is made checkable by a computation.
//!
//! | study | what |
//! | --- | --- |
//! | table1 | Table I (energy per token) recomputed from stated inputs |
//! | claims | the text's other numbers recomputed |
//! | eq5 | v1 Eq. 5: the reset bound vs its closed form |
//! | cooling | training below ambient with a heat pump: flat in T* |
//! | stress_backprop | stresses vs backpropagation over κ_hidden/κ_out |
//! | inference | relaxation to F = 0; Boltzmann statistics at finite T |
//! | inference_work | the work of changing the input vanishes as τ_sw grows; Jarzynski |
//! | train_linear | Langevin training of a linear student: excess and heat vs k_BT, theory |
//! | fig_train | tanh students annealed on a teacher: excess, test loss and heat vs k_BT |
//! | fig_train_kappa | the same with the hidden neurons relaxed at finite κ |
//! | fig_train_data | the tolerable temperature and the heat there vs the training-set size |
//! | energy_balance | heat, switching work and the paper's work vs the Euler–Maruyama step |
//! | train_scaling | heat at the tolerable temperature vs N·D, both readings of τ_train |

mod arithmetic;
mod cooling;
mod eq5;
mod fig_train;
mod fig_train_data;
mod fig_train_kappa;
mod inference;
pub mod presets;
mod scaling;
mod stress;
mod train_linear;

use crate::pipeline::{Paper, Study, Tolerance};

/// The paper's reference.
pub const REFERENCE: &str = "A. V. Tkachenko, Thermodynamic bounds on energy use in (quasi-static) Deep \
                             Neural Networks, arXiv (2025), v1 (June) and the quasi-static version (December)";

/// The units of these figures.
pub const UNITS: &str = "SI (J, K; k_B = 1.380649e-23 J/K) for table1, claims and cooling; energies per \
                         neuron in k_BT for eq5; the network functional in units of its stiffnesses κ (x \
                         dimensionless) for stress_backprop";

/// Closed-form and deterministic figures: rounding only.
const EXACT_TOLERANCE: Tolerance = Tolerance { abs: 1e-9, rel: 1e-9 };

/// Seeded simulations: the same bytes for the same preset and seed; across machines the
/// last bits of exp/tanh may move a trajectory.
const SIM_TOLERANCE: Tolerance = Tolerance { abs: 1e-6, rel: 1e-6 };

/// The paper and its studies.
pub fn paper() -> Paper {
    Paper {
        name: "tkachenko",
        reference: REFERENCE,
        units: UNITS,
        not_reproduced: vec![
            ("fig1", "a schematic of a DNN (v1 Fig. 1A, qs Fig. 1), not a computation"),
            (
                "fig1b",
                "v1 Fig. 1B, a schematic of signal propagation in a linear medium, not a computation",
            ),
            (
                "fig2",
                "qs Fig. 2, a schematic of the cooling argument (computed as tkachenko/cooling)",
            ),
        ],
        studies: vec![
            Study::single(
                "table1",
                "Table I (energy per token) of both versions recomputed from stated, sourced inputs",
                arithmetic::table1,
            ),
            Study::single(
                "claims",
                "the text's numbers (Landauer per FLOP, GPU J/FLOP, 7 orders, 10², brain rates) recomputed",
                arithmetic::claims,
            ),
            Study::single(
                "eq5",
                "v1 Eq. 5: the reset bound −ν(p ln p + (1−p) ln(1−p)) vs its closed form ν_a(1 + ln ν/ν_a)",
                eq5::eq5,
            ),
            Study::single(
                "cooling",
                "training at T* < T with a heat pump to T: the total cost is flat in T* (Eqs. 18–19 / 19–20)",
                cooling::cooling,
            ),
            Study::single(
                "inference",
                "relaxation to the forward pass F = 0, and free-phase Boltzmann statistics at finite T with the Euler–Maruyama bias vs dt",
                inference::inference,
            ),
            Study::single(
                "inference_work",
                "the work of ramping the input over τ_sw: → 0 as τ_sw grows (T = 0), ⟨e^(−W/k_BT)⟩ = 1 (finite T)",
                inference::inference_work,
            ),
            Study::single(
                "train_linear",
                "Langevin training of a linear student: excess loss and heat vs k_BT with the Lyapunov theory; heat at noise matching vs 2N k_BT",
                train_linear::train_linear,
            ),
            Study::single(
                "fig_train",
                "tanh MLP students annealed on a teacher task: excess training loss, test MSE and heat vs k_BT, warm start and from scratch",
                fig_train::fig_train,
            ),
            Study::single(
                "fig_train_kappa",
                "the fig_train student with hidden neurons relaxed explicitly at κ_hidden/κ_out ∈ {1, 10, 100} vs the fast path: excess and heat vs k_BT",
                fig_train_kappa::fig_train_kappa,
            ),
            Study::single(
                "fig_train_data",
                "the fig_train student on training sets of 25–400 entries: the temperature where the excess doubles, and the heat there vs 2N k_BT",
                fig_train_data::fig_train_data,
            ),
            Study::single(
                "energy_balance",
                "the linear student's energy accounting (heat, switching work, the paper's Itô and Stratonovich work, first law) vs the Euler–Maruyama step",
                scaling::energy_balance,
            ),
            Study::single(
                "train_scaling",
                "heat of training at the tolerable temperature vs N·D, for a fixed presentation time and for a fixed total duration",
                scaling::train_scaling,
            ),
            Study::single(
                "stress_backprop",
                "clamped-network stresses vs backpropagation: backward rule, envelope theorem, and the relative difference vs κ_hidden/κ_out",
                stress::stress_backprop,
            ),
        ],
    }
}
