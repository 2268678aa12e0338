//! What a jump process is: the model traits.
//!
//! A model has a fixed number of *channels*; channel `c` fires from state `s` at rate
//! a_c(s) ≥ 0 (inverse time) and changes the state deterministically. Optional abilities
//! are extra traits: [`Reversible`] (each channel has a reverse channel, which the entropy
//! production needs), [`DependencyGraph`] (which rates a firing can change, which unlocks
//! the [`crate::SumTreeMethod`]) and [`FiniteStateSpace`] (states can be enumerated, so the
//! same model converts to an exact `stoch_core::RateMatrix`).

use stoch_core::RateMatrix;

use crate::GillespieError;

/// A continuous-time Markov jump process described by channels.
pub trait JumpModel {
    /// The state.
    type State: Clone;
    /// Number of channels.
    fn n_channels(&self) -> usize;
    /// Rate a_c(s) of channel `c` in state `s`, inverse time; 0 if it cannot fire.
    fn rate(&self, state: &Self::State, channel: usize) -> f64;
    /// Fires channel `c`: changes `state` in place.
    fn fire(&self, state: &mut Self::State, channel: usize);
    /// Rejects a state the model cannot start from (wrong size, a negative count, a spin
    /// not ±1); the engines call it once before a run. Models whose every value of
    /// `State` is valid keep the default.
    ///
    /// # Errors
    /// [`GillespieError::InvalidModel`] saying what is wrong.
    fn check_state(&self, state: &Self::State) -> Result<(), GillespieError> {
        let _ = state;
        Ok(())
    }
}

/// Models whose every channel has a reverse: firing `c` from s to s' can be undone by
/// firing `reverse(c)` from s'. The entropy production of the jump is then
/// ln[a_c(s) / a_{reverse(c)}(s')] (nats), +∞ if there is no reverse or its rate is 0.
pub trait Reversible: JumpModel {
    /// The channel that undoes `channel`, if any.
    fn reverse(&self, channel: usize) -> Option<usize>;
}

/// Models that know which rates a firing can change.
pub trait DependencyGraph: JumpModel {
    /// The channels whose rates may change when `channel` fires (including `channel`
    /// itself if its own rate may change). Rates of other channels must stay equal.
    fn affected(&self, channel: usize) -> &[usize];
}

/// Models whose states can be enumerated as 0..n.
pub trait FiniteStateSpace: JumpModel {
    /// Whether the states can be enumerated here (a model whose state space is finite
    /// but too large to list says so); [`to_rate_matrix`] asks first.
    ///
    /// # Errors
    /// [`GillespieError::InvalidModel`] naming the size.
    fn check_enumerable(&self) -> Result<(), GillespieError> {
        Ok(())
    }
    /// Number of states.
    fn n_states(&self) -> usize;
    /// The index of a state.
    fn index(&self, state: &Self::State) -> usize;
    /// The state with an index.
    fn state(&self, index: usize) -> Self::State;
}

/// The exact rate matrix of a finite model: k(s→s') = Σ of the rates of the channels that
/// take s to s'. One model definition thus serves both the simulation and the exact
/// master-equation answer.
///
/// # Errors
/// [`FiniteStateSpace::check_enumerable`]'s error for a state space too large to list;
/// [`GillespieError::Markov`] if a rate is not finite or negative.
pub fn to_rate_matrix<M: FiniteStateSpace>(model: &M) -> Result<RateMatrix, GillespieError> {
    model.check_enumerable()?;
    let n = model.n_states();
    let mut edges = Vec::new();
    for i in 0..n {
        let s = model.state(i);
        for c in 0..model.n_channels() {
            let r = model.rate(&s, c);
            if r != 0.0 || !r.is_finite() {
                let mut t = s.clone();
                model.fire(&mut t, c);
                edges.push((i, model.index(&t), r));
            }
        }
    }
    Ok(RateMatrix::from_edges(n, &edges)?)
}
