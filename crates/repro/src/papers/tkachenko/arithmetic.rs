//! Table I of both versions (energy per token) and every other number of the text,
//! recomputed from stated inputs (the paper states none: each is a preset field with its
//! source). Each cell: the paper's value, the recomputed one, their ratio, and a flag
//! when the ratio is outside [1/f, f] (the paper quotes one significant digit).

use anyhow::Result;
use serde_json::json;

use super::EXACT_TOLERANCE;
use super::presets::{ArithmeticParams, BOLTZMANN};
use crate::pipeline::plot::{self, PALETTE, Series};
use crate::pipeline::{Column, FigureOutput, RunContext, Table};

/// One recomputed number.
struct Cell {
    what: &'static str,
    version: &'static str,
    paper: f64,
    ours: f64,
    unit: &'static str,
    rule: String,
}

fn landauer_per_flop(p: &ArithmeticParams) -> f64 {
    p.bits_per_flop.value * BOLTZMANN * p.temperature.value * std::f64::consts::LN_2
}

fn table(
    cells: &[Cell],
    p: &ArithmeticParams,
) -> (Table, Vec<String>, serde_json::Map<String, serde_json::Value>) {
    let mut t = Table::new(vec![
        Column::new("quantity", "", "what is computed"),
        Column::new("version", "", "v1, qs (quasi-static) or both"),
        Column::new("paper", "(unit column)", "the paper's value"),
        Column::new("recomputed", "(unit column)", "from the preset's inputs by the stated rule"),
        Column::new("ratio", "1", "recomputed / paper"),
        Column::new("unit", "", "unit"),
        Column::new(
            "flag",
            "",
            "derivable: ratio within [1/f, f]; else not derivable from the stated rule",
        ),
        Column::new("rule", "", "how it was recomputed"),
    ]);
    let mut notes = Vec::new();
    let mut headline = serde_json::Map::new();
    for c in cells {
        let ratio = if c.paper == 0.0 {
            if c.ours == 0.0 { 1.0 } else { f64::INFINITY }
        } else {
            c.ours / c.paper
        };
        let ok = ratio.is_finite() && ratio <= p.flag_factor && ratio >= 1.0 / p.flag_factor;
        let flag = if ok { "derivable" } else { "NOT DERIVABLE" };
        if !ok {
            notes.push(format!(
                "{} ({}): the paper's {:e} {} is not derivable from the stated rule; recomputed {:.3e} (ratio {:.2}); {}",
                c.what, c.version, c.paper, c.unit, c.ours, ratio, c.rule
            ));
        }
        t.push(vec![
            c.what.into(),
            c.version.into(),
            c.paper.into(),
            c.ours.into(),
            ratio.into(),
            c.unit.into(),
            flag.into(),
            c.rule.clone().into(),
        ]);
        headline.insert(
            format!("{} [{}]", c.what, c.version),
            json!({"paper": c.paper, "recomputed": c.ours, "ratio": ratio, "flag": flag}),
        );
    }
    (t, notes, headline)
}

fn bar_svg(title: &str, cells: &[Cell]) -> Result<String> {
    let pts: Vec<(f64, f64)> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| c.paper > 0.0 && c.ours > 0.0)
        .map(|(i, c)| ((i + 1) as f64, (c.ours / c.paper).log10()))
        .collect();
    let n = cells.len() as f64;
    plot::line_chart(
        title,
        "cell (numbered in data.csv order)",
        "log₁₀ (recomputed / paper)",
        &[
            Series::scatter("cells", pts, PALETTE[0]),
            Series::line(
                "factor 2 (one significant digit)",
                vec![(0.5, 2f64.log10()), (n + 0.5, 2f64.log10())],
                PALETTE[1],
            )
            .dashed(),
            Series::line(
                "factor 1/2",
                vec![(0.5, -(2f64.log10())), (n + 0.5, -(2f64.log10()))],
                PALETTE[1],
            )
            .dashed(),
            Series::line("exact", vec![(0.5, 0.0), (n + 0.5, 0.0)], PALETTE[2]),
        ],
        false,
    )
}

fn sources(p: &ArithmeticParams) -> Vec<String> {
    let v = serde_json::to_value(p).unwrap_or_default();
    let mut out = vec![
        "every input with its value and source is in params; the paper states none of them"
            .to_owned(),
    ];
    if let Some(m) = v.as_object() {
        for (k, x) in m {
            if let (Some(val), Some(src)) = (x.get("value"), x.get("source")) {
                out.push(format!(
                    "{k} = {val} {}: {}",
                    x.get("unit").and_then(|u| u.as_str()).unwrap_or(""),
                    src.as_str().unwrap_or("")
                ));
            }
        }
    }
    out
}

/// `tkachenko/table1`.
pub fn table1(p: &ArithmeticParams, _ctx: &RunContext) -> Result<FigureOutput> {
    let kt = BOLTZMANN * p.temperature.value;
    let lf = landauer_per_flop(p);
    let llama_flops = p.inference_flops_per_param.value * p.llama_params.value;
    let ds_flops = p.training_flops_per_param.value * p.deepseek_active.value;
    let ds_energy = p.deepseek_gpu_hours.value * 3600.0 * p.h800_watts.value;
    let neurons = p.llama_layers.value * (p.llama_width.value + p.llama_ffn.value);
    let pa = p.activation_probability.value;
    let reset = -kt * neurons * (pa * pa.ln() + (1.0 - pa) * (1.0 - pa).ln());
    let cells = vec![
        Cell {
            what: "inference current (Llama 65B)",
            version: "both",
            paper: 4.0,
            ours: p.llama_joules_per_token.value,
            unit: "J/token",
            rule: "taken from the paper's source (a measurement; nothing to derive)".into(),
        },
        Cell {
            what: "inference Landauer limit",
            version: "both",
            paper: 5e-8,
            ours: llama_flops * lf,
            unit: "J/token",
            rule: format!(
                "{} FLOP/token/param × {:.3e} params × {:.3e} J per 16-bit FLOP (the paper's 5e-8 needs {:.1e} FLOP/token)",
                p.inference_flops_per_param.value,
                p.llama_params.value,
                lf,
                5e-8 / lf
            ),
        },
        Cell {
            what: "inference analog bound, dynamic",
            version: "v1",
            paper: 1e-14,
            ours: reset,
            unit: "J/token",
            rule: format!(
                "Eq. 5 with ν = layers × (width + FFN width) = {neurons:.3e} neurons per token, p = {pa} (the paper states neither)"
            ),
        },
        Cell {
            what: "inference analog bound, quasi-static",
            version: "both",
            paper: 0.0,
            ours: 0.0,
            unit: "J/token",
            rule: "Eq. 5 (qs) / 7 (v1): E_inf^min = 0".into(),
        },
        Cell {
            what: "training current (DeepSeek V3)",
            version: "both",
            paper: 0.2,
            ours: ds_energy / p.deepseek_tokens.value,
            unit: "J/token",
            rule: format!(
                "{:.4e} H800 GPU·h × {} W / {:.3e} tokens (the paper's 0.2 needs {:.0} W per GPU on average)",
                p.deepseek_gpu_hours.value,
                p.h800_watts.value,
                p.deepseek_tokens.value,
                0.2 * p.deepseek_tokens.value / (p.deepseek_gpu_hours.value * 3600.0)
            ),
        },
        Cell {
            what: "training Landauer limit",
            version: "both",
            paper: 5e-8,
            ours: ds_flops * lf,
            unit: "J/token",
            rule: format!(
                "6 N_a FLOP/token with N_a = {:.2e} active × {lf:.3e} J per FLOP",
                p.deepseek_active.value
            ),
        },
        Cell {
            what: "training Landauer limit via Eq. 18/17 (10² N_a k_BT)",
            version: "both",
            paper: 5e-8,
            ours: 100.0 * p.deepseek_active.value * kt,
            unit: "J/token",
            rule: "10² N_a k_BT per token".into(),
        },
        Cell {
            what: "training analog bound",
            version: "both",
            paper: 5e-9,
            ours: 2.0 * p.deepseek_params.value * kt,
            unit: "J/token",
            rule: format!(
                "Eq. 17 (qs) / 16 (v1): 2 N k_BT per token with N = {:.3e} (all parameters)",
                p.deepseek_params.value
            ),
        },
    ];
    let (table, notes, mut headline) = table(&cells, p);
    headline
        .insert("paper".into(), json!("Table I (both versions; v1 adds the dynamic 10⁻¹⁴ entry)"));
    let svg =
        bar_svg("Table I recomputed from stated inputs: recomputed / paper per cell", &cells)?;
    Ok(FigureOutput::new(table, p, svg, EXACT_TOLERANCE)?
        .choices(sources(p))
        .headline(headline)
        .notes(notes))
}

/// `tkachenko/claims`.
pub fn claims(p: &ArithmeticParams, _ctx: &RunContext) -> Result<FigureOutput> {
    let kt = BOLTZMANN * p.temperature.value;
    let lf = landauer_per_flop(p);
    let a100 = p.a100_watts.value / p.a100_flops.value;
    let h100 = p.h100_watts.value / p.h100_flops.value;
    let cells = vec![
        Cell {
            what: "Landauer energy per 16-bit FLOP",
            version: "both",
            paper: 5e-20,
            ours: lf,
            unit: "J",
            rule: format!("16 k_BT ln 2 at {} K", p.temperature.value),
        },
        Cell {
            what: "GPU energy per FLOP (H100/H800 dense BF16)",
            version: "both",
            paper: 5e-13,
            ours: h100,
            unit: "J",
            rule: format!("{} W / {:.3e} FLOP/s", p.h100_watts.value, p.h100_flops.value),
        },
        Cell {
            what: "GPU energy per FLOP (A100 dense BF16)",
            version: "both",
            paper: 5e-13,
            ours: a100,
            unit: "J",
            rule: format!("{} W / {:.3e} FLOP/s", p.a100_watts.value, p.a100_flops.value),
        },
        Cell {
            what: "orders of magnitude above Landauer (\"at least 7\")",
            version: "both",
            paper: 1e7,
            ours: h100 / lf,
            unit: "1",
            rule: "GPU J/FLOP over 16 k_BT ln 2".into(),
        },
        Cell {
            what: "digital training bound prefactor (\"10²\" in 10² N_a D k_BT)",
            version: "both",
            paper: 100.0,
            ours: p.training_flops_per_param.value * p.bits_per_flop.value * std::f64::consts::LN_2,
            unit: "1",
            rule: "6 FLOPs × 16 bits × ln 2".into(),
        },
        Cell {
            what: "brain: Landauer-limited rate at 10 W",
            version: "v1",
            paper: 3e21,
            ours: p.brain_watts.value / (kt * std::f64::consts::LN_2),
            unit: "bit/s",
            rule: format!("{} W / (k_BT ln 2)", p.brain_watts.value),
        },
        Cell {
            what: "brain: rate of neuron state changes",
            version: "v1",
            paper: 1e12,
            ours: p.brain_neurons.value * p.brain_rate.value,
            unit: "bit/s",
            rule: "10¹¹ neurons × 10 Hz".into(),
        },
        Cell {
            what: "reset bound at p = ½ (Landauer, per neuron)",
            version: "v1",
            paper: std::f64::consts::LN_2,
            ours: -(0.5f64 * 0.5f64.ln() * 2.0),
            unit: "k_BT",
            rule: "−(p ln p + (1−p) ln(1−p)) at p = ½".into(),
        },
    ];
    let (table, mut notes, mut headline) = table(&cells, p);
    notes.push(
        "the midrange window 10¹⁵–10¹⁹ bit/s (v1) is an opinion between the two bounds, not a computation".into(),
    );
    headline.insert("paper".into(), json!("the numbers in the text of both versions"));
    let svg = bar_svg("The text's numbers recomputed: recomputed / paper", &cells)?;
    Ok(FigureOutput::new(table, p, svg, EXACT_TOLERANCE)?
        .choices(sources(p))
        .headline(headline)
        .notes(notes))
}
