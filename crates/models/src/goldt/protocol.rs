//! The learning protocols of Goldt & Seifert: the learning force f(ω, F, t) (the ramp
//! (12), a sudden switch, an ω-dependent stiffening) and how the samples drive the weights
//! (batch (14) or online (15)).
//!
//! Every learning force derives from a time-dependent potential U(ω, t) = ω²/2 +
//! U_L(ω, t) with f = −∂U_L/∂ω, so the heat is well defined along trajectories.

use crate::ModelError;
use crate::error::finite;

/// A learning force f(ω, F, t) on a weight whose Hebbian target is F (F = σ_T ξ for one
/// weight; F_n = Σ_μ ξ_n^μ σ_T^μ/√N for batch learning).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LearningForce {
    /// The linear ramp (12): f = ν F min(t/τ, 1).
    Ramp {
        /// Learning rate ν.
        nu: f64,
        /// Duration τ > 0.
        tau: f64,
    },
    /// A sudden switch: f = ν F for t > 0 (the τ → 0 limit of the ramp).
    Switch {
        /// Learning rate ν.
        nu: f64,
    },
    /// A force that depends on ω: f = r(t)(ν F − λ ω), r = min(t/τ, 1). The Hebbian pull
    /// plus a learnt stiffening of the weight's trap (final state N(νF/(1+λ), 1/(1+λ))).
    Stiffening {
        /// Learning rate ν.
        nu: f64,
        /// Extra stiffness λ > −1.
        lambda: f64,
        /// Duration τ > 0.
        tau: f64,
    },
}

impl LearningForce {
    /// Checks the parameters.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] naming the bad value.
    pub fn validate(&self) -> Result<(), ModelError> {
        let positive = |name, v: f64| -> Result<(), ModelError> {
            if finite(name, v)? > 0.0 {
                Ok(())
            } else {
                Err(ModelError::InvalidParameter { name, value: v, requirement: "must be > 0" })
            }
        };
        match *self {
            LearningForce::Ramp { nu, tau } => {
                finite("nu", nu)?;
                positive("tau", tau)
            }
            LearningForce::Switch { nu } => finite("nu", nu).map(|_| ()),
            LearningForce::Stiffening { nu, lambda, tau } => {
                finite("nu", nu)?;
                if !(finite("lambda", lambda)? > -1.0) {
                    return Err(ModelError::InvalidParameter {
                        name: "lambda",
                        value: lambda,
                        requirement: "must be > −1 (the trap must stay confining)",
                    });
                }
                positive("tau", tau)
            }
        }
    }

    /// A short name for tables.
    pub fn name(&self) -> &'static str {
        match self {
            LearningForce::Ramp { .. } => "ramp",
            LearningForce::Switch { .. } => "switch",
            LearningForce::Stiffening { .. } => "stiffening",
        }
    }

    /// The protocol's progress r(t) ∈ [0, 1].
    fn progress(&self, t: f64) -> f64 {
        match *self {
            LearningForce::Ramp { tau, .. } | LearningForce::Stiffening { tau, .. } => {
                (t / tau).clamp(0.0, 1.0)
            }
            LearningForce::Switch { .. } => {
                if t > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// U_L(ω, t), with f = −∂U_L/∂ω.
    pub fn potential(&self, omega: f64, big_f: f64, t: f64) -> f64 {
        let r = self.progress(t);
        match *self {
            LearningForce::Ramp { nu, .. } | LearningForce::Switch { nu } => {
                -r * nu * big_f * omega
            }
            LearningForce::Stiffening { nu, lambda, .. } => {
                r * (-nu * big_f * omega + 0.5 * lambda * omega * omega)
            }
        }
    }

    /// f(ω, F, t).
    pub fn force(&self, omega: f64, big_f: f64, t: f64) -> f64 {
        let r = self.progress(t);
        match *self {
            LearningForce::Ramp { nu, .. } | LearningForce::Switch { nu } => r * nu * big_f,
            LearningForce::Stiffening { nu, lambda, .. } => r * (nu * big_f - lambda * omega),
        }
    }

    /// When the protocol has finished changing (0 for the switch).
    pub fn duration(&self) -> f64 {
        match *self {
            LearningForce::Ramp { tau, .. } | LearningForce::Stiffening { tau, .. } => tau,
            LearningForce::Switch { .. } => 0.0,
        }
    }
}

/// How the samples drive the weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// Batch learning (14): F_n = Σ_μ ξ_n^μ σ_T^μ / √N, constant.
    Batch,
    /// Online learning (15): the force uses one sample μ(t) at a time, F_n(t) =
    /// (P/√N) ξ_n^{μ(t)} σ_T^{μ(t)}, with μ(t) drawn afresh (uniformly) every step, so that
    /// its average over μ is the batch F_n.
    Online,
}
