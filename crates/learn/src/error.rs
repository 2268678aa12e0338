//! The crate's error type.

/// What can go wrong in `learn`; each variant names the bad value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LearnError {
    /// No samples, or no features.
    #[error("{what} is empty ({rows} × {cols})")]
    Empty {
        /// Which input.
        what: &'static str,
        /// Rows.
        rows: usize,
        /// Columns.
        cols: usize,
    },
    /// Inputs disagree in size.
    #[error("{what} has size {found}, expected {expected}")]
    DimensionMismatch {
        /// Which input.
        what: &'static str,
        /// Expected size.
        expected: usize,
        /// Found size.
        found: usize,
    },
    /// A non-finite input value.
    #[error("{what}[{index}] = {value} is not finite")]
    NonFinite {
        /// Which input.
        what: &'static str,
        /// Its flat index.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A label outside 0..classes.
    #[error("label {label} at sample {index} is outside 0..{classes}")]
    BadLabel {
        /// The sample.
        index: usize,
        /// The label.
        label: usize,
        /// Number of classes.
        classes: usize,
    },
    /// A parameter outside its range.
    #[error("parameter {name} = {value} is invalid: {requirement}")]
    InvalidParameter {
        /// Its name.
        name: &'static str,
        /// Its value.
        value: f64,
        /// What it must satisfy.
        requirement: &'static str,
    },
    /// The objective returned a non-finite value.
    #[error("objective returned {value} at SPSA iteration {iteration}")]
    ObjectiveNotFinite {
        /// The iteration.
        iteration: usize,
        /// The value.
        value: f64,
    },
    /// An optimiser did not reach its tolerance.
    #[error("{what} did not converge in {iterations} iterations (gradient norm {gradient:e})")]
    NoConvergence {
        /// Which optimiser.
        what: &'static str,
        /// Iterations done.
        iterations: usize,
        /// Final gradient norm.
        gradient: f64,
    },
    /// A linear system was singular.
    #[error("the least-squares system is singular (add a ridge penalty)")]
    Singular,
}

pub(crate) fn check_finite(what: &'static str, v: &[f64]) -> Result<(), LearnError> {
    match v.iter().position(|x| !x.is_finite()) {
        Some(index) => Err(LearnError::NonFinite { what, index, value: v[index] }),
        None => Ok(()),
    }
}
