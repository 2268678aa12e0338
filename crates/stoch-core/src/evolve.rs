//! Time evolution p(t) = p(0) e^{Q t} of the master equation.
//!
//! The propagator is computed by uniformisation with scaling and squaring. With
//! Λ ≥ max_i exit_i and the row-stochastic P = I + Q/Λ,
//! $$ e^{Q\tau} = e^{-\Lambda\tau} \sum_{m\ge0} \frac{(\Lambda\tau)^m}{m!} P^m , $$
//! a series of non-negative terms. τ = t/2^s is chosen with Λτ ≤ 1 so that 20 terms reach
//! round-off (1/20! ≈ 4e-19), then the result is squared s times. No step subtracts, so
//! the propagator stays a non-negative stochastic matrix to round-off even for stiff
//! rates, unlike a Padé approximant or an eigen-decomposition.

use crate::{RateMatrix, StochError};

/// Number of series terms for Λτ ≤ 1: the remainder is below (Λτ)^21/21! < 2e-20.
const SERIES_TERMS: usize = 21;

/// The transition matrix T(t) = e^{Q t} of a process over a fixed time t:
/// T[i, j] = P(state j at time t | state i at time 0). Rows sum to one.
#[derive(Debug, Clone, PartialEq)]
pub struct Propagator {
    n: usize,
    t: f64,
    /// Row-major n × n.
    m: Vec<f64>,
}

impl Propagator {
    /// The time t this propagator advances by.
    pub fn time(&self) -> f64 {
        self.t
    }

    /// P(state `to` at time t | state `from` at time 0).
    pub fn get(&self, from: usize, to: usize) -> f64 {
        self.m[from * self.n + to]
    }

    /// Advances a distribution by t: out_j = Σ_i p_i T[i, j].
    ///
    /// # Errors
    /// [`StochError::LengthMismatch`] if a slice has the wrong length.
    pub fn apply(&self, p: &[f64], out: &mut [f64]) -> Result<(), StochError> {
        for len in [p.len(), out.len()] {
            if len != self.n {
                return Err(StochError::LengthMismatch { len, n_states: self.n });
            }
        }
        out.fill(0.0);
        for (i, &pi) in p.iter().enumerate() {
            if pi != 0.0 {
                for (o, &t) in out.iter_mut().zip(&self.m[i * self.n..(i + 1) * self.n]) {
                    *o += pi * t;
                }
            }
        }
        Ok(())
    }
}

fn normalize_rows(n: usize, m: &mut [f64]) {
    for row in m.chunks_exact_mut(n) {
        let s: f64 = row.iter().sum();
        row.iter_mut().for_each(|x| *x /= s);
    }
}

fn matmul(n: usize, a: &[f64], b: &[f64], c: &mut [f64]) {
    c.fill(0.0);
    for i in 0..n {
        for k in 0..n {
            let aik = a[i * n + k];
            if aik != 0.0 {
                for (cij, &bkj) in c[i * n..(i + 1) * n].iter_mut().zip(&b[k * n..(k + 1) * n]) {
                    *cij += aik * bkj;
                }
            }
        }
    }
}

impl RateMatrix {
    /// The propagator e^{Q t} over time `t` (in the units of 1/rate). Reuse it to step a
    /// distribution repeatedly by the same t.
    ///
    /// # Errors
    /// [`StochError::InvalidTime`] if `t` is negative or not finite.
    pub fn propagator(&self, t: f64) -> Result<Propagator, StochError> {
        if !(t.is_finite() && t >= 0.0) {
            return Err(StochError::InvalidTime { t });
        }
        let n = self.n_states();
        let lambda = (0..n).map(|i| self.exit_rate(i)).fold(0.0, f64::max);
        let mut id = vec![0.0; n * n];
        for i in 0..n {
            id[i * n + i] = 1.0;
        }
        if lambda == 0.0 || t == 0.0 {
            return Ok(Propagator { n, t, m: id });
        }
        // Λt may overflow (Λ = 2, t = 1e308): count the squarings from log₂Λ + log₂t, which
        // is at most ~2100 for finite inputs, and form Λt/2^s in logs when 2^s overflows.
        let x = lambda * t;
        let log2x = if x.is_finite() { x.log2() } else { lambda.log2() + t.log2() };
        let squarings = if log2x > 0.0 { log2x.ceil() as u32 } else { 0 };
        let tau_l = if x.is_finite() && squarings < 1000 {
            x / f64::from(2u32).powi(squarings as i32)
        } else {
            (log2x - f64::from(squarings)).exp2()
        };
        // P = I + Q/Λ, non-negative and row-stochastic (every entry is set below).
        let mut p = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    p[i * n + j] = self.rate(i, j) / lambda;
                }
            }
            p[i * n + i] = 1.0 - self.exit_rate(i) / lambda;
            p[i * n + i] = p[i * n + i].max(0.0);
        }
        // Series: acc = Σ_m w_m P^m with w_m = e^{-x} x^m / m!.
        let mut term = id.clone();
        let mut next = vec![0.0; n * n];
        let mut weight = (-tau_l).exp();
        let mut acc: Vec<f64> = term.iter().map(|&v| v * weight).collect();
        for m in 1..SERIES_TERMS {
            matmul(n, &term, &p, &mut next);
            std::mem::swap(&mut term, &mut next);
            weight *= tau_l / m as f64;
            for (a, &v) in acc.iter_mut().zip(&term) {
                *a += weight * v;
            }
        }
        // The exact propagator is row-stochastic. Rounding moves its Perron eigenvalue off 1
        // by O(ε), and s squarings would amplify that by 2^s (a 2e-6 loss of probability
        // for Λt = 1e10 before this projection); renormalising each row keeps it at 1,
        // while the remaining errors are contracted by the mixing of the chain.
        normalize_rows(n, &mut acc);
        for _ in 0..squarings {
            matmul(n, &acc, &acc, &mut next);
            normalize_rows(n, &mut next);
            // Past the mixing time squaring is the identity map (every row is the steady
            // state): stop there rather than square up to ~2100 times for nothing.
            let fixed = next == acc;
            std::mem::swap(&mut acc, &mut next);
            if fixed {
                break;
            }
        }
        Ok(Propagator { n, t, m: acc })
    }

    /// The distribution p(t) that evolves from `p0` under the master equation.
    ///
    /// # Errors
    /// [`StochError::InvalidTime`] and the distribution errors of
    /// [`RateMatrix::check_distribution`].
    pub fn evolve(&self, p0: &[f64], t: f64) -> Result<Vec<f64>, StochError> {
        self.check_distribution(p0)?;
        let mut out = vec![0.0; self.n_states()];
        self.propagator(t)?.apply(p0, &mut out)?;
        Ok(out)
    }
}
