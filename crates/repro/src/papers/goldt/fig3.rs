//! Fig. 3 of Goldt & Seifert (PRL 118, 010601, 2017): Hebbian learning in the
//! thermodynamic limit. `fig3`: the information I(σ_T : σ) against α = P/N, theory
//! (20)–(21), the approximation (S71) and a Monte Carlo at finite N; `fig3inset`: the
//! efficiency η̃ (22) for τ → 0 and τ → ∞.
//!
//! ΔS(ω_n) in the thermodynamic limit is ½ ln(1 + αν²), not the printed ln(1 + αν²) (see
//! `models::goldt`); the inset shows both. The Monte Carlo samples ω = νF + y and σ from
//! p(σ|ω) (the paper's "Monte Carlo integration of p(σ_T, ω, σ)"), with one-σ error bars
//! over independent pattern sets, and subtracts the plug-in bias 1/(2P) from each estimate.

use anyhow::{Context, Result};
use models::goldt::{
    HebbianLimit, WeightEntropy, fraction_correct, hebbian_stabilities, information_from_p_correct,
};
use rayon::prelude::*;
use serde_json::json;

use super::SIM_TOLERANCE;
use super::presets::Fig3Params;
use crate::pipeline::plot::{self, GREY, PALETTE, Series};
use crate::pipeline::stats::{MeanSe, mean_se};
use crate::pipeline::{Cell, Column, FigureOutput, RunContext, Table, Tolerance};

/// The stream label of a Monte Carlo realisation (keyed by α and the realisation).
const MONTE_CARLO: &str = "goldt/fig3/monte_carlo";

/// `goldt/fig3`.
pub fn fig3(p: &Fig3Params, ctx: &RunContext) -> Result<FigureOutput> {
    let mut table = Table::new(vec![
        Column::new("source", "", "theory (20)-(21), approximation (S71), or monte_carlo"),
        Column::new("nu", "1", "learning rate ν"),
        Column::new("alpha", "1", "α = P/N"),
        Column::new("information", "nats", "I(σ_T^μ : σ^μ)"),
        Column::new(
            "information_sd",
            "nats",
            "Monte Carlo: one standard deviation over realisations",
        ),
        Column::new("information_se", "nats", "Monte Carlo: standard error of the mean"),
    ]);
    let alphas: Vec<f64> =
        (1..=p.n_alpha).map(|k| p.alpha_max * k as f64 / p.n_alpha as f64).collect();
    let mut series = Vec::new();
    for (c, &nu) in p.nus.iter().enumerate() {
        let color = PALETTE[(c + 1) % PALETTE.len()];
        let (mut th, mut ap) = (Vec::new(), Vec::new());
        for &a in &alphas {
            let h = HebbianLimit::new(a, nu)?;
            th.push((a, h.information()));
            ap.push((a, h.information_approx()));
        }
        for &(a, i) in &th {
            table.push(vec![
                "theory".into(),
                nu.into(),
                a.into(),
                i.into(),
                Cell::Empty,
                Cell::Empty,
            ]);
        }
        for &(a, i) in &ap {
            table.push(vec![
                "approximation".into(),
                nu.into(),
                a.into(),
                i.into(),
                Cell::Empty,
                Cell::Empty,
            ]);
        }
        series.push(Series::line(format!("ν = {nu}: theory"), th, color));
        series.push(Series::line(format!("ν = {nu}: p(Δ>0 | ν/2)"), ap, color).dashed());
    }
    // Monte Carlo: one task per (α, realisation), each with its own stream; all ν share it.
    let tasks: Vec<(usize, usize)> =
        (0..p.mc_alphas.len()).flat_map(|i| (0..p.mc_realisations).map(move |r| (i, r))).collect();
    let pb =
        ctx.progress_bar(tasks.len() as u64, &format!("goldt fig3: Monte Carlo N = {}", p.mc_n));
    let per_task: Vec<Vec<f64>> = tasks
        .par_iter()
        .map(|&(i, r)| {
            let alpha = p.mc_alphas[i];
            let pp = ((alpha * p.mc_n as f64).round() as usize).max(1);
            let mut rng = ctx.rng(MONTE_CARLO, &[alpha.to_bits(), r as u64]);
            let (a, b) = hebbian_stabilities(p.mc_n, pp, &mut rng);
            let out = p
                .nus
                .iter()
                .map(|&nu| {
                    let pc = fraction_correct(&a, &b, nu, &mut rng);
                    information_from_p_correct(pc) - 0.5 / pp as f64
                })
                .collect();
            pb.inc(1);
            out
        })
        .collect();
    pb.finish_and_clear();
    let mut notes = Vec::new();
    let mut headline = serde_json::Map::new();
    for (c, &nu) in p.nus.iter().enumerate() {
        let mut pts = Vec::new();
        let mut errors = Vec::new();
        for (i, &alpha) in p.mc_alphas.iter().enumerate() {
            let vals: Vec<f64> =
                tasks.iter().zip(&per_task).filter(|(t, _)| t.0 == i).map(|(_, v)| v[c]).collect();
            let MeanSe { mean: m, sd, se } =
                mean_se(&vals).context("at least two realisations (validated)")?;
            table.push(vec![
                "monte_carlo".into(),
                nu.into(),
                alpha.into(),
                m.into(),
                sd.into(),
                se.into(),
            ]);
            pts.push((alpha, m));
            errors.push(sd);
            let theory = HebbianLimit::new(alpha, nu)?.information();
            if (m - theory).abs() > 4.0 * se + 2e-3 {
                notes.push(format!(
                    "Monte Carlo I = {m:.5} ± {se:.5} at ν = {nu}, α = {alpha} differs from theory {theory:.5} \
                     (finite N = {} corrections are O(1/√N) in the stability variance)",
                    p.mc_n
                ));
            }
            if (alpha - 1.0).abs() < 1e-12 {
                headline.insert(format!("mc_information_alpha1_nu{nu}"), json!(m));
                headline.insert(format!("mc_information_alpha1_nu{nu}_se"), json!(se));
            }
        }
        series.push(
            Series::scatter(
                format!("ν = {nu}: Monte Carlo (± 1 SD)"),
                pts,
                PALETTE[(c + 1) % PALETTE.len()],
            )
            .dashed()
            .with_errors(errors),
        );
        let h = HebbianLimit::new(1.0, nu)?;
        headline.insert(format!("theory_information_alpha1_nu{nu}"), json!(h.information()));
        headline.insert(format!("approx_information_alpha1_nu{nu}"), json!(h.information_approx()));
    }
    headline.insert("paper".into(), json!("Fig. 3: I decreases with α and increases with ν; ln 2 only for small α; no numbers in the text"));
    let svg = plot::line_chart(
        &format!("Hebbian learning, N → ∞: I(σ_T^μ : σ^μ) vs α (MC: N = {})", p.mc_n),
        "α = P / N",
        "I(σ_T^μ : σ^μ) [nats]",
        &series,
        false,
    )?;
    Ok(FigureOutput::new(table, p, svg, SIM_TOLERANCE)?
        .choices(vec![
            "ν values and α range (the paper's are not stated)".into(),
            "Monte Carlo: P = round(αN) bit-packed random patterns and labels per realisation, ω = νF + y, \
             σ drawn from p(σ|ω); I = ln 2 − S(p̂_C) − 1/(2P) (plug-in bias removed); error bars one standard \
             deviation over realisations (the SE is in the CSV too)"
                .into(),
        ])
        .headline(headline)
        .notes(notes))
}

/// `goldt/fig3inset`.
pub fn fig3_inset(p: &Fig3Params, _ctx: &RunContext) -> Result<FigureOutput> {
    let mut table = Table::new(vec![
        Column::new("nu", "1", "learning rate ν"),
        Column::new("alpha", "1", "α = P/N"),
        Column::new("eta_tau0", "1", "η̃ (22), τ → 0, ΔS = ½ ln(1 + αν²)"),
        Column::new("eta_tauinf", "1", "η̃ (22), τ → ∞, ΔS = ½ ln(1 + αν²)"),
        Column::new("eta_tau0_as_printed", "1", "η̃ with the printed ΔS = ln(1 + αν²), τ → 0"),
        Column::new("eta_tauinf_as_printed", "1", "η̃ with the printed ΔS = ln(1 + αν²), τ → ∞"),
    ]);
    let alphas: Vec<f64> =
        (1..=p.n_alpha).map(|k| p.alpha_max * k as f64 / p.n_alpha as f64).collect();
    let mut series = Vec::new();
    let mut headline = serde_json::Map::new();
    let mut max_eta: f64 = 0.0;
    for (c, &nu) in p.nus.iter().enumerate() {
        let color = PALETTE[(c + 1) % PALETTE.len()];
        let (mut zero, mut inf, mut inf_printed) = (Vec::new(), Vec::new(), Vec::new());
        for &a in &alphas {
            let h = HebbianLimit::new(a, nu)?;
            let e0 = h.efficiency(0.0, WeightEntropy::Correct)?;
            let ei = h.efficiency(f64::INFINITY, WeightEntropy::Correct)?;
            let p0 = h.efficiency(0.0, WeightEntropy::AsPrinted)?;
            let pi = h.efficiency(f64::INFINITY, WeightEntropy::AsPrinted)?;
            table.push(vec![nu.into(), a.into(), e0.into(), ei.into(), p0.into(), pi.into()]);
            zero.push((a, e0));
            inf.push((a, ei));
            inf_printed.push((a, pi));
            max_eta = max_eta.max(ei);
        }
        let h1 = HebbianLimit::new(1.0, nu)?;
        headline.insert(
            format!("eta_tauinf_alpha1_nu{nu}"),
            json!(h1.efficiency(f64::INFINITY, WeightEntropy::Correct)?),
        );
        headline.insert(
            format!("eta_tauinf_alpha1_nu{nu}_as_printed"),
            json!(h1.efficiency(f64::INFINITY, WeightEntropy::AsPrinted)?),
        );
        series.push(Series::line(format!("ν = {nu}: τ → ∞"), inf, color));
        series.push(Series::line(format!("ν = {nu}: τ → 0"), zero, color).dashed());
        series
            .push(Series::line(format!("ν = {nu}: τ → ∞, printed ΔS"), inf_printed, GREY).dashed());
    }
    headline.insert("max_eta_tauinf".into(), json!(max_eta));
    let svg = plot::line_chart(
        "Hebbian learning, N → ∞: efficiency η̃ (22)",
        "α = P / N",
        "η̃",
        &series,
        false,
    )?;
    Ok(FigureOutput::new(table, p, svg, Tolerance { abs: 1e-12, rel: 1e-10 })?
        .choices(vec![
            "ΔS(ω_n) = ½ ln(1 + αν²), the entropy change of N(0,1) → N(0, 1 + αν²); the main text prints \
             ln(1 + αν²), twice that, which lowers η̃ (grey: η̃ with the printed ΔS, τ → ∞)"
                .into(),
        ])
        .headline(headline)
        .notes(vec![format!(
            "with the correct ΔS, η̃(τ → ∞) reaches at most {max_eta:.4} on this grid; the printed ΔS understates η̃ \
             by a factor 2 when ΔQ = 0 (τ → ∞) and by less at finite τ"
        )]))
}
