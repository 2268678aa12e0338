//! The generated MNIST-1D equals the standard data set byte for byte (SHA-256 of the
//! little-endian arrays, as listed in shared/reference/mnist1d/reference.json).

use datasets::{Mnist1dArgs, make_dataset};
use sha2::{Digest, Sha256};

fn sha_f64(v: &[f64]) -> String {
    let mut h = Sha256::new();
    for x in v {
        h.update(x.to_le_bytes());
    }
    format!("{:x}", h.finalize())
}

fn sha_i64(v: &[i64]) -> String {
    let mut h = Sha256::new();
    for x in v {
        h.update(x.to_le_bytes());
    }
    format!("{:x}", h.finalize())
}

#[test]
fn mnist1d_matches_the_reference_bytes() {
    let d = make_dataset(&Mnist1dArgs::default()).unwrap();
    assert_eq!(d.y.len(), 4000);
    assert_eq!(d.y_test.len(), 1000);
    let first20: Vec<i64> = d.y[..20].to_vec();
    assert_eq!(first20, [2, 6, 4, 5, 6, 6, 6, 0, 3, 1, 6, 9, 4, 3, 4, 5, 1, 9, 0, 3]);
    let first_row = [
        -0.33200566736939013,
        -0.4719103656557236,
        -0.778697076293495,
        -1.0097408265367045,
        -0.8823525654053073,
    ];
    for (a, b) in d.x.iter().zip(first_row) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }
    assert_eq!(sha_i64(&d.y), "d97dc7aecec8ad6b5d8f143ba3e9c4bd7e25c420d7dfc2eb990591cfc0ed3e15");
    assert_eq!(
        sha_i64(&d.y_test),
        "8de99be3ff9dab15ae0dc072c3d6ced7cf6b33d365888ce4a386fc944489452c"
    );
    assert_eq!(sha_f64(&d.t), "84b830bf54825bb3e0bc2f4152a3ec900578a3494e3ff53f1b3c7adacb69620b");
    assert_eq!(sha_f64(&d.x), "2fd1f4398fe1d065207d59f58387cd64d20103c3c3f2f7c005ee2df0513a9182");
    assert_eq!(
        sha_f64(&d.x_test),
        "7de877261337eac6fdc37c837d8c917ca1ba4b97a47626f01ba9cc43414ce9a1"
    );
}

#[test]
fn bad_arguments_are_named() {
    let e = make_dataset(&Mnist1dArgs { num_samples: 55, ..Mnist1dArgs::default() });
    assert!(
        matches!(e, Err(datasets::DatasetError::InvalidArgument { name: "num_samples", .. })),
        "{e:?}"
    );
    let e = make_dataset(&Mnist1dArgs { num_samples: 0, ..Mnist1dArgs::default() });
    assert!(matches!(e, Err(datasets::DatasetError::Empty { .. })));
    let e = make_dataset(&Mnist1dArgs { train_split: 1.5, ..Mnist1dArgs::default() });
    assert!(matches!(e, Err(datasets::DatasetError::InvalidArgument { name: "train_split", .. })));
}

#[test]
fn padding_translation_and_split_that_used_to_panic_or_pass_are_errors() {
    // Regression (hostile-input issue): these passed validation and then panicked
    // (`k <= self.len()` in the translation, capacity overflow in the padding), or
    // returned an empty training split / non-finite data as Ok.
    use datasets::DatasetError::InvalidArgument;
    let named = |args: Mnist1dArgs, expected: &str| {
        let e = make_dataset(&args);
        assert!(
            matches!(&e, Err(InvalidArgument { name, .. }) if *name == expected),
            "{expected}: {e:?}"
        );
    };
    let d = Mnist1dArgs::default;
    named(Mnist1dArgs { padding: (0, 0), ..d() }, "max_translation");
    named(Mnist1dArgs { padding: (0, 20), ..d() }, "max_translation");
    named(Mnist1dArgs { max_translation: 1_000_000, ..d() }, "max_translation");
    named(Mnist1dArgs { padding: (usize::MAX, usize::MAX), ..d() }, "padding.1");
    named(Mnist1dArgs { num_samples: 10, train_split: 0.05, ..d() }, "train_split");
    named(Mnist1dArgs { iid_noise_scale: f64::MAX, ..d() }, "noise scales");
    // The edge that is allowed: a translation over the whole padded length.
    let ok = Mnist1dArgs { num_samples: 100, padding: (0, 36), max_translation: 48, ..d() };
    let data = make_dataset(&ok).unwrap();
    assert!(data.x.iter().all(|v| v.is_finite()));
}
