//! What the two-spin figures (1b, 2a–c) share: the choices common to all of them, their
//! column definitions, and the optimiser of an objective over a box of (J_s, J_a).

use anyhow::Result;
use learn::{Maximum, maximize_in_box};
use models::bottleneck::{TwoSpinMeasures, TwoSpinScratch, TwoSpinSetup};

use super::presets::TwoSpinParams;
use crate::pipeline::Column;

/// Choices every two-spin figure makes, formatted from its system's params.
pub fn common_choices(p: &TwoSpinParams) -> Vec<String> {
    vec![
        "rate prefactor Γ = 1 (the paper: 'not relevant'); Σ is in nats per unit time 1/Γ".into(),
        format!(
            "R(φ) turns {}: the sense in which the optimal J_a > 0 as the paper states; \
             the other sense is the mirror image (φ, J_a) → (−φ, −J_a)",
            match p.rotation_sense {
                models::bottleneck::RotationSense::Clockwise => "clockwise",
                models::bottleneck::RotationSense::Counterclockwise => "counterclockwise",
            }
        ),
        format!(
            "(J_s, J_a) searched in [−J_max, J_max]² with J_max = {} (paper: range not stated)",
            p.j_max
        ),
        "expectations over x by a trapezoidal rule on the principal axes of C_x (spectrally \
         convergent; Gauss–Hermite converged too slowly because p(s|x) has poles near the \
         real axis)"
            .into(),
        "I(s,x) = H(s) − ⟨H(s|x)⟩_x (the paper writes H(x) − H(s|x), a typo)".into(),
    ]
}

/// The coupling columns.
pub const JS_COL: Column = Column::new("js", "energy", "symmetric coupling J_s");
/// The antisymmetric coupling column.
pub const JA_COL: Column = Column::new("ja", "energy", "antisymmetric coupling J_a");
/// Σ.
pub const SIGMA_COL: Column =
    Column::new("sigma", "nats per unit time", "input-averaged EP rate Σ");
/// I(s, y).
pub const ISY_COL: Column = Column::new("i_sy", "nats", "I(s, y)");
/// I(s, x).
pub const ISX_COL: Column = Column::new("i_sx", "nats", "I(s, x)");

/// Where a compass search runs: the box [lo, hi] (a constraint such as J_a = 0 or
/// J_a ≥ 0 is a degenerate or half box) inside the outer square [−J_max, J_max]².
pub struct SearchBox {
    /// Lower corner.
    pub lo: [f64; 2],
    /// Upper corner.
    pub hi: [f64; 2],
    /// Half-width of the outer square.
    pub j_max: f64,
}

/// Maximises `objective(measures)` over the box from `start` (the best point of a coarse
/// grid of spacing `h0`), stopping at |ΔJ| < `tol`.
pub fn optimise(
    setup: &TwoSpinSetup,
    scratch: &mut TwoSpinScratch,
    objective: impl Fn(&TwoSpinMeasures) -> f64,
    start: [f64; 2],
    h0: f64,
    tol: f64,
    bx: &SearchBox,
) -> Result<(Maximum, TwoSpinMeasures)> {
    let (lo, hi, j_max) = (bx.lo, bx.hi, bx.j_max);
    let best = maximize_in_box(
        |p| -> Result<f64> { Ok(objective(&setup.measure(p[0], p[1], scratch)?)) },
        start,
        h0,
        lo,
        hi,
        tol,
    )?;
    let m = setup.measure(best.at[0], best.at[1], scratch)?;
    // Only the outer edge |J| = J_max limits the search; inner limits (J_a = 0 for the
    // equilibrium line or between the θ^sx branches) are constraints, not edges.
    let outer = |k: usize| lo[k] < hi[k] && best.at[k].abs() >= j_max;
    Ok((Maximum { on_boundary: outer(0) || outer(1), ..best }, m))
}
