//! Hostile input to the simulation engines: typed errors for bad models, states, fields
//! and stop rules, and finite statistics with their invariants (|m_i| ≤ 1, finite EP,
//! jumps within the cap) for random networks at extreme β and couplings.

use gillespie::{
    BatchLane, DirectMethod, GillespieError, KineticIsing, Reaction, ReactionNetwork, RunSummary,
    SpinBatchEngine, SpinFlipEngine, SpinStats, StopRule, birth_death, stream_rng,
};
use proptest::prelude::*;

#[test]
fn bad_models_states_fields_and_stops_are_typed_errors() {
    for beta in [f64::NAN, f64::INFINITY] {
        assert!(KineticIsing::new(beta, 2, &[(0, 1, 1.0)]).is_err(), "β = {beta}");
    }
    for w in [f64::NAN, f64::INFINITY, f64::MAX] {
        let twice = [(0, 1, w), (0, 1, w)];
        assert!(KineticIsing::new(1.0, 2, &twice).is_err(), "W = {w} twice");
    }
    assert!(KineticIsing::new(1.0, 2, &[(0, 0, 1.0)]).is_err(), "self-coupling");
    assert!(KineticIsing::new(1.0, 2, &[(0, 2, 1.0)]).is_err(), "index out of range");
    assert!(KineticIsing::from_dense(1.0, &[0.0; 3]).is_err(), "not square");
    let net = KineticIsing::new(1.0, 3, &[(0, 1, 0.5), (1, 2, -0.5)]).unwrap();
    let mut engine = SpinFlipEngine::new();
    let mut stats = SpinStats::default();
    let mut rng = stream_rng(1, 0);
    let ok_stop = StopRule::time(10.0);
    let cases: [(&[f64], &[i8], StopRule); 9] = [
        (&[0.0; 2], &[1; 3], ok_stop),                  // fields too short
        (&[0.0; 3], &[1; 2], ok_stop),                  // spins too short
        (&[0.0; 3], &[1, 0, -1], ok_stop),              // 0 is not a spin
        (&[0.0, f64::NAN, 0.0], &[1; 3], ok_stop),      // NaN field
        (&[0.0, f64::INFINITY, 0.0], &[1; 3], ok_stop), // infinite field
        (&[0.0; 3], &[1; 3], StopRule::time(-1.0)),     // negative time
        (&[0.0; 3], &[1; 3], StopRule::time(f64::NAN)), // NaN time
        (&[0.0; 3], &[1; 3], StopRule::jumps(0)),       // no jumps
        (&[0.0; 3], &[1; 3], StopRule::time(10.0).with_transient(20.0)), // transient ≥ run
    ];
    for (i, (fields, spins, stop)) in cases.iter().enumerate() {
        let r = engine.run(&net, fields, spins, *stop, &mut rng, &mut stats);
        assert!(r.is_err(), "case {i} accepted: {r:?}");
    }
    // Rates e^{β|h|} that overflow f64 (β h = 1000) are an error, not inf or NaN.
    let hot = KineticIsing::new(1000.0, 2, &[(0, 1, 1.0)]).unwrap();
    let r = engine.run(&hot, &[1.0, -1.0], &[-1, 1], ok_stop, &mut rng, &mut stats);
    assert!(r.is_err(), "{r:?}");
    // Reaction networks.
    for rate in [f64::NAN, -1.0, f64::INFINITY] {
        let r = Reaction { rate, reactants: vec![], products: vec![(0, 1)] };
        assert!(ReactionNetwork::new(1, vec![r]).is_err(), "rate {rate}");
    }
    let r = Reaction { rate: 1.0, reactants: vec![(3, 1)], products: vec![] };
    assert!(ReactionNetwork::new(1, vec![r]).is_err(), "species out of range");
    assert!(birth_death(f64::NAN, 1.0).is_err());
    let bd = birth_death(1.0, 0.1).unwrap();
    let mut direct = DirectMethod::new();
    for mut state in [vec![], vec![-1i64], vec![1, 2]] {
        let r = direct.run(&bd, &mut state, StopRule::time(1.0), &mut rng, &mut ());
        assert!(r.is_err(), "state {state:?} accepted");
    }
    assert!(matches!(
        direct.run(&bd, &mut vec![0i64], StopRule::time(f64::NAN), &mut rng, &mut ()),
        Err(GillespieError::InvalidStop { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig {
        rng_seed: proptest::test_runner::RngSeed::Fixed(20261202),
        ..ProptestConfig::with_cases(32)
    })]

    /// Random networks of 2–12 spins, β from 0.01 to 20, couplings and fields up to ±5
    /// (rates up to e^{±β|h|}, far from 1): every run ends with |m_i| ≤ 1, a finite EP rate
    /// and no more jumps than the cap; or, when β|h| overflows the rates, with an error.
    #[test]
    fn random_networks_at_extreme_beta_give_bounded_statistics(
        n in 2usize..12,
        log_beta in -2.0f64..1.3,
        w in prop::collection::vec(-5.0f64..5.0, 144),
        h in prop::collection::vec(-5.0f64..5.0, 12),
        seed in 0u64..1000,
    ) {
        let beta = 10f64.powf(log_beta);
        let couplings: Vec<(usize, usize, f64)> = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| (i, j, w[i * 12 + j]))
            .collect();
        let net = KineticIsing::new(beta, n, &couplings).unwrap();
        let mut engine = SpinFlipEngine::new();
        let mut stats = SpinStats::default();
        let mut rng = stream_rng(seed, 0);
        let spins: Vec<i8> = (0..n).map(|i| if i % 2 == 0 { 1 } else { -1 }).collect();
        let stop = StopRule::time_or_jumps(50.0, 20_000).with_transient(1.0);
        match engine.run(&net, &h[..n], &spins, stop, &mut rng, &mut stats) {
            Ok(summary) => {
                prop_assert!(summary.jumps <= 20_000);
                prop_assert!(stats.magnetization.iter().all(|m| m.is_finite() && m.abs() <= 1.0 + 1e-12));
                prop_assert!(stats.entropy_rate.is_finite());
            }
            Err(e) => prop_assert!(
                matches!(e, GillespieError::BadRate { .. } | GillespieError::NothingToAverage { .. }),
                "{e:?}"
            ),
        }
        // The lockstep engine, lane by lane, gives the very result of the single engine
        // with that lane's stream, overflows and refreshes included.
        let fields: Vec<Vec<f64>> = [1.0, -1.0, 2.0, 0.5, -3.0]
            .iter()
            .map(|a| h[..n].iter().map(|v| a * v).collect())
            .collect();
        for (l, lane) in lockstep_and_single(&net, &fields, &spins, stop, seed).iter().enumerate() {
            prop_assert_eq!(format!("{:?}", lane.lockstep), format!("{:?}", lane.single), "lane {}", l);
            if lane.single.is_ok() {
                prop_assert_eq!(&lane.lockstep_stats, &lane.single_stats, "lane {}", l);
            }
        }
    }
}

/// One lane's outcome in the lockstep engine and alone in the single engine.
struct LaneAndSingle {
    lockstep: Result<RunSummary, GillespieError>,
    lockstep_stats: SpinStats,
    single: Result<RunSummary, GillespieError>,
    single_stats: SpinStats,
}

/// Runs `fields` as the lanes of one lockstep batch, lane l drawing from
/// `stream_rng(seed, l)`, and each alone in `SpinFlipEngine` with the same stream.
fn lockstep_and_single(
    net: &KineticIsing,
    fields: &[Vec<f64>],
    spins: &[i8],
    stop: StopRule,
    seed: u64,
) -> Vec<LaneAndSingle> {
    let mut rngs: Vec<_> = (0..fields.len() as u64).map(|l| stream_rng(seed, l)).collect();
    let mut lanes: Vec<BatchLane<'_, _>> = rngs
        .iter_mut()
        .zip(fields)
        .map(|(rng, f)| BatchLane { fields: f, initial: spins, stop, rng })
        .collect();
    let mut outs = vec![SpinStats::default(); fields.len()];
    let results = SpinBatchEngine::new().run(net, &mut lanes, &mut outs);
    results
        .into_iter()
        .zip(outs)
        .zip(fields)
        .enumerate()
        .map(|(l, ((lockstep, lockstep_stats), f))| {
            let mut single_stats = SpinStats::default();
            let mut rng = stream_rng(seed, l as u64);
            let single =
                SpinFlipEngine::new().run(net, f, spins, stop, &mut rng, &mut single_stats);
            LaneAndSingle { lockstep, lockstep_stats, single, single_stats }
        })
        .collect()
}

#[test]
fn a_huge_rate_giving_way_to_tiny_ones_is_not_absorbing() {
    // Found by the property test above: the total rate is kept by differences, and after
    // a rate e^{200} ≈ 7e86 gave way to rates e^{−200} the total read exactly 0 and the
    // run failed as "absorbing". Two free spins against fields of 200: both flip at once
    // (rate 7e86), then sit aligned (rate 1e-87 each): the run must end by time with
    // m = (1, 1).
    let net = KineticIsing::new(1.0, 2, &[]).unwrap();
    let mut engine = SpinFlipEngine::new();
    let mut stats = SpinStats::default();
    let mut rng = stream_rng(2, 0);
    let summary = engine
        .run(&net, &[200.0, 200.0], &[-1, -1], StopRule::time(10.0), &mut rng, &mut stats)
        .unwrap();
    assert_eq!(summary.jumps, 2);
    assert!(
        stats.magnetization.iter().all(|m| (m - 1.0).abs() < 1e-12),
        "{:?}",
        stats.magnetization
    );
}

/// A rate that overflows in the middle of a run (here at the first jump: spin 0, at rate
/// e^690, flips and pushes spin 1's rate to e^800) stops only that lane of the lockstep
/// engine, with the error the single engine gives for it, and the other lanes run on.
#[test]
fn a_rate_overflowing_mid_run_stops_only_its_lane_with_the_single_engines_error() {
    let net = KineticIsing::new(1.0, 2, &[(0, 1, 10.0), (1, 0, 400.0)]).unwrap();
    let fields = [vec![700.0, 400.0], vec![0.0, 0.0], vec![700.0, 400.0], vec![0.3, -0.2]];
    let spins = [-1i8, -1];
    let stop = StopRule::jumps(500);
    let lanes = lockstep_and_single(&net, &fields, &spins, stop, 9);
    for (l, lane) in lanes.iter().enumerate() {
        assert_eq!(format!("{:?}", lane.lockstep), format!("{:?}", lane.single), "lane {l}");
        if lane.single.is_ok() {
            assert_eq!(lane.lockstep_stats, lane.single_stats, "lane {l}");
        }
    }
    let results: Vec<_> = lanes.iter().map(|lane| &lane.lockstep).collect();
    for l in [0, 2] {
        assert!(
            matches!(results[l], Err(GillespieError::BadRate { channel: 1, rate, time })
                if *rate == f64::INFINITY && *time > 0.0),
            "lane {l}: {:?}",
            results[l]
        );
    }
    assert!(results[1].is_ok() && results[3].is_ok());
}
