//! The generic engines: the direct method and the sum-tree method.

use rand::Rng;
use rand_distr::{Distribution, Exp1};

use crate::GillespieError;
use crate::model::{DependencyGraph, Reversible};
use crate::observe::{Observer, RunSummary, StopReason, StopRule};

/// A uniform number in [0, 1) with 53 random bits.
#[inline]
pub(crate) fn uniform01<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// ln[a / a_rev] with the conventions of [`Observer::jump`]: +∞ if the reverse rate is 0.
#[inline]
fn log_ratio(a: f64, a_rev: Option<f64>) -> f64 {
    match a_rev {
        Some(b) if b > 0.0 => (a / b).ln(),
        _ => f64::INFINITY,
    }
}

/// The time-keeping shared by the engines: holding times, the window, the stop rule.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clock {
    pub t: f64,
    pub jumps: u64,
    pub window_jumps: u64,
    /// The stop rule with its limits as plain numbers (∞ and u64::MAX when unset), so the
    /// per-jump checks are single comparisons.
    t_max: f64,
    n_max: u64,
    transient: f64,
}

pub(crate) enum Step {
    /// Jump at this time.
    JumpAt(f64),
    /// `t_max` was reached: the run is over.
    TimeUp,
}

impl Clock {
    pub fn new(stop: StopRule) -> Result<Self, GillespieError> {
        stop.validate()?;
        Ok(Self {
            t: 0.0,
            jumps: 0,
            window_jumps: 0,
            t_max: stop.t_max.unwrap_or(f64::INFINITY),
            n_max: stop.n_max.unwrap_or(u64::MAX),
            transient: stop.transient,
        })
    }

    /// Start of the averaging window.
    #[inline]
    pub fn transient(&self) -> f64 {
        self.transient
    }

    /// Whether the jump budget is spent.
    #[inline]
    pub fn out_of_jumps(&self) -> bool {
        self.jumps >= self.n_max
    }

    /// Draws the waiting time for total rate `total` and returns the time spent in the
    /// window (to be credited to the current state) and what comes next.
    #[inline]
    pub fn advance<R: Rng + ?Sized>(&mut self, total: f64, rng: &mut R) -> (f64, Step) {
        let dt: f64 = Exp1.sample(rng);
        let next = self.t + dt / total;
        if next >= self.t_max {
            let held = (self.t_max - self.t.max(self.transient)).max(0.0);
            self.t = self.t_max;
            return (held, Step::TimeUp);
        }
        let held = (next - self.t.max(self.transient)).max(0.0);
        self.t = next;
        self.jumps += 1;
        self.window_jumps += u64::from(next > self.transient);
        (held, Step::JumpAt(next))
    }

    /// Whether the jump just made lies in the window.
    #[inline]
    pub fn in_window(&self) -> bool {
        self.t > self.transient
    }

    pub fn finish(&self, reason: StopReason) -> Result<RunSummary, GillespieError> {
        let window = self.t - self.transient;
        if !(window > 0.0) {
            return Err(GillespieError::NothingToAverage {
                transient: self.transient,
                end: self.t,
                jumps: self.jumps,
            });
        }
        Ok(RunSummary {
            end_time: self.t,
            jumps: self.jumps,
            window_jumps: self.window_jumps,
            window,
            reason,
        })
    }
}

/// A total rate that is not positive: absorbing (0) or a bad rate somewhere (NaN).
fn bad_total(rates: &[f64], time: f64, jumps: u64) -> GillespieError {
    match rates.iter().position(|r| !(r.is_finite() && *r >= 0.0)) {
        Some(channel) => GillespieError::BadRate { channel, rate: rates[channel], time },
        None => GillespieError::Absorbing { time, jumps },
    }
}

#[inline]
fn check_rate(channel: usize, rate: f64, time: f64) -> Result<f64, GillespieError> {
    if rate.is_finite() && rate >= 0.0 {
        Ok(rate)
    } else {
        Err(GillespieError::BadRate { channel, rate, time })
    }
}

/// Gillespie's direct method: every step evaluates every channel's rate, draws the waiting
/// time from Exp(Σ a) and picks a channel with probability a_c / Σ a by linear search.
/// O(channels) per jump; works for any model.
#[derive(Debug, Clone, Default)]
pub struct DirectMethod {
    rates: Vec<f64>,
}

impl DirectMethod {
    /// An engine with no scratch yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `model` from `state` (updated in place) until `stop`, reporting to `observer`.
    ///
    /// Models with up to 16 channels run with their rates in a fixed-size stack array
    /// (2, 4, 8 or 16 entries; unused entries stay 0 and are never chosen), which lets the
    /// compiler unroll the loops and keep the rates in registers.
    ///
    /// # Errors
    /// The model's [`crate::JumpModel::check_state`] error for a state it cannot start from;
    /// [`GillespieError::BadRate`] naming a NaN, infinite or negative rate;
    /// [`GillespieError::Absorbing`]; [`GillespieError::InvalidStop`];
    /// [`GillespieError::NothingToAverage`] if the transient covers the whole run.
    pub fn run<M, R, O>(
        &mut self,
        model: &M,
        state: &mut M::State,
        stop: StopRule,
        rng: &mut R,
        observer: &mut O,
    ) -> Result<RunSummary, GillespieError>
    where
        M: Reversible,
        R: Rng + ?Sized,
        O: Observer<M::State>,
    {
        model.check_state(state)?;
        let nc = model.n_channels();
        match nc {
            0..=2 => direct_loop(model, state, stop, rng, observer, &mut [0.0; 2]),
            3..=4 => direct_loop(model, state, stop, rng, observer, &mut [0.0; 4]),
            5..=8 => direct_loop(model, state, stop, rng, observer, &mut [0.0; 8]),
            9..=16 => direct_loop(model, state, stop, rng, observer, &mut [0.0; 16]),
            _ => {
                self.rates.resize(nc, 0.0);
                direct_loop(model, state, stop, rng, observer, self.rates.as_mut_slice())
            }
        }
    }
}

/// The direct method's loop over a rate buffer of at least `model.n_channels()` entries.
#[inline(always)]
fn direct_loop<M, R, O, B>(
    model: &M,
    state: &mut M::State,
    stop: StopRule,
    rng: &mut R,
    observer: &mut O,
    rates: &mut B,
) -> Result<RunSummary, GillespieError>
where
    M: Reversible,
    R: Rng + ?Sized,
    O: Observer<M::State>,
    B: AsMut<[f64]> + ?Sized,
{
    let rates = rates.as_mut();
    let nc = model.n_channels();
    let mut clock = Clock::new(stop)?;
    loop {
        if clock.out_of_jumps() {
            return clock.finish(StopReason::Jumps);
        }
        let mut total = 0.0;
        let mut all_valid = true;
        for (c, r) in rates.iter_mut().enumerate() {
            *r = if c < nc { model.rate(state, c) } else { 0.0 };
            all_valid &= *r >= 0.0;
            total += *r;
        }
        if !(all_valid && total > 0.0 && total < f64::INFINITY) {
            return Err(bad_total(&rates[..nc], clock.t, clock.jumps));
        }
        let (held, step) = clock.advance(total, rng);
        if held > 0.0 {
            observer.hold(state, held);
        }
        let Step::JumpAt(t) = step else {
            return clock.finish(StopReason::Time);
        };
        let target = uniform01(rng) * total;
        let mut c = 0;
        let mut acc = rates[0];
        while target >= acc && c + 1 < rates.len() {
            c += 1;
            acc += rates[c];
        }
        // Round-off can leave target ≥ the summed total: take the last live channel.
        while c > 0 && rates[c] == 0.0 {
            c -= 1;
        }
        model.fire(state, c);
        if clock.in_window() {
            let entropy = if O::NEEDS_ENTROPY {
                let rev = model.reverse(c).map(|rc| model.rate(state, rc));
                log_ratio(rates[c], rev)
            } else {
                f64::NAN
            };
            observer.jump(t, c, state, entropy);
        }
    }
}

/// Rates grouped in blocks of [`BLOCK`] leaves: a two-level sum tree of fan-out 16.
/// Updating a leaf recomputes its block's sum exactly from the leaves (no drift however
/// many updates are made); sampling scans the block sums, then one block. For the tens to
/// thousands of channels of the models here this beats a binary tree, whose log₂ n
/// dependent steps cost more than a short linear scan that stays in cache.
#[derive(Debug, Clone, Default)]
pub(crate) struct BlockedRates {
    n: usize,
    leaves: Vec<f64>,
    blocks: Vec<f64>,
    total: f64,
    /// Difference updates of the total since the last exact refresh.
    pending: u32,
    /// The largest |difference| added since the last refresh: the scale of the drift.
    peak: f64,
}

/// Leaves per block.
pub(crate) const BLOCK: usize = 16;

/// The block sums and total are updated by differences, drifting by ~ε per update; they
/// are recomputed exactly from the leaves after this many updates (or one per leaf, if
/// more, so the refresh stays O(1) amortised), keeping the drift at ~1e-14 relative.
pub(crate) const REFRESH_AFTER: u32 = 256;

impl BlockedRates {
    /// n leaves, all zero.
    pub fn reset(&mut self, n: usize) {
        let nb = n.div_ceil(BLOCK).max(1);
        self.n = n;
        self.leaves.clear();
        self.leaves.resize(nb * BLOCK, 0.0);
        self.blocks.clear();
        self.blocks.resize(nb, 0.0);
        self.total = 0.0;
        self.pending = 0;
        self.peak = 0.0;
    }

    /// Sets a leaf without refreshing the sums (call [`BlockedRates::refresh`] after).
    #[inline]
    pub fn set(&mut self, i: usize, v: f64) {
        self.leaves[i] = v;
    }

    #[inline]
    pub fn leaf(&self, i: usize) -> f64 {
        self.leaves[i]
    }

    /// Sets a leaf and updates its block sum and the total by the difference (O(1),
    /// with an exact refresh now and then, see [`REFRESH_AFTER`]).
    #[inline(always)]
    pub fn change(&mut self, i: usize, v: f64) {
        let d = self.change_leaf(i, v);
        self.add_to_total(d);
    }

    /// As [`BlockedRates::change`] but leaves the total to the caller: returns the
    /// difference, to be summed over a batch of changes and added once with
    /// [`BlockedRates::add_to_total`] (one memory round trip instead of one per leaf).
    #[inline(always)]
    pub fn change_leaf(&mut self, i: usize, v: f64) -> f64 {
        let d = v - self.leaves[i];
        self.leaves[i] = v;
        self.blocks[i / BLOCK] += d;
        d
    }

    /// Adds a batch of leaf differences to the total, and recomputes all sums exactly
    /// once enough difference updates have accumulated.
    #[inline(always)]
    pub fn add_to_total(&mut self, d: f64) {
        self.total += d;
        self.pending += 1;
        self.peak = self.peak.max(d.abs());
        // The drift is ~ε per update of the largest difference seen, not of the total:
        // when a huge rate (e^{βh} = 1e81) gives way to tiny ones, the total is left
        // with that residue (it read 0, "absorbing", with every rate ~1e-81). Refresh as
        // soon as the total falls below 1e-9 of that scale, which keeps its relative
        // error below ~1e-5 in the worst case and never happens at ordinary rates.
        if self.pending >= REFRESH_AFTER.max(self.n as u32) || self.total < 1e-9 * self.peak {
            self.refresh();
        }
    }

    /// Recomputes every block sum (in a fixed pairwise order: four lanes, then their
    /// pairs, so the same bits every time) and the total, exactly from the leaves.
    pub fn refresh(&mut self) {
        for (sum, l) in self.blocks.iter_mut().zip(self.leaves.chunks_exact(BLOCK)) {
            let lane = |j: usize| (l[j] + l[j + 4]) + (l[j + 8] + l[j + 12]);
            *sum = (lane(0) + lane(1)) + (lane(2) + lane(3));
        }
        self.total = self.blocks.iter().sum();
        self.pending = 0;
        self.peak = 0.0;
    }

    #[inline]
    pub fn total(&self) -> f64 {
        self.total
    }

    /// The leaf where the cumulative sum, in index order, first exceeds `target` ∈
    /// [0, total). Round-off that steps past the last live leaf falls back to it.
    #[inline]
    pub fn find(&self, mut target: f64) -> usize {
        let nb = self.blocks.len();
        let mut b = 0;
        while b + 1 < nb && target >= self.blocks[b] {
            target -= self.blocks[b];
            b += 1;
        }
        let base = b * BLOCK;
        let mut k = base;
        while k + 1 < base + BLOCK && target >= self.leaves[k] {
            target -= self.leaves[k];
            k += 1;
        }
        while k > 0 && (k >= self.n || self.leaves[k] == 0.0) {
            k -= 1;
        }
        k
    }
}

/// The direct method with rates kept in a two-level sum tree (fan-out 16) and refreshed
/// only for the channels a firing affects ([`DependencyGraph`]): O(affected) rate
/// evaluations and O(1) sum updates per jump instead of O(channels); the sums are
/// recomputed exactly from time to time to bound rounding drift. It picks the same channel as
/// [`DirectMethod`] for the same random numbers (cumulative sums in index order), so the
/// statistics are the same.
#[derive(Debug, Clone, Default)]
pub struct SumTreeMethod {
    tree: BlockedRates,
}

impl SumTreeMethod {
    /// An engine with no scratch yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// As [`DirectMethod::run`].
    ///
    /// # Errors
    /// As [`DirectMethod::run`].
    pub fn run<M, R, O>(
        &mut self,
        model: &M,
        state: &mut M::State,
        stop: StopRule,
        rng: &mut R,
        observer: &mut O,
    ) -> Result<RunSummary, GillespieError>
    where
        M: Reversible + DependencyGraph,
        R: Rng + ?Sized,
        O: Observer<M::State>,
    {
        model.check_state(state)?;
        let mut clock = Clock::new(stop)?;
        let nc = model.n_channels();
        self.tree.reset(nc);
        for c in 0..nc {
            self.tree.set(c, check_rate(c, model.rate(state, c), 0.0)?);
        }
        self.tree.refresh();
        loop {
            if clock.out_of_jumps() {
                return clock.finish(StopReason::Jumps);
            }
            let total = self.tree.total();
            // 0 < total < ∞, NaN excluded (two float compares; see `lanes.rs`).
            if !(total > 0.0 && total < f64::INFINITY) {
                return Err(GillespieError::Absorbing { time: clock.t, jumps: clock.jumps });
            }
            let (held, step) = clock.advance(total, rng);
            if held > 0.0 {
                observer.hold(state, held);
            }
            let Step::JumpAt(t) = step else {
                return clock.finish(StopReason::Time);
            };
            let c = self.tree.find(uniform01(rng) * total);
            let a_c = self.tree.leaf(c);
            model.fire(state, c);
            for &d in model.affected(c) {
                self.tree.change(d, check_rate(d, model.rate(state, d), t)?);
            }
            if clock.in_window() {
                let entropy = if O::NEEDS_ENTROPY {
                    log_ratio(a_c, model.reverse(c).map(|rc| self.tree.leaf(rc)))
                } else {
                    f64::NAN
                };
                observer.jump(t, c, state, entropy);
            }
        }
    }
}
