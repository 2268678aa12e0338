//! The bound I ≤ ΔS + ΔQ (10)/(16) of Goldt & Seifert (PRL 118, 010601, 2017), checked by
//! simulation for several learning forces: one weight and N weights, batch and online.

use anyhow::Result;
use rand::RngExt;
use serde_json::json;

use super::SIM_TOLERANCE;
use super::presets::{BoundParams, Weights};
use super::sim::{simulate, value_se_cells};
use crate::pipeline::plot::{self, GREY, PALETTE, Series};
use crate::pipeline::{Cell, Column, FigureOutput, RunContext, Table};
use models::goldt::Scheme;

/// `goldt/bound`.
pub fn bound(bp: &BoundParams, ctx: &RunContext) -> Result<FigureOutput> {
    let mut prng = ctx.rng("goldt/bound/patterns", &[]);
    let patterns: Vec<Vec<f64>> = (0..bp.p)
        .map(|_| (0..bp.n).map(|_| if prng.random::<bool>() { 1.0 } else { -1.0 }).collect())
        .collect();
    let one = vec![vec![1.0]];
    let se = |name, se_name, unit, meaning| Column::value_se(name, se_name, unit, meaning);
    let mut table = Table::new(
        [
            &[
                Column::new("case", "", "one weight (N = P = 1) or N weights with P samples"),
                Column::new("force", "", "learning force"),
                Column::new("scheme", "", "batch (14) or online (15)"),
                Column::new("n", "1", "N"),
                Column::new("p", "1", "P"),
            ][..],
            &se("information", "information_se", "nats", "Σ_μ I(σ_T^μ : σ^μ)"),
            &se("entropy_change", "entropy_change_se", "nats", "Σ_n ΔS(ω_n)"),
            &se("heat", "heat_se", "k_B T", "Σ_n ΔQ_n"),
            &se("entropy_production", "entropy_production_se", "nats", "Σ_n ΔS(ω_n) + ΔQ_n"),
            &se("eta", "eta_se", "1", "η"),
            &[Column::new("bound_holds", "", "I ≤ ΔS + ΔQ within 3 combined standard errors")],
        ]
        .concat(),
    );
    let pb = ctx.progress_bar(bp.cases.len() as u64, "goldt bound: simulating");
    let mut notes = Vec::new();
    let mut headline = serde_json::Map::new();
    for c in &bp.cases {
        let (case, pats) = match c.weights {
            Weights::One => ("one weight", &one),
            Weights::Patterns => ("N weights", &patterns),
        };
        let (force, scheme) = (&c.force, &c.scheme);
        let label = format!("goldt/bound/{}", c.id);
        let (neuron, t) = simulate(&bp.sim, pats.clone(), *force, *scheme, ctx.seed, &label, &[])?;
        let slack = t.entropy_production.value - t.information.value;
        let holds = slack >= -3.0 * t.entropy_production.se.hypot(t.information.se);
        if *scheme == Scheme::Online {
            notes.push(format!(
                "online learning dissipates far more heat (ΔQ = {:.2}) than batch learning: the sample switched every \
                 step makes the force fluctuate, and an overdamped weight dissipates the force's variance per unit time \
                 whatever the switching rate; the paper treats the online force as effectively constant",
                t.heat.value
            ));
        }
        if !holds {
            notes.push(format!(
                "BOUND VIOLATED: {case}, {} ({scheme:?}): I = {:.4} > ΔS + ΔQ = {:.4}",
                force.name(),
                t.information.value,
                t.entropy_production.value
            ));
        }
        headline.insert(
            format!("eta_{}_{}_{:?}", case.replace(' ', "_"), force.name(), scheme).to_lowercase(),
            json!(t.eta.value),
        );
        let mut row: Vec<Cell> = vec![
            case.into(),
            force.name().into(),
            format!("{scheme:?}").to_lowercase().into(),
            neuron.n().into(),
            neuron.p().into(),
        ];
        row.extend(value_se_cells(&[
            t.information,
            t.entropy_change,
            t.heat,
            t.entropy_production,
            t.eta,
        ]));
        row.push(holds.into());
        table.push(row);
        pb.inc(1);
    }
    pb.finish_and_clear();
    // η per case with ± 2 SE, against the bound η = 1.
    let eta: Vec<(f64, f64)> =
        table.rows.iter().enumerate().map(|(i, r)| (i as f64 + 1.0, num(&r[13]))).collect();
    let one: Vec<(f64, f64)> = vec![(0.5, 1.0), (table.rows.len() as f64 + 0.5, 1.0)];
    let series = vec![
        Series::scatter("η = Σ I / Σ (ΔS + ΔQ), ± 2 SE", eta, PALETTE[2])
            .dashed()
            .with_errors(table.rows.iter().map(|r| 2.0 * num(&r[14])).collect()),
        Series::line("bound η = 1", one, GREY).dashed(),
    ];
    let cases_axis = format!(
        "case: {}",
        bp.cases
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} {}", i + 1, c.id))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let svg = plot::line_chart(
        "Bound (10)/(16) by simulation: η = I / (ΔS + ΔQ) ≤ 1",
        &cases_axis,
        "η",
        &series,
        false,
    )?;
    Ok(FigureOutput::new(table, bp, svg, SIM_TOLERANCE)?
        .choices(vec![
            format!(
                "cases (id: weights, force, scheme): {}; N = {}, P = {} random ±1 patterns from the \
                 stream goldt/bound/patterns; each case's trajectories on the stream goldt/bound/<id>",
                bp.cases
                    .iter()
                    .map(|c| format!("{}: {:?}, {:?}, {:?}", c.id, c.weights, c.force, c.scheme))
                    .collect::<Vec<_>>()
                    .join("; "),
                bp.n,
                bp.p
            ),
            "online learning: μ(t) drawn afresh every step (dt), force (P/√N) ξ^μ σ_T^μ so that its average is the \
             batch force; the extra heat of this fluctuating force is part of ΔQ"
                .into(),
        ])
        .headline(headline)
        .notes(notes))
}

fn num(c: &Cell) -> f64 {
    match c {
        Cell::Num(v) => *v,
        _ => f64::NAN,
    }
}
