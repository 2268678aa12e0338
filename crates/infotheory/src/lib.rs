//! # infotheory
//!
//! Shannon entropies and mutual information of discrete distributions, differential
//! entropies and mutual information of Gaussians (from covariance matrices, via a
//! Cholesky log-determinant), and Gauss–Hermite quadrature for expectations under
//! Gaussians, and estimators from samples (a histogram entropy and the information of two
//! binary variables, each with its leading bias correction). All quantities are in nats unless a function says otherwise; [`to_bits`]
//! converts.
//!
//! This crate does no IO and holds no global state.

mod discrete;
mod error;
mod gaussian;
mod quadrature;
mod samples;

pub use discrete::{
    JointDistribution, binary_entropy, check_distribution, conditional_mutual_information, entropy,
    kl_divergence, neg_x_ln_x, to_bits, to_nats,
};
pub use error::InfoError;
pub use gaussian::{
    gaussian_conditional_mutual_information, gaussian_entropy, gaussian_mutual_information,
    log_det_spd, sub_covariance,
};
pub use quadrature::{GaussHermite, GaussianRule, Node2, gaussian_nodes_2d};
pub use samples::{binary_pair_information, histogram_entropy};
