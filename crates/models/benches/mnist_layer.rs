//! The two-chain layer at the paper's sizes on MNIST-1D, shared by the `spsa_step`
//! benchmark and the `spsa_speed` example.
#![allow(dead_code)] // each includer uses a subset

use datasets::{Mnist1dArgs, make_dataset};
use learn::SoftmaxReadout;
use models::bottleneck::{ChainLayout, Couplings, Layer, RunLength, Targets, TaskData, TradeOff};

/// The layer (N = 40 per chain, k = 2, `couplings`, β = 1, the paper's run length, α = 0)
/// and all 4000 MNIST-1D training inputs.
pub fn mnist_layer(couplings: Couplings) -> (Layer, TaskData) {
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

/// Moderate couplings of alternating sign for `layer` (the rungs values of earlier
/// measurements first, then the same pattern at half strength), and θ ± 0.1.
pub fn step_thetas(layer: &Layer) -> [Vec<f64>; 3] {
    let theta: Vec<f64> = [0.4, -0.3, 0.2, 0.1, 0.3, -0.2]
        .iter()
        .cycle()
        .take(layer.layout.n_params())
        .enumerate()
        .map(|(i, t)| t * if i < 6 { 1.0 } else { 0.5 })
        .collect();
    let plus = theta.iter().map(|t| t + 0.1).collect();
    let minus = theta.iter().map(|t| t - 0.1).collect();
    [theta, plus, minus]
}

/// The readout `layer` fits on MNIST-1D, and the labels it fits.
pub fn readout<'a>(layer: &Layer, task: &'a TaskData) -> (SoftmaxReadout, &'a [usize]) {
    let Targets::Classes { labels, classes } = &task.targets else {
        panic!("MNIST-1D has class targets")
    };
    (layer.softmax_readout(*classes), labels)
}
