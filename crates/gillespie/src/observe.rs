//! What a run records: stop rules, observers and the run summary.
//!
//! The driver keeps the engines free of any trajectory buffer: an engine calls the
//! observer for every stretch of time spent in a state inside the averaging window, and
//! for every jump inside it; the observer keeps what it needs.

use crate::GillespieError;

/// When a run stops, and how much of its start is dropped from averages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StopRule {
    /// Stop at this time (the last holding time is cut there).
    pub t_max: Option<f64>,
    /// Stop after this many jumps (at the time of the last jump).
    pub n_max: Option<u64>,
    /// Time [0, transient) dropped from averages and entropy counts.
    pub transient: f64,
}

impl StopRule {
    /// Stop at time `t_max`.
    pub fn time(t_max: f64) -> Self {
        Self { t_max: Some(t_max), n_max: None, transient: 0.0 }
    }

    /// Stop after `n_max` jumps.
    pub fn jumps(n_max: u64) -> Self {
        Self { t_max: None, n_max: Some(n_max), transient: 0.0 }
    }

    /// Whichever of `t_max` and `n_max` comes first.
    pub fn time_or_jumps(t_max: f64, n_max: u64) -> Self {
        Self { t_max: Some(t_max), n_max: Some(n_max), transient: 0.0 }
    }

    /// Drops [0, transient) from averages.
    pub fn with_transient(self, transient: f64) -> Self {
        Self { transient, ..self }
    }

    /// Checks that the rule stops and is finite.
    ///
    /// # Errors
    /// [`GillespieError::InvalidStop`].
    pub fn validate(&self) -> Result<(), GillespieError> {
        if self.t_max.is_none() && self.n_max.is_none() {
            return Err(GillespieError::InvalidStop { reason: "neither t_max nor n_max is set" });
        }
        if let Some(t) = self.t_max {
            if !(t.is_finite() && t > 0.0) {
                return Err(GillespieError::InvalidStop { reason: "t_max must be finite and > 0" });
            }
        }
        if !(self.transient.is_finite() && self.transient >= 0.0) {
            return Err(GillespieError::InvalidStop {
                reason: "transient must be finite and ≥ 0"
            });
        }
        Ok(())
    }
}

/// A run in two phases, the usual way to measure a steady state from an arbitrary start:
///
/// 1. a transient, not measured, that ends at time `transient_time` or after
///    `transient_jumps` jumps, whichever comes first (the waiting time drawn past
///    `transient_time` is dropped: by memorylessness the window may draw afresh);
/// 2. the measured window, from the transient's last state with the clock restarted at
///    0, until the whole run has lasted `t_max` or made `n_max` jumps.
///
/// Giving the transient in jumps as well as in time keeps a fast network (many jumps per
/// unit time) from spending its whole budget in the transient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoPhase {
    /// The transient ends at this time (time units; finite, > 0)…
    pub transient_time: f64,
    /// … or after this many jumps (at least 1 is made), whichever comes first.
    pub transient_jumps: u64,
    /// The whole run ends at this time (finite, > 0)…
    pub t_max: f64,
    /// … or after this many jumps in all, whichever comes first.
    pub n_max: u64,
}

impl TwoPhase {
    /// Checks that both phases can run.
    ///
    /// # Errors
    /// [`GillespieError::InvalidStop`] for a transient time or t_max that is not finite
    /// and positive, or no jumps at all.
    pub fn validate(&self) -> Result<(), GillespieError> {
        if !(self.transient_time.is_finite() && self.transient_time > 0.0) {
            return Err(GillespieError::InvalidStop {
                reason: "transient_time must be finite and > 0",
            });
        }
        if !(self.t_max.is_finite() && self.t_max > 0.0) {
            return Err(GillespieError::InvalidStop { reason: "t_max must be finite and > 0" });
        }
        if self.n_max == 0 {
            return Err(GillespieError::InvalidStop { reason: "n_max must be at least 1" });
        }
        Ok(())
    }

    /// The stop rule of the transient phase.
    pub fn transient_rule(&self) -> StopRule {
        StopRule::time_or_jumps(self.transient_time, self.transient_jumps.max(1))
    }

    /// The stop rule of the window after a transient that ended as `transient` says: the
    /// time and jumps left of the budget (at least a sliver of time and one jump, so a
    /// transient that spent the budget still leaves a window to average over).
    pub fn window_rule(&self, transient: &RunSummary) -> StopRule {
        let remaining_t = (self.t_max - transient.end_time).max(f64::MIN_POSITIVE);
        let remaining_n = self.n_max.saturating_sub(transient.jumps).max(1);
        StopRule::time_or_jumps(remaining_t, remaining_n)
    }
}

/// Why a run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// `t_max` was reached.
    Time,
    /// `n_max` jumps were made.
    Jumps,
}

/// The outcome of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunSummary {
    /// Time at which the run stopped.
    pub end_time: f64,
    /// All jumps made.
    pub jumps: u64,
    /// Jumps inside the averaging window (after the transient).
    pub window_jumps: u64,
    /// Length of the averaging window, end_time − transient (> 0).
    pub window: f64,
    /// Why the run stopped.
    pub reason: StopReason,
}

/// Receives what happens inside the averaging window.
pub trait Observer<S> {
    /// Whether the engine must compute the entropy production of each jump (one extra rate
    /// evaluation per jump). Observers that do not need it leave it `false`.
    const NEEDS_ENTROPY: bool = false;

    /// The process spent time `dt` in `state` (inside the window).
    #[inline]
    fn hold(&mut self, state: &S, dt: f64) {
        let _ = (state, dt);
    }

    /// A jump through `channel` at `time` (inside the window), leading to `state_after`.
    /// `entropy` = ln[a_c(s)/a_rev(s')] in nats if [`Observer::NEEDS_ENTROPY`], else NaN.
    #[inline]
    fn jump(&mut self, time: f64, channel: usize, state_after: &S, entropy: f64) {
        let _ = (time, channel, state_after, entropy);
    }
}

impl<S> Observer<S> for () {}

macro_rules! tuple_observer {
    ($($name:ident $idx:tt),+) => {
        impl<S, $($name: Observer<S>),+> Observer<S> for ($($name,)+) {
            const NEEDS_ENTROPY: bool = false $(|| $name::NEEDS_ENTROPY)+;
            #[inline]
            fn hold(&mut self, state: &S, dt: f64) {
                $(self.$idx.hold(state, dt);)+
            }
            #[inline]
            fn jump(&mut self, time: f64, channel: usize, state_after: &S, entropy: f64) {
                $(self.$idx.jump(time, channel, state_after, entropy);)+
            }
        }
    };
}
tuple_observer!(A 0, B 1);
tuple_observer!(A 0, B 1, C 2);
tuple_observer!(A 0, B 1, C 2, D 3);

/// Time average ⟨f(s)⟩ = (1/T) ∫ f(s(t)) dt over the window.
#[derive(Debug, Clone)]
pub struct TimeAverage<F> {
    f: F,
    integral: f64,
    time: f64,
}

impl<F> TimeAverage<F> {
    /// Averages `f`.
    pub fn new(f: F) -> Self {
        Self { f, integral: 0.0, time: 0.0 }
    }

    /// ∫ f dt / ∫ dt (NaN before any time was observed).
    pub fn mean(&self) -> f64 {
        self.integral / self.time
    }

    /// ∫ f dt.
    pub fn integral(&self) -> f64 {
        self.integral
    }
}

impl<S, F: FnMut(&S) -> f64> Observer<S> for TimeAverage<F> {
    #[inline]
    fn hold(&mut self, state: &S, dt: f64) {
        self.integral += (self.f)(state) * dt;
        self.time += dt;
    }
}

/// The entropy production accumulated jump by jump, Σ ln[a_c(s)/a_rev(s')] (nats).
/// Divided by the window it estimates the entropy production rate, which at a steady
/// state equals the Schnakenberg rate.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EntropyMeter {
    /// Total entropy produced in the window, nats.
    pub total: f64,
    /// Jumps counted.
    pub jumps: u64,
}

impl<S> Observer<S> for EntropyMeter {
    const NEEDS_ENTROPY: bool = true;
    #[inline]
    fn jump(&mut self, _time: f64, _channel: usize, _state_after: &S, entropy: f64) {
        self.total += entropy;
        self.jumps += 1;
    }
}

/// Jumps per channel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JumpCounter {
    /// Count per channel (grown as needed).
    pub per_channel: Vec<u64>,
}

impl<S> Observer<S> for JumpCounter {
    #[inline]
    fn jump(&mut self, _time: f64, channel: usize, _state_after: &S, _entropy: f64) {
        if channel >= self.per_channel.len() {
            self.per_channel.resize(channel + 1, 0);
        }
        self.per_channel[channel] += 1;
    }
}

/// Records every jump in the window as (time, channel, state after).
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory<S> {
    /// The jumps.
    pub jumps: Vec<(f64, usize, S)>,
}

impl<S> Default for Trajectory<S> {
    fn default() -> Self {
        Self { jumps: Vec::new() }
    }
}

impl<S: Clone> Observer<S> for Trajectory<S> {
    fn jump(&mut self, time: f64, channel: usize, state_after: &S, _entropy: f64) {
        self.jumps.push((time, channel, state_after.clone()));
    }
}
