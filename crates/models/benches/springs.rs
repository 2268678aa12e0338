//! The springs-and-sticks engine on the two workloads of the side-by-side comparison with
//! the authors' PyTorch/torchsde code (`crates/models/benchmarks/compare_springs.py`):
//! one Euler–Maruyama step of N_s = 9 sticks (the Fig. 5 point is 8 × 10⁵ of them), and one
//! barrier trajectory (10⁴ steps of one stick with the work by Simpson's rule; the barrier
//! point is 100 of them).
//!
//! `cargo bench -p models --bench springs`

use criterion::{Criterion, criterion_group, criterion_main};
use models::springs::{
    BOLTZMANN_SI, EulerMaruyama, Grid, MassConvention, NoiseModel, Physics, Springs, work_path,
};
use rand::RngExt;

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

fn bench(c: &mut Criterion) {
    let s = system(9, |u| u * u, 10.0, 0.01, 1.0);
    let n = s.n_nodes();
    let mut em = EulerMaruyama::new(&s, 1e-3).expect("dt");
    let mut rng = streams::stream_rng(1, 0);
    let mut z: Vec<f64> = (0..2 * n).map(|_| rng.random::<f64>() - 0.5).collect();
    c.bench_function("springs_em_step_ns9", |b| {
        b.iter(|| {
            let (x, v) = z.split_at_mut(n);
            em.step(&s, x, v, &mut rng)
        });
    });
    let s = system(1, f64::cos, 0.1, 1.0, 1e-30);
    let mut em = EulerMaruyama::new(&s, 1e-3).expect("dt");
    let mut buf = Vec::with_capacity(10_001);
    c.bench_function("springs_barrier_trajectory_1e4_steps", |b| {
        b.iter(|| {
            let mut z: Vec<f64> = (0..4).map(|_| 3.0 * rng.random::<f64>()).collect();
            let (x, v) = z.split_at_mut(2);
            work_path(&s, &mut em, x, v, 10_000, &mut rng, &mut buf, |_, _, _| {}).expect("finite")
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
