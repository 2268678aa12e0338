//! The linear two-unit system of the bottleneck appendix (A5–A15).
//!
//! ṡ = W s + x + σ_s ξ with W = [[−1, J_s + J_a], [J_s − J_a, −1]] (A11), stable when
//! Δ = 1 + J_a² − J_s² > 0. For a constant input x the steady state is Gaussian with mean
//! −W⁻¹x and covariance C solving W C + C Wᵀ + σ_s² I = 0 (A6, A12). The task is
//! y = w₀ᵀx + ξ_y with w₀ = (cos φ, sin φ) and ξ_y ~ N(0, σ_y²).
//!
//! The paper does not state the input distribution. Here x ~ N(0, C_x) with
//! C_x = σ_x² [[1, ρ], [ρ, 1]]: the correlated Gaussian inputs of the two-spin figures of
//! the same paper (ρ = 0.95 there), so that φ sets how far the task leans on the narrow
//! input direction, the "asymmetry in input space" of the appendix. σ_x and ρ are
//! parameters.
//!
//! Averaged over inputs, (s, y) is jointly Gaussian with
//!
//! ```text
//! C_s  = W⁻¹ C_x W⁻ᵀ + C,     C_sy = −W⁻¹ C_x w₀,     C_y = w₀ᵀ C_x w₀ + σ_y²,
//! ```
//!
//! (the paper writes the mean as W⁻¹x; the sign does not enter C_s, and C_sy as written
//! here is the covariance of the actual steady state), from which
//! I(s, y) (A8), I(s_i, y) = −½ ln(1 − C_sy,i² / (C_s,ii C_y)) and
//! MSE_i = ⟨(y − s_i)²⟩ = C_y + C_s,ii − 2 C_sy,i follow. The entropy production rate comes
//! from the Lyapunov covariance (`langevin`), and equals 2 J_a² (A15).

use faer::Mat;
use infotheory::gaussian_mutual_information;
use langevin::{LinearLangevin, Moments, Noise};

use crate::ModelError;
use crate::error::finite;

/// The task and noise levels of the linear system.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearTwoUnit {
    /// σ_s, the noise amplitude on each unit (⟨ξξᵀ⟩ = δ(t − t') I).
    pub sigma_s: f64,
    /// σ_x, the standard deviation of each input.
    pub sigma_x: f64,
    /// ρ, the correlation of x₁ and x₂.
    pub rho: f64,
    /// φ, the task angle: w₀ = (cos φ, sin φ).
    pub phi: f64,
    /// σ_y, the standard deviation of the output noise ξ_y.
    pub sigma_y: f64,
}

/// Everything measured at one (J_s, J_a) (nats; Σ in nats per unit time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearMeasures {
    /// I(s, y), (A8).
    pub i_sy: f64,
    /// I(s₁, y).
    pub i_s1y: f64,
    /// I(s₂, y).
    pub i_s2y: f64,
    /// ⟨(y − s₁)²⟩.
    pub mse1: f64,
    /// ⟨(y − s₂)²⟩.
    pub mse2: f64,
    /// Σ from the Lyapunov covariance (Landi–Tomé–de Oliveira formula).
    pub sigma: f64,
}

impl LinearTwoUnit {
    /// Validates the parameters: σ's positive and finite, |ρ| < 1, φ finite.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] naming the bad value.
    pub fn new(
        sigma_s: f64,
        sigma_x: f64,
        rho: f64,
        phi: f64,
        sigma_y: f64,
    ) -> Result<Self, ModelError> {
        for (name, v) in [("sigma_s", sigma_s), ("sigma_x", sigma_x), ("sigma_y", sigma_y)] {
            if !(finite(name, v)? > 0.0) {
                return Err(ModelError::InvalidParameter {
                    name,
                    value: v,
                    requirement: "must be > 0",
                });
            }
        }
        if !(finite("rho", rho)?.abs() < 1.0) {
            return Err(ModelError::InvalidParameter {
                name: "rho",
                value: rho,
                requirement: "must lie in (−1, 1)",
            });
        }
        finite("phi", phi)?;
        Ok(Self { sigma_s, sigma_x, rho, phi, sigma_y })
    }

    /// W of (A11).
    pub fn drift(js: f64, ja: f64) -> Mat<f64> {
        faer::mat![[-1.0, js + ja], [js - ja, -1.0]]
    }

    /// The system ṡ = W s + σ_s ξ (the input only shifts the mean).
    ///
    /// # Errors
    /// Non-finite couplings.
    pub fn system(&self, js: f64, ja: f64) -> Result<LinearLangevin, ModelError> {
        Ok(LinearLangevin::new(Self::drift(js, ja), vec![0.0; 2], Noise::Additive(self.sigma_s))?)
    }

    /// The input covariance C_x.
    pub fn input_covariance(&self) -> [[f64; 2]; 2] {
        let v = self.sigma_x * self.sigma_x;
        [[v, self.rho * v], [self.rho * v, v]]
    }

    /// The ceiling I(x, y) = ½ ln(1 + w₀ᵀC_x w₀ / σ_y²): no system can know more about y.
    pub fn input_information(&self) -> f64 {
        let cy = self.output_variance() - self.sigma_y * self.sigma_y;
        0.5 * (1.0 + cy / (self.sigma_y * self.sigma_y)).ln()
    }

    fn output_variance(&self) -> f64 {
        let cx = self.input_covariance();
        let w = [self.phi.cos(), self.phi.sin()];
        let q: f64 = (0..2).map(|i| (0..2).map(|j| w[i] * cx[i][j] * w[j]).sum::<f64>()).sum();
        q + self.sigma_y * self.sigma_y
    }

    /// All measures at (J_s, J_a).
    ///
    /// # Errors
    /// [`ModelError::Langevin`] with `Unstable` (naming the eigenvalue) when Δ ≤ 0.
    pub fn measure(&self, js: f64, ja: f64) -> Result<LinearMeasures, ModelError> {
        let sys = self.system(js, ja)?;
        let c = sys.stationary_covariance()?;
        let sigma = sys.entropy_rates(&Moments { mean: vec![0.0; 2], cov: c.clone() })?.production;
        // H = −W⁻¹ maps an input to the steady-state mean.
        let (a, b, cc, d) = (-1.0, js + ja, js - ja, -1.0);
        let det = a * d - b * cc;
        let h = [[-d / det, b / det], [cc / det, -a / det]];
        let cx = self.input_covariance();
        let w0 = [self.phi.cos(), self.phi.sin()];
        let hcx = |i: usize, j: usize| (0..2).map(|k| h[i][k] * cx[k][j]).sum::<f64>();
        let cs = |i: usize, j: usize| (0..2).map(|k| hcx(i, k) * h[j][k]).sum::<f64>() + c[(i, j)];
        let csy = |i: usize| (0..2).map(|k| hcx(i, k) * w0[k]).sum::<f64>();
        let cy = self.output_variance();
        let joint = Mat::<f64>::from_fn(3, 3, |i, j| match (i, j) {
            (2, 2) => cy,
            (2, k) | (k, 2) => csy(k),
            (i, j) => cs(i, j),
        });
        let i_sy = gaussian_mutual_information(joint.as_ref(), &[0, 1], &[2])?;
        let unit = |i: usize| -0.5 * (1.0 - csy(i).powi(2) / (cs(i, i) * cy)).ln();
        Ok(LinearMeasures {
            i_sy,
            i_s1y: unit(0),
            i_s2y: unit(1),
            mse1: cy + cs(0, 0) - 2.0 * csy(0),
            mse2: cy + cs(1, 1) - 2.0 * csy(1),
            sigma,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper() -> LinearTwoUnit {
        LinearTwoUnit::new(0.1, 1.0, 0.95, std::f64::consts::FRAC_PI_6, 0.1).unwrap()
    }

    #[test]
    fn entropy_production_is_2ja2_and_information_is_bounded_by_the_input() {
        let m = paper();
        let ceiling = m.input_information();
        for &(js, ja) in &[(0.0, 0.0), (0.4, 0.3), (-0.7, 1.2), (1.1, 0.8)] {
            let r = m.measure(js, ja).unwrap();
            assert!((r.sigma - 2.0 * ja * ja).abs() < 1e-10, "{r:?}");
            assert!(r.i_sy > 0.0 && r.i_sy < ceiling, "{} vs ceiling {ceiling}", r.i_sy);
            assert!(r.i_s1y <= r.i_sy + 1e-12 && r.i_s2y <= r.i_sy + 1e-12);
            assert!(r.mse1 > 0.0 && r.mse2 > 0.0);
        }
    }

    #[test]
    fn decoupled_units_match_a_hand_computation() {
        // J = 0: s = x + noise with variance σ_s²/2 per unit, independent of x.
        let m = paper();
        let r = m.measure(0.0, 0.0).unwrap();
        let (w1, w2, noise) = (m.phi.cos(), m.phi.sin(), 0.01 / 2.0);
        // C_y = w₀ᵀ C_x w₀ + σ_y² with C_x = [[1, ρ], [ρ, 1]].
        let cy = 1.0 + 2.0 * 0.95 * w1 * w2 + 0.01;
        let cov_s1y = w1 + 0.95 * w2;
        let expected = -0.5 * (1.0 - cov_s1y * cov_s1y / ((1.0 + noise) * cy)).ln();
        assert!((r.i_s1y - expected).abs() < 1e-12);
        assert!((r.mse1 - (cy + 1.0 + noise - 2.0 * cov_s1y)).abs() < 1e-12);
    }

    #[test]
    fn unstable_couplings_are_an_error() {
        let e = paper().measure(1.5, 0.0);
        assert!(
            matches!(e, Err(ModelError::Langevin(langevin::LangevinError::Unstable { .. }))),
            "{e:?}"
        );
    }
}
