//! The one error type of this crate.

/// What can go wrong in a stochastic simulation.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GillespieError {
    /// A channel's rate was NaN, infinite or negative.
    #[error("channel {channel} has rate {rate} at time {time} (rates must be finite and ≥ 0)")]
    BadRate {
        /// The channel.
        channel: usize,
        /// The rate that was computed.
        rate: f64,
        /// Simulation time when it happened.
        time: f64,
    },
    /// The total rate is zero: the state is absorbing.
    #[error("absorbing state reached at time {time} after {jumps} jumps (total rate 0)")]
    Absorbing {
        /// Simulation time.
        time: f64,
        /// Jumps made before.
        jumps: u64,
    },
    /// A stop rule that would never stop, or is not finite.
    #[error("invalid stop rule: {reason}")]
    InvalidStop {
        /// What is wrong.
        reason: &'static str,
    },
    /// The transient covers the whole run, so nothing is left to average.
    #[error(
        "the transient ({transient}) leaves nothing to average: the run ended at time {end} \
         after {jumps} jumps"
    )]
    NothingToAverage {
        /// The transient time that was asked for.
        transient: f64,
        /// Time at which the run stopped.
        end: f64,
        /// Jumps made.
        jumps: u64,
    },
    /// A model parameter is invalid.
    #[error("parameter {name} = {value} is invalid: {requirement}")]
    InvalidParameter {
        /// Its name.
        name: &'static str,
        /// The value.
        value: f64,
        /// What it must satisfy.
        requirement: &'static str,
    },
    /// A model description is inconsistent (sizes, indices).
    #[error("invalid model: {0}")]
    InvalidModel(String),
    /// Converting a finite model to a rate matrix failed.
    #[error(transparent)]
    Markov(#[from] stoch_core::StochError),
}
