//! Cooling (v1 Eqs. 18–19, quasi-static Eqs. 19–20): a network run at T* < T whose
//! energy E must be pumped to the ambient T costs at least W = E (T/T* − 1) more, so
//! E_total = (T/T*) E(T*). For the training bound E(T*) = 2 N D k_B T* the total is
//! 2 N D k_B T for every T*: flat. A cost that does not scale with T* grows as T/T*.

use anyhow::Result;
use serde_json::json;

use super::EXACT_TOLERANCE;
use super::presets::{BOLTZMANN, CoolingParams};
use crate::pipeline::plot::{self, PALETTE, Series};
use crate::pipeline::{Column, FigureOutput, RunContext, Table};

/// `tkachenko/cooling`.
pub fn cooling(p: &CoolingParams, _ctx: &RunContext) -> Result<FigureOutput> {
    let t = p.ambient;
    let lo = p.ratio_min.log10();
    let mut table = Table::new(vec![
        Column::new("t_star", "K", "operating temperature T*"),
        Column::new("bound_at_t_star", "J", "2 N D k_B T*"),
        Column::new("pump_work", "J", "Carnot work to move it to T: E (T/T* − 1)"),
        Column::new("total", "J", "bound + pump work"),
        Column::new("fixed_total", "J", "a T-independent cost E₀ plus its pump work, E₀ T/T*"),
    ]);
    let mut flat = Vec::new();
    let mut fixed = Vec::new();
    let mut max_dev: f64 = 0.0;
    let e_amb = 2.0 * p.n_times_d * BOLTZMANN * t;
    for k in 0..p.n {
        let r = 10f64.powf(lo + (0.0 - lo) * k as f64 / (p.n - 1) as f64);
        let ts = r * t;
        let e = 2.0 * p.n_times_d * BOLTZMANN * ts;
        let w = e * (t / ts - 1.0);
        let fixed_total = p.fixed_cost * t / ts;
        table.push(vec![ts.into(), e.into(), w.into(), (e + w).into(), fixed_total.into()]);
        max_dev = max_dev.max(((e + w) / e_amb - 1.0).abs());
        flat.push((r, ((e + w) / e_amb).log10()));
        fixed.push((r, (fixed_total / p.fixed_cost).log10()));
    }
    let svg = plot::line_chart(
        &format!("Training at T* < T = {t} K with a heat pump to T"),
        "T*/T (log axis)",
        "log₁₀ (total cost / cost at T)",
        &[
            Series::line("training bound 2NDk_BT* + pump work (flat)", flat, PALETTE[0]),
            Series::line("a T*-independent cost E₀ + pump work (∝ T/T*)", fixed, PALETTE[1])
                .dashed(),
        ],
        true,
    )?;
    let mut headline = serde_json::Map::new();
    headline.insert("max_relative_deviation_from_flat".into(), json!(max_dev));
    headline.insert("bound_at_ambient_J".into(), json!(e_amb));
    headline.insert(
        "paper".into(),
        json!("E_min(T) = (T/T*) E_min(T*): cooling cannot beat the bound"),
    );
    Ok(FigureOutput::new(table, p, svg, EXACT_TOLERANCE)?
        .choices(vec![
            format!(
                "N·D = {:.3e} (DeepSeek V3's 671e9 parameters × 14.8e12 tokens), ambient {t} K",
                p.n_times_d
            ),
            format!(
                "the T*-independent comparison cost E₀ = {} J (arbitrary: only its shape matters)",
                p.fixed_cost
            ),
        ])
        .headline(headline))
}
