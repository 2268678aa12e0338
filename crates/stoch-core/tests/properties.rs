//! Invariants of stoch-core on random processes.

use proptest::prelude::*;
use stoch_core::RateMatrix;

/// A fully connected process with log-uniform rates in [1e-3, 1e3].
fn rate_matrix() -> impl Strategy<Value = RateMatrix> {
    (2usize..8).prop_flat_map(|n| {
        prop::collection::vec(-3.0f64..3.0, n * n).prop_map(move |logs| {
            RateMatrix::from_fn(n, |i, j| 10f64.powf(logs[i * n + j])).unwrap()
        })
    })
}

proptest! {
    #[test]
    fn steady_state_is_a_stationary_distribution(k in rate_matrix()) {
        let p = k.steady_state().unwrap();
        let n = k.n_states();
        prop_assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-13);
        prop_assert!(p.iter().all(|&x| x > 0.0));
        // Fluxes conserve probability: every state's net outflow is zero (Kirchhoff).
        let j = k.net_fluxes(&p).unwrap();
        for i in 0..n {
            let out: f64 = (0..n).map(|b| j[i * n + b]).sum();
            let scale: f64 = (0..n).map(|b| p[i] * k.rate(i, b)).sum();
            prop_assert!(out.abs() <= 1e-12 * scale, "state {i}: net outflow {out}");
        }
        let mut dp = vec![0.0; n];
        k.master_equation_rhs(&p, &mut dp).unwrap();
        let scale = (0..n).map(|i| p[i] * k.exit_rate(i)).fold(0.0, f64::max);
        prop_assert!(dp.iter().all(|d| d.abs() <= 1e-12 * scale));
    }

    #[test]
    fn entropy_production_is_non_negative_edge_by_edge(k in rate_matrix()) {
        let p = k.steady_state().unwrap();
        let ep = k.schnakenberg(&p).unwrap();
        prop_assert!(ep.total >= 0.0);
        prop_assert!(ep.edges.iter().all(|e| e.rate >= 0.0));
        let sum: f64 = ep.edges.iter().map(|e| e.rate).sum();
        prop_assert!((sum - ep.total).abs() <= 1e-12 * ep.total.max(1e-300));
        // Also for a distribution that is not the steady state.
        let n = k.n_states();
        let q: Vec<f64> = (0..n).map(|i| (i + 1) as f64 / (n * (n + 1) / 2) as f64).collect();
        prop_assert!(k.entropy_production_rate(&q).unwrap() >= 0.0);
    }

    #[test]
    fn evolution_conserves_probability_and_positivity(k in rate_matrix(), t in 0.0f64..50.0) {
        let n = k.n_states();
        let mut p0 = vec![0.0; n];
        p0[n - 1] = 1.0;
        let p = k.evolve(&p0, t).unwrap();
        prop_assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        prop_assert!(p.iter().all(|&x| x >= 0.0));
    }

    #[test]
    fn detailed_balance_rates_give_zero_entropy_production(
        e in prop::collection::vec(-4.0f64..4.0, 2..8),
        b in prop::collection::vec(0.0f64..5.0, 64),
    ) {
        let n = e.len();
        let k = RateMatrix::from_fn(n, |i, j| {
            let (lo, hi) = (i.min(j), i.max(j));
            (-(b[lo * 8 + hi] - e[i])).exp()
        }).unwrap();
        let p = k.steady_state().unwrap();
        let sigma = k.entropy_production_rate(&p).unwrap();
        let scale: f64 = (0..n).map(|i| p[i] * k.exit_rate(i)).sum();
        prop_assert!(sigma <= 1e-24 * scale, "σ = {sigma}");
        prop_assert!(k.detailed_balance_violation(&p).unwrap() < 1e-12);
    }
}
