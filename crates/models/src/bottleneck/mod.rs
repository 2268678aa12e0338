//! Ingrosso & Panizon, *Machine learning at the mesoscale: a computation-dissipation
//! bottleneck*, PRE 109, 014132 (2024).
//!
//! Spins s_i = ±1 flip one at a time with rate Γ exp(−β s_i h_i), h = W s + x, and Γ = 1
//! sets the unit of time (the paper leaves the prefactor open: steady states do not
//! depend on it, entropy production *rates* scale with it).

pub mod chains;
pub mod front;
mod linear;
mod two_spin;

pub use linear::{LinearMeasures, LinearTwoUnit};

pub use two_spin::{
    GaussianInputs, ParityTask, RotationSense, STATES, TwoSpin, TwoSpinMeasures, TwoSpinScratch,
    TwoSpinSetup,
};
