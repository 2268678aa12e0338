//! infotheory against closed forms.

use faer::{Mat, mat};
use infotheory::*;

const GH4: GaussianRule = GaussianRule::GaussHermite { order: 4 };

#[test]
fn bivariate_gaussian_mutual_information_is_minus_half_log_one_minus_rho_squared() {
    for rho in [-0.99, -0.5, 0.0, 0.3, 0.95, 0.999_999] {
        let c = mat![[2.0, rho * (2.0f64 * 0.5).sqrt()], [rho * (2.0f64 * 0.5).sqrt(), 0.5]];
        let i = gaussian_mutual_information(c.as_ref(), &[0], &[1]).unwrap();
        let exact = -0.5 * (1.0 - rho * rho).ln();
        // Conditioning: rounding the entry c₁₂ to f64 perturbs det C = σ₁²σ₂²(1 − ρ²) by a
        // relative ~4ε/(1 − ρ²), so no algorithm can do better than that in ln det.
        let tol = 1e-14 + 8.0 * f64::EPSILON / (1.0 - rho * rho);
        assert!((i - exact).abs() < tol, "ρ = {rho}: {i} vs {exact}");
    }
}

#[test]
fn gaussian_entropy_of_a_diagonal_covariance_adds_up() {
    let c = mat![[1.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 0.25]];
    let h = gaussian_entropy(c.as_ref()).unwrap();
    let one = |v: f64| 0.5 * (2.0 * std::f64::consts::PI * std::f64::consts::E * v).ln();
    assert!((h - (one(1.0) + one(4.0) + one(0.25))).abs() < 1e-14);
}

#[test]
fn gaussian_markov_chain_has_zero_conditional_information() {
    // X → Y → Z with Y = X + noise, Z = Y + noise: I(X; Z | Y) = 0, I(X; Z) > 0.
    let (vx, n1, n2) = (1.0, 0.5, 0.3);
    let c = mat![[vx, vx, vx], [vx, vx + n1, vx + n1], [vx, vx + n1, vx + n1 + n2],];
    let cmi = gaussian_conditional_mutual_information(c.as_ref(), &[0], &[2], &[1]).unwrap();
    assert!(cmi.abs() < 1e-14, "{cmi}");
    let mi = gaussian_mutual_information(c.as_ref(), &[0], &[2]).unwrap();
    let rho2 = vx * vx / (vx * (vx + n1 + n2));
    assert!((mi + 0.5 * (1.0 - rho2).ln()).abs() < 1e-14);
}

#[test]
fn non_positive_definite_covariance_is_a_typed_error() {
    let c = mat![[1.0, 2.0], [2.0, 1.0]];
    let e = gaussian_entropy(c.as_ref()).unwrap_err();
    assert_eq!(e, InfoError::NotPositiveDefinite { index: 1, diagonal: 1.0 });
    let e = gaussian_entropy(mat![[1.0, 0.5], [0.4, 1.0]].as_ref()).unwrap_err();
    assert!(matches!(e, InfoError::NotSymmetric { row: 0, col: 1, .. }));
    let e = log_det_spd(mat![[f64::NAN]].as_ref()).unwrap_err();
    assert!(matches!(e, InfoError::NonFiniteCovariance { row: 0, col: 0, .. }));
    let e = log_det_spd(Mat::<f64>::zeros(0, 0).as_ref()).unwrap_err();
    assert_eq!(e, InfoError::Empty);
    let e = gaussian_mutual_information(mat![[1.0, 0.0], [0.0, 1.0]].as_ref(), &[0], &[0]);
    assert!(matches!(e, Err(InfoError::BadBlock { .. })));
    assert!(gaussian_nodes_2d([0.0; 2], [[1.0, 1.0], [1.0, 1.0]], [GH4; 2]).is_err());
}

#[test]
fn binary_symmetric_channel_and_xor() {
    for e in [0.0, 0.01, 0.25, 0.5] {
        let t = vec![(1.0 - e) / 2.0, e / 2.0, e / 2.0, (1.0 - e) / 2.0];
        let j = JointDistribution::new(2, 2, t).unwrap();
        let exact = 2f64.ln() - binary_entropy(e).unwrap();
        assert!((j.mutual_information() - exact).abs() < 1e-15);
        assert!((j.conditional_entropy_y_given_x() - binary_entropy(e).unwrap()).abs() < 1e-15);
    }
    // X, Y fair independent bits, Z = X xor Y: I(X;Y) = 0 but I(X;Y|Z) = ln 2.
    let mut p = vec![0.0; 8];
    for x in 0..2 {
        for y in 0..2 {
            p[(x * 2 + y) * 2 + (x ^ y)] = 0.25;
        }
    }
    assert!((conditional_mutual_information(2, 2, 2, &p).unwrap() - 2f64.ln()).abs() < 1e-15);
    assert!((to_bits(2f64.ln()) - 1.0).abs() < 1e-15 && (to_nats(1.0) - 2f64.ln()).abs() < 1e-15);
}

#[test]
fn entropy_and_kl_closed_forms_and_errors() {
    assert!((entropy(&[0.25; 4]).unwrap() - 4f64.ln()).abs() < 1e-15);
    assert_eq!(entropy(&[1.0, 0.0]).unwrap(), 0.0);
    let d = kl_divergence(&[0.5, 0.5], &[0.25, 0.75]).unwrap();
    assert!((d - (0.5 * 2f64.ln() + 0.5 * (0.5f64 / 0.75).ln())).abs() < 1e-15);
    assert_eq!(kl_divergence(&[0.5, 0.5], &[1.0, 0.0]).unwrap(), f64::INFINITY);
    assert_eq!(entropy(&[]).unwrap_err(), InfoError::Empty);
    assert!(matches!(
        entropy(&[0.5, f64::NAN]),
        Err(InfoError::InvalidProbability { index: 1, .. })
    ));
    assert!(matches!(entropy(&[0.5, 0.6]), Err(InfoError::NotNormalized { .. })));
    assert!(binary_entropy(1.5).is_err());
    assert!(matches!(
        JointDistribution::new(2, 3, vec![0.25; 4]),
        Err(InfoError::ShapeMismatch { len: 4, expected: 6, .. })
    ));
}

#[test]
fn gauss_hermite_is_exact_for_polynomials_to_degree_2n_minus_1() {
    for n in [1usize, 2, 5, 16, 40, 100] {
        let q = GaussHermite::new(n).unwrap();
        assert!((q.weights().iter().sum::<f64>() - 1.0).abs() < 1e-13, "n = {n}");
        let z = q.nodes();
        for i in 0..n {
            assert_eq!(z[i], -z[n - 1 - i], "nodes symmetric");
        }
        // E[Z^{2k}] = (2k − 1)!!
        let mut dfact = 1.0;
        for k in 1..=n.min(8) {
            dfact *= (2 * k - 1) as f64;
            let m = q.expect(|z| z.powi(2 * k as i32));
            if 2 * k < 2 * n {
                assert!((m - dfact).abs() < 1e-11 * dfact, "n = {n}, k = {k}: {m}");
            }
        }
    }
    assert!(GaussHermite::new(0).is_err());
}

#[test]
fn gauss_hermite_converges_exponentially_for_smooth_integrands() {
    // E[cos(aZ)] = e^{−a²/2}.
    let a: f64 = 3.0;
    let exact = (-a * a / 2.0).exp();
    let errs: Vec<f64> = [8, 16, 32, 64]
        .iter()
        .map(|&n| (GaussHermite::new(n).unwrap().expect(|z| (a * z).cos()) - exact).abs())
        .collect();
    assert!(errs[3] < 1e-14, "{errs:?}");
    assert!(errs[1] < errs[0] * 1e-2, "{errs:?}");
}

#[test]
fn two_dimensional_rule_reproduces_the_covariance() {
    let c = [[1.0, 0.95], [0.95, 1.0]];
    let nodes =
        gaussian_nodes_2d([0.3, -0.2], c, [GaussianRule::GaussHermite { order: 12 }; 2]).unwrap();
    let e = |f: &dyn Fn([f64; 2]) -> f64| nodes.iter().map(|n| n.weight * f(n.x)).sum::<f64>();
    assert!((e(&|x| x[0]) - 0.3).abs() < 1e-14);
    assert!((e(&|x| (x[0] - 0.3) * (x[1] + 0.2)) - 0.95).abs() < 1e-13);
    assert!((e(&|x| (x[1] + 0.2).powi(2)) - 1.0).abs() < 1e-13);
    // Unequal variances and a negative correlation.
    let c = [[2.0, -0.3], [-0.3, 0.5]];
    let nodes =
        gaussian_nodes_2d([0.0; 2], c, [GaussianRule::Trapezoid { step: 0.5, cutoff: 9.0 }; 2])
            .unwrap();
    let cov01: f64 = nodes.iter().map(|n| n.weight * n.x[0] * n.x[1]).sum();
    let var0: f64 = nodes.iter().map(|n| n.weight * n.x[0] * n.x[0]).sum();
    assert!((cov01 + 0.3).abs() < 1e-14 && (var0 - 2.0).abs() < 1e-13);
}

#[test]
fn trapezoid_rule_beats_gauss_hermite_for_an_integrand_with_a_near_real_pole() {
    // E[1/(1 + (Z/a)²)] has poles at ±ia; a = 0.4 mimics the two-spin steady state.
    // Reference: a fine trapezoid, itself checked to be converged.
    let a = 0.4;
    let f = |z: f64| 1.0 / (1.0 + (z / a) * (z / a));
    let trap = |step: f64| {
        let (z, w) = GaussianRule::Trapezoid { step, cutoff: 9.0 }.nodes_and_weights().unwrap();
        z.iter().zip(&w).map(|(&z, &w)| w * f(z)).sum::<f64>()
    };
    let exact = trap(0.01);
    assert!((trap(0.02) - exact).abs() < 1e-15);
    // Spectral convergence: each halving of the step squares the error (rate e^{−2πa/h}).
    let e = [0.2, 0.1, 0.05].map(|h| (trap(h) - exact).abs());
    assert!(e[0] < 1e-4 && e[1] < 1e-9 && e[2] < 1e-14, "{e:?}");
    // Gauss–Hermite needs far more nodes for the same integrand.
    let gh = (GaussHermite::new(128).unwrap().expect(f) - exact).abs();
    assert!(gh > 1e-8, "GH(128) error {gh}");
}

#[test]
fn independent_table_off_normalisation_by_round_off_has_zero_information() {
    // Regression: a quadrature table summing to 1 − 1.5e-15 gave I = 1.5e-15 = −ln S.
    let s = 1.0 - 1.5e-15;
    let (px, py) = ([0.3, 0.7], [0.2, 0.5, 0.3]);
    let t: Vec<f64> = px.iter().flat_map(|a| py.iter().map(move |b| a * b * s)).collect();
    let i = JointDistribution::new(2, 3, t).unwrap().mutual_information();
    assert!(i.abs() < 2e-16, "{i:e}");
}

#[test]
fn huge_covariances_are_still_checked_for_symmetry_and_huge_shapes_do_not_overflow() {
    // Regression (hostile-input issue): the symmetry check's scale √(C_ii C_jj) overflowed
    // above ~1e154, so this antisymmetric off-diagonal was accepted (MI 0.1438).
    let c = mat![[1e160, 5e159], [-5e159, 1e160]];
    let e = gaussian_mutual_information(c.as_ref(), &[0], &[1]).unwrap_err();
    assert!(matches!(e, InfoError::NotSymmetric { row: 0, col: 1, .. }), "{e}");
    // The same matrix made symmetric is fine at that scale: MI = −½ ln(1 − ρ²), ρ = ½.
    let c = mat![[1e160, 5e159], [5e159, 1e160]];
    let mi = gaussian_mutual_information(c.as_ref(), &[0], &[1]).unwrap();
    assert!((mi + 0.5 * (1.0f64 - 0.25).ln()).abs() < 1e-12, "{mi}");
    // And a shape whose size overflows usize is a shape error, not a panic.
    let e = JointDistribution::new(usize::MAX, 2, vec![0.5, 0.5]).unwrap_err();
    assert!(matches!(e, InfoError::ShapeMismatch { expected: usize::MAX, .. }), "{e}");
}

#[test]
fn every_documented_gauss_hermite_order_builds() {
    // Regression (hostile-input issue): 399 orders between 214 and 1000 were rejected
    // (Newton's step stalled at the round-off floor above the 1e-15 test), 1000 among
    // them, while the docs and the error said 1..=1000; order 199 built with weights
    // summing to 1.8e-163. Every order up to 260 (where both failures began) and a spread
    // above it must build, with weights summing to one and E[Z²] = 1, E[Z⁴] = 3 (all of
    // 1..=1000 pass too, in ~100 s of release time); 1001 is rejected.
    let orders = (1..=260).chain([305, 317, 499, 500, 777, 999, 1000]);
    for n in orders {
        let q = GaussHermite::new(n).unwrap_or_else(|e| panic!("order {n}: {e}"));
        let w: f64 = q.weights().iter().sum();
        assert!((w - 1.0).abs() < 1e-12, "order {n}: Σw = {w}");
        assert!(q.nodes().windows(2).all(|p| p[0] < p[1]), "order {n}: nodes ascending");
        if n >= 2 {
            assert!((q.expect(|z| z * z) - 1.0).abs() < 1e-11, "order {n}: E[Z²]");
        }
        if n >= 3 {
            assert!((q.expect(|z| z.powi(4)) - 3.0).abs() < 1e-10, "order {n}: E[Z⁴]");
        }
    }
    assert!(GaussHermite::new(1001).is_err());
}
