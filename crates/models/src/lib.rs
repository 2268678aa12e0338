//! # models
//!
//! The physical systems of the reproduced papers, each defined once and analysed by the
//! engines of the workspace (exact master equations from `stoch-core`, information
//! measures from `infotheory`).
//!
//! - [`bottleneck`]: Ingrosso & Panizon, *Machine learning at the mesoscale: a
//!   computation-dissipation bottleneck*, PRE 109, 014132 (2024).
//! - [`goldt`]: Goldt & Seifert, *Stochastic thermodynamics of learning*, PRL 118,
//!   010601 (2017).
//! - [`springs`]: Mantilla Calderón & Aspuru-Guzik, *Learning with springs and sticks*
//!   (2025).
//!
//! Units: k_B = 1 (except `springs`, whose k_B is a parameter), entropies in nats, time in units of the inverse rate prefactor.
//! This crate does no IO.

pub mod bottleneck;
mod error;
pub mod goldt;
pub mod springs;
pub mod tkachenko;

pub use error::ModelError;
