//! Fig. 2 of *Learning with springs and sticks*: a 4 × 4 grid of sticks against two
//! one-hidden-layer MLPs (16 ReLU units; "MLP", and "MLPf" with every bias a fixed N(0, 1)
//! draw) on eight functions of [0, 1]², 160 training and 160 test points, label noise
//! 0.01·N(0, 1), minibatches of 16 for 10 epochs; the sticks integrate Δt = 0.1 (100
//! Euler–Maruyama steps) per minibatch at γ = 10, T = 1e-3 K, k = M = 1; the MLPs take one
//! SGD step (lr 0.1) per minibatch, from PyTorch's default initialisation.
//!
//! The reference's "SS test" (`paper_imgs/mlp_compare.py`) calls `sde.loss(θ, u_test,
//! y_test)`, whose cost uses the data last given to `update_data`: it is the loss on the
//! last *training* minibatch. Both it and the true test loss are written.

use anyhow::Result;
use learn::Mlp;
use models::springs::{EulerMaruyama, Grid, Springs};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;
use serde_json::json;

use super::SIM_TOLERANCE;
use super::common::{mean_se, physics};
use super::presets::{Fig2Params, Target2d};
use crate::pipeline::plot::{self, PALETTE, Panel, Series};
use crate::pipeline::{Cell, Column, FigureOutput, RunContext, Table};

/// Per epoch: (train loss, reference "test" loss or NaN for MLPs, true test loss).
type Curve = Vec<(f64, f64, f64)>;

struct Run {
    f: Target2d,
    run: usize,
    /// One curve per initial scale.
    sticks: Vec<Curve>,
    mlp: Curve,
    mlpf: Curve,
}

fn points<R: rand::Rng + ?Sized>(
    f: Target2d,
    n: usize,
    noise: f64,
    rng: &mut R,
) -> (Vec<f64>, Vec<f64>) {
    let u: Vec<f64> = (0..2 * n).map(|_| rng.random::<f64>()).collect();
    let y = u
        .chunks(2)
        .map(|p| {
            let z: f64 = StandardNormal.sample(rng);
            f.eval(p[0], p[1]) + noise * z
        })
        .collect();
    (u, y)
}

fn ss_mse(s: &Springs, x: &[f64], u: &[f64], y: &[f64]) -> f64 {
    u.chunks(2).zip(y).map(|(p, y)| (s.grid().interpolate(x, p) - y).powi(2)).sum::<f64>()
        / y.len() as f64
}

fn one_run(p: &Fig2Params, f: Target2d, run: usize, ctx: &RunContext) -> Result<Run> {
    let key = [f as u64, run as u64];
    let mut rng = ctx.rng("springs/fig2/data", &key);
    let (u_train, y_train) = points(f, p.n_train, p.label_noise, &mut rng);
    let (u_test, y_test) = points(f, p.n_test, p.label_noise, &mut rng);
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    for q in u_train.chunks(2).chain(u_test.chunks(2)) {
        for b in 0..2 {
            lo[b] = lo[b].min(q[b]);
            hi[b] = hi[b].max(q[b]);
        }
    }
    let grid = Grid::new(&[p.cells, p.cells], &lo, &hi)?;
    // The minibatch order of every epoch, shared by all models (one DataLoader).
    let orders: Vec<Vec<usize>> = (0..p.epochs)
        .map(|e| {
            let mut rng = ctx.rng("springs/fig2/shuffle", &[f as u64, run as u64, e as u64]);
            let mut idx: Vec<usize> = (0..p.n_train).collect();
            for i in (1..idx.len()).rev() {
                let j = rng.random_range(0..=i);
                idx.swap(i, j);
            }
            idx
        })
        .collect();
    let batches = |e: usize| -> Vec<(Vec<f64>, Vec<f64>)> {
        orders[e]
            .chunks(p.batch)
            .map(|c| {
                let u: Vec<f64> =
                    c.iter().flat_map(|&i| [u_train[2 * i], u_train[2 * i + 1]]).collect();
                let y: Vec<f64> = c.iter().map(|&i| y_train[i]).collect();
                (u, y)
            })
            .collect()
    };
    let phys = physics(p.scale, p.scale, p.gamma, p.temperature, &p.constants);
    let mut sticks = Vec::new();
    for &scale in &p.initial_scales {
        let first = batches(0);
        let mut s = Springs::new(grid.clone(), &first[0].0, &first[0].1, phys)?;
        let n = s.n_nodes();
        let mut rng = ctx.rng("springs/fig2/sticks", &[f as u64, run as u64, scale.to_bits()]);
        let mut x: Vec<f64> = (0..n).map(|_| scale * rng.random::<f64>()).collect();
        let mut v: Vec<f64> = (0..n).map(|_| scale * rng.random::<f64>()).collect();
        let mut em = EulerMaruyama::new(&s, p.constants.dt)?;
        let mut curve = Vec::new();
        for e in 0..p.epochs {
            let mut train = Vec::new();
            for (u, y) in batches(e) {
                s.set_data(&u, &y)?;
                train.push(s.loss(&x));
                for _ in 0..p.steps_per_batch {
                    em.step(&s, &mut x, &mut v, &mut rng);
                }
            }
            let reference_test = s.loss(&x);
            curve.push((mean_se(&train).0, reference_test, ss_mse(&s, &x, &u_test, &y_test)));
        }
        sticks.push(curve);
    }
    let mut rng = ctx.rng("springs/fig2/mlp", &key);
    let mut mlp = Mlp::pytorch_init(2, p.hidden, &mut rng)?;
    let mut rng = ctx.rng("springs/fig2/mlpf", &key);
    let biases: Vec<f64> = (0..=p.hidden).map(|_| StandardNormal.sample(&mut rng)).collect();
    let mut mlpf = Mlp::pytorch_init(2, p.hidden, &mut rng)?.with_fixed_biases(&biases)?;
    let mut c1 = Vec::new();
    let mut c2 = Vec::new();
    for e in 0..p.epochs {
        let (mut t1, mut t2) = (Vec::new(), Vec::new());
        for (u, y) in batches(e) {
            t1.push(mlp.sgd_step(&u, &y, p.learning_rate)?);
            t2.push(mlpf.sgd_step(&u, &y, p.learning_rate)?);
        }
        c1.push((mean_se(&t1).0, f64::NAN, mlp.mse(&u_test, &y_test)?));
        c2.push((mean_se(&t2).0, f64::NAN, mlpf.mse(&u_test, &y_test)?));
    }
    Ok(Run { f, run, sticks, mlp: c1, mlpf: c2 })
}

/// `springs/fig2`.
pub fn fig2(p: &Fig2Params, ctx: &RunContext) -> Result<FigureOutput> {
    let tasks: Vec<(Target2d, usize)> =
        p.functions.iter().flat_map(|&f| (0..p.runs).map(move |r| (f, r))).collect();
    let pb = ctx.progress_bar(tasks.len() as u64, "springs fig2");
    let runs: Vec<Run> = tasks
        .par_iter()
        .map(|&(f, r)| {
            let out = one_run(p, f, r, ctx);
            pb.inc(1);
            out
        })
        .collect::<Result<_>>()?;
    pb.finish_and_clear();
    let mut table = Table::new(vec![
        Column::new("function", "", "target f"),
        Column::new("run", "1", "realisation (data, initial state, minibatch order)"),
        Column::new("model", "", "sticks (4 × 4), mlp, or mlpf (fixed N(0,1) biases)"),
        Column::new("initial_scale", "1", "sticks: initial heights and velocities U(0,1)·s"),
        Column::new("epoch", "1", "epoch (1-based)"),
        Column::new(
            "train_loss",
            "1",
            "mean over the epoch's minibatches of the minibatch MSE (sticks: before its integration; MLPs: before the step)",
        ),
        Column::new(
            "reference_test_loss",
            "1",
            "sticks: the reference's \"SS test\", the MSE on the last training minibatch",
        ),
        Column::new("test_loss", "1", "MSE on the 160 test points"),
    ]);
    for r in &runs {
        let mut push = |model: &str, scale: Cell, c: &Curve| {
            for (e, &(tr, rt, te)) in c.iter().enumerate() {
                table.push(vec![
                    r.f.label().into(),
                    (r.run as f64).into(),
                    model.into(),
                    scale.clone(),
                    ((e + 1) as f64).into(),
                    tr.into(),
                    if rt.is_nan() { Cell::Empty } else { rt.into() },
                    te.into(),
                ]);
            }
        };
        for (c, &s) in r.sticks.iter().zip(&p.initial_scales) {
            push("sticks", s.into(), c);
        }
        push("mlp", Cell::Empty, &r.mlp);
        push("mlpf", Cell::Empty, &r.mlpf);
    }
    // Model 0: sticks (the figure's initial scale), 1: MLP, 2: MLPf.
    fn curve(r: &Run, model: usize) -> &Curve {
        match model {
            0 => &r.sticks[0],
            1 => &r.mlp,
            _ => &r.mlpf,
        }
    }
    let mean_curve = |f: Target2d, model: usize, which: usize| -> Vec<(f64, f64)> {
        let mine: Vec<&Run> = runs.iter().filter(|r| r.f == f).collect();
        (0..p.epochs)
            .map(|e| {
                let v: Vec<f64> = mine
                    .iter()
                    .map(|r| {
                        let c = curve(r, model)[e];
                        [c.0, c.1, c.2][which]
                    })
                    .collect();
                ((e + 1) as f64, mean_se(&v).0.log10())
            })
            .collect()
    };
    let mut panels = Vec::new();
    let mut headline = serde_json::Map::new();
    for &f in &p.functions {
        let series = vec![
            Series::line("SS train", mean_curve(f, 0, 0), PALETTE[0]).with_markers(),
            Series::line(
                "SS \"test\" (reference: last training batch)",
                mean_curve(f, 0, 1),
                PALETTE[0],
            )
            .dashed(),
            Series::line("SS test (160 test points)", mean_curve(f, 0, 2), PALETTE[3])
                .dashed()
                .with_markers(),
            Series::line("MLP train", mean_curve(f, 1, 0), PALETTE[1]).with_markers(),
            Series::line("MLP test", mean_curve(f, 1, 2), PALETTE[1]).dashed(),
            Series::line("MLPf train", mean_curve(f, 2, 0), PALETTE[2]).with_markers(),
            Series::line("MLPf test", mean_curve(f, 2, 2), PALETTE[2]).dashed(),
        ];
        panels.push(Panel {
            title: f.label().into(),
            x_label: "epoch".into(),
            y_label: "log₁₀ loss (MSE)".into(),
            series,
            log_x: false,
        });
        let last = p.epochs - 1;
        let fin = |pick: &dyn Fn(&Run) -> f64| -> serde_json::Value {
            let v: Vec<f64> = runs.iter().filter(|r| r.f == f).map(pick).collect();
            let (m, se) = mean_se(&v);
            json!({"mean": m, "se": se})
        };
        let mut sens = serde_json::Map::new();
        for (k, s) in p.initial_scales.iter().enumerate() {
            sens.insert(format!("initial_scale_{s}"), fin(&|r: &Run| r.sticks[k][last].2));
        }
        headline.insert(
            f.label().into(),
            json!({
                "final_test_sticks": fin(&|r: &Run| r.sticks[0][last].2),
                "final_reference_test_sticks": fin(&|r: &Run| r.sticks[0][last].1),
                "final_test_mlp": fin(&|r: &Run| r.mlp[last].2),
                "final_test_mlpf": fin(&|r: &Run| r.mlpf[last].2),
                "sticks_final_test_by_initial_scale": sens,
            }),
        );
    }
    headline.insert(
        "paper".into(),
        json!("Fig. 2: the SS model's loss is comparable to the one-hidden-layer MLPs' after 10 epochs (no numbers in the text)"),
    );
    let svg = plot::panel_grid(
        &format!(
            "4 × 4 sticks vs one-hidden-layer MLPs (mean over {} runs; solid: train, dashed: test)",
            p.runs
        ),
        &panels,
        4,
    )?;
    Ok(FigureOutput::new(table, p, svg, SIM_TOLERANCE)?.choices(vec![
        format!(
            "the reference's protocol (paper_imgs/mlp_compare.py at HEAD): {} + {} points U[0,1]², y = f + {}·N(0,1), \
             grid over the train ∪ test box, minibatches of {} in a fresh shuffle per epoch shared by all models, {} epochs; \
             sticks: {} × {} cells, γ = {}, T = {} K (SI k_B), k = M = {}, {} Euler–Maruyama steps of {} per minibatch, \
             the state carried across minibatches; MLPs: {} hidden ReLU, PyTorch's default init, SGD lr {}",
            p.n_train, p.n_test, p.label_noise, p.batch, p.epochs, p.cells, p.cells, p.gamma, p.temperature, p.scale,
            p.steps_per_batch, p.constants.dt, p.hidden, p.learning_rate
        ),
        format!(
            "initial node heights and velocities: U(0,1)·s with s = {} (the reference's torch.rand; the paper does not \
             say); sensitivity: s ∈ {:?}, final test losses in the headline",
            p.initial_scales[0], p.initial_scales
        ),
        "train loss: the minibatch loss before its integration (sticks) or before the SGD step (MLPs), averaged over \
         the epoch, as the reference"
            .into(),
        format!("{} realisations per function (the reference ran one, seed 0); curves are means over them", p.runs),
    ]).headline(headline))
}
