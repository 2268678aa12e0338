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
//! - `simulate`: the weight Langevin equation and the label jump processes together, with
//!   heat along trajectories, the weights' entropy change from the ensemble, and I from
//!   the simulated pairs; and the Monte Carlo of Fig. 3 with bit-packed patterns.

mod analytic;
mod simulate;

pub use analytic::{
    Efficiency, HebbianLimit, OneWeight, WeightEntropy, heat_ramp, information_from_p_correct,
    p_correct_gaussian, sigmoid,
};
pub use simulate::{
    BoundTerms, Estimate, LearningForce, Neuron, Outcome, Scheme, binary_pair_information,
    bound_terms, fraction_correct, hebbian_stabilities, histogram_entropy,
};
