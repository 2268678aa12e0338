//! The validated rate matrix of a finite Markov jump process.

use crate::StochError;

/// Transition rates k(i→j) of a finite continuous-time Markov jump process, in units of
/// inverse time.
///
/// The master equation is
/// $$ \frac{d p_j}{dt} = \sum_{i \ne j} \big[ p_i\, k(i\to j) - p_j\, k(j\to i) \big]. $$
///
/// Every rate is finite and non-negative; this is checked on construction, so the
/// analyses of this crate never see a NaN. Self-transitions have no meaning and are
/// stored as zero (a diagonal given to [`RateMatrix::from_rows`] is ignored, so a
/// generator matrix with its negative diagonal can be passed as it is).
///
/// ```
/// use stoch_core::RateMatrix;
/// // Two states: 0 → 1 at rate 2, 1 → 0 at rate 1.
/// let k = RateMatrix::from_fn(2, |i, j| if i == 0 && j == 1 { 2.0 } else { 1.0 })?;
/// let p = k.steady_state()?;
/// assert!((p[0] - 1.0 / 3.0).abs() < 1e-15);
/// # Ok::<(), stoch_core::StochError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RateMatrix {
    n: usize,
    /// Row-major: `k[from * n + to]`, with a zero diagonal.
    k: Vec<f64>,
}

impl RateMatrix {
    /// Builds the matrix from `rate(from, to)`, called for every ordered pair of
    /// distinct states.
    ///
    /// # Errors
    /// [`StochError::NoStates`] for `n == 0`; [`StochError::NonFiniteRate`] or
    /// [`StochError::NegativeRate`] naming the first bad entry.
    pub fn from_fn(
        n: usize,
        mut rate: impl FnMut(usize, usize) -> f64,
    ) -> Result<Self, StochError> {
        if n == 0 {
            return Err(StochError::NoStates);
        }
        let mut k = vec![0.0; n * n];
        for from in 0..n {
            for to in 0..n {
                if from != to {
                    let r = rate(from, to);
                    check_rate(from, to, r)?;
                    k[from * n + to] = r;
                }
            }
        }
        Ok(Self { n, k })
    }

    /// Builds the matrix from rows, `rows[from][to] = k(from→to)`. The diagonal is ignored.
    ///
    /// # Errors
    /// As [`RateMatrix::from_fn`], plus [`StochError::NotSquare`].
    pub fn from_rows<R: AsRef<[f64]>>(rows: &[R]) -> Result<Self, StochError> {
        let n = rows.len();
        for (row, r) in rows.iter().enumerate() {
            let len = r.as_ref().len();
            if len != n {
                return Err(StochError::NotSquare { row, len, n_states: n });
            }
        }
        Self::from_fn(n, |i, j| rows[i].as_ref()[j])
    }

    /// Builds the matrix from a list of `(from, to, rate)`; pairs not listed have rate
    /// zero, a pair listed twice has its rates added.
    ///
    /// # Errors
    /// As [`RateMatrix::from_fn`], plus [`StochError::StateOutOfRange`].
    pub fn from_edges(n: usize, edges: &[(usize, usize, f64)]) -> Result<Self, StochError> {
        if n == 0 {
            return Err(StochError::NoStates);
        }
        let mut k = vec![0.0; n * n];
        for &(from, to, r) in edges {
            for s in [from, to] {
                if s >= n {
                    return Err(StochError::StateOutOfRange { state: s, n_states: n });
                }
            }
            check_rate(from, to, r)?;
            if from != to {
                k[from * n + to] += r;
                check_rate(from, to, k[from * n + to])?;
            }
        }
        Ok(Self { n, k })
    }

    /// Replaces every rate by `rate(from, to)` in place, without allocating: the way to
    /// sweep a parameter through many processes of the same size.
    ///
    /// # Errors
    /// As [`RateMatrix::from_fn`]. On error every rate is set to zero, so the matrix is
    /// never left half old and half new.
    pub fn refill(&mut self, mut rate: impl FnMut(usize, usize) -> f64) -> Result<(), StochError> {
        let n = self.n;
        for from in 0..n {
            for to in 0..n {
                if from != to {
                    let r = rate(from, to);
                    if let Err(e) = check_rate(from, to, r) {
                        self.k.fill(0.0);
                        return Err(e);
                    }
                    self.k[from * n + to] = r;
                }
            }
        }
        Ok(())
    }

    /// Number of states.
    pub fn n_states(&self) -> usize {
        self.n
    }

    /// The rate k(from→to) (zero on the diagonal).
    ///
    /// # Panics
    /// If a state is out of range, like slice indexing.
    #[inline]
    pub fn rate(&self, from: usize, to: usize) -> f64 {
        assert!(from < self.n && to < self.n, "state out of range");
        self.k[from * self.n + to]
    }

    /// All rates out of `from`, indexed by target state (zero at `from` itself).
    #[inline]
    pub fn rates_from(&self, from: usize) -> &[f64] {
        &self.k[from * self.n..(from + 1) * self.n]
    }

    /// Total exit rate Σ_{j≠i} k(i→j) of state `i`.
    pub fn exit_rate(&self, i: usize) -> f64 {
        self.rates_from(i).iter().sum()
    }

    /// The generator L in the column convention dp/dt = L p:
    /// L[j, i] = k(i→j) for i ≠ j and L[i, i] = −Σ_{j≠i} k(i→j). Columns sum to zero.
    pub fn generator(&self) -> faer::Mat<f64> {
        faer::Mat::from_fn(self.n, self.n, |to, from| {
            if to == from { -self.exit_rate(from) } else { self.rate(from, to) }
        })
    }

    /// dp/dt of the master equation at distribution `p`, written into `dpdt`.
    ///
    /// # Errors
    /// [`StochError::LengthMismatch`] if either slice has the wrong length.
    pub fn master_equation_rhs(&self, p: &[f64], dpdt: &mut [f64]) -> Result<(), StochError> {
        self.check_len(p.len())?;
        self.check_len(dpdt.len())?;
        dpdt.fill(0.0);
        for i in 0..self.n {
            for (j, &k) in self.rates_from(i).iter().enumerate() {
                let flow = p[i] * k;
                dpdt[j] += flow;
                dpdt[i] -= flow;
            }
        }
        Ok(())
    }

    /// Whether every state can be reached from every other one through transitions of
    /// positive rate. Returns the first unreachable pair otherwise.
    pub fn check_irreducible(&self) -> Result<(), StochError> {
        // Reachable from 0 along forward edges, and 0 reachable from all (backward edges).
        for forward in [true, false] {
            let mut seen = vec![false; self.n];
            let mut stack = vec![0usize];
            seen[0] = true;
            while let Some(i) = stack.pop() {
                for j in 0..self.n {
                    let r = if forward { self.rate(i, j) } else { self.rate(j, i) };
                    if r > 0.0 && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
            if let Some(s) = seen.iter().position(|&v| !v) {
                let (from, to) = if forward { (0, s) } else { (s, 0) };
                return Err(StochError::NotIrreducible { from, to });
            }
        }
        Ok(())
    }

    pub(crate) fn check_len(&self, len: usize) -> Result<(), StochError> {
        if len == self.n {
            Ok(())
        } else {
            Err(StochError::LengthMismatch { len, n_states: self.n })
        }
    }

    /// Checks that `p` is a probability vector over the states (finite, non-negative,
    /// summing to one within `1e-9`).
    ///
    /// # Errors
    /// [`StochError::LengthMismatch`], [`StochError::InvalidProbability`] or
    /// [`StochError::NotNormalized`].
    pub fn check_distribution(&self, p: &[f64]) -> Result<(), StochError> {
        self.check_len(p.len())?;
        for (state, &value) in p.iter().enumerate() {
            if !(value.is_finite() && value >= 0.0) {
                return Err(StochError::InvalidProbability { state, value });
            }
        }
        let sum: f64 = p.iter().sum();
        if (sum - 1.0).abs() > 1e-9 {
            return Err(StochError::NotNormalized { sum });
        }
        Ok(())
    }
}

fn check_rate(from: usize, to: usize, rate: f64) -> Result<(), StochError> {
    if !rate.is_finite() {
        Err(StochError::NonFiniteRate { from, to, rate })
    } else if rate < 0.0 {
        Err(StochError::NegativeRate { from, to, rate })
    } else {
        Ok(())
    }
}
