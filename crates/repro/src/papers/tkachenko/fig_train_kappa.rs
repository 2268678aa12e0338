//! The fig_train task with the hidden neurons relaxed explicitly at finite κ.

use anyhow::Result;
use models::tkachenko::{AnnealRecord, Annealing, Backprop};
use rand::RngExt;
use rayon::prelude::*;
use serde_json::json;

use super::SIM_TOLERANCE;
use super::fig_train::{excess_panel, heat_panel, mean_loss, optimum, student, task};
use super::presets::FigTrainKappaParams;
use crate::pipeline::plot::{self, PALETTE, Series};
use crate::pipeline::{Column, FigureOutput, RunContext, Table};

/// `tkachenko/fig_train_kappa`: the same task with the hidden neurons relaxed explicitly
/// at κ_hidden/κ_out ∈ kappa_ratios, next to the fast path: the training loss (½MSE of
/// the forward pass) and the heat against k_BT.
pub fn fig_train_kappa(p: &FigTrainKappaParams, ctx: &RunContext) -> Result<FigureOutput> {
    let b = &p.base;
    let d = b.teacher_sizes[0];
    let w = b.widths[0];
    let (train, test) = task(b, ctx)?;
    let (opt, lmin) = optimum(b, w, &train, ctx)?;
    let kstar = b.mobility * b.presentation * b.stiffness.powi(2) * lmin;
    let mut ratios: Vec<Option<f64>> = p.kappa_ratios.iter().map(|&r| Some(r)).collect();
    ratios.push(None);
    let tasks: Vec<(usize, usize, usize)> = (0..ratios.len())
        .flat_map(|ri| {
            (0..b.temperature_factors.len())
                .flat_map(move |fi| (0..b.seeds).map(move |s| (ri, fi, s)))
        })
        .collect();
    let pb = ctx.progress_bar(tasks.len() as u64, "tkachenko fig_train_kappa");
    let runs: Vec<(usize, usize, usize, AnnealRecord, f64)> = tasks
        .par_iter()
        .map(|&(ri, fi, s)| -> Result<_> {
            let kt = b.temperature_factors[fi] * kstar;
            let protocol = Annealing {
                mobility: b.mobility,
                stiffness: b.stiffness,
                presentation: b.presentation,
                steps_per_entry: b.steps_per_entry,
                hidden_stiffness: ratios[ri].map(|r| r * b.stiffness),
            };
            let key = [
                ratios[ri].map_or(u64::MAX, f64::to_bits),
                b.temperature_factors[fi].to_bits(),
                s as u64,
            ];
            let mut rng = ctx.rng("tkachenko/fig_train_kappa/run", &key);
            let mut net = student(w, d, &opt, b.stiffness)?;
            let order: Vec<usize> =
                (0..b.burn + b.entries).map(|_| rng.random_range(0..b.n_train)).collect();
            let rec = protocol.run(
                &mut net,
                &train,
                &order,
                b.burn,
                kt,
                &train,
                b.measure_every,
                &mut rng,
            )?;
            let mut bp = Backprop::new(&net);
            let t = mean_loss(&net, &mut bp, &test);
            pb.inc(1);
            Ok((ri, fi, s, rec, t))
        })
        .collect::<Result<_>>()?;
    pb.finish_and_clear();
    let label = |ri: usize| {
        ratios[ri]
            .map_or("κ_hidden → ∞ (fast path)".to_owned(), |r| format!("κ_hidden/κ_out = {r}"))
    };
    let mut table = Table::new(vec![
        Column::new("kappa_ratio", "1", "κ_hidden/κ_out (empty: the fast path κ_hidden → ∞)"),
        Column::new("kt_factor", "1", "k_BT / k_BT*_est"),
        Column::new("seed", "1", "run"),
        Column::new("train_loss", "x²", "mean ½MSE of the forward pass over the training set"),
        Column::new("excess", "x²", "train_loss − L_min"),
        Column::new("test_loss", "x²", "½MSE on the test set at the end"),
        Column::new("heat_per_entry", "κ x²", "heat released per presentation"),
    ]);
    let dd = b.entries as f64;
    for (ri, fi, s, rec, t) in &runs {
        table.push(vec![
            ratios[*ri].map_or(crate::pipeline::Cell::Empty, crate::pipeline::Cell::from),
            b.temperature_factors[*fi].into(),
            (*s as f64).into(),
            rec.train_loss.into(),
            (rec.train_loss - lmin).into(),
            (*t).into(),
            (rec.heat_released / dd).into(),
        ]);
    }
    let mut ex_series = Vec::new();
    let mut heat_series = Vec::new();
    let mut headline = serde_json::Map::new();
    let n = (w * (d + 2) + 1) as f64;
    for ri in 0..ratios.len() {
        let mean = |fi: usize, g: &dyn Fn(&AnnealRecord) -> f64| -> f64 {
            let v: Vec<f64> =
                runs.iter().filter(|r| r.0 == ri && r.1 == fi).map(|r| g(&r.3)).collect();
            v.iter().sum::<f64>() / v.len().max(1) as f64
        };
        let pos: Vec<usize> =
            (0..b.temperature_factors.len()).filter(|&i| b.temperature_factors[i] > 0.0).collect();
        let color = PALETTE[ri % PALETTE.len()];
        let ex: Vec<(f64, f64)> = pos
            .iter()
            .map(|&i| {
                (b.temperature_factors[i], (mean(i, &|r| r.train_loss) - lmin).max(1e-300).log10())
            })
            .collect();
        let heat: Vec<(f64, f64)> = pos
            .iter()
            .map(|&i| {
                (b.temperature_factors[i], mean(i, &|r| r.heat_released) / dd / (2.0 * n * kstar))
            })
            .collect();
        let zero = b.temperature_factors.iter().position(|&f| f == 0.0);
        headline.insert(
            label(ri),
            json!({
                "excess_at_T0": zero.map(|i| mean(i, &|r| r.train_loss) - lmin),
                "excess_by_kt_factor": ex.iter().map(|&(f, e)| (f, 10f64.powf(e))).collect::<Vec<_>>(),
                "heat_per_entry_over_2NkT_star_by_kt_factor": heat,
            }),
        );
        ex_series.push(Series::line(label(ri), ex, color).with_markers());
        heat_series.push(Series::line(label(ri), heat, color).with_markers());
    }
    headline.insert("paper".into(), json!("the learning rules need a clear separation of κ or time scales; the paper trains with the stresses at finite κ"));
    let svg = plot::side_by_side(
        &format!(
            "tanh student N = {n} with hidden neurons relaxed at finite κ (k_BT*_est = {kstar:.2e})"
        ),
        &[excess_panel("excess training loss", ex_series), heat_panel(heat_series)],
    )?;
    Ok(FigureOutput::new(table, p, svg, SIM_TOLERANCE)?
        .choices(vec![
            format!("fig_train's task and protocol, width {w} (N = {n}), warm start at the optimum of the forward-pass MSE"),
            "finite κ: every step relaxes the hidden layer by Newton's method (inputs and outputs clamped) and follows ∇F* = σx".into(),
        ])
        .headline(headline))
}
