//! Criterion benchmarks of the engines (seeded). Side-by-side ratios against the tools a
//! physicist would otherwise use are measured by `benchmarks/*.py` (see its README).

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gillespie::*;

mod common;

fn spin_flip(c: &mut Criterion) {
    let (model, x) = common::baseline_ising(0);
    let mut group = c.benchmark_group("spin_flip_80_spins");
    group.throughput(Throughput::Elements(10_000));
    for (name, m) in [("tabulated", model.clone()), ("fields_exp", model.clone().without_tables())]
    {
        let mut eng = SpinFlipEngine::new();
        let mut out = SpinStats::default();
        let mut rng = stream_rng(1, 0);
        group.bench_function(BenchmarkId::new("10k_jumps", name), |b| {
            b.iter(|| {
                let init = common::random_spins(m.n_spins(), &mut rng);
                eng.run(&m, &x, &init, StopRule::jumps(10_000), &mut rng, &mut out).unwrap()
            })
        });
    }
    // Four runs in lockstep (SpinBatchEngine): ns per jump of one run = time / 40 000.
    let mut batch = SpinBatchEngine::new();
    let mut out = vec![SpinStats::default(); 4];
    let mut rngs: Vec<_> = (0..4).map(|l| stream_rng(4, l)).collect();
    group.throughput(Throughput::Elements(40_000));
    group.bench_function(BenchmarkId::new("4x10k_jumps", "tabulated_batch"), |b| {
        b.iter(|| {
            let inits: Vec<Vec<i8>> =
                rngs.iter_mut().map(|r| common::random_spins(model.n_spins(), r)).collect();
            let mut lanes: Vec<BatchLane<'_, _>> = rngs
                .iter_mut()
                .zip(&inits)
                .map(|(rng, init)| BatchLane {
                    fields: &x,
                    initial: init,
                    stop: StopRule::jumps(10_000),
                    rng,
                })
                .collect();
            batch.run(&model, &mut lanes, &mut out)
        })
    });
    group.throughput(Throughput::Elements(10_000));
    let mut direct = DirectMethod::new();
    let driven = model.with_fields(&x).expect("valid fields");
    let mut rng = stream_rng(2, 0);
    group.bench_function(BenchmarkId::new("10k_jumps", "generic_direct"), |b| {
        b.iter(|| {
            let mut s = common::random_spins(model.n_spins(), &mut rng);
            direct
                .run(
                    &driven,
                    &mut s,
                    StopRule::jumps(10_000),
                    &mut rng,
                    &mut EntropyMeter::default(),
                )
                .unwrap()
        })
    });
    let mut tree = SumTreeMethod::new();
    group.bench_function(BenchmarkId::new("10k_jumps", "generic_sum_tree"), |b| {
        b.iter(|| {
            let mut s = common::random_spins(model.n_spins(), &mut rng);
            tree.run(
                &driven,
                &mut s,
                StopRule::jumps(10_000),
                &mut rng,
                &mut EntropyMeter::default(),
            )
            .unwrap()
        })
    });
    group.finish();
}

fn reactions(c: &mut Criterion) {
    let mut group = c.benchmark_group("reaction_networks");
    group.throughput(Throughput::Elements(100_000));
    let bd = birth_death(1e4, 1.0).unwrap();
    let vilar = vilar();
    let mut rng = stream_rng(3, 0);
    let mut direct = DirectMethod::new();
    let mut tree = SumTreeMethod::new();
    for (name, model, init) in
        [("birth_death", &bd, vec![10_000i64]), ("vilar", &vilar, vec![1, 1, 0, 0, 0, 0, 0, 0, 0])]
    {
        group.bench_function(BenchmarkId::new("direct_100k_events", name), |b| {
            b.iter(|| {
                direct
                    .run(model, &mut init.clone(), StopRule::jumps(100_000), &mut rng, &mut ())
                    .unwrap()
            })
        });
        group.bench_function(BenchmarkId::new("sum_tree_100k_events", name), |b| {
            b.iter(|| {
                tree.run(model, &mut init.clone(), StopRule::jumps(100_000), &mut rng, &mut ())
                    .unwrap()
            })
        });
    }
    group.finish();
}

fn ensemble_threads(c: &mut Criterion) {
    let (model, x) = common::baseline_ising(0);
    let mut group = c.benchmark_group("ensemble_32x100k_jumps");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        group.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter(|| {
                pool.install(|| {
                    ensemble(32, 5, SpinFlipEngine::new, |eng, _, rng| {
                        let init = common::random_spins(model.n_spins(), rng);
                        let mut out = SpinStats::default();
                        eng.run(&model, &x, &init, StopRule::jumps(100_000), rng, &mut out)
                            .unwrap();
                        out.entropy
                    })
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, spin_flip, reactions, ensemble_threads);
criterion_main!(benches);
