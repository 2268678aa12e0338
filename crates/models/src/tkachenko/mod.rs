//! Tkachenko, *Thermodynamic bounds on energy use in (quasi-static) Deep Neural Networks*
//! (2025; v1 and the quasi-static version): a feedforward network as a physical energy
//! functional whose minimum is the forward pass, whose stresses propagate backwards like
//! backpropagation, and whose parameters can be trained by Langevin annealing.
//!
//! - [`Network`]: the functional F, its gradients, the stresses, relaxation (Newton with
//!   the analytic Hessian; allocation-free with a [`RelaxScratch`]), the clamped minimum
//!   F*(θ) and backpropagation for comparison.
//! - [`ClampedNeurons`], [`boltzmann_sample`]: neurons at temperature T, as a
//!   `langevin::Potential` (Euler–Maruyama and Sekimoto energetics from `langevin`) and
//!   by the exact forward-noise sampler.
//! - [`LinearStudent`]: Langevin training of a linear student with switched data entries,
//!   with the full energy accounting and the fast-switching theory.
//! - [`Annealing`]: the same for any network in the κ_hidden → ∞ fast path, with an
//!   allocation-free backward pass ([`Backprop`]).

mod anneal;
mod dynamics;
mod network;
mod relax;
mod training;

pub use anneal::{AnnealRecord, Annealing, Backprop};
pub use dynamics::{ClampedNeurons, boltzmann_sample};
pub use network::{Activation, Layer, Network, Relaxed, State};
pub use relax::{RelaxScratch, RelaxStats};
pub use training::{LinearStudent, TrainingRecord};
