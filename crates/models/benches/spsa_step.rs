//! One SPSA step of the MNIST-1D front (bottleneck Fig. 4a at the paper's sizes): two
//! evaluations of the two-chain layer (N = 40 per chain, k = 2) over all 4000 training
//! inputs, 10⁴ jumps each (2000 of them transient), each followed by the exact softmax
//! readout fit; for the `rungs` layout (6 parameters, 5 couplings into a spin) and the
//! literal `full` layout (14 parameters, 9 couplings into a spin). The speed issue's
//! target is 1.4 s on 2 threads (stretch goal 1 s).
//!
//! `cargo bench -p models --bench spsa_step`

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use datasets::{Mnist1dArgs, make_dataset};
use models::bottleneck::{ChainLayout, Couplings, Layer, RunLength, Targets, TaskData, TradeOff};

fn mnist_layer(couplings: Couplings) -> (Layer, TaskData) {
    let data = make_dataset(&Mnist1dArgs::default()).expect("MNIST-1D");
    let task = TaskData {
        x: data.x.clone(),
        targets: Targets::Classes {
            labels: data.y.iter().map(|&l| l as usize).collect(),
            classes: 10,
        },
    };
    let layer = Layer {
        layout: ChainLayout { n: data.len, k: 2, couplings, periodic: false },
        beta: 1.0,
        run: RunLength::paper(),
        ridge: 1e-6,
        softmax_lambda: 1e-4,
        trade_off: TradeOff::Alpha(0.0),
    };
    (layer, task)
}

fn spsa_step(c: &mut Criterion) {
    for couplings in [Couplings::Rungs, Couplings::Full] {
        let (layer, task) = mnist_layer(couplings);
        // Moderate couplings of alternating sign (the rungs values of earlier runs first).
        let theta: Vec<f64> = [0.4, -0.3, 0.2, 0.1, 0.3, -0.2]
            .iter()
            .cycle()
            .take(layer.layout.n_params())
            .enumerate()
            .map(|(i, t)| t * if i < 6 { 1.0 } else { 0.5 })
            .collect();
        let plus: Vec<f64> = theta.iter().map(|t| t + 0.1).collect();
        let minus: Vec<f64> = theta.iter().map(|t| t - 0.1).collect();
        let name = couplings.name();
        let mut group = c.benchmark_group(format!("mnist1d_spsa_step_{name}"));
        group.sample_size(10).measurement_time(Duration::from_secs(40));
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
            group.bench_function(format!("{threads}_threads"), |b| {
                b.iter(|| {
                    pool.install(|| {
                        let a = layer.evaluate(&plus, &task, 7).expect("evaluation");
                        let b = layer.evaluate(&minus, &task, 7).expect("evaluation");
                        a.loss - b.loss
                    })
                })
            });
        }
        group.finish();
        // The simulation alone (no readout fit), to show where the time goes.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
        let mut group = c.benchmark_group(format!("mnist1d_simulation_only_{name}"));
        group.sample_size(10).measurement_time(Duration::from_secs(20));
        group.bench_function("2_threads_one_evaluation", |b| {
            b.iter(|| pool.install(|| layer.features(&theta, &task, 7).expect("features")))
        });
        group.finish();
    }
}

criterion_group!(benches, spsa_step);
criterion_main!(benches);
