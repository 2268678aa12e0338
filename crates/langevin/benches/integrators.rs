//! Criterion benchmarks of the integrators on the 50-variable underdamped system of
//! `shared/baselines/langevin_em.py` (K built the same way from this crate's RNG). The
//! side-by-side ratio against numba is measured by `benchmarks/compare_em.py`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use faer::Mat;
use langevin::{
    Baoab, EulerMaruyama, ExactOu, LinearForces, LinearLangevin, UnderdampedEuler, stream_rng,
};
use rand_distr::{Distribution, StandardNormal};

const NU: usize = 25;
const DT: f64 = 1e-3;
const STEPS: u64 = 10_000;

fn model() -> LinearForces {
    let mut rng = stream_rng(0, 0);
    let mut normal = || -> f64 { StandardNormal.sample(&mut rng) };
    let s = (NU as f64).sqrt();
    let m = Mat::<f64>::from_fn(NU, NU, |_, _| normal() / s);
    let g = Mat::<f64>::from_fn(NU, NU, |_, _| normal() / s);
    let k = &m * m.transpose() + Mat::<f64>::identity(NU, NU) + g * faer::Scale(0.3);
    LinearForces::new(&k, vec![0.0; NU], vec![1.0; NU], vec![1.0; NU], 1.0).unwrap()
}

fn underdamped_50(c: &mut Criterion) {
    let model = model();
    let linear = model.to_linear().unwrap();
    let dense = LinearLangevin::new(
        linear.drift_matrix().to_owned(),
        vec![0.0; 2 * NU],
        linear.noise().clone(),
    )
    .unwrap();
    let mut group = c.benchmark_group("underdamped_50_variables");
    group.throughput(Throughput::Elements(STEPS));
    let mut rng = stream_rng(1, 0);
    let mut em = UnderdampedEuler::new(&model, DT).unwrap();
    let (mut x, mut v) = ([0.0; NU], [0.0; NU]);
    group.bench_function(BenchmarkId::new("10k_steps", "euler_structured"), |b| {
        b.iter(|| {
            for _ in 0..STEPS {
                em.step(&model, 0.0, &mut x, &mut v, &mut rng);
            }
            x[0]
        })
    });
    let mut baoab = Baoab::new(&model, DT).unwrap();
    group.bench_function(BenchmarkId::new("10k_steps", "baoab"), |b| {
        b.iter(|| {
            let mut t = 0.0;
            for _ in 0..STEPS {
                baoab.step(&model, t, &mut x, &mut v, &mut rng);
                t += DT;
            }
            x[0]
        })
    });
    let mut em_dense = EulerMaruyama::new(&dense, DT).unwrap();
    let mut z = [0.0; 2 * NU];
    group.bench_function(BenchmarkId::new("10k_steps", "euler_maruyama_dense"), |b| {
        b.iter(|| {
            for _ in 0..STEPS {
                em_dense.step(&dense, 0.0, &mut z, &mut rng);
            }
            z[0]
        })
    });
    let mut ou = ExactOu::new(&linear, DT).unwrap();
    group.bench_function(BenchmarkId::new("10k_steps", "exact_ou"), |b| {
        b.iter(|| {
            for _ in 0..STEPS {
                ou.step(&mut z, &mut rng);
            }
            z[0]
        })
    });
    group.finish();
}

criterion_group!(benches, underdamped_50);
criterion_main!(benches);
