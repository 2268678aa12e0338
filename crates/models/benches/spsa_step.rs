//! One SPSA step of the MNIST-1D front (bottleneck Fig. 4a at the paper's sizes): two
//! evaluations of the two-chain layer (N = 40 per chain, k = 2) over all 4000 training
//! inputs, 10⁴ jumps each (2000 of them transient), each followed by the exact softmax
//! readout fit, both at once as `Layer::train` runs them (`Layer::evaluate_pair`); for
//! the `rungs` layout (6 parameters, 5 couplings into a spin) and the literal `full`
//! layout (14 parameters, 9 couplings into a spin). Then the simulation of one evaluation
//! alone and one readout fit alone, to show where the time goes. The speed issue's
//! target is 1.4 s on 2 threads (stretch goal 1 s).
//!
//! `cargo bench -p models --bench spsa_step`

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use models::bottleneck::Couplings;

mod mnist_layer;
use mnist_layer::{mnist_layer, readout, step_thetas};

fn spsa_step(c: &mut Criterion) {
    for couplings in [Couplings::Rungs, Couplings::Full] {
        let (layer, task) = mnist_layer(couplings);
        let [theta, plus, minus] = step_thetas(&layer);
        let name = couplings.name();
        let mut group = c.benchmark_group(format!("mnist1d_spsa_step_{name}"));
        group.sample_size(10).measurement_time(Duration::from_secs(40));
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
            group.bench_function(format!("{threads}_threads"), |b| {
                b.iter(|| {
                    pool.install(|| {
                        let (a, b) =
                            layer.evaluate_pair(&plus, 7, &minus, 7, &task).expect("evaluation");
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
        // One readout fit alone (on the calling thread), on the features of θ.
        let features = pool.install(|| layer.features(&theta, &task, 7)).expect("features");
        let (readout, labels) = readout(&layer, &task);
        let mut group = c.benchmark_group(format!("mnist1d_readout_fit_{name}"));
        group.sample_size(20).measurement_time(Duration::from_secs(10));
        group.bench_function("one_fit", |b| {
            b.iter(|| readout.fit(&features.x, labels, features.d, None).expect("fit"))
        });
        group.finish();
    }
}

criterion_group!(benches, spsa_step);
criterion_main!(benches);
