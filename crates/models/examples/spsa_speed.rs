//! Wall time of SPSA steps at the paper's sizes (bottleneck Fig. 4a: two evaluations of
//! the two-chain layer over 4000 MNIST-1D inputs, 10⁴ jumps each, plus the two readout
//! fits), one line per step with the time of the two simulations alone after it, so two
//! builds can be timed turn by turn on a machine whose speed drifts (criterion's
//! `spsa_step` bench gives the statistics of one build).
//!
//! ```sh
//! cargo run --release -p models --example spsa_speed -- rungs 2 5   # layout, threads, steps
//! ```

use std::time::Instant;

use datasets::{Mnist1dArgs, make_dataset};
use models::bottleneck::{ChainLayout, Couplings, Layer, RunLength, Targets, TaskData, TradeOff};

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
    let data = make_dataset(&Mnist1dArgs::default())?;
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
    // The θ of the `spsa_step` bench.
    let theta: Vec<f64> = [0.4, -0.3, 0.2, 0.1, 0.3, -0.2]
        .iter()
        .cycle()
        .take(layer.layout.n_params())
        .enumerate()
        .map(|(i, t)| t * if i < 6 { 1.0 } else { 0.5 })
        .collect();
    let plus: Vec<f64> = theta.iter().map(|t| t + 0.1).collect();
    let minus: Vec<f64> = theta.iter().map(|t| t - 0.1).collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    for step in 0..steps {
        let t0 = Instant::now();
        let (a, b) = pool.install(|| {
            Ok::<_, models::ModelError>((
                layer.evaluate(&plus, &task, 7)?,
                layer.evaluate(&minus, &task, 7)?,
            ))
        })?;
        let seconds = t0.elapsed().as_secs_f64();
        // The same two simulations without the readout fits: where the time goes.
        let t1 = Instant::now();
        pool.install(|| {
            Ok::<_, models::ModelError>((
                layer.features(&plus, &task, 7)?,
                layer.features(&minus, &task, 7)?,
            ))
        })?;
        println!(
            "{{\"layout\": \"{}\", \"threads\": {threads}, \"step\": {step}, \"seconds\": {seconds:.3}, \"simulation_seconds\": {:.3}, \"loss_difference\": {:.12}}}",
            couplings.name(),
            t1.elapsed().as_secs_f64(),
            a.loss - b.loss
        );
    }
    Ok(())
}
