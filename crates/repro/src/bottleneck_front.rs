//! Fig. 4c–d of Ingrosso & Panizon (PRE 109, 014132, 2024): the computation–dissipation
//! front of two spin chains trained by SPSA on the random task (M = 100 patterns, N = 10,
//! x ~ N(0, 1), labels ±1, MSE readout by least squares).
//!
//! Every (task realisation, α, seed) is an independent, seeded task; the sweep runs them
//! in parallel and checkpoints each (see [`crate::checkpoint`]), so an interrupted run
//! resumes. The front is the minimum MSE over seeds at each α, plotted against Σ/(2N)
//! (the EP rate per spin). The equilibrium limit (α → ∞) is enforced directly by
//! training a symmetric W.
//!
//! Choices where the paper is silent (preset fields, in meta.json): β = 1; the coupling
//! structure (k = 2 with rungs between the chains, the reading that gives the paper's
//! 4k − 2 = 6 parameters, see `models::bottleneck::chains`); the α grid; SPSA gains and
//! iterations; the initial couplings (uniform in ±0.5 per seed); the run-length rule
//! (the transient also ends after 2000 jumps, since 10⁴ jumps end before T = 200).

use anyhow::Result;
use datasets::RandomTask;
use learn::Spsa;
use models::bottleneck::chains::{ChainLayout, InterChain, RunLength};
use models::bottleneck::front::{Layer, Targets, TaskData};
use rand::RngExt;
use serde::{Deserialize, Serialize};
use serde_json::json;
use stoch_core::stream_rng;

use crate::checkpoint::Checkpoint;
use crate::output::{Cell, Column, FigureOutput, Table, Tolerance};
use crate::plot::{self, GREY, PALETTE, Series};
use crate::{Figure, Preset, RunContext};

const PAPER: &str = "A. Ingrosso and E. Panizon, Machine learning at the mesoscale: a \
                     computation-dissipation bottleneck, Phys. Rev. E 109, 014132 (2024)";

/// The figures of this module.
pub fn figures() -> Vec<Figure> {
    vec![
        Figure {
            id: "bottleneck/fig4c",
            description: "two spin chains on the random task: min-over-seeds MSE vs Σ per spin, SPSA on −MSE − αΣ",
            paper: PAPER,
            run: fig4c,
        },
        Figure {
            id: "bottleneck/fig4d",
            description: "examples of the random task (M = 100, N = 10)",
            paper: PAPER,
            run: fig4d,
        },
    ]
}

/// Parameters of `bottleneck/fig4c`.
#[derive(Debug, Clone, Serialize)]
pub struct Fig4cParams {
    /// Patterns M.
    pub m: usize,
    /// Spins per chain N (= input dimension).
    pub n: usize,
    /// Coupling range k.
    pub k: usize,
    /// Couplings between the chains.
    pub inter: InterChain,
    /// Inverse temperature β.
    pub beta: f64,
    /// Per-input run length.
    pub run: RunLength,
    /// Trade-off values α (the equilibrium limit is added).
    pub alphas: Vec<f64>,
    /// Seeds (initialisations) per α.
    pub seeds: usize,
    /// Task realisations.
    pub realisations: usize,
    /// SPSA iterations.
    pub spsa_iterations: usize,
    /// SPSA step gain a.
    pub spsa_a: f64,
    /// SPSA perturbation c.
    pub spsa_c: f64,
    /// Ridge penalty of the readout.
    pub ridge: f64,
}

impl Fig4cParams {
    fn new(preset: Preset) -> Self {
        let base = Self {
            m: 100,
            n: 10,
            k: 2,
            inter: InterChain::Rungs,
            beta: 1.0,
            run: RunLength::paper(),
            alphas: vec![0.0, 0.003, 0.01, 0.03, 0.1],
            seeds: 10,
            realisations: 3,
            spsa_iterations: 200,
            spsa_a: 0.2,
            spsa_c: 0.2,
            ridge: 1e-6,
        };
        match preset {
            Preset::Quick => Self {
                seeds: 2,
                realisations: 1,
                spsa_iterations: 30,
                alphas: vec![0.0, 0.01, 0.1],
                ..base
            },
            Preset::Paper => base,
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
    mse: f64,
    accuracy: f64,
    sigma: f64,
    asymmetry: f64,
    theta: Vec<f64>,
}

fn fig4c(ctx: &RunContext) -> Result<FigureOutput> {
    let p = Fig4cParams::new(ctx.preset);
    let layout = ChainLayout { n: p.n, k: p.k, inter: p.inter, periodic: false };
    let mut settings: Vec<Option<f64>> = p.alphas.iter().map(|&a| Some(a)).collect();
    settings.push(None);
    let tasks: Vec<(usize, Option<f64>, usize)> = (0..p.realisations)
        .flat_map(|r| settings.iter().flat_map(move |&a| (0..p.seeds).map(move |s| (r, a, s))))
        .collect();
    let data: Vec<TaskData> = (0..p.realisations)
        .map(|r| {
            let t = RandomTask::new(p.m, p.n, ctx.seed.wrapping_add(r as u64))?;
            Ok(TaskData { x: t.x, targets: Targets::Regression(t.y) })
        })
        .collect::<Result<_>>()?;
    let pb = ctx.progress_bar(tasks.len() as u64, "fig4c: SPSA sweep");
    let run_task = |i: usize| -> Result<Trained> {
        let (r, alpha, s) = tasks[i];
        let layer = Layer {
            layout: layout.clone(),
            beta: p.beta,
            run: p.run,
            ridge: p.ridge,
            equilibrium: alpha.is_none(),
        };
        let mut rng = stream_rng(ctx.seed ^ 0x0f4c, i as u64);
        let theta0: Vec<f64> =
            (0..layout.n_params()).map(|_| rng.random_range(-0.5..0.5)).collect();
        let spsa = Spsa::new(p.spsa_iterations, p.spsa_a, p.spsa_c);
        let (theta, e) = layer.train(&data[r], alpha.unwrap_or(0.0), &spsa, &theta0, &mut rng)?;
        pb.inc(1);
        Ok(Trained {
            realisation: r,
            alpha,
            seed: s,
            mse: e.loss,
            accuracy: e.accuracy,
            sigma: e.sigma,
            asymmetry: e.asymmetry,
            theta,
        })
    };
    let results: Vec<Trained> = match &ctx.checkpoint_root {
        Some(root) => {
            let fingerprint =
                format!("{}|{}|{}", serde_json::to_string(&p)?, ctx.seed, ctx.preset.name());
            Checkpoint::new(root, "bottleneck/fig4c", &fingerprint).run(tasks.len(), run_task)?
        }
        None => {
            use rayon::prelude::*;
            (0..tasks.len()).into_par_iter().map(run_task).collect::<Result<_>>()?
        }
    };
    pb.finish_and_clear();
    let spins = 2.0 * p.n as f64;
    let mut table = Table::new(vec![
        Column { name: "realisation", unit: "1", meaning: "task realisation" },
        Column {
            name: "alpha",
            unit: "time",
            meaning: "trade-off α (empty: equilibrium W = Wᵀ enforced)",
        },
        Column { name: "seed", unit: "1", meaning: "initialisation" },
        Column { name: "mse", unit: "1", meaning: "MSE of the least-squares readout" },
        Column { name: "accuracy", unit: "1", meaning: "fraction of patterns with the right sign" },
        Column { name: "sigma_per_spin", unit: "nats per unit time", meaning: "Σ/(2N)" },
        Column { name: "asymmetry", unit: "1", meaning: "A = Σ(W_ij − W_ji)²/ΣW_ij²" },
        Column {
            name: "best_over_seeds",
            unit: "",
            meaning: "lowest MSE among the seeds of this (realisation, α)",
        },
    ]);
    let mut series = Vec::new();
    let mut headline = serde_json::Map::new();
    let mut notes = Vec::new();
    for r in 0..p.realisations {
        let mut front = Vec::new();
        let mut eq_best: Option<&Trained> = None;
        for &a in &settings {
            let group: Vec<&Trained> =
                results.iter().filter(|t| t.realisation == r && t.alpha == a).collect();
            let best =
                group.iter().copied().min_by(|x, y| x.mse.total_cmp(&y.mse)).expect("seeds ≥ 1");
            for t in &group {
                table.push(vec![
                    (r as f64).into(),
                    t.alpha.map_or(Cell::Empty, Cell::Num),
                    (t.seed as f64).into(),
                    t.mse.into(),
                    t.accuracy.into(),
                    (t.sigma / spins).into(),
                    t.asymmetry.into(),
                    if std::ptr::eq(*t, best) { "true" } else { "false" }.into(),
                ]);
            }
            match a {
                Some(_) => front.push((best.sigma / spins, best.mse)),
                None => eq_best = Some(best),
            }
        }
        front.sort_by(|x, y| x.0.total_cmp(&y.0));
        let best_neq = front.iter().map(|f| f.1).fold(f64::INFINITY, f64::min);
        if let Some(eq) = eq_best {
            headline.insert(format!("realisation{r}_mse_equilibrium"), json!(eq.mse));
            headline.insert(format!("realisation{r}_mse_best_nonequilibrium"), json!(best_neq));
            series.push(Series {
                label: format!("realisation {r}: equilibrium (W = Wᵀ)"),
                points: vec![(eq.sigma / spins, eq.mse)],
                color: GREY,
                dashed: false,
                markers: true,
                points_only: true,
                errors: vec![],
            });
            if eq.mse < best_neq {
                notes.push(format!(
                    "realisation {r}: the enforced equilibrium reached a lower MSE ({:.4}) than every α ({best_neq:.4}): \
                     with this few SPSA steps the front is not converged",
                    eq.mse
                ));
            }
        }
        series.push(Series {
            label: format!("realisation {r}: best over seeds per α"),
            points: front,
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
