//! Probability fluxes and Schnakenberg entropy production.

use crate::{RateMatrix, StochError};

/// The entropy production of one edge {i, j} of the transition graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeEntropy {
    /// The lower state of the pair.
    pub i: usize,
    /// The higher state of the pair.
    pub j: usize,
    /// Net probability flux J_ij = p_i k(i→j) − p_j k(j→i), per unit time.
    pub flux: f64,
    /// Affinity ln[p_i k(i→j) / (p_j k(j→i))] (dimensionless, nats).
    pub affinity: f64,
    /// Contribution J_ij · affinity to the entropy production rate (nats per unit time,
    /// k_B = 1). Always ≥ 0.
    pub rate: f64,
}

/// Schnakenberg entropy production with its per-edge contributions.
#[derive(Debug, Clone, PartialEq)]
pub struct EntropyProduction {
    /// Total entropy production rate σ = Σ_edges J_ij ln[p_i k_ij / (p_j k_ji)], in nats
    /// per unit time (k_B = 1). Non-negative; +∞ if some edge with rates both ways has
    /// probability on one side only.
    pub total: f64,
    /// Every edge with a positive rate in at least one direction, ordered by (i, j).
    pub edges: Vec<EdgeEntropy>,
}

impl RateMatrix {
    /// The rates (k_ij, k_ji) of the edge {i, j}; `None` when neither exists, and
    /// [`StochError::OneWayTransition`] when only one does (its EP would be infinite).
    fn edge_rates(&self, i: usize, j: usize) -> Result<Option<(f64, f64)>, StochError> {
        let (kij, kji) = (self.rate(i, j), self.rate(j, i));
        match (kij == 0.0, kji == 0.0) {
            (true, true) => Ok(None),
            (false, true) => Err(StochError::OneWayTransition { from: i, to: j, rate: kij }),
            (true, false) => Err(StochError::OneWayTransition { from: j, to: i, rate: kji }),
            (false, false) => Ok(Some((kij, kji))),
        }
    }

    /// Net probability fluxes J[i·n + j] = p_i k(i→j) − p_j k(j→i) (antisymmetric,
    /// per unit time). At a steady state every row sums to zero (Kirchhoff's law).
    ///
    /// # Errors
    /// [`StochError::LengthMismatch`] if `p` has the wrong length.
    pub fn net_fluxes(&self, p: &[f64]) -> Result<Vec<f64>, StochError> {
        self.check_len(p.len())?;
        let n = self.n_states();
        let mut j = vec![0.0; n * n];
        for a in 0..n {
            for b in 0..n {
                if a != b {
                    j[a * n + b] = p[a] * self.rate(a, b) - p[b] * self.rate(b, a);
                }
            }
        }
        Ok(j)
    }

    /// The Schnakenberg entropy production rate of distribution `p` (Eq. 2 of
    /// Ingrosso & Panizon 2024),
    /// $$ \sigma = \tfrac12 \sum_{i \ne j} J_{ij} \ln\frac{p_i k(i\to j)}{p_j k(j\to i)}, $$
    /// in nats per unit time, with every edge's contribution. At the steady state this is
    /// the total entropy production; it vanishes exactly at detailed balance.
    ///
    /// # Errors
    /// [`StochError::OneWayTransition`] if a transition has a positive rate and its
    /// reverse rate is zero (its entropy production is infinite, and no finite number
    /// would be right); the distribution errors of [`RateMatrix::check_distribution`].
    pub fn schnakenberg(&self, p: &[f64]) -> Result<EntropyProduction, StochError> {
        let mut edges = Vec::new();
        let total = self.schnakenberg_visit(p, |e| edges.push(e))?;
        Ok(EntropyProduction { total, edges })
    }

    /// The total Schnakenberg entropy production rate only (no per-edge list, no
    /// allocation). See [`RateMatrix::schnakenberg`].
    ///
    /// # Errors
    /// As [`RateMatrix::schnakenberg`].
    pub fn entropy_production_rate(&self, p: &[f64]) -> Result<f64, StochError> {
        self.schnakenberg_visit(p, |_| ())
    }

    fn schnakenberg_visit(
        &self,
        p: &[f64],
        mut visit: impl FnMut(EdgeEntropy),
    ) -> Result<f64, StochError> {
        self.check_distribution(p)?;
        let n = self.n_states();
        let mut total = 0.0;
        for i in 0..n {
            for j in i + 1..n {
                let Some((kij, kji)) = self.edge_rates(i, j)? else { continue };
                let (fwd, bwd) = (p[i] * kij, p[j] * kji);
                let flux = fwd - bwd;
                let (affinity, rate) = if fwd == bwd {
                    (0.0, 0.0)
                } else if fwd == 0.0 || bwd == 0.0 {
                    // Probability on one side only: the log-ratio diverges and so does σ.
                    (flux.signum() * f64::INFINITY, f64::INFINITY)
                } else {
                    let a = (fwd / bwd).ln();
                    (a, flux * a)
                };
                total += rate;
                visit(EdgeEntropy { i, j, flux, affinity, rate });
            }
        }
        Ok(total)
    }

    /// The entropy production rate of the steady state, computed from ln π
    /// ([`RateMatrix::log_steady_state`]) so that probabilities too small for f64 stay in
    /// play: each edge contributes (e^{a} − e^{b})(a − b) with a = ln π_i + ln k_ij and
    /// b = ln π_j + ln k_ji, which is exactly 0 at detailed balance (a = b) and an honest 0
    /// when both directed fluxes underflow. `entropy_production_rate(&steady_state()?)`
    /// instead sees an underflowed π_j as a true zero and returns +∞ for its edge (a
    /// chain of 1075 states with rates 1 up and 2 down, or rates 1e-300 / 1e300, whose
    /// exact steady-state EP is 0). Nats per unit time.
    ///
    /// # Errors
    /// [`StochError::OneWayTransition`] for a transition without its reverse; as
    /// [`RateMatrix::steady_state`].
    pub fn steady_entropy_production_rate(&self) -> Result<f64, StochError> {
        let log_p = self.log_steady_state()?;
        let n = self.n_states();
        let mut total = 0.0;
        for i in 0..n {
            for j in i + 1..n {
                let Some((kij, kji)) = self.edge_rates(i, j)? else { continue };
                let (a, b) = (log_p[i] + kij.ln(), log_p[j] + kji.ln());
                if a == b {
                    continue;
                }
                // e^a − e^b = e^max (1 − e^{−|a−b|}) · sign, without cancellation.
                let d = a - b;
                let flux = a.max(b).exp() * -(-d.abs()).exp_m1() * d.signum();
                total += flux * d;
            }
        }
        Ok(total)
    }

    /// The largest relative imbalance |p_i k_ij − p_j k_ji| / (p_i k_ij + p_j k_ji) over
    /// all edges: 0 at detailed balance, 1 for an edge with flow one way only (including
    /// one-way transitions).
    ///
    /// # Errors
    /// The distribution errors of [`RateMatrix::check_distribution`].
    pub fn detailed_balance_violation(&self, p: &[f64]) -> Result<f64, StochError> {
        self.check_distribution(p)?;
        let n = self.n_states();
        let mut worst: f64 = 0.0;
        for i in 0..n {
            for j in i + 1..n {
                let (fwd, bwd) = (p[i] * self.rate(i, j), p[j] * self.rate(j, i));
                // An edge with no probability flow either way says nothing.
                if fwd + bwd > 0.0 {
                    worst = worst.max((fwd - bwd).abs() / (fwd + bwd));
                }
            }
        }
        Ok(worst)
    }

    /// Whether the steady state satisfies detailed balance, every edge's relative flux
    /// imbalance (see [`RateMatrix::detailed_balance_violation`]) being below `rel_tol`.
    /// A one-way transition always breaks detailed balance.
    ///
    /// # Errors
    /// [`StochError::InvalidTolerance`] for a NaN, negative or infinite `rel_tol` (a NaN
    /// used to answer `false` for every process); [`StochError::NotIrreducible`] if the
    /// steady state is not unique.
    pub fn is_detailed_balance(&self, rel_tol: f64) -> Result<bool, StochError> {
        if !(rel_tol >= 0.0 && rel_tol.is_finite()) {
            return Err(StochError::InvalidTolerance { name: "rel_tol", value: rel_tol });
        }
        let p = self.steady_state()?;
        Ok(self.detailed_balance_violation(&p)? <= rel_tol)
    }
}
