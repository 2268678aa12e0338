//! Mantilla Calderón & Aspuru-Guzik, *Learning with springs and sticks* (2025): sticks on
//! a grid fitted to data by springs, in a Langevin bath.
//!
//! - [`Grid`]: the sticks grid, multilinear interpolation (Eq. 3) and the consistent rod
//!   mass matrix of its edges (Eqs. 1–2).
//! - [`Springs`]: the system (one output), its potential, loss, least-squares optimum and
//!   its exact linear-Langevin form in z = (x, v) ([`Springs::to_linear`]).
//! - [`EulerMaruyama`] (the reference's integrator) and [`Baoab`].
//! - [`work_path`], [`work_mgf`], [`exact_mean_work`]: the reference's "work" and the
//!   exact statistics that show what it measures.
//!
//! **Equations of motion.** From L = Σ_edges [(m/8)(v_a + v_b)² + (m/24)(v_b − v_a)²] − U,
//! the Euler–Lagrange equations are 𝐌 ẍ = −∇U = c − K x with 𝐌 the assembled
//! consistent mass matrix: an interior node's row is (2dm/3) ẍ_i + (m/6) Σ_b (ẍ_{i+e_b} +
//! ẍ_{i−e_b}). The paper's App. C has two sign slips: its Eq. 12 gives the edge
//! (i − e_b, i) the term −(M/12)(ẋ_i − ẋ_{i−e_b}) where the derivative of (M/24)(ẋ_i −
//! ẋ_{i−e_b})² is +(M/12)(…), which makes its Eq. 13 non-symmetric; and Eq. 14 writes +k
//! on the right where Eq. 10 gives ∂L/∂x = −k Σ (ŷ − y) ∂ŷ/∂x (Eq. 11 has −k). We use the
//! derived equations, which are also what the reference code builds with SymPy.
//!
//! **Units.** Any consistent set: the reference uses SI with k_B = 1.380 648 52e-23 J/K
//! ([`BOLTZMANN_SI`]) except in Fig. 1b (k_B = 1). Energies are in the units of k·x².

mod barrier;
mod grid;
mod simulate;
mod system;

pub use barrier::{WorkMgf, WorkMgfOutcome, exact_mean_work, ito_rate, work_mgf};
pub use grid::Grid;
pub use simulate::{
    Baoab, EulerMaruyama, ItoTerms, WorkPath, em_moments, expected_power, simpson, work_path,
};
pub use system::{BOLTZMANN_SI, MassConvention, NoiseModel, Physics, Springs};
