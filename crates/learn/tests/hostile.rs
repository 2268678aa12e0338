//! Hostile input to every entry point of `learn`: typed errors for bad settings and
//! data, and finite answers with their invariants (CE ≥ 0, accuracy in [0, 1], MSE ≥ 0)
//! for data at extreme scales, never a panic or a NaN.

use learn::{LearnError, SoftmaxReadout, Spsa, maximize_in_box, ridge_least_squares};
use proptest::prelude::*;
use streams::stream_rng;

fn quadratic(theta: &[f64], _seed: u64) -> Result<f64, LearnError> {
    Ok(-theta.iter().map(|t| (t - 1.0).powi(2)).sum::<f64>())
}

#[test]
fn bad_settings_are_typed_errors() {
    let mut rng = stream_rng(1, 0);
    for (iterations, a, c) in
        [(10, f64::NAN, 0.1), (10, 0.1, 0.0), (10, -1.0, 0.1), (10, 0.1, f64::INFINITY)]
    {
        let r = Spsa::new(iterations, a, c).maximize(&[0.0, 0.0], quadratic, &mut rng, |_| {});
        assert!(r.is_err(), "SPSA({iterations}, {a}, {c}) accepted");
    }
    assert!(Spsa::new(10, 0.1, 0.1).maximize(&[], quadratic, &mut rng, |_| {}).is_err());
    assert!(Spsa::new(10, 0.1, 0.1).maximize(&[f64::NAN], quadratic, &mut rng, |_| {}).is_err());
    let nan_objective = |_: &[f64], _: u64| -> Result<f64, LearnError> { Ok(f64::NAN) };
    assert!(Spsa::new(5, 0.1, 0.1).maximize(&[0.0], nan_objective, &mut rng, |_| {}).is_err());
    for (step, samples) in [(0.0, 4), (f64::NAN, 4), (0.1, 0)] {
        assert!(
            Spsa::new(10, 0.1, 0.1).calibrated(&[0.0], quadratic, &mut rng, step, samples).is_err()
        );
    }
    let softmax = SoftmaxReadout::new(3);
    let x = [0.0, 1.0, 2.0, 3.0];
    assert!(SoftmaxReadout::new(1).fit(&x, &[0, 0], 2, None).is_err(), "one class");
    assert!(softmax.fit(&x, &[0, 5], 2, None).is_err(), "label out of range");
    assert!(softmax.fit(&x[..3], &[0, 1], 2, None).is_err(), "mis-sized");
    assert!(softmax.fit(&x, &[0, 1], 0, None).is_err(), "no features");
    for lambda in [f64::NAN, -1.0, f64::INFINITY] {
        assert!(
            SoftmaxReadout { lambda, ..SoftmaxReadout::new(3) }.fit(&x, &[0, 1], 2, None).is_err()
        );
    }
    assert!(
        SoftmaxReadout { tolerance: 0.0, ..softmax.clone() }.fit(&x, &[0, 1], 2, None).is_err()
    );
    for lambda in [f64::NAN, -1.0, f64::INFINITY] {
        assert!(ridge_least_squares(&x, &[1.0, 2.0], 2, lambda).is_err());
    }
    assert!(ridge_least_squares(&x, &[1.0, f64::NAN], 2, 0.0).is_err());
    assert!(ridge_least_squares(&x, &[1.0], 2, 0.0).is_err());
    let f = |p: [f64; 2]| -> Result<f64, LearnError> { Ok(-(p[0] * p[0] + p[1] * p[1])) };
    for (h0, tol, lo, hi) in [
        (0.0, 1e-6, [-1.0, -1.0], [1.0, 1.0]),
        (0.1, 0.0, [-1.0, -1.0], [1.0, 1.0]),
        (0.1, 1e-6, [1.0, -1.0], [-1.0, 1.0]),
        (0.1, 1e-6, [f64::NAN, -1.0], [1.0, 1.0]),
    ] {
        assert!(
            maximize_in_box(f, [0.5, 0.5], h0, lo, hi, tol).is_err(),
            "{h0} {tol} {lo:?} {hi:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261202),
        ..ProptestConfig::with_cases(32)
    })]

    /// Features at scales 1e-100..1e100 (and shifted by 1e6): the softmax fit is finite,
    /// with CE in [0, ln K] (the fit never does worse than the class frequencies up to
    /// the penalty) and accuracy in [0, 1]; the least-squares fit is finite with MSE ≥ 0.
    #[test]
    fn fits_at_extreme_feature_scales_are_finite_and_bounded(
        log_scale in -100.0f64..100.0,
        shift in prop::sample::select(vec![0.0, 1e6]),
        seed in 0u64..1000,
    ) {
        use rand::RngExt;
        let mut rng = stream_rng(seed, 0);
        let (m, d, k) = (60, 3, 3);
        let scale = 10f64.powf(log_scale);
        let labels: Vec<usize> = (0..m).map(|i| i % k).collect();
        let x: Vec<f64> = (0..m * d)
            .map(|i| shift + scale * (rng.random_range(-1.0..1.0) + f64::from(u8::from(labels[i / d] == i % d))))
            .collect();
        let fit = SoftmaxReadout::new(k).fit(&x, &labels, d, None);
        let fit = fit.map_err(|e| TestCaseError::fail(format!("softmax: {e}")))?;
        prop_assert!(fit.cross_entropy.is_finite() && fit.cross_entropy >= 0.0);
        prop_assert!(fit.cross_entropy <= (k as f64).ln() + 1e-9, "{}", fit.cross_entropy);
        prop_assert!((0.0..=1.0).contains(&fit.accuracy));
        let y: Vec<f64> = labels.iter().map(|&l| l as f64).collect();
        match ridge_least_squares(&x, &y, d, 0.0) {
            Ok(ls) => prop_assert!(ls.mse.is_finite() && ls.mse >= 0.0 && ls.weights.iter().all(|w| w.is_finite())),
            // A shift of 1e6 on features of scale 1e-100 leaves them constant to f64:
            // collinear with the intercept, and singular is the right answer.
            Err(e) => prop_assert!(matches!(e, LearnError::Singular) && scale * 1e16 < shift, "{e:?}"),
        }
    }
}
