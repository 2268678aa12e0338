//! The simulation both simulated figures (fig2, bound) run: an ensemble of neurons, each
//! trajectory on its own keyed stream, and the terms of the bound estimated from it.

use anyhow::Result;
use models::goldt::{BoundTerms, Estimate, LearningForce, Neuron, Outcome, Scheme, bound_terms};

use crate::pipeline::Cell;

use super::presets::SimSettings;

/// Simulates `s.trajectories` runs of a neuron learning `patterns` with `force`; trajectory
/// i draws from the stream `label` [key…, i] of the run seed.
///
/// # Errors
/// A bad neuron or force, a failed trajectory, or too few samples for the estimators.
pub fn simulate(
    s: &SimSettings,
    patterns: Vec<Vec<f64>>,
    force: LearningForce,
    scheme: Scheme,
    seed: u64,
    label: &str,
    key: &[u64],
) -> Result<(Neuron, BoundTerms)> {
    let neuron = Neuron {
        patterns,
        force,
        scheme,
        gamma: s.gamma,
        dt: s.dt,
        t_end: force.duration() + s.relax,
    };
    neuron.validate()?;
    let outcomes: Vec<Outcome> = streams::keyed_ensemble(
        s.trajectories,
        seed,
        label,
        key,
        || (),
        |_, _, rng| neuron.run(rng),
    )
    .into_iter()
    .collect::<Result<_, _>>()?;
    let terms = bound_terms(&outcomes, s.batches, s.entropy_bin)?;
    Ok((neuron, terms))
}

/// The cells `value, se` of each estimate, in order (the columns of `Column::value_se`).
pub fn value_se_cells(estimates: &[Estimate]) -> impl Iterator<Item = Cell> + '_ {
    estimates.iter().flat_map(|e| [Cell::Num(e.value), Cell::Num(e.se)])
}
