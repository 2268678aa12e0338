//! Deterministic maximisation of a smooth function of two variables over a box by
//! compass (pattern) search (Kolda, Lewis & Torczon, SIAM Rev. 45, 385 (2003)): no
//! derivatives, no random numbers, the same path for the same inputs.

use crate::LearnError;

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
/// A start outside the box is clamped into it. The search needs `0 < tol ≤ h0` (both
/// finite) and `lo ≤ hi` on each axis.
///
/// # Errors
/// [`LearnError::InvalidParameter`] for a bad `h0`, `tol` or box (as `E`); the first
/// error returned by `f`.
pub fn maximize_in_box<E: From<LearnError>>(
    mut f: impl FnMut([f64; 2]) -> Result<f64, E>,
    start: [f64; 2],
    h0: f64,
    lo: [f64; 2],
    hi: [f64; 2],
    tol: f64,
) -> Result<Maximum, E> {
    let bad = |name: &'static str, value: f64, requirement: &'static str| {
        E::from(LearnError::InvalidParameter { name, value, requirement })
    };
    if !(tol > 0.0 && tol.is_finite()) {
        return Err(bad("tol", tol, "must be finite and > 0"));
    }
    if !(h0 >= tol && h0.is_finite()) {
        return Err(bad("h0", h0, "must be finite and ≥ tol"));
    }
    for k in 0..2 {
        if !(lo[k] <= hi[k]) {
            return Err(bad("box lower edge", lo[k], "must be ≤ the upper edge (and not NaN)"));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    type R = Result<f64, LearnError>;

    #[test]
    fn finds_the_maximum_of_a_quadratic_inside_the_box() {
        let f = |p: [f64; 2]| -> R { Ok(-(p[0] - 0.3).powi(2) - 2.0 * (p[1] + 0.7).powi(2)) };
        let m = maximize_in_box(f, [0.0, 0.0], 0.25, [-2.0; 2], [2.0; 2], 1e-7).unwrap();
        assert!((m.at[0] - 0.3).abs() < 1e-6 && (m.at[1] + 0.7).abs() < 1e-6, "{m:?}");
        assert!(!m.on_boundary);
    }

    #[test]
    fn reports_a_maximum_on_the_boundary_and_respects_fixed_axes() {
        let f = |p: [f64; 2]| -> R { Ok(p[1] - (p[0] - 0.5).powi(2)) };
        let m = maximize_in_box(f, [0.0, 0.0], 0.3, [-1.0, 0.0], [1.0, 1.0], 1e-8).unwrap();
        assert_eq!(m.at[1], 1.0);
        assert!(m.on_boundary);
        let m = maximize_in_box(f, [0.0, 0.0], 0.3, [-1.0, 0.0], [1.0, 0.0], 1e-8).unwrap();
        assert_eq!(m.at[1], 0.0);
        assert!((m.at[0] - 0.5).abs() < 1e-7 && !m.on_boundary);
    }

    #[test]
    fn bad_steps_and_boxes_are_named_and_objective_errors_pass_through() {
        let f = |_: [f64; 2]| -> R { Ok(0.0) };
        for (h0, tol, lo) in
            [(0.1, 0.0, 0.0), (0.1, f64::NAN, 0.0), (1e-9, 1e-6, 0.0), (0.1, 1e-6, 2.0)]
        {
            let e = maximize_in_box(f, [0.0; 2], h0, [lo, -1.0], [1.0; 2], tol).unwrap_err();
            assert!(matches!(e, LearnError::InvalidParameter { .. }), "{e}");
        }
        let failing = |_: [f64; 2]| -> R { Err(LearnError::Singular) };
        assert_eq!(
            maximize_in_box(failing, [0.0; 2], 0.1, [-1.0; 2], [1.0; 2], 1e-3),
            Err(LearnError::Singular)
        );
    }
}
