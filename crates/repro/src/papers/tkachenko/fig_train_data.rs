//! The fig_train student on training sets of several sizes.

use anyhow::Result;
use models::tkachenko::{AnnealRecord, Annealing};
use rand::RngExt;
use rayon::prelude::*;
use serde_json::json;

use super::SIM_TOLERANCE;
use super::fig_train::{Data, doubling_point, interpolate_log_x, optimum, student, task_keyed};
use super::presets::{FigTrainDataParams, FigTrainParams};
use crate::pipeline::plot::{self, PALETTE, Panel, Series};
use crate::pipeline::{Column, FigureOutput, RunContext, Table};

/// `tkachenko/fig_train_data`: the fig_train student (one width) on training sets of
/// several sizes D_set: the temperature where the excess training loss doubles and the
/// heat there against 2N k_BT.
pub fn fig_train_data(p: &FigTrainDataParams, ctx: &RunContext) -> Result<FigureOutput> {
    let w = p.base.widths[0];
    let d = p.base.teacher_sizes[0];
    let n = (w * (d + 2) + 1) as f64;
    let sets: Vec<(usize, Data, (Vec<f64>, f64))> = p
        .dataset_sizes
        .par_iter()
        .map(|&size| -> Result<_> {
            let b = FigTrainParams { n_train: size, ..p.base.clone() };
            let (train, _) = task_keyed(&b, ctx, "tkachenko/fig_train_data/data", &[size as u64])?;
            let opt = optimum(&b, w, &train, ctx)?;
            Ok((size, train, opt))
        })
        .collect::<Result<_>>()?;
    let b = &p.base;
    let protocol = Annealing {
        mobility: b.mobility,
        stiffness: b.stiffness,
        presentation: b.presentation,
        steps_per_entry: b.steps_per_entry,
        hidden_stiffness: None,
    };
    let tasks: Vec<(usize, usize, usize)> = (0..sets.len())
        .flat_map(|si| {
            (0..b.temperature_factors.len())
                .flat_map(move |fi| (0..b.seeds).map(move |s| (si, fi, s)))
        })
        .collect();
    let pb = ctx.progress_bar(tasks.len() as u64, "tkachenko fig_train_data");
    let runs: Vec<(usize, usize, AnnealRecord)> = tasks
        .par_iter()
        .map(|&(si, fi, s)| -> Result<_> {
            let (size, train, (opt, lmin)) = &sets[si];
            let kstar = b.mobility * b.presentation * b.stiffness.powi(2) * lmin;
            let kt = b.temperature_factors[fi] * kstar;
            let mut rng = ctx.rng(
                "tkachenko/fig_train_data/run",
                &[*size as u64, b.temperature_factors[fi].to_bits(), s as u64],
            );
            let mut net = student(w, d, opt, b.stiffness)?;
            let order: Vec<usize> =
                (0..b.burn + b.entries).map(|_| rng.random_range(0..*size)).collect();
            let rec = protocol.run(
                &mut net,
                train,
                &order,
                b.burn,
                kt,
                train,
                b.measure_every,
                &mut rng,
            )?;
            pb.inc(1);
            Ok((si, fi, rec))
        })
        .collect::<Result<_>>()?;
    pb.finish_and_clear();
    let mut table = Table::new(vec![
        Column::new("dataset_size", "1", "training entries D_set"),
        Column::new("kt_factor", "1", "k_BT / k_BT*_est, k_BT*_est = μτ_eκ² L_min"),
        Column::new("kt", "κ x²", "k_BT"),
        Column::new("train_loss", "x²", "mean ½MSE over the training set"),
        Column::new("l_min", "x²", "½MSE at the optimum"),
        Column::new("heat_per_entry", "κ x²", "heat released per presentation"),
    ]);
    let dd = b.entries as f64;
    for (si, fi, rec) in &runs {
        let (size, _, (_, lmin)) = &sets[*si];
        let kstar = b.mobility * b.presentation * b.stiffness.powi(2) * lmin;
        table.push(vec![
            (*size as f64).into(),
            b.temperature_factors[*fi].into(),
            (b.temperature_factors[*fi] * kstar).into(),
            rec.train_loss.into(),
            (*lmin).into(),
            (rec.heat_released / dd).into(),
        ]);
    }
    let mut t_pts = Vec::new();
    let mut h_pts = Vec::new();
    let mut headline = serde_json::Map::new();
    for (si, (size, _, (_, lmin))) in sets.iter().enumerate() {
        let kstar = b.mobility * b.presentation * b.stiffness.powi(2) * lmin;
        let mean = |fi: usize, g: &dyn Fn(&AnnealRecord) -> f64| -> f64 {
            let v: Vec<f64> =
                runs.iter().filter(|r| r.0 == si && r.1 == fi).map(|r| g(&r.2)).collect();
            v.iter().sum::<f64>() / v.len().max(1) as f64
        };
        let zero = b.temperature_factors.iter().position(|&f| f == 0.0);
        let ex0 = zero.map(|i| mean(i, &|r| r.train_loss) - lmin);
        let pos: Vec<usize> =
            (0..b.temperature_factors.len()).filter(|&i| b.temperature_factors[i] > 0.0).collect();
        let ex: Vec<(f64, f64)> = pos
            .iter()
            .map(|&i| (b.temperature_factors[i], (mean(i, &|r| r.train_loss) - lmin).max(1e-300)))
            .collect();
        let heat: Vec<(f64, f64)> = pos
            .iter()
            .map(|&i| (b.temperature_factors[i], mean(i, &|r| r.heat_released) / dd))
            .collect();
        let doubling = ex0.and_then(|e0| doubling_point(e0, &ex));
        let heat_at = |f: f64| interpolate_log_x(&heat, f);
        let ratio = doubling.and_then(|f| heat_at(f).map(|h| h / (2.0 * n * f * kstar)));
        if let Some(f) = doubling {
            t_pts.push((*size as f64, (f * kstar).log10()));
        }
        if let Some(r) = ratio {
            h_pts.push((*size as f64, r));
        }
        headline.insert(
            format!("dataset_{size}"),
            json!({"l_min": lmin, "kt_star_est": kstar, "doubling_kt_over_kt_star_est": doubling, "doubling_kt": doubling.map(|f| f * kstar), "heat_at_doubling_over_2NkT": ratio}),
        );
    }
    headline.insert("n_params".into(), json!(n));
    headline.insert("paper".into(), json!("the tolerable temperature is set by the data-noise balance (qs Eq. 16); E_train ≳ 2NDk_BT"));
    let svg = plot::side_by_side(
        &format!("The N = {n} tanh student on training sets of several sizes"),
        &[
            Panel {
                title: "tolerable temperature (the excess doubles)".into(),
                x_label: "training entries D_set (log axis)".into(),
                y_label: "log₁₀ k_BT at doubling".into(),
                series: vec![Series::line("simulation", t_pts, PALETTE[0]).with_markers()],
                log_x: true,
            },
            Panel {
                title: "heat there / (2N k_BT)".into(),
                x_label: "training entries D_set (log axis)".into(),
                y_label: "heat per presentation / (2N k_BT)".into(),
                series: vec![Series::line("simulation", h_pts, PALETTE[1]).with_markers()],
                log_x: true,
            },
        ],
    )?;
    Ok(FigureOutput::new(table, p, svg, SIM_TOLERANCE)?
        .choices(vec![
            format!("fig_train's teacher and protocol, width {w}; training sets of {:?} entries from the stream tkachenko/fig_train_data/data [size]", p.dataset_sizes),
            "warm start at each set's optimum; entries drawn uniformly from the set; the doubling is interpolated in log k_BT".into(),
        ])
        .headline(headline))
}
