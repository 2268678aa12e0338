//! learn against known answers: SPSA's convergence on noisy quadratics, the softmax
//! readout's optimum and gradients, least squares against exact and closed-form fits.

use learn::{LearnError, Pair, SoftmaxReadout, Spsa, ridge_least_squares};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use streams::stream_rng;

/// f(θ) = −|θ − θ*|² + σ ξ, ξ ~ N(0, 1) drawn from the noise seed.
fn noisy_quadratic(theta: &[f64], seed: u64, target: &[f64], sigma: f64) -> f64 {
    let mut r = stream_rng(seed, 7);
    let xi: f64 = StandardNormal.sample(&mut r);
    -theta.iter().zip(target).map(|(a, b)| (a - b).powi(2)).sum::<f64>() + sigma * xi
}

#[test]
fn spsa_with_common_random_numbers_cancels_additive_noise() {
    // With the same noise seed for y₊ and y₋, θ-independent noise cancels: the run with
    // σ = 1 retraces the noiseless run (to round-off), and converges.
    let target = [1.0, -2.0, 0.5];
    let spsa = Spsa::new(400, 0.4, 0.1);
    let run = |sigma: f64| {
        let mut rng = stream_rng(1, 0);
        spsa.maximize(
            &[0.0; 3],
            |t, s| Ok::<_, LearnError>(noisy_quadratic(t, s, &target, sigma)),
            &mut rng,
            |_| {},
        )
        .unwrap()
    };
    let (noisy, clean) = (run(1.0), run(0.0));
    for (a, b) in noisy.theta.iter().zip(&clean.theta) {
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }
    let err: f64 =
        noisy.theta.iter().zip(&target).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
    assert!(err < 1e-4, "error {err}");
    // Without common random numbers the same run stays noisy.
    let independent = Spsa { common_random_numbers: false, ..spsa.clone() };
    let mut rng = stream_rng(1, 0);
    let out = independent
        .maximize(
            &[0.0; 3],
            |t, s| Ok::<_, LearnError>(noisy_quadratic(t, s, &target, 1.0)),
            &mut rng,
            |_| {},
        )
        .unwrap();
    let err_indep: f64 =
        out.theta.iter().zip(&target).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
    assert!(err_indep > 10.0 * err, "{err_indep} vs {err}");
}

#[test]
fn spsa_mse_falls_as_k_to_the_minus_two_thirds() {
    // α = 1, γ = 1/6, independent noise: MSE ∝ k^{−2/3}, so from k = 200 to k = 2000 the
    // MSE falls by 10^{2/3} ≈ 4.64. 400 replicates: the ratio's relative error ≈ 0.1.
    let target = [0.3, -0.7, 1.1, 0.0, 0.5];
    let mse_at = |iterations: usize| {
        let spsa = Spsa {
            iterations,
            a: 1.0,
            big_a: 1.0,
            alpha: 1.0,
            c: 0.5,
            gamma: 1.0 / 6.0,
            perturbations: 1,
            common_random_numbers: false,
            average_from: iterations,
        };
        let reps = 400;
        (0..reps)
            .map(|r| {
                let mut rng = stream_rng(100 + r, 0);
                let out = spsa
                    .maximize(
                        &[0.0; 5],
                        |t, s| Ok::<_, LearnError>(noisy_quadratic(t, s, &target, 1.0)),
                        &mut rng,
                        |_| {},
                    )
                    .unwrap();
                out.theta.iter().zip(&target).map(|(a, b)| (a - b).powi(2)).sum::<f64>()
            })
            .sum::<f64>()
            / reps as f64
    };
    let ratio = mse_at(200) / mse_at(2000);
    assert!((3.5..6.2).contains(&ratio), "MSE ratio {ratio}, expected 10^(2/3) = 4.64");
}

#[test]
fn spsa_rejects_bad_settings_and_non_finite_objectives() {
    let mut rng = stream_rng(2, 0);
    let bad = Spsa { gamma: 0.7, ..Spsa::new(10, 1.0, 0.1) };
    assert!(matches!(
        bad.maximize(&[0.0], |_, _| Ok::<_, LearnError>(0.0), &mut rng, |_| {}),
        Err(LearnError::InvalidParameter { name: "gamma", .. })
    ));
    let r = Spsa::new(10, 1.0, 0.1).maximize(
        &[0.0],
        |_, _| Ok::<_, LearnError>(f64::NAN),
        &mut rng,
        |_| {},
    );
    assert!(matches!(r, Err(LearnError::ObjectiveNotFinite { iteration: 0, .. })));
    assert!(matches!(
        Spsa::new(10, 1.0, 0.1).maximize(&[], |_, _| Ok::<_, LearnError>(0.0), &mut rng, |_| {}),
        Err(LearnError::Empty { .. })
    ));
}

/// Gaussian clusters in d dimensions, one per class, centred at `sep`·e_k.
fn clusters(m: usize, d: usize, k: usize, sep: f64, seed: u64) -> (Vec<f64>, Vec<usize>) {
    let mut rng = stream_rng(seed, 0);
    let mut x = Vec::with_capacity(m * d);
    let mut y = Vec::with_capacity(m);
    for i in 0..m {
        let c = i % k;
        for j in 0..d {
            let z: f64 = StandardNormal.sample(&mut rng);
            x.push(z + if j == c % d { sep } else { 0.0 });
        }
        y.push(c);
    }
    (x, y)
}

#[test]
fn softmax_with_constant_features_predicts_the_class_frequencies() {
    // No information in x: the optimum has W = 0 and softmax(b) = class frequencies, so
    // the cross-entropy is the entropy of the labels.
    let labels: Vec<usize> = (0..600)
        .map(|i| {
            if i % 6 < 3 {
                0
            } else if i % 6 < 5 {
                1
            } else {
                2
            }
        })
        .collect();
    let x = vec![1.0; 600 * 2];
    let fit = SoftmaxReadout::new(3).fit(&x, &labels, 2, None).unwrap();
    let freq = [0.5, 1.0 / 3.0, 1.0 / 6.0];
    let entropy: f64 = freq.iter().map(|p| -p * f64::ln(*p)).sum();
    assert!((fit.cross_entropy - entropy).abs() < 1e-9, "{} vs {entropy}", fit.cross_entropy);
    // The optimum is W = 0; the fit stops at max|∂L| < tol, and with x = (1, 1) the
    // W-gradient is the b-gradient plus λW, so |W| < 2 tol / λ.
    let readout = SoftmaxReadout::new(3);
    let bound = 2.0 * readout.tolerance / readout.lambda;
    assert!(fit.weights.iter().all(|w| w.abs() < bound), "{:?}", fit.weights);
    assert!(fit.weights.iter().chain(&fit.intercepts).all(|v| v.is_finite()));
}

#[test]
fn softmax_gradient_matches_finite_differences_and_vanishes_at_the_fit() {
    let (x, y) = clusters(300, 4, 3, 1.0, 5);
    let readout = SoftmaxReadout { lambda: 1e-2, ..SoftmaxReadout::new(3) };
    let mut rng = stream_rng(6, 0);
    let w: Vec<f64> = (0..12).map(|_| rng.random_range(-1.0..1.0)).collect();
    let b: Vec<f64> = (0..3).map(|_| rng.random_range(-1.0..1.0)).collect();
    let (_, grad) = readout.objective(&w, &b, &x, &y, 4).unwrap();
    let h = 1e-6;
    for i in 0..15 {
        let mut wp = w.clone();
        let mut bp = b.clone();
        let mut wm = w.clone();
        let mut bm = b.clone();
        if i < 12 {
            wp[i] += h;
            wm[i] -= h;
        } else {
            bp[i - 12] += h;
            bm[i - 12] -= h;
        }
        let fd = (readout.objective(&wp, &bp, &x, &y, 4).unwrap().0
            - readout.objective(&wm, &bm, &x, &y, 4).unwrap().0)
            / (2.0 * h);
        assert!(
            (fd - grad[i]).abs() < 1e-7,
            "param {i}: analytic {} vs finite difference {fd}",
            grad[i]
        );
    }
    let fit = readout.fit(&x, &y, 4, None).unwrap();
    let (_, g) = readout.objective(&fit.weights, &fit.intercepts, &x, &y, 4).unwrap();
    assert!(g.iter().all(|v| v.abs() < 1e-6));
    // A warm start from the optimum finishes at once.
    let again = readout.fit(&x, &y, 4, Some(&fit)).unwrap();
    assert_eq!(again.iterations, 0);
}

#[test]
fn softmax_on_separable_data_stays_finite() {
    let (x, y) = clusters(200, 2, 2, 40.0, 8);
    let fit = SoftmaxReadout::new(2).fit(&x, &y, 2, None).unwrap();
    assert_eq!(fit.accuracy, 1.0);
    assert!(fit.weights.iter().chain(&fit.intercepts).all(|v| v.is_finite()));
    assert!(fit.cross_entropy.is_finite() && fit.cross_entropy < 0.05);
    // Bad input is named.
    let r = SoftmaxReadout::new(2).fit(&x, &[0, 1, 2], 2, None);
    assert!(matches!(r, Err(LearnError::DimensionMismatch { .. })));
    let r = SoftmaxReadout::new(2).fit(&[1.0, f64::NAN], &[0], 2, None);
    assert!(matches!(r, Err(LearnError::NonFinite { index: 1, .. })));
    let r = SoftmaxReadout::new(2).fit(&[1.0, 2.0], &[5], 2, None);
    assert!(matches!(r, Err(LearnError::BadLabel { label: 5, .. })));
    assert!(matches!(SoftmaxReadout::new(2).fit(&[], &[], 2, None), Err(LearnError::Empty { .. })));
}

#[test]
fn least_squares_recovers_exact_fits_and_matches_the_ridge_closed_form() {
    let mut rng = stream_rng(9, 0);
    let (m, n) = (50, 3);
    let x: Vec<f64> = (0..m * n).map(|_| StandardNormal.sample(&mut rng)).collect();
    let w = [0.5, -1.5, 2.0];
    let y: Vec<f64> =
        (0..m).map(|i| 0.7 + (0..n).map(|j| x[i * n + j] * w[j]).sum::<f64>()).collect();
    let fit = ridge_least_squares(&x, &y, n, 0.0).unwrap();
    for j in 0..n {
        assert!((fit.weights[j] - w[j]).abs() < 1e-12);
    }
    assert!((fit.intercept - 0.7).abs() < 1e-12 && fit.mse < 1e-25);
    // Ridge: solve (Aᵀ A + λ D) θ = Aᵀ y with D = diag(1, 1, 1, 0) directly.
    let lambda = 3.0;
    let noisy: Vec<f64> = y
        .iter()
        .map(|v| {
            let z: f64 = StandardNormal.sample(&mut rng);
            v + 0.3 * z
        })
        .collect();
    let fit = ridge_least_squares(&x, &noisy, n, lambda).unwrap();
    let a = faer::Mat::<f64>::from_fn(m, n + 1, |i, j| if j < n { x[i * n + j] } else { 1.0 });
    let mut normal = a.transpose() * &a;
    for j in 0..n {
        normal[(j, j)] += lambda;
    }
    let rhs = a.transpose() * faer::Mat::<f64>::from_fn(m, 1, |i, _| noisy[i]);
    let theta = faer::linalg::solvers::Solve::solve(&normal.partial_piv_lu(), &rhs);
    for j in 0..n {
        assert!((fit.weights[j] - theta[(j, 0)]).abs() < 1e-10);
    }
    assert!((fit.intercept - theta[(n, 0)]).abs() < 1e-10);
    // Collinear features without ridge: a typed error, not garbage.
    let collinear: Vec<f64> = (0..m).flat_map(|i| [x[i * n], 2.0 * x[i * n]]).collect();
    assert!(matches!(ridge_least_squares(&collinear, &y, 2, 0.0), Err(LearnError::Singular)));
    assert!(ridge_least_squares(&collinear, &y, 2, 1e-3).is_ok());
    assert!(matches!(ridge_least_squares(&[], &[], 2, 0.0), Err(LearnError::Empty { .. })));
}

#[test]
fn softmax_with_duplicated_and_correlated_features_reaches_the_penalised_optimum() {
    // Feature 2 is a copy of feature 0 and feature 3 nearly so: the covariance is
    // singular and badly conditioned. The fit (run on whitened features) must still stop
    // at a zero gradient of the original objective, and split the weight of a duplicated
    // feature equally between its copies (the ridge optimum).
    let (base, y) = clusters(400, 2, 3, 1.5, 21);
    let mut rng = stream_rng(22, 0);
    let mut x = Vec::with_capacity(400 * 4);
    for row in base.chunks_exact(2) {
        let e: f64 = StandardNormal.sample(&mut rng);
        x.extend_from_slice(&[row[0], row[1], row[0], row[0] + 1e-3 * e]);
    }
    let readout = SoftmaxReadout { lambda: 1e-3, ..SoftmaxReadout::new(3) };
    let fit = readout.fit(&x, &y, 4, None).unwrap();
    let (_, g) = readout.objective(&fit.weights, &fit.intercepts, &x, &y, 4).unwrap();
    assert!(g.iter().all(|v| v.abs() < 1e-6), "{g:?}");
    for c in 0..3 {
        let w = &fit.weights[c * 4..(c + 1) * 4];
        assert!((w[0] - w[2]).abs() < 1e-6 * (1.0 + w[0].abs()), "{w:?}");
    }
}

#[test]
fn spsa_gain_calibration_matches_the_exact_gradient_scale() {
    // f(θ) = −θ² at θ₀ = 1.5 in one dimension: every perturbation gives |ĝ| = |f'(θ₀)| = 3
    // exactly (a central difference of a quadratic), so a = step (A + 1)^α / 3.
    let spsa = Spsa::new(100, 1.0, 0.1);
    let mut rng = stream_rng(31, 0);
    let cal = spsa
        .calibrated(&[1.5], |t, _| Ok::<_, LearnError>(-t[0] * t[0]), &mut rng, 0.05, 4)
        .unwrap();
    let expected = 0.05 * (spsa.big_a + 1.0).powf(spsa.alpha) / 3.0;
    assert!((cal.a - expected).abs() < 1e-12 * expected, "{} vs {expected}", cal.a);
    assert_eq!(Spsa { a: spsa.a, ..cal.clone() }, spsa);
    // The first step then moves θ by the target step.
    let r = Spsa { iterations: 1, big_a: spsa.big_a, ..cal }
        .maximize(&[1.5], |t, _| Ok::<_, LearnError>(-t[0] * t[0]), &mut rng, |_| {})
        .unwrap();
    assert!(((1.5 - r.theta[0]) - 0.05).abs() < 1e-9, "{}", r.theta[0]);
    // An objective that ignores θ cannot be calibrated, and says so.
    assert!(matches!(
        spsa.calibrated(&[1.5], |_, _| Ok::<_, LearnError>(1.0), &mut rng, 0.05, 2),
        Err(LearnError::InvalidParameter { .. })
    ));
}

#[test]
fn an_objective_error_stops_spsa_and_reaches_the_caller_unchanged() {
    #[derive(Debug, PartialEq)]
    enum SimError {
        Learn(LearnError),
        Simulation(u32),
    }
    impl From<LearnError> for SimError {
        fn from(e: LearnError) -> Self {
            SimError::Learn(e)
        }
    }
    let mut rng = stream_rng(40, 0);
    let mut calls = 0;
    let failing = |_: &[f64], _: u64| {
        calls += 1;
        if calls == 3 { Err(SimError::Simulation(7)) } else { Ok(0.5) }
    };
    let r = Spsa::new(10, 1.0, 0.1).maximize(&[0.0, 1.0], failing, &mut rng, |_| {});
    assert_eq!(r, Err(SimError::Simulation(7)));
    assert_eq!(calls, 3, "SPSA went on after the objective failed");
    // The calibration passes it on too, and SPSA's own errors still arrive as `E`.
    let r = Spsa::new(10, 1.0, 0.1).calibrated(
        &[0.0],
        |_, _| Err::<f64, _>(SimError::Simulation(1)),
        &mut rng,
        0.1,
        2,
    );
    assert_eq!(r, Err(SimError::Simulation(1)));
    let r = Spsa::new(10, 1.0, 0.1).maximize(&[0.0], |_, _| Ok(f64::NAN), &mut rng, |_| {});
    assert!(matches!(r, Err(SimError::Learn(LearnError::ObjectiveNotFinite { .. }))));
}

#[test]
fn softmax_with_a_nan_warm_start_is_an_error_not_a_nan_fit() {
    // Regression (hostile-input issue): the gradient norm folded with f64::max, which
    // drops NaN, so a NaN warm start "converged" and returned Ok((NaN, [NaN, NaN])).
    let (x, labels) = clusters(60, 2, 2, 2.0, 41);
    let readout = SoftmaxReadout::new(2);
    let good = readout.fit(&x, &labels, 2, None).unwrap();
    let mut bad = good.clone();
    bad.weights[1] = f64::NAN;
    let r = readout.fit(&x, &labels, 2, Some(&bad));
    assert!(
        matches!(r, Err(LearnError::NonFinite { what: "warm-start weights", index: 1, .. })),
        "{r:?}"
    );
    let mut bad = good.clone();
    bad.intercepts[0] = f64::INFINITY;
    assert!(readout.fit(&x, &labels, 2, Some(&bad)).is_err());
    // A finite warm start still converges to the same optimum.
    let again = readout.fit(&x, &labels, 2, Some(&good)).unwrap();
    assert!((again.cross_entropy - good.cross_entropy).abs() < 1e-9);
}

#[test]
fn spsa_calibration_from_a_vanishing_gradient_is_an_error_not_an_infinite_gain() {
    // Regression (hostile-input issue): a subnormal gradient estimate gave a = inf.
    let spsa = Spsa::new(10, 0.1, 0.1);
    let mut rng = stream_rng(43, 0);
    let r = spsa.calibrated(&[0.5], |t, _| Ok::<_, LearnError>(1e-318 * t[0]), &mut rng, 0.05, 2);
    assert!(matches!(r, Err(LearnError::InvalidParameter { name: "calibrated a", .. })), "{r:?}");
}

/// `m` samples of `half` smooth, correlated, magnetisation-like features in [−1, 1]
/// (tanh of an AR(1) walk, shifted by the class), each followed by its copy plus
/// `noise`·N(0, 1): the features of two chains that an equilibrium coupling makes equal.
fn duplicated_pairs(m: usize, half: usize, k: usize, noise: f64) -> (Vec<f64>, Vec<usize>) {
    let mut rng = stream_rng(5, 0);
    let (mut x, mut y) = (Vec::with_capacity(m * 2 * half), Vec::with_capacity(m));
    let mut row = vec![0.0; half];
    for i in 0..m {
        let c = i % k;
        let mut walk = 0.0;
        for (j, r) in row.iter_mut().enumerate() {
            let z: f64 = StandardNormal.sample(&mut rng);
            walk = 0.8 * walk + z;
            *r = (0.5 * walk + if j % k == c { 0.7 } else { 0.0 }).tanh();
        }
        x.extend_from_slice(&row);
        for &r in &row {
            let e: f64 = StandardNormal.sample(&mut rng);
            x.push(r + noise * e);
        }
        y.push(c);
    }
    (x, y)
}

#[test]
fn softmax_converges_on_duplicated_feature_pairs() {
    // Regression (issue 14): 2000 samples, 10 classes, 20 features each followed by a
    // copy plus 1e-4 noise, λ = 1e-4. Plain whitening put curvatures λ/Λ_j ~ 1e4 on the
    // 20 difference directions and stopped at "did not converge in 2000 iterations
    // (gradient 8.9e-6)"; ridge whitening converges in ~70. The exact-duplicate case
    // (a singular covariance) must converge too, and split each weight equally between
    // the two copies (the ridge optimum), and the near-duplicate fit must reach a zero
    // gradient of the original objective.
    let readout = SoftmaxReadout { lambda: 1e-4, ..SoftmaxReadout::new(10) };
    for noise in [0.0, 1e-4] {
        let (x, y) = duplicated_pairs(2000, 20, 10, noise);
        let fit = readout.fit(&x, &y, 40, None).unwrap_or_else(|e| panic!("noise {noise}: {e}"));
        assert!(fit.iterations < 500, "noise {noise}: {} iterations", fit.iterations);
        let (_, g) = readout.objective(&fit.weights, &fit.intercepts, &x, &y, 40).unwrap();
        let worst = g.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        assert!(worst < 1e-6, "noise {noise}: gradient {worst:e}");
        if noise == 0.0 {
            for c in 0..10 {
                let w = &fit.weights[c * 40..(c + 1) * 40];
                for j in 0..20 {
                    assert!((w[j] - w[20 + j]).abs() < 1e-8 * (1.0 + w[j].abs()), "{c},{j}");
                }
            }
        }
    }
}

#[test]
fn least_squares_with_huge_features_is_not_called_singular() {
    // Regression (hostile-input issue): features ×1e150 were reported "singular": next to
    // them the intercept's column of ones has an R diagonal below 1e-13 of the largest.
    // The scaled problem has the same solution scaled back: w/1e150, same intercept.
    let mut rng = stream_rng(19, 0);
    let (m, n) = (40, 3);
    let x: Vec<f64> = (0..m * n).map(|_| StandardNormal.sample(&mut rng)).collect();
    let y: Vec<f64> = (0..m)
        .map(|i| {
            let e: f64 = StandardNormal.sample(&mut rng);
            0.3 + x[i * n] - 2.0 * x[i * n + 2] + 0.1 * e
        })
        .collect();
    let plain = ridge_least_squares(&x, &y, n, 0.0).unwrap();
    let big: Vec<f64> = x.iter().map(|v| v * 1e150).collect();
    let fit = ridge_least_squares(&big, &y, n, 0.0).unwrap();
    for j in 0..n {
        let scaled = fit.weights[j] * 1e150;
        assert!((scaled - plain.weights[j]).abs() < 1e-10, "{j}: {scaled} vs {}", plain.weights[j]);
    }
    assert!((fit.intercept - plain.intercept).abs() < 1e-10);
    assert!((fit.mse - plain.mse).abs() < 1e-12 * plain.mse);
    // Truly collinear columns stay singular after scaling.
    let collinear: Vec<f64> = (0..m).flat_map(|i| [1e150 * x[i * n], 2e150 * x[i * n]]).collect();
    assert!(matches!(ridge_least_squares(&collinear, &y, 2, 0.0), Err(LearnError::Singular)));
}

/// The penalised softmax loss and gradient written as plain loops, each score's sum in
/// feature order from −0.0 (as `Iterator::sum`): what `SoftmaxReadout::objective` must
/// return bit for bit, whatever grouping of classes its score loop uses.
fn plain_objective(
    lambda: f64,
    w: &[f64],
    b: &[f64],
    x: &[f64],
    labels: &[usize],
    d: usize,
) -> (f64, Vec<f64>) {
    let k = b.len();
    let m = labels.len();
    let mut grad = vec![0.0; k * d + k];
    let mut ce = 0.0;
    let mut z = vec![0.0; k];
    for (mu, &y) in labels.iter().enumerate() {
        let xm = &x[mu * d..(mu + 1) * d];
        for c in 0..k {
            let mut sum = -0.0;
            for j in 0..d {
                sum += w[c * d + j] * xm[j];
            }
            z[c] = b[c] + sum;
        }
        let zmax = z.iter().fold(f64::NEG_INFINITY, |a, &v| if v > a { v } else { a });
        let mut total = -0.0;
        for &v in &z {
            total += (v - zmax).exp();
        }
        let lse = zmax + total.ln();
        ce += lse - z[y];
        for c in 0..k {
            let p = (z[c] - lse).exp() - if c == y { 1.0 } else { 0.0 };
            grad[k * d + c] += p;
            for j in 0..d {
                grad[c * d + j] += p * xm[j];
            }
        }
    }
    let inv_m = 1.0 / m as f64;
    let mut penalty = 0.0;
    for c in 0..k {
        for j in 0..d {
            let wv = w[c * d + j];
            grad[c * d + j] = grad[c * d + j] * inv_m + lambda * wv;
            penalty += lambda * wv * wv;
        }
    }
    for g in &mut grad[k * d..] {
        *g *= inv_m;
    }
    (ce * inv_m + 0.5 * penalty, grad)
}

#[test]
fn softmax_objective_is_bit_identical_to_plain_loops_for_any_class_count() {
    let mut rng = stream_rng(41, 0);
    // Class counts below, at and above the score loop's group of 16, and d = 1.
    for (k, d, m) in [(2, 1, 7), (3, 5, 20), (10, 80, 50), (16, 9, 30), (17, 4, 40), (33, 12, 25)] {
        let x: Vec<f64> = (0..m * d).map(|_| StandardNormal.sample(&mut rng)).collect();
        let labels: Vec<usize> = (0..m).map(|_| rng.random_range(0..k)).collect();
        let w: Vec<f64> = (0..k * d).map(|_| StandardNormal.sample(&mut rng)).collect();
        let b: Vec<f64> = (0..k).map(|_| StandardNormal.sample(&mut rng)).collect();
        let readout = SoftmaxReadout { lambda: 0.01, ..SoftmaxReadout::new(k) };
        let (loss, grad) = readout.objective(&w, &b, &x, &labels, d).expect("objective");
        let (plain_loss, plain_grad) = plain_objective(0.01, &w, &b, &x, &labels, d);
        assert_eq!(loss.to_bits(), plain_loss.to_bits(), "loss, K = {k}, d = {d}");
        for (i, (g, p)) in grad.iter().zip(&plain_grad).enumerate() {
            assert_eq!(g.to_bits(), p.to_bits(), "gradient component {i}, K = {k}, d = {d}");
        }
    }
}

#[test]
fn spsa_with_paired_evaluations_on_two_threads_takes_the_same_steps() {
    // A pair objective that evaluates y₋ on a second thread while y₊ runs here must give
    // the iterates, averages and calibrated gain of the one-by-one objective, bit for bit,
    // with and without common random numbers, and see equal seeds exactly under them.
    let target = [0.3, -0.2, 0.5];
    let f = |t: &[f64], seed: u64| Ok::<_, LearnError>(noisy_quadratic(t, seed, &target, 0.05));
    for common_random_numbers in [true, false] {
        let spsa = Spsa { common_random_numbers, perturbations: 2, ..Spsa::new(30, 0.2, 0.1) };
        let mut seeds = Vec::new();
        let mut pair = |p: Pair<'_>| {
            seeds.push((p.seed_plus, p.seed_minus));
            std::thread::scope(|s| {
                let minus = s.spawn(|| f(p.minus, p.seed_minus));
                let y_plus = f(p.plus, p.seed_plus)?;
                Ok::<_, LearnError>((y_plus, minus.join().expect("thread")?))
            })
        };
        let one = spsa.calibrated(&[0.0; 3], f, &mut stream_rng(5, 0), 0.05, 3).unwrap();
        let two =
            spsa.calibrated_paired(&[0.0; 3], &mut pair, &mut stream_rng(5, 0), 0.05, 3).unwrap();
        assert_eq!(one, two);
        let one = spsa.maximize(&[0.0; 3], f, &mut stream_rng(6, 0), |_| {}).unwrap();
        let two =
            spsa.maximize_paired(&[0.0; 3], &mut pair, &mut stream_rng(6, 0), |_| {}).unwrap();
        assert_eq!(one, two);
        assert_eq!(seeds.len(), 3 + 30 * 2);
        assert!(seeds.iter().all(|(a, b)| (a == b) == common_random_numbers), "{seeds:?}");
    }
}
