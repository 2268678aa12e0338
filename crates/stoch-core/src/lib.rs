//! # stoch-core
//!
//! Finite continuous-time Markov jump processes and their exact stochastic
//! thermodynamics: a validated [`RateMatrix`], its generator, the steady state (by the
//! subtraction-free GTH algorithm, accurate when rates span many orders of magnitude),
//! probability fluxes, the Schnakenberg entropy production with its per-edge
//! contributions, a detailed-balance check and the time evolution p(t).
//!
//! Units: rates are in inverse time; entropies in nats (k_B = 1); entropy production
//! rates in nats per unit time.
//!
//! ```
//! use stoch_core::RateMatrix;
//! // A driven three-state ring: clockwise rate 2, anticlockwise rate 1.
//! let k = RateMatrix::from_fn(3, |i, j| if j == (i + 1) % 3 { 2.0 } else { 1.0 })?;
//! let p = k.steady_state()?;
//! let sigma = k.entropy_production_rate(&p)?;
//! // Cycle current (2 − 1)/3 times cycle affinity 3 ln 2.
//! assert!((sigma - (1.0 / 3.0) * 3.0 * 2f64.ln()).abs() < 1e-14);
//! # Ok::<(), stoch_core::StochError>(())
//! ```
//!
//! This crate does no IO and holds no global state.

mod entropy;
mod error;
mod evolve;
mod rates;
mod steady;

pub use entropy::{EdgeEntropy, EntropyProduction};
pub use error::StochError;
pub use evolve::Propagator;
pub use rates::RateMatrix;
pub use steady::SteadyStateSolver;
