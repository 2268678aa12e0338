//! Closed forms and accurate quadratures of Goldt & Seifert (2017).
//!
//! Gaussian expectations E[g(μ + s z)], z ~ N(0, 1), are done by the trapezoidal rule in z
//! with step h = 0.2 / max(1, s·c) (c the inverse width of the feature of g) on ±12: for the
//! functions here (analytic in a strip) the error is ~exp(−2π d/h) with d the strip
//! half-width in z, below 1e-15.
//!
//! **The entropy of the weights in the thermodynamic limit.** The main text gives
//! ΔS(ω_n) = ln(1 + αν²) for the change of Shannon entropy of a Gaussian whose variance
//! grows from 1 to 1 + αν². The differential entropy of N(0, v) is ½ ln(2πe v), so the
//! change is ½ ln(1 + αν²): the paper's value is twice too large, which halves η̃ (22)
//! for small αν². [`WeightEntropy`] selects the convention; the figures use the correct
//! one and show the paper's alongside.

use infotheory::binary_entropy;
use statrs::function::erf::erf;

use crate::ModelError;
use crate::error::finite;

/// E[g(mean + sd·z)] for z ~ N(0, 1) by the trapezoidal rule; `feature` is the scale (in
/// units of the argument of g) on which g varies.
fn gaussian_expectation(mean: f64, sd: f64, feature: f64, g: impl Fn(f64) -> f64) -> f64 {
    let h = 0.2 / (sd / feature).max(1.0);
    let n = (12.0 / h).ceil() as i64;
    let norm = 1.0 / (2.0 * std::f64::consts::PI).sqrt();
    let mut sum = 0.0;
    for k in -n..=n {
        let z = k as f64 * h;
        sum += g(mean + sd * z) * (-0.5 * z * z).exp();
    }
    sum * h * norm
}

/// The logistic function e^x / (1 + e^x), evaluated without overflow.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 { 1.0 / (1.0 + (-x).exp()) } else { x.exp() / (1.0 + x.exp()) }
}

/// ln cosh x without overflow.
fn ln_cosh(x: f64) -> f64 {
    let a = x.abs();
    a + (-2.0 * a).exp().ln_1p() - std::f64::consts::LN_2
}

/// ΔQ of (13): the mean heat released by a weight whose learning force ramps linearly to
/// ν F over a time τ (F² = `f_squared`), from equilibrium to t → ∞:
/// ν²F²(e^{−τ} + τ − 1)/τ². τ = 0 is the sudden switch (ν²F²/2), τ = ∞ the quasi-static
/// limit (0). Units of k_B T.
pub fn heat_ramp(nu: f64, f_squared: f64, tau: f64) -> f64 {
    let scale = nu * nu * f_squared;
    if tau.is_infinite() {
        0.0
    } else if tau < 1e-3 {
        // Series of (e^{−τ} + τ − 1)/τ² = 1/2 − τ/6 + τ²/24 − …
        scale * (0.5 - tau / 6.0 + tau * tau / 24.0 - tau * tau * tau / 120.0)
    } else {
        scale * ((-tau).exp_m1() + tau) / (tau * tau)
    }
}

/// p(σ = σ_T) when the stability Δ is N(mean, var): E[e^Δ/(1 + e^Δ)] (20).
pub fn p_correct_gaussian(mean: f64, var: f64) -> f64 {
    gaussian_expectation(mean, var.sqrt(), 1.0, sigmoid)
}

/// I(σ_T : σ) = ln 2 − S(p_C) (21) for a probability p_C of a correct label (nats).
pub fn information_from_p_correct(p_c: f64) -> f64 {
    std::f64::consts::LN_2 - binary_entropy(p_c.clamp(0.0, 1.0)).unwrap_or(f64::NAN)
}

fn check(alpha: f64, nu: f64) -> Result<(), ModelError> {
    if !(finite("alpha", alpha)? >= 0.0) {
        return Err(ModelError::InvalidParameter {
            name: "alpha",
            value: alpha,
            requirement: "must be >= 0",
        });
    }
    if !(finite("nu", nu)? >= 0.0) {
        return Err(ModelError::InvalidParameter {
            name: "nu",
            value: nu,
            requirement: "must be >= 0",
        });
    }
    Ok(())
}

fn check_tau(tau: f64) -> Result<(), ModelError> {
    if tau.is_nan() || tau < 0.0 {
        return Err(ModelError::InvalidParameter {
            name: "tau",
            value: tau,
            requirement: "must be >= 0 (∞ allowed)",
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// One weight, one sample.

/// One weight learning one sample with the ramp (12), t → ∞.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OneWeight {
    /// Learning rate ν ≥ 0.
    pub nu: f64,
    /// Learning duration τ ≥ 0 (∞: quasi-static).
    pub tau: f64,
}

/// The efficiency of one weight and its parts (nats).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Efficiency {
    /// I(σ_T : σ).
    pub information: f64,
    /// ΔS(ω).
    pub entropy_change: f64,
    /// ΔQ.
    pub heat: f64,
    /// η = I / (ΔS + ΔQ) (11).
    pub eta: f64,
}

impl OneWeight {
    /// Validates ν ≥ 0 and τ ≥ 0.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] naming the bad value.
    pub fn new(nu: f64, tau: f64) -> Result<Self, ModelError> {
        check(0.0, nu)?;
        check_tau(tau)?;
        Ok(Self { nu, tau })
    }

    /// ΔS(ω) = S(½N(ν,1) + ½N(−ν,1)) − S(N(0,1)) = ν² − E_z[ln cosh(ν² + ν z)], exact up to
    /// the quadrature (error < 1e-13). It rises from ≈ ν²/2 to ln 2.
    pub fn entropy_change(&self) -> f64 {
        let nu = self.nu;
        nu * nu - gaussian_expectation(nu * nu, nu, 1.0, ln_cosh)
    }

    /// I(σ_T : σ) from the stationary state: Δ = ωξσ_T ~ N(ν, 1), p_C = E[sigmoid(Δ)].
    pub fn information(&self) -> f64 {
        information_from_p_correct(p_correct_gaussian(self.nu, 1.0))
    }

    /// η and its parts.
    pub fn efficiency(&self) -> Efficiency {
        let information = self.information();
        let entropy_change = self.entropy_change();
        let heat = heat_ramp(self.nu, 1.0, self.tau);
        Efficiency { information, entropy_change, heat, eta: information / (entropy_change + heat) }
    }
}

// ---------------------------------------------------------------------------------------
// Hebbian learning in the thermodynamic limit.

/// Which expression for the entropy change of a weight in the thermodynamic limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightEntropy {
    /// ½ ln(1 + αν²): the entropy change of N(0,1) → N(0, 1 + αν²).
    Correct,
    /// ln(1 + αν²), as printed in the main text.
    AsPrinted,
}

/// Hebbian learning with P = αN samples, N → ∞, t → ∞.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HebbianLimit {
    /// α = P/N ≥ 0.
    pub alpha: f64,
    /// Learning rate ν ≥ 0.
    pub nu: f64,
}

impl HebbianLimit {
    /// Validates α ≥ 0, ν ≥ 0.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] naming the bad value.
    pub fn new(alpha: f64, nu: f64) -> Result<Self, ModelError> {
        check(alpha, nu)?;
        Ok(Self { alpha, nu })
    }

    /// Variance of the stability, 1 + αν².
    pub fn stability_variance(&self) -> f64 {
        1.0 + self.alpha * self.nu * self.nu
    }

    /// p_C (20): E[sigmoid(Δ)], Δ ~ N(ν, 1 + αν²).
    pub fn p_correct(&self) -> f64 {
        p_correct_gaussian(self.nu, self.stability_variance())
    }

    /// I(σ_T^μ : σ^μ) (21), nats.
    pub fn information(&self) -> f64 {
        information_from_p_correct(self.p_correct())
    }

    /// The approximation (S70)–(S71): p_C ≈ p(Δ > 0 | α, ν/2)
    /// = ½ + ½ erf((ν/2) / √(2(1 + αν²/4))).
    pub fn p_correct_approx(&self) -> f64 {
        let v = 1.0 + self.alpha * self.nu * self.nu / 4.0;
        0.5 + 0.5 * erf(0.5 * self.nu / (2.0 * v).sqrt())
    }

    /// I from the approximation (S71), nats.
    pub fn information_approx(&self) -> f64 {
        information_from_p_correct(self.p_correct_approx())
    }

    /// ΔS(ω_n) in the chosen convention.
    pub fn entropy_change(&self, convention: WeightEntropy) -> f64 {
        let l = (self.alpha * self.nu * self.nu).ln_1p();
        match convention {
            WeightEntropy::Correct => 0.5 * l,
            WeightEntropy::AsPrinted => l,
        }
    }

    /// The disorder-averaged heat per weight: (13) with F² → α.
    pub fn heat(&self, tau: f64) -> f64 {
        heat_ramp(self.nu, self.alpha, tau)
    }

    /// η̃ = α I / (ΔS(ω_n) + ΔQ̄_n) (22).
    ///
    /// # Errors
    /// τ < 0 or NaN.
    pub fn efficiency(&self, tau: f64, convention: WeightEntropy) -> Result<f64, ModelError> {
        check_tau(tau)?;
        Ok(self.alpha * self.information() / (self.entropy_change(convention) + self.heat(tau)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_matches_the_integral_of_the_squared_mean_velocity() {
        // ΔQ = ∫ ṁ² dt with ṁ = −m + f, m(0) = 0: integrate numerically.
        for &(nu, tau) in &[(1.0f64, 0.5f64), (2.0, 3.0), (0.7, 10.0)] {
            let (mut m, mut q, dt) = (0.0f64, 0.0, 1e-5);
            let mut t = 0.0;
            while t < tau + 40.0 {
                let f = nu * (t / tau).min(1.0);
                let v = -m + f;
                q += v * v * dt;
                m += v * dt;
                t += dt;
            }
            assert!(
                (q - heat_ramp(nu, 1.0, tau)).abs() < 1e-4 * q.max(1e-3),
                "{q} vs {}",
                heat_ramp(nu, 1.0, tau)
            );
        }
        assert!((heat_ramp(1.3, 1.0, 0.0) - 1.3 * 1.3 / 2.0).abs() < 1e-15);
        assert!((heat_ramp(1.0, 1.0, 1e-3) - heat_ramp(1.0, 1.0, 1.0001e-3)).abs() < 1e-6);
        assert_eq!(heat_ramp(3.0, 1.0, f64::INFINITY), 0.0);
    }

    #[test]
    fn mixture_entropy_matches_direct_quadrature_and_limits() {
        for &nu in &[0.01, 0.5, 1.0, 2.0, 4.0] {
            // Direct −∫ p ln p on a fine grid.
            let p = |w: f64| {
                let g = |x: f64| (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
                0.5 * (g(w - nu) + g(w + nu))
            };
            let (lo, hi, n) = (-nu - 12.0, nu + 12.0, 200_000u32);
            let h = (hi - lo) / f64::from(n);
            let s: f64 =
                (0..=n).map(|k| lo + f64::from(k) * h).map(|w| -p(w) * p(w).ln()).sum::<f64>() * h;
            let s0 = 0.5 * (2.0 * std::f64::consts::PI * std::f64::consts::E).ln();
            let ds = OneWeight::new(nu, 1.0).unwrap().entropy_change();
            assert!((ds - (s - s0)).abs() < 1e-9, "ν = {nu}: {ds} vs {}", s - s0);
        }
        assert!(
            (OneWeight::new(20.0, 1.0).unwrap().entropy_change() - std::f64::consts::LN_2).abs()
                < 1e-12
        );
    }

    #[test]
    fn p_correct_matches_a_brute_force_integral() {
        for &(mean, var) in &[(0.0, 1.0), (1.0, 1.0), (2.0, 13.0), (5.0, 200.0)] {
            let sd: f64 = f64::sqrt(var);
            let n = 400_000u32;
            let (lo, hi) = (mean - 12.0 * sd, mean + 12.0 * sd);
            let h = (hi - lo) / f64::from(n);
            let brute: f64 = (0..=n)
                .map(|k| lo + f64::from(k) * h)
                .map(|d| sigmoid(d) * (-(d - mean).powi(2) / (2.0 * var)).exp())
                .sum::<f64>()
                * h
                / (2.0 * std::f64::consts::PI * var).sqrt();
            assert!((p_correct_gaussian(mean, var) - brute).abs() < 1e-10);
        }
        assert!((p_correct_gaussian(0.0, 4.0) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn thermodynamic_limit_limits_and_bound() {
        // ν → 0 or α → ∞: no information.
        assert!(HebbianLimit::new(1.0, 0.0).unwrap().information().abs() < 1e-15);
        assert!(HebbianLimit::new(1e6, 3.0).unwrap().information() < 1e-5);
        // Small α, large ν: ln 2.
        assert!(
            (HebbianLimit::new(0.0, 40.0).unwrap().information() - std::f64::consts::LN_2).abs()
                < 1e-6
        );
        // The approximation is close to the exact p_C.
        for &(a, nu) in &[(0.1, 1.0), (1.0, 2.0), (3.0, 5.0)] {
            let h = HebbianLimit::new(a, nu).unwrap();
            assert!((h.p_correct() - h.p_correct_approx()).abs() < 0.01, "{a} {nu}");
            // η̃ ≤ 1 with the correct entropy (the bound (16) per weight and sample).
            for tau in [0.0, 1.0, f64::INFINITY] {
                assert!(h.efficiency(tau, WeightEntropy::Correct).unwrap() <= 1.0);
            }
            // The printed entropy is exactly twice the correct one.
            let c = h.entropy_change(WeightEntropy::Correct);
            assert!((h.entropy_change(WeightEntropy::AsPrinted) - 2.0 * c).abs() < 1e-15);
        }
        assert!(HebbianLimit::new(-1.0, 1.0).is_err() && HebbianLimit::new(1.0, f64::NAN).is_err());
        assert!(
            HebbianLimit::new(1.0, 1.0).unwrap().efficiency(-1.0, WeightEntropy::Correct).is_err()
        );
    }

    #[test]
    fn one_weight_efficiency_is_at_most_one() {
        for &nu in &[0.1, 1.0, 3.0, 10.0] {
            for &tau in &[0.0, 0.1, 1.0, 10.0, 1e3, f64::INFINITY] {
                let e = OneWeight::new(nu, tau).unwrap().efficiency();
                assert!(e.eta > 0.0 && e.eta <= 1.0, "ν = {nu}, τ = {tau}: {e:?}");
            }
        }
    }
}
