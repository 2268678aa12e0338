//! # learn
//!
//! Learning algorithms for physical systems:
//!
//! - [`Spsa`]: simultaneous perturbation stochastic approximation (Spall) for maximising a
//!   noisy objective: documented gain sequences, Rademacher perturbations, optional
//!   common random numbers for the ± pair, averaging of several perturbations per step and
//!   iterate averaging; [`Spsa::maximize_paired`] hands each step's two evaluations to
//!   one call (a [`Pair`]), so a caller can run them at once.
//! - [`SoftmaxReadout`]: multinomial logistic regression (softmax / cross-entropy) with
//!   intercepts and an L2 penalty, fitted to a gradient tolerance by L-BFGS with warm
//!   starts, numerically stable for separable data and constant features.
//! - [`ridge_least_squares`]: least squares with intercept and optional ridge, by faer's QR.
//! - [`Mlp`]: a one-hidden-layer ReLU perceptron trained by SGD on the mean squared error
//!   (PyTorch's default initialisation), for comparisons with physical learners.
//! - [`maximize_in_box`]: deterministic compass search for the optimum of a smooth
//!   function of two variables over a box (exact landscapes such as the two-spin system).
//!
//! Every stochastic routine takes its RNG from the caller. This crate does no IO.

mod compass;
mod error;
mod least_squares;
mod mlp;
mod softmax;
mod spsa;

pub use compass::{Maximum, maximize_in_box};
pub use error::LearnError;
pub use least_squares::{LinearFit, ridge_least_squares};
pub use mlp::Mlp;
pub use softmax::{SoftmaxFit, SoftmaxReadout};
pub use spsa::{Pair, Spsa, SpsaResult, SpsaStep};
