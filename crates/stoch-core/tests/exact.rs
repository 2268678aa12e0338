//! stoch-core against closed-form answers.

use stoch_core::{RateMatrix, StochError};

fn rel_err(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

#[test]
fn two_state_steady_state_and_relaxation_match_closed_form() {
    let (a, b) = (2.5, 0.7); // 0 → 1 at a, 1 → 0 at b
    let k = RateMatrix::from_rows(&[[0.0, a], [b, 0.0]]).unwrap();
    let p = k.steady_state().unwrap();
    assert!(rel_err(p[0], b / (a + b)) < 1e-15);
    assert!(rel_err(p[1], a / (a + b)) < 1e-15);
    // A two-state process always satisfies detailed balance.
    assert_eq!(k.entropy_production_rate(&p).unwrap(), 0.0);
    // p0(t) = p0_ss + (p0(0) − p0_ss) e^{−(a+b)t}.
    for t in [0.0, 0.01, 0.3, 1.0, 5.0, 40.0] {
        let pt = k.evolve(&[1.0, 0.0], t).unwrap();
        let exact = b / (a + b) + (1.0 - b / (a + b)) * (-(a + b) * t).exp();
        assert!((pt[0] - exact).abs() < 1e-14, "t = {t}: {} vs {exact}", pt[0]);
        assert!((pt[0] + pt[1] - 1.0).abs() < 1e-14);
    }
}

#[test]
fn driven_ring_entropy_production_is_cycle_current_times_affinity() {
    // Four-state ring with unequal rates: σ = J · A, A = ln(Π k₊ / Π k₋).
    let kp = [1.3, 0.4, 2.2, 0.9];
    let km = [0.2, 1.1, 0.5, 0.3];
    let n = 4;
    let k = RateMatrix::from_fn(n, |i, j| {
        if j == (i + 1) % n {
            kp[i]
        } else if i == (j + 1) % n {
            km[i]
        } else {
            0.0
        }
    })
    .unwrap();
    let p = k.steady_state().unwrap();
    let ep = k.schnakenberg(&p).unwrap();
    // In a single cycle every edge carries the same current.
    let j: Vec<f64> = (0..n).map(|i| p[i] * kp[i] - p[(i + 1) % n] * km[(i + 1) % n]).collect();
    for w in j.windows(2) {
        assert!(rel_err(w[0], w[1]) < 1e-13);
    }
    let affinity = (kp.iter().product::<f64>() / km.iter().product::<f64>()).ln();
    assert!(rel_err(ep.total, j[0] * affinity) < 1e-13, "{} vs {}", ep.total, j[0] * affinity);
    assert_eq!(ep.edges.len(), 4);
    assert!(ep.edges.iter().all(|e| e.rate > 0.0));
}

#[test]
fn random_detailed_balance_system_has_zero_entropy_production() {
    // k(i→j) = exp(−(B_ij − E_i)) with symmetric barriers: p ∝ exp(−E), σ = 0.
    let n = 9;
    let e: Vec<f64> = (0..n).map(|i| ((i * 7 + 3) % 11) as f64 * 0.37 - 1.5).collect();
    let barrier = |i: usize, j: usize| 2.0 + ((i * j + i + j) % 5) as f64 * 0.41;
    let k = RateMatrix::from_fn(n, |i, j| (-(barrier(i, j) - e[i])).exp()).unwrap();
    let p = k.steady_state().unwrap();
    let z: f64 = e.iter().map(|&x| (-x).exp()).sum();
    for i in 0..n {
        assert!(rel_err(p[i], (-e[i]).exp() / z) < 1e-13);
    }
    let ep = k.schnakenberg(&p).unwrap();
    // Round-off only: each term is J·ln(ratio) with J and ln(ratio) both O(ε).
    assert!(ep.total.abs() < 1e-28, "σ = {}", ep.total);
    assert!(k.is_detailed_balance(1e-12).unwrap());
}

#[test]
fn steady_state_is_accurate_when_rates_span_sixteen_decades() {
    // Birth–death chain with rates from 1e-8 to 1e8: p_{i+1}/p_i = b_i / d_{i+1} exactly.
    let n = 17;
    let birth: Vec<f64> = (0..n).map(|i| 10f64.powi(i as i32 - 8)).collect();
    let death: Vec<f64> = (0..n).map(|i| 10f64.powi(8 - i as i32)).collect();
    let k = RateMatrix::from_fn(n, |i, j| {
        if j == i + 1 {
            birth[i]
        } else if i == j + 1 {
            death[i]
        } else {
            0.0
        }
    })
    .unwrap();
    let p = k.steady_state().unwrap();
    // log p_i up to normalisation, summed in log space.
    let mut logp = vec![0.0; n];
    for i in 1..n {
        logp[i] = logp[i - 1] + birth[i - 1].ln() - death[i].ln();
    }
    let max = logp.iter().cloned().fold(f64::MIN, f64::max);
    let logz = max + logp.iter().map(|l| (l - max).exp()).sum::<f64>().ln();
    for i in 0..n {
        let exact = (logp[i] - logz).exp();
        assert!(rel_err(p[i], exact) < 1e-12, "p[{i}] = {:e} vs {exact:e}", p[i]);
    }
    // log10(p_8/p_0) = Σ_{i<8} (2i − 15) = −64: the middle of the chain is the tail, and
    // it is resolved to full relative precision above, not rounded to zero.
    assert!(p[8] < 1e-60 && p[8] > 0.0, "p[8] = {:e}", p[8]);
}

#[test]
fn nonequilibrium_steady_state_matches_kirchhoff_tree_formula_with_extreme_rates() {
    // Three states with rates 1e-8 … 1e8 and a driving affinity; spanning-tree formula.
    let r = [[0.0, 1e-8, 3e5], [2e8, 0.0, 4e-3], [7e-6, 1e2, 0.0]];
    let k = RateMatrix::from_rows(&r).unwrap();
    let p = k.steady_state().unwrap();
    let w = [
        r[1][0] * r[2][0] + r[1][0] * r[2][1] + r[1][2] * r[2][0],
        r[0][1] * r[2][1] + r[0][1] * r[2][0] + r[0][2] * r[2][1],
        r[0][2] * r[1][2] + r[0][2] * r[1][0] + r[0][1] * r[1][2],
    ];
    let z: f64 = w.iter().sum();
    for i in 0..3 {
        assert!(rel_err(p[i], w[i] / z) < 1e-13, "p[{i}] = {:e} vs {:e}", p[i], w[i] / z);
    }
    let ep = k.entropy_production_rate(&p).unwrap();
    // Single cycle: σ = J ln(k01 k12 k20 / (k10 k21 k02)).
    let j01 = p[0] * r[0][1] - p[1] * r[1][0];
    let a = (r[0][1] * r[1][2] * r[2][0] / (r[1][0] * r[2][1] * r[0][2])).ln();
    assert!(rel_err(ep, j01 * a) < 1e-8, "{ep} vs {}", j01 * a);
}

#[test]
fn evolution_relaxes_to_the_steady_state_even_for_stiff_rates() {
    let r = [[0.0, 1e6, 1e-3], [5.0, 0.0, 2e-2], [3e-1, 1e4, 0.0]];
    let k = RateMatrix::from_rows(&r).unwrap();
    let p = k.steady_state().unwrap();
    let pt = k.evolve(&[0.0, 0.0, 1.0], 1e4).unwrap();
    for i in 0..3 {
        assert!((pt[i] - p[i]).abs() < 1e-12, "{pt:?} vs {p:?}");
    }
    // The semigroup property T(s+t) = T(s) T(t) on a non-trivial time.
    let p1 = k.evolve(&[0.0, 1.0, 0.0], 0.7).unwrap();
    let p2 = k.evolve(&k.evolve(&[0.0, 1.0, 0.0], 0.3).unwrap(), 0.4).unwrap();
    for i in 0..3 {
        assert!((p1[i] - p2[i]).abs() < 1e-12);
    }
}

#[test]
fn generator_columns_sum_to_zero() {
    let k = RateMatrix::from_fn(5, |i, j| 0.1 + (i * 3 + j) as f64).unwrap();
    let l = k.generator();
    for c in 0..5 {
        let s: f64 = (0..5).map(|r| l[(r, c)]).sum();
        assert!(s.abs() < 1e-12);
    }
}

#[test]
fn bad_rates_get_typed_errors_naming_the_entry() {
    let nan = RateMatrix::from_rows(&[[0.0, 1.0], [f64::NAN, 0.0]]).unwrap_err();
    assert!(matches!(nan, StochError::NonFiniteRate { from: 1, to: 0, rate } if rate.is_nan()));
    let neg = RateMatrix::from_edges(3, &[(0, 1, 1.0), (2, 0, -0.5)]).unwrap_err();
    assert_eq!(neg, StochError::NegativeRate { from: 2, to: 0, rate: -0.5 });
    let inf = RateMatrix::from_fn(2, |_, _| f64::INFINITY).unwrap_err();
    assert!(matches!(inf, StochError::NonFiniteRate { from: 0, to: 1, .. }));
    assert_eq!(RateMatrix::from_fn(0, |_, _| 1.0).unwrap_err(), StochError::NoStates);
    let ragged = RateMatrix::from_rows(&[vec![0.0, 1.0], vec![1.0]]).unwrap_err();
    assert_eq!(ragged, StochError::NotSquare { row: 1, len: 1, n_states: 2 });
    let oob = RateMatrix::from_edges(2, &[(0, 2, 1.0)]).unwrap_err();
    assert_eq!(oob, StochError::StateOutOfRange { state: 2, n_states: 2 });
    // The message names the value.
    assert!(nan.to_string().contains("k(1→0) = NaN"));
}

#[test]
fn one_way_transition_never_gives_a_finite_entropy_production() {
    // 0 → 1 → 2 → 0 with no reverse transitions: a valid process, infinite EP.
    let k = RateMatrix::from_edges(3, &[(0, 1, 1.0), (1, 2, 1.0), (2, 0, 1.0)]).unwrap();
    let p = k.steady_state().unwrap();
    assert_eq!(
        k.entropy_production_rate(&p).unwrap_err(),
        StochError::OneWayTransition { from: 0, to: 1, rate: 1.0 }
    );
    assert!(!k.is_detailed_balance(1e-9).unwrap());
}

#[test]
fn reducible_process_has_no_unique_steady_state() {
    // State 2 is absorbing.
    let k = RateMatrix::from_edges(3, &[(0, 1, 1.0), (1, 0, 1.0), (1, 2, 1.0)]).unwrap();
    assert!(matches!(k.steady_state().unwrap_err(), StochError::NotIrreducible { .. }));
    // Two disconnected blocks.
    let k = RateMatrix::from_edges(4, &[(0, 1, 1.0), (1, 0, 1.0), (2, 3, 1.0), (3, 2, 2.0)]);
    assert!(matches!(k.unwrap().steady_state(), Err(StochError::NotIrreducible { .. })));
}

#[test]
fn distribution_and_time_are_validated() {
    let k = RateMatrix::from_fn(2, |_, _| 1.0).unwrap();
    assert_eq!(
        k.entropy_production_rate(&[0.5]).unwrap_err(),
        StochError::LengthMismatch { len: 1, n_states: 2 }
    );
    assert_eq!(
        k.entropy_production_rate(&[0.7, 0.7]).unwrap_err(),
        StochError::NotNormalized { sum: 1.4 }
    );
    assert!(matches!(
        k.evolve(&[f64::NAN, 1.0], 1.0),
        Err(StochError::InvalidProbability { state: 0, .. })
    ));
    assert_eq!(k.evolve(&[0.5, 0.5], -1.0).unwrap_err(), StochError::InvalidTime { t: -1.0 });
}

#[test]
fn probability_on_one_side_of_a_two_way_edge_gives_explicit_infinity() {
    let k = RateMatrix::from_fn(2, |_, _| 1.0).unwrap();
    let ep = k.schnakenberg(&[1.0, 0.0]).unwrap();
    assert_eq!(ep.total, f64::INFINITY);
}

#[test]
fn refill_replaces_rates_in_place_and_clears_them_on_error() {
    let mut k = RateMatrix::from_fn(3, |_, _| 1.0).unwrap();
    k.refill(|i, j| (i * 3 + j) as f64 + 0.5).unwrap();
    assert_eq!(k, RateMatrix::from_fn(3, |i, j| (i * 3 + j) as f64 + 0.5).unwrap());
    let err = k.refill(|i, j| if (i, j) == (2, 1) { f64::NAN } else { 1.0 }).unwrap_err();
    assert!(matches!(err, StochError::NonFiniteRate { from: 2, to: 1, .. }));
    assert!((0..3).all(|i| k.exit_rate(i) == 0.0));
}

#[test]
fn steady_state_of_a_long_biased_chain_is_finite_and_normalised() {
    // Regression (hostile-input issue): back substitution from p₀ = 1 overflowed past
    // 1.8e308 and returned every entry NaN. Birth–death with rates 2 up, 1 down on 1025
    // states: π_k ∝ 2^k, so π_1024 = 2^1024/(2^1025 − 1) = ½ (to 1e-308) and each step
    // down halves it; the lowest entries (2^-1025 ≈ 2.8e-309) are subnormal.
    let k = RateMatrix::from_fn(1025, |i, j| {
        if j == i + 1 {
            2.0
        } else if i == j + 1 {
            1.0
        } else {
            0.0
        }
    })
    .unwrap();
    let p = k.steady_state().unwrap();
    assert!(p.iter().all(|x| x.is_finite() && *x >= 0.0));
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!((p[1024] - 0.5).abs() < 1e-12, "{}", p[1024]);
    for k in 1000..1024 {
        assert!((p[k + 1] / p[k] - 2.0).abs() < 1e-9, "ratio at {k}");
    }
    // 14 states with rates 1e12 up and 1e-12 down: π_13 = 1 − O(1e-24), the others
    // 1e-24, 1e-48, … down to honest zeros; before, p[13] was NaN and the rest 0.
    let k = RateMatrix::from_fn(14, |i, j| {
        if j == i + 1 {
            1e12
        } else if i == j + 1 {
            1e-12
        } else {
            0.0
        }
    })
    .unwrap();
    let p = k.steady_state().unwrap();
    assert!(p.iter().all(|x| x.is_finite() && *x >= 0.0), "{p:?}");
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!((p[13] - 1.0).abs() < 1e-12 && (p[12] / 1e-24 - 1.0).abs() < 1e-9, "{p:?}");
}

#[test]
fn detailed_balance_with_a_nan_tolerance_is_an_error() {
    // Regression (hostile-input issue): is_detailed_balance(NaN) returned Ok(false).
    let ring = RateMatrix::from_fn(3, |i, j| if j == (i + 1) % 3 { 2.0 } else { 1.0 }).unwrap();
    let sym = RateMatrix::from_fn(3, |_, _| 1.0).unwrap();
    for tol in [f64::NAN, -1e-3, f64::INFINITY] {
        assert!(matches!(
            sym.is_detailed_balance(tol),
            Err(StochError::InvalidTolerance { name: "rel_tol", .. })
        ));
    }
    assert!(sym.is_detailed_balance(1e-12).unwrap());
    assert!(!ring.is_detailed_balance(1e-12).unwrap());
}

#[test]
fn ep_at_detailed_balance_with_underflowing_probabilities_is_zero() {
    // Regression (hostile-input issue): with π_j underflowing to 0, the edge's backward
    // flux π_j k_ji read as 0 and the EP came out +∞; the exact value is 0 (detailed
    // balance). The log-domain steady-state EP keeps the tiny probabilities.
    let birth_death = RateMatrix::from_fn(1075, |i, j| {
        if j == i + 1 {
            1.0
        } else if i == j + 1 {
            2.0
        } else {
            0.0
        }
    })
    .unwrap();
    let two_state = RateMatrix::from_rows(&[[0.0, 1e-300], [1e300, 0.0]]).unwrap();
    for k in [&birth_death, &two_state] {
        let naive = k.entropy_production_rate(&k.steady_state().unwrap()).unwrap();
        assert_eq!(naive, f64::INFINITY, "the linear-domain path sees a true zero");
        // Zero to round-off: each edge gives e^a (a − b)² with |a − b| the round-off of the
        // logarithms (~1e-16 relative), so ~1e-32 per edge.
        let ep = k.steady_entropy_production_rate().unwrap();
        assert!((0.0..1e-24).contains(&ep), "{ep:e}");
        let log_p = k.log_steady_state().unwrap();
        assert!(log_p.iter().all(|v| v.is_finite()), "every ln π is finite");
    }
    // π_1 = 1e-600 exactly: ln π_1 = ln(1e-600) − ln(1 + 1e-600).
    let log_p = two_state.log_steady_state().unwrap();
    assert!((log_p[1] - (-600.0 * 10f64.ln())).abs() < 1e-9, "{}", log_p[1]);
    // A driven 3-cycle (rates 2 clockwise, 1 back): both paths agree with the closed form
    // σ = J ln(2/1)·3 with J = (2 − 1)/3.
    let cycle =
        RateMatrix::from_rows(&[[0.0, 2.0, 1.0], [1.0, 0.0, 2.0], [2.0, 1.0, 0.0]]).unwrap();
    let exact = 3.0 * (1.0 / 3.0) * 2f64.ln();
    assert!(rel_err(cycle.steady_entropy_production_rate().unwrap(), exact) < 1e-14);
    let p = cycle.steady_state().unwrap();
    assert!(rel_err(cycle.entropy_production_rate(&p).unwrap(), exact) < 1e-14);
    // Linear and log-domain steady states agree where both are representable.
    let stiff = RateMatrix::from_fn(6, |i, j| {
        if i != j { 10f64.powi((3 * i + 5 * j) as i32 % 17 - 8) } else { 0.0 }
    })
    .unwrap();
    let (p, log_p) = (stiff.steady_state().unwrap(), stiff.log_steady_state().unwrap());
    for (a, b) in p.iter().zip(&log_p) {
        assert!(rel_err(b.exp(), *a) < 1e-12, "{a} vs {}", b.exp());
    }
    // A one-way transition is still an error.
    let one_way = RateMatrix::from_rows(&[[0.0, 1.0], [0.0, 0.0]]).unwrap();
    assert!(matches!(
        one_way.steady_entropy_production_rate(),
        Err(StochError::OneWayTransition { .. }) | Err(StochError::NotIrreducible { .. })
    ));
}

#[test]
fn evolving_for_a_huge_time_reaches_the_steady_state_and_returns() {
    // Regression (hostile-input issue): with rates 1, evolve([1, 0], 1e308) returned
    // [1, 0] (2^1024 overflowed to ∞, so the series ran over time 0); with rates 2, Λt
    // overflowed and the loop ran 4·10⁹ squarings.
    for rate in [1.0, 2.0] {
        let k = RateMatrix::from_rows(&[[0.0, rate], [rate, 0.0]]).unwrap();
        for t in [1e15, 1e300, 1e308, f64::MAX] {
            let p = k.evolve(&[1.0, 0.0], t).unwrap();
            assert!((p[0] - 0.5).abs() < 1e-12 && (p[1] - 0.5).abs() < 1e-12, "{rate}, {t}: {p:?}");
        }
    }
    // A three-state chain with unequal rates: p(t → ∞) is the steady state.
    let k = RateMatrix::from_rows(&[[0.0, 3.0, 0.5], [1.0, 0.0, 2.0], [0.2, 4.0, 0.0]]).unwrap();
    let pi = k.steady_state().unwrap();
    let p = k.evolve(&[0.0, 0.0, 1.0], 1e307).unwrap();
    for (a, b) in p.iter().zip(&pi) {
        assert!((a - b).abs() < 1e-12, "{p:?} vs {pi:?}");
    }
}
