//! The crate's error type.

use thiserror::Error;

/// Everything that can go wrong in `langevin`. Each variant carries the value that was
/// wrong, so a message names the culprit.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum LangevinError {
    /// A matrix or vector entry is NaN or infinite.
    #[error("{what}[{row}, {col}] = {value} is not finite")]
    NonFinite {
        /// Which input (e.g. "drift matrix").
        what: &'static str,
        /// Row of the entry (0 for vectors).
        row: usize,
        /// Column of the entry (the index for vectors).
        col: usize,
        /// The offending value.
        value: f64,
    },
    /// Two inputs disagree in size.
    #[error("{what} has size {found}, expected {expected}")]
    DimensionMismatch {
        /// Which input.
        what: &'static str,
        /// The size it should have.
        expected: usize,
        /// The size it has.
        found: usize,
    },
    /// The drift matrix has an eigenvalue with non-negative real part, so no stationary
    /// state exists.
    #[error("drift matrix is not stable: eigenvalue {re} + {im}i has Re >= 0")]
    Unstable {
        /// Real part of the offending eigenvalue.
        re: f64,
        /// Imaginary part of the offending eigenvalue.
        im: f64,
    },
    /// The moments after time t do not fit in f64: the drift (unstable here, or merely
    /// fast-growing) made them overflow.
    #[error(
        "the moments after t = {t} overflow f64 ({what} is {value}); the drift's largest \
         real eigenvalue part is {max_re}"
    )]
    MomentsOverflow {
        /// The time asked for.
        t: f64,
        /// Which moment overflowed ("mean" or "covariance").
        what: &'static str,
        /// The non-finite value.
        value: f64,
        /// max Re λ(A): positive for an unstable drift.
        max_re: f64,
    },
    /// A matrix that must be symmetric positive (semi)definite is not.
    #[error("{what} is not positive definite (pivot {index} is {pivot})")]
    NotPositiveDefinite {
        /// Which matrix.
        what: &'static str,
        /// Index of the failing pivot.
        index: usize,
        /// The pivot value (or the diagonal entry that failed).
        pivot: f64,
    },
    /// A matrix that must be symmetric is not.
    #[error("{what} is not symmetric: entry ({row}, {col}) differs from its transpose by {diff}")]
    NotSymmetric {
        /// Which matrix.
        what: &'static str,
        /// Row of the worst entry.
        row: usize,
        /// Column of the worst entry.
        col: usize,
        /// |M_ij − M_ji|.
        diff: f64,
    },
    /// A matrix that must be inverted is singular.
    #[error("{what} is singular")]
    Singular {
        /// Which matrix.
        what: &'static str,
    },
    /// A parameter is out of its allowed range.
    #[error("parameter {name} = {value} is invalid: {reason}")]
    InvalidParameter {
        /// Its name.
        name: &'static str,
        /// Its value.
        value: f64,
        /// What it must satisfy.
        reason: &'static str,
    },
    /// The irreversible drift acts on a coordinate with no noise, so the entropy
    /// production is infinite (or undefined) there.
    #[error("irreversible drift acts on coordinate {index}, which has no noise")]
    DriftWithoutNoise {
        /// The coordinate.
        index: usize,
    },
    /// An iteration did not converge.
    #[error("{what} did not converge in {iterations} iterations (residual {residual:e})")]
    NoConvergence {
        /// Which iteration.
        what: &'static str,
        /// Iterations done.
        iterations: usize,
        /// The last residual.
        residual: f64,
    },
    /// A sample set is empty where at least one value is needed.
    #[error("{what} is empty")]
    Empty {
        /// Which sample set.
        what: &'static str,
    },
    /// The trajectory left the finite numbers (the integrator diverged: step too large
    /// or unstable dynamics).
    #[error("state became non-finite at t = {time} (coordinate {index}); reduce dt")]
    Diverged {
        /// Time at which it happened.
        time: f64,
        /// The first non-finite coordinate.
        index: usize,
    },
    /// faer's eigenvalue solver failed.
    #[error("eigenvalue computation of the {what} did not converge")]
    Eigen {
        /// Which matrix.
        what: &'static str,
    },
}
