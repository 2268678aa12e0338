//! Invariants of the information measures on random distributions.

use faer::Mat;
use infotheory::*;
use proptest::prelude::*;

fn joint() -> impl Strategy<Value = (usize, usize, Vec<f64>)> {
    (1usize..6, 1usize..6).prop_flat_map(|(nx, ny)| {
        prop::collection::vec(0.0f64..1.0, nx * ny).prop_map(move |mut v| {
            v[0] += 1e-3; // never all zero
            let s: f64 = v.iter().sum();
            v.iter_mut().for_each(|x| *x /= s);
            (nx, ny, v)
        })
    })
}

proptest! {
    #[test]
    fn mutual_information_is_bounded_by_the_marginal_entropies((nx, ny, p) in joint()) {
        let j = JointDistribution::new(nx, ny, p).unwrap();
        let i = j.mutual_information();
        let hx = entropy(&j.marginal_x()).unwrap();
        let hy = entropy(&j.marginal_y()).unwrap();
        prop_assert!(i >= -1e-14);
        prop_assert!(i <= hx.min(hy) + 1e-12);
        prop_assert!((i - (hx + hy - j.joint_entropy())).abs() < 1e-12);
        prop_assert!(hx <= (nx as f64).ln() + 1e-12);
    }

    #[test]
    fn kl_and_conditional_information_are_non_negative((nx, ny, p) in joint()) {
        let j = JointDistribution::new(nx, ny, p.clone()).unwrap();
        let px = j.marginal_x();
        let uniform = vec![1.0 / nx as f64; nx];
        prop_assert!(kl_divergence(&px, &uniform).unwrap() >= -1e-15);
        // Treat the table as p(x, y, z) with z a function of the flat index.
        let mut p3 = vec![0.0; nx * ny * 2];
        for (k, &v) in p.iter().enumerate() { p3[k * 2 + (k % 2)] = v; }
        prop_assert!(conditional_mutual_information(nx, ny, 2, &p3).unwrap() >= -1e-14);
    }

    #[test]
    fn gaussian_information_is_non_negative(a in prop::collection::vec(-1.0f64..1.0, 16)) {
        // C = A Aᵀ + 0.1 I is symmetric positive definite.
        let c = Mat::from_fn(4, 4, |i, j| {
            (0..4).map(|k| a[i * 4 + k] * a[j * 4 + k]).sum::<f64>() + if i == j { 0.1 } else { 0.0 }
        });
        let i = gaussian_mutual_information(c.as_ref(), &[0, 1], &[2, 3]).unwrap();
        prop_assert!(i >= -1e-12);
        let cmi = gaussian_conditional_mutual_information(c.as_ref(), &[0], &[1], &[2, 3]).unwrap();
        prop_assert!(cmi >= -1e-12);
    }
}
