//! Neuron dynamics at temperature T: overdamped Langevin relaxation of the free neurons,
//! dx = −μ ∂F/∂x dt + √(2 μ k_BT) dW (Itô Euler–Maruyama), and the exact sampler of the
//! Boltzmann distribution e^{−F/k_BT} of a network whose every non-input neuron is free:
//! x_i = f(y_i) + δ_i with δ_i ~ N(0, k_BT/κ_i), layer by layer (the paper's forward noise;
//! exact because the map from δ to x is triangular with unit Jacobian).

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::network::{Network, State};
use crate::ModelError;

/// Euler–Maruyama for the free neurons (layers 1 … h) of a network with the input clamped.
#[derive(Debug, Clone)]
pub struct NeuronLangevin {
    mobility: f64,
    thermal_energy: f64,
    dt: f64,
    kick: f64,
}

impl NeuronLangevin {
    /// Mobility μ (x² per energy per time), k_BT (energy) and step dt.
    ///
    /// # Errors
    /// `InvalidParameter` for μ ≤ 0, k_BT < 0 or dt ≤ 0 (or non-finite).
    pub fn new(mobility: f64, thermal_energy: f64, dt: f64) -> Result<Self, ModelError> {
        for (name, v, ok) in [
            ("neuron mobility μ", mobility, mobility > 0.0),
            ("k_B T", thermal_energy, thermal_energy >= 0.0),
            ("time step dt", dt, dt > 0.0),
        ] {
            if !(ok && v.is_finite()) {
                return Err(ModelError::InvalidParameter {
                    name,
                    value: v,
                    requirement: "must be finite and positive (k_BT may be 0)",
                });
            }
        }
        Ok(Self {
            mobility,
            thermal_energy,
            dt,
            kick: (2.0 * mobility * thermal_energy * dt).sqrt(),
        })
    }

    /// The step.
    pub fn dt(&self) -> f64 {
        self.dt
    }

    /// k_BT.
    pub fn thermal_energy(&self) -> f64 {
        self.thermal_energy
    }

    /// One step of every non-input neuron; `grad` is scratch of the state's shape.
    pub fn step<R: Rng + ?Sized>(
        &self,
        net: &Network,
        x: &mut State,
        grad: &mut State,
        rng: &mut R,
    ) {
        net.gradient_x_into(x, grad);
        for l in 1..x.len() {
            for (xi, g) in x[l].iter_mut().zip(&grad[l]) {
                let z: f64 = StandardNormal.sample(rng);
                *xi += -self.mobility * g * self.dt + self.kick * z;
            }
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
