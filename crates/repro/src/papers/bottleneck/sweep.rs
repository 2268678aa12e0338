//! The front sweep that fig4a and fig4c share: every (realisation, setting, seed) is a
//! task trained by SPSA on L = G − αΣ, with its own random stream keyed by what it is
//! (`<study>/train`, [realisation, α's bits or the equilibrium key, seed]), so adding
//! seeds, settings or realisations never re-draws the existing ones. Tasks run in
//! parallel and are checkpointed one by one ([`crate::pipeline::checkpoint`]), so an
//! interrupted run resumes and gives the same bytes.

use anyhow::{Context, Result};
use learn::Spsa;
use models::bottleneck::{Calibration, ChainLayout, Layer, Optimizer, TaskData, TradeOff};
use rand::RngExt;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::presets::SweepParams;
use crate::pipeline::{Column, RunContext, Table};

/// One trained system.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trained {
    /// Task realisation.
    pub realisation: usize,
    /// What it was trained on.
    pub trade_off: TradeOff,
    /// Initialisation.
    pub seed: usize,
    /// MSE or mean cross-entropy (nats).
    pub loss: f64,
    /// Fraction of inputs classified right.
    pub accuracy: f64,
    /// Σ of the whole layer, nats per unit time.
    pub sigma: f64,
    /// A = Σ(W_ij − W_ji)²/ΣW_ij².
    pub asymmetry: f64,
    /// The trained couplings.
    pub theta: Vec<f64>,
}

/// Trains every (realisation, setting, seed) of the sweep on `data[realisation]`; the
/// streams are labelled `{label}/train` and the checkpoint keyed by `fingerprint`.
///
/// # Errors
/// The first task that fails, named by its realisation, α and seed (finished tasks stay
/// checkpointed).
pub fn sweep(
    ctx: &RunContext,
    label: &str,
    fingerprint: &str,
    p: &SweepParams,
    n: usize,
    softmax_lambda: f64,
    data: &[TaskData],
) -> Result<Vec<Trained>> {
    let layout = ChainLayout { n, k: p.k, inter: p.inter, periodic: false };
    let settings = p.trade_offs();
    let tasks: Vec<(usize, TradeOff, usize)> = (0..data.len())
        .flat_map(|r| settings.iter().flat_map(move |&t| (0..p.seeds).map(move |s| (r, t, s))))
        .collect();
    let checkpoint = ctx.checkpoint(fingerprint);
    let steps = p.spsa_iterations.max(1) as u64;
    let pb = ctx.progress_bar(tasks.len() as u64 * steps, &format!("{label}: SPSA steps"));
    if let Some(c) = &checkpoint {
        pb.inc(c.count_finished(tasks.len()) as u64 * steps);
    }
    let stream = format!("{label}/train");
    let run_task = |i: usize| -> Result<Trained> {
        let (r, trade_off, s) = tasks[i];
        let layer = Layer {
            layout: layout.clone(),
            beta: p.beta,
            run: p.run,
            ridge: p.ridge,
            softmax_lambda,
            trade_off,
        };
        let mut rng = ctx.rng(&stream, &[r as u64, trade_off.stream_key(), s as u64]);
        let theta0: Vec<f64> = (0..layout.n_params())
            .map(|_| rng.random_range(-p.init_half_width..p.init_half_width))
            .collect();
        let optimizer = Optimizer {
            spsa: Spsa::new(p.spsa_iterations, p.spsa_a, p.spsa_c),
            calibration: p.spsa_target_step.map(|target_step| Calibration {
                target_step,
                samples: p.spsa_calibration_samples,
            }),
        };
        let (theta, e) =
            layer.train(&data[r], &optimizer, &theta0, &mut rng, |_| pb.inc(1)).with_context(
                || format!("training realisation {r}, {}, seed {s}", describe(trade_off)),
            )?;
        Ok(Trained {
            realisation: r,
            trade_off,
            seed: s,
            loss: e.loss,
            accuracy: e.accuracy,
            sigma: e.sigma,
            asymmetry: e.asymmetry,
            theta,
        })
    };
    let results: Vec<Trained> = match &checkpoint {
        Some(c) => c.run(tasks.len(), run_task)?,
        None => (0..tasks.len()).into_par_iter().map(run_task).collect::<Result<_>>()?,
    };
    pb.finish_and_clear();
    Ok(results)
}

/// "α = 0.01" or "equilibrium (W = Wᵀ)".
pub fn describe(t: TradeOff) -> String {
    match t {
        TradeOff::Alpha(a) => format!("α = {a}"),
        TradeOff::Equilibrium => "equilibrium (W = Wᵀ)".into(),
    }
}

/// The lowest-loss system among the seeds of (realisation, setting).
pub fn best_of(results: &[Trained], r: usize, t: TradeOff) -> Option<&Trained> {
    results
        .iter()
        .filter(|x| x.realisation == r && x.trade_off == t)
        .min_by(|x, y| x.loss.total_cmp(&y.loss))
}

/// The α column: α, or empty for the enforced equilibrium.
pub const ALPHA_COL: Column =
    Column::new("alpha", "time", "trade-off α (empty: equilibrium W = Wᵀ enforced)");

/// The table of every trained system, with its loss column `loss`.
pub fn systems_table(
    results: &[Trained],
    settings: &[TradeOff],
    realisations: usize,
    spins: f64,
    loss: Column,
) -> Table {
    let mut table = Table::new(vec![
        Column::new("realisation", "1", "task realisation"),
        ALPHA_COL,
        Column::new("seed", "1", "initialisation"),
        loss,
        Column::new("accuracy", "1", "fraction of inputs classified right"),
        Column::new("sigma_per_spin", "nats per unit time", "Σ/(2N)"),
        Column::new("asymmetry", "1", "A = Σ(W_ij − W_ji)²/ΣW_ij²"),
        Column::new("best_over_seeds", "", "lowest loss among the seeds of this (realisation, α)"),
    ]);
    for r in 0..realisations {
        for &a in settings {
            let best = best_of(results, r, a);
            for t in results.iter().filter(|t| t.realisation == r && t.trade_off == a) {
                table.push(vec![
                    r.into(),
                    t.trade_off.alpha().into(),
                    t.seed.into(),
                    t.loss.into(),
                    t.accuracy.into(),
                    (t.sigma / spins).into(),
                    t.asymmetry.into(),
                    best.is_some_and(|b| std::ptr::eq(t, b)).into(),
                ]);
            }
        }
    }
    table
}

/// The front of one realisation: (Σ/(2N), loss, accuracy) of the best system per α,
/// sorted by Σ, and the best equilibrium system.
pub fn front(
    results: &[Trained],
    settings: &[TradeOff],
    r: usize,
    spins: f64,
) -> (Vec<(f64, f64, f64)>, Option<Trained>) {
    let mut points: Vec<(f64, f64, f64)> = settings
        .iter()
        .filter(|t| !t.is_equilibrium())
        .filter_map(|&t| best_of(results, r, t))
        .map(|t| (t.sigma / spins, t.loss, t.accuracy))
        .collect();
    points.sort_by(|x, y| x.0.total_cmp(&y.0));
    (points, best_of(results, r, TradeOff::Equilibrium).cloned())
}

/// Choices every front sweep makes, formatted from its params.
pub fn sweep_choices(p: &SweepParams) -> Vec<String> {
    let spsa = Spsa::new(p.spsa_iterations, p.spsa_a, p.spsa_c);
    let gains = match p.spsa_target_step {
        Some(step) => format!(
            "a calibrated per task by Spall's rule (first steps move each coupling by {step}, \
             from {} gradient estimates at θ₀)",
            p.spsa_calibration_samples
        ),
        None => format!("a = {}", p.spsa_a),
    };
    vec![
        format!(
            "β = {}; k = {} with {:?} couplings between the chains (the paper's 4k − 2 parameters \
             at k = 2 read as rungs)",
            p.beta, p.k, p.inter
        ),
        format!(
            "run length: T_max = {}, N_max = {} jumps, transient {} time units or {} jumps, \
             whichever first",
            p.run.t_max, p.run.n_max, p.run.transient_time, p.run.transient_jumps
        ),
        format!(
            "SPSA, {} steps (Spall gains a_k = a/(k + 1 + A)^{}, c_k = c/(k + 1)^{}, A = {}), \
             {gains}, c = {}, common random numbers for the ± pair, the Polyak–Ruppert average \
             of the iterates from step {} on evaluated with fresh noise; initial couplings \
             uniform in ±{}; {} seeds per α",
            spsa.iterations,
            spsa.alpha,
            spsa.gamma,
            spsa.big_a,
            spsa.c,
            spsa.average_from,
            p.init_half_width,
            p.seeds
        ),
        "Σ per spin: Σ/(2N), the 2N spins of both chains".into(),
        "random streams keyed by (realisation, α, seed): adding seeds or α values keeps the \
         systems already trained"
            .into(),
    ]
}
