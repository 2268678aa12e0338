//! Goldt & Seifert, *Stochastic thermodynamics of learning*, PRL 118, 010601 (2017):
//! Fig. 2 (one weight's efficiency), Fig. 3 (Hebbian learning in the thermodynamic
//! limit, with its inset) and the bound (10)/(16) checked by simulation.
//!
//! Choices where the paper is silent (preset fields, written to meta.json): the ν, τ and α
//! grids; the simulation (γ for the labels, the Euler step, t_end = τ + a relaxation time
//! for the paper's t → ∞); the Monte Carlo of Fig. 3 and its N; ΔS(ω_n) in the
//! thermodynamic limit is ½ ln(1 + αν²), not the printed ln(1 + αν²).

mod bound;
mod fig2;
mod fig3;
pub mod presets;
mod sim;

use crate::pipeline::{Paper, Study, Tolerance};

/// The paper's reference.
pub const REFERENCE: &str = "S. Goldt and U. Seifert, Stochastic thermodynamics of learning, \
                             Phys. Rev. Lett. 118, 010601 (2017)";

/// Simulated figures are seeded: the same preset and seed give the same bytes; across
/// machines the last bits of exp/ln may move a trajectory, so allow a few 1e-9.
const SIM_TOLERANCE: Tolerance = Tolerance { abs: 1e-6, rel: 1e-6 };

/// The paper and its studies.
pub fn paper() -> Paper {
    Paper {
        name: "goldt",
        reference: REFERENCE,
        units: crate::pipeline::UNITS,
        not_reproduced: vec![],
        studies: vec![
            Study::single(
                "fig2",
                "one weight: learning efficiency η over (ν, τ), analytic and simulated",
                fig2::fig2,
            ),
            Study::single(
                "fig3",
                "Hebbian learning, N → ∞: I(σT:σ) vs α, theory (20)-(21), approximation (S71), Monte Carlo",
                fig3::fig3,
            ),
            Study::single(
                "fig3inset",
                "Hebbian learning, N → ∞: efficiency η̃ (22) vs α for τ → 0 and τ → ∞",
                fig3::fig3_inset,
            ),
            Study::single(
                "bound",
                "the bound I ≤ ΔS + ΔQ (10)/(16) by simulation for several learning forces",
                bound::bound,
            ),
        ],
    }
}
