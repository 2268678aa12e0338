//! Several trajectories of one kinetic Ising network in lockstep.
//!
//! [`SpinFlipEngine`] is latency-bound: each jump waits on the sampling scan of the jump
//! before it (a chain of dependent subtractions and two unpredictable branches), so the
//! processor idles most of the time. Independent trajectories have no such chain between
//! them. [`SpinBatchEngine`] advances a set of lanes (one trajectory each, same
//! couplings, each with its own fields x, start, stop rule and random generator) in
//! groups of four, one jump at a time, phase by phase across the group: waiting times
//! and targets, then the four searches (the block step of all four lanes as one vector
//! operation, with every per-spin quantity stored `[spin][lane]`), then the flips and
//! rate updates. A batch of 4, 8, … lanes keeps every group full.
//!
//! Every lane does exactly the arithmetic of [`SpinFlipEngine::run`], in the same order,
//! and draws the same random numbers from its own generator: a lane's result is
//! bit-identical to a single run of [`SpinFlipEngine`] on that lane's fields with that
//! generator, whichever lanes share its group. Only the throughput differs.

use rand::Rng;

use crate::GillespieError;
use crate::lanes::{LANES, LaneGroup, LaneResult};
use crate::observe::{RunSummary, StopRule, TwoPhase};
use crate::spins::{KineticIsing, SpinFlipEngine, SpinStats};

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
    /// The lockstep core, reused for every group of [`LANES`] lanes.
    group: LaneGroup,
    /// Each lane's spins at the end of the last run.
    last_spins: Vec<Vec<i8>>,
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
        &self.last_spins[lane]
    }

    /// Runs every lane until its stop rule, writing lane l's window averages into
    /// `out[l]`, and returns each lane's summary or error (a lane's error stops only that
    /// lane). Lanes run in groups of four, one group after another, so a multiple of four
    /// lanes is the best batch (a last group of fewer lanes runs at about the cost of a
    /// full one). Once the buffers have grown, the returned vector is the only
    /// allocation (networks with tables).
    ///
    /// A network without rate tables (a spin with more than [`crate::MAX_TABLE_DEGREE`]
    /// in-couplings) runs its lanes one after another with [`SpinFlipEngine`], and so
    /// does a batch of one lane.
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
        let mut results: Vec<LaneResult> = (0..lanes.len()).map(|_| None).collect();
        if self.last_spins.len() < lanes.len() {
            self.last_spins.resize_with(lanes.len(), Vec::new);
        }
        // Without tables, or for a single lane (which a group would run with three idle
        // lanes beside it), the lanes run one after another in the single engine.
        if !model.is_tabulated() || lanes.len() == 1 {
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
                self.last_spins[l].clear();
                self.last_spins[l].extend_from_slice(self.single.spins());
            }
        } else {
            // Groups of LANES lanes, one after another: a lane's numbers do not depend on
            // which lanes share its group.
            for (g, group) in lanes.chunks_mut(LANES).enumerate() {
                let range = g * LANES..g * LANES + group.len();
                self.group.run(
                    model,
                    group,
                    &mut out[range.clone()],
                    &mut results[range.clone()],
                    &mut self.last_spins[range],
                );
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
}
