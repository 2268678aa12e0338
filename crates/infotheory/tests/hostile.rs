//! Hostile input: NaN, ±∞, 0, negative, empty, huge and mismatched arguments give a typed
//! error or a finite answer that keeps the invariants (entropies ≥ 0 for distributions,
//! 0 ≤ I ≤ min(H)), never a panic or a NaN.

use faer::Mat;
use infotheory::{
    GaussHermite, GaussianRule, JointDistribution, binary_entropy, binary_pair_information,
    conditional_mutual_information, entropy, gaussian_entropy, gaussian_mutual_information,
    histogram_entropy, kl_divergence,
};
use proptest::prelude::*;

const BAD: [f64; 5] = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.5, 1.5];

#[test]
fn bad_distributions_and_shapes_are_typed_errors() {
    assert!(entropy(&[]).is_err());
    for b in BAD {
        assert!(entropy(&[b, 1.0 - b]).is_err(), "{b}");
        assert!(binary_entropy(b).is_err(), "{b}");
        assert!(kl_divergence(&[0.5, 0.5], &[b, 1.0 - b]).is_err(), "{b}");
        assert!(JointDistribution::new(1, 2, vec![b, 1.0 - b]).is_err(), "{b}");
    }
    assert!(kl_divergence(&[0.5, 0.5], &[1.0]).is_err(), "mismatched lengths");
    assert!(JointDistribution::new(2, 2, vec![0.25; 3]).is_err());
    assert!(JointDistribution::new(usize::MAX, 2, vec![1.0]).is_err());
    assert!(conditional_mutual_information(2, 2, 2, &[0.125; 7]).is_err());
    assert!(conditional_mutual_information(usize::MAX, 2, 2, &[1.0]).is_err());
    assert!(histogram_entropy(&[], 0.1).is_err());
    for bin in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(histogram_entropy(&[0.0, 1.0], bin).is_err(), "bin {bin}");
    }
    assert!(histogram_entropy(&[0.0, f64::NAN], 0.1).is_err());
    assert!(binary_pair_information(&[1, -1], &[1]).is_err());
    assert!(binary_pair_information(&[], &[]).is_err());
    assert!(GaussHermite::new(0).is_err() && GaussHermite::new(1001).is_err());
    for (step, cutoff) in [(0.0, 5.0), (-0.1, 5.0), (0.1, f64::NAN), (f64::INFINITY, 5.0)] {
        assert!(GaussianRule::Trapezoid { step, cutoff }.nodes_and_weights().is_err());
    }
}

#[test]
fn bad_covariances_are_typed_errors() {
    let c = |v: [[f64; 2]; 2]| Mat::<f64>::from_fn(2, 2, |i, j| v[i][j]);
    for bad in [
        [[1.0, f64::NAN], [f64::NAN, 1.0]],
        [[1.0, 2.0], [2.0, 1.0]],  // not positive definite
        [[1.0, 0.5], [-0.5, 1.0]], // not symmetric
        [[0.0, 0.0], [0.0, 1.0]],  // singular
        [[f64::INFINITY, 0.0], [0.0, 1.0]],
        [[1e160, 5e159], [-5e159, 1e160]], // not symmetric, at a huge scale
    ] {
        let m = c(bad);
        assert!(gaussian_entropy(m.as_ref()).is_err(), "{bad:?}");
        assert!(gaussian_mutual_information(m.as_ref(), &[0], &[1]).is_err(), "{bad:?}");
    }
    let ok = c([[1.0, 0.3], [0.3, 1.0]]);
    assert!(gaussian_mutual_information(ok.as_ref(), &[0], &[0]).is_err(), "overlapping blocks");
    assert!(gaussian_mutual_information(ok.as_ref(), &[0], &[2]).is_err(), "index out of range");
    assert!(gaussian_mutual_information(ok.as_ref(), &[], &[1]).is_err(), "empty block");
}

proptest! {
    #![proptest_config(ProptestConfig {
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261202),
        ..ProptestConfig::with_cases(64)
    })]

    /// Joint tables with entries spanning 1e-300..1 (and zeros), renormalised: finite
    /// entropies with 0 ≤ I(X;Y) ≤ min(H(X), H(Y)) up to round-off.
    #[test]
    fn joint_tables_with_extreme_entries_keep_the_information_bounds(
        nx in 1usize..6, ny in 1usize..6,
        logs in prop::collection::vec(-300.0f64..0.0, 36),
        zeros in prop::collection::vec(0.0f64..1.0, 36),
    ) {
        let raw: Vec<f64> = (0..nx * ny)
            .map(|k| if zeros[k] < 0.2 { 0.0 } else { 10f64.powf(logs[k]) })
            .collect();
        let total: f64 = raw.iter().sum();
        prop_assume!(total > 0.0);
        let p: Vec<f64> = raw.iter().map(|v| v / total).collect();
        let j = JointDistribution::new(nx, ny, p).unwrap();
        let (hx, hy, i) = (entropy(&j.marginal_x()).unwrap(), entropy(&j.marginal_y()).unwrap(), j.mutual_information());
        prop_assert!(hx.is_finite() && hy.is_finite() && i.is_finite());
        prop_assert!(i >= -1e-12 && i <= hx.min(hy) + 1e-12, "I = {i}, H = {hx}, {hy}");
    }

    /// Gaussian MI of random SPD covariances at scales 1e-150..1e150: finite, ≥ 0, and
    /// scale-invariant.
    #[test]
    fn gaussian_information_is_finite_non_negative_and_scale_free(
        a in prop::collection::vec(-1.0f64..1.0, 9),
        log_scale in -150.0f64..150.0,
    ) {
        let m = Mat::<f64>::from_fn(3, 3, |i, j| a[3 * i + j]);
        let spd = &m * m.transpose() + Mat::<f64>::identity(3, 3) * faer::Scale(0.1);
        let scaled = &spd * faer::Scale(10f64.powf(log_scale));
        let i1 = gaussian_mutual_information(spd.as_ref(), &[0], &[1, 2]).unwrap();
        let i2 = gaussian_mutual_information(scaled.as_ref(), &[0], &[1, 2]).unwrap();
        prop_assert!(i1.is_finite() && i1 >= -1e-12);
        prop_assert!((i1 - i2).abs() < 1e-9 * (1.0 + i1), "{i1} vs {i2}");
    }
}
