//! The two-spin system of Sec. III A: couplings W₁₂ = J_s + J_a, W₂₁ = J_s − J_a, Gaussian
//! inputs x, and the rotated parity task.

use infotheory::{GaussianRule, Node2, gaussian_nodes_2d, neg_x_ln_x};
use stoch_core::{RateMatrix, SteadyStateSolver};

use crate::ModelError;
use crate::error::finite;

/// The four states (s₁, s₂) in the order used for every probability vector of this
/// module: index = 2·[s₁ = +1] + [s₂ = +1].
pub const STATES: [[f64; 2]; 4] = [[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]];

/// Index of the state reached from `state` by flipping spin `i`.
#[inline]
fn flipped(state: usize, i: usize) -> usize {
    state ^ (if i == 0 { 2 } else { 1 })
}

/// Two kinetic Ising spins with possibly nonreciprocal couplings.
///
/// Spin i flips at rate exp(−β s_i h_i) (time unit: inverse rate prefactor), with local
/// field h = W s + x and W = [[0, J_s + J_a], [J_s − J_a, 0]]. At J_a = 0 the dynamics obey
/// detailed balance with respect to F = −J_s s₁s₂ − x·s; J_a ≠ 0 breaks it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoSpin {
    /// Inverse temperature β (dimensionless, energies in units of the coupling scale).
    pub beta: f64,
    /// Symmetric coupling J_s.
    pub js: f64,
    /// Antisymmetric (nonreciprocal) coupling J_a.
    pub ja: f64,
}

impl TwoSpin {
    /// Validates the parameters.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] for a non-finite value or β < 0.
    pub fn new(beta: f64, js: f64, ja: f64) -> Result<Self, ModelError> {
        if !(finite("beta", beta)? >= 0.0) {
            return Err(ModelError::InvalidParameter {
                name: "beta",
                value: beta,
                requirement: "must be non-negative",
            });
        }
        Ok(Self { beta, js: finite("J_s", js)?, ja: finite("J_a", ja)? })
    }

    /// The coupling matrix W.
    pub fn couplings(&self) -> [[f64; 2]; 2] {
        [[0.0, self.js + self.ja], [self.js - self.ja, 0.0]]
    }

    /// Rate exp(−β s_i h_i) of flipping spin `i` in state `state` under input `x`.
    #[inline]
    pub fn flip_rate(&self, state: usize, i: usize, x: [f64; 2]) -> f64 {
        let s = STATES[state];
        let w = self.couplings();
        let h = w[i][1 - i] * s[1 - i] + x[i];
        (-self.beta * s[i] * h).exp()
    }

    /// The 4-state rate matrix for input `x`.
    ///
    /// # Errors
    /// [`ModelError::Markov`] if a rate overflows (β |h| beyond ~709).
    pub fn rate_matrix(&self, x: [f64; 2]) -> Result<RateMatrix, ModelError> {
        let mut k = RateMatrix::from_fn(4, |_, _| 0.0)?;
        self.fill_rate_matrix(x, &mut k)?;
        Ok(k)
    }

    /// Writes the rates for input `x` into an existing 4-state matrix (no allocation).
    ///
    /// # Errors
    /// As [`TwoSpin::rate_matrix`].
    pub fn fill_rate_matrix(&self, x: [f64; 2], k: &mut RateMatrix) -> Result<(), ModelError> {
        k.refill(|from, to| {
            (0..2).find(|&i| flipped(from, i) == to).map_or(0.0, |i| self.flip_rate(from, i, x))
        })?;
        Ok(())
    }

    /// The closed-form steady state (A1)–(A4) of the paper (after Ngampruetikorn, Schwab
    /// & Stephens, Nat. Commun. 11, 975 (2020)):
    /// p(s|x) ∝ e^{−βF} [e^{βJ_a s₁s₂} cosh β(x₁ − 2J_a s₂) + e^{−βJ_a s₁s₂} cosh β(x₂ + 2J_a s₁)],
    /// F = −J_s s₁s₂ − x₁s₁ − x₂s₂. Used to check the master-equation solution.
    pub fn steady_state_closed_form(&self, x: [f64; 2]) -> [f64; 4] {
        let b = self.beta;
        let mut p = [0.0; 4];
        for (k, s) in STATES.iter().enumerate() {
            let ss = s[0] * s[1];
            let boltz = (b * (self.js * ss + x[0] * s[0] + x[1] * s[1])).exp();
            let bracket = (b * self.ja * ss).exp() * (b * (x[0] - 2.0 * self.ja * s[1])).cosh()
                + (-b * self.ja * ss).exp() * (b * (x[1] + 2.0 * self.ja * s[0])).cosh();
            p[k] = boltz * bracket;
        }
        let z: f64 = p.iter().sum();
        p.map(|v| v / z)
    }
}

/// Which way R(φ) turns the input plane. The paper does not say; the two senses are
/// mirror images, related by (φ, J_a) → (−φ, −J_a) (swapping the spins swaps x₁ ↔ x₂,
/// which reverses the rotation and maps W₁₂ ↔ W₂₁).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RotationSense {
    /// R(φ) = [[cos φ, −sin φ], [sin φ, cos φ]].
    Counterclockwise,
    /// R(φ) = [[cos φ, sin φ], [−sin φ, cos φ]].
    Clockwise,
}

/// The rotated parity task p(y = 1 | x) = sigmoid(η x₁' x₂'), x' = R(φ) x, with R(φ) the
/// rotation by angle φ (radians) in the given sense.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParityTask {
    /// Sharpness η of the output rule.
    pub eta: f64,
    /// Rotation angle φ of the task in input space (radians).
    pub phi: f64,
    /// Sense of the rotation.
    pub sense: RotationSense,
}

impl ParityTask {
    /// p(y = 1 | x).
    #[inline]
    pub fn p_y1(&self, x: [f64; 2]) -> f64 {
        self.p_y(x)[1]
    }

    /// [p(y = 0 | x), p(y = 1 | x)], each computed directly (no 1 − p cancellation).
    #[inline]
    pub fn p_y(&self, x: [f64; 2]) -> [f64; 2] {
        let angle = match self.sense {
            RotationSense::Counterclockwise => self.phi,
            RotationSense::Clockwise => -self.phi,
        };
        let (sin, cos) = angle.sin_cos();
        let x1 = cos * x[0] - sin * x[1];
        let x2 = sin * x[0] + cos * x[1];
        let a = self.eta * x1 * x2;
        [1.0 / (1.0 + a.exp()), 1.0 / (1.0 + (-a).exp())]
    }
}

/// Zero-mean Gaussian inputs with unit variances and correlation ρ, with a quadrature rule
/// on the principal axes of their covariance for expectations over them.
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianInputs {
    /// Correlation ρ of x₁ and x₂.
    pub rho: f64,
    /// Quadrature nodes and weights.
    pub nodes: Vec<Node2>,
}

impl GaussianInputs {
    /// Builds the rule: `rules[0]` runs along the wide axis (variance 1 + |ρ|),
    /// `rules[1]` along the narrow one (variance 1 − |ρ|).
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] unless −1 < ρ < 1; [`ModelError::Info`] for a bad
    /// quadrature rule.
    pub fn new(rho: f64, rules: [GaussianRule; 2]) -> Result<Self, ModelError> {
        if !(finite("rho", rho)?.abs() < 1.0) {
            return Err(ModelError::InvalidParameter {
                name: "rho",
                value: rho,
                requirement: "must lie in (−1, 1)",
            });
        }
        let nodes = gaussian_nodes_2d([0.0; 2], [[1.0, rho], [rho, 1.0]], rules)?;
        Ok(Self { rho, nodes })
    }
}

/// Steady-state information and dissipation of the two-spin system on a task.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoSpinMeasures {
    /// I(s, x) = H(s) − ⟨H(s|x)⟩_x, nats.
    pub i_sx: f64,
    /// I(s, y) from p(s, y) = ⟨p(s|x) p(y|x)⟩_x (Eq. 4), nats.
    pub i_sy: f64,
    /// Σ = ⟨σ(x)⟩_x, the Schnakenberg entropy production rate averaged over inputs,
    /// nats per unit time.
    pub sigma: f64,
}

/// Per-thread scratch for [`TwoSpinSetup::measure`]: a rate matrix and a steady-state
/// solver that are refilled in place.
#[derive(Debug, Clone)]
pub struct TwoSpinScratch {
    rates: RateMatrix,
    solver: SteadyStateSolver,
}

impl Default for TwoSpinScratch {
    fn default() -> Self {
        let rates = RateMatrix::from_fn(4, |_, _| 1.0).expect("constant rates are valid");
        Self { rates, solver: SteadyStateSolver::new() }
    }
}

/// Everything but the couplings: β, the task and the input distribution. Evaluating a
/// coupling (J_s, J_a) is [`TwoSpinSetup::measure`].
#[derive(Debug, Clone, PartialEq)]
pub struct TwoSpinSetup {
    /// Inverse temperature β.
    pub beta: f64,
    /// The task.
    pub task: ParityTask,
    /// The input distribution and its quadrature rule.
    pub inputs: GaussianInputs,
}

impl TwoSpinSetup {
    /// The exact steady state p(s|x) of the master equation (GTH, from `stoch-core`).
    ///
    /// # Errors
    /// [`ModelError`] for invalid couplings or overflowing rates.
    pub fn steady_state(
        &self,
        js: f64,
        ja: f64,
        x: [f64; 2],
        scratch: &mut TwoSpinScratch,
    ) -> Result<[f64; 4], ModelError> {
        let sys = TwoSpin::new(self.beta, js, ja)?;
        sys.fill_rate_matrix(x, &mut scratch.rates)?;
        let mut p = [0.0; 4];
        scratch.solver.solve(&scratch.rates, &mut p)?;
        Ok(p)
    }

    /// I(s, x), I(s, y) and Σ at couplings (J_s, J_a), from the exact steady state at every
    /// quadrature node. Allocation-free.
    ///
    /// # Errors
    /// [`ModelError`] for invalid couplings or overflowing rates.
    pub fn measure(
        &self,
        js: f64,
        ja: f64,
        scratch: &mut TwoSpinScratch,
    ) -> Result<TwoSpinMeasures, ModelError> {
        let sys = TwoSpin::new(self.beta, js, ja)?;
        let mut p_s = [0.0; 4];
        let mut p_sy = [[0.0; 2]; 4];
        let mut h_s_given_x = 0.0;
        let mut sigma = 0.0;
        let mut p = [0.0; 4];
        for node in &self.inputs.nodes {
            sys.fill_rate_matrix(node.x, &mut scratch.rates)?;
            scratch.solver.solve(&scratch.rates, &mut p)?;
            let q = self.task.p_y(node.x);
            let w = node.weight;
            for k in 0..4 {
                p_s[k] += w * p[k];
                p_sy[k][0] += w * p[k] * q[0];
                p_sy[k][1] += w * p[k] * q[1];
            }
            h_s_given_x += w * p.iter().map(|&v| neg_x_ln_x(v)).sum::<f64>();
            sigma += w * scratch.rates.entropy_production_rate(&p)?;
        }
        // I(s, y) from the joint table, whose marginals are summed from the table itself:
        // with consistent marginals the first-order rounding terms cancel, so an
        // independent pair gives I = 0 to round-off (the φ = π/4 equilibrium check).
        let table: Vec<f64> = p_sy.iter().flatten().copied().collect();
        let joint = infotheory::JointDistribution::new(4, 2, table)?;
        let i_sy = joint.mutual_information();
        let h_s: f64 = p_s.iter().map(|&v| neg_x_ln_x(v)).sum();
        Ok(TwoSpinMeasures { i_sx: h_s - h_s_given_x, i_sy, sigma })
    }
}
