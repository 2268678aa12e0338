//! Ingrosso & Panizon, *Machine learning at the mesoscale: a computation-dissipation
//! bottleneck*, PRE 109, 014132 (2024).
//!
//! | study | figures | what |
//! | --- | --- | --- |
//! | fig1b, fig1c, fig1d | one each | two spins: best I(s,y) vs φ; the task; p(s \| x) |
//! | fig2 | fig2a, fig2b, fig2c | two spins: maps over (J_s, J_a) and the front |
//! | fig4a | fig4a, fig5 | two chains on MNIST-1D: the front; asymmetry vs Σ |
//! | fig4b, fig4c, fig4d | one each | MNIST-1D examples; the random task's front and examples |
//! | fig6 | fig6a, fig6b | linear two-unit system: the exact front |

mod estimate;
mod fig1;
mod fig2;
mod fig4;
mod fig5;
mod fig6;
pub mod presets;
mod sensitivity;
mod sweep;
mod two_spin;

use crate::pipeline::{Paper, Study, panel};

/// The paper's reference.
pub const REFERENCE: &str = "A. Ingrosso and E. Panizon, Machine learning at the mesoscale: a \
                             computation-dissipation bottleneck, Phys. Rev. E 109, 014132 (2024)";

/// The paper and its studies.
pub fn paper() -> Paper {
    Paper {
        name: "bottleneck",
        reference: REFERENCE,
        units: crate::pipeline::UNITS,
        not_reproduced: vec![],
        studies: vec![
            Study::single(
                "fig1b",
                "two spins: best I(s,y) over equilibrium and over all (J_s, J_a) vs task angle φ",
                fig1::fig1b,
            ),
            Study::single(
                "fig1c",
                "the rotated parity task p(y=1|x) for several angles φ",
                fig1::fig1c,
            ),
            Study::single(
                "fig1d",
                "two spins: steady-state p(s=(+,+)|x) for J_s = 0 and increasing J_a",
                fig1::fig1d,
            ),
            Study::new(
                "fig2",
                fig2::compute,
                vec![
                    panel(
                        "fig2a",
                        "two spins: I(s,x) over the (J_s, J_a) plane with the optima θ^sx of I(s,x) − αΣ",
                        fig2::fig2a,
                    ),
                    panel(
                        "fig2b",
                        "two spins: I(s,y) over the (J_s, J_a) plane with the optima θ^sy of I(s,y) − αΣ",
                        fig2::fig2b,
                    ),
                    panel(
                        "fig2c",
                        "two spins: the computation-dissipation front I(s,y) vs Σ for θ^sy and θ^sx",
                        fig2::fig2c,
                    ),
                ],
            ),
            Study::new(
                "fig4a",
                fig4::compute_fig4a,
                vec![
                    panel(
                        "fig4a",
                        "two spin chains on MNIST-1D: cross-entropy and accuracy vs Σ per spin (lower envelope and mean over seeds), SPSA on −CE − αΣ",
                        fig4::fig4a,
                    ),
                    panel(
                        "fig4a_training",
                        "fig4a's SPSA objective along training, every task (convergence diagnostic)",
                        fig4::fig4a_training,
                    ),
                    panel(
                        "fig4a_cost",
                        "fig4a's cost of forcing equilibrium per coupling layout, with bootstrap intervals",
                        fig4::fig4a_cost,
                    ),
                    panel(
                        "fig5",
                        "asymmetry A of the couplings trained for fig4a (MNIST-1D) vs Σ",
                        fig5::fig5,
                    ),
                ],
            )
            .sweeping(),
            Study::new(
                "fig4a_sensitivity",
                sensitivity::compute,
                vec![panel(
                    "fig4a_sensitivity",
                    "fig4a's cost of equilibrium under settings the paper leaves open: readout L2, β, periodic chains, the literal run-length rule (reduced sizes)",
                    sensitivity::figure,
                )],
            )
            .sweeping(),
            Study::single(
                "fig4b",
                "examples of MNIST-1D (one per class for the first classes)",
                fig4::fig4b,
            ),
            Study::new(
                "fig4c",
                fig4::compute_fig4c,
                vec![
                    panel(
                        "fig4c",
                        "two spin chains on the random task: MSE vs Σ per spin (lower envelope and mean over seeds), SPSA on −MSE − αΣ",
                        fig4::fig4c,
                    ),
                    panel(
                        "fig4c_training",
                        "fig4c's SPSA objective along training, every task (convergence diagnostic)",
                        fig4::fig4c_training,
                    ),
                    panel(
                        "fig4c_cost",
                        "fig4c's cost of forcing equilibrium in MSE per coupling layout and realisation",
                        fig4::fig4c_cost,
                    ),
                ],
            )
            .sweeping(),
            Study::single("fig4d", "examples of the random task of fig4c", fig4::fig4d),
            Study::new(
                "fig6",
                fig6::compute,
                vec![
                    panel(
                        "fig6a",
                        "linear two-unit system: optimal I(s,y), I(s1,y), I(s2,y) vs Σ = 2J_a²",
                        fig6::fig6a,
                    ),
                    panel(
                        "fig6b",
                        "linear two-unit system: optimal MSE_i = <(y − s_i)²> vs Σ = 2J_a²",
                        fig6::fig6b,
                    ),
                ],
            ),
        ],
    }
}
