//! v1 Eq. 5: the reset bound of a dynamic analog network,
//! E_inf > −k_BT ν (p ln p + (1 − p) ln(1 − p)) "= k_BT ν_a (1 + ln(ν/ν_a))", p = ν_a/ν.
//! The second form is the p ≪ 1 expansion of the first, not an identity: their relative
//! difference is drawn against p, with the Landauer case p = ½.

use anyhow::Result;
use serde_json::json;

use super::EXACT_TOLERANCE;
use super::presets::Eq5Params;
use crate::pipeline::plot::{self, PALETTE, Panel, Series};
use crate::pipeline::{Column, FigureOutput, RunContext, Table};

/// −(p ln p + (1 − p) ln(1 − p)) per neuron (k_BT).
pub fn entropy_bound(p: f64) -> f64 {
    -(p * p.ln() + (1.0 - p) * (-p).ln_1p())
}

/// p (1 + ln(1/p)) per neuron (k_BT), the paper's closed form ν_a(1 + ln(ν/ν_a))/ν.
pub fn closed_form(p: f64) -> f64 {
    p * (1.0 - p.ln())
}

/// `tkachenko/eq5`.
pub fn eq5(p: &Eq5Params, _ctx: &RunContext) -> Result<FigureOutput> {
    let lo = p.p_log_min;
    let hi = 0.5f64.log10();
    let ps: Vec<f64> =
        (0..p.n_p).map(|k| 10f64.powf(lo + (hi - lo) * k as f64 / (p.n_p - 1) as f64)).collect();
    let mut table = Table::new(vec![
        Column::new("p", "1", "activation probability ν_a/ν"),
        Column::new("entropy_bound", "k_BT per neuron", "−(p ln p + (1 − p) ln(1 − p))"),
        Column::new(
            "closed_form",
            "k_BT per neuron",
            "p (1 + ln(1/p)), the paper's ν_a(1 + ln(ν/ν_a))/ν",
        ),
        Column::new("relative_difference", "1", "closed form / entropy bound − 1"),
    ]);
    let mut rel = Vec::new();
    let mut both = (Vec::new(), Vec::new());
    for &x in &ps {
        let (a, b) = (entropy_bound(x), closed_form(x));
        table.push(vec![x.into(), a.into(), b.into(), (b / a - 1.0).into()]);
        rel.push((x, (b / a - 1.0).log10()));
        both.0.push((x, a.log10()));
        both.1.push((x, b.log10()));
    }
    let half = (closed_form(0.5), entropy_bound(0.5));
    let at = |x: f64| closed_form(x) / entropy_bound(x) - 1.0;
    let svg = plot::side_by_side(
        "v1 Eq. 5: the reset bound and its closed form",
        &[
            Panel {
                title: "per neuron".into(),
                x_label: "p = ν_a/ν (log axis)".into(),
                y_label: "log₁₀ (energy / k_BT per neuron)".into(),
                series: vec![
                    Series::line("−(p ln p + (1−p) ln(1−p))", both.0, PALETTE[0]),
                    Series::line("p (1 + ln(1/p)) (the paper's closed form)", both.1, PALETTE[1])
                        .dashed(),
                ],
                log_x: true,
            },
            Panel {
                title: "relative difference".into(),
                x_label: "p (log axis)".into(),
                y_label: "log₁₀ (closed form / bound − 1)".into(),
                series: vec![Series::line("closed form over the bound − 1", rel, PALETTE[2])],
                log_x: true,
            },
        ],
    )?;
    let mut headline = serde_json::Map::new();
    headline.insert("relative_difference_at_p_1e-3".into(), json!(at(1e-3)));
    headline.insert("relative_difference_at_p_1e-2".into(), json!(at(1e-2)));
    headline.insert("relative_difference_at_p_0.1".into(), json!(at(0.1)));
    headline.insert("at_p_half_closed_form_over_ln2".into(), json!(half.0 / half.1));
    headline
        .insert("entropy_bound_at_half_over_ln2".into(), json!(half.1 / std::f64::consts::LN_2));
    headline.insert("paper".into(), json!("v1 Eq. 5 writes the two forms as equal; the text says p = ½ recovers Landauer's k_BT ν ln 2"));
    let notes = vec![format!(
        "the '=' of Eq. 5 holds only as p → 0 (relative difference {:.3} at p = 0.01, {:.3} at p = 0.1); at p = ½ the \
         entropy form gives exactly ν ln 2 (Landauer, as the text says) while the closed form gives ν(1 + ln 2)/2 = \
         {:.3} ν ln 2",
        at(1e-2),
        at(0.1),
        half.0 / half.1
    )];
    Ok(FigureOutput::new(table, p, svg, EXACT_TOLERANCE)?
        .choices(vec![
            "p on a log grid from 10^p_log_min to ½; the bound per neuron in units of k_BT".into(),
        ])
        .headline(headline)
        .notes(notes))
}
