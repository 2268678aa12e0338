//! The two-chain layer: parameter counts and structure, and Gillespie steady states
//! against the exact master equation for a system small enough to enumerate.

use gillespie::{SpinFlipEngine, SpinStats, to_rate_matrix};
use models::bottleneck::{ChainLayout, ChainSystem, InterChain, RunLength, asymmetry};
use rand::RngExt;
use streams::{ensemble, stream_rng};

#[test]
fn parameter_counts_structure_and_symmetrisation() {
    let layout = |inter| ChainLayout { n: 8, k: 2, inter, periodic: false };
    assert_eq!(layout(InterChain::Rungs).n_params(), 6, "4k − 2 at k = 2");
    assert_eq!(layout(InterChain::Full).n_params(), 14, "6k + 2");
    assert_eq!(layout(InterChain::None).n_params(), 4);
    let l = layout(InterChain::Full);
    let mut rng = stream_rng(1, 0);
    let theta: Vec<f64> = (0..14).map(|_| rng.random_range(-1.0..1.0)).collect();
    let w = l.dense(&theta).unwrap();
    let size = 16;
    // No self-coupling; translation invariance inside the chain (away from the ends).
    for i in 0..size {
        assert_eq!(w[i * size + i], 0.0);
    }
    for m in 2..5 {
        assert_eq!(
            w[l.spin(m, 0) * size + l.spin(m + 1, 1)],
            w[l.spin(m + 1, 0) * size + l.spin(m + 2, 1)]
        );
        assert_eq!(
            w[l.spin(m, 1) * size + l.spin(m - 2, 1)],
            w[l.spin(m + 1, 1) * size + l.spin(m - 1, 1)]
        );
    }
    // Nothing beyond range k.
    assert_eq!(w[l.spin(0, 0) * size + l.spin(3, 0)], 0.0);
    assert!(asymmetry(&w, size) > 0.1);
    let sym = l.dense(&l.symmetrized(&theta)).unwrap();
    assert!(asymmetry(&sym, size) < 1e-30);
    assert!(l.dense(&theta[..3]).is_err());
}

#[test]
fn gillespie_magnetisations_and_entropy_production_match_the_master_equation() {
    // 2 chains × 3 spins, k = 1, all couplings: 64 states, solved exactly.
    let layout = ChainLayout { n: 3, k: 1, inter: InterChain::Full, periodic: false };
    let mut rng = stream_rng(2, 0);
    let theta: Vec<f64> = (0..layout.n_params()).map(|_| rng.random_range(-0.8..0.8)).collect();
    let system = ChainSystem::new(layout, 1.0, &theta).unwrap();
    let x = [0.3, -0.5, 0.1];
    let fields = [x, x].concat();
    let rates = to_rate_matrix(&system.network().with_fields(&fields).unwrap()).unwrap();
    let p = rates.steady_state().unwrap();
    let exact_sigma = rates.entropy_production_rate(&p).unwrap();
    let exact_m: Vec<f64> = (0..6)
        .map(|i| (0..64).map(|s| p[s] * if (s >> i) & 1 == 1 { 1.0 } else { -1.0 }).sum())
        .collect();
    assert!(exact_sigma > 0.01, "the test needs a driven system");
    let run = RunLength {
        t_max: 2000.0,
        n_max: u64::MAX,
        transient_time: 50.0,
        transient_jumps: u64::MAX,
    };
    let reps = 64;
    let out = ensemble(
        reps,
        3,
        || (SpinFlipEngine::new(), SpinStats::default()),
        |(eng, stats), _, rng| system.respond(eng, &run, &x, rng, stats).unwrap(),
    );
    let mean_se = |f: &dyn Fn(&models::bottleneck::InputResponse) -> f64| {
        let m = out.iter().map(f).sum::<f64>() / reps as f64;
        let var = out.iter().map(|r| (f(r) - m).powi(2)).sum::<f64>() / (reps - 1) as f64;
        (m, (var / reps as f64).sqrt())
    };
    for i in 0..6 {
        let (m, se) = mean_se(&|r| r.magnetization[i]);
        assert!((m - exact_m[i]).abs() < 4.0 * se, "spin {i}: {m} ± {se} vs {}", exact_m[i]);
    }
    let (s, se) = mean_se(&|r| r.entropy_rate);
    assert!((s - exact_sigma).abs() < 4.0 * se, "Σ = {s} ± {se} vs {exact_sigma}");
}

#[test]
fn the_paper_run_length_measures_after_the_transient() {
    // 2 × 40 spins: 10⁴ jumps take ~125 time units, less than T_transient = 200, so the
    // jump cap (2000) ends the transient and 8000 jumps are measured.
    let layout = ChainLayout { n: 40, k: 2, inter: InterChain::Rungs, periodic: false };
    let theta = [0.3, -0.2, 0.5, 0.1, 0.2, -0.1];
    let system = ChainSystem::new(layout, 1.0, &theta).unwrap();
    let x: Vec<f64> = (0..40u32).map(|i| (f64::from(i) / 6.0).sin()).collect();
    let mut eng = SpinFlipEngine::new();
    let mut stats = SpinStats::default();
    let paper = RunLength::paper();
    let r = system.respond(&mut eng, &paper, &x, &mut stream_rng(4, 0), &mut stats).unwrap();
    assert_eq!(r.jumps, 8000);
    assert!(r.magnetization.iter().all(|m| m.abs() <= 1.0) && r.entropy_rate.is_finite());
    let short = system.respond(&mut eng, &paper, &x[..5], &mut stream_rng(4, 0), &mut stats);
    assert!(short.is_err());
}

#[test]
fn many_inputs_at_once_report_the_first_failure_of_the_input_loop() {
    use gillespie::SpinBatchEngine;
    let layout = ChainLayout { n: 6, k: 2, inter: InterChain::Rungs, periodic: false };
    let system = ChainSystem::new(layout, 1.0, &[0.3, -0.2, 0.5, 0.1, 0.2, -0.1]).unwrap();
    let run = RunLength { t_max: 50.0, n_max: 500, transient_time: 5.0, transient_jumps: 100 };
    let good = [0.2; 6];
    let mut bad = [0.2; 6];
    bad[3] = f64::NAN;
    let mut engine = SpinBatchEngine::new();
    let mut stats = vec![SpinStats::default(); 4];
    let mut rngs: Vec<_> = (0..4).map(|l| stream_rng(9, l)).collect();
    let inputs: [&[f64]; 4] = [&good, &good, &bad, &good];
    let err = system.respond_many(&mut engine, &run, &inputs, &mut rngs, &mut stats).unwrap_err();
    let mut single = SpinFlipEngine::new();
    let alone = system.respond(&mut single, &run, &bad, &mut stream_rng(9, 2), &mut stats[0]);
    assert_eq!(format!("{err:?}"), format!("{:?}", alone.unwrap_err()));
    let short: [&[f64]; 2] = [&good, &good[..5]];
    assert!(system.respond_many(&mut engine, &run, &short, &mut rngs, &mut stats).is_err());
    // And without failures, every input's response is that of `respond` alone.
    let inputs = [vec![0.2; 6], vec![0.2, 0.7, -0.1, 0.0, 0.5, -0.3], vec![-0.4; 6]];
    let refs: Vec<&[f64]> = inputs.iter().map(Vec::as_slice).collect();
    let mut rngs: Vec<_> = (0..3).map(|l| stream_rng(9, l)).collect();
    let many = system.respond_many(&mut engine, &run, &refs, &mut rngs, &mut stats).unwrap();
    for (l, x) in inputs.iter().enumerate() {
        let r = system
            .respond(&mut single, &run, x, &mut stream_rng(9, l as u64), &mut stats[0])
            .unwrap();
        assert_eq!(many[l], r, "input {l}");
    }
}
