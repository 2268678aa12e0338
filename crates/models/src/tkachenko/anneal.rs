//! Langevin annealing of a network's parameters in the κ_hidden → ∞ fast path (the
//! hidden neurons sit at the forward pass, so the relaxed clamped energy of an entry is
//! F_α(θ) = κ_out L_α(θ), L_α = ½|f(y_out) − t_α|²): dθ = −μ ∇F_α dt + √(2μk_BT) dW with
//! the entry switched every τ_e, and the energy accounting of [`super::LinearStudent`]
//! (switching work, Stratonovich heat by the midpoint rule, the paper's work). The
//! backward pass is allocation-free ([`Backprop`]).
//!
//! Why this loop is not `langevin::SekimotoEuler`: that step evaluates ∇U at both ends
//! of every step (it cannot know that the next step starts where this one ended), and
//! here ∇F_α is a whole backward pass. The loop below reuses the end-of-step gradient as
//! the next step's start, one backward pass per step instead of two, with the same
//! Euler–Maruyama update and the same trapezoid heat. The neuron dynamics, whose
//! gradient is cheap, do use `langevin` (see [`super::ClampedNeurons`]). The finite-κ
//! path (`hidden_stiffness: Some(κ_h)`) relaxes the hidden neurons by Newton's method
//! every step in a [`super::RelaxScratch`]; neither path allocates in the loop.

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::network::Network;
use super::relax::RelaxScratch;
use crate::ModelError;

/// Scratch for an allocation-free forward and backward pass.
#[derive(Debug, Clone)]
pub struct Backprop {
    /// Activations per layer (layer 0: the input).
    x: Vec<Vec<f64>>,
    /// Pre-activations per layer ≥ 1.
    y: Vec<Vec<f64>>,
    /// ∂L/∂y per layer ≥ 1.
    delta: Vec<Vec<f64>>,
}

impl Backprop {
    /// Scratch for `net`.
    pub fn new(net: &Network) -> Self {
        let s = net.sizes();
        Self {
            x: s.iter().map(|&n| vec![0.0; n]).collect(),
            y: s[1..].iter().map(|&n| vec![0.0; n]).collect(),
            delta: s[1..].iter().map(|&n| vec![0.0; n]).collect(),
        }
    }

    /// L = ½|f(y_out) − t|² at (input, target), and ∂L/∂θ written into `grad` (order of
    /// [`Network::params`]) when given. No allocation.
    pub fn loss_grad(
        &mut self,
        net: &Network,
        input: &[f64],
        target: &[f64],
        grad: Option<&mut [f64]>,
    ) -> f64 {
        let sizes = net.sizes();
        let h = net.layers().len();
        self.x[0].copy_from_slice(input);
        for l in 0..h {
            let layer = &net.layers()[l];
            let n_in = sizes[l];
            let (below, above) = self.x.split_at_mut(l + 1);
            for i in 0..sizes[l + 1] {
                let row = &layer.weights[i * n_in..(i + 1) * n_in];
                let y =
                    layer.biases[i] + row.iter().zip(&below[l]).map(|(w, v)| w * v).sum::<f64>();
                self.y[l][i] = y;
                above[0][i] = layer.activation.f(y);
            }
        }
        let out = &self.x[h];
        let loss = 0.5 * out.iter().zip(target).map(|(a, b)| (a - b).powi(2)).sum::<f64>();
        let Some(grad) = grad else { return loss };
        let f = net.layers()[h - 1].activation;
        for i in 0..sizes[h] {
            self.delta[h - 1][i] = (self.x[h][i] - target[i]) * f.df(self.y[h - 1][i]);
        }
        for l in (0..h - 1).rev() {
            let n_in = sizes[l + 1];
            let f = net.layers()[l].activation;
            let (lo, hi) = self.delta.split_at_mut(l + 1);
            for j in 0..n_in {
                let s: f64 = (0..sizes[l + 2])
                    .map(|k| net.layers()[l + 1].weights[k * n_in + j] * hi[0][k])
                    .sum();
                lo[l][j] = s * f.df(self.y[l][j]);
            }
        }
        let mut off = 0;
        for l in 0..h {
            for &d in &self.delta[l] {
                for &xj in &self.x[l] {
                    grad[off] = d * xj;
                    off += 1;
                }
            }
            for &d in &self.delta[l] {
                grad[off] = d;
                off += 1;
            }
        }
        loss
    }
}

/// The annealing protocol.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Annealing {
    /// Parameter mobility μ.
    pub mobility: f64,
    /// Output stiffness κ_out (F = κ_out L).
    pub stiffness: f64,
    /// Presentation time per entry τ_e.
    pub presentation: f64,
    /// Euler–Maruyama steps per presentation.
    pub steps_per_entry: usize,
    /// `None`: the κ_hidden → ∞ fast path, F_α = κ_out L_α. `Some(κ_h)`: hidden layers of
    /// stiffness κ_h relaxed explicitly (Newton) at every step, F_α = F*_α(θ), ∇F_α = σx at
    /// the relaxed state (the envelope theorem); this path allocates per step.
    pub hidden_stiffness: Option<f64>,
}

/// What an annealing run measured (sums over the measured presentations).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct AnnealRecord {
    /// Presentations measured.
    pub entries: usize,
    /// Mean training loss (½ MSE over the whole training set) at measurement points.
    pub train_loss: f64,
    /// Its standard error (batch means).
    pub train_loss_se: f64,
    /// Heat released to the bath (Stratonovich, midpoint rule).
    pub heat_released: f64,
    /// Switching work supplied.
    pub switching_work: f64,
    /// The paper's ∫ θ̇·∂F dt (Stratonovich).
    pub paper_work: f64,
    /// F at the end minus F at the start of the measured presentations: the first law
    /// reads energy_change = switching_work − heat_released (up to the midpoint rule's
    /// error for a non-quadratic F).
    pub energy_change: f64,
}

impl Annealing {
    /// F_α(θ) and ∇F_α written into `grad`.
    fn energy_grad(
        &self,
        net: &Network,
        bp: &mut Backprop,
        relax: &mut RelaxScratch,
        x: &[f64],
        t: &[f64],
        grad: &mut [f64],
    ) -> Result<f64, ModelError> {
        match self.hidden_stiffness {
            None => {
                let l = bp.loss_grad(net, x, t, Some(grad));
                grad.iter_mut().for_each(|g| *g *= self.stiffness);
                Ok(self.stiffness * l)
            }
            Some(_) => {
                let r = net.clamped_in(relax, x, t)?;
                net.gradient_params_into(relax.state(), grad);
                Ok(r.energy)
            }
        }
    }

    /// Anneals `net` at k_BT on the entries `order[k] ∈ data` (input, target pairs), one
    /// presentation each: the first `burn` are not measured; every `measure_every`
    /// presentations the training loss over `train` is recorded.
    ///
    /// # Errors
    /// `InvalidParameter` for bad protocol values or a diverging run.
    #[allow(clippy::too_many_arguments)]
    pub fn run<R: Rng + ?Sized>(
        &self,
        net: &mut Network,
        data: &[(Vec<f64>, Vec<f64>)],
        order: &[usize],
        burn: usize,
        kt: f64,
        train: &[(Vec<f64>, Vec<f64>)],
        measure_every: usize,
        rng: &mut R,
    ) -> Result<AnnealRecord, ModelError> {
        for (name, v) in [
            ("mobility μ", self.mobility),
            ("stiffness κ_out", self.stiffness),
            ("presentation τ_e", self.presentation),
        ] {
            if !(v > 0.0 && v.is_finite()) {
                return Err(ModelError::InvalidParameter {
                    name,
                    value: v,
                    requirement: "must be finite and > 0",
                });
            }
        }
        if !(kt >= 0.0 && kt.is_finite())
            || self.steps_per_entry == 0
            || order.is_empty()
            || train.is_empty()
        {
            return Err(ModelError::InvalidParameter {
                name: "k_BT (with steps, order and train set non-empty)",
                value: kt,
                requirement: "must be finite and >= 0",
            });
        }
        let np = net.n_params();
        let dt = self.presentation / self.steps_per_entry as f64;
        let kick = (2.0 * self.mobility * kt * dt).sqrt();
        let mut bp = Backprop::new(net);
        let mut relax = RelaxScratch::new(net);
        let mut theta = net.params();
        let mut g0 = vec![0.0; np];
        let mut g1 = vec![0.0; np];
        let mut dtheta = vec![0.0; np];
        let mut rec = AnnealRecord {
            entries: order.len().saturating_sub(burn),
            train_loss: 0.0,
            train_loss_se: 0.0,
            heat_released: 0.0,
            switching_work: 0.0,
            paper_work: 0.0,
            energy_change: 0.0,
        };
        let mut f_start = f64::NAN;
        let mut samples = Vec::new();
        let (mut x, mut t) = (&data[order[0]].0, &data[order[0]].1);
        if let Some(kh) = self.hidden_stiffness {
            if !(kh > 0.0 && kh.is_finite()) {
                return Err(ModelError::InvalidParameter {
                    name: "hidden stiffness κ_h",
                    value: kh,
                    requirement: "must be finite and > 0",
                });
            }
            let h = net.layers().len();
            for (l, layer) in net.layers_mut().iter_mut().enumerate() {
                layer.stiffness = if l + 1 == h { self.stiffness } else { kh };
            }
        }
        let mut l0 = self.energy_grad(net, &mut bp, &mut relax, x, t, &mut g0)?;
        for (e, &idx) in order.iter().enumerate() {
            if e == burn {
                // F before the switch into the first measured entry (counted below).
                f_start = l0;
            }
            if e > 0 {
                let (nx, nt) = (&data[idx].0, &data[idx].1);
                let l_new = self.energy_grad(net, &mut bp, &mut relax, nx, nt, &mut g0)?;
                if e >= burn {
                    rec.switching_work += l_new - l0;
                }
                x = nx;
                t = nt;
                l0 = l_new;
            }
            for _ in 0..self.steps_per_entry {
                for i in 0..np {
                    let z: f64 = StandardNormal.sample(rng);
                    dtheta[i] = -self.mobility * g0[i] * dt + kick * z;
                    theta[i] += dtheta[i];
                }
                net.set_params(&theta)?;
                let l1 = self.energy_grad(net, &mut bp, &mut relax, x, t, &mut g1)?;
                if e >= burn {
                    let q: f64 = (0..np).map(|i| 0.5 * (g0[i] + g1[i]) * dtheta[i]).sum();
                    rec.heat_released -= q;
                    rec.paper_work += q;
                }
                std::mem::swap(&mut g0, &mut g1);
                l0 = l1;
            }
            if !l0.is_finite() {
                return Err(ModelError::InvalidParameter {
                    name: "loss (diverged: reduce μκτ_e)",
                    value: l0,
                    requirement: "must stay finite",
                });
            }
            if e >= burn && (e - burn) % measure_every.max(1) == 0 {
                let tl = train.iter().map(|(u, v)| bp.loss_grad(net, u, v, None)).sum::<f64>()
                    / train.len() as f64;
                samples.push(tl);
            }
        }
        rec.energy_change = l0 - f_start;
        let n = samples.len().max(1) as f64;
        rec.train_loss = samples.iter().sum::<f64>() / n;
        let batches = 10.min(samples.len());
        if batches >= 2 {
            let per = samples.len() / batches;
            let means: Vec<f64> = (0..batches)
                .map(|b| samples[b * per..(b + 1) * per].iter().sum::<f64>() / per as f64)
                .collect();
            let m = means.iter().sum::<f64>() / batches as f64;
            let var = means.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (batches - 1) as f64;
            rec.train_loss_se = (var / batches as f64).sqrt();
        }
        Ok(rec)
    }
}
