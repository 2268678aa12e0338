//! Deterministic maximisation over a box: a coarse grid, then compass (pattern) search.

use anyhow::Result;

/// A maximiser found by [`maximize_in_box`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Maximum {
    /// Location.
    pub at: [f64; 2],
    /// Objective value there.
    pub value: f64,
    /// Whether the maximiser lies on the boundary of the box (the true optimum may lie
    /// outside it).
    pub on_boundary: bool,
}

/// Maximises `f` over the box [lo, hi] by compass search from `start`: try ±h along each
/// free axis (and the diagonals), move to the best improvement, halve h when nothing
/// improves, stop when h < `tol`. Axes with lo == hi stay fixed. Deterministic: the
/// same inputs give the same path.
///
/// # Errors
/// The first error returned by `f`.
pub fn maximize_in_box(
    mut f: impl FnMut([f64; 2]) -> Result<f64>,
    start: [f64; 2],
    h0: f64,
    lo: [f64; 2],
    hi: [f64; 2],
    tol: f64,
) -> Result<Maximum> {
    let clamp = |p: [f64; 2]| [p[0].clamp(lo[0], hi[0]), p[1].clamp(lo[1], hi[1])];
    let mut at = clamp(start);
    let mut value = f(at)?;
    let mut h = h0;
    let dirs: [[f64; 2]; 8] = [
        [1.0, 0.0],
        [-1.0, 0.0],
        [0.0, 1.0],
        [0.0, -1.0],
        [1.0, 1.0],
        [1.0, -1.0],
        [-1.0, 1.0],
        [-1.0, -1.0],
    ];
    while h >= tol {
        let mut best: Option<([f64; 2], f64)> = None;
        for d in dirs {
            let q = clamp([at[0] + h * d[0], at[1] + h * d[1]]);
            if q == at {
                continue;
            }
            let v = f(q)?;
            if v > best.map_or(value, |b| b.1) {
                best = Some((q, v));
            }
        }
        match best {
            Some((q, v)) => {
                at = q;
                value = v;
            }
            None => h /= 2.0,
        }
    }
    let edge = |k: usize| lo[k] < hi[k] && (at[k] <= lo[k] || at[k] >= hi[k]);
    Ok(Maximum { at, value, on_boundary: edge(0) || edge(1) })
}

/// `n` evenly spaced points from `a` to `b` inclusive.
pub fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![a];
    }
    (0..n).map(|k| a + (b - a) * k as f64 / (n - 1) as f64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_maximum_of_a_quadratic_inside_the_box() {
        let f = |p: [f64; 2]| Ok(-(p[0] - 0.3).powi(2) - 2.0 * (p[1] + 0.7).powi(2));
        let m = maximize_in_box(f, [0.0, 0.0], 0.25, [-2.0; 2], [2.0; 2], 1e-7).unwrap();
        assert!((m.at[0] - 0.3).abs() < 1e-6 && (m.at[1] + 0.7).abs() < 1e-6, "{m:?}");
        assert!(!m.on_boundary);
    }

    #[test]
    fn reports_a_maximum_on_the_boundary_and_respects_fixed_axes() {
        let f = |p: [f64; 2]| Ok(p[1] - (p[0] - 0.5).powi(2));
        let m = maximize_in_box(f, [0.0, 0.0], 0.3, [-1.0, 0.0], [1.0, 1.0], 1e-8).unwrap();
        assert_eq!(m.at[1], 1.0);
        assert!(m.on_boundary);
        let m = maximize_in_box(f, [0.0, 0.0], 0.3, [-1.0, 0.0], [1.0, 0.0], 1e-8).unwrap();
        assert_eq!(m.at[1], 0.0);
        assert!((m.at[0] - 0.5).abs() < 1e-7 && !m.on_boundary);
    }
}
