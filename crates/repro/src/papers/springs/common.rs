//! What the springs figures share: grids of numbers, building a system from a preset's
//! constants, and a log–log slope.

use anyhow::Result;
use models::springs::{Grid, Physics, Springs};

use super::presets::Constants;

pub use crate::pipeline::stats::linspace;

/// 10^lo … 10^hi in n log-spaced points (numpy `logspace`).
pub fn logspace(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    linspace(lo, hi, n).into_iter().map(|e| 10f64.powf(e)).collect()
}

/// The physics of one run.
pub fn physics(stiffness: f64, mass: f64, gamma: f64, temperature: f64, c: &Constants) -> Physics {
    Physics {
        stiffness,
        mass,
        mass_convention: c.mass_convention,
        friction: gamma,
        temperature,
        boltzmann: c.boltzmann,
        noise: c.noise,
    }
}

/// A one-dimensional system of `sticks` sticks spanning the inputs `u` with targets `y`.
pub fn system_1d(sticks: usize, u: &[f64], y: &[f64], physics: Physics) -> Result<Springs> {
    Ok(Springs::new(Grid::spanning(&[sticks], u)?, u, y, physics)?)
}

/// Least-squares line log10 y = a + s log10 x: (slope s, its standard error).
pub fn log_log_slope(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len() as f64;
    let xs: Vec<f64> = points.iter().map(|p| p.0.log10()).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.1.log10()).collect();
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let slope = sxy / sxx;
    let resid: f64 = xs.iter().zip(&ys).map(|(x, y)| (y - my - slope * (x - mx)).powi(2)).sum();
    let se = if points.len() > 2 { (resid / (n - 2.0) / sxx).sqrt() } else { f64::NAN };
    (slope, se)
}

/// Mean and standard error of the mean (the workspace's `streams::stats::mean_se`), with
/// SE 0 for a single sample.
pub fn mean_se(v: &[f64]) -> (f64, f64) {
    match crate::pipeline::stats::mean_se(v) {
        Some(m) => (m.mean, m.se),
        None => (v.iter().sum::<f64>() / v.len() as f64, 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_of_an_exact_power_law() {
        let pts: Vec<(f64, f64)> =
            (1..6).map(|i| (f64::from(i), 3.0 * f64::from(i).powf(-2.0))).collect();
        let (s, se) = log_log_slope(&pts);
        assert!((s + 2.0).abs() < 1e-12 && se < 1e-12);
    }
}
