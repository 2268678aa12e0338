//! Several trajectories of one kinetic Ising network in lockstep.
//!
//! [`SpinFlipEngine`] is latency-bound: each jump waits on the sampling scan of the jump
//! before it (a chain of dependent subtractions and two unpredictable branches), so the
//! processor idles most of the time. Independent trajectories have no such chain between
//! them. [`SpinBatchEngine`] advances a set of lanes (one trajectory each, same
//! couplings, each with its own fields x, start, stop rule and random generator) one jump
//! at a time, phase by phase across the lanes, and samples with
//! [`BlockedRates::find_branchless`], so the lanes' work overlaps in the processor.
//!
//! Every lane does exactly the arithmetic of [`SpinFlipEngine::run`], in the same order,
//! and draws the same random numbers from its own generator: a lane's result is
//! bit-identical to a single run of [`SpinFlipEngine`] on that lane's fields with that
//! generator. Only the throughput differs.

use rand::Rng;

use crate::GillespieError;
use crate::engine::{BlockedRates, Clock, Step, uniform01};
use crate::observe::{RunSummary, StopReason, StopRule, TwoPhase};
use crate::spins::{
    KineticIsing, SpinFlipEngine, SpinStats, check_fields, check_initial, field_factors,
};

/// One trajectory of a batch: the input and the stop rule of this lane, and its random
/// generator (advanced in place, exactly as [`SpinFlipEngine::run`] would advance it).
#[derive(Debug)]
pub struct BatchLane<'a, R: ?Sized> {
    /// The fields x of this lane (one per spin).
    pub fields: &'a [f64],
    /// The initial spins (±1).
    pub initial: &'a [i8],
    /// When this lane stops, and its transient.
    pub stop: StopRule,
    /// This lane's random generator.
    pub rng: &'a mut R,
}

/// The state of one lane.
#[derive(Debug, Clone, Default)]
struct LaneState {
    spins: Vec<i8>,
    /// As in [`SpinFlipEngine`]: table offset + (config_i << 1 | [s_i = +1]).
    key: Vec<u32>,
    fields: Vec<f64>,
    /// e^{−β s x_i} at [2i + [s = +1]].
    field_boltz: Vec<f64>,
    rates: BlockedRates,
    last_flip: Vec<f64>,
    m_integral: Vec<f64>,
    entropy: f64,
    clock: Clock,
    /// Set when this lane must stop, with why.
    stop: Option<Result<StopReason, GillespieError>>,
    /// The time of the jump being made, the sampling target drawn for it and the spin
    /// it picked.
    t: f64,
    target: f64,
    k: usize,
}

/// Runs several trajectories of one tabulated kinetic Ising network in lockstep (see the
/// module docs). Holds all scratch; reuse one per thread.
///
/// ```
/// use gillespie::{BatchLane, KineticIsing, SpinBatchEngine, SpinFlipEngine, SpinStats, StopRule, stream_rng};
///
/// // A ring of 6 spins with asymmetric nearest-neighbour couplings.
/// let couplings: Vec<_> = (0..6).flat_map(|i| [(i, (i + 1) % 6, 0.4), (i, (i + 5) % 6, -0.2)]).collect();
/// let net = KineticIsing::new(1.0, 6, &couplings)?;
/// let inputs = [[0.3; 6], [-0.1; 6]];
/// let init = [1i8; 6];
/// let stop = StopRule::jumps(1000).with_transient(1.0);
/// let (mut rng0, mut rng1) = (stream_rng(7, 0), stream_rng(7, 1));
/// let mut lanes = [
///     BatchLane { fields: &inputs[0], initial: &init, stop, rng: &mut rng0 },
///     BatchLane { fields: &inputs[1], initial: &init, stop, rng: &mut rng1 },
/// ];
/// let mut out = vec![SpinStats::default(); 2];
/// let runs = SpinBatchEngine::new().run(&net, &mut lanes, &mut out);
///
/// // Lane 1 is exactly what the one-trajectory engine gives with the same stream.
/// let mut alone = SpinStats::default();
/// let run = SpinFlipEngine::new().run(&net, &inputs[1], &init, stop, &mut stream_rng(7, 1), &mut alone)?;
/// assert_eq!(runs[1].as_ref().unwrap(), &run);
/// assert_eq!(out[1], alone);
/// # Ok::<(), gillespie::GillespieError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct SpinBatchEngine {
    lanes: Vec<LaneState>,
    /// Lanes still running.
    active: Vec<usize>,
    /// Fallback for networks without rate tables.
    single: SpinFlipEngine,
}

impl SpinBatchEngine {
    /// An engine with no scratch yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The spins of lane `lane` at the end of the last run.
    pub fn spins(&self, lane: usize) -> &[i8] {
        &self.lanes[lane].spins
    }

    /// Runs every lane until its stop rule, writing lane l's window averages into
    /// `out[l]`, and returns each lane's summary or error (a lane's error stops only that
    /// lane). Two to eight lanes are a good batch; more add nothing once the processor is
    /// busy. Once the buffers have grown, the returned vector is the only allocation
    /// (networks with tables).
    ///
    /// A network without rate tables (a spin with more than [`crate::MAX_TABLE_DEGREE`]
    /// in-couplings) runs its lanes one after another with [`SpinFlipEngine`].
    ///
    /// # Panics
    /// If `out` is shorter than `lanes`.
    pub fn run<R: Rng + ?Sized>(
        &mut self,
        model: &KineticIsing,
        lanes: &mut [BatchLane<'_, R>],
        out: &mut [SpinStats],
    ) -> Vec<Result<RunSummary, GillespieError>> {
        assert!(out.len() >= lanes.len(), "one SpinStats per lane");
        // Every lane either fails to start or runs until it stops, and both fill its slot.
        let mut results: Vec<Option<Result<RunSummary, GillespieError>>> =
            (0..lanes.len()).map(|_| None).collect();
        if self.lanes.len() < lanes.len() {
            self.lanes.resize_with(lanes.len(), LaneState::default);
        }
        if !model.is_tabulated() {
            for (l, lane) in lanes.iter_mut().enumerate() {
                let r = self.single.run(
                    model,
                    lane.fields,
                    lane.initial,
                    lane.stop,
                    lane.rng,
                    &mut out[l],
                );
                results[l] = Some(r);
                let spins = self.single.spins().to_vec();
                self.lanes[l].spins = spins;
            }
            return results.into_iter().flatten().collect();
        }
        self.active.clear();
        for (l, lane) in lanes.iter().enumerate() {
            match self.start_lane(model, l, lane) {
                Ok(()) => self.active.push(l),
                Err(e) => results[l] = Some(Err(e)),
            }
        }
        let beta = model.beta;
        let n = model.n;
        while !self.active.is_empty() {
            // Phase 1: the waiting time and the sampling target of each lane; lanes that
            // must stop are only flagged here and handled after the loop.
            let mut any_stop = false;
            for &l in &self.active {
                let st = &mut self.lanes[l];
                let total = st.rates.total();
                st.stop = if st.clock.out_of_jumps() {
                    Some(Ok(StopReason::Jumps))
                } else if !(total > 0.0 && total.is_finite()) {
                    let (time, jumps) = (st.clock.t, st.clock.jumps);
                    Some(Err(GillespieError::Absorbing { time, jumps }))
                } else {
                    let rng = &mut *lanes[l].rng;
                    match st.clock.advance(total, rng).1 {
                        Step::JumpAt(t) => {
                            st.t = t;
                            st.target = uniform01(rng) * total;
                            None
                        }
                        Step::TimeUp => Some(Ok(StopReason::Time)),
                    }
                };
                any_stop |= st.stop.is_some();
            }
            if any_stop {
                let mut a = 0;
                while a < self.active.len() {
                    let l = self.active[a];
                    let st = &mut self.lanes[l];
                    match st.stop.take() {
                        None => a += 1,
                        Some(reason) => {
                            results[l] = Some(reason.and_then(|r| finish(st, r, &mut out[l])));
                            self.active.swap_remove(a);
                        }
                    }
                }
            }
            // Phase 2: which spin flips, in every lane.
            for &l in &self.active {
                let st = &mut self.lanes[l];
                st.k = st.rates.find_branchless(st.target);
            }
            // Phase 3: entropy, magnetisation, the flip and the rate updates.
            let mut a = 0;
            while a < self.active.len() {
                let l = self.active[a];
                let st = &mut self.lanes[l];
                let transient = st.clock.transient();
                let k = st.k;
                let t = st.t;
                let s = f64::from(st.spins[k]);
                if t > transient {
                    let field = st.fields[k] + model.csum_flat[(st.key[k] >> 1) as usize];
                    st.entropy += -2.0 * beta * s * field;
                    let since = st.last_flip[k].max(transient);
                    st.m_integral[k] += s * (t - since);
                    st.last_flip[k] = t;
                }
                st.spins[k] = -st.spins[k];
                st.key[k] ^= 1;
                let r = st.rate_of(model, k);
                let mut all_finite = r.is_finite();
                let mut d_total = st.rates.change_leaf(k, r);
                for link in &model.out[model.out_ptr[k]..model.out_ptr[k + 1]] {
                    let i = link.spin as usize;
                    st.key[i] ^= link.key_mask;
                    let r = st.rate_of(model, i);
                    all_finite &= r.is_finite();
                    d_total += st.rates.change_leaf(i, r);
                }
                st.rates.add_to_total(d_total);
                if all_finite {
                    a += 1;
                } else {
                    let channel = (0..n).find(|&i| !st.rates.leaf(i).is_finite()).unwrap_or(k);
                    let rate = st.rates.leaf(channel);
                    results[l] = Some(Err(GillespieError::BadRate { channel, rate, time: t }));
                    self.active.swap_remove(a);
                }
            }
        }
        results.into_iter().map(|r| r.expect("every lane has stopped")).collect()
    }

    /// Runs every lane in two phases (see [`TwoPhase`]), all lanes' transients in lockstep
    /// and then all their windows, and returns each lane's window summary or its error
    /// (from either phase). Lane l is bit-identical to
    /// [`SpinFlipEngine::run_two_phase`] with its fields, start and generator. The lanes'
    /// `stop` rules are replaced by the plan's.
    ///
    /// # Panics
    /// If `out` is shorter than `lanes`.
    pub fn run_two_phase<R: Rng + ?Sized>(
        &mut self,
        model: &KineticIsing,
        plan: &TwoPhase,
        lanes: &mut [BatchLane<'_, R>],
        out: &mut [SpinStats],
    ) -> Vec<Result<RunSummary, GillespieError>> {
        if let Err(e) = plan.validate() {
            return lanes.iter().map(|_| Err(e.clone())).collect();
        }
        for lane in lanes.iter_mut() {
            lane.stop = plan.transient_rule();
        }
        let transients = self.run(model, lanes, out);
        // The lanes whose transient finished run their windows from where it ended; the
        // others keep the transient's error.
        let starts: Vec<Vec<i8>> = (0..lanes.len()).map(|l| self.spins(l).to_vec()).collect();
        let mut window_lanes: Vec<BatchLane<'_, R>> = Vec::with_capacity(lanes.len());
        let mut which = Vec::with_capacity(lanes.len());
        for (l, (lane, first)) in lanes.iter_mut().zip(&transients).enumerate() {
            if let Ok(first) = first {
                window_lanes.push(BatchLane {
                    fields: lane.fields,
                    initial: &starts[l],
                    stop: plan.window_rule(first),
                    rng: &mut *lane.rng,
                });
                which.push(l);
            }
        }
        let mut window_out: Vec<SpinStats> =
            which.iter().map(|&l| std::mem::take(&mut out[l])).collect();
        let windows = self.run(model, &mut window_lanes, &mut window_out);
        let mut results = transients;
        for ((l, r), stats) in which.into_iter().zip(windows).zip(window_out) {
            results[l] = r;
            out[l] = stats;
        }
        results
    }

    /// Validates lane `l` and sets up its state, as [`SpinFlipEngine::run`] does.
    fn start_lane<R: ?Sized>(
        &mut self,
        model: &KineticIsing,
        l: usize,
        lane: &BatchLane<'_, R>,
    ) -> Result<(), GillespieError> {
        let n = model.n;
        check_initial(n, lane.initial)?;
        check_fields(n, lane.fields)?;
        let clock = Clock::new(lane.stop)?;
        let st = &mut self.lanes[l];
        st.clock = clock;
        st.stop = None;
        st.spins.clear();
        st.spins.extend_from_slice(lane.initial);
        st.fields.clear();
        st.fields.extend_from_slice(lane.fields);
        field_factors(model.beta, lane.fields, &mut st.field_boltz);
        st.last_flip.clear();
        st.last_flip.resize(n, lane.stop.transient);
        st.m_integral.clear();
        st.m_integral.resize(n, 0.0);
        st.entropy = 0.0;
        st.rates.reset(n);
        st.key.clear();
        st.key.extend((0..n).map(|i| model.table_key(lane.initial, i)));
        for i in 0..n {
            let r = st.rate_of(model, i);
            if !r.is_finite() {
                return Err(GillespieError::BadRate { channel: i, rate: r, time: 0.0 });
            }
            st.rates.set(i, r);
        }
        st.rates.refresh();
        Ok(())
    }
}

impl LaneState {
    #[inline(always)]
    fn rate_of(&self, model: &KineticIsing, i: usize) -> f64 {
        let key = self.key[i];
        self.field_boltz[2 * i + (key & 1) as usize] * model.boltz_flat[key as usize]
    }
}

/// The window averages of a finished lane, as [`SpinFlipEngine::run`] reports them.
fn finish(
    st: &LaneState,
    reason: StopReason,
    out: &mut SpinStats,
) -> Result<RunSummary, GillespieError> {
    let summary = st.clock.finish(reason)?;
    let transient = st.clock.transient();
    out.fill(&st.spins, &st.last_flip, &st.m_integral, transient, st.entropy, &summary);
    Ok(summary)
}
