//! # langevin
//!
//! Overdamped and underdamped Langevin integrators with stochastic energetics (heat and
//! work along trajectories), exact linear-Langevin analytics (Lyapunov covariance,
//! entropy production rate) and the Jarzynski estimator.
//!
//! **Status:** this crate is empty. Its integrators and analytics are the subject of the
//! langevin issue.
