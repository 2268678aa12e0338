//! Bad input gets typed errors naming the bad value.

use gillespie::*;

struct Const(f64);

impl JumpModel for Const {
    type State = u8;
    fn n_channels(&self) -> usize {
        2
    }
    fn rate(&self, _: &u8, c: usize) -> f64 {
        if c == 0 { 1.0 } else { self.0 }
    }
    fn fire(&self, s: &mut u8, _c: usize) {
        *s = 1 - *s;
    }
}

impl Reversible for Const {
    fn reverse(&self, _c: usize) -> Option<usize> {
        None
    }
}

impl DependencyGraph for Const {
    fn affected(&self, _c: usize) -> &[usize] {
        &[0, 1]
    }
}

#[test]
fn nan_and_negative_rates_are_named() {
    let mut rng = stream_rng(1, 0);
    for bad in [f64::NAN, -1.0, f64::INFINITY] {
        let e = DirectMethod::new()
            .run(&Const(bad), &mut 0, StopRule::jumps(10), &mut rng, &mut ())
            .unwrap_err();
        assert!(
            matches!(e, GillespieError::BadRate { channel: 1, time, .. } if time == 0.0),
            "{e}"
        );
        let e = SumTreeMethod::new()
            .run(&Const(bad), &mut 0, StopRule::jumps(10), &mut rng, &mut ())
            .unwrap_err();
        assert!(matches!(e, GillespieError::BadRate { channel: 1, .. }), "{e}");
    }
}

#[test]
fn absorbing_states_and_impossible_stop_rules_are_reported() {
    struct Decay;
    impl JumpModel for Decay {
        type State = u8;
        fn n_channels(&self) -> usize {
            1
        }
        fn rate(&self, s: &u8, _: usize) -> f64 {
            f64::from(*s)
        }
        fn fire(&self, s: &mut u8, _: usize) {
            *s -= 1;
        }
    }
    impl Reversible for Decay {
        fn reverse(&self, _: usize) -> Option<usize> {
            None
        }
    }
    let mut rng = stream_rng(1, 0);
    let e = DirectMethod::new()
        .run(&Decay, &mut 2, StopRule::time(100.0), &mut rng, &mut ())
        .unwrap_err();
    assert!(matches!(e, GillespieError::Absorbing { jumps: 2, .. }), "{e}");
    let never = StopRule { t_max: None, n_max: None, transient: 0.0 };
    assert!(matches!(
        DirectMethod::new().run(&Const(1.0), &mut 0, never, &mut rng, &mut ()),
        Err(GillespieError::InvalidStop { .. })
    ));
    // N_max jumps end before the transient: nothing is left to average.
    let e = DirectMethod::new()
        .run(&Const(1.0), &mut 0, StopRule::jumps(5).with_transient(1e6), &mut rng, &mut ())
        .unwrap_err();
    assert!(matches!(e, GillespieError::NothingToAverage { jumps: 5, .. }), "{e}");
}

#[test]
fn one_way_channels_produce_infinite_entropy_explicitly() {
    let mut meter = EntropyMeter::default();
    DirectMethod::new()
        .run(&Const(1.0), &mut 0, StopRule::jumps(3), &mut stream_rng(2, 0), &mut meter)
        .unwrap();
    assert_eq!(meter.total, f64::INFINITY);
}

#[test]
fn bad_spin_networks_are_rejected() {
    let e = KineticIsing::new(1.0, 2, &[(0, 0, 0.5)]).unwrap_err();
    assert!(matches!(e, GillespieError::InvalidModel(ref m) if m.contains("self-coupling")), "{e}");
    let e = KineticIsing::new(1.0, 2, &[(0, 1, f64::NAN)]).unwrap_err();
    assert!(matches!(e, GillespieError::InvalidParameter { name: "W", .. }), "{e}");
    let e = KineticIsing::new(f64::NAN, 2, &[]).unwrap_err();
    assert!(matches!(e, GillespieError::InvalidParameter { name: "beta", .. }), "{e}");
    let e = KineticIsing::new(1.0, 2, &[(0, 2, 0.5)]).unwrap_err();
    assert!(matches!(e, GillespieError::InvalidModel(ref m) if m.contains("out of range")), "{e}");
    // Regression (hostile-input issue): duplicates summing to inf were accepted.
    let e = KineticIsing::new(1.0, 2, &[(0, 1, 1e308), (0, 1, 1e308)]).unwrap_err();
    assert!(
        matches!(e, GillespieError::InvalidParameter { value, .. } if value.is_infinite()),
        "{e}"
    );
    // Regression (hostile-input issue): to_rate_matrix on 21 spins hit an assert.
    let big = KineticIsing::new(1.0, 21, &[]).unwrap();
    let fields = [0.0; 21];
    let e = to_rate_matrix(&big.with_fields(&fields).unwrap()).unwrap_err();
    assert!(matches!(e, GillespieError::InvalidModel(ref m) if m.contains("2^21")), "{e}");
    let e = KineticIsing::from_dense(1.0, &[0.0; 3]).unwrap_err();
    assert!(matches!(e, GillespieError::InvalidModel(_)), "{e}");
    let m = KineticIsing::new(1.0, 2, &[(0, 1, 0.3)]).unwrap();
    // Fields come with each run (or are bound for the generic engines), and are checked.
    assert!(m.with_fields(&[0.0, f64::NAN]).is_err());
    assert!(m.with_fields(&[0.0]).is_err());
    let mut out = SpinStats::default();
    let mut rng = stream_rng(0, 0);
    let e = SpinFlipEngine::new().run(
        &m,
        &[0.0, f64::NAN],
        &[1, 1],
        StopRule::jumps(3),
        &mut rng,
        &mut out,
    );
    assert!(matches!(e, Err(GillespieError::InvalidParameter { name: "x", .. })), "{e:?}");
    let e =
        SpinFlipEngine::new().run(&m, &[0.0; 3], &[1, 1], StopRule::jumps(3), &mut rng, &mut out);
    assert!(matches!(e, Err(GillespieError::InvalidModel(_))), "{e:?}");
    let e =
        SpinFlipEngine::new().run(&m, &[0.0; 2], &[1, 0], StopRule::jumps(3), &mut rng, &mut out);
    assert!(matches!(e, Err(GillespieError::InvalidModel(_))));
    // A two-phase plan that cannot run is named.
    let plan = TwoPhase { transient_time: f64::NAN, transient_jumps: 10, t_max: 100.0, n_max: 100 };
    let e = SpinFlipEngine::new().run_two_phase(&m, &[0.0; 2], &[1, 1], &plan, &mut rng, &mut out);
    assert!(matches!(e, Err(GillespieError::InvalidStop { .. })), "{e:?}");
    // A rate that overflows is an error, not an infinity fed to the sampler.
    let e = SpinFlipEngine::new().run(
        &m,
        &[800.0, 0.0],
        &[-1, 1],
        StopRule::jumps(3),
        &mut stream_rng(0, 0),
        &mut out,
    );
    assert!(matches!(e, Err(GillespieError::BadRate { channel: 0, .. })), "{e:?}");
}

#[test]
fn reaction_states_of_the_wrong_size_or_with_negative_counts_are_rejected() {
    // Regression (hostile-input issue): an empty state vector indexed out of bounds, and
    // negative counts were accepted.
    let net = birth_death(10.0, 1.0).unwrap();
    let mut rng = stream_rng(3, 0);
    for bad in [vec![], vec![1, 2], vec![-3]] {
        let mut state = bad.clone();
        let r = DirectMethod::new().run(&net, &mut state, StopRule::jumps(5), &mut rng, &mut ());
        assert!(matches!(r, Err(GillespieError::InvalidModel(_))), "{bad:?}: {r:?}");
        let mut state = bad.clone();
        let r = SumTreeMethod::new().run(&net, &mut state, StopRule::jumps(5), &mut rng, &mut ());
        assert!(matches!(r, Err(GillespieError::InvalidModel(_))), "{bad:?}: {r:?}");
    }
    let fixed = net.clone().with_fixed_state::<1>().unwrap();
    let r = DirectMethod::new().run(&fixed, &mut [-1], StopRule::jumps(5), &mut rng, &mut ());
    assert!(matches!(r, Err(GillespieError::InvalidModel(_))), "{r:?}");
    // A valid state still runs.
    assert!(
        DirectMethod::new().run(&net, &mut vec![0], StopRule::jumps(5), &mut rng, &mut ()).is_ok()
    );
}
