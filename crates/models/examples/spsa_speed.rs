//! Wall time of SPSA steps at the paper's sizes (bottleneck Fig. 4a: two evaluations of
//! the two-chain layer over 4000 MNIST-1D inputs, 10⁴ jumps each, plus the two readout
//! fits), one line per step: the step as training takes it (`Layer::evaluate_pair`, both
//! evaluations at once), the same two evaluations one after the other, the two
//! simulations alone and the two fits alone (one after the other on the calling
//! thread), so two builds can be timed turn by turn on a machine whose speed drifts
//! (criterion's `spsa_step` bench gives the statistics of one build).
//!
//! ```sh
//! cargo run --release -p models --example spsa_speed -- rungs 2 5   # layout, threads, steps
//! ```

use std::time::Instant;

use models::bottleneck::Couplings;

#[path = "../benches/mnist_layer.rs"]
mod mnist_layer;
use mnist_layer::{mnist_layer, readout, step_thetas};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let couplings = match args.first().map(String::as_str).unwrap_or("rungs") {
        "rungs" => Couplings::Rungs,
        "full" => Couplings::Full,
        "zigzag" => Couplings::Zigzag,
        other => return Err(format!("unknown layout {other:?} (rungs, full, zigzag)").into()),
    };
    let threads: usize = args.get(1).map_or(Ok(2), |s| s.parse())?;
    let steps: usize = args.get(2).map_or(Ok(5), |s| s.parse())?;
    let (layer, task) = mnist_layer(couplings);
    // The θ ± 0.1 of the `spsa_step` bench.
    let [_, plus, minus] = step_thetas(&layer);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    for step in 0..steps {
        // The step as `Layer::train` takes it: both evaluations at once.
        let t0 = Instant::now();
        let (a, b) = pool.install(|| layer.evaluate_pair(&plus, 7, &minus, 7, &task))?;
        let seconds = t0.elapsed().as_secs_f64();
        // The same two evaluations one after the other (how steps ran before).
        let t3 = Instant::now();
        let (c, d) = pool.install(|| {
            Ok::<_, models::ModelError>((
                layer.evaluate(&plus, &task, 7)?,
                layer.evaluate(&minus, &task, 7)?,
            ))
        })?;
        let serial = t3.elapsed().as_secs_f64();
        if (a.loss, b.loss) != (c.loss, d.loss) {
            return Err("the paired and the serial evaluations differ".into());
        }
        // The same two simulations without the readout fits: where the time goes.
        let t1 = Instant::now();
        let (fa, fb) = pool.install(|| {
            Ok::<_, models::ModelError>((
                layer.features(&plus, &task, 7)?,
                layer.features(&minus, &task, 7)?,
            ))
        })?;
        let simulation = t1.elapsed().as_secs_f64();
        // The two readout fits alone, one after the other on this thread.
        let (readout, labels) = readout(&layer, &task);
        let t2 = Instant::now();
        let mut iterations = 0;
        for f in [&fa, &fb] {
            iterations += readout.fit(&f.x, labels, f.d, None)?.iterations;
        }
        println!(
            "{{\"layout\": \"{}\", \"threads\": {threads}, \"step\": {step}, \"seconds\": {seconds:.3}, \"serial_seconds\": {serial:.3}, \"simulation_seconds\": {simulation:.3}, \"fit_seconds\": {:.3}, \"fit_iterations\": {iterations}, \"loss_difference\": {:.12}}}",
            couplings.name(),
            t2.elapsed().as_secs_f64(),
            a.loss - b.loss
        );
    }
    Ok(())
}
