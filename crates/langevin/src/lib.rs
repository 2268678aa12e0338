//! # langevin
//!
//! Langevin dynamics with its stochastic thermodynamics:
//!
//! - **Integrators** ([`integrate`]): Euler–Maruyama for any first-order SDE
//!   dx = F(x, t) dt + B dW ([`Sde`], [`Noise`]); the exact Ornstein–Uhlenbeck update for
//!   linear drift ([`ExactOu`]); Euler and BAOAB for underdamped systems
//!   ([`Underdamped`], with mass, friction and temperature tied by the
//!   fluctuation–dissipation relation). Orders are stated on each and tested. One
//!   [`Integrator`] trait and one driver, [`run`], with observers for all four.
//! - **Stochastic energetics** ([`energetics`]): Sekimoto work and heat along
//!   trajectories of overdamped Brownian motion in a time-dependent potential, with the
//!   first law checked per trajectory and the medium entropy Q/T.
//! - **Jarzynski** ([`jarzynski()`]): ΔF = −T ln⟨e^{−W/T}⟩ by log-sum-exp, its leading
//!   bias, and a bootstrap error bar.
//! - **Exact linear-Langevin analytics** ([`linear`]): the Lyapunov equation
//!   ([`solve_lyapunov`], a matrix-sign-function solver, since faer has none), a stability
//!   check naming the offending eigenvalue, stationary and time-dependent moments, and
//!   the entropy production rate from the covariance, from the frequency integral, and as
//!   Landi–Tomé–de Oliveira Π(t), Φ(t).
//!
//! Units: k_B = 1; temperatures in energy units; entropies in nats; rates per unit time.
//! Every stochastic routine takes its RNG from the caller; [`ensemble`] runs independent
//! trajectories in parallel with one PCG-64 stream each ([`stream_rng`]), so results do
//! not depend on the number of threads. Nothing here allocates per step.
//!
//! ```
//! use faer::mat;
//! use langevin::{LinearLangevin, Noise};
//! // The two-unit system of Ingrosso & Panizon (A11): Σ = 2 J_a².
//! let (js, ja) = (0.3, 0.8);
//! let w = mat![[-1.0, js + ja], [js - ja, -1.0]];
//! let sys = LinearLangevin::new(w, vec![0.0, 0.0], Noise::Additive(0.1))?;
//! let sigma = sys.stationary_entropy_production()?;
//! assert!((sigma - 2.0 * ja * ja).abs() < 1e-10);
//! let spectral = sys.spectral_entropy_production(1e-10)?;
//! assert!((spectral - 2.0 * ja * ja).abs() < 1e-8);
//! # Ok::<(), langevin::LangevinError>(())
//! ```

pub mod energetics;
mod error;
pub mod integrate;
mod jarzynski;
pub mod linear;
mod lyapunov;
mod matrix;
mod noise;

pub use energetics::{Brownian, Energetics, MovingTrap, Potential, SekimotoEuler};
pub use error::LangevinError;
pub use integrate::{
    Baoab, EulerMaruyama, ExactOu, Integrator, LinearForces, MediumEntropy, Observer,
    SampleMoments, Sde, Underdamped, UnderdampedEuler, run,
};
pub use jarzynski::{JarzynskiEstimate, jarzynski, jarzynski_bootstrap};
pub use linear::{EntropyRates, LinearLangevin, Moments, evolve_moments};
pub use lyapunov::{
    LyapunovSolution, check_stable, lyapunov_residual, solve_lyapunov, solve_lyapunov_kronecker,
};
pub use matrix::expm;
pub use noise::Noise;
pub use streams::{ensemble, stream_rng};
