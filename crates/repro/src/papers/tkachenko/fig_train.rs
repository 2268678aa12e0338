//! The headline experiment the paper argues but never plots (v1 Eq. 16, qs Eq. 17):
//! small tanh students (one hidden layer, N = 4H + 1 parameters) annealed on a noisy
//! teacher task at temperatures from 0 to well above the noise-matching point, from a
//! warm start at the optimum (found by full-batch gradient descent) and from scratch.
//! The excess training loss and the test MSE against k_BT; the temperature where the
//! excess doubles; the heat released there against 2 N k_BT per presentation; and the
//! excess and the test loss against the bound's ratio 2 N D k_BT / Q (Q the heat released over the D
//! measured presentations), where the bound E_train ≳ 2NDk_BT puts working training at
//! a ratio ≲ 1.

use anyhow::Result;
use models::tkachenko::{AnnealRecord, Annealing, Backprop, Network};
use rand::RngExt;
use rayon::prelude::*;
use serde_json::json;

use super::SIM_TOLERANCE;
use super::presets::FigTrainParams;
use crate::pipeline::plot::{self, PALETTE, Panel, Series};
use crate::pipeline::{Cell, Column, FigureOutput, RunContext, Table};
use models::tkachenko::Activation;

pub(super) type Data = Vec<(Vec<f64>, Vec<f64>)>;

/// |ΔF − W_sw + Q_released| / Q_released of a run: the first law's residual relative to
/// the heat (the midpoint rule's error for a non-quadratic F).
fn first_law_residual(r: &AnnealRecord) -> f64 {
    (r.energy_change - r.switching_work + r.heat_released).abs() / r.heat_released.abs()
}

/// The panel of the excess training loss against k_BT / k_BT*_est (fig_train and its
/// variants).
pub(super) fn excess_panel(title: &str, series: Vec<Series>) -> Panel {
    Panel {
        title: title.into(),
        x_label: "k_BT / k_BT*_est (log axis)".into(),
        y_label: "log₁₀ (⟨L_train⟩ − L_min)".into(),
        series,
        log_x: true,
    }
}

/// The panel of the heat per presentation over 2N k_BT*_est against k_BT / k_BT*_est.
pub(super) fn heat_panel(series: Vec<Series>) -> Panel {
    Panel {
        title: "heat per presentation / (2N k_BT*_est)".into(),
        x_label: "k_BT / k_BT*_est (log axis)".into(),
        y_label: "heat / (2N k_BT*_est)".into(),
        series,
        log_x: true,
    }
}

pub(super) fn student(width: usize, d: usize, params: &[f64], kappa: f64) -> Result<Network> {
    Ok(Network::new(
        &[d, width, 1],
        &[Activation::Tanh, Activation::Identity],
        &[1.0, kappa],
        params,
    )?)
}

pub(super) fn mean_loss(net: &Network, bp: &mut Backprop, data: &Data) -> f64 {
    data.iter().map(|(u, t)| bp.loss_grad(net, u, t, None)).sum::<f64>() / data.len() as f64
}

/// PyTorch-default initialisation of a [d, H, 1] network.
fn pytorch_init(width: usize, d: usize, rng: &mut rand_pcg::Pcg64) -> Vec<f64> {
    let b1 = 1.0 / (d as f64).sqrt();
    let b2 = 1.0 / (width as f64).sqrt();
    let mut p: Vec<f64> = (0..width * (d + 1)).map(|_| rng.random_range(-b1..b1)).collect();
    p.extend((0..=width).map(|_| rng.random_range(-b2..b2)));
    p
}

struct Run {
    width: usize,
    factor: f64,
    seed: usize,
    warm: bool,
    kt: f64,
    record: AnnealRecord,
    test: f64,
}

/// The teacher task: (training set, test set).
pub(super) fn task(p: &FigTrainParams, ctx: &RunContext) -> Result<(Data, Data)> {
    task_keyed(p, ctx, "tkachenko/fig_train/data", &[])
}

/// The teacher task with its data drawn from the stream `label` [key].
pub(super) fn task_keyed(
    p: &FigTrainParams,
    ctx: &RunContext,
    label: &str,
    key: &[u64],
) -> Result<(Data, Data)> {
    let d = p.teacher_sizes[0];
    let h = p.teacher_sizes.len() - 1;
    let mut acts = vec![Activation::Tanh; h];
    acts[h - 1] = Activation::Identity;
    let count: usize = (0..h).map(|l| p.teacher_sizes[l + 1] * (p.teacher_sizes[l] + 1)).sum();
    let mut rng = ctx.rng("tkachenko/fig_train/teacher", &[]);
    let tp: Vec<f64> =
        (0..count).map(|_| rng.random_range(-p.teacher_scale..p.teacher_scale)).collect();
    let teacher = Network::new(&p.teacher_sizes, &acts, &vec![1.0; h], &tp)?;
    let draw = |n: usize, rng: &mut rand_pcg::Pcg64| -> Result<Data> {
        (0..n)
            .map(|_| {
                let u: Vec<f64> = (0..d).map(|_| rng.random_range(-1.0..1.0)).collect();
                let y = teacher.forward(&u)?[h][0];
                let z: f64 = rand_distr::Distribution::sample(&rand_distr::StandardNormal, rng);
                Ok((u, vec![y + p.label_noise * z]))
            })
            .collect()
    };
    let mut rng = ctx.rng(label, key);
    let train = draw(p.n_train, &mut rng)?;
    let test = draw(p.n_test, &mut rng)?;
    Ok((train, test))
}

/// The optimum of a [d, w, 1] student on `train` by full-batch gradient descent, and its
/// loss.
pub(super) fn optimum(
    p: &FigTrainParams,
    w: usize,
    train: &Data,
    ctx: &RunContext,
) -> Result<(Vec<f64>, f64)> {
    let d = p.teacher_sizes[0];
    let mut rng = ctx.rng("tkachenko/fig_train/optimum", &[w as u64]);
    let mut theta = pytorch_init(w, d, &mut rng);
    let mut net = student(w, d, &theta, p.stiffness)?;
    let mut bp = Backprop::new(&net);
    let np = net.n_params();
    let mut g = vec![0.0; np];
    let mut acc = vec![0.0; np];
    for _ in 0..p.optimum_iterations {
        acc.iter_mut().for_each(|a| *a = 0.0);
        for (u, t) in train {
            bp.loss_grad(&net, u, t, Some(&mut g));
            for (a, gi) in acc.iter_mut().zip(&g) {
                *a += gi / train.len() as f64;
            }
        }
        for (th, a) in theta.iter_mut().zip(&acc) {
            *th -= p.optimum_step * a;
        }
        net.set_params(&theta)?;
    }
    let l = mean_loss(&net, &mut bp, train);
    Ok((theta, l))
}

/// Where `excess` (points (k_BT factor, excess), ascending) first crosses twice `e0`,
/// interpolated linearly in log–log.
pub(super) fn doubling_point(e0: f64, excess: &[(f64, f64)]) -> Option<f64> {
    let t = 2.0 * e0;
    excess.windows(2).find_map(|q| {
        let (a, b) = (q[0], q[1]);
        (a.1 <= t && b.1 > t).then(|| {
            10f64.powf(
                a.0.log10()
                    + (b.0.log10() - a.0.log10()) * (t.log10() - a.1.log10())
                        / (b.1.log10() - a.1.log10()),
            )
        })
    })
}

/// `pts` (ascending x) interpolated at x = f, linearly in ln x; `None` outside.
pub(super) fn interpolate_log_x(pts: &[(f64, f64)], f: f64) -> Option<f64> {
    pts.windows(2).find_map(|q| {
        (q[0].0 <= f && q[1].0 >= f).then(|| {
            q[0].1 + (q[1].1 - q[0].1) * (f.ln() - q[0].0.ln()) / (q[1].0.ln() - q[0].0.ln())
        })
    })
}

/// `tkachenko/fig_train`.
pub fn fig_train(p: &FigTrainParams, ctx: &RunContext) -> Result<FigureOutput> {
    let d = p.teacher_sizes[0];
    let (train, test) = task(p, ctx)?;
    let protocol = Annealing {
        mobility: p.mobility,
        stiffness: p.stiffness,
        presentation: p.presentation,
        steps_per_entry: p.steps_per_entry,
        hidden_stiffness: None,
    };
    // The optimum of each width by full-batch gradient descent.
    let optima: Vec<(Vec<f64>, f64)> =
        p.widths.par_iter().map(|&w| optimum(p, w, &train, ctx)).collect::<Result<_>>()?;
    let tasks: Vec<(usize, usize, usize, bool)> = (0..p.widths.len())
        .flat_map(|wi| {
            (0..p.temperature_factors.len()).flat_map(move |fi| {
                (0..p.seeds).flat_map(move |s| [true, false].map(|warm| (wi, fi, s, warm)))
            })
        })
        .collect();
    let pb = ctx.progress_bar(tasks.len() as u64, "tkachenko fig_train");
    let runs: Vec<Run> = tasks
        .par_iter()
        .map(|&(wi, fi, s, warm)| -> Result<Run> {
            let w = p.widths[wi];
            let (opt, lmin) = &optima[wi];
            let kstar = p.mobility * p.presentation * p.stiffness.powi(2) * lmin;
            let kt = p.temperature_factors[fi] * kstar;
            let key = [w as u64, p.temperature_factors[fi].to_bits(), s as u64, u64::from(warm)];
            let mut rng = ctx.rng("tkachenko/fig_train/run", &key);
            let start = if warm { opt.clone() } else { pytorch_init(w, d, &mut rng) };
            let mut net = student(w, d, &start, p.stiffness)?;
            let order: Vec<usize> =
                (0..p.burn + p.entries).map(|_| rng.random_range(0..p.n_train)).collect();
            let record = protocol.run(
                &mut net,
                &train,
                &order,
                p.burn,
                kt,
                &train,
                p.measure_every,
                &mut rng,
            )?;
            let mut bp = Backprop::new(&net);
            let test_loss = mean_loss(&net, &mut bp, &test);
            pb.inc(1);
            Ok(Run {
                width: w,
                factor: p.temperature_factors[fi],
                seed: s,
                warm,
                kt,
                record,
                test: test_loss,
            })
        })
        .collect::<Result<_>>()?;
    pb.finish_and_clear();
    let mut table = Table::new(vec![
        Column::new("width", "1", "hidden units H"),
        Column::new("n_params", "1", "N = H(d + 1) + H + 1"),
        Column::new("start", "", "warm (at the optimum) or scratch (PyTorch init)"),
        Column::new("seed", "1", "run"),
        Column::new("kt_factor", "1", "k_BT / k_BT*_est, k_BT*_est = μτ_eκ² L_min"),
        Column::new("kt", "κ x²", "k_BT"),
        Column::new(
            "train_loss",
            "x²",
            "mean ½MSE over the training set during the measured presentations",
        ),
        Column::new("train_loss_se", "x²", "its standard error"),
        Column::new("l_min", "x²", "½MSE at the optimum (full-batch gradient descent)"),
        Column::new("test_loss", "x²", "½MSE on the test set at the end"),
        Column::new("heat_per_entry", "κ x²", "heat released per presentation"),
        Column::new("paper_work_per_entry", "κ x²", "the paper's ∫θ̇·∂F dt per presentation"),
        Column::new(
            "switching_work_per_entry",
            "κ x²",
            "energy supplied by switching entries, per presentation",
        ),
        Column::new(
            "first_law_residual",
            "1",
            "|ΔF − W_sw + Q_released| / Q_released over the run (midpoint-rule error)",
        ),
        Column::new(
            "bound_ratio",
            "1",
            "2 N D k_BT / Q_released over the D measured presentations (≤ 1 if E_train ≥ 2NDk_BT; empty at T = 0)",
        ),
    ]);
    let dd = p.entries as f64;
    for r in &runs {
        let wi = p.widths.iter().position(|&w| w == r.width).unwrap_or(0);
        table.push(vec![
            (r.width as f64).into(),
            ((r.width * (d + 2) + 1) as f64).into(),
            (if r.warm { "warm" } else { "scratch" }).into(),
            (r.seed as f64).into(),
            r.factor.into(),
            r.kt.into(),
            r.record.train_loss.into(),
            r.record.train_loss_se.into(),
            optima[wi].1.into(),
            r.test.into(),
            (r.record.heat_released / dd).into(),
            (r.record.paper_work / dd).into(),
            (r.record.switching_work / dd).into(),
            first_law_residual(&r.record).into(),
            if r.kt > 0.0 {
                (2.0 * (r.width * (d + 2) + 1) as f64 * dd * r.kt / r.record.heat_released).into()
            } else {
                Cell::Empty
            },
        ]);
    }
    let mut ex_series = Vec::new();
    let mut test_series = Vec::new();
    let mut heat_series = Vec::new();
    let mut bound_series = Vec::new();
    let mut headline = serde_json::Map::new();
    let mut notes = Vec::new();
    for (wi, &w) in p.widths.iter().enumerate() {
        let n = (w * (d + 2) + 1) as f64;
        let lmin = optima[wi].1;
        let mean = |fi: f64, warm: bool, g: &dyn Fn(&Run) -> f64| -> f64 {
            let v: Vec<f64> = runs
                .iter()
                .filter(|r| r.width == w && r.factor == fi && r.warm == warm)
                .map(g)
                .collect();
            v.iter().sum::<f64>() / v.len().max(1) as f64
        };
        let pos: Vec<f64> = p.temperature_factors.iter().copied().filter(|&f| f > 0.0).collect();
        let ex0 = mean(0.0, true, &|r| r.record.train_loss) - lmin;
        let ex: Vec<(f64, f64)> = pos
            .iter()
            .map(|&f| (f, (mean(f, true, &|r| r.record.train_loss) - lmin).max(1e-300)))
            .collect();
        let color = PALETTE[wi % PALETTE.len()];
        ex_series.push(
            Series::line(
                format!("N = {n} (warm)"),
                ex.iter().map(|&(f, e)| (f, e.log10())).collect(),
                color,
            )
            .with_markers(),
        );
        test_series.push(
            Series::line(
                format!("N = {n}, warm"),
                pos.iter().map(|&f| (f, mean(f, true, &|r| r.test).log10())).collect(),
                color,
            )
            .with_markers(),
        );
        test_series.push(
            Series::line(
                format!("N = {n}, scratch"),
                pos.iter().map(|&f| (f, mean(f, false, &|r| r.test).log10())).collect(),
                color,
            )
            .dashed(),
        );
        let doubling = doubling_point(ex0, &ex);
        let kstar = p.mobility * p.presentation * p.stiffness.powi(2) * lmin;
        heat_series.push(
            Series::line(
                format!("N = {n}"),
                pos.iter()
                    .map(|&f| {
                        (f, mean(f, true, &|r| r.record.heat_released) / dd / (2.0 * n * kstar))
                    })
                    .collect(),
                color,
            )
            .with_markers(),
        );
        // Excess loss against 2NDk_BT/Q: the bound E_train ≳ 2NDk_BT says that training
        // that still works (excess not yet doubled) has the ratio ≲ 1.
        bound_series.push(
            Series::line(
                format!("N = {n} (warm)"),
                ex.iter()
                    .map(|&(f, e)| {
                        let q = mean(f, true, &|r| r.record.heat_released);
                        (2.0 * n * dd * f * kstar / q, e.log10())
                    })
                    .filter(|&(x, _)| x > 0.0 && x.is_finite())
                    .collect(),
                color,
            )
            .with_markers(),
        );
        bound_series.push(
            Series::line(
                format!("N = {n}: test ½MSE (warm)"),
                pos.iter()
                    .map(|&f| {
                        let q = mean(f, true, &|r| r.record.heat_released);
                        (2.0 * n * dd * f * kstar / q, mean(f, true, &|r| r.test).log10())
                    })
                    .filter(|&(x, _)| x > 0.0 && x.is_finite())
                    .collect(),
                color,
            )
            .dashed(),
        );
        // The warm heat per entry, interpolated in log k_BT.
        let heat_pts: Vec<(f64, f64)> =
            pos.iter().map(|&x| (x, mean(x, true, &|r| r.record.heat_released) / dd)).collect();
        let heat_at = |f: f64| interpolate_log_x(&heat_pts, f);
        let heat0 = mean(0.0, true, &|r| r.record.heat_released) / dd;
        let ratio = doubling.and_then(|f| heat_at(f).map(|h| h / (2.0 * n * f * kstar)));
        headline.insert(
            format!("width_{w}"),
            json!({
                "n_params": n,
                "l_min": lmin,
                "kt_star_est": kstar,
                "excess_at_T0": ex0,
                "excess_doubling_at_kt_over_kt_star_est": doubling,
                "heat_per_entry_at_doubling_over_2NkT": ratio,
                "effective_parameters_heat_over_2kT_at_doubling": ratio.map(|r| r * n),
                "heat_per_entry_at_T0_over_2NkT_doubling": doubling.map(|f| heat0 / (2.0 * n * f * kstar)),
                "test_loss_warm_T0": mean(0.0, true, &|r| r.test),
                "test_loss_scratch_T0": mean(0.0, false, &|r| r.test),
            }),
        );
        notes.push(format!(
            "N = {n}: the excess training loss doubles at k_BT = {} k_BT*_est; the heat released per presentation there is {} × 2N k_BT, \
             i.e. 2 N_eff k_BT with N_eff = {}",
            doubling.map_or("n/a (not within the grid)".into(), |v| format!("{v:.2}")),
            ratio.map_or("n/a".into(), |v| format!("{v:.3}")),
            ratio.map_or("n/a".into(), |v| format!("{:.1}", v * n))
        ));
    }
    let ys: Vec<f64> = bound_series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).collect();
    if let (Some(lo), Some(hi)) =
        (ys.iter().copied().reduce(f64::min), ys.iter().copied().reduce(f64::max))
    {
        bound_series.push(
            Series::line("E_train = 2NDk_BT", vec![(1.0, lo), (1.0, hi)], PALETTE[5]).dashed(),
        );
    }
    let first_law = runs.iter().map(|r| first_law_residual(&r.record)).fold(0.0f64, f64::max);
    headline.insert("max_relative_first_law_residual".into(), json!(first_law));
    headline.insert(
        "paper".into(),
        json!(
            "E_train ≳ 2 N D k_BT at the temperature where thermal noise starts to degrade training"
        ),
    );
    let svg = plot::panel_grid(
        &format!(
            "Langevin annealing of tanh students on a {:?} teacher (σ = {})",
            p.teacher_sizes, p.label_noise
        ),
        &[
            excess_panel("excess training loss (warm start)", ex_series),
            Panel {
                title: "test loss at the end".into(),
                x_label: "k_BT / k_BT*_est (log axis)".into(),
                y_label: "log₁₀ ½MSE (test)".into(),
                series: test_series,
                log_x: true,
            },
            heat_panel(heat_series),
            Panel {
                title: "losses vs the bound's ratio (1: E_train = 2NDk_BT)".into(),
                x_label: "2 N D k_BT / Q_released (log axis)".into(),
                y_label: "log₁₀ (⟨L_train⟩ − L_min); dashed: log₁₀ test ½MSE".into(),
                series: bound_series,
                log_x: true,
            },
        ],
        2,
    )?;
    Ok(FigureOutput::new(table, p, svg, SIM_TOLERANCE)?
        .choices(vec![
            format!(
                "teacher {:?} (tanh, linear output, parameters U(−{s}, {s})), {} training and {} test inputs U(−1, 1)^{d}, labels + {}·N(0, 1)",
                p.teacher_sizes, p.n_train, p.n_test, p.label_noise, s = p.teacher_scale
            ),
            format!(
                "students [{d}, H, 1], H ∈ {:?}; κ_hidden → ∞ fast path (F = κ_out ½|f − t|²); μ = {}, κ_out = {}, τ_e = {}, {} Euler–Maruyama steps per entry; entries drawn uniformly from the training set",
                p.widths, p.mobility, p.stiffness, p.presentation, p.steps_per_entry
            ),
            format!(
                "warm start: the optimum by {} full-batch gradient-descent steps of {} from PyTorch's init; scratch: PyTorch's init; {} burn-in and {} measured presentations; {} runs each",
                p.optimum_iterations, p.optimum_step, p.burn, p.entries, p.seeds
            ),
            "temperature unit k_BT*_est = μτ_eκ² L_min (the linear student's noise-matching rule with σ² → 2 L_min)".into(),
        ])
        .headline(headline)
        .notes(notes))
}
