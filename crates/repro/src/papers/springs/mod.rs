//! Mantilla Calderón & Aspuru-Guzik, *Learning with springs and sticks* (2025).
//!
//! | study | figures | what |
//! | --- | --- | --- |
//! | fig1b | fig1b, fig1b_spread | one stick fitting f = 0: x₀(t); its spread vs exact |
//! | fig2 | fig2 | 4 × 4 sticks vs one-hidden-layer MLPs on eight functions of [0, 1]² |
//! | fig3 | fig3 | steady-state loss vs scale k = M and vs the reference's ΔF |
//! | fig4 | fig4a, fig4b, fig4_batch, fig4_length | ΔF_min vs N_s and over (γ, T); what it measures |
//! | fig5 | fig5 | approximation error vs number of sticks, with least squares |
//! | fig6 | fig6 | Π, Φ, dS/dt and potential energy along the relaxation, exact and simulated |
//!
//! The reference is the authors' code (`bestquark/springs-and-sticks`), read to learn what
//! was run: where it and the paper differ, the defaults reproduce the code and the other
//! reading is a preset field (see `presets.rs` and each figure's meta.json choices).

mod barrier;
mod common;
mod fig1;
mod fig2;
mod fig3;
mod fig4;
mod fig5;
mod fig6;
pub mod presets;

use crate::pipeline::{Paper, Study, Tolerance, panel};

/// The paper's reference.
pub const REFERENCE: &str = "L. Mantilla Calderón and A. Aspuru-Guzik, Learning with springs and \
                             sticks (2025); code: github.com/bestquark/springs-and-sticks";

/// The units of the springs figures.
pub const UNITS: &str = "SI (k_B = 1.38064852e-23 J/K, the reference's CODATA-2014 value; \
                         lengths in m, masses in kg, time in s, energies in J, temperatures in K) \
                         except fig1b (k_B = 1, reduced units, as the reference); entropy \
                         production in units of k_B per unit time";

/// Simulated figures are seeded: the same preset and seed give the same bytes; across
/// machines the last bits of exp/ln may move a trajectory.
const SIM_TOLERANCE: Tolerance = Tolerance { abs: 1e-6, rel: 1e-6 };

/// The paper and its studies.
pub fn paper() -> Paper {
    Paper {
        name: "springs",
        reference: REFERENCE,
        units: UNITS,
        not_reproduced: vec![],
        studies: vec![
            Study::new(
                "fig1b",
                fig1::compute,
                vec![
                    panel(
                        "fig1b",
                        "one stick fitting f = 0: the left end's height x₀(t) for γ ∈ {2,4,8,16} × T ∈ {1e-4…1e-1}",
                        fig1::fig1b,
                    ),
                    panel(
                        "fig1b_spread",
                        "one stick: ensemble spread of x₀ at t = 5 vs the exact values of the code's and the FDT noise",
                        fig1::fig1b_spread,
                    ),
                ],
            ),
            Study::single(
                "fig2",
                "4 × 4 sticks vs one-hidden-layer MLPs (MLP, MLPf) on eight functions of [0,1]²: loss per epoch, train and test",
                fig2::fig2,
            ),
            Study::single(
                "fig3",
                "one stick fitting cos x: steady-state loss vs k = M and vs ΔF for several T, on [0, 2π] and [0, 1]",
                fig3::fig3,
            ),
            Study::new(
                "fig4",
                fig4::compute,
                vec![
                    panel(
                        "fig4a",
                        "the reference's ΔF_min vs number of sticks (γ = 1, T = 1 K) with the free-velocity drain and the exact value",
                        fig4::fig4a,
                    ),
                    panel(
                        "fig4b",
                        "the reference's ΔF_min over (γ, T) on logspace(−1, 2)², and over the free-velocity drain n γ k_BT t_f",
                        fig4::fig4b,
                    ),
                    panel(
                        "fig4_batch",
                        "analysis: the plateau ΔF vs the estimator's batch size, against the exact ln E[e^(−βW)]",
                        fig4::fig4_batch,
                    ),
                    panel(
                        "fig4_length",
                        "analysis: the plateau ΔF vs the run length, against −E[W] = n γ k_BT t_f and the exact value",
                        fig4::fig4_length,
                    ),
                ],
            ),
            Study::single(
                "fig5",
                "approximation error vs number of sticks N_s = 3…9 for four functions, with slopes and the least-squares fit",
                fig5::fig5,
            ),
            Study::single(
                "fig6",
                "one stick, ten springs: entropy production and potential energy vs time, exact moments and simulation, both noise models",
                fig6::fig6,
            ),
        ],
    }
}
