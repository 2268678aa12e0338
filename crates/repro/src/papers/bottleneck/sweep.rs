//! The front sweep that fig4a and fig4c share, and the estimators drawn from it.
//!
//! **Tasks.** Every (layout, realisation, setting, seed) is a task trained by SPSA on
//! L = G − αΣ. The primary layout ([`SweepParams::couplings`]) runs every α and the
//! enforced equilibrium; each layout of [`SweepParams::compare`] runs only the two ends
//! of the front, α = 0 and equilibrium. Each task draws from its own stream, keyed by what
//! it is (`<study>/train/<layout>`, [realisation, α's bits or the equilibrium key, seed]),
//! so adding seeds, settings, layouts or realisations never re-draws the existing ones.
//! Tasks run in parallel and are checkpointed one by one
//! ([`crate::pipeline::checkpoint`]), so an interrupted run resumes and gives the same
//! bytes.
//!
//! **A failed task is data, not a crash.** Training can fail inside a sweep (a readout
//! that does not converge, a simulation error); the task is then recorded as
//! [`Outcome::Failed`] with its error, written to the tables with empty values and named
//! in the notes, and every other task still runs. The estimators use the tasks that
//! finished and say how many did not.
//!
//! **Convergence.** SPSA runs its fixed budget of steps (the stopping rule). The
//! objective estimate of every step, ½(y₊ + y₋), is kept (the training trace), and a task
//! counts as converged when the mean objective of the last quarter of its steps differs
//! from that of the third quarter by less than two standard errors of the difference
//! ([`drift`]).
//!
//! **The cost of equilibrium.** Two defined comparisons, each over the same number of
//! seeds per setting, each with a percentile bootstrap interval over seeds
//! ([`cost_of_equilibrium`]): the best (lowest-loss) α = 0 system against the best
//! equilibrium system, and the mean over seeds of each.

use anyhow::Result;
use learn::Spsa;
use models::bottleneck::{
    Calibration, ChainLayout, Couplings, Layer, Optimizer, TaskData, TradeOff,
};
use rand::RngExt;
use serde::{Deserialize, Serialize};

pub use super::estimate::{
    CostOfEquilibrium, FrontPoint, converged, cost_of_equilibrium, cost_table, drift, front,
    non_monotone, percent, points,
};
use super::presets::SweepParams;
use crate::pipeline::checkpoint::SweepMode;
use crate::pipeline::{Cell, Column, RunContext, Table};

/// The version of what a sweep task computes. **Bump it with any change that alters the
/// numbers a task produces** (training, evaluation, the engines below them): it is part of
/// every checkpoint key, so task files written by older code are never reused after such
/// a change, while checkpoints stay resumable across builds and sessions that do not
/// change the numbers.
pub const SWEEP_CODE_VERSION: u32 = 1;

/// The checkpoint fingerprint of a sweep: the code version and the caller's fingerprint
/// (its parameters).
pub fn checkpoint_fingerprint(fingerprint: &str) -> String {
    format!("sweep code v{SWEEP_CODE_VERSION}|{fingerprint}")
}

/// What one task trained on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Coupling layout.
    pub layout: Couplings,
    /// Task realisation.
    pub realisation: usize,
    /// α, or the enforced equilibrium.
    pub trade_off: TradeOff,
    /// Initialisation.
    pub seed: usize,
}

/// A trained system.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct System {
    /// MSE or mean cross-entropy (nats), evaluated with fresh noise.
    pub loss: f64,
    /// Fraction of inputs classified right.
    pub accuracy: f64,
    /// Σ of the whole layer, nats per unit time.
    pub sigma: f64,
    /// A = Σ(W_ij − W_ji)²/ΣW_ij².
    pub asymmetry: f64,
    /// The trained couplings θ (symmetrised at the equilibrium).
    pub theta: Vec<f64>,
    /// ½(y₊ + y₋) of every SPSA step: the objective L = −loss − αΣ along training.
    pub trace: Vec<f64>,
}

/// How a task ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Outcome {
    /// Trained and evaluated.
    Trained(System),
    /// Training or evaluation failed with this error (the chain of causes).
    Failed(String),
}

/// One task and how it ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trained {
    /// What it trained on.
    pub task: Task,
    /// The result.
    pub outcome: Outcome,
}

impl Trained {
    /// The system, if training finished.
    pub fn system(&self) -> Option<&System> {
        match &self.outcome {
            Outcome::Trained(s) => Some(s),
            Outcome::Failed(_) => None,
        }
    }
}

/// Every task of the sweep, in a fixed order: the primary layout's front, then the ends
/// of each comparison layout.
pub fn tasks(p: &SweepParams, realisations: usize) -> Vec<Task> {
    let ends = [TradeOff::Alpha(0.0), TradeOff::Equilibrium];
    let primary = p.trade_offs();
    let mut groups: Vec<(Couplings, &[TradeOff])> = vec![(p.couplings, &primary[..])];
    groups.extend(p.compare.iter().map(|&c| (c, &ends[..])));
    let mut out = Vec::new();
    for (layout, settings) in groups {
        for realisation in 0..realisations {
            for &trade_off in settings {
                for seed in 0..p.seeds {
                    out.push(Task { layout, realisation, trade_off, seed });
                }
            }
        }
    }
    out
}

/// The layer of a task.
pub fn layer(p: &SweepParams, n: usize, softmax_lambda: f64, task: &Task) -> Layer {
    Layer {
        layout: ChainLayout { n, k: p.k, couplings: task.layout, periodic: p.periodic },
        beta: p.beta,
        run: p.run,
        ridge: p.ridge,
        softmax_lambda,
        trade_off: task.trade_off,
    }
}

/// Trains every task of the sweep on `data[realisation]`; the streams are labelled
/// `{label}/train/<layout>` and the checkpoint keyed by `fingerprint`.
///
/// # Errors
/// Only checkpoint IO (and the stops of `--shard` and `--merge`, see
/// [`crate::pipeline::checkpoint`]): a task that fails is recorded as [`Outcome::Failed`].
pub fn sweep(
    ctx: &RunContext,
    label: &str,
    fingerprint: &str,
    p: &SweepParams,
    n: usize,
    softmax_lambda: f64,
    data: &[TaskData],
) -> Result<Vec<Trained>> {
    let mut all =
        sweep_variants(ctx, label, fingerprint, std::slice::from_ref(p), n, softmax_lambda, data)?;
    Ok(all.pop().unwrap_or_default())
}

/// [`sweep`] for several variants of the sweep parameters at once, as one checkpointed
/// list of tasks (variant after variant), so that one `--shard` run covers its share of
/// every variant. Each variant's tasks draw the streams they would draw alone (the
/// variant is not in the key: the same seed gives the same θ₀ and noise). Returns the
/// results per variant.
///
/// # Errors
/// As [`sweep`].
pub fn sweep_variants(
    ctx: &RunContext,
    label: &str,
    fingerprint: &str,
    variants: &[SweepParams],
    n: usize,
    softmax_lambda: f64,
    data: &[TaskData],
) -> Result<Vec<Vec<Trained>>> {
    let tasks: Vec<(usize, Task)> = variants
        .iter()
        .enumerate()
        .flat_map(|(v, p)| tasks(p, data.len()).into_iter().map(move |t| (v, t)))
        .collect();
    let checkpoint = ctx.checkpoint(&checkpoint_fingerprint(fingerprint));
    let steps_of = |v: usize| variants[v].spsa_iterations.max(1) as u64;
    let total: u64 = tasks.iter().map(|&(v, _)| steps_of(v)).sum();
    let pb = ctx.progress_bar(total, &format!("{label}: SPSA steps"));
    if let Some(c) = &checkpoint {
        let finished = c.count_finished(tasks.len()) as u64;
        pb.inc(finished * total / (tasks.len() as u64).max(1));
    }
    let run_task = |i: usize| -> Result<Trained> {
        let (v, task) = tasks[i];
        let p = &variants[v];
        let steps = steps_of(v);
        let layer = layer(p, n, softmax_lambda, &task);
        let stream = format!("{label}/train/{}", task.layout.name());
        let mut rng = ctx.rng(
            &stream,
            &[task.realisation as u64, task.trade_off.stream_key(), task.seed as u64],
        );
        let theta0: Vec<f64> = (0..layer.layout.n_params())
            .map(|_| rng.random_range(-p.init_half_width..p.init_half_width))
            .collect();
        let optimizer = Optimizer {
            spsa: Spsa::new(p.spsa_iterations, p.spsa_a, p.spsa_c),
            calibration: p.spsa_target_step.map(|target_step| Calibration {
                target_step,
                samples: p.spsa_calibration_samples,
            }),
        };
        let mut trace = Vec::with_capacity(p.spsa_iterations);
        let trained = layer.train(&data[task.realisation], &optimizer, &theta0, &mut rng, |s| {
            trace.push(0.5 * (s.y_plus + s.y_minus));
            pb.inc(1);
        });
        let outcome = match trained {
            Ok((theta, e)) => Outcome::Trained(System {
                loss: e.loss,
                accuracy: e.accuracy,
                sigma: e.sigma,
                asymmetry: e.asymmetry,
                theta,
                trace,
            }),
            Err(e) => {
                // The remaining steps of this task will not run.
                pb.inc(steps.saturating_sub(trace.len() as u64));
                Outcome::Failed(format!("{e}"))
            }
        };
        Ok(Trained { task, outcome })
    };
    // A --partial run returns the saved tasks only; every other run returns them all.
    let results: Vec<Option<Trained>> = match &checkpoint {
        Some(c) if ctx.sweep_mode == SweepMode::Partial => c.saved(tasks.len())?,
        Some(c) => c.run(tasks.len(), run_task)?.into_iter().map(Some).collect(),
        None => {
            use rayon::prelude::*;
            (0..tasks.len())
                .into_par_iter()
                .map(|i| run_task(i).map(Some))
                .collect::<Result<_>>()?
        }
    };
    pb.finish_and_clear();
    let mut out: Vec<Vec<Trained>> = variants.iter().map(|_| Vec::new()).collect();
    for (&(v, _), r) in tasks.iter().zip(results) {
        out[v].extend(r);
    }
    Ok(out)
}

/// "α = 0.01" or "equilibrium (W = Wᵀ)".
pub fn describe(t: TradeOff) -> String {
    match t {
        TradeOff::Alpha(a) => format!("α = {a}"),
        TradeOff::Equilibrium => "equilibrium (W = Wᵀ)".into(),
    }
}

/// "rungs, realisation 0, α = 0.01, seed 3".
pub fn describe_task(t: &Task) -> String {
    format!(
        "{}, realisation {}, {}, seed {}",
        t.layout.name(),
        t.realisation,
        describe(t.trade_off),
        t.seed
    )
}

/// The finished systems of (layout, realisation, setting).
pub fn group(results: &[Trained], layout: Couplings, r: usize, t: TradeOff) -> Vec<&System> {
    results
        .iter()
        .filter(|x| x.task.layout == layout && x.task.realisation == r && x.task.trade_off == t)
        .filter_map(Trained::system)
        .collect()
}

/// The lowest-loss system among the finished seeds of (layout, realisation, setting).
pub fn best_of(results: &[Trained], layout: Couplings, r: usize, t: TradeOff) -> Option<&System> {
    group(results, layout, r, t).into_iter().min_by(|x, y| x.loss.total_cmp(&y.loss))
}

/// The α column: α, or empty for the enforced equilibrium.
pub const ALPHA_COL: Column =
    Column::new("alpha", "time", "trade-off α (empty: equilibrium W = Wᵀ enforced)");

/// θ as text, ';'-separated with every digit (`{:e}` round-trips f64).
fn theta_text(theta: &[f64]) -> String {
    theta.iter().map(|v| format!("{v:e}")).collect::<Vec<_>>().join(";")
}

/// The table of every task, with its loss column `loss`: failed tasks have empty values
/// and their error; θ is written in full so any system can be re-scored later.
pub fn systems_table(results: &[Trained], spins: f64, loss: Column) -> Table {
    let mut table = Table::new(vec![
        Column::new("layout", "", "coupling layout (models::bottleneck::Couplings)"),
        Column::new("realisation", "1", "task realisation"),
        ALPHA_COL,
        Column::new("seed", "1", "initialisation"),
        loss,
        Column::new("accuracy", "1", "fraction of inputs classified right"),
        Column::new("sigma_per_spin", "nats per unit time", "Σ/(2N)"),
        Column::new("asymmetry", "1", "A = Σ(W_ij − W_ji)²/ΣW_ij²"),
        Column::new(
            "best_over_seeds",
            "",
            "lowest loss among the seeds of this (layout, realisation, α)",
        ),
        Column::new(
            "drift",
            "objective units",
            "mean objective of the last quarter of SPSA steps minus that of the third quarter",
        ),
        Column::new("drift_se", "objective units", "standard error of drift"),
        Column::new("converged", "", "|drift| < 2 drift_se"),
        Column::new("theta", "1", "trained couplings θ, ';'-separated, in ChainLayout order"),
        Column::new("error", "", "why the task failed (empty: it finished)"),
    ]);
    for t in results {
        let task = &t.task;
        let best = best_of(results, task.layout, task.realisation, task.trade_off);
        let mut row: Vec<Cell> = vec![
            task.layout.name().into(),
            task.realisation.into(),
            task.trade_off.alpha().into(),
            task.seed.into(),
        ];
        match &t.outcome {
            Outcome::Trained(s) => {
                let d = drift(&s.trace);
                row.extend([
                    s.loss.into(),
                    s.accuracy.into(),
                    (s.sigma / spins).into(),
                    s.asymmetry.into(),
                    best.is_some_and(|b| std::ptr::eq(s, b)).into(),
                    d.map(|d| d.0).into(),
                    d.map(|d| d.1).into(),
                    converged(&s.trace).map_or(Cell::Empty, Cell::from),
                    theta_text(&s.theta).into(),
                    Cell::Empty,
                ]);
            }
            Outcome::Failed(e) => {
                row.extend(std::iter::repeat_n(Cell::Empty, 9));
                row.push(e.clone().into());
            }
        }
        table.push(row);
    }
    table
}

/// The training traces of every finished task: one row per (task, step).
pub fn training_table(results: &[Trained], objective: &'static str) -> Table {
    let mut table = Table::new(vec![
        Column::new("layout", "", "coupling layout"),
        Column::new("realisation", "1", "task realisation"),
        ALPHA_COL,
        Column::new("seed", "1", "initialisation"),
        Column::new("step", "1", "SPSA iteration k"),
        Column::new("objective", "objective units", objective),
    ]);
    for t in results {
        if let Some(s) = t.system() {
            for (k, &v) in s.trace.iter().enumerate() {
                table.push(vec![
                    t.task.layout.name().into(),
                    t.task.realisation.into(),
                    t.task.trade_off.alpha().into(),
                    t.task.seed.into(),
                    k.into(),
                    v.into(),
                ]);
            }
        }
    }
    table
}

/// Notes on failed and unconverged tasks.
pub fn health_notes(results: &[Trained]) -> Vec<String> {
    let mut notes = Vec::new();
    let failed: Vec<&Trained> =
        results.iter().filter(|t| matches!(t.outcome, Outcome::Failed(_))).collect();
    if !failed.is_empty() {
        notes.push(format!(
            "{} of {} tasks failed and are left out of every estimate: {}",
            failed.len(),
            results.len(),
            failed
                .iter()
                .map(|t| match &t.outcome {
                    Outcome::Failed(e) => format!("{} ({e})", describe_task(&t.task)),
                    Outcome::Trained(_) => unreachable!("filtered"),
                })
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    let judged: Vec<bool> =
        results.iter().filter_map(Trained::system).filter_map(|s| converged(&s.trace)).collect();
    let ok = judged.iter().filter(|c| **c).count();
    notes.push(format!(
        "convergence rule (|mean objective of the last quarter − third quarter| < 2 SE): {ok} of \
         {} finished tasks pass",
        judged.len()
    ));
    notes
}

/// What a layout keeps of the paper's coupling rules.
pub fn reading(c: Couplings) -> &'static str {
    match c {
        Couplings::Full => {
            "the literal reading of the paper's rules (W depends on (Δm, Δn), every |Δm| ≤ k \
             connected, no self-coupling), which gives 6k + 2 parameters rather than its stated \
             4k − 2; chosen because it gives up only the count, and it lets an equilibrium W \
             tell the two chains apart"
        }
        Couplings::Rungs => {
            "in-chain couplings and the rungs only, the reading that gives 4k − 2 at k = 2; at \
             W = Wᵀ the two chains are identical"
        }
        Couplings::Zigzag => {
            "the ladder read as one interleaved chain i = 2m + n with w(Δi), |Δi| ≤ 2k − 1: 4k − 2 \
             parameters for every k, without the in-chain k-th neighbours"
        }
        Couplings::None => "two uncoupled chains",
    }
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
    let n_params =
        |c| ChainLayout { n: 2 * p.k + 1, k: p.k, couplings: c, periodic: false }.n_params();
    vec![
        format!(
            "β = {}; k = {}; primary coupling layout {} ({} parameters: {}; see \
             models::bottleneck::Couplings); {} chains",
            p.beta,
            p.k,
            p.couplings.name(),
            n_params(p.couplings),
            reading(p.couplings),
            if p.periodic { "periodic" } else { "open" }
        ),
        format!(
            "comparison layouts, trained at α = 0 and at equilibrium only: {}",
            if p.compare.is_empty() {
                "none".to_owned()
            } else {
                p.compare
                    .iter()
                    .map(|&c| format!("{} ({} parameters)", c.name(), n_params(c)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ),
        format!(
            "run length: T_max = {}, N_max = {} jumps, transient {} time units or {} jumps, \
             whichever first",
            p.run.t_max, p.run.n_max, p.run.transient_time, p.run.transient_jumps
        ),
        format!(
            "SPSA, a fixed budget of {} steps as the stopping rule (Spall gains a_k = a/(k + 1 + \
             A)^{}, c_k = c/(k + 1)^{}, A = {}), {gains}, c = {}, common random numbers for the ± \
             pair, the Polyak–Ruppert average of the iterates from step {} on evaluated with \
             fresh noise; initial couplings uniform in ±{}; {} seeds for every setting",
            spsa.iterations,
            spsa.alpha,
            spsa.gamma,
            spsa.big_a,
            spsa.c,
            spsa.average_from,
            p.init_half_width,
            p.seeds
        ),
        "convergence diagnostic per task: the objective ½(y₊ + y₋) of every step; converged when \
         the mean of the last quarter of steps is within 2 SE of the mean of the third quarter"
            .into(),
        format!(
            "cost of equilibrium: best α = 0 system vs best equilibrium system, and mean vs mean \
             over seeds; 95% percentile bootstrap intervals from {} resamplings of the seeds",
            p.bootstrap
        ),
        "Σ per spin: Σ/(2N), the 2N spins of both chains".into(),
        "random streams keyed by (layout, realisation, α, seed): adding seeds, α values or \
         layouts keeps the systems already trained"
            .into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{Params, Preset};
    use models::bottleneck::{RunLength, Targets};

    #[test]
    fn the_checkpoint_key_carries_the_code_version() {
        // An interrupted sweep leaves its tasks under the key of the versioned fingerprint:
        // code of another SWEEP_CODE_VERSION looks elsewhere and recomputes.
        let fp = checkpoint_fingerprint("params");
        assert!(fp.starts_with(&format!("sweep code v{SWEEP_CODE_VERSION}|")), "{fp}");
        let root = tempfile::tempdir().unwrap();
        let ctx = RunContext {
            checkpoint_root: Some(root.path().to_path_buf()),
            ..RunContext::quiet(Preset::Quick, 3, "bottleneck/test")
        };
        let expected = ctx.checkpoint(&fp).unwrap();
        let other = ctx.checkpoint(&format!("sweep code v{}|params", SWEEP_CODE_VERSION + 1));
        assert_ne!(expected.dir(), other.unwrap().dir());
    }

    #[test]
    fn a_failing_task_is_recorded_and_the_others_still_train() {
        // Two realisations of a tiny random task; realisation 1 has a NaN input, so each of
        // its tasks fails. The sweep must return every task: realisation 0's trained,
        // realisation 1's as Failed with the error naming the bad value.
        let mut p = super::super::presets::Fig4cParams::preset(Preset::Quick).sweep;
        p.spsa_iterations = 3;
        p.seeds = 1;
        p.alphas = vec![0.0];
        p.compare = vec![Couplings::Rungs];
        p.spsa_target_step = None;
        p.run = RunLength { t_max: 50.0, n_max: 400, transient_time: 5.0, transient_jumps: 100 };
        let task = |nan: bool| {
            let mut x: Vec<f64> =
                (0..8 * 6u32).map(|i| f64::from((i * 7919) % 13) / 6.0 - 1.0).collect();
            if nan {
                x[5] = f64::NAN;
            }
            TaskData {
                x,
                targets: Targets::Regression((0..8).map(|i| [1.0, -1.0][i % 2]).collect()),
            }
        };
        let ctx = RunContext::quiet(Preset::Quick, 3, "bottleneck/test");
        let results = sweep(&ctx, "test", "", &p, 6, 1e-4, &[task(false), task(true)]).unwrap();
        assert_eq!(results.len(), tasks(&p, 2).len());
        assert_eq!(results.len(), 8, "2 layouts × 2 realisations × 2 settings × 1 seed");
        for t in &results {
            match (&t.outcome, t.task.realisation) {
                (Outcome::Trained(s), 0) => assert_eq!(s.trace.len(), 3),
                (Outcome::Failed(e), 1) => {
                    assert!(e.contains("NaN") || e.contains("finite"), "{e}")
                }
                (o, r) => panic!("realisation {r}: {o:?}"),
            }
        }
        let notes = health_notes(&results);
        assert!(notes[0].starts_with("4 of 8 tasks failed"), "{notes:?}");
        // The table keeps the failed rows, with their error and no numbers.
        let table = systems_table(&results, 12.0, Column::new("mse", "1", "MSE"));
        assert_eq!(table.rows.len(), 8);
    }
}
