//! The terms of the bound (10)/(16) estimated from an ensemble of trajectories, with
//! standard errors from batch means:
//! - ΔS(ω_n): the change of the histogram entropy (Miller–Madow corrected,
//!   `infotheory::histogram_entropy`) of ω_n between the start and the end; the same
//!   estimator on both ends cancels most of its bias.
//! - I(σ_T^μ : σ^μ): the bias-corrected information of the 2 × 2 table of
//!   (σ_T^μ, σ^μ) (`infotheory::binary_pair_information`).

use infotheory::{binary_pair_information, histogram_entropy};
use streams::stats::{Estimate, mean_se};

use super::neuron::Outcome;
use crate::ModelError;

/// What the bound (10)/(16) compares, from an ensemble of trajectories.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct BoundTerms {
    /// Σ_μ I(σ_T^μ : σ^μ).
    pub information: Estimate,
    /// Σ_n ΔS(ω_n).
    pub entropy_change: Estimate,
    /// Σ_n ΔQ_n (mean heat).
    pub heat: Estimate,
    /// Σ_n ΔS(ω_n) + ΔQ_n.
    pub entropy_production: Estimate,
    /// η = I / (ΔS + ΔQ).
    pub eta: Estimate,
}

fn terms_of(outcomes: &[&Outcome], bin: f64) -> Result<[f64; 3], ModelError> {
    let (n, p) = (outcomes[0].omega_end.len(), outcomes[0].labels_true.len());
    let mut info = 0.0;
    for mu in 0..p {
        let a: Vec<i8> = outcomes.iter().map(|o| o.labels_true[mu]).collect();
        let b: Vec<i8> = outcomes.iter().map(|o| o.labels_predicted[mu]).collect();
        info += binary_pair_information(&a, &b)?;
    }
    let mut ds = 0.0;
    for i in 0..n {
        let end: Vec<f64> = outcomes.iter().map(|o| o.omega_end[i]).collect();
        let start: Vec<f64> = outcomes.iter().map(|o| o.omega_start[i]).collect();
        ds += histogram_entropy(&end, bin)? - histogram_entropy(&start, bin)?;
    }
    let heat = outcomes.iter().map(|o| o.heat).sum::<f64>() / outcomes.len() as f64;
    Ok([info, ds, heat])
}

/// Estimates the terms of the bound from trajectories, with batch-mean errors over
/// `batches` consecutive batches. `bin` is the histogram bin width for ΔS.
///
/// # Errors
/// Fewer than 2 batches or fewer than two trajectories per batch; a bad bin width or a
/// non-finite weight (from the entropy estimator).
pub fn bound_terms(
    outcomes: &[Outcome],
    batches: usize,
    bin: f64,
) -> Result<BoundTerms, ModelError> {
    if batches < 2 || outcomes.len() < 2 * batches {
        return Err(ModelError::InvalidParameter {
            name: "batches",
            value: batches as f64,
            requirement: "need ≥ 2 batches of ≥ 2 trajectories",
        });
    }
    let all: Vec<&Outcome> = outcomes.iter().collect();
    let whole = terms_of(&all, bin)?;
    let size = outcomes.len() / batches;
    let per: Vec<[f64; 3]> = (0..batches)
        .map(|b| terms_of(&all[b * size..(b + 1) * size], bin))
        .collect::<Result<_, _>>()?;
    // The value from all trajectories; its error from the spread of the batch values.
    let est = |f: &dyn Fn(&[f64; 3]) -> f64| {
        let batch: Vec<f64> = per.iter().map(f).collect();
        let se = mean_se(&batch).map_or(f64::NAN, |m| m.se);
        Estimate { value: f(&whole), se }
    };
    Ok(BoundTerms {
        information: est(&|x| x[0]),
        entropy_change: est(&|x| x[1]),
        heat: est(&|x| x[2]),
        entropy_production: est(&|x| x[1] + x[2]),
        eta: est(&|x| x[0] / (x[1] + x[2])),
    })
}
