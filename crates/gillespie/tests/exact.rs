//! The engines against exact answers: stoch-core steady states and Schnakenberg EP,
//! Poisson and exponential laws. Statistical tolerances are k standard errors, estimated
//! from independent replicas (batch means), with fixed seeds.

use gillespie::*;

/// Two open chains of `per` spins, couplings to the 2nd neighbour within a chain and to
/// the facing spin and its neighbours in the other chain; W_ij and W_ji independent
/// (asymmetric) unless `symmetric`. Deterministic pseudo-random values from `seed`.
fn two_chains(per: usize, symmetric: bool, seed: u64) -> (KineticIsing, Vec<f64>) {
    let n = 2 * per;
    let mut rng = stream_rng(seed, 999);
    let mut u = move || {
        use rand::Rng;
        (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    let mut w = vec![0.0; n * n];
    let pos = |i: usize| (i / per, i % per);
    for i in 0..n {
        for j in 0..n {
            let ((ci, mi), (cj, mj)) = (pos(i), pos(j));
            let d = mi.abs_diff(mj);
            let linked = i != j && ((ci == cj && d <= 2) || (ci != cj && d <= 1));
            if linked && (!symmetric || i < j) {
                w[i * n + j] = u();
                if symmetric {
                    w[j * n + i] = w[i * n + j];
                }
            }
        }
    }
    let x = (0..n).map(|_| u()).collect();
    (KineticIsing::from_dense(1.0, &w).unwrap(), x)
}

struct Exact {
    m: Vec<f64>,
    sigma: f64,
}

fn exact(model: &DrivenIsing<'_>) -> Exact {
    let k = to_rate_matrix(model).unwrap();
    let p = k.steady_state().unwrap();
    let n = model.network().n_spins();
    let mut m = vec![0.0; n];
    for (idx, &pi) in p.iter().enumerate() {
        for (i, &s) in model.state(idx).iter().enumerate() {
            m[i] += pi * f64::from(s);
        }
    }
    Exact { m, sigma: k.entropy_production_rate(&p).unwrap() }
}

/// Mean and standard error of replicas.
fn mean_se(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

const K_SE: f64 = 4.0;
const REPLICAS: usize = 24;

fn spin_replicas(model: &KineticIsing, x: &[f64], seed: u64, t_max: f64) -> Vec<SpinStats> {
    ensemble(REPLICAS, seed, SpinFlipEngine::new, |eng, _, rng| {
        use rand::Rng;
        let init: Vec<i8> =
            (0..model.n_spins()).map(|_| if rng.next_u64() & 1 == 1 { 1 } else { -1 }).collect();
        let mut out = SpinStats::default();
        eng.run(model, x, &init, StopRule::time(t_max).with_transient(20.0), rng, &mut out)
            .unwrap();
        out
    })
}

fn assert_agrees(name: &str, samples: &[f64], exact: f64) {
    let (mean, se) = mean_se(samples);
    assert!(
        (mean - exact).abs() <= K_SE * se + 1e-12,
        "{name}: simulated {mean} ± {se}, exact {exact} ({:.1} SE off)",
        (mean - exact).abs() / se
    );
}

#[test]
fn spin_engine_matches_exact_magnetisation_and_entropy_production() {
    for (per, seed) in [(4, 1), (3, 2)] {
        let (net, x) = two_chains(per, false, seed);
        let model = net.with_fields(&x).unwrap();
        assert!(net.is_tabulated());
        let ex = exact(&model);
        assert!(ex.sigma > 0.01, "the asymmetric network must be out of equilibrium");
        let runs = spin_replicas(&net, &x, 10 + seed, 2000.0);
        for i in 0..net.n_spins() {
            let m: Vec<f64> = runs.iter().map(|r| r.magnetization[i]).collect();
            assert_agrees(&format!("m[{i}]"), &m, ex.m[i]);
        }
        let s: Vec<f64> = runs.iter().map(|r| r.entropy_rate).collect();
        assert_agrees("σ", &s, ex.sigma);
    }
}

#[test]
fn symmetric_couplings_give_zero_entropy_production_within_errors() {
    let (net, x) = two_chains(4, true, 3);
    let model = net.with_fields(&x).unwrap();
    let ex = exact(&model);
    assert!(ex.sigma.abs() < 1e-12, "detailed balance: exact σ = {}", ex.sigma);
    let runs = spin_replicas(&net, &x, 33, 2000.0);
    let s: Vec<f64> = runs.iter().map(|r| r.entropy_rate).collect();
    assert_agrees("σ (equilibrium)", &s, 0.0);
    let m: Vec<f64> = runs.iter().map(|r| r.magnetization[2]).collect();
    assert_agrees("m[2]", &m, ex.m[2]);
}

#[test]
fn generic_engines_match_the_exact_answer_and_each_other() {
    let (net, x) = two_chains(3, false, 4);
    let model = net.with_fields(&x).unwrap();
    let ex = exact(&model);
    let n = net.n_spins();
    // (m[0], m[n−1], σ) per replica, for both generic engines.
    let direct = ensemble(REPLICAS, 5, DirectMethod::new, |eng, _, rng| {
        let mut obs = (
            EntropyMeter::default(),
            TimeAverage::new(|s: &Vec<i8>| f64::from(s[0])),
            TimeAverage::new(move |s: &Vec<i8>| f64::from(s[n - 1])),
        );
        let run = eng
            .run(
                &model,
                &mut vec![1; n],
                StopRule::time(1500.0).with_transient(20.0),
                rng,
                &mut obs,
            )
            .unwrap();
        [obs.1.mean(), obs.2.mean(), obs.0.total / run.window]
    });
    let tree = ensemble(REPLICAS, 6, SumTreeMethod::new, |eng, _, rng| {
        let mut obs = (
            EntropyMeter::default(),
            TimeAverage::new(|s: &Vec<i8>| f64::from(s[0])),
            TimeAverage::new(move |s: &Vec<i8>| f64::from(s[n - 1])),
        );
        let run = eng
            .run(
                &model,
                &mut vec![-1; n],
                StopRule::time(1500.0).with_transient(20.0),
                rng,
                &mut obs,
            )
            .unwrap();
        [obs.1.mean(), obs.2.mean(), obs.0.total / run.window]
    });
    for (k, exact) in [ex.m[0], ex.m[n - 1], ex.sigma].into_iter().enumerate() {
        let d: Vec<f64> = direct.iter().map(|r| r[k]).collect();
        let t: Vec<f64> = tree.iter().map(|r| r[k]).collect();
        assert_agrees(&format!("direct[{k}]"), &d, exact);
        assert_agrees(&format!("sum tree[{k}]"), &t, exact);
    }
}

#[test]
fn spin_engine_and_direct_method_follow_the_same_trajectory_from_the_same_stream() {
    // Both pick the spin by the cumulative sum in index order and draw (Exp, U) in the same
    // order, so they make the same jumps (up to round-off at a boundary, ~1e-13 a jump).
    // Regression: chain ends have fewer neighbours, so rate tables of different sizes are
    // flattened together; unaligned table offsets once overlapped the config bits that a
    // flip toggles with XOR, and this test caught it.
    let (net, x) = two_chains(4, false, 7);
    let model = net.with_fields(&x).unwrap();
    let n = net.n_spins();
    let init: Vec<i8> = (0..n).map(|i| if i % 3 == 0 { 1 } else { -1 }).collect();
    let stop = StopRule::jumps(3000);
    let mut out = SpinStats::default();
    let mut eng = SpinFlipEngine::new();
    let run_spin = eng.run(&net, &x, &init, stop, &mut stream_rng(9, 0), &mut out).unwrap();
    let mut state = init.clone();
    let mut obs = (EntropyMeter::default(), TimeAverage::new(|s: &Vec<i8>| f64::from(s[5])));
    let run_direct =
        DirectMethod::new().run(&model, &mut state, stop, &mut stream_rng(9, 0), &mut obs).unwrap();
    assert_eq!(eng.spins(), state.as_slice());
    assert!((run_spin.end_time - run_direct.end_time).abs() < 1e-9 * run_direct.end_time);
    assert!((out.entropy - obs.0.total).abs() < 1e-9 * obs.0.total.abs().max(1.0));
    assert!((out.magnetization[5] - obs.1.mean()).abs() < 1e-9);
    // The field-keeping path (used for degree > 12) makes the same jumps as the tables.
    let plain = net.clone().without_tables();
    assert!(!plain.is_tabulated());
    let mut out2 = SpinStats::default();
    let mut eng2 = SpinFlipEngine::new();
    eng2.run(&plain, &x, &init, stop, &mut stream_rng(9, 0), &mut out2).unwrap();
    assert_eq!(eng2.spins(), eng.spins());
    assert!((out2.entropy - out.entropy).abs() < 1e-9 * out.entropy.abs().max(1.0));
}

/// Birth–death: ∅ → A at rate k, A → ∅ at rate g·n. Stationary law: Poisson(k/g).
struct BirthDeath {
    k: f64,
    g: f64,
}

impl JumpModel for BirthDeath {
    type State = u32;
    fn n_channels(&self) -> usize {
        2
    }
    fn rate(&self, n: &u32, c: usize) -> f64 {
        if c == 0 { self.k } else { self.g * f64::from(*n) }
    }
    fn fire(&self, n: &mut u32, c: usize) {
        if c == 0 { *n += 1 } else { *n -= 1 }
    }
}

impl Reversible for BirthDeath {
    fn reverse(&self, c: usize) -> Option<usize> {
        Some(1 - c)
    }
}

impl DependencyGraph for BirthDeath {
    fn affected(&self, _c: usize) -> &[usize] {
        &[1]
    }
}

#[test]
fn birth_death_has_a_poisson_stationary_distribution() {
    let lambda: f64 = 5.0;
    let model = BirthDeath { k: 5.0, g: 1.0 };
    const BINS: usize = 14;
    let runs = ensemble(REPLICAS, 21, SumTreeMethod::new, |eng, _, rng| {
        let mut occ = [0.0; BINS];
        let mut total = 0.0;
        struct Occupancy<'a>(&'a mut [f64; BINS], &'a mut f64);
        impl Observer<u32> for Occupancy<'_> {
            fn hold(&mut self, n: &u32, dt: f64) {
                if (*n as usize) < BINS {
                    self.0[*n as usize] += dt;
                }
                *self.1 += dt;
            }
        }
        let mut obs = (Occupancy(&mut occ, &mut total), EntropyMeter::default());
        eng.run(&model, &mut 0, StopRule::time(3000.0).with_transient(10.0), rng, &mut obs)
            .unwrap();
        let ep = obs.1.total;
        (occ.map(|o| o / total), ep)
    });
    let mut pmf = (-lambda).exp();
    for n in 0..BINS {
        let p: Vec<f64> = runs.iter().map(|r| r.0[n]).collect();
        assert_agrees(&format!("P(n = {n})"), &p, pmf);
        pmf *= lambda / (n + 1) as f64;
    }
    // Detailed balance: the entropy produced telescopes, it does not grow with time.
    assert!(runs.iter().all(|r| r.1.abs() < 20.0));
}

/// Two states: 0 → 1 at rate a, 1 → 0 at rate b.
struct TwoState {
    a: f64,
    b: f64,
}

impl JumpModel for TwoState {
    type State = u8;
    fn n_channels(&self) -> usize {
        1
    }
    fn rate(&self, s: &u8, _c: usize) -> f64 {
        if *s == 0 { self.a } else { self.b }
    }
    fn fire(&self, s: &mut u8, _c: usize) {
        *s = 1 - *s;
    }
}

impl Reversible for TwoState {
    fn reverse(&self, c: usize) -> Option<usize> {
        Some(c)
    }
}

#[test]
fn two_state_waiting_times_are_exponential() {
    let model = TwoState { a: 2.5, b: 0.7 };
    let mut traj = Trajectory::default();
    DirectMethod::new()
        .run(&model, &mut 0, StopRule::jumps(40_000), &mut stream_rng(3, 0), &mut traj)
        .unwrap();
    // Sojourns in state 0: from a jump into 0 to the next jump (out of 0).
    let mut waits: Vec<f64> =
        traj.jumps.windows(2).filter(|w| w[0].2 == 0).map(|w| w[1].0 - w[0].0).collect();
    let n = waits.len() as f64;
    let (mean, se) = mean_se(&waits);
    assert!((mean - 1.0 / model.a).abs() < K_SE * se, "mean wait {mean} ± {se}");
    // Kolmogorov–Smirnov against 1 − e^{−a t}; 1.95/√n is the 0.1 % critical value.
    waits.sort_by(f64::total_cmp);
    let d = waits
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            let f = 1.0 - (-model.a * t).exp();
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max);
    assert!(d < 1.95 / n.sqrt(), "KS distance {d} with {n} samples");
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let (net, x) = two_chains(3, false, 8);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            let stats = spin_replicas(&net, &x, 77, 200.0);
            stats
                .iter()
                .map(|s| (s.entropy.to_bits(), s.magnetization[0].to_bits()))
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(run(1), run(2));
}

#[test]
fn the_transient_is_dropped_from_averages() {
    // From the all-up state with a transient of half the run: an average that kept the
    // transient would remember the initial state far beyond the statistical error.
    let (net, x) = two_chains(3, false, 11);
    let model = net.with_fields(&x).unwrap();
    let ex = exact(&model);
    let n = net.n_spins();
    let runs = ensemble(2 * REPLICAS, 41, SpinFlipEngine::new, |eng, _, rng| {
        let mut out = SpinStats::default();
        let stop = StopRule::time(60.0).with_transient(30.0);
        let run = eng.run(&net, &x, &vec![1; n], stop, rng, &mut out).unwrap();
        assert!((run.window - 30.0).abs() < 1e-12);
        out
    });
    for i in 0..n {
        let m: Vec<f64> = runs.iter().map(|r| r.magnetization[i]).collect();
        assert_agrees(&format!("m[{i}] after the transient"), &m, ex.m[i]);
    }
    // And the generic engines' observers see only the window as well.
    let direct = ensemble(2 * REPLICAS, 42, DirectMethod::new, |eng, _, rng| {
        let mut avg = TimeAverage::new(|s: &Vec<i8>| f64::from(s[0]));
        eng.run(&model, &mut vec![1; n], StopRule::time(60.0).with_transient(30.0), rng, &mut avg)
            .unwrap();
        avg.mean()
    });
    assert_agrees("direct m[0] after the transient", &direct, ex.m[0]);
}

#[test]
fn sum_tree_and_direct_method_follow_the_same_trajectory_from_the_same_stream() {
    // Both sample the channel by the cumulative sum in index order, so the same stream
    // gives the same jumps (the block sums round differently only at a ~1e-13 boundary).
    let (net, x) = two_chains(4, false, 12);
    let model = net.with_fields(&x).unwrap();
    let n = net.n_spins();
    let stop = StopRule::jumps(3000);
    let mut a = Trajectory::default();
    let mut sa = vec![1; n];
    DirectMethod::new().run(&model, &mut sa, stop, &mut stream_rng(4, 1), &mut a).unwrap();
    let mut b = Trajectory::default();
    let mut sb = vec![1; n];
    SumTreeMethod::new().run(&model, &mut sb, stop, &mut stream_rng(4, 1), &mut b).unwrap();
    let channels = |t: &Trajectory<Vec<i8>>| t.jumps.iter().map(|j| j.1).collect::<Vec<_>>();
    assert_eq!(channels(&a), channels(&b));
    assert_eq!(sa, sb);
}

/// Each lane of the batch engine is exactly one run of the single-trajectory engine with
/// that lane's fields and stream: the same statistics, end state, summary and random
/// numbers consumed, whatever the other lanes do (other stop rules, errors).
#[test]
fn batch_lanes_equal_single_runs_bit_for_bit() {
    use rand::Rng;
    for (model, name) in [
        (two_chains(6, false, 21).0, "12 spins"),
        (two_chains(40, false, 22).0, "80 spins"),
        (two_chains(5, false, 23).0.without_tables(), "10 spins, no tables"),
    ] {
        let n = model.n_spins();
        let mut src = stream_rng(5, 0);
        let mut u = || (src.next_u64() >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
        let mut fields: Vec<Vec<f64>> =
            (0..6).map(|_| (0..n).map(|_| 2.0 * u()).collect()).collect();
        fields[4][n / 2] = f64::NAN; // lane 4 fails on its input
        let inits: Vec<Vec<i8>> = (0..6)
            .map(|l| (0..n).map(|i| if (i * 7 + l) % 3 == 0 { 1 } else { -1 }).collect())
            .collect();
        let stops = [
            StopRule::jumps(3000),
            StopRule::time(40.0).with_transient(5.0),
            StopRule::time_or_jumps(30.0, 700).with_transient(1.0),
            StopRule::jumps(1),
            StopRule::jumps(10),
            StopRule::time(1e-9).with_transient(1.0), // nothing to average
        ];
        let mut rngs: Vec<_> = (0..6).map(|l| stream_rng(77, l)).collect();
        let mut lanes: Vec<BatchLane<'_, _>> = rngs
            .iter_mut()
            .enumerate()
            .map(|(l, rng)| BatchLane {
                fields: &fields[l],
                initial: &inits[l],
                stop: stops[l],
                rng,
            })
            .collect();
        let mut out = vec![SpinStats::default(); 6];
        let mut batch = SpinBatchEngine::new();
        let results = batch.run(&model, &mut lanes, &mut out);
        let mut ok = 0;
        for l in 0..6 {
            let mut rng = stream_rng(77, l as u64);
            let mut alone = SpinStats::default();
            let mut engine = SpinFlipEngine::new();
            let single = engine.run(&model, &fields[l], &inits[l], stops[l], &mut rng, &mut alone);
            // Debug text: an error naming a NaN is not == to itself.
            assert_eq!(format!("{:?}", results[l]), format!("{single:?}"), "{name}, lane {l}");
            if single.is_ok() {
                ok += 1;
                assert_eq!(out[l], alone, "{name}, lane {l}");
                assert_eq!(batch.spins(l), engine.spins(), "{name}, lane {l}");
                assert_eq!(rngs[l].next_u64(), rng.next_u64(), "{name}, lane {l}");
            }
        }
        assert_eq!(
            ok, 4,
            "{name}: lanes 0-3 run, lane 4 has a NaN field, lane 5 nothing to average"
        );
        assert!(matches!(results[4], Err(GillespieError::InvalidParameter { name: "x", .. })));
        assert!(matches!(results[5], Err(GillespieError::NothingToAverage { .. })));
    }
}

/// A reaction network with its counts in a fixed-size array follows the very trajectory
/// of the same network with a `Vec` state, from the same stream, in both engines.
#[test]
fn fixed_state_networks_follow_the_vec_trajectory() {
    fn compare<const S: usize>(net: ReactionNetwork, init: [i64; S], stop: StopRule) {
        let fixed = net.clone().with_fixed_state::<S>().unwrap();
        let mut a = Trajectory::default();
        let mut b = Trajectory::default();
        let (mut va, mut vb) = (init.to_vec(), init);
        let ra = DirectMethod::new().run(&net, &mut va, stop, &mut stream_rng(8, 0), &mut a);
        let rb = DirectMethod::new().run(&fixed, &mut vb, stop, &mut stream_rng(8, 0), &mut b);
        assert_eq!(ra.unwrap(), rb.unwrap());
        assert_eq!(va, vb.to_vec());
        assert!(a.jumps.len() > 100);
        for (x, y) in a.jumps.iter().zip(&b.jumps) {
            assert_eq!((x.0, x.1, &x.2[..]), (y.0, y.1, &y.2[..]));
        }
        let (mut ea, mut eb) = (EntropyMeter::default(), EntropyMeter::default());
        let (mut va, mut vb) = (init.to_vec(), init);
        let ra = SumTreeMethod::new().run(&net, &mut va, stop, &mut stream_rng(9, 0), &mut ea);
        let rb = SumTreeMethod::new().run(&fixed, &mut vb, stop, &mut stream_rng(9, 0), &mut eb);
        assert_eq!(ra.unwrap(), rb.unwrap());
        assert_eq!((va, ea), (vb.to_vec(), eb));
    }
    compare(birth_death(50.0, 1.0).unwrap(), [10], StopRule::jumps(5000));
    compare(vilar(), [1, 1, 0, 0, 0, 0, 0, 0, 0], StopRule::time(20.0));
    assert!(matches!(
        birth_death(1.0, 1.0).unwrap().with_fixed_state::<2>(),
        Err(GillespieError::InvalidModel(_))
    ));
}

/// The two-phase run is the transient-then-window driver in one call: the same numbers
/// as two plain runs, lane by lane the same in the batch engine, and its window averages
/// are the exact steady state.
#[test]
fn two_phase_runs_equal_two_plain_runs_and_measure_the_steady_state() {
    use rand::Rng;
    let (net, x) = two_chains(4, false, 31);
    let n = net.n_spins();
    let init: Vec<i8> = (0..n).map(|i| if i % 2 == 0 { 1 } else { -1 }).collect();
    // Ends by jumps in the transient (fast network) and by time in the window, and the
    // other way round.
    for plan in [
        TwoPhase { transient_time: 50.0, transient_jumps: 200, t_max: 80.0, n_max: 100_000 },
        TwoPhase { transient_time: 0.5, transient_jumps: 10_000, t_max: 1e6, n_max: 3000 },
    ] {
        let mut eng = SpinFlipEngine::new();
        let mut out = SpinStats::default();
        let mut rng = stream_rng(3, 1);
        let window = eng.run_two_phase(&net, &x, &init, &plan, &mut rng, &mut out).unwrap();
        let mut by_hand = SpinFlipEngine::new();
        let mut out2 = SpinStats::default();
        let mut rng2 = stream_rng(3, 1);
        let first =
            by_hand.run(&net, &x, &init, plan.transient_rule(), &mut rng2, &mut out2).unwrap();
        let start = by_hand.spins().to_vec();
        let second =
            by_hand.run(&net, &x, &start, plan.window_rule(&first), &mut rng2, &mut out2).unwrap();
        assert_eq!(window, second);
        assert_eq!(out, out2);
        assert_eq!(rng.next_u64(), rng2.next_u64());
        // The batch engine, lane by lane; lane 2 has a NaN field and fails alone.
        let mut fields = vec![x.clone(), x.iter().map(|v| -v).collect(), x.clone()];
        fields[2][1] = f64::NAN;
        let mut rngs: Vec<_> = (0..3).map(|l| stream_rng(3, l)).collect();
        let mut lanes: Vec<BatchLane<'_, _>> = rngs
            .iter_mut()
            .zip(&fields)
            .map(|(rng, f)| BatchLane { fields: f, initial: &init, stop: StopRule::jumps(1), rng })
            .collect();
        let mut outs = vec![SpinStats::default(); 3];
        let results = SpinBatchEngine::new().run_two_phase(&net, &plan, &mut lanes, &mut outs);
        for l in 0..2 {
            let mut alone = SpinStats::default();
            let single = SpinFlipEngine::new()
                .run_two_phase(
                    &net,
                    &fields[l],
                    &init,
                    &plan,
                    &mut stream_rng(3, l as u64),
                    &mut alone,
                )
                .unwrap();
            assert_eq!(results[l].as_ref().unwrap(), &single, "lane {l}");
            assert_eq!(outs[l], alone, "lane {l}");
        }
        assert!(matches!(results[2], Err(GillespieError::InvalidParameter { name: "x", .. })));
    }
    // Statistics: replicas of two-phase runs against the exact steady state.
    let (net, x) = two_chains(3, false, 32);
    let ex = exact(&net.with_fields(&x).unwrap());
    let plan =
        TwoPhase { transient_time: 20.0, transient_jumps: 2000, t_max: 2000.0, n_max: u64::MAX };
    let runs = ensemble(REPLICAS, 34, SpinFlipEngine::new, |eng, _, rng| {
        let mut out = SpinStats::default();
        eng.run_two_phase(&net, &x, &[1; 6], &plan, rng, &mut out).unwrap();
        out
    });
    for i in 0..6 {
        let m: Vec<f64> = runs.iter().map(|r| r.magnetization[i]).collect();
        assert_agrees(&format!("m[{i}] (two-phase)"), &m, ex.m[i]);
    }
    let s: Vec<f64> = runs.iter().map(|r| r.entropy_rate).collect();
    assert_agrees("σ (two-phase)", &s, ex.sigma);
}
