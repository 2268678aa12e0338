//! Neuron dynamics at temperature T: the free neurons as a [`langevin::Potential`], so
//! that overdamped Langevin relaxation dx = −μ ∂F/∂x dt + √(2 μ k_BT) dW, its
//! Euler–Maruyama steps and its Sekimoto work and heat come from the `langevin` crate;
//! and the exact sampler of the
//! Boltzmann distribution e^{−F/k_BT} of a network whose every non-input neuron is free:
//! x_i = f(y_i) + δ_i with δ_i ~ N(0, k_BT/κ_i), layer by layer (the paper's forward noise;
//! exact because the map from δ to x is triangular with unit Jacobian).

use std::cell::RefCell;

use langevin::Potential;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::network::{Network, State};
use crate::ModelError;

/// The free neurons (layers 1 … h) of a network whose input layer is clamped to a
/// protocol u(t), as a [`langevin::Potential`] U(x, t) = F(u(t), x₁, …, x_h) over their
/// flattened coordinates (layer 1 first, then layer 2, …). With it the `langevin` crate
/// does the dynamics: [`langevin::Brownian`] gives dx = −μ ∂F/∂x dt + √(2 μ k_BT) dW,
/// [`langevin::EulerMaruyama`] steps it and [`langevin::SekimotoEuler`] adds the work
/// ∂_t F dt done by moving the input and the heat released to the bath.
///
/// `input(t, u)` writes u(t) into `u` (length = the input layer). Energies in the units of
/// κ x², time in the units of the mobility. Scratch lives in a `RefCell`, so evaluating
/// U or ∇U never allocates; the type is not `Sync` (give each thread its own).
pub struct ClampedNeurons<'a, U> {
    net: &'a Network,
    input: U,
    dim: usize,
    scratch: RefCell<(State, State)>,
}

impl<U> std::fmt::Debug for ClampedNeurons<'_, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClampedNeurons").field("sizes", &self.net.sizes()).finish()
    }
}

impl<'a, U: Fn(f64, &mut [f64])> ClampedNeurons<'a, U> {
    /// The free neurons of `net` with the input following `input`.
    pub fn new(net: &'a Network, input: U) -> Self {
        let zeros: State = net.sizes().iter().map(|&n| vec![0.0; n]).collect();
        Self {
            net,
            input,
            dim: net.sizes()[1..].iter().sum(),
            scratch: RefCell::new((zeros.clone(), zeros)),
        }
    }

    /// The network.
    pub fn network(&self) -> &Network {
        self.net
    }

    /// Layers 1 … h of `state` flattened into `out` (length [`Potential::dim`]).
    pub fn flatten_into(&self, state: &State, out: &mut [f64]) {
        let mut k = 0;
        for layer in &state[1..] {
            out[k..k + layer.len()].copy_from_slice(layer);
            k += layer.len();
        }
    }

    /// Layers 1 … h of `state` flattened.
    pub fn flatten(&self, state: &State) -> Vec<f64> {
        let mut out = vec![0.0; self.dim];
        self.flatten_into(state, &mut out);
        out
    }

    /// The whole network state at time t: the input u(t) and the free neurons `x`.
    pub fn unflatten(&self, t: f64, x: &[f64]) -> State {
        let mut state: State = self.net.sizes().iter().map(|&n| vec![0.0; n]).collect();
        load(&self.input, t, x, &mut state);
        state
    }
}

fn load<U: Fn(f64, &mut [f64])>(input: &U, t: f64, x: &[f64], state: &mut State) {
    input(t, &mut state[0]);
    let mut k = 0;
    for layer in state[1..].iter_mut() {
        let n = layer.len();
        layer.copy_from_slice(&x[k..k + n]);
        k += n;
    }
}

impl<U: Fn(f64, &mut [f64])> Potential for ClampedNeurons<'_, U> {
    fn dim(&self) -> usize {
        self.dim
    }

    fn energy(&self, t: f64, x: &[f64]) -> f64 {
        let mut s = self.scratch.borrow_mut();
        load(&self.input, t, x, &mut s.0);
        self.net.energy(&s.0)
    }

    fn gradient(&self, t: f64, x: &[f64], out: &mut [f64]) {
        let mut s = self.scratch.borrow_mut();
        let (state, grad) = &mut *s;
        load(&self.input, t, x, state);
        self.net.gradient_x_into(state, grad);
        let mut k = 0;
        for layer in &grad[1..] {
            out[k..k + layer.len()].copy_from_slice(layer);
            k += layer.len();
        }
    }
}

/// One exact draw from e^{−F/k_BT} with the input clamped at `input`.
///
/// # Errors
/// As [`Network::forward`]; `InvalidParameter` for k_BT < 0.
pub fn boltzmann_sample<R: Rng + ?Sized>(
    net: &Network,
    input: &[f64],
    thermal_energy: f64,
    rng: &mut R,
) -> Result<State, ModelError> {
    if !(thermal_energy >= 0.0 && thermal_energy.is_finite()) {
        return Err(ModelError::InvalidParameter {
            name: "k_B T",
            value: thermal_energy,
            requirement: "must be finite and >= 0",
        });
    }
    let mut x = net.forward(input)?;
    for l in 1..x.len() {
        let layer = &net.layers()[l - 1];
        let sd = (thermal_energy / layer.stiffness).sqrt();
        let n_in = net.sizes()[l - 1];
        let below = x[l - 1].clone();
        for i in 0..x[l].len() {
            let y = layer.biases[i]
                + layer.weights[i * n_in..(i + 1) * n_in]
                    .iter()
                    .zip(&below)
                    .map(|(w, v)| w * v)
                    .sum::<f64>();
            let z: f64 = StandardNormal.sample(rng);
            x[l][i] = layer.activation.f(y) + sd * z;
        }
    }
    Ok(x)
}
