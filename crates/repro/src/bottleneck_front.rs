//! Fig. 4 and Fig. 5 of Ingrosso & Panizon (PRE 109, 014132, 2024): the
//! computation–dissipation front of two spin chains trained by SPSA on L = G − αΣ.
//!
//! - `fig4a`: MNIST-1D (N = 40, 10 classes), softmax / cross-entropy readout fitted exactly
//!   at every evaluation; CE and accuracy against Σ per spin.
//! - `fig4b`: MNIST-1D examples.
//! - `fig4c`: the random task (M = 100 patterns, N = 10, x ~ N(0, 1), labels ±1), MSE
//!   readout by least squares; 3 task realisations.
//! - `fig4d`: random-task examples.
//! - `fig5`: the asymmetry A = Σ(W_ij − W_ji)²/ΣW_ij² of the systems trained for `fig4a`,
//!   against Σ. Selected by `fig4` too; in one run it reuses fig4a's sweep.
//!
//! Every (realisation, α, seed) is an independent task with its own random stream; the
//! sweep runs the tasks in parallel and checkpoints each (see [`crate::checkpoint`]), so an
//! interrupted run resumes and gives the same bytes. The front is the lowest loss over
//! seeds at each α, plotted against Σ/(2N), the EP rate per spin (2N spins in the two
//! chains). The equilibrium limit (α → ∞) is enforced directly by training a symmetric W.
//!
//! Choices where the paper is silent (preset fields, in meta.json): β = 1; the coupling
//! structure (k = 2 with rungs between the chains, the reading that gives the paper's
//! 4k − 2 = 6 parameters, see `models::bottleneck::chains`); the α grid; SPSA gains and
//! iterations; the initial couplings (uniform in ±0.5 per seed); the run-length rule (the
//! transient also ends after 2000 jumps, since 10⁴ jumps end before T = 200); the readout
//! penalties (softmax λ = 1e-4, least-squares ridge 1e-6); Σ normalised per spin.

use std::sync::Mutex;

use anyhow::{Context, Result};
use datasets::{Mnist1dArgs, RandomTask, make_dataset};
use learn::Spsa;
use models::bottleneck::chains::{ChainLayout, InterChain, RunLength};
use models::bottleneck::front::{Calibration, Layer, Optimizer, Targets, TaskData};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use serde_json::json;
use stoch_core::stream_rng;

use crate::checkpoint::Checkpoint;
use crate::output::{Cell, Column, FigureOutput, Table, Tolerance};
use crate::plot::{self, GREY, PALETTE, Panel, Series};
use crate::{Figure, Preset, RunContext};

const PAPER: &str = "A. Ingrosso and E. Panizon, Machine learning at the mesoscale: a \
                     computation-dissipation bottleneck, Phys. Rev. E 109, 014132 (2024)";

/// The figures of this module.
pub fn figures() -> Vec<Figure> {
    vec![
        Figure {
            id: "bottleneck/fig4a",
            description: "two spin chains on MNIST-1D: min-over-seeds cross-entropy and accuracy vs Σ per spin, SPSA on −CE − αΣ",
            paper: PAPER,
            run: fig4a,
            part_of: None,
        },
        Figure {
            id: "bottleneck/fig4b",
            description: "examples of MNIST-1D (one per class for the first classes)",
            paper: PAPER,
            run: fig4b,
            part_of: None,
        },
        Figure {
            id: "bottleneck/fig4c",
            description: "two spin chains on the random task: min-over-seeds MSE vs Σ per spin, SPSA on −MSE − αΣ",
            paper: PAPER,
            run: fig4c,
            part_of: None,
        },
        Figure {
            id: "bottleneck/fig4d",
            description: "examples of the random task (M = 100, N = 10)",
            paper: PAPER,
            run: fig4d,
            part_of: None,
        },
        Figure {
            id: "bottleneck/fig5",
            description: "asymmetry A of the couplings trained for fig4a (MNIST-1D) vs Σ",
            paper: PAPER,
            run: fig5,
            part_of: Some("fig4"),
        },
    ]
}

/// What every front sweep shares: the layer, the α grid and the SPSA settings.
#[derive(Debug, Clone, Serialize)]
pub struct SweepParams {
    /// Coupling range k.
    pub k: usize,
    /// Couplings between the chains.
    pub inter: InterChain,
    /// Inverse temperature β.
    pub beta: f64,
    /// Per-input run length.
    pub run: RunLength,
    /// Trade-off values α (time units; the equilibrium limit is added).
    pub alphas: Vec<f64>,
    /// Seeds (initialisations) per α.
    pub seeds: usize,
    /// SPSA iterations.
    pub spsa_iterations: usize,
    /// SPSA step gain a.
    pub spsa_a: f64,
    /// SPSA perturbation c.
    pub spsa_c: f64,
    /// When set, a is calibrated per task by Spall's rule so that the first steps move
    /// each coupling by this much (`spsa_a` is then unused).
    pub spsa_target_step: Option<f64>,
    /// Gradient estimates averaged by the calibration.
    pub spsa_calibration_samples: usize,
    /// Initial couplings uniform in ±this.
    pub init_half_width: f64,
    /// Ridge penalty of the least-squares readout (MSE tasks).
    pub ridge: f64,
}

impl SweepParams {
    fn paper_defaults() -> Self {
        Self {
            k: 2,
            inter: InterChain::Rungs,
            beta: 1.0,
            run: RunLength::paper(),
            alphas: vec![0.0, 0.003, 0.01, 0.03, 0.1],
            seeds: 10,
            spsa_iterations: 200,
            spsa_a: 0.2,
            spsa_c: 0.2,
            spsa_target_step: None,
            spsa_calibration_samples: 0,
            init_half_width: 0.5,
            ridge: 1e-6,
        }
    }
}

/// Parameters of `bottleneck/fig4c`.
#[derive(Debug, Clone, Serialize)]
pub struct Fig4cParams {
    /// Patterns M.
    pub m: usize,
    /// Spins per chain N (= input dimension).
    pub n: usize,
    /// Task realisations.
    pub realisations: usize,
    /// Layer, α grid and SPSA.
    #[serde(flatten)]
    pub sweep: SweepParams,
}

impl Fig4cParams {
    fn new(preset: Preset) -> Self {
        let base = Self { m: 100, n: 10, realisations: 3, sweep: SweepParams::paper_defaults() };
        match preset {
            Preset::Quick => Self {
                realisations: 1,
                sweep: SweepParams {
                    seeds: 2,
                    spsa_iterations: 30,
                    alphas: vec![0.0, 0.01, 0.1],
                    ..base.sweep
                },
                ..base
            },
            Preset::Paper => base,
        }
    }
}

/// Parameters of `bottleneck/fig4a` and `fig5`.
#[derive(Debug, Clone, Serialize)]
pub struct Fig4aParams {
    /// Training samples used (the first ones of the standard 4000; the paper uses 4000).
    pub samples: usize,
    /// L2 penalty λ of the softmax readout.
    pub softmax_lambda: f64,
    /// Layer, α grid and SPSA.
    #[serde(flatten)]
    pub sweep: SweepParams,
}

impl Fig4aParams {
    fn new(preset: Preset) -> Self {
        let sweep = SweepParams {
            alphas: vec![0.0, 3e-4, 1e-3, 3e-3, 1e-2],
            // Four seeds: with two, the seeds of one α differed by up to 0.34 nats, so
            // the best over seeds was mostly seed luck (paper preset, 60 steps).
            seeds: 4,
            spsa_iterations: 60,
            spsa_c: 0.1,
            spsa_target_step: Some(0.1),
            spsa_calibration_samples: 4,
            ..SweepParams::paper_defaults()
        };
        match preset {
            Preset::Quick => Self {
                samples: 1000,
                softmax_lambda: 1e-4,
                sweep: SweepParams {
                    run: RunLength {
                        t_max: 5000.0,
                        n_max: 4000,
                        transient_time: 200.0,
                        transient_jumps: 800,
                    },
                    alphas: vec![0.0, 1e-3, 1e-2],
                    seeds: 2,
                    spsa_iterations: 50,
                    ..sweep
                },
            },
            Preset::Paper => Self { samples: 4000, softmax_lambda: 1e-4, sweep },
        }
    }
}

/// One trained system.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Trained {
    realisation: usize,
    /// α, or None for the enforced equilibrium.
    alpha: Option<f64>,
    seed: usize,
    /// MSE or mean cross-entropy (nats).
    loss: f64,
    accuracy: f64,
    sigma: f64,
    asymmetry: f64,
    theta: Vec<f64>,
}

/// Finished sweeps of this process, by fingerprint: `fig5` reuses `fig4a`'s.
static SWEEPS: Mutex<Vec<(String, Vec<Trained>)>> = Mutex::new(Vec::new());

/// The α settings of a sweep: the grid, then `None` for the enforced equilibrium.
fn settings(p: &SweepParams) -> Vec<Option<f64>> {
    p.alphas.iter().map(|&a| Some(a)).chain(std::iter::once(None)).collect()
}

/// Trains every (realisation, α, seed) of the sweep on `data[realisation]`.
fn sweep(
    ctx: &RunContext,
    figure: &str,
    fingerprint: &str,
    p: &SweepParams,
    n: usize,
    softmax_lambda: f64,
    data: &[TaskData],
) -> Result<Vec<Trained>> {
    let fingerprint = format!("{figure}|{fingerprint}|{}|{}", ctx.seed, ctx.preset.name());
    if let Some((_, done)) =
        SWEEPS.lock().expect("no panics while held").iter().find(|(f, _)| *f == fingerprint)
    {
        return Ok(done.clone());
    }
    let layout = ChainLayout { n, k: p.k, inter: p.inter, periodic: false };
    let settings = settings(p);
    let tasks: Vec<(usize, Option<f64>, usize)> = (0..data.len())
        .flat_map(|r| settings.iter().flat_map(move |&a| (0..p.seeds).map(move |s| (r, a, s))))
        .collect();
    let checkpoint =
        ctx.checkpoint_root.as_ref().map(|root| Checkpoint::new(root, figure, &fingerprint));
    let steps = p.spsa_iterations.max(1) as u64;
    let pb = ctx.progress_bar(tasks.len() as u64 * steps, &format!("{figure}: SPSA steps"));
    if let Some(c) = &checkpoint {
        pb.inc(c.count_finished(tasks.len()) as u64 * steps);
    }
    let run_task = |i: usize| -> Result<Trained> {
        let (r, alpha, s) = tasks[i];
        let layer = Layer {
            layout: layout.clone(),
            beta: p.beta,
            run: p.run,
            ridge: p.ridge,
            softmax_lambda,
            equilibrium: alpha.is_none(),
        };
        let mut rng = stream_rng(ctx.seed ^ 0x0f4c, i as u64);
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
        let (theta, e) = layer
            .train(&data[r], alpha.unwrap_or(0.0), &optimizer, &theta0, &mut rng, |_| pb.inc(1))
            .with_context(|| format!("training realisation {r}, α = {alpha:?}, seed {s}"))?;
        Ok(Trained {
            realisation: r,
            alpha,
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
        None => {
            use rayon::prelude::*;
            (0..tasks.len()).into_par_iter().map(run_task).collect::<Result<_>>()?
        }
    };
    pb.finish_and_clear();
    SWEEPS.lock().expect("no panics while held").push((fingerprint, results.clone()));
    Ok(results)
}

/// The lowest-loss system among the seeds of (realisation, α).
fn best_of(results: &[Trained], r: usize, a: Option<f64>) -> Option<&Trained> {
    results
        .iter()
        .filter(|t| t.realisation == r && t.alpha == a)
        .min_by(|x, y| x.loss.total_cmp(&y.loss))
}

/// The table of every trained system, with its loss column named `loss_name`.
fn systems_table(
    results: &[Trained],
    settings: &[Option<f64>],
    realisations: usize,
    spins: f64,
    loss_name: &'static str,
    loss_meaning: &'static str,
) -> Table {
    let mut table = Table::new(vec![
        Column { name: "realisation", unit: "1", meaning: "task realisation" },
        Column {
            name: "alpha",
            unit: "time",
            meaning: "trade-off α (empty: equilibrium W = Wᵀ enforced)",
        },
        Column { name: "seed", unit: "1", meaning: "initialisation" },
        Column { name: loss_name, unit: "1", meaning: loss_meaning },
        Column { name: "accuracy", unit: "1", meaning: "fraction of inputs classified right" },
        Column { name: "sigma_per_spin", unit: "nats per unit time", meaning: "Σ/(2N)" },
        Column { name: "asymmetry", unit: "1", meaning: "A = Σ(W_ij − W_ji)²/ΣW_ij²" },
        Column {
            name: "best_over_seeds",
            unit: "",
            meaning: "lowest loss among the seeds of this (realisation, α)",
        },
    ]);
    for r in 0..realisations {
        for &a in settings {
            let best = best_of(results, r, a);
            for t in results.iter().filter(|t| t.realisation == r && t.alpha == a) {
                table.push(vec![
                    (r as f64).into(),
                    t.alpha.map_or(Cell::Empty, Cell::Num),
                    (t.seed as f64).into(),
                    t.loss.into(),
                    t.accuracy.into(),
                    (t.sigma / spins).into(),
                    t.asymmetry.into(),
                    if best.is_some_and(|b| std::ptr::eq(t, b)) { "true" } else { "false" }.into(),
                ]);
            }
        }
    }
    table
}

/// The front of one realisation: (Σ/(2N), loss, accuracy) of the best system per α,
/// sorted by Σ, and the best equilibrium system.
fn front(
    results: &[Trained],
    settings: &[Option<f64>],
    r: usize,
    spins: f64,
) -> (Vec<(f64, f64, f64)>, Option<Trained>) {
    let mut points: Vec<(f64, f64, f64)> = settings
        .iter()
        .filter(|a| a.is_some())
        .filter_map(|&a| best_of(results, r, a))
        .map(|t| (t.sigma / spins, t.loss, t.accuracy))
        .collect();
    points.sort_by(|x, y| x.0.total_cmp(&y.0));
    (points, best_of(results, r, None).cloned())
}

fn mnist_train(samples: usize) -> Result<(TaskData, usize)> {
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

fn fig4a_sweep(ctx: &RunContext) -> Result<(Fig4aParams, usize, Vec<Trained>)> {
    let p = Fig4aParams::new(ctx.preset);
    let (task, n) = mnist_train(p.samples)?;
    let fingerprint = serde_json::to_string(&p)?;
    let results =
        sweep(ctx, "bottleneck/fig4a", &fingerprint, &p.sweep, n, p.softmax_lambda, &[task])?;
    Ok((p, n, results))
}

fn fig4a(ctx: &RunContext) -> Result<FigureOutput> {
    let (p, n, results) = fig4a_sweep(ctx)?;
    let spins = 2.0 * n as f64;
    let settings = settings(&p.sweep);
    let table = systems_table(
        &results,
        &settings,
        1,
        spins,
        "cross_entropy",
        "mean cross-entropy of the softmax readout (nats)",
    );
    let (points, eq) = front(&results, &settings, 0, spins);
    let eq = eq.context("the sweep has an equilibrium setting")?;
    let best = points
        .iter()
        .copied()
        .min_by(|x, y| x.1.total_cmp(&y.1))
        .context("the sweep has at least one α")?;
    let best_acc = points.iter().map(|q| q.2).fold(f64::NEG_INFINITY, f64::max);
    let ce_cost = (eq.loss - best.1) / best.1;
    let acc_cost = (best_acc - eq.accuracy) / best_acc;
    let mut headline = serde_json::Map::new();
    headline.insert("ce_equilibrium".into(), json!(eq.loss));
    headline.insert("ce_best_nonequilibrium".into(), json!(best.1));
    headline.insert("ce_relative_cost_of_equilibrium".into(), json!(ce_cost));
    headline.insert("accuracy_equilibrium".into(), json!(eq.accuracy));
    headline.insert("accuracy_best_nonequilibrium".into(), json!(best_acc));
    headline.insert("accuracy_relative_cost_of_equilibrium".into(), json!(acc_cost));
    headline.insert(
        "paper".into(),
        json!("Fig. 4a: CE falls as Σ/N grows; forcing equilibrium costs ≈5% in CE and ≈7% in accuracy"),
    );
    let mut notes = vec![format!(
        "forcing equilibrium costs {:.1}% in cross-entropy ({:.4} vs {:.4}) and {:.1}% in accuracy \
         ({:.3} vs {:.3}); the paper reports ≈5% and ≈7%",
        100.0 * ce_cost,
        eq.loss,
        best.1,
        100.0 * acc_cost,
        eq.accuracy,
        best_acc
    )];
    if ce_cost < 0.0 {
        notes.push(
            "the enforced equilibrium reached a lower CE than every α: the front is not \
             converged at this number of SPSA steps"
                .into(),
        );
    }
    let all_points = |a: Option<f64>| -> Vec<(f64, f64)> {
        results.iter().filter(|t| t.alpha == a).map(|t| (t.sigma / spins, t.loss)).collect()
    };
    let mut ce_series = vec![Series {
        label: "best over seeds per α".into(),
        points: points.iter().map(|q| (q.0, q.1)).collect(),
        color: PALETTE[2],
        dashed: false,
        markers: true,
        points_only: false,
        errors: vec![],
    }];
    ce_series.push(Series {
        label: "every seed and α".into(),
        points: settings.iter().filter(|a| a.is_some()).flat_map(|&a| all_points(a)).collect(),
        color: PALETTE[6],
        dashed: false,
        markers: true,
        points_only: true,
        errors: vec![],
    });
    ce_series.push(Series {
        label: "equilibrium (W = Wᵀ), best seed".into(),
        points: vec![(eq.sigma / spins, eq.loss)],
        color: GREY,
        dashed: false,
        markers: true,
        points_only: true,
        errors: vec![],
    });
    let acc_series = vec![
        Series {
            label: "best over seeds per α".into(),
            points: points.iter().map(|q| (q.0, q.2)).collect(),
            color: PALETTE[4],
            dashed: false,
            markers: true,
            points_only: false,
            errors: vec![],
        },
        Series {
            label: "equilibrium (W = Wᵀ)".into(),
            points: vec![(eq.sigma / spins, eq.accuracy)],
            color: GREY,
            dashed: false,
            markers: true,
            points_only: true,
            errors: vec![],
        },
    ];
    let x_label = "Σ / (2N) [nats per unit time per spin]".to_owned();
    let svg = plot::side_by_side(
        &format!(
            "Two spin chains on MNIST-1D ({} samples, N = {n}): the computation–dissipation front",
            p.samples
        ),
        &[
            Panel {
                title: "cross-entropy".into(),
                x_label: x_label.clone(),
                y_label: "CE [nats]".into(),
                series: ce_series,
                log_x: false,
            },
            Panel {
                title: "accuracy (training set)".into(),
                x_label,
                y_label: "accuracy".into(),
                series: acc_series,
                log_x: false,
            },
        ],
    )?;
    Ok(FigureOutput {
        table,
        params: serde_json::to_value(&p)?,
        choices: vec![
            "β = 1; k = 2 with rungs between the chains (6 parameters = the paper's 4k − 2 at k = 2)".into(),
            "run length: T_max = 5000, N_max jumps, transient 200 time units or 20% of N_max jumps, whichever first".into(),
            "SPSA (Spall gains α = 0.602, γ = 0.101, A = 10% of the iterations), a calibrated per task by Spall's rule \
             (first steps move each coupling by 0.1, from 4 gradient estimates at θ₀), c = 0.1, common random numbers \
             for the ± pair, the Polyak–Ruppert average of the second half evaluated with fresh noise; initial \
             couplings uniform in ±0.5"
                .into(),
            "softmax readout (10 classes, intercepts, L2 λ = 1e-4 on the weights) refitted exactly at every evaluation; \
             CE and accuracy are on the training samples, as in the paper"
                .into(),
            "the quick preset uses the first 1000 training samples and 4000 jumps per input".into(),
            "Σ per spin: Σ/(2N), the 2N spins of both chains".into(),
            "equilibrium costs: (CE_eq − CE_best)/CE_best with CE_best the lowest CE over α, and \
             (acc_best − acc_eq)/acc_best with acc_best the highest accuracy over α"
                .into(),
        ],
        headline,
        notes,
        svg,
        tolerance: Tolerance { abs: 1e-6, rel: 1e-6 },
    })
}

fn fig5(ctx: &RunContext) -> Result<FigureOutput> {
    let (p, _, results) = fig4a_sweep(ctx)?;
    let mut table = Table::new(vec![
        Column {
            name: "alpha",
            unit: "time",
            meaning: "trade-off α (empty: equilibrium W = Wᵀ enforced)",
        },
        Column { name: "seed", unit: "1", meaning: "initialisation" },
        Column { name: "sigma", unit: "nats per unit time", meaning: "Σ, EP rate of the layer" },
        Column { name: "asymmetry", unit: "1", meaning: "A = Σ(W_ij − W_ji)²/ΣW_ij²" },
        Column { name: "cross_entropy", unit: "nats", meaning: "CE of the trained system" },
    ]);
    let mut series = Vec::new();
    for (i, &a) in settings(&p.sweep).iter().enumerate() {
        let group: Vec<&Trained> = results.iter().filter(|t| t.alpha == a).collect();
        for t in &group {
            table.push(vec![
                t.alpha.map_or(Cell::Empty, Cell::Num),
                (t.seed as f64).into(),
                t.sigma.into(),
                t.asymmetry.into(),
                t.loss.into(),
            ]);
        }
        series.push(Series {
            label: match a {
                Some(a) => format!("α = {a}"),
                None => "equilibrium (W = Wᵀ)".into(),
            },
            points: group.iter().map(|t| (t.sigma, t.asymmetry)).collect(),
            color: if a.is_none() { GREY } else { PALETTE[(i + 1) % PALETTE.len()] },
            dashed: false,
            markers: true,
            points_only: true,
            errors: vec![],
        });
    }
    let noneq: Vec<(f64, f64)> =
        results.iter().filter(|t| t.alpha.is_some()).map(|t| (t.sigma, t.asymmetry)).collect();
    let rho = spearman(&noneq);
    let mut headline = serde_json::Map::new();
    headline.insert("spearman_sigma_asymmetry".into(), json!(rho));
    headline.insert("systems".into(), json!(results.len()));
    headline.insert(
        "paper".into(),
        json!("Fig. 5: A grows with Σ (more dissipative optima are more asymmetric)"),
    );
    let svg = plot::line_chart(
        &format!("Asymmetry of the trained couplings vs Σ (MNIST-1D, {} samples)", p.samples),
        "Σ [nats per unit time]",
        "A = Σ(W_ij − W_ji)² / Σ W_ij²",
        &series,
        false,
    )?;
    Ok(FigureOutput {
        table,
        params: serde_json::to_value(&p)?,
        choices: vec![
            "every system trained for fig4a (all α and seeds), not only the best per α".into(),
            "Σ of the whole layer (both chains), as the paper's Fig. 5 axis".into(),
            "trend measured by Spearman's rank correlation over the non-equilibrium systems".into(),
        ],
        headline,
        notes: vec![format!("Spearman rank correlation between Σ and A: {rho:.3}")],
        svg,
        tolerance: Tolerance { abs: 1e-6, rel: 1e-6 },
    })
}

/// Spearman's rank correlation of (x, y) pairs (average ranks for ties); NaN below 3 pairs.
fn spearman(pairs: &[(f64, f64)]) -> f64 {
    if pairs.len() < 3 {
        return f64::NAN;
    }
    let ranks = |v: Vec<f64>| -> Vec<f64> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
                j += 1;
            }
            for &k in &idx[i..=j] {
                r[k] = (i + j) as f64 / 2.0;
            }
            i = j + 1;
        }
        r
    };
    let rx = ranks(pairs.iter().map(|p| p.0).collect());
    let ry = ranks(pairs.iter().map(|p| p.1).collect());
    let n = rx.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = rx.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = ry.iter().map(|b| (b - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}

fn fig4b(_ctx: &RunContext) -> Result<FigureOutput> {
    let data = make_dataset(&Mnist1dArgs::default())?;
    let n = data.len;
    let mut table = Table::new(vec![
        Column { name: "sample", unit: "1", meaning: "index in the training set" },
        Column { name: "label", unit: "1", meaning: "digit 0–9" },
        Column { name: "position", unit: "1", meaning: "component i (the spin it drives)" },
        Column { name: "x", unit: "1", meaning: "x_i, the field on spin i of both chains" },
    ]);
    // The first training sample of each of the first four digits.
    let mut series = Vec::new();
    for digit in 0..4i64 {
        let Some(mu) = data.y.iter().position(|&l| l == digit) else { continue };
        let row = &data.x[mu * n..(mu + 1) * n];
        for (i, &v) in row.iter().enumerate() {
            table.push(vec![
                (mu as f64).into(),
                (digit as f64).into(),
                (i as f64).into(),
                v.into(),
            ]);
        }
        series.push(Series {
            label: format!("sample {mu}: digit {digit}"),
            points: row.iter().enumerate().map(|(i, &v)| (i as f64, v)).collect(),
            color: PALETTE[(digit as usize + 1) % PALETTE.len()],
            dashed: false,
            markers: true,
            points_only: false,
            errors: vec![],
        });
    }
    let svg = plot::line_chart(
        "MNIST-1D: one training sample of each of the digits 0–3",
        "position i",
        "x_i",
        &series,
        false,
    )?;
    Ok(FigureOutput {
        table,
        params: json!({ "data_set": "MNIST-1D, standard arguments (seed 42), training split" }),
        choices: vec!["the first training sample of each of the digits 0–3".into()],
        headline: serde_json::Map::new(),
        notes: vec![],
        svg,
        tolerance: Tolerance { abs: 0.0, rel: 0.0 },
    })
}

fn fig4c(ctx: &RunContext) -> Result<FigureOutput> {
    let p = Fig4cParams::new(ctx.preset);
    let data: Vec<TaskData> = (0..p.realisations)
        .map(|r| {
            let t = RandomTask::new(p.m, p.n, ctx.seed.wrapping_add(r as u64))?;
            Ok(TaskData { x: t.x, targets: Targets::Regression(t.y) })
        })
        .collect::<Result<_>>()?;
    let fingerprint = serde_json::to_string(&p)?;
    let results = sweep(ctx, "bottleneck/fig4c", &fingerprint, &p.sweep, p.n, 1e-4, &data)?;
    let spins = 2.0 * p.n as f64;
    let settings = settings(&p.sweep);
    let table = systems_table(
        &results,
        &settings,
        p.realisations,
        spins,
        "mse",
        "MSE of the least-squares readout",
    );
    let mut series = Vec::new();
    let mut headline = serde_json::Map::new();
    let mut notes = Vec::new();
    for r in 0..p.realisations {
        let (points, eq) = front(&results, &settings, r, spins);
        let best_neq = points.iter().map(|f| f.1).fold(f64::INFINITY, f64::min);
        if let Some(eq) = eq {
            headline.insert(format!("realisation{r}_mse_equilibrium"), json!(eq.loss));
            headline.insert(format!("realisation{r}_mse_best_nonequilibrium"), json!(best_neq));
            series.push(Series {
                label: format!("realisation {r}: equilibrium (W = Wᵀ)"),
                points: vec![(eq.sigma / spins, eq.loss)],
                color: GREY,
                dashed: false,
                markers: true,
                points_only: true,
                errors: vec![],
            });
            if eq.loss < best_neq {
                notes.push(format!(
                    "realisation {r}: the enforced equilibrium reached a lower MSE ({:.4}) than every α ({best_neq:.4}): \
                     with this few SPSA steps the front is not converged",
                    eq.loss
                ));
            }
        }
        series.push(Series {
            label: format!("realisation {r}: best over seeds per α"),
            points: points.iter().map(|q| (q.0, q.1)).collect(),
            color: PALETTE[(r + 1) % PALETTE.len()],
            dashed: false,
            markers: true,
            points_only: false,
            errors: vec![],
        });
    }
    headline.insert(
        "paper".into(),
        json!("Fig. 4c: the MSE falls as Σ/N grows (a front), equilibrium worst; no numbers in the text"),
    );
    let svg = plot::line_chart(
        "Two spin chains, random task (M = 100, N = 10): MSE vs Σ per spin",
        "Σ / (2N) [nats per unit time per spin]",
        "MSE",
        &series,
        false,
    )?;
    Ok(FigureOutput {
        table,
        params: serde_json::to_value(&p)?,
        choices: vec![
            "β = 1; k = 2 with rungs between the chains (6 parameters = the paper's 4k − 2 at k = 2)".into(),
            "run length: T_max = 5000, N_max = 10⁴ jumps, transient 200 time units or 2000 jumps, whichever first".into(),
            "SPSA (Spall gains α = 0.602, γ = 0.101, A = 10% of the iterations), common random numbers for the ± pair, \
             the Polyak–Ruppert average of the second half evaluated with fresh noise; initial couplings uniform in ±0.5"
                .into(),
            "Σ per spin: Σ/(2N), the 2N spins of both chains".into(),
        ],
        headline,
        notes,
        svg,
        tolerance: Tolerance { abs: 1e-6, rel: 1e-6 },
    })
}

fn fig4d(ctx: &RunContext) -> Result<FigureOutput> {
    let p = Fig4cParams::new(ctx.preset);
    let task = RandomTask::new(p.m, p.n, ctx.seed)?;
    let mut table = Table::new(vec![
        Column { name: "pattern", unit: "1", meaning: "pattern index μ" },
        Column { name: "label", unit: "1", meaning: "y^μ = ±1" },
        Column { name: "position", unit: "1", meaning: "component i" },
        Column { name: "x", unit: "1", meaning: "x_i^μ ~ N(0, 1)" },
    ]);
    let shown = 4.min(task.m);
    let mut series = Vec::new();
    for mu in 0..task.m {
        for (i, &v) in task.pattern(mu).iter().enumerate() {
            table.push(vec![(mu as f64).into(), task.y[mu].into(), (i as f64).into(), v.into()]);
        }
        if mu < shown {
            series.push(Series {
                label: format!("pattern {mu}, y = {:+}", task.y[mu]),
                points: task.pattern(mu).iter().enumerate().map(|(i, &v)| (i as f64, v)).collect(),
                color: PALETTE[(mu + 1) % PALETTE.len()],
                dashed: false,
                markers: true,
                points_only: false,
                errors: vec![],
            });
        }
    }
    let svg = plot::line_chart(
        "Random task: example patterns (realisation 0)",
        "component i",
        "x_i",
        &series,
        false,
    )?;
    Ok(FigureOutput {
        table,
        params: serde_json::to_value(&p)?,
        choices: vec!["realisation 0 of fig4c (task seed = --seed)".into()],
        headline: serde_json::Map::new(),
        notes: vec![],
        svg,
        tolerance: Tolerance { abs: 0.0, rel: 0.0 },
    })
}
