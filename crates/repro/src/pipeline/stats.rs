//! Small statistics and grids shared by the figures: evenly spaced grids, Spearman's
//! rank correlation, and (from `streams::stats`, the workspace's one statistics module)
//! mean ± standard error.

/// `n` evenly spaced points from `a` to `b` inclusive (`[a]` for n = 1, empty for 0).
pub fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![a];
    }
    (0..n).map(|k| a + (b - a) * k as f64 / (n - 1) as f64).collect()
}

pub use streams::stats::{MeanSe, mean_se};

/// Spearman's rank correlation of (x, y) pairs (average ranks for ties); NaN below 3
/// pairs or when either coordinate is constant.
pub fn spearman(pairs: &[(f64, f64)]) -> f64 {
    if pairs.len() < 3 {
        return f64::NAN;
    }
    let ranks = |v: Vec<f64>| -> Vec<f64> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
                j += 1;
            }
            for &k in &idx[i..=j] {
                r[k] = (i + j) as f64 / 2.0;
            }
            i = j + 1;
        }
        r
    };
    let rx = ranks(pairs.iter().map(|p| p.0).collect());
    let ry = ranks(pairs.iter().map(|p| p.1).collect());
    let n = rx.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - mx) * (b - my)).sum();
    let vx: f64 = rx.iter().map(|a| (a - mx).powi(2)).sum();
    let vy: f64 = ry.iter().map(|b| (b - my).powi(2)).sum();
    cov / (vx * vy).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_of_monotone_reversed_and_tied_data() {
        let up: Vec<(f64, f64)> = (0..6).map(|i| (f64::from(i), f64::from(i).exp())).collect();
        assert!((spearman(&up) - 1.0).abs() < 1e-15);
        let down: Vec<(f64, f64)> = up.iter().map(|&(x, y)| (x, -y)).collect();
        assert!((spearman(&down) + 1.0).abs() < 1e-15);
        // Ranks of x (1,2,3,4) and y with a tie (1, 2.5, 2.5, 4): ρ = 4.5/√(5·4.5).
        let tied = [(1.0, 1.0), (2.0, 2.0), (3.0, 2.0), (4.0, 3.0)];
        assert!((spearman(&tied) - 4.5 / (5.0f64 * 4.5).sqrt()).abs() < 1e-15);
        assert!(spearman(&tied[..2]).is_nan());
    }

    #[test]
    fn linspace_ends_exactly() {
        assert_eq!(linspace(0.0, 1.0, 3), [0.0, 0.5, 1.0]);
        assert_eq!(linspace(2.0, 3.0, 1), [2.0]);
    }
}
