//! Goldt & Seifert, *Stochastic thermodynamics of learning*, PRL 118, 010601 (2017).
//!
//! A perceptron's weights ω obey ω̇ = −ω + f(ω, ξ, σ_T, t) + ζ with ⟨ζζ⟩ = 2δ; its
//! predicted labels σ^μ are two-state jump processes with k± = γ exp(±A^μ/2),
//! A^μ = ω·ξ^μ/√N, γ ≫ 1; k_B = T = 1 (entropies in nats, heat in units of k_B T).
//! The information learnt is bounded by the weights' total entropy production,
//! Σ_μ I(σ_T^μ : σ^μ) ≤ Σ_n [ΔS(ω_n) + ΔQ_n] (10)/(16).
//!
//! Everything is exported flat from this module (`models::goldt::Neuron`); the
//! submodules are private and only organise the code:
//! - `analytic`: one weight learning one sample (heat (13), the entropy of the final
//!   two-Gaussian mixture, I from the stationary state, η (11)), and Hebbian learning in the
//!   thermodynamic limit (p_C (20), I (21), the approximation (S68)–(S71), η̃ (22)).
//! - `protocol`: the learning forces and the batch / online schemes;
//! - `neuron`: the weight Langevin equation and the label jump processes together, with
//!   heat along trajectories;
//! - `bound`: the terms of the bound from an ensemble (the weights' entropy change and I
//!   from the simulated pairs, by `infotheory`'s sample estimators, with batch-mean errors);
//! - `hebbian`: the Monte Carlo of Fig. 3 with bit-packed patterns.

mod analytic;
mod bound;
mod hebbian;
mod neuron;
mod protocol;

pub use analytic::{
    Efficiency, HebbianLimit, OneWeight, WeightEntropy, heat_ramp, information_from_p_correct,
    p_correct_gaussian, sigmoid,
};
pub use bound::{BoundTerms, bound_terms};
pub use hebbian::{fraction_correct, hebbian_stabilities};
pub use neuron::{Neuron, Outcome};
pub use protocol::{LearningForce, Scheme};
pub use streams::stats::Estimate;
