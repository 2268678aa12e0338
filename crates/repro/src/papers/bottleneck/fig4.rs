//! Fig. 4 of Ingrosso & Panizon (PRE 109, 014132, 2024): the computation–dissipation
//! front of two spin chains trained by SPSA on L = G − αΣ (the sweep and its estimators
//! are in [`super::sweep`]).
//!
//! - `fig4a`: MNIST-1D (N = 40, 10 classes), softmax / cross-entropy readout fitted exactly
//!   at every evaluation; CE and accuracy against Σ per spin. One study with
//!   `fig4a_training` (the SPSA objective of every task along training), `fig4a_cost` (the
//!   cost of equilibrium per layout, with bootstrap intervals) and `fig5`, which draw the
//!   same trained systems.
//! - `fig4b`: MNIST-1D examples.
//! - `fig4c`: the random task (M patterns, N spins per chain, x ~ N(0, 1), labels ±1), MSE
//!   readout by least squares; several task realisations; with `fig4c_training` and
//!   `fig4c_cost` as for fig4a.
//! - `fig4d`: random-task examples (realisation 0 of fig4c's task, the same stream).
//!
//! The front is drawn two ways against Σ/(2N), the EP rate per spin (2N spins in the two
//! chains): the lower envelope (the lowest loss over seeds at each α) and the mean over
//! seeds ± SE. The equilibrium limit (α → ∞) is enforced directly by training a symmetric
//! W.
//!
//! **The coupling layout** is a preset field (see `models::bottleneck::Couplings`). The
//! paper's rules (W depends on (Δm, Δn), every |Δm| ≤ k connected, no self-coupling) and
//! its count (4k − 2) cannot all hold. The primary layout is `full` (6k + 2 = 14 at
//! k = 2), the literal reading of the rules: it gives up only the count, which is the
//! easiest of the four statements to get wrong, and under it an equilibrium W can tell
//! the two chains apart. The previous reading, `rungs` (6 parameters), makes the two
//! chains identical at W = Wᵀ (tested on the exact master equation), which handicaps
//! exactly the equilibrium end the headline measures; it and `zigzag` (4k − 2 for every
//! k) are trained at the two ends of the front for comparison.
//!
//! **The headline** is the cost of forcing equilibrium, as two defined comparisons with
//! bootstrap intervals over seeds (the same number of seeds for every setting): the best
//! α = 0 system against the best equilibrium system, and mean against mean; as relative
//! loss, relative accuracy and accuracy points, for every layout.
//!
//! **fig4c's MSE** is (1/M) Σ (y − ŷ)²; the paper writes 1/(2M). The objective −MSE − αΣ
//! is therefore the paper's with α doubled: α here = 2 α_paper for the same optimum.
//!
//! Other choices where the paper is silent (preset fields, in meta.json): β; the α grid;
//! SPSA gains and iterations; the initial couplings; the run-length rule (the transient
//! also ends after a number of jumps, since 10⁴ jumps end before T = 200: see
//! `fig4a_sensitivity`, which counts them); the readout penalties; open chains.

use anyhow::{Context, Result};
use datasets::{Mnist1dArgs, RandomTask, make_dataset};
use models::bottleneck::{Targets, TaskData};
use serde::Serialize;
use serde_json::json;

use models::bottleneck::{Couplings, TradeOff};

use super::presets::{Fig4aParams, Fig4cParams, SweepParams};
use super::sweep::{
    CostOfEquilibrium, FrontPoint, Trained, best_of, cost_of_equilibrium, cost_table, describe,
    front, health_notes, non_monotone, percent, points, sweep, sweep_choices, systems_table,
    training_table,
};
use crate::pipeline::plot::{self, GREY, PALETTE, Panel, Series};
use crate::pipeline::{Column, FigureOutput, Params, Preset, RunContext, Table, Tolerance};

/// Trained systems reproduce to the last bits of exp/ln on another machine.
const SWEEP_TOLERANCE: Tolerance = Tolerance { abs: 1e-6, rel: 1e-6 };
/// Data sets are generated bit for bit.
const DATA_TOLERANCE: Tolerance = Tolerance { abs: 0.0, rel: 0.0 };

/// The data of a front study (fig4a or fig4c): every trained system of its sweep.
pub struct FrontData {
    /// Spins per chain N.
    pub n: usize,
    /// Task realisations.
    pub realisations: usize,
    /// Every task and how it ended.
    pub results: Vec<Trained>,
}

pub(super) fn mnist_train(samples: usize) -> Result<(TaskData, usize)> {
    let data = make_dataset(&Mnist1dArgs::default())?;
    let n = data.len;
    let available = data.y.len();
    anyhow::ensure!(
        (1..=available).contains(&samples),
        "fig4a: samples = {samples}, but MNIST-1D has {available} training samples"
    );
    let labels = data.y[..samples]
        .iter()
        .map(|&l| usize::try_from(l).context("negative MNIST-1D label"))
        .collect::<Result<Vec<usize>>>()?;
    let task = TaskData {
        x: data.x[..samples * n].to_vec(),
        targets: Targets::Classes { labels, classes: 10 },
    };
    Ok((task, n))
}

/// Trains the MNIST-1D sweep.
pub fn compute_fig4a(p: &Fig4aParams, ctx: &RunContext) -> Result<FrontData> {
    let (task, n) = mnist_train(p.samples)?;
    let fingerprint = serde_json::to_string(p)?;
    let results =
        sweep(ctx, "bottleneck/fig4a", &fingerprint, &p.sweep, n, p.softmax_lambda, &[task])?;
    Ok(FrontData { n, realisations: 1, results })
}

/// Trains the random-task sweep.
pub fn compute_fig4c(p: &Fig4cParams, ctx: &RunContext) -> Result<FrontData> {
    let data: Vec<TaskData> = (0..p.realisations)
        .map(|r| {
            let t = random_task(p, ctx, r)?;
            Ok(TaskData { x: t.x, targets: Targets::Regression(t.y) })
        })
        .collect::<Result<_>>()?;
    let fingerprint = serde_json::to_string(p)?;
    let results = sweep(ctx, "bottleneck/fig4c", &fingerprint, &p.sweep, p.n, 1e-4, &data)?;
    Ok(FrontData { n: p.n, realisations: p.realisations, results })
}

/// The cost of equilibrium of every (layout, realisation) that has both ends, with the
/// bootstrap stream `<study>/bootstrap` [layout, realisation].
fn costs(
    study: &str,
    p: &SweepParams,
    d: &FrontData,
    ctx: &RunContext,
) -> Vec<(Couplings, usize, CostOfEquilibrium)> {
    let layouts = std::iter::once(p.couplings).chain(p.compare.iter().copied());
    let mut out = Vec::new();
    for (li, layout) in layouts.enumerate() {
        for r in 0..d.realisations {
            let mut rng = ctx.rng(&format!("{study}/bootstrap"), &[li as u64, r as u64]);
            if let Some(c) = cost_of_equilibrium(&d.results, layout, r, p.bootstrap, &mut rng) {
                out.push((layout, r, c));
            }
        }
    }
    out
}

/// The series of one realisation's front under the primary layout: the lower envelope,
/// the mean over seeds ± SE, every seed, and the equilibrium end; `value` picks loss or
/// accuracy.
fn front_series(
    p: &SweepParams,
    d: &FrontData,
    r: usize,
    accuracy: bool,
    color: plotters::style::RGBColor,
    prefix: &str,
) -> Vec<Series> {
    let spins = 2.0 * d.n as f64;
    let points = front(&d.results, p.couplings, r, &p.trade_offs(), spins);
    let (neq, eq): (Vec<&FrontPoint>, Vec<&FrontPoint>) =
        points.iter().partition(|q| !q.trade_off.is_equilibrium());
    let mut envelope: Vec<(f64, f64)> = neq
        .iter()
        .map(|q| (q.best_sigma_per_spin, if accuracy { q.best_accuracy } else { q.best_loss }))
        .collect();
    envelope.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut mean: Vec<(f64, f64, f64)> = neq
        .iter()
        .map(|q| {
            if accuracy {
                (q.sigma_per_spin, q.mean_accuracy, 0.0)
            } else {
                (q.sigma_per_spin, q.mean_loss, q.se_loss)
            }
        })
        .collect();
    mean.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut series = vec![
        Series::line(format!("{prefix}best seed per α (lower envelope)"), envelope, color)
            .with_markers(),
        Series::line(
            format!("{prefix}mean over seeds{}", if accuracy { "" } else { " ± SE" }),
            mean.iter().map(|m| (m.0, m.1)).collect(),
            color,
        )
        .dashed()
        .with_errors(mean.iter().map(|m| m.2).collect()),
    ];
    if d.realisations == 1 {
        let every: Vec<(f64, f64)> = d
            .results
            .iter()
            .filter(|t| t.task.layout == p.couplings && !t.task.trade_off.is_equilibrium())
            .filter_map(Trained::system)
            .map(|s| (s.sigma / spins, if accuracy { s.accuracy } else { s.loss }))
            .collect();
        series.push(Series::scatter("every seed and α", every, PALETTE[6]));
    }
    for q in eq {
        let v =
            if accuracy { (q.best_accuracy, q.mean_accuracy) } else { (q.best_loss, q.mean_loss) };
        series.push(Series::scatter(
            format!("{prefix}equilibrium: best, mean"),
            vec![(q.best_sigma_per_spin, v.0), (q.sigma_per_spin, v.1)],
            GREY,
        ));
    }
    series
}

/// The ends (α = 0 and equilibrium, best seed) of each comparison layout.
fn comparison_series(p: &SweepParams, d: &FrontData, r: usize, accuracy: bool) -> Vec<Series> {
    let spins = 2.0 * d.n as f64;
    p.compare
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let pts: Vec<(f64, f64)> = [TradeOff::Alpha(0.0), TradeOff::Equilibrium]
                .iter()
                .filter_map(|&t| best_of(&d.results, c, r, t))
                .map(|s| (s.sigma / spins, if accuracy { s.accuracy } else { s.loss }))
                .collect();
            Series::scatter(
                format!("{} layout: α = 0 and equilibrium, best seed", c.name()),
                pts,
                PALETTE[(i + 3) % PALETTE.len()],
            )
        })
        .collect()
}

/// Headline entries and notes for the cost of equilibrium, the front's shape and the
/// seeds' spread, shared by fig4a and fig4c.
fn front_summary(
    study: &str,
    p: &SweepParams,
    d: &FrontData,
    ctx: &RunContext,
    loss: &str,
    headline: &mut serde_json::Map<String, serde_json::Value>,
    notes: &mut Vec<String>,
) {
    let spins = 2.0 * d.n as f64;
    for (layout, r, c) in costs(study, p, d, ctx) {
        let key = if d.realisations == 1 {
            layout.name().to_owned()
        } else {
            format!("{}_realisation{r}", layout.name())
        };
        headline.insert(format!("cost_of_equilibrium_{key}"), json!(c));
        notes.push(format!(
            "{key}: forcing equilibrium costs {} in {loss} and {} in accuracy ({} points), best \
             α = 0 vs best equilibrium over {} and {} seeds; mean vs mean: {} in {loss}, {} in \
             accuracy ({} points) [95% bootstrap intervals over seeds]",
            percent(c.best_vs_best.relative_loss),
            percent(c.best_vs_best.relative_accuracy),
            points(c.best_vs_best.accuracy_points),
            c.alpha0_seeds,
            c.equilibrium_seeds,
            percent(c.mean_vs_mean.relative_loss),
            percent(c.mean_vs_mean.relative_accuracy),
            points(c.mean_vs_mean.accuracy_points),
        ));
    }
    for r in 0..d.realisations {
        let f = front(&d.results, p.couplings, r, &p.trade_offs(), spins);
        let bad = non_monotone(&f);
        notes.push(if bad.is_empty() {
            format!(
                "realisation {r}: the {} front's mean {loss} does not rise with Σ by more than 2 \
                 SE anywhere (monotone within its error bars)",
                p.couplings.name()
            )
        } else {
            format!(
                "realisation {r}: the {} front's mean {loss} rises with Σ by more than 2 SE from {}",
                p.couplings.name(),
                bad.iter()
                    .map(|(a, b)| format!("{} to {}", describe(*a), describe(*b)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        let ends: Vec<String> = f
            .iter()
            .filter(|q| q.trade_off == TradeOff::Alpha(0.0) || q.trade_off.is_equilibrium())
            .map(|q| format!("{} {:.3} over {} seeds", describe(q.trade_off), q.spread, q.seeds))
            .collect();
        let within = f
            .iter()
            .filter(|q| q.trade_off == TradeOff::Alpha(0.0) || q.trade_off.is_equilibrium())
            .all(|q| q.spread <= p.seed_spread_target);
        notes.push(format!(
            "realisation {r}: spread of {loss} over seeds at the ends of the front: {} (target ≤ \
             {}: {})",
            ends.join(", "),
            p.seed_spread_target,
            if within { "met" } else { "not met" }
        ));
    }
    notes.extend(health_notes(&d.results));
}

/// `bottleneck/fig4a`.
pub fn fig4a(p: &Fig4aParams, d: &FrontData, ctx: &RunContext) -> Result<FigureOutput> {
    let spins = 2.0 * d.n as f64;
    let loss =
        Column::new("cross_entropy", "1", "mean cross-entropy of the softmax readout (nats)");
    let table = systems_table(&d.results, spins, loss);
    let mut headline = serde_json::Map::new();
    headline.insert(
        "paper".into(),
        json!("Fig. 4a: CE falls as Σ/N grows; forcing equilibrium costs ≈5% in CE and ≈7% in accuracy"),
    );
    let mut notes = Vec::new();
    front_summary("bottleneck/fig4a", &p.sweep, d, ctx, "CE", &mut headline, &mut notes);
    notes.push("the paper reports ≈5% in CE and ≈7% in accuracy".into());
    let mut ce = front_series(&p.sweep, d, 0, false, PALETTE[2], "");
    ce.extend(comparison_series(&p.sweep, d, 0, false));
    let mut acc = front_series(&p.sweep, d, 0, true, PALETTE[4], "");
    acc.extend(comparison_series(&p.sweep, d, 0, true));
    let x_label = "Σ / (2N) [nats per unit time per spin]".to_owned();
    let svg = plot::side_by_side(
        &format!(
            "Two spin chains on MNIST-1D ({} samples, N = {}, {} layout): the computation–dissipation front",
            p.samples,
            d.n,
            p.sweep.couplings.name()
        ),
        &[
            Panel {
                title: "cross-entropy".into(),
                x_label: x_label.clone(),
                y_label: "CE [nats]".into(),
                series: ce,
                log_x: false,
            },
            Panel {
                title: "accuracy (training set)".into(),
                x_label,
                y_label: "accuracy".into(),
                series: acc,
                log_x: false,
            },
        ],
    )?;
    let mut choices = sweep_choices(&p.sweep);
    choices.push(format!(
        "softmax readout (10 classes, intercepts, L2 λ = {} on the weights) refitted exactly at \
         every evaluation; CE and accuracy are on the first {} training samples, as in the paper",
        p.softmax_lambda, p.samples
    ));
    let quick = Fig4aParams::preset(Preset::Quick);
    choices.push(format!(
        "the quick preset uses the first {} training samples and {} jumps per input",
        quick.samples, quick.sweep.run.n_max
    ));
    Ok(FigureOutput::new(table, p, svg, SWEEP_TOLERANCE)?
        .choices(choices)
        .headline(headline)
        .notes(notes))
}

/// The training traces of a front study, drawn for realisation 0 of the primary layout.
fn training_figure<P: Serialize>(
    p: &P,
    sweep: &SweepParams,
    d: &FrontData,
    title: &str,
    objective: &'static str,
) -> Result<FigureOutput> {
    let table = training_table(&d.results, objective);
    let settings = sweep.trade_offs();
    let mut series = Vec::new();
    for t in
        d.results.iter().filter(|t| t.task.layout == sweep.couplings && t.task.realisation == 0)
    {
        let Some(s) = t.system() else { continue };
        let i = settings.iter().position(|&x| x == t.task.trade_off).unwrap_or(0);
        let color =
            if t.task.trade_off.is_equilibrium() { GREY } else { PALETTE[(i + 1) % PALETTE.len()] };
        let label = if t.task.seed == 0 { describe(t.task.trade_off) } else { String::new() };
        series.push(Series::line(
            label,
            s.trace.iter().enumerate().map(|(k, &v)| (k as f64, v)).collect(),
            color,
        ));
    }
    let svg = plot::line_chart(title, "SPSA step k", objective, &series, false)?;
    let converged = d
        .results
        .iter()
        .filter_map(Trained::system)
        .filter_map(|s| super::sweep::converged(&s.trace))
        .filter(|c| *c)
        .count();
    let finished = d.results.iter().filter(|t| t.system().is_some()).count();
    let mut headline = serde_json::Map::new();
    headline.insert("tasks".into(), json!(d.results.len()));
    headline.insert("finished".into(), json!(finished));
    headline.insert("converged".into(), json!(converged));
    Ok(FigureOutput::new(table, p, svg, SWEEP_TOLERANCE)?
        .choices(vec![
            "the objective of each step is ½(y₊ + y₋), the mean of the two perturbed evaluations \
             (common random numbers), so it is a noisy estimate of L at θ_k"
                .into(),
            "one line per seed; drawn for realisation 0 of the primary layout, every task in the \
             table"
                .into(),
        ])
        .headline(headline)
        .notes(health_notes(&d.results)))
}

/// The cost of equilibrium of a front study as a figure: each layout's estimates with
/// their intervals.
fn cost_figure<P: Serialize>(
    p: &P,
    study: &str,
    sweep: &SweepParams,
    d: &FrontData,
    ctx: &RunContext,
    title: &str,
) -> Result<FigureOutput> {
    let rows = costs(study, sweep, d, ctx);
    let table = cost_table(&rows);
    let mut panels = Vec::new();
    for (name, pick) in [
        ("relative loss (loss_eq − loss_0)/loss_0 [%]", 0usize),
        ("accuracy points 100 (acc_0 − acc_eq)", 1),
    ] {
        let mut series = Vec::new();
        for (ci, comparison) in ["best vs best", "mean vs mean"].iter().enumerate() {
            for (x, (layout, r, c)) in rows.iter().enumerate() {
                let cost = if ci == 0 { c.best_vs_best } else { c.mean_vs_mean };
                let i = if pick == 0 { cost.relative_loss } else { cost.accuracy_points };
                let scale = if pick == 0 { 100.0 } else { 1.0 };
                let xv = x as f64 + 0.15 * ci as f64;
                let color = PALETTE[(2 * ci + 2) % PALETTE.len()];
                series.push(Series::line(
                    if x == 0 { comparison.to_string() } else { String::new() },
                    vec![(xv, scale * i.lo), (xv, scale * i.hi)],
                    color,
                ));
                series.push(Series::scatter(
                    if ci == 0 && pick == 0 {
                        format!("{x}: {} r{r}", layout.name())
                    } else {
                        String::new()
                    },
                    vec![(xv, scale * i.value)],
                    color,
                ));
            }
        }
        panels.push(Panel {
            title: name.into(),
            x_label: "layout (see legend) and realisation".into(),
            y_label: name.into(),
            series,
            log_x: false,
        });
    }
    let svg = plot::side_by_side(title, &panels)?;
    let mut headline = serde_json::Map::new();
    for (layout, r, c) in &rows {
        headline.insert(format!("{}_realisation{r}", layout.name()), json!(c));
    }
    Ok(FigureOutput::new(table, p, svg, SWEEP_TOLERANCE)?
        .choices(vec![format!(
            "best vs best: the lowest-loss α = 0 system against the lowest-loss equilibrium \
             system; mean vs mean: the means over seeds; 95% percentile intervals from {} \
             bootstrap resamplings of each setting's seeds (stream {study}/bootstrap)",
            sweep.bootstrap
        )])
        .headline(headline))
}

/// `bottleneck/fig4a_training`.
pub fn fig4a_training(p: &Fig4aParams, d: &FrontData, _ctx: &RunContext) -> Result<FigureOutput> {
    training_figure(
        p,
        &p.sweep,
        d,
        "fig4a training: the SPSA objective −CE − αΣ along training (MNIST-1D)",
        "objective −CE − αΣ (nats)",
    )
}

/// `bottleneck/fig4a_cost`.
pub fn fig4a_cost(p: &Fig4aParams, d: &FrontData, ctx: &RunContext) -> Result<FigureOutput> {
    cost_figure(
        p,
        "bottleneck/fig4a",
        &p.sweep,
        d,
        ctx,
        "fig4a: the cost of forcing equilibrium, per coupling layout (paper: ≈5% CE, ≈7% accuracy)",
    )
}

/// `bottleneck/fig4c_training`.
pub fn fig4c_training(p: &Fig4cParams, d: &FrontData, _ctx: &RunContext) -> Result<FigureOutput> {
    training_figure(
        p,
        &p.sweep,
        d,
        "fig4c training: the SPSA objective −MSE − αΣ along training (random task)",
        "objective −MSE − αΣ",
    )
}

/// `bottleneck/fig4c_cost`.
pub fn fig4c_cost(p: &Fig4cParams, d: &FrontData, ctx: &RunContext) -> Result<FigureOutput> {
    cost_figure(
        p,
        "bottleneck/fig4c",
        &p.sweep,
        d,
        ctx,
        "fig4c: the cost of forcing equilibrium in MSE, per coupling layout and realisation",
    )
}

/// Parameters of `bottleneck/fig4b`: which MNIST-1D samples are shown.
#[derive(Debug, Clone, Serialize)]
pub struct Fig4bParams {
    /// The data set (the standard arguments of MNIST-1D, training split).
    pub data_set: &'static str,
    /// The first training sample of each of the digits 0..digits is shown.
    pub digits: i64,
}

impl Params for Fig4bParams {
    fn preset(_: Preset) -> Self {
        Self { data_set: "MNIST-1D, standard arguments (seed 42), training split", digits: 4 }
    }

    fn validate(&self) -> Result<()> {
        anyhow::ensure!(
            (1..=10).contains(&self.digits),
            "digits = {} must be in 1..=10",
            self.digits
        );
        Ok(())
    }
}

/// `bottleneck/fig4b`.
pub fn fig4b(p: &Fig4bParams, _ctx: &RunContext) -> Result<FigureOutput> {
    let data = make_dataset(&Mnist1dArgs::default())?;
    let n = data.len;
    let mut table = Table::new(vec![
        Column::new("sample", "1", "index in the training set"),
        Column::new("label", "1", "digit 0–9"),
        Column::new("position", "1", "component i (the spin it drives)"),
        Column::new("x", "1", "x_i, the field on spin i of both chains"),
    ]);
    let mut series = Vec::new();
    for digit in 0..p.digits {
        let Some(mu) = data.y.iter().position(|&l| l == digit) else { continue };
        let row = &data.x[mu * n..(mu + 1) * n];
        for (i, &v) in row.iter().enumerate() {
            table.push(vec![mu.into(), (digit as f64).into(), i.into(), v.into()]);
        }
        series.push(
            Series::line(
                format!("sample {mu}: digit {digit}"),
                row.iter().enumerate().map(|(i, &v)| (i as f64, v)).collect(),
                PALETTE[(digit as usize + 1) % PALETTE.len()],
            )
            .with_markers(),
        );
    }
    let svg = plot::line_chart(
        &format!("MNIST-1D: one training sample of each of the digits 0–{}", p.digits - 1),
        "position i",
        "x_i",
        &series,
        false,
    )?;
    Ok(FigureOutput::new(table, p, svg, DATA_TOLERANCE)?.choices(vec![format!(
        "the first training sample of each of the digits 0–{}",
        p.digits - 1
    )]))
}

/// Realisation `r` of fig4c's random task, from the stream `bottleneck/fig4c/task` [r].
fn random_task(p: &Fig4cParams, ctx: &RunContext, r: usize) -> Result<RandomTask> {
    Ok(RandomTask::from_rng(p.m, p.n, &mut ctx.rng("bottleneck/fig4c/task", &[r as u64]))?)
}

/// `bottleneck/fig4c`.
pub fn fig4c(p: &Fig4cParams, d: &FrontData, ctx: &RunContext) -> Result<FigureOutput> {
    let spins = 2.0 * p.n as f64;
    let loss = Column::new("mse", "1", "MSE of the least-squares readout, (1/M) Σ (y − ŷ)²");
    let table = systems_table(&d.results, spins, loss);
    let mut series = Vec::new();
    for r in 0..d.realisations {
        series.extend(front_series(
            &p.sweep,
            d,
            r,
            false,
            PALETTE[(r + 1) % PALETTE.len()],
            &format!("realisation {r}: "),
        ));
        series.extend(comparison_series(&p.sweep, d, r, false));
    }
    let mut headline = serde_json::Map::new();
    headline.insert(
        "paper".into(),
        json!("Fig. 4c: the MSE falls as Σ/N grows (a front), equilibrium worst; no numbers in the text"),
    );
    let mut notes = Vec::new();
    front_summary("bottleneck/fig4c", &p.sweep, d, ctx, "MSE", &mut headline, &mut notes);
    let svg = plot::line_chart(
        &format!(
            "Two spin chains, random task (M = {}, N = {}, {} layout): MSE vs Σ per spin",
            p.m,
            p.n,
            p.sweep.couplings.name()
        ),
        "Σ / (2N) [nats per unit time per spin]",
        "MSE",
        &series,
        false,
    )?;
    let mut choices = sweep_choices(&p.sweep);
    choices.push(format!(
        "least-squares readout with intercept and ridge {}; {} task realisations, each drawn from \
         its own stream",
        p.sweep.ridge, p.realisations
    ));
    choices.push(
        "MSE = (1/M) Σ_μ (y_μ − ŷ_μ)², twice the paper's 1/(2M) convention: the objective \
         −MSE − αΣ is the paper's at α_paper = α/2, so every α here is twice the paper's for the \
         same optimum"
            .into(),
    );
    Ok(FigureOutput::new(table, p, svg, SWEEP_TOLERANCE)?
        .choices(choices)
        .headline(headline)
        .notes(notes))
}

/// `bottleneck/fig4d`.
pub fn fig4d(p: &Fig4cParams, ctx: &RunContext) -> Result<FigureOutput> {
    let task = random_task(p, ctx, 0)?;
    let mut table = Table::new(vec![
        Column::new("pattern", "1", "pattern index μ"),
        Column::new("label", "1", "y^μ = ±1"),
        Column::new("position", "1", "component i"),
        Column::new("x", "1", "x_i^μ ~ N(0, 1)"),
    ]);
    let shown = 4.min(task.m);
    let mut series = Vec::new();
    for mu in 0..task.m {
        for (i, &v) in task.pattern(mu).iter().enumerate() {
            table.push(vec![mu.into(), task.y[mu].into(), i.into(), v.into()]);
        }
        if mu < shown {
            series.push(
                Series::line(
                    format!("pattern {mu}, y = {:+}", task.y[mu]),
                    task.pattern(mu).iter().enumerate().map(|(i, &v)| (i as f64, v)).collect(),
                    PALETTE[(mu + 1) % PALETTE.len()],
                )
                .with_markers(),
            );
        }
    }
    let svg = plot::line_chart(
        &format!("Random task (M = {}, N = {}): example patterns (realisation 0)", p.m, p.n),
        "component i",
        "x_i",
        &series,
        false,
    )?;
    Ok(FigureOutput::new(table, p, svg, DATA_TOLERANCE)?.choices(vec![
        "realisation 0 of fig4c's task: the stream bottleneck/fig4c/task [0] of the run seed"
            .into(),
    ]))
}
