//! Fig. 5 of Ingrosso & Panizon (PRE 109, 014132, 2024): the asymmetry
//! A = Σ(W_ij − W_ji)²/ΣW_ij² of the systems trained for fig4a, against Σ. A panel of the
//! fig4a study: it draws the same trained systems and costs nothing extra.

use anyhow::Result;
use serde_json::json;

use super::fig4::FrontData;
use super::presets::Fig4aParams;
use models::bottleneck::TradeOff;

use super::sweep::{System, describe};
use crate::pipeline::plot::{self, GREY, PALETTE, Series};
use crate::pipeline::stats::spearman;
use crate::pipeline::{Column, FigureOutput, RunContext, Table, Tolerance};

/// `bottleneck/fig5`.
pub fn fig5(p: &Fig4aParams, d: &FrontData, _ctx: &RunContext) -> Result<FigureOutput> {
    // The primary layout's finished systems (the comparison layouts have only the ends).
    let results: Vec<(TradeOff, usize, &System)> = d
        .results
        .iter()
        .filter(|t| t.task.layout == p.sweep.couplings)
        .filter_map(|t| t.system().map(|s| (t.task.trade_off, t.task.seed, s)))
        .collect();
    let mut table = Table::new(vec![
        super::sweep::ALPHA_COL,
        Column::new("seed", "1", "initialisation"),
        Column::new("sigma", "nats per unit time", "Σ, EP rate of the layer"),
        Column::new("asymmetry", "1", "A = Σ(W_ij − W_ji)²/ΣW_ij²"),
        Column::new("cross_entropy", "nats", "CE of the trained system"),
    ]);
    let mut series = Vec::new();
    for (i, &a) in p.sweep.trade_offs().iter().enumerate() {
        let group: Vec<&System> = results.iter().filter(|t| t.0 == a).map(|t| t.2).collect();
        for (t, seed, s) in results.iter().filter(|t| t.0 == a) {
            table.push(vec![
                t.alpha().into(),
                (*seed).into(),
                s.sigma.into(),
                s.asymmetry.into(),
                s.loss.into(),
            ]);
        }
        let color = if a.is_equilibrium() { GREY } else { PALETTE[(i + 1) % PALETTE.len()] };
        series.push(Series::scatter(
            describe(a),
            group.iter().map(|t| (t.sigma, t.asymmetry)).collect(),
            color,
        ));
    }
    let noneq: Vec<(f64, f64)> = results
        .iter()
        .filter(|t| !t.0.is_equilibrium())
        .map(|t| (t.2.sigma, t.2.asymmetry))
        .collect();
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
    Ok(FigureOutput::new(table, p, svg, Tolerance { abs: 1e-6, rel: 1e-6 })?
        .choices(vec![
            format!(
                "every system of the primary {} layout trained for fig4a (all α and seeds), not \
                 only the best per α",
                p.sweep.couplings.name()
            ),
            "Σ of the whole layer (both chains), as the paper's Fig. 5 axis".into(),
            "trend measured by Spearman's rank correlation over the non-equilibrium systems".into(),
        ])
        .headline(headline)
        .notes(vec![format!("Spearman rank correlation between Σ and A: {rho:.3}")]))
}
