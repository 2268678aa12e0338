//! The energy accounting of Langevin training against the step size (`energy_balance`)
//! and its scaling with N and D (`train_scaling`), for the linear student of
//! `train_linear` at its noise-matching temperature k_BT* = μτ_eκ²σ²/2.
//!
//! Two readings of τ_train (the paper's Eq. 13 uses τ_train/D as the exposure time per
//! entry): a fixed presentation time τ_e (τ_train grows with D), where the heat
//! 2N k_BT* per presentation makes E_train ∝ N·D; and a fixed total duration τ_train,
//! where τ_e = τ_train/D lowers k_BT* ∝ 1/D and E_train = 2N D k_BT* = N μ τ_train κ²σ²
//! does not grow with D.

use anyhow::Result;
use models::tkachenko::LinearStudent;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;
use serde_json::json;

use super::SIM_TOLERANCE;
use super::presets::{EnergyBalanceParams, TrainLinearParams, TrainScalingParams};
use crate::pipeline::plot::{self, PALETTE, Panel, Series};
use crate::pipeline::{Column, FigureOutput, RunContext, Table};

fn student(
    p: &TrainLinearParams,
    n: usize,
    presentation: f64,
    steps: usize,
    ctx: &RunContext,
) -> LinearStudent {
    let mut rng = ctx.rng("tkachenko/scaling/teacher", &[n as u64]);
    let teacher = (0..n)
        .map(|_| {
            let z: f64 = StandardNormal.sample(&mut rng);
            z / (n as f64).sqrt()
        })
        .collect();
    LinearStudent {
        teacher,
        label_noise: p.label_noise,
        stiffness: p.stiffness,
        mobility: p.mobility,
        presentation,
        steps_per_entry: steps,
    }
}

/// `tkachenko/energy_balance`.
pub fn energy_balance(p: &EnergyBalanceParams, ctx: &RunContext) -> Result<FigureOutput> {
    let b = &p.base;
    let burn = (b.burn_time / b.presentation).round() as usize;
    let entries = (b.measure_time / b.presentation).round() as usize;
    let tasks: Vec<(usize, usize)> =
        p.steps.iter().flat_map(|&s| (0..b.seeds).map(move |k| (s, k))).collect();
    let runs: Vec<(usize, usize, models::tkachenko::TrainingRecord, f64)> = tasks
        .par_iter()
        .map(|&(steps, k)| -> Result<_> {
            let s = student(b, b.n, b.presentation, steps, ctx);
            let kt = s.noise_matching_temperature();
            let mut rng = ctx.rng("tkachenko/energy_balance/run", &[steps as u64, k as u64]);
            let teacher = s.teacher.clone();
            Ok((
                steps,
                k,
                s.train(&teacher, kt, burn, entries, 20, &mut rng)?,
                2.0 * b.n as f64 * kt,
            ))
        })
        .collect::<Result<_>>()?;
    let mut table = Table::new(vec![
        Column::new(
            "steps_per_entry",
            "1",
            "Euler–Maruyama steps per presentation (dt = τ_e/steps)",
        ),
        Column::new("seed", "1", "run"),
        Column::new("heat_per_entry_over_2nkt", "1", "heat released per presentation / (2N k_BT*)"),
        Column::new(
            "switching_work_per_entry_over_2nkt",
            "1",
            "switching work per presentation / (2N k_BT*)",
        ),
        Column::new(
            "paper_work_stratonovich_over_2nkt",
            "1",
            "the paper's ∫θ̇·∂F dt (Stratonovich) / (2N k_BT*)",
        ),
        Column::new("paper_work_ito_over_2nkt", "1", "the same, Itô (left point)"),
        Column::new("first_law_residual", "κ x²", "|ΔF − W_sw − Q| over the run"),
    ]);
    let d = entries as f64;
    let mut heat = Vec::new();
    let mut ito = Vec::new();
    let mut strat = Vec::new();
    let mut first_law: f64 = 0.0;
    for &st in &p.steps {
        let mine: Vec<_> = runs.iter().filter(|r| r.0 == st).collect();
        let m = |g: &dyn Fn(&models::tkachenko::TrainingRecord) -> f64| {
            mine.iter().map(|r| g(&r.2) / d / r.3).sum::<f64>() / mine.len() as f64
        };
        heat.push((st as f64, m(&|r| r.heat_released)));
        ito.push((st as f64, m(&|r| r.paper_work_ito)));
        strat.push((st as f64, m(&|r| r.paper_work_stratonovich)));
        for r in &mine {
            first_law = first_law.max(r.2.first_law_residual);
            table.push(vec![
                (st as f64).into(),
                (r.1 as f64).into(),
                (r.2.heat_released / d / r.3).into(),
                (r.2.switching_work / d / r.3).into(),
                (r.2.paper_work_stratonovich / d / r.3).into(),
                (r.2.paper_work_ito / d / r.3).into(),
                r.2.first_law_residual.into(),
            ]);
        }
    }
    let svg = plot::line_chart(
        &format!(
            "Energy accounting vs the Euler–Maruyama step (linear student, N = {}, k_BT = k_BT*)",
            b.n
        ),
        "steps per presentation (log axis)",
        "per presentation / (2N k_BT*)",
        &[
            Series::line("heat released (= switching work − ΔF)", heat.clone(), PALETTE[0])
                .with_markers(),
            Series::line("the paper's work, Stratonovich (= −heat)", strat.clone(), PALETTE[1])
                .with_markers(),
            Series::line("the paper's work, Itô", ito.clone(), PALETTE[2]).dashed().with_markers(),
        ],
        true,
    )?;
    let mut headline = serde_json::Map::new();
    headline.insert("heat_over_2nkt_by_steps".into(), json!(heat));
    headline.insert("ito_work_over_2nkt_by_steps".into(), json!(ito));
    headline.insert("max_first_law_residual".into(), json!(first_law));
    headline.insert("paper".into(), json!("the work ∫Σθ̇∂F dt of qs Eqs. 14–15 (v1 Eq. 15)"));
    let notes = vec![format!(
        "the first law holds to {first_law:.1e} at every step size; the heat per presentation converges as dt shrinks \
         ({:.4} at 1 step, {:.4} at {} steps, × 2N k_BT*); the Itô reading of the paper's work differs from the \
         Stratonovich one by O(dt) and they meet as dt → 0",
        heat[0].1,
        heat[heat.len() - 1].1,
        p.steps[p.steps.len() - 1]
    )];
    Ok(FigureOutput::new(table, p, svg, SIM_TOLERANCE)?
        .choices(vec![format!(
            "the train_linear student at k_BT*, τ_e = {}, {} runs per step size",
            b.presentation, b.seeds
        )])
        .headline(headline)
        .notes(notes))
}

/// `tkachenko/train_scaling`.
pub fn train_scaling(p: &TrainScalingParams, ctx: &RunContext) -> Result<FigureOutput> {
    let b = &p.base;
    // (reading, N, D): reading 0 = fixed τ_e, 1 = fixed τ_train.
    let tasks: Vec<(usize, usize, usize)> = (0..2)
        .flat_map(|r| {
            p.sizes.iter().flat_map(move |&n| p.presentations.iter().map(move |&d| (r, n, d)))
        })
        .collect();
    let pb = ctx.progress_bar(tasks.len() as u64, "tkachenko train_scaling");
    let runs: Vec<(usize, usize, usize, f64, f64, f64)> = tasks
        .par_iter()
        .map(|&(reading, n, d)| -> Result<_> {
            let tau = if reading == 0 { b.presentation } else { p.total_time / d as f64 };
            let s = student(b, n, tau, b.steps_per_entry, ctx);
            let kt = s.noise_matching_temperature();
            let burn = (b.burn_time / tau).round() as usize;
            let mut rng =
                ctx.rng("tkachenko/train_scaling/run", &[reading as u64, n as u64, d as u64]);
            let teacher = s.teacher.clone();
            let r = s.train(&teacher, kt, burn, d, 10, &mut rng)?;
            pb.inc(1);
            Ok((reading, n, d, kt, r.heat_released, r.excess))
        })
        .collect::<Result<_>>()?;
    pb.finish_and_clear();
    let mut table = Table::new(vec![
        Column::new("reading", "", "fixed τ_e (τ_train = Dτ_e) or fixed τ_train (τ_e = τ_train/D)"),
        Column::new("n", "1", "parameters N"),
        Column::new("d", "1", "presentations D"),
        Column::new(
            "kt_star",
            "κ x²",
            "noise-matching k_BT* = μτ_eκ²σ²/2 (the tolerable temperature)",
        ),
        Column::new("heat", "κ x²", "heat released over the D presentations"),
        Column::new("heat_over_2ndkt", "1", "heat / (2 N D k_BT*)"),
        Column::new("excess", "x²", "E|w − w*|²"),
    ]);
    let names = ["fixed presentation time", "fixed total duration"];
    let mut series = Vec::new();
    let mut headline = serde_json::Map::new();
    for r in &runs {
        table.push(vec![
            names[r.0].into(),
            (r.1 as f64).into(),
            (r.2 as f64).into(),
            r.3.into(),
            r.4.into(),
            (r.4 / (2.0 * r.1 as f64 * r.2 as f64 * r.3)).into(),
            r.5.into(),
        ]);
    }
    let fit = |reading: usize| {
        // log heat = a + b log N + c log D.
        let rows: Vec<[f64; 3]> = runs
            .iter()
            .filter(|r| r.0 == reading)
            .map(|r| [(r.1 as f64).ln(), (r.2 as f64).ln(), r.4.ln()])
            .collect();
        let n = rows.len() as f64;
        let m: Vec<f64> = (0..3).map(|k| rows.iter().map(|r| r[k]).sum::<f64>() / n).collect();
        let cv =
            |a: usize, b: usize| rows.iter().map(|r| (r[a] - m[a]) * (r[b] - m[b])).sum::<f64>();
        let det = cv(0, 0) * cv(1, 1) - cv(0, 1).powi(2);
        (
            (cv(1, 1) * cv(0, 2) - cv(0, 1) * cv(1, 2)) / det,
            (cv(0, 0) * cv(1, 2) - cv(0, 1) * cv(0, 2)) / det,
        )
    };
    for reading in 0..2 {
        let (bn, bd) = fit(reading);
        let ratios: Vec<f64> = runs
            .iter()
            .filter(|r| r.0 == reading)
            .map(|r| r.4 / (2.0 * r.1 as f64 * r.2 as f64 * r.3))
            .collect();
        headline.insert(
            format!("reading_{}", names[reading].replace(' ', "_")),
            json!({"heat_exponent_in_N": bn, "heat_exponent_in_D": bd, "heat_over_2NDkT_min": ratios.iter().copied().fold(f64::INFINITY, f64::min), "heat_over_2NDkT_max": ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max)}),
        );
        let pts: Vec<(f64, f64)> = runs
            .iter()
            .filter(|r| r.0 == reading)
            .map(|r| ((r.1 * r.2) as f64, r.4.log10()))
            .collect();
        let mut pts = pts;
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        series.push(Series::scatter(
            format!("{} (heat ∝ N^{bn:.2} D^{bd:.2})", names[reading]),
            pts,
            PALETTE[reading],
        ));
    }
    headline.insert("paper".into(), json!("E_train ≳ 2 N D k_BT: the bound scales with N·D"));
    let svg = plot::side_by_side(
        "Heat of training at the tolerable temperature vs N·D (linear student)",
        &[Panel {
            title: "heat released".into(),
            x_label: "N · D (log axis)".into(),
            y_label: "log₁₀ heat (κ x²)".into(),
            series,
            log_x: true,
        }],
    )?;
    Ok(FigureOutput::new(table, p, svg, SIM_TOLERANCE)?
        .choices(vec![
            format!("the train_linear student (σ = {}, κ = {}, μ = {}), warm start, k_BT = k_BT*(τ_e) of each setting", b.label_noise, b.stiffness, b.mobility),
            format!("fixed presentation time τ_e = {}; fixed total duration τ_train = {} (τ_e = τ_train/D)", b.presentation, p.total_time),
        ])
        .headline(headline)
        .notes(vec!["at a fixed total duration the tolerable temperature falls like 1/D, so the heat at that temperature does not grow with D; the paper's N·D scaling holds at fixed presentation time".into()]))
}
