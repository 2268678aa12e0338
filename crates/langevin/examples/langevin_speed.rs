//! Side-by-side timing of the Euler–Maruyama kernels on the 50-variable underdamped
//! system of `shared/baselines/langevin_em.py`: z = (x, v), x, v ∈ R²⁵,
//! dx = v dt, dv = (−K x − γ v) dt + √(2γT) dW, K dense and non-symmetric, γ = T = 1,
//! dt = 1e-3, 1e5 steps per repetition.
//!
//! Usage: `cargo run --release -p langevin --example langevin_speed -- [K.json] [reps]`. With a
//! JSON file holding K as a list of 25 rows (written by `benchmarks/compare_em.py`), the
//! system is the one numba integrates; otherwise K is built the same way from this
//! crate's RNG. Prints one JSON object: median ns per step of each kernel.

use std::time::Instant;

use faer::Mat;
use langevin::{
    EulerMaruyama, ExactOu, LinearForces, LinearLangevin, UnderdampedEuler, stream_rng,
};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

const NU: usize = 25;
const STEPS: usize = 100_000;
const DT: f64 = 1e-3;

fn build_k(seed: u64) -> Mat<f64> {
    let mut rng = stream_rng(seed, 0);
    let mut normal = || -> f64 { StandardNormal.sample(&mut rng) };
    let s = (NU as f64).sqrt();
    let m = Mat::<f64>::from_fn(NU, NU, |_, _| normal() / s);
    let g = Mat::<f64>::from_fn(NU, NU, |_, _| normal() / s);
    &m * m.transpose() + Mat::<f64>::identity(NU, NU) + g * faer::Scale(0.3)
}

fn read_k(path: &str) -> Mat<f64> {
    let text = std::fs::read_to_string(path).expect("reading K json");
    let rows: Vec<Vec<f64>> = serde_json::from_str(&text).expect("K json: a list of rows");
    Mat::from_fn(rows.len(), rows.len(), |i, j| rows[i][j])
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn minimum(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

/// (median, minimum) ns per step over `reps` repetitions, and a checksum.
fn time<F: FnMut(u64) -> f64>(reps: usize, mut f: F) -> ((f64, f64), f64) {
    let mut ns = Vec::new();
    let mut check = 0.0;
    for r in 0..reps {
        let start = Instant::now();
        check += f(r as u64);
        ns.push(start.elapsed().as_secs_f64() * 1e9 / STEPS as f64);
    }
    let min = minimum(&ns);
    ((median(ns), min), check)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let k = args.get(1).filter(|a| a.ends_with(".json")).map_or_else(|| build_k(0), |p| read_k(p));
    let reps: usize = args.iter().skip(1).find_map(|a| a.parse().ok()).unwrap_or(11);
    let model =
        LinearForces::new(&k, vec![0.0; NU], vec![1.0; NU], vec![1.0; NU], 1.0).expect("model");
    let linear = model.to_linear().expect("linear form");
    langevin::check_stable(linear.drift_matrix()).expect("the benchmark system must be stable");

    // Structured underdamped Euler (the analogue of numba_struct).
    let (structured, c1) = time(reps, |r| {
        let mut rng = stream_rng(r, 0);
        let mut em = UnderdampedEuler::new(&model, DT).unwrap();
        let (mut x, mut v) = ([0.0; NU], [0.0; NU]);
        let mut acc = 0.0;
        for _ in 0..STEPS {
            em.step(&model, 0.0, &mut x, &mut v, &mut rng);
            acc += x[0];
        }
        acc
    });
    // Generic EM on the dense 50×50 drift (the analogue of numba_dense).
    let dense_sys = LinearLangevin::new(
        linear.drift_matrix().to_owned(),
        vec![0.0; 2 * NU],
        linear.noise().clone(),
    )
    .unwrap();
    let (dense, c2) = time(reps, |r| {
        let mut rng = stream_rng(r, 0);
        let mut em = EulerMaruyama::new(&dense_sys, DT).unwrap();
        let mut z = [0.0; 2 * NU];
        let mut acc = 0.0;
        for _ in 0..STEPS {
            em.step(&dense_sys, 0.0, &mut z, &mut rng);
            acc += z[0];
        }
        acc
    });
    // Exact OU update (the analogue of numba_exactOU).
    let (exact, c3) = time(reps, |r| {
        let mut rng = stream_rng(r, 0);
        let mut ou = ExactOu::new(&linear, DT).unwrap();
        let mut z = [0.0; 2 * NU];
        let mut acc = 0.0;
        for _ in 0..STEPS {
            ou.step(&mut z, &mut rng);
            acc += z[0];
        }
        acc
    });
    // The cost of the 25 normal draws alone (the analogue of numba_noise_only).
    let (noise, c4) = time(reps, |r| {
        let mut rng = stream_rng(r, 0);
        let mut acc = 0.0;
        for _ in 0..STEPS * NU {
            let z: f64 = StandardNormal.sample(&mut rng);
            acc += z;
        }
        acc + f64::from(rng.random::<u8>()) * 0.0
    });
    println!(
        "{{\"reps\": {reps}, \"steps\": {STEPS}, \"rust_underdamped_euler\": {:.1}, \"rust_em_dense\": {:.1}, \"rust_exact_ou\": {:.1}, \"rust_noise_only\": {:.1}, \"min_underdamped_euler\": {:.1}, \"checksum\": {:.3}}}",
        structured.0,
        dense.0,
        exact.0,
        noise.0,
        structured.1,
        c1 + c2 + c3 + c4
    );
}
