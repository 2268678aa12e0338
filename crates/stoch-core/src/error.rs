//! The one error type of this crate.

/// What can go wrong when building or analysing a Markov jump process.
///
/// Every variant carries the offending value, so a caller can say exactly which input was
/// bad.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StochError {
    /// A process needs at least one state.
    #[error("a Markov jump process needs at least one state")]
    NoStates,
    /// A rate matrix given as rows was not square.
    #[error("rate matrix is not square: row {row} has {len} entries, expected {n_states}")]
    NotSquare {
        /// The offending row.
        row: usize,
        /// Its length.
        len: usize,
        /// The number of rows (= states).
        n_states: usize,
    },
    /// A rate was NaN or infinite.
    #[error("rate k({from}→{to}) = {rate} is not finite")]
    NonFiniteRate {
        /// Source state.
        from: usize,
        /// Target state.
        to: usize,
        /// The rate that was given.
        rate: f64,
    },
    /// A rate was negative.
    #[error("rate k({from}→{to}) = {rate} is negative")]
    NegativeRate {
        /// Source state.
        from: usize,
        /// Target state.
        to: usize,
        /// The rate that was given.
        rate: f64,
    },
    /// A state index was out of range.
    #[error("state {state} is out of range for a process with {n_states} states")]
    StateOutOfRange {
        /// The index that was given.
        state: usize,
        /// The number of states.
        n_states: usize,
    },
    /// The steady state is not unique because some state cannot be reached from another.
    #[error(
        "the process is not irreducible: state {to} cannot be reached from state {from}, \
         so the steady state is not unique"
    )]
    NotIrreducible {
        /// A state from which `to` is unreachable.
        from: usize,
        /// A state unreachable from `from`.
        to: usize,
    },
    /// The rates span so many orders of magnitude that the eliminated probability mass
    /// of a state underflowed to zero in double precision.
    #[error("steady state underflowed at state {state}: rates too extreme for f64")]
    Underflow {
        /// The state whose elimination underflowed.
        state: usize,
    },
    /// A transition has a positive rate but its reverse has rate zero. Its Schnakenberg
    /// entropy production is infinite.
    #[error(
        "transition {from}→{to} has rate {rate} but its reverse has rate 0: \
         the Schnakenberg entropy production is infinite"
    )]
    OneWayTransition {
        /// Source state of the transition with a positive rate.
        from: usize,
        /// Target state.
        to: usize,
        /// The positive forward rate.
        rate: f64,
    },
    /// A probability vector had the wrong length.
    #[error("probability vector has length {len}, the process has {n_states} states")]
    LengthMismatch {
        /// The length that was given.
        len: usize,
        /// The number of states.
        n_states: usize,
    },
    /// A probability was negative or not finite.
    #[error("probability p[{state}] = {value} is not a finite non-negative number")]
    InvalidProbability {
        /// The offending state.
        state: usize,
        /// The value that was given.
        value: f64,
    },
    /// Probabilities did not sum to one.
    #[error("probabilities sum to {sum}, not 1")]
    NotNormalized {
        /// The sum that was found.
        sum: f64,
    },
    /// A tolerance that is not a finite non-negative number.
    #[error("tolerance {name} = {value} must be finite and ≥ 0")]
    InvalidTolerance {
        /// Which tolerance.
        name: &'static str,
        /// Its value.
        value: f64,
    },
    /// A time was negative or not finite.
    #[error("time t = {t} must be finite and non-negative")]
    InvalidTime {
        /// The time that was given.
        t: f64,
    },
}
