//! The two-spin system against its closed form and its symmetries.

use infotheory::GaussianRule::{self, Trapezoid};
use models::ModelError;
use models::bottleneck::*;

const FINE: [GaussianRule; 2] =
    [Trapezoid { step: 0.1, cutoff: 8.5 }, Trapezoid { step: 0.4, cutoff: 8.5 }];

fn setup(phi: f64, rules: [GaussianRule; 2]) -> TwoSpinSetup {
    TwoSpinSetup {
        beta: 3.0,
        task: ParityTask { eta: 3.0, phi, sense: RotationSense::Clockwise },
        inputs: GaussianInputs::new(0.95, rules).unwrap(),
    }
}

#[test]
fn master_equation_steady_state_matches_closed_form_a1_a4() {
    let mut scratch = TwoSpinScratch::default();
    let s = setup(0.5, FINE);
    let mut worst: f64 = 0.0;
    for (k, &(beta, js, ja)) in
        [(3.0, 0.3, 0.7), (1.0, 0.0, 1.0), (2.0, 0.5, 0.0), (3.0, -1.2, -0.9), (0.5, 2.0, 2.0)]
            .iter()
            .enumerate()
    {
        let s = TwoSpinSetup { beta, ..s.clone() };
        for x in [[0.2, -0.5], [0.0, 0.0], [-2.5, 2.5], [1.3, 0.7 + k as f64 * 0.1]] {
            let p = s.steady_state(js, ja, x, &mut scratch).unwrap();
            let exact = TwoSpin::new(beta, js, ja).unwrap().steady_state_closed_form(x);
            for i in 0..4 {
                worst = worst.max((p[i] - exact[i]).abs() / exact[i]);
            }
        }
    }
    assert!(worst < 1e-12, "largest relative deviation {worst:e}");
}

#[test]
fn entropy_production_vanishes_exactly_at_ja_zero_and_not_otherwise() {
    for x in [[0.3, -1.1], [0.0, 0.0], [2.0, 1.5]] {
        let k = TwoSpin::new(3.0, 0.8, 0.0).unwrap().rate_matrix(x).unwrap();
        let p = k.steady_state().unwrap();
        assert!(k.entropy_production_rate(&p).unwrap() < 1e-15);
        // Nonreciprocal: strictly positive, far above round-off (strong fields pin the
        // spins and make it small, so the bound is relative to round-off, not O(1)).
        let k = TwoSpin::new(3.0, 0.8, 0.2).unwrap().rate_matrix(x).unwrap();
        let p = k.steady_state().unwrap();
        assert!(k.entropy_production_rate(&p).unwrap() > 1e-10);
    }
}

#[test]
fn quadrature_over_inputs_converges_spectrally() {
    // Halving both steps from (0.4, 1.6): the change drops by orders of magnitude each time.
    let mut scratch = TwoSpinScratch::default();
    let steps = [(0.4, 1.6), (0.2, 0.8), (0.1, 0.4), (0.05, 0.2)];
    let m: Vec<TwoSpinMeasures> = steps
        .iter()
        .map(|&(a, b)| {
            let rules = [Trapezoid { step: a, cutoff: 8.5 }, Trapezoid { step: b, cutoff: 8.5 }];
            setup(0.5, rules).measure(-0.7, 0.3, &mut scratch).unwrap()
        })
        .collect();
    let d = |f: fn(&TwoSpinMeasures) -> f64| -> Vec<f64> {
        m.windows(2).map(|w| (f(&w[1]) - f(&w[0])).abs()).collect()
    };
    for (name, diffs) in
        [("I(s,x)", d(|m| m.i_sx)), ("I(s,y)", d(|m| m.i_sy)), ("Σ", d(|m| m.sigma))]
    {
        assert!(diffs[1] < 1e-2 * diffs[0].max(1e-12), "{name}: {diffs:?}");
        assert!(diffs[2] < 1e-11, "{name}: {diffs:?}");
    }
}

#[test]
fn equilibrium_information_about_the_output_vanishes_at_quarter_pi() {
    // The symmetry argument of Sec. III A: at φ = π/4 and J_a = 0, p(s, y) = p(s) p(y).
    let mut scratch = TwoSpinScratch::default();
    let s = setup(std::f64::consts::FRAC_PI_4, FINE);
    for js in [-2.0, -0.9, 0.0, 0.4, 1.7] {
        let m = s.measure(js, 0.0, &mut scratch).unwrap();
        assert!(m.i_sy.abs() < 1e-15, "J_s = {js}: I(s,y) = {:e}", m.i_sy);
        assert!(m.sigma.abs() < 1e-15);
    }
    // Out of equilibrium it does not vanish.
    assert!(s.measure(0.0, 1.0, &mut scratch).unwrap().i_sy > 1e-3);
}

#[test]
fn mirror_symmetry_relates_the_two_rotation_senses() {
    // Swapping the spins maps (φ, J_a) → (−φ, −J_a): equivalently the other rotation sense.
    let mut scratch = TwoSpinScratch::default();
    let cw = setup(0.5, FINE);
    let mut ccw = cw.clone();
    ccw.task.sense = RotationSense::Counterclockwise;
    let a = cw.measure(-0.7, 0.3, &mut scratch).unwrap();
    let b = ccw.measure(-0.7, -0.3, &mut scratch).unwrap();
    for (u, v) in [(a.i_sx, b.i_sx), (a.i_sy, b.i_sy), (a.sigma, b.sigma)] {
        assert!((u - v).abs() < 1e-12 * u.abs().max(1.0), "{u} vs {v}");
    }
    // I(s, x) and Σ do not see the task, so they are even in J_a.
    let c = cw.measure(-0.7, -0.3, &mut scratch).unwrap();
    assert!((a.i_sx - c.i_sx).abs() < 1e-12 && (a.sigma - c.sigma).abs() < 1e-12);
}

#[test]
fn bad_parameters_are_typed_errors() {
    assert!(matches!(
        TwoSpin::new(f64::NAN, 0.0, 0.0),
        Err(ModelError::InvalidParameter { name: "beta", .. })
    ));
    assert!(matches!(
        GaussianInputs::new(1.0, FINE),
        Err(ModelError::InvalidParameter { name: "rho", value, .. }) if value == 1.0
    ));
    let mut scratch = TwoSpinScratch::default();
    let s = setup(0.5, FINE);
    assert!(matches!(
        s.measure(0.0, f64::INFINITY, &mut scratch),
        Err(ModelError::InvalidParameter { name: "J_a", .. })
    ));
    // A rate that overflows is reported, not turned into NaN.
    assert!(matches!(
        s.steady_state(300.0, 0.0, [0.0, 0.0], &mut scratch),
        Err(ModelError::Markov(stoch_core::StochError::NonFiniteRate { .. }))
    ));
}
