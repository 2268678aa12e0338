//! Times the two springs-and-sticks workloads of the side-by-side comparison with the
//! authors' code (`crates/models/benchmarks/compare_springs.py`), on one thread:
//!
//! - `fig5_point`: N_s = 9 sticks on 20 points of [0, 2π] (f = x²), γ = 10, T = 0.01 K,
//!   SI k_B, k = M = 1, 8 trajectories × 10⁵ Euler–Maruyama steps of dt = 1e-3;
//! - `barrier_point`: one stick on 20 points (f = cos x), γ = 0.1, T = 1 K, k = M = 1e-30,
//!   100 trajectories × 10⁴ steps with the work ∫ m a·v dt by Simpson's rule and the
//!   Jarzynski ΔF.
//!
//! usage: `cargo run --release -p models --example springs_speed -- [REPS]`; prints one
//! JSON object with the median seconds per workload.

use models::springs::{
    BOLTZMANN_SI, EulerMaruyama, Grid, MassConvention, NoiseModel, Physics, Springs, work_path,
};
use rand::RngExt;
use std::time::Instant;

fn system(sticks: usize, f: fn(f64) -> f64, gamma: f64, temperature: f64, scale: f64) -> Springs {
    let u: Vec<f64> = (0..20).map(|i| 2.0 * std::f64::consts::PI * f64::from(i) / 19.0).collect();
    let y: Vec<f64> = u.iter().map(|&u| f(u)).collect();
    let physics = Physics {
        stiffness: scale,
        mass: scale,
        mass_convention: MassConvention::Shared,
        friction: gamma,
        temperature,
        boltzmann: BOLTZMANN_SI,
        noise: NoiseModel::Code,
    };
    Springs::new(Grid::spanning(&[sticks], &u).expect("grid"), &u, &y, physics).expect("system")
}

fn fig5_point(seed: u64) -> f64 {
    let s = system(9, |u| u * u, 10.0, 0.01, 1.0);
    let n = s.n_nodes();
    let mut em = EulerMaruyama::new(&s, 1e-3).expect("dt");
    let mut rng = streams::stream_rng(seed, 0);
    let mut loss = 0.0;
    for _ in 0..8 {
        let mut z: Vec<f64> = (0..2 * n).map(|_| (rng.random::<f64>() - 0.5) * 3.0).collect();
        let (x, v) = z.split_at_mut(n);
        for _ in 0..100_000 {
            em.step(&s, x, v, &mut rng);
        }
        loss += s.loss(x);
    }
    loss
}

fn barrier_point(seed: u64) -> f64 {
    let s = system(1, f64::cos, 0.1, 1.0, 1e-30);
    let n = s.n_nodes();
    let kbt = s.physics().thermal_energy();
    let mut em = EulerMaruyama::new(&s, 1e-3).expect("dt");
    let mut rng = streams::stream_rng(seed, 1);
    let mut buf = Vec::with_capacity(10_001);
    let mut works = Vec::with_capacity(100);
    for _ in 0..100 {
        let mut z: Vec<f64> = (0..2 * n).map(|_| 3.0 * rng.random::<f64>()).collect();
        let (x, v) = z.split_at_mut(n);
        let w =
            work_path(&s, &mut em, x, v, 10_000, &mut rng, &mut buf, |_, _, _| {}).expect("finite");
        works.push(w.simpson_work);
    }
    -langevin::jarzynski(&works, kbt).expect("works").delta_f / kbt
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let reps: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let mut t5 = Vec::new();
    let mut tb = Vec::new();
    let (mut check5, mut checkb) = (0.0, 0.0);
    for r in 0..reps {
        let t = Instant::now();
        check5 = fig5_point(r);
        t5.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        checkb = barrier_point(r);
        tb.push(t.elapsed().as_secs_f64());
    }
    println!(
        "{{\"fig5_point_s\": {}, \"barrier_point_s\": {}, \"fig5_final_loss_sum\": {check5}, \"barrier_delta_f_over_kT\": {checkb}, \"reps\": {reps}}}",
        median(t5),
        median(tb)
    );
}
