//! Bad input gets a typed error naming the bad value, never a panic or a silent NaN.

use faer::{Mat, mat};
use langevin::{
    Baoab, EulerMaruyama, LangevinError, LinearForces, LinearLangevin, Moments, Noise, jarzynski,
    solve_lyapunov, stream_rng,
};
use proptest::prelude::*;

#[test]
fn nan_and_unstable_drift_are_named() {
    let nan = LinearLangevin::new(
        mat![[-1.0, f64::NAN], [0.0, -1.0]],
        vec![0.0; 2],
        Noise::Additive(1.0),
    );
    assert!(matches!(nan, Err(LangevinError::NonFinite { row: 0, col: 1, .. })), "{nan:?}");
    // Δ = 1 + J_a² − J_s² < 0: eigenvalue −1 + √(J_s² − J_a²) = +0.5 > 0.
    let unstable =
        LinearLangevin::new(mat![[-1.0, 1.5], [1.5, -1.0]], vec![0.0; 2], Noise::Additive(1.0))
            .unwrap();
    match unstable.stationary_covariance() {
        Err(LangevinError::Unstable { re, im }) => {
            assert!((re - 0.5).abs() < 1e-12 && im.abs() < 1e-12)
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        unstable.stationary_entropy_production(),
        Err(LangevinError::Unstable { .. })
    ));
    assert!(matches!(
        unstable.spectral_entropy_production(1e-8),
        Err(LangevinError::Unstable { .. })
    ));
    // Marginal (eigenvalue 0) is unstable too.
    let marginal =
        solve_lyapunov(mat![[0.0, 1.0], [0.0, -1.0]].as_ref(), Mat::<f64>::identity(2, 2).as_ref());
    assert!(matches!(marginal, Err(LangevinError::Unstable { re, .. }) if re == 0.0));
}

#[test]
fn asymmetric_noise_covariance_and_bad_sizes_are_rejected() {
    let q = mat![[1.0, 0.5], [0.0, 1.0]];
    let r = solve_lyapunov(mat![[-1.0, 0.0], [0.0, -1.0]].as_ref(), q.as_ref());
    assert!(matches!(r, Err(LangevinError::NotSymmetric { row: 0, col: 1, .. })), "{r:?}");
    let r = LinearLangevin::new(Mat::<f64>::identity(2, 2), vec![0.0; 3], Noise::Additive(1.0));
    assert!(matches!(r, Err(LangevinError::DimensionMismatch { expected: 2, found: 3, .. })));
    let r = LinearLangevin::new(
        Mat::<f64>::identity(2, 2),
        vec![0.0; 2],
        Noise::Diagonal(vec![1.0, -0.1]),
    );
    assert!(matches!(r, Err(LangevinError::InvalidParameter { value, .. }) if value == -0.1));
}

#[test]
fn entropy_production_errors_are_explicit() {
    // Irreversible drift on a noiseless coordinate: infinite EP, reported.
    let sys = LinearLangevin::new(
        mat![[-1.0, 0.0], [0.5, -1.0]],
        vec![0.0; 2],
        Noise::Diagonal(vec![1.0, 0.0]),
    )
    .unwrap();
    assert!(matches!(
        sys.stationary_entropy_production(),
        Err(LangevinError::DriftWithoutNoise { index: 1 })
    ));
    // A degenerate (deterministic) state has infinite EP: an error, not a number.
    let sys = LinearLangevin::new(mat![[-1.0]], vec![0.0], Noise::Additive(1.0)).unwrap();
    let point = Moments { mean: vec![0.0], cov: mat![[0.0]] };
    assert!(matches!(sys.entropy_rates(&point), Err(LangevinError::NotPositiveDefinite { .. })));
    // The frequency formula needs all-even coordinates.
    let under =
        LinearLangevin::underdamped(mat![[1.0]].as_ref(), &[0.0], &[1.0], &[1.0], 1.0).unwrap();
    assert!(matches!(
        under.spectral_entropy_production(1e-8),
        Err(LangevinError::InvalidParameter { .. })
    ));
}

#[test]
fn integrators_reject_bad_steps_and_report_divergence() {
    let sys = LinearLangevin::new(mat![[-100.0]], vec![0.0], Noise::Additive(1.0)).unwrap();
    assert!(matches!(
        EulerMaruyama::new(&sys, 0.0),
        Err(LangevinError::InvalidParameter { name: "dt", .. })
    ));
    assert!(matches!(
        EulerMaruyama::new(&sys, f64::NAN),
        Err(LangevinError::InvalidParameter { name: "dt", .. })
    ));
    // |1 − 100 dt| = 99 > 1: EM explodes; the run says so instead of returning NaN.
    let mut em = EulerMaruyama::new(&sys, 1.0).unwrap();
    let mut x = [1.0];
    let r = em.run(&sys, 0.0, &mut x, 5000, &mut stream_rng(0, 0), &mut ());
    assert!(matches!(r, Err(LangevinError::Diverged { .. })), "{r:?}");
    let mut x = [1.0, 2.0];
    let r = em.run(&sys, 0.0, &mut x, 1, &mut stream_rng(0, 0), &mut ());
    assert!(matches!(r, Err(LangevinError::DimensionMismatch { expected: 1, found: 2, .. })));
    let model = LinearForces::new(&mat![[1.0]], vec![0.0], vec![1.0], vec![1.0], 1.0).unwrap();
    assert!(matches!(Baoab::new(&model, -1.0), Err(LangevinError::InvalidParameter { .. })));
    let bad_mass = LinearForces::new(&mat![[1.0]], vec![0.0], vec![0.0], vec![1.0], 1.0);
    assert!(matches!(bad_mass, Err(LangevinError::InvalidParameter { name: "mass", .. })));
}

#[test]
fn jarzynski_rejects_empty_and_non_finite_samples() {
    assert!(matches!(jarzynski(&[], 1.0), Err(LangevinError::Empty { .. })));
    assert!(matches!(
        jarzynski(&[1.0, f64::INFINITY], 1.0),
        Err(LangevinError::NonFinite { col: 1, .. })
    ));
    assert!(matches!(
        jarzynski(&[1.0], 0.0),
        Err(LangevinError::InvalidParameter { name: "temperature", .. })
    ));
    // Huge works do not overflow: log-sum-exp.
    let est = jarzynski(&[5000.0, 5001.0], 1.0).unwrap();
    assert!(est.delta_f.is_finite() && est.delta_f > 4999.0 && est.delta_f < 5001.0);
}

#[test]
fn jarzynski_at_extreme_temperatures_and_works_stays_finite() {
    // Regression (hostile-input issue): T = 1e-310 made every −W/T −∞ and the estimate
    // NaN (∞ − ∞ in log-sum-exp); works near f64::MAX overflowed the same way.
    // T → 0: ΔF̂ → min W (the estimator is dominated by the smallest work).
    let est = jarzynski(&[1.0, 2.0, 3.0], 1e-310).unwrap();
    assert_eq!(est.delta_f, 1.0);
    assert!(est.bias.is_finite() && est.bias >= 0.0);
    // Works near ±f64::MAX: ΔF̂ = min W − T ln(1/3) when the others are ∞ away.
    let big = f64::MAX / 2.0;
    let est = jarzynski(&[-big, big, big], 1.0).unwrap();
    assert_eq!(est.delta_f, -big + 3f64.ln());
    assert!(est.mean_work.is_finite(), "{}", est.mean_work);
    // Equal works: ΔF̂ = W exactly, bias 0, whatever T.
    for t in [1e-300, 1.0, 1e300] {
        let est = jarzynski(&[7.0; 4], t).unwrap();
        assert_eq!((est.delta_f, est.bias), (7.0, 0.0), "T = {t}");
    }
}

#[test]
fn moments_of_an_unstable_drift_that_overflow_are_an_error() {
    // Regression (hostile-input issue): moments_after returned Ok with inf/NaN moments.
    // Eigenvalue +0.5: at t = 1e4 the covariance is ~e^{1e4}, far past f64.
    let unstable =
        LinearLangevin::new(mat![[-1.0, 1.5], [1.5, -1.0]], vec![0.0; 2], Noise::Additive(1.0))
            .unwrap();
    let start = Moments { mean: vec![1.0, 0.0], cov: Mat::<f64>::identity(2, 2) };
    match unstable.moments_after(1e4, &start) {
        Err(LangevinError::MomentsOverflow { max_re, .. }) => {
            assert!((max_re - 0.5).abs() < 1e-12, "{max_re}")
        }
        other => panic!("{other:?}"),
    }
    // A short time is fine (the moments grow but fit): e^{2·0.5·10} ≈ 2e4.
    let m = unstable.moments_after(10.0, &start).unwrap();
    assert!(m.cov[(0, 0)].is_finite() && m.cov[(0, 0)] > 1e3);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// For random stable 3×3 drifts and SPD noise, the sign solver's residual is tiny and
    /// its answer is the Kronecker solution.
    #[test]
    fn lyapunov_agrees_with_kronecker(entries in proptest::collection::vec(-2.0f64..2.0, 9), q in proptest::collection::vec(-1.0f64..1.0, 9), shift in 0.1f64..3.0) {
        let raw = Mat::<f64>::from_fn(3, 3, |i, j| entries[3 * i + j]);
        let max_re = raw.eigenvalues().unwrap().iter().map(|l| l.re).fold(f64::NEG_INFINITY, f64::max);
        let a = Mat::<f64>::from_fn(3, 3, |i, j| raw[(i, j)] - if i == j { max_re + shift } else { 0.0 });
        let g = Mat::<f64>::from_fn(3, 3, |i, j| q[3 * i + j]);
        let qq = &g * g.transpose() + Mat::<f64>::identity(3, 3) * faer::Scale(0.05);
        let fast = solve_lyapunov(a.as_ref(), qq.as_ref()).unwrap();
        let slow = langevin::solve_lyapunov_kronecker(a.as_ref(), qq.as_ref()).unwrap();
        let scale = (0..3).flat_map(|i| (0..3).map(move |j| (i, j))).map(|(i, j)| slow[(i, j)].abs()).fold(0.0, f64::max);
        for i in 0..3 {
            for j in 0..3 {
                prop_assert!((fast.x[(i, j)] - slow[(i, j)]).abs() <= 1e-9 * scale);
            }
        }
        prop_assert!(fast.relative_residual < 1e-12);
    }
}
