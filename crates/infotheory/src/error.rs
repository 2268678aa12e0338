//! The one error type of this crate.

/// What can go wrong when computing an information-theoretic quantity.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum InfoError {
    /// A distribution or matrix with no entries.
    #[error("empty distribution or matrix")]
    Empty,
    /// A probability was negative or not finite.
    #[error("probability p[{index}] = {value} is not a finite non-negative number")]
    InvalidProbability {
        /// Flat index of the offending entry.
        index: usize,
        /// The value that was given.
        value: f64,
    },
    /// Probabilities did not sum to one (tolerance 1e-9).
    #[error("probabilities sum to {sum}, not 1")]
    NotNormalized {
        /// The sum that was found.
        sum: f64,
    },
    /// A table's length does not match the shape it was given.
    #[error("table has {len} entries but shape {shape:?} needs {expected}")]
    ShapeMismatch {
        /// Number of entries given.
        len: usize,
        /// The shape.
        shape: Vec<usize>,
        /// Number of entries the shape needs.
        expected: usize,
    },
    /// Two distributions that must be over the same set have different lengths.
    #[error("distributions have lengths {left} and {right}")]
    LengthMismatch {
        /// Length of the first.
        left: usize,
        /// Length of the second.
        right: usize,
    },
    /// A covariance matrix is not square.
    #[error("covariance matrix is {rows}×{cols}, not square")]
    NotSquare {
        /// Rows.
        rows: usize,
        /// Columns.
        cols: usize,
    },
    /// A covariance entry is NaN or infinite.
    #[error("covariance entry ({row}, {col}) = {value} is not finite")]
    NonFiniteCovariance {
        /// Row.
        row: usize,
        /// Column.
        col: usize,
        /// The value.
        value: f64,
    },
    /// A covariance matrix is not symmetric.
    #[error("covariance is not symmetric: C[{row},{col}] = {upper} but C[{col},{row}] = {lower}")]
    NotSymmetric {
        /// Row of the upper entry.
        row: usize,
        /// Column of the upper entry.
        col: usize,
        /// C[row, col].
        upper: f64,
        /// C[col, row].
        lower: f64,
    },
    /// The Cholesky factorisation met a non-positive pivot.
    #[error(
        "covariance is not positive definite: Cholesky pivot {index} is not positive \
         (diagonal entry there {diagonal})"
    )]
    NotPositiveDefinite {
        /// Index of the failing pivot.
        index: usize,
        /// The diagonal entry of the input at that index.
        diagonal: f64,
    },
    /// A variable index is out of range, repeated, or a block is empty.
    #[error("bad variable block {indices:?} for a {dim}-dimensional Gaussian")]
    BadBlock {
        /// The indices that were given.
        indices: Vec<usize>,
        /// Dimension of the Gaussian.
        dim: usize,
    },
    /// A sample (or an estimator's setting) that cannot be used.
    #[error("{what} [{index}] = {value} cannot be used (must be finite; a bin width must be > 0)")]
    InvalidSample {
        /// Which input.
        what: &'static str,
        /// Its index.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A quadrature order that cannot be built.
    #[error("Gauss–Hermite order {n} is not supported (use 1..=1000)")]
    QuadratureOrder {
        /// The order that was asked for.
        n: usize,
    },
}
