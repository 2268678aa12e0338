//! # gillespie
//!
//! Exact stochastic simulation of continuous-time jump processes (Gillespie's algorithm),
//! with the entropy production accumulated jump by jump.
//!
//! - Models implement [`JumpModel`] (channels, their rates a_c(s) in inverse time, how a
//!   firing changes the state) and optionally [`Reversible`] (entropy production),
//!   [`DependencyGraph`] (the fast [`SumTreeMethod`]) and [`FiniteStateSpace`]
//!   ([`to_rate_matrix`]: the same model solved exactly by `stoch-core`).
//!   [`ReactionNetwork`] is a mass-action network with its counts in a `Vec`;
//!   [`ReactionNetwork::with_fixed_state`] gives the same network with `[i64; S]` counts
//!   ([`FixedStateNetwork`]), which the engines run faster.
//! - Engines: [`DirectMethod`] for any model; [`SumTreeMethod`], O(affected · log n)
//!   per jump; [`SpinFlipEngine`] for kinetic Ising networks ([`KineticIsing`]: the
//!   couplings W; rate exp(−β s_i h_i), h = W s + x, with the fields x given to each run,
//!   or bound by [`KineticIsing::with_fields`] for the generic engines), with tabulated
//!   rates and no exp/log per jump; [`SpinBatchEngine`] runs several such trajectories
//!   (one input each) in lockstep, four at a time, each bit-identical to its single run,
//!   for ~1.5× the throughput.
//! - A [`StopRule`] (t_max and/or n_max, a transient dropped from averages), or a
//!   [`TwoPhase`] plan (a transient that ends in time or in jumps, then a window from
//!   where it ended: `run_two_phase` in both spin engines), and
//!   [`Observer`]s ([`TimeAverage`], [`EntropyMeter`], [`JumpCounter`], [`Trajectory`])
//!   decide what is recorded; engines own no trajectory buffer.
//! - Every run takes its random generator from the caller; [`ensemble`] runs independent
//!   trajectories in parallel with one stream each ([`stream_rng`]), so results do not
//!   depend on the thread count.
//!
//! The entropy production of a jump s → s' through channel c is
//! ln[a_c(s) / a_{rev(c)}(s')] (nats, k_B = 1); summed over a stationary trajectory and
//! divided by its duration it estimates the Schnakenberg entropy production rate.
//!
//! ```
//! use gillespie::{DirectMethod, EntropyMeter, JumpModel, Reversible, StopRule, TimeAverage, stream_rng};
//!
//! /// A driven three-state ring: clockwise at rate 2, anticlockwise at rate 1.
//! struct Ring;
//! impl JumpModel for Ring {
//!     type State = usize;
//!     fn n_channels(&self) -> usize { 2 }
//!     fn rate(&self, _: &usize, c: usize) -> f64 { if c == 0 { 2.0 } else { 1.0 } }
//!     fn fire(&self, s: &mut usize, c: usize) { *s = if c == 0 { (*s + 1) % 3 } else { (*s + 2) % 3 } }
//! }
//! impl Reversible for Ring {
//!     fn reverse(&self, c: usize) -> Option<usize> { Some(1 - c) }
//! }
//!
//! let mut rng = stream_rng(42, 0);
//! let mut obs = (EntropyMeter::default(), TimeAverage::new(|s: &usize| (*s == 0) as u8 as f64));
//! let run = DirectMethod::new().run(&Ring, &mut 0, StopRule::time(2000.0), &mut rng, &mut obs)?;
//! let sigma = obs.0.total / run.window; // exact: (2 − 1) ln 2 ≈ 0.693 nats per unit time
//! assert!((sigma - 2f64.ln()).abs() < 0.1);
//! assert!((obs.1.mean() - 1.0 / 3.0).abs() < 0.05);
//! # Ok::<(), gillespie::GillespieError>(())
//! ```
//!
//! This crate does no IO and holds no global state.

mod batch;
mod engine;
mod error;
mod lanes;
mod model;
mod observe;
mod reactions;
mod spins;

pub use batch::{BatchLane, SpinBatchEngine};
pub use engine::{DirectMethod, SumTreeMethod};
pub use error::GillespieError;
pub use model::{DependencyGraph, FiniteStateSpace, JumpModel, Reversible, to_rate_matrix};
pub use observe::{
    EntropyMeter, JumpCounter, Observer, RunSummary, StopReason, StopRule, TimeAverage, Trajectory,
    TwoPhase,
};
pub use reactions::{FixedStateNetwork, Reaction, ReactionNetwork, birth_death, vilar};
pub use spins::{DrivenIsing, KineticIsing, MAX_TABLE_DEGREE, SpinFlipEngine, SpinStats};
pub use streams::{ensemble, stream_rng};
