//! Ingrosso & Panizon, *Machine learning at the mesoscale: a computation-dissipation
//! bottleneck*, PRE 109, 014132 (2024).
//!
//! Spins s_i = ±1 flip one at a time with rate Γ exp(−β s_i h_i), h = W s + x, and Γ = 1
//! sets the unit of time (the paper leaves the prefactor open: steady states do not
//! depend on it, entropy production *rates* scale with it).

//!
//! Everything is exported flat from this module (`models::bottleneck::Layer`); the
//! submodules are private and only organise the code:
//! - the two-spin system of Figs. 1–2 (`TwoSpin`, `TwoSpinSetup`, `ParityTask`);
//! - the linear two-unit system of Fig. 6 (`LinearTwoUnit`);
//! - the two spin chains of Figs. 4–5 (`ChainLayout`, `ChainSystem`, `RunLength`) and
//!   their training on a data set (`Layer`, `TradeOff`, `TaskData`, `Optimizer`).

mod chains;
mod front;
mod linear;
mod two_spin;

pub use chains::{ChainLayout, ChainSystem, Couplings, InputResponse, RunLength, asymmetry};
pub use front::{Calibration, Evaluation, Features, Layer, Optimizer, Targets, TaskData, TradeOff};
pub use linear::{LinearMeasures, LinearTwoUnit};

pub use two_spin::{
    GaussianInputs, ParityTask, RotationSense, STATES, TwoSpin, TwoSpinMeasures, TwoSpinScratch,
    TwoSpinSetup,
};
