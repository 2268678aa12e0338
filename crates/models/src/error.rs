//! The one error type of this crate.

/// What can go wrong when building or analysing a model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A model parameter is outside its allowed range (or not finite).
    #[error("parameter {name} = {value} is invalid: {requirement}")]
    InvalidParameter {
        /// The parameter's name as in the paper.
        name: &'static str,
        /// The value that was given.
        value: f64,
        /// What it must satisfy.
        requirement: &'static str,
    },
    /// The underlying Markov process could not be analysed.
    #[error(transparent)]
    Markov(#[from] stoch_core::StochError),
    /// A readout or optimiser failed.
    #[error(transparent)]
    Learn(#[from] learn::LearnError),
    /// A stochastic simulation failed.
    #[error(transparent)]
    Gillespie(#[from] gillespie::GillespieError),
    /// A Langevin analysis failed (e.g. an unstable drift matrix).
    #[error(transparent)]
    Langevin(#[from] langevin::LangevinError),
    /// An information measure could not be computed.
    #[error(transparent)]
    Info(#[from] infotheory::InfoError),
}

/// Checks that a parameter is finite.
pub(crate) fn finite(name: &'static str, value: f64) -> Result<f64, ModelError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(ModelError::InvalidParameter { name, value, requirement: "must be finite" })
    }
}
