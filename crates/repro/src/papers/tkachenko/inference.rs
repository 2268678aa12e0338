//! Quasi-static inference (v1 Eq. 7, qs Eq. 5: E_inf^min = 0): relaxation of the neurons
//! to the forward pass F = 0; the free-phase Boltzmann statistics at finite T
//! (κ_i⟨r_i²⟩/k_BT = 1, residuals of different layers uncorrelated, ⟨∂F/∂b⟩ = 0) with the
//! Euler–Maruyama bias vanishing as dt → 0 (`inference`); and the work of changing the
//! input over a time τ_sw, which must vanish as τ_sw grows (like 1/τ_sw at T = 0) with
//! ⟨e^{−W/k_BT}⟩ = 1 at finite T, the free energy (Eq. 4 / unnumbered in v1) being
//! independent of the input (`inference_work`).

use anyhow::Result;
use models::tkachenko::{Activation, Network, NeuronLangevin, State, boltzmann_sample};
use rand::RngExt;
use rayon::prelude::*;
use serde_json::json;

use super::SIM_TOLERANCE;
use super::presets::{InferenceParams, InferenceWorkParams, TestNetwork};
use crate::pipeline::plot::{self, PALETTE, Panel, Series};
use crate::pipeline::{Cell, Column, FigureOutput, RunContext, Table};

/// The test network: tanh hidden layers, a linear output, parameters U(−s, s).
pub fn test_network(t: &TestNetwork, ctx: &RunContext) -> Result<Network> {
    let h = t.sizes.len() - 1;
    let mut acts = vec![Activation::Tanh; h];
    acts[h - 1] = Activation::Identity;
    let count: usize = (0..h).map(|l| t.sizes[l + 1] * (t.sizes[l] + 1)).sum();
    let mut rng = ctx.rng("tkachenko/inference/network", &[]);
    let p: Vec<f64> =
        (0..count).map(|_| rng.random_range(-t.weight_scale..t.weight_scale)).collect();
    Ok(Network::new(&t.sizes, &acts, &vec![t.stiffness; h], &p)?)
}

fn distance(a: &State, b: &State) -> f64 {
    a.iter()
        .zip(b)
        .flat_map(|(u, v)| u.iter().zip(v).map(|(p, q)| (p - q).powi(2)))
        .sum::<f64>()
        .sqrt()
}

/// `tkachenko/inference`.
pub fn inference(p: &InferenceParams, ctx: &RunContext) -> Result<FigureOutput> {
    let net = test_network(&p.network, ctx)?;
    let fwd = net.forward(&p.input)?;
    let h = net.layers().len();
    let mut table = Table::new(vec![
        Column::new("part", "", "relaxation (T = 0 gradient flow) or statistics (finite T)"),
        Column::new(
            "run",
            "1",
            "relaxation: start index; statistics: dt index (−1: exact sampler)",
        ),
        Column::new("t", "1/(μκ)", "relaxation: time"),
        Column::new("energy", "κ x²", "relaxation: F(t)"),
        Column::new("distance", "x", "relaxation: ‖x(t) − forward pass‖"),
        Column::new("dt", "1/(μκ)", "statistics: Euler–Maruyama step (empty: exact sampler)"),
        Column::new("layer", "1", "statistics: layer"),
        Column::new(
            "kappa_r2_over_kt",
            "1",
            "statistics: κ⟨r²⟩/k_BT averaged over the layer's neurons (1 in equilibrium)",
        ),
        Column::new("kappa_r2_over_kt_se", "1", "its standard error"),
    ]);
    // Relaxation at T = 0.
    let lang0 = NeuronLangevin::new(p.network.mobility, 0.0, p.relax_dt)?;
    let steps = (p.relax_time / p.relax_dt).round() as usize;
    let record = (steps / 300).max(1);
    let mut relax_series = Vec::new();
    let mut final_energy: f64 = 0.0;
    for s in 0..p.starts {
        let mut rng = ctx.rng("tkachenko/inference/start", &[s as u64]);
        let mut x = fwd.clone();
        for layer in x.iter_mut().skip(1) {
            for v in layer.iter_mut() {
                *v = rng.random_range(-2.0..2.0);
            }
        }
        let mut g = Vec::new();
        let mut pts = Vec::new();
        for k in 0..=steps {
            if k % record == 0 {
                let (e, d) = (net.energy(&x), distance(&x, &fwd));
                table.push(vec![
                    "relaxation".into(),
                    (s as f64).into(),
                    (k as f64 * p.relax_dt).into(),
                    e.into(),
                    d.into(),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ]);
                pts.push((k as f64 * p.relax_dt, e.max(1e-300).log10()));
            }
            if k < steps {
                lang0.step(&net, &mut x, &mut g, &mut rng);
            }
        }
        final_energy = final_energy.max(net.energy(&x));
        relax_series.push(Series::line(format!("start {s}"), pts, PALETTE[s % PALETTE.len()]));
    }
    // Statistics at finite T: EM chains per dt, and the exact sampler.
    let kt = p.thermal_energy;
    let layer_stats = |xs: &[State]| -> Vec<(f64, f64)> {
        (0..h)
            .map(|l| {
                let kappa = net.layers()[l].stiffness;
                let v: Vec<f64> = xs
                    .iter()
                    .map(|x| {
                        let r = &net.residuals(x)[l].1;
                        kappa * r.iter().map(|r| r * r).sum::<f64>() / (kt * r.len() as f64)
                    })
                    .collect();
                let m = v.iter().sum::<f64>() / v.len() as f64;
                let var = v.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64;
                (m, (var / v.len() as f64).sqrt())
            })
            .collect()
    };
    let mut rng = ctx.rng("tkachenko/inference/exact", &[]);
    let exact: Vec<State> = (0..p.chains)
        .map(|_| boltzmann_sample(&net, &p.input, kt, &mut rng))
        .collect::<std::result::Result<_, _>>()?;
    let exact_stats = layer_stats(&exact);
    // ⟨∂F/∂θ⟩ = 0 and residual correlations between the first two layers, exact sampler.
    let n_par = net.n_params();
    let mut sum = vec![0.0; n_par];
    let mut sum2 = vec![0.0; n_par];
    let mut corr = 0.0;
    for x in &exact {
        let g = net.gradient_params(x);
        for k in 0..n_par {
            sum[k] += g[k];
            sum2[k] += g[k] * g[k];
        }
        let res = net.residuals(x);
        corr += res[0].1[0] * res[h - 1].1[0];
    }
    let c = p.chains as f64;
    let max_z = (0..n_par)
        .map(|k| {
            let m = sum[k] / c;
            let sd = (sum2[k] / c - m * m).max(0.0).sqrt();
            if sd > 0.0 { (m / (sd / c.sqrt())).abs() } else { 0.0 }
        })
        .fold(0.0f64, f64::max);
    let corr_z = (corr / c)
        / (kt / (net.layers()[0].stiffness * net.layers()[h - 1].stiffness).sqrt() / c.sqrt());
    for (l, &(m, se)) in exact_stats.iter().enumerate() {
        table.push(vec![
            "statistics".into(),
            (-1.0).into(),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            ((l + 1) as f64).into(),
            m.into(),
            se.into(),
        ]);
    }
    let em: Vec<Vec<(f64, f64)>> = p
        .dts
        .par_iter()
        .enumerate()
        .map(|(i, &dt)| -> Result<Vec<(f64, f64)>> {
            let lang = NeuronLangevin::new(p.network.mobility, kt, dt)?;
            let mut rng = ctx.rng("tkachenko/inference/chains", &[i as u64]);
            let steps = (p.burn_time / dt).round() as usize;
            let mut g = Vec::new();
            let xs: Vec<State> = (0..p.chains)
                .map(|_| {
                    let mut x = fwd.clone();
                    for _ in 0..steps {
                        lang.step(&net, &mut x, &mut g, &mut rng);
                    }
                    x
                })
                .collect();
            Ok(layer_stats(&xs))
        })
        .collect::<Result<_>>()?;
    let mut stat_series = Vec::new();
    for l in 0..h {
        let pts: Vec<(f64, f64)> = p.dts.iter().zip(&em).map(|(&dt, s)| (dt, s[l].0)).collect();
        let errs: Vec<f64> = em.iter().map(|s| s[l].1).collect();
        stat_series.push(
            Series::scatter(
                format!("layer {} (Euler–Maruyama, ± 1 SE)", l + 1),
                pts,
                PALETTE[l % PALETTE.len()],
            )
            .with_errors(errs),
        );
    }
    for (i, (&dt, s)) in p.dts.iter().zip(&em).enumerate() {
        for (l, &(m, se)) in s.iter().enumerate() {
            table.push(vec![
                "statistics".into(),
                (i as f64).into(),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                dt.into(),
                ((l + 1) as f64).into(),
                m.into(),
                se.into(),
            ]);
        }
    }
    let (lo, hi) = (
        p.dts.iter().copied().fold(f64::INFINITY, f64::min),
        p.dts.iter().copied().fold(0.0, f64::max),
    );
    stat_series.push(
        Series::line("Boltzmann: κ⟨r²⟩/k_BT = 1", vec![(lo, 1.0), (hi, 1.0)], PALETTE[5]).dashed(),
    );
    let svg = plot::side_by_side(
        &format!("Quasi-static inference in a {:?} network", p.network.sizes),
        &[
            Panel {
                title: "relaxation to the forward pass (T = 0)".into(),
                x_label: "t (1/(μκ))".into(),
                y_label: "log₁₀ F".into(),
                series: relax_series,
                log_x: false,
            },
            Panel {
                title: format!("free phase at k_BT = {kt}"),
                x_label: "Euler–Maruyama dt (log axis)".into(),
                y_label: "κ⟨r²⟩/k_BT".into(),
                series: stat_series,
                log_x: true,
            },
        ],
    )?;
    let max_exact_dev =
        exact_stats.iter().map(|&(m, se)| ((m - 1.0) / se).abs()).fold(0.0f64, f64::max);
    let smallest =
        em.last().map(|s| s.iter().map(|&(m, _)| (m - 1.0).abs()).fold(0.0f64, f64::max));
    let largest =
        em.first().map(|s| s.iter().map(|&(m, _)| (m - 1.0).abs()).fold(0.0f64, f64::max));
    let mut headline = serde_json::Map::new();
    headline.insert("largest_final_energy_of_relaxation".into(), json!(final_energy));
    headline.insert("exact_sampler_max_z_of_kappa_r2_over_kt".into(), json!(max_exact_dev));
    headline.insert("exact_sampler_max_z_of_mean_dF_dtheta".into(), json!(max_z));
    headline
        .insert("exact_sampler_z_of_residual_correlation_first_last_layer".into(), json!(corr_z));
    headline.insert("em_max_bias_at_largest_dt".into(), json!(largest));
    headline.insert("em_max_bias_at_smallest_dt".into(), json!(smallest));
    headline.insert("paper".into(), json!("F has the single minimum F = 0 at the forward pass; at finite T, x_i = f(y_i) + δ_i with ⟨δ²⟩ = k_BT/κ_i"));
    Ok(FigureOutput::new(table, p, svg, SIM_TOLERANCE)?
        .choices(vec![
            format!("network {:?}, tanh hidden layers, linear output, κ = {}, parameters U(−{s}, {s}), μ = {}", p.network.sizes, p.network.stiffness, p.network.mobility, s = p.network.weight_scale),
            format!("relaxation: {} starts U(−2, 2), gradient flow by Euler steps of {} for {} time units", p.starts, p.relax_dt, p.relax_time),
            format!("statistics: {} chains per dt started at the forward pass, measured after {} time units; the exact sampler draws {} states", p.chains, p.burn_time, p.chains),
        ])
        .headline(headline))
}

/// `tkachenko/inference_work`.
pub fn inference_work(p: &InferenceWorkParams, ctx: &RunContext) -> Result<FigureOutput> {
    let net = test_network(&p.network, ctx)?;
    let taus: Vec<f64> = (0..p.n_tau)
        .map(|k| {
            10f64.powf(
                p.tau_log_min + (p.tau_log_max - p.tau_log_min) * k as f64 / (p.n_tau - 1) as f64,
            )
        })
        .collect();
    let kt = p.thermal_energy;
    // One path: the input ramps linearly over τ; W = Σ [F(x; u_{k+1}) − F(x; u_k)].
    let run =
        |tau: f64, temperature: f64, rng: &mut rand_pcg::Pcg64, start: State| -> Result<f64> {
            let lang = NeuronLangevin::new(p.network.mobility, temperature, p.dt)?;
            let steps = (tau / p.dt).round().max(1.0) as usize;
            let mut x = start;
            let mut g = Vec::new();
            let mut w = 0.0;
            for k in 0..steps {
                let s1 = (k + 1) as f64 / steps as f64;
                let before = net.energy(&x);
                for (i, v) in x[0].iter_mut().enumerate() {
                    *v = p.from[i] + (p.to[i] - p.from[i]) * s1;
                }
                w += net.energy(&x) - before;
                lang.step(&net, &mut x, &mut g, rng);
            }
            Ok(w)
        };
    let results: Vec<(f64, f64, f64, f64, f64)> = taus
        .par_iter()
        .enumerate()
        .map(|(i, &tau)| -> Result<(f64, f64, f64, f64, f64)> {
            let mut rng = ctx.rng("tkachenko/inference_work/paths", &[i as u64]);
            let w0 = run(tau, 0.0, &mut rng, net.forward(&p.from)?)?;
            let ws: Vec<f64> = (0..p.paths)
                .map(|_| {
                    let start = boltzmann_sample(&net, &p.from, kt, &mut rng)?;
                    run(tau, kt, &mut rng, start)
                })
                .collect::<Result<_>>()?;
            let n = ws.len() as f64;
            let mean = ws.iter().sum::<f64>() / n;
            let se = (ws.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / (n - 1.0) / n).sqrt();
            let e: Vec<f64> = ws.iter().map(|w| (-w / kt).exp()).collect();
            let me = e.iter().sum::<f64>() / n;
            let se_e = (e.iter().map(|v| (v - me).powi(2)).sum::<f64>() / (n - 1.0) / n).sqrt();
            Ok((w0, mean, se, me, se_e))
        })
        .collect::<Result<_>>()?;
    let mut table = Table::new(vec![
        Column::new("tau_sw", "1/(μκ)", "switching time"),
        Column::new("work_t0", "κ x²", "work at T = 0 (gradient flow from the forward pass)"),
        Column::new("mean_work", "κ x²", "⟨W⟩ at finite T"),
        Column::new("mean_work_se", "κ x²", "its standard error"),
        Column::new("jarzynski", "1", "⟨e^{−W/k_BT}⟩ (1 if ΔF = 0)"),
        Column::new("jarzynski_se", "1", "its standard error"),
    ]);
    for (&tau, r) in taus.iter().zip(&results) {
        table.push(vec![tau.into(), r.0.into(), r.1.into(), r.2.into(), r.3.into(), r.4.into()]);
    }
    let tail: Vec<(f64, f64)> = taus
        .iter()
        .zip(&results)
        .filter(|(t, _)| **t >= 30.0)
        .map(|(t, r)| (t.log10(), r.0.log10()))
        .collect();
    let slope = {
        let n = tail.len() as f64;
        let mx = tail.iter().map(|t| t.0).sum::<f64>() / n;
        let my = tail.iter().map(|t| t.1).sum::<f64>() / n;
        tail.iter().map(|t| (t.0 - mx) * (t.1 - my)).sum::<f64>()
            / tail.iter().map(|t| (t.0 - mx).powi(2)).sum::<f64>()
    };
    // Jarzynski can be checked by sampling only where the dissipated work is ≲ a few k_BT:
    // beyond, ⟨e^(−W/k_BT)⟩ is carried by rare paths and a finite sample is biased low.
    let checkable: Vec<usize> = (0..results.len()).filter(|&i| results[i].1 <= 2.0 * kt).collect();
    let max_j = checkable
        .iter()
        .map(|&i| ((results[i].3 - 1.0) / results[i].4).abs())
        .fold(0.0f64, f64::max);
    let svg = plot::side_by_side(
        &format!("The work of changing the input over τ_sw ({:?} network)", p.network.sizes),
        &[
            Panel {
                title: "work".into(),
                x_label: "τ_sw (log axis)".into(),
                y_label: "log₁₀ W".into(),
                series: vec![
                    Series::line(
                        "T = 0",
                        taus.iter().zip(&results).map(|(&t, r)| (t, r.0.log10())).collect(),
                        PALETTE[0],
                    )
                    .with_markers(),
                    Series::scatter(
                        format!("⟨W⟩ at k_BT = {kt} (± 1 SE)"),
                        taus.iter()
                            .zip(&results)
                            .map(|(&t, r)| (t, r.1.max(1e-300).log10()))
                            .collect(),
                        PALETTE[1],
                    ),
                ],
                log_x: true,
            },
            Panel {
                title: "Jarzynski".into(),
                x_label: "τ_sw (log axis)".into(),
                y_label: "⟨e^(−W/k_BT)⟩".into(),
                series: vec![
                    Series::scatter(
                        "⟨e^(−W/k_BT)⟩ (± 1 SE)",
                        taus.iter().zip(&results).map(|(&t, r)| (t, r.3)).collect(),
                        PALETTE[2],
                    )
                    .with_errors(results.iter().map(|r| r.4).collect()),
                    Series::line(
                        "1 (ΔF = 0)",
                        vec![(taus[0], 1.0), (taus[taus.len() - 1], 1.0)],
                        PALETTE[3],
                    )
                    .dashed(),
                ],
                log_x: true,
            },
        ],
    )?;
    let mut headline = serde_json::Map::new();
    headline.insert("t0_work_log_log_slope_for_tau_ge_30".into(), json!(slope));
    headline.insert("t0_work_at_largest_tau".into(), json!(results.last().map(|r| r.0)));
    headline.insert("jarzynski_max_abs_z_where_mean_work_le_2kT".into(), json!(max_j));
    headline.insert(
        "jarzynski_checkable_taus".into(),
        json!(checkable.iter().map(|&i| taus[i]).collect::<Vec<_>>()),
    );
    headline.insert(
        "paper".into(),
        json!("E_inf^min = 0: inference can be thermodynamically reversible"),
    );
    let notes = vec![format!(
        "the T = 0 work falls like τ_sw^{slope:.2} for τ_sw ≥ 30 (1/τ_sw would be −1); where ⟨W⟩ ≤ 2 k_BT ({} switching \
         times) ⟨e^(−W/k_BT)⟩ = 1 within {max_j:.1} SE; for faster switching the sample mean is carried by rare paths \
         and is not a test",
        checkable.len()
    )];
    Ok(FigureOutput::new(table, p, svg, SIM_TOLERANCE)?
        .choices(vec![
            format!("the input ramps linearly from {:?} to {:?}; Euler–Maruyama dt = {}, μ = {}", p.from, p.to, p.dt, p.network.mobility),
            "work: Σ_k [F(x_k; u_{k+1}) − F(x_k; u_k)] (the input is the control parameter), then a step of the neurons".into(),
            format!("finite T: {} paths per τ_sw from exact Boltzmann draws at the first input, k_BT = {kt}", p.paths),
        ])
        .headline(headline)
        .notes(notes))
}
