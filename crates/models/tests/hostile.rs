//! Hostile input to the papers' systems: bad parameters, layouts, data and settings are
//! typed errors naming the value, never a panic or a NaN result.

use models::bottleneck::{
    ChainLayout, ChainSystem, Couplings, Layer, LinearTwoUnit, RunLength, Targets, TaskData,
    TradeOff, TwoSpin,
};

fn layer(trade_off: TradeOff) -> Layer {
    Layer {
        layout: ChainLayout { n: 5, k: 2, couplings: Couplings::Full, periodic: false },
        beta: 1.0,
        run: RunLength { t_max: 50.0, n_max: 500, transient_time: 5.0, transient_jumps: 100 },
        ridge: 1e-6,
        softmax_lambda: 1e-4,
        trade_off,
    }
}

#[test]
fn bad_parameters_layouts_and_data_are_typed_errors() {
    for (beta, js, ja) in [(f64::NAN, 0.0, 0.0), (-1.0, 0.0, 0.0), (1.0, f64::INFINITY, 0.0)] {
        assert!(TwoSpin::new(beta, js, ja).is_err(), "{beta} {js} {ja}");
    }
    for (s, x, rho, phi, y) in [
        (0.0, 1.0, 0.5, 0.0, 0.1),
        (0.1, f64::NAN, 0.5, 0.0, 0.1),
        (0.1, 1.0, 1.0, 0.0, 0.1),
        (0.1, 1.0, 0.5, f64::INFINITY, 0.1),
        (0.1, 1.0, 0.5, 0.0, -0.1),
    ] {
        assert!(LinearTwoUnit::new(s, x, rho, phi, y).is_err(), "{s} {x} {rho} {phi} {y}");
    }
    // Layouts: k = 0, a chain too short for k, θ of the wrong length or not finite.
    for couplings in Couplings::ALL {
        let l = ChainLayout { n: 5, k: 2, couplings, periodic: false };
        let p = l.n_params();
        assert!(l.couplings(&vec![0.1; p + 1]).is_err(), "{couplings:?}: θ too long");
        assert!(l.couplings(&vec![f64::NAN; p]).is_err(), "{couplings:?}: NaN θ");
        let short = ChainLayout { n: 4, ..l.clone() };
        assert!(short.couplings(&vec![0.1; p]).is_err(), "{couplings:?}: N < 2k + 1");
        let zero = ChainLayout { k: 0, ..l.clone() };
        assert!(zero.couplings(&vec![0.1; zero.n_params()]).is_err(), "{couplings:?}: k = 0");
        assert!(ChainSystem::new(l.clone(), f64::NAN, &vec![0.1; p]).is_err());
        // Symmetrising a θ of the wrong length hands it on unchanged (for couplings() to
        // reject), rather than panicking.
        assert_eq!(l.symmetrized(&[0.1]), vec![0.1]);
    }
    // Data: empty, mis-sized, NaN, labels out of range; α negative or NaN.
    let l = layer(TradeOff::Alpha(0.0));
    let theta = vec![0.1; l.layout.n_params()];
    let bad_data = [
        TaskData { x: vec![], targets: Targets::Regression(vec![]) },
        TaskData { x: vec![0.0; 9], targets: Targets::Regression(vec![1.0, -1.0]) },
        TaskData { x: vec![f64::NAN; 10], targets: Targets::Regression(vec![1.0, -1.0]) },
        TaskData { x: vec![0.0; 10], targets: Targets::Classes { labels: vec![0, 7], classes: 3 } },
    ];
    for (i, d) in bad_data.iter().enumerate() {
        assert!(l.evaluate(&theta, d, 1).is_err(), "data case {i}");
    }
    for a in [f64::NAN, -1.0, f64::INFINITY] {
        assert!(TradeOff::Alpha(a).validate().is_err(), "α = {a}");
    }
    // A finite answer for good data: loss, accuracy and Σ are finite, A ∈ [0, 4].
    let good = TaskData {
        x: (0..40).map(|i| f64::from(i % 7) / 3.0 - 1.0).collect(),
        targets: Targets::Regression((0..8).map(|i| [1.0, -1.0][i % 2]).collect()),
    };
    for t in [TradeOff::Alpha(0.0), TradeOff::Equilibrium] {
        let e = layer(t).evaluate(&theta, &good, 3).unwrap();
        assert!(e.loss.is_finite() && e.loss >= 0.0 && (0.0..=1.0).contains(&e.accuracy));
        assert!(e.sigma.is_finite() && (0.0..=4.0).contains(&e.asymmetry), "{e:?}");
    }
}
