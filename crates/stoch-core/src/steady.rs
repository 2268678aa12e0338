//! Steady states by the Grassmann–Taksar–Heyman (GTH) algorithm.
//!
//! GTH is Gaussian elimination on the rate matrix arranged so that it never subtracts:
//! the diagonal is recomputed from the off-diagonal rates at every step. Every quantity
//! it forms is a sum or product of non-negative numbers, so each stationary probability
//! comes out with a small *relative* error even when the rates span many orders of
//! magnitude (Grassmann, Taksar & Heyman, Oper. Res. 33, 1107 (1985); O'Cinneide,
//! Numer. Math. 65, 109 (1993)). A null-space solve by SVD or LU, by contrast, loses the
//! small probabilities to cancellation.

use crate::{RateMatrix, StochError};

/// Reusable scratch space for steady-state solves of processes with the same number of
/// states, so that sweeps over parameters do not allocate per solve.
#[derive(Debug, Clone, Default)]
pub struct SteadyStateSolver {
    work: Vec<f64>,
}

impl SteadyStateSolver {
    /// A solver with no scratch yet; it grows on first use.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes the stationary distribution π of `rates` (π L = 0, Σ π = 1) into `out`.
    ///
    /// The process must be irreducible, which makes π unique and strictly positive. For
    /// any irreducible chain the answer is finite, non-negative and sums to one: when the
    /// unnormalised weights would overflow (a long biased chain, or rates spanning more
    /// than ~300 decades along it) the back substitution is redone in logarithms, and a
    /// probability below the smallest subnormal number (~4.9e-324) is an honest 0. On that
    /// path each entry is accurate to ~|ln w_j|·ε relative (w_j the unnormalised weight:
    /// ~1e-12 for ln w ~ 10⁴) rather than to a few ulps.
    ///
    /// # Errors
    /// [`StochError::LengthMismatch`] if `out` has the wrong length;
    /// [`StochError::NotIrreducible`] naming an unreachable pair of states.
    pub fn solve(&mut self, rates: &RateMatrix, out: &mut [f64]) -> Result<(), StochError> {
        let n = rates.n_states();
        rates.check_len(out.len())?;
        if n == 1 {
            out[0] = 1.0;
            return Ok(());
        }
        self.eliminate(rates)?;
        let q = &self.work;
        out[0] = 1.0;
        for j in 1..n {
            out[j] = (0..j).map(|i| out[i] * q[i * n + j]).sum();
        }
        let total: f64 = out.iter().sum();
        if total.is_finite() {
            for x in out.iter_mut() {
                *x /= total;
            }
        } else {
            // The unnormalised weights out[j] = Σ_i out[i] q_ij outgrew f64 (a long chain
            // with a bias, or rates spanning more than ~300 decades over the chain): redo
            // the back substitution in logarithms, which cannot overflow.
            // Each ln π_j = ln w_j − ln Σw carries a rounding of ~|ln w_j|·ε (1e-12 for a
            // chain of 1400 states with a bias of 1e5 per step), so renormalise the
            // exponentials: the entries keep that relative accuracy and sum to one.
            log_back_substitution(q, n, out);
            for x in out.iter_mut() {
                *x = x.exp();
            }
            let total: f64 = out.iter().sum();
            for x in out.iter_mut() {
                *x /= total;
            }
        }
        // GTH can succeed on a reducible chain whose elimination order happens to work;
        // the steady state is then not unique, so say so.
        if out.contains(&0.0) {
            rates.check_irreducible()?;
        }
        Ok(())
    }

    /// Writes ln π, the logarithm of the stationary distribution, into `out`: finite for
    /// every state of an irreducible chain, however small π is (π_j = 1e-600 is
    /// ln π_j ≈ −1381.6, where [`SteadyStateSolver::solve`] must return 0).
    ///
    /// # Errors
    /// As [`SteadyStateSolver::solve`].
    pub fn solve_log(&mut self, rates: &RateMatrix, out: &mut [f64]) -> Result<(), StochError> {
        let n = rates.n_states();
        rates.check_len(out.len())?;
        if n == 1 {
            out[0] = 0.0;
            return Ok(());
        }
        self.eliminate_log(rates)?;
        let q = &self.work;
        // ln w_0 = 0, ln w_j = ln Σ_{i<j} w_i q_ij, then ln π_j = ln w_j − ln Σ_k w_k.
        out[0] = 0.0;
        for j in 1..n {
            out[j] = log_sum_exp((0..j).map(|i| out[i] + q[i * n + j]));
        }
        let log_total = log_sum_exp(out.iter().copied());
        for x in out.iter_mut() {
            *x -= log_total;
        }
        if out.iter().any(|v| !v.is_finite()) {
            rates.check_irreducible()?;
            let state = out.iter().position(|v| !v.is_finite()).unwrap_or(0);
            return Err(StochError::Underflow { state });
        }
        Ok(())
    }

    /// GTH's elimination in logarithms: `self.work` holds ln q_ij (−∞ for no rate), and
    /// every sum is a log-sum-exp, so no ratio of rates can underflow or overflow (rates
    /// 1e-300 and 1e300 give ln(1e-600) exactly where the linear elimination gives 0).
    fn eliminate_log(&mut self, rates: &RateMatrix) -> Result<(), StochError> {
        let n = rates.n_states();
        self.work.clear();
        self.work.extend((0..n).flat_map(|i| rates.rates_from(i).iter().map(|k| k.ln())));
        let q = &mut self.work;
        for m in (1..n).rev() {
            let s = log_sum_exp(q[m * n..m * n + m].iter().copied());
            if s == f64::NEG_INFINITY {
                rates.check_irreducible()?;
                return Err(StochError::Underflow { state: m });
            }
            for i in 0..m {
                q[i * n + m] -= s;
            }
            for i in 0..m {
                let qim = q[i * n + m];
                if qim != f64::NEG_INFINITY {
                    for j in 0..m {
                        let add = qim + q[m * n + j];
                        q[i * n + j] = log_add(q[i * n + j], add);
                    }
                }
            }
        }
        Ok(())
    }

    /// GTH's elimination of states n−1, …, 1 on a copy of the rates in `self.work`.
    fn eliminate(&mut self, rates: &RateMatrix) -> Result<(), StochError> {
        let n = rates.n_states();
        self.work.clear();
        self.work.extend((0..n).flat_map(|i| rates.rates_from(i).iter().copied()));
        let q = &mut self.work;
        // Censor the chain onto {0..m-1}, eliminating state m = n-1, …, 1.
        for m in (1..n).rev() {
            let s: f64 = q[m * n..m * n + m].iter().sum();
            if !(s > 0.0) {
                // State m cannot leave towards the remaining states: not irreducible.
                rates.check_irreducible()?;
                // Irreducible, so s > 0 in exact arithmetic: the products underflowed.
                return Err(StochError::Underflow { state: m });
            }
            for i in 0..m {
                q[i * n + m] /= s;
            }
            for i in 0..m {
                let qim = q[i * n + m];
                if qim != 0.0 {
                    for j in 0..m {
                        q[i * n + j] += qim * q[m * n + j];
                    }
                }
            }
        }
        Ok(())
    }
}

/// The back substitution of GTH in logarithms: ln w_0 = 0, ln w_j = ln Σ_{i<j} w_i q_ij
/// (a log-sum-exp over the non-zero q_ij), then ln π_j = ln w_j − ln Σ_k w_k into `out`.
fn log_back_substitution(q: &[f64], n: usize, out: &mut [f64]) {
    out[0] = 0.0;
    for j in 1..n {
        let terms = (0..j).filter(|&i| q[i * n + j] > 0.0).map(|i| out[i] + q[i * n + j].ln());
        out[j] = log_sum_exp(terms);
    }
    let log_total = log_sum_exp(out.iter().copied());
    for x in out.iter_mut() {
        *x -= log_total;
    }
}

/// ln(e^a + e^b), exact for −∞ arguments.
fn log_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    if lo == f64::NEG_INFINITY { hi } else { hi + (lo - hi).exp().ln_1p() }
}

/// ln Σ e^{a_k} in one pass (the running maximum m and Σ e^{a_k − m}, rescaled when m
/// grows); −∞ for no terms or only −∞ terms.
fn log_sum_exp(terms: impl Iterator<Item = f64>) -> f64 {
    let (mut max, mut sum) = (f64::NEG_INFINITY, 0.0);
    for a in terms {
        if a == f64::NEG_INFINITY {
            continue; // e^{−∞} = 0 adds nothing (and −∞ − −∞ would be NaN)
        }
        if a > max {
            sum = sum * (max - a).exp() + 1.0;
            max = a;
        } else {
            sum += (a - max).exp();
        }
    }
    if max == f64::NEG_INFINITY { max } else { max + sum.ln() }
}

impl RateMatrix {
    /// The stationary distribution π (π L = 0, Σ π = 1) of an irreducible process, by
    /// the GTH algorithm (accurate to a few ulps relative per entry, whatever the spread
    /// of the rates). For repeated solves use [`SteadyStateSolver`].
    ///
    /// # Errors
    /// [`StochError::NotIrreducible`] naming an unreachable pair of states.
    pub fn steady_state(&self) -> Result<Vec<f64>, StochError> {
        let mut out = vec![0.0; self.n_states()];
        SteadyStateSolver::new().solve(self, &mut out)?;
        Ok(out)
    }

    /// ln π of the stationary distribution (see [`SteadyStateSolver::solve_log`]).
    ///
    /// # Errors
    /// As [`RateMatrix::steady_state`].
    pub fn log_steady_state(&self) -> Result<Vec<f64>, StochError> {
        let mut out = vec![0.0; self.n_states()];
        SteadyStateSolver::new().solve_log(self, &mut out)?;
        Ok(out)
    }
}
