//! Two spin chains as a stochastic convolutional layer (bottleneck paper, Sec. III B and
//! Appendix 2): spins (m, n), m = 0…N−1 along a chain, n ∈ {0, 1} the chain; couplings
//! W_ij that depend only on (m_i − m_j, n_i − n_j) and connect |m_i − m_j| ≤ k; no
//! self-coupling; the same input x on both chains; flips at rates exp(−β s_i h_i),
//! h = W s + x (prefactor 1).
//!
//! **The parameter count.** The paper says W has 4k − 2 independent parameters, that W
//! depends only on (Δm, Δn), that spins with |Δm| ≤ k are connected, and that there is no
//! self-coupling. No reading keeps all four for every k; [`Couplings`] offers four:
//!
//! | layout | parameters | k = 1, 2, 3, 4 | which rule it gives up |
//! | --- | --- | --- | --- |
//! | [`Couplings::Full`] | 6k + 2 | 8, 14, 20, 26 | the count |
//! | [`Couplings::Rungs`] | 2k + 2 | 4, 6, 8, 10 | the count for k ≠ 2; most pairs with Δn ≠ 0 |
//! | [`Couplings::Zigzag`] | 4k − 2 | 2, 6, 10, 14 | the in-chain k-th neighbours; W(Δm, Δn) only through 2Δm + Δn |
//! | [`Couplings::None`] | 2k | 2, 4, 6, 8 | every coupling between the chains |
//!
//! `Full` is the literal reading: 2k in-chain couplings (Δn = 0, Δm = ±1…±k) plus
//! 2(2k + 1) between the chains (Δn = ±1, |Δm| ≤ k). `Rungs` keeps the 2k in-chain
//! couplings and only the rungs (Δm = 0, Δn = ±1); it matches the count at the paper's
//! k = 2 only. `Zigzag` reads the ladder as one chain of 2N spins numbered i = 2m + n
//! (the two channels interleaved) with a translation-invariant coupling w(i − j) of range
//! 0 < |i − j| ≤ 2k − 1: exactly 4k − 2 parameters for every k, every connected pair has
//! |Δm| ≤ k, and W_ij is a function of (Δm, Δn) through Δi = 2Δm + Δn; it leaves the
//! in-chain pairs at Δm = ±k unconnected and ties each rung to a diagonal.
//!
//! **Chain-swap symmetry.** The input is the same on both chains. Under `Rungs` and
//! `None`, exchanging the chains maps W to itself once W = Wᵀ, so an equilibrium layer has
//! two identical chains (N distinct features out of 2N), while a driven one can tell them
//! apart; under `Full` and `Zigzag` a symmetric W can break the symmetry too. The tests
//! check this on the exact master equation.
//!
//! **Run length.** The paper's per-input rule (T_max = 5000, N_max = 10⁴ jumps, transient
//! 200 dropped) is inconsistent for 80 spins: with rates of order one, 10⁴ jumps take
//! ~10⁴/80 ≈ 125 time units, which ends before the transient does. [`RunLength`] runs an
//! explicit transient of min(T_transient, transient_jumps) first, then measures over
//! min(T_max − T_transient, N_max − transient jumps) (defaults: the paper's numbers with
//! 20% of N_max as the jump-count transient), and says which limit ended each phase.

use gillespie::{BatchLane, KineticIsing, SpinBatchEngine, SpinFlipEngine, SpinStats, TwoPhase};
use rand::{Rng, RngExt};

use crate::ModelError;
use crate::error::finite;

/// Which (Δm, Δn) are coupled, and by which parameter (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Couplings {
    /// In-chain couplings only: two independent chains, 2k parameters.
    None,
    /// In-chain couplings and the rungs (Δm = 0, Δn = ±1): 2k + 2 (= 4k − 2 at k = 2).
    Rungs,
    /// In-chain couplings and every |Δm| ≤ k between the chains: 6k + 2.
    Full,
    /// The interleaved chain i = 2m + n with w(Δi), 0 < |Δi| ≤ 2k − 1: 4k − 2.
    Zigzag,
}

impl Couplings {
    /// Every layout.
    pub const ALL: [Couplings; 4] =
        [Couplings::None, Couplings::Rungs, Couplings::Full, Couplings::Zigzag];

    /// Its name in presets and output ("rungs", "full", ...).
    pub fn name(self) -> &'static str {
        match self {
            Couplings::None => "none",
            Couplings::Rungs => "rungs",
            Couplings::Full => "full",
            Couplings::Zigzag => "zigzag",
        }
    }
}

/// The coupling structure.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChainLayout {
    /// Spins per chain N.
    pub n: usize,
    /// Coupling range k.
    pub k: usize,
    /// Which offsets are coupled.
    pub couplings: Couplings,
    /// Periodic chains (ring) instead of open ones.
    pub periodic: bool,
}

impl ChainLayout {
    /// The coupled offsets (Δm, Δn) = (m_i − m_j, n_i − n_j), each with the index of its
    /// parameter; parameters are numbered 0..n_params() in order of first appearance.
    pub fn offsets(&self) -> Vec<((i64, i64), usize)> {
        let k = self.k as i64;
        let in_chain = (-k..=k).filter(|&d| d != 0).map(|d| (d, 0));
        let offsets: Vec<(i64, i64)> = match self.couplings {
            Couplings::None => in_chain.collect(),
            Couplings::Rungs => in_chain.chain([(0, 1), (0, -1)]).collect(),
            Couplings::Full => in_chain
                .chain([1, -1].into_iter().flat_map(|dn| (-k..=k).map(move |d| (d, dn))))
                .collect(),
            Couplings::Zigzag => {
                // Δi = 2Δm + Δn: even Δi is in-chain, odd Δi a rung or diagonal pair.
                let mut v = Vec::new();
                for di in (-(2 * k - 1)..=(2 * k - 1)).filter(|&d| d != 0) {
                    if di % 2 == 0 {
                        v.push(((di / 2, 0), di));
                    } else {
                        v.push((((di - 1) / 2, 1), di));
                        v.push((((di + 1) / 2, -1), di));
                    }
                }
                let keys: Vec<i64> = (-(2 * k - 1)..=(2 * k - 1)).filter(|&d| d != 0).collect();
                return v
                    .into_iter()
                    .map(|(o, di)| (o, keys.iter().position(|&x| x == di).expect("listed")))
                    .collect();
            }
        };
        offsets.into_iter().enumerate().map(|(p, o)| (o, p)).collect()
    }

    /// Number of independent parameters.
    pub fn n_params(&self) -> usize {
        self.offsets().iter().map(|&(_, p)| p + 1).max().unwrap_or(0)
    }

    /// Index of spin (m, n).
    pub fn spin(&self, m: usize, n: usize) -> usize {
        n * self.n + m
    }

    /// The couplings (i, j, W_ij) of parameters θ.
    ///
    /// # Errors
    /// Wrong number of parameters, non-finite values, or a chain too short for k.
    pub fn couplings(&self, theta: &[f64]) -> Result<Vec<(usize, usize, f64)>, ModelError> {
        let offsets = self.offsets();
        if theta.len() != self.n_params() {
            return Err(ModelError::InvalidParameter {
                name: "number of coupling parameters",
                value: theta.len() as f64,
                requirement: "must equal ChainLayout::n_params()",
            });
        }
        if self.n < 2 * self.k + 1 || self.k == 0 {
            return Err(ModelError::InvalidParameter {
                name: "k",
                value: self.k as f64,
                requirement: "need 1 ≤ k and N ≥ 2k + 1",
            });
        }
        for &t in theta {
            finite("coupling parameter", t)?;
        }
        let n = self.n as i64;
        let mut out = Vec::new();
        for ni in 0..2i64 {
            for mi in 0..n {
                for &((dm, dn), p) in &offsets {
                    let nj = ni - dn;
                    let mut mj = mi - dm;
                    if !(0..2).contains(&nj) {
                        continue;
                    }
                    if self.periodic {
                        mj = mj.rem_euclid(n);
                    } else if !(0..n).contains(&mj) {
                        continue;
                    }
                    if theta[p] != 0.0 {
                        out.push((
                            self.spin(mi as usize, ni as usize),
                            self.spin(mj as usize, nj as usize),
                            theta[p],
                        ));
                    }
                }
            }
        }
        Ok(out)
    }

    /// The dense 2N × 2N matrix W (row-major).
    ///
    /// # Errors
    /// As [`ChainLayout::couplings`].
    pub fn dense(&self, theta: &[f64]) -> Result<Vec<f64>, ModelError> {
        let size = 2 * self.n;
        let mut w = vec![0.0; size * size];
        for (i, j, v) in self.couplings(theta)? {
            w[i * size + j] += v;
        }
        Ok(w)
    }

    /// θ made reciprocal (W = Wᵀ): the parameters of (Δm, Δn) and (−Δm, −Δn) replaced by
    /// their mean. The equilibrium limit of the paper's α → ∞. A θ of the wrong length is
    /// returned unchanged (for [`ChainLayout::couplings`] to reject).
    pub fn symmetrized(&self, theta: &[f64]) -> Vec<f64> {
        if theta.len() != self.n_params() {
            return theta.to_vec();
        }
        let offsets = self.offsets();
        let transpose = |p: usize| -> usize {
            // Every layout's offset sets are closed under negation, parameter by parameter.
            let &((dm, dn), _) = offsets.iter().find(|&&(_, q)| q == p).expect("parameter");
            offsets.iter().find(|&&(o, _)| o == (-dm, -dn)).map_or(p, |&(_, q)| q)
        };
        (0..theta.len()).map(|p| 0.5 * (theta[p] + theta[transpose(p)])).collect()
    }
}

/// The normalised asymmetry A = Σ_ij (W_ij − W_ji)² / Σ_ij W_ij² (Fig. 5); 0 for W = 0.
pub fn asymmetry(w: &[f64], size: usize) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..size {
        for j in 0..size {
            num += (w[i * size + j] - w[j * size + i]).powi(2);
            den += w[i * size + j].powi(2);
        }
    }
    if den > 0.0 { num / den } else { 0.0 }
}

/// How long each input is simulated (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct RunLength {
    /// T_max.
    pub t_max: f64,
    /// N_max.
    pub n_max: u64,
    /// T_transient.
    pub transient_time: f64,
    /// The transient also ends after this many jumps.
    pub transient_jumps: u64,
}

impl RunLength {
    /// The paper's T_max = 5000, N_max = 10⁴, T_transient = 200, with the transient also
    /// capped at 2000 jumps.
    pub fn paper() -> Self {
        Self { t_max: 5000.0, n_max: 10_000, transient_time: 200.0, transient_jumps: 2_000 }
    }

    /// The engines' two-phase plan for this run length.
    pub fn plan(&self) -> TwoPhase {
        TwoPhase {
            transient_time: self.transient_time,
            transient_jumps: self.transient_jumps,
            t_max: self.t_max,
            n_max: self.n_max,
        }
    }
}

/// The steady-state measurement for one input.
#[derive(Debug, Clone, PartialEq)]
pub struct InputResponse {
    /// m_x, the time-averaged magnetisation of every spin (2N).
    pub magnetization: Vec<f64>,
    /// σ(x), the entropy production rate (nats per unit time).
    pub entropy_rate: f64,
    /// Jumps in the measurement window.
    pub jumps: u64,
}

/// The two chains at inverse temperature β with couplings θ. The input x comes with
/// each run: it is the field on both chains, (x, x).
#[derive(Debug, Clone)]
pub struct ChainSystem {
    layout: ChainLayout,
    beta: f64,
    network: KineticIsing,
}

/// The fields (x, x) of an input x of length N, checked.
fn fields_of(n: usize, x: &[f64]) -> Result<Vec<f64>, ModelError> {
    if x.len() != n {
        return Err(ModelError::InvalidParameter {
            name: "input length",
            value: x.len() as f64,
            requirement: "must equal N",
        });
    }
    Ok([x, x].concat())
}

/// Random initial spins, ±1 with probability ½ each, from `rng`.
fn random_spins<R: Rng + ?Sized>(size: usize, rng: &mut R) -> Vec<i8> {
    (0..size).map(|_| if rng.random::<bool>() { 1 } else { -1 }).collect()
}

impl ChainSystem {
    /// Builds the network.
    ///
    /// # Errors
    /// Bad layout, parameters or β.
    pub fn new(layout: ChainLayout, beta: f64, theta: &[f64]) -> Result<Self, ModelError> {
        finite("beta", beta)?;
        let couplings = layout.couplings(theta)?;
        let network = KineticIsing::new(beta, 2 * layout.n, &couplings)?;
        Ok(Self { layout, beta, network })
    }

    /// The layout.
    pub fn layout(&self) -> &ChainLayout {
        &self.layout
    }

    /// The kinetic Ising network (for exact analysis of small systems, with
    /// [`KineticIsing::with_fields`] and the fields (x, x)).
    pub fn network(&self) -> &KineticIsing {
        &self.network
    }

    /// Simulates input x (length N) from random spins drawn from `rng`: a transient, then
    /// the measured window (see [`RunLength`]), one two-phase engine run.
    ///
    /// # Errors
    /// A wrong input length; engine errors (a non-finite input, rates overflowing for
    /// huge β|h|).
    pub fn respond<R: Rng + ?Sized>(
        &self,
        engine: &mut SpinFlipEngine,
        run: &RunLength,
        x: &[f64],
        rng: &mut R,
        stats: &mut SpinStats,
    ) -> Result<InputResponse, ModelError> {
        let fields = fields_of(self.layout.n, x)?;
        let init = random_spins(2 * self.layout.n, rng);
        let window =
            engine.run_two_phase(&self.network, &fields, &init, &run.plan(), rng, stats)?;
        Ok(InputResponse {
            magnetization: stats.magnetization.clone(),
            entropy_rate: stats.entropy_rate,
            jumps: window.window_jumps,
        })
    }

    /// [`ChainSystem::respond`] for several inputs at once, input l drawing from
    /// `rngs[l]`: the runs go through [`SpinBatchEngine`], which advances them in lockstep
    /// for speed. The responses are bit-identical to calling `respond` for each input in
    /// turn with the same generators.
    ///
    /// # Errors
    /// As [`ChainSystem::respond`]: the error of the first input (in order) that fails
    /// (every input's length is checked before anything runs).
    ///
    /// # Panics
    /// If `rngs` or `stats` is shorter than `inputs`.
    pub fn respond_many<R: Rng>(
        &self,
        engine: &mut SpinBatchEngine,
        run: &RunLength,
        inputs: &[&[f64]],
        rngs: &mut [R],
        stats: &mut [SpinStats],
    ) -> Result<Vec<InputResponse>, ModelError> {
        let lanes = inputs.len();
        assert!(
            rngs.len() >= lanes && stats.len() >= lanes,
            "one generator and one SpinStats per input"
        );
        let fields: Vec<Vec<f64>> =
            inputs.iter().map(|x| fields_of(self.layout.n, x)).collect::<Result<_, _>>()?;
        let size = 2 * self.layout.n;
        let inits: Vec<Vec<i8>> =
            rngs[..lanes].iter_mut().map(|rng| random_spins(size, rng)).collect();
        let plan = run.plan();
        let mut batch: Vec<BatchLane<'_, R>> = rngs[..lanes]
            .iter_mut()
            .zip(&fields)
            .zip(&inits)
            .map(|((rng, f), init)| BatchLane {
                fields: f,
                initial: init,
                stop: plan.transient_rule(), // what run_two_phase sets for the first phase
                rng,
            })
            .collect();
        let results = engine.run_two_phase(&self.network, &plan, &mut batch, stats);
        results
            .into_iter()
            .zip(stats.iter())
            .map(|(r, s)| {
                Ok(InputResponse {
                    magnetization: s.magnetization.clone(),
                    entropy_rate: s.entropy_rate,
                    jumps: r?.window_jumps,
                })
            })
            .collect()
    }

    /// β.
    pub fn beta(&self) -> f64 {
        self.beta
    }
}
