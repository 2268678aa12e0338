//! Training the two-chain layer on a data set (bottleneck paper, Sec. III B, Appendix 2):
//! features m_x from the steady state of every input, a readout fitted exactly at fixed
//! couplings, and SPSA on L(θ) = G(θ) − αΣ(θ) with G = −MSE (random task) or −CE
//! (MNIST-1D) and Σ the entropy production rate averaged over the inputs.
//!
//! Every evaluation draws input μ's trajectory from the stream `stream_rng(noise_seed, μ)`,
//! so the ± evaluations of an SPSA step share their random numbers (common random
//! numbers) and the same seed gives the same numbers on any thread count. The two
//! evaluations of a step run at once ([`Layer::evaluate_pair`]): each one's simulation is
//! split over the threads anyway, and with two of them in flight a thread that would wait
//! for the other's last chunk, or for a readout fit (one thread each), simulates instead.

use gillespie::{SpinBatchEngine, SpinStats};
use learn::{Pair, SoftmaxReadout, Spsa, SpsaStep, ridge_least_squares};
use rayon::prelude::*;

use super::chains::{ChainLayout, ChainSystem, RunLength, asymmetry};
use crate::ModelError;

/// The magnetisations and EP rates of one chunk of inputs.
type ChunkFeatures = (Vec<f64>, Vec<f64>);

/// Inputs simulated by one worker in a row (one engine per chunk).
const INPUT_CHUNK: usize = 64;

/// Inputs simulated in lockstep by one [`SpinBatchEngine`] (it divides [`INPUT_CHUNK`]).
const LANES: usize = 4;

/// Inputs and targets.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskData {
    /// Inputs, `m × n` row-major (n = spins per chain).
    pub x: Vec<f64>,
    /// Targets.
    pub targets: Targets,
}

/// What the readout predicts.
#[derive(Debug, Clone, PartialEq)]
pub enum Targets {
    /// Real targets (±1 labels of the random task), MSE readout by least squares.
    Regression(Vec<f64>),
    /// Class labels 0..classes, softmax / cross-entropy readout.
    Classes {
        /// The labels.
        labels: Vec<usize>,
        /// Number of classes.
        classes: usize,
    },
}

impl TaskData {
    fn len(&self) -> usize {
        match &self.targets {
            Targets::Regression(y) => y.len(),
            Targets::Classes { labels, .. } => labels.len(),
        }
    }
}

/// The outcome of one evaluation of the layer on the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The readout loss: MSE, or mean cross-entropy in nats.
    pub loss: f64,
    /// Accuracy (sign agreement for regression targets ±1; argmax for classes).
    pub accuracy: f64,
    /// Σ, the EP rate averaged over the inputs (nats per unit time).
    pub sigma: f64,
    /// Normalised asymmetry A of W.
    pub asymmetry: f64,
}

/// The steady-state features of a data set.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// m_x of every input, `M × d` row-major.
    pub x: Vec<f64>,
    /// Features per input d = 2N.
    pub d: usize,
    /// Σ, the EP rate averaged over the inputs (nats per unit time).
    pub sigma: f64,
}

/// How the couplings are trained.
#[derive(Debug, Clone, PartialEq)]
pub struct Optimizer {
    /// SPSA settings.
    pub spsa: Spsa,
    /// Calibrate the step gain a first (replacing `spsa.a`).
    pub calibration: Option<Calibration>,
}

/// Spall's calibration of the SPSA step gain before training.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibration {
    /// The change of each θ_i wanted in the first steps.
    pub target_step: f64,
    /// Gradient estimates averaged (two evaluations each).
    pub samples: usize,
}

/// What training trades against dissipation: maximise L = G − αΣ at a finite α, or the
/// α → ∞ limit enforced directly.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TradeOff {
    /// L = G − αΣ with this α ≥ 0 (units of time: Σ is in nats per unit time).
    Alpha(f64),
    /// Detailed balance enforced by W = Wᵀ (θ is symmetrised before use), so Σ = 0: the
    /// α → ∞ end of the front.
    Equilibrium,
}

impl TradeOff {
    /// The settings of a front: every α of the grid, then the enforced equilibrium.
    pub fn front(alphas: &[f64]) -> Vec<TradeOff> {
        alphas.iter().map(|&a| TradeOff::Alpha(a)).chain([TradeOff::Equilibrium]).collect()
    }

    /// α, or `None` for the enforced equilibrium.
    pub fn alpha(self) -> Option<f64> {
        match self {
            TradeOff::Alpha(a) => Some(a),
            TradeOff::Equilibrium => None,
        }
    }

    /// Whether W = Wᵀ is enforced.
    pub fn is_equilibrium(self) -> bool {
        self == TradeOff::Equilibrium
    }

    /// The objective L = gain − α·sigma (just the gain at the enforced equilibrium,
    /// where the constraint and not a penalty keeps Σ at zero).
    pub fn score(self, gain: f64, sigma: f64) -> f64 {
        match self {
            TradeOff::Alpha(a) => gain - a * sigma,
            TradeOff::Equilibrium => gain,
        }
    }

    /// A key for random streams: α's bits, and a value no finite α has for the
    /// equilibrium (so adding a setting never re-draws the others).
    pub fn stream_key(self) -> u64 {
        match self {
            TradeOff::Alpha(a) => a.to_bits(),
            TradeOff::Equilibrium => u64::MAX,
        }
    }

    /// Rejects a negative or non-finite α.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] naming α.
    pub fn validate(self) -> Result<Self, ModelError> {
        match self {
            TradeOff::Alpha(a) if !(a >= 0.0 && a.is_finite()) => {
                Err(ModelError::InvalidParameter {
                    name: "α",
                    value: a,
                    requirement: "must be finite and ≥ 0",
                })
            }
            _ => Ok(self),
        }
    }
}

/// The layer and how it is simulated and read out.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Coupling structure.
    pub layout: ChainLayout,
    /// Inverse temperature β.
    pub beta: f64,
    /// Per-input run length.
    pub run: RunLength,
    /// Ridge penalty of the least-squares readout.
    pub ridge: f64,
    /// L2 penalty λ of the softmax readout (see `learn::SoftmaxReadout`).
    pub softmax_lambda: f64,
    /// What training maximises; [`TradeOff::Equilibrium`] also forces W = Wᵀ in every
    /// evaluation.
    pub trade_off: TradeOff,
}

impl Layer {
    /// θ as the layer uses it: symmetrised at the enforced equilibrium.
    fn effective(&self, theta: &[f64]) -> Vec<f64> {
        if self.trade_off.is_equilibrium() {
            self.layout.symmetrized(theta)
        } else {
            theta.to_vec()
        }
    }

    /// The steady-state features of every input under θ: m_x (2N per input, row-major)
    /// and Σ, the EP rate averaged over the inputs (nats per unit time), with input μ's
    /// trajectory drawn from `stream_rng(noise_seed, μ)`.
    ///
    /// # Errors
    /// Bad parameters or data, simulation failures.
    pub fn features(
        &self,
        theta: &[f64],
        data: &TaskData,
        noise_seed: u64,
    ) -> Result<Features, ModelError> {
        let theta = self.effective(theta);
        let n = self.layout.n;
        let m = data.len();
        if m == 0 || data.x.len() != m * n {
            return Err(ModelError::InvalidParameter {
                name: "data size",
                value: data.x.len() as f64,
                requirement: "need M ≥ 1 inputs of length N",
            });
        }
        let system = ChainSystem::new(self.layout.clone(), self.beta, &theta)?;
        let d = 2 * n;
        // Inputs in fixed chunks, each with its own engine and copy of the network; input
        // μ always draws from stream μ, and Σ is summed in input order afterwards, so the
        // numbers do not depend on the thread count.
        let chunks: Vec<Result<ChunkFeatures, ModelError>> = (0..m.div_ceil(INPUT_CHUNK))
            .into_par_iter()
            .map(|c| {
                let mut engine = SpinBatchEngine::new();
                let mut stats = vec![SpinStats::default(); LANES];
                let inputs = c * INPUT_CHUNK..((c + 1) * INPUT_CHUNK).min(m);
                let mut features = Vec::with_capacity(inputs.len() * d);
                let mut sigmas = Vec::with_capacity(inputs.len());
                for group in inputs.step_by(LANES).map(|mu| mu..(mu + LANES).min(m)) {
                    let x: Vec<&[f64]> =
                        group.clone().map(|mu| &data.x[mu * n..(mu + 1) * n]).collect();
                    let mut rngs: Vec<_> =
                        group.map(|mu| streams::stream_rng(noise_seed, mu as u64)).collect();
                    for r in
                        system.respond_many(&mut engine, &self.run, &x, &mut rngs, &mut stats)?
                    {
                        features.extend_from_slice(&r.magnetization);
                        sigmas.push(r.entropy_rate);
                    }
                }
                Ok((features, sigmas))
            })
            .collect();
        let mut features = Vec::with_capacity(m * d);
        let mut sigma = 0.0;
        for chunk in chunks {
            let (f, s) = chunk?;
            features.extend_from_slice(&f);
            for v in s {
                sigma += v / m as f64;
            }
        }
        Ok(Features { x: features, d, sigma })
    }

    /// Evaluates θ on the data with the noise streams of `noise_seed`: the features, then
    /// the readout fitted exactly at fixed θ.
    ///
    /// # Errors
    /// Bad parameters or data, simulation or readout failures.
    pub fn evaluate(
        &self,
        theta: &[f64],
        data: &TaskData,
        noise_seed: u64,
    ) -> Result<Evaluation, ModelError> {
        let Features { x: features, d, sigma } = self.features(theta, data, noise_seed)?;
        let m = data.len();
        let theta = self.effective(theta);
        let (loss, accuracy) = match &data.targets {
            Targets::Regression(y) => {
                let fit =
                    ridge_least_squares(&features, y, d, self.ridge).map_err(ModelError::Learn)?;
                let correct = (0..m)
                    .filter(|&i| {
                        fit.predict(&features[i * d..(i + 1) * d]).signum() == y[i].signum()
                    })
                    .count();
                (fit.mse, correct as f64 / m as f64)
            }
            Targets::Classes { labels, classes } => {
                let fit = self
                    .softmax_readout(*classes)
                    .fit(&features, labels, d, None)
                    .map_err(ModelError::Learn)?;
                (fit.cross_entropy, fit.accuracy)
            }
        };
        let w = self.layout.dense(&theta)?;
        Ok(Evaluation { loss, accuracy, sigma, asymmetry: asymmetry(&w, d) })
    }

    /// The softmax readout [`Layer::evaluate`] fits for `classes` classes (penalty
    /// `softmax_lambda`, the default tolerance and iteration limit).
    pub fn softmax_readout(&self, classes: usize) -> SoftmaxReadout {
        SoftmaxReadout { lambda: self.softmax_lambda, ..SoftmaxReadout::new(classes) }
    }

    /// [`Layer::evaluate`] of θ₊ with `seed_plus` and of θ₋ with `seed_minus` at once
    /// (`rayon::join`): the same two evaluations, bit for bit, in less time on several
    /// threads (see the module docs).
    ///
    /// # Errors
    /// As [`Layer::evaluate`]; θ₊'s error when both fail.
    pub fn evaluate_pair(
        &self,
        plus: &[f64],
        seed_plus: u64,
        minus: &[f64],
        seed_minus: u64,
        data: &TaskData,
    ) -> Result<(Evaluation, Evaluation), ModelError> {
        let (a, b) = rayon::join(
            || self.evaluate(plus, data, seed_plus),
            || self.evaluate(minus, data, seed_minus),
        );
        Ok((a?, b?))
    }

    /// Trains θ by SPSA on L = −loss − αΣ (the layer's [`TradeOff`]) from θ₀ (`observer`
    /// sees every step), then evaluates the averaged iterate with a fresh noise seed.
    /// Returns the trained θ and its evaluation. With a [`Calibration`], the step gain a
    /// of the SPSA settings is first set by Spall's rule from the gradient magnitude at θ₀
    /// (see `learn::Spsa::calibrated`).
    ///
    /// # Errors
    /// A negative or non-finite α; as [`Layer::evaluate`] (the first evaluation that
    /// fails stops training and is returned as it is), and SPSA errors.
    pub fn train<R: rand::Rng + ?Sized>(
        &self,
        data: &TaskData,
        optimizer: &Optimizer,
        theta0: &[f64],
        rng: &mut R,
        observer: impl FnMut(&SpsaStep<'_>),
    ) -> Result<(Vec<f64>, Evaluation), ModelError> {
        let trade_off = self.trade_off.validate()?;
        // Both evaluations of a step at once (Layer::evaluate_pair).
        let mut objective = |p: Pair<'_>| -> Result<(f64, f64), ModelError> {
            let (a, b) = self.evaluate_pair(p.plus, p.seed_plus, p.minus, p.seed_minus, data)?;
            Ok((trade_off.score(-a.loss, a.sigma), trade_off.score(-b.loss, b.sigma)))
        };
        let calibrated;
        let spsa = match optimizer.calibration {
            Some(c) => {
                calibrated = optimizer.spsa.calibrated_paired(
                    theta0,
                    &mut objective,
                    rng,
                    c.target_step,
                    c.samples,
                )?;
                &calibrated
            }
            None => &optimizer.spsa,
        };
        let result = spsa.maximize_paired(theta0, &mut objective, rng, observer)?;
        let theta = self.effective(&result.averaged);
        let final_seed = rng.next_u64();
        let eval = self.evaluate(&theta, data, final_seed)?;
        Ok((theta, eval))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bottleneck::Couplings;

    fn random_task(m: usize, n: usize, seed: u64) -> TaskData {
        use rand::RngExt;
        use rand_distr::{Distribution, StandardNormal};
        let mut rng = streams::stream_rng(seed, 0);
        let x = (0..m * n).map(|_| StandardNormal.sample(&mut rng)).collect();
        let y = (0..m).map(|_| if rng.random::<bool>() { 1.0 } else { -1.0 }).collect();
        TaskData { x, targets: Targets::Regression(y) }
    }

    fn layer(equilibrium: bool) -> Layer {
        let trade_off = if equilibrium { TradeOff::Equilibrium } else { TradeOff::Alpha(0.0) };
        Layer {
            layout: ChainLayout { n: 6, k: 2, couplings: Couplings::Rungs, periodic: false },
            beta: 1.0,
            run: RunLength {
                t_max: 200.0,
                n_max: 2000,
                transient_time: 20.0,
                transient_jumps: 400,
            },
            ridge: 1e-6,
            softmax_lambda: 1e-4,
            trade_off,
        }
    }

    #[test]
    fn evaluation_is_reproducible_and_equilibrium_has_no_dissipation() {
        let data = random_task(20, 6, 1);
        let theta = [0.5, -0.3, 0.8, 0.1, 0.4, -0.6];
        let a = layer(false).evaluate(&theta, &data, 7).unwrap();
        let b = layer(false).evaluate(&theta, &data, 7).unwrap();
        assert_eq!(a, b);
        assert!(a.sigma > 0.0 && a.asymmetry > 0.0);
        let eq = layer(true).evaluate(&theta, &data, 7).unwrap();
        // Symmetric W: every jump's entropy terms cancel around cycles only on average;
        // with W = Wᵀ the process obeys detailed balance, so Σ is zero up to the
        // fluctuation of a finite window (here a few 1e-2 at most).
        assert!(eq.asymmetry < 1e-30);
        assert!(eq.sigma.abs() < 0.1 * a.sigma.max(0.1), "{} vs {}", eq.sigma, a.sigma);
    }

    #[test]
    fn batched_features_equal_one_input_at_a_time() {
        // 70 inputs: two chunks, the second ending in a partial batch of lanes. Each
        // input's response must be exactly what `respond` gives alone with its stream.
        let data = random_task(70, 6, 5);
        let theta = [0.5, -0.3, 0.8, 0.1, 0.4, -0.6];
        let l = layer(false);
        let f = l.features(&theta, &data, 13).unwrap();
        let system = ChainSystem::new(l.layout.clone(), l.beta, &theta).unwrap();
        let mut engine = gillespie::SpinFlipEngine::new();
        let mut stats = SpinStats::default();
        let mut sigma = 0.0;
        for mu in 0..70 {
            let x = &data.x[mu * 6..(mu + 1) * 6];
            let mut rng = streams::stream_rng(13, mu as u64);
            let r = system.respond(&mut engine, &l.run, x, &mut rng, &mut stats).unwrap();
            assert_eq!(&f.x[mu * 12..(mu + 1) * 12], &r.magnetization[..], "input {mu}");
            sigma += r.entropy_rate / 70.0;
        }
        assert_eq!(f.sigma, sigma);
    }

    #[test]
    fn evaluation_is_the_same_on_any_number_of_threads() {
        // 150 inputs: three chunks of inputs, simulated by whichever thread is free.
        let data = random_task(150, 6, 4);
        let theta = [0.5, -0.3, 0.8, 0.1, 0.4, -0.6];
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| layer(false).evaluate(&theta, &data, 11).unwrap())
        };
        assert_eq!(run(1), run(2));
        assert_eq!(run(2), run(3));
    }

    #[test]
    fn the_pair_of_evaluations_is_the_two_evaluations_on_any_number_of_threads() {
        let data = random_task(150, 6, 4);
        let (plus, minus) = ([0.6, -0.2, 0.9, 0.2, 0.5, -0.5], [0.4, -0.4, 0.7, 0.0, 0.3, -0.7]);
        let l = layer(false);
        let alone = (l.evaluate(&plus, &data, 11).unwrap(), l.evaluate(&minus, &data, 12).unwrap());
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let pair = pool.install(|| l.evaluate_pair(&plus, 11, &minus, 12, &data)).unwrap();
            assert_eq!(pair, alone, "{threads} threads");
        }
        // A failing side is reported; θ₊'s error when both fail.
        let short = [0.1; 5];
        assert!(l.evaluate_pair(&plus, 11, &short, 12, &data).is_err());
        let nan = [f64::NAN; 6];
        let e = l.evaluate_pair(&short, 11, &nan, 12, &data).unwrap_err();
        assert!(
            matches!(e, ModelError::InvalidParameter { name: "number of coupling parameters", .. }),
            "{e:?}"
        );
    }

    #[test]
    fn spsa_training_lowers_the_loss() {
        // SPSA with Spall's gain calibration from W = 0; the loss before and after is
        // compared on the same four noise seeds (common random numbers).
        let data = random_task(30, 6, 2);
        let l = Layer {
            run: RunLength {
                t_max: 2000.0,
                n_max: 10_000,
                transient_time: 20.0,
                transient_jumps: 1000,
            },
            ..layer(false)
        };
        let theta0 = [0.0; 6];
        let optimizer = Optimizer {
            spsa: Spsa::new(40, 0.1, 0.2),
            calibration: Some(Calibration { target_step: 0.1, samples: 4 }),
        };
        let mut rng = streams::stream_rng(3, 0);
        let (theta, _) = l.train(&data, &optimizer, &theta0, &mut rng, |_| {}).unwrap();
        let losses = |t: &[f64]| -> Vec<f64> {
            (0..4).map(|s| l.evaluate(t, &data, 100 + s).unwrap().loss).collect()
        };
        let (before, after) = (losses(&theta0), losses(&theta));
        // Measured: 0.56–0.78 at θ = 0 across noise seeds, 0.43–0.50 after training; the
        // worst trained loss must beat the best untrained one.
        let worst_after = after.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let best_before = before.iter().copied().fold(f64::INFINITY, f64::min);
        assert!(worst_after < best_before, "MSE {before:?} → {after:?}");
    }

    #[test]
    fn a_failing_evaluation_stops_training_with_its_own_error() {
        // Regression: the evaluation error used to be smuggled past SPSA as a NaN.
        let mut data = random_task(8, 6, 1);
        data.x[3] = f64::NAN;
        let optimizer = Optimizer { spsa: Spsa::new(5, 0.1, 0.2), calibration: None };
        let mut rng = streams::stream_rng(3, 0);
        let r = layer(false).train(&data, &optimizer, &[0.1; 6], &mut rng, |_| {});
        assert!(r.is_err() && !matches!(r, Err(ModelError::Learn(_))), "{r:?}");
        let bad = Layer { trade_off: TradeOff::Alpha(f64::NAN), ..layer(false) };
        let r = bad.train(&random_task(8, 6, 1), &optimizer, &[0.1; 6], &mut rng, |_| {});
        assert!(matches!(r, Err(ModelError::InvalidParameter { name: "α", .. })), "{r:?}");
    }
}
