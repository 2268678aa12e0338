//! The two-chain layer: parameter counts and structure, and Gillespie steady states
//! against the exact master equation for a system small enough to enumerate.

use gillespie::{SpinFlipEngine, SpinStats, to_rate_matrix};
use models::bottleneck::{ChainLayout, ChainSystem, Couplings, RunLength, asymmetry};
use rand::RngExt;
use streams::{ensemble, stream_rng};

#[test]
fn parameter_counts_structure_and_symmetrisation() {
    let layout = |couplings| ChainLayout { n: 8, k: 2, couplings, periodic: false };
    assert_eq!(layout(Couplings::Rungs).n_params(), 6, "4k − 2 at k = 2");
    assert_eq!(layout(Couplings::Full).n_params(), 14, "6k + 2");
    assert_eq!(layout(Couplings::None).n_params(), 4);
    let l = layout(Couplings::Full);
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
fn every_layout_has_its_stated_parameter_count_for_k_1_to_4() {
    // Counted from the dense W: the number of distinct values among the couplings of
    // random θ (one value per parameter, as long as the draws differ), which must equal
    // n_params() and the layout's formula.
    for k in 1..=4usize {
        for couplings in Couplings::ALL {
            let l = ChainLayout { n: 2 * k + 4, k, couplings, periodic: false };
            let expected = match couplings {
                Couplings::None => 2 * k,
                Couplings::Rungs => 2 * k + 2,
                Couplings::Full => 6 * k + 2,
                Couplings::Zigzag => 4 * k - 2,
            };
            assert_eq!(l.n_params(), expected, "{couplings:?} at k = {k}");
            let mut rng = stream_rng(k as u64, 1);
            let theta: Vec<f64> = (0..expected).map(|_| rng.random_range(0.1..1.0)).collect();
            let w = l.dense(&theta).unwrap();
            let mut distinct: Vec<u64> =
                w.iter().filter(|v| **v != 0.0).map(|v| v.to_bits()).collect();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct.len(), expected, "{couplings:?} at k = {k}");
            // Range and self-coupling rules: nothing beyond |Δm| = k, nothing on the
            // diagonal.
            let size = 2 * l.n;
            for i in 0..size {
                for j in 0..size {
                    let dm = (i % l.n).abs_diff(j % l.n);
                    if w[i * size + j] != 0.0 {
                        assert!(i != j && dm <= k, "{couplings:?}: W[{i}][{j}] at |Δm| = {dm}");
                    }
                }
            }
            // Symmetrising gives W = Wᵀ exactly.
            let sym = l.dense(&l.symmetrized(&theta)).unwrap();
            assert!(asymmetry(&sym, size) < 1e-30, "{couplings:?} at k = {k}");
        }
    }
    // Zigzag at k = 2 in detail: Δi = 2Δm + Δn ∈ ±1, ±2, ±3, so the rung (0, 1) and the
    // diagonal (1, −1) share w(1), and the in-chain Δm = ±2 (Δi = ±4) is not coupled.
    let l = ChainLayout { n: 8, k: 2, couplings: Couplings::Zigzag, periodic: false };
    let w = l.dense(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
    let at =
        |(m, n): (usize, usize), (m2, n2): (usize, usize)| w[l.spin(m, n) * 16 + l.spin(m2, n2)];
    assert_eq!(at((3, 1), (3, 0)), at((4, 0), (3, 1)), "w(Δi = 1)");
    assert_eq!(at((5, 0), (3, 0)), 0.0, "Δm = 2 in-chain");
    assert_eq!(at((4, 0), (3, 0)), at((4, 1), (3, 1)), "w(Δi = 2)");
}

/// The exact steady-state magnetisation of every spin of a small two-chain system.
fn exact_magnetisations(layout: &ChainLayout, theta: &[f64], x: &[f64]) -> Vec<f64> {
    let size = 2 * layout.n;
    let system = ChainSystem::new(layout.clone(), 1.0, theta).unwrap();
    let fields = [x, x].concat();
    let rates = to_rate_matrix(&system.network().with_fields(&fields).unwrap()).unwrap();
    let p = rates.steady_state().unwrap();
    (0..size)
        .map(|i| (0..1 << size).map(|s| p[s] * if (s >> i) & 1 == 1 { 1.0 } else { -1.0 }).sum())
        .collect()
}

#[test]
fn chain_swap_symmetry_at_equilibrium_depends_on_the_layout() {
    // 2 × 4 spins, k = 1, a random symmetric W (θ symmetrised), the same input on both
    // chains; the exact master equation. Rungs and None: W = Wᵀ maps to itself under the
    // chain swap, so the two chains have equal magnetisations (to round-off). Full and
    // Zigzag: a symmetric W can still tell them apart (differences of order 0.1). A driven
    // (non-symmetric) Rungs W breaks the symmetry as well.
    let x = [0.4, -0.3, 0.2, -0.1];
    let chain_difference = |couplings, symmetric: bool| {
        let l = ChainLayout { n: 4, k: 1, couplings, periodic: false };
        let mut rng = stream_rng(9, 0);
        let theta: Vec<f64> = (0..l.n_params()).map(|_| rng.random_range(-1.0..1.0)).collect();
        let theta = if symmetric { l.symmetrized(&theta) } else { theta };
        let m = exact_magnetisations(&l, &theta, &x);
        (0..4).map(|i| (m[i] - m[4 + i]).abs()).fold(0.0f64, f64::max)
    };
    for c in [Couplings::Rungs, Couplings::None] {
        let d = chain_difference(c, true);
        assert!(d < 1e-10, "{c:?}: chains differ by {d:e} at W = Wᵀ");
    }
    for c in [Couplings::Full, Couplings::Zigzag] {
        let d = chain_difference(c, true);
        assert!(d > 1e-2, "{c:?}: chains differ only by {d:e} at W = Wᵀ");
    }
    let d = chain_difference(Couplings::Rungs, false);
    assert!(d > 1e-2, "driven rungs: chains differ only by {d:e}");
}

#[test]
fn gillespie_magnetisations_and_entropy_production_match_the_master_equation() {
    // 2 chains × 3 spins, k = 1, all couplings: 64 states, solved exactly.
    let layout = ChainLayout { n: 3, k: 1, couplings: Couplings::Full, periodic: false };
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
    let layout = ChainLayout { n: 40, k: 2, couplings: Couplings::Rungs, periodic: false };
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
    let layout = ChainLayout { n: 6, k: 2, couplings: Couplings::Rungs, periodic: false };
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
