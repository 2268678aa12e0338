//! Fig. 2 of Goldt & Seifert (PRL 118, 010601, 2017): the learning efficiency η of one
//! weight learning one sample, analytic (η (11) with the heat (13)) and simulated, over
//! the learning rate ν and the learning duration τ.

use anyhow::Result;
use models::goldt::{BoundTerms, LearningForce, OneWeight, Scheme};
use serde_json::json;

use super::SIM_TOLERANCE;
use super::presets::Fig2Params;
use super::sim::{simulate, value_se_cells};
use crate::pipeline::plot::{self, PALETTE, Series};
use crate::pipeline::{Cell, Column, FigureOutput, RunContext, Table};

/// The stream label of the simulated trajectories.
const TRAJECTORY: &str = "goldt/fig2/trajectory";

/// `goldt/fig2`.
pub fn fig2(p: &Fig2Params, ctx: &RunContext) -> Result<FigureOutput> {
    let mut table = Table::new(vec![
        Column::new("source", "", "analytic, or simulation (mean ± standard error)"),
        Column::new("nu", "1", "learning rate ν"),
        Column::new("tau", "1 (relaxation times)", "learning duration τ"),
        Column::new("information", "nats", "I(σ_T : σ)"),
        Column::new("information_se", "nats", "its standard error (simulation)"),
        Column::new("entropy_change", "nats", "ΔS(ω)"),
        Column::new("entropy_change_se", "nats", "its standard error"),
        Column::new("heat", "k_B T", "ΔQ"),
        Column::new("heat_se", "k_B T", "its standard error"),
        Column::new("eta", "1", "η = I/(ΔS + ΔQ)"),
        Column::new("eta_se", "1", "its standard error"),
    ]);
    let taus: Vec<f64> = (0..p.n_tau)
        .map(|k| {
            10f64.powf(
                p.tau_log_min + (p.tau_log_max - p.tau_log_min) * k as f64 / (p.n_tau - 1) as f64,
            )
        })
        .collect();
    let mut series = Vec::new();
    for (c, &nu) in p.nus.iter().enumerate() {
        let mut pts = Vec::new();
        for &tau in &taus {
            let e = OneWeight::new(nu, tau)?.efficiency();
            table.push(vec![
                "analytic".into(),
                nu.into(),
                tau.into(),
                e.information.into(),
                Cell::Empty,
                e.entropy_change.into(),
                Cell::Empty,
                e.heat.into(),
                Cell::Empty,
                e.eta.into(),
                Cell::Empty,
            ]);
            pts.push((tau, e.eta));
        }
        series.push(Series::line(
            format!("ν = {nu} (analytic)"),
            pts,
            PALETTE[(c + 1) % PALETTE.len()],
        ));
    }
    let tasks: Vec<(usize, f64, f64)> = p
        .nus
        .iter()
        .enumerate()
        .flat_map(|(c, &nu)| p.sim_taus.iter().map(move |&tau| (c, nu, tau)))
        .collect();
    let pb = ctx.progress_bar(tasks.len() as u64, "goldt fig2: simulating");
    let sims: Vec<(usize, f64, f64, BoundTerms)> = tasks
        .iter()
        .map(|&(c, nu, tau)| {
            let force = LearningForce::Ramp { nu, tau };
            let key = [nu.to_bits(), tau.to_bits()];
            let (_, terms) = simulate(
                &p.sim,
                vec![vec![1.0]],
                force,
                Scheme::Batch,
                ctx.seed,
                TRAJECTORY,
                &key,
            )?;
            pb.inc(1);
            Ok((c, nu, tau, terms))
        })
        .collect::<Result<_>>()?;
    pb.finish_and_clear();
    let mut notes = Vec::new();
    let mut max_dev: f64 = 0.0;
    for &(_, nu, tau, t) in &sims {
        let mut row: Vec<Cell> = vec!["simulation".into(), nu.into(), tau.into()];
        row.extend(value_se_cells(&[t.information, t.entropy_change, t.heat, t.eta]));
        table.push(row);
        let exact = OneWeight::new(nu, tau)?.efficiency();
        let z = (t.eta.value - exact.eta) / t.eta.se;
        max_dev = max_dev.max(z.abs());
        if z.abs() > 4.0 {
            notes.push(format!(
                "MISMATCH: simulated η = {:.4} ± {:.4} at ν = {nu}, τ = {tau} vs analytic {:.4} ({z:.1} σ)",
                t.eta.value, t.eta.se, exact.eta
            ));
        }
    }
    for (c, &nu) in p.nus.iter().enumerate() {
        let pts: Vec<(f64, f64)> =
            sims.iter().filter(|s| s.1 == nu).map(|s| (s.2, s.3.eta.value)).collect();
        let errors: Vec<f64> = sims.iter().filter(|s| s.1 == nu).map(|s| s.3.eta.se).collect();
        series.push(
            Series::scatter(
                format!("ν = {nu} (simulation, ± 1 SE)"),
                pts,
                PALETTE[(c + 1) % PALETTE.len()],
            )
            .dashed()
            .with_errors(errors),
        );
    }
    let svg = plot::line_chart(
        "One weight, one sample: learning efficiency η (t → ∞)",
        "learning duration τ",
        "η = I / (ΔS + ΔQ)",
        &series,
        true,
    )?;
    let mut headline = serde_json::Map::new();
    for &(nu, tau) in
        &[(1.0, 1.0), (2.0, 1.0), (4.0, 10.0), (2.0, f64::INFINITY), (4.0, f64::INFINITY)]
    {
        let e = OneWeight::new(nu, tau)?.efficiency();
        headline.insert(format!("eta_nu{nu}_tau{tau}"), json!(e.eta));
    }
    headline.insert("max_abs_z_simulation_vs_analytic".into(), json!(max_dev));
    headline.insert(
        "paper".into(),
        json!("Fig. 2: η grows with τ (less heat) and has an optimum in ν; no numbers given in the text"),
    );
    Ok(FigureOutput::new(table, p, svg, SIM_TOLERANCE)?
        .choices(vec![
            format!(
                "simulated points: {} trajectories per point, Euler–Maruyama (dt = {}) with Sekimoto heat, \
                 labels with γ = {} propagated exactly per step, t_end = τ + {}, ΔS from histogram \
                 entropies (bin {}, Miller–Madow) of ω at start and end; trajectory i of (ν, τ) on the \
                 stream {TRAJECTORY} [ν, τ, i]",
                p.sim.trajectories, p.sim.dt, p.sim.gamma, p.sim.relax, p.sim.entropy_bin
            ),
            "ν and τ grids (the paper's are not stated)".into(),
        ])
        .headline(headline)
        .notes(notes))
}
