//! Kinetic Ising networks and the spin-flip engine.
//!
//! Spins s_i = ±1 flip one at a time with rate w_i = exp(−β s_i h_i) (inverse time, rate
//! prefactor 1), h = W s + x, for arbitrary (asymmetric) couplings W with no
//! self-coupling and fields x. Flipping spin i produces the entropy
//! ln[w_i(s)/w_i(s')] = −2β s_i h_i (nats; h_i does not depend on s_i).
//!
//! The engine exploits sparse couplings:
//! - each spin's rate is looked up, not computed: h_i = x_i + c_i(config_i), where config_i
//!   is the bit pattern of the spins that couple into i, so w_i = e^{−β s_i x_i} ·
//!   e^{−β s_i c_i}. The second factor is tabulated once per distinct coupling pattern
//!   (2^(deg+1) entries; translation-invariant networks share one table), the first once
//!   per input. A jump costs no exp and no log. Networks with more than
//!   [`MAX_TABLE_DEGREE`] couplings into a spin keep h incrementally and call exp
//!   instead;
//! - config bits and rates are updated only for the flipped spin and the spins it couples
//!   into;
//! - rates sit in blocks of 16 (the structure of [`crate::SumTreeMethod`]); a flip
//!   updates block sums and the total by the change of each rate, and the rate structure
//!   recomputes them exactly from the leaves every 256 flips, so rounding drift stays at
//!   ~1e-14;
//!   a jump is chosen by scanning block sums and then one block;
//! - per-spin time-averaged magnetisations are accumulated lazily, when a spin flips, so
//!   a jump costs O(degree), not O(N).

use rand::Rng;

use crate::GillespieError;
use crate::engine::{BlockedRates, Clock, Step, uniform01};
use crate::model::{DependencyGraph, FiniteStateSpace, JumpModel, Reversible};
use crate::observe::{RunSummary, StopReason, StopRule, TwoPhase};

/// Largest number of couplings into one spin for which rates are tabulated.
pub const MAX_TABLE_DEGREE: usize = 12;

/// A kinetic Ising network: couplings and inverse temperature. The fields x (the input)
/// are given to each run ([`SpinFlipEngine::run`], [`crate::BatchLane`]), or bound with
/// [`KineticIsing::with_fields`] for the generic engines and the exact generator.
#[derive(Debug, Clone, PartialEq)]
pub struct KineticIsing {
    pub(crate) n: usize,
    pub(crate) beta: f64,
    /// In-neighbours of i: (j, W_ij) for W_ij ≠ 0, in CSR form.
    pub(crate) in_ptr: Vec<usize>,
    pub(crate) in_idx: Vec<usize>,
    in_w: Vec<f64>,
    /// Out-lists of k, in CSR form: every spin i that k couples into, with the key bit
    /// that k's state occupies in i's table key and the coupling W_ik.
    pub(crate) out_ptr: Vec<usize>,
    pub(crate) out: Vec<OutLink>,
    /// Coupling pattern of each spin (index into `pattern_start`), if tabulated.
    pattern_of: Vec<usize>,
    /// For each distinct list of incoming couplings (a pattern), the offset of its table
    /// in `boltz_flat` (2^(deg+1) entries exp(−β s c(config)) at (config << 1) | [s = +1],
    /// a multiple of the table's size) and, halved, in `csum_flat` (2^deg entries
    /// c(config) = Σ_b W_b s_b, bit b set ⇔ in-neighbour b is +1).
    pattern_start: Vec<usize>,
    /// All patterns' `boltz` tables end to end, and each spin's offset into it (a multiple
    /// of 2^(deg+1), so offset/2 is the spin's offset into `csum_flat`).
    pub(crate) boltz_flat: Vec<f64>,
    pub(crate) csum_flat: Vec<f64>,
    pub(crate) table_offset: Vec<u32>,
    /// Channels affected by flipping each spin (itself and its out-neighbours).
    affected: Vec<Vec<usize>>,
}

/// Spin k couples into spin `spin`: flipping k toggles `key_mask` in `spin`'s table key
/// and changes its field by −2 s_k `weight`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OutLink {
    pub(crate) spin: u32,
    pub(crate) key_mask: u32,
    pub(crate) weight: f64,
}

impl KineticIsing {
    /// Builds the network of `n` spins from the couplings `(i, j, W_ij)` (the field on i
    /// from j; listed pairs are added up).
    ///
    /// # Errors
    /// [`GillespieError::InvalidParameter`] for a non-finite β or coupling;
    /// [`GillespieError::InvalidModel`] for a self-coupling or an index out of range.
    pub fn new(
        beta: f64,
        n: usize,
        couplings: &[(usize, usize, f64)],
    ) -> Result<Self, GillespieError> {
        if !beta.is_finite() {
            return Err(GillespieError::InvalidParameter {
                name: "beta",
                value: beta,
                requirement: "must be finite",
            });
        }
        let mut rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        for &(i, j, w) in couplings {
            if i >= n || j >= n {
                return Err(GillespieError::InvalidModel(format!(
                    "coupling ({i}, {j}) out of range for {n} spins"
                )));
            }
            if i == j && w != 0.0 {
                return Err(GillespieError::InvalidModel(format!(
                    "self-coupling W[{i},{i}] = {w}: the flip rule needs W_ii = 0"
                )));
            }
            if !w.is_finite() {
                return Err(GillespieError::InvalidParameter {
                    name: "W",
                    value: w,
                    requirement: "must be finite",
                });
            }
            match rows[i].iter_mut().find(|e| e.0 == j) {
                Some(e) => e.1 += w,
                None => rows[i].push((j, w)),
            }
        }
        // Listed pairs are added up; a sum can overflow although every term is finite.
        if let Some(&(_, w)) = rows.iter().flatten().find(|e| !e.1.is_finite()) {
            return Err(GillespieError::InvalidParameter {
                name: "W (summed over repeated pairs)",
                value: w,
                requirement: "must be finite",
            });
        }
        let mut in_ptr = vec![0];
        let (mut in_idx, mut in_w) = (Vec::new(), Vec::new());
        for row in &mut rows {
            row.retain(|e| e.1 != 0.0);
            row.sort_by_key(|e| e.0);
            in_idx.extend(row.iter().map(|e| e.0));
            in_w.extend(row.iter().map(|e| e.1));
            in_ptr.push(in_idx.len());
        }
        let mut outs: Vec<Vec<OutLink>> = vec![Vec::new(); n];
        for i in 0..n {
            let r = in_ptr[i]..in_ptr[i + 1];
            for (b, (&j, &w)) in in_idx[r.clone()].iter().zip(&in_w[r]).enumerate() {
                // Key layout: bit 0 is the spin's own state, bit b + 1 in-neighbour b.
                let key_mask = 2u32.checked_shl(b as u32).unwrap_or(0);
                outs[j].push(OutLink { spin: i as u32, key_mask, weight: w });
            }
        }
        let mut out_ptr = vec![0];
        let mut out = Vec::new();
        for o in &outs {
            out.extend_from_slice(o);
            out_ptr.push(out.len());
        }
        let affected = (0..n)
            .map(|k| std::iter::once(k).chain(outs[k].iter().map(|e| e.spin as usize)).collect())
            .collect();
        let mut model = Self {
            n,
            beta,
            in_ptr,
            in_idx,
            in_w,
            out_ptr,
            out,
            pattern_of: Vec::new(),
            pattern_start: Vec::new(),
            boltz_flat: Vec::new(),
            csum_flat: Vec::new(),
            table_offset: Vec::new(),
            affected,
        };
        model.build_patterns();
        Ok(model)
    }

    /// Builds the network from a dense row-major n × n W (`w[i·n + j]` is the field on i
    /// from j).
    ///
    /// # Errors
    /// As [`KineticIsing::new`], and [`GillespieError::InvalidModel`] if `w` is not square.
    pub fn from_dense(beta: f64, w: &[f64]) -> Result<Self, GillespieError> {
        let n = w.len().isqrt();
        if w.len() != n * n {
            return Err(GillespieError::InvalidModel(format!(
                "W has {} entries, not the n × n of a square matrix",
                w.len()
            )));
        }
        let triplets: Vec<(usize, usize, f64)> =
            (0..n * n).filter(|&k| w[k] != 0.0).map(|k| (k / n, k % n, w[k])).collect();
        Self::new(beta, n, &triplets)
    }

    fn build_patterns(&mut self) {
        self.pattern_start.clear();
        self.pattern_of.clear();
        self.boltz_flat.clear();
        self.csum_flat.clear();
        self.table_offset.clear();
        if (0..self.n).any(|i| self.degree(i) > MAX_TABLE_DEGREE) {
            return;
        }
        // Coupling lists seen so far, by the bits of their weights: O(1) per spin.
        let mut seen: std::collections::HashMap<Vec<u64>, usize> = std::collections::HashMap::new();
        for i in 0..self.n {
            let weights = &self.in_w[self.in_ptr[i]..self.in_ptr[i + 1]];
            let bits: Vec<u64> = weights.iter().map(|w| w.to_bits()).collect();
            let p = match seen.get(&bits) {
                Some(&p) => p,
                None => {
                    // Each table starts at a multiple of its own (power-of-two) size, so an
                    // offset and the config bits of a key never overlap and a flip can
                    // toggle key bits with XOR. The csum table sits at half the offset.
                    let deg = weights.len();
                    let size = 2usize << deg;
                    let start = self.boltz_flat.len().next_multiple_of(size);
                    self.boltz_flat.resize(start, 0.0);
                    self.csum_flat.resize(start / 2, 0.0);
                    for cfg in 0..1usize << deg {
                        let c: f64 = weights
                            .iter()
                            .enumerate()
                            .map(|(b, w)| if cfg >> b & 1 == 1 { *w } else { -*w })
                            .sum();
                        self.csum_flat.push(c);
                        self.boltz_flat.push((self.beta * c).exp()); // s = −1
                        self.boltz_flat.push((-self.beta * c).exp()); // s = +1
                    }
                    self.pattern_start.push(start);
                    seen.insert(bits, self.pattern_start.len() - 1);
                    self.pattern_start.len() - 1
                }
            };
            self.pattern_of.push(p);
        }
        self.table_offset = self.pattern_of.iter().map(|&p| self.pattern_start[p] as u32).collect();
    }

    /// Drops the rate tables, so the engine keeps local fields and calls exp per update, as
    /// it does for networks with more than [`MAX_TABLE_DEGREE`] couplings into a spin.
    /// The statistics are the same; this exists to test that path and to time it.
    pub fn without_tables(mut self) -> Self {
        self.pattern_start.clear();
        self.pattern_of.clear();
        self.boltz_flat.clear();
        self.csum_flat.clear();
        self.table_offset.clear();
        self
    }

    /// The network driven by the fields x, as a model the generic engines and
    /// [`crate::to_rate_matrix`] take (rates exp(−β s_i h_i), h = W s + x).
    ///
    /// # Errors
    /// [`GillespieError::InvalidModel`] for a wrong length, [`GillespieError::InvalidParameter`]
    /// for a non-finite field.
    pub fn with_fields<'a>(&'a self, fields: &'a [f64]) -> Result<DrivenIsing<'a>, GillespieError> {
        check_fields(self.n, fields)?;
        Ok(DrivenIsing { network: self, fields })
    }

    /// Number of spins.
    pub fn n_spins(&self) -> usize {
        self.n
    }

    /// Inverse temperature β.
    pub fn beta(&self) -> f64 {
        self.beta
    }

    /// Number of spins coupling into spin i.
    pub fn degree(&self, i: usize) -> usize {
        self.in_ptr[i + 1] - self.in_ptr[i]
    }

    /// Whether rates are tabulated (every degree ≤ [`MAX_TABLE_DEGREE`]).
    pub fn is_tabulated(&self) -> bool {
        !self.pattern_of.is_empty() || self.n == 0
    }

    /// Number of distinct coupling patterns (one rate table each).
    pub fn n_patterns(&self) -> usize {
        self.pattern_start.len()
    }

    /// The local field h_i = Σ_j W_ij s_j + x_i under the fields x.
    pub fn local_field(&self, spins: &[i8], fields: &[f64], i: usize) -> f64 {
        let r = self.in_ptr[i]..self.in_ptr[i + 1];
        fields[i]
            + self.in_idx[r.clone()]
                .iter()
                .zip(&self.in_w[r])
                .map(|(&j, w)| w * f64::from(spins[j]))
                .sum::<f64>()
    }

    /// Spin i's index into the rate tables in state `spins` (tabulated networks only):
    /// its table's offset + (config_i << 1 | [s_i = +1]), bit b of config_i set when
    /// in-neighbour b is +1.
    pub(crate) fn table_key(&self, spins: &[i8], i: usize) -> u32 {
        let r = self.in_ptr[i]..self.in_ptr[i + 1];
        let config: u32 =
            self.in_idx[r].iter().enumerate().map(|(b, &j)| u32::from(spins[j] > 0) << b).sum();
        self.table_offset[i] + (config << 1 | u32::from(spins[i] > 0))
    }

    /// The flip rate exp(−β s_i h_i) of spin i under the fields x, computed directly (the
    /// reference the engine is tested against).
    pub fn flip_rate(&self, spins: &[i8], fields: &[f64], i: usize) -> f64 {
        (-self.beta * f64::from(spins[i]) * self.local_field(spins, fields, i)).exp()
    }
}

/// Checks an initial state: n spins of ±1.
pub(crate) fn check_initial(n: usize, initial: &[i8]) -> Result<(), GillespieError> {
    if initial.len() != n || initial.iter().any(|&s| s != 1 && s != -1) {
        return Err(GillespieError::InvalidModel(format!("initial state must be {n} spins of ±1")));
    }
    Ok(())
}

/// The field factors e^{−β s x_i} at [2i + [s = +1]], into `out`.
pub(crate) fn field_factors(beta: f64, fields: &[f64], out: &mut Vec<f64>) {
    out.clear();
    for &x in fields {
        out.extend(field_factor(beta, x));
    }
}

/// [e^{βx}, e^{−βx}]: the field factor e^{−β s x} for s = −1 and s = +1.
#[inline]
pub(crate) fn field_factor(beta: f64, x: f64) -> [f64; 2] {
    [(beta * x).exp(), (-beta * x).exp()]
}

/// Checks fields x for n spins: the length, and every x_i finite.
pub(crate) fn check_fields(n: usize, fields: &[f64]) -> Result<(), GillespieError> {
    if fields.len() != n {
        return Err(GillespieError::InvalidModel(format!("{} fields for {n} spins", fields.len())));
    }
    match fields.iter().find(|x| !x.is_finite()) {
        Some(&x) => Err(GillespieError::InvalidParameter {
            name: "x",
            value: x,
            requirement: "must be finite",
        }),
        None => Ok(()),
    }
}

/// A kinetic Ising network with its fields bound ([`KineticIsing::with_fields`]): a
/// generic jump model where channel i flips spin i. Lets the generic engines and
/// `stoch-core` (via [`FiniteStateSpace`], for up to 20 spins) check the spin engine.
#[derive(Debug, Clone, Copy)]
pub struct DrivenIsing<'a> {
    network: &'a KineticIsing,
    fields: &'a [f64],
}

impl DrivenIsing<'_> {
    /// The network.
    pub fn network(&self) -> &KineticIsing {
        self.network
    }

    /// The fields x.
    pub fn fields(&self) -> &[f64] {
        self.fields
    }
}

impl JumpModel for DrivenIsing<'_> {
    type State = Vec<i8>;
    fn n_channels(&self) -> usize {
        self.network.n
    }
    fn check_state(&self, state: &Vec<i8>) -> Result<(), GillespieError> {
        check_initial(self.network.n, state)
    }
    fn rate(&self, state: &Vec<i8>, channel: usize) -> f64 {
        self.network.flip_rate(state, self.fields, channel)
    }
    fn fire(&self, state: &mut Vec<i8>, channel: usize) {
        state[channel] = -state[channel];
    }
}

impl Reversible for DrivenIsing<'_> {
    fn reverse(&self, channel: usize) -> Option<usize> {
        Some(channel)
    }
}

impl DependencyGraph for DrivenIsing<'_> {
    fn affected(&self, channel: usize) -> &[usize] {
        &self.network.affected[channel]
    }
}

/// Up to 20 spins (2²⁰ states); more is an error from
/// [`FiniteStateSpace::check_enumerable`] (and a panic from `n_states`).
impl FiniteStateSpace for DrivenIsing<'_> {
    fn check_enumerable(&self) -> Result<(), GillespieError> {
        if self.network.n > 20 {
            return Err(GillespieError::InvalidModel(format!(
                "{} spins have 2^{} states: too many to enumerate (at most 20 spins)",
                self.network.n, self.network.n
            )));
        }
        Ok(())
    }
    fn n_states(&self) -> usize {
        assert!(self.network.n <= 20, "enumerating 2^{} states is not sensible", self.network.n);
        1 << self.network.n
    }
    fn index(&self, state: &Vec<i8>) -> usize {
        state.iter().enumerate().map(|(i, &s)| usize::from(s > 0) << i).sum()
    }
    fn state(&self, index: usize) -> Vec<i8> {
        (0..self.network.n).map(|i| if index >> i & 1 == 1 { 1 } else { -1 }).collect()
    }
}

/// What a spin-flip run measured over its averaging window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpinStats {
    /// Time-averaged magnetisation ⟨s_i⟩ of every spin.
    pub magnetization: Vec<f64>,
    /// Entropy produced in the window, Σ −2β s_i h_i over its jumps (nats).
    pub entropy: f64,
    /// Entropy production rate, entropy / window (nats per unit time).
    pub entropy_rate: f64,
}

impl SpinStats {
    /// The window averages of a finished run: spin i's magnetisation integral up to its
    /// last flip (`m_integral`, `last_flip`) completed to the end of the run.
    pub(crate) fn fill(
        &mut self,
        spins: &[i8],
        last_flip: &[f64],
        m_integral: &[f64],
        transient: f64,
        entropy: f64,
        summary: &RunSummary,
    ) {
        self.magnetization.clear();
        for ((&s, &last), &m) in spins.iter().zip(last_flip).zip(m_integral) {
            let since = last.max(transient);
            let m = m + f64::from(s) * (summary.end_time - since);
            self.magnetization.push(m / summary.window);
        }
        self.entropy = entropy;
        self.entropy_rate = entropy / summary.window;
    }
}

/// The spin-flip engine (see the module docs). Holds all scratch; reuse one per thread.
#[derive(Debug, Clone, Default)]
pub struct SpinFlipEngine {
    spins: Vec<i8>,
    /// Tabulated path: table_offset[i] + (config_i << 1 | [s_i = +1]) for every spin, the
    /// index of its rate factor in `boltz_flat` (and, halved, of its coupling sum in
    /// `csum_flat`). A flip toggles one bit of the flipped spin's key and one bit of
    /// each key it enters.
    key: Vec<u32>,
    /// Field path: h_i, kept incrementally.
    field: Vec<f64>,
    /// e^{−β s x_i} at [2i + [s = +1]].
    field_boltz: Vec<f64>,
    rates: BlockedRates,
    last_flip: Vec<f64>,
    m_integral: Vec<f64>,
    /// The spins a window phase starts from (kept to avoid an allocation per run).
    start: Vec<i8>,
}

impl SpinFlipEngine {
    /// An engine with no scratch yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The spins at the end of the last run.
    pub fn spins(&self) -> &[i8] {
        &self.spins
    }

    /// Runs the network under the fields x from `initial` spins until `stop`, writing the
    /// window averages into `out` (its buffers are reused). No allocation once the
    /// buffers have grown.
    ///
    /// # Errors
    /// [`GillespieError::InvalidModel`] for a wrong initial or field length or a spin not
    /// ±1; [`GillespieError::InvalidParameter`] for a non-finite field;
    /// [`GillespieError::BadRate`] if a rate overflows; [`GillespieError::Absorbing`];
    /// the stop-rule errors of [`crate::DirectMethod::run`].
    pub fn run<R: Rng + ?Sized>(
        &mut self,
        model: &KineticIsing,
        fields: &[f64],
        initial: &[i8],
        stop: StopRule,
        rng: &mut R,
        out: &mut SpinStats,
    ) -> Result<RunSummary, GillespieError> {
        let n = model.n;
        check_initial(n, initial)?;
        check_fields(n, fields)?;
        let clock = Clock::new(stop)?;
        self.spins.clear();
        self.spins.extend_from_slice(initial);
        field_factors(model.beta, fields, &mut self.field_boltz);
        self.last_flip.clear();
        self.last_flip.resize(n, stop.transient);
        self.m_integral.clear();
        self.m_integral.resize(n, 0.0);
        self.rates.reset(n);
        if model.is_tabulated() {
            self.key.clear();
            self.key.extend((0..n).map(|i| model.table_key(initial, i)));
            self.run_impl::<true, R>(model, fields, clock, rng, out)
        } else {
            self.field.clear();
            self.field.extend((0..n).map(|i| model.local_field(initial, fields, i)));
            self.run_impl::<false, R>(model, fields, clock, rng, out)
        }
    }

    /// Runs the network in two phases (see [`TwoPhase`]): from `initial` spins through
    /// the transient, then, from the spins it ended in and with the clock restarted, the
    /// measured window, whose averages go into `out`. Returns the window's summary. The
    /// same random numbers, in the same order, as two [`SpinFlipEngine::run`] calls with
    /// the rules [`TwoPhase::transient_rule`] and [`TwoPhase::window_rule`].
    ///
    /// # Errors
    /// A bad plan ([`GillespieError::InvalidStop`]); as [`SpinFlipEngine::run`] for
    /// either phase.
    pub fn run_two_phase<R: Rng + ?Sized>(
        &mut self,
        model: &KineticIsing,
        fields: &[f64],
        initial: &[i8],
        plan: &TwoPhase,
        rng: &mut R,
        out: &mut SpinStats,
    ) -> Result<RunSummary, GillespieError> {
        plan.validate()?;
        let first = self.run(model, fields, initial, plan.transient_rule(), rng, out)?;
        // The window starts from the transient's last spins: the engine's own buffer is
        // read by `run` before it is overwritten, through a copy kept in `start`.
        let mut start = std::mem::take(&mut self.start);
        start.clear();
        start.extend_from_slice(&self.spins);
        let window = self.run(model, fields, &start, plan.window_rule(&first), rng, out);
        self.start = start;
        window
    }

    #[inline(always)]
    fn rate_of<const TAB: bool>(&self, model: &KineticIsing, i: usize) -> f64 {
        if TAB {
            let key = self.key[i];
            self.field_boltz[2 * i + (key & 1) as usize] * model.boltz_flat[key as usize]
        } else {
            (-model.beta * f64::from(self.spins[i]) * self.field[i]).exp()
        }
    }

    #[inline(always)]
    fn local_field<const TAB: bool>(&self, model: &KineticIsing, fields: &[f64], i: usize) -> f64 {
        if TAB { fields[i] + model.csum_flat[(self.key[i] >> 1) as usize] } else { self.field[i] }
    }

    fn run_impl<const TAB: bool, R: Rng + ?Sized>(
        &mut self,
        model: &KineticIsing,
        fields: &[f64],
        mut clock: Clock,
        rng: &mut R,
        out: &mut SpinStats,
    ) -> Result<RunSummary, GillespieError> {
        let n = model.n;
        for i in 0..n {
            let r = self.rate_of::<TAB>(model, i);
            if !(r.is_finite()) {
                return Err(GillespieError::BadRate { channel: i, rate: r, time: 0.0 });
            }
            self.rates.set(i, r);
        }
        self.rates.refresh();
        let transient = clock.transient();
        let mut entropy = 0.0;
        let reason = loop {
            if clock.out_of_jumps() {
                break StopReason::Jumps;
            }
            let total = self.rates.total();
            // 0 < total < ∞, NaN excluded (two float compares; see `lanes.rs`).
            if !(total > 0.0 && total < f64::INFINITY) {
                return Err(GillespieError::Absorbing { time: clock.t, jumps: clock.jumps });
            }
            let (_, step) = clock.advance(total, rng);
            let Step::JumpAt(t) = step else {
                break StopReason::Time;
            };
            let k = self.rates.find(uniform01(rng) * total);
            let s = f64::from(self.spins[k]);
            if t > transient {
                entropy += -2.0 * model.beta * s * self.local_field::<TAB>(model, fields, k);
                let since = self.last_flip[k].max(transient);
                self.m_integral[k] += s * (t - since);
                self.last_flip[k] = t;
            }
            self.spins[k] = -self.spins[k];
            if TAB {
                self.key[k] ^= 1;
            }
            let r = self.rate_of::<TAB>(model, k);
            let mut all_finite = r.is_finite();
            let mut d_total = self.rates.change_leaf(k, r);
            for link in &model.out[model.out_ptr[k]..model.out_ptr[k + 1]] {
                let i = link.spin as usize;
                if TAB {
                    self.key[i] ^= link.key_mask;
                } else {
                    self.field[i] -= 2.0 * link.weight * s;
                }
                let r = self.rate_of::<TAB>(model, i);
                all_finite &= r.is_finite();
                d_total += self.rates.change_leaf(i, r);
            }
            self.rates.add_to_total(d_total);
            if !all_finite {
                let channel = (0..n).find(|&i| !self.rates.leaf(i).is_finite()).unwrap_or(k);
                let rate = self.rates.leaf(channel);
                return Err(GillespieError::BadRate { channel, rate, time: t });
            }
        };
        let summary = clock.finish(reason)?;
        out.fill(&self.spins, &self.last_flip, &self.m_integral, transient, entropy, &summary);
        Ok(summary)
    }
}
