//! The stresses of the clamped network against backpropagation (v1 Eqs. 8–10, quasi-static
//! Eqs. 6–8): at the clamped minimum the backward rule holds exactly and ∂F*/∂θ = σ_i x_j
//! (the envelope theorem), and the paper calls the stresses "proportional" to the MSE
//! gradients. Here: the backward rule's residual, σx against finite differences of F*, and
//! ‖∂F*/∂θ / κ_out − ∂L/∂θ‖ / ‖∂L/∂θ‖ against κ_hidden/κ_out over several decades, for
//! random tanh networks with a linear output.

use anyhow::Result;
use models::tkachenko::{Activation, Network};
use rand::RngExt;
use rayon::prelude::*;
use serde_json::json;

use super::EXACT_TOLERANCE;
use super::presets::StressParams;
use crate::pipeline::plot::{self, PALETTE, Series};
use crate::pipeline::{Column, FigureOutput, RunContext, Table};

struct NetResult {
    /// Per ratio: relative difference to backprop.
    rel: Vec<f64>,
    /// Largest backward-rule residual over hidden neurons (relative to the largest stress).
    backward_residual: f64,
    /// Largest relative difference between σx and central differences of F* (ratio 1).
    envelope_error: f64,
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

/// `tkachenko/stress_backprop`.
pub fn stress_backprop(p: &StressParams, ctx: &RunContext) -> Result<FigureOutput> {
    let h = p.sizes.len() - 1;
    let mut acts = vec![Activation::Tanh; h];
    acts[h - 1] = Activation::Identity;
    let count: usize = (0..h).map(|l| p.sizes[l + 1] * (p.sizes[l] + 1)).sum();
    let ratios: Vec<f64> = (0..p.n_ratio)
        .map(|k| {
            10f64.powf(
                p.ratio_log_min
                    + (p.ratio_log_max - p.ratio_log_min) * k as f64 / (p.n_ratio - 1) as f64,
            )
        })
        .collect();
    let results: Vec<NetResult> = (0..p.networks)
        .into_par_iter()
        .map(|k| -> Result<NetResult> {
            let mut rng = ctx.rng("tkachenko/stress/network", &[k as u64]);
            let params: Vec<f64> = (0..count).map(|_| rng.random_range(-1.0..1.0)).collect();
            let input: Vec<f64> = (0..p.sizes[0]).map(|_| rng.random_range(-1.0..1.0)).collect();
            let target: Vec<f64> = (0..p.sizes[h]).map(|_| rng.random_range(-1.0..1.0)).collect();
            let mut kappa = vec![1.0; h];
            let base = Network::new(&p.sizes, &acts, &kappa, &params)?;
            let bp = base.backprop_mse(&input, &target)?;
            let mut rel = Vec::new();
            for &r in &ratios {
                for k in kappa.iter_mut().take(h - 1) {
                    *k = r;
                }
                let net = Network::new(&p.sizes, &acts, &kappa, &params)?;
                let c = net.clamped(&input, &target)?;
                let g = net.gradient_params(&c.state);
                let d: Vec<f64> = g.iter().zip(&bp).map(|(a, b)| a - b).collect();
                rel.push(norm(&d) / norm(&bp));
            }
            // Backward rule and envelope theorem at uniform κ.
            let net = Network::new(&p.sizes, &acts, &vec![1.0; h], &params)?;
            let c = net.clamped(&input, &target)?;
            let res = net.residuals(&c.state);
            let smax = res.iter().flat_map(|r| r.2.iter()).fold(0.0f64, |m, s| m.max(s.abs()));
            let mut backward_residual: f64 = 0.0;
            for l in 0..h - 1 {
                let n_in = p.sizes[l + 1];
                for j in 0..n_in {
                    let back: f64 = (0..p.sizes[l + 2])
                        .map(|q| net.layers()[l + 1].weights[q * n_in + j] * res[l + 1].2[q])
                        .sum();
                    let rule = net.layers()[l].activation.df(res[l].0[j]) * back;
                    backward_residual =
                        backward_residual.max((res[l].2[j] - rule).abs() / smax.max(1e-300));
                }
            }
            let g = net.gradient_params(&c.state);
            let mut m = net.clone();
            let mut envelope_error: f64 = 0.0;
            let scale = norm(&g) / (g.len() as f64).sqrt();
            for (i, &gi) in g.iter().enumerate() {
                let mut q = params.clone();
                q[i] += p.fd_step;
                m.set_params(&q)?;
                let up = m.clamped(&input, &target)?.energy;
                q[i] -= 2.0 * p.fd_step;
                m.set_params(&q)?;
                let down = m.clamped(&input, &target)?.energy;
                let fd = (up - down) / (2.0 * p.fd_step);
                envelope_error = envelope_error.max((fd - gi).abs() / scale);
            }
            Ok(NetResult { rel, backward_residual, envelope_error })
        })
        .collect::<Result<_>>()?;
    let mut table = Table::new(vec![
        Column::new("network", "1", "random network (weights, input and target U(−1, 1))"),
        Column::new("kappa_ratio", "1", "κ_hidden / κ_out (κ_out = 1)"),
        Column::new(
            "relative_difference",
            "1",
            "‖∂F*/∂θ / κ_out − ∂L/∂θ‖ / ‖∂L/∂θ‖, L = ½|f(y_out) − t|²",
        ),
    ]);
    let mut mean_pts = Vec::new();
    let mut max_pts = Vec::new();
    for (i, &r) in ratios.iter().enumerate() {
        let v: Vec<f64> = results.iter().map(|n| n.rel[i]).collect();
        for (k, x) in v.iter().enumerate() {
            table.push(vec![(k as f64).into(), r.into(), (*x).into()]);
        }
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        mean_pts.push((r, mean.log10()));
        max_pts.push((r, v.iter().copied().fold(0.0, f64::max).log10()));
    }
    // Slope of log(mean) vs log(ratio) over the last decade(s) (ratio ≥ 100).
    let tail: Vec<(f64, f64)> =
        mean_pts.iter().filter(|(r, _)| *r >= 100.0).map(|&(r, y)| (r.log10(), y)).collect();
    let slope = if tail.len() >= 2 {
        let n = tail.len() as f64;
        let mx = tail.iter().map(|t| t.0).sum::<f64>() / n;
        let my = tail.iter().map(|t| t.1).sum::<f64>() / n;
        tail.iter().map(|t| (t.0 - mx) * (t.1 - my)).sum::<f64>()
            / tail.iter().map(|t| (t.0 - mx).powi(2)).sum::<f64>()
    } else {
        f64::NAN
    };
    let uniform = ratios
        .iter()
        .position(|&r| (r - 1.0).abs() < 1e-9)
        .map(|i| results.iter().map(|n| n.rel[i]).sum::<f64>() / results.len() as f64);
    let backward = results.iter().map(|n| n.backward_residual).fold(0.0, f64::max);
    let envelope = results.iter().map(|n| n.envelope_error).fold(0.0, f64::max);
    let svg = plot::line_chart(
        &format!("Stresses vs backpropagation: {} random {:?} tanh networks", p.networks, p.sizes),
        "κ_hidden / κ_out (log axis)",
        "log₁₀ relative difference to ∂L/∂θ",
        &[
            Series::line("mean over networks", mean_pts, PALETTE[0]).with_markers(),
            Series::line("largest", max_pts, PALETTE[1]).dashed(),
        ],
        true,
    )?;
    let mut headline = serde_json::Map::new();
    headline.insert("mean_relative_difference_at_uniform_kappa".into(), json!(uniform));
    headline.insert("log_log_slope_for_ratio_ge_100".into(), json!(slope));
    headline.insert("max_backward_rule_residual_relative".into(), json!(backward));
    headline.insert("max_envelope_error_sigma_x_vs_fd".into(), json!(envelope));
    headline.insert(
        "paper".into(),
        json!("the stresses' derivatives \"are proportional to those of a conventional MSE loss\""),
    );
    let notes = vec![format!(
        "the backward rule holds at the clamped minimum to {backward:.1e} and ∂F*/∂θ = σx to {envelope:.1e} (finite \
         differences); proportionality to the MSE gradient holds only as κ_out/κ_hidden → 0: the mean relative \
         difference is {} at uniform κ and falls like (κ_hidden/κ_out)^{slope:.2}",
        uniform.map_or("n/a".to_owned(), |u| format!("{u:.3}"))
    )];
    Ok(FigureOutput::new(table, p, svg, EXACT_TOLERANCE)?
        .choices(vec![
            format!(
                "networks {:?}, tanh hidden layers and a linear output, weights, biases, input and target U(−1, 1) on the \
                 stream tkachenko/stress/network [k]; κ_out = 1 and every hidden κ = ratio",
                p.sizes
            ),
            "F* by Newton's method with the analytic Hessian from the forward pass, to |∂F/∂x| ≤ 1e-12 (1 + κ_max)".into(),
            format!("finite differences of F*: central, step {}", p.fd_step),
        ])
        .headline(headline)
        .notes(notes))
}
