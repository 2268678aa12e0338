//! The estimators drawn from a front sweep ([`super::sweep`]): the convergence rule on a
//! training trace, the front of one (layout, realisation) summarised per setting, where
//! it is not monotone within its error bars, and the cost of equilibrium with bootstrap
//! intervals over seeds.

use models::bottleneck::{Couplings, TradeOff};
use rand::RngExt;
use serde::Serialize;

use super::sweep::{Trained, group};
use crate::pipeline::stats::mean_se;
use crate::pipeline::{Column, Table};

/// The change of the mean objective from the third to the last quarter of a training
/// trace, and its standard error (from the two quarters' sample variances); `None` for
/// traces shorter than 8 steps.
pub fn drift(trace: &[f64]) -> Option<(f64, f64)> {
    let q = trace.len() / 4;
    if q < 2 {
        return None;
    }
    let third = mean_se(&trace[trace.len() - 2 * q..trace.len() - q])?;
    let last = mean_se(&trace[trace.len() - q..])?;
    Some((last.mean - third.mean, (last.se.powi(2) + third.se.powi(2)).sqrt()))
}

/// Whether a trace passes the convergence rule (|drift| < 2 SE).
pub fn converged(trace: &[f64]) -> Option<bool> {
    drift(trace).map(|(d, se)| d.abs() < 2.0 * se)
}

/// One point of a front: a setting's systems summarised.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrontPoint {
    /// The setting.
    pub trade_off: TradeOff,
    /// Mean Σ/(2N) over the seeds.
    pub sigma_per_spin: f64,
    /// Σ/(2N) of the best seed.
    pub best_sigma_per_spin: f64,
    /// Lowest loss over the seeds (the lower envelope).
    pub best_loss: f64,
    /// Accuracy of that system.
    pub best_accuracy: f64,
    /// Mean loss over the seeds and its standard error.
    pub mean_loss: f64,
    /// Standard error of `mean_loss`.
    pub se_loss: f64,
    /// Mean accuracy over the seeds.
    pub mean_accuracy: f64,
    /// Finished seeds.
    pub seeds: usize,
    /// Largest minus smallest loss over the seeds.
    pub spread: f64,
}

/// Every setting of (layout, realisation) with finished systems, in the order given.
pub fn front(
    results: &[Trained],
    layout: Couplings,
    r: usize,
    settings: &[TradeOff],
    spins: f64,
) -> Vec<FrontPoint> {
    settings
        .iter()
        .filter_map(|&t| {
            let g = group(results, layout, r, t);
            let best = g.iter().min_by(|x, y| x.loss.total_cmp(&y.loss))?;
            let losses: Vec<f64> = g.iter().map(|s| s.loss).collect();
            // One seed: no spread, so no error bar (SE 0 is never used to claim a trend).
            let (mean_loss, se_loss) =
                mean_se(&losses).map_or((best.loss, 0.0), |m| (m.mean, m.se));
            let (lo, hi) = losses
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
            Some(FrontPoint {
                trade_off: t,
                sigma_per_spin: g.iter().map(|s| s.sigma).sum::<f64>() / g.len() as f64 / spins,
                best_sigma_per_spin: best.sigma / spins,
                best_loss: best.loss,
                best_accuracy: best.accuracy,
                mean_loss,
                se_loss,
                mean_accuracy: g.iter().map(|s| s.accuracy).sum::<f64>() / g.len() as f64,
                seeds: g.len(),
                spread: hi - lo,
            })
        })
        .collect()
}

/// The pairs of consecutive non-equilibrium points (ordered by mean Σ) whose mean loss
/// rises with Σ by more than two standard errors of the difference: where the front is
/// not monotone within its error bars (empty: it is).
pub fn non_monotone(points: &[FrontPoint]) -> Vec<(TradeOff, TradeOff)> {
    let mut p: Vec<&FrontPoint> = points.iter().filter(|q| !q.trade_off.is_equilibrium()).collect();
    p.sort_by(|a, b| a.sigma_per_spin.total_cmp(&b.sigma_per_spin));
    p.windows(2)
        .filter(|w| {
            let se = (w[0].se_loss.powi(2) + w[1].se_loss.powi(2)).sqrt();
            w[1].mean_loss > w[0].mean_loss + 2.0 * se
        })
        .map(|w| (w[0].trade_off, w[1].trade_off))
        .collect()
}

/// One measure of the cost of equilibrium: its value and 95% bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// The estimate on the data.
    pub value: f64,
    /// 2.5% bootstrap quantile.
    pub lo: f64,
    /// 97.5% bootstrap quantile.
    pub hi: f64,
}

/// The cost of equilibrium by one comparison: relative loss (loss_eq − loss_0)/loss_0,
/// relative accuracy (acc_0 − acc_eq)/acc_0 and accuracy points 100(acc_0 − acc_eq).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Cost {
    /// (loss_eq − loss_0)/loss_0.
    pub relative_loss: Interval,
    /// (acc_0 − acc_eq)/acc_0.
    pub relative_accuracy: Interval,
    /// 100 (acc_0 − acc_eq).
    pub accuracy_points: Interval,
}

/// Both comparisons of one (layout, realisation), from `s0` α = 0 seeds and `se` equilibrium
/// seeds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CostOfEquilibrium {
    /// Best α = 0 system against the best equilibrium system (lowest loss of each).
    pub best_vs_best: Cost,
    /// Mean over the α = 0 seeds against the mean over the equilibrium seeds.
    pub mean_vs_mean: Cost,
    /// Finished α = 0 seeds.
    pub alpha0_seeds: usize,
    /// Finished equilibrium seeds.
    pub equilibrium_seeds: usize,
}

/// [loss, accuracy] of the best (lowest-loss) system and the means, of a sample.
fn summarise(sample: &[(f64, f64)]) -> ([f64; 2], [f64; 2]) {
    let best = sample.iter().copied().min_by(|a, b| a.0.total_cmp(&b.0)).expect("non-empty");
    let n = sample.len() as f64;
    let mean = sample.iter().fold([0.0, 0.0], |m, s| [m[0] + s.0 / n, m[1] + s.1 / n]);
    ([best.0, best.1], mean)
}

fn costs(zero: [f64; 2], eq: [f64; 2]) -> [f64; 3] {
    [(eq[0] - zero[0]) / zero[0], (zero[1] - eq[1]) / zero[1], 100.0 * (zero[1] - eq[1])]
}

/// The cost of equilibrium of (layout, realisation), with percentile bootstrap
/// intervals from `resamples` resamplings of the seeds (each setting's seeds drawn with
/// replacement, independently) using `rng`; `None` without finished systems at both ends.
pub fn cost_of_equilibrium<R: rand::Rng>(
    results: &[Trained],
    layout: Couplings,
    r: usize,
    resamples: usize,
    rng: &mut R,
) -> Option<CostOfEquilibrium> {
    let pairs = |t| -> Vec<(f64, f64)> {
        group(results, layout, r, t).iter().map(|s| (s.loss, s.accuracy)).collect()
    };
    let (zero, eq) = (pairs(TradeOff::Alpha(0.0)), pairs(TradeOff::Equilibrium));
    if zero.is_empty() || eq.is_empty() {
        return None;
    }
    let point = |z: &[(f64, f64)], e: &[(f64, f64)]| {
        let ((zb, zm), (eb, em)) = (summarise(z), summarise(e));
        (costs(zb, eb), costs(zm, em))
    };
    let (best, mean) = point(&zero, &eq);
    let mut boot: Vec<[f64; 6]> = Vec::with_capacity(resamples);
    let mut z = zero.clone();
    let mut e = eq.clone();
    for _ in 0..resamples {
        for v in z.iter_mut() {
            *v = zero[rng.random_range(0..zero.len())];
        }
        for v in e.iter_mut() {
            *v = eq[rng.random_range(0..eq.len())];
        }
        let (b, m) = point(&z, &e);
        boot.push([b[0], b[1], b[2], m[0], m[1], m[2]]);
    }
    let interval = |j: usize, value: f64| -> Interval {
        let mut v: Vec<f64> = boot.iter().map(|b| b[j]).collect();
        v.sort_by(f64::total_cmp);
        let q = |p: f64| v.get(((p * v.len() as f64) as usize).min(v.len().max(1) - 1)).copied();
        Interval { value, lo: q(0.025).unwrap_or(value), hi: q(0.975).unwrap_or(value) }
    };
    let cost = |off: usize, c: [f64; 3]| Cost {
        relative_loss: interval(off, c[0]),
        relative_accuracy: interval(off + 1, c[1]),
        accuracy_points: interval(off + 2, c[2]),
    };
    Some(CostOfEquilibrium {
        best_vs_best: cost(0, best),
        mean_vs_mean: cost(3, mean),
        alpha0_seeds: zero.len(),
        equilibrium_seeds: eq.len(),
    })
}

/// The table of the cost of equilibrium: one row per (layout, realisation, comparison,
/// measure).
pub fn cost_table(rows: &[(Couplings, usize, CostOfEquilibrium)]) -> Table {
    let mut table = Table::new(vec![
        Column::new("layout", "", "coupling layout"),
        Column::new("realisation", "1", "task realisation"),
        Column::new("comparison", "", "best_vs_best or mean_vs_mean over seeds"),
        Column::new("measure", "", "relative_loss, relative_accuracy or accuracy_points"),
        Column::new("value", "1", "the estimate"),
        Column::new("lo", "1", "2.5% bootstrap quantile over seeds"),
        Column::new("hi", "1", "97.5% bootstrap quantile over seeds"),
        Column::new("alpha0_seeds", "1", "finished α = 0 seeds"),
        Column::new("equilibrium_seeds", "1", "finished equilibrium seeds"),
    ]);
    for (layout, r, c) in rows {
        for (name, cost) in [("best_vs_best", &c.best_vs_best), ("mean_vs_mean", &c.mean_vs_mean)] {
            for (measure, i) in [
                ("relative_loss", cost.relative_loss),
                ("relative_accuracy", cost.relative_accuracy),
                ("accuracy_points", cost.accuracy_points),
            ] {
                table.push(vec![
                    layout.name().into(),
                    (*r).into(),
                    name.into(),
                    measure.into(),
                    i.value.into(),
                    i.lo.into(),
                    i.hi.into(),
                    c.alpha0_seeds.into(),
                    c.equilibrium_seeds.into(),
                ]);
            }
        }
    }
    table
}

/// "12.3% [4.5, 20.1]".
pub fn percent(i: Interval) -> String {
    format!("{:.1}% [{:.1}, {:.1}]", 100.0 * i.value, 100.0 * i.lo, 100.0 * i.hi)
}

/// "4.2 [1.0, 7.7]".
pub fn points(i: Interval) -> String {
    format!("{:.1} [{:.1}, {:.1}]", i.value, i.lo, i.hi)
}

#[cfg(test)]
mod tests {
    use super::super::sweep::{Outcome, System, Task};
    use super::*;

    fn system(loss: f64, accuracy: f64) -> System {
        System { loss, accuracy, sigma: 0.0, asymmetry: 0.0, theta: vec![], trace: vec![] }
    }

    fn trained(trade_off: TradeOff, seed: usize, s: System) -> Trained {
        Trained {
            task: Task { layout: Couplings::Full, realisation: 0, trade_off, seed },
            outcome: Outcome::Trained(s),
        }
    }

    #[test]
    fn cost_of_equilibrium_compares_the_defined_systems_with_bootstrap_intervals() {
        // α = 0 seeds: CE 1.0, 1.2; equilibrium seeds: CE 1.1, 1.5 (accuracies 0.8/0.7
        // and 0.75/0.6). Best vs best: (1.1 − 1.0)/1.0 = 10%, accuracy (0.8 − 0.75)/0.8
        // = 6.25%, 5 points. Mean vs mean: (1.3 − 1.1)/1.1, (0.75 − 0.675)/0.75.
        let results = vec![
            trained(TradeOff::Alpha(0.0), 0, system(1.0, 0.8)),
            trained(TradeOff::Alpha(0.0), 1, system(1.2, 0.7)),
            trained(TradeOff::Equilibrium, 0, system(1.1, 0.75)),
            trained(TradeOff::Equilibrium, 1, system(1.5, 0.6)),
            Trained {
                task: Task {
                    layout: Couplings::Full,
                    realisation: 0,
                    trade_off: TradeOff::Equilibrium,
                    seed: 2,
                },
                outcome: Outcome::Failed("readout did not converge".into()),
            },
        ];
        let mut rng = streams::stream_rng(1, 0);
        let c = cost_of_equilibrium(&results, Couplings::Full, 0, 500, &mut rng).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(c.best_vs_best.relative_loss.value, 0.1));
        assert!(close(c.best_vs_best.relative_accuracy.value, 0.0625));
        assert!(close(c.best_vs_best.accuracy_points.value, 5.0));
        assert!(close(c.mean_vs_mean.relative_loss.value, 0.2 / 1.1));
        assert!(close(c.mean_vs_mean.relative_accuracy.value, 0.075 / 0.75));
        assert_eq!((c.alpha0_seeds, c.equilibrium_seeds), (2, 2), "the failed task is left out");
        // The resamples' extremes: best vs best ranges over (1.1 or 1.5) vs (1.0 or 1.2).
        let i = c.best_vs_best.relative_loss;
        assert!(i.lo <= i.value && i.value <= i.hi);
        assert!(i.lo >= (1.1 - 1.2) / 1.2 - 1e-12 && i.hi <= 0.5 + 1e-12, "{i:?}");
        assert!(i.hi > i.lo, "the interval has width");
        // No equilibrium system: no estimate.
        assert!(cost_of_equilibrium(&results[..2], Couplings::Full, 0, 10, &mut rng).is_none());
    }

    #[test]
    fn drift_flags_a_trace_that_still_climbs() {
        let flat: Vec<f64> = (0..40).map(|k| if k % 2 == 0 { 1.0 } else { -1.0 }).collect();
        assert_eq!(converged(&flat), Some(true));
        let climbing: Vec<f64> =
            (0..40u32).map(|k| f64::from(k) + if k % 2 == 0 { 0.5 } else { 0.0 }).collect();
        assert_eq!(converged(&climbing), Some(false));
        assert_eq!(converged(&[1.0; 7]), None, "too short to judge");
    }

    #[test]
    fn a_mean_loss_rising_beyond_its_error_bars_is_flagged() {
        let point = |a: f64, sigma: f64, mean: f64, se: f64| FrontPoint {
            trade_off: TradeOff::Alpha(a),
            sigma_per_spin: sigma,
            best_sigma_per_spin: sigma,
            best_loss: mean,
            best_accuracy: 0.5,
            mean_loss: mean,
            se_loss: se,
            mean_accuracy: 0.5,
            seeds: 4,
            spread: 0.0,
        };
        let ok = [point(0.1, 0.1, 1.0, 0.1), point(0.0, 0.2, 1.1, 0.1)];
        assert!(non_monotone(&ok).is_empty(), "a rise of 0.1 against SE 0.14 is within error");
        let bad = [point(0.1, 0.1, 1.0, 0.01), point(0.0, 0.2, 1.1, 0.01)];
        assert_eq!(non_monotone(&bad), vec![(TradeOff::Alpha(0.1), TradeOff::Alpha(0.0))]);
    }
}
