//! The lockstep core of [`crate::SpinBatchEngine`]: four trajectories of one tabulated
//! kinetic Ising network, with every per-spin quantity stored lane by lane
//! (`[spin][lane]`), so that the four lanes' block sums sit side by side in one 256-bit
//! register row and the block search of all four lanes is one vertical
//! compare-and-subtract per block (no gather: each block's four sums are contiguous).
//! The leaf search reads four different blocks, so it stays a scalar chain per lane, but
//! the four chains are interleaved step by step in the code, not left to the
//! processor's reorder window.
//!
//! Every lane does exactly the arithmetic of `SpinFlipEngine::run`, in the same order,
//! and draws the same random numbers from its own generator, so a lane is bit-identical
//! to a single run with that lane's stream (tests check it).

use rand::Rng;

use crate::GillespieError;
use crate::batch::BatchLane;
use crate::engine::{BLOCK, Clock, REFRESH_AFTER, Step, uniform01};
use crate::observe::{RunSummary, StopReason};
use crate::spins::{KineticIsing, SpinStats, check_fields, check_initial, field_factor};

/// Lanes advanced together: four f64 fill one AVX2 register.
pub(crate) const LANES: usize = 4;

/// What a lane's run ended with, once it has stopped.
pub(crate) type LaneResult = Option<Result<RunSummary, GillespieError>>;

/// What a rate update reads and writes of one spin, for every lane: its rate, its table
/// key and its field factor, side by side (one bounds check per spin and update).
#[derive(Debug, Clone, Copy)]
struct Hot {
    /// w_i (zero in the padding of the last block).
    rate: [f64; LANES],
    /// Table key, as in `SpinFlipEngine`: offset + (config_i << 1 | [s_i = +1]).
    key: [u32; LANES],
    /// e^{−β s_i x_i} at the present s_i (it changes only when spin i flips), so
    /// w_i = field_factor · table[key], the very product `SpinFlipEngine` forms.
    field_factor: [f64; LANES],
}

/// What only a flip of the spin itself touches, for every lane.
#[derive(Debug, Clone, Copy)]
struct Cold {
    /// The spin's out-links in `KineticIsing::out` (the same in every lane).
    out: (u32, u32),
    spin: [i8; LANES],
    /// e^{−β s x_i}: [0] for s = −1, [1] for s = +1.
    field_boltz: [[f64; LANES]; 2],
    field: [f64; LANES],
    last_flip: [f64; LANES],
    m_integral: [f64; LANES],
}

const HOT_ZERO: Hot = Hot { rate: [0.0; LANES], key: [0; LANES], field_factor: [1.0; LANES] };

/// [`BLOCK`] spins and the sums of their rates, for every lane: one bounds check reaches
/// both a spin and its block sum.
#[derive(Debug, Clone)]
struct Block {
    /// Block sums, updated by differences and refreshed exactly (as `BlockedRates`).
    sum: [f64; LANES],
    rows: [Hot; BLOCK],
}

const BLOCK_ZERO: Block = Block { sum: [0.0; LANES], rows: [HOT_ZERO; BLOCK] };
const COLD_ZERO: Cold = Cold {
    out: (0, 0),
    spin: [1; LANES],
    field_boltz: [[1.0; LANES]; 2],
    field: [0.0; LANES],
    last_flip: [0.0; LANES],
    m_integral: [0.0; LANES],
};

/// The state of up to [`LANES`] trajectories, every per-spin quantity indexed
/// `[spin][lane]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct LaneGroup {
    n: usize,
    /// The spins in blocks, the last one padded with zero rates.
    blocks: Vec<Block>,
    cold: Vec<Cold>,
    total: [f64; LANES],
    /// Difference updates of each lane's total since its last refresh, and the largest
    /// |difference| among them.
    pending: [u32; LANES],
    peak: [f64; LANES],
    /// Difference updates between exact refreshes (as `BlockedRates`: 256, or n if more).
    refresh_after: u32,
    entropy: [f64; LANES],
    clock: [Clock; LANES],
    /// Lanes still running.
    live: [bool; LANES],
    /// One lane's spins, last flips and magnetisation integrals, gathered when it stops.
    gather_spins: Vec<i8>,
    gather_last: Vec<f64>,
    gather_m: Vec<f64>,
}

impl LaneGroup {
    /// Runs `lanes` (at most [`LANES`]) until each stops, writing lane l's window
    /// averages into `out[l]`, its result into `results[l]` and its last spins into
    /// `spins[l]`. The network must be tabulated.
    pub(crate) fn run<R: Rng + ?Sized>(
        &mut self,
        model: &KineticIsing,
        lanes: &mut [BatchLane<'_, R>],
        out: &mut [SpinStats],
        results: &mut [LaneResult],
        spins: &mut [Vec<i8>],
    ) {
        debug_assert!(lanes.len() <= LANES && model.is_tabulated());
        self.reset(model);
        for (l, lane) in lanes.iter().enumerate() {
            match self.start_lane(model, l, lane) {
                Ok(()) => self.live[l] = true,
                Err(e) => {
                    results[l] = Some(Err(e));
                    self.copy_spins(l, &mut spins[l]);
                }
            }
        }
        let mut t = [0.0; LANES];
        // A stopped lane searches with target −1, which ends at leaf 0 at once.
        let mut target = [-1.0; LANES];
        while self.live.iter().any(|&x| x) {
            // Phase 1: each live lane's waiting time and sampling target, or its stop.
            for l in 0..LANES {
                if !self.live[l] {
                    continue;
                }
                let total = self.total[l];
                let clock = &mut self.clock[l];
                let stop = if clock.out_of_jumps() {
                    Some(Ok(StopReason::Jumps))
                } else if !(total > 0.0 && total < f64::INFINITY) {
                    // (0 < total < ∞ is `total > 0 && total.is_finite()`, NaN failing both,
                    // in two float compares: LLVM turned `is_finite` here into ~25 integer
                    // instructions.)
                    Some(Err(GillespieError::Absorbing { time: clock.t, jumps: clock.jumps }))
                } else {
                    let rng = &mut *lanes[l].rng;
                    match clock.advance(total, rng).1 {
                        Step::JumpAt(time) => {
                            t[l] = time;
                            target[l] = uniform01(rng) * total;
                            None
                        }
                        Step::TimeUp => Some(Ok(StopReason::Time)),
                    }
                };
                if let Some(reason) = stop {
                    results[l] = Some(reason.and_then(|r| self.finish(l, r, &mut out[l])));
                    self.copy_spins(l, &mut spins[l]);
                    self.live[l] = false;
                    target[l] = -1.0;
                }
            }
            // Phase 2: every lane's spin at once.
            let k = self.find(&target);
            // Phase 3: entropy, magnetisation, the flip and the rate updates.
            for l in 0..LANES {
                if self.live[l]
                    && let Err(e) = self.flip(model, l, k[l], t[l])
                {
                    results[l] = Some(Err(e));
                    self.copy_spins(l, &mut spins[l]);
                    self.live[l] = false;
                    target[l] = -1.0;
                }
            }
        }
    }

    /// Sizes every array for `n` spins, all lanes stopped.
    fn reset(&mut self, model: &KineticIsing) {
        let n = model.n;
        let nb = n.div_ceil(BLOCK).max(1);
        self.n = n;
        self.refresh_after = REFRESH_AFTER.max(n as u32);
        self.blocks.clear();
        self.blocks.resize(nb, BLOCK_ZERO);
        self.cold.clear();
        self.cold.extend((0..n).map(|k| Cold {
            out: (model.out_ptr[k] as u32, model.out_ptr[k + 1] as u32),
            ..COLD_ZERO
        }));
        self.total = [0.0; LANES];
        self.pending = [0; LANES];
        self.peak = [0.0; LANES];
        self.entropy = [0.0; LANES];
        self.live = [false; LANES];
    }

    /// Validates lane `l` and sets up its state, as `SpinFlipEngine::run` does.
    fn start_lane<R: ?Sized>(
        &mut self,
        model: &KineticIsing,
        l: usize,
        lane: &BatchLane<'_, R>,
    ) -> Result<(), GillespieError> {
        let n = model.n;
        check_initial(n, lane.initial)?;
        check_fields(n, lane.fields)?;
        self.clock[l] = Clock::new(lane.stop)?;
        let beta = model.beta;
        for i in 0..n {
            let x = lane.fields[i];
            let (hot, cold) = (&mut self.blocks[i / BLOCK].rows[i % BLOCK], &mut self.cold[i]);
            cold.spin[l] = lane.initial[i];
            cold.field[l] = x;
            cold.last_flip[l] = lane.stop.transient;
            cold.m_integral[l] = 0.0;
            [cold.field_boltz[0][l], cold.field_boltz[1][l]] = field_factor(beta, x);
            hot.key[l] = model.table_key(lane.initial, i);
            hot.field_factor[l] = cold.field_boltz[(hot.key[l] & 1) as usize][l];
        }
        for i in 0..n {
            let hot = &mut self.blocks[i / BLOCK].rows[i % BLOCK];
            let r = rate_of(hot, model, l);
            if !r.is_finite() {
                return Err(GillespieError::BadRate { channel: i, rate: r, time: 0.0 });
            }
            hot.rate[l] = r;
        }
        self.refresh(l);
        Ok(())
    }

    /// The leaf of every lane where the cumulative sum first exceeds its target, bit for
    /// bit the leaf `BlockedRates::find` picks for that lane (the same subtractions in the
    /// same order), without data-dependent branches in the scans, and with the block
    /// step of all lanes as one vector operation.
    #[inline(always)]
    fn find(&self, target: &[f64; LANES]) -> [usize; LANES] {
        let nb = self.blocks.len();
        let mut t = *target;
        let mut sel = *target;
        let mut b = [0usize; LANES];
        let mut alive = [true; LANES];
        for block in &self.blocks[..nb - 1] {
            for l in 0..LANES {
                alive[l] &= t[l] >= block.sum[l];
                t[l] -= block.sum[l];
                b[l] += usize::from(alive[l]);
                // A select through integer masks: written as `if`, it compiles to a branch.
                let keep = 0u64.wrapping_sub(u64::from(alive[l]));
                sel[l] = f64::from_bits((t[l].to_bits() & keep) | (sel[l].to_bits() & !keep));
            }
        }
        // Leaves are ≥ 0, so t ≥ leaf ⇔ t − leaf ≥ 0 (rounding is monotone and an exact
        // difference never rounds to 0), and once t − leaf < 0 every later difference is
        // < 0 too: `find`'s leading comparisons that hold are simply the differences
        // ≥ 0, counted here; the four lanes' chains advance together.
        let rows: [&[Hot; BLOCK]; LANES] = std::array::from_fn(|l| &self.blocks[b[l]].rows);
        let mut count = [0usize; LANES];
        for j in 0..BLOCK - 1 {
            for l in 0..LANES {
                sel[l] -= rows[l][j].rate[l];
                count[l] += usize::from(sel[l] >= 0.0);
            }
        }
        std::array::from_fn(|l| {
            let mut k = b[l] * BLOCK + count[l];
            // Round-off that lands on a zero rate steps back to the last live leaf (the
            // padding's rates are zero, so this also steps back from k ≥ n). The common
            // case reads the row already at hand (count ≤ 15).
            if rows[l][count[l] % BLOCK].rate[l] == 0.0 {
                while k > 0 && self.rate(k, l) == 0.0 {
                    k -= 1;
                }
            }
            k
        })
    }

    /// Jump of lane `l` at time `t` through spin `k`: as one step of
    /// `SpinFlipEngine::run_impl`.
    #[inline(always)]
    fn flip(
        &mut self,
        model: &KineticIsing,
        l: usize,
        k: usize,
        t: f64,
    ) -> Result<(), GillespieError> {
        let transient = self.clock[l].transient();
        let cold = &mut self.cold[k];
        let s = f64::from(cold.spin[l]);
        let hot = &mut self.blocks[k / BLOCK].rows[k % BLOCK];
        if t > transient {
            let field = cold.field[l] + model.csum_flat[(hot.key[l] >> 1) as usize];
            self.entropy[l] += -2.0 * model.beta * s * field;
            let since = cold.last_flip[l].max(transient);
            cold.m_integral[l] += s * (t - since);
            cold.last_flip[l] = t;
        }
        cold.spin[l] = -cold.spin[l];
        hot.field_factor[l] = cold.field_boltz[usize::from(cold.spin[l] > 0)][l];
        let (start, end) = cold.out;
        let mut d_total = self.update(model, k, l, 1);
        for link in &model.out[start as usize..end as usize] {
            d_total += self.update(model, link.spin as usize, l, link.key_mask);
        }
        self.add_to_total(l, d_total);
        // A rate that overflowed (or is NaN) makes the total non-finite, so one test of
        // the total replaces a test per updated rate. A total that overflowed with
        // every rate finite is not an error here (as in `SpinFlipEngine`): the next
        // jump reports it.
        if self.total[l].is_finite() {
            return Ok(());
        }
        match (0..self.n).find(|&i| !self.rate(i, l).is_finite()) {
            Some(channel) => {
                Err(GillespieError::BadRate { channel, rate: self.rate(channel, l), time: t })
            }
            None => Ok(()),
        }
    }

    /// Lane `l`'s rate of spin `i`.
    #[inline(always)]
    fn rate(&self, i: usize, l: usize) -> f64 {
        self.blocks[i / BLOCK].rows[i % BLOCK].rate[l]
    }

    /// Toggles `key_mask` in spin `i`'s key in lane `l`, sets its rate from the tables
    /// and its block sum by the difference (as `BlockedRates::change_leaf`), and returns
    /// the difference.
    #[inline(always)]
    fn update(&mut self, model: &KineticIsing, i: usize, l: usize, key_mask: u32) -> f64 {
        let block = &mut self.blocks[i / BLOCK];
        let hot = &mut block.rows[i % BLOCK];
        hot.key[l] ^= key_mask;
        let v = rate_of(hot, model, l);
        let d = v - hot.rate[l];
        hot.rate[l] = v;
        block.sum[l] += d;
        d
    }

    /// As `BlockedRates::add_to_total`, for lane `l`.
    #[inline(always)]
    fn add_to_total(&mut self, l: usize, d: f64) {
        self.total[l] += d;
        self.pending[l] += 1;
        self.peak[l] = self.peak[l].max(d.abs());
        if self.pending[l] >= self.refresh_after || self.total[l] < 1e-9 * self.peak[l] {
            self.refresh(l);
        }
    }

    /// As `BlockedRates::refresh` (the same pairwise order), for lane `l`.
    fn refresh(&mut self, l: usize) {
        for block in &mut self.blocks {
            let r = |j: usize| block.rows[j].rate[l];
            let lane = |j: usize| (r(j) + r(j + 4)) + (r(j + 8) + r(j + 12));
            block.sum[l] = (lane(0) + lane(1)) + (lane(2) + lane(3));
        }
        self.total[l] = self.blocks.iter().map(|b| b.sum[l]).sum();
        self.pending[l] = 0;
        self.peak[l] = 0.0;
    }

    /// The window averages of stopped lane `l`, as `SpinFlipEngine::run` reports them.
    fn finish(
        &mut self,
        l: usize,
        reason: StopReason,
        out: &mut SpinStats,
    ) -> Result<RunSummary, GillespieError> {
        let summary = self.clock[l].finish(reason)?;
        self.gather_spins.clear();
        self.gather_spins.extend(self.cold.iter().map(|c| c.spin[l]));
        self.gather_last.clear();
        self.gather_last.extend(self.cold.iter().map(|c| c.last_flip[l]));
        self.gather_m.clear();
        self.gather_m.extend(self.cold.iter().map(|c| c.m_integral[l]));
        let transient = self.clock[l].transient();
        out.fill(
            &self.gather_spins,
            &self.gather_last,
            &self.gather_m,
            transient,
            self.entropy[l],
            &summary,
        );
        Ok(summary)
    }

    /// Lane `l`'s spins into `out`.
    fn copy_spins(&self, l: usize, out: &mut Vec<i8>) {
        out.clear();
        out.extend(self.cold.iter().map(|c| c.spin[l]));
    }
}

/// Lane `l`'s rate of a spin: its field factor times its table entry (as
/// `SpinFlipEngine`'s `rate_of`).
#[inline(always)]
fn rate_of(hot: &Hot, model: &KineticIsing, l: usize) -> f64 {
    let key = hot.key[l];
    hot.field_factor[l] * model.boltz_flat[key as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::BlockedRates;
    use rand::Rng;

    /// The lanes' vector search must pick, in every lane, the very leaf the scalar scan
    /// of `BlockedRates::find` picks for that lane's rates and target, including zero
    /// leaves, empty blocks and targets on or past the cumulative sums.
    #[test]
    fn lane_search_picks_the_same_leaf_as_the_scan_in_every_lane() {
        let mut rng = streams::stream_rng(11, 0);
        for n in [1usize, 5, 16, 17, 40, 80, 200] {
            let mut group = LaneGroup::default();
            group.reset(&KineticIsing::new(1.0, n, &[]).expect("n free spins"));
            let mut scalar: Vec<BlockedRates> = Vec::new();
            let mut targets: Vec<Vec<f64>> = Vec::new();
            for l in 0..LANES {
                let mut rates = BlockedRates::default();
                rates.reset(n);
                for i in 0..n {
                    let u = uniform01(&mut rng);
                    // A quarter of the leaves are 0, a few blocks entirely (not the same
                    // blocks in every lane).
                    let empty = (i / BLOCK + l) % 3 == 2;
                    let v = if u < 0.25 || empty { 0.0 } else { (8.0 * u - 4.0).exp() };
                    rates.set(i, v);
                    group.blocks[i / BLOCK].rows[i % BLOCK].rate[l] = v;
                }
                rates.set(n - 1, 1.0);
                group.blocks[(n - 1) / BLOCK].rows[(n - 1) % BLOCK].rate[l] = 1.0;
                rates.refresh();
                group.refresh(l);
                assert_eq!(rates.total(), group.total[l], "n = {n}, lane {l}");
                let total = rates.total();
                let mut cumulative = vec![0.0];
                for i in 0..n {
                    let last = cumulative[cumulative.len() - 1];
                    cumulative.push(last + rates.leaf(i));
                }
                let mut t: Vec<f64> = (0..2000).map(|_| uniform01(&mut rng) * total).collect();
                t.extend_from_slice(&cumulative);
                t.extend([0.0, total, total * (1.0 + 1e-15), f64::NAN, 1e300]);
                // Every lane has as many targets (2000 + n + 6), in a lane-dependent order.
                t.rotate_left(l * 37);
                scalar.push(rates);
                targets.push(t);
            }
            for j in 0..targets[0].len() {
                let target: [f64; LANES] = std::array::from_fn(|l| targets[l][j]);
                let found = group.find(&target);
                for l in 0..LANES {
                    assert_eq!(
                        found[l],
                        scalar[l].find(target[l]),
                        "n = {n}, lane {l}, {target:?}"
                    );
                }
            }
            let _ = rng.next_u64();
        }
    }
}
