//! Hostile input to the linear-Langevin analytics: bad drifts, noises and states are
//! typed errors; random stable systems at scales 1e-100..1e100 give symmetric positive
//! definite stationary covariances, Π ≥ 0 and moments that relax to the stationary ones
//! for any t, including huge t.

use faer::Mat;
use langevin::{LangevinError, LinearLangevin, Moments, Noise};
use proptest::prelude::*;

#[test]
fn bad_drifts_noises_and_states_are_typed_errors() {
    let a = Mat::<f64>::from_fn(2, 2, |i, j| if i == j { -1.0 } else { 0.2 });
    for noise in [Noise::Additive(f64::NAN), Noise::Additive(-1.0), Noise::Diagonal(vec![1.0])] {
        assert!(LinearLangevin::new(a.clone(), vec![0.0; 2], noise.clone()).is_err(), "{noise:?}");
    }
    assert!(LinearLangevin::new(a.clone(), vec![0.0; 3], Noise::Additive(1.0)).is_err());
    assert!(LinearLangevin::new(Mat::zeros(2, 3), vec![0.0; 2], Noise::Additive(1.0)).is_err());
    let sys = LinearLangevin::new(a, vec![0.0; 2], Noise::Additive(1.0)).unwrap();
    let bad_states = [
        Moments { mean: vec![0.0], cov: Mat::identity(2, 2) },
        Moments { mean: vec![0.0, f64::NAN], cov: Mat::identity(2, 2) },
        Moments { mean: vec![0.0; 2], cov: Mat::identity(3, 3) },
        Moments {
            mean: vec![0.0; 2],
            cov: Mat::from_fn(2, 2, |i, j| if i == j { 1.0 } else { f64::INFINITY }),
        },
    ];
    for s in &bad_states {
        assert!(sys.moments_after(1.0, s).is_err(), "{s:?}");
        assert!(sys.entropy_rates(s).is_err(), "{s:?}");
    }
    let ok = Moments { mean: vec![0.0; 2], cov: Mat::identity(2, 2) };
    for t in [f64::NAN, -1.0, f64::INFINITY] {
        assert!(sys.moments_after(t, &ok).is_err(), "t = {t}");
    }
    let singular = Moments { mean: vec![0.0; 2], cov: Mat::zeros(2, 2) };
    assert!(matches!(sys.entropy_rates(&singular), Err(LangevinError::NotPositiveDefinite { .. })));
}

proptest! {
    #![proptest_config(ProptestConfig {
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261202),
        ..ProptestConfig::with_cases(48)
    })]

    /// A = −(MMᵀ + 0.1 I)·s + antisymmetric part (stable), noise σ, all scaled by
    /// 10^k: the stationary covariance is symmetric positive definite, Π ≥ 0, and the
    /// moments after t relax to the stationary ones (t up to 1e300 in units of 1/s).
    #[test]
    fn stable_systems_at_any_scale_keep_the_invariants(
        m in prop::collection::vec(-1.0f64..1.0, 9),
        skew in prop::collection::vec(-2.0f64..2.0, 3),
        log_scale in -100.0f64..100.0,
        log_sigma in -50.0f64..50.0,
        log_t in -3.0f64..300.0,
    ) {
        let s = 10f64.powf(log_scale);
        let mm = Mat::<f64>::from_fn(3, 3, |i, j| m[3 * i + j]);
        let sym = &mm * mm.transpose() + Mat::<f64>::identity(3, 3) * faer::Scale(0.1);
        let w = [[0.0, skew[0], skew[1]], [-skew[0], 0.0, skew[2]], [-skew[1], -skew[2], 0.0]];
        let a = Mat::<f64>::from_fn(3, 3, |i, j| s * (-sym[(i, j)] + w[i][j]));
        let sigma = 10f64.powf(log_sigma);
        let sys = LinearLangevin::new(a, vec![0.0; 3], Noise::Additive(sigma)).unwrap();
        let stat = sys.stationary_moments().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        for i in 0..3 {
            for j in 0..3 {
                prop_assert!(stat.cov[(i, j)].is_finite());
                prop_assert!((stat.cov[(i, j)] - stat.cov[(j, i)]).abs() <= 1e-12 * stat.cov[(i, i)].abs().max(stat.cov[(j, j)].abs()));
            }
        }
        prop_assert!(stat.cov.llt(faer::Side::Lower).is_ok(), "not positive definite");
        let pi = sys.stationary_entropy_production().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert!(pi.is_finite() && pi >= -1e-9 * s, "Π = {pi}");
        let start = Moments { mean: vec![1.0, -1.0, 0.5], cov: Mat::<f64>::identity(3, 3) * faer::Scale(sigma * sigma / s) };
        let t = 10f64.powf(log_t) / s;
        prop_assume!(t.is_finite());
        match sys.moments_after(t, &start) {
            Ok(after) => {
                prop_assert!(after.mean.iter().all(|v| v.is_finite()));
                if log_t > 4.0 {
                    // Long past the slowest relaxation time (≥ 0.1 s⁻¹ here).
                    for i in 0..3 {
                        let c = stat.cov[(i, i)];
                        prop_assert!((after.cov[(i, i)] - c).abs() <= 1e-6 * c, "{} vs {c}", after.cov[(i, i)]);
                    }
                }
            }
            Err(e) => prop_assert!(matches!(e, LangevinError::MomentsOverflow { .. }), "{e:?}"),
        }
    }
}

#[test]
fn a_slow_drift_with_strong_noise_relaxes_to_the_right_covariance() {
    // Found by the property test above: A = −2.2e-81·I (a relaxation time of 4.5e80)
    // with σ = 1 gave moments_after a covariance twice the stationary one at long times:
    // Van Loan's block exponential mixed A h ≤ 1 with Q h = 4.5e79. Now both scales
    // agree with the exact 1/(0.2 s) at s = 1 and s = 2.2e-79.
    for s in [1.0, 2.2e-79] {
        let a = Mat::<f64>::from_fn(3, 3, |i, j| if i == j { -0.1 * s } else { 0.0 });
        let sys = LinearLangevin::new(a, vec![0.0; 3], Noise::Additive(1.0)).unwrap();
        let start = Moments { mean: vec![1.0, -1.0, 0.5], cov: Mat::<f64>::identity(3, 3) };
        for t in [1e3 / s, 1e112 / s] {
            let after = sys.moments_after(t, &start).unwrap();
            let exact = 1.0 / (0.2 * s);
            assert!(
                (after.cov[(0, 0)] - exact).abs() < 1e-12 * exact,
                "s {s}, t {t}: {}",
                after.cov[(0, 0)]
            );
        }
    }
}
